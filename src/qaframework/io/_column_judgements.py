"""The columnar fast path's judgements: each practice standard's judgement of every row kept.

While judgements repeat (an export whose notes come from a few templates), each distinct one
(the version in force, the grade and the notes) is made once, found by polars on one key a
row, and shared by every row that gives it, across slices, up to the cache limit. When they
do not (an export whose notes all differ, as a council's do) the rest of the load makes each
row's judgement from its cells directly, as the row engine's fast path does: the same
values, without keying every row by its whole text, then splitting that key again and
looking it up for nothing. They are taken not to repeat when a standard's rows in one slice
give at least :data:`~qaframework.io._fast_rows.SHARING_WINDOW` distinct judgements, more
than half as many as the rows grading it, or when, the table being full, a window of that many
lookups finds fewer than half of them there (the row engine's rule).
"""

from __future__ import annotations

import functools
import operator
from collections import deque
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from typing import TYPE_CHECKING, Any

from qaframework.engine.audits import Judgement
from qaframework.io import _fast_rows

if TYPE_CHECKING:
    import polars as pl

    from qaframework.engine.audits import AuditCheck

# The character joining a row's cells into one key, and the one standing for an absent cell:
# control characters, which no cell the columnar path builds from can hold.
_JOIN = "\x00"
_ABSENT = "\x01"
_UNKNOWN: Any = object()
_NOTES = ("rationale", "strengths", "would_improve")

Shape = tuple[Any, bool, bool, bool]
"""A judgement's shape, all its check reads of it: its grade and whether each note is written."""

Shapes = tuple[list["Shape | None"], "pl.Series"]
"""Shapes by number (None: no judgement), and each row's number."""

Judged = tuple[str, list[Judgement | None], "pl.Series | None", Shapes | None]
"""A standard, its judgements, each row's code among them (None: a judgement a row, whose
shapes come last)."""

_WRITTEN = functools.partial(operator.is_not, None)


class JudgementTables:
    """Each standard's judgements made so far in one load, and whether they are still
    looked up (see the module's docstring)."""

    def __init__(self, limit: int, notes: dict[Any, Any]) -> None:
        self.limit = limit
        self.notes = notes
        self.known: dict[str, dict[str, Judgement | None]] = {}
        self.remembered = 0
        # Whether judgements are still shared: ended by the rows of a slice (see
        # :meth:`build`), or by the full table's lookups.
        self.window = _fast_rows.SharingWindow()

    def build(
        self,
        rows: pl.DataFrame,
        judged: Sequence[tuple[str, dict[str, str], Any]],
        converted: dict[str, list[dict[str | None, str | None]]],
        codes: Callable[[str], list[Any]],
    ) -> list[Judged]:
        """Each standard's judgements of ``rows`` (``judged``: the reader's standards and
        their columns; ``converted``: each grade column's readings by version; ``codes``:
        a grade column's codes, a row each)."""
        import polars as pl

        found: list[Judged] = []
        keyed: pl.DataFrame | None = None
        orders = [["grade", *(p for p in columns if p != "grade")] for _, columns, _ in judged]
        if self.window.sharing and judged:

            def cell(column: str) -> pl.Expr:
                return pl.col(column).cast(pl.String).fill_null(_ABSENT)

            keyed = rows.select(
                [
                    pl.concat_str(
                        [cell("\x00version"), *(cell(columns[p]) for p in order)],
                        separator=_JOIN,
                    ).alias(str(i))
                    for i, ((_, columns, _), order) in enumerate(zip(judged, orders, strict=True))
                ]
            )
        for i, ((standard, columns, _), order) in enumerate(zip(judged, orders, strict=True)):
            if keyed is not None and self.window.sharing:
                keys = keyed.get_column(str(i))
                distinct = keys.unique(maintain_order=True)
                # Compared with the rows that grade the standard (those that do not share
                # a key, one a version).
                graded = len(keys) - rows.get_column(columns["grade"]).null_count()
                if len(distinct) < _fast_rows.SHARING_WINDOW or len(distinct) * 2 <= graded:
                    tables = converted[columns["grade"]]
                    found.append(self._keyed(standard, order, keys, distinct.to_list(), tables))
                    continue
                self.window.sharing = False  # the rows' judgements barely repeat
            found.append(self._direct(standard, columns, rows, codes))
        return found

    def _direct(
        self,
        standard: str,
        columns: dict[str, str],
        rows: pl.DataFrame,
        codes: Callable[[str], list[Any]],
    ) -> Judged:
        """Every row's judgement of ``standard`` made from its cells (None where the row
        grades none: a kept row without a grade has no note either), and its shape."""
        grades = codes(columns["grade"])
        notes = [
            rows.get_column(columns[part]).to_list() if part in columns else [None] * len(grades)
            for part in _NOTES
        ]
        # The graded rows' judgements made in one pass and put in their places, no Python
        # code a row but the judgements' own.
        graded = list(map(_WRITTEN, grades))
        made: list[Judgement | None] = [None] * len(grades)
        deque(
            map(
                made.__setitem__,
                compress(range(len(grades)), graded),
                map(
                    Judgement,
                    repeat(standard),
                    compress(grades, graded),
                    *(compress(cells, graded) for cells in notes),
                ),
            ),
            maxlen=0,
        )
        return standard, made, None, self._row_shapes(columns, rows, grades)

    @staticmethod
    def _row_shapes(columns: dict[str, str], rows: pl.DataFrame, grades: list[Any]) -> Shapes:
        """Each row's shape, numbered ``8 * g + w``: ``g`` the grade's place among the
        slice's grades (0: none), ``w`` a bit for each note written (found by polars)."""
        import polars as pl

        places: dict[Any, int] = {None: 0}
        for grade in dict.fromkeys(grades):
            places.setdefault(grade, len(places))
        written = pl.lit(0, dtype=pl.UInt64)
        for bit, part in enumerate(_NOTES):
            if part in columns:
                written = written + pl.col(columns[part]).is_not_null().cast(pl.UInt64) * (1 << bit)
        numbers = pl.Series(list(map(places.__getitem__, grades)), dtype=pl.UInt64) * 8
        numbers = numbers + rows.select(written.alias("w")).to_series()
        by_number: list[Shape | None] = [None] * (8 * len(places))
        for grade, place in places.items():
            if grade is not None:
                for bits in range(8):
                    by_number[8 * place + bits] = (
                        grade,
                        bool(bits & 1),
                        bool(bits & 2),
                        bool(bits & 4),
                    )
        return by_number, numbers

    def _keyed(
        self,
        standard: str,
        order: list[str],
        keys: pl.Series,
        distinct: list[str],
        tables: list[dict[str | None, str | None]],
    ) -> Judged:
        """The ``distinct`` judgements of ``standard`` among ``keys`` (a row's version,
        grade and notes joined), each made once, and each row's code among them."""
        import polars as pl

        notes = self.notes
        limit = self.limit
        made: list[Judgement | None] = []
        # The judgements of earlier slices are used again.
        known = self.known.setdefault(standard, {})
        full = self.remembered >= limit
        unknown = 0
        for key in distinct:
            judgement = known.get(key, _UNKNOWN)
            if judgement is _UNKNOWN:
                unknown += 1
                version, grade, *texts = [None if p == _ABSENT else p for p in key.split(_JOIN)]
                code = None if grade is None or version is None else tables[int(version)][grade]
                judgement = (
                    None
                    if code is None
                    else Judgement(
                        standard,
                        code,
                        **{
                            p: None if n is None else _one(notes, n, limit)
                            for p, n in zip(order[1:], texts, strict=True)
                        },
                    )
                )
                if self.remembered < limit:
                    known[key] = judgement
                    self.remembered += 1
            made.append(judgement)
        if full:
            self.window.count(len(distinct), unknown)
        coded = keys.replace_strict(distinct, list(range(len(distinct))), return_dtype=pl.UInt32)
        return standard, made, coded, None


def shape_passes(check: AuditCheck, activity: str, standard: str, shape: Shape) -> bool:
    """Whether a judgement of ``standard`` with this ``shape`` passes ``check`` in an audit of
    ``activity`` (:meth:`~qaframework.engine.audits.AuditCheck.judgement_passes` of one such
    judgement, its written notes standing in for any text)."""
    grade, rationale, strengths, would_improve = shape
    judgement = Judgement(
        standard,
        grade,
        "x" if rationale else None,
        "x" if strengths else None,
        "x" if would_improve else None,
    )
    return check.judgement_passes(activity, judgement)


def shapes_of(judged: Judged) -> Shapes:
    """A standard's shapes of judgements by number and each row's number: numbered from
    its distinct judgements in turn, or as :meth:`JudgementTables._direct` numbered them."""
    import polars as pl

    _standard, made, coded, shapes = judged
    if shapes is not None:
        return shapes
    numbers: dict[Shape, int] = {}
    number_of = [
        0
        if j is None
        else numbers.setdefault(
            (
                j.grade,
                j.rationale is not None,
                j.strengths is not None,
                j.would_improve is not None,
            ),
            len(numbers) + 1,
        )
        for j in made
    ]
    per_row = pl.Series(number_of, dtype=pl.UInt64)
    return [None, *numbers], per_row if coded is None else per_row.gather(coded)


def _shared(pool: dict[Any, Any], values: list[Any], limit: int) -> list[Any]:
    """``values`` with each one held in ``pool`` replaced by the pool's equal object; new
    values are added while the pool holds fewer than ``limit``."""
    room = limit - len(pool)
    if room >= len(values):
        return list(map(pool.setdefault, values, values))
    if room <= 0:
        return list(map(pool.get, values, values))
    return [_one(pool, value, limit) for value in values]


def _one(pool: dict[Any, Any], value: Any, limit: int) -> Any:
    """:func:`_shared` for one value."""
    found = pool.get(value)
    if found is not None:
        return found
    if len(pool) < limit:
        pool[value] = value
    return value
