"""What an invariant is: an id, a statement and a check; the marker of a part still to
be written; and how a proportional moderation sample is sized."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from qaframework.errors import Problem
from qaframework.policy.moderation import ModerationPolicy, SelectionRule
from qaframework.policy.profile import Profile

__all__ = [
    "FILL_IN",
    "Invariant",
    "SampleSize",
    "VersionInvariant",
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
    """The sizing ``profile``'s behaviour gives its policies, as moderation selection asks it
    (the ``moderation_sample_size`` hook of the plugin that registered it, or of a global
    plugin, for a loaded profile).

    The checks stay pure: the behaviour is asked only when the returned function is called.
    """

    def size(policy: ModerationPolicy, rule: SelectionRule, audit_count: int) -> int:
        return profile.behaviour.moderation_sample_size(profile, policy, rule, audit_count)

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
