"""Selecting audits for moderation and recording moderations (``qaframework.moderation``).

The example tests pin each council's seed behaviour with its real profile: Bolton 2026's
6-weekly sample sized by the cycle's audit volume, Manchester's one moderation per Team
Manager per month, Swindon's monthly moderation of every Inadequate audit plus a sample, and
Telford & Wrekin's monthly Moderation Panel.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaframework import from_dict, hookimpl, load_profile, to_dict
from qaframework.engine.audits import Audit, ModerationRecord, check_audit
from qaframework.engine.moderation import (
    ModerationError,
    ModerationSelection,
    moderation_cycles,
    record_moderation,
    select_for_moderation,
)
from qaframework.engine.periods import Period
from qaframework.policy.moderation import (
    ModerationOutcome,
    ModerationPolicy,
    SelectionKind,
    SelectionRule,
)
from qaframework.policy.profile import Profile
from qaframework.profiles.plugins import plugins_for_tests

AS_OF = date(2026, 4, 1)
BOLTON = load_profile("bolton", as_of=AS_OF)
BOLTON_2021 = load_profile("bolton", as_of=date(2022, 1, 1))
MANCHESTER = load_profile("manchester", as_of=AS_OF)
SWINDON = load_profile("swindon", as_of=AS_OF)
TELFORD = load_profile("telford", as_of=AS_OF)
PROFILES = (BOLTON, MANCHESTER, SWINDON, TELFORD)
# Bolton's policy with the 10% sample its seed does not state (the profile writes "not
# stated"): the sampling mechanics below are tested on a stated proportion.
SAMPLED = attrs.evolve(
    BOLTON,
    moderation=(
        attrs.evolve(
            BOLTON.moderation[0],
            selection=(attrs.evolve(BOLTON.moderation[0].selection[0], proportion=0.1),),
        ),
    ),
)


def audit(
    audit_id: str,
    activity: str,
    on: date,
    *,
    auditor: str = "tm1",
    role: str = "team_manager",
    grade: str = "good",
    moderations: tuple[ModerationRecord, ...] = (),
) -> Audit:
    return Audit(
        id=audit_id,
        child_id=f"C-{audit_id}",
        activity=activity,
        audit_date=on,
        auditor=auditor,
        auditor_role=role,
        overall_grade=grade,
        moderations=moderations,
    )


def series(
    prefix: str,
    activity: str,
    first: date,
    count: int,
    *,
    auditor: str = "tm1",
    role: str = "team_manager",
    grade: str = "good",
) -> list[Audit]:
    """``count`` audits a day apart from ``first``."""
    return [
        audit(
            f"{prefix}{n:03d}",
            activity,
            first + timedelta(days=n),
            auditor=auditor,
            role=role,
            grade=grade,
        )
        for n in range(count)
    ]


def moderated(grade: str, on: date, role: str = "qa_team") -> tuple[ModerationRecord, ...]:
    return (ModerationRecord("mod1", role, grade, ModerationOutcome.AGREE, on),)


def by_cycle(selection: ModerationSelection) -> dict[date, list[str]]:
    found: dict[date, list[str]] = {}
    for chosen in selection.selected:
        found.setdefault(chosen.cycle.start, []).append(chosen.audit_id)
    return found


# --- Cycles ------------------------------------------------------------------------------------


def test_bolton_cycles_are_six_weekly_from_the_schedule_anchor() -> None:
    policy = BOLTON.moderation[0]
    cycles = moderation_cycles(BOLTON, policy, Period.parse("2026-27 Q1"))
    assert [(c.start, c.end) for c in cycles] == [
        (date(2026, 4, 1), date(2026, 5, 12)),
        (date(2026, 5, 13), date(2026, 6, 23)),
        (date(2026, 6, 24), date(2026, 8, 4)),
    ]


def test_monthly_cycles_are_calendar_months() -> None:
    cycles = moderation_cycles(MANCHESTER, MANCHESTER.moderation[0], Period.parse("2026-05"))
    assert [(c.start, c.end) for c in cycles] == [(date(2026, 5, 1), date(2026, 5, 31))]


def test_a_policy_without_a_periodic_cadence_has_the_period_as_its_one_cycle() -> None:
    policy = attrs.evolve(SWINDON.moderation[0], cadence=SWINDON.activities[0].cadence.regular())
    period = Period.parse("2026-27 Q1")
    assert moderation_cycles(SWINDON, policy, period) == (period,)


# --- Bolton 2026: a 6-weekly sample sized by the cycle's audit volume --------------------------


def test_a_proportion_of_each_cycle_is_rounded_up() -> None:
    audits = [
        *series("A", "quality_case_file_audits", date(2026, 4, 1), 23, grade="meets_good"),
        *series("B", "quality_case_file_audits", date(2026, 5, 13), 20, grade="meets_good"),
        *series("C", "quality_case_file_audits", date(2026, 6, 24), 4, grade="meets_good"),
        *series("T", "thematic_audits", date(2026, 4, 1), 30),
    ]
    selection = select_for_moderation(
        SAMPLED, audits, Period(date(2026, 4, 1), date(2026, 8, 4)), seed=7
    )
    chosen = by_cycle(selection)
    # 10% of 23 is 2.3, rounded up to 3; of 20 exactly 2; of 4 at least 1.
    assert {start: len(ids) for start, ids in chosen.items()} == {
        date(2026, 4, 1): 3,
        date(2026, 5, 13): 2,
        date(2026, 6, 24): 1,
    }
    assert [(c.audits, c.selected, c.partial) for c in selection.cycles] == [
        (23, 3, False),
        (20, 2, False),
        (4, 1, False),
    ]
    assert all(s.activity == "quality_case_file_audits" for s in selection.selected)
    assert all(audit_id.startswith("A") for audit_id in chosen[date(2026, 4, 1)])
    first = selection.selected[0]
    assert first.policy == "six_weekly_moderation"
    assert [r.kind for r in first.reasons] == [SelectionKind.PROPORTION]
    assert first.reasons[0].explanation == (
        "a sample of 3 of the cycle's 23 audits (10%, at least 1): chosen at random"
    )


def test_the_random_choice_is_pinned_for_a_seed() -> None:
    audits = series("A", "quality_case_file_audits", date(2026, 4, 1), 23, grade="meets_good")
    period = Period(date(2026, 4, 1), date(2026, 5, 12))
    assert select_for_moderation(SAMPLED, audits, period, seed=7).audit_ids == (
        "A002",
        "A017",
        "A022",
    )
    assert select_for_moderation(SAMPLED, audits, period, seed=8).audit_ids == (
        "A003",
        "A004",
        "A005",
    )


def test_a_cycle_without_audits_selects_nothing() -> None:
    selection = select_for_moderation(BOLTON, [], Period.parse("2026-05"), seed=1)
    assert selection.selected == ()
    assert [(c.audits, c.selected, c.partial) for c in selection.cycles] == [
        (0, 0, True),
        (0, 0, True),
    ]


def test_a_period_that_cuts_a_cycle_sizes_the_sample_on_the_part_inside() -> None:
    audits = series("A", "quality_case_file_audits", date(2026, 4, 1), 42, grade="meets_good")
    selection = select_for_moderation(SAMPLED, audits, Period.parse("2026-05"), seed=3)
    assert [(c.cycle.start, c.cycle.end, c.audits, c.partial) for c in selection.cycles] == [
        (date(2026, 5, 1), date(2026, 5, 12), 12, True),
        (date(2026, 5, 13), date(2026, 5, 31), 0, True),
    ]
    assert len(selection.selected) == 2


def test_already_moderated_audits_count_towards_the_sample_and_are_not_chosen_again() -> None:
    audits = series("A", "quality_case_file_audits", date(2026, 4, 1), 20, grade="meets_good")
    audits[4] = attrs.evolve(
        audits[4], moderations=moderated("meets_good", date(2026, 5, 1), "head_of_service")
    )
    period = Period(date(2026, 4, 1), date(2026, 5, 12))
    selection = select_for_moderation(SAMPLED, audits, period, seed=11)
    assert len(selection.selected) == 1
    assert "A004" not in selection.audit_ids
    assert selection.cycles[0].already_moderated == 1
    assert (
        selection.selected[0]
        .reasons[0]
        .explanation.endswith("; 1 already moderated count towards it")
    )
    # Once the chosen audit is moderated, running the selection again chooses nothing more.
    done = {
        a.id: record_moderation(
            SAMPLED,
            a,
            moderator="hos1",
            role="head_of_service",
            grade=a.overall_grade,
            on=date(2026, 5, 14),
        )
        for a in audits
        if a.id in selection.audit_ids
    }
    again = select_for_moderation(SAMPLED, [done.get(a.id, a) for a in audits], period, seed=11)
    assert again.selected == ()


def test_bolton_2021_states_no_sample_so_the_profile_selects_none() -> None:
    """Seed 002, 3.3: "Audit moderation will be conducted by Heads of Service", with no sample:
    the profile selects no audit in the seed's name, and says that how many is not stated."""
    audits = [
        *series("W", "whole_case_file_audits", date(2022, 4, 1), 5),
        *series("X", "transfer_audit", date(2022, 4, 1), 3, role="head_of_service"),
    ]
    selection = select_for_moderation(BOLTON_2021, audits, Period.parse("2022-23 Q1"), seed=1)
    assert selection.audit_ids == ()
    assert selection.not_stated == (
        "Audit moderation by Heads of Service, selection rule 1 (proportion): how many audits "
        "it moderates is not stated, so it chose none",
    )


def test_bolton_2026_moderates_its_stated_minimum_of_one_a_cycle() -> None:
    audits = series("A", "quality_case_file_audits", date(2026, 4, 1), 23, grade="meets_good")
    selection = select_for_moderation(
        BOLTON, audits, Period(date(2026, 4, 1), date(2026, 5, 12)), seed=7
    )
    assert [(c.audits, c.selected) for c in selection.cycles] == [(23, 1)]
    assert selection.selected[0].reasons[0].explanation == (
        "the proportion is not stated: only its stated minimum of 1 is drawn, at random"
    )


def test_the_sample_size_hook_decides_the_size() -> None:
    class Five:
        qaframework_global = True  # every council's, not only its own profiles'

        @hookimpl
        def moderation_sample_size(
            self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
        ) -> int:
            assert audit_count == 23
            return 5

    audits = series("A", "quality_case_file_audits", date(2026, 4, 1), 23, grade="meets_good")
    period = Period(date(2026, 4, 1), date(2026, 5, 12))
    with plugins_for_tests(Five()):
        selection = select_for_moderation(SAMPLED, audits, period, seed=7)
    assert len(selection.selected) == 5


@pytest.mark.parametrize("size", [-1, 2.5, "3"])
def test_a_sample_size_that_is_not_a_count_is_refused(size: object) -> None:
    class Broken:
        qaframework_global = True

        @hookimpl
        def moderation_sample_size(
            self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
        ) -> object:
            return size

    audits = series("A", "quality_case_file_audits", date(2026, 4, 1), 3, grade="meets_good")
    with (
        plugins_for_tests(Broken()),
        pytest.raises(ModerationError, match=r"six_weekly_moderation.*whole number"),
    ):
        select_for_moderation(SAMPLED, audits, Period.parse("2026-04"), seed=7)


# --- Manchester: one moderation per Team Manager per month --------------------------------------


def test_manchester_moderates_one_audit_per_team_manager_per_month() -> None:
    audits = [
        *series("P", "file_audit", date(2026, 4, 2), 4, auditor="tm-priya"),
        *series("Q", "file_audit", date(2026, 5, 2), 3, auditor="tm-priya"),
        *series("R", "file_audit", date(2026, 4, 20), 1, auditor="tm-rob"),
        *series("S", "file_audit", date(2026, 4, 10), 2, auditor="sl-sam", role="service_lead"),
        *series("D", "dip_sampling", date(2026, 4, 10), 5, auditor="tm-rob"),
    ]
    selection = select_for_moderation(MANCHESTER, audits, Period.parse("2026-27 Q1"), seed=5)
    schedule = selection.for_policy("file_audit_moderation")
    months = Counter((s.cycle.start.month, s.auditor) for s in schedule)
    assert months == {(4, "tm-priya"): 1, (4, "tm-rob"): 1, (5, "tm-priya"): 1}
    cycles = [c for c in selection.cycles if c.policy == "file_audit_moderation"]
    assert [c.selected for c in cycles] == [2, 1, 0]
    # Senior Managers moderate every audit by a front line manager: all the Team Managers'
    # file audits, none of the Service Lead's, none of the dip samples (another activity).
    every = selection.for_policy("senior_manager_moderation")
    assert {s.audit_id for s in every} == {a.id for a in audits if a.id[0] in "PQR"}
    assert {r.kind for s in every for r in s.reasons} == {SelectionKind.BY_AUDITOR}
    rob = next(s for s in schedule if s.auditor == "tm-rob")
    assert rob.audit_id == "R000"
    assert rob.reasons[0].explanation == (
        "1 audit for each Team Manager each month: "
        "chosen at random from tm-rob's 1 in 2026-04-01..2026-04-30"
    )


def test_manchester_counts_a_team_managers_moderated_audit_towards_the_month() -> None:
    audits = series("P", "file_audit", date(2026, 5, 2), 3, auditor="tm-priya")
    audits[1] = attrs.evolve(
        audits[1], moderations=moderated("good", date(2026, 5, 20), "service_lead")
    )
    selection = select_for_moderation(MANCHESTER, audits, Period.parse("2026-05"), seed=5)
    assert selection.for_policy("file_audit_moderation") == ()
    # The Senior Managers' policy still takes the two not yet moderated.
    assert {s.audit_id for s in selection.for_policy("senior_manager_moderation")} == {
        audits[0].id,
        audits[2].id,
    }


# --- Swindon: every Inadequate audit plus a monthly sample -------------------------------------


def test_swindon_moderates_every_inadequate_audit_plus_a_sample_of_the_rest() -> None:
    audits = series("S", "child_practice_audit", date(2026, 5, 1), 20)
    for n in (3, 7, 11):
        audits[n] = attrs.evolve(audits[n], overall_grade="inadequate")
    audits[5] = attrs.evolve(audits[5], overall_grade="requires_improvement")
    audits.append(audit("T1", "thematic_audit", date(2026, 5, 9), grade="inadequate"))
    selection = select_for_moderation(SWINDON, audits, Period.parse("2026-05"), seed=2)
    kinds = {s.audit_id: [r.kind for r in s.reasons] for s in selection.selected}
    inadequate = {"S003", "S007", "S011"}
    assert {i for i, k in kinds.items() if k == [SelectionKind.GRADE_AT_OR_BELOW]} == inadequate
    sampled = {i for i, k in kinds.items() if k == [SelectionKind.PROPORTION]}
    # 10% of the month's 20 audits is 2, drawn from the 17 that are not Inadequate.
    assert len(sampled) == 2
    assert not sampled & inadequate
    assert "T1" not in kinds
    reason = next(s for s in selection.selected if s.audit_id == "S003").reasons[0]
    assert reason.rule == 0
    assert reason.explanation == (
        "the auditor graded it Inadequate; every audit graded Inadequate or below is moderated"
    )


def test_swindon_samples_a_month_without_inadequate_audits() -> None:
    audits = series("S", "child_practice_audit", date(2026, 6, 1), 3, grade="requires_improvement")
    selection = select_for_moderation(SWINDON, audits, Period.parse("2026-06"), seed=2)
    assert len(selection.selected) == 1
    assert selection.selected[0].reasons[0].kind is SelectionKind.PROPORTION


def test_swindon_does_not_select_an_inadequate_audit_already_moderated() -> None:
    audits = series("S", "child_practice_audit", date(2026, 5, 1), 3)
    audits[0] = attrs.evolve(
        audits[0], overall_grade="inadequate", moderations=moderated("inadequate", date(2026, 5, 8))
    )
    selection = select_for_moderation(SWINDON, audits, Period.parse("2026-05"), seed=2)
    assert "S000" not in selection.audit_ids
    # The moderated Inadequate audit is not part of the sample: one more is drawn.
    assert len(selection.selected) == 1


def test_an_audit_grade_off_the_scale_is_reported() -> None:
    audits = [audit("S1", "child_practice_audit", date(2026, 5, 1), grade="purple")]
    with pytest.raises(
        ModerationError, match="audit 'S1': grade 'purple' is not on the scale of swindon"
    ):
        select_for_moderation(SWINDON, audits, Period.parse("2026-05"), seed=2)


# --- Telford & Wrekin: the monthly Moderation Panel ---------------------------------------------


def test_telfords_panel_samples_the_graded_audits_of_the_month() -> None:
    audits = [
        *series("F", "monthly_file_audit", date(2026, 6, 1), 8),
        *series("E", "practice_evaluation_audit", date(2026, 6, 10), 3, role="iro"),
        *series("M", "senior_manager_audit", date(2026, 6, 20), 1, role="senior_manager"),
        *series("D", "deep_dive_audit", date(2026, 6, 3), 6),
    ]
    selection = select_for_moderation(TELFORD, audits, Period.parse("2026-06"), seed=9)
    # The panel's month has 12 audits of its three activities; how many it moderates is not
    # stated, so it takes the one audit the profile assumes a sitting panel looks at.
    assert [(c.policy, c.audits, c.selected) for c in selection.cycles] == [
        ("moderation_panel", 12, 1)
    ]
    assert not any(s.audit_id.startswith("D") for s in selection.selected)


def test_telfords_panel_members_record_moderations_and_others_cannot() -> None:
    one = audit("F1", "monthly_file_audit", date(2026, 6, 1), grade="good")
    done = record_moderation(
        TELFORD,
        one,
        moderator="psw1",
        role="principal_social_worker",
        grade="good",
        on=date(2026, 6, 30),
    )
    assert done.moderations[0].outcome is ModerationOutcome.AGREE
    record_moderation(
        TELFORD, one, moderator="qam1", role="qa_manager", grade="good", on=date(2026, 6, 30)
    )
    with pytest.raises(ModerationError, match="Team Manager role does not moderate"):
        record_moderation(
            TELFORD, one, moderator="tm9", role="team_manager", grade="good", on=date(2026, 6, 30)
        )


# --- Recording a moderation ---------------------------------------------------------------------

SWINDON_AUDIT = audit("S1", "child_practice_audit", date(2026, 5, 4), grade="requires_improvement")


def test_recording_a_moderation_appends_it_and_keeps_the_auditors_grade() -> None:
    first = record_moderation(
        SWINDON,
        SWINDON_AUDIT,
        moderator="qa1",
        role="qa_team",
        grade="inadequate",
        on=date(2026, 5, 20),
        rationale="no visits for 10 weeks",
    )
    assert first.overall_grade == "requires_improvement"
    assert first.moderations == (
        ModerationRecord(
            "qa1",
            "qa_team",
            "inadequate",
            ModerationOutcome.DOWNGRADE,
            date(2026, 5, 20),
            "no visits for 10 weeks",
        ),
    )
    # A second moderation is judged against the first one's grade, as check_audit does.
    second = record_moderation(
        SWINDON, first, moderator="qa2", role="qa_team", grade="good", on=date(2026, 5, 21)
    )
    assert [m.outcome for m in second.moderations] == [
        ModerationOutcome.DOWNGRADE,
        ModerationOutcome.UPGRADE,
    ]
    assert second.overall_grade == "requires_improvement"
    assert second.final_grade == "good"
    assert check_audit(second, SWINDON) == []


def test_the_named_policy_is_used() -> None:
    done = record_moderation(
        SWINDON,
        SWINDON_AUDIT,
        moderator="qa1",
        role="qa_team",
        grade="requires_improvement",
        on=date(2026, 5, 20),
        policy="monthly_moderation",
    )
    assert done.moderations[-1].outcome is ModerationOutcome.AGREE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "team_manager"}, r"the Team Manager role does not moderate .*Quality Assurance"),
        ({"grade": "purple"}, r"the moderated grade 'purple' is not on the scale of swindon"),
        ({"moderator": "tm1"}, r"'tm1' audited it and cannot moderate it"),
        ({"on": date(2026, 5, 3)}, r"moderated on 2026-05-03, before the audit \(2026-05-04\)"),
        ({"policy": "nonesuch"}, r"has no moderation policy 'nonesuch' \(known: monthly_mod"),
    ],
)
def test_a_moderation_the_policy_does_not_allow_is_refused(
    changes: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {
        "moderator": "qa1",
        "role": "qa_team",
        "grade": "good",
        "on": date(2026, 5, 20),
    }
    fields.update(changes)
    with pytest.raises(ModerationError, match=message):
        record_moderation(SWINDON, SWINDON_AUDIT, **fields)  # type: ignore[arg-type]


def test_an_activity_without_a_moderation_policy_is_refused() -> None:
    thematic = attrs.evolve(SWINDON_AUDIT, activity="thematic_audit")
    with pytest.raises(
        ModerationError, match=r"no moderation policy of swindon .* 'thematic_audit'"
    ):
        record_moderation(
            SWINDON, thematic, moderator="qa1", role="qa_team", grade="good", on=date(2026, 5, 20)
        )


def test_a_moderation_dated_before_the_latest_one_is_refused() -> None:
    first = record_moderation(
        SWINDON, SWINDON_AUDIT, moderator="qa1", role="qa_team", grade="good", on=date(2026, 5, 20)
    )
    with pytest.raises(ModerationError, match="before its latest moderation \\(2026-05-20\\)"):
        record_moderation(
            SWINDON, first, moderator="qa2", role="qa_team", grade="good", on=date(2026, 5, 19)
        )


def test_an_outcome_the_policy_does_not_allow_is_refused() -> None:
    policy = attrs.evolve(SWINDON.moderation[0], outcomes=(ModerationOutcome.AGREE,))
    strict = attrs.evolve(SWINDON, moderation=(policy,))
    with pytest.raises(
        ModerationError, match="is upgrade, which monthly_moderation does not allow"
    ):
        record_moderation(
            strict,
            SWINDON_AUDIT,
            moderator="qa1",
            role="qa_team",
            grade="good",
            on=date(2026, 5, 20),
        )


def test_duplicate_audit_ids_are_refused() -> None:
    audits = [*series("A", "file_audit", date(2026, 5, 1), 2), audit("A000", "file_audit", AS_OF)]
    with pytest.raises(ModerationError, match="two audits have the id 'A000'"):
        select_for_moderation(MANCHESTER, audits, Period.parse("2026-05"), seed=1)


def test_a_selection_is_plain_data() -> None:
    audits = series("S", "child_practice_audit", date(2026, 5, 1), 12, grade="inadequate")
    selection = select_for_moderation(SWINDON, audits, Period.parse("2026-05"), seed=1)
    data = json.loads(json.dumps(to_dict(selection)))
    assert from_dict(ModerationSelection, data) == selection
    assert data["selected"][0]["reasons"][0]["kind"] == "grade_at_or_below"
    assert data["selected"][0]["cycle"] == {
        "start": "2026-05-01",
        "end": "2026-05-31",
        "label": "2026-05-01..2026-05-31",
    }


# --- Properties over the four councils' policies ------------------------------------------------

PERIOD = Period(date(2026, 4, 1), date(2026, 9, 30))
PERIOD_2022 = Period(date(2022, 4, 1), date(2022, 9, 30))


@st.composite
def council_audits(draw: st.DrawFn, profile: Profile, period: Period = PERIOD) -> list[Audit]:
    """Audits of the profile's graded activities (and of one other activity) by the roles the
    activity names, dated in and around the period; about one in six already moderated."""
    graded = [a for a in profile.activities if a.graded and a.who]
    other = next(a for a in profile.activities if not a.graded)
    audits = []
    for n in range(draw(st.integers(0, 40))):
        activity = draw(st.sampled_from([*graded, other]))
        role = draw(st.sampled_from(activity.who))
        on = period.start + timedelta(days=draw(st.integers(-20, period.days + 20)))
        grade = draw(st.sampled_from(profile.grade_scale.codes))
        moderations: tuple[ModerationRecord, ...] = ()
        if draw(st.integers(0, 5)) == 0:
            moderations = moderated(grade, on, role)
        audits.append(
            audit(
                f"A{n}",
                activity.id,
                on,
                auditor=f"{role}-{draw(st.integers(0, 3))}",
                role=role,
                grade=grade,
                moderations=moderations,
            )
        )
    return audits


def eligible(profile: Profile, audits: Sequence[Audit]) -> dict[str, set[str]]:
    return {
        p.id: {
            a.id
            for a in audits
            if a.activity in p.applies_to and a.audit_date in PERIOD and not a.moderated
        }
        for p in profile.moderation
    }


@settings(max_examples=60)
@given(data=st.data(), profile=st.sampled_from(PROFILES), seed=st.integers(0, 2**32))
def test_a_selection_is_a_subset_of_the_eligible_audits_without_repeats(
    data: st.DataObject, profile: Profile, seed: int
) -> None:
    audits = data.draw(council_audits(profile))
    selection = select_for_moderation(profile, audits, PERIOD, seed=seed)
    allowed = eligible(profile, audits)
    for policy in profile.moderation:
        ids = [s.audit_id for s in selection.for_policy(policy.id)]
        assert len(ids) == len(set(ids))
        assert set(ids) <= allowed[policy.id]
    assert all(s.reasons for s in selection.selected)
    assert sum(c.selected for c in selection.cycles) == len(selection.selected)


@settings(max_examples=60)
@given(data=st.data(), profile=st.sampled_from(PROFILES), seed=st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_selection_whatever_the_order(
    data: st.DataObject, profile: Profile, seed: int
) -> None:
    audits = data.draw(council_audits(profile))
    shuffled = list(audits)
    random.Random(seed).shuffle(shuffled)
    first = select_for_moderation(profile, audits, PERIOD, seed=seed)
    assert select_for_moderation(profile, audits, PERIOD, seed=seed) == first
    assert select_for_moderation(profile, shuffled, PERIOD, seed=seed) == first


@settings(max_examples=60)
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_grade_at_or_below_includes_every_qualifying_audit(data: st.DataObject, seed: int) -> None:
    audits = data.draw(council_audits(SWINDON))
    selection = select_for_moderation(SWINDON, audits, PERIOD, seed=seed)
    inadequate = {a.id for a in audits if a.overall_grade == "inadequate"}
    qualifying = inadequate & eligible(SWINDON, audits)["monthly_moderation"]
    chosen = {
        s.audit_id
        for s in selection.selected
        if any(r.kind is SelectionKind.GRADE_AT_OR_BELOW for r in s.reasons)
    }
    assert chosen == qualifying


@settings(max_examples=60)
@given(
    data=st.data(),
    # Bolton 2021 states no moderation sample: it selects none (tested above).
    case=st.sampled_from([(p, PERIOD) for p in PROFILES]),
    seed=st.integers(0, 2**32),
)
def test_a_cycle_with_audits_yields_at_least_one_selected_audit(
    data: st.DataObject, case: tuple[Profile, Period], seed: int
) -> None:
    profile, period = case
    audits = [attrs.evolve(a, moderations=()) for a in data.draw(council_audits(profile, period))]
    selection = select_for_moderation(profile, audits, period, seed=seed)
    assert selection.cycles
    for cycle in selection.cycles:
        assert (cycle.selected >= 1) == (cycle.audits >= 1)


@settings(max_examples=60)
@given(data=st.data(), profile=st.sampled_from(PROFILES), seed=st.integers(0, 2**32))
def test_once_the_selection_is_moderated_selecting_again_chooses_nothing(
    data: st.DataObject, profile: Profile, seed: int
) -> None:
    audits = data.draw(council_audits(profile))
    chosen = set(select_for_moderation(profile, audits, PERIOD, seed=seed).audit_ids)
    done = [
        attrs.evolve(a, moderations=moderated(a.overall_grade, a.audit_date))
        if a.id in chosen
        else a
        for a in audits
    ]
    assert select_for_moderation(profile, done, PERIOD, seed=seed).selected == ()


@given(
    auditor_grade=st.sampled_from(SWINDON.grade_scale.codes),
    moderated_grades=st.lists(st.sampled_from(SWINDON.grade_scale.codes), min_size=1, max_size=4),
)
def test_recorded_moderations_keep_the_auditors_grade_and_pass_the_audit_check(
    auditor_grade: str, moderated_grades: list[str]
) -> None:
    record = audit("S1", "child_practice_audit", date(2026, 5, 4), grade=auditor_grade)
    for day, grade in enumerate(moderated_grades, start=10):
        record = record_moderation(
            SWINDON, record, moderator="qa1", role="qa_team", grade=grade, on=date(2026, 5, day)
        )
    assert record.overall_grade == auditor_grade
    assert [m.grade for m in record.moderations] == moderated_grades
    assert record.final_grade == moderated_grades[-1]
    assert check_audit(record, SWINDON) == []
