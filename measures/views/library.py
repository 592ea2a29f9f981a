"""The measure library of a plan: search and filter the shared catalogue, and copy a measure into the plan."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ita.thai import format_number
from measures.access import get_plan_for_user
from measures.forms import LibrarySearchForm
from measures.library import PAGE_SIZE, codes_in_year, search_library, search_terms
from measures.models import LibraryMeasure, MeasurePlan, PlanError, period_text
from measures.plans import add_library_measure, suggest_measures
from measures.views import refused

FILTERS = ("q", "year", "indicator", "item")
NEXT_MAX = 1000


def _found(plan: MeasurePlan, form: LibrarySearchForm) -> tuple[list[LibraryMeasure], set[int]]:
    """What the filters find, the plan's suggestions first (best first), then library order.

    Measures already copied into the plan are left out, as the suggestions leave them out.
    """
    data = form.cleaned_data
    found = search_library(terms=search_terms(data["q"]), indicator=data["indicator"], item=data["item"])
    rank = {measure.pk: i for i, measure in enumerate(suggest_measures(plan=plan))}
    used = set(plan.measures.exclude(library=None).values_list("library_id", flat=True))
    found = sorted((m for m in found if m.pk not in used), key=lambda m: rank.get(m.pk, len(rank)))
    return found, set(rank)


def _rows(plan: MeasurePlan, measures: list[LibraryMeasure], suggested: set[int], year: int) -> list[dict]:
    codes = codes_in_year(measures, year)
    return [
        {
            "measure": measure,
            "period": period_text(plan.fiscal_year, measure.period_kind, measure.start_month, measure.end_month),
            "indicators": [format_number(n) for n in measure.indicators],
            "codes": [code.upper() for code in codes[measure.pk]],
            "suggested": measure.pk in suggested,
        }
        for measure in measures
    ]


@login_required
@require_GET
def library(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not plan.editable_by(request.user):
        return refused(request, plan, PermissionDenied())
    form = LibrarySearchForm(request.GET, default_year=plan.based_on.framework.fiscal_year)
    found, suggested = _found(plan, form) if form.is_valid() else ([], set())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    # Only the filters go back into the links (bounded by the form's limits), never other parameters.
    filters = {key: form.data[key][:200] for key in FILTERS if form.data.get(key)}
    here = f"{reverse('measures:library', args=[plan.pk])}?{urlencode({**filters, 'page': page.number})}"
    context = {
        "plan": plan,
        "year": format_number(plan.fiscal_year),
        "form": form,
        "page": page,
        "rows": _rows(plan, list(page.object_list), suggested, form.chosen_year),
        "codes_year": format_number(form.chosen_year),
        "total": format_number(page.paginator.count),
        "page_number": format_number(page.number),
        "page_count": format_number(page.paginator.num_pages),
        "query": urlencode(filters),
        "here": here,
    }
    return render(request, "measures/library.html", context)


def _back_to_library(request: HttpRequest, plan: MeasurePlan) -> str | None:
    """The library view the user picked from (posted as next), if it is this plan's library on this site."""
    target = request.POST.get("next", "")[:NEXT_MAX]
    base = reverse("measures:library", args=[plan.pk])
    on_this_site = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if on_this_site and (target == base or target.startswith(base + "?")) else None


@login_required
@require_POST
def library_add(request: HttpRequest, pk: int, library_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    library_measure = get_object_or_404(LibraryMeasure.objects.prefetch_related("items"), pk=library_pk)
    try:
        measure = add_library_measure(plan=plan, library_measure=library_measure, by=request.user)
    except (PlanError, PermissionDenied) as error:
        return refused(request, plan, error)
    back = _back_to_library(request, plan)
    if back is None:
        messages.success(request, _("เพิ่มมาตรการจากคลังแล้ว ตรวจสอบและปรับให้เหมาะกับหน่วยงานได้ที่หน้านี้"))
        return redirect("measures:measure_edit", pk=pk, measure_pk=measure.pk)
    messages.success(
        request,
        _("เพิ่ม “%(title)s” ท้ายตารางมาตรการแล้ว ปรับให้เหมาะกับหน่วยงานได้ที่หน้ามาตรการ") % {"title": measure.title[:80]},
    )
    return redirect(back)
