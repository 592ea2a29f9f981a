"""check_many(): many URLs at once, with a global worker limit and at most ``per_host`` requests
in flight to any one host name (the organisations' small web servers must not feel us).

Worker threads take the next URL whose host has a free slot, so that a long queue on one host
never holds workers idle while other hosts wait. A redirect to another host waits for a slot
there, after freeing the one it held: a waiting thread holds no slot, so none can deadlock.
Results come back as they finish; memory stays bounded by the workers' bodies (``max_bytes``
each) plus the queued URL strings. Pure Python.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from queue import SimpleQueue
from urllib.parse import urlsplit

from ita.linkcheck.check import LinkResult, check
from ita.linkcheck.policy import Policy


class HostLimiter:
    """Counts requests in flight per host name; ``slot(host)`` waits for one of ``limit`` places."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.busy: dict[str, int] = {}
        self.changed = threading.Condition()

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self.changed:
            self.changed.wait_for(lambda: self.busy.get(host, 0) < self.limit)
            self.busy[host] = self.busy.get(host, 0) + 1
        try:
            yield
        finally:
            self.release(host)

    def release(self, host: str) -> None:
        with self.changed:
            self.busy[host] -= 1
            if not self.busy[host]:
                del self.busy[host]
            self.changed.notify_all()


class _Queue:
    """URLs waiting, per host, handed out only to hosts below the limit (round robin)."""

    def __init__(self, urls: Iterable[tuple[int, str]], limiter: HostLimiter) -> None:
        self.limiter = limiter
        self.waiting: OrderedDict[str, deque[tuple[int, str]]] = OrderedDict()
        for index, url in urls:
            self.waiting.setdefault(_host(url), deque()).append((index, url))

    def take(self) -> tuple[int, str, str] | None:
        """The next (index, url, host) with its host slot taken, or None when all are handed out."""
        limiter = self.limiter
        with limiter.changed:
            while self.waiting:
                for host, queue in self.waiting.items():
                    if limiter.busy.get(host, 0) < limiter.limit:
                        index, url = queue.popleft()
                        if not queue:
                            del self.waiting[host]
                        else:
                            self.waiting.move_to_end(host)
                        limiter.busy[host] = limiter.busy.get(host, 0) + 1
                        return index, url, host
                limiter.changed.wait()
        return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""


def check_many(
    urls: Iterable[str],
    *,
    fiscal_year: int,
    policy: Policy,
    expected_host: str | None = None,
) -> Iterator[tuple[int, LinkResult]]:
    """(position in ``urls``, result) for every URL, in the order they finish."""
    limiter = HostLimiter(policy.per_host)
    queue = _Queue(enumerate(urls), limiter)
    done: SimpleQueue[tuple[int, LinkResult] | BaseException | None] = SimpleQueue()

    def work() -> None:
        try:
            while (item := queue.take()) is not None:
                index, url, host = item
                done.put((index, _check_first_slot_taken(url, host, fiscal_year, policy, expected_host, limiter)))
        except BaseException as exc:  # a bug, not a bad link: the caller must hear of it
            done.put(exc)
        finally:
            done.put(None)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(1, policy.workers))]
    for thread in threads:
        thread.start()
    running = len(threads)
    while running:
        item = done.get()
        if item is None:
            running -= 1
        elif isinstance(item, BaseException):
            raise item
        else:
            yield item


def _check_first_slot_taken(
    url: str, host: str, fiscal_year: int, policy: Policy, expected_host: str | None, limiter: HostLimiter
) -> LinkResult:
    """check() whose first hop uses the slot _Queue.take() already took for ``host``."""
    first = [True]

    @contextmanager
    def host_slot(name: str) -> Iterator[None]:
        if first[0] and name == host:
            first[0] = False
            try:
                yield
            finally:
                limiter.release(host)
            return
        if first[0]:
            # The first hop's name differs from the queue's key (case, trailing dot): free the key.
            first[0] = False
            limiter.release(host)
        with limiter.slot(name):
            yield

    try:
        return check(url, fiscal_year=fiscal_year, policy=policy, expected_host=expected_host, host_slot=host_slot)
    finally:
        if first[0]:
            # Refused before any connection: the slot taken for it was never used.
            limiter.release(host)
