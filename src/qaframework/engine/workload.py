"""Workload plan: what a council's QA framework asks of each role in a year, and the hours.

A QA manager deciding whether a framework is affordable needs the number of audits,
moderations, observations and meetings each role owes in a financial year and the time they
take. :func:`plan_workload` works them out from the profile's quotas, cadences, moderation
policies, forums and effort, for a :class:`Staffing` (how many people hold each role, and
how many supervisees or children the quotas are owed per), and returns a
:class:`WorkloadPlan`: one :class:`WorkloadLine` per activity (or forum) and role, totals
per role and for the council, and the activities it cannot count.

How each line is counted
    *Periods* are the quota's periods in the year: 12 months, 4 quarters, 8.7 spans of six
    weeks (a fraction where the year does not hold a whole number). *Occurrences* are the
    dated occurrences of a periodic cadence in the year (Bolton's six-weekly cycles from
    1 April 2026: 9).

    - A quota per role holder ("1 audit per Team Manager per month"): count x holders x
      periods. When the activity is done by other roles (Manchester's Service Leads moderate
      one audit per Team Manager a month), the total goes to them, shared by headcount.
    - A quota per subject ("every supervisee observed at least once a year"): count x
      subjects x periods. The subjects each holder of a role has (``subjects_per_person``)
      attribute the work to roles; subjects nobody is given are a line of their own, not
      assigned to a role. A quota owed per case event has no yearly count.
    - A quota with no subject ("1 report a month", "e.g. 40 cases" a quarter): a count for
      the whole council, per period or per occurrence.
    - No quota but a periodic cadence: the occurrences, or with a planning figure
      (``per_occurrence``: "we will audit 40 cases each cycle") that many items each time.
      Bare occurrences are not split among several roles (who does each is not known): they
      are a line not assigned to a role, naming the roles.
      A moderation activity counts the audits its policies select from the volume of the
      activities they moderate: a proportion (through the ``moderation_sample_size`` hook),
      every audit, a fixed number or a number per role holder each cycle.
    - A forum that names its chair or members: each attendee, every meeting.

    Activities that are ongoing, as required or triggered by case events without a quota,
    and forums with no cadence or no named attendees, are listed in
    :attr:`WorkloadPlan.not_counted` with the reason.

Hours
    A line's hours are its count times the activity's :attr:`Effort.typical_hours
    <qaframework.policy.activities.Effort.typical_hours>` (the midpoint of "2-4 hours"), read as the
    time one counted item takes one person. Where the profile states no effort the hours are
    unknown (None) and stay unknown in every total: nothing is invented. Totals add the known
    hours and say how many lines have none.

Versions
    Each profile version governs the days of the year from its ``effective_from`` to its
    ``effective_to`` or the next version's ``effective_from``; each line is counted over the
    days its version governs, and days no version governs count nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from qaframework.engine.periods import FinancialYear, Period
from qaframework.errors import QAFrameworkError
from qaframework.policy.activities import Activity, ActivityKind
from qaframework.policy.cadence import IsoDuration, Quota
from qaframework.policy.grades import normalise_grade_text
from qaframework.policy.moderation import ModerationPolicy, SelectionKind
from qaframework.policy.profile import Profile

__all__ = [
    "NotCounted",
    "Staffing",
    "UnitCount",
    "VersionSpan",
    "WorkloadError",
    "WorkloadLine",
    "WorkloadPlan",
    "WorkloadTotal",
    "plan_workload",
    "plural",
]

_DAY = timedelta(days=1)


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


# ---------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _periods(period: IsoDuration, first: date, last: date) -> float:
    """How many ``period``\\ s the days ``first`` to ``last`` hold, counted from ``first``:
    whole periods, then the share of the next that is left."""
    following = last + _DAY
    k = 0
    while period.add_to(first, k + 1) <= following:
        k += 1
    opens, closes = period.add_to(first, k), period.add_to(first, k + 1)
    return k + (following - opens).days / (closes - opens).days


_IRREGULAR = {"child": "children", "person": "people", "staff member": "staff members"}


def plural(noun: str, count: float | None = None) -> str:
    """A unit's noun for ``count`` of it (plural when None): "audit" for 1, "audits",
    "children", "pieces of QA work"."""
    if count == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    head, of, tail = noun.partition(" of ")
    if of:
        return f"{plural(head)}{of}{tail}"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def _span(period: IsoDuration, count: float) -> str:
    """ "12 months", "8.7 periods of 6 weeks"."""
    word = period.describe()
    if any(ch.isdigit() for ch in word):
        return f"{_number(count)} {plural('period', count)} of {word}"
    return f"{_number(count)} {plural(word, count)}"


_KIND_UNITS = {
    ActivityKind.CASE_FILE_AUDIT: "audit",
    ActivityKind.THEMATIC_AUDIT: "audit",
    ActivityKind.MULTI_AGENCY_AUDIT: "audit",
    ActivityKind.SUPERVISION_AUDIT: "audit",
    ActivityKind.DIP_SAMPLE: "case",
    ActivityKind.MODERATION: "moderation",
    ActivityKind.DIRECT_OBSERVATION: "observation",
    ActivityKind.SUPERVISION: "supervision",
    ActivityKind.REPORT: "report",
    ActivityKind.SURVEY: "survey",
}
_OCCURRENCE = "occurrence"


class _Version:
    """One version's part of the year, with the staffing read against its roles."""

    def __init__(
        self, profile: Profile, first: date, last: date, staffing: Staffing, roles: dict[str, str]
    ) -> None:
        self.profile = profile
        self.first = first
        self.last = last
        self.staffing = staffing
        self.headcount: dict[str, int] = {}
        for key, number in staffing.headcount.items():
            role = roles.get(normalise_grade_text(key))
            if role is not None:
                self.headcount[role] = number
        self.per_person: dict[str, dict[str, int]] = {}
        for key, table in staffing.subjects_per_person.items():
            role = roles.get(normalise_grade_text(key))
            if role is not None:
                self.per_person[role] = dict(table)
        names = {}
        for activity in profile.activities:
            names[normalise_grade_text(activity.id)] = activity.id
            names[normalise_grade_text(activity.name)] = activity.id
        self.per_occurrence: dict[str, int] = {}
        for key, number in staffing.per_occurrence.items():
            activity_id = names.get(normalise_grade_text(key))
            if activity_id is not None:
                self.per_occurrence[activity_id] = number
        self.lines: list[WorkloadLine] = []
        self.not_counted: list[NotCounted] = []

    def title(self, role: str | None) -> str | None:
        return self.profile.role(role).title if role is not None else None

    def titles(self, roles: Iterable[str]) -> str:
        return ", ".join(self.profile.role(r).title for r in roles)

    def holders(self, role: str) -> str:
        """ "Team Manager x 39", or what is missing."""
        title = self.title(role)
        count = self.headcount.get(role)
        if count is None:
            return f"needs the headcount of {title}"
        return f"{title} x {count}"

    def occurrences(self, activity: Activity) -> int:
        anchor = activity.anchor or self.profile.schedule_anchor
        return len(activity.cadence.occurrences(anchor, self.first, self.last))

    def line(
        self,
        activity: Activity,
        unit: str,
        role: str | None,
        count: float | None,
        per_person: float | None,
        basis: str,
    ) -> None:
        """A line; with a role, a missing count or per-person figure is worked out from the
        other and the headcount, except for bare occurrences (who does each is unknown)."""
        headcount = self.headcount.get(role) if role is not None else None
        # Counts are floats throughout, so that a plan reads back from JSON unchanged.
        count = float(count) if count is not None else None
        per_person = float(per_person) if per_person is not None else None
        if unit != _OCCURRENCE and headcount:
            if per_person is None and count is not None:
                per_person = count / headcount
            if count is None and per_person is not None:
                count = per_person * headcount
        effort = activity.effort
        each = effort.typical_hours if effort is not None else None
        self.lines.append(
            WorkloadLine(
                source="activity",
                id=activity.id,
                name=activity.name,
                kind=activity.kind.value,
                unit=unit,
                version=self.profile.label,
                role=role,
                role_title=self.title(role),
                headcount=headcount,
                count=count,
                count_per_person=per_person,
                hours_each=each,
                hours=count * each if count is not None and each is not None else None,
                hours_per_person=(
                    per_person * each if per_person is not None and each is not None else None
                ),
                effort=effort.text if effort is not None else None,
                basis=basis,
            )
        )

    def share(
        self,
        activity: Activity,
        unit: str,
        doers: Sequence[str],
        total: float | None,
        basis: str,
    ) -> None:
        """``total`` done by ``doers``: one line for a single role; for several, lines
        shared in proportion to headcount, or one line not assigned to a role when the total
        is bare occurrences or unknown, or no doer has a headcount."""
        if len(doers) == 1:
            self.line(activity, unit, doers[0], total, None, basis)
            return
        counted = [r for r in doers if self.headcount.get(r)]
        if total is None or unit == _OCCURRENCE or not counted:
            self.line(activity, unit, None, total, None, f"{basis}; by {self.titles(doers)}")
            return
        people = sum(self.headcount[r] for r in counted)
        words = f"{basis}; shared by headcount among {self.titles(counted)}"
        missing = [r for r in doers if r not in counted]
        if missing:
            words += f" ({self.titles(missing)}: no headcount given)"
        for role in counted:
            self.line(
                activity, unit, role, total * self.headcount[role] / people, total / people, words
            )

    # -- activities ------------------------------------------------------------------------

    def activity(self, activity: Activity) -> None:
        quota = activity.quota
        if quota is not None:
            self.quota(activity, quota)
        elif not activity.cadence.is_periodic:
            self.not_counted.append(
                NotCounted(
                    "activity",
                    activity.id,
                    activity.name,
                    f"{activity.cadence.describe()}, with no quota",
                )
            )
        elif activity.kind is ActivityKind.MODERATION and self.policies(activity):
            self.moderation(activity)
        else:
            self.occurring(activity)

    def rate(self, activity: Activity, quota: Quota) -> tuple[float | None, str]:
        """How many times the quota's count is owed in the version's days, with wording."""
        if quota.period is not None:
            periods = _periods(quota.period, self.first, self.last)
            return periods, _span(quota.period, periods)
        if activity.cadence.events:
            return None, "owed at each case event, whose number in a year is not known"
        if activity.cadence.is_periodic:
            times = self.occurrences(activity)
            return times, f"{times} {plural(_OCCURRENCE, times)} ({activity.cadence.describe()})"
        return None, f"{activity.cadence.describe()}, so no number of occurrences"

    def quota(self, activity: Activity, quota: Quota) -> None:
        title = self.title(quota.per_role) if quota.per_role is not None else None
        wording = quota.describe(title)
        rate, rate_words = self.rate(activity, quota)
        each = quota.count * rate if rate is not None else None
        if quota.per_role is not None:
            role = quota.per_role
            holders = self.headcount.get(role)
            total = each * holders if each is not None and holders is not None else None
            basis = f"{wording}; {rate_words}; {self.holders(role)}"
            if role in activity.who or not activity.who:
                self.line(activity, quota.unit, role, total, each, basis)
            else:
                self.share(activity, quota.unit, activity.who, total, basis)
        elif quota.per is not None:
            self.per_subject(activity, quota, quota.per, each, f"{wording}; {rate_words}")
        else:
            self.share(activity, quota.unit, activity.who, each, f"{wording}; {rate_words}")

    def per_subject(
        self, activity: Activity, quota: Quota, kind: str, each: float | None, wording: str
    ) -> None:
        """A quota per subject: to the roles given subjects each, the rest unassigned."""
        assigned: int | None = 0
        given_any = False
        for role in activity.who:
            given = self.per_person.get(role, {}).get(kind)
            if given is None:
                continue
            given_any = True
            holders = self.headcount.get(role)
            if holders is None or assigned is None:
                assigned = None
            else:
                assigned += given * holders
            self.line(
                activity,
                quota.unit,
                role,
                None,
                each * given if each is not None else None,
                f"{wording}; {given} {plural(kind, given)} each; {self.holders(role)}",
            )
        total = self.staffing.subjects.get(kind)
        if total is None:
            if not given_any:
                self.share(
                    activity,
                    quota.unit,
                    activity.who,
                    None,
                    f"{wording}; needs the number of {plural(kind)}",
                )
            return
        if assigned is None:
            return  # a role given subjects has no headcount: the rest cannot be known
        left = total - assigned
        if left <= 0:
            return
        words = f"{wording}; {left} {plural(kind, left)}"
        count = each * left if each is not None else None
        if given_any:
            self.line(activity, quota.unit, None, count, None, f"{words} not given to a role")
        else:
            self.share(activity, quota.unit, activity.who, count, words)

    def occurring(self, activity: Activity) -> None:
        """A periodic activity with no quota: its occurrences, or the planned items."""
        times = self.occurrences(activity)
        words = f"{times} {plural(_OCCURRENCE, times)} ({activity.cadence.describe()})"
        planned = self.per_occurrence.get(activity.id)
        if planned is None:
            self.share(
                activity,
                _OCCURRENCE,
                activity.who,
                times,
                f"{words}; the profile gives no number each time",
            )
            return
        unit = _KIND_UNITS.get(activity.kind, "item")
        self.share(
            activity,
            unit,
            activity.who,
            times * planned,
            f"{words} x {planned} {plural(unit, planned)} planned each time",
        )

    def volume(self, activity_id: str) -> float | None:
        """The items an activity's lines count, None unless every line counts items (not
        bare occurrences)."""
        mine = [line for line in self.lines if line.source == "activity" and line.id == activity_id]
        if not mine or any(line.count is None or line.unit == _OCCURRENCE for line in mine):
            return None
        return sum(line.count or 0.0 for line in mine)

    def policies(self, activity: Activity) -> list[ModerationPolicy]:
        return [p for p in self.profile.moderation if set(p.moderators) & set(activity.who)]

    def moderation(self, activity: Activity) -> None:
        """A moderation activity with no quota: the audits its policies select."""
        for policy in self.policies(activity):
            doers = [r for r in policy.moderators if r in activity.who]
            volume: float | None = 0.0
            counted: list[str] = []
            left_out: list[str] = []
            for audited in policy.applies_to:
                moderated = self.profile.activity(audited)
                if moderated.quota is None and not moderated.cadence.is_periodic:
                    # Audits done as required have no yearly number; say they are left out.
                    left_out.append(moderated.name)
                    continue
                counted.append(moderated.name)
                found = self.volume(audited)
                volume = volume + found if volume is not None and found is not None else None
            if policy.cadence.every is not None:
                anchor = self.profile.schedule_anchor
                cycles = len(policy.cadence.occurrences(anchor, self.first, self.last))
            else:
                cycles = 1
            size, words = self.selected(policy, volume, max(cycles, 1))
            basis = f"{policy.name}: {words}"
            if volume is not None:
                basis += f", of {_number(volume)} audits ({', '.join(counted)})"
            if left_out:
                basis += f"; audits done as required not counted ({', '.join(left_out)})"
            self.share(activity, "moderation", doers, size, basis)

    def selected(
        self, policy: ModerationPolicy, volume: float | None, cycles: int
    ) -> tuple[float | None, str]:
        """How many audits the policy moderates in the version's days, with wording."""
        if volume is None:
            return None, (
                "needs the number of audits it moderates (give the audits each cycle under "
                "per_occurrence)"
            )
        if any(rule.kind is SelectionKind.ALL for rule in policy.selection):
            return volume, "every audit"
        per_cycle = volume / cycles
        size = 0.0
        words = []
        extra = []
        for rule in policy.selection:
            if rule.kind is SelectionKind.PROPORTION:
                chosen = self.profile.behaviour.moderation_sample_size(
                    self.profile, policy, rule, round(per_cycle)
                )
                size += chosen * cycles
                words.append(f"{rule.proportion:.0%} of each cycle's audits")
            elif rule.kind is SelectionKind.FIXED:
                assert rule.count is not None  # a fixed rule has its count
                size += rule.count * cycles
                words.append(f"{rule.count} each cycle")
            elif rule.kind is SelectionKind.PER_ROLE:
                # A per-role rule has all three (SelectionRule checks).
                assert rule.count is not None
                assert rule.period is not None
                assert rule.per_role is not None
                holders = self.headcount.get(rule.per_role)
                title = self.title(rule.per_role) or rule.per_role
                if holders is None:
                    return None, f"needs the headcount of {title}"
                size += rule.count * holders * _periods(rule.period, self.first, self.last)
                words.append(f"{rule.count} per {title} each {rule.period.describe()}")
            elif rule.grade is not None:
                label = self.profile.grade_scale.grade(rule.grade).label
                extra.append(f"every audit graded {label} or worse, not counted")
        return min(size, volume), ", ".join(words) + "".join(f" (and {e})" for e in extra)

    # -- forums ----------------------------------------------------------------------------

    def forums(self) -> None:
        for forum in self.profile.forums:
            chair = [forum.chair] if forum.chair else []
            attendees = list(dict.fromkeys([*chair, *forum.members]))
            if not forum.cadence.is_periodic or not attendees:
                reason = (
                    f"meets {forum.cadence.describe()}"
                    if not forum.cadence.is_periodic
                    else "the profile names no chair or members"
                )
                self.not_counted.append(NotCounted("forum", forum.id, forum.name, reason))
                continue
            meetings = len(
                forum.cadence.occurrences(self.profile.schedule_anchor, self.first, self.last)
            )
            for role in attendees:
                headcount = self.headcount.get(role)
                self.lines.append(
                    WorkloadLine(
                        source="forum",
                        id=forum.id,
                        name=forum.name,
                        kind=forum.kind.value,
                        unit="meeting",
                        version=self.profile.label,
                        role=role,
                        role_title=self.title(role),
                        headcount=headcount,
                        count=float(meetings * headcount) if headcount is not None else None,
                        count_per_person=float(meetings),
                        hours_each=None,
                        hours=None,
                        hours_per_person=None,
                        effort=None,
                        basis=(
                            f"{meetings} {plural('meeting', meetings)} "
                            f"({forum.cadence.describe()}), each attended"
                        ),
                    )
                )


def _role_keys(versions: Sequence[Profile]) -> dict[str, str]:
    """Every way a staff file may name a role (id, title, abbreviation) to its id."""
    keys: dict[str, str] = {}
    for profile in versions:
        for role in profile.roles:
            for spelling in (role.id, role.title, *role.abbreviations):
                keys.setdefault(normalise_grade_text(spelling), role.id)
    return keys


def _check_staffing(staffing: Staffing, versions: Sequence[Profile]) -> None:
    roles = _role_keys(versions)
    kinds = {
        a.quota.per for p in versions for a in p.activities if a.quota and a.quota.per is not None
    }
    activities = {
        normalise_grade_text(spelling): a
        for p in versions
        for a in p.activities
        for spelling in (a.id, a.name)
    }
    problems = []
    named = [("headcount", key) for key in staffing.headcount]
    named += [("subjects_per_person", key) for key in staffing.subjects_per_person]
    for table, key in named:
        if normalise_grade_text(key) not in roles:
            problems.append(f"{table}.{key}: not a role of the profile")
    listed = ", ".join(sorted(kinds)) or "none"
    for key in staffing.subjects:
        if key not in kinds:
            problems.append(f"subjects.{key}: no quota is owed per {key!r} (kinds: {listed})")
    for role, owed in staffing.subjects_per_person.items():
        for key in owed:
            if key not in kinds:
                problems.append(
                    f"subjects_per_person.{role}.{key}: no quota is owed per {key!r} "
                    f"(kinds: {listed})"
                )
    for key in staffing.per_occurrence:
        found = activities.get(normalise_grade_text(key))
        if found is None:
            problems.append(f"per_occurrence.{key}: not an activity of the profile")
        elif found.quota is not None:
            problems.append(
                f"per_occurrence.{key}: the profile gives its quota ({found.quota.describe()})"
            )
        elif not found.cadence.is_periodic:
            problems.append(f"per_occurrence.{key}: it has no dated occurrences")
    if problems:
        raise WorkloadError(f"{staffing.source}: " + "; ".join(problems))


def _totals(
    lines: Iterable[WorkloadLine], role: str | None, title: str, headcount: int | None
) -> WorkloadTotal:
    chosen = list(lines)
    counts = []
    for unit in dict.fromkeys(line.unit for line in chosen):
        mine = [line for line in chosen if line.unit == unit]
        known = [line.count for line in mine if line.count is not None]
        each = [line.count_per_person for line in mine if line.count_per_person is not None]
        counts.append(
            UnitCount(
                unit,
                sum(known) if known else None,
                sum(each) if each and role is not None else None,
                len(known) == len(mine),
                len(each) == len(mine) and role is not None,
            )
        )
    hours = [line.hours for line in chosen if line.hours is not None]
    each_hours = [line.hours_per_person for line in chosen if line.hours_per_person is not None]
    return WorkloadTotal(
        role=role,
        title=title,
        headcount=headcount,
        counts=tuple(counts),
        hours=sum(hours) if hours else None,
        hours_per_person=sum(each_hours) if each_hours and role is not None else None,
        lines=len(chosen),
        lines_without_count=sum(1 for line in chosen if line.count is None),
        lines_without_hours=sum(1 for line in chosen if line.hours is None),
    )


def plan_workload(
    profile: Profile | Sequence[Profile],
    year: FinancialYear | Period,
    staffing: Staffing,
) -> WorkloadPlan:
    """The workload ``profile``'s framework asks of ``staffing`` over ``year``.

    ``profile`` is a version or the versions of one profile; ``year`` a financial year or
    any period. See the
    module docstring for how each line is counted. Raises :class:`WorkloadError` when the
    staffing names a role, subject kind or activity the profile does not have, or no version
    is in force in the year.
    """
    versions = sorted(
        [profile] if isinstance(profile, Profile) else list(profile),
        key=lambda p: p.effective_from,
    )
    if not versions or len({p.id for p in versions}) != 1:
        raise WorkloadError("give the versions of one profile")
    span = year.period() if isinstance(year, FinancialYear) else year
    _check_staffing(staffing, versions)
    roles = _role_keys(versions)
    parts: list[_Version] = []
    for index, version in enumerate(versions):
        first = max(span.start, version.effective_from)
        last = span.end if version.effective_to is None else min(span.end, version.effective_to)
        if index + 1 < len(versions):
            last = min(last, versions[index + 1].effective_from - _DAY)
        if first <= last:
            parts.append(_Version(version, first, last, staffing, roles))
    if not parts:
        raise WorkloadError(
            f"no version of profile {versions[0].id!r} is in force in {span.label} "
            f"(the first takes effect {versions[0].effective_from})"
        )
    for part in parts:
        moderations = [a for a in part.profile.activities if a.kind is ActivityKind.MODERATION]
        for activity in part.profile.activities:
            if activity not in moderations:
                part.activity(activity)
        for activity in moderations:
            part.activity(activity)
        part.forums()
    lines = tuple(line for part in parts for line in part.lines)
    latest = parts[-1].profile
    order = {role.id: index for part in parts for index, role in enumerate(part.profile.roles)}
    by_role: dict[str | None, list[WorkloadLine]] = {}
    for line in lines:
        by_role.setdefault(line.role, []).append(line)
    ordered = sorted(by_role, key=lambda r: (r is None, order.get(r or "", math.inf)))
    totals = []
    for role in ordered:
        title = by_role[role][0].role_title or "Not assigned to a role"
        headcount = by_role[role][0].headcount
        totals.append(_totals(by_role[role], role, title, headcount))
    not_counted: dict[tuple[str, str], NotCounted] = {}
    for part in parts:
        for item in part.not_counted:
            not_counted.setdefault((item.source, item.id), item)
    label = year.label if isinstance(year, FinancialYear) else span.label
    return WorkloadPlan(
        profile_id=latest.id,
        authority=latest.authority,
        year=label,
        start=span.start,
        end=span.end,
        versions=tuple(VersionSpan(part.profile.label, part.first, part.last) for part in parts),
        lines=lines,
        roles=tuple(totals),
        total=_totals(lines, None, latest.authority, None),
        not_counted=tuple(not_counted.values()),
    )
