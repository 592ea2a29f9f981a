"""Helpers for the portal tests: results with scores, and plans in any state with their measures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ita.models import Assessment, Score
from measures.models import Measure, MeasurePlan
from tests.factory import make_assessment

D = Decimal


def make_result(
    organization, framework, *, overall=None, level="", indicators=None, tools=None, **fields
) -> Assessment:
    """An assessment with an official overall and level (public) and the given indicator and tool scores."""
    assessment = make_assessment(
        organization,
        framework,
        official_overall=D(overall) if overall is not None else None,
        official_level=level,
        **fields,
    )
    rows = [
        Score(assessment=assessment, kind=Score.Kind.INDICATOR, code=str(number), value=D(value))
        for number, value in (indicators or {}).items()
    ]
    rows += [
        Score(assessment=assessment, kind=Score.Kind.TOOL, code=code, value=D(value))
        for code, value in (tools or {}).items()
    ]
    Score.objects.bulk_create(rows)
    return assessment


def make_plan(
    assessment: Assessment,
    *,
    fiscal_year: int | None = None,
    status: str = MeasurePlan.Status.PUBLISHED,
    version: int = 1,
    measures: list[dict] | None = None,
    published_at: datetime.datetime | None = None,
) -> MeasurePlan:
    """A plan based on `assessment`, with measures written while it was a draft, then put in `status`."""
    plan = MeasurePlan.objects.create(
        organization=assessment.organization,
        fiscal_year=fiscal_year or assessment.fiscal_year + 1,
        based_on=assessment,
        version=version,
    )
    for order, fields in enumerate(measures or []):
        Measure.objects.create(plan=plan, order=order, **{"title": f"มาตรการ {order + 1}", **fields})
    if status != MeasurePlan.Status.DRAFT:
        stamp = published_at or timezone.now() if status == MeasurePlan.Status.PUBLISHED else None
        MeasurePlan.objects.filter(pk=plan.pk).update(status=status, published_at=stamp)
        plan.refresh_from_db()
    return plan
