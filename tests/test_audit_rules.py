"""Issue 11's audit rules on the example profile: a follow-on audit after an Inadequate light
audit, compliance checklists and another grade scale reported beside the grades, and who may
do what (an audit or moderation by a role the profile does not name for it)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qaframework.engine.actions.tracker as tracker_module
from qaframework.engine.actions.tracker import Closure, EscalationStatus, escalation_states
from qaframework.engine.audits import (
    Audit,
    ItemAnswer,
    ModerationRecord,
    Rating,
    audit_warnings,
    check_audit,
)
from qaframework.engine.escalation import evaluate_escalations_bulk
from qaframework.engine.periods import Period
from qaframework.engine.report import build_cycle_report
from qaframework.errors import Problem, ProfileError
from qaframework.policy.checklists import ChecklistAnswer
from qaframework.policy.escalation import ClosingCondition, ConsequenceKind
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.profiles.validation import profile_from_data

MAY = Period.month(2026, 5)


def problems_of(document: dict[str, Any]) -> list[Problem]:
    """The problems ``profile_from_data`` reports for ``document``, which must fail."""
    with pytest.raises(ProfileError) as caught:
        profile_from_data(document, "broken.toml")
    return list(caught.value.problems)


YES, NO, NA = ChecklistAnswer.YES, ChecklistAnswer.NO, ChecklistAnswer.NOT_APPLICABLE


def light(
    number: int,
    day: date,
    grade: str,
    *,
    child: str | None = None,
    answers: tuple[tuple[str, ChecklistAnswer], ...] = (),
    impact: str | None = "positive_impact",
    **fields: Any,
) -> Audit:
    return Audit(
        id=f"L{number}",
        child_id=child or f"C{number}",
        activity="light_audit",
        audit_date=day,
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade=grade,
        checklist=tuple(ItemAnswer(item, answer) for item, answer in answers),
        ratings=(Rating("impact", impact),) if impact is not None else (),
        **fields,
    )


def full(number: int, day: date, child: str) -> Audit:
    return Audit(f"F{number}", child, "case_file_audit", day, "tm2", "team_manager", "good")


# -- follow-on audits -----------------------------------------------------------------------------


def states(profile: Profile, audits: list[Audit], as_of: date) -> dict[str, Any]:
    raised = evaluate_escalations_bulk(audits, lambda _: profile, as_of=as_of)
    found = escalation_states(raised, audits, lambda _: profile, as_of=as_of)
    return {s.escalation.audit_id: s for s in found if s.escalation.rule_id.endswith("follow_on")}


def test_the_example_requires_a_full_audit_after_an_inadequate_light_audit(
    example_profile: Profile,
) -> None:
    rule = next(r for r in example_profile.escalation if r.id == "light_audit_follow_on")
    assert rule.consequence is not None
    assert rule.consequence.kind is ConsequenceKind.FOLLOW_ON_AUDIT
    assert rule.follow_on_activity == "case_file_audit"
    assert rule.closes == (ClosingCondition.FOLLOW_ON_RECORDED,)


def test_a_follow_on_audit_is_raised_tracked_and_closed_when_recorded(
    example_profile: Profile,
) -> None:
    inadequate = light(1, date(2026, 5, 4), "inadequate")
    good = light(2, date(2026, 5, 5), "good")
    # Before the full audit: open, naming the activity it requires, due within a month.
    found = states(example_profile, [inadequate, good], date(2026, 5, 20))
    assert set(found) == {"L1"}
    state = found["L1"]
    assert state.status is EscalationStatus.OPEN
    assert state.escalation.follow_on == "Case file audit"
    assert state.escalation.deadline == date(2026, 6, 4)
    # A full audit of another child, or one dated before the light audit, does not close it.
    other = full(1, date(2026, 5, 12), "C9")
    earlier = full(2, date(2026, 5, 1), "C1")
    found = states(example_profile, [inadequate, other, earlier], date(2026, 6, 30))
    assert found["L1"].status is not EscalationStatus.CLOSED
    # The full audit of the same child closes it, on its date, naming it.
    done = full(3, date(2026, 5, 18), "C1")
    found = states(example_profile, [inadequate, other, earlier, done], date(2026, 6, 30))
    state = found["L1"]
    assert state.status is EscalationStatus.CLOSED
    assert (state.closed_on, state.closure, state.closed_by_audit) == (
        date(2026, 5, 18),
        Closure.FOLLOW_ON_RECORDED,
        "F3",
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 40), st.sampled_from(["inadequate", "good"])),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 60),
)
def test_a_childs_audits_indexed_find_the_follow_on_audit_as_read_one_by_one(
    example_profile: Profile, drawn: list[tuple[bool, int, str]], offset: int
) -> None:
    # One child's light and full audits on drawn days: whether each follow-on escalation is
    # closed, when and by which audit, is the same with the child's audits indexed (as for
    # a child with many) as read one by one.
    start = date(2026, 5, 4)
    audits = [
        light(n, start + timedelta(days=days), grade, child="C1")
        if is_light
        else attrs.evolve(full(n, start + timedelta(days=days), "C1"), overall_grade=grade)
        for n, (is_light, days, grade) in enumerate(drawn)
    ]
    as_of = start + timedelta(days=offset)
    found = []
    for scanned in (10**9, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tracker_module, "_SCANNED", scanned)
            found.append(states(example_profile, audits, as_of))
    assert found[0] == found[1]


def test_the_cycle_report_counts_follow_on_audits_open_and_closed(
    example_profile: Profile,
) -> None:
    audits = [
        light(1, date(2026, 5, 4), "inadequate"),
        light(2, date(2026, 5, 6), "inadequate"),
        full(1, date(2026, 5, 20), "C1"),
    ]
    report = build_cycle_report(audits, example_profile, MAY, as_of=date(2026, 5, 31))
    table = report.escalations.by_rule
    row = table.row_keys.index("light_audit_follow_on")
    assert table.column_keys == ("open", "closed")
    assert table.counts[row] == (1, 1)


def test_a_follow_on_audit_names_an_activity_the_profile_has(
    example_document: dict[str, Any],
) -> None:
    rule = example_document["escalation"][3]
    assert rule["id"] == "light_audit_follow_on"
    rule["consequence"]["activity"] = "full_audit"
    found = problems_of(example_document)
    assert [p.path for p in found] == ["$.escalation[3].consequence.activity"]
    assert "unknown activity 'full_audit'" in found[0].message
    del rule["consequence"]["activity"]
    (problem,) = problems_of(example_document)
    assert "names the activity it requires" in problem.message


def test_only_a_follow_on_audit_closes_as_follow_on_recorded(
    example_document: dict[str, Any],
) -> None:
    example_document["escalation"][0]["closes"] = ["follow_on_recorded"]
    (problem,) = problems_of(example_document)
    assert problem.path.startswith("$.escalation[0]")
    assert "follow_on_recorded" in problem.message


# -- compliance checklists and other scales ------------------------------------------------------


def test_compliance_is_reported_per_item_with_its_interval(example_profile: Profile) -> None:
    answers = [
        (("forms_complete", YES), ("signatures_present", YES), ("timescales_met", NA)),
        (("forms_complete", YES), ("signatures_present", NO), ("timescales_met", YES)),
        (("forms_complete", NO), ("signatures_present", YES), ("timescales_met", YES)),
        (("forms_complete", YES),),
    ]
    audits = [
        light(n, date(2026, 5, 4 + n), "good", answers=given)
        for n, given in enumerate(answers, start=1)
    ]
    report = build_cycle_report(audits, example_profile, MAY, as_of=date(2026, 5, 31))
    compliance = report.compliance
    assert compliance is not None
    assert compliance.items == ("forms_complete", "signatures_present", "timescales_met")
    assert set(compliance.activities) == {"light_audit"}
    # yes, no, not applicable, not answered: each row adds up to the 4 light audits.
    assert compliance.table.counts == ((3, 1, 0, 0), (2, 1, 0, 1), (2, 0, 1, 1))
    forms, signatures, timescales = compliance.compliance
    assert (forms.count, forms.total, forms.value) == (3, 4, 0.75)
    assert (signatures.count, signatures.total) == (2, 3)
    # Not applicable and not answered are outside the share.
    assert (timescales.count, timescales.total, timescales.value) == (2, 2, 1.0)
    assert forms.lower is not None
    assert forms.upper is not None
    assert forms.lower < 0.75 < forms.upper


def test_compliance_and_the_other_scale_are_suppressed_when_published(
    example_profile: Profile,
) -> None:
    audits = [
        light(n, date(2026, 5, 4 + n), "good", answers=(("forms_complete", YES),))
        for n in range(1, 4)
    ]
    report = build_cycle_report(audits, example_profile, MAY, as_of=date(2026, 5, 31))
    (impact,) = report.scales
    assert impact.scale == "impact"
    assert impact.table.counts[0][1] == 3  # positive impact
    published = report.publishable()
    assert published.compliance is not None
    cells = [c for row in published.compliance.table.cells for c in row]
    assert 3 not in cells  # three yes answers: a small count, hidden
    # Each share of 3 would reveal a suppressed count: withheld.
    assert published.compliance.compliance[0] is None
    (published_impact,) = published.scales
    assert 3 not in [c for row in published_impact.table.cells for c in row]


def test_an_audit_grades_on_each_other_scale_its_activity_uses(example_profile: Profile) -> None:
    unrated = light(1, date(2026, 5, 4), "good", impact=None)
    assert [p.path for p in check_audit(unrated, example_profile)] == ["$.ratings"]
    wrong = light(2, date(2026, 5, 4), "good", impact="good")
    (problem,) = check_audit(wrong, example_profile)
    assert problem.path.startswith("$.ratings[0]")
    na = light(3, date(2026, 5, 4), "good", answers=(("forms_complete", NA),))
    (problem,) = check_audit(na, example_profile)
    assert problem.path == "$.checklist[0].answer"


def test_an_activity_names_scales_the_profile_has(example_document: dict[str, Any]) -> None:
    light_audit = next(a for a in example_document["activities"] if a["id"] == "light_audit")
    light_audit["scales"] = ["effect"]
    (problem,) = problems_of(example_document)
    assert problem.path.endswith(".scales[0]")
    assert "unknown grade scale 'effect'" in problem.message


def test_another_scale_crosswalks_to_ilacs_monotonically(example_document: dict[str, Any]) -> None:
    grades = example_document["scales"][0]["grades"]
    grades[0]["ilacs"], grades[2]["ilacs"] = grades[2]["ilacs"], grades[0]["ilacs"]
    found = problems_of(example_document)
    assert found
    assert all(p.path.startswith("$.scales[0]") for p in found)


# -- who may do what ------------------------------------------------------------------------------


def test_an_audit_by_a_role_the_activity_does_not_name_is_an_error_where_the_profile_says(
    example_profile: Profile, example_document: dict[str, Any]
) -> None:
    by_social_worker = attrs.evolve(
        light(1, date(2026, 5, 4), "good"), auditor="sw1", auditor_role="social_worker"
    )
    (problem,) = check_audit(by_social_worker, example_profile)
    assert problem.path == "$.auditor_role"
    assert "Social Worker" in problem.message
    assert audit_warnings(by_social_worker, example_profile) == []
    # The same audit under a profile that makes it a warning: accepted, and flagged.
    example_document["role_checks"]["auditors"] = "warning"
    lenient = profile_from_data(example_document)
    assert check_audit(by_social_worker, lenient) == []
    (warning,) = audit_warnings(by_social_worker, lenient)
    assert warning.path == "$.auditor_role"


def test_a_moderation_by_a_role_no_policy_names_is_a_warning_in_the_example(
    example_profile: Profile,
) -> None:
    audit = Audit("A1", "C1", "case_file_audit", date(2026, 5, 4), "tm1", "team_manager", "good")
    by_director = attrs.evolve(
        audit,
        moderations=(
            ModerationRecord("d1", "director", "good", ModerationOutcome.AGREE, date(2026, 5, 10)),
        ),
    )
    assert check_audit(by_director, example_profile) == []
    (warning,) = audit_warnings(by_director, example_profile)
    assert warning.path.startswith("$.moderations[0]")
    assert isinstance(warning, Problem)


def test_role_checks_are_cited_or_assumed(example_document: dict[str, Any]) -> None:
    del example_document["role_checks"]["citation"]
    (problem,) = problems_of(example_document)
    assert problem.path.startswith("$.role_checks")


@pytest.mark.parametrize("value", ["fatal", "Error"])
def test_role_checks_are_error_or_warning(example_document: dict[str, Any], value: str) -> None:
    example_document["role_checks"]["auditors"] = value
    (problem,) = problems_of(example_document)
    assert problem.path == "$.role_checks.auditors"


def test_the_escalations_command_says_which_audit_follows(example_profile: Profile) -> None:
    from qaframework.cli.escalations_cmd import CSV_COLUMNS, consequence

    raised = evaluate_escalations_bulk(
        [light(1, date(2026, 5, 4), "inadequate")], lambda _: example_profile, as_of=MAY.end
    )
    (escalation,) = [e for e in raised if e.rule_id == "light_audit_follow_on"]
    assert consequence(escalation) == (
        "Full case file audit (Team Manager): requires a Case file audit of the same child"
    )
    assert "follow_on" in CSV_COLUMNS
