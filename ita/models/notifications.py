"""E-mail notifications: each user's choice to receive them, and one delivery row per (event, recipient)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreferenceQuerySet(models.QuerySet):
    def opted_out_ids(self, user_ids) -> set[int]:
        """The users among `user_ids` who turned e-mails off (no row means e-mails are on); one query."""
        return set(self.filter(user_id__in=user_ids, email_enabled=False).values_list("user_id", flat=True))


class NotificationPreference(models.Model):
    """A user's e-mail choice; a user without a row receives e-mails (the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
        verbose_name=_("ผู้ใช้"),
    )
    email_enabled = models.BooleanField(_("รับอีเมลแจ้งเตือน"), default=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("การตั้งค่าอีเมลแจ้งเตือน")
        verbose_name_plural = _("การตั้งค่าอีเมลแจ้งเตือน")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def email_enabled_for(cls, user) -> bool:
        row = cls.objects.filter(user=user).first()
        return row is None or row.email_enabled


class Delivery(models.Model):
    """One e-mail about one event to one user: written with the event, sent after commit, never twice.

    `event_key` names the event ("plan.submit:<audit event id>", "followup:<plan id>:6"); the unique
    (event_key, recipient) pair is what makes a repeated enqueue or a retried task harmless.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("รอส่ง")
        SENDING = "sending", _("กำลังส่ง")
        SENT = "sent", _("ส่งแล้ว")
        SKIPPED = "skipped", _("ไม่ส่ง")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    event_key = models.CharField(_("เหตุการณ์"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("ผู้รับ")
    )
    subject = models.CharField(_("หัวเรื่อง"), max_length=255)
    body = models.TextField(_("ข้อความ"))
    status = models.CharField(_("สถานะ"), max_length=16, choices=Status.choices, default=Status.PENDING)
    # The address the mail went to, or why it did not go (no address, e-mails turned off).
    email = models.EmailField(_("ส่งถึง"), blank=True)
    skip_reason = models.CharField(_("เหตุที่ไม่ส่ง"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    # Set by the one worker that claimed the row (a conditional UPDATE); nobody else sends it.
    claim = models.CharField(_("ตัวระบุผู้ส่งที่รับงาน"), max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("เปลี่ยนสถานะเมื่อ"), auto_now=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["event_key", "recipient"], name="delivery_event_recipient")]
        indexes = [models.Index(fields=["status", "updated_at"], name="delivery_status_updated")]
        verbose_name = _("อีเมลแจ้งเตือน")
        verbose_name_plural = _("อีเมลแจ้งเตือน")

    def __str__(self) -> str:
        return f"{self.event_key} → {self.recipient_id}"
