"""Measure plans: the yearly มาตรการส่งเสริมคุณธรรมฯ built from last year's ITA results, and its catalogues."""

from __future__ import annotations

import hashlib
import json
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita import audit, policy
from ita.files.sniff import EXTENSIONS
from ita.models import AccessFacts, Framework, Item, Organization, score_field, score_range_check, user_field
from ita.thai import MONTH_ABBRS, format_number

DEFAULT_THRESHOLD = Decimal("85.00")
# Default units of a Thai municipality or SAO; each organisation edits its own list.
DEFAULT_UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "ทุกสำนัก/กอง")


def _canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# Sent inside the publishing transaction with `plan` and `by`: an app built on measures keeps what was
# published (reports freezes the public copy), and an error there undoes the publication.
plan_published = Signal()
# Sent inside every status change's transaction with `plan`, `action` ("submit", "return", "approve",
# "publish"), `event` (the AuditEvent just recorded) and `by`: measures.notifications queues its e-mails
# here, so that a transition that rolls back mails nobody.
plan_transitioned = Signal()


class PlanError(Exception):
    """A plan operation that cannot be done; str() is a Thai message for the user."""


class PlanExists(PlanError):
    """The organisation already has a plan of that fiscal year (a double submit, or two people at once)."""

    def __init__(self, message: str, *, plan: MeasurePlan) -> None:
        super().__init__(message)
        self.plan = plan


class PlanFrozen(PlanError):
    """The plan is approved or published: a correction needs a new version."""


class PlanStateError(PlanError):
    """A transition that the plan's current status does not allow."""


class StaleEdit(PlanError):
    """Someone else saved the plan after this user loaded it."""


STALE_MESSAGE = _("มีผู้อื่นบันทึกมาตรการฉบับนี้ก่อนหน้าคุณ กรุณาโหลดข้อมูลล่าสุดแล้วแก้ไขอีกครั้ง")
APPROVAL_STALE_MESSAGE = _(
    "ยังไม่ได้ดำเนินการ: มาตรการฉบับนี้เปลี่ยนไปหลังจากที่คุณเปิดดู หน้านี้แสดงเนื้อหาล่าสุดแล้ว โปรดตรวจสอบอีกครั้งก่อนยืนยัน"
)
EMPTY_PLAN_MESSAGE = _("ยังเสนอมาตรการฉบับนี้ไม่ได้ เพราะยังไม่มีมาตรการ/แนวทางแม้แต่รายการเดียว โปรดเพิ่มมาตรการก่อนเสนอผู้บริหาร")
EMPTY_PLAN_APPROVE_MESSAGE = _(
    "อนุมัติมาตรการฉบับนี้ไม่ได้ เพราะยังไม่มีมาตรการ/แนวทางแม้แต่รายการเดียว โปรดส่งกลับให้เจ้าหน้าที่เพิ่มมาตรการก่อน"
)
FINDING_STALE_MESSAGE = _(
    "ไม่ได้บันทึก: มีผู้อื่นแก้ไขข้อความนี้หลังจากที่คุณเปิดหน้านี้ หน้านี้แสดงข้อความล่าสุดที่บันทึกไว้แล้ว "
    "ส่วนข้อความที่คุณพิมพ์ไว้อยู่ในช่องแก้ไข โปรดตรวจสอบแล้วบันทึกอีกครั้ง"
)
MEASURE_STALE_MESSAGE = _("ไม่ได้บันทึก: มีผู้อื่นแก้ไขมาตรการนี้หลังจากที่คุณเปิดหน้านี้ หน้านี้แสดงค่าล่าสุดที่บันทึกไว้แล้ว โปรดตรวจสอบและแก้ไขอีกครั้ง")


RETURN_REASON_REQUIRED = _("โปรดระบุเหตุผลที่ส่งกลับไปแก้ไข เพื่อให้เจ้าหน้าที่ทราบว่าต้องแก้ไขอะไร")
RETURN_REASON_MAX = 2000


class PlanPermissionDenied(PermissionDenied):
    """The user may not do this to this plan; str() is a Thai message."""


class PeriodKind(models.TextChoices):
    WHOLE_YEAR = "whole_year", _("ตลอดปีงบประมาณ")
    MONTHS = "months", _("ช่วงเดือน")


def _month_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )


def _period_checks(prefix: str) -> list[models.CheckConstraint]:
    """Months 1–12; a month range has both months, a whole year has none."""
    # isnull=False spelled out: a CHECK whose condition is NULL passes, so NULL months must not reach the range test.
    months = Q(start_month__isnull=False, end_month__isnull=False) & Q(
        start_month__gte=1, start_month__lte=12, end_month__gte=1, end_month__lte=12
    )
    no_months = Q(start_month__isnull=True, end_month__isnull=True)
    return [
        models.CheckConstraint(
            condition=(Q(period_kind=PeriodKind.MONTHS) & months) | (Q(period_kind=PeriodKind.WHOLE_YEAR) & no_months),
            name=f"{prefix}_period_consistent",
        )
    ]


def fiscal_position(month: int) -> int:
    """0 for October (the first month of the Thai fiscal year) … 11 for September."""
    return (month - 10) % 12


def calendar_year(fiscal_year: int, month: int) -> int:
    """The Buddhist calendar year of a month in a fiscal year: Oct–Dec fall in the year before."""
    return fiscal_year - 1 if month >= 10 else fiscal_year


def period_text(fiscal_year: int, kind: str, start: int | None, end: int | None, *, digits: str = "thai") -> str:
    """'ม.ค. – มี.ค. ๖๕', 'พ.ย. ๖๔ – ก.พ. ๖๕', 'ม.ค. ๖๕' or 'ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗'."""
    if kind == PeriodKind.WHOLE_YEAR or start is None or end is None:
        return f"ตลอดปีงบประมาณ พ.ศ. {format_number(fiscal_year, digits=digits)}"
    start_year = format_number(f"{calendar_year(fiscal_year, start) % 100:02d}", digits=digits)
    end_year = format_number(f"{calendar_year(fiscal_year, end) % 100:02d}", digits=digits)
    first, last = MONTH_ABBRS[start - 1], MONTH_ABBRS[end - 1]
    if start == end:
        return f"{first} {end_year}"
    if start_year == end_year:
        return f"{first} – {last} {end_year}"
    return f"{first} {start_year} – {last} {end_year}"


def check_period(kind: str, start: int | None, end: int | None) -> None:
    """ValidationError unless the months form a range inside one fiscal year (Oct → Sep)."""
    if kind == PeriodKind.WHOLE_YEAR:
        if start is not None or end is not None:
            raise ValidationError(gettext("ระยะเวลาตลอดปีงบประมาณต้องไม่ระบุเดือน"))
        return
    if start is None or end is None:
        raise ValidationError(gettext("ต้องระบุทั้งเดือนเริ่มต้นและเดือนสิ้นสุด"))
    if not (1 <= start <= 12 and 1 <= end <= 12):
        raise ValidationError(gettext("เดือนต้องอยู่ระหว่าง ๑ ถึง ๑๒"))
    if fiscal_position(start) > fiscal_position(end):
        raise ValidationError(
            gettext("เดือนเริ่มต้น %(start)s อยู่หลังเดือนสิ้นสุด %(end)s ในปีงบประมาณ (ต.ค. – ก.ย.)")
            % {"start": MONTH_ABBRS[start - 1], "end": MONTH_ABBRS[end - 1]}
        )


# ---------------------------------------------------------------------------------------------
# Catalogues (administrators edit them; the loader never overwrites an edited entry)


class Recommendation(models.Model):
    """What respondents signal when an item scores low, and what the agency should do about it."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, related_name="recommendation", verbose_name=_("ข้อคำถาม")
    )
    issue = models.TextField(_("ประเด็น"))
    action = models.TextField(_("หน่วยงานควร"))
    edited = models.BooleanField(_("แก้ไขโดยผู้ดูแลระบบ"), default=False)

    class Meta:
        ordering = ["item"]
        verbose_name = _("ข้อเสนอแนะรายข้อ")
        verbose_name_plural = _("ข้อเสนอแนะรายข้อ")

    def __str__(self) -> str:
        return f"{self.item.framework.fiscal_year} {self.item.code.upper()}"


class IndicatorText(models.Model):
    """Per framework and indicator: what it measures, and templates for a strength or weakness sentence.

    The templates may use {score} and {threshold}; both are filled with Thai digits.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicator_texts", verbose_name=_("กรอบการประเมิน")
    )
    number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"), validators=[MinValueValidator(1), MaxValueValidator(10)])
    measures = models.TextField(_("สิ่งที่ตัวชี้วัดวัด"))
    strength = models.TextField(_("ข้อความจุดแข็ง"))
    weakness = models.TextField(_("ข้อความจุดอ่อน"))
    edited = models.BooleanField(_("แก้ไขโดยผู้ดูแลระบบ"), default=False)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="indicatortext_framework_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=10), name="indicatortext_number_range"),
        ]
        verbose_name = _("คำอธิบายตัวชี้วัด")
        verbose_name_plural = _("คำอธิบายตัวชี้วัด")

    def __str__(self) -> str:
        return f"{self.framework.fiscal_year} ตัวชี้วัดที่ {self.number}"


class MeasureColumns(models.Model):
    """The five columns of a measures table row, shared by library measures and plan measures."""

    title = models.TextField(_("มาตรการ/แนวทาง"))
    steps = models.JSONField(_("ขั้นตอนหรือวิธีการ"), default=list, blank=True)
    responsible = models.CharField(_("ผู้รับผิดชอบ"), max_length=255, blank=True)
    period_kind = models.CharField(
        _("ระยะเวลา"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.WHOLE_YEAR
    )
    start_month = _month_field(_("เดือนเริ่มต้น"))
    end_month = _month_field(_("เดือนสิ้นสุด"))
    monitoring = models.TextField(_("การกำกับติดตาม"), blank=True)
    indicators = models.JSONField(_("ตัวชี้วัดที่ตอบ"), default=list, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        check_period(self.period_kind, self.start_month, self.end_month)


class LibraryMeasure(MeasureColumns):
    """A ready measure that pre-fills the five columns for the items and indicators it answers."""

    key = models.SlugField(_("รหัส"), max_length=64, unique=True)
    items = models.ManyToManyField(Item, related_name="library_measures", blank=True, verbose_name=_("ข้อที่ตอบ"))
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    edited = models.BooleanField(_("แก้ไขโดยผู้ดูแลระบบ"), default=False)

    class Meta:
        ordering = ["order", "key"]
        constraints = _period_checks("librarymeasure")
        verbose_name = _("คลังมาตรการ")
        verbose_name_plural = _("คลังมาตรการ")

    def __str__(self) -> str:
        return self.title


class OrgUnitQuerySet(models.QuerySet):
    """An organisation with no stored units uses DEFAULT_UNITS; reading never stores them (a GET never writes)."""

    def for_organization(self, organization: Organization | int) -> models.QuerySet:
        """The organisation's stored units in list order (read only)."""
        return self.filter(organization=organization).order_by("order", "name")

    def names_for(self, organization: Organization | int) -> list[str]:
        """The names the responsible column offers: the stored units, or the default list while none is stored."""
        names = list(self.for_organization(organization).values_list("name", flat=True))
        return names or list(DEFAULT_UNITS)

    def ensure_defaults(self, organization: Organization) -> None:
        """Store the default list for an organisation that has no units yet (creating a plan, editing the list)."""
        if not self.filter(organization=organization).exists():
            OrgUnit.objects.bulk_create(
                [OrgUnit(organization=organization, name=name, order=i) for i, name in enumerate(DEFAULT_UNITS)],
                ignore_conflicts=True,
            )


class OrgUnit(models.Model):
    """A unit of an organisation (สำนักปลัด, กองคลัง, …) that can be responsible for a measure."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name=_("หน่วยงาน")
    )
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=255)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="orgunit_organization_name")]
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = _("ส่วนราชการ")

    def __str__(self) -> str:
        return self.name

    def access_facts(self) -> AccessFacts:
        return AccessFacts(self.organization_id)


# ---------------------------------------------------------------------------------------------
# The plan


class MeasurePlanQuerySet(models.QuerySet):
    def for_user(self, user) -> models.QuerySet:
        """Plans the user may see (ita.policy): their organisation's; assigned and published ones for auditors."""
        return policy.scope(self, user, published=Q(status=MeasurePlan.Status.PUBLISHED))

    def published(self) -> models.QuerySet:
        return self.filter(status=MeasurePlan.Status.PUBLISHED)

    def latest_versions(self) -> models.QuerySet:
        """Only the newest version of each (organisation, fiscal year)."""
        return self.filter(superseded_by__isnull=True)

    def with_counts(self) -> models.QuerySet:
        """Annotate measure_count and progress_count with subqueries (no row multiplication, one query)."""
        measures = (
            Measure.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk")).values("n")
        )
        entries = (
            Progress.objects.filter(measure__plan=OuterRef("pk"))
            .order_by()
            .values("measure__plan")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            measure_count=Coalesce(Subquery(measures), 0),
            progress_count=Coalesce(Subquery(entries), 0),
        )


class MeasurePlan(models.Model):
    """One organisation's measures for one fiscal year, based on the previous year's assessment.

    draft → submitted (staff) → approved (an executive of the same organisation) → published.
    Approved and published plans are frozen; a correction is a new version that supersedes them.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        SUBMITTED = "submitted", _("เสนอผู้บริหารแล้ว")
        APPROVED = "approved", _("อนุมัติแล้ว")
        PUBLISHED = "published", _("เผยแพร่แล้ว")

    class Grouping(models.TextChoices):
        INDICATOR = "indicator", _("รายตัวชี้วัด")
        THEME = "theme", _("รายประเด็น")

    FROZEN = frozenset({Status.APPROVED, Status.PUBLISHED})
    # A submitted plan is what the executive is reading: nobody changes it until it is returned.
    LOCKED = FROZEN | {Status.SUBMITTED}

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="measure_plans", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณของมาตรการ (พ.ศ.)"))
    based_on = models.ForeignKey(
        "ita.Assessment", on_delete=models.PROTECT, related_name="measure_plans", verbose_name=_("ผลการประเมินที่ใช้")
    )
    threshold = score_field(verbose_name=_("เกณฑ์จุดแข็ง/จุดอ่อน"), default=DEFAULT_THRESHOLD)
    grouping = models.CharField(_("การจัดกลุ่ม"), max_length=16, choices=Grouping.choices, default=Grouping.INDICATOR)
    status = models.CharField(_("สถานะ"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("ฉบับที่"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("แก้ไขแทนฉบับ"),
    )
    meeting_date = models.DateField(_("วันที่ประชุม"), null=True, blank=True)
    meeting_body = models.CharField(_("ที่ประชุม"), max_length=255, blank=True)
    meeting_place = models.CharField(_("สถานที่ประชุม"), max_length=255, blank=True)
    office = models.CharField(_("ส่วนราชการผู้รับผิดชอบ"), max_length=255, blank=True)
    office_phone = models.CharField(_("โทรศัพท์"), max_length=64, blank=True)
    approver_name = models.CharField(_("ชื่อผู้อนุมัติ"), max_length=255, blank=True)
    approver_position = models.CharField(_("ตำแหน่งผู้อนุมัติ"), max_length=255, blank=True)
    submitted_by = user_field(_("ผู้เสนอ"))
    submitted_at = models.DateTimeField(_("เสนอเมื่อ"), null=True, blank=True)
    approved_by = user_field(_("ผู้อนุมัติ (บัญชีผู้ใช้)"))
    approved_at = models.DateTimeField(_("อนุมัติเมื่อ"), null=True, blank=True)
    published_by = user_field(_("ผู้เผยแพร่"))
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), null=True, blank=True)
    # The last return to draft; every earlier one stays in the audit history (the timeline reads it).
    return_reason = models.TextField(_("เหตุผลที่ส่งกลับไปแก้ไข"), blank=True)
    returned_by = user_field(_("ผู้ส่งกลับไปแก้ไข"))
    returned_at = models.DateTimeField(_("ส่งกลับไปแก้ไขเมื่อ"), null=True, blank=True)
    # Bumped by every save; an edit made from an older value is refused (lost-update check).
    lock_version = models.PositiveIntegerField(_("ครั้งที่บันทึก"), default=0)
    created_by = user_field(_("ผู้สร้าง"))
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)

    objects = MeasurePlanQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year", "version"], name="measureplan_org_year_ver"),
            score_range_check("threshold", "measureplan_threshold_range"),
            models.CheckConstraint(condition=Q(version__gte=1), name="measureplan_version_positive"),
        ]
        verbose_name = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
        verbose_name_plural = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year} ฉบับที่ {self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is None:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            stored = MeasurePlan.objects.select_for_update().filter(pk=self.pk).values_list("lock_version", flat=True)
            self.ensure_editable()
            if stored and stored[0] != self.lock_version:
                raise StaleEdit(str(STALE_MESSAGE))
            self.lock_version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "lock_version", "updated_at"}
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.ensure_editable()
        return super().delete(*args, **kwargs)

    def access_facts(self) -> AccessFacts:
        """Every auditor reads a published plan (ita.policy)."""
        return AccessFacts(self.organization_id, published=self.status == self.Status.PUBLISHED)

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return "plan", self.pk, self.organization_id

    # -- state ------------------------------------------------------------------------------

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN

    @property
    def is_locked(self) -> bool:
        """Frozen, or submitted and waiting for the executive: no edits either way."""
        return self.status in self.LOCKED

    def editable_by(self, user) -> bool:
        """Staff of the organisation and administrators may change a draft (not submitted, not frozen)."""
        return not self.is_locked and policy.can(user, policy.Action.DRAFT_PLAN, self)

    def progress_editable_by(self, user) -> bool:
        """Follow-up entries go on the newest approved or published version, by its staff or an administrator."""
        if not self.is_frozen or not policy.can(user, policy.Action.RECORD_PROGRESS, self):
            return False
        return not MeasurePlan.objects.filter(supersedes_id=self.pk).exists()

    def ensure_editable(self) -> None:
        """PlanFrozen when the stored plan is submitted, approved or published (the database decides, not this copy)."""
        stored = MeasurePlan.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored == self.Status.SUBMITTED:
            raise PlanFrozen(gettext("มาตรการฉบับนี้เสนอผู้บริหารแล้ว จึงแก้ไขไม่ได้จนกว่าผู้บริหารจะส่งกลับไปแก้ไข"))
        if stored in self.FROZEN:
            raise PlanFrozen(
                gettext("มาตรการฉบับนี้อยู่ในสถานะ “%(status)s” แก้ไขไม่ได้ ให้สร้างฉบับแก้ไขใหม่แทน")
                % {"status": MeasurePlan.Status(stored).label}
            )

    def update_details(self, *, by, lock_version: int, **fields) -> None:
        """Change descriptive fields, refusing the change if the plan moved on since `lock_version` was read."""
        self.ensure_editable()
        if not self.editable_by(by):
            raise PlanPermissionDenied(gettext("คุณไม่มีสิทธิ์แก้ไขมาตรการฉบับนี้"))
        allowed = {
            "meeting_date",
            "meeting_body",
            "meeting_place",
            "office",
            "office_phone",
            "approver_name",
            "approver_position",
            "threshold",
            "grouping",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"fields not editable here: {sorted(unknown)}")
        now = timezone.now()
        with transaction.atomic():
            before = audit.snapshot(self, fields)
            updated = MeasurePlan.objects.filter(pk=self.pk, lock_version=lock_version).update(
                **fields, lock_version=F("lock_version") + 1, updated_at=now
            )
            if not updated:
                raise StaleEdit(str(STALE_MESSAGE))
            self.refresh_from_db()
            changes = audit.model_diff(MeasurePlan, before, audit.snapshot(self, fields))
            if changes:
                audit.record(
                    action="update", obj=self, user=by, changes=changes, summary=gettext("แก้ไขรายละเอียดของมาตรการ")
                )

    # -- transitions -----------------------------------------------------------------------

    def _transition(
        self,
        *,
        source: tuple[str, ...],
        target: str,
        by,
        action: str,
        lock_version: int | None = None,
        empty_message: str | None = None,
        reason: str | None = None,
        **stamps,
    ) -> None:
        """Move from one of `source` to `target` atomically: a concurrent transition makes this one fail.

        `lock_version`: the version the user looked at; StaleEdit if the plan changed since.
        `empty_message`: refuse a plan without measures, saying this. `reason`: stored and written to the history.
        """
        with transaction.atomic():
            old_status = self.status
            old_reason = self.return_reason
            rows = MeasurePlan.objects.filter(pk=self.pk, status__in=source)
            if lock_version is not None:
                rows = rows.filter(lock_version=lock_version)
            if empty_message is not None:
                rows = rows.filter(Exists(Measure.objects.filter(plan=OuterRef("pk"))))
            if reason is not None:
                stamps["return_reason"] = reason
            updated = rows.update(
                status=target, lock_version=F("lock_version") + 1, updated_at=timezone.now(), **stamps
            )
            if not updated:
                self.refresh_from_db()
                if self.status in source and lock_version is not None and self.lock_version != lock_version:
                    raise StaleEdit(str(APPROVAL_STALE_MESSAGE))
                if self.status in source and empty_message is not None and not self.measures.exists():
                    raise PlanStateError(empty_message)
                raise PlanStateError(
                    gettext("มาตรการฉบับนี้อยู่ในสถานะ %(status)s จึงเปลี่ยนเป็น %(target)s ไม่ได้")
                    % {"status": self.get_status_display(), "target": MeasurePlan.Status(target).label}
                )
            self.refresh_from_db()
            before, after = {"status": old_status}, {"status": target}
            if reason is not None:
                # Recorded even when the same words are given again: each return keeps its reason.
                before["return_reason"], after["return_reason"] = old_reason, reason
            changes = audit.model_diff(MeasurePlan, before, after)
            if reason is not None and "return_reason" not in changes:
                changes["return_reason"] = {
                    "label": audit.field_label(MeasurePlan, "return_reason"),
                    "old": old_reason,
                    "new": reason,
                }
            event = audit.record(
                action=action,
                obj=self,
                user=by,
                changes=changes,
                summary=gettext("เปลี่ยนสถานะมาตรการจาก%(old)sเป็น%(new)s")
                % {"old": MeasurePlan.Status(old_status).label, "new": MeasurePlan.Status(target).label},
            )
            plan_transitioned.send(sender=MeasurePlan, plan=self, action=action, event=event, by=by)

    def _require(self, user, action: policy.Action, message: str) -> None:
        if not policy.can(user, action, self):
            raise PlanPermissionDenied(message)

    def submit(self, *, by) -> None:
        """Staff of the organisation send the draft to the executive; a plan without measures cannot go."""
        self._require(by, policy.Action.SUBMIT, gettext("เฉพาะเจ้าหน้าที่ของหน่วยงานนี้เท่านั้นที่เสนอมาตรการได้"))
        self._transition(
            source=(self.Status.DRAFT,),
            target=self.Status.SUBMITTED,
            by=by,
            action="submit",
            empty_message=str(EMPTY_PLAN_MESSAGE),
            submitted_by=by,
            submitted_at=timezone.now(),
        )

    def return_to_draft(self, *, by, reason: str) -> None:
        """The executive sends a submitted plan back for changes, saying why (required)."""
        self._check_executive(by)
        reason = (reason or "").strip()
        if not reason:
            raise PlanStateError(str(RETURN_REASON_REQUIRED))
        if len(reason) > RETURN_REASON_MAX:
            raise PlanStateError(gettext("เหตุผลที่ส่งกลับไปแก้ไขยาวไม่เกิน ๒,๐๐๐ ตัวอักษร"))
        self._transition(
            source=(self.Status.SUBMITTED,),
            target=self.Status.DRAFT,
            by=by,
            action="return",
            reason=reason,
            returned_by=by,
            returned_at=timezone.now(),
        )

    def approve(self, *, by, lock_version: int | None = None) -> None:
        """An executive of the same organisation approves a submitted plan (the version they read, if given)."""
        self._check_executive(by)
        self._transition(
            source=(self.Status.SUBMITTED,),
            target=self.Status.APPROVED,
            by=by,
            action="approve",
            lock_version=lock_version,
            empty_message=str(EMPTY_PLAN_APPROVE_MESSAGE),
            approved_by=by,
            approved_at=timezone.now(),
        )

    def publish(self, *, by, lock_version: int | None = None) -> None:
        """An executive of the organisation (or an administrator) publishes an approved plan."""
        self._require(by, policy.Action.PUBLISH, gettext("เฉพาะผู้บริหารของหน่วยงานนี้เท่านั้นที่เผยแพร่มาตรการได้"))
        with transaction.atomic():
            self._transition(
                source=(self.Status.APPROVED,),
                target=self.Status.PUBLISHED,
                by=by,
                action="publish",
                lock_version=lock_version,
                published_by=by,
                published_at=timezone.now(),
            )
            plan_published.send(sender=MeasurePlan, plan=self, by=by)

    def _check_executive(self, user) -> None:
        self._require(user, policy.Action.APPROVE, gettext("เฉพาะผู้บริหารของหน่วยงานนี้เท่านั้นที่อนุมัติมาตรการได้"))

    def new_version(self, *, by) -> MeasurePlan:
        """A draft copy (findings, measures and their progress) that supersedes this approved/published plan."""
        self._require(by, policy.Action.NEW_VERSION, gettext("คุณไม่มีสิทธิ์สร้างฉบับแก้ไขของมาตรการนี้"))
        if not self.is_frozen:
            raise PlanStateError(gettext("แก้ไขฉบับร่างได้โดยตรง ไม่ต้องสร้างฉบับใหม่"))
        with transaction.atomic():
            # Lock the row so that two corrections cannot both claim the next version number.
            locked = MeasurePlan.objects.select_for_update().get(pk=self.pk)
            if MeasurePlan.objects.filter(supersedes=locked).exists():
                raise PlanStateError(gettext("มาตรการฉบับนี้มีฉบับแก้ไขอยู่แล้ว"))
            plan = _copy_plan(locked, by=by)
            summary = gettext("สร้างฉบับแก้ไขที่ %(new)s จากฉบับที่ %(old)s") % {
                "new": format_number(plan.version),
                "old": format_number(locked.version),
            }
            audit.record_many(
                [
                    audit.build(action="new_version", obj=locked, user=by, summary=summary),
                    audit.build(action="create", obj=plan, user=by, summary=summary),
                ]
            )
            return plan


def _copy_plan(old: MeasurePlan, *, by) -> MeasurePlan:
    keep = [
        "organization",
        "fiscal_year",
        "based_on",
        "threshold",
        "grouping",
        "meeting_date",
        "meeting_body",
        "meeting_place",
        "office",
        "office_phone",
        "approver_name",
        "approver_position",
    ]
    plan = MeasurePlan.objects.create(
        **{name: getattr(old, name) for name in keep}, version=old.version + 1, supersedes=old, created_by=by
    )
    Finding.objects.bulk_create(
        [
            Finding(plan=plan, **{f: getattr(finding, f) for f in Finding.COPIED_FIELDS})
            for finding in old.findings.all()
        ]
    )
    copies = []
    for measure in old.measures.prefetch_related("progress__attachments"):
        entries = list(measure.progress.all())
        measure.pk, measure.plan = None, plan
        measure.save()
        files = [list(entry.attachments.all()) for entry in entries]
        for entry in entries:
            entry.pk, entry.measure = None, measure
        Progress.objects.bulk_create(entries)
        # The copies name the same stored files (nothing is written to storage).
        for entry, attachments in zip(entries, files, strict=True):
            for attachment in attachments:
                attachment.pk, attachment.progress = None, entry
                copies.append(attachment)
    ProgressAttachment.objects.bulk_create(copies)
    return plan


class PartOfPlan:
    """A row that belongs to a plan: it cannot be saved or deleted once the stored plan is frozen.

    Who may see it and whose history shows its changes are the plan's.
    """

    def access_facts(self) -> AccessFacts:
        return self.plan.access_facts()

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return self.plan.history_subject()

    def save(self, *args, **kwargs) -> None:
        MeasurePlan(pk=self.plan_id).ensure_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        MeasurePlan(pk=self.plan_id).ensure_editable()
        return super().delete(*args, **kwargs)


class Finding(PartOfPlan, models.Model):
    """A generated analysis text of a plan, which staff may edit; regeneration keeps edited texts.

    `key` names what the text is about ("summary", "indicator:7", "item:e4") so that a later
    regeneration finds the same finding again even if it changed kind (a weakness became a strength).
    """

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("สรุปลำดับคะแนน")
        STRENGTH = "strength", _("จุดแข็ง")
        WEAKNESS = "weakness", _("จุดอ่อน")
        ITEM = "item", _("ข้อที่ต้องพัฒนา")

    COPIED_FIELDS = (
        "key",
        "kind",
        "indicator",
        "item_code",
        "score",
        "generated_text",
        "text",
        "edited",
        "current",
        "order",
    )

    plan = models.ForeignKey(
        MeasurePlan, on_delete=models.CASCADE, related_name="findings", verbose_name=_("มาตรการฉบับ")
    )
    key = models.CharField(_("รหัสประเด็น"), max_length=32)
    kind = models.CharField(_("ประเภท"), max_length=16, choices=Kind.choices)
    indicator = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"), null=True, blank=True)
    item_code = models.CharField(_("รหัสข้อ"), max_length=8, blank=True)
    score = score_field(verbose_name=_("คะแนน"), null=True, blank=True)
    generated_text = models.TextField(_("ข้อความที่ระบบสร้าง"), blank=True)
    text = models.TextField(_("ข้อความ"), blank=True)
    edited = models.BooleanField(_("แก้ไขแล้ว"), default=False)
    # False when new scores no longer produce this finding; it stays only because staff edited it.
    current = models.BooleanField(_("ตรงกับผลล่าสุด"), default=True)
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="finding_plan_key"),
            score_range_check("score", "finding_score_range"),
        ]
        verbose_name = _("ผลการวิเคราะห์")
        verbose_name_plural = _("ผลการวิเคราะห์")

    def __str__(self) -> str:
        return f"{self.plan} {self.key}"

    def fingerprint(self) -> str:
        """SHA-256 of the text: an edit started from another text than the stored one is stale."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    def edit(self, text: str, *, by, fingerprint: str | None = None) -> None:
        """Staff replace the generated text with their own.

        `fingerprint` is fingerprint() of the text the user started from: when the stored text
        changed since (another editor, a regeneration), StaleEdit is raised and nothing is written.
        """
        if not self.plan.editable_by(by):
            raise PlanPermissionDenied(gettext("คุณไม่มีสิทธิ์แก้ไขมาตรการฉบับนี้"))
        with transaction.atomic():
            stored = Finding.objects.select_for_update().filter(pk=self.pk).first()
            if stored is None:
                raise PlanStateError(gettext("ไม่พบข้อความนี้แล้ว อาจถูกลบเมื่อปรับผลการวิเคราะห์ใหม่"))
            if fingerprint and stored.fingerprint() != fingerprint:
                raise StaleEdit(str(FINDING_STALE_MESSAGE))
            old = stored.text
            self.text, self.edited = text, True
            self.save(update_fields=["text", "edited"])
            audit.record(
                action="update",
                obj=self,
                user=by,
                changes=audit.model_diff(Finding, {"text": old}, {"text": text}),
                summary=gettext("แก้ไขข้อความผลการวิเคราะห์ %(key)s") % {"key": self.key},
            )


class Measure(PartOfPlan, MeasureColumns):
    """One row of the measures table: the five columns and what it answers."""

    plan = models.ForeignKey(
        MeasurePlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("มาตรการฉบับ")
    )
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    item_codes = models.JSONField(_("ข้อที่ตอบ"), default=list, blank=True)
    library = models.ForeignKey(
        LibraryMeasure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="used_in",
        verbose_name=_("มาตรการต้นแบบจากคลัง"),
    )

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = _period_checks("measure")
        verbose_name = _("มาตรการ")
        verbose_name_plural = _("มาตรการ")

    def __str__(self) -> str:
        return self.title[:80]

    # What the edit form changes; its fingerprint is the measure's version for the lost-update check.
    EDITABLE_FIELDS = (
        "title",
        "steps",
        "responsible",
        "period_kind",
        "start_month",
        "end_month",
        "monitoring",
        "indicators",
        "item_codes",
    )

    def period_display(self, digits: str = "thai") -> str:
        return period_text(self.plan.fiscal_year, self.period_kind, self.start_month, self.end_month, digits=digits)

    def fingerprint(self) -> str:
        """SHA-256 of the editable columns: an edit made from other values than the stored ones is stale."""
        return hashlib.sha256(_canonical(audit.snapshot(self, self.EDITABLE_FIELDS))).hexdigest()

    @property
    def answers(self) -> list[str]:
        """The item codes and indicator numbers this measure answers, e.g. ["i7", "4"]."""
        return [*self.item_codes, *(str(number) for number in self.indicators)]


class Progress(models.Model):
    """A dated follow-up entry of a measure during the year (allowed on published plans)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่ดำเนินการ")
        IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
        DONE = "done", _("ดำเนินการแล้ว")
        NOT_POSSIBLE = "not_possible", _("ไม่สามารถดำเนินการได้")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress", verbose_name=_("มาตรการ"))
    date = models.DateField(_("วันที่"))
    status = models.CharField(_("สถานะ"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("ร้อยละความก้าวหน้า"), default=0, validators=[MaxValueValidator(100)])
    note = models.TextField(_("สิ่งที่ดำเนินการ"), blank=True)
    evidence_url = models.URLField(_("ลิงก์หลักฐาน"), blank=True)
    created_by = user_field(_("ผู้บันทึก"))
    created_at = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["measure", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="progress_percent_range"),
        ]
        verbose_name = _("ความก้าวหน้า")
        verbose_name_plural = _("ความก้าวหน้า")

    # What the edit form changes; its fingerprint is the entry's version for the lost-update check.
    EDITABLE_FIELDS = ("date", "status", "percent", "note", "evidence_url")

    def __str__(self) -> str:
        return f"{self.measure} {self.date} {self.percent}%"

    def access_facts(self) -> AccessFacts:
        return self.measure.plan.access_facts()

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return self.measure.plan.history_subject()

    def fingerprint(self) -> str:
        """SHA-256 of the editable fields: an edit made from other values than the stored ones is stale."""
        return hashlib.sha256(_canonical(audit.snapshot(self, self.EDITABLE_FIELDS))).hexdigest()


ATTACHMENTS_PER_ENTRY = 5
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def attachment_path(attachment: ProgressAttachment, _filename: str) -> str:
    """A name the server makes up (the uploader's file name never reaches a path), with the sniffed type's extension."""
    today = timezone.localdate()
    extension = EXTENSIONS.get(attachment.content_type, "")
    return f"progress/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"


class ProgressAttachmentQuerySet(models.QuerySet):
    def stored_bytes(self, organization_id: int) -> int:
        """Bytes the organisation's attachments take in storage; a file shared by copies of a plan counts once."""
        rows = self.filter(progress__measure__plan__organization_id=organization_id)
        firsts = rows.order_by().values("file").annotate(first=Min("pk")).values("first")
        return self.filter(pk__in=Subquery(firsts)).aggregate(total=Coalesce(Sum("size"), 0))["total"]


class ProgressAttachment(models.Model):
    """A file (PDF, PNG or JPEG, recognised by its content) kept as evidence of a progress entry.

    A new version of a plan copies its entries with their attachments: the copies share the stored
    file, which is deleted only when no row names it any more.
    """

    progress = models.ForeignKey(
        Progress, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ความก้าวหน้า")
    )
    file = models.FileField(_("ไฟล์"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"))
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=64)
    sha256 = models.CharField(_("ค่าแฮช SHA-256"), max_length=64)
    uploaded_by = user_field(_("ผู้แนบไฟล์"))
    uploaded_at = models.DateTimeField(_("แนบเมื่อ"), default=timezone.now)

    objects = ProgressAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["progress", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=ATTACHMENT_MAX_BYTES), name="progressattachment_size_limit"),
        ]
        verbose_name = _("ไฟล์แนบความก้าวหน้า")
        verbose_name_plural = _("ไฟล์แนบความก้าวหน้า")

    def __str__(self) -> str:
        return self.original_name

    def access_facts(self) -> AccessFacts:
        return self.progress.access_facts()

    def history_subject(self) -> tuple[str, int | None, int | None]:
        return self.progress.history_subject()


def _delete_unused_file(name: str) -> None:
    if name and not ProgressAttachment.objects.filter(file=name).exists():
        default_storage.delete(name)


@receiver(post_delete, sender=ProgressAttachment)
def _forget_file(sender, instance: ProgressAttachment, **kwargs) -> None:
    """However the row went (alone, or with its entry, measure, plan or organisation), its file goes after commit."""
    name = instance.file.name
    transaction.on_commit(lambda: _delete_unused_file(name), using=kwargs.get("using"))
