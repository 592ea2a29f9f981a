"""Which characters the bundled document font can draw: text outside it would print as empty boxes.

``unprintable(text)`` lists the characters of ``text`` the font has no glyph for, skipping the
ones that are never drawn (spaces, line breaks, controls, zero-width and other invisible format
characters, variation selectors). Callers name the field and refuse to render before any box is
printed; see reports.documents.printable.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

# Every weight is built from the same Sarabun character set; the regular one speaks for all.
FONT_FILE = Path(__file__).resolve().parents[2] / "static" / "fonts" / "ita-sarabun" / "ITASarabun-Regular.ttf"
# General categories never drawn as a glyph: separators are spaces, C* are controls and format
# characters (U+200B, U+200D, U+FEFF...), Mn variation selectors are handled below.
_INVISIBLE_CATEGORIES = ("Zs", "Zl", "Zp", "Cc", "Cf")


@functools.cache
def _codepoints() -> frozenset[int]:
    font = TTFont(FONT_FILE, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _invisible(character: str) -> bool:
    code = ord(character)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return True
    return unicodedata.category(character) in _INVISIBLE_CATEGORIES


def unprintable(text: str) -> list[str]:
    """The distinct characters of ``text`` the document font cannot draw, in order of first appearance."""
    known = _codepoints()
    missing: dict[str, None] = {}
    for character in text:
        if ord(character) not in known and character not in missing and not _invisible(character):
            missing[character] = None
    return list(missing)
