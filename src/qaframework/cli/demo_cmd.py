"""``qaframework demo``: one whole QA cycle, end to end, on synthetic data, with its report.

For each council asked for (every installed profile by default, a third-party one included)
it runs :func:`qaframework.demo.run_cycle`: makes the council's synthetic case list, audits
and activity log (the data of the repository's ``examples/`` for the bundled councils),
samples the cases, moderates the audits, evaluates the escalations, follows the actions and
obligations up and builds the cycle report. It prints what each step did, writes the report
with :func:`qaframework.render.render_report` into a folder per council (Markdown, HTML,
JSON, CSV, XLSX and charts, small numbers suppressed) and ends with where the files are.
The data are made up from a fixed seed: the same command writes the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console
from qaframework.cli.report_cmd import (
    CHARTS_EXTRA,
    FORMATS,
    charts_available,
    glance,
    good_words,
    summary_data,
)

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.demo import DemoCycle
    from qaframework.engine.report import PublishedCycleReport

DEFAULT_OUT = "qaframework-demo"
"""Where the demo writes when ``--out`` is not given: a folder in the current directory."""


def register(subparsers: Any) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo",
        help="run one whole QA cycle on synthetic data and write its report",
        description=(
            "Run one whole QA cycle end to end on a council's synthetic data (made up from a "
            "fixed seed, about no real child): sample the cases, moderate the audits, "
            "evaluate the escalations, follow the actions and obligations up, and write the "
            "cycle report as Markdown, HTML, JSON, CSV, XLSX and charts into a folder per "
            "council. Without --profile, every installed council."
        ),
    )
    parser.add_argument(
        "--profile",
        dest="profiles",
        action="append",
        metavar="ID",
        help="a council's profile id; repeat for several (default: every installed profile)",
    )
    parser.add_argument(
        "--out",
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"where to write, a folder per council (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print what each step did: lines of text (table, the default) or JSON",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the cycle for each council asked for, write the reports and say where they are."""
    from qaframework.demo import run_cycle
    from qaframework.profiles.registry import get_registry
    from qaframework.render import render_report

    registry = get_registry()
    ids = list(dict.fromkeys(args.profiles or [info.id for info in registry.infos()]))
    if not ids:
        raise CliError("no council profile is installed: see qaframework profiles")
    for profile_id in ids:
        registry.info(profile_id)  # an unknown id fails before anything is written
    charts = charts_available()
    formats = list(FORMATS if charts else (f for f in FORMATS if f != "charts"))
    out = console()
    written: list[tuple[str, list[Path]]] = []
    councils: list[dict[str, Any]] = []
    for profile_id in ids:
        cycle = run_cycle(profile_id)
        published = cycle.report.publishable()
        folder = Path(args.out) / profile_id
        try:
            paths = render_report(published, formats, folder, charts=charts)
        except OSError as exc:
            raise CliError(f"{folder}: cannot be written ({exc.strerror or exc})") from None
        if args.format == "json":
            councils.append(cycle_data(cycle, published, paths))
        else:
            print_cycle(out, cycle, published)
        written.append((profile_id, paths))
    if not charts:
        print(f"qaframework: note: written without charts: {CHARTS_EXTRA}", file=sys.stderr)
    if args.format == "json":
        data = {"out": str(args.out), "charts": charts, "councils": councils}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    total = sum(len(paths) for _id, paths in written)
    what = "Markdown, HTML, JSON, CSV, XLSX" + (" and charts" if charts else "")
    out.print(
        f"Wrote {total} files ({what}) into {args.out}, a folder per council:",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for line in where(written):
        out.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    return 0


def where(written: list[tuple[str, list[Path]]]) -> list[str]:
    """One line per council: its HTML report (or first file) and how many files are beside
    it, so that the list stays short."""
    lines: list[str] = []
    for _profile_id, paths in written:
        main = next((p for p in paths if p.suffix == ".html"), paths[0])
        others = len(paths) - 1
        more = f" and {others} more file{'s' if others != 1 else ''} in {main.parent}{os.sep}"
        lines.append(f"{main}{more if others else ''}")
    return lines


_INDENT = 15  # the width of a step's label column, and its margin

_OUTCOME_WORDS = {"agree": "agreed", "upgrade": "upgraded", "downgrade": "downgraded"}


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def steps(cycle: DemoCycle, published: PublishedCycleReport) -> list[tuple[str, str]]:
    """What each step of the cycle did, a label and a line (or lines) for each."""
    from qaframework.engine.obligations import ObligationStatus
    from qaframework.policy.actions import ActionStatus

    data = cycle.data
    profile = cycle.profile
    rows: list[tuple[str, str]] = [
        ("Profile", f"{profile.id} {profile.version}, in force on {cycle.as_of}"),
        (
            "Data",
            f"{_count(len(data.cases), 'case')}, {_count(len(data.audits), 'audit')}, "
            f"{_count(len(data.log), 'activity log line')}: synthetic, seed {cycle.seed}",
        ),
    ]
    step = cycle.sample
    cycle_days = f"cycle {step.cycle.start} to {step.cycle.end}"
    if step.sample is None:
        drawn = f"nothing drawn for {step.activity.name} ({cycle_days})"
    else:
        sample = step.sample
        drawn = (
            f"{len(sample.cases)} of {sample.population:,} cases for {step.activity.name}, "
            f"{sample.method.value.replace('_', ' ')} ({cycle_days})"
        )
    rows.append(("Sample", "\n".join([drawn, *(f"assumed: {a}" for a in step.assumed)])))
    moderation = cycle.moderation
    outcomes = ", ".join(f"{n} {_OUTCOME_WORDS[o.value]}" for o, n in moderation.outcomes)
    unstated = dict.fromkeys(n for sel in moderation.selections for n in sel.not_stated)
    rows.append(
        (
            "Moderation",
            "\n".join(
                [
                    f"{moderation.selected} audits chosen under the policy, "
                    f"{moderation.moderated} moderated: {outcomes}",
                    *(f"not stated: {note}" for note in unstated),
                ]
            ),
        )
    )
    escalations = cycle.escalations
    tracked = len(escalations.tracker)
    rows.append(
        (
            "Escalations",
            f"{len(escalations.raised)} raised, {escalations.open} open on {cycle.as_of}, "
            f"{len(escalations.urgent)} urgent safety; "
            f"{tracked} {'child' if tracked == 1 else 'children'} on a tracker",
        )
    )
    actions = cycle.actions
    done = sum(1 for i in actions.items if i.status is not ActionStatus.OPEN)
    rows.append(
        (
            "Actions",
            f"{_count(len(actions), 'action')}: {done} done, {len(actions.open())} open, "
            f"{len(actions.overdue())} overdue",
        )
    )
    standing = dict.fromkeys(ObligationStatus, 0)
    for obligation in cycle.obligations:
        standing[obligation.status] += 1
    rows.append(
        (
            "Obligations",
            f"{len(cycle.obligations):,} owed: "
            + ", ".join(f"{n:,} {status.value}" for status, n in standing.items()),
        )
    )
    figures = dict(glance(published))
    good = good_words(published)
    policy = published.policy
    rows.append(
        (
            "Report",
            f"{good}: {figures[good]}; counts from 1 to {policy.threshold} shown as "
            f"{policy.marker}",
        )
    )
    basis = published.basis
    rows.append(
        (
            "Rests on",
            "\n".join(
                [
                    f"{_count(len(basis.assumptions), 'assumption')} of the profile and "
                    f"{_count(len(basis.not_stated), 'detail')} it does not state, listed in "
                    "the report",
                    *(absent.text for absent in basis.absent),
                ]
            ),
        )
    )
    return rows


def cycle_data(
    cycle: DemoCycle, published: PublishedCycleReport, paths: list[Path]
) -> dict[str, Any]:
    """One council's cycle as plain data (``demo --format json``): the same facts as
    :func:`steps` prints, as numbers; the report's figures as published (None where
    suppressed or withheld)."""
    from qaframework.engine.obligations import ObligationStatus
    from qaframework.policy.actions import ActionStatus

    profile, data, step = cycle.profile, cycle.data, cycle.sample
    sample = step.sample
    actions = cycle.actions
    return {
        "profile": profile.id,
        "version": profile.version,
        "authority": profile.authority,
        "period": {
            "label": cycle.period.label,
            "start": cycle.period.start.isoformat(),
            "end": cycle.period.end.isoformat(),
        },
        "as_of": cycle.as_of.isoformat(),
        "seed": cycle.seed,
        "data": {
            "cases": len(data.cases),
            "audits": len(data.audits),
            "activity_log": len(data.log),
        },
        "sample": {
            "activity": step.activity.id,
            "cycle": {"start": step.cycle.start.isoformat(), "end": step.cycle.end.isoformat()},
            "method": sample.method.value if sample is not None else None,
            "drawn": len(sample.cases) if sample is not None else 0,
            "population": sample.population if sample is not None else None,
            "assumed": list(step.assumed),
        },
        "moderation": {
            "selected": cycle.moderation.selected,
            "moderated": cycle.moderation.moderated,
            "outcomes": {o.value: n for o, n in cycle.moderation.outcomes},
        },
        "escalations": {
            "raised": len(cycle.escalations.raised),
            "open": cycle.escalations.open,
            "urgent": len(cycle.escalations.urgent),
            "on_tracker": len(cycle.escalations.tracker),
        },
        "actions": {
            "total": len(actions),
            "done": sum(1 for i in actions.items if i.status is not ActionStatus.OPEN),
            "open": len(actions.open()),
            "overdue": len(actions.overdue()),
        },
        "obligations": {
            status.value: sum(1 for o in cycle.obligations if o.status is status)
            for status in ObligationStatus
        },
        "report": summary_data(published),
        "files": [str(path) for path in paths],
    }


def print_cycle(out: Console, cycle: DemoCycle, published: PublishedCycleReport) -> None:
    """What the demo prints for one council: a title line, then a line (or two) per step."""
    period = cycle.period
    out.print(
        f"{cycle.profile.authority}: one QA cycle, {period.label} ({period.start} to {period.end})",
        style="bold",
        markup=False,
        highlight=False,
    )
    width = max(40, out.width - _INDENT)
    for label, text in steps(cycle, published):
        lines = [
            wrapped
            for line in text.splitlines()
            for wrapped in textwrap.wrap(line, width, subsequent_indent="  ")
        ]
        for index, line in enumerate(lines):
            out.print(
                f"  {label if index == 0 else '':<12} {line}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    out.print()
