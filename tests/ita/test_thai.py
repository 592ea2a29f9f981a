"""ita.thai: digits, scores, fiscal years, item codes, months and text (no database)."""

import ast
import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ita import thai
from ita.thai import (
    MONTH_ABBRS,
    MONTH_NAMES,
    ThaiValueError,
    fiscal_year_of,
    format_number,
    format_score,
    is_item_code,
    month_abbr,
    month_name,
    normalize_item_code,
    normalize_text,
    parse_fiscal_year,
    parse_month,
    parse_score,
    round_score,
    thai_date,
    to_arabic_digits,
    to_thai_digits,
)

THAI_CHAR = re.compile(r"[\u0e01-\u0e5b]")
FULLWIDTH = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, ".": "．", "%": "％"})


def assert_thai_error(excinfo: pytest.ExceptionInfo, *fragments: str) -> None:
    message = str(excinfo.value)
    assert THAI_CHAR.search(message), message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


# --- module hygiene ---------------------------------------------------------------------------


def test_module_imports_only_stdlib_and_pythainlp_util():
    tree = ast.parse(Path(thai.__file__).read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(m.startswith("django") for m in modules)
    assert {m for m in modules if m.startswith("pythainlp")} == {"pythainlp.util"}


def test_error_carries_thai_message_and_raw_value():
    with pytest.raises(ThaiValueError) as excinfo:
        parse_score(" ๑๐๕ ")
    assert isinstance(excinfo.value, ValueError)
    assert str(excinfo.value) == "ค่า '๑๐๕' เกิน ๑๐๐"
    assert excinfo.value.value == " ๑๐๕ "


# --- digits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),
        ("０１２３４５６７８９", "0123456789"),
        ("８５．５％", "85.5%"),
        ("คะแนน ๘๕.๕ และ 90", "คะแนน 85.5 และ 90"),
        ("", ""),
    ],
)
def test_to_arabic_digits(text, expected):
    assert to_arabic_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0123456789", "๐๑๒๓๔๕๖๗๘๙"), ("ปี 2566.", "ปี ๒๕๖๖."), ("๑๒", "๑๒"), ("０", "０"), ("", "")],
)
def test_to_thai_digits_changes_only_ascii_digits(text, expected):
    assert to_thai_digits(text) == expected


@given(st.text(alphabet="0123456789"))
def test_digit_round_trip(text):
    assert to_arabic_digits(to_thai_digits(text)) == text


# --- parse_score: accepted --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("๘๕.๕", "85.5"),
        ("85.5", "85.5"),
        ("８５.５", "85.5"),
        ("８５．５", "85.5"),
        ("85.5%", "85.5"),
        ("85.5 %", "85.5"),
        ("๘๕.๕％", "85.5"),
        ("  85.5\t", "85.5"),
        ("\xa085.5\xa0", "85.5"),
        ("\u200b85.5\u200b", "85.5"),
        ("\ufeff85.5", "85.5"),
        ("0", "0"),
        ("๐", "0"),
        ("100", "100"),
        ("100.00", "100.00"),
        ("๑๐๐", "100"),
        ("33.33", "33.33"),
        ("66.6666667", "66.6666667"),
        ("85.", "85"),
        (".5", "0.5"),
        ("-0", "0"),
        (85, "85"),
        (0, "0"),
        (100, "100"),
        (84.99, "84.99"),
        (33.33, "33.33"),
        (100.0, "100.0"),
        (Decimal("84.995"), "84.995"),
        (Decimal("85.50"), "85.50"),
    ],
)
def test_parse_score_accepts(value, expected):
    result = parse_score(value)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


def test_parse_score_keeps_exact_digits():
    assert str(parse_score("85.50")) == "85.50"
    assert str(parse_score(84.99)) == "84.99"  # shortest repr, not the binary expansion
    assert not parse_score("-0").is_signed()


def test_i5_all_digit_forms_are_equal():
    assert parse_score("๘๕.๕") == parse_score("85.5") == parse_score("８５.５") == Decimal("85.5")


# --- parse_score: rejected --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "ไม่มีค่า"),
        ("   ", "ไม่มีค่า"),
        ("\u200b", "ไม่มีค่า"),
        (None, "ไม่มีค่า"),
        ("%", "ไม่มีค่า"),
        ("-", "ไม่มีค่า"),
        ("–", "ไม่มีค่า"),
        ("—", "ไม่มีค่า"),
        ("NaN", "NaN"),
        ("nan", "nan"),
        ("inf", "อนันต์"),
        ("Infinity", "อนันต์"),
        ("-Infinity", "อนันต์"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (Decimal("NaN"), "NaN"),
        (Decimal("Infinity"), "Infinity"),
        ("1e2", "ยกกำลัง"),
        ("8.5E1", "ยกกำลัง"),
        ("-1", "ติดลบ"),
        ("-0.01", "ติดลบ"),
        ("−5", "ติดลบ"),
        ("－5", "ติดลบ"),
        (-1, "ติดลบ"),
        (-0.5, "ติดลบ"),
        (Decimal("-1"), "ติดลบ"),
        ("100.01", "เกิน ๑๐๐"),
        ("๑๐๕", "เกิน ๑๐๐"),
        ("１０１", "เกิน ๑๐๐"),
        (101, "เกิน ๑๐๐"),
        (100.5, "เกิน ๑๐๐"),
        (Decimal("100.001"), "เกิน ๑๐๐"),
        ("85,5", "จุลภาค"),
        ("๘๕,๕", "จุลภาค"),
        ("８５，５", "จุลภาค"),
        ("1,000", "คั่นหลักพัน"),
        ("1,000.5", "คั่นหลักพัน"),
        ("+5", "บวก"),
        ("abc", "ไม่ใช่ตัวเลข"),
        ("85a", "ไม่ใช่ตัวเลข"),
        ("แปดสิบห้า", "ไม่ใช่ตัวเลข"),
        ("0x10", "ไม่ใช่ตัวเลข"),
        ("1_0", "ไม่ใช่ตัวเลข"),
        ("٨٥", "ไม่ใช่ตัวเลข"),  # Arabic-Indic digits: Decimal() would take them, we do not
        ("1.2.3", "มากกว่าหนึ่งจุด"),
        ("85..5", "มากกว่าหนึ่งจุด"),
        ("8 5", "ช่องว่าง"),
        ("85%%", "ไม่ใช่ตัวเลข"),
        ("9" * 500, "ยาวเกิน"),
        (True, "True"),
        (False, "False"),
        ([85], "ไม่ใช่ตัวเลข"),
    ],
)
def test_parse_score_rejects_with_specific_thai_message(value, fragment):
    with pytest.raises(ThaiValueError) as excinfo:
        parse_score(value)
    assert_thai_error(excinfo, fragment)
    assert excinfo.value.value is value


def test_long_input_is_shortened_in_the_message():
    with pytest.raises(ThaiValueError) as excinfo:
        parse_score("x" * 10_000)
    assert len(str(excinfo.value)) < 100


@pytest.mark.parametrize(
    ("value", "places", "ok"),
    [
        ("85.55", 2, True),
        ("85.555", 2, False),
        ("85.550", 2, True),  # trailing zeros lose nothing
        ("85.5", 0, False),
        ("85", 0, True),
        (84.999, 2, False),
        (Decimal("33.333"), 3, True),
        (Decimal("33.3333"), 3, False),
    ],
)
def test_parse_score_places_refuses_instead_of_rounding(value, places, ok):
    if ok:
        assert parse_score(value, places=places) == Decimal(str(value))
    else:
        with pytest.raises(ThaiValueError) as excinfo:
            parse_score(value, places=places)
        assert_thai_error(excinfo, "ทศนิยมเกิน", to_thai_digits(str(places)))


SCORES_2DP = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(SCORES_2DP)
def test_property_thai_and_fullwidth_forms_parse_to_the_same_decimal(d):
    assert parse_score(to_thai_digits(str(d))) == d
    assert parse_score(str(d).translate(FULLWIDTH)) == d
    assert parse_score(str(d) + "%") == d


@given(SCORES_2DP)
def test_property_format_then_parse_round_trips(d):
    assert parse_score(format_score(d)) == d
    assert parse_score(format_score(d, digits="arabic"), places=2) == d


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_property_float_uses_shortest_repr(f):
    assert parse_score(f) == Decimal(repr(f))


@given(st.text(max_size=30))
def test_property_any_text_is_a_score_in_range_or_a_thai_error(text):
    try:
        result = parse_score(text)
    except ThaiValueError as exc:
        assert THAI_CHAR.search(str(exc))
    else:
        assert Decimal(0) <= result <= Decimal(100)
        assert not result.is_signed()


# --- rounding and formatting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("84.995", "85.00"),
        ("84.994", "84.99"),
        ("84.985", "84.99"),  # half-up, not banker's rounding (which would give 84.98)
        ("0.005", "0.01"),
        ("100", "100.00"),
        ("66.666666", "66.67"),
        ("33.333333", "33.33"),
    ],
)
def test_round_score_half_up(value, expected):
    result = round_score(Decimal(value))
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (Decimal("85"), "thai", "๘๕.๐๐"),
        (Decimal("85"), "arabic", "85.00"),
        (Decimal("84.995"), "thai", "๘๕.๐๐"),
        (Decimal("90.2"), "thai", "๙๐.๒๐"),
        (Decimal("0"), "arabic", "0.00"),
        (Decimal("1E+1"), "arabic", "10.00"),
        (Decimal("100"), "thai", "๑๐๐.๐๐"),
        (None, "thai", "–"),
        (None, "arabic", "–"),
    ],
)
def test_format_score(value, digits, expected):
    assert format_score(value, digits=digits) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(2566, "thai", "๒๕๖๖"), (2566, "arabic", "2566"), ("๒๕๖๗", "arabic", "2567"), ("8317", "thai", "๘๓๑๗")],
)
def test_format_number(value, digits, expected):
    assert format_number(value, digits=digits) == expected


def test_unknown_digit_style_is_a_programming_error():
    with pytest.raises(ValueError, match="digits"):
        format_score(Decimal(1), digits="roman")
    with pytest.raises(ValueError, match="digits"):
        thai_date(datetime.date(2023, 6, 8), digits="roman")


# --- fiscal years -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2566, 2566),
        ("2566", 2566),
        ("๒๕๖๖", 2566),
        ("２５６６", 2566),
        (2023, 2566),
        ("2023", 2566),
        (1957, 2500),
        (2100, 2643),
        (66, 2566),
        ("66", 2566),
        ("๖๖", 2566),
        ("00", 2500),
        ("99", 2599),
        ("พ.ศ. 2566", 2566),
        ("พ.ศ.๒๕๖๖", 2566),
        ("พศ 2566", 2566),
        ("ปีงบประมาณ 2566", 2566),
        ("ปีงบประมาณ ๒๕๖๗", 2567),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๗", 2567),
        ("ปีงบประมาณ\xa0พ.ศ.\xa0๒๕๖๘", 2568),
        ("FY2023", 2566),
        ("fy 2566", 2566),
        ("FY66", 2566),
        ("ค.ศ. 2023", 2566),
        ("ค.ศ.2024", 2567),
        ("ค.ศ. 23", 2566),
        (" 2567 ", 2567),
        (2566.0, 2566),
        (Decimal("2566"), 2566),
        (2500, 2500),
        (2700, 2700),
    ],
)
def test_parse_fiscal_year_accepts(value, expected):
    assert parse_fiscal_year(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (2701, "นอกช่วง"),
        (2499, "นอกช่วง"),
        (1949, "นอกช่วง"),  # below the ค.ศ. window and far below พ.ศ. 2500
        (1950, "๒๔๙๓"),  # ค.ศ. 1950 is พ.ศ. 2493, before the accepted range
        (2101, "นอกช่วง"),  # above the ค.ศ. window, so read as พ.ศ. 2101
        ("พ.ศ. 2023", "นอกช่วง"),  # an explicit พ.ศ. is taken at its word
        ("ค.ศ. 2500", "นอกช่วง"),  # an explicit ค.ศ. always adds 543
        ("๓๐๐๐", "นอกช่วง"),
        ("123", "ไม่ใช่ปีงบประมาณ"),
        ("6", "ไม่ใช่ปีงบประมาณ"),
        ("25666", "ไม่ใช่ปีงบประมาณ"),
        ("", "ไม่ใช่ปีงบประมาณ"),
        ("ปีงบประมาณ", "ไม่ใช่ปีงบประมาณ"),
        ("2566-2567", "ไม่ใช่ปีงบประมาณ"),
        ("-2566", "ไม่ใช่ปีงบประมาณ"),
        ("2566.5", "ไม่ใช่ปีงบประมาณ"),
        ("abc", "ไม่ใช่ปีงบประมาณ"),
        (2566.5, "ไม่ใช่ปีงบประมาณ"),
        (float("nan"), "ไม่ใช่ปีงบประมาณ"),
        (True, "ไม่ใช่ปีงบประมาณ"),
        (None, "ไม่ใช่ปีงบประมาณ"),
    ],
)
def test_parse_fiscal_year_rejects(value, fragment):
    with pytest.raises(ThaiValueError) as excinfo:
        parse_fiscal_year(value)
    assert_thai_error(excinfo, fragment)


def test_out_of_range_year_message_names_the_year_in_thai_digits():
    with pytest.raises(ThaiValueError) as excinfo:
        parse_fiscal_year("2750")
    assert_thai_error(excinfo, "๒๗๕๐", "๒๕๐๐", "๒๗๐๐")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2022, 10, 1), 2566),
        (datetime.date(2023, 9, 30), 2566),
        (datetime.date(2023, 10, 1), 2567),
        (datetime.date(2024, 1, 15), 2567),
    ],
)
def test_fiscal_year_of(day, expected):
    assert fiscal_year_of(day) == expected


# --- item codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ข้อ O๑๓", "o13"),
        ("○13", "o13"),
        ("0๑๑", "o11"),
        ("๐๒๗", "o27"),
        ("O 27", "o27"),
        ("i๑", "i1"),
        ("E๔", "e4"),
        ("ข้อ e๙", "e9"),
        ("O1", "o1"),
        ("o๑", "o1"),
        ("ข้อ o๑๓", "o13"),
        ("ข้อ i๗", "i7"),
        ("I7", "i7"),
        ("i7", "i7"),
        ("O07", "o7"),
        ("๐๗", "o7"),
        ("007", "o7"),
        ("ข้อ ๐๒๘", "o28"),
        ("ข้อ 0๒๕", "o25"),
        ("ข้อ E๑๐", "e10"),
        ("ข้อที่ O5", "o5"),
        ("ข้อที่i12", "i12"),
        ("ข้อo๑", "o1"),
        ("◯13", "o13"),
        ("\u20dd13", "o13"),  # combining enclosing circle
        ("⭘13", "o13"),
        ("〇13", "o13"),
        ("\u041e13", "o13"),  # Cyrillic capital O
        ("\u043e13", "o13"),  # Cyrillic small o
        ("\u039f13", "o13"),  # Greek capital omicron
        ("\u03bf13", "o13"),  # Greek small omicron
        ("Ｏ１３", "o13"),  # full-width
        ("\u0415 4", "e4"),  # Cyrillic capital Ie
        ("\u0406 7", "i7"),  # Cyrillic capital Byelorussian-Ukrainian I
        ("O27.", "o27"),
        ("o27:", "o27"),
        ("  O 27 . ", "o27"),
        ("\u200bO27\xa0", "o27"),
        ("o999", "o999"),
        ("O0999", "o999"),
    ],
)
def test_normalize_item_code_accepts_every_spelling(text, expected):
    assert normalize_item_code(text) == expected
    assert is_item_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "x5",
        "i",
        "",
        "   ",
        "i0",
        "o00",
        "๐๐",
        "7",
        "๗",
        "ข้อ 7",
        "ข้อที่ ๕",
        "o1000",
        "O00007",
        "i-7",
        "i7a",
        "ii7",
        "i7.5",
        "O27..",
        "ข้อ",
        "o٣",  # Arabic-Indic digit
        "l7",
        "a1",
    ],
)
def test_normalize_item_code_rejects(text):
    with pytest.raises(ThaiValueError) as excinfo:
        normalize_item_code(text)
    assert_thai_error(excinfo, "รหัสข้อ")
    assert not is_item_code(text)


@pytest.mark.parametrize("value", [None, 7, b"o7"])
def test_normalize_item_code_rejects_non_text(value):
    with pytest.raises(ThaiValueError):
        normalize_item_code(value)
    assert not is_item_code(value)


_CODE_LETTERS = st.sampled_from([*"OoIiEe0๐○◯", "\u041e", "\u03bf", "Ｏ", "\u20dd"])
_CODE_DIGITS = st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙０１２３４５６７８９", min_size=1, max_size=4)
_CODE_TEXT = st.builds(
    lambda prefix, letter, gap, number, tail: f"{prefix}{letter}{gap}{number}{tail}",
    st.sampled_from(["", "ข้อ ", "ข้อ", "ข้อที่ ", " "]),
    _CODE_LETTERS,
    st.sampled_from(["", " "]),
    _CODE_DIGITS,
    st.sampled_from(["", ".", ":", " "]),
)


@given(_CODE_TEXT)
def test_property_item_code_is_canonical_and_idempotent(text):
    try:
        code = normalize_item_code(text)
    except ThaiValueError:
        return
    assert re.fullmatch(r"[ieo][1-9][0-9]{0,2}", code)
    assert normalize_item_code(code) == code
    assert normalize_item_code(code.upper()) == code


@given(st.text(max_size=12))
def test_property_arbitrary_text_never_crashes_item_code(text):
    assert is_item_code(text) in (True, False)


# --- months and dates -------------------------------------------------------------------------


def test_month_tables():
    assert MONTH_ABBRS == (
        "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    )  # fmt: skip
    assert len(MONTH_NAMES) == 12
    assert MONTH_NAMES[0] == "มกราคม"
    assert MONTH_NAMES[6] == "กรกฎาคม"
    assert MONTH_NAMES[11] == "ธันวาคม"


@pytest.mark.parametrize(("month", "abbr", "name"), list(zip(range(1, 13), MONTH_ABBRS, MONTH_NAMES, strict=True)))
def test_month_both_ways(month, abbr, name):
    assert month_abbr(month) == abbr
    assert month_name(month) == name
    assert parse_month(abbr) == month
    assert parse_month(name) == month
    assert parse_month(abbr.replace(".", "")) == month
    assert parse_month(abbr.rstrip(".")) == month
    assert parse_month(f"  {abbr}\u200b ") == month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ม.ค.", 1),
        ("มค", 1),
        ("ม.ค", 1),
        ("มกราคม", 1),
        (" มี.ค. ", 3),
        ("มี. ค.", 3),
        ("มีนา", 3),
        ("กรกฏาคม", 7),  # frequent misspelling with ฏ
        ("พ.ย.", 11),
        ("ธันวา", 12),
    ],
)
def test_parse_month_forms(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["", "ม", "ม.ค.ค.", "มกรา คม x", "Jan", "13", "๑", "มีนาคมม", None])
def test_parse_month_rejects(text):
    with pytest.raises(ThaiValueError) as excinfo:
        parse_month(text)
    assert_thai_error(excinfo, "เดือน")


@pytest.mark.parametrize("month", [0, 13, -1, True, "1", None])
def test_month_abbr_rejects_bad_numbers(month):
    with pytest.raises(ThaiValueError):
        month_abbr(month)


@given(st.integers(min_value=1, max_value=12))
def test_property_month_abbr_round_trip(month):
    assert parse_month(month_abbr(month)) == month
    assert parse_month(month_name(month)) == month


@pytest.mark.parametrize(
    ("day", "digits", "expected"),
    [
        (datetime.date(2023, 6, 8), "thai", "๘ มิถุนายน ๒๕๖๖"),
        (datetime.date(2023, 6, 8), "arabic", "8 มิถุนายน 2566"),
        (datetime.date(2024, 10, 31), "thai", "๓๑ ตุลาคม ๒๕๖๗"),
        (datetime.date(2025, 1, 1), "arabic", "1 มกราคม 2568"),
    ],
)
def test_thai_date(day, digits, expected):
    assert thai_date(day, digits=digits) == expected


@given(st.dates(min_value=datetime.date(1957, 1, 1), max_value=datetime.date(2157, 12, 31)))
def test_property_thai_date_uses_the_month_table(day):
    text = thai_date(day, digits="arabic")
    assert text == f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year + 543}"


# --- text normalisation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("เเก้ไข", "แก้ไข"),  # two sara e typed for sara ae
        ("เทศบาลตำบลหนองเล็ง", "เทศบาลตำบลหนองเล็ง"),
        ("ต\u0e4d\u0e32บล", "ตำบล"),  # nikhahit + sara aa typed for sara am
        ("  องค์การบริหารส่วนตำบลโละจูด  ", "องค์การบริหารส่วนตำบลโละจูด"),
        ("ภาษา\u200bไทย", "ภาษาไทย"),
        ("e\u0301", "\u00e9"),  # NFC composes
        ("ย่อหน้าแรก\n\nย่อหน้าสอง", "ย่อหน้าแรก\n\nย่อหน้าสอง"),  # paragraphs survive
        ("บรรทัด\r\nใหม่", "บรรทัด\nใหม่"),
        ("", ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@given(st.text(alphabet="กขคงเแะาำิีึืุู่้๊๋็์ํ \n", max_size=30))
def test_property_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
