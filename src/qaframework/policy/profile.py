"""A council's QA framework as one validated value: the :class:`Profile`.

A profile is a dated version of one council's framework: its grade scale, standards, roles,
forums, reporting lines, QA activities, moderation and escalation policies and action
timescales, with the source documents every fact cites and the assumptions made where the
sources are silent. Profiles are built from data files by
:func:`qaframework.profiles.validation.profile_from_data` and found by id and date through
:func:`qaframework.load_profile`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Any, Protocol, TypeVar

import attrs

from qaframework.policy.actions import ActionTimescale
from qaframework.policy.activities import Activity
from qaframework.policy.cadence import Quota, describe_quotas
from qaframework.policy.case_filters import KNOWN_CASE_FIELDS, CaseField
from qaframework.policy.citations import Assumption, SourceDocument
from qaframework.policy.display import html_table, plural
from qaframework.policy.escalation import EscalationRule
from qaframework.policy.grades import GradeScale, grade_scale_html
from qaframework.policy.moderation import ModerationPolicy, SelectionRule
from qaframework.policy.permissions import RoleChecks
from qaframework.policy.reporting import Forum, ReportingLine
from qaframework.policy.roles import Role
from qaframework.policy.standards import Standard
from qaframework.policy.workdays import WorkingCalendar, england_and_wales

__all__ = [
    "CORE_BEHAVIOUR",
    "ID_SECTIONS",
    "Behaviour",
    "CoreBehaviour",
    "Occurrence",
    "OccurrenceKind",
    "Profile",
    "profile_html",
]

_T = TypeVar("_T")

ID_SECTIONS = (
    "sources",
    "roles",
    "standards",
    "forums",
    "reporting_lines",
    "activities",
    "moderation",
    "escalation",
    "action_timescales",
    "assumptions",
    "case_fields",
    "scales",
)
"""The sections of a :class:`Profile` whose items have ids, each its own namespace: what
validation checks for repeated ids, references resolve against and a diff matches items by."""


class OccurrenceKind(enum.Enum):
    """What a dated entry of a QA calendar is."""

    ACTIVITY = "activity"
    FORUM = "forum"
    REPORT = "report"


_KIND_ORDER = {OccurrenceKind.ACTIVITY: 0, OccurrenceKind.REPORT: 1, OccurrenceKind.FORUM: 2}


@attrs.frozen(order=False)
class Occurrence:
    """One dated entry of a profile's QA calendar.

    ``ref`` is the id of the activity, forum or reporting line; ``who`` the council's titles
    of the roles involved (the activity's owners, the report's producers, the forum's chair);
    ``how_many`` an activity's quota, or quotas, in words (empty when it has none).
    """

    day: date
    kind: OccurrenceKind
    ref: str
    title: str
    cadence: str
    who: tuple[str, ...] = ()
    how_many: str = ""

    def sort_key(self) -> tuple[date, int, str]:
        """Date, then activities before reports before forums, then id."""
        return (self.day, _KIND_ORDER[self.kind], self.ref)


# One item of each section, in words (not section.rstrip("s"): "activities" is no "activitie").
_NOUNS = {
    "roles": "role",
    "standards": "standard",
    "forums": "forum",
    "reporting_lines": "reporting line",
    "activities": "activity",
    "moderation": "moderation policy",
    "escalation": "escalation rule",
    "action_timescales": "action timescale",
    "sources": "source",
    "case_fields": "case field",
    "scales": "grade scale",
}


def _index(items: Iterable[_T]) -> dict[str, _T]:
    found: dict[str, _T] = {}
    for item in items:
        found.setdefault(item.id, item)  # type: ignore[attr-defined]
    return found


class Behaviour(Protocol):
    """A council's rules that are logic rather than values: what the engines ask a profile.

    A profile's data holds its values; where a rule is logic (which days are working days,
    how many audits a proportion of a cycle comes to), the engines call the profile's
    :attr:`Profile.behaviour`. The profile machinery gives every profile it loads one that
    answers through the plugins' behaviour hooks (:mod:`qaframework.profiles.hookspecs`); a
    profile built in Python gets :data:`CORE_BEHAVIOUR`, the core's defaults. Engines never
    look for plugins themselves.
    """

    def working_calendar(self, profile: Profile) -> WorkingCalendar:
        """The working-day calendar ``profile``'s deadlines are counted in."""
        ...

    def moderation_sample_size(
        self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
    ) -> int:
        """How many of a cycle's ``audit_count`` audits a proportional selection moderates."""
        ...


@attrs.frozen
class CoreBehaviour:
    """The core's answers: England and Wales bank holidays, and a proportion of a cycle's
    audits rounded up within the rule's minimum and maximum."""

    def working_calendar(self, profile: Profile) -> WorkingCalendar:
        """England and Wales bank holidays, whatever the council."""
        return england_and_wales()

    def moderation_sample_size(
        self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
    ) -> int:
        """The rule's proportion of the cycle's audits, rounded up, within its bounds."""
        return rule.sample_size(audit_count)


CORE_BEHAVIOUR: Behaviour = CoreBehaviour()
"""The behaviour of a profile no plugin answers for."""


@attrs.frozen(repr=False)
class Profile:
    """One dated version of a council's quality assurance framework.

    ``effective_from`` is the day the version takes effect; it stays in force until the next
    version's ``effective_from`` or its own ``effective_to`` (the last day), whichever is
    first. ``schedule_anchor`` is the day periodic cadences are counted from when an activity
    gives no anchor of its own.

    ``behaviour`` answers for the rules that are logic rather than values (see
    :class:`Behaviour`); it is not data: it is left out of comparisons, of ``repr`` and of
    :func:`~qaframework.to_dict`, and :func:`attrs.evolve` keeps it.
    """

    id: str
    authority: str
    name: str
    version: str
    effective_from: date
    schedule_anchor: date
    sources: tuple[SourceDocument, ...]
    grade_scale: GradeScale
    roles: tuple[Role, ...]
    standards: tuple[Standard, ...]
    forums: tuple[Forum, ...]
    reporting_lines: tuple[ReportingLine, ...]
    activities: tuple[Activity, ...]
    moderation: tuple[ModerationPolicy, ...]
    escalation: tuple[EscalationRule, ...]
    action_timescales: tuple[ActionTimescale, ...]
    assumptions: tuple[Assumption, ...] = ()
    case_fields: tuple[CaseField, ...] = ()
    effective_to: date | None = None
    summary: str | None = None
    scales: tuple[GradeScale, ...] = ()
    role_checks: RoleChecks | None = None
    behaviour: Behaviour = attrs.field(default=CORE_BEHAVIOUR, eq=False, repr=False, kw_only=True)
    _lookup: dict[str, dict[str, Any]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "_lookup",
            {
                "roles": _index(self.roles),
                "standards": _index(self.standards),
                "forums": _index(self.forums),
                "reporting_lines": _index(self.reporting_lines),
                "activities": _index(self.activities),
                "moderation": _index(self.moderation),
                "escalation": _index(self.escalation),
                "action_timescales": _index(self.action_timescales),
                "sources": _index(self.sources),
                "case_fields": _index(self.case_fields),
                "scales": _index(self.scales),
            },
        )

    def _get(self, section: str, item_id: str) -> Any:
        try:
            return self._lookup[section][item_id]
        except KeyError:
            known = ", ".join(self._lookup[section]) or "none"
            raise KeyError(
                f"profile {self.id!r} has no {_NOUNS[section]} {item_id!r} (known: {known})"
            ) from None

    def role(self, role_id: str) -> Role:
        """The role with this id."""
        role: Role = self._get("roles", role_id)
        return role

    def standard(self, standard_id: str) -> Standard:
        """The standard with this id."""
        standard: Standard = self._get("standards", standard_id)
        return standard

    def forum(self, forum_id: str) -> Forum:
        """The forum with this id."""
        forum: Forum = self._get("forums", forum_id)
        return forum

    def reporting_line(self, line_id: str) -> ReportingLine:
        """The reporting line with this id."""
        line: ReportingLine = self._get("reporting_lines", line_id)
        return line

    def activity(self, activity_id: str) -> Activity:
        """The activity with this id."""
        activity: Activity = self._get("activities", activity_id)
        return activity

    def source(self, source_id: str) -> SourceDocument:
        """The source document with this id."""
        source: SourceDocument = self._get("sources", source_id)
        return source

    def case_field(self, field_id: str) -> CaseField:
        """The declared case field with this id."""
        field: CaseField = self._get("case_fields", field_id)
        return field

    def case_field_names(self) -> dict[str, str]:
        """Every case-list field the profile's filters may name, with what it holds: the
        known fields and those the profile declares (a declaration's description, or its
        column name, replacing the known wording)."""
        found = dict(KNOWN_CASE_FIELDS)
        for field in self.case_fields:
            found[field.id] = field.description or field.name
        return found

    def describe_quota(self, quota: Quota | tuple[Quota, ...] | None) -> str:
        """A quota, or several, in words with the council's role titles ("1 audit per Team
        Manager per month"); empty for none."""
        known = self._lookup["roles"]
        return describe_quotas(quota, lambda role: known[role].title if role in known else None)

    def scale(self, scale_id: str) -> GradeScale:
        """The grade scale with this id: the profile's own, or one of its other scales."""
        if scale_id == self.grade_scale.id:
            return self.grade_scale
        scale: GradeScale = self._get("scales", scale_id)
        return scale

    @property
    def checks_roles(self) -> RoleChecks:
        """How audits and moderations by roles not named for them are flagged: the
        profile's :attr:`role_checks`, or warnings for both when it states none."""
        return self.role_checks if self.role_checks is not None else RoleChecks()

    @property
    def label(self) -> str:
        """``bolton 2026-01 (from 2026-02-05)``."""
        return f"{self.id} {self.version} (from {self.effective_from.isoformat()})"

    def role_titles(self, role_ids: Iterable[str]) -> tuple[str, ...]:
        """The council's titles for role ids, in the order given."""
        return tuple(self.role(r).title for r in role_ids)

    def management_chain(self, role_id: str) -> tuple[Role, ...]:
        """The roles above ``role_id``, nearest first, following ``reports_to``."""
        chain: list[Role] = []
        seen = {role_id}
        current = self.role(role_id).reports_to
        while current is not None and current not in seen:
            seen.add(current)
            role = self.role(current)
            chain.append(role)
            current = role.reports_to
        return tuple(chain)

    def activities_reported_to(self, forum_id: str) -> tuple[Activity, ...]:
        """Activities whose reporting lines reach ``forum_id``."""
        lines = {rl.id for rl in self.reporting_lines if forum_id in rl.to_forums}
        return tuple(a for a in self.activities if lines.intersection(a.reporting_lines))

    def schedule(
        self,
        start: date,
        end: date,
        *,
        kinds: Iterable[OccurrenceKind] = tuple(OccurrenceKind),
    ) -> tuple[Occurrence, ...]:
        """Dated occurrences of every periodic activity, report and forum from start to end.

        Cadences count from each activity's ``anchor`` (or the profile's
        ``schedule_anchor``). Activities that are ongoing, as required or triggered by case
        events have no dates and are listed by :meth:`unscheduled`. The result is sorted by
        date, then activities before reports before forums.
        """
        wanted = set(kinds)
        found: list[Occurrence] = []
        if OccurrenceKind.ACTIVITY in wanted:
            for activity in self.activities:
                anchor = activity.anchor or self.schedule_anchor
                who = self.role_titles(activity.who)
                how_many = self.describe_quota(activity.quota)
                for day in activity.cadence.occurrences(anchor, start, end):
                    found.append(
                        Occurrence(
                            day,
                            OccurrenceKind.ACTIVITY,
                            activity.id,
                            activity.name,
                            str(activity.cadence),
                            who,
                            how_many,
                        )
                    )
        if OccurrenceKind.REPORT in wanted:
            for line in self.reporting_lines:
                who = self.role_titles(line.produced_by)
                for day in line.cadence.occurrences(self.schedule_anchor, start, end):
                    found.append(
                        Occurrence(
                            day, OccurrenceKind.REPORT, line.id, line.report, str(line.cadence), who
                        )
                    )
        if OccurrenceKind.FORUM in wanted:
            for forum in self.forums:
                who = self.role_titles([forum.chair]) if forum.chair else ()
                for day in forum.cadence.occurrences(self.schedule_anchor, start, end):
                    found.append(
                        Occurrence(
                            day, OccurrenceKind.FORUM, forum.id, forum.name, str(forum.cadence), who
                        )
                    )
        found.sort(key=Occurrence.sort_key)
        return tuple(found)

    def unscheduled(self) -> tuple[Activity, ...]:
        """Activities with no calendar dates: ongoing, as required, or on case events."""
        return tuple(a for a in self.activities if not a.cadence.is_periodic)

    def __repr__(self) -> str:
        # A profile holds hundreds of values: its repr names it and counts its sections; the
        # HTML view and the attributes hold the rest.
        until = f" to {self.effective_to.isoformat()}" if self.effective_to is not None else ""
        return (
            f"<Profile {self.id!r} {self.version!r} ({self.authority}), in force from "
            f"{self.effective_from.isoformat()}{until}: "
            f"{plural(len(self.standards), 'standard')}, "
            f"{plural(len(self.activities), 'activity', 'activities')}, "
            f"{plural(len(self.roles), 'role')}>"
        )

    def _repr_html_(self) -> str:
        return profile_html(self)


def _cases_words(activity: Activity) -> str:
    rule = activity.sampling
    return rule.filter.describe() if rule is not None and rule.filter is not None else ""


def profile_html(profile: Profile) -> str:
    """A profile version at a glance: the authority, the version and its dates, the grade scale
    with its ILACS crosswalk, how many standards, activities, roles ... it has, the QA
    activities (who, how often, how many, which cases where a rule filters them) and how many
    assumptions it makes."""
    scale = profile.grade_scale
    until = f" to {profile.effective_to.isoformat()}" if profile.effective_to is not None else ""
    graded = sum(1 for a in profile.activities if a.graded)
    audited = sum(1 for s in profile.standards if s.audited)
    items = sum(len(a.checklist) for a in profile.activities)
    counts = [
        f"{plural(len(profile.standards), 'practice standard')} ({audited} audited)",
        f"{plural(len(profile.activities), 'QA activity', 'QA activities')} ({graded} graded)",
        plural(len(profile.roles), "role"),
        plural(len(profile.forums), "forum"),
        plural(len(profile.reporting_lines), "reporting line"),
        plural(len(profile.moderation), "moderation policy", "moderation policies"),
        plural(len(profile.escalation), "escalation rule"),
        plural(len(profile.sources), "source document"),
    ]
    if profile.scales:
        counts.insert(
            1,
            plural(len(profile.scales), "other grade scale")
            + f" ({', '.join(other.name for other in profile.scales)})",
        )
    if items:
        counts.append(plural(items, "compliance checklist item"))
    grades = grade_scale_html(scale)
    filtered = any(a.sampling is not None and a.sampling.filter for a in profile.activities)
    activities = html_table(
        (
            "Activity",
            "Who",
            "How often",
            "How many",
            *(("Which cases",) if filtered else ()),
            "Graded",
            "Also graded on",
            "Checklist",
        ),
        (
            (
                a.name,
                ", ".join(profile.role_titles(a.who)),
                a.cadence.describe(),
                profile.describe_quota(a.quota),
                *((_cases_words(a),) if filtered else ()),
                "yes" if a.graded else "",
                ", ".join(
                    profile.scale(s).name for s in a.scales if s in profile._lookup["scales"]
                ),
                plural(len(a.checklist), "item") if a.checklist else "",
            )
            for a in profile.activities
        ),
    )
    checks = profile.checks_roles
    stated = "" if profile.role_checks is not None else " (the default: the profile states none)"
    role_words = (
        f"Audits by a role the activity does not name: {checks.auditors.value}; moderations by "
        f"a role no policy names: {checks.moderators.value}{stated}."
    )
    assumptions = len(profile.assumptions)
    parts = [
        '<div class="qaframework-profile">',
        f"<p><strong>{escape(profile.authority)}</strong>: {escape(profile.name)}<br>",
        f"Profile <code>{escape(profile.id)}</code>, version {escape(profile.version)}, "
        f"in force from {profile.effective_from.isoformat()}{until}</p>",
    ]
    if profile.summary:
        parts.append(f"<p>{escape(profile.summary)}</p>")
    parts.append(grades)
    for other in profile.scales:
        parts.append(
            html_table(
                ("Code", "Grade", "ILACS equivalent", "Good or better"),
                (
                    (
                        g.code,
                        g.label,
                        g.ilacs.label,
                        "yes" if other.is_good_or_better(g.code) else "",
                    )
                    for g in other.grades
                ),
                caption=f"Also graded on: {other.name}",
            )
        )
    parts.append(f"<p>{escape('; '.join(counts))}.</p>")
    parts.append(
        "<details><summary>"
        + escape(plural(len(profile.activities), "QA activity", "QA activities"))
        + " at a glance</summary>"
        + activities
        + "</details>"
    )
    parts.append(f"<p>{escape(role_words)}</p>")
    parts.append(
        f"<p>{plural(assumptions, 'assumption')} made where the sources are silent "
        "(<code>profile.assumptions</code>).</p>"
    )
    parts.append("</div>")
    return "".join(parts)
