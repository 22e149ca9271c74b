"""The tables small-number suppression works on: counts as computed (:class:`CountTable`),
as published (:class:`SuppressedTable`), the policy (:class:`SuppressionPolicy`), and how
tables nest (:class:`Nesting`). See :mod:`qaframework.engine.suppression`."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from itertools import repeat

import attrs

__all__ = [
    "SUPPRESSED",
    "CountTable",
    "Nesting",
    "Position",
    "SuppressedTable",
    "SuppressionPolicy",
]

SUPPRESSED = "c"
"""The marker statistical releases print in place of a suppressed count."""


def _at_least_one(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number of at least 1, got {value!r}")


@attrs.frozen
class SuppressionPolicy:
    """How aggregate tables are protected before they are published.

    Counts from 1 to ``threshold`` are suppressed (with secondary suppression, see the module
    docstring) and printed as ``marker``. ``enabled`` False publishes every count as it is:
    for internal working copies, never for publication.
    """

    enabled: bool = True
    threshold: int = attrs.field(default=5, validator=_at_least_one)
    marker: str = SUPPRESSED

    @classmethod
    def off(cls) -> SuppressionPolicy:
        """No suppression: every count published as it is."""
        return cls(enabled=False)


@attrs.frozen
class Position:
    """A number of a table: a cell, a row or column total, or the grand total.

    ``row`` None means the row of column totals, ``column`` None the column of row totals:
    ``Position(2, None)`` is row 2's total, ``Position(None, None)`` the grand total.
    """

    row: int | None
    column: int | None


def _check_counts(instance: CountTable, _attribute: object, counts: object) -> None:
    rows, columns = len(instance.row_keys), len(instance.column_keys)
    if len(instance.row_labels) != rows or len(instance.column_labels) != columns:
        raise ValueError(f"table {instance.title!r}: one label per row and per column")
    if len(instance.counts) != rows or any(len(row) != columns for row in instance.counts):
        raise ValueError(
            f"table {instance.title!r}: counts must be {rows} rows of {columns} columns"
        )
    for row in instance.counts:
        for cell in row:
            if type(cell) is not int or cell < 0:
                raise ValueError(
                    f"table {instance.title!r}: counts are whole numbers, 0 or more, got {cell!r}"
                )


@attrs.frozen
class CountTable:
    """A two-way table of counts with labelled rows and columns, as computed (unsuppressed).

    ``row_keys`` and ``column_keys`` identify the rows and columns in data (a team's name, a
    grade code; None for "not recorded"), ``row_labels`` and ``column_labels`` are what a
    reader sees; ``row_header`` names what the rows are ("Team"). Totals are derived.
    """

    title: str
    row_header: str
    row_keys: tuple[str | None, ...]
    row_labels: tuple[str, ...]
    column_keys: tuple[str | None, ...]
    column_labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...] = attrs.field(validator=_check_counts)

    @property
    def row_totals(self) -> tuple[int, ...]:
        """The total of each row."""
        return tuple(sum(row) for row in self.counts)

    @property
    def column_totals(self) -> tuple[int, ...]:
        """The total of each column."""
        return tuple(sum(row[j] for row in self.counts) for j in range(len(self.column_keys)))

    @property
    def total(self) -> int:
        """The grand total."""
        return sum(map(sum, self.counts))

    def value(self, position: Position) -> int:
        """The count at ``position`` (a cell, a total, or the grand total)."""
        if position.row is None:
            if position.column is None:
                return self.total
            return self.column_totals[position.column]
        if position.column is None:
            return self.row_totals[position.row]
        return self.counts[position.row][position.column]

    def row(self, key: str | None) -> int:
        """The index of the row with this key."""
        return self.row_keys.index(key)


@attrs.frozen
class SuppressedTable:
    """A :class:`CountTable` as published: each number an ``int``, or None where suppressed.

    The hidden values are not kept. ``threshold`` is the policy's (None when suppression was
    off); ``primary`` counts the numbers suppressed for being small, ``secondary`` those
    suppressed to protect them. :meth:`text` gives what a renderer prints.
    """

    title: str
    row_header: str
    row_keys: tuple[str | None, ...]
    row_labels: tuple[str, ...]
    column_keys: tuple[str | None, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None
    threshold: int | None
    marker: str = SUPPRESSED
    primary: int = 0
    secondary: int = 0

    def value(self, position: Position) -> int | None:
        """The number at ``position`` as published (None where suppressed)."""
        if position.row is None:
            if position.column is None:
                return self.total
            return self.column_totals[position.column]
        if position.column is None:
            return self.row_totals[position.row]
        return self.cells[position.row][position.column]

    def text(self, value: int | None) -> str:
        """How a published number is printed: the count, or the marker (``c``)."""
        return self.marker if value is None else str(value)

    def display_cells(self) -> tuple[tuple[int | str, ...], ...]:
        """The cells with suppressed ones as the marker, for a renderer."""
        return tuple(
            tuple(self.marker if cell is None else cell for cell in row) for row in self.cells
        )

    @property
    def suppressed(self) -> int:
        """How many numbers are suppressed."""
        return self.primary + self.secondary

    def row(self, key: str | None) -> int:
        """The index of the row with this key."""
        return self.row_keys.index(key)

    def sum_of(self, positions: Iterable[Position]) -> int | None:
        """The sum of some cells, if it can be worked out from what is published.

        The sum is given when every one of the cells is shown, or when it is the rest of a
        row, a column or the table and the other cells and the total are shown; it is then
        no more than a reader could compute, so publishing it reveals nothing. None when it
        cannot be worked out, and also when it is from 1 to the threshold, so that no small
        number appears even as a derived figure.
        """
        wanted: set[tuple[int, int]] = set()
        for position in positions:
            if position.row is None or position.column is None:
                raise ValueError("sum_of adds cells, not totals")
            wanted.add((position.row, position.column))
        result = self._sum_of(wanted)
        if result is not None and self.threshold is not None and 1 <= result <= self.threshold:
            return None
        return result

    def _sum_of(self, wanted: set[tuple[int, int]]) -> int | None:
        cells = self.cells
        if all(cells[r][c] is not None for r, c in wanted):
            return sum(cells[r][c] or 0 for r, c in wanted)
        rows = {r for r, _ in wanted}
        columns = {c for _, c in wanted}
        n_rows, n_columns = len(self.row_keys), len(self.column_keys)
        # A sum is also the total of a row, a column or the table less the rest of it. Each
        # is tried in turn, and only as far as needed: a hidden cell outside the sum in its
        # row or column is in the table too, so the table's total cannot give it either
        # (which spares reading the whole table for each row of a long one).
        hidden_outside = False
        if len(rows) == 1:
            (r,) = rows
            rest = [cells[r][c] for c in range(n_columns) if (r, c) not in wanted]
            if None in rest:
                hidden_outside = True
            elif self.row_totals[r] is not None:
                return (self.row_totals[r] or 0) - sum(v or 0 for v in rest)
        if len(columns) == 1:
            (c,) = columns
            rest = [cells[r][c] for r in range(n_rows) if (r, c) not in wanted]
            if None in rest:
                hidden_outside = True
            elif self.column_totals[c] is not None:
                return (self.column_totals[c] or 0) - sum(v or 0 for v in rest)
        if hidden_outside or self.total is None:
            return None
        # Every hidden cell of the table must be one of the sum's (the table's are counted
        # once: a long table's rows each ask).
        if _hidden_cells(self) != sum(1 for r, c in wanted if cells[r][c] is None):
            return None
        shown = sum(
            v or 0 for r, row in enumerate(cells) for c, v in enumerate(row) if (r, c) not in wanted
        )
        return self.total - shown


_HIDDEN: dict[int, int] = {}


def _hidden_cells(table: SuppressedTable) -> int:
    """How many of ``table``'s cells are hidden, counted once per table (kept while the
    table lives: a frozen table's cells do not change)."""
    key = id(table)
    found = _HIDDEN.get(key)
    if found is None:
        found = _HIDDEN[key] = sum(map(tuple.count, table.cells, repeat(None)))
        weakref.finalize(table, _HIDDEN.pop, key, None)
    return found


# ---------------------------------------------------------------------------------------------
# The algorithm on plain counts
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class Nesting:
    """The rows of one table broken down by the rows of another (teams within service areas).

    Row ``i`` of table ``inner`` is part of row ``parents[i]`` of table ``outer``: the inner
    rows of one outer row add up to it, cell by cell and in their totals. The two tables
    have the same columns. ``within`` names the one outer row that every inner row is part
    of (the inner table's totals are then that row: service areas within the period's row
    of a trend); when None the inner rows break down every outer row, and the inner table's
    totals are the outer table's.
    """

    inner: int
    outer: int
    parents: tuple[int, ...]
    within: int | None = None
