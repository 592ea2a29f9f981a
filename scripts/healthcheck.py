"""Container health checks that start no Django and no Celery client (docker-compose.yml).

    python scripts/healthcheck.py url http://127.0.0.1:8000/healthz --host ita.example.go.th
        healthy when the page answers 200 with {"status": "ok"} (the database and broker answer);
    python scripts/healthcheck.py file /tmp/ita-alive --max-age 60
        healthy when the file was touched within the last 60 seconds (a Celery worker or beat
        started with LIVENESS_FILE touches it while it works, see ita/celery.py).

Standard library only: a probe costs one small interpreter for a few milliseconds, where
`manage.py healthcheck` or `celery inspect ping` load the whole project every time.
Exit status 0 when healthy, 1 otherwise, with the reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect (to HTTPS, to the login page) means the probe did not reach /healthz itself.
    def redirect_request(self, *args, **kwargs):
        return None


def check_url(url: str, host: str | None, timeout: float) -> str | None:
    """None when `url` answers 200 with a JSON status "ok", else why not."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310 - our own URL
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        return f"{url} answered {error.code}"
    except (OSError, ValueError) as error:
        return f"{url}: {error}"
    try:
        status = json.loads(body).get("status")
    except (ValueError, AttributeError):
        return f"{url} did not answer JSON"
    return None if status == "ok" else f"{url} says {status!r}"


def check_file(path: str, max_age: float) -> str | None:
    """None when `path` was modified within the last `max_age` seconds, else why not."""
    try:
        age = time.time() - Path(path).stat().st_mtime
    except OSError:
        return f"{path} does not exist"
    return None if age <= max_age else f"{path} is {age:.0f} s old (at most {max_age:.0f} s)"


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    probes = parser.add_subparsers(dest="probe", required=True)
    url = probes.add_parser("url", help="GET a health page")
    url.add_argument("url")
    url.add_argument("--host", help="the Host header (one of ALLOWED_HOSTS)")
    url.add_argument("--timeout", type=float, default=5.0)
    file = probes.add_parser("file", help="the age of a liveness file")
    file.add_argument("path")
    file.add_argument("--max-age", type=float, required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.probe == "url":
        problem = check_url(args.url, args.host, args.timeout)
    else:
        problem = check_file(args.path, args.max_age)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
