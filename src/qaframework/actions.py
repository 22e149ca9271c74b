"""Closing the loop: the timescales for actions set after an audit.

An audit is only effective if its actions are done and make a difference. Bolton's Staying
Safe framework expects actions completed within one month of the audit and reviewed the
following month; Swindon sets timescales within each audit and tracks them until practice
has improved. An :class:`ActionTimescale` states when actions fall due and are reviewed,
who owns them and who tracks them.

From the timescales, :func:`smart_action_dates` gives an audit's actions their due and
review dates. :func:`action_ledger` shows many audits' actions as of a date (overdue, due
soon, by team, by owner, counts). :func:`escalation_states` says which escalations were open
or closed on a date, and :func:`child_of_concern_tracker` lists the children on Swindon's
child of concern tracker (or any profile's tracker of that kind), with their next weekly
review and open actions.
"""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

import attrs

# The records below name ``qaframework.audits.AuditAction`` in full: audits imports this
# module, so the name cannot be imported here, but the converter resolves the full name once
# audits is loaded (it always is when there are actions to convert).
import qaframework
from qaframework.cadence import IsoDuration
from qaframework.citations import Citation
from qaframework.errors import QAFrameworkError
from qaframework.escalation import (
    ConsequenceKind,
    Escalation,
    ProfileResolver,
    TriggerKind,
    grade_as_of,
    grades_matching,
    working_calendar_for,
)
from qaframework.workdays import WorkingCalendar

if TYPE_CHECKING:
    import qaframework.audits
    from qaframework.audits import Audit, AuditAction
    from qaframework.profile import Profile

__all__ = [
    "ActionCounts",
    "ActionDates",
    "ActionItem",
    "ActionLedger",
    "ActionStatus",
    "ActionTimescale",
    "ClosingTheLoopError",
    "Closure",
    "EscalationState",
    "EscalationStatus",
    "TrackerEntry",
    "action_ledger",
    "action_status_as_of",
    "action_timescale_for",
    "child_of_concern_tracker",
    "escalation_states",
    "smart_action_dates",
]


class ActionStatus(enum.Enum):
    """Where an action stands: set, done, or done and checked to have made a difference."""

    OPEN = "open"
    DONE = "done"
    VERIFIED = "verified"


@attrs.frozen
class ActionTimescale:
    """When actions from an activity fall due and are reviewed.

    ``due`` and ``review`` are measured from the audit date. ``due`` None means the audit
    itself sets the timescale (``set_in_audit``); the profile then records what it assumes
    when an audit sets none in ``default_due``. ``grades`` limits the timescale to audits
    whose final grade is one of them (all audits when empty).
    """

    id: str
    applies_to: tuple[str, ...]
    owner: str
    citation: Citation
    due: IsoDuration | None = None
    review: IsoDuration | None = None
    set_in_audit: bool = False
    default_due: IsoDuration | None = None
    tracked_by: tuple[str, ...] = ()
    reviewed_in: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.due is None and self.default_due is None:
            raise ValueError("an action timescale gives due, or default_due when set in audit")
        if self.due is not None and self.set_in_audit:
            raise ValueError("due is fixed by the profile or set in the audit, not both")
        if self.set_in_audit != (self.due is None):
            raise ValueError("set_in_audit is true exactly when due is not given")
        if self.due is not None and self.default_due is not None:
            raise ValueError("default_due applies only when the audit sets the timescale")
        effective_due = self.due or self.default_due
        if (
            self.review is not None
            and effective_due is not None
            and self.review.approximate_days < effective_due.approximate_days
        ):
            raise ValueError(f"review {self.review} comes before due {effective_due}")


class ClosingTheLoopError(QAFrameworkError):
    """Closing the loop cannot proceed: no timescale for an audit, or audits that do not match.

    Raised when a profile has no action timescale for an audit's activity and grade, when an
    audit sets its own due date under a timescale the profile fixes, and when escalations
    name audits that are not among those given.
    """


# ---------------------------------------------------------------------------------------------
# SMART dates from the profile's timescales
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class ActionDates:
    """When an action set by an audit is due and reviewed, and who owns and tracks it.

    ``owner`` is the council's title of the timescale's owner (``owner_role`` its id);
    ``due_set_in_audit`` says the due date is the one the audit set; ``tracked_by`` are role
    titles and ``reviewed_in`` forum names.
    """

    timescale: ActionTimescale
    owner: str
    owner_role: str
    due: date
    review: date | None
    due_set_in_audit: bool
    tracked_by: tuple[str, ...] = ()
    reviewed_in: tuple[str, ...] = ()


def action_timescale_for(profile: Profile, audit: Audit) -> ActionTimescale | None:
    """The profile's timescale for actions from ``audit``: the first, in the profile's order,
    that covers its activity and whose ``grades`` (when given) hold its final grade."""
    grade = audit.final_grade
    for timescale in profile.action_timescales:
        if audit.activity in timescale.applies_to and (
            not timescale.grades or grade in timescale.grades
        ):
            return timescale
    return None


def smart_action_dates(
    profile: Profile,
    audit: Audit,
    *,
    due: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> ActionDates:
    """SMART dates for an action set by ``audit`` under ``profile`` (the version of its date).

    The timescale is :func:`action_timescale_for`. A timescale the profile fixes (``due``)
    gives the audit date plus ``due``; a timescale set in the audit uses ``due`` when the
    audit set one, else the audit date plus the profile's ``default_due``. ``review`` is the
    audit date plus the timescale's ``review``, never before the due date. Dates the profile
    derives are moved forward to a working day (``calendar``, or the ``working_calendar``
    hook); a due date the audit set is kept as it is. Bolton's Staying Safe (2021): an audit
    on 31 January 2022 sets actions due 28 February and reviewed 31 March.
    """
    timescale = action_timescale_for(profile, audit)
    grade = audit.final_grade
    if timescale is None:
        raise ClosingTheLoopError(
            f"profile {profile.label} has no action timescale for activity {audit.activity!r} "
            f"graded {grade!r} (audit {audit.id!r})"
        )
    chosen = calendar if calendar is not None else working_calendar_for(profile)
    if due is not None:
        if timescale.due is not None:
            raise ClosingTheLoopError(
                f"audit {audit.id!r}: action timescale {timescale.id!r} of profile "
                f"{profile.label} fixes actions due within {timescale.due.describe(numbered=True)}"
                " of the audit; the audit cannot set its own due date"
            )
        if due < audit.audit_date:
            raise ClosingTheLoopError(
                f"audit {audit.id!r}: action due {due.isoformat()}, before the audit "
                f"({audit.audit_date.isoformat()})"
            )
        due_day = due
    else:
        length = timescale.due if timescale.due is not None else timescale.default_due
        assert length is not None  # ActionTimescale requires due or default_due
        due_day = chosen.roll_forward(length.add_to(audit.audit_date))
    review = None
    if timescale.review is not None:
        review = max(chosen.roll_forward(timescale.review.add_to(audit.audit_date)), due_day)
    return ActionDates(
        timescale,
        profile.role(timescale.owner).title,
        timescale.owner,
        due_day,
        review,
        due is not None,
        profile.role_titles(timescale.tracked_by),
        tuple(profile.forum(f).name for f in timescale.reviewed_in),
    )


# ---------------------------------------------------------------------------------------------
# Actions as of a date: overdue, due soon, by team and owner
# ---------------------------------------------------------------------------------------------


def action_status_as_of(action: AuditAction, as_of: date) -> ActionStatus:
    """Where ``action`` stood on ``as_of``, read from its ``done_on`` and ``verified_on`` dates.

    Verified once ``verified_on`` has come, done once ``done_on`` has come, open before. A
    record without those dates (which :func:`qaframework.audits.check_audit` rejects) counts
    by its recorded status.
    """
    status = action.status
    if status is ActionStatus.VERIFIED and (
        action.verified_on is None or action.verified_on <= as_of
    ):
        return ActionStatus.VERIFIED
    if status is not ActionStatus.OPEN and (action.done_on is None or action.done_on <= as_of):
        return ActionStatus.DONE
    return ActionStatus.OPEN


@attrs.frozen
class ActionItem:
    """One audit action as it stood on a date, with the audit it came from.

    ``overdue`` is open and past its due date; ``days_overdue`` counts the calendar days since
    the due date (0 when not overdue).
    """

    audit_id: str
    child_id: str
    activity: str
    team: str | None
    service_area: str | None
    action: qaframework.audits.AuditAction
    status: ActionStatus
    overdue: bool
    days_overdue: int


@attrs.frozen
class ActionCounts:
    """How many actions there are, and how many are open, done, verified and overdue."""

    total: int
    open: int
    done: int
    verified: int
    overdue: int


_DUE_SOON = IsoDuration(weeks=2)


def _item_order(item: ActionItem) -> tuple[date, str, str]:
    return (item.action.due, item.audit_id, item.action.id)


@attrs.frozen
class ActionLedger:
    """The actions of many audits as they stood on ``as_of`` (see :func:`action_ledger`)."""

    as_of: date
    items: tuple[ActionItem, ...]

    def __len__(self) -> int:
        return len(self.items)

    def open(self) -> tuple[ActionItem, ...]:
        """Actions not yet done, soonest due first."""
        return tuple(
            sorted((i for i in self.items if i.status is ActionStatus.OPEN), key=_item_order)
        )

    def overdue(self) -> tuple[ActionItem, ...]:
        """Open actions past their due date, the longest overdue first."""
        return tuple(sorted((i for i in self.items if i.overdue), key=_item_order))

    def due_soon(self, within: IsoDuration = _DUE_SOON) -> tuple[ActionItem, ...]:
        """Open actions due from ``as_of`` to ``as_of`` plus ``within`` (two weeks unless given)."""
        horizon = within.add_to(self.as_of)
        return tuple(
            sorted(
                (
                    i
                    for i in self.items
                    if i.status is ActionStatus.OPEN and self.as_of <= i.action.due <= horizon
                ),
                key=_item_order,
            )
        )

    def by_team(self) -> dict[str | None, ActionLedger]:
        """A ledger per team (None for actions of audits that name no team), teams sorted."""
        return self._group(lambda item: item.team)

    def by_owner(self) -> dict[str | None, ActionLedger]:
        """A ledger per action owner, owners sorted."""
        return self._group(lambda item: item.action.owner)

    def counts(self) -> ActionCounts:
        """Totals by status, and how many are overdue."""
        tally = dict.fromkeys(ActionStatus, 0)
        overdue = 0
        for item in self.items:
            tally[item.status] += 1
            overdue += item.overdue
        return ActionCounts(
            len(self.items),
            tally[ActionStatus.OPEN],
            tally[ActionStatus.DONE],
            tally[ActionStatus.VERIFIED],
            overdue,
        )

    def _group(self, key: Callable[[ActionItem], str | None]) -> dict[str | None, ActionLedger]:
        groups: dict[str | None, list[ActionItem]] = {}
        for item in self.items:
            groups.setdefault(key(item), []).append(item)
        ordered = sorted(groups, key=lambda name: (name is None, name or ""))
        return {name: ActionLedger(self.as_of, tuple(groups[name])) for name in ordered}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while many records are built (they hold no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def action_ledger(audits: Iterable[Audit], *, as_of: date) -> ActionLedger:
    """Every action of the audits dated on or before ``as_of``, with its status on that date.

    An action is overdue when it is open on ``as_of`` and its due date is before ``as_of``.
    """
    items: list[ActionItem] = []
    with _collector_paused():
        for audit in audits:
            if audit.audit_date > as_of:
                continue
            for action in audit.actions:
                status = action_status_as_of(action, as_of)
                late = (as_of - action.due).days if status is ActionStatus.OPEN else 0
                items.append(
                    ActionItem(
                        audit.id,
                        audit.child_id,
                        audit.activity,
                        audit.team,
                        audit.service_area,
                        action,
                        status,
                        late > 0,
                        max(late, 0),
                    )
                )
        return ActionLedger(as_of, tuple(items))


# ---------------------------------------------------------------------------------------------
# Escalations open and closed; the child of concern tracker
# ---------------------------------------------------------------------------------------------


class EscalationStatus(enum.Enum):
    """Whether the matter an escalation raised is still open."""

    OPEN = "open"
    CLOSED = "closed"


class Closure(enum.Enum):
    """Why an escalation closed (see :func:`escalation_states`)."""

    ACTIONS_VERIFIED = "actions_verified"
    IMPROVED = "improved"
    WITHDRAWN = "withdrawn"
    NOTIFIED = "notified"


@attrs.frozen
class EscalationState:
    """An escalation and where it stood on a date.

    ``closed_on`` and ``closure`` say when and why it closed (None while open);
    ``closed_by_audit`` is the later audit of the child that closed it as ``improved``.
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
    the date). ``added_on`` is the day the first of those escalations was raised;
    ``next_review`` the next follow-up (weekly for Swindon) on or after the date.
    ``open_actions`` are those audits' actions not yet done, ``awaiting_verification`` those
    done but not verified. ``owner`` is the title of the tracker's owner, ``follow_up_by`` and
    ``circulated_to`` role titles.
    """

    tracker: str
    child_id: str
    audit_id: str
    audit_ids: tuple[str, ...]
    grade: str
    team: str | None
    added_on: date
    next_review: date | None
    open_actions: tuple[qaframework.audits.AuditAction, ...]
    awaiting_verification: tuple[qaframework.audits.AuditAction, ...]
    owner: str | None
    follow_up_by: tuple[str, ...]
    circulated_to: tuple[str, ...]
    escalations: tuple[Escalation, ...]


_CLOSURE_ORDER = {closure: rank for rank, closure in enumerate(Closure)}
_READS_GRADE = (TriggerKind.GRADE, TriggerKind.MODERATION)


class _Loop:
    """The audits of an as-of date, indexed for closing the loop, with their profiles."""

    def __init__(self, audits: Iterable[Audit], resolve: ProfileResolver, as_of: date) -> None:
        self.as_of = as_of
        self.resolve = resolve
        self.by_id: dict[str, Audit] = {}
        self.by_child: dict[str, list[Audit]] = {}
        for audit in audits:
            if audit.audit_date > as_of:
                continue
            if audit.id in self.by_id:
                raise ClosingTheLoopError(f"audit id {audit.id!r} appears more than once")
            self.by_id[audit.id] = audit
            self.by_child.setdefault(audit.child_id, []).append(audit)
        for group in self.by_child.values():
            group.sort(key=lambda audit: (audit.audit_date, audit.id))
        self._profiles: dict[date, Profile] = {}
        self._matching: dict[tuple[int, str], frozenset[str] | None] = {}

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

    def state(self, escalation: Escalation) -> EscalationState:
        as_of = self.as_of
        rule = escalation.rule
        audit = self.audit(escalation)
        profile = self.profile(audit)
        found: list[tuple[date, Closure, str | None]] = []
        consequence = rule.consequence
        one_off = rule.follow_up is None and (
            consequence is None or consequence.kind is ConsequenceKind.NOTIFICATION
        )
        if one_off and escalation.deadline <= as_of:
            found.append((escalation.deadline, Closure.NOTIFIED, None))
        statuses = [action_status_as_of(a, as_of) for a in audit.actions]
        if statuses and all(s is ActionStatus.VERIFIED for s in statuses):
            verified = max(a.verified_on or escalation.raised_on for a in audit.actions)
            found.append((max(verified, escalation.raised_on), Closure.ACTIONS_VERIFIED, None))
        if rule.trigger.kind in _READS_GRADE:
            found.extend(self._improved(escalation, audit, profile))
            found.extend(self._withdrawn(escalation, audit, profile))
        if not found:
            return EscalationState(escalation, EscalationStatus.OPEN)
        day, closure, by_audit = min(found, key=lambda item: (item[0], _CLOSURE_ORDER[item[1]]))
        return EscalationState(escalation, EscalationStatus.CLOSED, day, closure, by_audit)

    def _improved(
        self, escalation: Escalation, audit: Audit, profile: Profile
    ) -> list[tuple[date, Closure, str | None]]:
        for later in self.by_child.get(escalation.child_id, ()):
            if later.audit_date <= escalation.raised_on:
                continue
            later_profile = self.profile(later)
            # Within one version the scale's own order; across versions the ILACS crosswalk.
            ilacs = later_profile is not profile
            before = self.rank(profile, audit, escalation.grade, ilacs=ilacs)
            after = self.rank(later_profile, later, grade_as_of(later, self.as_of), ilacs=ilacs)
            if after < before:
                return [(later.audit_date, Closure.IMPROVED, later.id)]
        return []

    def _withdrawn(
        self, escalation: Escalation, audit: Audit, profile: Profile
    ) -> list[tuple[date, Closure, str | None]]:
        key = (id(profile), escalation.rule_id)
        if key not in self._matching:
            self._matching[key] = grades_matching(escalation.rule.trigger, profile.grade_scale)
        matching = self._matching[key]
        if matching is None:
            return []
        step = escalation.moderation_index
        after = (escalation.raised_on, step if step is not None else -1)
        moderations = sorted(
            ((m.on, i, m.grade) for i, m in enumerate(audit.moderations) if m.on <= self.as_of)
        )
        for on, index, grade in moderations:
            if (on, index) > after and grade not in matching:
                return [(on, Closure.WITHDRAWN, None)]
        return []


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
    escalation closes on the first of these to happen on or before ``as_of``:

    - ``actions_verified``: its audit has actions and every one of them is verified (closed on
      the last ``verified_on``, never before the escalation was raised). This is the
      profiles' "until": Swindon's "practice issues addressed and practice for the child
      improved", Manchester's "actions completed and have made a difference".
    - ``improved`` (grade and moderation triggers): a later audit of the same child has a
      better grade than the one that fired (on the profile's scale; across versions, on the
      ILACS crosswalk), closed on that audit's date.
    - ``withdrawn`` (grade and moderation triggers that name grades): a later moderation of the
      same audit gives a grade outside the trigger, closed on that moderation's date.
    - ``notified``: a one-off escalation (no follow-up, and no consequence beyond a
      notification) closes on its deadline: an audit record holds no acknowledgement, so the
      duty to tell is taken as met once its deadline has passed.

    Trackers, workshops and dispute resolutions stay open until one of the first three
    happens; an audit whose actions are not recorded keeps them open.
    """
    with _collector_paused():
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
    with _collector_paused():
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
