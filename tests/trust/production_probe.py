"""Run in a subprocess with production environment variables (see test_production_settings.py).

Loads the real settings module as production would, makes a few requests through the whole
middleware stack, logs one line, and prints what it saw as JSON on stdout.
"""

import json
import logging
import os
import sys


def main() -> None:
    """Print the production settings and responses the test asserts on."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import Client, RequestFactory
    from django.views.defaults import server_error

    client = Client(HTTP_HOST="ita.example.go.th")
    # The TLS proxy in front of gunicorn tells the app the original request was HTTPS.
    page = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.9")
    plain = client.get("/accounts/login/")
    static_url = staticfiles_storage.url("css/app.css")
    static = client.get(static_url, HTTP_ACCEPT_ENCODING="gzip", HTTP_X_FORWARDED_PROTO="https")
    missing = client.get("/no-such-page/", HTTP_X_FORWARDED_PROTO="https")
    # A form posted without its token, and the 500 page as Django renders it (no request context).
    refused = Client(HTTP_HOST="ita.example.go.th", enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "probe-user", "password": "probe-secret"}, HTTP_X_FORWARDED_PROTO="https"
    )
    broken = server_error(RequestFactory().get("/"))
    logging.getLogger("ita.probe").warning("probe line", extra={"probe_number": 7})
    result = {
        "debug": settings.DEBUG,
        "middleware": settings.MIDDLEWARE,
        "page_status": page.status_code,
        "page_headers": dict(page.headers),
        "page_cookies": {name: dict(morsel) for name, morsel in page.cookies.items()},
        "plain_status": plain.status_code,
        "plain_location": plain.get("Location"),
        "static_url": static_url,
        "static_status": static.status_code,
        "static_headers": dict(static.headers),
        "missing_status": missing.status_code,
        "missing_request_id": missing["X-Request-ID"],
        "missing_body": missing.content.decode(),
        "refused_status": refused.status_code,
        "refused_body": refused.content.decode(),
        "broken_status": broken.status_code,
        "broken_body": broken.content.decode(),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
