"""Workflows that span several models: typed, keyword-only functions named after what they do."""

from __future__ import annotations

from ita.grading.inputs import scores_from_assessment, spec_from_framework
from ita.grading.rules import FrameworkSpec, GradeResult, Scores, grade
from ita.models import Assessment

GRADE_FIELDS = ["overall", "level", "provisional", "provisional_reason"]


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
