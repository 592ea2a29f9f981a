"""status.json and the progress page: what the poll reads, and the page without JavaScript."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ita.models import ImportJob
from tests.base import BaseTestCase

Status = ImportJob.Status
KEYS = {"id", "status", "status_label", "running", "rows_done", "rows_total", "percent", "rows_per_second",
        "seconds_left", "text", "url"}  # fmt: skip


class StatusTests(BaseTestCase):
    def setUp(self):
        cache.clear()  # job ids repeat between tests; progress in the cache must not carry over
        self.job = ImportJob.objects.create(
            created_by=self.alice,
            organization=self.alpha,
            filename="ผลระดับประเทศ.xlsx",
            sha256="a" * 64,
            content=b"x",
            status=Status.APPLYING,
            rows_done=2500,
            rows_total=10000,
            started_at=timezone.now() - timedelta(seconds=5),
        )
        self.client.force_login(self.alice)

    def test_shape_while_running(self):
        response = self.client.get(reverse("importers:status", args=[self.job.pk]))
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("no-cache", response["Cache-Control"])
        data = response.json()
        self.assertEqual(set(data), KEYS)
        self.assertEqual((data["id"], data["status"], data["running"]), (self.job.pk, "applying", True))
        self.assertEqual((data["rows_done"], data["rows_total"], data["percent"]), (2500, 10000, 25))
        self.assertAlmostEqual(data["rows_per_second"], 500, delta=30)
        self.assertAlmostEqual(data["seconds_left"], 15, delta=2)
        self.assertEqual(data["status_label"], "กำลังบันทึก")
        self.assertTrue(data["text"].startswith("ทำแล้ว ๒,๕๐๐ จาก ๑๐,๐๐๐ แถว · "), data["text"])
        self.assertIn("เหลืออีกประมาณ", data["text"])
        self.assertEqual(data["url"], reverse("importers:detail", args=[self.job.pk]))

    def test_shape_when_finished(self):
        ImportJob.objects.filter(pk=self.job.pk).update(status=Status.PREVIEW, rows_done=10000)
        data = self.client.get(reverse("importers:status", args=[self.job.pk])).json()
        self.assertEqual(
            (data["running"], data["percent"], data["rows_per_second"], data["seconds_left"]), (False, 100, None, None)
        )

    def test_cached_progress_is_fresher_than_the_row(self):
        cache.set(f"ita:import-job:{self.job.pk}:progress", (7000, 10000))
        data = self.client.get(reverse("importers:status", args=[self.job.pk])).json()
        self.assertEqual(data["rows_done"], 7000)

    def test_progress_page_works_with_and_without_javascript(self):
        page = self.client.get(reverse("importers:detail", args=[self.job.pk]))
        self.assertContains(page, '<noscript><meta http-equiv="refresh" content="3"></noscript>', html=False)
        self.assertContains(page, "js/import_progress.js")
        self.assertContains(page, f'data-status-url="{reverse("importers:status", args=[self.job.pk])}"')
        self.assertContains(page, '<progress max="10000" value="2500"')
        self.assertContains(page, "ทำแล้ว ๒,๕๐๐ จาก ๑๐,๐๐๐ แถว")

    def test_a_finished_page_does_not_refresh(self):
        ImportJob.objects.filter(pk=self.job.pk).update(status=Status.FAILED, message="เหตุผลภาษาไทย")
        page = self.client.get(reverse("importers:detail", args=[self.job.pk]))
        self.assertNotContains(page, "http-equiv")
        self.assertContains(page, "เหตุผลภาษาไทย")

    def test_reading_the_file_shows_an_indeterminate_bar(self):
        ImportJob.objects.filter(pk=self.job.pk).update(status=Status.PLANNING, rows_done=0, rows_total=0)
        page = self.client.get(reverse("importers:detail", args=[self.job.pk]))
        self.assertContains(page, '<progress max="1" aria-describedby')
        self.assertContains(page, "กำลังอ่านไฟล์")

    def test_the_poll_never_loads_the_upload(self):
        with self.assertNumQueries(4):  # session, user, membership, job (without content, preview or errors)
            response = self.client.get(reverse("importers:status", args=[self.job.pk]))
        self.assertEqual(response.status_code, 200)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("importers:status", args=[self.job.pk]))
        job_query = next(q["sql"] for q in queries.captured_queries if 'FROM "ita_importjob"' in q["sql"])
        self.assertNotIn('"content"', job_query)
        self.assertNotIn('"errors"', job_query)

    def test_no_empty_preview_while_planning(self):
        ImportJob.objects.filter(pk=self.job.pk).update(status=Status.PLANNING, preview={"plan_attempts": 1})
        page = self.client.get(reverse("importers:detail", args=[self.job.pk]))
        self.assertNotContains(page, "preview-heading")
