"""The audit history (SECURITY.md A6): one row per recorded change; the recorder is ita.audit."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita.models.base import user_field


class Source(models.TextChoices):
    FORM = "form", _("แบบฟอร์ม")
    IMPORT = "import", _("นำเข้าไฟล์")
    ADMIN = "admin", _("ผู้ดูแลระบบ (หน้าจัดการ)")
    COMMAND = "command", _("คำสั่งระบบ")
    SYSTEM = "system", _("ระบบ")


class AuditEventQuerySet(models.QuerySet):
    def for_subject(self, obj: models.Model) -> models.QuerySet:
        """The history shown on an assessment's or a plan's page, newest first."""
        subject_type, subject_id, _org = subject_of(obj)
        return self.filter(subject_type=subject_type, subject_id=subject_id).order_by("-at", "-pk")


class AuditEvent(models.Model):
    """One recorded change: who, when, from where (form, import batch, admin, command), what, old → new."""

    at = models.DateTimeField(_("เวลา"), default=timezone.now)
    # The user may be deleted later; their name stays with the event.
    user = user_field(_("ผู้ใช้"))
    user_name = models.CharField(_("ผู้ดำเนินการ"), max_length=150, blank=True)
    source = models.CharField(_("ช่องทาง"), max_length=8, choices=Source.choices)
    # No database constraint: the history outlives a deleted batch or organisation and keeps its id.
    batch = models.ForeignKey(
        "ita.ImportBatch",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("ชุดที่นำเข้า"),
    )
    organization = models.ForeignKey(
        "ita.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("หน่วยงาน"),
    )
    subject_type = models.CharField(_("ชนิดของเรื่อง"), max_length=32)
    subject_id = models.PositiveBigIntegerField(_("รหัสของเรื่อง"), null=True, blank=True)
    object_type = models.CharField(_("ชนิดข้อมูล"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("รหัสของสิ่งที่เปลี่ยน"), null=True, blank=True)
    action = models.CharField(_("การกระทำ"), max_length=32)
    changes = models.JSONField(_("ค่าเดิม → ค่าใหม่"), default=dict, blank=True)
    summary = models.TextField(_("สรุป"))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"], name="auditevent_subject"),
            models.Index(fields=["organization", "-at"], name="auditevent_organization"),
        ]
        verbose_name = _("ประวัติการเปลี่ยนแปลง")
        verbose_name_plural = _("ประวัติการเปลี่ยนแปลง")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name or '-'} {self.action} {self.object_type} {self.object_id}"


# --- what an object belongs to -------------------------------------------------------------------


def subject_of(obj: models.Model) -> tuple[str, int | None, int | None]:
    """(subject type, subject id, organisation id): whose history an object's change belongs to.

    A model whose changes show on another object's history tab says so itself with
    `history_subject()` (a plan's measures name the plan); any other row is its own subject.
    """
    answer = getattr(obj, "history_subject", None)
    if answer is not None:
        return answer()
    return obj._meta.label_lower, obj.pk, getattr(obj, "organization_id", None)
