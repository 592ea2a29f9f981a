"""The follow-up report: latest progress per measure at a date, overall progress, overdue measures (issue 5)."""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.followup import default_round, round_end
from measures.models import Measure, PeriodKind, Progress
from measures.plans import create_plan
from reports.documents.followup import followup_document_context, followup_document_html
from reports.pdf.render import render_pdf
from tests.measures import SeedTestCase

from . import pdf_text

ORG = "DEMO-MAESAIMITTRAPHAP"
S = Progress.Status


def nospace(text: str) -> str:
    return "".join(text.split())


class FollowupTestCase(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567)
        # Three measures from the small catalogue: Jan–Mar 2567, whole year, Oct–Dec 2566.
        cls.asset, cls.eservice, cls.budget = cls.plan.measures.order_by("order", "pk")
        cls.add(cls.asset, "2024-01-15", S.IN_PROGRESS, 40, "ร่างคู่มือแล้ว")
        cls.add(cls.asset, "2024-03-20", S.DONE, 100, "แจ้งเวียนคู่มือทุกกองแล้ว", "https://example.go.th/คู่มือ.pdf")
        cls.add(cls.asset, "2024-05-02", S.DONE, 100, "ทบทวนคู่มือหลังใช้งานจริง")
        cls.add(cls.eservice, "2024-02-01", S.IN_PROGRESS, 35, "เปิดระบบรับคำร้องออนไลน์ ๒ บริการ")
        # budget-briefing: nothing reported, and its period (Oct–Dec 2566) has ended → overdue.

    @staticmethod
    def add(measure: Measure, day: str, status: str, percent: int, note: str, url: str = "") -> Progress:
        return Progress.objects.create(
            measure=measure,
            date=datetime.date.fromisoformat(day),
            status=status,
            percent=percent,
            note=note,
            evidence_url=url,
        )

    def context(self, as_of: str = "2024-03-31", months: int = 6, digits: str = "thai") -> dict:
        return followup_document_context(
            self.plan, as_of=datetime.date.fromisoformat(as_of), round_months=months, digits=digits
        )


class RoundTests(FollowupTestCase):
    def test_round_ends_in_the_fiscal_year(self):
        self.assertEqual(round_end(2567, 6), datetime.date(2024, 3, 31))
        self.assertEqual(round_end(2567, 12), datetime.date(2024, 9, 30))
        self.assertEqual(default_round(2567, datetime.date(2024, 3, 31)), 6)
        self.assertEqual(default_round(2567, datetime.date(2024, 4, 1)), 12)
        with self.assertRaises(ValueError):
            round_end(2567, 9)


class ContextTests(FollowupTestCase):
    def test_latest_entry_on_or_before_the_date(self):
        rows = self.context()["rows"]
        self.assertEqual([row["status"] for row in rows], [S.DONE, S.IN_PROGRESS, S.NOT_STARTED])
        self.assertEqual([row["percent"] for row in rows], ["๑๐๐", "๓๕", "๐"])
        # The May entry is after the six-month round: the March one is reported.
        self.assertEqual(rows[0]["note"], "แจ้งเวียนคู่มือทุกกองแล้ว")
        self.assertEqual(rows[0]["date"], "๒๐ มีนาคม ๒๕๖๗")
        self.assertEqual(rows[0]["evidence_url"], "https://example.go.th/คู่มือ.pdf")
        self.assertFalse(rows[2]["reported"])

    def test_overdue_and_overall(self):
        context = self.context()
        self.assertEqual([row["overdue"] for row in context["rows"]], [False, False, True])
        self.assertEqual([row["title"] for row in context["overdue"]], ["ชี้แจงแผนการใช้จ่ายงบประมาณประจำปี"])
        summary = context["summary"]
        self.assertEqual((summary["overall_percent"], summary["overdue"], summary["measures"]), ("๔๕.๐๐", "๑", "๓"))

    def test_not_possible_is_neither_overdue_nor_counted(self):
        self.add(self.budget, "2024-03-01", S.NOT_POSSIBLE, 0, "ไม่มีงบประมาณ")
        context = self.context()
        self.assertFalse(context["rows"][2]["overdue"])
        self.assertEqual(context["summary"]["overall_percent"], "๖๗.๕๐")
        self.assertTrue(context["summary"]["has_not_possible"])

    def test_before_any_entry_nothing_is_reported(self):
        rows = self.context(as_of="2023-12-31")["rows"]
        self.assertEqual([row["reported"] for row in rows], [False, False, False])
        self.assertEqual([row["overdue"] for row in rows], [False, False, False])

    def test_arabic_digits_and_words_as_written(self):
        context = self.context(digits="arabic")
        self.assertEqual(context["rows"][1]["percent"], "35")
        self.assertEqual(context["rows"][1]["note"], "เปิดระบบรับคำร้องออนไลน์ ๒ บริการ")  # staff text keeps its digits
        self.assertEqual((context["fiscal_year"], context["round"]), ("2567", "6"))

    def test_query_count_does_not_grow_with_measures(self):
        with CaptureQueriesContext(connection) as few:
            self.context()
        extra = [
            Measure(plan=self.plan, order=10 + n, title=f"มาตรการ {n}", period_kind=PeriodKind.WHOLE_YEAR)
            for n in range(20)
        ]
        for measure in Measure.objects.bulk_create(extra):
            self.add(measure, "2024-02-02", S.IN_PROGRESS, 10, "เริ่มแล้ว")
        with self.assertNumQueries(len(few)):
            context = self.context()
        self.assertEqual(len(context["rows"]), 23)


class FollowupPdfTests(FollowupTestCase):
    def test_pdf_text_has_statuses_percents_and_measures_as_written(self):
        pdf = render_pdf(followup_document_html(self.context()))
        with tempfile.TemporaryDirectory() as folder:
            text = nospace(pdf_text(pdf, Path(folder), "-raw"))
        for expected in (
            "เทศบาลตำบลแม่สายมิตรภาพ",
            "รอบ๖เดือน",
            "ข้อมูลณวันที่๓๑มีนาคม๒๕๖๗",
            "ดำเนินการแล้ว",
            "อยู่ระหว่างดำเนินการ",
            "ยังไม่ดำเนินการ",
            "ร้อยละ๑๐๐",
            "ร้อยละ๓๕",
            "ร้อยละ๐",
            "ร้อยละ๔๕.๐๐",
            "พ้นกำหนด",
            "https://example.go.th/คู่มือ.pdf",
            "แจ้งเวียนคู่มือทุกกองแล้ว",
        ):
            self.assertIn(nospace(expected), text)
        for title in self.plan.measures.values_list("title", flat=True):
            self.assertIn(nospace(title), text)
        self.assertNotIn("ทบทวนคู่มือหลังใช้งานจริง", text)  # after the round's date

    def test_command_renders_the_followup(self):
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "followup.html"
            call_command(
                "render_measures",
                *("--org", ORG, "--year", "2567", "--followup", "--round", "6", "--html", "--output", str(output)),
                stdout=io.StringIO(),
            )
            html = output.read_text(encoding="utf-8")
        self.assertIn("รายงานผลการดำเนินงานตามมาตรการ", html)
        self.assertIn("ร้อยละ ๓๕", html)
        self.assertNotIn("ทบทวนคู่มือหลังใช้งานจริง", html)

    def test_command_rejects_a_bad_date(self):
        with self.assertRaisesMessage(CommandError, "ไม่ถูกต้อง"):
            call_command(
                "render_measures",
                *("--org", ORG, "--year", "2567", "--followup", "--as-of", "31/03/2567", "--output", "/dev/null"),
            )
