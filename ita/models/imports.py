"""Imported files and the jobs that carry an upload from preview to the database."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.models.base import AccessFacts, user_field
from ita.models.organizations import Organization, is_administrator, scope


class ImportBatch(models.Model):
    """One imported file: every value it wrote points back here."""

    filename = models.CharField(_("ชื่อไฟล์"), max_length=255)
    sha256 = models.CharField(_("SHA-256 ของไฟล์"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("ผู้นำเข้า")
    )
    created_at = models.DateTimeField(_("นำเข้าเมื่อ"), auto_now_add=True)
    # What the import did, kept so the batch list reads as a log without recounting scores.
    rows = models.PositiveIntegerField(_("จำนวนแถว"), default=0)
    organizations_created = models.PositiveIntegerField(_("หน่วยงานที่สร้างใหม่"), default=0)
    assessments_created = models.PositiveIntegerField(_("ผลการประเมินที่สร้างใหม่"), default=0)
    assessments_changed = models.PositiveIntegerField(_("ผลการประเมินที่เปลี่ยนแปลง"), default=0)
    values_created = models.PositiveIntegerField(_("คะแนนที่เพิ่มใหม่"), default=0)
    values_changed = models.PositiveIntegerField(_("คะแนนที่เปลี่ยนค่า"), default=0)
    values_unchanged = models.PositiveIntegerField(_("คะแนนที่ไม่เปลี่ยน"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("การนำเข้าข้อมูล")
        verbose_name_plural = _("การนำเข้าข้อมูล")

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> models.QuerySet:
        """Jobs the user may see (ita.policy): all for administrators, otherwise those of their organisation."""
        return scope(self, user, organization="organization_id")


class ImportJob(models.Model):
    """One upload (a file or pasted text) on its way in: read and previewed, then confirmed and written.

    Both phases may run in a Celery worker, so everything the pages show lives here: the stored
    upload, the preview, the errors, and the progress (rows done of rows total since started_at).
    """

    class Status(models.TextChoices):
        PLANNING = "planning", _("กำลังตรวจสอบไฟล์")
        PREVIEW = "preview", _("รอยืนยัน")
        INVALID = "invalid", _("พบข้อผิดพลาด")
        QUEUED = "queued", _("รอบันทึก")
        APPLYING = "applying", _("กำลังบันทึก")
        DONE = "done", _("บันทึกแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")
        CANCELLED = "cancelled", _("ยกเลิกแล้ว")

    RUNNING = frozenset({Status.PLANNING, Status.QUEUED, Status.APPLYING})
    # Ends that will never read the upload again: its bytes are dropped at once (the row stays as the record).
    REFUSED = frozenset({Status.INVALID, Status.FAILED, Status.CANCELLED})
    ENDED = REFUSED | {Status.DONE}

    class Kind(models.TextChoices):
        FILE = "file", _("ไฟล์")
        PASTE = "paste", _("ข้อความที่วาง")

    kind = models.CharField(_("ชนิดงาน"), max_length=8, choices=Kind.choices, default=Kind.FILE)
    created_by = user_field(_("ผู้สร้าง"))
    # Set for a staff import: every row must belong to this organisation.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("หน่วยงาน"),
    )
    # Pasted text has no year or organisation column: they come from the form.
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), null=True, blank=True)
    create_orgs = models.BooleanField(_("สร้างหน่วยงานใหม่ได้"), default=False)
    filename = models.CharField(_("ชื่อไฟล์"), max_length=255)
    sha256 = models.CharField(_("SHA-256 ของไฟล์"), max_length=64)
    # The upload itself, kept in the database so that a worker on another machine can read it.
    # Emptied when the job is refused, failed or cancelled, and for every job after IMPORT_RETENTION_DAYS.
    content = models.BinaryField(_("เนื้อหาไฟล์"), editable=False)
    # The upload's size as received, kept after its bytes are gone: upload quotas add these up.
    size = models.PositiveIntegerField(_("ขนาดไฟล์ (ไบต์)"), default=0)
    status = models.CharField(_("สถานะ"), max_length=12, choices=Status.choices, default=Status.PLANNING)
    rows_total = models.PositiveIntegerField(_("จำนวนแถวทั้งหมด"), default=0)
    rows_done = models.PositiveIntegerField(_("จำนวนแถวที่ทำแล้ว"), default=0)
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    # The preview (counts, sample of changes, new organisations) and every error, as plain JSON.
    preview = models.JSONField(_("ตัวอย่างก่อนยืนยัน"), default=dict, blank=True)
    # At most errorlog.ERRORS_KEPT errors (the first by row and column); errors_total counts them all.
    errors = models.JSONField(_("ข้อผิดพลาด"), default=list, blank=True)
    errors_total = models.PositiveIntegerField(_("จำนวนข้อผิดพลาดทั้งหมด"), default=0)
    message = models.TextField(_("ข้อความ"), blank=True)
    batch = models.OneToOneField(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="job", verbose_name=_("ชุดที่นำเข้า")
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)
    # Set by the retention sweep (ita.importers.retention) when the upload and its error list were deleted.
    purged_at = models.DateTimeField(_("ลบไฟล์และข้อผิดพลาดเมื่อ"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The upload quotas add up recent uploads by user and by organisation.
            models.Index(fields=["created_by", "created_at"], name="ita_importjob_user_recent"),
            models.Index(fields=["organization", "created_at"], name="ita_importjob_org_recent"),
        ]
        verbose_name = _("งานนำเข้าข้อมูล")
        verbose_name_plural = _("งานนำเข้าข้อมูล")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def access_facts(self) -> AccessFacts:
        return AccessFacts(self.organization_id)

    @property
    def errors_more(self) -> int:
        """Errors counted but not stored (those past the first ERRORS_KEPT)."""
        return max(self.errors_total - len(self.errors), 0)

    def may_be_confirmed_by(self, user) -> bool:
        """Only the job's creator, or an administrator, decides whether an upload is written."""
        return user.is_authenticated and (is_administrator(user) or self.created_by_id == user.pk)
