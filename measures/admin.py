"""Administrators edit the catalogues here; an edit marks the entry so the loader never overwrites it.

The catalogues are imported and exported as files here too, and plans exported (measures.resources).
"""

from django.contrib import admin

from ita.admin import AuditedAdmin
from ita.onboarding.admin_mixins import ExportOnlyMixin, FileImportExportMixin
from measures.models import (
    Finding,
    IndicatorText,
    LibraryMeasure,
    Measure,
    MeasurePlan,
    OrgUnit,
    Progress,
    Recommendation,
)
from measures.resources import LibraryMeasureResource, PlanMeasureResource, PlanResource, RecommendationResource


class EditedOnSaveAdmin(AuditedAdmin):
    """Saving a catalogue entry in the admin marks it edited=True (load_catalogue then keeps it)."""

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.edited = True
        super().save_model(request, obj, form, change)


@admin.register(Recommendation)
class RecommendationAdmin(FileImportExportMixin, EditedOnSaveAdmin):
    resource_classes = [RecommendationResource]
    list_display = ["item", "issue", "edited"]
    list_filter = ["item__framework", "item__indicator__tool", "edited"]
    search_fields = ["item__code", "issue", "action"]
    list_select_related = ["item__framework"]
    raw_id_fields = ["item"]


@admin.register(IndicatorText)
class IndicatorTextAdmin(EditedOnSaveAdmin):
    list_display = ["framework", "number", "edited"]
    list_filter = ["framework", "edited"]
    list_select_related = ["framework"]


@admin.register(LibraryMeasure)
class LibraryMeasureAdmin(FileImportExportMixin, EditedOnSaveAdmin):
    resource_classes = [LibraryMeasureResource]
    list_display = ["key", "title", "responsible", "period_kind", "edited"]
    list_filter = ["edited", "period_kind"]
    search_fields = ["key", "title"]
    filter_horizontal = ["items"]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["organization", "name", "order"]
    search_fields = ["organization__code", "organization__name", "name"]
    list_select_related = ["organization"]


class FrozenPlanMixin:
    """Submitted, approved and published plans are read-only here too (the model refuses their saves):
    a submitted plan waits for the executive, a correction of a frozen one is a new version."""

    def _plan_of(self, obj):
        return obj if isinstance(obj, MeasurePlan) else getattr(obj, "plan", None)

    def has_change_permission(self, request, obj=None) -> bool:
        plan = self._plan_of(obj) if obj is not None else None
        if plan is not None and plan.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        plan = self._plan_of(obj) if obj is not None else None
        if plan is not None and plan.is_locked:
            return False
        return super().has_delete_permission(request, obj)


class FindingInline(FrozenPlanMixin, admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["order", "kind", "indicator", "item_code", "score", "text", "edited", "current"]


class MeasureInline(FrozenPlanMixin, admin.StackedInline):
    model = Measure
    extra = 0
    exclude = ["library"]


@admin.register(MeasurePlan)
class MeasurePlanAdmin(ExportOnlyMixin, FrozenPlanMixin, AuditedAdmin):
    # The listed plans as a file: one row per plan, or one row per measure of those plans.
    resource_classes = [PlanResource, PlanMeasureResource]
    list_display = ["organization", "fiscal_year", "version", "status", "threshold", "updated_at"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["organization__code", "organization__name"]
    list_select_related = ["organization"]
    readonly_fields = [
        "status",
        "version",
        "supersedes",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "published_by",
        "published_at",
        "lock_version",
        "created_by",
    ]
    raw_id_fields = ["based_on"]
    inlines = [FindingInline, MeasureInline]


@admin.register(Progress)
class ProgressAdmin(AuditedAdmin):
    list_display = ["measure", "date", "status", "percent"]
    list_filter = ["status"]
    list_select_related = ["measure"]
    raw_id_fields = ["measure"]
