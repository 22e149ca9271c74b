"""Stratified sampling of case lists at 10k, 100k and 1M cases, against named baselines.

Target (issue 3): stratified sampling of 1,000,000 cases in at most 1 s, with cost linear in
the number of cases. Every size is measured in one process, median of ``--repeat`` runs,
beside two baselines measured in the same run:

- *strata dict pass*: one plain loop grouping the cases by service area into lists, the
  least any stratified sampler must do; the "x baseline" column is relative to it;
- *random.sample*: the standard library drawing the same n from the list, unstratified.

Two rows measure narrowing a list before drawing: by a field mapping (``where`` with
``{"service_area": [...]}``, the plain case) and by a profile's structured
:class:`~qaframework.policy.case_filters.CaseFilter` over two fields, one a column matched by
its header ("District"), combined with all, any and none.

``ns/case`` shows linearity: it stays flat as the list grows. Each sampling row is also run
with the cycle collector off, and the collections the collector ran during the gc-on call
are counted: a bulk path that makes no garbage for it runs none.

    python3 dev.py run python benchmarks/bench_sampling.py [--repeat 5] [--n 1000]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from qaframework.engine.sampling import CasePool, simple_random, stratified
from qaframework.policy.case_filters import CaseFilter
from qaframework.policy.sampling import Case

SIZES = (10_000, 100_000, 1_000_000)
# Uneven service areas, as on a real case list: most children are in need or on a plan.
AREAS = (
    ("Early Help", 30),
    ("Children in Need", 25),
    ("Child Protection", 15),
    ("Children in Care", 15),
    ("Leaving Care", 8),
    ("Disabled Children", 5),
    ("Youth Justice", 2),
)


PLANNED = ["Child Protection", "Children in Care"]
FILTER = CaseFilter.all_of(
    CaseFilter.where("service_area", *PLANNED),
    CaseFilter.any_of(
        CaseFilter.where("district", "District 1"),
        CaseFilter.none_of(CaseFilter.where("team", "Team 1", "Team 2")),
    ),
)


def case_list(size: int) -> list[Case]:
    """A fictional case list of ``size`` children, the same for every run."""
    rng = random.Random(size)
    areas = rng.choices([a for a, _ in AREAS], weights=[w for _, w in AREAS], k=size)
    gc.disable()  # building a million objects is not what is measured here
    try:
        return [
            Case(
                f"C{i:07d}",
                team=f"Team {i % 40 + 1}",
                worker=f"W{i % 900}",
                service_area=area,
                fields={"District": f"District {i % 3 + 1}"},
            )
            for i, area in enumerate(areas)
        ]
    finally:
        gc.enable()


def strata_dict_pass(cases: Sequence[Case]) -> dict[str | None, list[Case]]:
    """The baseline: group the cases by service area in one plain loop."""
    strata: dict[str | None, list[Case]] = {}
    for case in cases:
        key = case.service_area
        group = strata.get(key)
        if group is None:
            strata[key] = [case]
        else:
            group.append(case)
    return strata


def _median_seconds(call: Callable[[], Any], repeat: int, *, collector: bool) -> float:
    samples = []
    for _ in range(repeat):
        if not collector:
            gc.disable()
        try:
            start = time.perf_counter()
            call()
            samples.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(samples)


def _collections_during(call: Callable[[], Any]) -> int:
    before: int = sum(s["collections"] for s in gc.get_stats())
    call()
    after: int = sum(s["collections"] for s in gc.get_stats())
    return after - before


def main() -> int:
    """Run the measurements and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--n", type=int, default=1000, help="sample size (default 1000)")
    args = parser.parse_args()
    n: int = args.n
    print(
        f"Python {platform.python_version()} on {platform.machine()} "
        f"({os.cpu_count()} CPUs), {platform.system()}; n = {n}; median of {args.repeat}\n"
    )
    print("| cases | measurement | median ms | ns/case | x baseline | gc off ms | collections |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size in SIZES:
        cases = case_list(size)
        pool = CasePool.of(cases)
        rows: list[tuple[str, Callable[[], Any]]] = [
            ("strata dict pass (baseline)", partial(strata_dict_pass, cases)),
            ("random.sample (baseline)", partial(random.Random(1).sample, cases, n)),
            (
                "stratified, by service area",
                partial(stratified, cases, n, by="service_area", seed=1),
            ),
            (
                "stratified, by service area and district",
                partial(stratified, cases, n, by=("service_area", "District"), seed=1),
            ),
            (
                "stratified, pool built beforehand",
                partial(stratified, pool, n, by="service_area", seed=1),
            ),
            ("CasePool.of (one row per child check)", partial(CasePool.of, cases)),
            ("where, a field mapping", partial(pool.where, {"service_area": PLANNED})),
            ("where, a case filter (all, any, none)", partial(pool.where, FILTER)),
            ("simple_random", partial(simple_random, cases, n, seed=1)),
        ]
        baseline = 0.0
        for label, call in rows:
            call()  # warm up
            on = _median_seconds(call, args.repeat, collector=True)
            off = _median_seconds(call, args.repeat, collector=False)
            collections = _collections_during(call)
            if not baseline:
                baseline = on
            print(
                f"| {size:,} | {label} | {on * 1000:.1f} | {on * 1e9 / size:.0f} | "
                f"{on / baseline:.2f} | {off * 1000:.1f} | {collections} |"
            )
        del cases, pool, rows
    return 0


if __name__ == "__main__":
    sys.exit(main())
