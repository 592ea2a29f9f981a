"""The job pages never show a job as running forever: a job no worker will finish turns failed when looked at."""

import datetime

from django.urls import reverse
from django.utils import timezone

from ita.importers import sweep as job_sweep
from ita.models import ImportJob
from tests.base import BaseTestCase


class StaleJobPagesTests(BaseTestCase):
    def setUp(self):
        self.job = ImportJob.objects.create(
            created_by=self.alice,
            organization=self.alpha,
            filename="ผล.csv",
            sha256="0" * 64,
            content=b"x",
            status=ImportJob.Status.APPLYING,
            started_at=timezone.now(),
        )
        silent_since = timezone.now() - job_sweep.RUN_LIMIT - datetime.timedelta(minutes=1)
        ImportJob.objects.filter(pk=self.job.pk).update(updated_at=silent_since)
        self.client.force_login(self.alice)

    def test_status_reports_failed_once_the_worker_is_gone(self):
        data = self.client.get(reverse("importers:status", args=[self.job.pk])).json()
        self.assertEqual(data["status"], "failed")
        self.assertFalse(data["running"])

    def test_detail_page_explains_why(self):
        response = self.client.get(reverse("importers:detail", args=[self.job.pk]))
        self.assertContains(response, job_sweep.STALLED_MESSAGE)

    def test_a_job_with_a_recent_heartbeat_is_left_running(self):
        ImportJob.objects.filter(pk=self.job.pk).update(updated_at=timezone.now())
        data = self.client.get(reverse("importers:status", args=[self.job.pk])).json()
        self.assertEqual(data["status"], "applying")
