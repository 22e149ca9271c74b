"""How loading an export grows with its width: columns the mapping does not read.

A council's case system or tracker can export far more columns than the mapping reads
(every field of a form, one column per question). The loaders list those columns
(``AuditLoad.unmapped_columns``, ``ActivityLogLoad.unmapped_columns``) or keep them as a
case's fields (``CaseLoad.field_columns``), so their cost should grow with the cells, not
with the square of the columns. Each export here is the bundled Bolton example's (200
rows: the example's 152 audits repeated to make 200, and its first 200 cases and activity
log entries; the audits read with the example's mapping) with ``N`` extra columns, for
each ``N`` of ``--widths``. The table shows each load's CPU time (best of ``--repeat``, a
fresh load each time) and the log-log slope between the two widest:
``log(t2 / t1) / log(n2 / n1)``, 1.0 for a cost that grows with the columns, 2.0 for one
that grows with their square. The target is a slope of at most 1.1.

    python3 dev.py run python benchmarks/bench_wide.py
    python3 dev.py run python benchmarks/bench_wide.py --widths 1000 4000 --repeat 1
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from growth import cpu, print_head, print_row

from qaframework.io.activity_log import load_activity_log
from qaframework.io.audits import load_audits
from qaframework.io.cases import load_cases

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples" / "bolton"
ROWS = 200


def widened(source: Path, target: Path, extra: int, rows: int) -> None:
    """``source``'s header and first rows (repeated to ``rows``) with ``extra`` columns."""
    with source.open(newline="", encoding="utf-8") as f:
        header, *body = list(csv.reader(f))
    body = (body * (rows // len(body) + 1))[:rows]
    with target.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([*header, *(f"Extra {i}" for i in range(extra))])
        for row in body:
            out.writerow([*row, *(["v"] * extra)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[2_500, 10_000, 40_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    widths = sorted(args.widths)
    mapping = EXAMPLES / "audits.mapping.toml"  # the example export's own column names
    loaders: dict[str, tuple[str, Callable[[Path], Any]]] = {
        "audits, engine rows": (
            "audits.csv",
            lambda p: load_audits(p, "bolton", mapping=mapping, engine="rows"),
        ),
        "audits, engine columns": (
            "audits.csv",
            lambda p: load_audits(p, "bolton", mapping=mapping, engine="columns"),
        ),
        "cases": ("cases.csv", load_cases),
        "activity log": ("activity-log.csv", load_activity_log),
    }
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}; {ROWS} rows, "
        f"CPU seconds, best of {args.repeat}\n"
    )
    print_head("export", [f"{w:,} columns s" for w in widths])
    with tempfile.TemporaryDirectory() as folder:
        for label, (example, load) in loaders.items():
            if label == "audits, engine columns":
                try:
                    import polars  # noqa: F401
                except ImportError:
                    print(f"| {label} | polars is not installed |")
                    continue
            seconds = []
            for width in widths:
                path = Path(folder) / f"{width}-{example}"
                if not path.exists():
                    widened(EXAMPLES / example, path, width, ROWS)
                seconds.append(cpu(lambda p=path, f=load: f(p), args.repeat)[0])
            print_row(label, widths, seconds)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
