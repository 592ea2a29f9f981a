"""The small SVG chart toolkit shared by the assessment, trend and portal charts (pure: no Django).

Charts here are plain geometry: a builder turns scores into Decimal coordinates and texts, and a
template partial prints them into inline SVG. Every coordinate a template prints goes through
quantize(), so the SVG text is stable (two decimals, the same half-up rounding as scores).
Scores sit on a vertical axis that ends at 100 and starts at `floor` (0 unless a chart zooms in).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ita.thai import format_number, round_score

SCORE_TOP = 100

# Dark enough for white text contrast and distinguishable for common colour-vision deficiencies.
TOOL_COLOURS = {"IIT": "#1f5f99", "EIT": "#2e7d5b", "OIT": "#a65300"}
# The neutral grey for anything without a colour of its own (an unknown tool, a result without a level).
OTHER_COLOUR = "#5a6570"


@dataclass(frozen=True)
class Tick:
    """One labelled line of a score axis."""

    y: Decimal
    text: str


def quantize(value: Decimal | int) -> Decimal:
    """A coordinate as the SVG prints it: two decimals, half up (one rounding for scores and geometry)."""
    return round_score(value)


def scale_y(value: Decimal | int, *, top: int, bottom: int, floor: int = 0) -> Decimal:
    """The y of a score on a floor–100 axis drawn from `bottom` (floor) up to `top` (100).

    The score is clamped first, so bad data can never draw outside the plot.
    """
    clamped = min(max(Decimal(value), Decimal(floor)), Decimal(SCORE_TOP))
    return quantize(bottom - (clamped - floor) * (bottom - top) / (SCORE_TOP - floor))


def axis_ticks(step: int, *, top: int, bottom: int, floor: int = 0, digits: str = "thai") -> tuple[Tick, ...]:
    """A tick every `step` points from `floor` up to 100, labelled in `digits` ("thai" or "arabic")."""
    return tuple(
        Tick(scale_y(Decimal(value), top=top, bottom=bottom, floor=floor), format_number(value, digits=digits))
        for value in range(floor, SCORE_TOP + 1, step)
    )


def slot_width(count: int, left: int, right: int) -> Decimal:
    """The width of each of `count` equal slots between `left` and `right` (a whole plot for none)."""
    return Decimal(right - left) / max(count, 1)


def centred_in_slot(index: int, slot: Decimal, width: Decimal | int, left: int) -> tuple[Decimal, Decimal]:
    """The x of a `width`-wide bar centred in slot `index`, and the x of the bar's middle."""
    x = quantize(left + slot * index + (slot - width) / 2)
    return x, quantize(x + Decimal(width) / 2)


def x_positions(count: int, left: int, right: int, pad: int) -> list[Decimal]:
    """Evenly spaced x for `count` points `pad` inside [left, right]; a single point sits in the middle."""
    if count == 1:
        return [quantize(Decimal(left + right) / 2)]
    step = Decimal(right - left - 2 * pad) / max(count - 1, 1)
    return [quantize(left + pad + step * i) for i in range(count)]


def path_of(coords: Iterable[tuple[Decimal, Decimal] | None]) -> str:
    """An SVG path through the known points; a missing point (None) breaks the line instead of bridging it."""
    parts: list[str] = []
    pen_down = False
    for coord in coords:
        if coord is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{coord[0]} {coord[1]}")
        pen_down = True
    return " ".join(parts)


def line_coords(
    xs: Sequence[Decimal], values: Sequence[Decimal | None], *, top: int, bottom: int, floor: int = 0
) -> list[tuple[Decimal, Decimal] | None]:
    """The (x, y) of each score on a line at the given xs; None where the score is not known (a gap for path_of)."""
    return [
        None if value is None else (x, scale_y(value, top=top, bottom=bottom, floor=floor))
        for x, value in zip(xs, values, strict=True)
    ]
