"""Benchmark: the public portal's pages with a national-size database (8,300 organisations × five years).

    DATABASE_URL=sqlite:////tmp/h6_bench.sqlite3 .venv/bin/python bench/portal.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_h6 .venv/bin/python bench/portal.py
    … --reuse     time again on the data built by an earlier run
    … --orgs 300  a quick smoke run

DATABASE_URL must be set, so that the development database is never touched; a PostgreSQL
database that does not exist yet is created. The script migrates it, then refuses to go on if
it already holds organisations, unless --reuse (time what is there) or --force (delete
every table first: scratch databases only).

The build loads the framework fixtures and bulk-inserts organisations with realistic types and
provinces, an official result for each of five fiscal years (overall, level, tools and the ten
indicators), and published plans (three measures each, a frozen public copy) for about 40 % of
them in the last two plan years, plus some drafts that must stay invisible.

Each page is then requested --runs times with Django's test Client (server time: middleware,
view, queries and template, no network); the median, the 90th percentile and the number of
queries of one request are printed next to the goal (median < 100 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

import national_file  # noqa: E402  (needs the path above)

GOAL_MS = 100
YEARS = (2564, 2565, 2566, 2567, 2568)
BATCH = 5000
CENT = Decimal("0.01")
PROVINCES = national_file.PROVINCES
# The national file's place-name parts, plus one so that the search benchmark's target name occurs.
PLACE_PARTS = (*national_file.PLACE_PARTS, "เล็ง")
# (type, name prefix, share): about what the national table holds.
ORG_TYPES = (
    ("sao", "องค์การบริหารส่วนตำบล", 0.62),
    ("subdistrict_municipality", "เทศบาลตำบล", 0.33),
    ("town", "เทศบาลเมือง", 0.04),
    ("city", "เทศบาลนคร", 0.003),
    ("pao", "องค์การบริหารส่วนจังหวัด", 0.007),
)
# Named on purpose so that the search benchmark has its exact match among thousands of partial ones.
TARGET_NAME = "เทศบาลตำบลหนองเล็ง"
FIRST_CODE = 5_000_001


def _setup(database_url: str) -> None:
    if database_url.startswith("postgres"):
        _create_postgres_database(database_url)
    import django

    django.setup()


def _create_postgres_database(database_url: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(database_url)
    admin = psycopg2.connect(
        dbname="postgres", user=config["USER"], password=config["PASSWORD"], host=config["HOST"], port=config["PORT"]
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    admin.close()


# --- building the data ----------------------------------------------------------------------------


def _pick_type(rng: random.Random) -> tuple[str, str]:
    pick, total = rng.random(), 0.0
    for org_type, prefix, share in ORG_TYPES:
        total += share
        if pick < total:
            return org_type, prefix
    return ORG_TYPES[0][0], ORG_TYPES[0][1]


def build_organizations(count: int, rng: random.Random) -> list:
    from ita.models import Organization

    rows = []
    for n in range(count):
        org_type, prefix = _pick_type(rng)
        place = "".join(rng.sample(PLACE_PARTS, rng.choice((2, 2, 3))))
        name = TARGET_NAME if n == 0 else f"{prefix}{place}"
        rows.append(
            Organization(
                code=f"{FIRST_CODE + n:07d}",
                name=name,
                org_type="subdistrict_municipality" if n == 0 else org_type,
                district="".join(rng.sample(PLACE_PARTS, 2)),
                province=PROVINCES[n % len(PROVINCES)],
            )
        )
    Organization.objects.bulk_create(rows, batch_size=BATCH)
    return list(Organization.objects.order_by("pk"))


def _score(rng: random.Random, low: int) -> Decimal:
    return Decimal(rng.randint(low * 100, 10_000)) / 100


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _level(levels: list, overall: Decimal, tools: list[Decimal]) -> str:
    """The first level (best first) whose overall and tool minimums are met."""
    for level in levels:
        if overall >= level.min_overall and (level.min_tool is None or min(tools) >= level.min_tool):
            return level.label
    return levels[-1].label


def _result(rng: random.Random, levels: list) -> tuple[Decimal, str, dict[str, Decimal]]:
    indicators = {str(n): _score(rng, 55) for n in range(1, 11)}
    iit = _mean([indicators[str(n)] for n in range(1, 6)])
    eit = _mean([indicators[str(n)] for n in range(6, 9)])
    oit = _mean([indicators["9"], indicators["10"]])
    overall = (iit * Decimal("0.3") + eit * Decimal("0.3") + oit * Decimal("0.4")).quantize(CENT, ROUND_HALF_UP)
    tools = {code: value.quantize(CENT, ROUND_HALF_UP) for code, value in (("IIT", iit), ("EIT", eit), ("OIT", oit))}
    return overall, _level(levels, overall, list(tools.values())), {**tools, **indicators}


def build_results(organizations: list, rng: random.Random) -> dict:
    """One official result per organisation and year, with tool and indicator scores; {(org id, year): pk}."""
    from ita.models import Assessment, Framework, Score

    frameworks = {f.fiscal_year: f for f in Framework.objects.filter(fiscal_year__in=YEARS).prefetch_related("levels")}
    keyed = {}
    for year in YEARS:
        framework, levels = frameworks[year], list(frameworks[year].levels.order_by("order"))
        assessments, values = [], []
        for organization in organizations:
            overall, level, scores = _result(rng, levels)
            assessments.append(
                Assessment(
                    organization=organization,
                    framework=framework,
                    fiscal_year=year,
                    official_overall=overall,
                    official_level=level,
                    overall=overall,
                    level=level,
                )
            )
            values.append(scores)
        Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        saved = Assessment.objects.filter(fiscal_year=year).order_by("organization_id").values_list("pk", flat=True)
        scores = (
            Score(assessment_id=pk, kind="tool" if code in ("IIT", "EIT", "OIT") else "indicator", code=code, value=v)
            for pk, row in zip(saved, values, strict=True)
            for code, v in row.items()
        )
        _bulk(Score, scores)
        keyed.update({(o.pk, year): pk for o, pk in zip(organizations, saved, strict=True)})
    return keyed


def _bulk(model, rows: Iterator) -> None:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def build_plans(organizations: list, results: dict, rng: random.Random) -> int:
    """Published plans (with measures and a frozen copy) for ~40 % of organisations in the last two years."""
    from django.utils import timezone

    from measures.models import Measure, MeasurePlan
    from reports.models import PublishedVersion

    now = timezone.now()
    plans = []
    for based_year in YEARS[-2:]:
        for organization in organizations:
            roll = rng.random()
            if roll < 0.45:
                status = MeasurePlan.Status.PUBLISHED if roll < 0.40 else MeasurePlan.Status.DRAFT
                plans.append(
                    MeasurePlan(
                        organization=organization,
                        fiscal_year=based_year + 1,
                        based_on_id=results[(organization.pk, based_year)],
                        status=status,
                        published_at=now if status == MeasurePlan.Status.PUBLISHED else None,
                    )
                )
    MeasurePlan.objects.bulk_create(plans, batch_size=BATCH)
    saved = list(MeasurePlan.objects.order_by("pk").values_list("pk", "status"))
    _bulk(Measure, (_measure(pk, order) for pk, _status in saved for order in range(3)))
    published = [pk for pk, status in saved if status == MeasurePlan.Status.PUBLISHED]
    _bulk(
        PublishedVersion,
        (
            PublishedVersion(
                plan_id=pk,
                context={},
                data_sha256=f"{pk:064x}",
                published_at=now,
                status="done",
                sha256=f"{pk + 1:064x}",
            )
            for pk in published
        ),
    )
    return len(published)


def _measure(plan_id: int, order: int):
    from measures.models import Measure

    return Measure(
        plan_id=plan_id,
        order=order,
        title=f"มาตรการที่ {order + 1}: เผยแพร่ข้อมูลและเปิดช่องทางรับฟังความคิดเห็น",
        steps=["จัดทำแผน", "ดำเนินการ", "รายงานผล"],
        responsible="สำนักปลัด",
        monitoring="รายงานผู้บริหารทุกไตรมาส",
        item_codes=["o12"],
        indicators=[9],
    )


def build(orgs: int, seed: int) -> None:
    from django.db import transaction

    from ita.demo import load_frameworks

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        load_frameworks()
        organizations = build_organizations(orgs, rng)
        results = build_results(organizations, rng)
        published = build_plans(organizations, results, rng)
    print(
        f"built {len(organizations)} organisations × {len(YEARS)} years, "
        f"{published} published plans in {time.perf_counter() - started:.1f} s"
    )


def clear() -> None:
    """Empty every table (frozen published copies refuse a normal delete; this is a scratch database)."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


# --- timing ---------------------------------------------------------------------------------------


class _QueryCounter:
    """A database execute wrapper that counts queries (the debug query log is capped, this is not)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _time(client, url: str, runs: int, *, cold: bool = False) -> tuple[float, float, float, int]:
    """(median ms, 90th percentile ms, median CPU ms, queries of one request) of GET url; streams are read.

    cold: the cache is cleared (untimed) before every request, to time the work the cache saves.
    """
    from django.core.cache import cache
    from django.db import connection

    def fetch() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if response.streaming:
            for _chunk in response.streaming_content:
                pass

    fetch()  # warm: templates compiled, name keys cached
    if cold:
        cache.clear()
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        fetch()
    times, cpu = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        fetch()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], statistics.median(cpu), counter.count


def pages() -> list[tuple[str, str, bool, bool]]:
    """(label, URL, whether the 100 ms goal applies, whether to clear the cache before each request)."""
    from urllib.parse import quote

    from django.urls import reverse

    latest = YEARS[-1]
    documents = reverse("portal:documents")
    organization = f"{FIRST_CODE:07d}"  # TARGET_NAME, with five years and published plans
    province_level = f"?year={latest + 1}&province={quote('ขอนแก่น')}&level={quote('ผ่าน')}"
    national = reverse("portal:national", args=[latest])
    return [
        ("list, no filter", documents, True, False),
        ("list, year + province + level", documents + province_level, True, False),
        ("list, type filter, page 20", f"{documents}?org_type=sao&page=20", True, False),
        ("search หนองเล็ง", f"{documents}?q={quote('หนองเล็ง')}", True, False),
        ("search misspelt ทต.หนองเลง", f"{documents}?q={quote('ทต. หนองเลง')}", True, False),
        ("organisation page", reverse("portal:organization", args=[organization]), True, False),
        ("national page (summary cached)", national, True, False),
        ("national page, cache cleared", national, True, True),
        ("results.csv (one year, streamed)", reverse("portal:dataset", args=[latest, "results", "csv"]), False, False),
        (
            "measures.json (one year, streamed)",
            reverse("portal:dataset", args=[latest + 1, "measures", "json"]),
            False,
            False,
        ),
    ]


def run(runs: int) -> bool:
    from django.db import connection
    from django.test import Client

    from reports.portal.search import name_key

    client = Client(HTTP_HOST="localhost")
    search = pages()[3][1]
    client.get(pages()[-4][1])  # the first request of a process loads translations, URLs, templates
    name_key.cache_clear()
    started = time.perf_counter()
    client.get(search)
    print(f"first search of a process (every name folded once): {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"\n{connection.vendor}, {runs} requests each, server time (wall clock; CPU of this process)\n")
    print(f"{'page':<36} {'median':>9} {'p90':>9} {'CPU':>9} {'queries':>8}  goal: median < {GOAL_MS} ms")
    all_met = True
    for label, url, has_goal, cold in pages():
        median, p90, cpu, queries = _time(client, url, runs, cold=cold)
        met = median < GOAL_MS
        all_met &= met or not has_goal
        verdict = ("met" if met else "MISSED") if has_goal else "-"
        print(f"{label:<36} {median:>7.1f}ms {p90:>7.1f}ms {cpu:>7.1f}ms {queries:>8}  {verdict}")
    return all_met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=8300)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2568)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--force", action="store_true", help="empty every table first (scratch databases only)")
    group.add_argument("--reuse", action="store_true", help="time the data already in the database")
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        raise SystemExit("Set DATABASE_URL to a scratch database (the development database is never used).")
    _setup(database_url)
    from django.core.management import call_command

    from ita.models import Organization

    call_command("migrate", verbosity=0)
    if Organization.objects.exists():
        if args.force:
            clear()
        elif not args.reuse:
            raise SystemExit("The database already holds organisations: use --reuse to time them, --force to rebuild.")
    if not Organization.objects.exists():
        build(args.orgs, args.seed)
    return 0 if run(args.runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
