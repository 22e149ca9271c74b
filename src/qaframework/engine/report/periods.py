"""The periods a cycle report covers: a council's cycle, a named period, the periods before one."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from qaframework.engine.periods import FinancialQuarter, FinancialYear, Period
from qaframework.engine.report.errors import CycleReportError
from qaframework.policy.cadence import Cadence
from qaframework.policy.profile import Profile

if TYPE_CHECKING:
    pass

__all__ = [
    "council_cycle",
    "previous_period",
    "report_period",
    "trailing_periods",
]

_ONE_DAY = timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Periods: a council's cycle, and the periods before a period
# ---------------------------------------------------------------------------------------------


def council_cycle(profile: Profile, day: date, *, activity: str | None = None) -> Period:
    """The council's audit cycle that holds ``day``: Bolton's 6-weekly cycle, a monthly one.

    The cycle is that of ``activity`` (an activity id of the profile), by default the graded
    activity with the shortest periodic cadence (the first in the profile's order on a tie).
    Cycles are counted from the activity's ``anchor``, or the profile's ``schedule_anchor``,
    as the QA calendar counts them: Bolton's cycles from 1 April 2026 run 1 April to 12 May,
    13 May to 23 June ...
    """
    if activity is None:
        periodic = [a for a in profile.activities if a.graded and a.cadence.every is not None]
        if not periodic:
            raise CycleReportError(
                f"profile {profile.label} has no graded activity with a periodic cadence, so "
                "it has no audit cycle: report on a month, a quarter or a year instead"
            )
        chosen = min(periodic, key=lambda a: _cadence_days(a.cadence))
    else:
        try:
            chosen = profile.activity(activity)
        except KeyError as error:
            raise CycleReportError(error.args[0]) from None
    every = chosen.cadence.every
    if every is None:
        raise CycleReportError(
            f"activity {chosen.id!r} ({chosen.name}) of profile {profile.label} has no "
            f"periodic cadence ({chosen.cadence}), so it has no cycle"
        )
    anchor = chosen.anchor or profile.schedule_anchor
    starts = chosen.cadence.occurrences(anchor, every.subtract_from(day, 2), every.add_to(day, 2))
    # Two cycles either side of the day always hold it.
    return next(
        Period(start, following - _ONE_DAY)
        for start, following in pairwise(starts)
        if start <= day < following
    )


def _cadence_days(cadence: Cadence) -> float:
    """A periodic cadence's mean length in days (infinite for one that is not periodic)."""
    return cadence.every.approximate_days if cadence.every is not None else math.inf


def _whole_months(period: Period) -> int | None:
    """The number of calendar months ``period`` spans exactly, None if not whole months."""
    after = period.end + _ONE_DAY
    if period.start.day != 1 or after.day != 1:
        return None
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def _month_label(start: date, months: int) -> str:
    if months == 1:
        return f"{start.year}-{start.month:02d}"
    if months == 3 and start.month in (1, 4, 7, 10):
        return FinancialQuarter.containing(start).label
    if months == 12 and start.month == 4:
        return FinancialYear.containing(start).label
    return ""


def previous_period(period: Period) -> Period:
    """The period of the same length immediately before ``period``.

    A period of whole calendar months steps back by months (the month, financial quarter or
    financial year before, labelled as such); any other period steps back by its number of
    days (the council's previous cycle).
    """
    months = _whole_months(period)
    if months is not None:
        start = period.start - relativedelta(months=months)
        return Period(start, period.start - _ONE_DAY, _month_label(start, months))
    return Period(period.start - timedelta(days=period.days), period.start - _ONE_DAY)


def trailing_periods(period: Period, count: int) -> tuple[Period, ...]:
    """The ``count`` periods ending with ``period``, oldest first, each the one before the next."""
    if count < 1:
        raise CycleReportError(f"a trend covers at least one period, got {count}")
    found = [period]
    for _ in range(count - 1):
        found.append(previous_period(found[-1]))
    return tuple(reversed(found))


_CYCLE = re.compile(r"cycle[:\s]\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE | re.ASCII)


def report_period(text: str, profile: Profile | None = None) -> Period:
    """Read a report period: ``cycle:2026-05-20`` (the council's cycle holding that day, which
    needs ``profile``), a financial year ``2026-27``, a quarter ``2026-27 Q1``, a month
    ``2026-05`` or a range ``2026-04-01..2026-05-12``."""
    match = _CYCLE.fullmatch(text.strip())
    if match is None:
        try:
            return Period.parse(text)
        except ValueError as error:
            raise CycleReportError(
                f"{error}, or the council's cycle holding a day (cycle:2026-05-20)"
            ) from None
    if profile is None:
        raise CycleReportError(f"{text!r} names a council's cycle: give the profile")
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError as error:
        raise CycleReportError(f"{text!r}: {error}") from None
    return council_cycle(profile, day)
