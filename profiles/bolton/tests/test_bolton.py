"""Bolton's two encoded frameworks, pinned to their seeds through the public API.

- 2021-11-01: "5.2.6 Staying Safe Services Quality Assurance Framework" (source ``staying_safe``).
- 2026-02-05: "'Focus on the Fundamentals' Quality Assurance Framework" (source ``fotf_2026``).

The May 2025 framework the 2026 document replaces is not encoded, so no version is in force
from 1 May 2025 to 4 February 2026.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from datetime import date
from importlib.metadata import entry_points
from typing import Any

import attrs
import pytest
import qaframework_bolton

import qaframework
from qaframework import (
    ActionStatus,
    Audit,
    AuditAction,
    CadenceKind,
    ClosingCondition,
    ConsequenceKind,
    DeadlineKind,
    EscalationStatus,
    GenericRole,
    GradeStage,
    Ilacs,
    ModerationOutcome,
    ModerationRecord,
    OccurrenceKind,
    Profile,
    SamplingMethod,
    SelectionKind,
    StandardKind,
    TriggerKind,
)
from qaframework.engine.actions.tracker import Closure
from qaframework.policy.cadence import IsoDuration, Quota
from qaframework.policy.paths import resolve_path
from qaframework.policy.unknowns import NOT_STATED
from qaframework.profiles.plugins import plugins_for_tests
from qaframework.testing.conformance import SeedConformance
from qaframework.testing.facts import UNSTATED, Rows, escalation_states_by_rule

OLD = date(2023, 1, 1)  # a day the Staying Safe framework is in force
NEW = date(2026, 6, 1)  # a day the Focus on the Fundamentals framework is in force


@pytest.fixture(scope="module", autouse=True)
def _only_bolton() -> Iterator[None]:
    """Load Bolton alone, so that other councils' data cannot affect these tests."""
    with plugins_for_tests(qaframework_bolton):
        yield


@pytest.fixture(scope="module")
def fotf(_only_bolton: None) -> Profile:
    return qaframework.load_profile("bolton", as_of=NEW)


@pytest.fixture(scope="module")
def staying_safe(_only_bolton: None) -> Profile:
    return qaframework.load_profile("bolton", as_of=OLD)


def _str(value: Any) -> str:
    return str(value) if value is not None else ""


def _quota(quota: qaframework.Quota) -> tuple[Any, ...]:
    """A quota's count, unit, qualifier, role, subject and period, for comparison."""
    return (
        quota.count,
        quota.unit,
        quota.qualifier.value,
        quota.per_role,
        quota.per,
        _str(quota.period),
    )


def _resolve(profile: Profile, path: str) -> Any:
    """Follow a profile path such as ``$.activities[supervision].cadence``; fail if it does not
    resolve."""
    return resolve_path(profile, path).value


# --------------------------------------------------------------------------------------------
# Versions and sources
# --------------------------------------------------------------------------------------------


def test_entry_point_is_installed() -> None:
    names = {ep.name for ep in entry_points(group="qaframework")}
    assert "bolton" in names


def test_latest_is_focus_on_the_fundamentals() -> None:
    latest = qaframework.load_profile("bolton")
    assert latest.name == "'Focus on the Fundamentals' Quality Assurance Framework"
    assert latest.effective_from == date(2026, 2, 5)
    assert latest.effective_to is None


def test_fotf_source(fotf: Profile) -> None:
    source = fotf.source("fotf_2026")
    assert source.approved == date(2026, 2, 5)
    assert source.issued == "January 2026"
    assert source.replaces == "Quality Assurance Framework May 2025"
    assert fotf.schedule_anchor == date(2026, 4, 1)


def test_staying_safe_source(staying_safe: Profile) -> None:
    source = staying_safe.source("staying_safe")
    assert source.title == "5.2.6 Staying Safe Services Quality Assurance Framework"
    assert source.approved is None
    assert staying_safe.effective_from == date(2021, 11, 1)
    assert staying_safe.effective_to == date(2025, 4, 30)
    assert staying_safe.schedule_anchor == date(2022, 4, 1)


# Section headings as they appear in the seeds; every citation names one of them.
FOTF_SECTIONS = {
    "About this document",
    "2. Our Practice Approach",
    "4. Quality Assurance and Our Practice Standards",
    "6. How do we measure quality?",
    "7. Roles and responsibilities",
    "8. Quality Assurance activity",
    "Performance Data",
    "Audit",
    "6 weekly Quality Case File Audits",
    "Moderation",
    "6 weekly Thematic Audits",
    "Multi-Agency Audits (safeguarding partnership)",
    "Direct Observations of Practice",
    "Children and Family Feedback",
    "Workforce Feedback",
    "Compliments & Complaints",
    "Reviews",
    "Leadership",
    "9. Quality Assurance activity at a glance",
    "Learning opportunities",
    "Closing the Loop",
    "Staff Learning and Development",
}
STAYING_SAFE_SECTIONS = {
    "5.2.6 Staying Safe Services Quality Assurance Framework",
    "2.1 Purpose and Context",
    "2.2 Management Oversight",
    "2.3 Supervision",
    "3.1 Audit Cycle",
    "3.2 Thematic Audits",
    "3.3 Whole Case File Audit Tool",
    "3.4 Family Support Quality Assurance",
    "3.5 Head of Service Quality Assurance",
    "3.6 Team Managers Across Districts",
    "3.7 Performance Management Meetings",
    "4.1 Summary Document of Social Care Quality Assurance / Audit Activity",
}


# --------------------------------------------------------------------------------------------
# 2026: grades and standards
# --------------------------------------------------------------------------------------------


def test_fotf_grade_scale(fotf: Profile) -> None:
    scale = fotf.grade_scale
    assert [(g.code, g.label) for g in scale] == [
        ("outstanding", "Outstanding"),
        ("meets_good", "Meets good"),
        ("does_not_yet_meet_good", "Does not yet meet good"),
        ("inadequate", "Inadequate"),
    ]
    assert scale.good_or_better == "meets_good"
    assert [scale.is_good_or_better(c) for c in scale.codes] == [True, True, False, False]
    assert [scale.ilacs(c) for c in scale.codes] == [
        Ilacs.OUTSTANDING,
        Ilacs.GOOD,
        Ilacs.REQUIRES_IMPROVEMENT,
        Ilacs.INADEQUATE,
    ]


def test_crosswalk_between_the_two_scales(fotf: Profile, staying_safe: Profile) -> None:
    assert fotf.grade_scale.crosswalk(staying_safe.grade_scale) == {
        "outstanding": ("outstanding",),
        "meets_good": ("good",),
        "does_not_yet_meet_good": ("requires_improvement",),
        "inadequate": ("inadequate",),
    }


def test_fotf_practice_standards(fotf: Profile) -> None:
    standards = [s for s in fotf.standards if s.kind is StandardKind.PRACTICE_STANDARD]
    assert [s.title for s in standards] == [
        "Practice Standard 1 - Assessment",
        "Practice Standard 2 - Planning, Review & Meetings",
        "Practice Standard 3 - Direct Work with Children & Visits",
        "Practice Standard 4 - Management Oversight & Supervision",
        "Practice Standard 5 - Case Recording",
    ]
    assert all(s.audited for s in standards)
    assert fotf.activity("quality_case_file_audits").standards == tuple(s.id for s in standards)


def test_fotf_practice_principles(fotf: Profile) -> None:
    principles = [s for s in fotf.standards if s.kind is StandardKind.PRACTICE_PRINCIPLE]
    assert [s.title for s in principles] == [
        "Relational Practice",
        "Restorative Practice",
        "Strengths-based Practice",
        "Multi-agency working",
        "Child-centred Practice",
    ]
    assert not any(s.audited for s in principles)


# --------------------------------------------------------------------------------------------
# 2026: roles
# --------------------------------------------------------------------------------------------


FOTF_ROLES = [
    ("practitioner", "Practitioner", GenericRole.PRACTITIONER),
    ("advanced_practitioner", "Advanced Practitioner", GenericRole.SENIOR_PRACTITIONER),
    ("team_manager", "Team Manager", GenericRole.TEAM_MANAGER),
    ("head_of_service", "Head of Service", GenericRole.HEAD_OF_SERVICE),
    ("strategic_lead", "Strategic Lead", GenericRole.HEAD_OF_SERVICE),
    (
        "assistant_director",
        "Children's Services Assistant Director",
        GenericRole.ASSISTANT_DIRECTOR,
    ),
    ("director", "Director of Children's Services", GenericRole.DIRECTOR),
    ("principal_social_worker", "Principal Social Worker", GenericRole.PRINCIPAL_SOCIAL_WORKER),
    ("qa_manager_officer", "Quality Assurance Manager/Officer", GenericRole.QA_MANAGER),
    ("qa_team", "QA Team", GenericRole.QA_TEAM),
    ("iro", "Independent Reviewing Officer", GenericRole.INDEPENDENT_REVIEWER),
    ("cp_chair", "Child Protection Conference Chair", GenericRole.INDEPENDENT_REVIEWER),
    (
        "policy_and_performance_team",
        "Policy and Performance Team",
        GenericRole.PERFORMANCE_TEAM,
    ),
    (
        "safeguarding_partnership",
        "Bolton Safeguarding Children Partnership",
        GenericRole.PARTNER_AGENCY,
    ),
]


def test_fotf_management_chain(fotf: Profile) -> None:
    chain = [r.id for r in fotf.management_chain("practitioner")]
    assert chain == [
        "team_manager",
        "head_of_service",
        "strategic_lead",
        "assistant_director",
        "director",
    ]
    assert [r.id for r in fotf.management_chain("qa_team")] == [
        "qa_manager_officer",
        "assistant_director",
        "director",
    ]
    assert fotf.role("iro").reports_to is None


# The generic management tiers, from the front line up.


def test_fotf_strategic_lead_sits_above_heads_of_service(fotf: Profile) -> None:
    assert fotf.role("head_of_service").reports_to == "strategic_lead"
    assert fotf.role("strategic_lead").generic is GenericRole.HEAD_OF_SERVICE
    assumption = next(a for a in fotf.assumptions if a.id == "management_chain")
    assert "$.roles[strategic_lead].generic" in assumption.concerns
    assert fotf.roles[4].id == "strategic_lead"
    assert "no tier between Head of Service and Assistant Director" in assumption.text


# --------------------------------------------------------------------------------------------
# 2026: activities
# --------------------------------------------------------------------------------------------

QA_REPORTS = ("qa_report_six_weekly", "qa_report_quarterly", "qa_report_annual")

# Section 9 "Quality Assurance activity at a glance", row by row.
AT_A_GLANCE = [
    (
        "quality_case_file_audits",
        "case_file_audit",
        (
            "team_manager",
            "iro",
            "cp_chair",
            "advanced_practitioner",
            "director",
            "assistant_director",
        ),
        "P6W",
        "Identifies practice strengths & areas for improvement",
        (*QA_REPORTS, "audit_findings_to_aib", "audit_outcome_in_supervision"),
    ),
    (
        "moderation_of_case_audits",
        "moderation",
        ("qa_manager_officer", "principal_social_worker", "head_of_service", "strategic_lead"),
        "P6W",
        "Ensures consistency in audit judgments and a shared understanding of what good looks like",
        QA_REPORTS,
    ),
    (
        "multi_agency_audits",
        "multi_agency_audit",
        ("safeguarding_partnership",),
        "P3M",
        "Strengthen partnership working",
        ("multi_agency_audit_findings", "qa_report_quarterly", "qa_report_annual"),
    ),
    (
        "thematic_audits",
        "thematic_audit",
        ("head_of_service", "strategic_lead"),
        "P6W",
        "Provides deep-dive analysis into priority areas",
        # Thematic audits sit under "Audit", whose findings the QA Manager/Officer reports
        # into the bi-monthly Assurance and Improvement Board, like the case file audits'.
        (*QA_REPORTS, "audit_findings_to_aib"),
    ),
    (
        "staff_and_service_user_feedback",
        "feedback",
        ("qa_manager_officer", "team_manager", "head_of_service", "strategic_lead"),
        "ongoing",
        "Captures experiences of frontline staff, children, & families",
        QA_REPORTS,
    ),
    (
        "practice_observations",
        "direct_observation",
        ("team_manager", "head_of_service", "strategic_lead", "advanced_practitioner"),
        "P1Y",
        "Evaluates the quality of direct work with children",
        ("qa_report_annual",),
    ),
    (
        "compliment_and_complaints_reports",
        "complaints",
        ("qa_team",),
        "P3M",
        "Gathers feedback on how services are experienced",
        ("qa_report_quarterly", "qa_report_annual"),
    ),
]


def test_fotf_at_a_glance_comes_first(fotf: Profile) -> None:
    assert [a.id for a in fotf.activities[:7]] == [row[0] for row in AT_A_GLANCE]
    for activity in fotf.activities[:7]:
        assert activity.citation.section == "9. Quality Assurance activity at a glance"


# Activities stated in the prose of sections 8 and 10.
PROSE = [
    ("performance_data", ("policy_and_performance_team", "strategic_lead"), "ongoing"),
    ("audit_action_tracking", ("qa_manager_officer",), "ongoing"),
    ("observation_of_supervision", ("head_of_service", "strategic_lead"), "P1Y"),
    (
        "walking_the_floor",
        ("head_of_service", "strategic_lead", "assistant_director", "director"),
        "ongoing",
    ),
    ("psw_practitioner_forums", ("principal_social_worker", "practitioner"), "P3M"),
    ("staff_engagement_sessions", ("director", "assistant_director"), "P3M"),
    ("voice_of_the_workforce", ("director",), "not stated"),
    ("task_and_finish_groups", ("practitioner",), "as-required"),
    ("lga_employer_standards_survey", ("local_government_association",), "P1Y"),
    ("dispute_resolution", ("iro", "cp_chair"), "on-event:practice_issue_identified"),
    ("complaints_trends", ("corporate_complaints_team",), "ongoing"),
    ("complex_complaints_lessons", ("corporate_complaints_team",), "as-required"),
    ("reviews", ("director", "safeguarding_partnership"), "as-required"),
    ("case_supervision", ("team_manager", "advanced_practitioner"), "P1M"),
    ("personal_reflective_supervision", ("team_manager", "advanced_practitioner"), "P2M"),
    ("psw_dip_samples", ("psw_team",), "on-event:learning_opportunity"),
    ("breakfast_briefings", ("psw_team",), "P6W"),
    ("lunchtime_learning_sessions", ("psw_team",), "P6W"),
    ("seven_minute_briefings", ("psw_team",), "P6W"),
    (
        "practice_weeks",
        (
            "practitioner",
            "advanced_practitioner",
            "team_manager",
            "head_of_service",
            "strategic_lead",
        ),
        "P6M",
    ),
    ("service_development_sessions", ("team_manager", "head_of_service"), "not stated"),
    ("fpi_workshops", ("practitioner", "team_manager"), "P6W"),
]


def test_fotf_activity_count(fotf: Profile) -> None:
    assert len(fotf.activities) == len(AT_A_GLANCE) + len(PROSE) == 29


def test_fotf_case_file_audit_detail(fotf: Profile) -> None:
    audit = fotf.activity("quality_case_file_audits")
    assert audit.graded
    # Section 7: a rationale, strengths and what would have made it better, every time.
    assert {f.value for f in audit.judgement_fields} == {"rationale", "strengths", "would_improve"}
    assert {f.value for f in audit.feedback_from} == {
        "child",
        "parent_carer",
        "practitioner",
        "partner_agency",
    }
    assert audit.sampling is not None
    assert audit.sampling.method is SamplingMethod.STRATIFIED
    assert audit.sampling.strata == ("service_area",)
    # Seed 000, "6 weekly Quality Case File Audits": audits each 6-weekly cycle, sampled
    # stratified, but no number of audits or cases: how many is not stated.
    assert audit.sampling.size == Quota(NOT_STATED, "case")
    assert audit.quota == Quota(NOT_STATED, "audit", period=IsoDuration(weeks=6))


def test_fotf_thematic_sampling_is_purposive(fotf: Profile) -> None:
    sampling = fotf.activity("thematic_audits").sampling
    assert sampling is not None
    assert sampling.method is SamplingMethod.PURPOSIVE
    assert "ChAT" in _str(sampling.criteria)


def test_fotf_observation_quota(fotf: Profile) -> None:
    quota = fotf.activity("practice_observations").quota
    assert quota is not None
    assert _quota(quota) == (1, "observation", "at_least", None, "supervisee", "P1Y")


def test_fotf_supervision_quotas(fotf: Profile) -> None:
    case = fotf.activity("case_supervision").quota
    personal = fotf.activity("personal_reflective_supervision").quota
    assert case is not None
    assert personal is not None
    assert _quota(case) == (1, "supervision", "exactly", None, "supervisee", "P1M")
    assert _quota(personal) == (1, "supervision", "exactly", None, "supervisee", "P2M")


def test_fotf_unscheduled_activities(fotf: Profile) -> None:
    unscheduled = {a.id: a.cadence.kind for a in fotf.unscheduled()}
    assert unscheduled["dispute_resolution"] is CadenceKind.ON_EVENT
    assert unscheduled["psw_dip_samples"] is CadenceKind.ON_EVENT
    assert unscheduled["walking_the_floor"] is CadenceKind.ONGOING
    # Seed 000, "Workforce Feedback": the Board was established, led by the Director; how
    # often it meets is not stated.
    assert unscheduled["voice_of_the_workforce"] is CadenceKind.NOT_STATED
    assert unscheduled["task_and_finish_groups"] is CadenceKind.AS_REQUIRED
    assert "quality_case_file_audits" not in unscheduled


# --------------------------------------------------------------------------------------------
# 2026: forums and reporting lines
# --------------------------------------------------------------------------------------------


FOTF_FORUMS = [
    ("aim", "board", "P2M", None),
    ("directorate_leadership_team", "meeting", "not stated", None),
    ("performance_board", "board", "not stated", None),
    ("voice_of_the_workforce_board", "board", "not stated", "director"),
    ("bscp", "partnership", "not stated", None),
    ("case_supervision", "supervision", "P1M", None),
    ("personal_reflective_supervision", "supervision", "P2M", None),
    ("panels", "panel", "not stated", None),
    ("voice_4_u", "forum", "not stated", None),
    ("care_leavers_forum", "forum", "not stated", None),
]


def test_fotf_aim_is_also_the_aib(fotf: Profile) -> None:
    aim = fotf.forum("aim")
    assert aim.name == "Assurance and Improvement Meeting"
    assert {"AIM", "AIB"} <= set(aim.abbreviations)
    assert aim.aliases == ("Assurance and Improvement Board",)
    reported = {a.id for a in fotf.activities_reported_to("aim")}
    assert {
        "quality_case_file_audits",
        "moderation_of_case_audits",
        "multi_agency_audits",
        "thematic_audits",
        "staff_and_service_user_feedback",
        "practice_observations",
        "compliment_and_complaints_reports",
        "performance_data",
        "audit_action_tracking",
        "psw_dip_samples",
    } == reported


FOTF_REPORTING_LINES = [
    ("qa_report_six_weekly", ("qa_manager_officer",), ("aim",), (), "P6W"),
    ("qa_report_quarterly", ("qa_manager_officer",), ("aim",), (), "P3M"),
    ("qa_report_annual", ("qa_manager_officer",), ("aim",), (), "P1Y"),
    ("audit_findings_to_aib", ("qa_manager_officer",), ("aim",), (), "P2M"),
    ("performance_data_to_aib", ("strategic_lead",), ("aim",), (), "P2M"),
    (
        "audit_outcome_in_supervision",
        ("team_manager", "advanced_practitioner"),
        ("case_supervision", "personal_reflective_supervision"),
        (),
        "on-event:audit_completed",
    ),
    ("multi_agency_audit_findings", ("safeguarding_partnership",), ("bscp",), (), "P3M"),
    (
        "practitioner_forum_feedback",
        ("principal_social_worker",),
        ("directorate_leadership_team",),
        (),
        "P6W",
    ),
    (
        "dispute_resolution_monitoring",
        ("iro", "cp_chair"),
        ("performance_board",),
        (),
        "as-required",
    ),
    (
        "walking_the_floor_themes",
        ("head_of_service", "strategic_lead", "assistant_director", "director"),
        (),
        ("qa_manager_officer",),
        "as-required",
    ),
    ("dip_sample_findings", ("psw_team",), ("aim",), (), "P2M"),
]


def test_fotf_counts(fotf: Profile) -> None:
    assert len(fotf.roles) == 17
    assert len(fotf.standards) == 10
    assert len(fotf.forums) == 10
    assert len(fotf.reporting_lines) == 11
    assert len(fotf.moderation) == 1
    assert len(fotf.escalation) == 2
    assert len(fotf.action_timescales) == 2


# --------------------------------------------------------------------------------------------
# 2026: moderation, escalation, actions
# --------------------------------------------------------------------------------------------


def test_fotf_moderation_policy(fotf: Profile) -> None:
    (policy,) = fotf.moderation
    assert policy.id == "six_weekly_moderation"
    assert policy.applies_to == ("quality_case_file_audits",)
    assert policy.moderators == (
        "qa_manager_officer",
        "principal_social_worker",
        "head_of_service",
        "strategic_lead",
    )
    assert str(policy.cadence) == "P6W"
    assert policy.recorded_on == "case file"
    assert set(policy.feedback_to) == set(fotf.activity("quality_case_file_audits").who)
    (rule,) = policy.selection
    assert rule.kind is SelectionKind.PROPORTION
    # Seed 000, "Moderation": "on a sample of quality case file audits based on the number of
    # audits completed that cycle": a proportion, not stated; a sample is at least one.
    assert (rule.proportion, rule.minimum, rule.maximum) == (NOT_STATED, 1, None)
    assert not rule.is_stated


@pytest.mark.parametrize(("audits", "moderated"), [(0, 0), (1, 1), (5, 1), (35, 1)])
def test_fotf_moderation_takes_the_stated_minimum_and_no_invented_share(
    fotf: Profile, audits: int, moderated: int
) -> None:
    """The proportion is not stated: a cycle's selection is its stated minimum of one audit,
    never a share the seed does not give, and the selection says so."""
    from qaframework.engine.moderation import select_for_moderation
    from qaframework.engine.periods import Period

    cycle = Period(date(2026, 4, 1), date(2026, 5, 12))
    made = [
        Audit(
            f"A{n}",
            f"C{n}",
            "quality_case_file_audits",
            date(2026, 4, 2),
            f"tm{n}",
            "team_manager",
            overall_grade="meets_good",
        )
        for n in range(audits)
    ]
    selection = select_for_moderation(fotf, made, cycle, seed=1)
    assert len(selection.selected) == moderated
    assert selection.not_stated == (
        "6 weekly audit moderation, selection rule 1 (proportion): how many "
        "audits it moderates is not stated, so only its stated minimum of 1 a cycle was drawn",
    )


def test_fotf_focused_practice_improvement(fotf: Profile) -> None:
    rule = fotf.escalation[0]
    assert rule.id == "focused_practice_improvement"
    assert rule.trigger.kind is TriggerKind.GRADE
    assert rule.trigger.stage is GradeStage.FINAL
    assert rule.trigger.at_or_below == "does_not_yet_meet_good"
    scale = fotf.grade_scale
    caught = [c for c in scale.codes if scale.at_or_below(c, rule.trigger.at_or_below)]
    assert caught == ["does_not_yet_meet_good", "inadequate"]
    assert rule.recipients == ("practitioner", "team_manager")
    assert rule.deadline.kind is DeadlineKind.NEXT_CYCLE
    assert rule.follow_up is None
    assert rule.applies_to == ("quality_case_file_audits",)
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.PRACTICE_IMPROVEMENT_WORKSHOP
    assert rule.consequence.name == "Focused Practice Improvement (FPI) Workshop"
    assert rule.closes == (ClosingCondition.WITHDRAWN, ClosingCondition.DEADLINE)


def test_fotf_fpi_deadline_and_closing_are_recorded_assumptions(fotf: Profile) -> None:
    # Seed 000, "Learning opportunities": "Focused Practice Improvement (FPI) Workshops take
    # place on an individual level each quality case file audit cycle". Neither the cycle the
    # workshop falls in (next_cycle) nor its end is stated.
    (assumption,) = [a for a in fotf.assumptions if a.id == "fpi_deadline_and_closing"]
    assert set(assumption.concerns) == {
        "$.escalation[focused_practice_improvement].deadline",
        "$.escalation[focused_practice_improvement].closes",
    }
    assert assumption.citation is not None
    assert assumption.citation.section == "Learning opportunities"
    assert assumption.citation.quote == (
        "Focused Practice Improvement (FPI) Workshops take place on an individual level each "
        "quality case file audit cycle"
    )


_states = functools.partial(escalation_states_by_rule, "bolton")


def _fpi_audit(*actions: AuditAction) -> Audit:
    # 1 June 2026 falls in the 6-weekly cycle of 13 May to 23 June 2026 (cycles from the
    # 1 April anchor); the next cycle runs from 24 June to 4 August.
    return Audit(
        "A1",
        "C1",
        "quality_case_file_audits",
        date(2026, 6, 1),
        "tm-1",
        "team_manager",
        "does_not_yet_meet_good",
        actions=actions,
    )


def test_fotf_an_fpi_workshop_closes_once_its_cycle_has_passed() -> None:
    # A DNYMG audit with no actions was still open a year later: the workshop takes place in
    # a cycle, and is taken as held once the next cycle has ended.
    before = _states([_fpi_audit()], date(2026, 8, 3))["focused_practice_improvement"]
    assert before.status is EscalationStatus.OPEN
    assert before.escalation.deadline == date(2026, 8, 4)
    state = _states([_fpi_audit()], date(2027, 6, 1))["focused_practice_improvement"]
    assert (state.status, state.closed_on, state.closure) == (
        EscalationStatus.CLOSED,
        date(2026, 8, 4),
        Closure.DEADLINE,
    )
    # The audit's SMART actions are tracked on their own: verifying them does not hold the
    # workshop.
    verified = AuditAction(
        "A1-1",
        "update the assessment",
        "tm-1",
        date(2026, 6, 30),
        status=ActionStatus.VERIFIED,
        done_on=date(2026, 6, 20),
        verified_on=date(2026, 6, 25),
    )
    state = _states([_fpi_audit(verified)], date(2026, 7, 1))["focused_practice_improvement"]
    assert state.status is EscalationStatus.OPEN


def test_fotf_moderation_above_dnymg_withdraws_the_workshop() -> None:
    audit = _fpi_audit().with_moderation(
        ModerationRecord(
            "qa-1", "qa_manager_officer", "meets_good", ModerationOutcome.UPGRADE, date(2026, 6, 15)
        )
    )
    state = _states([audit], date(2027, 6, 1))["focused_practice_improvement"]
    assert (state.closed_on, state.closure) == (date(2026, 6, 15), Closure.WITHDRAWN)


def test_fotf_urgent_concerns(fotf: Profile) -> None:
    rule = fotf.escalation[1]
    assert rule.id == "urgent_concerns"
    assert rule.trigger.kind is TriggerKind.CONCERN
    assert rule.trigger.concern is not None
    assert rule.trigger.concern.value == "urgent_safety"
    assert rule.recipients == ("team_manager", "head_of_service")
    assert rule.deadline.kind is DeadlineKind.IMMEDIATE
    assert rule.applies_to == ()


def test_fotf_smart_actions(fotf: Profile) -> None:
    actions = fotf.action_timescales[0]
    assert actions.id == "smart_audit_actions"
    assert actions.applies_to == ("quality_case_file_audits", "thematic_audits")
    assert actions.set_in_audit
    assert actions.due is None
    assert str(actions.default_due) == "P6W"
    assert actions.owner == "team_manager"
    assert actions.tracked_by == ("qa_manager_officer",)
    assert actions.reviewed_in == ("case_supervision", "personal_reflective_supervision")


def test_fotf_observation_action_plan(fotf: Profile) -> None:
    plan = fotf.action_timescales[1]
    assert plan.applies_to == ("practice_observations",)
    assert plan.set_in_audit
    assert str(plan.default_due) == "P2M"
    assert plan.reviewed_in == ("personal_reflective_supervision",)


# --------------------------------------------------------------------------------------------
# 2026: assumptions and schedule
# --------------------------------------------------------------------------------------------

FOTF_ASSUMPTIONS = {
    "role_checks",
    "schedule_anchor",
    "no_end_date",
    "aim_and_aib_one_forum",
    "bi_monthly_every_two_months",
    "forum_cadence_not_stated",
    "activity_cadence_not_stated",
    "learning_sessions_each_cycle",
    "learning_sessions_presenter",
    "who_not_stated",
    "senior_managers",
    "qa_report_producer",
    "supervision_reporting",
    "action_tracking_report",
    "dispute_resolution_reporting",
    "multi_agency_in_qa_reports",
    "complaints_quarterly_annual",
    "case_file_audit_volume",
    "standards_audited",
    "grade_synonyms",
    "moderation_sample_size",
    "fpi_grade_stage",
    "fpi_deadline_and_closing",
    "urgent_concern_recipients",
    "smart_action_timescale",
    "observation_action_timescale",
    "management_chain",
    "no_reporting_line",
}


def test_fotf_assumptions_name_what_they_govern(fotf: Profile) -> None:
    concerns = {c for a in fotf.assumptions for c in a.concerns}
    assert {
        "$.schedule_anchor",
        "$.moderation[six_weekly_moderation].selection",
        "$.action_timescales[smart_audit_actions].default_due",
        "$.escalation[focused_practice_improvement].trigger",
        "$.forums[aim]",
    } <= concerns
    # The ids point where the assumptions say.
    assert _resolve(fotf, "$.forums[aim]").id == "aim"
    assert _resolve(fotf, "$.activities[personal_reflective_supervision]").cadence
    assert _resolve(fotf, "$.activities[breakfast_briefings]").id == "breakfast_briefings"
    assert _resolve(fotf, "$.reporting_lines[dip_sample_findings]").report


# Silences found in review: each value the seed does not state is named by an assumption.
RECORDED_SILENCES = [
    (
        NEW,
        "activity_cadence_not_stated",
        "$.activities[complaints_trends].cadence",
        "complaints_trends",
    ),
    (
        NEW,
        "who_not_stated",
        "$.activities[complex_complaints_lessons].who",
        "complex_complaints_lessons",
    ),
    (
        NEW,
        "multi_agency_in_qa_reports",
        "$.reporting_lines[multi_agency_audit_findings].cadence",
        "multi_agency_audit_findings",
    ),
    (
        NEW,
        "multi_agency_in_qa_reports",
        "$.reporting_lines[multi_agency_audit_findings].produced_by",
        "multi_agency_audit_findings",
    ),
    (
        NEW,
        "observation_action_timescale",
        "$.action_timescales[observation_action_plan].owner",
        "observation_action_plan",
    ),
    (OLD, "no_reporting_line", "$.activities[transfer_audit].reported_via", "transfer_audit"),
    (OLD, "who_not_stated", "$.activities[supervision].who", "supervision"),
    (
        OLD,
        "who_not_stated",
        "$.activities[personal_development_reviews].who",
        "personal_development_reviews",
    ),
]


@pytest.mark.parametrize(("as_of", "assumption_id", "path", "owner_id"), RECORDED_SILENCES)
def test_silences_are_recorded(as_of: date, assumption_id: str, path: str, owner_id: str) -> None:
    profile = qaframework.load_profile("bolton", as_of=as_of)
    (assumption,) = [a for a in profile.assumptions if a.id == assumption_id]
    assert path in assumption.concerns
    owner = path.rsplit(".", 1)[0]
    assert _resolve(profile, owner).id == owner_id


def test_recorded_silences_are_explained() -> None:
    fotf, staying_safe = (qaframework.load_profile("bolton", as_of=d) for d in (NEW, OLD))
    texts = {(p.version, a.id): a.text for p in (fotf, staying_safe) for a in p.assumptions}
    assert "emerging trends" in texts["2026-01", "activity_cadence_not_stated"]
    assert "complex complaints" in texts["2026-01", "who_not_stated"]
    assert "no frequency or producer" in texts["2026-01", "multi_agency_in_qa_reports"]
    assert "names no owner" in texts["2026-01", "observation_action_timescale"]
    assert "point of transfer" in texts["2021-11", "no_reporting_line"]
    assert "who supervises" in texts["2021-11", "who_not_stated"]
    assert "Personal Development Reviews" in texts["2021-11", "who_not_stated"]


def test_fotf_schedule_2026_27(fotf: Profile) -> None:
    year = qaframework.FinancialYear(2026)
    found = fotf.schedule(year.start, year.end)
    counts = Counter((o.kind, o.ref) for o in found)
    activity = OccurrenceKind.ACTIVITY
    assert counts[activity, "quality_case_file_audits"] == 9
    assert counts[activity, "moderation_of_case_audits"] == 9
    assert counts[activity, "thematic_audits"] == 9
    assert counts[activity, "multi_agency_audits"] == 4
    assert counts[activity, "practice_observations"] == 1
    assert counts[activity, "practice_weeks"] == 2
    assert counts[activity, "case_supervision"] == 12
    assert counts[activity, "personal_reflective_supervision"] == 6
    assert counts[OccurrenceKind.FORUM, "aim"] == 6
    assert counts[OccurrenceKind.REPORT, "qa_report_six_weekly"] == 9
    assert counts[OccurrenceKind.REPORT, "qa_report_quarterly"] == 4
    assert counts[activity, "walking_the_floor"] == 0
    audits = [o.day for o in found if o.ref == "quality_case_file_audits"]
    assert audits[:3] == [date(2026, 4, 1), date(2026, 5, 13), date(2026, 6, 24)]
    assert audits[-1] == date(2027, 3, 3)


# --------------------------------------------------------------------------------------------
# 2021: Staying Safe Services Quality Assurance Framework
# --------------------------------------------------------------------------------------------


def test_staying_safe_grade_scale(staying_safe: Profile) -> None:
    scale = staying_safe.grade_scale
    assert [g.label for g in scale] == [
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    ]
    assert scale.good_or_better == "good"
    assert [scale.is_good_or_better(c) for c in scale.codes] == [True, True, False, False]


def test_staying_safe_standards(staying_safe: Profile) -> None:
    assert [s.id for s in staying_safe.standards] == [
        "management_decision_recording",
        "climbie_requirement_45",
        "ofsted_case_tracking",
    ]
    recording = staying_safe.standard("management_decision_recording")
    assert recording.kind is StandardKind.QUALITY_STANDARD
    assert len(recording.what_good_looks_like) == 5


STAYING_SAFE_ROLES = [
    ("social_worker", "Social Worker", GenericRole.PRACTITIONER, "team_manager"),
    (
        "deputy_team_manager",
        "Deputy Team Manager",
        GenericRole.SENIOR_PRACTITIONER,
        "team_manager",
    ),
    ("team_manager", "Team Manager", GenericRole.TEAM_MANAGER, "head_of_service"),
    (
        "iro",
        "Independent Reviewing Officer",
        GenericRole.INDEPENDENT_REVIEWER,
        "iro_team_manager",
    ),
    ("iro_team_manager", "IRO Team Manager", GenericRole.TEAM_MANAGER, "head_of_service"),
    (
        "family_support_manager",
        "Family Support Manager",
        GenericRole.TEAM_MANAGER,
        "head_of_service",
    ),
    ("head_of_service", "Head of Service", GenericRole.HEAD_OF_SERVICE, "assistant_director"),
    ("assistant_director", "Assistant Director", GenericRole.ASSISTANT_DIRECTOR, None),
    ("chief_executive", "Chief Executive", GenericRole.CHIEF_EXECUTIVE, None),
    ("leader_of_the_council", "Leader of the Council", GenericRole.ELECTED_MEMBER, None),
    ("qa_team", "Quality Assurance Team", GenericRole.QA_TEAM, None),
]


STAYING_SAFE_ACTIVITIES = [
    ("management_oversight", "management_oversight", ("team_manager",), "ongoing"),
    ("case_management_decision_recording", "management_oversight", ("team_manager",), UNSTATED),
    ("supervision", "supervision", ("team_manager", "deputy_team_manager"), "ongoing"),
    ("personal_development_reviews", "supervision", ("team_manager",), "P1Y"),
    ("supervision_file_audit", "supervision_audit", ("head_of_service",), "P1Y"),
    ("supervision_survey", "survey", ("head_of_service",), "P1Y"),
    (
        "thematic_audits",
        "thematic_audit",
        (
            "assistant_director",
            "head_of_service",
            "team_manager",
            "deputy_team_manager",
            "iro_team_manager",
        ),
        "P1M",
    ),
    (
        "whole_case_file_audits",
        "case_file_audit",
        ("deputy_team_manager", "team_manager", "iro", "head_of_service", "assistant_director"),
        "P6M",
    ),
    ("transfer_audit", "case_file_audit", ("head_of_service",), "on-event:case_transfer"),
    ("team_manager_specific_audits", "case_file_audit", ("team_manager",), "not stated"),
    ("family_support_audits", "case_file_audit", ("family_support_manager",), "P3M"),
    ("hos_random_sampling", "dip_sample", ("head_of_service",), "P1M"),
    ("hos_transfer_file_check", "case_file_audit", ("head_of_service",), "on-event:case_transfer"),
    ("district_joint_sampling", "thematic_audit", ("team_manager",), "not stated"),
    (
        "performance_data_monitoring",
        "performance_data",
        ("assistant_director", "team_manager"),
        "P1M",
    ),
    ("staff_observation", "direct_observation", ("team_manager",), "P1Y"),
    ("user_feedback", "feedback", ("team_manager",), "after-event:case_closure,case_transfer"),
    ("complaints_and_compliments", "complaints", ("qa_team",), "P3M"),
    (
        "learning_and_improvement_group",
        "learning",
        ("learning_and_improvement_group",),
        "not stated",
    ),
    ("ad_walking_the_floor", "direct_observation", ("assistant_director",), "ongoing"),
    ("social_work_health_check_survey", "survey", ("assistant_director",), "not stated"),
]


def test_staying_safe_user_feedback_follows_each_closure_or_transfer(
    staying_safe: Profile,
) -> None:
    """4.1: "Following the closure or transfer of a case, a letter and questionnaire is sent
    to the family (child if appropriate)": one per child's case after each closure or
    transfer, owed (by no stated date) until it is sent."""
    from qaframework.engine.obligations import ObligationStatus, obligations_due
    from qaframework.io.activity_log import ActivityLogEntry

    activity = staying_safe.activity("user_feedback")
    assert activity.cadence.kind is CadenceKind.AFTER_EVENT
    assert activity.cadence.events == ("case_closure", "case_transfer")
    assert activity.cadence.describe() == "after each case closure or case transfer"
    assert "Following the closure or transfer of a case" in (activity.citation.quote or "")
    log = [
        ActivityLogEntry("user_feedback", "C1", date(2022, 3, 1), event="case_closure"),
        ActivityLogEntry("user_feedback", "C1", date(2022, 3, 4)),
        ActivityLogEntry("user_feedback", "C2", date(2022, 3, 9), event="case_transfer"),
    ]
    rows = {
        r.subject: (r.status, r.due_by)
        for r in obligations_due(staying_safe, log, as_of=date(2022, 4, 1))
        if r.activity == "user_feedback"
    }
    assert rows == {"C1": (ObligationStatus.OK, None), "C2": (ObligationStatus.DUE, None)}


def test_staying_safe_decision_recording_events(staying_safe: Profile) -> None:
    cadence = staying_safe.activity("case_management_decision_recording").cadence
    assert cadence.kind is CadenceKind.ON_EVENT
    assert cadence.events == (
        "case_transfer_leaving_care",
        "case_transfer_looked_after_children",
        "case_transfer_family_support",
        "case_closure",
        "child_protection_conference_decision",
        "accommodation_decision",
        "care_proceedings_decision",
        "public_law_outline_considered",
        "care_order_revocation_decision",
        "rehabilitation_decision",
        "private_fostering_identified",
        "placement_change",
    )


def test_staying_safe_thematic_audits(staying_safe: Profile) -> None:
    audit = staying_safe.activity("thematic_audits")
    assert str(audit.lookback) == "P1Y"
    assert audit.effort is not None
    assert (audit.effort.min_hours, audit.effort.max_hours) == (2.0, 4.0)
    assert audit.effort.typical_hours == 3.0
    assert audit.reported_via == (
        "thematic_audit_outcomes",
        "thematic_audit_copies",
        "thematic_action_plan",
    )


def test_staying_safe_whole_case_file_audits(staying_safe: Profile) -> None:
    audit = staying_safe.activity("whole_case_file_audits")
    assert audit.graded
    assert str(audit.lookback) == "P1Y"
    assert audit.effort is not None
    assert audit.effort.text == "up to a day"
    assert (audit.effort.min_hours, audit.effort.max_hours) == (None, 7.4)
    assert audit.quota is not None
    assert _quota(audit.quota) == (1, "case", "exactly", None, "auditor", "P6M")
    assert audit.sampling is not None
    assert audit.sampling.method is SamplingMethod.RANDOM
    assert audit.sampling.size is not None
    assert _quota(audit.sampling.size) == (35, "case", "approximately", None, None, "")
    assert audit.standards == ("ofsted_case_tracking",)
    assert audit.reported_via == ("whole_case_file_audit_report",)


def test_staying_safe_quotas(staying_safe: Profile) -> None:
    family = staying_safe.activity("family_support_audits").quota
    observation = staying_safe.activity("staff_observation").quota
    assert family is not None
    assert observation is not None
    assert _quota(family) == (1, "audit", "at_least", None, None, "P3M")
    assert _quota(observation) == (1, "observation", "at_least", None, "staff member", "P1Y")


def test_staying_safe_transfer_audits(staying_safe: Profile) -> None:
    graded = staying_safe.activity("transfer_audit")
    form = staying_safe.activity("hos_transfer_file_check")
    assert graded.graded
    assert not form.graded
    assert graded.cadence == form.cadence
    assert graded.cadence.events == ("case_transfer",)


STAYING_SAFE_FORUMS = [
    ("ssmt", "P2W", None),
    ("performance_management_meeting", "P1M", "assistant_director"),
    ("team_meetings", "not stated", None),
    ("district_meetings", "not stated", None),
]


def test_staying_safe_ssmt_is_the_management_team_meeting(staying_safe: Profile) -> None:
    ssmt = staying_safe.forum("ssmt")
    assert ssmt.name == "Staying Safe Management Team"
    assert "SSMT" in ssmt.abbreviations
    assert ssmt.aliases == ("Management Team Meetings",)
    assert staying_safe.forum("performance_management_meeting").members == ("team_manager",)


STAYING_SAFE_REPORTING_LINES = [
    ("management_oversight_issues", ("team_manager",), ("ssmt",), (), "P2W"),
    (
        "thematic_audit_outcomes",
        (
            "assistant_director",
            "head_of_service",
            "team_manager",
            "deputy_team_manager",
            "iro_team_manager",
        ),
        ("ssmt",),
        ("head_of_service",),
        "P1M",
    ),
    (
        "thematic_audit_copies",
        (
            "assistant_director",
            "head_of_service",
            "team_manager",
            "deputy_team_manager",
            "iro_team_manager",
        ),
        (),
        ("qa_team",),
        "on-event:audit_completed",
    ),
    (
        "thematic_action_plan",
        ("head_of_service",),
        ("performance_management_meeting",),
        (),
        "P1M",
    ),
    (
        "whole_case_file_audit_report",
        ("qa_team",),
        ("performance_management_meeting",),
        ("chief_executive", "leader_of_the_council"),
        "P6M",
    ),
    ("family_support_summary", ("family_support_manager",), ("ssmt",), (), "P3M"),
    ("hos_qa_summary", ("head_of_service",), ("ssmt",), (), "not stated"),
    ("qa_summary_to_pmm", ("qa_team",), ("performance_management_meeting",), (), "P1M"),
    (
        "complaints_to_managers",
        ("qa_team",),
        (),
        ("team_manager",),
        "on-event:complaint_or_compliment_received",
    ),
    (
        "complaints_lessons_quarterly",
        ("qa_team",),
        ("team_meetings", "district_meetings"),
        (),
        "P3M",
    ),
    ("complaints_past_stage_one", ("qa_team",), ("ssmt",), (), "P2W"),
]


def test_staying_safe_what_reaches_the_performance_management_meeting(
    staying_safe: Profile,
) -> None:
    reported = {a.id for a in staying_safe.activities_reported_to("performance_management_meeting")}
    assert {
        "thematic_audits",
        "whole_case_file_audits",
        "staff_observation",
        "user_feedback",
        "complaints_and_compliments",
        "learning_and_improvement_group",
        "ad_walking_the_floor",
        "social_work_health_check_survey",
    } == reported


def test_staying_safe_moderation(staying_safe: Profile) -> None:
    (policy,) = staying_safe.moderation
    assert policy.applies_to == ("whole_case_file_audits",)
    assert policy.moderators == ("head_of_service",)
    assert str(policy.cadence) == "P6M"
    # Seed 002, 3.3: "Audit moderation will be conducted by Heads of Service": which audits,
    # and how many, is not stated; nothing is selected in the profile's name.
    (rule,) = policy.selection
    assert rule.kind is SelectionKind.PROPORTION
    assert (rule.proportion, rule.minimum) == (NOT_STATED, None)


def test_staying_safe_urgent_child_protection_concerns(staying_safe: Profile) -> None:
    rule = staying_safe.escalation[0]
    assert rule.id == "urgent_child_protection_concerns"
    assert rule.trigger.kind is TriggerKind.CONCERN
    assert rule.trigger.concern is not None
    assert rule.trigger.concern.value == "urgent_safety"
    assert rule.recipients == ("team_manager", "social_worker")
    assert rule.deadline.kind is DeadlineKind.IMMEDIATE
    assert rule.applies_to == ()


@pytest.mark.parametrize(
    ("index", "rule_id", "recipients", "applies_to", "follow_up"),
    [
        (1, "audit_alert", ("team_manager", "head_of_service"), ("whole_case_file_audits",), None),
        (
            2,
            "auditor_feedback",
            ("social_worker", "team_manager"),
            ("whole_case_file_audits",),
            None,
        ),
        (3, "thematic_actions_to_supervisor", ("team_manager",), ("thematic_audits",), "P1M"),
    ],
)
def test_staying_safe_notifications_on_every_audit(
    staying_safe: Profile,
    index: int,
    rule_id: str,
    recipients: tuple[str, ...],
    applies_to: tuple[str, ...],
    follow_up: str | None,
) -> None:
    rule = staying_safe.escalation[index]
    assert rule.id == rule_id
    assert rule.trigger.kind is TriggerKind.COMPLETED
    assert rule.recipients == recipients
    assert rule.applies_to == applies_to
    assert rule.deadline.kind is DeadlineKind.SAME_WORKING_DAY
    assert (str(rule.follow_up) if rule.follow_up else None) == follow_up


def test_staying_safe_thematic_follow_up_tracker(staying_safe: Profile) -> None:
    rule = staying_safe.escalation[3]
    assert rule.follow_up_by == ("team_manager",)
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.ACTION_TRACKER
    assert rule.closes == (ClosingCondition.ACTIONS_VERIFIED, ClosingCondition.NO_ACTIONS)


def test_staying_safe_thematic_audit_with_no_actions_leaves_nothing_to_follow_up() -> None:
    # Seed 002_a39381fdf4d1ee33.txt, 3.2 Thematic Audits: "The supervisor should be notified
    # of any actions needed and ensure that these are followed up and recorded on the file that
    # they have been reviewed within 1 month, and again the following month." With no actions
    # there is nothing to follow up: the tracker closes the day the notice is due.
    audit = Audit("A1", "C1", "thematic_audits", date(2023, 6, 7), "tm-1", "team_manager", "good")
    state = _states([audit], date(2024, 6, 7))["thematic_actions_to_supervisor"]
    assert (state.status, state.closed_on, state.closure) == (
        EscalationStatus.CLOSED,
        date(2023, 6, 7),
        Closure.NO_ACTIONS,
    )
    open_action = AuditAction("A1-1", "update the plan", "tm-1", date(2023, 7, 7))
    state = _states([attrs.evolve(audit, actions=(open_action,))], date(2024, 6, 7))
    assert state["thematic_actions_to_supervisor"].status is EscalationStatus.OPEN


def test_staying_safe_one_month_is_the_latest_an_audit_may_set() -> None:
    # Seed 002, 3.3 Whole Case File Audit Tool: "The auditor should feedback to the social
    # worker and Team Manager any findings, and confirm actions and timescales" and "The Team
    # Manager will be responsible for ensuring any actions identified from the audit are
    # undertaken within a month". "Within a month" is a ceiling: a sooner date is allowed.
    policy = qaframework.load_profile("bolton", as_of=date(2022, 1, 31))
    audit = Audit(
        "A1",
        "C1",
        "whole_case_file_audits",
        date(2022, 1, 31),
        "tm-1",
        "team_manager",
        "requires_improvement",
    )
    sooner = qaframework.smart_action_dates(policy, audit, due=date(2022, 2, 14))
    assert (sooner.due, sooner.due_set_in_audit) == (date(2022, 2, 14), True)
    assert sooner.review == date(2022, 3, 31)  # still reviewed the subsequent month
    assert qaframework.smart_action_dates(policy, audit, due=date(2022, 2, 28)).due == date(
        2022, 2, 28
    )
    unset = qaframework.smart_action_dates(policy, audit)
    assert (unset.due, unset.due_set_in_audit) == (date(2022, 2, 28), False)
    with pytest.raises(qaframework.ClosingTheLoopError, match="within 1 month"):
        qaframework.smart_action_dates(policy, audit, due=date(2022, 3, 1))
    timescale = policy.action_timescales[0]
    assert any("may set a sooner due date" in note for note in timescale.notes)


@pytest.mark.parametrize(
    ("index", "applies_to", "reviewed_in"),
    [
        (0, ("whole_case_file_audits",), ()),
        (1, ("thematic_audits",), ("performance_management_meeting",)),
    ],
)
def test_staying_safe_actions_within_a_month_reviewed_the_next(
    staying_safe: Profile, index: int, applies_to: tuple[str, ...], reviewed_in: tuple[str, ...]
) -> None:
    actions = staying_safe.action_timescales[index]
    assert actions.applies_to == applies_to
    assert actions.owner == "team_manager"
    assert (str(actions.due), str(actions.review)) == ("P1M", "P2M")
    assert not actions.set_in_audit
    assert actions.reviewed_in == reviewed_in


def test_staying_safe_whole_case_file_audits_ask_the_chapters_compliance_questions(
    staying_safe: Profile,
) -> None:
    # Seed 002_a39381fdf4d1ee33.txt, 2.2 Management Oversight: "The Case Management Decision
    # Function or Supervision Record Function must be used consistently on all ICS records.
    # This is audited to ensure that compliance of key requirements is met." and "The Case
    # Closure Function should always be used when the case is to be closed."; 2.3
    # Supervision (Climbie Requirement 45): "the supervision recording, reviewing and signing
    # the case file at regular intervals". Appendix 1, the audit tool, is not in the text.
    activity = staying_safe.activity("whole_case_file_audits")
    items = {item.id: item for item in activity.checklist}
    assert list(items) == [
        "decision_function_used",
        "case_closure_function_used",
        "case_file_signed",
    ]
    sections = {item.id: item.citation.section for item in activity.checklist}
    assert sections == {
        "decision_function_used": "2.2 Management Oversight",
        "case_closure_function_used": "2.2 Management Oversight",
        "case_file_signed": "2.3 Supervision",
    }
    for item in activity.checklist:
        assert item.citation.quote is not None
    assert "used consistently on all ICS records" in str(
        items["decision_function_used"].citation.quote
    )
    assert "when the case is to be closed" in str(
        items["case_closure_function_used"].citation.quote
    )
    assert "signing the case file" in str(items["case_file_signed"].citation.quote)
    # Only closure can be not applicable: every record uses the function, every file is signed.
    assert [i.not_applicable for i in activity.checklist] == [False, True, False]
    (assumption,) = [a for a in staying_safe.assumptions if a.id == "compliance_checklist"]
    assert "Appendix 1" in assumption.text
    assert assumption.concerns == (f"$.activities[{activity.id}].checklist",)


STAYING_SAFE_ASSUMPTIONS = {
    "compliance_checklist",
    "role_checks",
    "version_dates",
    "schedule_anchor",
    "audit_cycle_missing",
    "grade_scale_ofsted",
    "standards",
    "ssmt_is_management_team_meetings",
    "pmm_is_performance_management_group",
    "forum_cadence_not_stated",
    "activity_cadence_not_stated",
    "health_check_survey",
    "senior_manager_is_head_of_service",
    "supervisor_is_team_manager",
    "who_not_stated",
    "report_producers",
    "hos_summary_cadence",
    "working_day_hours",
    "moderation_selection",
    "two_transfer_audits",
    "urgent_concerns_all_audits",
    "notification_deadlines",
    "thematic_actions_closing",
    "management_chain",
    "no_reporting_line",
    "user_feedback_per_case",
}


def test_staying_safe_version_dates_are_an_assumption(staying_safe: Profile) -> None:
    dates = next(a for a in staying_safe.assumptions if a.id == "version_dates")
    assert set(dates.concerns) == {"$.effective_from", "$.effective_to"}
    assert "May 2025" in dates.text
    assert "November 2021" in dates.text


def test_staying_safe_counts(staying_safe: Profile) -> None:
    assert len(staying_safe.roles) == 12
    assert len(staying_safe.standards) == 3
    assert len(staying_safe.forums) == 4
    assert len(staying_safe.reporting_lines) == 11
    assert len(staying_safe.activities) == 21
    assert len(staying_safe.escalation) == 4
    assert len(staying_safe.action_timescales) == 2


def test_staying_safe_schedule_2022_23(staying_safe: Profile) -> None:
    year = qaframework.FinancialYear(2022)
    found = staying_safe.schedule(year.start, year.end)
    counts = Counter((o.kind, o.ref) for o in found)
    activity = OccurrenceKind.ACTIVITY
    assert counts[activity, "thematic_audits"] == 12
    assert counts[activity, "hos_random_sampling"] == 12
    assert counts[activity, "whole_case_file_audits"] == 2
    assert counts[activity, "family_support_audits"] == 4
    assert counts[activity, "supervision_file_audit"] == 1
    assert counts[OccurrenceKind.FORUM, "ssmt"] == 27
    assert counts[OccurrenceKind.FORUM, "performance_management_meeting"] == 12
    audits = [o.day for o in found if o.ref == "whole_case_file_audits"]
    assert audits == [date(2022, 4, 1), date(2022, 10, 1)]


# --------------------------------------------------------------------------------------------
# The facts the conformance kit checks, version by version
# --------------------------------------------------------------------------------------------

FOTF_VERSION = "2026-01"
STAYING_SAFE_VERSION = "2021-11"
FOTF_GRADE_SPELLINGS = {
    "Does not yet meet Good": "does_not_yet_meet_good",
    "DOES NOT YET MEET GOOD": "does_not_yet_meet_good",
    "does-not-yet-meet-good": "does_not_yet_meet_good",
    "DNYMG": "does_not_yet_meet_good",
    "Requires improvement to be good": "does_not_yet_meet_good",
    "Meets Good": "meets_good",
    "Good": "meets_good",
    " outstanding ": "outstanding",
    "Inadequate": "inadequate",
    # Not grades of the 2026 scale.
    "Requires improvement to be outstanding": None,
    "Amber": None,
}
STAYING_SAFE_GRADE_SPELLINGS = {"Requires Improvement": "requires_improvement", "Meets good": None}
LINE_COLUMNS = ("id", "produced_by", "to_forums", "to_roles", "cadence")


class TestBoltonSeed(SeedConformance):
    """Bolton's profile held to qaframework's invariant suite, over both its versions (Staying
    Safe from 2021 and Focus on the Fundamentals from 2026), and to the facts above."""

    profile_id = "bolton"
    authority = "Bolton Council"
    versions = [
        (STAYING_SAFE_VERSION, date(2021, 11, 1), date(2025, 4, 30)),
        (FOTF_VERSION, date(2026, 2, 5), None),
    ]
    in_force_on = {date(2027, 6, 1): FOTF_VERSION}
    # No version in force from 1 May 2025 to 4 February 2026 (the gap's first and last days
    # are checked by the kit).
    no_version_on = [date(2025, 10, 1)]
    sources = {
        FOTF_VERSION: {"fotf_2026": "000_69f8c3aed7c40c73.txt"},
        STAYING_SAFE_VERSION: {"staying_safe": "002_a39381fdf4d1ee33.txt"},
    }
    seed_sections = {"fotf_2026": FOTF_SECTIONS, "staying_safe": STAYING_SAFE_SECTIONS}
    min_citations = 51
    grade_spellings = {
        FOTF_VERSION: FOTF_GRADE_SPELLINGS,
        STAYING_SAFE_VERSION: STAYING_SAFE_GRADE_SPELLINGS,
    }
    roles = {
        FOTF_VERSION: Rows(("id", "title", "generic"), FOTF_ROLES),
        STAYING_SAFE_VERSION: Rows(("id", "title", "generic", "reports_to"), STAYING_SAFE_ROLES),
    }
    forums = {
        FOTF_VERSION: Rows(("id", "kind", "cadence", "chair"), FOTF_FORUMS),
        STAYING_SAFE_VERSION: Rows(("id", "cadence", "chair"), STAYING_SAFE_FORUMS),
    }
    reporting_lines = {
        FOTF_VERSION: Rows(LINE_COLUMNS, FOTF_REPORTING_LINES),
        STAYING_SAFE_VERSION: Rows(LINE_COLUMNS, STAYING_SAFE_REPORTING_LINES),
    }
    activities = {
        FOTF_VERSION: (
            Rows(("id", "kind", "who", "cadence", "outcome", "reported_via"), AT_A_GLANCE),
            Rows(("id", "who", "cadence"), PROSE),
        ),
        STAYING_SAFE_VERSION: Rows(
            ("id", "kind", "who", "cadence"), STAYING_SAFE_ACTIVITIES, every=True
        ),
    }
    assumptions = {
        FOTF_VERSION: FOTF_ASSUMPTIONS,
        STAYING_SAFE_VERSION: STAYING_SAFE_ASSUMPTIONS,
    }
