"""Thai line breaking between words only: the HTML is pre-segmented before WeasyPrint lays it out.

Pango finds Thai line-break opportunities with libthai's dictionary, which splits many words
the documents use all the time (ตัวชี้|วัด, หน่วย|งาน, ผู้|รับบริการ, เว็บ|ไซต์). We segment every run
of Thai letters with pythainlp (newmm, its dictionary plus the domain words below) and, for each
word inside which Pango would allow a break, wrap the word in a no-wrap span with a zero-width
space on either side: the line can then break before or after the word, never inside it. Words
Pango already keeps whole are left alone, so a document gains only a few hundred spans.

Only text between tags is touched, never a tag, an attribute, a comment or the contents of
<style>, <script>, <title> or <textarea>. The templates escape all user text, so a Thai run never
contains markup. The dictionary holds words of at most ``MAX_WORD`` letters, and a longer unknown
sequence is left breakable: in a narrow table column a no-wrap word wider than the column would
run over its border.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import dict_trie
from weasyprint.text.line_break import get_log_attrs

# Words of the ITA documents that pythainlp's dictionary splits, or that libthai splits and newmm
# would only keep whole by chance. A compound here is kept on one line.
DOMAIN_WORDS = (
    "ตัวชี้วัด",
    "หน่วยงาน",
    "ผู้รับบริการ",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ผู้บริหาร",
    "ผู้รับผิดชอบ",
    "ผู้ประกอบการ",
    "เว็บไซต์",
    "ข้อคำถาม",
    "คุณธรรม",
    "ความโปร่งใส",
    "การประเมิน",
    "ปีงบประมาณ",
    "งบประมาณ",
    "จัดซื้อจัดจ้าง",
    "ทุจริต",
    "ประพฤติมิชอบ",
    "เทศบาลตำบล",
    "เทศบาลเมือง",
    "เทศบาลนคร",
    "สำนักปลัด",
    "กองคลัง",
    "กองช่าง",
    "กองการศึกษา",
    "ประชาสัมพันธ์",
    "อิเล็กทรอนิกส์",
    "ออนไลน์",
    "สารสนเทศ",
    "แผนภูมิ",
    "ไตรมาส",
)
MAX_WORD = 16
MAX_RUN = 2000  # letters per tokenizer call: newmm's cost stays linear in the text

_SKIPPED = ("style", "script", "title", "textarea")
# A tag, a comment, or the whole of an element whose text is not laid out as prose.
_MARKUP = re.compile(
    r"<!--.*?-->|<(?P<skip>style|script|title|textarea)\b[^>]*>.*?</(?P=skip)\s*>|<[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
# "พ.ศ. ๒๕๖๗", "ม.ค. ๖๗", "ก.ย. 67": an abbreviation and the number after it stay on one line.
# (A no-break space is not enough: Pango's Thai breaker allows a break after it, before a digit.)
_ABBREVIATED_NUMBER = re.compile(r"(?:[\u0e01-\u0e4e]{1,4}\.){1,3}[ \u00a0][0-9\u0e50-\u0e59]+")
_NOWRAP = '<span style="white-space: nowrap">{}</span>'


@functools.cache
def _dictionary():
    # Entries longer than MAX_WORD (names of agencies, long compounds) are left out, so such a
    # phrase is cut into its words and may break between them.
    return dict_trie({word for word in thai_words() if len(word) <= MAX_WORD} | set(DOMAIN_WORDS))


def words(run: str) -> list[str]:
    """A run of Thai letters cut into dictionary words (pythainlp newmm with the domain words)."""
    pieces: list[str] = []
    for start in range(0, len(run), MAX_RUN):
        pieces.extend(word_tokenize(run[start : start + MAX_RUN], engine="newmm", custom_dict=_dictionary()))
    return pieces


def _pango_breaks(text: str) -> set[int]:
    """Offsets (in characters) at which Pango would allow a line break in ``text``."""
    attributes = get_log_attrs(text, "th")
    return {index for index in range(1, len(text)) if attributes[index].is_line_break}


def _segment_run(run: str) -> str:
    breaks = _pango_breaks(run)
    out: list[str] = []
    offset = 0
    for word in words(run):
        end = offset + len(word)
        if 1 < len(word) <= MAX_WORD and any(offset < at < end for at in breaks):
            out.append("\u200b" + _NOWRAP.format(word) + "\u200b")
        else:
            out.append(word)
        offset = end
    return "".join(out)


def _segment_words(text: str) -> str:
    return _THAI_RUN.sub(lambda match: _segment_run(match.group()), text)


def _segment_text(text: str) -> str:
    out, position = [], 0
    for match in _ABBREVIATED_NUMBER.finditer(text):
        out += [_segment_words(text[position : match.start()]), _NOWRAP.format(match.group())]
        position = match.end()
    out.append(_segment_words(text[position:]))
    return "".join(out)


def _pieces(html: str) -> Iterable[str]:
    position = 0
    for match in _MARKUP.finditer(html):
        if match.start() > position:
            yield _segment_text(html[position : match.start()])
        yield match.group()
        position = match.end()
    if position < len(html):
        yield _segment_text(html[position:])


def segment_html(html: str) -> str:
    """``html`` with every Thai word that Pango would split kept whole, and every abbreviation with its number."""
    head_end = html.lower().find("<body")
    if head_end < 0:
        return "".join(_pieces(html))
    return html[:head_end] + "".join(_pieces(html[head_end:]))
