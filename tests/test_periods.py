"""Financial years, quarters, months and date ranges (``qaframework.engine.periods``)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.engine.periods import FinancialQuarter, FinancialYear, Period

days = st.dates(date(1900, 4, 1), date(2200, 12, 31))
years = st.integers(1900, 2200).map(FinancialYear)
quarters = st.builds(FinancialQuarter, years, st.integers(1, 4))


@given(days)
def test_a_day_is_in_the_financial_year_and_quarter_containing_it(day: date) -> None:
    year = FinancialYear.containing(day)
    quarter = FinancialQuarter.containing(day)
    assert day in year
    assert day in quarter
    assert day in year.period()
    assert day in quarter.period()
    assert quarter.year == year
    assert year.start <= day <= year.end
    assert quarter.start <= day <= quarter.end
    assert day not in year.previous()
    assert day not in quarter.next()
    assert day not in quarter.previous()


@given(years)
def test_financial_year_label_round_trip(year: FinancialYear) -> None:
    assert FinancialYear.parse(year.label) == year
    assert FinancialYear.parse(str(year)) == year
    assert FinancialYear.parse(f"FY{year.start_year}/{year.start_year + 1}") == year


@given(quarters)
def test_financial_quarter_label_round_trip(quarter: FinancialQuarter) -> None:
    assert FinancialQuarter.parse(quarter.label) == quarter
    assert Period.parse(quarter.label) == quarter.period()


@given(years)
def test_quarters_partition_the_year(year: FinancialYear) -> None:
    quarters = year.quarters()
    assert [q.number for q in quarters] == [1, 2, 3, 4]
    assert quarters[0].start == year.start == date(year.start_year, 4, 1)
    assert quarters[-1].end == year.end == date(year.start_year + 1, 3, 31)
    for before, after in itertools.pairwise(quarters):
        assert after.start == before.end + timedelta(days=1)
        assert before.next() == after
        assert after.previous() == before
    assert sum(q.period().days for q in quarters) == year.period().days
    assert year.quarter(2) == quarters[1]


@given(quarters)
def test_quarters_order_and_step(quarter: FinancialQuarter) -> None:
    assert quarter < quarter.next()
    assert quarter.previous() < quarter
    assert quarter.next().previous() == quarter
    assert quarter.next().start == quarter.end + timedelta(days=1)


@given(st.integers(1000, 9999), st.integers(1, 12))
def test_month_round_trip(year: int, month: int) -> None:
    period = Period.month(year, month)
    assert period.label == f"{year}-{month:02d}"
    assert period.start == date(year, month, 1)
    assert (period.end.year, period.end.month) == (year, month)
    assert period.end == date.max or (period.end + timedelta(days=1)).day == 1
    assert Period.parse(period.label) == period


@given(days, st.integers(0, 1000))
def test_range_round_trip(start: date, length: int) -> None:
    period = Period(start, start + timedelta(days=length))
    assert period.days == length + 1
    assert Period.parse(period.label) == period
    assert period.start in period
    assert period.end in period
    assert period.end + timedelta(days=1) not in period


def test_financial_year_examples() -> None:
    year = FinancialYear.parse("2026-27")
    assert (year.start, year.end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert year.label == "2026-27"
    assert FinancialYear.parse("2026/27") == year
    assert FinancialYear.parse("2026-2027") == year
    assert FinancialYear.parse(" fy 2026-27 ") == year
    assert FinancialYear.parse("1999-00") == FinancialYear(1999)
    assert FinancialYear.containing(date(2026, 3, 31)) == FinancialYear(2025)
    assert FinancialYear.containing(date(2026, 4, 1)) == FinancialYear(2026)


@pytest.mark.parametrize(
    "text", ["2026-28", "2026/2028", "2026", "26-27", "FY 2026", "２０２６-27"]
)
def test_financial_year_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="financial year"):
        FinancialYear.parse(text)


def test_financial_quarter_examples() -> None:
    q1 = FinancialQuarter.parse("2026-27 Q1")
    assert (q1.start, q1.end) == (date(2026, 4, 1), date(2026, 6, 30))
    q4 = FinancialQuarter.parse("FY2026-27 Q4")
    assert (q4.start, q4.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert FinancialQuarter.parse("2026/27-q3") == FinancialQuarter(FinancialYear(2026), 3)
    assert q4.next() == FinancialQuarter.parse("2027-28 Q1")
    assert q1.previous() == FinancialQuarter.parse("2025-26 Q4")


@pytest.mark.parametrize("number", [0, 5, -1])
def test_quarter_numbers_are_one_to_four(number: int) -> None:
    with pytest.raises(ValueError, match="numbered 1 to 4"):
        FinancialQuarter(FinancialYear(2026), number)


@pytest.mark.parametrize("text", ["2026-27 Q5", "Q1", "2026-27"])
def test_financial_quarter_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="financial"):
        FinancialQuarter.parse(text)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-27", date(2026, 4, 1), date(2027, 3, 31), "2026-27"),
        ("2026-27 Q2", date(2026, 7, 1), date(2026, 9, 30), "2026-27 Q2"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026-12"),
        # A month number above 12 reads as a financial year.
        ("2012-13", date(2012, 4, 1), date(2013, 3, 31), "2012-13"),
        ("2011/12", date(2011, 4, 1), date(2012, 3, 31), "2011-12"),
        (
            "2026-04-01..2026-05-12",
            date(2026, 4, 1),
            date(2026, 5, 12),
            "2026-04-01..2026-05-12",
        ),
    ],
)
def test_period_parse(text: str, start: date, end: date, label: str) -> None:
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("text", ["last month", "2026-13-01", "2026-5", ""])
def test_period_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a period"):
        Period.parse(text)


def test_period_parse_rejects_impossible_dates() -> None:
    with pytest.raises(ValueError, match="month"):
        Period.parse("2026-00-01..2026-01-01")


def test_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="cannot end"):
        Period(date(2026, 5, 2), date(2026, 5, 1))
    with pytest.raises(ValueError, match="cannot end"):
        Period.parse("2026-05-02..2026-05-01")


def test_the_last_month_a_date_can_hold() -> None:
    assert Period.month(9999, 12).end == date(9999, 12, 31)


def test_period_month_rejects_bad_month() -> None:
    with pytest.raises(ValueError, match="1 to 12"):
        Period.month(2026, 13)


def test_containment_ignores_non_dates() -> None:
    year = FinancialYear(2026)
    assert "2026-05-01" not in year
    assert None not in FinancialQuarter(year, 1)
    assert 5 not in year.period()
