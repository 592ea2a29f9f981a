"""The ข่าวประชาสัมพันธ์ an organisation posts on its website about the meeting that set its measures.

Two steps. `news_input(plan)` reads what the news needs from the database (the plan's details,
the graded result of the assessed year, the indicators below the plan's threshold, the measure
titles) into a plain `NewsInput`. `build_news(data, digits=…)` is pure: it writes the headline and
paragraphs in the organisation's own voice and renders them as plain text and as HTML. Every
sentence states only what the data shows; a missing fact (no meeting date, no place) is left as a
visible blank (BLANK) for the staff to fill in, never invented.

Text and HTML share one layout, so that the page's script can rebuild the HTML from edited text
the same way (static/js/news.js): the headline, then paragraphs separated by a blank line; in
HTML the headline is an <h2>, each paragraph a <p>, and a line break inside a paragraph a <br>.
Everything is escaped: a staff member's "<script>" comes out as text.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ita.thai import (
    format_number,
    format_score,
    format_threshold,
    in_digits,
    thai_date,
)
from measures.models import MeasurePlan
from measures.plans import plan_analysis

BLANK = "……"
DIGITS = ("thai", "arabic")
# How many measures the news lists at most (a plan has a handful; this only bounds a hostile one).
MAX_MEASURES = 200
_SPACES = re.compile(r"\s+")
# Words staff often type at the start of the meeting body that the sentence already says.
_BODY_PREFIXES = ("ที่ประชุม", "การประชุม", "ประชุม")


@dataclass(frozen=True)
class Weakness:
    number: int
    name: str
    score: Decimal


@dataclass(frozen=True)
class NewsInput:
    """What the news is written from; strings are as staff typed them (blank when not given)."""

    organization: str
    fiscal_year: int
    assessed_year: int
    meeting_date: datetime.date | None = None
    meeting_body: str = ""
    meeting_place: str = ""
    chair_name: str = ""
    chair_position: str = ""
    overall: Decimal | None = None
    level: str = ""
    provisional: bool = False
    threshold: Decimal = Decimal("85.00")
    # How many indicators have a score: "no weakness" is only said when there is something to compare.
    scored_indicators: int = 0
    weaknesses: tuple[Weakness, ...] = field(default_factory=tuple)
    measures: tuple[str, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# Reading the plan


def news_input(plan: MeasurePlan) -> NewsInput:
    """The plan's facts for the news; the result is the one the มาตรการ document prints."""
    plan = MeasurePlan.objects.select_related("organization", "based_on__framework").get(pk=plan.pk)
    assessment = plan.based_on
    analysis = plan_analysis(plan)
    overall = assessment.official_overall if assessment.official_overall is not None else analysis.overall
    weaknesses = tuple(
        Weakness(number, analysis.names.get(number, ""), score)
        for number, score in sorted(analysis.ranking)
        if score < analysis.threshold
    )
    titles = plan.measures.order_by("order", "pk").values_list("title", flat=True)[:MAX_MEASURES]
    return NewsInput(
        organization=plan.organization.name,
        fiscal_year=plan.fiscal_year,
        assessed_year=assessment.fiscal_year,
        meeting_date=plan.meeting_date,
        meeting_body=plan.meeting_body,
        meeting_place=plan.meeting_place,
        chair_name=plan.approver_name,
        chair_position=plan.approver_position,
        overall=overall,
        level=assessment.official_level or analysis.level or "",
        provisional=not assessment.official_level and assessment.provisional,
        threshold=analysis.threshold,
        scored_indicators=len(analysis.ranking),
        weaknesses=weaknesses,
        measures=tuple(titles),
    )


# ---------------------------------------------------------------------------------------------
# Writing the news (pure)


def _line(text: str) -> str:
    """User text on one line: runs of whitespace (newlines included) become one space."""
    return _SPACES.sub(" ", text or "").strip()


def _or_blank(text: str) -> str:
    return _line(text) or BLANK


def _meeting_body(text: str) -> str:
    """'คณะทำงาน ITA' for 'ได้จัดประชุมคณะทำงาน ITA' (a leading 'ประชุม' the sentence already says is dropped)."""
    body = _line(text)
    for prefix in _BODY_PREFIXES:
        if body.startswith(prefix):
            body = body[len(prefix) :].strip()
            break
    return body or f" {BLANK}"


def _chair(data: NewsInput) -> str:
    name, position = _line(data.chair_name), _line(data.chair_position)
    if name and position:
        return f"{name} {position}"
    return name or (f"{BLANK} {position}" if position else BLANK)


def _headline(data: NewsInput, digits: str) -> str:
    return (
        f"{_line(data.organization)} ประชุมวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. "
        f"{format_number(data.assessed_year, digits=digits)} และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
        f"ประจำปีงบประมาณ พ.ศ. {format_number(data.fiscal_year, digits=digits)}"
    )


def _opening(data: NewsInput, digits: str) -> str:
    when = thai_date(data.meeting_date, digits=digits) if data.meeting_date else BLANK
    return (
        f"เมื่อวันที่ {when} {_line(data.organization)} ได้จัดประชุม{_meeting_body(data.meeting_body)} "
        f"ณ {_or_blank(data.meeting_place)} โดยมี {_chair(data)} เป็นประธานการประชุม "
        "เพื่อร่วมกันพิจารณาผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        f"ประจำปีงบประมาณ พ.ศ. {format_number(data.assessed_year, digits=digits)} "
        f"และวางมาตรการสำหรับปีงบประมาณ พ.ศ. {format_number(data.fiscal_year, digits=digits)}"
    )


def _result(data: NewsInput, digits: str) -> str:
    year = format_number(data.assessed_year, digits=digits)
    overall = format_score(data.overall, digits=digits) if data.overall is not None else BLANK
    sentence = f"ในปีงบประมาณ พ.ศ. {year} {_line(data.organization)} ได้คะแนนรวม {overall} คะแนน"
    if _line(data.level):
        sentence += f" อยู่ในระดับ {_line(data.level)}"
        if data.provisional:
            sentence += " (ผลเบื้องต้น)"
    return sentence


def _weaknesses(data: NewsInput, digits: str) -> str | None:
    """Which indicators fell below the plan's threshold, with their scores; None when nothing was scored."""
    threshold = format_threshold(data.threshold, digits=digits)
    if data.weaknesses:
        listed = ", ".join(
            f"ตัวชี้วัดที่ {format_number(w.number, digits=digits)} {in_digits(_line(w.name), digits)} "
            f"({format_score(w.score, digits=digits)} คะแนน)"
            for w in data.weaknesses
        )
        count = format_number(len(data.weaknesses), digits=digits)
        return (
            f"เมื่อเทียบรายตัวชี้วัดกับเกณฑ์ {threshold} คะแนนที่หน่วยงานใช้ในการวิเคราะห์ "
            f"มีตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ {count} ตัวชี้วัด ได้แก่ {listed} "
            "ซึ่งเป็นเรื่องที่หน่วยงานต้องเร่งปรับปรุง"
        )
    if data.scored_indicators:
        return (
            f"ทุกตัวชี้วัดได้คะแนนตั้งแต่เกณฑ์ {threshold} คะแนนขึ้นไป "
            f"{_line(data.organization)} จึงมุ่งรักษาระดับผลการประเมินนี้ไว้และพัฒนาการทำงานต่อไป"
        )
    return None


def _measures_intro(data: NewsInput, digits: str) -> str:
    year = format_number(data.fiscal_year, digits=digits)
    if not data.measures:
        return f"ที่ประชุมได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year} ดังนี้"
    count = format_number(len(data.measures), digits=digits)
    return (
        f"ที่ประชุมได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year} "
        f"จำนวน {count} มาตรการ ดังนี้"
    )


def _measure_lines(data: NewsInput, digits: str) -> list[str]:
    if not data.measures:
        return [f"{format_number(1, digits=digits)}. {BLANK}"]
    return [f"{format_number(n, digits=digits)}. {_or_blank(title)}" for n, title in enumerate(data.measures, 1)]


def _closing(data: NewsInput, digits: str) -> str:
    return (
        f"{_line(data.organization)} จะติดตามการดำเนินงานตามมาตรการเหล่านี้อย่างต่อเนื่อง "
        f"โดยสรุปความก้าวหน้าเมื่อครบรอบ {format_number(6, digits=digits)} เดือน "
        f"และรายงานผลเมื่อครบรอบ {format_number(12, digits=digits)} เดือน "
        f"ของปีงบประมาณ พ.ศ. {format_number(data.fiscal_year, digits=digits)} ต่อผู้บริหาร"
    )


def build_news(data: NewsInput, *, digits: str = "thai") -> dict:
    """{"title", "paragraphs", "measures", "body", "text", "html"} of the news, in `digits` ("thai" or "arabic").

    `paragraphs` are the paragraphs before the list of measures and `closing` the one after it;
    `body` is everything but the title as plain text, `text` the title and body, `html` their HTML.
    """
    if digits not in DIGITS:
        raise ValueError(f"digits must be 'thai' or 'arabic', not {digits!r}")
    title = _headline(data, digits)
    paragraphs = [_opening(data, digits), _result(data, digits)]
    weaknesses = _weaknesses(data, digits)
    if weaknesses:
        paragraphs.append(weaknesses)
    measures = _measure_lines(data, digits)
    closing = _closing(data, digits)
    blocks = [*paragraphs, "\n".join([_measures_intro(data, digits), *measures]), closing]
    body = "\n\n".join(blocks)
    return {
        "title": title,
        "paragraphs": paragraphs,
        "measures": measures,
        "closing": closing,
        "body": body,
        "text": f"{title}\n\n{body}",
        "html": news_html(title, body),
    }


def missing_facts(data: NewsInput) -> list[str]:
    """The plan details the news leaves blank, by their field names on the plan page."""
    facts = [
        (data.meeting_date is not None, "วันที่ประชุม"),
        (bool(_line(data.meeting_body)), "ที่ประชุม"),
        (bool(_line(data.meeting_place)), "สถานที่ประชุม"),
        (bool(_line(data.chair_name)), "ชื่อผู้อนุมัติ (ประธานการประชุม)"),
        (data.overall is not None, "คะแนนรวม"),
        (bool(data.measures), "มาตรการ"),
    ]
    return [label for present, label in facts if not present]


def news_blocks(body: str) -> list[list[str]]:
    """The paragraphs of a plain-text body (split at blank lines), each as its non-empty lines."""
    blocks = []
    for block in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            blocks.append(lines)
    return blocks


def news_html(title: str, body: str) -> str:
    """The HTML of a headline and a plain-text body: <h2>, then a <p> per paragraph, <br> inside one; all escaped."""
    parts = [f"<h2>{html.escape(_line(title))}</h2>"] if _line(title) else []
    for lines in news_blocks(body):
        parts.append("<p>" + "<br>\n".join(html.escape(line) for line in lines) + "</p>")
    return "\n".join(parts)
