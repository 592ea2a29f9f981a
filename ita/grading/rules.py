"""The ITA grading rules as pure functions over frozen dataclasses (no Django here).

`grade(spec, scores)` fills in what can be derived (indicators from items, tools from
indicators), computes the weighted overall score, picks the level of the year's scheme and
explains every step in short Thai lines. Everything inside runs at full precision; values are
rounded half-up to 2 places for display and before any comparison with a threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from ita.thai import fold_sara_e, format_score, round_score, to_thai_digits

TOOLS = ("IIT", "EIT", "OIT")
EIT_PARTS = ("EIT1", "EIT2")
TOOL_CODES = ("IIT", "EIT", "EIT1", "EIT2", "OIT")
TOOL_LABELS = {"IIT": "IIT", "EIT": "EIT", "EIT1": "EIT ส่วนที่ ๑", "EIT2": "EIT ส่วนที่ ๒", "OIT": "OIT"}
# Published totals come from unrounded indicators, so a recomputation may be off by one hundredth.
TOLERANCE = Decimal("0.01")
HUNDRED = Decimal("100")


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Level:
    """A grading level: reached when the rounded overall ≥ min_overall and every tool ≥ min_tool (if set)."""

    label: str
    min_overall: Decimal
    min_tool: Decimal | None = None


ONE = Decimal(1)


@dataclass(frozen=True)
class ItemInfo:
    """An item's place in the roll-up: its indicator, its sub-indicator and its relative weight (0: left out)."""

    code: str
    indicator: int
    sub_indicator: str | None = None
    weight: Decimal = ONE


def _strictness(level: Level) -> tuple:
    # Levels sharing a min_overall (ผ่านดี / ผ่าน at 85) must be tried strictest first.
    return (-level.min_overall, level.min_tool is None, -(level.min_tool or 0))


@dataclass(frozen=True)
class FrameworkSpec:
    """What grading needs to know about one year's framework. Levels are kept highest first."""

    fiscal_year: int
    weights: Mapping[str, Decimal]
    levels: tuple[Level, ...]
    indicator_tools: Mapping[int, str]
    indicator_names: Mapping[int, str] = field(default_factory=dict)
    items: Mapping[str, ItemInfo] = field(default_factory=dict)
    # Sub-indicator code → relative weight in its indicator's roll-up; a code not listed weighs 1.
    sub_indicator_weights: Mapping[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [tool for tool in TOOLS if tool not in self.weights]
        if missing:
            raise ValueError(f"กรอบการประเมินปี {to_thai_digits(str(self.fiscal_year))} ไม่มีน้ำหนักของ {', '.join(missing)}")
        object.__setattr__(self, "weights", _frozen(self.weights))
        object.__setattr__(self, "levels", tuple(sorted(self.levels, key=_strictness)))
        object.__setattr__(self, "indicator_tools", _frozen(self.indicator_tools))
        object.__setattr__(self, "indicator_names", _frozen(self.indicator_names))
        object.__setattr__(self, "items", _frozen(self.items))
        object.__setattr__(self, "sub_indicator_weights", _frozen(self.sub_indicator_weights))

    def indicators_of(self, tool: str) -> tuple[int, ...]:
        return tuple(sorted(number for number, owner in self.indicator_tools.items() if owner == tool))

    def items_of(self, indicator: int) -> tuple[ItemInfo, ...]:
        return tuple(info for info in self.items.values() if info.indicator == indicator)

    def sub_indicator_weight(self, code: str | None) -> Decimal:
        return self.sub_indicator_weights.get(code, ONE) if code else ONE

    def counted_items(self, indicator: int) -> tuple[ItemInfo, ...]:
        """The items the indicator's roll-up uses: weight above 0, in a sub-indicator (if any) weighing above 0."""
        return tuple(
            info
            for info in self.items_of(indicator)
            if info.weight > 0 and self.sub_indicator_weight(self.rollup_group(indicator, info)) > 0
        )

    def rollup_group(self, indicator: int, info: ItemInfo) -> str | None:
        return info.sub_indicator if self.indicator_tools.get(indicator) == "OIT" else None

    def level_labels(self) -> tuple[str, ...]:
        """The scheme's labels, highest first."""
        return tuple(level.label for level in self.levels)

    def level_rank(self, label: str | None) -> int:
        """0 for the highest level; len(levels) for no level, so a smaller rank is always better."""
        labels = [level.label for level in self.levels]
        return labels.index(label) if label in labels else len(labels)


def match_level(text: str, labels: Iterable[str]) -> str | None:
    """The scheme's own spelling of a level given with other spacing or case, or a doubled sara e; None if absent."""
    key = level_key(text)
    return next((label for label in labels if level_key(label) == key), None)


def level_key(text: str) -> str:
    """A level label as compared: no spaces, case folded, "เเ" read as "แ"."""
    return fold_sara_e("".join(text.split())).casefold()


def unknown_level_message(text: str, fiscal_year: int, labels: Iterable[str]) -> str:
    """The error for a level the year's scheme does not have (a press item's "AA" for 2567), naming its labels."""
    year = to_thai_digits(str(fiscal_year))
    labels = list(labels)
    if not labels:
        return f"ระดับ '{text}' ใช้ไม่ได้: ปี {year} ไม่มีเกณฑ์ระดับผลการประเมินในระบบ"
    return f"ระดับ '{text}' ไม่มีในเกณฑ์ปี {year} (ระดับที่มี: {', '.join(labels)})"


@dataclass(frozen=True)
class Scores:
    """The known values of one assessment: tools (IIT, EIT, EIT1, EIT2, OIT), indicators 1–10, items."""

    tools: Mapping[str, Decimal] = field(default_factory=dict)
    indicators: Mapping[int, Decimal] = field(default_factory=dict)
    items: Mapping[str, Decimal] = field(default_factory=dict)
    official_overall: Decimal | None = None
    official_level: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.tools) - set(TOOL_CODES))
        if unknown:
            raise ValueError(f"ไม่รู้จักเครื่องมือ {', '.join(unknown)}")
        object.__setattr__(self, "tools", _frozen(self.tools))
        object.__setattr__(self, "indicators", _frozen(self.indicators))
        object.__setattr__(self, "items", _frozen(self.items))


@dataclass(frozen=True)
class GradeResult:
    """The outcome of grading; every Decimal is rounded half-up to 2 places."""

    overall: Decimal | None
    level: str | None
    provisional: bool
    provisional_reason: str
    tools: Mapping[str, Decimal]
    indicators: Mapping[int, Decimal]
    items: Mapping[str, Decimal]
    derived: frozenset[str]
    warnings: tuple[str, ...]
    explanation: tuple[str, ...]


@dataclass
class _Notes:
    """What grading says along the way (mutable while one grade() call runs)."""

    warnings: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Check:
    """One tool value tested against a level's min_tool; `substituted` when combined EIT stands in for a part."""

    label: str
    value: Decimal
    substituted: bool = False


def _fmt(value: Decimal) -> str:
    return format_score(round_score(value))


def _fmt_threshold(value: Decimal) -> str:
    # Thresholds print as the schemes print them: "๘๕", not "๘๕.๐๐".
    return to_thai_digits(str(int(value))) if value == value.to_integral_value() else _fmt(value)


def _mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    return sum(values, Decimal(0)) / len(values)


def _weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Mean of (value, weight) pairs; the weights are relative and their sum is above 0."""
    pairs = list(pairs)
    return sum((value * weight for value, weight in pairs), Decimal(0)) / sum((w for _v, w in pairs), Decimal(0))


def _disagree(given: Decimal, computed: Decimal) -> bool:
    return abs(round_score(given) - round_score(computed)) > TOLERANCE


def _numbers_text(numbers: tuple[int, ...]) -> str:
    if len(numbers) > 2 and list(numbers) == list(range(numbers[0], numbers[-1] + 1)):
        return to_thai_digits(f"{numbers[0]}–{numbers[-1]}")
    return to_thai_digits(", ".join(str(n) for n in numbers))


def rollup_indicator(spec: FrameworkSpec, number: int, items: Mapping[str, Decimal]) -> Decimal | None:
    """The indicator's score from its items, or None unless every counted item of it is known.

    IIT/EIT: the mean of the items. OIT: the mean of the sub-indicators, each the mean of its items
    (the plain mean does not reproduce published 2564 scores); plain mean when no item has a
    sub-indicator. OIT items without a sub-indicator next to ones with it form one group. Every mean
    is weighted by the items' and sub-indicators' weights (1 unless an administrator changed them);
    a part weighing 0 is left out and need not be known.
    """
    infos = spec.counted_items(number)
    if not infos or any(info.code not in items for info in infos):
        return None
    groups: dict[str, list[tuple[Decimal, Decimal]]] = {}
    for info in infos:
        groups.setdefault(spec.rollup_group(number, info) or "", []).append((items[info.code], info.weight))
    return _weighted_mean(
        (_weighted_mean(pairs), spec.sub_indicator_weight(code or None)) for code, pairs in groups.items()
    )


def _resolve_indicators(spec: FrameworkSpec, scores: Scores, notes: _Notes) -> dict[int, Decimal]:
    resolved = dict(scores.indicators)
    for number in sorted(resolved):
        if number not in spec.indicator_tools:
            notes.warnings.append(f"ตัวชี้วัดที่ {to_thai_digits(str(number))} ไม่อยู่ในกรอบการประเมินปีนี้")
    for number in sorted(spec.indicator_tools):
        rolled = rollup_indicator(spec, number, scores.items)
        if rolled is None:
            continue
        thai_number = to_thai_digits(str(number))
        given = resolved.get(number)
        if given is None:
            resolved[number] = rolled
            notes.derived.add(f"indicator:{number}")
            count = to_thai_digits(str(len(spec.counted_items(number))))
            notes.explanation.append(f"ตัวชี้วัดที่ {thai_number} ได้ {_fmt(rolled)} คำนวณจากคะแนนรายข้อ {count} ข้อ")
        elif _disagree(given, rolled):
            notes.warnings.append(
                f"ตัวชี้วัดที่ {thai_number}: คะแนนที่ให้มา {_fmt(given)} ต่างจากค่าที่คำนวณจากคะแนนรายข้อ "
                f"{_fmt(rolled)} เกิน ๐.๐๑ (ใช้คะแนนที่ให้มา)"
            )
    return resolved


def _resolve_tools(spec: FrameworkSpec, scores: Scores, indicators: Mapping[int, Decimal], notes: _Notes) -> dict:
    resolved = dict(scores.tools)
    for tool in TOOLS:
        numbers = spec.indicators_of(tool)
        if not numbers or any(number not in indicators for number in numbers):
            continue
        computed = _mean(indicators[number] for number in numbers)
        given = resolved.get(tool)
        if given is None:
            resolved[tool] = computed
            notes.derived.add(f"tool:{tool}")
            notes.explanation.append(f"{tool} {_fmt(computed)} = ค่าเฉลี่ยตัวชี้วัดที่ {_numbers_text(numbers)}")
        elif _disagree(given, computed):
            notes.warnings.append(
                f"{tool}: คะแนนที่ให้มา {_fmt(given)} ต่างจากค่าเฉลี่ยตัวชี้วัด {_fmt(computed)} เกิน ๐.๐๑ (ใช้คะแนนที่ให้มา)"
            )
    return resolved


def _overall(spec: FrameworkSpec, tools: Mapping[str, Decimal], notes: _Notes) -> Decimal | None:
    missing = [tool for tool in TOOLS if tool not in tools]
    if missing:
        notes.explanation.append(f"ยังคำนวณคะแนนรวมไม่ได้ เพราะยังไม่มีคะแนน {', '.join(missing)}")
        return None
    overall = sum((spec.weights[tool] * tools[tool] for tool in TOOLS), Decimal(0))
    notes.derived.add("overall")
    terms = " + ".join(f"{_fmt(spec.weights[tool])} × {tool} {_fmt(tools[tool])}" for tool in TOOLS)
    notes.explanation.append(f"คะแนนรวม {_fmt(overall)} = {terms}")
    return overall


def _tool_checks(tools: Mapping[str, Decimal]) -> list[_Check]:
    """The tools the min_tool condition looks at: IIT, both EIT parts (combined EIT for a missing part), OIT."""
    checks = [_Check("IIT", round_score(tools["IIT"]))]
    parts = [part for part in EIT_PARTS if part in tools]
    checks += [_Check(TOOL_LABELS[part], round_score(tools[part])) for part in parts]
    if len(parts) < len(EIT_PARTS):
        checks.append(_Check("EIT (รวม)", round_score(tools["EIT"]), substituted=True))
    checks.append(_Check("OIT", round_score(tools["OIT"])))
    return checks


def _provisional_reason(tools: Mapping[str, Decimal], level: Level) -> str:
    missing = [part for part in EIT_PARTS if part not in tools]
    what = "EIT ส่วนที่ ๑ และ ๒ แยกกัน" if len(missing) == 2 else TOOL_LABELS[missing[0]]
    return (
        f"ยังไม่มีคะแนน {what} จึงใช้คะแนน EIT รวม {_fmt(tools['EIT'])} แทนในเงื่อนไขรายเครื่องมือ "
        f"หากส่วนใดได้ต่ำกว่า {_fmt_threshold(level.min_tool)} ระดับ {level.label} จะลดลง"
    )


def _upper_bound(levels: tuple[Level, ...], level: Level) -> Decimal:
    higher = [other.min_overall for other in levels if other.min_overall > level.min_overall]
    return min(higher) - TOLERANCE if higher else HUNDRED


def _level_line(levels: tuple[Level, ...], level: Level, shown: Decimal, checks: list[_Check], blocked) -> str:
    if blocked is not None:
        above, failing = blocked
        parts = " และ ".join(f"{check.label} ได้ {_fmt(check.value)}" for check in failing)
        return f"{parts} ต่ำกว่า {_fmt_threshold(above.min_tool)} จึงได้ระดับ {level.label}"
    if level.min_tool is not None:
        listed = ", ".join(f"{check.label} {_fmt(check.value)}" for check in checks)
        return (
            f"คะแนนรวม {_fmt(shown)} ตั้งแต่ {_fmt(level.min_overall)} ขึ้นไป และทุกเครื่องมือ ({listed}) "
            f"ได้ {_fmt_threshold(level.min_tool)} ขึ้นไป จึงได้ระดับ {level.label}"
        )
    upper = _upper_bound(levels, level)
    if shown > upper:
        return f"คะแนนรวม {_fmt(shown)} ตั้งแต่ {_fmt(level.min_overall)} ขึ้นไป จึงได้ระดับ {level.label}"
    return f"คะแนนรวม {_fmt(shown)} อยู่ในช่วง {_fmt(level.min_overall)}–{_fmt(upper)} จึงได้ระดับ {level.label}"


def _decide_level(
    spec: FrameworkSpec, tools: Mapping[str, Decimal], overall: Decimal | None, notes: _Notes
) -> tuple[str | None, bool, str]:
    """(level, provisional, reason): the first level, strictest first, whose conditions hold."""
    if overall is None:
        return None, False, ""
    if not spec.levels:
        year = to_thai_digits(str(spec.fiscal_year))
        notes.explanation.append(f"ปีงบประมาณ {year} ไม่มีเกณฑ์ระดับผลการประเมินในระบบ จึงไม่จัดระดับ")
        return None, False, ""
    shown = round_score(overall)
    checks = _tool_checks(tools)
    blocked = None
    for level in spec.levels:
        if shown < level.min_overall:
            continue
        failing = [c for c in checks if level.min_tool is not None and c.value < level.min_tool]
        if failing:
            blocked = (level, failing)
            continue
        notes.explanation.append(_level_line(spec.levels, level, shown, checks, blocked))
        # Combined EIT ≥ min_tool does not prove both parts are: only a level with a tool
        # condition can be undone by a part. A level reached because a check failed is certain.
        if level.min_tool is not None and any(check.substituted for check in checks):
            return level.label, True, _provisional_reason(tools, level)
        return level.label, False, ""
    notes.explanation.append(f"คะแนนรวม {_fmt(shown)} ไม่เข้าเกณฑ์ระดับใดของปีนี้")
    return None, False, ""


def _squash(text: str) -> str:
    return "".join(text.split())


def _reachable_levels(spec: FrameworkSpec, tools: Mapping[str, Decimal], overall: Decimal) -> list[Level]:
    """Every level the unknown EIT parts could still lead to, from the best case down to the certain floor."""
    shown = round_score(overall)
    known = [check for check in _tool_checks(tools) if not check.substituted]
    reachable = []
    for level in spec.levels:
        if shown < level.min_overall:
            continue
        if level.min_tool is None:
            return [*reachable, level]
        if all(check.value >= level.min_tool for check in known):
            reachable.append(level)
    return reachable


def _settle_with_official(spec, scores: Scores, tools, overall, decided: tuple, notes) -> tuple[str | None, bool, str]:
    """A provisional level that the official level narrows down: the official level settles it.

    With unknown EIT parts the computed level is a best case; when the official level is one of the
    levels the unknown parts allow, it tells which part case happened, so it is adopted (and said).
    """
    level, provisional, _reason = decided
    if not provisional or not scores.official_level:
        return decided
    for candidate in _reachable_levels(spec, tools, overall):
        if _squash(candidate.label) == _squash(scores.official_level):
            if candidate.label != level:
                notes.explanation.append(
                    f"ระดับทางการ {candidate.label} แสดงว่า EIT ส่วนที่ ๑ หรือ ๒ ได้ต่ำกว่า "
                    f"{_fmt_threshold(spec_min_tool(spec, level))} จึงใช้ระดับ {candidate.label}"
                )
            else:
                notes.explanation.append(f"ระดับทางการ {candidate.label} ยืนยันระดับที่คำนวณได้")
            return candidate.label, False, ""
    return decided


def spec_min_tool(spec: FrameworkSpec, label: str) -> Decimal:
    return next(level.min_tool for level in spec.levels if level.label == label)


def _compare_official(scores: Scores, overall: Decimal | None, level: str | None, provisional: bool, notes) -> None:
    official = scores.official_overall
    if official is not None and overall is not None and abs(official - round_score(overall)) > TOLERANCE:
        notes.warnings.append(f"คะแนนรวมทางการ {_fmt(official)} ต่างจากคะแนนรวมที่คำนวณได้ {_fmt(overall)} เกิน ๐.๐๑")
    if scores.official_level and level is not None and _squash(scores.official_level) != _squash(level):
        status = " (ผลเบื้องต้น)" if provisional else ""
        notes.warnings.append(f"ระดับทางการ {scores.official_level.strip()} ต่างจากระดับที่คำนวณได้ {level}{status}")


def _rounded(values: Mapping) -> Mapping:
    return _frozen({key: round_score(value) for key, value in values.items()})


def grade(spec: FrameworkSpec, scores: Scores) -> GradeResult:
    """Grade one assessment's scores against one year's framework."""
    notes = _Notes()
    for code in sorted(set(scores.items) - set(spec.items)):
        notes.warnings.append(f"ข้อ {code} ไม่อยู่ในกรอบการประเมินปี {to_thai_digits(str(spec.fiscal_year))}")
    indicators = _resolve_indicators(spec, scores, notes)
    tools = _resolve_tools(spec, scores, indicators, notes)
    overall = _overall(spec, tools, notes)
    level, provisional, reason = _decide_level(spec, tools, overall, notes)
    if overall is not None:
        level, provisional, reason = _settle_with_official(
            spec, scores, tools, overall, (level, provisional, reason), notes
        )
    _compare_official(scores, overall, level, provisional, notes)
    ordered_tools = {code: tools[code] for code in TOOL_CODES if code in tools}
    return GradeResult(
        overall=round_score(overall) if overall is not None else None,
        level=level,
        provisional=provisional,
        provisional_reason=reason,
        tools=_rounded(ordered_tools),
        indicators=_rounded(dict(sorted(indicators.items()))),
        items=_rounded(scores.items),
        derived=frozenset(notes.derived),
        warnings=tuple(notes.warnings),
        explanation=tuple(notes.explanation),
    )
