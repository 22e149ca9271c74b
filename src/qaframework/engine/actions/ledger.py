"""An audit's actions: their SMART dates, and where many audits' actions stand on a date.

:func:`smart_action_dates` gives an action its due and review dates from the profile's
:class:`~qaframework.policy.actions.ActionTimescale` (:func:`action_timescale_for`);
:func:`action_ledger` lists many audits' actions as they stood on a date, as an
:class:`ActionLedger` (overdue, due soon, by team, by owner, counts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import Audit, AuditAction
from qaframework.engine.escalation import working_calendar_for
from qaframework.errors import QAFrameworkError
from qaframework.policy.actions import ActionStatus, ActionTimescale
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "ActionCounts",
    "ActionDates",
    "ActionItem",
    "ActionLedger",
    "ClosingTheLoopError",
    "action_ledger",
    "action_status_as_of",
    "action_timescale_for",
    "smart_action_dates",
]


class ClosingTheLoopError(QAFrameworkError):
    """Closing the loop cannot proceed: no timescale for an audit, or audits that do not match.

    Raised when a profile has no action timescale for an audit's activity and grade, when an
    audit sets a due date before the audit or later than the timescale the profile fixes
    allows, and when escalations name audits that are not among those given.
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
    that covers its activity and whose ``grades`` (when given) hold its final grade.

    An audit of an activity that does not grade practice has no final grade: only a
    timescale that names no ``grades`` covers it."""
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
    is a ceiling: actions fall due within ``due`` of the audit date, so ``due`` (the date the
    audit set) may be sooner but not later, and an audit that sets none gets the audit date
    plus ``due``. A timescale set in the audit uses ``due`` when the audit set one, else the
    audit date plus the profile's ``default_due``. ``review`` is the audit date plus the
    timescale's ``review``, never before the due date. Dates the profile derives are moved
    forward to a working day (``calendar``, or the ``working_calendar`` hook); a due date the
    audit set is kept as it is. Bolton's Staying Safe (2021): an audit on 31 January 2022
    sets actions due 28 February (or sooner, if the auditor confirms a shorter timescale) and
    reviewed 31 March.
    """
    timescale = action_timescale_for(profile, audit)
    grade = audit.final_grade
    if timescale is None:
        raise ClosingTheLoopError(
            f"profile {profile.label} has no action timescale for activity {audit.activity!r} "
            f"{f'graded {grade!r}' if grade is not None else 'not graded'} (audit {audit.id!r})"
        )
    chosen = calendar if calendar is not None else working_calendar_for(profile)
    length = timescale.due if timescale.due is not None else timescale.default_due
    assert length is not None  # ActionTimescale requires due or default_due
    derived = chosen.roll_forward(length.add_to(audit.audit_date))
    if due is not None:
        if due < audit.audit_date:
            raise ClosingTheLoopError(
                f"audit {audit.id!r}: action due {due.isoformat()}, before the audit "
                f"({audit.audit_date.isoformat()})"
            )
        # A timescale the profile fixes is a ceiling: "within one month" allows sooner.
        if timescale.due is not None and due > derived:
            raise ClosingTheLoopError(
                f"audit {audit.id!r}: action due {due.isoformat()}, but action timescale "
                f"{timescale.id!r} of profile {profile.label} has actions due within "
                f"{timescale.due.describe(numbered=True)} of the audit (by "
                f"{derived.isoformat()})"
            )
        due_day = due
    else:
        due_day = derived
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
    record without those dates (which :func:`qaframework.engine.audits.check_audit` rejects) counts
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
    action: AuditAction
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


def action_ledger(audits: Iterable[Audit], *, as_of: date) -> ActionLedger:
    """Every action of the audits dated on or before ``as_of``, with its status on that date.

    An action is overdue when it is open on ``as_of`` and its due date is before ``as_of``.
    """
    items: list[ActionItem] = []
    with paused_gc():
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
