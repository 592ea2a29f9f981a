"""Reading xlsx with python-calamine: values as the user sees them, formulas and error values found in the
sheet XML, the sheet's parts resolved inside the archive only, and damaged or far-reaching sheets refused."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest

from ita.importers import parse, sheetxml
from ita.importers.parse import FORMULA_MESSAGE, Limits, ParseError, read_table

SHEET = "xl/worksheets/sheet1.xml"
RELS = "xl/_rels/workbook.xml.rels"


def workbook_bytes(*titles: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = titles[0] if titles else "Sheet"
    workbook.active["A1"] = "x"
    for title in titles[1:]:
        workbook.create_sheet(title)["A1"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, name: str, change) -> bytes:
    """The same archive with one member's bytes passed through change()."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, change(body) if info.filename == name else body)
    return buffer.getvalue()


def with_sheet_data(sheet_data: str, *, member: str = SHEET, data: bytes | None = None) -> bytes:
    def replace(body: bytes) -> bytes:
        return re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", f"<sheetData>{sheet_data}</sheetData>".encode(), body)

    return rewrite(data or workbook_bytes(), member, replace)


@pytest.fixture
def no_reader(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the cell reader must not open this file")

    monkeypatch.setattr(parse.python_calamine, "load_workbook", refuse)


HEAD = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>รหัส</t></is></c><c r="B1" t="inlineStr"><is><t>คะแนน</t></is></c></row>'
)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ('<c r="B2"><f>80+5</f><v>85</v></c>', "=80+5"),
        ('<c r="B2"><f t="shared" ref="B2:B3" si="0">C2*2</f><v>4</v></c>', "=C2*2"),
        ('<c r="B2"><f t="array" ref="B2">SUM(C2:C3*2)</f><v>4</v></c>', "=SUM(C2:C3*2)"),
    ],
    ids=["normal", "shared-master", "array"],
)
def test_formula_cells_are_errors_at_their_cell(cell, value):
    data = with_sheet_data(HEAD + f'<row r="2"><c r="A2"><v>7</v></c>{cell}</row>')
    table = read_table(data, "x.xlsx")
    assert table.rows == [["รหัส", "คะแนน"], ["7"]]
    [error] = table.errors
    assert (error.row, error.column, error.value, error.message) == (2, 2, value, FORMULA_MESSAGE)


def test_shared_formula_children_are_errors_too():
    rows = (
        '<row r="2"><c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2</f><v>2</v></c></row>'
        '<row r="3"><c r="B3"><f t="shared" si="0"/><v>4</v></c></row>'
        '<row r="4"><c r="A4"><v>1</v></c><c r="B4"><f t="shared" si="0"/><v>6</v></c></row>'
    )
    table = read_table(with_sheet_data(HEAD + rows), "x.xlsx")
    assert [(error.row, error.column) for error in table.errors] == [(2, 2), (3, 2), (4, 2)]
    assert table.rows[1:] == [[], [], ["1"]]


def test_formula_in_a_prefixed_namespace_is_found():
    namespace = sheetxml.MAIN_NS
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="{namespace}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="C1"><x:f>A1+1</x:f><x:v>2</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    table = read_table(rewrite(workbook_bytes(), SHEET, lambda _: body.encode()), "x.xlsx")
    assert table.rows == [["1"]]
    assert [(error.row, error.column, error.value) for error in table.errors] == [(1, 3, "=A1+1")]


@pytest.mark.parametrize("error_value", ["#DIV/0!", "#N/A", "#REF!"])
def test_error_values_are_errors_not_blanks(error_value):
    data = with_sheet_data(HEAD + f'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="e"><v>{error_value}</v></c></row>')
    table = read_table(data, "x.xlsx")
    [error] = table.errors
    assert (error.row, error.column, error.value) == (2, 2, error_value)
    assert error_value in error.message
    assert table.rows[1] == ["1"]


def test_text_that_looks_like_an_error_value_is_text():
    data = with_sheet_data(HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>#DIV/0!</t></is></c></row>')
    table = read_table(data, "x.xlsx")
    assert (table.rows[1], table.errors) == (["#DIV/0!"], [])


def test_numbers_dates_and_booleans_read_as_the_user_sees_them():
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b", "c", "d", "e", "f", "g", "h"])
    day, moment = datetime.date(2024, 1, 5), datetime.datetime(2024, 1, 5, 10, 30)
    workbook.active.append([84.99, 85.0, 1e-7, 0.1 + 0.2, day, moment, True, 6380101])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "x.xlsx")
    assert table.rows[1] == [
        "84.99",
        "85",
        "0.0000001",
        "0.3",
        "2024-01-05T00:00:00",
        "2024-01-05T10:30:00",
        "TRUE",
        "6380101",
    ]
    assert table.errors == []


def test_cells_keep_their_place_when_the_data_starts_away_from_a1():
    data = with_sheet_data(
        '<row r="3"><c r="C3"><v>1</v></c></row><row r="5"><c r="B5"><v>2</v></c><c r="E5"><v>3</v></c></row>'
    )
    table = read_table(data, "x.xlsx")
    assert table.rows == [[], [], [None, None, "1"], [], [None, "2", None, None, "3"]]


def test_the_results_sheet_is_read_and_its_formulas_reported():
    data = workbook_bytes("หมายเหตุ", "ผลการประเมิน ปี 2567")
    data = with_sheet_data('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>', data=data)  # the notes sheet
    sheet_data = '<row r="1"><c r="A1"><v>5</v></c><c r="B1"><f>A1*2</f><v>10</v></c></row>'
    data = with_sheet_data(sheet_data, member="xl/worksheets/sheet2.xml", data=data)
    table = read_table(data, "x.xlsx")
    assert (table.sheet, table.rows) == ("ผลการประเมิน ปี 2567", [["5"]])
    assert [(error.row, error.column, error.value) for error in table.errors] == [(1, 2, "=A1*2")]


@pytest.mark.parametrize(
    "target",
    [
        "../../etc/passwd",
        "worksheets/../../../sheet1.xml",
        "file:///etc/passwd",
        "http://example.org/sheet1.xml",
        "C:/sheet1.xml",
        "worksheets\\sheet1.xml",
    ],
)
def test_a_sheet_relationship_pointing_outside_the_archive_is_refused(no_reader, target):
    data = rewrite(workbook_bytes(), RELS, lambda body: body.replace(b"/xl/worksheets/sheet1.xml", target.encode()))
    with pytest.raises(ParseError, match="นอกไฟล์"):
        read_table(data, "x.xlsx")


def test_an_external_sheet_relationship_is_refused(no_reader):
    data = rewrite(
        workbook_bytes(),
        RELS,
        lambda body: body.replace(
            b'Target="/xl/worksheets/sheet1.xml"', b'Target="worksheets/sheet1.xml" TargetMode="External"'
        ),
    )
    with pytest.raises(ParseError, match="นอกไฟล์"):
        read_table(data, "x.xlsx")


@pytest.mark.parametrize("target", ["/xl/worksheets/sheet1.xml", "worksheets/sheet1.xml"])
def test_relative_and_package_absolute_targets_inside_the_archive_are_read(target):
    data = rewrite(workbook_bytes(), RELS, lambda body: body.replace(b"/xl/worksheets/sheet1.xml", target.encode()))
    assert read_table(data, "x.xlsx").rows == [["x"]]


def test_a_missing_sheet_part_is_a_thai_error(no_reader):
    data = rewrite(workbook_bytes(), RELS, lambda body: body.replace(b"sheet1.xml", b"sheet9.xml"))
    with pytest.raises(ParseError, match="ไม่มีอยู่ในไฟล์"):
        read_table(data, "x.xlsx")


def corrupt_crc(data: bytes, name: str) -> bytes:
    """Flip one byte of a stored (uncompressed) member's data, leaving the zip directory as it was."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    stored = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(stored))).getinfo(name)
    body_at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    position = bytes(stored).index(b"<sheetData>", body_at) + 2
    stored[position] ^= 0x01  # "<sheetData>" → "<rheetData>": same length, wrong CRC
    return bytes(stored)


@pytest.mark.parametrize("member", [SHEET, "xl/styles.xml", "docProps/app.xml"])
def test_a_bad_crc_inside_the_archive_is_a_thai_parse_error(member):
    data = workbook_bytes()
    if member == SHEET:
        data = corrupt_crc(data, SHEET)
    else:
        data = rewrite(data, member, lambda body: body)
        source = zipfile.ZipFile(io.BytesIO(data))
        info = source.getinfo(member)
        raw = bytearray(data)
        body_at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        raw[body_at + info.compress_size // 2] ^= 0xFF
        data = bytes(raw)
    with pytest.raises(ParseError, match="เสียหาย"):
        read_table(data, "x.xlsx")


@pytest.mark.parametrize(
    ("far_cell", "message"),
    [("A1000001", "แถว"), ("KO1", "คอลัมน์"), ("KN100000", "พื้นที่")],
)
def test_a_far_cell_is_refused_before_the_reader_builds_its_grid(no_reader, far_cell, message):
    row = far_cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    data = with_sheet_data(
        f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{row}"><c r="{far_cell}"><v>2</v></c></row>'
    )
    with pytest.raises(ParseError, match=message):
        read_table(data, "x.xlsx")


def test_a_far_cell_written_without_the_usual_form_is_refused_too(no_reader):
    data = with_sheet_data('<row r="1"><c r="A1"><v>1</v></c></row><row r="9"><c s="0" r="XFD9"><v>2</v></c></row>')
    with pytest.raises(ParseError, match="คอลัมน์"):
        read_table(data, "x.xlsx")


def test_a_far_cell_in_a_part_no_sheet_names_is_refused_too(no_reader):
    data = workbook_bytes()
    extra = (
        f'<worksheet xmlns="{sheetxml.MAIN_NS}"><sheetData><row r="9"><c r="XFD1048576"/></row></sheetData></worksheet>'
    )
    data = rewrite(data, "xl/styles.xml", lambda body: body)  # recompress: then append one part
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/worksheets/hidden.xml", extra)
    with pytest.raises(ParseError, match=r"แถว|คอลัมน์|พื้นที่"):
        read_table(buffer.getvalue(), "x.xlsx")


def test_the_cell_budget_is_a_limit():
    data = with_sheet_data(
        '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row>'
    )
    assert read_table(data, "x.xlsx", limits=Limits(max_cells=6)).rows == [["1", None, "2"], ["3"]]
    with pytest.raises(ParseError, match="พื้นที่"):
        read_table(data, "x.xlsx", limits=Limits(max_cells=5))


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="2"><c r="B2"><v>1</v></c><c r="AB7"><v>1</v></c></row>',
        '<row r="2"><c s="1" r="B2"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c></row>',
        '<row r="4"><c><v>1</v></c><c><f>1</f></c></row>',
    ],
)
def test_thequick_scan_and_the_full_parse_agree(sheet_data):
    archive = zipfile.ZipFile(io.BytesIO(with_sheet_data(sheet_data)))
    quick = sheetxml.quick_scan(archive, SHEET, cells=False)
    full = sheetxml.full_scan(archive, SHEET, cells=False)
    assert (quick is None) == ("s=" in sheet_data or "<c>" in sheet_data)
    if quick is not None:
        assert (quick.rows, quick.columns) == (full.rows, full.columns) == (7, 28)
    assert sheetxml.scan_sheet(archive, SHEET, cells=True).rows == full.rows


def test_cell_reference():
    assert sheetxml.cell_reference("B12") == (12, 2)
    assert sheetxml.cell_reference("XFD1048576") == (1048576, 16384)
    for bad in ("A0", "b2", "1A", "ABCD1", ""):
        with pytest.raises(sheetxml.SheetXmlError):
            sheetxml.cell_reference(bad)
