"""The catalogues and the plans as spreadsheets (django-import-export resources used by measures.admin).

Recommendations are matched on their item (fiscal year + item code), library measures on their key.
An imported row that creates or changes an entry marks it edited=True, as an admin edit does, so
that load_catalogue never overwrites what an administrator wrote. Plans are exported only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from import_export import fields, widgets

from ita.models import Framework, Item, Organization
from ita.onboarding.base import ChoiceWidget, ThaiResource
from ita.thai import MONTH_ABBRS, ThaiValueError, normalize_item_code, normalize_text, parse_fiscal_year, parse_month
from measures.models import LibraryMeasure, Measure, MeasurePlan, PeriodKind, Recommendation

YEAR_COLUMN = str(Framework._meta.get_field("fiscal_year").verbose_name)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _year(value) -> int:
    try:
        return parse_fiscal_year(value)
    except ThaiValueError as error:
        raise ValueError(str(error)) from error


def _code(value) -> str:
    try:
        return normalize_item_code(str(value))
    except ThaiValueError as error:
        raise ValueError(str(error)) from error


def _find_item(year: int, code: str) -> Item:
    item = Item.objects.filter(framework__fiscal_year=year, framework__source=Framework.Source.NACC_ITAS, code=code)
    found = item.select_related("framework").first()
    if found is None:
        raise ValueError(gettext("ไม่พบข้อ %(code)s ในกรอบการประเมินปี %(year)s") % {"code": code.upper(), "year": year})
    return found


class ItemWidget(widgets.Widget):
    """The item of a row: its code in this column, its fiscal year in the year column of the same row."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(gettext("ต้องระบุรหัสข้อ"))
        return _find_item(_year((row or {}).get(YEAR_COLUMN)), _code(value))

    def render(self, value, obj=None, **kwargs):
        return value.code.upper() if value is not None else ""


class ItemListWidget(widgets.ManyToManyWidget):
    """Items written "2568:I7, 2568:O27" (fiscal year, colon, item code), comma separated."""

    def __init__(self, **kwargs) -> None:
        super().__init__(Item, **kwargs)

    def clean(self, value, row=None, **kwargs):
        items = []
        for part in str(value or "").replace("\n", ",").split(","):
            if not part.strip():
                continue
            year, colon, code = part.strip().partition(":")
            if not colon:
                raise ValueError(gettext("“%(part)s”: เขียนเป็น ปี:รหัสข้อ เช่น 2568:I7") % {"part": part.strip()})
            items.append(_find_item(_year(year.strip()), _code(code)))
        return items

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        items = value.select_related("framework").order_by("framework__fiscal_year", "order", "code")
        return ", ".join(f"{item.framework.fiscal_year}:{item.code.upper()}" for item in items)


class LinesWidget(widgets.Widget):
    """A list of texts as one cell, one text per line."""

    def clean(self, value, row=None, **kwargs):
        lines = normalize_text(str(value or "")).split("\n")
        return [line.strip() for line in lines if line.strip()]

    def render(self, value, obj=None, **kwargs):
        return "\n".join(value or [])


class IndicatorListWidget(widgets.Widget):
    """Indicator numbers 1–10 as "1, 4, 7"."""

    def clean(self, value, row=None, **kwargs):
        numbers = set()
        for part in str(value or "").replace("\n", ",").split(","):
            text = part.strip()
            if not text:
                continue
            if not text.isdigit() or not 1 <= int(text) <= 10:
                raise ValueError(gettext("“%(part)s” ไม่ใช่เลขตัวชี้วัด ๑–๑๐") % {"part": text})
            numbers.add(int(text))
        return sorted(numbers)

    def render(self, value, obj=None, **kwargs):
        return ", ".join(str(number) for number in value or [])


class MonthWidget(widgets.Widget):
    """A month as its Thai abbreviation (ม.ค.); a number 1–12 or a full name is accepted back."""

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        if text.isdigit():
            if not 1 <= int(text) <= 12:
                raise ValueError(gettext("เดือนต้องอยู่ระหว่าง ๑ ถึง ๑๒"))
            return int(text)
        try:
            return parse_month(text)
        except ThaiValueError as error:
            raise ValueError(str(error)) from error

    def render(self, value, obj=None, **kwargs):
        return MONTH_ABBRS[value - 1] if value else ""


class EditedCatalogueResource(ThaiResource):
    """A catalogue entry that an import creates or changes is the administrator's text from then on."""

    def before_save_instance(self, instance, row, **kwargs) -> None:
        instance.edited = True


class RecommendationResource(EditedCatalogueResource):
    """One row per item's recommendation, matched on (fiscal year, item code)."""

    fiscal_year = fields.Field(attribute="item__framework__fiscal_year", column_name=YEAR_COLUMN, readonly=True)
    item = fields.Field(attribute="item", column_name=_label(Item, "code"), widget=ItemWidget())
    edited = fields.Field(attribute="edited", column_name=_label(Recommendation, "edited"), readonly=True)
    code_columns = ("fiscal_year",)

    class Meta:
        model = Recommendation
        name = "ข้อเสนอแนะรายข้อ"
        fields = ("fiscal_year", "item", "issue", "action", "edited")
        import_id_fields = ("item",)

    def before_import_row(self, row, **kwargs) -> None:
        # The item is the row's key: a bad year or code is a validation error of that column, not a crash.
        try:
            self.fields["item"].clean(row)
        except ValueError as error:
            raise ValidationError({"item": str(error)}) from error

    def get_queryset(self):
        return Recommendation.objects.select_related("item__framework").order_by("item__framework__fiscal_year", "item")

    def dehydrate_edited(self, recommendation: Recommendation) -> str:
        return gettext("ใช่") if recommendation.edited else ""


class LibraryMeasureResource(EditedCatalogueResource):
    """One row per library measure, matched on its key; items "2568:I7, …", steps one per line."""

    period_kind = fields.Field(
        attribute="period_kind",
        column_name=_label(LibraryMeasure, "period_kind"),
        widget=ChoiceWidget(PeriodKind.choices),
        saves_null_values=False,
    )
    start_month = fields.Field(
        attribute="start_month", column_name=_label(LibraryMeasure, "start_month"), widget=MonthWidget()
    )
    end_month = fields.Field(
        attribute="end_month", column_name=_label(LibraryMeasure, "end_month"), widget=MonthWidget()
    )
    steps = fields.Field(attribute="steps", column_name=_label(LibraryMeasure, "steps"), widget=LinesWidget())
    indicators = fields.Field(
        attribute="indicators", column_name=_label(LibraryMeasure, "indicators"), widget=IndicatorListWidget()
    )
    items = fields.Field(attribute="items", column_name=_label(LibraryMeasure, "items"), widget=ItemListWidget())
    edited = fields.Field(attribute="edited", column_name=_label(LibraryMeasure, "edited"), readonly=True)
    code_columns = ("start_month", "end_month", "indicators", "order")

    class Meta:
        model = LibraryMeasure
        name = "คลังมาตรการ"
        fields = (
            "key",
            "title",
            "steps",
            "responsible",
            "period_kind",
            "start_month",
            "end_month",
            "monitoring",
            "indicators",
            "items",
            "order",
            "edited",
        )
        import_id_fields = ("key",)

    def get_queryset(self):
        return LibraryMeasure.objects.order_by("order", "key")

    def dehydrate_edited(self, measure: LibraryMeasure) -> str:
        return gettext("ใช่") if measure.edited else ""


# --- plans, exported only -----------------------------------------------------------------------


class PlanResource(ThaiResource):
    """One row per plan version: whose, which year, its status and how many measures."""

    organization_code = fields.Field(attribute="organization__code", column_name=_label(Organization, "code"))
    organization_name = fields.Field(attribute="organization__name", column_name=_label(Organization, "name"))
    status = fields.Field(attribute="status", column_name=_label(MeasurePlan, "status"))
    measure_count = fields.Field(column_name=gettext("จำนวนมาตรการ"))

    class Meta:
        model = MeasurePlan
        name = "มาตรการรายฉบับ"
        fields = (
            "organization_code",
            "organization_name",
            "fiscal_year",
            "version",
            "status",
            "threshold",
            "meeting_date",
            "approver_name",
            "approver_position",
            "approved_at",
            "published_at",
            "measure_count",
        )

    def export(self, queryset=None, **kwargs):
        queryset = MeasurePlan.objects.all() if queryset is None else queryset
        return super().export(queryset.select_related("organization").with_counts(), **kwargs)

    def dehydrate_status(self, plan: MeasurePlan) -> str:
        return plan.get_status_display()

    def dehydrate_measure_count(self, plan: MeasurePlan) -> int:
        return plan.measure_count


class PlanMeasureResource(ThaiResource):
    """One row per measure of the chosen plans, with its plan's organisation, year and version."""

    organization_code = fields.Field(attribute="plan__organization__code", column_name=_label(Organization, "code"))
    organization_name = fields.Field(attribute="plan__organization__name", column_name=_label(Organization, "name"))
    fiscal_year = fields.Field(attribute="plan__fiscal_year", column_name=_label(MeasurePlan, "fiscal_year"))
    version = fields.Field(attribute="plan__version", column_name=_label(MeasurePlan, "version"))
    steps = fields.Field(attribute="steps", column_name=_label(Measure, "steps"), widget=LinesWidget())
    period = fields.Field(column_name=_label(Measure, "period_kind"))
    indicators = fields.Field(
        attribute="indicators", column_name=_label(Measure, "indicators"), widget=IndicatorListWidget()
    )
    item_codes = fields.Field(column_name=_label(Measure, "item_codes"))

    class Meta:
        model = Measure
        name = "มาตรการรายข้อ"
        fields = (
            "organization_code",
            "organization_name",
            "fiscal_year",
            "version",
            "order",
            "title",
            "steps",
            "responsible",
            "period",
            "monitoring",
            "indicators",
            "item_codes",
        )

    def export(self, queryset=None, **kwargs):
        # The plan admin's list hands over plans: their measures are the rows.
        plans = MeasurePlan.objects.all() if queryset is None else queryset
        measures = Measure.objects.filter(plan__in=plans.values("pk")).select_related("plan__organization")
        return super().export(
            measures.order_by("plan__organization__code", "plan__fiscal_year", "plan__version", "order", "pk"), **kwargs
        )

    def dehydrate_period(self, measure: Measure) -> str:
        return measure.period_display(digits="arabic")

    def dehydrate_item_codes(self, measure: Measure) -> str:
        return ", ".join(code.upper() for code in measure.item_codes)
