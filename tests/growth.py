"""How a parser's cost grows with its input (SECURITY.md B1): counted where Python does the work, timed
with a generous bound where a regular expression does it.

`work()` counts the bytecode instructions Python runs, which is deterministic: growth tests over it
never flake. It cannot see inside the regular-expression engine (C code), where backtracking hides,
so the reproductions of the reported slow inputs also use `assert_time_linear()`: the input n and 8n
in one test, a ratio of at most 20 (linear is about 8, quadratic 64, cubic 512) and an absolute cap far
above what a linear parser needs. The large input is timed once first, so that a regression fails in
about a second instead of hanging for minutes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable


def work(function: Callable[..., object], *args, **kwargs) -> int:
    """Bytecode instructions run by function(*args, **kwargs), including everything it calls in Python."""
    count = 0

    def trace(frame, event, _arg):
        nonlocal count
        frame.f_trace_opcodes = True
        if event == "opcode":
            count += 1
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        function(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return count


def assert_work_linear(function: Callable[[object], object], small: object, large: object, *, factor: float) -> None:
    """work(large) is at most about `factor` times work(small), plus a little for fixed costs."""
    base, grown = work(function, small), work(function, large)
    assert grown <= factor * base * 1.25 + 2_000, f"work grew {grown / max(base, 1):.1f}× for {factor}× input"


def _seconds(function: Callable[[object], object], value: object, loops: int) -> float:
    start = time.process_time()
    for _ in range(loops):
        function(value)
    return time.process_time() - start


def assert_time_linear(
    function: Callable[[object], object], small: object, large: object, *, ratio: float = 20, cap: float = 1.0
) -> None:
    """`large` is 8× `small`: one call on it stays under `cap` seconds and the best-of-3 ratio under `ratio`."""
    once = _seconds(function, large, 1)
    assert once < cap, f"one call on the large input took {once:.2f} s (cap {cap} s)"
    loops = 1
    while _seconds(function, small, loops) < 0.02 and loops < 100_000:
        loops *= 2
    small_time = min(_seconds(function, small, loops) for _ in range(3))
    large_time = min(_seconds(function, large, loops) for _ in range(3))
    grown = large_time / max(small_time, 1e-9)
    assert grown <= ratio, f"time grew {grown:.1f}× for 8× input (at most {ratio}×)"
