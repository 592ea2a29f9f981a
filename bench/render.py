"""Benchmark: the มาตรการ PDF, WeasyPrint alone against the whole pipeline, and documents per minute.

    DATABASE_URL=sqlite:////tmp/ita_render.sqlite3 .venv/bin/python bench/render.py

On the database DATABASE_URL names (it must be set, so the development database is never used):
migrates, loads the demo data with `seed_demo` when it has no organisations, and creates the four
seed plans when missing. Then, for one plan (default the 11-page Mae Sai Mittraphap 2567):
(a) WeasyPrint alone: `render_pdf` on that plan's HTML, built once (warm: one discarded run, then
    the median of --runs);
(b) the whole pipeline: database → context → template → PDF, the median of --runs in the same
    process right after (a);
(s) stock WeasyPrint: the same HTML, fonts and CSS with none of the project's text code (no
    text layer: ``reports.pdf.textlayer.disabled()``; no Thai word segmentation) and untagged;
(u) the project's render untagged, and (p) the published copy's: PDF/A-3u, tagged, with its data
    attached — compared with each other;
(c) documents per minute with 1 and 2 worker processes (forked after setup, each rendering --docs
    documents from the database, cycling over the seed plans), and the scaling ratio.
It prints `pipeline/weasyprint`, `pipeline/stock = x.xx (goal ≤ 1.25)`, `archival/plain = x.xx
(goal ≤ 1.3)` and `scaling 2/1 = x.xx (goal ≈ 2.00)`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

SEED_PLANS = (
    ("DEMO-MAESAIMITTRAPHAP", 2567),
    ("DEMO-KHUANSAOTHONG", 2569),
    ("DEMO-LOHJUD", 2567),
    ("DEMO-NONGLAENG", 2565),
)


def setup() -> list[int]:
    """Migrate, seed and create the seed plans; return their ids (first one: the plan timed in a and b)."""
    import django

    django.setup()
    from django.core.management import call_command

    from ita.models import Organization
    from measures.plans import create_plan, latest_plan

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        call_command("seed_demo", "--no-users", verbosity=0)
    ids = []
    for code, year in SEED_PLANS:
        organization = Organization.objects.get(code=code)
        plan = latest_plan(organization=organization, fiscal_year=year) or create_plan(
            organization=organization, fiscal_year=year
        )
        ids.append(plan.pk)
    return ids


def pipeline(plan_id: int) -> bytes:
    """Database → context → template → PDF, as the render task does for a fresh plan."""
    from measures.models import MeasurePlan
    from reports.pdf.render import render_pdf
    from reports.rendering import document_context, document_html

    plan = MeasurePlan.objects.get(pk=plan_id)
    context = document_context(plan, kind="measures", digits="thai", options={})
    return render_pdf(document_html("measures", context))


def page_count(pdf: bytes) -> str:
    """Pages of a PDF, read by poppler's pdfinfo ("?" when it is not installed)."""
    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.decode().splitlines() if line.startswith("Pages:")), "?")


def timed(function, runs: int) -> float:
    function()  # warm: fonts compiled, templates loaded, WeasyPrint's caches filled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def worker(plan_ids: list[int], docs: int, start_at: int) -> None:
    from django import db

    db.connections.close_all()  # never share the parent's connection
    for n in range(docs):
        pipeline(plan_ids[(start_at + n) % len(plan_ids)])


def per_minute(plan_ids: list[int], workers: int, docs: int) -> float:
    from django import db

    db.connections.close_all()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=worker, args=(plan_ids, docs, k)) for k in range(workers)]
    start = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"a worker failed with exit code {process.exitcode}")
    return workers * docs / (time.perf_counter() - start) * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--docs", type=int, default=40)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a scratch database (e.g. sqlite:////tmp/ita_render.sqlite3).")
    plan_ids = setup()

    from measures.models import MeasurePlan
    from reports.pdf import textlayer, wordbreak
    from reports.pdf.render import render_document, render_pdf
    from reports.rendering import document_context, document_html

    plan = MeasurePlan.objects.select_related("organization").get(pk=plan_ids[0])
    html = document_html("measures", document_context(plan, kind="measures", digits="thai", options={}))
    pages = page_count(render_pdf(html))
    alone = timed(lambda: render_pdf(html), args.runs)
    whole = timed(lambda: pipeline(plan.pk), args.runs)
    with textlayer.disabled(), wordbreak.disabled():
        stock = timed(lambda: render_document(html).write_pdf(), args.runs)
    plain = timed(lambda: render_pdf(html, tagged=False), args.runs)
    data = [("measures-data.json", b"{}" * 20000, "data")]
    archival = timed(lambda: render_pdf(html, archival=True, attachments=data), args.runs)
    print(f"plan: {plan.organization.name} {plan.fiscal_year} ({pages} pages), median of {args.runs} warm runs")
    print(f"(a) weasyprint alone   {alone * 1000:8.1f} ms")
    print(f"(b) whole pipeline     {whole * 1000:8.1f} ms")
    print(f"(s) stock weasyprint   {stock * 1000:8.1f} ms (no text layer, no word segmentation, untagged)")
    print(f"(u) untagged render    {plain * 1000:8.1f} ms")
    print(f"(p) PDF/A-3u, tagged   {archival * 1000:8.1f} ms (40 kB of data attached)")
    one = per_minute(plan_ids, 1, args.docs)
    two = per_minute(plan_ids, 2, args.docs)
    print(f"(c) 1 worker           {one:8.1f} documents/minute ({args.docs} documents)")
    print(f"    2 workers          {two:8.1f} documents/minute ({2 * args.docs} documents)")
    print(f"pipeline/weasyprint = {whole / alone:.2f} (goal ≤ 1.25)")
    print(f"pipeline/stock = {whole / stock:.2f} (goal ≤ 1.25)")
    print(f"archival/plain = {archival / plain:.2f} (goal ≤ 1.3)")
    print(f"scaling 2/1 = {two / one:.2f} (goal ≈ 2.00 on 2 cores)")


if __name__ == "__main__":
    main()
