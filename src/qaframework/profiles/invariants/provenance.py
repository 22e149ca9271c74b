"""The invariants of where facts come from: ``citations``, ``assumptions`` and
``complete`` (nothing left to fill in)."""

from __future__ import annotations

from qaframework.errors import Problem
from qaframework.policy.citations import Assumption, Citation
from qaframework.policy.paths import PathError, resolve_path
from qaframework.policy.permissions import RoleChecks
from qaframework.policy.profile import Profile
from qaframework.profiles._declared import declared_names
from qaframework.profiles.invariants.model import FILL_IN, SampleSize
from qaframework.profiles.invariants.walking import (
    _all_objects,
    _fields,
    _sections,
    _strings,
    _value,
)

__all__: list[str] = []


def _check_citations(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    sources = {source.id for source in profile.sources}
    # A choice the sources leave open is recorded as an assumption rather than cited.
    assumed = {
        concern.split(".")[1].split("[")[0]
        for assumption in profile.assumptions
        for concern in assumption.concerns
        if concern.startswith("$.")
    }
    for path, obj in _all_objects(profile):
        if isinstance(obj, Citation):
            if obj.source not in sources:
                problems.append(
                    Problem(
                        f"{path}.source",
                        f"cites {obj.source!r}, which is not a declared source "
                        f"({declared_names(sorted(sources), obj.source)})",
                    )
                )
            if not obj.section.strip():
                problems.append(Problem(f"{path}.section", "a citation names its section"))
        elif (
            not isinstance(obj, Assumption)
            and "citation" in _fields(type(obj))
            and _value(obj, "citation") is None
        ):
            if isinstance(obj, RoleChecks) and "role_checks" in assumed:
                continue
            problems.append(
                Problem(
                    f"{path}.citation",
                    "this fact cites no source"
                    + (
                        " (cite one, or record an assumption naming $.role_checks)"
                        if isinstance(obj, RoleChecks)
                        else ""
                    ),
                )
            )
    return problems


def _check_assumptions(profile: Profile, _: SampleSize) -> list[Problem]:
    problems: list[Problem] = []
    for index, assumption in enumerate(profile.assumptions):
        for position, concern in enumerate(assumption.concerns):
            where = f"$.assumptions[{index}].concerns[{position}]"
            try:
                found = resolve_path(profile, concern)
            except PathError as error:
                problems.append(Problem(where, str(error)))
                continue
            if found.by_place:
                named = ", ".join(
                    f"{step.list_path}[{step.index}] is {step.key!r}" for step in found.by_place
                )
                problems.append(
                    Problem(
                        where,
                        f"{concern!r} names an item by its place ({named}), which points at "
                        f"another item once items are added, removed or reordered: write "
                        f"{found.by_id!r}",
                    )
                )
    return problems


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
