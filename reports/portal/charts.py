"""Charts of the public portal, as plain geometry for inline SVG partials (no script, no library).

The year chart draws one bar per fiscal year; the table beside it carries the same numbers for
screen readers. Level and indicator bars on the national page are drawn by the template itself
as one small SVG per table row (width = percent or score), so they need no geometry here.
Axis, slots and rounding come from the shared toolkit ita.charts.svg.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ita.charts.svg import OTHER_COLOUR, Tick, axis_ticks, centred_in_slot, quantize, scale_y, slot_width
from ita.thai import format_number, format_score

WIDTH = 640
PLOT_LEFT = 40
PLOT_RIGHT = 620
PLOT_TOP = 24
PLOT_BOTTOM = 224
HEIGHT = PLOT_BOTTOM + 36  # room for the year labels
MAX_BAR = 72
TICK_STEP = 25
THRESHOLD = Decimal(85)
LEVEL_COLOURS = ("#1e6b3a", "#2e7d5b", "#5a8f29", "#a67c00", "#b35900", "#b3261e", "#8c1d18")


def score_y(value: Decimal) -> Decimal:
    """The y coordinate of a score on the 0–100 axis, clamped so that bad data stays inside the plot."""
    return scale_y(value, top=PLOT_TOP, bottom=PLOT_BOTTOM)


def level_colour(position: Decimal | None) -> str:
    """A colour from green (position 0, the best level) to red (1, the worst); unknown levels are grey."""
    if position is None:
        return OTHER_COLOUR
    index = int((min(max(position, Decimal(0)), Decimal(1)) * (len(LEVEL_COLOURS) - 1)).to_integral_value())
    return LEVEL_COLOURS[index]


@dataclass(frozen=True)
class YearValue:
    fiscal_year: int
    overall: Decimal | None
    level: str
    level_position: Decimal | None


@dataclass(frozen=True)
class YearBar:
    year_text: str
    value_text: str
    level: str
    colour: str
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    center_x: Decimal
    value_y: Decimal
    has_value: bool


@dataclass(frozen=True)
class YearChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    label_y: int
    threshold_y: Decimal
    threshold_text: str
    bars: tuple[YearBar, ...]
    ticks: tuple[Tick, ...]
    desc: str


def _bar(index: int, slot: Decimal, item: YearValue) -> YearBar:
    width = min(Decimal(MAX_BAR), slot * Decimal("0.6"))
    x, center_x = centred_in_slot(index, slot, width, PLOT_LEFT)
    has_value = item.overall is not None
    y = score_y(item.overall) if has_value else Decimal(PLOT_BOTTOM)
    return YearBar(
        year_text=format_number(item.fiscal_year),
        value_text=format_score(item.overall),
        level=item.level,
        colour=level_colour(item.level_position),
        x=x,
        y=y,
        width=quantize(width),
        height=Decimal(PLOT_BOTTOM) - y,
        center_x=center_x,
        value_y=y - 6,
        has_value=has_value,
    )


def build_year_chart(values: Sequence[YearValue]) -> YearChart:
    """One bar per year, oldest on the left, on a 0–100 axis with the 85 line."""
    ordered = sorted(values, key=lambda value: value.fiscal_year)
    slot = slot_width(len(ordered), PLOT_LEFT, PLOT_RIGHT)
    described = [f"ปี {format_number(v.fiscal_year)} {format_score(v.overall)} {v.level}".strip() for v in ordered]
    return YearChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_bottom=PLOT_BOTTOM,
        label_y=PLOT_BOTTOM + 22,
        threshold_y=score_y(THRESHOLD),
        threshold_text=format_number(int(THRESHOLD)),
        bars=tuple(_bar(i, slot, value) for i, value in enumerate(ordered)),
        ticks=axis_ticks(TICK_STEP, top=PLOT_TOP, bottom=PLOT_BOTTOM),
        desc="; ".join(described),
    )
