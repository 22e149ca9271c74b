"""Evaluating escalation policies for audits (``qaframework.escalation``), with the real profiles.

The seed behaviour pinned here: Swindon's child of concern process (section 8.3), Bolton's
Focused Practice Improvement workshops, urgent safety concerns in all four councils and
Manchester's health concerns; deadlines never on a weekend or a bank holiday.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from typing import Any

import attrs
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework import load_profile
from qaframework.engine.audits import Audit, ModerationRecord, moderation_outcome
from qaframework.engine.escalation import (
    Escalation,
    EscalationError,
    EscalationStage,
    evaluate_escalations,
    evaluate_escalations_bulk,
    grade_as_of,
)
from qaframework.policy.cadence import Cadence
from qaframework.policy.escalation import Concern, ConsequenceKind, TriggerKind
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NOT_STATED, NotStated
from qaframework.policy.workdays import WorkingCalendar, england_and_wales

SWINDON_DAY = date(2026, 6, 10)  # a Wednesday
LATER = date(2031, 1, 1)
SWINDON_TO_INADEQUATE = (
    "Director",
    "Head of Service",
    "Service Manager",
    "Team Manager",
    "Quality Assurance Service",
)
# Independent of the code under test: the bank holidays straight from the ``holidays`` package.
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=range(2019, 2036))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


@cache
def profile(profile_id: str, on: date) -> Profile:
    return load_profile(profile_id, as_of=on)


def swindon() -> Profile:
    return profile("swindon", SWINDON_DAY)


def make_audit(
    activity: str,
    on: date,
    grade: str,
    *,
    audit_id: str = "A1",
    child: str = "C1",
    auditor: str = "auditor-1",
    role: str = "team_manager",
    concerns: tuple[Concern, ...] = (),
) -> Audit:
    return Audit(
        audit_id, child, activity, on, auditor, role, grade, team="North", concerns=concerns
    )


def moderate(
    audit: Audit,
    policy: Profile,
    grade: str,
    on: date,
    *,
    moderator: str = "moderator-1",
    role: str = "qa_team",
) -> Audit:
    """The audit with a moderation appended, its outcome worked out from the grades."""
    previous = audit.moderations[-1].grade if audit.moderations else audit.overall_grade
    outcome = moderation_outcome(policy, previous, grade)
    return audit.with_moderation(ModerationRecord(moderator, role, grade, outcome, on))


def by_rule(escalations: tuple[Escalation, ...] | list[Escalation]) -> dict[str, Escalation]:
    found = {e.rule_id: e for e in escalations}
    assert len(found) == len(escalations), [e.rule_id for e in escalations]
    return found


# ---------------------------------------------------------------------------------------------
# Swindon: the child of concern process (section 8.3)
# ---------------------------------------------------------------------------------------------


def test_swindon_inadequate_is_shared_the_same_day_before_moderation() -> None:
    audit = make_audit(
        "child_practice_audit", SWINDON_DAY, "inadequate", auditor="hos-3", role="head_of_service"
    )
    (shared,) = evaluate_escalations(swindon(), audit, as_of=SWINDON_DAY)
    assert shared.rule_id == "inadequate_shared_pre_moderation"
    assert shared.stage is EscalationStage.PRE_MODERATION
    assert shared.trigger is TriggerKind.GRADE
    assert shared.grade == "inadequate"
    assert shared.raised_on == shared.deadline == SWINDON_DAY
    assert shared.recipients == SWINDON_TO_INADEQUATE
    assert shared.recipient_roles == (
        "director",
        "head_of_service",
        "service_manager",
        "team_manager",
        "qa_team",
    )
    # The rule names nobody: the auditor who completed the audit shares it.
    assert shared.raised_by == ("Head of Service",)
    assert shared.raised_by_roles == ("head_of_service",)
    assert shared.raised_by_person == "hos-3"
    assert shared.consequence is None
    assert shared.first_follow_up is None
    assert (shared.audit_id, shared.child_id, shared.team) == ("A1", "C1", "North")
    assert (shared.profile_id, shared.profile_version) == ("swindon", "2026-01")


@pytest.mark.parametrize(
    ("audited", "deadline"),
    [
        (date(2026, 12, 24), date(2026, 12, 24)),  # Thursday: the same day
        (date(2026, 12, 25), date(2026, 12, 29)),  # Christmas Day (Fri); Boxing Day observed Mon
        (date(2026, 12, 26), date(2026, 12, 29)),  # Boxing Day (Sat)
        (date(2026, 12, 27), date(2026, 12, 29)),  # Sunday
        (date(2026, 4, 3), date(2026, 4, 7)),  # Good Friday, then Easter Monday
        (date(2026, 4, 4), date(2026, 4, 7)),  # Easter Saturday
        (date(2026, 5, 4), date(2026, 5, 5)),  # Early May bank holiday
        (date(2027, 12, 25), date(2027, 12, 29)),  # Saturday; both days observed Mon and Tue
        (date(2027, 1, 1), date(2027, 1, 4)),  # New Year's Day (Fri)
    ],
)
def test_swindon_same_working_day_around_bank_holidays(audited: date, deadline: date) -> None:
    audit = make_audit("child_practice_audit", audited, "inadequate")
    (shared,) = evaluate_escalations(swindon(), audit, as_of=audited)
    assert shared.raised_on == audited
    assert shared.deadline == deadline
    assert is_working_day(shared.deadline)


def test_swindon_moderation_confirming_inadequate_adds_the_child_to_the_tracker() -> None:
    audit = moderate(
        make_audit("child_practice_audit", SWINDON_DAY, "inadequate"),
        swindon(),
        "inadequate",
        date(2026, 6, 17),
    )
    assert audit.moderations[0].outcome is ModerationOutcome.AGREE
    found = by_rule(evaluate_escalations(swindon(), audit, as_of=date(2026, 7, 1)))
    assert set(found) == {"inadequate_shared_pre_moderation", "child_of_concern"}
    tracker = found["child_of_concern"]
    assert tracker.stage is EscalationStage.POST_MODERATION
    assert tracker.raised_on == date(2026, 6, 17)
    assert tracker.moderation_index == 0
    assert tracker.moderator == "moderator-1"
    assert tracker.grade == "inadequate"
    assert tracker.raised_by == ("Quality Assurance Service",)
    assert tracker.raised_by_person is None
    assert tracker.recipients == ("Quality Assurance Service", "Team Manager")
    assert tracker.consequence is not None
    assert tracker.consequence.kind is ConsequenceKind.CHILD_OF_CONCERN_TRACKER
    assert tracker.consequence_owner == "Quality Assurance Service"
    # Circulated to the senior leaders: the Directors, the DCS and the Heads of Service.
    assert tracker.circulated_to == (
        "Director",
        "Director of Children's Services",
        "Head of Service",
    )
    assert tracker.follow_up is not None
    assert str(tracker.follow_up) == "P1W"
    assert tracker.follow_up_by == ("Quality Assurance Service",)
    # Seed 003, 8.3: no deadline for adding the child is stated, so none is invented; the
    # weekly tracking counts from the day moderation confirmed the grade.
    assert tracker.deadline is NOT_STATED
    assert not tracker.overdue_on(date(2030, 1, 1))
    assert tracker.first_follow_up == date(2026, 6, 24)
    calendar = england_and_wales()
    assert tracker.follow_up_on_or_after(date(2026, 6, 25), calendar) == date(2026, 7, 1)
    assert tracker.follow_up_on_or_after(date(2026, 6, 1), calendar) == date(2026, 6, 24)


def test_swindon_tracker_waits_for_moderation() -> None:
    audit = moderate(
        make_audit("child_practice_audit", SWINDON_DAY, "inadequate"),
        swindon(),
        "inadequate",
        date(2026, 6, 17),
    )
    before = evaluate_escalations(swindon(), audit, as_of=date(2026, 6, 16))
    assert [e.rule_id for e in before] == ["inadequate_shared_pre_moderation"]


def test_swindon_downgrade_to_inadequate_is_shared_by_the_moderator_then_tracked() -> None:
    audit = moderate(
        make_audit(
            "child_practice_audit",
            SWINDON_DAY,
            "requires_improvement",
            auditor="sm-2",
            role="service_manager",
        ),
        swindon(),
        "inadequate",
        date(2026, 6, 19),
        moderator="qa-9",
    )
    assert audit.moderations[0].outcome is ModerationOutcome.DOWNGRADE
    found = by_rule(evaluate_escalations(swindon(), audit, as_of=date(2026, 7, 1)))
    # No pre-moderation sharing: the auditor did not grade it Inadequate.
    assert set(found) == {
        "requires_improvement_or_good_tracking",
        "moderation_downgrade_to_inadequate",
        "child_of_concern",
    }
    shared = found["moderation_downgrade_to_inadequate"]
    assert shared.trigger is TriggerKind.MODERATION
    assert shared.stage is EscalationStage.POST_MODERATION
    assert shared.raised_on == shared.deadline == date(2026, 6, 19)
    assert shared.moderator == "qa-9"
    assert shared.raised_by == ("Quality Assurance Service",)
    assert shared.recipients == (
        "Head of Service",
        "Service Manager",
        "Team Manager",
        "Social Worker",
    )
    assert shared.conditional_recipients == ("Quality Assurance and Reviewing Officer",)
    assert shared.conditional_recipient_roles == ("qaro",)
    # The moderator shares and discusses it with the auditor first.
    assert shared.notify_auditor == "sm-2"
    # The same tracking follows: both rules put the child on the child of concern tracker.
    for rule_id in ("moderation_downgrade_to_inadequate", "child_of_concern"):
        consequence = found[rule_id].consequence
        assert consequence is not None
        assert consequence.kind is ConsequenceKind.CHILD_OF_CONCERN_TRACKER
        assert found[rule_id].follow_up_by == ("Quality Assurance Service",)
    assert shared.first_follow_up == date(2026, 6, 26)
    tracking = found["requires_improvement_or_good_tracking"]
    assert tracking.stage is EscalationStage.PRE_MODERATION
    assert tracking.recipients == ("Team Manager", "Service Manager")


def test_swindon_downgrade_on_a_bank_holiday_is_shared_the_next_working_day() -> None:
    audit = moderate(
        make_audit("child_practice_audit", date(2026, 12, 1), "good"),
        swindon(),
        "inadequate",
        date(2026, 12, 25),
    )
    found = by_rule(evaluate_escalations(swindon(), audit, as_of=LATER))
    assert found["moderation_downgrade_to_inadequate"].deadline == date(2026, 12, 29)
    # A week on is New Year's Day: the first weekly tracking is on Monday 4 January.
    assert found["child_of_concern"].deadline is NOT_STATED
    assert found["child_of_concern"].first_follow_up == date(2027, 1, 4)


def test_swindon_upgrade_out_of_inadequate_starts_no_tracking() -> None:
    audit = moderate(
        make_audit("child_practice_audit", SWINDON_DAY, "inadequate"),
        swindon(),
        "requires_improvement",
        date(2026, 6, 17),
    )
    found = by_rule(evaluate_escalations(swindon(), audit, as_of=LATER))
    # Shared before moderation (it stays raised); the final grade brings RI tracking.
    assert set(found) == {
        "inadequate_shared_pre_moderation",
        "requires_improvement_or_good_tracking",
    }
    assert found["requires_improvement_or_good_tracking"].raised_on == date(2026, 6, 17)
    assert found["requires_improvement_or_good_tracking"].stage is EscalationStage.POST_MODERATION


def test_a_second_moderation_agreeing_does_not_raise_the_tracker_again() -> None:
    audit = make_audit("child_practice_audit", SWINDON_DAY, "inadequate")
    audit = moderate(audit, swindon(), "inadequate", date(2026, 6, 17))
    audit = moderate(audit, swindon(), "inadequate", date(2026, 6, 30))
    found = evaluate_escalations(swindon(), audit, as_of=LATER)
    assert [e.rule_id for e in found].count("child_of_concern") == 1


def test_back_into_inadequate_raises_the_tracker_again() -> None:
    audit = make_audit("child_practice_audit", SWINDON_DAY, "inadequate")
    audit = moderate(audit, swindon(), "inadequate", date(2026, 6, 17))
    audit = moderate(audit, swindon(), "requires_improvement", date(2026, 6, 24))
    audit = moderate(audit, swindon(), "inadequate", date(2026, 7, 1))
    found = evaluate_escalations(swindon(), audit, as_of=LATER)
    raised = [(e.rule_id, e.raised_on) for e in found]
    assert ("child_of_concern", date(2026, 6, 17)) in raised
    assert ("child_of_concern", date(2026, 7, 1)) in raised
    assert ("moderation_downgrade_to_inadequate", date(2026, 7, 1)) in raised


def test_activities_a_rule_does_not_cover_raise_nothing() -> None:
    audit = make_audit("mash_front_door_audit", SWINDON_DAY, "inadequate")
    assert evaluate_escalations(swindon(), audit, as_of=LATER) == ()


# ---------------------------------------------------------------------------------------------
# Bolton: Focused Practice Improvement workshops
# ---------------------------------------------------------------------------------------------


def bolton() -> Profile:
    return profile("bolton", date(2026, 6, 1))


@pytest.mark.parametrize("grade", ["does_not_yet_meet_good", "inadequate"])
def test_bolton_focused_practice_improvement(grade: str) -> None:
    audit = make_audit(
        "quality_case_file_audits", date(2026, 4, 20), grade, role="advanced_practitioner"
    )
    (workshop,) = evaluate_escalations(bolton(), audit, as_of=LATER)
    assert workshop.rule_id == "focused_practice_improvement"
    assert workshop.grade == grade
    assert workshop.recipients == ("Practitioner", "Team Manager")
    assert workshop.raised_by == ("Advanced Practitioner",)
    assert workshop.consequence is not None
    assert workshop.consequence.kind is ConsequenceKind.PRACTICE_IMPROVEMENT_WORKSHOP
    assert workshop.consequence.name == "Focused Practice Improvement (FPI) Workshop"
    # Six-weekly cycles from 1 April 2026: the audit falls in the cycle of 1 April, the
    # workshop is due by the end of the next one (13 May to 23 June).
    assert workshop.deadline == date(2026, 6, 23)


@pytest.mark.parametrize("grade", ["outstanding", "meets_good"])
def test_bolton_no_workshop_for_good_practice(grade: str) -> None:
    audit = make_audit("quality_case_file_audits", date(2026, 4, 20), grade)
    assert evaluate_escalations(bolton(), audit, as_of=LATER) == ()


def test_bolton_workshop_follows_the_moderated_grade() -> None:
    audit = moderate(
        make_audit("quality_case_file_audits", date(2026, 4, 20), "meets_good"),
        bolton(),
        "does_not_yet_meet_good",
        date(2026, 5, 20),
        role="team_manager",
    )
    (workshop,) = evaluate_escalations(bolton(), audit, as_of=LATER)
    assert workshop.stage is EscalationStage.POST_MODERATION
    assert workshop.raised_on == date(2026, 5, 20)
    # Raised in the cycle starting 13 May: due by the end of the next (24 June to 4 August).
    assert workshop.deadline == date(2026, 8, 4)


def test_next_cycle_deadline_moves_back_to_the_last_working_day_of_the_cycle() -> None:
    # Six-weekly cycles from Wednesday 1 April 2026 end on Tuesdays; the cycle of
    # 15 November 2034 ends on Boxing Day, after Christmas Day: due Friday 22 December.
    audit = make_audit("quality_case_file_audits", date(2034, 10, 10), "inadequate")
    (workshop,) = evaluate_escalations(bolton(), audit, as_of=LATER.replace(year=2035))
    assert workshop.deadline == date(2034, 12, 22)


def test_next_cycle_without_a_working_day_is_due_the_first_working_day_after_it() -> None:
    daily = attrs.evolve(
        bolton().activity("quality_case_file_audits"), cadence=Cadence.parse("P1D")
    )
    policy = attrs.evolve(
        bolton(),
        activities=tuple(daily if a.id == daily.id else a for a in bolton().activities),
    )
    # Raised on Friday: the next one-day cycle is Saturday, which has no working day.
    audit = make_audit("quality_case_file_audits", date(2026, 6, 5), "inadequate")
    (workshop,) = evaluate_escalations(policy, audit, as_of=LATER)
    assert workshop.deadline == date(2026, 6, 8)


def test_a_next_cycle_deadline_needs_a_periodic_activity() -> None:
    rule = attrs.evolve(bolton().escalation[0], applies_to=("psw_dip_samples",))
    policy = attrs.evolve(bolton(), escalation=(rule,))
    audit = make_audit("psw_dip_samples", date(2026, 4, 20), "inadequate")
    with pytest.raises(EscalationError, match="no periodic cadence"):
        evaluate_escalations(policy, audit, as_of=LATER)


def test_bolton_each_audit_under_the_version_in_force_on_its_date() -> None:
    older = make_audit("whole_case_file_audits", date(2024, 3, 4), "inadequate", audit_id="OLD")
    newer = make_audit("quality_case_file_audits", date(2026, 4, 20), "inadequate", audit_id="NEW")
    found = evaluate_escalations_bulk(
        [older, newer], lambda day: load_profile("bolton", as_of=day), as_of=LATER
    )
    assert [(e.audit_id, e.rule_id, e.profile_version) for e in found] == [
        ("OLD", "audit_alert", "2021-11"),
        ("OLD", "auditor_feedback", "2021-11"),
        ("NEW", "focused_practice_improvement", "2026-01"),
    ]
    alert = found[0]
    assert alert.recipients == ("Team Manager", "Head of Service")
    assert alert.deadline == date(2024, 3, 4)


# ---------------------------------------------------------------------------------------------
# Urgent safety concerns (all four councils) and Manchester's health concerns
# ---------------------------------------------------------------------------------------------

URGENT = [
    ("bolton", date(2022, 5, 6), "whole_case_file_audits", ("Team Manager", "Social Worker"), ()),
    (
        "bolton",
        date(2026, 5, 6),
        "quality_case_file_audits",
        ("Team Manager", "Head of Service"),
        (),
    ),
    (
        "manchester",
        date(2026, 5, 6),
        "file_audit",
        ("Senior Manager", "Head of Service", "Deputy Director Children's Services"),
        (),
    ),
    ("swindon", date(2026, 5, 6), "child_practice_audit", SWINDON_TO_INADEQUATE, ()),
    (
        "telford",
        date(2026, 5, 6),
        "monthly_file_audit",
        ("Team Manager", "Locality Team Leader", "Service Delivery Manager"),
        ("Independent Conference & Reviewing Officer",),
    ),
]


@pytest.mark.parametrize(("profile_id", "day", "activity", "recipients", "conditional"), URGENT)
def test_urgent_safety_concerns_are_raised_immediately(
    profile_id: str,
    day: date,
    activity: str,
    recipients: tuple[str, ...],
    conditional: tuple[str, ...],
) -> None:
    policy = profile(profile_id, day)
    good = policy.grade_scale.good_or_better
    for audited, deadline in ((day, day), (date(2026, 12, 25), date(2026, 12, 29))):
        if audited < policy.effective_from or (
            policy.effective_to is not None and audited > policy.effective_to
        ):
            continue
        audit = make_audit(activity, audited, good, concerns=(Concern.URGENT_SAFETY,))
        urgent = [
            e
            for e in evaluate_escalations(policy, audit, as_of=audited)
            if e.trigger is TriggerKind.CONCERN
        ]
        assert len(urgent) == 1
        (raised,) = urgent
        assert raised.concern is Concern.URGENT_SAFETY
        assert raised.rule.deadline.describe() == "immediately"
        assert raised.recipients == recipients
        assert raised.conditional_recipients == conditional
        assert raised.raised_on == audited
        assert raised.deadline == deadline
        assert raised.raised_by_person == "auditor-1"


def test_no_concern_no_concern_escalation() -> None:
    for profile_id, day, activity, _, _ in URGENT:
        policy = profile(profile_id, day)
        audit = make_audit(activity, day, policy.grade_scale.good_or_better)
        found = evaluate_escalations(policy, audit, as_of=day)
        assert all(e.trigger is not TriggerKind.CONCERN for e in found)


def test_manchester_health_concerns_go_to_the_health_service() -> None:
    day = date(2026, 5, 9)  # a Saturday
    policy = profile("manchester", day)
    audit = make_audit("file_audit", day, "good", concerns=(Concern.HEALTH,))
    found = by_rule(evaluate_escalations(policy, audit, as_of=day))
    health = found["health_concern"]
    assert health.concern is Concern.HEALTH
    assert health.recipients == ("Health Service",)
    assert health.recipient_roles == ("health_service",)
    # Raised by the Senior Manager / Head of Service, not by the auditor.
    assert health.raised_by == ("Senior Manager", "Head of Service")
    assert health.raised_by_person is None
    assert health.deadline == date(2026, 5, 11)
    assert "urgent_safety" not in found
    # Every Manchester audit is shared within a month; only one graded below Good (gaps and
    # deficits) joins the closing the loop tracker.
    assert found["audit_shared"].deadline == date(2026, 6, 9)
    assert "closing_the_loop_tracker" not in found
    gaps = make_audit("file_audit", day, "requires_improvement")
    tracked = by_rule(evaluate_escalations(policy, gaps, as_of=day))["closing_the_loop_tracker"]
    assert tracked.recipients == ("Senior Leadership Team",)


def test_telford_iro_escalation_counts_working_days() -> None:
    day = date(2026, 12, 23)  # Wednesday before Christmas
    policy = profile("telford", day)
    audit = make_audit(
        "practice_evaluation_audit", day, "requires_improvement", concerns=(Concern.PRACTICE,)
    )
    found = by_rule(evaluate_escalations(policy, audit, as_of=day))
    iro = found["iro_escalation"]
    assert iro.raised_by == ("Independent Conference & Reviewing Officer",)
    # 24, 29, 30, 31 December and 4 January (1 January is a bank holiday).
    assert iro.deadline == date(2027, 1, 4)


# ---------------------------------------------------------------------------------------------
# Errors, calendars, the as-of date
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"activity": "case_file"}, "activity 'case_file' is not in profile swindon"),
        ({"auditor_role": "tm"}, "auditor role 'tm' is not in profile swindon"),
        ({"overall_grade": "poor"}, "grade 'poor' is not in profile swindon"),
    ],
)
def test_an_audit_the_profile_cannot_read_is_an_error(change: dict[str, Any], message: str) -> None:
    audit = attrs.evolve(make_audit("child_practice_audit", SWINDON_DAY, "good"), **change)
    with pytest.raises(EscalationError, match=message):
        evaluate_escalations(swindon(), audit, as_of=LATER)


def test_a_moderation_the_profile_cannot_read_is_an_error() -> None:
    audit = make_audit("child_practice_audit", SWINDON_DAY, "good").with_moderation(
        ModerationRecord("m", "qa_team", "awful", ModerationOutcome.DOWNGRADE, SWINDON_DAY)
    )
    with pytest.raises(EscalationError, match="moderated grade 'awful'"):
        evaluate_escalations(swindon(), audit, as_of=LATER)


def test_an_audit_after_the_as_of_date_raises_nothing() -> None:
    audit = make_audit("child_practice_audit", SWINDON_DAY, "inadequate")
    assert evaluate_escalations(swindon(), audit, as_of=SWINDON_DAY - timedelta(days=1)) == ()


def test_a_calendar_passed_in_replaces_the_hook() -> None:
    closed = WorkingCalendar("Swindon closure", extra_closures={SWINDON_DAY: "Council closure"})
    audit = make_audit("child_practice_audit", SWINDON_DAY, "inadequate")
    (shared,) = evaluate_escalations(swindon(), audit, as_of=LATER, calendar=closed)
    assert shared.deadline == SWINDON_DAY + timedelta(days=1)


def test_grade_as_of_reads_the_moderations_made_by_then() -> None:
    audit = make_audit("child_practice_audit", SWINDON_DAY, "good")
    audit = moderate(audit, swindon(), "requires_improvement", date(2026, 6, 20))
    audit = moderate(audit, swindon(), "inadequate", date(2026, 6, 30))
    assert grade_as_of(audit, date(2026, 6, 19)) == "good"
    assert grade_as_of(audit, date(2026, 6, 20)) == "requires_improvement"
    assert grade_as_of(audit, LATER) == "inadequate"


# ---------------------------------------------------------------------------------------------
# Properties over generated audits, several years and every installed profile version
# ---------------------------------------------------------------------------------------------

# (profile id, first day, last day) of the spans generated: each inside one version or across
# versions with the resolver.
SPANS = [
    ("bolton", date(2021, 11, 1), date(2025, 4, 30)),
    ("bolton", date(2026, 2, 5), date(2030, 12, 31)),
    ("manchester", date(2019, 9, 1), date(2030, 12, 31)),
    ("swindon", date(2026, 1, 1), date(2030, 12, 31)),
    ("telford", date(2020, 7, 1), date(2030, 12, 31)),
]


def resolver(profile_id: str) -> Callable[[date], Profile]:
    return lambda day: profile(profile_id, day)


@st.composite
def audits(draw: st.DrawFn, span: tuple[str, date, date], number: int = 0) -> Audit:
    profile_id, first, last = span
    audit_date = draw(st.dates(first, last))
    policy = profile(profile_id, audit_date)
    covered = {a for rule in policy.escalation for a in rule.applies_to}
    activities = sorted({a.id for a in policy.activities if a.graded} | covered)
    roles = [role.id for role in policy.roles]
    codes = list(policy.grade_scale.codes)
    audit = Audit(
        f"A{number}",
        draw(st.sampled_from(["C1", "C2", "C3"])),
        draw(st.sampled_from(activities)),
        audit_date,
        draw(st.sampled_from(["p1", "p2"])),
        draw(st.sampled_from(roles)),
        draw(st.sampled_from(codes)),
        team=draw(st.sampled_from(["North", "South", None])),
        concerns=tuple(draw(st.sets(st.sampled_from(list(Concern))))),
    )
    for _ in range(draw(st.integers(0, 3))):
        on = audit_date + timedelta(days=draw(st.integers(0, 60)))
        audit = moderate(
            audit,
            policy,
            draw(st.sampled_from(codes)),
            on,
            moderator=draw(st.sampled_from(["m1", "m2"])),
            role=draw(st.sampled_from(roles)),
        )
    return audit


@st.composite
def audit_and_dates(draw: st.DrawFn) -> tuple[Profile, Audit, date, date]:
    span = draw(st.sampled_from(SPANS))
    audit = draw(audits(span))
    first = audit.audit_date + timedelta(days=draw(st.integers(-10, 120)))
    second = first + timedelta(days=draw(st.integers(0, 120)))
    return profile(span[0], audit.audit_date), audit, first, second


@given(audit_and_dates())
def test_every_recipient_is_a_role_the_profile_declares(
    case: tuple[Profile, Audit, date, date],
) -> None:
    policy, audit, _, as_of = case
    titles = {role.id: role.title for role in policy.roles}
    for found in evaluate_escalations(policy, audit, as_of=as_of):
        for ids, named in (
            (found.recipient_roles, found.recipients),
            (found.conditional_recipient_roles, found.conditional_recipients),
            (found.raised_by_roles, found.raised_by),
            (found.follow_up_by_roles, found.follow_up_by),
        ):
            assert set(ids) <= set(titles)
            assert named == tuple(titles[i] for i in ids)
        assert found.recipients
        assert found.raised_by


@given(audit_and_dates())
def test_deadlines_are_working_days_never_before_the_raise_date(
    case: tuple[Profile, Audit, date, date],
) -> None:
    policy, audit, _, as_of = case
    for found in evaluate_escalations(policy, audit, as_of=as_of):
        assert audit.audit_date <= found.raised_on <= as_of
        # A deadline the rule does not state is never invented (Swindon's child of concern).
        deadline = found.deadline
        if isinstance(found.rule.deadline, NotStated):
            assert deadline is NOT_STATED
            deadline = found.raised_on
        assert isinstance(deadline, date)
        assert found.raised_on <= deadline
        assert is_working_day(deadline) or deadline == found.raised_on, found.rule_id
        if found.follow_up is None:
            assert found.first_follow_up is None
        else:
            assert found.first_follow_up is not None
            assert found.first_follow_up >= deadline
            assert is_working_day(found.first_follow_up)


@given(audit_and_dates(), st.integers(0, 400))
def test_follow_ups_are_the_next_of_the_series_from_the_raise_date(
    case: tuple[Profile, Audit, date, date], days: int
) -> None:
    policy, audit, _, as_of = case
    calendar = england_and_wales()
    for found in evaluate_escalations(policy, audit, as_of=as_of):
        day = found.raised_on + timedelta(days=days)
        review = found.follow_up_on_or_after(day, calendar)
        if found.follow_up is None:
            assert review is None
            continue
        # The series written out: every follow-up from the raise date, on a working day, from
        # the deadline on (from the raise date where no deadline is stated).
        series = [
            calendar.roll_forward(found.follow_up.add_to(found.raised_on, n)) for n in range(1, 80)
        ]
        start = found.deadline if isinstance(found.deadline, date) else found.raised_on
        assert found.first_follow_up == min(d for d in series if d >= start)
        assert review == min(d for d in series if d >= max(day, start))
        assert is_working_day(review)


@given(audit_and_dates())
def test_escalations_only_accumulate_as_the_as_of_date_moves_on(
    case: tuple[Profile, Audit, date, date],
) -> None:
    policy, audit, first, second = case
    earlier = evaluate_escalations(policy, audit, as_of=first)
    later = evaluate_escalations(policy, audit, as_of=second)
    assert len(earlier) <= len(later)
    assert set(earlier) <= set(later)
    assert {e for e in later if e.raised_on <= first} == set(earlier)
    assert [e.raised_on for e in later] == sorted(e.raised_on for e in later)


@given(
    st.sampled_from(SPANS).flatmap(
        lambda span: st.tuples(st.just(span[0]), st.lists(audits(span), max_size=6))
    ),
    st.dates(date(2019, 1, 1), LATER),
)
def test_bulk_evaluation_is_each_audit_under_its_own_version(
    case: tuple[str, list[Audit]], as_of: date
) -> None:
    profile_id, generated = case
    resolve = resolver(profile_id)
    bulk = evaluate_escalations_bulk(generated, resolve, as_of=as_of)
    one_by_one = [
        e
        for audit in generated
        if audit.audit_date <= as_of
        for e in evaluate_escalations(profile(profile_id, audit.audit_date), audit, as_of=as_of)
    ]
    assert bulk == one_by_one
