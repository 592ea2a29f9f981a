"""Organisations on the portal: finding them by name, and their public results over the years."""

from __future__ import annotations

from django.db.models import QuerySet

from ita.models import Assessment, Indicator, Organization
from reports.portal.results import public_assessments, with_score_columns
from reports.portal.search import Candidate, Query, rank

SEARCH_LIMIT = 200  # more matches than this means the query is too short to be useful


def find_organizations(
    query: Query, *, province: str = "", org_type: str = "", limit: int = SEARCH_LIMIT
) -> list[Candidate]:
    """Organisations whose name matches, best first (one query; names are folded in Python, cached).

    The province and type filters of the page narrow the candidates first, so that the best
    `limit` matches are the best within what the user is looking at.
    """
    if not query.key and not query.org_type and not query.code:
        return []
    rows = Organization.objects.order_by().values_list("pk", "name", "code", "org_type")
    if province:
        rows = rows.filter(province=province)
    if org_type:
        rows = rows.filter(org_type=org_type)
    if query.only_type:
        rows = rows.filter(org_type=query.org_type)
    return rank(query, map(Candidate._make, rows), limit=limit)


def organization_results(organization: Organization) -> list[Assessment]:
    """The organisation's public results, newest year first, each with its tool and indicator scores."""
    queryset: QuerySet = public_assessments().filter(organization=organization).select_related("framework")
    return list(with_score_columns(queryset).order_by("-fiscal_year"))


def indicator_names(framework_id: int) -> dict[int, Indicator]:
    """The framework's indicators by number."""
    return {indicator.number: indicator for indicator in Indicator.objects.filter(framework_id=framework_id)}
