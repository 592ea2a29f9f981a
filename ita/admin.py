"""Administrators correct framework data and organisations here, without a code change."""

from django.contrib import admin

from .models import (
    Assessment,
    Framework,
    GradeLevel,
    ImportBatch,
    Indicator,
    Item,
    ItemCrosswalk,
    Membership,
    Organization,
    Score,
    SubIndicator,
)


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
    list_display = ["organization", "fiscal_year", "overall", "level", "official_overall", "official_level"]
    list_filter = ["fiscal_year", "level"]
    search_fields = ["organization__name", "organization__code"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    readonly_fields = ["overall", "level", "provisional", "provisional_reason", "version", "updated_by"]
    inlines = [ScoreInline]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "sha256", "created_by", "created_at"]
    readonly_fields = ["filename", "sha256", "created_by", "created_at"]
