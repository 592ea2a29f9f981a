"""Benchmark: the Word (.docx) export of the มาตรการ document, which a GET builds on request.

    DATABASE_URL=sqlite:////tmp/ita_render.sqlite3 .venv/bin/python bench/word.py

On the database DATABASE_URL names (it must be set, so the development database is never used):
migrates, seeds and creates the seed plans as bench/render.py does, then for one plan (default the
11-page Mae Sai Mittraphap 2567) times, each as the median of --runs after one discarded run:
(a) the builder alone: `measures_docx` on the context, built once;
(b) what the download does: database → context → .docx.
It prints `request/goal = x.xx (goal ≤ 1.00, i.e. under one second)`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

GOAL_SECONDS = 1.0


def median_seconds(function, runs: int) -> float:
    function()  # warm: imports, template and style caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plan", type=int, default=0, help="index into the seed plans (0 = Mae Sai 2567)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a scratch database (the benchmark migrates and seeds it).")
    from render import setup

    plan_id = setup()[args.plan]
    from measures.models import MeasurePlan
    from reports.documents.measures import measures_document_context
    from reports.word import measures_docx

    plan = MeasurePlan.objects.select_related("organization").get(pk=plan_id)
    context = measures_document_context(plan)
    data = measures_docx(context)
    print(f"plan: {plan.organization.name} {plan.fiscal_year}, {len(context['measures'])} measures, {len(data)} bytes")
    builder = median_seconds(lambda: measures_docx(context), args.runs)
    request = median_seconds(lambda: measures_docx(measures_document_context(plan)), args.runs)
    print(f"(a) builder alone:            {builder:.3f} s")
    print(f"(b) database → context → docx: {request:.3f} s")
    print(f"request/goal = {request / GOAL_SECONDS:.2f} (goal ≤ 1.00, i.e. under one second)")


if __name__ == "__main__":
    main()
