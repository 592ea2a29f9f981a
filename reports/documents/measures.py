"""Database → plain data for the มาตรการ document (templates/reports/measures.html).

`measures_document_context(plan)` reads everything the document prints in a fixed number of
queries, whatever the number of measures or findings, and hands back only strings, numbers,
lists and dicts: the template never touches a model, so it cannot trigger a query or reach a
field it was not given. Numbers we format, and the generated analysis texts, follow the
document's digit system; what staff wrote in measures and the approval block prints as written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from ita.charts.indicators import wrap_label
from ita.charts.svg import OTHER_COLOUR, TOOL_COLOURS
from ita.models import OrganizationEmblem
from ita.thai import (
    BE_OFFSET,
    format_number,
    format_score,
    format_threshold,
    in_digits,
    round_score,
    thai_date,
)
from measures.analysis import THEMES, Analysis, theme_for_indicators
from measures.followup import ROUND_MONTHS, round_end
from measures.models import Finding, MeasurePlan, period_text
from measures.plans import plan_analysis
from reports.documents.metadata import document_metadata

TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
TOOL_NAMES = {
    "IIT": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (Internal Integrity and Transparency Assessment: IIT)",
    "EIT": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (External Integrity and Transparency Assessment: EIT)",
    "OIT": "แบบวัดการเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency Assessment: OIT)",
}
TOOL_PURPOSE = {
    "IIT": "บุคลากรของหน่วยงานประเมินการทำงานภายในหน่วยงานของตนเอง",
    "EIT": "ประชาชนและผู้รับบริการประเมินการทำงานของหน่วยงานจากประสบการณ์ที่ได้ติดต่อ",
    "OIT": "ตรวจข้อมูลที่หน่วยงานเปิดเผยไว้บนเว็บไซต์หลักว่าครบถ้วนและเป็นปัจจุบันหรือไม่",
}
# Our own summary of what ITA is; the reference documents each carry a paragraph of this kind.
PRINCIPLE = (
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency "
    "Assessment: ITA) เป็นเครื่องมือที่สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ "
    "(สำนักงาน ป.ป.ช.) ใช้ประเมินหน่วยงานภาครัฐทั่วประเทศเป็นประจำทุกปี เพื่อชี้ให้แต่ละหน่วยงานเห็นว่า"
    "การทำงานของตนโปร่งใส เป็นธรรม และตรวจสอบได้เพียงใด ทั้งในสายตาของบุคลากรภายใน ของประชาชนผู้รับบริการ "
    "และจากข้อมูลที่หน่วยงานเปิดเผยต่อสาธารณะ ผลการประเมินจึงเป็นข้อมูลตั้งต้นที่หน่วยงานใช้วิเคราะห์จุดแข็ง"
    "และจุดที่ต้องพัฒนา แล้วกำหนดเป็นมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานสำหรับปีถัดไป "
    "การประเมินใช้เครื่องมือ {tools} ชนิด ครอบคลุม {indicators} ตัวชี้วัด ดังนี้"
)
ANSWER_ITEM = re.compile(r"^[ieo]\d+$")
# The chart's axis, and how many visible characters fit on a label line of one of its ten slots.
CHART_TICKS = (0, 20, 40, 60, 80, 100)
LABEL_CHARS = 8
# A score label is about 7 % of the plot's height (8 pt on a 5 cm plot). A label that would touch
# the threshold line is lifted just above it, so 85.07 never looks as if it sat on (or under) 85.
LABEL_HEIGHT = Decimal(7)
LABEL_GAP = Decimal("1.5")
# What every page of a document that is not published says, by plan status (issue 11).
PAGE_MARKS = {
    MeasurePlan.Status.DRAFT: "ร่าง",
    MeasurePlan.Status.SUBMITTED: "ร่าง",
    MeasurePlan.Status.APPROVED: "ฉบับอนุมัติ ยังไม่เผยแพร่",
}


def _score(value: Decimal | None, digits: str) -> str:
    return format_score(value, digits=digits)


# ---------------------------------------------------------------------------------------------
# Sections


def _cover(plan: MeasurePlan, digits: str) -> dict:
    org = plan.organization
    return {
        "title": TITLE,
        "fiscal_year": format_number(plan.fiscal_year, digits=digits),
        "organization": org.name,
        "district": org.district,
        "province": org.province,
        "version": format_number(plan.version, digits=digits),
        "draft": plan.status in (MeasurePlan.Status.DRAFT, MeasurePlan.Status.SUBMITTED),
        "page_mark": PAGE_MARKS.get(plan.status, ""),
        "emblem": OrganizationEmblem.objects.data_url_for(org.pk),
    }


def _tools(names: Mapping[int, str], tools: Mapping[int, str], digits: str) -> list[dict]:
    """The three tools with their indicators, in indicator order."""
    grouped: dict[str, list[dict]] = {}
    for number in sorted(names):
        tool = tools.get(number, "")
        entry = {"number": format_number(number, digits=digits), "name": in_digits(names[number], digits)}
        grouped.setdefault(tool, []).append(entry)
    return [
        {
            "code": tool,
            "colour": TOOL_COLOURS.get(tool, OTHER_COLOUR),
            "name": TOOL_NAMES.get(tool, tool),
            "purpose": TOOL_PURPOSE.get(tool, ""),
            "count": format_number(len(entries), digits=digits),
            "indicators": entries,
        }
        for tool, entries in grouped.items()
    ]


def grading_rows(levels: Iterable[tuple[str, Decimal, Decimal | None]], digits: str = "thai") -> list[dict]:
    """The grading table from (label, min_overall, min_tool) rows, highest level first.

    A level's upper bound is just below the nearest higher level that has no tool condition:
    with a tool condition, a higher overall can still land on the lower level, so the range is
    open ("๘๕.๐๐ ขึ้นไป").
    """
    levels = list(levels)
    rows = []
    for index, (label, min_overall, min_tool) in enumerate(levels):
        above = [lv for lv in levels[:index] if lv[2] is None]
        if index == 0:
            score = f"{_score(min_overall, digits)} – {format_number(100, digits=digits)}"
        elif above:
            score = f"{_score(min_overall, digits)} – {_score(above[-1][1] - Decimal('0.01'), digits)}"
        else:
            score = f"{_score(min_overall, digits)} ขึ้นไป"
        condition = _condition(levels[:index], min_overall, min_tool, digits)
        rows.append({"score": score, "condition": condition, "label": label})
    return rows


def _condition(higher: list, min_overall: Decimal, min_tool: Decimal | None, digits: str) -> str:
    tools = f"IIT, EIT ส่วนที่ {format_number(1, digits=digits)}, EIT ส่วนที่ {format_number(2, digits=digits)} และ OIT"
    if min_tool is not None:
        return f"ทุกเครื่องมือ ({tools}) ได้คะแนนตั้งแต่ {format_threshold(min_tool, digits=digits)} คะแนนขึ้นไป"
    stricter = [lv[2] for lv in higher if lv[1] == min_overall and lv[2] is not None]
    if stricter:
        return f"มีเครื่องมือใดเครื่องมือหนึ่ง ({tools}) ได้คะแนนน้อยกว่า {format_threshold(min(stricter), digits=digits)} คะแนน"
    return "–"


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, Decimal(0)), Decimal(100))


def label_bottom(height: Decimal, threshold: Decimal) -> Decimal:
    """Where a bar's score label sits (percent of the plot): on the bar, or just above the threshold line.

    A label whose box would cross the line (the bar ends within a label's height below it, or just
    above it) is lifted clear of the line.
    """
    if threshold - LABEL_HEIGHT < height < threshold + LABEL_GAP:
        return threshold + LABEL_GAP
    return height + Decimal("0.5")


def _result(plan: MeasurePlan, analysis: Analysis, tools: Mapping[int, str], digits: str) -> dict:
    """The previous year's result: the official figures when the export carried them, else the computed ones."""
    assessment = plan.based_on
    overall = assessment.official_overall if assessment.official_overall is not None else analysis.overall
    level = assessment.official_level or analysis.level or ""
    scores = dict(analysis.ranking)
    threshold = analysis.threshold
    indicators = [
        {
            "number": format_number(number, digits=digits),
            "name": in_digits(name, digits),
            # Pre-broken at word boundaries: the chart's slots are narrower than some Thai words.
            "label_lines": [in_digits(line, digits) for line in wrap_label(name, max_chars=LABEL_CHARS, max_lines=4)],
            "tool": tools.get(number, ""),
            "colour": TOOL_COLOURS.get(tools.get(number, ""), OTHER_COLOUR),
            "score": _score(scores.get(number), digits),
            # Bar height in percent of the plot (clamped, so bad data cannot draw outside it).
            "height": str(_clamp(scores.get(number, Decimal(0)))),
            "label_bottom": str(label_bottom(_clamp(scores.get(number, Decimal(0))), _clamp(threshold))),
            "below": number in scores and scores[number] < threshold,
            # Each of the ten slots is 10% of the plot wide; the bar sits in its middle.
            "slot_left": str(round_score(Decimal(100) * index / max(len(analysis.names), 1))),
        }
        for index, (number, name) in enumerate(sorted(analysis.names.items()))
    ]
    return {
        "fiscal_year": format_number(assessment.fiscal_year, digits=digits),
        "overall": _score(overall, digits),
        "level": level,
        "provisional": not assessment.official_level and assessment.provisional,
        "threshold": format_threshold(threshold, digits=digits),
        "threshold_height": str(_clamp(threshold)),
        "indicators": indicators,
        "slot_width": str(round_score(Decimal(100) / max(len(indicators), 1))),
        "ticks": [{"position": str(tick), "label": format_number(tick, digits=digits)} for tick in CHART_TICKS],
        "ranking": [
            {
                "rank": format_number(rank, digits=digits),
                "number": format_number(number, digits=digits),
                "name": in_digits(analysis.names.get(number, ""), digits),
                "tool": tools.get(number, ""),
                "score": _score(score, digits),
            }
            for rank, (number, score) in enumerate(analysis.ranking, start=1)
        ],
    }


def _analysis(findings: list[dict], analysis: Analysis, digits: str) -> dict:
    """Strength, weakness and summary paragraphs (the staff's texts) and the items to improve, grouped.

    `item_notes` says what the stored item scores show and lack; `no_strengths`/`no_weaknesses`
    are the sentences printed when a list is empty, worded from the scores (never a bare "none").
    """

    def texts(kind: str) -> list[dict]:
        chosen = [f["text"] for f in findings if f["kind"] == kind and f["text"].strip()]
        return [
            {"number": format_number(n, digits=digits), "text": in_digits(text, digits)}
            for n, text in enumerate(chosen, start=1)
        ]

    by_code = {f["item_code"]: f["text"] for f in findings if f["kind"] == Finding.Kind.ITEM}
    groups = []
    for group in analysis.groups:
        items = [
            {
                "code": in_digits(item.code.upper(), digits),
                "tool": item.tool,
                "question": in_digits(item.text, digits),
                "score": _score(item.score, digits),
                "recommendation": in_digits(by_code.get(item.code, item.recommendation), digits),
            }
            for item in group.items
        ]
        groups.append({"title": in_digits(group.title, digits), "items": items})
    return {
        "summary": texts(Finding.Kind.SUMMARY),
        "strengths": texts(Finding.Kind.STRENGTH),
        "weaknesses": texts(Finding.Kind.WEAKNESS),
        "groups": groups,
        "threshold": format_threshold(analysis.threshold, digits=digits),
        "item_notes": [in_digits(note, digits) for note in analysis.item_notes],
        **_empty_lists(analysis, digits),
    }


def _empty_lists(analysis: Analysis, digits: str) -> dict:
    """What 3.1 and 3.2 say when they list nothing: the scores that make them empty ("–" if staff blanked them)."""
    scores = [score for _number, score in analysis.ranking]
    threshold = format_threshold(analysis.threshold, digits=digits)
    if not scores:
        missing = "ยังไม่มีคะแนนรายตัวชี้วัด"
        return {"no_strengths": missing, "no_weaknesses": missing}
    return {
        "no_strengths": "–"
        if analysis.strengths
        else f"ไม่มีตัวชี้วัดใดได้คะแนนถึงเกณฑ์ {threshold} คะแนน ตัวชี้วัดที่ได้สูงสุดได้ {_score(max(scores), digits)} คะแนน",
        "no_weaknesses": "–"
        if analysis.weaknesses
        else f"ทุกตัวชี้วัดได้คะแนนตั้งแต่ {threshold} คะแนนขึ้นไป ตัวชี้วัดที่ได้ต่ำสุดได้ {_score(min(scores), digits)} คะแนน",
    }


def _answers(row: dict, digits: str) -> list[str]:
    """Lines such as "ข้อ I๗ E๔" and "ตัวชี้วัดที่ ๒ ๔" for the optional sixth column."""
    codes = [in_digits(str(code).upper(), digits) for code in row["item_codes"] if ANSWER_ITEM.match(str(code))]
    numbers = [format_number(n, digits=digits) for n in row["indicators"] if isinstance(n, int)]
    lines = []
    if codes:
        lines.append("ข้อ " + " ".join(codes))
    if numbers:
        lines.append("ตัวชี้วัดที่ " + " ".join(numbers))
    return lines


# A measure's row is kept whole on its page. One taller than SPLIT_LINES lines of its steps
# column (estimated from STEP_CHARS spacing characters a line) would leave a large gap at a page
# foot, so it is cut into parts of about PART_LINES lines, each repeating the measure's title: a
# page never shows steps without the measure they belong to.
SPLIT_LINES = 18
PART_LINES = 10
STEP_CHARS = {False: 20, True: 16}  # the steps column holds fewer characters with the answers column
# Thai vowels and marks drawn above or below a letter take no width of their own.
_NO_WIDTH = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def _lines(text: str, per_line: int) -> int:
    return max(1, -(-len(_NO_WIDTH.sub("", text)) // per_line))


def measure_parts(steps: list[str], *, with_answers: bool = False) -> list[dict]:
    """The steps as one part, or cut (never inside a step) into parts of about PART_LINES lines.

    Each part is {"start": its first step's number, "steps", "first"}.
    """
    per_line = STEP_CHARS[with_answers]
    heights = [_lines(step, per_line) for step in steps]
    parts: list[dict] = []
    current: list[str] = []
    used = 0
    if sum(heights) <= SPLIT_LINES:
        parts.append({"steps": list(steps)})
    else:
        for step, lines in zip(steps, heights, strict=True):
            if current and used + lines > PART_LINES:
                parts.append({"steps": current})
                current, used = [], 0
            current.append(step)
            used += lines
        parts.append({"steps": current})
    start = 1
    for index, part in enumerate(parts):
        part.update(start=start, first=index == 0)
        start += len(part["steps"])
    return parts


def _measures(rows: list[dict], fiscal_year: int, digits: str, *, with_answers: bool = False) -> list[dict]:
    measures = []
    for number, row in enumerate(rows, start=1):
        steps = [str(step) for step in row["steps"] if str(step).strip()]
        measures.append(
            {
                "number": format_number(number, digits=digits),
                # The staff's own words are printed as written (digits included); only what we format follows `digits`.
                "title": row["title"],
                "steps": steps,
                "parts": measure_parts(steps, with_answers=with_answers),
                "responsible": row["responsible"],
                "period": period_text(
                    fiscal_year, row["period_kind"], row["start_month"], row["end_month"], digits=digits
                ),
                "monitoring": row["monitoring"],
                "answers": _answers(row, digits),
            }
        )
    return measures


def _measure_groups(rows: list[dict], measures: list[dict], analysis: Analysis, digits: str) -> list[dict]:
    """A keep-level plan's measures under the themes (ประเด็น) of the indicators they answer; [] otherwise.

    Each measure keeps its number in the plan (the follow-up report numbers them the same way);
    a measure answering no indicator goes to a last group of its own.
    """
    if not analysis.keep_level or not measures:
        return []
    buckets: dict[str, list[dict]] = {theme.key: [] for theme in THEMES}
    others = []
    for row, measure in zip(rows, measures, strict=True):
        theme = theme_for_indicators(row["indicators"] if isinstance(row["indicators"], list) else [])
        (buckets[theme.key] if theme else others).append(measure)
    titled = [(theme.title, buckets[theme.key]) for theme in THEMES if buckets[theme.key]]
    if others:
        titled.append(("มาตรการอื่น", others))
    return [
        {"title": f"ประเด็นที่ {format_number(n, digits=digits)} {title}", "measures": group}
        for n, (title, group) in enumerate(titled, start=1)
    ]


def _units(rows: list[dict]) -> list[str]:
    """The responsible units named in the measures, each once, in the order they first appear."""
    seen: list[str] = []
    for row in rows:
        name = " ".join(str(row["responsible"]).split())
        if name and name not in seen:
            seen.append(name)
    return seen


def _implementation(plan: MeasurePlan, rows: list[dict], digits: str) -> dict:
    """Section ๕: how the measures are carried out, by whom and when, from the plan's own data."""
    year = plan.fiscal_year - BE_OFFSET
    start, end = datetime.date(year - 1, 10, 1), datetime.date(year, 9, 30)
    count = len(rows)
    units = _units(rows)
    coordinator = plan.office.strip() or plan.organization.name
    rounds = {months: thai_date(round_end(plan.fiscal_year, months), digits=digits) for months in ROUND_MONTHS}
    steps = []
    if count:
        steps = [
            f"{coordinator}แจ้งมาตรการทั้ง {format_number(count, digits=digits)} มาตรการให้ส่วนราชการผู้รับผิดชอบ"
            "ทราบและถือปฏิบัติตั้งแต่ต้นปีงบประมาณ",
            "ส่วนราชการผู้รับผิดชอบดำเนินการตามขั้นตอนและระยะเวลาของแต่ละมาตรการ และบันทึกความก้าวหน้าพร้อมหลักฐานไว้ทุกครั้งที่ดำเนินการ",
            *(
                f"รายงานผลการดำเนินงานรอบ {format_number(months, digits=digits)} เดือน "
                f"(ข้อมูลถึงวันที่ {rounds[months]}) เสนอผู้บริหาร"
                for months in ROUND_MONTHS
            ),
            f"เผยแพร่มาตรการนี้และรายงานผลทั้งสองรอบบนเว็บไซต์ของ{plan.organization.name} "
            f"และนำผลไปใช้จัดทำมาตรการปีงบประมาณ {format_number(plan.fiscal_year + 1, digits=digits)}",
        ]
    five = format_number(5, digits=digits)
    return {
        "heading": f"{five}. การขับเคลื่อนมาตรการสู่การปฏิบัติ",
        "titles": {
            key: f"{five}.{format_number(n, digits=digits)} {title}"
            for n, (key, title) in enumerate(
                (("units", "ผู้รับผิดชอบ"), ("steps", "ขั้นตอนการดำเนินงาน"), ("period", "ระยะเวลาดำเนินการ")), start=1
            )
        },
        "steps": [{"number": format_number(n, digits=digits), "text": text} for n, text in enumerate(steps, start=1)],
        "none": "" if count else "ยังไม่ได้กำหนดมาตรการ จึงยังไม่มีขั้นตอนและผู้รับผิดชอบในการขับเคลื่อน",
        "coordinator": coordinator if count else "",
        "units": units,
        "units_text": " และ ".join(filter(None, (" ".join(units[:-1]), units[-1]))) if units else "",
        "period": f"{thai_date(start, digits=digits)} – {thai_date(end, digits=digits)}",
    }


def _approval(plan: MeasurePlan, count: int, digits: str) -> dict:
    """The approval block; its sentence says how many measures the document holds, or that it holds none."""
    organization = plan.organization.name
    if count:
        text = (
            "ผู้บริหารและเจ้าหน้าที่ได้ร่วมกันพิจารณาผลการประเมินและผลการวิเคราะห์ข้างต้น "
            f"และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายใน{organization} "
            f"จำนวน {format_number(count, digits=digits)} มาตรการ ตามตารางในข้อ {format_number(4, digits=digits)} "
            f"จึงให้ส่วนราชการผู้รับผิดชอบถือปฏิบัติและรายงานผลตามข้อ {format_number(5, digits=digits)}"
        )
    else:
        text = (
            "ผู้บริหารและเจ้าหน้าที่ได้ร่วมกันพิจารณาผลการประเมินและผลการวิเคราะห์ข้างต้นแล้ว "
            f"เอกสารฉบับนี้ยังไม่มีมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายใน{organization} "
            "จึงต้องกำหนดมาตรการและเสนอพิจารณาอีกครั้ง"
        )
    approved = timezone.localdate(plan.approved_at) if plan.approved_at else None
    return {
        "text": text,
        # The date line above the signature: the day the executive approved it in the system, or blank to fill in.
        "approved_date": thai_date(approved, digits=digits) if approved else "",
        "meeting_date": thai_date(plan.meeting_date, digits=digits) if plan.meeting_date else "",
        "meeting_body": plan.meeting_body,
        "approver_name": plan.approver_name,
        "approver_position": plan.approver_position,
        "office": plan.office,
        "office_phone": in_digits(plan.office_phone or plan.organization.phone, digits),
        "organization": organization,
    }


# ---------------------------------------------------------------------------------------------
# Entry point

MEASURE_FIELDS = (
    "title",
    "steps",
    "responsible",
    "period_kind",
    "start_month",
    "end_month",
    "monitoring",
    "indicators",
    "item_codes",
)


def measures_document_html(context: dict) -> str:
    """The document's HTML (autoescaped template) from `measures_document_context`'s data."""
    return render_to_string("reports/documents/measures.html", context)


def measures_document_context(plan: MeasurePlan, *, digits: str = "thai", with_answers: bool = False) -> dict:
    """Everything the มาตรการ document prints, as plain data in `digits` ("thai" or "arabic").

    `with_answers` adds the optional sixth column (the items and indicators each measure answers).
    """
    if digits not in ("thai", "arabic"):
        raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")
    plan = MeasurePlan.objects.select_related("organization", "based_on__framework").get(pk=plan.pk)
    analysis = plan_analysis(plan)
    framework = plan.based_on.framework
    levels = list(framework.levels.order_by("order", "pk").values_list("label", "min_overall", "min_tool"))
    tools = dict(framework.indicators.values_list("number", "tool"))
    findings = list(plan.findings.filter(current=True).order_by("order", "pk").values("kind", "item_code", "text"))
    rows = list(plan.measures.order_by("order", "pk").values(*MEASURE_FIELDS))
    measures = _measures(rows, plan.fiscal_year, digits, with_answers=with_answers)
    tool_list = _tools(analysis.names, tools, digits)
    return {
        "digits": digits,
        "cover": _cover(plan, digits),
        "principle": PRINCIPLE.format(
            tools=format_number(len(tool_list), digits=digits),
            indicators=format_number(len(analysis.names), digits=digits),
        ),
        "tools": tool_list,
        "grading": grading_rows(levels, digits),
        "grading_has_conditions": any(min_tool is not None for _label, _min, min_tool in levels),
        "result": _result(plan, analysis, tools, digits),
        "analysis": _analysis(findings, analysis, digits),
        "measures": measures,
        # Keep-level plans only: the same measure rows under their themes (empty: print `measures` as they are).
        "measure_groups": _measure_groups(rows, measures, analysis, digits),
        "with_answers": with_answers,
        "implementation": _implementation(plan, rows, digits),
        "approval": _approval(plan, len(measures), digits),
        "meta": document_metadata(
            plan,
            subject=f"{TITLE} ประจำปีงบประมาณ พ.ศ. {format_number(plan.fiscal_year, digits=digits)} "
            f"จากผลการประเมินปี {format_number(plan.based_on.fiscal_year, digits=digits)}",
            keywords=["คุณธรรมและความโปร่งใส", "มาตรการ"],
            digits=digits,
        ),
    }
