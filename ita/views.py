"""Web views of the ITA core: the home page and an assessment's results and score entry.

Every view has the same shape: access check (404 outside the user's organisation) → form →
one model or workflow call → message + redirect.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ita import policy
from ita.access import get_assessment_for_user
from ita.charts.indicators import IndicatorChart, IndicatorValue, build_indicator_chart
from ita.forms import STALE_MESSAGE, TOOL_LABELS, AddYearForm, ScoreEntryForm, year_label
from ita.grading.assess import (
    AssessmentExists,
    StaleAssessmentError,
    grade_assessment,
    save_scores,
    start_assessment,
)
from ita.grading.rules import GradeResult
from ita.history import history_context, wants_history
from ita.models import Assessment, AuditEvent, AuditorAssignment, Framework, Membership, Organization
from ita.thai import format_number, format_score
from ita.todo.changes import changes_for
from ita.todo.forms import SeenForm
from ita.todo.registry import todo_for

ADMIN_PAGE_SIZE = 50
# What a refused form may offer back to copy: a bounded number of fields and characters, never a secret.
RECOVERED_FIELDS_MAX = 30
RECOVERED_CHARS_MAX = 20_000
SECRET_FIELD_WORDS = ("password", "passwd", "secret", "token", "csrf")


def _membership(user) -> Membership | None:
    return Membership.objects.select_related("organization").filter(user=user).first()


def _score_text(value: Decimal | None) -> str:
    return format_score(value) if value is not None else ""


def _assessment_row(assessment: Assessment) -> dict:
    return {
        "pk": assessment.pk,
        "year": format_number(assessment.fiscal_year),
        "framework": assessment.framework.name or str(assessment.framework),
        "overall": _score_text(assessment.overall),
        "level": assessment.level,
        "provisional": assessment.provisional,
        "official_overall": _score_text(assessment.official_overall),
        "official_level": assessment.official_level,
        "disagrees": assessment.disagrees_with_official(),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_superuser:
        return _admin_home(request)
    membership = _membership(request.user)
    if policy.is_auditor(request.user):
        return _auditor_home(request, membership)
    if membership is None or membership.organization is None:
        return render(request, "ita/home_no_membership.html")
    organization = membership.organization
    assessments = list(
        Assessment.objects.filter(organization=organization).select_related("framework").order_by("-fiscal_year")
    )
    add_form = None
    if policy.can(request.user, policy.Action.EDIT_SCORES, organization):
        add_form = AddYearForm(organization=organization, existing_years={a.fiscal_year for a in assessments})
    context = {
        "organization": organization,
        "membership": membership,
        "rows": [_assessment_row(a) for a in assessments],
        "add_form": add_form,
        "todo": todo_for(request.user, membership),
        "oit_years": _oit_years(),
    }
    return render(request, "ita/home_org.html", context)


def _oit_years(count: int = 3) -> list[dict]:
    """The latest fiscal years with a framework, for the home page's links to the OIT evidence checklist."""
    years = Framework.objects.filter(source=Framework.Source.NACC_ITAS).order_by("-fiscal_year")
    return [
        {"year": year, "label": format_number(year)} for year in years.values_list("fiscal_year", flat=True)[:count]
    ]


def _latest_row(org: Organization) -> dict:
    """An organisation's row with its latest result (Organization.objects.with_latest_assessment())."""
    return {
        "organization": org,
        "assessment_pk": org.latest_assessment_id,
        "year": format_number(org.latest_fiscal_year) if org.latest_fiscal_year else "",
        "overall": _score_text(org.latest_overall),
        "level": org.latest_level or "",
        "provisional": bool(org.latest_provisional),
    }


def _auditor_home(request: HttpRequest, membership: Membership) -> HttpResponse:
    """An auditor belongs to no organisation: their home lists the organisations they are assigned to review,
    each with what changed there since the auditor last marked the changes seen (ita.todo.changes)."""
    drawn_at = timezone.now()  # taken first: a change recorded while the page is drawn stays new
    assignments = list(AuditorAssignment.objects.filter(user=request.user))
    changes = changes_for(request.user, assignments)
    assigned = Organization.objects.with_latest_assessment().filter(auditor_assignments__user=request.user)
    rows = [{**_latest_row(org), "changes": changes.get(org.pk)} for org in assigned.order_by("province", "name", "pk")]
    context = {
        "membership": membership,
        "rows": rows,
        "changed_rows": [row for row in rows if row["changes"] and row["changes"].count],
        "seen_form": SeenForm(initial={"until": drawn_at.isoformat()}),
        "todo": todo_for(request.user, membership),
    }
    return render(request, "ita/home_auditor.html", context)


def _admin_home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    organizations = Organization.objects.with_latest_assessment()
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(code__icontains=query))
    paginator = Paginator(organizations.order_by("province", "name", "pk"), ADMIN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [_latest_row(org) for org in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "total": format_number(page.paginator.count),
        "page_number": format_number(page.number),
        "page_count": format_number(page.paginator.num_pages),
        # An administrator's list is national (imports of every organisation at once), not an organisation's.
        "todo": todo_for(request.user, None),
    }
    return render(request, "ita/home_admin.html", context)


@login_required
@require_POST
def add_year(request: HttpRequest) -> HttpResponse:
    membership = _membership(request.user)
    organization = membership.organization if membership is not None else None
    if organization is None or not policy.can(request.user, policy.Action.EDIT_SCORES, organization):
        raise PermissionDenied
    # The organisation always comes from the membership; any organisation in the POST body is ignored.
    form = AddYearForm(request.POST, organization=membership.organization)
    if form.is_valid():
        framework = form.frameworks[form.cleaned_data["fiscal_year"]]
        try:
            assessment = start_assessment(organization=membership.organization, framework=framework, user=request.user)
        except AssessmentExists:
            # A double submit, or a colleague at the same moment: open the year that is there, as the first did.
            existing = Assessment.objects.filter(organization=organization, fiscal_year=framework.fiscal_year).first()
            if existing is None:
                messages.error(request, _("หน่วยงานมีผลการประเมินปีนี้อยู่แล้ว"))
                return redirect("ita:home")
            year = year_label(existing.fiscal_year)
            messages.info(request, _("หน่วยงานมีผลการประเมิน%(year)s อยู่แล้ว จึงเปิดผลที่มีอยู่ให้") % {"year": year})
            return redirect("ita:assessment_detail", pk=existing.pk)
        messages.success(request, _("เพิ่ม%(year)sแล้ว") % {"year": year_label(assessment.fiscal_year)})
        return redirect("ita:assessment_detail", pk=assessment.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("ita:home")


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    can_edit = policy.can(request.user, policy.Action.EDIT_SCORES, assessment)
    if request.method != "POST" and wants_history(request):
        return _render_history(request, assessment)
    if request.method != "POST":
        form = ScoreEntryForm(assessment=assessment, read_only=not can_edit)
        return _render_detail(request, assessment, form, can_edit=can_edit)
    if not can_edit:
        raise PermissionDenied
    form = ScoreEntryForm(request.POST, assessment=assessment)
    if not form.is_valid():
        return _render_detail(request, assessment, form, can_edit=True)
    try:
        save_scores(
            assessment=assessment,
            version=form.cleaned_data["version"],
            official_overall=form.cleaned_data["official_overall"],
            official_level=form.cleaned_data["official_level"],
            scores=form.score_values(),
            user=request.user,
        )
    except StaleAssessmentError:
        # Never overwrite silently: show what is stored now and let the user decide again.
        messages.error(request, STALE_MESSAGE)
        current = get_assessment_for_user(request.user, pk)
        return _render_detail(request, current, ScoreEntryForm(assessment=current), can_edit=True, status=409)
    messages.success(request, _("บันทึกคะแนนแล้ว"))
    return redirect("ita:assessment_detail", pk=pk)


def _indicator_chart(assessment: Assessment, result: GradeResult, indicators) -> IndicatorChart:
    values = [
        IndicatorValue(
            number=indicator.number,
            name=indicator.name,
            tool=indicator.tool,
            value=result.indicators.get(indicator.number),
            derived=f"indicator:{indicator.number}" in result.derived,
        )
        for indicator in indicators
    ]
    title = _("คะแนนรายตัวชี้วัด %(org)s %(year)s") % {
        "org": assessment.organization.name,
        "year": year_label(assessment.fiscal_year),
    }
    return build_indicator_chart(values, title=title, chart_id=f"indicator-chart-{assessment.pk}")


def _tool_rows(result: GradeResult) -> list[dict]:
    return [
        {
            "label": TOOL_LABELS[code],
            "value": _score_text(result.tools.get(code)),
            "derived": f"tool:{code}" in result.derived,
        }
        for code in TOOL_LABELS
    ]


def _render_history(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The history tab: every recorded change of the assessment and its scores, newest first."""
    context = {
        "assessment": assessment,
        "year": format_number(assessment.fiscal_year),
        **history_context(request, AuditEvent.objects.for_subject(assessment)),
    }
    return render(request, "ita/assessment_history.html", context)


def _render_detail(
    request: HttpRequest, assessment: Assessment, form: ScoreEntryForm, *, can_edit: bool, status: int = 200
) -> HttpResponse:
    # Grading again (without saving) gives the warnings and explanation lines, which are not stored.
    result = grade_assessment(assessment=assessment, save=False)
    chart = _indicator_chart(assessment, result, form.indicators)
    groups = form.groups()
    tools = _tool_rows(result)
    context = {
        "assessment": assessment,
        "year": format_number(assessment.fiscal_year),
        "summary": _assessment_row(assessment),
        "result": result,
        "tools": tools,
        "tools_derived": any(tool["derived"] for tool in tools),
        "chart": chart,
        "has_derived": any(bar.derived for bar in chart.bars),
        "form": form,
        "groups": groups,
        "invalid_fields": form.invalid_fields(groups) if form.errors else [],
        "can_edit": can_edit,
    }
    return render(request, "ita/assessment_detail.html", context, status=status)


def _recovered_fields(request: HttpRequest) -> list[dict]:
    """The text the refused form carried, to be copied by hand: never a password, a token or a file."""
    try:
        items = list(request.POST.lists())
    except (SuspiciousOperation, MultiPartParserError, OSError):  # an unreadable or oversized body: offer nothing
        return []
    fields = []
    for name, values in items:
        if any(word in name.lower() for word in SECRET_FIELD_WORDS):
            continue
        for value in values:
            if value.strip():
                fields.append({"name": name[:100], "value": value[:RECOVERED_CHARS_MAX]})
    return fields[:RECOVERED_FIELDS_MAX]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a refused form (expired page, signed out, no cookies) explained in Thai.

    The submission is not acted on; what the user typed is shown back, escaped and read-only, so a long
    text is not lost. The page the form came from is linked only when it is on this site.
    """
    referer = request.headers.get("referer", "")
    on_this_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {
        "fields": _recovered_fields(request) if request.method == "POST" else [],
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "form_page": referer if on_this_site else "",
    }
    return render(request, "errors/csrf_failure.html", context, status=403)
