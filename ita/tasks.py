"""Celery tasks of the ITA core: ids in, one workflow call (ita.import_jobs), enqueued after commit."""

from celery import shared_task

from ita import import_jobs


@shared_task(name="ita.plan_import_job")
def plan_import_job(job_id: int) -> None:
    """Read and check an uploaded import and store its preview."""
    import_jobs.plan_job(job_id)


@shared_task(name="ita.apply_import_job")
def apply_import_job(job_id: int) -> None:
    """Write a confirmed import (checked again first)."""
    import_jobs.apply_job(job_id)
