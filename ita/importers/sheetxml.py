"""What the xlsx cell reader does not tell: which part holds each sheet, where its formulas and error
values are, and how far its cells reach (checked before the reader builds its grid).

Pure Python, no Django. XML is parsed only through defusedxml, with DTDs forbidden; the big sheet
parts are first read by a linear byte scan and parsed in full only when that scan is not enough.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeElementTree

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CHUNK = 1024 * 1024
# Formula text kept for the error message only: never more than this many characters.
MAX_FORMULA_TEXT = 200

_CELL = f"{{{MAIN_NS}}}c"
_ROW = f"{{{MAIN_NS}}}row"
_FORMULA = f"{{{MAIN_NS}}}f"
_VALUE = f"{{{MAIN_NS}}}v"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_PLAIN_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_PLAIN_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_OTHER_C_TAG = re.compile(rb"<c[^\s>/]")  # <col, <cols, <cfRule …: elements that are not cells
_OTHER_F_TAG = re.compile(rb"<f[^\s>/]")  # <filterColumn …: elements that are not formulas


class SheetXmlError(ValueError):
    """The workbook's structure is unusable or unsafe; str() is a Thai message for the user."""


@dataclass
class SheetScan:
    """How far a sheet's cells reach, and (for the sheet being read) its formula and error cells."""

    rows: int = 0
    columns: int = 0
    # (row, column, text), 1-based as the user sees them.
    formulas: list[tuple[int, int, str]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


def worksheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, archive member) of every worksheet, in workbook order; chart sheets are left out."""
    names = set(archive.namelist())
    for required in (WORKBOOK, WORKBOOK_RELS):
        if required not in names:
            raise SheetXmlError(f"ไฟล์ .xlsx ไม่มีส่วนประกอบ {required} จึงไม่รู้ว่ามีแผ่นงานใดบ้าง")
    relationships = _relationships(archive)
    sheets: list[tuple[str, str]] = []
    for element in _elements(archive, WORKBOOK, f"{{{MAIN_NS}}}sheet"):
        name = element.get("name") or ""
        kind, target, mode = relationships.get(element.get(f"{{{REL_NS}}}id") or "", ("", "", ""))
        if not kind.endswith("/worksheet"):
            continue
        member = resolve_target(target, mode)
        if member not in names:
            raise SheetXmlError(f"ไฟล์ .xlsx อ้างถึงแผ่นงาน '{name[:80]}' ที่ไม่มีอยู่ในไฟล์")
        if any(name == seen for seen, _ in sheets):
            raise SheetXmlError(f"ไฟล์ .xlsx มีแผ่นงานชื่อซ้ำกัน ('{name[:80]}')")
        sheets.append((name, member))
    return sheets


def resolve_target(target: str, mode: str = "") -> str:
    """The archive member a workbook relationship points at; anything outside the archive is refused."""
    first = target.split("/", 1)[0]
    if mode.lower() == "external" or ":" in first or "\\" in target or "\x00" in target or not target.strip():
        raise SheetXmlError(f"ไฟล์ .xlsx อ้างถึงแผ่นงานนอกไฟล์ ({target[:80]!r}) ซึ่งไม่อนุญาต")
    # A leading "/" is the package root (some writers use it); anything else is relative to xl/.
    joined = target[1:] if target.startswith("/") else posixpath.join("xl", target)
    member = posixpath.normpath(joined)
    if member.startswith(("/", "../")) or member in (".", ".."):
        raise SheetXmlError(f"ไฟล์ .xlsx อ้างถึงแผ่นงานนอกไฟล์ ({target[:80]!r}) ซึ่งไม่อนุญาต")
    return member


def scan_sheet(archive: zipfile.ZipFile, member: str, *, cells: bool) -> SheetScan:
    """The reach of a part's cells and, when `cells`, its formula and error cells.

    The byte scan answers alone when every cell is written as Excel writes it (<c r="A1" …>) in the
    default namespace and, for the sheet being read, nothing looks like a formula or an error value;
    otherwise the part is parsed in full, which costs more but sees every way XML can spell a cell.
    """
    scan = quick_scan(archive, member, cells=cells)
    return scan if scan is not None else full_scan(archive, member, cells=cells)


def cell_reference(reference: str) -> tuple[int, int]:
    """The (row, column) of an A1 reference, "B12" → (12, 2); SheetXmlError for anything else."""
    found = _REF.fullmatch(reference)
    if found is None or int(found[2]) == 0:
        raise SheetXmlError(f"ไฟล์ .xlsx มีตำแหน่งช่องที่อ่านไม่ได้ ({reference[:20]!r})")
    column = 0
    for letter in found[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(found[2]), column


# --- the byte scan -------------------------------------------------------------------------------


def _pieces(archive: zipfile.ZipFile, member: str):
    """The part's bytes in chunks cut just after a '>', so that no tag pattern below spans two pieces.

    Yields None (and stops) for a part with no '>' for megabytes: no spreadsheet XML looks like that.
    """
    carry = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b">") + 1
            if cut:
                yield buffer[:cut]
            carry = buffer[cut:]
            if len(carry) > 4 * CHUNK:
                yield None
                return
    yield carry


def quick_scan(archive: zipfile.ZipFile, member: str, *, cells: bool) -> SheetScan | None:
    """The byte scan of scan_sheet(); None when it cannot answer alone."""
    namespace = MAIN_NS.encode()
    scan = SheetScan()
    columns: set[bytes] = set()
    namespaces = default_namespaces = 0
    for piece in _pieces(archive, member):
        if piece is None:
            return None
        namespaces += piece.count(namespace)
        default_namespaces += piece.count(b'xmlns="' + namespace + b'"')
        plain = piece.count(b'<c r="')
        if piece.count(b"<c") != plain + len(_OTHER_C_TAG.findall(piece)):
            return None  # a cell written some other way: <c s="1" r="A1">, <c>, a line break …
        found = _PLAIN_COLUMN.findall(piece)
        rows = _PLAIN_ROW.findall(piece)
        if len(found) != plain or len(rows) != plain:
            return None
        if cells and (piece.count(b"<f") != len(_OTHER_F_TAG.findall(piece)) or b'"e"' in piece or b"'e'" in piece):
            return None  # a formula or an error value (or text that looks like one): parse to be sure
        columns.update(found)
        if rows:
            scan.rows = max(scan.rows, max(map(int, rows)))
    if namespaces != default_namespaces or namespaces > 1:
        return None  # the main namespace under a prefix, or declared again inside the part
    if columns:
        scan.columns = cell_reference(max(columns, key=lambda letters: (len(letters), letters)).decode() + "1")[1]
    return scan


# --- the full parse ------------------------------------------------------------------------------


def full_scan(archive: zipfile.ZipFile, member: str, *, cells: bool) -> SheetScan:
    """The full parse of scan_sheet(), through defusedxml: every cell however it is spelled."""
    scan = SheetScan()
    row = column = 0
    kind, formula, value = "", None, ""
    try:
        with archive.open(member) as stream:
            for event, element in SafeElementTree.iterparse(stream, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if event == "start":
                    if tag == _ROW:
                        row = int(element.get("r") or row + 1)
                        column = 0
                    elif tag == _CELL:
                        reference = element.get("r")
                        row, column = cell_reference(reference) if reference else (max(row, 1), column + 1)
                        scan.rows, scan.columns = max(scan.rows, row), max(scan.columns, column)
                        kind, formula, value = element.get("t") or "", None, ""
                    continue
                if tag == _FORMULA:
                    formula = "=" + (element.text or "")[:MAX_FORMULA_TEXT]
                elif tag == _VALUE:
                    value = (element.text or "")[:MAX_FORMULA_TEXT]
                elif tag == _CELL:
                    if cells and formula is not None:
                        scan.formulas.append((row, column, formula))
                    elif cells and kind == "e":
                        scan.errors.append((row, column, value))
                    element.clear()
                elif tag == _ROW:
                    element.clear()
    except SafeElementTree.ParseError as exc:
        raise SheetXmlError(f"ไฟล์ .xlsx มีส่วนประกอบ XML ที่อ่านไม่ได้ ({member[:80]})") from exc
    except ValueError as exc:  # a row number that is no number; defusedxml's refusals are ValueErrors too
        if isinstance(exc, SheetXmlError):
            raise
        raise SheetXmlError(f"ไฟล์ .xlsx มีส่วนประกอบ XML ที่ไม่ปลอดภัยหรืออ่านไม่ได้ ({member[:80]})") from exc
    return scan


def _relationships(archive: zipfile.ZipFile) -> dict[str, tuple[str, str, str]]:
    """Id → (type, target, target mode) of the workbook's relationships; a repeated Id is refused."""
    relationships: dict[str, tuple[str, str, str]] = {}
    for element in _elements(archive, WORKBOOK_RELS, f"{{{PACKAGE_REL_NS}}}Relationship"):
        identifier = element.get("Id") or ""
        if identifier in relationships:
            raise SheetXmlError(f"ไฟล์ .xlsx มีความสัมพันธ์ของส่วนประกอบซ้ำกัน ({identifier[:40]})")
        relationships[identifier] = (
            element.get("Type") or "",
            element.get("Target") or "",
            element.get("TargetMode") or "",
        )
    return relationships


def _elements(archive: zipfile.ZipFile, member: str, tag: str):
    """Every element named `tag` in a small part, parsed safely."""
    try:
        with archive.open(member) as stream:
            found = [element for _, element in SafeElementTree.iterparse(stream, forbid_dtd=True) if element.tag == tag]
    except SafeElementTree.ParseError as exc:
        raise SheetXmlError(f"ไฟล์ .xlsx มีส่วนประกอบ XML ที่อ่านไม่ได้ ({member})") from exc
    except ValueError as exc:  # defusedxml refuses a DTD or an entity with a ValueError subclass
        raise SheetXmlError(f"ไฟล์ .xlsx มีส่วนประกอบ XML ที่ไม่ปลอดภัย ({member})") from exc
    return found
