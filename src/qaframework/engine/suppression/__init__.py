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

from qaframework.engine.suppression.linked import (
    suppress,
    suppress_linked,
    suppression_mask,
)
from qaframework.engine.suppression.tables import (
    SUPPRESSED,
    CountTable,
    Nesting,
    Position,
    SuppressedTable,
    SuppressionPolicy,
)

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
