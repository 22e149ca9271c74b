"""Structured case filters: which children on a case list a sampling rule draws from.

A council's framework often says which cases an audit looks at: "children subject to a child
protection plan", "care leavers aged 18 and over", "privately fostered children". A
:class:`CaseFilter` states that as data: leaves that each name a case-list field, a
comparison and values (``legal_status in CP, CLA``), combined with ``all`` (and), ``any``
(or) and ``none`` (not any). The prose of the framework stays in the rule's ``criteria``,
cited; the filter is what the sampling engine applies.

Field names are the case list's columns as a profile names them: the fields every case list
is read with (``team``, ``worker``, ``service_area``), the common Annex A fields of
:data:`KNOWN_CASE_FIELDS`, or fields the profile declares in ``case_fields``
(:class:`CaseField`). A case list's column matches a field when their names are equal
ignoring case, spaces, hyphens and underscores ("Legal Status" is ``legal_status``); values
match ignoring case and surrounding or repeated spaces.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

import attrs

from qaframework.policy.citations import Citation

__all__ = [
    "KNOWN_CASE_FIELDS",
    "CaseField",
    "CaseFilter",
    "Comparison",
    "normalise_field_name",
    "normalise_value",
]


KNOWN_CASE_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "team": "the allocated team",
        "worker": "the allocated worker",
        "service_area": "the service area holding the case",
        "legal_status": "the child's legal status or plan (CIN, CP, CLA, Care Leaver, Early Help)",
        "age_band": "the child's age band (Under 1, 1-4, 5-9, 10-15, 16-17, 18+)",
        "disability": "whether the child has a disability recorded (Yes, No)",
        "gender": "the child's gender",
        "ethnicity": "the child's ethnicity",
    }
)
"""The case-list fields every profile may filter on, with what each holds. A profile declares
any other field it filters on in ``case_fields``."""


_SEPARATORS = re.compile(r"[\s_\-]+")
_SPACES = re.compile(r"\s+")


def normalise_field_name(name: str) -> str:
    """A field or column name for matching: case, spaces, hyphens and underscores ignored."""
    return _SEPARATORS.sub("", name).casefold()


def normalise_value(value: str) -> str:
    """A case-list value for matching: case and surrounding or repeated spaces ignored."""
    return _SPACES.sub(" ", value).strip().casefold()


class Comparison(enum.Enum):
    """How a leaf of a filter compares a case's value with its values.

    ``in``: the case has a value and it is one of the values. ``not_in``: the case has a
    value and it is none of them. A case with no value for the field meets neither: it is
    not recorded, so it cannot be shown to match (``none = [...]`` keeps such cases).
    """

    IN = "in"
    NOT_IN = "not_in"


@attrs.frozen
class CaseField:
    """A case-list field a profile's filters use beyond :data:`KNOWN_CASE_FIELDS`.

    ``id`` is the name filters use (lower_snake_case); ``name`` the column's header as the
    council's case lists write it; ``values`` the values they hold, when the profile knows
    them (a filter's values must then be among them).
    """

    id: str
    name: str
    citation: Citation
    description: str | None = None
    values: tuple[str, ...] = ()


@attrs.frozen
class CaseFilter:
    """Which cases a sampling rule draws from: a field test, or a combination of filters.

    Exactly one of these is given:

    - ``field`` with ``compare`` (``in`` by default) and ``values``: a leaf, such as
      ``{ field = "legal_status", values = ["CP", "CLA"] }``;
    - ``all``: every filter listed holds (and);
    - ``any``: at least one holds (or);
    - ``none``: none of them holds (not).
    """

    field: str | None = None
    compare: Comparison = Comparison.IN
    values: tuple[str, ...] = ()
    all: tuple[CaseFilter, ...] = ()
    any: tuple[CaseFilter, ...] = ()
    none: tuple[CaseFilter, ...] = ()

    def __attrs_post_init__(self) -> None:
        given = [
            name
            for name, value in (
                ("field", self.field),
                ("all", self.all),
                ("any", self.any),
                ("none", self.none),
            )
            if value
        ]
        problems: list[str] = []
        if len(given) != 1:
            problems.append(
                "a filter is one of: a field test (field, compare, values), all, any or none; "
                + (f"this one gives {', '.join(given)}" if given else "this one gives none")
            )
        if self.field is not None:
            if not self.field.strip():
                problems.append("a field test names its field")
            if not self.values:
                problems.append(f"the test of field {self.field!r} gives at least one value")
            elif any(not v.strip() for v in self.values):
                problems.append(f"the test of field {self.field!r} has a blank value")
        elif self.values or self.compare is not Comparison.IN:
            problems.append("compare and values belong to a field test: name its field")
        if problems:
            raise ValueError("; ".join(problems))

    @classmethod
    def where(cls, field: str, *values: str, compare: Comparison = Comparison.IN) -> CaseFilter:
        """A field test: ``CaseFilter.where("legal_status", "CP", "CLA")``."""
        return cls(field=field, compare=compare, values=tuple(values))

    @classmethod
    def all_of(cls, *filters: CaseFilter) -> CaseFilter:
        """Every one of ``filters`` holds."""
        return cls(all=tuple(filters))

    @classmethod
    def any_of(cls, *filters: CaseFilter) -> CaseFilter:
        """At least one of ``filters`` holds."""
        return cls(any=tuple(filters))

    @classmethod
    def none_of(cls, *filters: CaseFilter) -> CaseFilter:
        """None of ``filters`` holds."""
        return cls(none=tuple(filters))

    @property
    def is_leaf(self) -> bool:
        """Whether this is a field test."""
        return self.field is not None

    @property
    def members(self) -> tuple[CaseFilter, ...]:
        """The filters a combination joins (empty for a field test)."""
        return self.all or self.any or self.none

    def leaves(self) -> Iterator[tuple[str, CaseFilter]]:
        """Every field test with its path below this filter (``.all[1].any[0]``), in order."""
        if self.is_leaf:
            yield "", self
            return
        name = "all" if self.all else "any" if self.any else "none"
        for index, member in enumerate(self.members):
            for path, leaf in member.leaves():
                yield f".{name}[{index}]{path}", leaf

    def fields(self) -> tuple[str, ...]:
        """The fields the filter's tests name, each once, in order."""
        return tuple(dict.fromkeys(leaf.field for _, leaf in self.leaves() if leaf.field))

    def matches(self, value: Callable[[str], str | None]) -> bool:
        """Whether a case whose field values ``value`` gives meets the filter.

        ``value(field)`` is the case's value of a field, None when it has none. Values are
        compared by :func:`normalise_value`.
        """
        if self.field is not None:
            found = value(self.field)
            if found is None:
                return False
            inside = normalise_value(found) in {normalise_value(v) for v in self.values}
            return inside if self.compare is Comparison.IN else not inside
        if self.all:
            return all(member.matches(value) for member in self.all)
        if self.any:
            return any(member.matches(value) for member in self.any)
        return not any(member.matches(value) for member in self.none)

    def describe(self) -> str:
        """English: "legal status is CP or CLA, and not (service area is Early Help)"."""
        if self.field is not None:
            name = self.field.replace("_", " ")
            listed = " or ".join(self.values)
            if self.compare is Comparison.IN:
                return f"{name} is {listed}"
            return f"{name} is recorded and is not {listed}"
        parts = [m.describe() if m.is_leaf or m.none else f"({m.describe()})" for m in self.members]
        if self.all:
            return ", and ".join(parts) if len(parts) > 1 else parts[0]
        if self.any:
            return ", or ".join(parts) if len(parts) > 1 else parts[0]
        return "not (" + ", or ".join(parts) + ")"
