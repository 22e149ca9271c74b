"""``qaframework due``: what each supervisee, child or role holder is owed, and by when.

Sets a log of completed QA activities against the profile's quotas owed per subject
(:func:`qaframework.engine.obligations.obligations_due`): for each subject, when the activity was
last done, when it is next due and whether it is ``ok``, ``due`` or ``overdue``. Lists the due
and overdue ones, the most urgent first (``--all`` adds those that are ``ok``). Output about
children or families carries a protective marking.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console, iso_date
from qaframework.cli._loading import (
    MARKING,
    add_export_arguments,
    duration,
    load_activity_log,
    read_table_file,
)

if TYPE_CHECKING:
    from qaframework.engine.obligations import Obligation, SubjectObligation
    from qaframework.policy.profile import Profile

CSV_COLUMNS = ("status", "activity", "subject", "owed_per", "last_done", "due_by")
# Subject kinds that are children or their families: their ids name children.
_CHILD_LEVEL = frozenset({"child", "family"})


def register(subparsers: Any) -> None:
    """Add the ``due`` command."""
    parser = subparsers.add_parser(
        "due",
        help="QA activities due or overdue per supervisee, child or role holder",
        description=(
            "Set a log of completed QA activities (observations, supervisions, care planning "
            "meetings, audits) against the profile's quotas and list, as of a date, what is "
            "due or overdue for each subject."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    parser.add_argument("log", metavar="LOG", help="the activity log")
    parser.add_argument("--as-of", type=iso_date, required=True, metavar="DATE", help="YYYY-MM-DD")
    parser.add_argument(
        "--roster",
        metavar="F",
        help="JSON or TOML: each subject kind (supervisee, child ...) to its ids, for subjects "
        "the log may not name",
    )
    parser.add_argument("--since", type=iso_date, metavar="D", help="the day the log begins")
    parser.add_argument(
        "--warning",
        type=duration,
        metavar="P2W",
        help="how long before its due date an obligation is due (default P2W)",
    )
    parser.add_argument("--all", action="store_true", help="list subjects that are ok as well")
    add_export_arguments(parser, what="activity log")
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the result: table (for people, the default), json or csv",
    )
    parser.set_defaults(handler=run)


def _roster(file: str | None) -> dict[str, list[str]] | None:
    if file is None:
        return None
    table = read_table_file(file, "roster")
    for kind, ids in table.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise CliError(f"{file}: the roster of {kind!r} must be a list of ids, got {ids!r}")
    return table


def _urgency(row: SubjectObligation) -> tuple[int, bool, date, str, str]:
    # Overdue first, then due, then ok; soonest due first, undated last.
    return (-row.status.rank, row.due_by is None, row.due_by or date.max, row.activity, row.subject)


def run(args: argparse.Namespace) -> int:
    """Set the log against the profile's obligations and print what is due."""
    from rich.text import Text

    from qaframework.engine.obligations import (
        DEFAULT_WARNING,
        ObligationStatus,
        obligations,
        obligations_due,
        unstated_obligations,
    )
    from qaframework.profiles.registry import load_profile

    profile = load_profile(args.profile_id, as_of=args.as_of)
    roster = _roster(args.roster)
    entries = load_activity_log(args, args.log).accepted
    rows = obligations_due(
        profile,
        entries,
        as_of=args.as_of,
        roster=roster,
        since=args.since,
        warning=args.warning or DEFAULT_WARNING,
    )
    counts = {
        status.value: sum(1 for r in rows if r.status is status) for status in ObligationStatus
    }
    listed = sorted(
        (r for r in rows if args.all or r.status is not ObligationStatus.OK), key=_urgency
    )
    # One obligation per activity and quota: an activity owed by several roles has one each.
    owed = {(o.activity, o.owed_per): o for o in obligations(profile)}
    # Quotas the profile cites without saying how many: no standing is computed for them.
    unstated = [
        f"{activity.name}: {quota.describe(_title(profile, quota.per_role))}"
        for activity, quota in unstated_obligations(profile)
    ]
    marked = any(r.owed_per in _CHILD_LEVEL for r in listed)
    if args.format == "json":
        from qaframework.profiles.converter import to_dict

        data: dict[str, Any] = {
            "profile": profile.id,
            "version": profile.version,
            "as_of": args.as_of.isoformat(),
            "counts": counts,
            "obligations": to_dict(listed),
            "not_stated": unstated,
        }
        if marked:
            data = {"marking": MARKING, **data}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        if marked:
            print(MARKING)
        from qaframework.render.cells import csv_writer

        writer = csv_writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        for row in listed:
            writer.writerow(
                [
                    row.status.value,
                    row.activity,
                    row.subject,
                    row.owed_per,
                    row.last_done.isoformat() if row.last_done else "",
                    row.due_by.isoformat() if row.due_by else "",
                ]
            )
        for text in unstated:
            print(f"qaframework: not computed, how many is not stated: {text}", file=sys.stderr)
    else:
        _table(args, profile, owed, listed, counts, marked)
        for text in unstated:
            console().print(Text(f"Not computed, as how many is not stated: {text}"))
    return 0


def _title(profile: Profile, role: str | None) -> str | None:
    return profile.role(role).title if role is not None else None


def _owed_per(profile: Profile, obligation: Obligation) -> str:
    per_role = obligation.quota.per_role
    return profile.role(per_role).title if per_role is not None else obligation.owed_per


def _due_by(row: SubjectObligation, obligation: Obligation) -> str:
    from qaframework.engine.obligations import ObligationStatus, WindowKind

    if row.due_by is not None:
        return row.due_by.isoformat()
    words = " or ".join(e.replace("_", " ") for e in obligation.events)
    if row.status is ObligationStatus.DUE and obligation.window is WindowKind.AFTER_EVENT:
        return f"after the {words}, by no stated date"
    if row.status is ObligationStatus.DUE and obligation.events:
        return "before the next " + words
    if obligation.window is WindowKind.BEFORE_EVENT:
        return f"before the next {words}"
    return "—"


def _table(
    args: argparse.Namespace,
    profile: Profile,
    owed: dict[tuple[str, str], Obligation],
    listed: Sequence[SubjectObligation],
    counts: dict[str, int],
    marked: bool,
) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    if marked:
        out.print(MARKING, markup=False)
    out.print(Text(f"{profile.authority}: obligations as of {args.as_of}"), style="bold")
    out.print(Text(profile.label))
    for obligation in owed.values():
        role = obligation.quota.per_role
        title = profile.role(role).title if role is not None else None
        out.print(Text(f"{obligation.name}: {obligation.describe(title)}"))
    which = "Due and overdue" if not args.all else "Every subject"
    table = Table(title=which, title_justify="left")
    for column in ("Status", "Activity", "Subject", "Owed per", "Last done", "Due by"):
        table.add_column(column, overflow="fold")
    for row in listed:
        obligation = owed[(row.activity, row.owed_per)]
        table.add_row(
            row.status.value,
            Text(obligation.name),
            Text(row.subject),
            Text(_owed_per(profile, obligation)),
            row.last_done.isoformat() if row.last_done else "never",
            Text(_due_by(row, obligation)),
        )
    out.print(table)
    out.print(f"{counts['overdue']} overdue, {counts['due']} due, {counts['ok']} ok")
