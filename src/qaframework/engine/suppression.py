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
import math
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "SUPPRESSED",
    "CountTable",
    "Nesting",
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


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


class _Network:
    """The numbers of some tables and the equations that join them, as a graph.

    Each equation is a node and each number an edge between the two equations it is in (a
    number in one equation only ends at the free node ``_GROUND``), oriented so that moving
    the number up by one sends one unit of flow from its ``up[0]`` end to its ``up[1]`` end:
    every change that keeps the equations is then a circulation. Tables are made of rows,
    each row (and each table's row of column totals) a node of a tree: a row broken down by
    rows of another table (a :class:`Nesting`) is their parent, the totals row the parent of
    the rest. A row that adds up from two or more rows gives one equation per column (and
    one for the totals column); a row with none, its row equation (its cells add up to its
    total); a row that is the only part of another is the same numbers. The totals row's
    own equation, and every other row's that is broken down, follow from the rest.
    ``index[t]`` maps a position of table ``t`` to its number.
    """

    def __init__(
        self, tables: Sequence[tuple[Sequence[Sequence[int]], int]], nestings: Sequence[Nesting]
    ) -> None:
        self.values: list[int] = []
        self.up: list[tuple[int, int]] = []
        # What hiding a number costs: 0 a cell, 1 a total, 2 a headline.
        self.totals: list[int] = []
        # What a reader may know of a number besides the equations: at least ``low`` (1 for
        # any suppressed number: zeros are shown), at most ``high``; ``below`` and
        # ``above`` the numbers that give those bounds (a number no more than another).
        self.low: list[int] = []
        self.high: list[float] = []
        self.below: list[list[int]] = []
        self.above: list[list[int]] = []
        # Numbers that are the same as a number elsewhere (a link, not a nesting): no
        # cycle of another number passes through them, so that their copies never have to
        # move together but when they are protected themselves.
        self.frozen: set[int] = set()
        self.index: list[dict[tuple[int | None, int | None], int]] = []
        node_of: list[list[int]] = []  # per table: its rows' nodes, then its totals node
        widths: list[int] = []
        for counts, columns in tables:
            first = sum(len(nodes) for nodes in node_of)
            node_of.append(list(range(first, first + len(counts) + 1)))
            widths.append(columns)
        size = sum(len(nodes) for nodes in node_of)
        parent_of: dict[int, int] = {}
        same = _UnionFind(size)
        inner_tables: set[int] = set()
        outer_tables: set[int] = set()
        for nesting in nestings:
            inner, outer = nesting.inner, nesting.outer
            if inner in inner_tables or outer in outer_tables or inner == outer:
                raise ValueError(
                    "each table breaks down at most one other, and at most one breaks it down"
                )
            inner_tables.add(inner)
            outer_tables.add(outer)
            if widths[inner] != widths[outer]:
                raise ValueError("a table and the one it breaks down have the same columns")
            rows_inner, rows_outer = len(node_of[inner]) - 1, len(node_of[outer]) - 1
            if len(nesting.parents) != rows_inner or not all(
                0 <= p < rows_outer for p in nesting.parents
            ):
                raise ValueError("a nesting names one row of the outer table per inner row")
            if nesting.within is not None:
                if any(p != nesting.within for p in nesting.parents):
                    raise ValueError("every inner row is part of the row the nesting is within")
                same.union(node_of[inner][-1], node_of[outer][nesting.within])
            else:
                if set(nesting.parents) != set(range(rows_outer)):
                    raise ValueError("the inner rows break down every outer row, or give within")
                same.union(node_of[inner][-1], node_of[outer][-1])
            for row, parent in enumerate(nesting.parents):
                parent_of[node_of[inner][row]] = node_of[outer][parent]
        for table, nodes in enumerate(node_of):
            if table not in inner_tables:
                for node in nodes[:-1]:
                    parent_of[node] = nodes[-1]
        # Rows that are the only part of another are the same row: merge until none is.
        while True:
            children: dict[int, set[int]] = {}
            parents: dict[int, set[int]] = {}
            for node, parent in parent_of.items():
                a, b = same.find(node), same.find(parent)
                if a != b:
                    children.setdefault(b, set()).add(a)
                    parents.setdefault(a, set()).add(b)
            if any(len(found) > 1 for found in parents.values()):
                raise ValueError("the nested tables do not form a tree: a row has two parents")
            merged = False
            for parent, kids in children.items():
                if len(kids) == 1:
                    merged |= same.union(parent, next(iter(kids)))
            if not merged:
                break
        # The columns of each node, and the value of each of its numbers.
        width_of: dict[int, int] = {}
        number: dict[tuple[int, int], int] = {}
        for table, ((counts, columns), nodes) in enumerate(zip(tables, node_of, strict=True)):
            rows = len(counts)
            column_totals = [sum(row[j] for row in counts) for j in range(columns)]
            index: dict[tuple[int | None, int | None], int] = {}
            for row in [*range(rows), None]:
                node = same.find(nodes[-1] if row is None else nodes[row])
                if width_of.setdefault(node, columns) != columns:
                    raise ValueError("rows that are the same have the same columns")
                values = list(counts[row]) if row is not None else column_totals
                values.append(sum(values))
                for column in [*range(columns), None]:
                    # One column: the totals column repeats it.
                    j = (
                        0
                        if columns == 1 and column is None
                        else (columns if column is None else column)
                    )
                    if columns == 0 and column is not None:
                        continue
                    value = values[-1 if column is None else column]
                    key = (node, j)
                    edge = number.get(key)
                    if edge is None:
                        edge = number[key] = len(self.values)
                        self.values.append(value)
                        self.totals.append(0)
                        self.low.append(1)
                        self.high.append(math.inf)
                        self.below.append([])
                        self.above.append([])
                    elif self.values[edge] != value:
                        raise ValueError(
                            f"nested numbers differ ({self.values[edge]} and {value}): table "
                            f"{table}, row {row}, column {column}"
                        )
                    if row is None or column is None:
                        self.totals[edge] = max(self.totals[edge], 1)
                    index[(row, column)] = edge
            self.index.append(index)
        # The equations: (node, column) -> [(edge, coefficient)].
        equations: list[list[tuple[int, int]]] = []
        kids_of: dict[int, list[int]] = {}
        for node, parent in parent_of.items():
            a, b = same.find(node), same.find(parent)
            if a != b and a not in kids_of.get(b, []):
                kids_of.setdefault(b, []).append(a)
        for node, columns in sorted(width_of.items()):
            kid_list = kids_of.get(node, [])
            every = [*range(columns), columns] if columns > 1 else list(range(columns))
            if not kid_list:
                if columns > 1:
                    equations.append(
                        [(number[(node, j)], 1) for j in range(columns)]
                        + [(number[(node, columns)], -1)]
                    )
                continue
            for j in every:
                equations.append(
                    [(number[(kid, j)], 1) for kid in sorted(kid_list)] + [(number[(node, j)], -1)]
                )
        ends: list[list[tuple[int, int]]] = [[] for _ in self.values]
        for equation, terms in enumerate(equations):
            for edge, coefficient in terms:
                ends[edge].append((equation, coefficient))
        # Sign the equations so that each number is +1 in one and -1 in the other.
        sign: dict[int, int] = {}
        touching: list[list[int]] = [[] for _ in equations]
        for edge, found in enumerate(ends):
            if len(found) > 2:
                raise ValueError("a number is in more than two equations: not a tree of tables")
            for equation, _ in found:
                touching[equation].append(edge)
        for start in range(len(equations)):
            if start in sign:
                continue
            sign[start] = 1
            frontier = [start]
            while frontier:
                equation = frontier.pop()
                for edge in touching[equation]:
                    found = ends[edge]
                    if len(found) < 2:
                        continue
                    (u, a), (v, b) = found
                    here, there, mine, theirs = (u, v, a, b) if u == equation else (v, u, b, a)
                    wanted = -sign[here] * mine * theirs
                    if there not in sign:
                        sign[there] = wanted
                        frontier.append(there)
                    elif sign[there] != wanted:  # pragma: no cover - tables always sign
                        raise ValueError("the equations of these tables are not a network")
        for found in ends:
            head, tail = _GROUND, _GROUND
            for equation, coefficient in found:
                if sign[equation] * coefficient > 0:
                    head = equation
                else:
                    tail = equation
            self.up.append((tail, head))


def _arcs(layout: _Network, edge: int, *, bounded: bool = True) -> list[tuple[int, int]]:
    """The directions a number may move by one, as arcs between its two equation nodes.

    A perturbation that keeps every equation is a circulation: a number moved up by one
    moves one unit of flow along its ``up`` arc. Up is possible below the number's upper
    bound (none, unless a reader knows one); down only from 2 or more, since every
    suppressed number is at least 1 (zeros are shown) and a reader knows it, and not below
    a lower bound a reader knows. ``bounded`` False ignores the bounds besides 1.
    """
    up = layout.up[edge]
    value = layout.values[edge]
    arcs = []
    if not bounded or value + 1 <= layout.high[edge]:
        arcs.append(up)
    if value - 1 >= (max(1, layout.low[edge]) if bounded else 1):
        arcs.append((up[1], up[0]))
    return arcs


def _directed(
    arcs: list[tuple[int, int]], up: tuple[int, int], direction: bool | None
) -> list[tuple[int, int]]:
    """The arcs of a number that move it ``direction`` (True up, False down, None either)."""
    if direction is None:
        return arcs
    return [arc for arc in arcs if (arc == up) == direction]


def _movable(layout: _Network, chosen: set[int], edge: int, direction: bool | None = None) -> bool:
    """Whether some other table agreeing with everything published differs in ``edge``.

    That is: whether one of the edge's arcs lies on a directed cycle of the suppressed
    numbers' arcs (the edge itself left out), so that the number can move by one while every
    published number stays and every suppressed one stays at least 1.
    """
    adjacency: dict[int, list[int]] = {}
    for other in chosen:
        if other != edge and other not in layout.frozen:
            for start, end in _arcs(layout, other):
                adjacency.setdefault(start, []).append(end)
    for start, end in _directed(_arcs(layout, edge), layout.up[edge], direction):
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


def _cheapest_cycle(
    layout: _Network, chosen: set[int], edge: int, direction: bool | None = None
) -> list[int]:
    """The unsuppressed numbers to suppress so that ``edge`` can move: those of the cheapest
    directed path closing a cycle through one of its arcs. Cheapest is, in turn: the fewest
    totals newly hidden (readers look at totals first), the smallest sum of counts, the
    fewest numbers; zeros are never used. Bounds a reader knows are kept where a cycle
    can keep them (a number bounded on both sides by what another table shows may have
    none that does)."""
    for frozen in (False, True):
        # Through a number with copies elsewhere only when nothing else will do.
        found = _cheapest(layout, chosen, edge, bounded=True, direction=direction, frozen=frozen)
        if found is not None:
            return found[0]
    # No cycle keeps the bounds: take one that breaks them, and hide the numbers that give
    # the bounds it breaks, so that a reader does not know them either.
    found = _cheapest(layout, chosen, edge, bounded=False, direction=direction, frozen=True)
    # Always found without bounds: moving a number up with its row total, column total and
    # the grand total (or the totals that repeat it) keeps every equation, and those totals
    # are not zero.
    assert found is not None
    path, moves = found
    hidden = list(path)
    for other, up in moves:
        value = layout.values[other]
        if up and value + 1 > layout.high[other]:
            hidden.extend(f for f in layout.above[other] if f not in chosen and layout.values[f])
        if not up and value - 1 < layout.low[other]:
            hidden.extend(f for f in layout.below[other] if f not in chosen and layout.values[f])
    return list(dict.fromkeys(hidden))


def _cheapest(
    layout: _Network,
    chosen: set[int],
    edge: int,
    *,
    bounded: bool,
    direction: bool | None,
    frozen: bool = False,
) -> tuple[list[int], list[tuple[int, bool]]] | None:
    """The cheapest cycle through ``edge``: the numbers to hide, and each number's move on it
    (True up)."""
    arcs: dict[int, list[tuple[int, int]]] = {}
    for other in range(len(layout.values)):
        if (
            other == edge
            or (other in layout.frozen and not frozen)
            or (other not in chosen and layout.values[other] == 0)
        ):
            continue
        for start, end in _arcs(layout, other, bounded=bounded):
            arcs.setdefault(start, []).append((end, other))
    Cost = tuple[int, int, int]
    best_path: tuple[Cost, list[int], list[tuple[int, bool]]] | None = None
    own = _directed(_arcs(layout, edge, bounded=bounded), layout.up[edge], direction)
    for start, end in own:
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
        moves: list[tuple[int, bool]] = [(edge, (start, end) == layout.up[edge])]
        node = start
        while node != end:
            following = node
            node, other = came[node]
            moves.append((other, (node, following) == layout.up[other]))
            if other not in chosen:
                path.append(other)
        if best_path is None or best[start] < best_path[0]:
            best_path = (best[start], path, moves)
    return (best_path[1], best_path[2]) if best_path is not None else None


def _protect(layout: _Network, chosen: set[int]) -> None:
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
            # A number with copies elsewhere is protected with them (see _protect_copies).
            if edge not in layout.frozen and not _movable(layout, chosen, edge):
                chosen.update(_cheapest_cycle(layout, chosen, edge))
            safe.add(edge)


def _protect_copies(layout: _Network, chosen: set[int], copies: Sequence[int]) -> bool:
    """Make the copies of one suppressed number able to move the same way together (each
    by a cycle of its own table, up if they can, else down); True if any was added."""
    for direction in (True, False):
        if all(_movable(layout, chosen, edge, direction) for edge in copies):
            return False
    before = len(chosen)
    for edge in copies:
        if not _movable(layout, chosen, edge, True):
            chosen.update(_cheapest_cycle(layout, chosen, edge, True))
    return len(chosen) > before


def _primary(layout: _Network, threshold: int) -> set[int]:
    return {edge for edge, value in enumerate(layout.values) if 1 <= value <= threshold}


def suppression_mask(
    counts: Sequence[Sequence[int]], threshold: int = 5, *, columns: int | None = None
) -> dict[tuple[int | None, int | None], bool]:
    """Which numbers of a table of counts are suppressed, by position.

    Keys are ``(row, column)`` with None for the totals, as :class:`Position`; the value is
    True where the number is suppressed. ``columns`` gives the width of a table with no rows.
    """
    width = columns if columns is not None else (len(counts[0]) if counts else 0)
    network = _Network(((counts, width),), ())
    chosen = _primary(network, threshold)
    _protect(network, chosen)
    return {position: edge in chosen for position, edge in network.index[0].items()}


def _publish(
    table: CountTable,
    index: dict[tuple[int | None, int | None], int],
    network: _Network,
    chosen: set[int],
    primary: set[int],
    policy: SuppressionPolicy,
) -> SuppressedTable:
    def shown(position: tuple[int | None, int | None]) -> int | None:
        edge = index[position]
        return None if edge in chosen else network.values[edge]

    r, c = len(table.row_keys), len(table.column_keys)
    mine = set(index.values())
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
        primary=len(primary & mine),
        secondary=len((chosen - primary) & mine),
    )


def suppress(table: CountTable, policy: SuppressionPolicy | None = None) -> SuppressedTable:
    """``table`` as it may be published under ``policy`` (the default policy when None).

    Small counts and the numbers that would reveal them are suppressed as the module
    docstring describes; a table with no count from 1 to the threshold is published whole.
    """
    return suppress_linked((table,), (), policy)[0]


def suppress_linked(
    tables: Sequence[CountTable],
    links: Iterable[Sequence[tuple[int, Position]]] = (),
    policy: SuppressionPolicy | None = None,
    *,
    forced: Iterable[tuple[int, Position]] = (),
    nestings: Iterable[Nesting] = (),
    at_most: Iterable[tuple[tuple[int, Position], tuple[int, Position]]] = (),
    headlines: Iterable[tuple[int, Position]] = (),
) -> tuple[SuppressedTable, ...]:
    """Suppress tables published together, consistently.

    ``nestings`` say which tables break down the rows of others (:class:`Nesting`: teams
    within service areas, service areas within the period's row of a trend): tables joined
    so are one system of equations, and a number they share is one number, protected
    exactly as a single table's are (see the module docstring). Each link is a group of
    ``(table index, position)`` naming the same quantity where no nesting says so (they
    must hold the same value): it is suppressed in all of them or in none. ``forced`` names
    numbers to suppress whatever their size (numbers another publication already hides, or
    numbers no publication shows). ``at_most`` are pairs of numbers, the first no more than
    the second, that a reader may know from what they count (the moderated audits of a
    grade are no more than the audits of that grade): a suppressed number is protected
    within the bounds they give, taken as known, or the number giving a bound is hidden
    too. ``headlines`` are numbers hidden to protect another only when no cell or other
    total will do (the period's grade counts). The numbers are protected, links'
    suppressions spread, and this is repeated until nothing changes; a linked number is
    hidden to protect another only when a total would be. With suppression off, nothing is
    suppressed.
    """
    chosen_policy = policy if policy is not None else SuppressionPolicy()
    network = _Network([(t.counts, len(t.column_keys)) for t in tables], tuple(nestings))
    groups = [tuple(group) for group in links]
    for group in groups:
        values = {tables[i].value(position) for i, position in group}
        if len(values) > 1:
            names = ", ".join(f"{tables[i].title!r} {position}" for i, position in group)
            raise ValueError(f"linked numbers differ ({sorted(values)}): {names}")
    linked = [
        sorted({network.index[i][(position.row, position.column)] for i, position in group})
        for group in groups
    ]
    for edges in linked:
        if len(edges) > 1:
            network.frozen.update(edges)
    for i, position in headlines:
        network.totals[network.index[i][(position.row, position.column)]] = 2
    for (i, smaller), (j, larger) in at_most:
        a = network.index[i][(smaller.row, smaller.column)]
        b = network.index[j][(larger.row, larger.column)]
        network.high[a] = min(network.high[a], network.values[b])
        network.above[a].append(b)
        network.low[b] = max(network.low[b], network.values[a])
        network.below[b].append(a)
    for edges in linked:
        # A number several tables show is a headline (the period's grade counts): hide it
        # to protect another only as a total would be, when no cells will do.
        if len(edges) > 1:
            for edge in edges:
                network.totals[edge] = max(network.totals[edge], 1)
    if not chosen_policy.enabled:
        return tuple(
            _publish(t, index, network, set(), set(), chosen_policy)
            for t, index in zip(tables, network.index, strict=True)
        )
    primary = _primary(network, chosen_policy.threshold)
    chosen = set(primary)
    for i, position in forced:
        edge = network.index[i][(position.row, position.column)]
        # A forced zero stays shown: it hides nothing, and zeros never close a cycle.
        if network.values[edge]:
            chosen.add(edge)
    changed = True
    while changed:
        changed = False
        _protect(network, chosen)
        for edges in linked:
            if any(e in chosen for e in edges) and not all(e in chosen for e in edges):
                chosen.update(edges)
                changed = True
        for edges in linked:
            if len(edges) > 1 and edges[0] in chosen:
                changed |= _protect_copies(network, chosen, edges)
    return tuple(
        _publish(t, index, network, chosen, primary, chosen_policy)
        for t, index in zip(tables, network.index, strict=True)
    )
