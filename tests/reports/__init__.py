"""Tests of the reports app; the helpers below read PDFs with poppler-utils (pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import io
import re
import subprocess
import zlib
from pathlib import Path

from fontTools.ttLib import TTFont

STREAM_START = re.compile(rb"stream\r?\n")


def run_poppler(tool: str, pdf: bytes, *args: str, tmp_path: Path) -> str:
    """Run a poppler-utils tool on ``pdf`` and return its stdout (CI needs poppler-utils installed)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path)]
    if tool == "pdftotext":
        command.append("-")
    result = subprocess.run(command, capture_output=True, check=True, timeout=60)  # noqa: S603
    return result.stdout.decode()


def pdf_text(pdf: bytes, tmp_path: Path, *args: str) -> str:
    return run_poppler("pdftotext", pdf, *args, tmp_path=tmp_path)


def squash(text: str) -> str:
    """Normalise whitespace only: runs of spaces, newlines and form feeds become one space."""
    return " ".join(text.split())


def page_count(pdf: bytes, tmp_path: Path) -> int:
    info = run_poppler("pdfinfo", pdf, tmp_path=tmp_path)
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_sizes(pdf: bytes, tmp_path: Path) -> list[tuple[float, float]]:
    """Every page's size in points, as pdfinfo reads it from the MediaBox."""
    info = run_poppler("pdfinfo", pdf, "-f", "1", "-l", "9999", tmp_path=tmp_path)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return [(round(float(width), 1), round(float(height), 1)) for width, height in sizes]


def streams(pdf: bytes) -> list[bytes]:
    """The decoded content of every stream (Flate-compressed or not), for searching."""
    found = []
    for match in STREAM_START.finditer(pdf):
        raw = pdf[match.end() : pdf.find(b"endstream", match.end())]
        try:
            found.append(zlib.decompressobj().decompress(raw))
        except zlib.error:
            found.append(raw)
    return found


def contains_anywhere(pdf: bytes, needle: bytes) -> bool:
    return needle in pdf or any(needle in stream for stream in streams(pdf))


def embedded_fonts(pdf: bytes) -> list[TTFont]:
    """The TrueType/OpenType font programs embedded in ``pdf``."""
    return [TTFont(io.BytesIO(data)) for data in streams(pdf) if data[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")]


def words_in_box(pdf: bytes, tmp_path: Path, *, page: int, y_max: float) -> list[str]:
    """Words of one page whose box lies above ``y_max`` points (e.g. inside the top margin)."""
    xhtml = pdf_text(pdf, tmp_path, "-bbox", "-f", str(page), "-l", str(page))
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', xhtml)
    return [word for bottom, word in words if float(bottom) <= y_max]
