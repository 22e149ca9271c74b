"""Synthetic data for a council's profile: case lists, audits and activity logs, from a seed.

Demonstrations, examples and tests need data that looks like a council's without being
anyone's. :func:`generate` makes it for any profile from the profile's own data and an
:class:`Organisation` (service areas and their teams, which profiles do not hold):

- a case list (Annex A-like :class:`~qaframework.policy.sampling.Case` rows: child, team, worker,
  service area, legal status, age band, gender, disability, family, start date);
- audits of the profile's graded activities over the window: as many as a quota owed per
  role holder asks (Manchester: one a month by each Team Manager), otherwise
  ``audits_per_team_per_month``; grades drawn so that most are good or requires
  improvement and fewer outstanding or inadequate, teams differing in quality; one
  judgement per standard of the activity, correlated with the overall grade, with strengths
  and "what would have made it better" notes from small phrase banks (every field the
  activity requires, such as Bolton's rationale, is filled);
- moderation of the audits the profile's own policies select
  (:func:`~qaframework.engine.moderation.select_for_moderation`), mostly agreeing, sometimes one
  grade up or down;
- concerns the profile has escalation rules for: urgent safety (rare, likelier on poor
  grades), health where a rule names it, practice concerns raised by the roles a rule
  names;
- actions with due and review dates from the profile's timescales
  (:func:`~qaframework.engine.actions.ledger.smart_action_dates`), open, done or verified as of the
  window's end, some overdue;
- a log of the activities the profile's obligations count
  (:func:`~qaframework.engine.obligations.obligations`): observations and supervision per
  supervisee, care planning meetings and events per child, audits and moderations per Team
  Manager, with realistic lapses.

Every record uses pseudonymous ids (``B104523``, ``tm.004``), never names. Each audit
passes :func:`~qaframework.engine.audits.check_audit` against the profile version in force on its
date. The same seed gives the same data on every machine and Python version: draws use
only ``random.Random.random``, whose sequence Python keeps stable, through separately
seeded streams, so that changing one part (the audits) does not reshuffle another (the
case list).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from statistics import NormalDist
from typing import Any, TypeVar

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.actions.ledger import ActionDates, action_timescale_for, smart_action_dates
from qaframework.engine.audits import Audit, AuditAction, Judgement
from qaframework.engine.escalation import working_calendar_for
from qaframework.engine.moderation import record_moderation, select_for_moderation
from qaframework.engine.obligations import Obligation, WindowKind, obligations
from qaframework.engine.periods import Period
from qaframework.errors import QAFrameworkError
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import Activity, ActivityKind, FeedbackSource
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.escalation import Concern, TriggerKind
from qaframework.policy.grades import Ilacs
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.roles import GenericRole
from qaframework.policy.sampling import Case
from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "LoggedActivity",
    "Organisation",
    "ServiceArea",
    "StaffMember",
    "SyntheticData",
    "SyntheticError",
    "generate",
]

T = TypeVar("T")
_DAY = timedelta(days=1)
_DAYS_PER_MONTH = 365.2425 / 12


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


@attrs.frozen
class LoggedActivity:
    """One line of an activity log: a completed activity, or with ``event`` a case event.

    The shape of :class:`qaframework.engine.obligations.LogEntry` (and of
    ``qaframework.io.ActivityLogEntry``): ``activity`` an activity id of the profile,
    ``subject`` whom it concerns, ``on`` the day, ``role`` the role id of who did it.
    """

    activity: str
    subject: str
    on: date
    role: str | None = None
    event: str | None = None


@attrs.frozen
class SyntheticData:
    """What :func:`generate` made: one council's data over ``start`` to ``end``.

    ``staff`` is the workforce under the version in force on ``end``; ``audits`` are in date
    order; ``log`` in date order. ``not_logged`` names obligations whose subjects (what the
    quota is owed per) the generator cannot make up, so the log leaves them out.
    """

    profile_id: str
    seed: int
    start: date
    end: date
    organisation: Organisation
    staff: tuple[StaffMember, ...]
    cases: tuple[Case, ...]
    audits: tuple[Audit, ...]
    log: tuple[LoggedActivity, ...]
    not_logged: tuple[str, ...] = ()

    def roster(self, profile: Profile) -> dict[str, tuple[str, ...]]:
        """Subjects of ``profile``'s obligations, for
        :func:`~qaframework.engine.obligations.obligations_due`'s ``roster``: each kind an
        obligation is owed per (``supervisee``, ``child``, ``team_manager``) with its ids."""
        people = _Workforce(self.organisation, profile)
        found: dict[str, tuple[str, ...]] = {}
        for kind in sorted({o.owed_per for o in obligations(profile)}):
            ids = _subject_ids(kind, profile, people, self.cases, self.audits)
            if ids is not None:
                found[kind] = ids
        return found


# Subject kinds a quota may be owed per, in the words profiles use.
_SUPERVISEES = frozenset({"supervisee", "staff member", "practitioner", "worker", "social worker"})
_CHILDREN = frozenset({"child", "young person"})
_FAMILIES = frozenset({"family"})
_AUDITS = frozenset({"audit"})
_AUDITORS = frozenset({"auditor"})


# ---------------------------------------------------------------------------------------------
# Reproducible draws
# ---------------------------------------------------------------------------------------------


class _Draw:
    """Draws from one named stream of a seed, using only ``random()``.

    ``random.Random(n).random()`` gives the same sequence on every platform and Python
    version; ``choice``, ``sample``, ``randrange`` and ``gauss`` are not promised to.
    """

    __slots__ = ("_random",)

    def __init__(self, seed: int, *stream: str) -> None:
        digest = hashlib.sha256(":".join((str(seed), *stream)).encode("utf-8")).digest()
        self._random = random.Random(int.from_bytes(digest[:8], "big")).random

    def unit(self) -> float:
        """Uniform in [0, 1)."""
        return self._random()

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self._random() < p

    def below(self, n: int) -> int:
        """A whole number from 0 to ``n`` - 1 (``n`` >= 1)."""
        return min(int(self._random() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high`` inclusive."""
        return low + self.below(high - low + 1)

    def pick(self, items: Sequence[T]) -> T:
        """One of ``items`` (not empty)."""
        return items[self.below(len(items))]

    def weighted(self, weights: Sequence[float]) -> int:
        """An index drawn in proportion to ``weights`` (positive total)."""
        target = self._random() * sum(weights)
        total = 0.0
        for index, weight in enumerate(weights):
            total += weight
            if target < total:
                return index
        return len(weights) - 1

    def normal(self) -> float:
        """A standard normal value, by the inverse of the distribution function."""
        return _STANDARD.inv_cdf(min(max(self._random(), 1e-12), 1 - 1e-12))

    def count(self, expected: float) -> int:
        """A whole number whose mean is ``expected`` (rounded up or down at random)."""
        whole = math.floor(expected)
        return whole + (1 if self._random() < expected - whole else 0)


_STANDARD = NormalDist()


# ---------------------------------------------------------------------------------------------
# The workforce
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# The case list
# ---------------------------------------------------------------------------------------------

_AGE_BANDS = ("Under 1", "1-4", "5-9", "10-15", "16-17")
_AGE_WEIGHTS = (0.08, 0.22, 0.27, 0.32, 0.11)


def _cases(
    organisation: Organisation, people: _Workforce, prefix: str, start: date, seed: int
) -> tuple[Case, ...]:
    draw = _Draw(seed, "cases")
    used: set[int] = set()
    families = 0
    cases: list[Case] = []
    for team, area in organisation.teams:
        for worker in people.workers[team]:
            remaining = max(1, organisation.children_per_worker + draw.between(-2, 2))
            while remaining > 0:
                families += 1
                family = f"F{families:05d}"
                status = draw.pick(area.legal_statuses)
                opened = start - timedelta(days=draw.between(14, 900))
                size = min(remaining, 1 + draw.weighted((0.55, 0.3, 0.15)))
                for _ in range(size):
                    number = draw.between(100000, 999999)
                    while number in used:
                        number = draw.between(100000, 999999)
                    used.add(number)
                    leaver = status == "Care Leaver"
                    age = "18+" if leaver else _AGE_BANDS[draw.weighted(_AGE_WEIGHTS)]
                    cases.append(
                        Case(
                            child_id=f"{prefix}{number}",
                            team=team,
                            worker=worker.id,
                            service_area=area.name,
                            fields={
                                "Legal Status": status,
                                "Age Band": age,
                                "Gender": draw.pick(("Female", "Male")),
                                "Disability": "Yes" if draw.chance(0.12) else "No",
                                "Family ID": family,
                                "Start Date": opened.isoformat(),
                            },
                        )
                    )
                remaining -= size
    return tuple(cases)


# ---------------------------------------------------------------------------------------------
# Phrase banks: strengths, "what would have made it better", actions, by the theme of a
# standard (read from its id and title, so any council's standards find theirs)
# ---------------------------------------------------------------------------------------------

_THEMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("voice", "views", "wishes", "seen alone"), "voice"),
    (("chronolog",), "chronology"),
    (("qaro", "iro", "reviewing officer"), "reviewing"),
    (("supervision", "oversight", "management"), "oversight"),
    (("assessment",), "assessment"),
    (("meeting",), "meetings"),
    (("plan",), "planning"),
    (("visit", "seen", "direct work"), "visits"),
    (("record",), "recording"),
    (("parent", "carer", "family", "engagement"), "family"),
    (("decision", "threshold"), "decisions"),
    (("statutory",), "statutory"),
    (("difference", "outcome", "intervention", "impact"), "impact"),
    (("culture", "organisational"), "culture"),
    (("multi-agency", "multi agency", "partner"), "partnership"),
)

# theme: (strengths, would improve, actions)
_BANK: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "assessment": (
        (
            "Assessment analyses risk and need using the family's history.",
            "Assessment is current and reflects the child's lived experience.",
            "Clear analysis of strengths and worries.",
        ),
        (
            "Analysis rather than description of the information gathered.",
            "Assessment updated after the change in circumstances.",
            "Wider family included in the assessment.",
        ),
        (
            "Update the assessment to reflect current circumstances.",
            "Add analysis of risk and protective factors to the assessment.",
        ),
    ),
    "planning": (
        (
            "Plan is SMART, with owners and timescales.",
            "Plan reviewed on time and progress is clear.",
            "Contingency plan is recorded.",
        ),
        (
            "SMART actions with named owners and dates.",
            "Contingency plan agreed with the family.",
            "Plan linked to the needs the assessment found.",
        ),
        (
            "Rewrite the plan with SMART actions and timescales.",
            "Agree and record a contingency plan.",
        ),
    ),
    "meetings": (
        (
            "Meetings held on time with the right people present.",
            "Minutes record decisions and who will do what.",
        ),
        ("Meetings held within timescales.", "Partners' views recorded in the minutes."),
        (
            "Hold the overdue meeting and record its decisions.",
            "Invite partner agencies to the next meeting.",
        ),
    ),
    "voice": (
        (
            "Child seen alone and their words recorded.",
            "Child's wishes and feelings inform the plan.",
            "Direct work captures the child's lived experience.",
        ),
        (
            "Child's views recorded in their own words.",
            "Evidence of how the child's views changed the plan.",
            "Direct work suited to the child's age.",
        ),
        ("See the child alone and record their views.", "Complete and record direct work."),
    ),
    "chronology": (
        (
            "Chronology is up to date and used in analysis.",
            "Significant events are clear from the chronology.",
        ),
        ("An up-to-date chronology.", "Chronology used to show patterns of concern."),
        ("Bring the chronology up to date.",),
    ),
    "reviewing": (
        (
            "Reviewing officer knows and has seen the child.",
            "Reviewing officer oversight is evident between reviews.",
        ),
        ("Reviewing officer contact with the child between reviews.",),
        ("Reviewing officer to see the child before the next review.",),
    ),
    "oversight": (
        (
            "Regular supervision with reflective discussion recorded.",
            "Management oversight gives clear direction.",
            "Manager's decisions are recorded with rationale.",
        ),
        (
            "Supervision recorded monthly with actions followed up.",
            "Management oversight at key decision points.",
            "Reflective discussion of risk in supervision.",
        ),
        (
            "Record management oversight and direction on the file.",
            "Review the case in supervision and record the actions.",
        ),
    ),
    "visits": (
        (
            "Visits are purposeful and within timescales.",
            "Child seen regularly, including at home.",
        ),
        ("Visits within timescales.", "Purpose of each visit recorded."),
        ("Visit within timescale and record the purpose of the visit.",),
    ),
    "recording": (
        ("Recording is clear, current and written to the child.", "Case summary is current."),
        ("Case notes completed promptly.", "Recording written so the child could read it later."),
        ("Bring case recording up to date.", "Update the case summary."),
    ),
    "family": (
        (
            "Parents and carers engaged and their views recorded.",
            "Strong working relationship with the family.",
        ),
        ("Fathers engaged in assessment and planning.", "Carers' views recorded."),
        ("Engage the father and record his views.",),
    ),
    "decisions": (
        ("Decisions are timely and thresholds applied well.", "Rationale for decisions is clear."),
        ("Decisions recorded with their rationale.", "Threshold reviewed when risks changed."),
        ("Record the rationale for the threshold decision.",),
    ),
    "statutory": (
        ("Statutory requirements met.", "Reviews and visits within statutory timescales."),
        ("Statutory visits and reviews within timescales.",),
        ("Complete the overdue statutory task.",),
    ),
    "impact": (
        (
            "Clear evidence of positive change for the child.",
            "Interventions are making a difference.",
        ),
        ("Evidence of the impact of the interventions.", "Outcomes measured against the plan."),
        ("Record the impact of the intervention on the child.",),
    ),
    "culture": (
        ("Practice reflects a learning culture.", "The team shares good practice."),
        ("Learning from audit shared in the team.",),
        ("Share the learning from this audit at the team meeting.",),
    ),
    "partnership": (
        ("Partners contribute to assessment and plans.", "Good information sharing."),
        ("Partner agencies' contributions recorded.",),
        ("Seek and record partners' contributions.",),
    ),
}


@functools.cache
def _phrases(standard_id: str, title: str) -> tuple[tuple[str, ...], ...]:
    """Strengths, "would improve" and action phrases for a standard."""
    words = f"{standard_id.replace('_', ' ')} {title}".lower()
    for keys, theme in _THEMES:
        if any(key in words for key in keys):
            return _BANK[theme]
    subject = title[:1].lower() + title[1:]
    return (
        (f"Good evidence of {subject}.",),
        (f"Stronger evidence of {subject}.",),
        (f"Improve the evidence of {subject} on the file.",),
    )


# Why a standard got its grade, by ILACS rank (outstanding .. inadequate).
_RATIONALE = (
    "consistently strong, with a clear difference for the child",
    "the child's needs are understood and met",
    "not yet consistently good; some needs are not met",
    "needs are unmet and the child may be at risk",
)

_MODERATION_NOTES = {
    ModerationOutcome.AGREE: (
        "Agree: the grade is supported by the evidence.",
        "Agree with the auditor's analysis.",
    ),
    ModerationOutcome.UPGRADE: (
        "Upgraded: strengths in the record were under-weighted.",
        "Upgraded: evidence of impact supports a higher grade.",
    ),
    ModerationOutcome.DOWNGRADE: (
        "Downgraded: the evidence does not support the grade given.",
        "Downgraded: gaps in the analysis of risk were not reflected in the grade.",
    ),
}


# ---------------------------------------------------------------------------------------------
# Grades
# ---------------------------------------------------------------------------------------------

# Shares of the overall grade by ILACS judgement: mostly good or requires improvement.
_ILACS_SHARE = {
    Ilacs.OUTSTANDING: 0.08,
    Ilacs.GOOD: 0.48,
    Ilacs.REQUIRES_IMPROVEMENT: 0.32,
    Ilacs.INADEQUATE: 0.12,
}
_TEAM_SPREAD = 0.45
# A standard's grade against the overall grade: one better, the same, one worse.
_JUDGEMENT_STEP = (0.18, 0.62, 0.20)
# Moderation: agree, upgrade one grade, downgrade one grade.
_MODERATION_STEP = (0.78, 0.10, 0.12)
# Concerns by ILACS rank of the overall grade (outstanding .. inadequate).
_URGENT_SAFETY = (0.0, 0.004, 0.02, 0.12)
_PRACTICE = (0.0, 0.01, 0.05, 0.15)
_HEALTH = 0.03
_FEEDBACK = 0.75


class _Grader:
    """Overall grades from a latent score: a team's quality plus the audit's own variation."""

    def __init__(self, profile: Profile) -> None:
        grades = profile.grade_scale.grades
        counts: dict[Ilacs, int] = {}
        for grade in grades:
            counts[grade.ilacs] = counts.get(grade.ilacs, 0) + 1
        shares = [_ILACS_SHARE[g.ilacs] / counts[g.ilacs] for g in grades]
        total = sum(shares)
        spread = NormalDist(0.0, math.sqrt(1 + _TEAM_SPREAD**2))
        cumulative = 0.0
        self.thresholds: list[float] = []
        for share in shares[:-1]:
            cumulative += share / total
            self.thresholds.append(spread.inv_cdf(cumulative))
        self.codes = tuple(g.code for g in grades)
        self.ilacs_rank = tuple(g.ilacs.rank for g in grades)

    def rank(self, score: float) -> int:
        """The grade's position on the scale (0 the best) for a latent score."""
        return bisect.bisect_right(self.thresholds, score)


# ---------------------------------------------------------------------------------------------
# Generating
# ---------------------------------------------------------------------------------------------


def generate(
    profile: Profile | Sequence[Profile],
    start: date,
    end: date,
    *,
    seed: int,
    organisation: Organisation | None = None,
) -> SyntheticData:
    """Synthetic case list, audits and activity log for a council from ``start`` to ``end``.

    ``profile`` is a profile version, or the versions of one profile (each governs from its
    ``effective_from`` to its ``effective_to`` or the next one's ``effective_from``); every
    day of the window must fall under one.
    ``organisation`` gives the service areas and teams (:meth:`Organisation.generic` when
    None). See the module docstring for what is made and how. Raises
    :class:`SyntheticError` when the window is empty or has a day no version governs.
    """
    versions = sorted(
        [profile] if isinstance(profile, Profile) else list(profile),
        key=lambda p: p.effective_from,
    )
    if not versions:
        raise SyntheticError("no profile version given")
    if len({p.id for p in versions}) > 1:
        raise SyntheticError("the versions given belong to different profiles")
    if end < start:
        raise SyntheticError(f"the window ends ({end}) before it starts ({start})")
    chosen = organisation if organisation is not None else Organisation.generic()
    segments: list[tuple[Profile, date, date]] = []
    for index, version in enumerate(versions):
        first = max(start, version.effective_from)
        last = end if version.effective_to is None else min(end, version.effective_to)
        if index + 1 < len(versions):
            last = min(last, versions[index + 1].effective_from - _DAY)
        if first <= last:
            segments.append((version, first, last))
    covered = start
    for _version, first, last in segments:
        if first > covered:
            break
        covered = last + _DAY
    if covered <= end:
        raise SyntheticError(
            f"no version of profile {versions[0].id!r} is in force on {covered}; give a "
            "window every day of which a version governs"
        )
    # Many records holding no cycles are built: the cycle collector would only walk them
    # again and again, so it is paused (and restored) while they are.
    with paused_gc():
        return _generate(segments, chosen, start, end, seed)


def _generate(
    segments: list[tuple[Profile, date, date]],
    organisation: Organisation,
    start: date,
    end: date,
    seed: int,
) -> SyntheticData:
    latest = segments[-1][0]
    cases = _cases(
        organisation, _Workforce(organisation, latest), latest.id[:1].upper(), start, seed
    )
    by_area: dict[str, list[Case]] = {}
    for case in cases:
        by_area.setdefault(case.service_area or "", []).append(case)
    team_effect = {
        team: _TEAM_SPREAD * _Draw(seed, "team", team).normal()
        for team, _area in organisation.teams
    }
    audits: list[Audit] = []
    log: list[LoggedActivity] = []
    not_logged: list[str] = []
    audited: set[str] = set()
    for version, first, last in segments:
        builder = _Builder(
            version, organisation, cases, by_area, team_effect, seed, first, last, end
        )
        made = builder.audits(audited, len(audits))
        audits.extend(made)
        entries, skipped = builder.log(made)
        log.extend(entries)
        not_logged.extend(a for a in skipped if a not in not_logged)
    log.sort(key=lambda e: (e.on, e.activity, e.subject, e.event or "", e.role or ""))
    return SyntheticData(
        profile_id=latest.id,
        seed=seed,
        start=start,
        end=end,
        organisation=organisation,
        staff=_Workforce(organisation, latest).everyone,
        cases=cases,
        audits=tuple(audits),
        log=tuple(log),
        not_logged=tuple(not_logged),
    )


class _Builder:
    """Audits and log entries for one profile version over the days it governs."""

    def __init__(
        self,
        profile: Profile,
        organisation: Organisation,
        cases: tuple[Case, ...],
        by_area: Mapping[str, list[Case]],
        team_effect: Mapping[str, float],
        seed: int,
        first: date,
        last: date,
        end: date,
    ) -> None:
        self.profile = profile
        self.organisation = organisation
        self.cases = cases
        self.by_area = by_area
        self.team_effect = team_effect
        self.seed = seed
        self.first = first
        self.last = last
        self.end = end
        self.people = _Workforce(organisation, profile)
        self.calendar: WorkingCalendar = working_calendar_for(profile)
        self.grader = _Grader(profile)
        self.days = [
            first + _DAY * n
            for n in range((last - first).days + 1)
            if self.calendar.is_working_day(first + _DAY * n)
        ] or [first]
        self.cycles: dict[tuple[str, date], str] = {}
        self.action_dates: dict[tuple[str, str, date], ActionDates] = {}

    # -- audits ----------------------------------------------------------------------------

    def audits(self, audited: set[str], numbered: int) -> list[Audit]:
        """The version's audits, moderated, with concerns and actions, in date order."""
        profile = self.profile
        planned: list[tuple[date, str, StaffMember]] = []
        for activity in profile.activities:
            if activity.graded:
                planned.extend(self._plan(activity))
        planned.sort(key=lambda item: (item[0], item[1], item[2].id))
        draw = _Draw(self.seed, profile.version, "audits")
        made = []
        for day, activity_id, auditor in planned:
            case = self._case_for(auditor, audited, draw)
            audited.add(case.child_id)
            numbered += 1
            made.append(
                self._audit(
                    f"{profile.id[:3].upper()}-{numbered:05d}",
                    profile.activity(activity_id),
                    day,
                    auditor,
                    case,
                    draw,
                )
            )
        moderated = self._moderate(made)
        return [self._with_actions(audit, draw) for audit in moderated]

    def _plan(self, activity: Activity) -> list[tuple[date, str, StaffMember]]:
        """When, and by whom, the activity's audits are done."""
        draw = _Draw(self.seed, self.profile.version, "plan", activity.id)
        quota = activity.quota
        planned: list[tuple[date, str, StaffMember]] = []
        if quota is not None and quota.period is not None and quota.count > 0:
            if quota.per_role is not None:
                role_ids: tuple[str, ...] = (quota.per_role,)
            else:
                # A quota owed per auditor (or per anything else) is read as each auditor's.
                role_ids = activity.who
            anchor = activity.anchor or self.profile.schedule_anchor
            for window_start, window_end, share in self._windows(anchor, quota.period):
                for role_id in role_ids:
                    for person in self.people.holders(role_id):
                        top = quota.count_max if quota.count_max is not None else quota.count
                        owed = draw.between(quota.count, top)
                        # Most holders meet the quota; some miss one.
                        done = owed - (1 if draw.chance(0.08) else 0)
                        for _ in range(draw.count(done * share)):
                            planned.append(
                                (self._day_in(window_start, window_end, draw), activity.id, person)
                            )
            return planned
        months = ((self.last - self.first).days + 1) / _DAYS_PER_MONTH
        if not activity.cadence.is_periodic:
            factor = 0.1
        elif activity.kind is ActivityKind.CASE_FILE_AUDIT:
            factor = 1.0
        else:
            factor = 0.25
        rate = self.organisation.audits_per_team_per_month * factor
        expected = rate * len(self.organisation.teams) * months
        roles = [r for r in activity.who if self.people.holders(r)]
        if not roles:
            return planned
        weights = [_AUDITOR_WEIGHT.get(self.profile.role(r).generic, 1.0) for r in roles]
        for _ in range(draw.count(expected)):
            role_id = roles[draw.weighted(weights)]
            person = draw.pick(self.people.holders(role_id))
            planned.append((draw.pick(self.days), activity.id, person))
        return planned

    def _windows(self, anchor: date, period: IsoDuration) -> list[tuple[date, date, float]]:
        """The quota's periods counted from ``anchor`` that overlap the version's days,
        cut to them, each with the share of its length that falls inside."""
        found: list[tuple[date, date, float]] = []
        k = math.floor((self.first - anchor).days / period.approximate_days) - 1
        while period.add_to(anchor, k) > self.first:
            k -= 1
        while True:
            opens = period.add_to(anchor, k)
            closes = period.add_to(anchor, k + 1) - _DAY
            if opens > self.last:
                return found
            if closes >= self.first:
                inside = (min(closes, self.last) - max(opens, self.first)).days + 1
                share = inside / ((closes - opens).days + 1)
                found.append((max(opens, self.first), min(closes, self.last), share))
            k += 1

    def _day_in(self, first: date, last: date, draw: _Draw) -> date:
        low = bisect.bisect_left(self.days, first)
        high = bisect.bisect_right(self.days, last)
        if low >= high:
            return first + _DAY * draw.below((last - first).days + 1)
        return self.days[low + draw.below(high - low)]

    def _case_for(self, auditor: StaffMember, audited: set[str], draw: _Draw) -> Case:
        """A case for the auditor: from their own service area where they sit in one, a
        child not yet audited in the window where possible, never their own case."""
        pool: Sequence[Case] = (
            self.by_area.get(auditor.service_area, ())
            if auditor.service_area is not None
            else self.cases
        ) or self.cases
        case = draw.pick(pool)
        for _ in range(12):
            if case.child_id not in audited and case.worker != auditor.id:
                break
            case = draw.pick(pool)
        return case

    def _audit(
        self,
        audit_id: str,
        activity: Activity,
        day: date,
        auditor: StaffMember,
        case: Case,
        draw: _Draw,
    ) -> Audit:
        profile = self.profile
        scale = profile.grade_scale
        grader = self.grader
        effect = self.team_effect.get(case.team or "", 0.0)
        overall = grader.rank(effect + draw.normal())
        worst = len(grader.codes) - 1
        required = {f.value for f in activity.judgement_fields}
        wanted = set(activity.standards)
        judgements = []
        for standard in profile.standards:
            if standard.id not in wanted:
                continue
            rank = min(max(overall + draw.weighted(_JUDGEMENT_STEP) - 1, 0), worst)
            code = grader.codes[rank]
            good = scale.is_good_or_better(code)
            strengths_bank, improve_bank, _actions = _phrases(standard.id, standard.title)
            strengths = draw.pick(strengths_bank)
            improve = draw.pick(improve_bank)
            keep_strengths = "strengths" in required or (good and draw.chance(0.5))
            keep_improve = "would_improve" in required or (not good and draw.chance(0.7))
            rationale = None
            if "rationale" in required:
                found = _RATIONALE[grader.ilacs_rank[rank]]
                rationale = f"{scale.grade(code).label}: {found}."
            judgements.append(
                Judgement(
                    standard.id,
                    code,
                    rationale=rationale,
                    strengths=strengths if keep_strengths else None,
                    would_improve=improve if keep_improve else None,
                )
            )
        return Audit(
            id=audit_id,
            child_id=case.child_id,
            activity=activity.id,
            audit_date=day,
            auditor=auditor.id,
            auditor_role=auditor.role,
            overall_grade=grader.codes[overall],
            cycle=self._cycle(activity, day),
            practitioner=case.worker,
            team=case.team,
            service_area=case.service_area,
            judgements=tuple(judgements),
            concerns=self._concerns(activity, auditor, grader.ilacs_rank[overall], draw),
            feedback=tuple(
                source
                for source in FeedbackSource
                if source in activity.feedback_from and draw.chance(_FEEDBACK)
            ),
        )

    def _cycle(self, activity: Activity, day: date) -> str | None:
        """The first day of the activity's cycle holding ``day``, None without a cadence."""
        every = activity.cadence.every
        if every is None:
            return None
        key = (activity.id, day)
        found = self.cycles.get(key)
        if found is None:
            anchor = activity.anchor or self.profile.schedule_anchor
            starts = activity.cadence.occurrences(anchor, every.subtract_from(day, 2), day)
            found = self.cycles[key] = starts[-1].isoformat()
        return found

    def _concerns(
        self, activity: Activity, auditor: StaffMember, ilacs_rank: int, draw: _Draw
    ) -> tuple[Concern, ...]:
        """The concerns the profile has rules for, flagged at rates set by the grade."""
        possible: set[Concern] = set()
        for rule in self.profile.escalation:
            trigger = rule.trigger
            if trigger.kind is not TriggerKind.CONCERN or trigger.concern is None:
                continue
            if rule.applies_to and activity.id not in rule.applies_to:
                continue
            # A practice concern is a reviewer's to raise; the child's concerns any auditor's.
            if trigger.concern is Concern.PRACTICE and auditor.role not in rule.raised_by:
                continue
            possible.add(trigger.concern)
        rates = {
            Concern.URGENT_SAFETY: _URGENT_SAFETY[ilacs_rank],
            Concern.HEALTH: _HEALTH,
            Concern.PRACTICE: _PRACTICE[ilacs_rank],
        }
        return tuple(c for c in Concern if c in possible and draw.chance(rates[c]))

    def _moderate(self, audits: list[Audit]) -> list[Audit]:
        """The audits with a moderation on each the profile's policies select."""
        profile = self.profile
        selection = select_for_moderation(
            profile, audits, Period(self.first, self.last), seed=self.seed
        )
        draw = _Draw(self.seed, profile.version, "moderation")
        policies = {p.id: p for p in profile.moderation}
        by_id = {a.id: a for a in audits}
        done: set[str] = set()
        scale = profile.grade_scale
        worst = len(scale.grades) - 1
        for chosen in selection.selected:
            if chosen.audit_id in done:
                continue
            done.add(chosen.audit_id)
            audit = by_id[chosen.audit_id]
            policy = policies[chosen.policy]
            roles = [r for r in policy.moderators if self.people.holders(r)]
            role = draw.pick(roles)
            area = audit.service_area
            moderator = self.people.near(role, area, draw)
            for _ in range(8):
                if moderator.id != audit.auditor:
                    break
                moderator = draw.pick(self.people.holders(role))
            if moderator.id == audit.auditor:
                continue
            auditor_grade = audit.overall_grade
            assert auditor_grade is not None  # synthetic audits are of graded activities
            rank = scale.rank(auditor_grade)
            step = (0, -1, 1)[draw.weighted(_MODERATION_STEP)]
            outcome_rank = min(max(rank + step, 0), worst)
            grade = scale.grades[outcome_rank].code
            on = min(audit.audit_date + _DAY * draw.between(2, 20), self.end)
            outcome = (
                ModerationOutcome.AGREE
                if outcome_rank == rank
                else ModerationOutcome.UPGRADE
                if outcome_rank < rank
                else ModerationOutcome.DOWNGRADE
            )
            if outcome not in policy.outcomes:
                grade = auditor_grade
                outcome = ModerationOutcome.AGREE
            by_id[audit.id] = record_moderation(
                profile,
                audit,
                moderator=moderator.id,
                role=role,
                grade=grade,
                on=on,
                rationale=draw.pick(_MODERATION_NOTES[outcome]),
                policy=policy.id,
            )
        return [by_id[a.id] for a in audits]

    def _with_actions(self, audit: Audit, draw: _Draw) -> Audit:
        """The audit with actions set by the profile's timescale for it, if it has one."""
        profile = self.profile
        if action_timescale_for(profile, audit) is None:
            return audit
        final = audit.final_grade
        assert final is not None  # synthetic audits are of graded activities
        ilacs_rank = profile.grade_scale.ilacs(final).rank
        count = (
            int(draw.chance(0.2)),
            1,
            1 + int(draw.chance(0.5)),
            2 + int(draw.chance(0.5)),
        )[ilacs_rank]
        if not count:
            return audit
        # The dates depend only on the activity, the final grade and the audit date.
        key = (audit.activity, final, audit.audit_date)
        dates = self.action_dates.get(key)
        if dates is None:
            dates = self.action_dates[key] = smart_action_dates(
                profile, audit, calendar=self.calendar
            )
        weakest = sorted(
            audit.judgements, key=lambda j: (-profile.grade_scale.rank(j.grade), j.standard)
        )
        actions = []
        for n in range(count):
            if weakest:
                judgement = weakest[n % len(weakest)]
                standard = profile.standard(judgement.standard)
                what = draw.pick(_phrases(standard.id, standard.title)[2])
            else:
                what = "Agree the actions from this audit with the practitioner."
            actions.append(
                self._action(f"{audit.id}-{n + 1}", what, audit, dates.owner_role, dates, draw)
            )
        return attrs.evolve(audit, actions=tuple(actions))

    def _action(
        self,
        action_id: str,
        what: str,
        audit: Audit,
        owner_role: str,
        dates: ActionDates,
        draw: _Draw,
    ) -> AuditAction:
        owner = self._owner(owner_role, audit, draw)
        due, review, end = dates.due, dates.review, self.end
        status = ActionStatus.OPEN
        done_on: date | None = None
        verified_on: date | None = None
        outcome = draw.unit()
        if due <= end:
            if outcome < 0.70:
                span = max((due - audit.audit_date).days, 0)
                done_on = audit.audit_date + _DAY * draw.between(span // 3, span)
            elif outcome < 0.78 and due < end:
                done_on = due + _DAY * draw.between(1, (end - due).days)
        elif outcome < 0.25 and audit.audit_date < end:
            done_on = audit.audit_date + _DAY * draw.between(1, (end - audit.audit_date).days)
        if done_on is not None:
            status = ActionStatus.DONE
            check = done_on + _DAY * draw.between(1, 21)
            if check <= end and draw.chance(0.55):
                status, verified_on = ActionStatus.VERIFIED, check
        return AuditAction(action_id, what, owner, due, review, status, done_on, verified_on)

    def _owner(self, role_id: str, audit: Audit, draw: _Draw) -> str:
        """Who owns an action: the case's Team Manager or worker where the role is theirs."""
        people = self.people
        team = audit.team
        if role_id == people.manager_role and team in people.team_manager:
            return people.team_manager[team].id
        if role_id == people.practitioner_role and audit.practitioner is not None:
            return audit.practitioner
        return people.near(role_id, audit.service_area, draw).id

    # -- the activity log ------------------------------------------------------------------

    def log(self, audits: Iterable[Audit]) -> tuple[list[LoggedActivity], list[str]]:
        """Entries for the version's obligations, and the obligations it cannot log."""
        made = list(audits)
        entries: list[LoggedActivity] = []
        skipped: list[str] = []
        events: dict[tuple[str, str], list[date]] = {}
        for obligation in obligations(self.profile):
            activity = self.profile.activity(obligation.activity)
            logged = obligation.counted[-1]
            draw = _Draw(self.seed, self.profile.version, "log", obligation.activity)
            if activity.graded:
                entries.extend(self._from_audits(obligation, logged, made))
            elif activity.kind is ActivityKind.MODERATION:
                entries.extend(self._from_moderations(obligation, activity, logged, made))
            else:
                subjects = _subject_ids(
                    obligation.owed_per, self.profile, self.people, self.cases, made
                )
                if subjects is None:
                    skipped.append(obligation.activity)
                    continue
                entries.extend(
                    self._made_up(obligation, activity, logged, subjects, made, events, draw)
                )
        return entries, skipped

    def _subject_of(self, owed_per: str, audit: Audit) -> str | None:
        """Whom an audit (or its moderation) counts for under an obligation."""
        if owed_per in self.profile._lookup["roles"]:
            return audit.auditor if audit.auditor_role == owed_per else None
        if owed_per in _AUDITORS:
            return audit.auditor
        if owed_per in _AUDITS:
            return audit.id
        if owed_per in _CHILDREN:
            return audit.child_id
        if owed_per in _SUPERVISEES:
            return audit.practitioner
        return None

    def _from_audits(
        self, obligation: Obligation, logged: str, audits: list[Audit]
    ) -> list[LoggedActivity]:
        found = []
        for audit in audits:
            if audit.activity != obligation.activity:
                continue
            subject = self._subject_of(obligation.owed_per, audit)
            if subject is not None:
                found.append(LoggedActivity(logged, subject, audit.audit_date, audit.auditor_role))
        return found

    def _from_moderations(
        self, obligation: Obligation, activity: Activity, logged: str, audits: list[Audit]
    ) -> list[LoggedActivity]:
        found = []
        for audit in audits:
            for record in audit.moderations:
                if record.role not in activity.who:
                    continue
                subject = self._subject_of(obligation.owed_per, audit)
                if subject is not None:
                    found.append(LoggedActivity(logged, subject, record.on, record.role))
        return found

    def _made_up(
        self,
        obligation: Obligation,
        activity: Activity,
        logged: str,
        subjects: tuple[str, ...],
        audits: list[Audit],
        events: dict[tuple[str, str], list[date]],
        draw: _Draw,
    ) -> list[LoggedActivity]:
        """Entries for an obligation with no audit behind it: mostly on time, some late."""
        first, last = self.first, self.last
        found: list[LoggedActivity] = []
        roles: list[str | None] = [r for r in activity.who if self.people.holders(r)] or [None]
        graded = {a.id for a in self.profile.activities if a.graded}
        audit_days = {(a.id, a.activity): a.audit_date for a in audits}

        def event_days(subject: str, name: str, recurring: bool) -> list[date]:
            key = (subject, name)
            if key not in events:
                days: list[date] = []
                if name in graded:
                    # An event named after an audit activity is that audit being done.
                    held = audit_days.get((subject, name))
                    days = [held] if held is not None else []
                elif recurring:
                    day = first + _DAY * draw.between(0, 120)
                    while day <= last:
                        days.append(day)
                        day += _DAY * draw.between(90, 180)
                elif draw.chance(0.1):
                    days = [first + _DAY * draw.below((last - first).days + 1)]
                events[key] = days
                for day in days:
                    found.append(LoggedActivity(logged, subject, day, None, name))
            return events[key]

        period = obligation.period
        for subject in subjects:
            begins, ends = first, last
            if obligation.from_event is not None:
                opened = event_days(subject, obligation.from_event, recurring=False)
                if not opened:
                    continue
                begins = opened[0]
            if obligation.until_event is not None:
                closed = event_days(subject, obligation.until_event, recurring=False)
                if closed:
                    ends = closed[0] - _DAY
            if begins > ends:
                continue
            if obligation.window is WindowKind.BETWEEN_EVENTS:
                bounds = [begins] if obligation.from_event is not None else []
                for name in obligation.events:
                    bounds.extend(
                        d for d in event_days(subject, name, recurring=True) if d >= begins
                    )
                bounds = sorted(set(bounds))
                for index, opened_on in enumerate(bounds):
                    closes = bounds[index + 1] if index + 1 < len(bounds) else ends + _DAY
                    if period is not None:
                        closes = min(closes, period.add_to(opened_on) + _DAY)
                    room = (min(closes, ends + _DAY) - opened_on).days - 1
                    if room < 1 or not draw.chance(0.9):
                        continue
                    for _ in range(obligation.count):
                        day = opened_on + _DAY * draw.between(1, room)
                        found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
                continue
            assert period is not None  # rolling and cycle windows have one
            gap = period.approximate_days / max(obligation.count, 1)
            if obligation.window is WindowKind.CYCLE:
                anchor = obligation.anchor or self.profile.schedule_anchor
                for opens, closes, share in self._windows(anchor, period):
                    low, high = max(opens, begins), min(closes, ends)
                    if low > high:
                        continue
                    owed = obligation.count - (1 if draw.chance(0.1) else 0)
                    for _ in range(draw.count(owed * share)):
                        day = self._day_in(low, high, draw)
                        found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
                continue
            # Rolling: the last one was some time before the window; then at intervals a
            # little shorter than the period, now and then longer (late).
            day = begins - _DAY * draw.below(max(int(gap), 1))
            while True:
                late = draw.chance(0.12)
                stretch = gap * (1.0 + 0.35 * draw.unit() if late else 0.6 + 0.35 * draw.unit())
                day += _DAY * max(1, round(stretch))
                if day > ends:
                    break
                if day >= begins:
                    found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
        return found
