"""The organisation's units (สำนักปลัด, กองคลัง, …) that the measures' responsible column offers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from measures.access import get_staff_organization_for_user, get_unit_for_user
from measures.forms import UnitForm
from measures.models import DEFAULT_UNITS, OrgUnit


def _render(request: HttpRequest, add_form: UnitForm, status: int = 200) -> HttpResponse:
    organization = add_form.instance.organization
    units = list(OrgUnit.objects.for_organization(organization))
    # With nothing stored the default list is in use: shown as it is, stored by the first POST below.
    defaults = [] if units else list(DEFAULT_UNITS)
    context = {"organization": organization, "units": units, "defaults": defaults, "add_form": add_form}
    return render(request, "measures/units.html", context, status=status)


@login_required
@require_GET
def units(request: HttpRequest) -> HttpResponse:
    return _render(request, UnitForm(organization=get_staff_organization_for_user(request.user)))


@login_required
@require_POST
def unit_add(request: HttpRequest) -> HttpResponse:
    organization = get_staff_organization_for_user(request.user)
    # The default list the page showed is stored first, so an added unit joins it (or, alone, to edit it).
    OrgUnit.objects.ensure_defaults(organization)
    if request.POST.get("defaults"):
        messages.success(request, _("บันทึกรายชื่อเริ่มต้นแล้ว เปลี่ยนชื่อหรือลบได้ตามต้องการ"))
        return redirect("measures:units")
    form = UnitForm(request.POST, organization=organization)
    if not form.is_valid():
        return _render(request, form, status=400)
    unit = form.save(commit=False)
    last = OrgUnit.objects.filter(organization=organization).aggregate(last=Max("order"))["last"]
    unit.order = 0 if last is None else last + 1
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        # The same name added at the same moment (a double click): the unit is there, as asked.
        messages.info(request, _("“%(name)s” อยู่ในรายชื่อแล้ว") % {"name": unit.name})
        return redirect("measures:units")
    messages.success(request, _("เพิ่ม “%(name)s” แล้ว") % {"name": unit.name})
    return redirect("measures:units")


@login_required
@require_POST
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    old = unit.name
    form = UnitForm(request.POST, instance=unit, organization=unit.organization)
    if not form.is_valid():
        for error in form.errors.get("name", []):
            messages.error(request, error)
        return redirect("measures:units")
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:  # another unit took that name after the form checked it
        messages.error(request, _("มีส่วนราชการชื่อนี้อยู่แล้ว"))
        return redirect("measures:units")
    # Measures keep the name they were written with: a plan is a record of what was decided.
    messages.success(request, _("เปลี่ยนชื่อ “%(old)s” เป็น “%(new)s” แล้ว") % {"old": old, "new": unit.name})
    return redirect("measures:units")


@login_required
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    unit.delete()
    messages.success(request, _("ลบ “%(name)s” ออกจากรายชื่อส่วนราชการแล้ว") % {"name": unit.name})
    return redirect("measures:units")
