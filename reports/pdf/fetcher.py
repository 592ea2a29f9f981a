"""The one URL fetcher WeasyPrint gets: bundled assets and small data: URLs, nothing else.

It serves files under ``static/fonts``, ``static/css`` and ``static/img`` through the internal
``ita-asset:`` scheme and small ``data:`` URLs, and refuses everything else (``file:``,
``http(s):``, traversal, symlinks out of the asset folders). Nothing here ever opens a socket, so
no redirect can be followed.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from weasyprint.urls import URLFetcher, URLFetcherResponse

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


class AssetRefused(ValueError):
    """A URL the renderer must not load (logged by WeasyPrint, the resource is skipped)."""


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
