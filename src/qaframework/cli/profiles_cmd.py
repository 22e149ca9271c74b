"""``qaframework profiles`` and the ``qaframework profile`` group: ``show`` here, and the
authoring kit's ``new``, ``check`` and ``diff`` (:mod:`qaframework.cli.authoring_cmd`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from qaframework.cli import authoring_cmd
from qaframework.cli._common import console, iso_date
from qaframework.policy.escalation import describe_deadline
from qaframework.policy.unknowns import NotStated

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.policy.escalation import Consequence
    from qaframework.policy.moderation import SelectionRule
    from qaframework.policy.profile import Profile


def register(subparsers: Any) -> None:
    """Add the ``profiles`` and ``profile`` commands."""
    listing = subparsers.add_parser(
        "profiles",
        help="list installed council profiles and their versions",
        description="List installed council profiles, their versions and effective dates.",
    )
    listing.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print the result: table (for people, the default) or json",
    )
    listing.set_defaults(handler=run_profiles)

    profile = subparsers.add_parser(
        "profile",
        help="inspect, scaffold, check and compare council profiles",
        description="Inspect, scaffold, check and compare council profiles.",
    )
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="show a profile version",
        description="Show the version of a profile in force on a date (the latest by default).",
    )
    show.add_argument("profile_id", metavar="ID", help="the council's profile id")
    show.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="the version in force on this day, YYYY-MM-DD (default: the latest)",
    )
    show.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print the profile: tables (table, the default) or json, the profile "
        "format as qaframework.to_dict writes it",
    )
    show.set_defaults(handler=run_show)
    authoring_cmd.register(actions)


def run_profiles(args: argparse.Namespace) -> int:
    """List every installed profile version."""
    from qaframework.profiles.registry import get_registry

    registry = get_registry()
    infos = registry.infos()
    if args.format == "json":
        rows = [
            {
                "id": info.id,
                "authority": info.authority,
                "versions": [
                    {
                        "version": v.version,
                        "name": v.name,
                        "effective_from": v.effective_from.isoformat(),
                        "in_force_to": v.in_force_to.isoformat() if v.in_force_to else None,
                        "plugin": v.plugin,
                    }
                    for v in info.versions
                ],
            }
            for info in infos
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        from rich.table import Table

        table = Table(title="Installed council profiles")
        for column in ("Id", "Authority", "Version", "Framework", "In force from", "To", "Plugin"):
            table.add_column(column)
        for info in infos:
            for v in info.versions:
                table.add_row(
                    info.id,
                    v.authority,
                    v.version,
                    v.name,
                    v.effective_from.isoformat(),
                    v.in_force_to.isoformat() if v.in_force_to else "",
                    v.plugin,
                )
        out = console()
        out.print(table)
        if not infos:
            out.print(
                "No profiles installed: install a council distribution such as qaframework-bolton."
            )
    for error in registry.registration_errors:
        print(f"qaframework: warning: {error}", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one profile version as tables or as the converter's JSON."""
    from qaframework.profiles.converter import to_dict
    from qaframework.profiles.registry import load_profile

    profile = load_profile(args.profile_id, as_of=args.as_of)
    if args.format == "json":
        print(json.dumps(to_dict(profile), indent=2, ensure_ascii=False))
        return 0
    render_profile(profile, console())
    return 0


def render_profile(profile: Profile, out: Console) -> None:
    """Print a profile as a sequence of tables."""
    from rich.table import Table
    from rich.text import Text

    from qaframework.policy.basis import not_stated

    def table(title: str, *columns: str, ids: tuple[str, ...] = ("Id", "Code")) -> Table:
        t = Table(title=title, title_justify="left", show_lines=False)
        for column in columns:
            # Ids and codes are looked up and copied whole: their columns never wrap, and
            # the wordy columns give way.
            t.add_column(column, overflow="fold", no_wrap=column in ids)
        return t

    def activity_names(ids: tuple[str, ...]) -> str:
        return "; ".join(profile.activity(a).name for a in ids)

    def roles(ids: tuple[str, ...] | NotStated) -> str:
        if isinstance(ids, NotStated):
            return str(ids)
        return ", ".join(profile.role_titles(ids))

    out.print(f"[bold]{profile.authority}[/bold]: {profile.name}")
    end = f" to {profile.effective_to.isoformat()}" if profile.effective_to else ""
    out.print(
        f"Profile {profile.id!r}, version {profile.version}, in force from "
        f"{profile.effective_from.isoformat()}{end}"
    )
    if profile.summary:
        out.print(profile.summary)

    t = table("Sources", "Id", "Title", "File", "Issued", "Approved")
    for s in profile.sources:
        t.add_row(s.id, s.title, s.file, s.issued, s.approved.isoformat() if s.approved else "")
    out.print(t)

    scale = profile.grade_scale
    t = table(
        f"Grade scale: {scale.name} (good or better: {scale.grade(scale.good_or_better).label})",
        "Code",
        "Grade",
        "ILACS equivalent",
        "Also read as",
    )
    for g in scale.grades:
        t.add_row(g.code, g.label, g.ilacs.label, ", ".join(g.synonyms))
    out.print(t)
    for other in profile.scales:
        users = [a.name for a in profile.activities if other.id in a.scales]
        t = table(
            f"Also graded on: {other.name} ({other.id}; good or better: "
            f"{other.grade(other.good_or_better).label}; used by: {', '.join(users) or 'none'})",
            "Code",
            "Grade",
            "ILACS equivalent",
            "Also read as",
        )
        for g in other.grades:
            t.add_row(g.code, g.label, g.ilacs.label, ", ".join(g.synonyms))
        out.print(t)

    t = table("Standards", "Id", "Kind", "Title", "Audited")
    for st in profile.standards:
        t.add_row(st.id, st.kind.value.replace("_", " "), st.title, "yes" if st.audited else "no")
    out.print(t)

    t = table("Roles", "Id", "Title", "Generic role", "Reports to")
    for r in profile.roles:
        t.add_row(
            r.id, r.title, r.generic.label, profile.role(r.reports_to).title if r.reports_to else ""
        )
    out.print(t)

    t = table("Forums", "Id", "Forum", "Kind", "Meets", "Chair")
    for f in profile.forums:
        t.add_row(
            f.id,
            f.name,
            f.kind.value,
            f.cadence.describe(),
            profile.role(f.chair).title if f.chair else "",
        )
    out.print(t)

    t = table("Reporting lines", "Id", "Report", "By", "To", "How often")
    for rl in profile.reporting_lines:
        to = [profile.forum(f).name for f in rl.to_forums] + list(profile.role_titles(rl.to_roles))
        t.add_row(rl.id, rl.report, roles(rl.produced_by), ", ".join(to), rl.cadence.describe())
    out.print(t)

    t = table("QA activities", "Id", "Activity", "Who", "How often, how many", "Reported via")
    for a in profile.activities:
        quota = profile.describe_quota(a.quota)
        when = a.cadence.describe() + (f"; {quota}" if quota else "")
        # The reports by name, which wrap between words; their ids are in the table of
        # reporting lines.
        reports = (
            str(a.reported_via)
            if isinstance(a.reported_via, NotStated)
            else "; ".join(profile.reporting_line(r).report for r in a.reported_via)
        )
        t.add_row(a.id, a.name, roles(a.who), when, reports)
    out.print(t)

    sampled = [a for a in profile.activities if a.sampling is not None]
    if sampled:
        t = table(
            "Sampling",
            "Activity",
            "Method",
            "Size",
            "Cases (filter)",
            "Criteria",
            ids=("Activity",),
        )
        for a in sampled:
            rule = a.sampling
            assert rule is not None
            method = rule.method.value.replace("_", " ")
            if rule.strata:
                method += f" by {', '.join(rule.strata)}"
            t.add_row(
                a.id,
                method,
                profile.describe_quota(rule.size),
                rule.filter.describe() if rule.filter is not None else "",
                rule.criteria or "",
            )
        out.print(t)
    if profile.case_fields:
        t = table("Case fields", "Id", "Column", "Values", "Description")
        for field in profile.case_fields:
            t.add_row(field.id, field.name, ", ".join(field.values), field.description or "")
        out.print(t)

    if any(a.checklist for a in profile.activities):
        t = table("Compliance checklists", "Activity", "Item", "Question", "Answers")
        for a in profile.activities:
            for item in a.checklist:
                answers = "yes, no, n/a" if item.not_applicable else "yes, no"
                t.add_row(a.name, item.id, item.question, answers)
        out.print(t)

    t = table("Moderation", "Id", "Policy", "Applies to", "Moderators", "How often", "Selection")
    for m in profile.moderation:
        selection = "; ".join(_selection(profile, s) for s in m.selection)
        t.add_row(
            m.id,
            m.name,
            activity_names(m.applies_to),
            roles(m.moderators),
            m.cadence.describe(),
            selection,
        )
    out.print(t)

    t = table("Escalation", "Id", "Rule", "Recipients", "Deadline", "Follow-up", "Consequence")
    for e in profile.escalation:
        recipients = roles(e.recipients)
        if e.conditional_recipients:
            recipients += f" (if relevant: {roles(e.conditional_recipients)})"
        t.add_row(
            e.id,
            e.name,
            recipients,
            describe_deadline(e.deadline),
            e.follow_up.describe() if e.follow_up else "",
            _consequence(profile, e.consequence) if e.consequence else "",
        )
    out.print(t)

    t = table("Action timescales", "Id", "Applies to", "Owner", "Due", "Review")
    for at in profile.action_timescales:
        if at.due is not None:
            due = f"within {at.due.describe(numbered=True)}"
        else:
            default = at.default_due.describe(numbered=True) if at.default_due else "?"
            due = f"set in the audit (default {default})"
        t.add_row(
            at.id,
            activity_names(at.applies_to),
            profile.role(at.owner).title,
            due,
            f"after {at.review.describe(numbered=True)}" if at.review else "",
        )
    out.print(t)

    checks = profile.checks_roles
    stated = (
        "cited"
        if checks.citation is not None
        else "an assumption"
        if profile.role_checks is not None
        else "the default: the profile states none"
    )
    out.print(
        f"Who may do what ({stated}): an audit by a role its activity does not name is "
        f"{_severity(checks.auditors.value)}; a moderation by a role no policy names is "
        f"{_severity(checks.moderators.value)}."
    )

    unknowns = not_stated(profile)
    if unknowns:
        t = table("Not stated: rules the source cites without this detail", "Path", "Not stated")
        for unknown in unknowns:
            t.add_row(Text(unknown.path), Text(str(unknown)))
        out.print(t)

    if profile.assumptions:
        t = table("Assumptions", "Id", "Assumption", "Concerns")
        # The text names other assumptions by id: wide enough to keep one whole, with the
        # paths it concerns folding first.
        t.columns[1].min_width = 30
        for asm in profile.assumptions:
            t.add_row(asm.id, Text(asm.text), Text("\n".join(asm.concerns)))
        out.print(t)


def _severity(value: str) -> str:
    return "rejected (an error)" if value == "error" else "accepted with a warning"


def _selection(profile: Profile, rule: SelectionRule) -> str:
    """A selection rule in a few words: its kind, and for ``by_auditor`` whose audits."""
    words = rule.kind.value.replace("_", " ")
    if not rule.is_stated:
        words += " (how many not stated)"
    if rule.kind.value == "by_auditor":
        named = [*profile.role_titles(rule.auditor_roles), *(t.label for t in rule.auditor_generic)]
        words += f" ({', '.join(named)})"
    return words


def _consequence(profile: Profile, consequence: Consequence) -> str:
    """A consequence's name, with the activity a follow-on audit requires."""
    if consequence.activity is None:
        return consequence.name
    return f"{consequence.name} (requires: {profile.activity(consequence.activity).name})"
