"""What an uploaded file really is, read from its first bytes (pure: no Django).

The name and the type a browser declares are the uploader's words; only the content decides.
"""

from __future__ import annotations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDF_SIGNATURE = b"%PDF-"
JPEG_SIGNATURE = b"\xff\xd8\xff"
# How many leading bytes sniff() needs to tell the kinds apart.
HEAD_BYTES = len(PNG_SIGNATURE)

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}


def sniff(head: bytes) -> str | None:
    """The content type of a file beginning with `head` (PDF, PNG or JPEG), or None for anything else."""
    if head.startswith(PDF_SIGNATURE):
        return PDF
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head.startswith(JPEG_SIGNATURE):
        return JPEG
    return None
