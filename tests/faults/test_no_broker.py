"""C3: with no broker configured the same task code runs synchronously, in the request that enqueued it."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

from ita.models import ImportJob
from tests.base import BaseTestCase
from tests.faults import harness
from tests.ita.importers.helpers import FlowMixin, csv_file, wide_row

PROBE = "import django; django.setup(); from ita.celery import app; print(app.conf.task_always_eager)"


def eager_with(broker: str | None) -> str:
    """What a fresh process's Celery app decides with CELERY_BROKER_URL set to `broker` (None: unset)."""
    env = {key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"}
    if broker is not None:
        env["CELERY_BROKER_URL"] = broker
    env["DJANGO_SETTINGS_MODULE"] = "ita.settings"
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class NoBrokerTests(FlowMixin, BaseTestCase):
    def test_no_broker_means_tasks_run_in_process_and_a_broker_means_they_do_not(self):
        self.assertEqual(eager_with(None), "True")
        self.assertEqual(eager_with(""), "True")
        self.assertEqual(eager_with("redis://127.0.0.1:6379/13"), "False")

    def test_an_upload_is_planned_before_the_request_returns(self):
        self.client.force_login(self.alice)
        with harness.in_process():
            response = self.upload(csv_file(wide_row()))
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("importers:detail", args=[job.pk]))
        self.assertEqual(job.status, ImportJob.Status.PREVIEW)
        with harness.in_process():
            self.confirm(job)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.DONE)
