"""The algorithm of small-number suppression on plain numbers: the tables' equations as a
graph, and the cycles that keep a suppressed number protected (see
:mod:`qaframework.engine.suppression`)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

from qaframework.engine.suppression.tables import Nesting

__all__: list[str] = []

_GROUND = -1


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
        self._all_arcs: dict[tuple[bool, bool], dict[int, list[tuple[int, int]]]] = {}
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

    def all_arcs(self, *, bounded: bool, frozen: bool) -> dict[int, list[tuple[int, int]]]:
        """The arcs of every number (``frozen`` False: those with copies elsewhere left out),
        by the node they leave, each with its number, in the numbers' order (see
        :func:`_arcs`). Built once per kind: a network's numbers and bounds are set before
        it is protected and do not change after."""
        key = (bounded, frozen)
        found = self._all_arcs.get(key)
        if found is None:
            found = self._all_arcs[key] = {}
            for other in range(len(self.values)):
                if other in self.frozen and not frozen:
                    continue
                for start, end in _arcs(self, other, bounded=bounded):
                    found.setdefault(start, []).append((end, other))
        return found


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
    # Every number's arcs (those with copies elsewhere left out), walked through the
    # suppressed ones only.
    arcs = layout.all_arcs(bounded=True, frozen=False)
    for start, end in _directed(_arcs(layout, edge), layout.up[edge], direction):
        # The arc start -> end closes a cycle when end reaches start.
        seen = {end}
        frontier = [end]
        while frontier:
            node = frontier.pop()
            if node == start:
                return True
            for following, other in arcs.get(node, ()):
                if other != edge and other in chosen and following not in seen:
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
    arcs = layout.all_arcs(bounded=bounded, frozen=frozen)
    values = layout.values
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
                if other == edge:
                    continue
                step = cost
                if other not in chosen:
                    if not values[other]:
                        # Zeros are shown, and never close a cycle.
                        continue
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
        # Most are found movable at once (see _movable_at_once), and stay movable as more
        # are hidden, so checking each alone (a search of the suppressed numbers each) is
        # spared for them. The rest are checked in the same order as before, so the same
        # cycles are added.
        if _AT_ONCE:
            safe.update(_movable_at_once(layout, chosen))
        for edge in pending:
            if edge in safe:
                continue
            # A number with copies elsewhere is protected with them (see _protect_copies).
            if edge not in layout.frozen and not _movable(layout, chosen, edge):
                chosen.update(_cheapest_cycle(layout, chosen, edge))
            safe.add(edge)


_AT_ONCE = True
"""Whether :func:`_protect` first finds the numbers that can move in one pass (the tests
compare it with checking each number alone)."""


def _movable_at_once(layout: _Network, chosen: set[int]) -> set[int]:
    """Suppressed numbers (copies elsewhere left out) that :func:`_movable` finds movable,
    found for all at once: a number that can move one way only (a 1 can only go up) when
    its two equations are in one strongly connected component of the suppressed numbers'
    arcs (a path back from its arc's end to its start cannot use the arc itself), and one
    that can move both ways when it is not a bridge of the graph of such numbers (it lies
    on a cycle of numbers that can each move either way). Others are left to be checked
    one by one. Both found in passes that grow with the suppressed numbers, without
    recursion."""
    one_way: list[tuple[int, int, int]] = []
    forward: dict[int, list[int]] = {}
    adjacent: dict[int, list[tuple[int, int]]] = {}
    for edge in chosen:
        if edge in layout.frozen:
            continue
        arcs = _arcs(layout, edge)
        for start, end in arcs:
            forward.setdefault(start, []).append(end)
            forward.setdefault(end, [])
        if len(arcs) == 1:
            one_way.append((edge, *arcs[0]))
        elif len(arcs) == 2:
            a, b = layout.up[edge]
            adjacent.setdefault(a, []).append((b, edge))
            adjacent.setdefault(b, []).append((a, edge))
    component = _components(forward)
    found = {edge for edge, start, end in one_way if component[start] == component[end]}
    return found | (
        {edge for linked in adjacent.values() for _, edge in linked} - _bridges(adjacent)
    )


def _components(forward: dict[int, list[int]]) -> dict[int, int]:
    """Each node's strongly connected component (Tarjan's algorithm, walked iteratively)."""
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    component: dict[int, int] = {}
    on_stack: list[int] = []
    held: set[int] = set()
    for root in forward:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        on_stack.append(root)
        held.add(root)
        stack: list[tuple[int, int]] = [(root, 0)]
        while stack:
            node, at = stack[-1]
            following_nodes = forward[node]
            if at < len(following_nodes):
                stack[-1] = (node, at + 1)
                following = following_nodes[at]
                if following not in order:
                    order[following] = low[following] = len(order)
                    on_stack.append(following)
                    held.add(following)
                    stack.append((following, 0))
                elif following in held:
                    low[node] = min(low[node], order[following])
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                while True:
                    member = on_stack.pop()
                    held.discard(member)
                    component[member] = node
                    if member == node:
                        break
    return component


def _bridges(adjacent: dict[int, list[tuple[int, int]]]) -> set[int]:
    """The bridges of an undirected multigraph given as each node's (neighbour, edge)
    (Tarjan's lowpoints, walked iteratively; parallel edges kept apart)."""
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges: set[int] = set()
    for root in adjacent:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        # Each frame: the node, the edge it was entered by, where its walk is.
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]
        while stack:
            node, entered_by, at = stack[-1]
            neighbours = adjacent[node]
            if at < len(neighbours):
                stack[-1] = (node, entered_by, at + 1)
                following, edge = neighbours[at]
                if edge == entered_by:
                    continue
                if following in order:
                    low[node] = min(low[node], order[following])
                else:
                    order[following] = low[following] = len(order)
                    stack.append((following, edge, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.add(entered_by)
    return bridges


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
