"""Follow-up of a plan during its fiscal year: progress and overdue measures, and how the targeted scores moved.

Plain functions over a plan with a fixed number of queries whatever the number of measures, for
the plan pages (H3) and the follow-up report (the OIT item O43 / O28 / O26).

Decisions:
- A measure reported "ไม่สามารถดำเนินการได้" (not possible) is left out of the overall percent and is
  never overdue: the agency has settled it and said why; counting it as 0 would hide that the
  rest is on track, counting its percent would pretend work was done. It is listed on its own.
- A measure is overdue from the day after its period ends (last day of the end month in the
  plan's fiscal year; 30 September for a whole-year measure) while its latest status is not done.
- Scores compared are graded values (indicators rolled up from items where not given), as the
  analysis uses. An item without a crosswalk link into the next year's framework has no "after":
  a renumbered question is never compared with a different question that happens to share its code.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ita.models import Assessment, Framework, Item, ItemCrosswalk
from ita.thai import BE_OFFSET, format_number, round_score
from ita.trend.data import grade_assessments
from measures.models import Measure, MeasurePlan, PeriodKind, Progress, calendar_year

LAST_MONTH = 9  # September closes the Thai fiscal year
# Follow-up rounds: six months (closing 31 March) and twelve months (closing 30 September).
ROUND_MONTHS = (6, 12)


def round_end(fiscal_year: int, months: int) -> datetime.date:
    """The last day of a follow-up round: 31 March (6 months) or 30 September (12 months) of the fiscal year."""
    if months not in ROUND_MONTHS:
        raise ValueError(f"round must be 6 or 12 months, not {months!r}")
    year = fiscal_year - BE_OFFSET
    return datetime.date(year, 3, 31) if months == 6 else datetime.date(year, 9, 30)


def default_round(fiscal_year: int, today: datetime.date) -> int:
    """The round a report asked for today belongs to: six months until 31 March, then twelve."""
    return 6 if today <= round_end(fiscal_year, 6) else 12


@dataclass(frozen=True)
class MeasureProgress:
    """One measure with its latest progress entry (None fields when nothing was reported yet)."""

    measure: Measure
    status: str
    status_label: str
    percent: int
    date: datetime.date | None
    entries: int
    ends_on: datetime.date
    overdue: bool


@dataclass(frozen=True)
class PlanProgress:
    measures: tuple[MeasureProgress, ...]
    percent: Decimal | None  # mean of the latest percents, not-possible measures left out; None if none count
    overdue: tuple[MeasureProgress, ...]
    not_possible: tuple[MeasureProgress, ...]
    done: int
    today: datetime.date


def period_end(fiscal_year: int, kind: str, end_month: int | None) -> datetime.date:
    """The last day of a measure's period: end of its end month in the fiscal year, or 30 September."""
    month = LAST_MONTH if kind == PeriodKind.WHOLE_YEAR or end_month is None else end_month
    year = calendar_year(fiscal_year, month) - BE_OFFSET
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _latest_entries(measures: list[Measure]) -> tuple[dict[int, Progress], dict[int, int]]:
    """Measure id → its latest entry (by date, then by entry order), and how many entries it has; one query."""
    latest: dict[int, Progress] = {}
    counts: dict[int, int] = {}
    rows = Progress.objects.filter(measure__in=[m.pk for m in measures]).order_by("measure_id", "date", "pk")
    for entry in rows:
        latest[entry.measure_id] = entry
        counts[entry.measure_id] = counts.get(entry.measure_id, 0) + 1
    return latest, counts


def plan_progress(plan: MeasurePlan, *, today: datetime.date | None = None) -> PlanProgress:
    """Each measure's latest status and percent, the plan's overall percent and its overdue measures (2 queries)."""
    today = today or timezone.localdate()
    measures = list(Measure.objects.filter(plan=plan).order_by("order", "pk"))
    latest, counts = _latest_entries(measures)
    rows = []
    for measure in measures:
        entry = latest.get(measure.pk)
        status = entry.status if entry else Progress.Status.NOT_STARTED
        ends_on = period_end(plan.fiscal_year, measure.period_kind, measure.end_month)
        settled = status in (Progress.Status.DONE, Progress.Status.NOT_POSSIBLE)
        rows.append(
            MeasureProgress(
                measure=measure,
                status=status,
                status_label=str(Progress.Status(status).label),
                percent=entry.percent if entry else 0,
                date=entry.date if entry else None,
                entries=counts.get(measure.pk, 0),
                ends_on=ends_on,
                overdue=today > ends_on and not settled,
            )
        )
    counted = [row.percent for row in rows if row.status != Progress.Status.NOT_POSSIBLE]
    percent = round_score(Decimal(sum(counted)) / len(counted)) if counted else None
    return PlanProgress(
        measures=tuple(rows),
        percent=percent,
        overdue=tuple(row for row in rows if row.overdue),
        not_possible=tuple(row for row in rows if row.status == Progress.Status.NOT_POSSIBLE),
        done=sum(row.status == Progress.Status.DONE for row in rows),
        today=today,
    )


# ---------------------------------------------------------------------------------------------
# Movements: the targeted indicators and items, before (year N-1) and after (year N)


@dataclass(frozen=True)
class Movement:
    """One indicator or item a measure answers: its score in the plan's base year and in the next results."""

    code: str  # "i7" (code in the base year's framework) or "4" (indicator number)
    label: str
    before: Decimal | None
    after: Decimal | None
    after_code: str | None  # the code in the next year's framework (differs when renumbered)
    delta: Decimal | None
    kind: str = "item"  # "item" | "indicator"


def next_assessment(plan: MeasurePlan) -> Assessment | None:
    """The organisation's assessment of the plan's own fiscal year: the results that come after the measures."""
    return (
        Assessment.objects.select_related("framework")
        .filter(organization_id=plan.organization_id, fiscal_year=plan.fiscal_year)
        .first()
    )


def _next_codes(before_items: dict[str, Item], after_framework: Framework | None) -> dict[str, list[str]]:
    """Base-year code → codes of the crosswalked items in the next framework (one query)."""
    if after_framework is None or not before_items:
        return {}
    found = ItemCrosswalk.objects.next_codes((item.pk for item in before_items.values()), after_framework)
    return {code: found[item.pk] for code, item in before_items.items() if item.pk in found}


def _delta(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    return None if before is None or after is None else after - before


def _indicator_movement(number: int, names: dict[int, str], before, after) -> Movement:
    number = int(number)
    b = before.indicators.get(number)
    a = after.indicators.get(number) if after is not None else None
    label = f"ตัวชี้วัดที่ {format_number(number)} {names.get(number, '')}".strip()
    return Movement(str(number), label, b, a, str(number) if after else None, _delta(b, a), "indicator")


def _item_movements(code: str, item: Item | None, before, after, next_codes: dict[str, list[str]]) -> list[Movement]:
    label = f"ข้อ {code.upper()} {item.text}".strip() if item else f"ข้อ {code.upper()}"
    b = before.items.get(code)
    targets = next_codes.get(code, []) if after else []
    if not targets:
        return [Movement(code, label, b, None, None, None)]
    return [Movement(code, label, b, after.items.get(t), t, _delta(b, after.items.get(t))) for t in targets]


def measure_movements(plan: MeasurePlan) -> dict[int, list[Movement]]:
    """Measure id → how each item and indicator it answers moved from the base year to the next results.

    Without next results every `after` is None. Ten queries whatever the number of measures.
    """
    measures = list(Measure.objects.filter(plan=plan).order_by("order", "pk"))
    base = Assessment.objects.select_related("framework").get(pk=plan.based_on_id)
    following = next_assessment(plan)
    graded = grade_assessments([a for a in (base, following) if a is not None])
    before, after = graded[base.pk], graded[following.pk] if following else None
    codes = {code for measure in measures for code in measure.item_codes}
    before_items = {item.code: item for item in Item.objects.filter(framework_id=base.framework_id, code__in=codes)}
    next_codes = _next_codes(before_items, following.framework if following else None)
    names = dict(base.framework.indicators.values_list("number", "name"))
    movements: dict[int, list[Movement]] = {}
    for measure in measures:
        found = []
        for code in measure.item_codes:
            found += _item_movements(code, before_items.get(code), before, after, next_codes)
        found += [_indicator_movement(number, names, before, after) for number in measure.indicators]
        movements[measure.pk] = found
    return movements
