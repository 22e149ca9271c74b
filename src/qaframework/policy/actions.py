"""Action timescales as a profile states them, and where an action stands.

An :class:`ActionTimescale` says when actions set by an activity's audits fall due and are
reviewed (fixed by the profile, or set in the audit), who owns them and who tracks them;
:class:`ActionStatus` is an action's state (open, done, verified). These are the values a
profile and an audit hold; :mod:`qaframework.engine.actions.ledger` dates and tracks the actions.
"""

from __future__ import annotations

import enum

import attrs

from qaframework.policy.cadence import IsoDuration
from qaframework.policy.citations import Citation

__all__ = [
    "ActionStatus",
    "ActionTimescale",
]


class ActionStatus(enum.Enum):
    """Where an action stands: set, done, or done and checked to have made a difference."""

    OPEN = "open"
    DONE = "done"
    VERIFIED = "verified"


@attrs.frozen
class ActionTimescale:
    """When actions from an activity fall due and are reviewed.

    ``due`` and ``review`` are measured from the audit date. ``due`` is the latest an action
    may fall due ("within one month"): an audit may set a sooner date, and one that sets none
    gets ``due``. ``due`` None means the audit itself sets the timescale (``set_in_audit``);
    the profile then records what it assumes when an audit sets none in ``default_due``.
    ``grades`` limits the timescale to audits whose final grade is one of them (all audits
    when empty).
    """

    id: str
    applies_to: tuple[str, ...]
    owner: str
    citation: Citation
    due: IsoDuration | None = None
    review: IsoDuration | None = None
    set_in_audit: bool = False
    default_due: IsoDuration | None = None
    tracked_by: tuple[str, ...] = ()
    reviewed_in: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.due is None and self.default_due is None:
            raise ValueError("an action timescale gives due, or default_due when set in audit")
        if self.due is not None and self.set_in_audit:
            raise ValueError("due is fixed by the profile or set in the audit, not both")
        if self.set_in_audit != (self.due is None):
            raise ValueError("set_in_audit is true exactly when due is not given")
        if self.due is not None and self.default_due is not None:
            raise ValueError("default_due applies only when the audit sets the timescale")
        effective_due = self.due or self.default_due
        if (
            self.review is not None
            and effective_due is not None
            and self.review.approximate_days < effective_due.approximate_days
        ):
            raise ValueError(f"review {self.review} comes before due {effective_due}")
