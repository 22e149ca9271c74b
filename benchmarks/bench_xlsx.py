"""XLSX loading: the fast reader (python-calamine, the ``xlsx`` extra) against openpyxl.

For each size, the synthetic audits of ``bench_ingest.py`` are written as an XLSX export
with the default mapping's columns (dates as date cells, the cycle as text, empty cells
left out), as openpyxl's write-only mode writes a workbook; then ``load_audits`` reads it
with each reader (``QAFRAMEWORK_XLSX_READER``) in the same process, and the loads are
checked to be equal. Times are CPU seconds (user + system), the fastest of ``--repeat``
runs; the last lines give each reader's log-log slope from the smallest size to the
largest (1.0 is linear).

    python benchmarks/bench_xlsx.py [--sizes 1000 3000 10000 30000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import functools
import math
import os
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import best_time, synthetic_audits, write_csv

from qaframework.io import _xlsx_fast
from qaframework.io.audits import load_audits
from qaframework.profiles.registry import load_profile


def write_xlsx(csv_path: Path, path: Path) -> None:
    """The CSV export as a workbook: the audit date a date cell, empty cells left out."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Audits")
    with csv_path.open(newline="", encoding="utf-8") as file:
        rows = csv.reader(file)
        header = next(rows)
        sheet.append(header)
        at = header.index("Audit Date")
        for row in rows:
            cells: list[object] = [c if c else None for c in row]
            day = row[at]
            cells[at] = date(int(day[6:]), int(day[3:5]), int(day[:2]))
            sheet.append(cells)
    book.save(path)


def main() -> int:
    """Write the exports, measure, print a Markdown table and the slopes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="bolton")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 30))
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 3_000, 10_000, 30_000])
    parser.add_argument("--seed", type=int, default=20260205)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not _xlsx_fast.calamine_available():
        raise SystemExit("bench_xlsx: python-calamine is not installed (the xlsx extra)")
    from importlib.metadata import version

    profile = load_profile(args.profile, as_of=args.as_of)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}, "
        f"Python {platform.python_version()}, python-calamine {version('python-calamine')}, "
        f"openpyxl {version('openpyxl')}; profile {profile.label}; seed {args.seed}\n"
    )
    print("| audits | file MB | calamine CPU s | openpyxl CPU s | openpyxl / calamine |")
    print("|---:|---:|---:|---:|---:|")
    times: dict[str, list[float]] = {"calamine": [], "openpyxl": []}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            audits = synthetic_audits(profile, size, args.seed, args.as_of)
            csv_path = Path(folder) / "audits.csv"
            path = Path(folder) / "audits.xlsx"
            write_csv(audits, profile, csv_path)
            del audits
            write_xlsx(csv_path, path)
            loads = {}
            took = {}
            for reader in ("calamine", "openpyxl"):
                os.environ[_xlsx_fast.READER_VARIABLE] = reader
                loads[reader] = load_audits(path, args.profile)
                took[reader] = best_time(
                    functools.partial(load_audits, path, args.profile),
                    pause_gc=False,
                    repeat=args.repeat,
                    expect=size,
                )[0]
                times[reader].append(took[reader])
            if loads["calamine"] != loads["openpyxl"]:
                raise SystemExit(f"bench_xlsx: the readers' loads differ at {size}")
            print(
                f"| {size:,} | {path.stat().st_size / 1e6:.1f} | {took['calamine']:.2f} "
                f"| {took['openpyxl']:.2f} | {took['openpyxl'] / took['calamine']:.1f}x |"
            )
    os.environ.pop(_xlsx_fast.READER_VARIABLE, None)
    if len(args.sizes) > 1:
        low, high = args.sizes[0], args.sizes[-1]
        print()
        for reader, measured in times.items():
            slope = math.log(measured[-1] / measured[0]) / math.log(high / low)
            print(f"{reader}: log-log slope {slope:.2f} from {low:,} to {high:,} audits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
