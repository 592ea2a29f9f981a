"""Background jobs nobody will finish: end them as FAILED with a Thai reason, or send them once more (C1).

A job can be left PLANNING, QUEUED or APPLYING with no task left to move it on: the web process
that ran it in-process (no broker) was killed; the broker lost the message; the worker's host died
and Redis hands the message back only after its visibility timeout; or the hard time limit ended
the task (Celery acknowledges those, so they are not re-delivered).

`updated_at` is the job's heartbeat: confirming, claiming and every progress save touch it.

- Waiting (QUEUED, or PLANNING not yet picked up) for WAIT_LIMIT: the task is sent once more (safe:
  the task claims the job under a lock and does nothing if it has moved on); still waiting after
  another WAIT_LIMIT: FAILED.
- Running (PLANNING started, APPLYING) with no heartbeat for RUN_LIMIT, which is longer than the hard
  time limit, so no live worker can still be on it: FAILED. Nothing was written: the write is one
  transaction, and a late commit is refused because the job has left APPLYING.
- On PostgreSQL, a row locked by a live write is skipped, never waited for.

`manage.py sweep_jobs` runs the sweep (cron every 5 minutes, or Celery beat; see ita.sweeps). The job
pages never write: they show a job as the sweep would leave it (`as_swept`), so a job that no worker
will finish shows as failed before the sweep has recorded it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ita.importers import jobs as import_jobs
from ita.models import ImportJob

Status = ImportJob.Status
WAIT_LIMIT = datetime.timedelta(minutes=30)
RUN_LIMIT = import_jobs.PHASE_HARD_LIMIT + datetime.timedelta(minutes=5)
REQUEUE, FAIL = "requeue", "fail"
STALLED_MESSAGE = "งานนี้ค้างอยู่นานเกินกำหนด เพราะระบบประมวลผลเบื้องหลังหยุดทำงานกลางคัน ไม่ได้บันทึกข้อมูลใด ๆ กรุณานำเข้าใหม่อีกครั้ง"
NEVER_STARTED_MESSAGE = (
    "ระบบประมวลผลเบื้องหลังไม่ได้เริ่มงานนี้ภายในเวลาที่กำหนด แม้ส่งงานซ้ำแล้ว ไม่ได้บันทึกข้อมูลใด ๆ กรุณานำเข้าใหม่อีกครั้ง หรือแจ้งผู้ดูแลระบบ"
)


@dataclass
class SweepResult:
    """The ids of the jobs sent again and of those marked FAILED."""

    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.requeued or self.failed)


def verdict(job: ImportJob, now: datetime.datetime) -> str | None:
    """REQUEUE, FAIL, or None while the job may still be moving (a pure function of the row and the time)."""
    if job.status not in ImportJob.RUNNING:
        return None
    silent_for = now - job.updated_at
    if not _waiting(job):
        return FAIL if silent_for >= RUN_LIMIT else None
    if silent_for < WAIT_LIMIT:
        return None
    return FAIL if job.preview.get("requeued") else REQUEUE


def _waiting(job: ImportJob) -> bool:
    """Confirmed or uploaded, but no worker has picked the task up yet."""
    return job.status == Status.QUEUED or (job.status == Status.PLANNING and job.started_at is None)


def sweep_stale_jobs(*, now: datetime.datetime | None = None, pk: int | None = None) -> SweepResult:
    """Send again or fail every import job that is stuck (only job `pk` when given)."""
    now = now or timezone.now()
    result = SweepResult()
    candidates = ImportJob.objects.filter(
        status__in=ImportJob.RUNNING, updated_at__lte=now - min(WAIT_LIMIT, RUN_LIMIT)
    )
    if pk is not None:
        candidates = candidates.filter(pk=pk)
    with transaction.atomic():
        # skip_locked: a row being written by a live worker is alive by definition.
        jobs = candidates.select_for_update(skip_locked=True).defer("content").order_by("pk")
        for job in jobs:
            action = verdict(job, now)
            if action == REQUEUE:
                _requeue(job, now)
                result.requeued.append(job.pk)
            elif action == FAIL:
                _fail(job, now)
                result.failed.append(job.pk)
    return result


def as_swept(job: ImportJob, *, now: datetime.datetime | None = None) -> ImportJob:
    """For the job pages: the job as the sweep would leave it, computed from the row; nothing is written.

    A job the sweep would fail reads as FAILED with the sweep's Thai reason. A job it would send again
    still reads as waiting: sending is the sweep's (manage.py sweep_jobs, or beat), not a page's.
    """
    now = now or timezone.now()
    if verdict(job, now) != FAIL:
        return job  # the usual case costs no query
    job.message = NEVER_STARTED_MESSAGE if _waiting(job) else STALLED_MESSAGE
    job.status, job.finished_at = Status.FAILED, now
    return job


def _requeue(job: ImportJob, now: datetime.datetime) -> None:
    ImportJob.objects.filter(pk=job.pk).update(preview={**job.preview, "requeued": 1}, updated_at=now)
    import_jobs.send_again(job)


def _fail(job: ImportJob, now: datetime.datetime) -> None:
    message = NEVER_STARTED_MESSAGE if _waiting(job) else STALLED_MESSAGE
    ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=Status.FAILED, message=message, finished_at=now, updated_at=now, content=b""
    )
