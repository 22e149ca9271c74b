"""Audit records and their check against a profile (``qaframework.engine.audits``)."""

from __future__ import annotations

import json
from datetime import date

import attrs
import pytest

from qaframework import from_dict, to_dict
from qaframework.engine.audits import (
    Audit,
    AuditAction,
    Judgement,
    ModerationRecord,
    check_audit,
    moderation_outcome,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import FeedbackSource, JudgementField
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case

AUDIT = Audit(
    id="A1",
    child_id="C100",
    activity="case_file_audit",
    audit_date=date(2026, 5, 6),
    auditor="tm1",
    auditor_role="team_manager",
    overall_grade="requires_improvement",
    cycle="2026-05",
    practitioner="sw7",
    team="North",
    service_area="Safeguarding",
    judgements=(
        Judgement("assessment", "good", "clear analysis", "child seen alone", "chronology"),
        Judgement("planning", "requires_improvement"),
    ),
    concerns=(Concern.URGENT_SAFETY,),
    feedback=(FeedbackSource.CHILD, FeedbackSource.PARENT_CARER),
    actions=(AuditAction("A1-1", "Update the plan", "sw7", date(2026, 6, 6), date(2026, 7, 6)),),
)


def test_round_trip_through_json() -> None:
    assert from_dict(Audit, json.loads(json.dumps(to_dict(AUDIT)))) == AUDIT


def test_a_valid_audit_has_no_problems(example_profile: Profile) -> None:
    assert check_audit(AUDIT, example_profile) == []


def test_moderation_history_is_appended_never_overwritten() -> None:
    first = ModerationRecord(
        "hos1", "head_of_service", "inadequate", ModerationOutcome.DOWNGRADE, date(2026, 5, 20)
    )
    second = ModerationRecord(
        "dcs", "director", "requires_improvement", ModerationOutcome.UPGRADE, date(2026, 5, 27)
    )
    moderated = AUDIT.with_moderation(first).with_moderation(second)
    assert moderated.overall_grade == "requires_improvement"
    assert moderated.moderations == (first, second)
    assert moderated.latest_moderation == second
    assert moderated.final_grade == "requires_improvement"
    assert AUDIT.with_moderation(first).final_grade == "inadequate"
    assert AUDIT.final_grade == "requires_improvement"
    assert not AUDIT.moderated
    assert AUDIT.moderated_grade is None


def test_moderation_outcome_from_grades(example_profile: Profile) -> None:
    assert moderation_outcome(example_profile, "good", "good") is ModerationOutcome.AGREE
    assert moderation_outcome(example_profile, "good", "outstanding") is ModerationOutcome.UPGRADE
    assert moderation_outcome(example_profile, "good", "inadequate") is ModerationOutcome.DOWNGRADE


def test_every_problem_is_reported_with_its_path(example_profile: Profile) -> None:
    broken = attrs.evolve(
        AUDIT,
        activity="nowhere",
        auditor_role="lead",
        overall_grade="amber",
        audit_date=date(2025, 12, 1),
        judgements=(
            Judgement("voice", "good"),
            Judgement("planning", "nope"),
            Judgement("planning", "good"),
        ),
        moderations=(
            ModerationRecord(
                "hos1", "head_of_service", "good", ModerationOutcome.AGREE, date(2025, 11, 30)
            ),
        ),
        actions=(
            AuditAction("x", "do", "sw", date(2025, 11, 1)),
            AuditAction("y", "do", "sw", date(2026, 1, 1), date(2025, 12, 20)),
            AuditAction(
                "z",
                "do",
                "sw",
                date(2026, 1, 1),
                status=ActionStatus.VERIFIED,
                done_on=date(2026, 1, 1),
            ),
        ),
    )
    found = {(p.path, p.message.split(" (")[0]) for p in check_audit(broken, example_profile)}
    paths = {path for path, _ in found}
    assert paths == {
        "$.audit_date",
        "$.activity",
        "$.auditor_role",
        "$.overall_grade",
        "$.judgements[0].standard",
        "$.judgements[1].grade",
        "$.judgements[2].standard",
        "$.moderations[0].on",
        "$.actions[0].due",
        "$.actions[1].review",
        "$.actions[2].verified_on",
    }
    assert ("$.activity", "unknown activity 'nowhere'") in found
    assert ("$.actions[2].verified_on", "a verified action needs a verified_on date") in found


def test_a_moderation_outcome_must_match_its_grades(example_profile: Profile) -> None:
    wrong = AUDIT.with_moderation(
        ModerationRecord(
            "hos1", "head_of_service", "good", ModerationOutcome.AGREE, date(2026, 5, 20)
        )
    )
    (problem,) = check_audit(wrong, example_profile)
    assert problem.path == "$.moderations[0].outcome"
    assert "that is upgrade" in problem.message


@pytest.mark.parametrize("missing", ["rationale", "strengths", "would_improve"])
def test_required_judgement_fields(example_profile: Profile, missing: str) -> None:
    activity = example_profile.activity("case_file_audit")

    demanding = attrs.evolve(
        example_profile,
        activities=(
            attrs.evolve(activity, judgement_fields=tuple(JudgementField)),
            *example_profile.activities[1:],
        ),
    )
    full = Judgement("assessment", "good", "r", "s", "w")
    audit = attrs.evolve(AUDIT, judgements=(attrs.evolve(full, **{missing: " "}),))
    (problem,) = check_audit(audit, demanding)
    assert problem.path == f"$.judgements[0].{missing}"
    assert "requires" in problem.message
    assert check_audit(attrs.evolve(AUDIT, judgements=(full,)), demanding) == []


def test_overdue_actions() -> None:
    action = AUDIT.actions[0]
    assert not action.is_overdue(date(2026, 6, 6))
    assert action.is_overdue(date(2026, 6, 7))
    done = attrs.evolve(action, status=ActionStatus.DONE, done_on=date(2026, 6, 1))
    assert not done.is_overdue(date(2026, 12, 1))


def test_cases_read_any_field() -> None:
    case = Case("C1", team="North", worker="sw7", service_area="CIN", fields={"legal": "CP"})
    assert case.value("team") == "North"
    assert case.value("legal") == "CP"
    assert case.value("missing") is None
    with pytest.raises(TypeError):
        case.fields["legal"] = "LAC"  # type: ignore[index]
    assert case == Case(
        "C1", team="North", worker="sw7", service_area="CIN", fields={"legal": "CP"}
    )
    assert case != Case("C1", team="North", worker="sw7", service_area="CIN")
    assert hash(case) == hash(Case("C1", team="North", worker="sw7", service_area="CIN"))
    assert from_dict(Case, to_dict(case)) == case
