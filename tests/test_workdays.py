"""Working days: weekends and England and Wales bank holidays (``qaframework.policy.workdays``)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.policy.workdays import WorkingCalendar, england_and_wales

# England and Wales bank holidays as the ``holidays`` package gives them (checked against it,
# not written from memory): Easter 2027 is 28 March, so Good Friday is 26 March.
BANK_HOLIDAYS_2026_27 = {
    date(2026, 12, 25): "Christmas Day",
    date(2026, 12, 28): "Boxing Day (observed)",
    date(2027, 1, 1): "New Year's Day",
    date(2027, 3, 26): "Good Friday",
    date(2027, 3, 29): "Easter Monday",
    date(2027, 5, 3): "May Day",
    date(2027, 12, 27): "Christmas Day (observed)",
    date(2027, 12, 28): "Boxing Day (observed)",
}
REFERENCE = holidays.country_holidays("GB", subdiv="ENG", years=range(2020, 2032))
days = st.dates(date(2020, 1, 1), date(2030, 12, 31))


def is_working(day: date) -> bool:
    """Monday to Friday and not a bank holiday, by the reference table."""
    return day.weekday() < 5 and day not in REFERENCE and day not in BANK_HOLIDAYS_2026_27


@pytest.mark.parametrize("day", sorted(BANK_HOLIDAYS_2026_27))
def test_bank_holidays_are_not_working_days(calendar: WorkingCalendar, day: date) -> None:
    assert day in REFERENCE, "the fixture table agrees with the holidays package"
    assert not calendar.is_working_day(day)
    assert calendar.holiday_name(day) == BANK_HOLIDAYS_2026_27[day]


def test_ordinary_days(calendar: WorkingCalendar) -> None:
    assert calendar.is_working_day(date(2026, 12, 24))  # Thursday
    assert not calendar.is_working_day(date(2026, 12, 26))  # Saturday and Boxing Day
    assert not calendar.is_working_day(date(2026, 12, 27))  # Sunday
    assert calendar.holiday_name(date(2026, 12, 24)) is None
    assert calendar.holiday_name(date(2023, 5, 8)) == "Coronation of Charles III"


def test_christmas_2026(calendar: WorkingCalendar) -> None:
    # Thursday 24 December; Friday 25th, the weekend, Monday 28th (substitute Boxing Day) off.
    assert calendar.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert calendar.add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 29)
    assert calendar.roll_forward(date(2026, 12, 25)) == date(2026, 12, 29)
    # Thursday 31 December; Friday 1 January off.
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 4


def test_easter_2027(calendar: WorkingCalendar) -> None:
    # Thursday 25 March 2027; Good Friday 26th to Easter Monday 29th off.
    assert calendar.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert calendar.add_working_days(date(2027, 3, 25), 2) == date(2027, 3, 31)
    assert calendar.roll_forward(date(2027, 3, 26)) == date(2027, 3, 30)


@given(days, st.integers(0, 30))
def test_working_day_arithmetic_lands_on_working_days(day: date, count: int) -> None:
    calendar = england_and_wales()
    result = calendar.add_working_days(day, count)
    assert is_working(result)
    assert result >= day
    assert calendar.working_days_between(calendar.roll_forward(day), result) == count
    # No working day between the rolled-forward start and the result is skipped.
    assert (
        sum(
            is_working(calendar.roll_forward(day) + timedelta(days=n))
            for n in range(1, (result - calendar.roll_forward(day)).days + 1)
        )
        == count
    )


@given(days)
def test_zero_working_days_is_the_same_working_day(day: date) -> None:
    calendar = england_and_wales()
    result = calendar.add_working_days(day, 0)
    if is_working(day):
        assert result == day
    else:
        assert result > day
        assert is_working(result)
        assert not any(is_working(day + timedelta(days=n)) for n in range((result - day).days))


@given(days)
def test_roll_forward_is_idempotent(day: date) -> None:
    calendar = england_and_wales()
    rolled = calendar.roll_forward(day)
    assert calendar.roll_forward(rolled) == rolled
    assert calendar.is_working_day(rolled) == is_working(rolled) is True


@given(days, st.integers(0, 30))
def test_subtracting_working_days_mirrors_adding_them(day: date, count: int) -> None:
    calendar = england_and_wales()
    earlier = calendar.subtract_working_days(day, count)
    assert calendar.is_working_day(earlier)
    assert earlier <= day
    # Exactly ``count`` working days lie after it, up to the last working day on or before day.
    assert calendar.working_days_between(earlier, calendar.roll_back(day)) == count


def test_at_least_two_working_days_before_a_closure_on_tuesday_after_easter() -> None:
    # Easter Monday 6 April 2026 and Good Friday 3 April 2026 are not working days.
    calendar = england_and_wales()
    assert calendar.subtract_working_days(date(2026, 4, 7), 2) == date(2026, 4, 1)
    assert calendar.subtract_working_days(date(2026, 4, 6), 0) == date(2026, 4, 2)
    with pytest.raises(ValueError, match=">= 0"):
        calendar.subtract_working_days(date(2026, 4, 6), -1)


def test_negative_count_is_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="count must be >= 0"):
        calendar.add_working_days(date(2026, 6, 1), -1)


def test_working_days_between_is_zero_when_end_not_after_start(calendar: WorkingCalendar) -> None:
    assert calendar.working_days_between(date(2026, 6, 3), date(2026, 6, 3)) == 0
    assert calendar.working_days_between(date(2026, 6, 3), date(2026, 6, 1)) == 0
    # Monday 1 June to Monday 8 June 2026: Tuesday to Friday, then Monday.
    assert calendar.working_days_between(date(2026, 6, 1), date(2026, 6, 8)) == 5


def test_extra_closures() -> None:
    closure = date(2026, 6, 3)
    local = WorkingCalendar("Exampleshire", extra_closures={closure: "Council closure day"})
    assert not local.is_working_day(closure)
    assert local.holiday_name(closure) == "Council closure day"
    assert local.add_working_days(date(2026, 6, 2), 1) == date(2026, 6, 4)
    assert england_and_wales().add_working_days(date(2026, 6, 2), 1) == closure


def test_other_jurisdictions() -> None:
    # 2 January is a bank holiday in Scotland, not in England and Wales.
    scotland = WorkingCalendar("Scotland", subdivision="SCT")
    assert not scotland.is_working_day(date(2026, 1, 2))
    assert england_and_wales().is_working_day(date(2026, 1, 2))


def test_default_calendar_is_shared() -> None:
    assert england_and_wales() is england_and_wales()
    assert england_and_wales().country == "GB"
    assert england_and_wales().subdivision == "ENG"
