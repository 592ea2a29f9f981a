"""Real-browser tests: Playwright (sync API) driving the system Chromium against Django's live server.

Every test in this folder is marked `browser`. Without Playwright or Chromium they are skipped
with the reason in the summary, unless REQUIRE_BROWSER=1 (CI), where that is an error. One
Chromium is started for the whole folder (the machine has two cores); each test gets a fresh
context, so cookies never leak between tests. A failing test leaves a full-page screenshot in
var/browser-failures/<test>.png and prints its path.

Writing a new flow: take `page` (anonymous) or `login_as(user)` (a page already logged in as that
user), make data with tests/factory.py, and address elements by their Thai label or role. Take
`held_worker` to see a page while its background job is still waiting, as with a busy worker.
"""

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FAILURES_DIR = ROOT / "var" / "browser-failures"
TIMEOUT_MS = 15_000
_saved_screenshots: list[Path] = []


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set, else the Debian package's `chromium` on PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    path = chromium_path()
    if not path or not os.access(path, os.X_OK):
        return "no Chromium found: install the Debian package (make sysdeps WITH_BROWSER=1) or set CHROMIUM_PATH"
    return None


def _in_this_folder(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = unavailable_reason()
    for item in items:
        if not _in_this_folder(item):
            continue
        item.add_marker(pytest.mark.browser)
        if reason and os.environ.get("REQUIRE_BROWSER") != "1":
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    reason = unavailable_reason()
    if reason:
        terminalreporter.write_line(f"Browser tests did not run: {reason}", yellow=True)
    for path in _saved_screenshots:
        terminalreporter.write_line(f"Browser failure screenshot: {path}", red=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and page is not None and _in_this_folder(item):
        path = FAILURES_DIR / (re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1]) + ".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # a crashed page must not hide the test's own failure
            report.sections.append(("browser screenshot", f"could not save a screenshot: {exc}"))
        else:
            _saved_screenshots.append(path)
            report.sections.append(("browser screenshot", f"saved to {path}"))
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for every test in this folder."""
    reason = unavailable_reason()
    if reason:
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse
    # ORM calls here; the tests themselves are synchronous, so that guard is lifted for this folder only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    args = ["--disable-dev-shm-usage"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run its sandbox as root (CI containers)
    chromium = playwright.chromium.launch(executable_path=chromium_path(), args=args)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser tab on the live server, failing the test on any CSP violation or script error."""
    context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()
    assert not problems, "the browser reported: " + "; ".join(problems)


@pytest.fixture
def login_as(page, live_server) -> Callable:
    """`login_as(user)` gives the page a logged-in session for that user, without the login form."""

    def log_in(user) -> object:
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie.value, "url": live_server.url}]
        )
        return page

    return log_in


class HeldWorker:
    """Celery tasks sent by the pages wait here until the test runs them, like jobs queued for a busy worker.

    Without a broker the tasks run inside the request (eager mode), so a job is already finished when
    its page first loads and the progress view is never seen. Holding them lets a flow look at that
    view, then run the work and watch the page notice the change on its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the live server's thread sends, the test's thread runs
        self._queued: list[tuple[object, tuple, dict]] = []

    def send(self, task, args, kwargs) -> None:
        with self._lock:
            self._queued.append((task, tuple(args or ()), dict(kwargs or {})))

    def run_all(self) -> list[str]:
        """Run every task sent so far, in order, here; the names of the tasks that ran."""
        with self._lock:
            queued, self._queued = self._queued, []
        for task, args, kwargs in queued:
            task.apply(args=args, kwargs=kwargs, throw=True)
        return [task.name for task, _args, _kwargs in queued]


@pytest.fixture
def held_worker(monkeypatch) -> HeldWorker:
    """Tasks sent while the test runs are kept until `held_worker.run_all()` (see HeldWorker)."""
    from celery.app.task import Task

    worker = HeldWorker()

    def apply_async(task, args=None, kwargs=None, **_options):
        worker.send(task, args, kwargs)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return worker
