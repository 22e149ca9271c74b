"""``qaframework workload``: what a council's QA framework asks of each role in a year."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console, financial_year

if TYPE_CHECKING:
    from qaframework.engine.workload import WorkloadPlan

FORMATS = ("table", "json", "csv", "md", "html", "xlsx")


def register(subparsers: Any) -> None:
    """Add the ``workload`` command."""
    parser = subparsers.add_parser(
        "workload",
        help="the audits, moderations, observations and meetings each role owes in a year",
        description=(
            "From the profile's quotas, cadences, moderation policies, forums and effort: "
            "how many audits, moderations, observations and meetings each role owes in a "
            "financial year, and the hours where the profile states the effort, for the "
            "staffing in a staff file (TOML: [headcount], [subjects], "
            "[subjects_per_person.<role>], [per_occurrence]; see examples/*/staff.toml)."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    parser.add_argument(
        "--staff", required=True, metavar="FILE", help="the staff file (TOML or JSON)"
    )
    parser.add_argument(
        "--year",
        required=True,
        type=financial_year,
        metavar="FY",
        help="a financial year such as 2026-27",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="how to write the plan: table (for people, the default), json or csv, or a "
        "document: md, html, or xlsx (with --out)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE (required for xlsx; default: standard output)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Work out the plan and write it in the format asked for."""
    from qaframework.cli._loading import read_table_file
    from qaframework.engine.workload import Staffing, plan_workload
    from qaframework.profiles.registry import get_registry
    from qaframework.render.workload import (
        plan_csv,
        plan_html,
        plan_json,
        plan_markdown,
        write_plan_xlsx,
    )

    if args.format == "xlsx" and args.out is None:
        raise CliError("--format xlsx writes a workbook: give --out FILE")
    staffing = Staffing.parse(read_table_file(args.staff, "staff file"), args.staff)
    year = args.year
    parts = get_registry().versions_between(args.profile_id, year.start, year.end)
    if not parts:
        raise CliError(f"no version of profile {args.profile_id!r} is in force in {year.label}")
    plan = plan_workload([profile for profile, _first, _last in parts], year, staffing)
    if args.format == "xlsx":
        try:
            write_plan_xlsx(plan, args.out)
        except OSError as exc:
            raise CliError(f"{args.out}: cannot be written ({exc.strerror or exc})") from None
        print(f"Wrote {args.out}")
        return 0
    if args.format == "table":
        if args.out is not None:
            raise CliError(
                "--format table prints to the terminal; use md, html, csv or json with --out"
            )
        _table(plan)
        return 0
    text = {"json": plan_json, "csv": plan_csv, "md": plan_markdown, "html": plan_html}[
        args.format
    ](plan)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{args.out}: cannot be written ({exc.strerror or exc})") from None
    print(f"Wrote {args.out}")
    return 0


def _table(plan: WorkloadPlan) -> None:
    from rich.table import Table

    from qaframework.engine.workload import plural
    from qaframework.render.workload import describe_counts, governed, number

    out = console()
    roles = Table(
        title=f"{plan.authority}: QA workload {plan.year} ({governed(plan)})",
        title_justify="left",
    )
    for column in ("Role", "Headcount", "Owed in the year", "Each person", "Hours", "Hours each"):
        roles.add_column(column, overflow="fold")
    for total in (*plan.roles, plan.total):
        unknown_too = " + unknown" if total.lines_without_hours and total.hours is not None else ""
        roles.add_row(
            total.title if total is not plan.total else f"{total.title} (all)",
            number(total.headcount, ""),
            describe_counts(total.counts),
            describe_counts(total.counts, per_person=True),
            number(total.hours) + unknown_too,
            number(total.hours_per_person) + unknown_too,
        )
    out.print(roles)
    lines = Table(title="By activity", title_justify="left")
    for column in ("Activity", "Role", "Count", "Each", "Hours", "How counted"):
        lines.add_column(column, overflow="fold")
    for line in plan.lines:
        lines.add_row(
            line.name,
            line.role_title or "(not assigned)",
            f"{number(line.count)} {plural(line.unit, line.count)}",
            number(line.count_per_person),
            number(line.hours),
            line.basis,
        )
    out.print(lines)
    out.print(
        "Hours are known only where the profile states an activity's effort; unknown hours "
        "are never counted as 0."
    )
    if plan.not_counted:
        out.print(
            "Not counted: " + "; ".join(f"{item.name} ({item.reason})" for item in plan.not_counted)
        )
