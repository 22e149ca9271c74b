"""Building a cycle report: :func:`build_cycle_report`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from operator import itemgetter

from qaframework.engine._collector import paused_gc
from qaframework.engine.agreement import Agreement, Weighting, cohen_kappa
from qaframework.engine.audits import Audit, RecordedData
from qaframework.engine.escalation import Escalation, ProfileResolver
from qaframework.engine.periods import Period
from qaframework.engine.report.compliance import compliance_summary, scale_summaries
from qaframework.engine.report.cycle import CycleReport
from qaframework.engine.report.errors import CycleReportError
from qaframework.engine.report.intervals import Share
from qaframework.engine.report.model import (
    NOTE_KINDS,
    Destination,
    LearningTheme,
    ModerationSummary,
    Note,
    PeriodChange,
    ReportGrade,
)
from qaframework.engine.report.notes import known_ids, redact
from qaframework.engine.report.periods import trailing_periods
from qaframework.engine.report.tally import (
    _CHILD,
    _action_summary,
    _activity_name,
    _by_standard,
    _closing_the_loop,
    _destinations,
    _escalation_summary,
    _grade_breakdown,
    _kept_notes,
    _ordered,
    _resolver,
    _Scales,
    _standard_title,
    _summary,
    _Tally,
    _tracker_summaries,
)
from qaframework.engine.suppression import (
    CountTable,
)
from qaframework.policy.basis import Basis, absent_rules, basis_of, covering_rules, uses_of
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "build_cycle_report",
]

_TIMES = itemgetter(1)
"""A note's count, from its (text, count)."""

_NOT_RECORDED = "Not recorded"


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
    recorded: RecordedData | None = None,
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
    - ``recorded``: which kinds of data the audits carry (:class:`RecordedData`; every
      kind when None): a figure that needs a kind not recorded is published as "not
      recorded in this export", never as 0.

    Compliance checklists are counted item by item (yes, no, not applicable, not answered)
    and the grades on the profile's other scales activity by activity, over the period's
    audits.

    A period of the trend in which no audit given is dated has no data: it is left out of
    the trend's table, and a change against it is None (no data), not a difference with 0.
    Learning themes count the notes written about each standard; the notes kept (the most
    frequent) have every child id of ``audits`` taken out however written
    (:func:`qaframework.engine.report.notes.redact`), and are published only on request.

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
    team_counts: Counter[tuple[str | None, str]] = Counter()  # teams seen, for their order
    area_counts: Counter[tuple[str | None, str]] = Counter()
    grade_counts: Counter[tuple[str | None, str]] = Counter()
    pair_counts: Counter[tuple[tuple[str | None, str | None], str]] = Counter()
    graded_counts: Counter[str] = Counter()
    for (activity, team, area, grade), count in tally.audits.items():
        activity_counts[activity] += count
        if grade is None:
            continue  # an ungraded activity's audits: counted by activity only
        graded_counts[activity] += count
        team_counts[(team, grade)] += count
        area_counts[(area, grade)] += count
        pair_counts[((team, area), grade)] += count
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
    # Compliance checklists and other scales: the reporting version's first.
    ordered = [reporting, *(p for p in tally.profiles if p is not reporting)]
    compliance = compliance_summary(tally.now, activity_counts, ordered, confidence)
    other_scales = scale_summaries(tally.now, activity_counts, ordered, confidence)
    # Teams within service areas: one row per team, and one per service area for a team
    # whose audits were recorded in several, so that the teams' rows nest in the areas'.
    teams = _ordered(team for team, _ in team_counts)
    areas = _ordered(area for area, _ in area_counts)
    team_rank = {team: i for i, team in enumerate(teams)}
    area_rank = {area: i for i, area in enumerate(areas)}
    pairs = sorted(
        {pair for pair, _ in pair_counts}, key=lambda p: (team_rank[p[0]], area_rank[p[1]])
    )
    spanning = Counter(team for team, _ in pairs)
    by_team = _grade_breakdown(
        "Audits by team and grade",
        "Team",
        [team for team, _ in pairs],
        [
            (team if team is not None else _NOT_RECORDED)
            + (f" ({area if area is not None else _NOT_RECORDED})" if spanning[team] > 1 else "")
            for team, area in pairs
        ],
        Counter(
            {
                (index, grade): count
                for index, pair in enumerate(pairs)
                for grade, count in ((g.code, pair_counts.get((pair, g.code), 0)) for g in grades)
            }
        ),
        grades,
        confidence,
        keys=range(len(pairs)),
    )
    by_area = _grade_breakdown(
        "Audits by service area and grade",
        "Service area",
        areas,
        [a if a is not None else _NOT_RECORDED for a in areas],
        area_counts,
        grades,
        confidence,
    )
    standard_counts: Counter[tuple[str | None, str]] = Counter(tally.graded)
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
    with_data = {slot for slot, _grade in tally.windows}
    trend = tuple(
        _summary(
            window,
            [tally.windows.get((i, g.code), 0) for g in grades],
            grades,
            confidence,
            recorded=i in with_data or i == len(windows) - 1,
        )
        for i, window in enumerate(windows)
    )
    now, before = trend[-1], trend[-2]
    change = PeriodChange(
        before,
        now.audits - before.audits if before.recorded else None,
        tuple(
            a - b if before.recorded else None
            for a, b in zip(now.grades, before.grades, strict=True)
        ),
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
    # Notes are free text about a child and may name one: every child id of the audits
    # given is taken out of the kept notes, however it is written. The notes, a list entry
    # for each distinct one (every judgement's, when they all differ), are grouped with the
    # collector paused, as the tally is.
    with paused_gc():
        strengths, improve = _by_standard(tally.strengths), _by_standard(tally.improve)
        kept = {
            standard: (
                _kept_notes(strengths.get(standard), notes_per_standard),
                _kept_notes(improve.get(standard), notes_per_standard),
            )
            for standard in strengths.keys() | improve.keys()
        }
        children = known_ids(map(_CHILD, records)) if kept else frozenset()
        escalation_summary = _escalation_summary(
            reporting, loop, period, recorded if recorded is not None else RecordedData()
        )
        trackers = _tracker_summaries(reporting, loop, period)
    written = {
        standard: tuple(sum(map(_TIMES, notes.get(standard, ()))) for notes in (strengths, improve))
        for standard in standards
        if standard is not None
    }
    notes_written = CountTable(
        "Judgements with notes, by practice standard and kind of note",
        "Practice standard",
        tuple(standards),
        by_standard.table.row_labels,
        tuple(kind for kind, _label in NOTE_KINDS),
        tuple(label for _kind, label in NOTE_KINDS),
        tuple(written.get(s, (0, 0)) if s is not None else (0, 0) for s in standards),
    )
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
                *written.get(judged_standard, (0, 0)),
            )
        )
    order = {s: i for i, s in enumerate(standards)}
    themes.sort(
        key=lambda t: (-t.below_good.count, -(t.below_good.value or 0.0), order[t.standard])
    )
    destinations = _destinations(reporting, period, activity_counts, reporting_lines, next_meetings)
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
        escalations=escalation_summary,
        trackers=trackers,
        actions=actions,
        themes=tuple(themes),
        destinations=destinations,
        basis=report_basis(reporting, activities, standards, destinations),
        graded_by_activity=tuple(graded_counts.get(a or "", 0) for a in activities),
        team_areas=tuple(pairs),
        notes_written=notes_written,
        recorded=recorded if recorded is not None else RecordedData(),
        compliance=compliance if compliance.table.row_keys else None,
        scales=other_scales,
    )


def _redacted(kept: list[tuple[str, int]], children: frozenset[str]) -> tuple[Note, ...]:
    """Notes with every child's id among ``children`` replaced by ``[child id]``.

    Notes are counted as written: two notes that differ only in the child they name are two
    notes, and become one here only when both are among those kept.
    """
    merged: Counter[str] = Counter()
    for text, count in kept:
        merged[redact(text, children)] += count
    return tuple(
        Note(text, count)
        for text, count in sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    )


def report_basis(
    profile: Profile,
    activities: Sequence[str | None],
    standards: Sequence[str | None],
    destinations: Sequence[Destination],
) -> Basis:
    """What a report's figures rest on: the assumptions concerning the activities counted,
    the escalation rules and moderation policies that apply to them, the standards judged,
    the reporting lines and forums it goes to and the roles they name, with the grade scale
    and the cycles' anchor; the details of those the profile does not state; and the kinds of
    rule it does not encode for those activities."""
    counted = [a for a in activities if a is not None]
    uses = uses_of(
        profile,
        activities=counted,
        escalation=covering_rules(profile, counted),
        moderation=[p.id for p in profile.moderation if set(p.applies_to) & set(counted)],
        reporting_lines=[d.reporting_line for d in destinations],
        forums=[d.forum for d in destinations if d.forum is not None],
        standards=[s for s in standards if s is not None],
        extra=("$.grade_scale", "$.schedule_anchor"),
    )
    kinds = ("escalation", "moderation", "reporting", "action_timescales")
    return basis_of(profile, uses, absent=absent_rules(profile, counted, kinds))
