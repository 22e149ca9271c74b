"""The values a cycle report is made of: its grade tables, summaries and learning themes, as
counted (exact) and as published (small numbers suppressed)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import attrs

from qaframework.engine.agreement import Agreement, Kappa
from qaframework.engine.periods import Period
from qaframework.engine.report.intervals import Share
from qaframework.engine.suppression import (
    CountTable,
    SuppressedTable,
)
from qaframework.policy.cadence import Cadence
from qaframework.policy.grades import Ilacs

if TYPE_CHECKING:
    pass

__all__ = [
    "NOTE_KINDS",
    "OFFICIAL_SENSITIVE",
    "ActionSummary",
    "Destination",
    "EscalationSummary",
    "GradeBreakdown",
    "LearningTheme",
    "ModerationSummary",
    "Note",
    "PeriodChange",
    "PeriodSummary",
    "PublishedActions",
    "PublishedBreakdown",
    "PublishedChange",
    "PublishedEscalations",
    "PublishedModeration",
    "PublishedTheme",
    "PublishedTracker",
    "ReportGrade",
    "TrackerSummary",
]

OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
"""The Government Security Classification marking of child-level detail."""

NOTE_KINDS = (("strengths", "Strengths"), ("would_improve", "What would have made it better"))
"""The kinds of note an auditor writes on a judgement: key and what a reader sees."""


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
    """One period of a trend: its audits, how many had each grade, and the share good or better.

    ``recorded`` is False for a period in which no audit given is dated (of any activity):
    the export holds no data for it, and its zeros are not counts. The report's own period
    is always recorded.
    """

    period: Period
    audits: int
    grades: tuple[int, ...]
    good_or_better: Share
    recorded: bool = True


@attrs.frozen
class PeriodChange:
    """The change from the previous period to this one.

    ``audits`` and ``grades`` are differences of counts (this period less the previous), None
    when the previous period has no data (:attr:`PeriodSummary.recorded`);
    ``good_or_better`` is the difference of the shares good or better (0.05 is five
    percentage points up), None when either period had no audits.
    """

    previous: PeriodSummary
    audits: int | None
    grades: tuple[int | None, ...]
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
    escalation open on the date, whenever raised. ``recorded`` is False when a rule is set
    off by data the audits do not carry (concerns, moderations): no escalation figure can
    then be given; ``status_recorded`` False when a rule closes on data they do not carry
    (verified actions): which escalations are open or closed cannot be told.
    """

    raised: int
    open: int
    closed: int
    open_total: int
    by_rule: CountTable
    recorded: bool = True
    status_recorded: bool = True


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
    ``strengths_written`` and ``would_improve_written`` count its judgements with a
    strength and with a "what would have made it better" note. ``strengths`` and
    ``would_improve`` are the notes most often written about it, most frequent first,
    each child's id of the audits however written replaced by ``[child id]``: free text,
    published only when a council opts in
    (:class:`~qaframework.engine.report.notes.NotePublication`).
    """

    standard: str
    title: str
    judged: int
    below_good: Share
    strengths: tuple[Note, ...]
    would_improve: tuple[Note, ...]
    strengths_written: int = 0
    would_improve_written: int = 0


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
    """A :class:`PeriodChange` as published: each difference None where withheld, or where
    the previous period has no data (``recorded`` False: a change against no data is no
    figure)."""

    previous: str
    audits: int | None
    grades: tuple[int | None, ...]
    good_or_better: float | None
    recorded: bool = True


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
    totals). Where ``recorded`` (or, for open and closed, ``status_recorded``) is False the
    figures are None: not recorded in the export, not suppressed."""

    raised: int | None
    open: int | None
    closed: int | None
    open_total: int | None
    by_rule: SuppressedTable
    recorded: bool = True
    status_recorded: bool = True


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
    """A :class:`LearningTheme` as published: counts by standard and kind of note
    (``strengths_written``, ``would_improve_written``; None where suppressed). The notes
    themselves are empty unless the council opted in to publish them; a note's count is
    then None where small or where it could reveal a suppressed count."""

    standard: str
    title: str
    judged: int | None
    below_good_count: int | None
    below_good: Share | None
    strengths: tuple[tuple[str, int | None], ...]
    would_improve: tuple[tuple[str, int | None], ...]
    strengths_written: int | None = None
    would_improve_written: int | None = None
