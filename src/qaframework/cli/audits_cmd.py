"""``qaframework audits validate``: check a council's audit export before it is used.

Loads the export as :func:`qaframework.io.audits.load_audits` does and reports the rows
read, accepted and rejected, duplicates, blank rows skipped, the columns the mapping does
not read and the mapped columns the export lacks, then every rejection with its row,
column, value and reason, and every accepted row the profile flags with a warning (an audit
or moderation by a role not named for it, where the profile's ``role_checks`` say warning).
Exit status 0 when every row is accepted (warnings or not), 1 when any is rejected, 2 when
the input cannot be used at all (unknown profile, unreadable file, bad mapping).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import console
from qaframework.cli._loading import (
    add_actions_arguments,
    add_export_arguments,
    loader_options,
    progress,
    say_mapping,
)

if TYPE_CHECKING:
    from qaframework.io.audits import AuditLoad
    from qaframework.io.rejections import Rejection


def register(subparsers: Any) -> None:
    """Add the ``audits`` command group."""
    parser = subparsers.add_parser(
        "audits",
        help="audit records: validate a council's export",
        description="Work with a council's audit records.",
    )
    commands = parser.add_subparsers(dest="audits_command", metavar="COMMAND", required=True)
    validate = commands.add_parser(
        "validate",
        help="check an audit export against a council's profile",
        description=(
            "Load an audit export (CSV, XLSX, JSON or JSON Lines) through a column mapping and "
            "check every row against the profile version in force on its audit date. Exit "
            "status 0 when every row is accepted, 1 when any is rejected, 2 on bad input."
        ),
    )
    validate.add_argument("profile_id", metavar="ID", help="the council's profile id")
    validate.add_argument("file", metavar="FILE", help="the export")
    add_export_arguments(
        validate, what="export", strict_help="stop with the list of rejections, no report"
    )
    add_actions_arguments(validate)
    validate.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the report: table (for people, the default), json, or csv (one "
        "row per problem of each rejected row)",
    )
    validate.set_defaults(handler=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Load the export and print the report; the exit status says whether all was accepted."""
    from qaframework.io.audits import load_audits
    from qaframework.io.errors import RejectedRows

    with progress(args.file) as tick:
        try:
            options = loader_options(args, args.file)
            load = load_audits(args.file, args.profile_id, **options, progress=tick)
        except RejectedRows as exc:
            print(f"qaframework: error: {exc}", file=sys.stderr)
            return 1
    say_mapping(args, args.file)
    for warning in load.warnings:
        print(f"qaframework: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        json.dump(_as_data(load), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        _write_csv(load)
    else:
        _table(load)
    return 0 if load.ok else 1


_KINDS = ("judgements", "concerns", "feedback", "moderation", "actions")


def _not_recorded(load: AuditLoad) -> list[str]:
    """The kinds of data the export does not carry: its figures are not recorded, not 0."""
    return [kind for kind in _KINDS if not load.records(kind)]


def _summary(load: AuditLoad) -> list[tuple[str, str]]:
    rows = [
        ("File", load.file),
        ("Profile", load.profile_id),
        ("Format", load.format),
        ("Rows read", str(load.rows_read)),
        ("Accepted", str(len(load.accepted))),
        ("Rejected", str(len(load.rejected))),
        ("Duplicates", str(len(load.duplicates))),
        ("Blank rows skipped", str(load.blank_rows)),
        ("Lines read", str(load.lines_read) if load.lines_read is not None else "n/a"),
        ("Accepted with a warning", str(len(load.flagged))),
        ("Unmapped columns", ", ".join(load.unmapped_columns) or "none"),
        ("Missing columns", ", ".join(load.missing_columns) or "none"),
        ("Not recorded in this export", ", ".join(_not_recorded(load)) or "none"),
    ]
    if load.sheets:
        rows.insert(3, ("Worksheets read", ", ".join(load.sheets)))
    if load.actions_file is not None:
        rows += [
            ("Actions file", load.actions_file),
            ("Action rows read", str(load.actions_rows_read)),
            ("Action rows rejected", str(len(load.actions_rejected))),
        ]
    return rows


def _rejections(rejected: tuple[Rejection, ...]) -> list[dict[str, Any]]:
    return [
        {
            "row": r.row,
            "sheet": r.sheet,
            "duplicate_of": r.duplicate_of,
            "problems": [
                {"column": p.column, "value": p.value, "reason": p.reason} for p in r.problems
            ],
        }
        for r in rejected
    ]


def _as_data(load: AuditLoad) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file": load.file,
        "profile": load.profile_id,
        "format": load.format,
        "sheets": list(load.sheets),
        "rows_read": load.rows_read,
        "lines_read": load.lines_read,
        "accepted": len(load.accepted),
        "rejected": len(load.rejected),
        "warned": len(load.flagged),
        "duplicates": len(load.duplicates),
        "blank_rows": load.blank_rows,
        "columns": list(load.columns),
        "unmapped_columns": list(load.unmapped_columns),
        "missing_columns": list(load.missing_columns),
        "recorded": sorted(load.recorded),
        "not_recorded": _not_recorded(load),
        "warnings": list(load.warnings),
        "rejections": _rejections(load.rejected),
        "flagged": [
            {
                "row": w.row,
                "sheet": w.sheet,
                "problems": [
                    {"column": p.column, "value": p.value, "reason": p.reason} for p in w.problems
                ],
            }
            for w in load.flagged
        ],
    }
    if load.actions_file is not None:
        data["actions"] = {
            "file": load.actions_file,
            "rows_read": load.actions_rows_read,
            "rejected": len(load.actions_rejected),
            "rejections": _rejections(load.actions_rejected),
        }
    return data


def _write_csv(load: AuditLoad) -> None:
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(
        ["file", "row", "column", "value", "reason", "duplicate_of", "sheet", "severity"]
    )
    for file, rejected in ((load.file, load.rejected), (load.actions_file, load.actions_rejected)):
        for rejection in rejected:
            for problem in rejection.problems:
                writer.writerow(
                    [
                        file,
                        rejection.row,
                        problem.column or "",
                        problem.value or "",
                        problem.reason,
                        rejection.duplicate_of or "",
                        rejection.sheet or "",
                        "error",
                    ]
                )
    for warned in load.flagged:
        for problem in warned.problems:
            writer.writerow(
                [
                    load.file,
                    warned.row,
                    problem.column or "",
                    problem.value or "",
                    problem.reason,
                    "",
                    warned.sheet or "",
                    "warning",
                ]
            )
    print(
        "; ".join(f"{name.lower()}: {value}" for name, value in _summary(load)[3:]),
        file=sys.stderr,
    )


def _table(load: AuditLoad) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    summary = Table(title="Audit export", title_justify="left", show_header=False)
    summary.add_column("What", style="bold")
    summary.add_column("Found", overflow="fold")
    for name, value in _summary(load):
        summary.add_row(name, Text(value))
    out.print(summary)
    if load.flagged:
        flagged = Table(title="Accepted rows flagged with a warning", title_justify="left")
        for column in ("Row", "Column", "Value", "Warning"):
            flagged.add_column(column, overflow="fold")
        for warned in load.flagged:
            for index, problem in enumerate(warned.problems):
                flagged.add_row(
                    str(warned.row) if index == 0 else "",
                    Text(problem.column or "(row)"),
                    Text(problem.value or ""),
                    Text(problem.reason),
                )
        out.print(flagged)
    if load.ok:
        out.print("Every row was accepted.")
        return
    for title, rejected in (
        ("Rejected rows", load.rejected),
        (f"Rejected rows of {load.actions_file}", load.actions_rejected),
    ):
        if rejected:
            out.print(_rejected_table(title, rejected))


def _rejected_table(title: str, rejected: tuple[Rejection, ...]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for column in ("Row", "Column", "Value", "Reason"):
        table.add_column(column, overflow="fold")
    for rejection in rejected:
        row = f"{rejection.sheet} {rejection.row}" if rejection.sheet else str(rejection.row)
        for index, problem in enumerate(rejection.problems):
            # Text, not markup: values and reasons hold brackets ("[values.role]").
            table.add_row(
                Text(row) if index == 0 else "",
                Text(problem.column or "(row)"),
                Text(problem.value or ""),
                Text(problem.reason),
            )
    return table
