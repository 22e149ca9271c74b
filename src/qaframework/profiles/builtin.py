"""The core's default hook implementations, registered like any other plugin."""

from __future__ import annotations

import attrs

from qaframework.policy.moderation import ModerationPolicy, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar, england_and_wales
from qaframework.profiles import cache
from qaframework.profiles.hookspecs import hookimpl

_ENGLAND_AND_WALES = attrs.evolve(england_and_wales(), holidays_source=cache.bank_holidays)


@hookimpl(trylast=True)
def working_calendar(profile: Profile) -> WorkingCalendar:
    """England and Wales bank holidays, for every council unless a plugin says otherwise
    (the days kept in the profile cache between runs)."""
    return _ENGLAND_AND_WALES


@hookimpl(trylast=True)
def moderation_sample_size(
    profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
) -> int:
    """The rule's proportion of the cycle's audits, rounded up, within its bounds."""
    return rule.sample_size(audit_count)
