"""Known unknowns: a rule whose existence a source states but whose details it does not.

A framework may say that an audit's findings are "shared with the worker's manager" without a
timescale, or that moderation takes "a sample based on the number of audits" without a size.
The rule exists and is cited; a detail of it is not stated. A profile writes such a detail as
the string ``"not stated"`` in place of its value, and the value model holds
:data:`NOT_STATED` there. Nothing fills it in: an engine that meets it says that the profile
does not know (no deadline, so nothing is overdue; no sample size, so no sample is drawn)
rather than inventing a value.

The fields that may be not stated are listed in :data:`MAY_BE_NOT_STATED` (cadences, which
are strings of their own, take ``"not stated"`` too: see
:class:`~qaframework.policy.cadence.Cadence`).
"""

from __future__ import annotations

import enum

__all__ = ["MAY_BE_NOT_STATED", "NOT_STATED", "NOT_STATED_TEXT", "NotStated"]

NOT_STATED_TEXT = "not stated"
"""How a profile writes a detail its source does not state."""


class NotStated(enum.Enum):
    """The value of a detail the profile's source does not state (one member:
    :data:`NOT_STATED`)."""

    NOT_STATED = NOT_STATED_TEXT

    def __str__(self) -> str:
        return NOT_STATED_TEXT


NOT_STATED = NotStated.NOT_STATED
"""A detail the source does not state: written ``"not stated"`` in a profile's data."""


MAY_BE_NOT_STATED: dict[str, tuple[str, ...]] = {
    "activities": ("cadence", "quota.count", "reported_via", "sampling.size.count"),
    "forums": ("cadence",),
    "reporting_lines": ("cadence",),
    "moderation": ("cadence", "selection[].proportion", "selection[].count"),
    "escalation": ("recipients", "deadline", "follow_up", "consequence.owner"),
}
"""For each section, the fields of its items that may be written ``"not stated"``."""
