"""Rendered PDFs: a cache of documents made from a plan's current state, and frozen published versions.

PDF bytes live in the database, not under MEDIA_ROOT: a Celery worker on another machine shares
the database with the web process but not necessarily a disk, and a plan's PDF is a few hundred
kilobytes at most.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita.models import AccessFacts
from measures.models import MeasurePlan


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("กำลังจัดทำ")
    DONE = "done", _("เสร็จแล้ว")
    FAILED = "failed", _("จัดทำไม่สำเร็จ")


class DocumentKind(models.TextChoices):
    MEASURES = "measures", _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    FOLLOWUP = "followup", _("รายงานผลการดำเนินงานตามมาตรการ")


class Digits(models.TextChoices):
    THAI = "thai", _("เลขไทย")
    ARABIC = "arabic", _("เลขอารบิก")


def canonical_json(data: object) -> bytes:
    """The one byte form of plain data that is hashed and offered for download (sorted keys, UTF-8)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PublishedVersionFrozen(Exception):
    """A published version whose PDF is set can no longer be changed or deleted."""


class RenderedDocument(models.Model):
    """A PDF of a plan as it was when asked for; served while the stored rows it prints stay the same.

    `fingerprint` is the SHA-256 of those stored rows, the options and the layout version
    (reports.rendering.fingerprint), so any change that could print differently (a measure edit,
    a score, a progress entry, the approval block, the cut-off date of a follow-up report) needs
    a new render, and a GET can find the current one without grading or writing.
    """

    plan = models.ForeignKey(
        MeasurePlan, on_delete=models.CASCADE, related_name="rendered_documents", verbose_name=_("มาตรการ")
    )
    kind = models.CharField(_("ชนิดเอกสาร"), max_length=16, choices=DocumentKind.choices)
    digits = models.CharField(_("ชนิดตัวเลข"), max_length=8, choices=Digits.choices, default=Digits.THAI)
    options = models.JSONField(_("ตัวเลือก"), default=dict, blank=True)
    fingerprint = models.CharField(_("รหัสตรวจสอบข้อมูล"), max_length=64)
    # What the render was made from, for people reading the table; `fingerprint` decides reuse.
    plan_lock_version = models.PositiveIntegerField(_("ครั้งที่แก้ไขของมาตรการ"))
    plan_updated_at = models.DateTimeField(_("มาตรการแก้ไขล่าสุดเมื่อ"))
    context = models.JSONField(_("ข้อมูลที่ใช้สร้างเอกสาร"))
    status = models.CharField(_("สถานะ"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.PENDING)
    message = models.TextField(_("ข้อความ"), blank=True)
    pdf = models.BinaryField(_("ไฟล์ PDF"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 ของไฟล์ PDF"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "digits", "fingerprint"], name="rendereddocument_unique"),
        ]
        verbose_name = _("เอกสาร PDF ที่จัดทำแล้ว")
        verbose_name_plural = _("เอกสาร PDF ที่จัดทำแล้ว")

    def __str__(self) -> str:
        return f"{self.plan} {self.kind} {self.status}"

    def access_facts(self) -> AccessFacts:
        return self.plan.access_facts()

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return self.plan.history_subject()


class PublishedVersion(models.Model):
    """The frozen public copy of a published plan: its data, who published it and when, the PDF and hashes.

    The PDF is rendered after commit from `context` (never from live data), so later edits to the
    catalogue or the organisation cannot change it. Once the PDF is set the row is immutable.
    `data_sha256` is printed on the PDF; it is the hash of `canonical_json(context)`, which the
    public version page offers for download. The PDF's own hash (`sha256`) cannot be printed
    inside the PDF it hashes, so the public page lists it next to the download.
    """

    plan = models.OneToOneField(
        MeasurePlan, on_delete=models.PROTECT, related_name="published_version", verbose_name=_("มาตรการ")
    )
    context = models.JSONField(_("ข้อมูลที่ใช้จัดทำเอกสาร"))
    data_sha256 = models.CharField(_("SHA-256 ของข้อมูล"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้เผยแพร่"),
    )
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"))
    status = models.CharField(_("สถานะ PDF"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.PENDING)
    message = models.TextField(_("ข้อความ"), blank=True)
    pdf = models.BinaryField(_("ไฟล์ PDF"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 ของไฟล์ PDF"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("สร้าง PDF เมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("ฉบับเผยแพร่")
        verbose_name_plural = _("ฉบับเผยแพร่")

    def __str__(self) -> str:
        return f"{self.plan} ({self.data_sha256[:12]})"

    def save(self, *args, **kwargs) -> None:
        self._ensure_unfrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._ensure_unfrozen()
        return super().delete(*args, **kwargs)

    def access_facts(self) -> AccessFacts:
        """A published document is public: everyone reads it, signed in or not."""
        return AccessFacts(self.plan.organization_id, published=True, public=True)

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return self.plan.history_subject()

    def _ensure_unfrozen(self) -> None:
        if self.pk is not None and PublishedVersion.objects.filter(pk=self.pk, pdf__isnull=False).exists():
            raise PublishedVersionFrozen(gettext("ฉบับเผยแพร่นี้จัดทำ PDF แล้ว จึงแก้ไขหรือลบไม่ได้"))

    @property
    def is_frozen(self) -> bool:
        return self.pdf is not None

    @property
    def canonical_data(self) -> bytes:
        return canonical_json(self.context)


@receiver(pre_delete, sender=PublishedVersion)
def _refuse_deleting_frozen_versions(sender, instance: PublishedVersion, **kwargs) -> None:
    # QuerySet.delete() and cascades skip Model.delete(), but not this signal.
    instance._ensure_unfrozen()
