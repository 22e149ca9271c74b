"""The sampling engine: case lists to samples (``qaframework.sampling``).

The engine is positional, not keyed: a sample depends on the seed, the parameters and the
case list in the order given. The same list in the same order gives the same sample on every
machine (pinned below by exact outputs); a reordered list may give another.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from datetime import date, timedelta
from fractions import Fraction
from math import ceil, floor
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework import from_dict, load_profile, to_dict
from qaframework.engine.audits import Audit
from qaframework.engine.sampling import (
    CasePool,
    ExclusionReason,
    NotEnoughCases,
    Sample,
    SamplingError,
    UnknownCaseField,
    dip_sample,
    proportionate_quotas,
    purposive,
    quota_per_holder,
    random_positions,
    sample_for_activity,
    sample_size,
    simple_random,
    stratified,
)
from qaframework.errors import QAFrameworkError
from qaframework.policy.cadence import IsoDuration, Quota, QuotaQualifier
from qaframework.policy.case_filters import CaseFilter, Comparison
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case, SamplingMethod

AREAS = ("Children in Care", "Child Protection", "Early Help", "Leaving Care")


def case_list(count: int) -> list[Case]:
    """``count`` cases over four teams and four service areas, with a legal status field."""
    return [
        Case(
            f"C{i:04d}",
            team=f"Team {i % 4 + 1}",
            worker=f"W{i % 9}",
            service_area=AREAS[i % 3] if i % 10 else AREAS[3],
            fields={"legal_status": "CP" if i % 5 == 0 else "CIN", "district": f"D{i % 2}"},
        )
        for i in range(count)
    ]


CASES = case_list(200)

# Case lists for properties: unique ids, a few teams and service areas (sometimes missing).
labels = st.sampled_from(("A", "B", "C", "D", "E", "F"))
rows = st.lists(st.tuples(st.none() | labels, st.none() | labels), min_size=0, max_size=60)


def cases_from(values: list[tuple[str | None, str | None]]) -> list[Case]:
    return [Case(f"C{i}", team=team, service_area=area) for i, (area, team) in enumerate(values)]


@st.composite
def list_and_size(draw: st.DrawFn) -> tuple[list[Case], int]:
    cases = cases_from(draw(rows))
    return cases, draw(st.integers(0, len(cases)))


def assert_is_a_fair_subset(sample: Sample, pool: list[Case], size: int) -> None:
    chosen = sample.cases
    assert len(chosen) == size
    assert len({c.child_id for c in chosen}) == size
    assert set(chosen) <= set(pool)


# --- the random draw ------------------------------------------------------------------------


def test_random_positions_are_pinned_for_a_seed() -> None:
    # The documented algorithm; a change here changes every council's samples.
    assert random_positions(100, 5, seed=20260601) == (82, 39, 94, 95, 53)
    assert random_positions(100, 5, seed=20260601, stream="stratum") == (8, 2, 43, 27, 5)
    assert random_positions(10**9, 3, seed=0) == (255638083, 513710358, 927651794)
    assert random_positions(1, 1, seed=-7) == (0,)
    assert random_positions(5, 0, seed=1) == ()


def reference_positions(size: int, k: int, seed: int, stream: str) -> list[int]:
    """The algorithm as ``random_positions`` documents it, on a whole list."""
    message = f"qaframework.sampling/1\n{stream}\n{seed}".encode()
    rng = random.Random(int.from_bytes(hashlib.blake2b(message, digest_size=16).digest(), "big"))

    def below(bound: int) -> int:
        limit = 2**53 - 2**53 % bound
        while (x := int(rng.random() * 2**53)) >= limit:
            pass
        return x % bound

    slots = list(range(size))
    for i in range(k):
        j = i + below(size - i)
        slots[i], slots[j] = slots[j], slots[i]
    return slots[:k]


@given(st.integers(1, 200), st.data(), st.integers(), st.text(max_size=8))
def test_random_positions_follow_the_documented_algorithm(
    size: int, data: st.DataObject, seed: int, stream: str
) -> None:
    k = data.draw(st.integers(0, size))
    assert list(random_positions(size, k, seed=seed, stream=stream)) == reference_positions(
        size, k, seed, stream
    )


@given(
    size=st.integers(0, 300),
    data=st.data(),
    seed=st.integers(-(2**70), 2**70),
    stream=st.text(max_size=5),
)
def test_random_positions_are_distinct_in_range_and_a_prefix_of_larger_draws(
    size: int, data: st.DataObject, seed: int, stream: str
) -> None:
    k = data.draw(st.integers(0, size))
    positions = random_positions(size, k, seed=seed, stream=stream)
    assert len(positions) == k == len(set(positions))
    assert all(0 <= p < size for p in positions)
    # A partial Fisher-Yates shuffle: drawing more continues the same shuffle.
    assert random_positions(size, size, seed=seed, stream=stream)[:k] == positions


def test_every_position_is_about_equally_likely() -> None:
    counts = Counter(random_positions(10, 1, seed=seed)[0] for seed in range(5000))
    assert sorted(counts) == list(range(10))
    # 500 expected each, standard deviation about 21.
    assert all(420 < n < 580 for n in counts.values()), counts


@pytest.mark.parametrize(
    ("size", "k", "seed", "error"),
    [
        (10, 11, 1, NotEnoughCases),
        (10, -1, 1, SamplingError),
        (-1, 0, 1, SamplingError),
        (10, 2, "1", SamplingError),
        (10, True, 1, SamplingError),
        (10, 2.0, 1, SamplingError),
    ],
)
def test_random_positions_refuse_bad_arguments(
    size: int, k: int, seed: int, error: type[Exception]
) -> None:
    with pytest.raises(error):
        random_positions(size, k, seed=seed)


# --- simple random and dip samples ------------------------------------------------------------


def test_simple_random_is_pinned_for_a_seed() -> None:
    sample = simple_random(CASES, 5, seed=42)
    assert sample.child_ids == ("C0039", "C0071", "C0118", "C0126", "C0176")
    assert sample.method is SamplingMethod.RANDOM
    assert (sample.seed, sample.requested, sample.population, sample.eligible) == (42, 5, 200, 200)


@given(list_and_size(), st.integers())
def test_simple_random_is_a_subset_of_the_asked_size_in_list_order(
    drawn: tuple[list[Case], int], seed: int
) -> None:
    cases, n = drawn
    sample = simple_random(cases, n, seed=seed)
    assert_is_a_fair_subset(sample, cases, n)
    positions = [cases.index(c) for c in sample.cases]
    assert positions == sorted(positions)
    assert simple_random(list(cases), n, seed=seed) == sample


def test_a_different_seed_gives_a_different_sample() -> None:
    assert simple_random(CASES, 10, seed=1).cases != simple_random(CASES, 10, seed=2).cases


def test_dip_sample_draws_among_the_filtered_cases() -> None:
    sample = dip_sample(CASES, 8, seed=3, where={"legal_status": "CP"})
    assert sample.method is SamplingMethod.DIP_SAMPLE
    assert len(sample.cases) == 8
    assert all(c.value("legal_status") == "CP" for c in sample.cases)
    (excluded,) = sample.exclusions
    assert excluded.reason is ExclusionReason.NOT_MATCHING_CRITERIA
    assert excluded.description == "not matching: legal_status = CP"
    assert excluded.count == 160 == 200 - sample.eligible
    assert not {c.child_id for c in sample.cases} & set(excluded.child_ids)


def test_purposive_takes_every_matching_case_in_list_order() -> None:
    def looked_after_in_team_1(case: Case) -> bool:
        return case.team == "Team 1" and case.service_area == "Children in Care"

    sample = purposive(CASES, looked_after_in_team_1)
    expected = [c for c in CASES if looked_after_in_team_1(c)]
    assert list(sample.cases) == expected
    assert sample.seed is None
    assert sample.requested == sample.eligible == len(expected)
    assert sample.exclusions[0].description == "not matching: looked_after_in_team_1"
    by_mapping = purposive(
        CASES, {"team": "Team 1", "service_area": ["Children in Care"]}, description="CiC"
    )
    assert by_mapping.cases == sample.cases
    assert by_mapping.exclusions[0].description == "not matching: CiC"


def test_a_mapping_filter_describes_itself() -> None:
    pool = CasePool.of(CASES).where({"team": ["Team 2", "Team 1"], "legal_status": "CP"})
    assert pool.exclusions[0].description == (
        "not matching: team in Team 1, Team 2 and legal_status = CP"
    )
    assert all(
        c.team in ("Team 1", "Team 2") and c.value("legal_status") == "CP" for c in pool.cases
    )


# --- stratified samples -----------------------------------------------------------------------


def test_stratified_is_pinned_for_a_seed() -> None:
    sample = stratified(CASES, 10, by="service_area", seed=7)
    assert [(s.values, s.size, s.quota) for s in sample.strata] == [
        (("Child Protection",), 60, 3),
        (("Children in Care",), 60, 3),
        (("Early Help",), 60, 3),
        (("Leaving Care",), 20, 1),
    ]
    assert sample.child_ids == (
        "C0043", "C0127", "C0133",
        "C0048", "C0051", "C0195",
        "C0065", "C0086", "C0173",
        "C0110",
    )  # fmt: skip


def test_stratified_over_several_fields_gives_combined_strata() -> None:
    sample = stratified(CASES, 16, by=("service_area", "district"), seed=1)
    assert sample.strata_fields == ("service_area", "district")
    # Leaving Care cases are all in D0: seven strata, not eight.
    assert len(sample.strata) == 7
    for stratum in sample.strata:
        area, district = stratum.values
        chosen = [c for c in sample.cases if c.child_id in stratum.child_ids]
        assert all(c.service_area == area and c.value("district") == district for c in chosen)
    assert all(s.quota >= 1 for s in sample.strata)
    assert sum(s.quota for s in sample.strata) == 16


def test_stratified_groups_the_cases_by_stratum_in_list_order() -> None:
    sample = stratified(CASES, 30, by="team", seed=5)
    grouped = [cid for stratum in sample.strata for cid in stratum.child_ids]
    assert list(sample.child_ids) == grouped
    for stratum in sample.strata:
        assert list(stratum.child_ids) == sorted(stratum.child_ids)


@given(list_and_size(), st.integers(0, 2**64), st.booleans())
def test_stratified_quotas_are_proportionate(
    drawn: tuple[list[Case], int], seed: int, two_fields: bool
) -> None:
    cases, n = drawn
    by = ("service_area", "team") if two_fields else ("service_area",)
    has_values = all(any(c.value(f) is not None for c in cases) for f in by)
    if cases and not has_values:
        with pytest.raises(UnknownCaseField):
            stratified(cases, n, by=by, seed=seed)
        return
    sample = stratified(cases, n, by=by, seed=seed)
    assert_is_a_fair_subset(sample, cases, n)
    assert sample == stratified(cases, n, by=by, seed=seed)
    total = len(cases)
    assert sum(s.size for s in sample.strata) == total
    assert sum(s.quota for s in sample.strata) == n
    strata = len(sample.strata)
    exact = {s.values: Fraction(n * s.size, total) for s in sample.strata}
    for s in sample.strata:
        assert len(s.child_ids) == s.quota <= s.size
        assert abs(s.proportional - exact[s.values]) < 1
        assert s.exact == pytest.approx(float(exact[s.values]))
        members = {c.child_id for c in cases if tuple(c.value(f) for f in by) == s.values}
        assert set(s.child_ids) <= members
        if n < strata:
            assert s.quota == s.proportional
        else:
            assert s.quota >= 1
        if s.quota >= s.proportional:  # not a donor to a stratum that had to be represented
            assert abs(s.quota - exact[s.values]) <= 1


@given(
    sizes=st.lists(st.integers(0, 1000), min_size=1, max_size=30),
    data=st.data(),
)
def test_proportionate_quotas_follow_largest_remainder(
    sizes: list[int], data: st.DataObject
) -> None:
    total = sum(sizes)
    n = data.draw(st.integers(0, total))
    quotas = proportionate_quotas(sizes, n)
    assert sum(quotas) == n
    assert all(0 <= q <= size for q, size in zip(quotas, sizes, strict=True))
    non_empty = sum(1 for size in sizes if size)
    if total == 0:
        return
    exact = [Fraction(n * size, total) for size in sizes]
    if n >= non_empty:
        assert all(q >= 1 for q, size in zip(quotas, sizes, strict=True) if size)
        return
    assert all(floor(e) <= q <= ceil(e) for q, e in zip(quotas, exact, strict=True))
    # The strata rounded up have remainders at least as large as those rounded down.
    up = [e - floor(e) for q, e in zip(quotas, exact, strict=True) if q > e]
    down = [e - floor(e) for q, e in zip(quotas, exact, strict=True) if q < e]
    if up and down:
        assert min(up) >= max(down)


def test_quotas_break_ties_by_stratum_order_and_represent_every_stratum() -> None:
    assert proportionate_quotas([1, 1, 1], 2) == (1, 1, 0)
    assert proportionate_quotas([5, 5], 1) == (1, 0)
    # Largest remainder alone gives (4, 0, 0); representation takes from the largest.
    assert proportionate_quotas([98, 1, 1], 4) == (2, 1, 1)
    assert proportionate_quotas([50, 30, 20], 10) == (5, 3, 2)
    assert proportionate_quotas([0, 7, 3], 3) == (0, 2, 1)
    assert proportionate_quotas([], 0) == ()


def test_a_missing_value_is_a_stratum_of_its_own_after_the_others() -> None:
    cases = [Case(f"C{i}", service_area=None if i < 3 else AREAS[i % 2]) for i in range(12)]
    sample = stratified(cases, 4, by="service_area", seed=1)
    assert [s.values for s in sample.strata] == [(AREAS[1],), (AREAS[0],), (None,)]
    assert sample.strata[-1].quota == 1


def test_stratified_sample_round_trips_through_json() -> None:
    sample = stratified(CasePool.of(CASES).where({"district": "D0"}), 9, by="team", seed=3)
    assert from_dict(Sample, json.loads(json.dumps(to_dict(sample)))) == sample


# --- quota per role-holder ----------------------------------------------------------------------


def test_one_case_per_team_manager_per_month() -> None:
    may = quota_per_holder(CASES, 1, seed=9, period="2026-05")
    assert may.method is SamplingMethod.QUOTA_PER_ROLE
    assert [h.holder for h in may.holders] == ["Team 1", "Team 2", "Team 3", "Team 4"]
    for draw in may.holders:
        assert draw.eligible == 50
        (child,) = draw.child_ids
        assert next(c for c in CASES if c.child_id == child).team == draw.holder
    assert may.child_ids == tuple(h.child_ids[0] for h in may.holders)
    june = quota_per_holder(CASES, 1, seed=9, period="2026-06")
    assert june.child_ids != may.child_ids
    assert quota_per_holder(CASES, 1, seed=9, period="2026-05") == may


def test_named_holders_sharing_a_team_never_draw_the_same_case() -> None:
    cases = case_list(12)
    sample = quota_per_holder(
        cases,
        2,
        seed=4,
        period="2026-05",
        holders={"Khan": "Team 1", "Ode": ["Team 1", "Team 2"]},
        role="team_manager",
    )
    khan, ode = sample.holders
    assert (khan.holder, khan.eligible, ode.eligible) == ("Khan", 3, 4)
    assert not set(khan.child_ids) & set(ode.child_ids)
    assert sample.holder_role == "team_manager"
    (orphans,) = sample.exclusions
    assert orphans.reason is ExclusionReason.NO_HOLDER
    assert {c.team for c in cases if c.child_id in orphans.child_ids} == {"Team 3", "Team 4"}
    assert sample.eligible == 6


@given(rows, st.integers(0, 3), st.integers())
def test_every_holder_draws_its_count_from_its_own_cases(
    values: list[tuple[str | None, str | None]], count: int, seed: int
) -> None:
    cases = cases_from(values)
    teams = Counter(c.team for c in cases if c.team is not None)
    if cases and not teams:
        with pytest.raises(UnknownCaseField):
            quota_per_holder(cases, count, seed=seed, period="P")
        return
    if any(size < count for size in teams.values()):
        with pytest.raises(NotEnoughCases):
            quota_per_holder(cases, count, seed=seed, period="P")
        return
    sample = quota_per_holder(cases, count, seed=seed, period="P")
    assert_is_a_fair_subset(sample, cases, count * len(teams))
    for draw in sample.holders:
        assert all(c.team == draw.holder for c in cases if c.child_id in draw.child_ids)
    orphans = sum(e.count for e in sample.exclusions)
    assert orphans == sum(1 for c in cases if c.team is None)


# --- look-back exclusion ------------------------------------------------------------------------


def test_children_audited_in_the_window_are_excluded() -> None:
    as_of = date(2026, 6, 1)
    audited = [
        ("C0001", date(2025, 6, 2)),  # first day of the window
        ("C0002", date(2025, 6, 1)),  # a year ago to the day: outside
        ("C0003", date(2026, 6, 2)),  # after as_of: not yet done
        ("C0004", as_of),
    ]
    pool = CasePool.of(CASES).excluding_audited(audited, within=IsoDuration(years=1), as_of=as_of)
    (excluded,) = pool.exclusions
    assert excluded.reason is ExclusionReason.AUDITED_WITHIN_WINDOW
    assert excluded.child_ids == ("C0001", "C0004")
    assert excluded.description == "audited in the 1 year up to 2026-06-01 (since 2025-06-02)"
    assert pool.population == 200 == pool.eligible + 2


def test_audit_records_exclude_as_pairs_do() -> None:
    audit = Audit("A1", "C0010", "case_file_audit", date(2026, 3, 1), "tm1", "team_manager", "good")
    pool = CasePool.of(CASES).excluding_audited(
        [audit], within=IsoDuration(months=6), as_of=date(2026, 6, 1)
    )
    assert pool.exclusions[0].child_ids == ("C0010",)


@given(
    list_and_size(),
    st.lists(st.tuples(st.integers(0, 70), st.integers(-400, 400))),
    st.integers(),
)
def test_exclusions_are_honoured(
    drawn: tuple[list[Case], int], audits: list[tuple[int, int]], seed: int
) -> None:
    cases, _ = drawn
    as_of = date(2026, 6, 1)
    audited = [(f"C{i}", as_of - timedelta(days=back)) for i, back in audits]
    pool = CasePool.of(cases).excluding_audited(audited, within=IsoDuration(months=12), as_of=as_of)
    recent = {cid for cid, day in audited if date(2025, 6, 1) < day <= as_of}
    assert {c.child_id for c in pool.cases} == {c.child_id for c in cases} - recent
    assert set(pool.exclusions[0].child_ids) == recent & {c.child_id for c in cases}
    assert pool.population == pool.eligible + pool.exclusions[0].count
    n = pool.eligible // 2
    sample = simple_random(pool, n, seed=seed)
    assert_is_a_fair_subset(sample, list(pool.cases), n)
    assert not recent & set(sample.child_ids)
    assert sample.exclusions == pool.exclusions


# --- sample size --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "kwargs", "size"),
    [
        # n0 = 1.959964**2 * 0.25 / 0.05**2 = 384.146; n = n0 / (1 + (n0 - 1) / N), rounded up.
        (1000, {}, 278),  # 384.146 / 1.383146 = 277.7
        (500, {}, 218),  # 384.146 / 1.766292 = 217.5
        (100, {}, 80),  # 384.146 / 4.831459 = 79.5
        (1_000_000, {}, 384),  # 383.999
        (10**12, {}, 385),
        (1000, {"margin": 0.03}, 517),  # n0 = 1067.07; 1067.07 / 2.06607 = 516.5
        (1000, {"confidence": 0.99}, 400),  # n0 = 663.49; 663.49 / 1.66249 = 399.1
        (1000, {"confidence": 0.90}, 214),  # n0 = 270.55; 270.55 / 1.26955 = 213.1
        (1000, {"proportion": 0.2}, 198),  # n0 = 245.85; 245.85 / 1.24485 = 197.5
        (1, {}, 1),
        (0, {}, 0),
    ],
)
def test_sample_size_matches_hand_computed_values(
    population: int, kwargs: dict[str, float], size: int
) -> None:
    assert sample_size(population, **kwargs) == size


@given(st.integers(0, 10**7), st.floats(0.005, 0.5), st.floats(0.5, 0.999))
def test_sample_size_grows_with_the_population_and_never_exceeds_it(
    population: int, margin: float, confidence: float
) -> None:
    size = sample_size(population, margin=margin, confidence=confidence)
    assert 0 <= size <= population
    assert size <= sample_size(population + 1, margin=margin, confidence=confidence)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"margin": 0},
        {"margin": 1.5},
        {"confidence": 1},
        {"proportion": 0},
        {"margin": float("nan")},
    ],
)
def test_sample_size_refuses_impossible_parameters(kwargs: dict[str, float]) -> None:
    with pytest.raises(SamplingError, match="between 0 and 1"):
        sample_size(1000, **kwargs)


# --- errors -------------------------------------------------------------------------------------


def test_asking_for_more_than_is_eligible_says_what_was_excluded() -> None:
    pool = CasePool.of(CASES).where({"team": "Team 1"})
    with pytest.raises(NotEnoughCases) as caught:
        simple_random(pool, 51, seed=1)
    assert str(caught.value) == (
        "cannot draw 51 cases (200 on the list; 150 not matching: team = Team 1): "
        "only 50 are eligible"
    )
    assert (caught.value.asked, caught.value.eligible) == (51, 50)
    with pytest.raises(NotEnoughCases, match="for 'Team 1'"):
        quota_per_holder(pool, 51, seed=1, period="2026-05")


def test_errors_are_the_librarys_own() -> None:
    for error in (SamplingError, NotEnoughCases, UnknownCaseField):
        assert issubclass(error, QAFrameworkError)
    with pytest.raises(SamplingError, match="cannot be negative"):
        stratified(CASES, -1, by="team", seed=1)
    with pytest.raises(SamplingError, match="whole number"):
        simple_random(CASES, True, seed=1)
    with pytest.raises(SamplingError, match="seed must be an integer"):
        simple_random(CASES, 1, seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(SamplingError, match="named twice"):
        stratified(CASES, 1, by=("team", "team"), seed=1)
    with pytest.raises(SamplingError, match="at least one field"):
        stratified(CASES, 1, by=(), seed=1)
    with pytest.raises(SamplingError, match="non-empty collection"):
        CasePool.of(CASES).where({"team": []})
    with pytest.raises(SamplingError, match="period"):
        quota_per_holder(CASES, 1, seed=1, period="")
    with pytest.raises(SamplingError, match="date without a time"):
        CasePool.of(CASES).excluding_audited(
            [("C1", "2026-01-01")], within=IsoDuration(1), as_of=date(2026, 6, 1)
        )  # type: ignore[list-item]


@pytest.mark.parametrize("field", ["district_name", "Service Area"])
def test_unknown_fields_are_named_with_the_fields_there_are(field: str) -> None:
    message = (
        f"no case on the list has a value for field {field!r} (fields with values: child_id, "
        "district, legal_status, service_area, team, worker)"
    )
    with pytest.raises(UnknownCaseField) as caught:
        stratified(CASES, 4, by=field, seed=1)
    assert str(caught.value) == message
    with pytest.raises(UnknownCaseField):
        CasePool.of(CASES).where({field: "x"})
    with pytest.raises(UnknownCaseField):
        quota_per_holder(CASES, 1, seed=1, period="2026-05", by=field)


def test_a_child_listed_twice_is_an_error() -> None:
    with pytest.raises(
        SamplingError, match=r"'C0003' is on the case list twice \(cases 4 and 201\)"
    ):
        simple_random([*CASES, CASES[3]], 1, seed=1)


# --- the councils' rules, from their profiles ---------------------------------------------------


@pytest.fixture(scope="module")
def bolton_2026() -> Profile:
    return load_profile("bolton", as_of=date(2026, 6, 1))


@pytest.fixture(scope="module")
def bolton_2021() -> Profile:
    return load_profile("bolton", as_of=date(2022, 6, 1))


@pytest.fixture(scope="module")
def manchester() -> Profile:
    return load_profile("manchester", as_of=date(2020, 1, 1))


def test_bolton_quality_case_file_audits_are_stratified_by_service_area(
    bolton_2026: Profile,
) -> None:
    rule = bolton_2026.activity("quality_case_file_audits").sampling
    assert rule is not None
    assert (rule.method, rule.strata) == (SamplingMethod.STRATIFIED, ("service_area",))
    # Seed 000 gives no number of cases: the size is not stated, and none is invented.
    assert rule.size is not None
    assert rule.size.stated_count is None
    with pytest.raises(SamplingError, match=r"does not state how many .* pass n"):
        sample_for_activity(
            bolton_2026, "quality_case_file_audits", CASES, as_of=date(2026, 6, 1), seed=1
        )
    sample = sample_for_activity(
        bolton_2026, "quality_case_file_audits", CASES, as_of=date(2026, 6, 1), seed=1, n=12
    )
    assert sample == stratified(CASES, 12, by="service_area", seed=1)
    # "representation from all service areas"
    assert {s.values[0] for s in sample.strata if s.quota} == set(AREAS)


def test_bolton_whole_case_file_audit_samples_about_35_at_random(bolton_2021: Profile) -> None:
    activity = bolton_2021.activity("whole_case_file_audits")
    rule = activity.sampling
    assert rule is not None
    assert rule.method is SamplingMethod.RANDOM
    assert rule.size is not None
    assert (rule.size.count, rule.size.qualifier) == (35, QuotaQualifier.APPROXIMATELY)
    assert activity.lookback == IsoDuration(years=1)  # "The audits will go back 12 months"
    sample = sample_for_activity(
        bolton_2021, "whole_case_file_audits", CASES, as_of=date(2022, 6, 1), seed=11
    )
    assert sample == simple_random(CASES, 35, seed=11)
    # "Approximately": staffing levels may call for another number.
    smaller = sample_for_activity(
        bolton_2021, "whole_case_file_audits", CASES, as_of=date(2022, 6, 1), seed=11, n=30
    )
    assert len(smaller.cases) == 30


def test_bolton_joint_sampling_across_districts_is_drawn_by_district(bolton_2021: Profile) -> None:
    sample = sample_for_activity(
        bolton_2021, "district_joint_sampling", CASES, as_of=date(2022, 6, 1), seed=2, n=6
    )
    assert sample.method is SamplingMethod.STRATIFIED
    assert [(s.values, s.quota) for s in sample.strata] == [(("D0",), 3), (("D1",), 3)]


def test_manchester_dip_samples_40_cases_in_the_area_of_concern(manchester: Profile) -> None:
    sample = sample_for_activity(
        manchester,
        "dip_sampling",
        CASES,
        as_of=date(2020, 1, 1),
        seed=8,
        where={"legal_status": "CIN"},
        description="repeat referrals",
    )
    assert sample.method is SamplingMethod.DIP_SAMPLE
    assert len(sample.cases) == 40
    assert all(c.value("legal_status") == "CIN" for c in sample.cases)
    assert sample.exclusions[0].description == "not matching: repeat referrals"


def test_manchester_file_audit_is_one_case_per_team_manager_per_month(
    manchester: Profile,
) -> None:
    def month(period: str) -> Sample:
        return sample_for_activity(
            manchester, "file_audit", CASES, as_of=date(2020, 1, 31), seed=8, period=period
        )

    january = month("2020-01")
    assert january == quota_per_holder(CASES, 1, seed=8, period="2020-01", role="team_manager")
    assert [len(h.child_ids) for h in january.holders] == [1, 1, 1, 1]
    assert january.child_ids != month("2020-02").child_ids
    with pytest.raises(
        SamplingError, match="fixes its sample at 1 case per Team Manager per month"
    ):
        sample_for_activity(manchester, "file_audit", CASES, as_of=date(2020, 1, 31), seed=8, n=2)
    named = sample_for_activity(
        manchester,
        "file_audit",
        CASES,
        as_of=date(2020, 1, 31),
        seed=8,
        holders={"TM North": "Team 1", "TM South": "Team 2"},
    )
    assert [h.holder for h in named.holders] == ["TM North", "TM South"]
    assert named.period == "2020-01-31"


def test_a_rule_with_a_look_back_window_excludes_recent_audits(
    example_profile: Profile,
) -> None:
    audited = [("C0000", date(2026, 1, 5)), ("C0001", date(2024, 1, 5))]
    sample = sample_for_activity(
        example_profile, "case_file_audit", CASES, as_of=date(2026, 6, 1), seed=3, audited=audited
    )
    assert sample.method is SamplingMethod.STRATIFIED
    assert len(sample.cases) == 35
    assert sample.exclusions[0].child_ids == ("C0000",)
    assert "C0000" not in sample.child_ids
    assert sample.eligible == 199


def test_rules_the_engine_cannot_sample_say_why(
    example_profile: Profile, bolton_2026: Profile
) -> None:
    as_of = date(2026, 6, 1)
    with pytest.raises(SamplingError, match=r"'transfer_audit' of profile .* has no sampling rule"):
        sample_for_activity(example_profile, "transfer_audit", CASES, as_of=as_of, seed=1)
    with pytest.raises(SamplingError, match="has no activity 'nope'"):
        sample_for_activity(example_profile, "nope", CASES, as_of=as_of, seed=1)
    with pytest.raises(SamplingError, match=r"purposively .* pass the filter"):
        sample_for_activity(bolton_2026, "thematic_audits", CASES, as_of=as_of, seed=1)
    themed = sample_for_activity(
        bolton_2026, "thematic_audits", CASES, as_of=as_of, seed=1, where={"legal_status": "CP"}
    )
    assert themed.method is SamplingMethod.PURPOSIVE
    assert len(themed.cases) == 40
    activity = example_profile.activity("case_file_audit")
    assert activity.sampling is not None
    on_event = attrs.evolve(
        activity, sampling=attrs.evolve(activity.sampling, method=SamplingMethod.EVENT)
    )
    profile = attrs.evolve(example_profile, activities=(on_event,))
    with pytest.raises(SamplingError, match="case events"):
        sample_for_activity(profile, "case_file_audit", CASES, as_of=as_of, seed=1)


# -- structured case filters -----------------------------------------------------------------


def thematic_cases() -> list[Case]:
    """Cases with Annex A-like headers, as a council's export gives them."""
    rows = [
        ("T1", "CP", "16-17", "No", "Foster care"),
        ("T2", "CLA", "10-15", "Yes", "Residential"),
        ("T3", "CLA", "16-17", "No", "Placed with parents"),
        ("T4", "CIN", "16-17", "Yes", "Foster care"),
        ("T5", "cla ", "16-17", "no", "Kinship"),
        ("T6", "CP", "5-9", "No", None),
        ("T7", None, "16-17", "Yes", None),
    ]
    return [
        Case(
            child_id,
            service_area="Children in Care",
            fields={
                name: value
                for name, value in (
                    ("Legal Status", status),
                    ("Age Band", age),
                    ("Disability", disabled),
                    ("Placement Type", placement),
                )
                if value is not None
            },
        )
        for child_id, status, age, disabled, placement in rows
    ]


def test_a_rules_filter_keeps_the_cases_it_describes(example_profile: Profile) -> None:
    """Exampleshire's thematic audit: CP or CLA, aged 16-17 or disabled, not placed with
    parents. Fields match the list's headers and values ignoring case and spacing."""
    sample = sample_for_activity(
        example_profile, "thematic_audit", thematic_cases(), as_of=date(2026, 6, 1), seed=0
    )
    assert sample.method is SamplingMethod.PURPOSIVE
    assert sample.child_ids == ("T1", "T2", "T5")
    (exclusion,) = sample.exclusions
    assert exclusion.reason is ExclusionReason.NOT_MATCHING_CRITERIA
    assert exclusion.child_ids == ("T3", "T4", "T6", "T7")
    assert exclusion.description == (
        "not matching: legal status is CP or CLA, and (age band is 16-17, or disability is "
        "Yes), and not (placement type is Placed with parents)"
    )
    # where narrows further.
    narrower = sample_for_activity(
        example_profile,
        "thematic_audit",
        thematic_cases(),
        as_of=date(2026, 6, 1),
        seed=0,
        where={"Disability": "Yes"},
    )
    assert narrower.child_ids == ("T2",)


@given(st.lists(st.tuples(st.sampled_from(["CP", "cp ", "CLA", None]), st.booleans()), max_size=30))
def test_a_filter_is_applied_as_it_reads(rows: list[tuple[str | None, bool]]) -> None:
    """CP, or not (disability recorded and not Yes): a fast filter agrees with its reading."""
    found = CaseFilter.any_of(
        CaseFilter.where("legal_status", "CP"),
        CaseFilter.none_of(CaseFilter.where("disability", "yes", compare=Comparison.NOT_IN)),
    )
    columns = {"legal_status": "Legal Status", "disability": "Disability"}
    cases = [Case("C", fields={"Legal Status": "CIN", "Disability": "No"})]
    for i, (status, disabled) in enumerate(rows):
        fields = {"Disability": "Yes" if disabled else "No"}
        if status is not None:
            fields["Legal Status"] = status
        cases.append(Case(f"C{i}", fields=fields))
    kept = CasePool.of(cases).where(found).cases
    assert list(kept) == [
        c for c in cases if found.matches(lambda name, c=c: c.fields.get(columns[name]))
    ]
    assert [c.child_id for c in kept] == [
        c.child_id
        for c in cases
        if (c.fields.get("Legal Status") or "").strip().upper() == "CP"
        or c.fields["Disability"] == "Yes"
    ]


def test_a_field_the_case_list_lacks_is_named(example_profile: Profile) -> None:
    cases = [Case("A1", fields={"Legal Status": "CP", "Age Band": "16-17", "Disability": "No"})]
    with pytest.raises(UnknownCaseField) as caught:
        sample_for_activity(
            example_profile, "thematic_audit", cases, as_of=date(2026, 6, 1), seed=0
        )
    assert caught.value.field == "placement_type"
    assert str(caught.value) == (
        "the sampling rule of activity 'thematic_audit' of profile exampleshire 2026-01 (from "
        "2026-01-05) names case field 'placement_type', but no case on the list has a value "
        "for field 'placement_type' (fields with values: Age Band, Disability, Legal Status, "
        "child_id)"
    )


def test_a_field_held_in_two_columns_is_refused() -> None:
    cases = [Case("A1", fields={"Legal Status": "CP", "legal-status": "CP"})]
    with pytest.raises(SamplingError, match="in more than one column"):
        CasePool.of(cases).where(CaseFilter.where("legal_status", "CP"))


def test_a_declared_fields_column_name_is_matched(example_profile: Profile) -> None:
    cases = [
        Case("A1", fields={"Where placed": "Kinship"}),
        Case("A2", fields={"Where placed": "Residential"}),
    ]
    pool = CasePool.of(cases).where(
        CaseFilter.where("placement_type", "Kinship"), names={"placement_type": "Where placed"}
    )
    assert [c.child_id for c in pool.cases] == ["A1"]


# -- a quota held by several roles --------------------------------------------------------------


def with_several_roles(profile: Profile) -> Profile:
    """The example's case file audit sampled "2 per Team Manager and 1 per Head of Service"."""
    activity = profile.activity("case_file_audit")
    assert activity.sampling is not None
    rule = attrs.evolve(
        activity.sampling,
        method=SamplingMethod.QUOTA_PER_ROLE,
        strata=(),
        size=(
            Quota(2, "case", per_role="team_manager", period=IsoDuration(months=1)),
            Quota(1, "case", per_role="head_of_service", period=IsoDuration(months=1)),
        ),
        exclude_audited_within=None,
    )
    changed = attrs.evolve(activity, sampling=rule)
    return attrs.evolve(profile, activities=(changed, *profile.activities[1:]))


def test_a_rule_owed_by_several_roles_draws_each_roles_count(example_profile: Profile) -> None:
    profile = with_several_roles(example_profile)
    holders = {
        "team_manager": {"TM One": "Team 1", "TM Two": ["Team 2", "Team 3"]},
        "head_of_service": {"HoS": ["Team 1", "Team 2", "Team 3", "Team 4"]},
    }
    sample = sample_for_activity(
        profile, "case_file_audit", CASES, as_of=date(2026, 6, 1), seed=4, holders=holders
    )
    assert [(h.holder, h.role, h.quota, len(h.child_ids)) for h in sample.holders] == [
        ("HoS", "head_of_service", 1, 1),
        ("TM One", "team_manager", 2, 2),
        ("TM Two", "team_manager", 2, 2),
    ]
    assert sample.requested == 5
    assert len(set(sample.child_ids)) == 5
    assert sample.holder_role is None
    html = sample._repr_html_()
    assert "<th>Role</th>" in html
    assert "<td>head_of_service</td>" in html


@pytest.mark.parametrize(
    ("holders", "n", "message"),
    [
        (None, None, r"owes a count per role \(2 cases per Team Manager per month and 1 case"),
        ({"TM": "Team 1"}, None, "give the holders grouped by role"),
        ({"director": {"D": "Team 1"}}, None, "owes no count per 'director'"),
        (
            {"team_manager": {"X": "Team 1"}, "head_of_service": {"X": "Team 2"}},
            None,
            "holder 'X' is listed under 'team_manager' and 'head_of_service'",
        ),
        ({"team_manager": {"X": "Team 1"}}, 3, "n does not apply"),
    ],
)
def test_a_rule_owed_by_several_roles_needs_holders_by_role(
    example_profile: Profile, holders: Any, n: int | None, message: str
) -> None:
    with pytest.raises(SamplingError, match=message):
        sample_for_activity(
            with_several_roles(example_profile),
            "case_file_audit",
            CASES,
            as_of=date(2026, 6, 1),
            seed=4,
            holders=holders,
            n=n,
        )
