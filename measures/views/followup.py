"""Follow-up during the year: the progress summary on the plan page (the entries themselves: views.progress)."""

from __future__ import annotations

from ita.thai import format_number
from measures.followup import measure_movements, next_assessment, plan_progress
from measures.models import Measure, MeasurePlan


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
