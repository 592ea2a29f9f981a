"""Issue 15: files and pastes carry the overall and level as agencies copy them (FRAMEWORK.md §7).

Each overall heading is imported from a CSV and an xlsx file; a level the year's scheme does not
have ("AA" for 2567) is refused with the scheme's labels, in a file and in a paste.
"""

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from ita.importers.load import plan_import
from ita.importers.parse import read_table
from ita.models import Assessment, ImportJob
from tests.base import BaseTestCase
from tests.factory import make_framework
from tests.ita.importers.helpers import FlowMixin

OVERALL_HEADINGS = ["คะเเนน ITA", "คะแนนภาพรวมหน่วยงาน", "คะแนนที่ได้", "Rating Score"]
PASS_LABELS = "ผ่านดีเยี่ยม, ผ่านดี, ผ่าน, ต้องปรับปรุง, ต้องปรับปรุงโดยด่วน"
AA_2567 = f"ระดับ 'AA' ไม่มีในเกณฑ์ปี ๒๕๖๗ (ระดับที่มี: {PASS_LABELS})"


def xlsx_bytes(*rows: list) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_of(data: bytes, name: str):
    return plan_import(read_table(data, name), filename=name, sha256="c" * 64)


class OverallHeadingTests(BaseTestCase):
    def assertOverallPlanned(self, plan, heading: str) -> None:
        self.assertEqual(plan.errors, [], heading)
        values = plan.entries[("ALPHA", 2564)].values
        self.assertEqual(values[("official", "overall")], Decimal("82.76"), heading)
        self.assertEqual(values[("official", "level")], "B", heading)
        self.assertEqual(values[("tool", "OIT")], Decimal("70.5"), heading)

    def test_each_heading_is_the_overall_in_a_csv_file(self):
        for heading in OVERALL_HEADINGS:
            text = f"รหัสหน่วยงาน,ปีงบประมาณ,{heading},ระดับผลการประเมิน,คะเเนน OIT\nALPHA,๒๕๖๔,๘๒.๗๖,B,70.5\n"
            self.assertOverallPlanned(plan_of(text.encode("utf-8"), "ผล.csv"), heading)

    def test_each_heading_is_the_overall_in_an_xlsx_file(self):
        for heading in OVERALL_HEADINGS:
            data = xlsx_bytes(
                ["รหัสหน่วยงาน", "ปีงบประมาณ", heading, "ระดับผลการประเมิน", "คะแนน OIT"],
                ["ALPHA", 2564, 82.76, "B", 70.5],
            )
            self.assertOverallPlanned(plan_of(data, "ผล.xlsx"), heading)

    def test_score_obtained_in_a_long_file_is_each_rows_score(self):
        text = "รหัสหน่วยงาน,ปีงบประมาณ,รายการ,คะแนนที่ได้\nALPHA,2564,OIT,70.5\nALPHA,2564,Rating Score,82.76\n"
        plan = plan_of(text.encode("utf-8"), "ผล.csv")
        self.assertEqual(plan.errors, [])
        values = plan.entries[("ALPHA", 2564)].values
        self.assertEqual(values[("tool", "OIT")], Decimal("70.5"))
        self.assertEqual(values[("official", "overall")], Decimal("82.76"))


class LevelNotInSchemeTests(FlowMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_framework(2567)

    def test_file_import_refuses_a_label_of_another_scheme_and_names_the_years_labels(self):
        text = "รหัสหน่วยงาน,ปีงบประมาณ,คะเเนน ITA,ระดับผลการประเมิน\nALPHA,2567,96.10,AA\nBETA,2567,90.00,ผ่าน ดี\n"
        plan = plan_of(text.encode("utf-8"), "ผล.csv")
        self.assertEqual([(e.row, e.column, e.value) for e in plan.errors], [(2, 4, "AA")])
        self.assertEqual(plan.errors[0].message, f"แถว 2 คอลัมน์ D (ที่ 4) 'ระดับผลการประเมิน': {AA_2567}")
        self.assertEqual(plan.entries[("BETA", 2567)].values[("official", "level")], "ผ่านดี")

    def test_xlsx_import_refuses_a_label_of_another_scheme(self):
        data = xlsx_bytes(["รหัสหน่วยงาน", "ปีงบประมาณ", "Rating Score", "ระดับ"], ["ALPHA", "๒๕๖๗", 96.1, "AA"])
        self.assertEqual(
            [e.message for e in plan_of(data, "ผล.xlsx").errors], [f"แถว 2 คอลัมน์ D (ที่ 4) 'ระดับ': {AA_2567}"]
        )

    def test_uploaded_file_with_a_label_of_another_scheme_is_invalid_and_writes_nothing(self):
        self.client.force_login(self.root)
        text = "รหัสหน่วยงาน,ปีงบประมาณ,คะแนนภาพรวมหน่วยงาน,ระดับ\nALPHA,2567,96.10,AA\n"
        self.upload(SimpleUploadedFile("ผล.csv", text.encode("utf-8"), content_type="text/csv"))
        job = self.latest_job()
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual([e["message"] for e in job.errors], [f"แถว 2 คอลัมน์ D (ที่ 4) 'ระดับ': {AA_2567}"])
        self.assertFalse(Assessment.objects.filter(fiscal_year=2567).exists())

    def test_paste_with_a_label_of_another_scheme_is_invalid_and_names_the_line(self):
        self.client.force_login(self.alice)
        self.paste("คะเเนน ITA : ๙๖.๑๐ คะแนน\nระดับผลการประเมิน : AA", year="๒๕๖๗")
        job = self.latest_job()
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual([e["message"] for e in job.errors], [f"บรรทัดที่ ๒: {AA_2567}"])
        self.assertFalse(Assessment.objects.filter(fiscal_year=2567).exists())

    def test_paste_with_the_schemes_label_and_copied_headings_is_written(self):
        self.client.force_login(self.alice)
        self.paste("คะแนนที่ได้ : ๙๖.๑๐ คะแนน\nระดับผลการประเมิน : ผ่านดีเยี่ยม", year="๒๕๖๗")
        job = self.latest_job()
        self.assertEqual(job.status, ImportJob.Status.PREVIEW, job.errors)
        self.confirm(job)
        assessment = Assessment.objects.get(organization=self.alpha, fiscal_year=2567)
        self.assertEqual((assessment.official_overall, assessment.official_level), (Decimal("96.10"), "ผ่านดีเยี่ยม"))
