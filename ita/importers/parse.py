"""Bytes of an uploaded file → rows of text cells, refusing hostile files before any parser runs.

Pure Python (no Django, no ORM) so that every attack in SECURITY.md I1–I4 is tested in milliseconds.
Whole-file problems raise ParseError; problems confined to one cell (formulas, control characters)
are collected in Table.errors so the user sees all of them at once.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import python_calamine

from ita.importers import sheetxml

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
TEXT_DELIMITERS = ",\t;"
# A sheet named like one of these is preferred over the first sheet.
RESULT_SHEET_HINTS = ("ผลการประเมิน", "result", "คะแนน", "score", "ita")


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what an upload may contain; every one is checked before the data is used."""

    max_bytes: int = 30 * 1024 * 1024
    max_rows: int = 1_000_000
    max_columns: int = 300
    max_cell_chars: int = 2_000
    # xlsx only: checked on the zip directory and the sheet XML before the cell reader sees the file.
    # The reader builds a dense grid from A1 to the farthest cell, so that grid is bounded too.
    max_cells: int = 5_000_000
    max_unzipped_bytes: int = 100 * 1024 * 1024
    # One part unzipped (a sheet's XML): reading time grows with it, ~1 s per 10 MB (bench/import_bounds.py).
    # The national file's sheet is ~29 MB.
    max_part_bytes: int = 40 * 1024 * 1024
    max_zip_members: int = 1_000
    max_ratio: int = 100
    ratio_min_size: int = 1024 * 1024
    max_xml_prolog: int = 64 * 1024


DEFAULT_LIMITS = Limits()


class ParseError(ValueError):
    """A problem with the whole file; str() is a Thai message for the user."""

    def __init__(self, message: str, *, row: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CellError:
    """A problem confined to one cell: row and column are 1-based as the user sees them."""

    row: int
    column: int
    value: str
    message: str


@dataclass
class Table:
    """The cells of one sheet or text file; rows[0] is the header row; blank cells are None."""

    rows: list[list[str | None]]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    errors: list[CellError] = field(default_factory=list)


def column_letter(column: int) -> str:
    """1 → A, 27 → AA: the name a spreadsheet user sees for a column."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(data: bytes, filename: str, *, limits: Limits = DEFAULT_LIMITS) -> Table:
    """Read an uploaded .xlsx or delimited text file into rows of text cells."""
    if len(data) > limits.max_bytes:
        raise ParseError(f"ไฟล์มีขนาด {_megabytes(len(data))} MB เกินขนาดสูงสุดที่รับได้ {_megabytes(limits.max_bytes)} MB")
    name = filename.lower()
    if data.startswith(OLE2_MAGIC) or name.endswith(".xls"):
        raise ParseError("ไฟล์ .xls (Excel รุ่นเก่า) ไม่รองรับ กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx (Excel Workbook) แล้วนำเข้าใหม่")
    if data.startswith(ZIP_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data, limits)
    else:
        table = _read_text(data, limits)
    _trim(table)
    _check_cells(table, limits)
    return table


def read_file_bytes(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file named on the command line; ParseError in Thai when it is missing, unreadable or too big.

    The size is checked on the directory entry first, so an oversized file is refused before it is read whole.
    """
    try:
        if path.stat().st_size > limits.max_bytes:
            raise ParseError(f"ไฟล์ {path.name} ใหญ่เกินที่รับได้ ({limits.max_bytes // (1024 * 1024)} MB)")
        return path.read_bytes()
    except FileNotFoundError as error:
        raise ParseError(f"ไม่พบไฟล์ {path}") from error
    except OSError as error:
        raise ParseError(f"อ่านไฟล์ {path} ไม่ได้: {error}") from error


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


# --- xlsx ---------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, limits: Limits) -> Table:
    inspect_xlsx_archive(data, limits)
    name, scan = _scan_workbook(data, limits)
    try:
        workbook = python_calamine.load_workbook(io.BytesIO(data))
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = _xlsx_rows(sheet, scan)
        finally:
            workbook.close()
    except BaseException as exc:
        # A Rust panic arrives as pyo3's PanicException, which is not an Exception.
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise ParseError("เปิดไฟล์ .xlsx ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ Excel") from exc
    errors = [CellError(row, column, text, FORMULA_MESSAGE) for row, column, text in scan.formulas]
    errors += [CellError(row, column, text, f"ช่องนี้มีค่าผิดพลาดของ Excel ({text})") for row, column, text in scan.errors]
    errors.sort(key=lambda error: (error.row, error.column))
    return Table(rows=rows, sheet=name, errors=errors)


FORMULA_MESSAGE = "ช่องนี้เป็นสูตร (formula) ไม่ใช่ค่า กรุณาคัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า"
# What zipfile raises for a member it cannot read back: bad CRC, broken deflate data, a cut-off
# member, an unknown compression method, an encrypted member.
_ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)
_DAMAGED = "ไฟล์ .xlsx เสียหาย: ข้อมูลในส่วนประกอบ {name} ไม่ตรงกับที่บันทึกไว้ กรุณาบันทึกไฟล์จาก Excel ใหม่แล้วนำเข้าอีกครั้ง"


def _scan_workbook(data: bytes, limits: Limits) -> tuple[str, sheetxml.SheetScan]:
    """The sheet to read and its formula and error cells; every part read whole once (CRC) and bounded."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = ""
        try:
            sheets = sheetxml.worksheets(archive)
            name, chosen = _pick_sheet(sheets)
            chosen_scan = sheetxml.SheetScan()
            for info in archive.infolist():
                member = info.filename
                if member.lower().endswith(".xml"):
                    # Every part, not only the chosen one: the reader finds its sheet by its own rules.
                    scan = sheetxml.scan_sheet(archive, member, cells=member == chosen)
                    _check_reach(scan, limits)
                    if member == chosen:
                        chosen_scan = scan
                else:
                    _drain(archive, info)
        except sheetxml.SheetXmlError as exc:
            raise ParseError(str(exc)) from exc
        except _ZIP_READ_ERRORS as exc:
            raise ParseError(_DAMAGED.format(name=member[:80])) from exc
    return name, chosen_scan


def _drain(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a part to its end so that zipfile checks its size and CRC; nothing is kept."""
    with archive.open(info) as stream:
        while stream.read(sheetxml.CHUNK):
            pass


def _check_reach(scan: sheetxml.SheetScan, limits: Limits) -> None:
    if scan.rows > limits.max_rows:
        raise ParseError(_too_many_rows(limits), row=scan.rows)
    if scan.columns > limits.max_columns:
        raise ParseError(_too_many_columns(limits, scan.columns), column=scan.columns)
    if scan.rows * scan.columns > limits.max_cells:
        raise ParseError(
            f"แผ่นงานในไฟล์มีพื้นที่ {scan.rows:,} แถว × {scan.columns:,} คอลัมน์ เกินที่รับได้ "
            f"({limits.max_cells:,} ช่อง) กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช้ออกก่อนนำเข้า"
        )


def inspect_xlsx_archive(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse zip bombs, path tricks and DTDs using only the zip directory and each XML prolog."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ParseError("ไฟล์ .xlsx เสียหาย (ไม่ใช่ไฟล์ zip ที่ถูกต้อง)") from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_zip_members:
            raise ParseError(f"ไฟล์ .xlsx มีส่วนประกอบ {len(members)} รายการ เกินที่รับได้ {limits.max_zip_members} รายการ")
        total = sum(member.file_size for member in members)
        if total > limits.max_unzipped_bytes:
            raise ParseError(
                f"ไฟล์ .xlsx เมื่อขยายแล้วมีขนาด {_megabytes(total)} MB เกินที่รับได้ {_megabytes(limits.max_unzipped_bytes)} MB"
            )
        for member in members:
            _check_member(member, limits)
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                try:
                    _check_xml_prolog(archive, member, limits)
                except _ZIP_READ_ERRORS as exc:  # a small part is read whole here, so its CRC is checked
                    raise ParseError(_DAMAGED.format(name=member.filename[:80])) from exc


def _check_member(member: zipfile.ZipInfo, limits: Limits) -> None:
    name = member.filename
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        raise ParseError(f"ไฟล์ .xlsx มีชื่อส่วนประกอบที่ไม่ปลอดภัย: {name[:80]!r}")
    if member.file_size > limits.max_part_bytes:
        raise ParseError(
            f"ไฟล์ .xlsx มีส่วนประกอบ {name[:80]} ที่ขยายแล้วมีขนาด {_megabytes(member.file_size)} MB "
            f"เกินที่รับได้ {_megabytes(limits.max_part_bytes)} MB กรุณาลบแถว คอลัมน์ หรือรูปแบบที่ไม่ใช้ออก "
            "หรือแบ่งเป็นหลายไฟล์แล้วนำเข้าใหม่"
        )
    if member.file_size > limits.ratio_min_size:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise ParseError(
                f"ไฟล์ .xlsx มีส่วนประกอบที่ถูกบีบอัดผิดปกติ ({name[:80]} ขยายได้ {ratio:,.0f} เท่า "
                f"เกิน {limits.max_ratio} เท่า) อาจเป็นไฟล์อันตราย (zip bomb)"
            )


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")


def _check_xml_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Reject a DTD anywhere before the root element; defusedxml would too, this fails earlier and louder."""
    with archive.open(member) as stream:
        head = stream.read(limits.max_xml_prolog)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        # Excel always writes UTF-8; a UTF-16 part could hide a DTD from this byte scan.
        raise ParseError(f"ไฟล์ .xlsx มีส่วนประกอบ XML ที่ไม่ใช่ UTF-8 ({member.filename[:80]})")
    root = _ROOT_ELEMENT.search(head)
    prolog = head if root is None else head[: root.start()]
    if _DTD.search(prolog) or (root is None and _DTD.search(head)):
        raise ParseError(f"ไฟล์ .xlsx มีการประกาศ DOCTYPE/ENTITY ใน {member.filename[:80]} ซึ่งไม่อนุญาต (อาจเป็นไฟล์อันตราย)")
    if root is None and head.strip():
        raise ParseError(f"ไฟล์ .xlsx มีส่วนประกอบ XML ที่อ่านไม่ได้ ({member.filename[:80]})")


def _pick_sheet(sheets: list[tuple[str, str]]) -> tuple[str, str]:
    """(name, part) of the sheet to read: the one whose name says "results", else the first."""
    if not sheets:
        raise ParseError("ไฟล์ .xlsx ไม่มีแผ่นงาน (sheet)")
    hinted = [sheet for sheet in sheets if any(hint in sheet[0].lower() for hint in RESULT_SHEET_HINTS)]
    # Only when exactly one sheet is obviously the results; otherwise the first sheet, as users expect.
    return hinted[0] if len(hinted) == 1 else sheets[0]


def _xlsx_rows(sheet, scan: sheetxml.SheetScan) -> list[list[str | None]]:
    """The sheet's cells as text from A1; formula and error cells are blank (their CellErrors say why)."""
    blanks = {(row, column) for row, column, _ in scan.formulas + scan.errors}
    # iter_rows starts at row 1 but at the first column that holds data: pad the columns before it.
    start = sheet.start
    padding: list[str | None] = [None] * (start[1] if start else 0)
    rows: list[list[str | None]] = []
    for cells in sheet.iter_rows():
        row = padding + [None if value == "" else excel_value_text(value) for value in cells]
        rows.append(row)
    for row_number, column in blanks:
        if row_number <= len(rows) and column <= len(rows[row_number - 1]):
            rows[row_number - 1][column - 1] = None
    return rows


def excel_value_text(value: object) -> str:
    """A cell value as the text the user sees: 84.99 stays "84.99", 85.0 becomes "85"."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits, so anything beyond that is binary noise, not data.
        number = Decimal(format(value, ".15g"))
        text = format(number, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        # A date cell reads as midnight of that day, as it always has (the xlsx stores a day number).
        value = datetime.datetime.combine(value, datetime.time())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --- delimited text -----------------------------------------------------------------------------


def _read_text(data: bytes, limits: Limits) -> Table:
    text, encoding = decode_text(data)
    delimiter = detect_delimiter(text)
    rows: list[list[str | None]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row_number, cells in enumerate(reader, start=1):
            if row_number > limits.max_rows:
                raise ParseError(_too_many_rows(limits), row=row_number)
            if len(cells) > limits.max_columns:
                raise ParseError(_too_many_columns(limits, len(cells)), row=row_number, column=len(cells))
            rows.append([cell if cell != "" else None for cell in cells])
    except csv.Error as exc:
        row = reader.line_num or None
        raise ParseError(f"อ่านไฟล์ไม่ได้ที่บรรทัด {row}: รูปแบบ CSV ไม่ถูกต้องหรือช่องยาวเกินไป", row=row) from exc
    return Table(rows=rows, encoding=encoding, delimiter=delimiter)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, codec): BOMs first, then strict UTF-8, then cp874 (Thai Windows); never a lossy codec."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        position = data.index(b"\x00")
        raise ParseError(f"ไฟล์มีอักขระ NUL (ตำแหน่งไบต์ {position}) ไม่ใช่ไฟล์ข้อความ CSV ที่ถูกต้อง")
    else:
        # cp874 is Excel's "CSV" on Thai Windows; it maps “ ” – correctly, unlike the ISO Thai codec.
        candidates = ["utf-8", "cp874"]
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise ParseError("ไฟล์มีอักขระ NUL ไม่ใช่ไฟล์ข้อความ CSV ที่ถูกต้อง")
        return text, codec
    raise ParseError(
        "อ่านรหัสอักขระของไฟล์ไม่ได้ (ไม่ใช่ UTF-8, UTF-16 หรือ Windows-874) "
        "กรุณาบันทึกจาก Excel เป็น CSV UTF-8 หรือ .xlsx แล้วนำเข้าใหม่"
    )


# csv.Sniffer's quote detection takes time in the square of its sample (a crafted 60 KB sample took 10 s),
# so it reads only this much, and only when the header line leaves a choice.
SNIFF_CHARS = 4 * 1024
SNIFF_LINES = 50
_LINE_END = re.compile(r"\r\n|\r|\n")


def detect_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one the header line uses or, when it uses several, csv.Sniffer's pick among them.

    Only a delimiter found in the header is ever chosen, so a header with one of them needs no sniffing.
    """
    header = _first_line(text)
    present = [delimiter for delimiter in TEXT_DELIMITERS if delimiter in header]
    if len(present) < 2:
        return present[0] if present else ","
    sample = _sample_lines(text)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=TEXT_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and sniffed in header:
        return sniffed
    counts = {delimiter: header.count(delimiter) for delimiter in TEXT_DELIMITERS}
    best = max(TEXT_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    ends = [end for end in (text.find("\n"), text.find("\r")) if end != -1]
    return text[: min(ends)] if ends else text


def _sample_lines(text: str, size: int = SNIFF_CHARS, lines: int = SNIFF_LINES) -> str:
    """The first `lines` lines, cut at a line end to at most `size` characters (or the start of a longer first line)."""
    head = text[:size]
    ends = [found.end() for found in itertools.islice(_LINE_END.finditer(head), lines)]
    if len(ends) == lines:
        return head[: ends[-1]]
    if len(text) <= size:
        return text
    cut = max(head.rfind("\n"), head.rfind("\r"))
    return head[: cut if cut > 0 else size]


# --- shared checks ------------------------------------------------------------------------------


def _trim(table: Table) -> None:
    """Drop trailing blank cells and rows so that the same data reads the same from xlsx and csv."""
    for row in table.rows:
        while row and row[-1] is None:
            row.pop()
    while table.rows and not table.rows[-1]:
        table.rows.pop()


def _check_cells(table: Table, limits: Limits) -> None:
    for row_number, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            if len(value) > limits.max_cell_chars:
                raise ParseError(
                    f"แถว {row_number} คอลัมน์ {column_letter(column)}: ข้อความยาว {len(value):,} ตัวอักษร "
                    f"เกินที่รับได้ {limits.max_cell_chars:,} ตัวอักษร",
                    row=row_number,
                    column=column,
                )
            bad = _control_character(value)
            if bad is not None:
                table.errors.append(CellError(row_number, column, value, f"ช่องนี้มีอักขระควบคุมที่ไม่อนุญาต (U+{ord(bad):04X})"))
                row[column - 1] = None


# Unicode category Cc minus tab, line feed and carriage return (which are layout, not noise).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_character(value: str) -> str | None:
    found = _CONTROL.search(value)
    return found.group() if found else None


def _too_many_rows(limits: Limits) -> str:
    return f"ไฟล์มีจำนวนแถวเกินที่รับได้ ({limits.max_rows:,} แถว)"


def _too_many_columns(limits: Limits, count: int) -> str:
    return f"ไฟล์มี {count:,} คอลัมน์ เกินที่รับได้ ({limits.max_columns:,} คอลัมน์)"
