"""The synthetic workforce: who holds each role of a profile version, and whom a
quota is owed per."""

from __future__ import annotations

import math
from collections.abc import Sequence

from qaframework.demo.synthetic.draws import _Draw
from qaframework.demo.synthetic.organisation import Organisation, StaffMember, SyntheticError
from qaframework.engine.audits import Audit
from qaframework.policy.profile import Profile
from qaframework.policy.roles import GenericRole
from qaframework.policy.sampling import Case

__all__: list[str] = []


# Subject kinds a quota may be owed per, in the words profiles use.
_SUPERVISEES = frozenset({"supervisee", "staff member", "practitioner", "worker", "social worker"})
_CHILDREN = frozenset({"child", "young person"})
_FAMILIES = frozenset({"family"})
_AUDITS = frozenset({"audit"})
_AUDITORS = frozenset({"auditor"})


_PREFIX = {
    GenericRole.PRACTITIONER: "pr",
    GenericRole.SENIOR_PRACTITIONER: "sp",
    GenericRole.TEAM_MANAGER: "tm",
    GenericRole.SERVICE_LEAD: "sl",
    GenericRole.HEAD_OF_SERVICE: "hos",
    GenericRole.ASSISTANT_DIRECTOR: "ad",
    GenericRole.DIRECTOR: "dcs",
    GenericRole.CHIEF_EXECUTIVE: "ce",
    GenericRole.ELECTED_MEMBER: "cllr",
    GenericRole.QA_MANAGER: "qam",
    GenericRole.QA_TEAM: "qa",
    GenericRole.PRINCIPAL_SOCIAL_WORKER: "psw",
    GenericRole.PRACTICE_LEAD: "pl",
    GenericRole.INDEPENDENT_REVIEWER: "ro",
    GenericRole.PERFORMANCE_TEAM: "pi",
    GenericRole.LEARNING_AND_DEVELOPMENT: "ld",
    GenericRole.BUSINESS_SUPPORT: "bs",
    GenericRole.LEADERSHIP_TEAM: "lt",
    GenericRole.PRACTITIONER_GROUP: "pg",
    GenericRole.PARTNER_AGENCY: "pa",
    GenericRole.CHILD_OR_FAMILY: "cf",
}
# Who audits most: front-line managers, then reviewers and QA staff; directors least.
_AUDITOR_WEIGHT = {
    GenericRole.TEAM_MANAGER: 6.0,
    GenericRole.SENIOR_PRACTITIONER: 3.0,
    GenericRole.INDEPENDENT_REVIEWER: 2.0,
    GenericRole.QA_MANAGER: 2.0,
    GenericRole.QA_TEAM: 3.0,
    GenericRole.SERVICE_LEAD: 1.5,
    GenericRole.HEAD_OF_SERVICE: 1.0,
    GenericRole.PRINCIPAL_SOCIAL_WORKER: 1.0,
    GenericRole.PRACTICE_LEAD: 1.0,
    GenericRole.ASSISTANT_DIRECTOR: 0.3,
    GenericRole.DIRECTOR: 0.2,
}
# Roles held in each team (the first of the profile's roles with these generic roles).
_TEAM_ROLES = (
    GenericRole.PRACTITIONER,
    GenericRole.SENIOR_PRACTITIONER,
    GenericRole.TEAM_MANAGER,
)


class _Workforce:
    """The people of an organisation, and which of them hold each role of one version.

    People are places in the organisation (a team's manager, a service area's lead, the
    council's reviewing officers), so that the same person keeps their id under every
    version of the profile: the first practitioner, Team Manager and senior practitioner
    roles are held in each team, the other service-lead level roles once per service area,
    and the rest across the council.
    """

    def __init__(self, organisation: Organisation, profile: Profile) -> None:
        self.profile = profile
        areas = organisation.service_areas
        teams = organisation.teams
        self._holders: dict[str, tuple[StaffMember, ...]] = {}
        self._local: dict[tuple[str, str], list[StaffMember]] = {}
        self.team_manager: dict[str, StaffMember] = {}
        self.workers: dict[str, tuple[StaffMember, ...]] = {}
        ordinal: dict[GenericRole, int] = {}
        for role in profile.roles:
            rank = ordinal.get(role.generic, 0)
            ordinal[role.generic] = rank + 1
            prefix = _PREFIX[role.generic] + (str(rank + 1) if rank else "")
            people: list[StaffMember] = []
            if rank == 0 and role.generic in _TEAM_ROLES:
                each = organisation.workers_per_team if role.generic is _TEAM_ROLES[0] else 1
                for team, area in teams:
                    members = tuple(
                        StaffMember(f"{prefix}.{len(people) + k + 1:03d}", role.id, team, area.name)
                        for k in range(each)
                    )
                    people.extend(members)
                    if role.generic is GenericRole.PRACTITIONER:
                        self.workers[team] = members
                    elif role.generic is GenericRole.TEAM_MANAGER:
                        self.team_manager[team] = members[0]
            elif role.generic in (*_TEAM_ROLES, GenericRole.SERVICE_LEAD):
                people.extend(
                    StaffMember(f"{prefix}.{n + 1:03d}", role.id, None, area.name)
                    for n, area in enumerate(areas)
                )
            else:
                size = _council_size(role.generic, len(areas), len(teams))
                people.extend(StaffMember(f"{prefix}.{n + 1:03d}", role.id) for n in range(size))
            self._holders[role.id] = tuple(people)
            for person in people:
                if person.service_area is not None:
                    key = (role.id, person.service_area)
                    self._local.setdefault(key, []).append(person)
        if not self.workers or not self.team_manager:
            raise SyntheticError(
                f"profile {profile.label} has no practitioner or no team manager role "
                "(generic roles 'practitioner' and 'team_manager'): a case list needs both"
            )
        self.practitioner_role = self.workers[teams[0][0]][0].role
        self.manager_role = self.team_manager[teams[0][0]].role

    @property
    def everyone(self) -> tuple[StaffMember, ...]:
        """Every person, role by role in the profile's order."""
        return tuple(p for role in self.profile.roles for p in self._holders[role.id])

    def holders(self, role_id: str) -> tuple[StaffMember, ...]:
        """The people holding a role."""
        return self._holders[role_id]

    def supervisees(self) -> tuple[StaffMember, ...]:
        """The practitioners, team by team."""
        return tuple(p for members in self.workers.values() for p in members)

    def near(self, role_id: str, area: str | None, draw: _Draw) -> StaffMember:
        """A holder of the role, in service area ``area`` where the role sits in areas."""
        local = self._local.get((role_id, area)) if area is not None else None
        return draw.pick(local or self._holders[role_id])


def _subject_ids(
    kind: str,
    profile: Profile,
    people: _Workforce,
    cases: Sequence[Case],
    audits: Sequence[Audit],
) -> tuple[str, ...] | None:
    """The ids of the subjects of ``kind`` a quota is owed per, None for a kind unknown here.

    A role id names its holders; "supervisee" (or "staff member", "practitioner", "worker")
    the practitioners; "child" or "young person" the children of the case list; "family"
    their families; "audit" the audits.
    """
    if kind in profile._lookup["roles"]:
        return tuple(p.id for p in people.holders(kind))
    if kind in _SUPERVISEES:
        return tuple(p.id for p in people.supervisees())
    if kind in _CHILDREN:
        return tuple(c.child_id for c in cases)
    if kind in _FAMILIES:
        return tuple(dict.fromkeys(c.fields["Family ID"] for c in cases))
    if kind in _AUDITS:
        return tuple(a.id for a in audits)
    return None


def _council_size(generic: GenericRole, areas: int, teams: int) -> int:
    if generic is GenericRole.HEAD_OF_SERVICE:
        return max(1, math.ceil(areas / 2))
    if generic is GenericRole.INDEPENDENT_REVIEWER:
        return max(2, teams // 4)
    if generic is GenericRole.QA_TEAM:
        return 4
    if generic is GenericRole.PRACTICE_LEAD:
        return 3
    return 1
