"""The ``references`` invariant: every id referenced is declared, once, in its name
space."""

from __future__ import annotations

from typing import Any

from qaframework.errors import Problem
from qaframework.policy.actions import ActionTimescale
from qaframework.policy.activities import Activity
from qaframework.policy.cadence import Quota
from qaframework.policy.case_filters import KNOWN_CASE_FIELDS, CaseFilter
from qaframework.policy.citations import Citation
from qaframework.policy.escalation import (
    Consequence,
    EscalationRule,
    Trigger,
)
from qaframework.policy.grades import GradeScale
from qaframework.policy.moderation import ModerationPolicy, SelectionRule
from qaframework.policy.profile import ID_SECTIONS, Profile
from qaframework.policy.reporting import Forum, ReportingLine
from qaframework.policy.roles import Role
from qaframework.policy.unknowns import NotStated
from qaframework.profiles._declared import declared_names
from qaframework.profiles.invariants.model import SampleSize
from qaframework.profiles.invariants.walking import _all_objects, _value

__all__ = ["REFERENCE_FIELDS"]


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
        "scales": "scales",
    },
    Quota: {"per_role": "roles"},
    CaseFilter: {"field": "case_fields"},
    SelectionRule: {"per_role": "roles", "grade": "grades", "auditor_roles": "roles"},
    ModerationPolicy: {"applies_to": "activities", "moderators": "roles", "feedback_to": "roles"},
    Trigger: {"at_or_below": "grades", "grades": "grades"},
    EscalationRule: {
        "recipients": "roles",
        "conditional_recipients": "roles",
        "raised_by": "roles",
        "follow_up_by": "roles",
        "applies_to": "activities",
    },
    Consequence: {
        "owner": "roles",
        "monitored_in": "forums",
        "circulated_to": "roles",
        "activity": "activities",
    },
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
    "case_fields": "case field",
    "scales": "grade scale",
}


def _namespaces(profile: Profile) -> dict[str, set[str]]:
    spaces = {name: {item.id for item in getattr(profile, name)} for name in ID_SECTIONS}
    spaces["grades"] = {grade.code for grade in profile.grade_scale.grades}
    # A filter may name the fields every case list is read with and the common Annex A
    # ones, as well as those the profile declares.
    spaces["case_fields"] |= set(KNOWN_CASE_FIELDS)
    return spaces


def _as_ids(value: Any) -> list[tuple[str, Any]]:
    if value is None or isinstance(value, NotStated):
        return []
    if isinstance(value, tuple):
        return [(f"[{index}]", item) for index, item in enumerate(value)]
    return [("", value)]


def _check_references(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    spaces = _namespaces(profile)
    for section in ID_SECTIONS:
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
    scales = [("$.grade_scale", profile.grade_scale)]
    scales += [(f"$.scales[{i}]", scale) for i, scale in enumerate(profile.scales)]
    for where, scale in scales:
        first_grade: dict[str, int] = {}
        for index, grade in enumerate(scale.grades):
            if grade.code in first_grade:
                problems.append(
                    Problem(
                        f"{where}.grades[{index}].code",
                        f"duplicate grade code {grade.code!r} "
                        f"(also grades[{first_grade[grade.code]}])",
                    )
                )
            first_grade.setdefault(grade.code, index)
    for index, scale in enumerate(profile.scales):
        if scale.id == profile.grade_scale.id:
            problems.append(
                Problem(
                    f"$.scales[{index}].id",
                    f"{scale.id!r} is the id of the profile's grade scale too",
                )
            )
    for index, activity in enumerate(profile.activities):
        first_item: dict[str, int] = {}
        for position, item in enumerate(activity.checklist):
            if item.id in first_item:
                problems.append(
                    Problem(
                        f"$.activities[{index}].checklist[{position}].id",
                        f"duplicate checklist item {item.id!r} "
                        f"(also checklist[{first_item[item.id]}])",
                    )
                )
            first_item.setdefault(item.id, position)
    for path, obj in _all_objects(profile):
        if isinstance(obj, Citation):
            continue  # judged by the citations invariant
        if isinstance(obj, GradeScale) and not path.startswith("$.grade_scale"):
            continue  # another scale's threshold is one of its own grades: the crosswalk's
        for name, space in REFERENCE_FIELDS.get(type(obj), {}).items():
            for suffix, ref in _as_ids(_value(obj, name)):
                if ref not in spaces[space]:
                    problems.append(
                        Problem(
                            f"{path}.{name}{suffix}",
                            f"{_NOUN[space]} {ref!r} is not declared "
                            f"({declared_names(sorted(spaces[space]), ref)})",
                        )
                    )
    return problems
