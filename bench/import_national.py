"""Benchmark: importing the national ITA table, against COPY + upsert and django-import-export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench .venv/bin/python bench/import_national.py
    DATABASE_URL=sqlite:////tmp/ita_bench.sqlite3 .venv/bin/python bench/import_national.py --orgs 200

The figures are meant for PostgreSQL, where production runs; on SQLite the script is a quick smoke
run and skips the COPY baseline (SQLite has no COPY), saying so. It is a benchmark, not a test.

What it does, on the database DATABASE_URL names (which must be set, so the development database
is never used; a PostgreSQL database that does not exist yet is created):
1. migrates it and loads the framework fixtures; refuses to run when it already holds
   organisations, assessments or users, unless --force (which then deletes them: scratch only);
2. generates the national file (--orgs organisations × ~89 values, one fiscal year) as CSV and as
   xlsx, with Thai names and provinces and a mix of Thai and Arabic digits (bench/national_file.py);
3. times, each contender in its own process so that its peak memory (ru_maxrss) is its own:
   (a) our import of the CSV: read_table → plan_import → apply_import, into an empty database;
   (b) the same for the xlsx (the database is emptied first), with the xlsx reading shown apart;
   (c) re-importing the CSV unchanged;
   (d) the baseline: the same Score rows, already typed and keyed by assessment id, COPY'd into a
       temporary table and written with one INSERT … ON CONFLICT DO UPDATE, into an empty score
       table, in one transaction (PostgreSQL only);
   (e) django-import-export's default ModelResource for Score on --sample rows, as rows per second;
   and one organisation's file (about 90 values): upload bytes → read_table + plan_import in ms,
   the median of several runs;
4. prints a table, then the two ratios last. ours/copy takes the slowest of (a), (b) and (c).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

import national_file  # noqa: E402  (needs the path above)

GOAL_COPY_RATIO = 2.0
GOAL_IMPORT_EXPORT = 50
ONE_ORG_RUNS = 7


def _setup_django() -> None:
    import django

    django.setup()


def _peak_mb() -> float:
    """This process's peak resident memory in MB.

    VmHWM, where Linux has it: ru_maxrss survives exec, so a child would report its parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the contenders, each run in a child process -------------------------------------------------


def run_ours(path: str) -> dict:
    """Read, plan and apply one file, timing each phase."""
    import hashlib

    from ita.importers.load import apply_import, plan_import
    from ita.importers.parse import read_table
    from ita.models import Score

    started = time.perf_counter()
    data = Path(path).read_bytes()
    table = read_table(data, Path(path).name)
    read_done = time.perf_counter()
    plan = plan_import(table, filename=Path(path).name, sha256=hashlib.sha256(data).hexdigest(), create_orgs=True)
    plan_done = time.perf_counter()
    if plan.errors:
        raise SystemExit("\n".join(plan.summary_lines()[:40]))
    del table  # as a view would: the rows are not needed once planned
    batch = apply_import(plan)
    finished = time.perf_counter()
    return {
        "seconds": finished - started,
        "read": read_done - started,
        "plan": plan_done - read_done,
        "apply": finished - plan_done,
        "values": batch.values_created + batch.values_changed + batch.values_unchanged,
        "written": batch.values_created + batch.values_changed,
        "scores": Score.objects.count(),
        "peak_mb": _peak_mb(),
    }


def run_copy(orgs: int) -> dict:
    """The baseline: COPY the typed Score rows into a temp table and upsert them, in one transaction."""
    import io

    from django.db import connection, transaction

    from ita.models import Assessment, ImportBatch, Score

    ids = dict(Assessment.objects.values_list("organization__code", "pk"))
    buffer = io.StringIO()
    count = 0
    for org_code, kind, code, value in national_file.score_rows(orgs):
        buffer.write(f"{ids[org_code]}\t{kind}\t{code}\t{value}\n")
        count += 1
    buffer.seek(0)
    Score.objects.all().delete()
    # The same columns as our import writes, batch included (its foreign key is checked at commit too).
    batch = ImportBatch.objects.create(filename="baseline", sha256="0" * 64)
    table = Score._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_stage (assessment_id bigint, kind varchar(9), code varchar(8), value numeric(5,2))"
            " ON COMMIT DROP"
        )
        cursor.copy_expert("COPY bench_stage FROM STDIN", buffer)
        cursor.execute(
            f"INSERT INTO {table} (assessment_id, kind, code, value, source, batch_id, updated_at)"  # noqa: S608
            " SELECT assessment_id, kind, code, value, 'import', %s, now() FROM bench_stage"
            " ON CONFLICT (assessment_id, kind, code) DO UPDATE SET value = EXCLUDED.value,"
            " source = EXCLUDED.source, batch_id = EXCLUDED.batch_id, updated_at = EXCLUDED.updated_at",
            [batch.pk],
        )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "written": count, "scores": Score.objects.count(), "peak_mb": _peak_mb()}


def run_import_export(sample: int) -> dict:
    """django-import-export's default ModelResource importing `sample` new Score rows, in its transaction."""
    import tablib
    from import_export import resources

    from ita.models import Score

    class ScoreResource(resources.ModelResource):
        class Meta:
            model = Score

    first = Score.objects.order_by("assessment_id", "kind", "code")
    rows = list(first.values_list("assessment_id", "kind", "code", "value")[:sample])
    Score.objects.filter(pk__in=list(first.values_list("pk", flat=True)[:sample])).delete()
    dataset = tablib.Dataset(headers=["assessment", "kind", "code", "value", "source"])
    for assessment_id, kind, code, value in rows:
        dataset.append([assessment_id, kind, code, str(value), "import"])
    started = time.perf_counter()
    result = ScoreResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("django-import-export reported errors")
    return {"seconds": seconds, "written": len(rows), "peak_mb": _peak_mb()}


def run_one_org(csv_path: str, xlsx_path: str) -> dict:
    """Upload bytes → read_table + plan_import for one organisation's file, median of several runs, in ms."""
    from ita.importers.load import plan_import
    from ita.importers.parse import read_table

    figures = {}
    for label, path in (("csv", csv_path), ("xlsx", xlsx_path)):
        data = Path(path).read_bytes()
        runs = []
        for _ in range(ONE_ORG_RUNS):
            started = time.perf_counter()
            plan = plan_import(read_table(data, Path(path).name), filename=Path(path).name, sha256="0" * 64)
            runs.append((time.perf_counter() - started) * 1000)
            if plan.errors:
                raise SystemExit("\n".join(plan.summary_lines()[:20]))
        figures[label] = statistics.median(runs)
    figures["peak_mb"] = _peak_mb()
    return figures


CHILDREN = {
    "ours": lambda args: run_ours(args.path),
    "copy": lambda args: run_copy(args.orgs),
    "import_export": lambda args: run_import_export(args.sample),
    "one_org": lambda args: run_one_org(args.path, args.path2),
}


def child_main(args: argparse.Namespace) -> None:
    _setup_django()
    print(json.dumps(CHILDREN[args.child](args)))


def spawn(name: str, **options) -> dict:
    """Run one contender in a fresh process and return what it measured."""
    command = [sys.executable, __file__, "--child", name]
    for key, value in options.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the scratch database ------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database the URL names when it does not exist yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    connection.close()


def prepare_database(force: bool) -> None:
    """Migrate, refuse a database holding data (unless --force), empty it, and load the frameworks."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from ita.demo import load_frameworks
    from ita.models import Assessment, Organization

    if "ita_organization" in connection.introspection.table_names():
        holds = Organization.objects.exists() or Assessment.objects.exists() or User.objects.exists()
        if holds and not force:
            raise SystemExit(
                "This database already holds organisations, assessments or users. The benchmark deletes them: "
                "point DATABASE_URL at a scratch database, or pass --force if this one really is scratch."
            )
    call_command("migrate", verbosity=0)
    empty_database()
    load_frameworks()


def empty_database() -> None:
    """Delete everything an import writes, children first, so each contender starts from the same state."""
    from django.db import connection, transaction

    from ita.models import Assessment, ImportBatch, ImportJob, Organization, Score, ScoreRevision

    models = (ScoreRevision, Score, ImportJob, Assessment, ImportBatch, Organization)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            for model in models:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def write_files(directory: Path, orgs: int) -> dict[str, Path]:
    """The national file as CSV and xlsx, and one organisation's file in both forms."""
    paths = {
        "csv": directory / "ita_national_2567.csv",
        "xlsx": directory / "ita_national_2567.xlsx",
        "one_csv": directory / "ita_one_org_2567.csv",
        "one_xlsx": directory / "ita_one_org_2567.xlsx",
    }
    paths["csv"].write_bytes(national_file.csv_bytes(orgs))
    paths["xlsx"].write_bytes(national_file.xlsx_bytes(orgs))
    paths["one_csv"].write_bytes(national_file.csv_bytes(1))
    paths["one_xlsx"].write_bytes(national_file.xlsx_bytes(1))
    return paths


# --- the report ----------------------------------------------------------------------------------


def _row(label: str, figures: dict, rows_per_second: float | None = None) -> str:
    speed = f"{rows_per_second:>12,.0f}" if rows_per_second else f"{'':>12}"
    return f"{label:<46} {figures['seconds']:>9.2f} {speed} {figures['peak_mb']:>9.0f}"


def report(args: argparse.Namespace, results: dict, sizes: dict) -> None:
    ours = {key: results[key] for key in ("csv", "xlsx", "reimport")}
    print()
    print(
        f"National file: {args.orgs:,} organisations, {ours['csv']['values']:,} values "
        f"({ours['csv']['scores']:,} Score rows); CSV {sizes['csv'] / 1e6:.1f} MB, xlsx {sizes['xlsx'] / 1e6:.1f} MB"
    )
    print(f"{'contender':<46} {'seconds':>9} {'rows/s':>12} {'peak MB':>9}")
    for key, label in (
        ("csv", "(a) ours, CSV (read+plan+apply)"),
        ("xlsx", "(b) ours, xlsx (read+plan+apply)"),
        ("reimport", "(c) ours, CSV re-imported unchanged"),
    ):
        figures = ours[key]
        print(_row(label, figures, figures["scores"] / figures["seconds"]))
        print(f"{'':<6}read {figures['read']:.2f} s · plan {figures['plan']:.2f} s · apply {figures['apply']:.2f} s")
    copy = results.get("copy")
    if copy:
        print(_row("(d) baseline COPY + INSERT … ON CONFLICT", copy, copy["written"] / copy["seconds"]))
    else:
        print(f"{'(d) baseline COPY + INSERT … ON CONFLICT':<46} skipped: not PostgreSQL (SQLite has no COPY)")
    ie = results["import_export"]
    ie_speed = ie["written"] / ie["seconds"]
    print(_row(f"(e) django-import-export, {ie['written']:,} rows", ie, ie_speed))
    one = results["one_org"]
    print(
        f"one organisation's file, upload → preview: CSV {one['csv']:.0f} ms, xlsx {one['xlsx']:.0f} ms "
        f"(median of {ONE_ORG_RUNS}; goal < 300 ms)"
    )
    print(f"re-import / first import (CSV) = {ours['reimport']['seconds'] / ours['csv']['seconds']:.2f} (goal ≤ 1.00)")
    peak = max(figures["peak_mb"] for figures in ours.values())
    print(f"peak memory of our import = {peak:.0f} MB (goal < 500)")
    slowest = max(ours.values(), key=lambda figures: figures["seconds"])
    if copy:
        print(f"ours/copy = {slowest['seconds'] / copy['seconds']:.2f} (goal ≤ {GOAL_COPY_RATIO:.2f})")
    else:
        print("ours/copy = n/a (SQLite: no COPY baseline; run on PostgreSQL for this figure)")
    ours_speed = ours["csv"]["scores"] / slowest["seconds"]
    print(f"ours_vs_import_export = {ours_speed / ie_speed:.0f}x (goal ≥ {GOAL_IMPORT_EXPORT})")


def main(args: argparse.Namespace) -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit(
            "Set DATABASE_URL to a scratch database (see the docstring); the development one is never used"
        )
    ensure_database(url)
    _setup_django()
    prepare_database(args.force)
    with tempfile.TemporaryDirectory(prefix="ita_bench_") as directory:
        started = time.perf_counter()
        paths = write_files(Path(directory), args.orgs)
        print(f"generated the files in {time.perf_counter() - started:.1f} s", flush=True)
        results = {}
        results["xlsx"] = spawn("ours", path=paths["xlsx"])
        print(f"(b) xlsx: {results['xlsx']['seconds']:.2f} s", flush=True)
        empty_database()
        results["csv"] = spawn("ours", path=paths["csv"])
        print(f"(a) csv: {results['csv']['seconds']:.2f} s", flush=True)
        results["reimport"] = spawn("ours", path=paths["csv"])
        print(f"(c) re-import: {results['reimport']['seconds']:.2f} s", flush=True)
        results["one_org"] = spawn("one_org", path=paths["one_csv"], path2=paths["one_xlsx"])
        from django.db import connection

        if connection.vendor == "postgresql":
            results["copy"] = spawn("copy", orgs=args.orgs)
            print(f"(d) copy: {results['copy']['seconds']:.2f} s", flush=True)
        results["import_export"] = spawn("import_export", sample=args.sample)
        sizes = {key: paths[key].stat().st_size for key in ("csv", "xlsx")}
    report(args, results, sizes)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orgs", type=int, default=8300, help="organisations in the national file (8300)")
    parser.add_argument("--sample", type=int, default=3000, help="Score rows for django-import-export (3000)")
    parser.add_argument("--force", action="store_true", help="run even though the database holds data (deletes it)")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--path2", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.child:
        child_main(arguments)
    else:
        main(arguments)
