"""What the engine commands read: exports, small side files, and dates, periods and durations.

An export (audits, a case list, an activity log) is loaded through :mod:`qaframework.io`
with the options every command offers (``--mapping``, ``--strict``, ``--sheet``,
``--encoding``, ``--input-format``), with a progress display on standard error when it is a
terminal. A CSV or XLSX export with a column mapping beside it (``audits.mapping.toml`` for
``audits.csv``) is read with that mapping when ``--mapping`` is not given, and a note on
standard error says so. Rows the loader rejects are summarised in one line on standard error; with
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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from qaframework.cli._common import CliError
from qaframework.engine.periods import Period
from qaframework.errors import QAFrameworkError

if TYPE_CHECKING:
    from qaframework.io import ActivityLogLoad, AuditLoad, CaseLoad
    from qaframework.io.rejections import Rejection
    from qaframework.policy.cadence import IsoDuration

__all__ = [
    "INPUT_FORMATS",
    "MAPPING_SUFFIXES",
    "MARKING",
    "add_actions_arguments",
    "add_export_arguments",
    "duration",
    "load_activity_log",
    "load_audits",
    "load_cases",
    "loader_options",
    "mapping_beside",
    "period",
    "progress",
    "read_table_file",
    "report_load",
    "say_mapping",
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
        help=f"a TOML or JSON column mapping for the {what} (default: NAME.mapping.toml "
        "beside a CSV or XLSX export NAME.csv, else Annex A-like columns)",
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


MAPPING_SUFFIXES = (".mapping.toml", ".mapping.json")
"""The names of a column mapping beside an export: ``audits.mapping.toml`` for
``audits.csv``."""


def mapping_beside(file: str, input_format: str | None = None) -> Path | None:
    """The column mapping beside a CSV or XLSX export, ``<name>.mapping.toml`` (or
    ``.mapping.json``) for ``<name>.csv``, or None. A JSON or JSON Lines export has none:
    without a mapping it is read in the library's own form."""
    from qaframework.io.rows import detect_format

    try:
        chosen = input_format if input_format is not None else detect_format(file)
    except QAFrameworkError:
        return None
    if chosen not in ("csv", "xlsx"):
        return None
    path = Path(file)
    for suffix in MAPPING_SUFFIXES:
        found = path.with_name(path.stem + suffix)
        if found.is_file():
            return found
    return None


def _mapping(
    args: argparse.Namespace, file: str, mapping_flag: str
) -> tuple[str | None, Path | None]:
    """The mapping to read ``file`` with, and the mapping beside it when that is the one."""
    given: str | None = getattr(args, mapping_flag.removeprefix("--").replace("-", "_"))
    if given is not None:
        return given, None
    beside = mapping_beside(file, args.input_format)
    return (str(beside) if beside is not None else None), beside


def say_mapping(args: argparse.Namespace, file: str, *, mapping_flag: str = "--mapping") -> None:
    """A note on standard error when ``file`` was read with the mapping beside it (after
    the load, so that an error stays one line; a mapping's own errors name its file)."""
    _, beside = _mapping(args, file, mapping_flag)
    if beside is not None:
        print(
            f"qaframework: note: {file} is read with the column mapping beside it, "
            f"{beside.name} ({mapping_flag} names another)",
            file=sys.stderr,
        )


def loader_options(
    args: argparse.Namespace, file: str, *, mapping_flag: str = "--mapping"
) -> dict[str, Any]:
    """The keyword arguments of a loader of ``file`` from the export options ``args`` holds.

    The column mapping is the one ``mapping_flag`` gives (``--audits-mapping`` for the
    second export of a command reading two) or, without it, the mapping beside a CSV or
    XLSX export (:func:`mapping_beside`; :func:`say_mapping` says so).
    """
    mapping, _ = _mapping(args, file, mapping_flag)
    sheets: list[str] | None = args.sheet
    options: dict[str, Any] = {
        "mapping": mapping,
        "strict": args.strict,
        "format": args.input_format,
        "sheet": sheets[0] if sheets and len(sheets) == 1 else sheets,
        "encoding": args.encoding,
        "max_bytes": args.max_size,
    }
    if mapping_flag == "--mapping" and getattr(args, "actions", None) is not None:
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
    lacks, a worksheet not read), one when accepted rows were flagged with a warning, and
    one when rows were rejected: how many, and the first."""
    for warning in load.warnings:
        print(f"qaframework: warning: {warning}", file=sys.stderr)
    flagged = getattr(load, "flagged", ())
    if flagged:
        first_flagged = flagged[0]
        print(
            f"qaframework: warning: {load.file}: {len(flagged)} accepted "
            f"row{'s' if len(flagged) != 1 else ''} flagged (first: row {first_flagged.row}, "
            f"{first_flagged.problems[0]}); audits validate lists them",
            file=sys.stderr,
        )
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
    args: argparse.Namespace, file: str, profile_id: str, *, mapping_flag: str = "--mapping"
) -> AuditLoad:
    """Load an audit export with the command's options, reporting rejected rows.

    ``mapping_flag`` names the flag of its column mapping (a command reading two exports
    maps each: ``--audits-mapping``).
    """
    from qaframework.io import load_audits as load

    options = loader_options(args, file, mapping_flag=mapping_flag)
    with progress(file) as tick:
        found = load(file, profile_id, **options, progress=tick)
    say_mapping(args, file, mapping_flag=mapping_flag)
    report_load(found)
    return found


def load_cases(args: argparse.Namespace, file: str) -> CaseLoad:
    """Load a case list with the command's options, reporting rejected rows."""
    from qaframework.io import load_cases as load

    options = loader_options(args, file)
    with progress(file) as tick:
        found = load(file, **options, progress=tick)
    say_mapping(args, file)
    report_load(found)
    return found


def load_activity_log(args: argparse.Namespace, file: str) -> ActivityLogLoad:
    """Load an activity log with the command's options, reporting rejected rows."""
    from qaframework.io import load_activity_log as load

    options = loader_options(args, file)
    with progress(file) as tick:
        found = load(file, **options, progress=tick)
    say_mapping(args, file)
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
