"""``qaframework report`` end to end on a CSV export, against a straightforward pandas script.

Issue 12's targets: ``qaframework report`` on a 1,000,000-audit CSV at least 3x faster than a
pandas script an analyst would write (``read_csv`` and group-bys) in the same run, and on a
10,000-audit CSV under 1.5 s of wall time, start-up included.

Each measurement is a whole process, timed by the wall clock from start to exit, so
start-up, imports, reading the file and writing the results all count. The rounds are
interleaved (every variant once per round) and the best round of each is shown; "x pandas"
is the pandas script's time divided by the row's (above 1: faster than pandas).

The variants of ``qaframework report bolton FILE --period 2026-27 --as-of 2026-06-30``:

- ``all``: the default, every file (Markdown, HTML, JSON, CSV, XLSX, and the charts as SVG
  and PNG when matplotlib, the ``charts`` extra, is installed);
- ``no charts``: ``--no-charts``, every file but the charts (what a machine without the
  ``charts`` extra writes);
- ``json``: ``--write json``, the published report alone.

The pandas script reads the same file (every column as text, as the export is), parses the
dates, and computes what the report's tables count: audits by overall grade in each quarter
of the year, and in the period by activity, team x grade and service area x grade, the
judgements by standard x grade, the notes by standard, and the moderation matrix; it writes
each table to CSV. It validates nothing, evaluates no escalation and suppresses nothing.

Two more processes show what the target asks of this machine (``--no-floor`` leaves them
out): ``polars.read_csv`` of the file alone, and a **columnar floor**: polars reads the file
lazily, strips every cell, checks the least a loader must (ids present and not repeated,
the dates, the activity, the auditor's role, every grade on the profile's scale, a
rationale for each graded standard, the concern flags), takes the latest moderation's grade
as of the date, and computes the pandas script's tables and the escalation candidates (an
inadequate grade or an urgent safety concern), writing each to CSV. It is not a report: no
profile version per date, no rejection with its row, column and reason, no escalation's
deadlines or states, no suppression, no Markdown, HTML, JSON or workbook. It is the least
any report computed from columns would take here; the profile's grade labels, role titles
and activities are given to it, not written into it.

    python3 dev.py run python benchmarks/bench_report_cli.py                 # 10k and 100k
    python3 dev.py run python benchmarks/bench_report_cli.py --sizes 1000000 --rounds 2
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_ingest import synthetic_audits, write_csv  # noqa: E402

from qaframework.policy.profile import Profile  # noqa: E402
from qaframework.profiles.registry import load_profile  # noqa: E402

AS_OF = date(2026, 6, 30)
TARGET_SMALL = 1.5
TARGET_RATIO = 3.0

PANDAS_SCRIPT = r"""
import sys
from pathlib import Path

import pandas as pd

path, out = sys.argv[1], Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
frame = pd.read_csv(path, dtype=str, keep_default_na=False)
frame["date"] = pd.to_datetime(frame["Audit Date"], format="%d/%m/%Y")
year = frame[(frame["date"] >= "2026-04-01") & (frame["date"] <= "2027-03-31")]
quarter = (year["date"].dt.month - 4) % 12 // 3 + 1
year.groupby([quarter, "Overall Grade"]).size().unstack(fill_value=0).to_csv(out / "trend.csv")
period = year[year["date"] <= "2026-06-30"]
period.groupby("Activity").size().to_csv(out / "activity.csv")
period.groupby(["Allocated Team", "Overall Grade"]).size().unstack(fill_value=0).to_csv(
    out / "teams.csv"
)
period.groupby(["Service Area", "Overall Grade"]).size().unstack(fill_value=0).to_csv(
    out / "areas.csv"
)
grades = [c for c in frame.columns if c.endswith(" Grade") and c not in (
    "Overall Grade", "Moderated Grade")]
judgements = period[grades].melt(var_name="standard", value_name="grade")
judgements = judgements[judgements["grade"] != ""]
judgements.groupby(["standard", "grade"]).size().unstack(fill_value=0).to_csv(
    out / "standards.csv"
)
notes = {}
for column in grades:
    standard = column[: -len(" Grade")]
    notes[standard] = {
        "strengths": int((period[standard + " Strengths"] != "").sum()),
        "would improve": int((period[standard + " Would Improve"] != "").sum()),
    }
pd.DataFrame(notes).T.to_csv(out / "notes.csv")
moderated = period[period["Moderator"] != ""]
pd.crosstab(moderated["Overall Grade"], moderated["Moderated Grade"]).to_csv(
    out / "moderation.csv"
)
"""


# Reading the file alone, as the floor does (every cell text).
READ_SCRIPT = r"""
import sys

import polars as pl

pl.scan_csv(sys.argv[1], infer_schema=False).collect(engine="streaming")
"""

# The least a report computed from columns must do (see the module docstring). argv: the
# export, the output folder, then the profile's grade labels (best first), role titles and
# graded activities, each a string joined by "|".
FLOOR_SCRIPT = r"""
import sys
from pathlib import Path

import polars as pl

path, out = sys.argv[1], Path(sys.argv[2])
grades, roles, activities = (argument.split("|") for argument in sys.argv[3:6])
out.mkdir(parents=True, exist_ok=True)
as_of = pl.date(2026, 6, 30)
frame = pl.scan_csv(path, infer_schema=False)
columns = frame.collect_schema().names()
standards = [
    c[: -len(" Grade")]
    for c in columns
    if c.endswith(" Grade") and c not in ("Overall Grade", "Moderated Grade")
]
frame = frame.with_columns(pl.all().str.strip_chars().replace("", None))


def grade(column):
    return pl.col(column).replace_strict(
        grades, list(range(len(grades))), default=None, return_dtype=pl.Int8
    )


def day(column):
    return pl.col(column).str.to_date("%d/%m/%Y", strict=False)


bad = pl.any_horizontal(
    pl.col("Audit ID").is_null(),
    pl.col("Audit ID").is_duplicated(),
    pl.col("Child Unique ID").is_null(),
    pl.col("Activity").is_in(activities).not_(),
    day("Audit Date").is_null(),
    pl.col("Auditor").is_null(),
    pl.col("Auditor Role").is_in(roles).not_(),
    pl.col("Overall Grade").is_in(grades).not_(),
    *(
        pl.col(s + " Grade").is_not_null() & pl.col(s + " Grade").is_in(grades).not_()
        for s in standards
    ),
    *(pl.col(s + " Grade").is_not_null() & pl.col(s + " Rationale").is_null() for s in standards),
    pl.col("Urgent Safety Concern").is_in(["yes", "no"]).not_(),
).fill_null(True)
checked = frame.select(
    pl.col("Activity"),
    pl.col("Allocated Team"),
    pl.col("Service Area"),
    day("Audit Date").alias("date"),
    grade("Overall Grade").alias("overall"),
    grade("Moderated Grade").alias("moderated"),
    day("Moderation Date").alias("moderated_on"),
    *(grade(s + " Grade").alias(s) for s in standards),
    *(pl.col(s + " Strengths").is_not_null().alias(s + " strengths") for s in standards),
    *(pl.col(s + " Would Improve").is_not_null().alias(s + " improve") for s in standards),
    (pl.col("Urgent Safety Concern") == "yes").alias("urgent"),
    bad.alias("bad"),
).collect(engine="streaming")
accepted = checked.filter(~pl.col("bad"))
final = pl.coalesce(
    pl.when(pl.col("moderated_on") <= as_of).then(pl.col("moderated")), pl.col("overall")
)
year = accepted.filter(pl.col("date").is_between(pl.date(2026, 4, 1), pl.date(2027, 3, 31)))
year = year.with_columns(
    final.alias("final"), ((pl.col("date").dt.month() - 4) % 12 // 3 + 1).alias("quarter")
)
year.group_by("quarter", "final").len().write_csv(out / "trend.csv")
period = year.filter(pl.col("date") <= as_of)
period.group_by("Activity").len().write_csv(out / "activity.csv")
period.group_by("Allocated Team", "final").len().write_csv(out / "teams.csv")
period.group_by("Service Area", "final").len().write_csv(out / "areas.csv")
period.unpivot(standards, variable_name="standard", value_name="grade").drop_nulls(
    "grade"
).group_by("standard", "grade").len().write_csv(out / "standards.csv")
notes = [pl.col(s + " strengths").sum() for s in standards]
notes += [pl.col(s + " improve").sum() for s in standards]
period.select(notes).write_csv(out / "notes.csv")
period.filter(pl.col("moderated").is_not_null()).group_by("overall", "moderated").len().write_csv(
    out / "moderation.csv"
)
escalations = period.filter((pl.col("final") == len(grades) - 1) | pl.col("urgent"))
escalations.group_by("Allocated Team").len().write_csv(out / "escalations.csv")
counts = {"accepted": [accepted.height], "rejected": [checked.height - accepted.height]}
pl.DataFrame(counts).write_csv(out / "counts.csv")
"""


def floor_arguments(profile: Profile) -> list[str]:
    """The floor script's arguments after the file and folder: the profile's grade labels
    (best first), role titles and graded activities, each joined by "|"."""
    return [
        "|".join(g.label for g in profile.grade_scale),
        "|".join(r.title for r in profile.roles),
        "|".join(a.id for a in profile.activities if a.graded),
    ]


def run_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return took


def main() -> int:
    """Write the exports, time the variants in interleaved rounds, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260205)
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="leave out polars.read_csv alone and the columnar floor",
    )
    parser.add_argument(
        "--unique-notes",
        action="store_true",
        help="every note of the audits different from every other, as in a council's export",
    )
    args = parser.parse_args()
    env = dict(os.environ)
    # Installed packages have their bytecode: do not compile every module on each run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    exe = [sys.executable, "-m", "qaframework"]
    profile = load_profile("bolton", as_of=AS_OF)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; best of {args.rounds} "
        "interleaved rounds, wall time of the whole process"
        f"{'; every note unique' if args.unique_notes else ''}\n"
    )
    print("| audits | measurement | best s | median s | x pandas | target |")
    print("|---:|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="qaframework-report-cli-") as folder:
        for size in args.sizes:
            path = Path(folder) / f"audits-{size}.csv"
            audits = synthetic_audits(
                profile, size, args.seed, AS_OF, unique_notes=args.unique_notes
            )
            write_csv(audits, profile, path)
            del audits
            out = Path(folder) / "out"
            report = [*exe, "report", "bolton", str(path), "--period", "2026-27"]
            report += ["--as-of", AS_OF.isoformat(), "--out", str(out)]
            variants = {
                "pandas script (baseline)": [
                    sys.executable,
                    "-c",
                    PANDAS_SCRIPT,
                    str(path),
                    str(out / "pandas"),
                ],
                "qaframework report, all": report,
                "qaframework report --no-charts": [*report, "--no-charts"],
                "qaframework report --write json": [*report, "--write", "json"],
            }
            if not args.no_floor:
                variants["polars: read the file alone"] = [
                    sys.executable,
                    "-c",
                    READ_SCRIPT,
                    str(path),
                ]
                variants["polars: columnar floor (not a report)"] = [
                    sys.executable,
                    "-c",
                    FLOOR_SCRIPT,
                    str(path),
                    str(out / "floor"),
                    *floor_arguments(profile),
                ]
            # One warm-up of each: the file in the page cache, the bytecode written.
            for command in variants.values():
                run_once(command, env)
            if not args.no_floor:
                # The synthetic audits are all valid: the floor must accept every one.
                counts = (out / "floor" / "counts.csv").read_text().split()
                if counts != ["accepted,rejected", f"{size},0"]:
                    raise SystemExit(f"the columnar floor's checks are wrong: {counts}")
            times: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(args.rounds):
                for name, command in variants.items():
                    times[name].append(run_once(command, env))
            baseline = min(times["pandas script (baseline)"])
            for name, taken in times.items():
                best = min(taken)
                median = sorted(taken)[len(taken) // 2]
                verdict = ""
                if name.startswith("qaframework"):
                    checks = []
                    if size <= 10_000:
                        checks.append(
                            f"under {TARGET_SMALL} s: {'yes' if best < TARGET_SMALL else 'NO'}"
                        )
                    if size >= 1_000_000:
                        ratio_ok = baseline / best >= TARGET_RATIO
                        checks.append(f">= {TARGET_RATIO:g}x pandas: {'yes' if ratio_ok else 'NO'}")
                    verdict = "; ".join(checks)
                print(
                    f"| {size:,} | {name} | {best:.2f} | {median:.2f} | "
                    f"{baseline / best:.2f} | {verdict} |",
                    flush=True,
                )
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
