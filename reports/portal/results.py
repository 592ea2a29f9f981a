"""Which ITA results the public may see, and the queries the portal's result pages run on them.

A result is public when it is official (imported from ITAS, where the NACC publishes it) or
when its organisation published a มาตรการ document built on it. A score that staff typed for
a year not yet announced stays private. The portal shows the official overall and level when
they are known and the computed ones otherwise; an official value is never "corrected".
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from pythainlp.util import collate

from ita.grading.rules import TOOL_CODES
from ita.models import Assessment, Framework, GradeLevel, Indicator, Score
from measures.models import MeasurePlan

INDICATOR_CODES = tuple(str(number) for number in range(1, 11))
# (kind, code, column name) of every score the portal and the open data show.
SCORE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    *((Score.Kind.TOOL.value, code, code.lower()) for code in TOOL_CODES),
    *((Score.Kind.INDICATOR.value, code, f"indicator_{code}") for code in INDICATOR_CODES),
)


def result_fields(prefix: str = "") -> dict:
    """Annotations for the shown result of an assessment reached through `prefix` ("" or "based_on__")."""
    return {
        "result_overall": Coalesce(f"{prefix}official_overall", f"{prefix}overall"),
        "result_level": Coalesce(
            NullIf(f"{prefix}official_level", Value("")), NullIf(f"{prefix}level", Value("")), Value("")
        ),
        "result_official": ExpressionWrapper(
            Q(**{f"{prefix}official_overall__isnull": False}), output_field=BooleanField()
        ),
    }


def public_assessments() -> QuerySet:
    """Assessments anyone may see, annotated with result_overall, result_level and result_official."""
    published_plan = MeasurePlan.objects.published().filter(based_on=OuterRef("pk"))
    official = Q(official_overall__isnull=False) | ~Q(official_level="")
    return Assessment.objects.filter(official | Exists(published_plan)).annotate(**result_fields())


def with_score_columns(queryset: QuerySet) -> QuerySet:
    """Add one annotation per tool and indicator score (iit, eit, …, indicator_10), in the same query."""
    columns = {
        name: Max("shown_scores__value", filter=Q(shown_scores__kind=kind, shown_scores__code=code))
        for kind, code, name in SCORE_COLUMNS
    }
    # Only tool and indicator rows are joined: item scores would multiply the rows for nothing.
    relation = FilteredRelation("scores", condition=Q(scores__kind__in=[Score.Kind.TOOL, Score.Kind.INDICATOR]))
    return queryset.annotate(shown_scores=relation).annotate(**columns)


def public_years() -> list[int]:
    """Fiscal years with at least one public result, newest first."""
    years = public_assessments().order_by().values_list("fiscal_year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def level_positions() -> dict[str, Decimal]:
    """Every level label of every scheme, newest scheme first, with its place in it: 0 best … 1 worst."""
    rows = GradeLevel.objects.order_by("-framework__fiscal_year", "framework", "order").values_list(
        "framework", "label"
    )
    schemes: dict[int, list[str]] = defaultdict(list)
    for framework, label in rows:
        schemes[framework].append(label)
    positions: dict[str, Decimal] = {}
    for labels in schemes.values():
        for index, label in enumerate(labels):
            positions.setdefault(label, Decimal(index) / max(len(labels) - 1, 1))
    return positions


# ---------------------------------------------------------------------------------------------
# The national page


@dataclass(frozen=True)
class LevelCount:
    label: str
    count: int
    percent: Decimal
    order: int


@dataclass(frozen=True)
class IndicatorMean:
    number: int
    name: str
    tool: str
    mean: Decimal
    count: int


@dataclass(frozen=True)
class ProvinceRow:
    province: str
    total: int
    mean: Decimal | None
    levels: tuple[int, ...]  # counts in the order of the year's levels


@dataclass(frozen=True)
class NationalSummary:
    fiscal_year: int
    total: int
    mean: Decimal | None
    levels: tuple[LevelCount, ...]
    indicators: tuple[IndicatorMean, ...]
    provinces: tuple[ProvinceRow, ...]

    def as_json(self) -> dict:
        """The summary as JSON values (decimals as strings) for the cache, which stores only JSON."""
        return json.loads(json.dumps(asdict(self), cls=DjangoJSONEncoder))

    @classmethod
    def from_json(cls, data: dict) -> NationalSummary:
        """The summary as_json() wrote, with its decimals and tuples back."""
        return cls(
            fiscal_year=data["fiscal_year"],
            total=data["total"],
            mean=_decimal(data["mean"]),
            levels=tuple(LevelCount(**{**row, "percent": Decimal(row["percent"])}) for row in data["levels"]),
            indicators=tuple(IndicatorMean(**{**row, "mean": _decimal(row["mean"])}) for row in data["indicators"]),
            provinces=tuple(
                ProvinceRow(**{**row, "mean": _decimal(row["mean"]), "levels": tuple(row["levels"])})
                for row in data["provinces"]
            ),
        )


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _mean(total: Decimal | float | None, count: int) -> Decimal | None:
    # SQLite sums decimals as floats; str() keeps the shortest repr so rounding later is half-up on it.
    return Decimal(str(total)) / count if total is not None and count else None


def _scheme_labels(fiscal_year: int) -> list[str]:
    framework = Framework.objects.filter(fiscal_year=fiscal_year, source=Framework.Source.NACC_ITAS)
    levels = GradeLevel.objects.filter(framework__in=framework.values("pk")).order_by("order", "pk")
    return list(levels.values_list("label", flat=True))


def _level_counts(rows: list[dict], scheme: list[str], total: int) -> tuple[LevelCount, ...]:
    counts = defaultdict(int)
    for row in rows:
        counts[row["result_level"]] += row["n"]
    # Levels outside the year's scheme (an official label spelt differently, or none) come last.
    labels = [*scheme, *sorted(label for label in counts if label not in scheme)]
    return tuple(
        LevelCount(
            label=label,
            count=counts.get(label, 0),
            percent=Decimal(100) * counts.get(label, 0) / total if total else Decimal(0),
            order=order,
        )
        for order, label in enumerate(labels)
    )


def _province_rows(rows: list[dict], labels: list[str]) -> tuple[ProvinceRow, ...]:
    by_province: dict[str, dict] = defaultdict(lambda: {"total": 0, "sum": Decimal(0), "scored": 0, "levels": {}})
    for row in rows:
        entry = by_province[row["organization__province"]]
        entry["total"] += row["n"]
        entry["levels"][row["result_level"]] = row["n"]
        if row["overall_sum"] is not None:
            entry["sum"] += Decimal(str(row["overall_sum"]))
            entry["scored"] += row["scored"]
    return tuple(
        ProvinceRow(
            province=province,
            total=entry["total"],
            mean=_mean(entry["sum"], entry["scored"]),
            levels=tuple(entry["levels"].get(label, 0) for label in labels),
        )
        for province, entry in ((name, by_province[name]) for name in collate(by_province))
    )


def _indicator_means(fiscal_year: int) -> tuple[IndicatorMean, ...]:
    assessments = public_assessments().filter(fiscal_year=fiscal_year).values("pk")
    # No filter on the code: (assessment, kind) is a prefix of the score index, so each assessment's
    # indicators are read as one range instead of ten look-ups; other codes are dropped below.
    means = (
        Score.objects.filter(assessment__in=assessments, kind=Score.Kind.INDICATOR)
        .order_by()
        .values("code")
        .annotate(total=Sum("value"), n=Count("value"))
    )
    names = {
        indicator.number: indicator
        for indicator in Indicator.objects.filter(
            framework__fiscal_year=fiscal_year, framework__source=Framework.Source.NACC_ITAS
        )
    }
    result = [
        IndicatorMean(
            number=int(row["code"]),
            name=names[int(row["code"])].name if int(row["code"]) in names else "",
            tool=names[int(row["code"])].tool if int(row["code"]) in names else "",
            mean=_mean(row["total"], row["n"]),
            count=row["n"],
        )
        for row in means
        if row["code"] in INDICATOR_CODES and row["n"]
    ]
    return tuple(sorted(result, key=lambda item: (item.mean, item.number)))


def national_summary(fiscal_year: int) -> NationalSummary | None:
    """Level distribution, indicator means (lowest first) and provinces for one year; None if no public result."""
    rows = list(
        public_assessments()
        .filter(fiscal_year=fiscal_year)
        .order_by()
        .values("organization__province", "result_level")
        .annotate(n=Count("pk"), scored=Count("result_overall"), overall_sum=Sum(F("result_overall")))
    )
    if not rows:
        return None
    total = sum(row["n"] for row in rows)
    scored = sum(row["scored"] for row in rows)
    overall_sum = sum((Decimal(str(row["overall_sum"])) for row in rows if row["overall_sum"] is not None), Decimal(0))
    levels = _level_counts(rows, _scheme_labels(fiscal_year), total)
    return NationalSummary(
        fiscal_year=fiscal_year,
        total=total,
        mean=_mean(overall_sum, scored),
        levels=levels,
        indicators=_indicator_means(fiscal_year),
        provinces=_province_rows(rows, [level.label for level in levels]),
    )
