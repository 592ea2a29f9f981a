"""Open data: every public result and every measure of the published plans of a year, as CSV or JSON.

Both formats stream from one database query (a server-side cursor on PostgreSQL, batched
fetches on SQLite), so a year of 8,300 organisations costs the same two queries as a year of
eight: one to check that the year has data, one to read it. Keys are ASCII and stable; the
portal's /public/data/ page describes them in Thai. Numbers are written with Arabic digits and
a dot, as a program expects.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita.grading.rules import TOOL_LABELS
from ita.models import Organization
from ita.thai import round_score
from measures.models import Measure, period_text
from reports.portal.documents import current_published_plans
from reports.portal.results import SCORE_COLUMNS, public_assessments, with_score_columns

CHUNK = 2000  # rows fetched per round trip while streaming
JSON_BATCH = 200  # rows per chunk sent to the client
# A spreadsheet treats a cell starting with one of these as a formula (SECURITY I8).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TYPE_LABELS = dict(Organization.Type.choices)


@dataclass(frozen=True)
class Field:
    """One column of a data set: its key and its Thai description (shown on the data page)."""

    key: str
    description: str  # lazily translated


RESULT_FIELDS: tuple[Field, ...] = (
    Field("fiscal_year", _("ปีงบประมาณที่ประเมิน (พ.ศ.)")),
    Field("code", _("รหัสหน่วยงาน")),
    Field("name", _("ชื่อหน่วยงาน")),
    Field(
        "org_type", _("ประเภทหน่วยงาน (รหัส: pao, city, town, subdistrict_municipality, sao, bangkok, pattaya, other)")
    ),
    Field("org_type_name", _("ประเภทหน่วยงาน (ภาษาไทย)")),
    Field("district", _("อำเภอ")),
    Field("province", _("จังหวัด")),
    Field("overall", _("คะแนนรวม ITA (ทศนิยม ๒ ตำแหน่ง)")),
    Field("level", _("ระดับผลการประเมิน")),
    Field("official", _("true เมื่อคะแนนรวมเป็นผลทางการจากระบบ ITAS, false เมื่อคำนวณจากคะแนนรายตัวชี้วัด")),
    *(
        Field(name, _("คะแนน %(tool)s") % {"tool": TOOL_LABELS[code]})
        for kind, code, name in SCORE_COLUMNS
        if kind == "tool"
    ),
    *(
        Field(name, _("คะแนนตัวชี้วัดที่ %(number)s") % {"number": code})
        for kind, code, name in SCORE_COLUMNS
        if kind == "indicator"
    ),
)

MEASURE_FIELDS: tuple[Field, ...] = (
    Field("fiscal_year", _("ปีงบประมาณของมาตรการ (พ.ศ.)")),
    Field("code", _("รหัสหน่วยงาน")),
    Field("name", _("ชื่อหน่วยงาน")),
    Field("province", _("จังหวัด")),
    Field("plan_version", _("ฉบับที่ของมาตรการ (ฉบับแก้ไขล่าสุดที่เผยแพร่)")),
    Field("published_at", _("วันเวลาที่เผยแพร่ (ISO 8601)")),
    Field("order", _("ลำดับของมาตรการในเอกสาร (เริ่มที่ 1)")),
    Field("title", _("มาตรการ/แนวทาง")),
    Field("steps", _("ขั้นตอนหรือวิธีการ (JSON: รายการข้อความ; CSV: หนึ่งขั้นตอนต่อบรรทัด)")),
    Field("responsible", _("ผู้รับผิดชอบ")),
    Field("period", _("ระยะเวลาดำเนินการ (ข้อความ เช่น ม.ค. – มี.ค. 67)")),
    Field("start_month", _("เดือนเริ่มต้น 1–12 (ว่างเมื่อดำเนินการตลอดปีงบประมาณ)")),
    Field("end_month", _("เดือนสิ้นสุด 1–12 (ว่างเมื่อดำเนินการตลอดปีงบประมาณ)")),
    Field("monitoring", _("การกำกับติดตาม")),
    Field("answers", _("ข้อคำถามและตัวชี้วัดที่มาตรการตอบ (JSON: รายการ; CSV: คั่นด้วยจุลภาค)")),
)


# ---------------------------------------------------------------------------------------------
# Rows


def _number(value: Decimal | None) -> Decimal | None:
    return round_score(value) if value is not None else None


def _json_default(value: object) -> object:
    # Two-place decimals survive the float round trip exactly as their shortest repr (85.5, 91.47).
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


RESULT_VALUES = {
    "fiscal_year": "fiscal_year",
    "code": "organization__code",
    "name": "organization__name",
    "org_type": "organization__org_type",
    "district": "organization__district",
    "province": "organization__province",
    "overall": "result_overall",
    "level": "result_level",
    "official": "result_official",
}


def result_queryset(fiscal_year: int) -> QuerySet:
    """Plain rows (dicts), ordered by organisation code: no model instances for 8,300 rows."""
    queryset = with_score_columns(public_assessments().filter(fiscal_year=fiscal_year))
    columns = [*RESULT_VALUES.values(), *(name for _kind, _code, name in SCORE_COLUMNS)]
    return queryset.order_by("organization__code", "pk").values(*columns)


def result_row(values: dict) -> dict:
    """One public result as plain data in RESULT_FIELDS order."""
    row = {key: values[column] for key, column in RESULT_VALUES.items()}
    row["overall"] = _number(row["overall"])
    row["official"] = bool(row["official"])
    row["org_type_name"] = str(TYPE_LABELS.get(row["org_type"], ""))
    row.update({name: _number(values[name]) for _kind, _code, name in SCORE_COLUMNS})
    return {field.key: row[field.key] for field in RESULT_FIELDS}


def measure_queryset(fiscal_year: int) -> QuerySet:
    plans = current_published_plans().filter(fiscal_year=fiscal_year).values("pk")
    return (
        Measure.objects.filter(plan__in=plans)
        .select_related("plan__organization")
        .order_by("plan__organization__code", "plan__pk", "order", "pk")
    )


def measure_row(measure: Measure, position: int) -> dict:
    """One measure of a published plan as plain data in MEASURE_FIELDS order."""
    plan = measure.plan
    return {
        "fiscal_year": plan.fiscal_year,
        "code": plan.organization.code,
        "name": plan.organization.name,
        "province": plan.organization.province,
        "plan_version": plan.version,
        "published_at": timezone.localtime(plan.published_at).isoformat() if plan.published_at else None,
        "order": position,
        "title": measure.title,
        "steps": [str(step) for step in measure.steps or []],
        "responsible": measure.responsible,
        "period": period_text(
            plan.fiscal_year, measure.period_kind, measure.start_month, measure.end_month, digits="arabic"
        ),
        "start_month": measure.start_month,
        "end_month": measure.end_month,
        "monitoring": measure.monitoring,
        "answers": measure.answers,
    }


def result_rows(fiscal_year: int) -> Iterator[dict]:
    for assessment in result_queryset(fiscal_year).iterator(chunk_size=CHUNK):
        yield result_row(assessment)


def measure_rows(fiscal_year: int) -> Iterator[dict]:
    """Measures numbered 1, 2, … within each plan, in document order."""
    plan_id, position = None, 0
    for measure in measure_queryset(fiscal_year).iterator(chunk_size=CHUNK):
        position = position + 1 if measure.plan_id == plan_id else 1
        plan_id = measure.plan_id
        yield measure_row(measure, position)


# ---------------------------------------------------------------------------------------------
# Formats


def csv_cell(value: object) -> str:
    """A value as CSV text; text a spreadsheet would run as a formula is prefixed with ' (SECURITY I8)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ", ".join(str(part) for part in value)
    elif isinstance(value, Decimal):
        value = format(value, "f")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(key: str, value: object) -> object:
    # Steps read best one per line inside their cell; a list elsewhere is a short list of codes.
    return "\n".join(value) if key == "steps" and isinstance(value, list) else value


class _Line:
    """A write-only file for csv.writer that hands back the line it was given."""

    def write(self, text: str) -> str:
        return text


def stream_csv(fields: Iterable[Field], rows: Iterable[dict]) -> Iterator[str]:
    """UTF-8 CSV with a BOM (so that Excel reads Thai), header first."""
    keys = [field.key for field in fields]
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(keys)
    for row in rows:
        yield writer.writerow([csv_cell(_csv_value(key, row[key])) for key in keys])


def stream_json(header: dict, rows: Iterable[dict], *, batch: int = JSON_BATCH) -> Iterator[str]:
    """{…header, "rows": [ … ]} written a batch of rows at a time."""
    opening = json.dumps(header, ensure_ascii=False)[:-1]
    yield opening + (', "rows": [' if header else '"rows": [')
    pending: list[str] = []
    first = True
    for row in rows:
        pending.append(json.dumps(row, ensure_ascii=False, default=_json_default))
        if len(pending) >= batch:
            yield ("" if first else ",") + "\n" + ",\n".join(pending)
            first, pending = False, []
    if pending:
        yield ("" if first else ",") + "\n" + ",\n".join(pending)
    yield "\n]}\n"


DATASETS: dict[str, tuple[tuple[Field, ...], Callable[[int], Iterator[dict]]]] = {
    "results": (RESULT_FIELDS, result_rows),
    "measures": (MEASURE_FIELDS, measure_rows),
}
