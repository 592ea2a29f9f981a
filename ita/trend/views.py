"""The year-over-year page of an organisation: overall, tool, indicator and item scores across its years."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ita.access import get_organization_for_user
from ita.charts.trend import axis_floor, build_sparkline, build_trend_chart
from ita.models import Organization
from ita.thai import format_number, format_score
from ita.trend.data import ItemRow, Series, Trend, organization_trend


def change_text(change: Decimal | None) -> str:
    """The difference from the year before: "+๑๔.๘๕", "−๐.๕๐", "๐.๐๐", or "" when unknown."""
    if change is None:
        return ""
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return sign + format_score(abs(change))


def _change_class(change: Decimal | None) -> str:
    if change is None or change == 0:
        return ""
    return "change-up" if change > 0 else "change-down"


def _cells(series: Series) -> list[dict]:
    return [
        {"text": format_score(value) if value is not None else "", "derived": derived}
        for value, derived in zip(series.values, series.derived, strict=True)
    ]


def _series_row(series: Series, label: str, floor: int | None = None) -> dict:
    return {
        "key": series.key,
        "label": label,
        "cells": _cells(series),
        "change": change_text(series.change),
        "change_class": _change_class(series.change),
        "sparkline": build_sparkline(series.values, floor) if floor is not None else None,
    }


def _years_text(years: list[int], all_years: tuple[int, ...]) -> str:
    """ "๒๕๖๖–๒๕๖๗" for consecutive years of the trend, "๒๕๖๔, ๒๕๖๖" otherwise."""
    positions = [all_years.index(year) for year in years]
    if len(years) > 1 and positions == list(range(positions[0], positions[0] + len(years))):
        return f"{format_number(years[0])}–{format_number(years[-1])}"
    return ", ".join(format_number(year) for year in years)


def _item_row(row: ItemRow, years: tuple[int, ...]) -> dict:
    older: dict[str, list[int]] = {}
    for index, code in row.older_codes:
        older.setdefault(code, []).append(years[index])
    cells = []
    for year_cells in row.cells:
        shown = [
            (format_score(cell.value) if cell.value is not None else "")
            + (f" ({cell.code.upper()})" if cell.code != row.key and cell.value is not None else "")
            for cell in year_cells
        ]
        cells.append(" / ".join(text for text in shown if text))
    return {
        "code": row.key.upper(),
        "text": row.text,
        "older": [
            _("ปี %(years)s: %(code)s") % {"years": _years_text(found, years), "code": code.upper()}
            for code, found in older.items()
        ],
        "unmatched_in": None if row.in_newest_year else format_number(years[-1]),
        "cells": cells,
    }


def _context(organization: Organization, trend: Trend) -> dict:
    floor = axis_floor([v for series in trend.indicators for v in series.values])
    chart = build_trend_chart(
        [trend.overall, *trend.tools],
        trend.years,
        title=_("คะแนนรวมและคะแนนรายเครื่องมือของ%(org)s ทุกปีงบประมาณ") % {"org": organization.name},
    )
    return {
        "organization": organization,
        "years": [
            {"text": format_number(year), "pk": pk} for year, pk in zip(trend.years, trend.assessment_ids, strict=True)
        ],
        "chart": chart,
        "summary_rows": [
            _series_row(trend.overall, _("คะแนนรวม")),
            *(_series_row(series, series.label) for series in trend.tools),
        ],
        "levels": trend.levels,
        "indicator_rows": [
            _series_row(series, f"{format_number(series.key)}. {series.label}", floor) for series in trend.indicators
        ],
        "item_rows": [_item_row(row, trend.years) for row in trend.items],
        "has_derived": any(any(s.derived) for s in (trend.overall, *trend.tools, *trend.indicators)),
    }


@login_required
@require_GET
def organization_trend_view(request: HttpRequest, code: str) -> HttpResponse:
    """Year-over-year scores of one organisation (read only)."""
    organization = get_organization_for_user(request.user, code)
    trend = organization_trend(organization)
    return render(request, "ita/trend/organization.html", _context(organization, trend))
