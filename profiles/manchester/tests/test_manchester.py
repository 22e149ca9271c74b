"""Manchester's QA framework, pinned fact by fact through the public API.

Every expected value below is read from the seed (Manchester City Council Children's Services
Quality Assurance Framework) or from an assumption the profile records for it.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date, timedelta
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
    Concern,
    ConsequenceKind,
    DeadlineKind,
    EscalationStatus,
    ForumKind,
    GenericRole,
    GradeStage,
    Ilacs,
    IsoDuration,
    OccurrenceKind,
    Period,
    Profile,
    QuotaQualifier,
    SamplingMethod,
    SelectionKind,
    StandardKind,
    TriggerKind,
    select_for_moderation,
)
from qaframework.engine.actions.tracker import Closure
from qaframework.policy.paths import resolve_path
from qaframework.policy.unknowns import NOT_STATED
from qaframework.testing.conformance import SeedConformance
from qaframework.testing.facts import Rows, escalation_states_by_rule

IN_FORCE = date(2019, 9, 1)
SOURCE = "manchester_qaf"
SCHEDULE = "SECTION 3 - Quality Assurance SCHEDULE"
WALL = "QUALITY ASSURANCE ACTIVITY WALL"
OVERSIGHT = "Quality Assurance: Management Oversight"
SECTION_2 = "SECTION 2 - Quality Assurance Activity"
OUTCOMES = (
    "Quality Assurance Outcomes - how we improve the quality of practice through shared "
    "learning? - moving beyond performance to quality."
)
HEADINGS = {
    "Introduction",
    "Vision",
    SECTION_2,
    WALL,
    OVERSIGHT,
    SCHEDULE,
    OUTCOMES,
    "Appendices",
}


@pytest.fixture(scope="module")
def profile() -> Profile:
    return qaframework.load_profile("manchester", as_of=IN_FORCE)


def _duration(text: str) -> IsoDuration:
    return IsoDuration.parse(text)


# -- versions and sources ---------------------------------------------------------------------


def test_the_2019_version_is_still_in_force(profile: Profile) -> None:
    assert qaframework.load_profile("manchester", as_of=date(2026, 6, 1)) == profile


def test_schedule_anchor_is_first_april_after_effective_date(profile: Profile) -> None:
    assert profile.effective_from == date(2019, 9, 1)
    assert profile.schedule_anchor == date(2020, 4, 1)


def test_source_is_the_august_2019_framework(profile: Profile) -> None:
    source = profile.source(SOURCE)
    assert source.authority == "Manchester City Council"
    assert "August 2019" in source.issued


# -- grade scale --------------------------------------------------------------------------------


def test_grade_scale_is_the_ilacs_april_2019_judgements(profile: Profile) -> None:
    scale = profile.grade_scale
    assert scale.codes == ("outstanding", "good", "requires_improvement", "inadequate")
    assert [g.label for g in scale] == [
        "Outstanding",
        "Good",
        "Requires Improvement to be good",
        "Inadequate",
    ]
    assert scale.citation.section == WALL
    assert "ILACS" in (scale.citation.quote or "")


def test_good_or_better_threshold_is_good(profile: Profile) -> None:
    scale = profile.grade_scale
    assert scale.good_or_better == "good"
    assert scale.is_good_or_better("outstanding")
    assert scale.is_good_or_better("good")
    assert not scale.is_good_or_better("requires_improvement")
    assert not scale.is_good_or_better("inadequate")


def test_ilacs_crosswalk_is_one_to_one(profile: Profile) -> None:
    scale = profile.grade_scale
    assert [scale.ilacs(c) for c in scale.codes] == list(Ilacs)
    assert scale.is_crosswalk_monotone()


# -- standards ----------------------------------------------------------------------------------

GOLDEN_THREADS = [
    ("quality_of_assessment", "Quality of assessment", "(1) quality of assessment"),
    ("quality_of_planning", "Quality of planning", "(2) quality of planning"),
    ("use_of_chronologies", "The use of chronologies", "(3) the use of chronologies"),
    ("management_supervision", "Management supervision", "(4) management supervision"),
    ("childs_voice", "The child's voice", "(5) the child’s voice"),
    ("parent_carer_engagement", "Parent/carer engagement", "(6) parent/carer engagement"),
]


def test_six_golden_threads_in_order(profile: Profile) -> None:
    assert [s.id for s in profile.standards] == [g[0] for g in GOLDEN_THREADS]


@pytest.mark.parametrize(("standard_id", "title", "quote"), GOLDEN_THREADS)
def test_golden_thread(profile: Profile, standard_id: str, title: str, quote: str) -> None:
    standard = profile.standard(standard_id)
    assert standard.title == title
    assert standard.kind is StandardKind.GOLDEN_THREAD
    assert standard.audited
    assert standard.citation.section == SECTION_2
    assert standard.citation.quote == quote


# -- roles --------------------------------------------------------------------------------------

ROLES = [
    ("practitioner", "Practitioner", GenericRole.PRACTITIONER, (), "team_manager"),
    ("team_manager", "Team Manager", GenericRole.TEAM_MANAGER, (), "service_lead"),
    (
        "service_lead",
        "Service Lead / Locality Manager",
        GenericRole.SERVICE_LEAD,
        ("SL",),
        "head_of_service",
    ),
    ("senior_manager", "Senior Manager", GenericRole.SERVICE_LEAD, (), "head_of_service"),
    (
        "head_of_service",
        "Head of Service",
        GenericRole.HEAD_OF_SERVICE,
        ("HOS",),
        "deputy_director",
    ),
    (
        "deputy_director",
        "Deputy Director Children's Services",
        GenericRole.ASSISTANT_DIRECTOR,
        (),
        "director",
    ),
    ("director", "Director Children's Services", GenericRole.DIRECTOR, (), None),
    (
        "social_work_consultant",
        "Social Work Consultant",
        GenericRole.PRACTICE_LEAD,
        ("SWC",),
        None,
    ),
    (
        "qa_ld_team",
        "Quality Assurance & Learning and Development Team",
        GenericRole.QA_TEAM,
        (),
        None,
    ),
    (
        "workforce_ld_team",
        "Workforce Learning & Development Team",
        GenericRole.LEARNING_AND_DEVELOPMENT,
        (),
        None,
    ),
    (
        "ld_manager",
        "Learning & Development Manager",
        GenericRole.LEARNING_AND_DEVELOPMENT,
        (),
        None,
    ),
    (
        "performance_unit",
        "Performance Research Intelligence Unit",
        GenericRole.PERFORMANCE_TEAM,
        (),
        None,
    ),
    ("siu", "Safeguarding Improvement Unit", GenericRole.QA_TEAM, ("SIU",), None),
    ("slt", "Senior Leadership Team", GenericRole.LEADERSHIP_TEAM, (), None),
    ("clt", "CLT", GenericRole.LEADERSHIP_TEAM, ("CLT",), None),
    ("directorate_lead", "Directorate Lead", GenericRole.QA_MANAGER, (), None),
    ("health_service", "Health Service", GenericRole.PARTNER_AGENCY, (), None),
    (
        "practitioner_representatives",
        "Practitioner representation",
        GenericRole.PRACTITIONER_GROUP,
        (),
        None,
    ),
    ("partners", "Partners", GenericRole.PARTNER_AGENCY, (), None),
    ("firo", "FIRO", GenericRole.INDEPENDENT_REVIEWER, ("FIRO",), None),
]


def test_management_chain_from_practitioner_to_director(profile: Profile) -> None:
    chain = [r.id for r in profile.management_chain("practitioner")]
    assert chain == [
        "team_manager",
        "service_lead",
        "head_of_service",
        "deputy_director",
        "director",
    ]


# -- forums -------------------------------------------------------------------------------------

FORUMS = [
    ("dcs_assurance_clinic", "Director Children's Services assurance clinic", ForumKind.CLINIC),
    ("performance_qa_clinic", "Performance and Quality Assurance Clinic", ForumKind.CLINIC),
    ("managers_forum", "Managers Forum", ForumKind.FORUM),
    ("service_meetings", "Service Meetings", ForumKind.MEETING),
    ("practitioner_improvement_forum", "Practitioners Improvement Forum", ForumKind.FORUM),
    ("learning_circles", "Learning Circles", ForumKind.GROUP),
    ("partnership_meetings", "Partnership Meetings", ForumKind.PARTNERSHIP),
    ("manager_and_team_meetings", "Regular manager and team meetings", ForumKind.MEETING),
    ("practice_forums", "Practice forums", ForumKind.FORUM),
    ("learning_events", "Learning events", ForumKind.GROUP),
    ("staff_conferences", "Staff Conferences", ForumKind.FORUM),
]


def test_only_the_practitioners_improvement_forum_has_a_stated_rhythm(profile: Profile) -> None:
    forum = profile.forum("practitioner_improvement_forum")
    assert forum.cadence.every == _duration("P2M")
    assert "Practitioner Improvement Board" in forum.abbreviations
    # Seed 001 gives no meeting frequency for any other forum: each is "not stated".
    others = [f for f in profile.forums if f.id != forum.id]
    assert all(f.cadence.kind is CadenceKind.NOT_STATED for f in others)


def test_dcs_assurance_clinic_is_chaired_by_the_director(profile: Profile) -> None:
    assert profile.forum("dcs_assurance_clinic").chair == "director"
    assert "P&QA Clinic" in profile.forum("performance_qa_clinic").abbreviations


# -- reporting lines ----------------------------------------------------------------------------

DCS = ("dcs_assurance_clinic",)
REPORTING_LINES = [
    (
        "performance_data_dissemination",
        ("performance_unit",),
        (),
        ("clt", "head_of_service", "service_lead"),
        "P1M",
    ),
    ("locality_overview_assurance_report", ("head_of_service",), DCS, (), "P1M"),
    ("service_wide_themes_findings_report", ("workforce_ld_team",), DCS, (), "P1M"),
    ("supervision_audit_report", ("ld_manager",), DCS, (), "P3M"),
    ("private_fostering_report", ("social_work_consultant",), DCS, (), "P1Y"),
    ("dip_sampling_report", ("head_of_service",), DCS, (), "P3M"),
    ("direct_observations_swc_report", ("social_work_consultant",), DCS, (), "P1M"),
    ("direct_observations_ld_report", ("ld_manager",), DCS, (), "P3M"),
    ("feedback_swc_report", ("social_work_consultant",), DCS, (), "P1M"),
    ("feedback_directorate_lead_report", ("directorate_lead",), DCS, (), "P1M"),
    ("siu_participation_feedback_report", ("siu",), DCS, (), "P1M"),
    (
        "practitioner_views",
        ("practitioner_representatives",),
        ("practitioner_improvement_forum",),
        (),
        "P2M",
    ),
    (
        "monthly_qa_report",
        ("qa_ld_team",),
        ("dcs_assurance_clinic", "performance_qa_clinic", "managers_forum"),
        (),
        "P1M",
    ),
    ("siu_monthly_report", ("siu",), DCS, (), "P1M"),
    ("siu_quarterly_report", ("siu",), DCS, (), "P3M"),
    ("service_leads_report", ("service_lead",), ("performance_qa_clinic",), (), "as-required"),
    (
        "learning_circles_report",
        ("qa_ld_team",),
        ("managers_forum", "performance_qa_clinic", "service_meetings"),
        ("clt",),
        "P3M",
    ),
    ("qa_report_to_teams", ("service_lead",), ("manager_and_team_meetings",), (), "P1M"),
    (
        "qa_reports_to_service_meetings",
        ("social_work_consultant",),
        ("service_meetings",),
        (),
        "as-required",
    ),
    (
        "outcomes_cascade",
        ("qa_ld_team",),
        ("practice_forums", "manager_and_team_meetings", "learning_events"),
        (),
        "as-required",
    ),
    (
        "seven_minute_briefing",
        ("qa_ld_team",),
        (),
        ("practitioner", "team_manager", "service_lead", "head_of_service"),
        "P3M",
    ),
    ("quality_of_practice_annual_report", ("qa_ld_team",), DCS, (), "P1Y"),
]


def test_learning_circles_report_goes_to_clt_if_required(profile: Profile) -> None:
    line = profile.reporting_line("learning_circles_report")
    assert "CLT (if required)" in (line.citation.quote or "")


def test_schedule_findings_reach_the_dcs_assurance_clinic(profile: Profile) -> None:
    reached = {a.id for a in profile.activities_reported_to("dcs_assurance_clinic")}
    assert {
        "file_audit",
        "locality_overview_assurance_report",
        "service_wide_themes_findings_report",
        "thematic_audit_supervision",
        "thematic_audit_private_fostering",
        "dip_sampling",
        "direct_observations_team_managers",
        "direct_observations_service_leads",
        "children_family_feedback",
        "complaints_and_compliments",
    } <= reached
    assert "practitioner_experience" not in reached


# -- activities ---------------------------------------------------------------------------------

# id, kind, who, cadence, quota (count, count_max, unit, qualifier, per_role, period) or None,
# reporting lines
ACTIVITIES: list[tuple[Any, ...]] = [
    (
        "performance_data",
        ActivityKind.PERFORMANCE_DATA,
        ("performance_unit",),
        "P1M",
        None,
        ("performance_data_dissemination",),
    ),
    (
        "file_audit",
        ActivityKind.CASE_FILE_AUDIT,
        ("team_manager",),
        "P1M",
        (1, None, "audit", QuotaQualifier.EXACTLY, "team_manager", "P1M"),
        (
            "locality_overview_assurance_report",
            "service_wide_themes_findings_report",
            "monthly_qa_report",
        ),
    ),
    (
        "file_audit_moderation",
        ActivityKind.MODERATION,
        ("service_lead",),
        "P1M",
        (1, None, "moderation", QuotaQualifier.EXACTLY, "team_manager", "P1M"),
        ("locality_overview_assurance_report",),
    ),
    (
        "locality_overview_assurance_report",
        ActivityKind.REPORT,
        ("head_of_service",),
        "P1M",
        (1, None, "report", QuotaQualifier.EXACTLY, None, "P1M"),
        ("locality_overview_assurance_report",),
    ),
    (
        "service_wide_themes_findings_report",
        ActivityKind.REPORT,
        ("workforce_ld_team",),
        "P1M",
        (1, None, "report", QuotaQualifier.EXACTLY, None, "P1M"),
        ("service_wide_themes_findings_report",),
    ),
    ("closing_the_loop", ActivityKind.CLOSING_THE_LOOP, ("slt",), "P2M", None, ()),
    (
        "thematic_audit_supervision",
        ActivityKind.SUPERVISION_AUDIT,
        ("service_lead",),
        "P3M",
        (NOT_STATED, None, "case", QuotaQualifier.EXACTLY, None, None),
        ("supervision_audit_report",),
    ),
    (
        "thematic_audit_private_fostering",
        ActivityKind.THEMATIC_AUDIT,
        ("social_work_consultant", "siu"),
        "P1Y",
        (NOT_STATED, None, "case", QuotaQualifier.EXACTLY, None, None),
        ("private_fostering_report",),
    ),
    (
        "dip_sampling",
        ActivityKind.DIP_SAMPLE,
        ("head_of_service", "service_lead"),
        "P3M",
        (40, None, "case", QuotaQualifier.FOR_EXAMPLE, None, None),
        ("dip_sampling_report",),
    ),
    (
        "direct_observations_team_managers",
        ActivityKind.DIRECT_OBSERVATION,
        ("team_manager",),
        "P1M",
        (1, None, "observation", QuotaQualifier.EXACTLY, "team_manager", "P1M"),
        ("direct_observations_swc_report",),
    ),
    (
        "direct_observations_service_leads",
        ActivityKind.DIRECT_OBSERVATION,
        ("service_lead",),
        "P3M",
        (NOT_STATED, None, "observation", QuotaQualifier.EXACTLY, None, None),
        ("direct_observations_ld_report",),
    ),
    (
        "children_family_feedback",
        ActivityKind.FEEDBACK,
        ("team_manager",),
        "P1M",
        (1, None, "feedback", QuotaQualifier.EXACTLY, "team_manager", "P1M"),
        ("feedback_swc_report", "feedback_directorate_lead_report"),
    ),
    (
        "complaints_and_compliments",
        ActivityKind.COMPLAINTS,
        ("siu",),
        "P1M",
        None,
        ("siu_participation_feedback_report",),
    ),
    (
        "practitioner_experience",
        ActivityKind.PRACTITIONER_FORUM,
        ("practitioner_representatives",),
        "P2M",
        None,
        ("practitioner_views",),
    ),
    (
        "themed_audits",
        ActivityKind.THEMATIC_AUDIT,
        ("head_of_service", "service_lead"),
        "not stated",
        (NOT_STATED, None, "case", QuotaQualifier.EXACTLY, None, None),
        ("monthly_qa_report",),
    ),
    (
        "partnership_audits",
        ActivityKind.MULTI_AGENCY_AUDIT,
        ("service_lead", "siu", "partners"),
        "not stated",
        (NOT_STATED, None, "case", QuotaQualifier.EXACTLY, None, None),
        ("monthly_qa_report",),
    ),
    (
        "peer_audits",
        ActivityKind.PEER_REVIEW,
        ("practitioner",),
        "not stated",
        (NOT_STATED, None, "case", QuotaQualifier.EXACTLY, None, None),
        (),
    ),
    (
        "management_oversight",
        ActivityKind.MANAGEMENT_OVERSIGHT,
        ("team_manager", "service_lead", "head_of_service"),
        "ongoing",
        None,
        (),
    ),
    (
        "qa_activity_summaries",
        ActivityKind.REPORT,
        ("team_manager", "service_lead", "head_of_service"),
        "P1M",
        None,
        ("monthly_qa_report",),
    ),
    (
        "siu_plan_monitoring",
        ActivityKind.REVIEW,
        ("siu",),
        "ongoing",
        None,
        ("siu_monthly_report", "siu_quarterly_report"),
    ),
    ("workforce_training_planning", ActivityKind.LEARNING, ("ld_manager",), "ongoing", None, ()),
    (
        "supervision_observations_about_you",
        ActivityKind.SUPERVISION,
        ("team_manager", "practitioner"),
        "ongoing",
        None,
        (),
    ),
    ("dispute_resolution", ActivityKind.REVIEW, ("qa_ld_team",), "as-required", None, ()),
    (
        "commissioned_services_feedback",
        ActivityKind.FEEDBACK,
        ("qa_ld_team",),
        "as-required",
        None,
        (),
    ),
    ("peer_reviews", ActivityKind.PEER_REVIEW, ("qa_ld_team",), "as-required", None, ()),
    ("fostering_reviews", ActivityKind.REVIEW, ("firo",), "as-required", None, ()),
]


def test_the_schedule_rows_come_first(profile: Profile) -> None:
    schedule_rows = profile.activities[:14]
    assert all(a.citation.section == SCHEDULE for a in schedule_rows)


@pytest.mark.parametrize(("activity_id", "quota"), [(row[0], row[4]) for row in ACTIVITIES])
def test_activity_quota_look_back_and_effort(
    profile: Profile, activity_id: str, quota: tuple[Any, ...] | None
) -> None:
    activity = profile.activity(activity_id)
    # The seed states no look-back and no effort for any activity (assumption
    # lookback_and_effort).
    assert activity.lookback is None
    assert activity.effort is None
    if quota is None:
        assert activity.quota is None
    else:
        count, count_max, unit, qualifier, per_role, period = quota
        assert activity.quota is not None
        assert activity.quota.count == count
        assert activity.quota.count_max == count_max
        assert activity.quota.unit == unit
        assert activity.quota.qualifier is qualifier
        assert activity.quota.per_role == per_role
        assert activity.quota.period == (None if period is None else _duration(period))


def test_file_audit_is_the_only_graded_activity(profile: Profile) -> None:
    assert [a.id for a in profile.activities if a.graded] == ["file_audit"]


def test_file_audit_measures_all_six_golden_threads(profile: Profile) -> None:
    audit = profile.activity("file_audit")
    assert audit.standards == tuple(g[0] for g in GOLDEN_THREADS)
    assert audit.feedback_from == (
        qaframework.FeedbackSource.CHILD,
        qaframework.FeedbackSource.PARENT_CARER,
    )
    assert profile.activity("thematic_audit_supervision").standards == ("management_supervision",)


def test_file_audit_quota_reads_in_council_words(profile: Profile) -> None:
    audit = profile.activity("file_audit")
    assert audit.quota is not None
    assert audit.quota.describe("Team Manager") == "1 audit per Team Manager per month"
    moderation = profile.activity("file_audit_moderation")
    assert moderation.quota is not None
    assert moderation.quota.describe("Team Manager") == "1 moderation per Team Manager per month"
    assert any("6 or 7" in note for note in moderation.notes)


def test_six_or_seven_moderations_a_month_are_the_services_not_each_service_leads(
    profile: Profile,
) -> None:
    # Seed 001_d27777d5f4d0e24c.txt, SECTION 3 - Quality Assurance SCHEDULE, File Audit
    # Moderation: "1 moderation per Team Manager within the Service (aprox 6 or 7 per month)".
    # The 6 or 7 counts the Service's Team Managers' moderations, not each Service Lead's.
    activity = profile.activity("file_audit_moderation")
    policy = profile.moderation[0]
    for notes in (activity.notes, policy.notes):
        (note,) = [n for n in notes if "6 or 7" in n]
        assert "within the Service" in note
        assert "for each Service Lead" not in note
        assert "not per Service Lead / Locality Manager" in note


def test_file_audit_samples_randomly_within_own_service_area(profile: Profile) -> None:
    sampling = profile.activity("file_audit").sampling
    assert sampling is not None
    assert sampling.method is SamplingMethod.RANDOM
    assert sampling.size is not None
    assert sampling.size.count == 1
    assert sampling.size.per_role == "team_manager"
    assert "own service area" in (sampling.criteria or "")
    assert sampling.citation.section == OVERSIGHT


def test_dip_sampling_takes_for_example_40_cases(profile: Profile) -> None:
    dip = profile.activity("dip_sampling")
    assert dip.sampling is not None
    assert dip.sampling.method is SamplingMethod.DIP_SAMPLE
    assert dip.sampling.size is not None
    assert dip.sampling.size.describe() == "e.g. 40 cases"
    assert dip.citation.quote == "Head of Service - responsibility to set the theme."


def test_service_wide_report_covers_the_seven_services(profile: Profile) -> None:
    notes = " ".join(profile.activity("service_wide_themes_findings_report").notes)
    for service in (
        "Locality Social Work",
        "Permanence",
        "Leaving Care",
        "Early Help",
        "Fostering",
        "Complex Safeguarding Unit",
        "Youth Justice",
    ):
        assert service in notes


def test_feedback_activities_capture_whose_voice(profile: Profile) -> None:
    fb = qaframework.FeedbackSource
    assert profile.activity("practitioner_experience").feedback_from == (fb.PRACTITIONER,)
    assert profile.activity("complaints_and_compliments").feedback_from == (
        fb.CHILD,
        fb.PARENT_CARER,
    )
    assert profile.activity("partnership_audits").feedback_from == (fb.PARTNER_AGENCY,)


def test_both_kinds_of_direct_observation_seek_children_and_families_views(
    profile: Profile,
) -> None:
    # Activity wall item 6: families input into audit activity "and the same should apply to
    # direct observations" -- the Service Leads' observations as well as the Team Managers'.
    fb = qaframework.FeedbackSource
    for activity_id in ("direct_observations_team_managers", "direct_observations_service_leads"):
        assert profile.activity(activity_id).feedback_from == (fb.CHILD, fb.PARENT_CARER)


# -- moderation ---------------------------------------------------------------------------------


def test_moderation_is_one_per_team_manager_per_month_by_service_lead(profile: Profile) -> None:
    policy = profile.moderation[0]
    assert policy.id == "file_audit_moderation"
    assert policy.applies_to == ("file_audit",)
    assert policy.moderators == ("service_lead",)
    assert policy.feedback_to == ("team_manager",)
    assert policy.cadence.every == _duration("P1M")
    (rule,) = policy.selection
    assert rule.kind is SelectionKind.PER_ROLE
    assert rule.count == 1
    assert rule.per_role == "team_manager"
    assert rule.period == _duration("P1M")
    assert rule.citation.section == SCHEDULE


def test_moderation_contradiction_is_recorded_citing_all_three_passages(profile: Profile) -> None:
    assumption = next(a for a in profile.assumptions if a.id == "moderation_contradiction")
    assert "1 moderation per Team Manager within the Service" in assumption.text
    assert "will moderate all audits undertaken by front line managers" in assumption.text
    assert "independent moderator joining the audit conversation" in assumption.text
    assert "$.moderation[file_audit_moderation].selection" in assumption.concerns
    assert "$.moderation[senior_manager_moderation].selection" in assumption.concerns


def test_senior_managers_moderate_every_audit_by_a_front_line_manager(profile: Profile) -> None:
    # Seed 001_d27777d5f4d0e24c.txt, Quality Assurance: Management Oversight: "Senior Managers
    # in each service area will moderate all audits undertaken by front line managers to allow
    # audit quality and accuracy to be consistently developed."
    policy = profile.moderation[1]
    assert policy.id == "senior_manager_moderation"
    assert policy.applies_to == ("file_audit",)
    assert policy.moderators == ("senior_manager",)
    assert policy.citation.section == OVERSIGHT
    assert policy.citation.quote is not None
    assert "will moderate all audits undertaken by front line managers" in policy.citation.quote
    (rule,) = policy.selection
    assert rule.kind is SelectionKind.BY_AUDITOR
    assert rule.auditor_generic == (GenericRole.TEAM_MANAGER,)
    assert rule.citation.quote == (
        "Senior Managers in each service area will moderate all audits undertaken by front "
        "line managers"
    )


def test_every_file_audit_by_a_team_manager_is_chosen_for_senior_manager_moderation(
    profile: Profile,
) -> None:
    # The same passage: "all audits undertaken by front line managers", each month.
    period = Period(date(2024, 4, 1), date(2024, 6, 30))
    audits = [
        Audit(
            f"A{n}",
            f"C{n}",
            "file_audit",
            date(2024, 4, 1) + timedelta(days=7 * n),
            f"tm{n % 3}",
            "team_manager",
            "good",
        )
        for n in range(12)
    ]
    selection = select_for_moderation(profile, audits, period, seed=3)
    chosen = {s.audit_id for s in selection.for_policy("senior_manager_moderation")}
    assert chosen == {a.id for a in audits}
    # An audit another role undertook is not this policy's to moderate.
    other = attrs.evolve(audits[0], id="B1", auditor="sl1", auditor_role="service_lead")
    again = select_for_moderation(profile, [other], period, seed=3)
    assert again.for_policy("senior_manager_moderation") == ()


# -- escalation ---------------------------------------------------------------------------------


def test_escalation_rules(profile: Profile) -> None:
    assert [e.id for e in profile.escalation] == [
        "urgent_safety",
        "health_concern",
        "audit_shared",
        "closing_the_loop_tracker",
    ]


def test_urgent_safety_concerns_are_raised_immediately(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "urgent_safety")
    assert rule.trigger.kind is TriggerKind.CONCERN
    assert rule.trigger.concern is Concern.URGENT_SAFETY
    assert rule.recipients == ("senior_manager", "head_of_service", "deputy_director")
    assert rule.raised_by == ()
    assert rule.deadline.kind is DeadlineKind.IMMEDIATE
    assert rule.follow_up is None
    assert rule.consequence is None
    notes = " ".join(rule.notes)
    for service in ("Social Care", "Early Help", "Youth Justice", "Education Safeguarding"):
        assert service in notes


def test_health_concerns_go_to_the_health_service(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "health_concern")
    assert rule.trigger.kind is TriggerKind.CONCERN
    assert rule.trigger.concern is Concern.HEALTH
    assert rule.raised_by == ("senior_manager", "head_of_service")
    assert rule.recipients == ("health_service",)
    assert profile.role("health_service").generic is GenericRole.PARTNER_AGENCY
    assert rule.deadline.kind is DeadlineKind.IMMEDIATE


def test_every_audit_is_shared_with_worker_and_line_manager(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "audit_shared")
    assert rule.trigger.kind is TriggerKind.COMPLETED
    assert rule.recipients == ("practitioner", "team_manager")
    assert rule.deadline.kind is DeadlineKind.WITHIN
    assert rule.deadline.within == _duration("P1M")
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.NOTIFICATION
    # "All audit activity": every audit of children's records, graded or not, and nothing
    # that is not an audit (an assumption records the reading).
    assert set(rule.applies_to) == {
        "file_audit",
        "thematic_audit_supervision",
        "thematic_audit_private_fostering",
        "dip_sampling",
        "themed_audits",
        "partnership_audits",
        "peer_audits",
    }
    assert "direct_observations_team_managers" not in rule.applies_to
    assumption = next(a for a in profile.assumptions if a.id == "audit_activity_shared")
    assert "$.escalation[audit_shared].applies_to" in assumption.concerns
    assert profile.escalation[2] is rule


def test_gaps_go_on_the_closing_the_loop_tracker(profile: Profile) -> None:
    rule = next(e for e in profile.escalation if e.id == "closing_the_loop_tracker")
    # Seed 001, QUALITY ASSURANCE ACTIVITY WALL: "Any gaps and deficits must be addressed
    # (closing the loop)": audits graded below Good, not every completed audit.
    assert rule.trigger.kind is TriggerKind.GRADE
    assert rule.trigger.stage is GradeStage.FINAL
    assert rule.trigger.at_or_below == "requires_improvement"
    assert rule.closes == (
        ClosingCondition.ACTIONS_VERIFIED,
        ClosingCondition.IMPROVED,
        ClosingCondition.WITHDRAWN,
    )
    assert rule.recipients == ("slt",)
    assert rule.deadline.kind is DeadlineKind.WITHIN
    assert rule.deadline.within == _duration("P2M")
    assert rule.follow_up is not None
    assert rule.follow_up.every == _duration("P2M")
    assert rule.follow_up_by == ("slt",)
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.ACTION_TRACKER
    assert rule.consequence.name == "Closing the loop tracker"
    assert rule.consequence.owner == "slt"


_states = functools.partial(escalation_states_by_rule, "manchester")


def _file_audit(grade: str, *actions: AuditAction, on: date = date(2026, 3, 4)) -> Audit:
    return Audit("A1", "C1", "file_audit", on, "tm-1", "team_manager", grade, actions=actions)


@pytest.mark.parametrize("grade", ["outstanding", "good"])
def test_an_audit_with_no_gaps_does_not_go_on_the_tracker(grade: str) -> None:
    # Seed 001, QUALITY ASSURANCE ACTIVITY WALL: "Any gaps and deficits must be addressed
    # (closing the loop)". An Outstanding audit with no actions was on the tracker, and open,
    # 21 months later.
    found = _states([_file_audit(grade)], date(2027, 12, 4))
    assert "closing_the_loop_tracker" not in found
    assert found["audit_shared"].status is EscalationStatus.CLOSED


def test_gaps_stay_on_the_tracker_until_the_actions_have_made_a_difference(
    profile: Profile,
) -> None:
    # Seed 001, Quality Assurance: Management Oversight: closing the loop means "clarity re
    # required actions or monitoring to ensure the actions were completed and made a
    # difference"; SECTION 3: "Oversee the closing the Loop tracker to ensure actions are
    # completed."
    without_actions = _states([_file_audit("requires_improvement")], date(2027, 12, 4))
    assert without_actions["closing_the_loop_tracker"].status is EscalationStatus.OPEN
    verified = AuditAction(
        "A1-1",
        "update the plan",
        "tm-1",
        date(2026, 4, 4),
        status=ActionStatus.VERIFIED,
        done_on=date(2026, 4, 1),
        verified_on=date(2026, 5, 6),
    )
    found = _states([_file_audit("inadequate", verified)], date(2027, 12, 4))
    state = found["closing_the_loop_tracker"]
    assert (state.closed_on, state.closure) == (date(2026, 5, 6), Closure.ACTIONS_VERIFIED)
    assumption = next(a for a in profile.assumptions if a.id == "gaps_and_deficits")
    assert set(assumption.concerns) == {
        "$.escalation[closing_the_loop_tracker].trigger",
        "$.escalation[closing_the_loop_tracker].closes",
    }
    assert assumption.citation is not None
    assert assumption.citation.section == WALL


# -- action timescales --------------------------------------------------------------------------


def test_closing_the_loop_actions_have_assumed_timescales(profile: Profile) -> None:
    (timescale,) = profile.action_timescales
    assert timescale.id == "closing_the_loop_actions"
    assert timescale.owner == "team_manager"
    assert timescale.due is None
    assert timescale.set_in_audit
    assert timescale.default_due == _duration("P1M")
    assert timescale.review == _duration("P2M")
    assert timescale.tracked_by == ("slt",)
    assert "file_audit" in timescale.applies_to
    assert "dip_sampling" in timescale.applies_to
    assert "(closing the loop)" in (timescale.citation.quote or "")


# -- assumptions --------------------------------------------------------------------------------

ASSUMPTIONS = {
    "role_checks",
    "effective_from",
    "schedule_anchor",
    "moderation_contradiction",
    "one_per_month_per_team_manager",
    "bi_monthly",
    "forum_cadences",
    "report_destinations",
    "report_cadences",
    "report_producers",
    "siu_reports",
    "practitioner_improvement_forum",
    "monthly_qa_report",
    "management_chain",
    "generic_roles",
    "lookback_and_effort",
    "sample_sizes",
    "grading",
    "supervision_audits",
    "prose_activities",
    "example_activities",
    "concern_raisers",
    "audit_shared_deadline",
    "audit_activity_shared",
    "closing_the_loop_timescales",
    "gaps_and_deficits",
    "no_reporting_line",
    "feedback_rows",
    "dip_sampling",
    "standards_scope",
    "private_fostering_cases",
}


def test_effective_date_assumption_explains_the_undated_document(profile: Profile) -> None:
    assumption = next(a for a in profile.assumptions if a.id == "effective_from")
    assert "undated" in assumption.text
    assert "August 2019" in assumption.text
    assert "$.effective_from" in assumption.concerns


@pytest.mark.parametrize(
    ("assumption_id", "paths"),
    [
        (
            "feedback_rows",
            (
                "$.activities[children_family_feedback].reported_via",
                "$.activities[complaints_and_compliments].who",
                "$.activities[complaints_and_compliments].reported_via",
                "$.reporting_lines[feedback_directorate_lead_report]",
                "$.reporting_lines[siu_participation_feedback_report]",
            ),
        ),
        ("dip_sampling", ("$.activities[dip_sampling].who", "$.activities[dip_sampling].cadence")),
        ("standards_scope", ("$.standards",)),
    ],
)
def test_ambiguities_of_the_seed_are_recorded(
    profile: Profile, assumption_id: str, paths: tuple[str, ...]
) -> None:
    assumption = next(a for a in profile.assumptions if a.id == assumption_id)
    assert set(paths) <= set(assumption.concerns)


def test_feedback_rows_assumption_names_the_items_it_reads(profile: Profile) -> None:
    # The schedule's last block has three frequencies and outcomes for two activities.
    assert profile.activities[11].id == "children_family_feedback"
    assert profile.activities[12].id == "complaints_and_compliments"
    assert profile.reporting_lines[9].id == "feedback_directorate_lead_report"
    assert profile.reporting_lines[10].id == "siu_participation_feedback_report"
    assert profile.activities[8].id == "dip_sampling"


def test_bi_monthly_is_read_as_every_two_months(profile: Profile) -> None:
    assumption = next(a for a in profile.assumptions if a.id == "bi_monthly")
    for path in assumption.concerns:
        assert resolve_path(profile, path).value.every == _duration("P2M"), path


# -- calendar -----------------------------------------------------------------------------------


def _counts(profile: Profile, start: date, end: date) -> Counter[tuple[OccurrenceKind, str]]:
    return Counter((o.kind, o.ref) for o in profile.schedule(start, end))


@pytest.mark.parametrize(
    ("ref", "kind", "expected"),
    [
        ("file_audit", OccurrenceKind.ACTIVITY, 12),
        ("file_audit_moderation", OccurrenceKind.ACTIVITY, 12),
        ("closing_the_loop", OccurrenceKind.ACTIVITY, 6),
        ("thematic_audit_supervision", OccurrenceKind.ACTIVITY, 4),
        ("dip_sampling", OccurrenceKind.ACTIVITY, 4),
        ("thematic_audit_private_fostering", OccurrenceKind.ACTIVITY, 1),
        ("practitioner_improvement_forum", OccurrenceKind.FORUM, 6),
        ("quality_of_practice_annual_report", OccurrenceKind.REPORT, 1),
        ("seven_minute_briefing", OccurrenceKind.REPORT, 4),
        ("themed_audits", OccurrenceKind.ACTIVITY, 0),
        ("dcs_assurance_clinic", OccurrenceKind.FORUM, 0),
    ],
)
def test_financial_year_2026_27_calendar(
    profile: Profile, ref: str, kind: OccurrenceKind, expected: int
) -> None:
    counts = _counts(profile, date(2026, 4, 1), date(2027, 3, 31))
    assert counts[(kind, ref)] == expected


def test_first_financial_year_counts_from_the_anchor(profile: Profile) -> None:
    days = [
        o.day
        for o in profile.schedule(date(2020, 4, 1), date(2021, 3, 31))
        if o.ref == "closing_the_loop"
    ]
    assert days == [date(2020, m, 1) for m in (4, 6, 8, 10, 12)] + [date(2021, 2, 1)]
    quarterly = [
        o.day
        for o in profile.schedule(date(2020, 4, 1), date(2021, 3, 31))
        if o.ref == "thematic_audit_supervision"
    ]
    assert quarterly == [date(2020, 4, 1), date(2020, 7, 1), date(2020, 10, 1), date(2021, 1, 1)]


def test_file_audit_occurrences_name_the_team_manager(profile: Profile) -> None:
    occurrences = [
        o for o in profile.schedule(date(2026, 4, 1), date(2026, 4, 30)) if o.ref == "file_audit"
    ]
    assert [(o.day, o.who) for o in occurrences] == [(date(2026, 4, 1), ("Team Manager",))]


def test_unscheduled_activities(profile: Profile) -> None:
    assert {a.id for a in profile.unscheduled()} == {
        "themed_audits",
        "partnership_audits",
        "peer_audits",
        "management_oversight",
        "siu_plan_monitoring",
        "workforce_training_planning",
        "supervision_observations_about_you",
        "dispute_resolution",
        "commissioned_services_feedback",
        "peer_reviews",
        "fostering_reviews",
    }


# -- the facts the conformance kit checks -------------------------------------------------------

V = "2019-09"
GRADE_SPELLINGS = {
    "RI": "requires_improvement",
    "Requires improvement": "requires_improvement",
    "requires improvement to be good": "requires_improvement",
    "OUTSTANDING": "outstanding",
    "Inadequate": "inadequate",
}
LINE_COLUMNS = ("id", "produced_by", "to_forums", "to_roles", "cadence")
# The quotas (the fifth value of a row) are checked above.
ACTIVITY_COLUMNS = ("id", "kind", "who", "cadence", None, "reported_via")


class TestManchesterSeed(SeedConformance):
    """Manchester's profile held to qaframework's invariant suite, and to the facts above."""

    profile_id = "manchester"
    authority = "Manchester City Council"
    versions = [(V, IN_FORCE, None)]
    sources = {V: {SOURCE: "001_d27777d5f4d0e24c.txt"}}
    seed_sections = {SOURCE: HEADINGS}
    min_citations = 101
    grade_spellings = {V: GRADE_SPELLINGS}
    roles = {V: Rows(("id", "title", "generic", "abbreviations", "reports_to"), ROLES, every=True)}
    forums = {V: Rows(("id", "name", "kind"), FORUMS, every=True)}
    reporting_lines = {V: Rows(LINE_COLUMNS, REPORTING_LINES, every=True)}
    activities = {V: Rows(ACTIVITY_COLUMNS, ACTIVITIES, every=True)}
    assumptions = {V: ASSUMPTIONS}


def test_private_fostering_thematic_audit_reads_privately_fostered_children(
    profile: Profile,
) -> None:
    """SECTION 3 - Quality Assurance SCHEDULE: "Thematic Audits: ... Private Fostering". Its
    sampling rule keeps the children the case list records as privately fostered, and
    ``sample --activity`` draws exactly those; the reading is an assumption."""
    from qaframework.engine.sampling import sample_for_activity
    from qaframework.policy.sampling import Case

    rule = profile.activity("thematic_audit_private_fostering").sampling
    assert rule is not None
    assert rule.citation.quote == "Private Fostering"
    assert rule.filter is not None
    assert rule.filter.describe() == "legal status is Private Fostering"
    assumption = next(a for a in profile.assumptions if a.id == "private_fostering_cases")
    assert assumption.concerns == (
        "$.activities[thematic_audit_private_fostering].sampling.filter",
    )
    cases = [
        Case("C1", fields={"Legal Status": "Private Fostering"}),
        Case("C2", fields={"Legal Status": "CLA"}),
        Case("C3", fields={"Legal Status": "private  fostering"}),
        Case("C4"),
    ]
    sample = sample_for_activity(
        profile, "thematic_audit_private_fostering", cases, as_of=date(2026, 6, 1), seed=0
    )
    assert sample.child_ids == ("C1", "C3")
    assert [e.count for e in sample.exclusions] == [2]
