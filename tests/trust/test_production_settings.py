"""A7: production settings — `check --deploy` clean, security headers, static files, JSON logs."""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
HOST = "ita.example.go.th"
PRODUCTION_HSTS = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "ALLOWED_HOSTS": [HOST],
}


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment docker-compose.yml gives the app, minus the services a test cannot reach."""
    outside = {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "LOG_FORMAT", "EMAIL_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in outside}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SITE_URL=f"https://{HOST}",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class SecurityHeaderTests(TestCase):
    """Headers on real responses, with the production values switched on by override_settings."""

    @override_settings(**PRODUCTION_HSTS)
    def test_a_secure_response_carries_every_protective_header(self):
        response = self.client.get(reverse("login"), secure=True, HTTP_HOST=HOST)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
        self.assertTrue(response.cookies["csrftoken"]["secure"])

    def test_content_security_policy(self):
        response = self.client.get(reverse("login"))
        csp = csp_directives(response["Content-Security-Policy"])
        self.assertEqual(csp["default-src"], ["'self'"])
        self.assertEqual(csp["img-src"], ["'self'", "data:"])
        self.assertEqual(csp["frame-ancestors"], ["'none'"])
        self.assertEqual(csp["form-action"], ["'self'"])
        self.assertEqual(csp["object-src"], ["'none'"])
        self.assertEqual(csp["base-uri"], ["'none'"])
        # No directive may re-open what default-src closes.
        for values in csp.values():
            self.assertNotIn("'unsafe-inline'", values)
            self.assertNotIn("'unsafe-eval'", values)
            self.assertNotIn("*", values)

    @override_settings(**PRODUCTION_HSTS)
    def test_plain_http_is_redirected_and_gets_no_hsts(self):
        response = self.client.get(reverse("login"), HTTP_HOST=HOST)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], f"https://{HOST}{reverse('login')}")
        self.assertNotIn("Strict-Transport-Security", response)

    def test_an_authenticated_page_has_the_headers_too(self):
        from tests.factory import make_user

        self.client.force_login(make_user("dana"))
        response = self.client.get(reverse("ita:home"))
        self.assertIn("Content-Security-Policy", response)
        self.assertEqual(response["X-Frame-Options"], "DENY")


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_is_clean_with_production_environment(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(Path(tmp)))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_production_refuses_the_development_secret_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = production_env(Path(tmp))
            env.pop("SECRET_KEY")
            result = run(["manage.py", "check"], env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set", result.stderr)

    def test_production_refuses_a_local_site_url(self):
        # A published copy prints SITE_URL and its QR code: a local address would verify nowhere.
        for url in ("http://localhost:8000", "http://127.0.0.1", "http://10.0.0.5", "http://ita.localhost", ""):
            with self.subTest(url), tempfile.TemporaryDirectory() as tmp:
                result = run(["manage.py", "check"], production_env(Path(tmp), SITE_URL=url))
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("SITE_URL must be the site's public address", result.stderr)


@pytest.mark.slow
def test_production_serves_hashed_static_files_and_logs_json(tmp_path):
    """collectstatic as the Dockerfile runs it, then the real production settings through the middleware."""
    env = production_env(tmp_path)
    # Only the project's own files: the admin's hundreds would make this test slow and prove nothing more.
    collected = run(["manage.py", "collectstatic", "--noinput", "-i", "admin", "-i", "import_export"], env)
    assert collected.returncode == 0, collected.stderr
    probe = run(["-m", "tests.trust.production_probe"], env)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)

    assert seen["debug"] is False
    middleware = seen["middleware"]
    # WhiteNoise serves static files right after the security headers are set (and after the request guard).
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    assert seen["page_status"] == 200
    headers = seen["page_headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert seen["page_cookies"]["csrftoken"]["secure"] is True
    assert (seen["plain_status"], seen["plain_location"]) == (301, f"https://{HOST}/accounts/login/")

    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", seen["static_url"])
    assert seen["static_status"] == 200
    assert "immutable" in seen["static_headers"]["Cache-Control"]
    assert seen["static_headers"]["Content-Encoding"] == "gzip"

    lines = [json.loads(line) for line in probe.stderr.splitlines() if line.startswith("{")]
    probe_line = next(line for line in lines if line["logger"] == "ita.probe")
    assert probe_line["message"] == "probe line"
    assert probe_line["level"] == "WARNING"
    assert probe_line["probe_number"] == 7
    assert probe_line["request_id"] == "-"  # logged outside any request
    # Django's own "Not Found" line carries the id the response gave the user.
    assert seen["missing_status"] == 404
    not_found = next(line for line in lines if line["logger"] == "django.request")
    assert not_found["request_id"] == seen["missing_request_id"]
    assert not_found["status_code"] == 404

    # The error pages production users see: Thai, styled by the hashed stylesheet, what to do next.
    assert "ไม่พบหน้าที่ต้องการ" in seen["missing_body"]
    assert seen["static_url"] in seen["missing_body"]
    assert seen["refused_status"] == 403
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in seen["refused_body"]
    assert "probe-user" in seen["refused_body"]
    assert "probe-secret" not in seen["refused_body"]
    assert seen["broken_status"] == 500
    assert "ระบบขัดข้อง" in seen["broken_body"]
    assert seen["static_url"] in seen["broken_body"]
