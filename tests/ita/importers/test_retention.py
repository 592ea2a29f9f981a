"""Uploads are not kept forever (issue 14, B5): refused bytes dropped at once, everything file-derived purged after
IMPORT_RETENTION_DAYS, and daily upload quotas per user and per organisation with a Thai refusal."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ita.importers import jobs as import_jobs
from ita.importers import retention
from ita.models import ImportJob, Membership
from tests.base import BaseTestCase
from tests.factory import make_user
from tests.ita.importers.helpers import HEADER, FlowMixin, csv_file, wide_row

Status = ImportJob.Status
GOOD = f"{HEADER}\n{wide_row()}\n".encode()
BAD = f"{HEADER}\n{wide_row(overall='105')}\n".encode()


class RetentionTests(BaseTestCase):
    def start(self, content: bytes) -> ImportJob:
        with self.captureOnCommitCallbacks(execute=True):
            job = import_jobs.start_import(user=self.alice, organization=self.alpha, filename="ผล.csv", content=content)
        job.refresh_from_db()
        return job

    def test_a_refused_upload_keeps_its_record_but_not_its_bytes(self):
        job = self.start(BAD)
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual((bytes(job.content), job.size, job.filename), (b"", len(BAD), "ผล.csv"))
        self.assertTrue(job.errors)

    def test_a_cancelled_upload_drops_its_bytes_and_a_waiting_one_keeps_them(self):
        job = self.start(GOOD)
        self.assertEqual(bytes(job.content), GOOD)  # PREVIEW: the apply will read it again
        self.assertTrue(import_jobs.cancel_import(job=job, user=self.alice))
        job.refresh_from_db()
        self.assertEqual(bytes(job.content), b"")

    def test_the_sweep_drops_bytes_a_refused_job_still_holds(self):
        job = self.start(GOOD)
        ImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED)  # as a job ended before this rule
        self.assertEqual(retention.drop_refused_uploads(), 1)
        job.refresh_from_db()
        self.assertEqual(bytes(job.content), b"")
        self.assertEqual(retention.drop_refused_uploads(), 0)

    @override_settings(IMPORT_RETENTION_DAYS=30)
    def test_jobs_are_purged_only_after_the_retention_period(self):
        job = self.start(BAD)
        ended = job.finished_at
        self.assertEqual(retention.purge_expired(now=ended + timedelta(days=29)), 0)
        self.assertEqual(retention.purge_expired(now=ended + timedelta(days=30, seconds=1)), 1)
        job.refresh_from_db()
        self.assertEqual((job.errors, bytes(job.content)), ([], b""))
        self.assertEqual(job.errors_total, 1)  # the count stays: the page still says how many there were
        self.assertIsNotNone(job.purged_at)
        self.assertEqual(retention.purge_expired(now=ended + timedelta(days=31)), 0)

    def test_a_purged_preview_keeps_counts_and_links_but_nothing_copied_from_the_file(self):
        job = self.start(GOOD)
        ImportJob.objects.filter(pk=job.pk).update(status=Status.DONE, finished_at=timezone.now() - timedelta(days=400))
        self.assertIn("changes", job.preview)
        call_command("purge_imports", stdout=open("/dev/null", "w"))
        job.refresh_from_db()
        self.assertEqual(bytes(job.content), b"")
        self.assertNotIn("changes", job.preview)
        self.assertEqual(job.preview["rows"], 1)

    def test_the_page_of_a_purged_job_says_so(self):
        job = self.start(BAD)
        retention.purge_expired(now=timezone.now() + timedelta(days=400))
        self.client.force_login(self.alice)
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "ถูกลบแล้วตามระยะเวลาเก็บรักษา")
        self.assertContains(page, "พบข้อผิดพลาด ๑ รายการ")

    def test_the_purge_runs_on_the_beat_schedule(self):
        from django.conf import settings

        tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        self.assertIn(retention.purge_imports_task.name, tasks)


class QuotaTests(FlowMixin, BaseTestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    @override_settings(IMPORT_QUOTA_USER_BYTES=1_000, IMPORT_QUOTA_ORG_BYTES=0)
    def test_an_upload_past_the_users_daily_quota_is_refused_in_thai(self):
        upload = csv_file(wide_row())
        self.assertEqual(self.upload(upload).status_code, 302)
        used = ImportJob.objects.get().size
        response = self.upload(csv_file(*[wide_row()] * (1_000 // used + 1)))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "จากที่อนุญาต", status_code=400)
        self.assertEqual(ImportJob.objects.count(), 1)

    @override_settings(IMPORT_QUOTA_USER_BYTES=0, IMPORT_QUOTA_ORG_BYTES=3 * len(BAD))
    def test_the_organisations_quota_counts_every_member_and_refused_uploads(self):
        alma = make_user("alma", organization=self.alpha, role=Membership.Role.STAFF)
        for _ in range(2):
            self.assertEqual(self.upload(SimpleUploadedFile("ผล.csv", BAD)).status_code, 302)
        self.assertEqual(ImportJob.objects.filter(status=Status.INVALID).count(), 2)  # refused, bytes dropped
        with self.assertRaisesMessage(retention.QuotaExceeded, "หน่วยงานของคุณ"):
            retention.check_quota(user=alma, organization=self.alpha, size=len(BAD) + 1)
        retention.check_quota(user=alma, organization=self.alpha, size=len(BAD))
        # another organisation's staff are not held back
        retention.check_quota(user=self.charlie, organization=self.beta, size=3 * len(BAD))

    @override_settings(IMPORT_QUOTA_USER_BYTES=1_000, IMPORT_QUOTA_ORG_BYTES=0)
    def test_uploads_older_than_a_day_no_longer_count(self):
        self.upload(SimpleUploadedFile("ผล.csv", GOOD))
        ImportJob.objects.update(size=1_000)
        with self.assertRaises(retention.QuotaExceeded):
            retention.check_quota(user=self.alice, organization=self.alpha, size=1)
        later = timezone.now() + retention.QUOTA_WINDOW + timedelta(seconds=1)
        retention.check_quota(user=self.alice, organization=self.alpha, size=1, now=later)

    @override_settings(IMPORT_QUOTA_USER_BYTES=10, IMPORT_QUOTA_ORG_BYTES=10)
    def test_a_paste_past_the_quota_is_refused_on_the_paste_form(self):
        response = self.paste("ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ 88.95")
        self.assertContains(response, "จากที่อนุญาต", status_code=400)
        self.assertFalse(ImportJob.objects.exists())
