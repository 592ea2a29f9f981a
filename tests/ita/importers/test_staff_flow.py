"""A staff member imports a CSV into their own organisation: upload → preview → confirm → done."""

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita.models import ImportBatch, ImportJob, Score, ValueSource
from tests.base import BaseTestCase
from tests.ita.importers.helpers import HEADER, FlowMixin, csv_file, wide_row

Status = ImportJob.Status


class StaffCsvFlowTests(FlowMixin, BaseTestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def test_upload_previews_and_writes_nothing_until_confirmed(self):
        response = self.upload(csv_file(wide_row()))
        job = self.latest_job()
        self.assertRedirects(response, reverse("importers:detail", args=[job.pk]))
        self.assertEqual(
            (job.status, job.organization, job.created_by, job.kind), (Status.PREVIEW, self.alpha, self.alice, "file")
        )
        self.assertEqual(job.preview["values_created"], 14)
        self.assertEqual(job.preview["assessments_to_change"], 1)
        self.assertEqual(Score.objects.count(), 0)
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "ตัวอย่างสิ่งที่จะบันทึก")
        self.assertContains(page, reverse("importers:confirm", args=[job.pk]))
        self.assertContains(page, "<dd>๑๔</dd>", html=True)

    def test_confirm_writes_the_values_with_their_batch(self):
        self.upload(csv_file(wide_row()))
        job = self.latest_job()
        response = self.confirm(job)
        self.assertRedirects(response, reverse("importers:detail", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.status, Status.DONE)
        score = Score.objects.get(assessment=self.alpha_2564, kind="item", code="o27")
        self.assertEqual(
            (score.value, score.source, score.batch, score.entered_by),
            (Decimal("100"), ValueSource.IMPORT, job.batch, self.alice),
        )
        self.assertEqual((job.batch.filename, job.batch.sha256, job.batch.values_created), ("ผล.csv", job.sha256, 14))
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "บันทึกเรียบร้อยแล้ว")
        self.assertContains(page, reverse("ita:assessment_detail", args=[self.alpha_2564.pk]))

    def test_preview_shows_old_and_new_values(self):
        Score.objects.create(assessment=self.alpha_2564, kind="item", code="i1", value=Decimal("80"))
        self.upload(csv_file(wide_row(i1="95.5")))
        job = self.latest_job()
        change = next(c for c in job.preview["changes"] if c["label"] == "ข้อ i1")
        self.assertEqual((change["old"], change["new"]), ("80.00", "95.50"))
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "๘๐.๐๐")
        self.assertContains(page, "๙๕.๕๐")
        self.assertContains(page, "<dd>๑</dd>", html=True)  # one value changed

    def test_importing_the_same_file_twice_changes_nothing_the_second_time(self):
        self.upload(csv_file(wide_row()))
        self.confirm(self.latest_job())
        before = list(Score.objects.order_by("pk").values_list("pk", "value", "batch", "updated_at"))
        self.upload(csv_file(wide_row()))
        second = self.latest_job()
        self.assertEqual((second.preview["values_created"], second.preview["values_changed"]), (0, 0))
        self.assertEqual(second.preview["values_unchanged"], 14)
        self.assertContains(self.client.get(reverse("importers:detail", args=[second.pk])), "ตรงกับที่บันทึกไว้แล้ว")
        self.confirm(second)
        second.refresh_from_db()
        self.assertEqual(second.status, Status.DONE)
        self.assertEqual((second.batch.values_created, second.batch.values_changed), (0, 0))
        self.assertEqual(list(Score.objects.order_by("pk").values_list("pk", "value", "batch", "updated_at")), before)

    def test_a_row_of_another_organisation_is_an_error(self):
        self.upload(csv_file(wide_row(), wide_row("BETA")))
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual([e["row"] for e in job.errors], [3])
        self.assertIn("BETA", job.errors[0]["message"])
        self.assertEqual(Score.objects.count(), 0)

    def test_organisation_and_create_orgs_in_the_post_are_ignored(self):
        self.upload(csv_file(wide_row()), organization=self.beta.pk, create_orgs="on")
        job = self.latest_job()
        self.assertEqual((job.organization, job.create_orgs), (self.alpha, False))

    def test_xlsx_upload(self):
        workbook = openpyxl.Workbook()
        workbook.active.append(HEADER.split(","))
        workbook.active.append(wide_row().split(","))
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.upload(SimpleUploadedFile("ผล.xlsx", buffer.getvalue()))
        job = self.latest_job()
        self.assertEqual((job.status, job.preview["values_created"]), (Status.PREVIEW, 14))

    def test_old_xls_gets_the_parser_message(self):
        ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
        self.upload(SimpleUploadedFile("ผลเก่า.xls", ole2))
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        self.assertIn(".xlsx", job.errors[0]["message"])
        self.assertContains(self.client.get(reverse("importers:detail", args=[job.pk])), "Excel รุ่นเก่า")

    def test_unsupported_suffix_is_refused_by_the_form(self):
        response = self.upload(SimpleUploadedFile("ผล.pdf", b"%PDF-1.4"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "รับเฉพาะไฟล์", status_code=400)
        self.assertFalse(ImportJob.objects.exists())

    def test_cancel_leaves_nothing_and_cannot_be_confirmed_afterwards(self):
        self.upload(csv_file(wide_row()))
        job = self.latest_job()
        self.client.post(reverse("importers:cancel", args=[job.pk]))
        self.confirm(job)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.CANCELLED)
        self.assertFalse(ImportBatch.objects.exists())
        self.assertEqual(Score.objects.count(), 0)
