"""What the benchmarks of how a cost grows share: the CPU time of the fastest of several
runs, and a Markdown table of times by size with the log-log slope between the two
largest sizes (1.0: in proportion; 2.0: the square; the target is at most 1.1)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any


def cpu(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The CPU seconds of the fastest of ``repeat`` runs of ``run``, and its last result
    (each run's result freed before the next)."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        del result
        start = time.process_time()
        result = run()
        best = min(best, time.process_time() - start)
    return best, result


def print_head(first: str, columns: Sequence[str]) -> None:
    """The table's header: ``first``, a column of seconds for each of ``columns``, the slope."""
    print(f"| {first} | {' | '.join(columns)} | slope | within 1.1 |")
    print("|---|" + "---:|" * len(columns) + "---:|---|")


def print_row(label: str, sizes: Sequence[int], seconds: Sequence[float]) -> None:
    """One row: the seconds at each size and the slope between the two largest."""
    slope = math.log(seconds[-1] / seconds[-2]) / math.log(sizes[-1] / sizes[-2])
    cells = " | ".join(f"{s:.3f}" for s in seconds)
    print(f"| {label} | {cells} | {slope:.2f} | {'yes' if slope <= 1.1 else 'NO'} |")
