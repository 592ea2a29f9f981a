"""A worker or beat started with LIVENESS_FILE touches it while it works (ita/celery.py), for the health checks."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import pytest
from celery.beat import PersistentScheduler
from django.test import SimpleTestCase, override_settings

from ita.celery import LIVENESS_INTERVAL, LivenessFile, LivenessScheduler, app

ROOT = Path(__file__).resolve().parents[2]


class FakeConsumer:
    """The one thing the step uses from Celery's consumer: its timer."""

    def __init__(self):
        self.timer = mock.Mock()
        self.entry = self.timer.call_repeatedly.return_value


class LivenessStepTests(SimpleTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = Path(folder.name) / "alive"

    def test_the_worker_runs_the_step(self):
        self.assertIn(LivenessFile, app.steps["consumer"])

    def test_without_the_setting_the_step_is_off(self):
        with override_settings(LIVENESS_FILE=""):
            self.assertFalse(LivenessFile(FakeConsumer()).enabled)

    def test_connected_the_file_is_touched_now_and_on_every_interval(self):
        consumer = FakeConsumer()
        with override_settings(LIVENESS_FILE=str(self.path)):
            step = LivenessFile(consumer)
            self.assertTrue(step.enabled)
            step.start(consumer)
            self.assertTrue(self.path.exists())
            interval, touch = consumer.timer.call_repeatedly.call_args.args[:2]
            self.assertEqual(interval, LIVENESS_INTERVAL)
            os.utime(self.path, (0, 0))
            touch()
            self.assertGreater(self.path.stat().st_mtime, time.time() - 60)
            step.stop(consumer)
        consumer.entry.cancel.assert_called_once()
        self.assertFalse(self.path.exists(), "a stopped consumer (broker lost, shutdown) must look dead")

    def test_beat_touches_the_file_on_every_tick(self):
        scheduler = LivenessScheduler.__new__(LivenessScheduler)  # tick() needs nothing else from it here
        with (
            override_settings(LIVENESS_FILE=str(self.path)),
            mock.patch.object(PersistentScheduler, "tick", return_value=42.0) as tick,
        ):
            self.assertEqual(scheduler.tick(), 42.0)
        tick.assert_called_once()
        self.assertTrue(self.path.exists())


def _start(args: list[str], folder: Path, alive: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "CELERY_BROKER_URL": "memory://",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "LIVENESS_FILE": str(alive),
        "DJANGO_SETTINGS_MODULE": "ita.settings",
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(  # noqa: S603 - our own interpreter and Celery
        [sys.executable, "-m", "celery", "-A", "ita", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_a_real_worker_and_beat_keep_their_liveness_files(tmp_path):
    """The commands of docker-compose.yml, on an in-memory broker: each process touches its file."""
    worker_file, beat_file = tmp_path / "worker-alive", tmp_path / "beat-alive"
    worker = _start(["worker", "--pool", "solo", "--without-mingle", "--without-gossip"], tmp_path, worker_file)
    beat = _start(
        ["beat", "--scheduler", "ita.celery:LivenessScheduler", "--schedule", str(tmp_path / "schedule")],
        tmp_path,
        beat_file,
    )
    try:
        assert _wait(worker_file.exists, 90), "the worker never touched its liveness file"
        assert _wait(beat_file.exists, 90), "beat never touched its liveness file"
    finally:
        for process in (worker, beat):
            process.send_signal(signal.SIGTERM)
        for process in (worker, beat):
            process.wait(timeout=60)
    assert not worker_file.exists(), "a worker that stopped leaves no fresh liveness file behind"
