"""Audit records: what an auditor found, how moderation saw it, and what must now happen.

An :class:`Audit` is one completed audit of one child's case: the activity it belongs to
(case file, thematic, multi-agency ...), who audited and whose practice it was, a
:class:`Judgement` per practice standard, the overall grade, concerns flagged, whose feedback
was captured, the :class:`ModerationRecord` history and the :class:`AuditAction` list, with
the answers to its activity's compliance checklist (:class:`ItemAnswer`) and its grades on
the other scales its activity uses (:class:`Rating`).
Moderation never overwrites the auditor's grade: it is appended, and :attr:`Audit.final_grade`
reads the latest. An audit of an activity that does not grade practice (a thematic audit, a
dip sample, an observation a profile marks ungraded) has no overall grade, no judgements and
no moderations, but may still flag concerns, capture feedback and set actions.
:func:`check_audit` validates a record against the profile version in force on its audit
date; :func:`audit_warnings` says what it accepts but flags (an audit or a moderation by a
role the profile does not name for it, where the profile makes that a warning).
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

import attrs

from qaframework.engine._audit_rules import checklist_problems, rating_problems, role_problems
from qaframework.errors import Problem
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import Activity, FeedbackSource, JudgementField
from qaframework.policy.checklists import ChecklistAnswer
from qaframework.policy.display import html_table, plural
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.permissions import Severity
from qaframework.policy.profile import Profile

__all__ = [
    "Audit",
    "AuditAction",
    "AuditCheck",
    "ItemAnswer",
    "Judgement",
    "ModerationRecord",
    "Rating",
    "RecordedData",
    "audit_html",
    "audit_warnings",
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
class ItemAnswer:
    """An audit's answer to one item of its activity's compliance checklist."""

    item: str
    answer: ChecklistAnswer


@attrs.frozen
class Rating:
    """An audit's grade on another scale its activity uses (an impact rating beside the
    grade): ``scale`` is the scale's id, ``grade`` a code of that scale."""

    scale: str
    grade: str


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


@attrs.frozen(repr=False)
class Audit:
    """One completed audit of one child's case.

    ``child_id`` is a pseudonymous identifier, never a name. ``activity`` is the id of the
    profile activity the audit belongs to; ``auditor_role`` a role id of the profile.
    ``overall_grade`` is the auditor's grade on the profile's scale, and None exactly when
    the activity does not grade practice (such an audit has no judgements or moderations).
    ``checklist`` answers items of the activity's compliance checklist (an item left
    unanswered is not recorded); ``ratings`` holds one grade on each other scale the
    activity uses (``Activity.scales``).
    """

    id: str
    child_id: str
    activity: str
    audit_date: date
    auditor: str
    auditor_role: str
    overall_grade: str | None
    cycle: str | None = None
    practitioner: str | None = None
    team: str | None = None
    service_area: str | None = None
    judgements: tuple[Judgement, ...] = ()
    concerns: tuple[Concern, ...] = ()
    feedback: tuple[FeedbackSource, ...] = ()
    moderations: tuple[ModerationRecord, ...] = ()
    actions: tuple[AuditAction, ...] = ()
    checklist: tuple[ItemAnswer, ...] = ()
    ratings: tuple[Rating, ...] = ()

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
        """The grade after moderation, None while unmoderated (always for an ungraded audit)."""
        latest = self.latest_moderation
        return latest.grade if latest is not None else None

    @property
    def final_grade(self) -> str | None:
        """The moderated grade where there is one, the auditor's grade otherwise.

        None exactly when the activity does not grade practice (no overall grade).
        """
        moderated = self.moderated_grade
        return moderated if moderated is not None else self.overall_grade

    def judgement(self, standard: str) -> Judgement | None:
        """The judgement for a standard, None if the audit made none."""
        for judgement in self.judgements:
            if judgement.standard == standard:
                return judgement
        return None

    def answer(self, item: str) -> ChecklistAnswer | None:
        """The answer to a checklist item, None if the audit gives none."""
        for found in self.checklist:
            if found.item == item:
                return found.answer
        return None

    def rating(self, scale: str) -> str | None:
        """The grade on another scale, None if the audit gives none."""
        for found in self.ratings:
            if found.scale == scale:
                return found.grade
        return None

    def with_moderation(self, record: ModerationRecord) -> Audit:
        """A copy with ``record`` appended to the moderation history."""
        return attrs.evolve(self, moderations=(*self.moderations, record))

    def __repr__(self) -> str:
        # Who, what, when and the grades (codes and ids of the profile, unquoted); the
        # judgements' words, the moderations and the actions are counted here and shown in
        # the HTML view and on the attributes.
        graded = "not graded" if self.overall_grade is None else f"graded {self.overall_grade}"
        moderated = self.moderated_grade
        if moderated is not None:
            graded += f", moderated {moderated}"
        counts = ", ".join(
            plural(len(items), noun)
            for items, noun in (
                (self.judgements, "judgement"),
                (self.moderations, "moderation"),
                (self.actions, "action"),
            )
        )
        return (
            f"<Audit {self.id!r} of child {self.child_id!r}: {self.activity} on "
            f"{self.audit_date.isoformat()} by {self.auditor!r}, {graded}; {counts}>"
        )

    def _repr_html_(self) -> str:
        return audit_html(self)


@attrs.frozen
class RecordedData:
    """Which kinds of data a set of audits carries, besides grades and judgements.

    An export may leave a kind out altogether: a CSV export with no action columns carries
    no actions, one with no moderation columns no moderations. Its audits then hold none,
    and a figure counted from them would read 0 where the truth is unknown. A report told
    that a kind is not recorded says "not recorded in this export" for every figure that
    needs it (:func:`~qaframework.engine.report.build_cycle_report`'s ``recorded``):

    - ``actions``: the actions set by audits (due, done, verified, overdue; a tracker's
      children with open actions; escalations closed by verified actions);
    - ``moderation``: the moderation records (the moderation figures; escalations set off
      by a moderation or read on the moderated or final grade);
    - ``feedback``: whose feedback was captured (no report figure reads it);
    - ``concerns``: the concerns an audit flagged (escalations set off by a concern);
    - ``checklist``: the answers to the activities' compliance checklists (compliance by
      item).

    Every kind is recorded by default, as audits made in memory or read from the native
    JSON carry every kind.
    """

    actions: bool = True
    moderation: bool = True
    feedback: bool = True
    concerns: bool = True
    checklist: bool = True

    @property
    def missing(self) -> tuple[str, ...]:
        """The kinds not recorded, by name, in the order of the fields."""
        return tuple(
            field.name for field in attrs.fields(RecordedData) if not getattr(self, field.name)
        )


def moderation_outcome(
    profile: Profile, auditor_grade: str, moderated_grade: str
) -> ModerationOutcome:
    """Agree, upgrade or downgrade, from the two grades on the profile's scale."""
    difference = profile.grade_scale.compare(moderated_grade, auditor_grade)
    if difference == 0:
        return ModerationOutcome.AGREE
    return ModerationOutcome.UPGRADE if difference < 0 else ModerationOutcome.DOWNGRADE


def _text(value: str | None) -> str:
    return "" if value is None else value


def audit_html(audit: Audit) -> str:
    """An audit at a glance, for a notebook: who audited what and when, the grades (the
    auditor's, the moderated, the final), concerns and feedback, then its judgements,
    moderations and actions as tables. Every text is escaped; the audit names a child (by
    its pseudonymous id): working data, not for publication."""
    facts = [
        f"{audit.activity} on {audit.audit_date.isoformat()}",
        f"by {audit.auditor} ({audit.auditor_role})",
    ]
    for name, value in (
        ("practitioner", audit.practitioner),
        ("team", audit.team),
        ("service area", audit.service_area),
        ("cycle", audit.cycle),
    ):
        if value is not None:
            facts.append(f"{name} {value}")
    if audit.overall_grade is None:
        grades = "not graded (the activity does not grade practice)"
    else:
        grades = f"auditor's grade {audit.overall_grade}"
        if audit.moderated_grade is not None:
            grades += f", moderated {audit.moderated_grade}"
        grades += f"; final {audit.final_grade}"
    parts = [
        '<div class="qaframework-audit">',
        f"<p><strong>Audit {escape(audit.id)}</strong> of child "
        f"<code>{escape(audit.child_id)}</code>: {escape('; '.join(facts))}<br>",
        escape(grades),
    ]
    flagged = [
        f"concerns: {', '.join(c.value for c in audit.concerns)}" if audit.concerns else "",
        f"feedback from: {', '.join(f.value for f in audit.feedback)}" if audit.feedback else "",
    ]
    if any(flagged):
        parts.append("<br>" + escape("; ".join(f for f in flagged if f)))
    parts.append("</p>")
    if audit.judgements:
        parts.append(
            html_table(
                ("Standard", "Grade", "Rationale", "Strengths", "Would improve"),
                (
                    (
                        j.standard,
                        j.grade,
                        _text(j.rationale),
                        _text(j.strengths),
                        _text(j.would_improve),
                    )
                    for j in audit.judgements
                ),
                caption=plural(len(audit.judgements), "judgement"),
            )
        )
    if audit.moderations:
        parts.append(
            html_table(
                ("On", "Moderator", "Role", "Grade", "Outcome", "Rationale"),
                (
                    (
                        m.on.isoformat(),
                        m.moderator,
                        m.role,
                        m.grade,
                        m.outcome.value,
                        _text(m.rationale),
                    )
                    for m in audit.moderations
                ),
                caption=plural(len(audit.moderations), "moderation"),
            )
        )
    if audit.actions:
        parts.append(
            html_table(
                ("Action", "What", "Owner", "Due", "Review", "Status"),
                (
                    (
                        a.id,
                        a.what,
                        a.owner,
                        a.due.isoformat(),
                        a.review.isoformat() if a.review is not None else "",
                        a.status.value,
                    )
                    for a in audit.actions
                ),
                caption=plural(len(audit.actions), "action"),
            )
        )
    parts.append("</div>")
    return "".join(parts)


def check_audit(audit: Audit, profile: Profile, path: str = "$") -> list[Problem]:
    """Every problem with ``audit`` under ``profile`` (the version in force on its date).

    Checks that the activity, roles, standards and grades exist in the profile, that an
    audit of an activity that grades practice has an overall grade and one of any other
    activity has none (nor judgements or moderations), that each moderation's outcome
    agrees with the grades it compares and does not predate the audit, that actions are not
    due before the audit, that judgements carry the fields the activity requires, that
    checklist answers answer the activity's items once each (``not_applicable`` only where
    an item takes it), and that the audit carries one grade on each other scale its activity
    uses. Where the profile's :attr:`~qaframework.policy.profile.Profile.role_checks` make
    it an error, an audit by a role its activity does not name, and a moderation by a role
    no policy covering the activity names, are problems too (where they make it a warning,
    see :func:`audit_warnings`). To check many audits against one version, build an
    :class:`AuditCheck` once instead.
    """
    return AuditCheck(profile).problems(audit, path)


def audit_warnings(audit: Audit, profile: Profile, path: str = "$") -> list[Problem]:
    """What is wrong with ``audit`` under ``profile`` but only flagged, not rejected: an
    audit by a role its activity does not name, or a moderation by a role no moderation
    policy covering its activity names, where the profile's
    :attr:`~qaframework.policy.profile.Profile.role_checks` make that a warning."""
    return AuditCheck(profile).warnings(audit, path)


class AuditCheck:
    """:func:`check_audit` prepared for one profile version, for checking many audits.

    The profile's lookups are gathered once. :meth:`problems` lists every problem, as
    :func:`check_audit` does; :meth:`passes` is the bulk loader's screen, true exactly when
    :meth:`problems` is empty but several times cheaper on a valid audit.
    :meth:`warnings` lists what is flagged but accepted, as :func:`audit_warnings` does.
    """

    __slots__ = (
        "_auditor_error",
        "_auditor_warning",
        "_codes",
        "_items",
        "_moderator_error",
        "_moderator_warning",
        "_moderators",
        "_names",
        "_profile",
        "_rank",
        "_required",
        "_roles",
        "_scales",
        "_standard_bits",
        "_standards",
        "_ungraded",
        "_who",
    )

    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._rank: dict[str, int] = {}
        for index, code in enumerate(profile.grade_scale.codes):
            self._rank.setdefault(code, index)
        self._codes = ", ".join(profile.grade_scale.codes)
        self._roles: frozenset[str] = frozenset(profile._lookup["roles"])
        self._standards: frozenset[str] = frozenset(profile._lookup["standards"])
        self._standard_bits = {
            standard: 1 << i for i, standard in enumerate(profile._lookup["standards"])
        }
        activities: dict[str, Activity] = profile._lookup["activities"]
        # Graded activities only, each with whether it requires a judgement's rationale,
        # strengths and "would improve": an audit of any other activity fails the screen.
        self._required: dict[str, tuple[bool, bool, bool]] = {
            a.id: (
                JudgementField.RATIONALE in a.judgement_fields,
                JudgementField.STRENGTHS in a.judgement_fields,
                JudgementField.WOULD_IMPROVE in a.judgement_fields,
            )
            for a in activities.values()
            if a.graded
        }
        # Activities that do not grade practice: audited with no grade, judgement or
        # moderation, screened apart so graded audits pay nothing for them.
        self._ungraded: frozenset[str] = frozenset(
            a.id for a in activities.values() if not a.graded
        )
        self._names = ", ".join(activities)
        # Checklist items (each with whether it takes "not applicable") and other scales
        # (each with its codes), only for the activities that have them.
        self._items: dict[str, dict[str, bool]] = {
            a.id: {item.id: item.not_applicable for item in a.checklist}
            for a in activities.values()
            if a.checklist
        }
        scales: dict[str, Any] = profile._lookup["scales"]
        self._scales: dict[str, dict[str, frozenset[str]]] = {
            a.id: {s: frozenset(scales[s].codes) for s in a.scales if s in scales}
            for a in activities.values()
            if a.scales
        }
        # Who may do what: each activity's roles, and the roles that moderate its audits.
        self._who: dict[str, frozenset[str]] = {a.id: frozenset(a.who) for a in activities.values()}
        moderators: dict[str, set[str]] = {a: set() for a in activities}
        for policy in profile.moderation:
            for activity_id in policy.applies_to:
                if activity_id in moderators:
                    moderators[activity_id].update(policy.moderators)
        self._moderators = {a: frozenset(roles) for a, roles in moderators.items()}
        checks = profile.checks_roles
        self._auditor_error = checks.auditors is Severity.ERROR
        self._moderator_error = checks.moderators is Severity.ERROR
        self._auditor_warning = checks.auditors is Severity.WARNING
        self._moderator_warning = checks.moderators is Severity.WARNING

    @property
    def profile(self) -> Profile:
        """The profile version audits are checked against."""
        return self._profile

    def passes(self, audit: Audit) -> bool:
        """Whether ``audit`` has no problem under the profile (``not problems(audit)``)."""
        activity = audit.activity
        rank = self._rank
        audit_date = audit.audit_date
        if (
            activity not in self._required
            or audit_date < self._profile.effective_from
            or audit.auditor_role not in self._roles
            or audit.overall_grade not in rank
        ):
            return activity in self._ungraded and self._ungraded_passes(audit)
        judgements = audit.judgements
        if judgements:
            # Attribute reads written out, not looped over names: the interpreter
            # specialises them, and this runs for every judgement of a bulk load.
            rationale, strengths, would_improve = self._required[activity]
            bits = self._standard_bits
            seen = 0
            for judgement in judgements:
                # Each standard is one bit: unknown standards have none, repeated ones
                # find theirs already set.
                bit = bits.get(judgement.standard, 0)
                if not bit or seen & bit or judgement.grade not in rank:
                    return False
                seen |= bit
                if rationale:
                    value = judgement.rationale
                    if not value or value.isspace():
                        return False
                if strengths:
                    value = judgement.strengths
                    if not value or value.isspace():
                        return False
                if would_improve:
                    value = judgement.would_improve
                    if not value or value.isspace():
                        return False
        return self._follow_up_passes(audit) and self._extras_pass(audit)

    def judgement_passes(self, activity: str, judgement: Judgement) -> bool:
        """Whether ``judgement`` has no problem of its own in an audit of ``activity``: the
        activity grades practice, the standard and the grade are the profile's, and every
        note the activity requires on a judgement is written.

        For an audit judging no standard twice, :meth:`passes` is exactly :meth:`passes` of
        the audit without its judgements and this of each judgement, so a loader holding
        judgements shared by many audits can check each distinct one once.
        """
        required = self._required.get(activity)
        if required is None:
            return False  # not an activity that grades practice: no judgement is its own
        if judgement.standard not in self._standard_bits or judgement.grade not in self._rank:
            return False
        rationale, strengths, would_improve = required
        for needed, value in (
            (rationale, judgement.rationale),
            (strengths, judgement.strengths),
            (would_improve, judgement.would_improve),
        ):
            if needed and (not value or value.isspace()):
                return False
        return True

    def _ungraded_passes(self, audit: Audit) -> bool:
        """Whether an audit of an activity that does not grade practice has no problem."""
        return (
            audit.overall_grade is None
            and not audit.judgements
            and not audit.moderations
            and audit.audit_date >= self._profile.effective_from
            and audit.auditor_role in self._roles
            and self._follow_up_passes(audit)
            and self._extras_pass(audit)
        )

    def _extras_pass(self, audit: Audit) -> bool:
        """Whether the audit's checklist answers, other scales' grades and roles (where the
        profile makes a role out of place an error) have no problem."""
        activity = audit.activity
        if self._auditor_error and audit.auditor_role not in self._who[activity]:
            return False
        if self._moderator_error and audit.moderations:
            allowed = self._moderators[activity]
            if any(record.role not in allowed for record in audit.moderations):
                return False
        checklist = audit.checklist
        if checklist:
            items = self._items.get(activity)
            if items is None:
                return False
            seen: set[str] = set()
            for answer in checklist:
                item = answer.item
                takes_not_applicable = items.get(item)
                if takes_not_applicable is None or item in seen:
                    return False
                if answer.answer is ChecklistAnswer.NOT_APPLICABLE and not takes_not_applicable:
                    return False
                seen.add(item)
        scales = self._scales.get(activity)
        ratings = audit.ratings
        if scales is None:
            return not ratings
        if len(ratings) != len(scales):
            return False
        for rating in ratings:
            codes = scales.get(rating.scale)
            if codes is None or rating.grade not in codes:
                return False
        # As many ratings as scales, each on a scale of the activity: none twice only when
        # every scale has one.
        return len({rating.scale for rating in ratings}) == len(scales)

    def _follow_up_passes(self, audit: Audit) -> bool:
        """Whether the audit's moderations and actions have no problem."""
        audit_date = audit.audit_date
        rank = self._rank
        moderations = audit.moderations
        if moderations:
            if len(moderations) > 1:
                return not self.problems(audit)
            record = moderations[0]
            grade = rank.get(record.grade)
            if grade is None or record.role not in self._roles or record.on < audit_date:
                return False
            # Reached for graded audits only, whose grade the screen found on the scale (no
            # cast: this runs for every moderated audit of a bulk load).
            difference = grade - rank[audit.overall_grade]  # type: ignore[index]
            if record.outcome is not (
                ModerationOutcome.AGREE
                if difference == 0
                else ModerationOutcome.UPGRADE
                if difference < 0
                else ModerationOutcome.DOWNGRADE
            ):
                return False
        for action in audit.actions:
            status = action.status
            if (
                action.due < audit_date
                or (action.review is not None and action.review < action.due)
                or (
                    status is not ActionStatus.OPEN
                    and (
                        action.done_on is None
                        or (status is ActionStatus.VERIFIED and action.verified_on is None)
                    )
                )
            ):
                return False
        return True

    def problems(self, audit: Audit, path: str = "$") -> list[Problem]:
        """Every problem with ``audit``, each with its path below ``path``."""
        problems: list[Problem] = []
        profile = self._profile
        rank = self._rank

        def add(where: str, message: str) -> None:
            problems.append(Problem(f"{path}{where}", message))

        if not profile.effective_from <= audit.audit_date:
            add(".audit_date", f"{audit.audit_date} is before {profile.label} took effect")
        activity = profile._lookup["activities"].get(audit.activity)
        overall = audit.overall_grade
        if activity is None:
            add(".activity", f"unknown activity {audit.activity!r} (activities: {self._names})")
        if audit.auditor_role not in self._roles:
            add(".auditor_role", f"unknown role {audit.auditor_role!r}")
        if activity is not None and not activity.graded:
            described = f"activity {audit.activity!r} ({activity.name}) does not grade practice"
            if overall is not None:
                add(".overall_grade", f"{described}: an audit of it has no overall grade")
            if audit.judgements:
                add(".judgements", f"{described}: an audit of it records no judgements")
            if audit.moderations:
                add(".moderations", f"{described}: an audit of it is not moderated")
        elif overall is None:
            if activity is not None:
                add(
                    ".overall_grade",
                    f"activity {audit.activity!r} ({activity.name}) grades practice and needs "
                    f"an overall grade ({self._codes})",
                )
        elif overall not in rank:
            add(".overall_grade", f"unknown grade {overall!r} ({self._codes})")
        required = activity.judgement_fields if activity is not None else ()
        seen: set[str] = set()
        for index, judgement in enumerate(audit.judgements):
            where = f".judgements[{index}]"
            if judgement.standard not in self._standards:
                add(f"{where}.standard", f"unknown standard {judgement.standard!r}")
            if judgement.standard in seen:
                add(f"{where}.standard", f"second judgement for standard {judgement.standard!r}")
            seen.add(judgement.standard)
            if judgement.grade not in rank:
                add(f"{where}.grade", f"unknown grade {judgement.grade!r} ({self._codes})")
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
        previous = overall
        ordered = sorted(enumerate(audit.moderations), key=lambda item: (item[1].on, item[0]))
        for index, record in ordered:
            where = f".moderations[{index}]"
            if record.role not in self._roles:
                add(f"{where}.role", f"unknown role {record.role!r}")
            if record.on < audit.audit_date:
                add(
                    f"{where}.on",
                    f"moderated on {record.on}, before the audit ({audit.audit_date})",
                )
            if record.grade not in rank:
                add(f"{where}.grade", f"unknown grade {record.grade!r} ({self._codes})")
            elif previous is not None and previous in rank:
                expected = moderation_outcome(profile, previous, record.grade)
                if record.outcome is not expected:
                    add(
                        f"{where}.outcome",
                        f"{record.outcome.value} does not match {previous!r} -> "
                        f"{record.grade!r} (that is {expected.value})",
                    )
            previous = record.grade
        for index, action in enumerate(audit.actions):
            if action.due < audit.audit_date:
                add(
                    f".actions[{index}].due",
                    f"due {action.due}, before the audit ({audit.audit_date})",
                )
            if action.review is not None and action.review < action.due:
                add(
                    f".actions[{index}].review",
                    f"review {action.review} is before due {action.due}",
                )
            if action.status is not ActionStatus.OPEN and action.done_on is None:
                add(
                    f".actions[{index}].done_on",
                    f"a {action.status.value} action needs a done_on date",
                )
            if action.status is ActionStatus.VERIFIED and action.verified_on is None:
                add(f".actions[{index}].verified_on", "a verified action needs a verified_on date")
        if activity is not None:
            checklist_problems(audit, activity, add)
            rating_problems(self._profile, audit, activity, add)
            problems.extend(self._check_roles(audit, activity, path, Severity.ERROR))
        return problems

    @property
    def may_warn(self) -> bool:
        """Whether the profile flags any record with a warning rather than rejecting it."""
        return self._auditor_warning or self._moderator_warning

    def warns(self, audit: Audit) -> bool:
        """Whether :meth:`warnings` has something to say of an audit that passes (the bulk
        loaders' screen: true exactly when it is not empty)."""
        activity = audit.activity
        who = self._who.get(activity)
        if who is None:
            return False
        if self._auditor_warning and audit.auditor_role not in who:
            return audit.auditor_role in self._roles
        if self._moderator_warning and audit.moderations and activity not in self._ungraded:
            allowed = self._moderators[activity]
            return any(
                record.role not in allowed and record.role in self._roles
                for record in audit.moderations
            )
        return False

    def warnings(self, audit: Audit, path: str = "$") -> list[Problem]:
        """What the profile flags but accepts in ``audit``: an audit or a moderation by a role
        not named for it, where its ``role_checks`` make that a warning."""
        activity = self._profile._lookup["activities"].get(audit.activity)
        if activity is None:
            return []
        return self._check_roles(audit, activity, path, Severity.WARNING)

    def _check_roles(
        self, audit: Audit, activity: Activity, path: str, severity: Severity
    ) -> list[Problem]:
        who, allowed = self._who[activity.id], self._moderators.get(activity.id, frozenset())
        return role_problems(self._profile, who, allowed, audit, activity, path, severity)
