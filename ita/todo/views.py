"""The auditor marks the changes on their home as seen (the one write of the to-do feature)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita import policy
from ita.todo.changes import mark_seen
from ita.todo.forms import SeenForm


@login_required
@require_POST
def changes_seen(request: HttpRequest) -> HttpResponse:
    """Move the auditor's marks to the moment their home was drawn; changes made after it stay new."""
    if not policy.is_auditor(request.user):
        raise PermissionDenied
    form = SeenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ไม่ได้บันทึก: โปรดเปิดหน้าแรกใหม่แล้วกดรับทราบอีกครั้ง"))
        return redirect("ita:home")
    with transaction.atomic():
        mark_seen(request.user, until=form.cleaned_data["until"])
    messages.success(request, _("รับทราบการเปลี่ยนแปลงแล้ว ครั้งต่อไปหน้าแรกจะแสดงเฉพาะการเปลี่ยนแปลงหลังจากนี้"))
    return redirect("ita:home")
