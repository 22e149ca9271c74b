"""Counting a period's audits for a cycle report: grades by team, service area, standard and
activity, notes, learning themes, closing the loop and where the report goes."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from itertools import chain, compress, count, repeat
from operator import attrgetter, itemgetter, neg, not_
from typing import TYPE_CHECKING, Any

import attrs

from qaframework.engine.actions.ledger import action_status_as_of
from qaframework.engine.actions.tracker import (
    EscalationState,
    EscalationStatus,
    TrackerEntry,
    child_of_concern_tracker,
    escalation_states,
)
from qaframework.engine.audits import RecordedData
from qaframework.engine.escalation import Escalation, ProfileResolver, evaluate_escalations_bulk
from qaframework.engine.periods import Period
from qaframework.engine.report.errors import CycleReportError
from qaframework.engine.report.intervals import Share
from qaframework.engine.report.model import (
    ActionSummary,
    Destination,
    EscalationSummary,
    GradeBreakdown,
    PeriodSummary,
    ReportGrade,
    TrackerSummary,
)
from qaframework.engine.report.periods import _cadence_days
from qaframework.engine.suppression import (
    CountTable,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.cadence import Cadence
from qaframework.policy.escalation import (
    ClosingCondition,
    ConsequenceKind,
    GradeStage,
    TriggerKind,
)
from qaframework.policy.grades import Ilacs
from qaframework.policy.profile import Profile

if TYPE_CHECKING:
    from qaframework.engine.audits import Audit, Judgement, ModerationRecord
    from qaframework.policy.workdays import WorkingCalendar

__all__ = []

_ONE_DAY = timedelta(days=1)
_NOT_RECORDED = "Not recorded"

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
_STANDARD_GRADE = attrgetter("standard", "grade")
_STANDARD_STRENGTHS = attrgetter("standard", "strengths")
_STANDARD_IMPROVE = attrgetter("standard", "would_improve")
_TEXT = itemgetter(1)
_NOTES_SAMPLE = 4096
"""How many of a report's first judgements tell whether its judgements repeat (fewer than
half of them distinct) and are best counted by their whole key."""
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
        # The period's judgements by standard and grade, and their strengths and "would
        # improve" notes by standard (a note counts when it is not None or "").
        judgements = list(chain.from_iterable(map(_JUDGEMENTS, now)))
        self.graded: Counter[tuple[str, str]] = Counter()
        self.strengths: Counter[tuple[str, str]] = Counter()
        self.improve: Counter[tuple[str, str]] = Counter()
        if not translating and _judgements_repeat(judgements):
            # Judgements that repeat (notes from a template): each read once, counted by
            # its whole key, and the three counts made from the distinct keys.
            for (standard, grade, strength, would), times in Counter(
                map(_JUDGEMENT_KEY, judgements)
            ).items():
                self.graded[(standard, grade)] += times
                if strength:
                    self.strengths[(standard, strength)] += times
                if would:
                    self.improve[(standard, would)] += times
        else:
            # Notes that barely repeat (a council's export): a key a judgement each way,
            # counted by C-level passes, not a Python loop over as many distinct keys.
            if translating:
                for day, audit in zip(compress(window_days, is_current), now, strict=True):
                    for j in audit.judgements:
                        self.graded[(j.standard, on_scale(day, j.grade))] += 1
            else:
                self.graded.update(map(_STANDARD_GRADE, judgements))
            self.strengths.update(filter(_TEXT, map(_STANDARD_STRENGTHS, judgements)))
            self.improve.update(filter(_TEXT, map(_STANDARD_IMPROVE, judgements)))
        del judgements
        counted = {key[3] for key in self.audits} | {key[1] for key in self.windows}
        counted.update(key[1] for key in self.graded)
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


def _judgements_repeat(judgements: Sequence[Judgement]) -> bool:
    """Whether fewer than half of the first :data:`_NOTES_SAMPLE` judgements are distinct
    (standard, grade and notes): then they are best counted by their whole key."""
    sample = judgements[:_NOTES_SAMPLE]
    return len(set(map(_JUDGEMENT_KEY, sample))) * 2 <= len(sample)


def _by_standard(counts: Counter[tuple[str, str]]) -> dict[str, list[tuple[str, int]]]:
    """Each standard's notes with their counts, in the order first written; a note of
    white space alone is left out."""
    items = list(counts.items())
    written = map(not_, map(str.isspace, map(itemgetter(1), map(itemgetter(0), items))))
    grouped: dict[str, list[tuple[str, int]]] = {}
    for (standard, text), times in compress(items, written):
        notes = grouped.get(standard)
        if notes is None:
            notes = grouped[standard] = []
        notes.append((text, times))
    return grouped


def _kept_notes(notes: list[tuple[str, int]] | None, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` most frequent notes, then in text order (white space at either end
    ignored), then in the order given: each note ranked by C-level passes (a standard may
    have a note for every judgement)."""
    if not notes or limit < 1:
        return []
    ranked = zip(
        map(neg, map(itemgetter(1), notes)),
        map(str.strip, map(itemgetter(0), notes)),
        count(),
        notes,
    )
    # The place in the list breaks ties, so the notes themselves are never compared.
    return list(map(itemgetter(3), heapq.nsmallest(limit, ranked)))


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
    counts: Counter[tuple[Any, str]],
    grades: Sequence[ReportGrade],
    confidence: float,
    *,
    keys: Iterable[Any] | None = None,
) -> GradeBreakdown:
    """Counts by row and grade as a breakdown; ``counts`` are keyed by ``keys`` (the rows'
    keys when None) and grade code."""
    matrix = tuple(
        tuple(counts.get((key, g.code), 0) for g in grades)
        for key in (keys if keys is not None else rows)
    )
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
        wanted = {line for a in reported for line in a.reporting_lines}
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


def _escalations_recorded(profile: Profile, recorded: RecordedData) -> tuple[bool, bool]:
    """Whether the escalations can be counted from audits that carry ``recorded``, and
    whether their states (open, closed) can be told."""
    counted = told = True
    for rule in profile.escalation:
        trigger = rule.trigger
        if trigger.kind is TriggerKind.CONCERN and not recorded.concerns:
            counted = False
        reads_moderation = trigger.kind is TriggerKind.MODERATION or (
            trigger.kind is TriggerKind.GRADE and trigger.stage is not GradeStage.AUDITOR
        )
        if reads_moderation and not recorded.moderation:
            counted = False
        closes = set(rule.closes)
        if closes & {ClosingCondition.ACTIONS_VERIFIED, ClosingCondition.NO_ACTIONS} and (
            not recorded.actions
        ):
            told = False
        if ClosingCondition.WITHDRAWN in closes and not recorded.moderation:
            told = False
    return counted, told and counted


def _escalation_summary(
    profile: Profile, loop: _Loop, period: Period, recorded: RecordedData
) -> EscalationSummary:
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
    counted, told = _escalations_recorded(profile, recorded)
    return EscalationSummary(
        raised=len(raised),
        open=opened,
        closed=len(raised) - opened,
        open_total=sum(1 for s in loop.states if s.status is EscalationStatus.OPEN),
        by_rule=table,
        recorded=counted,
        status_recorded=told,
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
    period: Period,
    counts: Sequence[int],
    grades: Sequence[ReportGrade],
    confidence: float,
    *,
    recorded: bool = True,
) -> PeriodSummary:
    good = sum(c for c, g in zip(counts, grades, strict=True) if g.good_or_better)
    return PeriodSummary(
        period, sum(counts), tuple(counts), Share.of(good, sum(counts), confidence), recorded
    )
