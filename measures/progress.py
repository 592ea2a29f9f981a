"""Follow-up entries of a plan in force: record, correct and delete them, and keep files as their evidence.

Only the newest approved or published version takes entries, from its staff or an administrator
(MeasurePlan.progress_editable_by); every change writes an AuditEvent that the plan's history shows.
Attachments are PDF, PNG or JPEG as their bytes say (ita.files.sniff), at most ATTACHMENTS_PER_ENTRY
per entry and ATTACHMENT_MAX_BYTES each, within the organisation's ORG_ATTACHMENT_QUOTA_BYTES.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita import audit
from ita.files.sniff import EXTENSIONS, HEAD_BYTES, JPEG, sniff
from ita.models import Organization
from ita.thai import format_number, format_size, thai_date
from measures.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENTS_PER_ENTRY,
    Measure,
    MeasurePlan,
    PlanError,
    PlanPermissionDenied,
    PlanStateError,
    Progress,
    ProgressAttachment,
    StaleEdit,
)

EVIDENCE_SCHEMES = ("http", "https")
PROGRESS_STALE_MESSAGE = _(
    "ไม่ได้บันทึก: มีผู้อื่นแก้ไขบันทึกความก้าวหน้านี้หลังจากที่คุณเปิดหน้านี้ หน้านี้แสดงค่าล่าสุดแล้ว โปรดตรวจสอบและแก้ไขอีกครั้ง"
)
PROGRESS_DELETE_STALE_MESSAGE = _(
    "ยังไม่ได้ลบ: บันทึกความก้าวหน้านี้ถูกแก้ไขหลังจากที่คุณเปิดหน้านี้ หน้านี้แสดงค่าล่าสุดแล้ว โปรดตรวจสอบอีกครั้งก่อนยืนยัน"
)
# The extensions a file of each type may keep when downloaded under its own name.
KNOWN_EXTENSIONS = {".pdf": "application/pdf", ".png": "image/png", ".jpg": JPEG, ".jpeg": JPEG}
ATTACHMENT_FIELDS = ("original_name", "size", "content_type", "sha256")


class AttachmentRefused(PlanError):
    """An upload that cannot be kept (type, size, count or quota); str() is a Thai message."""


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose type was sniffed from its bytes and whose size is within the limit."""

    upload: UploadedFile
    name: str
    size: int
    content_type: str


def display_name(name: str) -> str:
    """The uploader's file name for display only: no folders, no control characters, at most 255 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 255:
        stem, dot, extension = base.rpartition(".")
        base = stem[: 254 - len(extension)] + dot + extension if dot and len(extension) < 10 else base[:255]
    return base or gettext("ไฟล์แนบ")


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The upload if it is a PDF, PNG or JPEG of at most ATTACHMENT_MAX_BYTES; AttachmentRefused (Thai) otherwise."""
    name = display_name(upload.name or "")
    if not upload.size:
        raise AttachmentRefused(gettext("ไฟล์ “%(name)s” ว่างเปล่า") % {"name": name})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise AttachmentRefused(
            gettext("ไฟล์ “%(name)s” มีขนาด %(size)s เกินกำหนด %(limit)s ต่อไฟล์")
            % {"name": name, "size": format_size(upload.size), "limit": format_size(ATTACHMENT_MAX_BYTES)}
        )
    upload.seek(0)
    content_type = sniff(upload.read(HEAD_BYTES))
    upload.seek(0)
    if content_type is None:
        raise AttachmentRefused(
            gettext("ไฟล์ “%(name)s” ไม่ใช่ไฟล์ PDF, PNG หรือ JPEG (ระบบตรวจจากเนื้อไฟล์ ไม่ใช่จากชื่อหรือนามสกุลไฟล์)")
            % {"name": name}
        )
    return CheckedFile(upload=upload, name=name, size=upload.size, content_type=content_type)


def download_name(attachment: ProgressAttachment) -> str:
    """The original name, with the extension of the type the bytes really are (a PNG named .pdf downloads as .png)."""
    name = attachment.original_name
    suffix = PurePosixPath(name).suffix.lower()
    if KNOWN_EXTENSIONS.get(suffix) == attachment.content_type:
        return name
    return (name.removesuffix(PurePosixPath(name).suffix) or "ไฟล์แนบ") + EXTENSIONS.get(attachment.content_type, "")


# ---------------------------------------------------------------------------------------------
# Entries


def _measure_label(measure: Measure) -> str:
    return measure.title[:80]


def ensure_progress_editable_by(plan: MeasurePlan, user) -> None:
    """PlanStateError unless the plan is the newest version in force; PlanPermissionDenied for other users."""
    if not plan.is_frozen:
        raise PlanStateError(gettext("บันทึกความก้าวหน้าได้เมื่อมาตรการได้รับอนุมัติแล้วเท่านั้น"))
    if not plan.progress_editable_by(user):
        if MeasurePlan.objects.filter(supersedes_id=plan.pk).exists():
            raise PlanStateError(gettext("มาตรการฉบับนี้มีฉบับแก้ไขแล้ว ให้บันทึกความก้าวหน้าในฉบับล่าสุด"))
        raise PlanPermissionDenied(gettext("คุณไม่มีสิทธิ์บันทึกความก้าวหน้าของมาตรการนี้"))


def _set_fields(entry: Progress, fields: dict) -> None:
    for name, value in fields.items():
        if name not in Progress.EDITABLE_FIELDS:
            raise ValueError(f"not an editable progress field: {name}")
        setattr(entry, name, value)
    if entry.evidence_url:
        # Only web links: a javascript: or file: URL must never become a clickable link on the page.
        URLValidator(schemes=EVIDENCE_SCHEMES)(entry.evidence_url)
    entry.full_clean()


def add_progress(*, measure: Measure, by, files: Sequence[CheckedFile] = (), **fields) -> Progress:
    """A dated follow-up entry, with its attachments, on the newest approved or published version of a plan."""
    ensure_progress_editable_by(measure.plan, by)
    entry = Progress(measure=measure, created_by=by)
    _set_fields(entry, fields)
    with transaction.atomic():
        entry.save()
        audit.record(
            action="create",
            obj=entry,
            user=by,
            changes=audit.model_diff(Progress, {}, audit.snapshot(entry, Progress.EDITABLE_FIELDS)),
            summary=gettext("บันทึกความก้าวหน้าของมาตรการ “%(title)s”: %(status)s ร้อยละ %(percent)s")
            % {
                "title": _measure_label(measure),
                "status": entry.get_status_display(),
                "percent": format_number(entry.percent),
            },
        )
        attach_files(entry=entry, by=by, files=files)
    return entry


def update_progress(*, entry: Progress, by, fingerprint: str, files: Sequence[CheckedFile] = (), **fields) -> Progress:
    """Correct an entry (and add files to it); StaleEdit when it changed since `fingerprint` was read."""
    ensure_progress_editable_by(entry.measure.plan, by)
    with transaction.atomic():
        stored = Progress.objects.select_for_update().get(pk=entry.pk)
        if stored.fingerprint() != fingerprint:
            raise StaleEdit(str(PROGRESS_STALE_MESSAGE))
        before = audit.snapshot(stored, Progress.EDITABLE_FIELDS)
        _set_fields(entry, fields)
        entry.save(update_fields=list(Progress.EDITABLE_FIELDS))
        changes = audit.model_diff(Progress, before, audit.snapshot(entry, Progress.EDITABLE_FIELDS))
        if changes:
            audit.record(
                action="update",
                obj=entry,
                user=by,
                changes=changes,
                summary=gettext("แก้ไขบันทึกความก้าวหน้าของมาตรการ “%(title)s”") % {"title": _measure_label(entry.measure)},
            )
        attach_files(entry=entry, by=by, files=files)
    return entry


def delete_progress(*, entry: Progress, by, fingerprint: str | None = None) -> None:
    """Remove an entry and its attachments; the history keeps what it said and which files it had."""
    ensure_progress_editable_by(entry.measure.plan, by)
    with transaction.atomic():
        stored = Progress.objects.select_for_update().get(pk=entry.pk)
        if fingerprint is not None and stored.fingerprint() != fingerprint:
            raise StaleEdit(str(PROGRESS_DELETE_STALE_MESSAGE))
        changes = audit.model_diff(Progress, audit.snapshot(stored, Progress.EDITABLE_FIELDS), {})
        names = list(stored.attachments.values_list("original_name", flat=True))
        if names:
            changes["attachments"] = {"label": gettext("ไฟล์แนบ"), "old": names, "new": None}
        event = audit.build(
            action="delete",
            obj=stored,
            user=by,
            changes=changes,
            summary=gettext("ลบบันทึกความก้าวหน้าวันที่ %(date)s ของมาตรการ “%(title)s”")
            % {"date": thai_date(stored.date), "title": _measure_label(entry.measure)},
        )
        stored.delete()
        event.save()


# ---------------------------------------------------------------------------------------------
# Attachments


def _check_room(entry: Progress, files: Sequence[CheckedFile]) -> None:
    """Count and quota, read while the organisation's row is locked (the caller holds the transaction)."""
    organization_id = entry.measure.plan.organization_id
    # Uploads of one organisation queue here, so two at once cannot both fit the last free space.
    Organization.objects.select_for_update().filter(pk=organization_id).exists()
    existing = entry.attachments.count()
    if existing + len(files) > ATTACHMENTS_PER_ENTRY:
        raise AttachmentRefused(
            gettext("แนบไฟล์ได้ไม่เกิน %(limit)s ไฟล์ต่อหนึ่งบันทึก (มีอยู่แล้ว %(existing)s ไฟล์ เลือกเพิ่ม %(new)s ไฟล์)")
            % {
                "limit": format_number(ATTACHMENTS_PER_ENTRY),
                "existing": format_number(existing),
                "new": format_number(len(files)),
            }
        )
    quota = settings.ORG_ATTACHMENT_QUOTA_BYTES
    used = ProgressAttachment.objects.stored_bytes(organization_id)
    if used + sum(f.size for f in files) > quota:
        raise AttachmentRefused(
            gettext("พื้นที่เก็บไฟล์แนบของหน่วยงานไม่พอ (ใช้ไปแล้ว %(used)s จาก %(quota)s) โปรดลบไฟล์แนบที่ไม่จำเป็น หรือติดต่อผู้ดูแลระบบ")
            % {"used": format_size(used), "quota": format_size(quota)}
        )


def _store(entry: Progress, checked: CheckedFile, by) -> ProgressAttachment:
    digest, size = hashlib.sha256(), 0
    for chunk in checked.upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    checked.upload.seek(0)
    attachment = ProgressAttachment(
        progress=entry,
        original_name=checked.name,
        size=size,
        content_type=checked.content_type,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    # The storage picks the path from attachment_path: the upload's own name is never used.
    attachment.file.save("upload", checked.upload, save=False)
    return attachment


def attach_files(*, entry: Progress, by, files: Sequence[CheckedFile]) -> list[ProgressAttachment]:
    """Keep `files` with the entry, each recorded in the history; nothing is kept if any is refused."""
    if not files:
        return []
    stored: list[ProgressAttachment] = []
    try:
        with transaction.atomic():
            _check_room(entry, files)
            for checked in files:
                attachment = _store(entry, checked, by)
                stored.append(attachment)
                attachment.save()
                audit.record(
                    action="create",
                    obj=attachment,
                    user=by,
                    changes=audit.model_diff(ProgressAttachment, {}, audit.snapshot(attachment, ATTACHMENT_FIELDS)),
                    summary=gettext("แนบไฟล์ “%(name)s” (%(size)s) กับบันทึกความก้าวหน้าของมาตรการ “%(title)s”")
                    % {
                        "name": attachment.original_name,
                        "size": format_size(attachment.size),
                        "title": _measure_label(entry.measure),
                    },
                )
    except BaseException:
        # The rows are rolled back; the files already written must not stay behind without them.
        for attachment in stored:
            default_storage.delete(attachment.file.name)
        raise
    return stored


def remove_attachment(*, attachment: ProgressAttachment, by) -> None:
    """Remove one file of an entry; the stored file goes after commit (ProgressAttachment's post_delete)."""
    entry = attachment.progress
    ensure_progress_editable_by(entry.measure.plan, by)
    with transaction.atomic():
        event = audit.build(
            action="delete",
            obj=attachment,
            user=by,
            changes=audit.model_diff(ProgressAttachment, audit.snapshot(attachment, ATTACHMENT_FIELDS), {}),
            summary=gettext("ลบไฟล์แนบ “%(name)s” ของบันทึกความก้าวหน้าของมาตรการ “%(title)s”")
            % {"name": attachment.original_name, "title": _measure_label(entry.measure)},
        )
        attachment.delete()
        event.save()
