"""``qaframework escalations``: who must hear about which audits, by when, and what is still open.

Evaluates the profile's escalation policy for every audit of an export, each under the
profile version in force on its audit date
(:func:`qaframework.engine.escalation.evaluate_escalations_bulk`), and says whether each escalation
was open or closed on the day asked (:func:`qaframework.engine.actions.tracker.escalation_states`).
The output names children (by their pseudonymous ids), so it carries a protective marking.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.cli._basis import basis_data, basis_for, print_basis, write_basis_to_stderr
from qaframework.cli._common import console, iso_date
from qaframework.cli._loading import (
    MARKING,
    add_actions_arguments,
    add_export_arguments,
    load_audits,
)
from qaframework.policy.escalation import describe_deadline
from qaframework.policy.unknowns import NotStated

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.engine.actions.tracker import EscalationState
    from qaframework.engine.audits import Audit
    from qaframework.engine.escalation import Escalation
    from qaframework.policy.profile import Profile

CSV_COLUMNS = (
    "audit_id",
    "child_id",
    "rule",
    "rule_name",
    "stage",
    "grade",
    "raised_on",
    "raised_by",
    "raised_by_person",
    "recipients",
    "conditional_recipients",
    "notify_auditor",
    "deadline",
    "deadline_rule",
    "first_follow_up",
    "follow_up_every",
    "follow_up_by",
    "consequence",
    "consequence_owner",
    "follow_on",
    "status",
    "closed_on",
    "closure",
)


def register(subparsers: Any) -> None:
    """Add the ``escalations`` command."""
    parser = subparsers.add_parser(
        "escalations",
        help="escalations raised for audits, and which are still open",
        description=(
            "Evaluate the profile's escalation policy for every audit in an export, as of a "
            "date: what fired, who raises it, who is told, the working-day deadline, the "
            "follow-up and what follows, and whether it was open or closed on that date."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    parser.add_argument("audits", metavar="AUDITS", help="the audit export")
    parser.add_argument("--as-of", type=iso_date, required=True, metavar="DATE", help="YYYY-MM-DD")
    parser.add_argument("--open", action="store_true", help="list only escalations still open")
    add_export_arguments(parser, what="audit export")
    add_actions_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the result: table (for people, the default), json or csv",
    )
    parser.set_defaults(handler=run)


def evaluate(
    audits: tuple[Audit, ...], resolve: Callable[[date], Profile], as_of: date
) -> tuple[list[Escalation], tuple[EscalationState, ...]]:
    """The escalations raised for ``audits`` on or before ``as_of``, and their states."""
    from qaframework.engine.actions.tracker import escalation_states
    from qaframework.engine.escalation import evaluate_escalations_bulk

    raised = evaluate_escalations_bulk(audits, resolve, as_of=as_of)
    return raised, escalation_states(raised, audits, resolve, as_of=as_of)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print the escalations."""
    from qaframework.engine.actions.tracker import EscalationStatus
    from qaframework.profiles.registry import profile_resolver

    resolve = profile_resolver(args.profile_id)
    audits = load_audits(args, args.audits, args.profile_id).accepted
    _, states = evaluate(audits, resolve, args.as_of)
    counts = {
        "raised": len(states),
        "open": sum(1 for s in states if s.status is EscalationStatus.OPEN),
    }
    counts["closed"] = counts["raised"] - counts["open"]
    if args.open:
        states = tuple(s for s in states if s.status is EscalationStatus.OPEN)
    dated = {a.id: a.audit_date for a in audits}

    def profile_of(escalation: Escalation) -> Profile:
        return resolve(dated[escalation.audit_id])

    from qaframework.policy.basis import covering_rules

    profile = _reporting_version(resolve, args.as_of, dated.values())
    activities = sorted({a.activity for a in audits if a.activity in _ids(profile)})
    basis = basis_for(
        profile,
        activities=activities,
        escalation=covering_rules(profile, activities or [a.id for a in profile.activities]),
        kinds=("escalation",),
    )
    if args.format == "json":
        from qaframework.profiles.converter import to_dict

        data = {
            "marking": MARKING,
            "profile": args.profile_id,
            "as_of": args.as_of.isoformat(),
            "counts": counts,
            "escalations": [to_dict(s) for s in states],
            "basis": basis_data(basis),
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        _write_csv(states, profile_of)
        write_basis_to_stderr(basis)
    else:
        out = _table(args, states, profile_of, counts)
        print_basis(out, basis)
    return 0


def _reporting_version(
    resolve: Callable[[date], Profile], as_of: date, days: Iterable[date]
) -> Profile:
    """The version the basis is read from: the one in force on ``as_of``, or on the latest
    audit date when none is (a gap between versions)."""
    from qaframework.errors import NoVersionInForce

    try:
        return resolve(as_of)
    except NoVersionInForce:
        return resolve(max((d for d in days if d <= as_of), default=as_of))


def _ids(profile: Profile) -> set[str]:
    return {a.id for a in profile.activities}


def told(escalation: Escalation) -> str:
    """The roles told, those told if relevant, and the auditor where the rule says so."""
    text = _joined(escalation.recipients, ", ")
    if escalation.conditional_recipients:
        text += f" (if relevant: {', '.join(escalation.conditional_recipients)})"
    if escalation.notify_auditor is not None:
        text += f", and the auditor ({escalation.notify_auditor})"
    return text


def _joined(values: tuple[str, ...] | NotStated, separator: str) -> str:
    """Titles joined, or "not stated" where the rule does not state them."""
    return str(values) if isinstance(values, NotStated) else separator.join(values)


def _day(value: date | NotStated | None) -> str:
    """A date in ISO form, "not stated" where the rule states none, empty for none."""
    if value is None:
        return ""
    return str(value) if isinstance(value, NotStated) else value.isoformat()


def raised_by(escalation: Escalation) -> str:
    """Who raises it: role titles, with the person where the rule names no role."""
    text = "; ".join(escalation.raised_by)
    if escalation.raised_by_person is not None:
        text += f" ({escalation.raised_by_person})"
    return text


def follow_up(escalation: Escalation) -> str:
    """The first follow-up and how often after, by whom; empty when there is none."""
    every = escalation.follow_up
    if every is None or escalation.first_follow_up is None:
        return ""
    text = f"follow-up {escalation.first_follow_up}, then every {every.describe()}"
    if escalation.follow_up_by:
        text += f" by {', '.join(escalation.follow_up_by)}"
    return text


def consequence(escalation: Escalation) -> str:
    """What follows, with its owner, and the activity a follow-on audit requires."""
    found = escalation.consequence
    if found is None:
        return ""
    owner = f" ({escalation.consequence_owner})" if escalation.consequence_owner else ""
    follow_on = (
        f": requires a {escalation.follow_on} of the same child" if escalation.follow_on else ""
    )
    return found.name + owner + follow_on


def _status(state: EscalationState) -> str:
    if state.closed_on is None or state.closure is None:
        return state.status.value
    by = f" by audit {state.closed_by_audit}" if state.closed_by_audit else ""
    return f"closed {state.closed_on} ({state.closure.value.replace('_', ' ')}{by})"


def _write_csv(
    states: Iterable[EscalationState], profile_of: Callable[[Escalation], Profile]
) -> None:
    print(MARKING)
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(CSV_COLUMNS)
    for state in states:
        e = state.escalation
        every = e.follow_up
        writer.writerow(
            [
                e.audit_id,
                e.child_id,
                e.rule_id,
                e.rule.name,
                e.stage.value,
                e.grade or "",
                e.raised_on.isoformat(),
                "; ".join(e.raised_by),
                e.raised_by_person or "",
                _joined(e.recipients, "; "),
                "; ".join(e.conditional_recipients),
                e.notify_auditor or "",
                _day(e.deadline),
                describe_deadline(e.rule.deadline),
                e.first_follow_up.isoformat() if e.first_follow_up else "",
                str(every) if every is not None else "",
                "; ".join(e.follow_up_by),
                e.consequence.name if e.consequence else "",
                str(e.consequence_owner or ""),
                e.follow_on or "",
                state.status.value,
                state.closed_on.isoformat() if state.closed_on else "",
                state.closure.value if state.closure else "",
            ]
        )


def _table(
    args: argparse.Namespace,
    states: tuple[EscalationState, ...],
    profile_of: Callable[[Escalation], Profile],
    counts: dict[str, int],
) -> Console:
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(MARKING, markup=False)
    table = Table(title=f"Escalations for {args.audits} as of {args.as_of}", title_justify="left")
    for column in ("Audit", "Child", "Escalation", "Raised", "Told", "Deadline", "Then", "Status"):
        # Ids stay on one line; the wordy columns wrap.
        table.add_column(column, overflow="fold", no_wrap=column in ("Audit", "Child"))
    for state in states:
        e = state.escalation
        grade = (
            profile_of(e).grade_scale.grade(e.grade).label if e.grade is not None else "not graded"
        )
        then = "\n".join(part for part in (consequence(e), follow_up(e)) if part)
        table.add_row(
            Text(e.audit_id),
            Text(e.child_id),
            Text(f"{e.rule.name}\n({grade}, {e.stage.value.replace('_', '-')})"),
            Text(f"{e.raised_on}\nby {raised_by(e)}"),
            Text(told(e)),
            Text(f"{_day(e.deadline)}\n({describe_deadline(e.rule.deadline)})"),
            Text(then),
            Text(_status(state)),
        )
    out.print(table)
    out.print(
        f"{counts['raised']} raised: {counts['open']} open, {counts['closed']} closed"
        + (" (open ones listed)" if args.open else "")
    )
    return out
