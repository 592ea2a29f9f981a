"""From a plan to a stored PDF: which document to (re)use, the task bodies that render them, and the tasks.

The web process only decides and records (`request_document`); the PDF itself is made by
`render_document` / `render_published`, which the thin Celery tasks at the end of this module call
after commit. Both are idempotent: running one twice, or after the work is done, changes nothing.

With no broker configured (CELERY_TASK_ALWAYS_EAGER) the same tasks run in-process when the
transaction commits. On a worker, `soft_time_limit` stops a runaway WeasyPrint layout and the
document is marked failed with a Thai reason; `time_limit` kills the child if even that hangs,
and acks_late + reject_on_worker_lost (settings) hand the job to another worker. Start workers
with `--max-memory-per-child` as the memory limit (reports/pdf/render.py).
"""

from __future__ import annotations

import base64
import datetime
import io
import logging
from datetime import timedelta

import segno
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita import audit
from ita.thai import thai_date
from measures.models import MeasurePlan
from reports.documents.followup import default_round, followup_document_context, round_end
from reports.documents.measures import measures_document_context
from reports.models import (
    DocumentKind,
    PublishedVersion,
    RenderedDocument,
    RenderStatus,
    canonical_json,
    sha256_hex,
)
from reports.pdf.render import DocumentTooComplex, render_pdf

logger = logging.getLogger(__name__)

# Bump when a template change should make every stored document render again.
LAYOUT_VERSION = 2
TEMPLATES = {
    DocumentKind.MEASURES: "reports/documents/measures.html",
    DocumentKind.FOLLOWUP: "reports/documents/followup.html",
}
# A render still pending after this long was lost (worker killed twice, broker flushed): say so.
STALE_AFTER = timedelta(minutes=10)

MESSAGE_STALE = _("การจัดทำเอกสารใช้เวลานานผิดปกติ กรุณากดจัดทำใหม่อีกครั้ง")
MESSAGE_TIME_LIMIT = _("การจัดทำเอกสารใช้เวลานานเกินกำหนด เอกสารอาจยาวหรือซับซ้อนเกินไป")
MESSAGE_UNEXPECTED = _("เกิดข้อผิดพลาดระหว่างจัดทำเอกสาร ผู้ดูแลระบบได้รับแจ้งแล้ว กรุณาลองใหม่ภายหลัง")


# ---------------------------------------------------------------------------------------------
# What a document prints


def followup_options(plan: MeasurePlan, *, round_months: int | None, today: datetime.date) -> dict:
    """The follow-up options as plain data: the round, and the date the report is made at (never after today)."""
    months = round_months or default_round(plan.fiscal_year, today)
    return {"round": months, "as_of": min(round_end(plan.fiscal_year, months), today).isoformat()}


def document_context(plan: MeasurePlan, *, kind: str, digits: str, options: dict) -> dict:
    """The plain-data context of one document of a plan."""
    if kind == DocumentKind.MEASURES:
        return measures_document_context(plan, digits=digits, with_answers=bool(options.get("with_answers")))
    if kind == DocumentKind.FOLLOWUP:
        as_of = datetime.date.fromisoformat(options["as_of"])
        return followup_document_context(plan, as_of=as_of, round_months=options["round"], digits=digits)
    raise ValueError(f"unknown document kind {kind!r}")


def document_html(kind: str, context: dict, *, verification: dict | None = None) -> str:
    """The HTML of a document from its plain-data context (and, for a published copy, its verification block)."""
    return render_to_string(TEMPLATES[DocumentKind(kind)], {**context, "verification": verification})


def fingerprint(*, kind: str, digits: str, context: dict) -> str:
    """What a stored render is reused by: the hash of everything it prints."""
    return sha256_hex(canonical_json({"layout": LAYOUT_VERSION, "kind": kind, "digits": digits, "context": context}))


def qr_svg_data_url(text: str) -> str:
    """A QR code of `text` as an SVG data: URL (drawn as one path, so it stays sharp in print)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, border=4, scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def public_version_url(version_id: int) -> str:
    """The absolute address of a published version's public page (printed and encoded in its QR)."""
    base = getattr(settings, "SITE_URL", "http://localhost:8000").rstrip("/")
    return base + reverse("reports:published_version", args=[version_id])


def verification_block(version: PublishedVersion) -> dict:
    """The last-page block of a published copy: where to check it, and the hash of its data."""
    url = public_version_url(version.pk)
    return {
        "url": url,
        "qr": qr_svg_data_url(url),
        "data_sha256": version.data_sha256,
        "published_at": thai_date(timezone.localdate(version.published_at)),
    }


# ---------------------------------------------------------------------------------------------
# Asking for a document (web process)


def request_document(
    *, plan: MeasurePlan, kind: str, digits: str = "thai", options: dict | None = None
) -> RenderedDocument:
    """The stored render of this document as the plan is now, starting one (after commit) when there is none."""
    options = options or {}
    context = document_context(plan, kind=kind, digits=digits, options=options)
    key = fingerprint(kind=kind, digits=digits, context=context)
    with transaction.atomic():
        document, created = RenderedDocument.objects.get_or_create(
            plan=plan,
            kind=kind,
            digits=digits,
            fingerprint=key,
            defaults={
                "options": options,
                "context": context,
                "plan_lock_version": plan.lock_version,
                "plan_updated_at": plan.updated_at,
            },
        )
        if created:
            # Older renders of the same document describe a plan that no longer exists.
            RenderedDocument.objects.filter(plan=plan, kind=kind, digits=digits).exclude(pk=document.pk).exclude(
                status=RenderStatus.PENDING
            ).delete()
            enqueue_document_render(document.pk)
        elif document.status == RenderStatus.PENDING and timezone.now() - document.created_at > STALE_AFTER:
            mark_document_failed(document.pk, str(MESSAGE_STALE))
    document.refresh_from_db()
    return document


def retry_document(document: RenderedDocument) -> None:
    """Start a failed render again (after commit)."""
    with transaction.atomic():
        restarted = RenderedDocument.objects.filter(pk=document.pk, status=RenderStatus.FAILED).update(
            status=RenderStatus.PENDING, message="", created_at=timezone.now()
        )
        if restarted:
            enqueue_document_render(document.pk)


def retry_published(version: PublishedVersion) -> None:
    """Start a failed render of a published copy again (after commit)."""
    with transaction.atomic():
        restarted = PublishedVersion.objects.filter(pk=version.pk, status=RenderStatus.FAILED, pdf__isnull=True).update(
            status=RenderStatus.PENDING, message=""
        )
        if restarted:
            enqueue_published_render(version.pk)


# ---------------------------------------------------------------------------------------------
# Rendering (task bodies)


def _render(kind: str, context: dict, verification: dict | None = None) -> tuple[bytes | None, str]:
    """(pdf, "") or (None, Thai reason)."""
    try:
        return render_pdf(document_html(kind, context, verification=verification)), ""
    except DocumentTooComplex as error:
        return None, str(error)
    except Exception:
        logger.exception("Rendering a %s document failed", kind)
        return None, str(MESSAGE_UNEXPECTED)


def render_document(document_id: int) -> None:
    """Render a stored document's PDF from its frozen context, once; failures are recorded with a Thai reason."""
    document = RenderedDocument.objects.filter(pk=document_id, status=RenderStatus.PENDING).first()
    if document is None:
        return
    pdf, reason = _render(document.kind, document.context)
    if pdf is None:
        mark_document_failed(document_id, reason)
        return
    RenderedDocument.objects.filter(pk=document_id, status=RenderStatus.PENDING).update(
        status=RenderStatus.DONE, pdf=pdf, sha256=sha256_hex(pdf), message="", finished_at=timezone.now()
    )


def mark_document_failed(document_id: int, reason: str) -> None:
    RenderedDocument.objects.filter(pk=document_id, status=RenderStatus.PENDING).update(
        status=RenderStatus.FAILED, message=reason, finished_at=timezone.now()
    )


def render_published(version_id: int) -> None:
    """Render a published copy from its frozen data and freeze the PDF with its SHA-256; a set PDF is never replaced."""
    version = PublishedVersion.objects.filter(pk=version_id, pdf__isnull=True, status=RenderStatus.PENDING).first()
    if version is None:
        return
    pdf, reason = _render(DocumentKind.MEASURES, version.context, verification_block(version))
    if pdf is None:
        mark_published_failed(version_id, reason)
        return
    # update(), not save(): the one write that sets the PDF, and only if no other run set it first.
    digest = sha256_hex(pdf)
    with transaction.atomic():
        frozen = PublishedVersion.objects.filter(pk=version_id, pdf__isnull=True).update(
            status=RenderStatus.DONE, pdf=pdf, sha256=digest, message="", rendered_at=timezone.now()
        )
        if frozen:
            audit.record(
                action="freeze_pdf",
                obj=version,
                source=audit.Source.SYSTEM,
                changes=audit.diff({}, {"sha256": digest}, labels={"sha256": "SHA-256 ของไฟล์ PDF"}),
                summary=gettext("จัดทำไฟล์ PDF ฉบับเผยแพร่แล้ว SHA-256 %(sha)s") % {"sha": digest},
            )


def mark_published_failed(version_id: int, reason: str) -> None:
    PublishedVersion.objects.filter(pk=version_id, pdf__isnull=True, status=RenderStatus.PENDING).update(
        status=RenderStatus.FAILED, message=reason
    )


def fail_stale_renders(*, now: datetime.datetime | None = None) -> int:
    """Mark renders pending for longer than STALE_AFTER as failed; how many (registered with ita.sweeps)."""
    now = now or timezone.now()
    stale = RenderedDocument.objects.filter(status=RenderStatus.PENDING, created_at__lte=now - STALE_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    for document_id in ids:
        mark_document_failed(document_id, str(MESSAGE_STALE))
    return len(ids)


# ---------------------------------------------------------------------------------------------
# The tasks (ids in, one call, after commit); reports/tasks.py re-exports them for autodiscovery.
# Their names are the ones they had in reports/tasks.py, so queued messages still find them.

SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


@shared_task(name="reports.tasks.render_document_task", soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_document_task(document_id: int) -> None:
    try:
        render_document(document_id)
    except SoftTimeLimitExceeded:
        mark_document_failed(document_id, str(MESSAGE_TIME_LIMIT))


@shared_task(name="reports.tasks.render_published_task", soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_published_task(version_id: int) -> None:
    try:
        render_published(version_id)
    except SoftTimeLimitExceeded:
        mark_published_failed(version_id, str(MESSAGE_TIME_LIMIT))


def enqueue_document_render(document_id: int) -> None:
    """Render after the current transaction commits (never, if it rolls back)."""
    transaction.on_commit(lambda: render_document_task.delay(document_id))


def enqueue_published_render(version_id: int) -> None:
    """Render a published copy after the current transaction commits (never, if it rolls back)."""
    transaction.on_commit(lambda: render_published_task.delay(version_id))
