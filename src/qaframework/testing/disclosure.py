"""The disclosure audit: can a reader work a suppressed count out of a published report?

A published cycle report (:class:`~qaframework.engine.report.PublishedCycleReport`) shows
some counts and hides others as ``c``. A reader who wants a hidden count has every number
the report publishes, every relation between them that holds whatever the data (a row adds
up to its total, the teams of a service area add up to it, the period's grades are the last
row of the trend, a share is a count over a total, a change is a difference of two rows) and
the knowledge that a hidden count is a whole number of at least 1 (zeros are shown).
:func:`audit_report` states all of that as an integer linear program and asks a real solver
(HiGHS, through ``highspy``) for the smallest and the largest value each hidden count can
take. A count whose smallest and largest values are the same is disclosed: the reader can
solve for it exactly.

:func:`audit_tables` does the same for plain tables (:class:`SuppressedTable` values) and
equations between their numbers, for tests of the suppression engine itself.

What is modelled, for a report (each an equation unless said):

- every table: each row adds up to its total, each column to its total, the totals to the
  grand total (a table of one row or one column repeats its cells as totals);
- the period's grades: the one row of the overall table is the column totals of the team
  and service-area tables and the last row of the trend;
- team within service area: the team rows of each service area add up to its row (a team
  whose audits were in several service areas has a row in each, as ``team_areas`` says);
  for a report whose team rows are whole teams, an unpublished count per team, area and
  grade, 0 or more, whose sums are the team's row and the area's row;
- activities: the graded activities' audits add up to the period's graded audits (an
  activity with graded and ungraded audits contributes an unpublished part, 0 to all);
- shares (a count and a total), changes (differences of the trend's last two rows), the
  moderation figures (agreed, upgrades, downgrades: sums of the agreement table; the share
  moderated), the learning themes (a standard's judgements and those below good);
- compliance by checklist item and grades on the other scales: each row adds up to its
  activity's audits (its row of the activities' table); an item's compliance is its yes
  answers over its yes and no answers, a scale's share good or better its good grades over
  its grades;
- inequalities: a standard's judgements and its notes are no more than the period's audits
  and judgements; moderated grades are no more than the period's grades; actions verified
  are no more than those done; overdue and open totals are no fewer than the period's.

The reader is assumed to know which team is in which service area and which activities
grade practice: ``team_areas`` and the activities are read from the report itself
(:attr:`~qaframework.engine.report.PublishedCycleReport.team_areas`), or given.

:func:`child_ids_in` is the other check a published output must pass: it finds children's
ids in its text however they are written.

Needs ``highspy`` (a development dependency of qaframework, not a dependency of the
library): it is imported when an audit runs.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from qaframework.engine.report.notes import child_id_key, child_id_spans
from qaframework.engine.suppression import Position, SuppressedTable

if TYPE_CHECKING:
    from qaframework.engine.report import PublishedCycleReport, Share

__all__ = [
    "CellInterval",
    "DisclosureAudit",
    "Equation",
    "audit_report",
    "audit_tables",
    "child_ids_in",
]

_TOLERANCE = 1e-6


@attrs.frozen
class CellInterval:
    """What a reader can learn about one suppressed number: the smallest and the largest
    value it can take (``math.inf`` when nothing bounds it above).

    ``name`` says which number: the table's title, then the row and column labels
    (``Total`` for a total).
    """

    name: str
    low: float
    high: float

    @property
    def disclosed(self) -> bool:
        """Whether the number has a single feasible value: the reader knows it."""
        return self.high - self.low < _TOLERANCE


@attrs.frozen
class DisclosureAudit:
    """The result of :func:`audit_report` or :func:`audit_tables`.

    ``intervals`` has one entry per suppressed number, in the order the tables list them.
    ``feasible`` is False when the published numbers contradict the relations modelled
    (a bug in the model or in the report: every other field is then empty).
    """

    feasible: bool
    intervals: tuple[CellInterval, ...]

    @property
    def suppressed(self) -> int:
        """How many suppressed numbers were audited."""
        return len(self.intervals)

    @property
    def disclosed(self) -> tuple[CellInterval, ...]:
        """The suppressed numbers a reader can solve for exactly."""
        return tuple(i for i in self.intervals if i.disclosed)

    def narrowest(self, count: int = 5) -> tuple[CellInterval, ...]:
        """The ``count`` suppressed numbers a reader can bound most tightly."""
        return tuple(sorted(self.intervals, key=lambda i: (i.high - i.low, i.name))[:count])


@attrs.frozen
class Equation:
    """A relation between numbers of the tables given to :func:`audit_tables`:
    ``sum(coefficient * number) == rhs`` (or ``<=`` when ``at_most``).

    Each term names a number as ``(table index, position)``.
    """

    terms: tuple[tuple[float, int, Position], ...]
    rhs: float = 0.0
    at_most: bool = False


# ---------------------------------------------------------------------------------------------
# The linear program
# ---------------------------------------------------------------------------------------------

Term = dict[int, float]  # variable index -> coefficient


class _Expression:
    """A linear expression: variables with coefficients, and a constant."""

    __slots__ = ("constant", "terms")

    def __init__(self, terms: Term | None = None, constant: float = 0.0) -> None:
        self.terms: Term = dict(terms or {})
        self.constant = constant

    def add(self, other: _Expression, factor: float = 1.0) -> _Expression:
        for variable, coefficient in other.terms.items():
            self.terms[variable] = self.terms.get(variable, 0.0) + factor * coefficient
        self.constant += factor * other.constant
        return self


def _sum(expressions: Iterable[_Expression]) -> _Expression:
    total = _Expression()
    for expression in expressions:
        total.add(expression)
    return total


class _Model:
    """Variables (each suppressed or unpublished number) and linear relations between them."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.names: list[str] = []
        self.audited: list[int] = []
        self.rows: list[tuple[float, float, Term]] = []
        self.contradictions: list[str] = []

    def variable(
        self, name: str, lower: float, *, audited: bool, upper: float = math.inf
    ) -> _Expression:
        index = len(self.lower)
        self.lower.append(lower)
        self.upper.append(upper)
        self.names.append(name)
        if audited:
            self.audited.append(index)
        return _Expression({index: 1.0})

    def number(self, name: str, value: float | None) -> _Expression:
        """A published number: its value, or a variable of at least 1 where suppressed."""
        if value is None:
            return self.variable(name, 1.0, audited=True)
        return _Expression(constant=float(value))

    def small(self, name: str, value: int | None, threshold: int | None) -> _Expression:
        """A count published on its own: its value, or where suppressed a variable from 1
        to the threshold (a count on its own is suppressed only for being small)."""
        if value is None and threshold is not None:
            # Alone, a count from 1 to the threshold (to 2 at a threshold of 1) is hidden.
            return self.variable(name, 1.0, audited=True, upper=float(max(threshold, 2)))
        return self.number(name, value)

    def unknown(self, name: str) -> _Expression:
        """A number the report does not publish at all: 0 or more."""
        return self.variable(name, 0.0, audited=False)

    def equal(self, left: _Expression, right: _Expression, why: str) -> None:
        self._relation(left, right, why, at_most=False)

    def at_most(self, left: _Expression, right: _Expression, why: str) -> None:
        self._relation(left, right, why, at_most=True)

    def _relation(self, left: _Expression, right: _Expression, why: str, *, at_most: bool) -> None:
        difference = _Expression().add(left).add(right, -1.0)
        terms = {v: c for v, c in difference.terms.items() if abs(c) > 1e-12}
        rhs = -difference.constant
        if not terms:
            holds = rhs >= -_TOLERANCE if at_most else abs(rhs) < _TOLERANCE
            if not holds:
                self.contradictions.append(why)
            return
        self.rows.append((-math.inf if at_most else rhs, rhs, terms))

    def solve(self, *, integer: bool = True) -> DisclosureAudit:
        if self.contradictions:
            return DisclosureAudit(False, ())
        highspy = _highspy()
        solver = _solver(highspy)
        infinity = highspy.kHighsInf
        count = len(self.lower)
        if count:
            import numpy as np

            solver.addVars(
                count,
                np.array(self.lower, dtype=float),
                np.array([infinity if u == math.inf else u for u in self.upper], dtype=float),
            )
            if integer:
                solver.changeColsIntegrality(
                    count,
                    np.arange(count, dtype=np.int32),
                    np.full(count, highspy.HighsVarType.kInteger),
                )
            for low, high, terms in self.rows:
                indices = np.array(list(terms), dtype=np.int32)
                values = np.array(list(terms.values()), dtype=float)
                solver.addRow(
                    -infinity if low == -math.inf else low, high, len(terms), indices, values
                )
        solver.run()
        if solver.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            return DisclosureAudit(False, ())
        intervals: list[CellInterval] = []
        for index in self.audited:
            solver.changeColCost(index, 1.0)
            bounds = []
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                solver.changeObjectiveSense(sense)
                solver.run()
                status = solver.getModelStatus()
                if status == highspy.HighsModelStatus.kOptimal:
                    bounds.append(solver.getInfo().objective_function_value)
                elif status in (
                    highspy.HighsModelStatus.kUnbounded,
                    highspy.HighsModelStatus.kUnboundedOrInfeasible,
                ):
                    # Feasible (checked above), so unbounded.
                    bounds.append(math.inf if sense == highspy.ObjSense.kMaximize else -math.inf)
                elif status == highspy.HighsModelStatus.kInfeasible:
                    return DisclosureAudit(False, ())
                else:  # pragma: no cover - HiGHS answers these small programs
                    raise RuntimeError(f"HiGHS could not solve the disclosure audit: {status}")
            solver.changeColCost(index, 0.0)
            intervals.append(CellInterval(self.names[index], bounds[0], bounds[1]))
        return DisclosureAudit(True, tuple(intervals))


def _highspy() -> Any:
    try:
        import highspy
    except ImportError as error:  # pragma: no cover - a development dependency
        raise ImportError(
            "the disclosure audit needs highspy (pip install highspy): it solves linear "
            "programs with HiGHS"
        ) from error
    global _FORK_SAFE
    if not _FORK_SAFE and hasattr(os, "register_at_fork"):
        # HiGHS keeps a pool of worker threads; a process forked while they exist has
        # none of them and waits for them for ever. Stop them before each fork: HiGHS
        # starts them again when it next solves.
        os.register_at_fork(before=lambda: highspy.Highs.resetGlobalScheduler(True))
        _FORK_SAFE = True
    return highspy


_FORK_SAFE = False


_QUIET = False


def _solver(highspy: Any) -> Any:
    """A HiGHS instance that prints nothing (its first instance prints a banner on the
    standard output of the process, which is silenced)."""
    global _QUIET
    if _QUIET:
        solver = highspy.Highs()
    else:
        with _silenced():
            solver = highspy.Highs()
        _QUIET = True
    solver.setOptionValue("output_flag", False)
    return solver


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(descriptor)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), descriptor)
        yield
    finally:
        os.dup2(saved, descriptor)
        os.close(saved)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


class _Table:
    """The numbers of one published table as expressions, with its own equations added."""

    def __init__(self, model: _Model, table: SuppressedTable, name: str | None = None) -> None:
        self.table = table
        title = name or table.title
        rows, columns = len(table.row_keys), len(table.column_keys)
        self.cells = [
            [
                model.number(
                    f"{title} / {table.row_labels[r]} / {table.column_labels[c]}",
                    table.cells[r][c],
                )
                for c in range(columns)
            ]
            for r in range(rows)
        ]
        # A total that repeats a cell (one row, or one column) is the same number.
        self.row_totals = [
            self.cells[r][0]
            if columns == 1
            else model.number(f"{title} / {table.row_labels[r]} / Total", table.row_totals[r])
            for r in range(rows)
        ]
        self.column_totals = [
            self.cells[0][c]
            if rows == 1
            else model.number(f"{title} / Total / {table.column_labels[c]}", table.column_totals[c])
            for c in range(columns)
        ]
        if rows == 1 and columns >= 1:
            self.total = self.row_totals[0]
        elif columns == 1 and rows >= 1:
            self.total = self.column_totals[0]
        else:
            self.total = model.number(f"{title} / Total / Total", table.total)
        for r in range(rows):
            if columns > 1:
                model.equal(_sum(self.cells[r]), self.row_totals[r], f"{title} row {r}")
        for c in range(columns):
            if rows > 1:
                model.equal(
                    _sum(self.cells[r][c] for r in range(rows)),
                    self.column_totals[c],
                    f"{title} column {c}",
                )
        if rows != 1 and columns != 1:
            model.equal(_sum(self.row_totals), self.total, f"{title} row totals")
            model.equal(_sum(self.column_totals), self.total, f"{title} column totals")

    def at(self, position: Position) -> _Expression:
        if position.row is None:
            if position.column is None:
                return self.total
            return self.column_totals[position.column]
        if position.column is None:
            return self.row_totals[position.row]
        return self.cells[position.row][position.column]

    def row_sum(self, row: int | None, columns: Iterable[int]) -> _Expression:
        return _sum(self.at(Position(row, c)) for c in columns)


def audit_tables(
    tables: Sequence[SuppressedTable], equations: Iterable[Equation] = (), *, integer: bool = True
) -> DisclosureAudit:
    """The disclosure audit of ``tables`` as published: each table's own equations, and
    ``equations`` between their numbers (the same number in two tables, a team's row within
    its service area's). ``integer`` as :func:`audit_report`'s."""
    model = _Model()
    built = [_Table(model, table, f"{index}: {table.title}") for index, table in enumerate(tables)]
    for number, equation in enumerate(equations):
        left = _sum(
            _Expression().add(built[table].at(position), coefficient)
            for coefficient, table, position in equation.terms
        )
        right = _Expression(constant=equation.rhs)
        if equation.at_most:
            model.at_most(left, right, f"equation {number}")
        else:
            model.equal(left, right, f"equation {number}")
    return model.solve(integer=integer)


# ---------------------------------------------------------------------------------------------
# A published cycle report
# ---------------------------------------------------------------------------------------------


def _share(
    model: _Model, share: Share | None, count: _Expression, total: _Expression, why: str
) -> None:
    if share is None:
        return
    model.equal(count, _Expression(constant=share.count), f"{why}: share count")
    model.equal(total, _Expression(constant=share.total), f"{why}: share total")


def _optional_count(model: _Model, name: str, value: int | None) -> _Expression:
    return model.number(name, value)


def audit_report(
    published: PublishedCycleReport,
    *,
    team_areas: Iterable[tuple[str | None, str | None]] | None = None,
    graded_activities: Iterable[str | None] | None = None,
    ungraded_activities: Iterable[str | None] | None = None,
    integer: bool = True,
) -> DisclosureAudit:
    """The disclosure audit of a published cycle report (see the module docstring).

    ``team_areas`` are the (team, service area) pairs of the period's graded audits and
    ``graded_activities`` and ``ungraded_activities`` the activities with graded and with
    ungraded audits in the period; each is read from the report when None. ``integer``
    True (the default) asks for whole counts, as a reader knows them to be (a mixed integer
    program); False solves the linear relaxation, which can only find wider intervals.
    """
    pairs = tuple(team_areas if team_areas is not None else getattr(published, "team_areas", ()))
    graded = set(
        graded_activities
        if graded_activities is not None
        else getattr(published, "graded_activities", ())
    )
    ungraded = set(
        ungraded_activities
        if ungraded_activities is not None
        else getattr(published, "ungraded_activities", ())
    )
    model = _Model()
    threshold = published.policy.threshold if published.policy.enabled else None
    good = [i for i, g in enumerate(published.grades) if g.good_or_better]
    below = [i for i in range(len(published.grades)) if i not in good]
    grades = range(len(published.grades))

    overall = _Table(model, published.overall.table)
    by_team = _Table(model, published.by_team.table)
    by_area = _Table(model, published.by_service_area.table)
    trend = _Table(model, published.trend.table)
    by_standard = _Table(model, published.by_standard.table)
    by_activity = _Table(model, published.by_activity)
    matrix = _Table(model, published.moderation.matrix)
    by_rule = _Table(model, published.escalations.by_rule)
    actions = _Table(model, published.actions.by_team)
    notes_table = getattr(published, "notes_written", None)
    notes = _Table(model, notes_table) if notes_table is not None else None

    # The period's grades, in every table that shows them.
    current = len(published.trend.table.row_keys) - 1
    for g in (*grades, None):
        here = overall.at(Position(0, g)) if overall.table.row_keys else _Expression()
        model.equal(here, by_team.at(Position(None, g)), f"teams' total {g}")
        model.equal(here, by_area.at(Position(None, g)), f"areas' total {g}")
        if current >= 0:
            model.equal(here, trend.at(Position(current, g)), f"trend's last row {g}")
    audits = overall.at(Position(0, None))
    if published.audits is not None:
        model.equal(audits, _Expression(constant=published.audits), "audits")

    # Team within service area.
    team_keys = published.by_team.table.row_keys
    team_rows = {key: i for i, key in enumerate(team_keys)}
    area_rows = {key: i for i, key in enumerate(published.by_service_area.table.row_keys)}
    if pairs and tuple(team for team, _area in pairs) == tuple(team_keys):
        # A row per team within each of its service areas: the rows add up to the areas'.
        for area, row in area_rows.items():
            for g in (*grades, None):
                parts = [by_team.at(Position(i, g)) for i, (_t, a) in enumerate(pairs) if a == area]
                model.equal(_sum(parts), by_area.at(Position(row, g)), f"area {area} {g}")
    elif pairs:
        split: dict[tuple[str | None, str | None], list[_Expression]] = {}
        for team, area in pairs:
            split[(team, area)] = [
                model.unknown(f"team {team} in {area} / {published.grades[g].label}")
                for g in grades
            ]
        for team, row in team_rows.items():
            for g in grades:
                parts = [cells[g] for (t, _a), cells in split.items() if t == team]
                model.equal(_sum(parts), by_team.at(Position(row, g)), f"team {team} {g}")
        for area, row in area_rows.items():
            for g in grades:
                parts = [cells[g] for (_t, a), cells in split.items() if a == area]
                model.equal(_sum(parts), by_area.at(Position(row, g)), f"area {area} {g}")

    # Activities: the graded activities' audits are the period's graded audits.
    if graded or ungraded:
        parts = []
        for row, key in enumerate(published.by_activity.row_keys):
            count = by_activity.at(Position(row, None))
            if key in graded and key in ungraded:
                part = model.unknown(f"graded audits of {key}")
                model.at_most(part, count, f"graded part of {key}")
                parts.append(part)
            elif key in graded:
                parts.append(count)
        model.equal(_sum(parts), audits, "graded activities")

    # Compliance by checklist item and grades on the other scales: each row is its
    # activity's audits.
    activity_rows = {key: i for i, key in enumerate(published.by_activity.row_keys)}
    compliance = getattr(published, "compliance", None)
    if compliance is not None and getattr(compliance, "recorded", True):
        items = _Table(model, compliance.table)
        for row, activity in enumerate(compliance.activities):
            if activity in activity_rows:
                model.equal(
                    items.at(Position(row, None)),
                    by_activity.at(Position(activity_rows[activity], None)),
                    f"checklist item {row} of {activity}",
                )
            _share(
                model,
                compliance.compliance[row],
                items.at(Position(row, 0)),
                items.row_sum(row, (0, 1)),
                f"compliance {row}",
            )
    for scale in getattr(published, "scales", ()):
        rated = _Table(model, scale.table)
        good_grades = [i for i, g in enumerate(scale.grades) if g.good_or_better]
        every_grade = range(len(scale.grades))
        for row, activity in enumerate(scale.table.row_keys):
            if activity in activity_rows:
                model.equal(
                    rated.at(Position(row, None)),
                    by_activity.at(Position(activity_rows[activity], None)),
                    f"scale {scale.scale} row {row}",
                )
            _share(
                model,
                scale.good_or_better[row],
                rated.row_sum(row, good_grades),
                rated.row_sum(row, every_grade),
                f"scale {scale.scale} row {row}",
            )
        _share(
            model,
            scale.overall,
            rated.row_sum(None, good_grades),
            rated.row_sum(None, every_grade),
            f"scale {scale.scale}",
        )

    # Shares, the change and the learning themes.
    for name, breakdown, table in (
        ("overall", published.overall, overall),
        ("by standard", published.by_standard, by_standard),
        ("by team", published.by_team, by_team),
        ("by service area", published.by_service_area, by_area),
        ("trend", published.trend, trend),
    ):
        for row, share in enumerate(breakdown.good_or_better):
            _share(model, share, table.row_sum(row, good), table.at(Position(row, None)), name)
        _share(model, breakdown.overall, table.row_sum(None, good), table.total, name)
    change = published.change
    if current >= 1:
        previous = current - 1
        for g in (*grades, None):
            shown = change.audits if g is None else change.grades[g]
            if shown is not None:
                model.equal(
                    _Expression()
                    .add(trend.at(Position(current, g)))
                    .add(trend.at(Position(previous, g)), -1.0),
                    _Expression(constant=shown),
                    f"change {g}",
                )
    standard_rows = {key: i for i, key in enumerate(published.by_standard.table.row_keys)}
    for theme in published.themes:
        row = standard_rows[theme.standard]
        if theme.judged is not None:
            model.equal(
                by_standard.at(Position(row, None)),
                _Expression(constant=theme.judged),
                f"theme {theme.standard} judged",
            )
        if theme.below_good_count is not None:
            model.equal(
                by_standard.row_sum(row, below),
                _Expression(constant=theme.below_good_count),
                f"theme {theme.standard} below good",
            )
        _share(
            model,
            theme.below_good,
            by_standard.row_sum(row, below),
            by_standard.at(Position(row, None)),
            f"theme {theme.standard}",
        )
    for row in range(len(published.by_standard.table.row_keys)):
        # Each audit judges a standard once at most.
        model.at_most(by_standard.at(Position(row, None)), audits, f"standard {row} <= audits")
    if notes is not None:
        for row, key in enumerate(notes.table.row_keys):
            judged = by_standard.at(Position(standard_rows[key], None))
            for column in range(len(notes.table.column_keys)):
                model.at_most(notes.at(Position(row, column)), judged, f"notes {key}")

    # Moderation.
    moderation = published.moderation
    diagonal = [Position(i, i) for i in grades]
    upper = [Position(i, j) for i in grades for j in range(i)]
    lower = [Position(i, j) for i in grades for j in range(i + 1, len(published.grades))]
    for value, positions, why in (
        (moderation.agreed, diagonal, "agreed"),
        (moderation.upgrades, upper, "upgrades"),
        (moderation.downgrades, lower, "downgrades"),
    ):
        if value is not None:
            model.equal(_sum(matrix.at(p) for p in positions), _Expression(constant=value), why)
    if moderation.moderated is not None:
        model.equal(matrix.total, _Expression(constant=moderation.moderated), "moderated")
    if moderation.audits is not None:
        model.equal(audits, _Expression(constant=moderation.audits), "moderation's audits")
    _share(model, moderation.share_moderated, matrix.total, audits, "share moderated")
    if moderation.exact_agreement is not None:
        model.equal(
            _sum(matrix.at(p) for p in diagonal),
            _Expression().add(matrix.total, moderation.exact_agreement),
            "exact agreement",
        )
    for g in grades:
        # A moderated audit's grade in the period's grades is its moderated grade.
        model.at_most(matrix.at(Position(None, g)), overall.at(Position(0, g)), f"moderated {g}")
    model.at_most(matrix.total, audits, "moderated <= audits")

    # Escalations, trackers and actions.
    escalations = published.escalations
    for value, expression, why in (
        (escalations.raised, by_rule.total, "raised"),
        (escalations.open, by_rule.at(Position(None, 0)), "open"),
        (escalations.closed, by_rule.at(Position(None, 1)), "closed"),
    ):
        if value is not None and by_rule.table.column_keys:
            model.equal(expression, _Expression(constant=value), why)
    if by_rule.table.column_keys:
        # Hidden alone when small, or with the tables: not known to be small.
        open_total = (
            model.number("escalations open on the day", escalations.open_total)
            if getattr(escalations, "status_recorded", True)
            else model.unknown("escalations open on the day")
        )
        model.at_most(by_rule.at(Position(None, 0)), open_total, "open in the period <= open")
    recorded = getattr(published, "recorded", None)
    actions_recorded = recorded is None or recorded.actions
    told = getattr(escalations, "recorded", True) and getattr(escalations, "status_recorded", True)
    for tracker in published.trackers if told and actions_recorded else ():
        children = model.small(f"tracker {tracker.tracker} children", tracker.children, threshold)
        with_actions = model.small(
            f"tracker {tracker.tracker} with open actions", tracker.with_open_actions, threshold
        )
        model.at_most(with_actions, children, f"tracker {tracker.tracker}")
    published_actions = published.actions
    if actions.table.column_keys and actions_recorded:
        done = actions.at(Position(None, 0))
        # Verified actions are shown only beside those done: hidden beside a hidden count
        # done, they are not known to be small.
        verified = (
            model.small("actions verified", published_actions.verified, threshold)
            if published_actions.done is not None
            else model.unknown("actions verified")
        )
        model.at_most(verified, done, "verified <= done")
        overdue_total = model.number("actions overdue on the day", published_actions.overdue_total)
        model.at_most(actions.at(Position(None, 2)), overdue_total, "overdue <= overdue total")
        for value, position, why in (
            (published_actions.due, Position(None, None), "due"),
            (published_actions.done, Position(None, 0), "done"),
            (published_actions.open, Position(None, 1), "open"),
            (published_actions.overdue, Position(None, 2), "overdue"),
        ):
            if value is not None:
                model.equal(actions.at(position), _Expression(constant=value), why)
    return model.solve(integer=integer)


def cells_suppressed(published: PublishedCycleReport) -> int:
    """How many numbers of the report's tables are shown as ``c``."""
    tables: list[SuppressedTable] = [
        published.by_activity,
        published.overall.table,
        published.by_standard.table,
        published.by_team.table,
        published.by_service_area.table,
        published.trend.table,
        published.moderation.matrix,
        published.escalations.by_rule,
        published.actions.by_team,
    ]
    notes = getattr(published, "notes_written", None)
    if notes is not None:
        tables.append(notes)
    compliance = getattr(published, "compliance", None)
    if compliance is not None:
        tables.append(compliance.table)
    tables.extend(scale.table for scale in getattr(published, "scales", ()))
    return sum(t.suppressed for t in tables)


def child_ids_in(
    text: str, child_ids: Iterable[str], pattern: str | None = None
) -> tuple[str, ...]:
    """The children's ids of ``child_ids`` that ``text`` (a published output) holds, however
    written: in any case, split by spaces, punctuation or invisible characters, or joined to
    other words (as :func:`qaframework.engine.report.notes.redact` finds them), each once in
    the order first found. With ``pattern`` (a council's child-id pattern) a word matching
    it is found too, reported as written. An empty tuple: no child id is in the text."""
    by_key: dict[str, str] = {}
    for child in child_ids:
        key = child_id_key(child)
        if key:
            by_key.setdefault(key, child)
    found: dict[str, None] = {}
    for _start, _end, key in child_id_spans(text, by_key.keys(), pattern):
        found[by_key.get(key, key)] = None
    return tuple(found)
