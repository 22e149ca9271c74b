"""Evaluating a profile's escalation rules for audits.

:func:`evaluate_escalations` applies a profile's rules to one audit, before and after
moderation, as of a date; :func:`evaluate_escalations_bulk` does the same for many audits,
each under the profile version in force on its date (:data:`ProfileResolver`). Each
:class:`Escalation` says what fired, who raises it and who is told, the working-day deadline
(counted in the calendar :func:`working_calendar_for` gives), the follow-up and what follows.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TypeAlias

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import Audit, ModerationRecord
from qaframework.errors import QAFrameworkError
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.escalation import (
    Concern,
    Consequence,
    DeadlineKind,
    EscalationRule,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.grades import GradeScale
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NOT_STATED, NotStated
from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "Escalation",
    "EscalationError",
    "EscalationStage",
    "ProfileResolver",
    "evaluate_escalations",
    "evaluate_escalations_bulk",
    "grade_as_of",
    "grades_matching",
    "working_calendar_for",
]


ProfileResolver: TypeAlias = Callable[[date], Profile]
"""The profile version in force on a date: ``lambda day: load_profile("swindon", as_of=day)``."""


class EscalationError(QAFrameworkError):
    """An audit cannot be evaluated against a profile's escalation policy.

    Raised for an audit naming an activity, role or grade the profile version in force on its
    date does not declare, and for a rule whose deadline the profile cannot date (a
    ``next_cycle`` deadline on an activity with no periodic cadence).
    """


class EscalationStage(enum.Enum):
    """When an escalation was raised: on completing the audit, or after a moderation of it."""

    PRE_MODERATION = "pre_moderation"
    POST_MODERATION = "post_moderation"


@attrs.frozen
class Escalation:
    """One escalation raised for one audit under one :class:`EscalationRule`.

    What fired: ``rule`` (its trigger, deadline, follow-up and consequence, with the citation),
    at ``stage``, with ``grade`` the audit's grade at that step (the auditor's grade before
    moderation, the moderation's grade after it; for ``grade`` and ``moderation`` triggers the
    grade that fired; None for an audit of an activity that does not grade practice),
    ``concern`` for a concern trigger and ``moderation_index`` / ``moderator`` for a step
    taken by moderation (the index into ``Audit.moderations``).

    Who: ``raised_by`` are the council's role titles of who raises it (``raised_by_roles`` the
    role ids); where the rule names nobody, whoever did the triggering step raises it: the
    auditor (``auditor_role``) or the moderator (the moderation's ``role``), and
    ``raised_by_person`` is that person's id. ``recipients`` and ``conditional_recipients``
    (told "if relevant") are role titles, with their ids beside them; ``notify_auditor`` is
    the auditor's id when the rule has the auditor told as well.

    When: ``raised_on`` is the day of the triggering step; ``deadline`` the working day by
    which it must be done; ``first_follow_up`` the first follow-up (``rule.follow_up``) on or
    after the deadline, by ``follow_up_by``. ``consequence_owner`` and ``circulated_to`` are
    the titles of the consequence's owner and circulation list; ``follow_on`` is the name of
    the activity a follow-on audit requires of the child (``rule.follow_on_activity`` its id),
    due by ``deadline``.

    Where the rule does not state who is told or by when, ``recipients`` and
    ``recipient_roles``, or ``deadline``, are :data:`~qaframework.policy.unknowns.NOT_STATED`;
    nothing is invented. An escalation with no stated deadline is never overdue, and its
    follow-ups, where the rule states them, count from the day it was raised.
    """

    rule: EscalationRule
    profile_id: str
    profile_version: str
    audit_id: str
    child_id: str
    activity: str
    team: str | None
    stage: EscalationStage
    grade: str | None
    raised_on: date
    raised_by: tuple[str, ...]
    raised_by_roles: tuple[str, ...]
    recipients: tuple[str, ...] | NotStated
    recipient_roles: tuple[str, ...] | NotStated
    deadline: date | NotStated
    raised_by_person: str | None = None
    concern: Concern | None = None
    moderation_index: int | None = None
    moderator: str | None = None
    conditional_recipients: tuple[str, ...] = ()
    conditional_recipient_roles: tuple[str, ...] = ()
    notify_auditor: str | None = None
    first_follow_up: date | None = None
    follow_up_by: tuple[str, ...] = ()
    follow_up_by_roles: tuple[str, ...] = ()
    consequence_owner: str | NotStated | None = None
    circulated_to: tuple[str, ...] = ()
    follow_on: str | None = None

    @property
    def rule_id(self) -> str:
        """The id of the rule that raised it."""
        return self.rule.id

    @property
    def trigger(self) -> TriggerKind:
        """The kind of trigger that fired."""
        return self.rule.trigger.kind

    @property
    def consequence(self) -> Consequence | None:
        """What follows (a tracker, a workshop ...), None for a plain escalation."""
        return self.rule.consequence

    @property
    def follow_up(self) -> IsoDuration | None:
        """How often the matter is followed up, None when the rule sets no follow-up (or
        does not state how often)."""
        return self.rule.follow_up.every if self.rule.follow_up is not None else None

    def overdue_on(self, day: date) -> bool:
        """Whether its deadline had passed by ``day`` (never, where no deadline is stated)."""
        return isinstance(self.deadline, date) and self.deadline < day

    def follow_up_on_or_after(self, day: date, calendar: WorkingCalendar) -> date | None:
        """The first follow-up on or after ``day`` (never before :attr:`first_follow_up`).

        Follow-ups fall every :attr:`follow_up` counted from :attr:`raised_on`, each moved
        forward to a working day; None when the rule sets no follow-up.
        """
        every = self.follow_up
        if every is None or self.first_follow_up is None:
            return None
        target = max(day, self.first_follow_up)
        return _first_series_day(self.raised_on, every, target, calendar)


def grade_as_of(audit: Audit, as_of: date) -> str | None:
    """The audit's grade on ``as_of``: the latest moderation by then, else the auditor's grade.

    None for an audit of an activity that does not grade practice.
    """
    latest: ModerationRecord | None = None
    latest_key = (date.min, -1)
    for index, record in enumerate(audit.moderations):
        key = (record.on, index)
        if record.on <= as_of and key > latest_key:
            latest, latest_key = record, key
    return latest.grade if latest is not None else audit.overall_grade


def grades_matching(trigger: Trigger, scale: GradeScale) -> frozenset[str] | None:
    """The grade codes of ``scale`` a trigger accepts: ``at_or_below`` or worse, and ``grades``.

    None when the trigger names no grade (a concern, a completed audit, or a moderation
    trigger on its outcome alone), which accepts any grade.
    """
    if not trigger.grade_codes:
        return None
    matching = set(trigger.grades)
    threshold = trigger.at_or_below
    if threshold is not None:
        matching.update(g.code for g in scale if scale.at_or_below(g.code, threshold))
    return frozenset(matching)


def working_calendar_for(profile: Profile) -> WorkingCalendar:
    """The working calendar ``profile`` counts deadlines in: its
    :attr:`~qaframework.policy.profile.Profile.behaviour`'s answer (the ``working_calendar``
    hook for a profile the registry loaded)."""
    return profile.behaviour.working_calendar(profile)


def evaluate_escalations(
    profile: Profile,
    audit: Audit,
    *,
    as_of: date,
    calendar: WorkingCalendar | None = None,
) -> tuple[Escalation, ...]:
    """The escalations ``profile``'s policy raises for ``audit`` on or before ``as_of``.

    ``profile`` is the version in force on the audit date; moderations after ``as_of`` have
    not happened yet and are not read. Working days come from ``calendar``, or from the
    ``working_calendar`` hook for the profile. The result is in order of the day raised, then
    of the profile's rules.

    How each trigger reads the audit:

    - ``grade`` at stage ``auditor`` fires on the audit date when the auditor's grade matches.
    - ``grade`` at stage ``moderated`` fires on the date of the moderation that brings the
      moderated grade into the trigger (the first moderation matching, or one matching after
      an earlier one did not); a second moderation agreeing does not fire it again.
    - ``grade`` at stage ``final`` reads the final grade as it stood over time (the
      auditor's, then each moderation's): it fires on the audit date when the auditor's
      grade matches, and on the date of a moderation that brings the final grade into the
      trigger from outside it.
    - ``moderation`` fires once for each moderation whose outcome matches and whose resulting
      grade matches the trigger's grades (any grade when it names none).
    - ``concern`` fires on the audit date when the audit flags the concern; ``completed``
      fires on the audit date for every audit.

    A rule with ``applies_to`` covers those activities. Otherwise a ``concern`` rule covers
    every activity of the profile, graded or not (a concern found in a thematic audit or a
    dip sample is raised like any other), and the other triggers cover every graded activity.
    An audit of an activity that does not grade practice has no grade, so ``grade`` and
    ``moderation`` triggers never fire for it.
    Once raised, an escalation stays raised: a later moderation that takes the grade out of
    the trigger closes it (see :mod:`qaframework.actions`) but does not unraise it, so the
    escalations as of a later date always include those as of an earlier one.

    Deadlines (always a working day of the calendar, never before ``raised_on``):
    ``immediate`` and ``same_working_day`` are the raise day, moved forward to a working day;
    ``working_days`` n is the n-th working day after it; ``within`` adds the calendar duration
    and moves forward to a working day; ``next_cycle`` is the last working day of the
    activity's next cycle (cycles of its periodic cadence counted from its anchor, or the
    profile's ``schedule_anchor``; the cycle after the one holding the raise day), or the
    first working day after it when that cycle has none. A deadline the rule does not state
    (``"not stated"``) is :data:`~qaframework.policy.unknowns.NOT_STATED`: none is invented.
    """
    plan = _Plan(profile, calendar if calendar is not None else working_calendar_for(profile))
    found: list[Escalation] = []
    plan.evaluate(audit, as_of, found)
    return tuple(found)


def evaluate_escalations_bulk(
    audits: Iterable[Audit],
    resolve: ProfileResolver,
    *,
    as_of: date,
    calendar: WorkingCalendar | None = None,
) -> list[Escalation]:
    """:func:`evaluate_escalations` for many audits, each under the version in force on its date.

    ``resolve`` gives the profile version in force on a date (it is asked once per distinct
    audit date, and a version's rules are prepared once); audits dated after ``as_of`` are
    skipped without asking. The escalations come audit by audit, in the order given. The
    cycle collector is paused while the records are built (restored afterwards), so the
    cost grows linearly with the number of audits.
    """
    plans_by_day: dict[date, _Plan] = {}
    plans_by_profile: dict[int, _Plan] = {}
    found: list[Escalation] = []
    with paused_gc():
        for audit in audits:
            day = audit.audit_date
            if day > as_of:
                continue
            plan = plans_by_day.get(day)
            if plan is None:
                profile = resolve(day)
                # Keyed by identity: the plan holds the profile, so the id stays its own.
                plan = plans_by_profile.get(id(profile))
                if plan is None:
                    chosen = calendar if calendar is not None else working_calendar_for(profile)
                    plan = plans_by_profile[id(profile)] = _Plan(profile, chosen)
                plans_by_day[day] = plan
            plan.evaluate(audit, as_of, found)
    return found


def _first_series_day(
    start: date, every: IsoDuration, target: date, calendar: WorkingCalendar
) -> date:
    """The first ``start + n * every`` (n >= 1), moved to a working day, on or after ``target``."""

    def nth(n: int) -> date:
        return calendar.roll_forward(every.add_to(start, n))

    # Jump near the target rather than walk from the start (weekly reviews years on), then
    # settle: the series only moves forward, so the first day on or after the target is exact.
    n = max(1, math.floor((target - start).days / every.approximate_days))
    while n > 1 and nth(n - 1) >= target:
        n -= 1
    while (found := nth(n)) < target:
        n += 1
    return found


class _RulePlan:
    """One rule prepared for one profile version: titles looked up, grades as a set."""

    __slots__ = (
        "activities",
        "circulated_to",
        "concern",
        "conditional",
        "conditional_roles",
        "consequence_owner",
        "dates",
        "follow_on",
        "follow_up_by",
        "follow_up_by_roles",
        "kind",
        "matching",
        "outcome",
        "raised_by",
        "recipients",
        "rule",
        "stage",
    )

    def __init__(
        self,
        rule: EscalationRule,
        profile: Profile,
        graded: frozenset[str],
        every: frozenset[str],
    ) -> None:
        self.rule = rule
        # With no applies_to: a concern is raised from any activity's audit, while grade,
        # moderation and completed rules read graded audits only.
        if rule.applies_to:
            self.activities = frozenset(rule.applies_to)
        elif rule.trigger.kind is TriggerKind.CONCERN:
            self.activities = every
        else:
            self.activities = graded
        # The trigger's parts flattened: read for every audit.
        trigger = rule.trigger
        self.kind = trigger.kind
        self.stage = trigger.stage
        self.outcome = trigger.outcome
        self.concern = trigger.concern
        self.matching = grades_matching(trigger, profile.grade_scale)
        self.raised_by = profile.role_titles(rule.raised_by)
        self.recipients: tuple[str, ...] | NotStated = (
            NOT_STATED
            if isinstance(rule.recipients, NotStated)
            else profile.role_titles(rule.recipients)
        )
        self.conditional = profile.role_titles(rule.conditional_recipients)
        self.conditional_roles = rule.conditional_recipients
        self.follow_up_by = profile.role_titles(rule.follow_up_by)
        self.follow_up_by_roles = rule.follow_up_by
        consequence = rule.consequence
        owner = consequence.owner if consequence is not None else None
        self.consequence_owner: str | NotStated | None = (
            owner if owner is None or isinstance(owner, NotStated) else profile.role(owner).title
        )
        self.circulated_to = (
            profile.role_titles(consequence.circulated_to) if consequence is not None else ()
        )
        wanted = rule.follow_on_activity
        self.follow_on = profile.activity(wanted).name if wanted is not None else None
        # (activity, raise day) -> (deadline, first follow-up): audits share a few days.
        self.dates: dict[tuple[str, date], tuple[date | NotStated, date | None]] = {}


class _Plan:
    """A profile version's escalation policy prepared for evaluating many audits."""

    __slots__ = ("activities", "calendar", "graded", "grades", "profile", "role_titles", "rules")

    def __init__(self, profile: Profile, calendar: WorkingCalendar) -> None:
        self.profile = profile
        self.calendar = calendar
        self.role_titles = {role.id: role.title for role in profile.roles}
        self.grades = frozenset(profile.grade_scale.codes)
        self.activities = frozenset(a.id for a in profile.activities)
        graded = self.graded = frozenset(a.id for a in profile.activities if a.graded)
        plans = [_RulePlan(rule, profile, graded, self.activities) for rule in profile.escalation]
        # The rules covering each activity, in the profile's order.
        self.rules = {
            activity: tuple(plan for plan in plans if activity in plan.activities)
            for activity in self.activities
        }

    def _unknown(
        self, audit: Audit, what: str, value: str, known: Iterable[str]
    ) -> EscalationError:
        return EscalationError(
            f"audit {audit.id!r}: {what} {value!r} is not in profile {self.profile.label} "
            f"(known: {', '.join(sorted(known))})"
        )

    def _check(self, audit: Audit) -> None:
        if audit.activity not in self.activities:
            raise self._unknown(audit, "activity", audit.activity, self.activities)
        if audit.auditor_role not in self.role_titles:
            raise self._unknown(audit, "auditor role", audit.auditor_role, self.role_titles)
        overall = audit.overall_grade
        if overall is None:
            if audit.activity in self.graded:
                raise EscalationError(
                    f"audit {audit.id!r}: activity {audit.activity!r} grades practice, but the "
                    f"audit has no overall grade"
                )
        elif overall not in self.grades:
            raise self._unknown(audit, "grade", overall, self.grades)
        for record in audit.moderations:
            if record.role not in self.role_titles:
                raise self._unknown(audit, "moderator role", record.role, self.role_titles)
            if record.grade not in self.grades:
                raise self._unknown(audit, "moderated grade", record.grade, self.grades)

    def evaluate(self, audit: Audit, as_of: date, out: list[Escalation]) -> None:
        """Append the escalations raised for ``audit`` on or before ``as_of`` to ``out``."""
        if audit.audit_date > as_of:
            return
        self._check(audit)
        moderations = (
            sorted(
                ((i, m) for i, m in enumerate(audit.moderations) if m.on <= as_of),
                key=lambda item: (item[1].on, item[0]),
            )
            if audit.moderations
            else ()
        )
        start = len(out)
        for plan in self.rules[audit.activity]:
            kind = plan.kind
            matching = plan.matching
            if kind is TriggerKind.GRADE:
                assert matching is not None  # a grade trigger always names grades
                stage = plan.stage
                inside = stage is not GradeStage.MODERATED and audit.overall_grade in matching
                if inside:
                    out.append(self._raise(plan, audit, None))
                if stage is not GradeStage.AUDITOR:
                    for index, record in moderations:
                        now = record.grade in matching
                        if now and not inside:
                            out.append(self._raise(plan, audit, (index, record)))
                        inside = now
            elif kind is TriggerKind.MODERATION:
                for index, record in moderations:
                    if record.outcome is plan.outcome and (
                        matching is None or record.grade in matching
                    ):
                        out.append(self._raise(plan, audit, (index, record)))
            elif kind is TriggerKind.CONCERN:
                if plan.concern in audit.concerns:
                    out.append(self._raise(plan, audit, None, plan.concern))
            else:
                out.append(self._raise(plan, audit, None))
        if len(out) - start > 1:
            # Stable: same-day escalations keep the profile's order of rules.
            out[start:] = sorted(out[start:], key=_raised_on)

    def _raise(
        self,
        plan: _RulePlan,
        audit: Audit,
        step: tuple[int, ModerationRecord] | None,
        concern: Concern | None = None,
    ) -> Escalation:
        rule = plan.rule
        if step is None:
            stage, grade, raised_on = EscalationStage.PRE_MODERATION, audit.overall_grade, None
            actor, actor_role, index, moderator = audit.auditor, audit.auditor_role, None, None
        else:
            index, record = step
            stage, grade, raised_on = EscalationStage.POST_MODERATION, record.grade, record.on
            actor, actor_role, moderator = record.moderator, record.role, record.moderator
        day = raised_on if raised_on is not None else audit.audit_date
        if rule.raised_by:
            raised_by, raised_by_roles, person = plan.raised_by, rule.raised_by, None
        else:
            raised_by, raised_by_roles, person = (
                (self.role_titles[actor_role],),
                (actor_role,),
                actor,
            )
        key = (audit.activity, day)
        dates = plan.dates.get(key)
        if dates is None:
            dates = plan.dates[key] = self._dates(plan, audit.activity, day)
        return Escalation(
            rule,
            self.profile.id,
            self.profile.version,
            audit.id,
            audit.child_id,
            audit.activity,
            audit.team,
            stage,
            grade,
            day,
            raised_by,
            raised_by_roles,
            plan.recipients,
            rule.recipients,
            dates[0],
            person,
            concern,
            index,
            moderator,
            plan.conditional,
            plan.conditional_roles,
            audit.auditor if rule.notify_auditor else None,
            dates[1],
            plan.follow_up_by,
            plan.follow_up_by_roles,
            plan.consequence_owner,
            plan.circulated_to,
            plan.follow_on,
        )

    def _dates(
        self, plan: _RulePlan, activity: str, raised: date
    ) -> tuple[date | NotStated, date | None]:
        rule = plan.rule
        deadline = rule.deadline
        calendar = self.calendar
        every = rule.follow_up.every if rule.follow_up is not None else None
        if isinstance(deadline, NotStated):
            # No deadline is invented: a stated follow-up counts from the day raised.
            first = _first_series_day(raised, every, raised, calendar) if every else None
            return NOT_STATED, first
        if deadline.kind is DeadlineKind.WORKING_DAYS:
            due = calendar.add_working_days(raised, deadline.working_days or 0)
        elif deadline.within is not None:
            due = calendar.roll_forward(deadline.within.add_to(raised))
        elif deadline.kind is DeadlineKind.NEXT_CYCLE:
            due = self._next_cycle_deadline(rule, activity, raised)
        else:
            due = calendar.roll_forward(raised)
        first = _first_series_day(raised, every, due, calendar) if every is not None else None
        return due, first

    def _next_cycle_deadline(self, rule: EscalationRule, activity_id: str, raised: date) -> date:
        activity = self.profile.activity(activity_id)
        every = activity.cadence.every
        if every is None:
            raise EscalationError(
                f"profile {self.profile.label}: escalation rule {rule.id!r} is due by the next "
                f"cycle, but activity {activity_id!r} ({activity.name}) has no periodic cadence "
                f"({activity.cadence})"
            )
        anchor = activity.anchor or self.profile.schedule_anchor
        # Three cycles ahead always holds the next two cycle starts, month ends included.
        starts = activity.cadence.occurrences(
            anchor, raised + timedelta(days=1), every.add_to(raised, 3)
        )
        next_start, after = starts[0], starts[1]
        calendar = self.calendar
        day = after - timedelta(days=1)
        while day >= next_start and not calendar.is_working_day(day):
            day -= timedelta(days=1)
        return day if day >= next_start else calendar.roll_forward(after)


def _raised_on(escalation: Escalation) -> date:
    return escalation.raised_on
