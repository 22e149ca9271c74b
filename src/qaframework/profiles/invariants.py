"""The invariants every council profile keeps: the policy checks beyond the data format.

Validation (:mod:`qaframework.profiles.validation`) rejects a data file that cannot be a profile.
The invariants state what a *sound* framework must be, and are re-checked here through the public
model alone, so the suite also judges a :class:`~qaframework.policy.profile.Profile` built in Python
(a plugin may register one) and stands on its own. Each invariant is an :class:`Invariant`
with an id, one sentence saying what it holds, and a check returning every
:class:`~qaframework.errors.Problem` with its profile path; :func:`check_invariants` runs them
all. The conformance kit (:mod:`qaframework.testing`) turns each into a test, and ``qaframework
profile check`` lists their problems.

Invariants of one version (:data:`INVARIANTS`):

``references``
    Every role, forum, standard, grade, reporting line and activity referenced is declared,
    and ids are unique within their section (the section's name space).
``activities``
    Every activity has an owner (``who``), a cadence and a reporting line (``reported_via``).
    Sources are sometimes silent about where an activity's findings go, so an activity with
    no reporting line passes when an assumption of the profile names it in ``concerns``: the
    activity's path (``$.activities[3]``) or its reporting field
    (``$.activities[3].reported_via``). A silence is then recorded, never a silent default.
``escalation``
    Every escalation rule has recipients and a deadline no later than its follow-up; a
    follow-up is a periodic cadence; a "by the next cycle" deadline has a cycle to count from
    (a periodic activity among those the rule applies to: its ``applies_to``, or every graded
    activity).
``moderation``
    Moderation can select at least one audit whenever a cycle has audits. For each policy
    and each audit it could meet (an audit of an activity it applies to, by a role that
    undertakes that activity, of any grade), a cycle holding only that audit selects it
    under some rule: ``all``; ``proportion`` whose size for one audit is at least one;
    ``fixed`` with a count of at least one; ``per_role`` with a count of at least one and
    the audit's role; ``grade_at_or_below`` with the audit's grade at or below the rule's.
    A cycle of one audit is the hardest case: more audits never shrink a selection. A rule
    that can select nothing at all (a count or maximum of zero, a ``per_role`` rule whose
    role undertakes none of the activities) is a problem too, as is a policy applying to an
    activity that produces no graded audits.
``crosswalk``
    The grade scale has at least two grades, its good-or-better threshold is one of them,
    and its ILACS crosswalk is monotone: a better grade never maps to a worse judgement.
``citations``
    Every fact has a citation whose source is a declared source document and whose section
    is named. (An assumption's citation is optional: it points at a silence.)
``assumptions``
    Every path an assumption names in ``concerns`` points into the profile.
``complete``
    Nothing is left to fill in. A scaffolded profile marks each part its author must write
    with a string starting with :data:`FILL_IN` (``"FILL IN: the council's name"``), which
    the strict converter accepts like any text; every such string is reported, with its
    path, as ``incomplete``. A part that is not text (a date, a count) is marked by an
    assumption whose text starts with :data:`FILL_IN` and whose ``concerns`` name the parts:
    each is reported too. So an unfilled section is never taken for a real value.

Invariants across the versions of one profile (:data:`VERSION_INVARIANTS`, run by
:func:`check_versions`):

``round_trip``
    Every version survives the converter: its plain data
    (:func:`~qaframework.profiles.converter.to_dict`) reads back through
    :func:`~qaframework.profiles.converter.from_dict` and through
    :func:`~qaframework.profiles.validation.profile_from_data` to an equal profile.
``dates``
    The versions belong to one profile id, no two take effect on the same day, and none
    runs (``effective_to``) past the day the next takes effect.

That every version *loads* is checked where versions are loaded, by the registry; the
conformance kit reports a version that fails to load as a failure of this suite.

All checks are pure: they read the profile and nothing else. The size of a proportional
moderation sample is a plugin hook (``moderation_sample_size``); callers that honour plugins
pass ``sample_size=hook_sample_size(profile)`` (the conformance kit does), and the core rule
is used otherwise.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import attrs

from qaframework.errors import Problem, QAFrameworkError
from qaframework.policy.actions import ActionTimescale
from qaframework.policy.activities import Activity
from qaframework.policy.cadence import Cadence, IsoDuration, Quota
from qaframework.policy.citations import Assumption, Citation
from qaframework.policy.escalation import (
    Consequence,
    DeadlineKind,
    EscalationRule,
    Trigger,
    TriggerKind,
)
from qaframework.policy.grades import GradeScale
from qaframework.policy.moderation import ModerationPolicy, SelectionKind, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.reporting import Forum, ReportingLine
from qaframework.policy.roles import Role

__all__ = [
    "FILL_IN",
    "INVARIANTS",
    "REFERENCE_FIELDS",
    "VERSION_INVARIANTS",
    "Invariant",
    "SampleSize",
    "VersionInvariant",
    "check_invariants",
    "check_versions",
    "core_sample_size",
    "hook_sample_size",
]

FILL_IN = "FILL IN"
"""The marker of a part of a profile still to be written: a string value starting with it."""

SampleSize = Callable[[ModerationPolicy, SelectionRule, int], int]
"""How many of a cycle's audits a proportional selection rule moderates:
``(policy, rule, audit_count) -> size``."""


def core_sample_size(policy: ModerationPolicy, rule: SelectionRule, audit_count: int) -> int:
    """The core's sizing of a proportional sample (:meth:`SelectionRule.sample_size`)."""
    return rule.sample_size(audit_count)


def hook_sample_size(profile: Profile) -> SampleSize:
    """The sizing the ``moderation_sample_size`` hook gives for ``profile``'s policies.

    The checks stay pure: this reads the registered plugins only when the returned function
    is called, as moderation selection does.
    """

    def size(policy: ModerationPolicy, rule: SelectionRule, audit_count: int) -> int:
        # Imported here: the plugin manager registers the built-in plugins, which import the
        # profile module.
        from qaframework.profiles.plugins import get_plugin_manager

        found: int = get_plugin_manager().hook.moderation_sample_size(
            profile=profile, policy=policy, rule=rule, audit_count=audit_count
        )
        return found

    return size


Check = Callable[[Profile, SampleSize], list[Problem]]


@attrs.frozen
class Invariant:
    """One invariant of a profile version: an id, what it holds, and its check."""

    id: str
    statement: str
    _check: Check = attrs.field(alias="check", repr=False)

    def check(
        self, profile: Profile, *, sample_size: SampleSize = core_sample_size
    ) -> list[Problem]:
        """Every problem with ``profile`` under this invariant (empty when it holds)."""
        return self._check(profile, sample_size)


@attrs.frozen
class VersionInvariant:
    """One invariant over all the versions of a profile."""

    id: str
    statement: str
    _check: Callable[[Sequence[Profile]], list[Problem]] = attrs.field(alias="check", repr=False)

    def check(self, versions: Sequence[Profile]) -> list[Problem]:
        """Every problem with ``versions`` under this invariant (empty when it holds)."""
        return self._check(versions)


# -- walking the model ------------------------------------------------------------------

_FIELDS: dict[type, dict[str, str]] = {}


def _field_map(cls: type) -> dict[str, str]:
    """A class's fields as data names them (the init alias) to attribute names."""
    found = _FIELDS.get(cls)
    if found is None:
        found = {f.alias: f.name for f in attrs.fields(cls) if f.init}
        _FIELDS[cls] = found
    return found


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(_field_map(cls))


def _value(obj: Any, name: str) -> Any:
    return getattr(obj, _field_map(type(obj))[name])


def _objects(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every attrs value inside ``value`` with its profile path, depth first, in order."""
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _objects(item, f"{path}[{index}]")
        return
    if not attrs.has(type(value)):
        return
    yield path, value
    for name in _fields(type(value)):
        yield from _objects(_value(value, name), f"{path}.{name}")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` with its profile path (enum values are not text)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif attrs.has(type(value)):
        for name in _fields(type(value)):
            yield from _strings(_value(value, name), f"{path}.{name}")


def _sections(profile: Profile) -> Iterator[tuple[str, Any]]:
    for name in _fields(Profile):
        yield f"$.{name}", _value(profile, name)


def _all_objects(profile: Profile) -> Iterator[tuple[str, Any]]:
    for path, value in _sections(profile):
        yield from _objects(value, path)


# -- references -----------------------------------------------------------------------

# Which name space each referring field draws on. A field holding an id of another section
# is listed here; tests check that every text field of the model is either listed here or
# known to be free text, so a new reference cannot go unchecked.
REFERENCE_FIELDS: dict[type, dict[str, str]] = {
    Role: {"reports_to": "roles"},
    Forum: {"chair": "roles", "members": "roles"},
    ReportingLine: {"produced_by": "roles", "to_forums": "forums", "to_roles": "roles"},
    Activity: {
        "who": "roles",
        "reported_via": "reporting_lines",
        "standards": "standards",
        "logged_as": "activities",
    },
    Quota: {"per_role": "roles"},
    SelectionRule: {"per_role": "roles", "grade": "grades"},
    ModerationPolicy: {"applies_to": "activities", "moderators": "roles", "feedback_to": "roles"},
    Trigger: {"at_or_below": "grades", "grades": "grades"},
    EscalationRule: {
        "recipients": "roles",
        "conditional_recipients": "roles",
        "raised_by": "roles",
        "follow_up_by": "roles",
        "applies_to": "activities",
    },
    Consequence: {"owner": "roles", "monitored_in": "forums", "circulated_to": "roles"},
    ActionTimescale: {
        "applies_to": "activities",
        "owner": "roles",
        "tracked_by": "roles",
        "reviewed_in": "forums",
        "grades": "grades",
    },
    GradeScale: {"good_or_better": "grades"},
    Citation: {"source": "sources"},
}

_NOUN = {
    "roles": "role",
    "forums": "forum",
    "standards": "standard",
    "grades": "grade",
    "reporting_lines": "reporting line",
    "activities": "activity",
    "sources": "source document",
}

_ID_SECTIONS = (
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
)


def _namespaces(profile: Profile) -> dict[str, set[str]]:
    spaces = {name: {item.id for item in getattr(profile, name)} for name in _ID_SECTIONS}
    spaces["grades"] = {grade.code for grade in profile.grade_scale.grades}
    return spaces


def _as_ids(value: Any) -> list[tuple[str, Any]]:
    if value is None:
        return []
    if isinstance(value, tuple):
        return [(f"[{index}]", item) for index, item in enumerate(value)]
    return [("", value)]


def _check_references(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    spaces = _namespaces(profile)
    for section in _ID_SECTIONS:
        first: dict[str, int] = {}
        for index, item in enumerate(getattr(profile, section)):
            if item.id in first:
                problems.append(
                    Problem(
                        f"$.{section}[{index}].id",
                        f"duplicate id {item.id!r} (also {section}[{first[item.id]}])",
                    )
                )
            first.setdefault(item.id, index)
    first_grade: dict[str, int] = {}
    for index, grade in enumerate(profile.grade_scale.grades):
        if grade.code in first_grade:
            problems.append(
                Problem(
                    f"$.grade_scale.grades[{index}].code",
                    f"duplicate grade code {grade.code!r} (also grades[{first_grade[grade.code]}])",
                )
            )
        first_grade.setdefault(grade.code, index)
    for path, obj in _all_objects(profile):
        if isinstance(obj, Citation):
            continue  # judged by the citations invariant
        for name, space in REFERENCE_FIELDS.get(type(obj), {}).items():
            for suffix, ref in _as_ids(_value(obj, name)):
                if ref not in spaces[space]:
                    declared = ", ".join(sorted(spaces[space])) or "none"
                    problems.append(
                        Problem(
                            f"{path}.{name}{suffix}",
                            f"{_NOUN[space]} {ref!r} is not declared (declared: {declared})",
                        )
                    )
    return problems


# -- activities -----------------------------------------------------------------------

_PATH_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def _assumed(profile: Profile) -> set[str]:
    return {concern for assumption in profile.assumptions for concern in assumption.concerns}


def _check_activities(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    assumed = _assumed(profile)
    for index, activity in enumerate(profile.activities):
        path = f"$.activities[{index}]"
        if not activity.who:
            problems.append(Problem(f"{path}.who", f"{activity.name!r} names no owner"))
        cadence: object = activity.cadence
        if not isinstance(cadence, Cadence):
            problems.append(Problem(f"{path}.cadence", f"{activity.name!r} has no cadence"))
        if not activity.reported_via and not {path, f"{path}.reported_via"} & assumed:
            problems.append(
                Problem(
                    f"{path}.reported_via",
                    f"{activity.name!r} has no reporting line, and no assumption names "
                    f"{path}.reported_via to record that its source gives none",
                )
            )
    return problems


def _check_action_timescales(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    codes = profile.grade_scale.codes
    claimed: dict[tuple[str, str], int] = {}
    for index, timescale in enumerate(profile.action_timescales):
        grades = timescale.grades or codes
        for activity in timescale.applies_to:
            for grade in grades:
                first = claimed.setdefault((activity, grade), index)
                if first != index:
                    problems.append(
                        Problem(
                            f"$.action_timescales[{index}].applies_to",
                            f"actions from {activity!r} audits graded {grade!r} would have two "
                            f"timescales: action_timescales[{first}] and this one",
                        )
                    )
                    break
    return problems


# -- escalation -----------------------------------------------------------------------


def _rule_activities(profile: Profile, rule: EscalationRule) -> list[Activity]:
    if rule.applies_to:
        by_id = {a.id: a for a in profile.activities}
        return [by_id[a] for a in rule.applies_to if a in by_id]
    if rule.trigger.kind is TriggerKind.CONCERN:
        return list(profile.activities)  # a concern is raised from any activity's audit
    return [a for a in profile.activities if a.graded]


def _longest_cycle(activities: Iterable[Activity]) -> IsoDuration | None:
    cycles = [a.cadence.every for a in activities if a.cadence.every is not None]
    return max(cycles, key=lambda d: d.approximate_days) if cycles else None


def _check_escalation(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    for index, rule in enumerate(profile.escalation):
        path = f"$.escalation[{index}]"
        if not rule.recipients:
            problems.append(Problem(f"{path}.recipients", f"{rule.name!r} tells no one"))
        cycle: IsoDuration | None = None
        if rule.deadline.kind is DeadlineKind.NEXT_CYCLE:
            cycle = _longest_cycle(_rule_activities(profile, rule))
            if cycle is None:
                problems.append(
                    Problem(
                        f"{path}.deadline",
                        f"{rule.name!r} is due by the next cycle, but none of the activities "
                        "it applies to recurs on a calendar",
                    )
                )
                continue
        follow_up = rule.follow_up
        if follow_up is None:
            continue
        if follow_up.every is None:
            problems.append(
                Problem(
                    f"{path}.follow_up",
                    f"follow-up ({follow_up.describe()}) is not a periodic cadence",
                )
            )
        elif rule.deadline.approximate_days(cycle) > follow_up.every.approximate_days:
            problems.append(
                Problem(
                    f"{path}.deadline",
                    f"deadline ({rule.deadline.describe()}) is later than the follow-up "
                    f"({follow_up.describe()})",
                )
            )
    return problems


# -- moderation -----------------------------------------------------------------------


def _rule_selects_one(
    rule: SelectionRule,
    policy: ModerationPolicy,
    sample_size: SampleSize,
    role: str,
    grade: str,
    scale: GradeScale,
) -> bool:
    """Whether ``rule`` selects the only audit of a cycle, by ``role`` and graded ``grade``."""
    kind = rule.kind
    if kind is SelectionKind.ALL:
        return True
    if kind is SelectionKind.PROPORTION:
        return sample_size(policy, rule, 1) >= 1
    if kind is SelectionKind.FIXED:
        return (rule.count or 0) >= 1
    if kind is SelectionKind.PER_ROLE:
        return (rule.count or 0) >= 1 and rule.per_role == role
    threshold = rule.grade
    return threshold is not None and threshold in scale and scale.at_or_below(grade, threshold)


def _dead_rule(
    rule: SelectionRule,
    policy: ModerationPolicy,
    sample_size: SampleSize,
    auditors: set[str],
) -> str | None:
    """Why ``rule`` can never select an audit, or None."""
    if rule.kind is SelectionKind.PROPORTION:
        size = sample_size(policy, rule, 1)
        if size < 1:
            return f"it sizes the sample of a cycle of one audit at {size}"
    elif rule.kind in (SelectionKind.FIXED, SelectionKind.PER_ROLE) and (rule.count or 0) < 1:
        return f"its count is {rule.count}"
    if rule.kind is SelectionKind.PER_ROLE and rule.per_role not in auditors:
        return f"{rule.per_role!r} undertakes none of the activities the policy applies to"
    return None


def _check_moderation(profile: Profile, sample_size: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    scale = profile.grade_scale
    by_id = {a.id: a for a in profile.activities}
    roles = {r.id: r for r in profile.roles}
    for index, policy in enumerate(profile.moderation):
        path = f"$.moderation[{index}]"
        activities: list[Activity] = []
        for position, activity_id in enumerate(policy.applies_to):
            activity = by_id.get(activity_id)
            if activity is None:
                continue  # reported by the references invariant
            if not activity.graded:
                problems.append(
                    Problem(
                        f"{path}.applies_to[{position}]",
                        f"{activity.name!r} produces no graded audits to moderate",
                    )
                )
                continue
            activities.append(activity)
        auditors = {role for activity in activities for role in activity.who}
        for position, rule in enumerate(policy.selection):
            reason = _dead_rule(rule, policy, sample_size, auditors)
            if reason is not None:
                problems.append(
                    Problem(
                        f"{path}.selection[{position}]",
                        f"this rule never selects an audit: {reason}",
                    )
                )
        missed: list[str] = []
        for activity in activities:
            for role in activity.who:
                for grade in scale.grades:
                    if not any(
                        _rule_selects_one(rule, policy, sample_size, role, grade.code, scale)
                        for rule in policy.selection
                    ):
                        title = roles[role].title if role in roles else role
                        missed.append(f"{activity.name} by {title} graded {grade.label}")
        if missed:
            shown = "; ".join(missed[:3])
            more = f" (and {len(missed) - 3} more)" if len(missed) > 3 else ""
            problems.append(
                Problem(
                    f"{path}.selection",
                    f"{policy.name!r} selects nothing from a cycle whose only audit is: "
                    f"{shown}{more}",
                )
            )
    return problems


# -- grade scale ----------------------------------------------------------------------


def _check_crosswalk(profile: Profile, _: SampleSize) -> list[Problem]:
    scale = profile.grade_scale
    problems: list[Problem] = []
    if len(scale.grades) < 2:
        problems.append(Problem("$.grade_scale.grades", "a grade scale has at least two grades"))
    if scale.good_or_better not in scale:
        problems.append(
            Problem(
                "$.grade_scale.good_or_better",
                f"{scale.good_or_better!r} is not a grade of the scale ({', '.join(scale.codes)})",
            )
        )
    for index, (better, worse) in enumerate(itertools.pairwise(scale.grades)):
        if better.ilacs.rank > worse.ilacs.rank:
            problems.append(
                Problem(
                    f"$.grade_scale.grades[{index + 1}].ilacs",
                    f"{worse.label!r} maps to {worse.ilacs.label!r}, better than the "
                    f"{better.ilacs.label!r} of the better grade {better.label!r}: the ILACS "
                    "crosswalk is not monotone",
                )
            )
    return problems


# -- citations and assumptions --------------------------------------------------------


def _check_citations(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    sources = {source.id for source in profile.sources}
    for path, obj in _all_objects(profile):
        if isinstance(obj, Citation):
            if obj.source not in sources:
                declared = ", ".join(sorted(sources)) or "none"
                problems.append(
                    Problem(
                        f"{path}.source",
                        f"cites {obj.source!r}, which is not a declared source (declared: "
                        f"{declared})",
                    )
                )
            if not obj.section.strip():
                problems.append(Problem(f"{path}.section", "a citation names its section"))
        elif (
            not isinstance(obj, Assumption)
            and "citation" in _fields(type(obj))
            and _value(obj, "citation") is None
        ):
            problems.append(Problem(f"{path}.citation", "this fact cites no source"))
    return problems


def _resolve(profile: Profile, path: str) -> str | None:
    """Why ``path`` does not point into ``profile``, or None when it does."""
    if not path.startswith("$."):
        return "a profile path starts with '$.'"
    current: Any = profile
    position = 1
    while position < len(path):
        match = _PATH_STEP.match(path, position)
        if match is None:
            return f"cannot read {path[position:]!r}"
        name, number = match.groups()
        position = match.end()
        if name is not None:
            if not attrs.has(type(current)) or name not in _fields(type(current)):
                return f"there is no field {name!r} there"
            current = _value(current, name)
        elif not isinstance(current, tuple) or int(number) >= len(current):
            return f"there is no item [{number}] there"
        else:
            current = current[int(number)]
    return None


def _check_assumptions(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    for index, assumption in enumerate(profile.assumptions):
        for position, concern in enumerate(assumption.concerns):
            reason = _resolve(profile, concern)
            if reason is not None:
                problems.append(
                    Problem(
                        f"$.assumptions[{index}].concerns[{position}]",
                        f"{concern!r} does not point into the profile: {reason}",
                    )
                )
    return problems


# -- completeness ---------------------------------------------------------------------


def _check_complete(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    for section_path, section in _sections(profile):
        for path, text in _strings(section, section_path):
            if text.lstrip().startswith(FILL_IN):
                problems.append(Problem(path, f"incomplete: {text.strip()}"))
    for assumption in profile.assumptions:
        if assumption.text.lstrip().startswith(FILL_IN):
            problems.extend(
                Problem(concern, f"incomplete: {assumption.text.strip()}")
                for concern in assumption.concerns
            )
    return problems


INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "references",
        "every role, forum, standard, grade, reporting line and activity referenced is "
        "declared, once",
        check=_check_references,
    ),
    Invariant(
        "activities",
        "every activity has an owner, a cadence and a reporting line (or an assumption "
        "recording that its source names none)",
        check=_check_activities,
    ),
    Invariant(
        "action_timescales",
        "an audit's actions have at most one timescale: no activity and grade is claimed by two",
        check=_check_action_timescales,
    ),
    Invariant(
        "escalation",
        "every escalation has recipients and a deadline no later than its follow-up",
        check=_check_escalation,
    ),
    Invariant(
        "moderation",
        "moderation can select at least one audit whenever a cycle has audits",
        check=_check_moderation,
    ),
    Invariant(
        "crosswalk",
        "the grade scale's ILACS crosswalk is monotone and its good-or-better threshold is "
        "one of its grades",
        check=_check_crosswalk,
    ),
    Invariant(
        "citations",
        "every fact has a citation whose source is declared",
        check=_check_citations,
    ),
    Invariant(
        "assumptions",
        "every path an assumption names points into the profile",
        check=_check_assumptions,
    ),
    Invariant(
        "complete",
        f"nothing is left to fill in (no text starting {FILL_IN!r})",
        check=_check_complete,
    ),
)
"""The invariants of one profile version, in the order they are reported."""


def check_invariants(
    profile: Profile,
    *,
    sample_size: SampleSize = core_sample_size,
    invariants: Iterable[Invariant] = INVARIANTS,
) -> list[Problem]:
    """Every problem ``profile`` has under ``invariants`` (all of them by default), in order.

    ``sample_size`` sizes proportional moderation samples; pass the plugin hook's answer to
    honour plugins (see :mod:`qaframework.testing`).
    """
    problems: list[Problem] = []
    for each in invariants:
        problems.extend(each.check(profile, sample_size=sample_size))
    return problems


# -- across versions ------------------------------------------------------------------


def _check_round_trip(versions: Sequence[Profile]) -> list[Problem]:
    # Imported here: the converter and validation pull in cattrs, which the rest of the
    # invariants do not need.
    from qaframework.profiles.converter import from_dict, to_dict
    from qaframework.profiles.validation import profile_from_data

    problems: list[Problem] = []
    for profile in versions:
        try:
            data = json.loads(json.dumps(to_dict(profile)))
            if from_dict(Profile, data) != profile:
                problems.append(
                    Problem("$", f"{profile.label} changes on a round trip through plain data")
                )
            if profile_from_data(data, profile.label) != profile:
                problems.append(
                    Problem("$", f"{profile.label} changes when its plain data is validated")
                )
        except QAFrameworkError as exc:
            problems.append(
                Problem("$", f"{profile.label} does not load from its plain data: {exc}")
            )
        # The converter reports a value it cannot write or read back as a TypeError, a
        # ValueError or a cattrs exception group; each is a failure of this invariant.
        except Exception as exc:
            problems.append(
                Problem("$", f"{profile.label} does not convert to plain data and back: {exc!r}")
            )
    return problems


def _check_dates(versions: Sequence[Profile]) -> list[Problem]:
    problems: list[Problem] = []
    ids = sorted({profile.id for profile in versions})
    if len(ids) > 1:
        problems.append(Problem("$.id", f"versions of several profiles: {', '.join(ids)}"))
    ordered = sorted(versions, key=lambda p: p.effective_from)
    for profile in ordered:
        end: date | None = profile.effective_to
        if end is not None and end < profile.effective_from:
            problems.append(
                Problem(
                    "$.effective_to",
                    f"{profile.label} ends on {end.isoformat()}, before it takes effect",
                )
            )
    for earlier, later in itertools.pairwise(ordered):
        if earlier.effective_from == later.effective_from:
            problems.append(
                Problem(
                    "$.effective_from",
                    f"{earlier.label} and {later.label} take effect on the same day",
                )
            )
        elif earlier.effective_to is not None and earlier.effective_to >= later.effective_from:
            problems.append(
                Problem(
                    "$.effective_to",
                    f"{earlier.label} runs to {earlier.effective_to.isoformat()}, overlapping "
                    f"{later.label}",
                )
            )
    return problems


VERSION_INVARIANTS: tuple[VersionInvariant, ...] = (
    VersionInvariant(
        "round_trip",
        "every version round-trips through the converter and validation unchanged",
        check=_check_round_trip,
    ),
    VersionInvariant(
        "dates",
        "the dated versions of a profile do not overlap",
        check=_check_dates,
    ),
)
"""The invariants across the versions of one profile."""


def check_versions(
    versions: Sequence[Profile],
    *,
    invariants: Iterable[VersionInvariant] = VERSION_INVARIANTS,
) -> list[Problem]:
    """Every problem with the versions of one profile under ``invariants`` (all by default)."""
    problems: list[Problem] = []
    for each in invariants:
        problems.extend(each.check(versions))
    return problems
