"""Who may see and decide on an import: 404 outside the organisation, 403 for read-only roles (A1–A3, I7)."""

from django.test import Client
from django.urls import reverse

from ita.importers import jobs as import_jobs
from ita.models import ImportBatch, ImportJob, Membership
from tests.base import BaseTestCase
from tests.factory import make_user
from tests.ita.importers.helpers import FlowMixin, csv_file, wide_row

Status = ImportJob.Status
JOB_URLS = ("detail", "status", "errors_csv")
DECISION_URLS = ("confirm", "cancel")


class AccessTests(FlowMixin, BaseTestCase):
    def job_of(self, user, code: str) -> ImportJob:
        self.client.force_login(user)
        self.upload(csv_file(wide_row(code)))
        return self.latest_job()

    def assert_all_404(self, job: ImportJob) -> None:
        for name in JOB_URLS:
            self.assertEqual(self.client.get(reverse(f"importers:{name}", args=[job.pk])).status_code, 404, name)
        for name in DECISION_URLS:
            self.assertEqual(self.client.post(reverse(f"importers:{name}", args=[job.pk])).status_code, 404, name)

    def test_other_organisations_jobs_are_404_on_every_url(self):
        alices = self.job_of(self.alice, "ALPHA")
        charlies = self.job_of(self.charlie, "BETA")
        self.client.force_login(self.charlie)
        self.assert_all_404(alices)
        self.client.force_login(self.alice)
        self.assert_all_404(charlies)
        self.assertEqual(ImportJob.objects.get(pk=alices.pk).status, Status.PREVIEW)
        self.assertEqual(ImportJob.objects.get(pk=charlies.pk).status, Status.PREVIEW)

    def test_executive_reads_but_cannot_start_or_confirm(self):
        job = self.job_of(self.alice, "ALPHA")
        self.client.force_login(self.bob)
        page = self.client.get(reverse("importers:new"))
        self.assertContains(page, "ดูผลการนำเข้าได้อย่างเดียว")
        self.assertNotContains(page, 'type="file"')
        self.assertEqual(self.upload(csv_file(wide_row())).status_code, 403)
        self.assertEqual(ImportJob.objects.count(), 1)
        detail = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(detail, "ตัวอย่างสิ่งที่จะบันทึก")
        self.assertNotContains(detail, reverse("importers:confirm", args=[job.pk]))
        self.assertEqual(self.confirm(job).status_code, 403)
        self.assertEqual(self.client.post(reverse("importers:cancel", args=[job.pk])).status_code, 403)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PREVIEW)

    def test_someone_elses_job_cannot_be_confirmed_even_in_the_same_organisation(self):
        job = self.job_of(self.alice, "ALPHA")
        colleague = make_user("dave", organization=self.alpha, role=Membership.Role.STAFF)
        self.client.force_login(colleague)
        self.assertNotContains(self.client.get(reverse("importers:detail", args=[job.pk])), "ยืนยันและบันทึก")
        self.assertEqual(self.confirm(job).status_code, 404)
        self.assertEqual(self.client.post(reverse("importers:cancel", args=[job.pk])).status_code, 404)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PREVIEW)
        with self.assertRaises(import_jobs.PermissionDenied):
            import_jobs.confirm_import(job=job, user=colleague)

    def test_administrator_may_confirm_a_staff_job(self):
        job = self.job_of(self.alice, "ALPHA")
        self.client.force_login(self.root)
        self.confirm(job)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.DONE)

    def test_confirm_twice_does_nothing_the_second_time(self):
        job = self.job_of(self.alice, "ALPHA")
        self.confirm(job)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            response = self.client.post(reverse("importers:confirm", args=[job.pk]), follow=True)
        self.assertEqual(callbacks, [])
        self.assertContains(response, "ไม่ได้รอการยืนยันแล้ว")
        self.assertEqual(ImportBatch.objects.count(), 1)

    def test_nothing_in_the_post_can_name_another_job_or_a_path(self):
        job = self.job_of(self.alice, "ALPHA")
        other = self.job_of(self.charlie, "BETA")
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("importers:confirm", args=[job.pk]),
                {"job": other.pk, "pk": other.pk, "path": "/etc/passwd", "filename": "../../x"},
            )
        self.assertEqual(ImportJob.objects.get(pk=other.pk).status, Status.PREVIEW)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).batch.filename, "ผล.csv")

    def test_decisions_need_post_and_csrf(self):
        job = self.job_of(self.alice, "ALPHA")
        self.assertEqual(self.client.get(reverse("importers:confirm", args=[job.pk])).status_code, 405)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.alice)
        self.assertEqual(strict.post(reverse("importers:confirm", args=[job.pk])).status_code, 403)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PREVIEW)

    def test_anonymous_users_are_sent_to_login(self):
        job = self.job_of(self.alice, "ALPHA")
        self.client.logout()
        for name in JOB_URLS:
            response = self.client.get(reverse(f"importers:{name}", args=[job.pk]))
            self.assertEqual(response.status_code, 302, name)
            self.assertIn(reverse("login"), response["Location"])

    def test_user_without_membership_cannot_import(self):
        loner = make_user("loner")
        self.client.force_login(loner)
        self.assertEqual(self.upload(csv_file(wide_row())).status_code, 403)
        self.assertEqual(self.client.get(reverse("importers:list")).status_code, 200)
