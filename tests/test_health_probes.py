"""scripts/healthcheck.py, the probe the containers run: an HTTP GET of /healthz, or a liveness file's age."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.test import LiveServerTestCase, SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "healthcheck.py"


def probe(*args: str) -> subprocess.CompletedProcess:
    # The script as the container runs it: a bare interpreter, no Django settings in the environment.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


class UrlProbeTests(LiveServerTestCase):
    def test_a_healthy_site_passes(self):
        result = probe("url", f"{self.live_server_url}/healthz", "--host", "localhost")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_an_unhealthy_site_fails_with_the_status(self):
        with mock.patch("ita.urls.problems", return_value=["database: OperationalError"]):
            result = probe("url", f"{self.live_server_url}/healthz", "--host", "localhost")
        self.assertEqual(result.returncode, 1)
        self.assertIn("answered 503", result.stderr)

    def test_a_host_the_site_refuses_fails(self):
        result = probe("url", f"{self.live_server_url}/healthz", "--host", "elsewhere.example")
        self.assertEqual(result.returncode, 1)
        self.assertIn("answered 400", result.stderr)

    def test_a_redirect_is_not_followed(self):
        result = probe("url", f"{self.live_server_url}/", "--host", "localhost")
        self.assertEqual(result.returncode, 1)
        self.assertIn("answered 302", result.stderr)

    def test_a_page_that_is_not_the_health_answer_fails(self):
        result = probe("url", f"{self.live_server_url}/accounts/login/", "--host", "localhost")
        self.assertEqual(result.returncode, 1)
        self.assertIn("did not answer JSON", result.stderr)

    def test_nothing_listening_fails(self):
        result = probe("url", "http://127.0.0.1:9/healthz", "--timeout", "2")
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.strip())


class FileProbeTests(SimpleTestCase):
    def test_a_fresh_file_passes_an_old_or_missing_one_fails(self):
        with tempfile.TemporaryDirectory() as folder:
            alive = Path(folder) / "alive"
            self.assertEqual(probe("file", str(alive), "--max-age", "60").returncode, 1)
            alive.touch()
            self.assertEqual(probe("file", str(alive), "--max-age", "60").returncode, 0)
            old = time.time() - 120
            os.utime(alive, (old, old))
            result = probe("file", str(alive), "--max-age", "60")
            self.assertEqual(result.returncode, 1)
            self.assertIn("s old", result.stderr)

    def test_the_age_is_required(self):
        self.assertEqual(probe("file", "/tmp/x").returncode, 2)  # noqa: S108 - never opened
