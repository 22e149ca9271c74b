"""What the engine commands read: exports, small side files, and dates, periods and durations.

An export (audits, a case list, an activity log) is loaded through :mod:`qaframework.io`
with the options every command offers (``--mapping``, ``--strict``, ``--sheet``,
``--encoding``, ``--input-format``), with a progress display on standard error when it is a
terminal. Rows the loader rejects are summarised in one line on standard error; with
``--strict`` any rejection stops the command (exit status 2) with the list. Side files (a
roster, the holders of a quota) are small JSON or TOML tables. Nothing here imports the
engine until a command runs, so building the parser stays cheap. A command reading audits
of several dates resolves each date's profile version once
(:func:`qaframework.profiles.registry.profile_resolver`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from qaframework.cli._common import CliError
from qaframework.engine.periods import Period

if TYPE_CHECKING:
    from qaframework.io import ActivityLogLoad, AuditLoad, CaseLoad
    from qaframework.io.rejections import Rejection
    from qaframework.policy.cadence import IsoDuration

__all__ = [
    "INPUT_FORMATS",
    "MARKING",
    "add_actions_arguments",
    "add_export_arguments",
    "duration",
    "load_activity_log",
    "load_audits",
    "load_cases",
    "loader_options",
    "period",
    "progress",
    "read_table_file",
    "report_load",
    "size",
]

# The formats qaframework.io reads (qaframework.io.rows.FORMATS), spelt out here so that the
# parser is built without importing the loaders.
INPUT_FORMATS = ("csv", "xlsx", "json", "jsonl")

MARKING = "OFFICIAL-SENSITIVE: child-level detail"
"""The protective marking printed at the top of output that names children."""

ProgressCallback = Callable[[int, int | None], None]


class _Load(Protocol):
    @property
    def file(self) -> str: ...

    @property
    def rows_read(self) -> int: ...

    @property
    def rejected(self) -> tuple[Rejection, ...]: ...

    @property
    def warnings(self) -> tuple[str, ...]: ...


def duration(text: str) -> IsoDuration:
    """An argument type for ISO 8601 durations such as ``P2W`` or ``P1Y``."""
    from qaframework.policy.cadence import IsoDuration

    try:
        return IsoDuration.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def period(text: str) -> Period:
    """An argument type for periods: ``2026-27``, ``2026-27 Q1``, ``2026-05``, ``start..end``."""
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_export_arguments(
    parser: argparse.ArgumentParser,
    *,
    what: str,
    mapping_flag: str = "--mapping",
    strict_help: str = "stop with the list of rejected rows when any row is rejected",
) -> None:
    """Add the options for reading an export: its mapping, strictness, sheet, encoding, format."""
    parser.add_argument(
        mapping_flag,
        dest="mapping",
        metavar="F",
        help=f"a TOML or JSON column mapping for the {what} (default: Annex A-like columns)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help=f"{strict_help}, or a column the mapping names is missing",
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        action="append",
        help=(
            "the XLSX worksheet to read (the first when not given); repeat it for several, or "
            "give `all` for every worksheet holding the columns needed"
        ),
    )
    parser.add_argument("--encoding", metavar="ENC", help="the CSV's text encoding")
    parser.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help=f"the {what}'s format, when its name does not say",
    )
    parser.add_argument(
        "--max-size",
        type=size,
        metavar="SIZE",
        help=(
            f"the largest {what} to read, such as 500M or 4G (default: "
            "$QAFRAMEWORK_MAX_EXPORT_BYTES, else 2G)"
        ),
    )


def size(text: str) -> int:
    """An argument type for sizes in bytes: ``500M``, ``2G``, ``1048576``."""
    from qaframework.profiles.files import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_actions_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options for a file of actions joined to an audit export."""
    parser.add_argument(
        "--actions",
        metavar="FILE",
        help="a file of the audits' actions, one row per action, joined by audit id",
    )
    parser.add_argument(
        "--actions-mapping",
        metavar="F",
        help="a TOML or JSON column mapping for the actions file",
    )


def loader_options(args: argparse.Namespace, *, mapping: str | None = None) -> dict[str, Any]:
    """The keyword arguments of a loader from the export options ``args`` holds (the
    mapping ``mapping`` when given, for a command reading two exports)."""
    sheets: list[str] | None = args.sheet
    options: dict[str, Any] = {
        "mapping": mapping if mapping is not None else args.mapping,
        "strict": args.strict,
        "format": args.input_format,
        "sheet": sheets[0] if sheets and len(sheets) == 1 else sheets,
        "encoding": args.encoding,
        "max_bytes": args.max_size,
    }
    if mapping is None and getattr(args, "actions", None) is not None:
        options["actions"] = args.actions
        options["actions_mapping"] = args.actions_mapping
    return options


@contextmanager
def progress(file: str) -> Iterator[ProgressCallback | None]:
    """A progress display on standard error when it is a terminal; None otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as display:
        task = display.add_task(f"Reading {file}", total=None)

        def update(done: int, total: int | None) -> None:
            display.update(task, completed=done, total=total)

        yield update


def report_load(load: _Load) -> None:
    """On standard error, one line per warning of the load (a mapped column the export
    lacks, a worksheet not read), and one when rows were rejected: how many, and the first."""
    for warning in load.warnings:
        print(f"qaframework: warning: {warning}", file=sys.stderr)
    _rejected(load.file, load.rows_read, load.rejected)
    # An audit load may have joined a file of actions, whose rows are reported the same way.
    actions_file: str | None = getattr(load, "actions_file", None)
    if actions_file is not None:
        rows_read: int = getattr(load, "actions_rows_read", 0)
        _rejected(actions_file, rows_read, getattr(load, "actions_rejected", ()))


def _rejected(file: str, rows_read: int, rejected: tuple[Rejection, ...]) -> None:
    if not rejected:
        return
    count = len(rejected)
    first = rejected[0]
    where = f"sheet {first.sheet!r} row {first.row}" if first.sheet else f"row {first.row}"
    print(
        f"qaframework: warning: {file}: {count} of {rows_read} "
        f"row{'s' if rows_read != 1 else ''} rejected and left out (first: {where}, "
        f"{first.problems[0]}); --strict lists them and stops",
        file=sys.stderr,
    )


def load_audits(
    args: argparse.Namespace, file: str, profile_id: str, *, mapping: str | None = None
) -> AuditLoad:
    """Load an audit export with the command's options, reporting rejected rows.

    ``mapping`` overrides ``args.mapping`` (a command reading two exports maps each).
    """
    from qaframework.io import load_audits as load

    with progress(file) as tick:
        found = load(file, profile_id, **loader_options(args, mapping=mapping), progress=tick)
    report_load(found)
    return found


def load_cases(args: argparse.Namespace, file: str) -> CaseLoad:
    """Load a case list with the command's options, reporting rejected rows."""
    from qaframework.io import load_cases as load

    with progress(file) as tick:
        found = load(file, **loader_options(args), progress=tick)
    report_load(found)
    return found


def load_activity_log(args: argparse.Namespace, file: str) -> ActivityLogLoad:
    """Load an activity log with the command's options, reporting rejected rows."""
    from qaframework.io import load_activity_log as load

    with progress(file) as tick:
        found = load(file, **loader_options(args), progress=tick)
    report_load(found)
    return found


_SIDE_FILE_LIMIT = 64 * 1024**2  # a roster or a quota's holders: a small table


def read_table_file(file: str, what: str) -> dict[str, Any]:
    """A small JSON or TOML file holding one table (a roster, the holders of a quota)."""
    import json
    import tomllib
    from pathlib import Path

    from qaframework.profiles.files import FileRefused, read_regular

    path = Path(file)
    try:
        raw = read_regular(file, _SIDE_FILE_LIMIT)
    except FileRefused as exc:
        raise CliError(f"{file}: {exc}") from None
    kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
    try:
        if path.suffix.lower() == ".toml":
            data: object = tomllib.loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise CliError(f"{file}: the {what} is not valid {kind} ({exc})") from None
    except RecursionError:
        raise CliError(f"{file}: the {what} is not valid {kind} (nested too deeply)") from None
    if not isinstance(data, dict):
        raise CliError(f"{file}: the {what} must be a table of names to values")
    return data
