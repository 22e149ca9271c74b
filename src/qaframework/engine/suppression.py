"""Small-number suppression: publishing count tables without revealing small counts.

A published table of audits by team and grade must not show that two children in one team
had an Inadequate audit: with the team's name and the month, a reader may know who they are.
Statistical releases about children (DfE, ONS) therefore show counts from 1 to 5 as ``c``
and, because a hidden count could be worked out from the totals, hide enough other counts
that none can be. This module does both, for any :class:`CountTable`.

The algorithm, for a table with its row totals, column totals and grand total:

1. **Primary suppression.** Every count from 1 to ``threshold`` (5 unless configured) is
   suppressed, totals included. Zero is shown: "none" discloses nobody. So a reader knows
   that every suppressed number is at least 1.
2. **Secondary suppression.** Each row with its total is an equation (the cells add up to
   the total), and so is each column and the row of column totals. A suppressed number is
   *protected* when the table can be changed so that every published number stays the
   same, every suppressed number stays at least 1, and that number changes. Changes that
   keep the equations are cycles: think of a graph with one node per equation and one edge
   per number (a cell joins its row's equation to its column's), where moving a number up
   by one sends one unit of flow along its edge one way and moving it down sends it the
   other way (down only from 2 or more). A number is protected exactly when one of its
   directions lies on a directed cycle of suppressed numbers' directions. Each suppressed
   number not protected gets one: the cheapest path of further numbers that closes such a
   cycle is suppressed too (cheapest means the fewest totals, which readers look at first,
   then the smallest sum of counts, then the fewest numbers; zeros are never used, so every
   suppressed number stays at least 1). A row with
   a single suppressed cell is the simplest unprotected case (its total less the other
   cells gives it), and "c, c, total 2" is another (both must be 1). When a table has one
   row (or one column), its column totals (row totals) are its cells again: those are no
   equations, and their side of the graph is one free node.
3. Numbers are checked in table order and ties broken by position, so the result is
   deterministic; a protected number stays protected as more are suppressed, so each is
   checked once and the loop ends.

**The guarantee.** For every suppressed number there is a second table of non-negative whole
counts that agrees with every published number, has every suppressed number at least 1, and
differs in that number: no suppressed value can be recovered from the row and column totals,
by any combination of them, even knowing that suppressed counts are not zero. In particular
(the invariants the tests check, the first by exhibiting such tables) no count from 1 to
``threshold`` is shown, and every row and every column of the table with its totals, the
totals forming the last row and column, has either no suppressed number or at least two.

Tables that share numbers (the grade counts of a period are the column totals of both the
by-team and the by-service-area table) are suppressed together by :func:`suppress_linked`: a
number suppressed in one table is suppressed in every table that shows it, and each table is
then protected as above, repeated until nothing changes. One table therefore never reveals
what another hides; the guarantee above holds table by table.

:class:`SuppressionPolicy` configures the threshold and the marker, or turns suppression
off (``SuppressionPolicy.off()``) for internal use. A :class:`SuppressedTable` holds each
number as an ``int`` or None where suppressed, never the hidden value; renderers print
:meth:`SuppressedTable.text` (``"c"`` for a suppressed number).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "SUPPRESSED",
    "CountTable",
    "Position",
    "SuppressedTable",
    "SuppressionPolicy",
    "suppress",
    "suppress_linked",
    "suppression_mask",
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
        if all(self.cells[r][c] is not None for r, c in wanted):
            return sum(self.cells[r][c] or 0 for r, c in wanted)
        rows = {r for r, _ in wanted}
        columns = {c for _, c in wanted}
        n_rows, n_columns = len(self.row_keys), len(self.column_keys)
        # A sum is also the total of a row, a column or the table less the rest of it.
        scopes: list[tuple[int | None, list[tuple[int, int]]]] = []
        if len(rows) == 1:
            (r,) = rows
            scopes.append((self.row_totals[r], [(r, c) for c in range(n_columns)]))
        if len(columns) == 1:
            (c,) = columns
            scopes.append((self.column_totals[c], [(r, c) for r in range(n_rows)]))
        scopes.append((self.total, [(r, c) for r in range(n_rows) for c in range(n_columns)]))
        for total, scope in scopes:
            rest = [self.cells[r][c] for r, c in scope if (r, c) not in wanted]
            if total is not None and all(v is not None for v in rest):
                return total - sum(v or 0 for v in rest)
        return None


# ---------------------------------------------------------------------------------------------
# The algorithm on plain counts
# ---------------------------------------------------------------------------------------------

_GROUND = -1


class _Layout:
    """The numbers of an r x c table with its totals, and the equations that join them.

    Each number is an edge between two equation nodes: rows are nodes ``0 .. r``
    (``r`` the row of column totals), columns nodes ``r + 1 .. r + c + 1`` (the last the
    column of row totals); a side whose totals repeat its cells (one row, or one column)
    has no equations, and its numbers end at the free node ``_GROUND``.
    """

    def __init__(self, counts: Sequence[Sequence[int]], n_columns: int) -> None:
        r = len(counts)
        c = n_columns
        self.shape = (r, c)
        row_totals = [sum(row) for row in counts]
        column_totals = [sum(row[j] for row in counts) for j in range(c)]
        total = sum(row_totals)
        self.values: list[int] = []
        self.ends: list[tuple[int, int]] = []
        self.signs: list[int] = []
        self.totals: list[bool] = []
        self.index: dict[tuple[int | None, int | None], int] = {}
        rows_are_equations = c > 1
        columns_are_equations = r > 1

        def row_node(i: int | None) -> int:
            if not rows_are_equations:
                return _GROUND
            return r if i is None else i

        def column_node(j: int | None) -> int:
            if not columns_are_equations:
                return _GROUND
            return r + 1 + (c if j is None else j)

        def add(value: int, row: int | None, column: int | None) -> int:
            self.values.append(value)
            self.ends.append((row_node(row), column_node(column)))
            # A row or column total is subtracted in its equations; the grand total twice.
            self.signs.append(-1 if (row is None) != (column is None) else 1)
            self.totals.append(row is None or column is None)
            return len(self.values) - 1

        for i in range(r):
            for j in range(c):
                self.index[(i, j)] = add(counts[i][j], i, j)
        # Totals that repeat a cell (one row or one column) are the same number, not another.
        for i in range(r):
            self.index[(i, None)] = self.index[(i, 0)] if c == 1 else add(row_totals[i], i, None)
        for j in range(c):
            self.index[(None, j)] = self.index[(0, j)] if r == 1 else add(column_totals[j], None, j)
        if r == 1 and c >= 1:
            self.index[(None, None)] = self.index[(0, None)]
        elif c == 1 and r >= 1:
            self.index[(None, None)] = self.index[(None, 0)]
        else:
            self.index[(None, None)] = add(total, None, None)


def _arcs(layout: _Layout, edge: int) -> list[tuple[int, int]]:
    """The directions a number may move by one, as arcs between its two equation nodes.

    A perturbation that keeps every equation is a circulation: a cell moved up by one moves
    "flow" from its row to its column, a total moved up by one (it is subtracted in its
    equations) from its column to its row. Up is always possible; down only from 2 or more,
    since every suppressed number is at least 1 (zeros are shown) and a reader knows it.
    """
    a, b = layout.ends[edge]
    up = (a, b) if layout.signs[edge] > 0 else (b, a)
    arcs = [up]
    if layout.values[edge] >= 2:
        arcs.append((up[1], up[0]))
    return arcs


def _movable(layout: _Layout, chosen: set[int], edge: int) -> bool:
    """Whether some other table agreeing with everything published differs in ``edge``.

    That is: whether one of the edge's arcs lies on a directed cycle of the suppressed
    numbers' arcs (the edge itself left out), so that the number can move by one while every
    published number stays and every suppressed one stays at least 1.
    """
    adjacency: dict[int, list[int]] = {}
    for other in chosen:
        if other != edge:
            for start, end in _arcs(layout, other):
                adjacency.setdefault(start, []).append(end)
    for start, end in _arcs(layout, edge):
        # The arc start -> end closes a cycle when end reaches start.
        seen = {end}
        frontier = [end]
        while frontier:
            node = frontier.pop()
            if node == start:
                return True
            for following in adjacency.get(node, ()):
                if following not in seen:
                    seen.add(following)
                    frontier.append(following)
    return False


def _cheapest_cycle(layout: _Layout, chosen: set[int], edge: int) -> list[int]:
    """The unsuppressed numbers to suppress so that ``edge`` can move: those of the cheapest
    directed path closing a cycle through one of its arcs. Cheapest is, in turn: the fewest
    totals newly hidden (readers look at totals first), the smallest sum of counts, the
    fewest numbers; zeros are never used."""
    arcs: dict[int, list[tuple[int, int]]] = {}
    for other in range(len(layout.values)):
        if other == edge or (other not in chosen and layout.values[other] == 0):
            continue
        for start, end in _arcs(layout, other):
            arcs.setdefault(start, []).append((end, other))
    Cost = tuple[int, int, int]
    best_path: tuple[Cost, list[int]] | None = None
    for start, end in _arcs(layout, edge):
        # Dijkstra from ``end`` back to ``start``.
        best: dict[int, Cost] = {end: (0, 0, 0)}
        came: dict[int, tuple[int, int]] = {}
        heap: list[tuple[Cost, int]] = [((0, 0, 0), end)]
        while heap:
            cost, node = heapq.heappop(heap)
            if cost > best[node]:
                continue
            if node == start:
                break
            for following, other in arcs.get(node, ()):
                step = cost
                if other not in chosen:
                    step = (
                        cost[0] + layout.totals[other],
                        cost[1] + layout.values[other],
                        cost[2] + 1,
                    )
                if following not in best or step < best[following]:
                    best[following] = step
                    came[following] = (node, other)
                    heapq.heappush(heap, (step, following))
        if start not in best:
            continue
        path: list[int] = []
        node = start
        while node != end:
            node, other = came[node]
            if other not in chosen:
                path.append(other)
        if best_path is None or best[start] < best_path[0]:
            best_path = (best[start], path)
    # Always found: moving a number up with its row total, column total and the grand total
    # (or the totals that repeat it) keeps every equation, and those totals are not zero.
    assert best_path is not None
    return best_path[1]


def _protect(layout: _Layout, chosen: set[int]) -> None:
    """Add secondary suppressions to ``chosen`` until every suppressed number can move.

    A number found movable stays movable when more are suppressed (its cycle remains), so
    each is checked once; one that cannot move gets a cycle at once.
    """
    safe: set[int] = set()
    while True:
        pending = sorted(chosen - safe)
        if not pending:
            return
        for edge in pending:
            if not _movable(layout, chosen, edge):
                chosen.update(_cheapest_cycle(layout, chosen, edge))
            safe.add(edge)


def _primary(layout: _Layout, threshold: int) -> set[int]:
    return {edge for edge, value in enumerate(layout.values) if 1 <= value <= threshold}


def suppression_mask(
    counts: Sequence[Sequence[int]], threshold: int = 5, *, columns: int | None = None
) -> dict[tuple[int | None, int | None], bool]:
    """Which numbers of a table of counts are suppressed, by position.

    Keys are ``(row, column)`` with None for the totals, as :class:`Position`; the value is
    True where the number is suppressed. ``columns`` gives the width of a table with no rows.
    """
    width = columns if columns is not None else (len(counts[0]) if counts else 0)
    layout = _Layout(counts, width)
    chosen = _primary(layout, threshold)
    _protect(layout, chosen)
    return {position: edge in chosen for position, edge in layout.index.items()}


def _publish(
    table: CountTable,
    layout: _Layout,
    chosen: set[int],
    primary: set[int],
    policy: SuppressionPolicy,
) -> SuppressedTable:
    def shown(position: tuple[int | None, int | None]) -> int | None:
        edge = layout.index[position]
        return None if edge in chosen else layout.values[edge]

    r, c = layout.shape
    return SuppressedTable(
        title=table.title,
        row_header=table.row_header,
        row_keys=table.row_keys,
        row_labels=table.row_labels,
        column_keys=table.column_keys,
        column_labels=table.column_labels,
        cells=tuple(tuple(shown((i, j)) for j in range(c)) for i in range(r)),
        row_totals=tuple(shown((i, None)) for i in range(r)),
        column_totals=tuple(shown((None, j)) for j in range(c)),
        total=shown((None, None)),
        threshold=policy.threshold if policy.enabled else None,
        marker=policy.marker,
        primary=len(primary),
        secondary=len(chosen - primary),
    )


def suppress(table: CountTable, policy: SuppressionPolicy | None = None) -> SuppressedTable:
    """``table`` as it may be published under ``policy`` (the default policy when None).

    Small counts and the numbers that would reveal them are suppressed as the module
    docstring describes; a table with no count from 1 to the threshold is published whole.
    """
    return suppress_linked((table,), (), policy)[0]


def suppress_linked(
    tables: Sequence[CountTable],
    links: Iterable[Sequence[tuple[int, Position]]],
    policy: SuppressionPolicy | None = None,
    *,
    forced: Iterable[tuple[int, Position]] = (),
) -> tuple[SuppressedTable, ...]:
    """Suppress tables that share numbers, consistently.

    Each link is a group of ``(table index, position)`` naming the same quantity in several
    tables (they must hold the same value): it is suppressed in all of them or in none.
    ``forced`` names numbers to suppress whatever their size (numbers another publication
    already hides). Each table is protected as :func:`suppress` does, with the numbers its
    links and ``forced`` add, and this is repeated until no table changes; a linked number
    is hidden to protect another only when a total would be. With suppression off, nothing
    is suppressed.
    """
    chosen_policy = policy if policy is not None else SuppressionPolicy()
    layouts = [_Layout(t.counts, len(t.column_keys)) for t in tables]
    groups = [tuple(group) for group in links]
    for group in groups:
        values = {tables[i].value(position) for i, position in group}
        if len(values) > 1:
            names = ", ".join(f"{tables[i].title!r} {position}" for i, position in group)
            raise ValueError(f"linked numbers differ ({sorted(values)}): {names}")
    for group in groups:
        # A number several tables show is a headline (the period's grade counts): hide it
        # to protect another only as a total would be, when no cells will do.
        for i, position in group:
            layouts[i].totals[layouts[i].index[(position.row, position.column)]] = True
    if not chosen_policy.enabled:
        return tuple(
            _publish(t, layout, set(), set(), chosen_policy)
            for t, layout in zip(tables, layouts, strict=True)
        )
    primaries = [_primary(layout, chosen_policy.threshold) for layout in layouts]
    chosen = [set(p) for p in primaries]
    for i, position in forced:
        edge = layouts[i].index[(position.row, position.column)]
        # A forced zero stays shown: it hides nothing, and zeros never close a cycle.
        if layouts[i].values[edge]:
            chosen[i].add(edge)
    changed = True
    while changed:
        changed = False
        for layout, edges in zip(layouts, chosen, strict=True):
            _protect(layout, edges)
        for group in groups:
            edges_of = [layouts[i].index[(position.row, position.column)] for i, position in group]
            if any(e in chosen[i] for (i, _), e in zip(group, edges_of, strict=True)):
                for (i, _), edge in zip(group, edges_of, strict=True):
                    if edge not in chosen[i]:
                        chosen[i].add(edge)
                        changed = True
    return tuple(
        _publish(t, layout, edges, primary, chosen_policy)
        for t, layout, edges, primary in zip(tables, layouts, chosen, primaries, strict=True)
    )
