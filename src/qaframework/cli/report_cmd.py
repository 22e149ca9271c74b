"""``qaframework report``: a cycle report on an audit export, written as files for a board.

Loads a council's audit export (any format :mod:`qaframework.io` reads, through a column
mapping), builds the cycle report for a period (:func:`qaframework.build_cycle_report`,
each audit under the profile version in force on its date) as of a day, and writes it with
:func:`qaframework.render.render_report`: Markdown, HTML, JSON, CSV, XLSX and charts. It
prints the paths written and the period at a glance, as published. Aggregate files apply
small-number suppression (``--threshold`` sets it, ``--unsuppressed`` turns it off for an
internal copy, named and marked not for publication). Child-level detail, which names
children, is written only with ``--child-level``, as separate files marked
OFFICIAL-SENSITIVE. Auditors' notes are counted, not published, unless the council opts in
with ``--publish-notes`` (redacted of children's ids; ``--child-id-pattern`` states the
council's id format). A figure whose data the export does not carry (a CSV export without
action columns has no actions) is written as not recorded in this export, never as 0.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console, iso_date
from qaframework.cli._loading import add_actions_arguments, add_export_arguments, load_audits

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.engine.audits import RecordedData
    from qaframework.engine.periods import Period
    from qaframework.engine.report import NotePublication, PublishedCycleReport, Share
    from qaframework.engine.suppression import SuppressionPolicy
    from qaframework.io import AuditLoad
    from qaframework.render import ChartDrawer

# The formats qaframework.render writes (REPORT_FORMATS and CHILD_LEVEL_FORMATS), spelt out
# so that the parser is built without importing the renderers.
FORMATS = ("md", "html", "json", "csv", "xlsx", "charts")
CHILD_LEVEL_FORMATS = ("md", "html", "json", "csv", "xlsx")
PRINTED = ("table", "json")
"""How ``report --format`` prints the summary."""
CHARTS_EXTRA = "charts need matplotlib, the charts extra: pip install 'qaframework[charts]'"

_CYCLE = re.compile(r"cycle[:\s]\s*(\S+)", re.IGNORECASE)


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def register(subparsers: Any) -> None:
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report",
        help="a cycle report on an audit export, as Markdown, HTML, JSON, CSV, XLSX and charts",
        description=(
            "Build the cycle report on an audit export for a period, as of a day, and write "
            "it for a board: Markdown, one self-contained HTML page, JSON, CSV, XLSX and "
            "charts, with small numbers suppressed. Prints the files written and the period "
            "at a glance. Child-level detail only with --child-level, marked "
            "OFFICIAL-SENSITIVE."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    parser.add_argument("audits", metavar="AUDITS", help="the audit export")
    parser.add_argument(
        "--period",
        required=True,
        metavar="P",
        help="2026-27 Q1, 2026-05, 2026-27, 2026-04-01..2026-05-12, or the council's cycle "
        "holding a day: cycle:2026-05-20",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="the day the report is as of (default: the period's last day)",
    )
    parser.add_argument(
        "--write",
        dest="formats",
        action="extend",
        nargs="+",
        choices=(*FORMATS, "all"),
        metavar="F",
        help=f"the files to write: {', '.join(FORMATS)} or all, one or several (default: all)",
    )
    parser.add_argument(
        "--format",
        dest="printed",
        action="extend",
        nargs="+",
        choices=(*PRINTED, *(f for f in FORMATS if f != "json"), "all"),
        metavar="F",
        help="how to print the summary: table (the default) or json; a file format here is "
        "the old spelling of --write",
    )
    parser.add_argument(
        "--out", default=".", metavar="DIR", help="where to write (default: this directory)"
    )
    add_export_arguments(parser, what="audit export")
    add_actions_arguments(parser)
    suppression = parser.add_mutually_exclusive_group()
    suppression.add_argument(
        "--threshold",
        type=_threshold,
        metavar="N",
        help="suppress counts from 1 to N (default 5)",
    )
    suppression.add_argument(
        "--unsuppressed",
        action="store_true",
        help="write exact counts, for an internal copy: marked and named not for publication",
    )
    parser.add_argument(
        "--no-charts", action="store_true", help="write Markdown and HTML without charts"
    )
    parser.add_argument(
        "--publish-notes",
        action="store_true",
        help="publish auditors' notes (free text) in the report, redacted of children's ids: "
        "the council's opt-in, written on every file (default: learning themes as counts, "
        "the notes only in --child-level)",
    )
    parser.add_argument(
        "--child-id-pattern",
        metavar="REGEX",
        help="with --publish-notes: the council's child-id format, a regular expression an "
        "id's letters and digits match (default: up to three letters, then five or more "
        "digits)",
    )
    parser.add_argument(
        "--child-level",
        action="store_true",
        help="also write the child-level detail (escalations, tracker, overdue actions), "
        "marked OFFICIAL-SENSITIVE",
    )
    parser.set_defaults(handler=run)


def report_period_for(text: str, profile_id: str) -> Period:
    """A report period as :func:`qaframework.report_period` reads it; a council's cycle
    (``cycle:2026-05-20``) under the profile version in force on its day."""
    from qaframework.engine.report import report_period
    from qaframework.profiles.registry import load_profile

    cycle = _CYCLE.fullmatch(text.strip())
    if cycle is None:
        return report_period(text)
    try:
        day = date.fromisoformat(cycle.group(1))
    except ValueError:
        raise CliError(
            f"--period {text!r}: {cycle.group(1)!r} is not a date in the form YYYY-MM-DD"
        ) from None
    return report_period(text, load_profile(profile_id, as_of=day))


def _policy(args: argparse.Namespace) -> SuppressionPolicy:
    from qaframework.engine.suppression import SuppressionPolicy

    if args.unsuppressed:
        return SuppressionPolicy.off()
    if args.threshold is not None:
        return SuppressionPolicy(threshold=args.threshold)
    return SuppressionPolicy()


def _notes(args: argparse.Namespace) -> NotePublication | None:
    from qaframework.engine.report import NotePublication

    if not args.publish_notes:
        if args.child_id_pattern is not None:
            raise CliError("--child-id-pattern goes with --publish-notes")
        return None
    if args.child_id_pattern is None:
        return NotePublication()
    try:
        return NotePublication(args.child_id_pattern)
    except ValueError as exc:
        raise CliError(f"--child-id-pattern: {exc}") from None


def recorded_in(load: AuditLoad) -> RecordedData:
    """Which kinds of data an export carries, as the load tells (:attr:`AuditLoad.recorded
    <qaframework.io.AuditLoad.recorded>`): every kind for a JSON or JSON Lines export read
    natively; for one read through a column mapping, a kind whose columns the mapping names
    and the export has (a CSV or XLSX export carries no actions unless its mapping maps them
    or an actions file is joined)."""
    from qaframework.engine.audits import RecordedData

    return RecordedData(**{kind: load.records(kind) for kind in RecordedData.__annotations__})


def charts_available() -> bool:
    """Whether matplotlib, which draws the charts, is installed."""
    return importlib.util.find_spec("matplotlib") is not None


def _printed(args: argparse.Namespace) -> tuple[str, str | None]:
    """How the summary prints, and a note when ``--format`` named files (the old spelling of
    ``--write``, which then also takes ``json``)."""
    given: list[str] = args.printed or []
    files = [f for f in given if f not in PRINTED]
    if not files:
        return (given[-1] if given else "table"), None
    named = [f for f in given if f != "table"]
    args.formats = [*(args.formats or []), *named]
    return "table", (
        f"--format {' '.join(named)} names files to write: say --write {' '.join(named)} "
        "(--format now says how the summary prints: table or json)"
    )


def _formats(args: argparse.Namespace) -> tuple[list[str], bool, str | None]:
    """The formats to write, whether to draw charts, and a note when charts are left out."""
    asked = args.formats or ["all"]
    named = [f for f in asked if f != "all"]
    chosen = list(dict.fromkeys(FORMATS if "all" in asked else named))
    if args.no_charts:
        if "charts" in named:
            raise CliError("--no-charts and --write charts ask for opposite things")
        return [f for f in chosen if f != "charts"], False, None
    if charts_available() or "charts" in named:
        return chosen, True, None
    # Charts came with "all": write the rest rather than fail.
    return [f for f in chosen if f != "charts"], False, f"written without charts: {CHARTS_EXTRA}"


DRAWER_FROM_BYTES = 1 << 20
"""An export of this size or more (about 1,000 audits as CSV) has its charts drawn by a
worker process started before it is read: importing matplotlib and drawing then take no
time of their own. A smaller export is read sooner than the worker starts."""


@contextlib.contextmanager
def _drawer(export: str, formats: Sequence[str], charts: bool) -> Iterator[ChartDrawer | None]:
    """A :class:`~qaframework.render.ChartDrawer` when charts are drawn for an export of
    :data:`DRAWER_FROM_BYTES` or more, None otherwise; closed on leaving."""
    from qaframework.render import ChartDrawer, draws_charts

    try:
        large = os.stat(export).st_size >= DRAWER_FROM_BYTES
    except OSError:
        large = False  # the loader says what is wrong with the file
    if not (large and draws_charts(formats, charts=charts) and charts_available()):
        yield None
        return
    with ChartDrawer() as drawer:
        yield drawer


def run(args: argparse.Namespace) -> int:
    """Build the report, write its files and print them with the period at a glance."""
    from qaframework.engine.escalation import evaluate_escalations_bulk
    from qaframework.engine.report import build_cycle_report, child_level_detail
    from qaframework.profiles.registry import get_registry
    from qaframework.render import render_child_level, render_report

    get_registry().info(args.profile_id)
    period = report_period_for(args.period, args.profile_id)
    as_of: date = args.as_of if args.as_of is not None else period.end
    printed, spelling = _printed(args)
    formats, charts, note = _formats(args)
    child_formats = [f for f in formats if f in CHILD_LEVEL_FORMATS]
    if args.child_level and not child_formats:
        raise CliError(
            f"--child-level writes {', '.join(CHILD_LEVEL_FORMATS)}: add one of them to --write"
        )
    policy = _policy(args)
    notes = _notes(args)
    from qaframework.profiles.registry import profile_resolver

    resolve = profile_resolver(args.profile_id)
    with _drawer(args.audits, formats, charts) as drawer:
        load = load_audits(args, args.audits, args.profile_id)
        audits = load.accepted
        recorded = recorded_in(load)
        raised = evaluate_escalations_bulk(audits, resolve, as_of=as_of)
        report = build_cycle_report(
            audits, resolve, period, as_of=as_of, escalations=raised, recorded=recorded
        )
        published = report.publishable(policy, notes=notes)
        try:
            paths = render_report(published, formats, args.out, charts=charts, drawer=drawer)
        except OSError as exc:
            raise CliError(f"{args.out}: cannot be written ({exc.strerror or exc})") from None
    try:
        detail_paths: list[Path] = []
        if args.child_level:
            detail = child_level_detail(audits, resolve, period, as_of=as_of, escalations=raised)
            detail_paths = render_child_level(detail, child_formats, args.out)
    except OSError as exc:
        raise CliError(f"{args.out}: cannot be written ({exc.strerror or exc})") from None
    if spelling is not None:
        print(f"qaframework: note: {spelling}", file=sys.stderr)
    if note is not None:
        print(f"qaframework: note: {note}", file=sys.stderr)
    if printed == "json":
        data = {
            **summary_data(published),
            "as_of_given": args.as_of is not None,
            "files": [str(path) for path in paths],
            "child_level_files": [str(path) for path in detail_paths],
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = console()
    print_summary(out, published, as_of_given=args.as_of is not None)
    out.print(f"Wrote {len(paths)} files:", markup=False)
    for line in listing(paths):
        out.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    if detail_paths:
        out.print(
            f"OFFICIAL-SENSITIVE: {len(detail_paths)} child-level files, naming children; "
            "keep them apart from the report:",
            markup=False,
        )
        for line in listing(detail_paths):
            out.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    return 0


NOT_RECORDED = "not recorded in this export"
"""What a figure reads whose data the export does not carry."""


def share_text(share: Share | None, marker: str) -> str:
    """``58% (50% to 66%)``; the marker where withheld, ``n/a`` for a share of nothing."""
    if share is None:
        return marker
    if share.value is None or share.lower is None or share.upper is None:
        return "n/a"
    return f"{share.value:.0%} ({share.lower:.0%} to {share.upper:.0%})"


def count_text(value: int | None, marker: str) -> str:
    """A published count: the number, or the marker where suppressed."""
    return marker if value is None else f"{value:,}"


def good_words(published: PublishedCycleReport) -> str:
    """The council's words for good or better: "Meets good or better" for Bolton."""
    good = [g for g in published.grades if g.good_or_better]
    return f"{good[-1].label} or better" if good else "Good or better"


def glance(published: PublishedCycleReport) -> list[tuple[str, str]]:
    """The period at a glance, as published: audits, the share good or better with its
    interval, moderated, escalations open and actions overdue on the report's day."""
    marker = published.policy.marker
    recorded = published.recorded

    def count(value: int | None, known: bool) -> str:
        return count_text(value, marker) if known else NOT_RECORDED

    return [
        ("Audits", count_text(published.audits, marker)),
        (good_words(published), share_text(published.good_or_better, marker)),
        ("Moderated", count(published.moderation.moderated, recorded.moderation)),
        (
            "Escalations open",
            count(published.escalations.open_total, published.escalations.status_recorded),
        ),
        ("Overdue actions", count(published.actions.overdue_total, recorded.actions)),
    ]


def summary_data(published: PublishedCycleReport) -> dict[str, Any]:
    """The period at a glance as plain data, as published: a count is None where it is
    suppressed or its data is not recorded in the export (``not_recorded`` names the kinds
    of data the export lacks), the share good or better None where it is withheld."""
    period = published.period
    policy = published.policy
    share = published.good_or_better
    recorded = published.recorded
    return {
        "profile": published.profile_id,
        "authority": published.authority,
        "profile_version": published.profile_version,
        "versions": list(published.versions),
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "as_of": published.as_of.isoformat(),
        "suppression": {
            "enabled": policy.enabled,
            "threshold": policy.threshold if policy.enabled else None,
            "marker": policy.marker,
        },
        "audits": published.audits,
        "good_or_better": None
        if share is None
        else {
            "count": share.count,
            "total": share.total,
            "share": share.value,
            "lower": share.lower,
            "upper": share.upper,
            "confidence": share.confidence,
        },
        "moderated": published.moderation.moderated if recorded.moderation else None,
        "escalations_open": published.escalations.open_total
        if published.escalations.status_recorded
        else None,
        "actions_overdue": published.actions.overdue_total if recorded.actions else None,
        "not_recorded": list(recorded.missing),
    }


def print_summary(out: Console, published: PublishedCycleReport, *, as_of_given: bool) -> None:
    """What ``report`` prints before the files: the report's title, day, version,
    suppression and the period at a glance."""
    from rich.table import Table

    period = published.period
    out.print(
        f"{published.authority}: cycle report for {period.label} ({period.start} to {period.end})",
        style="bold",
        markup=False,
        highlight=False,
    )
    day = f"{published.as_of}" + ("" if as_of_given else " (the period's end)")
    graded = ""
    if published.versions not in ((), (published.profile_version,)):
        graded = f"; audits graded under {', '.join(published.versions)}"
    out.print(
        f"As of {day}; profile {published.profile_id} {published.profile_version}{graded}",
        markup=False,
        highlight=False,
    )
    policy = published.policy
    if policy.enabled:
        out.print(
            f"Small numbers suppressed: counts from 1 to {policy.threshold} shown as "
            f"{policy.marker}",
            markup=False,
        )
    else:
        out.print(
            "NOT FOR PUBLICATION: suppression is off, every count is exact; the files say so",
            markup=False,
        )
    if published.notes is not None:
        out.print(
            "Auditors' notes published at the council's request, redacted of children's ids "
            f"(and of words matching {published.notes.child_id_pattern}); the files say so",
            markup=False,
            highlight=False,
        )
    missing = published.recorded.missing
    if published.compliance is None:
        # No activity of the profile asks checklist questions: nothing needs the answers.
        missing = tuple(kind for kind in missing if kind != "checklist")
    if missing:
        out.print(
            f"Not recorded in this export: {', '.join(missing)} (figures needing them say so)",
            markup=False,
            highlight=False,
        )
    table = Table.grid(padding=(0, 3))
    table.add_column()
    table.add_column()
    for label, value in glance(published):
        table.add_row(label, value)
    out.print(table, markup=False, highlight=False)
    from qaframework.policy.display import plural

    basis = published.basis
    for text in (absent.text for absent in basis.absent):
        out.print(text, markup=False, highlight=False)
    if basis.assumptions or basis.not_stated:
        out.print(
            f"Rests on {plural(len(basis.assumptions), 'assumption')} of the profile and "
            f"{plural(len(basis.not_stated), 'detail')} it does not state: see "
            "'What these figures rest on' in the report.",
            markup=False,
            highlight=False,
        )


def listing(paths: Sequence[Path]) -> list[str]:
    """The paths written, one a line; a folder of CSV files is one line with their number."""
    folders = Counter(p.parent for p in paths if p.parent.name.endswith("-csv"))
    lines: list[str] = []
    for path in paths:
        if path.parent not in folders:
            lines.append(str(path))
        elif folders[path.parent]:
            lines.append(f"{path.parent}{os.sep} ({folders[path.parent]} CSV files)")
            folders[path.parent] = 0
    return lines
