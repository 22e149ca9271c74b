"""The row loop the loaders share: read each row, reject or accept it, report duplicates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from qaframework.io.errors import ExportError
from qaframework.io.mapping import Header
from qaframework.io.rejections import Rejection, RowProblem, RowWarning
from qaframework.io.rows import NESTED_TOO_DEEPLY, ExportRows, RawRow
from qaframework.io.values import display, forbidden_character

T = TypeVar("T")

Progress = Callable[[int, int | None], None]
"""Called as rows are read with the number read so far and the total, when known."""

RowRead = tuple[str | None, T | None, list[RowProblem]]
"""What reading one row gives: its key (for duplicates), its record or None, its problems."""

_PROGRESS_EVERY = 1 << 12


@attrs.frozen
class Collected:
    """Every row read, sorted into records and rejections, in file order, with the accepted
    rows that were flagged; ``sheets`` is the worksheet of each record, in step with
    ``accepted``, when several were read."""

    accepted: list[Any]
    rejected: list[Rejection]
    rows_read: int
    sheets: tuple[str, ...] = ()
    warned: list[RowWarning] = attrs.Factory(list)


Part = tuple[ExportRows, Callable[[RawRow], RowRead[Any]], str | None]
"""One worksheet (or file) to read: its rows, how to read a row, and its key column."""


def by_values(read: Callable[[Mapping[str, Any]], RowRead[T]]) -> Callable[[RawRow], RowRead[T]]:
    """A reader of a row's cells by column name, as :func:`collect` calls it with the row
    (only readable rows, whose ``values`` are not None)."""

    def read_row(row: RawRow) -> RowRead[T]:
        values = row.values
        assert values is not None
        return read(values)

    return read_row


def collect(
    rows: ExportRows | Sequence[Part],
    read: Callable[[RawRow], RowRead[T]] | None = None,
    *,
    key_column: str | None = None,
    key_name: str,
    progress: Progress | None = None,
    warn: Sequence[Callable[[Any, RawRow], list[RowProblem]]] | None = None,
) -> Collected:
    """Read every row with ``read``; a row whose key an earlier row had is rejected,
    naming that row (``key_name`` says what the key is: "audit id", "child id").

    ``rows`` is one export read with ``read``, or several parts (the worksheets of one
    workbook), each with its reader and key column; keys are compared across them all.
    ``warn`` says what is flagged in an accepted record (with its row), one function for
    each part.
    """
    parts: Sequence[Part]
    if isinstance(rows, ExportRows):
        assert read is not None
        parts = [(rows, read, key_column)]
    else:
        parts = rows
    several = len(parts) > 1
    accepted: list[Any] = []
    sheets: list[str] = []
    rejected: list[Rejection] = []
    warned: list[RowWarning] = []
    seen: dict[str, tuple[str | None, int]] = {}
    rows_read = 0
    total: int | None = sum(p[0].size_hint or 0 for p in parts) or None
    warners = list(warn) if warn is not None else [None] * len(parts)
    for (export, reader, column), warner in zip(parts, warners, strict=True):
        sheet = export.sheet if several else None
        for row in export:
            rows_read += 1
            if progress is not None and rows_read % _PROGRESS_EVERY == 0:
                progress(rows_read, total)
            if row.problem is not None:
                rejected.append(Rejection(export.file, row.number, (row.problem,), sheet=sheet))
                continue
            key, record, problems = reader(row)
            duplicate = None
            if key is not None:
                here = (sheet, row.number)
                first = seen.setdefault(key, here)
                if first is not here:
                    duplicate = first[1]
                    problems.append(duplicate_problem(column, key, key_name, first[1], first[0]))
            if problems or record is None:
                rejected.append(
                    Rejection(export.file, row.number, tuple(problems), duplicate, sheet)
                )
            else:
                accepted.append(record)
                if several:
                    sheets.append(export.sheet or "")
                if warner is not None:
                    flagged = warner(record, row)
                    if flagged:
                        warned.append(RowWarning(export.file, row.number, tuple(flagged), sheet))
    if progress is not None:
        progress(rows_read, rows_read)
    return Collected(accepted, rejected, rows_read, tuple(sheets), warned)


def duplicate_problem(
    column: str | None, key: str, key_name: str, first: int, sheet: str | None = None
) -> RowProblem:
    """The problem of a row repeating an earlier row's key."""
    where = f"row {first} of sheet {sheet!r}" if sheet is not None else f"row {first}"
    return RowProblem(column, key, f"duplicate {key_name}: {where} has the same one")


def fit_for(file: str, wanted: Sequence[str]) -> Callable[[Sequence[str]], str | None]:
    """Whether a worksheet's columns hold every column in ``wanted`` (the required ones a
    mapping names): None when they do, else which they lack."""

    def fit(columns: Sequence[str]) -> str | None:
        header = Header(file, columns)
        try:
            lacking = [name for name in wanted if header.find(name) is None]
        except ExportError as exc:
            return str(exc).removeprefix(f"{file}: ")
        if not lacking:
            return None
        return f"it has no column {', '.join(map(repr, lacking))}"

    return fit


def missing_note(file: str, source: str, missing: Sequence[tuple[str, str]]) -> str:
    """The warning that a mapping names columns the export lacks: ``missing`` lists each
    column with the field it was to fill."""
    listed = ", ".join(f"{column!r} ({field})" for column, field in missing)
    plural = len(missing) != 1
    return (
        f"{file}: {source} names {'columns' if plural else 'a column'} the export lacks: "
        f"{listed}; {'they are' if plural else 'it is'} read as not recorded on every row "
        "(check the spelling; --strict stops here)"
    )


def check_missing(
    file: str, source: str, missing: Sequence[tuple[str, str]], *, strict: bool
) -> tuple[str, ...]:
    """The warnings of an explicit mapping naming columns the export lacks; under ``strict``
    an :class:`ExportError` instead."""
    if not missing:
        return ()
    if strict:
        listed = ", ".join(f"{column!r} ({field})" for column, field in missing)
        raise ExportError(
            file, f"has no column {listed} named in {source} (--strict: every mapped column)"
        )
    return (missing_note(file, source, missing),)


@attrs.frozen
class Totals:
    """What the worksheets (or the one file) of an export add up to, once read."""

    blank_rows: int
    columns: tuple[str, ...]
    lines: int | None
    sheets: tuple[str, ...]

    @classmethod
    def of(cls, parts: Sequence[ExportRows]) -> Totals:
        """The totals of ``parts``, read."""
        lines = [p.lines for p in parts]
        return cls(
            sum(p.blank_rows for p in parts),
            tuple(dict.fromkeys(c for p in parts for c in p.columns)),
            None if None in lines else sum(n for n in lines if n is not None),
            tuple(p.sheet for p in parts if p.sheet is not None),
        )


def unmapped(rows: ExportRows, header: Header) -> tuple[str, ...]:
    """The export's columns the mapping does not read, leaving out columns with neither a
    name nor a value."""
    empty = rows.unnamed - rows.unnamed_with_data
    return tuple(c for c in rows.columns if c not in header.used and c not in empty)


def unmapped_columns(parts: Iterable[tuple[ExportRows, Header]]) -> tuple[str, ...]:
    """:func:`unmapped` of each part of an export (its worksheets), each column once, in the
    order first seen (kept in a dict, not a list searched for each column: an export can
    have tens of thousands of columns)."""
    return tuple(dict.fromkeys(c for rows, header in parts for c in unmapped(rows, header)))


_EXTRA_FIELDS = re.compile(r"^extra fields found \((?P<names>.*)\)$")
_UNKNOWN_FIELD = "unknown field: not part of the record (a flat export needs a mapping)"


def native_reader(cls: type[T], key: str | None) -> Callable[[RawRow], RowRead[T]]:
    """A row reader for the converter's native form of ``cls`` (``qaframework.from_dict``),
    keyed by the field ``key`` (see :func:`collect`)."""
    from cattrs.errors import BaseValidationError

    from qaframework.profiles.converter import from_dict, problems_from_exception

    def read(values: Mapping[str, Any]) -> RowRead[T]:
        found = values.get(key) if key is not None else None
        identity = found if isinstance(found, str) else None
        try:
            forbidden = list(_forbidden(values, ""))
        except RecursionError:
            return identity, None, [RowProblem(None, None, NESTED_TOO_DEEPLY)]
        if forbidden:
            return identity, None, forbidden
        try:
            return identity, from_dict(cls, values), []
        except BaseValidationError as exc:
            problems: list[RowProblem] = []
            for p in problems_from_exception(exc):
                extra = _EXTRA_FIELDS.match(p.message)
                if extra is not None:
                    # An unknown key is the fault of that key's cell: name it.
                    where = "" if p.path == "$" else p.path.removeprefix("$.") + "."
                    problems.extend(
                        RowProblem(f"{where}{name}", display(values.get(name)), _UNKNOWN_FIELD)
                        for name in extra["names"].split(", ")
                    )
                    continue
                problems.append(
                    RowProblem(
                        p.path.removeprefix("$.") if p.path != "$" else None,
                        display(_value_at(values, p.path)),
                        p.message,
                    )
                )
            return identity, None, problems
        except (TypeError, ValueError) as exc:
            return identity, None, [RowProblem(None, None, str(exc))]

    return by_values(read)


def _forbidden(value: Any, path: str) -> Iterator[RowProblem]:
    """The text in a native row holding a character no document may hold."""
    if isinstance(value, str):
        reason = forbidden_character(value)
        if reason is not None:
            yield RowProblem(path or None, display(value), reason)
    elif isinstance(value, Mapping):
        for name, item in value.items():
            yield from _forbidden(item, f"{path}.{name}" if path else str(name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _forbidden(item, f"{path}[{index}]")


def _value_at(values: Mapping[str, Any], path: str) -> Any:
    current: Any = values
    for part in path.removeprefix("$").lstrip(".").split("."):
        if not part:
            continue
        name, _, index = part.partition("[")
        current = current.get(name) if isinstance(current, Mapping) else None
        if index and isinstance(current, list):
            position = int(index.rstrip("]"))
            current = current[position] if position < len(current) else None
    return current
