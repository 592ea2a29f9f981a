"""Benchmark: an import's check (the PLANNING phase of a job) against the size of a careless or hostile upload.

    .venv/bin/python bench/import_bounds.py              # CSV 4 and 8 MB, xlsx sheets 10 and 20 MB
    .venv/bin/python bench/import_bounds.py --csv-mb 15 --sheet-mb 20

No service: a scratch SQLite database in a temporary folder (never the development one), migrated and
given the framework fixtures. Each measurement runs in its own process so that its peak memory (VmHWM)
is its own; the base is that process's resident memory just before the job is checked.

- CSV: a long-format file of one organisation whose every row after the first contradicts the first
  (issue 14: 29 MB of such rows once peaked at +2.3 GB and stored 427,162 errors). Sizes n and 2n.
- xlsx: a sheet of plain numeric cells unzipping to n and 2n MB (the national sheet is ~29 MB), read
  through the same job path; a sheet over Limits.max_part_bytes is refused from the zip directory.

It prints, for each run, seconds, peak memory above the base and that as a multiple of the upload, and
(of the unzipped size, for xlsx), and last the ratios 2n/n of time and of memory (1.0–2.2 means linear or better).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
LONG_HEADER = "รหัสหน่วยงาน,ปีงบประมาณ,รายการ,คะแนน"


def _memory(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    raise SystemExit("needs Linux /proc/self/status")


def conflicting_csv(megabytes: float) -> bytes:
    lines = [LONG_HEADER, "BENCH,2567,ตัวชี้วัดที่ 1,50"]
    row, size = 0, 0
    while size < megabytes * 1_000_000:
        line = f"BENCH,2567,ตัวชี้วัดที่ {1 + row % 10},{51 + row % 40}"
        lines.append(line)
        size += len(line.encode()) + 1
        row += 1
    return ("\n".join(lines) + "\n").encode()


def numeric_sheet(megabytes: float) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    rows, size, number = [], 0, 1
    while size < megabytes * 1_000_000:
        cells = b"".join(b'<c r="%s%d"><v>%d</v></c>' % (bytes([65 + c]), number, number % 97) for c in range(20))
        row = b'<row r="%d">%s</row>' % (number, cells)
        rows.append(row)
        size += len(row)
        number += 1
    sheet = head + b"".join(rows) + b"</sheetData></worksheet>"
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            target.writestr(info.filename, body)
    return out.getvalue()


def child(kind: str, megabytes: float) -> dict:
    import django

    django.setup()
    from django.contrib.auth.models import User

    from ita.importers import jobs
    from ita.models import ImportJob, Organization

    content = conflicting_csv(megabytes) if kind == "csv" else numeric_sheet(megabytes)
    unzipped = (
        len(content) if kind == "csv" else sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
    )
    organization, _ = Organization.objects.get_or_create(
        code="BENCH", defaults={"name": "อบต.ทดสอบ", "province": "น่าน"}
    )
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    job = ImportJob.objects.create(
        created_by=user, organization=organization, filename=f"bench.{kind}", sha256="0" * 64,
        content=content, size=len(content),
    )  # fmt: skip
    del content
    base = _memory("VmRSS:")
    started = time.perf_counter()
    jobs.plan_job(job.pk)
    seconds = time.perf_counter() - started
    peak = _memory("VmHWM:") - base
    job.refresh_from_db()
    return {
        "kind": kind, "upload_mb": job.size / 1e6,
        "unzipped_mb": unzipped / 1e6, "seconds": seconds, "peak_mb": peak, "status": job.status,
        "errors_stored": len(job.errors), "errors_total": job.errors_total,
        "message": (job.errors[0]["message"][:70] if job.errors else ""),
    }  # fmt: skip


def spawn(kind: str, megabytes: float, env: dict) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--mb", str(megabytes)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-4000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--csv-mb", type=float, default=4.0)
    parser.add_argument("--sheet-mb", type=float, default=10.0)
    parser.add_argument("--child")
    parser.add_argument("--mb", type=float)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.mb)))
        return
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3")
        for name in ("CELERY_BROKER_URL", "REDIS_URL"):
            env.pop(name, None)
        setup = "import django; django.setup(); from django.core.management import call_command; "
        setup += "call_command('migrate', verbosity=0); from ita.demo import load_frameworks; load_frameworks()"
        subprocess.run([sys.executable, "-c", setup], env=env, check=True, cwd=BENCH_DIR.parent)
        for kind, size in (("csv", args.csv_mb), ("xlsx", args.sheet_mb)):
            runs = [spawn(kind, size, env), spawn(kind, 2 * size, env)]
            for run in runs:
                print(
                    f"{kind:4} upload {run['upload_mb']:6.2f} MB ({run['unzipped_mb']:6.2f} MB unzipped)  "
                    f"{run['seconds']:6.2f} s  peak +{run['peak_mb']:5.0f} MB "
                    f"= {run['peak_mb'] / run['unzipped_mb']:5.1f}x "
                    f"{run['status']:8} "
                    f"errors {run['errors_stored']:,} stored of {run['errors_total']:,} {run['message']}"
                )
            small, large = runs
            print(
                f"{kind:4} 2n/n: time {large['seconds'] / small['seconds']:.2f}, "
                f"memory {large['peak_mb'] / max(small['peak_mb'], 1):.2f}"
            )


if __name__ == "__main__":
    main()
