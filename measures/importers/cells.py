"""One cell of a measures spreadsheet → typed values: periods, steps, answered indicators/items, unit names.

No database access. Errors are ThaiValueError with a Thai message about the cell's value;
the importer adds the row and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ita.thai import ThaiValueError, format_number, normalize_item_code, normalize_text, parse_month, to_arabic_digits
from measures.models import PeriodKind, check_period

# ---------------------------------------------------------------------------------------------
# ระยะเวลาดำเนินการ

_WHOLE_YEAR = re.compile(r"^(?:ตลอด|ทั้ง)\s*ปี|^ปีงบ")
_RANGE_SPLIT = re.compile(r"\s*(?:[-–—~]|ถึง)\s*")
_YEAR_TAIL = re.compile(r"(?:พ\s*\.?\s*ศ\s*\.?)?\s*([0-9]{4}|[0-9]{2})\s*$")
_YEAR_ANYWHERE = re.compile(r"[0-9]{4}|[0-9]{2}")
_MAX_SHOWN = 60


@dataclass(frozen=True)
class Period:
    """A parsed period; `stated_year` is the fiscal year the text names (None when it names none)."""

    kind: str
    start: int | None = None
    end: int | None = None
    stated_year: int | None = None


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", to_arabic_digits(str(text)))
    return re.sub(r"\s+", " ", text).strip()


def _year(text: str) -> int:
    """A พ.ศ. calendar year from "67", "2567" or (ค.ศ.) "2024"."""
    number = int(text)
    if len(text) == 2:
        return 2500 + number
    return number + 543 if 1950 <= number <= 2100 else number


def _fiscal(month: int, year: int) -> int:
    """The fiscal year of a month in a calendar year (พ.ศ.): October–December belong to the next one."""
    return year + 1 if month >= 10 else year


def _side(text: str) -> tuple[int, int | None]:
    """'ม.ค. 67' / 'มกราคม ๒๕๖๗' / 'เดือนมีนาคม' → (month, calendar year or None)."""
    year = None
    match = _YEAR_TAIL.search(text)
    if match:
        year, text = _year(match[1]), text[: match.start()]
    text = re.sub(r"^เดือน\s*", "", text.strip())
    return parse_month(text.strip()), year


def parse_period(raw: str) -> Period:
    """'ม.ค. – มี.ค. ๖๕', 'ต.ค. 66 - ก.ย. 67', 'ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗', 'ตลอดปี', 'มกราคม 2567' → Period."""
    text = _clean(raw)
    shown = str(raw).strip()[:_MAX_SHOWN]
    if not text:
        raise ThaiValueError("ไม่ได้ระบุระยะเวลาดำเนินการ", raw)
    if _WHOLE_YEAR.search(text):
        found = _YEAR_ANYWHERE.search(text)
        return Period(PeriodKind.WHOLE_YEAR, stated_year=_year(found.group()) if found else None)
    parts = _RANGE_SPLIT.split(text)
    if len(parts) > 2:
        raise ThaiValueError(f"อ่านระยะเวลา '{shown}' ไม่ได้: มีช่วงมากกว่าหนึ่งช่วง", raw)
    try:
        sides = [_side(part) for part in parts]
    except ThaiValueError as error:
        raise ThaiValueError(
            f"อ่านระยะเวลา '{shown}' ไม่ได้ (ตัวอย่าง: 'ม.ค. – มี.ค. ๖๗', 'ต.ค. ๖๖ – ก.ย. ๖๗', 'ตลอดปีงบประมาณ'): {error}", raw
        ) from error
    (start, start_year), (end, end_year) = sides[0], sides[-1]
    try:
        check_period(PeriodKind.MONTHS, start, end)
    except ValidationError as error:  # a start after the end within Oct → Sep
        message = " ".join(error.messages)
        raise ThaiValueError(f"ระยะเวลา '{shown}': {message}", raw) from error
    return Period(PeriodKind.MONTHS, start, end, _stated_fiscal_year(shown, raw, start, start_year, end, end_year))


def _stated_fiscal_year(shown: str, raw: str, start: int, start_year, end: int, end_year) -> int | None:
    years = set()
    if start_year is not None:
        years.add(_fiscal(start, start_year))
    if end_year is not None:
        years.add(_fiscal(end, end_year))
    if len(years) > 1:
        raise ThaiValueError(f"ระยะเวลา '{shown}' คร่อมสองปีงบประมาณ (ปีงบประมาณเริ่ม ต.ค. และสิ้นสุด ก.ย.)", raw)
    return years.pop() if years else None


# ---------------------------------------------------------------------------------------------
# ขั้นตอนหรือวิธีการ

_BULLET = re.compile(r"^\s*(?:[-–•●▪◦○*·]+|\(?([0-9]{1,2})\s*[.)])\s*")


def _split_numbered(line: str) -> list[str]:
    """'1. ทำ ก 2. ทำ ข' → ['1. ทำ ก', '2. ทำ ข'], following the numbers in order only."""
    plain = to_arabic_digits(line)  # same length: Thai and full-width digits map one to one
    first = _BULLET.match(plain)
    if not first or first[1] is None:
        return [line]
    pieces, cut, number = [], 0, int(first[1])
    while True:
        number += 1
        found = _next_number(plain, cut + 1, str(number))
        if found is None:
            break
        at = found
        pieces.append(line[cut:at])
        cut = at + 1
    pieces.append(line[cut:])
    return pieces


_NUMBER_MARK = re.compile(r"\s\(?([0-9]+)\s*[.)]\s")


def _next_number(text: str, start: int, number: str) -> int | None:
    """Where the next " N. " / " (N) " with this number begins, searched from `start` without copying the text."""
    while found := _NUMBER_MARK.search(text, start):
        if found[1] == number:
            return found.start()
        start = found.start() + 1
    return None


def parse_steps(raw: str | None) -> list[str]:
    """A steps cell → steps: one per line or per bullet ("๑." "1)" "-" "•"), bullets removed."""
    if not raw:
        return []
    steps = []
    for line in normalize_text(str(raw)).split("\n"):
        for piece in _split_numbered(line):
            plain = to_arabic_digits(piece)
            bullet = _BULLET.match(plain)
            step = piece[bullet.end() :] if bullet else piece
            if step.strip():
                steps.append(step.strip())
    return steps


# ---------------------------------------------------------------------------------------------
# ตัวชี้วัด/ข้อ

_ANSWER_NOISE = re.compile(r"ตัวชี้วัด(?:ที่)?|ข้อ(?:ที่)?|และ")
_ANSWER_SPLIT = re.compile(r"[\s,;/、]+")


def parse_answers(raw: str | None) -> tuple[list[str], list[int]]:
    """'i7, 4' / 'ข้อ E1 ตัวชี้วัดที่ ๔' / 'O13' → (item codes, indicator numbers), each in the order given."""
    if not raw:
        return [], []
    codes: list[str] = []
    numbers: list[int] = []
    for token in _ANSWER_SPLIT.split(_ANSWER_NOISE.sub(" ", _clean(raw))):
        if not token:
            continue
        if token.isdigit() and not (token.startswith("0") and len(token) > 1):
            number = int(token)
            if not 1 <= number <= 10:
                raise ThaiValueError(f"ตัวชี้วัดที่ {format_number(token)} ไม่มี (มีตัวชี้วัดที่ ๑ ถึง ๑๐)", raw)
            if number not in numbers:
                numbers.append(number)
            continue
        try:
            code = normalize_item_code(token)
        except ThaiValueError as error:
            raise ThaiValueError(
                f"'{token}' ไม่ใช่รหัสข้อหรือเลขตัวชี้วัด (ตัวอย่าง: 'i7, 4' หรือ 'ข้อ E1 ตัวชี้วัดที่ ๔')", raw
            ) from error
        if code not in codes:
            codes.append(code)
    return codes, numbers


# ---------------------------------------------------------------------------------------------
# ผู้รับผิดชอบ

# Only the separators: spaces around them are stripped from each part (a pattern with \s* on both sides
# took time in the square of a run of tabs).
_UNIT_SPLIT = re.compile(r"[\n,;、]")


def unit_key(name: str) -> str:
    """A unit name compared without spaces (and without invisible characters)."""
    return re.sub(r"\s+", "", normalize_text(name))


def split_units(raw: str, known: dict[str, str]) -> tuple[list[str], list[str]]:
    """(unit names in the cell's order, the unknown ones among them); `known` maps unit_key → the stored name.

    The whole cell is tried first (so "ทุกสำนัก/กอง" stays one unit), then parts split at line
    breaks, commas and semicolons, then a part split at "/" when the part itself is unknown.
    """
    whole = unit_key(raw)
    if whole in known:
        return [known[whole]], []
    matched, unknown = [], []
    for part in _UNIT_SPLIT.split(normalize_text(raw)):
        part = part.strip()
        if not part:
            continue
        pieces = [part] if unit_key(part) in known else [p for p in part.split("/") if p.strip()]
        for piece in pieces:
            key = unit_key(piece)
            name = known.get(key, piece.strip())
            if name not in matched:
                matched.append(name)
            if key not in known:
                unknown.append(name)
    return matched, unknown
