"""Telford & Wrekin's profile pins the facts of its Quality Assurance Framework and Guidance.

Source: Telford & Wrekin Council, Quality Assurance Framework and Guidance, version 1, July
2020 (seed ``004_108953be4c3711e4.txt``). The document has no numbered sections; citations
use its headings. Values the seed does not give are pinned together with the assumption that
records them.
"""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import date
from importlib.resources import files
from typing import Any

import attrs
import pytest

import qaframework
from qaframework import (
    ActivityKind,
    Audit,
    AuditAction,
    CadenceKind,
    ClosingCondition,
    Concern,
    ConsequenceKind,
    DeadlineKind,
    EscalationStatus,
    FinancialYear,
    ForumKind,
    GenericRole,
    Ilacs,
    ModerationOutcome,
    OccurrenceKind,
    Profile,
    QuotaQualifier,
    SelectionKind,
    StandardKind,
    TriggerKind,
)
from qaframework.engine.actions.tracker import Closure
from qaframework.engine.obligations import WindowKind, obligations, obligations_due
from qaframework.policy.unknowns import NOT_STATED
from qaframework.testing.conformance import SeedConformance
from qaframework.testing.facts import Rows, escalation_states_by_rule, path_resolves

SOURCE = "telford_qaf_2020"
DATA_FILE = "2020-07-01.toml"

# The seed's headings a citation may name.
HEADINGS = {
    "FOREWORD",
    "What is quality assurance?",
    "OUR STANDARDS, VALUES AND PRINCIPLES",
    "HCPC Standards of Conduct, Performance and Ethics (2016)",
    "Our overarching principles",
    "What this means in practice",
    "Professional behaviours",
    "OUR QUALITY ASSURANCE FRAMEWORK",
    "Activities and processes supporting our quality assurance framework",
    "IMPLEMENTING THE FRAMEWORK",
    "How will we know how well we are doing it?",
    "RESPONSIBILITIES FOR QUALITY ASSURANCE",
    "AUDIT TOOLS AND MODERATION PROCESS",
    "SUMMARY OF QA PROGRAMME OF ACTIVITY",
}

QUALITY_STANDARDS = [
    "assessments",
    "plans_smart",
    "care_planning_meetings",
    "child_family_voice",
    "positive_difference",
    "supervision_oversight_review",
    "statutory_requirements",
    "visits",
    "recording",
    "decision_making_thresholds",
    "intervention",
    "organisational_culture",
]


# "All staff" (the QA one minute briefing, Practice week): every role below the Director.
ALL_STAFF = (
    "practitioner",
    "senior_practitioner",
    "team_manager",
    "locality_team_leader",
    "service_delivery_manager",
    "senior_manager",
    "principal_social_worker",
    "qa_manager",
    "service_improvement_manager",
    "iro",
    "business_support_officer",
)

# Appendix 3, "SUMMARY OF QA PROGRAMME OF ACTIVITY": every row and the activity encoding it.
APPENDIX_3_ROWS = {
    # Audit Activity
    "Practice Learning Evaluations": "practice_evaluation_audit",
    "Themed Audits": "themed_audit",
    "Service Audit Activity": "service_audit_activity",
    "Senior Manager audits": "senior_manager_audit",
    "Management oversight and authorisation": "management_oversight_and_authorisation",
    "Journey of the child group discussions": "journey_of_the_child_discussions",
    # Observations of practice
    "Child protection conferences: initial and review": "observation_child_protection_conferences",
    "Core groups": "observation_core_groups",
    "Strategy discussions/meetings": "observation_strategy_discussions",
    "Planned child protection monitoring visits": "observation_cp_monitoring_visits",
    "Children in need reviews": "observation_cin_reviews",
    "Looked after children reviews": "observation_lac_reviews",
    "Legal planning meetings": "observation_legal_planning_meetings",
    "Early support and preventative work": "observation_early_support",
    # Wider learning activity
    "Peer good practice sharing events": "peer_good_practice_events",
    "Multi Agency audits": "multi_agency_audit",
    "Rapid Review Learning": "rapid_review_learning",
    "IRO escalations": "iro_escalation_learning",
    "Performance Board": "performance_board",
    # Feedback/consultation
    "Learning from complaints and compliments": "complaints_and_compliments",
    "Looked After children Consultation": "looked_after_children_consultation",
    "Feedback from Voice/Care Council": "children_in_care_council",
    "Bright Spots surveys": "bright_spots_survey",
    "Worker Health Check": "staff_health_check_survey",
    "Worker consultation group/feedback at Staff Briefings": "staff_consultation_group",
    "Fostering Survey": "foster_carer_survey",
    "Consultation with families": "consultation_with_families",
    "Practice Learning review feedback": "practice_learning_review_feedback",
    "Partner agency feedback": "partner_agency_feedback",
    "Good practice examples": "good_practice_examples",
}


@pytest.fixture(scope="module")
def profile() -> Profile:
    return qaframework.load_profile("telford", as_of=date(2026, 6, 1))


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    text = (files("qaframework_telford") / "data" / DATA_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


# -- versions and source -----------------------------------------------------------------------


def test_source_document(profile: Profile) -> None:
    source = profile.source(SOURCE)
    assert source.issued == "July 2020"
    assert source.authority == "Telford & Wrekin Council"
    assert source.approved is None


def test_schedule_anchor_is_first_april_after_effective_date(profile: Profile) -> None:
    assert profile.schedule_anchor == date(2021, 4, 1)


# -- grade scale ---------------------------------------------------------------------------------


def test_grade_scale_is_the_assumed_ofsted_four_point_scale(profile: Profile) -> None:
    scale = profile.grade_scale
    assert scale.codes == ("outstanding", "good", "requires_improvement", "inadequate")
    assert [scale.ilacs(c) for c in scale.codes] == list(Ilacs)
    assert scale.good_or_better == "good"
    assert scale.is_crosswalk_monotone()
    assert scale.is_good_or_better("good")
    assert scale.is_good_or_better("outstanding")
    assert not scale.is_good_or_better("requires_improvement")
    assert scale.citation.section == "AUDIT TOOLS AND MODERATION PROCESS"


# -- standards -----------------------------------------------------------------------------------


def test_twelve_quality_standards_in_table_order(profile: Profile) -> None:
    quality = [s.id for s in profile.standards if s.kind is StandardKind.QUALITY_STANDARD]
    assert quality == QUALITY_STANDARDS
    for standard_id in QUALITY_STANDARDS:
        standard = profile.standard(standard_id)
        assert standard.audited is (standard_id not in NOT_AUDITED)
        assert standard.what_good_looks_like
        assert standard.how_measured
        assert standard.citation.section == "How will we know how well we are doing it?"


@pytest.mark.parametrize(
    ("standard_id", "title", "good_count", "measured_count", "good_item", "measured_item"),
    [
        ("assessments", "Assessments are good quality", 6, 5, "Proportionate", "IRO scrutiny"),
        (
            "plans_smart",
            "Plans are good quality and SMART",
            3,
            3,
            "Reflect assessment findings",
            "IRO scrutiny at reviews/IRO RAG ratings",
        ),
        (
            "care_planning_meetings",
            "Care Planning Meetings are held regularly",
            2,
            3,
            "Held every six weeks until a child has a plan of permanence and then at least "
            "once between reviews",
            "Minimal drift in cases",
        ),
        (
            "child_family_voice",
            "Child and family’s voice is used to inform case planning and service delivery",
            3,
            3,
            "Reflected in plans",
            "Suggestions acted upon from VOICE",
        ),
        (
            "positive_difference",
            "Our involvement makes a positive difference to outcomes for the child/ young person",
            4,
            8,
            "Positive changes made and sustained",
            "Number of repeat CP Plans",
        ),
        (
            "supervision_oversight_review",
            "There is good quality staff supervision, management oversight and independent review",
            5,
            5,
            "Reflective",
            "Permanence at second review",
        ),
        (
            "statutory_requirements",
            "We meet Statutory Requirements",
            11,
            11,
            "Personal Education Plans",
            "Feedback from virtual Head",
        ),
        (
            "visits",
            "Visits are of good quality",
            4,
            2,
            "Have a clear purpose",
            "Stat visit requirements fulfilled",
        ),
        (
            "recording",
            "Quality of recording is good",
            3,
            6,
            "The child’s journey is evident",
            "Feedback following case transfers",
        ),
        (
            "decision_making_thresholds",
            "There is good quality decision-making and application of thresholds",
            4,
            7,
            "Decisions are made appropriately and based on evidence",
            "Number of S47s leading to ICPCs",
        ),
        (
            "intervention",
            "We provide good quality intervention",
            5,
            7,
            "Practice is reflective",
            "MACFA Audits",
        ),
        (
            "organisational_culture",
            "We have a positive organisational culture",
            1,
            5,
            "Staff working within the service feel valued and are provided with the support "
            "and challenge necessary for them to undertake demanding, complex roles",
            "Learning from exit interviews",
        ),
    ],
)
def test_quality_standard_rows(
    profile: Profile,
    standard_id: str,
    title: str,
    good_count: int,
    measured_count: int,
    good_item: str,
    measured_item: str,
) -> None:
    standard = profile.standard(standard_id)
    assert standard.title == title
    assert len(standard.what_good_looks_like) == good_count
    assert len(standard.how_measured) == measured_count
    assert good_item in standard.what_good_looks_like
    assert measured_item in standard.how_measured


def test_statutory_requirements_list_care_planning_meetings(profile: Profile) -> None:
    standard = profile.standard("statutory_requirements")
    assert standard.what_good_looks_like[0] == (
        "Rationale for decisions is clear and drift is prevented"
    )
    assert "Care planning meetings" in standard.what_good_looks_like
    assert "Findings of fostering survey" in standard.how_measured


def test_what_this_means_in_practice(profile: Profile) -> None:
    practice = [s for s in profile.standards if s.kind is StandardKind.PRACTICE_STANDARD]
    assert [s.id for s in practice] == [
        "every_child_assessment",
        "every_child_smart_plan",
        "every_child_seen_regularly",
        "every_child_voice_visible",
    ]
    assert all(s.citation.section == "What this means in practice" for s in practice)
    assert not any(s.audited for s in practice)


def test_principles_are_not_audited(profile: Profile) -> None:
    principles = [s for s in profile.standards if s.kind is StandardKind.PRACTICE_PRINCIPLE]
    overarching = [s for s in principles if s.citation.section == "Our overarching principles"]
    assert len(overarching) == 13
    assert not any(s.audited for s in principles)
    hcpc = profile.standard("hcpc_standards")
    assert "report concerns about safety" in hcpc.what_good_looks_like
    assert len(hcpc.what_good_looks_like) == 10
    assert len(profile.standard("professional_behaviours").what_good_looks_like) == 6
    values = [s.title for s in principles if s.id.startswith("value_")]
    assert values == ["Openness and Honesty", "Ownership", "Fairness and Respect", "Involvement"]
    assert len(profile.standards) == 35


# -- roles ---------------------------------------------------------------------------------------


ROLES = [
    (
        "practitioner",
        "Practitioner (Early Help and Social Work)",
        GenericRole.PRACTITIONER,
        "team_manager",
    ),
    (
        "senior_practitioner",
        "Senior Practitioner / Consultant Social Worker",
        GenericRole.SENIOR_PRACTITIONER,
        "team_manager",
    ),
    ("team_manager", "Team Manager", GenericRole.TEAM_MANAGER, "service_delivery_manager"),
    (
        "locality_team_leader",
        "Locality Team Leader",
        GenericRole.TEAM_MANAGER,
        "service_delivery_manager",
    ),
    (
        "service_delivery_manager",
        "Service Delivery Manager",
        GenericRole.SERVICE_LEAD,
        "senior_manager",
    ),
    ("senior_manager", "Senior Manager", GenericRole.HEAD_OF_SERVICE, "director"),
    ("director", "Director", GenericRole.ASSISTANT_DIRECTOR, "executive_director"),
    (
        "executive_director",
        "Executive Director of Children's Services",
        GenericRole.DIRECTOR,
        None,
    ),
    (
        "principal_social_worker",
        "Principal Social Worker",
        GenericRole.PRINCIPAL_SOCIAL_WORKER,
        "director",
    ),
    ("qa_manager", "Quality Assurance Manager", GenericRole.QA_MANAGER, None),
    (
        "service_improvement_manager",
        "Service Improvement Manager",
        GenericRole.PERFORMANCE_TEAM,
        None,
    ),
    (
        "iro",
        "Independent Conference & Reviewing Officer",
        GenericRole.INDEPENDENT_REVIEWER,
        None,
    ),
    (
        "business_support_officer",
        "Business Support Officer",
        GenericRole.BUSINESS_SUPPORT,
        None,
    ),
    (
        "workforce_development_team",
        "Workforce Development Team",
        GenericRole.LEARNING_AND_DEVELOPMENT,
        None,
    ),
    ("elected_members", "Elected Members", GenericRole.ELECTED_MEMBER, None),
    ("partner_agencies", "Partner agencies", GenericRole.PARTNER_AGENCY, None),
    (
        "rights_and_representations",
        "Rights and Representations service",
        GenericRole.QA_TEAM,
        None,
    ),
    (
        "children_in_care_council",
        "Children in Care Council",
        GenericRole.CHILD_OR_FAMILY,
        None,
    ),
]


def test_role_abbreviations(profile: Profile) -> None:
    assert profile.role("service_delivery_manager").abbreviations == ("SDM",)
    assert profile.role("iro").abbreviations == ("IRO", "CP Chair")
    assert profile.role("children_in_care_council").abbreviations == ("VOICE",)
    assert len(profile.roles) == 18


def test_management_chain_from_practitioner(profile: Profile) -> None:
    chain = [r.id for r in profile.management_chain("practitioner")]
    assert chain == [
        "team_manager",
        "service_delivery_manager",
        "senior_manager",
        "director",
        "executive_director",
    ]


# -- forums and reporting lines ------------------------------------------------------------------


FORUMS = [
    ("qa_group", "Children's Services Quality Assurance Group", ForumKind.GROUP, "not stated"),
    ("cssmt_qa_meetings", "CSSMT Quality Assurance meetings", ForumKind.MEETING, "not stated"),
    ("slt", "SLT", ForumKind.MEETING, "not stated"),
    ("performance_board", "Performance Board", ForumKind.BOARD, "not stated"),
    ("staff_consultation_group", "Staff Consultation Group", ForumKind.GROUP, "not stated"),
    (
        "safeguarding_partnership",
        "Safeguarding Partnership",
        ForumKind.PARTNERSHIP,
        "not stated",
    ),
    (
        "staff_briefings",
        "Performance meetings and staff briefings",
        ForumKind.BRIEFING,
        "not stated",
    ),
    ("team_meetings", "Team Meetings", ForumKind.MEETING, "not stated"),
    ("supervision", "Supervision", ForumKind.SUPERVISION, "regular"),
    ("moderation_panel", "Moderation Panel", ForumKind.PANEL, "P1M"),
    ("systemic_pods", "Systemic PODs", ForumKind.GROUP, "not stated"),
]


def test_forum_members(profile: Profile) -> None:
    assert profile.forum("qa_group").members == ("service_delivery_manager",)
    assert profile.forum("cssmt_qa_meetings").members == ("service_delivery_manager",)
    assert profile.forum("moderation_panel").members == ("principal_social_worker", "qa_manager")
    assert len(profile.forums) == 11


REPORTING_LINES = [
    (
        "weekly_management_information",
        ("service_improvement_manager",),
        (),
        ("team_manager", "locality_team_leader", "service_delivery_manager"),
        "P1W",
    ),
    (
        "monthly_performance_information",
        ("service_improvement_manager",),
        ("performance_board",),
        ("service_delivery_manager", "senior_manager"),
        "P1M",
    ),
    ("service_qa_feedback", ("service_delivery_manager",), ("qa_group",), (), "as-required"),
    (
        "qa_meeting_information",
        ("service_delivery_manager",),
        (),
        ("team_manager", "locality_team_leader"),
        "as-required",
    ),
    (
        "team_learning_cascade",
        ("team_manager", "locality_team_leader"),
        ("team_meetings",),
        ("practitioner", "senior_practitioner"),
        "as-required",
    ),
    (
        "service_learning_to_cssmt",
        ("service_delivery_manager",),
        ("cssmt_qa_meetings",),
        (),
        "as-required",
    ),
    (
        "sdm_feedback_to_director",
        ("service_delivery_manager",),
        (),
        ("director",),
        "as-required",
    ),
    (
        "director_feedback",
        ("director",),
        (),
        ("executive_director", "senior_manager", "elected_members"),
        "as-required",
    ),
    ("senior_manager_progress_to_slt", ("senior_manager",), ("slt",), (), "as-required"),
    (
        "senior_manager_feedback_to_members_and_partnership",
        ("senior_manager",),
        ("safeguarding_partnership",),
        ("elected_members",),
        "as-required",
    ),
    (
        "psw_issues_to_directors",
        ("principal_social_worker",),
        (),
        ("director", "executive_director"),
        "regular",
    ),
    (
        "psw_training_issues",
        ("principal_social_worker",),
        (),
        ("workforce_development_team",),
        "as-required",
    ),
    (
        "qa_one_minute_briefing",
        ("qa_manager",),
        (),
        tuple(r for r in ALL_STAFF if r != "qa_manager"),
        "regular",
    ),
    (
        "audit_feedback_to_practitioners",
        ("team_manager", "locality_team_leader"),
        (),
        ("practitioner",),
        "as-required",
    ),
    (
        "team_file_audit_feedback_template",
        ("team_manager", "locality_team_leader", "senior_practitioner"),
        ("supervision",),
        ("practitioner",),
        "as-required",
    ),
    ("iro_cp_chair_reports", ("iro",), ("qa_group",), (), "as-required"),
    (
        "practitioner_views",
        ("practitioner", "senior_practitioner"),
        ("staff_consultation_group", "staff_briefings", "team_meetings"),
        ("senior_manager", "elected_members"),
        "as-required",
    ),
    (
        "data_quality_issues",
        ("business_support_officer",),
        (),
        ("practitioner", "team_manager", "locality_team_leader"),
        "ongoing",
    ),
    ("qa_activity_findings", ("qa_manager",), ("qa_group",), (), "as-required"),
    (
        "multi_agency_audit_findings",
        ("qa_manager",),
        ("safeguarding_partnership",),
        (),
        "as-required",
    ),
]


def test_service_audits_reach_the_qa_group(profile: Profile) -> None:
    reaching = {a.id for a in profile.activities_reported_to("qa_group")}
    assert {
        "monthly_file_audit",
        "practice_evaluation_audit",
        "service_audit_activity",
        "themed_audit",
        "deep_dive_audit",
        "iro_monitoring",
    } <= reaching
    assert {a.id for a in profile.activities_reported_to("slt")} == {"senior_manager_audit"}


# -- activities ----------------------------------------------------------------------------------

MANAGERS_OBSERVING = (
    "team_manager",
    "locality_team_leader",
    "service_delivery_manager",
    "senior_manager",
    "principal_social_worker",
    "qa_manager",
)
PET_AUDITORS = (
    "team_manager",
    "locality_team_leader",
    "service_delivery_manager",
    "iro",
    "senior_manager",
)

ACTIVITY_ROWS: list[tuple[str, ActivityKind, tuple[str, ...], str, bool]] = [
    (
        "weekly_management_information",
        ActivityKind.PERFORMANCE_DATA,
        ("service_improvement_manager",),
        "P1W",
        False,
    ),
    (
        "monthly_performance_information",
        ActivityKind.PERFORMANCE_DATA,
        ("service_improvement_manager",),
        "P1M",
        False,
    ),
    (
        "service_team_worker_data",
        ActivityKind.PERFORMANCE_DATA,
        ("service_improvement_manager",),
        "ongoing",
        False,
    ),
    (
        "chat_tool",
        ActivityKind.PERFORMANCE_DATA,
        (
            "service_improvement_manager",
            "team_manager",
            "locality_team_leader",
            "service_delivery_manager",
            "senior_manager",
        ),
        "not stated",
        False,
    ),
    (
        "data_quality_reporting",
        ActivityKind.PERFORMANCE_DATA,
        ("business_support_officer",),
        "ongoing",
        False,
    ),
    (
        "management_oversight_and_authorisation",
        ActivityKind.MANAGEMENT_OVERSIGHT,
        (
            "locality_team_leader",
            "team_manager",
            "senior_practitioner",
            "principal_social_worker",
            "qa_manager",
            "service_improvement_manager",
            "iro",
            "service_delivery_manager",
            "director",
        ),
        "ongoing",
        False,
    ),
    (
        "monthly_file_audit",
        ActivityKind.CASE_FILE_AUDIT,
        ("team_manager", "locality_team_leader", "service_delivery_manager", "senior_manager"),
        "P1M",
        True,
    ),
    ("practice_evaluation_audit", ActivityKind.CASE_FILE_AUDIT, PET_AUDITORS, "not stated", True),
    (
        "family_feedback_on_audit",
        ActivityKind.FEEDBACK,
        PET_AUDITORS,
        "on-event:practice_evaluation_audit",
        False,
    ),
    (
        "lead_agency_feedback_on_audit",
        ActivityKind.FEEDBACK,
        PET_AUDITORS,
        "on-event:practice_evaluation_audit",
        False,
    ),
    (
        "team_file_audit_in_supervision",
        ActivityKind.CASE_FILE_AUDIT,
        ("team_manager", "locality_team_leader", "senior_practitioner"),
        "regular",
        False,
    ),
    (
        "supervision_audit",
        ActivityKind.SUPERVISION_AUDIT,
        ("team_manager", "locality_team_leader"),
        "not stated",
        False,
    ),
    ("themed_audit", ActivityKind.THEMATIC_AUDIT, ("qa_manager",), "not stated", False),
    (
        "deep_dive_audit",
        ActivityKind.THEMATIC_AUDIT,
        ("qa_manager", "service_improvement_manager"),
        "on-event:performance_data_change",
        False,
    ),
    (
        "service_audit_activity",
        ActivityKind.CASE_FILE_AUDIT,
        ("service_delivery_manager", "team_manager", "locality_team_leader"),
        "not stated",
        False,
    ),
    (
        "sdm_additional_qa",
        ActivityKind.REVIEW,
        ("service_delivery_manager",),
        "on-event:practice_or_performance_issue",
        False,
    ),
    (
        "senior_manager_audit",
        ActivityKind.CASE_FILE_AUDIT,
        ("senior_manager",),
        "not stated",
        True,
    ),
    (
        "multi_agency_audit",
        ActivityKind.MULTI_AGENCY_AUDIT,
        ("qa_manager", "partner_agencies"),
        "not stated",
        False,
    ),
    ("external_audit_activity", ActivityKind.PEER_REVIEW, ("qa_manager",), "not stated", False),
    (
        "moderation_panel",
        ActivityKind.MODERATION,
        ("principal_social_worker", "qa_manager"),
        "P1M",
        False,
    ),
    (
        "audit_quality_assurance",
        ActivityKind.REVIEW,
        ("principal_social_worker", "qa_manager"),
        "ongoing",
        False,
    ),
    ("qa_day", ActivityKind.QA_DAY, ("practitioner", "senior_practitioner"), "P6M", False),
    ("practice_week", ActivityKind.PRACTICE_WEEK, ALL_STAFF, "not stated", False),
    ("bright_spots_survey", ActivityKind.SURVEY, ("qa_manager",), "not stated", False),
    ("staff_health_check_survey", ActivityKind.SURVEY, ("principal_social_worker",), "P1Y", False),
    ("foster_carer_survey", ActivityKind.SURVEY, ("qa_manager",), "not stated", False),
    *[
        (observation, ActivityKind.DIRECT_OBSERVATION, MANAGERS_OBSERVING, "not stated", False)
        for observation in (
            "observation_child_protection_conferences",
            "observation_core_groups",
            "observation_strategy_discussions",
            "observation_cp_monitoring_visits",
            "observation_cin_reviews",
            "observation_lac_reviews",
            "observation_legal_planning_meetings",
            "observation_early_support",
        )
    ],
    (
        "journey_of_the_child_discussions",
        ActivityKind.REVIEW,
        ("team_manager", "locality_team_leader", "practitioner"),
        "not stated",
        False,
    ),
    ("iro_monitoring", ActivityKind.REVIEW, ("iro",), "ongoing", False),
    ("iro_escalation_learning", ActivityKind.LEARNING, ("iro",), "on-event:iro_escalation", False),
    (
        "peer_good_practice_events",
        ActivityKind.LEARNING,
        ("practitioner", "senior_practitioner", "team_manager", "locality_team_leader"),
        "not stated",
        False,
    ),
    (
        "good_practice_examples",
        ActivityKind.LEARNING,
        ("practitioner", "team_manager", "locality_team_leader"),
        "not stated",
        False,
    ),
    (
        "qa_learning_sessions",
        ActivityKind.LEARNING,
        ("team_manager", "locality_team_leader"),
        "not stated",
        False,
    ),
    (
        "rapid_review_learning",
        ActivityKind.LEARNING,
        ("principal_social_worker",),
        "on-event:rapid_review,serious_case_review,management_review",
        False,
    ),
    (
        "psw_learning_into_practice",
        ActivityKind.LEARNING,
        ("principal_social_worker",),
        "ongoing",
        False,
    ),
    ("qa_one_minute_briefing", ActivityKind.REPORT, ("qa_manager",), "regular", False),
    (
        "performance_meetings_and_staff_briefings",
        ActivityKind.PRACTITIONER_FORUM,
        (
            "practitioner",
            "senior_practitioner",
            "team_manager",
            "locality_team_leader",
            "service_delivery_manager",
        ),
        "not stated",
        False,
    ),
    (
        "staff_consultation_group",
        ActivityKind.PRACTITIONER_FORUM,
        ("practitioner", "senior_practitioner"),
        "not stated",
        False,
    ),
    (
        "team_meeting_feedback",
        ActivityKind.PRACTITIONER_FORUM,
        ("team_manager", "locality_team_leader", "practitioner"),
        "not stated",
        False,
    ),
    (
        "complaints_and_compliments",
        ActivityKind.COMPLAINTS,
        ("rights_and_representations",),
        "ongoing",
        False,
    ),
    (
        "children_in_care_council",
        ActivityKind.FEEDBACK,
        ("children_in_care_council",),
        "not stated",
        False,
    ),
    ("looked_after_children_consultation", ActivityKind.FEEDBACK, ("iro",), "not stated", False),
    (
        "consultation_with_families",
        ActivityKind.FEEDBACK,
        ("practitioner", "team_manager"),
        "not stated",
        False,
    ),
    ("immediate_feedback", ActivityKind.FEEDBACK, ("practitioner",), "ongoing", False),
    ("partner_agency_feedback", ActivityKind.FEEDBACK, ("qa_manager",), "not stated", False),
    (
        "placement_review_meetings",
        ActivityKind.REVIEW,
        ("iro",),
        "on-event:placement_disruption",
        False,
    ),
    (
        "practice_learning_review_feedback",
        ActivityKind.FEEDBACK,
        ("practitioner",),
        "on-event:practice_evaluation_audit",
        False,
    ),
    (
        "supervision",
        ActivityKind.SUPERVISION,
        ("senior_practitioner", "team_manager", "locality_team_leader", "senior_manager"),
        "regular",
        False,
    ),
    ("care_planning_meetings", ActivityKind.REVIEW, ("practitioner", "team_manager"), "P6W", False),
    (
        "care_planning_meetings_after_permanence",
        ActivityKind.REVIEW,
        ("practitioner", "team_manager"),
        "on-event:child_in_care_review",
        False,
    ),
    (
        "qa_programme_review",
        ActivityKind.REVIEW,
        ("qa_manager", "service_delivery_manager"),
        "regular",
        False,
    ),
    (
        "performance_board",
        ActivityKind.REVIEW,
        ("senior_manager", "service_delivery_manager", "service_improvement_manager"),
        "as-required",
        False,
    ),
]


def test_every_appendix_3_row_is_an_activity(profile: Profile) -> None:
    ids = {a.id for a in profile.activities}
    assert len(APPENDIX_3_ROWS) == 30
    for row, activity_id in APPENDIX_3_ROWS.items():
        assert activity_id in ids, row


def test_performance_board_is_an_activity_row_and_a_forum(profile: Profile) -> None:
    activity = profile.activity("performance_board")
    assert activity.citation.section == "SUMMARY OF QA PROGRAMME OF ACTIVITY"
    assert activity.citation.quote == "Performance Board"
    assert profile.activities.index(activity) == 58
    assert profile.forum("performance_board").kind is ForumKind.BOARD


def test_all_staff_take_part_in_practice_week_and_get_the_briefing(profile: Profile) -> None:
    assert profile.activity("practice_week").who == ALL_STAFF
    briefing = profile.reporting_line("qa_one_minute_briefing")
    assert "iro" in briefing.to_roles
    assert "principal_social_worker" in briefing.to_roles
    assert "senior_manager" in briefing.to_roles


def test_seed_states_no_effort_or_look_back(profile: Profile) -> None:
    assert all(a.effort is None for a in profile.activities)
    assert all(a.lookback is None for a in profile.activities)


def test_qa_day_quota_counts_all_practitioners(profile: Profile) -> None:
    """AUDIT TOOLS AND MODERATION PROCESS: "There will be a six monthly full staff QA Day where
    all practitioners will be asked to undertake a piece of QA work": every practitioner and
    every senior practitioner owes one piece of QA work each six months, not practitioners
    alone."""
    activity = profile.activity("qa_day")
    assert [(q.count, q.unit, q.per_role, str(q.period)) for q in activity.quotas] == [
        (1, "piece of QA work", "practitioner", "P6M"),
        (1, "piece of QA work", "senior_practitioner", "P6M"),
    ]
    assert {q.per_role for q in activity.quotas} == set(activity.who)
    assert profile.describe_quota(activity.quota) == (
        "1 piece of QA work per Practitioner (Early Help and Social Work) per 6 months and "
        "1 piece of QA work per Senior Practitioner / Consultant Social Worker per 6 months"
    )
    assert "all practitioners will be asked to undertake a piece of QA work" in (
        activity.citation.quote or ""
    )


def test_qa_day_is_owed_by_senior_practitioners_too(profile: Profile) -> None:
    """Both roles are set against the log, each under its own role: a senior practitioner
    with no QA work in the last six months is overdue, one with some is ok."""
    from qaframework.engine.obligations import ObligationStatus
    from qaframework.io.activity_log import ActivityLogEntry

    log = [
        ActivityLogEntry("qa_day", "P1", date(2021, 4, 20), "practitioner"),
        ActivityLogEntry("qa_day", "S1", date(2021, 4, 20), "senior_practitioner"),
    ]
    roster = {"practitioner": ["P1"], "senior_practitioner": ["S1", "S2"]}
    rows = [
        r
        for r in obligations_due(profile, log, as_of=date(2021, 5, 1), roster=roster)
        if r.activity == "qa_day"
    ]
    assert {(r.owed_per, r.subject): r.status for r in rows} == {
        ("practitioner", "P1"): ObligationStatus.OK,
        ("senior_practitioner", "S1"): ObligationStatus.OK,
        ("senior_practitioner", "S2"): ObligationStatus.OVERDUE,
    }


def test_practice_evaluation_audit_contacts(profile: Profile) -> None:
    family = profile.activity("family_feedback_on_audit").quota
    agency = profile.activity("lead_agency_feedback_on_audit").quota
    assert family is not None
    assert agency is not None
    assert (family.count, family.unit, family.per) == (1, "family member or carer", "audit")
    assert (agency.count, agency.unit, agency.per) == (1, "lead agency", "audit")
    feedback = {f.value for f in profile.activity("practice_evaluation_audit").feedback_from}
    assert feedback == {"practitioner", "parent_carer", "partner_agency"}


def test_care_planning_meetings_six_weekly_until_permanence(profile: Profile) -> None:
    before = profile.activity("care_planning_meetings")
    after = profile.activity("care_planning_meetings_after_permanence")
    assert before.cadence.every is not None
    assert before.cadence.every.total_days == 42
    assert before.quota is not None
    assert before.quota.per == "child"
    assert str(before.quota.period) == "P6W"
    assert (before.from_event, before.until_event, before.logged_as) == (
        None,
        "permanence_plan",
        None,
    )
    assert after.cadence.kind is CadenceKind.ON_EVENT
    assert after.cadence.events == ("child_in_care_review",)
    assert after.quota is not None
    assert after.quota.qualifier is QuotaQualifier.AT_LEAST
    assert after.quota.count == 1
    assert after.quota.per == "child"
    assert after.quota.period is None
    assert (after.from_event, after.until_event, after.logged_as) == (
        "permanence_plan",
        None,
        "care_planning_meetings",
    )


def test_care_planning_meetings_are_obligations_per_child(profile: Profile) -> None:
    owed = {o.activity: o for o in obligations(profile)}
    before = owed["care_planning_meetings"]
    after = owed["care_planning_meetings_after_permanence"]
    assert before.window is WindowKind.ROLLING
    assert before.describe() == (
        "1 care planning meeting per child, within 6 weeks of the last, until permanence plan"
    )
    assert after.window is WindowKind.BETWEEN_EVENTS
    assert after.counted == (
        "care_planning_meetings_after_permanence",
        "care_planning_meetings",
    )
    assert after.describe() == (
        "at least 1 care planning meeting per child, after each child in care review, "
        "before the next, from permanence plan"
    )


def test_care_planning_meetings_due(profile: Profile) -> None:
    # C1 has no plan of permanence: six weeks from the last meeting on 20 March 2026.
    # C2's plan was agreed on 15 April; a review on 1 June followed with no meeting since.
    # C3's plan was agreed on 15 April and a meeting held on 20 May, before the review.
    log = [
        _Entry("care_planning_meetings", "C1", date(2026, 3, 20)),
        _Entry("care_planning_meetings", "C2", date(2026, 3, 20)),
        _Entry("care_planning_meetings", "C2", date(2026, 4, 15), event="permanence_plan"),
        _Entry("care_planning_meetings", "C2", date(2026, 6, 1), event="child_in_care_review"),
        _Entry("care_planning_meetings", "C3", date(2026, 4, 15), event="permanence_plan"),
        _Entry("care_planning_meetings", "C3", date(2026, 5, 20)),
        _Entry("care_planning_meetings", "C3", date(2026, 6, 1), event="child_in_care_review"),
    ]
    due = obligations_due(profile, log, as_of=date(2026, 6, 2))
    assert [(d.activity, d.subject, d.status.value, d.due_by) for d in due] == [
        ("care_planning_meetings", "C1", "overdue", date(2026, 5, 1)),
        ("care_planning_meetings_after_permanence", "C2", "overdue", date(2026, 6, 1)),
        ("care_planning_meetings_after_permanence", "C3", "due", None),
    ]


def test_deep_dive_sampling_is_purposive_from_performance_data(profile: Profile) -> None:
    sampling = profile.activity("deep_dive_audit").sampling
    assert sampling is not None
    assert sampling.method.value == "purposive"
    assert sampling.criteria is not None
    assert "re-referrals" in sampling.criteria


def test_graded_audits_are_judged_against_the_quality_standards(profile: Profile) -> None:
    graded = [a for a in profile.activities if a.graded]
    assert [a.id for a in graded] == [
        "monthly_file_audit",
        "practice_evaluation_audit",
        "senior_manager_audit",
    ]
    for activity in graded:
        assert activity.kind.is_audit
        assert list(activity.standards) == [s for s in QUALITY_STANDARDS if s not in NOT_AUDITED]


# Seed 004_108953be4c3711e4.txt, "How will we know how well we are doing it?", column "HOW WILL
# WE MEASURE THIS?": care planning meetings are measured by "Minimal drift in cases", "Clear and
# up to date records of the child’s journey" and "Permanence achieved in a timely way eg. Long
# term matches"; a positive organisational culture by "Feedback from staff", "Staff briefings",
# "Learning from exit interviews", "Practice week involvement" and "Participation at learning
# events". Neither names audit, so case file audits do not grade them.
NOT_AUDITED = ("care_planning_meetings", "organisational_culture")


def test_standards_not_measured_by_audit_are_not_graded_in_audits(profile: Profile) -> None:
    for standard_id in NOT_AUDITED:
        standard = profile.standard(standard_id)
        assert not standard.audited
        assert not any("audit" in m.lower() for m in standard.how_measured), standard_id
        assert not any(standard_id in a.standards for a in profile.activities if a.graded)
    # Every other quality standard names audit among its measures and stays graded.
    for standard_id in QUALITY_STANDARDS:
        if standard_id not in NOT_AUDITED:
            standard = profile.standard(standard_id)
            assert standard.audited
            assert any("audit" in m.lower() for m in standard.how_measured), standard_id
    # The care planning meetings are still owed per child, as obligations.
    assert "care_planning_meetings" in profile.activity("care_planning_meetings").standards
    assumption = next(a for a in profile.assumptions if a.id == "standards_audited")
    for path in (
        "$.standards[care_planning_meetings].audited",
        "$.standards[organisational_culture].audited",
        "$.activities[monthly_file_audit].standards",
    ):
        assert path in assumption.concerns


# -- calendar ------------------------------------------------------------------------------------


def test_schedule_for_2026_27(profile: Profile) -> None:
    year = FinancialYear(2026)
    occurrences = profile.schedule(year.start, year.end, kinds=[OccurrenceKind.ACTIVITY])
    count: dict[str, int] = {}
    for occurrence in occurrences:
        count[occurrence.ref] = count.get(occurrence.ref, 0) + 1
    assert count == {
        "weekly_management_information": 52,
        "monthly_performance_information": 12,
        "monthly_file_audit": 12,
        "moderation_panel": 12,
        "care_planning_meetings": 9,
        "qa_day": 2,
        "staff_health_check_survey": 1,
    }
    qa_days = [o.day for o in occurrences if o.ref == "qa_day"]
    assert qa_days == [date(2026, 4, 1), date(2026, 10, 1)]


def test_schedule_includes_reports_and_the_moderation_panel(profile: Profile) -> None:
    year = FinancialYear(2026)
    reports = profile.schedule(year.start, year.end, kinds=[OccurrenceKind.REPORT])
    assert {o.ref for o in reports} == {
        "weekly_management_information",
        "monthly_performance_information",
    }
    forums = profile.schedule(year.start, year.end, kinds=[OccurrenceKind.FORUM])
    assert [o.ref for o in forums] == ["moderation_panel"] * 12


def test_unscheduled_activities(profile: Profile) -> None:
    unscheduled = {a.id for a in profile.unscheduled()}
    assert len(unscheduled) == len(profile.activities) - 7
    assert {
        "practice_evaluation_audit",
        "themed_audit",
        "care_planning_meetings_after_permanence",
    } <= (unscheduled)


# -- moderation ----------------------------------------------------------------------------------


def test_moderation_panel(profile: Profile) -> None:
    (policy,) = profile.moderation
    assert policy.id == "moderation_panel"
    assert policy.applies_to == (
        "monthly_file_audit",
        "practice_evaluation_audit",
        "senior_manager_audit",
    )
    assert policy.moderators == ("principal_social_worker", "qa_manager")
    assert str(policy.cadence) == "P1M"
    assert policy.outcomes == (
        ModerationOutcome.AGREE,
        ModerationOutcome.UPGRADE,
        ModerationOutcome.DOWNGRADE,
    )
    assert policy.feedback_to == ("practitioner",)
    assert policy.citation.section == "AUDIT TOOLS AND MODERATION PROCESS"


def test_moderation_selects_at_least_one_audit_whenever_there_are_audits(
    profile: Profile,
) -> None:
    # Seed 004, "AUDIT TOOLS AND MODERATION PROCESS": the Panel's purpose only, no sample:
    # the proportion is not stated; the Panel that sits looks at one audit at least.
    (rule,) = profile.moderation[0].selection
    assert rule.kind is SelectionKind.PROPORTION
    assert rule.proportion is NOT_STATED
    assert rule.minimum == 1
    with pytest.raises(ValueError, match="not stated"):
        rule.sample_size(10)


# -- escalation ----------------------------------------------------------------------------------


def test_urgent_safety_concern_is_raised_immediately(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "urgent_safety")
    assert rule.trigger.kind is TriggerKind.CONCERN
    assert rule.trigger.concern is not None
    assert rule.trigger.concern.value == "urgent_safety"
    assert rule.recipients == ("team_manager", "locality_team_leader", "service_delivery_manager")
    assert rule.conditional_recipients == ("iro",)
    assert rule.deadline.kind is DeadlineKind.IMMEDIATE
    assert rule.raised_by == ()
    assert rule.follow_up is None
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.NOTIFICATION


def test_urgent_safety_rule_cites_the_purpose_it_serves_and_is_an_assumption(
    profile: Profile,
) -> None:
    # Seed 004 states no rule for an urgent safety concern found in QA activity. "report
    # concerns about safety" is one of the HCPC Standards of Conduct, Performance and Ethics
    # (2016), a duty of every registrant, not a QA rule; the rule cites what QA is for, under
    # "What is quality assurance?": "Ensure and evidence that children are being kept safe from
    # harm and protected." Everything else about it is recorded as an assumption.
    rule = next(e for e in profile.escalation if e.id == "urgent_safety")
    assert rule.citation.section == "What is quality assurance?"
    assert rule.citation.quote == (
        "Ensure and evidence that children are being kept safe from harm and protected."
    )
    assumption = next(a for a in profile.assumptions if a.id == "urgent_safety_recipients")
    assert "states no rule for an urgent safety concern" in assumption.text
    assert "report concerns about safety" in assumption.text
    for part in ("trigger", "recipients", "deadline", "consequence"):
        assert f"$.escalation[urgent_safety].{part}" in assumption.concerns


def test_feedback_on_every_audit_to_the_practitioner(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "audit_feedback_to_practitioner")
    assert rule.trigger.kind is TriggerKind.COMPLETED
    # Appendix 1 gives Team Managers and Locality Team Leaders one row of responsibilities.
    assert rule.raised_by == ("team_manager", "locality_team_leader")
    assert rule.recipients == ("practitioner",)
    assert rule.deadline.kind is DeadlineKind.WITHIN
    assert str(rule.deadline.within) == "P1M"
    assert rule.applies_to == (
        "monthly_file_audit",
        "practice_evaluation_audit",
        "senior_manager_audit",
    )
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.ACTION_TRACKER
    assert rule.consequence.owner == "team_manager"


# Seed 004, "RESPONSIBILITIES FOR QUALITY ASSURANCE" (Team Managers and Locality Team Leaders):
# "ensure feedback on individual audits is provided to practitioners, remedial actions completed
# and reported back as requested". An audit with no remedial actions has nothing to complete.


_states = functools.partial(escalation_states_by_rule, "telford")


def test_feedback_on_an_audit_with_no_actions_closes_once_given(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "audit_feedback_to_practitioner")
    assert rule.closes == (ClosingCondition.ACTIONS_VERIFIED, ClosingCondition.NO_ACTIONS)
    audit = Audit(
        "A1", "C1", "monthly_file_audit", date(2026, 3, 4), "tm-1", "team_manager", "good"
    )
    state = _states([audit], date(2026, 4, 3))["audit_feedback_to_practitioner"]
    assert state.status is EscalationStatus.OPEN
    state = _states([audit], date(2027, 3, 4))["audit_feedback_to_practitioner"]
    assert (state.status, state.closed_on, state.closure) == (
        EscalationStatus.CLOSED,
        date(2026, 4, 7),  # 4 April 2026 is a Saturday; Easter Monday is 6 April
        Closure.NO_ACTIONS,
    )
    # Remedial actions keep it open until they are completed and checked.
    remedial = AuditAction("A1-1", "update the chronology", "tm-1", date(2026, 4, 4))
    with_actions = attrs.evolve(audit, actions=(remedial,))
    state = _states([with_actions], date(2027, 3, 4))["audit_feedback_to_practitioner"]
    assert state.status is EscalationStatus.OPEN


def test_an_iro_escalation_with_no_actions_closes_at_its_deadline(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "iro_escalation")
    assert rule.closes == (ClosingCondition.ACTIONS_VERIFIED, ClosingCondition.NO_ACTIONS)
    audit = Audit(
        "A1",
        "C1",
        "practice_evaluation_audit",
        date(2026, 3, 4),
        "iro-1",
        "iro",
        "requires_improvement",
        concerns=(Concern.PRACTICE,),
    )
    state = _states([audit], date(2027, 3, 4))["iro_escalation"]
    assert (state.closed_on, state.closure) == (date(2026, 3, 11), Closure.NO_ACTIONS)
    assumption = next(a for a in profile.assumptions if a.id == "closing_feedback_and_escalations")
    assert set(assumption.concerns) == {
        "$.escalation[audit_feedback_to_practitioner].closes",
        "$.escalation[iro_escalation].closes",
    }
    assert assumption.citation is not None
    assert assumption.citation.quote == (
        "ensure feedback on individual audits is provided to practitioners, remedial actions "
        "completed and reported back as requested"
    )


def test_iro_escalation_is_a_dispute_resolution(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "iro_escalation")
    assert rule.trigger.kind is TriggerKind.CONCERN
    assert rule.trigger.concern is Concern.PRACTICE
    assert rule.raised_by == ("iro",)
    assert rule.recipients == ("team_manager", "service_delivery_manager")
    assert rule.conditional_recipients == ("senior_manager", "director")
    assert rule.deadline.kind is DeadlineKind.WORKING_DAYS
    assert rule.deadline.working_days == 5
    assert rule.applies_to == ("practice_evaluation_audit",)
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.DISPUTE_RESOLUTION
    assert rule.consequence.owner == "iro"
    assert rule.consequence.monitored_in == ("qa_group",)


def test_escalation_rule_ids(profile: Profile) -> None:
    assert [e.id for e in profile.escalation] == [
        "urgent_safety",
        "audit_feedback_to_practitioner",
        "iro_escalation",
    ]


# -- action timescales ---------------------------------------------------------------------------


def test_audit_actions_are_set_in_the_audit(profile: Profile) -> None:
    audit, report = profile.action_timescales
    assert audit.id == "audit_remedial_actions"
    assert audit.set_in_audit
    assert audit.due is None
    assert str(audit.default_due) == "P1M"
    assert audit.owner == "team_manager"
    assert audit.tracked_by == ("team_manager", "locality_team_leader", "service_delivery_manager")
    assert audit.reviewed_in == ("supervision",)
    assert "monthly_file_audit" in audit.applies_to
    assert "senior_manager_audit" in audit.applies_to
    # Each audit has one timescale: a Senior Manager audit's actions are on the case.
    assert not set(audit.applies_to) & set(report.applies_to)
    assert report.id == "qa_report_remedial_actions"
    assert report.set_in_audit
    assert str(report.default_due) == "P3M"
    assert report.owner == "senior_manager"
    assert report.reviewed_in == ("slt",)


# -- assumptions ---------------------------------------------------------------------------------

ASSUMPTIONS = [
    "effective_from_day",
    "schedule_anchor",
    "grade_scale_ofsted_four_point",
    "rag_synonyms",
    "graded_audits",
    "monthly_file_audit_and_practice_evaluation",
    "management_team",
    "standards_table_reconstruction",
    "standards_audited",
    "care_planning_meeting_condition",
    "care_planning_meeting_owners",
    "management_chain",
    "generic_roles",
    "activity_owners",
    "activity_cadences_unstated",
    "regular_without_frequency",
    "surveys",
    "forum_cadences",
    "quality_assurance_meetings",
    "report_destinations",
    "moderation_panel",
    "urgent_safety_recipients",
    "audit_feedback_deadline",
    "iro_escalation",
    "closing_feedback_and_escalations",
    "action_timescales",
    "event_names",
    "no_reporting_line",
    "all_staff",
    "performance_board",
    "role_checks",
]


@pytest.mark.parametrize(
    ("assumption_id", "path"),
    [
        ("effective_from_day", "$.effective_from"),
        ("schedule_anchor", "$.schedule_anchor"),
        ("grade_scale_ofsted_four_point", "$.grade_scale.good_or_better"),
        ("moderation_panel", "$.moderation[moderation_panel].selection"),
        ("urgent_safety_recipients", "$.escalation[urgent_safety].recipients"),
        ("iro_escalation", "$.escalation[iro_escalation].deadline"),
        ("action_timescales", "$.action_timescales[audit_remedial_actions].default_due"),
        ("care_planning_meeting_condition", "$.activities[care_planning_meetings].cadence"),
        ("care_planning_meeting_condition", "$.activities[care_planning_meetings].until_event"),
        (
            "care_planning_meeting_condition",
            "$.activities[care_planning_meetings_after_permanence].from_event",
        ),
        (
            "care_planning_meeting_condition",
            "$.activities[care_planning_meetings_after_permanence].logged_as",
        ),
        ("moderation_panel", "$.moderation[moderation_panel].feedback_to"),
        ("standards_table_reconstruction", "$.standards[recording].what_good_looks_like"),
        ("all_staff", "$.reporting_lines[qa_one_minute_briefing].to_roles"),
        ("all_staff", "$.activities[practice_week].who"),
        ("performance_board", "$.activities[performance_board].who"),
        ("performance_board", "$.activities[performance_board].cadence"),
    ],
)
def test_assumption_governs(profile: Profile, assumption_id: str, path: str) -> None:
    assumption = next(a for a in profile.assumptions if a.id == assumption_id)
    assert path in assumption.concerns


def test_forum_cadences_assumption_names_only_forums_meeting_at_no_stated_rhythm(
    profile: Profile,
) -> None:
    # Supervision is 'Regular' in the quality standards: its cadence is not an as-required one.
    assumption = next(a for a in profile.assumptions if a.id == "forum_cadences")
    for path in assumption.concerns:
        match = re.fullmatch(r"\$\.forums\[(\w+)\]\.cadence", path)
        if match:
            assert str(profile.forum(match.group(1)).cadence) == "not stated", path
    assert "supervision or" not in assumption.text


def test_every_unaudited_standard_is_governed_by_an_assumption(profile: Profile) -> None:
    concerns = {p for a in profile.assumptions for p in a.concerns}
    for standard in profile.standards:
        if not standard.audited:
            assert f"$.standards[{standard.id}].audited" in concerns, standard.id


def test_assumption_paths_point_into_the_data_file(document: dict[str, Any]) -> None:
    for assumption in document["assumptions"]:
        assert assumption["concerns"], assumption["id"]
        for path in assumption["concerns"]:
            assert path_resolves(document, path), (assumption["id"], path)


def test_assumptions_cite_the_seed_where_they_cite(profile: Profile) -> None:
    cited = [a for a in profile.assumptions if a.citation is not None]
    assert len(cited) == len(ASSUMPTIONS) - 2
    for assumption in cited:
        assert assumption.citation is not None
        assert assumption.citation.source == SOURCE


# -- helpers -------------------------------------------------------------------------------------


@attrs.frozen
class _Entry:
    """A line of a log of completed activities, as :func:`obligations_due` reads it."""

    activity: str
    subject: str
    on: date
    role: str | None = None
    event: str | None = None


# -- the facts the conformance kit checks -------------------------------------------------------

V = "1"
GRADE_SPELLINGS = {
    "Green": "good",
    "Amber": "requires_improvement",
    "Red": "inadequate",
    "RI": "requires_improvement",
    "Requires improvement to be good": "requires_improvement",
}
LINE_COLUMNS = ("id", "produced_by", "to_forums", "to_roles", "cadence")


class TestTelfordSeed(SeedConformance):
    """Telford & Wrekin's profile held to qaframework's invariant suite, and to the facts
    above."""

    profile_id = "telford"
    authority = "Telford & Wrekin Council"
    versions = [(V, date(2020, 7, 1), None)]
    sources = {V: {SOURCE: "004_108953be4c3711e4.txt"}}
    seed_sections = {SOURCE: HEADINGS}
    min_citations = 151
    grade_spellings = {V: GRADE_SPELLINGS}
    roles = {V: Rows(("id", "title", "generic", "reports_to"), ROLES, every=True)}
    forums = {V: Rows(("id", "name", "kind", "cadence"), FORUMS, every=True)}
    reporting_lines = {V: Rows(LINE_COLUMNS, REPORTING_LINES, every=True)}
    activities = {V: Rows(("id", "kind", "who", "cadence", "graded"), ACTIVITY_ROWS, every=True)}
    assumptions = {V: ASSUMPTIONS}
