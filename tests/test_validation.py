"""Building a profile from data and reporting every problem
(``qaframework.profiles.validation``)."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from qaframework.errors import Problem, ProfileError
from qaframework.policy.profile import Profile
from qaframework.profiles.converter import to_dict
from qaframework.profiles.validation import SCHEMA_VERSION, check_profile, profile_from_data


def problems_of(document: Any, **kwargs: Any) -> list[Problem]:
    """The problems ``profile_from_data`` reports for ``document``, which must fail."""
    with pytest.raises(ProfileError) as caught:
        profile_from_data(document, "broken.toml", **kwargs)
    assert caught.value.source == "broken.toml"
    return list(caught.value.problems)


def only_problem(document: Any) -> Problem:
    found = problems_of(document)
    assert len(found) == 1, found
    return found[0]


def test_the_example_loads(example_document: dict[str, Any]) -> None:
    profile = profile_from_data(example_document, "exampleshire.toml")
    assert profile.id == "exampleshire"
    assert profile.effective_from == date(2026, 1, 5)
    assert profile.schedule_anchor == date(2026, 4, 1)
    assert profile.effective_to is None
    assert len(profile.activities) == 8
    assert profile.grade_scale.good_or_better == "good"


def test_plain_data_of_a_profile_loads_back(example_profile: Profile) -> None:
    data = json.loads(json.dumps(to_dict(example_profile)))
    assert profile_from_data(data) == example_profile


def test_schema_may_be_omitted(example_document: dict[str, Any]) -> None:
    del example_document["schema"]
    assert profile_from_data(example_document).id == "exampleshire"
    assert SCHEMA_VERSION == 1


def test_a_broken_document_reports_every_problem_at_once(
    example_document: dict[str, Any],
) -> None:
    doc = example_document
    doc["schema"] = 2
    doc["appendix"] = {"notes": "misplaced"}
    doc["roles"][4]["title"] = 7  # wrong type
    doc["activities"][0]["who"] = ["team_manager", "area_manager"]  # unknown role
    doc["standards"].append(copy.deepcopy(doc["standards"][0]) | {"title": "Again"})  # dup id
    del doc["forums"][0]["citation"]  # missing citation
    doc["escalation"][0]["trigger"]["at_or_below"] = "terrible"  # unknown grade
    doc["roles"][1]["citation"]["source"] = "ofsted_handbook"  # unknown source document
    doc["forums"][1]["cadence"] = "monthly"  # not a cadence
    doc["grade_scale"]["grades"][0]["ilacs"] = "inadequate"  # crosswalk not monotone
    doc["roles"][3]["reports_to"] = "social_worker"  # the chain loops back to the top

    found = problems_of(doc)

    expected = [
        ("$.schema", "unsupported schema 2; this release reads 1"),
        ("$.appendix", "unknown section 'appendix'"),
        ("$.roles[4].title", "expected a string, got int 7"),
        ("$.activities[0].who[1]", "unknown role 'area_manager' (declared: director,"),
        ("$.standards[2].id", "duplicate id 'assessment' (also standards[0])"),
        ("$.forums[0].citation", "required field missing"),
        ("$.escalation[0].trigger.at_or_below", "unknown grade 'terrible'"),
        ("$.roles[1].citation.source", "unknown source document 'ofsted_handbook' (declared: qaf)"),
        ("$.forums[1].cadence", "'monthly' is not a cadence"),
        ("$.grade_scale.grades", "the ILACS crosswalk is not monotone"),
        ("$.roles[0].reports_to", "the management chain loops: social_worker -> team_manager"),
    ]
    for path, fragment in expected:
        assert any(p.path == path and fragment in p.message for p in found), (path, found)
    assert len(found) == len(expected), found
    # The role that failed to structure still lends its id: no "unknown role 'qa_manager'".
    assert not any("'qa_manager'" in p.message for p in found)


def test_problems_come_in_document_order(example_document: dict[str, Any]) -> None:
    example_document["action_timescales"][0]["owner"] = "nobody"
    example_document["roles"][2]["generic"] = "boss"
    example_document["activities"][2]["who"] = ["nobody"]
    example_document["activities"][0]["who"] = ["nobody"]
    paths = [p.path for p in problems_of(example_document)]
    assert paths == [
        "$.roles[2].generic",
        "$.activities[0].who[0]",
        "$.activities[2].who[0]",
        "$.action_timescales[0].owner",
    ]


def test_error_message_lists_the_problems(example_document: dict[str, Any]) -> None:
    example_document["roles"][0]["generic"] = "boss"
    with pytest.raises(ProfileError) as caught:
        profile_from_data(example_document, "exampleshire.toml")
    lines = str(caught.value).splitlines()
    assert lines[0] == "exampleshire.toml: 1 problem"
    assert lines[1].startswith("  $.roles[0].generic: expected one of 'practitioner',")


@pytest.mark.parametrize("schema", ["1", 1.5, True, 0])
def test_schema_must_be_the_integer_this_release_reads(
    example_document: dict[str, Any], schema: object
) -> None:
    example_document["schema"] = schema
    problem = only_problem(example_document)
    assert problem.path == "$.schema"
    assert "unsupported schema" in problem.message


def test_not_a_table() -> None:
    assert problems_of([1, 2]) == [Problem("$", "a profile is a table of sections")]


def test_missing_sections(example_document: dict[str, Any]) -> None:
    del example_document["roles"]
    del example_document["version"]
    found = problems_of(example_document)
    missing = "missing: every profile has it; write roles = [] when the source has none"
    assert Problem("$.roles", missing) in found
    assert Problem("$.version", "missing: every profile has it") in found
    # With the roles section absent, role references are not reported one by one as well.
    assert not any("unknown role" in p.message for p in found)
    assert len(found) == 2


def test_a_section_of_the_wrong_shape(example_document: dict[str, Any]) -> None:
    example_document["roles"] = {"id": "team_manager"}
    example_document["effective_from"] = "5 January 2026"
    found = {p.path: p.message for p in problems_of(example_document)}
    assert found["$.roles"] == "expected a list, got dict {'id': 'team_manager'}"
    assert "expected an ISO 8601 date" in found["$.effective_from"]


def test_an_item_of_the_wrong_shape(example_document: dict[str, Any]) -> None:
    example_document["standards"][1] = "planning"
    example_document["activities"][0]["standards"] = ["assessment"]
    assert only_problem(example_document) == Problem(
        "$.standards[1]", "expected a table of fields, got str 'planning'"
    )


def test_ids_must_be_identifiers(example_document: dict[str, Any]) -> None:
    example_document["standards"][1]["id"] = "Planning"
    example_document["activities"][0]["standards"] = ["assessment", "Planning"]
    problem = only_problem(example_document)
    assert problem == Problem(
        "$.standards[1].id", "id 'Planning' is not a lower_snake_case identifier"
    )


def test_grade_scale_checks(example_document: dict[str, Any]) -> None:
    grades = example_document["grade_scale"]["grades"]
    grades[1]["code"] = "outstanding"
    grades[3]["synonyms"] = ["ri"]
    grades[2]["code"] = "Requires-Improvement"
    example_document["grade_scale"]["good_or_better"] = "meets_good"
    example_document["moderation"][0]["selection"][1]["grade"] = "requires_improvement"
    found = problems_of(example_document)
    messages = {(p.path, p.message) for p in found}
    assert (
        "$.grade_scale.grades[1].code",
        "duplicate grade code 'outstanding' (also grades[0])",
    ) in messages
    assert (
        "$.grade_scale.grades[2].code",
        "grade code 'Requires-Improvement' is not a lower_snake_case identifier",
    ) in messages
    assert (
        "$.grade_scale.grades[3].synonyms",
        "'ri' would read as both 'Requires-Improvement' and 'inadequate'",
    ) in messages
    assert any(
        p.path == "$.grade_scale.good_or_better" and "unknown grade 'meets_good'" in p.message
        for p in found
    )
    assert any(
        p.path == "$.moderation[0].selection[1].grade"
        and "unknown grade 'requires_improvement'" in p.message
        for p in found
    )


def test_a_scale_needs_two_grades(example_document: dict[str, Any]) -> None:
    scale = example_document["grade_scale"]
    scale["grades"] = scale["grades"][:1]
    scale["good_or_better"] = "outstanding"
    example_document["escalation"][0]["trigger"]["at_or_below"] = "outstanding"
    example_document["escalation"][1]["trigger"]["at_or_below"] = "outstanding"
    example_document["moderation"][0]["selection"][1]["grade"] = "outstanding"
    example_document["escalation"][3]["trigger"]["at_or_below"] = "outstanding"
    assert only_problem(example_document) == Problem(
        "$.grade_scale.grades", "has 1 grade; a scale needs two or more"
    )


def test_a_role_cannot_report_to_itself(example_document: dict[str, Any]) -> None:
    example_document["roles"][3]["reports_to"] = "director"
    found = problems_of(example_document)
    assert Problem("$.roles[3].reports_to", "role 'director' cannot report to itself") in found


def test_a_loop_is_reported_once(example_document: dict[str, Any]) -> None:
    example_document["roles"][3]["reports_to"] = "head_of_service"
    problem = only_problem(example_document)
    assert problem.path == "$.roles[2].reports_to"
    assert problem.message == (
        "the management chain loops: head_of_service -> director -> head_of_service"
    )


def test_reference_checks_across_sections(example_document: dict[str, Any]) -> None:
    doc = example_document
    doc["forums"][0]["chair"] = "mayor"
    doc["reporting_lines"][0]["to_forums"] = ["cabinet"]
    doc["activities"][2]["reported_via"] = ["weekly_report"]
    doc["activities"][0]["quota"]["per_role"] = "area_manager"
    doc["moderation"][0]["applies_to"] = ["themed_audit"]
    doc["escalation"][1]["consequence"]["monitored_in"] = ["cabinet"]
    doc["action_timescales"][0]["reviewed_in"] = ["panel"]
    found = {p.path: p.message for p in problems_of(doc)}
    assert found == {
        "$.forums[0].chair": "unknown role 'mayor' (declared: director, head_of_service, "
        "qa_manager, social_worker, team_manager)",
        "$.reporting_lines[0].to_forums[0]": "unknown forum 'cabinet' (declared: qa_board, "
        "supervision)",
        "$.activities[0].quota.per_role": "unknown role 'area_manager' (declared: director, "
        "head_of_service, qa_manager, social_worker, team_manager)",
        "$.activities[2].reported_via[0]": "unknown reporting line 'weekly_report' (declared: "
        "monthly_qa_report)",
        "$.moderation[0].applies_to[0]": "unknown activity 'themed_audit' (declared: "
        "case_file_audit, closure_check, feedback, light_audit, panel_review, "
        "practice_observations, thematic_audit, transfer_audit)",
        "$.escalation[1].consequence.monitored_in[0]": "unknown forum 'cabinet' (declared: "
        "qa_board, supervision)",
        "$.action_timescales[0].reviewed_in[0]": "unknown forum 'panel' (declared: qa_board, "
        "supervision)",
    }


def test_empty_lists_where_something_is_required(example_document: dict[str, Any]) -> None:
    doc = example_document
    doc["activities"][2]["who"] = []
    doc["reporting_lines"][0]["produced_by"] = []
    doc["reporting_lines"][0]["to_forums"] = []
    doc["moderation"][0]["moderators"] = []
    doc["moderation"][0]["outcomes"] = []
    doc["escalation"][2]["recipients"] = []
    found = {p.path: p.message for p in problems_of(doc)}
    assert found == {
        "$.activities[2].who": "names no one who undertakes it",
        "$.reporting_lines[0].produced_by": "names no one who produces the report",
        "$.reporting_lines[0]": "goes to no forum and no role (give to_forums, to_roles or both)",
        "$.moderation[0].moderators": "names no moderator",
        "$.moderation[0].outcomes": "allows no outcome",
        "$.escalation[2].recipients": (
            'names no one to tell (write "not stated" where the source does not say)'
        ),
    }


def test_a_citation_names_its_section(example_document: dict[str, Any]) -> None:
    example_document["standards"][0]["citation"]["section"] = "  "
    assert only_problem(example_document) == Problem(
        "$.standards[0].citation.section", "the citation names no section"
    )


def test_an_escalation_deadline_after_its_follow_up(example_document: dict[str, Any]) -> None:
    example_document["escalation"][1]["deadline"] = {"kind": "working_days", "working_days": 10}
    problem = only_problem(example_document)
    assert problem.path == "$.escalation[1].deadline"
    assert problem.message == (
        "deadline (within 10 working days) is later than the follow-up (every week)"
    )


def test_a_follow_up_is_periodic(example_document: dict[str, Any]) -> None:
    example_document["escalation"][1]["follow_up"] = "ongoing"
    assert only_problem(example_document) == Problem(
        "$.escalation[1].follow_up",
        "follow-up 'ongoing' has no period (write P1W, P1M ..., or \"not stated\")",
    )


def test_invalid_values_inside_items(example_document: dict[str, Any]) -> None:
    example_document["escalation"][2]["trigger"] = {"kind": "concern"}
    example_document["moderation"][0]["selection"][0]["proportion"] = 1.5
    example_document["action_timescales"][0]["review"] = "P1W"
    found = {p.path: p.message for p in problems_of(example_document)}
    assert found == {
        "$.moderation[0].selection[0]": "proportion must be in (0, 1], got 1.5",
        "$.escalation[2].trigger": "a concern trigger names the concern",
        "$.action_timescales[0]": "review P1W comes before due P1M",
    }


def test_effective_to_before_effective_from(example_document: dict[str, Any]) -> None:
    example_document["effective_to"] = date(2025, 12, 31)
    assert only_problem(example_document) == Problem(
        "$.effective_to", "ends (2025-12-31) before it starts (2026-01-05)"
    )


def test_assumption_concerns_are_paths(example_document: dict[str, Any]) -> None:
    example_document["assumptions"][0]["concerns"] = ["$.schedule_anchor", "schedule_anchor"]
    assert only_problem(example_document) == Problem(
        "$.assumptions[0].concerns[1]",
        "'schedule_anchor' is not a profile path: a path starts with '$.'",
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("$.nowhere", "no section 'nowhere'"),
        ("$.activities[9]", "no item [9]"),
        ("$.activities[0].frequency", "no field 'frequency'"),
        ("$.activities[0].quota.count[0]", "[0] of a non-list"),
        ("$.activities..who", "cannot read '..who'"),
        ("$.activities[case_file_audit].frequency", "no field 'frequency'"),
        ("$.activities[file_audit].who", "no item 'file_audit' in $.activities (known: "),
        ("$.grade_scale.grades[great].label", "no item 'great' in $.grade_scale.grades"),
    ],
)
def test_assumption_concerns_point_into_the_profile(
    example_document: dict[str, Any], path: str, reason: str
) -> None:
    example_document["assumptions"][0]["concerns"] = ["$.activities[0].quota.per_role", path]
    problem = only_problem(example_document)
    assert problem.path == "$.assumptions[0].concerns[1]"
    assert reason in problem.message


def test_assumption_concerns_into_a_broken_section_are_not_judged(
    example_document: dict[str, Any],
) -> None:
    example_document["assumptions"][0]["concerns"] = ["$.activities[0].who"]
    example_document["activities"][0]["graded"] = "yes"
    assert only_problem(example_document).path == "$.activities[0].graded"


def test_references_in_new_fields(example_document: dict[str, Any]) -> None:
    escalation = example_document["escalation"][1]
    escalation["raised_by"] = ["qa_manager", "caseworker"]
    escalation["follow_up_by"] = ["qa_manager", "auditor"]
    escalation["consequence"]["circulated_to"] = ["director", "board"]
    example_document["action_timescales"][0]["grades"] = ["good", "meets_good"]
    found = {(p.path, p.message.split(" (")[0]) for p in problems_of(example_document)}
    assert found == {
        ("$.escalation[1].raised_by[1]", "unknown role 'caseworker'"),
        ("$.escalation[1].follow_up_by[1]", "unknown role 'auditor'"),
        ("$.escalation[1].consequence.circulated_to[1]", "unknown role 'board'"),
        ("$.action_timescales[0].grades[1]", "unknown grade 'meets_good'"),
    }


def test_extra_checks_run_on_the_built_profile(example_document: dict[str, Any]) -> None:
    seen: list[Profile] = []

    def extra(profile: Profile) -> list[Problem]:
        seen.append(profile)
        return [Problem("$.activities", f"{len(profile.activities)} activities is too few")]

    found = problems_of(example_document, extra_checks=extra)
    assert found == [Problem("$.activities", "8 activities is too few")]
    assert [p.id for p in seen] == ["exampleshire"]
    assert profile_from_data(example_document, extra_checks=lambda _: []).id == "exampleshire"


def test_extra_checks_do_not_run_on_invalid_data(example_document: dict[str, Any]) -> None:
    example_document["roles"][0]["generic"] = "boss"
    calls: list[Profile] = []

    def extra(profile: Profile) -> list[Problem]:
        calls.append(profile)
        return []

    problems_of(example_document, extra_checks=extra)
    assert calls == []


def test_check_profile_on_structured_sections(example_profile: Profile) -> None:
    assert check_profile({"roles": example_profile.roles}) == []
    assert check_profile({"roles": example_profile.roles, "forums": example_profile.forums}) == []
    # The ids of a section can be supplied separately, as for items that failed to structure.
    found = check_profile({"forums": example_profile.forums}, ids={"roles": {"director"}})
    assert found == [
        Problem("$.forums[0].members[0]", "unknown role 'head_of_service' (declared: director)"),
        Problem("$.forums[0].members[1]", "unknown role 'qa_manager' (declared: director)"),
    ]


def test_effort_hours_must_be_finite(example_document: dict[str, Any]) -> None:
    # TOML has nan and inf literals; neither is a number of hours.
    example_document["activities"][0]["effort"]["min_hours"] = float("nan")
    problem = only_problem(example_document)
    assert problem.path == "$.activities[0].effort"
    assert "effort hours must be positive and finite, got nan" in problem.message


# -- quotas held by several roles, case filters, per-case event cadences ----------------------


def _activity(document: dict[str, Any], activity_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in document["activities"] if a["id"] == activity_id)
    return found


def test_the_new_rule_kinds_load(example_document: dict[str, Any]) -> None:
    profile = profile_from_data(example_document)
    observations = profile.activity("practice_observations")
    assert [(q.count, q.per_role) for q in observations.quotas] == [
        (2, "team_manager"),
        (1, "head_of_service"),
    ]
    rule = profile.activity("thematic_audit").sampling
    assert rule is not None
    assert rule.filter is not None
    assert rule.filter.fields() == ("legal_status", "age_band", "disability", "placement_type")
    assert str(profile.activity("closure_check").cadence) == "before-event:case_closure/2WD"
    assert str(profile.activity("panel_review").cadence) == "after-event:panel/P12M/then/P1Y"
    assert profile.case_field("placement_type").name == "Placement Type"
    # A single quota is still one table, read as it always was.
    assert (
        profile.activity("case_file_audit").quota == profile.activity("case_file_audit").quotas[0]
    )


def test_several_quotas_each_owed_per_a_role_of_its_own(example_document: dict[str, Any]) -> None:
    quotas = _activity(example_document, "practice_observations")["quota"]
    quotas[1]["per_role"] = "team_manager"
    quotas.append({"count": 1, "unit": "observation", "per": "supervisee"})
    found = {(p.path, p.message) for p in problems_of(example_document)}
    assert found == {
        (
            "$.activities[3].quota[1].per_role",
            "role 'team_manager' has two quotas here (also [0]); give each role one",
        ),
        (
            "$.activities[3].quota[2].per",
            "each of several quotas is owed per a role (per_role), not per 'supervisee'",
        ),
        (
            "$.activities[3].quota[2].per_role",
            "each of several quotas names the role it is owed per",
        ),
    }


def test_every_quota_of_a_list_is_read(example_document: dict[str, Any]) -> None:
    quotas = _activity(example_document, "practice_observations")["quota"]
    quotas[0]["count"] = "two"
    quotas.append({"count": 1, "per_role": "director"})
    found = {(p.path, p.message) for p in problems_of(example_document)}
    assert found == {
        ("$.activities[3].quota[0].count", "expected an integer, got str 'two'"),
        ("$.activities[3].quota[2].unit", "required field missing"),
    }


@pytest.mark.parametrize(
    ("quota", "message"),
    [([], "an empty list of quotas"), ("two", "expected a quota table or a list of quota tables")],
)
def test_a_quota_is_a_table_or_a_list_of_them(
    example_document: dict[str, Any], quota: Any, message: str
) -> None:
    _activity(example_document, "practice_observations")["quota"] = quota
    problem = only_problem(example_document)
    assert problem.path == "$.activities[3].quota"
    assert message in problem.message


def test_a_case_filter_names_known_or_declared_fields(example_document: dict[str, Any]) -> None:
    sampling = _activity(example_document, "thematic_audit")["sampling"]
    tests = sampling["filter"]["all"]
    tests[0]["field"] = "legal_state"
    tests[2]["none"][0]["values"] = ["Placed with parents", "Hotel"]
    found = {(p.path, p.message) for p in problems_of(example_document)}
    known = (
        "age_band, disability, ethnicity, gender, legal_status, placement_type, service_area, "
        "team, worker"
    )
    assert found == {
        (
            "$.activities[4].sampling.filter.all[0].field",
            f"unknown case field 'legal_state': declare it in case_fields (known: {known})",
        ),
        (
            "$.activities[4].sampling.filter.all[2].none[0].values[1]",
            "'Hotel' is not a value of case field 'placement_type' (declared: Foster care, "
            "Residential, Kinship, Placed with parents)",
        ),
    }


def test_every_part_of_a_filter_is_read(example_document: dict[str, Any]) -> None:
    tests = _activity(example_document, "thematic_audit")["sampling"]["filter"]["all"]
    tests[1]["any"][1]["values"] = []
    tests[1]["any"][0]["compare"] = "is"
    tests.append({"all": [{"field": "team", "values": ["North"]}], "field": "team"})
    found = {(p.path, p.message) for p in problems_of(example_document)}
    assert found == {
        (
            "$.activities[4].sampling.filter.all[1].any[0].compare",
            "expected one of 'in', 'not_in', got str 'is'",
        ),
        (
            "$.activities[4].sampling.filter.all[1].any[1]",
            "the test of field 'disability' gives at least one value",
        ),
        (
            "$.activities[4].sampling.filter.all[3]",
            "a filter is one of: a field test (field, compare, values), all, any or none; this "
            "one gives field, all; the test of field 'team' gives at least one value",
        ),
    }


def test_case_fields_are_a_section_with_ids(example_document: dict[str, Any]) -> None:
    example_document["case_fields"].append(
        {
            "id": "placement_type",
            "name": " ",
            "values": ["A", "a"],
            "citation": {"source": "qaf", "section": "9"},
        }
    )
    found = {(p.path, p.message) for p in problems_of(example_document)}
    assert found == {
        ("$.case_fields[1].id", "duplicate id 'placement_type' (also case_fields[0])"),
        ("$.case_fields[1].name", "a case field names the column that holds it"),
        ("$.case_fields[1].values[1]", "'a' is listed twice"),
    }


def test_a_per_case_event_cadence_is_owed_per_subject(example_document: dict[str, Any]) -> None:
    closure = _activity(example_document, "closure_check")
    closure["quota"] = {"count": 1, "unit": "check", "per_role": "team_manager", "period": "P1M"}
    panel = _activity(example_document, "panel_review")
    del panel["quota"]
    closure_text = "the cadence before-event:case_closure/2WD"
    found = {(p.path, p.message) for p in problems_of(example_document)}
    assert found == {
        (
            "$.activities[5].quota.per",
            f"{closure_text} counts each subject's own case events: the quota is owed per that "
            'subject (per = "child")',
        ),
        (
            "$.activities[5].quota.period",
            f"{closure_text} says by when each is due; a quota period does not apply",
        ),
        (
            "$.activities[6].quota",
            "the cadence after-event:panel/P12M/then/P1Y is owed for each case: give a quota "
            'owed per subject, such as { count = 1, unit = "audit", per = "child" }',
        ),
    }


@pytest.mark.parametrize(
    ("cadence", "message"),
    [
        ("before-event:case_closure/then/P1Y", "'then' follows a first delay"),
        ("after-event:panel/P12M/then", "one delay"),
        ("before-event:Case Closure", "lower_snake_case"),
    ],
)
def test_a_per_case_event_cadence_string_is_checked(
    example_document: dict[str, Any], cadence: str, message: str
) -> None:
    _activity(example_document, "closure_check")["cadence"] = cadence
    problem = only_problem(example_document)
    assert problem.path == "$.activities[5].cadence"
    assert message in problem.message


# -- every problem of one item, in one run ------------------------------------------------------


def test_an_extra_field_hides_neither_a_bad_value_nor_a_non_monotone_crosswalk(
    example_document: dict[str, Any],
) -> None:
    """The grade scale has a misspelt key, a grade with an unknown ILACS judgement, and a best
    grade mapped to Inadequate: all three are reported at once."""
    scale = example_document["grade_scale"]
    scale["colour"] = "blue"
    scale["grades"][1]["ilacs"] = "grand"
    scale["grades"][0]["ilacs"] = "inadequate"
    found = {(p.path, p.message) for p in problems_of(example_document)}
    assert found == {
        ("$.grade_scale", "extra fields found (colour)"),
        (
            "$.grade_scale.grades[1].ilacs",
            "expected one of 'outstanding', 'good', 'requires_improvement', 'inadequate', got "
            "str 'grand'",
        ),
        (
            "$.grade_scale.grades",
            "the ILACS crosswalk is not monotone: a better grade maps to a worse judgement "
            "(outstanding->inadequate, requires_improvement->requires_improvement, "
            "inadequate->inadequate)",
        ),
    }


def test_a_misspelt_key_hides_no_other_problem_of_its_item(
    example_document: dict[str, Any],
) -> None:
    rule = example_document["escalation"][0]
    rule["colour"] = "blue"
    rule["notify_auditor"] = "yes"
    rule["recipients"] = ["nobody"]
    rule["applies_to"] = ["nowhere"]
    assert {p.path for p in problems_of(example_document)} == {
        "$.escalation[0]",
        "$.escalation[0].applies_to[0]",
        "$.escalation[0].notify_auditor",
        "$.escalation[0].recipients[0]",
    }


def test_a_part_left_out_of_a_broken_item_is_not_reported_again(
    example_document: dict[str, Any],
) -> None:
    """A reporting line whose destinations cannot be read is not also reported as going
    nowhere: the salvaged line left them out."""
    line = example_document["reporting_lines"][0]
    line["to_forums"] = "qa_board"  # a string, not a list
    line["produced_by"] = ["nobody"]
    found = {(p.path, p.message.split(",")[0]) for p in problems_of(example_document)}
    assert found == {
        ("$.reporting_lines[0].to_forums", "expected a list"),
        ("$.reporting_lines[0].produced_by[0]", "unknown role 'nobody' (declared: director"),
    }


def test_an_unknown_id_among_many_names_the_nearest_not_every_one(
    example_document: dict[str, Any],
) -> None:
    # A profile declaring dozens of roles: a wrong reference is one line, not every role.
    doc = example_document
    template = doc["roles"][0]
    doc["roles"] += [
        copy.deepcopy(template) | {"id": f"locality_manager_{n}", "title": f"Manager {n}"}
        for n in range(40)
    ]
    doc["activities"][0]["who"] = ["team_manger", "zzz"]
    found = {p.path: p.message for p in problems_of(doc)}
    count = len(doc["roles"])
    # The nearest first (difflib's ratio): the role meant, then at most two more.
    assert found["$.activities[0].who[0]"].startswith(
        f"unknown role 'team_manger' ({count} declared; nearest: team_manager"
    )
    assert found["$.activities[0].who[1]"] == (
        f"unknown role 'zzz' ({count} declared; none like it)"
    )
    assert "locality_manager_7" not in found["$.activities[0].who[0]"]
