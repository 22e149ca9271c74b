"""The invariants of where facts come from: ``citations``, ``assumptions`` and
``complete`` (nothing left to fill in)."""

from __future__ import annotations

from typing import Any

import attrs

from qaframework.errors import Problem
from qaframework.policy.citations import Assumption, Citation
from qaframework.policy.profile import Profile
from qaframework.profiles.invariants.model import FILL_IN, SampleSize
from qaframework.profiles.invariants.walking import (
    _PATH_STEP,
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
