"""`manage.py plan --org CODE --year YYYY [--json]`."""

import io
import json

from django.core.management import CommandError, call_command

from measures.models import Measure, MeasurePlan
from measures.plans import create_plan, plan_document

from . import SeedTestCase


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


class PlanCommandTests(SeedTestCase):
    def test_json_for_mae_sai_2567(self):
        document = json.loads(_run("--org", "DEMO-MAESAIMITTRAPHAP", "--year", "2567", "--json"))
        self.assertEqual(document["organization"], "DEMO-MAESAIMITTRAPHAP")
        self.assertEqual((document["fiscal_year"], document["based_on"], document["threshold"]), (2567, 2566, "85.00"))
        self.assertEqual(document["ranking"][0], {"indicator": 9, "score": "100.00"})
        self.assertEqual(document["ranking"][-1], {"indicator": 8, "score": "82.73"})
        self.assertEqual(document["strengths"], [9, 10, 1, 3, 5, 6])
        self.assertEqual(document["weaknesses"], [7, 2, 4, 8])
        self.assertEqual(document["items_to_improve"], [])
        self.assertEqual(document["status"], "draft")
        first = document["measures"][0]
        self.assertEqual(
            first,
            {
                "title": "จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ",
                "steps": ["จัดทำคู่มือ", "แจ้งเวียนบุคลากร"],
                "responsible": "กองคลัง",
                "period": "ม.ค. – มี.ค. ๖๗",
                "monitoring": "รายงานผลภายในเดือนเมษายน",
                "answers": ["i20", "i23", "4"],
            },
        )

    def test_runs_again_without_a_second_plan_and_shows_edited_texts(self):
        _run("--org", "DEMO-KHUANSAOTHONG", "--year", "๒๕๖๙", "--json")
        plan = MeasurePlan.objects.get(organization__code="DEMO-KHUANSAOTHONG")
        finding = plan.findings.get(key="item:e9")
        finding.text, finding.edited = "ข้อความที่แก้", True
        finding.save()
        document = json.loads(_run("--org", "DEMO-KHUANSAOTHONG", "--year", "2569", "--json"))
        self.assertEqual(MeasurePlan.objects.filter(organization__code="DEMO-KHUANSAOTHONG").count(), 1)
        items = [(item["code"], item["score"]) for item in document["items_to_improve"]]
        self.assertEqual(items[:3], [("o27", "50.00"), ("e9", "79.05"), ("e8", "80.00")])
        self.assertEqual(document["items_to_improve"][1]["recommendation"], "ข้อความที่แก้")
        self.assertEqual(document["measures"][0]["answers"], ["e9", "o10", "8"])

    def test_threshold_option_for_loh_jud(self):
        document = json.loads(_run("--org", "DEMO-LOHJUD", "--year", "2567", "--threshold", "๙๗", "--json"))
        self.assertEqual((document["threshold"], document["weaknesses"]), ("97.00", []))

    def test_text_output(self):
        text = _run("--org", "DEMO-NONGLAENG", "--year", "2565")
        self.assertIn("จุดอ่อน: 6, 3, 8, 4, 5, 2, 9", text)
        self.assertIn("เทศบาลตำบลหนองเล็ง", text)

    def test_errors_are_thai_command_errors(self):
        with self.assertRaisesMessage(CommandError, "ไม่พบหน่วยงานรหัส NOPE"):
            _run("--org", "NOPE", "--year", "2567")
        with self.assertRaisesMessage(CommandError, "ยังไม่มีผลการประเมินปีงบประมาณ ๒๕๖๔"):
            _run("--org", "DEMO-MAESAIMITTRAPHAP", "--year", "2565")
        with self.assertRaisesMessage(CommandError, "ไม่ใช่ปีงบประมาณ"):
            _run("--org", "DEMO-MAESAIMITTRAPHAP", "--year", "abc")


class QueryCountTests(SeedTestCase):
    def test_plan_document_costs_the_same_whatever_the_number_of_measures(self):
        plan = create_plan(organization=self.maesai, fiscal_year=2567, suggest=False)
        Measure.objects.create(plan=plan, title="หนึ่ง")
        with self.assertNumQueries(9) as few:
            plan_document(plan)
        for k in range(20):
            Measure.objects.create(plan=plan, title=f"มาตรการ {k}")
        with self.assertNumQueries(len(few.captured_queries)):
            self.assertEqual(len(plan_document(plan)["measures"]), 21)
