"""ITAS results into the database in two phases: plan_import validates and previews, apply_import writes.

plan_import reads the database (a fixed number of bulk queries, whatever the row count) and never
writes; every problem in the file becomes an error naming row, column and value. apply_import refuses
a plan with errors, then writes everything in one transaction, or nothing.

Decisions:
- A blank cell is no value: it is never stored and never erases a stored value.
- Re-importing an unchanged file touches no Score or Assessment row, but still records an
  ImportBatch (with zero counts) so the log shows who imported which file and when. Score.batch
  keeps pointing at the batch that last changed the value.
- The official level is stored as the framework's own label ("ผ่าน ดี" in a file is stored as
  "ผ่านดี"), so that comparing it with the computed level is exact.
- A stored Score value that an import replaces keeps its history (a ScoreRevision naming the old
  value, its source, who entered it and when, and the batch that replaced it). The official
  overall and level live on the Assessment, not in Score, and have no history rows.

Speed: the national table (8,300 organisations × ~90 values) is planned with a fixed number of
bulk queries and written by ita.importers.write (COPY + upsert on PostgreSQL). The per-value loops
here have fast paths for the common cases (a new assessment, an unchanged one), because they run
three quarters of a million times; bench/import_national.py measures the whole path.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from ita import audit
from ita.grading.assess import grade_assessment
from ita.grading.inputs import spec_from_framework
from ita.grading.rules import Scores, level_key, unknown_level_message
from ita.importers.columns import RowData, Shape, detect_shape, row_values
from ita.importers.errorlog import ErrorLog
from ita.importers.parse import CellError, Table, column_letter
from ita.importers.write import ScoreWrite, save_assessments, write_scores
from ita.models import Assessment, Framework, GradeLevel, ImportBatch, Indicator, Item, Organization, Score
from ita.models.organizations import CODE_MESSAGE, CODE_REGEX
from ita.thai import format_number, round_score

CODE_PATTERN = re.compile(CODE_REGEX)

SAMPLE_SIZE = 50
# Bulk lookups are split so that an `IN (...)` list stays well under every backend's parameter limit.
CHUNK = 500
# Where there is no such limit (PostgreSQL), larger lists: each chunk of a national import costs a scan.
LARGE_CHUNK = 10_000
# The official overall and level are stored on the Assessment; in an entry they sit beside the scores.
OFFICIAL_KIND = "official"
OVERALL_KEY = (OFFICIAL_KIND, "overall")
LEVEL_KEY = (OFFICIAL_KIND, "level")
OFFICIAL_FIELDS = ((OVERALL_KEY, "official_overall"), (LEVEL_KEY, "official_level"))

ValueKey = tuple[str, str]  # (kind, code): ("item", "o27"), ("tool", "EIT1"), ("official", "level") …
EntryKey = tuple[str, int]  # (organisation code, fiscal year)
Value = Decimal | str
# progress(done, total): rows of the file dealt with so far, of plan.rows. plan_import calls it every
# PROGRESS_EVERY rows; apply_import scales the values written and assessments regraded to rows, so
# one bar can show both phases.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000


class ImportRefused(ValueError):
    """apply_import was asked to write a plan it must not write; str() is a Thai message."""


@dataclass(frozen=True)
class ValueChange:
    """One value the import adds or changes; old is None for a value not stored before."""

    org_code: str
    fiscal_year: int
    key: ValueKey
    old: Value | None
    new: Value

    def __str__(self) -> str:
        return (
            f"{self.org_code} ปี {format_number(self.fiscal_year)} {value_label(self.key)}: "
            f"{_shown(self.old)} → {_shown(self.new)}"
        )


@dataclass
class Entry:
    """Everything the file says about one organisation in one year, and the row each value came from."""

    first_row: int
    values: dict[ValueKey, Value] = field(default_factory=dict)
    # Only values that came from a row other than first_row: a wide file never needs one.
    rows: dict[ValueKey, int] = field(default_factory=dict)

    def row_of(self, key: ValueKey) -> int:
        return self.rows.get(key, self.first_row)


@dataclass
class NewOrganization:
    code: str
    name: str
    province: str
    district: str = ""
    org_type: str = Organization.Type.OTHER


@dataclass
class ImportPlan:
    """What an import would do (the preview) and every error that forbids it."""

    filename: str
    sha256: str
    user: object = None
    rows: int = 0
    # The first errorlog.ERRORS_KEPT errors in (row, column) order; errors_more counts the rest.
    errors: list[CellError] = field(default_factory=list)
    errors_more: int = 0
    entries: dict[EntryKey, Entry] = field(default_factory=dict)
    new_organizations: dict[str, NewOrganization] = field(default_factory=dict)
    framework_ids: dict[int, int] = field(default_factory=dict)
    assessments_to_create: int = 0
    assessments_to_change: int = 0
    values_created: int = 0
    values_changed: int = 0
    values_unchanged: int = 0
    changes: list[ValueChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors_total(self) -> int:
        return len(self.errors) + self.errors_more

    def summary_lines(self) -> list[str]:
        """The preview in Thai: counts, a sample of changes, then every error."""
        lines = [
            f"ไฟล์ {self.filename}: ข้อมูล {self.rows:,} แถว",
            f"หน่วยงานที่จะสร้างใหม่: {len(self.new_organizations):,}",
            f"ผลการประเมินที่จะสร้างใหม่: {self.assessments_to_create:,} · ที่จะเปลี่ยนแปลง: {self.assessments_to_change:,}",
            f"คะแนนที่จะเพิ่มใหม่: {self.values_created:,} · ที่จะเปลี่ยนค่า: {self.values_changed:,} "
            f"· ที่ไม่เปลี่ยน: {self.values_unchanged:,}",
        ]
        if self.changes:
            lines.append(f"ตัวอย่างการเปลี่ยนแปลง ({len(self.changes):,} รายการแรก):")
            lines += [f"  {change}" for change in self.changes]
        if self.errors:
            lines.append(f"พบข้อผิดพลาด {self.errors_total:,} รายการ จึงไม่บันทึกข้อมูลใด ๆ:")
            lines += [f"  {error.message}" for error in self.errors]
        if self.errors_more:
            lines.append(f"  … และข้อผิดพลาดอีก {self.errors_more:,} รายการที่ไม่ได้แสดง")
        return lines


def value_label(key: ValueKey) -> str:
    """How a value is named to the user: "คะแนนรวม", "ระดับ", "IIT", "ตัวชี้วัดที่ ๗", "ข้อ o27"."""
    kind, code = key
    if key == OVERALL_KEY:
        return "คะแนนรวม"
    if key == LEVEL_KEY:
        return "ระดับ"
    if kind == Score.Kind.INDICATOR:
        return f"ตัวชี้วัดที่ {format_number(code)}"
    if kind == Score.Kind.ITEM:
        return f"ข้อ {code}"
    return code


def _shown(value: Value | None) -> str:
    if value is None:
        return "–"
    return format(round_score(value), "f") if isinstance(value, Decimal) else value


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _without_gc(function):
    """Run function with the cyclic garbage collector paused.

    A national import holds millions of live objects (cells, values, keys) and creates more in tight
    loops; each automatic collection walks them all and frees nothing, which cost a fifth of the time.
    """

    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


def _lookup_chunk() -> int:
    """How many ids one IN (...) lookup may carry on this database."""
    return CHUNK if connection.features.max_query_params else LARGE_CHUNK


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


# --- what the database already knows ------------------------------------------------------------


@dataclass
class _Catalogue:
    """The frameworks of the file's years: their ids, item codes, indicator numbers and level labels."""

    frameworks: dict[int, int] = field(default_factory=dict)
    items: dict[int, set[str]] = field(default_factory=dict)
    indicators: dict[int, set[str]] = field(default_factory=dict)
    levels: dict[int, dict[str, str]] = field(default_factory=dict)
    # Every (kind, code) a row of that year may carry: one set lookup per row in the common case.
    allowed: dict[int, set[ValueKey]] = field(default_factory=dict)

    @classmethod
    def load(cls, years: set[int]) -> _Catalogue:
        catalogue = cls()
        if not years:
            return catalogue
        found = Framework.objects.filter(fiscal_year__in=years, source=Framework.Source.NACC_ITAS)
        catalogue.frameworks = dict(found.order_by().values_list("fiscal_year", "pk"))
        ids = list(catalogue.frameworks.values())
        for year in catalogue.frameworks:
            catalogue.items[year], catalogue.indicators[year], catalogue.levels[year] = set(), set(), {}
        items = Item.objects.filter(framework_id__in=ids).order_by()
        for year, code in items.values_list("framework__fiscal_year", "code"):
            catalogue.items[year].add(code)
        indicators = Indicator.objects.filter(framework_id__in=ids).order_by()
        for year, number in indicators.values_list("framework__fiscal_year", "number"):
            catalogue.indicators[year].add(str(number))
        # In the scheme's order, highest first: an error lists the labels as the scheme does.
        levels = GradeLevel.objects.filter(framework_id__in=ids).order_by("order", "-min_overall")
        for year, label in levels.values_list("framework__fiscal_year", "label"):
            catalogue.levels[year][level_key(label)] = label
        tools = {(Score.Kind.TOOL.value, code) for code in Score.TOOL_CODES}
        for year in catalogue.frameworks:
            catalogue.allowed[year] = (
                tools
                | {(Score.Kind.ITEM.value, code) for code in catalogue.items[year]}
                | {(Score.Kind.INDICATOR.value, number) for number in catalogue.indicators[year]}
            )
        return catalogue


@dataclass
class _State:
    """The stored organisations, assessments and values an import is compared with."""

    org_ids: dict[str, int] = field(default_factory=dict)
    assessment_ids: dict[EntryKey, int] = field(default_factory=dict)
    stored: dict[int, dict[ValueKey, Value]] = field(default_factory=dict)
    # assessment id → (kind, code) → id of the Score row holding that value.
    score_ids: dict[int, dict[ValueKey, int]] = field(default_factory=dict)

    def stored_for(self, key: EntryKey) -> dict[ValueKey, Value]:
        assessment_id = self.assessment_ids.get(key)
        return self.stored.get(assessment_id, {}) if assessment_id else {}


def _load_state(codes: set[str], years: set[int], *, scores: bool = True) -> _State:
    """Organisations by code, their assessments of the given years, and (unless scores=False) their values."""
    state = _State()
    size = _lookup_chunk()
    for chunk in _chunks(sorted(codes), size):
        state.org_ids.update(Organization.objects.filter(code__in=chunk).values_list("code", "pk"))
    codes_by_id = {pk: code for code, pk in state.org_ids.items()}
    for chunk in _chunks(sorted(codes_by_id), size):
        rows = (
            Assessment.objects.filter(organization_id__in=chunk, fiscal_year__in=years)
            .order_by()
            .values_list("pk", "organization_id", "fiscal_year", "official_overall", "official_level")
        )
        for pk, org_id, year, overall, level in rows:
            state.assessment_ids[(codes_by_id[org_id], year)] = pk
            official = {OVERALL_KEY: overall, LEVEL_KEY: level or None}
            state.stored[pk] = {key: value for key, value in official.items() if value is not None}
    if scores:
        _load_scores(state, size)
    return state


def _load_scores(state: _State, size: int) -> None:
    # A national table holds ~750,000 values but only ~90 distinct keys and a few thousand distinct
    # values: sharing one object for each keeps the state to a fraction of the memory.
    keys: dict[ValueKey, ValueKey] = {}
    values: dict[Decimal, Decimal] = {}
    for chunk in _chunks(sorted(state.stored), size):
        rows = (
            Score.objects.filter(assessment_id__in=chunk)
            .order_by()
            .values_list("pk", "assessment_id", "kind", "code", "value")
        )
        # Streamed (a server-side cursor on PostgreSQL): fetching 750,000 rows at once would double the peak memory.
        for pk, assessment_id, kind, code, value in rows.iterator(chunk_size=20_000):
            key = keys.setdefault((kind, code), (kind, code))
            state.stored[assessment_id][key] = values.setdefault(value, value)
            ids = state.score_ids.get(assessment_id)
            if ids is None:
                ids = state.score_ids[assessment_id] = {}
            ids[key] = pk


# --- phase 1: plan ------------------------------------------------------------------------------


@_without_gc
def plan_import(
    table: Table,
    *,
    filename: str,
    sha256: str,
    user=None,
    create_orgs: bool = False,
    only_organization: Organization | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Validate every row of a read table against the database and preview the import; writes nothing.

    The table is consumed: each data row is released once parsed (only the header is left), so that a
    large file's cells and their parsed values are never in memory together.
    """
    plan = ImportPlan(filename=filename, sha256=sha256, user=user)
    log = ErrorLog(errors=table.errors)
    _plan_rows(plan, log, table, create_orgs, only_organization, progress)
    plan.errors, plan.errors_more = log.kept(), log.more
    return plan


def _plan_rows(plan: ImportPlan, log: ErrorLog, table: Table, create_orgs: bool, only, progress) -> None:
    if not table.rows:
        log.add(CellError(1, 0, "", "ไฟล์ว่าง ไม่พบแถวหัวคอลัมน์"))
        return
    shape = detect_shape(table.rows[0])
    if shape.errors:
        log.extend(CellError(1, 0, "", f"แถว 1 (หัวคอลัมน์): {message}") for message in shape.errors)
        return
    columns = _columns(shape)
    # Cells the reader or the row parser already reported, of the two columns a missing value is reported for.
    watched = {columns["org_code"], columns["fiscal_year"]}
    bad_cells = {(error.row, error.column) for error in table.errors if error.column in watched}
    parsed = _parse_rows(shape, table.rows, plan, log, watched, bad_cells)
    years = {data.fiscal_year for _number, data in parsed if data.fiscal_year is not None}
    codes = {data.org_code for _number, data in parsed if data.org_code}
    catalogue = _Catalogue.load(years)
    state = _load_state(codes, years)
    plan.framework_ids = {year: catalogue.frameworks[year] for year in years if year in catalogue.frameworks}
    checker = _RowChecker(plan, shape, catalogue, state, only, log=log, bad_cells=bad_cells)
    for done, (number, data) in enumerate(parsed, start=1):
        checker.check(number, data)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, plan.rows)
    checker.settle_unknown_organizations(create_orgs)
    _preview(plan, state)
    if progress is not None:
        progress(plan.rows, plan.rows)


def _parse_rows(
    shape: Shape, rows: list[list[str | None]], plan: ImportPlan, log: ErrorLog, watched: set[int], bad_cells: set
) -> list[tuple[int, RowData]]:
    parsed = []
    # One string per distinct organisation code: a long file repeats a few codes hundreds of thousands of times.
    codes: dict[str, str] = {}
    for index in range(1, len(rows)):
        number, cells = index + 1, rows[index]
        rows[index] = _RELEASED  # this row's cells are garbage from here on
        data, errors = row_values(shape, cells, number)
        for error in errors:
            log.add(error)
            if error.column in watched:
                bad_cells.add((error.row, error.column))
        if data.is_empty() and not errors:
            continue
        if data.org_code:
            data.org_code = codes.setdefault(data.org_code, data.org_code)
        plan.rows += 1
        parsed.append((number, data))
    del rows[1:]
    return parsed


_RELEASED: list[str | None] = []


def _columns(shape: Shape) -> dict[object, int]:
    """1-based column of each field; a long file's values all live in its "what" column."""
    columns: dict[object, int] = {}
    for index, found in shape.columns.items():
        columns.setdefault(found.kind, index + 1)
        if found.code:
            columns[(found.kind, found.code)] = index + 1
    return columns


class _RowChecker:
    """Checks rows against the catalogue and the stored state, and gathers valid rows into plan.entries."""

    def __init__(
        self, plan: ImportPlan, shape: Shape, catalogue: _Catalogue, state: _State, only, *, log: ErrorLog, bad_cells
    ) -> None:
        self.plan, self.shape, self.catalogue, self.state, self.only = plan, shape, catalogue, state, only
        self.log, self.bad_cells = log, bad_cells
        self.columns = _columns(shape)
        # Unknown organisation code → (first row, what the rows say about it).
        self.unknown: dict[str, tuple[int, dict[str, str]]] = {}

    def error(self, row: int, column: int, value: object, reason: str) -> None:
        header = self.shape.header_of(column - 1) if column else ""
        place = f"แถว {row} คอลัมน์ {column_letter(column)} (ที่ {column}) '{header}'" if column else f"แถว {row}"
        self.log.add(CellError(row, column, "" if value is None else str(value), f"{place}: {reason}"))

    def column_of(self, key: ValueKey) -> int:
        if key == OVERALL_KEY:
            return self.columns.get("overall") or self.columns.get("what", 0)
        if key == LEVEL_KEY:
            return self.columns.get("level") or self.columns.get("what", 0)
        return self.columns.get(key) or self.columns.get("what", 0)

    def check(self, row: int, data: RowData) -> None:
        code, year = data.org_code, data.fiscal_year
        if not code and (row, self.columns["org_code"]) not in self.bad_cells:
            self.error(row, self.columns["org_code"], "", "ไม่ได้ระบุรหัสหน่วยงาน")
        if year is None and (row, self.columns["fiscal_year"]) not in self.bad_cells:
            self.error(row, self.columns["fiscal_year"], "", "ไม่ได้ระบุปีงบประมาณ")
        if not code or year is None or not self._organization_ok(row, data):
            return
        if year not in self.catalogue.frameworks:
            self.error(
                row, self.columns["fiscal_year"], year, f"ไม่มีกรอบการประเมินของปีงบประมาณ {format_number(year)} ในระบบ"
            )
            return
        values = self._row_values(row, data, year)
        if values is not None:
            self._merge(row, (code, year), values)

    def _organization_ok(self, row: int, data: RowData) -> bool:
        code = data.org_code
        if self.only is not None and code != self.only.code:
            reason = f"เป็นข้อมูลของหน่วยงานรหัส {code} แต่นำเข้าได้เฉพาะ {self.only.name} (รหัส {self.only.code})"
            self.error(row, self.columns["org_code"], code, reason)
            return False
        if code not in self.state.org_ids:
            _first_row, info = self.unknown.setdefault(code, (row, {}))
            for name in ("org_name", "province", "district", "org_type"):
                if getattr(data, name) and name not in info:
                    info[name] = getattr(data, name)
        return True

    def _row_values(self, row: int, data: RowData, year: int) -> dict[ValueKey, Value] | None:
        # The row's own dict becomes the entry's values: the row is parsed once and never reused.
        values: dict[ValueKey, Value] = data.values  # type: ignore[assignment]
        ok = True
        if not values.keys() <= self.catalogue.allowed[year]:
            for kind, code in [key for key in values if key not in self.catalogue.allowed[year]]:
                label = value_label((kind, code))
                self.error(
                    row, self.column_of((kind, code)), code, f"{label} ไม่มีในกรอบการประเมินปี {format_number(year)}"
                )
                ok = False
        if data.official_overall is not None:
            values[OVERALL_KEY] = data.official_overall
        if data.official_level:
            label = self.catalogue.levels[year].get(level_key(data.official_level))
            if label is None:
                reason = unknown_level_message(data.official_level, year, self.catalogue.levels[year].values())
                self.error(row, self.column_of(LEVEL_KEY), data.official_level, reason)
                ok = False
            else:
                values[LEVEL_KEY] = label
        return values if ok else None

    def _merge(self, row: int, key: EntryKey, values: dict[ValueKey, Value]) -> None:
        entry = self.plan.entries.get(key)
        if entry is None:
            # A wide file's only row for this entry: its values are the entry's, as they are.
            self.plan.entries[key] = Entry(first_row=row, values=values)
            return
        for value_key, value in values.items():
            earlier = entry.values.get(value_key)
            if earlier is None:
                entry.values[value_key] = value
                if row != entry.first_row:
                    entry.rows[value_key] = row
            elif earlier != value:
                reason = (
                    f"{value_label(value_key)} ของหน่วยงาน {key[0]} ปี {format_number(key[1])} ซ้ำกับแถว "
                    f"{entry.row_of(value_key)} แต่ค่าไม่ตรงกัน ({_shown(earlier)} กับ {_shown(value)})"
                )
                self.error(row, self.column_of(value_key), _shown(value), reason)

    def settle_unknown_organizations(self, create_orgs: bool) -> None:
        """An unknown code becomes a new organisation only when asked to and when its name and province are given."""
        column = self.columns["org_code"]
        for code, (row, info) in self.unknown.items():
            if not create_orgs:
                self.error(row, column, code, f"ไม่พบหน่วยงานรหัส {code} ในระบบ (หากเป็นหน่วยงานใหม่ ให้เลือกสร้างหน่วยงานใหม่)")
            elif not valid_new_code(code):
                self.error(row, column, code, f"สร้างหน่วยงานรหัส {code} ไม่ได้: {CODE_MESSAGE} ยาวไม่เกิน ๓๒ ตัวอักษร")
            elif not (info.get("org_name") and info.get("province")):
                reason = f"หน่วยงานรหัส {code} ยังไม่มีในระบบ และไม่ได้ระบุชื่อหน่วยงานและจังหวัดที่ต้องใช้สร้างหน่วยงานใหม่"
                self.error(row, column, code, reason)
            else:
                self.plan.new_organizations[code] = NewOrganization(
                    code=code,
                    name=info["org_name"],
                    province=info["province"],
                    district=info.get("district", ""),
                    org_type=organization_type(info.get("org_type", ""), info["org_name"]),
                )


def valid_new_code(code: str) -> bool:
    """Whether a new organisation may take this code (the model's rule and the database's check)."""
    return len(code) <= Organization._meta.get_field("code").max_length and CODE_PATTERN.match(code) is not None


def organization_type(type_text: str, name: str) -> str:
    """The Organization.Type a file's type cell (or, failing that, the name's prefix) means; OTHER when unclear."""
    labels = {_squash(str(label)): value for value, label in Organization.Type.choices}
    if type_text and _squash(type_text) in labels:
        return labels[_squash(type_text)]
    squashed = _squash(name)
    for label, value in sorted(labels.items(), key=lambda pair: -len(pair[0])):
        if squashed.startswith(label):
            return value
    return Organization.Type.OTHER


def _preview(plan: ImportPlan, state: _State) -> None:
    """Count what would be created, changed and left alone, keeping a sample of changes."""
    for key, entry in plan.entries.items():
        stored = state.stored_for(key)
        if key not in state.assessment_ids:
            plan.assessments_to_create += 1
        if entry.values.items() <= stored.items():
            plan.values_unchanged += len(entry.values)  # the common case of a re-import, at C speed
            continue
        if key in state.assessment_ids:
            plan.assessments_to_change += 1
        if not stored and len(plan.changes) >= SAMPLE_SIZE:
            plan.values_created += len(entry.values)  # a new assessment: every value is new
            continue
        for value_key, value in entry.values.items():
            old = stored.get(value_key)
            if old == value:
                plan.values_unchanged += 1
                continue
            if old is None:
                plan.values_created += 1
            else:
                plan.values_changed += 1
            if len(plan.changes) < SAMPLE_SIZE:
                plan.changes.append(ValueChange(key[0], key[1], value_key, old, value))


# --- phase 2: apply -----------------------------------------------------------------------------


@dataclass
class _Writes:
    """What apply_import writes, decided once in Python for every backend before anything is written."""

    scores: list[ScoreWrite] = field(default_factory=list)
    officials: dict[int, dict[ValueKey, Value]] = field(default_factory=dict)
    values_created: int = 0
    values_changed: int = 0
    values_unchanged: int = 0
    touched: set[int] = field(default_factory=set)


class _ApplyProgress:
    """Reports apply_import's units of work (values written, then assessments regraded) as rows of the file."""

    def __init__(self, progress: Progress | None, rows: int, units: int) -> None:
        self.progress, self.rows, self.units = progress, rows, max(units, 1)

    def __call__(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(self.rows, self.rows * done // self.units), self.rows)


@_without_gc
def apply_import(plan: ImportPlan, *, user=None, progress: Progress | None = None) -> ImportBatch:
    """Write a validated plan in one transaction and grade what changed; ImportRefused if it has errors."""
    if plan.errors:
        raise ImportRefused(f"ไม่สามารถบันทึกได้ เพราะพบข้อผิดพลาด {plan.errors_total:,} รายการ")
    user = user if user is not None else plan.user
    codes = {code for code, _year in plan.entries}
    years = {year for _code, year in plan.entries}
    with transaction.atomic():
        # Serialises two imports of the same year on PostgreSQL; SQLite ignores it (its writes serialise anyway).
        locked = Framework.objects.select_for_update().filter(pk__in=plan.framework_ids.values()).order_by("pk")
        frameworks = {framework.pk: framework for framework in locked}
        batch = ImportBatch.objects.create(
            filename=plan.filename[:255], sha256=plan.sha256, created_by=user, rows=plan.rows
        )
        batch.organizations_created = _create_organizations(plan, codes)
        existing = _load_state(codes, years, scores=False)
        _lock_assessments(existing.assessment_ids.values())
        batch.assessments_created = _create_assessments(plan, existing, user)
        # Read again inside the transaction: ids of the new rows, and values as they are now, not at preview.
        state = _load_state(codes, years)
        writes = _collect_writes(plan, state)
        steps = _ApplyProgress(progress, plan.rows, len(writes.scores) + len(writes.touched))
        write_scores(writes.scores, batch=batch, user=user, now=timezone.now(), on_chunk=steps)
        _update_assessments(state, writes, frameworks, user, on_chunk=lambda done: steps(len(writes.scores) + done))
        audit.record_import(batch=batch, user=user, **_history(existing, state, writes))
        batch.assessments_changed = len(writes.touched & set(existing.assessment_ids.values()))
        batch.values_created, batch.values_changed = writes.values_created, writes.values_changed
        batch.values_unchanged = writes.values_unchanged
        batch.save()
    if progress is not None:
        progress(plan.rows, plan.rows)
    return batch


def _history(existing: _State, state: _State, writes: _Writes) -> dict:
    """What the audit history needs of an import, per touched assessment (ita.audit.record_import)."""
    counts: dict[int, list[int]] = {}
    for write in writes.scores:
        pair = counts.setdefault(write.assessment_id, [0, 0])
        pair[write.replaces is not None] += 1
    organizations = {
        pk: state.org_ids[code] for (code, _year), pk in state.assessment_ids.items() if pk in writes.touched
    }
    before = existing.stored
    officials = {
        pk: {
            name: (before.get(pk, {}).get(key), value)
            for key, name in OFFICIAL_FIELDS
            if (value := found.get(key)) is not None
        }
        for pk, found in writes.officials.items()
    }
    return {
        "organizations": organizations,
        "new": set(organizations) - set(existing.assessment_ids.values()),
        "counts": {pk: (pair[0], pair[1]) for pk, pair in counts.items()},
        "officials": officials,
    }


def _lock_assessments(ids: Iterable[int]) -> None:
    """Hold the stored assessments the import may change until it commits (PostgreSQL; SQLite ignores it).

    The values read next then stay as read: a score form saved meanwhile waits, then finds its
    version moved on (StaleAssessmentError) instead of interleaving with the import.
    """
    for chunk in _chunks(sorted(ids), _lookup_chunk()):
        list(Assessment.objects.select_for_update().filter(pk__in=chunk).order_by().values_list("pk", flat=True))


def _create_organizations(plan: ImportPlan, codes: set[str]) -> int:
    existing: set[str] = set()
    for chunk in _chunks(sorted(codes)):
        existing.update(Organization.objects.filter(code__in=chunk).values_list("code", flat=True))
    missing = codes - existing
    gone = sorted(missing - set(plan.new_organizations))
    if gone:
        raise ImportRefused(f"ไม่พบหน่วยงานรหัส {', '.join(gone[:10])} (อาจถูกลบไประหว่างการนำเข้า) กรุณาตรวจสอบไฟล์อีกครั้ง")
    new = [plan.new_organizations[code] for code in sorted(missing)]
    Organization.objects.bulk_create(
        [
            Organization(code=o.code, name=o.name, province=o.province, district=o.district, org_type=o.org_type)
            for o in new
        ],
        batch_size=1000,
    )
    return len(new)


def _create_assessments(plan: ImportPlan, state: _State, user) -> int:
    missing = [key for key in plan.entries if key not in state.assessment_ids]
    new = [
        Assessment(
            organization_id=state.org_ids[code],
            framework_id=plan.framework_ids[year],
            fiscal_year=year,
            updated_by=user,
        )
        for code, year in missing
    ]
    Assessment.objects.bulk_create(new, batch_size=1000)
    return len(missing)


def _collect_writes(plan: ImportPlan, state: _State) -> _Writes:
    """Compare every value with what is stored; only new or different values become writes."""
    writes = _Writes()
    for key, entry in plan.entries.items():
        assessment_id = state.assessment_ids[key]
        stored = state.stored.setdefault(assessment_id, {})
        if entry.values.items() <= stored.items():
            writes.values_unchanged += len(entry.values)  # nothing to write for this assessment
            continue
        writes.touched.add(assessment_id)
        if not stored:
            _all_new(writes, assessment_id, entry.values)
            stored.update(entry.values)
            continue
        score_ids = state.score_ids.get(assessment_id, {})
        for value_key, value in entry.values.items():
            old = stored.get(value_key)
            if old == value:
                writes.values_unchanged += 1
                continue
            writes.values_created += old is None
            writes.values_changed += old is not None
            stored[value_key] = value  # grading below must see the new value
            if value_key == OVERALL_KEY or value_key == LEVEL_KEY:
                writes.officials.setdefault(assessment_id, {})[value_key] = value
            else:
                kind, code = value_key
                writes.scores.append(ScoreWrite(assessment_id, kind, code, value, score_ids.get(value_key)))
    return writes


def _all_new(writes: _Writes, assessment_id: int, values: dict[ValueKey, Value]) -> None:
    """Every value of an assessment with nothing stored is new: one comprehension instead of a loop of checks."""
    writes.values_created += len(values)
    for key in (OVERALL_KEY, LEVEL_KEY):
        if key in values:
            writes.officials.setdefault(assessment_id, {})[key] = values[key]
    writes.scores += [
        ScoreWrite(assessment_id, kind, code, value, None)
        for (kind, code), value in values.items()
        if kind != OFFICIAL_KIND
    ]


def _scores(values: dict[ValueKey, Value], official_overall, official_level) -> Scores:
    """Grading input from an assessment's merged values (stored, then overwritten by the import)."""
    by_kind: dict[str, dict] = {Score.Kind.TOOL: {}, Score.Kind.INDICATOR: {}, Score.Kind.ITEM: {}}
    for (kind, code), value in values.items():
        if kind == Score.Kind.INDICATOR:
            by_kind[kind][int(code)] = value
        elif kind in by_kind:
            by_kind[kind][code] = value
    return Scores(
        tools=by_kind[Score.Kind.TOOL],
        indicators=by_kind[Score.Kind.INDICATOR],
        items=by_kind[Score.Kind.ITEM],
        official_overall=official_overall,
        official_level=official_level or None,
    )


def _update_assessments(
    state: _State, writes: _Writes, frameworks: dict[int, Framework], user, *, on_chunk: Callable[[int], None]
) -> None:
    """Store new official results, regrade every touched assessment, and move their versions on."""
    specs = {pk: spec_from_framework(framework) for pk, framework in frameworks.items()}
    now, done = timezone.now(), 0
    for chunk in _chunks(sorted(writes.touched), _lookup_chunk() // 5):
        touched = list(Assessment.objects.filter(pk__in=chunk).order_by())
        for assessment in touched:
            official = writes.officials.get(assessment.pk, {})
            assessment.official_overall = official.get(OVERALL_KEY, assessment.official_overall)
            assessment.official_level = official.get(LEVEL_KEY, assessment.official_level)
            # The spec is built once per framework and the values are already in memory: one query per
            # assessment would cost minutes on the national file.
            scores = _scores(state.stored[assessment.pk], assessment.official_overall, assessment.official_level)
            grade_assessment(assessment=assessment, spec=specs[assessment.framework_id], scores=scores, save=False)
            assessment.updated_by, assessment.updated_at = user, now
        save_assessments(touched)
        done += len(touched)
        on_chunk(done)
