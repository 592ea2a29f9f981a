"""The มาตรการ document as an editable Word file (.docx), from the same plain-data context as the PDF.

`measures_docx(context)` walks the dict that reports.documents.measures builds (or a published
version's frozen copy of it) and never touches the database. Each part of the document is one
small function in SECTIONS; a function whose key is absent from the context writes nothing, so
a context from an older or newer builder still gives a file.

Thai offices open these files in Word with TH SarabunPSK, so every style names that font in all
four font slots (Thai is a complex script: Word takes the `cs` slot, the `szCs` size and `bCs`
bold for it) and marks the language th-TH. The bar chart of the PDF is left out: the indicator
table right below it carries the same scores. This module must not import WeasyPrint.
"""

from __future__ import annotations

import base64
import datetime
import io
import logging
import re
from collections.abc import Callable, Iterable

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ita.thai import format_number, to_arabic_digits, to_thai_digits

logger = logging.getLogger(__name__)

FONT = "TH SarabunPSK"
LANGUAGE = "th-TH"
BODY_PT = 16
TITLE_PT = 20
TABLE_PT = 14
SMALL_PT = 13
PAGE_MARK_PT = 12
HEADER_FILL = "EEF1F5"
GROUP_FILL = "F5F6F8"
DRAFT_COLOUR = RGBColor(0xB0, 0x00, 0x20)
# A4 and the PDF's margins (reports.pdf.render): the text is 16 cm wide.
PAGE_CM = (21.0, 29.7)
MARGINS_CM = {"top": 2.5, "right": 2.0, "bottom": 2.0, "left": 3.0}
TEXT_CM = PAGE_CM[0] - MARGINS_CM["left"] - MARGINS_CM["right"]
PARA_INDENT_CM = 2.5
DATE_LINE_INDENT = 0.38  # of the text width, as the PDF's .approval-date
BLANK_DATE_INDENT = 0.3
STEP_INDENT_CM = 0.6  # section ๕'s "(๑) …" steps hang by this much, as in the PDF
# A measure row of at most this many lines (estimated; a page holds about 40) is kept on one
# page, title and all; a longer one may continue on the next (the header row repeats) instead
# of leaving much of a page empty. Looked at in LibreOffice 7.4: it puts a row that must not
# split on a page of its own whenever the row is taller than a few lines, so Mae Sai 2567's
# table took 19 pages at 20 lines and 11 at 6.
KEEP_ROW_LINES = 6
# Roughly how many Thai characters (with their marks) a centimetre of a 14 pt table cell holds.
CHARS_PER_CM = 5.5
TABLE_STYLE_ID = "TableText"  # the id Word files "Table Text" under
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Characters XML 1.0 cannot hold (python-docx raises on them): dropped. Tabs and newlines stay.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EMBLEM = re.compile(r"^data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]+)$")


def clean(value: object) -> str:
    """Text safe to put in a Word run: None → "", forbidden control characters dropped, CR → LF."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("", text)


# ---------------------------------------------------------------------------------------------
# The writer: the python-docx document plus the few paragraph and table shapes the sections use


def _element(tag: str, **attrs: str) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


# The order of a run's properties in the schema (Word refuses a file whose order is wrong).
_RPR_ORDER = (
    "w:rStyle w:rFonts w:b w:bCs w:i w:iCs w:caps w:smallCaps w:strike w:dstrike w:outline w:shadow w:emboss "
    "w:imprint w:noProof w:snapToGrid w:vanish w:webHidden w:color w:spacing w:w w:kern w:position w:sz w:szCs "
    "w:highlight w:u w:effect w:bdr w:shd w:fitText w:vertAlign w:rtl w:cs w:em w:lang w:eastAsianLayout "
    "w:specVanish w:oMath"
).split()


def _put(rpr, tag: str, **attrs: str) -> None:
    """Set one run property, replacing any earlier one, at its place in the schema order."""
    for old in rpr.findall(qn(tag)):
        rpr.remove(old)
    rpr.insert_element_before(_element(tag, **attrs), *_RPR_ORDER[_RPR_ORDER.index(tag) + 1 :])


def _thai_fonts(rfonts) -> None:
    """TH SarabunPSK in every slot; theme fonts removed (they would override the names)."""
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)


def _bold(rpr) -> None:
    _put(rpr, "w:b")
    _put(rpr, "w:bCs")  # Thai is a complex script: without bCs Word shows it regular


def _size(rpr, points: float) -> None:
    _put(rpr, "w:sz", val=str(round(points * 2)))
    _put(rpr, "w:szCs", val=str(round(points * 2)))


def _thai_run_properties(rpr, *, size: float, bold: bool = False) -> None:
    """A style's (or the defaults') run properties: the font in all four slots, both sizes, Thai language."""
    _put(rpr, "w:rFonts")
    _thai_fonts(rpr.find(qn("w:rFonts")))
    for tag in ("w:b", "w:bCs", "w:i", "w:iCs", "w:color"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    if bold:
        _bold(rpr)
    _size(rpr, size)
    _put(rpr, "w:lang", val=LANGUAGE, eastAsia=LANGUAGE, bidi=LANGUAGE)


class Writer:
    """A new Word document in the document's look, with helpers for its paragraphs and tables."""

    def __init__(self, digits: str, page_mark: str = "") -> None:
        self.digits = digits
        self.document = Document()
        self._styles()
        self._page(clean(page_mark).strip())

    # -- set-up ----------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _thai_run_properties(defaults, size=BODY_PT)
        for rfonts in styles.element.iter(qn("w:rFonts")):
            _thai_fonts(rfonts)
        sizes = {"Normal": BODY_PT, "Header": BODY_PT, "Heading 1": BODY_PT, "Heading 2": BODY_PT, "Heading 3": BODY_PT}
        for name, size in sizes.items():
            style = styles[name]
            _thai_run_properties(style.element.get_or_add_rPr(), size=size, bold=name.startswith("Heading"))
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = False
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            styles[name].paragraph_format.space_before = Pt(8 if name == "Heading 1" else 4)
            styles[name].paragraph_format.keep_with_next = True
        # The template's tab stops are for US Letter: the page number goes to the middle of our
        # 16 cm line and a page mark to its right end.
        header_tabs = styles["Header"].paragraph_format.tab_stops
        header_tabs.clear_all()
        header_tabs.add_tab_stop(Cm(TEXT_CM / 2), WD_TAB_ALIGNMENT.CENTER)
        header_tabs.add_tab_stop(Cm(TEXT_CM), WD_TAB_ALIGNMENT.RIGHT)
        table_text = styles.add_style("Table Text", 1)
        table_text.base_style = styles["Normal"]
        _thai_run_properties(table_text.element.get_or_add_rPr(), size=TABLE_PT)

    def _page(self, page_mark: str) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        section.top_margin, section.right_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["right"])
        section.bottom_margin, section.left_margin = Cm(MARGINS_CM["bottom"]), Cm(MARGINS_CM["left"])
        section.header_distance, section.footer_distance = Cm(1.2), Cm(1.0)
        section.start_type = WD_SECTION.NEW_PAGE
        # No page number on page 1; "- ๒ -" centred at the top from page 2 on. A document that is
        # not published carries its mark ("ร่าง") at the top right of every page, page 1 too.
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        if page_mark:
            paragraph.add_run("\t")  # to the centre tab stop
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("- ")
        self._page_field(paragraph)
        paragraph.add_run(" -")
        if page_mark:
            paragraph.add_run("\t")  # to the right tab stop
            self.run(paragraph, page_mark, bold=True, size=PAGE_MARK_PT, colour=DRAFT_COLOUR)
            first = section.first_page_header.paragraphs[0]
            first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.run(first, page_mark, bold=True, size=PAGE_MARK_PT, colour=DRAFT_COLOUR)
        if self.digits == "thai":
            # Word reads the field switch; LibreOffice reads the section's number format.
            section._sectPr.insert_element_before(
                _element("w:pgNumType", fmt="thaiNumbers"),
                *("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection"),
                *("w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange"),
            )

    def _page_field(self, paragraph) -> None:
        instruction = " PAGE \\* ThaiArabic " if self.digits == "thai" else " PAGE \\* Arabic "
        parts = [
            ("fldChar", "begin"),
            ("instrText", instruction),
            ("fldChar", "separate"),
            ("t", "2"),
            ("fldChar", "end"),
        ]
        for kind, value in parts:
            run = paragraph.add_run()
            if kind == "fldChar":
                run._r.append(_element("w:fldChar", fldCharType=value))
            elif kind == "instrText":
                element = _element("w:instrText")
                element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                element.text = value
                run._r.append(element)
            else:
                run.text = self.number(value)

    # -- text ------------------------------------------------------------------------------

    def number(self, value: int | str) -> str:
        return format_number(value, digits=self.digits)

    def digits_of(self, text: str) -> str:
        return to_thai_digits(text) if self.digits == "thai" else to_arabic_digits(text)

    @staticmethod
    def run(paragraph, text: object, *, bold: bool = False, size: float | None = None, colour=None):
        run = paragraph.add_run(clean(text))
        if bold:
            _bold(run._r.get_or_add_rPr())
        if size is not None:
            _size(run._r.get_or_add_rPr(), size)
        if colour is not None:
            run.font.color.rgb = colour
        return run

    def paragraph(
        self,
        text: object = "",
        *,
        style: str | None = None,
        bold: bool = False,
        size: float | None = None,
        align=None,
        indent: bool = False,
        keep_next: bool = False,
        container=None,
    ):
        paragraph = (container or self.document).add_paragraph(style=style)
        if text:
            self.run(paragraph, text, bold=bold, size=size)
        fmt = paragraph.paragraph_format
        if align is not None:
            paragraph.alignment = align
        if indent:
            fmt.first_line_indent = Cm(PARA_INDENT_CM)
        if keep_next:
            fmt.keep_with_next = True
        return paragraph

    def para(self, text: object, *, keep_next: bool = False):
        """A body paragraph: first line indented, Thai distributed justification as Thai offices type."""
        return self.paragraph(text, indent=True, align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY, keep_next=keep_next)

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(clean(text), level=level)

    def table_title(self, text: str) -> None:
        paragraph = self.paragraph(text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
        paragraph.paragraph_format.space_before = Pt(6)

    # -- tables ----------------------------------------------------------------------------

    def table(self, percents: Iterable[float], header: list[str]):
        """A bordered table with a bold, shaded header row that repeats on every page."""
        widths = [Cm(TEXT_CM * p / 100) for p in percents]
        table = self.document.add_table(rows=1, cols=len(widths))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        row = table.rows[0]
        _row_flags(row, header=True, keep=True)
        for cell, text, width in zip(row.cells, header, widths, strict=True):
            cell.width = width
            _shade(cell, HEADER_FILL)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            self._cell_text(cell, [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        return table

    def row(self, table, values: list, *, centred: Iterable[int] = (), bold: Iterable[int] = (), keep: bool = True):
        """A row; each value is a string or a list of lines (one paragraph each)."""
        row = table.add_row()
        _row_flags(row, header=False, keep=keep)
        centred, bold = set(centred), set(bold)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            lines = value if isinstance(value, list) else [value]
            align = WD_ALIGN_PARAGRAPH.CENTER if index in centred else None
            self._cell_text(cell, lines, bold=index in bold, align=align)
        return row

    def group_row(self, table, text: str):
        """A row spanning the table: a group's title, shaded and bold, kept with the row after it."""
        row = table.add_row()
        _row_flags(row, header=False, keep=True)
        cell = row.cells[0].merge(row.cells[-1])
        _shade(cell, GROUP_FILL)
        self._cell_text(cell, [text], bold=True)
        cell.paragraphs[0].paragraph_format.keep_with_next = True
        return row

    @staticmethod
    def keep_together(table) -> None:
        """A short table stays on one page (each row kept with the next), as the PDF's `.keep` blocks do."""
        for row in table.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True

    def _cell_text(self, cell, lines: list, *, bold: bool = False, size: float | None = None, align=None) -> None:
        lines = [clean(line) for line in lines] or [""]
        for index, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph._p.get_or_add_pPr().style = TABLE_STYLE_ID  # by id: a lookup by name scans every style
            if line:
                self.run(paragraph, line, bold=bold, size=size)
            if align is not None:
                paragraph.alignment = align

    def numbered(self, cell, items: list) -> None:
        """Steps in a cell as "๑. …" paragraphs with a hanging indent."""
        for index, item in enumerate(items, start=1):
            paragraph = cell.paragraphs[0] if index == 1 else cell.add_paragraph()
            paragraph._p.get_or_add_pPr().style = TABLE_STYLE_ID  # by id: a lookup by name scans every style
            paragraph.paragraph_format.left_indent = Cm(0.55)
            paragraph.paragraph_format.first_line_indent = Cm(-0.55)
            self.run(paragraph, f"{self.number(index)}. {clean(item)}")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _row_flags(row, *, header: bool, keep: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if keep:
        tr_pr.append(_element("w:cantSplit"))
    if header:
        tr_pr.append(_element("w:tblHeader"))


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = _element("w:shd", val="clear", color="auto", fill=fill)
    tc_pr.insert_element_before(shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")


# ---------------------------------------------------------------------------------------------
# The sections, in document order. Each takes the writer and the context and writes its part.


def _cover(w: Writer, context: dict) -> None:
    cover = context.get("cover")
    if not cover:
        return
    emblem = _EMBLEM.match(cover.get("emblem") or "")
    if emblem:
        try:
            image = io.BytesIO(base64.b64decode(emblem.group(2)))
            w.document.add_picture(image, width=Cm(3))
            w.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        except Exception:  # an unreadable emblem never stops the document
            logger.warning("The cover emblem could not be read; the Word file is made without it", exc_info=True)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    w.paragraph(cover.get("title"), bold=True, size=TITLE_PT, align=centre)
    if cover.get("fiscal_year"):
        w.paragraph(f"ประจำปีงบประมาณ พ.ศ. {clean(cover['fiscal_year'])}", bold=True, align=centre)
    place = clean(cover.get("organization"))
    if cover.get("district"):
        place += f" อำเภอ{clean(cover['district'])}"
    if cover.get("province"):
        place += f" จังหวัด{clean(cover['province'])}"
    w.paragraph(place, bold=True, align=centre)
    if cover.get("draft"):
        note = w.paragraph(align=centre)
        w.run(note, f"(ร่าง ฉบับที่ {clean(cover.get('version'))} ยังไม่ได้รับอนุมัติ)", size=SMALL_PT + 1, colour=DRAFT_COLOUR)
    w.paragraph()


def _principle(w: Writer, context: dict) -> None:
    if "principle" not in context and "tools" not in context:
        return
    w.heading(f"{w.number(1)}. หลักการและเหตุผล")
    if context.get("principle"):
        w.para(context["principle"])
    for number, tool in enumerate(context.get("tools") or [], start=1):
        indicators = "".join(
            f" ตัวชี้วัดที่ {clean(i.get('number'))} {clean(i.get('name'))}" for i in tool.get("indicators") or []
        )
        name, purpose, count = clean(tool.get("name")), clean(tool.get("purpose")), clean(tool.get("count"))
        text = f"{w.number(number)}. {name} {purpose} มี {count} ตัวชี้วัด ได้แก่{indicators}"
        paragraph = w.paragraph(text, align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)
        paragraph.paragraph_format.left_indent = Cm(1.6)
        paragraph.paragraph_format.first_line_indent = Cm(-0.6)


def _grading(w: Writer, context: dict) -> None:
    rows = context.get("grading")
    if not rows:
        return
    year = clean((context.get("result") or {}).get("fiscal_year"))
    w.table_title(f"เกณฑ์คะแนนและระดับผลการประเมิน ประจำปีงบประมาณ พ.ศ. {year}")
    if context.get("grading_has_conditions"):
        table = w.table((30, 46, 24), ["คะแนน", "เงื่อนไข", "ระดับ"])
        for row in rows:
            w.row(table, [row.get("score"), row.get("condition"), row.get("label")], centred=(0, 2))
    else:
        table = w.table((50, 50), ["คะแนน", "ระดับ"])
        for row in rows:
            w.row(table, [row.get("score"), row.get("label")], centred=(0, 1))
    w.keep_together(table)


def _result(w: Writer, context: dict) -> None:
    result = context.get("result")
    if not result:
        return
    organization = clean((context.get("cover") or {}).get("organization"))
    year = clean(result.get("fiscal_year"))
    w.heading(
        f"{w.number(2)}. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {year} ของ{organization}"
    )
    provisional = " (ผลเบื้องต้น)" if result.get("provisional") else ""
    w.para(
        f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{organization} ประจำปีงบประมาณ พ.ศ. {year} "
        f"โดยภาพรวมได้คะแนน {clean(result.get('overall'))} คะแนน ระดับผลการประเมิน "
        f"{clean(result.get('level')) or '–'}{provisional} โดยมีผลการประเมินรายตัวชี้วัด ดังนี้"
    )
    indicators = result.get("indicators") or []
    if indicators:
        w.table_title("คะแนนรายตัวชี้วัด")
        table = w.table((15, 51, 17, 17), ["ตัวชี้วัดที่", "ตัวชี้วัด", "เครื่องมือ", "คะแนน"])
        for indicator in indicators:
            values = [indicator.get("number"), indicator.get("name"), indicator.get("tool"), indicator.get("score")]
            w.row(table, values, centred=(0, 2, 3), bold=(3,) if indicator.get("below") else ())
        w.keep_together(table)
    ranking = result.get("ranking") or []
    if ranking:
        w.table_title("ตารางลำดับคะแนนรายตัวชี้วัด")
        table = w.table((15, 51, 17, 17), ["อันดับ", "ตัวชี้วัด", "เครื่องมือ", "คะแนน"])
        for row in ranking:
            name = f"{clean(row.get('number'))}. {clean(row.get('name'))}"
            w.row(table, [row.get("rank"), name, row.get("tool"), row.get("score")], centred=(0, 2, 3))
        w.keep_together(table)
    for entry in (context.get("analysis") or {}).get("summary") or []:
        w.para(entry.get("text"))


def _analysis(w: Writer, context: dict) -> None:
    analysis = context.get("analysis")
    if not analysis:
        return
    year = clean((context.get("result") or {}).get("fiscal_year"))
    threshold = clean(analysis.get("threshold"))
    w.heading(f"{w.digits_of('๓')}. การวิเคราะห์ผลการประเมิน ประจำปีงบประมาณ พ.ศ. {year}")
    w.heading(f"{w.digits_of('๓.๑')} จุดแข็ง (ตัวชี้วัดที่ได้คะแนนตั้งแต่ {threshold} คะแนนขึ้นไป)", level=2)
    # An empty list prints the builder's sentence about the scores; a copy frozen before those
    # sentences existed prints the old fixed one.
    _numbered_paras(w, analysis.get("strengths"), analysis.get("no_strengths") or "ไม่มีตัวชี้วัดที่ได้คะแนนถึงเกณฑ์")
    w.heading(f"{w.digits_of('๓.๒')} จุดที่ต้องพัฒนา (ตัวชี้วัดที่ได้คะแนนต่ำกว่า {threshold} คะแนน)", level=2)
    _numbered_paras(w, analysis.get("weaknesses"), analysis.get("no_weaknesses") or "ไม่มีตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์")
    w.heading(f"{w.digits_of('๓.๓')} ประเด็นที่ต้องพัฒนาและแนวทางการปรับปรุง", level=2)
    groups = analysis.get("groups") or []
    notes = analysis.get("item_notes") or []
    if groups:
        table = w.table((13, 34, 13, 40), ["ข้อ", "ข้อคำถาม/รายการ", "คะแนน", "แนวทางการปรับปรุง"])
        for group in groups:
            w.group_row(table, group.get("title"))
            for item in group.get("items") or []:
                values = [
                    item.get("code"),
                    clean(item.get("question")) or "–",
                    item.get("score"),
                    item.get("recommendation"),
                ]
                w.row(table, values, centred=(0, 2))
    elif not notes:
        # Only a copy frozen before item notes existed: it prints what it was published with.
        w.para(f"ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า {threshold} คะแนน และไม่มีรายการ OIT ที่ได้คะแนนไม่เต็ม")
    for note in notes:
        w.para(note).paragraph_format.space_before = Pt(4)


def _numbered_paras(w: Writer, entries: list | None, empty: str) -> None:
    for entry in entries or []:
        w.para(f"{clean(entry.get('number'))}. {clean(entry.get('text'))}")
    if not entries:
        w.para(empty)


def _lines(texts: Iterable[str], percent: float) -> int:
    """A rough count of the lines some paragraphs take in a column `percent` of the text wide."""
    per_line = max(int(TEXT_CM * percent / 100 * CHARS_PER_CM), 1)
    return sum(len(text) // per_line + 1 for text in texts)


def _measure_lines(measure: dict, percents: tuple) -> int:
    """A rough count of the lines a measure row takes: its tallest cell."""
    cells = [
        [clean(measure.get("title"))],
        [clean(step) for step in measure.get("steps") or []],
        [clean(measure.get("responsible"))],
        [clean(measure.get("period"))],
        [clean(measure.get("monitoring"))],
    ]
    return max(_lines(texts, percent) for texts, percent in zip(cells, percents, strict=False))


def _measures(w: Writer, context: dict) -> None:
    """Section ๔: a keep-level plan's measures under their group titles ("ประเด็นที่ …"), else the flat list.

    Rows are written whole: `parts` (a long measure cut into pieces that repeat its title) is for
    the PDF; Word lets a long row continue on the next page, its header row repeated.
    """
    if "measures" not in context and "measure_groups" not in context:
        return
    year = clean((context.get("cover") or {}).get("fiscal_year"))
    w.heading(f"{w.number(4)}. มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}")
    answers = bool(context.get("with_answers"))
    header = ["มาตรการ/แนวทาง", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การกำกับติดตาม"]
    percents = (17, 26, 13.5, 15.5, 16, 12) if answers else (19, 31, 14.5, 16.5, 19)
    table = w.table(percents, header + (["ข้อ/ตัวชี้วัดที่ตอบ"] if answers else []))
    groups = [group for group in context.get("measure_groups") or [] if isinstance(group, dict)]
    if groups:
        for group in groups:
            w.group_row(table, group.get("title"))  # kept with the group's first measure
            for measure in group.get("measures") or []:
                _measure_row(w, table, measure, percents, answers)
        return
    measures = context.get("measures") or []
    for measure in measures:
        _measure_row(w, table, measure, percents, answers)
    if not measures:
        row = table.add_row()
        _row_flags(row, header=False, keep=True)
        cell = row.cells[0].merge(row.cells[-1])
        w._cell_text(cell, ["ยังไม่ได้กำหนดมาตรการ"], align=WD_ALIGN_PARAGRAPH.CENTER)


def _measure_row(w: Writer, table, measure: dict, percents: tuple, answers: bool) -> None:
    values = [
        f"{clean(measure.get('number'))}. {clean(measure.get('title'))}",
        "",
        clean(measure.get("responsible")) or "–",
        measure.get("period"),
        clean(measure.get("monitoring")) or "–",
    ]
    if answers:
        values.append([clean(line) for line in measure.get("answers") or []] or "–")
    row = w.row(table, values, keep=_measure_lines(measure, percents) <= KEEP_ROW_LINES)
    steps = [s for s in measure.get("steps") or [] if clean(s).strip()]
    if steps:
        w.numbered(row.cells[1], steps)
    else:
        w.run(row.cells[1].paragraphs[0], "–")
    # A row that continues on the next page breaks between paragraphs, never through the
    # measure's title or one of its steps.
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_together = True


def _implementation(w: Writer, context: dict) -> None:
    """Section ๕: who carries the measures out (or why no one yet), the numbered steps, the period."""
    section = context.get("implementation")
    if not isinstance(section, dict) or not section:
        return
    titles = section.get("titles") if isinstance(section.get("titles"), dict) else {}
    none = clean(section.get("none"))

    def subheading(key: str) -> None:
        if clean(titles.get(key)).strip():
            w.heading(titles[key], level=2)

    if clean(section.get("heading")).strip():
        w.heading(section["heading"])
    subheading("units")
    if none:
        w.para(none)
    else:
        units = f" ได้แก่ {clean(section.get('units_text'))}" if section.get("units") else ""
        w.para(f"{clean(section.get('coordinator'))} ประสานการขับเคลื่อนมาตรการ ร่วมกับส่วนราชการที่รับผิดชอบมาตรการ{units}")
    subheading("steps")
    steps = [step for step in section.get("steps") or [] if isinstance(step, dict)]
    for step in steps:
        paragraph = w.paragraph(
            f"({clean(step.get('number'))}) {clean(step.get('text'))}", align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
        )
        paragraph.paragraph_format.left_indent = Cm(STEP_INDENT_CM)
        paragraph.paragraph_format.first_line_indent = Cm(-STEP_INDENT_CM)
    if not steps:
        w.para(none)
    subheading("period")
    w.para(section.get("period"))


# The old approval sentence: printed only by a copy frozen before the builder wrote `approval.text`.
OLD_APPROVAL = (
    "ผู้บริหารและเจ้าหน้าที่ได้ร่วมกันพิจารณาผลการประเมินและกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายใน"
    "{organization} ตามที่ปรากฏข้างต้น จึงให้ทุกส่วนราชการถือปฏิบัติและรายงานผลการดำเนินงานตามที่กำหนด"
)
BLANK_DATE = "อนุมัติ ณ วันที่ ....... เดือน ................. พ.ศ. ......."


def _approval(w: Writer, context: dict) -> None:
    """The approval sentence, the date line, the signature and the office: kept together on one page."""
    approval = context.get("approval")
    if not approval:
        return
    meeting = ""
    if approval.get("meeting_body") or approval.get("meeting_date"):
        meeting = f"ที่ประชุม{clean(approval.get('meeting_body')) or 'ของหน่วยงาน'}"
        if approval.get("meeting_date"):
            meeting += f" เมื่อวันที่ {clean(approval['meeting_date'])}"
        meeting += " "
    text = clean(approval.get("text")) or OLD_APPROVAL.format(organization=clean(approval.get("organization")))
    w.paragraph()
    sentence = w.para(f"{meeting}{text}", keep_next=True)
    sentence.paragraph_format.keep_together = True
    approved = clean(approval.get("approved_date"))
    date_line = w.paragraph(
        f"อนุมัติ ณ วันที่ {approved}" if approved else BLANK_DATE, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True
    )
    # Above the signature, 38 % in as in the PDF; the dotted blank at 16 pt (the PDF prints 13 pt)
    # needs about 10.7 cm, so it starts further left to stay on one line.
    indent = DATE_LINE_INDENT if approved else BLANK_DATE_INDENT
    date_line.paragraph_format.left_indent = Cm(TEXT_CM * indent)
    date_line.paragraph_format.space_before = Pt(12)
    _signature(w, approval)
    _office(w, approval)


def _signature(w: Writer, approval: dict) -> None:
    dots = ".........................................."
    lines = [
        f"ลงชื่อ {dots}",
        f"({clean(approval.get('approver_name')) or dots})",
        clean(approval.get("approver_position")) or "ตำแหน่ง ....................................",
    ]
    for index, line in enumerate(lines):
        paragraph = w.paragraph(line, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
        paragraph.paragraph_format.left_indent = Cm(TEXT_CM * 0.45)
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(18)


def _office(w: Writer, approval: dict) -> None:
    """The office line (and phone), the end of the approval block: the signature is kept with it."""
    office = " ".join(part for part in (clean(approval.get("office")), clean(approval.get("organization"))) if part)
    paragraph = w.paragraph(office, keep_next=bool(approval.get("office_phone")))
    paragraph.paragraph_format.space_before = Pt(20)
    if approval.get("office_phone"):
        w.paragraph(f"โทรศัพท์ {clean(approval['office_phone'])}")


SECTIONS: tuple[Callable[[Writer, dict], None], ...] = (
    _cover,
    _principle,
    _grading,
    _result,
    _analysis,
    _measures,
    _implementation,
    _approval,
)


# ---------------------------------------------------------------------------------------------
# Entry point


def _moment(value: object) -> datetime.datetime | None:
    """A W3C date-time of the metadata ("2024-05-01T09:30:00+07:00") as naive UTC; None if unreadable."""
    try:
        moment = datetime.datetime.fromisoformat(clean(value))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _properties(w: Writer, context: dict) -> None:
    """The file's properties as the PDF's: its <title>, and the builder's `meta` (author, subject, keywords, dates).

    A context without `meta` (an older frozen copy) gets properties made from its cover.
    """
    cover = context.get("cover") or {}
    meta = context.get("meta") if isinstance(context.get("meta"), dict) else {}
    organization = clean(cover.get("organization"))
    year = clean(cover.get("fiscal_year"))
    properties = w.document.core_properties
    properties.title = " ".join(
        part for part in (clean(cover.get("title")), f"ประจำปีงบประมาณ พ.ศ. {year}", organization) if part
    )
    properties.author = clean(meta.get("author")) or organization
    properties.last_modified_by = properties.author
    properties.subject = clean(meta.get("subject")) or f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA) {organization}".strip()
    properties.keywords = clean(meta.get("keywords")) or ", ".join(
        part for part in ("ITA", "มาตรการ", organization, year) if part
    )
    properties.language = LANGUAGE
    properties.comments = ""
    properties.revision = 1
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    properties.created = _moment(meta.get("created")) or now
    properties.modified = _moment(meta.get("modified")) or properties.created


def measures_docx(context: dict) -> bytes:
    """The มาตรการ document as .docx bytes, from `measures_document_context`'s data (or a frozen copy of it)."""
    cover = context.get("cover") if isinstance(context.get("cover"), dict) else {}
    w = Writer("arabic" if context.get("digits") == "arabic" else "thai", page_mark=cover.get("page_mark") or "")
    for section in SECTIONS:
        section(w, context)
    _properties(w, context)
    return w.save()
