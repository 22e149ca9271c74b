"""The values of a workload plan: the staffing it is asked for, and its lines, totals and
what it cannot count."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from qaframework.errors import QAFrameworkError

__all__ = [
    "NotCounted",
    "Staffing",
    "UnitCount",
    "VersionSpan",
    "WorkloadError",
    "WorkloadLine",
    "WorkloadPlan",
    "WorkloadTotal",
]


class WorkloadError(QAFrameworkError, ValueError):
    """A staffing that does not fit the profile (an unknown role, subject or activity), or a
    year no version covers."""


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _frozen_tables(value: Mapping[str, Mapping[str, int]]) -> Mapping[str, Mapping[str, int]]:
    return MappingProxyType({key: MappingProxyType(dict(table)) for key, table in value.items()})


@attrs.frozen
class Staffing:
    """The staffing a workload is planned for: the content of a staff file.

    ``headcount`` maps a role (its id, title or abbreviation, any case) to how many people
    hold it; ``subjects`` a subject kind a quota is owed per (``supervisee``, ``child``, as
    the profile words it) to how many there are across the council; ``subjects_per_person``
    a role to the subjects each holder has (``{"team_manager": {"supervisee": 6}}``);
    ``per_occurrence`` an activity (id or name) without a quota to the items the council
    plans each time it occurs. ``source`` names the file, for messages.

    A staff file is TOML with these four tables::

        [headcount]
        "Team Manager" = 40
        service_lead = 6

        [subjects]
        supervisee = 240

        [subjects_per_person.team_manager]
        supervisee = 6

        [per_occurrence]
        quality_case_file_audits = 60
    """

    headcount: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen, hash=False)
    subjects: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen, hash=False)
    subjects_per_person: Mapping[str, Mapping[str, int]] = attrs.field(
        factory=dict, converter=_frozen_tables, hash=False
    )
    per_occurrence: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen, hash=False)
    source: str = attrs.field(default="staffing", eq=False)

    @classmethod
    def parse(cls, document: Mapping[str, Any], source: str = "staffing") -> Staffing:
        """A staffing from a parsed staff file; :class:`WorkloadError` naming every problem."""
        problems: list[str] = []
        known = ("headcount", "subjects", "subjects_per_person", "per_occurrence")
        for key in document:
            if key not in known:
                problems.append(f"{key}: unknown table (expected {', '.join(known)})")

        def counts(value: Any, where: str) -> dict[str, int]:
            if not isinstance(value, Mapping):
                problems.append(f"{where}: must be a table, not {value!r}")
                return {}
            found = {}
            for name, number in value.items():
                if type(number) is not int or number < 0:
                    problems.append(f"{where}.{name}: must be a whole number, 0 or more")
                else:
                    found[str(name)] = number
            return found

        per_person_table = document.get("subjects_per_person", {})
        per_person: dict[str, dict[str, int]] = {}
        if isinstance(per_person_table, Mapping):
            for role, table in per_person_table.items():
                per_person[str(role)] = counts(table, f"subjects_per_person.{role}")
        else:
            problems.append(f"subjects_per_person: must be a table, not {per_person_table!r}")
        staffing = cls(
            headcount=counts(document.get("headcount", {}), "headcount"),
            subjects=counts(document.get("subjects", {}), "subjects"),
            subjects_per_person=per_person,
            per_occurrence=counts(document.get("per_occurrence", {}), "per_occurrence"),
            source=source,
        )
        if problems:
            raise WorkloadError(f"{source}: " + "; ".join(problems))
        return staffing


@attrs.frozen
class WorkloadLine:
    """What one activity (or forum) asks of one role over the days its version governs.

    ``role`` is None for work not assigned to a role (shared by the roles ``basis`` names, or
    subjects no holder is given). ``count`` is the items for every holder together,
    ``count_per_person`` for each one; ``hours_each`` the typical hours of one item from the
    activity's effort (``effort`` its wording), and ``hours``/``hours_per_person`` the
    products. Each is None where unknown. ``basis`` says how the count was reached.
    """

    source: str
    id: str
    name: str
    kind: str
    unit: str
    version: str
    role: str | None
    role_title: str | None
    headcount: int | None
    count: float | None
    count_per_person: float | None
    hours_each: float | None
    hours: float | None
    hours_per_person: float | None
    effort: str | None
    basis: str


@attrs.frozen
class UnitCount:
    """How many of one unit (audit, observation, meeting ...) a role owes: in all, and for
    each person.

    Each figure adds the lines that know it, and is None when none does; ``complete`` and
    ``per_person_complete`` say whether every line of the unit knew it.
    """

    unit: str
    count: float | None
    per_person: float | None
    complete: bool
    per_person_complete: bool


@attrs.frozen
class WorkloadTotal:
    """The sum of a role's lines (or, with ``role`` None in :attr:`WorkloadPlan.total`, of
    every line): counts by unit, hours, and how many lines lack a count or hours.

    ``hours`` and ``hours_per_person`` add the lines whose hours are known and are None when
    no line's are: unknown hours are never counted as nothing.
    """

    role: str | None
    title: str
    headcount: int | None
    counts: tuple[UnitCount, ...]
    hours: float | None
    hours_per_person: float | None
    lines: int
    lines_without_count: int
    lines_without_hours: int


@attrs.frozen
class NotCounted:
    """An activity or forum the plan cannot count, and why."""

    source: str
    id: str
    name: str
    reason: str


@attrs.frozen
class VersionSpan:
    """The days of the year one profile version governs (``version`` is its label)."""

    version: str
    first: date
    last: date


@attrs.frozen
class WorkloadPlan:
    """A council's QA workload over a year (see :func:`plan_workload`).

    ``versions`` are the profile versions that govern some of the year, with their days
    (days no version governs are in none, and nothing is counted for them); ``roles`` the
    totals per role (in the profile's role order, work not assigned to a role last);
    ``total`` the council's.
    """

    profile_id: str
    authority: str
    year: str
    start: date
    end: date
    versions: tuple[VersionSpan, ...]
    lines: tuple[WorkloadLine, ...]
    roles: tuple[WorkloadTotal, ...]
    total: WorkloadTotal
    not_counted: tuple[NotCounted, ...]

    @property
    def hours_known(self) -> bool:
        """Whether every line has its hours."""
        return self.total.lines_without_hours == 0
