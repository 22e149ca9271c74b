"""The errors qaframework raises.

Every error the library raises on purpose derives from :class:`QAFrameworkError`, so a
caller can catch the library's own failures without catching programming errors.
Errors about data say *where* the problem is: a profile path such as
``$.activities[2].who[0]``, or a file, row and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

__all__ = [
    "NoVersionInForce",
    "Problem",
    "ProfileError",
    "QAFrameworkError",
    "UnknownProfile",
]


class QAFrameworkError(Exception):
    """Base class of every error qaframework raises on purpose."""


@attrs.frozen(order=True)
class Problem:
    """One thing wrong with a piece of data, and where it is.

    ``path`` is a JSONPath-like location inside the document (``$.roles[3].title``);
    ``message`` says what is wrong in a sentence a profile author can act on.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProfileError(QAFrameworkError):
    """A profile failed validation. ``problems`` lists every problem found, not just the first."""

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"{source}: {count} problem{'s' if count != 1 else ''}"]
        lines.extend(f"  {p}" for p in self.problems)
        super().__init__("\n".join(lines))


class UnknownProfile(QAFrameworkError, LookupError):
    """No installed plugin registers a profile with this id."""

    def __init__(self, profile_id: str, available: Iterable[str]) -> None:
        self.profile_id = profile_id
        self.available = tuple(sorted(available))
        known = ", ".join(self.available) or "none installed"
        super().__init__(f"unknown profile {profile_id!r} (available: {known})")


class NoVersionInForce(QAFrameworkError, LookupError):
    """A profile exists but none of its versions was in force on the requested date."""

    def __init__(
        self, profile_id: str, as_of: date, spans: Iterable[tuple[date, date | None]]
    ) -> None:
        self.profile_id = profile_id
        self.as_of = as_of
        self.spans = tuple(spans)
        earliest = min(start for start, _ in self.spans)
        covered = "; ".join(
            f"{start.isoformat()} to {end.isoformat() if end else 'now'}"
            for start, end in self.spans
        )
        if as_of < earliest:
            lead = f"the earliest version takes effect on {earliest.isoformat()}"
        else:
            lead = f"versions cover {covered}"
        super().__init__(
            f"profile {profile_id!r} has no version in force on {as_of.isoformat()}: {lead}"
        )
