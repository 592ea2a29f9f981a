"""Benchmark: time and peak memory of the parsers of user text at sizes n, 2n and 4n (SECURITY.md B1).

    .venv/bin/python bench/parsing.py              # n = 1,000 pasted lines, 20,000 CSV rows, 5,000 xlsx rows
    .venv/bin/python bench/parsing.py --scale 0.2  # a quick run

No database. For each input it prints the size, the CPU seconds (best of three), the peak memory the
parser allocated (tracemalloc, a separate run) and both as ratios against the n run of the same kind
measured in this run: linear parsing shows time ratios near 2 and 4. Kinds:
- paste: a realistic paste (indicator table, level line, item lines, prose) repeated;
- paste-hostile: level lines padded with spaces to 2,900 characters and long runs of filler words;
- csv: a long-format CSV (organisation, year, what, score), one row per value;
- csv-sniffer: a header with both a comma and a semicolon, then text crafted against csv.Sniffer;
- xlsx: the same long format as a workbook, read by read_table (archive checks, scan, calamine).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ita.importers.parse import ParseError, read_table
from ita.importers.paste import parse_pasted

PASTE_BLOCK = [
    "คะแนนภาพรวมหน่วยงานเทศบาลตำบลหนองเล็ง : ๘๒.๗๖ คะแนน",
    "ระดับผลการประเมิน : B",
    "๑\tการป้องกันการทุจริต\t๙๓.๗๕",
    "๒\tการปฏิบัติหน้าที่\t๘๘.๙๕",
    "ข้อ i๑ ๙๘.๓๓",
    "ตัวชี้วัดที่ ๓ การใช้อำนาจ ได้คะแนน ๘๔.๐๑ คะแนน ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ ได้คะแนน ๘๑.๔๐",
    "ข้อความอธิบายผลการประเมินที่ไม่มีคะแนน",
]
HOSTILE_BLOCK = [
    "ระดับ" + " " * 2_900 + "ดีมาก",
    "การปฏิบัติหน้าที่ " + "ได้" * 950 + "x ๙๐",
    "ก" + " " * 2_900 + "ข ๙๐",
]


def paste_text(lines: int, block: list[str]) -> str:
    return "\n".join((block * (lines // len(block) + 1))[:lines])


def csv_bytes(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["รหัสหน่วยงาน", "ปีงบประมาณ", "รายการ", "คะแนน"])
    whats = ["คะแนนรวม", "IIT", "EIT", "OIT", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11))]
    for index in range(rows):
        writer.writerow(
            [f"{6380101 + index // len(whats)}", "2567", whats[index % len(whats)], f"{80 + index % 20}.25"]
        )
    return out.getvalue().encode("utf-8")


def sniffer_bytes(pairs: int) -> bytes:
    return ("a,b;c\n" + ',"a' * pairs).encode("utf-8")


def xlsx_bytes(rows: int) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("ผลการประเมิน")
    for row in csv.reader(io.StringIO(csv_bytes(rows).decode("utf-8"))):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str) -> None:
    try:
        read_table(data, name)
    except ParseError:
        pass  # a refusal is an answer too; what it cost is what is measured


def measure(function: Callable[[], object]) -> tuple[float, int]:
    """(best CPU seconds of three runs, peak bytes allocated during a fourth run)."""
    best = min(_seconds(function) for _ in range(3))
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak


def _seconds(function: Callable[[], object]) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def kinds(scale: float) -> list[tuple[str, str, Callable[[int], tuple[object, int]], int]]:
    """(name, unit, build(size) → (input, bytes), n)."""
    return [
        ("paste", "lines", lambda n: _text(paste_text(n, PASTE_BLOCK)), int(1_000 * scale)),
        ("paste-hostile", "lines", lambda n: _text(paste_text(n, HOSTILE_BLOCK)), int(300 * scale)),
        ("csv", "rows", lambda n: _data(csv_bytes(n)), int(20_000 * scale)),
        ("csv-sniffer", "pairs", lambda n: _data(sniffer_bytes(n)), int(20_000 * scale)),
        ("xlsx", "rows", lambda n: _data(xlsx_bytes(n)), int(5_000 * scale)),
    ]


def _text(text: str) -> tuple[object, int]:
    return text, len(text.encode("utf-8"))


def _data(data: bytes) -> tuple[object, int]:
    return data, len(data)


def run(scale: float) -> None:
    print(f"{'input':<14}{'size':>14}{'bytes':>12}{'seconds':>10}{'peak MB':>10}{'time ×':>8}{'memory ×':>10}")
    for name, unit, build, n in kinds(scale):
        base: tuple[float, int] | None = None
        for size in (n, 2 * n, 4 * n):
            value, length = build(size)
            if name.startswith("paste"):
                seconds, peak = measure(lambda value=value: parse_pasted(value))
            else:
                suffix = "x.xlsx" if name == "xlsx" else "x.csv"
                seconds, peak = measure(lambda value=value, suffix=suffix: read(value, suffix))
            base = base or (seconds, peak)
            print(
                f"{name:<14}{size:>10,} {unit:<4}{length:>11,}{seconds:>10.3f}{peak / 2**20:>10.1f}"
                f"{seconds / max(base[0], 1e-9):>8.2f}{peak / max(base[1], 1):>10.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every n (default 1)")
    run(parser.parse_args().scale)


if __name__ == "__main__":
    main()
