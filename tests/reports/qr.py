"""Read back the QR codes we draw: from the SVG path segno writes, and from a rendered page's pixels."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

from PIL import Image

PATH_DATA = re.compile(rb'\sd="([^"]+)"')
PATH_TOKEN = re.compile(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?")


def svg_modules(data_url: str) -> set[tuple[int, int]]:
    """(row, column) of every dark module of a segno SVG data: URL, border included.

    segno draws each row as horizontal strokes: "M x y.5" / "m dx dy" move, "h n" covers n modules.
    """
    svg = base64.b64decode(data_url.split(",", 1)[1])
    x = y = 0.0
    dark = set()
    for command, first, second in PATH_TOKEN.findall(PATH_DATA.search(svg).group(1).decode()):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            row = int(y - 0.5)
            dark.update((row, int(x) + k) for k in range(int(float(first))))
            x += float(first)
    return dark


def matrix_modules(matrix, border: int) -> set[tuple[int, int]]:
    """Dark modules of a segno matrix, shifted by the quiet zone."""
    return {(r + border, c + border) for r, row in enumerate(matrix) for c, bit in enumerate(row) if bit}


def page_modules(pdf_path: Path, page: int, box: tuple[float, float, float, float], size: int) -> list[list[bool]]:
    """Sample a `size`×`size` QR found inside `box` (points: x0, y0, x1, y1) of a PDF page, by its dark pixels."""
    dpi = 300
    prefix = pdf_path.with_suffix("")
    command = ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*command, str(pdf_path), str(prefix)], check=True, timeout=60)  # noqa: S603
    scale = dpi / 72
    image = Image.open(f"{prefix}.png").convert("L")
    crop = image.crop(tuple(round(v * scale) for v in box))
    dark = crop.point(lambda value: 255 if value < 128 else 0)
    width, height = dark.size
    pixels = dark.load()
    # The block's top rule spans the whole box: keep only what lies below it.
    rules = [y for y in range(height) if sum(pixels[x, y] > 0 for x in range(width)) > 0.8 * width]
    if rules:
        crop = crop.crop((0, rules[-1] + 1, width, height))
        dark = dark.crop((0, rules[-1] + 1, width, height))
    left, top, right, _bottom = dark.getbbox()  # the symbol's edge: its quiet zone is white
    step = (right - left) / size
    return [
        [crop.getpixel((int(left + (c + 0.5) * step), int(top + (r + 0.5) * step))) < 128 for c in range(size)]
        for r in range(size)
    ]
