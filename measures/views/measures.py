"""Measures of a plan: add, edit, delete and reorder (picking from the library: measures.views.library)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ita import policy
from ita.thai import format_number
from measures.access import get_measure_for_user, get_plan_for_user
from measures.forms import MeasureForm
from measures.models import Measure, MeasurePlan, OrgUnit, PlanError, StaleEdit
from measures.plans import delete_measure, move_measure, save_measure
from measures.views import refused


def _measure_anchor(plan_pk: int, measure_pk: int) -> str:
    return f"{reverse('measures:detail', args=[plan_pk])}#measure-{measure_pk}"


def _measure_form(plan: MeasurePlan, measure: Measure, data=None) -> MeasureForm:
    framework = plan.based_on.framework
    return MeasureForm(
        data,
        instance=measure,
        plan=plan,
        units=OrgUnit.objects.names_for(plan.organization),
        indicators=dict(framework.indicators.values_list("number", "name")),
        codes=set(framework.items.values_list("code", flat=True)),
    )


def _edit_measure(request: HttpRequest, plan: MeasurePlan, measure: Measure) -> HttpResponse:
    """The add and edit pages share one shape: only staff of an unfrozen plan get the form."""
    if not plan.editable_by(request.user):
        return refused(request, plan, PermissionDenied())
    form = _measure_form(plan, measure, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        created = measure.pk is None
        try:
            save_measure(measure=form.save(commit=False), by=request.user, fingerprint=form.cleaned_data["fingerprint"])
        except StaleEdit as error:
            # Never overwrite silently: show what is stored now and let the user decide again.
            messages.error(request, str(error))
            current = get_object_or_404(Measure.objects.filter(plan=plan), pk=measure.pk)
            context = {"plan": plan, "year": format_number(plan.fiscal_year), "form": _measure_form(plan, current)}
            return render(request, "measures/measure_form.html", {**context, "measure": current}, status=409)
        except (PlanError, PermissionDenied) as error:
            return refused(request, plan, error)
        messages.success(request, _("เพิ่มมาตรการแล้ว") if created else _("บันทึกมาตรการแล้ว"))
        return redirect(_measure_anchor(plan.pk, measure.pk))
    context = {"plan": plan, "year": format_number(plan.fiscal_year), "form": form, "measure": measure}
    return render(request, "measures/measure_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return _edit_measure(request, plan, Measure(plan=plan))


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, measure_pk)
    return _edit_measure(request, measure.plan, measure)


@login_required
@require_POST
def measure_delete(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, measure_pk)
    try:
        delete_measure(measure=measure, by=request.user)
    except (PlanError, PermissionDenied) as error:
        return refused(request, measure.plan, error)
    messages.success(request, _("ลบมาตรการ “%(title)s” แล้ว") % {"title": measure.title[:80]})
    return redirect(f"{reverse('measures:detail', args=[pk])}#measures-heading")


@login_required
@require_POST
def measure_move(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, measure_pk)
    policy.require(request.user, policy.Action.DRAFT_PLAN, measure.plan)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, _("ไม่ทราบทิศทางที่จะย้าย"))
        return redirect("measures:detail", pk=pk)
    try:
        moved = move_measure(measure=measure, by=request.user, step=step)
    except (PlanError, PermissionDenied) as error:
        return refused(request, measure.plan, error)
    if not moved:
        messages.info(request, _("มาตรการนี้อยู่ลำดับแรกหรือลำดับสุดท้ายแล้ว"))
    return redirect(_measure_anchor(pk, measure.pk))
