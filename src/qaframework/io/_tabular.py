"""The row loop the loaders share: read each row, reject or accept it, report duplicates."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from qaframework.io.mapping import Header
from qaframework.io.rejections import Rejection, RowProblem
from qaframework.io.rows import NESTED_TOO_DEEPLY, ExportRows
from qaframework.io.values import display, forbidden_character

T = TypeVar("T")

Progress = Callable[[int, int | None], None]
"""Called as rows are read with the number read so far and the total, when known."""

RowRead = tuple[str | None, T | None, list[RowProblem]]
"""What reading one row gives: its key (for duplicates), its record or None, its problems."""

_PROGRESS_EVERY = 1 << 12


@attrs.frozen
class Collected:
    """Every row read, sorted into records and rejections, in file order."""

    accepted: list[Any]
    rejected: list[Rejection]
    rows_read: int


def collect(
    rows: ExportRows,
    read: Callable[[Mapping[str, Any]], RowRead[T]],
    *,
    key_column: str | None,
    key_name: str,
    progress: Progress | None = None,
) -> Collected:
    """Read every row with ``read``; a row whose key an earlier row had is rejected,
    naming that row (``key_name`` says what the key is: "audit id", "child id")."""
    accepted: list[T] = []
    rejected: list[Rejection] = []
    seen: dict[str, int] = {}
    rows_read = 0
    for row in rows:
        rows_read += 1
        if progress is not None and rows_read % _PROGRESS_EVERY == 0:
            progress(rows_read, rows.size_hint)
        if row.values is None:
            assert row.problem is not None
            rejected.append(Rejection(rows.file, row.number, (row.problem,)))
            continue
        key, record, problems = read(row.values)
        duplicate = None
        if key is not None:
            first = seen.setdefault(key, row.number)
            if first != row.number:
                duplicate = first
                problems.append(duplicate_problem(key_column, key, key_name, first))
        if problems or record is None:
            rejected.append(Rejection(rows.file, row.number, tuple(problems), duplicate))
        else:
            accepted.append(record)
    if progress is not None:
        progress(rows_read, rows_read)
    return Collected(accepted, rejected, rows_read)


def duplicate_problem(column: str | None, key: str, key_name: str, first: int) -> RowProblem:
    """The problem of a row repeating an earlier row's key."""
    return RowProblem(column, key, f"duplicate {key_name}: row {first} has the same one")


def unmapped(rows: ExportRows, header: Header) -> tuple[str, ...]:
    """The export's columns the mapping does not read, leaving out columns with neither a
    name nor a value."""
    empty = rows.unnamed - rows.unnamed_with_data
    return tuple(c for c in rows.columns if c not in header.used and c not in empty)


def native_reader(cls: type[T], key: str | None) -> Callable[[Mapping[str, Any]], RowRead[T]]:
    """A row reader for the converter's native form of ``cls`` (``qaframework.from_dict``),
    keyed by the field ``key``."""
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
            problems = [
                RowProblem(
                    p.path.removeprefix("$.") if p.path != "$" else None,
                    display(_value_at(values, p.path)),
                    p.message,
                )
                for p in problems_from_exception(exc)
            ]
            return identity, None, problems
        except (TypeError, ValueError) as exc:
            return identity, None, [RowProblem(None, None, str(exc))]

    return read


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
