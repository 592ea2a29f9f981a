"""/healthz and `manage.py healthcheck`: 200 when the database and broker answer, 503 naming what failed."""

from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.db.utils import OperationalError
from django.test import TestCase, override_settings
from kombu.exceptions import OperationalError as BrokerError

from ita import health


def _broken_cursor(*args, **kwargs):
    raise OperationalError("could not connect to server")


class HealthzTests(TestCase):
    def test_ok_when_everything_answers(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "problems": [], "missing": []})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_database_down_is_503(self):
        with mock.patch.object(health.connection, "cursor", side_effect=_broken_cursor):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            response.json(), {"status": "error", "problems": ["database: OperationalError"], "missing": []}
        )

    @override_settings(CELERY_BROKER_URL="redis://broker.invalid:6379/0")
    def test_broker_down_is_503(self):
        from ita.celery import app

        with mock.patch.object(app, "connection_for_write", side_effect=BrokerError("Error 111 connecting")):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "error", "problems": ["broker: OperationalError"], "missing": []})

    @override_settings(CELERY_BROKER_URL="redis://broker.invalid:6379/0")
    def test_both_down_lists_both(self):
        from ita.celery import app

        with (
            mock.patch.object(health.connection, "cursor", side_effect=_broken_cursor),
            mock.patch.object(app, "connection_for_write", side_effect=BrokerError("down")),
        ):
            self.assertEqual(health.problems(), ["database: OperationalError", "broker: OperationalError"])

    @override_settings(CELERY_BROKER_URL="")
    def test_no_broker_configured_is_healthy(self):
        # Development default (C3): tasks run in-process, so there is no broker to be down.
        self.assertIsNone(health.check_broker())

    def test_only_get(self):
        self.assertEqual(self.client.post("/healthz").status_code, 405)

    @override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"])
    def test_probes_over_plain_http_are_not_redirected(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        self.assertEqual(self.client.get("/").status_code, 301)


class HealthcheckCommandTests(TestCase):
    def test_prints_ok(self):
        out = StringIO()
        call_command("healthcheck", stdout=out)
        self.assertEqual(out.getvalue(), "ok\n")

    def test_fails_with_the_reasons(self):
        with (
            mock.patch.object(health.connection, "cursor", side_effect=_broken_cursor),
            self.assertRaisesMessage(CommandError, "database: OperationalError"),
        ):
            call_command("healthcheck")
