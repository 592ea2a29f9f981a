"""Structured logs: one JSON object per line, tagged with the request id the response carries."""

import json
import logging
import sys
from decimal import Decimal

from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from ita.logs import JsonFormatter, RequestIdFilter, RequestIdMiddleware, current_request_id


def _record(message="ข้อความ %s", args=("ทดสอบ",), **extra) -> logging.LogRecord:
    record = logging.LogRecord("ita.test", logging.ERROR, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


class JsonFormatterTests(SimpleTestCase):
    def test_one_line_of_json_with_thai_kept_readable(self):
        line = JsonFormatter().format(_record(score=Decimal("85.50"), org_code="ALPHA"))
        self.assertNotIn("\n", line)
        entry = json.loads(line)
        self.assertEqual(entry["message"], "ข้อความ ทดสอบ")
        self.assertEqual((entry["level"], entry["logger"]), ("ERROR", "ita.test"))
        self.assertEqual(entry["org_code"], "ALPHA")
        self.assertEqual(entry["score"], "Decimal('85.50')")  # not JSON-native: written as its repr
        self.assertRegex(entry["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
        self.assertIn("ทดสอบ", line)

    def test_exceptions_are_kept_inside_the_one_line(self):
        try:
            raise ValueError("พัง")
        except ValueError:
            record = _record(exc_info=sys.exc_info())
        line = JsonFormatter().format(record)
        self.assertEqual(len(line.splitlines()), 1)
        self.assertIn("ValueError: พัง", json.loads(line)["exception"])


class RequestIdTests(SimpleTestCase):
    def run_request(self, **headers):
        seen = {}

        def view(request):
            seen["inside"] = current_request_id()
            record = _record()
            RequestIdFilter().filter(record)
            seen["logged"] = record.request_id
            return HttpResponse("ok")

        response = RequestIdMiddleware(view)(RequestFactory().get("/", **headers))
        return response, seen

    def test_each_request_gets_an_id_that_logs_and_response_share(self):
        response, seen = self.run_request()
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
        self.assertEqual(seen["inside"], response["X-Request-ID"])
        self.assertEqual(seen["logged"], response["X-Request-ID"])
        self.assertEqual(current_request_id(), "-")  # nothing leaks into the next request

    def test_a_client_cannot_choose_the_id(self):
        response, _ = self.run_request(HTTP_X_REQUEST_ID="attacker-chosen-id")
        self.assertNotEqual(response["X-Request-ID"], "attacker-chosen-id")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_a_trusted_proxy_id_is_kept_when_well_formed(self):
        response, _ = self.run_request(HTTP_X_REQUEST_ID="proxy-4f2a9c1b")
        self.assertEqual(response["X-Request-ID"], "proxy-4f2a9c1b")
        response, _ = self.run_request(HTTP_X_REQUEST_ID='bad id\n{"level":"INFO"}')
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
