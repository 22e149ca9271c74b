"""Suppressing tables: one table (:func:`suppress`), tables published together
(:func:`suppress_linked`), and a mask of plain counts (:func:`suppression_mask`). See
:mod:`qaframework.engine.suppression`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qaframework.engine.suppression.network import _Network, _primary, _protect, _protect_copies
from qaframework.engine.suppression.tables import (
    CountTable,
    Nesting,
    Position,
    SuppressedTable,
    SuppressionPolicy,
)

__all__ = ["suppress", "suppress_linked", "suppression_mask"]


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
    loose_totals: Iterable[int] = (),
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
    total will do (the period's grade counts). ``loose_totals`` are tables whose row totals
    count one thing several times (a judgement with notes of both kinds): each cell is
    bounded by ``at_most`` but the row's total only by a multiple of that bound, which
    protection does not model, so a row's total is hidden whenever a cell of the row is
    (and protected in its turn). The numbers are protected, links'
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
    loose = [
        [
            (index[(row, None)], [index[(row, c)] for c in range(columns)])
            for row in range(len(tables[i].row_keys))
        ]
        for i in loose_totals
        for index, columns in [(network.index[i], len(tables[i].column_keys))]
    ]
    changed = True
    while changed:
        changed = False
        _protect(network, chosen)
        for rows in loose:
            for total, cells in rows:
                if total not in chosen and network.values[total] and chosen.intersection(cells):
                    chosen.add(total)
                    changed = True
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
