"""Screenshot every kind of page, as each demo role sees it, at 390 px and 1366 px wide.

    .venv/bin/python scripts/screenshots.py [--out var/screenshots] [--only NAME-SUBSTRING]

A development tool for looking at what users see (see the developers' guide): it makes a fresh
SQLite database under var/, runs `seed_demo` into it, serves the site with `runserver` on a free
loopback port, signs in as each demo account in headless Chromium (Playwright) and saves one
full-page PNG per page and width. It prints the pages wider than the screen (sideways scrolling of
the page itself) and any answer of 400 or more, and exits 1 if there was one.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (390, 1366)
STAFF, EXECUTIVE = "maesaimittraphap-staff", "maesaimittraphap-exec"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())


def _pages() -> dict[str, list[tuple[str, str]]]:
    """(name, path) per demo account, found in the seeded database."""
    from django.contrib.auth.models import User

    from ita.models import Assessment, Membership
    from measures.models import MeasurePlan
    from reports.models import PublishedVersion

    staff = User.objects.get(username=STAFF)
    organization = Membership.objects.get(user=staff).organization
    assessment = Assessment.objects.filter(organization=organization).order_by("-fiscal_year").first()
    plan = MeasurePlan.objects.filter(organization=organization).order_by("-fiscal_year", "-version").first()
    measure = plan.measures.first() if plan else None
    published = PublishedVersion.objects.order_by("-pk").first()
    code = organization.code
    public = [
        ("public-home", "/public/"),
        ("public-national", "/public/national/"),
        ("public-organization", f"/public/organizations/{code}/"),
        ("trend", f"/organizations/{code}/trend/"),
        ("emblem", f"/organizations/{code}/"),
        ("public-data", "/public/data/"),
        ("login", "/accounts/login/"),
        ("password-reset", "/accounts/password_reset/"),
        ("not-found", "/no-such-page/"),
    ]
    if published:
        public.append(("published-version", f"/documents/published/{published.pk}/"))
    org_pages = [
        ("home", "/"),
        ("assessment", f"/assessments/{assessment.pk}/"),
        ("assessment-history", f"/assessments/{assessment.pk}/?tab=history"),
        ("plans", "/plans/"),
        ("units", "/plans/units/"),
        ("imports", "/imports/"),
        ("import-new", "/imports/new/"),
        ("password-change", "/accounts/password_change/"),
        ("notifications", "/accounts/notifications/"),
        ("oit-checklist", f"/organizations/{code}/oit/{assessment.fiscal_year}/"),
    ]
    if plan:
        org_pages += [
            ("plan", f"/plans/{plan.pk}/"),
            ("plan-history", f"/plans/{plan.pk}/?tab=history"),
            ("library", f"/plans/{plan.pk}/library/"),
            ("library-search", f"/plans/{plan.pk}/library/?q=คู่มือ&indicator=4"),
            ("news", f"/documents/plans/{plan.pk}/news/"),
        ]
    if measure:
        org_pages += [
            ("measure-form", f"/plans/{plan.pk}/measures/{measure.pk}/"),
            ("progress", f"/plans/{plan.pk}/measures/{measure.pk}/progress/"),
        ]
    return {
        "anonymous": public,
        STAFF: org_pages,
        EXECUTIVE: [("home", "/"), *[page for page in org_pages if page[0].startswith("plan")]],
        "auditor": [("home", "/")],
        "admin": [
            ("home", "/"),
            ("auditors", "/accounts/auditors/"),
            ("admin", "/admin/"),
            ("admin-lockouts", "/admin/ita/loginlockout/"),
            ("admin-assessment", f"/admin/ita/assessment/{assessment.pk}/change/"),
        ],
    }


def _shoot(base: str, out: Path, only: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    from ita.demo import DEMO_PASSWORD

    problems: list[str] = []
    pages_by_account = _pages()  # before Playwright starts its event loop in this thread
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        for who, pages in pages_by_account.items():
            context = browser.new_context(base_url=base, locale="th-TH")
            page = context.new_page()
            if who != "anonymous":
                page.goto("/accounts/login/")
                page.get_by_label("ชื่อผู้ใช้").fill(who)
                page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="เข้าสู่ระบบ").click()
                page.wait_for_load_state()
            for name, path in pages:
                if only and only not in f"{who}-{name}":
                    continue
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    response = page.goto(path)
                    status = response.status if response else 0
                    if status >= 400 and name != "not-found":
                        problems.append(f"{who} {path}: HTTP {status}")
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    if scroll > width:
                        problems.append(f"{who} {path} at {width} px: the page is {scroll} px wide")
                    page.screenshot(path=str(out / f"{who}-{name}-{width}.png"), full_page=True)
            context.close()
        browser.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument("--only", default="", help="only pages whose '<account>-<page>' contains this")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    database = ROOT / "var" / "screenshots.sqlite3"
    database.unlink(missing_ok=True)
    _setup(database)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        problems = _shoot(f"http://127.0.0.1:{port}", options.out, options.only)
    finally:
        server.terminate()
        server.wait()
    for line in problems:
        print(line)
    print(f"screenshots in {options.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
