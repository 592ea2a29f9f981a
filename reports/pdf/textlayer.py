"""A Thai text layer that every PDF reader reads back: each glyph's ToUnicode is its own text.

WeasyPrint 70 draws glyph ids as character codes (Identity-H) and gives each glyph id the text
of the cluster where it was *first* drawn; a glyph that is not the last of its cluster gets an
empty text. Both break Thai (docs: /work/shared/docs/PDF-TEXT.md): "แม่สำย" after "ตำบล", and
readers that treat an empty entry as missing print the glyph id (U+02xx). This module keeps
stock WeasyPrint drawing and changes two things, installed when it is imported:

1. ``font.to_unicode`` becomes a :class:`CanonicalToUnicode`: when WeasyPrint records the text
   of a glyph (it does so only for glyphs not yet mapped), the glyph's *canonical* text is
   stored instead, derived from the font itself by :func:`canonical_texts` (the cmap reversed,
   closed over the font's GSUB). Only glyphs the font cannot spell keep the drawn text.
2. A line in which some cluster's glyph texts do not concatenate to the cluster's text is
   wrapped in ``/Span << /ActualText … >> BDC … EMC`` (honoured by poppler, PDFium and MuPDF,
   not by pdf.js, pdfminer.six or pypdf). With the bundled ITA Sarabun (scripts/build_fonts.py
   joins the split SARA AM back into one glyph) that does not happen for Thai text.

Upstream, (1) would be a ``Font.glyph_text(glyph_id)`` consulted before the drawn text, and (2)
an option of ``draw_first_line``. Written for WeasyPrint 70.0 only: importing it under another
version raises (see ``WEASYPRINT_VERSION``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pydyf
import weasyprint
import weasyprint.draw.text as wp_draw_text
import weasyprint.pdf.fonts as wp_pdf_fonts
import weasyprint.pdf.stream as wp_pdf_stream
from fontTools.ttLib import TTFont
from weasyprint.text.ffi import ffi, pango

from reports.pdf.switch import Switch

logger = logging.getLogger(__name__)

# The hooks below rely on WeasyPrint 70.0 internals: ``Font.to_unicode`` (filled in
# ``draw_first_line`` only for unmapped glyphs, its keys also choose the subset), ``Stream.Font``
# and ``draw_first_line(stream, textbox, …)``. On another version re-verify those three, then
# re-run tests/reports/test_text_layer.py (every reader) before changing this pin.
WEASYPRINT_VERSION = "70.0"
if weasyprint.__version__ != WEASYPRINT_VERSION:
    raise ImportError(
        f"reports.pdf.textlayer was written for WeasyPrint {WEASYPRINT_VERSION}, found {weasyprint.__version__}: "
        "re-verify Font.to_unicode, pdf.stream.Font and draw.text.draw_first_line, then the text-layer tests."
    )

# HarfBuzz shapes SARA AM (ำ) as NIKHAHIT + SARA AA, with the nikhahit moved before any tone
# mark; a ligature of those parts spells the tone marks then ำ again.
_SPLIT_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]*)\u0e32")


def _join_sara_am(text: str) -> str:
    return _SPLIT_SARA_AM.sub(lambda match: match.group(1) + "\u0e33", text)


def _subtables(lookup: Any) -> Iterator[tuple[int, Any]]:
    for subtable in lookup.SubTable:
        if lookup.LookupType == 7:  # extension: the real subtable is wrapped
            yield subtable.ExtensionLookupType, subtable.ExtSubTable
        else:
            yield lookup.LookupType, subtable


def _font_texts(font: TTFont) -> dict[str, str]:
    """Glyph name → text: the cmap reversed, then closed over every GSUB lookup.

    A single or alternate substitute takes its source's text, a ligature the concatenation of
    its components' texts; a glyph keeps the first text found (cmap first, lowest code point
    first), so no substitution overrides what the cmap says.
    """
    texts: dict[str, str] = {}
    for codepoint, name in sorted(font.getBestCmap().items()):
        texts.setdefault(name, chr(codepoint))
    if "GSUB" not in font:
        return texts
    rules: list[tuple[tuple[str, ...], str]] = []
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for kind, subtable in _subtables(lookup):
            if kind == 1:
                rules.extend(((source,), target) for source, target in subtable.mapping.items())
            elif kind == 3:
                rules.extend(
                    ((source,), target) for source, targets in subtable.alternates.items() for target in targets
                )
            elif kind == 4:
                for first, ligatures in subtable.ligatures.items():
                    rules.extend(((first, *ligature.Component), ligature.LigGlyph) for ligature in ligatures)
    changed = True
    while changed:  # to a fixed point: substitutes of substitutes
        changed = False
        for sources, target in rules:
            if target not in texts and all(source in texts for source in sources):
                texts[target] = _join_sara_am("".join(texts[source] for source in sources))
                changed = True
    return texts


class FontText:
    """What the text layer knows about one font file: each glyph's text, each mark's PDF width."""

    def __init__(self, file_content: bytes, index: int = 0) -> None:
        font = TTFont(io.BytesIO(file_content), fontNumber=index, lazy=True)
        order = {name: glyph_id for glyph_id, name in enumerate(font.getGlyphOrder())}
        #: glyph id → canonical text (see ``_font_texts``); never an empty string.
        self.texts = {order[name]: text for name, text in _font_texts(font).items() if text and name in order}
        #: glyph id → width (1/1000 em) to declare in the PDF for zero-advance marks, see ``MarkWidths``.
        self.mark_widths: dict[int, int] = {}
        if "glyf" in font:
            glyf, hmtx, upem = font["glyf"], font["hmtx"], font["head"].unitsPerEm
            for name, glyph_id in order.items():
                if hmtx[name][0] == 0:
                    glyph = glyf[name]
                    glyph.recalcBounds(glyf)
                    ink = getattr(glyph, "xMax", 0) - getattr(glyph, "xMin", 0)
                    self.mark_widths[glyph_id] = max(1, round(ink * 1000 / upem / 3))


_cache: dict[bytes, FontText] = {}


def font_text(file_content: bytes, index: int = 0) -> FontText:
    """The ``FontText`` of a font file, computed once per file content."""
    key = hashlib.sha256(file_content).digest() + index.to_bytes(4, "big")
    if key not in _cache:
        _cache[key] = FontText(file_content, index)
    return _cache[key]


class CanonicalToUnicode(dict):
    """``Font.to_unicode`` that stores a glyph's own text instead of the text it was drawn for.

    WeasyPrint writes ``to_unicode[glyph] = drawn_text`` the first time it draws a glyph; the
    keys are also the glyphs kept in the font subset, so only drawn glyphs are ever stored.
    """

    def __init__(self, texts: dict[int, str]) -> None:
        super().__init__()
        self.texts = texts

    def __setitem__(self, glyph_id: int, drawn: str) -> None:
        super().__setitem__(glyph_id, self.texts.get(glyph_id) or drawn)


class MarkWidths(dict):
    """``Font.widths`` that declares a zero-advance mark as wide as its ink in the PDF.

    WeasyPrint writes these widths in the font's W array and moves the pen back by the
    difference with Pango's advance (a TJ adjustment), so nothing moves on the page. Readers
    that group characters by their boxes (pdfminer.six) otherwise see a mark shifted by GPOS
    as a zero-width box apart from its neighbours and break the line there.
    """

    def __init__(self, mark_widths: dict[int, int]) -> None:
        # Known before any glyph is drawn: WeasyPrint measures a glyph it has no width for and
        # computes that first TJ adjustment from what it measured (0 for a mark), not from what
        # this dict stores, so a mark drawn for the first time would push the rest of its line.
        super().__init__(mark_widths)
        self.mark_widths = mark_widths

    def __setitem__(self, glyph_id: int, width: float) -> None:
        super().__setitem__(glyph_id, self.mark_widths.get(glyph_id, width) if width == 0 else width)


class _Font(wp_pdf_fonts.Font):
    """WeasyPrint's font, with a canonical ``to_unicode`` and mark widths for vector fonts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.bitmap and _state.enabled:
            known = font_text(self.file_content, self.index)
            self.to_unicode = CanonicalToUnicode(known.texts)
            self.widths = MarkWidths(known.mark_widths)


# Thai vowels and tone marks drawn above or below a letter: zero-advance glyphs in Sarabun.
_THAI_MARK = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _visible(text: str) -> str:
    """``text`` without invisible format characters (zero-width space, word joiner, soft hyphen...).

    They mark where a line may break and draw nothing, so a reader must not get them back.
    """
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def _mismatched_clusters(stream: Any, layout: Any, line: Any) -> list[str]:
    """Clusters of ``line`` that some reader would not spell right from the glyphs alone.

    Those whose glyphs' mapped texts do not spell the cluster's text, and those with a
    zero-advance mark (ที่, ผู้, ซึ่ง): readers that order characters by position (PDFium
    always, poppler in its layout mode) put marks drawn at almost the same x in either order,
    or on a line of their own when WeasyPrint raised them with a text rise.
    """
    utf8 = layout.text.encode()
    wrong = []
    node = line.runs
    while node != ffi.NULL:
        glyph_item, node = node.data, node.next
        font, _size = stream.add_font(glyph_item.item.analysis.font)
        texts = font.to_unicode.texts if isinstance(font.to_unicode, CanonicalToUnicode) else None
        if texts is None or glyph_item.item.analysis.level % 2:
            continue  # bitmap fonts and right-to-left runs: WeasyPrint's own mapping
        glyphs, count, offset = glyph_item.glyphs, glyph_item.glyphs.num_glyphs, glyph_item.item.offset
        clusters = glyphs.log_clusters
        start = 0
        while start < count:
            end = start + 1
            while end < count and clusters[end] == clusters[start]:
                end += 1
            stop = glyph_item.item.length if end == count else clusters[end]
            text = _visible(utf8[offset + clusters[start] : offset + stop].decode(errors="replace"))
            if not text:
                start = end
                continue  # an invisible character: nothing drawn, nothing to read
            spelled = []
            for info in glyphs.glyphs[start:end]:
                glyph_id = info.glyph
                if info.geometry.width == 0:
                    spelled.append(None)
                    break
                if glyph_id == pango.PANGO_GLYPH_EMPTY:
                    continue
                spelled.append(None if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG else texts.get(glyph_id))
            if None in spelled or "".join(spelled) not in (text, text.strip()):
                wrong.append(text)
            start = end
    return wrong


_state = Switch()

# WeasyPrint's originals are kept on its own modules, so re-importing this module never wraps
# the wrappers.
_original_draw_first_line = vars(wp_draw_text).setdefault("_ita_original", wp_draw_text.draw_first_line)
_original_font = vars(wp_pdf_stream).setdefault("_ita_original_font", wp_pdf_stream.Font)


_TRAILING_ADJUSTMENT = re.compile(r"(?<=>)(-?[0-9.]+)$")


class _CarriedAdjustments:
    """Moves the number that ends a TJ array to the start of the next one, within one line.

    ``MarkWidths`` makes WeasyPrint follow a mark with a positive TJ adjustment. WeasyPrint ends
    its TJ array before a glyph it raises or lowers with a text rise (Ts), so that adjustment can
    be the last element of an array, and PDFium (Chrome, Edge) ignores a number at the end of a
    TJ array: the rest of the line would be drawn a mark's width too far right. Carried over, the
    same number opens the next array, where every reader applies it. A font change (Tf) in
    between flushes it first, since the number is in units of the font size.
    """

    def __init__(self, stream: Any) -> None:
        self.stream, self.pending = stream, ""
        self.show_text, self.set_font_size = stream.show_text, stream.set_font_size

    def carried_show_text(self, text: Any) -> None:
        text = self.pending + (text.decode() if isinstance(text, bytes) else str(text))
        match = _TRAILING_ADJUSTMENT.search(text)
        self.pending = ""
        if match:
            text, self.pending = text[: match.start()], match.group() + " "
        self.show_text(text)

    def flushing_set_font_size(self, *args: Any) -> None:
        self.flush()
        self.set_font_size(*args)

    def flush(self) -> None:
        if self.pending:
            self.show_text("<>" + self.pending.strip())
            self.pending = ""

    def __enter__(self) -> _CarriedAdjustments:
        self.stream.show_text, self.stream.set_font_size = self.carried_show_text, self.flushing_set_font_size
        return self

    def __exit__(self, *exc: object) -> None:
        del self.stream.show_text, self.stream.set_font_size  # back to the class's methods


def _draw_line(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
    with _CarriedAdjustments(stream):
        return _original_draw_first_line(stream, textbox, *args, **kwargs)


def _draw_first_line(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's ``draw_first_line``, inside an ActualText span if the glyphs misspell it."""
    if not _state.enabled or not textbox.text.strip():
        return _original_draw_first_line(stream, textbox, *args, **kwargs)
    layout = textbox.pango_layout
    if _THAI_MARK.search(textbox.text):
        wrong = [textbox.text]  # a zero-advance mark: position-sorting readers need the line's text
    else:
        line, _index = layout.get_first_line()
        wrong = _mismatched_clusters(stream, layout, line)
    if not wrong:
        return _draw_line(stream, textbox, *args, **kwargs)
    logger.debug("ActualText for a line whose glyphs do not spell %r", wrong)
    actual = pydyf.String(_visible(textbox.text))
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": actual}))
    try:
        return _draw_line(stream, textbox, *args, **kwargs)
    finally:
        stream.end_marked_content()


disabled = _state.disabled


def _install() -> None:
    """Route WeasyPrint's fonts and line drawing through this module (idempotent)."""
    wp_pdf_stream.Font = _Font
    wp_draw_text.draw_first_line = _draw_first_line


_install()
