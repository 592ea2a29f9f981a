"""read_table: encodings, delimiters, line endings, xlsx, and hostile files (SECURITY.md I1–I4)."""

import csv
import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from ita.importers import parse
from ita.importers.parse import Limits, ParseError, column_letter, excel_value_text, read_table

HEADER = ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ปีงบประมาณ", "คะแนนรวม"]
ROWS = [
    HEADER,
    ["6380101", "เทศบาลตำบล “หนองเล็ง” – ทดสอบ", "2564", "82.76"],
    ["6380102", "อบต. ก, ข", "2565", "84.99"],
    ["6380103", "อบต. ค", None, "85"],
]


def to_text(rows, delimiter=",", newline="\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows([[cell or "" for cell in row] for row in rows])
    return buffer.getvalue()


def xlsx_bytes(rows, *, title="Sheet") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (to_text(ROWS).encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + to_text(ROWS).encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + to_text(ROWS, "\t").encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + to_text(ROWS, "\t").encode("utf-16-be"), "utf-16"),
        (to_text(ROWS).encode("cp874"), "cp874"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-tab", "utf16be-tab", "cp874"],
)
def test_encodings_parse_identically(data, encoding):
    table = read_table(data, "results.csv")
    assert table.rows == ROWS
    assert table.encoding == encoding
    assert table.errors == []


def test_cp874_keeps_typographic_quotes_and_dash():
    table = read_table(to_text(ROWS).encode("cp874"), "x.csv")
    assert table.rows[1][1] == "เทศบาลตำบล “หนองเล็ง” – ทดสอบ"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_delimiters_and_line_endings(delimiter, newline):
    table = read_table(to_text(ROWS, delimiter, newline).encode("utf-8"), "results.txt")
    assert table.rows == ROWS
    assert table.delimiter == delimiter


def test_single_column_file_and_unknown_extension():
    assert read_table("รหัส\nA1\n".encode(), "upload").rows == [["รหัส"], ["A1"]]


def test_nul_bytes_are_refused():
    with pytest.raises(ParseError, match="NUL"):
        read_table(b"a,b\n1,\x002\n", "x.csv")


def test_undecodable_file_is_refused_in_thai():
    with pytest.raises(ParseError, match="รหัสอักขระ"):
        read_table(b"a,b\n\xdb\xfc\xff,1\n", "x.csv")  # bytes undefined in both UTF-8 and cp874


@pytest.mark.parametrize(
    ("data", "name"),
    [(parse.OLE2_MAGIC + b"\x00" * 100, "old.bin"), (b"anything", "ผล.XLS")],
)
def test_xls_asks_for_xlsx(data, name):
    with pytest.raises(ParseError, match=r"\.xlsx"):
        read_table(data, name)


def test_xlsx_parses_to_the_same_rows_as_csv():
    rows = [HEADER, ["6380101", "เทศบาลตำบล “หนองเล็ง” – ทดสอบ", 2564, 82.76], ["6380102", "อบต. ก, ข", 2565, 84.99]]
    rows.append(["6380103", "อบต. ค", None, 85.0])
    table = read_table(xlsx_bytes(rows, title="ข้อมูล"), "results.xlsx")
    assert table.rows == ROWS
    assert table.sheet == "ข้อมูล"


def test_xlsx_prefers_the_results_sheet():
    workbook = openpyxl.Workbook()
    workbook.active.append(["หมายเหตุ"])
    workbook.create_sheet("ผลการประเมิน").append(["รหัส"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "x.xlsx")
    assert (table.sheet, table.rows) == ("ผลการประเมิน", [["รหัส"]])


def test_formula_cell_is_a_cell_error_not_a_blank():
    table = read_table(xlsx_bytes([HEADER, ["A1", "x", 2564, "=80+5"]]), "x.xlsx")
    assert table.rows[1] == ["A1", "x", "2564"]
    [error] = table.errors
    assert (error.row, error.column, error.value) == (2, 4, "=80+5")
    assert "สูตร" in error.message


def test_control_character_is_a_cell_error():
    table = read_table(b"a,b\n1,x\x07y\n", "x.csv")
    [error] = table.errors
    assert (error.row, error.column, error.value) == (2, 2, "x\x07y")
    assert table.rows[1] == ["1", None]


@pytest.mark.parametrize(
    ("value", "text"),
    [(84.99, "84.99"), (85.0, "85"), (85, "85"), (0.1 + 0.2, "0.3"), (84.99000000000001, "84.99"), (1e-7, "0.0000001")],
)
def test_excel_numbers_have_no_float_artefacts(value, text):
    assert excel_value_text(value) == text


def test_column_letter():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


# --- hostile xlsx -----------------------------------------------------------------------------


@pytest.fixture
def no_reader(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the cell reader must not open a hostile file")

    monkeypatch.setattr(parse.python_calamine, "load_workbook", refuse)


def zip_bomb(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_rejected_before_the_reader_with_small_memory(no_reader):
    data = zip_bomb(60)
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ParseError, match=r"zip bomb|เกินที่รับได้"):
            read_table(data, "bomb.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_compression_ratio_alone_is_enough_to_reject(no_reader):
    with pytest.raises(ParseError, match="zip bomb"):
        read_table(zip_bomb(2), "bomb.xlsx", limits=Limits(max_unzipped_bytes=10**9))


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info.filename))
    return buffer.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("padding", [b"", b"<!--" + b" " * 20000 + b"-->"])
def test_billion_laughs_rejected(no_reader, padding):
    data = replace_member(xlsx_bytes(ROWS), "xl/worksheets/sheet1.xml", BILLION_LAUGHS.replace(b"\n", b"\n" + padding))
    with pytest.raises(ParseError, match="DOCTYPE"):
        read_table(data, "x.xlsx")


def test_utf16_xml_part_rejected(no_reader):
    content = BILLION_LAUGHS.decode().replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16")
    data = replace_member(xlsx_bytes(ROWS), "xl/worksheets/sheet1.xml", content)
    with pytest.raises(ParseError, match="UTF-8"):
        read_table(data, "x.xlsx")


def test_path_traversal_member_rejected(no_reader):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/evil.xml", "<a/>")
    with pytest.raises(ParseError, match="ไม่ปลอดภัย"):
        read_table(buffer.getvalue(), "x.xlsx")


def test_too_many_members_rejected(no_reader):
    with pytest.raises(ParseError, match="ส่วนประกอบ"):
        read_table(xlsx_bytes(ROWS), "x.xlsx", limits=Limits(max_zip_members=3))


def test_damaged_zip_is_a_parse_error():
    with pytest.raises(ParseError, match="เสียหาย"):
        read_table(b"PK\x03\x04not really a zip", "x.xlsx")


# --- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(max_bytes=50), "ขนาด"),
        (Limits(max_rows=3), "แถว"),
        (Limits(max_columns=3), "คอลัมน์"),
        (Limits(max_cell_chars=20), "ตัวอักษร"),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_limits(limits, message, kind):
    data = to_text(ROWS).encode() if kind == "csv" else xlsx_bytes(ROWS)
    if kind == "xlsx" and limits.max_bytes == 50:
        limits = Limits(max_bytes=len(data) - 1)
    with pytest.raises(ParseError, match=message):
        read_table(data, f"x.{kind}", limits=limits)


def test_parse_error_names_row_and_column():
    with pytest.raises(ParseError) as caught:
        read_table(to_text(ROWS).encode(), "x.csv", limits=Limits(max_cell_chars=20))
    assert (caught.value.row, caught.value.column) == (2, 2)
    assert "แถว 2 คอลัมน์ B" in str(caught.value)
