"""Obligations due: what each supervisee, child or role holder is owed, and by when.

A council's quotas say what is owed to, or by, each subject: Bolton's managers directly
observe every supervisee at least once a year; Swindon gives every child a supervision
discussion or management oversight at least monthly; each of Manchester's Team Managers
completes one file audit a month; Telford holds a care planning meeting every six weeks until
a child has a plan of permanence, then at least once between reviews. :func:`obligations`
reads these from a profile version; :func:`obligations_due` sets a log of completed
activities against them as of a date and says, for each subject, when it was last done, when
it is next due and whether it is ``ok``, ``due`` or ``overdue``.

Which quotas are obligations
    An activity's quota is an obligation when its count is firm (qualifier ``exactly`` or
    ``at_least``, count at least 1), it is owed per subject (``per``, such as ``supervisee``
    or ``child``, or ``per_role``, such as ``team_manager``) and it says over what span:
    a ``period``, or an on-event cadence. "Approximately", "up to" and "for example" counts
    are planning figures, not obligations.

How the span is counted (:class:`WindowKind`)
    * ``rolling`` — a quota owed per subject (``per``) is counted back from each day: at
      least ``count`` in the last ``period``. The next is due one period after the last
      (the ``count``-th last), so "at least once a year" means within a year of the last
      observation. The seeds state these as the longest a child or supervisee may go without
      ("every six weeks", "a minimum of a monthly basis"); calendar periods would let nearly
      two periods pass between an observation early in one year and one late in the next.
    * ``cycle`` — a quota owed by each holder of a role (``per_role``) is a workload counted
      in the profile's cycle: the periods of length ``period`` counted from the activity's
      ``anchor`` (the profile's ``schedule_anchor``), which for an anchor on 1 April are
      calendar months, financial quarters and financial years. "1 audit per Team Manager per
      month" is one in each month: an audit on 31 May does not count for June. A period is
      closed when it ends: once the current period's count is met the subject is ``ok``,
      whatever earlier periods missed; while it is not, a subject whose last closed period
      fell short is ``overdue`` since the end of the first period missed.
    * ``between_events`` — a quota of an activity whose cadence is on-event is owed in each
      interval between the subject's events of that name (Telford: at least one care
      planning meeting between child in care reviews). An interval runs from the day after
      one event to the day of the next; a ``period``, where given, is the longest it runs.
      With no period, an unmet open interval is ``due`` with no date: it is owed before the
      next event, whose date the log cannot know.
    * ``before_event`` — an activity whose cadence is ``before-event:<event>`` is owed by
      each subject before each of its events of that name ("before every case is closed"):
      ``count`` between the previous such event (or the start) and the event's day, or the
      day its delay before (``/5WD``: five working days of the profile's calendar; ``/P1W``:
      a week). The log knows only events that happened, so a subject is ``ok`` until an
      event finds the activity undone, and then ``overdue`` since that deadline: a late
      entry does not make up for it.
    * ``after_event`` — ``after-event:<event>/<delay>``: ``count`` within the delay after
      each event (up to the next one); with no delay, owed after each event by no date
      (``due`` with no date until done). ``after-event:<event>/P12M/then/P1Y``: due within
      the delay of the subject's *first* such event, then within ``then`` of the last time
      it was done (counted back as a rolling window).

Several roles
    An activity with several quotas, each owed per a different role ("2 per Team Manager and
    1 per Advanced Practitioner a month"), is one obligation per quota. An entry counts for
    the quota of the role it names; an entry naming no role counts for the role whose roster
    holds its subject, and is an :class:`ObligationError` when no roster, or more than one,
    says which.

Conditions (:class:`~qaframework.policy.activities.Activity` fields)
    ``from_event`` starts a subject's obligation at the subject's first event of that name;
    ``until_event`` ends it at the first such event (the pair is then not reported);
    ``logged_as`` counts another activity's log entries as this one's.

Start
    A subject owes nothing before its start: the later of the profile version's
    ``effective_from``, ``since`` (the day the log begins, when given) and its ``from_event``.
    The first span is counted from the start: a rolling obligation is due one period after
    the later of the start and the ``count``-th last entry (a supervisee last observed before
    a version took effect is due a year after the version's first day, as one never
    observed), and only cycle periods and event intervals beginning on or after the start
    are owed. So an entry added to the log never makes a subject's standing worse.

Statuses
    ``overdue`` once the day is past the due date; ``due`` from ``warning`` before it (and for
    an interval owed before an unknown next event); ``ok`` otherwise. Entries and events after
    ``as_of`` are not yet known and are ignored.
"""

from __future__ import annotations

import bisect
import enum
import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Protocol

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.errors import QAFrameworkError
from qaframework.policy.activities import Activity
from qaframework.policy.cadence import Cadence, CadenceKind, IsoDuration, Quota, QuotaQualifier
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "DEFAULT_WARNING",
    "LogEntry",
    "Obligation",
    "ObligationError",
    "ObligationStatus",
    "SubjectObligation",
    "WindowKind",
    "obligations",
    "obligations_due",
    "unstated_obligations",
    "window_kind",
]

_FIRM = frozenset({QuotaQualifier.EXACTLY, QuotaQualifier.AT_LEAST})
_DAY = timedelta(days=1)

DEFAULT_WARNING = IsoDuration(weeks=2)
"""How long before its due date an obligation is reported ``due`` unless told otherwise."""


class LogEntry(Protocol):
    """One line of a log of completed QA activities.

    ``activity`` is an activity id of the profile; ``subject`` the pseudonymous id of whom
    it concerns (the supervisee observed, the child, the Team Manager who audited: whoever
    the quota is owed per); ``on`` the day. ``role``, a role id, is optional; only a
    ``per_role`` obligation reads it, to leave out work the log says another role did.
    ``event``, when set, makes the line a case event of the subject (``permanence_plan``,
    ``child_in_care_review``) rather than a completed activity. Subject ids are unique
    across the log: events are matched by subject, whatever the line's activity.
    ``qaframework.io.activity_log.ActivityLogEntry`` has this shape.
    """

    @property
    def activity(self) -> str: ...

    @property
    def subject(self) -> str: ...

    @property
    def on(self) -> date: ...

    @property
    def role(self) -> str | None: ...

    @property
    def event(self) -> str | None: ...


class ObligationError(QAFrameworkError, ValueError):
    """A log or roster that cannot be set against the profile (an unknown activity, say)."""


class WindowKind(enum.Enum):
    """How an obligation's span is counted (see the module docstring)."""

    ROLLING = "rolling"
    CYCLE = "cycle"
    BETWEEN_EVENTS = "between_events"
    BEFORE_EVENT = "before_event"
    AFTER_EVENT = "after_event"


class ObligationStatus(enum.Enum):
    """Where a subject stands with an obligation; members are in order of urgency."""

    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"

    @property
    def rank(self) -> int:
        """0 for ok, 1 for due, 2 for overdue."""
        return _RANK[self]


_RANK = {ObligationStatus.OK: 0, ObligationStatus.DUE: 1, ObligationStatus.OVERDUE: 2}


def quota_window(activity: Activity, quota: Quota, *, unstated: bool = False) -> WindowKind | None:
    """How one of ``activity``'s quotas is counted per subject; None when it is no
    obligation.

    A quota whose count is not stated is no obligation the engine can judge (nothing is
    invented); with ``unstated`` it is judged on its other parts, to say what it would be
    (see :func:`unstated_obligations`).
    """
    count = quota.stated_count
    if quota.qualifier not in _FIRM or (count is None and not unstated):
        return None
    if count is not None and count < 1:
        return None
    if quota.per is None and quota.per_role is None:
        return None
    kind = activity.cadence.kind
    if kind is CadenceKind.BEFORE_EVENT:
        return WindowKind.BEFORE_EVENT
    if kind is CadenceKind.AFTER_EVENT:
        return WindowKind.AFTER_EVENT
    if activity.cadence.events:
        return WindowKind.BETWEEN_EVENTS
    if quota.period is None or quota.period.is_zero:
        return None
    return WindowKind.ROLLING if quota.per is not None else WindowKind.CYCLE


def window_kind(activity: Activity, *, unstated: bool = False) -> WindowKind | None:
    """How ``activity``'s quotas are counted per subject (the window of the first that is an
    obligation); None when none is. With ``unstated``, a quota whose count is not stated is
    judged on its other parts (see :func:`quota_window`)."""
    for quota in activity.quotas:
        found = quota_window(activity, quota, unstated=unstated)
        if found is not None:
            return found
    return None


@attrs.frozen
class Obligation:
    """A quota owed per subject, read from one activity of a profile.

    ``owed_per`` is the quota's ``per`` or ``per_role`` (the key of a roster); ``counted``
    the activity ids whose log entries count (the activity's own and its ``logged_as``);
    ``anchor`` the day cycle periods count from (None for other windows); ``events`` the
    events that bound intervals (between-events windows) or that the activity is owed
    before or after (per-case event windows), whose ``cadence`` says by when.
    ``other_roles`` are the roles the activity's other quotas are owed per: their entries
    count for them, not for this one.
    """

    activity: str
    name: str
    quota: Quota
    owed_per: str
    window: WindowKind
    counted: tuple[str, ...]
    who: tuple[str, ...] = ()
    anchor: date | None = None
    events: tuple[str, ...] = ()
    from_event: str | None = None
    until_event: str | None = None
    cadence: Cadence | None = None
    other_roles: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many are owed in each span."""
        count = self.quota.stated_count
        assert count is not None  # an obligation's count is stated (window_kind)
        return count

    @property
    def period(self) -> IsoDuration | None:
        """The span (rolling, cycle) or the longest interval (between events)."""
        return self.quota.period

    def describe(self, role_title: str | None = None) -> str:
        """English: "1 audit per Team Manager, in each month from 2020-04-01".

        ``role_title`` is the council's title for a ``per_role`` subject.
        """
        quota = attrs.evolve(self.quota, period=None)
        text = quota.describe(role_title)
        if self.window is WindowKind.ROLLING and self.period is not None:
            text += f", within {self.period.describe(numbered=True)} of the last"
        elif self.window is WindowKind.CYCLE and self.period is not None:
            text += f", in each {self.period.describe()} from {self.anchor}"
        elif self.window in (WindowKind.BEFORE_EVENT, WindowKind.AFTER_EVENT):
            assert self.cadence is not None  # per-case event windows keep their cadence
            text += f", {self.cadence.describe()}"
        else:
            words = " or ".join(e.replace("_", " ") for e in self.events)
            text += f", after each {words}, before the next"
            if self.period is not None:
                text += f" and within {self.period.describe(numbered=True)}"
        if self.from_event is not None:
            text += f", from {self.from_event.replace('_', ' ')}"
        if self.until_event is not None:
            text += f", until {self.until_event.replace('_', ' ')}"
        return text


@attrs.frozen
class SubjectObligation:
    """Where one subject stands with one obligation as of a day.

    ``last_done`` is the latest counted entry on or before that day; ``due_by`` the last day
    on which the next is on time (for an overdue subject, the deadline first missed), None
    when nothing has a date yet (owed before an event not yet logged, or met until the next
    event).
    """

    activity: str
    subject: str
    owed_per: str
    status: ObligationStatus
    last_done: date | None
    due_by: date | None


def unstated_obligations(profile: Profile) -> tuple[tuple[Activity, Quota], ...]:
    """The quotas that would be obligations but do not state how many is owed, with their
    activities: no standing is computed for them, as the profile does not know what is due."""
    return tuple(
        (activity, quota)
        for activity in profile.activities
        for quota in activity.quotas
        if quota.stated_count is None and quota_window(activity, quota, unstated=True) is not None
    )


def obligations(profile: Profile) -> tuple[Obligation, ...]:
    """Every obligation ``profile`` states, in the order of its activities."""
    found = []
    for activity in profile.activities:
        roles = tuple(q.per_role for q in activity.quotas if q.per_role is not None)
        for quota in activity.quotas:
            kind = quota_window(activity, quota)
            if kind is None:
                continue
            owed_per = quota.per if quota.per is not None else quota.per_role
            assert owed_per is not None  # quota_window checked it
            counted = (
                (activity.id,) if activity.logged_as is None else (activity.id, activity.logged_as)
            )
            per_case = kind in (WindowKind.BEFORE_EVENT, WindowKind.AFTER_EVENT)
            found.append(
                Obligation(
                    activity=activity.id,
                    name=activity.name,
                    quota=quota,
                    owed_per=owed_per,
                    window=kind,
                    counted=counted,
                    who=activity.who,
                    anchor=(activity.anchor or profile.schedule_anchor)
                    if kind is WindowKind.CYCLE
                    else None,
                    events=activity.cadence.events,
                    from_event=activity.from_event,
                    until_event=activity.until_event,
                    cadence=activity.cadence if per_case else None,
                    other_roles=tuple(r for r in roles if r != quota.per_role),
                )
            )
    return tuple(found)


def obligations_due(
    profile: Profile,
    log: Iterable[LogEntry],
    *,
    as_of: date,
    roster: Mapping[str, Iterable[str]] | None = None,
    since: date | None = None,
    warning: IsoDuration = DEFAULT_WARNING,
) -> tuple[SubjectObligation, ...]:
    """Each subject's standing with each obligation of ``profile`` as of ``as_of``.

    Subjects are those the log names for an obligation (in an entry of a counted activity,
    or in an event the obligation uses) and, from ``roster``, subjects that may have no
    entry at all: it maps a subject kind (an obligation's ``owed_per``: ``"supervisee"``,
    ``"child"``, ``"team_manager"``) to ids. ``since`` is the day the log begins; ``warning``
    how long before its due date an obligation is ``due``. For a ``per_role`` obligation, an
    entry whose ``role`` is neither that role nor one of the activity's ``who`` is not
    counted; for an activity owed by several roles, see the module docstring. Per-case
    event deadlines in working days are counted in the profile's working calendar
    (``profile.behaviour``). Results are in the order of the profile's activities (and of
    each activity's quotas), then by subject.

    Raises :class:`ObligationError` when the log names an activity the profile does not
    have, the roster a subject kind no obligation is owed per, ``since`` is after ``as_of``,
    or an entry of an activity owed by several roles names no role and no roster says whose
    it is.
    """
    if since is not None and since > as_of:
        raise ObligationError(f"since ({since.isoformat()}) is after as_of ({as_of.isoformat()})")
    owed = obligations(profile)
    kinds = {o.owed_per for o in owed}
    rosters: dict[str, tuple[str, ...]] = {}
    for kind, subjects in (roster or {}).items():
        if kind not in kinds:
            raise ObligationError(
                f"roster names subject kind {kind!r}, which no obligation of {profile.label} "
                f"is owed per (kinds: {', '.join(sorted(kinds)) or 'none'})"
            )
        if isinstance(subjects, str):
            raise ObligationError(f"the roster of {kind!r} is one string; give a list of ids")
        rosters[kind] = tuple(subjects)
    start = max(profile.effective_from, since) if since is not None else profile.effective_from
    calendar = (
        profile.behaviour.working_calendar(profile)
        if any(o.cadence is not None and o.cadence.working_days for o in owed)
        else None
    )
    with paused_gc():
        completions, events = _group(profile, log, as_of)
        results: list[SubjectObligation] = []
        for obligation in owed:
            results.extend(
                _standings(
                    obligation,
                    completions,
                    events,
                    rosters,
                    as_of=as_of,
                    start=start,
                    warning=warning,
                    calendar=calendar,
                )
            )
    return tuple(results)


# -- grouping the log ------------------------------------------------------------------------

# activity -> role -> subject -> days; events: event -> subject -> days.
_Completions = dict[str, dict[str | None, dict[str, list[date]]]]
_Events = dict[str, dict[str, list[date]]]


def _group(profile: Profile, log: Iterable[LogEntry], as_of: date) -> tuple[_Completions, _Events]:
    known = {a.id for a in profile.activities}
    completions: _Completions = {}
    events: _Events = {}
    unknown: dict[str, int] = {}
    for entry in log:
        activity = entry.activity
        if activity not in known:
            unknown[activity] = unknown.get(activity, 0) + 1
            continue
        day = entry.on
        if day > as_of:
            continue
        event = entry.event
        if event is not None:
            events.setdefault(event, {}).setdefault(entry.subject, []).append(day)
        else:
            by_role = completions.setdefault(activity, {}).setdefault(entry.role, {})
            by_role.setdefault(entry.subject, []).append(day)
    if unknown:
        named = ", ".join(
            f"{name!r} ({n} entr{'y' if n == 1 else 'ies'})" for name, n in sorted(unknown.items())
        )
        raise ObligationError(f"the log names activities {profile.label} does not have: {named}")
    return completions, events


def _unattributed(
    obligation: Obligation, rosters: Mapping[str, tuple[str, ...]], subjects: Iterable[str]
) -> set[str]:
    """Of ``subjects`` (entries naming no role of an activity owed by several roles), those
    whose roster puts them under this obligation's role; an :class:`ObligationError` for
    any no roster, or several, says whose they are."""
    role = obligation.quota.per_role
    holders = {r: set(rosters.get(r, ())) for r in (role, *obligation.other_roles) if r}
    mine: set[str] = set()
    unclear: list[str] = []
    for subject in sorted(subjects):
        under = [r for r, ids in holders.items() if subject in ids]
        if len(under) != 1:
            unclear.append(subject)
        elif under[0] == role:
            mine.add(subject)
    if unclear:
        shown = ", ".join(repr(s) for s in unclear[:3]) + (" ..." if len(unclear) > 3 else "")
        roles = ", ".join(r for r in holders)
        raise ObligationError(
            f"the log does not say which role did {obligation.name!r} for {shown}: the "
            f"activity is owed by several roles ({roles}); give each entry its role, or a "
            "roster naming each subject under one of them"
        )
    return mine


def _standings(
    obligation: Obligation,
    completions: _Completions,
    events: _Events,
    rosters: Mapping[str, tuple[str, ...]],
    *,
    as_of: date,
    start: date,
    warning: IsoDuration,
    calendar: WorkingCalendar | None,
) -> list[SubjectObligation]:
    roster = rosters.get(obligation.owed_per, ())
    done: dict[str, list[date]] = {}
    accepted: set[str | None] | None = None
    role = obligation.quota.per_role
    if role is not None:
        # Another quota's role does its own share; an entry naming no role is this role's
        # when the activity has no other quota, else when the roster says so.
        accepted = {role, *(r for r in obligation.who if r not in obligation.other_roles)}
        if not obligation.other_roles:
            accepted.add(None)
    for activity in obligation.counted:
        for entry_role, by_subject in completions.get(activity, {}).items():
            if accepted is not None and entry_role not in accepted:
                if entry_role is None:
                    for subject in _unattributed(obligation, rosters, by_subject):
                        done.setdefault(subject, []).extend(by_subject[subject])
                continue
            for subject, days in by_subject.items():
                done.setdefault(subject, []).extend(days)
    used = {*obligation.events, obligation.from_event, obligation.until_event} - {None}
    subjects = set(done).union(roster)
    for event in used:
        subjects.update(events.get(str(event), {}))

    def first(event: str | None, subject: str) -> date | None:
        if event is None:
            return None
        days = events.get(event, {}).get(subject)
        return min(days) if days else None

    window = obligation.window
    count = obligation.count
    cadence = obligation.cadence
    period = cadence.then if cadence is not None else obligation.period
    spans = _Spans(period, obligation.anchor, warning)
    results = []
    for subject in sorted(subjects):
        if first(obligation.until_event, subject) is not None:
            continue  # the condition has ended the obligation for this subject
        began = start
        days = sorted(done.get(subject, ()))
        opened = first(obligation.from_event, subject)
        if obligation.from_event is not None:
            if opened is None:
                continue  # not yet owed
            began = max(began, opened)
            days = days[bisect.bisect_left(days, opened) :]
        due_by: date | None
        if window is WindowKind.ROLLING:
            due_by, pending = _rolling(spans, count, days, began), False
        elif window is WindowKind.CYCLE:
            due_by, pending = _cycle(spans, count, days, began, as_of), False
        elif cadence is not None:
            bounds = sorted(
                day for event in obligation.events for day in events.get(event, {}).get(subject, ())
            )
            deadline = _Deadline(cadence, calendar)
            if window is WindowKind.BEFORE_EVENT:
                due_by, pending = _before_events(deadline, count, days, bounds, began), False
            elif cadence.then is not None:
                due_by, pending = _after_first(spans, deadline, count, days, bounds, began), False
            else:
                due_by, pending = _after_events(deadline, count, days, bounds, began)
        else:
            bounds = sorted(
                day for event in obligation.events for day in events.get(event, {}).get(subject, ())
            )
            if opened is not None:
                bounds = [opened, *(b for b in bounds if b > opened)]
            due_by, pending = _between_events(spans, count, days, bounds, began)
        results.append(
            SubjectObligation(
                activity=obligation.activity,
                subject=subject,
                owed_per=obligation.owed_per,
                status=_status(spans, due_by, pending, as_of),
                last_done=days[-1] if days else None,
                due_by=due_by,
            )
        )
    return results


class _Spans:
    """One obligation's date arithmetic, remembered.

    A log has many subjects but few distinct days, and calendar arithmetic (months of
    different lengths) is the costly part of setting a subject against its obligation.
    """

    def __init__(self, period: IsoDuration | None, anchor: date | None, warning: IsoDuration):
        self.period = period
        self.anchor = anchor
        self.warning = warning
        self._after: dict[date, date] = {}
        self._warned: dict[date, date] = {}
        self._boundary: dict[int, date] = {}
        self._index: dict[date, int] = {}

    def after(self, day: date) -> date:
        """``day`` plus the period."""
        found = self._after.get(day)
        if found is None:
            assert self.period is not None  # only asked of windows with a period
            found = self._after[day] = self.period.add_to(day)
        return found

    def warned(self, due_by: date) -> date:
        """The first day an obligation due by ``due_by`` is ``due``."""
        found = self._warned.get(due_by)
        if found is None:
            found = self._warned[due_by] = self.warning.subtract_from(due_by)
        return found

    def boundary(self, k: int) -> date:
        """The first day of cycle period ``k``: the anchor plus ``k`` periods."""
        found = self._boundary.get(k)
        if found is None:
            # Only a cycle asks, and a cycle has both.
            assert self.period is not None
            assert self.anchor is not None
            found = self._boundary[k] = self.period.add_to(self.anchor, k)
        return found

    def index(self, day: date) -> int:
        """The cycle period ``day`` falls in."""
        found = self._index.get(day)
        if found is None:
            # Only a cycle asks, and a cycle has both.
            assert self.period is not None
            assert self.anchor is not None
            k = math.floor((day - self.anchor).days / self.period.approximate_days)
            while self.boundary(k) > day:
                k -= 1
            while self.boundary(k + 1) <= day:
                k += 1
            found = self._index[day] = k
        return found


def _status(spans: _Spans, due_by: date | None, pending: bool, as_of: date) -> ObligationStatus:
    if due_by is None:
        return ObligationStatus.DUE if pending else ObligationStatus.OK
    if as_of > due_by:
        return ObligationStatus.OVERDUE
    if as_of >= spans.warned(due_by):
        return ObligationStatus.DUE
    return ObligationStatus.OK


# -- the three windows -----------------------------------------------------------------------


def _rolling(spans: _Spans, count: int, days: list[date], began: date) -> date:
    basis = days[-count] if len(days) >= count else began
    return spans.after(max(basis, began))


def _cycle(spans: _Spans, count: int, days: list[date], began: date, as_of: date) -> date:
    first_owed = spans.index(began)
    if spans.boundary(first_owed) < began:
        first_owed += 1  # the period holding the start is only partly owed
    current = spans.index(as_of)
    counts: dict[int, int] = {}
    for day in days:
        k = spans.index(day)
        counts[k] = counts.get(k, 0) + 1
    if current < first_owed:
        missed = first_owed
    elif counts.get(current, 0) >= count:
        missed = current + 1
    else:
        met = [k for k, n in counts.items() if first_owed <= k < current and n >= count]
        missed = max(met, default=first_owed - 1) + 1
    return spans.boundary(missed + 1) - _DAY


def _between_events(
    spans: _Spans, count: int, days: list[date], bounds: list[date], began: date
) -> tuple[date | None, bool]:
    """(due_by, owed before the next event) for the intervals ``bounds`` open."""
    owed = [b for b in bounds if b >= began]
    unmet: list[date | None] = []  # the ends of the unmet intervals since the last met one
    for index, opened in enumerate(owed):
        ends = owed[index + 1 : index + 2]  # the next event closes the interval
        if spans.period is not None:
            ends.append(spans.after(opened))
        end = min(ends) if ends else None
        low = bisect.bisect_right(days, opened)
        high = bisect.bisect_right(days, end) if end is not None else len(days)
        if high - low >= count:
            unmet.clear()
        else:
            unmet.append(end)
    if not unmet:
        return None, False
    return unmet[0], unmet[0] is None


# -- the per-case event windows --------------------------------------------------------------


class _Deadline:
    """When a per-case event cadence falls due for an event on a day, remembered."""

    def __init__(self, cadence: Cadence, calendar: WorkingCalendar | None) -> None:
        self.cadence = cadence
        self.calendar = calendar
        self._found: dict[date, date | None] = {}

    def of(self, event: date) -> date | None:
        """The last day on time for ``event``: None for an after-event cadence with no
        delay (owed by no date)."""
        if event in self._found:
            return self._found[event]
        cadence = self.cadence
        before = cadence.kind is CadenceKind.BEFORE_EVENT
        found: date | None
        if cadence.offset is not None:
            found = cadence.offset.add_to(event, -1 if before else 1)
        elif cadence.working_days is not None:
            assert self.calendar is not None  # asked for whenever working days are used
            count = cadence.working_days
            found = (
                self.calendar.subtract_working_days(event, count)
                if before
                else self.calendar.add_working_days(event, count)
            )
        else:
            found = event if before else None
        self._found[event] = found
        return found


def _before_events(
    deadline: _Deadline, count: int, days: list[date], bounds: list[date], began: date
) -> date | None:
    """The first missed deadline since the last met one, before events ``bounds``."""
    unmet: list[date] = []
    previous: date | None = None
    for event in bounds:
        last = deadline.of(event)
        assert last is not None  # a before-event cadence always has a deadline
        if event >= began:
            low = bisect.bisect_right(days, previous) if previous is not None else 0
            high = bisect.bisect_right(days, last)
            if high - low >= count:
                unmet.clear()
            else:
                unmet.append(last)
        previous = event
    return unmet[0] if unmet else None


def _after_events(
    deadline: _Deadline, count: int, days: list[date], bounds: list[date], began: date
) -> tuple[date | None, bool]:
    """(due_by, owed by no date) for the events ``bounds``, each owed after it."""
    unmet: list[date | None] = []
    for index, event in enumerate(bounds):
        if event < began:
            continue
        last = deadline.of(event)
        following = bounds[index + 1] if index + 1 < len(bounds) else None
        low = bisect.bisect_left(days, event)
        high = len(days) if last is None else bisect.bisect_right(days, last)
        if following is not None:
            high = min(high, bisect.bisect_left(days, following))
        if high - low >= count:
            unmet.clear()
        else:
            unmet.append(last)
    if not unmet:
        return None, False
    return unmet[0], unmet[0] is None


def _after_first(
    spans: _Spans,
    deadline: _Deadline,
    count: int,
    days: list[date],
    bounds: list[date],
    began: date,
) -> date | None:
    """The due date after the subject's first event, then a rolling ``then``."""
    if not bounds:
        return None
    first = bounds[0]
    since = days[bisect.bisect_left(days, first) :]
    if len(since) >= count:
        return spans.after(max(since[-count], began))
    due = deadline.of(first)
    assert due is not None  # 'then' needs a first delay
    return due if due >= began else spans.after(began)
