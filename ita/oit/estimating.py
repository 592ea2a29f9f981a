"""The self-estimated OIT of a checklist: what ita.oit.estimate needs, read from the database.

The last known IIT and EIT are the tools of the same year's assessment, else of the latest earlier
year that has both, each graded through its own year's framework so a year entered as indicators
only still gives its tools. The same year's official OIT item scores come along for the comparison.
At most six queries whatever the number of items or years: the checklist's framework (unless
loaded), the assessments, three for the specs and one for the scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ita.grading.inputs import scores_of, specs_from_frameworks
from ita.grading.rules import Scores, grade
from ita.models import Assessment, EvidenceChecklist, Item
from ita.oit.estimate import BORROWED_TOOLS, Estimate, estimate_item, estimate_oit
from ita.oit.status import ItemHealth

# The same year and at most four earlier ones: older IIT and EIT say little about this year.
LOOKBACK = 5


def _assessments(checklist: EvidenceChecklist) -> list[Assessment]:
    """The organisation's assessments of the checklist's year and earlier, newest first (at most LOOKBACK)."""
    found = Assessment.objects.filter(
        organization_id=checklist.organization_id, fiscal_year__lte=checklist.fiscal_year
    ).select_related("framework")
    return list(found.order_by("-fiscal_year")[:LOOKBACK])


def _last_known_tools(assessments, specs, scores) -> tuple[Mapping[str, Decimal], int | None]:
    """IIT, EIT (and EIT1, EIT2 when known) of the newest assessment that grades to both IIT and EIT."""
    for assessment in assessments:
        given = scores[assessment.pk]
        # Its own OIT is left out (not needed here); odd stored codes must not stop the page.
        tools = {code: value for code, value in given.tools.items() if code in BORROWED_TOOLS}
        scores_given = Scores(tools=tools, indicators=given.indicators, items=given.items)
        result = grade(specs[assessment.framework_id], scores_given)
        if "IIT" in result.tools and "EIT" in result.tools:
            return {
                code: value for code, value in result.tools.items() if code in BORROWED_TOOLS
            }, assessment.fiscal_year
    return {}, None


def estimate_for(checklist: EvidenceChecklist, items: Sequence[Item], health: Mapping[int, ItemHealth]) -> Estimate:
    """The checklist's estimated OIT, overall and level; `health` is ita.oit.status.item_health() of `items`."""
    assessments = _assessments(checklist)
    frameworks = {checklist.framework_id: checklist.framework}
    frameworks.update({a.framework_id: a.framework for a in assessments})
    specs = specs_from_frameworks(frameworks.values())
    scores = scores_of(assessments)
    tools, year = _last_known_tools(assessments, specs, scores)
    same_year = next((a for a in assessments if a.fiscal_year == checklist.fiscal_year), None)
    official = scores[same_year.pk].items if same_year else {}
    estimates = [estimate_item(item.code, health[item.pk].verdicts if item.pk in health else ()) for item in items]
    return estimate_oit(
        specs[checklist.framework_id],
        estimates,
        tools=tools,
        tools_year=year,
        official={item.code: official.get(item.code) for item in items},
    )
