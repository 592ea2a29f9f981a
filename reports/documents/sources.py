"""The stored rows a document is printed from, as plain data: what the render cache is keyed by.

`measures.py` and `followup.py` turn a plan into what its document prints; the มาตรการ document
regrades the assessment on the way (measures.plans.plan_analysis). Deciding whether a stored PDF
still fits the plan must not cost that, so this module reads the *inputs* instead: every row the
two context builders read, and nothing computed from them. If any of them changes, so does the key;
a change to the code that turns them into text needs reports.rendering.LAYOUT_VERSION bumped.

What each document reads (and so what is listed here):
- both: the plan row (details, status, version, threshold, grouping, lock_version) and the
  organisation's printed fields (name, district, province, phone, the emblem's SHA-256); the plan's measures.
- มาตรการ: the plan's findings; the based-on assessment row and its scores; its framework with
  levels, indicators, items and sub-indicators; the framework's indicator texts; the crosswalk
  around the framework's items and the recommendations of every item it reaches (a low item
  without its own recommendation borrows the nearest linked year's, measures.catalogue).
- follow-up: the progress entries of the plan's measures (the cut-off date is an option).

A fixed number of queries whatever the number of measures, findings or entries: 3 for a follow-up
report, 11 for a มาตรการ document.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet

from ita.models import Assessment, Framework, GradeLevel, Indicator, Item, ItemCrosswalk, Score
from measures.models import Finding, IndicatorText, Measure, MeasurePlan, Progress, Recommendation
from reports.models import DocumentKind

# The emblem by its SHA-256 (ita.models.OrganizationEmblem; None without one), never by its bytes.
ORGANIZATION_FIELDS = ("name", "district", "province", "phone", "emblem__sha256")


def _columns(model: type[Model]) -> list[str]:
    """Every stored column of a model (foreign keys by id), so a new field is covered without a change here."""
    return [field.attname for field in model._meta.concrete_fields]


def _rows(queryset: QuerySet, *extra: str) -> list[dict]:
    """All columns of the rows, in primary-key order (the key must not depend on the database's order)."""
    return list(queryset.order_by("pk").values(*_columns(queryset.model), *extra))


def _plan(plan_id: int) -> dict:
    """The plan row with the organisation's printed fields (one query)."""
    organization = [f"organization__{name}" for name in ORGANIZATION_FIELDS]
    return MeasurePlan.objects.filter(pk=plan_id).values(*_columns(MeasurePlan), *organization).get()


def _assessment(assessment_id: int) -> dict:
    """The assessment row with its framework's columns (one query)."""
    framework = [f"framework__{name}" for name in _columns(Framework)]
    return Assessment.objects.filter(pk=assessment_id).values(*_columns(Assessment), *framework).get()


def _recommendations(item_ids: list[int]) -> dict:
    """The crosswalk links around the items, the linked items' years, and every reachable recommendation."""
    links = ItemCrosswalk.objects.links()
    reached = set(item_ids).union(*links.linked(item_ids).values())
    return {
        "crosswalk": sorted(edge for edge in links.edges if edge[0] in reached),
        "years": sorted((pk, year) for pk, year in links.years.items() if pk in reached),
        "recommendations": _rows(Recommendation.objects.filter(item_id__in=reached)),
    }


def _measures_sources(plan: dict) -> dict:
    """What the มาตรการ document reads beyond the plan and its measures (10 queries)."""
    assessment = _assessment(plan["based_on_id"])
    framework_id = assessment["framework_id"]
    items = _rows(Item.objects.filter(framework_id=framework_id), "sub_indicator__code")
    scores = Score.objects.filter(assessment_id=assessment["id"])
    return {
        "findings": _rows(Finding.objects.filter(plan_id=plan["id"])),
        "assessment": assessment,
        # The value is what grading reads; who entered it and when is not printed.
        "scores": list(scores.order_by("kind", "code").values_list("kind", "code", "value")),
        "levels": _rows(GradeLevel.objects.filter(framework_id=framework_id)),
        "indicators": _rows(Indicator.objects.filter(framework_id=framework_id)),
        "items": items,
        "indicator_texts": _rows(IndicatorText.objects.filter(framework_id=framework_id)),
        **_recommendations([item["id"] for item in items]),
    }


def document_sources(plan_id: int, kind: str) -> dict:
    """Every stored row the document of `kind` prints for the plan, as plain (not yet JSON-safe) data."""
    if kind not in DocumentKind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    plan = _plan(plan_id)
    data = {"plan": plan, "measures": _rows(Measure.objects.filter(plan_id=plan_id))}
    if kind == DocumentKind.FOLLOWUP:
        data["progress"] = _rows(Progress.objects.filter(measure__plan_id=plan_id))
        return data
    return data | _measures_sources(plan)
