"""An organisation's emblem from an uploaded file: checked, cleaned and re-encoded (pure: no Django).

Only PNG and JPEG are accepted, recognised by their content and never by the file's name. The
file's size is checked before anything is decoded, and the pixel count from the header before the
pixels are; the image is then decoded, turned upright (EXIF orientation), converted to RGB or RGBA,
shrunk to at most MAX_SIDE pixels on its long side and encoded again without any metadata. Only
these new bytes are kept, so nothing of the uploaded file (EXIF, GPS, comments, ICC profiles,
trailing data) reaches the database or a document.

The result is small enough for the PDF renderer's data: URL limit (reports/pdf/fetcher.py); a test
checks MAX_STORED_BYTES against it.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import warnings
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ita.files.sniff import PNG_SIGNATURE

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_SIDE = 600
# Below reports.pdf.fetcher.MAX_DATA_URL_BYTES (256 KiB), with room to spare.
MAX_STORED_BYTES = 200 * 1024
# When even the smallest attempt is too large (a noisy photograph with transparency), give up.
MIN_SIDE = 150
JPEG_QUALITY = 88
ACCEPTED_FORMATS = ("PNG", "JPEG")
# Pillow reports a JPEG with a multi-picture extension (many phone cameras) as MPO; its first picture is a JPEG.
READ_FORMATS = frozenset({"PNG", "JPEG", "MPO"})
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}

MESSAGE_EMPTY = "ไฟล์ที่อัปโหลดว่างเปล่า กรุณาเลือกไฟล์ภาพตราสัญลักษณ์"
MESSAGE_TOO_LARGE = "ไฟล์มีขนาดเกิน ๒ เมกะไบต์ กรุณาย่อภาพก่อนอัปโหลด"
MESSAGE_NOT_IMAGE = "ไฟล์นี้ไม่ใช่ภาพ PNG หรือ JPEG รับเฉพาะไฟล์ภาพชนิด PNG หรือ JPEG เท่านั้น"
MESSAGE_TOO_MANY_PIXELS = "ภาพมีขนาดใหญ่เกินไป (เกิน ๒๕ ล้านพิกเซล) กรุณาย่อภาพก่อนอัปโหลด"
MESSAGE_BROKEN = "อ่านไฟล์ภาพไม่ได้ ไฟล์อาจเสียหายหรือไม่ครบ กรุณาบันทึกภาพใหม่แล้วอัปโหลดอีกครั้ง"
MESSAGE_STILL_TOO_LARGE = "ภาพมีรายละเอียดมากเกินกว่าจะใช้เป็นตราสัญลักษณ์ได้ กรุณาใช้ภาพที่เรียบง่ายกว่านี้"


class EmblemRefused(ValueError):
    """The upload cannot be an emblem; str(error) is the Thai message for the user."""


@dataclass(frozen=True)
class Emblem:
    content: bytes
    content_type: str
    sha256: str
    width: int
    height: int


def prepare_emblem(data: bytes) -> Emblem:
    """The re-encoded emblem for an uploaded file's bytes, or EmblemRefused with a Thai message."""
    if not data:
        raise EmblemRefused(MESSAGE_EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        raise EmblemRefused(MESSAGE_TOO_LARGE)
    image, fmt = _decoded(data)
    # Whoever imports WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, and Pillow
    # then fills a cut-off file with black instead of failing: the file's structure is checked here.
    if not _complete(data, fmt):
        raise EmblemRefused(MESSAGE_BROKEN)
    try:
        image = _normalised(image)
        # Resampled once the colours are plain RGB(A): a palette image would be shrunk pixel-picking.
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    except (ValueError, OSError) as error:  # a colour mode Pillow cannot convert
        raise EmblemRefused(MESSAGE_NOT_IMAGE) from error
    content, content_type, width, height = _encoded(image)
    return Emblem(content, content_type, hashlib.sha256(content).hexdigest(), width, height)


def _decoded(data: bytes) -> tuple[Image.Image, str]:
    """The decoded, upright image and its format (its size checked before any pixel is decoded)."""
    with warnings.catch_warnings():
        # Pillow's own decompression-bomb warning becomes an error; MAX_PIXELS is checked first anyway.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            refused = MESSAGE_TOO_MANY_PIXELS if "pixels" in str(error) else MESSAGE_NOT_IMAGE
            raise EmblemRefused(refused) from error
        except Exception as error:  # a malformed header can raise nearly anything inside a decoder
            raise EmblemRefused(MESSAGE_BROKEN) from error
        if image.format not in READ_FORMATS:
            raise EmblemRefused(MESSAGE_NOT_IMAGE)
        width, height = image.size
        if width < 1 or height < 1:
            raise EmblemRefused(MESSAGE_BROKEN)
        if width * height > MAX_PIXELS:
            raise EmblemRefused(MESSAGE_TOO_MANY_PIXELS)
        try:
            # A JPEG is decoded at a reduced scale where that still gives MAX_SIDE pixels, so a large
            # photograph never needs its full-size pixels in memory.
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            upright = ImageOps.exif_transpose(image)
            upright.load()
        except Exception as error:  # truncated data, a bad chunk, a broken EXIF block
            raise EmblemRefused(MESSAGE_BROKEN) from error
    return upright, image.format


# --- is the whole file there? ----------------------------------------------------------------------

PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7: (first column, first row, column step, row step) of each pass.
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _complete(data: bytes, fmt: str) -> bool:
    return _png_complete(data) if fmt == "PNG" else _jpeg_complete(data)


def _jpeg_complete(data: bytes) -> bool:
    """An end-of-image marker after the last start-of-scan (entropy-coded data never holds either marker)."""
    last_scan = data.rfind(b"\xff\xda")
    return last_scan != -1 and data.rfind(b"\xff\xd9") > last_scan


def _png_complete(data: bytes) -> bool:
    """Every chunk whole with a correct CRC up to IEND, and image data inflating to exactly what the header needs."""
    position, header, compressed = len(PNG_SIGNATURE), b"", []
    while True:
        if position + 8 > len(data):
            return False
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 8 + length + 4
        if end > len(data):
            return False
        body = data[position + 8 : end - 4]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[end - 4 : end])[0]:
            return False
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed.append(body)
        elif kind == b"IEND":
            break
        position = end
    if len(header) != 13 or not compressed:
        return False
    width, height, depth, colour, _method, _filter, interlace = struct.unpack(">IIBBBBB", header)
    if colour not in PNG_CHANNELS:
        return False
    bits = depth * PNG_CHANNELS[colour]
    passes = ADAM7 if interlace else ((0, 0, 1, 1),)
    expected = 0
    for left, top, step_x, step_y in passes:
        columns, rows = math.ceil(max(width - left, 0) / step_x), math.ceil(max(height - top, 0) / step_y)
        if columns and rows:
            expected += rows * (1 + math.ceil(columns * bits / 8))
    return _inflated_size(compressed, limit=expected + 1) == expected


def _inflated_size(parts: list[bytes], *, limit: int) -> int | None:
    """How many bytes the zlib stream in `parts` inflates to (never more than `limit` held); None if it is cut short."""
    inflater, size = zlib.decompressobj(), 0
    try:
        for part in parts:
            pending = part
            while pending and size <= limit:
                size += len(inflater.decompress(pending, 1 << 20))
                pending = inflater.unconsumed_tail
        while not inflater.eof and size <= limit:
            chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
    except zlib.error:
        return None
    return size if inflater.eof else None


def _normalised(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image really has transparency; nothing of the original's metadata."""
    mode = image.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        # 16-bit (or wider) greyscale: scale into 8 bits instead of clipping everything to white.
        image = image.convert("I") if mode != "F" else image
        low, high = image.getextrema()
        scale = 255 / (high - low) if high > low else 0
        image = image.point(lambda value: (value - low) * scale).convert("L")
        mode = "L"
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        mode in ("P", "L", "RGB") and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    if has_alpha and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # an alpha channel that hides nothing
    # A fresh image: convert() copies the info dictionary (ICC profile, EXIF, text chunks), which the
    # encoders would otherwise write out again.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encoded(image: Image.Image) -> tuple[bytes, str, int, int]:
    """PNG, or JPEG for an opaque image whose PNG would be too large; smaller until it fits."""
    while True:
        content = _save(image, "PNG")
        content_type = CONTENT_TYPES["PNG"]
        if len(content) > MAX_STORED_BYTES and image.mode == "RGB":
            content = _save(image, "JPEG")
            content_type = CONTENT_TYPES["JPEG"]
        if len(content) <= MAX_STORED_BYTES:
            return content, content_type, image.width, image.height
        if max(image.size) * 4 // 5 < MIN_SIDE:
            raise EmblemRefused(MESSAGE_STILL_TOO_LARGE)
        smaller = (max(1, image.width * 4 // 5), max(1, image.height * 4 // 5))
        image = image.resize(smaller, Image.Resampling.LANCZOS)


def _save(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
