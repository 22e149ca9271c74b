"""Escalation rules as a profile states them: trigger, recipients, deadline, consequence.

An :class:`EscalationRule` is one rule of a profile: what sets it off (a :class:`Trigger`:
a grade, a moderation, a concern, every completed audit), the roles that raise it and are
told, when it falls due (a :class:`Deadline`), how often it is then followed up, and what
follows (a :class:`Consequence`: a tracker, a workshop, a dispute resolution process), and
when the matter closes (each a :class:`ClosingCondition`). A consequence may require a
further activity of the same child (a follow-on audit: a light audit graded Inadequate
triggers a full audit), which closes when that activity's audit is recorded. These are the
values a profile holds; :mod:`qaframework.engine.escalation` applies them to audits and
:mod:`qaframework.engine.actions` says which are still open.
"""

from __future__ import annotations

import enum

import attrs

from qaframework.policy.cadence import Cadence, IsoDuration
from qaframework.policy.citations import Citation
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.unknowns import NotStated

__all__ = [
    "ClosingCondition",
    "Concern",
    "Consequence",
    "ConsequenceKind",
    "Deadline",
    "DeadlineKind",
    "EscalationRule",
    "GradeStage",
    "Trigger",
    "TriggerKind",
    "describe_deadline",
]


class TriggerKind(enum.Enum):
    """What sets an escalation off.

    - ``grade``: the audit's grade (at ``stage``) is at or below ``at_or_below`` or one of
      ``grades``.
    - ``moderation``: a moderation with ``outcome`` whose resulting grade matches.
    - ``concern``: the audit raised ``concern`` (an audit of any activity, graded or not).
    - ``completed``: every completed audit (a notification owed on each one).
    """

    GRADE = "grade"
    MODERATION = "moderation"
    CONCERN = "concern"
    COMPLETED = "completed"


class GradeStage(enum.Enum):
    """Which grade a grade trigger reads.

    ``auditor``: the auditor's grade, before any moderation. ``moderated``: the grade after
    moderation, once the audit has been moderated. ``final``: the moderated grade where
    there is one, the auditor's otherwise.
    """

    AUDITOR = "auditor"
    MODERATED = "moderated"
    FINAL = "final"


class Concern(enum.Enum):
    """Concerns flagged on an audit or review.

    ``urgent_safety`` and ``health`` are the child's; ``practice`` is a practice issue a
    reviewer (an IRO or conference chair) raises through dispute resolution.
    """

    URGENT_SAFETY = "urgent_safety"
    HEALTH = "health"
    PRACTICE = "practice"


_TRIGGER_FIELDS = ("stage", "at_or_below", "grades", "outcome", "concern")


@attrs.frozen
class Trigger:
    """The condition under which an escalation rule fires."""

    kind: TriggerKind
    stage: GradeStage | None = None
    at_or_below: str | None = None
    grades: tuple[str, ...] = ()
    outcome: ModerationOutcome | None = None
    concern: Concern | None = None

    def __attrs_post_init__(self) -> None:
        given = {name for name in _TRIGGER_FIELDS if getattr(self, name) not in (None, ())}
        if self.kind is TriggerKind.GRADE:
            if self.stage is None:
                raise ValueError("a grade trigger says which grade it reads (stage)")
            if (self.at_or_below is None) == (not self.grades):
                raise ValueError("a grade trigger gives either at_or_below or grades")
            allowed = {"stage", "at_or_below", "grades"}
        elif self.kind is TriggerKind.MODERATION:
            if self.outcome is None:
                raise ValueError("a moderation trigger names the moderation outcome")
            allowed = {"outcome", "at_or_below", "grades"}
        elif self.kind is TriggerKind.CONCERN:
            if self.concern is None:
                raise ValueError("a concern trigger names the concern")
            allowed = {"concern"}
        else:
            allowed = set()
        extra = sorted(given - allowed)
        if extra:
            raise ValueError(f"a trigger of kind {self.kind.value!r} takes no {', '.join(extra)}")

    @property
    def grade_codes(self) -> tuple[str, ...]:
        """Grade codes the trigger names (``at_or_below`` and ``grades``)."""
        named = (self.at_or_below,) if self.at_or_below is not None else ()
        return named + self.grades


class DeadlineKind(enum.Enum):
    """How a deadline is counted from the triggering event.

    ``immediate`` and ``same_working_day`` both fall due on the day of the event (moved to
    the next working day if that is not one); ``working_days`` counts ``working_days``
    working days; ``within`` adds the calendar duration ``within`` (then moves to a working
    day); ``next_cycle`` is due by the end of the activity's next cycle.
    """

    IMMEDIATE = "immediate"
    SAME_WORKING_DAY = "same_working_day"
    WORKING_DAYS = "working_days"
    WITHIN = "within"
    NEXT_CYCLE = "next_cycle"


@attrs.frozen
class Deadline:
    """When an escalation or action falls due, relative to its trigger."""

    kind: DeadlineKind
    working_days: int | None = None
    within: IsoDuration | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is DeadlineKind.WORKING_DAYS:
            if self.working_days is None or self.working_days < 1:
                raise ValueError("a working_days deadline needs working_days >= 1")
        elif self.working_days is not None:
            raise ValueError(f"a deadline of kind {self.kind.value!r} takes no working_days")
        if self.kind is DeadlineKind.WITHIN:
            if self.within is None or self.within.is_zero:
                raise ValueError("a within deadline needs a non-zero duration")
        elif self.within is not None:
            raise ValueError(f"a deadline of kind {self.kind.value!r} takes no duration")

    def describe(self) -> str:
        """English: "immediately", "same working day", "within 1 month"."""
        if self.kind is DeadlineKind.WORKING_DAYS:
            return f"within {self.working_days} working day{'s' if self.working_days != 1 else ''}"
        if self.within is not None:
            return f"within {self.within.describe(numbered=True)}"
        return {
            DeadlineKind.IMMEDIATE: "immediately",
            DeadlineKind.SAME_WORKING_DAY: "same working day",
            DeadlineKind.NEXT_CYCLE: "by the next cycle",
        }[self.kind]

    def approximate_days(self, cycle: IsoDuration | None = None) -> float:
        """An upper estimate in calendar days, for comparing a deadline with a follow-up."""
        if self.kind in (DeadlineKind.IMMEDIATE, DeadlineKind.SAME_WORKING_DAY):
            return 0.0
        if self.kind is DeadlineKind.WORKING_DAYS:
            return (self.working_days or 0) * 7 / 5
        if self.within is not None:
            return self.within.approximate_days
        return cycle.approximate_days if cycle is not None else float("inf")


def describe_deadline(deadline: Deadline | NotStated) -> str:
    """English for a rule's deadline: "within 1 month", or "not stated"."""
    return str(deadline) if isinstance(deadline, NotStated) else deadline.describe()


class ConsequenceKind(enum.Enum):
    """What an escalation leads to.

    ``follow_on_audit`` requires a further activity of the same child (the consequence's
    ``activity``): a full audit after a light audit graded Inadequate.
    """

    CHILD_OF_CONCERN_TRACKER = "child_of_concern_tracker"
    PRACTICE_IMPROVEMENT_WORKSHOP = "practice_improvement_workshop"
    ACTION_TRACKER = "action_tracker"
    DISPUTE_RESOLUTION = "dispute_resolution"
    NOTIFICATION = "notification"
    FOLLOW_ON_AUDIT = "follow_on_audit"


@attrs.frozen
class Consequence:
    """What follows an escalation: a tracker, a workshop, a dispute resolution process.

    ``name`` is the council's own name ("child of concern tracker", "Focused Practice
    Improvement workshop"); ``owner`` the role id that runs it (None: the source names none;
    :data:`~qaframework.policy.unknowns.NOT_STATED`: it has an owner it does not name);
    ``monitored_in`` forum ids; ``circulated_to`` the roles a tracker is circulated to;
    ``until`` when it ends.
    ``activity`` is the id of the activity a ``follow_on_audit`` requires of the same child
    (and only such a consequence names one).
    """

    kind: ConsequenceKind
    name: str
    owner: str | NotStated | None = None
    monitored_in: tuple[str, ...] = ()
    circulated_to: tuple[str, ...] = ()
    until: str | None = None
    activity: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is ConsequenceKind.FOLLOW_ON_AUDIT:
            if self.activity is None:
                raise ValueError("a follow-on audit names the activity it requires (activity)")
        elif self.activity is not None:
            raise ValueError(
                f"a consequence of kind {self.kind.value!r} requires no activity; only a "
                "follow_on_audit does"
            )


class ClosingCondition(enum.Enum):
    """What closes an escalation; a rule closes on the first of its conditions to happen.

    - ``actions_verified``: the audit set actions and every one of them is verified (done and
      checked to have made a difference).
    - ``no_actions``: the audit set no actions, so there is nothing to track: it closes on its
      deadline (Swindon's Audit Management tracker for a Good audit that needs no action).
    - ``improved``: a later audit of the same child is graded better (grade and moderation
      triggers only).
    - ``withdrawn``: a later moderation of the same audit takes its grade out of the trigger
      (grade and moderation triggers that name grades only).
    - ``deadline``: the duty is taken as done once its deadline has passed, as audit records
      hold no acknowledgement or attendance (a notification sent, a workshop held).
    - ``follow_on_recorded``: an audit of the same child by the activity a follow-on audit
      requires is recorded, on or after the day the escalation was raised (follow-on audits
      only).
    """

    ACTIONS_VERIFIED = "actions_verified"
    NO_ACTIONS = "no_actions"
    IMPROVED = "improved"
    WITHDRAWN = "withdrawn"
    DEADLINE = "deadline"
    FOLLOW_ON_RECORDED = "follow_on_recorded"


_READS_GRADE = (TriggerKind.GRADE, TriggerKind.MODERATION)


@attrs.frozen
class EscalationRule:
    """One escalation rule of a profile.

    ``raised_by`` are the roles that must act; empty means whoever did the triggering step
    (the auditor, or the moderator for a moderation trigger). ``recipients`` are the roles
    told, ``conditional_recipients`` roles told "if relevant", and ``notify_auditor`` adds
    the auditor of the audit (a moderator sharing a downgrade with the auditor).
    ``follow_up`` is how often the matter is then tracked, by ``follow_up_by``;
    ``applies_to`` limits the rule to some activities. When it is empty a ``concern`` rule
    covers every activity of the profile, graded or not, and the other triggers cover every
    graded activity (an audit of an activity that does not grade practice has no grade, and
    is not moderated).

    ``closes`` says when the matter closes (see :class:`ClosingCondition`). When it is empty
    a one-off rule (no follow-up, and no consequence beyond a notification) closes on its
    deadline, and any rule closes once its audit's actions are all verified and, for grade
    and moderation triggers, when the child's practice is graded better or moderation
    withdraws the grade; a rule whose consequence is a follow-on audit closes when that
    audit is recorded.

    ``recipients`` and ``deadline`` are :data:`~qaframework.policy.unknowns.NOT_STATED` where
    the source states the rule but not who is told or by when (and ``follow_up`` a
    ``"not stated"`` cadence where it says the matter is tracked but not how often). A rule
    whose deadline is not stated never falls due: nothing it raises is overdue, and it cannot
    close on its deadline.
    """

    id: str
    name: str
    trigger: Trigger
    recipients: tuple[str, ...] | NotStated
    deadline: Deadline | NotStated
    citation: Citation
    raised_by: tuple[str, ...] = ()
    conditional_recipients: tuple[str, ...] = ()
    notify_auditor: bool = False
    follow_up: Cadence | None = None
    follow_up_by: tuple[str, ...] = ()
    consequence: Consequence | None = None
    applies_to: tuple[str, ...] = ()
    closes: tuple[ClosingCondition, ...] = ()
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if len(set(self.closes)) != len(self.closes):
            raise ValueError("closes names each condition once")
        on_deadline = {ClosingCondition.DEADLINE, ClosingCondition.NO_ACTIONS} & set(self.closes)
        if isinstance(self.deadline, NotStated) and on_deadline:
            names = " and ".join(sorted(c.value for c in on_deadline))
            raise ValueError(
                f"closes on its deadline ({names}), but the deadline is not stated: the matter "
                "could never close that way"
            )
        reads_grade = self.trigger.kind in _READS_GRADE
        if ClosingCondition.IMPROVED in self.closes and not reads_grade:
            raise ValueError(
                f"a {self.trigger.kind.value!r} trigger reads no grade, so it cannot close as "
                "improved"
            )
        if ClosingCondition.WITHDRAWN in self.closes and not (
            reads_grade and self.trigger.grade_codes
        ):
            raise ValueError(
                "only a grade or moderation trigger that names grades can close as withdrawn"
            )
        if ClosingCondition.FOLLOW_ON_RECORDED in self.closes and not self.requires_follow_on:
            raise ValueError(
                "only a rule whose consequence is a follow_on_audit can close as follow_on_recorded"
            )

    @property
    def requires_follow_on(self) -> bool:
        """Whether the rule's consequence is a follow-on audit."""
        consequence = self.consequence
        return consequence is not None and consequence.kind is ConsequenceKind.FOLLOW_ON_AUDIT

    @property
    def follow_on_activity(self) -> str | None:
        """The id of the activity a follow-on audit requires, None for any other rule."""
        consequence = self.consequence
        return consequence.activity if consequence is not None else None
