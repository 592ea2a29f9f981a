"""Header row → meaning of each column, and one row of text cells → typed values.

Pure Python (no Django): the vocabulary of spellings real exports use lives here, in one table,
so that adding a spelling is a one-line change with a test beside it.

Ambiguity decisions:
- "ITA" alone is the overall score; "i7" is IIT item 7, never indicator 7 (indicators need
  "ตัวชี้วัดที่", "ind" or "indicator" before the number).
- "code" means the organisation code, except in a long file that already has another
  organisation-code column (e.g. "รหัสหน่วยงาน"): there it names what the row's score is.
- "คะแนน" alone is the long format's score column; a wide file must say "คะแนนรวม" for the overall
  score, because guessing would silently store a tool or indicator as the overall.
- "คะแนนที่ได้" ("the score obtained") heads the overall in a file with one row per organisation
  and year, but the per-row score in a table of values; so it is the overall only in a file with no
  "รายการ" (what) column, and the long format's score column in a file that has one. As a long
  file's "what" cell it means nothing (every row's score is "the score obtained").
- Headers are compared with a doubled sara e ("เเ", as NACC's own reports type "คะเเนน ITA") read
  as sara ae ("แ"), since the two look the same and no Thai word has two sara e in a row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from ita.importers.parse import CellError, column_letter
from ita.thai import (
    ThaiValueError,
    fold_sara_e,
    is_item_code,
    normalize_item_code,
    normalize_text,
    parse_fiscal_year,
    parse_score,
    to_arabic_digits,
)

FieldKind = Literal[
    "org_code", "org_name", "org_type", "district", "province", "fiscal_year",
    "overall", "level", "tool", "indicator", "item", "what", "score",
]  # fmt: skip
VALUE_KINDS = ("tool", "indicator", "item")
TOOL_CODES = ("IIT", "EIT", "EIT1", "EIT2", "OIT")


@dataclass(frozen=True)
class Field:
    """What a column (or a long-format "what" cell) holds; code is "EIT1", "7", "i7" or None."""

    kind: FieldKind
    code: str | None = None


# The ten indicators (FRAMEWORK.md §2), stable since 2562, with spellings seen in real documents.
INDICATOR_NAMES: dict[int, str] = {
    1: "การปฏิบัติหน้าที่",
    2: "การใช้งบประมาณ",
    3: "การใช้อำนาจ",
    4: "การใช้ทรัพย์สินของราชการ",
    5: "การแก้ไขปัญหาการทุจริต",
    6: "คุณภาพการดำเนินงาน",
    7: "ประสิทธิภาพการสื่อสาร",
    8: "การปรับปรุงการทำงาน",
    9: "การเปิดเผยข้อมูล",
    10: "การป้องกันการทุจริต",
}
INDICATOR_VARIANTS: dict[int, tuple[str, ...]] = {
    4: ("การใช้ทรัพย์สินของทางราชการ",),
    5: ("การแก้ปัญหาการทุจริต",),
    8: ("การปรับปรุงระบบการทำงาน",),
}
NAME_MIN_RATIO = 0.75
NAME_MIN_MARGIN = 0.1


def normalize_header(text: str | None) -> str:
    """Lower case, any digit or letter width as ASCII, without spaces, underscores, dots or hyphens, เเ as แ."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", to_arabic_digits(str(text))).lower()
    # Spaces go first: "เ เ" between two spaces a user typed still folds.
    return fold_sara_e(re.sub(r"[\s_.\-\u200b\u200c\u200d\ufeff]+", "", text))


def _aliases(kind: FieldKind, code: str | None, *spellings: str) -> dict[str, Field]:
    return {normalize_header(spelling): Field(kind, code) for spelling in spellings}


SCORE_OBTAINED = ("คะแนนที่ได้",)
HEADER_ALIASES: dict[str, Field] = {
    **_aliases("org_code", None, "รหัสหน่วยงาน", "รหัส", "รหัส อปท.", "org_code", "code", "agency_code"),
    **_aliases("org_name", None, "ชื่อหน่วยงาน", "หน่วยงาน", "name", "agency", "organization", "organisation"),
    **_aliases("org_type", None, "ประเภทหน่วยงาน", "ประเภท", "type"),
    **_aliases("district", None, "อำเภอ", "district"),
    **_aliases("province", None, "จังหวัด", "province"),
    **_aliases("fiscal_year", None, "ปีงบประมาณ", "ปีงบประมาณ พ.ศ.", "ปี", "ปี พ.ศ.", "fiscal_year", "year"),
    **_aliases(
        "overall",
        None,
        "คะแนนรวม",
        "คะแนน ITA",
        "คะแนนภาพรวม",
        "คะแนนภาพรวมหน่วยงาน",
        "ITA",
        "Rating Score",
        "overall",
        "total",
    ),
    # Resolved by detect_shape: the overall in a wide file, the score column in a long one.
    **_aliases("overall", None, *SCORE_OBTAINED),
    **_aliases("level", None, "ระดับ", "ระดับผลการประเมิน", "level", "grade"),
    **_aliases("tool", "IIT", "IIT", "คะแนน IIT"),
    **_aliases("tool", "EIT", "EIT", "คะแนน EIT"),
    **_aliases("tool", "EIT1", "EIT ส่วนที่ 1", "EIT1", "EIT Public", "คะแนน EIT ส่วนที่ 1"),
    **_aliases("tool", "EIT2", "EIT ส่วนที่ 2", "EIT2", "EIT Survey", "คะแนน EIT ส่วนที่ 2"),
    **_aliases("tool", "OIT", "OIT", "คะแนน OIT"),
    **_aliases("what", None, "รายการ", "ตัวชี้วัด/ข้อ", "ตัวชี้วัดหรือข้อ", "item"),
    **_aliases("score", None, "คะแนน", "score", "value"),
}
_SCORE_OBTAINED_KEYS = frozenset(normalize_header(spelling) for spelling in SCORE_OBTAINED)
# Words a long-format "what" cell uses for the tools and the two non-score rows.
WHAT_ALIASES: dict[str, Field] = {
    key: value
    for key, value in HEADER_ALIASES.items()
    if value.kind in ("tool", "overall", "level") and key not in _SCORE_OBTAINED_KEYS
}
_INDICATOR = re.compile(r"(?:ตัวชี้วัดที่|ตัวชี้วัด|indicator|ind)(\d{1,2})(.*)")


def _key_for_name(text: str) -> str:
    return fold_sara_e(re.sub(r"\s+", "", unicodedata.normalize("NFKC", to_arabic_digits(text))))


def match_indicator_name(text: str, names: dict[int, str] | None = None) -> int | None:
    """The indicator a (possibly misspelt) name means, or None when no name is clearly closest."""
    key = _key_for_name(text)
    if not key:
        return None
    choices = [
        (
            number,
            [
                _key_for_name(spelling)
                for spelling in (name, *(INDICATOR_VARIANTS.get(number, ()) if names is None else ()))
            ],
        )
        for number, name in (names or INDICATOR_NAMES).items()
    ]
    # A ratio is at most 2·min(len)/(sum of lens): a text far longer than every name cannot reach the
    # minimum, so it is answered without comparing (the comparison costs its length times the name's).
    if not any(
        _ratio_bound(key, spelling) >= NAME_MIN_RATIO for _number, spellings in choices for spelling in spellings
    ):
        return None
    candidates: list[tuple[float, int]] = []
    for number, spellings in choices:
        best = max(SequenceMatcher(None, key, spelling).ratio() for spelling in spellings)
        candidates.append((best, number))
    candidates.sort(reverse=True)
    ratio, number = candidates[0]
    runner_up = candidates[1][0] if len(candidates) > 1 else 0.0
    if ratio >= NAME_MIN_RATIO and ratio - runner_up >= NAME_MIN_MARGIN:
        return number
    return None


def _ratio_bound(first: str, second: str) -> float:
    """The largest SequenceMatcher ratio two texts of these lengths can have (its real_quick_ratio)."""
    return 2 * min(len(first), len(second)) / (len(first) + len(second)) if first or second else 1.0


def _indicator_field(key: str) -> Field | None:
    match = _INDICATOR.fullmatch(key)
    if not match:
        return None
    number, rest = int(match[1]), match[2]
    if not 1 <= number <= 10:
        return None
    # "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร" is fine; a name that means another indicator is not.
    if rest and match_indicator_name(rest) not in (number, None):
        return None
    return Field("indicator", str(number))


def match_header(text: str | None) -> Field | None:
    """The field a header cell names, or None when it is blank or unknown."""
    key = normalize_header(text)
    if not key:
        return None
    if key in HEADER_ALIASES:
        return HEADER_ALIASES[key]
    indicator = _indicator_field(key)
    if indicator:
        return indicator
    if is_item_code(str(text)):
        return Field("item", normalize_item_code(str(text)))
    return None


def parse_what(text: str | None) -> Field | None:
    """What a long-format row's score is: a tool, an indicator, an item, the overall score or the level."""
    key = normalize_header(text)
    if not key:
        return None
    if key in WHAT_ALIASES:
        return WHAT_ALIASES[key]
    if key.isdigit() and 1 <= int(key) <= 10:
        return Field("indicator", key)
    indicator = _indicator_field(key)
    if indicator:
        return indicator
    if is_item_code(str(text)):
        return Field("item", normalize_item_code(str(text)))
    number = match_indicator_name(str(text))
    return Field("indicator", str(number)) if number else None


# --- shape --------------------------------------------------------------------------------------


@dataclass
class Shape:
    """How a file is laid out: wide (a row per organisation and year) or long (a row per value)."""

    kind: Literal["wide", "long"]
    columns: dict[int, Field]
    headers: list[str | None]
    errors: list[str] = field(default_factory=list)

    def header_of(self, index: int) -> str:
        return (self.headers[index] or "").strip() if index < len(self.headers) else ""


def _place(index: int, header: str | None) -> str:
    return f"คอลัมน์ {column_letter(index + 1)} (ที่ {index + 1}) '{(header or '').strip()}'"


def detect_shape(header: list[str | None]) -> Shape:
    """Map each header cell to a Field; errors name the column letter, number and header text."""
    columns: dict[int, Field] = {}
    errors: list[str] = []
    for index, text in enumerate(header):
        if not (text or "").strip():
            continue  # an unnamed column carries nothing we could file anywhere
        found = match_header(text)
        if found is None:
            errors.append(f"{_place(index, text)}: ไม่รู้จักหัวคอลัมน์นี้")
        else:
            columns[index] = found
    _resolve_score_obtained(columns, header)
    kinds = {f.kind for f in columns.values()}
    shape = Shape(kind="long" if "what" in kinds or "score" in kinds else "wide", columns=columns, headers=header)
    if shape.kind == "long":
        _resolve_code_column(shape)
    errors.extend(_shape_errors(shape))
    shape.errors = errors
    return shape


def _resolve_score_obtained(columns: dict[int, Field], header: list[str | None]) -> None:
    """ "คะแนนที่ได้" beside a "รายการ" column is that row's score; without one it is the overall."""
    if any(found.kind == "what" for found in columns.values()):
        for index in columns:
            if normalize_header(header[index]) in _SCORE_OBTAINED_KEYS:
                columns[index] = Field("score")


def _resolve_code_column(shape: Shape) -> None:
    """In a long file with a separate organisation-code column, "code" names the row's item."""
    code_columns = [i for i, f in shape.columns.items() if f.kind == "org_code"]
    plain = [i for i in code_columns if normalize_header(shape.headers[i]) == "code"]
    has_what = any(f.kind == "what" for f in shape.columns.values())
    if plain and len(code_columns) > 1 and not has_what:
        shape.columns[plain[0]] = Field("what")


def _shape_errors(shape: Shape) -> list[str]:
    errors: list[str] = []
    seen: dict[Field, int] = {}
    for index, found in sorted(shape.columns.items()):
        if found in seen:
            first = seen[found]
            errors.append(
                f"{_place(index, shape.headers[index])}: ซ้ำกับ{_place(first, shape.headers[first])} (หมายถึงข้อมูลเดียวกัน)"
            )
        else:
            seen[found] = index
    kinds = {f.kind for f in shape.columns.values()}
    if "org_code" not in kinds:
        errors.append("ไม่พบคอลัมน์รหัสหน่วยงาน (เช่น 'รหัสหน่วยงาน' หรือ 'org_code')")
    if "fiscal_year" not in kinds:
        errors.append("ไม่พบคอลัมน์ปีงบประมาณ (เช่น 'ปีงบประมาณ' หรือ 'year')")
    if shape.kind == "long":
        if "what" not in kinds:
            errors.append(
                "มีคอลัมน์ 'คะแนน' แต่ไม่พบคอลัมน์ 'รายการ' ที่บอกว่าเป็นคะแนนของอะไร (หากเป็นคะแนนรวม ให้ใช้หัว 'คะแนนรวม')"
            )
        if "score" not in kinds:
            errors.append("มีคอลัมน์ 'รายการ' แต่ไม่พบคอลัมน์ 'คะแนน'")
    return errors


# --- rows ---------------------------------------------------------------------------------------


@dataclass(slots=True)  # a long file makes one per row: no per-instance dict
class RowData:
    """One row's typed values; a blank cell is simply absent (never zero)."""

    org_code: str | None = None
    org_name: str | None = None
    org_type: str | None = None
    district: str | None = None
    province: str | None = None
    fiscal_year: int | None = None
    official_overall: Decimal | None = None
    official_level: str | None = None
    values: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(
            (self.org_code, self.org_name, self.fiscal_year, self.official_overall, self.official_level, self.values)
        )


TEXT_FIELDS = ("org_name", "org_type", "district", "province")


def _clean_text(value: str) -> str:
    return " ".join(normalize_text(value).split())


def clean_level(value: str) -> str:
    """A level as given, tidied: NFC, single spaces; matching to the year's scheme happens later."""
    return _clean_text(value)


def row_values(shape: Shape, row: list[str | None], row_number: int) -> tuple[RowData, list[CellError]]:
    """Parse one data row; row_number is the 1-based row the user sees in the file."""
    data = RowData()
    errors: list[CellError] = []
    long_cells: dict[str, tuple[int, str]] = {}
    for index, found in shape.columns.items():
        raw = row[index] if index < len(row) else None
        text = raw.strip() if raw else ""
        if found.kind in ("what", "score"):
            long_cells[found.kind] = (index, text)
        elif text:
            try:
                _store(data, found, text)
            except ThaiValueError as exc:
                errors.append(_error(shape, row_number, index, text, str(exc)))
    if "what" in long_cells and "score" in long_cells:
        error = _store_long(data, long_cells["what"], long_cells["score"])
        if error:
            index, value, reason = error
            errors.append(_error(shape, row_number, index, value, reason))
    return data, errors


@lru_cache(maxsize=65536)
def _score(text: str) -> Decimal:
    # A national file repeats the same few thousand score texts ("100.00") hundreds of thousands of times.
    return parse_score(text, places=2)


def _store(data: RowData, found: Field, text: str) -> None:
    if found.kind == "org_code":
        data.org_code = " ".join(to_arabic_digits(text).split())
    elif found.kind in TEXT_FIELDS:
        setattr(data, found.kind, _clean_text(text))
    elif found.kind == "fiscal_year":
        data.fiscal_year = parse_fiscal_year(text)
    elif found.kind == "overall":
        data.official_overall = _score(text)
    elif found.kind == "level":
        data.official_level = clean_level(text)
    elif found.kind in VALUE_KINDS and found.code:
        data.values[(found.kind, found.code)] = _score(text)


def _store_long(data: RowData, what: tuple[int, str], score: tuple[int, str]) -> tuple[int, str, str] | None:
    """Store a long-format row's one value; (column index, value, reason) when it cannot be stored."""
    (what_index, what_text), (score_index, score_text) = what, score
    target = parse_what(what_text) if what_text else None
    if what_text and target is None:
        return what_index, what_text, "ไม่รู้จักรายการนี้ (ใช้ได้: IIT, EIT, OIT, ตัวชี้วัดที่ ๑–๑๐ หรือรหัสข้อ เช่น i7)"
    if not score_text:
        return None  # no value: nothing to store, and nothing to erase
    if target is None:
        return what_index, "", "มีคะแนนแต่ไม่ได้ระบุรายการ"
    try:
        _store(data, target, score_text)
    except ThaiValueError as exc:
        return score_index, score_text, str(exc)
    return None


def _error(shape: Shape, row_number: int, index: int, value: str, reason: str) -> CellError:
    message = f"แถว {row_number} {_place(index, shape.header_of(index))}: {reason}"
    return CellError(row_number, index + 1, value, message)
