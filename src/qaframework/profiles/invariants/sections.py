"""The invariants of a profile's sections: ``activities``, ``action_timescales``,
``escalation``, ``moderation`` and ``crosswalk``."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable

from qaframework.errors import Problem
from qaframework.policy.activities import Activity
from qaframework.policy.cadence import Cadence, IsoDuration, QuotaQualifier
from qaframework.policy.case_filters import CaseField
from qaframework.policy.escalation import (
    Deadline,
    DeadlineKind,
    EscalationRule,
    TriggerKind,
)
from qaframework.policy.grades import GradeScale
from qaframework.policy.moderation import ModerationPolicy, SelectionKind, SelectionRule
from qaframework.policy.paths import PathError, resolve_path
from qaframework.policy.profile import Profile
from qaframework.policy.roles import Role
from qaframework.policy.sampling import SamplingRule
from qaframework.profiles._declared import undeclared_values
from qaframework.profiles.invariants.model import SampleSize

__all__: list[str] = []


def _assumed(profile: Profile) -> set[str]:
    """Every path an assumption names, as written and in ids."""
    found: set[str] = set()
    for assumption in profile.assumptions:
        for concern in assumption.concerns:
            found.add(concern)
            # A path that does not resolve is reported by the assumptions invariant.
            with contextlib.suppress(PathError):
                found.add(resolve_path(profile, concern).by_id)
    return found


def _check_activities(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    assumed = _assumed(profile)
    for index, activity in enumerate(profile.activities):
        path = f"$.activities[{index}]"
        named = {path, f"{path}.reported_via", f"$.activities[{activity.id}]"}
        named.add(f"$.activities[{activity.id}].reported_via")
        if not activity.who:
            problems.append(Problem(f"{path}.who", f"{activity.name!r} names no owner"))
        cadence: object = activity.cadence
        if not isinstance(cadence, Cadence):
            problems.append(Problem(f"{path}.cadence", f"{activity.name!r} has no cadence"))
        if activity.reported_via == () and not named & assumed:
            problems.append(
                Problem(
                    f"{path}.reported_via",
                    f"{activity.name!r} has no reporting line, and no assumption names "
                    f"$.activities[{activity.id}].reported_via to record that its source gives "
                    "none",
                )
            )
        problems.extend(_several_quotas(f"{path}.quota", activity.name, activity.quota))
        if isinstance(cadence, Cadence) and cadence.kind.is_per_case_event:
            problems.extend(_per_case_quotas(path, activity))
        sampling = activity.sampling
        if sampling is not None:
            problems.extend(_several_quotas(f"{path}.sampling.size", activity.name, sampling.size))
            problems.extend(_filter_values(profile, f"{path}.sampling.filter", sampling))
    return problems


def _several_quotas(path: str, name: str, value: object) -> list[Problem]:
    """Several quotas in one place are each owed per a role of their own."""
    if not isinstance(value, tuple) or len(value) < 2:
        return []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, quota in enumerate(value):
        if quota.per_role is None or quota.per is not None:
            problems.append(
                Problem(
                    f"{path}[{index}]",
                    f"{name!r} has several quotas, and this one is not owed per a role alone",
                )
            )
        elif quota.per_role in seen:
            problems.append(
                Problem(
                    f"{path}[{index}].per_role",
                    f"{name!r} owes {quota.per_role!r} two quotas (also [{seen[quota.per_role]}])",
                )
            )
        else:
            seen[quota.per_role] = index
    return problems


def _per_case_quotas(path: str, activity: Activity) -> list[Problem]:
    """A before- or after-event cadence is owed per subject, by a firm count, with no
    period of its own."""
    quotas = activity.quotas
    if not quotas:
        return [
            Problem(
                f"{path}.quota",
                f"{activity.name!r} is owed {activity.cadence.describe()} but has no quota "
                "saying how many, per whom",
            )
        ]
    problems: list[Problem] = []
    firm = (QuotaQualifier.EXACTLY, QuotaQualifier.AT_LEAST)
    for index, quota in enumerate(quotas):
        where = f"{path}.quota[{index}]" if isinstance(activity.quota, tuple) else f"{path}.quota"
        # A count not stated is not judged here: the profile does not know (a warning).
        count = quota.stated_count
        if quota.per is None or quota.qualifier not in firm or (count is not None and count < 1):
            problems.append(
                Problem(
                    where,
                    f"{activity.name!r} is owed {activity.cadence.describe()}, but its quota "
                    f"({quota.describe()}) is not a firm count owed per subject",
                )
            )
        if quota.period is not None:
            problems.append(
                Problem(
                    f"{where}.period",
                    f"{activity.name!r} is owed {activity.cadence.describe()}; its quota "
                    f"also counts per {quota.period.describe()}",
                )
            )
    return problems


def _filter_values(profile: Profile, path: str, sampling: SamplingRule) -> list[Problem]:
    """A filter's values of a declared field that lists its values are among them."""
    found = sampling.filter
    if found is None:
        return []
    declared: dict[str, CaseField] = {}
    for each in profile.case_fields:
        declared.setdefault(each.id, each)
    return [
        Problem(f"{path}{where}.values[{index}]", message)
        for where, leaf in found.leaves()
        for index, message in undeclared_values(leaf, declared)
    ]


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
        if rule.recipients == ():
            problems.append(Problem(f"{path}.recipients", f"{rule.name!r} tells no one"))
        cycle: IsoDuration | None = None
        deadline = rule.deadline
        if isinstance(deadline, Deadline) and deadline.kind is DeadlineKind.NEXT_CYCLE:
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
        if follow_up is None or not follow_up.is_stated:
            continue
        if follow_up.every is None:
            problems.append(
                Problem(
                    f"{path}.follow_up",
                    f"follow-up ({follow_up.describe()}) is not a periodic cadence",
                )
            )
        elif (
            isinstance(deadline, Deadline)
            and deadline.approximate_days(cycle) > follow_up.every.approximate_days
        ):
            problems.append(
                Problem(
                    f"{path}.deadline",
                    f"deadline ({deadline.describe()}) is later than the follow-up "
                    f"({follow_up.describe()})",
                )
            )
    return problems


def _rule_selects_one(
    rule: SelectionRule,
    policy: ModerationPolicy,
    sample_size: SampleSize,
    role: str,
    grade: str,
    scale: GradeScale,
    roles: dict[str, Role],
) -> bool:
    """Whether ``rule`` selects the only audit of a cycle, by ``role`` and graded ``grade``.

    A rule whose size is not stated may: the profile does not know (a warning says so).
    """
    kind = rule.kind
    if kind is SelectionKind.ALL or not rule.is_stated:
        return True
    if kind is SelectionKind.BY_AUDITOR:
        return role in roles and rule.selects_auditor(roles[role])
    if kind is SelectionKind.PROPORTION:
        return sample_size(policy, rule, 1) >= 1
    count = rule.count if isinstance(rule.count, int) else 0
    if kind is SelectionKind.FIXED:
        return count >= 1
    if kind is SelectionKind.PER_ROLE:
        return count >= 1 and rule.per_role == role
    threshold = rule.grade
    return threshold is not None and threshold in scale and scale.at_or_below(grade, threshold)


def _dead_rule(
    rule: SelectionRule,
    policy: ModerationPolicy,
    sample_size: SampleSize,
    auditors: set[str],
    roles: dict[str, Role],
) -> str | None:
    """Why ``rule`` can never select an audit, or None (not judged where its size is not
    stated)."""
    if not rule.is_stated:
        return None
    if rule.kind is SelectionKind.BY_AUDITOR and not any(
        rule.selects_auditor(roles[role]) for role in auditors if role in roles
    ):
        return "none of the roles it names undertakes the activities the policy applies to"
    if rule.kind is SelectionKind.PROPORTION:
        size = sample_size(policy, rule, 1)
        if size < 1:
            return f"it sizes the sample of a cycle of one audit at {size}"
    elif rule.kind in (SelectionKind.FIXED, SelectionKind.PER_ROLE) and (
        not isinstance(rule.count, int) or rule.count < 1
    ):
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
            reason = _dead_rule(rule, policy, sample_size, auditors, roles)
            if reason is not None:
                problems.append(
                    Problem(
                        f"{path}.selection[{position}]",
                        f"this rule never selects an audit: {reason}",
                    )
                )
        # A policy whose every rule takes the audits of a class of auditor (Manchester's
        # Senior Managers moderating all audits by front line managers) meets only theirs.
        scoped = bool(policy.selection) and all(
            rule.kind is SelectionKind.BY_AUDITOR for rule in policy.selection
        )
        missed: list[str] = []
        for activity in activities:
            for role in activity.who:
                if scoped and not any(
                    role in roles and rule.selects_auditor(roles[role]) for rule in policy.selection
                ):
                    continue
                for grade in scale.grades:
                    if not any(
                        _rule_selects_one(rule, policy, sample_size, role, grade.code, scale, roles)
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


def _check_crosswalk(profile: Profile, _: SampleSize) -> list[Problem]:
    problems = _scale_problems(profile.grade_scale, "$.grade_scale")
    for index, scale in enumerate(profile.scales):
        problems.extend(_scale_problems(scale, f"$.scales[{index}]"))
    return problems


def _scale_problems(scale: GradeScale, path: str) -> list[Problem]:
    """A scale's problems: too few grades, a threshold off the scale, a crosswalk that is
    not monotone."""
    problems: list[Problem] = []
    if len(scale.grades) < 2:
        problems.append(Problem(f"{path}.grades", "a grade scale has at least two grades"))
    if scale.good_or_better not in scale:
        problems.append(
            Problem(
                f"{path}.good_or_better",
                f"{scale.good_or_better!r} is not a grade of the scale ({', '.join(scale.codes)})",
            )
        )
    for index, (better, worse) in enumerate(itertools.pairwise(scale.grades)):
        if better.ilacs.rank > worse.ilacs.rank:
            problems.append(
                Problem(
                    f"{path}.grades[{index + 1}].ilacs",
                    f"{worse.label!r} maps to {worse.ilacs.label!r}, better than the "
                    f"{better.ilacs.label!r} of the better grade {better.label!r}: the ILACS "
                    "crosswalk is not monotone",
                )
            )
    return problems
