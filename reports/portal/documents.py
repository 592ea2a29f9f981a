"""Published มาตรการ documents as the public sees them: only published plans, never drafts.

A correction of a published plan is a new version; the old one stays published and reachable,
but lists show the newest published version of each organisation and year ("current"). Each
published version normally has a frozen public copy (reports.models.PublishedVersion) with its
PDF and SHA-256; its page and PDF are served by reports.views, which the portal links to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from measures.models import MeasurePlan
from reports.portal.results import result_fields


@dataclass(frozen=True)
class DocumentFilters:
    """What the list page filters on; None or empty means "any"."""

    fiscal_year: int | None = None
    province: str = ""
    org_type: str = ""
    level: str = ""
    # Organisations found by a name search, best first; None when there was no search.
    organization_ids: Sequence[int] | None = None


SHOWN_FIELDS = (
    "organization__code",
    "organization__name",
    "organization__org_type",
    "organization__district",
    "organization__province",
    "fiscal_year",
    "version",
    "status",
    "published_at",
    "based_on__fiscal_year",
    "published_version__data_sha256",
    "published_version__sha256",
    "published_version__status",
)


def published_plans() -> QuerySet:
    """Every published version of every plan, with its organisation and the result it is based on."""
    return (
        MeasurePlan.objects.published()
        .select_related("organization", "based_on", "published_version")
        # Only what the pages show: the frozen copy's PDF and data stay in the database, and every
        # column not read here is a conversion saved on each of fifty rows.
        .only(*SHOWN_FIELDS)
        .annotate(**{f"based_{name}": expr for name, expr in result_fields("based_on__").items()})
    )


def _current(plans: QuerySet) -> QuerySet:
    newer = MeasurePlan.objects.published().filter(
        organization=OuterRef("organization"), fiscal_year=OuterRef("fiscal_year"), version__gt=OuterRef("version")
    )
    return plans.filter(~Exists(newer))


def current_published_plans() -> QuerySet:
    """The newest published version of each organisation's plan for each year (no joins: for filters and ids)."""
    return _current(MeasurePlan.objects.published())


def document_ids(filters: DocumentFilters) -> QuerySet:
    """Ids of the current published documents matching the filters, in list order.

    Only ids are sorted and counted: sorting thousands of joined rows to show fifty is what made
    the first version of this list slow. documents_in_order() then reads the page's rows.
    """
    plans = current_published_plans()
    if filters.fiscal_year:
        plans = plans.filter(fiscal_year=filters.fiscal_year)
    if filters.province:
        plans = plans.filter(organization__province=filters.province)
    if filters.org_type:
        plans = plans.filter(organization__org_type=filters.org_type)
    if filters.level:
        plans = plans.alias(**{f"based_{k}": v for k, v in result_fields("based_on__").items()})
        plans = plans.filter(based_result_level=filters.level)
    # Newest first: Thai names do not sort in dictionary order in SQL (leading vowels), dates do.
    ordering = ["-published_at", "-pk"]
    if filters.organization_ids is not None:
        ids = list(filters.organization_ids)
        plans = plans.filter(organization_id__in=ids)
        rank = Case(
            *(When(organization_id=pk, then=Value(i)) for i, pk in enumerate(ids)),
            default=Value(len(ids)),
            output_field=IntegerField(),
        )
        ordering = [rank.asc(), "-fiscal_year", "-pk"]
    return plans.order_by(*ordering).values_list("pk", flat=True)


def documents_in_order(ids: Sequence[int]) -> list[MeasurePlan]:
    """The plans with these ids, joined with what the list shows, in the order of `ids`."""
    by_pk = {plan.pk: plan for plan in published_plans().filter(pk__in=list(ids))}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def plan_years() -> list[int]:
    """Fiscal years with at least one published document, newest first."""
    years = MeasurePlan.objects.published().order_by().values_list("fiscal_year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def organization_documents(organization_id: int) -> list[MeasurePlan]:
    """All published versions of an organisation's plans, newest year and version first."""
    return list(published_plans().filter(organization_id=organization_id).order_by("-fiscal_year", "-version"))
