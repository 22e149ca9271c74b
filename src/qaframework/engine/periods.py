"""Reporting periods: financial years (April to March), their quarters, months and date ranges.

Councils report on the financial year: 2026-27 runs from 1 April 2026 to 31 March 2027, and
its Q1 is April to June. A :class:`Period` is any inclusive date range with a label; the
parsers accept the spellings analysts type (``2026-27``, ``2026/27``, ``2026-27 Q1``,
``2026-05``, ``2026-04-01..2026-06-30``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from html import escape

import attrs

__all__ = ["FinancialQuarter", "FinancialYear", "Period"]

# ASCII only: ``\d`` would also match other scripts' digits, which ``int`` accepts.
_FY = re.compile(r"(?:FY\s*)?(\d{4})\s*[-/]\s*(\d{2}|\d{4})", re.IGNORECASE | re.ASCII)
_FQ = re.compile(r"(.+?)\s*[-\s]?\s*Q([1-4])", re.IGNORECASE | re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", re.ASCII)


@attrs.frozen(order=True)
class FinancialYear:
    """The financial year starting 1 April of ``start_year`` (2026-27 has ``start_year`` 2026)."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read ``2026-27``, ``2026/27``, ``2026-2027`` or ``FY2026-27``."""
        match = _FY.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a financial year (expected e.g. 2026-27)")
        first = int(match.group(1))
        second = match.group(2)
        expected = first + 1
        if int(second) != (expected if len(second) == 4 else expected % 100):
            raise ValueError(f"{text!r} is not a financial year: {second} does not follow {first}")
        return cls(first)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        """The financial year ``day`` falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> date:
        """1 April."""
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        """31 March of the following calendar year."""
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        """``2026-27``."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def quarter(self, number: int) -> FinancialQuarter:
        """Quarter 1 to 4 of this year."""
        return FinancialQuarter(self, number)

    def quarters(self) -> tuple[FinancialQuarter, ...]:
        """Q1 to Q4."""
        return tuple(FinancialQuarter(self, n) for n in range(1, 5))

    def period(self) -> Period:
        """This year as a :class:`Period`."""
        return Period(self.start, self.end, self.label)

    def previous(self) -> FinancialYear:
        """The year before."""
        return FinancialYear(self.start_year - 1)


def _check_quarter(_i: object, _a: object, value: int) -> None:
    if value not in (1, 2, 3, 4):
        raise ValueError(f"a financial quarter is numbered 1 to 4, got {value!r}")


@attrs.frozen(order=True)
class FinancialQuarter:
    """A quarter of a financial year: Q1 is April to June, Q4 is January to March."""

    year: FinancialYear
    number: int = attrs.field(validator=_check_quarter)

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """Read ``2026-27 Q1`` (also ``2026/27-Q1``, ``FY2026-27 Q4``)."""
        match = _FQ.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a financial quarter (expected e.g. 2026-27 Q1)")
        return cls(FinancialYear.parse(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> FinancialQuarter:
        """The quarter ``day`` falls in."""
        fy = FinancialYear.containing(day)
        months_in = (day.month - 4) % 12
        return cls(fy, months_in // 3 + 1)

    @property
    def start(self) -> date:
        """First day of the quarter."""
        month = 4 + 3 * (self.number - 1)
        year = self.year.start_year
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        following = self.next().start
        return following - timedelta(days=1)

    @property
    def label(self) -> str:
        """``2026-27 Q1``."""
        return f"{self.year.label} Q{self.number}"

    def __str__(self) -> str:
        return self.label

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def next(self) -> FinancialQuarter:
        """The quarter after."""
        if self.number == 4:
            return FinancialQuarter(FinancialYear(self.year.start_year + 1), 1)
        return FinancialQuarter(self.year, self.number + 1)

    def previous(self) -> FinancialQuarter:
        """The quarter before."""
        if self.number == 1:
            return FinancialQuarter(self.year.previous(), 4)
        return FinancialQuarter(self.year, self.number - 1)

    def period(self) -> Period:
        """This quarter as a :class:`Period`."""
        return Period(self.start, self.end, self.label)


def _long_date(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


@attrs.frozen(order=True)
class Period:
    """An inclusive date range with a label, the unit reports and queries work over."""

    start: date
    end: date
    label: str = attrs.field(default="", order=False)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")
        if not self.label:
            object.__setattr__(self, "label", f"{self.start.isoformat()}..{self.end.isoformat()}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a financial year, a financial quarter, a month ``2026-05`` or ``start..end``.

        ``YYYY-MM`` with a month number 01 to 12 is read as a month.
        """
        value = text.strip()
        if match := _RANGE.fullmatch(value):
            return cls(date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2)))
        # ``YYYY-MM`` with MM from 01 to 12 is a month; financial years before 2013 that look
        # like months can be written 2011/12 or FY2011-12.
        if (match := _MONTH.fullmatch(value)) and 1 <= int(match.group(2)) <= 12:
            return cls.month(int(match.group(1)), int(match.group(2)))
        try:
            return FinancialQuarter.parse(value).period()
        except ValueError:
            pass
        try:
            return FinancialYear.parse(value).period()
        except ValueError:
            pass
        raise ValueError(
            f"{text!r} is not a period: use a financial year (2026-27), a quarter "
            "(2026-27 Q1), a month (2026-05) or a range (2026-04-01..2026-05-12)"
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """A calendar month."""
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1 to 12, got {month}")
        # The month's own length, not "first of next month less a day": December 9999 has no
        # following month in ``datetime``.
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), f"{year}-{month:02d}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label

    def _repr_html_(self) -> str:
        # A label is text from a caller or a council's export: escaped.
        return (
            f'<p class="qaframework-period"><strong>{escape(self.label)}</strong>: '
            f"{_long_date(self.start)} to {_long_date(self.end)} "
            f"({self.days} day{'s' if self.days != 1 else ''})</p>"
        )

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1
