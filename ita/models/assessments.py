"""Assessments, their scores and the history of every replaced score."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita.models.base import AccessFacts, score_field, score_range_check, user_field
from ita.models.frameworks import Framework
from ita.models.imports import ImportBatch
from ita.models.organizations import Organization, scope


class ValueSource(models.TextChoices):
    FORM = "form", _("แบบฟอร์ม")
    IMPORT = "import", _("นำเข้าไฟล์")
    ADMIN = "admin", _("ผู้ดูแลระบบ")
    COMMAND = "command", _("คำสั่งระบบ")


class AssessmentQuerySet(models.QuerySet):
    def get_by_natural_key(self, org_code, fiscal_year):
        return self.get(organization__code=org_code, fiscal_year=fiscal_year)

    def for_user(self, user):
        """Assessments the user may see (ita.policy): own organisation, assigned ones for auditors, all for admins."""
        return scope(self, user, organization="organization_id")


class Assessment(models.Model):
    """One organisation's ITA result in one fiscal year: given scores, official and computed grades."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("หน่วยงาน")
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("กรอบการประเมิน")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    official_overall = score_field(verbose_name=_("คะแนนรวม (ทางการ)"), null=True, blank=True)
    official_level = models.CharField(_("ระดับ (ทางการ)"), max_length=64, blank=True)
    # Computed by ita.grading.assess.grade_assessment; stored so list pages need no recomputation.
    overall = score_field(verbose_name=_("คะแนนรวม (คำนวณ)"), null=True, blank=True)
    level = models.CharField(_("ระดับ (คำนวณ)"), max_length=64, blank=True)
    provisional = models.BooleanField(_("ผลเบื้องต้น"), default=False)
    provisional_reason = models.TextField(_("เหตุที่เป็นผลเบื้องต้น"), blank=True)
    version = models.PositiveIntegerField(_("ครั้งที่แก้ไข"), default=1)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)
    updated_by = user_field(_("แก้ไขล่าสุดโดย"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year"], name="assessment_org_year"),
            score_range_check("official_overall", "assessment_official_overall_range"),
            score_range_check("overall", "assessment_overall_range"),
        ]
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year}"

    def natural_key(self):
        return (self.organization.code, self.fiscal_year)

    natural_key.dependencies = ["ita.organization", "ita.framework"]

    def access_facts(self) -> AccessFacts:
        return AccessFacts(self.organization_id)

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return "assessment", self.pk, self.organization_id

    def disagrees_with_official(self) -> bool:
        """True when a known official result differs from the computed one (overall beyond ±0.01, or level)."""
        if self.official_overall is not None and self.overall is not None:
            if abs(self.official_overall - self.overall) > Decimal("0.01"):
                return True
        return bool(self.official_level and self.level and self.official_level != self.level)

    def score_values(self) -> dict[tuple[str, str], Decimal]:
        """The stored scores keyed by (kind, code)."""
        # order_by() drops the default ordering, which would join assessment and organization for nothing.
        rows = self.scores.order_by().values_list("kind", "code", "value")
        return {(kind, code): value for kind, code, value in rows}

    def set_scores(self, values: Mapping[tuple[str, str], Decimal | None], *, user, source: str, batch=None) -> int:
        """Write the given (kind, code) → value pairs; None deletes. Only rows whose value changes are touched.

        Every stored value that is replaced or deleted first gets a ScoreRevision (its history).
        Returns how many rows were created, changed or deleted. Call inside a transaction.
        """
        wanted = self.scores.filter(kind__in={kind for kind, _code in values}).order_by()
        existing = {(s.kind, s.code): s for s in wanted}
        now = timezone.now()
        provenance = {"source": source, "entered_by": user, "batch": batch}
        created, changed, removed, revisions = [], [], [], []
        for key, value in values.items():
            row = existing.get(key)
            if row is None:
                if value is not None:
                    created.append(Score(assessment=self, kind=key[0], code=key[1], value=value, **provenance))
                continue
            if row.value == value:
                continue
            # The history keeps the value as it was, read above, before the row is changed or deleted.
            revisions.append(
                ScoreRevision(
                    assessment=self,
                    kind=row.kind,
                    code=row.code,
                    old_value=row.value,
                    old_source=row.source,
                    old_entered_by_id=row.entered_by_id,
                    old_batch_id=row.batch_id,
                    old_updated_at=row.updated_at,
                    new_value=value,
                    new_source=source,
                    changed_by=user,
                    batch=batch,
                    changed_at=now,
                )
            )
            if value is None:
                removed.append(row.pk)
            else:
                row.value, row.source, row.entered_by, row.batch, row.updated_at = value, source, user, batch, now
                changed.append(row)
        if revisions:
            ScoreRevision.objects.bulk_create(revisions)
        if removed:
            Score.objects.filter(pk__in=removed).delete()
        if created:
            Score.objects.bulk_create(created)
        if changed:
            # bulk_update skips auto_now, hence the explicit updated_at.
            Score.objects.bulk_update(changed, ["value", "source", "entered_by", "batch", "updated_at"])
        return len(created) + len(changed) + len(removed)


class ScoreManager(models.Manager):
    def get_by_natural_key(self, org_code, fiscal_year, kind, code):
        return self.get(
            assessment__organization__code=org_code, assessment__fiscal_year=fiscal_year, kind=kind, code=code
        )


class Score(models.Model):
    """One known value of an assessment: a tool, an indicator or an item, with its provenance.

    Codes: tools IIT, EIT, EIT1, EIT2, OIT; indicators "1".."10"; items normalised (i7, e4, o27).
    """

    class Kind(models.TextChoices):
        TOOL = "tool", _("เครื่องมือ")
        INDICATOR = "indicator", _("ตัวชี้วัด")
        ITEM = "item", _("ข้อ")

    TOOL_CODES = ("IIT", "EIT", "EIT1", "EIT2", "OIT")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("ผลการประเมิน")
    )
    kind = models.CharField(_("ชนิดคะแนน"), max_length=9, choices=Kind.choices)
    code = models.CharField(_("รหัส"), max_length=8)
    value = score_field(verbose_name=_("คะแนน"))
    source = models.CharField(_("ที่มาของค่า"), max_length=8, choices=ValueSource.choices, default=ValueSource.FORM)
    entered_by = user_field(_("ผู้บันทึก"))
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="scores", verbose_name=_("ชุดที่นำเข้า")
    )
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)

    objects = ScoreManager()

    class Meta:
        ordering = ["assessment", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind", "code"], name="score_assessment_kind_code"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=100), name="score_value_range"),
        ]
        verbose_name = _("คะแนน")
        verbose_name_plural = _("คะแนน")

    def __str__(self) -> str:
        return f"{self.assessment} {self.code} = {self.value}"

    def natural_key(self):
        return (*self.assessment.natural_key(), self.kind, self.code)

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return self.assessment.history_subject()

    natural_key.dependencies = ["ita.assessment"]


class ScoreRevision(models.Model):
    """A stored value as it was just before something replaced it: the history of a Score.

    Written by every path that overwrites a value (score form, import), so an official import
    never erases what staff had typed without a trace.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="score_revisions", verbose_name=_("ผลการประเมิน")
    )
    kind = models.CharField(_("ชนิดคะแนน"), max_length=9, choices=Score.Kind.choices)
    code = models.CharField(_("รหัส"), max_length=8)
    old_value = score_field(verbose_name=_("ค่าเดิม"))
    old_source = models.CharField(_("ที่มาของค่าเดิม"), max_length=8, choices=ValueSource.choices)
    old_entered_by = user_field(_("ผู้บันทึกค่าเดิม"))
    old_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ชุดที่นำเข้าค่าเดิม")
    )
    old_updated_at = models.DateTimeField(_("เวลาที่บันทึกค่าเดิม"))
    # None when the value was deleted rather than replaced.
    new_value = score_field(verbose_name=_("ค่าใหม่"), null=True, blank=True)
    new_source = models.CharField(_("ที่มาของค่าใหม่"), max_length=8, choices=ValueSource.choices)
    changed_by = user_field(_("ผู้เปลี่ยน"))
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("ชุดที่นำเข้า"),
    )
    changed_at = models.DateTimeField(_("เวลาที่เปลี่ยน"), default=timezone.now)

    class Meta:
        ordering = ["assessment", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["assessment", "kind", "code"], name="revision_assessment_code")]
        verbose_name = _("ประวัติคะแนน")
        verbose_name_plural = _("ประวัติคะแนน")

    def __str__(self) -> str:
        return f"{self.assessment} {self.code}: {self.old_value} → {self.new_value}"

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return self.assessment.history_subject()
