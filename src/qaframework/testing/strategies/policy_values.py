"""Strategies for the values a policy is made of: durations, cadences, quotas, and a
profile's grades, standards and roles."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from qaframework.policy.cadence import Cadence, CadenceKind, IsoDuration, Quota, QuotaQualifier
from qaframework.policy.grades import Grade, GradeScale
from qaframework.policy.profile import Profile
from qaframework.policy.roles import Role
from qaframework.policy.standards import Standard
from qaframework.policy.unknowns import NOT_STATED, NotStated
from qaframework.testing.strategies.drawing import (
    _BOOLEANS,
    _EVENTS,
    _UNITS,
    _index,
    _int,
    _items,
    _maybe,
    _pick,
    _pick_or_none,
    _scale_of,
    _strategy,
    _subset,
)

__all__ = [
    "cadences",
    "grade_codes",
    "grade_spellings",
    "grades",
    "iso_durations",
    "quotas",
    "roles",
    "standards",
]


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
    """Cadences of the given kinds: periodic (``P6W``), ongoing, as required, regular, on
    event, per-case before and after events (``before-event:case_closure/5WD``,
    ``after-event:review/P12M/then/P1Y``), and not stated."""
    return _cadence_strategy(tuple(kinds))


_EVENT_LISTS = st.lists(st.sampled_from(_EVENTS), min_size=1, max_size=3, unique=True)


@st.composite
def _per_case(draw: st.DrawFn, kind: CadenceKind) -> Cadence:
    events = tuple(draw(_EVENT_LISTS))
    delay = _pick(draw, ("none", "offset", "working_days"))
    offset = draw(iso_durations(max_count=6)) if delay == "offset" else None
    working_days = _int(draw, 1, 15) if delay == "working_days" else None
    then = None
    if kind is CadenceKind.AFTER_EVENT and delay != "none" and draw(_BOOLEANS):
        then = draw(iso_durations(max_count=2, units=("years", "months")))
    return Cadence(kind, events=events, offset=offset, working_days=working_days, then=then)


@functools.cache
def _cadence_strategy(kinds: tuple[CadenceKind, ...]) -> SearchStrategy[Cadence]:
    options: list[SearchStrategy[Cadence]] = []
    for kind in kinds:
        if kind is CadenceKind.PERIODIC:
            options.append(iso_durations().map(Cadence.periodic))
        elif kind is CadenceKind.ON_EVENT:
            options.append(_EVENT_LISTS.map(lambda events: Cadence.on_event(*events)))
        elif kind.is_per_case_event:
            options.append(_per_case(kind))
        else:
            options.append(st.just(Cadence(kind)))
    if not options:
        raise InvalidArgument("name at least one cadence kind")
    return st.one_of(options)


def _draw_quota(draw: st.DrawFn, role_ids: tuple[str, ...]) -> Quota:
    # Now and then the source states the quota but not how many (a known unknown).
    count: int | NotStated = NOT_STATED if draw(_index(6)) == 0 else _int(draw, 0, 50)
    return Quota(
        count=count,
        unit=_pick(draw, ("case", "audit", "observation", "child", "meeting")),
        qualifier=_pick(draw, tuple(QuotaQualifier)),
        count_max=count + draw(_index(11)) if isinstance(count, int) and draw(_BOOLEANS) else None,
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


def _draw_quotas(draw: st.DrawFn, role_ids: tuple[str, ...]) -> Quota | tuple[Quota, ...]:
    """One quota, or (with two roles or more) sometimes one per role for several roles:
    "2 per Team Manager and 1 per Advanced Practitioner a month"."""
    if len(role_ids) < 2 or not draw(_BOOLEANS):
        return _draw_quota(draw, role_ids)
    chosen = _subset(draw, role_ids, min_size=2, max_size=3)
    unit = _pick(draw, ("case", "audit", "observation", "piece of QA work"))
    qualifier = _pick(draw, tuple(QuotaQualifier))
    period = _maybe(draw, iso_durations(max_count=6, units=("months", "weeks")))
    return tuple(
        Quota(
            count=_int(draw, 1, 5),
            unit=unit,
            qualifier=qualifier,
            per_role=role,
            period=period,
        )
        for role in chosen
    )


def _per_subject_quota(draw: st.DrawFn) -> Quota:
    """A quota a per-case event cadence owes: a firm count per subject, no period."""
    return Quota(
        count=_int(draw, 1, 3),
        unit=_pick(draw, ("audit", "visit", "review", "letter")),
        qualifier=_pick(draw, (QuotaQualifier.EXACTLY, QuotaQualifier.AT_LEAST)),
        per=_pick(draw, ("child", "case")),
    )


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
