"""Six PDF readers, one function each, and the share of Thai words a reader gets back (issue 11).

Each ``*_text(pdf)`` returns the whole text of a PDF as that reader extracts it. The readers are
test dependencies (requirements-dev.txt; pdf.js through npm's package.json), so the text layer
is measured the way Linux viewers, Chrome, Firefox and the common Python libraries read it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pdfminer.high_level
import pymupdf
import pypdf
import pypdfium2
from pythainlp.tokenize import word_tokenize

ROOT = Path(__file__).resolve().parents[2]
PDFJS_SCRIPT = Path(__file__).with_name("pdfjs_text.mjs")
PDFJS_MODULE = ROOT / "node_modules" / "pdfjs-dist" / "legacy" / "build" / "pdf.mjs"


def _with_file(pdf: bytes, read: Callable[[str], str]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return read(str(path))


def poppler_text(pdf: bytes, *, mode: str = "-raw") -> str:
    """pdftotext in content order (``-raw``); its default layout mode interleaves table columns
    line by line, which splits words of neighbouring cells whatever the text layer says."""

    def read(path: str) -> str:
        result = subprocess.run(["pdftotext", mode, path, "-"], capture_output=True, check=True, timeout=60)  # noqa: S603, S607
        return result.stdout.decode()

    return _with_file(pdf, read)


def pdfium_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_bounded())
            text_page.close()
            page.close()
        return "\f".join(pages)
    finally:
        document.close()


def mupdf_text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        return "\f".join(page.get_text() for page in document)


def pdfminer_text(pdf: bytes) -> str:
    return pdfminer.high_level.extract_text(io.BytesIO(pdf))


def pypdf_text(pdf: bytes) -> str:
    return "\f".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def pdfjs_available() -> bool:
    return shutil.which("node") is not None and PDFJS_MODULE.exists()


def pdfjs_required() -> bool:
    """CI sets REQUIRE_PDFJS=1: there a missing Node or pdfjs-dist fails instead of skipping."""
    return os.environ.get("REQUIRE_PDFJS", "") not in ("", "0")


def pdfjs_text(pdf: bytes) -> str:
    def read(path: str) -> str:
        command = ["node", str(PDFJS_SCRIPT), path]
        result = subprocess.run(command, capture_output=True, check=True, timeout=120, cwd=ROOT)  # noqa: S603
        return result.stdout.decode()

    return _with_file(pdf, read)


READERS: dict[str, Callable[[bytes], str]] = {
    "poppler": poppler_text,
    "pdfium": pdfium_text,
    "pdfjs": pdfjs_text,
    "mupdf": mupdf_text,
    "pdfminer": pdfminer_text,
    "pypdf": pypdf_text,
}


class _VisibleText(HTMLParser):
    """Collects the text a reader sees: everything but <head> (with <title>), <style>, <script>."""

    HIDDEN = frozenset({"head", "title", "style", "script"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def _is_thai_word(token: str) -> bool:
    """A token with a Thai letter or mark (U+0E01–U+0E4E). Tokens of Thai digits alone are not
    words: chart labels and table figures glue into one long "word" once whitespace is removed,
    and readers that order text by position cut it differently. Digits are checked exactly in
    tests/reports/test_text_layer.py instead."""
    return any("\u0e01" <= char <= "\u0e4e" for char in token)


def thai_tokens(text: str) -> Counter[str]:
    """Thai words of ``text`` (pythainlp newmm), after removing all whitespace."""
    squashed = "".join(text.split())
    return Counter(
        token for token in word_tokenize(squashed, engine="newmm", keep_whitespace=False) if _is_thai_word(token)
    )


def thai_word_share(source: str, pdf_text: str) -> float:
    """Share of the source's Thai words found in the extracted text (multiset intersection).

    ``source`` is HTML (its visible text is used) or plain text. Extra words in the PDF text
    (page numbers "- ๒ -", repeated table headers) cost nothing.
    """
    if "<" in source:
        source = visible_text(source)
    wanted = thai_tokens(source)
    total = sum(wanted.values())
    if not total:
        return 1.0
    found = thai_tokens(pdf_text)
    return sum((wanted & found).values()) / total
