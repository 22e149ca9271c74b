"""Synthetic data: reproducible, valid under every installed profile, and plausible."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import date, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaframework.demo.synthetic import (
    Organisation,
    ServiceArea,
    SyntheticData,
    SyntheticError,
    generate,
)
from qaframework.demo.synthetic.draws import _Draw
from qaframework.engine.audits import check_audit
from qaframework.engine.obligations import ObligationStatus, obligations, obligations_due
from qaframework.policy.grades import Ilacs
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.profiles.converter import to_dict
from qaframework.profiles.registry import available_profiles, get_registry

COUNCILS = ("bolton", "manchester", "swindon", "telford")
Q1 = (date(2026, 4, 1), date(2026, 6, 30))


@cache
def versions(profile_id: str) -> tuple[Profile, ...]:
    return get_registry().load_all_versions(profile_id)


def in_force(profile_id: str, day: date) -> Profile:
    return max(
        (v for v in versions(profile_id) if v.effective_from <= day),
        key=lambda v: v.effective_from,
    )


@cache
def quarter(profile_id: str, seed: int = 5) -> SyntheticData:
    return generate(versions(profile_id), *Q1, seed=seed)


# -- reproducible ------------------------------------------------------------------------------


def test_the_draws_are_pinned() -> None:
    # random.Random(n).random() is the one sequence Python keeps the same everywhere.
    draw = _Draw(2026, "pin")
    assert [draw.unit() for _ in range(3)] == [
        0.6930766274698278,
        0.8395550399522305,
        0.6304682331886605,
    ]
    assert draw.below(10) == 2
    assert draw.normal() == pytest.approx(-0.31086823387695284, abs=1e-15)


def test_the_generated_data_is_pinned(example_profile: Profile) -> None:
    data = generate(example_profile, date(2026, 4, 1), date(2026, 5, 31), seed=11)
    assert data.cases[0].child_id == "E945216"
    assert (data.audits[0].id, data.audits[0].child_id) == ("EXA-00001", "E269141")
    text = json.dumps(to_dict(data), sort_keys=True)
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "c5a9d1ac18c911d532fbd3b7b52ba8817b0ff6f08ce4ab25f361a0dd097103ec"
    )


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    again = generate(versions("swindon"), *Q1, seed=5)
    assert again == quarter("swindon")
    other = generate(versions("swindon"), *Q1, seed=6)
    assert other.audits != again.audits
    assert other.cases != again.cases


def test_data_round_trips_through_plain_data() -> None:
    from qaframework.profiles.converter import from_dict

    data = quarter("manchester")
    assert from_dict(SyntheticData, json.loads(json.dumps(to_dict(data)))) == data


# -- valid under the profile ---------------------------------------------------------------------


@pytest.mark.parametrize("profile_id", COUNCILS)
def test_every_audit_passes_the_check_of_its_version(profile_id: str) -> None:
    data = quarter(profile_id)
    assert len(data.audits) > 20
    for audit in data.audits:
        assert check_audit(audit, in_force(profile_id, audit.audit_date)) == [], audit.id


def test_every_installed_profile_version_gives_valid_audits() -> None:
    for info in available_profiles():
        for version in info.versions:
            start = max(version.effective_from, date(2025, 4, 1))
            if version.in_force_to is not None and version.in_force_to < start:
                start = version.effective_from
            end = start + timedelta(days=60)
            if version.in_force_to is not None:
                end = min(end, version.in_force_to)
            data = generate(versions(info.id), start, end, seed=3)
            assert data.audits, (info.id, version.version)
            for audit in data.audits:
                assert check_audit(audit, in_force(info.id, audit.audit_date)) == []


def test_a_window_no_version_covers_is_refused() -> None:
    # Bolton's 2021 framework ends on 30 April 2025; the 2026 one begins on 5 February 2026.
    with pytest.raises(SyntheticError, match="no version of profile 'bolton' is in force on"):
        generate(versions("bolton"), date(2025, 4, 1), date(2025, 6, 30), seed=1)
    with pytest.raises(SyntheticError, match="in force on 2019-08-01"):
        generate(versions("manchester"), date(2019, 8, 1), date(2019, 9, 30), seed=1)
    with pytest.raises(SyntheticError, match="ends"):
        generate(versions("manchester"), date(2026, 5, 1), date(2026, 4, 1), seed=1)


def test_ids_are_pseudonymous() -> None:
    for profile_id in COUNCILS:
        data = quarter(profile_id)
        people = re.compile(r"[a-z]+\d?\.\d{3}")
        assert all(re.fullmatch(r"[A-Z]\d{6}", c.child_id) for c in data.cases)
        assert all(people.fullmatch(c.worker or "") for c in data.cases)
        assert all(people.fullmatch(a.auditor) for a in data.audits)
        assert len({c.child_id for c in data.cases}) == len(data.cases)


# -- plausible -----------------------------------------------------------------------------------


def _pooled() -> list[tuple[Profile, SyntheticData]]:
    return [(in_force(p, Q1[0]), quarter(p, seed)) for p in COUNCILS for seed in (5, 6, 7, 8)]


def test_grades_are_mostly_good_or_requires_improvement() -> None:
    shares: Counter[Ilacs] = Counter()
    for profile, data in _pooled():
        shares.update(profile.grade_scale.ilacs(a.overall_grade) for a in data.audits)
    total = sum(shares.values())
    assert total > 800
    assert 0.03 < shares[Ilacs.OUTSTANDING] / total < 0.14
    assert 0.38 < shares[Ilacs.GOOD] / total < 0.58
    assert 0.24 < shares[Ilacs.REQUIRES_IMPROVEMENT] / total < 0.42
    assert 0.06 < shares[Ilacs.INADEQUATE] / total < 0.2


def test_judgements_follow_the_overall_grade() -> None:
    same = steps = 0
    for profile, data in _pooled():
        scale = profile.grade_scale
        for audit in data.audits:
            for judgement in audit.judgements:
                gap = abs(scale.compare(judgement.grade, audit.overall_grade))
                assert gap <= 1
                same += gap == 0
                steps += 1
    assert 0.55 < same / steps < 0.7


def test_moderation_mostly_agrees_and_moves_one_grade() -> None:
    outcomes: Counter[ModerationOutcome] = Counter()
    for profile, data in _pooled():
        for audit in data.audits:
            for record in audit.moderations:
                outcomes[record.outcome] += 1
                step = profile.grade_scale.compare(record.grade, audit.overall_grade)
                assert abs(step) <= 1
                assert audit.audit_date <= record.on <= data.end
                assert record.moderator != audit.auditor
    total = sum(outcomes.values())
    assert total > 150
    assert 0.68 < outcomes[ModerationOutcome.AGREE] / total < 0.88
    assert outcomes[ModerationOutcome.UPGRADE] > 0
    assert outcomes[ModerationOutcome.DOWNGRADE] > 0


def test_manchester_moderates_one_audit_per_team_manager_a_month() -> None:
    data = quarter("manchester")
    months: Counter[tuple[str, int]] = Counter((a.auditor, a.audit_date.month) for a in data.audits)
    assert set(months.values()) == {1}
    # Each Team Manager's one audit a month is also the one moderated for them.
    assert all(a.moderated for a in data.audits)
    assert len(months) > 0.85 * len(data.organisation.teams) * 3


def test_concerns_are_the_profiles_and_rare() -> None:
    flagged: dict[str, Counter[str]] = {}
    audits: Counter[str] = Counter()
    for profile, data in _pooled():
        found = flagged.setdefault(profile.id, Counter())
        found.update(c.value for a in data.audits for c in a.concerns)
        audits[profile.id] += len(data.audits)
    for profile_id, found in flagged.items():
        assert 0 < found["urgent_safety"] < 0.06 * audits[profile_id]
        # Only Manchester's profile has a rule for health concerns.
        assert (found["health"] > 0) == (profile_id == "manchester")


def test_bolton_fills_the_judgement_fields_its_profile_requires() -> None:
    data = quarter("bolton")
    for audit in data.audits:
        assert len(audit.judgements) == 5
        for judgement in audit.judgements:
            assert judgement.rationale
            assert judgement.strengths
            assert judgement.would_improve


def test_actions_are_a_realistic_mix_as_of_the_end() -> None:
    for profile_id in COUNCILS:
        data = quarter(profile_id)
        actions = [x for a in data.audits for x in a.actions]
        statuses = Counter(x.status.value for x in actions)
        assert set(statuses) == {"open", "done", "verified"}
        overdue = sum(x.is_overdue(data.end) for x in actions)
        assert 0 < overdue < statuses["open"]
        for action in actions:
            assert action.done_on is None or action.done_on <= data.end
            assert action.verified_on is None or action.verified_on <= data.end


def test_worse_grades_get_more_actions() -> None:
    by_rank: dict[int, list[int]] = {}
    for profile, data in _pooled():
        for audit in data.audits:
            rank = profile.grade_scale.ilacs(audit.final_grade).rank
            by_rank.setdefault(rank, []).append(len(audit.actions))
    means = [sum(v) / len(v) for _, v in sorted(by_rank.items())]
    assert means == sorted(means)


# -- the activity log ----------------------------------------------------------------------------


@pytest.mark.parametrize("profile_id", COUNCILS)
def test_the_log_serves_the_obligations(profile_id: str) -> None:
    profile = in_force(profile_id, Q1[0])
    data = quarter(profile_id)
    assert data.not_logged == ()
    logged = {e.activity for e in data.log}
    for obligation in obligations(profile):
        assert set(obligation.counted) & logged, obligation.activity
    assert all(Q1[0] <= e.on <= Q1[1] for e in data.log)
    standing = obligations_due(
        profile, data.log, as_of=Q1[1], roster=data.roster(profile), since=Q1[0]
    )
    statuses = Counter(s.status for s in standing)
    assert statuses[ObligationStatus.OK] > 0
    assert statuses[ObligationStatus.OVERDUE] + statuses[ObligationStatus.DUE] > 0


def test_telford_logs_permanence_and_reviews_as_events() -> None:
    events = Counter(e.event for e in quarter("telford").log if e.event is not None)
    assert events["permanence_plan"] > 0
    assert events["child_in_care_review"] > 0


# -- the organisation ----------------------------------------------------------------------------


def test_an_organisation_names_each_team_once() -> None:
    with pytest.raises(ValueError, match="named in more than one place"):
        Organisation((ServiceArea("A", ("T1",)), ServiceArea("B", ("T1",))))
    with pytest.raises(ValueError, match="teams cannot be empty"):
        ServiceArea("A", ())


def test_an_organisation_document_is_read_strictly() -> None:
    document = {"service_areas": [{"name": "Early Help", "teams": ["EH 1", "EH 2"]}]}
    organisation = Organisation.from_document(document)
    assert [team for team, _ in organisation.teams] == ["EH 1", "EH 2"]
    with pytest.raises(SyntheticError, match=r"org\.toml: .*teams"):
        Organisation.from_document({"service_areas": [{"name": "x", "teams": "EH"}]}, "org.toml")
    with pytest.raises(SyntheticError, match="extra fields"):
        Organisation.from_document({**document, "teams": 3})


def test_the_organisation_sets_the_case_list() -> None:
    organisation = Organisation(
        (ServiceArea("Care", ("C1", "C2"), ("CLA",)),), workers_per_team=2, children_per_worker=3
    )
    data = generate(versions("telford"), *Q1, seed=1, organisation=organisation)
    assert {c.team for c in data.cases} == {"C1", "C2"}
    assert {c.fields["Legal Status"] for c in data.cases} == {"CLA"}
    assert len({c.worker for c in data.cases}) == 4
    assert 4 <= len(data.cases) <= 20


@settings(max_examples=8)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    profile_id=st.sampled_from(COUNCILS),
    days=st.integers(min_value=0, max_value=70),
)
def test_any_seed_and_window_gives_valid_audits(seed: int, profile_id: str, days: int) -> None:
    start = date(2026, 3, 2)
    data = generate(versions(profile_id), start, start + timedelta(days=days), seed=seed)
    ids = [a.id for a in data.audits]
    assert len(set(ids)) == len(ids)
    for audit in data.audits:
        assert start <= audit.audit_date <= data.end
        assert check_audit(audit, in_force(profile_id, audit.audit_date)) == []
    assert [a.audit_date for a in data.audits] == sorted(a.audit_date for a in data.audits)
