"""The มาตรการ document as an editable Word file: content, look, hostile text, downloads, LibreOffice (issue 11)."""

from __future__ import annotations

import copy
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
from django.urls import reverse
from docx.oxml.ns import qn

from ita.models import Membership
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
        _context, document = self.build()
        section = document.sections[0]
        self.assertEqual((round(section.page_width.cm, 1), round(section.page_height.cm, 1)), (21.0, 29.7))
        margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
        self.assertEqual(tuple(round(m.cm, 2) for m in margins), (2.5, 2.0, 2.0, 3.0))
        self.assertTrue(section.different_first_page_header_footer)
        self.assertEqual(nospace("".join(p.text for p in section.first_page_header.paragraphs)), "")
        header = section.header._element
        instructions = [node.text for node in header.iter(qn("w:instrText"))]
        self.assertEqual([i.split()[0] for i in instructions], ["PAGE"])
        self.assertIn("ThaiArabic", instructions[0])
        self.assertIn("- ", section.header.paragraphs[0].text)
        self.assertEqual(section._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")), "thaiNumbers")
        properties = document.core_properties
        self.assertIn("มาตรการส่งเสริมคุณธรรมและความโปร่งใส", properties.title)
        self.assertIn("๒๕๖๗", properties.title)
        self.assertEqual(properties.author, "เทศบาลตำบลแม่สายมิตรภาพ")
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", properties.subject)
        self.assertIn("ITA", properties.keywords)


class RobustnessTests(WordTestCase):
    def test_hostile_measure_text_is_written_literally(self):
        measure = self.plan.measures.first()
        measure.title = HOSTILE + CONTROL + "ท้าย"
        measure.steps = ["ขั้น" + CONTROL, HOSTILE]
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
