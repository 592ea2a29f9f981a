"""/accounts/notifications/: a signed-in user turns notification e-mails on or off, for themself only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ita.models import NotificationPreference
from ita.notifications.forms import PreferenceForm
from ita.notifications.preferences import set_email_enabled


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        enabled = NotificationPreference.email_enabled_for(request.user)
        return _render(request, PreferenceForm(initial={"email_enabled": enabled}))
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        return _render(request, form)
    enabled = form.cleaned_data["email_enabled"]
    set_email_enabled(request.user, enabled)
    if enabled:
        messages.success(request, _("บันทึกแล้ว: คุณจะได้รับอีเมลแจ้งเตือน"))
    else:
        messages.success(request, _("บันทึกแล้ว: ระบบจะไม่ส่งอีเมลแจ้งเตือนถึงคุณ"))
    return redirect("notification_settings")


def _render(request: HttpRequest, form: PreferenceForm) -> HttpResponse:
    return render(request, "ita/notifications/settings.html", {"form": form, "email": request.user.email})
