"""Frameworks as data: one per fiscal year, with its levels, indicators, items and the crosswalk.

The crosswalk is walked in one place: `ItemCrosswalk.objects.links()` reads the links in one query
and `crosswalk_groups()` (pure) puts linked items into connected groups, whatever the direction
or the number of years in between.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.models.base import Tool, score_field, score_range_check  # noqa: F401

WEIGHT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def rollup_weight_field(help_text) -> models.DecimalField:
    """A relative weight in an indicator's roll-up: 1 by default, 0 leaves the part out."""
    return models.DecimalField(
        _("น้ำหนักในการรวมคะแนน"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=WEIGHT_VALIDATORS,
        help_text=help_text,
    )


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
    # When ITAS takes OIT evidence URLs for this year. Blank: settings.OIT_COLLECTION_DEFAULT (January
    # to June of the fiscal year, FRAMEWORK.md section 1) until an administrator enters the year's dates.
    oit_opens = models.DateField(_("วันเปิดรับหลักฐาน OIT"), null=True, blank=True)
    oit_closes = models.DateField(_("วันปิดรับหลักฐาน OIT"), null=True, blank=True)

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

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", verbose_name=_("กรอบการประเมิน")
    )
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

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("กรอบการประเมิน")
    )
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

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="sub_indicators", verbose_name=_("ตัวชี้วัด")
    )
    code = models.CharField(_("รหัส"), max_length=8)
    name = models.CharField(_("ชื่อ"), max_length=255, blank=True)
    weight = rollup_weight_field(
        _("น้ำหนักของตัวชี้วัดย่อยนี้เทียบกับตัวชี้วัดย่อยอื่นในตัวชี้วัดเดียวกัน เมื่อคำนวณคะแนนตัวชี้วัดจากรายข้อ (๐ = ไม่นับตัวชี้วัดย่อยนี้)")
    )
    note = models.TextField(_("หมายเหตุ / แหล่งข้อมูล"), blank=True)

    objects = SubIndicatorManager()

    class Meta:
        ordering = ["indicator", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="subindicator_indicator_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="subindicator_weight_not_negative"),
        ]
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

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("กรอบการประเมิน")
    )
    code = models.CharField(_("รหัสข้อ"), max_length=8, help_text=_("เช่น i7, e4, o27"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items", verbose_name=_("ตัวชี้วัด"))
    sub_indicator = models.ForeignKey(
        SubIndicator, on_delete=models.SET_NULL, related_name="items", null=True, blank=True, verbose_name=_("ตัวชี้วัดย่อย")
    )
    text = models.TextField(_("ข้อคำถาม / รายการ"), blank=True)
    reverse_scored = models.BooleanField(_("ข้อคำถามเชิงลบ"), default=False)
    is_measures_item = models.BooleanField(_("เป็นข้อ มาตรการส่งเสริมฯ"), default=False)
    is_followup_item = models.BooleanField(_("เป็นข้อ การดำเนินการตามมาตรการฯ"), default=False)
    evidence = models.TextField(
        _("หลักฐานที่ข้อนี้ขอ"),
        blank=True,
        help_text=_("คำอธิบายสั้น ๆ ที่ระบบเขียนจากชื่อข้อ ไม่ใช่ข้อความของสำนักงาน ป.ป.ช.; ว่างไว้เมื่อไม่ทราบ"),
    )
    weight = rollup_weight_field(
        _(
            "น้ำหนักของข้อนี้เทียบกับข้ออื่นในตัวชี้วัดย่อยเดียวกัน (หรือในตัวชี้วัด ถ้าไม่มีตัวชี้วัดย่อย) "
            "เมื่อคำนวณคะแนนตัวชี้วัดจากรายข้อ (๐ = ไม่นับข้อนี้ และไม่ต้องมีคะแนนของข้อนี้)"
        )
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    verified = models.BooleanField(_("ตรวจสอบแล้ว"), default=False)
    note = models.TextField(_("หมายเหตุ / แหล่งข้อมูล"), blank=True)

    objects = ItemManager()

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="item_framework_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="item_weight_not_negative"),
        ]
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


def crosswalk_groups(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Item id → the smallest id of its connected group (union-find over the crosswalk edges).

    Every node and every end of an edge is in the result; a node without an edge is its own group.
    """
    parent: dict[int, int] = {node: node for node in nodes}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving keeps later finds short
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return {node: find(node) for node in list(parent)}


@dataclass(frozen=True)
class CrosswalkLinks:
    """Crosswalk links as plain data: (from id, to id) edges and the fiscal year of every item on them."""

    edges: tuple[tuple[int, int], ...]
    years: Mapping[int, int]

    def linked(self, item_ids: Iterable[int]) -> dict[int, set[int]]:
        """Item id → the other items connected to it (any year, both directions); empty when it has no link."""
        item_ids = list(item_ids)
        roots = crosswalk_groups(item_ids, self.edges)
        members: dict[int, set[int]] = defaultdict(set)
        for node, root in roots.items():
            members[root].add(node)
        return {pk: members[roots[pk]] - {pk} for pk in item_ids}


class ItemCrosswalkQuerySet(models.QuerySet):
    def within(self, source: str, first_year: int, last_year: int) -> ItemCrosswalkQuerySet:
        """Links of one framework source from `first_year` on that lead to `last_year` at the latest."""
        return self.filter(
            from_item__framework__source=source,
            from_item__framework__fiscal_year__gte=first_year,
            to_item__framework__fiscal_year__lte=last_year,
        )

    def links(self) -> CrosswalkLinks:
        """These links with their items' years, in one query."""
        rows = self.order_by().values_list(
            "from_item_id", "to_item_id", "from_item__framework__fiscal_year", "to_item__framework__fiscal_year"
        )
        edges, years = [], {}
        for a, b, year_a, year_b in rows:
            edges.append((a, b))
            years[a], years[b] = year_a, year_b
        return CrosswalkLinks(tuple(edges), years)

    def linked(self, item_ids: Iterable[int]) -> dict[int, set[int]]:
        """Item id → the other items connected to it through these links (one query)."""
        return self.links().linked(item_ids)

    def next_codes(self, item_ids: Iterable[int], framework: Framework | int) -> dict[int, list[str]]:
        """Item id → codes of the items of `framework` it links to directly, in framework order (one query).

        Only direct links count: an item of the following year is never reached through a detour.
        """
        item_ids = list(item_ids)
        if not item_ids:
            return {}
        rows = (
            self.filter(from_item_id__in=item_ids, to_item__framework=framework)
            .order_by("to_item__order", "to_item__code")
            .values_list("from_item_id", "to_item__code")
        )
        found: dict[int, list[str]] = {}
        for from_id, to_code in rows:
            found.setdefault(from_id, []).append(to_code)
        return found


class ItemCrosswalkManager(models.Manager.from_queryset(ItemCrosswalkQuerySet)):
    def get_by_natural_key(self, from_year, from_source, from_code, to_year, to_source, to_code):
        return self.get(
            from_item=Item.objects.get_by_natural_key(from_year, from_source, from_code),
            to_item=Item.objects.get_by_natural_key(to_year, to_source, to_code),
        )


class ItemCrosswalk(models.Model):
    """An item of one year that asks the same thing as an item of the following year."""

    from_item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="crosswalk_next", verbose_name=_("ข้อของปีก่อน")
    )
    to_item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="crosswalk_previous", verbose_name=_("ข้อของปีถัดไป")
    )
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
