"""Downloads: sent as attachments under an ASCII fallback and the real (Thai) name, never sniffed by the browser."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import FileResponse

UNSAFE_FILENAME = re.compile(r"[^\w\u0E00-\u0E7F.\-]+")


def safe_filename_part(text: str) -> str:
    """A name part with spaces as hyphens and nothing a file system or header could trip on."""
    return UNSAFE_FILENAME.sub("-", text).strip("-.") or "-"


def content_disposition(ascii_name: str, thai_name: str) -> str:
    """`attachment` with an ASCII fallback and the real name as RFC 5987 `filename*` (UTF-8, percent-encoded)."""
    fallback = UNSAFE_FILENAME.sub("-", ascii_name).encode("ascii", "ignore").decode() or "document.pdf"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(thai_name, safe='')}"


def file_download(file, *, content_type: str, ascii_name: str, thai_name: str) -> FileResponse:
    """Stream an open file as an attachment of the given (checked) type; the browser may not guess another."""
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(ascii_name, thai_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
