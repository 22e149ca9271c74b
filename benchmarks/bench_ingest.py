"""Bulk loading of audits: ``load_audits`` against msgspec decoding straight into attrs.

Target (audit-engine issue): 1,000,000 audits load *and validate* at no less than half the
throughput of the baseline, ``msgspec.json.decode(data, type=list[Audit])`` into the same
attrs classes (no validation, unknown keys ignored), measured in the same process on the
same file. Both read the file from disk inside the measurement. Each is measured with the
cycle collector paused (``gc.disable()`` around the bulk construction, as the loader does by
default) and left running, since that alone changes throughput several times over. JSON
Lines is measured the same way (baseline ``msgspec.json.Decoder(Audit).decode_lines``), and
CSV through the default column mapping, for which there is no target. The CSV is also
loaded as frames (``load_audit_frames``), against ``polars.read_csv`` and, with
``--frames``, against ``load_audits(...).to_polars()``, which gives the same frames.

The synthetic audits are deterministic for a seed: each has 4 to 6 judgements with the
rationale, strengths and "what would have made it better" the activity requires, about one
in ten a moderation, about three in ten an action, all valid under the profile version in
force on ``--as-of`` (so every loader run accepts every audit, which the script checks).
Times are the process's CPU time (user + system) and its user time alone, the fastest of
``--repeat`` runs (``--repeat-large`` at a million). At a million the system time is mostly
the kernel faulting in fresh memory pages, which on a virtual machine varies from run to
run; the user time is what the code itself costs.

    python benchmarks/bench_ingest.py [--profile bolton] [--sizes 100000 1000000]
    python benchmarks/bench_ingest.py --sizes --csv-sizes 100000 1000000 --rows-sizes 100000
    python benchmarks/bench_ingest.py --sizes --csv-sizes --memory 1000000
    python benchmarks/bench_ingest.py --sizes --csv-sizes 100000 --frames
    python benchmarks/bench_ingest.py --unique-notes ...   (every note different)
    python benchmarks/bench_ingest.py --sizes --csv-sizes 100000 --in-turn   (rounds in turn;
        also the median over the rounds of each round's ratio, printed after the table)
"""

from __future__ import annotations

import argparse
import csv
import functools
import gc
import itertools
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
from collections.abc import Callable, Sized
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    Judgement,
    ModerationRecord,
    moderation_outcome,
)
from qaframework.io.audit_frames import load_audit_frames
from qaframework.io.audits import load_audits
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.profile import Profile
from qaframework.policy.roles import GenericRole
from qaframework.profiles.registry import load_profile

_PHRASES = (
    "Clear analysis of risk and need, with the child's history used well.",
    "The child was seen alone and their wishes are recorded in their own words.",
    "A fuller chronology would have shown the pattern of neglect sooner.",
    "The plan is SMART and reviewed at each core group.",
    "Management oversight is recorded monthly with clear direction.",
    "Partner agencies contributed to the assessment and the plan.",
)


def synthetic_audits(
    profile: Profile, n: int, seed: int, as_of: date, *, unique_notes: bool = False
) -> list[Audit]:
    """``n`` realistic audits valid under ``profile``, the same for the same seed.

    Notes are drawn from six phrases, so that equal judgements recur far more often than
    in a council's export; with ``unique_notes`` each note ends with a number of its own,
    as every note an auditor writes differs from every other."""
    rnd = random.Random(seed)
    written = itertools.count(1)
    activity = next(a for a in profile.activities if a.graded)
    standards = [s.id for s in profile.standards]
    grades = list(profile.grade_scale.codes)
    weights = [1 + 4 * (i == 1) + 2 * (i == 2) for i in range(len(grades))]
    managers = [r.id for r in profile.roles if r.generic is GenericRole.TEAM_MANAGER]
    seniors = [
        r.id
        for r in profile.roles
        if r.generic in (GenericRole.HEAD_OF_SERVICE, GenericRole.SERVICE_LEAD)
    ] or managers
    auditors = list(activity.who) or managers
    first = max(profile.effective_from, as_of - timedelta(days=365))
    span = (as_of - first).days + 1
    teams = [f"Team {i}" for i in range(1, 41)]
    areas = ["Safeguarding", "Children in Care", "Early Help", "Care Leavers"]
    required = {f.value for f in activity.judgement_fields}

    def note(name: str) -> str | None:
        if name not in required and rnd.random() >= 0.5:
            return None
        phrase = rnd.choice(_PHRASES)
        return f"{phrase} ({next(written)})" if unique_notes else phrase

    audits = []
    for index in range(n):
        on = first + timedelta(days=rnd.randrange(span))
        overall = rnd.choices(grades, weights)[0]
        chosen = rnd.sample(standards, min(len(standards), rnd.randint(4, 6)))
        judgements = tuple(
            Judgement(
                standard,
                rnd.choices(grades, weights)[0],
                note("rationale"),
                note("strengths"),
                note("would_improve"),
            )
            for standard in chosen
        )
        moderations: tuple[ModerationRecord, ...] = ()
        if rnd.random() < 0.1:
            rank = grades.index(overall) + rnd.choice((-1, 0, 0, 0, 1))
            moderated = grades[min(max(rank, 0), len(grades) - 1)]
            moderations = (
                ModerationRecord(
                    f"mod{rnd.randrange(12)}",
                    rnd.choice(seniors),
                    moderated,
                    moderation_outcome(profile, overall, moderated),
                    on + timedelta(days=rnd.randint(3, 20)),
                    rnd.choice(_PHRASES),
                ),
            )
        actions: tuple[AuditAction, ...] = ()
        if rnd.random() < 0.3:
            due = on + timedelta(days=30)
            done = rnd.random() < 0.4
            actions = (
                AuditAction(
                    f"A{index:07d}-1",
                    "Update the child's plan with the family",
                    f"sw{rnd.randrange(900)}",
                    due,
                    due + timedelta(days=30),
                    ActionStatus.DONE if done else ActionStatus.OPEN,
                    due - timedelta(days=rnd.randint(0, 10)) if done else None,
                ),
            )
        audits.append(
            Audit(
                id=f"A{index:07d}",
                child_id=f"C{rnd.randrange(10**7):07d}",
                activity=activity.id,
                audit_date=on,
                auditor=f"tm{rnd.randrange(200)}",
                auditor_role=rnd.choice(auditors),
                overall_grade=overall,
                cycle=on.strftime("%Y-%m"),
                practitioner=f"sw{rnd.randrange(900)}",
                team=rnd.choice(teams),
                service_area=rnd.choice(areas),
                judgements=judgements,
                concerns=(Concern.URGENT_SAFETY,) if rnd.random() < 0.02 else (),
                feedback=tuple(s for s in FeedbackSource if rnd.random() < 0.3),
                moderations=moderations,
                actions=actions,
            )
        )
    return audits


def write_csv(audits: list[Audit], profile: Profile, path: Path) -> None:
    """The audits as a flat export with the default mapping's column names, UK dates and the
    profile's grade labels and role titles."""
    standards = [s.id for s in profile.standards]
    labels = {g.code: g.label for g in profile.grade_scale}
    titles = {r.id: r.title for r in profile.roles}
    parts = ("Grade", "Rationale", "Strengths", "Would Improve")
    header = [
        "Audit ID",
        "Child Unique ID",
        "Activity",
        "Cycle",
        "Audit Date",
        "Auditor",
        "Auditor Role",
        "Allocated Worker",
        "Allocated Team",
        "Service Area",
        "Overall Grade",
        *(f"{s} {p}" for s in standards for p in parts),
        "Urgent Safety Concern",
        "Health Concern",
        "Child Feedback",
        "Moderator",
        "Moderator Role",
        "Moderated Grade",
        "Moderation Date",
    ]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for a in audits:
            by_standard = {j.standard: j for j in a.judgements}
            cells: list[Any] = [
                a.id,
                a.child_id,
                a.activity,
                a.cycle,
                a.audit_date.strftime("%d/%m/%Y"),
                a.auditor,
                titles[a.auditor_role],
                a.practitioner,
                a.team,
                a.service_area,
                labels[a.overall_grade],
            ]
            for standard in standards:
                j = by_standard.get(standard)
                cells.extend(
                    ("", "", "", "")
                    if j is None
                    else (labels[j.grade], j.rationale, j.strengths, j.would_improve)
                )
            m = a.moderations[0] if a.moderations else None
            cells.extend(
                [
                    "yes" if Concern.URGENT_SAFETY in a.concerns else "no",
                    "no",
                    "yes" if FeedbackSource.CHILD in a.feedback else "no",
                    m.moderator if m else "",
                    titles[m.role] if m else "",
                    labels[m.grade] if m else "",
                    m.on.isoformat() if m else "",
                ]
            )
            writer.writerow(cells)


def best_time(
    run: Callable[[], Any], *, pause_gc: bool, repeat: int, expect: int
) -> tuple[float, float]:
    """The CPU seconds (user + system) and user seconds of the fastest of ``repeat`` runs,
    the collector paused around each run or not.

    Each run's result is checked to hold ``expect`` records and freed before the next run.
    """
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        gc.collect()
        was_enabled = gc.isenabled()
        if pause_gc:
            gc.disable()
        try:
            before = resource.getrusage(resource.RUSAGE_SELF)
            result = run()
            after = resource.getrusage(resource.RUSAGE_SELF)
        finally:
            if was_enabled:
                gc.enable()
        records: Sized | int = result.accepted if hasattr(result, "accepted") else result
        count = records if isinstance(records, int) else len(records)
        if count != expect:
            raise SystemExit(f"a run gave {count} records, not {expect}")
        del result, records
        user = after.ru_utime - before.ru_utime
        best = min(best, (user + after.ru_stime - before.ru_stime, user))
    return best


def _row(
    size: int,
    fmt: str,
    what: str,
    paused: bool,
    took: tuple[float, float],
    base: tuple[float, float] | None,
) -> str:
    cpu, user = took
    ratios = f"{base[0] / cpu:.2f} | {base[1] / user:.2f}" if base else " | "
    return (
        f"| {size:,} | {fmt} | {what} | {'paused' if paused else 'running'} | {cpu:.2f} "
        f"| {user:.2f} | {size / cpu:,.0f} | {ratios} |"
    )


def measure(size: int, profile: Profile, args: argparse.Namespace, folder: Path) -> list[str]:
    """Write ``size`` synthetic audits as JSON, JSON Lines (and CSV), measure, print rows;
    return the lines to print after the table."""
    repeat = args.repeat if size < 1_000_000 else args.repeat_large
    audits = synthetic_audits(profile, size, args.seed, args.as_of, unique_notes=args.unique_notes)
    paths = {fmt: folder / f"audits.{fmt}" for fmt in ("json", "jsonl", "csv")}
    encoder = msgspec.json.Encoder()
    paths["json"].write_bytes(encoder.encode(audits))
    paths["jsonl"].write_bytes(encoder.encode_lines(audits))
    if size in args.csv_sizes:
        write_csv(audits, profile, paths["csv"])
    del audits
    whole = msgspec.json.Decoder(list[Audit])
    lines = msgspec.json.Decoder(Audit)
    baselines: dict[str, Callable[[], Any]] = {
        "json": lambda: whole.decode(paths["json"].read_bytes()),
        "jsonl": lambda: lines.decode_lines(paths["jsonl"].read_bytes()),
    }
    for fmt in ("json", "jsonl") if size in args.sizes else ():
        baseline = {}
        for paused in (True, False):
            took = best_time(baselines[fmt], pause_gc=paused, repeat=repeat, expect=size)
            baseline[paused] = took
            print(_row(size, fmt, "baseline: msgspec into attrs", paused, took, took))
        for paused in (True, False):
            # The loader pauses the collector itself (or not): the harness leaves it alone.
            took = best_time(
                functools.partial(load_audits, paths[fmt], args.profile, pause_gc=paused),
                pause_gc=False,
                repeat=repeat,
                expect=size,
            )
            print(_row(size, fmt, "load_audits (load + validate)", paused, took, baseline[paused]))
    after = measure_csv(size, paths, args, repeat) if size in args.csv_sizes else []
    for path in paths.values():
        path.unlink(missing_ok=True)
    return after


def _timed(
    runs: dict[str, Callable[[], Any]], *, in_turn: bool, repeat: int, expect: int
) -> tuple[dict[str, tuple[float, float]], list[dict[str, float]]]:
    """Each run's CPU and user seconds, the fastest of ``repeat``: each run's ``repeat``
    runs together, or with ``in_turn`` in ``repeat`` rounds of every run in turn (as issue
    12's own figures were measured), so that a baseline and what it is compared with meet
    the machine in the same states. With ``in_turn``, also each round's CPU seconds by
    run (otherwise no rounds)."""
    if not in_turn:
        best = {
            name: best_time(run, pause_gc=False, repeat=repeat, expect=expect)
            for name, run in runs.items()
        }
        return best, []
    best = dict.fromkeys(runs, (float("inf"), float("inf")))
    rounds: list[dict[str, float]] = []
    for _ in range(repeat):
        this_round: dict[str, float] = {}
        for name, run in runs.items():
            took = best_time(run, pause_gc=False, repeat=1, expect=expect)
            this_round[name] = took[0]
            best[name] = min(best[name], took)
        rounds.append(this_round)
    return best, rounds


def median_ratios(
    rounds: list[dict[str, float]], pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], float]:
    """For each (run, baseline) pair, the median over the rounds of the baseline's CPU
    seconds over the run's in the same round: steadier than the fastest of each when the
    machine's speed moves from one round to the next."""
    return {
        (run, base): statistics.median(r[base] / r[run] for r in rounds)
        for run, base in pairs
        if rounds and run in rounds[0] and base in rounds[0]
    }


def measure_csv(
    size: int, paths: dict[str, Path], args: argparse.Namespace, repeat: int
) -> list[str]:
    """CSV through the default mapping: the columnar engine against ``polars.read_csv`` of
    the same file (all columns as text) and the row engine against the JSON path, each pair
    measured in the same run (``--in-turn``: in rounds, every measurement once a round).
    Prints the table's rows; returns the lines to print after the table (with
    ``--in-turn``, the median of the rounds' ratios)."""
    import polars as pl

    csv_path = paths["csv"]

    def objects_then_frames() -> Any:
        # What an analyst did before load_audit_frames: the audits, then their frames.
        load = load_audits(csv_path, args.profile, engine="columns")
        load.to_polars()
        return load

    runs: dict[str, Callable[[], Any]] = {
        "polars": lambda: pl.read_csv(csv_path, infer_schema=False),
        "columns": lambda: load_audits(csv_path, args.profile, engine="columns"),
        "frames": lambda: load_audit_frames(csv_path, args.profile, engine="columns"),
    }
    if args.frames:
        runs["objects"] = objects_then_frames
    runs["json"] = lambda: load_audits(paths["json"], args.profile)
    if size in args.rows_sizes:
        runs["rows"] = lambda: load_audits(csv_path, args.profile, engine="rows")
    took, rounds = _timed(runs, in_turn=args.in_turn, repeat=repeat, expect=size)
    polars_took = took["polars"]
    print(_row(size, "csv", "baseline: polars.read_csv", False, polars_took, polars_took))
    print(_row(size, "csv", "load_audits, engine columns", True, took["columns"], polars_took))
    print(_row(size, "csv", "load_audit_frames, engine columns", True, took["frames"], polars_took))
    if args.frames:
        objects_took = took["objects"]
        print(
            _row(
                size,
                "csv",
                "baseline: load_audits(engine columns).to_polars()",
                True,
                objects_took,
                objects_took,
            )
        )
        print(
            _row(
                size, "csv", "load_audit_frames, engine columns", True, took["frames"], objects_took
            )
        )
    json_took = took["json"]
    print(_row(size, "json", "baseline: load_audits of the JSON", True, json_took, json_took))
    if "rows" in took:
        print(_row(size, "csv", "load_audits, engine rows", True, took["rows"], json_took))
    names = {
        "columns": "load_audits by columns",
        "frames": "load_audit_frames",
        "rows": "load_audits by rows",
        "polars": "polars.read_csv",
        "objects": "load_audits(...).to_polars()",
        "json": "the JSON path",
    }
    medians = median_ratios(
        rounds,
        [("columns", "polars"), ("frames", "polars"), ("frames", "objects"), ("rows", "json")],
    )
    if not medians:
        return []
    said = ", ".join(
        f"{names[run]} {ratio:.3f}x of {names[base]}" for (run, base), ratio in medians.items()
    )
    return [f"{size:,} audits, CPU, median of the {len(rounds)} rounds' ratios: {said}."]


_MEMORY = """
import gc, sys
from qaframework.io.audits import load_audits


def status(name):
    # The process's own figures (ru_maxrss would carry the parent's over exec).
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(name + ":"))


before = status("VmRSS")
load = load_audits(sys.argv[1], sys.argv[2], engine=sys.argv[3])
gc.collect()
# Read before the notes are counted below: the table of them is this script's, not the load's.
peak, resident, anonymous = status("VmHWM"), status("VmRSS"), status("RssAnon")
# The free-text notes, each distinct string once: what a loaded audit costs beyond them is
# what the loader decides.
notes = {}
for audit in load.accepted:
    for judgement in audit.judgements:
        for note in (judgement.rationale, judgement.strengths, judgement.would_improve):
            if note is not None:
                notes[id(note)] = note
    for moderation in audit.moderations:
        if moderation.rationale is not None:
            notes[id(moderation.rationale)] = moderation.rationale
    for action in audit.actions:
        notes[id(action.what)] = action.what
size = sum(map(sys.getsizeof, notes.values())) // 1024
del notes
print(len(load.accepted), before, peak, resident, anonymous, size)
"""


_FRAMES_MEMORY = """
import gc, sys
from qaframework.io.audit_frames import load_audit_frames


def status(name):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(name + ":"))


before = status("VmRSS")
load = load_audit_frames(sys.argv[1], sys.argv[2], engine="columns")
gc.collect()
peak, resident, anonymous = status("VmHWM"), status("VmRSS"), status("RssAnon")
# The notes' text as the frames hold it (every copy: frames share no string).
notes = sum(
    load[name].get_column(column).str.len_bytes().sum() or 0
    for name, columns in (
        ("judgements", ("rationale", "strengths", "would_improve")),
        ("moderations", ("rationale",)),
        ("actions", ("what",)),
    )
    for column in columns
) // 1024
print(load.accepted, before, peak, resident, anonymous, notes)
"""


def measure_memory(size: int, profile: Profile, args: argparse.Namespace, folder: Path) -> None:
    """Peak and resident memory of a fresh process that loads ``size`` synthetic audits
    from CSV with each engine (and from JSON and JSON Lines), and what each loaded audit
    costs: in all, and beyond the text of its free-text notes (rationales, strengths,
    "would improve", moderation rationales, actions' text), each distinct note string
    counted once."""
    import subprocess

    audits = synthetic_audits(profile, size, args.seed, args.as_of, unique_notes=args.unique_notes)
    csv_path = folder / "memory.csv"
    json_path = folder / "memory.json"
    lines_path = folder / "memory.jsonl"
    write_csv(audits, profile, csv_path)
    json_path.write_bytes(msgspec.json.Encoder().encode(audits))
    lines_path.write_bytes(msgspec.json.Encoder().encode_lines(audits))
    del audits
    print(
        "| audits | file | engine | peak RSS MB | resident after load MB | anonymous MB "
        "| KB per audit | notes KB per audit | KB per audit beyond notes |"
    )
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|")
    for path, engine in (
        (csv_path, "columns"),
        (csv_path, "frames"),
        (json_path, "auto"),
        (lines_path, "auto"),
        (csv_path, "rows"),
    ):
        if engine == "rows" and size not in args.rows_sizes:
            continue
        script = _FRAMES_MEMORY if engine == "frames" else _MEMORY
        out = subprocess.run(
            [sys.executable, "-c", script, str(path), args.profile, engine],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        count, before, peak, resident, anonymous, notes = map(int, out)
        if count != size:
            raise SystemExit(f"the memory run loaded {count} audits, not {size}")
        grown = resident - before
        print(
            f"| {size:,} | {path.suffix[1:]} | {engine} | {peak / 1024:,.0f} "
            f"| {resident / 1024:,.0f} | {anonymous / 1024:,.0f} | {grown / size:.2f} "
            f"| {notes / size:.2f} | {(grown - notes) / size:.2f} |"
        )
    csv_path.unlink()
    json_path.unlink()
    lines_path.unlink()


def main() -> int:
    """Generate the files, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="bolton")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 30))
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--csv-sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument(
        "--rows-sizes",
        type=int,
        nargs="*",
        default=[100_000],
        help="sizes at which the CSV row engine is measured too (slow at a million)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        nargs="*",
        default=[],
        help="sizes at which to measure peak memory of a loading process",
    )
    parser.add_argument(
        "--unique-notes",
        action="store_true",
        help="every note of the synthetic audits different, as in a council's export",
    )
    parser.add_argument(
        "--frames",
        action="store_true",
        help="also time load_audits(...).to_polars() against load_audit_frames",
    )
    parser.add_argument(
        "--in-turn",
        action="store_true",
        help="time the CSV measurements in rounds, each once a round, the fastest of "
        "--repeat rounds (as issue 12 measured), and print the median of the rounds' "
        "ratios after the table; without it each one's runs come together",
    )
    parser.add_argument("--seed", type=int, default=20260205)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement below 1M")
    parser.add_argument("--repeat-large", type=int, default=2, help="runs per measurement at 1M")
    args = parser.parse_args()
    profile = load_profile(args.profile, as_of=args.as_of)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}, "
        f"Python {platform.python_version()}, msgspec {msgspec.__version__}; "
        f"profile {profile.label}; seed {args.seed}"
        f"{'; every note unique' if args.unique_notes else ''}\n"
    )
    print(
        "| audits | format | measurement | collector | CPU s | user s | records/s "
        "| x baseline (CPU) | x baseline (user) |"
    )
    print("|---:|---|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        after: list[str] = []
        for size in sorted(set(args.sizes) | set(args.csv_sizes)):
            after.extend(measure(size, profile, args, Path(folder)))
        if after:
            print()
            print("\n".join(after))
        for size in args.memory:
            print()
            measure_memory(size, profile, args, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
