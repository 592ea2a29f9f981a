"""Celery tasks of the ITA core: ids in, one workflow call (ita.importers.jobs), enqueued after commit.

Time limits (import_jobs.PHASE_SOFT_LIMIT / PHASE_HARD_LIMIT) apply on a worker only; with no
broker the tasks run in the request and the web server's own timeout bounds them.
"""

from celery import shared_task

from ita.importers import jobs as import_jobs
from ita.importers import sweep as job_sweep

LIMITS = {
    "soft_time_limit": int(import_jobs.PHASE_SOFT_LIMIT.total_seconds()),
    "time_limit": int(import_jobs.PHASE_HARD_LIMIT.total_seconds()),
}


@shared_task(name="ita.plan_import_job", **LIMITS)
def plan_import_job(job_id: int) -> None:
    """Read and check an uploaded import and store its preview."""
    import_jobs.plan_job(job_id)


@shared_task(name="ita.apply_import_job", **LIMITS)
def apply_import_job(job_id: int) -> None:
    """Write a confirmed import (checked again first)."""
    import_jobs.apply_job(job_id)


@shared_task(name="ita.sweep_jobs")
def sweep_jobs() -> None:
    """Celery beat's alternative to cron running `manage.py sweep_jobs` (see ita.importers.sweep)."""
    job_sweep.sweep_stale_jobs()
    job_sweep.fail_stale_renders()
