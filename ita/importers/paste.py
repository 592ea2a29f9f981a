"""Text a user pasted from the ITAS result page or an old PDF/Word file → recognised scores.

Pure Python (no Django). Each line is read as: optional rank / list number / tool, a label
(indicator number or name, item code, tool, overall), then the score. What is not understood is
returned with a Thai reason, so that the preview can show both.

Decisions:
- When a line names an indicator, the name wins over any number on the line: in a ranking
  table "๑	การป้องกันการทุจริต	๙๓.๗๕" the ๑ is a rank and the value is indicator 10's.
- Without a name, "rank, indicator, score" (three numbers) takes the second number as the indicator.
- A number followed by "ขึ้นไป" or preceded by "กว่า" is a threshold in prose, not a score.
- The same value stated twice (ranking table and analysis table) is kept once; a different value
  for the same thing is reported, and the first one stays.
- "คะแนนที่ได้" ("the score obtained") names the overall only when the words before the score are
  nothing else ("คะแนนที่ได้ : ๘๒.๗๖ คะแนน"); beside an indicator, item or tool it is filler. A line
  holding only those words does not wait for a score on the next line, as "คะแนนภาพรวม" does: it is
  usually a table's column header, and the score under it belongs to the table's first row.
- A doubled sara e ("คะเเนน") is read as the sara ae it looks like, as in file headers.

Cost (SECURITY.md B1): time is linear in the pasted text. No regular expression here can backtrack
over a line: the level phrase, colons and filler words are found by plain scanning, and the patterns
left run over single tokens or have no optional parts next to each other. A line longer than
MAX_LINE_CHARS is reported without being read, and lines after MAX_LINES are not read at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from ita.importers.columns import HEADER_ALIASES, SCORE_OBTAINED, match_indicator_name, normalize_header
from ita.thai import (
    ThaiValueError,
    fold_sara_e,
    format_number,
    is_item_code,
    normalize_item_code,
    parse_score,
    to_arabic_digits,
)

# A line of a table or a paragraph of prose is far shorter; a paste is a page or two, not a book.
MAX_LINE_CHARS = 3_000
MAX_LINES = 5_000
_SHOWN_CHARS = 200
LEVEL_WORDS = ("ผ่านดีเยี่ยม", "ผ่านดี", "ต้องปรับปรุงโดยด่วน", "ต้องปรับปรุง", "ผ่าน")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_OVERALL = re.compile(r"คะแนนภาพรวม|คะแนนรวม|ภาพรวม|คะแนน\s*ITA|^\s*ITA\s*$|rating\s*score", re.IGNORECASE)
_NUMBER_AFTER = re.compile(r"^(?:ตัวชี้วัดที่|ตัวชี้วัด|ind|indicator|ส่วนที่|ข้อ|ข้อที่|อันดับ|ลำดับ)$", re.IGNORECASE)
_SCORE_TOKEN = re.compile(r"(\d{1,3}(?:\.\d+)?)%?")
_LIST_NUMBER = re.compile(r"(\d{1,2})[.)]?")
FILLER_WORDS = (":", "=", "-", "–", "โดยรวม", "ได้", "คะแนน", "ที่ได้", "เท่ากับ", "ร้อยละ", "อยู่ที่")
_FILLER_LONGEST = max(map(len, FILLER_WORDS))
_THRESHOLD_AFTER = re.compile(r"^(?:คะแนน)?(?:ขึ้นไป|ลงมา)")
_THRESHOLD_BEFORE = ("กว่า", "ตั้งแต่", "เกิน")
_TOOL_WORDS = {"iit", "eit", "oit", "คะแนน"}
_MAX_LABEL_WORDS = 12
_NO_OVERALL = "พบหัวข้อคะแนนรวม แต่ไม่พบคะแนนในบรรทัดนี้หรือบรรทัดถัดไป"


@dataclass(frozen=True)
class PasteEntry:
    """One recognised value: kind is tool, indicator, item, overall or level (whose value is text)."""

    kind: str
    code: str | None
    value: Decimal | str
    line_number: int
    line: str


@dataclass(frozen=True)
class UnrecognisedLine:
    line_number: int
    text: str
    reason: str


@dataclass
class PasteResult:
    entries: list[PasteEntry] = field(default_factory=list)
    unrecognised: list[UnrecognisedLine] = field(default_factory=list)

    def values(self) -> dict[tuple[str, str | None], Decimal | str]:
        """{(kind, code): value}, e.g. {("indicator", "10"): Decimal("93.75"), ("level", None): "B"}."""
        return {(entry.kind, entry.code): entry.value for entry in self.entries}


def parse_pasted(text: str, indicator_names: Mapping[int, str] | None = None) -> PasteResult:
    """Recognise indicator, item, tool, overall and level values in pasted lines."""
    names = dict(indicator_names) if indicator_names else None
    result = PasteResult()
    seen: dict[tuple[str, str | None], PasteEntry] = {}
    # An overall label whose score is on the next line ("คะแนนภาพรวม… :" then "๙๙.๕๐ คะแนน").
    pending: UnrecognisedLine | None = None
    for number, raw in enumerate(split_lines(text), start=1):
        if number > MAX_LINES:
            reason = f"ข้อความที่วางยาวเกิน {format_number(MAX_LINES)} บรรทัด จึงไม่ได้อ่านบรรทัดนี้และบรรทัดที่เหลือ"
            result.unrecognised.append(UnrecognisedLine(number, _shown(raw), reason))
            break
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_CHARS:
            found, reason, label_only = [], _too_long(raw), False
            raw = _shown(raw)
        else:
            found, reason, label_only = _parse_line(raw, names, pending is not None)
        if pending and not any(kind == "overall" for kind, _, _ in found):
            result.unrecognised.append(pending)
        pending = UnrecognisedLine(number, raw, _NO_OVERALL) if label_only else None
        if not found and not label_only:
            result.unrecognised.append(UnrecognisedLine(number, raw, reason))
        for kind, code, value in found:
            _add(result, seen, PasteEntry(kind, code, value, number, raw))
    if pending:
        result.unrecognised.append(pending)
    return result


def split_lines(text: str) -> list[str]:
    """The pasted lines, split at any line ending (Windows, old Mac or Unix)."""
    return _LINE_BREAK.split(text)


def _shown(raw: str) -> str:
    return raw if len(raw) <= _SHOWN_CHARS else raw[:_SHOWN_CHARS] + "…"


def _too_long(raw: str) -> str:
    return (
        f"บรรทัดนี้ยาว {format_number(len(raw))} ตัวอักษร เกินที่อ่านได้ ({format_number(MAX_LINE_CHARS)} ตัวอักษร) "
        "กรุณาวางเฉพาะตารางคะแนนหรือแบ่งข้อความเป็นหลายบรรทัด"
    )


def _add(result: PasteResult, seen: dict, entry: PasteEntry) -> None:
    key = (entry.kind, entry.code)
    first = seen.get(key)
    if first is None:
        seen[key] = entry
        result.entries.append(entry)
    elif first.value != entry.value:
        reason = f"{_describe(entry)} = {entry.value} ขัดกับบรรทัดที่ {first.line_number} ซึ่งเป็น {first.value} (ใช้ค่าแรก)"
        result.unrecognised.append(UnrecognisedLine(entry.line_number, entry.line, reason))


def _describe(entry: PasteEntry) -> str:
    labels = {"indicator": "ตัวชี้วัดที่ ", "item": "ข้อ ", "tool": "", "overall": "คะแนนรวม", "level": "ระดับ"}
    code = (entry.code or "").upper() if entry.kind == "item" else entry.code or ""
    return labels[entry.kind] + code


Found = list[tuple[str, str | None, Decimal | str]]


def _normalise(raw: str) -> str:
    text = fold_sara_e(unicodedata.normalize("NFC", to_arabic_digits(raw)).replace("\u200b", ""))
    # Separate digits glued to Thai letters ("ร้อยละ๙๑.๔๗") and colons, so that tokens split cleanly.
    text = re.sub(r"(?<=[\u0e00-\u0e7f])(?=\d)|(?<=\d)(?=[\u0e00-\u0e7f])", " ", text)
    return space_colons(text)


def space_colons(text: str) -> str:
    """Each colon (ASCII or full-width) with the spaces around it becomes " : " (what \\s*:\\s* did, in one pass)."""
    parts = text.replace("：", ":").split(":")
    if len(parts) == 1:
        return text
    return " : ".join([parts[0].rstrip(), *(part.strip() for part in parts[1:-1]), parts[-1].lstrip()])


class LevelFound(NamedTuple):
    """Where a level phrase ("ระดับผลการประเมิน : B") starts and ends, and the level without spaces."""

    start: int
    end: int
    level: str


def find_level(text: str) -> LevelFound | None:
    """The first level phrase: "ระดับ", optionally "ผลการประเมิน" and "อยู่ที่/ในระดับ", a colon, then the level."""
    start = text.find("ระดับ")
    while start != -1:
        found = _level_at(text, start)
        if found:
            return found
        start = text.find("ระดับ", start + 1)
    return None


def _skip_spaces(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _level_at(text: str, start: int) -> LevelFound | None:
    # Each optional part is tried once, left to right: none of them can begin like what follows it,
    # so taking it whenever it is there finds what backtracking would, in one pass over the spaces.
    at = start + len("ระดับ")
    if text.startswith("ผลการประเมิน", at):
        at += len("ผลการประเมิน")
    at = _skip_spaces(text, at)
    for phrase in ("อยู่ที่ระดับ", "อยู่ในระดับ"):
        if text.startswith(phrase, at):
            at = _skip_spaces(text, at + len(phrase))
            break
    if text.startswith(":", at):
        at = _skip_spaces(text, at + 1)
    word = _level_word(text, at)
    return LevelFound(start, word[0], word[1]) if word else None


def _level_word(text: str, at: int) -> tuple[int, str] | None:
    """(end, level) of the level word at `at`, in the order the words used to be tried; no ASCII letter may follow."""

    def ends_here(end: int) -> bool:
        return end >= len(text) or not (text[end].isascii() and text[end].isalpha())

    for word in ("ผ่านดีเยี่ยม", "ผ่านดี"):
        if text.startswith(word, at) and ends_here(at + len(word)):
            return at + len(word), word
    if text.startswith("ต้องปรับปรุง", at):
        after = _skip_spaces(text, at + len("ต้องปรับปรุง"))
        if text.startswith("โดยด่วน", after) and ends_here(after + len("โดยด่วน")):
            return after + len("โดยด่วน"), "ต้องปรับปรุงโดยด่วน"
        if ends_here(at + len("ต้องปรับปรุง")):
            return at + len("ต้องปรับปรุง"), "ต้องปรับปรุง"
    for word in ("ผ่าน", "AA", *"ABCDEF"):
        if text.startswith(word, at) and ends_here(at + len(word)):
            return at + len(word), word
    return None


def _filler_start(text: str, *, spaces: bool) -> int:
    """Where the run of filler words (and spaces, if `spaces`) that ends the text begins; len(text) if none.

    Read from the end: a position is in the run when a space or a filler word there leads to a
    position in the run. No filler word is longer than _FILLER_LONGEST, so after that many positions
    outside the run nothing further left can join it, and the scan stops.
    """
    inside = [False] * len(text) + [True]
    start = len(text)
    for at in range(len(text) - 1, -1, -1):
        if at + _FILLER_LONGEST < start:
            break
        inside[at] = (spaces and text[at].isspace() and inside[at + 1]) or any(
            text.startswith(word, at) and inside[at + len(word)] for word in FILLER_WORDS
        )
        if inside[at]:
            start = at
    return start


def strip_trailing_filler(text: str) -> str:
    """The text without the spaces and filler words ("ได้", "คะแนน", ":" …) at its end."""
    return text[: _filler_start(text, spaces=True)]


def is_filler(token: str) -> bool:
    """True when the token is nothing but filler words ("ได้คะแนน", ":", "=")."""
    return bool(token) and _filler_start(token, spaces=False) == 0


def _parse_line(raw: str, names: dict[int, str] | None, pending_overall: bool) -> tuple[Found, str, bool]:
    """(values found, reason when none, whether the line is an overall label awaiting its score)."""
    text = _normalise(raw)
    found: Found = []
    level = find_level(text)
    if level:
        found.append(("level", None, level.level))
        text = text[: level.start] + " " + text[level.end :]
    elif text.strip() in LEVEL_WORDS:
        return [("level", None, text.strip())], "", False
    segments = _segments(text)
    reasons: list[str] = []
    for segment in segments:
        value, reason = _parse_segment(segment, names, pending_overall)
        pending_overall = False
        if value:
            found.append(value)
        elif reason:
            reasons.append(reason)
    if not found and _OVERALL.search(text) and not _score_tokens(text.split()):
        return [], "", True
    return found, (reasons[0] if reasons else "ไม่พบคะแนนในบรรทัดนี้"), False


def _segments(text: str) -> list[str]:
    """Prose can state several indicators in one line; each "ตัวชี้วัดที่" starts a new statement."""
    if text.count("ตัวชี้วัดที่") < 2:
        return [text]
    parts = re.split(r"(?=ตัวชี้วัดที่)", text)
    return [part for part in parts if part.strip()]


def _score_tokens(tokens: list[str]) -> list[int]:
    """Indexes of tokens that can be a score: 0–100, not a label number, not a threshold."""
    positions = []
    for index, token in enumerate(tokens):
        if not _SCORE_TOKEN.fullmatch(token):
            continue
        if index and _NUMBER_AFTER.match(tokens[index - 1]):
            continue
        after = "".join(tokens[index + 1 : index + 3])
        if _THRESHOLD_AFTER.match(after) or (index and tokens[index - 1].endswith(_THRESHOLD_BEFORE)):
            continue
        try:
            parse_score(token, places=2)
        except ThaiValueError:
            continue
        positions.append(index)
    return positions


def _parse_segment(
    text: str, names: dict[int, str] | None, pending_overall: bool
) -> tuple[tuple[str, str | None, Decimal] | None, str]:
    tokens = text.split()
    scores = _score_tokens(tokens)
    leading = _leading_numbers(tokens)
    # Leading small integers are ranks or indicator numbers, unless the line is nothing but them.
    candidates = [i for i in scores if i >= leading] or scores[-1:]
    if not candidates:
        return None, "ไม่พบคะแนนในบรรทัดนี้"
    position = candidates[0]
    score = parse_score(tokens[position].rstrip("%"), places=2)
    label = tokens[:position]
    if not label and pending_overall:
        return ("overall", None, score), ""
    target, reason = _label_target(label, names)
    return ((*target, score), "") if target else (None, reason)


def _leading_numbers(tokens: list[str]) -> int:
    """How many tokens at the start (after any tool name) are list numbers, ranks or indicator numbers."""
    index = 0
    while index < len(tokens) and tokens[index].lower() in _TOOL_WORDS:
        index += 1
    while index < len(tokens) and _LIST_NUMBER.fullmatch(tokens[index]) and int(tokens[index].rstrip(".)")) <= 10:
        index += 1
    return index


def _label_target(label: list[str], names: dict[int, str] | None) -> tuple[tuple[str, str | None] | None, str]:
    """What the words before a score name: an item, a tool, the overall score or an indicator."""
    if not label:
        return None, "ไม่รู้ว่าเป็นคะแนนของอะไร (ไม่มีชื่อหรือหมายเลขตัวชี้วัดก่อนคะแนน)"
    item = _item_code(label)
    if item:
        return item
    joined = " ".join(label)
    tool = HEADER_ALIASES.get(normalize_header(joined))
    if tool and tool.kind == "tool":
        return ("tool", tool.code), ""
    if _OVERALL.search(" ".join(label[-8:])) or _only_score_obtained(label):
        return ("overall", None), ""
    return _indicator_target(label, names)


def _only_score_obtained(label: list[str]) -> bool:
    """True for "คะแนนที่ได้" with nothing but filler words (":", "คะแนน" …) around it."""
    return all(is_filler(token) for token in label) and any(word in "".join(label) for word in SCORE_OBTAINED)


def _item_code(label: list[str]) -> tuple[tuple[str, str] | None, str] | None:
    """An item code in the label; its score must follow it directly, else the number is something else."""
    for index, token in enumerate(label):
        after_kho = index > 0 and label[index - 1] in ("ข้อ", "ข้อที่")
        looks_like_code = token[:1] in "iIeEoO○◯" or (after_kho and token[:1] == "0")
        if looks_like_code and is_item_code(token):
            code = normalize_item_code(token)
            if all(is_filler(rest) for rest in label[index + 1 :]):
                return ("item", code), ""
            return None, f"มีรหัสข้อ {code.upper()} แต่ตัวเลขที่ตามมาไม่ได้อยู่ติดกับรหัส จึงไม่แน่ใจว่าเป็นคะแนน"
    return None


def _indicator_target(label: list[str], names: dict[int, str] | None) -> tuple[tuple[str, str] | None, str]:
    numbers: list[int] = []
    words: list[str] = []
    for index, token in enumerate(label):
        explicit = index > 0 and _NUMBER_AFTER.match(label[index - 1])
        if _LIST_NUMBER.fullmatch(token) and (explicit or not words):
            numbers.append(int(token.rstrip(".)")))
        elif not (_NUMBER_AFTER.match(token) or is_filler(token) or token.lower() in _TOOL_WORDS):
            words.append(token)
    if words:
        if len(words) > _MAX_LABEL_WORDS:
            return None, "ข้อความยาวเกินกว่าจะเป็นชื่อตัวชี้วัด"
        named = match_indicator_name(strip_trailing_filler(" ".join(words)), names)
        if named is None:
            return None, f"ไม่รู้จัก '{' '.join(words)[:60]}' (ไม่ใช่ชื่อตัวชี้วัด รหัสข้อ หรือเครื่องมือ)"
        return ("indicator", str(named)), ""
    if numbers and 1 <= numbers[-1] <= 10:
        return ("indicator", str(numbers[-1])), ""
    return None, "ไม่รู้ว่าเป็นคะแนนของอะไร"
