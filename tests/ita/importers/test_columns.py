"""Header spellings, digit forms, shape detection and row parsing (no database)."""

from decimal import Decimal

import pytest

from ita.importers.columns import (
    Field,
    detect_shape,
    match_header,
    match_indicator_name,
    normalize_header,
    parse_what,
    row_values,
)

SPELLINGS = {
    Field("org_code"): ["รหัสหน่วยงาน", "รหัส", "รหัส อปท.", "org_code", "code", "agency_code", "ORG-CODE"],
    Field("org_name"): ["ชื่อหน่วยงาน", "หน่วยงาน", "name", "agency", "organization", "Name"],
    Field("org_type"): ["ประเภทหน่วยงาน", "ประเภท", "type"],
    Field("district"): ["อำเภอ", "district"],
    Field("province"): ["จังหวัด", "province"],
    Field("fiscal_year"): ["ปีงบประมาณ", "ปีงบประมาณ พ.ศ.", "ปี", "fiscal_year", "year", "Fiscal Year"],
    Field("overall"): [
        "คะแนนรวม", "คะแนน ITA", "คะแนนภาพรวม", "ITA", "overall", "total", "คะแนน  ita",
        # What agencies copy (FRAMEWORK.md §7): NACC's "คะเเนน ITA" with a doubled sara e, and others.
        "คะเเนน ITA", "คะเเนน  ita", "คะเเนนรวม", "คะแนนภาพรวมหน่วยงาน", "คะแนนภาพรวม หน่วยงาน", "คะเเนนภาพรวมหน่วยงาน",
        "คะแนนที่ได้", "คะเเนนที่ได้", "Rating Score", "rating score", "RATING_SCORE", "Rating-Score",
    ],
    Field("level"): ["ระดับ", "ระดับผลการประเมิน", "level", "grade"],
    Field("tool", "IIT"): ["IIT", "คะแนน IIT", "iit"],
    Field("tool", "EIT"): ["EIT", "คะแนน EIT"],
    Field("tool", "EIT1"): ["EIT ส่วนที่ 1", "EIT ส่วนที่ ๑", "EIT1", "EIT_1", "EIT Public", "ＥＩＴ１"],
    Field("tool", "EIT2"): ["EIT ส่วนที่ 2", "EIT ส่วนที่ ๒", "EIT2", "EIT Survey"],
    Field("tool", "OIT"): ["OIT", "คะแนน OIT", "คะเเนน OIT"],
    Field("indicator", "7"): [
        "ตัวชี้วัดที่ 7", "ตัวชี้วัดที่ ๗", "ตัวชี้วัดที่ ７", "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร",
        "ตัวชี้วัดที่ ๗ ประสิทธิภาพ การสื่อสาร", "ind 7", "IND_7", "indicator 7", "Indicator-7",
    ],
    Field("indicator", "10"): ["ตัวชี้วัดที่ ๑๐", "ตัวชี้วัดที่ 10 การป้องกันการทุจริต", "ind10"],
    Field("item", "i7"): ["i7", "I7", "ข้อ i๗", "ข้อ i7", "ข้อที่ i 7"],
    Field("item", "e4"): ["E๔", "e4", "ข้อ E๔"],
    Field("item", "o13"): ["O๑๓", "o13", "○13", "ข้อ O๑๓", "๐๑๓", "013"],
    Field("item", "o11"): ["0๑๑", "ข้อ 0๑๑"],
    Field("item", "o27"): ["๐๒๗", "O27"],
    Field("what"): ["รายการ", "ตัวชี้วัด/ข้อ", "item"],
    Field("score"): ["คะแนน", "score", "value"],
}  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [(text, field) for field, texts in SPELLINGS.items() for text in texts])
def test_every_header_spelling(text, expected):
    assert match_header(text) == expected


@pytest.mark.parametrize("text", ["", None, "   ", "foo", "ตัวชี้วัดที่ 11", "ตัวชี้วัดที่ 1 ประสิทธิภาพการสื่อสาร", "ind"])
def test_unknown_headers(text):
    assert match_header(text) is None


def test_i7_is_an_item_not_indicator_7():
    assert match_header("i7") == Field("item", "i7")
    assert match_header("ind7") == Field("indicator", "7")


def test_normalize_header_unifies_case_spacing_and_digits():
    assert normalize_header(" Fiscal_Year ") == normalize_header("fiscal-year") == "fiscalyear"
    assert normalize_header("ตัวชี้วัดที่ ๗") == normalize_header("ตัวชี้วัดที่7") == normalize_header("ตัวชี้วัดที่ ７")


def test_normalize_header_reads_a_doubled_sara_e_as_sara_ae():
    assert (
        normalize_header("คะเเนน ITA")
        == normalize_header("คะ เ เนน ITA")
        == normalize_header("คะแนน ITA")
        == "คะแนนita"
    )
    assert normalize_header("เเ") == "แ" and normalize_header("เ") == "เ"  # one sara e is left alone


def test_a_doubled_sara_e_in_an_indicator_name_still_matches():
    assert match_indicator_name("การเเก้ไขปัญหาการทุจริต") == 5
    assert match_header("ตัวชี้วัดที่ ๕ การเเก้ไขปัญหาการทุจริต") == Field("indicator", "5")


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("การแก้ปัญหาคการทุจริต", 5),
        ("การปรับปรุงระบบการทำงาน", 8),
        ("การปรับปรุงการทำงาน", 8),
        ("การใช้ ทรัพย์สินของ ทางราชการ", 4),
        ("คุณภาพดำเนินการ", 6),
        ("การป้องกันการทุจริต", 10),
        ("ผลการประเมิน", None),
    ],
)
def test_indicator_names_are_matched_tolerantly(name, number):
    assert match_indicator_name(name) == number


WIDE = ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "จังหวัด", "ปีงบประมาณ", "คะแนนรวม", "ระดับ", "IIT", "ตัวชี้วัดที่ ๗", "i7", "O27"]


def test_wide_shape():
    shape = detect_shape(WIDE)
    assert shape.kind == "wide" and shape.errors == []
    assert shape.columns[7] == Field("indicator", "7")
    assert shape.columns[8] == Field("item", "i7")
    assert shape.columns[9] == Field("item", "o27")


def test_long_shape_and_code_column():
    assert detect_shape(["รหัสหน่วยงาน", "ปี", "รายการ", "คะแนน"]).kind == "long"
    shape = detect_shape(["รหัสหน่วยงาน", "ปี", "code", "score"])
    assert shape.kind == "long" and shape.errors == []
    assert shape.columns[2] == Field("what")
    # A plain "code" is the organisation code when nothing else is.
    assert detect_shape(["code", "year", "รายการ", "value"]).columns[0] == Field("org_code")


def test_shape_errors_name_column_letter_number_and_header():
    shape = detect_shape(["รหัส", "ปี", "IIT", "คะแนน IIT", "อะไรนะ"])
    assert "คอลัมน์ D (ที่ 4) 'คะแนน IIT': ซ้ำกับคอลัมน์ C (ที่ 3) 'IIT' (หมายถึงข้อมูลเดียวกัน)" in shape.errors
    assert "คอลัมน์ E (ที่ 5) 'อะไรนะ': ไม่รู้จักหัวคอลัมน์นี้" in shape.errors


def test_missing_org_code_and_year():
    errors = detect_shape(["ชื่อหน่วยงาน", "IIT"]).errors
    assert any("รหัสหน่วยงาน" in e for e in errors) and any("ปีงบประมาณ" in e for e in errors)


def test_score_obtained_is_the_overall_in_a_wide_file():
    shape = detect_shape(["รหัสหน่วยงาน", "ปีงบประมาณ", "คะแนนที่ได้", "ระดับผลการประเมิน"])
    assert shape.kind == "wide" and shape.errors == []
    assert shape.columns[2] == Field("overall")
    data, errors = row_values(shape, ["A", "2567", "๘๒.๗๖", "ผ่าน"], 2)
    assert errors == [] and data.official_overall == Decimal("82.76") and data.values == {}


def test_score_obtained_beside_a_what_column_is_each_rows_score():
    shape = detect_shape(["รหัสหน่วยงาน", "ปีงบประมาณ", "รายการ", "คะแนนที่ได้"])
    assert shape.kind == "long" and shape.errors == []
    assert shape.columns[3] == Field("score")
    data, errors = row_values(shape, ["A", "2567", "o1", "100"], 2)
    assert errors == [] and data.values == {("item", "o1"): Decimal("100")} and data.official_overall is None


def test_score_obtained_and_another_overall_in_a_wide_file_is_a_duplicate():
    errors = detect_shape(["รหัส", "ปี", "คะแนนรวม", "คะแนนที่ได้"]).errors
    assert "คอลัมน์ D (ที่ 4) 'คะแนนที่ได้': ซ้ำกับคอลัมน์ C (ที่ 3) 'คะแนนรวม' (หมายถึงข้อมูลเดียวกัน)" in errors


def test_long_format_needs_both_what_and_score():
    assert any("รายการ" in e for e in detect_shape(["รหัส", "ปี", "คะแนน"]).errors)
    assert any("คะแนน" in e for e in detect_shape(["รหัส", "ปี", "รายการ"]).errors)


def test_blank_header_cells_are_ignored():
    shape = detect_shape(["รหัส", None, "ปี", ""])
    assert shape.errors == [] and set(shape.columns) == {0, 2}


def test_wide_row_values():
    shape = detect_shape(WIDE)
    row = ["๖๓๘๐๑๐๑", "  เทศบาลตำบล  หนองเล็ง ", "บึงกาฬ", "๖๔", "๘๒.๗๖", "ต้องปรับปรุง  โดยด่วน", "８９.５", None, "", "0"]
    data, errors = row_values(shape, row, 2)
    assert errors == []
    assert (data.org_code, data.org_name, data.province) == ("6380101", "เทศบาลตำบล หนองเล็ง", "บึงกาฬ")
    assert data.fiscal_year == 2564
    assert (data.official_overall, data.official_level) == (Decimal("82.76"), "ต้องปรับปรุง โดยด่วน")
    # Blank cells are absent, never zero; a real zero is kept.
    assert data.values == {("tool", "IIT"): Decimal("89.5"), ("item", "o27"): Decimal("0")}


def test_row_errors_name_row_column_and_value():
    shape = detect_shape(WIDE)
    data, errors = row_values(shape, ["A", "x", "y", "1999x", "105", "", "85,5", "84.999", "", ""], 7)
    assert [(e.row, e.column, e.value) for e in errors] == [
        (7, 4, "1999x"), (7, 5, "105"), (7, 7, "85,5"), (7, 8, "84.999"),
    ]  # fmt: skip
    assert errors[1].message.startswith("แถว 7 คอลัมน์ E (ที่ 5) 'คะแนนรวม':")
    assert data.values == {} and data.official_overall is None


def test_short_row_is_padded_with_blanks():
    data, errors = row_values(detect_shape(WIDE), ["A", "x"], 3)
    assert errors == [] and data.fiscal_year is None and data.values == {}


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("ตัวชี้วัดที่ ๗", Field("indicator", "7")),
        ("7", Field("indicator", "7")),
        ("๑๐", Field("indicator", "10")),
        ("ind 7", Field("indicator", "7")),
        ("ประสิทธิภาพการสื่อสาร", Field("indicator", "7")),
        ("i7", Field("item", "i7")),
        ("ข้อ ๐๒๗", Field("item", "o27")),
        ("EIT ส่วนที่ ๒", Field("tool", "EIT2")),
        ("คะแนนรวม", Field("overall")),
        ("overall", Field("overall")),
        ("ระดับ", Field("level")),
        ("level", Field("level")),
        ("คะเเนน ITA", Field("overall")),
        ("คะแนนภาพรวมหน่วยงาน", Field("overall")),
        ("Rating Score", Field("overall")),
        ("คะแนนที่ได้", None),  # every long row's score is "the score obtained": it names nothing
        ("11", None),
        ("อะไรนะ", None),
    ],
)
def test_parse_what(what, expected):
    assert parse_what(what) == expected


def test_long_rows():
    shape = detect_shape(["รหัสหน่วยงาน", "ปี", "รายการ", "คะแนน"])
    assert row_values(shape, ["A", "2566", "ตัวชี้วัดที่ ๗", "๘๕.๕"], 2)[0].values == {("indicator", "7"): Decimal("85.5")}
    assert row_values(shape, ["A", "2566", "ระดับ", "ผ่านดี"], 3)[0].official_level == "ผ่านดี"
    assert row_values(shape, ["A", "2566", "คะแนนรวม", "91.47"], 4)[0].official_overall == Decimal("91.47")
    data, errors = row_values(shape, ["A", "2566", "i7", ""], 5)
    assert errors == [] and data.values == {}
    _, errors = row_values(shape, ["A", "2566", "อะไรนะ", "50"], 6)
    assert [(e.row, e.column, e.value) for e in errors] == [(6, 3, "อะไรนะ")]
    _, errors = row_values(shape, ["A", "2566", "", "50"], 7)
    assert [(e.row, e.column) for e in errors] == [(7, 3)]
    _, errors = row_values(shape, ["A", "2566", "IIT", "-1"], 8)
    assert [(e.row, e.column, e.value) for e in errors] == [(8, 4, "-1")]
