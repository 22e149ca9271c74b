"""ISO 8601 durations, cadences and quotas (``qaframework.policy.cadence``)."""

from __future__ import annotations

import itertools
from calendar import monthrange
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.policy.cadence import (
    Cadence,
    CadenceKind,
    IsoDuration,
    Quota,
    QuotaQualifier,
    describe_quotas,
)
from qaframework.testing import strategies as qst

durations = st.builds(
    IsoDuration,
    years=st.integers(0, 30),
    months=st.integers(0, 40),
    weeks=st.integers(0, 120),
    days=st.integers(0, 400),
)
# Short non-zero steps keep the occurrence properties fast and their windows busy.
steps = st.builds(
    IsoDuration,
    years=st.integers(0, 1),
    months=st.integers(0, 14),
    weeks=st.integers(0, 8),
    days=st.integers(0, 40),
).filter(lambda d: not d.is_zero)
month_steps = st.builds(IsoDuration, years=st.integers(0, 2), months=st.integers(0, 13)).filter(
    lambda d: not d.is_zero
)
event_names = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
cadences = st.one_of(
    steps.map(Cadence.periodic),
    st.just(Cadence.ongoing()),
    st.just(Cadence.as_required()),
    st.lists(event_names, min_size=1, max_size=4).map(lambda events: Cadence.on_event(*events)),
)
days = st.dates(date(2000, 1, 1), date(2040, 12, 31))


# -- IsoDuration -----------------------------------------------------------------------------


@given(durations)
def test_duration_string_round_trip(duration: IsoDuration) -> None:
    assert IsoDuration.parse(str(duration)) == duration


@given(st.from_regex(r"P([0-9]{1,6}Y)?([0-9]{1,6}M)?([0-9]{1,6}W)?([0-9]{1,6}D)?", fullmatch=True))
def test_generated_duration_strings_parse_and_format_stably(text: str) -> None:
    if text == "P":
        with pytest.raises(ValueError, match="not an ISO 8601 duration"):
            IsoDuration.parse(text)
        return
    duration = IsoDuration.parse(text)
    assert IsoDuration.parse(str(duration)) == duration
    assert str(IsoDuration.parse(str(duration))) == str(duration)


@given(
    st.tuples(
        st.none() | st.integers(1, 999),
        st.none() | st.integers(1, 999),
        st.none() | st.integers(1, 999),
        st.none() | st.integers(1, 999),
    ).filter(any)
)
def test_canonical_duration_strings_format_unchanged(parts: tuple[int | None, ...]) -> None:
    text = "P" + "".join(
        f"{value}{unit}" for value, unit in zip(parts, "YMWD", strict=True) if value is not None
    )
    assert str(IsoDuration.parse(text)) == text


def test_weeks_stay_weeks() -> None:
    duration = IsoDuration.parse("P6W")
    assert (duration.weeks, duration.days) == (6, 0)
    assert str(duration) == "P6W"
    assert duration.total_days == 42


def test_zero_duration_formats_as_p0d() -> None:
    assert str(IsoDuration()) == "P0D"
    assert IsoDuration.parse("P0D").is_zero
    assert IsoDuration.parse("P0Y") == IsoDuration()


@pytest.mark.parametrize(
    "text", ["", "P", "6W", "PT4H", "P1DT2H", "P1.5M", "P-1M", "P1W1M", "p1m", "P1Y 2M", "P６W"]
)
def test_duration_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601 duration"):
        IsoDuration.parse(text)


def test_duration_parse_rejects_non_string() -> None:
    with pytest.raises(TypeError, match="must be a string"):
        IsoDuration.parse(6)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs", [{"years": -1}, {"months": -2}, {"weeks": 1.5}, {"days": True}, {"days": "3"}]
)
def test_duration_components_are_non_negative_integers(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="non-negative integer"):
        IsoDuration(**kwargs)  # type: ignore[arg-type]


def test_duration_totals_and_rates() -> None:
    duration = IsoDuration(years=1, months=2, weeks=3, days=4)
    assert duration.total_months == 14
    assert duration.total_days == 25
    assert IsoDuration(years=1).per_year() == pytest.approx(1)
    assert IsoDuration(months=1).per_year() == pytest.approx(12)
    assert IsoDuration(weeks=6).per_year() == pytest.approx(365.2425 / 42)
    with pytest.raises(ValueError, match="zero duration"):
        IsoDuration().per_year()


def test_times() -> None:
    assert IsoDuration(months=2, days=1).times(3) == IsoDuration(months=6, days=3)
    assert IsoDuration(weeks=2).times(0).is_zero


def test_month_end_anchors_do_not_drift() -> None:
    month = IsoDuration(months=1)
    assert month.add_to(date(2026, 1, 31)) == date(2026, 2, 28)
    assert month.add_to(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert IsoDuration(months=2).add_to(date(2026, 1, 31)) == date(2026, 3, 31)
    assert month.add_to(date(2024, 1, 31)) == date(2024, 2, 29)
    assert month.subtract_from(date(2026, 3, 31)) == date(2026, 2, 28)
    assert IsoDuration(years=1).add_to(date(2024, 2, 29)) == date(2025, 2, 28)


@given(anchor=days, every=month_steps, n=st.integers(-60, 60))
def test_month_multiples_keep_the_anchor_day(anchor: date, every: IsoDuration, n: int) -> None:
    landed = every.add_to(anchor, n)
    assert landed.day == min(anchor.day, monthrange(landed.year, landed.month)[1])
    assert (landed.year - anchor.year) * 12 + landed.month - anchor.month == every.total_months * n


@given(anchor=days, every=st.builds(IsoDuration, weeks=st.integers(0, 10), days=st.integers(0, 30)))
def test_week_and_day_steps_are_exact(anchor: date, every: IsoDuration) -> None:
    assert every.add_to(anchor, 3) == anchor + timedelta(days=3 * every.total_days)
    assert every.subtract_from(anchor) == anchor - timedelta(days=every.total_days)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("P1W", "week"),
        ("P2W", "fortnight"),
        ("P1M", "month"),
        ("P3M", "quarter"),
        ("P1Y", "year"),
        ("P1D", "day"),
        ("P6W", "6 weeks"),
        ("P2M", "2 months"),
        ("P1Y6M", "1 year 6 months"),
        ("P12M", "12 months"),
        ("P0D", "no time"),
    ],
)
def test_duration_describe(text: str, words: str) -> None:
    assert IsoDuration.parse(text).describe() == words


# -- Cadence ---------------------------------------------------------------------------------


@given(cadences)
def test_cadence_string_round_trip(cadence: Cadence) -> None:
    assert Cadence.parse(str(cadence)) == cadence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P6W", Cadence(CadenceKind.PERIODIC, every=IsoDuration(weeks=6))),
        ("ongoing", Cadence(CadenceKind.ONGOING)),
        ("regular", Cadence(CadenceKind.REGULAR)),
        ("as-required", Cadence(CadenceKind.AS_REQUIRED)),
        (
            "on-event:case_transfer, case_closure",
            Cadence(CadenceKind.ON_EVENT, events=("case_transfer", "case_closure")),
        ),
    ],
)
def test_cadence_parse(text: str, expected: Cadence) -> None:
    assert Cadence.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("weekly", "not a cadence"),
        (" P1M ", "surrounding spaces"),
        ("as required", "not a cadence"),
        ("P0D", "non-zero duration"),
        ("PX", "ISO 8601 duration"),
        ("on-event:", "lower_snake_case"),
        ("on-event:Case Transfer", "lower_snake_case"),
    ],
)
def test_cadence_parse_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Cadence.parse(text)


# -- per-case event cadences -------------------------------------------------------------------


@given(qst.cadences(kinds=[CadenceKind.BEFORE_EVENT, CadenceKind.AFTER_EVENT]))
def test_per_case_event_cadences_round_trip_as_strings(cadence: Cadence) -> None:
    text = str(cadence)
    assert text.startswith(("before-event:", "after-event:"))
    assert Cadence.parse(text) == cadence
    assert str(Cadence.parse(text)) == text
    assert not cadence.is_periodic
    assert cadence.occurrences(date(2026, 4, 1), date(2026, 1, 1), date(2027, 1, 1)) == []


@pytest.mark.parametrize(
    ("text", "expected", "words"),
    [
        (
            "before-event:case_closure",
            Cadence.before_event("case_closure"),
            "before each case closure",
        ),
        (
            "before-event:case_closure/5WD",
            Cadence.before_event("case_closure", working_days=5),
            "at least 5 working days before each case closure",
        ),
        (
            "before-event:case_transfer,case_closure/P1W",
            Cadence.before_event("case_transfer", "case_closure", offset="P1W"),
            "at least 1 week before each case transfer or case closure",
        ),
        (
            "after-event:case_closure",
            Cadence.after_event("case_closure"),
            "after each case closure",
        ),
        (
            "after-event:case_closure/10WD",
            Cadence.after_event("case_closure", working_days=10),
            "within 10 working days after each case closure",
        ),
        (
            "after-event:panel/P12M/then/P1Y",
            Cadence.after_event("panel", offset="P12M", then="P1Y"),
            "within 12 months after the first panel, then within 1 year of the last",
        ),
    ],
)
def test_per_case_event_cadences_parse_and_read(text: str, expected: Cadence, words: str) -> None:
    assert Cadence.parse(text) == expected
    assert str(expected) == text
    assert expected.describe() == words
    assert expected.kind.is_per_case_event


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("before-event:", "lower_snake_case"),
        ("before-event:Case Closed", "lower_snake_case"),
        ("before-event:case_closure/P1Y/then/P1Y", "only an after-event cadence recurs"),
        ("after-event:panel/then/P1Y", "'then' follows a first delay"),
        ("after-event:panel/P12M/then/P0D", "not zero"),
        ("after-event:panel/P0D", "not zero"),
        ("after-event:panel/0WD", "a number of working days"),
        ("after-event:panel/5wd", "a number of working days"),
        ("after-event:panel/soon", "ISO 8601 duration"),
        ("after-event:panel/P1M/P2M", "one delay"),
        ("on-event:case_closure/P1W", "takes no delay"),
    ],
)
def test_per_case_event_cadences_reject(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Cadence.parse(text)


def test_per_case_event_cadence_invariants() -> None:
    with pytest.raises(ValueError, match="not both"):
        Cadence.before_event("case_closure", offset="P1W", working_days=2)
    with pytest.raises(ValueError, match="takes no delay"):
        Cadence(CadenceKind.ON_EVENT, events=("x",), working_days=2)
    with pytest.raises(ValueError, match="takes no delay"):
        Cadence(CadenceKind.PERIODIC, every=IsoDuration(months=1), then=IsoDuration(years=1))
    with pytest.raises(ValueError, match="at least one event"):
        Cadence.after_event()


def test_cadence_parse_rejects_non_string() -> None:
    with pytest.raises(TypeError, match="must be a string"):
        Cadence.parse(None)  # type: ignore[arg-type]


def test_cadence_invariants() -> None:
    with pytest.raises(ValueError, match="non-zero duration"):
        Cadence(CadenceKind.PERIODIC)
    with pytest.raises(ValueError, match="takes no duration"):
        Cadence(CadenceKind.ONGOING, every=IsoDuration(months=1))
    with pytest.raises(ValueError, match="at least one event"):
        Cadence.on_event()
    with pytest.raises(ValueError, match="takes no events"):
        Cadence(CadenceKind.AS_REQUIRED, events=("case_transfer",))
    with pytest.raises(ValueError, match="takes no events"):
        Cadence(CadenceKind.PERIODIC, every=IsoDuration(weeks=1), events=("x",))


@pytest.mark.parametrize(
    ("cadence", "words"),
    [
        (Cadence.periodic("P6W"), "every 6 weeks"),
        (Cadence.periodic("P1M"), "every month"),
        (Cadence.periodic("P2W"), "every fortnight"),
        (Cadence.periodic("P3M"), "every quarter"),
        (Cadence.periodic("P6M"), "every 6 months"),
        (Cadence.on_event("case_transfer", "case_closure"), "on case transfer or case closure"),
        (Cadence.ongoing(), "ongoing"),
        (Cadence.as_required(), "as required"),
    ],
)
def test_cadence_describe(cadence: Cadence, words: str) -> None:
    assert cadence.describe() == words


def _index_of(every: IsoDuration, anchor: date, day: date) -> int | None:
    """The k with ``anchor + k * every == day``, searched around the average step."""
    estimate = round((day - anchor).days / every.approximate_days)
    for k in range(estimate - 3, estimate + 4):
        if every.add_to(anchor, k) == day:
            return k
    return None


@given(every=steps, anchor=days, start=days, length=st.integers(-5, 900))
def test_occurrences_are_exactly_the_multiples_in_the_window(
    every: IsoDuration, anchor: date, start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    found = Cadence.periodic(every).occurrences(anchor, start, end)
    if end < start:
        assert found == []
        return
    assert all(a < b for a, b in itertools.pairwise(found)), "sorted and unique"
    assert all(start <= day <= end for day in found)
    ks = [_index_of(every, anchor, day) for day in found]
    assert None not in ks, "every occurrence is anchor + k * every"
    if found:
        first, last = ks[0], ks[-1]
        assert first is not None
        assert last is not None
        assert ks == list(range(first, last + 1)), "no multiple inside the window is skipped"
        assert every.add_to(anchor, first - 1) < start
        assert every.add_to(anchor, last + 1) > end
    else:
        estimate = round((start - anchor).days / every.approximate_days)
        assert any(
            every.add_to(anchor, k) < start and every.add_to(anchor, k + 1) > end
            for k in range(estimate - 4, estimate + 4)
        ), "an empty window lies strictly between two consecutive multiples"


@given(every=steps, anchor=days, day=days)
def test_next_on_or_after_is_the_first_occurrence(
    every: IsoDuration, anchor: date, day: date
) -> None:
    cadence = Cadence.periodic(every)
    following = cadence.next_on_or_after(anchor, day)
    assert following is not None
    assert following >= day
    assert _index_of(every, anchor, following) is not None
    assert cadence.occurrences(anchor, day, following - timedelta(days=1)) == []


def test_next_on_or_after_a_long_mixed_step() -> None:
    # 15 months and 44 days: the next occurrence lies further from 11 February 2038 than one
    # step counted from that day.
    cadence = Cadence.periodic("P1Y3M2W30D")
    assert cadence.next_on_or_after(date(2034, 1, 1), date(2038, 2, 11)) == date(2039, 6, 26)
    assert cadence.next_on_or_after(date(2034, 1, 1), date(2038, 2, 10)) == date(2038, 2, 10)


def test_occurrences_of_a_two_monthly_cadence_from_a_month_end() -> None:
    found = Cadence.periodic("P2M").occurrences(
        date(2026, 1, 31), date(2026, 1, 1), date(2026, 12, 31)
    )
    assert found == [
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 5, 31),
        date(2026, 7, 31),
        date(2026, 9, 30),
        date(2026, 11, 30),
    ]


def test_occurrences_before_the_anchor_count_backwards() -> None:
    found = Cadence.periodic("P6W").occurrences(
        date(2026, 4, 1), date(2026, 1, 1), date(2026, 4, 1)
    )
    assert found == [date(2026, 1, 7), date(2026, 2, 18), date(2026, 4, 1)]


@pytest.mark.parametrize(
    "cadence", [Cadence.ongoing(), Cadence.as_required(), Cadence.on_event("case_transfer")]
)
def test_cadences_without_dates(cadence: Cadence) -> None:
    assert not cadence.is_periodic
    assert cadence.occurrences(date(2026, 1, 1), date(2026, 1, 1), date(2027, 1, 1)) == []
    assert cadence.next_on_or_after(date(2026, 1, 1), date(2026, 6, 1)) is None


# -- Quota -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quota", "role_title", "words"),
    [
        (
            Quota(1, "audit", per_role="team_manager", period=IsoDuration(months=1)),
            "Team Manager",
            "1 audit per Team Manager per month",
        ),
        (
            Quota(1, "audit", per_role="team_manager", period=IsoDuration(months=1)),
            None,
            "1 audit per team_manager per month",
        ),
        (Quota(35, "case", QuotaQualifier.APPROXIMATELY), None, "approximately 35 cases"),
        (Quota(40, "case", QuotaQualifier.FOR_EXAMPLE), None, "e.g. 40 cases"),
        (
            Quota(
                1,
                "observation",
                QuotaQualifier.AT_LEAST,
                per="supervisee",
                period=IsoDuration(years=1),
            ),
            None,
            "at least 1 observation per supervisee per year",
        ),
        (Quota(6, "case", count_max=7), None, "6 or 7 cases"),
        (Quota(1, "case", count_max=2), None, "1 or 2 cases"),
        (Quota(3, "audit", count_max=3), None, "3 audits"),
        (Quota(10, "case", QuotaQualifier.UP_TO), None, "up to 10 cases"),
        (Quota(0, "case"), None, "0 cases"),
        (Quota(2, "activity"), None, "2 activities"),
        (Quota(2, "box"), None, "2 boxes"),
        (Quota(2, "day", period=IsoDuration(weeks=6)), None, "2 days per 6 weeks"),
    ],
)
def test_quota_describe(quota: Quota, role_title: str | None, words: str) -> None:
    assert quota.describe(role_title) == words


def test_several_quotas_are_described_one_per_role() -> None:
    quotas = (
        Quota(2, "audit", per_role="team_manager", period=IsoDuration(months=1)),
        Quota(1, "audit", per_role="advanced_practitioner", period=IsoDuration(months=1)),
    )
    titles = {"team_manager": "Team Manager", "advanced_practitioner": "Advanced Practitioner"}
    assert describe_quotas(quotas, titles.get) == (
        "2 audits per Team Manager per month and 1 audit per Advanced Practitioner per month"
    )
    assert describe_quotas(quotas[0]) == "2 audits per team_manager per month"
    assert describe_quotas(None) == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": -1, "unit": "case"}, "cannot be negative"),
        ({"count": 5, "unit": "case", "count_max": 4}, "below count"),
        ({"count": 1, "unit": "  "}, "names its unit"),
    ],
)
def test_quota_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Quota(**kwargs)  # type: ignore[arg-type]
