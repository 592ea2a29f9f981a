"""The admin's read-only list of stored link checks (ita.oit.linkhealth writes them; a new check replaces them)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ita.models import LinkCheck


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """What each evidence URL answered at its last check; administrators read it, nobody edits it."""

    list_display = ["checked_at", "organization", "fiscal_year", "item_code", "verdict", "reason", "status", "url"]
    list_filter = ["verdict"]
    search_fields = ["url"]
    list_select_related = ["checklist__organization", "item"]
    date_hierarchy = "checked_at"

    @admin.display(description=_("หน่วยงาน"), ordering="checklist__organization__name")
    def organization(self, check: LinkCheck) -> str:
        return str(check.checklist.organization)

    @admin.display(description=_("ปีงบประมาณ (พ.ศ.)"), ordering="checklist__fiscal_year")
    def fiscal_year(self, check: LinkCheck) -> int:
        return check.checklist.fiscal_year

    @admin.display(description=_("ข้อ"), ordering="item__code")
    def item_code(self, check: LinkCheck) -> str:
        return check.item.code.upper()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
