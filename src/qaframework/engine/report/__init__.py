"""Cycle reports: what a council's boards read about a period's audits.

Bolton's Quality Assurance Manager reports each 6-weekly cycle, each quarter and each year to
the Assurance and Improvement Meeting; Swindon's monthly practice audit report goes to the
Practice and Performance Board. :func:`build_cycle_report` computes such a report for a
profile, a set of audits and a :class:`~qaframework.engine.periods.Period` (a council's cycle, a
month, a financial quarter or year: see :func:`council_cycle` and :func:`report_period`), as
of a date. The :class:`CycleReport` holds:

- how many audits there were, by activity, and the grade distribution overall, per practice
  standard, per team and per service area, each row with its share "good or better" (the
  profile's threshold) and a Wilson interval (:func:`wilson_interval`);
- the change against the previous period (the same length, immediately before) and the trend
  across the last few periods (:func:`trailing_periods`);
- moderation: how many audits were moderated, agreement, upgrades and downgrades and Cohen's
  kappa (:func:`qaframework.engine.agreement.cohen_kappa`);
- escalations raised in the period, open and closed; the child of concern tracker as counts;
  actions due in the period, done, open and overdue;
- learning themes: the standards most often judged below good, with the strengths and "what
  would have made it better" notes written about each;
- where it goes: the forums the profile's reporting lines send it to, with their next
  meeting dates.

The report holds no child's id: child-level detail (escalations, tracker entries, overdue
actions) is a separate value, :class:`ChildLevelDetail`, made only by
:func:`child_level_detail` and marked OFFICIAL-SENSITIVE. The report's counts are exact; what
may be published is :meth:`CycleReport.publishable`, which applies small-number suppression
(:mod:`qaframework.engine.suppression`) to every table and withholds every figure that would reveal
a suppressed count. Renderers publish that view unless told otherwise.
:func:`compare_authorities` and :func:`publish_comparison` set several councils' reports side
by side on the ILACS crosswalk.

Grades are read on the scale of the profile version in force at the end of the period (or on
the as-of date, if earlier): the *reporting version*. Audits graded under another version
keep their grade where the reporting scale has the same code, and are otherwise carried
across on the ILACS crosswalk (to the best grade of the reporting scale with the same ILACS
judgement). An audit's grade is its final grade as of the report's date: the latest
moderation on or before it, or the auditor's grade.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta
from itertools import chain, compress, pairwise, repeat
from operator import attrgetter
from statistics import NormalDist
from typing import TYPE_CHECKING

import attrs
from dateutil.relativedelta import relativedelta

from qaframework.engine._collector import paused_gc
from qaframework.engine.actions.ledger import action_status_as_of
from qaframework.engine.actions.tracker import (
    EscalationState,
    EscalationStatus,
    TrackerEntry,
    child_of_concern_tracker,
    escalation_states,
)
from qaframework.engine.agreement import Agreement, Kappa, Weighting, cohen_kappa
from qaframework.engine.escalation import Escalation, ProfileResolver, evaluate_escalations_bulk
from qaframework.engine.periods import FinancialQuarter, FinancialYear, Period
from qaframework.engine.suppression import (
    CountTable,
    Position,
    SuppressedTable,
    SuppressionPolicy,
    suppress_linked,
)
from qaframework.errors import QAFrameworkError
from qaframework.policy.actions import ActionStatus
from qaframework.policy.cadence import Cadence
from qaframework.policy.escalation import ConsequenceKind
from qaframework.policy.grades import Ilacs
from qaframework.policy.profile import Profile

if TYPE_CHECKING:
    from qaframework.engine.audits import Audit, ModerationRecord
    from qaframework.engine.frames import Frames
    from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "OFFICIAL_SENSITIVE",
    "ActionSummary",
    "AuthorityRow",
    "ChildLevelDetail",
    "CrossAuthorityComparison",
    "CycleReport",
    "CycleReportError",
    "Destination",
    "EscalationRow",
    "EscalationSummary",
    "GradeBreakdown",
    "LearningTheme",
    "ModerationSummary",
    "Note",
    "OverdueActionRow",
    "PeriodChange",
    "PeriodSummary",
    "PublishedActions",
    "PublishedBreakdown",
    "PublishedChange",
    "PublishedComparison",
    "PublishedCycleReport",
    "PublishedEscalations",
    "PublishedModeration",
    "PublishedTheme",
    "PublishedTracker",
    "ReportGrade",
    "Share",
    "TrackerRow",
    "TrackerSummary",
    "build_cycle_report",
    "child_level_detail",
    "compare_authorities",
    "council_cycle",
    "previous_period",
    "publish_comparison",
    "report_period",
    "trailing_periods",
    "wilson_interval",
]

OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
"""The Government Security Classification marking of child-level detail."""

_ONE_DAY = timedelta(days=1)
_NOT_RECORDED = "Not recorded"


class CycleReportError(QAFrameworkError, ValueError):
    """A cycle report cannot be made from what was given; the message says why and where."""


# ---------------------------------------------------------------------------------------------
# Periods: a council's cycle, and the periods before a period
# ---------------------------------------------------------------------------------------------


def council_cycle(profile: Profile, day: date, *, activity: str | None = None) -> Period:
    """The council's audit cycle that holds ``day``: Bolton's 6-weekly cycle, a monthly one.

    The cycle is that of ``activity`` (an activity id of the profile), by default the graded
    activity with the shortest periodic cadence (the first in the profile's order on a tie).
    Cycles are counted from the activity's ``anchor``, or the profile's ``schedule_anchor``,
    as the QA calendar counts them: Bolton's cycles from 1 April 2026 run 1 April to 12 May,
    13 May to 23 June ...
    """
    if activity is None:
        periodic = [a for a in profile.activities if a.graded and a.cadence.every is not None]
        if not periodic:
            raise CycleReportError(
                f"profile {profile.label} has no graded activity with a periodic cadence, so "
                "it has no audit cycle: report on a month, a quarter or a year instead"
            )
        chosen = min(periodic, key=lambda a: _cadence_days(a.cadence))
    else:
        try:
            chosen = profile.activity(activity)
        except KeyError as error:
            raise CycleReportError(error.args[0]) from None
    every = chosen.cadence.every
    if every is None:
        raise CycleReportError(
            f"activity {chosen.id!r} ({chosen.name}) of profile {profile.label} has no "
            f"periodic cadence ({chosen.cadence}), so it has no cycle"
        )
    anchor = chosen.anchor or profile.schedule_anchor
    starts = chosen.cadence.occurrences(anchor, every.subtract_from(day, 2), every.add_to(day, 2))
    # Two cycles either side of the day always hold it.
    return next(
        Period(start, following - _ONE_DAY)
        for start, following in pairwise(starts)
        if start <= day < following
    )


def _cadence_days(cadence: Cadence) -> float:
    """A periodic cadence's mean length in days (infinite for one that is not periodic)."""
    return cadence.every.approximate_days if cadence.every is not None else math.inf


def _whole_months(period: Period) -> int | None:
    """The number of calendar months ``period`` spans exactly, None if not whole months."""
    after = period.end + _ONE_DAY
    if period.start.day != 1 or after.day != 1:
        return None
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def _month_label(start: date, months: int) -> str:
    if months == 1:
        return f"{start.year}-{start.month:02d}"
    if months == 3 and start.month in (1, 4, 7, 10):
        return FinancialQuarter.containing(start).label
    if months == 12 and start.month == 4:
        return FinancialYear.containing(start).label
    return ""


def previous_period(period: Period) -> Period:
    """The period of the same length immediately before ``period``.

    A period of whole calendar months steps back by months (the month, financial quarter or
    financial year before, labelled as such); any other period steps back by its number of
    days (the council's previous cycle).
    """
    months = _whole_months(period)
    if months is not None:
        start = period.start - relativedelta(months=months)
        return Period(start, period.start - _ONE_DAY, _month_label(start, months))
    return Period(period.start - timedelta(days=period.days), period.start - _ONE_DAY)


def trailing_periods(period: Period, count: int) -> tuple[Period, ...]:
    """The ``count`` periods ending with ``period``, oldest first, each the one before the next."""
    if count < 1:
        raise CycleReportError(f"a trend covers at least one period, got {count}")
    found = [period]
    for _ in range(count - 1):
        found.append(previous_period(found[-1]))
    return tuple(reversed(found))


_CYCLE = re.compile(r"cycle[:\s]\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE | re.ASCII)


def report_period(text: str, profile: Profile | None = None) -> Period:
    """Read a report period: ``cycle:2026-05-20`` (the council's cycle holding that day, which
    needs ``profile``), a financial year ``2026-27``, a quarter ``2026-27 Q1``, a month
    ``2026-05`` or a range ``2026-04-01..2026-05-12``."""
    match = _CYCLE.fullmatch(text.strip())
    if match is None:
        try:
            return Period.parse(text)
        except ValueError as error:
            raise CycleReportError(
                f"{error}, or the council's cycle holding a day (cycle:2026-05-20)"
            ) from None
    if profile is None:
        raise CycleReportError(f"{text!r} names a council's cycle: give the profile")
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError as error:
        raise CycleReportError(f"{text!r}: {error}") from None
    return council_cycle(profile, day)


# ---------------------------------------------------------------------------------------------
# Shares with a Wilson interval
# ---------------------------------------------------------------------------------------------


def wilson_interval(count: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for ``count`` successes out of ``total`` (Wilson 1927).

    With ``p = count / total`` and ``z`` the normal quantile for ``confidence`` (1.96 for
    95%)::

        centre = (p + z**2 / (2 n)) / (1 + z**2 / n)
        half   = z / (1 + z**2 / n) * sqrt(p (1 - p) / n + z**2 / (4 n**2))

    and the interval is ``centre - half`` to ``centre + half``. Unlike the Wald interval
    ``p +- z sqrt(p (1 - p) / n)`` it stays within 0 to 1 and does not collapse to a point
    at 0 or n successes, so a share of 3 out of 4 shows how little 4 audits say
    (0.30 to 0.95).
    """
    if total < 1:
        raise CycleReportError(f"a share needs a total of at least 1, got {total}")
    if not 0 <= count <= total:
        raise CycleReportError(f"a share counts 0 to {total}, got {count}")
    if not 0 < confidence < 1:
        raise CycleReportError(f"a confidence level is between 0 and 1, got {confidence}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    n = total
    p = count / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@attrs.frozen
class Share:
    """``count`` out of ``total``, as a proportion with its Wilson interval.

    ``value``, ``lower`` and ``upper`` are None when ``total`` is 0 (no share to give).
    """

    count: int
    total: int
    value: float | None
    lower: float | None
    upper: float | None
    confidence: float = 0.95

    @classmethod
    def of(cls, count: int, total: int, confidence: float = 0.95) -> Share:
        """The share ``count / total`` with its Wilson interval at ``confidence``."""
        if total == 0:
            if count:
                raise CycleReportError(f"a share of {count} out of 0")
            return cls(0, 0, None, None, None, confidence)
        lower, upper = wilson_interval(count, total, confidence)
        return cls(count, total, count / total, lower, upper, confidence)


# ---------------------------------------------------------------------------------------------
# The report's values
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class ReportGrade:
    """A grade of the reporting scale: its code, the council's label, its ILACS judgement and
    whether it counts as good or better."""

    code: str
    label: str
    ilacs: Ilacs
    good_or_better: bool


@attrs.frozen
class GradeBreakdown:
    """Audits (or judgements) by grade, one row per team, standard, service area ...

    ``table`` has one column per grade of the reporting scale, best first.
    ``good_or_better`` is each row's share good or better; ``overall`` that of all rows.
    """

    table: CountTable
    good_or_better: tuple[Share, ...]
    overall: Share


@attrs.frozen
class PeriodSummary:
    """One period of a trend: its audits, how many had each grade, and the share good or better."""

    period: Period
    audits: int
    grades: tuple[int, ...]
    good_or_better: Share


@attrs.frozen
class PeriodChange:
    """The change from the previous period to this one.

    ``audits`` and ``grades`` are differences of counts (this period less the previous);
    ``good_or_better`` is the difference of the shares good or better (0.05 is five
    percentage points up), None when either period had no audits.
    """

    previous: PeriodSummary
    audits: int
    grades: tuple[int, ...]
    good_or_better: float | None


@attrs.frozen
class ModerationSummary:
    """Moderation of the period's audits, as of the report's date.

    ``moderated`` of the period's ``audits`` had a moderation on or before the date;
    ``agreement`` compares each auditor's grade with the latest of those moderations (its
    matrix, upgrades, downgrades and kappas; see :mod:`qaframework.engine.agreement`).
    """

    audits: int
    moderated: int
    share_moderated: Share
    agreement: Agreement


@attrs.frozen
class EscalationSummary:
    """Escalations raised in the period and where they stood on the report's date.

    ``by_rule`` has one row per escalation rule with the escalations it raised in the
    period, open and closed (its row totals are the raised); ``open_total`` counts every
    escalation open on the date, whenever raised.
    """

    raised: int
    open: int
    closed: int
    open_total: int
    by_rule: CountTable


@attrs.frozen
class TrackerSummary:
    """A child of concern tracker, in counts: never which children.

    ``children`` are on it on the report's date, ``with_open_actions`` of them with actions
    not yet done; ``added`` children had an escalation onto it raised in the period;
    ``left`` children had every escalation keeping them on it close in the period.
    """

    tracker: str
    children: int
    with_open_actions: int
    added: int
    left: int


@attrs.frozen
class ActionSummary:
    """Audit actions due in the period and where they stood on the report's date.

    Of the ``due`` actions, ``done`` were done (``verified`` of them also checked to have
    made a difference), ``open`` not done but not yet late, ``overdue`` not done and past
    due. ``by_team`` splits them by the team of the audit that set them (its row totals are
    the due). ``overdue_total`` counts every overdue action on the date, whenever due.
    """

    due: int
    done: int
    verified: int
    open: int
    overdue: int
    overdue_total: int
    by_team: CountTable


@attrs.frozen
class Note:
    """A note as auditors wrote it, and how many judgements carry the same words."""

    text: str
    count: int


@attrs.frozen
class LearningTheme:
    """What the period's judgements say about one practice standard.

    ``below_good`` is the share of the standard's ``judged`` judgements graded below good;
    ``strengths`` and ``would_improve`` ("what would have made it better") are the notes
    most often written about it, most frequent first, each child's id a note names (as a
    word) replaced by ``[child id]``.
    """

    standard: str
    title: str
    judged: int
    below_good: Share
    strengths: tuple[Note, ...]
    would_improve: tuple[Note, ...]


@attrs.frozen
class Destination:
    """Where the report goes: a forum (or a person) one of the profile's reporting lines names.

    ``recipient`` is the forum's name or the person's title; ``forum`` the forum id (None for
    a person); ``meets`` the forum's cadence and ``meetings`` its next meeting dates after the
    period ends (none for a forum that meets as required).
    """

    reporting_line: str
    report: str
    cadence: Cadence
    produced_by: tuple[str, ...]
    recipient: str
    forum: str | None = None
    meets: Cadence | None = None
    meetings: tuple[date, ...] = ()


@attrs.frozen
class CycleReport:
    """A profile's report on a period's audits, as of a date (see the module docstring).

    ``profile_version`` is the reporting version, ``versions`` every version the counted
    audits were graded under. ``grades`` is the reporting scale, best first: every grade
    table has one column per grade in that order. ``overall`` has one row, the period's
    audits; ``trend`` ends with this period, ``change`` compares it with the one before.
    ``by_activity`` counts every audit of the period; ``audits`` and every grade figure (by
    grade, team, service area and standard, the trend, the moderation statistics) count the
    graded audits only, those of activities that grade practice.
    Counts are exact: publish :meth:`publishable`.
    """

    profile_id: str
    authority: str
    profile_version: str
    versions: tuple[str, ...]
    period: Period
    as_of: date
    grades: tuple[ReportGrade, ...]
    audits: int
    by_activity: CountTable
    overall: GradeBreakdown
    by_standard: GradeBreakdown
    by_team: GradeBreakdown
    by_service_area: GradeBreakdown
    trend: tuple[PeriodSummary, ...]
    change: PeriodChange
    moderation: ModerationSummary
    escalations: EscalationSummary
    trackers: tuple[TrackerSummary, ...]
    actions: ActionSummary
    themes: tuple[LearningTheme, ...]
    destinations: tuple[Destination, ...]

    @property
    def good_or_better(self) -> Share:
        """The period's share of audits graded good or better."""
        return self.overall.overall

    def trend_table(self) -> CountTable:
        """The trend as a table: one row per period, oldest first, one column per grade."""
        return CountTable(
            "Audits by grade, period by period",
            "Period",
            tuple(s.period.label for s in self.trend),
            tuple(s.period.label for s in self.trend),
            tuple(g.code for g in self.grades),
            tuple(g.label for g in self.grades),
            tuple(s.grades for s in self.trend),
        )

    def moderation_matrix(self) -> CountTable:
        """The moderated audits by the auditor's grade (rows) and the moderated grade."""
        return CountTable(
            "Moderated audits: auditor's grade against moderated grade",
            "Auditor's grade",
            tuple(g.code for g in self.grades),
            tuple(g.label for g in self.grades),
            tuple(g.code for g in self.grades),
            tuple(g.label for g in self.grades),
            self.moderation.agreement.matrix,
        )

    def publishable(self, policy: SuppressionPolicy | None = None) -> PublishedCycleReport:
        """The report as it may be published: small numbers suppressed (see
        :mod:`qaframework.engine.suppression`; the default policy unless ``policy`` is given).

        Tables that show the same numbers (the period's grade counts are the column totals of
        the team and service-area tables and a row of the trend) are suppressed together.
        A figure worked out from a table (a share, a change, a theme's count, agreement) is
        published only when a reader could work it out from the published table too and it
        is not itself a small number; kappa is withheld when the agreement matrix has a
        suppressed cell. Notes keep their words; a small count of notes is suppressed.
        """
        return _publish(self, policy if policy is not None else SuppressionPolicy())

    def _repr_html_(self) -> str:
        """The publishable view as HTML, for notebooks (see
        :func:`qaframework.render.html_fragment`)."""
        from qaframework.render import html_fragment

        return html_fragment(self)

    def to_pandas(self, policy: SuppressionPolicy | None = None) -> Frames:
        """Each table as a tidy pandas frame, in the published view unless ``policy`` says
        otherwise (see :func:`qaframework.engine.frames.report_frames`); needs the ``pandas``
        extra."""
        from qaframework.engine.frames import report_frames

        return report_frames(self, backend="pandas", policy=policy)

    def to_polars(self, policy: SuppressionPolicy | None = None) -> Frames:
        """Each table as a tidy polars frame, in the published view unless ``policy`` says
        otherwise (see :func:`qaframework.engine.frames.report_frames`); needs the ``polars``
        extra."""
        from qaframework.engine.frames import report_frames

        return report_frames(self, backend="polars", policy=policy)


# ---------------------------------------------------------------------------------------------
# The publishable view
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class PublishedBreakdown:
    """A :class:`GradeBreakdown` as published: shares are None where withheld."""

    table: SuppressedTable
    good_or_better: tuple[Share | None, ...]
    overall: Share | None


@attrs.frozen
class PublishedChange:
    """A :class:`PeriodChange` as published: each difference None where withheld."""

    previous: str
    audits: int | None
    grades: tuple[int | None, ...]
    good_or_better: float | None


@attrs.frozen
class PublishedModeration:
    """A :class:`ModerationSummary` as published.

    Counts are None where suppressed; ``kappas`` is empty and ``kappa_withheld`` true when
    the matrix has a suppressed cell (kappa could otherwise reveal it).
    """

    audits: int | None
    moderated: int | None
    share_moderated: Share | None
    matrix: SuppressedTable
    agreed: int | None
    upgrades: int | None
    downgrades: int | None
    exact_agreement: float | None
    kappas: tuple[Kappa, ...]
    kappa_withheld: bool


@attrs.frozen
class PublishedEscalations:
    """An :class:`EscalationSummary` as published (raised, open and closed are the table's
    totals)."""

    raised: int | None
    open: int | None
    closed: int | None
    open_total: int | None
    by_rule: SuppressedTable


@attrs.frozen
class PublishedTracker:
    """A :class:`TrackerSummary` as published: each count None where suppressed."""

    tracker: str
    children: int | None
    with_open_actions: int | None
    added: int | None
    left: int | None


@attrs.frozen
class PublishedActions:
    """An :class:`ActionSummary` as published (due, done, open and overdue are the table's
    totals)."""

    due: int | None
    done: int | None
    verified: int | None
    open: int | None
    overdue: int | None
    overdue_total: int | None
    by_team: SuppressedTable


@attrs.frozen
class PublishedTheme:
    """A :class:`LearningTheme` as published; a note's count is None where small."""

    standard: str
    title: str
    judged: int | None
    below_good_count: int | None
    below_good: Share | None
    strengths: tuple[tuple[str, int | None], ...]
    would_improve: tuple[tuple[str, int | None], ...]


@attrs.frozen
class PublishedCycleReport:
    """A :class:`CycleReport` with small-number suppression applied (see
    :meth:`CycleReport.publishable`): every count an ``int`` or None where suppressed, which a
    renderer prints as ``policy.marker`` (``c``); shares and other figures None where
    withheld. ``overall`` and ``trend`` share their numbers with the other grade tables."""

    policy: SuppressionPolicy
    profile_id: str
    authority: str
    profile_version: str
    versions: tuple[str, ...]
    period: Period
    as_of: date
    grades: tuple[ReportGrade, ...]
    audits: int | None
    by_activity: SuppressedTable
    overall: PublishedBreakdown
    by_standard: PublishedBreakdown
    by_team: PublishedBreakdown
    by_service_area: PublishedBreakdown
    trend: PublishedBreakdown
    change: PublishedChange
    moderation: PublishedModeration
    escalations: PublishedEscalations
    trackers: tuple[PublishedTracker, ...]
    actions: PublishedActions
    themes: tuple[PublishedTheme, ...]
    destinations: tuple[Destination, ...]

    @property
    def good_or_better(self) -> Share | None:
        """The period's share good or better, None where withheld."""
        return self.overall.overall

    def _repr_html_(self) -> str:
        """This view as HTML, for notebooks (see :func:`qaframework.render.html_fragment`)."""
        from qaframework.render import html_fragment

        return html_fragment(self)


def _small(value: int | None, policy: SuppressionPolicy) -> int | None:
    """A count that stands alone, suppressed when it is small."""
    if value is None or not policy.enabled:
        return value
    return None if 1 <= value <= policy.threshold else value


def _share_of(
    table: SuppressedTable, row: int | None, good: Sequence[int], confidence: float
) -> Share | None:
    """The share good or better of a published row (None: the whole table), if both the
    good-or-better count and the rest can be worked out from the table and neither is small.

    Publishing such a share reveals nothing a reader could not already compute.
    """
    below = [c for c in range(len(table.column_keys)) if c not in good]
    if row is None:
        total = table.total
        count = _sum_of_totals(table, good)
        rest = _sum_of_totals(table, below)
    else:
        total = table.row_totals[row]
        count = table.sum_of(Position(row, c) for c in good)
        rest = table.sum_of(Position(row, c) for c in below)
    if total is None or count is None or rest is None:
        return None
    return Share.of(count, total, confidence)


def _sum_of_totals(table: SuppressedTable, columns: Sequence[int]) -> int | None:
    """The sum of some column totals, if it can be worked out and is not small."""
    shown = [table.column_totals[c] for c in columns]
    rest = [t for c, t in enumerate(table.column_totals) if c not in columns]
    if all(v is not None for v in shown):
        value: int | None = sum(v or 0 for v in shown)
    elif table.total is not None and all(v is not None for v in rest):
        value = table.total - sum(v or 0 for v in rest)
    else:
        value = None
    if value is not None and table.threshold is not None and 1 <= value <= table.threshold:
        return None
    return value


def _published_breakdown(
    table: SuppressedTable, good: Sequence[int], confidence: float
) -> PublishedBreakdown:
    return PublishedBreakdown(
        table,
        tuple(_share_of(table, i, good, confidence) for i in range(len(table.row_keys))),
        _share_of(table, None, good, confidence),
    )


def _publish(report: CycleReport, policy: SuppressionPolicy) -> PublishedCycleReport:
    grades = len(report.grades)
    good = [i for i, g in enumerate(report.grades) if g.good_or_better]
    confidence = report.overall.overall.confidence
    trend = report.trend_table()
    matrix = report.moderation_matrix()
    tables = (
        report.by_activity,
        report.overall.table,
        report.by_team.table,
        report.by_service_area.table,
        trend,
        report.by_standard.table,
        matrix,
        report.escalations.by_rule,
        report.actions.by_team,
    )
    last = len(report.trend) - 1
    links: list[list[tuple[int, Position]]] = [
        [
            (1, Position(0, g)),
            (2, Position(None, g)),
            (3, Position(None, g)),
            (4, Position(last, g)),
        ]
        for g in range(grades)
    ]
    links.append(
        [
            (0, Position(None, None)),
            (1, Position(None, None)),
            (2, Position(None, None)),
            (3, Position(None, None)),
            (4, Position(last, None)),
        ]
    )
    (
        by_activity,
        overall,
        by_team,
        by_area,
        trend_published,
        by_standard,
        matrix_published,
        by_rule,
        by_team_actions,
    ) = suppress_linked(tables, links, policy)
    audits = overall.total
    change = report.change
    previous = last - 1  # a trend always holds the previous period

    def difference(now: int | None, before: int | None) -> int | None:
        return None if now is None or before is None else now - before

    trend_breakdown = _published_breakdown(trend_published, good, confidence)
    share_now = trend_breakdown.good_or_better[last]
    share_before = trend_breakdown.good_or_better[previous]
    published_change = PublishedChange(
        change.previous.period.label,
        difference(trend_published.row_totals[last], trend_published.row_totals[previous]),
        tuple(
            difference(trend_published.cells[last][g], trend_published.cells[previous][g])
            for g in range(grades)
        ),
        share_now.value - share_before.value
        if share_now is not None
        and share_before is not None
        and share_now.value is not None
        and share_before.value is not None
        else None,
    )
    moderated = matrix_published.total
    withheld = policy.enabled and any(
        cell is None for row in matrix_published.cells for cell in row
    )
    diagonal = [Position(i, i) for i in range(grades)]
    agreed = matrix_published.sum_of(diagonal)
    moderation = PublishedModeration(
        audits=audits,
        moderated=moderated,
        share_moderated=Share.of(moderated, audits, confidence)
        if audits is not None and moderated is not None
        else None,
        matrix=matrix_published,
        agreed=agreed,
        upgrades=matrix_published.sum_of(Position(i, j) for i in range(grades) for j in range(i)),
        downgrades=matrix_published.sum_of(
            Position(i, j) for i in range(grades) for j in range(i + 1, grades)
        ),
        exact_agreement=agreed / moderated if agreed is not None and moderated else None,
        kappas=() if withheld else report.moderation.agreement.kappas,
        kappa_withheld=withheld,
    )
    escalations = PublishedEscalations(
        raised=by_rule.total,
        open=by_rule.column_totals[0],
        closed=by_rule.column_totals[1],
        open_total=_small(report.escalations.open_total, policy),
        by_rule=by_rule,
    )
    actions = PublishedActions(
        due=by_team_actions.total,
        done=by_team_actions.column_totals[0],
        verified=_small(report.actions.verified, policy),
        open=by_team_actions.column_totals[1],
        overdue=by_team_actions.column_totals[2],
        overdue_total=_small(report.actions.overdue_total, policy),
        by_team=by_team_actions,
    )
    below = [i for i in range(grades) if i not in good]
    themes = []
    for theme in report.themes:
        row = by_standard.row(theme.standard)
        judged = by_standard.row_totals[row]
        below_count = by_standard.sum_of(Position(row, c) for c in below)
        above_count = by_standard.sum_of(Position(row, c) for c in good)
        themes.append(
            PublishedTheme(
                theme.standard,
                theme.title,
                judged,
                below_count,
                Share.of(below_count, judged, confidence)
                if judged is not None and below_count is not None and above_count is not None
                else None,
                tuple((n.text, _small(n.count, policy)) for n in theme.strengths),
                tuple((n.text, _small(n.count, policy)) for n in theme.would_improve),
            )
        )
    return PublishedCycleReport(
        policy=policy,
        profile_id=report.profile_id,
        authority=report.authority,
        profile_version=report.profile_version,
        versions=report.versions,
        period=report.period,
        as_of=report.as_of,
        grades=report.grades,
        audits=audits,
        by_activity=by_activity,
        overall=_published_breakdown(overall, good, confidence),
        by_standard=_published_breakdown(by_standard, good, confidence),
        by_team=_published_breakdown(by_team, good, confidence),
        by_service_area=_published_breakdown(by_area, good, confidence),
        trend=trend_breakdown,
        change=published_change,
        moderation=moderation,
        escalations=escalations,
        trackers=tuple(
            PublishedTracker(
                t.tracker,
                _small(t.children, policy),
                _small(t.with_open_actions, policy),
                _small(t.added, policy),
                _small(t.left, policy),
            )
            for t in report.trackers
        ),
        actions=actions,
        themes=tuple(themes),
        destinations=report.destinations,
    )


# ---------------------------------------------------------------------------------------------
# Child-level detail: separate, on request, OFFICIAL-SENSITIVE
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class EscalationRow:
    """One escalation, for the people who must act on it: whose child, what, by when, status.

    ``grade`` is None for an escalation raised from an audit of an ungraded activity.
    """

    child_id: str
    audit_id: str
    rule: str
    rule_name: str
    team: str | None
    grade: str | None
    raised_on: date
    deadline: date
    status: EscalationStatus
    closed_on: date | None = None
    closure: str | None = None


@attrs.frozen
class TrackerRow:
    """One child on a child of concern tracker on the report's date."""

    tracker: str
    child_id: str
    audit_id: str
    team: str | None
    grade: str | None
    added_on: date
    next_review: date | None
    open_actions: int
    awaiting_verification: int


@attrs.frozen
class OverdueActionRow:
    """One audit action past its due date and not done on the report's date."""

    child_id: str
    audit_id: str
    action_id: str
    what: str
    owner: str
    team: str | None
    due: date
    days_overdue: int


def _official_sensitive(_instance: object, _attribute: object, value: str) -> None:
    if value != OFFICIAL_SENSITIVE:
        raise ValueError(f"child-level detail is marked {OFFICIAL_SENSITIVE}, got {value!r}")


@attrs.frozen
class ChildLevelDetail:
    """The child-level rows behind a cycle report, marked OFFICIAL-SENSITIVE.

    ``escalations`` are those raised in the period and those still open on the date;
    ``tracker`` the children on a child of concern tracker; ``overdue_actions`` the actions
    overdue on the date. Made only by :func:`child_level_detail`, never part of a
    :class:`CycleReport`; an output of it carries :attr:`marking`.
    """

    profile_id: str
    period: Period
    as_of: date
    escalations: tuple[EscalationRow, ...]
    tracker: tuple[TrackerRow, ...]
    overdue_actions: tuple[OverdueActionRow, ...]
    marking: str = attrs.field(default=OFFICIAL_SENSITIVE, validator=_official_sensitive)


# ---------------------------------------------------------------------------------------------
# Building the report
# ---------------------------------------------------------------------------------------------

_DATE = attrgetter("audit_date")
_OVERALL = attrgetter("overall_grade")
_MODERATIONS = attrgetter("moderations")
_ACTIVITY = attrgetter("activity")
_TEAM = attrgetter("team")
_AREA = attrgetter("service_area")
_JUDGEMENTS = attrgetter("judgements")
_JUDGEMENT_KEY = attrgetter("standard", "grade", "strengths", "would_improve")
_CHILD = attrgetter("child_id")


def _resolver(profile: Profile | ProfileResolver) -> Callable[[date], Profile]:
    """A resolver asked once per date."""
    if isinstance(profile, Profile):
        fixed = profile
        return lambda _day: fixed
    cache: dict[date, Profile] = {}
    resolve = profile

    def cached(day: date) -> Profile:
        found = cache.get(day)
        if found is None:
            found = cache[day] = resolve(day)
        return found

    return cached


def _latest_by(audit: Audit, as_of: date) -> ModerationRecord | None:
    """The audit's latest moderation on or before ``as_of`` (the later record on one day)."""
    latest: ModerationRecord | None = None
    key = (date.min, -1)
    for index, record in enumerate(audit.moderations):
        if record.on <= as_of and (record.on, index) > key:
            latest, key = record, (record.on, index)
    return latest


class _Scales:
    """Grades of every version read on the reporting scale (see the module docstring)."""

    def __init__(self, reporting: Profile) -> None:
        self.reporting = reporting
        self.codes = reporting.grade_scale.codes
        self.position = {code: i for i, code in enumerate(self.codes)}
        self._maps: dict[int, dict[str, str] | None] = {}

    def mapping(self, profile: Profile) -> dict[str, str] | None:
        """Grade code under ``profile`` to code on the reporting scale; None for the same scale."""
        key = id(profile)
        if key not in self._maps:
            self._maps[key] = self._build(profile)
        return self._maps[key]

    def _build(self, profile: Profile) -> dict[str, str] | None:
        scale = profile.grade_scale
        if scale.codes == self.codes:
            return None
        best: dict[Ilacs, str] = {}
        for grade in self.reporting.grade_scale:
            best.setdefault(grade.ilacs, grade.code)
        mapping: dict[str, str] = {}
        for grade in scale:
            if grade.code in self.position:
                mapping[grade.code] = grade.code
            elif grade.ilacs in best:
                mapping[grade.code] = best[grade.ilacs]
            else:
                raise CycleReportError(
                    f"grade {grade.code!r} of {profile.label} is {grade.ilacs.label} on the "
                    f"ILACS crosswalk, which no grade of {self.reporting.label} is"
                )
        return mapping


class _Tally:
    """One pass over the audits: every count the report is made of.

    The audits are read column by column with C-level getters (``map(attrgetter(...))``)
    and counted by ``Counter`` over tuples, so Python code runs per distinct key, not per
    audit; only moderated audits (and, when versions with different scales meet, every
    audit) are visited one by one.
    """

    def __init__(
        self,
        records: Sequence[Audit],
        windows: Sequence[Period],
        as_of: date,
        resolve: Callable[[date], Profile],
        scales: _Scales,
    ) -> None:
        current = len(windows) - 1
        slot_of: dict[date, int] = {}
        for index, window in enumerate(windows):
            day = window.start
            last = min(window.end, as_of)
            while day <= last:
                slot_of[day] = index
                day += _ONE_DAY
        days = list(map(_DATE, records))
        slots = list(map(slot_of.get, days, repeat(-1)))
        keep = list(map((-1).__ne__, slots))
        windowed: list[Audit] = list(compress(records, keep))
        window_slots: list[int] = list(compress(slots, keep))
        window_days: list[date] = list(compress(days, keep))
        del days, slots, keep
        profiles = {day: resolve(day) for day in set(window_days)}
        self.profiles = tuple({id(p): p for p in profiles.values()}.values())
        self.versions = tuple(sorted({p.version for p in self.profiles}))
        mappings = {day: scales.mapping(p) for day, p in profiles.items()}
        translating = any(m is not None for m in mappings.values())

        def on_scale(day: date, grade: str) -> str:
            # A grade its own version lacks maps to "", which no scale has: reported below.
            mapping = mappings[day]
            return grade if mapping is None else mapping.get(grade, "")

        # None for an audit of an activity that does not grade practice: counted by
        # activity, left out of every grade figure (the Counters' None keys).
        grades: list[str | None] = list(map(_OVERALL, windowed))
        pairs: list[tuple[str, str]] = []
        for index in [i for i, m in enumerate(map(_MODERATIONS, windowed)) if m]:
            audit = windowed[index]
            record = _latest_by(audit, as_of)
            if record is not None:
                grades[index] = record.grade
                overall = audit.overall_grade
                if window_slots[index] == current and overall is not None:
                    day = window_days[index]
                    pairs.append((on_scale(day, overall), on_scale(day, record.grade)))
        if translating:
            grades = [
                on_scale(day, g) if g is not None else None
                for day, g in zip(window_days, grades, strict=True)
            ]
        is_current = list(map(current.__eq__, window_slots))
        now: list[Audit] = list(compress(windowed, is_current))
        now_grades = list(compress(grades, is_current))
        self.audits: Counter[tuple[str, str | None, str | None, str | None]] = Counter(
            zip(map(_ACTIVITY, now), map(_TEAM, now), map(_AREA, now), now_grades, strict=True)
        )
        self.windows: Counter[tuple[int, str | None]] = Counter(
            zip(window_slots, grades, strict=True)
        )
        self.pairs: Counter[tuple[str, str]] = Counter(pairs)
        self.judged: Counter[tuple[str, str, str | None, str | None]]
        if translating:
            self.judged = Counter()
            for day, audit in zip(compress(window_days, is_current), now, strict=True):
                for j in audit.judgements:
                    key = (j.standard, on_scale(day, j.grade), j.strengths, j.would_improve)
                    self.judged[key] += 1
        else:
            # One pass over the judgements, each read once: they are separate objects, and
            # reading them is what costs.
            self.judged = Counter(map(_JUDGEMENT_KEY, chain.from_iterable(map(_JUDGEMENTS, now))))
        counted = {key[3] for key in self.audits} | {key[1] for key in self.windows}
        counted.update(key[1] for key in self.judged)
        counted.update(chain.from_iterable(self.pairs))
        counted.discard(None)
        if not counted <= scales.position.keys():
            culprit = next(
                audit
                for audit in windowed
                if not all(
                    on_scale(audit.audit_date, grade) in scales.position
                    for grade in chain(
                        (audit.overall_grade,) if audit.overall_grade is not None else (),
                        (m.grade for m in audit.moderations),
                        (j.grade for j in audit.judgements),
                    )
                )
            )
            profile = profiles[culprit.audit_date]
            raise CycleReportError(
                f"audit {culprit.id!r} has a grade that is not on the scale of "
                f"{profile.label} ({', '.join(profile.grade_scale.codes)})"
            )
        self.now = now


def _note_counts(
    judged: Counter[tuple[str, str, str | None, str | None]],
) -> tuple[dict[str, list[tuple[str, int]]], dict[str, list[tuple[str, int]]]]:
    """Each standard's strengths and "would improve" notes with their counts."""
    strengths: Counter[tuple[str, str]] = Counter()
    improve: Counter[tuple[str, str]] = Counter()
    for (standard, _grade, strength, would), count in judged.items():
        if strength:
            strengths[(standard, strength)] += count
        if would:
            improve[(standard, would)] += count
    return _by_standard(strengths), _by_standard(improve)


def _by_standard(counts: Counter[tuple[str, str]]) -> dict[str, list[tuple[str, int]]]:
    grouped: dict[str, list[tuple[str, int]]] = {}
    for (standard, text), count in counts.items():
        if not text.isspace():
            notes = grouped.get(standard)
            if notes is None:
                notes = grouped[standard] = []
            notes.append((text, count))
    return grouped


_WORDS = re.compile(r"[\s,;:!?()\[\]{}\"“”‘’]+")
_CHILD_ID_REDACTED = "[child id]"


def _words_of(text: str) -> Iterator[str]:
    """The words of a note (split at spaces and punctuation), each also without a trailing
    full stop or "'s", as a child's id might be written in it."""
    for word in _WORDS.split(text):
        yield word
        yield word.rstrip(".")
        yield word.removesuffix("'s")
        yield word.removesuffix("’s")


def _kept_notes(notes: list[tuple[str, int]] | None, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` most frequent notes, then in text order."""
    if not notes or limit < 1:
        return []
    return heapq.nsmallest(limit, notes, key=lambda item: (-item[1], item[0].strip()))


def _redacted(kept: list[tuple[str, int]], children: set[str]) -> tuple[Note, ...]:
    """Notes with every child's id among ``children`` replaced by ``[child id]``.

    Notes are counted as written: two notes that differ only in the child they name are two
    notes, and become one here only when both are among those kept.
    """
    merged: Counter[str] = Counter()
    for text, count in kept:
        text = text.strip()
        # Longest first, so that an id containing another is replaced whole.
        for child in sorted(children.intersection(_words_of(text)), key=len, reverse=True):
            text = text.replace(child, _CHILD_ID_REDACTED)
        merged[text] += count
    return tuple(
        Note(text, count)
        for text, count in sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    )


def _activity_name(profiles: Sequence[Profile], key: str) -> str:
    """The activity's name in the first version that has it, else its id."""
    for profile in profiles:
        for activity in profile.activities:
            if activity.id == key:
                return activity.name
    return key


def _standard_title(profiles: Sequence[Profile], key: str) -> str:
    """The standard's title in the first version that has it, else its id."""
    for profile in profiles:
        for standard in profile.standards:
            if standard.id == key:
                return standard.title
    return key


def _ordered(keys: Iterable[str | None], first: Sequence[str] = ()) -> list[str | None]:
    """``first`` in its order, then the rest sorted, None (not recorded) last."""
    present = set(keys)
    ordered: list[str | None] = [k for k in first if k in present]
    rest = sorted(k for k in present if k is not None and k not in first)
    ordered.extend(rest)
    if None in present:
        ordered.append(None)
    return ordered


def _grade_breakdown(
    title: str,
    header: str,
    rows: Sequence[str | None],
    labels: Sequence[str],
    counts: Counter[tuple[str | None, str]],
    grades: Sequence[ReportGrade],
    confidence: float,
) -> GradeBreakdown:
    matrix = tuple(tuple(counts.get((row, g.code), 0) for g in grades) for row in rows)
    table = CountTable(
        title,
        header,
        tuple(rows),
        tuple(labels),
        tuple(g.code for g in grades),
        tuple(g.label for g in grades),
        matrix,
    )
    good = [i for i, g in enumerate(grades) if g.good_or_better]

    def share(values: Sequence[int]) -> Share:
        return Share.of(sum(values[i] for i in good), sum(values), confidence)

    return GradeBreakdown(table, tuple(share(row) for row in matrix), share(table.column_totals))


def _destinations(
    profile: Profile,
    period: Period,
    activities: Iterable[str],
    lines: Iterable[str] | None,
    next_meetings: int,
) -> tuple[Destination, ...]:
    if lines is not None:
        try:
            chosen = [profile.reporting_line(line) for line in lines]
        except KeyError as error:
            raise CycleReportError(error.args[0]) from None
    else:
        audited = set(activities)
        reported = [a for a in profile.activities if a.id in audited]
        if not reported:
            reported = [a for a in profile.activities if a.graded]
        wanted = {line for a in reported for line in a.reported_via}
        candidates = [line for line in profile.reporting_lines if line.id in wanted]
        periodic = [line for line in candidates if line.cadence.every is not None]
        if periodic:
            # The report whose cadence is nearest the period's length: Bolton's 6-weekly
            # report for a cycle, its quarterly report for a quarter.
            def distance(cadence: Cadence) -> float:
                return abs(math.log(_cadence_days(cadence) / period.days))

            nearest = min(distance(line.cadence) for line in periodic)
            chosen = [line for line in periodic if math.isclose(distance(line.cadence), nearest)]
        else:
            chosen = candidates
    found: list[Destination] = []
    after = period.end + _ONE_DAY
    for line in chosen:
        produced_by = profile.role_titles(line.produced_by)
        for forum_id in line.to_forums:
            forum = profile.forum(forum_id)
            every = forum.cadence.every
            meetings: tuple[date, ...] = ()
            if every is not None and next_meetings > 0:
                dates = forum.cadence.occurrences(
                    profile.schedule_anchor, after, every.add_to(after, next_meetings + 1)
                )
                meetings = tuple(dates[:next_meetings])
            found.append(
                Destination(
                    line.id,
                    line.report,
                    line.cadence,
                    produced_by,
                    forum.name,
                    forum.id,
                    forum.cadence,
                    meetings,
                )
            )
        for role_id in line.to_roles:
            found.append(
                Destination(
                    line.id, line.report, line.cadence, produced_by, profile.role(role_id).title
                )
            )
    return tuple(found)


@attrs.frozen
class _Loop:
    """Escalations, their states and the tracker entries as of the report's date."""

    escalations: tuple[Escalation, ...]
    states: tuple[EscalationState, ...]
    tracker: tuple[TrackerEntry, ...]


def _closing_the_loop(
    records: Sequence[Audit],
    resolve: Callable[[date], Profile],
    as_of: date,
    escalations: Iterable[Escalation] | None,
    calendar: WorkingCalendar | None,
) -> _Loop:
    found = tuple(
        evaluate_escalations_bulk(records, resolve, as_of=as_of, calendar=calendar)
        if escalations is None
        else escalations
    )
    if not found:
        return _Loop((), (), ())
    states = escalation_states(found, records, resolve, as_of=as_of)
    tracker = (
        child_of_concern_tracker(found, records, resolve, as_of=as_of, calendar=calendar)
        if any(_tracker_of(e) is not None for e in found)
        else ()
    )
    return _Loop(found, states, tracker)


def _escalation_summary(profile: Profile, loop: _Loop, period: Period) -> EscalationSummary:
    raised = [s for s in loop.states if s.escalation.raised_on in period]
    counts: Counter[tuple[str, EscalationStatus]] = Counter(
        (s.escalation.rule_id, s.status) for s in raised
    )
    names = {s.escalation.rule_id: s.escalation.rule.name for s in raised}
    names.update((rule.id, rule.name) for rule in profile.escalation)
    rows = _ordered(names, [rule.id for rule in profile.escalation])
    columns = (EscalationStatus.OPEN, EscalationStatus.CLOSED)
    table = CountTable(
        "Escalations raised in the period, by rule",
        "Escalation rule",
        tuple(rows),
        tuple(names[r] for r in rows if r is not None),
        tuple(c.value for c in columns),
        ("Open", "Closed"),
        tuple(tuple(counts.get((r, c), 0) for c in columns) for r in rows if r is not None),
    )
    opened = sum(1 for s in raised if s.status is EscalationStatus.OPEN)
    return EscalationSummary(
        raised=len(raised),
        open=opened,
        closed=len(raised) - opened,
        open_total=sum(1 for s in loop.states if s.status is EscalationStatus.OPEN),
        by_rule=table,
    )


def _tracker_of(escalation: Escalation) -> str | None:
    """The name of the child of concern tracker an escalation puts a child on, if any."""
    consequence = escalation.consequence
    if consequence is None or consequence.kind is not ConsequenceKind.CHILD_OF_CONCERN_TRACKER:
        return None
    return consequence.name


def _tracker_summaries(profile: Profile, loop: _Loop, period: Period) -> tuple[TrackerSummary, ...]:
    # The profile's trackers, even when empty, then any other an escalation names.
    names: list[str] = []
    for rule in profile.escalation:
        consequence = rule.consequence
        if (
            consequence is not None
            and consequence.kind is ConsequenceKind.CHILD_OF_CONCERN_TRACKER
            and consequence.name not in names
        ):
            names.append(consequence.name)
    tracked: dict[str, list[EscalationState]] = {}
    for state in loop.states:
        name = _tracker_of(state.escalation)
        if name is not None:
            tracked.setdefault(name, []).append(state)
            if name not in names:
                names.append(name)
    summaries = []
    for name in names:
        on = [e for e in loop.tracker if e.tracker == name]
        children = {e.child_id for e in on}
        states = tracked.get(name, [])
        added = {s.escalation.child_id for s in states if s.escalation.raised_on in period}
        left = {
            s.escalation.child_id
            for s in states
            if s.closed_on is not None and s.closed_on in period
        } - children
        summaries.append(
            TrackerSummary(
                name,
                len(children),
                sum(1 for e in on if e.open_actions),
                len(added),
                len(left),
            )
        )
    return tuple(summaries)


_ACTION_COLUMNS = ("done", "open", "overdue")


def _action_summary(records: Sequence[Audit], period: Period, as_of: date) -> ActionSummary:
    counts: Counter[tuple[str | None, str]] = Counter()
    verified = overdue_total = 0
    start, end = period.start, period.end
    for audit in [a for a in records if a.actions]:
        if audit.audit_date > as_of:
            continue
        team = audit.team
        for action in audit.actions:
            status = action_status_as_of(action, as_of)
            late = status is ActionStatus.OPEN and action.due < as_of
            overdue_total += late
            if start <= action.due <= end:
                if status is ActionStatus.OPEN:
                    counts[(team, "overdue" if late else "open")] += 1
                else:
                    counts[(team, "done")] += 1
                    verified += status is ActionStatus.VERIFIED
    teams = _ordered(team for team, _ in counts)
    table = CountTable(
        "Actions due in the period, by team",
        "Team",
        tuple(teams),
        tuple(t if t is not None else _NOT_RECORDED for t in teams),
        _ACTION_COLUMNS,
        ("Done", "Open, not yet due", "Overdue"),
        tuple(tuple(counts.get((t, c), 0) for c in _ACTION_COLUMNS) for t in teams),
    )
    done, still_open, overdue = table.column_totals
    return ActionSummary(
        due=table.total,
        done=done,
        verified=verified,
        open=still_open,
        overdue=overdue,
        overdue_total=overdue_total,
        by_team=table,
    )


def _summary(
    period: Period, counts: Sequence[int], grades: Sequence[ReportGrade], confidence: float
) -> PeriodSummary:
    good = sum(c for c, g in zip(counts, grades, strict=True) if g.good_or_better)
    return PeriodSummary(
        period, sum(counts), tuple(counts), Share.of(good, sum(counts), confidence)
    )


def build_cycle_report(
    audits: Iterable[Audit],
    profile: Profile | ProfileResolver,
    period: Period,
    *,
    as_of: date,
    trend_periods: int = 6,
    escalations: Iterable[Escalation] | None = None,
    calendar: WorkingCalendar | None = None,
    reporting_lines: Iterable[str] | None = None,
    next_meetings: int = 1,
    notes_per_standard: int = 5,
    confidence: float = 0.95,
) -> CycleReport:
    """The :class:`CycleReport` of ``audits`` for ``period``, as of ``as_of``.

    ``profile`` is a profile version, or a resolver giving the version in force on a date
    (``lambda day: load_profile("bolton", as_of=day)``), asked once per audit date; the
    reporting version is the one in force on the period's last day (or ``as_of`` if
    earlier). ``audits`` may reach beyond the period: those of the earlier periods of the
    trend are counted there, and actions and escalations of any audit dated on or before
    ``as_of`` are read. Audits dated after ``as_of`` have not happened yet, nor have
    moderations, actions done or escalations after it.

    - ``trend_periods``: how many periods the trend covers, this one included (at least 2:
      the previous period is always there); each is :func:`previous_period` of the next.
    - ``escalations``: those already evaluated for these audits (by
      :func:`qaframework.engine.escalation.evaluate_escalations_bulk`); evaluated here when None.
    - ``calendar``: the working calendar for deadlines and tracker reviews (the
      ``working_calendar`` hook's when None).
    - ``reporting_lines``: the profile's reporting lines this report is sent by. When None,
      the lines that report the period's audited activities (each activity's
      ``reported_via``; the graded activities' when there were no audits) whose periodic
      cadence is nearest the period's length (Bolton: the 6-weekly report for a cycle, the
      quarterly one for a quarter); every such line when none is periodic.
    - ``next_meetings``: how many meeting dates of each forum to give after the period ends.
    - ``notes_per_standard``: how many strengths and "would improve" notes each learning
      theme keeps, most frequent first.
    - ``confidence``: the level of the Wilson intervals.

    Counting is one pass over the audits with the cycle collector paused, so the cost grows
    linearly with their number. Raises :class:`CycleReportError` for an ``as_of`` before the
    period, a grade not on its version's scale, or an unknown reporting line.
    """
    if as_of < period.start:
        raise CycleReportError(
            f"a report on {period.label} as of {as_of.isoformat()}: the period has not begun"
        )
    if trend_periods < 2:
        raise CycleReportError(
            f"the trend covers this period and the previous one at least, got {trend_periods}"
        )
    resolve = _resolver(profile)
    reporting = resolve(min(period.end, as_of))
    records: Sequence[Audit] = audits if isinstance(audits, list | tuple) else list(audits)
    windows = trailing_periods(period, trend_periods)
    scales = _Scales(reporting)
    grades = tuple(
        ReportGrade(g.code, g.label, g.ilacs, reporting.grade_scale.is_good_or_better(g.code))
        for g in reporting.grade_scale
    )
    with paused_gc():
        tally = _Tally(records, windows, as_of, resolve, scales)
        loop = _closing_the_loop(records, resolve, as_of, escalations, calendar)
        actions = _action_summary(records, period, as_of)
    # Names of activities and standards from the reporting version, else a version that has them.
    versions_seen = [reporting, *tally.profiles]
    activity_counts: Counter[str] = Counter()
    team_counts: Counter[tuple[str | None, str]] = Counter()
    area_counts: Counter[tuple[str | None, str]] = Counter()
    grade_counts: Counter[tuple[str | None, str]] = Counter()
    for (activity, team, area, grade), count in tally.audits.items():
        activity_counts[activity] += count
        if grade is None:
            continue  # an ungraded activity's audits: counted by activity only
        team_counts[(team, grade)] += count
        area_counts[(area, grade)] += count
        grade_counts[(None, grade)] += count
    graded = [a.id for a in reporting.activities if a.graded]
    activities = _ordered([*graded, *activity_counts], [a.id for a in reporting.activities])
    by_activity = CountTable(
        "Audits by activity",
        "Activity",
        tuple(activities),
        tuple(_activity_name(versions_seen, a or "") for a in activities),
        ("audits",),
        ("Audits",),
        tuple((activity_counts.get(a or "", 0),) for a in activities),
    )
    overall = _grade_breakdown(
        "Audits by grade", "Audits", (None,), ("All audits",), grade_counts, grades, confidence
    )
    teams = _ordered(team for team, _ in team_counts)
    by_team = _grade_breakdown(
        "Audits by team and grade",
        "Team",
        teams,
        [t if t is not None else _NOT_RECORDED for t in teams],
        team_counts,
        grades,
        confidence,
    )
    areas = _ordered(area for area, _ in area_counts)
    by_area = _grade_breakdown(
        "Audits by service area and grade",
        "Service area",
        areas,
        [a if a is not None else _NOT_RECORDED for a in areas],
        area_counts,
        grades,
        confidence,
    )
    standard_counts: Counter[tuple[str | None, str]] = Counter()
    for (standard, grade, _s, _w), count in tally.judged.items():
        standard_counts[(standard, grade)] += count
    standards = _ordered((s for s, _ in standard_counts), [s.id for s in reporting.standards])
    by_standard = _grade_breakdown(
        "Judgements by practice standard and grade",
        "Practice standard",
        standards,
        [_standard_title(versions_seen, s or "") for s in standards],
        standard_counts,
        grades,
        confidence,
    )
    trend = tuple(
        _summary(window, [tally.windows.get((i, g.code), 0) for g in grades], grades, confidence)
        for i, window in enumerate(windows)
    )
    now, before = trend[-1], trend[-2]
    change = PeriodChange(
        before,
        now.audits - before.audits,
        tuple(a - b for a, b in zip(now.grades, before.grades, strict=True)),
        now.good_or_better.value - before.good_or_better.value
        if now.good_or_better.value is not None and before.good_or_better.value is not None
        else None,
    )
    codes = [g.code for g in grades]
    matrix = tuple(tuple(tally.pairs.get((a, b), 0) for b in codes) for a in codes)
    moderated = sum(map(sum, matrix))
    agreed = sum(matrix[i][i] for i in range(len(codes)))
    agreement = Agreement(
        scale=reporting.grade_scale.id,
        grades=tuple(codes),
        period=Period(period.start, as_of),
        count=moderated,
        agreed=agreed,
        upgrades=sum(matrix[i][j] for i in range(len(codes)) for j in range(i)),
        downgrades=sum(matrix[i][j] for i in range(len(codes)) for j in range(i + 1, len(codes))),
        exact_agreement=agreed / moderated if moderated else None,
        matrix=matrix,
        kappas=tuple(cohen_kappa(matrix, w, confidence=confidence) for w in Weighting),
        without_moderation=now.audits - moderated,
    )
    moderation = ModerationSummary(
        now.audits, moderated, Share.of(moderated, now.audits, confidence), agreement
    )
    strengths, improve = _note_counts(tally.judged)
    kept = {
        standard: (
            _kept_notes(strengths.get(standard), notes_per_standard),
            _kept_notes(improve.get(standard), notes_per_standard),
        )
        for standard in strengths.keys() | improve.keys()
    }
    # Notes are free text about a child and may name one: the children's ids among the kept
    # notes' words are found in one pass over the audits, and taken out.
    words = {
        w for pair in kept.values() for notes in pair for text, _ in notes for w in _words_of(text)
    }
    children = words.intersection(map(_CHILD, records)) if words else set()
    below = {g.code for g in grades if not g.good_or_better}
    themes = []
    for index, judged_standard in enumerate(standards):
        assert judged_standard is not None  # judgements always name their standard
        row = by_standard.table.counts[index]
        below_count = sum(c for c, g in zip(row, grades, strict=True) if g.code in below)
        strong, improvable = kept.get(judged_standard, ([], []))
        themes.append(
            LearningTheme(
                judged_standard,
                by_standard.table.row_labels[index],
                sum(row),
                Share.of(below_count, sum(row), confidence),
                _redacted(strong, children),
                _redacted(improvable, children),
            )
        )
    order = {s: i for i, s in enumerate(standards)}
    themes.sort(
        key=lambda t: (-t.below_good.count, -(t.below_good.value or 0.0), order[t.standard])
    )
    return CycleReport(
        profile_id=reporting.id,
        authority=reporting.authority,
        profile_version=reporting.version,
        versions=tuple(sorted({reporting.version, *tally.versions})),
        period=period,
        as_of=as_of,
        grades=grades,
        audits=now.audits,
        by_activity=by_activity,
        overall=overall,
        by_standard=by_standard,
        by_team=by_team,
        by_service_area=by_area,
        trend=trend,
        change=change,
        moderation=moderation,
        escalations=_escalation_summary(reporting, loop, period),
        trackers=_tracker_summaries(reporting, loop, period),
        actions=actions,
        themes=tuple(themes),
        destinations=_destinations(
            reporting, period, activity_counts, reporting_lines, next_meetings
        ),
    )


def child_level_detail(
    audits: Iterable[Audit],
    profile: Profile | ProfileResolver,
    period: Period,
    *,
    as_of: date,
    escalations: Iterable[Escalation] | None = None,
    calendar: WorkingCalendar | None = None,
) -> ChildLevelDetail:
    """The OFFICIAL-SENSITIVE child-level rows behind a cycle report (same arguments as
    :func:`build_cycle_report`): escalations raised in the period or open on ``as_of``, the
    children on a child of concern tracker, and the actions overdue on ``as_of``. Only on
    request: a :class:`CycleReport` never holds them."""
    if as_of < period.start:
        raise CycleReportError(
            f"child-level detail for {period.label} as of {as_of.isoformat()}: the period "
            "has not begun"
        )
    resolve = _resolver(profile)
    reporting = resolve(min(period.end, as_of))
    records: Sequence[Audit] = audits if isinstance(audits, list | tuple) else list(audits)
    with paused_gc():
        loop = _closing_the_loop(records, resolve, as_of, escalations, calendar)
        rows = tuple(
            EscalationRow(
                e.child_id,
                e.audit_id,
                e.rule_id,
                e.rule.name,
                e.team,
                e.grade,
                e.raised_on,
                e.deadline,
                s.status,
                s.closed_on,
                s.closure.value if s.closure is not None else None,
            )
            for s in loop.states
            for e in (s.escalation,)
            if e.raised_on in period or s.status is EscalationStatus.OPEN
        )
        tracker = tuple(
            TrackerRow(
                t.tracker,
                t.child_id,
                t.audit_id,
                t.team,
                t.grade,
                t.added_on,
                t.next_review,
                len(t.open_actions),
                len(t.awaiting_verification),
            )
            for t in loop.tracker
        )
        overdue = []
        for audit in records:
            if audit.audit_date > as_of:
                continue
            for action in audit.actions:
                if action_status_as_of(action, as_of) is ActionStatus.OPEN and action.due < as_of:
                    overdue.append(
                        OverdueActionRow(
                            audit.child_id,
                            audit.id,
                            action.id,
                            action.what,
                            action.owner,
                            audit.team,
                            action.due,
                            (as_of - action.due).days,
                        )
                    )
    overdue.sort(key=lambda r: (r.due, r.audit_id, r.action_id))
    return ChildLevelDetail(reporting.id, period, as_of, rows, tracker, tuple(overdue))


# ---------------------------------------------------------------------------------------------
# Several councils side by side on the ILACS crosswalk
# ---------------------------------------------------------------------------------------------

_ILACS = tuple(Ilacs)


@attrs.frozen
class AuthorityRow:
    """One council's period on the ILACS crosswalk.

    ``counts`` are its audits by ILACS judgement (Outstanding, Good, Requires improvement,
    Inadequate); ``good_or_better`` is the share good or better on the council's own scale
    and threshold, ``ilacs_good_or_better`` the share judged Outstanding or Good.
    """

    profile_id: str
    authority: str
    profile_version: str
    period: Period
    audits: int
    counts: tuple[int, ...]
    good_or_better: Share
    ilacs_good_or_better: Share


@attrs.frozen
class CrossAuthorityComparison:
    """Several councils' reports side by side on the ILACS crosswalk (exact counts)."""

    councils: tuple[AuthorityRow, ...]

    def table(self) -> CountTable:
        """Audits by council (rows) and ILACS judgement (columns)."""
        return CountTable(
            "Audits by council and ILACS judgement",
            "Council",
            tuple(c.profile_id for c in self.councils),
            tuple(c.authority for c in self.councils),
            tuple(j.value for j in _ILACS),
            tuple(j.label for j in _ILACS),
            tuple(c.counts for c in self.councils),
        )


@attrs.frozen
class PublishedComparison:
    """A :class:`CrossAuthorityComparison` as published: counts None where suppressed and
    shares None where withheld (see :func:`publish_comparison`)."""

    policy: SuppressionPolicy
    periods: tuple[Period, ...]
    table: SuppressedTable
    good_or_better: tuple[Share | None, ...]
    ilacs_good_or_better: tuple[Share | None, ...]


def _ilacs_columns(report: CycleReport) -> list[int]:
    return [_ILACS.index(g.ilacs) for g in report.grades]


def compare_authorities(reports: Iterable[CycleReport]) -> CrossAuthorityComparison:
    """Councils' cycle reports side by side: each report's period audits by ILACS judgement.

    Each council's grades are mapped to ILACS through its own scale's crosswalk, so councils
    with different scales (Bolton's "Meets good", a RAG rating) are compared on one.
    """
    rows = []
    for report in reports:
        counts = [0] * len(_ILACS)
        column_totals = report.overall.table.column_totals
        for column, count in zip(_ilacs_columns(report), column_totals, strict=True):
            counts[column] += count
        confidence = report.good_or_better.confidence
        rows.append(
            AuthorityRow(
                report.profile_id,
                report.authority,
                report.profile_version,
                report.period,
                report.audits,
                tuple(counts),
                report.good_or_better,
                Share.of(counts[0] + counts[1], report.audits, confidence),
            )
        )
    return CrossAuthorityComparison(tuple(rows))


def publish_comparison(
    reports: Sequence[CycleReport], policy: SuppressionPolicy | None = None
) -> PublishedComparison:
    """:func:`compare_authorities` as it may be published with each council's own report.

    A council's ILACS count is suppressed wherever a grade it sums is suppressed in that
    council's published report (so the comparison never reveals what the report hides),
    then the comparison table is protected as any other (see
    :mod:`qaframework.engine.suppression`). A council's own-threshold share is published when its
    good-or-better grades make up whole ILACS columns that are published.
    """
    chosen = policy if policy is not None else SuppressionPolicy()
    comparison = compare_authorities(reports)
    forced: list[tuple[int, Position]] = []
    if chosen.enabled:
        for row, report in enumerate(reports):
            published = report.publishable(chosen).overall.table
            for column, shown in zip(_ilacs_columns(report), published.column_totals, strict=True):
                if shown is None:
                    forced.append((row, Position(row, column)))
            if published.total is None:
                forced.append((row, Position(row, None)))
    forced_here = [(0, position) for _, position in forced]
    (table,) = suppress_linked((comparison.table(),), (), chosen, forced=forced_here)
    shares: list[Share | None] = []
    ilacs_shares: list[Share | None] = []
    for row, (report, council) in enumerate(zip(reports, comparison.councils, strict=True)):
        confidence = council.good_or_better.confidence
        ilacs_shares.append(_share_of(table, row, [0, 1], confidence))
        columns = _ilacs_columns(report)
        good = {c for c, g in zip(columns, report.grades, strict=True) if g.good_or_better}
        rest = {c for c, g in zip(columns, report.grades, strict=True) if not g.good_or_better}
        shares.append(_share_of(table, row, sorted(good), confidence) if not good & rest else None)
    return PublishedComparison(
        chosen,
        tuple(c.period for c in comparison.councils),
        table,
        tuple(shares),
        tuple(ilacs_shares),
    )
