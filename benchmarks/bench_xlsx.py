"""XLSX loading: the fast reader (python-calamine, the ``xlsx`` extra) against openpyxl.

For each size, the synthetic audits of ``bench_ingest.py`` are written as an XLSX export
with the default mapping's columns (dates as date cells, the cycle as text, empty cells
left out), as openpyxl's write-only mode writes a workbook; then ``load_audits`` reads it
with each reader (``QAFRAMEWORK_XLSX_READER``) in the same process, and the loads are
checked to be equal. Times are CPU seconds (user + system), the fastest of ``--repeat``
runs; the last lines give each reader's log-log slope from the smallest size to the
largest (1.0 is linear). With ``--phases``, the fast reader's time at each size is then
split into its phases (the workbook's structure, the sheet's XML inflated, the checks that
let calamine's reading stand for openpyxl's, expat's share of them, calamine's read, the
values mapped, and the row reader's conversion of the rows), each the fastest of
``--repeat`` runs. With ``--memory SIZE ...``, a fresh process loads an export of each size
with each reader and prints its peak and resident memory.

    python benchmarks/bench_xlsx.py [--sizes 1000 3000 10000 30000] [--repeat 3] [--phases]
    python benchmarks/bench_xlsx.py --sizes --memory 100000
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import math
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import best_time, synthetic_audits, write_csv
from growth import cpu

from qaframework.io import _xlsx_fast
from qaframework.io.audits import load_audits
from qaframework.policy.profile import Profile
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


def phases(path: Path, profile: str, repeat: int) -> dict[str, float]:
    """The fast reader's load of ``path`` by phase, CPU seconds."""
    import pyexpat

    import python_calamine

    raw = path.read_bytes()
    took: dict[str, float] = {}
    took["structure"], structure = cpu(lambda: _xlsx_fast._structure(raw), repeat)
    name, target = structure.found[0]
    took["inflate"], xml = cpu(lambda: _xlsx_fast._read_part(structure.archive, target), repeat)
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    book = structure.wb
    codes = [
        BUILTIN_FORMATS.get(style.numFmtId)
        if style.numFmtId < 164
        else book._number_formats[style.numFmtId - 164]
        for style in book._cell_styles
    ]

    def expat() -> None:
        pyexpat.ParserCreate().Parse(xml, True)

    took["checks"], scan = cpu(lambda: _xlsx_fast._vouch_sheet(xml, codes), repeat)
    took["expat"], _ = cpu(expat, repeat)

    def read() -> tuple[list[list[Any]], int]:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheet = book.get_sheet_by_name(name)
        start = sheet.start
        return list(sheet.iter_rows()), start[1] if start is not None else 0

    took["calamine"], (cells, left) = cpu(read, repeat)
    took["mapping"], _ = cpu(lambda: _xlsx_fast._rows(iter(cells), left, scan, {}), repeat)
    took["open"], _ = cpu(lambda: _xlsx_fast.open_fast(raw), repeat)
    os.environ[_xlsx_fast.READER_VARIABLE] = "calamine"
    took["load"], _ = cpu(lambda: load_audits(path, profile), repeat)
    return took


_MEMORY = """
import gc, sys
from qaframework.io.audits import load_audits


def status(name):
    # The process's own figures (ru_maxrss would carry the parent's over exec).
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(name + ":"))


before = status("VmRSS")
load = load_audits(sys.argv[1], sys.argv[2])
gc.collect()
print(len(load.accepted), before, status("VmHWM"), status("VmRSS"))
"""


def measure_memory(size: int, profile: Profile, args: argparse.Namespace, folder: Path) -> None:
    """Peak and resident memory of a fresh process that loads ``size`` synthetic audits from
    an XLSX export with each reader."""
    import subprocess

    audits = synthetic_audits(profile, size, args.seed, args.as_of)
    csv_path = folder / "memory.csv"
    path = folder / "memory.xlsx"
    write_csv(audits, profile, csv_path)
    del audits
    write_xlsx(csv_path, path)
    print()
    print("| audits | file MB | reader | peak RSS MB | resident after load MB |")
    print("|---:|---:|---|---:|---:|")
    for reader in ("calamine", "openpyxl"):
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY, str(path), args.profile],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, _xlsx_fast.READER_VARIABLE: reader},
        ).stdout.split()
        count, _before, peak, resident = map(int, out)
        if count != size:
            raise SystemExit(f"the memory run loaded {count} audits, not {size}")
        print(
            f"| {size:,} | {path.stat().st_size / 1e6:.1f} | {reader} | {peak / 1024:,.0f} "
            f"| {resident / 1024:,.0f} |"
        )


def main() -> int:
    """Write the exports, measure, print a Markdown table and the slopes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="bolton")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 30))
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 3_000, 10_000, 30_000])
    parser.add_argument("--seed", type=int, default=20260205)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="split the fast load by phase")
    parser.add_argument(
        "--memory",
        type=int,
        nargs="*",
        default=[],
        help="sizes at which to measure each reader's peak memory (a fresh process each)",
    )
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
    split: dict[int, dict[str, float]] = {}
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
            if args.phases:
                split[size] = phases(path, args.profile, args.repeat)
        for size in args.memory:
            measure_memory(size, profile, args, Path(folder))
    os.environ.pop(_xlsx_fast.READER_VARIABLE, None)
    if split:
        print_phases(split)
    if len(args.sizes) > 1:
        low, high = args.sizes[0], args.sizes[-1]
        print()
        for reader, measured in times.items():
            slope = math.log(measured[-1] / measured[0]) / math.log(high / low)
            print(f"{reader}: log-log slope {slope:.2f} from {low:,} to {high:,} audits")
    return 0


def print_phases(split: dict[int, dict[str, float]]) -> None:
    """The fast reader's phases as a Markdown table, a column a size."""
    sizes = sorted(split)
    rows: list[tuple[str, Callable[[dict[str, float]], float]]] = [
        ("workbook structure (openpyxl)", lambda t: t["structure"]),
        ("sheet XML inflated", lambda t: t["inflate"]),
        ("checks", lambda t: t["checks"]),
        ("of which expat", lambda t: t["expat"]),
        (
            "of which the searches and the rows' and cells' order",
            lambda t: t["checks"] - t["expat"],
        ),
        ("calamine's read", lambda t: t["calamine"]),
        ("values mapped", lambda t: t["mapping"]),
        ("fast reader in all (open_fast)", lambda t: t["open"]),
        ("row reader (load_audits less open_fast)", lambda t: t["load"] - t["open"]),
        ("load_audits", lambda t: t["load"]),
    ]
    print()
    print("| calamine path, CPU s | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for label, value in rows:
        print(f"| {label} | " + " | ".join(f"{value(split[n]):.2f}" for n in sizes) + " |")


if __name__ == "__main__":
    sys.exit(main())
