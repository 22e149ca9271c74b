"""Swindon's One Children's Service QA Framework (January 2026), pinned through the public API.

Each test states a fact of the framework (or a recorded assumption) and checks the loaded
profile says the same.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date
from typing import Any

import attrs
import pytest

import qaframework
from qaframework import (
    ActionStatus,
    ActivityKind,
    Audit,
    AuditAction,
    CadenceKind,
    ClosingCondition,
    ConsequenceKind,
    DeadlineKind,
    EscalationStatus,
    FeedbackSource,
    FinancialYear,
    ForumKind,
    GenericRole,
    GradeStage,
    Ilacs,
    IsoDuration,
    ModerationOutcome,
    ModerationRecord,
    OccurrenceKind,
    Profile,
    QuotaQualifier,
    SamplingMethod,
    SelectionKind,
    StandardKind,
    TriggerKind,
)
from qaframework.engine.actions.tracker import Closure
from qaframework.policy.cadence import Quota
from qaframework.policy.unknowns import NOT_STATED
from qaframework.testing.conformance import SeedConformance
from qaframework.testing.facts import Rows, escalation_states_by_rule

SOURCE = "swindon_qaf_2026"
S83 = "8.3 Child of concern process – where an audit identifies inadequate practice"

# The section headings of the framework as they appear in the text (the cover title included).
HEADINGS = {
    "Quality Assurance Framework",
    "1. Introduction; What is Quality Assurance",
    "2. Why do we need a Quality Assurance, Practice and Performance Framework?",
    "3. We will know that we are making a difference to children's lives, when:",
    "4. Our Vision, Values and Non-Negotiables",
    "5. A Culture of Continuous Learning and Improvement",
    "6. Practice Priorities",
    "7. Our Practice Frameworks:",
    "7.1: Family Safeguarding",
    "7.2: Restorative Practice",
    "8. Our Quality Assurance Framework",
    "8:1 Audits",
    "8.1.1 Monthly child practice audits",
    "8.1.2 Thematic audits",
    "8.1.3 Multi-Agency audits (SSP)",
    "8.1.4 Multi-Agency MASH/Front Door Audits",
    "8.2 Audit tools, guidance and assessing the quality of practice",
    S83,
    "8.4 Practice weeks",
    "8.5 Feedback from Children, Family and Carers",
    "8.6 Quality Assurance and Reviewing Service",
    "8.7 Other activities related to ensuring the quality of practice",
    "8.8 Moderation",
    "9. Reporting arrangements, governance and scrutiny",
    "9.1 Quarterly Quality Assurance Meeting",
    "10 Responsibility for Quality Assurance",
    "11. Closing the loop: Learning and reflective practice",
}


@pytest.fixture(scope="module")
def profile() -> Profile:
    return qaframework.load_profile("swindon", as_of=date(2026, 6, 1))


# -- versions and sources ---------------------------------------------------------------------


def test_header(profile: Profile) -> None:
    assert profile.id == "swindon"
    assert profile.name == "One Children's Service Quality Assurance Framework"
    assert profile.effective_from == date(2026, 1, 1)
    assert profile.effective_to is None
    assert profile.schedule_anchor == date(2026, 4, 1)
    assert profile.label == "swindon 2026-01 (from 2026-01-01)"


def test_source_is_the_january_2026_revision(profile: Profile) -> None:
    source = profile.source(SOURCE)
    assert source.issued == "Revised January 2026"
    assert source.approved is None


# -- grades -----------------------------------------------------------------------------------


def test_grade_scale_is_the_four_ilacs_grades(profile: Profile) -> None:
    scale = profile.grade_scale
    assert scale.codes == ("outstanding", "good", "requires_improvement", "inadequate")
    assert [g.ilacs for g in scale] == [
        Ilacs.OUTSTANDING,
        Ilacs.GOOD,
        Ilacs.REQUIRES_IMPROVEMENT,
        Ilacs.INADEQUATE,
    ]
    assert scale.is_crosswalk_monotone()
    assert scale.good_or_better == "good"
    assert scale.citation.section == S83
    assert scale.is_good_or_better("good")
    assert scale.is_good_or_better("outstanding")
    assert not scale.is_good_or_better("requires_improvement")
    assert scale.at_or_below("inadequate", "inadequate")
    assert not scale.at_or_below("requires_improvement", "inadequate")


# -- standards --------------------------------------------------------------------------------

NON_NEGOTIABLES = {
    "seen_alone": "seen alone, and we know their lived experiences",
    "views_inform_plans": "views are obtained, and they will inform planning and decisions",
    "assessment_and_plan": "an up-to-date assessment that identifies their needs and a plan",
    "monthly_management_oversight": "management oversight on a minimum of a monthly basis",
    "known_and_seen_by_qaro": "know and are seen by their Quality Assurance and Reviewing Officer",
}


def test_standards_are_the_five_non_negotiables(profile: Profile) -> None:
    assert [s.id for s in profile.standards] == list(NON_NEGOTIABLES)
    for standard in profile.standards:
        assert standard.kind is StandardKind.NON_NEGOTIABLE
        assert standard.description is not None
        assert NON_NEGOTIABLES[standard.id] in standard.description
        assert standard.citation.section == "4. Our Vision, Values and Non-Negotiables"


# -- roles ------------------------------------------------------------------------------------

ROLES = [
    ("social_worker", "Social Worker", GenericRole.PRACTITIONER, ("SW",), "team_manager"),
    ("team_manager", "Team Manager", GenericRole.TEAM_MANAGER, ("TM",), "service_manager"),
    ("service_manager", "Service Manager", GenericRole.SERVICE_LEAD, ("SM",), "head_of_service"),
    ("head_of_service", "Head of Service", GenericRole.HEAD_OF_SERVICE, ("HOS", "HoS"), "director"),
    ("director", "Director", GenericRole.ASSISTANT_DIRECTOR, (), "dcs"),
    ("dcs", "Director of Children's Services", GenericRole.DIRECTOR, ("DCS",), None),
    (
        "qaro",
        "Quality Assurance and Reviewing Officer",
        GenericRole.INDEPENDENT_REVIEWER,
        ("QARO",),
        None,
    ),
    ("qa_team", "Quality Assurance Service", GenericRole.QA_TEAM, ("QA", "QA Team"), None),
    ("psw", "Principal Social Worker", GenericRole.PRINCIPAL_SOCIAL_WORKER, ("PSW",), None),
    ("practice_lead", "Practice Lead", GenericRole.PRACTICE_LEAD, (), None),
    ("business_intelligence", "Business Intelligence", GenericRole.PERFORMANCE_TEAM, (), None),
    (
        "practice_academy",
        "Practice Academy or Learning and Development",
        GenericRole.LEARNING_AND_DEVELOPMENT,
        (),
        None,
    ),
    (
        "safeguarding_partnership",
        "Local safeguarding children partnership",
        GenericRole.PARTNER_AGENCY,
        ("SSP",),
        None,
    ),
    (
        "front_door_social_care",
        "Social care in the MASH/Front Door",
        GenericRole.PRACTITIONER_GROUP,
        (),
        None,
    ),
    (
        "front_door_partners",
        "Key partners in the front door",
        GenericRole.PARTNER_AGENCY,
        (),
        None,
    ),
    ("adult_specialists", "Adult specialists", GenericRole.PRACTITIONER_GROUP, (), None),
    ("external_reviewers", "Peer and external reviewers", GenericRole.PARTNER_AGENCY, (), None),
]


def test_management_chain_from_social_worker(profile: Profile) -> None:
    chain = [r.id for r in profile.management_chain("social_worker")]
    assert chain == ["team_manager", "service_manager", "head_of_service", "director", "dcs"]


# -- forums -----------------------------------------------------------------------------------

FORUMS = [
    (
        "practice_performance_board",
        "Practice and Performance Board",
        ForumKind.BOARD,
        "not stated",
    ),
    ("directors_assurance_board", "Directors Assurance Board", ForumKind.BOARD, "not stated"),
    ("cslt_assurance_board", "CSLT Assurance Board", ForumKind.BOARD, "not stated"),
    ("weekly_performance_clinics", "Weekly Performance Clinics", ForumKind.CLINIC, "P1W"),
    ("quarterly_qa_meeting", "Quarterly Quality Assurance Meeting", ForumKind.MEETING, "P3M"),
    ("kit", "KIT", ForumKind.BRIEFING, "P1M"),
    ("service_and_team_meetings", "Service and Team Meetings", ForumKind.MEETING, "not stated"),
    (
        "social_work_managers_meeting",
        "Social Work Managers Meeting",
        ForumKind.MEETING,
        "not stated",
    ),
    ("senior_leadership_team", "Senior leadership team", ForumKind.GROUP, "not stated"),
    ("improvement_board", "Improvement Board", ForumKind.BOARD, "not stated"),
    ("ssp", "Safeguarding Partnership", ForumKind.PARTNERSHIP, "not stated"),
    ("supervision", "Supervision", ForumKind.SUPERVISION, "P1M"),
    ("raise_your_voice_vip", "Raise your voice and VIP", ForumKind.GROUP, "not stated"),
    ("voice_ambassadors", "Voice Ambassadors", ForumKind.GROUP, "not stated"),
    (
        "parents_carers_forum",
        "Parents and carers forum/ Family advisory Board",
        ForumKind.FORUM,
        "not stated",
    ),
    ("fostering_panels", "Fostering panels", ForumKind.PANEL, "not stated"),
]


def test_practice_board_and_directors_assurance_other_names(profile: Profile) -> None:
    assert profile.forum("practice_performance_board").abbreviations == (
        "Performance and Practice Board",
        "Practice Board",
    )
    assert profile.forum("directors_assurance_board").abbreviations == ("Director's Assurance",)
    assert profile.forum("ssp").abbreviations == ("SSP",)


# -- reporting lines --------------------------------------------------------------------------

REPORTING_LINES = [
    (
        "monthly_practice_audit_report",
        ("qa_team",),
        ("practice_performance_board", "directors_assurance_board"),
        (),
        "P1M",
    ),
    (
        "learning_on_a_page",
        ("qa_team", "psw"),
        ("kit", "service_and_team_meetings"),
        (),
        "P1M",
    ),
    ("quarterly_qa_report", ("qa_team",), ("quarterly_qa_meeting",), (), "P3M"),
    ("feedback_monthly", ("qa_team",), ("kit",), (), "P1M"),
    ("feedback_quarterly", ("qa_team",), ("quarterly_qa_meeting",), (), "P3M"),
    ("practice_week_summary", ("qa_team",), ("practice_performance_board",), (), "P6M"),
    (
        "child_of_concern_tracker",
        ("qa_team",),
        (),
        ("director", "dcs", "head_of_service"),
        "P1W",
    ),
    (
        "audit_management_tracker",
        ("team_manager", "service_manager", "qa_team"),
        ("weekly_performance_clinics", "practice_performance_board"),
        (),
        "P1W",
    ),
    (
        "family_safeguarding_plans",
        ("head_of_service",),
        ("practice_performance_board", "cslt_assurance_board"),
        (),
        "as-required",
    ),
    (
        "safeguarding_review_learning",
        ("safeguarding_partnership",),
        ("social_work_managers_meeting",),
        (),
        "as-required",
    ),
    ("partnership_report", ("qa_team",), ("improvement_board", "ssp"), (), "P6M"),
]


def test_what_reaches_the_practice_and_performance_board(profile: Profile) -> None:
    reached = {a.id for a in profile.activities_reported_to("practice_performance_board")}
    assert reached == {
        "child_practice_audit",
        "thematic_audit",
        "additional_themed_audit",
        "mash_front_door_audit",
        "practice_week",
        "practice_review_audit",
        "audit_action_tracking",
        "monthly_practice_audit_reports",
    }


def test_what_reaches_the_improvement_board_and_ssp(profile: Profile) -> None:
    assert [a.id for a in profile.activities_reported_to("improvement_board")] == [
        "partnership_reporting"
    ]
    assert [a.id for a in profile.activities_reported_to("ssp")] == ["partnership_reporting"]


# -- activities -------------------------------------------------------------------------------

K = ActivityKind
AUDITORS = ("team_manager", "service_manager", "qaro", "head_of_service", "director", "dcs")
AUDIT_REPORTS = ("monthly_practice_audit_report", "learning_on_a_page", "quarterly_qa_report")
FEEDBACK_REPORTS = ("feedback_monthly", "feedback_quarterly")

# id, kind, who, cadence, graded, reported_via
ACTIVITIES = [
    ("child_practice_audit", K.CASE_FILE_AUDIT, AUDITORS, "P1M", True, AUDIT_REPORTS),
    ("thematic_audit", K.THEMATIC_AUDIT, ("qa_team",), "P1M", True, AUDIT_REPORTS),
    ("additional_themed_audit", K.THEMATIC_AUDIT, ("qa_team",), "as-required", True, AUDIT_REPORTS),
    (
        "multi_agency_audit",
        K.MULTI_AGENCY_AUDIT,
        ("safeguarding_partnership",),
        "as-required",
        False,
        (),
    ),
    (
        "mash_front_door_audit",
        K.MULTI_AGENCY_AUDIT,
        ("front_door_social_care", "front_door_partners"),
        "P1M",
        False,
        ("monthly_practice_audit_report",),
    ),
    (
        "practice_week",
        K.PRACTICE_WEEK,
        ("director", "dcs", "head_of_service"),
        "P6M",
        False,
        ("practice_week_summary",),
    ),
    (
        "observations_of_practice",
        K.DIRECT_OBSERVATION,
        ("team_manager", "service_manager", "head_of_service"),
        "not stated",
        False,
        (),
    ),
    ("peer_and_external_reviews", K.PEER_REVIEW, ("external_reviewers",), "not stated", False, ()),
    ("feedback_collation", K.FEEDBACK, ("qa_team",), "P1M", False, FEEDBACK_REPORTS),
    ("complaints_and_compliments", K.COMPLAINTS, ("qa_team",), "ongoing", False, FEEDBACK_REPORTS),
    ("surveys", K.SURVEY, ("qa_team",), "not stated", False, FEEDBACK_REPORTS),
    ("qaro_quality_assurance", K.REVIEW, ("qaro",), "on-event:review,conference", False, ()),
    ("mid_point_review", K.REVIEW, ("qaro",), "on-event:review_mid_point", False, ()),
    ("dispute_resolution", K.REVIEW, ("qaro",), "as-required", False, ()),
    ("participation_in_reviews", K.REVIEW, ("qaro",), "on-event:review,conference", False, ()),
    (
        "practice_review_audit",
        K.THEMATIC_AUDIT,
        ("qa_team",),
        "as-required",
        False,
        ("monthly_practice_audit_report",),
    ),
    (
        "learning_from_practice_reviews",
        K.LEARNING,
        ("safeguarding_partnership",),
        "as-required",
        False,
        ("safeguarding_review_learning",),
    ),
    ("moderation", K.MODERATION, ("qa_team",), "P1M", False, ()),
    (
        "family_safeguarding_group_supervision",
        K.SUPERVISION,
        ("social_worker", "adult_specialists"),
        "P1M",
        False,
        (),
    ),
    ("management_oversight", K.MANAGEMENT_OVERSIGHT, ("team_manager",), "P1M", False, ()),
    (
        "child_of_concern_tracking",
        K.CLOSING_THE_LOOP,
        ("qa_team",),
        "P1W",
        False,
        ("child_of_concern_tracker",),
    ),
    (
        "audit_action_tracking",
        K.CLOSING_THE_LOOP,
        ("team_manager", "service_manager", "qa_team"),
        "P1W",
        False,
        ("audit_management_tracker",),
    ),
    (
        "monthly_practice_audit_reports",
        K.REPORT,
        ("qa_team",),
        "P1M",
        False,
        ("monthly_practice_audit_report",),
    ),
    (
        "briefings_learning_on_a_page",
        K.REPORT,
        ("qa_team", "psw"),
        "P1M",
        False,
        ("learning_on_a_page",),
    ),
    ("quarterly_qa_report", K.REPORT, ("qa_team",), "P3M", False, ("quarterly_qa_report",)),
    (
        "reflective_learning_circles",
        K.PRACTITIONER_FORUM,
        ("practice_lead",),
        "not stated",
        False,
        (),
    ),
    ("reflective_discussions", K.PRACTITIONER_FORUM, ("psw", "qa_team"), "not stated", False, ()),
    (
        "performance_data_analysis",
        K.PERFORMANCE_DATA,
        ("team_manager", "service_manager"),
        "ongoing",
        False,
        (),
    ),
    ("psw_newsletter", K.LEARNING, ("psw",), "P1M", False, ()),
    ("monthly_briefings_bulletins", K.LEARNING, ("psw", "qa_team"), "P1M", False, ()),
    ("annual_health_check", K.SURVEY, ("psw",), "P1Y", False, ()),
    ("quarterly_learning_sessions", K.LEARNING, ("practice_academy", "qa_team"), "P3M", False, ()),
    ("partnership_reporting", K.REPORT, ("qa_team",), "P6M", False, ("partnership_report",)),
]


def test_no_effort_or_lookback_is_stated(profile: Profile) -> None:
    assert all(a.effort is None for a in profile.activities)
    assert all(a.lookback is None for a in profile.activities)


def test_quotas(profile: Profile) -> None:
    with_quota = {a.id: a.quota for a in profile.activities if a.quota is not None}
    assert set(with_quota) == {
        "family_safeguarding_group_supervision",
        "management_oversight",
        "child_practice_audit",
    }
    group = with_quota["family_safeguarding_group_supervision"]
    assert group is not None
    assert (group.count, group.unit, group.per, group.period) == (
        1,
        "group supervision",
        "family",
        IsoDuration(months=1),
    )
    assert group.qualifier is QuotaQualifier.EXACTLY
    oversight = with_quota["management_oversight"]
    assert oversight is not None
    assert oversight.qualifier is QuotaQualifier.AT_LEAST
    assert oversight.describe() == "at least 1 supervision discussion per child per month"


def test_child_practice_audit_details(profile: Profile) -> None:
    audit = profile.activity("child_practice_audit")
    assert audit.feedback_from == (FeedbackSource.CHILD, FeedbackSource.PARENT_CARER)
    assert audit.standards == tuple(NON_NEGOTIABLES)
    # Seed 003, 8.1.1: monthly child practice audits, with no number per auditor or month.
    assert audit.quota == Quota(NOT_STATED, "audit", period=IsoDuration(months=1))
    assert audit.sampling is not None
    assert audit.sampling.method is SamplingMethod.PURPOSIVE
    assert audit.sampling.criteria is not None
    assert "Early Help and Prevention" in audit.sampling.criteria
    assert any("collaboratively with the social worker" in n for n in audit.notes)
    assert any("in supervision" in n for n in audit.notes)


def test_thematic_audits_sample_vulnerable_children(profile: Profile) -> None:
    sampling = profile.activity("thematic_audit").sampling
    assert sampling is not None
    assert sampling.method is SamplingMethod.PURPOSIVE
    assert sampling.criteria is not None
    for group in ("secure estate", "young carers", "privately fostered", "unregistered provision"):
        assert group in sampling.criteria


def test_feedback_activities(profile: Profile) -> None:
    capturing = {a.id for a in profile.activities if FeedbackSource.CHILD in a.feedback_from}
    assert capturing == {
        "child_practice_audit",
        "feedback_collation",
        "complaints_and_compliments",
        "surveys",
        "participation_in_reviews",
    }


def test_unscheduled_activities(profile: Profile) -> None:
    unscheduled = {a.id: a.cadence.kind for a in profile.unscheduled()}
    assert unscheduled == {
        "additional_themed_audit": CadenceKind.AS_REQUIRED,
        "multi_agency_audit": CadenceKind.AS_REQUIRED,
        "observations_of_practice": CadenceKind.NOT_STATED,
        "peer_and_external_reviews": CadenceKind.NOT_STATED,
        "complaints_and_compliments": CadenceKind.ONGOING,
        "surveys": CadenceKind.NOT_STATED,
        "qaro_quality_assurance": CadenceKind.ON_EVENT,
        "mid_point_review": CadenceKind.ON_EVENT,
        "dispute_resolution": CadenceKind.AS_REQUIRED,
        "participation_in_reviews": CadenceKind.ON_EVENT,
        "practice_review_audit": CadenceKind.AS_REQUIRED,
        "learning_from_practice_reviews": CadenceKind.AS_REQUIRED,
        "reflective_learning_circles": CadenceKind.NOT_STATED,
        "reflective_discussions": CadenceKind.NOT_STATED,
        "performance_data_analysis": CadenceKind.ONGOING,
    }


# -- schedule ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fy_2026_27(profile: Profile) -> Counter[tuple[OccurrenceKind, str]]:
    year = FinancialYear(2026)
    return Counter((o.kind, o.ref) for o in profile.schedule(year.start, year.end))


@pytest.mark.parametrize(
    ("kind", "ref", "count"),
    [
        (OccurrenceKind.ACTIVITY, "child_practice_audit", 12),
        (OccurrenceKind.ACTIVITY, "thematic_audit", 12),
        (OccurrenceKind.ACTIVITY, "mash_front_door_audit", 12),
        (OccurrenceKind.ACTIVITY, "moderation", 12),
        (OccurrenceKind.ACTIVITY, "practice_week", 2),
        (OccurrenceKind.ACTIVITY, "child_of_concern_tracking", 53),
        (OccurrenceKind.ACTIVITY, "quarterly_learning_sessions", 4),
        (OccurrenceKind.ACTIVITY, "annual_health_check", 1),
        (OccurrenceKind.ACTIVITY, "partnership_reporting", 2),
        (OccurrenceKind.REPORT, "monthly_practice_audit_report", 12),
        (OccurrenceKind.REPORT, "quarterly_qa_report", 4),
        (OccurrenceKind.REPORT, "partnership_report", 2),
        (OccurrenceKind.FORUM, "weekly_performance_clinics", 53),
        (OccurrenceKind.FORUM, "quarterly_qa_meeting", 4),
        (OccurrenceKind.FORUM, "kit", 12),
        (OccurrenceKind.FORUM, "practice_performance_board", 0),
    ],
)
def test_schedule_counts_for_2026_27(
    fy_2026_27: Counter[tuple[OccurrenceKind, str]], kind: OccurrenceKind, ref: str, count: int
) -> None:
    assert fy_2026_27[(kind, ref)] == count


def test_practice_weeks_fall_in_april_and_october(profile: Profile) -> None:
    days = [
        o.day
        for o in profile.schedule(
            date(2026, 4, 1), date(2027, 3, 31), kinds=[OccurrenceKind.ACTIVITY]
        )
        if o.ref == "practice_week"
    ]
    assert days == [date(2026, 4, 1), date(2026, 10, 1)]


def test_schedule_names_the_auditors_by_title(profile: Profile) -> None:
    first = next(
        o
        for o in profile.schedule(date(2026, 4, 1), date(2026, 4, 30))
        if o.ref == "child_practice_audit"
    )
    assert first.day == date(2026, 4, 1)
    assert first.who == (
        "Team Manager",
        "Service Manager",
        "Quality Assurance and Reviewing Officer",
        "Head of Service",
        "Director",
        "Director of Children's Services",
    )


# -- moderation -------------------------------------------------------------------------------


def test_moderation_policy(profile: Profile) -> None:
    (policy,) = profile.moderation
    assert policy.id == "monthly_moderation"
    assert policy.applies_to == ("child_practice_audit",)
    assert policy.moderators == ("qa_team",)
    assert str(policy.cadence) == "P1M"
    assert policy.feedback_to == ("social_worker",)
    assert policy.outcomes == (
        ModerationOutcome.AGREE,
        ModerationOutcome.UPGRADE,
        ModerationOutcome.DOWNGRADE,
    )
    assert policy.citation.section == "8.8 Moderation"


def test_every_inadequate_audit_plus_a_sample_is_moderated(profile: Profile) -> None:
    inadequate, sample = profile.moderation[0].selection
    assert inadequate.kind is SelectionKind.GRADE_AT_OR_BELOW
    assert inadequate.grade == "inadequate"
    assert inadequate.citation.section == S83
    assert sample.kind is SelectionKind.PROPORTION
    assert sample.minimum == 1
    assert sample.maximum is None
    assert sample.sample_size(0) == 0
    assert sample.sample_size(1) == 1
    assert sample.sample_size(9) == 1
    assert sample.sample_size(30) == 3


# -- escalation -------------------------------------------------------------------------------


def _rule(profile: Profile, rule_id: str) -> Any:
    (rule,) = [r for r in profile.escalation if r.id == rule_id]
    return rule


def test_escalation_rules_in_order(profile: Profile) -> None:
    assert [r.id for r in profile.escalation] == [
        "inadequate_shared_pre_moderation",
        "child_of_concern",
        "moderation_downgrade_to_inadequate",
        "requires_improvement_or_good_tracking",
        "urgent_safety_concern",
    ]
    assert all(r.citation.section == S83 for r in profile.escalation)


def test_inadequate_audit_shared_same_day_before_moderation(profile: Profile) -> None:
    rule = _rule(profile, "inadequate_shared_pre_moderation")
    assert rule.trigger.kind is TriggerKind.GRADE
    assert rule.trigger.stage is GradeStage.AUDITOR
    assert rule.trigger.at_or_below == "inadequate"
    assert rule.raised_by == ()
    assert rule.recipients == (
        "director",
        "head_of_service",
        "service_manager",
        "team_manager",
        "qa_team",
    )
    assert rule.deadline.kind is DeadlineKind.SAME_WORKING_DAY
    assert rule.follow_up is None
    assert rule.consequence is None


def test_confirmed_inadequate_goes_on_the_child_of_concern_tracker(profile: Profile) -> None:
    rule = _rule(profile, "child_of_concern")
    assert rule.trigger.kind is TriggerKind.GRADE
    assert rule.trigger.stage is GradeStage.MODERATED
    assert rule.trigger.at_or_below == "inadequate"
    assert rule.raised_by == ("qa_team",)
    assert rule.recipients == ("qa_team", "team_manager")
    # Seed 003, 8.3: the child is added "for weekly tracking by the QA Team", with no
    # deadline for adding the child: not stated. The weekly tracking counts from the day the
    # moderation confirms the grade.
    assert rule.deadline is NOT_STATED
    assert str(rule.follow_up) == "P1W"
    assert rule.follow_up_by == ("qa_team",)
    assert rule.consequence.kind is ConsequenceKind.CHILD_OF_CONCERN_TRACKER
    assert rule.consequence.owner == "qa_team"
    assert rule.consequence.circulated_to == ("director", "dcs", "head_of_service")
    assert "practice for the child has improved" in rule.consequence.until


def test_downgrade_to_inadequate_shared_by_the_moderator(profile: Profile) -> None:
    rule = _rule(profile, "moderation_downgrade_to_inadequate")
    assert rule.trigger.kind is TriggerKind.MODERATION
    assert rule.trigger.outcome is ModerationOutcome.DOWNGRADE
    assert rule.trigger.at_or_below == "inadequate"
    assert rule.raised_by == ("qa_team",)
    assert profile.moderation[0].moderators == rule.raised_by
    assert rule.recipients == (
        "head_of_service",
        "service_manager",
        "team_manager",
        "social_worker",
    )
    assert rule.conditional_recipients == ("qaro",)
    assert rule.notify_auditor is True
    assert any("with the auditor" in note for note in rule.notes)
    assert rule.deadline.kind is DeadlineKind.SAME_WORKING_DAY
    assert str(rule.follow_up) == "P1W"
    assert rule.follow_up_by == ("qa_team",)
    assert rule.consequence == _rule(profile, "child_of_concern").consequence


def test_requires_improvement_or_good_tracked_on_audit_management_tracker(profile: Profile) -> None:
    rule = _rule(profile, "requires_improvement_or_good_tracking")
    assert rule.trigger.kind is TriggerKind.GRADE
    assert rule.trigger.stage is GradeStage.FINAL
    assert rule.trigger.grades == ("requires_improvement", "good")
    assert rule.trigger.at_or_below is None
    assert rule.recipients == ("team_manager", "service_manager")
    assert str(rule.follow_up) == "P1W"
    assert rule.follow_up_by == ("team_manager", "service_manager")
    assert rule.consequence.kind is ConsequenceKind.ACTION_TRACKER
    assert rule.consequence.name == "Audit Management tracker"
    assert rule.consequence.monitored_in == (
        "weekly_performance_clinics",
        "practice_performance_board",
    )


def test_urgent_safety_concern_raised_immediately(profile: Profile) -> None:
    rule = _rule(profile, "urgent_safety_concern")
    assert rule.trigger.kind is TriggerKind.CONCERN
    assert rule.trigger.concern.value == "urgent_safety"
    assert rule.deadline.kind is DeadlineKind.IMMEDIATE
    assert rule.recipients == _rule(profile, "inadequate_shared_pre_moderation").recipients


# -- closing the loop: when each tracker closes (issue 11, fidelity) -----------------------------
#
# Seed 003_b5ae2725e2090842.txt, section 8.3: the child of concern tracker's actions "are tracked
# and reported on until the practice issues have been addressed and to ensure that these actions
# have been complied with and that practice for the child has improved"; audits graded
# requires improvement or good go on "an Audit Management tracker for oversight and ensuring
# closing the loop and completion of audit actions occurs".

AUDITED = date(2026, 6, 10)  # a Wednesday


def _audit(grade: str, *actions: AuditAction, audit_id: str = "A1", on: date = AUDITED) -> Audit:
    return Audit(
        audit_id, "C1", "child_practice_audit", on, "tm-1", "team_manager", grade, actions=actions
    )


def _moderated(audit: Audit, grade: str, on: date) -> Audit:
    outcome = (
        ModerationOutcome.AGREE if grade == audit.overall_grade else ModerationOutcome.DOWNGRADE
    )
    return audit.with_moderation(ModerationRecord("qa-1", "qa_team", grade, outcome, on))


_states = functools.partial(escalation_states_by_rule, "swindon")


def test_trackers_state_when_they_close(profile: Profile) -> None:
    closes = {r.id: r.closes for r in profile.escalation}
    assert closes["child_of_concern"] == (
        ClosingCondition.ACTIONS_VERIFIED,
        ClosingCondition.IMPROVED,
        ClosingCondition.WITHDRAWN,
    )
    assert closes["moderation_downgrade_to_inadequate"] == closes["child_of_concern"]
    assert closes["requires_improvement_or_good_tracking"] == (
        ClosingCondition.ACTIONS_VERIFIED,
        ClosingCondition.NO_ACTIONS,
        ClosingCondition.IMPROVED,
        ClosingCondition.WITHDRAWN,
    )
    (assumption,) = [a for a in profile.assumptions if a.id == "closing_the_trackers"]
    trackers = ("child_of_concern", "moderation_downgrade_to_inadequate")
    trackers += ("requires_improvement_or_good_tracking",)
    assert {f"$.escalation[{i}].closes" for i in trackers} <= set(assumption.concerns)
    assert assumption.citation is not None
    assert assumption.citation.section == S83


def test_a_good_audit_with_no_actions_leaves_the_audit_management_tracker() -> None:
    # Section 8.3: the tracker is for "completion of audit actions"; a Good audit that sets
    # none has nothing to complete. It leaves the tracker at the one-week deadline, not a
    # year later.
    audits = [_audit("good")]
    state = _states(audits, date(2026, 6, 16))["requires_improvement_or_good_tracking"]
    assert state.status is EscalationStatus.OPEN
    state = _states(audits, date(2027, 6, 10))["requires_improvement_or_good_tracking"]
    assert state.status is EscalationStatus.CLOSED
    assert (state.closed_on, state.closure) == (date(2026, 6, 17), Closure.NO_ACTIONS)


def test_a_good_audit_with_actions_stays_on_the_tracker_until_they_are_verified() -> None:
    # Section 8.3: "ensuring closing the loop and completion of audit actions occurs".
    open_action = AuditAction("A1-1", "update the plan", "tm-1", date(2026, 7, 10))
    state = _states([_audit("good", open_action)], date(2027, 6, 10))
    assert state["requires_improvement_or_good_tracking"].status is EscalationStatus.OPEN
    verified = attrs.evolve(
        open_action,
        status=ActionStatus.VERIFIED,
        done_on=date(2026, 7, 1),
        verified_on=date(2026, 7, 8),
    )
    state = _states([_audit("good", verified)], date(2027, 6, 10))
    closed = state["requires_improvement_or_good_tracking"]
    assert (closed.closed_on, closed.closure) == (date(2026, 7, 8), Closure.ACTIONS_VERIFIED)


def test_an_inadequate_audit_with_no_actions_stays_on_the_child_of_concern_tracker() -> None:
    # Section 8.3: tracked "until ... practice for the child has improved". Having no actions
    # does not take a child off the tracker; a later audit graded better does.
    confirmed = _moderated(_audit("inadequate"), "inadequate", date(2026, 6, 17))
    state = _states([confirmed], date(2027, 6, 10))["child_of_concern"]
    assert state.status is EscalationStatus.OPEN
    better = _audit("requires_improvement", audit_id="A2", on=date(2026, 9, 2))
    state = _states([confirmed, better], date(2027, 6, 10))["child_of_concern"]
    assert (state.closed_on, state.closure, state.closed_by_audit) == (
        date(2026, 9, 2),
        Closure.IMPROVED,
        "A2",
    )


def test_urgent_safety_concern_is_an_assumption_citing_the_sharing_it_follows(
    profile: Profile,
) -> None:
    # Seed 003, section 8.3 has no rule for an urgent safety concern; its "urgent actions"
    # ("Sharing pre-moderation allows for the urgent actions to be progressed in a timely way
    # for the child") follow an Inadequate audit. The rule cites the passage it follows by
    # analogy: "The auditor will share the with the relevant Directors, HOS, SM and TM and QA
    # audits immediately/ same day on completion of their audit."
    rule = _rule(profile, "urgent_safety_concern")
    assert rule.citation.section == S83
    assert rule.citation.quote == (
        "The auditor will share the with the relevant Directors, HOS, SM and TM and QA "
        "audits immediately/ same day on completion of their audit."
    )
    assert rule.citation == _rule(profile, "inadequate_shared_pre_moderation").citation
    (assumption,) = [a for a in profile.assumptions if a.id == "urgent_safety_recipients"]
    assert "says nothing about an audit that finds an urgent safety concern" in assumption.text
    assert {
        "$.escalation[urgent_safety_concern].trigger",
        "$.escalation[urgent_safety_concern].deadline",
    } <= set(assumption.concerns)


# -- action timescales ------------------------------------------------------------------------


def test_action_timescales_are_set_in_the_audit(profile: Profile) -> None:
    general, concern = profile.action_timescales
    graded = ("child_practice_audit", "thematic_audit", "additional_themed_audit")
    assert general.id == "audit_actions"
    assert concern.id == "child_of_concern_actions"
    for timescale in (general, concern):
        assert timescale.applies_to == graded
        assert timescale.owner == "team_manager"
        assert timescale.set_in_audit is True
        assert timescale.due is None
        assert timescale.default_due == IsoDuration(months=1)
    assert general.tracked_by == ("team_manager", "service_manager", "qa_team")
    assert general.reviewed_in == (
        "supervision",
        "weekly_performance_clinics",
        "practice_performance_board",
    )
    assert concern.tracked_by == ("qa_team",)
    assert concern.reviewed_in == ("supervision",)
    # The child of concern timescale governs Inadequate audits; the general one the rest.
    assert concern.grades == ("inadequate",)
    assert set(general.grades) | set(concern.grades) == set(profile.grade_scale.codes)
    assert not set(general.grades) & set(concern.grades)


def test_graded_activities_have_action_timescales(profile: Profile) -> None:
    graded = {a.id for a in profile.activities if a.graded}
    for timescale in profile.action_timescales:
        assert set(timescale.applies_to) == graded


# -- assumptions ------------------------------------------------------------------------------

ASSUMPTIONS = {
    "role_checks",
    "effective_from",
    "schedule_anchor",
    "grade_scale",
    "management_chain",
    "directors_generic_role",
    "qa_team_one_role",
    "front_door_roles",
    "external_reviewers_role",
    "senior_leaders",
    "practice_board_naming",
    "directors_assurance_naming",
    "improvement_board_and_ssp",
    "forum_cadences",
    "supervision_monthly",
    "qa_meetings",
    "report_producers",
    "report_cadences",
    "mash_in_monthly_report",
    "child_practice_audit_volume",
    "audits_grade_against_non_negotiables",
    "frameworks_not_standards",
    "graded_activities",
    "multi_agency_audits",
    "unstated_cadences",
    "unstated_owners",
    "group_supervision_who",
    "management_oversight_who",
    "mid_point_review_timing",
    "moderator_role",
    "moderation_selection",
    "moderation_outcomes",
    "child_of_concern_deadline",
    "downgrade_deadline",
    "downgrade_auditor",
    "action_tracking_rule",
    "urgent_safety_recipients",
    "closing_the_trackers",
    "action_default_due",
    "no_reporting_line",
    "bi_annual",
    "audit_tool_appendices",
}


@pytest.mark.parametrize(
    ("assumption_id", "path"),
    [
        ("effective_from", "$.effective_from"),
        ("schedule_anchor", "$.schedule_anchor"),
        ("grade_scale", "$.grade_scale.good_or_better"),
        ("moderation_selection", "$.moderation[monthly_moderation].selection"),
        ("moderator_role", "$.moderation[monthly_moderation].moderators"),
        ("downgrade_deadline", "$.escalation[moderation_downgrade_to_inadequate].deadline"),
        ("downgrade_auditor", "$.escalation[moderation_downgrade_to_inadequate].notify_auditor"),
        ("child_of_concern_deadline", "$.escalation[child_of_concern].deadline"),
        ("urgent_safety_recipients", "$.escalation[urgent_safety_concern]"),
        ("action_default_due", "$.action_timescales[audit_actions].default_due"),
        ("practice_board_naming", "$.forums[practice_performance_board]"),
        ("bi_annual", "$.reporting_lines[partnership_report].cadence"),
        ("bi_annual", "$.activities[partnership_reporting].cadence"),
        ("audit_tool_appendices", "$.sources[swindon_qaf_2026].notes"),
    ],
)
def test_assumption_governs_path(profile: Profile, assumption_id: str, path: str) -> None:
    (assumption,) = [a for a in profile.assumptions if a.id == assumption_id]
    assert path in assumption.concerns


def test_assumption_paths_name_the_intended_items(profile: Profile) -> None:
    # The indices in assumption paths must follow the file's order.
    assert profile.escalation[2].id == "moderation_downgrade_to_inadequate"
    assert profile.escalation[4].id == "urgent_safety_concern"
    assert profile.forums[0].id == "practice_performance_board"
    assert profile.forums[11].id == "supervision"
    assert profile.roles[7].id == "qa_team"
    assert profile.activities[17].id == "moderation"
    assert profile.activities[18].id == "family_safeguarding_group_supervision"
    assert profile.reporting_lines[6].id == "child_of_concern_tracker"
    assert profile.reporting_lines[10].id == "partnership_report"
    assert profile.activities[32].id == "partnership_reporting"


# -- the facts the conformance kit checks -------------------------------------------------------

V = "2026-01"
GRADE_SPELLINGS = {
    "Outstanding": "outstanding",
    "Good": "good",
    "requires improvement": "requires_improvement",
    "Requires improvement to be good": "requires_improvement",
    "RI": "requires_improvement",
    "inadequate": "inadequate",
}


class TestSwindonSeed(SeedConformance):
    """Swindon's profile held to qaframework's invariant suite, and to the facts above."""

    profile_id = "swindon"
    authority = "Swindon Borough Council"
    versions = [(V, date(2026, 1, 1), None)]
    no_version_on = [date(2025, 12, 31)]
    sources = {V: {SOURCE: "003_b5ae2725e2090842.txt"}}
    seed_sections = {SOURCE: HEADINGS}
    min_citations = 101
    grade_spellings = {V: GRADE_SPELLINGS}
    roles = {V: Rows(("id", "title", "generic", "abbreviations", "reports_to"), ROLES, every=True)}
    forums = {V: Rows(("id", "name", "kind", "cadence"), FORUMS, every=True)}
    reporting_lines = {
        V: Rows(
            ("id", "produced_by", "to_forums", "to_roles", "cadence"), REPORTING_LINES, every=True
        )
    }
    activities = {
        V: Rows(("id", "kind", "who", "cadence", "graded", "reported_via"), ACTIVITIES, every=True)
    }
    assumptions = {V: ASSUMPTIONS}
