"""How a profile problem names the ids an unknown one is not among, and the values a case
filter names that its field does not declare."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence

from qaframework.policy.case_filters import CaseField, CaseFilter, normalise_value

__all__ = ["LISTED_IN_FULL", "declared_names", "undeclared_values"]

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


def undeclared_values(
    leaf: CaseFilter, fields: Mapping[str, CaseField]
) -> Iterator[tuple[int, str]]:
    """Each value a case filter's field test (``leaf``) names that its field, declared in
    ``fields`` (by id) with the values it takes, does not list: the value's index and the
    problem's message. A field not in ``fields``, or declared without values, takes any
    value. Values are compared as :func:`~qaframework.policy.case_filters.normalise_value`
    reads them."""
    field = fields.get(leaf.field or "")
    if field is None or not field.values:
        return
    allowed = {normalise_value(v) for v in field.values}
    for index, value in enumerate(leaf.values):
        if normalise_value(value) not in allowed:
            yield (
                index,
                f"{value!r} is not a value of case field {field.id!r} "
                f"({declared_names(field.values, value)})",
            )
