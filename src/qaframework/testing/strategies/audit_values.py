"""Strategies for audits of a profile's activities: judgements, moderation records,
actions and whole audits that pass the profile's checks."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    ItemAnswer,
    Judgement,
    ModerationRecord,
    Rating,
    moderation_outcome,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import (
    Activity,
    FeedbackSource,
    JudgementField,
)
from qaframework.policy.escalation import (
    Concern,
)
from qaframework.policy.permissions import Severity
from qaframework.policy.profile import Profile
from qaframework.testing.strategies.drawing import (
    _AUDIT_IDS,
    _BOOLEANS,
    _CHILD_IDS,
    _PEOPLE,
    _SERVICE_AREAS,
    _TEAMS,
    _day,
    _index,
    _int,
    _maybe,
    _pick,
    _pick_or_none,
    _scale_of,
    _strategy,
    _subset,
)

__all__ = ["audit_actions", "audits", "judgements", "moderation_records"]


def _standard_pool(profile: Profile, activity: Activity | None) -> tuple[str, ...]:
    if activity is not None and activity.standards:
        return activity.standards
    audited = tuple(s.id for s in profile.standards if s.audited)
    return audited or tuple(s.id for s in profile.standards)


# An audit's free text matters to no rule: one draw from a few sentences keeps audits cheap.
_SENTENCES = (
    "The child's voice is clear throughout the record.",
    "The plan is specific, measurable and reviewed.",
    "Management oversight is evident at each decision.",
    "Risks are analysed and the plan responds to them.",
    "Visits are timely and purposeful.",
)


def _text_for(draw: st.DrawFn, required: bool) -> str | None:
    if required or draw(_BOOLEANS):
        return _pick(draw, _SENTENCES)
    return None


def _draw_judgement(
    draw: st.DrawFn, profile: Profile, activity: Activity | None, standard: str | None
) -> Judgement:
    required = set(activity.judgement_fields) if activity is not None else set()
    if standard is None:
        pool = _standard_pool(profile, activity)
        if not pool:
            raise InvalidArgument(f"{profile.label} has no standards to judge")
        standard = _pick(draw, pool)
    return Judgement(
        standard=standard,
        grade=_pick(draw, _scale_of(profile).codes),
        rationale=_text_for(draw, JudgementField.RATIONALE in required),
        strengths=_text_for(draw, JudgementField.STRENGTHS in required),
        would_improve=_text_for(draw, JudgementField.WOULD_IMPROVE in required),
    )


def _activity(profile: Profile, activity: str | None) -> Activity | None:
    if activity is None:
        return None
    try:
        return profile.activity(activity)
    except KeyError as exc:
        raise InvalidArgument(str(exc.args[0])) from None


def judgements(
    profile: Profile, *, activity: str | None = None, standard: str | None = None
) -> SearchStrategy[Judgement]:
    """Per-standard judgements: a standard the activity grades (or any audited one), a grade,
    and every field the activity requires on a judgement."""
    found = _activity(profile, activity)
    return _strategy(
        f"judgements_of_{profile.id}",
        lambda draw: _draw_judgement(draw, profile, found, standard),
    )


def _draw_moderations(
    draw: st.DrawFn,
    profile: Profile,
    activity: Activity | None,
    grade: str,
    on_or_after: date,
    min_size: int,
    max_size: int,
) -> tuple[ModerationRecord, ...]:
    moderators = _moderators(profile, activity) or tuple(r.id for r in profile.roles)
    count = _int(draw, min_size, max_size)
    offsets = sorted(_int(draw, 0, 90) for _ in range(count))
    records = []
    previous = grade
    for offset in offsets:
        moderated = _pick(draw, _scale_of(profile).codes)
        records.append(
            ModerationRecord(
                moderator=draw(_PEOPLE),
                role=_pick(draw, moderators),
                grade=moderated,
                outcome=moderation_outcome(profile, previous, moderated),
                on=on_or_after + timedelta(days=offset),
                rationale=_text_for(draw, False),
            )
        )
        previous = moderated
    return tuple(records)


def _moderators(profile: Profile, activity: Activity | None) -> tuple[str, ...]:
    """The moderators of the policies covering ``activity`` (of any policy when None)."""
    return tuple(
        role
        for policy in profile.moderation
        if activity is None or activity.id in policy.applies_to
        for role in policy.moderators
    )


def _may_moderate(profile: Profile, activity: Activity) -> bool:
    """Whether an audit of ``activity`` can be moderated and pass the profile's checks: a
    moderation by a role no policy names is an error where the profile says so."""
    return profile.checks_roles.moderators is not Severity.ERROR or bool(
        _moderators(profile, activity)
    )


def _draw_checklist(draw: st.DrawFn, activity: Activity) -> tuple[ItemAnswer, ...]:
    # Items left unanswered are not recorded: any subset is answered, each once.
    answered = _subset(draw, activity.checklist)
    return tuple(ItemAnswer(item.id, _pick(draw, item.answers)) for item in answered)


def _draw_ratings(draw: st.DrawFn, profile: Profile, activity: Activity) -> tuple[Rating, ...]:
    return tuple(
        Rating(scale, _pick(draw, profile.scale(scale).codes)) for scale in activity.scales
    )


def moderation_records(
    profile: Profile,
    *,
    auditor_grade: str | None = None,
    on_or_after: date | None = None,
    activity: str | None = None,
    min_size: int = 1,
    max_size: int = 2,
) -> SearchStrategy[tuple[ModerationRecord, ...]]:
    """A history of moderations of one audit, in date order, each outcome agreeing with the
    grade it reviewed (the auditor's, then the previous moderator's).

    Moderators hold a moderator role of a policy covering ``activity`` (any role without
    one); records fall from ``on_or_after`` (the audit date) to 90 days later.
    """
    found = _activity(profile, activity)
    start = on_or_after if on_or_after is not None else profile.effective_from
    if auditor_grade is not None and auditor_grade not in profile.grade_scale:
        raise InvalidArgument(f"{auditor_grade!r} is not a grade of {profile.label}")
    codes = profile.grade_scale.codes

    def draw_records(draw: st.DrawFn) -> tuple[ModerationRecord, ...]:
        grade = auditor_grade if auditor_grade is not None else _pick(draw, codes)
        return _draw_moderations(draw, profile, found, grade, start, min_size, max_size)

    return _strategy(f"moderations_of_{profile.id}", draw_records)


def _draw_action(draw: st.DrawFn, index: int, on_or_after: date) -> AuditAction:
    due = on_or_after + timedelta(days=_int(draw, 0, 90))
    review = due + timedelta(days=draw(_index(61))) if draw(_BOOLEANS) else None
    status = _pick(draw, tuple(ActionStatus))
    done_on = verified_on = None
    if status is not ActionStatus.OPEN:
        done_on = on_or_after + timedelta(days=_int(draw, 0, 120))
    if status is ActionStatus.VERIFIED:
        assert done_on is not None
        verified_on = done_on + timedelta(days=_int(draw, 0, 60))
    return AuditAction(
        id=f"action_{index}",
        what=_pick(draw, _SENTENCES),
        owner=draw(_PEOPLE),
        due=due,
        review=review,
        status=status,
        done_on=done_on,
        verified_on=verified_on,
    )


def _draw_actions(
    draw: st.DrawFn, on_or_after: date, min_size: int, max_size: int
) -> tuple[AuditAction, ...]:
    count = _int(draw, min_size, max_size)
    return tuple(_draw_action(draw, index, on_or_after) for index in range(count))


def audit_actions(
    *, on_or_after: date, min_size: int = 0, max_size: int = 3
) -> SearchStrategy[tuple[AuditAction, ...]]:
    """SMART actions set by an audit on ``on_or_after``: due on or after it, reviewed on or
    after the due date, with done and verified dates that agree with their status."""
    return st.composite(_draw_actions)(on_or_after, min_size, max_size)


def _version_end(profile: Profile, end: date | None) -> date:
    last = profile.effective_to
    default = last if last is not None else profile.effective_from + timedelta(days=730)
    chosen = end if end is not None else default
    return min(chosen, last) if last is not None else chosen


def _draw_audit(
    draw: st.DrawFn,
    profile: Profile,
    activity_ids: tuple[str, ...],
    start: date,
    end: date,
    moderated: bool | None,
    grade: str | None,
) -> Audit:
    activity = profile.activity(_pick(draw, activity_ids))
    day = _day(draw, start, end)
    overall: str | None = None
    judgements: tuple[Judgement, ...] = ()
    moderations: tuple[ModerationRecord, ...] = ()
    # An activity that does not grade practice has no grade, judgements or moderations.
    if activity.graded:
        overall = grade if grade is not None else _pick(draw, profile.grade_scale.codes)
        judged = _subset(draw, _standard_pool(profile, activity))
        judgements = tuple(_draw_judgement(draw, profile, activity, s) for s in judged)
        most = 0 if moderated is False or not _may_moderate(profile, activity) else 2
        least = 1 if moderated else 0
        moderations = _draw_moderations(draw, profile, activity, overall, day, least, most)
    return Audit(
        id=draw(_AUDIT_IDS),
        child_id=draw(_CHILD_IDS),
        activity=activity.id,
        audit_date=day,
        auditor=draw(_PEOPLE),
        auditor_role=_pick(draw, activity.who),
        overall_grade=overall,
        practitioner=_maybe(draw, _PEOPLE),
        team=_pick_or_none(draw, _TEAMS),
        service_area=_pick_or_none(draw, _SERVICE_AREAS),
        judgements=judgements,
        concerns=_subset(draw, tuple(Concern), max_size=2),
        feedback=_subset(draw, tuple(FeedbackSource)),
        moderations=moderations,
        actions=_draw_actions(draw, day, 0, 3),
        checklist=_draw_checklist(draw, activity),
        ratings=_draw_ratings(draw, profile, activity),
    )


def audits(
    profile: Profile,
    *,
    activity: str | None = None,
    start: date | None = None,
    end: date | None = None,
    moderated: bool | None = None,
    grade: str | None = None,
    ungraded: bool = False,
) -> SearchStrategy[Audit]:
    """Audits of a profile's graded activities that its rules accept.

    Dated from ``start`` to ``end`` within the version (from its ``effective_from``; to its
    ``effective_to``, or two years on when it has none); by a role that undertakes the
    activity; judged on standards the activity grades against with every required field;
    graded ``grade`` by the auditor (any grade when None); with concerns, feedback, actions
    and (``moderated``: always, never, or either when None) a moderation history. Each passes
    :func:`~qaframework.engine.audits.check_audit`.

    ``ungraded=True`` also draws audits of the activities that do not grade practice (as
    does ``activity`` naming one): those have no overall grade, judgements or moderations,
    but concerns, feedback and actions as the others. ``grade`` and ``moderated=True`` then
    apply to the graded activities' audits, and cannot be asked of an ungraded activity.
    Every audit answers some of its activity's checklist items and carries a grade on each
    other scale its activity uses; where the profile makes a moderation by a role no policy
    names an error, only audits of activities a policy covers are moderated
    (``moderated=True`` then draws those only).
    """
    if grade is not None and grade not in profile.grade_scale:
        raise InvalidArgument(f"{grade!r} is not a grade of {profile.label}")
    # Audits with a grade, or moderated, are of the graded activities only.
    graded_only = not ungraded or grade is not None or bool(moderated)
    drawable = tuple(a.id for a in profile.activities if a.graded or not graded_only)
    if moderated:
        drawable = tuple(a for a in drawable if _may_moderate(profile, profile.activity(a)))
    if activity is not None:
        found = _activity(profile, activity)
        assert found is not None
        if not found.graded and (grade is not None or moderated):
            raise InvalidArgument(
                f"activity {activity!r} of {profile.label} is not graded: its audits have no "
                "grade and are not moderated"
            )
        if moderated and not _may_moderate(profile, found):
            raise InvalidArgument(
                f"activity {activity!r} of {profile.label} is covered by no moderation policy, "
                "and the profile makes a moderation by a role no policy names an error"
            )
        drawable = (activity,)
    if not drawable:
        raise InvalidArgument(f"{profile.label} has no graded activity to draw audits of")
    first = max(start or profile.effective_from, profile.effective_from)
    last = _version_end(profile, end)
    if last < first:
        raise InvalidArgument(f"no day from {first} to {last} is within {profile.label}")
    return _strategy(
        f"audits_of_{profile.id}",
        lambda draw: _draw_audit(draw, profile, drawable, first, last, moderated, grade),
    )
