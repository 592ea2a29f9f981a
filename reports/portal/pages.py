"""Plain display data for the portal's templates: Thai digits, Thai dates, chart geometry.

The views fetch; this module only formats what they fetched, so it runs no query of its own
(organization_context reads the documents and indicator names through two fixed look-ups).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from ita.charts.indicators import IndicatorValue, build_indicator_chart
from ita.grading.rules import TOOL_LABELS
from ita.models import Assessment, Organization
from ita.thai import format_number, format_score, thai_date
from measures.models import MeasurePlan
from reports.models import RenderStatus
from reports.portal.charts import YearValue, build_year_chart, level_colour
from reports.portal.documents import DocumentFilters, organization_documents
from reports.portal.organizations import indicator_names
from reports.portal.results import INDICATOR_CODES, NationalSummary

TYPE_LABELS = dict(Organization.Type.choices)
TOOL_COLUMNS = ("IIT", "EIT", "OIT")
# Which indicators make up each tool (stable since 2562, FRAMEWORK.md §2).
INDICATOR_TOOLS = {"IIT": ("1", "2", "3", "4", "5"), "EIT": ("6", "7", "8"), "OIT": ("9", "10")}
LOWEST_SHOWN = 3
BAR_MAX = Decimal(100)


def with_organizations(filters: DocumentFilters, ids: Sequence[int]) -> DocumentFilters:
    return dataclasses.replace(filters, organization_ids=list(ids))


def query_string(params: QueryDict) -> str:
    """The current filters without the page number, ready to prefix "&page=" links."""
    kept = [(key, value) for key, values in params.lists() if key != "page" for value in values if value]
    return urlencode(kept)


def _date(moment) -> str:
    return thai_date(timezone.localdate(moment)) if moment else ""


def _published_copy(plan: MeasurePlan) -> dict | None:
    """The frozen public copy's links and hashes, when the plan has one (plans published before it existed do not)."""
    copy = getattr(plan, "published_version", None)
    if copy is None:
        return None
    return {
        "pk": copy.pk,
        "data_sha256": copy.data_sha256,
        "sha256": copy.sha256,
        "ready": copy.status == RenderStatus.DONE,
        "page_url": reverse("reports:published_version", args=[copy.pk]),
        "pdf_url": reverse("reports:published_pdf", args=[copy.pk]),
    }


def document_row(plan: MeasurePlan) -> dict:
    """One published document as the list and the organisation page show it."""
    organization = plan.organization
    return {
        "organization": organization,
        "organization_url": reverse("portal:organization", args=[organization.code]),
        "type_label": TYPE_LABELS.get(organization.org_type, ""),
        "year": format_number(plan.fiscal_year),
        "version": format_number(plan.version),
        "corrected": plan.version > 1,
        "published_at": _date(plan.published_at),
        "based_year": format_number(plan.based_on.fiscal_year),
        "based_overall": format_score(plan.based_result_overall),
        "based_level": plan.based_result_level,
        "copy": _published_copy(plan),
    }


# ---------------------------------------------------------------------------------------------
# The organisation page


def _tool_values(assessment: Assessment) -> list[dict]:
    """IIT, EIT and OIT as stored, or as the mean of their indicators (marked derived) when not stored."""
    values = []
    for tool in TOOL_COLUMNS:
        stored = getattr(assessment, tool.lower())
        parts = [getattr(assessment, f"indicator_{n}") for n in INDICATOR_TOOLS[tool]]
        derived = stored is None and all(part is not None for part in parts)
        value = sum(parts, Decimal(0)) / len(parts) if derived else stored
        values.append({"value": format_score(value), "derived": derived})
    return values


def _result_row(assessment: Assessment) -> dict:
    return {
        "year": format_number(assessment.fiscal_year),
        "overall": format_score(assessment.result_overall),
        "level": assessment.result_level,
        "official": assessment.result_official,
        "tools": _tool_values(assessment),
    }


def _indicator_rows(results: list[Assessment], names: dict) -> list[dict]:
    """One row per indicator, one value per year (oldest first, like the chart)."""
    oldest_first = results[::-1]
    return [
        {
            "number": format_number(int(code)),
            "name": names[int(code)].name if int(code) in names else "",
            "values": [format_score(getattr(a, f"indicator_{code}")) for a in oldest_first],
        }
        for code in INDICATOR_CODES
    ]


def _indicator_chart(assessment: Assessment, names: dict) -> object | None:
    values = [
        IndicatorValue(
            number=int(code),
            name=names[int(code)].name if int(code) in names else "",
            tool=names[int(code)].tool if int(code) in names else "",
            value=getattr(assessment, f"indicator_{code}"),
        )
        for code in INDICATOR_CODES
    ]
    if all(value.value is None for value in values):
        return None
    title = f"คะแนนรายตัวชี้วัด ปีงบประมาณ พ.ศ. {format_number(assessment.fiscal_year)}"
    return build_indicator_chart(values, title=title, chart_id=f"indicators-{assessment.fiscal_year}")


def organization_context(organization: Organization, results: list[Assessment], positions: dict) -> dict:
    """Results table, year chart, the latest year's indicator chart and every published version."""
    latest = results[0] if results else None
    names = indicator_names(latest.framework_id) if latest else {}
    year_values = [
        YearValue(a.fiscal_year, a.result_overall, a.result_level, positions.get(a.result_level)) for a in results
    ]
    documents = [document_row(plan) for plan in organization_documents(organization.pk)]
    results_rows = [_result_row(a) for a in results]
    return {
        "organization": organization,
        "type_label": TYPE_LABELS.get(organization.org_type, ""),
        "results": results_rows,
        "tool_headers": [TOOL_LABELS[code] for code in TOOL_COLUMNS],
        "indicator_years": [format_number(a.fiscal_year) for a in reversed(results)],
        "indicator_rows": _indicator_rows(results, names),
        "any_computed": any(not row["official"] for row in results_rows),
        "tools_derived": any(tool["derived"] for row in results_rows for tool in row["tools"]),
        "year_chart": build_year_chart(year_values) if any(v.overall is not None for v in year_values) else None,
        "indicator_chart": _indicator_chart(latest, names) if latest else None,
        "latest_year": format_number(latest.fiscal_year) if latest else "",
        "documents": documents,
    }


# ---------------------------------------------------------------------------------------------
# The national page


def _percent_text(value: Decimal) -> str:
    return format_score(value)


def national_context(summary: NationalSummary, years: list[int], positions: dict) -> dict:
    """Display rows for the national page of one year."""
    levels = [
        {
            "label": level.label,
            "count": format_number(level.count),
            "percent": _percent_text(level.percent),
            "bar": min(level.percent, BAR_MAX).quantize(Decimal("0.01")),
            "colour": level_colour(positions.get(level.label)),
        }
        for level in summary.levels
    ]
    indicators = [
        {
            "number": format_number(item.number),
            "name": item.name,
            "tool": item.tool,
            "mean": format_score(item.mean),
            "bar": min(item.mean, BAR_MAX).quantize(Decimal("0.01")),
            "count": format_number(item.count),
            "lowest": index < LOWEST_SHOWN,
        }
        for index, item in enumerate(summary.indicators)
    ]
    provinces = [
        {
            "province": row.province or "–",
            "total": format_number(row.total),
            "mean": format_score(row.mean),
            "levels": [format_number(count) for count in row.levels],
        }
        for row in summary.provinces
    ]
    return {
        "year": summary.fiscal_year,
        "year_text": format_number(summary.fiscal_year),
        "years": [(year, format_number(year)) for year in years],
        "total": format_number(summary.total),
        "mean": format_score(summary.mean),
        "levels": levels,
        "indicators": indicators,
        "lowest": indicators[:LOWEST_SHOWN],
        "provinces": provinces,
        "level_headers": [level.label for level in summary.levels],
    }
