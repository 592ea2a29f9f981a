"""Invalid imports: every error listed, downloadable as Excel-safe CSV (BOM, formulas as text); nothing written."""

import csv
import io

from django.urls import reverse

from ita.importers.views import spreadsheet_text
from ita.models import Assessment, ImportBatch, ImportJob, Score
from tests.base import BaseTestCase
from tests.ita.importers.helpers import FlowMixin, csv_file, wide_row

Status = ImportJob.Status


class ErrorListTests(FlowMixin, BaseTestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def upload_bad(self):
        rows = [wide_row(), wide_row(i1="=1+1"), wide_row(o27="-1"), wide_row(i1="105")]
        rows.append("ALPHA,2564,,@SUM(A1)")
        self.upload(csv_file(*rows))
        return self.latest_job()

    def test_every_bad_row_is_listed_and_nothing_is_written(self):
        job = self.upload_bad()
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual(sorted({e["row"] for e in job.errors}), [3, 4, 5, 6])
        self.assertFalse(Score.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "จึงไม่ได้บันทึกข้อมูลใด ๆ")
        self.assertContains(page, reverse("importers:errors_csv", args=[job.pk]))
        self.assertNotContains(page, reverse("importers:confirm", args=[job.pk]))

    def test_confirming_an_invalid_job_does_nothing(self):
        job = self.upload_bad()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            self.client.post(reverse("importers:confirm", args=[job.pk]))
        self.assertEqual(callbacks, [])
        job.refresh_from_db()
        self.assertEqual(job.status, Status.INVALID)
        self.assertFalse(ImportBatch.objects.exists())

    def test_csv_download_has_a_bom_and_formula_cells_as_text(self):
        job = self.upload_bad()
        response = self.client.get(reverse("importers:errors_csv", args=[job.pk]))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        body = b"".join(response.streaming_content)
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["แถว", "คอลัมน์", "ค่าในไฟล์", "ข้อผิดพลาด"])
        self.assertEqual(len(rows) - 1, len(job.errors))
        values = {row[2] for row in rows[1:]}
        self.assertTrue({"'=1+1", "'-1", "'@SUM(A1)", "105"} <= values, values)
        for row in rows[1:]:
            for cell in row:
                self.assertFalse(cell.startswith(("=", "+", "-", "@", "\t", "\r")), row)

    def test_spreadsheet_text_escapes_every_formula_start(self):
        for start in ("=", "+", "-", "@", "\t", "\r"):
            self.assertEqual(spreadsheet_text(f"{start}cmd"), f"'{start}cmd")
        self.assertEqual(spreadsheet_text("๘๕.๕"), "๘๕.๕")
        self.assertEqual(spreadsheet_text(None), "")

    def test_a_bad_last_row_of_a_long_file_leaves_the_database_untouched(self):
        rows = [wide_row()] * 300 + [wide_row(overall="100.01")]
        self.upload(csv_file(*rows))
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual([e["row"] for e in job.errors], [302])
        self.assertFalse(Score.objects.exists())
        self.assertIsNone(Assessment.objects.get(pk=self.alpha_2564.pk).official_overall)
