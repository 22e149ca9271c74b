"""How every bulk operation's time grows with the audits: 10k, 100k and 1M (issue 12).

Each operation runs on synthetic Bolton audits (``bench_ingest.synthetic_audits``: 4 to 6
judgements each, about one in ten moderated, three in ten with an action) at each size, and
the table shows its wall time (with ``--clock cpu``, its CPU time: the process's, every
thread, which other work sharing the machine does not inflate) and the log-log slope
between the two largest sizes: ``log(t2 / t1) / log(n2 / n1)``, 1.0 for a cost that grows
with the audits, 2.0 for one that grows with their square. The target is a slope of at most
1.1 for each (an operation whose time at the smaller size is under 50 ms is flagged as too
short to judge).

The operations: loading JSON Lines and CSV exports (``load_audits``); evaluating
escalations; the cycle report; child-level detail; the action ledger and its overdue
actions; obligations over an activity log built from the audits; moderation selection;
stratified sampling of a case list of the same size; every renderer (the report, child-level
detail and a two-council comparison, each in every format); and the register on SQLite
(import, read-back ``audits('bolton')``, ``overdue_actions``, the moderation queue, the child
of concern tracker, ``status``, ``imports``, ``rejections``, and what a service does one
record at a time: reading 100 audits with ``audit``, recording 40 moderations, adding 40
actions and updating them, each a fixed number of calls, whose time should not grow with
the register at all). The register on PostgreSQL is measured by ``bench_store.py``.

    python3 dev.py run python benchmarks/bench_scaling.py                     # 10k 100k 1M
    python3 dev.py run python benchmarks/bench_scaling.py --sizes 2000 20000  # a quick run
    python3 dev.py run python benchmarks/bench_scaling.py --only register     # some only
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import msgspec  # noqa: E402
from bench_ingest import synthetic_audits, write_csv  # noqa: E402
from bench_sampling import case_list  # noqa: E402

from qaframework.engine.actions.ledger import action_ledger  # noqa: E402
from qaframework.engine.audits import Audit, AuditAction  # noqa: E402
from qaframework.engine.escalation import evaluate_escalations_bulk  # noqa: E402
from qaframework.engine.moderation import select_for_moderation  # noqa: E402
from qaframework.engine.obligations import obligations_due  # noqa: E402
from qaframework.engine.periods import FinancialQuarter, FinancialYear, Period  # noqa: E402
from qaframework.engine.report import (  # noqa: E402
    build_cycle_report,
    child_level_detail,
)
from qaframework.engine.sampling import stratified  # noqa: E402
from qaframework.io.activity_log import ActivityLogEntry  # noqa: E402
from qaframework.io.audits import load_audits  # noqa: E402
from qaframework.policy.actions import ActionStatus  # noqa: E402
from qaframework.policy.profile import Profile  # noqa: E402
from qaframework.profiles.registry import load_profile, profile_resolver  # noqa: E402
from qaframework.render import (  # noqa: E402
    CHILD_LEVEL_FORMATS,
    COMPARISON_FORMATS,
    REPORT_FORMATS,
    render_child_level,
    render_comparison,
    render_report,
)
from qaframework.store import init_register  # noqa: E402

AS_OF = date(2026, 6, 30)
PERIOD: Period = FinancialQuarter(FinancialYear(2026), 1).period()
SHORT = 0.05
TARGET = 1.1


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The best wall time and the best CPU time (this process, every thread) of ``repeat``
    runs of ``call`` (the collector as it is), and the last run's result."""
    best = best_cpu = math.inf
    result: Any = None
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        best = min(best, time.perf_counter() - start)
    return best, best_cpu, result


class Run:
    """The times of one size, by operation."""

    def __init__(self, size: int, repeat: int, only: set[str] | None) -> None:
        self.size = size
        self.repeat = repeat
        self.only = only
        self.times: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def wanted(self, group: str) -> bool:
        return self.only is None or group in self.only

    def time(self, name: str, call: Callable[[], Any], repeat: int | None = None) -> Any:
        try:
            seconds, cpu, result = timed(call, repeat or self.repeat)
        except Exception as exc:  # one operation failing does not stop the others
            print(f"  {name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return None
        self.times[name] = seconds
        self.cpu[name] = cpu
        print(
            f"  {self.size:>9,} {name}: {seconds:.3f} s wall, {cpu:.3f} s CPU",
            file=sys.stderr,
            flush=True,
        )
        return result


def measure(size: int, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    """Each operation's time at ``size`` on the clock ``args.clock`` names."""
    profile = load_profile("bolton", as_of=AS_OF)
    resolve = profile_resolver("bolton")
    run = Run(size, args.repeat, set(args.only) if args.only else None)
    audits = synthetic_audits(profile, size, args.seed, AS_OF)
    if run.wanted("load"):
        jsonl = folder / "audits.jsonl"
        jsonl.write_bytes(msgspec.json.Encoder().encode_lines(audits))
        run.time("load JSON Lines", lambda: load_audits(jsonl, "bolton"))
        csv = folder / "audits.csv"
        write_csv(audits, profile, csv)
        run.time("load CSV", lambda: load_audits(csv, "bolton"))
    escalations = run.time(
        "escalations", lambda: evaluate_escalations_bulk(audits, resolve, as_of=AS_OF)
    )
    if escalations is None:
        escalations = evaluate_escalations_bulk(audits, resolve, as_of=AS_OF)
    report = detail = None
    if run.wanted("engine") or run.wanted("render"):
        report = run.time(
            "cycle report",
            lambda: build_cycle_report(
                audits, resolve, PERIOD, as_of=AS_OF, escalations=escalations
            ),
        )
        detail = run.time(
            "child-level detail",
            lambda: child_level_detail(
                audits, resolve, PERIOD, as_of=AS_OF, escalations=escalations
            ),
        )
    if run.wanted("engine"):
        run.time("actions: ledger, overdue", lambda: action_ledger(audits, as_of=AS_OF).overdue())
        log = [
            ActivityLogEntry(a.activity, a.auditor, a.audit_date, a.auditor_role) for a in audits
        ]
        run.time("obligations", lambda: obligations_due(profile, log, as_of=AS_OF))
        run.time(
            "moderation selection",
            lambda: select_for_moderation(profile, audits, PERIOD, seed=1),
        )
        cases = case_list(size)
        run.time(
            "sampling: stratified, n=1000",
            lambda: stratified(cases, 1000, by="service_area", seed=1),
        )
        del cases, log
    if run.wanted("render") and report is not None and detail is not None:
        out = folder / "out"
        for fmt in REPORT_FORMATS:
            run.time(f"render report: {fmt}", lambda fmt=fmt: render_report(report, fmt, out))
        for fmt in CHILD_LEVEL_FORMATS:
            run.time(
                f"render child-level: {fmt}", lambda fmt=fmt: render_child_level(detail, fmt, out)
            )
        other = load_profile("manchester", as_of=AS_OF)
        theirs = build_cycle_report(
            synthetic_audits(other, size, args.seed + 1, AS_OF),
            profile_resolver("manchester"),
            PERIOD,
            as_of=AS_OF,
            escalations=(),
        )
        for fmt in COMPARISON_FORMATS:
            run.time(
                f"render comparison: {fmt}",
                lambda fmt=fmt: render_comparison([report, theirs], fmt, out),
            )
        shutil.rmtree(out, ignore_errors=True)
        del theirs
    if run.wanted("register"):
        export = folder / "register.jsonl"
        export.write_bytes(msgspec.json.Encoder().encode_lines(audits))
        database = folder / "register.db"
        register = init_register(f"sqlite:///{database}")
        try:
            # Once: a second import of the same file is refused.
            run.time("register: import", lambda: register.import_audits(export, "bolton"), 1)
            run.time("register: audits('bolton')", lambda: register.audits("bolton"))
            run.time("register: overdue_actions", lambda: register.overdue_actions(as_of=AS_OF))
            run.time(
                "register: moderation_queue",
                lambda: register.moderation_queue("bolton", PERIOD, seed=1),
            )
            run.time(
                "register: child_of_concern_tracker",
                lambda: register.child_of_concern_tracker("bolton", as_of=AS_OF),
            )
            run.time("register: status", register.status)
            run.time("register: imports", register.imports)
            first = register.imports()[0].id
            run.time("register: rejections", lambda: register.rejections(first))
            one_at_a_time(run, register, profile, audits)
        finally:
            register.close()
            database.unlink(missing_ok=True)
    return run.cpu if args.clock == "cpu" else run.times


def one_at_a_time(run: Run, register: Any, profile: Profile, audits: list[Audit]) -> None:
    """What a service does a record at a time, a fixed number of calls at every size: each
    call's cost should not grow with the register (a slope near 0)."""
    picked = random.Random(1).sample(audits, 100)
    run.time(
        "register: audit, 100 one at a time",
        lambda: [register.audit("bolton", a.id) for a in picked],
    )
    moderators = {
        activity: policy.moderators[0]
        for policy in reversed(profile.moderation)
        for activity in policy.applies_to
    }
    unmoderated = [
        a
        for a in picked
        if a.overall_grade is not None and not a.moderations and a.activity in moderators
    ][:40]
    run.time(
        f"register: record_moderation, {len(unmoderated)} one at a time",
        lambda: [
            register.record_moderation(
                "bolton",
                a.id,
                moderator="Bench Moderator",
                role=moderators[a.activity],
                grade=a.overall_grade,
                on=AS_OF,
            )
            for a in unmoderated
        ],
        1,
    )
    changed = picked[:40]
    action = AuditAction(id="bench-1", what="Update the plan", owner="Bench", due=date(2026, 9, 1))
    run.time(
        "register: add_action, 40 one at a time",
        lambda: [register.add_action("bolton", a.id, action) for a in changed],
        1,
    )
    run.time(
        "register: record_action_update, 40 one at a time",
        lambda: [
            register.record_action_update(
                "bolton", a.id, "bench-1", status=ActionStatus.DONE, done_on=AS_OF
            )
            for a in changed
        ],
        1,
    )


def slope(small: int, large: int, t_small: float, t_large: float) -> float:
    return math.log(t_large / t_small) / math.log(large / small)


def main() -> int:
    """Measure at each size and print a Markdown table with the slopes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best)")
    parser.add_argument("--seed", type=int, default=20260205)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["load", "engine", "render", "register"],
        help="measure these groups only (escalations are always measured)",
    )
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="time on the wall clock (the default) or in CPU seconds of the process, every "
        "thread: what other work sharing the machine does not inflate",
    )
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    results: dict[int, dict[str, float]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="qaframework-scaling-") as folder:
        for size in sizes:
            results[size] = measure(size, args, Path(folder))
    names = list(dict.fromkeys(name for size in sizes for name in results[size]))
    print(
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; sizes {', '.join(f'{s:,}' for s in sizes)}; "
        f"best of {args.repeat}; {args.clock} time; "
        f"{time.perf_counter() - started:.0f} s in all\n"
    )
    heads = " | ".join(f"{size:,} s" for size in sizes)
    print(f"| operation | {heads} | slope | within {TARGET} |")
    print("|---|" + "---:|" * len(sizes) + "---:|---|")
    for name in names:
        cells = [f"{results[s][name]:.3f}" if name in results[s] else "" for s in sizes]
        verdict = slope_text = ""
        if len(sizes) >= 2 and all(name in results[s] for s in sizes[-2:]):
            small, large = sizes[-2:]
            t_small, t_large = results[small][name], results[large][name]
            if t_small > 0 and t_large > 0:
                value = slope(small, large, t_small, t_large)
                slope_text = f"{value:.2f}"
                verdict = "yes" if value <= TARGET else "NO"
                if t_small < SHORT:
                    verdict += " (too short to judge)"
        print(f"| {name} | {' | '.join(cells)} | {slope_text} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
