"""``qaframework moderation``: the audits to moderate over a period, and how far moderation agreed.

Applies the profile's moderation policies to an audit export
(:func:`qaframework.engine.moderation.select_for_moderation`): each cycle's volume and the audits
chosen, with why; then agreement between auditors and moderators over the period
(:func:`qaframework.engine.agreement.agreement`): exact agreement, upgrades and downgrades, the
grade transition matrix and Cohen's kappa. The selection is reproducible: the seed (0 unless
given) is printed with it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.cli._basis import basis_data, basis_for, print_basis, write_basis_to_stderr
from qaframework.cli._common import CliError, console
from qaframework.cli._loading import (
    add_actions_arguments,
    add_export_arguments,
    load_audits,
    period,
)

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.engine.agreement import Agreement
    from qaframework.engine.moderation import ModerationSelection
    from qaframework.engine.periods import Period
    from qaframework.policy.profile import Profile

CSV_COLUMNS = (
    "policy",
    "cycle_start",
    "cycle_end",
    "audit_id",
    "audit_date",
    "activity",
    "auditor",
    "auditor_role",
    "grade",
    "rules",
    "reasons",
)


def register(subparsers: Any) -> None:
    """Add the ``moderation`` command."""
    parser = subparsers.add_parser(
        "moderation",
        help="the audits to moderate over a period, and moderation agreement",
        description=(
            "Choose the audits to moderate over a period under the profile's moderation "
            "policies, saying why each was chosen, and report how far moderators agreed with "
            "auditors in the period (exact agreement, transition matrix, Cohen's kappa)."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    parser.add_argument("audits", metavar="AUDITS", help="the audit export")
    parser.add_argument(
        "--period",
        type=period,
        required=True,
        metavar="P",
        help="2026-27, 2026-27 Q1, 2026-05 or 2026-04-01..2026-05-12",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="the seed (default 0)")
    add_export_arguments(parser, what="audit export")
    add_actions_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the result: table (for people, the default), json or csv",
    )
    parser.set_defaults(handler=run)


def _profile_for(profile_id: str, within: Period) -> Profile:
    """The one profile version in force over the whole period."""
    from qaframework.profiles.registry import get_registry, load_profile

    profile = load_profile(profile_id, as_of=within.start)
    if profile.effective_to is not None and profile.effective_to < within.end:
        later = [
            v
            for v in get_registry().info(profile_id).versions
            if within.start < v.effective_from <= within.end
        ]
        after = (
            f"version {later[0].version} from {later[0].effective_from}" if later else "no version"
        )
        raise CliError(
            f"the period {within} spans two versions of profile {profile_id!r}: version "
            f"{profile.version} to {profile.effective_to}, then {after}; ask for a period "
            "within one"
        )
    return profile


def run(args: argparse.Namespace) -> int:
    """Select audits for moderation and measure agreement over the period."""
    from qaframework.engine.agreement import agreement
    from qaframework.engine.moderation import select_for_moderation

    within: Period = args.period
    profile = _profile_for(args.profile_id, within)
    audits = load_audits(args, args.audits, args.profile_id).accepted
    selection = select_for_moderation(profile, audits, within, seed=args.seed)
    # Grades are compared on this version's scale: audits graded under another version of the
    # profile (moderated in the period but audited before it took effect) are left out.
    end = profile.effective_to or date.max
    graded = [a for a in audits if profile.effective_from <= a.audit_date <= end]
    agreed = agreement(graded, profile.grade_scale, period=within)
    basis = basis_for(
        profile,
        activities=sorted({a.activity for a in audits} | _moderated_activities(profile)),
        moderation=[p.id for p in profile.moderation],
        kinds=("moderation",),
        extra=("$.grade_scale", "$.schedule_anchor"),
    )
    if args.format == "json":
        from qaframework.profiles.converter import to_dict

        data = {
            "selection": to_dict(selection),
            "agreement": to_dict(agreed),
            "basis": basis_data(basis),
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        _write_csv(selection)
        write_basis_to_stderr(basis)
    else:
        out = _table(profile, selection, agreed)
        print_basis(out, basis)
    return 0


def _moderated_activities(profile: Profile) -> set[str]:
    return {activity for policy in profile.moderation for activity in policy.applies_to}


def _write_csv(selection: ModerationSelection) -> None:
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(CSV_COLUMNS)
    for chosen in selection.selected:
        writer.writerow(
            [
                chosen.policy,
                chosen.cycle.start.isoformat(),
                chosen.cycle.end.isoformat(),
                chosen.audit_id,
                chosen.audit_date.isoformat(),
                chosen.activity,
                chosen.auditor,
                chosen.auditor_role,
                chosen.grade,
                "|".join(r.kind.value for r in chosen.reasons),
                " | ".join(r.explanation for r in chosen.reasons),
            ]
        )
    print(
        f"period: {selection.period}; seed: {selection.seed}; selected: {len(selection.selected)}",
        file=sys.stderr,
    )
    for note in selection.not_stated:
        print(f"not stated: {note}", file=sys.stderr)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _table(profile: Profile, selection: ModerationSelection, agreed: Agreement) -> Console:
    from rich.table import Table
    from rich.text import Text

    out = console()
    scale = profile.grade_scale
    out.print(
        Text(
            f"{profile.authority}: moderation for {selection.period} "
            f"({selection.period.start} to {selection.period.end}), seed {selection.seed}"
        ),
        style="bold",
    )
    out.print(Text(profile.label))
    names = {a.id: a.name for a in profile.activities}
    for policy in profile.moderation:
        out.print(
            Text(
                f"{policy.name}: moderated by "
                f"{', '.join(profile.role_titles(policy.moderators))}, "
                f"{policy.cadence.describe()}"
            )
        )
        cycles = Table(title="Cycles", title_justify="left")
        for column in ("Cycle", "Audits", "Already moderated", "Selected"):
            cycles.add_column(column)
        for cycle in selection.cycles:
            if cycle.policy != policy.id:
                continue
            label = f"{cycle.cycle.start} to {cycle.cycle.end}"
            cycles.add_row(
                label + (" (partial)" if cycle.partial else ""),
                str(cycle.audits),
                str(cycle.already_moderated),
                str(cycle.selected),
            )
        out.print(cycles)
        for note in dict.fromkeys(
            n for c in selection.cycles if c.policy == policy.id for n in c.not_stated
        ):
            out.print(Text(f"Not stated: {note}."))
        chosen = selection.for_policy(policy.id)
        if not chosen:
            out.print("No audit to moderate.")
            continue
        table = Table(title="Audits to moderate", title_justify="left")
        for column in ("Cycle", "Audit", "Date", "Activity", "Auditor", "Grade", "Why"):
            table.add_column(column, overflow="fold")
        for item in chosen:
            table.add_row(
                f"{item.cycle.start} to {item.cycle.end}",
                Text(item.audit_id),
                item.audit_date.isoformat(),
                Text(names.get(item.activity, item.activity)),
                Text(f"{item.auditor} ({profile.role(item.auditor_role).title})"),
                Text(scale.grade(item.grade).label),
                Text("; ".join(r.explanation for r in item.reasons)),
            )
        out.print(table)
    if not profile.moderation:
        out.print(Text("This profile has no moderation policy: no audit is selected."))
    _agreement_tables(out, profile, agreed)
    return out


def _agreement_tables(out: Any, profile: Profile, agreed: Agreement) -> None:
    from rich.table import Table
    from rich.text import Text

    scale = profile.grade_scale
    out.print(
        Text(
            f"Agreement over {agreed.period}: {agreed.count} "
            f"audit{'s' if agreed.count != 1 else ''} moderated in the period, "
            f"exact agreement {_percent(agreed.exact_agreement)}, {agreed.upgrades} upgraded, "
            f"{agreed.downgrades} downgraded"
        )
    )
    if agreed.count == 0:
        return
    labels = [scale.grade(code).label for code in agreed.grades]
    matrix = Table(title="Auditor's grade (rows) against moderated grade", title_justify="left")
    matrix.add_column("Auditor \\ Moderator")
    for label in labels:
        matrix.add_column(label, justify="right")
    for label, row in zip(labels, agreed.matrix, strict=True):
        matrix.add_row(Text(label), *(str(n) for n in row))
    out.print(matrix)
    kappas = Table(title="Cohen's kappa", title_justify="left")
    interval = f"{agreed.kappas[0].confidence * 100:g}% interval"
    for column in ("Weighting", "Kappa", "SE", interval):
        kappas.add_column(column)
    for kappa in agreed.kappas:
        if kappa.value is None:
            kappas.add_row(kappa.weighting.value, Text(f"undefined: {kappa.reason}"), "", "")
            continue
        # Set whenever the value is.
        assert kappa.standard_error is not None
        assert kappa.lower is not None
        assert kappa.upper is not None
        kappas.add_row(
            kappa.weighting.value,
            f"{kappa.value:.3f}",
            f"{kappa.standard_error:.3f}",
            f"{kappa.lower:.3f} to {kappa.upper:.3f}",
        )
    out.print(kappas)
