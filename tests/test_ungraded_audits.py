"""Audits of activities that do not grade practice: recorded, checked, escalated, counted, stored.

A thematic audit, a dip sample, a multi-agency audit or an observation a profile marks
ungraded has no overall grade, judgements or moderations, but its concerns are raised like
any other audit's (issue 3: urgent safety concerns "raised immediately (all councils, with
each council's recipients)"; Manchester's health concerns go to the Health Service).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaframework import load_profile, to_dict
from qaframework.engine.agreement import agreement
from qaframework.engine.audits import Audit, AuditAction, AuditCheck, Judgement, ModerationRecord
from qaframework.engine.escalation import EscalationStage, evaluate_escalations
from qaframework.engine.moderation import select_for_moderation
from qaframework.engine.periods import Period
from qaframework.engine.report import build_cycle_report
from qaframework.io import load_audits
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import (
    Concern,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.render.frames import audit_frames
from qaframework.store import Register
from qaframework.testing import strategies as qst
from tests.store_data import swindon, swindon_audits, write_jsonl
from tests.test_io_audits import ROW_2026, write_csv

pytest_plugins = ["tests.store_fixtures"]

# Profile versions with an ungraded activity each, read from the profiles' data files, and a
# working day on which the version is in force.
MANCHESTER = ("manchester", date(2020, 3, 4), "dip_sampling")
BOLTON_2026 = ("bolton", date(2026, 3, 4), "thematic_audits")
BOLTON_2021 = ("bolton", date(2022, 3, 2), "thematic_audits")
SWINDON = ("swindon", date(2026, 3, 4), "multi_agency_audit")
TELFORD = ("telford", date(2020, 9, 2), "multi_agency_audit")
VERSIONS = [MANCHESTER, BOLTON_2026, BOLTON_2021, SWINDON, TELFORD]
_NO_GRADE = {TriggerKind.CONCERN, TriggerKind.COMPLETED}


def ungraded_audit(
    profile: Profile, activity: str, day: date, *concerns: Concern, audit_id: str = "U1"
) -> Audit:
    found = profile.activity(activity)
    assert not found.graded, f"{activity} grades practice in {profile.label}"
    return Audit(
        id=audit_id,
        child_id="C900",
        activity=activity,
        audit_date=day,
        auditor="auditor.1",
        auditor_role=found.who[0],
        overall_grade=None,
        team="North",
        concerns=concerns,
        feedback=(FeedbackSource.CHILD,),
        actions=(AuditAction(f"{audit_id}-1", "Refer to the MASH", "sw.1", day + timedelta(7)),),
    )


# -- escalation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "concern", "rule", "recipients"),
    [
        (
            MANCHESTER,
            Concern.URGENT_SAFETY,
            "urgent_safety",
            ("senior_manager", "head_of_service", "deputy_director"),
        ),
        (MANCHESTER, Concern.HEALTH, "health_concern", ("health_service",)),
        (
            BOLTON_2026,
            Concern.URGENT_SAFETY,
            "urgent_concerns",
            ("team_manager", "head_of_service"),
        ),
        (
            BOLTON_2021,
            Concern.URGENT_SAFETY,
            "urgent_child_protection_concerns",
            ("team_manager", "social_worker"),
        ),
        (
            SWINDON,
            Concern.URGENT_SAFETY,
            "urgent_safety_concern",
            ("director", "head_of_service", "service_manager", "team_manager", "qa_team"),
        ),
        (
            TELFORD,
            Concern.URGENT_SAFETY,
            "urgent_safety",
            ("team_manager", "locality_team_leader", "service_delivery_manager"),
        ),
    ],
)
def test_a_concern_in_an_ungraded_audit_is_raised_immediately(
    version: tuple[str, date, str], concern: Concern, rule: str, recipients: tuple[str, ...]
) -> None:
    profile_id, day, activity = version
    profile = load_profile(profile_id, as_of=day)
    audit = ungraded_audit(profile, activity, day, concern)
    assert AuditCheck(profile).problems(audit) == []
    fired = evaluate_escalations(profile, audit, as_of=day)
    (escalation,) = [e for e in fired if e.trigger is TriggerKind.CONCERN]
    # Anything else is a rule that names the activity itself (Bolton's thematic audits).
    assert all(audit.activity in e.rule.applies_to for e in fired if e is not escalation)
    assert escalation.rule_id == rule
    assert escalation.trigger is TriggerKind.CONCERN
    assert escalation.concern is concern
    assert escalation.recipient_roles == recipients
    assert escalation.recipients == profile.role_titles(recipients)
    assert escalation.stage is EscalationStage.PRE_MODERATION
    assert escalation.grade is None
    # "Immediately": on the audit's own day, a working day.
    assert escalation.raised_on == escalation.deadline == day


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"{v[0]}-{v[1]}")
def test_only_concern_rules_fire_for_any_ungraded_activity(version: tuple[str, date, str]) -> None:
    profile_id, day, _ = version
    profile = load_profile(profile_id, as_of=day)
    kinds = Counter(rule.trigger.kind for rule in profile.escalation)
    # Every version has rules that read grades, moderation or completion besides concerns.
    assert kinds[TriggerKind.CONCERN]
    assert len(kinds) > 1
    for activity in profile.activities:
        if activity.graded or not activity.who:
            continue
        audit = ungraded_audit(profile, activity.id, day, *Concern)
        fired = evaluate_escalations(profile, audit, as_of=day + timedelta(days=400))
        # Concern rules with no applies_to, and rules naming the activity that do not read a
        # grade or a moderation (the audit has neither).
        expected = [
            rule.id
            for rule in profile.escalation
            if (rule.trigger.kind is TriggerKind.CONCERN and not rule.applies_to)
            or (activity.id in rule.applies_to and rule.trigger.kind in _NO_GRADE)
        ]
        assert [e.rule_id for e in fired] == expected
        assert {e.trigger for e in fired} <= _NO_GRADE


def test_grade_moderation_and_completed_rules_never_fire_for_an_ungraded_audit() -> None:
    profile_id, day, activity = SWINDON
    swindon_2026 = load_profile(profile_id, as_of=day)
    worst = swindon_2026.grade_scale.codes[-1]
    triggers = {
        "rule_grade": Trigger(TriggerKind.GRADE, stage=GradeStage.FINAL, at_or_below=worst),
        "rule_moderation": Trigger(TriggerKind.MODERATION, outcome=ModerationOutcome.AGREE),
        "rule_completed": Trigger(TriggerKind.COMPLETED),
    }

    def with_rules(applies_to: tuple[str, ...]) -> Profile:
        template = swindon_2026.escalation[0]
        return attrs.evolve(
            swindon_2026,
            escalation=tuple(
                attrs.evolve(template, id=rule_id, trigger=trigger, applies_to=applies_to)
                for rule_id, trigger in triggers.items()
            ),
        )

    # With no applies_to they cover the graded activities only.
    profile = with_rules(())
    audit = ungraded_audit(profile, activity, day, *Concern)
    assert evaluate_escalations(profile, audit, as_of=date(2030, 1, 1)) == ()
    graded = attrs.evolve(
        audit,
        activity="child_practice_audit",
        auditor_role="team_manager",
        overall_grade=worst,
        actions=(),
    )
    fired = evaluate_escalations(profile, graded, as_of=date(2030, 1, 1))
    assert {e.rule_id for e in fired} == {"rule_grade", "rule_completed"}
    # Naming the ungraded activity: a grade or moderation trigger still never matches an
    # audit without a grade; a completed rule fires on the audit's completion.
    named = with_rules((activity,))
    fired = evaluate_escalations(named, audit, as_of=date(2030, 1, 1))
    assert [(e.rule_id, e.grade) for e in fired] == [("rule_completed", None)]


# -- the check -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manchester() -> Profile:
    return load_profile("manchester", as_of=MANCHESTER[1])


def _problems(profile: Profile, audit: Audit) -> list[tuple[str, str]]:
    check = AuditCheck(profile)
    problems = check.problems(audit)
    assert check.passes(audit) is (problems == [])
    return [(p.path, p.message) for p in problems]


def test_an_ungraded_audit_with_concerns_feedback_and_actions_passes(manchester: Profile) -> None:
    audit = ungraded_audit(manchester, "dip_sampling", MANCHESTER[1], *Concern)
    assert _problems(manchester, audit) == []


def test_a_graded_activity_needs_an_overall_grade(manchester: Profile) -> None:
    audit = attrs.evolve(
        ungraded_audit(manchester, "dip_sampling", MANCHESTER[1]),
        activity="file_audit",
        auditor_role="team_manager",
    )
    ((path, message),) = _problems(manchester, audit)
    assert path == "$.overall_grade"
    assert "'file_audit' (File Audit) grades practice and needs an overall grade" in message


def test_an_ungraded_activity_has_no_grade_judgements_or_moderations(manchester: Profile) -> None:
    audit = ungraded_audit(manchester, "dip_sampling", MANCHESTER[1])
    grade = manchester.grade_scale.codes[0]
    described = "activity 'dip_sampling' (Dip Sampling) does not grade practice"
    assert _problems(manchester, attrs.evolve(audit, overall_grade=grade)) == [
        ("$.overall_grade", f"{described}: an audit of it has no overall grade")
    ]
    judged = attrs.evolve(audit, judgements=(Judgement(manchester.standards[0].id, grade),))
    assert _problems(manchester, judged) == [
        ("$.judgements", f"{described}: an audit of it records no judgements")
    ]
    moderated = attrs.evolve(
        audit,
        moderations=(
            ModerationRecord(
                "hos.1", "head_of_service", grade, ModerationOutcome.AGREE, MANCHESTER[1]
            ),
        ),
    )
    paths = [path for path, _ in _problems(manchester, moderated)]
    assert "$.moderations" in paths
    assert (
        "$.moderations",
        f"{described}: an audit of it is not moderated",
    ) in _problems(manchester, moderated)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(VERSIONS).flatmap(
        lambda v: st.tuples(
            st.just(load_profile(v[0], as_of=v[1])),
            qst.audits(load_profile(v[0], as_of=v[1]), ungraded=True),
        )
    )
)
def test_drawn_audits_of_every_activity_pass_the_check(drawn: tuple[Profile, Audit]) -> None:
    profile, audit = drawn
    assert _problems(profile, audit) == []
    graded = profile.activity(audit.activity).graded
    assert (audit.overall_grade is not None) is graded
    if not graded:
        assert audit.judgements == ()
        assert audit.moderations == ()


def test_the_strategy_draws_ungraded_audits_only_when_asked(example_profile: Profile) -> None:
    ungraded = {a.id for a in example_profile.activities if not a.graded}
    seen: set[bool] = set()

    @settings(max_examples=80, deadline=None, database=None)
    @given(qst.audits(example_profile, ungraded=True), qst.audits(example_profile))
    def draw(mixed: Audit, graded: Audit) -> None:
        seen.add(mixed.activity in ungraded)
        assert graded.activity not in ungraded
        assert graded.overall_grade is not None

    draw()
    assert seen == {True, False}


# -- loading ----------------------------------------------------------------------------------

THEMATIC = {
    **{key: value for key, value in ROW_2026.items() if not key.startswith("assessment")},
    "Activity": "Thematic Audits",
    "Auditor Role": "Head of Service",
    "Overall Grade": "",
    "Urgent Safety Concern": "yes",
}


def test_a_csv_export_with_ungraded_rows(tmp_path: Path) -> None:
    rows = [
        {**THEMATIC, "Audit ID": "T1"},
        {**ROW_2026, "Audit ID": "G1", "Overall Grade": ""},  # graded: needs its grade
        {**THEMATIC, "Audit ID": "T2", "Urgent Safety Concern": ""},
        {**ROW_2026, "Audit ID": "G2"},
        {**THEMATIC, "Audit ID": "T3", "Overall Grade": "Meets good"},  # ungraded: no grade
    ]
    load = load_audits(write_csv(tmp_path / "audits.csv", rows), "bolton")
    assert load.rows_read == len(load.accepted) + len(load.rejected) == 5
    assert [(a.id, a.overall_grade) for a in load.accepted] == [
        ("T1", None),
        ("T2", None),
        ("G2", "meets_good"),
    ]
    assert load.accepted[0].concerns == (Concern.URGENT_SAFETY,)
    graded, ungraded = load.rejected
    assert (graded.row, graded.column, graded.value) == (3, "Overall Grade", None)
    assert "required, but empty: Quality Case File Audits grades practice" in graded.reason
    assert (ungraded.row, ungraded.column, ungraded.value) == (6, "Overall Grade", "Meets good")
    assert "does not grade practice: an audit of it has no overall grade" in ungraded.reason


@pytest.mark.parametrize("lines", [True, False])
def test_a_native_export_with_ungraded_rows(tmp_path: Path, lines: bool) -> None:
    profile = load_profile("bolton", as_of=BOLTON_2026[1])
    day = BOLTON_2026[1]
    ungraded = [
        ungraded_audit(profile, "thematic_audits", day, Concern.URGENT_SAFETY, audit_id="T1"),
        ungraded_audit(profile, "practice_observations", day, audit_id="T2"),
    ]
    graded_without = attrs.evolve(
        ungraded[1], id="G1", activity="quality_case_file_audits", auditor_role="team_manager"
    )
    rows = [to_dict(ungraded[0]), to_dict(graded_without), to_dict(ungraded[1])]
    path = tmp_path / ("audits.jsonl" if lines else "audits.json")
    if lines:
        path.write_text("".join(f"{json.dumps(r)}\n" for r in rows), encoding="utf-8")
    else:
        path.write_text(json.dumps(rows), encoding="utf-8")
    load = load_audits(path, "bolton")
    assert load.rows_read == len(load.accepted) + len(load.rejected) == 3
    assert load.accepted == tuple(ungraded)
    (rejection,) = load.rejected
    assert (rejection.row, rejection.column, rejection.value) == (2, "overall_grade", None)
    assert "grades practice and needs an overall grade" in rejection.reason


# -- reporting and moderation -----------------------------------------------------------------


def _ungraded_swindon(count: int) -> list[Audit]:
    profile = swindon()
    return [
        attrs.evolve(
            ungraded_audit(
                profile,
                ("multi_agency_audit", "observations_of_practice")[index % 2],
                date(2026, 4, 1) + timedelta(days=index % 60),
                *((Concern.URGENT_SAFETY,) if index % 4 == 0 else ()),
                audit_id=f"UG{index:03d}",
            ),
            team=("North", "South", "East")[index % 3],
            service_area="Safeguarding",
        )
        for index in range(count)
    ]


def test_a_cycle_report_counts_ungraded_audits_by_activity_only() -> None:
    graded = swindon_audits(60)
    ungraded = _ungraded_swindon(20)
    period = Period.parse("2026-04-01..2026-06-30")
    as_of = date(2026, 7, 15)
    alone = build_cycle_report(graded, swindon(), period, as_of=as_of)
    mixed = build_cycle_report([*graded, *ungraded], swindon(), period, as_of=as_of)
    counts = dict(zip(mixed.by_activity.row_keys, mixed.by_activity.row_totals, strict=True))
    assert counts["multi_agency_audit"] == counts["observations_of_practice"] == 10
    assert counts["child_practice_audit"] == 60
    assert mixed.by_activity.total == 80
    # Every grade figure is that of the graded audits alone.
    for name in ("audits", "overall", "by_team", "by_service_area", "by_standard", "trend"):
        assert getattr(mixed, name) == getattr(alone, name), name
    assert mixed.change == alone.change
    assert mixed.moderation == alone.moderation
    assert mixed.good_or_better == alone.good_or_better
    # The ungraded audits' urgent safety concerns are escalated.
    assert mixed.escalations.raised == alone.escalations.raised + 5


def test_agreement_and_frames_leave_out_or_show_the_missing_grade() -> None:
    graded = swindon_audits(30)
    ungraded = _ungraded_swindon(6)
    scale = swindon().grade_scale
    assert agreement([*graded, *ungraded], scale) == agreement(graded, scale)
    frame = audit_frames([*graded[:2], *ungraded[:2]])["audits"]
    assert list(frame["overall_grade"].isna()) == [False, False, True, True]
    assert list(frame["final_grade"].isna()) == [False, False, True, True]


def test_only_graded_audits_are_moderation_candidates() -> None:
    graded = swindon_audits(30)
    period = Period.parse("2026-04-01..2026-06-30")
    alone = select_for_moderation(swindon(), graded, period, seed=3)
    mixed = select_for_moderation(swindon(), [*graded, *_ungraded_swindon(12)], period, seed=3)
    assert mixed == alone


# -- the register -------------------------------------------------------------------------------


def test_the_register_stores_and_reads_back_ungraded_audits(
    register: Register, tmp_path: Path
) -> None:
    audits = [*swindon_audits(6, prefix="RG"), *_ungraded_swindon(4)]
    result = register.import_audits(write_jsonl(audits, tmp_path / "mixed.jsonl"), "swindon")
    assert result.record.added == len(audits)
    assert register.audits("swindon") == tuple(audits)
    for audit in audits[-4:]:
        assert register.audit("swindon", audit.id) == audit
    assert {a.overall_grade for a in register.audits("swindon")[-4:]} == {None}


def test_a_done_action_of_an_ungraded_audit_passes() -> None:
    profile = swindon()
    audit = ungraded_audit(profile, "multi_agency_audit", SWINDON[1])
    done = attrs.evolve(
        audit,
        actions=(attrs.evolve(audit.actions[0], status=ActionStatus.DONE, done_on=SWINDON[1]),),
    )
    assert _problems(profile, done) == []
    undated = attrs.evolve(done, actions=(attrs.evolve(done.actions[0], done_on=None),))
    assert [path for path, _ in _problems(profile, undated)] == ["$.actions[0].done_on"]
