"""Does a page or file mention the fiscal year? (pure Python apart from the PDF reader)

The year counts in พ.ศ. (2568) or ค.ศ. (2025), in Arabic or Thai digits (๒๕๖๘) or a mix, as a
whole number (not inside 125680). In HTML only the visible text counts (no scripts, styles or
tags), and a ค.ศ. year right after "©" or "copyright" does not: site footers carry the current
year on every page, old or new. PDFs are read with PDFium (pypdfium2, the reader Chrome uses),
the first ``max_pages`` pages only. Every scan is linear in the text.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

import pypdfium2

from ita.thai import BE_OFFSET, to_arabic_digits

_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright|สงวนลิขสิทธิ์)\s*$", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{1,40})""", re.IGNORECASE)
_COPYRIGHT_LOOKBACK = 20


def year_pattern(fiscal_year: int) -> re.Pattern[str]:
    """The พ.ศ. year and its ค.ศ. form as whole numbers, over text already in Arabic digits."""
    be, ce = fiscal_year, fiscal_year - BE_OFFSET
    return re.compile(rf"(?<![0-9])(?:(?P<be>{be})|(?P<ce>{ce}))(?![0-9])")


def text_mentions_year(text: str, fiscal_year: int) -> bool:
    """True when the text names the fiscal year outside a copyright notice."""
    arabic = to_arabic_digits(text)
    for match in year_pattern(fiscal_year).finditer(arabic):
        if match.group("be"):
            return True
        before = arabic[max(0, match.start() - _COPYRIGHT_LOOKBACK) : match.start()]
        if not _COPYRIGHT.search(before):
            return True
    return False


class _VisibleText(HTMLParser):
    """Collects the text a reader sees, and the title; skips scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template") and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def html_text(body: bytes, charset: str | None) -> tuple[str, str]:
    """(title, visible text) of an HTML page."""
    parser = _VisibleText()
    parser.feed(decode(body, charset))
    parser.close()
    return " ".join("".join(parser.title).split()), " ".join(parser.parts)


def decode(body: bytes, charset: str | None) -> str:
    """Text of a body: the declared charset, else a <meta> one, else UTF-8, else Thai Windows-874."""
    for name in (charset, _meta_charset(body)):
        if name and _known(name):
            return body.decode(name, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        # Older Thai sites publish TIS-620 without saying so; cp874 is its superset.
        return body.decode("cp874", errors="replace")


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _known(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def pdf_text(body: bytes, max_pages: int) -> str | None:
    """Text of the first pages of a PDF, or None when PDFium cannot open it (damaged, cut, locked)."""
    try:
        document = pypdfium2.PdfDocument(body)
    except pypdfium2.PdfiumError:
        return None
    try:
        pages = []
        for index in range(min(len(document), max_pages)):
            page = document[index]
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return "\n".join(pages)
    finally:
        document.close()
