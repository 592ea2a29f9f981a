"""The admin's page of failed logins and lockouts (django-axes' records, in Thai): see them, lift them."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita.history import when
from ita.models.accounts import LoginLockout
from ita.thai import format_number


def _locked_until(attempt: LoginLockout):
    """When the pair's lock ends, or None when it is not locked (fewer failures, or the lock has run out)."""
    if attempt.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return None
    until = attempt.attempt_time + get_cool_off()
    return until if until > timezone.now() else None


class LockedFilter(admin.SimpleListFilter):
    title = _("สถานะ")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("ล็อกอยู่")), ("no", _("ไม่ได้ล็อก"))]

    def queryset(self, request, queryset):
        locked = {
            "failures_since_start__gte": settings.AXES_FAILURE_LIMIT,
            "attempt_time__gt": timezone.now() - get_cool_off(),
        }
        if self.value() == "yes":
            return queryset.filter(**locked)
        if self.value() == "no":
            return queryset.exclude(**locked)
        return queryset


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Read-only list; the one action lifts the selected locks (deletes the pairs' failures)."""

    list_display = ["shown_username", "shown_address", "shown_failures", "shown_last_attempt", "shown_status"]
    list_filter = [LockedFilter]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["lift"]
    fields = ["shown_username", "shown_address", "shown_failures", "shown_last_attempt", "shown_status"]
    readonly_fields = fields

    @admin.display(description=_("ชื่อผู้ใช้ที่พิมพ์"), ordering="username")
    def shown_username(self, attempt: LoginLockout) -> str:
        return attempt.username or ""

    @admin.display(description=_("เลขที่อยู่ไอพี"), ordering="ip_address")
    def shown_address(self, attempt: LoginLockout) -> str:
        return attempt.ip_address or ""

    @admin.display(description=_("จำนวนครั้งที่ไม่สำเร็จ"), ordering="failures_since_start")
    def shown_failures(self, attempt: LoginLockout) -> str:
        return format_number(attempt.failures_since_start)

    @admin.display(description=_("ครั้งล่าสุด"), ordering="attempt_time")
    def shown_last_attempt(self, attempt: LoginLockout) -> str:
        return when(attempt.attempt_time)

    @admin.display(description=_("สถานะ"))
    def shown_status(self, attempt: LoginLockout) -> str:
        until = _locked_until(attempt)
        return _("ล็อกอยู่ถึง %(time)s") % {"time": when(until)} if until else _("ไม่ได้ล็อก")

    @admin.action(description=_("ปลดล็อกรายการที่เลือก (ล้างจำนวนครั้งที่ไม่สำเร็จ)"))
    def lift(self, request, queryset) -> None:
        count, _deleted = queryset.delete()
        text = _("ปลดล็อกแล้ว %(count)s รายการ") % {"count": format_number(count)}
        self.message_user(request, text, messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
