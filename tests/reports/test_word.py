"""The มาตรการ document as an editable Word file: content, look, hostile text, downloads, LibreOffice (issue 11)."""

from __future__ import annotations

import copy
import datetime
import io
import os
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote
from zipfile import ZipFile

import docx
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from docx.oxml.ns import qn

from ita.models import Membership, Organization
from ita.thai import format_number
from measures.plans import create_plan
from reports.documents.measures import measures_document_context
from reports.models import PublishedVersion, RenderedDocument
from reports.publishing import publish_plan
from reports.word import DOCX_MIME, FONT, measures_docx
from tests.factory import make_user
from tests.measures import SeedTestCase

from . import pdf_text

ORG = "DEMO-MAESAIMITTRAPHAP"
HOSTILE = "</w:t><w:t>x{{7*7}}"
CONTROL = "".join(chr(c) for c in range(0x00, 0x09)) + "\x0b\x0c\x1f"


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def all_text(document) -> str:
    """Every paragraph's text, body and table cells, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def nospace(text: str) -> str:
    return "".join(text.split())


def body_blocks(document) -> list[str]:
    """The body in order: each paragraph's text, and "TABLE" for each table."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append("".join(node.text or "" for node in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            blocks.append("TABLE")
    return blocks


def paragraph_with(document, text: str):
    """The one body paragraph whose text is exactly `text`."""
    found = [p for p in document.paragraphs if p.text == text]
    assert len(found) == 1, (text, len(found))
    return found[0]


def header_texts(document) -> tuple[str, str]:
    """The text of the first page's header and of the other pages' header."""
    section = document.sections[0]
    return (
        "".join(p.text for p in section.first_page_header.paragraphs),
        "".join(p.text for p in section.header.paragraphs),
    )


class WordTestCase(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567)

    def build(self, **options) -> tuple[dict, docx.document.Document]:
        context = measures_document_context(self.plan, **options)
        return context, read(measures_docx(context))


class ContentTests(WordTestCase):
    def test_titles_organisation_and_thai_score(self):
        _context, document = self.build()
        text = all_text(document)
        titles = list(self.plan.measures.values_list("title", flat=True))
        self.assertTrue(titles)
        for title in titles:
            self.assertIn(title, text)
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", text)
        self.assertIn("ได้คะแนน ๙๑.๔๗ คะแนน", text)
        self.assertNotIn("91.47", text)
        for heading in ("หลักการและเหตุผล", "คะแนนรายตัวชี้วัด", "ตารางลำดับคะแนนรายตัวชี้วัด", "จุดแข็ง", "ลงชื่อ"):
            self.assertIn(heading, text)
        self.assertEqual(len(document.tables[-1].columns), 5)

    def test_arabic_digits_and_the_answers_column(self):
        _context, document = self.build(digits="arabic", with_answers=True)
        text = all_text(document)
        self.assertIn("ได้คะแนน 91.47 คะแนน", text)
        self.assertNotIn("๙๑.๔๗", text)
        self.assertEqual(len(document.tables[-1].columns), 6)
        self.assertIsNone(document.sections[0]._sectPr.find(qn("w:pgNumType")))

    def test_fonts_sizes_and_language_in_the_styles(self):
        _context, document = self.build()
        styles = document.styles.element
        for rpr in (
            styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
            document.styles["Normal"].element.rPr,
            document.styles["Heading 1"].element.rPr,
            document.styles["Table Text"].element.rPr,
        ):
            fonts = rpr.find(qn("w:rFonts"))
            for slot in ("cs", "ascii", "hAnsi", "eastAsia"):
                self.assertEqual(fonts.get(qn(f"w:{slot}")), FONT)
            self.assertIsNone(fonts.get(qn("w:cstheme")))
            self.assertEqual(rpr.find(qn("w:sz")).get(qn("w:val")), rpr.find(qn("w:szCs")).get(qn("w:val")))
            self.assertEqual(rpr.find(qn("w:lang")).get(qn("w:bidi")), "th-TH")
        self.assertEqual(document.styles["Normal"].element.rPr.find(qn("w:szCs")).get(qn("w:val")), "32")  # 16 pt
        bold_runs = [r for p in document.paragraphs for r in p.runs if r.bold]
        self.assertTrue(bold_runs)
        self.assertTrue(all(r._r.rPr.find(qn("w:bCs")) is not None for r in bold_runs))  # Thai bold

    def test_every_table_repeats_its_header_row(self):
        _context, document = self.build()
        self.assertGreaterEqual(len(document.tables), 4)  # grading, indicators, ranking, measures
        for table in document.tables:
            first = table.rows[0]._tr.trPr
            self.assertIsNotNone(first.find(qn("w:tblHeader")))
            self.assertTrue(
                all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
            )

    def test_page_margins_numbers_and_properties(self):
        context, document = self.build()
        section = document.sections[0]
        self.assertEqual((round(section.page_width.cm, 1), round(section.page_height.cm, 1)), (21.0, 29.7))
        margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
        self.assertEqual(tuple(round(m.cm, 2) for m in margins), (2.5, 2.0, 2.0, 3.0))
        self.assertTrue(section.different_first_page_header_footer)
        # Page 1 has no page number: its header holds only the draft's mark.
        self.assertEqual(nospace("".join(p.text for p in section.first_page_header.paragraphs)), "ร่าง")
        self.assertEqual(list(section.first_page_header._element.iter(qn("w:instrText"))), [])
        header = section.header._element
        instructions = [node.text for node in header.iter(qn("w:instrText"))]
        self.assertEqual([i.split()[0] for i in instructions], ["PAGE"])
        self.assertIn("ThaiArabic", instructions[0])
        self.assertIn("- ", section.header.paragraphs[0].text)
        self.assertEqual(section._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")), "thaiNumbers")
        properties = document.core_properties
        self.assertIn("มาตรการส่งเสริมคุณธรรมและความโปร่งใส", properties.title)
        self.assertIn("๒๕๖๗", properties.title)
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", properties.title)
        # The PDF's metadata (reports.documents.metadata), not words of the Word builder's own.
        meta = context["meta"]
        self.assertEqual(properties.author, "เทศบาลตำบลแม่สายมิตรภาพ")
        self.assertEqual((properties.author, properties.subject), (meta["author"], meta["subject"]))
        self.assertEqual(properties.keywords, meta["keywords"])
        self.assertIn("ITA", properties.keywords)
        created = datetime.datetime.fromisoformat(meta["created"]).astimezone(datetime.UTC)
        self.assertEqual(properties.created, created)
        self.assertEqual(properties.language, "th-TH")

    def test_properties_of_a_copy_frozen_without_metadata(self):
        context = measures_document_context(self.plan)
        del context["meta"]
        properties = read(measures_docx(context)).core_properties
        self.assertEqual(properties.author, "เทศบาลตำบลแม่สายมิตรภาพ")
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", properties.subject)
        self.assertIsNotNone(properties.created)


class PageMarkAndApprovalTests(WordTestCase):
    """What the PDF prints around the approval and at the top of every page, by the plan's state."""

    def test_a_draft_has_its_mark_on_every_page_and_a_blank_date_line(self):
        context, document = self.build()
        self.assertEqual(context["cover"]["page_mark"], "ร่าง")
        first, other = header_texts(document)
        self.assertEqual(first, "ร่าง")
        self.assertEqual(other.split("\t")[-1], "ร่าง")  # after the page number, at the right tab stop
        self.assertIn("- ", other)
        for header in (document.sections[0].first_page_header, document.sections[0].header):
            marks = [r for p in header.paragraphs for r in p.runs if r.text == "ร่าง"]
            self.assertEqual(len(marks), 1)
            self.assertEqual(str(marks[0].font.color.rgb), "B00020")
            self.assertTrue(marks[0].bold)
        # The header parts of the file itself carry it (the page header is not body text).
        with ZipFile(io.BytesIO(measures_docx(context))) as package:
            headers = [name for name in package.namelist() if name.startswith("word/header")]
            self.assertEqual(sum("ร่าง" in package.read(name).decode() for name in headers), 2)
        self.assertIn("(ร่าง ฉบับที่ ๑ ยังไม่ได้รับอนุมัติ)", all_text(document))  # the cover's line too
        date_line = paragraph_with(document, "อนุมัติ ณ วันที่ ....... เดือน ................. พ.ศ. .......")
        self.assertTrue(date_line.paragraph_format.keep_with_next)

    def test_an_approved_plan_has_its_date_and_the_unpublished_mark(self):
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        context, document = self.build()
        approval = context["approval"]
        self.assertTrue(approval["approved_date"])
        self.assertEqual(header_texts(document)[0], "ฉบับอนุมัติ ยังไม่เผยแพร่")
        text = all_text(document)
        self.assertNotIn("ร่าง ฉบับที่", text)
        self.assertNotIn("อนุมัติ ณ วันที่ .......", text)
        # The sentence, the date line and the signature are kept together on one page.
        sentence = paragraph_with(document, approval["text"])
        date_line = paragraph_with(document, f"อนุมัติ ณ วันที่ {approval['approved_date']}")
        signature = [p for p in document.paragraphs if p.text.startswith("ลงชื่อ ")]
        self.assertEqual(len(signature), 1)
        blocks = body_blocks(document)
        self.assertEqual(blocks.index(date_line.text), blocks.index(sentence.text) + 1)
        self.assertEqual(blocks.index(signature[0].text), blocks.index(date_line.text) + 1)
        for paragraph in (sentence, date_line, signature[0]):
            self.assertTrue(paragraph.paragraph_format.keep_with_next, paragraph.text)
        self.assertTrue(sentence.paragraph_format.keep_together)

    def test_no_mark_without_one(self):
        context = measures_document_context(self.plan)
        context["cover"]["page_mark"] = ""  # as a published copy's frozen data says
        document = read(measures_docx(context))
        first, other = header_texts(document)
        self.assertEqual(nospace(first), "")
        self.assertNotIn("ร่าง", other)
        self.assertEqual(document.sections[0].header.paragraphs[0].alignment, 1)  # centred

    def test_old_approval_sentence_only_for_a_copy_frozen_without_it(self):
        context = measures_document_context(self.plan)
        self.assertNotIn("ตามที่ปรากฏข้างต้น", all_text(read(measures_docx(context))))
        del context["approval"]["text"], context["approval"]["approved_date"]
        text = all_text(read(measures_docx(context)))
        self.assertIn("ความโปร่งใสภายในเทศบาลตำบลแม่สายมิตรภาพ ตามที่ปรากฏข้างต้น จึงให้ทุกส่วนราชการ", text)
        self.assertIn("อนุมัติ ณ วันที่ ....... เดือน", text)


class SeedDocumentTests(TestCase):
    """Loh Jud 2567 (keep-level) and Nong Laeng 2565 with the real catalogue, as tests/reports/test_document_claims."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", "--no-users", verbosity=0, stdout=io.StringIO())
        cls.lohjud = create_plan(organization=Organization.objects.get(code="DEMO-LOHJUD"), fiscal_year=2567)
        cls.nonglaeng = create_plan(organization=Organization.objects.get(code="DEMO-NONGLAENG"), fiscal_year=2565)

    def build(self, plan, **options) -> tuple[dict, docx.document.Document]:
        context = measures_document_context(plan, **options)
        return context, read(measures_docx(context))

    def test_loh_jud_measures_under_their_group_titles(self):
        context, document = self.build(self.lohjud)
        groups = context["measure_groups"]
        self.assertGreaterEqual(len(groups), 2)
        table = document.tables[-1]
        first_cells = [row.cells[0].text for row in table.rows[1:]]
        expected = []
        for group in groups:
            self.assertTrue(group["title"].startswith("ประเด็นที่ "))
            expected.append(group["title"])
            expected.extend(f"{m['number']}. {m['title']}" for m in group["measures"])
        self.assertEqual(first_cells, expected)
        self.assertEqual(sum(len(g["measures"]) for g in groups), self.lohjud.measures.count())
        for row in table.rows[1:]:
            if row.cells[0].text.startswith("ประเด็นที่ "):
                self.assertEqual(len({cell._tc for cell in row.cells}), 1)  # one cell across the table
                self.assertTrue(row.cells[0].paragraphs[0].paragraph_format.keep_with_next)

    def test_loh_jud_section_five_and_the_counted_approval(self):
        context, document = self.build(self.lohjud)
        implementation = context["implementation"]
        blocks = body_blocks(document)
        heading = blocks.index("๕. การขับเคลื่อนมาตรการสู่การปฏิบัติ")
        self.assertEqual(blocks[heading - 1], "TABLE")  # right after the measures table
        self.assertEqual(
            blocks[heading + 1 : heading + 3],
            [
                "๕.๑ ผู้รับผิดชอบ",
                f"{implementation['coordinator']} ประสานการขับเคลื่อนมาตรการ ร่วมกับส่วนราชการที่รับผิดชอบมาตรการ"
                f" ได้แก่ {implementation['units_text']}",
            ],
        )
        steps = [f"({step['number']}) {step['text']}" for step in implementation["steps"]]
        self.assertEqual(len(steps), 5)
        self.assertEqual(blocks[heading + 3 : heading + 4 + len(steps)], ["๕.๒ ขั้นตอนการดำเนินงาน", *steps])
        self.assertEqual(
            blocks[heading + 4 + len(steps) : heading + 6 + len(steps)],
            ["๕.๓ ระยะเวลาดำเนินการ", "๑ ตุลาคม ๒๕๖๖ – ๓๐ กันยายน ๒๕๖๗"],
        )
        count = format_number(self.lohjud.measures.count())
        sentence = context["approval"]["text"]
        self.assertIn(f"จำนวน {count} มาตรการ ตามตารางในข้อ ๔", sentence)
        self.assertGreater(blocks.index(sentence), heading)
        text = all_text(document)
        self.assertNotIn("ตามที่ปรากฏข้างต้น", text)
        # No weakness: 3.2 prints the builder's sentence about the lowest score.
        self.assertEqual(context["analysis"]["weaknesses"], [])
        no_weaknesses = context["analysis"]["no_weaknesses"]
        self.assertTrue(no_weaknesses.startswith("ทุกตัวชี้วัดได้คะแนนตั้งแต่"))
        self.assertEqual(blocks[blocks.index(no_weaknesses) - 1][:3], "๓.๒")
        self.assertNotIn("ไม่มีตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์", text)

    def test_loh_jud_in_arabic_digits(self):
        context, document = self.build(self.lohjud, digits="arabic")
        blocks = body_blocks(document)
        for number in ("3.1 ", "3.2 ", "3.3 ", "5.1 ", "5.2 ", "5.3 "):
            self.assertTrue(any(block.startswith(number) for block in blocks), number)
        for number in ("1. ", "2. ", "3. ", "4. ", "5. "):
            self.assertTrue(any(block.startswith(number) for block in blocks), number)
        self.assertIn("5. การขับเคลื่อนมาตรการสู่การปฏิบัติ", blocks)
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        self.assertTrue(headings)
        self.assertFalse([h for h in headings if any("๐" <= ch <= "๙" for ch in h)], headings)
        self.assertIn("ตามตารางในข้อ 4", context["approval"]["text"])
        self.assertIn(context["approval"]["text"], blocks)

    def test_nong_laeng_item_notes_instead_of_the_old_sentence(self):
        context, document = self.build(self.nonglaeng)
        analysis = context["analysis"]
        self.assertEqual(analysis["groups"], [])
        self.assertTrue(analysis["item_notes"])
        blocks = body_blocks(document)
        start = next(i for i, block in enumerate(blocks) if block.startswith("๓.๓ "))
        end = blocks.index(next(block for block in blocks if block.startswith("๔. มาตรการ")))
        self.assertEqual(blocks[start + 1 : end], analysis["item_notes"])
        self.assertNotIn("ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า", all_text(document))
        # A copy frozen before item notes existed prints the old sentence, as the template does.
        del analysis["item_notes"]
        blocks = body_blocks(read(measures_docx(context)))
        start = next(i for i, block in enumerate(blocks) if block.startswith("๓.๓ "))
        self.assertEqual(blocks[start + 1], "ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า ๘๕ คะแนน และไม่มีรายการ OIT ที่ได้คะแนนไม่เต็ม")


class RobustnessTests(WordTestCase):
    def test_hostile_measure_text_is_written_literally(self):
        # Stored text: PostgreSQL refuses NUL in a text column, so it is left out here (the next
        # test puts it, with the other control characters, straight into the context).
        stored = CONTROL.replace("\x00", "")
        measure = self.plan.measures.first()
        measure.title = HOSTILE + stored + "ท้าย"
        measure.steps = ["ขั้น" + stored, HOSTILE]
        measure.save()
        _context, document = self.build()
        text = all_text(document)
        self.assertIn(HOSTILE + "ท้าย", text)
        self.assertNotIn("x49", text)
        self.assertFalse(any(ch in text for ch in CONTROL))

    def test_control_characters_anywhere_in_the_context_never_crash(self):
        context = measures_document_context(self.plan)

        def poison(value):
            if isinstance(value, str):
                return value + CONTROL + HOSTILE
            if isinstance(value, list):
                return [poison(v) for v in value]
            if isinstance(value, dict):
                return {k: poison(v) for k, v in value.items()}
            return value

        document = read(measures_docx(poison(copy.deepcopy(context))))
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ" + HOSTILE, all_text(document))

    def test_absent_sections_are_skipped(self):
        self.assertTrue(read(measures_docx({})).paragraphs is not None)
        context = measures_document_context(self.plan)
        for key in ("tools", "grading", "result", "analysis", "measures", "approval"):
            context.pop(key)
        text = all_text(read(measures_docx(context)))
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", text)
        self.assertNotIn("ลงชื่อ", text)

    def test_an_unreadable_emblem_is_left_out(self):
        context = measures_document_context(self.plan)
        context["cover"]["emblem"] = "data:image/png;base64,bm90IGEgcG5n"
        with self.assertLogs("reports.word", level="WARNING"):
            document = read(measures_docx(context))
        self.assertEqual(len(document.inline_shapes), 0)


class CommandTests(WordTestCase):
    def run_command(self, *options: str) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "measures.docx"
            call_command(
                "render_measures",
                "--org",
                ORG,
                "--year",
                "2567",
                *options,
                "--output",
                str(output),
                stdout=io.StringIO(),
            )
            return output.read_bytes()

    def test_format_docx_with_arabic_digits_and_answers(self):
        data = self.run_command("--format", "docx", "--digits", "arabic", "--answers")
        self.assertIn("word/document.xml", ZipFile(io.BytesIO(data)).namelist())
        document = read(data)
        self.assertIn("91.47", all_text(document))
        self.assertEqual(len(document.tables[-1].columns), 6)

    def test_html_still_works_and_followup_is_refused_as_word(self):
        self.assertIn(b"<html", self.run_command("--html"))
        with self.assertRaises(CommandError):
            self.run_command("--format", "docx", "--followup")


class ViewTests(WordTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.url = reverse("reports:plan_docx", args=[cls.plan.pk])
        cls.auditor = make_user("audrey", role=Membership.Role.AUDITOR)

    def publish(self) -> PublishedVersion:
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        with self.captureOnCommitCallbacks(execute=False):
            return publish_plan(plan=self.plan, by=self.bob)

    def test_staff_and_executive_get_the_draft(self):
        for user in (self.alice, self.bob):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertEqual((response.status_code, response["Content-Type"]), (200, DOCX_MIME))
        thai = quote("มาตรการ-เทศบาลตำบลแม่สายมิตรภาพ-2567.docx", safe="")
        self.assertEqual(
            response["Content-Disposition"], f"attachment; filename=\"measures-2567.docx\"; filename*=UTF-8''{thai}"
        )
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("ร่าง ฉบับที่", all_text(read(response.content)))
        self.assertFalse(RenderedDocument.objects.exists())  # a GET writes nothing

    def test_options_follow_the_query_and_bad_ones_are_refused(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.url + "?digits=arabic&answers=on")
        self.assertIn("91.47", all_text(read(response.content)))
        self.assertEqual(self.client.get(self.url + "?kind=followup").status_code, 400)
        self.assertEqual(self.client.get(self.url + "?digits=roman").status_code, 400)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_outsiders_get_404_like_the_pdf(self):
        self.assertEqual(self.client.get(self.url).status_code, 404)  # anonymous, draft
        for user in (self.charlie, self.auditor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_a_published_copy_is_public_and_built_from_its_frozen_data(self):
        version = self.publish()
        frozen = version.context
        frozen["cover"]["organization"] = "ชื่อตามฉบับเผยแพร่"
        PublishedVersion.objects.filter(pk=version.pk).update(context=frozen)
        url = reverse("reports:published_docx", args=[version.pk])
        response = self.client.get(url)  # anonymous
        self.assertEqual((response.status_code, response["Content-Type"]), (200, DOCX_MIME))
        text = all_text(read(response.content))
        self.assertIn("ชื่อตามฉบับเผยแพร่", text)
        self.assertNotIn("ร่าง ฉบับที่", text)
        self.client.force_login(self.auditor)
        self.assertRedirects(self.client.get(self.url), url, fetch_redirect_response=False)
        page = self.client.get(reverse("reports:published_version", args=[version.pk]))
        self.assertContains(page, url)
        self.assertContains(page, "ดาวน์โหลดแบบแก้ไขได้ (Word)")

    def test_an_unpublished_version_has_no_public_copy(self):
        self.assertEqual(self.client.get(reverse("reports:published_docx", args=[999999])).status_code, 404)

    def test_the_plan_page_offers_word_beside_the_pdf(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("measures:detail", args=[self.plan.pk]))
        self.assertContains(page, self.url)
        self.assertContains(page, "ดาวน์โหลดแบบแก้ไขได้ (Word)")


def bases(text: str) -> str:
    """Thai text reduced to its base letters: pdftotext gives LibreOffice's marks in glyph order
    ("ชีแ้จง"), drops a hyphen at a line end and breaks lines anywhere in a narrow cell."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "-" and unicodedata.category(ch) != "Mn")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class LibreOfficeTests(WordTestCase):
    """LibreOffice opens the file and prints the titles (CI installs it and sets REQUIRE_LIBREOFFICE=1)."""

    def setUp(self):
        if soffice() is None:
            if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
                self.fail("REQUIRE_LIBREOFFICE=1 but soffice is not installed (make sysdeps WITH_LIBREOFFICE=1)")
            self.skipTest("LibreOffice (soffice) is not installed: make sysdeps WITH_LIBREOFFICE=1")

    def test_libreoffice_converts_it_to_pdf_with_the_titles(self):
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            (folder / "measures.docx").write_bytes(measures_docx(measures_document_context(self.plan)))
            profile = (folder / "profile").as_uri()  # a private profile: parallel runs do not clash
            subprocess.run(  # noqa: S603
                [
                    soffice(),
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(folder / "measures.docx"),
                ],
                capture_output=True,
                check=True,
                timeout=180,
            )
            pdf = (folder / "measures.pdf").read_bytes()
            text = bases(pdf_text(pdf, folder))
            # The measures table's first column alone (from the left margin, 3 cm = 85 pt, about 3 cm
            # wide), so the other columns' lines do not interleave with the titles.
            first_column = bases(pdf_text(pdf, folder, "-r", "72", "-x", "80", "-y", "0", "-W", "96", "-H", "842"))
        self.assertIn(bases("เทศบาลตำบลแม่สายมิตรภาพ"), text)
        self.assertIn(bases("มาตรการส่งเสริมคุณธรรมและความโปร่งใส"), text)
        titles = list(self.plan.measures.values_list("title", flat=True))
        self.assertEqual(len(titles), 3)
        for title in titles:
            self.assertIn(bases(title), first_column)
