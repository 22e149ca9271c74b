"""Hypothesis strategies for qaframework's core types, driven by a profile.

A policy is tested by stating what must hold for *every* audit, grade or case list a council's
framework allows, and letting Hypothesis search for a counterexample. The strategies here
draw those values from a :class:`~qaframework.policy.profile.Profile`: grades of its scale, its
standards, audits of its graded activities (judgements per standard, concerns, moderation
records whose outcome agrees with the grades, actions), and case lists shaped by an
activity's sampling rule. Every value drawn passes the profile's own checks (an audit passes
:func:`~qaframework.engine.audits.check_audit`), so a failure is the policy's, not the generator's.

:func:`profiles` draws whole random councils: valid by construction, with every reference
resolving, every invariant of :mod:`qaframework.profiles.invariants` holding, and plain data that
:func:`~qaframework.profiles.validation.profile_from_data` reads back to an equal profile. Break one
part of a random council and the invariant about that part must catch it.

>>> from hypothesis import given
>>> from qaframework.testing import strategies as qst
>>> @given(qst.audits(swindon))  # doctest: +SKIP
... def test_every_audit_is_accepted(audit):
...     assert check_audit(audit, swindon) == []

The types are also registered for :func:`hypothesis.strategies.from_type` (through the
``hypothesis`` entry point, which calls :func:`register_type_strategies`): a type that
belongs to a profile (a grade, an audit) is drawn from a random council.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    Judgement,
    ModerationRecord,
    moderation_outcome,
)
from qaframework.policy.actions import ActionStatus, ActionTimescale
from qaframework.policy.activities import (
    Activity,
    ActivityKind,
    Effort,
    FeedbackSource,
    JudgementField,
)
from qaframework.policy.cadence import Cadence, CadenceKind, IsoDuration, Quota, QuotaQualifier
from qaframework.policy.citations import Assumption, Citation, SourceDocument
from qaframework.policy.escalation import (
    ClosingCondition,
    Concern,
    Consequence,
    ConsequenceKind,
    Deadline,
    DeadlineKind,
    EscalationRule,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.grades import Grade, GradeScale, Ilacs
from qaframework.policy.moderation import (
    ModerationOutcome,
    ModerationPolicy,
    SelectionKind,
    SelectionRule,
)
from qaframework.policy.profile import Profile
from qaframework.policy.reporting import Forum, ForumKind, ReportingLine
from qaframework.policy.roles import GenericRole, Role
from qaframework.policy.sampling import Case, SamplingMethod, SamplingRule
from qaframework.policy.standards import Standard, StandardKind

__all__ = [
    "audit_actions",
    "audits",
    "cadences",
    "case_lists",
    "cases",
    "grade_codes",
    "grade_spellings",
    "grades",
    "iso_durations",
    "judgements",
    "moderation_records",
    "profile_versions",
    "profiles",
    "quotas",
    "register_type_strategies",
    "roles",
    "standards",
]

_T = TypeVar("_T")

# Text is drawn from a council's vocabulary: readable in a failing example, and never the
# "FILL IN" marker of an unfinished profile.
_WORDS = (
    "Quality",
    "Practice",
    "Audit",
    "Review",
    "Board",
    "Team",
    "Service",
    "Children",
    "Family",
    "Learning",
    "Assurance",
    "Panel",
    "Forum",
    "Safeguarding",
    "Care",
    "Plan",
    "Manager",
    "Lead",
    "Social",
    "Work",
    "Support",
    "Early",
    "Help",
    "Improvement",
    "Oversight",
)
_EVENTS = ("case_transfer", "case_closure", "audit_completed", "review", "conference")
_TEAMS = ("North", "South", "East", "West", "Central", "Duty", "Leaving Care", "Disabilities")
_SERVICE_AREAS = ("Front Door", "Safeguarding", "Children in Care", "Care Leavers", "Early Help")
_UNITS = ("years", "months", "weeks", "days")
_FOLLOW_UPS = ("P1W", "P2W", "P1M", "P2M", "P3M", "P6M", "P1Y")
_AUDIT_KINDS = tuple(kind for kind in ActivityKind if kind.is_audit)
# Selection rules that, alone, select from every cycle that has audits.
_COVERING = (
    SelectionKind.ALL,
    SelectionKind.PROPORTION,
    SelectionKind.FIXED,
    SelectionKind.GRADE_AT_OR_BELOW,
)


# Strategies are built once and reused: building one costs more than drawing from it, and a
# random council makes hundreds of draws.
_BOOLEANS = st.booleans()
_DAYS = st.dates(date(2015, 1, 1), date(2030, 12, 31))


@functools.cache
def _words(min_words: int = 1, max_words: int = 4) -> SearchStrategy[str]:
    return st.lists(st.sampled_from(_WORDS), min_size=min_words, max_size=max_words).map(" ".join)


@functools.cache
def _index(size: int) -> SearchStrategy[int]:
    return st.integers(0, size - 1)


@functools.cache
def _indices(size: int, min_size: int, max_size: int) -> SearchStrategy[list[int]]:
    return st.lists(st.integers(0, size - 1), unique=True, min_size=min_size, max_size=max_size)


def _int(draw: st.DrawFn, low: int, high: int) -> int:
    return low + draw(_index(high - low + 1))


def _texts(draw: st.DrawFn, min_words: int, max_words: int, most: int) -> tuple[str, ...]:
    return tuple(_text(draw, min_words, max_words) for _ in range(_int(draw, 0, most)))


def _pick(draw: st.DrawFn, items: Sequence[_T]) -> _T:
    return items[draw(_index(len(items)))]


def _pick_or_none(draw: st.DrawFn, items: Sequence[_T]) -> _T | None:
    if not items or not draw(_BOOLEANS):
        return None
    return _pick(draw, items)


def _maybe(draw: st.DrawFn, strategy: SearchStrategy[_T]) -> _T | None:
    return draw(strategy) if draw(_BOOLEANS) else None


def _text(draw: st.DrawFn, min_words: int, max_words: int) -> str:
    return draw(_words(min_words, max_words))


def _maybe_text(draw: st.DrawFn, min_words: int, max_words: int) -> str | None:
    return _maybe(draw, _words(min_words, max_words))


def _day(draw: st.DrawFn, first: date, last: date) -> date:
    return first + timedelta(days=draw(_index((last - first).days + 1)))


def _subset(
    draw: st.DrawFn, items: Sequence[_T], *, min_size: int = 0, max_size: int | None = None
) -> tuple[_T, ...]:
    """A subset of ``items`` in a drawn order, without repeats."""
    if not items:
        return ()
    size = len(items)
    top = size if max_size is None else min(max_size, size)
    return tuple(items[i] for i in draw(_indices(size, min(min_size, top), top)))


def _scale_of(source: Profile | GradeScale) -> GradeScale:
    return source.grade_scale if isinstance(source, Profile) else source


def _items(items: tuple[_T, ...]) -> SearchStrategy[_T]:
    """One of ``items``, drawn by position: the strategy's repr stays short (a profile's
    standards run to kilobytes, which Hypothesis would print)."""
    return _index(len(items)).map(items.__getitem__)


def _strategy(name: str, draw_value: Callable[[st.DrawFn], _T]) -> SearchStrategy[_T]:
    """A strategy drawing with ``draw_value``, shown as ``name`` in Hypothesis's reports.

    Arguments go in the closure, not the strategy: a profile's repr runs to many kilobytes,
    and Hypothesis would print it in every report about the strategy.
    """
    draw_value.__name__ = draw_value.__qualname__ = name
    return st.composite(draw_value)()


# -- durations, cadences, quotas ------------------------------------------------------


@st.composite
def _durations(draw: st.DrawFn, max_count: int, units: tuple[str, ...]) -> IsoDuration:
    chosen = _subset(draw, units, min_size=1)
    return IsoDuration(**{unit: _int(draw, 1, max_count) for unit in chosen})


@functools.cache
def _duration_strategy(max_count: int, units: tuple[str, ...]) -> SearchStrategy[IsoDuration]:
    return _durations(max_count, units)


def iso_durations(
    *, max_count: int = 12, units: Sequence[str] = _UNITS
) -> SearchStrategy[IsoDuration]:
    """Non-zero ISO 8601 durations (``P6W``, ``P1Y2M``) of the given ``units``.

    Each unit present counts 1 to ``max_count``; ``units`` are among ``years``, ``months``,
    ``weeks`` and ``days``.
    """
    wanted = tuple(units)
    unknown = sorted(set(wanted) - set(_UNITS))
    if unknown or not wanted:
        raise InvalidArgument(f"units are some of {', '.join(_UNITS)}; got {list(units)}")
    if max_count < 1:
        raise InvalidArgument(f"max_count must be at least 1, got {max_count}")
    return _duration_strategy(max_count, wanted)


def cadences(*, kinds: Sequence[CadenceKind] = tuple(CadenceKind)) -> SearchStrategy[Cadence]:
    """Cadences of the given kinds: periodic (``P6W``), ongoing, as required, regular, on event."""
    return _cadence_strategy(tuple(kinds))


@functools.cache
def _cadence_strategy(kinds: tuple[CadenceKind, ...]) -> SearchStrategy[Cadence]:
    options: list[SearchStrategy[Cadence]] = []
    for kind in kinds:
        if kind is CadenceKind.PERIODIC:
            options.append(iso_durations().map(Cadence.periodic))
        elif kind is CadenceKind.ON_EVENT:
            options.append(
                st.lists(st.sampled_from(_EVENTS), min_size=1, max_size=3, unique=True).map(
                    lambda events: Cadence.on_event(*events)
                )
            )
        else:
            options.append(st.just(Cadence(kind)))
    if not options:
        raise InvalidArgument("name at least one cadence kind")
    return st.one_of(options)


def _draw_quota(draw: st.DrawFn, role_ids: tuple[str, ...]) -> Quota:
    count = _int(draw, 0, 50)
    return Quota(
        count=count,
        unit=_pick(draw, ("case", "audit", "observation", "child", "meeting")),
        qualifier=_pick(draw, tuple(QuotaQualifier)),
        count_max=count + draw(_index(11)) if draw(_BOOLEANS) else None,
        per_role=_pick_or_none(draw, role_ids) if role_ids else None,
        per=_pick_or_none(draw, ("supervisee", "child", "auditor")),
        period=_maybe(draw, iso_durations()),
    )


def quotas(profile: Profile | None = None) -> SearchStrategy[Quota]:
    """Quotas ("approximately 35 cases", "1 audit per Team Manager per month").

    With a ``profile``, ``per_role`` is one of its roles when given.
    """
    role_ids = tuple(r.id for r in profile.roles) if profile is not None else ()
    return st.composite(_draw_quota)(role_ids)


# -- a profile's grades, standards and roles ------------------------------------------


def grades(profile: Profile | GradeScale) -> SearchStrategy[Grade]:
    """The grades of a profile's scale."""
    return _items(_scale_of(profile).grades)


def grade_codes(profile: Profile | GradeScale) -> SearchStrategy[str]:
    """The codes of a profile's grades."""
    return st.sampled_from(_scale_of(profile).codes)


_SEPARATORS = (" ", "  ", "-", "_", " - ", "\t")


def _draw_spelling(draw: st.DrawFn, scale: GradeScale) -> tuple[Grade, str]:
    grade = _pick(draw, scale.grades)
    text = _pick(draw, tuple(grade.spellings()))
    letters = []
    for char in text:
        if char in " -_":
            # Runs of spaces, hyphens and underscores read alike.
            letters.append(_pick(draw, _SEPARATORS))
        elif char.isascii() and char.isalpha() and draw(_BOOLEANS):
            letters.append(char.swapcase())
        else:
            letters.append(char)
    pads = ("", " ", "  ", "\t")
    return grade, _pick(draw, pads) + "".join(letters) + _pick(draw, pads)


def grade_spellings(profile: Profile | GradeScale) -> SearchStrategy[tuple[Grade, str]]:
    """A grade with one way a council's file might write it.

    The text is the grade's code, label or a synonym, with letters in either case,
    separators (spaces, hyphens, underscores) swapped and surrounding space: every one must
    parse back to the grade (:meth:`GradeScale.parse`).
    """
    scale = _scale_of(profile)
    return _strategy(f"grade_spellings_of_{scale.id}", lambda draw: _draw_spelling(draw, scale))


def standards(profile: Profile, *, audited: bool | None = None) -> SearchStrategy[Standard]:
    """A profile's standards; ``audited`` limits them to those audits grade (or do not)."""
    found = [s for s in profile.standards if audited is None or s.audited is audited]
    if not found:
        raise InvalidArgument(f"{profile.label} has no standards with audited={audited}")
    return _items(tuple(found))


def roles(profile: Profile) -> SearchStrategy[Role]:
    """A profile's roles."""
    return _items(profile.roles)


# -- audits ---------------------------------------------------------------------------


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


_PEOPLE = st.integers(1, 999_999).map(lambda n: f"P{n}")
_AUDIT_IDS = st.integers(1, 99_999_999).map(lambda n: f"A{n}")
_CHILD_IDS = st.integers(1, 99_999_999).map(lambda n: f"C{n}")


def _draw_moderations(
    draw: st.DrawFn,
    profile: Profile,
    activity: Activity | None,
    grade: str,
    on_or_after: date,
    min_size: int,
    max_size: int,
) -> tuple[ModerationRecord, ...]:
    moderators = tuple(
        role
        for policy in profile.moderation
        if activity is None or activity.id in policy.applies_to
        for role in policy.moderators
    ) or tuple(r.id for r in profile.roles)
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
        most = 0 if moderated is False else 2
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
    """
    if grade is not None and grade not in profile.grade_scale:
        raise InvalidArgument(f"{grade!r} is not a grade of {profile.label}")
    # Audits with a grade, or moderated, are of the graded activities only.
    graded_only = not ungraded or grade is not None or bool(moderated)
    drawable = tuple(a.id for a in profile.activities if a.graded or not graded_only)
    if activity is not None:
        found = _activity(profile, activity)
        assert found is not None
        if not found.graded and (grade is not None or moderated):
            raise InvalidArgument(
                f"activity {activity!r} of {profile.label} is not graded: its audits have no "
                "grade and are not moderated"
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


# -- case lists -----------------------------------------------------------------------

_CASE_COLUMNS = frozenset({"child_id", "team", "worker", "service_area"})


@st.composite
def _case(draw: st.DrawFn, extra_fields: tuple[str, ...], child_id: str | None = None) -> Case:
    return Case(
        child_id=child_id or draw(_CHILD_IDS),
        team=_pick_or_none(draw, _TEAMS),
        worker=_maybe(draw, _PEOPLE),
        service_area=_pick_or_none(draw, _SERVICE_AREAS),
        fields={name: _pick(draw, ("A", "B", "C")) for name in extra_fields},
    )


def cases(*, extra_fields: Sequence[str] = ()) -> SearchStrategy[Case]:
    """A row of a case list: a pseudonymous child id, team, worker, service area, and a
    value for each of ``extra_fields`` (other columns, such as ``legal_status``)."""
    return _case(tuple(f for f in extra_fields if f not in _CASE_COLUMNS))


@st.composite
def _case_list(
    draw: st.DrawFn, extra_fields: tuple[str, ...], min_size: int, max_size: int
) -> list[Case]:
    ids = draw(
        st.lists(
            _CHILD_IDS,
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    return [draw(_case(extra_fields, child_id)) for child_id in ids]


def case_lists(
    profile: Profile | None = None,
    *,
    activity: str | None = None,
    min_size: int = 0,
    max_size: int = 50,
) -> SearchStrategy[list[Case]]:
    """Case lists (Annex A extracts, say): one row per child, children unique.

    Teams and service areas come from small pools, so strata are shared. With a profile and
    one of its ``activity`` ids, every stratum of the activity's sampling rule is a column.
    """
    extra: tuple[str, ...] = ()
    if activity is not None:
        if profile is None:
            raise InvalidArgument("name the profile the activity belongs to")
        found = _activity(profile, activity)
        if found is not None and found.sampling is not None:
            extra = tuple(f for f in found.sampling.strata if f not in _CASE_COLUMNS)
    return _case_list(extra, min_size, max_size)


# -- random councils ------------------------------------------------------------------


def _citation(draw: st.DrawFn, sources: tuple[SourceDocument, ...]) -> Citation:
    return Citation(
        source=_pick(draw, sources).id,
        section=_text(draw, 1, 4),
        quote=_maybe_text(draw, 3, 8),
    )


def _ids(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}_{index}" for index in range(count))


def _grade_scale(draw: st.DrawFn, sources: tuple[SourceDocument, ...]) -> GradeScale:
    count = _int(draw, 2, 6)
    order = list(Ilacs)
    # A sorted draw of ILACS ranks keeps the crosswalk monotone: best grade first.
    ranks = sorted(_int(draw, 0, 3) for _ in range(count))
    grades_ = []
    for index, rank in enumerate(ranks):
        word = _pick(draw, _WORDS)
        grades_.append(
            Grade(
                code=f"grade_{index}",
                label=f"{word} {index}",
                ilacs=order[rank],
                synonyms=_subset(draw, (f"G{index}", f"Level {index}")),
                description=_maybe_text(draw, 3, 8),
            )
        )
    return GradeScale(
        id=_pick(draw, ("scale", "audit_grades", "quality_grades")),
        name=_text(draw, 2, 4),
        grades=tuple(grades_),
        good_or_better=_pick(draw, grades_).code,
        citation=_citation(draw, sources),
    )


def _roles(draw: st.DrawFn, sources: tuple[SourceDocument, ...]) -> tuple[Role, ...]:
    ids = _ids("role", _int(draw, 2, 8))
    found = []
    for index, role_id in enumerate(ids):
        # Each role reports to an earlier one or to none, so the chain cannot loop.
        above = _pick_or_none(draw, ids[:index]) if index else None
        found.append(
            Role(
                id=role_id,
                title=_text(draw, 1, 3),
                generic=_pick(draw, tuple(GenericRole)),
                citation=_citation(draw, sources),
                abbreviations=_subset(draw, (f"R{index}",)),
                reports_to=above,
                description=_maybe_text(draw, 3, 8),
            )
        )
    return tuple(found)


def _effort(draw: st.DrawFn) -> Effort:
    low = _int(draw, 1, 8) / 2
    high = low + draw(_index(9)) / 2 if draw(_BOOLEANS) else None
    return Effort(text=f"{low} hours", min_hours=low, max_hours=high)


def _sampling(
    draw: st.DrawFn, sources: tuple[SourceDocument, ...], role_ids: tuple[str, ...]
) -> SamplingRule:
    return SamplingRule(
        method=_pick(draw, tuple(SamplingMethod)),
        citation=_citation(draw, sources),
        size=_draw_quota(draw, role_ids) if draw(_BOOLEANS) else None,
        strata=_subset(draw, ("service_area", "team", "legal_status")),
        criteria=_maybe_text(draw, 3, 8),
        exclude_audited_within=_maybe(draw, iso_durations()),
    )


def _activities(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    role_ids: tuple[str, ...],
    standard_ids: tuple[str, ...],
    line_ids: tuple[str, ...],
) -> tuple[Activity, ...]:
    ids = _ids("activity", _int(draw, 1, 6))
    found = []
    for index, activity_id in enumerate(ids):
        # The first activity always grades practice, so audits can be drawn of every council.
        graded = index == 0 or draw(_BOOLEANS)
        kind = _pick(draw, _AUDIT_KINDS if graded else tuple(ActivityKind))
        found.append(
            Activity(
                id=activity_id,
                name=_text(draw, 1, 4),
                kind=kind,
                who=_subset(draw, role_ids, min_size=1, max_size=3),
                cadence=draw(cadences()),
                citation=_citation(draw, sources),
                quota=_draw_quota(draw, role_ids) if draw(_BOOLEANS) else None,
                lookback=_maybe(draw, iso_durations()),
                effort=_effort(draw) if draw(_BOOLEANS) else None,
                outcome=_maybe_text(draw, 3, 8),
                reported_via=_subset(draw, line_ids, max_size=2),
                standards=_subset(draw, standard_ids, max_size=3),
                sampling=_sampling(draw, sources, role_ids) if draw(_BOOLEANS) else None,
                feedback_from=_subset(draw, tuple(FeedbackSource), max_size=2),
                graded=graded,
                judgement_fields=_subset(draw, tuple(JudgementField)),
                anchor=_maybe(draw, _DAYS),
                notes=_texts(draw, 3, 8, 2),
            )
        )
    return tuple(found)


def _selection_rule(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    kind: SelectionKind,
    scale: GradeScale,
    auditors: tuple[str, ...],
    covering: bool,
) -> SelectionRule:
    citation = _citation(draw, sources)
    if kind is SelectionKind.PROPORTION:
        minimum = draw(_index(4)) if draw(_BOOLEANS) else None
        floor = max(1, minimum or 0)
        return SelectionRule(
            kind,
            citation,
            proportion=_int(draw, 1, 100) / 100,
            minimum=minimum,
            maximum=floor + draw(_index(11)) if draw(_BOOLEANS) else None,
        )
    if kind is SelectionKind.FIXED:
        return SelectionRule(kind, citation, count=_int(draw, 1, 5))
    if kind is SelectionKind.PER_ROLE:
        return SelectionRule(
            kind,
            citation,
            count=_int(draw, 1, 3),
            per_role=_pick(draw, auditors),
            period=draw(iso_durations(max_count=3, units=("months", "weeks"))),
        )
    if kind is SelectionKind.GRADE_AT_OR_BELOW:
        # A covering rule reaches every grade: at or below the best.
        grade = scale.codes[0] if covering else _pick(draw, scale.codes)
        return SelectionRule(kind, citation, grade=grade)
    return SelectionRule(kind, citation)


def _moderation(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    scale: GradeScale,
    activities: tuple[Activity, ...],
    role_ids: tuple[str, ...],
) -> tuple[ModerationPolicy, ...]:
    graded = tuple(a for a in activities if a.graded)
    found = []
    for index in range(_int(draw, 0, 2)):
        applies = _subset(draw, graded, min_size=1, max_size=2)
        auditors = tuple(dict.fromkeys(role for a in applies for role in a.who))
        # One rule selects from every cycle with audits; others add to it.
        covering_kind = _pick(draw, _COVERING)
        rules = [_selection_rule(draw, sources, covering_kind, scale, auditors, True)]
        for kind in _subset(draw, tuple(SelectionKind), max_size=2):
            rules.append(_selection_rule(draw, sources, kind, scale, auditors, False))
        found.append(
            ModerationPolicy(
                id=f"moderation_{index}",
                name=_text(draw, 1, 4),
                applies_to=tuple(a.id for a in applies),
                moderators=_subset(draw, role_ids, min_size=1, max_size=2),
                cadence=draw(cadences()),
                selection=tuple(draw(st.permutations(rules))),
                citation=_citation(draw, sources),
                outcomes=_subset(draw, tuple(ModerationOutcome), min_size=1),
                feedback_to=_subset(draw, role_ids, max_size=2),
                recorded_on=_maybe_text(draw, 1, 3),
                notes=_texts(draw, 3, 8, 1),
            )
        )
    return tuple(found)


def _trigger(draw: st.DrawFn, scale: GradeScale) -> Trigger:
    kind = _pick(draw, tuple(TriggerKind))
    if kind is TriggerKind.GRADE:
        if draw(_BOOLEANS):
            return Trigger(
                kind, stage=_pick(draw, tuple(GradeStage)), at_or_below=_pick(draw, scale.codes)
            )
        return Trigger(
            kind,
            stage=_pick(draw, tuple(GradeStage)),
            grades=_subset(draw, scale.codes, min_size=1),
        )
    if kind is TriggerKind.MODERATION:
        outcome = _pick(draw, tuple(ModerationOutcome))
        choice = _pick(draw, ("none", "at_or_below", "grades"))
        if choice == "at_or_below":
            return Trigger(kind, outcome=outcome, at_or_below=_pick(draw, scale.codes))
        if choice == "grades":
            return Trigger(kind, outcome=outcome, grades=_subset(draw, scale.codes, min_size=1))
        return Trigger(kind, outcome=outcome)
    if kind is TriggerKind.CONCERN:
        return Trigger(kind, concern=_pick(draw, tuple(Concern)))
    return Trigger(kind)


def _deadline(draw: st.DrawFn, cycle: IsoDuration | None) -> Deadline:
    kinds = [k for k in DeadlineKind if k is not DeadlineKind.NEXT_CYCLE or cycle is not None]
    kind = _pick(draw, kinds)
    if kind is DeadlineKind.WORKING_DAYS:
        return Deadline(kind, working_days=_int(draw, 1, 10))
    if kind is DeadlineKind.WITHIN:
        return Deadline(kind, within=draw(iso_durations(max_count=3, units=("months", "weeks"))))
    return Deadline(kind)


def _escalation(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    scale: GradeScale,
    activities: tuple[Activity, ...],
    role_ids: tuple[str, ...],
    forum_ids: tuple[str, ...],
) -> tuple[EscalationRule, ...]:
    graded = tuple(a for a in activities if a.graded)
    found = []
    for index in range(_int(draw, 1, 3)):
        applies = _subset(draw, graded, max_size=2)
        trigger = _trigger(draw, scale)
        # With no applies_to a concern rule covers every activity, the others the graded ones.
        covered = applies or (activities if trigger.kind is TriggerKind.CONCERN else graded)
        cycles = [a.cadence.every for a in covered if a.cadence.every is not None]
        cycle = max(cycles, key=lambda d: d.approximate_days) if cycles else None
        deadline = _deadline(draw, cycle)
        days = deadline.approximate_days(cycle)
        # A follow-up, when there is one, comes no sooner than the deadline.
        later = [d for d in _FOLLOW_UPS if IsoDuration.parse(d).approximate_days >= days]
        follow_up = _pick_or_none(draw, later) if later else None
        consequence = None
        if draw(_BOOLEANS):
            consequence = Consequence(
                kind=_pick(draw, tuple(ConsequenceKind)),
                name=_text(draw, 1, 4),
                owner=_pick_or_none(draw, role_ids),
                monitored_in=_subset(draw, forum_ids, max_size=2),
                circulated_to=_subset(draw, role_ids, max_size=2),
                until=_maybe_text(draw, 2, 6),
            )
        # What closes it: nothing stated (the engine's default), or the conditions the
        # trigger allows (improved and withdrawn read a grade; withdrawn one the trigger names).
        allowed = [
            ClosingCondition.ACTIONS_VERIFIED,
            ClosingCondition.NO_ACTIONS,
            ClosingCondition.DEADLINE,
        ]
        if trigger.kind in (TriggerKind.GRADE, TriggerKind.MODERATION):
            allowed.append(ClosingCondition.IMPROVED)
            if trigger.grade_codes:
                allowed.append(ClosingCondition.WITHDRAWN)
        found.append(
            EscalationRule(
                id=f"escalation_{index}",
                name=_text(draw, 1, 4),
                trigger=trigger,
                recipients=_subset(draw, role_ids, min_size=1, max_size=3),
                deadline=deadline,
                citation=_citation(draw, sources),
                raised_by=_subset(draw, role_ids, max_size=2),
                conditional_recipients=_subset(draw, role_ids, max_size=2),
                notify_auditor=draw(_BOOLEANS),
                follow_up=Cadence.parse(follow_up) if follow_up is not None else None,
                follow_up_by=_subset(draw, role_ids, max_size=2),
                consequence=consequence,
                applies_to=tuple(a.id for a in applies),
                closes=_subset(draw, allowed, max_size=3),
                notes=_texts(draw, 3, 8, 1),
            )
        )
    return tuple(found)


def _action_timescales(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    scale: GradeScale,
    activities: tuple[Activity, ...],
    role_ids: tuple[str, ...],
    forum_ids: tuple[str, ...],
) -> tuple[ActionTimescale, ...]:
    graded = tuple(a.id for a in activities if a.graded)
    found = []
    claimed: set[tuple[str, str]] = set()
    for index in range(_int(draw, 0, 2)):
        length = draw(iso_durations(max_count=3, units=("months", "weeks")))
        set_in_audit = draw(_BOOLEANS)
        grades = _subset(draw, scale.codes, max_size=2)
        # An audit's actions have one timescale: skip activities another timescale already
        # governs for these grades (the action_timescales invariant).
        covered = grades or scale.codes
        free = tuple(
            a
            for a in _subset(draw, graded, min_size=1, max_size=2)
            if not any((a, g) in claimed for g in covered)
        )
        if not free:
            continue
        claimed.update((a, g) for a in free for g in covered)
        found.append(
            ActionTimescale(
                id=f"actions_{index}",
                applies_to=free,
                owner=_pick(draw, role_ids),
                citation=_citation(draw, sources),
                due=None if set_in_audit else length,
                review=length.times(1 + draw(_index(3))) if draw(_BOOLEANS) else None,
                set_in_audit=set_in_audit,
                default_due=length if set_in_audit else None,
                tracked_by=_subset(draw, role_ids, max_size=2),
                reviewed_in=_subset(draw, forum_ids, max_size=1),
                grades=grades,
            )
        )
    return tuple(found)


@st.composite
def _profile(draw: st.DrawFn) -> Profile:
    source_ids = _ids("source", _int(draw, 1, 2))
    sources = tuple(
        SourceDocument(
            id=source_id,
            authority=_text(draw, 1, 3),
            title=_text(draw, 2, 6),
            file=f"{source_id}.txt",
            issued=_pick(draw, ("January 2026", "July 2020", "undated")),
            approved=_maybe(draw, _DAYS),
            replaces=_maybe_text(draw, 2, 5),
            notes=_maybe_text(draw, 3, 8),
        )
        for source_id in source_ids
    )
    scale = _grade_scale(draw, sources)
    role_list = _roles(draw, sources)
    role_ids = tuple(r.id for r in role_list)
    standard_list = tuple(
        Standard(
            id=standard_id,
            title=_text(draw, 1, 4),
            kind=_pick(draw, tuple(StandardKind)),
            citation=_citation(draw, sources),
            description=_maybe_text(draw, 3, 8),
            what_good_looks_like=_texts(draw, 3, 8, 2),
            how_measured=_texts(draw, 3, 8, 2),
            audited=draw(_BOOLEANS),
        )
        for standard_id in _ids("standard", _int(draw, 1, 5))
    )
    forums = tuple(
        Forum(
            id=forum_id,
            name=_text(draw, 1, 4),
            kind=_pick(draw, tuple(ForumKind)),
            cadence=draw(cadences()),
            citation=_citation(draw, sources),
            abbreviations=_subset(draw, ("QAB",)),
            aliases=_texts(draw, 1, 4, 1),
            chair=_pick_or_none(draw, role_ids),
            members=_subset(draw, role_ids, max_size=3),
            description=_maybe_text(draw, 3, 8),
        )
        for forum_id in _ids("forum", _int(draw, 0, 4))
    )
    forum_ids = tuple(f.id for f in forums)
    lines = []
    for line_id in _ids("report", _int(draw, 0, 4)):
        to_forums = _subset(draw, forum_ids, max_size=2)
        to_roles = _subset(draw, role_ids, min_size=0 if to_forums else 1, max_size=2)
        lines.append(
            ReportingLine(
                id=line_id,
                report=_text(draw, 1, 4),
                produced_by=_subset(draw, role_ids, min_size=1, max_size=2),
                cadence=draw(cadences()),
                citation=_citation(draw, sources),
                to_forums=to_forums,
                to_roles=to_roles,
                description=_maybe_text(draw, 3, 8),
            )
        )
    activities = _activities(
        draw, sources, role_ids, tuple(s.id for s in standard_list), tuple(r.id for r in lines)
    )
    assumptions = []
    unreported = tuple(
        f"$.activities[{index}].reported_via"
        for index, activity in enumerate(activities)
        if not activity.reported_via
    )
    if unreported:
        # Valid by construction: a silence about reporting is recorded, as the invariant asks.
        assumptions.append(
            Assumption(
                id="no_reporting_line",
                text="The source names no report for these activities.",
                concerns=unreported,
            )
        )
    for index in range(_int(draw, 0, 2)):
        assumptions.append(
            Assumption(
                id=f"assumption_{index}",
                text=_text(draw, 3, 10),
                concerns=_subset(
                    draw, ("$.schedule_anchor", "$.grade_scale", "$.roles[0]", "$.activities[0]")
                ),
                citation=_citation(draw, sources) if draw(_BOOLEANS) else None,
            )
        )
    effective_from = draw(_DAYS)
    return Profile(
        id=f"{_pick(draw, ('north', 'south', 'east', 'west'))}shire_{_int(draw, 0, 999)}",
        authority=_text(draw, 1, 3) + " Council",
        name=_text(draw, 2, 6),
        version=_pick(draw, ("1", "2026-01", "v2")),
        effective_from=effective_from,
        schedule_anchor=_day(
            draw, effective_from - timedelta(days=365), effective_from + timedelta(days=365)
        ),
        sources=sources,
        grade_scale=scale,
        roles=role_list,
        standards=standard_list,
        forums=forums,
        reporting_lines=tuple(lines),
        activities=activities,
        moderation=_moderation(draw, sources, scale, activities, role_ids),
        escalation=_escalation(draw, sources, scale, activities, role_ids, forum_ids),
        action_timescales=_action_timescales(draw, sources, scale, activities, role_ids, forum_ids),
        assumptions=tuple(assumptions),
        effective_to=_maybe(draw, _index(3651).map(lambda n: effective_from + timedelta(days=n))),
        summary=_maybe_text(draw, 5, 12),
    )


def profiles() -> SearchStrategy[Profile]:
    """Random councils: whole profiles, valid by construction.

    Every reference resolves (roles, forums, standards, grades, reporting lines, activities,
    sources), the crosswalk is monotone, the management chain has no loop, at least one
    activity grades practice, every moderation policy can select from any cycle with
    audits, every follow-up comes no sooner than its deadline, and an activity without a
    reporting line is named by an assumption. The plain data of each
    (:func:`~qaframework.profiles.converter.to_dict`) passes
    :func:`~qaframework.profiles.validation.profile_from_data` and reads back equal.
    """
    return _profile()


@st.composite
def _versions(draw: st.DrawFn, min_versions: int, max_versions: int) -> tuple[Profile, ...]:
    count = _int(draw, min_versions, max_versions)
    drawn = [draw(_profile()) for _ in range(count)]
    starts = sorted(
        draw(
            st.lists(
                st.dates(date(2015, 1, 1), date(2030, 12, 31)),
                min_size=count,
                max_size=count,
                unique=True,
            )
        )
    )
    versions = []
    for index, (profile, start) in enumerate(zip(drawn, starts, strict=True)):
        following = starts[index + 1] if index + 1 < count else None
        limit = (following - start).days - 1 if following is not None else 3650
        length = draw(_index(limit + 1)) if draw(_BOOLEANS) else None
        end = start + timedelta(days=length) if length is not None else None
        versions.append(
            attrs.evolve(
                profile,
                id=drawn[0].id,
                effective_from=start,
                schedule_anchor=start,
                effective_to=end,
            )
        )
    return tuple(versions)


def profile_versions(
    *, min_versions: int = 1, max_versions: int = 3
) -> SearchStrategy[tuple[Profile, ...]]:
    """The dated versions of one random council, oldest first: one id, distinct start days,
    and no version running (``effective_to``) past the next one's start."""
    if not 1 <= min_versions <= max_versions:
        raise InvalidArgument(
            f"need 1 <= min_versions <= max_versions, got {min_versions}, {max_versions}"
        )
    return _versions(min_versions, max_versions)


# -- st.from_type ---------------------------------------------------------------------


def _from_profile(make: Callable[[Profile], SearchStrategy[_T]]) -> SearchStrategy[_T]:
    return st.deferred(lambda: profiles().flatmap(make))


def _type_strategies() -> dict[type, SearchStrategy[Any]]:
    # Deferred, so that registering (while Hypothesis itself is being imported) builds nothing.
    return {
        IsoDuration: st.deferred(iso_durations),
        Cadence: st.deferred(cadences),
        Quota: st.deferred(quotas),
        Case: st.deferred(cases),
        Profile: st.deferred(profiles),
        GradeScale: _from_profile(lambda p: st.just(p.grade_scale)),
        Grade: _from_profile(grades),
        Standard: _from_profile(standards),
        Role: _from_profile(roles),
        Judgement: _from_profile(judgements),
        ModerationRecord: _from_profile(
            lambda p: moderation_records(p).map(lambda records: records[0])
        ),
        AuditAction: st.deferred(
            lambda: audit_actions(on_or_after=date(2026, 4, 1), min_size=1, max_size=1).map(
                lambda actions: actions[0]
            )
        ),
        Audit: _from_profile(audits),
    }


def register_type_strategies() -> None:
    """Register these strategies for :func:`hypothesis.strategies.from_type`.

    Called by Hypothesis itself through the ``hypothesis`` entry point when qaframework's
    testing extra is installed; call it directly where the entry point is not registered.
    """
    for cls, strategy in _type_strategies().items():
        st.register_type_strategy(cls, strategy)


# Registering is part of importing this module: Hypothesis's setup hook imports it, and when
# this module was imported first (and so imported Hypothesis, running the hook before this
# module was complete), the hook leaves the registering to this line.
register_type_strategies()
