"""Counting in words: plurals, spans of a period, the unit each kind of activity is
counted in, and how many periods fall in a span of days."""

from __future__ import annotations

from datetime import date, timedelta

from qaframework.policy.activities import ActivityKind
from qaframework.policy.cadence import IsoDuration

__all__ = ["plural"]


_DAY = timedelta(days=1)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _periods(period: IsoDuration, first: date, last: date) -> float:
    """How many ``period``\\ s the days ``first`` to ``last`` hold, counted from ``first``:
    whole periods, then the share of the next that is left."""
    following = last + _DAY
    k = 0
    while period.add_to(first, k + 1) <= following:
        k += 1
    opens, closes = period.add_to(first, k), period.add_to(first, k + 1)
    return k + (following - opens).days / (closes - opens).days


_IRREGULAR = {"child": "children", "person": "people", "staff member": "staff members"}


def plural(noun: str, count: float | None = None) -> str:
    """A unit's noun for ``count`` of it (plural when None): "audit" for 1, "audits",
    "children", "pieces of QA work"."""
    if count == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    head, of, tail = noun.partition(" of ")
    if of:
        return f"{plural(head)}{of}{tail}"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def _span(period: IsoDuration, count: float) -> str:
    """ "12 months", "8.7 periods of 6 weeks"."""
    word = period.describe()
    if any(ch.isdigit() for ch in word):
        return f"{_number(count)} {plural('period', count)} of {word}"
    return f"{_number(count)} {plural(word, count)}"


_KIND_UNITS = {
    ActivityKind.CASE_FILE_AUDIT: "audit",
    ActivityKind.THEMATIC_AUDIT: "audit",
    ActivityKind.MULTI_AGENCY_AUDIT: "audit",
    ActivityKind.SUPERVISION_AUDIT: "audit",
    ActivityKind.DIP_SAMPLE: "case",
    ActivityKind.MODERATION: "moderation",
    ActivityKind.DIRECT_OBSERVATION: "observation",
    ActivityKind.SUPERVISION: "supervision",
    ActivityKind.REPORT: "report",
    ActivityKind.SURVEY: "survey",
}
_OCCURRENCE = "occurrence"
