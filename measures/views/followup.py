"""Follow-up during the year: progress entries of a measure, and the progress summary on the plan page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ita import policy
from ita.thai import format_number
from measures.access import get_measure_for_user
from measures.followup import measure_movements, next_assessment, plan_progress
from measures.forms import ProgressForm
from measures.models import Measure, MeasurePlan, PlanError
from measures.plans import add_progress


def plan_followup(plan: MeasurePlan, measures: list[Measure]) -> dict:
    """Overall progress, overdue measures and, once next year's results exist, how the targeted scores moved.

    Each measure of `measures` gets `.followup` (its MeasureProgress) and `.movements` for the table.
    """
    summary = plan_progress(plan)
    rows = {row.measure.pk: row for row in summary.measures}
    following = next_assessment(plan)
    # Grading the next year's results costs a few queries: only when there are results to compare.
    movements = measure_movements(plan) if following is not None else {}
    for measure in measures:
        measure.followup = rows.get(measure.pk)
        measure.movements = movements.get(measure.pk, [])
    return {
        "summary": summary,
        "percent": summary.percent,
        "done": format_number(summary.done),
        "total": format_number(len(summary.measures)),
        "next_year": format_number(following.fiscal_year) if following else None,
        "next_framework": following.framework if following else None,
        "moved": [measure for measure in measures if measure.movements],
    }


def _render(request: HttpRequest, measure: Measure, form: ProgressForm | None, status: int = 200) -> HttpResponse:
    plan = measure.plan
    context = {
        "plan": plan,
        "year": format_number(plan.fiscal_year),
        "measure": measure,
        "entries": list(measure.progress.select_related("created_by").order_by("-date", "-pk")),
        "form": form,
    }
    return render(request, "measures/progress.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, measure_pk)
    can_record = measure.plan.progress_editable_by(request.user)
    if request.method != "POST":
        return _render(request, measure, ProgressForm(initial={"date": timezone.localdate()}) if can_record else None)
    # The role first (403); whether this version takes entries now is the plan's state (a message).
    policy.require(request.user, policy.Action.RECORD_PROGRESS, measure.plan)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _render(request, measure, form if can_record else None, status=400)
    try:
        add_progress(measure=measure, by=request.user, **form.cleaned_data)
    except PlanError as error:
        messages.error(request, str(error))
        return redirect("measures:progress", pk=pk, measure_pk=measure_pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("measures:progress", pk=pk, measure_pk=measure_pk)
    messages.success(request, _("บันทึกความก้าวหน้าแล้ว"))
    return redirect("measures:progress", pk=pk, measure_pk=measure_pk)
