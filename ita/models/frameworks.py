"""Frameworks as data: one per fiscal year, with its levels, indicators, items and the crosswalk."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.models.base import Tool, score_field, score_range_check  # noqa: F401


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
