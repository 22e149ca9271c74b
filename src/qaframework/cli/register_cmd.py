"""``qaframework register``: the persistent QA register (:mod:`qaframework.store`).

- ``register init`` creates the register, or upgrades its schema;
- ``register import PROFILE FILE`` imports an audit export, atomically and once;
- ``register status`` shows where it is, its schema revision, its counts and its imports;
- ``register tracker PROFILE`` prints the child of concern tracker as of a date, or with
  ``--overdue`` the closing-the-loop tracker (the actions open past their due date), marked
  OFFICIAL-SENSITIVE.

Every command takes ``--db`` (a path or URL); without it the register is the one
``QAFRAMEWORK_REGISTER`` names, or the SQLite file in the user's data directory. The store
(SQLAlchemy) is imported only when a command runs, and only with the ``store`` extra
installed; without it the command says how to install it (exit status 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console, iso_date
from qaframework.cli._loading import MARKING, add_export_arguments, loader_options, say_mapping
from qaframework.cli.actions_cmd import TRACKER_COLUMNS, tracker_row

if TYPE_CHECKING:
    from qaframework.engine.actions.ledger import ActionItem
    from qaframework.store import ImportRecord, Register, RegisterStatus

OVERDUE_COLUMNS = (
    "audit_id",
    "child_id",
    "activity",
    "team",
    "action_id",
    "what",
    "owner",
    "due",
    "days_overdue",
)


def register(subparsers: Any) -> None:
    """Add the ``register`` command group."""
    parser = subparsers.add_parser(
        "register",
        help="the QA register: import audits, show its status, the child of concern tracker",
        description=(
            "The persistent QA register: audits, moderation history, escalations and actions, "
            "in a SQLite file (the default) or PostgreSQL (--db URL)."
        ),
    )
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--db",
        metavar="URL",
        help=(
            "the register: a SQLite file path, sqlite:///path or postgresql://user@host/db "
            "(default: $QAFRAMEWORK_REGISTER, else register.sqlite3 in the user data directory)"
        ),
    )
    commands = parser.add_subparsers(dest="register_command", metavar="COMMAND", required=True)

    init = commands.add_parser(
        "init",
        parents=[where],
        help="create the register, or upgrade its schema",
        description="Create the register (a new SQLite file is readable by its owner only), "
        "or upgrade its schema to this release's revision.",
    )
    init.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print where the register is: a line of text (table) or JSON",
    )
    init.set_defaults(handler=run_init)

    load = commands.add_parser(
        "import",
        parents=[where],
        help="import an audit export, all of it or none, once",
        description=(
            "Import an audit export (CSV, XLSX, JSON or JSON Lines) in one transaction: the "
            "accepted audits and every rejected row with its reasons. A file imported before "
            "adds nothing."
        ),
    )
    load.add_argument("profile_id", metavar="PROFILE", help="the council's profile id")
    load.add_argument("file", metavar="FILE", help="the export")
    add_export_arguments(load, what="export", strict_help="import nothing when any row is rejected")
    load.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print what the import added: a line of text (table) or JSON",
    )
    load.set_defaults(handler=run_import)

    status = commands.add_parser(
        "status",
        parents=[where],
        help="where the register is, its schema revision, counts and imports",
        description="Show the register's location, schema revision, row counts and imports.",
    )
    status.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print the result: table (for people, the default) or json",
    )
    status.set_defaults(handler=run_status)

    tracker = commands.add_parser(
        "tracker",
        parents=[where],
        help="the child of concern tracker, or overdue actions, as of a date (OFFICIAL-SENSITIVE)",
        description=(
            "The children on the profile's child of concern tracker on a date, or with "
            "--overdue the actions open past their due date (closing the loop), from the "
            "register: child-level detail, marked OFFICIAL-SENSITIVE."
        ),
    )
    tracker.add_argument("profile_id", metavar="PROFILE", help="the council's profile id")
    tracker.add_argument(
        "--as-of", type=iso_date, metavar="DATE", help="the date, YYYY-MM-DD (default: today)"
    )
    tracker.add_argument(
        "--overdue",
        action="store_true",
        help="list the actions open past their due date (the closing-the-loop tracker)",
    )
    tracker.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the result: table (for people, the default), json or csv",
    )
    tracker.set_defaults(handler=run_tracker)


def _store() -> Any:
    try:
        import qaframework.store as store
    except ModuleNotFoundError as exc:
        raise CliError(str(exc)) from None
    return store


def _open(args: argparse.Namespace) -> Register:
    register: Register = _store().open_register(args.db)
    return register


def run_init(args: argparse.Namespace) -> int:
    """Create or upgrade the register."""
    with _store().init_register(args.db) as register:
        location, revision = register.location, register.revision()
    if args.format == "json":
        _dump({"location": location, "revision": revision})
    else:
        print(f"Register at {location}: schema revision {revision}")
    return 0


def _dump(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def run_import(args: argparse.Namespace) -> int:
    """Import an export and say what it added."""
    with _open(args) as register:
        options = loader_options(args, args.file)
        result = register.import_audits(args.file, args.profile_id, **options)
        location = register.location
    record = result.record
    say_mapping(args, args.file)
    if result.load is not None:
        for warning in result.load.warnings:
            print(f"qaframework: warning: {warning}", file=sys.stderr)
    if result.load is not None and result.load.rejected:
        first = result.load.rejected[0]
        print(
            f"qaframework: warning: {record.rejected:,} of {record.rows_read:,} rows rejected and "
            f"recorded with their reasons (first: row {first.row}, {first.problems[0]})",
            file=sys.stderr,
        )
    if args.format == "json":
        _dump({"location": location, "new": result.new, "import": _record_data(record)})
        return 0
    if not result.new:
        print(
            f"{args.file} was imported before (import {record.id}, "
            f"{record.imported_at:%Y-%m-%d %H:%M} UTC): nothing added"
        )
        return 0
    print(
        f"Imported {args.file} into {location} as import {record.id}: "
        f"{record.added:,} audit{'s' if record.added != 1 else ''} added, "
        f"{record.already_registered:,} already registered, {record.rejected:,} "
        f"row{'s' if record.rejected != 1 else ''} rejected"
    )
    return 0


def _record_data(record: ImportRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "imported_at": record.imported_at.isoformat(),
        "profile": record.profile_id,
        "source": record.source,
        "format": record.format,
        "content_hash": record.content_hash,
        "rows_read": record.rows_read,
        "accepted": record.accepted,
        "rejected": record.rejected,
        "blank_rows": record.blank_rows,
        "added": record.added,
        "already_registered": record.already_registered,
    }


def run_status(args: argparse.Namespace) -> int:
    """Print the register's status."""
    with _open(args) as register:
        status = register.status()
    if args.format == "json":
        data = {
            "location": status.location,
            "backend": status.backend,
            "revision": status.revision,
            "head": status.head,
            "counts": dict(status.counts),
            "imports": [_record_data(r) for r in status.imports],
        }
        _dump(data)
    else:
        _status_table(status)
    return 0


def _status_table(status: RegisterStatus) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    summary = Table(title="QA register", title_justify="left", show_header=False)
    summary.add_column("What", style="bold")
    summary.add_column("Found", overflow="fold")
    summary.add_row("Location", Text(status.location))
    summary.add_row("Back end", status.backend)
    state = "up to date" if status.up_to_date else f"this release needs {status.head}"
    summary.add_row("Schema revision", f"{status.revision} ({state})")
    for table, count in status.counts.items():
        summary.add_row(f"Rows in {table}", f"{count:,}")
    out.print(summary)
    if not status.imports:
        out.print("No imports yet.")
        return
    imports = Table(title="Imports", title_justify="left")
    for column in (
        "Import",
        "Imported (UTC)",
        "Profile",
        "Source",
        "Rows read",
        "Accepted",
        "Rejected",
        "Added",
        "Already registered",
    ):
        imports.add_column(column, overflow="fold")
    for record in status.imports:
        imports.add_row(
            str(record.id),
            f"{record.imported_at:%Y-%m-%d %H:%M}",
            record.profile_id,
            Text(record.source),
            f"{record.rows_read:,}",
            f"{record.accepted:,}",
            f"{record.rejected:,}",
            f"{record.added:,}",
            f"{record.already_registered:,}",
        )
    out.print(imports)


def run_tracker(args: argparse.Namespace) -> int:
    """Print the child of concern tracker (or, with ``--overdue``, the overdue actions) as
    of the date, marked OFFICIAL-SENSITIVE."""
    # The command line reads the clock only for its default date; the store takes it given.
    as_of: date = args.as_of if args.as_of is not None else date.today()
    columns: tuple[str, ...]
    with _open(args) as register:
        if args.overdue:
            items = register.overdue_actions(as_of=as_of, profile_id=args.profile_id)
            rows = [_overdue_row(item) for item in items]
            columns, key = OVERDUE_COLUMNS, "actions"
            title = f"Overdue actions, {args.profile_id}, as of {as_of}"
            empty = f"No action of {args.profile_id} is overdue on {as_of}."
        else:
            entries = register.child_of_concern_tracker(args.profile_id, as_of=as_of)
            rows = [tracker_row(entry) for entry in entries]
            columns, key = TRACKER_COLUMNS, "children"
            title = f"Child of concern tracker, {args.profile_id}, as of {as_of}"
            empty = f"No child is on the child of concern tracker of {args.profile_id} on {as_of}."
    if args.format == "json":
        data = {
            "marking": MARKING,
            "profile": args.profile_id,
            "as_of": as_of.isoformat(),
            key: [dict(zip(columns, row, strict=True)) for row in rows],
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        print(MARKING)
        from qaframework.render.cells import csv_writer

        writer = csv_writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        _tracker_table(title, empty, columns, rows)
    return 0


def _overdue_row(item: ActionItem) -> list[str]:
    return [
        item.audit_id,
        item.child_id,
        item.activity,
        item.team or "",
        item.action.id,
        item.action.what,
        item.action.owner,
        item.action.due.isoformat(),
        str(item.days_overdue),
    ]


def _tracker_table(title: str, empty: str, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(MARKING, markup=False)
    if not rows:
        out.print(empty, markup=False)
    else:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column.replace("_", " ").capitalize(), overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        out.print(table)
    out.print(MARKING, markup=False)
