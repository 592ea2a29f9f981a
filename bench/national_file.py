"""A synthetic national ITA results table, as CSV and as xlsx, shaped like the yearly ITAS export.

Deterministic (seeded): the same --orgs gives byte-identical CSV, so a re-import is unchanged.
One row per organisation for one fiscal year: code, Thai name, type, district, province, year,
overall, level, the four tools, the ten indicators (headers carry their names) and 73 items
(i1–i15, e1–e15, o1–o43), about 89 values a row. Digit forms are mixed on purpose: about a third
of the rows are written in Thai digits (years and scores), as files passed around by provincial
offices are; item headers use several spellings the importer must recognise.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal

FISCAL_YEAR = 2567
LEVELS = (("ผ่านดีเยี่ยม", 95), ("ผ่านดี", 85), ("ผ่าน", 85), ("ต้องปรับปรุง", 70), ("ต้องปรับปรุงโดยด่วน", 0))
TOOLS = (("IIT", "IIT"), ("EIT1", "EIT ส่วนที่ 1"), ("EIT2", "EIT ส่วนที่ 2"), ("OIT", "OIT"))
INDICATORS = (
    "การปฏิบัติหน้าที่", "การใช้งบประมาณ", "การใช้อำนาจ", "การใช้ทรัพย์สินของราชการ", "การแก้ไขปัญหาการทุจริต",
    "คุณภาพการดำเนินงาน", "ประสิทธิภาพการสื่อสาร", "การปรับปรุงการทำงาน", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต",
)  # fmt: skip
ITEM_CODES = [f"i{n}" for n in range(1, 16)] + [f"e{n}" for n in range(1, 16)] + [f"o{n}" for n in range(1, 44)]
PROVINCES = (
    "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี", "ฉะเชิงเทรา", "ชลบุรี", "ชัยนาท",
    "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด", "ตาก", "นครนายก", "นครปฐม", "นครพนม",
    "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์", "นนทบุรี", "นราธิวาส", "น่าน", "บึงกาฬ", "บุรีรัมย์", "ปทุมธานี",
    "ประจวบคีรีขันธ์", "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา", "พะเยา", "พังงา", "พัทลุง", "พิจิตร",
    "พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต", "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน", "ยโสธร",
    "ยะลา", "ร้อยเอ็ด", "ระนอง", "ระยอง", "ราชบุรี", "ลพบุรี", "ลำปาง", "ลำพูน", "เลย", "ศรีสะเกษ", "สกลนคร",
    "สงขลา", "สตูล", "สมุทรปราการ", "สมุทรสงคราม", "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี", "สุโขทัย",
    "สุพรรณบุรี", "สุราษฎร์ธานี", "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ", "อุดรธานี",
    "อุตรดิตถ์", "อุทัยธานี", "อุบลราชธานี",
)  # fmt: skip
PLACE_PARTS = (
    "หนอง", "ดอน", "โคก", "บ้าน", "นา", "ท่า", "ห้วย", "บึง", "แม่", "วัง", "ทุ่ง", "เขา", "คลอง", "สระ",
    "แก้ว", "ทอง", "ใหญ่", "น้อย", "แดง", "ขาม", "บัว", "ไผ่", "ม่วง", "จันทร์", "สวรรค์", "เจริญ", "ใหม่", "กลาง",
)  # fmt: skip
# (type label in the file, name prefix, share of organisations): about what the national table holds.
ORG_TYPES = (
    ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนตำบล", 0.62),
    ("เทศบาลตำบล", "เทศบาลตำบล", 0.33),
    ("เทศบาลเมือง", "เทศบาลเมือง", 0.04),
    ("เทศบาลนคร", "เทศบาลนคร", 0.003),
    ("องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนจังหวัด", 0.007),
)
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def headers() -> list[str]:
    """The header row: the spellings vary the way real exports do (ข้อ i๑, I2, E๑๐, o27, ○13 …)."""
    columns = ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด", "ปีงบประมาณ", "คะแนนรวม", "ระดับ"]
    columns += [label for _code, label in TOOLS]
    columns += [f"ตัวชี้วัดที่ {number} {name}" for number, name in enumerate(INDICATORS, start=1)]
    for index, code in enumerate(ITEM_CODES):
        letter, number = code[0], code[1:]
        spelling = index % 4
        if spelling == 0:
            columns.append(code)
        elif spelling == 1:
            columns.append(f"ข้อ {letter}{number.translate(THAI_DIGITS)}")
        elif spelling == 2:
            columns.append(f"{letter.upper()}{number}")
        else:
            columns.append(f"{letter.upper()}{number.translate(THAI_DIGITS)}")
    return columns


def _score(rng: random.Random, low: int) -> Decimal:
    return Decimal(rng.randint(low * 100, 10_000)) / 100


def _level(overall: Decimal, tools: list[Decimal]) -> str:
    for label, minimum in LEVELS:
        if overall >= minimum and (label not in ("ผ่านดีเยี่ยม", "ผ่านดี") or min(tools) >= minimum):
            return label
    return LEVELS[-1][0]


def _org_type(rng: random.Random) -> tuple[str, str]:
    pick, total = rng.random(), 0.0
    for label, prefix, share in ORG_TYPES:
        total += share
        if pick < total:
            return label, prefix
    return ORG_TYPES[0][0], ORG_TYPES[0][1]


def _text(value: Decimal, thai: bool) -> str:
    text = format(value, "f")
    return text.translate(THAI_DIGITS) if thai else text


def rows(orgs: int, *, seed: int = 2567) -> Iterator[list[str]]:
    """The data rows, as text; one in three is written in Thai digits."""
    rng = random.Random(seed)
    for n in range(orgs):
        province = PROVINCES[n % len(PROVINCES)]
        type_label, prefix = _org_type(rng)
        place = "".join(rng.sample(PLACE_PARTS, 2))
        district = "".join(rng.sample(PLACE_PARTS, 2))
        thai = n % 3 == 1
        year = str(FISCAL_YEAR).translate(THAI_DIGITS) if thai else str(FISCAL_YEAR)
        tools = [_score(rng, 55) for _ in TOOLS]
        overall = (tools[0] * 30 + (tools[1] + tools[2]) * 15 + tools[3] * 40) / 100
        overall = overall.quantize(Decimal("0.01"))
        row = [f"{5_000_001 + n:07d}", f"{prefix}{place}", type_label, f"อำเภอ{district}", province, year]
        row += [_text(overall, thai), _level(overall, tools)]
        row += [_text(value, thai) for value in tools]
        row += [_text(_score(rng, 40), thai) for _ in INDICATORS]
        row += [_text(_score(rng, 0) if code[0] == "o" else _score(rng, 50), thai) for code in ITEM_CODES]
        yield row


def csv_bytes(orgs: int) -> bytes:
    """The table as Excel's "CSV UTF-8" writes it: UTF-8 with a BOM, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers())
    writer.writerows(rows(orgs))
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(orgs: int) -> bytes:
    """The same table as an xlsx: Arabic-digit scores are numbers, Thai-digit ones stay text, as typed.

    Saved the way Excel saves a sheet: text in the shared-strings table and a <dimension> element at
    the top. (openpyxl's write-only mode writes every text inline and leaves the dimension out, a
    layout Excel never produces and every reader pays for twice.)
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ผลการประเมิน"
    sheet.append(headers())
    for row in rows(orgs):
        cells: list[object] = row[:6]
        cells[5] = int(row[5]) if row[5].isascii() else row[5]
        for text in row[6:]:
            cells.append(float(text) if text.isascii() and text[:1].isdigit() else text)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return _with_shared_strings(out.getvalue())


_INLINE_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>([^<]*)</t></is></c>')
_SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _with_shared_strings(data: bytes) -> bytes:
    """Move openpyxl's inline strings into a shared-strings table, where Excel keeps them."""
    source = zipfile.ZipFile(io.BytesIO(data))
    index: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        number = index.setdefault(match[2], len(index))
        return b'<c r="' + match[1] + b'" t="s"><v>' + str(number).encode() + b"</v></c>"

    sheet = _INLINE_CELL.sub(shared, source.read("xl/worksheets/sheet1.xml"))
    table = b"".join(b"<si><t>" + text + b"</t></si>" for text in index)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{_SPREADSHEET_NS}" uniqueCount="{len(index)}">'
    extra = {
        "[Content_Types].xml": (
            b"</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED_STRINGS_TYPE}"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Id="rIdShared" Type="{_SHARED_STRINGS_REL}" Target="sharedStrings.xml"/></Relationships>',
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            if info.filename in extra:
                old, new = extra[info.filename]
                body = body.replace(old, new.encode())
            target.writestr(info.filename, body)
        target.writestr("xl/sharedStrings.xml", head.encode() + table + b"</sst>")
    return out.getvalue()


def score_rows(orgs: int) -> Iterator[tuple[str, str, str, Decimal]]:
    """(organisation code, kind, code, value) of every Score row the file holds: the baseline's input."""
    kinds = [("tool", code) for code, _label in TOOLS]
    kinds += [("indicator", str(number)) for number in range(1, len(INDICATORS) + 1)]
    kinds += [("item", code) for code in ITEM_CODES]
    for row in rows(orgs):
        for (kind, code), text in zip(kinds, row[8:], strict=True):
            yield row[0], kind, code, Decimal(text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
