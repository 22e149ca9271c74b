"""The cycle report's aggregation against a polars group-by and a pandas script.

Target (issue 4): at 10,000, 100,000 and 1,000,000 audits, ``build_cycle_report`` takes no
more than twice the time of the same aggregates computed with polars, and is at least three
times faster than a straightforward pandas script an analyst would write; its cost grows
linearly with the number of audits. All three start from the same in-memory audit records
(a list of ``Audit``), so each baseline's time includes building its frames from them; the
group-by alone is printed as well, for transparency.

The aggregates, for the financial quarter 2026-27 Q4 as of 15 April 2027 with a trend of the
four quarters of the year: audits by grade in each quarter (the final grade as of the date:
the latest moderation on or before it, else the auditor's); the quarter's audits by
activity, by team and grade, by service area and grade; its judgements by standard and grade
and its strengths and "would improve" notes by standard; its moderated audits by auditor's
grade and moderated grade; and the actions due in the quarter by team and status (done,
open, overdue) with the verified and the overdue on the date. The benchmark checks that the
three agree before timing them. Escalations are a rule engine, not an aggregate: the report
is timed with none to evaluate (``escalations=()``), and the full report, evaluating them,
is printed too.

The polars baseline builds a frame of every audit, moderation and action, and of the
judgements of the quarter's audits (chosen in Python first: the fastest way found); the
pandas script builds its frames from every record, as the straightforward script does.

The audits are synthetic and deterministic for a seed: Bolton's 2026 profile, dates spread
over 2026-27, five judgements each with notes from a small vocabulary per standard (each
note a string object of its own, as a loader gives them), about one in ten moderated, three
in ten with an action, 40 teams and 5 service areas.

Times are wall-clock (polars uses both cores), the best of ``--repeat`` runs (two at a
million). Each baseline is measured with the cycle collector running, as an analyst runs it,
and paused; the faster is the one compared.

    python benchmarks/bench_report.py [--sizes 10000 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd
import polars as pl

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    Judgement,
    ModerationRecord,
    moderation_outcome,
)
from qaframework.engine.periods import FinancialQuarter, FinancialYear
from qaframework.engine.report import build_cycle_report
from qaframework.policy.actions import ActionStatus
from qaframework.policy.escalation import Concern
from qaframework.policy.profile import Profile
from qaframework.profiles.registry import load_profile

YEAR = FinancialYear(2026)
PERIOD = FinancialQuarter(YEAR, 4).period()
QUARTERS = [q.period() for q in YEAR.quarters()]
AS_OF = date(2027, 4, 15)

Aggregates = dict[str, Counter[Any]]


def _fresh(text: str) -> str:
    """An equal string that is an object of its own (a loader gives one per row)."""
    return text.encode().decode()


def synthetic_audits(profile: Profile, n: int, seed: int) -> list[Audit]:
    """``n`` audits valid under ``profile``, dated over 2026-27, the same for the same seed."""
    rnd = random.Random(seed)
    activity = next(a for a in profile.activities if a.graded and a.cadence.every is not None)
    standards = list(activity.standards)
    grades = list(profile.grade_scale.codes)
    weights = [2, 10, 5, 1]
    moderators = list(profile.moderation[0].moderators)
    auditors = list(activity.who)
    teams = [f"Team {i:02d}" for i in range(1, 41)]
    areas = ["Early Help", "Safeguarding", "Children in Care", "Care Leavers", "Disabled"]
    notes = {
        s: (
            [f"{s}: strength {k}" for k in range(6)],
            [f"{s}: would have been better with {k}" for k in range(6)],
        )
        for s in standards
    }
    span = (YEAR.end - YEAR.start).days + 1
    audits = []
    for index in range(n):
        on = YEAR.start + timedelta(days=rnd.randrange(span))
        overall = rnd.choices(grades, weights)[0]
        judgements = tuple(
            Judgement(
                standard,
                rnd.choices(grades, weights)[0],
                _fresh("Evidence on file"),
                _fresh(rnd.choice(notes[standard][0])),
                _fresh(rnd.choice(notes[standard][1])),
            )
            for standard in standards
        )
        moderations: tuple[ModerationRecord, ...] = ()
        if rnd.random() < 0.1:
            rank = grades.index(overall) + rnd.choice((-1, 0, 0, 0, 1))
            moderated = grades[min(max(rank, 0), len(grades) - 1)]
            moderations = (
                ModerationRecord(
                    f"mod{rnd.randrange(12)}",
                    rnd.choice(moderators),
                    moderated,
                    moderation_outcome(profile, overall, moderated),
                    on + timedelta(days=rnd.randint(3, 30)),
                ),
            )
        actions: tuple[AuditAction, ...] = ()
        if rnd.random() < 0.3:
            due = on + timedelta(days=30)
            roll = rnd.random()
            status = (
                ActionStatus.VERIFIED
                if roll < 0.2
                else ActionStatus.DONE
                if roll < 0.5
                else ActionStatus.OPEN
            )
            done_on = due - timedelta(days=rnd.randint(0, 10)) if roll < 0.5 else None
            actions = (
                AuditAction(
                    f"A{index:07d}-1",
                    "Update the child's plan with the family",
                    f"sw{rnd.randrange(900)}",
                    due,
                    due + timedelta(days=30),
                    status,
                    done_on,
                    done_on + timedelta(days=14) if status is ActionStatus.VERIFIED else None,
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
                team=_fresh(rnd.choice(teams)),
                service_area=_fresh(rnd.choice(areas)),
                judgements=judgements,
                concerns=(Concern.URGENT_SAFETY,) if rnd.random() < 0.02 else (),
                moderations=moderations,
                actions=actions,
            )
        )
    return audits


# ---------------------------------------------------------------------------------------------
# qaframework
# ---------------------------------------------------------------------------------------------


def qaframework_report(audits: Sequence[Audit], profile: Profile) -> Any:
    return build_cycle_report(audits, profile, PERIOD, as_of=AS_OF, trend_periods=4, escalations=())


def qaframework_aggregates(report: Any) -> Aggregates:
    grades = [g.code for g in report.grades]

    def cells(table: Any) -> Counter[Any]:
        # Summed by key: a team audited in several service areas has a row in each.
        found: Counter[Any] = Counter()
        for row, counts in zip(table.row_keys, table.counts, strict=True):
            for column, count in zip(table.column_keys, counts, strict=True):
                if count:
                    found[(row, column)] += count
        return found

    themes = report.themes
    return {
        "trend": Counter(
            {
                (i, g): c
                for i, s in enumerate(report.trend)
                for g, c in zip(grades, s.grades, strict=True)
                if c
            }
        ),
        "activity": Counter(
            {
                r: c[0]
                for r, c in zip(report.by_activity.row_keys, report.by_activity.counts, strict=True)
                if c[0]
            }
        ),
        "team": cells(report.by_team.table),
        "area": cells(report.by_service_area.table),
        "standard": cells(report.by_standard.table),
        "strengths": Counter({(t.standard, n.text): n.count for t in themes for n in t.strengths}),
        "would_improve": Counter(
            {(t.standard, n.text): n.count for t in themes for n in t.would_improve}
        ),
        "pairs": Counter(
            {
                (a, b): c
                for a, row in zip(grades, report.moderation.agreement.matrix, strict=True)
                for b, c in zip(grades, row, strict=True)
                if c
            }
        ),
        "actions": cells(report.actions.by_team),
        "action_totals": Counter(
            {"verified": report.actions.verified, "overdue_total": report.actions.overdue_total}
        ),
    }


# ---------------------------------------------------------------------------------------------
# polars
# ---------------------------------------------------------------------------------------------


def polars_frames(audits: Sequence[Audit]) -> dict[str, pl.DataFrame]:
    """The records as polars frames: audits, moderations, judgements and actions."""
    frame = pl.DataFrame(
        {
            "date": [a.audit_date for a in audits],
            "activity": [a.activity for a in audits],
            "team": [a.team for a in audits],
            "area": [a.service_area for a in audits],
            "overall": [a.overall_grade for a in audits],
        }
    ).with_row_index("i")
    moderated = [(i, a) for i, a in enumerate(audits) if a.moderations]
    moderations = pl.DataFrame(
        {
            "i": [i for i, a in moderated for _ in a.moderations],
            "k": [k for _, a in moderated for k in range(len(a.moderations))],
            "on": [m.on for _, a in moderated for m in a.moderations],
            "moderated": [m.grade for _, a in moderated for m in a.moderations],
        },
        schema_overrides={"i": pl.UInt32},
    )
    # Only the quarter's audits' judgements are counted: selecting those audits in Python
    # before exploding their judgements is the fastest way found to build this frame.
    last = min(PERIOD.end, AS_OF)
    quarter = [(i, a) for i, a in enumerate(audits) if PERIOD.start <= a.audit_date <= last]
    judgements = pl.DataFrame(
        {
            "i": [i for i, a in quarter for _ in a.judgements],
            "standard": [j.standard for _, a in quarter for j in a.judgements],
            "grade": [j.grade for _, a in quarter for j in a.judgements],
            "strengths": [j.strengths for _, a in quarter for j in a.judgements],
            "would_improve": [j.would_improve for _, a in quarter for j in a.judgements],
        },
        schema_overrides={"i": pl.UInt32},
    )
    with_actions = [(i, a) for i, a in enumerate(audits) if a.actions]
    actions = pl.DataFrame(
        {
            "i": [i for i, a in with_actions for _ in a.actions],
            "due": [x.due for _, a in with_actions for x in a.actions],
            "status": [x.status.value for _, a in with_actions for x in a.actions],
            "done_on": [x.done_on for _, a in with_actions for x in a.actions],
            "verified_on": [x.verified_on for _, a in with_actions for x in a.actions],
        },
        schema_overrides={"i": pl.UInt32, "done_on": pl.Date, "verified_on": pl.Date},
    )
    return {
        "audits": frame,
        "moderations": moderations,
        "judgements": judgements,
        "actions": actions,
    }


def polars_group_by(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The aggregates from the frames."""
    latest = (
        frames["moderations"]
        .filter(pl.col("on") <= AS_OF)
        .sort(["i", "on", "k"])
        .group_by("i")
        .agg(pl.col("moderated").last())
    )
    window = pl.lit(None, dtype=pl.Int32)
    for index, quarter in reversed(list(enumerate(QUARTERS))):
        window = (
            pl.when(pl.col("date").is_between(quarter.start, min(quarter.end, AS_OF)))
            .then(pl.lit(index, dtype=pl.Int32))
            .otherwise(window)
        )
    audits = (
        frames["audits"]
        .join(latest, on="i", how="left")
        .with_columns(
            final=pl.coalesce("moderated", "overall"),
            window=window,
        )
        .filter(pl.col("window").is_not_null())
    )
    current = audits.filter(pl.col("window") == len(QUARTERS) - 1)
    judged = frames["judgements"].join(current.select("i"), on="i", how="semi")
    status = (
        pl.when((pl.col("status") == "verified") & (pl.col("verified_on") <= AS_OF))
        .then(pl.lit("verified"))
        .when((pl.col("status") != "open") & (pl.col("done_on") <= AS_OF))
        .then(pl.lit("done"))
        .otherwise(pl.lit("open"))
    )
    actions = (
        frames["actions"]
        .join(frames["audits"].select("i", "date", "team"), on="i")
        .filter(pl.col("date") <= AS_OF)
        .with_columns(state=status)
        .with_columns(overdue=(pl.col("state") == "open") & (pl.col("due") < AS_OF))
    )
    due = actions.filter(pl.col("due").is_between(PERIOD.start, PERIOD.end)).with_columns(
        bucket=pl.when(pl.col("state") != "open")
        .then(pl.lit("done"))
        .when(pl.col("overdue"))
        .then(pl.lit("overdue"))
        .otherwise(pl.lit("open"))
    )
    return {
        "trend": audits.group_by("window", "final").len(),
        "activity": current.group_by("activity").len(),
        "team": current.group_by("team", "final").len(),
        "area": current.group_by("area", "final").len(),
        "standard": judged.group_by("standard", "grade").len(),
        "strengths": judged.drop_nulls("strengths").group_by("standard", "strengths").len(),
        "would_improve": judged.drop_nulls("would_improve")
        .group_by("standard", "would_improve")
        .len(),
        "pairs": current.filter(pl.col("moderated").is_not_null())
        .group_by("overall", "moderated")
        .len(),
        "actions": due.group_by("team", "bucket").len(),
        "action_totals": pl.DataFrame(
            {
                "key": ["verified", "overdue_total"],
                "len": [
                    due.filter(pl.col("state") == "verified").height,
                    actions.filter(pl.col("overdue")).height,
                ],
            }
        ),
    }


def polars_report(audits: Sequence[Audit]) -> dict[str, pl.DataFrame]:
    return polars_group_by(polars_frames(audits))


def from_frames(found: dict[str, Any]) -> Aggregates:
    """Counters from the baselines' result frames (last column the count)."""
    result: Aggregates = {}
    for name, frame in found.items():
        rows = frame.rows() if isinstance(frame, pl.DataFrame) else list(frame.itertuples(False))
        result[name] = Counter(
            {(row[0] if len(row) == 2 else tuple(row[:-1])): int(row[-1]) for row in rows}
        )
    return result


# ---------------------------------------------------------------------------------------------
# pandas, as an analyst would write it
# ---------------------------------------------------------------------------------------------


def final_grade(audit: Audit) -> tuple[str, str | None]:
    """The analyst's helper: the grade after the latest moderation by the report date."""
    done = [(m.on, k, m.grade) for k, m in enumerate(audit.moderations) if m.on <= AS_OF]
    moderated = max(done)[2] if done else None
    return (moderated or audit.overall_grade), moderated


def pandas_report(audits: Sequence[Audit]) -> dict[str, pd.DataFrame]:
    rows = []
    for a in audits:
        final, moderated = final_grade(a)
        rows.append(
            {
                "id": a.id,
                "date": a.audit_date,
                "activity": a.activity,
                "team": a.team,
                "area": a.service_area,
                "overall": a.overall_grade,
                "moderated": moderated,
                "final": final,
            }
        )
    df = pd.DataFrame(rows)
    df["date"] = pd.to_datetime(df["date"])
    judgements = pd.DataFrame(
        [
            {
                "id": a.id,
                "standard": j.standard,
                "grade": j.grade,
                "strengths": j.strengths,
                "would_improve": j.would_improve,
            }
            for a in audits
            for j in a.judgements
        ]
    )
    actions = pd.DataFrame(
        [
            {
                "id": a.id,
                "date": a.audit_date,
                "team": a.team,
                "due": x.due,
                "status": x.status.value,
                "done_on": x.done_on,
                "verified_on": x.verified_on,
            }
            for a in audits
            for x in a.actions
        ]
    )
    for column in ("date", "due", "done_on", "verified_on"):
        actions[column] = pd.to_datetime(actions[column])
    as_of = pd.Timestamp(AS_OF)
    df["window"] = None
    for index, quarter in enumerate(QUARTERS):
        inside = df["date"].between(
            pd.Timestamp(quarter.start), pd.Timestamp(min(quarter.end, AS_OF))
        )
        df.loc[inside, "window"] = index
    df = df[df["window"].notna()]
    current = df[df["window"] == len(QUARTERS) - 1]
    judged = judgements[judgements["id"].isin(current["id"])]
    actions = actions[actions["date"] <= as_of].copy()
    actions["state"] = "open"
    actions.loc[(actions["status"] != "open") & (actions["done_on"] <= as_of), "state"] = "done"
    actions.loc[(actions["status"] == "verified") & (actions["verified_on"] <= as_of), "state"] = (
        "verified"
    )
    actions["overdue"] = (actions["state"] == "open") & (actions["due"] < as_of)
    due = actions[
        actions["due"].between(pd.Timestamp(PERIOD.start), pd.Timestamp(PERIOD.end))
    ].copy()
    due["bucket"] = "open"
    due.loc[due["state"] != "open", "bucket"] = "done"
    due.loc[due["overdue"], "bucket"] = "overdue"
    moderated = current[current["moderated"].notna()]
    return {
        "trend": df.groupby(["window", "final"]).size().reset_index(),
        "activity": current.groupby("activity").size().reset_index(),
        "team": current.groupby(["team", "final"]).size().reset_index(),
        "area": current.groupby(["area", "final"]).size().reset_index(),
        "standard": judged.groupby(["standard", "grade"]).size().reset_index(),
        "strengths": judged.groupby(["standard", "strengths"]).size().reset_index(),
        "would_improve": judged.groupby(["standard", "would_improve"]).size().reset_index(),
        "pairs": moderated.groupby(["overall", "moderated"]).size().reset_index(),
        "actions": due.groupby(["team", "bucket"]).size().reset_index(),
        "action_totals": pd.DataFrame(
            {
                "key": ["verified", "overdue_total"],
                "len": [int((due["state"] == "verified").sum()), int(actions["overdue"].sum())],
            }
        ),
    }


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def best_seconds(call: Callable[[], Any], repeat: int, *, collector: bool = True) -> float:
    """The fastest of ``repeat`` wall-clock runs, with the cycle collector on or paused."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        was = gc.isenabled()
        if not collector:
            gc.disable()
        try:
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
        finally:
            if was:
                gc.enable()
    return best


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def normalised(aggregates: Aggregates) -> Aggregates:
    """Trend windows as ints, notes as plain keys, so the three results compare equal."""
    fixed = dict(aggregates)
    fixed["trend"] = Counter({(int(w), g): c for (w, g), c in aggregates["trend"].items()})
    return fixed


def check_agreement(audits: Sequence[Audit], profile: Profile) -> None:
    ours = normalised(qaframework_aggregates(qaframework_report(audits, profile)))
    theirs = normalised(from_frames(polars_report(audits)))
    analyst = normalised(from_frames(pandas_report(audits)))
    for name, counts in ours.items():
        # The report keeps the five most frequent notes per standard; compare those.
        if name in ("strengths", "would_improve"):
            theirs[name] = Counter({k: v for k, v in theirs[name].items() if k in counts})
            analyst[name] = Counter({k: v for k, v in analyst[name].items() if k in counts})
        assert counts == theirs[name], (name, counts, theirs[name])
        assert counts == analyst[name], (name, counts, analyst[name])


def measure(profile: Profile, size: int, seed: int, repeat: int) -> None:
    """Time the report and the baselines on ``size`` audits; print the table rows."""
    audits = synthetic_audits(profile, size, seed)
    frames = polars_frames(audits)
    ours = best_seconds(lambda: qaframework_report(audits, profile), repeat)
    full = best_seconds(
        lambda: build_cycle_report(audits, profile, PERIOD, as_of=AS_OF, trend_periods=4),
        repeat,
    )
    polars_on = best_seconds(lambda: polars_report(audits), repeat)
    polars_off = best_seconds(lambda: polars_report(audits), repeat, collector=False)
    group_by = best_seconds(lambda: polars_group_by(frames), repeat)
    pandas_on = best_seconds(lambda: pandas_report(audits), repeat)
    pandas_off = best_seconds(lambda: pandas_report(audits), repeat, collector=False)
    polars_best = min(polars_on, polars_off)
    pandas_best = min(pandas_on, pandas_off)
    rows = [
        ("build_cycle_report, escalations given (target <= 2x polars)", ours),
        ("polars: frames from the records + group-by (baseline)", polars_best),
        ("polars, collector running", polars_on),
        ("polars, collector paused", polars_off),
        ("polars: group-by alone, frames built beforehand", group_by),
        ("pandas analyst script, collector running", pandas_on),
        ("pandas analyst script, collector paused", pandas_off),
        ("build_cycle_report, escalations evaluated too", full),
    ]
    for label, seconds in rows:
        print(
            f"| {size:,} | {label} | {seconds * 1000:,.1f} | "
            f"{seconds / size * 1e9:,.0f} | {seconds / polars_best:.2f} |"
        )
    print(
        f"| {size:,} | **ratios**: report / polars {ours / polars_best:.2f} "
        f"(target <= 2), pandas / report {pandas_best / ours:.1f} (target >= 3) | | | |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    profile = load_profile("bolton", as_of=PERIOD.end)
    print(
        f"{cpu_model()}, {os.cpu_count()} CPUs, {platform.system()}; "
        f"Python {platform.python_version()}, polars {pl.__version__}, pandas {pd.__version__}; "
        f"best of {args.repeat} (2 at 1,000,000); period {PERIOD.label} as of {AS_OF}\n"
    )
    check_agreement(synthetic_audits(profile, 5_000, args.seed), profile)
    print("| audits | measurement | ms | ns/audit | x polars |")
    print("|---:|---|---:|---:|---:|")
    for size in args.sizes:
        measure(profile, size, args.seed, min(args.repeat, 2) if size >= 1_000_000 else args.repeat)
        gc.collect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
