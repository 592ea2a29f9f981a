"""HTML → PDF, the only module that imports WeasyPrint.

Three concerns live here, each kept small:

1. ``AssetFetcher``: the one URL fetcher WeasyPrint gets. It serves files under
   ``static/fonts``, ``static/css`` and ``static/img`` through the internal ``ita-asset:``
   scheme and small ``data:`` URLs, and refuses everything else (``file:``, ``http(s):``,
   traversal, symlinks out of the asset folders). Nothing here ever opens a socket, so no
   redirect can be followed.
2. ``render_pdf``: size and nesting guards, then WeasyPrint with the bundled Sarabun font
   forced on every element and A4 pages numbered "- ๒ -" from page 2.
3. A text-layer fix for Thai (see ``_ClusterFont``): WeasyPrint 70 writes one ToUnicode entry
   per glyph, so a glyph that stands for different text in different places (the า glyph
   drawn for both า and ำ) extracts wrongly everywhere but its first use. We give every
   distinct (glyph, text) pair its own character code and map codes to glyphs with an
   Encoding CMap.

Running it safely: ``render_pdf`` refuses oversized or deeply nested HTML before rendering,
but layout time still grows with content. Callers must run it where a runaway render cannot
hurt the web process: a Celery task with ``soft_time_limit``/``time_limit`` on a worker
started with ``--max-memory-per-child`` (or a subprocess with ``resource.setrlimit``
``RLIMIT_AS``/``RLIMIT_CPU``). A synchronous call from a request handler is for tests and the
``render_measures`` command only.
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pydyf
import weasyprint
import weasyprint.draw.text as wp_draw_text
import weasyprint.pdf.fonts as wp_pdf_fonts
import weasyprint.pdf.stream as wp_pdf_stream
from django.utils.translation import gettext_lazy as _
from weasyprint.text.ffi import ffi, pango
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
ASSET_SCHEME = "ita-asset"
ASSET_PREFIX = f"{ASSET_SCHEME}:/"
# Only these folders under static/ may be read while rendering.
ASSET_DIRS = ("fonts", "css", "img")
ASSET_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
MAX_ASSET_BYTES = 2 * 1024 * 1024
DATA_URL_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/svg+xml", "font/ttf", "font/otf", "font/woff", "font/woff2"}
)
MAX_DATA_URL_BYTES = 256 * 1024
MAX_HTML_BYTES = 5 * 1024 * 1024
MAX_NESTING = 100
MAX_PAGES = 400

MESSAGE_TOO_LARGE = _("เอกสารใหญ่เกินกว่าจะจัดทำเป็น PDF ได้ (เกิน %(limit)s เมกะไบต์) กรุณาแบ่งเป็นหลายฉบับ")
MESSAGE_TOO_DEEP = _("เอกสารซับซ้อนเกินกว่าจะจัดทำเป็น PDF ได้ (ซ้อนกันเกิน %(limit)s ชั้น)")
MESSAGE_TOO_MANY_PAGES = _("เอกสารยาวเกินกว่าจะจัดทำเป็น PDF ได้ (เกิน %(limit)s หน้า) กรุณาแบ่งเป็นหลายฉบับ")


class DocumentTooComplex(Exception):
    """The document is refused before or during rendering; the message is Thai and user-facing."""


class AssetRefused(ValueError):
    """A URL the renderer must not load (logged by WeasyPrint, the resource is skipped)."""


def _font_face(weight: int, style: str, file: str) -> str:
    url = f"{ASSET_PREFIX}fonts/sarabun/{file}"
    return (
        f'@font-face {{ font-family: "ITA Sarabun"; font-weight: {weight}; font-style: {style}; src: url("{url}"); }}'
    )


# A private family name, so a "Sarabun" installed on the host can never be picked instead.
# These rules are passed as a *user* stylesheet, and user !important beats everything an
# author writes (CSS 2.1 §6.4.1): whatever the HTML says, text is set in the bundled font and
# pages are A4.
BASE_CSS = "\n".join(
    [
        _font_face(400, "normal", "Sarabun-Regular.ttf"),
        _font_face(600, "normal", "Sarabun-SemiBold.ttf"),
        _font_face(700, "normal", "Sarabun-Bold.ttf"),
        _font_face(400, "italic", "Sarabun-Italic.ttf"),
        _font_face(700, "italic", "Sarabun-BoldItalic.ttf"),
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
# URL fetcher
# ---------------------------------------------------------------------------------------------


class AssetFetcher(URLFetcher):
    """Serve bundled assets and small data: URLs; refuse every other URL by raising."""

    def __init__(self) -> None:
        super().__init__(allow_redirects=False, allowed_protocols=(ASSET_SCHEME, "data"), fail_on_errors=False)
        # Drop urllib's handlers: even if some code path reached OpenerDirector.open, there is
        # no file, HTTP or FTP handler left to serve it.
        self.handlers = []
        self.handle_open = {}
        self.handle_error = {}
        self.process_request = {}
        self.process_response = {}

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(ASSET_PREFIX):
            return self._fetch_asset(url)
        if url[:5].lower() == "data:":
            return self._fetch_data(url)
        raise AssetRefused(f"URL refused by the PDF renderer: {url[:200]!r}")

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        return self.fetch(url if isinstance(url, str) else url.full_url)

    def _fetch_asset(self, url: str) -> URLFetcherResponse:
        path = resolve_asset(url[len(ASSET_PREFIX) :])
        size = path.stat().st_size
        if size > MAX_ASSET_BYTES:
            raise AssetRefused(f"asset too large: {path.name} ({size} bytes)")
        body = path.read_bytes()
        return URLFetcherResponse(url, body, {"Content-Type": ASSET_TYPES[path.suffix.lower()]})

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        mime, body = parse_data_url(url)
        return URLFetcherResponse(url[:64], body, {"Content-Type": mime})


def resolve_asset(relative: str) -> Path:
    """Map the part after ``ita-asset:/`` to a file inside an allowed static folder, or raise."""
    if any(char in relative for char in "?#\\\x00") or "%" in relative:
        raise AssetRefused(f"asset path has forbidden characters: {relative[:200]!r}")
    parts = relative.split("/")
    if len(parts) < 2 or parts[0] not in ASSET_DIRS or any(part in ("", ".", "..") for part in parts):
        raise AssetRefused(f"asset path outside the bundled folders: {relative[:200]!r}")
    root = (STATIC_DIR / parts[0]).resolve()
    # resolve() follows symlinks, so a link pointing out of the folder fails the check below.
    path = (STATIC_DIR / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise AssetRefused(f"asset not found or outside its folder: {relative[:200]!r}")
    if path.suffix.lower() not in ASSET_TYPES:
        raise AssetRefused(f"asset type not served: {relative[:200]!r}")
    return path


def parse_data_url(url: str) -> tuple[str, bytes]:
    """Decode a ``data:`` URL of an allowed type and size; raise ``AssetRefused`` otherwise."""
    # Base64 inflates by 4/3: refuse long URLs before decoding anything.
    if len(url) > MAX_DATA_URL_BYTES * 4 // 3 + 256:
        raise AssetRefused("data: URL too large")
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise AssetRefused("malformed data: URL")
    params = [part.strip().lower() for part in header.split(";")]
    mime = params[0] or "text/plain"
    if mime not in DATA_URL_TYPES:
        raise AssetRefused(f"data: URL type refused: {mime[:60]!r}")
    try:
        if "base64" in params[1:]:
            body = base64.b64decode(unquote_to_bytes(payload), validate=True)
        else:
            body = unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as error:
        raise AssetRefused("malformed data: URL") from error
    if len(body) > MAX_DATA_URL_BYTES:
        raise AssetRefused("data: URL too large")
    return mime, body


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


def render_pdf(html: str, *, stylesheets: Sequence[str] = ()) -> bytes:
    """Render a trusted template's HTML (user text already escaped) and the project's CSS strings to PDF.

    Raises ``DocumentTooComplex`` (Thai message) for oversized, too deeply nested or too long
    documents. Run it under a time and memory limit (see the module docstring).
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
    return rendered.write_pdf()


# ---------------------------------------------------------------------------------------------
# Text layer: one character code per (glyph, text) pair
# ---------------------------------------------------------------------------------------------
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
        texts.append(utf8[item.offset + start : item.offset + end].decode())
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
