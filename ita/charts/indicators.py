"""The ten-indicator bar chart, drawn server-side as inline SVG.

build_indicator_chart() computes the geometry (plain data, no Django); the template partial
templates/ita/_indicator_chart.html draws it, so every name passes through Django's autoescape.
The same partial can be embedded in the PDF: it needs no script and no external resource.
Axis, ticks, slots, tool colours and rounding come from the shared toolkit ita.charts.svg.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from django.template.loader import render_to_string
from pythainlp.tokenize import word_tokenize

from ita.charts.svg import OTHER_COLOUR, TOOL_COLOURS, Tick, axis_ticks, centred_in_slot, scale_y, slot_width
from ita.thai import format_score, to_thai_digits

# Canvas and plot area, in SVG user units (the SVG scales to its container through viewBox).
WIDTH = 920
HEIGHT = 400
PLOT_LEFT = 48
PLOT_RIGHT = 848  # the right margin holds the threshold label
PLOT_TOP = 28
PLOT_HEIGHT = 240
PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT
BAR_WIDTH = 44
LABEL_LINE_HEIGHT = 15
LABEL_MAX_CHARS = 10  # about what fits in one 80-unit slot at 12px (Thai glyphs average ~7.5 units)
LABEL_MAX_LINES = 3
MAX_WRAP_WORDS = 10  # up to 2**9 ways to break a label; longer ones are wrapped greedily
TICK_STEP = 20
DEFAULT_THRESHOLD = Decimal("85")

TOOL_LEGEND = (
    ("IIT", "IIT การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"),
    ("EIT", "EIT การรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก"),
    ("OIT", "OIT การเปิดเผยข้อมูลสาธารณะ"),
)


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator's score as the chart needs it; value None means not known yet."""

    number: int
    name: str
    tool: str
    value: Decimal | None
    derived: bool = False  # computed from items rather than given


@dataclass(frozen=True)
class Bar:
    number: int
    number_text: str
    name: str
    tool: str
    colour: str
    value: Decimal | None
    value_text: str
    derived: bool
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    center_x: Decimal
    value_y: Decimal
    label_lines: tuple[str, ...]


@dataclass(frozen=True)
class LegendEntry:
    tool: str
    colour: str
    label: str
    x: int


@dataclass(frozen=True)
class IndicatorChart:
    chart_id: str
    title: str
    desc: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    threshold_y: Decimal
    threshold_text: str
    label_top: int
    legend_y: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendEntry, ...]


def value_to_y(value: Decimal) -> Decimal:
    """The SVG y coordinate of a score on the 0–100 axis (clamped, so bad data cannot draw outside)."""
    return scale_y(value, top=PLOT_TOP, bottom=PLOT_BOTTOM)


def _visible_length(text: str) -> int:
    # Thai vowel and tone marks sit above or below their consonant and take no width.
    return sum(1 for ch in text if unicodedata.category(ch) not in {"Mn", "Me"})


def _join_lines(words: list[str], cuts: tuple[bool, ...]) -> list[str]:
    lines = [words[0]]
    for word, cut in zip(words[1:], cuts, strict=True):
        if cut:
            lines.append(word)
        else:
            lines[-1] += word
    return lines


def _greedy_lines(words: list[str], max_chars: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and _visible_length(lines[-1] + word) <= max_chars:
            lines[-1] += word
        else:
            lines.append(word)
    return lines


def wrap_label(text: str, *, max_chars: int = LABEL_MAX_CHARS, max_lines: int = LABEL_MAX_LINES) -> tuple[str, ...]:
    """Break a Thai label into short, even lines at word boundaries (Thai has no spaces to break at).

    Fewest lines first, then the most even ones: "การปฏิบัติ / หน้าที่" rather than "การ / ปฏิบัติหน้าที่".
    """
    words = word_tokenize(text.strip(), keep_whitespace=False)
    if not words:
        return ()
    lines = _greedy_lines(words, max_chars)
    if len(words) <= MAX_WRAP_WORDS:
        candidates = (_join_lines(words, cuts) for cuts in product((False, True), repeat=len(words) - 1))
        fitting = [c for c in candidates if len(c) == len(lines) and all(_fits(line, max_chars) for line in c)]
        if fitting:
            lines = min(fitting, key=lambda c: max(_visible_length(line) for line in c))
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], "".join(lines[max_lines - 1 :])[: max_chars - 1] + "…"]
    return tuple(lines)


def _fits(line: str, max_chars: int) -> bool:
    return _visible_length(line) <= max_chars


def _digits(text: str, digits: str) -> str:
    return to_thai_digits(text) if digits == "thai" else text


def _bar(index: int, slot: Decimal, item: IndicatorValue, digits: str) -> Bar:
    x, center_x = centred_in_slot(index, slot, BAR_WIDTH, PLOT_LEFT)
    if item.value is None:
        y, height, value_text = Decimal(PLOT_BOTTOM), Decimal(0), "–"
    else:
        y = value_to_y(item.value)
        height = Decimal(PLOT_BOTTOM) - y
        value_text = format_score(item.value, digits=digits)
    return Bar(
        number=item.number,
        number_text=_digits(str(item.number), digits),
        name=item.name,
        tool=item.tool,
        colour=TOOL_COLOURS.get(item.tool, OTHER_COLOUR),
        value=item.value,
        value_text=value_text,
        derived=item.derived,
        x=x,
        y=y,
        width=Decimal(BAR_WIDTH),
        height=height,
        center_x=center_x,
        value_y=y - 6,
        label_lines=wrap_label(item.name),
    )


def _threshold_text(threshold: Decimal, digits: str) -> str:
    if threshold == threshold.to_integral_value():
        return _digits(str(int(threshold)), digits)
    return format_score(threshold, digits=digits)


def _describe(values: Sequence[IndicatorValue], threshold: Decimal, digits: str) -> str:
    parts = [f"ตัวชี้วัดที่ {_digits(str(v.number), digits)} {v.name} {format_score(v.value, digits=digits)}" for v in values]
    below = [_digits(str(v.number), digits) for v in values if v.value is not None and v.value < threshold]
    summary = f"เส้นเกณฑ์ {format_score(threshold, digits=digits)} คะแนน"
    if below:
        summary += " ตัวชี้วัดที่ต่ำกว่าเกณฑ์: " + " ".join(below)
    return "; ".join(parts) + ". " + summary


def build_indicator_chart(
    values: Sequence[IndicatorValue],
    *,
    title: str,
    threshold: Decimal = DEFAULT_THRESHOLD,
    digits: str = "thai",
    chart_id: str = "indicator-chart",
) -> IndicatorChart:
    """Lay out one bar per indicator on a 0–100 axis with a line at the threshold."""
    ordered = sorted(values, key=lambda v: v.number)
    slot = slot_width(len(ordered), PLOT_LEFT, PLOT_RIGHT)
    bars = tuple(_bar(i, slot, item, digits) for i, item in enumerate(ordered))
    label_top = PLOT_BOTTOM + 18
    legend_y = label_top + LABEL_LINE_HEIGHT * (LABEL_MAX_LINES + 1) + 20
    legend = tuple(
        LegendEntry(tool=code, colour=TOOL_COLOURS[code], label=label, x=PLOT_LEFT + 270 * i)
        for i, (code, label) in enumerate(TOOL_LEGEND)
    )
    return IndicatorChart(
        chart_id=chart_id,
        title=title,
        desc=_describe(ordered, threshold, digits),
        width=WIDTH,
        height=HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_BOTTOM,
        threshold_y=value_to_y(threshold),
        threshold_text=f"เกณฑ์ {_threshold_text(threshold, digits)}",
        label_top=label_top,
        legend_y=legend_y,
        bars=bars,
        ticks=axis_ticks(TICK_STEP, top=PLOT_TOP, bottom=PLOT_BOTTOM, digits=digits),
        legend=legend,
    )


def render_indicator_chart(chart: IndicatorChart) -> str:
    """The chart as an SVG string (autoescaped through the template partial)."""
    return render_to_string("ita/_indicator_chart.html", {"chart": chart})
