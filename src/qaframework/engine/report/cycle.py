"""The cycle report, and its publishable view: small-number suppression applied to every
table, every figure that would reveal a suppressed count withheld."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from qaframework.engine.audits import RecordedData
from qaframework.engine.frames import EXACT, PUBLISHED, Backend, Frames, library
from qaframework.engine.periods import Period
from qaframework.engine.report.compliance import (
    ComplianceSummary,
    ScaleSummary,
    links_to_activities,
    publish_compliance,
    publish_scale,
)
from qaframework.engine.report.intervals import Share
from qaframework.engine.report.model import (
    ActionSummary,
    Destination,
    EscalationSummary,
    GradeBreakdown,
    LearningTheme,
    ModerationSummary,
    Note,
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
from qaframework.engine.report.notes import NotePublication, redact
from qaframework.engine.report.published import PublishedCycleReport, ReportFrames, summary_html
from qaframework.engine.suppression import (
    CountTable,
    Nesting,
    Position,
    SuppressedTable,
    SuppressionPolicy,
    suppress_linked,
)
from qaframework.policy.basis import Basis

__all__ = [
    "CycleReport",
    "report_frames",
]


@attrs.frozen(repr=False)
class CycleReport:
    """A profile's report on a period's audits, as of a date (see the module docstring).

    ``profile_version`` is the reporting version, ``versions`` every version the counted
    audits were graded under. ``grades`` is the reporting scale, best first: every grade
    table has one column per grade in that order. ``overall`` has one row, the period's
    audits; ``trend`` ends with this period, ``change`` compares it with the one before.
    ``by_activity`` counts every audit of the period (``graded_by_activity``: how many of
    each activity's were graded); ``audits`` and every grade figure (by grade, team,
    service area and standard, the trend, the moderation statistics) count the graded
    audits only, those of activities that grade practice. ``by_team`` has a row per team
    within its service area (a team whose audits were recorded in several service areas
    has a row in each, labelled with the area), and ``team_areas`` gives each row's (team,
    service area): the team rows nest in the service areas'.
    ``notes_written`` counts the judgements with each kind of note, by standard.
    ``recorded`` says which kinds of data the audits carry.
    ``basis`` says what the figures rest on: the profile's assumptions about what they count,
    the details it does not state and the kinds of rule it does not encode
    (:class:`~qaframework.policy.basis.Basis`).
    ``compliance`` counts the answers to the activities' compliance checklists item by item
    (None when no activity has one), and ``scales`` the grades on each of the profile's other
    scales.
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
    graded_by_activity: tuple[int, ...] = ()
    team_areas: tuple[tuple[str | None, str | None], ...] = ()
    notes_written: CountTable | None = None
    recorded: RecordedData = attrs.field(factory=RecordedData)
    basis: Basis = attrs.field(factory=lambda: Basis(""))
    compliance: ComplianceSummary | None = None
    scales: tuple[ScaleSummary, ...] = ()

    @property
    def good_or_better(self) -> Share:
        """The period's share of audits graded good or better."""
        return self.overall.overall

    def trend_table(self) -> CountTable:
        """The trend as a table: one row per period with data, oldest first (a period in
        which no audit is dated is left out, not counted as zeros), one column per grade."""
        rows = [s for s in self.trend if s.recorded]
        return CountTable(
            "Audits by grade, period by period",
            "Period",
            tuple(s.period.label for s in rows),
            tuple(s.period.label for s in rows),
            tuple(g.code for g in self.grades),
            tuple(g.label for g in self.grades),
            tuple(s.grades for s in rows),
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

    def publishable(
        self, policy: SuppressionPolicy | None = None, *, notes: NotePublication | None = None
    ) -> PublishedCycleReport:
        """The report as it may be published: small numbers suppressed (see
        :mod:`qaframework.engine.suppression`; the default policy unless ``policy`` is given).

        Tables published together are suppressed as one system of equations: the trend,
        the period's grades, the service areas within them and the teams within the
        service areas nest, and the graded activities add up to the period's graded audits,
        so no table reveals what another hides. A figure worked out from a table (a share,
        a change, a theme's count, agreement) is published only when a reader could work
        it out from the published tables too and it is not itself a small number; kappa is
        withheld when the agreement matrix has a suppressed cell.

        Learning themes are published as counts; auditors' notes (free text) only when
        ``notes`` says the council opted in, redacted as it says
        (:mod:`qaframework.engine.report.notes`), each note's count suppressed when small.
        A figure that needs data the audits do not carry (:attr:`recorded`) is None and
        said to be not recorded.
        """
        return _publish(self, policy if policy is not None else SuppressionPolicy(), notes)

    def __repr__(self) -> str:
        return (
            f"<CycleReport {self.profile_id!r} {self.period.label!r} as of "
            f"{self.as_of.isoformat()}: {self.audits:,} graded audits (exact counts: "
            "publish with .publishable())>"
        )

    def _repr_html_(self) -> str:
        """A notebook's summary of the publishable view (see
        :meth:`PublishedCycleReport._repr_html_
        <qaframework.engine.report.published.PublishedCycleReport._repr_html_>`)."""
        return summary_html(self.publishable())

    def to_pandas(
        self, policy: SuppressionPolicy | None = None, *, notes: NotePublication | None = None
    ) -> Frames:
        """Each table as a tidy pandas frame, in the published view unless ``policy`` says
        otherwise (see :func:`report_frames`); needs the ``pandas`` extra."""
        return report_frames(self, backend="pandas", policy=policy, notes=notes)

    def to_polars(
        self, policy: SuppressionPolicy | None = None, *, notes: NotePublication | None = None
    ) -> Frames:
        """Each table as a tidy polars frame, in the published view unless ``policy`` says
        otherwise (see :func:`report_frames`); needs the ``polars`` extra."""
        return report_frames(self, backend="polars", policy=policy, notes=notes)


def _small(value: int | None, policy: SuppressionPolicy) -> int | None:
    """A count that stands alone, suppressed when it is small: from 1 to the threshold, and
    to 2 when the threshold is 1 (a ``c`` that could only be 1 would say it is 1)."""
    if value is None or not policy.enabled:
        return value
    return None if 1 <= value <= max(policy.threshold, 2) else value


def _alone(title: str, value: int) -> CountTable:
    """A count that stands alone, as a table of one number."""
    return CountTable(title, "", (None,), ("",), ("count",), ("Count",), ((value,),))


def _on_the_day(table: SuppressedTable, floor: int | None, policy: SuppressionPolicy) -> int | None:
    """A count on the report's day, whenever due or raised: None where suppressed with the
    tables (when the period's count needed it hidden) or small alone. ``floor`` is the
    period's count, which it is no fewer than: when that is shown and would leave a hidden
    count one value only, the count is shown (it reveals nothing more)."""
    value = table.total
    if value is None or not policy.enabled:
        return value
    high = max(policy.threshold, 2)
    if 1 <= value <= high and not (floor is not None and floor >= high):
        return None
    return value


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


def _view(
    table: CountTable,
    shown: dict[tuple[int | None, int | None], int | None],
    policy: SuppressionPolicy,
) -> SuppressedTable:
    """``table`` as published from the numbers of other tables that hold it (``shown``, by
    position): a team's row is a row of teams within service areas, or the totals of a
    team's service areas."""
    rows, columns = len(table.row_keys), len(table.column_keys)
    hidden = [p for p, v in shown.items() if v is None]
    threshold = policy.threshold if policy.enabled else 0
    primary = sum(
        1 for row, column in hidden if 1 <= table.value(Position(row, column)) <= threshold
    )
    return SuppressedTable(
        title=table.title,
        row_header=table.row_header,
        row_keys=table.row_keys,
        row_labels=table.row_labels,
        column_keys=table.column_keys,
        column_labels=table.column_labels,
        cells=tuple(tuple(shown[(r, c)] for c in range(columns)) for r in range(rows)),
        row_totals=tuple(shown[(r, None)] for r in range(rows)),
        column_totals=tuple(shown[(None, c)] for c in range(columns)),
        total=shown[(None, None)],
        threshold=policy.threshold if policy.enabled else None,
        marker=policy.marker,
        primary=primary,
        secondary=len(hidden) - primary,
    )


def _not_recorded(table: CountTable, policy: SuppressionPolicy) -> SuppressedTable:
    """A table whose numbers the audits do not carry: every one None, none suppressed."""
    rows, columns = len(table.row_keys), len(table.column_keys)
    return SuppressedTable(
        title=table.title,
        row_header=table.row_header,
        row_keys=table.row_keys,
        row_labels=table.row_labels,
        column_keys=table.column_keys,
        column_labels=table.column_labels,
        cells=tuple(tuple(None for _ in range(columns)) for _ in range(rows)),
        row_totals=tuple(None for _ in range(rows)),
        column_totals=tuple(None for _ in range(columns)),
        total=None,
        threshold=policy.threshold if policy.enabled else None,
        marker=policy.marker,
    )


def _positions(table: CountTable) -> list[tuple[int | None, int | None]]:
    rows, columns = len(table.row_keys), len(table.column_keys)
    return [(r, c) for r in [*range(rows), None] for c in [*range(columns), None]]


class _Tables:
    """The tables published together, with how they nest and link (see
    :meth:`CycleReport.publishable`), and their suppression."""

    def __init__(self, report: CycleReport) -> None:
        self.tables: list[CountTable] = []
        self.nestings: list[Nesting] = []
        self.links: list[list[tuple[int, Position]]] = []
        self.forced: list[tuple[int, Position]] = []
        self.report = report

    def add(self, table: CountTable) -> int:
        self.tables.append(table)
        return len(self.tables) - 1

    def force(self, table: int, positions: list[tuple[int | None, int | None]]) -> None:
        self.forced.extend((table, Position(r, c)) for r, c in positions)


def _activities(report: CycleReport) -> CountTable:
    """Audits by activity, graded and not: the graded column adds up to the graded audits."""
    table = report.by_activity
    graded = report.graded_by_activity or tuple(0 for _ in table.row_keys)
    return CountTable(
        table.title,
        table.row_header,
        table.row_keys,
        table.row_labels,
        ("graded", "ungraded"),
        ("Graded", "Not graded"),
        tuple((g, row[0] - g) for g, row in zip(graded, table.counts, strict=True)),
    )


def _at_most(
    report: CycleReport,
    t_overall: int,
    t_standard: int,
    t_matrix: int,
    t_notes: int | None,
) -> list[tuple[tuple[int, Position], tuple[int, Position]]]:
    """What a reader knows of the report's numbers besides the tables' equations: a grade's
    moderated audits are no more than its audits, and all moderated no more than the
    audits; a standard's judgements no more than the audits, and its notes of each kind no
    more than its judgements."""
    found: list[tuple[tuple[int, Position], tuple[int, Position]]] = []
    audits = (t_overall, Position(0, None))
    if report.recorded.moderation:
        for g in range(len(report.grades)):
            found.append(((t_matrix, Position(None, g)), (t_overall, Position(0, g))))
        found.append(((t_matrix, Position(None, None)), audits))
    notes = report.notes_written
    for row in range(len(report.by_standard.table.row_keys)):
        found.append(((t_standard, Position(row, None)), audits))
        if t_notes is not None and notes is not None:
            for column in range(len(notes.column_keys)):
                found.append(((t_notes, Position(row, column)), (t_standard, Position(row, None))))
    return found


def _publish(
    report: CycleReport, policy: SuppressionPolicy, notes: NotePublication | None
) -> PublishedCycleReport:
    grades = len(report.grades)
    good = [i for i, g in enumerate(report.grades) if g.good_or_better]
    confidence = report.overall.overall.confidence
    recorded = report.recorded
    trend = report.trend_table()
    last = len(trend.row_keys) - 1
    previous = last - 1 if report.trend[-2].recorded else None
    matrix = report.moderation_matrix()
    areas = {area: i for i, area in enumerate(report.by_service_area.table.row_keys)}
    team_table = report.by_team.table
    pairs = report.team_areas
    # Each team row is a team within one service area (a team recorded in several has a row
    # in each): the rows nest in the areas'. A report that does not say so (made by an
    # earlier version) has its teams' table stand on its own, its totals linked.
    nested = (
        len(pairs) == len(team_table.row_keys)
        and all(team == key for (team, _a), key in zip(pairs, team_table.row_keys, strict=True))
        and all(area in areas for _team, area in pairs)
    )
    built = _Tables(report)
    t_trend = built.add(trend)
    t_overall = built.add(report.overall.table)
    t_area = built.add(report.by_service_area.table)
    t_team = built.add(team_table)
    built.nestings.append(Nesting(t_overall, t_trend, (last,), last))
    built.nestings.append(
        Nesting(t_area, t_overall, tuple(0 for _ in report.by_service_area.table.row_keys), 0)
    )
    if nested:
        built.nestings.append(Nesting(t_team, t_area, tuple(areas[area] for _team, area in pairs)))
    else:
        pairs = ()
        for column in [*range(grades), None]:
            built.links.append([(t_team, Position(None, column)), (t_overall, Position(0, column))])
    activities = _activities(report)
    t_activity = built.add(activities)
    built.links.append([(t_activity, Position(None, 0)), (t_overall, Position(0, None))])
    graded_rows = set()
    for row, (count, part) in enumerate(activities.counts):
        if count and part:
            built.force(t_activity, [(row, 0), (row, 1)])
        if count:
            graded_rows.add(row)
    built.force(t_activity, [(None, 1)])
    # Compliance and other scales: each row adds up to its activity's audits.
    compliance = report.compliance
    t_compliance = None
    if compliance is not None and recorded.checklist:
        t_compliance = built.add(compliance.table)
        built.links.extend(
            links_to_activities(
                compliance.activities, activities.row_keys, t_compliance, t_activity
            )
        )
    t_scales = []
    for summary in report.scales:
        t_scale = built.add(summary.table)
        built.links.extend(
            links_to_activities(
                [key or "" for key in summary.table.row_keys],
                activities.row_keys,
                t_scale,
                t_activity,
            )
        )
        t_scales.append(t_scale)
    t_standard = built.add(report.by_standard.table)
    t_matrix = built.add(matrix)
    t_rule = built.add(report.escalations.by_rule)
    escalations = report.escalations
    if escalations.recorded and not escalations.status_recorded:
        rule_table = report.escalations.by_rule
        built.force(
            t_rule,
            [p for p in _positions(rule_table) if p[1] is not None],
        )
    t_actions = built.add(report.actions.by_team)
    notes_table = report.notes_written
    t_notes = built.add(notes_table) if notes_table is not None else None
    # Counts on the day, whenever due or raised: no fewer than the period's, a bound a
    # reader has on the period's counts while they are shown.
    t_overdue = built.add(_alone("Actions overdue on the day", report.actions.overdue_total))
    t_open = built.add(_alone("Escalations open on the day", escalations.open_total))
    day_bounds: list[tuple[tuple[int, Position], tuple[int, Position]]] = []
    if recorded.actions:
        day_bounds.append(((t_actions, Position(None, 2)), (t_overdue, Position(0, 0))))
    if escalations.recorded and escalations.status_recorded:
        day_bounds.append(((t_rule, Position(None, 0)), (t_open, Position(0, 0))))
    published = suppress_linked(
        built.tables,
        built.links,
        policy,
        forced=built.forced,
        nestings=built.nestings,
        at_most=[*_at_most(report, t_overall, t_standard, t_matrix, t_notes), *day_bounds],
        # The period's grades and audits: what a board reads first.
        headlines=[(t_overall, Position(0, g)) for g in [*range(grades), None]],
        # A judgement may have notes of both kinds: a row's total counts it twice.
        loose_totals=[] if t_notes is None else [t_notes],
    )
    trend_published = published[t_trend]
    overall = published[t_overall]
    by_area = published[t_area]
    by_team = published[t_team]
    activity_published = published[t_activity]
    by_activity = _view(
        report.by_activity,
        {
            **{
                (row, column): activity_published.row_totals[row]
                for row in range(len(report.by_activity.row_keys))
                for column in (0, None)
            },
            (None, 0): activity_published.total,
            (None, None): activity_published.total,
        },
        policy,
    )
    by_standard = published[t_standard]
    matrix_published = published[t_matrix]
    by_rule = published[t_rule]
    by_team_actions = published[t_actions]
    notes_published = published[t_notes] if t_notes is not None else None
    if not recorded.moderation:
        matrix_published = _not_recorded(matrix, policy)
    if not escalations.recorded:
        by_rule = _not_recorded(report.escalations.by_rule, policy)
    if not recorded.actions:
        by_team_actions = _not_recorded(report.actions.by_team, policy)
    audits = overall.total
    change = report.change

    def difference(now: int | None, before: int | None) -> int | None:
        return None if now is None or before is None else now - before

    trend_breakdown = _published_breakdown(trend_published, good, confidence)
    share_now = trend_breakdown.good_or_better[last]
    if previous is None:
        published_change = PublishedChange(
            change.previous.period.label, None, tuple(None for _ in range(grades)), None, False
        )
    else:
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
    withheld = recorded.moderation and (
        policy.enabled and any(cell is None for row in matrix_published.cells for cell in row)
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
        kappas=report.moderation.agreement.kappas if recorded.moderation and not withheld else (),
        kappa_withheld=withheld,
    )
    told = escalations.recorded and escalations.status_recorded
    published_escalations = PublishedEscalations(
        raised=by_rule.total if escalations.recorded else None,
        open=by_rule.column_totals[0] if told else None,
        closed=by_rule.column_totals[1] if told else None,
        # Open on the day, whenever raised, is at least those raised in the period and open:
        # shown only beside that count.
        open_total=_on_the_day(published[t_open], by_rule.column_totals[0], policy)
        if told
        else None,
        by_rule=by_rule,
        recorded=escalations.recorded,
        status_recorded=told,
    )
    done = by_team_actions.column_totals[0] if recorded.actions else None
    actions = PublishedActions(
        due=by_team_actions.total,
        done=done,
        # Verified actions are some of those done: shown only beside them.
        verified=_small(report.actions.verified, policy) if done is not None else None,
        open=by_team_actions.column_totals[1],
        overdue=by_team_actions.column_totals[2],
        # Overdue on the day, whenever due, is at least the period's overdue: shown only
        # beside that count.
        overdue_total=_on_the_day(published[t_overdue], by_team_actions.column_totals[2], policy)
        if recorded.actions
        else None,
        by_team=by_team_actions,
    )
    below = [i for i in range(grades) if i not in good]
    pattern = notes.child_id_pattern if notes is not None else None
    themes = []
    for theme in report.themes:
        row = by_standard.row(theme.standard)
        judged = by_standard.row_totals[row]
        below_count = by_standard.sum_of(Position(row, c) for c in below)
        above_count = by_standard.sum_of(Position(row, c) for c in good)
        written: tuple[int | None, int | None] = (None, None)
        if notes_published is not None:
            note_row = notes_published.row(theme.standard)
            written = (notes_published.cells[note_row][0], notes_published.cells[note_row][1])

        def kept(found: tuple[Note, ...], cell: int | None) -> tuple[tuple[str, int | None], ...]:
            if notes is None:
                return ()
            merged: dict[str, int] = {}
            for note in found:
                text = redact(note.text, (), pattern)
                merged[text] = merged.get(text, 0) + note.count
            # A note's count is at most its kind's: shown only beside a shown count.
            return tuple(
                (text, _small(count, policy) if cell is not None else None)
                for text, count in sorted(merged.items(), key=lambda item: (-item[1], item[0]))
            )

        themes.append(
            PublishedTheme(
                theme.standard,
                theme.title,
                judged,
                below_count,
                Share.of(below_count, judged, confidence)
                if judged is not None and below_count is not None and above_count is not None
                else None,
                kept(theme.strengths, written[0]),
                kept(theme.would_improve, written[1]),
                written[0],
                written[1],
            )
        )
    status = escalations.recorded and escalations.status_recorded
    trackers = tuple(
        PublishedTracker(
            t.tracker,
            _small(t.children, policy) if status else None,
            _small(t.with_open_actions, policy) if status and recorded.actions else None,
            _small(t.added, policy) if escalations.recorded else None,
            _small(t.left, policy) if status else None,
        )
        for t in report.trackers
    )
    trend_rows = [s for s in report.trend if s.recorded]
    published_compliance = (
        publish_compliance(
            compliance,
            published[t_compliance]
            if t_compliance is not None
            else _not_recorded(compliance.table, policy),
            confidence,
            recorded=t_compliance is not None,
        )
        if compliance is not None
        else None
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
        escalations=published_escalations,
        trackers=trackers,
        actions=actions,
        themes=tuple(themes),
        destinations=report.destinations,
        trend_periods=tuple(s.period for s in trend_rows),
        trend_without_data=tuple(s.period for s in report.trend if not s.recorded),
        team_areas=pairs,
        graded_activities=tuple(
            report.by_activity.row_keys[r] for r, (g, _u) in enumerate(activities.counts) if g
        ),
        ungraded_activities=tuple(
            report.by_activity.row_keys[r] for r, (_g, u) in enumerate(activities.counts) if u
        ),
        notes_written=notes_published,
        notes=notes,
        recorded=recorded,
        basis=report.basis,
        compliance=published_compliance,
        scales=tuple(
            publish_scale(summary, published[t_scale], confidence)
            for summary, t_scale in zip(report.scales, t_scales, strict=True)
        ),
    )


def report_frames(
    report: CycleReport,
    *,
    backend: Backend = "pandas",
    policy: SuppressionPolicy | None = None,
    notes: NotePublication | None = None,
) -> Frames:
    """Each table of a cycle report as a tidy frame, in the published view by default.

    ``notes`` is a council's opt-in to publish auditors' notes (see
    :meth:`CycleReport.publishable`). ``policy`` is the small-number suppression applied
    (the default :class:`~qaframework.engine.suppression.SuppressionPolicy` when None, as
    :meth:`~qaframework.engine.report.CycleReport.publishable` applies it);
    ``SuppressionPolicy.off()`` gives the exact view, which is not for publication. The
    frames, by name (``period`` is the report's period label in each, a trend row's own in
    ``trend`` and in the trend rows of ``shares``):

    - ``by_activity``: period, activity, activity_name, count, suppressed;
    - ``overall``: the period's audits by grade: period, grade, grade_label, count,
      suppressed; ``by_standard`` (judgements) adds standard and standard_title,
      ``by_team`` adds team, ``by_service_area`` adds service_area (missing where not
      recorded); ``trend`` has one period per row of the trend, with its start and end,
      and ``recorded`` (false for a period in which no audit is dated: its counts are
      missing, not zeros);
    - ``shares``: the share good or better of each row of those tables: period, breakdown
      (overall, standard, team, service_area, trend, and ``scale:<id>`` for each other
      scale), key, label, total, good_or_better (the count), share, lower and upper (the
      Wilson interval), withheld; breakdown ``compliance`` gives each checklist item's
      compliance, the count being its yes answers among the yes and no;
    - ``compliance``: answers by checklist item: period, activity, item, item_label, answer
      (yes, no, not_applicable, not_answered), answer_label, count, suppressed;
    - ``scales``: grades on the other scales: period, scale, activity, activity_name, grade
      (or not_rated), grade_label, count, suppressed;
    - ``moderation_matrix``: period, auditor_grade, moderated_grade, count, suppressed;
    - ``escalations``: period, rule, rule_name, status, status_label, count, suppressed
      (raised in the period, open or closed on the report's date);
    - ``actions``: period, team, status (done, open, overdue), status_label, count,
      suppressed (actions due in the period);
    - ``trackers``: period, tracker, measure (children, with_open_actions, added, left),
      count, suppressed;
    - ``themes``: the learning themes in order: period, rank, standard, standard_title,
      judged, below_good (the count), share, lower, upper, withheld, strengths_written,
      would_improve_written (judgements with each kind of note); ``notes``: period,
      standard, kind (strength, would_improve), text, count, suppressed, empty unless the
      council opted in to publish notes;
    - ``figures``: the headline numbers as period, measure, value, withheld (audits,
      changes, shares, moderation, kappas, escalations and actions);
    - ``destinations``: period, reporting_line, report, recipient, forum, meeting (one row
      per meeting date, missing for a forum that meets as required);
    - ``basis``: what the figures rest on: period, kind (``absent``: a kind of rule the
      profile does not encode; ``not_stated``: a detail its source does not state;
      ``assumption``), id (an assumption's), paths, text.

    ``suppressed`` and ``withheld`` are false throughout the exact view. A value missing
    with ``withheld`` false is undefined, not hidden (a share of no audits, kappa with
    nothing moderated).
    """
    chosen = policy if policy is not None else SuppressionPolicy()
    library(backend)
    published = report.publishable(chosen, notes=notes)
    exact = (
        published
        if not chosen.enabled
        else report.publishable(SuppressionPolicy.off(), notes=notes)
    )
    built = ReportFrames(published, exact, backend).all()
    return Frames(PUBLISHED if chosen.enabled else EXACT, built, chosen)


# ---------------------------------------------------------------------------------------------
# Audit records
