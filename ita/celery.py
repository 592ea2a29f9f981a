"""Celery application. Tasks run in-process when CELERY_BROKER_URL is empty.

A worker or beat started with the LIVENESS_FILE setting touches that file while it works (a worker
while its consumer is connected to the broker, beat on every tick); the container health checks test
the file's age with scripts/healthcheck.py instead of starting a Celery client every minute. The file
is a signal, not state: it lives in the container's /tmp and losing it loses nothing.
"""

import os
from pathlib import Path

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

# Seconds between two touches of the liveness file; health checks allow a few missed ones.
LIVENESS_INTERVAL = 15.0


def touch_liveness_file() -> None:
    """Mark this worker or beat alive now (nothing when LIVENESS_FILE is not set)."""
    if settings.LIVENESS_FILE:
        Path(settings.LIVENESS_FILE).touch()


class LivenessFile(bootsteps.StartStopStep):
    """Touches the liveness file every LIVENESS_INTERVAL seconds while the worker's consumer is connected.

    The consumer's steps stop when the broker connection is lost and start again once it is back, so
    the file grows old while the worker cannot take tasks, even though its process still runs.
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.enabled = bool(settings.LIVENESS_FILE)
        self.timer_entry = None

    def start(self, parent) -> None:
        touch_liveness_file()
        self.timer_entry = parent.timer.call_repeatedly(LIVENESS_INTERVAL, touch_liveness_file, priority=10)

    def stop(self, parent) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None
        Path(settings.LIVENESS_FILE).unlink(missing_ok=True)

    shutdown = stop


class LivenessScheduler(PersistentScheduler):
    """Celery beat's default scheduler that also touches the liveness file on every tick.

    Beat ticks at least every beat_max_interval seconds (CELERY_BEAT_MAX_INTERVAL), whatever the schedule.
    """

    def tick(self, *args, **kwargs):
        touch_liveness_file()
        return super().tick(*args, **kwargs)


app = Celery("ita")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.steps["consumer"].add(LivenessFile)
app.autodiscover_tasks()
