"""From a plan to a stored PDF: which document to (re)use, the task bodies that render them, and the tasks.

A GET only looks: `find_document` finds the stored render by `fingerprint`, a hash of the stored
rows the document prints (reports.documents.sources), so looking costs no grading and writes
nothing. A POST asks: `request_document` builds the document's context once and records a render,
or starts a failed or lost one again. The PDF itself is made by `render_document` /
`render_published`, which the thin Celery tasks at the end of this module call after commit. Both
are idempotent: running one twice, or after the work is done, changes nothing.

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
import json
import logging
from datetime import timedelta

import segno
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita import audit
from ita.thai import thai_date
from measures.followup import default_round, round_end
from measures.models import MeasurePlan
from reports.documents.followup import followup_document_context
from reports.documents.measures import measures_document_context
from reports.documents.printable import describe, unprintable_fields
from reports.documents.sources import document_sources
from reports.models import (
    DocumentKind,
    PublishedVersion,
    RenderedDocument,
    RenderStatus,
    sha256_hex,
)
from reports.pdf.available import render_pdf
from reports.pdf.errors import DocumentTooComplex

logger = logging.getLogger(__name__)

# Bump when a template change, or a code change to what a document prints from the same stored rows
# (a wording in reports/documents, the analysis texts), should make every stored document render again.
LAYOUT_VERSION = 3
TEMPLATES = {
    DocumentKind.MEASURES: "reports/documents/measures.html",
    DocumentKind.FOLLOWUP: "reports/documents/followup.html",
}
# A render still pending after this long was lost (worker killed twice, broker flushed): say so.
STALE_AFTER = timedelta(minutes=10)

MESSAGE_STALE = _("การจัดทำเอกสารใช้เวลานานผิดปกติ กรุณากดจัดทำใหม่อีกครั้ง")
MESSAGE_TIME_LIMIT = _("การจัดทำเอกสารใช้เวลานานเกินกำหนด เอกสารอาจยาวหรือซับซ้อนเกินไป")
MESSAGE_OUTDATED = _("มาตรการมีการแก้ไขหลังจากจัดทำเอกสารครั้งก่อน จึงต้องจัดทำเอกสารใหม่ให้ตรงกับข้อมูลล่าสุด")
MESSAGE_UNPRINTABLE = _(
    "ข้อความบางส่วนมีตัวอักษรที่ฟอนต์ของเอกสารพิมพ์ไม่ได้ (เช่น อีโมจิ) ซึ่งจะปรากฏเป็นกล่องว่างในเอกสาร "
    "กรุณาแก้ไขข้อความตามรายการด้านล่างก่อนจัดทำเอกสาร"
)
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


def fingerprint(plan: MeasurePlan, *, kind: str, digits: str, options: dict) -> str:
    """What a stored render is found by: the hash of the stored rows it prints, its options and the layout.

    Read from stored rows only (a fixed number of queries, no grading), so a GET can afford it.
    """
    data = {
        "layout": LAYOUT_VERSION,
        "kind": kind,
        "digits": digits,
        "options": options,
        "sources": document_sources(plan.pk, kind),
    }
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256_hex(text.encode())


DATA_ATTACHMENT = "measures-data.json"


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


def find_document(plan: MeasurePlan, *, kind: str, digits: str, key: str) -> RenderedDocument | None:
    """The stored render of this document under `key` (its context left unread), or None. Reads only."""
    queryset = RenderedDocument.objects.filter(plan=plan, kind=kind, digits=digits, fingerprint=key)
    return queryset.defer("context").first()


def shown_status(document: RenderedDocument, *, now: datetime.datetime | None = None) -> tuple[str, str]:
    """(status, message) as a page shows a render: one pending past STALE_AFTER was lost and reads as failed.

    Nothing is written here; the sweep (`fail_stale_renders`) records it, and a request starts it again.
    """
    now = now or timezone.now()
    if document.status == RenderStatus.PENDING and now - document.created_at > STALE_AFTER:
        return RenderStatus.FAILED, str(MESSAGE_STALE)
    return document.status, document.message


def missing_reason(plan: MeasurePlan, *, kind: str, digits: str) -> str:
    """Why no render fits the plan as stored now: it changed since the last one (said), or none was asked for ("")."""
    earlier = RenderedDocument.objects.filter(plan=plan, kind=kind, digits=digits).exists()
    return str(MESSAGE_OUTDATED) if earlier else ""


class UnprintableText(Exception):
    """The document would print empty boxes; ``problems`` name each field and character (Thai)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(MESSAGE_UNPRINTABLE)
        self.problems = problems


def check_printable(context: dict) -> None:
    """Raise ``UnprintableText`` if any field of the context holds a character the document font cannot draw."""
    problems = unprintable_fields(context)
    if problems:
        raise UnprintableText(describe(problems))


def request_document(
    *, plan: MeasurePlan, kind: str, digits: str = "thai", options: dict | None = None
) -> RenderedDocument | None:
    """Start (after commit) a render of this document as the plan is stored now, unless one is done or under way.

    A failed or lost render is started again. None when the plan changed while its context was read:
    nothing is recorded then, since neither key would describe that context for sure. Raises
    ``UnprintableText`` (nothing recorded) when the text holds characters the font cannot draw.
    """
    options = options or {}
    key = fingerprint(plan, kind=kind, digits=digits, options=options)
    found = find_document(plan, kind=kind, digits=digits, key=key)
    if found is not None and shown_status(found)[0] != RenderStatus.FAILED:
        return found
    context = document_context(plan, kind=kind, digits=digits, options=options)
    check_printable(context)
    # Read again: an edit committed between the key and the context would file that context under the wrong key.
    if fingerprint(plan, kind=kind, digits=digits, options=options) != key:
        return None
    return _record_render(plan, kind=kind, digits=digits, options=options, key=key, context=context)


def _record_render(
    plan: MeasurePlan, *, kind: str, digits: str, options: dict, key: str, context: dict
) -> RenderedDocument:
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
        else:
            _restart(document.pk, context)
    document.refresh_from_db()
    return document


def _restart(document_id: int, context: dict) -> None:
    """Start a failed or lost render again from a freshly read context (after commit)."""
    now = timezone.now()
    lost = Q(status=RenderStatus.PENDING, created_at__lt=now - STALE_AFTER)
    restarted = RenderedDocument.objects.filter(Q(status=RenderStatus.FAILED) | lost, pk=document_id).update(
        status=RenderStatus.PENDING, message="", context=context, created_at=now, finished_at=None
    )
    if restarted:
        enqueue_document_render(document_id)


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


def _render(kind: str, context: dict, verification: dict | None = None, **pdf_options) -> tuple[bytes | None, str]:
    """(pdf, "") or (None, Thai reason)."""
    try:
        return render_pdf(document_html(kind, context, verification=verification), **pdf_options), ""
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
    # The archival copy (PDF/A-3u) carries the frozen data it was printed from, whose SHA-256 it prints.
    data = (
        DATA_ATTACHMENT,
        version.canonical_data,
        gettext("ข้อมูลที่ใช้จัดทำเอกสารฉบับเผยแพร่นี้ (JSON) SHA-256 %(sha)s") % {"sha": version.data_sha256},
    )
    pdf, reason = _render(
        DocumentKind.MEASURES, version.context, verification_block(version), archival=True, attachments=[data]
    )
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
