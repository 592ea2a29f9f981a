"""The public portal (no login, read-only): published documents, organisations, the national page, open data.

Only published plans and public results (reports.portal.results) ever reach these pages;
everything else is 404 or absent from lists. Query counts do not grow with the number of
organisations: every list is one query plus a fixed number of look-ups.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from pythainlp.util import collate

from ita.models import Organization
from ita.thai import format_number
from reports.portal import pages
from reports.portal.documents import document_ids, documents_in_order, plan_years
from reports.portal.forms import DocumentFilterForm
from reports.portal.opendata import DATASETS, MEASURE_FIELDS, RESULT_FIELDS, stream_csv, stream_json
from reports.portal.organizations import SEARCH_LIMIT, find_organizations, organization_results
from reports.portal.results import NationalSummary, level_positions, national_summary, public_years
from reports.portal.search import parse_query

PAGE_SIZE = 50
NATIONAL_CACHE_SECONDS = 300
NO_DATA = "no-data"  # cached for a year without public results, so that it is not recomputed either
MATCHES_SHOWN = 10


def _provinces() -> list[str]:
    rows = Organization.objects.exclude(province="").order_by().values_list("province", flat=True).distinct()
    return collate(rows)


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    """Published documents with filters and a Thai name search."""
    positions = level_positions()
    form = DocumentFilterForm(request.GET, years=plan_years(), provinces=_provinces(), levels=list(positions))
    filters = form.filters()
    query = parse_query(form.query_text)
    matches = (
        find_organizations(query, province=filters.province, org_type=filters.org_type) if form.query_text else None
    )
    if matches is not None:
        filters = pages.with_organizations(filters, [match.pk for match in matches])
    page = Paginator(document_ids(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": [pages.document_row(plan) for plan in documents_in_order(page.object_list)],
        "matches": (matches or [])[:MATCHES_SHOWN],
        "match_count": format_number(len(matches or [])),
        "match_more": len(matches or []) >= SEARCH_LIMIT,
        "searched": matches is not None,
        "total": format_number(page.paginator.count),
        "page_number": format_number(page.number),
        "page_count": format_number(page.paginator.num_pages),
        "query_string": pages.query_string(request.GET),
    }
    return render(request, "reports/portal/document_list.html", context)


@require_safe
def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's public results over the years (chart and table) and its published documents."""
    organization = get_object_or_404(Organization, code=code)
    results = organization_results(organization)
    context = pages.organization_context(organization, results, level_positions())
    return render(request, "reports/portal/organization.html", context)


@require_safe
def national_latest(request: HttpRequest) -> HttpResponse:
    years = public_years()
    if not years:
        raise Http404(_("ยังไม่มีผลการประเมินที่เผยแพร่"))
    return redirect("portal:national", year=years[0])


def cached_national_summary(year: int) -> NationalSummary | None:
    """national_summary() kept for a few minutes: it reads every score of the year, and changes only on import."""
    key = f"portal:national:{year}"
    cached = cache.get(key)
    if cached is None:
        summary = national_summary(year)
        # The cache stores JSON only (ita.storage.cache), so the summary goes in as its JSON form.
        cached = summary.as_json() if summary else NO_DATA
        cache.set(key, cached, NATIONAL_CACHE_SECONDS)
    return None if cached == NO_DATA else NationalSummary.from_json(cached)


@require_safe
def national(request: HttpRequest, year: int) -> HttpResponse:
    """One year across the country: level distribution, lowest indicators, provinces."""
    summary = cached_national_summary(year)
    if summary is None:
        raise Http404(_("ไม่มีผลการประเมินที่เผยแพร่ของปีนี้"))
    context = pages.national_context(summary, public_years(), level_positions())
    return render(request, "reports/portal/national.html", context)


@require_safe
def data_index(request: HttpRequest) -> HttpResponse:
    """What the open data sets contain, field by field, and links to every year."""
    context = {
        "result_years": [(year, format_number(year)) for year in public_years()],
        "plan_years": [(year, format_number(year)) for year in plan_years()],
        "result_fields": RESULT_FIELDS,
        "measure_fields": MEASURE_FIELDS,
    }
    return render(request, "reports/portal/data.html", context)


@require_safe
def dataset(request: HttpRequest, year: int, name: str, fmt: str) -> StreamingHttpResponse:
    """One data set of one year as CSV (UTF-8 with BOM) or JSON, streamed."""
    if name not in DATASETS or fmt not in ("csv", "json"):
        raise Http404
    years = public_years() if name == "results" else plan_years()
    if year not in years:
        raise Http404(_("ไม่มีข้อมูลของปีนี้"))
    fields, rows = DATASETS[name]
    if fmt == "csv":
        content, content_type = stream_csv(fields, rows(year)), "text/csv; charset=utf-8"
    else:
        header = {"dataset": name, "fiscal_year": year, "fields": [field.key for field in fields]}
        content, content_type = stream_json(header, rows(year)), "application/json; charset=utf-8"
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ita-{name}-{year}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
