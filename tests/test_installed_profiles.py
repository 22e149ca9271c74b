"""Properties every installed council profile version must have, whatever the council."""

from __future__ import annotations

import json
from datetime import date

import pytest

import qaframework
from qaframework import Profile, from_dict, to_dict
from qaframework.engine.periods import FinancialYear

VERSIONS = [
    (info.id, version.effective_from)
    for info in qaframework.available_profiles()
    for version in info.versions
]


def test_the_four_councils_are_installed() -> None:
    ids = {info.id for info in qaframework.available_profiles()}
    assert {"bolton", "manchester", "swindon", "telford"} <= ids


@pytest.mark.parametrize(("profile_id", "effective_from"), VERSIONS)
def test_round_trips_through_plain_data_and_json(profile_id: str, effective_from: date) -> None:
    profile = qaframework.load_profile(profile_id, as_of=effective_from)
    data = json.loads(json.dumps(to_dict(profile)))
    assert from_dict(Profile, data) == profile


@pytest.mark.parametrize(("profile_id", "effective_from"), VERSIONS)
def test_has_a_calendar_for_a_financial_year(profile_id: str, effective_from: date) -> None:
    profile = qaframework.load_profile(profile_id, as_of=effective_from)
    year = FinancialYear.containing(profile.schedule_anchor)
    occurrences = profile.schedule(year.start, year.end)
    assert occurrences
    assert all(year.start <= o.day <= year.end for o in occurrences)
    assert [o.sort_key() for o in occurrences] == sorted(o.sort_key() for o in occurrences)


@pytest.mark.parametrize(("profile_id", "effective_from"), VERSIONS)
def test_graded_activities_have_grades_moderation_and_escalation(
    profile_id: str, effective_from: date
) -> None:
    profile = qaframework.load_profile(profile_id, as_of=effective_from)
    graded = {a.id for a in profile.activities if a.graded}
    assert graded
    moderated = {a for m in profile.moderation for a in m.applies_to}
    assert moderated & graded
    urgent = [
        e for e in profile.escalation if e.trigger.concern is qaframework.Concern.URGENT_SAFETY
    ]
    assert urgent, "every council raises urgent safety concerns"
    assert all(e.deadline.kind is qaframework.DeadlineKind.IMMEDIATE for e in urgent)


def test_profile_resolver_gives_each_days_version_once() -> None:
    from qaframework.errors import NoVersionInForce
    from qaframework.profiles.registry import profile_resolver

    resolve = profile_resolver("bolton")
    staying_safe = resolve(date(2022, 6, 1))
    fundamentals = resolve(date(2026, 6, 1))
    assert (staying_safe.version, fundamentals.version) == ("2021-11", "2026-01")
    assert resolve(date(2026, 6, 1)) is fundamentals  # looked up once per day
    assert resolve(date(2026, 2, 5)) == qaframework.load_profile("bolton", as_of=date(2026, 2, 5))
    with pytest.raises(NoVersionInForce):
        resolve(date(2025, 6, 1))  # between the two versions
