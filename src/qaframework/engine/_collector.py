"""Pausing Python's cycle collector around bulk construction.

Building a million audits allocates tens of millions of tracked objects; with the collector
running, each generation-2 pass walks all of them again, which makes a bulk load, report or
evaluation several times slower. The records the library builds form no reference cycles,
so nothing is lost by not collecting while they are built. Every bulk path uses
:func:`paused_gc`, which restores the collector's state afterwards, even on an error.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc(pause: bool = True) -> Iterator[None]:
    """Pause the cycle collector for the ``with`` block (when ``pause``), then restore it:
    a collector that was enabled before is enabled again, one that was disabled stays so."""
    was_enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
