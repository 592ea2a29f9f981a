"""Year-over-year line chart and sparklines, drawn server-side as inline SVG (no script, no library).

Like ita.charts.indicators, the functions here compute plain geometry with the ita.charts.svg
toolkit; the partials templates/ita/trend/_chart.html and _sparkline.html draw it, so every label
is autoescaped. The lines come from ita.trend.data's Series, taken as any LineSeries so that the
chart package never imports the trend package (which imports the charts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol

from ita.charts.svg import OTHER_COLOUR, TOOL_COLOURS, Tick, axis_ticks, line_coords, path_of, x_positions
from ita.thai import format_number, format_score

WIDTH = 920
HEIGHT = 340
PLOT_LEFT = 56
PLOT_RIGHT = 760  # the right margin holds each line's name next to its last point
PLOT_TOP = 20
PLOT_BOTTOM = 280
X_PAD = 40
LABEL_GAP = 15  # minimum vertical distance between two end labels
OVERALL_COLOUR = "#1b2530"
# Dash patterns tell the lines apart without relying on colour alone.
STYLES = {
    "overall": (OVERALL_COLOUR, 3, ""),
    "IIT": (TOOL_COLOURS["IIT"], 2, "8 4"),
    "EIT": (TOOL_COLOURS["EIT"], 2, "2 4"),
    "OIT": (TOOL_COLOURS["OIT"], 2, "12 4 2 4"),
}


class LineSeries(Protocol):
    """What a line needs from a series of yearly scores (ita.trend.data.Series is one)."""

    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def values(self) -> Sequence[Decimal | None]: ...


@dataclass(frozen=True)
class Point:
    x: Decimal
    y: Decimal
    title: str


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    colour: str
    width: int
    dash: str
    path: str
    points: tuple[Point, ...]
    label_x: Decimal
    label_y: Decimal


@dataclass(frozen=True)
class YearMark:
    x: Decimal
    text: str


@dataclass(frozen=True)
class TrendChart:
    chart_id: str
    title: str
    desc: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    ticks: tuple[Tick, ...]
    years: tuple[YearMark, ...]
    lines: tuple[Line, ...]


def axis_floor(values: Sequence[Decimal | None]) -> int:
    """The bottom of the y axis: a multiple of 10 at least one point below the lowest value (0 without data)."""
    known = [v for v in values if v is not None]
    if not known:
        return 0
    return max(0, int((min(known) - 1) // 10) * 10)


def axis_step(floor: int) -> int:
    span = 100 - floor
    return 5 if span <= 30 else 10 if span <= 60 else 20


def spread_labels(wanted: Sequence[Decimal], gap: int, top: int, bottom: int) -> list[Decimal]:
    """Move label y positions apart by at least `gap`, keeping their order and staying inside [top, bottom]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed: dict[int, Decimal] = {}
    previous = Decimal(top - gap)
    for i in order:
        placed[i] = max(Decimal(wanted[i]), previous + gap)
        previous = placed[i]
    overflow = previous - bottom
    if overflow > 0:
        for i in order:
            placed[i] = max(Decimal(top), placed[i] - overflow)
    return [placed[i] for i in range(len(wanted))]


def _line(series: LineSeries, xs: list[Decimal], years: Sequence[int], floor: int) -> tuple[Line, Decimal] | None:
    colour, width, dash = STYLES.get(series.key, (OTHER_COLOUR, 2, ""))
    coords = line_coords(xs, series.values, top=PLOT_TOP, bottom=PLOT_BOTTOM, floor=floor)
    known = [(coord, year, value) for coord, year, value in zip(coords, years, series.values, strict=True) if coord]
    if not known:
        return None
    points = tuple(
        Point(coord[0], coord[1], f"{series.label} {format_number(year)}: {format_score(value)}")
        for coord, year, value in known
    )
    last = known[-1][0]
    line = Line(series.key, series.label, colour, width, dash, path_of(coords), points, last[0] + 12, last[1])
    return line, last[1]


def _describe(series: Sequence[LineSeries], years: Sequence[int]) -> str:
    parts = []
    for one in series:
        values = ", ".join(
            f"{format_number(year)} {format_score(value)}" for year, value in zip(years, one.values, strict=True)
        )
        parts.append(f"{one.label}: {values}")
    return "; ".join(parts)


def build_trend_chart(
    series: Sequence[LineSeries], years: Sequence[int], *, title: str, chart_id: str = "trend-chart"
) -> TrendChart:
    """Lines of scores (0–100, axis starting near the lowest value) across fiscal years."""
    floor = axis_floor([v for s in series for v in s.values])
    xs = x_positions(len(years), PLOT_LEFT, PLOT_RIGHT, X_PAD)
    drawn = [found for one in series if (found := _line(one, xs, years, floor)) is not None]
    label_ys = spread_labels([end for _line_, end in drawn], LABEL_GAP, PLOT_TOP, PLOT_BOTTOM)
    lines = tuple(replace(line, label_y=label_y) for (line, _end), label_y in zip(drawn, label_ys, strict=True))
    step = axis_step(floor)
    return TrendChart(
        chart_id=chart_id,
        title=title,
        desc=_describe(series, years),
        width=WIDTH,
        height=HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_BOTTOM,
        ticks=axis_ticks(step, top=PLOT_TOP, bottom=PLOT_BOTTOM, floor=floor),
        years=tuple(YearMark(x, format_number(year)) for x, year in zip(xs, years, strict=True)),
        lines=lines,
    )


# ---------------------------------------------------------------------------------------------
# Sparklines: a tiny line per table row (decoration beside the row's numbers, hidden from screen readers)

SPARK_WIDTH = 120
SPARK_HEIGHT = 32
SPARK_PAD = 4


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    path: str
    dots: tuple[tuple[Decimal, Decimal], ...]


def build_sparkline(values: Sequence[Decimal | None], floor: int) -> Sparkline | None:
    """A tiny line over the given values on the floor–100 scale; None when fewer than two are known."""
    if sum(value is not None for value in values) < 2:
        return None
    xs = x_positions(len(values), 0, SPARK_WIDTH, SPARK_PAD)
    coords = line_coords(xs, values, top=SPARK_PAD, bottom=SPARK_HEIGHT - SPARK_PAD, floor=floor)
    dots = tuple(coord for coord in coords if coord is not None)
    return Sparkline(SPARK_WIDTH, SPARK_HEIGHT, path_of(coords), dots)
