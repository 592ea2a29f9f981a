"""Workflows of a measure plan that span several models: create, regenerate the analysis, suggest measures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from ita.models import Assessment, Organization
from ita.thai import format_number, round_score

from .analysis import Analysis, analyse
from .catalogue import crosswalk_graph, linked_items
from .models import DEFAULT_THRESHOLD, Finding, LibraryMeasure, Measure, MeasurePlan, PlanError


@dataclass(frozen=True)
class GeneratedFinding:
    key: str
    kind: str
    indicator: int | None
    item_code: str
    score: Decimal | None
    text: str


@dataclass(frozen=True)
class FindingChange:
    """What a regeneration did to one finding; `edited` says the staff's own text was kept."""

    key: str
    kind: str
    change: str  # "added" | "changed" | "removed"
    edited: bool


def previous_assessment(*, organization: Organization, fiscal_year: int) -> Assessment:
    """The organisation's assessment of the year before `fiscal_year`; PlanError (Thai) when there is none."""
    assessment = (
        Assessment.objects.select_related("framework", "organization")
        .filter(organization=organization, fiscal_year=fiscal_year - 1)
        .first()
    )
    if assessment is None:
        raise PlanError(
            gettext("ยังไม่มีผลการประเมินปีงบประมาณ %(previous)s ของ%(org)s จึงจัดทำมาตรการปี %(year)s ไม่ได้")
            % {"previous": format_number(fiscal_year - 1), "org": organization.name, "year": format_number(fiscal_year)}
        )
    return assessment


def latest_plan(*, organization: Organization, fiscal_year: int) -> MeasurePlan | None:
    """The newest version of the organisation's plan for the year, if any."""
    return (
        MeasurePlan.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .select_related("organization", "based_on__framework")
        .order_by("-version")
        .first()
    )


def create_plan(
    *,
    organization: Organization,
    fiscal_year: int,
    by=None,
    threshold: Decimal = DEFAULT_THRESHOLD,
    grouping: str = MeasurePlan.Grouping.INDICATOR,
    suggest: bool = True,
) -> MeasurePlan:
    """A draft plan from the previous year's assessment, with its findings and (if `suggest`) library measures."""
    with transaction.atomic():
        assessment = previous_assessment(organization=organization, fiscal_year=fiscal_year)
        if MeasurePlan.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
            raise PlanError(
                gettext("%(org)s มีมาตรการปีงบประมาณ %(year)s อยู่แล้ว")
                % {"org": organization.name, "year": format_number(fiscal_year)}
            )
        plan = MeasurePlan.objects.create(
            organization=organization,
            fiscal_year=fiscal_year,
            based_on=assessment,
            threshold=round_score(threshold),
            grouping=grouping,
            office_phone=organization.phone,
            created_by=by,
        )
        analysis = plan_analysis(plan)
        regenerate_findings(plan=plan, analysis=analysis)
        if suggest:
            for library_measure in suggest_measures(plan=plan, analysis=analysis):
                add_measure_from_library(plan=plan, library_measure=library_measure)
    return plan


def plan_analysis(plan: MeasurePlan) -> Analysis:
    return analyse(plan.based_on, threshold=plan.threshold, grouping=plan.grouping)


def generated_findings(analysis: Analysis) -> list[GeneratedFinding]:
    """The texts a plan should hold for this analysis, in document order."""
    found = [GeneratedFinding("summary", Finding.Kind.SUMMARY, None, "", None, analysis.summary)]
    for finding in (*analysis.strengths, *analysis.weaknesses):
        kind = Finding.Kind.STRENGTH if finding.strength else Finding.Kind.WEAKNESS
        # Keyed by indicator, not by kind, so an edited text survives a weakness turning into a strength.
        found.append(
            GeneratedFinding(f"indicator:{finding.number}", kind, finding.number, "", finding.score, finding.paragraph)
        )
    for item in analysis.items:
        found.append(
            GeneratedFinding(
                f"item:{item.code}", Finding.Kind.ITEM, item.indicator, item.code, item.score, item.recommendation
            )
        )
    return found


def regenerate_findings(
    *, plan: MeasurePlan, discard_edits: bool = False, analysis: Analysis | None = None
) -> list[FindingChange]:
    """Bring the plan's findings up to date with its assessment.

    A finding "changed" when its generated text or score did. Unedited texts follow the new
    generated text; edited ones are kept (unless `discard_edits`)
    while their generated_text is updated, so the page can show what the system would now say.
    A finding the scores no longer produce is deleted, or, if edited, kept and marked not current.
    """
    analysis = analysis or plan_analysis(plan)
    fresh = generated_findings(analysis)
    with transaction.atomic():
        plan.ensure_editable()
        existing = {finding.key: finding for finding in plan.findings.select_for_update()}
        changes, created, updated = [], [], []
        for order, new in enumerate(fresh):
            finding = existing.pop(new.key, None)
            if finding is None:
                created.append(
                    Finding(
                        plan=plan,
                        key=new.key,
                        kind=new.kind,
                        indicator=new.indicator,
                        item_code=new.item_code,
                        score=new.score,
                        generated_text=new.text,
                        text=new.text,
                        order=order,
                    )
                )
                changes.append(FindingChange(new.key, new.kind, "added", False))
                continue
            if finding.generated_text != new.text or finding.score != new.score or not finding.current:
                changes.append(FindingChange(new.key, new.kind, "changed", finding.edited and not discard_edits))
            _refresh(finding, new, order, discard_edits)
            updated.append(finding)
        changes += _retire(existing.values(), discard_edits)
        Finding.objects.bulk_create(created)
        Finding.objects.bulk_update(
            updated, ["kind", "indicator", "item_code", "score", "generated_text", "text", "edited", "current", "order"]
        )
    return changes


def _refresh(finding: Finding, new: GeneratedFinding, order: int, discard_edits: bool) -> None:
    if discard_edits:
        finding.edited = False
    if not finding.edited:
        finding.text = new.text
    finding.kind, finding.indicator, finding.item_code = new.kind, new.indicator, new.item_code
    finding.score, finding.generated_text, finding.current, finding.order = new.score, new.text, True, order


def _retire(stale, discard_edits: bool) -> list[FindingChange]:
    """Findings the new scores no longer produce: delete them, but keep edited ones (marked not current)."""
    changes, delete, keep = [], [], []
    for finding in stale:
        if finding.edited and not discard_edits:
            if finding.current:
                finding.current = False
                keep.append(finding)
                changes.append(FindingChange(finding.key, finding.kind, "removed", True))
        else:
            delete.append(finding.pk)
            changes.append(FindingChange(finding.key, finding.kind, "removed", False))
    Finding.objects.filter(pk__in=delete).delete()
    Finding.objects.bulk_update(keep, ["current"])
    return changes


# ---------------------------------------------------------------------------------------------
# Measures from the library


def _equivalents(item_ids: set[int]) -> dict[int, set[int]]:
    """Item id → itself plus every item linked to it through the crosswalk (any year)."""
    graph, _years = crosswalk_graph()
    return {pk: {pk, *linked_items(pk, graph)} for pk in item_ids}


def suggest_measures(*, plan: MeasurePlan, analysis: Analysis | None = None) -> list[LibraryMeasure]:
    """Library measures answering the plan's items to improve or weak indicators, best matches first.

    Measures already in the plan are left out.
    """
    analysis = analysis or plan_analysis(plan)
    weak = {finding.number for finding in analysis.weaknesses}
    codes = {item.code for item in analysis.items}
    item_ids = set(plan.based_on.framework.items.filter(code__in=codes).values_list("pk", flat=True))
    targets = set().union(*_equivalents(item_ids).values()) if item_ids else set()
    used = set(plan.measures.exclude(library=None).values_list("library_id", flat=True))
    ranked = []
    for measure in LibraryMeasure.objects.exclude(pk__in=used).prefetch_related("items"):
        item_hits = len({item.pk for item in measure.items.all()} & targets)
        indicator_hits = len(set(measure.indicators) & weak)
        if item_hits or indicator_hits:
            ranked.append(((-item_hits, -indicator_hits, measure.order, measure.key), measure))
    return [measure for _key, measure in sorted(ranked, key=lambda pair: pair[0])]


def _answered_codes(plan: MeasurePlan, library_measure: LibraryMeasure) -> list[str]:
    """Codes, in the plan's assessment year, of the items the library measure is keyed by (via the crosswalk)."""
    library_ids = {item.pk for item in library_measure.items.all()}
    if not library_ids:
        return []
    linked = set().union(*_equivalents(library_ids).values())
    rows = plan.based_on.framework.items.filter(pk__in=linked).order_by("order", "code")
    return list(rows.values_list("code", flat=True))


def add_measure_from_library(*, plan: MeasurePlan, library_measure: LibraryMeasure) -> Measure:
    """A new measure at the end of the plan, pre-filled from the library; staff edit it afterwards."""
    last = plan.measures.aggregate(last=Max("order"))["last"]
    return Measure.objects.create(
        plan=plan,
        order=0 if last is None else last + 1,
        title=library_measure.title,
        steps=list(library_measure.steps),
        responsible=library_measure.responsible,
        period_kind=library_measure.period_kind,
        start_month=library_measure.start_month,
        end_month=library_measure.end_month,
        monitoring=library_measure.monitoring,
        indicators=list(library_measure.indicators),
        item_codes=_answered_codes(plan, library_measure),
        library=library_measure,
    )


def plan_document(plan: MeasurePlan, analysis: Analysis | None = None) -> dict:
    """The plan as plain JSON-ready data (the `plan` command prints it); texts are the staff's edited ones."""
    analysis = analysis or plan_analysis(plan)
    texts = dict(plan.findings.values_list("key", "text"))
    return {
        "organization": plan.organization.code,
        "organization_name": plan.organization.name,
        "fiscal_year": plan.fiscal_year,
        "version": plan.version,
        "based_on": plan.based_on.fiscal_year,
        "threshold": str(round_score(plan.threshold)),
        "grouping": plan.grouping,
        "ranking": [{"indicator": number, "score": str(score)} for number, score in analysis.ranking],
        "strengths": [finding.number for finding in analysis.strengths],
        "weaknesses": [finding.number for finding in analysis.weaknesses],
        "items_to_improve": [
            {
                "code": item.code,
                "score": str(item.score),
                "recommendation": texts.get(f"item:{item.code}", item.recommendation),
            }
            for item in analysis.items
        ],
        "measures": [
            {
                "title": measure.title,
                "steps": list(measure.steps),
                "responsible": measure.responsible,
                "period": measure.period_display(),
                "monitoring": measure.monitoring,
                "answers": measure.answers,
            }
            for measure in plan.measures.select_related("plan")
        ],
        "status": plan.status,
    }
