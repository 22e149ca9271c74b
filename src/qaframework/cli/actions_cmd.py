"""``qaframework actions``: closing the loop on audit actions as of a date.

Lists the actions audits set, as they stood on the day asked
(:func:`qaframework.engine.actions.ledger.action_ledger`): open, done or verified, and how many days
overdue; all of them soonest due first, or only the overdue ones (``--overdue``), for one
team or owner when asked. Counts follow, in all and per team. ``--tracker`` adds the child of
concern tracker (:func:`qaframework.engine.actions.tracker.child_of_concern_tracker`): the children
on it, since when, their next review and their open actions. The output names children (by their
pseudonymous ids), so it carries a protective marking.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import console, iso_date
from qaframework.cli._loading import (
    MARKING,
    add_actions_arguments,
    add_export_arguments,
    load_audits,
)

if TYPE_CHECKING:
    from qaframework.engine.actions.ledger import ActionItem, ActionLedger
    from qaframework.engine.actions.tracker import TrackerEntry
    from qaframework.engine.audits import Audit
    from qaframework.policy.profile import Profile

ACTION_COLUMNS = (
    "audit_id",
    "child_id",
    "activity",
    "team",
    "service_area",
    "action_id",
    "what",
    "owner",
    "due",
    "review",
    "status",
    "overdue",
    "days_overdue",
)
TRACKER_COLUMNS = (
    "tracker",
    "child_id",
    "audit_ids",
    "grade",
    "team",
    "added_on",
    "next_review",
    "open_actions",
    "awaiting_verification",
    "owner",
)


def tracker_row(entry: TrackerEntry) -> list[str]:
    """One child of concern tracker entry as text cells, in ``TRACKER_COLUMNS`` order."""
    return [
        entry.tracker,
        entry.child_id,
        "; ".join(entry.audit_ids),
        entry.grade or "",
        entry.team or "",
        entry.added_on.isoformat(),
        entry.next_review.isoformat() if entry.next_review else "",
        "; ".join(a.id for a in entry.open_actions),
        "; ".join(a.id for a in entry.awaiting_verification),
        str(entry.owner or ""),
    ]


def register(subparsers: Any) -> None:
    """Add the ``actions`` command."""
    parser = subparsers.add_parser(
        "actions",
        help="audit actions as of a date: overdue, by team, the child of concern tracker",
        description=(
            "List the actions set by the audits of an export as they stood on a date: open, "
            "done or verified and days overdue, with counts in all and per team; --tracker "
            "adds the child of concern tracker."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    parser.add_argument("audits", metavar="AUDITS", help="the audit export")
    parser.add_argument("--as-of", type=iso_date, required=True, metavar="DATE", help="YYYY-MM-DD")
    parser.add_argument("--overdue", action="store_true", help="list only overdue actions")
    parser.add_argument("--team", metavar="T", help="only the actions of audits of this team")
    parser.add_argument("--owner", metavar="O", help="only the actions this person owns")
    parser.add_argument(
        "--tracker",
        action="store_true",
        help="add the child of concern tracker (with --format csv: write the tracker instead)",
    )
    add_export_arguments(parser, what="audit export")
    add_actions_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the result: table (for people, the default), json or csv",
    )
    parser.set_defaults(handler=run)


def _chosen(args: argparse.Namespace, ledger: ActionLedger) -> ActionLedger:
    from qaframework.engine.actions.ledger import ActionLedger

    items = ledger.items
    if args.team is not None:
        items = tuple(i for i in items if i.team == args.team)
    if args.owner is not None:
        items = tuple(i for i in items if i.action.owner == args.owner)
    return ActionLedger(ledger.as_of, items)


def run(args: argparse.Namespace) -> int:
    """Print the actions, their counts and, when asked, the child of concern tracker."""
    from qaframework.engine.actions.ledger import action_ledger
    from qaframework.profiles.registry import profile_resolver

    resolve = profile_resolver(args.profile_id)
    audits = load_audits(args, args.audits, args.profile_id).accepted
    ledger = _chosen(args, action_ledger(audits, as_of=args.as_of))
    listed = ledger.overdue() if args.overdue else tuple(sorted(ledger.items, key=_due_order))
    tracker: tuple[TrackerEntry, ...] | None = None
    if args.tracker:
        tracker = _tracker(audits, resolve, args.as_of)
    dated = {a.id: a.audit_date for a in audits}

    def grade_label(audit_id: str, code: str | None) -> str:
        if code is None:
            return "not graded"
        return resolve(dated[audit_id]).grade_scale.grade(code).label

    if args.format == "json":
        _write_json(args, ledger, listed, tracker)
    elif args.format == "csv":
        if tracker is not None:
            _write_tracker_csv(tracker)
        else:
            _write_actions_csv(listed)
    else:
        _table(args, ledger, listed, tracker, grade_label)
    return 0


def _due_order(item: ActionItem) -> tuple[date, str, str]:
    return (item.action.due, item.audit_id, item.action.id)


def _tracker(
    audits: tuple[Audit, ...], resolve: Callable[[date], Profile], as_of: date
) -> tuple[TrackerEntry, ...]:
    from qaframework.engine.actions.tracker import child_of_concern_tracker
    from qaframework.engine.escalation import evaluate_escalations_bulk

    raised = evaluate_escalations_bulk(audits, resolve, as_of=as_of)
    return child_of_concern_tracker(raised, audits, resolve, as_of=as_of)


def _write_json(
    args: argparse.Namespace,
    ledger: ActionLedger,
    listed: Iterable[ActionItem],
    tracker: tuple[TrackerEntry, ...] | None,
) -> None:
    from qaframework.profiles.converter import to_dict

    data: dict[str, Any] = {
        "marking": MARKING,
        "profile": args.profile_id,
        "as_of": args.as_of.isoformat(),
        "counts": to_dict(ledger.counts()),
        "by_team": [
            {"team": team, **to_dict(part.counts())} for team, part in ledger.by_team().items()
        ],
        "actions": [to_dict(item) for item in listed],
    }
    if tracker is not None:
        data["tracker"] = [to_dict(entry) for entry in tracker]
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _write_actions_csv(listed: Iterable[ActionItem]) -> None:
    print(MARKING)
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(ACTION_COLUMNS)
    for item in listed:
        action = item.action
        writer.writerow(
            [
                item.audit_id,
                item.child_id,
                item.activity,
                item.team or "",
                item.service_area or "",
                action.id,
                action.what,
                action.owner,
                action.due.isoformat(),
                action.review.isoformat() if action.review else "",
                item.status.value,
                "yes" if item.overdue else "no",
                item.days_overdue,
            ]
        )


def _write_tracker_csv(tracker: Iterable[TrackerEntry]) -> None:
    print(MARKING)
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(TRACKER_COLUMNS)
    writer.writerows(tracker_row(entry) for entry in tracker)


def _table(
    args: argparse.Namespace,
    ledger: ActionLedger,
    listed: tuple[ActionItem, ...],
    tracker: tuple[TrackerEntry, ...] | None,
    grade_label: Callable[[str, str | None], str],
) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(MARKING, markup=False)
    which = "Overdue actions" if args.overdue else "Actions"
    scope = "".join(
        f", {word} {value}"
        for word, value in (("team", args.team), ("owner", args.owner))
        if value is not None
    )
    table = Table(title=f"{which} as of {args.as_of}{scope}", title_justify="left")
    for column in (
        "Audit",
        "Child",
        "Team",
        "Owner",
        "Action",
        "Due",
        "Review",
        "Status",
        "Days overdue",
    ):
        # Ids and dates stay on one line; the wordy columns wrap.
        table.add_column(column, overflow="fold", no_wrap=column in ("Audit", "Child", "Due"))
    for item in listed:
        action = item.action
        table.add_row(
            Text(item.audit_id),
            Text(item.child_id),
            Text(item.team or ""),
            Text(action.owner),
            Text(action.what),
            action.due.isoformat(),
            action.review.isoformat() if action.review else "",
            item.status.value,
            str(item.days_overdue) if item.overdue else "",
        )
    out.print(table)
    counts = ledger.counts()
    out.print(
        f"{counts.total} actions: {counts.open} open, {counts.done} done, "
        f"{counts.verified} verified; {counts.overdue} overdue"
    )
    teams = Table(title="By team", title_justify="left")
    for column in ("Team", "Actions", "Open", "Done", "Verified", "Overdue"):
        teams.add_column(column)
    for team, part in ledger.by_team().items():
        c = part.counts()
        teams.add_row(
            Text(team or "(no team)"),
            str(c.total),
            str(c.open),
            str(c.done),
            str(c.verified),
            str(c.overdue),
        )
    out.print(teams)
    if tracker is None:
        return
    board = Table(title="Child of concern tracker", title_justify="left")
    for column in (
        "Tracker",
        "Child",
        "Audits",
        "Grade",
        "Team",
        "On since",
        "Next review",
        "Open actions",
        "Awaiting verification",
        "Owner",
    ):
        board.add_column(column, overflow="fold")
    for entry in tracker:
        board.add_row(
            Text(entry.tracker),
            Text(entry.child_id),
            Text(", ".join(entry.audit_ids)),
            Text(grade_label(entry.audit_id, entry.grade)),
            Text(entry.team or ""),
            entry.added_on.isoformat(),
            entry.next_review.isoformat() if entry.next_review else "",
            Text(", ".join(a.id for a in entry.open_actions)),
            Text(", ".join(a.id for a in entry.awaiting_verification)),
            Text(str(entry.owner or "")),
        )
    out.print(board)
    if not tracker:
        out.print("No child is on a child of concern tracker.")
