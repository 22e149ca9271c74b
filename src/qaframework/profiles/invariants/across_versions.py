"""The invariants across the versions of one profile (``round_trip``, ``dates``), and
:func:`check_versions`."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from datetime import date

from qaframework.errors import Problem, QAFrameworkError
from qaframework.policy.profile import Profile
from qaframework.profiles.invariants.model import VersionInvariant

__all__ = ["VERSION_INVARIANTS", "check_versions"]


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


def _check_assumption_paths(versions: Sequence[Profile]) -> list[Problem]:
    # Imported here: the diff pulls in the converter, which the other invariants do not need.
    from qaframework.profiles.diff import concern_shifts

    problems: list[Problem] = []
    ordered = sorted(versions, key=lambda p: p.effective_from)
    for earlier, later in itertools.pairwise(ordered):
        positions = {
            (a.id, path): (index, j)
            for index, a in enumerate(later.assumptions)
            for j, path in enumerate(a.concerns)
        }
        for shift in concern_shifts(earlier, later):
            index, j = positions[shift.assumption, shift.path]
            problems.append(
                Problem(
                    f"$.assumptions[{index}].concerns[{j}]",
                    f"{later.label}: {shift.describe()} (in {earlier.label})",
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
    VersionInvariant(
        "assumption_paths",
        "an assumption kept from one version to the next names the same items in both",
        check=_check_assumption_paths,
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
