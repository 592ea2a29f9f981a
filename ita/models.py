"""The shared nouns of the ITA domain: organisations, frameworks (as data) and assessments."""

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(**kwargs) -> models.DecimalField:
    """A score: a Decimal with 2 places, 0–100 (the range is also a database constraint)."""
    kwargs.setdefault("max_digits", 5)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("validators", SCORE_VALIDATORS)
    return models.DecimalField(**kwargs)


def score_range_check(field: str, name: str) -> models.CheckConstraint:
    in_range = Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100})
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True}) | in_range, name=name)


class Tool(models.TextChoices):
    IIT = "IIT", "IIT"
    EIT = "EIT", "EIT"
    OIT = "OIT", "OIT"


class OrganizationManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def with_latest_assessment(self) -> models.QuerySet:
        """Annotate each organisation with its most recent assessment (latest_*), in the same query."""
        latest = Assessment.objects.filter(organization=OuterRef("pk")).order_by("-fiscal_year")
        return self.get_queryset().annotate(
            latest_assessment_id=Subquery(latest.values("pk")[:1]),
            latest_fiscal_year=Subquery(latest.values("fiscal_year")[:1]),
            latest_overall=Subquery(latest.values("overall")[:1]),
            latest_level=Subquery(latest.values("level")[:1]),
            latest_provisional=Subquery(latest.values("provisional")[:1]),
        )


class Organization(models.Model):
    """An agency assessed by ITA, keyed by a stable code that every import matches on."""

    class Type(models.TextChoices):
        PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
        CITY = "city", _("เทศบาลนคร")
        TOWN = "town", _("เทศบาลเมือง")
        SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
        SAO = "sao", _("องค์การบริหารส่วนตำบล")
        BANGKOK = "bangkok", _("กรุงเทพมหานคร")
        PATTAYA = "pattaya", _("เมืองพัทยา")
        OTHER = "other", _("หน่วยงานอื่น")

    code = models.CharField(_("รหัสหน่วยงาน"), max_length=32, unique=True)
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=255)
    org_type = models.CharField(_("ประเภท"), max_length=32, choices=Type.choices, default=Type.OTHER)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=64, blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)

    objects = OrganizationManager()

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.code,)


class Membership(models.Model):
    """Which organisation a user works for, and in what role. Superusers are administrators."""

    class Role(models.TextChoices):
        STAFF = "staff", _("เจ้าหน้าที่")
        EXECUTIVE = "executive", _("ผู้บริหาร")
        AUDITOR = "auditor", _("ผู้ตรวจสอบ")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(_("บทบาท"), max_length=16, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("สมาชิกหน่วยงาน")
        verbose_name_plural = _("สมาชิกหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    @staticmethod
    def organization_id_for(user) -> int | None:
        """The id of the organisation a signed-in user works for, or None."""
        if user is None or not user.is_authenticated:
            return None
        membership = getattr(user, "membership", None)
        return membership.organization_id if membership is not None else None


class FrameworkManager(models.Manager):
    def get_by_natural_key(self, fiscal_year, source):
        return self.get(fiscal_year=fiscal_year, source=source)


class Framework(models.Model):
    """One fiscal year's assessment scheme from one source: tools, weights, levels and items."""

    class Source(models.TextChoices):
        NACC_ITAS = "nacc_itas", _("สำนักงาน ป.ป.ช. (ITAS)")

    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    source = models.CharField(_("แหล่งที่มา"), max_length=32, choices=Source.choices, default=Source.NACC_ITAS)
    name = models.CharField(_("ชื่อ"), max_length=255, blank=True)
    weight_iit = models.DecimalField(_("น้ำหนัก IIT"), max_digits=4, decimal_places=3, default=Decimal("0.30"))
    weight_eit = models.DecimalField(_("น้ำหนัก EIT"), max_digits=4, decimal_places=3, default=Decimal("0.30"))
    weight_oit = models.DecimalField(_("น้ำหนัก OIT"), max_digits=4, decimal_places=3, default=Decimal("0.40"))
    verified = models.BooleanField(_("ตรวจสอบแล้ว"), default=False)
    note = models.TextField(_("หมายเหตุ / แหล่งข้อมูล"), blank=True)

    objects = FrameworkManager()

    class Meta:
        ordering = ["-fiscal_year", "source"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "source"], name="framework_year_source")]
        verbose_name = _("กรอบการประเมิน")
        verbose_name_plural = _("กรอบการประเมิน")

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year} ({self.get_source_display()})"

    def natural_key(self):
        return (self.fiscal_year, self.source)


class GradeLevelManager(models.Manager):
    def get_by_natural_key(self, fiscal_year, source, label):
        return self.get(framework__fiscal_year=fiscal_year, framework__source=source, label=label)


class GradeLevel(models.Model):
    """One level of a framework's grading scheme, checked from the highest min_overall down.

    A level applies when the rounded overall is at least min_overall and, if min_tool is set,
    every tool (IIT, EIT part 1, EIT part 2, OIT) is at least min_tool.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    label = models.CharField(_("ระดับ"), max_length=64)
    min_overall = score_field(verbose_name=_("คะแนนรวมขั้นต่ำ"))
    min_tool = score_field(verbose_name=_("คะแนนรายเครื่องมือขั้นต่ำ"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    objects = GradeLevelManager()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "label"], name="gradelevel_framework_label")]
        verbose_name = _("ระดับผลการประเมิน")
        verbose_name_plural = _("ระดับผลการประเมิน")

    def __str__(self) -> str:
        return self.label

    def natural_key(self):
        return (*self.framework.natural_key(), self.label)

    natural_key.dependencies = ["ita.framework"]


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, fiscal_year, source, number):
        return self.get(framework__fiscal_year=fiscal_year, framework__source=source, number=number)


class Indicator(models.Model):
    """One of a framework's ten indicators, measured by one tool."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"), validators=[MinValueValidator(1), MaxValueValidator(10)])
    tool = models.CharField(_("เครื่องมือ"), max_length=3, choices=Tool.choices)
    name = models.CharField(_("ชื่อตัวชี้วัด"), max_length=255)
    description = models.TextField(_("สิ่งที่ตัวชี้วัดนี้วัด"), blank=True)

    objects = IndicatorManager()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="indicator_framework_number")]
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.number)

    natural_key.dependencies = ["ita.framework"]


class SubIndicatorManager(models.Manager):
    def get_by_natural_key(self, fiscal_year, source, code):
        return self.get(indicator__framework__fiscal_year=fiscal_year, indicator__framework__source=source, code=code)


class SubIndicator(models.Model):
    """A group of OIT items inside an indicator, e.g. 9.1 ข้อมูลพื้นฐาน."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sub_indicators")
    code = models.CharField(_("รหัส"), max_length=8)
    name = models.CharField(_("ชื่อ"), max_length=255, blank=True)

    objects = SubIndicatorManager()

    class Meta:
        ordering = ["indicator", "code"]
        constraints = [models.UniqueConstraint(fields=["indicator", "code"], name="subindicator_indicator_code")]
        verbose_name = _("ตัวชี้วัดย่อย")
        verbose_name_plural = _("ตัวชี้วัดย่อย")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def natural_key(self):
        return (*self.indicator.framework.natural_key(), self.code)

    natural_key.dependencies = ["ita.indicator"]


class ItemManager(models.Manager):
    def get_by_natural_key(self, fiscal_year, source, code):
        return self.get(framework__fiscal_year=fiscal_year, framework__source=source, code=code)


class Item(models.Model):
    """A question (IIT/EIT) or evidence item (OIT) of a framework, with its normalised code."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("รหัสข้อ"), max_length=8, help_text=_("เช่น i7, e4, o27"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items")
    sub_indicator = models.ForeignKey(
        SubIndicator, on_delete=models.SET_NULL, related_name="items", null=True, blank=True
    )
    text = models.TextField(_("ข้อคำถาม / รายการ"), blank=True)
    reverse_scored = models.BooleanField(_("ข้อคำถามเชิงลบ"), default=False)
    is_measures_item = models.BooleanField(_("เป็นข้อ มาตรการส่งเสริมฯ"), default=False)
    is_followup_item = models.BooleanField(_("เป็นข้อ การดำเนินการตามมาตรการฯ"), default=False)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    verified = models.BooleanField(_("ตรวจสอบแล้ว"), default=False)
    note = models.TextField(_("หมายเหตุ / แหล่งข้อมูล"), blank=True)

    objects = ItemManager()

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="item_framework_code")]
        verbose_name = _("ข้อการประเมิน")
        verbose_name_plural = _("ข้อการประเมิน")

    def __str__(self) -> str:
        return f"{self.code.upper()} {self.text[:60]}".strip()

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["ita.framework", "ita.indicator", "ita.subindicator"]

    @property
    def tool(self) -> str:
        return self.indicator.tool


class ItemCrosswalkManager(models.Manager):
    def get_by_natural_key(self, from_year, from_source, from_code, to_year, to_source, to_code):
        return self.get(
            from_item=Item.objects.get_by_natural_key(from_year, from_source, from_code),
            to_item=Item.objects.get_by_natural_key(to_year, to_source, to_code),
        )


class ItemCrosswalk(models.Model):
    """An item of one year that asks the same thing as an item of the following year."""

    from_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="crosswalk_next")
    to_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="crosswalk_previous")
    verified = models.BooleanField(_("ตรวจสอบแล้ว"), default=False)
    note = models.TextField(_("หมายเหตุ"), blank=True)

    objects = ItemCrosswalkManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["from_item", "to_item"], name="crosswalk_pair")]
        verbose_name = _("การเทียบข้อข้ามปี")
        verbose_name_plural = _("การเทียบข้อข้ามปี")

    def __str__(self) -> str:
        source, target = self.from_item, self.to_item
        return f"{source.framework.fiscal_year} {source.code} → {target.framework.fiscal_year} {target.code}"

    def natural_key(self):
        return (*self.from_item.natural_key(), *self.to_item.natural_key())

    natural_key.dependencies = ["ita.item"]


class ImportBatch(models.Model):
    """One imported file: every value it wrote points back here."""

    filename = models.CharField(_("ชื่อไฟล์"), max_length=255)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
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
        from ita import policy

        return policy.scope(self, user, organization="organization_id")


class Assessment(models.Model):
    """One organisation's ITA result in one fiscal year: given scores, official and computed grades."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    official_overall = score_field(verbose_name=_("คะแนนรวม (ทางการ)"), null=True, blank=True)
    official_level = models.CharField(_("ระดับ (ทางการ)"), max_length=64, blank=True)
    # Computed by ita.grading.assess.grade_assessment; stored so list pages need no recomputation.
    overall = score_field(verbose_name=_("คะแนนรวม (คำนวณ)"), null=True, blank=True)
    level = models.CharField(_("ระดับ (คำนวณ)"), max_length=64, blank=True)
    provisional = models.BooleanField(_("ผลเบื้องต้น"), default=False)
    provisional_reason = models.TextField(_("เหตุที่เป็นผลเบื้องต้น"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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

    def editable_by(self, user) -> bool:
        """Staff of the organisation and administrators may change scores; executives and auditors only read."""
        from ita import policy

        return policy.can(user, policy.Action.EDIT_SCORES, self)

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

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    kind = models.CharField(max_length=9, choices=Kind.choices)
    code = models.CharField(max_length=8)
    value = score_field(verbose_name=_("คะแนน"))
    source = models.CharField(max_length=8, choices=ValueSource.choices, default=ValueSource.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="scores")
    updated_at = models.DateTimeField(auto_now=True)

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

    natural_key.dependencies = ["ita.assessment"]


class ScoreRevision(models.Model):
    """A stored value as it was just before something replaced it: the history of a Score.

    Written by every path that overwrites a value (score form, import), so an official import
    never erases what staff had typed without a trace.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="score_revisions")
    kind = models.CharField(max_length=9, choices=Score.Kind.choices)
    code = models.CharField(max_length=8)
    old_value = score_field(verbose_name=_("ค่าเดิม"))
    old_source = models.CharField(_("ที่มาของค่าเดิม"), max_length=8, choices=ValueSource.choices)
    old_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    old_updated_at = models.DateTimeField(_("เวลาที่บันทึกค่าเดิม"))
    # None when the value was deleted rather than replaced.
    new_value = score_field(verbose_name=_("ค่าใหม่"), null=True, blank=True)
    new_source = models.CharField(_("ที่มาของค่าใหม่"), max_length=8, choices=ValueSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions")
    changed_at = models.DateTimeField(_("เวลาที่เปลี่ยน"), default=timezone.now)

    class Meta:
        ordering = ["assessment", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["assessment", "kind", "code"], name="revision_assessment_code")]
        verbose_name = _("ประวัติคะแนน")
        verbose_name_plural = _("ประวัติคะแนน")

    def __str__(self) -> str:
        return f"{self.assessment} {self.code}: {self.old_value} → {self.new_value}"


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

    class Kind(models.TextChoices):
        FILE = "file", _("ไฟล์")
        PASTE = "paste", _("ข้อความที่วาง")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FILE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set for a staff import: every row must belong to this organisation.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="import_jobs"
    )
    # Pasted text has no year or organisation column: they come from the form.
    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True)
    create_orgs = models.BooleanField(_("สร้างหน่วยงานใหม่ได้"), default=False)
    filename = models.CharField(_("ชื่อไฟล์"), max_length=255)
    sha256 = models.CharField(max_length=64)
    # The upload itself, kept in the database so that a worker on another machine can read it.
    content = models.BinaryField(editable=False)
    status = models.CharField(_("สถานะ"), max_length=12, choices=Status.choices, default=Status.PLANNING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The preview (counts, sample of changes, new organisations) and every error, as plain JSON.
    preview = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    batch = models.OneToOneField(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="job")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("งานนำเข้าข้อมูล")
        verbose_name_plural = _("งานนำเข้าข้อมูล")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


# The audit history and the auditors' assignments live with the code that uses them; importing them
# here registers them with the app whatever else is loaded.
from ita.audit import AuditEvent  # noqa: E402, F401
from ita.policy import AuditorAssignment  # noqa: E402, F401
