"""An on/off switch for the project's hooks into WeasyPrint (text layer, word breaking).

The hooks stay installed; the benchmark and tests turn one off for a block to compare with stock
WeasyPrint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class Switch:
    """``enabled`` is read by a hook at each call; ``disabled()`` turns it off inside a block."""

    def __init__(self) -> None:
        self.enabled = True

    @contextlib.contextmanager
    def disabled(self) -> Iterator[None]:
        previous, self.enabled = self.enabled, False
        try:
            yield
        finally:
            self.enabled = previous
