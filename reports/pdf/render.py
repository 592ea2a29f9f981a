"""HTML → PDF: the entry point of the PDF package.

The package reports.pdf is the only one that imports WeasyPrint (tests/test_architecture.py):
- ``render`` (here): ``render_pdf``, with size and nesting guards, then WeasyPrint with the
  bundled Sarabun font forced on every element and A4 pages numbered "- ๒ -" from page 2;
- ``fetcher``: ``AssetFetcher``, the one URL fetcher WeasyPrint gets (bundled assets, small
  ``data:`` URLs, nothing else);
- ``textlayer``: the Thai text layer (each glyph's own text in ToUnicode), installed when this
  module is imported; it needs the ITA Sarabun fonts built by scripts/build_fonts.py.

Running it safely: ``render_pdf`` refuses oversized or deeply nested HTML before rendering,
but layout time still grows with content. Callers must run it where a runaway render cannot
hurt the web process: a Celery task with ``soft_time_limit``/``time_limit`` on a worker
started with ``--max-memory-per-child`` (or a subprocess with ``resource.setrlimit``
``RLIMIT_AS``/``RLIMIT_CPU``). A synchronous call from a request handler is for tests and the
``render_measures`` command only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

import weasyprint
from django.utils.translation import gettext_lazy as _
from weasyprint.text.fonts import FontConfiguration

from reports.pdf import textlayer, wordbreak
from reports.pdf.errors import DocumentTooComplex
from reports.pdf.fetcher import ASSET_PREFIX, AssetFetcher, AssetRefused

# The fetcher's names are part of this module's interface; the text-layer fix is installed on import.
__all__ = ["AssetFetcher", "AssetRefused", "DocumentTooComplex", "render_pdf", "textlayer", "wordbreak"]


MAX_HTML_BYTES = 5 * 1024 * 1024
MAX_NESTING = 100
MAX_PAGES = 400

MESSAGE_TOO_LARGE = _("เอกสารใหญ่เกินกว่าจะจัดทำเป็น PDF ได้ (เกิน %(limit)s เมกะไบต์) กรุณาแบ่งเป็นหลายฉบับ")
MESSAGE_TOO_DEEP = _("เอกสารซับซ้อนเกินกว่าจะจัดทำเป็น PDF ได้ (ซ้อนกันเกิน %(limit)s ชั้น)")
MESSAGE_TOO_MANY_PAGES = _("เอกสารยาวเกินกว่าจะจัดทำเป็น PDF ได้ (เกิน %(limit)s หน้า) กรุณาแบ่งเป็นหลายฉบับ")


def _font_face(weight: int, style: str, file: str) -> str:
    url = f"{ASSET_PREFIX}fonts/ita-sarabun/{file}"
    return (
        f'@font-face {{ font-family: "ITA Sarabun"; font-weight: {weight}; font-style: {style}; src: url("{url}"); }}'
    )


# A private family name, so a "Sarabun" installed on the host can never be picked instead. The
# files are Sarabun with SARA AM ligatures (scripts/build_fonts.py), which the text layer needs.
# These rules are passed as a *user* stylesheet, and user !important beats everything an
# author writes (CSS 2.1 §6.4.1): whatever the HTML says, text is set in the bundled font and
# pages are A4.
BASE_CSS = "\n".join(
    [
        _font_face(400, "normal", "ITASarabun-Regular.ttf"),
        _font_face(600, "normal", "ITASarabun-SemiBold.ttf"),
        _font_face(700, "normal", "ITASarabun-Bold.ttf"),
        _font_face(400, "italic", "ITASarabun-Italic.ttf"),
        _font_face(700, "italic", "ITASarabun-BoldItalic.ttf"),
        """
@page {
  size: A4 portrait !important;
  margin: 2.5cm 2cm 2cm 3cm;
  @top-center { content: "- " counter(page, thai) " -"; font-size: 16pt; vertical-align: middle; }
}
@page :first { @top-center { content: none; } }
html, html * { font-family: "ITA Sarabun" !important; }
html { font-size: 16pt; line-height: 1.35; }
body { margin: 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr, img, svg { break-inside: avoid; }
th, td { vertical-align: top; padding: 0.1em 0.3em; overflow-wrap: break-word; }
""",
    ]
)


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def check_size(html: str) -> None:
    """Refuse, with a Thai message, HTML too large to render safely (before parsing it)."""
    if len(html) > MAX_HTML_BYTES or len(html.encode()) > MAX_HTML_BYTES:
        raise DocumentTooComplex(MESSAGE_TOO_LARGE % {"limit": MAX_HTML_BYTES // (1024 * 1024)})


def nesting_depth(root: Any) -> int:
    """Deepest element nesting of a parsed tree, walked without recursion (the point is to survive it)."""
    deepest, pending = 0, [(root, 1)]
    while pending:
        element, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in element)
    return deepest


_local = threading.local()


def _stylesheets(sources: Iterable[str]) -> tuple[FontConfiguration, list[weasyprint.CSS]]:
    """Compile (once per thread) the base and given CSS strings with one font configuration.

    Reuse matters: each compiled @font-face copies font files to a temporary folder.
    """
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
        _local.sheets = {}
    sheets: dict[str, weasyprint.CSS] = _local.sheets
    compiled = []
    for source in (BASE_CSS, *sources):
        if source not in sheets:
            if len(sheets) > 32:
                sheets.clear()
            sheets[source] = weasyprint.CSS(
                string=source, base_url=ASSET_PREFIX, url_fetcher=AssetFetcher(), font_config=_local.font_config
            )
        compiled.append(sheets[source])
    return _local.font_config, compiled


def render_document(html: str, *, stylesheets: Sequence[str] = ()) -> Any:
    """Lay out a trusted template's HTML (user text already escaped) as render_pdf does; the WeasyPrint document.

    Raises ``DocumentTooComplex`` (Thai message) for oversized, too deeply nested or too long
    documents. Tests walk its line boxes; everything else wants ``render_pdf``.
    """
    check_size(html)
    document = weasyprint.HTML(string=html, base_url=ASSET_PREFIX, url_fetcher=AssetFetcher(), media_type="print")
    # Depth is measured on the tree WeasyPrint parsed, so implied end tags count as browsers count them.
    if nesting_depth(document.etree_element) > MAX_NESTING:
        raise DocumentTooComplex(MESSAGE_TOO_DEEP % {"limit": MAX_NESTING})
    font_config, sheets = _stylesheets(stylesheets)
    try:
        # The project's CSS comes after BASE_CSS; both are user-origin sheets.
        rendered = document.render(font_config=font_config, stylesheets=sheets, presentational_hints=False)
    except RecursionError as error:
        raise DocumentTooComplex(MESSAGE_TOO_DEEP % {"limit": MAX_NESTING}) from error
    if len(rendered.pages) > MAX_PAGES:
        raise DocumentTooComplex(MESSAGE_TOO_MANY_PAGES % {"limit": MAX_PAGES})
    return rendered


def render_pdf(
    html: str,
    *,
    stylesheets: Sequence[str] = (),
    archival: bool = False,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    tagged: bool = True,
) -> bytes:
    """Render a trusted template's HTML (user text already escaped) and the project's CSS strings to PDF.

    Every PDF is tagged (structure for screen readers and reflow) and carries the metadata the
    HTML's <title>, <html lang> and <meta> give (author, description → subject, keywords,
    dcterms.created/modified). ``archival`` makes it PDF/A-3u; ``attachments`` are embedded files,
    (name, bytes, description), e.g. the data a published copy was printed from. ``tagged=False``
    is for the benchmark's untagged baseline.

    Raises ``DocumentTooComplex`` (Thai message) for oversized, too deeply nested or too long
    documents. Run it under a time and memory limit (see the module docstring).
    """
    files = [
        weasyprint.Attachment(string=data, name=name, description=description, relationship="Data")
        for name, data, description in attachments
    ]
    return render_document(html, stylesheets=stylesheets).write_pdf(
        pdf_tags=tagged or archival, pdf_variant="pdf/a-3u" if archival else None, attachments=files or None
    )
