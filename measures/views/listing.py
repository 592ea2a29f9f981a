"""The list of measure plans and creating a plan (the plan page itself is measures/views/plan.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita import policy
from ita.models import Assessment, Membership, Organization
from ita.thai import fiscal_year_of, format_number
from measures.access import get_staff_organization_for_user
from measures.forms import CreatePlanForm, PlanFilterForm
from measures.models import MeasurePlan, PlanError, PlanExists
from measures.plans import create_plan

ADMIN_PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------
# The list


def _plan_row(plan: MeasurePlan) -> dict:
    return {
        "plan": plan,
        "year": format_number(plan.fiscal_year),
        "based_on": format_number(plan.based_on.fiscal_year),
        "version": format_number(plan.version),
        "measures": format_number(plan.measure_count),
        "progress": format_number(plan.progress_count),
        "superseded": getattr(plan, "superseded_by", None) is not None,
    }


def _listed(queryset: QuerySet) -> QuerySet:
    return queryset.with_counts().select_related("organization", "based_on", "superseded_by")


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    membership = getattr(user, "membership", None)
    if policy.is_administrator(user) or policy.is_auditor(user):
        return _wide_list(request)
    if membership is None or membership.organization is None:
        raise Http404
    return _organization_list(request, membership, CreatePlanForm(organization=membership.organization))


def _suggested_year(organization: Organization) -> int:
    latest = Assessment.objects.filter(organization=organization).order_by("-fiscal_year").first()
    return latest.fiscal_year + 1 if latest else fiscal_year_of(timezone.localdate())


def _organization_list(
    request: HttpRequest, membership: Membership, form: CreatePlanForm, status: int = 200
) -> HttpResponse:
    organization = membership.organization
    plans = _listed(MeasurePlan.objects.filter(organization=organization)).order_by("-fiscal_year", "-version")
    can_create = policy.can(request.user, policy.Action.DRAFT_PLAN, organization)
    if can_create and not form.is_bound:
        form.initial["fiscal_year"] = format_number(_suggested_year(organization))
    context = {
        "organization": organization,
        "rows": [_plan_row(plan) for plan in plans],
        "form": form if can_create else None,
        "missing_year": format_number(form.missing_year) if form.missing_year else None,
        "empty_assessment": form.empty_assessment,
    }
    return render(request, "measures/plan_list.html", context, status=status)


def _wide_list(request: HttpRequest) -> HttpResponse:
    """Administrators (all plans) and auditors (published plans): every organisation, filtered and paged."""
    visible = MeasurePlan.objects.for_user(request.user)
    # order_by() drops the default ordering, whose columns would otherwise defeat DISTINCT.
    provinces = sorted(p for p in visible.order_by().values_list("organization__province", flat=True).distinct() if p)
    years = list(visible.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())
    form = PlanFilterForm(request.GET or None, provinces=provinces, years=years)
    plans = _listed(visible)
    if form.is_valid():
        data = form.cleaned_data
        plans = plans.filter(organization__province=data["province"]) if data["province"] else plans
        plans = plans.filter(fiscal_year=data["year"]) if data["year"] else plans
        plans = plans.filter(status=data["status"]) if data["status"] else plans
    paginator = Paginator(
        plans.order_by("organization__province", "organization__name", "-fiscal_year", "-version"), ADMIN_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_plan_row(plan) for plan in page.object_list],
        "total": format_number(paginator.count),
        "page_number": format_number(page.number),
        "page_count": format_number(paginator.num_pages),
        "query": query.urlencode(),
    }
    return render(request, "measures/plan_list_all.html", context)


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    organization = get_staff_organization_for_user(request.user)
    # The organisation comes from the membership; an organisation named in the POST body is ignored.
    form = CreatePlanForm(request.POST, organization=organization)
    if not form.is_valid():
        return _organization_list(request, request.user.membership, form, status=400)
    try:
        plan = create_plan(organization=organization, fiscal_year=form.cleaned_data["fiscal_year"], by=request.user)
    except PlanExists as exists:  # a double submit, or a colleague, got to the same year first
        messages.info(request, _("%(message)s จึงเปิดฉบับที่มีอยู่ให้") % {"message": exists})
        return redirect("measures:detail", pk=exists.plan.pk)
    except PlanError as error:
        messages.error(request, str(error))
        return redirect("measures:list")
    messages.success(
        request,
        _("สร้างร่างมาตรการปีงบประมาณ %(year)s จากผลการประเมินปี %(previous)s แล้ว")
        % {"year": format_number(plan.fiscal_year), "previous": format_number(plan.fiscal_year - 1)},
    )
    return redirect("measures:detail", pk=plan.pk)
