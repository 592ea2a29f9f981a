"""Benchmark: the OIT link checker against a loopback site, URLs per second and peak memory (issue 15).

    .venv/bin/python bench/linkcheck.py                  # 10,000 URLs over 50 hosts, 2 worker processes
    .venv/bin/python bench/linkcheck.py --urls 2000      # a quick run

A server process serves 50 loopback hosts (127.0.0.2 … 127.0.0.51, one port): pages naming the
year, last year's pages, 404s and one-hop redirects. Two worker processes stand for two Celery
workers; each takes half of the hosts (as a task per organisation would) and runs check_many
with the default Policy (16 threads, 2 per host) and loopback allowed. The baseline, measured in
the same run the same way, is raw http.client GETs with the same threads and no checks or limits.
Memory: each worker's peak resident set (getrusage), at n/2 and n URLs: a bounded run keeps it flat.
Target: ≥ 200 URLs/s.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import multiprocessing
import resource
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ita.linkcheck import Policy, check_many

HOSTS = [f"127.0.0.{i}" for i in range(2, 52)]
PAGE = ("<html><head><title>อบต.</title></head><body>" + "ข้อมูลเผยแพร่ " * 150 + "{year}</body></html>").encode
BODIES = {"/now": PAGE().replace(b"{year}", "ปีงบประมาณ ๒๕๖๘".encode()), "/old": PAGE().replace(b"{year}", b"2567")}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        if self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "/now")
            body = b""
        elif self.path.split("?")[0] in BODIES:
            body = BODIES[self.path.split("?")[0]]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"not found"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(port: int, ready: multiprocessing.Event) -> None:
    for host in HOSTS:
        server = ThreadingHTTPServer((host, port), _Handler)
        server.daemon_threads = True
        server.request_queue_size = 128
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    threading.Event().wait()


def make_urls(count: int, port: int) -> list[str]:
    kinds = ["/now"] * 6 + ["/old"] * 2 + ["/moved", "/gone"]
    return [f"http://{HOSTS[i % len(HOSTS)]}:{port}{kinds[i % len(kinds)]}?n={i}" for i in range(count)]


def run_checker(urls: list[str]) -> tuple[Counter, int]:
    policy = dataclasses.replace(Policy(allow_loopback=True), timeout=10.0)
    verdicts = Counter(result.verdict for _index, result in check_many(urls, fiscal_year=2568, policy=policy))
    return verdicts, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_raw(urls: list[str]) -> tuple[Counter, int]:
    def get(url: str) -> int:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", f"{parts.path}?{parts.query}")
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(Policy().workers) as pool:
        statuses = Counter(pool.map(get, urls))
    return statuses, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed(job, urls: list[str]) -> tuple[float, int, int]:
    """Two worker processes, each given the URLs of half of the hosts."""
    halves = [[u for u in urls if HOSTS.index(urlsplit(u).hostname) % 2 == side] for side in (0, 1)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_noop, [0, 1])  # start-up is not part of the run
        start = time.perf_counter()
        answers = pool.map(job, halves)
        seconds = time.perf_counter() - start
    counts = sum((counts for counts, _ in answers), Counter())
    if job is run_checker:
        # The site's mix: 7 in 10 green (/now and /moved), 2 amber (/old), 1 red (/gone).
        assert counts == Counter(green=len(urls) * 7 // 10, amber=len(urls) // 5, red=len(urls) // 10), counts
    return seconds, counts.total(), max(rss for _, rss in answers)


def _noop(_value: int) -> None:
    """Warms a pool process."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=18765)
    args = parser.parse_args()
    ready = multiprocessing.get_context("spawn").Event()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(args.port, ready), daemon=True)
    server.start()
    ready.wait(30)
    try:
        print(f"{'run':<28}{'URLs':>8}{'seconds':>10}{'URLs/s':>10}{'peak RSS/worker':>18}")
        rates = {}
        for name, job, count in (
            ("raw http.client (baseline)", run_raw, args.urls),
            ("check_many, n/2", run_checker, args.urls // 2),
            ("check_many, n", run_checker, args.urls),
        ):
            seconds, done, rss_kb = timed(job, make_urls(count, args.port))
            rates[name] = done / seconds
            print(f"{name:<28}{done:>8}{seconds:>10.2f}{done / seconds:>10.0f}{rss_kb / 1024:>15.1f} MB")
        ratio = rates["check_many, n"] / rates["raw http.client (baseline)"]
        met = "met" if rates["check_many, n"] >= 200 else "NOT met"
        print(f"checker / baseline speed: {ratio:.2f}; target ≥ 200 URLs/s: {met}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
