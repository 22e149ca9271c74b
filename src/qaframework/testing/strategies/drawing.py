"""What every strategy draws with: a council's vocabulary, pseudonymous ids, cached
strategies and small helpers that draw inside a composite strategy."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from qaframework.policy.grades import GradeScale
from qaframework.policy.profile import Profile

__all__: list[str] = []


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


_PEOPLE = st.integers(1, 999_999).map(lambda n: f"P{n}")
_AUDIT_IDS = st.integers(1, 99_999_999).map(lambda n: f"A{n}")
_CHILD_IDS = st.integers(1, 99_999_999).map(lambda n: f"C{n}")
