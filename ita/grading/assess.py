"""Grading stored assessments, and the writes that change what grading reads.

Typed, keyword-only workflow functions named after what they do: forms clean the input, these
write it (scores, history, audit, regrade) in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from ita import audit
from ita.grading.inputs import scores_from_assessment, scores_of, spec_from_framework
from ita.grading.rules import FrameworkSpec, GradeResult, Scores, grade
from ita.models import Assessment, Framework, Organization, Score, ValueSource
from ita.thai import format_number

GRADE_FIELDS = ["overall", "level", "provisional", "provisional_reason"]


class StaleAssessmentError(Exception):
    """The assessment changed since the form was shown (its version moved on)."""


class AssessmentExists(Exception):
    """The organisation already has an assessment for that fiscal year (a double submit raced us)."""


class AssessmentNotFound(LookupError):
    """No organisation with that code, or no assessment of that fiscal year; str() is a Thai message."""


def grade_assessment(
    *, assessment: Assessment, save: bool = True, spec: FrameworkSpec | None = None, scores: Scores | None = None
) -> GradeResult:
    """Grade the assessment from its stored scores and store the computed overall, level and provisional flag.

    Only the computed fields are written, so a concurrent edit of other fields (official
    results, version) is never overwritten by a regrade. Bulk callers pass a `spec` built once
    per framework and the `scores` they already hold, and save in bulk themselves (save=False).
    """
    spec = spec if spec is not None else spec_from_framework(assessment.framework)
    scores = scores if scores is not None else scores_from_assessment(assessment)
    result = grade(spec, scores)
    assessment.overall = result.overall
    assessment.level = result.level or ""
    assessment.provisional = result.provisional
    assessment.provisional_reason = result.provisional_reason
    if save:
        assessment.save(update_fields=GRADE_FIELDS)
    return result


def regrade_framework(framework: Framework) -> int:
    """Regrade every assessment of a framework after its roll-up or weights changed; returns how many.

    The spec is built once and the scores read in one query; only the computed fields are written.
    """
    spec = spec_from_framework(framework)
    assessments = list(Assessment.objects.filter(framework=framework).order_by("pk"))
    scores = scores_of(assessments, Score.objects.filter(assessment__framework=framework))
    for assessment in assessments:
        grade_assessment(assessment=assessment, spec=spec, scores=scores[assessment.pk], save=False)
    Assessment.objects.bulk_update(assessments, GRADE_FIELDS, batch_size=500)
    return len(assessments)


def find_assessment(*, code: str, fiscal_year: int) -> Assessment:
    """The stored assessment of the organisation with this code for this fiscal year; AssessmentNotFound otherwise."""
    organization = Organization.objects.filter(code=code.strip()).first()
    if organization is None:
        raise AssessmentNotFound(gettext("ไม่พบหน่วยงานรหัส %(code)s") % {"code": code})
    assessment = (
        Assessment.objects.select_related("organization", "framework")
        .filter(organization=organization, fiscal_year=fiscal_year)
        .first()
    )
    if assessment is None:
        raise AssessmentNotFound(
            gettext("%(org)s ยังไม่มีผลการประเมินของปีงบประมาณ %(year)s")
            % {"org": organization.name, "year": format_number(fiscal_year)}
        )
    return assessment


def start_assessment(*, organization: Organization, framework: Framework, user) -> Assessment:
    """An empty assessment of one more fiscal year, audited; AssessmentExists when that year is taken."""
    year = framework.fiscal_year
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                organization=organization, framework=framework, fiscal_year=year, updated_by=user
            )
            audit.record(
                action="create",
                obj=assessment,
                user=user,
                source=audit.Source.FORM,
                summary=gettext("เพิ่มผลการประเมินปีงบประมาณ พ.ศ. %(year)s") % {"year": format_number(year)},
            )
    except IntegrityError as exc:
        raise AssessmentExists from exc
    return assessment


# The assessment's own columns a save may set besides its scores (the computed ones come from grading).
SAVED_FIELDS = frozenset({"official_overall", "official_level", "framework"})


def save_assessment(
    *,
    assessment: Assessment,
    version: int,
    fields: Mapping[str, object],
    scores: Mapping[tuple[str, str], Decimal | None],
    user,
    source: str,
) -> Assessment:
    """The one write path of an assessment edited by hand (score form, admin): one transaction.

    `version` is the one the user saw: StaleAssessmentError when another save moved it on, and
    then nothing is written. Otherwise `fields` (some of SAVED_FIELDS) and `scores` ((kind, code)
    → value, None deletes; each replaced value kept as a ScoreRevision) are stored, the version
    bumped, the overall and level regraded and one AuditEvent written with `source` (ValueSource
    and audit Source share "form" and "admin").
    """
    unknown = set(fields) - SAVED_FIELDS
    if unknown:
        raise ValueError(f"fields not saved here: {sorted(unknown)}")
    names = [*audit.ASSESSMENT_FIELDS, *sorted(set(fields) - set(audit.ASSESSMENT_FIELDS))]
    with transaction.atomic():
        stored = Assessment.objects.filter(pk=assessment.pk).values(*names).first() or {}
        # The conditional update is the lock: only one save can move the version on from what was shown.
        claimed = Assessment.objects.filter(pk=assessment.pk, version=version).update(
            version=F("version") + 1, updated_by=user, updated_at=timezone.now(), **fields
        )
        if not claimed:
            raise StaleAssessmentError
        saved = Assessment.objects.select_related("organization", "framework").get(pk=assessment.pk)
        old_scores = saved.score_values()
        saved.set_scores(scores, user=user, source=source)
        grade_assessment(assessment=saved)
        audit.record_assessment_save(
            assessment=saved,
            user=user,
            source=source,
            old_fields=audit.json_value(stored),
            old_scores=old_scores,
            wanted_scores=scores,
        )
    return saved


def save_scores(
    *,
    assessment: Assessment,
    version: int,
    official_overall: Decimal | None,
    official_level: str,
    scores: Mapping[tuple[str, str], Decimal | None],
    user,
) -> Assessment:
    """Store scores typed into the staff form through save_assessment (source: the form)."""
    return save_assessment(
        assessment=assessment,
        version=version,
        fields={"official_overall": official_overall, "official_level": official_level},
        scores=scores,
        user=user,
        source=ValueSource.FORM,
    )
