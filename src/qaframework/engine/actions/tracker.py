"""Escalations open and closed on a date, and the child of concern tracker.

:func:`escalation_states` says whether each escalation was open or closed on a date, and
why it closed (:class:`Closure`); :func:`child_of_concern_tracker` lists the children on a
child of concern tracker on a date (:class:`TrackerEntry`), with their next review and
open actions.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.actions.ledger import ClosingTheLoopError, action_status_as_of
from qaframework.engine.audits import Audit, AuditAction
from qaframework.engine.escalation import (
    Escalation,
    ProfileResolver,
    grade_as_of,
    grades_matching,
    working_calendar_for,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.escalation import (
    ClosingCondition,
    ConsequenceKind,
    EscalationRule,
    TriggerKind,
)
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NotStated
from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "Closure",
    "EscalationState",
    "EscalationStatus",
    "TrackerEntry",
    "child_of_concern_tracker",
    "escalation_states",
]


class EscalationStatus(enum.Enum):
    """Whether the matter an escalation raised is still open."""

    OPEN = "open"
    CLOSED = "closed"


class Closure(enum.Enum):
    """Why an escalation closed (see :func:`escalation_states`).

    ``notified`` is a one-off rule that states no closing condition, closed on its deadline;
    ``deadline`` a rule that closes on its deadline by its ``closes`` conditions; the others
    are the :class:`~qaframework.policy.escalation.ClosingCondition` of the same name.
    """

    ACTIONS_VERIFIED = "actions_verified"
    IMPROVED = "improved"
    WITHDRAWN = "withdrawn"
    NOTIFIED = "notified"
    NO_ACTIONS = "no_actions"
    DEADLINE = "deadline"
    FOLLOW_ON_RECORDED = "follow_on_recorded"


@attrs.frozen
class EscalationState:
    """An escalation and where it stood on a date.

    ``closed_on`` and ``closure`` say when and why it closed (None while open);
    ``closed_by_audit`` is the later audit of the child that closed it as ``improved``, or
    the follow-on audit that closed it as ``follow_on_recorded``.
    """

    escalation: Escalation
    status: EscalationStatus
    closed_on: date | None = None
    closure: Closure | None = None
    closed_by_audit: str | None = None


@attrs.frozen
class TrackerEntry:
    """A child on a child of concern tracker on a date.

    ``audit_ids`` are the audits whose open escalations keep the child on the tracker, oldest
    first; ``grade``, ``team`` and ``audit_id`` are the latest of them (the grade as it stood on
    the date; None when that audit is of an activity that does not grade practice).
    ``added_on`` is the day the first of those escalations was raised; ``next_review`` the
    next follow-up (weekly for Swindon) on or after the date.
    ``open_actions`` are those audits' actions not yet done, ``awaiting_verification`` those
    done but not verified. ``owner`` is the title of the tracker's owner (None where the rule
    names none, :data:`~qaframework.policy.unknowns.NOT_STATED` where its source does not say
    who), ``follow_up_by`` and ``circulated_to`` role titles.
    """

    tracker: str
    child_id: str
    audit_id: str
    audit_ids: tuple[str, ...]
    grade: str | None
    team: str | None
    added_on: date
    next_review: date | None
    open_actions: tuple[AuditAction, ...]
    awaiting_verification: tuple[AuditAction, ...]
    owner: str | NotStated | None
    follow_up_by: tuple[str, ...]
    circulated_to: tuple[str, ...]
    escalations: tuple[Escalation, ...]


_CLOSURE_ORDER = {closure: rank for rank, closure in enumerate(Closure)}
_READS_GRADE = (TriggerKind.GRADE, TriggerKind.MODERATION)
_BY_DEFAULT = frozenset({ClosingCondition.ACTIONS_VERIFIED})
_BY_DEFAULT_READING_GRADE = frozenset(
    {ClosingCondition.ACTIONS_VERIFIED, ClosingCondition.IMPROVED, ClosingCondition.WITHDRAWN}
)


_BY_DEFAULT_FOLLOW_ON = frozenset({ClosingCondition.FOLLOW_ON_RECORDED})


def _closing_conditions(rule: EscalationRule) -> frozenset[ClosingCondition]:
    """The rule's ``closes``, or the conditions a rule that states none closes on."""
    if rule.closes:
        return frozenset(rule.closes)
    if rule.requires_follow_on:
        return _BY_DEFAULT_FOLLOW_ON
    return _BY_DEFAULT_READING_GRADE if rule.trigger.kind in _READS_GRADE else _BY_DEFAULT


@attrs.frozen
class _Closing:
    """What closes an escalation of one rule (see :func:`escalation_states`), worked out
    once per rule rather than once per escalation."""

    notified: bool
    deadline: bool
    no_actions: bool
    actions_verified: bool
    follow_on: bool
    improved: bool
    withdrawn: bool

    @classmethod
    def of(cls, rule: EscalationRule) -> _Closing:
        conditions = _closing_conditions(rule)
        consequence = rule.consequence
        one_off = rule.follow_up is None and (
            consequence is None or consequence.kind is ConsequenceKind.NOTIFICATION
        )
        reads_grade = rule.trigger.kind in _READS_GRADE
        return cls(
            notified=not rule.closes and one_off,
            deadline=bool(rule.closes) and ClosingCondition.DEADLINE in conditions,
            no_actions=ClosingCondition.NO_ACTIONS in conditions,
            actions_verified=ClosingCondition.ACTIONS_VERIFIED in conditions,
            follow_on=ClosingCondition.FOLLOW_ON_RECORDED in conditions,
            improved=reads_grade and ClosingCondition.IMPROVED in conditions,
            withdrawn=reads_grade and ClosingCondition.WITHDRAWN in conditions,
        )


_SCANNED = 16
"""A child with at most this many audits has them searched one by one for a later audit
graded better or a follow-on audit, and an audit with at most this many moderations has
them sorted and read for each of its escalations; beyond, through an index made once per
child (:class:`_LaterAudits`) or per audit (:class:`_Withdrawals`), so that closing the
loop never costs the square of one child's audits (an export whose rows share a
placeholder child id gives one "child" thousands) or of one audit's moderations. (Whether
an audit's actions are all verified is read once per audit whatever their number.)"""

_FAILS = -1
"""A rank that cannot be read (a grade not on its version's scale): the search stops there
and reads it again, to raise what it raises."""


class _LaterAudits:
    """One child's audits, in the loop's order (date, then id), indexed so that the first
    later audit graded better than a grade, or the first of an activity, is found by
    bisection rather than by reading every audit after it.

    Each audit's grade as of the loop's date is read once, and its rank on its own
    version's scale and on the ILACS crosswalk; the positions are kept per version and
    rank. :meth:`improved` gives the position where reading the audits one by one would
    stop (an audit graded better, or one whose reading fails), so that what happens there
    is decided by the same code as for a child with few audits.
    """

    def __init__(self, loop: _Loop, group: Sequence[Audit]) -> None:
        self.size = len(group)
        self.dates = [audit.audit_date for audit in group]
        # Positions by version (keyed by identity) and rank: on that version's scale, and
        # on the ILACS crosswalk. A version that cannot be resolved fails where reached.
        self.scale: dict[int, dict[int, list[int]]] = {}
        self.ilacs: dict[int, dict[int, list[int]]] = {}
        self.unresolved: list[int] = []
        self.versions: dict[int, Profile] = {}
        self.activities: dict[str, list[int]] = {}
        for position, audit in enumerate(group):
            self.activities.setdefault(audit.activity, []).append(position)
            grade = grade_as_of(audit, loop.as_of)
            if grade is None:
                continue  # an ungraded audit: passed over
            try:
                profile = loop.profile(audit)
            except Exception:  # raised again by the search, where it reaches this audit
                self.unresolved.append(position)
                continue
            key = id(profile)
            self.versions[key] = profile
            scale = profile.grade_scale
            try:
                on_scale = scale.rank(grade)
            except KeyError:
                on_scale = _FAILS
            try:
                crosswalk = scale.ilacs(grade).rank
            except KeyError:
                crosswalk = _FAILS
            self.scale.setdefault(key, {}).setdefault(on_scale, []).append(position)
            self.ilacs.setdefault(key, {}).setdefault(crosswalk, []).append(position)

    def _first(self, positions: list[int] | None, start: int) -> int:
        if not positions:
            return self.size
        index = bisect_left(positions, start)
        return positions[index] if index < len(positions) else self.size

    def _search(self, by_rank: dict[int, list[int]], before: int | None, start: int) -> int:
        """The first position from ``start`` whose rank is under ``before`` or fails; the
        first position of all when ``before`` itself fails (None)."""
        if before is None:
            return min((self._first(p, start) for p in by_rank.values()), default=self.size)
        return min(
            (self._first(p, start) for rank, p in by_rank.items() if rank < before),
            default=self.size,
        )

    def improved(self, profile: Profile, fired: str, raised_on: date) -> int:
        """Where reading the child's audits one by one for one graded better than
        ``fired`` (under ``profile``) after ``raised_on`` stops: at such an audit, at one
        whose reading fails, or past the last (the number of audits)."""
        start = bisect_right(self.dates, raised_on)
        scale = profile.grade_scale
        try:
            own: int | None = scale.rank(fired)
        except KeyError:
            own = None
        try:
            crosswalk: int | None = scale.ilacs(fired).rank
        except KeyError:
            crosswalk = None
        found = self._first(self.unresolved, start)
        for key, by_rank in self.scale.items():
            if self.versions[key] is profile:
                # Within one version the scale's own order (a failing rank sorts first).
                found = min(found, self._search(by_rank, own, start))
        for key, by_rank in self.ilacs.items():
            if self.versions[key] is not profile:
                found = min(found, self._search(by_rank, crosswalk, start))
        return found

    def of_activity(self, activity: str | None, day: date) -> list[int]:
        """The positions of the child's audits of ``activity`` dated on or after ``day``,
        in order (at most two are read: one may be the escalation's own audit)."""
        positions = self.activities.get(activity, []) if activity is not None else []
        index = bisect_left(positions, bisect_left(self.dates, day))
        return positions[index : index + 2]


class _Loop:
    """The audits of an as-of date, indexed for closing the loop, with their profiles."""

    def __init__(self, audits: Iterable[Audit], resolve: ProfileResolver, as_of: date) -> None:
        self.as_of = as_of
        self.resolve = resolve
        kept = [audit for audit in audits if audit.audit_date <= as_of]
        ids = [audit.id for audit in kept]
        self.by_id: dict[str, Audit] = dict(zip(ids, kept, strict=True))
        if len(self.by_id) != len(kept):
            seen: set[str] = set()
            for audit_id in ids:
                if audit_id in seen:
                    raise ClosingTheLoopError(f"audit id {audit_id!r} appears more than once")
                seen.add(audit_id)
        self.by_child: dict[str, list[Audit]] = {}
        for audit in kept:
            self.by_child.setdefault(audit.child_id, []).append(audit)
        for group in self.by_child.values():
            if len(group) > 1:
                group.sort(key=lambda audit: (audit.audit_date, audit.id))
        self._profiles: dict[date, Profile] = {}
        self._matching: dict[tuple[int, str], frozenset[str] | None] = {}
        self._closings: dict[int, _Closing] = {}
        self._indexes: dict[str, _LaterAudits] = {}
        self._withdrawals: dict[tuple[int, int], _Withdrawals] = {}
        self._verified: dict[int, date | None] = {}

    def audit(self, escalation: Escalation) -> Audit:
        found = self.by_id.get(escalation.audit_id)
        if found is None:
            raise ClosingTheLoopError(
                f"escalation {escalation.rule_id!r} names audit {escalation.audit_id!r}, which "
                f"is not among the audits dated on or before {self.as_of.isoformat()}"
            )
        return found

    def profile(self, audit: Audit) -> Profile:
        found = self._profiles.get(audit.audit_date)
        if found is None:
            found = self._profiles[audit.audit_date] = self.resolve(audit.audit_date)
        return found

    def rank(self, profile: Profile, audit: Audit, grade: str, *, ilacs: bool) -> int:
        scale = profile.grade_scale
        try:
            return scale.ilacs(grade).rank if ilacs else scale.rank(grade)
        except KeyError as error:
            raise ClosingTheLoopError(f"audit {audit.id!r}: {error.args[0]}") from None

    def _closing(self, rule: EscalationRule) -> _Closing:
        found = self._closings.get(id(rule))
        if found is None:
            found = self._closings[id(rule)] = _Closing.of(rule)
        return found

    def state(self, escalation: Escalation) -> EscalationState:
        as_of = self.as_of
        rule = escalation.rule
        audit = self.audit(escalation)
        profile = self.profile(audit)
        found: list[tuple[date, Closure, str | None]] = []
        closing = self._closing(rule)
        # A deadline that is not stated never falls due: nothing closes on it.
        deadline = escalation.deadline
        due = deadline if isinstance(deadline, date) and deadline <= as_of else None
        if due is not None:
            if closing.notified:
                found.append((due, Closure.NOTIFIED, None))
            elif closing.deadline:
                found.append((due, Closure.DEADLINE, None))
        actions = audit.actions
        if not actions:
            if closing.no_actions and due is not None:
                found.append((due, Closure.NO_ACTIONS, None))
        elif closing.actions_verified:
            # Whether all are verified, and the last day one was, read once for the audit
            # rather than for each of its escalations.
            verified_by = self._verified_by(audit)
            if verified_by is not None:
                found.append(
                    (max(verified_by, escalation.raised_on), Closure.ACTIONS_VERIFIED, None)
                )
        if closing.follow_on:
            found.extend(self._follow_on(escalation, audit))
        if closing.improved:
            found.extend(self._improved(escalation, audit, profile))
        if closing.withdrawn:
            found.extend(self._withdrawn(escalation, audit, profile))
        if not found:
            return EscalationState(escalation, EscalationStatus.OPEN)
        if len(found) == 1:
            day, closure, by_audit = found[0]
        else:
            day, closure, by_audit = min(found, key=lambda item: (item[0], _CLOSURE_ORDER[item[1]]))
        return EscalationState(escalation, EscalationStatus.CLOSED, day, closure, by_audit)

    def _verified_by(self, audit: Audit) -> date | None:
        """When every action of ``audit`` was verified by the loop's date: the last day one
        was (``date.min`` when none says), or None while any is not."""
        key = id(audit)
        if key not in self._verified:
            as_of = self.as_of
            every = all(
                action_status_as_of(a, as_of) is ActionStatus.VERIFIED for a in audit.actions
            )
            days = [a.verified_on for a in audit.actions if a.verified_on is not None]
            self._verified[key] = (max(days, default=date.min)) if every else None
        return self._verified[key]

    def _later(self, child_id: str) -> _LaterAudits | None:
        """The child's audits indexed for the searches below, or None while they are few
        enough to be searched one by one (see :data:`_SCANNED`)."""
        group = self.by_child.get(child_id, ())
        if len(group) <= _SCANNED:
            return None
        found = self._indexes.get(child_id)
        if found is None:
            found = self._indexes[child_id] = _LaterAudits(self, group)
        return found

    def _improved(
        self, escalation: Escalation, audit: Audit, profile: Profile
    ) -> list[tuple[date, Closure, str | None]]:
        fired = escalation.grade
        if fired is None:
            return []
        group = self.by_child.get(escalation.child_id, ())
        indexed = self._later(escalation.child_id)
        start = 0
        if indexed is not None:
            # Straight to the first later audit graded better, or to the first one whose
            # reading fails (it fails below as it would have when reached).
            start = indexed.improved(profile, fired, escalation.raised_on)
            if start >= len(group):
                return []
        for later in group[start:]:
            if later.audit_date <= escalation.raised_on:
                continue
            later_grade = grade_as_of(later, self.as_of)
            if later_grade is None:
                continue  # an audit of an ungraded activity shows no change of grade
            later_profile = self.profile(later)
            # Within one version the scale's own order; across versions the ILACS crosswalk.
            ilacs = later_profile is not profile
            before = self.rank(profile, audit, fired, ilacs=ilacs)
            after = self.rank(later_profile, later, later_grade, ilacs=ilacs)
            if after < before:
                return [(later.audit_date, Closure.IMPROVED, later.id)]
        return []

    def _follow_on(
        self, escalation: Escalation, audit: Audit
    ) -> list[tuple[date, Closure, str | None]]:
        wanted = escalation.rule.follow_on_activity
        group = self.by_child.get(escalation.child_id, ())
        indexed = self._later(escalation.child_id)
        if indexed is not None:
            for position in indexed.of_activity(wanted, escalation.raised_on):
                later = group[position]
                if later.id != audit.id:
                    return [(later.audit_date, Closure.FOLLOW_ON_RECORDED, later.id)]
            return []
        for later in group:
            if (
                later.activity == wanted
                and later.id != audit.id
                and later.audit_date >= escalation.raised_on
            ):
                return [(later.audit_date, Closure.FOLLOW_ON_RECORDED, later.id)]
        return []

    def _withdrawn(
        self, escalation: Escalation, audit: Audit, profile: Profile
    ) -> list[tuple[date, Closure, str | None]]:
        if not audit.moderations:
            return []
        key = (id(profile), escalation.rule_id)
        if key not in self._matching:
            self._matching[key] = grades_matching(escalation.rule.trigger, profile.grade_scale)
        matching = self._matching[key]
        if matching is None:
            return []
        step = escalation.moderation_index
        after = (escalation.raised_on, step if step is not None else -1)
        if len(audit.moderations) > _SCANNED:
            # Many moderations of one audit: sorted once, with where each next leaves the
            # trigger's grades, rather than sorted and read again for each escalation.
            return self._moderations(audit, matching).withdrawn(after)
        for on, index, grade in _in_order(audit, self.as_of):
            if (on, index) > after and grade not in matching:
                return [(on, Closure.WITHDRAWN, None)]
        return []

    def _moderations(self, audit: Audit, matching: frozenset[str]) -> _Withdrawals:
        key = (id(audit), id(matching))
        found = self._withdrawals.get(key)
        if found is None:
            found = self._withdrawals[key] = _Withdrawals(audit, matching, self.as_of)
        return found


def _in_order(audit: Audit, as_of: date) -> list[tuple[date, int, str]]:
    """The audit's moderations up to ``as_of`` as (day, index, grade), in order: by day,
    then as recorded."""
    return sorted((m.on, i, m.grade) for i, m in enumerate(audit.moderations) if m.on <= as_of)


class _Withdrawals:
    """One audit's moderations up to a date, in order (day, then as recorded), with, for
    each, the first from it on whose grade is outside a trigger's grades."""

    def __init__(self, audit: Audit, matching: frozenset[str], as_of: date) -> None:
        moderations = _in_order(audit, as_of)
        self.keys = [(on, index) for on, index, _grade in moderations]
        self.days = [on for on, _index, _grade in moderations]
        self.leaving: list[int] = [len(moderations)] * (len(moderations) + 1)
        for position in range(len(moderations) - 1, -1, -1):
            outside = moderations[position][2] not in matching
            self.leaving[position] = position if outside else self.leaving[position + 1]

    def withdrawn(self, after: tuple[date, int]) -> list[tuple[date, Closure, str | None]]:
        """The first moderation after ``after`` (day, index) outside the trigger's grades."""
        position = self.leaving[bisect_right(self.keys, after)]
        if position >= len(self.keys):
            return []
        return [(self.days[position], Closure.WITHDRAWN, None)]


def escalation_states(
    escalations: Iterable[Escalation],
    audits: Iterable[Audit],
    resolve: ProfileResolver,
    *,
    as_of: date,
) -> tuple[EscalationState, ...]:
    """Whether each escalation raised on or before ``as_of`` was open or closed on that date.

    ``audits`` are those the escalations were raised for, with any later audits of the same
    children; ``resolve`` gives the profile version in force on an audit's date. An
    escalation closes on the first of its rule's closing conditions (``closes``) to happen on
    or before ``as_of``:

    - ``actions_verified``: its audit has actions and every one of them is verified (closed on
      the last ``verified_on``, never before the escalation was raised). This is the
      profiles' "until": Swindon's "practice issues addressed and practice for the child
      improved", Manchester's "actions completed and have made a difference".
    - ``no_actions``: its audit set no actions, closed on the escalation's deadline: a tracker
      of the audit's actions has nothing to track (Swindon's Audit Management tracker for a
      Good audit, Telford's remedial actions after feedback).
    - ``improved`` (grade and moderation triggers): a later audit of the same child has a
      better grade than the one that fired (on the profile's scale; across versions, on the
      ILACS crosswalk), closed on that audit's date.
    - ``withdrawn`` (grade and moderation triggers that name grades): a later moderation of the
      same audit gives a grade outside the trigger, closed on that moderation's date.
    - ``deadline``: closed on its deadline, the duty taken as done (Bolton's Focused Practice
      Improvement workshop, taken as held by the end of the next audit cycle).
    - ``follow_on_recorded`` (a rule whose consequence is a follow-on audit): an audit of the
      same child by the activity the consequence requires, dated on or after the day the
      escalation was raised, closed on that audit's date (a full audit after a light one).

    A rule that states no ``closes`` closes on ``actions_verified``, and for grade and
    moderation triggers also ``improved`` and ``withdrawn``; a one-off rule of that kind (no
    follow-up, and no consequence beyond a notification) also closes on its deadline, as
    ``notified``: an audit record holds no acknowledgement, so the duty to tell is taken as
    met once its deadline has passed. Without ``no_actions`` or ``deadline``, an audit with
    no actions keeps its escalation open until the child's practice is graded better or
    moderation withdraws the grade. A rule whose consequence is a follow-on audit and that
    states no ``closes`` closes on ``follow_on_recorded`` alone: open, and past its deadline
    once that is passed, until the follow-on audit is recorded.
    """
    with paused_gc():
        loop = _Loop(audits, resolve, as_of)
        return tuple(loop.state(e) for e in escalations if e.raised_on <= as_of)


def child_of_concern_tracker(
    escalations: Iterable[Escalation],
    audits: Iterable[Audit],
    resolve: ProfileResolver,
    *,
    as_of: date,
    calendar: WorkingCalendar | None = None,
) -> tuple[TrackerEntry, ...]:
    """The children on a child of concern tracker on ``as_of``, the longest-tracked first.

    A child is on the tracker while an escalation whose consequence is a
    ``child_of_concern_tracker`` is open (see :func:`escalation_states`): for Swindon, from
    the moderation that confirmed or set an Inadequate grade until the audit's actions are
    all verified, a later audit of the child is graded better, or a later moderation takes
    the grade above Inadequate. One entry per tracker and child. Review dates are counted in
    ``calendar``'s working days, or the ``working_calendar`` hook's for each profile.
    """
    with paused_gc():
        return _tracker(escalations, _Loop(audits, resolve, as_of), as_of, calendar)


def _tracker(
    escalations: Iterable[Escalation],
    loop: _Loop,
    as_of: date,
    calendar: WorkingCalendar | None,
) -> tuple[TrackerEntry, ...]:
    groups: dict[tuple[str, str], list[Escalation]] = {}
    for escalation in escalations:
        consequence = escalation.consequence
        if (
            consequence is None
            or consequence.kind is not ConsequenceKind.CHILD_OF_CONCERN_TRACKER
            or escalation.raised_on > as_of
        ):
            continue
        if loop.state(escalation).status is EscalationStatus.OPEN:
            groups.setdefault((consequence.name, escalation.child_id), []).append(escalation)
    calendars: dict[int, WorkingCalendar] = {}
    entries: list[TrackerEntry] = []
    for (tracker, child_id), members in groups.items():
        members.sort(key=lambda e: (e.raised_on, e.audit_id))
        on_tracker = sorted(
            {e.audit_id: loop.audit(e) for e in members}.values(),
            key=lambda audit: (audit.audit_date, audit.id),
        )
        latest = on_tracker[-1]
        reviews = []
        for escalation in members:
            profile = loop.profile(loop.audit(escalation))
            chosen = calendar
            if chosen is None:
                chosen = calendars.get(id(profile))
                if chosen is None:
                    chosen = calendars[id(profile)] = working_calendar_for(profile)
            review = escalation.follow_up_on_or_after(as_of, chosen)
            if review is not None:
                reviews.append(review)
        actions = [a for audit in on_tracker for a in audit.actions]
        statuses = [action_status_as_of(a, as_of) for a in actions]
        first = members[0]
        entries.append(
            TrackerEntry(
                tracker,
                child_id,
                latest.id,
                tuple(audit.id for audit in on_tracker),
                grade_as_of(latest, as_of),
                latest.team,
                first.raised_on,
                min(reviews) if reviews else None,
                tuple(a for a, s in zip(actions, statuses, strict=True) if s is ActionStatus.OPEN),
                tuple(a for a, s in zip(actions, statuses, strict=True) if s is ActionStatus.DONE),
                first.consequence_owner,
                first.follow_up_by,
                first.circulated_to,
                tuple(members),
            )
        )
    entries.sort(key=lambda entry: (entry.added_on, entry.child_id, entry.tracker))
    return tuple(entries)
