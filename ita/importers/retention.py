"""How long import uploads are kept, and how much one user or organisation may upload (SECURITY.md B5).

- A refused, failed or cancelled job never reads its upload again: its bytes are dropped when it
  ends (ita.importers.jobs), and `purge_imports` drops any such bytes still stored (jobs ended
  before this rule, or by a path that bypassed it).
- IMPORT_RETENTION_DAYS after a job ends, its upload, its error list and what its preview copied
  from the file (sample changes, pasted lines) are deleted; the job row stays as the record, with
  its counts, filename, SHA-256 and size, and `purged_at` says when. The written scores keep their
  own history (ImportBatch, ScoreRevision).
- Quotas: the bytes a user, and an organisation, uploaded in the last QUOTA_WINDOW, this upload
  included, may not pass IMPORT_QUOTA_USER_BYTES and IMPORT_QUOTA_ORG_BYTES. Every upload counts,
  refused ones too: each costs a check of the whole file. Two uploads at the same instant may both
  pass; the quota is a brake on volume, not a ledger.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils import timezone

from ita.models import ImportJob, Organization
from ita.thai import format_number

logger = logging.getLogger(__name__)

QUOTA_WINDOW = datetime.timedelta(hours=24)
PURGE_BATCH = 500
# What a purged preview keeps: the counts, and the links to the assessments a finished import wrote.
PREVIEW_KEPT = (
    "rows", "organizations_new", "assessments_to_create", "assessments_to_change",
    "values_created", "values_changed", "values_unchanged", "assessments", "assessments_total",
)  # fmt: skip
USER_QUOTA_MESSAGE = (
    "วันนี้คุณอัปโหลดไฟล์นำเข้าไปแล้ว {used} MB จากที่อนุญาต {limit} MB ต่อ ๒๔ ชั่วโมง "
    "ไฟล์นี้ ({size} MB) จึงยังนำเข้าไม่ได้ กรุณารอแล้วลองใหม่ หรือแจ้งผู้ดูแลระบบ"
)
ORG_QUOTA_MESSAGE = (
    "หน่วยงานของคุณอัปโหลดไฟล์นำเข้าไปแล้ว {used} MB จากที่อนุญาต {limit} MB ต่อ ๒๔ ชั่วโมง "
    "ไฟล์นี้ ({size} MB) จึงยังนำเข้าไม่ได้ กรุณารอแล้วลองใหม่ หรือแจ้งผู้ดูแลระบบ"
)


class QuotaExceeded(Exception):
    """An upload would pass a quota; str() is a Thai message for the user."""


def _megabytes(size: int) -> str:
    return format_number(f"{size / (1024 * 1024):,.1f}".removesuffix(".0"))


def check_quota(*, user, organization: Organization | None, size: int, now: datetime.datetime | None = None) -> None:
    """Raise QuotaExceeded if `size` more bytes would pass the user's or the organisation's quota."""
    since = (now or timezone.now()) - QUOTA_WINDOW
    recent = ImportJob.objects.filter(created_at__gt=since).order_by()
    checks = [(settings.IMPORT_QUOTA_USER_BYTES, recent.filter(created_by=user), USER_QUOTA_MESSAGE)]
    if organization is not None:
        checks.append((settings.IMPORT_QUOTA_ORG_BYTES, recent.filter(organization=organization), ORG_QUOTA_MESSAGE))
    for limit, jobs, message in checks:
        if not limit:
            continue
        used = jobs.aggregate(used=Sum("size"))["used"] or 0
        if used + size > limit:
            raise QuotaExceeded(message.format(used=_megabytes(used), limit=_megabytes(limit), size=_megabytes(size)))


def drop_refused_uploads() -> int:
    """Empty the stored bytes of every refused, failed or cancelled job that still holds them."""
    holding = ImportJob.objects.filter(status__in=ImportJob.REFUSED).alias(stored=Length("content"))
    return holding.filter(stored__gt=0).update(content=b"")


def purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the upload, errors and file-derived preview of jobs ended IMPORT_RETENTION_DAYS ago; how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.IMPORT_RETENTION_DAYS)
    expired = ImportJob.objects.filter(status__in=ImportJob.ENDED, finished_at__lte=cutoff, purged_at__isnull=True)
    purged = 0
    while batch := list(expired.order_by("pk").only("pk", "preview")[:PURGE_BATCH]):
        for job in batch:
            preview = {key: value for key, value in job.preview.items() if key in PREVIEW_KEPT}
            # errors_total stays: the page can still say how many errors the file had.
            ImportJob.objects.filter(pk=job.pk).update(content=b"", errors=[], preview=preview, purged_at=now)
        purged += len(batch)
    return purged


def purge_imports(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Both rules above, as counts by what was done."""
    counts = {"refused uploads dropped": drop_refused_uploads(), "import jobs purged": purge_expired(now=now)}
    logger.info("import retention: %s", counts)
    return counts


@shared_task(name="ita.purge_imports")
def purge_imports_task() -> None:
    """Celery beat runs the retention daily (ita.settings.CELERY_BEAT_SCHEDULE)."""
    purge_imports()
