"""The invariants every profile keeps (``qaframework.profiles.invariants``).

Each invariant is broken on purpose, on the example profile or on a random council, and must
report the problem with its path; the installed profiles and every random council keep all
of them. Profiles are broken in Python (``attrs.evolve``) where validation would refuse the
data: the suite must stand on its own, for profiles a plugin builds in code.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, get_args

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qaframework
from qaframework import hookimpl
from qaframework.errors import Problem
from qaframework.policy.cadence import Cadence, IsoDuration, Quota
from qaframework.policy.case_filters import CaseFilter
from qaframework.policy.citations import Assumption, Citation
from qaframework.policy.escalation import Deadline, DeadlineKind
from qaframework.policy.grades import Ilacs
from qaframework.policy.moderation import ModerationPolicy, SelectionKind, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import SamplingMethod, SamplingRule
from qaframework.profiles.converter import to_dict
from qaframework.profiles.invariants import (
    FILL_IN,
    INVARIANTS,
    REFERENCE_FIELDS,
    VERSION_INVARIANTS,
    check_invariants,
    check_versions,
    core_sample_size,
    hook_sample_size,
)
from qaframework.profiles.plugins import plugins_for_tests
from qaframework.profiles.registry import get_registry
from qaframework.profiles.validation import profile_from_data
from qaframework.testing import strategies as qst

VERSIONS = [
    (info.id, version.effective_from)
    for info in qaframework.available_profiles()
    for version in info.versions
]
CITE = Citation("qaf", "5.1 Moderation")


def problems(profile: Profile, invariant: str, **kwargs: Any) -> list[Problem]:
    (found,) = [i for i in INVARIANTS if i.id == invariant]
    return found.check(profile, **kwargs)


def paths(found: list[Problem]) -> list[str]:
    return [p.path for p in found]


def edit(profile: Profile, section: str, index: int, **changes: Any) -> Profile:
    """``profile`` with item ``index`` of ``section`` changed."""
    items = list(getattr(profile, section))
    items[index] = attrs.evolve(items[index], **changes)
    return attrs.evolve(profile, **{section: tuple(items)})


@pytest.fixture
def reported(example_profile: Profile) -> Profile:
    """The example profile with its one unreported activity's silence recorded."""
    note = Assumption(
        "silent", "The source names no report.", ("$.activities[transfer_audit].reported_via",)
    )
    return attrs.evolve(example_profile, assumptions=(*example_profile.assumptions, note))


# -- the real profiles ----------------------------------------------------------------


@pytest.mark.parametrize(("profile_id", "effective_from"), VERSIONS)
def test_installed_profiles_keep_every_invariant(profile_id: str, effective_from: date) -> None:
    profile = qaframework.load_profile(profile_id, as_of=effective_from)
    assert check_invariants(profile, sample_size=hook_sample_size(profile)) == []


@pytest.mark.parametrize("profile_id", sorted({profile_id for profile_id, _ in VERSIONS}))
def test_installed_profiles_versions_keep_every_invariant(profile_id: str) -> None:
    assert check_versions(get_registry().load_all_versions(profile_id)) == []


def test_the_example_keeps_every_invariant_once_its_silence_is_recorded(
    example_profile: Profile, reported: Profile
) -> None:
    assert check_invariants(example_profile) == [
        Problem(
            "$.activities[1].reported_via",
            "'Audit at case transfer' has no reporting line, and no assumption names "
            "$.activities[transfer_audit].reported_via to record that its source gives none",
        )
    ]
    assert check_invariants(reported) == []


def test_invariants_have_unique_ids_and_statements() -> None:
    ids = [i.id for i in (*INVARIANTS, *VERSION_INVARIANTS)]
    assert len(ids) == len(set(ids))
    assert all(i.statement for i in (*INVARIANTS, *VERSION_INVARIANTS))


# -- references -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "index", "changes", "path", "message"),
    [
        ("activities", 0, {"who": ("team_manager", "area_manager")}, "$.activities[0].who[1]",
         "role 'area_manager' is not declared"),
        ("activities", 0, {"standards": ("assessment", "voice")}, "$.activities[0].standards[1]",
         "standard 'voice' is not declared"),
        ("activities", 0, {"reported_via": ("weekly_report",)}, "$.activities[0].reported_via[0]",
         "reporting line 'weekly_report' is not declared"),
        ("activities", 1, {"logged_as": "missing_audit"}, "$.activities[1].logged_as",
         "activity 'missing_audit' is not declared"),
        ("reporting_lines", 0, {"to_forums": ("cabinet",)}, "$.reporting_lines[0].to_forums[0]",
         "forum 'cabinet' is not declared"),
        ("forums", 0, {"chair": "mayor"}, "$.forums[0].chair", "role 'mayor' is not declared"),
        ("roles", 0, {"reports_to": "nobody"}, "$.roles[0].reports_to",
         "role 'nobody' is not declared"),
        ("moderation", 0, {"applies_to": ("case_file_audit", "dip")},
         "$.moderation[0].applies_to[1]", "activity 'dip' is not declared"),
        ("escalation", 2, {"conditional_recipients": ("dcs",)},
         "$.escalation[2].conditional_recipients[0]", "role 'dcs' is not declared"),
        ("action_timescales", 0, {"grades": ("terrible",)}, "$.action_timescales[0].grades[0]",
         "grade 'terrible' is not declared"),
        ("action_timescales", 0, {"reviewed_in": ("panel",)},
         "$.action_timescales[0].reviewed_in[0]", "forum 'panel' is not declared"),
    ],
)  # fmt: skip
def test_an_undeclared_reference_is_reported_with_its_path(
    reported: Profile,
    section: str,
    index: int,
    changes: dict[str, Any],
    path: str,
    message: str,
) -> None:
    broken = edit(reported, section, index, **changes)
    found = problems(broken, "references")
    assert paths(found) == [path]
    assert message in found[0].message


def test_nested_references_are_checked(reported: Profile) -> None:
    trigger = attrs.evolve(reported.escalation[0].trigger, at_or_below="terrible")
    broken = edit(reported, "escalation", 0, trigger=trigger)
    scale = attrs.evolve(reported.grade_scale, good_or_better="great")
    broken = attrs.evolve(broken, grade_scale=scale)
    assert paths(problems(broken, "references")) == [
        "$.grade_scale.good_or_better",
        "$.escalation[0].trigger.at_or_below",
    ]


def test_duplicate_ids_are_reported(reported: Profile) -> None:
    broken = attrs.evolve(reported, standards=(*reported.standards, reported.standards[0]))
    found = problems(broken, "references")
    assert paths(found) == ["$.standards[2].id"]
    assert "duplicate id 'assessment' (also standards[0])" in found[0].message


def _text_fields(cls: type, seen: set[type]) -> set[tuple[type, str]]:
    """Every field holding text (an id or free text) in the model reachable from ``cls``."""
    if cls in seen or not attrs.has(cls):
        return set()
    seen.add(cls)
    attrs.resolve_types(cls)
    found: set[tuple[type, str]] = set()
    for field in attrs.fields(cls):
        if not field.init:
            continue
        kinds = set(get_args(field.type)) | {field.type}
        for kind in list(kinds):
            kinds.update(get_args(kind))
        if str in kinds:
            found.add((cls, field.alias))
        for kind in kinds:
            if isinstance(kind, type):
                found |= _text_fields(kind, seen)
    return found


# Text that names nothing in another section. A new text field must be added here or to
# REFERENCE_FIELDS: the references invariant cannot silently miss a new kind of reference.
FREE_TEXT = {
    "id", "name", "title", "authority", "version", "summary", "text", "concerns", "section",
    "quote", "file", "issued", "replaces", "notes", "description", "label", "synonyms",
    "code", "abbreviations", "aliases", "report", "outcome", "unit", "per", "criteria",
    "strata", "recorded_on", "until", "what_good_looks_like", "how_measured", "events",
    "from_event", "until_event", "values", "question",
}  # fmt: skip


def test_every_text_field_is_a_checked_reference_or_free_text() -> None:
    unclassified = {
        f"{cls.__name__}.{name}"
        for cls, name in _text_fields(Profile, set())
        if name not in REFERENCE_FIELDS.get(cls, {}) and name not in FREE_TEXT
    }
    assert unclassified == set()


# -- activities -----------------------------------------------------------------------


def test_an_activity_without_a_reporting_line_needs_an_assumption(
    example_profile: Profile,
) -> None:
    def with_concern(concern: str) -> Profile:
        note = Assumption("silent", "The source names no report.", (concern,))
        return attrs.evolve(example_profile, assumptions=(note,))

    assert problems(with_concern("$.activities[1]"), "activities") == []
    assert problems(with_concern("$.activities[1].reported_via"), "activities") == []
    # An assumption about another field of the activity says nothing of its reporting.
    assert paths(problems(with_concern("$.activities[1].cadence"), "activities")) == [
        "$.activities[1].reported_via"
    ]


def test_an_activity_needs_an_owner_and_a_cadence(reported: Profile) -> None:
    broken = edit(reported, "activities", 2, who=(), cadence=None)
    found = problems(broken, "activities")
    assert paths(found) == ["$.activities[2].who", "$.activities[2].cadence"]
    assert found[0].message == "'Children and family feedback' names no owner"


# -- escalation -----------------------------------------------------------------------


def test_an_escalation_needs_recipients(reported: Profile) -> None:
    found = problems(edit(reported, "escalation", 0, recipients=()), "escalation")
    assert paths(found) == ["$.escalation[0].recipients"]


def test_a_deadline_later_than_the_follow_up_is_reported(reported: Profile) -> None:
    late = Deadline(DeadlineKind.WITHIN, within=IsoDuration(months=1))
    found = problems(edit(reported, "escalation", 1, deadline=late), "escalation")
    assert found == [
        Problem(
            "$.escalation[1].deadline",
            "deadline (within 1 month) is later than the follow-up (every week)",
        )
    ]


def test_a_deadline_equal_to_the_follow_up_is_kept(reported: Profile) -> None:
    week = Deadline(DeadlineKind.WITHIN, within=IsoDuration(weeks=1))
    assert problems(edit(reported, "escalation", 1, deadline=week), "escalation") == []


def test_a_follow_up_is_periodic(reported: Profile) -> None:
    broken = edit(reported, "escalation", 1, follow_up=Cadence.ongoing())
    assert paths(problems(broken, "escalation")) == ["$.escalation[1].follow_up"]


def test_a_next_cycle_deadline_needs_a_cycle(reported: Profile) -> None:
    next_cycle = Deadline(DeadlineKind.NEXT_CYCLE)
    # The transfer audit happens on case events: it has no cycle to count to.
    on_events = edit(reported, "escalation", 0, deadline=next_cycle, applies_to=("transfer_audit",))
    found = problems(on_events, "escalation")
    assert paths(found) == ["$.escalation[0].deadline"]
    assert "none of the activities it applies to recurs on a calendar" in found[0].message
    # The monthly case file audit has one; a weekly follow-up comes before it is due.
    monthly = edit(reported, "escalation", 1, deadline=next_cycle, applies_to=("case_file_audit",))
    assert paths(problems(monthly, "escalation")) == ["$.escalation[1].deadline"]


# -- moderation -----------------------------------------------------------------------


def only_rule(profile: Profile, rule: SelectionRule) -> Profile:
    return edit(profile, "moderation", 0, selection=(rule,))


def test_a_policy_moderating_only_inadequate_audits_misses_a_cycle_of_good_ones(
    reported: Profile,
) -> None:
    broken = only_rule(
        reported, SelectionRule(SelectionKind.GRADE_AT_OR_BELOW, CITE, grade="inadequate")
    )
    found = problems(broken, "moderation")
    assert paths(found) == ["$.moderation[0].selection"]
    assert found[0].message == (
        "'Monthly moderation' selects nothing from a cycle whose only audit is: Case file audit "
        "by Team Manager graded Outstanding; Case file audit by Team Manager graded Good; Case "
        "file audit by Team Manager graded Requires improvement to be good (and 3 more)"
    )


@pytest.mark.parametrize(
    "rule",
    [
        SelectionRule(SelectionKind.ALL, CITE),
        SelectionRule(SelectionKind.PROPORTION, CITE, proportion=0.01),
        SelectionRule(SelectionKind.FIXED, CITE, count=1),
        SelectionRule(SelectionKind.GRADE_AT_OR_BELOW, CITE, grade="outstanding"),
    ],
)
def test_a_rule_reaching_every_audit_selects_from_any_cycle(
    reported: Profile, rule: SelectionRule
) -> None:
    assert problems(only_rule(reported, rule), "moderation") == []


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (SelectionRule(SelectionKind.PROPORTION, CITE, proportion=0.5, maximum=0),
         "it sizes the sample of a cycle of one audit at 0"),
        (SelectionRule(SelectionKind.FIXED, CITE, count=0), "its count is 0"),
        (SelectionRule(SelectionKind.PER_ROLE, CITE, count=1, per_role="qa_manager",
                       period=IsoDuration(months=1)),
         "'qa_manager' undertakes none of the activities the policy applies to"),
    ],
)  # fmt: skip
def test_a_rule_that_never_selects_is_reported(
    reported: Profile, rule: SelectionRule, reason: str
) -> None:
    found = problems(only_rule(reported, rule), "moderation")
    assert paths(found) == ["$.moderation[0].selection[0]", "$.moderation[0].selection"]
    assert found[0].message == f"this rule never selects an audit: {reason}"


def test_a_per_role_rule_covers_only_its_role(reported: Profile) -> None:
    per_tm = SelectionRule(
        SelectionKind.PER_ROLE, CITE, count=1, per_role="team_manager", period=IsoDuration(months=1)
    )
    # The case file audit is undertaken by Team Managers and Heads of Service.
    found = problems(only_rule(reported, per_tm), "moderation")
    assert paths(found) == ["$.moderation[0].selection"]
    assert "Case file audit by Head of Service graded Outstanding" in found[0].message
    assert "by Team Manager" not in found[0].message
    only_tms = edit(only_rule(reported, per_tm), "activities", 0, who=("team_manager",))
    assert problems(only_tms, "moderation") == []


def test_a_policy_on_an_ungraded_activity_is_reported(reported: Profile) -> None:
    broken = edit(reported, "moderation", 0, applies_to=("case_file_audit", "feedback"))
    found = problems(broken, "moderation")
    assert paths(found) == ["$.moderation[0].applies_to[1]"]
    assert (
        found[0].message == "'Children and family feedback' produces no graded audits to moderate"
    )


def test_the_sample_size_is_the_callers(reported: Profile) -> None:
    def nothing(policy: ModerationPolicy, rule: SelectionRule, audit_count: int) -> int:
        return 0

    proportional = only_rule(
        reported, SelectionRule(SelectionKind.PROPORTION, CITE, proportion=0.1)
    )
    assert problems(proportional, "moderation", sample_size=core_sample_size) == []
    assert paths(problems(proportional, "moderation", sample_size=nothing)) == [
        "$.moderation[0].selection[0]",
        "$.moderation[0].selection",
    ]


class RoundDown:
    """A plugin sizing samples by rounding down: a tenth of one audit is none (for every
    council: the profile under test was built from data, so no plugin registered it)."""

    qaframework_global = True

    @hookimpl
    def moderation_sample_size(
        self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
    ) -> int:
        return int((rule.proportion or 0) * audit_count)


def test_hook_sample_size_asks_the_plugins(reported: Profile) -> None:
    proportional = only_rule(
        reported, SelectionRule(SelectionKind.PROPORTION, CITE, proportion=0.1)
    )
    assert problems(proportional, "moderation", sample_size=hook_sample_size(proportional)) == []
    with plugins_for_tests(RoundDown()):
        found = problems(proportional, "moderation", sample_size=hook_sample_size(proportional))
    assert found[0] == Problem(
        "$.moderation[0].selection[0]",
        "this rule never selects an audit: it sizes the sample of a cycle of one audit at 0",
    )


# -- crosswalk ------------------------------------------------------------------------


def test_a_non_monotone_crosswalk_is_reported_at_the_worse_grade(reported: Profile) -> None:
    grades = list(reported.grade_scale.grades)
    grades[2] = attrs.evolve(grades[2], ilacs=Ilacs.OUTSTANDING)
    broken = attrs.evolve(
        reported, grade_scale=attrs.evolve(reported.grade_scale, grades=tuple(grades))
    )
    found = problems(broken, "crosswalk")
    assert paths(found) == ["$.grade_scale.grades[2].ilacs"]
    assert "'Requires improvement to be good' maps to 'Outstanding'" in found[0].message


def test_a_scale_has_two_grades_and_a_threshold_among_them(reported: Profile) -> None:
    scale = attrs.evolve(
        reported.grade_scale, grades=reported.grade_scale.grades[:1], good_or_better="good"
    )
    found = problems(attrs.evolve(reported, grade_scale=scale), "crosswalk")
    assert paths(found) == ["$.grade_scale.grades", "$.grade_scale.good_or_better"]


# -- citations, assumptions -----------------------------------------------------------


def test_a_citation_of_an_undeclared_source_is_reported(reported: Profile) -> None:
    broken = edit(reported, "roles", 1, citation=Citation("ofsted_handbook", "Annex A"))
    found = problems(broken, "citations")
    assert found == [
        Problem(
            "$.roles[1].citation.source",
            "cites 'ofsted_handbook', which is not a declared source (declared: qaf)",
        )
    ]


def test_a_fact_without_a_citation_or_a_section_is_reported(reported: Profile) -> None:
    broken = edit(reported, "standards", 0, citation=None)
    rule = attrs.evolve(reported.moderation[0].selection[1], citation=Citation("qaf", " "))
    broken = edit(broken, "moderation", 0, selection=(reported.moderation[0].selection[0], rule))
    assert paths(problems(broken, "citations")) == [
        "$.standards[0].citation",
        "$.moderation[0].selection[1].citation.section",
    ]


def test_an_assumption_needs_no_citation(reported: Profile) -> None:
    assert all(a.citation is None for a in reported.assumptions)
    assert problems(reported, "citations") == []


def test_an_assumption_naming_a_missing_path_is_reported(reported: Profile) -> None:
    note = Assumption("lost", "About nothing.", ("$.activities[9]", "$.roles[0].salary", "roles"))
    found = problems(attrs.evolve(reported, assumptions=(note,)), "assumptions")
    assert paths(found) == [
        "$.assumptions[0].concerns[0]",
        "$.assumptions[0].concerns[1]",
        "$.assumptions[0].concerns[2]",
    ]
    assert "no item [9] (8 items)" in found[0].message
    assert "no field 'salary'" in found[1].message


def test_an_assumption_naming_an_item_by_its_place_is_refused(reported: Profile) -> None:
    """A place moves when items are added, removed or reordered: the id is asked for."""
    note = Assumption(
        "by_place", "About the transfer audit.", ("$.activities[1].who", "$.roles[0]")
    )
    found = problems(attrs.evolve(reported, assumptions=(note,)), "assumptions")
    assert paths(found) == ["$.assumptions[0].concerns[0]", "$.assumptions[0].concerns[1]"]
    assert found[0].message == (
        "'$.activities[1].who' names an item by its place ($.activities[1] is "
        "'transfer_audit'), which points at another item once items are added, removed or "
        "reordered: write '$.activities[transfer_audit].who'"
    )
    assert "write '$.roles[social_worker]'" in found[1].message


def test_an_assumption_naming_items_by_id_holds(reported: Profile) -> None:
    note = Assumption(
        "by_id",
        "About the transfer audit.",
        (
            "$.activities[transfer_audit].who",
            "$.grade_scale.grades[good].ilacs",
            "$.moderation[monthly_moderation].selection[0]",
        ),
    )
    assert problems(attrs.evolve(reported, assumptions=(note,)), "assumptions") == []


def test_a_silence_recorded_by_place_is_still_recognised(example_profile: Profile) -> None:
    """The activities invariant reads an assumption's place as the item it points at (the
    assumptions invariant asks for the id)."""
    note = Assumption("silent", "No report.", ("$.activities[1].reported_via",))
    found = check_invariants(attrs.evolve(example_profile, assumptions=(note,)))
    assert [p.path for p in found] == ["$.assumptions[0].concerns[0]"]


# -- completeness ---------------------------------------------------------------------


def test_text_marked_to_fill_in_is_reported_wherever_it_is(
    example_document: dict[str, Any],
) -> None:
    doc = example_document
    doc["name"] = "FILL IN: the framework's title"
    doc["standards"][0]["what_good_looks_like"][1] = "FILL IN: what good looks like"
    doc["roles"][0]["citation"]["section"] = "FILL IN"
    doc["assumptions"].append(
        {"id": "dates", "text": "FILL IN: when the framework takes effect",
         "concerns": ["$.effective_from", "$.schedule_anchor"]}
    )  # fmt: skip
    # The strict converter accepts the marker like any text: the invariant reports it.
    profile = profile_from_data(doc)
    found = problems(profile, "complete")
    assert [str(p) for p in found] == [
        "$.name: incomplete: FILL IN: the framework's title",
        "$.roles[0].citation.section: incomplete: FILL IN",
        "$.standards[0].what_good_looks_like[1]: incomplete: FILL IN: what good looks like",
        "$.assumptions[1].text: incomplete: FILL IN: when the framework takes effect",
        "$.effective_from: incomplete: FILL IN: when the framework takes effect",
        "$.schedule_anchor: incomplete: FILL IN: when the framework takes effect",
    ]
    assert FILL_IN == "FILL IN"


def test_prose_that_merely_mentions_filling_in_is_complete(reported: Profile) -> None:
    worded = attrs.evolve(reported, summary="Auditors fill in the audit tool on the day.")
    assert problems(worded, "complete") == []


# -- across versions ------------------------------------------------------------------


def test_versions_that_overlap_or_share_a_day_are_reported(example_profile: Profile) -> None:
    first = attrs.evolve(example_profile, effective_to=date(2026, 6, 30))
    second = attrs.evolve(example_profile, version="2026-06", effective_from=date(2026, 6, 1))
    third = attrs.evolve(example_profile, version="2026-07", effective_from=date(2026, 6, 1))
    found = check_versions([third, first, second])
    assert found == [
        Problem(
            "$.effective_to",
            "exampleshire 2026-01 (from 2026-01-05) runs to 2026-06-30, overlapping "
            "exampleshire 2026-07 (from 2026-06-01)",
        ),
        Problem(
            "$.effective_from",
            "exampleshire 2026-07 (from 2026-06-01) and exampleshire 2026-06 (from 2026-06-01) "
            "take effect on the same day",
        ),
    ]


def test_versions_of_two_profiles_or_ending_before_they_start_are_reported(
    example_profile: Profile,
) -> None:
    backwards = attrs.evolve(example_profile, effective_to=date(2025, 1, 1))
    other = attrs.evolve(example_profile, id="elsewhere", effective_from=date(2027, 1, 1))
    (dates,) = [i for i in VERSION_INVARIANTS if i.id == "dates"]
    assert paths(check_versions([backwards, other], invariants=[dates])) == [
        "$.id",
        "$.effective_to",
    ]


def test_a_version_that_does_not_survive_its_plain_data_is_reported(
    example_profile: Profile,
) -> None:
    timed = attrs.evolve(example_profile, effective_from=datetime(2026, 1, 5, 9, 30))
    invalid = edit(example_profile, "activities", 0, who=("nobody",))
    (round_trip,) = [i for i in VERSION_INVARIANTS if i.id == "round_trip"]
    found = check_versions([timed, invalid], invariants=[round_trip])
    assert [p.message.split(") ", 1)[1] for p in found] == [
        "changes on a round trip through plain data",
        "changes when its plain data is validated",
        "does not load from its plain data: exampleshire 2026-01 (from 2026-01-05): 1 problem\n"
        "  $.activities[0].who[0]: unknown role 'nobody' (declared: director, head_of_service, "
        "qa_manager, social_worker, team_manager)",
    ]


# -- random councils ------------------------------------------------------------------

COUNCILS = settings(max_examples=40, deadline=None)


@COUNCILS
@given(qst.profiles())
def test_random_councils_keep_every_invariant(profile: Profile) -> None:
    assert check_invariants(profile) == []
    assert check_versions([profile]) == []
    assert profile_from_data(json.loads(json.dumps(to_dict(profile)))) == profile


@COUNCILS
@given(qst.profile_versions(min_versions=2))
def test_random_versions_keep_the_version_invariants(versions: tuple[Profile, ...]) -> None:
    assert check_versions(versions) == []


@COUNCILS
@given(qst.profiles(), st.data())
def test_an_undeclared_owner_is_caught_in_any_council(
    profile: Profile, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(profile.activities) - 1))
    who = profile.activities[index].who
    broken = edit(profile, "activities", index, who=(*who, "undeclared_role"))
    found = problems(broken, "references")
    assert paths(found) == [f"$.activities[{index}].who[{len(who)}]"]


@COUNCILS
@given(qst.profiles())
def test_a_crosswalk_turned_upside_down_is_caught_in_any_council(profile: Profile) -> None:
    grades = profile.grade_scale.grades
    flipped = tuple(
        attrs.evolve(g, ilacs=h.ilacs) for g, h in zip(grades, reversed(grades), strict=True)
    )
    broken = attrs.evolve(profile, grade_scale=attrs.evolve(profile.grade_scale, grades=flipped))
    if len({g.ilacs for g in grades}) > 1:
        assert problems(broken, "crosswalk")
    else:
        assert problems(broken, "crosswalk") == []


@COUNCILS
@given(qst.profiles())
def test_moderating_nothing_but_the_worst_grade_is_caught_in_any_council(profile: Profile) -> None:
    worst = profile.grade_scale.codes[-1]
    narrow = SelectionRule(SelectionKind.GRADE_AT_OR_BELOW, CITE, grade=worst)
    for index in range(len(profile.moderation)):
        broken = edit(profile, "moderation", index, selection=(narrow,))
        assert f"$.moderation[{index}].selection" in paths(problems(broken, "moderation"))


@COUNCILS
@given(qst.profiles())
def test_random_councils_use_the_new_rule_kinds(profile: Profile) -> None:
    """The strategies draw every rule kind; which a council has is recorded for the
    statistics, and what it has keeps the invariants (checked above)."""
    from hypothesis import event

    for activity in profile.activities:
        if isinstance(activity.quota, tuple):
            event("several quotas")
        if activity.cadence.kind.is_per_case_event:
            event(f"cadence {activity.cadence.kind.value}")
        if activity.sampling is not None and activity.sampling.filter is not None:
            event("case filter")
    if profile.case_fields:
        event("declared case fields")


@COUNCILS
@given(qst.profiles(), st.data())
def test_a_role_owed_two_quotas_is_caught_in_any_council(
    profile: Profile, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(profile.activities) - 1))
    quotas = profile.activities[index].quotas
    if len(quotas) < 2:
        # Give the activity a quota per role for two roles, which keeps the invariants.
        first, second = profile.roles[0].id, profile.roles[1].id
        quotas = (Quota(2, "audit", per_role=first), Quota(1, "audit", per_role=second))
        cadence = Cadence.periodic("P1M")
        profile = edit(profile, "activities", index, quota=quotas, cadence=cadence)
        assert problems(profile, "activities") == []
    broken = edit(
        profile,
        "activities",
        index,
        quota=(*quotas, attrs.evolve(quotas[0], count=quotas[0].count + 1)),
    )
    found = problems(broken, "activities")
    assert paths(found) == [f"$.activities[{index}].quota[{len(quotas)}].per_role"]
    assert f"owes {quotas[0].per_role!r} two quotas (also [0])" in found[0].message


@COUNCILS
@given(qst.profiles(), st.data())
def test_a_per_case_event_cadence_without_a_subject_is_caught_in_any_council(
    profile: Profile, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(profile.activities) - 1))
    broken = edit(
        profile,
        "activities",
        index,
        cadence=Cadence.before_event("case_closure", working_days=2),
        quota=Quota(1, "audit", per_role=profile.roles[0].id, period=IsoDuration(months=1)),
    )
    found = problems(broken, "activities")
    assert f"$.activities[{index}].quota" in paths(found)
    assert f"$.activities[{index}].quota.period" in paths(found)


@COUNCILS
@given(qst.profiles(), st.data())
def test_an_undeclared_case_field_in_a_filter_is_caught_in_any_council(
    profile: Profile, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(profile.activities) - 1))
    rule = SamplingRule(
        SamplingMethod.PURPOSIVE,
        CITE,
        filter=CaseFilter.all_of(
            CaseFilter.where("legal_status", "CP"), CaseFilter.where("undeclared_field", "x")
        ),
    )
    broken = edit(profile, "activities", index, sampling=rule)
    found = problems(broken, "references")
    assert paths(found) == [f"$.activities[{index}].sampling.filter.all[1].field"]
    assert "case field 'undeclared_field' is not declared" in found[0].message


def test_a_filter_value_a_declared_field_does_not_list_is_caught(reported: Profile) -> None:
    index = [a.id for a in reported.activities].index("thematic_audit")
    rule = reported.activities[index].sampling
    assert rule is not None
    assert problems(reported, "activities") == []
    broken = edit(
        reported,
        "activities",
        index,
        sampling=attrs.evolve(rule, filter=CaseFilter.where("placement_type", "Hotel")),
    )
    found = problems(broken, "activities")
    assert found == [
        Problem(
            f"$.activities[{index}].sampling.filter.values[0]",
            "'Hotel' is not a value of case field 'placement_type' (declared: Foster care, "
            "Residential, Kinship, Placed with parents)",
        )
    ]


# -- action timescales --------------------------------------------------------------------


def test_an_activity_and_grade_claimed_by_two_timescales(reported: Profile) -> None:
    first = reported.action_timescales[0]
    second = attrs.evolve(first, id="more_actions", grades=("inadequate",))
    clashing = attrs.evolve(reported, action_timescales=(first, second))
    (problem,) = problems(clashing, "action_timescales")
    assert problem.path == "$.action_timescales[1].applies_to"
    assert "'case_file_audit' audits graded 'inadequate' would have two timescales" in (
        problem.message
    )
    # Split by grade, the two timescales no longer clash.
    split = attrs.evolve(
        clashing,
        action_timescales=(attrs.evolve(first, grades=("outstanding", "good")), second),
    )
    assert problems(split, "action_timescales") == []
