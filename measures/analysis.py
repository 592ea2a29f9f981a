"""From an assessment's scores to the analysis part of a measure plan: ranking, strengths, weaknesses, items.

Pure: grading results and plain dataclasses in, an Analysis out. `measures.catalogue.analyse()`
is the entry point that reads the database (a fixed number of queries) and calls them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ita.grading.rules import GradeResult
from ita.thai import format_score, round_score, to_thai_digits

HUNDRED = Decimal(100)
# Before 2568 OIT items sit in sub-indicators 9.1–10.2; from 2568 they are a flat O1–O28 list.
FLAT_OIT_FROM = 2568


@dataclass(frozen=True)
class ItemInfo:
    """What the analysis needs to know about a framework item."""

    code: str
    tool: str
    indicator: int
    order: int = 0
    text: str = ""
    sub_indicator: str | None = None


@dataclass(frozen=True)
class Template:
    """An indicator's texts (see measures.models.IndicatorText); strength/weakness may use {score}, {threshold}."""

    measures: str
    strength: str
    weakness: str


@dataclass(frozen=True)
class IndicatorFinding:
    number: int
    name: str
    score: Decimal
    strength: bool
    paragraph: str


@dataclass(frozen=True)
class ItemToImprove:
    code: str
    tool: str
    indicator: int
    score: Decimal
    text: str
    recommendation: str


@dataclass(frozen=True)
class Group:
    """Items to improve gathered under one indicator or one theme (ประเด็น)."""

    key: str
    title: str
    indicators: tuple[int, ...]
    items: tuple[ItemToImprove, ...]


@dataclass(frozen=True)
class Analysis:
    fiscal_year: int
    threshold: Decimal
    overall: Decimal | None
    level: str | None
    names: Mapping[int, str]
    ranking: tuple[tuple[int, Decimal], ...]
    strengths: tuple[IndicatorFinding, ...]
    weaknesses: tuple[IndicatorFinding, ...]
    items: tuple[ItemToImprove, ...]
    summary: str
    groups: tuple[Group, ...] = field(default_factory=tuple)
    # Sentences about what the stored item scores show (and do not show), for the items section.
    item_notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def keep_level(self) -> bool:
        """No weak indicator and no item to improve: the plan's measures keep the level rather than fix."""
        return bool(self.ranking) and not self.weaknesses and not self.items


# ---------------------------------------------------------------------------------------------
# Themes (ประเด็น): one theme gathers the IIT, EIT and OIT items about the same practice.


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    indicators: tuple[int, ...]
    # Per layout ("2563" for the 2563–2567 frameworks, "2568" from 2568): OIT sub-indicator codes or item codes.
    oit: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


THEMES: tuple[Theme, ...] = (
    Theme("standards", "การปฏิบัติงานตามมาตรฐาน ขั้นตอน และคู่มือที่เปิดเผย", (1,), {"2563": ("9.2",), "2568": ("o8", "o9")}),
    Theme("service", "คุณภาพการให้บริการและบริการออนไลน์", (6, 8), {"2568": ("o10", "o11")}),
    Theme("communication", "การสื่อสารและการเปิดเผยข้อมูลต่อสาธารณะ", (7, 9), {"2563": ("9.1",)}),
    Theme("assets", "การใช้และการกำกับดูแลทรัพย์สินของราชการ", (4,)),
    Theme("budget", "ความโปร่งใสของงบประมาณและการจัดซื้อจัดจ้าง", (2,), {"2563": ("9.3",), "2568": ("o12", "o13")}),
    Theme("authority", "การใช้อำนาจและการบริหารงานบุคคลอย่างเป็นธรรม", (3,), {"2563": ("9.4",), "2568": ("o14", "o15")}),
    Theme("integrity", "กลไกป้องกันและแก้ไขปัญหาการทุจริต", (5, 10), {"2563": ("9.5", "10.1", "10.2")}),
)


def theme_for_indicators(indicators: Iterable[object]) -> Theme | None:
    """The theme of a measure: the one holding the first indicator it answers (None without indicators)."""
    for number in indicators:
        theme = next((theme for theme in THEMES if number in theme.indicators), None)
        if theme is not None:
            return theme
    return None


def _layout(fiscal_year: int) -> str:
    return "2568" if fiscal_year >= FLAT_OIT_FROM else "2563"


def theme_of(info: ItemInfo, fiscal_year: int) -> Theme:
    """The theme of an item: an explicit OIT code or sub-indicator first, then the item's indicator."""
    layout = _layout(fiscal_year)
    for theme in THEMES:
        listed = theme.oit.get(layout, ())
        if info.code in listed or (info.sub_indicator is not None and info.sub_indicator in listed):
            return theme
    return next(theme for theme in THEMES if info.indicator in theme.indicators)


# ---------------------------------------------------------------------------------------------
# Pure analysis


def recommendation_text(code: str, issue: str, action: str) -> str:
    """'ข้อ E1 ประเด็น <issue> ดังนั้น หน่วยงานควร<action>' — the pattern the reference documents follow."""
    return f"ข้อ {code.upper()} ประเด็น {issue.strip()} ดังนั้น หน่วยงานควร{action.strip()}"


def _thai_score(value: Decimal) -> str:
    return format_score(value)


def _thai_threshold(value: Decimal) -> str:
    # "๘๕" rather than "๘๕.๐๐", as the references write their thresholds.
    value = round_score(value)
    return to_thai_digits(str(int(value))) if value == value.to_integral_value() else format_score(value)


def ranking(result: GradeResult | Mapping[int, Decimal]) -> list[tuple[int, Decimal]]:
    """Indicators by score, highest first; equal scores keep indicator order (sorted() is stable)."""
    indicators = result.indicators if isinstance(result, GradeResult) else result
    ordered = sorted((number, round_score(score)) for number, score in indicators.items())
    return sorted(ordered, key=lambda pair: pair[1], reverse=True)


def split_at_threshold(
    ranked: Iterable[tuple[int, Decimal]], threshold: Decimal
) -> tuple[list[tuple[int, Decimal]], list[tuple[int, Decimal]]]:
    """(strengths, weaknesses) in ranking order: a score at or above the threshold is a strength."""
    ranked = list(ranked)
    return [p for p in ranked if p[1] >= threshold], [p for p in ranked if p[1] < threshold]


def indicator_paragraph(
    number: int, name: str, score: Decimal, *, threshold: Decimal, strength: bool, template: Template | None
) -> str:
    """'ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนน ๘๔.๕๔ คะแนน <what it measures> <what the score means>'."""
    head = f"ตัวชี้วัดที่ {to_thai_digits(str(number))} {name} ได้คะแนน {_thai_score(score)} คะแนน"
    if round_score(score) == HUNDRED:
        head += " ซึ่งเป็นคะแนนเต็ม"
    if template is None:
        meaning = (
            f"ถึงเกณฑ์ {_thai_threshold(threshold)} คะแนน จึงเป็นจุดแข็งที่ควรรักษาระดับไว้"
            if strength
            else f"ต่ำกว่าเกณฑ์ {_thai_threshold(threshold)} คะแนน จึงเป็นจุดที่ต้องพัฒนา"
        )
        return f"{head} {meaning}"
    sentence = template.strength if strength else template.weakness
    # Plain replacement, not str.format: an administrator's text may contain other braces.
    sentence = sentence.replace("{score}", _thai_score(score)).replace("{threshold}", _thai_threshold(threshold))
    return " ".join(part for part in (head, template.measures.strip(), sentence.strip()) if part)


def select_items(
    scores: Mapping[str, Decimal], infos: Mapping[str, ItemInfo], threshold: Decimal
) -> list[tuple[ItemInfo, Decimal]]:
    """IIT/EIT items below the threshold and OIT items below 100; lowest first (zeros lead), then item order."""
    chosen = []
    for code, raw in scores.items():
        info = infos.get(code)
        if info is None:
            continue
        score = round_score(raw)
        limit = HUNDRED if info.tool == "OIT" else threshold
        if score < limit:
            chosen.append((info, score))
    return sorted(chosen, key=lambda pair: (pair[1], pair[0].order, pair[0].code))


def summary_text(ranked: list[tuple[int, Decimal]], names: Mapping[int, str], threshold: Decimal) -> str:
    """One paragraph naming the best and worst indicators and counting strengths and weaknesses."""
    if not ranked:
        return "ยังไม่มีคะแนนรายตัวชี้วัด"

    def named(score: Decimal) -> str:
        numbers = [n for n, s in ranked if s == score]
        return " และ ".join(f"ตัวชี้วัดที่ {to_thai_digits(str(n))} {names.get(n, '')}".strip() for n in numbers)

    top, bottom = ranked[0][1], ranked[-1][1]
    strong, weak = split_at_threshold(ranked, threshold)
    if not weak:
        counts = f"ทุกตัวชี้วัดได้คะแนนถึงเกณฑ์ {_thai_threshold(threshold)} คะแนน"
    elif not strong:
        counts = f"ทุกตัวชี้วัดได้คะแนนต่ำกว่าเกณฑ์ {_thai_threshold(threshold)} คะแนน"
    else:
        counts = (
            f"ที่เกณฑ์ {_thai_threshold(threshold)} คะแนน มีจุดแข็ง {to_thai_digits(str(len(strong)))} ตัวชี้วัด "
            f"และจุดที่ต้องพัฒนา {to_thai_digits(str(len(weak)))} ตัวชี้วัด"
        )
    if top == bottom:
        return f"ทุกตัวชี้วัดได้คะแนนเท่ากันที่ {_thai_score(top)} คะแนน {counts}"
    return (
        f"ตัวชี้วัดที่ได้คะแนนสูงสุด คือ {named(top)} ได้ {_thai_score(top)} คะแนน "
        f"ตัวชี้วัดที่ได้คะแนนต่ำสุด คือ {named(bottom)} ได้ {_thai_score(bottom)} คะแนน {counts}"
    )


def _numbers(numbers: Iterable[int]) -> str:
    return " ".join(to_thai_digits(str(n)) for n in numbers)


def _listed(entries: Iterable[tuple[int, Decimal]], names: Mapping[int, str]) -> str:
    return " ".join(
        f"ตัวชี้วัดที่ {to_thai_digits(str(n))} {names.get(n, '')} ได้ {_thai_score(score)} คะแนน".replace("  ", " ")
        for n, score in entries
    )


def item_notes(
    ranked: list[tuple[int, Decimal]],
    names: Mapping[int, str],
    scores: Mapping[str, Decimal],
    infos: Mapping[str, ItemInfo],
    threshold: Decimal,
    selected: Iterable[ItemToImprove],
) -> tuple[str, ...]:
    """What the stored item scores show: which indicators lack them, and what the known ones reach.

    Every sentence names only what the data holds: an indicator without item scores is said to
    lack them (never "no item below the threshold"); a value is called "ต่ำกว่า X" only when it is
    below X; "เต็ม" only for 100.
    """
    if not ranked:
        return ("ยังไม่มีคะแนนรายตัวชี้วัดและคะแนนรายข้อ",)
    selected = list(selected)
    total: dict[int, int] = {}
    known: dict[int, int] = {}
    tools: dict[int, str] = {}
    for info in infos.values():
        total[info.indicator] = total.get(info.indicator, 0) + 1
        tools.setdefault(info.indicator, info.tool)
        if info.code in scores:
            known[info.indicator] = known.get(info.indicator, 0) + 1
    numbers = sorted(number for number, _score in ranked)
    none_known = [n for n in numbers if not known.get(n)]
    partial = [n for n in numbers if known.get(n) and known[n] < total.get(n, 0)]
    notes = []
    if len(none_known) == len(numbers):
        notes.append("ข้อมูลผลการประเมินที่บันทึกไว้มีเฉพาะคะแนนรายตัวชี้วัด ไม่มีคะแนนรายข้อ จึงยังระบุไม่ได้ว่าข้อคำถามหรือรายการใดต้องพัฒนา")
    elif none_known or partial:
        parts = []
        if none_known:
            parts.append(f"ไม่มีคะแนนรายข้อของตัวชี้วัดที่ {_numbers(none_known)}")
        if partial:
            parts.append(f"มีคะแนนรายข้อไม่ครบทุกข้อของตัวชี้วัดที่ {_numbers(partial)}")
        notes.append(
            f"ข้อมูลผลการประเมินที่บันทึกไว้{' และ'.join(parts)} "
            "จึงยังบอกไม่ได้ว่าข้อคำถามหรือรายการที่ไม่มีคะแนนของตัวชี้วัดเหล่านี้ต้องพัฒนาหรือไม่"
        )
    lacking = set(none_known) | set(partial)
    by_number = dict(ranked)
    weak = [(n, by_number[n]) for n in numbers if n in lacking and by_number[n] < threshold]
    if weak:
        notes.append(
            f"ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ {_thai_threshold(threshold)} คะแนนและยังไม่มีคะแนนรายข้อครบ ได้แก่ "
            f"{_listed(weak, names)} ควรตรวจคะแนนรายข้อจากระบบ ITAS ก่อนกำหนดแนวทางปรับปรุงรายข้อ"
        )
    oit_gap = [
        (n, by_number[n])
        for n in numbers
        if n in lacking and tools.get(n) == "OIT" and threshold <= by_number[n] < HUNDRED
    ]
    if oit_gap:
        notes.append(
            f"ตัวชี้วัดของแบบวัด OIT ที่ได้คะแนนต่ำกว่า {_thai_threshold(HUNDRED)} คะแนนและยังไม่มีคะแนนรายการครบ "
            f"จึงยังไม่ทราบว่ารายการที่ไม่มีคะแนนได้คะแนนครบหรือไม่ ได้แก่ {_listed(oit_gap, names)}"
        )
    chosen = {item.code for item in selected}
    scored = [(infos[code], round_score(value)) for code, value in scores.items() if code in infos]
    questions = [(info, value) for info, value in scored if info.tool != "OIT"]
    if questions and not chosen & {info.code for info, _value in questions}:
        tool_names = " และ ".join(sorted({info.tool for info, _value in questions}))
        lowest = min(value for _info, value in questions)
        notes.append(
            f"ข้อคำถาม {tool_names} ที่มีคะแนนรายข้อ {to_thai_digits(str(len(questions)))} ข้อ "
            f"ได้คะแนนตั้งแต่ {_thai_threshold(threshold)} คะแนนขึ้นไปทุกข้อ ข้อที่ได้ต่ำสุดได้ {_thai_score(lowest)} คะแนน"
        )
    oit = [(info, value) for info, value in scored if info.tool == "OIT"]
    if oit and not chosen & {info.code for info, _value in oit}:
        notes.append(
            f"รายการ OIT ที่มีคะแนนรายข้อ {to_thai_digits(str(len(oit)))} รายการ "
            f"ได้คะแนนเต็ม {_thai_threshold(HUNDRED)} คะแนนทุกรายการ"
        )
    return tuple(notes)


def group_items(
    items: Iterable[ItemToImprove],
    grouping: str,
    *,
    fiscal_year: int,
    names: Mapping[int, str],
    infos: Mapping[str, ItemInfo],
) -> list[Group]:
    """Items gathered by indicator (1 → 10) or by theme (THEMES order); empty groups are left out."""
    items = list(items)
    if grouping == "theme":
        buckets = {theme.key: [] for theme in THEMES}
        for item in items:
            buckets[theme_of(infos[item.code], fiscal_year).key].append(item)
        return [
            Group(theme.key, theme.title, theme.indicators, tuple(buckets[theme.key]))
            for theme in THEMES
            if buckets[theme.key]
        ]
    by_indicator: dict[int, list[ItemToImprove]] = {}
    for item in items:
        by_indicator.setdefault(item.indicator, []).append(item)
    return [
        Group(str(n), f"ตัวชี้วัดที่ {to_thai_digits(str(n))} {names.get(n, '')}".strip(), (n,), tuple(group))
        for n, group in sorted(by_indicator.items())
    ]


def build_analysis(
    result: GradeResult,
    *,
    fiscal_year: int,
    threshold: Decimal,
    names: Mapping[int, str],
    templates: Mapping[int, Template],
    infos: Mapping[str, ItemInfo],
    recommendations: Mapping[str, tuple[str, str]],
    grouping: str = "indicator",
) -> Analysis:
    """The whole analysis from a grading result; `recommendations` maps item code → (issue, action)."""
    threshold = round_score(threshold)
    ranked = ranking(result)
    strong, weak = split_at_threshold(ranked, threshold)

    def finding(number: int, score: Decimal, is_strength: bool) -> IndicatorFinding:
        name = names.get(number, "")
        paragraph = indicator_paragraph(
            number, name, score, threshold=threshold, strength=is_strength, template=templates.get(number)
        )
        return IndicatorFinding(number, name, score, is_strength, paragraph)

    items = []
    for info, score in select_items(result.items, infos, threshold):
        pair = recommendations.get(info.code)
        text = recommendation_text(info.code, *pair) if pair else f"ข้อ {info.code.upper()} {info.text}".strip()
        items.append(ItemToImprove(info.code, info.tool, info.indicator, score, info.text, text))
    return Analysis(
        fiscal_year=fiscal_year,
        threshold=threshold,
        overall=result.overall,
        level=result.level,
        names=dict(names),
        ranking=tuple(ranked),
        strengths=tuple(finding(n, s, True) for n, s in strong),
        weaknesses=tuple(finding(n, s, False) for n, s in weak),
        items=tuple(items),
        summary=summary_text(ranked, names, threshold),
        groups=tuple(group_items(items, grouping, fiscal_year=fiscal_year, names=names, infos=infos)),
        item_notes=item_notes(ranked, names, result.items, infos, threshold, items),
    )
