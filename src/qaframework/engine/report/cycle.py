"""The cycle report, and its publishable view: small-number suppression applied to every
table, every figure that would reveal a suppressed count withheld."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from qaframework.engine.frames import EXACT, PUBLISHED, Backend, Frames, library
from qaframework.engine.periods import Period
from qaframework.engine.report.intervals import Share
from qaframework.engine.report.model import (
    ActionSummary,
    Destination,
    EscalationSummary,
    GradeBreakdown,
    LearningTheme,
    ModerationSummary,
    PeriodChange,
    PeriodSummary,
    PublishedActions,
    PublishedBreakdown,
    PublishedChange,
    PublishedEscalations,
    PublishedModeration,
    PublishedTheme,
    PublishedTracker,
    ReportGrade,
    TrackerSummary,
)
from qaframework.engine.report.published import PublishedCycleReport, ReportFrames, summary_html
from qaframework.engine.suppression import (
    CountTable,
    Position,
    SuppressedTable,
    SuppressionPolicy,
    suppress_linked,
)

__all__ = [
    "CycleReport",
    "report_frames",
]


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
        """A notebook's summary of the publishable view (see
        :meth:`PublishedCycleReport._repr_html_
        <qaframework.engine.report.published.PublishedCycleReport._repr_html_>`)."""
        return summary_html(self.publishable())

    def to_pandas(self, policy: SuppressionPolicy | None = None) -> Frames:
        """Each table as a tidy pandas frame, in the published view unless ``policy`` says
        otherwise (see :func:`report_frames`); needs the ``pandas`` extra."""
        return report_frames(self, backend="pandas", policy=policy)

    def to_polars(self, policy: SuppressionPolicy | None = None) -> Frames:
        """Each table as a tidy polars frame, in the published view unless ``policy`` says
        otherwise (see :func:`report_frames`); needs the ``polars`` extra."""
        return report_frames(self, backend="polars", policy=policy)


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
        trend_periods=tuple(s.period for s in report.trend),
    )


def report_frames(
    report: CycleReport, *, backend: Backend = "pandas", policy: SuppressionPolicy | None = None
) -> Frames:
    """Each table of a cycle report as a tidy frame, in the published view by default.

    ``policy`` is the small-number suppression applied (the default
    :class:`~qaframework.engine.suppression.SuppressionPolicy` when None, as
    :meth:`~qaframework.engine.report.CycleReport.publishable` applies it);
    ``SuppressionPolicy.off()`` gives the exact view, which is not for publication. The
    frames, by name (``period`` is the report's period label in each, a trend row's own in
    ``trend`` and in the trend rows of ``shares``):

    - ``by_activity``: period, activity, activity_name, count, suppressed;
    - ``overall``: the period's audits by grade: period, grade, grade_label, count,
      suppressed; ``by_standard`` (judgements) adds standard and standard_title,
      ``by_team`` adds team, ``by_service_area`` adds service_area (missing where not
      recorded); ``trend`` has one period per row of the trend, with its start and end;
    - ``shares``: the share good or better of each row of those tables: period, breakdown
      (overall, standard, team, service_area, trend), key, label, total, good_or_better (the
      count), share, lower and upper (the Wilson interval), withheld;
    - ``moderation_matrix``: period, auditor_grade, moderated_grade, count, suppressed;
    - ``escalations``: period, rule, rule_name, status, status_label, count, suppressed
      (raised in the period, open or closed on the report's date);
    - ``actions``: period, team, status (done, open, overdue), status_label, count,
      suppressed (actions due in the period);
    - ``trackers``: period, tracker, measure (children, with_open_actions, added, left),
      count, suppressed;
    - ``themes``: the learning themes in order: period, rank, standard, standard_title,
      judged, below_good (the count), share, lower, upper, withheld; ``notes``: period,
      standard, kind (strength, would_improve), text, count, suppressed;
    - ``figures``: the headline numbers as period, measure, value, withheld (audits,
      changes, shares, moderation, kappas, escalations and actions);
    - ``destinations``: period, reporting_line, report, recipient, forum, meeting (one row
      per meeting date, missing for a forum that meets as required).

    ``suppressed`` and ``withheld`` are false throughout the exact view. A value missing
    with ``withheld`` false is undefined, not hidden (a share of no audits, kappa with
    nothing moderated).
    """
    chosen = policy if policy is not None else SuppressionPolicy()
    library(backend)
    published = report.publishable(chosen)
    exact = published if not chosen.enabled else report.publishable(SuppressionPolicy.off())
    built = ReportFrames(published, exact, backend).all()
    return Frames(PUBLISHED if chosen.enabled else EXACT, built, chosen)


# ---------------------------------------------------------------------------------------------
# Audit records
