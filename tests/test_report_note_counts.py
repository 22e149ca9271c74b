"""How a cycle report counts its judgements' notes: by each judgement's whole key when
judgements repeat, by C-level passes a field at a time when they barely do (an export
whose notes all differ). Both give the same report."""

from __future__ import annotations

import heapq
from datetime import date
from unittest import mock

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.engine.audits import Audit, Judgement
from qaframework.engine.periods import Period
from qaframework.engine.report import build_cycle_report, tally
from qaframework.policy.profile import Profile
from qaframework.testing.strategies import audits as audits_of

MAY = Period.month(2026, 5)
AS_OF = date(2026, 6, 15)
# Notes that tie, differ only by white space at an end, or are white space alone.
NOTES = st.sampled_from([None, "", " ", "\t", "a", " a", "a ", "b", "B", "c", "a b"])


@st.composite
def noted_audits(draw: st.DrawFn, profile: Profile) -> list[Audit]:
    records = draw(
        st.lists(
            audits_of(profile, start=date(2026, 4, 20), end=date(2026, 6, 5)),
            max_size=25,
            unique_by=lambda a: a.id,
        )
    )

    def noted(judgement: Judgement) -> Judgement:
        return attrs.evolve(judgement, strengths=draw(NOTES), would_improve=draw(NOTES))

    return [attrs.evolve(a, judgements=tuple(map(noted, a.judgements))) for a in records]


@given(data=st.data(), kept=st.integers(0, 4))
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_either_way_of_counting_notes_gives_the_same_report(
    example_profile: Profile, data: st.DataObject, kept: int
) -> None:
    records = data.draw(noted_audits(example_profile))
    reports = []
    for repeat in (True, False):
        with mock.patch.object(tally, "_judgements_repeat", return_value=repeat):
            reports.append(
                build_cycle_report(
                    records,
                    example_profile,
                    MAY,
                    as_of=AS_OF,
                    trend_periods=3,
                    notes_per_standard=kept,
                )
            )
    assert reports[0] == reports[1]


def test_judgements_repeat_when_fewer_than_half_are_distinct() -> None:
    def made(n: int) -> Judgement:
        return Judgement("s", "good", None, f"note {n}", None)

    assert tally._judgements_repeat([made(n % 2) for n in range(10)])
    assert tally._judgements_repeat([made(n % 5) for n in range(10)])
    assert not tally._judgements_repeat([made(n % 6) for n in range(10)])
    # Only the first judgements are looked at.
    first = [made(0)] * tally._NOTES_SAMPLE
    assert tally._judgements_repeat([*first, *map(made, range(10 * tally._NOTES_SAMPLE))])
    assert tally._judgements_repeat([])


def _kept_by_key(notes: list[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    """The ranking as a sort key states it (the most frequent, then by text, white space
    at either end ignored; ties in the order given)."""
    if limit < 1:
        return []
    return heapq.nsmallest(limit, notes, key=lambda item: (-item[1], item[0].strip()))


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", " a", "a ", "b", "B", "a b", "c"]), st.integers(1, 4))
    ),
    st.integers(-1, 6),
)
def test_the_notes_kept_are_ranked_as_the_sort_key_says(
    notes: list[tuple[str, int]], limit: int
) -> None:
    assert tally._kept_notes(notes, limit) == _kept_by_key(notes, limit)
    assert tally._kept_notes(None, limit) == []


def test_kept_notes_break_ties_in_the_order_given() -> None:
    notes = [("b", 1), (" a", 2), ("a", 2), ("a ", 2), ("c", 3)]
    assert tally._kept_notes(notes, 3) == [("c", 3), (" a", 2), ("a", 2)]
