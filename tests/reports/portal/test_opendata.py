"""/public/data/: CSV (BOM, formula cells as text) and JSON of public results and published measures."""

import csv
import io
import json

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import MeasurePlan, PeriodKind
from reports.portal.opendata import MEASURE_FIELDS, RESULT_FIELDS, csv_cell
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework, make_organization
from tests.reports.portal import make_plan, make_result

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tindent", "\rreturn"]


def data_url(year: int, name: str, fmt: str) -> str:
    return reverse("portal:dataset", args=[year, name, fmt])


def read(response) -> bytes:
    return b"".join(response.streaming_content)


class CsvCellTests(SimpleTestCase):
    def test_formula_starts_become_text(self):
        for text in HOSTILE:
            with self.subTest(text=text):
                self.assertEqual(csv_cell(text), "'" + text)

    def test_plain_values(self):
        from decimal import Decimal

        self.assertEqual(csv_cell("เทศบาลตำบลหนองเล็ง"), "เทศบาลตำบลหนองเล็ง")
        self.assertEqual(csv_cell(Decimal("85.50")), "85.50")
        self.assertEqual(csv_cell(None), "")
        self.assertEqual(csv_cell(True), "true")
        self.assertEqual(csv_cell(["i7", "4"]), "i7, 4")
        self.assertEqual(csv_cell(["-1"]), "'-1")  # a joined list is one cell: checked as a whole


class OpenDataTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.f2566 = make_framework(2566)
        cls.nonglaeng = make_organization(code="5380501", name="เทศบาลตำบลหนองเล็ง", district="เมืองบึงกาฬ")
        cls.result = make_result(
            cls.nonglaeng,
            cls.f2566,
            overall="91.47",
            level="ผ่าน",
            indicators={1: "95.01", 10: "100"},
            tools={"OIT": "100"},
        )
        make_assessment(cls.alpha, cls.f2566, overall="20.00", level="ต้องปรับปรุงโดยด่วน")  # private
        cls.plan = make_plan(
            cls.result,
            measures=[
                {
                    "title": '=HYPERLINK("http://evil","คลิก")',
                    "steps": ["@SUM(A1)", "จัดประชุมชี้แจง"],
                    "responsible": "+กองคลัง",
                    "period_kind": PeriodKind.MONTHS,
                    "start_month": 11,
                    "end_month": 2,
                    "monitoring": "-รายงานผู้บริหาร",
                    "item_codes": ["i7"],
                    "indicators": [2],
                },
                {"title": "เผยแพร่ข้อมูล", "steps": ["ลงเว็บไซต์"]},
            ],
        )
        # A result behind an approved (not yet published) plan stays private, and so do its measures.
        private = make_assessment(make_organization(), cls.f2566, overall="80.00", level="ต้องปรับปรุง")
        make_plan(private, status=MeasurePlan.Status.APPROVED, measures=[{"title": "ยังไม่เผยแพร่"}])

    def test_results_csv(self):
        response = self.client.get(data_url(2566, "results", "csv"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('filename="ita-results-2566.csv"', response["Content-Disposition"])
        body = read(response)
        self.assertTrue(body.startswith("\ufeff".encode()))
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual(list(rows[0]), [field.key for field in RESULT_FIELDS])
        self.assertEqual([row["code"] for row in rows], ["5380501"])  # the private result is not exported
        row = rows[0]
        self.assertEqual((row["overall"], row["level"], row["official"]), ("91.47", "ผ่าน", "true"))
        self.assertEqual((row["indicator_1"], row["indicator_2"], row["oit"], row["iit"]), ("95.01", "", "100.00", ""))
        self.assertEqual((row["org_type_name"], row["district"]), ("เทศบาลตำบล", "เมืองบึงกาฬ"))

    def test_results_json(self):
        response = self.client.get(data_url(2566, "results", "json"))
        data = json.loads(read(response))
        self.assertEqual(data["dataset"], "results")
        self.assertEqual(data["fiscal_year"], 2566)
        self.assertEqual(data["fields"], [field.key for field in RESULT_FIELDS])
        self.assertEqual(len(data["rows"]), 1)
        row = data["rows"][0]
        self.assertEqual(list(row), data["fields"])
        self.assertEqual(
            (row["overall"], row["indicator_1"], row["indicator_2"], row["official"]), (91.47, 95.01, None, True)
        )

    def test_measures_csv_escapes_formulas(self):
        body = read(self.client.get(data_url(2567, "measures", "csv")))
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 2)  # the approved (unpublished) plan's measures are not exported
        first = rows[0]
        self.assertEqual(first["title"], '\'=HYPERLINK("http://evil","คลิก")')
        self.assertEqual(first["steps"], "'@SUM(A1)\nจัดประชุมชี้แจง")
        self.assertEqual(first["responsible"], "'+กองคลัง")
        self.assertEqual(first["monitoring"], "'-รายงานผู้บริหาร")
        self.assertEqual((first["period"], first["start_month"], first["end_month"]), ("พ.ย. 66 – ก.พ. 67", "11", "2"))
        self.assertEqual((first["answers"], first["order"], rows[1]["order"]), ("i7, 2", "1", "2"))
        for row in rows:
            for value in row.values():
                self.assertFalse(value.startswith(("=", "+", "-", "@", "\t", "\r")), value)

    def test_measures_json_keeps_text_as_written(self):
        data = json.loads(read(self.client.get(data_url(2567, "measures", "json"))))
        self.assertEqual(data["fields"], [field.key for field in MEASURE_FIELDS])
        first = data["rows"][0]
        self.assertEqual(first["title"], '=HYPERLINK("http://evil","คลิก")')
        self.assertEqual(first["steps"], ["@SUM(A1)", "จัดประชุมชี้แจง"])
        self.assertEqual((first["answers"], first["code"], first["plan_version"]), (["i7", "2"], "5380501", 1))

    def test_only_the_newest_published_version_is_exported(self):
        make_plan(self.result, version=2, measures=[{"title": "ฉบับแก้ไข"}])
        data = json.loads(read(self.client.get(data_url(2567, "measures", "json"))))
        self.assertEqual([(row["title"], row["plan_version"]) for row in data["rows"]], [("ฉบับแก้ไข", 2)])

    def test_years_without_data_and_unknown_names_are_404(self):
        self.assertEqual(self.client.get(data_url(2564, "results", "csv")).status_code, 404)  # private only
        self.assertEqual(self.client.get(data_url(2566, "measures", "csv")).status_code, 404)
        self.assertEqual(self.client.get(data_url(2566, "scores", "csv")).status_code, 404)
        self.assertEqual(self.client.get(data_url(2566, "results", "xlsx")).status_code, 404)

    def test_streamed_with_constant_queries(self):
        def count(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                read(self.client.get(url))
            return len(captured)

        before = [count(data_url(2566, "results", "csv")), count(data_url(2567, "measures", "json"))]
        for n in range(30):
            result = make_result(make_organization(), self.f2566, overall="90", level="ผ่าน", indicators={2: "80"})
            make_plan(result, measures=[{"title": f"มาตรการ {n}"}, {"title": "อีกข้อ"}])
        after = [count(data_url(2566, "results", "csv")), count(data_url(2567, "measures", "json"))]
        self.assertEqual(before, after)
        self.assertEqual(after, [2, 2])

    def test_data_page_describes_every_field_in_thai(self):
        response = self.client.get(reverse("portal:data"))
        self.assertEqual(response.status_code, 200)
        for field in (*RESULT_FIELDS, *MEASURE_FIELDS):
            self.assertContains(response, f"<code>{field.key}</code>")
        self.assertContains(response, data_url(2566, "results", "json"))
        self.assertContains(response, data_url(2567, "measures", "csv"))
