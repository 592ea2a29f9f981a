"""What the real-worker fault tests share: a broker, a database the worker can open, and the worker process.

The broker is ITA_FAULTS_BROKER_URL, or Redis database 13 on the server of CELERY_BROKER_URL (or on
127.0.0.1:6379); every test uses a queue of its own there, deleted afterwards. The database is
the test database itself on PostgreSQL (the test commits, so the worker sees its rows); an
in-memory SQLite test database is copied to a file for the duration of a test class, and the test
switches its own connection to that file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import kombu.pools
import redis
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections

from ita.celery import app

FAULTS_REDIS_DB = 13
READY_TIMEOUT = 30.0
LOG_TAIL = 3000


def broker_url() -> str:
    """The Redis URL the fault tests send to: never the database other tests or a running site use."""
    explicit = os.environ.get("ITA_FAULTS_BROKER_URL")
    if explicit:
        return explicit
    base = settings.CELERY_BROKER_URL if settings.CELERY_BROKER_URL.startswith("redis") else "redis://127.0.0.1:6379"
    return urlunsplit(urlsplit(base)._replace(path=f"/{FAULTS_REDIS_DB}", query=""))


def broker_problem(url: str) -> str | None:
    """Why Redis at `url` cannot be used, or None."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.RedisError, OSError) as error:
        return f"Redis at {url} is not reachable ({error}); start redis-server or set ITA_FAULTS_BROKER_URL"
    return None


def database_problem() -> str | None:
    """Why the test database cannot be shared with a worker process, or None."""
    vendor = connections["default"].vendor
    return None if vendor in ("postgresql", "sqlite") else f"no way to share a {vendor} test database with a worker"


def _postgres_url(params: dict) -> str:
    user = quote(params.get("USER") or "", safe="")
    password = params.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host, port = params.get("HOST") or "localhost", params.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{quote(params['NAME'], safe='')}"


@contextmanager
def shared_database(folder: Path) -> Iterator[str]:
    """The DATABASE_URL a worker opens to see what this test commits (see the module docstring)."""
    connection = connections["default"]
    if connection.vendor == "postgresql":
        yield _postgres_url(connection.settings_dict)
        return
    if not connection.is_in_memory_db():
        yield f"sqlite:///{connection.settings_dict['NAME']}"
        return
    path = folder / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)  # the migrated, empty test schema, in milliseconds
    file_connection = connection.__class__({**connection.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = file_connection
    ContentType.objects.clear_cache()  # ids may differ between the two databases
    try:
        yield f"sqlite:///{path}"
    finally:
        file_connection.close()
        connections["default"] = connection
        ContentType.objects.clear_cache()


@contextmanager
def sending_to(url: str, queue: str) -> Iterator[None]:
    """Make this process's .delay() calls go to the broker and queue of the fault worker."""
    # broker_write_url: Celery lets the CELERY_BROKER_URL environment variable override broker_url.
    keys = ("broker_write_url", "task_always_eager", "task_routes")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_write_url=url, task_always_eager=False, task_routes={"*": {"queue": queue}})
    _reset_producers()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_producers()


def _reset_producers() -> None:
    # Celery caches the connection pool and the routes on first use, and kombu keeps its pools per
    # broker URL: all of them must be dropped for the new settings to take effect.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.amqp.flush_routes()


@dataclass
class Mark:
    """One time a pool child reached a kill point (see tests/faults/worker.py)."""

    label: str
    pid: int
    order: int


class Worker:
    """A real `celery worker` subprocess (prefork, one child) on its own queue; always call stop()."""

    def __init__(self, *, queue: str, broker: str, database_url: str, folder: Path, pause: float) -> None:
        self.queue, self.folder = queue, folder
        self.marks_dir = folder / "marks"
        self.marks_dir.mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ita.settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "ITA_FAULTS_MARKS": str(self.marks_dir),
            "ITA_FAULTS_PAUSE": str(pause),
            "ITA_FAULTS_VISIBILITY": "4",
            "PYTHONUNBUFFERED": "1",
        }
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    @property
    def main_pid(self) -> int:
        return self.processes[-1].pid

    def start(self) -> None:
        """Start a worker process and wait until it consumes (bounded)."""
        log = self.folder / f"worker-{len(self.processes)}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "tests.faults.worker", self.queue],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() can end the pool children too
            )
        self.processes.append(process)
        wait_for(lambda: " ready." in log.read_text(errors="replace"), READY_TIMEOUT, "the worker to start", self)

    def marks(self, label: str) -> list[Mark]:
        """The kill points reached so far, oldest first."""
        found = []
        for path in self.marks_dir.iterdir():
            if not path.name.startswith("."):
                name, pid, order = path.name.split(".")
                if name == label:
                    found.append(Mark(name, int(pid), int(order)))
        return sorted(found, key=lambda mark: mark.order)

    def wait_for_mark(self, label: str, count: int, timeout: float = 20.0) -> Mark:
        """The `count`-th time a child reached `label`."""
        wait_for(lambda: len(self.marks(label)) >= count, timeout, f"kill point {label!r} #{count}", self)
        return self.marks(label)[count - 1]

    def kill_main(self) -> None:
        """SIGKILL the worker's main process (the pool children are left to kill_pid)."""
        os.kill(self.main_pid, signal.SIGKILL)
        self.processes[-1].wait(timeout=10)

    def log_text(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self.logs if log.exists())

    def received(self, task_name: str) -> int:
        """How many times the worker logs say `task_name` was received."""
        return len(re.findall(rf"Task {re.escape(task_name)}\[[^\]]+\] received", self.log_text()))

    def stop(self) -> None:
        """SIGKILL every process group this harness started and reap them."""
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


def kill_pid(pid: int) -> None:
    """SIGKILL one process by its id (a pool child recorded in a mark) and wait until it is gone."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return  # already gone
    wait_for(lambda: not _alive(pid), 10.0, f"process {pid} to die")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not reaped yet


def wait_for(check: Callable[[], bool], timeout: float, what: str, worker: Worker | None = None) -> None:
    """Poll `check` every 0.1 s; fail with the worker's log when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    tail = worker.log_text()[-LOG_TAIL:] if worker else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n--- worker log ---\n{tail}")


def new_queue() -> str:
    return f"ita-faults-{uuid.uuid4().hex[:10]}"


def delete_queue(url: str, queue: str) -> None:
    """Remove what this test's queue left in Redis: unacknowledged messages of a killed worker, the queue, its bindings.

    The unacknowledged ones go first: any later worker on this Redis database would otherwise put
    them back into the queue once their visibility timeout passes.
    """
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    for tag, entry in client.hscan_iter("unacked"):
        _message, exchange, routing_key = json.loads(entry)
        if queue in (exchange, routing_key):
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@contextmanager
def in_process() -> Iterator[None]:
    """Run .delay() in this process whatever CELERY_BROKER_URL says (CI sets one for the whole suite)."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = saved
