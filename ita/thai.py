"""Thai conventions for numbers, years, months, item codes and text (pure Python, no Django).

Every number that a person or a file gives us goes through this module, so that a form, an
importer and a test all agree on what "๘๕.๕", "85.5" and "８５.５" mean. Errors are
ThaiValueError, whose str() is a Thai message naming the offending value.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from pythainlp.util import arabic_digit_to_thai_digit, normalize, thai_digit_to_arabic_digit, thai_strftime

__all__ = [
    "MONTH_ABBRS",
    "MONTH_NAMES",
    "ThaiValueError",
    "fiscal_year_of",
    "format_number",
    "format_score",
    "is_item_code",
    "month_abbr",
    "month_name",
    "normalize_item_code",
    "normalize_text",
    "parse_fiscal_year",
    "parse_month",
    "parse_score",
    "round_score",
    "thai_date",
    "to_arabic_digits",
    "to_thai_digits",
]

SCORE_MAX = Decimal(100)
CENT = Decimal("0.01")
NO_VALUE = "–"  # en dash: what printed tables show for a missing score
BE_OFFSET = 543  # พ.ศ. = ค.ศ. + 543
YEAR_MIN, YEAR_MAX = 2500, 2700
CE_MIN, CE_MAX = 1950, 2100

MONTH_ABBRS: tuple[str, ...] = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTH_NAMES: tuple[str, ...] = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
# Spoken short forms and one very common misspelling (ฏ for ฎ) people type in forms and sheets.
_MONTH_EXTRA: tuple[tuple[str, ...], ...] = (
    ("มกรา",), ("กุมภา",), ("มีนา",), ("เมษา",), ("พฤษภา",), ("มิถุนา",),
    ("กรกฎา", "กรกฏา", "กรกฏาคม"), ("สิงหา",), ("กันยา",), ("ตุลา",), ("พฤศจิกา",), ("ธันวา",),
)  # fmt: skip


class ThaiValueError(ValueError):
    """A value a user gave that we cannot accept; str(exc) is the Thai message, .value the raw input."""

    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.value = value

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------------------------------------
# Digits

# pythainlp covers Thai digits only; full-width forms come from East Asian input methods and
# some spreadsheet exports, so we map them ourselves.
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "％": "%"})
# Signs that only matter inside parse_score, where they let us give the right message.
_SCORE_SIGNS = str.maketrans({"，": ",", "－": "-", "−": "-", "＋": "+"})
# Invisible characters that survive copy-paste from PDFs and web pages.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def to_arabic_digits(text: str) -> str:
    """Thai (๐-๙) and full-width (０-９, ．, ％) characters to their ASCII forms."""
    return thai_digit_to_arabic_digit(text).translate(_FULLWIDTH)


def to_thai_digits(text: str) -> str:
    """ASCII digits to Thai digits; everything else unchanged."""
    return arabic_digit_to_thai_digit(text)


def fold_sara_e(text: str) -> str:
    """Two sara e typed for one sara ae ("คะเเนน") as the sara ae ("คะแนน") they look like.

    No Thai word has two sara e in a row, so this is safe on any text; unlike normalize_text it is
    one linear pass with nothing else changed, for keys compared many times (headers, level labels).
    """
    return text.replace("\u0e40\u0e40", "\u0e41")


def in_digits(text: str, digits: str) -> str:
    """``text`` with its digits in the given system, "thai" or "arabic"; everything else unchanged."""
    if digits == "thai":
        return to_thai_digits(text)
    if digits == "arabic":
        return to_arabic_digits(text)
    raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")


def _clean(text: str) -> str:
    """Drop invisible characters, trim whitespace (str.strip covers NBSP and tabs), unify digits."""
    return to_arabic_digits(text.translate(_ZERO_WIDTH).strip())


# ---------------------------------------------------------------------------------------------
# Scores

# [0-9] rather than \d: \d (and Decimal()) would also take Arabic-Indic and other scripts' digits.
_PLAIN_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_EXPONENT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_DECIMAL_COMMA = re.compile(r"[0-9]*,[0-9]+")
_MAX_TEXT = 40  # longer than any score; also keeps error messages short
_NON_FINITE = {"nan", "snan", "inf", "infinity"}
_DASHES = {"-", "–", "—", "−"}


def parse_score(value: object, *, places: int | None = None) -> Decimal:
    """A score 0–100 from a form field or a cell, exactly as given (no rounding); ThaiValueError if not one."""
    if isinstance(value, bool):
        raise ThaiValueError(f"ค่า '{value}' ไม่ใช่ตัวเลข", value)
    if value is None:
        raise ThaiValueError("ไม่มีค่า", value)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ThaiValueError(f"ค่า '{value}' ไม่ใช่ตัวเลขที่ใช้เป็นคะแนนได้", value)
        number = Decimal(repr(value))  # shortest repr: 84.99 stays 84.99, not 84.9899999…
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ThaiValueError(f"ค่า '{value}' ไม่ใช่ตัวเลขที่ใช้เป็นคะแนนได้", value)
        number = value
    elif isinstance(value, str):
        number = _parse_score_text(value)
    else:
        raise ThaiValueError(f"ค่า '{value}' ไม่ใช่ตัวเลข", value)
    return _check_score(number, value, places)


def _shown(raw: object) -> str:
    """The value as the user typed it, shortened so that a huge cell cannot flood a message."""
    text = raw.strip() if isinstance(raw, str) else str(raw)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…"


def _parse_score_text(raw: str) -> Decimal:
    text = _clean(raw).translate(_SCORE_SIGNS)
    if text.endswith("%"):
        text = text[:-1].rstrip()
    shown = _shown(raw)
    if not text:
        raise ThaiValueError("ไม่มีค่า", raw)
    if text in _DASHES:
        raise ThaiValueError(f"ไม่มีค่า (มีเพียงขีด '{shown}')", raw)
    if len(text) > _MAX_TEXT:
        raise ThaiValueError(f"ค่ายาวเกินกว่าจะเป็นคะแนน: '{shown}'", raw)
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if _PLAIN_NUMBER.fullmatch(body):
        number = Decimal(body)
        if negative and number:
            raise ThaiValueError(f"ค่า '{shown}' ติดลบ", raw)
        return number.copy_abs()
    raise ThaiValueError(_why_not_a_score(text, shown), raw)


def _why_not_a_score(text: str, shown: str) -> str:
    """The most helpful Thai message for a text that is not a plain decimal number."""
    lowered = text.lower().lstrip("+-")
    if lowered in _NON_FINITE:
        return f"ค่า '{shown}' ไม่ใช่ตัวเลขที่ใช้เป็นคะแนนได้ (NaN หรืออนันต์)"
    if text.startswith("+"):
        return f"ไม่ต้องใส่เครื่องหมายบวก: '{shown}'"
    if text.startswith("-") and _PLAIN_NUMBER.fullmatch(text[1:].lstrip()):
        return f"ค่า '{shown}' ติดลบ"
    if _EXPONENT.fullmatch(text):
        return f"ไม่รับตัวเลขแบบยกกำลัง (เช่น 1e2) ให้พิมพ์ตัวเลขเต็ม: '{shown}'"
    if _THOUSANDS.fullmatch(text):
        return f"ไม่ต้องใช้จุลภาคคั่นหลักพัน และทศนิยมให้ใช้จุด: '{shown}'"
    if _DECIMAL_COMMA.fullmatch(text):
        return f"ใช้จุดเป็นทศนิยม ไม่ใช่จุลภาค: '{shown}'"
    if text.count(".") > 1 and re.fullmatch(r"[0-9.]+", text):
        return f"มีจุดทศนิยมมากกว่าหนึ่งจุด: '{shown}'"
    if any(ch.isspace() for ch in text) and re.fullmatch(r"[0-9.\s]+", text):
        return f"มีช่องว่างอยู่กลางตัวเลข: '{shown}'"
    return f"ไม่ใช่ตัวเลข: '{shown}'"


def _check_score(number: Decimal, raw: object, places: int | None) -> Decimal:
    shown = _shown(raw)
    if number < 0:
        raise ThaiValueError(f"ค่า '{shown}' ติดลบ", raw)
    if number > SCORE_MAX:
        raise ThaiValueError(f"ค่า '{shown}' เกิน ๑๐๐", raw)
    # Trailing zeros are harmless ("85.500"); only digits that rounding would lose are refused.
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        raise ThaiValueError(f"ค่า '{shown}' มีทศนิยมเกิน {to_thai_digits(str(places))} ตำแหน่ง", raw)
    return number.copy_abs()  # Decimal("-0") is zero; never hand back a signed zero


def round_score(value: Decimal) -> Decimal:
    """Two decimals, half-up: 84.995 → 85.00 (the rounding used for display and for grading)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_score(value: Decimal | None, *, digits: str = "thai") -> str:
    """Two decimals, half-up, in the chosen digits: "๘๕.๐๐"; None → "–"."""
    if value is None:
        return NO_VALUE
    return in_digits(format(round_score(value), "f"), digits)


def format_number(value: int | str, *, digits: str = "thai") -> str:
    """An integer or numeric text in the chosen digits, without separators: 2566 → "๒๕๖๖"."""
    return in_digits(str(value), digits)


SIZE_UNITS = ((1024**3, "กิกะไบต์"), (1024**2, "เมกะไบต์"), (1024, "กิโลไบต์"))


def format_size(size: int, *, digits: str = "thai") -> str:
    """A file size in Thai units, one decimal above a kilobyte: "๕๑๒ ไบต์", "๓๒๐.๐ กิโลไบต์", "๑.๕ เมกะไบต์"."""
    for unit, name in SIZE_UNITS:
        if size >= unit:
            amount = (Decimal(size) / unit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            return f"{in_digits(format(amount, ','), digits)} {name}"
    return f"{format_number(size, digits=digits)} ไบต์"


def format_threshold(value: Decimal, *, digits: str = "thai") -> str:
    """A threshold as documents write it: "๘๕" when whole, "๘๔.๕๐" otherwise (half-up, two places)."""
    value = round_score(value)
    return (
        format_number(int(value), digits=digits)
        if value == value.to_integral_value()
        else format_score(value, digits=digits)
    )


# ---------------------------------------------------------------------------------------------
# Years

_YEAR = re.compile(
    r"(?:ปีงบประมาณ|ปีงบฯ?|FY)?\s*(?:(?P<be>พ\.?\s?ศ\.?)|(?P<ce>ค\.?\s?ศ\.?))?\s*(?P<num>[0-9]+)",
    re.IGNORECASE,
)


def parse_fiscal_year(value: object) -> int:
    """A fiscal year as พ.ศ.: 2566, "๒๕๖๖", 2023, "66", "ปีงบประมาณ พ.ศ. ๒๕๖๖" → 2566."""
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        value = int(value)  # spreadsheets hand integers over as 2566.0
    if isinstance(value, int) and not isinstance(value, bool):
        year = _year_from_number(value, era=None, two_digit=0 <= value <= 99)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFC", _clean(value))
        # The pattern's optional parts sit side by side; a bounded text keeps its backtracking bounded too.
        match = _YEAR.fullmatch(text) if len(text) <= _MAX_TEXT else None
        if not match or len(match["num"]) not in (2, 4):
            raise ThaiValueError(f"'{_shown(value)}' ไม่ใช่ปีงบประมาณ (ใช้ปี ๔ หลัก หรือ ๒ หลัก)", value)
        era = "be" if match["be"] else "ce" if match["ce"] else None
        year = _year_from_number(int(match["num"]), era=era, two_digit=len(match["num"]) == 2)
    else:
        raise ThaiValueError(f"'{_shown(value)}' ไม่ใช่ปีงบประมาณ", value)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ThaiValueError(f"ปี พ.ศ. {format_number(year)} อยู่นอกช่วงที่รับได้ (๒๕๐๐–๒๗๐๐)", value)
    return year


def _year_from_number(number: int, *, era: str | None, two_digit: bool) -> int:
    """Two digits are พ.ศ. 25xx (or ค.ศ. 20xx when marked so); 1950–2100 unmarked is ค.ศ."""
    if era == "ce":
        return (2000 + number if two_digit else number) + BE_OFFSET
    if two_digit:
        return 2500 + number
    if era is None and CE_MIN <= number <= CE_MAX:
        return number + BE_OFFSET
    return number


def fiscal_year_of(day: datetime.date) -> int:
    """The พ.ศ. fiscal year a date falls in (the year runs 1 October to 30 September)."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


# ---------------------------------------------------------------------------------------------
# Item codes

# Characters that stand for the letter O at the start of a code: documents type a zero, a Thai
# zero (already ASCII after _clean), a circle glyph, or paste a Cyrillic/Greek/full-width O.
_O_FORMS = "Oo0○◯⃝⭘⭕〇ОоΟοＯｏ"
_I_FORMS = "IiІіΙＩｉ"
_E_FORMS = "EeЕеΕＥｅ"
_LETTER = {**dict.fromkeys(_O_FORMS, "o"), **dict.fromkeys(_I_FORMS, "i"), **dict.fromkeys(_E_FORMS, "e")}
_CODE_PREFIX = re.compile(r"ข้อ(?:ที่)?\s*")
_CODE_NUMBER = re.compile(r"\s*([0-9]{1,4})\s*[.:]?")
ITEM_NUMBER_MAX = 999


def normalize_item_code(text: str) -> str:
    """Canonical item code ("i7", "e4", "o27") from any spelling found in real documents."""
    if not isinstance(text, str):
        raise ThaiValueError(f"'{_shown(text)}' ไม่ใช่รหัสข้อคำถาม", text)
    cleaned = _clean(unicodedata.normalize("NFC", text))
    prefix = _CODE_PREFIX.match(cleaned)
    cleaned = cleaned[prefix.end() :] if prefix else cleaned
    letter = _LETTER.get(cleaned[:1])
    match = _CODE_NUMBER.fullmatch(cleaned[1:]) if letter else None
    number = int(match[1]) if match else 0
    if not letter or not match or not 1 <= number <= ITEM_NUMBER_MAX:
        raise ThaiValueError(f"'{_shown(text)}' ไม่ใช่รหัสข้อคำถาม (ตัวอย่างที่ถูกต้อง: i7, e4, o27)", text)
    return f"{letter}{number}"


def is_item_code(text: str) -> bool:
    """True if normalize_item_code accepts the text."""
    try:
        normalize_item_code(text)
    except ThaiValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Months and dates


def _month_key(text: str) -> str:
    return re.sub(r"[\s.]", "", text)


_MONTH_LOOKUP: dict[str, int] = {
    _month_key(form): number
    for number, forms in enumerate(zip(MONTH_ABBRS, MONTH_NAMES, _MONTH_EXTRA, strict=True), start=1)
    for form in (forms[0], forms[1], *forms[2])
}


def _check_month(month: int) -> None:
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ThaiValueError(f"เดือน '{month}' ต้องเป็นเลข ๑ ถึง ๑๒", month)


def month_abbr(month: int) -> str:
    """1 → "ม.ค."."""
    _check_month(month)
    return MONTH_ABBRS[month - 1]


def month_name(month: int) -> str:
    """1 → "มกราคม"."""
    _check_month(month)
    return MONTH_NAMES[month - 1]


def parse_month(text: str) -> int:
    """Month number from a Thai abbreviation or name, with or without dots: "ม.ค." / "มค" / "มกราคม" → 1."""
    if not isinstance(text, str):
        raise ThaiValueError(f"'{_shown(text)}' ไม่ใช่ชื่อเดือน", text)
    # No month name is long; a long text is answered before pythainlp's clean-up, whose cost grows faster.
    key = (
        _month_key(normalize(unicodedata.normalize("NFC", text.translate(_ZERO_WIDTH))))
        if len(text) <= _MAX_TEXT
        else ""
    )
    month = _MONTH_LOOKUP.get(key)
    if month is None:
        raise ThaiValueError(f"'{_shown(text)}' ไม่ใช่ชื่อเดือน (เช่น ม.ค. หรือ มกราคม)", text)
    return month


def thai_date(d: datetime.date, *, digits: str = "thai") -> str:
    """Day, full month name and พ.ศ. year: "๘ มิถุนายน ๒๕๖๖"."""
    if digits not in ("thai", "arabic"):
        raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")
    return thai_strftime(d, "%-d %B %Y", thaidigit=digits == "thai")


# ---------------------------------------------------------------------------------------------
# Text


_NORMALIZE_PASSES = 8  # bound on repeats; real text settles after one, garbage within five


def normalize_text(text: str) -> str:
    """NFC plus pythainlp's clean-up (เเ → แ, sara am, zero-width), line by line, trimmed.

    pythainlp collapses blank lines, which would merge paragraphs of a measure's text, so it
    runs on each line and the line structure is kept.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_normalize_line(line) for line in text.split("\n")).strip()


def _normalize_line(line: str) -> str:
    # One pass of pythainlp's normalize can expose a new dangling mark or space (e.g. "ะ ะ่"),
    # so repeat until stable: storing a text twice must not change it the second time.
    for _ in range(_NORMALIZE_PASSES):
        cleaned = normalize(line)
        if cleaned == line:
            break
        line = cleaned
    return line
