"""A self-estimated OIT from the evidence checklist's link checks, graded by ita.grading.rules (pure: no Django).

Each item, from the verdicts of its URLs' last checks: no URL → fail; every URL green → pass; every
URL red → fail; anything else (amber, not yet checked, green next to red) → unknown. A pass counts
100 and a fail 0, as the official OIT items usually score. The year's OIT indicators, OIT and — with
the last known IIT and EIT — the overall and the level are graded twice through grade(): once with
every unknown item at 0 (low) and once at 100 (high). The estimate is that range; a single value
when no counted item is unknown. Once official item scores are known, each item's estimate is set
against its official value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ita.grading.rules import HUNDRED, TOOL_LABELS, FrameworkSpec, GradeResult, Scores, grade
from ita.linkcheck.verdict import AMBER, GREEN, RED
from ita.thai import format_number, format_score

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
OUTCOME_LABELS = {PASS: "ผ่าน", FAIL: "ไม่ผ่าน", UNKNOWN: "ยังไม่แน่ชัด"}
ZERO = Decimal(0)
# The tools an estimate may borrow from an assessment; its OIT is what is being estimated.
BORROWED_TOOLS = ("IIT", "EIT", "EIT1", "EIT2")

AGREE, DISAGREE, PARTIAL, UNDECIDED, NO_OFFICIAL = "agree", "disagree", "partial", "undecided", "no_official"
AGREEMENT_LABELS = {
    AGREE: "ตรงกัน",
    DISAGREE: "ไม่ตรงกัน",
    PARTIAL: "ทางการให้คะแนนบางส่วน จึงเทียบผ่าน/ไม่ผ่านไม่ได้",
    UNDECIDED: "ประมาณการยังไม่แน่ชัด จึงยังเทียบไม่ได้",
    NO_OFFICIAL: "ยังไม่มีคะแนนทางการ",
}


@dataclass(frozen=True)
class ItemEstimate:
    """One item's estimated outcome (pass, fail or unknown) and why; `counted` False when its weight is 0."""

    code: str
    outcome: str
    reason: str
    counted: bool = True

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def estimate_item(code: str, verdicts: Sequence[str | None]) -> ItemEstimate:
    """The item's outcome from its URLs' verdicts ("green", "amber", "red"; None: not checked yet)."""
    if not verdicts:
        return ItemEstimate(code, FAIL, "ยังไม่มีลิงก์หลักฐาน")
    seen = set(verdicts)
    if seen == {GREEN}:
        return ItemEstimate(code, PASS, "ลิงก์ทุกลิงก์ตรวจแล้วใช้ได้")
    if seen == {RED}:
        return ItemEstimate(code, FAIL, "ลิงก์ทุกลิงก์ใช้ไม่ได้")
    # Anything not a known verdict is treated as not checked: the estimate never guesses a pass.
    if seen - {GREEN, AMBER, RED}:
        return ItemEstimate(code, UNKNOWN, "มีลิงก์ที่ยังไม่ได้ตรวจ")
    if AMBER in seen:
        return ItemEstimate(code, UNKNOWN, "มีลิงก์ที่ควรตรวจดูด้วยตนเอง")
    return ItemEstimate(code, UNKNOWN, "บางลิงก์ใช้ได้ บางลิงก์ใช้ไม่ได้")


@dataclass(frozen=True)
class Range:
    """An estimated score: unknown items as fail (low) and as pass (high); rounded half-up to 2 places."""

    low: Decimal
    high: Decimal

    @property
    def single(self) -> bool:
        return self.low == self.high

    @property
    def text(self) -> str:
        """ "๘๐.๐๐" when single, else "๘๐.๐๐–๙๖.๐๐"."""
        if self.single:
            return format_score(self.low)
        return f"{format_score(self.low)}–{format_score(self.high)}"


@dataclass(frozen=True)
class LevelRange:
    """The level with unknown items as fail (low) and as pass (high); None where the scheme gives no level."""

    low: str | None
    high: str | None

    @property
    def single(self) -> bool:
        return self.low == self.high

    @property
    def text(self) -> str:
        low, high = self.low or "–", self.high or "–"
        return low if self.single else f"{low} ถึง {high}"


@dataclass(frozen=True)
class ItemComparison:
    """One item's estimate set against its official score (None: not known yet)."""

    estimate: ItemEstimate
    official: Decimal | None
    agreement: str

    @property
    def official_text(self) -> str:
        return format_score(self.official)

    @property
    def official_label(self) -> str:
        """The official score read as an outcome: 100 pass, 0 fail, anything between partial."""
        if self.official is None:
            return "–"
        return {HUNDRED: "ผ่าน", ZERO: "ไม่ผ่าน"}.get(self.official, "ได้บางส่วน")

    @property
    def label(self) -> str:
        return AGREEMENT_LABELS[self.agreement]


def compare_item(estimate: ItemEstimate, official: Decimal | None) -> ItemComparison:
    """Agree, disagree, partial (official strictly between 0 and 100), undecided (estimate unknown) or no official."""
    if official is None:
        agreement = NO_OFFICIAL
    elif official not in (ZERO, HUNDRED):
        agreement = PARTIAL
    elif estimate.outcome == UNKNOWN:
        agreement = UNDECIDED
    else:
        agreement = AGREE if (estimate.outcome == PASS) == (official == HUNDRED) else DISAGREE
    return ItemComparison(estimate, official, agreement)


@dataclass(frozen=True)
class Estimate:
    """One year's self-estimated OIT: items, its indicators, OIT, and the overall and level given IIT and EIT."""

    fiscal_year: int
    items: tuple[ItemEstimate, ...]
    indicators: Mapping[int, Range]
    indicator_names: Mapping[int, str]
    oit: Range | None
    overall: Range | None
    level: LevelRange | None
    provisional: bool
    provisional_reason: str
    tools: Mapping[str, Decimal]
    tools_year: int | None
    note: str
    comparisons: tuple[ItemComparison, ...] = field(default_factory=tuple)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.counted and item.outcome == outcome)

    @property
    def counts(self) -> dict[str, str]:
        """How many counted items pass, fail and are unknown, plus those not counted, in Thai digits."""
        left_out = sum(1 for item in self.items if not item.counted)
        return {
            **{outcome: format_number(self.count(outcome)) for outcome in (PASS, FAIL, UNKNOWN)},
            "not_counted": format_number(left_out) if left_out else "",
        }

    @property
    def has_official(self) -> bool:
        return any(row.agreement != NO_OFFICIAL for row in self.comparisons)

    @property
    def agreement_counts(self) -> dict[str, str]:
        return {
            key: format_number(sum(1 for row in self.comparisons if row.agreement == key)) for key in AGREEMENT_LABELS
        }

    @property
    def indicator_rows(self) -> list[tuple[str, Range]]:
        """(Thai label, range) of each OIT indicator, in number order."""
        return [
            (f"ตัวชี้วัดที่ {format_number(number)} {self.indicator_names.get(number, '')}".strip(), value)
            for number, value in sorted(self.indicators.items())
        ]


def _oit_codes(spec: FrameworkSpec) -> list[str]:
    """The codes of the OIT items the year's roll-up counts (weight above 0), in indicator order."""
    return [info.code for number in spec.indicators_of("OIT") for info in spec.counted_items(number)]


def _complete(spec: FrameworkSpec, items: Sequence[ItemEstimate]) -> tuple[ItemEstimate, ...]:
    """The given items marked counted or not, and any counted item not given added as unknown."""
    counted = _oit_codes(spec)
    given = {item.code for item in items}
    missing = [ItemEstimate(code, UNKNOWN, "ไม่มีข้อนี้ในรายการหลักฐาน") for code in counted if code not in given]
    wanted = set(counted)
    return tuple(replace(item, counted=item.code in wanted) for item in items) + tuple(missing)


def _note(fiscal_year: int, tools: Mapping[str, Decimal], tools_year: int | None) -> str:
    if "IIT" not in tools or "EIT" not in tools:
        return "ยังไม่มีคะแนน IIT และ EIT ของปีนี้หรือปีก่อน จึงประมาณได้เฉพาะ OIT ยังประมาณคะแนนรวมและระดับไม่ได้"
    text = "ใช้คะแนน IIT และ EIT"
    if tools_year is not None:
        text += f" ของปี พ.ศ. {format_number(tools_year)}"
    values = ", ".join(f"{TOOL_LABELS[code]} {format_score(tools[code])}" for code in BORROWED_TOOLS if code in tools)
    text += f" ({values})"
    if tools_year is not None and tools_year != fiscal_year:
        text += " ซึ่งเป็นปีล่าสุดที่มีคะแนน คะแนนจริงของปีนี้อาจต่างไป"
    return text


def _grade_both(spec: FrameworkSpec, items: Sequence[ItemEstimate], tools: Mapping[str, Decimal]):
    """grade() with every unknown counted item at 0, then at 100."""
    counted = [item for item in items if item.counted]
    results = []
    for unknown in (ZERO, HUNDRED):
        points = {PASS: HUNDRED, FAIL: ZERO, UNKNOWN: unknown}
        scores = Scores(tools=tools, items={item.code: points[item.outcome] for item in counted})
        results.append(grade(spec, scores))
    return results


def _provisional(low: GradeResult, high: GradeResult) -> tuple[bool, str]:
    # Either end may rest on the combined EIT standing in for its parts; the best case says why first.
    for result in (high, low):
        if result.provisional:
            return True, result.provisional_reason
    return False, ""


def estimate_oit(
    spec: FrameworkSpec,
    items: Sequence[ItemEstimate],
    *,
    tools: Mapping[str, Decimal] | None = None,
    tools_year: int | None = None,
    official: Mapping[str, Decimal | None] | None = None,
) -> Estimate:
    """The estimate for one year's spec from its items' estimates, the last known IIT/EIT (and EIT1/EIT2) of
    `tools_year`, and the official item scores (code → value) when known."""
    borrowed = {code: value for code, value in (tools or {}).items() if code in BORROWED_TOOLS}
    items = _complete(spec, items)
    low, high = _grade_both(spec, items, borrowed)
    indicators = {
        number: Range(low.indicators[number], high.indicators[number])
        for number in spec.indicators_of("OIT")
        if number in low.indicators and number in high.indicators
    }
    both_graded = low.overall is not None and high.overall is not None
    provisional, reason = _provisional(low, high) if both_graded else (False, "")
    official = official or {}
    return Estimate(
        fiscal_year=spec.fiscal_year,
        items=items,
        indicators=indicators,
        indicator_names={number: spec.indicator_names.get(number, "") for number in indicators},
        oit=Range(low.tools["OIT"], high.tools["OIT"]) if "OIT" in low.tools and "OIT" in high.tools else None,
        overall=Range(low.overall, high.overall) if both_graded else None,
        level=LevelRange(low.level, high.level) if both_graded and spec.levels else None,
        provisional=provisional,
        provisional_reason=reason,
        tools=borrowed,
        tools_year=tools_year if borrowed else None,
        note=_note(spec.fiscal_year, borrowed, tools_year),
        comparisons=tuple(compare_item(item, official.get(item.code)) for item in items),
    )
