"""``qaframework schedule``: a council's QA calendar between two dates."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console, financial_year, iso_date

if TYPE_CHECKING:
    from qaframework.policy.profile import Occurrence, Profile


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
    parser.add_argument("profile_id", metavar="ID")
    window = parser.add_argument_group("window (give --from and --to, or --year)")
    window.add_argument("--from", dest="start", type=iso_date, metavar="DATE")
    window.add_argument("--to", dest="end", type=iso_date, metavar="DATE")
    window.add_argument(
        "--year", type=financial_year, metavar="FY", help="a financial year such as 2026-27"
    )
    parser.add_argument("--format", choices=("table", "csv", "ics"), default="table")
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
    """Print the calendar as a table, CSV or iCalendar."""
    from qaframework.profiles.registry import get_registry

    start, end = _window(args)
    parts = get_registry().versions_between(args.profile_id, start, end)
    if not parts:
        raise CliError(
            f"no version of profile {args.profile_id!r} is in force between {start} and {end}"
        )
    entries = [(p, o) for p, first, last in parts for o in p.schedule(first, last)]
    if args.format == "csv":
        _write_csv(entries)
    elif args.format == "ics":
        sys.stdout.write(_ics(entries, parts[-1][0]).decode("utf-8"))
    else:
        _table(entries, parts, start, end)
    return 0


def _write_csv(entries: list[tuple[Profile, Occurrence]]) -> None:
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(
        ["date", "kind", "id", "title", "who", "cadence", "profile", "version", "how_many"]
    )
    for profile, o in entries:
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


def _ics(entries: list[tuple[Profile, Occurrence]], latest: Profile) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//qaframework//QA calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{latest.authority} QA calendar")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for profile, o in entries:
        event = Event()
        event.add("uid", f"{profile.id}-{o.kind.value}-{o.ref}-{o.day.isoformat()}@qaframework")
        event.add("dtstamp", stamp)
        event.add("dtstart", o.day)
        event.add("dtend", o.day + timedelta(days=1))
        event.add("summary", o.title)
        lines = [f"{o.kind.value.capitalize()} ({o.cadence})"]
        if o.who:
            lines.append("Who: " + ", ".join(o.who))
        if o.how_many:
            lines.append("How many: " + o.how_many)
        lines.append(f"{profile.authority}, profile {profile.id} version {profile.version}")
        event.add("description", "\n".join(lines))
        event.add("categories", [o.kind.value])
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _table(
    entries: list[tuple[Profile, Occurrence]],
    parts: tuple[tuple[Profile, date, date], ...],
    start: date,
    end: date,
) -> None:
    from rich.table import Table

    out = console()
    latest = parts[-1][0]
    table = Table(
        title=f"{latest.authority}: QA calendar {start.isoformat()} to {end.isoformat()}",
        title_justify="left",
    )
    for column in ("Date", "Kind", "What", "Who", "Every", "How many"):
        table.add_column(column, overflow="fold")
    for _profile, o in entries:
        table.add_row(
            o.day.strftime("%a %d %b %Y"),
            o.kind.value,
            o.title,
            ", ".join(o.who),
            o.cadence,
            o.how_many,
        )
    out.print(table)
    for profile, first, last in parts:
        out.print(f"{profile.label}: governs {first.isoformat()} to {last.isoformat()}")
        unscheduled = profile.unscheduled()
        if unscheduled:
            out.print(
                "  Without calendar dates: "
                + "; ".join(f"{a.name} ({a.cadence.describe()})" for a in unscheduled)
            )
