"""Benchmark: the organisation import (django-import-export, ita.onboarding) against plain bulk_create.

    DATABASE_URL=sqlite:////tmp/ita_onboarding.sqlite3 .venv/bin/python bench/onboarding.py --orgs 7850

On the database DATABASE_URL names (required, so the development database is never used; it is
migrated and its organisations deleted: scratch only), it generates --orgs organisations as a CSV
with Thai headers, labels and digits, then times in one run:
  (a) the baseline: the same rows, already typed, written with Organization.objects.bulk_create;
  (b) the admin's preview: the resource's dry run of the CSV (everything is rolled back);
  (c) the confirmed import into the emptied table (all rows new, audited);
  (d) the same file again (every row unchanged, skipped);
and prints seconds per 1,000 rows for each, and (c) against (a). It is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

PROVINCES = ("เชียงใหม่", "เชียงราย", "ขอนแก่น", "นครราชสีมา", "สงขลา", "บึงกาฬ", "นราธิวาส", "ลำปาง")
TYPES = (("องค์การบริหารส่วนตำบล", "sao"), ("เทศบาลตำบล", "subdistrict_municipality"), ("เทศบาลเมือง", "town"))
HEADERS = ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด", "โทรศัพท์", "เว็บไซต์"]


def rows(count: int) -> list[list[str]]:
    from ita.thai import to_thai_digits

    chance = random.Random(13)
    made = []
    for n in range(count):
        label, _value = TYPES[n % len(TYPES)]
        code = f"{6000000 + n}"
        made.append([
            to_thai_digits(code) if n % 2 else code,
            f"{label}ทดสอบ{n}",
            label,
            f"อำเภอ{chance.randint(1, 900)}",
            PROVINCES[n % len(PROVINCES)],
            to_thai_digits(f"0{chance.randint(20000000, 99999999)}"),
            f"https://org{n}.go.th" if n % 3 else "",
        ])  # fmt: skip
    return made


def as_csv(data: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADERS, *data])
    return buffer.getvalue().encode("utf-8")


def timed(label: str, count: int, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.2f} s   {seconds * 1000 / count:6.3f} s per 1,000 rows")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=7850)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a scratch database (its organisations are deleted).")
    import django

    django.setup()
    from django.core.management import call_command
    from import_export.formats.base_formats import CSV

    from ita.models import Organization
    from ita.onboarding.organizations import OrganizationResource
    from ita.thai import to_arabic_digits

    call_command("migrate", verbosity=0)
    data = rows(args.orgs)
    dataset = CSV(encoding="utf-8").create_dataset(as_csv(data))
    typed = [
        Organization(
            code=to_arabic_digits(r[0]), name=r[1], org_type=dict(TYPES)[r[2]], district=r[3], province=r[4],
            phone=to_arabic_digits(r[5]), website=r[6],
        )
        for r in data
    ]  # fmt: skip

    def fresh():
        return CSV(encoding="utf-8").create_dataset(as_csv(data))

    def check(result):
        if result.has_errors() or result.has_validation_errors():
            raise SystemExit("the import reported errors")

    print(f"{args.orgs} organisations, {django.db.connection.vendor}")
    Organization.objects.all().delete()
    baseline = timed("(a) bulk_create of the typed rows", args.orgs, lambda: Organization.objects.bulk_create(typed))
    Organization.objects.all().delete()
    timed(
        "(b) preview (dry run, rolled back)",
        args.orgs,
        lambda: check(OrganizationResource().import_data(dataset, dry_run=True)),
    )
    ours = timed("(c) confirmed import, all new", args.orgs, lambda: check(OrganizationResource().import_data(fresh())))
    timed(
        "(d) the same file again, all unchanged", args.orgs, lambda: check(OrganizationResource().import_data(fresh()))
    )
    print(f"confirmed import / bulk_create = {ours / baseline:.0f}x")


if __name__ == "__main__":
    main()
