"""The catalogue and the library through the admin's import and export; plans exported."""

import io

import openpyxl
from django.contrib.auth.models import User
from django.urls import reverse

from ita.models import AuditEvent, Item, Source
from measures.models import LibraryMeasure, Measure, Recommendation
from measures.plans import create_plan
from measures.resources import LibraryMeasureResource, PlanMeasureResource, RecommendationResource
from tests.ita.onboarding_helpers import XLSX_FORMAT, confirm, export, preview

from . import SeedTestCase

REC_IMPORT = reverse("admin:measures_recommendation_import")
REC_PROCESS = reverse("admin:measures_recommendation_process_import")
LIB_IMPORT = reverse("admin:measures_librarymeasure_import")
LIB_PROCESS = reverse("admin:measures_librarymeasure_process_import")
REC_HEADERS = ["ปีงบประมาณ (พ.ศ.)", "รหัสข้อ", "ประเด็น", "หน่วยงานควร"]


class CatalogueImportTests(SeedTestCase):
    def setUp(self):
        self.root = User.objects.create_superuser("root", "root@example.org", "password")
        self.client.force_login(self.root)

    def test_exported_catalogue_reimports_unchanged(self):
        response = export(self.client, reverse("admin:measures_recommendation_export"), RecommendationResource)
        rows = [line.split(",") for line in response.content.decode("utf-8-sig").splitlines()]
        self.assertEqual(rows[0][:4], REC_HEADERS)
        answer = preview(self.client, REC_IMPORT, rows)
        self.assertEqual(answer.context["result"].totals["skip"], Recommendation.objects.count())

    def test_an_imported_change_marks_the_entry_edited_and_is_audited(self):
        item = Item.objects.get(framework__fiscal_year=2566, code="i7")
        rows = [REC_HEADERS, ["๒๕๖๖", "I๗", "ประเด็นใหม่", "ทำสิ่งใหม่"]]
        response = preview(self.client, REC_IMPORT, rows)
        self.assertFalse(Recommendation.objects.get(item=item).edited)  # the preview wrote nothing
        confirm(self.client, REC_PROCESS, response)
        recommendation = Recommendation.objects.get(item=item)
        self.assertEqual((recommendation.issue, recommendation.edited), ("ประเด็นใหม่", True))
        event = AuditEvent.objects.get(source=Source.IMPORT, object_type="measures.recommendation")
        self.assertEqual(event.changes["issue"]["new"], "ประเด็นใหม่")

    def test_an_unknown_item_writes_nothing_and_names_the_row(self):
        rows = [REC_HEADERS, ["2566", "i7", "ประเด็นใหม่", "ทำ"], ["2566", "i999", "x", "y"]]
        response = preview(self.client, REC_IMPORT, rows)
        self.assertNotIn("confirm_form", response.context)
        result = response.context["result"]
        self.assertIn("แถว 3 คอลัมน์ “รหัสข้อ”", str([row.error_dict for row in result.invalid_rows]), result.totals)

    def test_library_measure_round_trip_and_edit(self):
        response = export(self.client, reverse("admin:measures_librarymeasure_export"), LibraryMeasureResource)
        self.assertEqual(response.status_code, 200)
        rows = [
            ["รหัส", "มาตรการ/แนวทาง", "ขั้นตอนหรือวิธีการ", "ระยะเวลา", "เดือนเริ่มต้น", "เดือนสิ้นสุด", "ตัวชี้วัดที่ตอบ", "ข้อที่ตอบ"],
            ["new-one", "มาตรการใหม่", "ขั้นที่หนึ่ง\nขั้นที่สอง", "ช่วงเดือน", "ต.ค.", "๑๒", "๔, 1", "2566:I7, 2568:i10"],
        ]
        confirm(self.client, LIB_PROCESS, preview(self.client, LIB_IMPORT, rows))
        measure = LibraryMeasure.objects.get(key="new-one")
        self.assertEqual((measure.steps, measure.start_month, measure.end_month), (["ขั้นที่หนึ่ง", "ขั้นที่สอง"], 10, 12))
        self.assertEqual(measure.indicators, [1, 4])
        self.assertTrue(measure.edited)
        linked = sorted((i.framework.fiscal_year, i.code) for i in measure.items.select_related("framework"))
        self.assertEqual(linked, [(2566, "i7"), (2568, "i10")])

    def test_a_period_the_model_refuses_writes_nothing(self):
        rows = [["รหัส", "มาตรการ/แนวทาง", "ระยะเวลา", "เดือนเริ่มต้น"], ["bad", "ผิด", "ตลอดปีงบประมาณ", "ม.ค."]]
        response = preview(self.client, LIB_IMPORT, rows)
        self.assertNotIn("confirm_form", response.context)
        self.assertFalse(LibraryMeasure.objects.filter(key="bad").exists())


class PlanExportTests(SeedTestCase):
    def test_measures_export_as_xlsx_with_formulae_escaped(self):
        root = User.objects.create_superuser("root", "root@example.org", "password")
        plan = create_plan(organization=self.maesai, fiscal_year=2567, by=self.alice)
        Measure.objects.create(plan=plan, title='=HYPERLINK("http://x")', responsible="@กองคลัง", order=99)
        self.client.force_login(root)
        url = reverse("admin:measures_measureplan_export")
        response = export(self.client, url, PlanMeasureResource, file_format=XLSX_FORMAT, resource_index=1)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
        self.assertIn('\'=HYPERLINK("http://x")', values)
        self.assertIn("'@กองคลัง", values)
        self.assertFalse([cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"])
