"""What every reader of an export gives: the rows, numbered as the user sees them, and the
columns named (see :mod:`qaframework.io.rows`, which opens exports)."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any

from qaframework.io.errors import ExportError
from qaframework.io.rejections import RowProblem
from qaframework.io.values import CellError, display, field_text, is_empty
from qaframework.profiles.files import (
    FileRefused,
    export_limit,
    read_regular,
    regular_blocks,
    regular_line_slices,
)

__all__ = [
    "ExportRows",
    "RawRow",
    "asked_choice",
    "column_letter",
    "file_blocks",
    "line_slices",
    "name_columns",
    "read_bytes",
]


class RawRow:
    """One row of an export: its number and its cells by column name, or why it is
    unreadable (``values`` None, ``problem`` set).

    A CSV or XLSX row is made from its cells in the header's order (``cells``, with the
    header's ``columns``): its ``values`` are made from them the first time they are asked
    for, so that a reader taking the cells by position (the audit loader's fast path) does
    not pay for a dictionary per row. A row made from ``values`` alone has ``cells`` None.
    """

    __slots__ = ("_columns", "_values", "cells", "number", "problem")

    def __init__(
        self,
        number: int,
        values: Mapping[str, Any] | None = None,
        problem: RowProblem | None = None,
        *,
        cells: Sequence[Any] | None = None,
        columns: Sequence[str] = (),
    ) -> None:
        if (values is None and cells is None) == (problem is None):
            raise ValueError("a row has its values or cells, or else a problem")
        self.number = number
        self.problem = problem
        self.cells = cells
        self._columns = columns
        self._values = values

    @property
    def values(self) -> Mapping[str, Any] | None:
        """The row's cells by column name (a row shorter than the header has none for the
        columns it lacks); None for an unreadable row."""
        values = self._values
        if values is None and self.cells is not None:
            values = self._values = dict(zip(self._columns, self.cells, strict=False))
        return values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawRow):
            return NotImplemented
        return (self.number, self.values, self.problem) == (
            other.number,
            other.values,
            other.problem,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RawRow(number={self.number!r}, values={self.values!r}, problem={self.problem!r})"


class ExportRows:
    """An opened export: :attr:`columns`, then its rows, read once by iterating.

    ``blank_rows`` counts the rows skipped as blank and ``unnamed_with_data`` the columns
    without a header name that hold a value somewhere; ``lines`` the physical lines of a CSV
    or JSON Lines file, or the rows of a worksheet, header and blank ones included (None
    for JSON); all three are complete once the rows have been read. ``size_hint`` is the
    number of rows expected, when the format says. ``clean`` is True when the reader
    screened the whole file and no cell holds a character no document may hold (see
    :func:`~qaframework.io.values.forbidden_character`), so no cell needs searching for one.
    ``reader`` names what read a worksheet's cells (``"calamine"`` or ``"openpyxl"``; None
    for the other formats).
    """

    def __init__(
        self,
        file: str,
        format: str,
        columns: Sequence[str],
        rows: Callable[[ExportRows], Iterator[RawRow]],
        *,
        unnamed: Iterable[str] = (),
        size_hint: int | None = None,
    ) -> None:
        self.file = file
        self.format = format
        self.columns: tuple[str, ...] = tuple(columns)
        self.unnamed: frozenset[str] = frozenset(unnamed)
        self._unnamed_at = tuple(
            (name, index) for index, name in enumerate(self.columns) if name in self.unnamed
        )
        self.size_hint = size_hint
        self.blank_rows = 0
        self.lines: int | None = None
        self.sheet: str | None = None
        self.reader: str | None = None
        self.unnamed_with_data: set[str] = set()
        self.clean = False
        self._rows: Callable[[ExportRows], Iterator[RawRow]] | None = rows

    def __iter__(self) -> Iterator[RawRow]:
        rows = self._rows
        if rows is None:
            raise RuntimeError("an export's rows are read once")
        self._rows = None
        return rows(self)

    def _note_unnamed(self, cells: Sequence[Any]) -> None:
        """Note the columns without a header name in which a row, its ``cells`` in the
        header's order, holds a value."""
        for name, index in self._unnamed_at:
            if index < len(cells) and not is_empty(cells[index]):
                self.unnamed_with_data.add(name)


def column_letter(index: int) -> str:
    """A spreadsheet column's letters from its 1-based index: 1 is A, 27 is AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_bytes(file: str, max_bytes: int | None = None) -> bytes:
    """A regular file's bytes, at most ``max_bytes`` of them (see
    :func:`qaframework.profiles.files.export_limit`); :class:`ExportError` when it cannot be
    read, is not a regular file (a pipe, a device, a directory) or is larger than that."""
    try:
        return read_regular(file, export_limit(max_bytes))
    except FileRefused as exc:
        raise ExportError(file, str(exc)) from None


def file_blocks(file: str, max_bytes: int | None = None) -> Generator[bytes, None, None]:
    """The regular file's bytes in blocks (see
    :func:`~qaframework.profiles.files.regular_blocks`); :class:`ExportError` as
    :func:`read_bytes` raises it (a file over the limit is refused before it is read)."""
    try:
        yield from regular_blocks(file, export_limit(max_bytes))
    except FileRefused as exc:
        raise ExportError(file, str(exc)) from None


def line_slices(file: str, limit: int | None, size: int) -> Generator[bytes, bytes | None, None]:
    """The regular file's bytes in slices of about ``size`` bytes, each ending at a line feed
    (see :func:`~qaframework.profiles.files.regular_line_slices`, which takes bytes sent to
    begin the slices after), so that a large export is read a slice at a time instead of
    held whole. :class:`ExportError` as :func:`read_bytes` raises it (a file over ``limit``
    is refused before it is read)."""
    try:
        yield from regular_line_slices(file, limit, size)
    except FileRefused as exc:
        raise ExportError(file, str(exc)) from None


def name_columns(cells: Sequence[object], file: str, row: int) -> tuple[list[str], set[str]]:
    names: list[str] = []
    unnamed: set[str] = set()
    for index, cell in enumerate(cells, 1):
        try:
            name = field_text(cell)
        except CellError:
            name = display(cell)
        if name is None:
            name = f"(column {column_letter(index)})"
            unnamed.add(name)
        names.append(name)
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(names, 1):
        positions.setdefault(name, []).append(index)
    for name, where in positions.items():
        if len(where) > 1:
            letters = ", ".join(column_letter(i) for i in where)
            raise ExportError(
                file,
                f"row {row}: columns {letters} are all named {name!r}; "
                "each column needs a name of its own",
            )
    return names, unnamed


def asked_choice(
    given: str | None, variable: str, choices: Sequence[str], *, argument: str, what: str, file: str
) -> str:
    """How a load is asked to read ``file``: ``given`` (the ``argument`` of the call), else
    the environment's ``variable``, else ``auto``, in lower case. An
    :class:`~qaframework.io.errors.ExportError` naming where it came from for one not in
    ``choices`` (``what`` names the kind: ``engine``, ``XLSX reader``)."""
    asked = given if given is not None else os.environ.get(variable, "")
    chosen = asked.strip().casefold() or "auto"
    if chosen not in choices:
        where = argument if given is not None else variable
        raise ExportError(
            file, f"cannot be read: {where}: unknown {what} {asked!r} ({', '.join(choices)})"
        )
    return chosen
