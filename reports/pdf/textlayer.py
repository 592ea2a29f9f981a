"""A text-layer fix for Thai: one character code per (glyph, text) pair.

WeasyPrint 70 writes one ToUnicode entry per glyph, so a glyph that stands for different text in
different places (the า glyph drawn for both า and ำ) extracts wrongly everywhere but its first
use. We give every distinct (glyph, text) pair its own character code and map codes to glyphs
with an Encoding CMap. Importing this module installs the fix (reports.pdf.render does).
"""

from __future__ import annotations

import logging
from typing import Any

import pydyf
import weasyprint.draw.text as wp_draw_text
import weasyprint.pdf.fonts as wp_pdf_fonts
import weasyprint.pdf.stream as wp_pdf_stream
from weasyprint.text.ffi import ffi, pango

logger = logging.getLogger(__name__)

#
# WeasyPrint writes glyph ids as character codes (Identity-H) and records, for each glyph id,
# the text of the cluster where it was *first* drawn. Thai fonts reuse glyphs: Sarabun draws
# ำ as nikhahit + the า glyph, so after "ตำบล" every า extracts as ำ ("แม่สำย"). The fix keeps
# the glyph id as the code for a glyph's first text and gives every other text of the same
# glyph a new code above the font's glyph count; an Encoding CMap maps codes back to glyphs,
# and the ToUnicode CMap (keyed by code) then says exactly what was written. WeasyPrint
# already uses codes above the glyph count for missing glyphs; we share that allocator.
#
# Upstream, this would be a ``Font.code_for(glyph_id, text)`` call in ``draw_first_line``.
# From outside, we swap the glyph ids in the Pango line that ``draw_first_line`` is about to
# draw (restored afterwards), and build the Encoding CMap after WeasyPrint's font dictionary.

_MAX_CODE = 0xFFFF


class _AliasWidths(dict):
    """Glyph widths in which an extra code reads the width of the glyph it stands for.

    Keeps W keyed by real glyph ids (CIDs) and WeasyPrint's kerning maths unchanged. A glyph's
    own code is always drawn (and measured) before any extra code for it, see ``code_for``.
    """

    def __init__(self, aliases: dict[int, int]) -> None:
        super().__init__()
        self.aliases = aliases

    def __contains__(self, code: object) -> bool:
        return super().__contains__(self.aliases.get(code, code))  # type: ignore[call-overload]

    def __getitem__(self, code: int) -> float:
        return super().__getitem__(self.aliases.get(code, code))

    def __setitem__(self, code: int, width: float) -> None:
        if code not in self.aliases:
            super().__setitem__(code, width)


class _ClusterFont(wp_pdf_fonts.Font):
    """A WeasyPrint font whose character codes are per (glyph, text) instead of per glyph."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code_to_glyph: dict[int, int] = {}  # extra codes only; other codes are glyph ids
        self._codes: dict[tuple[int, str], int] = {}
        self._first_text: dict[int, str] = {}
        self._next_code = self.glyph_count
        self.widths = _AliasWidths(self.code_to_glyph)

    def _allocate(self) -> int | None:
        if self._next_code > _MAX_CODE:
            return None
        code, self._next_code = self._next_code, self._next_code + 1
        return code

    def code_for(self, glyph_id: int, text: str) -> int:
        """The code to draw ``glyph_id`` standing for ``text``; the glyph id for its first text.

        Also records the code's text, so WeasyPrint (which maps only unmapped codes) keeps it.
        """
        if self._first_text.setdefault(glyph_id, text) == text:
            self.to_unicode.setdefault(glyph_id, text)
            return glyph_id
        key = (glyph_id, text)
        if key not in self._codes:
            code = self._allocate()
            if code is None:
                logger.warning("Out of character codes in %s; text extraction may be wrong", self.family)
                return glyph_id
            self._codes[key] = code
            self.code_to_glyph[code] = glyph_id
            self.to_unicode[code] = text
        return self._codes[key]

    def get_unused_glyph_id(self, codepoint: int) -> int:
        # Same role as WeasyPrint's, from the shared allocator; these codes draw .notdef (glyph 0).
        if codepoint not in self.missing:
            self.missing[codepoint] = self._allocate() or _MAX_CODE
        return self.missing[codepoint]


def _glyph_texts(glyph_item: Any, utf8: bytes) -> list[str]:
    """The text each glyph of a run stands for.

    Like WeasyPrint, a glyph gets the bytes from its cluster start to the next glyph's, so the
    last glyph of a cluster carries the whole cluster. Then, left to right, the text of a
    zero-advance mark moves onto the spacing glyph before it: "นี่" is written on น. Text
    extractors that read by position (poppler's default mode) otherwise swap marks drawn at
    almost the same x (ี and ่) or put a mark raised with a text rise on a line of its own.
    """
    item, glyphs = glyph_item.item, glyph_item.glyphs
    clusters, count = glyphs.log_clusters, glyphs.num_glyphs
    texts = []
    for index in range(count):
        start = clusters[index]
        if item.analysis.level % 2:  # right-to-left: clusters run backwards
            end = item.length if index == 0 else clusters[index - 1]
        else:
            end = item.length if index == count - 1 else clusters[index + 1]
        texts.append(utf8[item.offset + start : item.offset + end].decode().replace("\u200b", ""))
    if item.analysis.level % 2:
        return texts
    base = None
    for index in range(count):
        if glyphs.glyphs[index].geometry.width:
            base = index
        elif base is not None and texts[index]:
            texts[base], texts[index] = texts[base] + texts[index], ""
    return texts


def _assign_codes(stream: Any, layout: Any, line: Any) -> list[tuple[Any, int]]:
    """Replace glyph ids in ``line`` by per-(glyph, text) codes; return what to restore."""
    changed: list[tuple[Any, int]] = []
    utf8 = layout.text.encode()
    node = line.runs
    while node != ffi.NULL:
        glyph_item, node = node.data, node.next
        font, _size = stream.add_font(glyph_item.item.analysis.font)
        if not isinstance(font, _ClusterFont) or font.bitmap:
            continue
        infos = glyph_item.glyphs.glyphs
        for index, text in enumerate(_glyph_texts(glyph_item, utf8)):
            info = infos[index]
            glyph_id = info.glyph
            if glyph_id == pango.PANGO_GLYPH_EMPTY or glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                continue
            code = font.code_for(glyph_id, text)
            if code != glyph_id:
                changed.append((info, glyph_id))
                info.glyph = code
    return changed


# Keep WeasyPrint's originals on its own modules so that re-importing this module never wraps
# the wrappers.
_original_draw_first_line = vars(wp_draw_text).setdefault("_ita_original", wp_draw_text.draw_first_line)
_original_vector_font_dictionary = vars(wp_pdf_fonts).setdefault(
    "_ita_original", wp_pdf_fonts._build_vector_font_dictionary
)


def _draw_first_line(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's ``draw_first_line``, drawing per-(glyph, text) codes instead of glyph ids."""
    layout = textbox.pango_layout
    changed: list[tuple[Any, int]] = []

    def get_first_line() -> tuple[Any, Any]:
        # Called after any ellipsis rewrite, on the exact line about to be drawn. A rewrite
        # (set_text) frees earlier lines, so only the latest line's glyphs may be restored.
        line, index = type(layout).get_first_line(layout)
        changed[:] = _assign_codes(stream, layout, line)
        return line, index

    layout.get_first_line = get_first_line
    try:
        return _original_draw_first_line(stream, textbox, *args, **kwargs)
    finally:
        del layout.get_first_line
        for info, glyph_id in changed:
            info.glyph = glyph_id


def _encoding_cmap(pdf: Any, font: _ClusterFont, compress: bool) -> pydyf.Stream:
    """An Encoding CMap (code → CID, CID = glyph id) for every code drawn with ``font``."""
    system_info = {"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"), "Supplement": 0}
    extra = pydyf.Dictionary(
        {"Type": "/CMap", "CMapName": "/ITA-Cluster-Codes", "CIDSystemInfo": pydyf.Dictionary(system_info)}
    )
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo 3 dict dup begin /Registry (Adobe) def /Ordering (Identity) def /Supplement 0 def end def",
        b"/CMapName /ITA-Cluster-Codes def",
        b"/CMapType 1 def",
        b"1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    notdef = set(font.missing.values())
    glyph_of = {code: 0 if code in notdef else font.code_to_glyph.get(code, code) for code in sorted(font.to_unicode)}
    codes = list(glyph_of)
    for start in range(0, len(codes), 100):  # CMap syntax allows at most 100 entries per block
        batch = codes[start : start + 100]
        lines.append(f"{len(batch)} begincidchar".encode())
        lines.extend(f"<{code:04x}> {glyph_of[code]}".encode() for code in batch)
        lines.append(b"endcidchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    cmap = pydyf.Stream(lines, extra, compress=compress)
    pdf.add_object(cmap)
    return cmap


def _vector_font_dictionary(
    font_dictionary: Any, pdf: Any, font: Any, widths: Any, compress: bool, reference: Any, pdf_version: Any
) -> None:
    """WeasyPrint's vector font dictionary, with our Encoding CMap when extra codes were drawn."""
    arguments = (font_dictionary, pdf, font, widths, compress, reference, pdf_version)
    if not isinstance(font, _ClusterFont) or not font.code_to_glyph:
        _original_vector_font_dictionary(*arguments)
        return
    # Hide missing glyphs so WeasyPrint does not write its own (now redundant) Encoding CMap.
    missing, font.missing = font.missing, {}
    try:
        _original_vector_font_dictionary(*arguments)
    finally:
        font.missing = missing
    font_dictionary["Encoding"] = _encoding_cmap(pdf, font, compress).reference


def _install_text_layer_fix() -> None:
    """Route WeasyPrint's text drawing and font embedding through the functions above (idempotent)."""
    wp_pdf_stream.Font = _ClusterFont
    wp_draw_text.draw_first_line = _draw_first_line
    wp_pdf_fonts._build_vector_font_dictionary = _vector_font_dictionary


_install_text_layer_fix()
