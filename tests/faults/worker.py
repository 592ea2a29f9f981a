"""Test-only launcher: the real Celery worker of the project, with a pause where the fault tests kill it.

    python -m tests.faults.worker QUEUE

It is `celery -A ita worker --pool=prefork --concurrency=1 -Q QUEUE`, plus two things the fault tests
need and production must never have, which is why they live here and not in ita/:

- A pause (ITA_FAULTS_PAUSE seconds) at the point a kill should land: right after an import has
  written its rows and before it commits (inside the write transaction), and just before a PDF is
  laid out. Before pausing, the pool child records its PID as a file `<label>.<pid>.<ns>` in
  ITA_FAULTS_MARKS, so the test knows which process to SIGKILL and how often the point was reached.
- A short Redis visibility timeout (ITA_FAULTS_VISIBILITY seconds), so that a message whose whole
  worker died is handed to the next worker within seconds instead of the default hour.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path


def mark(label: str) -> None:
    """Record that this process reached the kill point `label` (atomically: write, then rename)."""
    folder = Path(os.environ["ITA_FAULTS_MARKS"])
    name = f"{label}.{os.getpid()}.{time.monotonic_ns()}"
    (folder / f".{name}").write_text(str(os.getpid()))
    (folder / f".{name}").rename(folder / name)


def pausing(label: str, real: Callable, *, after: bool) -> Callable:
    """`real`, with a mark and a pause just before it runs (or just after, when `after`)."""
    seconds = float(os.environ.get("ITA_FAULTS_PAUSE", "0"))

    @functools.wraps(real)
    def wrapper(*args, **kwargs):
        if not after:
            mark(label)
            time.sleep(seconds)
        result = real(*args, **kwargs)
        if after:
            mark(label)
            time.sleep(seconds)
        return result

    return wrapper


def install_pauses() -> None:
    from ita.importers import jobs as import_jobs
    from reports import rendering

    # apply_job calls apply_import inside its transaction: pausing after it leaves rows written, uncommitted.
    import_jobs.apply_import = pausing("apply", import_jobs.apply_import, after=True)
    rendering.render_pdf = pausing("render", rendering.render_pdf, after=False)


def main(queue: str) -> None:
    import django

    django.setup()
    from ita.celery import app

    install_pauses()
    visibility = int(os.environ.get("ITA_FAULTS_VISIBILITY", "3"))
    app.conf.broker_transport_options = {
        "visibility_timeout": visibility,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    main(sys.argv[1])
