"""Working days: weekends and England and Wales bank holidays.

Escalation deadlines ("same working day") and action timescales are counted in working
days. The calendar of bank holidays comes from the ``holidays`` package (the one-off days
such as the 2023 coronation included), so a deadline never falls on a weekend or a bank
holiday. The package is imported on first use, not at ``import qaframework``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import TypeAlias

import attrs

__all__ = ["HolidaySource", "WorkingCalendar", "bank_holidays", "england_and_wales"]

HolidaySource: TypeAlias = Callable[[str, "str | None", int], Mapping[date, str]]
"""Gives the bank holidays of a country (and subdivision) in a year, by day, with names:
:func:`bank_holidays`, or a cache of what it gives."""


def bank_holidays(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    """The bank holidays of ``country``/``subdivision`` (codes of the ``holidays`` package:
    ``GB``, ``ENG``) in ``year``, by day, with their names (one-off days included)."""
    import holidays

    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return {day: str(name) for day, name in sorted(found.items())}


@attrs.frozen
class WorkingCalendar:
    """Monday to Friday, less the bank holidays of ``country``/``subdivision``.

    ``country`` and ``subdivision`` are codes of the ``holidays`` package (``GB``, ``ENG``);
    ``extra_closures`` adds days the council closes (a local holiday), with their names.
    ``holidays_source`` gives a year's bank holidays (:func:`bank_holidays` when None; the
    profile machinery gives one that keeps them between runs).
    """

    name: str
    country: str = "GB"
    subdivision: str | None = "ENG"
    extra_closures: Mapping[date, str] = attrs.field(factory=dict, eq=False, hash=False)
    holidays_source: HolidaySource | None = attrs.field(
        default=None, eq=False, hash=False, repr=False
    )
    _cache: dict[int, Mapping[date, str]] = attrs.field(
        factory=dict, init=False, repr=False, eq=False, hash=False
    )

    def _holidays(self, year: int) -> Mapping[date, str]:
        found = self._cache.get(year)
        if found is None:
            source = self.holidays_source if self.holidays_source is not None else bank_holidays
            found = self._cache[year] = source(self.country, self.subdivision, year)
        return found

    def holiday_name(self, day: date) -> str | None:
        """The bank holiday (or council closure) on ``day``, None on other days."""
        if day in self.extra_closures:
            return self.extra_closures[day]
        name = self._holidays(day.year).get(day)
        return str(name) if name is not None else None

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a bank holiday or closure."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def roll_forward(self, day: date) -> date:
        """``day`` if it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The working day ``count`` working days after ``day``.

        ``count`` 0 is ``day`` itself when it is a working day, the next working day when it
        is not (the "same working day" rule).
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        current = self.roll_forward(day)
        for _ in range(count):
            current = self.roll_forward(current + timedelta(days=1))
        return current

    def roll_back(self, day: date) -> date:
        """``day`` if it is a working day, else the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def subtract_working_days(self, day: date, count: int) -> date:
        """The working day ``count`` working days before ``day``: the latest day for
        something due "at least ``count`` working days before" ``day``.

        ``count`` 0 is ``day`` itself when it is a working day, the working day before it
        when it is not. The mirror of :meth:`add_working_days`.
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        current = self.roll_back(day)
        for _ in range(count):
            current = self.roll_back(current - timedelta(days=1))
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count = 0
        current = start + timedelta(days=1)
        while current <= end:
            count += self.is_working_day(current)
            current += timedelta(days=1)
        return count


def england_and_wales() -> WorkingCalendar:
    """The default calendar: England and Wales bank holidays (the two share their days)."""
    return _ENGLAND_AND_WALES


_ENGLAND_AND_WALES = WorkingCalendar("England and Wales bank holidays")
