"""``qaframework schedule``: a council's QA calendar between two dates."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console, financial_year, iso_date

if TYPE_CHECKING:
    from qaframework.render.calendar import QACalendar


def register(subparsers: Any) -> None:
    """Add the ``schedule`` command."""
    parser = subparsers.add_parser(
        "schedule",
        help="a council's QA calendar between two dates",
        description=(
            "Dated occurrences of every periodic QA activity, report and forum of a council "
            "between two dates, from the profile version in force on each day."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    window = parser.add_argument_group("window (give --from and --to, or --year)")
    window.add_argument(
        "--from",
        dest="start",
        type=iso_date,
        metavar="DATE",
        help="the first day of the calendar, YYYY-MM-DD",
    )
    window.add_argument(
        "--to",
        dest="end",
        type=iso_date,
        metavar="DATE",
        help="the last day of the calendar, YYYY-MM-DD",
    )
    window.add_argument(
        "--year", type=financial_year, metavar="FY", help="a financial year such as 2026-27"
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json", "ics"),
        default="table",
        help="how to print the calendar: table (for people, the default), csv, json, or ics "
        "(iCalendar, for Outlook or any calendar)",
    )
    parser.set_defaults(handler=run)


def _window(args: argparse.Namespace) -> tuple[date, date]:
    if args.year is not None:
        if args.start is not None or args.end is not None:
            raise CliError("give either --year or --from and --to, not both")
        return args.year.start, args.year.end
    if args.start is None or args.end is None:
        raise CliError("give --from and --to, or --year")
    if args.end < args.start:
        raise CliError(f"--to {args.end} is before --from {args.start}")
    return args.start, args.end


def run(args: argparse.Namespace) -> int:
    """Print the calendar as a table, CSV, JSON or iCalendar."""
    from qaframework.render.calendar import CalendarError, left_out_sentence, qa_calendar

    start, end = _window(args)
    try:
        calendar = qa_calendar(args.profile_id, start, end)
    except CalendarError as exc:
        raise CliError(str(exc)) from None
    if args.format == "csv":
        _write_csv(calendar)
    elif args.format == "json":
        json.dump(calendar.to_data(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "ics":
        sys.stdout.write(calendar.to_ics().decode("utf-8"))
    else:
        _table(calendar)
    if calendar.left_out and args.format in ("csv", "ics"):
        # Standard output stays a calendar; what it leaves out is said beside it (the JSON
        # says it in each version's "left_out").
        print(f"qaframework: warning: {left_out_sentence(calendar.left_out)}", file=sys.stderr)
    return 0


def _write_csv(calendar: QACalendar) -> None:
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(
        ["date", "kind", "id", "title", "who", "cadence", "profile", "version", "how_many"]
    )
    for entry in calendar.entries:
        profile, o = entry.profile, entry.occurrence
        writer.writerow(
            [
                o.day.isoformat(),
                o.kind.value,
                o.ref,
                o.title,
                "; ".join(o.who),
                o.cadence,
                profile.id,
                profile.version,
                o.how_many,
            ]
        )


def _table(calendar: QACalendar) -> None:
    from rich.table import Table
    from rich.text import Text

    from qaframework.render.calendar import left_out_sentence

    out = console()
    table = Table(
        title=f"{calendar.authority}: QA calendar {calendar.start.isoformat()} to "
        f"{calendar.end.isoformat()}",
        title_justify="left",
    )
    for column in ("Date", "Kind", "What", "Who", "Every", "How many"):
        table.add_column(column, overflow="fold")
    for entry in calendar.entries:
        o = entry.occurrence
        table.add_row(
            o.day.strftime("%a %d %b %Y"),
            o.kind.value,
            o.title,
            ", ".join(o.who),
            o.cadence,
            o.how_many,
        )
    out.print(table)
    for part in calendar.parts:
        governs = f"governs {part.first.isoformat()} to {part.last.isoformat()}"
        out.print(Text(f"{part.profile.label}: {governs}"))
        if part.left_out:
            out.print(Text(f"  Warning: {left_out_sentence(part.left_out)}"))
