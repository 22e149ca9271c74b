"""Audit records: what an auditor found, how moderation saw it, and what must now happen.

An :class:`Audit` is one completed audit of one child's case: the activity it belongs to
(case file, thematic, multi-agency ...), who audited and whose practice it was, a
:class:`Judgement` per practice standard, the overall grade, concerns flagged, whose feedback
was captured, the :class:`ModerationRecord` history and the :class:`AuditAction` list.
Moderation never overwrites the auditor's grade: it is appended, and :attr:`Audit.final_grade`
reads the latest. :func:`check_audit` validates a record against the profile version in
force on its audit date.
"""

from __future__ import annotations

from datetime import date

import attrs

from qaframework.actions import ActionStatus
from qaframework.activities import FeedbackSource
from qaframework.errors import Problem
from qaframework.escalation import Concern
from qaframework.moderation import ModerationOutcome
from qaframework.profile import Profile

__all__ = [
    "Audit",
    "AuditAction",
    "Judgement",
    "ModerationRecord",
    "check_audit",
    "moderation_outcome",
]


@attrs.frozen
class Judgement:
    """The grade given for one practice standard, with the auditor's reasons.

    ``would_improve`` is "what would have made it better" (Bolton asks for it with the
    rationale and the strengths on every judgement).
    """

    standard: str
    grade: str
    rationale: str | None = None
    strengths: str | None = None
    would_improve: str | None = None


@attrs.frozen
class ModerationRecord:
    """One moderation of an audit: the moderator's grade and what it means for the auditor's."""

    moderator: str
    role: str
    grade: str
    outcome: ModerationOutcome
    on: date
    rationale: str | None = None


@attrs.frozen
class AuditAction:
    """A SMART action set by an audit: what, who owns it, when it is due and reviewed."""

    id: str
    what: str
    owner: str
    due: date
    review: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    done_on: date | None = None
    verified_on: date | None = None

    def is_overdue(self, as_of: date) -> bool:
        """Open and past its due date on ``as_of``."""
        return self.status is ActionStatus.OPEN and self.due < as_of


@attrs.frozen
class Audit:
    """One completed audit of one child's case.

    ``child_id`` is a pseudonymous identifier, never a name. ``activity`` is the id of the
    profile activity the audit belongs to; ``auditor_role`` a role id of the profile.
    """

    id: str
    child_id: str
    activity: str
    audit_date: date
    auditor: str
    auditor_role: str
    overall_grade: str
    cycle: str | None = None
    practitioner: str | None = None
    team: str | None = None
    service_area: str | None = None
    judgements: tuple[Judgement, ...] = ()
    concerns: tuple[Concern, ...] = ()
    feedback: tuple[FeedbackSource, ...] = ()
    moderations: tuple[ModerationRecord, ...] = ()
    actions: tuple[AuditAction, ...] = ()

    @property
    def moderated(self) -> bool:
        """Whether the audit has been moderated at least once."""
        return bool(self.moderations)

    @property
    def latest_moderation(self) -> ModerationRecord | None:
        """The most recent moderation (latest date; the later record on the same day)."""
        if not self.moderations:
            return None
        return max(enumerate(self.moderations), key=lambda item: (item[1].on, item[0]))[1]

    @property
    def moderated_grade(self) -> str | None:
        """The grade after moderation, None while unmoderated."""
        latest = self.latest_moderation
        return latest.grade if latest is not None else None

    @property
    def final_grade(self) -> str:
        """The moderated grade where there is one, the auditor's grade otherwise."""
        moderated = self.moderated_grade
        return moderated if moderated is not None else self.overall_grade

    def judgement(self, standard: str) -> Judgement | None:
        """The judgement for a standard, None if the audit made none."""
        for judgement in self.judgements:
            if judgement.standard == standard:
                return judgement
        return None

    def with_moderation(self, record: ModerationRecord) -> Audit:
        """A copy with ``record`` appended to the moderation history."""
        return attrs.evolve(self, moderations=(*self.moderations, record))


def moderation_outcome(
    profile: Profile, auditor_grade: str, moderated_grade: str
) -> ModerationOutcome:
    """Agree, upgrade or downgrade, from the two grades on the profile's scale."""
    difference = profile.grade_scale.compare(moderated_grade, auditor_grade)
    if difference == 0:
        return ModerationOutcome.AGREE
    return ModerationOutcome.UPGRADE if difference < 0 else ModerationOutcome.DOWNGRADE


def check_audit(audit: Audit, profile: Profile, path: str = "$") -> list[Problem]:
    """Every problem with ``audit`` under ``profile`` (the version in force on its date).

    Checks that the activity, roles, standards and grades exist in the profile, that the
    activity is one that grades practice, that each moderation's outcome agrees with the
    grades it compares and does not predate the audit, that actions are not due before the
    audit, and that judgements carry the fields the activity requires.
    """
    problems: list[Problem] = []
    scale = profile.grade_scale

    def add(where: str, message: str) -> None:
        problems.append(Problem(f"{path}{where}", message))

    if not profile.effective_from <= audit.audit_date:
        add(".audit_date", f"{audit.audit_date} is before {profile.label} took effect")
    activity = profile._lookup["activities"].get(audit.activity)
    if activity is None:
        known = ", ".join(a.id for a in profile.activities if a.graded)
        add(".activity", f"unknown activity {audit.activity!r} (graded activities: {known})")
    elif not activity.graded:
        add(".activity", f"activity {audit.activity!r} ({activity.name}) does not grade practice")
    roles = profile._lookup["roles"]
    if audit.auditor_role not in roles:
        add(".auditor_role", f"unknown role {audit.auditor_role!r}")
    if audit.overall_grade not in scale:
        add(".overall_grade", f"unknown grade {audit.overall_grade!r} ({', '.join(scale.codes)})")
    standards = profile._lookup["standards"]
    required = activity.judgement_fields if activity is not None else ()
    seen: set[str] = set()
    for index, judgement in enumerate(audit.judgements):
        where = f".judgements[{index}]"
        if judgement.standard not in standards:
            add(f"{where}.standard", f"unknown standard {judgement.standard!r}")
        if judgement.standard in seen:
            add(f"{where}.standard", f"second judgement for standard {judgement.standard!r}")
        seen.add(judgement.standard)
        if judgement.grade not in scale:
            add(f"{where}.grade", f"unknown grade {judgement.grade!r} ({', '.join(scale.codes)})")
        for required_field in required:
            name = required_field.value
            value = getattr(judgement, name)
            if value is None or not value.strip():
                owner = activity.name if activity is not None else "this activity"
                add(
                    f"{where}.{name}",
                    f"{owner} requires {name.replace('_', ' ')} on every judgement",
                )
    # Each moderation is judged against the grade it reviewed: the auditor's, then the
    # previous moderator's.
    previous = audit.overall_grade
    ordered = sorted(enumerate(audit.moderations), key=lambda item: (item[1].on, item[0]))
    for index, record in ordered:
        where = f".moderations[{index}]"
        if record.role not in roles:
            add(f"{where}.role", f"unknown role {record.role!r}")
        if record.on < audit.audit_date:
            add(f"{where}.on", f"moderated on {record.on}, before the audit ({audit.audit_date})")
        if record.grade not in scale:
            add(f"{where}.grade", f"unknown grade {record.grade!r} ({', '.join(scale.codes)})")
        elif previous in scale:
            expected = moderation_outcome(profile, previous, record.grade)
            if record.outcome is not expected:
                add(
                    f"{where}.outcome",
                    f"{record.outcome.value} does not match {previous!r} -> {record.grade!r} "
                    f"(that is {expected.value})",
                )
        previous = record.grade
    for index, action in enumerate(audit.actions):
        if action.due < audit.audit_date:
            add(
                f".actions[{index}].due", f"due {action.due}, before the audit ({audit.audit_date})"
            )
        if action.review is not None and action.review < action.due:
            add(f".actions[{index}].review", f"review {action.review} is before due {action.due}")
        if action.status is not ActionStatus.OPEN and action.done_on is None:
            add(f".actions[{index}].done_on", f"a {action.status.value} action has a done_on date")
        if action.status is ActionStatus.VERIFIED and action.verified_on is None:
            add(f".actions[{index}].verified_on", "a verified action has a verified_on date")
    return problems
