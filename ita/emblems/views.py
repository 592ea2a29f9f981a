"""The organisation page (ข้อมูลหน่วยงาน): its details, and its emblem with upload, preview and removal.

Members, assigned auditors and administrators see it (404 for anyone else); staff, executives and
administrators change the emblem (ita.policy EDIT_ORGANIZATION, 403 for auditors).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ita import policy
from ita.access import get_organization_for_user
from ita.emblems.forms import EmblemForm
from ita.emblems.store import replace_emblem
from ita.models import Organization, OrganizationEmblem


@login_required
@require_http_methods(["GET", "POST"])
def organization_page(request: HttpRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(request.user, code)
    can_edit = policy.can(request.user, policy.Action.EDIT_ORGANIZATION, organization)
    if request.method != "POST":
        return _render(request, organization, EmblemForm() if can_edit else None)
    policy.require(request.user, policy.Action.EDIT_ORGANIZATION, organization)
    if request.POST.get("action") == "remove":
        if replace_emblem(organization, None, user=request.user):
            messages.success(request, _("ลบตราสัญลักษณ์แล้ว"))
        return redirect("emblems:organization", code=organization.code)
    form = EmblemForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, organization, form)
    replace_emblem(organization, form.cleaned_data["emblem"], user=request.user)
    messages.success(request, _("บันทึกตราสัญลักษณ์แล้ว เอกสารที่จัดทำต่อจากนี้จะพิมพ์ตราสัญลักษณ์นี้ที่หน้าแรก"))
    return redirect("emblems:organization", code=organization.code)


def _render(request: HttpRequest, organization: Organization, form: EmblemForm | None) -> HttpResponse:
    emblem = OrganizationEmblem.objects.filter(organization=organization).first()
    context = {
        "organization": organization,
        "emblem_url": emblem.data_url() if emblem is not None else "",
        "form": form,
    }
    return render(request, "ita/emblems/organization.html", context)
