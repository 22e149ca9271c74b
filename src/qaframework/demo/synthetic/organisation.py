"""How a council is organised for synthetic data: service areas, teams and staff."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from qaframework.errors import QAFrameworkError

__all__ = ["Organisation", "ServiceArea", "StaffMember", "SyntheticError"]


class SyntheticError(QAFrameworkError, ValueError):
    """Synthetic data cannot be made as asked (no version in force, a profile without the
    practitioner and team manager roles a case list needs)."""


def _non_empty(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{attribute.name} cannot be empty")


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not value > 0:
        raise ValueError(f"{attribute.name} must be a positive number, got {value!r}")


@attrs.frozen
class ServiceArea:
    """A service area of a council: its teams and the legal statuses its children have.

    ``legal_statuses`` are Annex A-like words (``CIN``, ``CP``, ``CLA``, ``Care Leaver``,
    ``Early Help``) a child held by the area's teams may have.
    """

    name: str = attrs.field(validator=_non_empty)
    teams: tuple[str, ...] = attrs.field(validator=_non_empty)
    legal_statuses: tuple[str, ...] = attrs.field(default=("CIN",), validator=_non_empty)


@attrs.frozen
class Organisation:
    """How a council is organised, for synthetic data: profiles do not say.

    ``workers_per_team`` practitioners hold about ``children_per_worker`` children each.
    ``audits_per_team_per_month`` sets the volume of a graded activity whose profile gives
    no quota (a case file audit at this rate; other periodic audits at a quarter of it, and
    activities undertaken as required at a tenth).
    """

    service_areas: tuple[ServiceArea, ...] = attrs.field(validator=_non_empty)
    workers_per_team: int = attrs.field(default=5, validator=_positive)
    children_per_worker: int = attrs.field(default=8, validator=_positive)
    audits_per_team_per_month: float = attrs.field(default=2.0, validator=_positive)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for area in self.service_areas:
            for team in area.teams:
                if team in seen:
                    raise ValueError(f"team {team!r} is named in more than one place")
                seen.add(team)

    @classmethod
    def from_document(
        cls, document: Mapping[str, Any], source: str = "organisation"
    ) -> Organisation:
        """An organisation from plain data (a parsed TOML or JSON file, see
        ``examples/bolton/organisation.toml``); :class:`SyntheticError` naming every problem
        with its path."""
        from cattrs.errors import BaseValidationError

        from qaframework.profiles.converter import from_dict, problems_from_exception

        try:
            return from_dict(cls, dict(document))
        except (BaseValidationError, ValueError, TypeError) as exc:
            problems = problems_from_exception(exc)
            listed = "; ".join(f"{p.path}: {p.message}" for p in problems)
            raise SyntheticError(f"{source}: not an organisation ({listed})") from None

    @property
    def teams(self) -> tuple[tuple[str, ServiceArea], ...]:
        """Every team with its service area, in order."""
        return tuple((team, area) for area in self.service_areas for team in area.teams)

    @classmethod
    def generic(cls) -> Organisation:
        """A plain council's service areas, for a profile with no organisation of its own."""
        return cls(
            (
                ServiceArea("Early Help", ("Early Help 1", "Early Help 2"), ("Early Help",)),
                ServiceArea("Front Door", ("Front Door",), ("Assessment",)),
                ServiceArea(
                    "Assessment and Child Protection",
                    ("Assessment 1", "Assessment 2", "Child Protection 1", "Child Protection 2"),
                    ("Assessment", "CIN", "CP"),
                ),
                ServiceArea(
                    "Children in Care and Care Leavers",
                    ("Children in Care 1", "Children in Care 2", "Care Leavers"),
                    ("CLA", "Care Leaver"),
                ),
                ServiceArea("Disabled Children", ("Disabled Children",), ("CIN", "CP", "CLA")),
            )
        )


@attrs.frozen
class StaffMember:
    """One person of the synthetic workforce: a pseudonymous id and the role they hold.

    ``team`` and ``service_area`` are where a team or service-area role sits; None for a
    role that spans the council.
    """

    id: str
    role: str
    team: str | None = None
    service_area: str | None = None
