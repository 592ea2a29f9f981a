"""Background work nobody will finish, swept on a schedule (cron `manage.py sweep_jobs`, or Celery beat).

The import jobs' sweep and the notification outbox's are the core's own (ita.importers.sweep,
ita.notifications.delivery). An app built on the core adds its
own sweep from its AppConfig.ready() (reports: PDF renders left pending), so the core never names
the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable

from celery import shared_task

from ita.importers import sweep as import_sweep
from ita.notifications import delivery

_REGISTERED: dict[str, Callable[[], int]] = {}


def register(label: str, sweep: Callable[[], int]) -> None:
    """Run `sweep` with every sweep; it returns how many it ended, reported under `label`."""
    _REGISTERED[label] = sweep


def sweep_all() -> dict[str, int]:
    """Run every sweep: how many each one sent again or ended, by label, the import jobs first, mail last."""
    result = import_sweep.sweep_stale_jobs()
    counts = {"imports requeued": len(result.requeued), "imports failed": len(result.failed)}
    for label, sweep in _REGISTERED.items():
        counts[label] = sweep()
    counts["notification events resent"] = delivery.resend_stale()
    return counts


@shared_task(name="ita.sweep_jobs")
def sweep_jobs() -> None:
    """Celery beat's alternative to cron running `manage.py sweep_jobs`."""
    sweep_all()
