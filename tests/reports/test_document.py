"""The มาตรการ document: context data, the render_measures command and the PDF it writes (issue 5)."""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import Measure, MeasurePlan
from measures.plans import create_plan
from reports.documents.measures import grading_rows, measures_document_context, measures_document_html
from tests.measures import SeedTestCase

from . import page_sizes, pdf_text

ORG = "DEMO-MAESAIMITTRAPHAP"
A4 = (595.3, 841.9)
HOSTILE = "</td><style>@page{size:1px}</style><img src=x>{{7*7}}"


def nospace(text: str) -> str:
    """Thai lines wrap without spaces, so compare texts with all whitespace removed."""
    return "".join(text.split())


class DocumentTestCase(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567)

    def render(self, *options: str) -> tuple[bytes, Path]:
        temporary = tempfile.TemporaryDirectory()
        self.addCleanup(temporary.cleanup)
        folder = Path(temporary.name)
        output = folder / "measures.pdf"
        call_command(
            "render_measures", "--org", ORG, "--year", "2567", *options, "--output", str(output), stdout=io.StringIO()
        )
        return output.read_bytes(), folder


class RenderedDocumentTests(DocumentTestCase):
    def test_pdf_text_has_organisation_result_and_every_measure(self):
        pdf, folder = self.render()
        text = pdf_text(pdf, folder, "-raw")
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", text)
        self.assertIn("๙๑.๔๗", text)
        self.assertIn("ผ่าน", text)
        self.assertNotIn("91.47", text)
        titles = list(self.plan.measures.values_list("title", flat=True))
        self.assertEqual(len(titles), 3)
        for title in titles:
            self.assertIn(nospace(title), nospace(text))
        self.assertTrue(all(size == A4 for size in page_sizes(pdf, folder)))

    def test_arabic_digits(self):
        pdf, folder = self.render("--digits", "arabic")
        text = pdf_text(pdf, folder, "-raw")
        self.assertIn("91.47", text)
        self.assertIn("2567", text)
        self.assertNotIn("๙๑.๔๗", text)

    def test_hostile_measure_text_is_printed_literally(self):
        Measure.objects.create(plan=self.plan, order=99, title=HOSTILE, steps=[HOSTILE], responsible=HOSTILE)
        pdf, folder = self.render()
        text = nospace(pdf_text(pdf, folder, "-raw"))
        literal = nospace(HOSTILE)
        self.assertGreaterEqual(text.count(literal), 3)
        self.assertTrue(all(size == A4 for size in page_sizes(pdf, folder)))

    def test_html_option_writes_escaped_html(self):
        Measure.objects.create(plan=self.plan, order=99, title=HOSTILE)
        _pdf, folder = self.render("--html")
        html = (folder / "measures.pdf").read_text(encoding="utf-8")
        self.assertIn("&lt;/td&gt;&lt;style&gt;@page{size:1px}&lt;/style&gt;&lt;img src=x&gt;", html)
        self.assertNotIn("<img src=x>", html)

    def test_unknown_organisation_is_a_command_error(self):
        with self.assertRaisesMessage(CommandError, "ไม่พบหน่วยงานรหัส NOPE"):
            call_command("render_measures", "--org", "NOPE", "--year", "2567", "--output", "/dev/null")


class CommandCreatesPlanTests(SeedTestCase):
    def test_creates_the_draft_when_there_is_none(self):
        self.assertFalse(MeasurePlan.objects.filter(organization=self.maesai).exists())
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "doc.html"
            call_command("render_measures", "--org", ORG, "--year", "๒๕๖๗", "--html", "--output", str(output))
            self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", output.read_text(encoding="utf-8"))
        self.assertEqual(MeasurePlan.objects.filter(organization=self.maesai, fiscal_year=2567).count(), 1)


class ContextTests(DocumentTestCase):
    def test_context_is_plain_data(self):
        context = measures_document_context(self.plan)
        allowed = (str, int, bool, list, dict, type(None))

        def walk(value):
            self.assertIsInstance(value, allowed)
            children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
            for child in children:
                walk(child)

        walk(context)

    def test_cover_result_and_ranking(self):
        context = measures_document_context(self.plan)
        self.assertEqual(
            (context["cover"]["fiscal_year"], context["cover"]["district"], context["cover"]["province"]),
            ("๒๕๖๗", "แม่สาย", "เชียงราย"),
        )
        result = context["result"]
        self.assertEqual((result["overall"], result["level"], result["fiscal_year"]), ("๙๑.๔๗", "ผ่าน", "๒๕๖๖"))
        ranking = [row["number"] for row in result["ranking"]]
        self.assertEqual(ranking, ["๙", "๑๐", "๑", "๓", "๕", "๖", "๗", "๒", "๔", "๘"])
        self.assertEqual([row["score"] for row in result["indicators"]][:2], ["๙๕.๐๑", "๘๔.๔๕"])

    def test_measures_columns(self):
        measure = measures_document_context(self.plan, with_answers=True)["measures"][0]
        self.assertEqual(measure["title"], "จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ")
        self.assertEqual(measure["steps"], ["จัดทำคู่มือ", "แจ้งเวียนบุคลากร"])
        self.assertEqual((measure["responsible"], measure["period"]), ("กองคลัง", "ม.ค. – มี.ค. ๖๗"))
        self.assertEqual(measure["answers"], ["ข้อ I๒๐ I๒๓", "ตัวชี้วัดที่ ๔"])
        html = measures_document_html(measures_document_context(self.plan, with_answers=True))
        self.assertIn("ข้อ/ตัวชี้วัดที่ตอบ", html)
        self.assertNotIn("ข้อ/ตัวชี้วัดที่ตอบ", measures_document_html(measures_document_context(self.plan)))

    def test_approval_block(self):
        MeasurePlan.objects.filter(pk=self.plan.pk).update(
            meeting_date="2023-12-08",
            meeting_body="คณะทำงาน ITA",
            approver_name="นายทดสอบ ใจดี",
            office_phone="053-123456",
        )
        approval = measures_document_context(self.plan)["approval"]
        self.assertEqual(approval["meeting_date"], "๘ ธันวาคม ๒๕๖๖")
        self.assertEqual((approval["approver_name"], approval["office_phone"]), ("นายทดสอบ ใจดี", "๐๕๓-๑๒๓๔๕๖"))
        arabic = measures_document_context(self.plan, digits="arabic")["approval"]
        self.assertEqual((arabic["meeting_date"], arabic["office_phone"]), ("8 ธันวาคม 2566", "053-123456"))

    def test_query_count_does_not_grow_with_measures(self):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                measures_document_context(self.plan)
            return len(captured)

        self.assertEqual(self.plan.measures.count(), 3)
        few = queries()
        Measure.objects.bulk_create(
            [Measure(plan=self.plan, order=10 + n, title=f"มาตรการ {n}", steps=["ขั้นที่ ๑"]) for n in range(27)]
        )
        self.assertEqual(self.plan.measures.count(), 30)
        with self.assertNumQueries(few):
            context = measures_document_context(self.plan)
        self.assertEqual(len(context["measures"]), 30)


class GradingRowsTests(DocumentTestCase):
    def test_scheme_from_2566(self):
        levels = [
            ("ผ่านดีเยี่ยม", Decimal("95.00"), Decimal("95.00")),
            ("ผ่านดี", Decimal("85.00"), Decimal("85.00")),
            ("ผ่าน", Decimal("85.00"), None),
            ("ต้องปรับปรุง", Decimal("70.00"), None),
            ("ต้องปรับปรุงโดยด่วน", Decimal("0.00"), None),
        ]
        rows = grading_rows(levels)
        self.assertEqual(
            [row["score"] for row in rows],
            ["๙๕.๐๐ – ๑๐๐", "๘๕.๐๐ ขึ้นไป", "๘๕.๐๐ ขึ้นไป", "๗๐.๐๐ – ๘๔.๙๙", "๐.๐๐ – ๖๙.๙๙"],
        )
        self.assertIn("น้อยกว่า ๘๕ คะแนน", rows[2]["condition"])
        self.assertEqual(rows[3]["condition"], "–")

    def test_old_scheme_has_closed_ranges(self):
        rows = grading_rows([("AA", Decimal(95), None), ("A", Decimal(85), None), ("F", Decimal(0), None)], "arabic")
        self.assertEqual([row["score"] for row in rows], ["95.00 – 100", "85.00 – 94.99", "0.00 – 84.99"])
