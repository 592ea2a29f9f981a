"""A3: every state change needs a CSRF token — no URL accepts a tokenless POST, no view is exempt."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.base import BaseTestCase

ROOT = Path(__file__).resolve().parents[2]
PROJECT_CODE = ["ita", "measures", "reports"]
SAMPLE = {
    "int": "1",
    "str": "x",
    "org_code": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def route_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """(example path, view) for every path()-style URL; regex URLs (the admin's internals) are skipped."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:
            continue
        example = prefix + PARAMETER.sub(lambda m: SAMPLE[m.group("converter") or "str"], route)
        if isinstance(entry, URLResolver):
            yield from route_patterns(entry, example)
        elif isinstance(entry, URLPattern):
            yield "/" + example, entry.callback


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class CsrfTests(BaseTestCase):
    def test_csrf_middleware_is_on(self):
        self.assertIn("django.middleware.csrf.CsrfViewMiddleware", settings.MIDDLEWARE)

    def test_no_view_is_exempt(self):
        exempt = [path for path, view in route_patterns() if getattr(view, "csrf_exempt", False)]
        self.assertEqual(exempt, [])

    def test_no_project_code_mentions_csrf_exempt(self):
        offenders = [
            str(path.relative_to(ROOT))
            for folder in PROJECT_CODE
            for path in (ROOT / folder).rglob("*.py")
            if "csrf_exempt" in path.read_text(encoding="utf-8")
        ]
        self.assertEqual(offenders, [])

    def test_every_url_refuses_a_post_without_a_token(self):
        paths = [path for path, _view in route_patterns()]
        self.assertGreater(len(paths), 20)  # the walk really found the site's URLs
        for user in (None, self.alice):
            client = Client(enforce_csrf_checks=True)
            if user is not None:
                client.force_login(user)
            for path in paths:
                resolve(path)  # the example path must reach the pattern it stands for
                with self.subTest(user=getattr(user, "username", "anonymous"), path=path):
                    self.assertEqual(client.post(path, {"org": self.beta.pk}).status_code, 403)

    def test_a_post_with_the_token_is_accepted(self):
        # Guard against a walk that "passes" because everything is refused for another reason.
        client = Client(enforce_csrf_checks=True)
        client.get("/accounts/login/")
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        response = client.post(
            "/accounts/login/", {"username": "alice", "password": "password", "csrfmiddlewaretoken": token}
        )
        self.assertEqual(response.status_code, 302)
