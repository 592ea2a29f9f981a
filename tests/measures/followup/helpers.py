"""Small factories for the follow-up tests: plans, measures, scores and crosswalk links."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from ita.grading.assess import grade_assessment
from ita.models import Assessment, Framework, Item, ItemCrosswalk
from measures.models import Measure, MeasurePlan, PeriodKind


def make_plan(assessment: Assessment, **overrides) -> MeasurePlan:
    """A draft plan for the year after `assessment`, based on it."""
    fields = {"organization": assessment.organization, "fiscal_year": assessment.fiscal_year + 1}
    fields.update(overrides)
    return MeasurePlan.objects.create(based_on=assessment, **fields)


def make_measure(plan: MeasurePlan, **overrides) -> Measure:
    fields = {
        "title": "มาตรการทดสอบ",
        "period_kind": PeriodKind.WHOLE_YEAR,
        "order": plan.measures.count(),
    }
    fields.update(overrides)
    if fields.get("start_month") is not None:
        fields["period_kind"] = PeriodKind.MONTHS
        fields.setdefault("end_month", fields["start_month"])
    return Measure.objects.create(plan=plan, **fields)


def set_scores(assessment: Assessment, *, indicators=None, items=None, tools=None, grade: bool = True) -> None:
    """Store scores given as {number or code: "83.07"} and regrade."""
    values = {}
    for kind, given in (("indicator", indicators), ("item", items), ("tool", tools)):
        for code, value in (given or {}).items():
            values[(kind, str(code))] = Decimal(value)
    with transaction.atomic():
        assessment.set_scores(values, user=None, source="command")
    if grade:
        grade_assessment(assessment=assessment)


def link(from_framework: Framework, from_code: str, to_framework: Framework, to_code: str) -> ItemCrosswalk:
    return ItemCrosswalk.objects.create(
        from_item=Item.objects.get(framework=from_framework, code=from_code),
        to_item=Item.objects.get(framework=to_framework, code=to_code),
    )
