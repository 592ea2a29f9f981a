"""Administrators correct framework data and organisations here, without a code change.

ITAS results are imported through our own engine (ita.import_jobs), reached from the "นำเข้าผล ITAS"
button on the assessment and import-batch lists: django-import-export's row-per-instance Resource
import cannot read the wide one-row-per-organisation files at national scale.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Assessment,
    Framework,
    GradeLevel,
    ImportBatch,
    ImportJob,
    Indicator,
    Item,
    ItemCrosswalk,
    Membership,
    Organization,
    Score,
    ScoreRevision,
    SubIndicator,
)

# Both lists carry the button that opens the import upload page (templates/admin/ita/import_change_list.html).
IMPORT_CHANGE_LIST = "admin/ita/import_change_list.html"


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written only by the application: administrators read it, nobody edits it here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class GradeLevelInline(admin.TabularInline):
    model = GradeLevel
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "tool", "name"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "source", "name", "verified"]
    list_filter = ["source", "verified"]
    inlines = [GradeLevelInline, IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "tool", "name"]
    list_filter = ["framework", "tool"]


@admin.register(SubIndicator)
class SubIndicatorAdmin(admin.ModelAdmin):
    list_display = ["indicator", "code", "name"]
    list_filter = ["indicator__framework"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = [
        "framework",
        "code",
        "indicator",
        "sub_indicator",
        "reverse_scored",
        "is_measures_item",
        "is_followup_item",
        "verified",
    ]
    list_filter = ["framework", "indicator__tool", "verified", "is_measures_item", "is_followup_item"]
    search_fields = ["code", "text"]
    list_select_related = ["framework", "indicator", "sub_indicator"]


@admin.register(ItemCrosswalk)
class ItemCrosswalkAdmin(admin.ModelAdmin):
    list_display = ["from_item", "to_item", "verified"]
    list_select_related = ["from_item__framework", "to_item__framework"]
    raw_id_fields = ["from_item", "to_item"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "org_type", "district", "province"]
    list_filter = ["org_type", "province"]
    search_fields = ["code", "name", "district", "province"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]
    raw_id_fields = ["organization"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    fields = ["kind", "code", "value", "source", "entered_by", "batch", "updated_at"]
    readonly_fields = ["entered_by", "batch", "updated_at"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ["organization", "fiscal_year", "overall", "level", "official_overall", "official_level"]
    list_filter = ["fiscal_year", "level"]
    search_fields = ["organization__name", "organization__code"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    readonly_fields = ["overall", "level", "provisional", "provisional_reason", "version", "updated_by"]
    inlines = [ScoreInline]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ["filename", "sha256", "created_by", "created_at"]
    readonly_fields = ["filename", "sha256", "created_by", "created_at"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ["filename", "kind", "status", "organization", "created_by", "created_at", "rows_total"]
    list_filter = ["status", "kind"]
    search_fields = ["filename", "sha256", "organization__name", "organization__code"]
    list_select_related = ["organization", "created_by"]
    # The stored upload (content) is never shown here: it can be a large file of another organisation.
    fields = [
        "job_page", "kind", "status", "message", "organization", "fiscal_year", "create_orgs", "filename", "sha256",
        "created_by", "created_at", "started_at", "finished_at", "rows_total", "rows_done", "batch",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    @admin.display(description=_("หน้างานนำเข้า"))
    def job_page(self, obj: ImportJob) -> str:
        return format_html('<a href="{}">{}</a>', reverse("imports:detail", args=[obj.pk]), _("เปิดหน้างานนำเข้า"))


@admin.register(ScoreRevision)
class ScoreRevisionAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "kind", "code", "old_value", "new_value", "old_source", "new_source", "changed_by"]
    list_filter = ["kind", "new_source"]
    search_fields = ["assessment__organization__name", "assessment__organization__code", "code"]
    list_select_related = ["assessment__organization", "changed_by"]
    date_hierarchy = "changed_at"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the history of a score is an audit record (SECURITY.md A6)
