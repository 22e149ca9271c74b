"""The invariants of one profile version, in order, and :func:`check_invariants`."""

from __future__ import annotations

from collections.abc import Iterable

from qaframework.errors import Problem
from qaframework.policy.profile import Profile
from qaframework.profiles.invariants.model import FILL_IN, Invariant, SampleSize, core_sample_size
from qaframework.profiles.invariants.provenance import (
    _check_assumptions,
    _check_citations,
    _check_complete,
)
from qaframework.profiles.invariants.references import _check_references
from qaframework.profiles.invariants.sections import (
    _check_action_timescales,
    _check_activities,
    _check_crosswalk,
    _check_escalation,
    _check_moderation,
)

__all__ = ["INVARIANTS", "check_invariants"]


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
        "recording that its source names none), and its quotas and case filters are sound",
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
        "every grade scale's ILACS crosswalk is monotone and its good-or-better threshold is "
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
