"""How a parser's cost grows with its input (SECURITY.md B1), counted, never timed.

`work()` counts the bytecode instructions Python runs, which is deterministic: growth tests over it
never flake. It cannot see inside the regular-expression engine (C code), which is why the parsers of
user text scan in Python instead of matching patterns that could backtrack, and why the remaining
patterns are fixed-width. The reported slow inputs are also timed, n against 8n, by bench/parsing.py
(tests never time anything).
"""

from __future__ import annotations

import sys
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
