"""Import jobs: an upload is stored, planned into a preview, then confirmed and applied, in the background.

The pages read everything from ImportJob, so the two phases can run in a Celery worker or, with no
broker configured, synchronously in the request (C3). Tasks are enqueued after commit (C2).

Decisions:
- apply_job never trusts the stored preview: it re-reads and re-plans the stored upload, and a plan
  that has errors by then (the database changed) turns the job INVALID with those errors.
- The apply and the job's DONE mark are one transaction: a worker killed halfway leaves neither,
  and the redelivered task (acks_late) starts again from a clean state. A job found APPLYING when
  its task arrives was interrupted; it is retried once, then marked FAILED (C1). Planning is
  read-only and is retried the same way.
- While a job is written, its row is locked (SELECT … FOR UPDATE) until the transaction ends, so
  a second delivery of the same task that finds the row locked knows a live worker holds it and
  leaves it alone; a lost worker's lock goes with its connection. (SQLite has no row locks; there
  the attempt counter alone decides.)
- Each phase has a soft and a hard time limit (PHASE_SOFT_LIMIT, PHASE_HARD_LIMIT). The soft one
  ends the job FAILED with TIME_LIMIT_MESSAGE; after the hard one no worker can still be on the
  job, which is what ita.importers.sweep relies on to fail jobs nobody will ever finish.
- The number of attempts lives in the job's preview JSON ("plan_attempts", "apply_attempts"):
  ImportJob has no column for it, and the preview is rewritten whenever the job is planned.
- Progress is saved at most once a second with a filtered update(); the same numbers go to the
  cache because writes made inside the apply transaction stay invisible to the page until commit.
- Claiming a confirmed job takes its row lock without waiting (SKIP LOCKED). A row locked while the
  job is still QUEUED is held by a short transaction (the sweep, another delivery), not by a write:
  the task is retried with backoff (CLAIM_BACKOFF), and its last attempt (or the only one when
  tasks run in the request) waits for the lock up to CLAIM_LOCK_WAIT, so a confirmed job is not
  left QUEUED for the sweep's half hour. Only a lock held past all of that is left to the sweep.
- Errors are capped (ita.importers.errorlog): the first ERRORS_KEPT are stored, errors_total counts all.
- A job that ends refused, failed or cancelled never reads its upload again: its bytes are dropped
  in the same update (ita.importers.retention keeps the rest of the lifecycle and the quotas).
- Pasted text becomes a long-format table (organisation, year, what, score) for the same planner,
  so a paste is checked exactly like a file; its errors name the pasted line instead of a row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from ita import policy
from ita.importers.load import ImportPlan, ImportRefused, apply_import, plan_import
from ita.importers.parse import CellError, ParseError, read_table
from ita.importers.paste import PasteResult, parse_pasted
from ita.importers.retention import check_quota
from ita.models import Framework, ImportJob, Indicator, Organization
from ita.thai import format_number, round_score

logger = logging.getLogger(__name__)

Status = ImportJob.Status
PROGRESS_INTERVAL = 1.0  # seconds between two progress saves
MAX_ATTEMPTS = 2  # for each phase: the first delivery, and one retry after a lost worker
# Generous: a national file (~8,000 organisations) plans and writes in a few minutes. The broker's
# visibility timeout (Redis: 1 hour by default) must stay above the hard limit, or a long job is
# delivered twice.
PHASE_SOFT_LIMIT = timedelta(minutes=20)
PHASE_HARD_LIMIT = timedelta(minutes=25)
# Claiming a QUEUED job whose row is locked: retried after 1, 2, 4, 8 and 16 s, then one attempt that waits.
CLAIM_BACKOFF = (1, 2, 4, 8, 16)
CLAIM_LOCK_WAIT = "60s"  # PostgreSQL lock_timeout of the attempt that waits
NEW_ORGANIZATIONS_SHOWN = 200
ASSESSMENTS_KEPT = 100
PASTE_FILENAME = "ข้อความที่วาง"
PASTE_HEADER = ["รหัสหน่วยงาน", "ปีงบประมาณ", "รายการ", "คะแนน"]
FAILED_MESSAGE = "เกิดข้อผิดพลาดภายในระบบระหว่างนำเข้า ไม่ได้บันทึกข้อมูลใด ๆ กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ"
INTERRUPTED_MESSAGE = "การบันทึกถูกขัดจังหวะซ้ำ (ระบบประมวลผลหยุดทำงาน) ไม่ได้บันทึกข้อมูลใด ๆ กรุณานำเข้าใหม่อีกครั้ง"
PLAN_INTERRUPTED_MESSAGE = "การตรวจไฟล์ถูกขัดจังหวะซ้ำ (ระบบประมวลผลหยุดทำงาน) ไฟล์อาจใหญ่หรือซับซ้อนเกินไป กรุณาแบ่งไฟล์แล้วนำเข้าใหม่"
CHANGED_MESSAGE = "ข้อมูลในระบบเปลี่ยนไปหลังจากแสดงตัวอย่าง และตรวจพบข้อผิดพลาดด้านล่าง จึงยังไม่ได้บันทึกข้อมูลใด ๆ"
TIME_LIMIT_MESSAGE = "การนำเข้าใช้เวลานานเกินกำหนด ไม่ได้บันทึกข้อมูลใด ๆ กรุณาแบ่งไฟล์เป็นส่วนที่เล็กลงแล้วนำเข้าใหม่"
NOTHING_PASTED = "ไม่พบคะแนนในข้อความที่วาง (ต้องมีชื่อหรือหมายเลขตัวชี้วัด รหัสข้อ หรือเครื่องมือ ตามด้วยคะแนน)"


# --- starting and confirming --------------------------------------------------------------------


def start_import(
    *,
    user,
    filename: str,
    content: bytes,
    kind: str = ImportJob.Kind.FILE,
    organization: Organization | None = None,
    fiscal_year: int | None = None,
    create_orgs: bool = False,
) -> ImportJob:
    """Store the upload and enqueue its planning; only administrators may import without an organisation.

    QuotaExceeded (Thai) when the upload would pass the user's or the organisation's daily quota.
    """
    if not policy.may_import_nationally(user):
        if organization is None:
            raise PermissionDenied("a staff import needs the user's own organisation")
        if not policy.can(user, policy.Action.IMPORT, organization):
            raise PermissionDenied("staff import into their own organisation only")
        create_orgs = False  # creating organisations is for administrators only
    if kind == ImportJob.Kind.PASTE and (organization is None or fiscal_year is None):
        raise ValueError("pasted text needs an organisation and a fiscal year")
    check_quota(user=user, organization=organization, size=len(content))
    job = ImportJob.objects.create(
        kind=kind,
        created_by=user,
        organization=organization,
        fiscal_year=fiscal_year,
        create_orgs=create_orgs,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        size=len(content),
        status=Status.PLANNING,
    )
    _enqueue(plan_import_job, job.pk)
    return job


def confirm_import(*, job: ImportJob, user) -> bool:
    """PREVIEW → QUEUED and enqueue the apply; False (and nothing done) when the job was not waiting."""
    if not job.may_be_confirmed_by(user):
        raise PermissionDenied("only the creator of an import may confirm it")
    now = timezone.now()
    moved = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).update(
        status=Status.QUEUED, rows_done=0, started_at=None, updated_at=now
    )
    if moved:
        _enqueue(apply_import_job, job.pk)
    return bool(moved)


def cancel_import(*, job: ImportJob, user) -> bool:
    """PREVIEW → CANCELLED; False when the job was no longer waiting for confirmation."""
    if not job.may_be_confirmed_by(user):
        raise PermissionDenied("only the creator of an import may cancel it")
    now = timezone.now()
    moved = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).update(
        status=Status.CANCELLED, finished_at=now, updated_at=now, content=b""
    )
    return bool(moved)


def send_again(job: ImportJob) -> None:
    """Enqueue the task of the job's current phase once more (after commit); the task decides if work is left."""
    _enqueue(plan_import_job if job.status == Status.PLANNING else apply_import_job, job.pk)


def _enqueue(task, job_id: int) -> None:
    # A task sent before commit could run before the job row exists, or for a job that is rolled back.
    transaction.on_commit(lambda: task.delay(job_id))


# --- phase 1: plan ------------------------------------------------------------------------------


def plan_job(job_id: int) -> None:
    """Read and check a PLANNING job's upload, then store its preview (PREVIEW) or every error (INVALID)."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.PLANNING).first()
    if job is None:
        return  # a re-delivered task for a job that has moved on
    # A worker killed while reading a hostile file would otherwise get the same file again forever.
    attempts = int(job.preview.get("plan_attempts", 0)) + 1
    if attempts > MAX_ATTEMPTS:
        _finish(job.pk, Status.FAILED, Status.PLANNING, message=PLAN_INTERRUPTED_MESSAGE)
        return
    _mark_started(job.pk, preview={"plan_attempts": attempts})
    try:
        plan, pasted = read_and_plan(job, progress=ProgressSaver(job.pk))
    except ParseError as error:
        _finish(job.pk, Status.INVALID, Status.PLANNING, errors=[_parse_error(error)], errors_total=1)
        return
    except SoftTimeLimitExceeded:
        _finish(job.pk, Status.FAILED, Status.PLANNING, message=TIME_LIMIT_MESSAGE)
        return
    except Exception:
        logger.exception("planning import job %s failed", job_id)
        _finish(job.pk, Status.FAILED, Status.PLANNING, message=FAILED_MESSAGE)
        return
    errors = error_rows(plan.errors, pasted)
    if pasted is not None and not pasted.result.entries:
        errors.insert(0, {"row": 0, "column": 0, "value": "", "message": NOTHING_PASTED})
    total = plan.errors_total + len(errors) - len(plan.errors)
    status = Status.INVALID if errors else Status.PREVIEW
    fields = {"preview": preview_of(plan, pasted), "errors": errors, "errors_total": total, "rows_done": plan.rows}
    _finish(job.pk, status, Status.PLANNING, **fields)


# --- phase 2: apply -----------------------------------------------------------------------------


def apply_job(job_id: int, *, wait: bool = False) -> None:
    """Re-read and re-plan a confirmed job's upload and write it in one transaction: DONE, INVALID or FAILED.

    ClaimBusy when the job is QUEUED but its row is locked, unless `wait` (see _lock_for_claim).
    """
    job = _claim_for_apply(job_id, wait=wait)
    if job is None:
        return
    try:
        plan, pasted = read_and_plan(job, progress=ProgressSaver(job.pk, start=0.0, share=0.5))
        errors = error_rows(plan.errors, pasted)
        if errors:
            fields = {"preview": preview_of(plan, pasted), "errors": errors, "errors_total": plan.errors_total}
            fields["message"] = CHANGED_MESSAGE
            _finish(job.pk, Status.INVALID, Status.APPLYING, **fields)
            return
        with transaction.atomic():
            if not _lock_while_writing(job.pk):
                raise _Superseded
            progress = ProgressSaver(job.pk, start=0.5, share=0.5)
            batch = apply_import(plan, user=job.created_by, progress=progress)
            kept = [[code, year] for code, year in list(plan.entries)[:ASSESSMENTS_KEPT]]
            done = preview_of(plan, pasted) | {
                "assessments": kept,
                "assessments_total": len(plan.entries),
                "apply_attempts": job.preview["apply_attempts"],  # 2: written after a lost worker
            }
            if not _finish(job.pk, Status.DONE, Status.APPLYING, batch=batch, preview=done, rows_done=plan.rows):
                raise _Superseded  # another delivery of this task finished first: undo this copy's writes
    except _Superseded:
        return
    except (ParseError, ImportRefused) as error:
        _finish(job.pk, Status.FAILED, Status.APPLYING, message=str(error))
    except SoftTimeLimitExceeded:
        _finish(job.pk, Status.FAILED, Status.APPLYING, message=TIME_LIMIT_MESSAGE)
    except Exception:
        logger.exception("applying import job %s failed", job_id)
        _finish(job.pk, Status.FAILED, Status.APPLYING, message=FAILED_MESSAGE)


def _lock_while_writing(job_id: int) -> bool:
    """Lock the job row for the rest of the write transaction; False when the job has left APPLYING."""
    locked = ImportJob.objects.select_for_update().filter(pk=job_id, status=Status.APPLYING)
    return locked.values_list("pk", flat=True).first() is not None


class _Superseded(Exception):
    """The job left APPLYING while this task was writing; its transaction is rolled back."""


class ClaimBusy(Exception):
    """A QUEUED job's row is locked by someone else's short transaction: try the claim again later."""


def _lock_for_claim(job_id: int, *, wait: bool) -> ImportJob | None:
    """The job, its row locked for this transaction; None when a live write holds it (or it is gone).

    A locked row whose committed status is QUEUED is not being written (a write locks only APPLYING
    rows): ClaimBusy, or with `wait` the lock is waited for up to CLAIM_LOCK_WAIT.
    """
    rows = ImportJob.objects.filter(pk=job_id)
    job = rows.select_for_update(skip_locked=True).first()
    if job is not None or rows.filter(status=Status.QUEUED).values_list("pk").first() is None:
        return job
    if not wait:
        raise ClaimBusy(job_id)
    try:
        with transaction.atomic():  # a savepoint: a lock timeout must not end the outer transaction
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{CLAIM_LOCK_WAIT}'")
            return rows.select_for_update().first()
    except OperationalError:
        logger.warning("import job %s: its row stayed locked for %s; left to the sweep", job_id, CLAIM_LOCK_WAIT)
        return None


def _claim_for_apply(job_id: int, *, wait: bool = False) -> ImportJob | None:
    """Move a QUEUED job (or one left APPLYING by a lost worker, once) to APPLYING; None when nothing to do."""
    with transaction.atomic():
        # A locked APPLYING row is being written by a live worker (see _lock_while_writing): not ours to retry.
        job = _lock_for_claim(job_id, wait=wait)
        if job is None or job.status not in (Status.QUEUED, Status.APPLYING):
            return None  # DONE, INVALID, FAILED, CANCELLED: a re-delivered task has nothing left to do
        attempts = 1 if job.status == Status.QUEUED else int(job.preview.get("apply_attempts", 1)) + 1
        now = timezone.now()
        if attempts > MAX_ATTEMPTS:
            job.status, job.message, job.finished_at = Status.FAILED, INTERRUPTED_MESSAGE, now
            job.content = b""  # a failed job never reads its upload again
            job.save(update_fields=["status", "message", "finished_at", "content", "updated_at"])
            return None
        job.preview = {**job.preview, "apply_attempts": attempts}
        job.status, job.started_at, job.rows_done = Status.APPLYING, now, 0
        job.save(update_fields=["preview", "status", "started_at", "rows_done", "updated_at"])
    cache.delete(_progress_key(job.pk))
    return job


# --- reading and planning the stored upload ------------------------------------------------------


@dataclass
class Pasted:
    """What the paste parser understood, and which pasted line each row of the built table came from."""

    result: PasteResult
    lines: list[int] = field(default_factory=list)


def read_and_plan(job: ImportJob, *, progress=None) -> tuple[ImportPlan, Pasted | None]:
    """The plan of the job's stored upload, scoped to its organisation; ParseError for an unreadable file."""
    pasted = None
    if job.kind == ImportJob.Kind.PASTE:
        data, pasted = _paste_as_csv(job)
        table = read_table(data, "paste.csv")
    else:
        table = read_table(bytes(job.content), job.filename)
    plan = plan_import(
        table,
        filename=job.filename,
        sha256=job.sha256,
        user=job.created_by,
        create_orgs=job.create_orgs,
        only_organization=job.organization,
        progress=progress,
    )
    return plan, pasted


def _paste_as_csv(job: ImportJob) -> tuple[bytes, Pasted]:
    """Pasted text → a long-format CSV of (organisation, year, what, score), one row per recognised value."""
    text = bytes(job.content).decode("utf-8")
    indicators = Indicator.objects.filter(
        framework__fiscal_year=job.fiscal_year, framework__source=Framework.Source.NACC_ITAS
    )
    names = dict(indicators.order_by("number").values_list("number", "name"))
    pasted = Pasted(result=parse_pasted(text, names or None))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PASTE_HEADER)
    for entry in pasted.result.entries:
        writer.writerow([job.organization.code, str(job.fiscal_year), _paste_what(entry.kind, entry.code), entry.value])
        pasted.lines.append(entry.line_number)
    return out.getvalue().encode("utf-8"), pasted


def _paste_what(kind: str, code: str | None) -> str:
    """How the long format names a pasted value (see importers.columns.parse_what)."""
    if kind == "indicator":
        return f"ตัวชี้วัดที่ {code}"
    if kind == "overall":
        return "คะแนนรวม"
    if kind == "level":
        return "ระดับ"
    return code or ""


def _parse_error(error: ParseError) -> dict:
    return {"row": error.row or 0, "column": error.column or 0, "value": "", "message": str(error)}


def error_rows(errors: list[CellError], pasted: Pasted | None = None) -> list[dict]:
    """Errors as JSON rows; for pasted text the row becomes the pasted line and the column is dropped."""
    rows = []
    for error in errors:
        row = {"row": error.row, "column": error.column, "value": error.value, "message": error.message}
        if pasted is not None and 2 <= error.row < len(pasted.lines) + 2:
            line = pasted.lines[error.row - 2]
            # The planner names a row and column of the table built from the paste, which the user never saw.
            _place, sep, reason = error.message.partition(": ")
            row.update(row=line, column=0, message=f"บรรทัดที่ {format_number(line)}: {reason if sep else error.message}")
        rows.append(row)
    return rows


# --- the preview as plain JSON --------------------------------------------------------------------


def _plain(value: Decimal | str | None) -> str | None:
    if value is None:
        return None
    return format(round_score(value), "f") if isinstance(value, Decimal) else str(value)


def value_name(kind: str, code: str | None) -> str:
    """A value's name as users read it: คะแนนรวม, ระดับ, IIT, ตัวชี้วัดที่ ๗, ข้อ o27 (as the importer's messages)."""
    if kind in ("official", "overall", "level"):
        return "ระดับ" if "level" in (kind, code) else "คะแนนรวม"
    if kind == "indicator":
        return f"ตัวชี้วัดที่ {format_number(code or '')}"
    if kind == "item":
        return f"ข้อ {code or ''}"
    return code or ""


def preview_of(plan: ImportPlan, pasted: Pasted | None = None) -> dict:
    """Counts, new organisations, a sample of changes old → new, and (for a paste) what was understood."""
    new_orgs = list(plan.new_organizations.values())
    changes = [
        {
            "org_code": change.org_code,
            "fiscal_year": change.fiscal_year,
            "label": value_name(*change.key),
            "old": _plain(change.old),
            "new": _plain(change.new),
        }
        for change in plan.changes
    ]
    preview = {
        "rows": plan.rows,
        "organizations_new": len(new_orgs),
        "new_organizations": [
            {"code": o.code, "name": o.name, "province": o.province, "district": o.district}
            for o in new_orgs[:NEW_ORGANIZATIONS_SHOWN]
        ],
        "assessments_to_create": plan.assessments_to_create,
        "assessments_to_change": plan.assessments_to_change,
        "values_created": plan.values_created,
        "values_changed": plan.values_changed,
        "values_unchanged": plan.values_unchanged,
        "changes": changes,
        "sampled": plan.values_created + plan.values_changed > len(changes),
    }
    if pasted is not None:
        preview["understood"] = [
            {"line": e.line_number, "label": value_name(e.kind, e.code), "value": _plain(e.value)}
            for e in pasted.result.entries
        ]
        preview["unrecognised"] = [
            {"line": u.line_number, "text": u.text[:200], "reason": u.reason} for u in pasted.result.unrecognised
        ]
    return preview


# --- progress -------------------------------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"ita:import-job:{job_id}:progress"


class ProgressSaver:
    """A plan/apply progress callback that records rows done at most once per PROGRESS_INTERVAL.

    `start` and `share` place this phase inside the job's bar: the apply job spends its first
    half checking the upload again and its second half writing.
    """

    def __init__(self, job_id: int, *, start: float = 0.0, share: float = 1.0, clock=time.monotonic) -> None:
        self.job_id, self.start, self.share = job_id, start, share
        # The clock is a parameter so tests can drive it without patching time.monotonic for every library.
        self.clock = clock
        self.last = float("-inf")

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        rows_done = round(total * self.start + done * self.share)
        cache.set(_progress_key(self.job_id), (rows_done, total), timeout=3600)
        # updated_at is the job's heartbeat for ita.importers.sweep (visible only outside the write transaction).
        ImportJob.objects.filter(pk=self.job_id).update(
            rows_done=rows_done, rows_total=total, updated_at=timezone.now()
        )


@dataclass(frozen=True)
class Progress:
    """What the progress bar shows: rows done of total, rate and the time left (None while unknown)."""

    rows_done: int
    rows_total: int
    rows_per_second: float | None
    seconds_left: int | None

    @property
    def percent(self) -> int | None:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else None


def progress_of(job: ImportJob) -> Progress:
    """The job's progress, from the cache while it runs (fresher than the row) and from the row otherwise."""
    done, total = job.rows_done, job.rows_total
    if job.status in ImportJob.RUNNING:
        cached = cache.get(_progress_key(job.pk))
        if cached and cached[0] >= done:
            done, total = cached
    rate = left = None
    if job.status in ImportJob.RUNNING and job.started_at and done:
        elapsed = (timezone.now() - job.started_at).total_seconds()
        if elapsed > 0:
            rate = done / elapsed
            left = round(max(total - done, 0) / rate)
    return Progress(done, total, rate, left)


def _mark_started(job_id: int, **fields) -> None:
    cache.delete(_progress_key(job_id))
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(started_at=now, updated_at=now, rows_done=0, rows_total=0, **fields)


def _finish(job_id: int, status: str, from_status: str, **fields) -> bool:
    """Move the job on only if it is still in from_status, so a late duplicate task cannot undo an outcome."""
    now = timezone.now()
    fields.update(status=status, finished_at=now, updated_at=now)
    if status in ImportJob.REFUSED:
        fields["content"] = b""  # never read again (ita.importers.retention)
    moved = ImportJob.objects.filter(pk=job_id, status=from_status).update(**fields)
    cache.delete(_progress_key(job_id))
    return bool(moved)


# --- the tasks (ids in, one call; ita/tasks.py re-exports them for Celery's autodiscovery) ------

# Time limits apply on a worker only; with no broker the tasks run in the request and the web
# server's own timeout bounds them.
LIMITS = {
    "soft_time_limit": int(PHASE_SOFT_LIMIT.total_seconds()),
    "time_limit": int(PHASE_HARD_LIMIT.total_seconds()),
}


@shared_task(name="ita.plan_import_job", **LIMITS)
def plan_import_job(job_id: int) -> None:
    """Read and check an uploaded import and store its preview."""
    plan_job(job_id)


@shared_task(name="ita.apply_import_job", bind=True, max_retries=len(CLAIM_BACKOFF), **LIMITS)
def apply_import_job(self, job_id: int) -> None:
    """Write a confirmed import (checked again first)."""
    retries = self.request.retries or 0
    # In the request (no broker) a retry would run at once: that single attempt waits for the lock instead.
    wait = bool(self.request.is_eager) or retries >= len(CLAIM_BACKOFF)
    try:
        apply_job(job_id, wait=wait)
    except ClaimBusy as busy:
        raise self.retry(countdown=CLAIM_BACKOFF[retries], exc=busy) from busy
