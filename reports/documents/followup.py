"""Database → plain data for the follow-up report (templates/reports/followup.html).

The report answers "how far has each measure got, as of a date": the latest progress entry of
each measure on or before that date, the overall progress, and the measures whose period has
ended without being done. The rules are those of measures.followup (the plan pages); this module
adds the cut-off date, so a six-month report made in May shows only what was reported by March.

Rounds follow the Thai fiscal year (October → September): the
six-month round closes on 31 March, the twelve-month round on 30 September.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template.loader import render_to_string

from ita.models import OrganizationEmblem
from ita.thai import (
    BE_OFFSET,
    format_number,
    format_score,
    in_digits,
    round_score,
    thai_date,
)
from measures.followup import period_end, round_end
from measures.models import MeasurePlan, Progress, period_text
from reports.documents.metadata import document_metadata

TITLE = "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
# A measure closed as "not possible" is reported with its reason, never as overdue (as measures.followup).
CLOSED = frozenset({Progress.Status.DONE, Progress.Status.NOT_POSSIBLE})
MEASURE_FIELDS = ("id", "title", "responsible", "period_kind", "start_month", "end_month")
PROGRESS_FIELDS = ("measure_id", "date", "status", "percent", "note", "evidence_url")


def _latest_entries(plan: MeasurePlan, as_of: datetime.date) -> dict[int, dict]:
    """Each measure's newest progress entry dated on or before `as_of` (one query)."""
    entries = (
        Progress.objects.filter(measure__plan=plan, date__lte=as_of)
        .order_by("measure_id", "date", "pk")
        .values(*PROGRESS_FIELDS)
    )
    return {entry["measure_id"]: entry for entry in entries}  # later entries overwrite earlier ones


def _row(number: int, measure: dict, entry: dict | None, plan: MeasurePlan, as_of: datetime.date, digits: str) -> dict:
    fiscal_year = plan.fiscal_year
    status = entry["status"] if entry else Progress.Status.NOT_STARTED
    due = period_end(fiscal_year, measure["period_kind"], measure["end_month"])
    return {
        "number": format_number(number, digits=digits),
        "title": measure["title"],
        "responsible": measure["responsible"],
        "period": period_text(
            fiscal_year, measure["period_kind"], measure["start_month"], measure["end_month"], digits=digits
        ),
        "status": status,
        "status_label": str(Progress.Status(status).label),
        "percent": format_number(entry["percent"] if entry else 0, digits=digits),
        "percent_value": entry["percent"] if entry else 0,
        "date": thai_date(entry["date"], digits=digits) if entry else "",
        "note": entry["note"] if entry else "",
        "evidence_url": entry["evidence_url"] if entry else "",
        "reported": entry is not None,
        "overdue": due < as_of and status not in CLOSED,
        "due": thai_date(due, digits=digits),
    }


def _summary(rows: list[dict], digits: str) -> dict:
    count = len(rows)
    # As on the plan pages (measures.followup.plan_progress): a measure settled as not possible is
    # reported with its reason and left out of the mean.
    counted = [row["percent_value"] for row in rows if row["status"] != Progress.Status.NOT_POSSIBLE]
    overall = round_score(Decimal(sum(counted)) / len(counted)) if counted else None
    by_status = [
        {"label": str(label), "count": format_number(sum(row["status"] == value for row in rows), digits=digits)}
        for value, label in Progress.Status.choices
    ]
    return {
        "measures": format_number(count, digits=digits),
        "overall_percent": format_score(overall, digits=digits),  # "–" when nothing counts
        "by_status": by_status,
        "overdue": format_number(sum(row["overdue"] for row in rows), digits=digits),
        "has_overdue": any(row["overdue"] for row in rows),
        "has_not_possible": any(row["status"] == Progress.Status.NOT_POSSIBLE for row in rows),
    }


def followup_document_context(
    plan: MeasurePlan, *, as_of: datetime.date, round_months: int, digits: str = "thai"
) -> dict:
    """Everything the follow-up report prints, as plain data (3 queries whatever the number of measures)."""
    if digits not in ("thai", "arabic"):
        raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")
    plan = MeasurePlan.objects.select_related("organization").get(pk=plan.pk)
    org = plan.organization
    measures = list(plan.measures.order_by("order", "pk").values(*MEASURE_FIELDS))
    latest = _latest_entries(plan, as_of)
    rows = [_row(n, m, latest.get(m["id"]), plan, as_of, digits) for n, m in enumerate(measures, start=1)]
    start = datetime.date(plan.fiscal_year - BE_OFFSET - 1, 10, 1)
    return {
        "digits": digits,
        "title": TITLE,
        "fiscal_year": format_number(plan.fiscal_year, digits=digits),
        "version": format_number(plan.version, digits=digits),
        "organization": org.name,
        "district": org.district,
        "province": org.province,
        "emblem": OrganizationEmblem.objects.data_url_for(org.pk),
        "round": format_number(round_months, digits=digits),
        "round_start": thai_date(start, digits=digits),
        "round_end": thai_date(round_end(plan.fiscal_year, round_months), digits=digits),
        "as_of": thai_date(as_of, digits=digits),
        "summary": _summary(rows, digits),
        "rows": rows,
        "overdue": [row for row in rows if row["overdue"]],
        "office": plan.office,
        "office_phone": in_digits(plan.office_phone or org.phone, digits),
        "meta": document_metadata(
            plan,
            subject=f"{TITLE} ปีงบประมาณ พ.ศ. {format_number(plan.fiscal_year, digits=digits)} "
            f"รอบ {format_number(round_months, digits=digits)} เดือน ข้อมูล ณ วันที่ {thai_date(as_of, digits=digits)}",
            keywords=["คุณธรรมและความโปร่งใส", "รายงานผลการดำเนินงาน"],
            digits=digits,
        ),
    }


def followup_document_html(context: dict) -> str:
    """The follow-up report's HTML (autoescaped template) from `followup_document_context`'s data."""
    return render_to_string("reports/documents/followup.html", context)
