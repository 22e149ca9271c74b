"""How publishing (small-number suppression) grows with the rows of one table.

A cycle report's tables have a row per team, service area, standard or activity: tens of
rows for a council. Two cases give one table thousands:

- reports over many teams: 40,000 synthetic Bolton audits (``bench_ingest``'s, a year's
  to 30 June 2026) whose team column holds ``N`` values (an export mapped to the wrong
  column, a worker's name in it), the report of the quarter to 30 June (its trend the
  year's) built by ``build_cycle_report`` and published by ``publishable()``, which alone
  is timed;
- a dense table: one :class:`~qaframework.CountTable` of ``N`` rows and 3 columns (and the
  same turned on its side, 3 rows and ``N`` columns), each cell drawn from 0, 1, 2, 3, 7
  and 20, so that half the cells are small, hidden first and then protected by
  ``suppress()``: the case where the most hidden numbers need a cycle of their own.

The table shows CPU seconds (best of ``--repeat``) at each ``N`` of ``--sizes`` and the
log-log slope between the two largest (1.0: in proportion; 2.0: the square).

    python3 dev.py run python benchmarks/bench_publish.py
    python3 dev.py run python benchmarks/bench_publish.py --sizes 250 1000 4000 --repeat 1
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).parent))

from bench_ingest import synthetic_audits
from growth import cpu, print_head, print_row

from qaframework import CountTable, load_profile, suppress
from qaframework.engine.periods import FinancialQuarter, FinancialYear
from qaframework.engine.report import build_cycle_report
from qaframework.profiles.registry import profile_resolver

AS_OF = date(2026, 6, 30)
AUDITS = 40_000
CELLS = (0, 1, 2, 3, 7, 20)


def teams_case(n: int, seed: int) -> Callable[[], Any]:
    """Publishing a report of :data:`AUDITS` audits over ``n`` teams."""
    profile = load_profile("bolton", as_of=AS_OF)
    audits = [
        attrs.evolve(audit, team=f"Team {i % n + 1}")
        for i, audit in enumerate(synthetic_audits(profile, AUDITS, seed, AS_OF))
    ]
    report = build_cycle_report(
        audits,
        profile_resolver("bolton"),
        FinancialQuarter(FinancialYear(2026), 1).period(),
        as_of=AS_OF,
        escalations=(),
    )
    return report.publishable


def dense_table(n: int, seed: int, *, wide: bool) -> CountTable:
    """``n`` rows of 3 cells (``wide``: 3 rows of ``n``), half of them 1 to 3."""
    rnd = random.Random(seed * 2 + wide)
    rows = [tuple(rnd.choice(CELLS) for _ in range(3)) for _ in range(n)]
    grid = [tuple(column) for column in zip(*rows, strict=True)] if wide else rows
    height, width = len(grid), len(grid[0])
    return CountTable(
        "Dense",
        "Row",
        tuple(f"r{i}" for i in range(height)),
        tuple(f"Row {i}" for i in range(height)),
        tuple(f"c{j}" for j in range(width)),
        tuple(f"Column {j}" for j in range(width)),
        tuple(grid),
    )


def dense_case(wide: bool) -> Callable[[int, int], Callable[[], Any]]:
    def make(n: int, seed: int) -> Callable[[], Any]:
        table = dense_table(n, seed, wide=wide)
        return lambda: suppress(table)

    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1_000, 2_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    cases: dict[str, Callable[[int, int], Callable[[], Any]]] = {
        f"report of {AUDITS:,} audits over N teams, publishable()": teams_case,
        "dense table of N rows and 3 columns, suppress()": dense_case(False),
        "dense table of 3 rows and N columns, suppress()": dense_case(True),
    }
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}; "
        f"CPU seconds, best of {args.repeat}\n"
    )
    print_head("case", [f"N = {n:,} s" for n in sizes])
    for label, make in cases.items():
        print_row(label, sizes, [cpu(make(n, args.seed), args.repeat)[0] for n in sizes])


if __name__ == "__main__":
    main()
