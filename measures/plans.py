"""Workflows of a measure plan that span several models: create, regenerate the analysis, suggest measures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext

from ita import audit
from ita.models import Assessment, ItemCrosswalk, Organization
from ita.thai import format_number, round_score
from measures.analysis import THEMES, Analysis, ItemInfo, theme_for_indicators, theme_of
from measures.catalogue import KEEP_LEVEL_PREFIX, analyse
from measures.models import (
    DEFAULT_THRESHOLD,
    MEASURE_STALE_MESSAGE,
    Finding,
    LibraryMeasure,
    Measure,
    MeasurePlan,
    OrgUnit,
    PlanError,
    PlanExists,
    PlanPermissionDenied,
    StaleEdit,
)


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
        try:
            # The unique constraint decides, not a look-up first: two requests at once both find no plan,
            # and the second waits on the first's row, then fails here (SECURITY.md B4).
            with transaction.atomic():
                plan = MeasurePlan.objects.create(
                    organization=organization,
                    fiscal_year=fiscal_year,
                    based_on=assessment,
                    threshold=round_score(threshold),
                    grouping=grouping,
                    office_phone=organization.phone,
                    created_by=by,
                )
        except IntegrityError:
            existing = MeasurePlan.objects.filter(organization=organization, fiscal_year=fiscal_year).first()
            if existing is None:
                raise
            raise PlanExists(
                gettext("%(org)s มีมาตรการปีงบประมาณ %(year)s อยู่แล้ว")
                % {"org": organization.name, "year": format_number(fiscal_year)},
                plan=existing,
            ) from None
        # The responsible column offers the organisation's units: its first plan stores the default list.
        OrgUnit.objects.ensure_defaults(organization)
        analysis = plan_analysis(plan)
        regenerate_findings(plan=plan, analysis=analysis)
        if suggest:
            for library_measure in suggest_measures(plan=plan, analysis=analysis):
                add_measure_from_library(plan=plan, library_measure=library_measure)
        audit.record(
            action="create",
            obj=plan,
            user=by,
            source=audit.Source.FORM if by is not None else audit.Source.COMMAND,
            summary=gettext("สร้างร่างมาตรการปีงบประมาณ %(year)s จากผลการประเมินปี %(previous)s")
            % {"year": format_number(fiscal_year), "previous": format_number(assessment.fiscal_year)},
        )
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
        # Two regenerations at once would both add the same new findings (finding_plan_key): the plan's
        # row is locked, so the second waits and then sees the first's findings.
        list(MeasurePlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True))
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


def suggest_measures(*, plan: MeasurePlan, analysis: Analysis | None = None) -> list[LibraryMeasure]:
    """Library measures for the plan, best matches first; measures already in the plan are left out.

    A plan with something to fix gets the measures answering its items to improve or weak
    indicators (keep-level measures excluded). A plan with no weakness (Analysis.keep_level) gets
    the keep-level measures of its indicators instead, in theme order (measures.analysis.THEMES).
    """
    analysis = analysis or plan_analysis(plan)
    used = set(plan.measures.exclude(library=None).values_list("library_id", flat=True))
    if analysis.keep_level:
        return _keep_level_measures(analysis, used)
    weak = {finding.number for finding in analysis.weaknesses}
    codes = {item.code for item in analysis.items}
    item_ids = set(plan.based_on.framework.items.filter(code__in=codes).values_list("pk", flat=True))
    # The library names items of one year; the plan's items reach them through the crosswalk.
    targets = item_ids.union(*ItemCrosswalk.objects.linked(item_ids).values()) if item_ids else set()
    ranked = []
    library = LibraryMeasure.objects.exclude(pk__in=used).exclude(key__startswith=KEEP_LEVEL_PREFIX)
    for measure in library.prefetch_related("items"):
        item_hits = len({item.pk for item in measure.items.all()} & targets)
        indicator_hits = len(set(measure.indicators) & weak)
        if item_hits or indicator_hits:
            ranked.append(((-item_hits, -indicator_hits, measure.order, measure.key), measure))
    return [measure for _key, measure in sorted(ranked, key=lambda pair: pair[0])]


def _keep_level_measures(analysis: Analysis, used: set[int]) -> list[LibraryMeasure]:
    """The keep-level library measures answering at least one of the plan's (strong) indicators, by theme."""
    strong = {finding.number for finding in analysis.strengths}
    order = {theme.key: position for position, theme in enumerate(THEMES)}
    ranked = []
    for measure in LibraryMeasure.objects.filter(key__startswith=KEEP_LEVEL_PREFIX).exclude(pk__in=used):
        if not set(measure.indicators) & strong:
            continue
        theme = theme_for_indicators(measure.indicators)
        ranked.append(((order[theme.key] if theme else len(order), measure.order, measure.key), measure))
    return [measure for _key, measure in sorted(ranked, key=lambda pair: pair[0])]


def _answered_codes(plan: MeasurePlan, library_measure: LibraryMeasure) -> list[str]:
    """Codes, in the plan's assessment year, of the items the library measure is keyed by (via the crosswalk)."""
    library_ids = {item.pk for item in library_measure.items.all()}
    if not library_ids:
        return []
    linked = library_ids.union(*ItemCrosswalk.objects.linked(library_ids).values())
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


# ---------------------------------------------------------------------------------------------
# Editing a plan from the web pages: each function checks the user, the model guards frozen plans.


def ensure_editable_by(plan: MeasurePlan, user) -> None:
    """PlanFrozen for an approved/published plan (stored status), PlanPermissionDenied for other users."""
    plan.ensure_editable()
    if not plan.editable_by(user):
        raise PlanPermissionDenied(gettext("คุณไม่มีสิทธิ์แก้ไขมาตรการฉบับนี้"))


def update_plan_details(*, plan: MeasurePlan, by, lock_version: int, **fields) -> list[FindingChange]:
    """Save the header details; a new threshold regenerates the analysis (keeping edited texts)."""
    old_threshold = plan.threshold
    with transaction.atomic():
        plan.update_details(by=by, lock_version=lock_version, **fields)
        if plan.threshold != old_threshold:
            return regenerate_findings(plan=plan)
    return []


def edit_finding(*, finding: Finding, text: str, by, fingerprint: str | None = None) -> None:
    """Replace a generated text with the user's own (frozen plans refused before the permission check).

    `fingerprint` is Finding.fingerprint() of the text the user started from (StaleEdit when it moved on).
    """
    ensure_editable_by(finding.plan, by)
    finding.edit(text, by=by, fingerprint=fingerprint)


def regenerate_plan(*, plan: MeasurePlan, by, discard_edits: bool = False) -> list[FindingChange]:
    """Regenerate the analysis texts on the user's request."""
    ensure_editable_by(plan, by)
    return regenerate_findings(plan=plan, discard_edits=discard_edits)


def _measure_label(measure: Measure) -> str:
    return measure.title[:80]


def save_measure(*, measure: Measure, by, fingerprint: str | None = None) -> Measure:
    """Create or update a measure of an editable plan; a new one goes to the end of the table.

    `fingerprint` is Measure.fingerprint() of the values the user started from: when the stored
    measure changed since, StaleEdit is raised and nothing is written (no lost update).
    """
    ensure_editable_by(measure.plan, by)
    with transaction.atomic():
        if measure.pk is None:
            last = measure.plan.measures.aggregate(last=Max("order"))["last"]
            measure.order = 0 if last is None else last + 1
            before, action = {}, "create"
        else:
            stored = Measure.objects.select_for_update().get(pk=measure.pk)
            if fingerprint and stored.fingerprint() != fingerprint:
                raise StaleEdit(str(MEASURE_STALE_MESSAGE))
            before, action = audit.snapshot(stored, Measure.EDITABLE_FIELDS), "update"
        measure.save()
        changes = audit.model_diff(Measure, before, audit.snapshot(measure, Measure.EDITABLE_FIELDS))
        if changes:
            text = gettext("เพิ่มมาตรการ “%(title)s”") if action == "create" else gettext("แก้ไขมาตรการ “%(title)s”")
            summary = text % {"title": _measure_label(measure)}
            audit.record(action=action, obj=measure, user=by, changes=changes, summary=summary)
    return measure


def delete_measure(*, measure: Measure, by) -> None:
    """Remove a measure (and its progress entries) from an editable plan."""
    ensure_editable_by(measure.plan, by)
    with transaction.atomic():
        before = audit.snapshot(measure, Measure.EDITABLE_FIELDS)
        event = audit.build(
            action="delete",
            obj=measure,
            user=by,
            changes=audit.model_diff(Measure, before, {}),
            summary=gettext("ลบมาตรการ “%(title)s”") % {"title": _measure_label(measure)},
        )
        measure.delete()
        event.save()


def move_measure(*, measure: Measure, by, step: int) -> bool:
    """Swap the measure with its neighbour (step -1 up, +1 down); False when it is already at that end.

    Orders are renumbered 0…n-1 on the way, so duplicates left by older data sort out.
    """
    plan = measure.plan
    ensure_editable_by(plan, by)
    with transaction.atomic():
        rows = list(plan.measures.select_for_update().order_by("order", "pk"))
        index = next((i for i, row in enumerate(rows) if row.pk == measure.pk), None)
        if index is None or not 0 <= index + step < len(rows):
            return False
        rows[index], rows[index + step] = rows[index + step], rows[index]
        for position, row in enumerate(rows):
            row.order = position
        Measure.objects.bulk_update(rows, ["order"])
        audit.record(
            action="reorder",
            obj=measure,
            user=by,
            changes=audit.diff({"order": index + 1}, {"order": index + step + 1}, labels={"order": gettext("ลำดับ")}),
            summary=gettext("ย้ายมาตรการ “%(title)s” จากลำดับที่ %(old)s เป็นลำดับที่ %(new)s")
            % {
                "title": _measure_label(measure),
                "old": format_number(index + 1),
                "new": format_number(index + step + 1),
            },
        )
    return True


def add_library_measure(*, plan: MeasurePlan, library_measure: LibraryMeasure, by) -> Measure:
    """Staff pick a library measure: it is copied to the end of the plan for them to edit."""
    ensure_editable_by(plan, by)
    with transaction.atomic():
        measure = add_measure_from_library(plan=plan, library_measure=library_measure)
        audit.record(
            action="create",
            obj=measure,
            user=by,
            changes=audit.model_diff(Measure, {}, audit.snapshot(measure, Measure.EDITABLE_FIELDS)),
            summary=gettext("เพิ่มมาตรการ “%(title)s” จากคลังมาตรการ") % {"title": _measure_label(measure)},
        )
    return measure


def item_finding_groups(
    *, plan: MeasurePlan, findings: list[Finding], names: dict[int, str]
) -> list[tuple[str, list[Finding]]]:
    """The plan's items to improve gathered by indicator or by theme (the plan's grouping), in document order."""
    items = [finding for finding in findings if finding.kind == Finding.Kind.ITEM]
    if plan.grouping == MeasurePlan.Grouping.THEME:
        framework = plan.based_on.framework
        infos = {
            item.code: ItemInfo(
                item.code,
                item.indicator.tool,
                item.indicator.number,
                item.order,
                item.text,
                item.sub_indicator.code if item.sub_indicator else None,
            )
            for item in framework.items.filter(code__in={f.item_code for f in items}).select_related(
                "indicator", "sub_indicator"
            )
        }
        buckets: dict[str, list[Finding]] = {theme.key: [] for theme in THEMES}
        for finding in items:
            info = infos.get(finding.item_code)
            key = theme_of(info, framework.fiscal_year).key if info else _theme_of_indicator(finding.indicator)
            buckets[key].append(finding)
        return [(theme.title, buckets[theme.key]) for theme in THEMES if buckets[theme.key]]
    by_indicator: dict[int, list[Finding]] = {}
    for finding in items:
        by_indicator.setdefault(finding.indicator or 0, []).append(finding)
    return [
        (gettext("ตัวชี้วัดที่ %(n)s %(name)s") % {"n": format_number(n), "name": names.get(n, "")}, group)
        for n, group in sorted(by_indicator.items())
    ]


def _theme_of_indicator(number: int | None) -> str:
    return next((theme.key for theme in THEMES if number in theme.indicators), THEMES[-1].key)
