"""Thai line breaking between words only: Pango is told which words it must not break.

Pango finds Thai line-break opportunities with libthai's dictionary, which splits many words
the documents use all the time (ตัวชี้|วัด, หน่วย|งาน, ผู้|รับบริการ, เว็บ|ไซต์). We cut every run of
Thai letters into words with pythainlp (newmm, its dictionary plus the domain words below) and,
for each word inside which Pango would allow a break, give Pango an ``allow_breaks = FALSE``
attribute over the word: the line can then break before or after it, never inside. An
abbreviation and the number after it ("มี.ค. ๖๗", "พ.ศ. ๒๕๖๗") are kept together the same way.

The text itself is not changed (no zero-width spaces, no extra HTML), so WeasyPrint's layout
costs what it costs for the same HTML, and what readers extract is exactly what was written.
Upstream, this would be an option of WeasyPrint's ``Layout.set_text``; from outside we wrap it.
Importing this module installs the hook (reports.pdf.render does); ``disabled()`` turns it off.
"""

from __future__ import annotations

import functools
import re

import weasyprint.text.line_break as wp_line_break
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import dict_trie
from weasyprint.text.ffi import ffi, pango
from weasyprint.text.line_break import get_log_attrs

from reports.pdf.switch import Switch

# Since Pango 1.44; WeasyPrint's bindings do not declare it.
ffi.cdef("PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);")

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
# The dictionary holds words of at most MAX_WORD letters: a longer entry (an agency's name, a long
# compound) is cut into its words and may break between them. In a narrow table column a kept
# word wider than the column would run over its border.
MAX_WORD = 16
MAX_RUN = 2000  # letters per tokenizer call: newmm's cost stays linear in the text

_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
# "พ.ศ. ๒๕๖๗", "มี.ค. ๖๗", "ก.ย. 67": an abbreviation and the number after it stay on one line.
_ABBREVIATED_NUMBER = re.compile(r"(?:[\u0e01-\u0e4e]{1,4}\.){1,3}[ \u00a0][0-9\u0e50-\u0e59]+")


@functools.cache
def _dictionary():
    return dict_trie({word for word in thai_words() if len(word) <= MAX_WORD} | set(DOMAIN_WORDS))


def words(run: str) -> list[str]:
    """A run of Thai letters cut into dictionary words (pythainlp newmm with the domain words)."""
    pieces: list[str] = []
    for start in range(0, len(run), MAX_RUN):
        pieces.extend(word_tokenize(run[start : start + MAX_RUN], engine="newmm", custom_dict=_dictionary()))
    return pieces


@functools.lru_cache(maxsize=4096)
def _kept_in_run(run: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets, in the run, of the words inside which Pango would break a line."""
    attributes = get_log_attrs(run, "th")
    breaks = {index for index in range(1, len(run)) if attributes[index].is_line_break}
    kept, offset = [], 0
    for word in words(run):
        end = offset + len(word)
        if 1 < len(word) <= MAX_WORD and any(offset < at < end for at in breaks):
            kept.append((offset, end))
        offset = end
    return tuple(kept)


def unbreakable_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets in ``text`` that must stay on one line."""
    spans = [match.span() for match in _ABBREVIATED_NUMBER.finditer(text)]
    for match in _THAI_RUN.finditer(text):
        spans.extend((match.start() + start, match.start() + end) for start, end in _kept_in_run(match.group()))
    return spans


@functools.lru_cache(maxsize=4096)
def _byte_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``unbreakable_spans`` as UTF-8 byte offsets (Pango counts bytes); WeasyPrint sets a text many times."""
    spans = unbreakable_spans(text)
    return tuple(_byte_offsets(text, spans)) if spans else ()


def _byte_offsets(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans as UTF-8 byte offsets."""
    positions = sorted({at for span in spans for at in span})
    to_byte, done, count = {}, 0, 0
    for at in positions:
        count += len(text[done:at].encode())
        to_byte[at], done = count, at
    return [(to_byte[start], to_byte[end]) for start, end in spans]


_ALL = 0xFFFFFFFF  # PANGO_ATTR_INDEX_TO_TEXT_END


_state = Switch()
_original_set_text = vars(wp_line_break.Layout).get("_ita_original_set_text", wp_line_break.Layout.set_text)


def _set_text(self, text: str, justify: bool = False) -> None:
    """WeasyPrint's ``Layout.set_text``, then an allow-breaks-false attribute over each kept span."""
    _original_set_text(self, text, justify)
    if not _state.enabled or not self.text:
        return
    spans = _byte_spans(self.text)
    if not spans and not getattr(self, "_ita_kept", False):
        return  # nothing to keep now, nothing kept from an earlier text
    self._ita_kept = bool(spans)
    attributes = pango.pango_layout_get_attributes(self.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    # The layout keeps its attribute list from one set_text to the next (WeasyPrint lays out a
    # paragraph's rest again after each line): first allow breaks everywhere, which replaces the
    # spans of the previous text, then forbid them in this text's spans.
    everywhere = pango.pango_attr_allow_breaks_new(True)
    everywhere.start_index, everywhere.end_index = 0, _ALL
    pango.pango_attr_list_change(attributes, everywhere)
    for start, end in spans:
        attribute = pango.pango_attr_allow_breaks_new(False)
        attribute.start_index, attribute.end_index = start, end
        pango.pango_attr_list_change(attributes, attribute)
    pango.pango_layout_set_attributes(self.layout, attributes)


disabled = _state.disabled


def _install() -> None:
    """Route WeasyPrint's ``Layout.set_text`` through ``_set_text`` (idempotent)."""
    wp_line_break.Layout._ita_original_set_text = _original_set_text
    wp_line_break.Layout.set_text = _set_text


_install()
