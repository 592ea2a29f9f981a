"""Measures from a spreadsheet (last year's Word table pasted into Excel) into a draft plan, all or nothing.

Two phases, as the score importer (ita.importers.load): `plan_measure_import` validates every row
and previews, writing nothing; `apply_measure_import` refuses a preview with errors, then appends
every measure in one transaction.

Decisions:
- Columns are found by header (spaces, case, dots, slashes ignored); a "ลำดับ"/"ที่" column is
  ignored; an unknown header is an error, since guessing could file text in the wrong column.
- A row whose มาตรการ cell is blank but which has other cells continues the measure above:
  Excel splits a Word cell with several paragraphs over several rows. Its steps, units, answers
  and monitoring text are added to that measure.
- A period naming another fiscal year (last year's table) keeps its months in the plan's
  year and says so in the preview; a range spanning two fiscal years is an error.
- Item codes must exist in the framework of the plan's base assessment (the year analysed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ita.importers.columns import normalize_header
from ita.importers.parse import CellError, Table, column_letter
from ita.models import Item, Organization
from ita.thai import ThaiValueError, format_number, normalize_text
from measures.importers.cells import Period, parse_answers, parse_period, parse_steps, split_units, unit_key
from measures.models import Measure, MeasurePlan, OrgUnit, PlanError, PlanPermissionDenied, period_text
from measures.plans import latest_plan

COLUMN_SPELLINGS: dict[str, tuple[str, ...]] = {
    "title": (
        "มาตรการ/แนวทาง",
        "มาตรการ",
        "แนวทาง",
        "มาตรการ/แนวทางการดำเนินการ",
        "มาตรการและแนวทาง",
        "measure",
        "title",
    ),
    "steps": ("ขั้นตอนหรือวิธีการ", "ขั้นตอน/วิธีการ", "ขั้นตอนการดำเนินการ", "ขั้นตอน", "วิธีการ", "วิธีการดำเนินการ", "steps"),
    "responsible": ("ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ", "ส่วนราชการที่รับผิดชอบ", "responsible"),
    "period": ("ระยะเวลาดำเนินการ", "ระยะเวลา", "ระยะเวลาการดำเนินการ", "ห้วงเวลา", "period"),
    "monitoring": ("การกำกับติดตาม", "การกำกับติดตามผล", "กำกับติดตาม", "การติดตามผล", "การติดตาม", "monitoring"),
    "answers": ("ตัวชี้วัด/ข้อ", "ตัวชี้วัดหรือข้อ", "ตัวชี้วัด", "ข้อ", "ตัวชี้วัดที่ตอบ", "ข้อที่ตอบ", "answers"),
    "ignored": ("ลำดับ", "ลำดับที่", "ที่", "no"),
}
REQUIRED = ("title", "period")
COLUMN_NAMES = {
    "title": "มาตรการ/แนวทาง",
    "steps": "ขั้นตอนหรือวิธีการ",
    "responsible": "ผู้รับผิดชอบ",
    "period": "ระยะเวลาดำเนินการ",
    "monitoring": "การกำกับติดตาม",
    "answers": "ตัวชี้วัด/ข้อ",
}
RESPONSIBLE_MAX = 255  # Measure.responsible


def header_key(text: str | None) -> str:
    return re.sub(r"[/()*:]", "", normalize_header(text))


HEADERS = {header_key(spelling): name for name, spellings in COLUMN_SPELLINGS.items() for spelling in spellings}


class MeasureImportRefused(PlanError):
    """apply_measure_import was given a preview it must not write; str() is a Thai message."""


@dataclass
class ImportedMeasure:
    """One measure as it will be stored, and the row of the file it starts on."""

    row: int
    title: str
    steps: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    period: Period | None = None
    period_text: str = ""
    monitoring: str = ""
    item_codes: list[str] = field(default_factory=list)
    indicators: list[int] = field(default_factory=list)

    @property
    def responsible(self) -> str:
        return ", ".join(self.units)

    @property
    def answers(self) -> list[str]:
        return [*self.item_codes, *(str(n) for n in self.indicators)]


@dataclass
class MeasureImportPlan:
    """What an import would add to the plan (the preview), and every error that forbids it."""

    plan: MeasurePlan
    filename: str = ""
    rows: int = 0
    existing: int = 0
    create_units: bool = False
    measures: list[ImportedMeasure] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        """The preview in Thai: the target plan, each measure in one line, new units, notes, then every error."""
        plan = self.plan
        lines = [
            f"ไฟล์ {self.filename}: ข้อมูล {self.rows:,} แถว → มาตรการ {len(self.measures):,} รายการ",
            f"จะเพิ่มต่อท้ายมาตรการปีงบประมาณ {format_number(plan.fiscal_year)} ฉบับที่ {format_number(plan.version)} "
            f"ของ{plan.organization.name} (มีอยู่แล้ว {self.existing:,} รายการ)",
        ]
        for number, measure in enumerate(self.measures, start=self.existing + 1):
            answers = ", ".join(measure.answers) or "-"
            lines.append(
                f"  {number}. {_short(measure.title)} · {measure.responsible or '-'} · {measure.period_text} "
                f"· ขั้นตอน {len(measure.steps)} ข้อ · ตอบ {answers} (แถว {measure.row})"
            )
        if self.new_units:
            lines.append(f"ส่วนราชการที่จะสร้างใหม่: {', '.join(self.new_units)}")
        lines += [f"หมายเหตุ: {note}" for note in self.notes]
        if self.errors:
            lines.append(f"พบข้อผิดพลาด {len(self.errors):,} รายการ จึงไม่บันทึกข้อมูลใด ๆ:")
            lines += [f"  {error.message}" for error in self.errors]
        return lines


def _short(text: str, size: int = 70) -> str:
    line = text.replace("\n", " ")
    return line if len(line) <= size else line[: size - 1] + "…"


def target_plan(*, organization: Organization, fiscal_year: int) -> MeasurePlan:
    """The organisation's newest plan of the year, if it is a draft; PlanError (Thai) otherwise."""
    plan = latest_plan(organization=organization, fiscal_year=fiscal_year)
    if plan is None:
        raise PlanError(
            _("%(org)s ยังไม่มีมาตรการปีงบประมาณ %(year)s ให้สร้างก่อน (เช่น manage.py plan --org %(code)s --year %(raw)s)")
            % {
                "org": organization.name,
                "year": format_number(fiscal_year),
                "code": organization.code,
                "raw": fiscal_year,
            }
        )
    _check_draft(plan)
    return plan


def _check_draft(plan: MeasurePlan) -> None:
    if plan.status != MeasurePlan.Status.DRAFT:
        raise PlanError(
            _("มาตรการปีงบประมาณ %(year)s ฉบับที่ %(version)s อยู่ในสถานะ %(status)s นำเข้าได้เฉพาะฉบับร่าง")
            % {
                "year": format_number(plan.fiscal_year),
                "version": format_number(plan.version),
                "status": plan.get_status_display(),
            }
        )


# ---------------------------------------------------------------------------------------------
# Phase 1: validate and preview


class _Reader:
    """Reads rows into measures, collecting every error with its row, column and value."""

    def __init__(self, result: MeasureImportPlan, header: list[str | None], known_units: dict[str, str], codes: set):
        self.result, self.header, self.known_units, self.codes = result, header, known_units, codes
        self.columns: dict[str, int] = {}
        self.unknown_units: dict[str, tuple[int, str]] = {}

    def error(self, row: int, column: int, value: object, reason: str) -> None:
        header = (self.header[column - 1] or "").strip() if 0 < column <= len(self.header) else ""
        place = f"แถว {row} คอลัมน์ {column_letter(column)} (ที่ {column}) '{header}'" if column else f"แถว {row}"
        self.result.errors.append(CellError(row, column, "" if value is None else str(value), f"{place}: {reason}"))

    def read_header(self, row: int) -> bool:
        for index, text in enumerate(self.header, start=1):
            key = header_key(text)
            if not key:
                continue
            name = HEADERS.get(key)
            if name is None:
                known = ", ".join(f"'{label}'" for label in COLUMN_NAMES.values())
                self.error(row, index, text, f"ไม่รู้จักหัวคอลัมน์นี้ (ใช้ได้: {known})")
            elif name in self.columns and name != "ignored":
                first = self.columns[name]
                self.error(row, index, text, f"ซ้ำกับคอลัมน์ {column_letter(first)} (หมายถึงข้อมูลเดียวกัน)")
            else:
                self.columns.setdefault(name, index)
        for name in REQUIRED:
            if name not in self.columns:
                self.error(row, 0, "", f"ไม่พบคอลัมน์ '{COLUMN_NAMES[name]}'")
        return not self.result.errors

    def cell(self, cells: list[str | None], name: str) -> str | None:
        index = self.columns.get(name)
        if index is None or index > len(cells):
            return None
        value = cells[index - 1]
        return value if value is not None and value.strip() else None

    def read_row(self, row: int, cells: list[str | None]) -> None:
        title = self.cell(cells, "title")
        used = [name for name in COLUMN_NAMES if name != "title" and self.cell(cells, name)]
        if title is None and not used:
            return  # a blank row (or one holding only a running number)
        self.result.rows += 1
        if title is not None:
            self.result.measures.append(ImportedMeasure(row=row, title=normalize_text(title)))
        elif not self.result.measures:
            self.error(row, self.columns["title"], "", "ไม่ได้ระบุมาตรการ/แนวทาง")
            return
        measure = self.result.measures[-1]
        measure.steps += parse_steps(self.cell(cells, "steps"))
        self._monitoring(measure, self.cell(cells, "monitoring"))
        self._units(row, measure, self.cell(cells, "responsible"))
        self._period(row, measure, self.cell(cells, "period"))
        self._answers(row, measure, self.cell(cells, "answers"))

    def _monitoring(self, measure: ImportedMeasure, text: str | None) -> None:
        if text:
            measure.monitoring = "\n".join(part for part in (measure.monitoring, normalize_text(text)) if part)

    def _units(self, row: int, measure: ImportedMeasure, text: str | None) -> None:
        if not text:
            return
        matched, unknown = split_units(text, self.known_units)
        for name in unknown:
            self.unknown_units.setdefault(unit_key(name), (row, name))
        measure.units += [name for name in matched if name not in measure.units]

    def _period(self, row: int, measure: ImportedMeasure, text: str | None) -> None:
        if not text:
            return
        column = self.columns["period"]
        if measure.period is not None:
            self.error(row, column, text, f"มาตรการในแถว {measure.row} มีระยะเวลาดำเนินการแล้ว")
            return
        try:
            measure.period = parse_period(text)
        except ThaiValueError as error:
            self.error(row, column, text, str(error))
            return
        fiscal_year = self.result.plan.fiscal_year
        period = measure.period
        measure.period_text = period_text(fiscal_year, period.kind, period.start, period.end)
        if period.stated_year is not None and period.stated_year != fiscal_year:
            self.result.notes.append(
                f"แถว {row}: ระยะเวลา '{text.strip()}' เป็นของปีงบประมาณ {format_number(period.stated_year)} "
                f"จะบันทึกเป็นเดือนเดียวกันในปีงบประมาณ {format_number(fiscal_year)} ({measure.period_text})"
            )

    def _answers(self, row: int, measure: ImportedMeasure, text: str | None) -> None:
        if not text:
            return
        column = self.columns["answers"]
        try:
            codes, numbers = parse_answers(text)
        except ThaiValueError as error:
            self.error(row, column, text, str(error))
            return
        missing = [code for code in codes if code not in self.codes]
        if missing:
            year = format_number(self.result.plan.based_on.fiscal_year)
            listed = ", ".join(code.upper() for code in missing)
            self.error(row, column, text, f"ไม่มีข้อ {listed} ในกรอบการประเมินปี {year} (ปีที่มาตรการนี้วิเคราะห์)")
            return
        measure.item_codes += [code for code in codes if code not in measure.item_codes]
        measure.indicators += [number for number in numbers if number not in measure.indicators]

    def finish(self) -> None:
        for measure in self.result.measures:
            if measure.period is None and not self._has_error(measure.row, self.columns["period"]):
                self.error(measure.row, self.columns["period"], "", "ไม่ได้ระบุระยะเวลาดำเนินการ")
            if len(measure.responsible) > RESPONSIBLE_MAX:
                self.error(measure.row, self.columns["responsible"], measure.responsible, "ผู้รับผิดชอบยาวเกิน ๒๕๕ ตัวอักษร")
        for key, (row, name) in self.unknown_units.items():
            if self.result.create_units:
                self.result.new_units.append(name)
                self.known_units[key] = name
            else:
                known = ", ".join(sorted(set(self.known_units.values())))
                self.error(
                    row,
                    self.columns["responsible"],
                    name,
                    f"ไม่พบส่วนราชการ '{name}' ของหน่วยงานนี้ (มี: {known}) หากเป็นส่วนราชการใหม่ ให้ใช้ --create-units",
                )

    def _has_error(self, row: int, column: int) -> bool:
        return any(error.row == row and error.column == column for error in self.result.errors)


def _known_units(organization_id: int) -> dict[str, str]:
    """unit_key → name of the organisation's units (the default list when it has none yet; it is created on apply)."""
    return {unit_key(name): name for name in OrgUnit.objects.names_for(organization_id)}


def plan_measure_import(
    table: Table, plan: MeasurePlan, *, create_units: bool = False, filename: str = ""
) -> MeasureImportPlan:
    """Validate every row of a read table as measures for the (draft) plan and preview them; writes nothing."""
    result = MeasureImportPlan(plan=plan, filename=filename, create_units=create_units)
    result.existing = Measure.objects.filter(plan=plan).count()
    first = next((i for i, row in enumerate(table.rows) if any(c and c.strip() for c in row)), None)
    if first is None:
        result.errors.append(CellError(1, 0, "", "ไฟล์ว่าง ไม่พบแถวหัวคอลัมน์"))
        return result
    header = table.rows[first]
    codes = set(Item.objects.filter(framework_id=plan.based_on.framework_id).values_list("code", flat=True))
    reader = _Reader(result, header, _known_units(plan.organization_id), codes)
    for error in table.errors:
        reader.error(error.row, error.column, error.value, error.message)
    if not reader.read_header(first + 1):
        return result
    for index in range(first + 1, len(table.rows)):
        reader.read_row(index + 1, table.rows[index])
    reader.finish()
    if not result.measures and not result.errors:
        result.errors.append(CellError(first + 1, 0, "", f"แถว {first + 1}: ไม่พบมาตรการใต้แถวหัวคอลัมน์"))
    return result


# ---------------------------------------------------------------------------------------------
# Phase 2: write


def apply_measure_import(result: MeasureImportPlan, *, by=None) -> list[Measure]:
    """Append the previewed measures (and any new units) to the plan in one transaction; refuse if errors.

    With `by`, the user must be allowed to edit the plan (staff of its organisation or an administrator).
    """
    if result.errors:
        raise MeasureImportRefused(f"ไม่สามารถบันทึกได้ เพราะพบข้อผิดพลาด {len(result.errors):,} รายการ")
    with transaction.atomic():
        # The row lock makes a concurrent submit/approve wait, so the status checked here still holds at commit.
        plan = MeasurePlan.objects.select_for_update().select_related("organization").get(pk=result.plan.pk)
        _check_draft(plan)
        if by is not None and not plan.editable_by(by):
            raise PlanPermissionDenied(_("คุณไม่มีสิทธิ์แก้ไขมาตรการฉบับนี้"))
        _create_units(plan.organization, result.new_units)
        last = Measure.objects.filter(plan=plan).aggregate(last=Max("order"))["last"]
        start = 0 if last is None else last + 1
        created = Measure.objects.bulk_create(
            [_measure(plan, start + offset, imported) for offset, imported in enumerate(result.measures)]
        )
    return created


def _create_units(organization: Organization, names: list[str]) -> None:
    # The default list the preview matched against is stored too, so the new units join it.
    OrgUnit.objects.ensure_defaults(organization)
    if not names:
        return
    units = OrgUnit.objects.for_organization(organization)
    last = units.aggregate(last=Max("order"))["last"] or 0
    OrgUnit.objects.bulk_create(
        [OrgUnit(organization=organization, name=name, order=last + i) for i, name in enumerate(names, start=1)],
        ignore_conflicts=True,
    )


def _measure(plan: MeasurePlan, order: int, imported: ImportedMeasure) -> Measure:
    period = imported.period
    return Measure(
        plan=plan,
        order=order,
        title=imported.title,
        steps=imported.steps,
        responsible=imported.responsible,
        period_kind=period.kind,
        start_month=period.start,
        end_month=period.end,
        monitoring=imported.monitoring,
        item_codes=imported.item_codes,
        indicators=imported.indicators,
    )
