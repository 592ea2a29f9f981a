"""Benchmark: reading the national xlsx with openpyxl (the former reader) against read_table (python-calamine).

    .venv/bin/python bench/xlsx_read.py            # 8,300 organisations, as the national file
    .venv/bin/python bench/xlsx_read.py --orgs 500

No database. Generates the national file (bench/national_file.py), then in this one run times:
(a) openpyxl in read-only mode turning every cell into text, as the reader did before issue 13;
(b) read_table as it is now: archive checks, the sheet-XML scan for formulas, error values and the
    cells' reach, then python-calamine;
(c) the sheet-XML scan alone, to show what the checks cost inside (b).
Both readers must give the same rows; it prints the seconds and openpyxl / read_table last.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

import national_file  # noqa: E402  (needs the path above)


def read_with_openpyxl(data: bytes) -> list[list[str | None]]:
    """The former reader's loop: openpyxl read-only, every value as the text the user sees."""
    import openpyxl

    from ita.importers.parse import excel_value_text

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = workbook["ผลการประเมิน"]
        sheet.reset_dimensions()
        rows = [
            [None if cell.value is None else excel_value_text(cell.value) for cell in cells]
            for cells in sheet.iter_rows()
        ]
    finally:
        workbook.close()
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return rows


def scan_only(data: bytes) -> None:
    from ita.importers import sheetxml

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for _name, member in sheetxml.worksheets(archive):
            sheetxml.scan_sheet(archive, member, cells=True)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orgs", type=int, default=8300, help="organisations in the national file (8300)")
    args = parser.parse_args()
    from ita.importers.parse import read_table

    started = time.perf_counter()
    data = national_file.xlsx_bytes(args.orgs)
    seconds = time.perf_counter() - started
    print(f"generated {len(data) / 1e6:.1f} MB xlsx for {args.orgs:,} organisations in {seconds:.1f} s")
    old_rows, old_seconds = timed(read_with_openpyxl, data)
    table, new_seconds = timed(read_table, data, "ita_national.xlsx")
    _, scan_seconds = timed(scan_only, data)
    if old_rows != table.rows or table.errors:
        raise SystemExit("the two readers disagree on the national file")
    print(f"(a) openpyxl read-only              {old_seconds:8.2f} s")
    print(f"(b) read_table (checks + calamine)  {new_seconds:8.2f} s")
    print(f"(c)   of which the sheet-XML scan   {scan_seconds:8.2f} s")
    print(f"openpyxl / read_table = {old_seconds / new_seconds:.1f}x ({len(table.rows):,} rows, identical)")


if __name__ == "__main__":
    main()
