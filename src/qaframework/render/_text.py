"""How values read in Markdown and HTML: counts, shares with intervals, changes, dates.

CSV and XLSX write numbers as numbers (see their modules); this is the text a board member
reads. A suppressed figure is the policy's marker (``c``), one that does not apply ``n/a``.
"""

from __future__ import annotations

import re
from datetime import date

from qaframework.engine.report import Share
from qaframework.render._document import Missing, Number, Points, Ratio, Signed, Value

__all__ = [
    "NOT_APPLICABLE",
    "is_figure",
    "long_date",
    "missing_words",
    "percent",
    "slug",
    "text",
]

NOT_APPLICABLE = "n/a"
"""What Markdown and HTML print for a figure that does not apply (a share of no audits)."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """``5 May 2026``, whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def percent(value: float) -> str:
    """A proportion as a whole percentage: ``0.672`` is ``67%``."""
    return f"{value * 100:.0f}%"


def _share(share: Share) -> str:
    if share.value is None or share.lower is None or share.upper is None:
        return NOT_APPLICABLE
    return f"{percent(share.value)} ({percent(share.lower)} to {percent(share.upper)})"


def missing_words(value: Missing, marker: str) -> str:
    """What every format writes for a figure not shown: the marker where suppressed,
    ``n/a``, ``no data`` or ``not recorded in this export``."""
    if value is Missing.SUPPRESSED:
        return marker
    if value is Missing.NOT_APPLICABLE:
        return NOT_APPLICABLE
    words: str = value.value
    return words


def text(value: Value, marker: str) -> str:
    """How ``value`` reads: ``1,234``; ``67% (56% to 77%)``; ``+3``; ``+5.0 points``; the
    marker where suppressed; ``no data``, ``not recorded in this export``."""
    if isinstance(value, Missing):
        return missing_words(value, marker)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Share):
        return _share(value)
    if isinstance(value, Signed):
        return f"{value.value:+,}" if value.value else "0"
    if isinstance(value, Points):
        points = value.value * 100
        return "0.0 points" if round(points, 1) == 0 else f"{points:+.1f} points"
    if isinstance(value, Ratio):
        return percent(value.value)
    if isinstance(value, Number):
        return f"{value.value:.{value.places}f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def is_figure(value: Value) -> bool:
    """Whether ``value`` is a figure (aligned right in a table) rather than words."""
    return not isinstance(value, str | date)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(value: str) -> str:
    """A file-name-safe form: ``2026-27 Q1`` is ``2026-27-q1``, ``a..b`` is ``a-to-b``."""
    return _NOT_SLUG.sub("-", value.lower().replace("..", "-to-")).strip("-")
