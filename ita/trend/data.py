"""An organisation's results across years: graded values per year and items aligned through the crosswalk.

`grade_assessments()` grades any number of assessments in a fixed number of queries (the pure
`ita.grading.rules.grade` does the work); `organization_trend()` builds the plain data the year-over-year
page shows. Items are renumbered between frameworks, so rows of the items table are the connected
groups of the ItemCrosswalk: where no mapping exists an item stays on a row of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ita.grading import rules as grading
from ita.grading.inputs import scores_of, specs_from_frameworks
from ita.models import Assessment, Framework, Item, ItemCrosswalk, Organization
from ita.models.frameworks import crosswalk_groups

TOOLS = ("IIT", "EIT", "OIT")
TOOL_ORDER = {"IIT": 0, "EIT": 1, "OIT": 2}


# ---------------------------------------------------------------------------------------------
# Grading many assessments at once


def specs_for(frameworks: Iterable[Framework]) -> dict[int, grading.FrameworkSpec]:
    """Framework id → grading spec, in three queries whatever the number of frameworks."""
    return specs_from_frameworks(frameworks)


def scores_for(assessments: Sequence[Assessment]) -> dict[int, grading.Scores]:
    """Assessment id → its stored scores as grading input, in one query."""
    return scores_of(assessments)


def grade_assessments(assessments: Sequence[Assessment]) -> dict[int, grading.GradeResult]:
    """Assessment id → grading result (values derived from items where not given); four queries, nothing saved.

    The assessments must come with their framework (select_related("framework")).
    """
    return _grade(assessments)[1]


def _grade(
    assessments: Sequence[Assessment],
) -> tuple[dict[int, grading.FrameworkSpec], dict[int, grading.GradeResult]]:
    if not assessments:
        return {}, {}
    specs = specs_for({a.framework_id: a.framework for a in assessments}.values())
    scores = scores_for(assessments)
    return specs, {a.pk: grading.grade(specs[a.framework_id], scores[a.pk]) for a in assessments}


# ---------------------------------------------------------------------------------------------
# Items aligned across years (pure)


@dataclass(frozen=True)
class ItemNode:
    """An item as the alignment needs it."""

    pk: int
    code: str
    fiscal_year: int
    tool: str
    order: int
    text: str = ""


@dataclass(frozen=True)
class ItemCell:
    code: str
    value: Decimal | None


@dataclass(frozen=True)
class ItemRow:
    """One row of the items table: `key` is the code in the newest year the row has; cells follow `years`."""

    key: str
    key_year: int
    tool: str
    text: str
    cells: tuple[tuple[ItemCell, ...], ...]
    in_newest_year: bool

    @property
    def older_codes(self) -> list[tuple[int, str]]:
        """(year index, code) of the cells whose code differs from the row's key, e.g. a renumbered item."""
        return [(index, cell.code) for index, cells in enumerate(self.cells) for cell in cells if cell.code != self.key]


def align_items(
    years: Sequence[int],
    nodes: Sequence[ItemNode],
    edges: Iterable[tuple[int, int]],
    values: dict[tuple[int, str], Decimal],
) -> list[ItemRow]:
    """Rows of items across `years`, grouped through the crosswalk; only rows with at least one value.

    `nodes` are the items of the years' frameworks; `edges` may pass through items of other years
    (a year the organisation has no result for), which then only link their neighbours.
    """
    wanted = set(years)
    groups: dict[int, list[ItemNode]] = defaultdict(list)
    roots = crosswalk_groups((node.pk for node in nodes), edges)
    for node in nodes:
        if node.fiscal_year in wanted:
            groups[roots[node.pk]].append(node)
    newest = max(years) if years else None
    rows = []
    for members in groups.values():
        cells = tuple(
            tuple(
                ItemCell(node.code, values.get((year, node.code)))
                for node in sorted(members, key=lambda n: n.order)
                if node.fiscal_year == year
            )
            for year in years
        )
        if not any(cell.value is not None for year_cells in cells for cell in year_cells):
            continue
        head = max(members, key=lambda n: (n.fiscal_year, -n.order))
        rows.append(ItemRow(head.code, head.fiscal_year, head.tool, head.text, cells, head.fiscal_year == newest))
    order = {(node.fiscal_year, node.code): node.order for node in nodes}
    # Rows of the newest year first, in framework order; rows that ended earlier follow, newest first.
    return sorted(rows, key=lambda r: (-r.key_year, TOOL_ORDER.get(r.tool, 9), order[(r.key_year, r.key)], r.key))


# ---------------------------------------------------------------------------------------------
# The organisation's trend


@dataclass(frozen=True)
class Series:
    """One line of values across the trend's years; `derived[i]` when the value was computed, not given."""

    key: str
    label: str
    values: tuple[Decimal | None, ...]
    derived: tuple[bool, ...]

    @property
    def change(self) -> Decimal | None:
        """The last year's value minus the year before's, when both are known."""
        if len(self.values) < 2 or self.values[-1] is None or self.values[-2] is None:
            return None
        return self.values[-1] - self.values[-2]


@dataclass(frozen=True)
class Trend:
    years: tuple[int, ...]
    assessment_ids: tuple[int, ...]
    overall: Series
    levels: tuple[str, ...]
    tools: tuple[Series, ...]
    indicators: tuple[Series, ...]
    items: tuple[ItemRow, ...]


def _overall_series(assessments: Sequence[Assessment], results: dict[int, grading.GradeResult]) -> Series:
    # The official overall is authoritative when known; the computed one stands in (marked) otherwise.
    values, derived = [], []
    for a in assessments:
        official = a.official_overall
        values.append(official if official is not None else results[a.pk].overall)
        derived.append(official is None and results[a.pk].overall is not None)
    return Series("overall", "คะแนนรวม", tuple(values), tuple(derived))


def _series(key: str, label: str, results: Sequence[grading.GradeResult], pick, derived_key: str) -> Series:
    return Series(
        key,
        label,
        tuple(pick(result) for result in results),
        tuple(derived_key in result.derived for result in results),
    )


def _item_data(assessments: Sequence[Assessment], years: Sequence[int]) -> tuple[list[ItemNode], list[tuple[int, int]]]:
    """The items of the organisation's frameworks and the crosswalk edges between the first and last year."""
    source = assessments[-1].framework.source
    framework_ids = [a.framework_id for a in assessments]
    rows = (
        Item.objects.filter(framework_id__in=framework_ids)
        .order_by()
        .values_list("pk", "code", "framework__fiscal_year", "indicator__tool", "order", "text")
    )
    nodes = [ItemNode(*row) for row in rows]
    links = ItemCrosswalk.objects.within(source, min(years), max(years)).links()
    return nodes, list(links.edges)


def organization_trend(organization: Organization) -> Trend:
    """Every year the organisation has: overall, tools, indicators and aligned items (seven queries at most)."""
    assessments = list(
        Assessment.objects.filter(organization=organization).select_related("framework").order_by("fiscal_year")
    )
    years = tuple(a.fiscal_year for a in assessments)
    if not assessments:
        empty = Series("overall", "คะแนนรวม", (), ())
        return Trend((), (), empty, (), (), (), ())
    specs, results = _grade(assessments)
    ordered = [results[a.pk] for a in assessments]
    names = specs[assessments[-1].framework_id].indicator_names
    tools = tuple(_series(t, t, ordered, lambda r, t=t: r.tools.get(t), f"tool:{t}") for t in TOOLS)
    indicators = tuple(
        _series(str(n), names.get(n, ""), ordered, lambda r, n=n: r.indicators.get(n), f"indicator:{n}")
        for n in range(1, 11)
    )
    nodes, edges = _item_data(assessments, years)
    values = {(a.fiscal_year, code): value for a in assessments for code, value in results[a.pk].items.items()}
    return Trend(
        years=years,
        assessment_ids=tuple(a.pk for a in assessments),
        overall=_overall_series(assessments, results),
        levels=tuple(a.official_level or (results[a.pk].level or "") for a in assessments),
        tools=tools,
        indicators=indicators,
        items=tuple(align_items(years, nodes, edges, values)),
    )
