"""An import's errors, bounded: the first ERRORS_KEPT in (row, column) order are kept, the rest only counted.

A careless file (hundreds of thousands of conflicting rows) would otherwise hold every message in
memory, store it on the job as JSON and load it again on every view of the job page (issue 14, B2).
The kept errors are the ones a user fixes first; the count tells them how many more there are.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable

from ita.importers.parse import CellError

ERRORS_KEPT = 1_000


class ErrorLog:
    """Collects CellErrors in any order; keeps the `cap` smallest by (row, column, arrival) in O(cap) memory."""

    def __init__(self, cap: int = ERRORS_KEPT, errors: Iterable[CellError] = ()) -> None:
        self.cap = cap
        self.total = 0
        # A max-heap by negated keys: its top is the kept error that goes first when a smaller one arrives.
        self._heap: list[tuple[int, int, int, CellError]] = []
        self._arrival = itertools.count()
        self.extend(errors)

    def add(self, error: CellError) -> None:
        self.total += 1
        if self.cap <= 0:
            return
        item = (-error.row, -error.column, -next(self._arrival), error)
        if len(self._heap) < self.cap:
            heapq.heappush(self._heap, item)
        elif item > self._heap[0]:
            heapq.heapreplace(self._heap, item)

    def extend(self, errors: Iterable[CellError]) -> None:
        for error in errors:
            self.add(error)

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def more(self) -> int:
        """How many errors were counted but not kept."""
        return self.total - len(self._heap)

    def kept(self) -> list[CellError]:
        """The kept errors in (row, column) order; errors in the same cell in the order they came."""
        return [item[3] for item in sorted(self._heap, reverse=True)]
