"""How a profile problem names the ids an unknown one is not among."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

__all__ = ["LISTED_IN_FULL", "declared_names"]

LISTED_IN_FULL = 30
"""Up to this many declared ids are listed in full where an unknown one is named: the four
councils' roles, forums and reporting lines are (12 to 22 of each); Telford & Wrekin's 35
standards and 59 activities, and Swindon's 33 activities, are counted, with the nearest."""


def declared_names(names: Sequence[str], value: str) -> str:
    """The declared ``names`` an unknown ``value`` is not among, as a problem says them: every
    one (``declared: a, b, c``) up to :data:`LISTED_IN_FULL`, else how many there are and
    the few most like ``value`` (``40 declared; nearest: a, b``), so that a profile declaring
    hundreds of ids gets a line per wrong reference, not a list of them all each time."""
    if not names:
        return "declared: none"
    if len(names) <= LISTED_IN_FULL:
        return "declared: " + ", ".join(names)
    nearest = difflib.get_close_matches(value, names, n=3)
    return f"{len(names)} declared; " + (
        f"nearest: {', '.join(nearest)}" if nearest else "none like it"
    )
