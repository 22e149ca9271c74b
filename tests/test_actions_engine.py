"""Closing the loop (``qaframework.actions``): SMART action dates, actions as of a date,
escalations open and closed, and the child of concern tracker, with the real profiles."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import cache

import attrs
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qaframework.engine.actions.tracker as tracker_module
from qaframework import from_dict, load_profile, to_dict
from qaframework.engine.actions.ledger import (
    ActionCounts,
    ClosingTheLoopError,
    action_ledger,
    action_status_as_of,
    action_timescale_for,
    smart_action_dates,
)
from qaframework.engine.actions.tracker import (
    Closure,
    EscalationState,
    EscalationStatus,
    TrackerEntry,
    child_of_concern_tracker,
    escalation_states,
)
from qaframework.engine.audits import Audit, AuditAction, ModerationRecord, moderation_outcome
from qaframework.engine.escalation import (
    Escalation,
    evaluate_escalations,
    evaluate_escalations_bulk,
    grade_as_of,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.escalation import ClosingCondition, ConsequenceKind
from qaframework.policy.profile import Profile

BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=range(2019, 2033))
LATER = date(2031, 1, 1)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


@cache
def profile(profile_id: str, on: date) -> Profile:
    return load_profile(profile_id, as_of=on)


def resolver(profile_id: str) -> Callable[[date], Profile]:
    return lambda day: profile(profile_id, day)


def swindon() -> Profile:
    return profile("swindon", date(2026, 6, 1))


def make_audit(
    activity: str,
    on: date,
    grade: str,
    *,
    audit_id: str = "A1",
    child: str = "C1",
    team: str | None = "North",
    actions: tuple[AuditAction, ...] = (),
) -> Audit:
    return Audit(
        audit_id, child, activity, on, "tm-1", "team_manager", grade, team=team, actions=actions
    )


def moderate(audit: Audit, policy: Profile, grade: str, on: date, role: str = "qa_team") -> Audit:
    previous = audit.moderations[-1].grade if audit.moderations else audit.overall_grade
    outcome = moderation_outcome(policy, previous, grade)
    return audit.with_moderation(ModerationRecord("qa-1", role, grade, outcome, on))


def action(
    action_id: str,
    due: date,
    *,
    owner: str = "tm-1",
    done_on: date | None = None,
    verified_on: date | None = None,
) -> AuditAction:
    status = ActionStatus.OPEN
    if done_on is not None:
        status = ActionStatus.VERIFIED if verified_on is not None else ActionStatus.DONE
    return AuditAction(
        action_id,
        f"do {action_id}",
        owner,
        due,
        status=status,
        done_on=done_on,
        verified_on=verified_on,
    )


# ---------------------------------------------------------------------------------------------
# SMART dates from the profile's timescales
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audited", "due", "review"),
    [
        # Complete within one month of the audit, reviewed the following month.
        (date(2022, 1, 31), date(2022, 2, 28), date(2022, 3, 31)),
        (date(2022, 3, 15), date(2022, 4, 19), date(2022, 5, 16)),  # 15 April is Good Friday
        # A month on is Boxing Day 2022, then Christmas Day observed: Wednesday 28 December.
        (date(2022, 11, 26), date(2022, 12, 28), date(2023, 1, 26)),
    ],
)
def test_bolton_staying_safe_one_month_then_reviewed_the_following_month(
    audited: date, due: date, review: date
) -> None:
    policy = profile("bolton", audited)
    assert policy.version == "2021-11"
    audit = make_audit("whole_case_file_audits", audited, "requires_improvement")
    dates = smart_action_dates(policy, audit)
    assert dates.timescale.id == "whole_case_file_audit_actions"
    assert (dates.due, dates.review) == (due, review)
    assert dates.owner == "Team Manager"
    assert dates.owner_role == "team_manager"
    assert not dates.due_set_in_audit


def test_bolton_thematic_actions_are_reviewed_at_the_performance_management_meeting() -> None:
    policy = profile("bolton", date(2023, 1, 1))
    audit = make_audit("thematic_audits", date(2023, 6, 7), "good")
    dates = smart_action_dates(policy, audit)
    assert (dates.due, dates.review) == (date(2023, 7, 7), date(2023, 8, 7))
    assert len(dates.reviewed_in) == 1
    assert dates.reviewed_in[0] == policy.forum("performance_management_meeting").name


def test_a_timescale_the_profile_fixes_is_the_latest_an_audit_may_set() -> None:
    # "Within one month" allows sooner: the audit's own date is kept, up to the ceiling.
    policy = profile("bolton", date(2023, 1, 1))
    audit = make_audit("whole_case_file_audits", date(2023, 6, 7), "good")
    sooner = smart_action_dates(policy, audit, due=date(2023, 6, 30))
    assert (sooner.due, sooner.due_set_in_audit, sooner.review) == (
        date(2023, 6, 30),
        True,
        date(2023, 8, 7),
    )
    assert smart_action_dates(policy, audit, due=date(2023, 7, 7)).due == date(2023, 7, 7)
    with pytest.raises(ClosingTheLoopError, match=r"within 1 month of the audit \(by 2023-07-07\)"):
        smart_action_dates(policy, audit, due=date(2023, 7, 8))
    with pytest.raises(ClosingTheLoopError, match="before the audit"):
        smart_action_dates(policy, audit, due=date(2023, 6, 6))


def test_the_ceiling_is_the_working_day_the_profile_would_give() -> None:
    # A month after 26 November 2022 is Boxing Day; the timescale gives Wednesday 28 December,
    # so an audit may set any day up to then.
    policy = profile("bolton", date(2022, 11, 26))
    audit = make_audit("whole_case_file_audits", date(2022, 11, 26), "good")
    assert smart_action_dates(policy, audit, due=date(2022, 12, 28)).due == date(2022, 12, 28)
    with pytest.raises(ClosingTheLoopError):
        smart_action_dates(policy, audit, due=date(2022, 12, 29))


def test_bolton_2026_smart_actions_default_to_six_weeks() -> None:
    policy = profile("bolton", date(2026, 4, 1))
    audit = make_audit("quality_case_file_audits", date(2026, 4, 20), "does_not_yet_meet_good")
    dates = smart_action_dates(policy, audit)
    assert dates.timescale.id == "smart_audit_actions"
    assert (dates.due, dates.review) == (date(2026, 6, 1), None)
    assert dates.tracked_by == ("Quality Assurance Manager/Officer",)


def test_swindon_timescales_set_in_the_audit() -> None:
    audit = make_audit("child_practice_audit", date(2026, 6, 10), "requires_improvement")
    set_in_audit = smart_action_dates(swindon(), audit, due=date(2026, 6, 27))
    # A date the audit set is kept as it is, even on a Saturday.
    assert (set_in_audit.due, set_in_audit.due_set_in_audit) == (date(2026, 6, 27), True)
    assert set_in_audit.timescale.id == "audit_actions"
    default = smart_action_dates(swindon(), audit)
    assert (default.due, default.due_set_in_audit) == (date(2026, 7, 10), False)
    with pytest.raises(ClosingTheLoopError, match="before the audit"):
        smart_action_dates(swindon(), audit, due=date(2026, 6, 9))


def test_swindon_inadequate_actions_follow_the_child_of_concern_timescale() -> None:
    audit = make_audit("child_practice_audit", date(2026, 6, 10), "requires_improvement")
    downgraded = moderate(audit, swindon(), "inadequate", date(2026, 6, 17))
    timescale = action_timescale_for(swindon(), downgraded)
    assert timescale is not None
    assert timescale.id == "child_of_concern_actions"
    dates = smart_action_dates(swindon(), downgraded)
    assert dates.tracked_by == ("Quality Assurance Service",)
    assert dates.due == date(2026, 7, 10)


def test_manchester_closing_the_loop_dates_skip_bank_holidays() -> None:
    policy = profile("manchester", date(2026, 3, 4))
    audit = make_audit("file_audit", date(2026, 3, 4), "good")
    dates = smart_action_dates(policy, audit)
    # 4 April is a Saturday and 6 April Easter Monday; 4 May is the May Day bank holiday.
    assert (dates.due, dates.review) == (date(2026, 4, 7), date(2026, 5, 5))
    # An audit's own later due date never leaves the review before it.
    late = smart_action_dates(policy, audit, due=date(2026, 5, 20))
    assert (late.due, late.review) == (date(2026, 5, 20), date(2026, 5, 20))


def test_the_first_timescale_in_profile_order_is_used() -> None:
    policy = profile("telford", date(2026, 1, 1))
    audit = make_audit("senior_manager_audit", date(2026, 1, 14), "good")
    # Telford lists senior manager audits under both timescales; the first one applies.
    dates = smart_action_dates(policy, audit)
    assert dates.timescale.id == "audit_remedial_actions"
    assert dates.owner == "Team Manager"


def test_no_timescale_is_an_error() -> None:
    policy = profile("bolton", date(2023, 1, 1))
    audit = make_audit("transfer_audit", date(2023, 6, 7), "good")
    assert action_timescale_for(policy, audit) is None
    with pytest.raises(
        ClosingTheLoopError, match="no action timescale for activity 'transfer_audit'"
    ):
        smart_action_dates(policy, audit)


# ---------------------------------------------------------------------------------------------
# Actions as of a date
# ---------------------------------------------------------------------------------------------


def test_action_status_reads_the_dates() -> None:
    done = action("x", date(2026, 7, 1), done_on=date(2026, 7, 3), verified_on=date(2026, 7, 10))
    assert action_status_as_of(done, date(2026, 7, 2)) is ActionStatus.OPEN
    assert action_status_as_of(done, date(2026, 7, 3)) is ActionStatus.DONE
    assert action_status_as_of(done, date(2026, 7, 10)) is ActionStatus.VERIFIED


LEDGER_AUDITS = [
    make_audit(
        "child_practice_audit",
        date(2026, 5, 1),
        "good",
        audit_id="A1",
        team="North",
        actions=(
            action("A1-1", date(2026, 5, 29), owner="tm-1"),
            action("A1-2", date(2026, 6, 12), owner="tm-2", done_on=date(2026, 6, 1)),
        ),
    ),
    make_audit(
        "child_practice_audit",
        date(2026, 5, 20),
        "requires_improvement",
        audit_id="A2",
        team="South",
        actions=(
            action("A2-1", date(2026, 6, 5), owner="tm-2"),
            action("A2-2", date(2026, 6, 19), owner="tm-1"),
            action(
                "A2-3",
                date(2026, 5, 30),
                owner="tm-2",
                done_on=date(2026, 5, 28),
                verified_on=date(2026, 6, 3),
            ),
        ),
    ),
    make_audit(
        "child_practice_audit",
        date(2026, 6, 20),
        "good",
        audit_id="A3",
        team=None,
        actions=(action("A3-1", date(2026, 6, 21)),),
    ),
]


def test_overdue_and_due_soon() -> None:
    ledger = action_ledger(LEDGER_AUDITS, as_of=date(2026, 6, 5))
    # A3 was not yet audited on 5 June.
    assert len(ledger) == 5
    overdue = ledger.overdue()
    assert [(i.action.id, i.days_overdue) for i in overdue] == [("A1-1", 7)]
    assert overdue[0].audit_id == "A1"
    # Due on the day itself is not overdue; due soon is from the day to two weeks on.
    assert [i.action.id for i in ledger.due_soon()] == ["A2-1", "A2-2"]
    assert [i.action.id for i in ledger.due_soon(IsoDuration(weeks=1))] == ["A2-1"]
    assert [i.action.id for i in ledger.open()] == ["A1-1", "A2-1", "A2-2"]
    assert ledger.counts() == ActionCounts(total=5, open=3, done=1, verified=1, overdue=1)


def test_actions_by_team_and_owner() -> None:
    ledger = action_ledger(LEDGER_AUDITS, as_of=date(2026, 6, 25))
    teams = ledger.by_team()
    assert list(teams) == ["North", "South", None]
    assert teams["North"].counts() == ActionCounts(2, 1, 1, 0, 1)
    assert teams["South"].counts() == ActionCounts(3, 2, 0, 1, 2)
    assert teams[None].counts() == ActionCounts(1, 1, 0, 0, 1)
    owners = ledger.by_owner()
    assert list(owners) == ["tm-1", "tm-2"]
    assert [i.action.id for i in owners["tm-1"].overdue()] == ["A1-1", "A2-2", "A3-1"]
    assert sum(len(group) for group in owners.values()) == len(ledger)


# ---------------------------------------------------------------------------------------------
# Escalations open and closed; the child of concern tracker (Swindon, section 8.3)
# ---------------------------------------------------------------------------------------------

AUDITED = date(2026, 6, 10)
VERIFIED = date(2026, 7, 3)
CONFIRMED = date(2026, 6, 17)


def confirmed_inadequate(*actions: AuditAction, audit_id: str = "A1", child: str = "C1") -> Audit:
    audit = make_audit(
        "child_practice_audit",
        AUDITED,
        "inadequate",
        audit_id=audit_id,
        child=child,
        actions=actions,
    )
    return moderate(audit, swindon(), "inadequate", CONFIRMED)


def swindon_escalations(audits: list[Audit], as_of: date = LATER) -> list[Escalation]:
    return evaluate_escalations_bulk(audits, resolver("swindon"), as_of=as_of)


def tracker(audits: list[Audit], as_of: date) -> tuple[TrackerEntry, ...]:
    return child_of_concern_tracker(
        swindon_escalations(audits, as_of), audits, resolver("swindon"), as_of=as_of
    )


def states(
    audits: list[Audit], as_of: date
) -> dict[str, tuple[EscalationStatus, date | None, Closure | None]]:
    found = escalation_states(
        swindon_escalations(audits, as_of), audits, resolver("swindon"), as_of=as_of
    )
    return {s.escalation.rule_id: (s.status, s.closed_on, s.closure) for s in found}


def test_the_tracker_after_moderation_confirms_inadequate() -> None:
    actions = (action("A1-1", date(2026, 7, 10)), action("A1-2", date(2026, 7, 10)))
    audits = [confirmed_inadequate(*actions)]
    assert tracker(audits, CONFIRMED - timedelta(days=1)) == ()
    (entry,) = tracker(audits, date(2026, 6, 20))
    assert entry.tracker == "Child of concern tracker"
    assert (entry.child_id, entry.audit_id, entry.audit_ids) == ("C1", "A1", ("A1",))
    assert entry.grade == "inadequate"
    assert entry.team == "North"
    assert entry.added_on == CONFIRMED
    assert entry.next_review == date(2026, 6, 24)
    assert entry.open_actions == actions
    assert entry.awaiting_verification == ()
    assert entry.owner == "Quality Assurance Service"
    assert entry.follow_up_by == ("Quality Assurance Service",)
    assert entry.circulated_to == ("Director", "Director of Children's Services", "Head of Service")
    # Weekly reviews: the next one after the first.
    (later,) = tracker(audits, date(2026, 6, 25))
    assert later.next_review == date(2026, 7, 1)


def test_the_child_leaves_the_tracker_when_every_action_is_verified() -> None:
    audits = [
        confirmed_inadequate(
            action(
                "A1-1", date(2026, 7, 10), done_on=date(2026, 7, 1), verified_on=date(2026, 7, 8)
            ),
            action(
                "A1-2", date(2026, 7, 10), done_on=date(2026, 7, 9), verified_on=date(2026, 7, 15)
            ),
        )
    ]
    (entry,) = tracker(audits, date(2026, 7, 9))
    assert [a.id for a in entry.awaiting_verification] == ["A1-2"]
    assert entry.open_actions == ()
    assert tracker(audits, date(2026, 7, 15)) == ()
    found = states(audits, date(2026, 7, 15))
    assert found["child_of_concern"] == (
        EscalationStatus.CLOSED,
        date(2026, 7, 15),
        Closure.ACTIONS_VERIFIED,
    )
    assert states(audits, date(2026, 7, 14))["child_of_concern"][0] is EscalationStatus.OPEN


def test_the_child_leaves_the_tracker_when_a_later_audit_is_graded_better() -> None:
    first = confirmed_inadequate(action("A1-1", date(2026, 7, 10)))
    better = make_audit(
        "child_practice_audit", date(2026, 9, 2), "requires_improvement", audit_id="A2"
    )
    audits = [first, better]
    assert len(tracker(audits, date(2026, 9, 1))) == 1
    assert tracker(audits, date(2026, 9, 2)) == ()
    (state,) = [
        s
        for s in escalation_states(
            swindon_escalations(audits), audits, resolver("swindon"), as_of=date(2026, 9, 2)
        )
        if s.escalation.rule_id == "child_of_concern"
    ]
    assert (state.closure, state.closed_on, state.closed_by_audit) == (
        Closure.IMPROVED,
        date(2026, 9, 2),
        "A2",
    )


def test_a_second_inadequate_audit_keeps_the_child_on_with_both_audits() -> None:
    first = confirmed_inadequate(action("A1-1", date(2026, 7, 10)))
    second = moderate(
        make_audit(
            "child_practice_audit",
            date(2026, 9, 2),
            "inadequate",
            audit_id="A2",
            actions=(action("A2-1", date(2026, 10, 2)),),
        ),
        swindon(),
        "inadequate",
        date(2026, 9, 9),
    )
    (entry,) = tracker([first, second], date(2026, 9, 10))
    assert entry.audit_ids == ("A1", "A2")
    assert entry.audit_id == "A2"
    assert entry.added_on == CONFIRMED
    assert [a.id for a in entry.open_actions] == ["A1-1", "A2-1"]
    assert len(entry.escalations) == 2


def test_the_child_leaves_the_tracker_when_moderation_lifts_the_grade() -> None:
    audit = moderate(confirmed_inadequate(), swindon(), "requires_improvement", date(2026, 7, 1))
    assert len(tracker([audit], date(2026, 6, 30))) == 1
    assert tracker([audit], date(2026, 7, 1)) == ()
    assert states([audit], date(2026, 7, 1))["child_of_concern"] == (
        EscalationStatus.CLOSED,
        date(2026, 7, 1),
        Closure.WITHDRAWN,
    )


def test_a_downgrade_puts_the_child_on_the_tracker_once() -> None:
    actions = (action("A1-1", date(2026, 7, 10)),)
    audit = moderate(
        make_audit("child_practice_audit", AUDITED, "requires_improvement", actions=actions),
        swindon(),
        "inadequate",
        date(2026, 6, 19),
    )
    (entry,) = tracker([audit], date(2026, 6, 22))
    assert {e.rule_id for e in entry.escalations} == {
        "child_of_concern",
        "moderation_downgrade_to_inadequate",
    }
    assert entry.added_on == date(2026, 6, 19)
    assert entry.next_review == date(2026, 6, 26)
    # The RI tracking raised before moderation is withdrawn by the downgrade.
    found = states([audit], date(2026, 6, 22))
    assert found["requires_improvement_or_good_tracking"] == (
        EscalationStatus.CLOSED,
        date(2026, 6, 19),
        Closure.WITHDRAWN,
    )


def test_one_off_notifications_close_on_their_deadline() -> None:
    audit = make_audit("child_practice_audit", date(2026, 12, 25), "inadequate")
    found = states([audit], date(2026, 12, 28))
    assert found["inadequate_shared_pre_moderation"][0] is EscalationStatus.OPEN
    assert states([audit], date(2026, 12, 29))["inadequate_shared_pre_moderation"] == (
        EscalationStatus.CLOSED,
        date(2026, 12, 29),
        Closure.NOTIFIED,
    )


def test_a_tracker_that_does_not_close_on_no_actions_stays_open_without_them() -> None:
    # Manchester's closing the loop tracker: gaps with no actions set are not closed loops.
    policy = profile("manchester", date(2026, 3, 4))
    audit = make_audit("file_audit", date(2026, 3, 4), "requires_improvement")
    raised = evaluate_escalations(policy, audit, as_of=LATER)
    found = {
        s.escalation.rule_id: s.status
        for s in escalation_states(raised, [audit], resolver("manchester"), as_of=LATER)
    }
    assert found == {
        "audit_shared": EscalationStatus.CLOSED,
        "closing_the_loop_tracker": EscalationStatus.OPEN,
    }


# A rule's closing conditions, one at a time, on a profile built from Swindon's.


def with_closes(*closes: ClosingCondition) -> Profile:
    """Swindon, its requires-improvement-or-good tracking rule closing on ``closes`` only."""
    base = swindon()
    rules = tuple(
        attrs.evolve(r, closes=closes) if r.id == "requires_improvement_or_good_tracking" else r
        for r in base.escalation
    )
    return attrs.evolve(base, escalation=rules)


def tracking(audits: list[Audit], policy: Profile, as_of: date) -> EscalationState:
    raised = evaluate_escalations_bulk(audits, lambda day: policy, as_of=as_of)
    (state,) = [
        s
        for s in escalation_states(raised, audits, lambda day: policy, as_of=as_of)
        if s.escalation.rule_id == "requires_improvement_or_good_tracking"
    ]
    return state


GOOD = make_audit("child_practice_audit", AUDITED, "good")  # raised 10 June, due 17 June


@pytest.mark.parametrize(
    ("closes", "closed"),
    [
        ((ClosingCondition.NO_ACTIONS,), (date(2026, 6, 17), Closure.NO_ACTIONS)),
        ((ClosingCondition.DEADLINE,), (date(2026, 6, 17), Closure.DEADLINE)),
        ((ClosingCondition.ACTIONS_VERIFIED,), None),
        ((ClosingCondition.IMPROVED, ClosingCondition.WITHDRAWN), None),
    ],
)
def test_an_audit_with_no_actions_closes_only_if_the_rule_says_so(
    closes: tuple[ClosingCondition, ...], closed: tuple[date, Closure] | None
) -> None:
    policy = with_closes(*closes)
    assert tracking([GOOD], policy, date(2026, 6, 16)).status is EscalationStatus.OPEN
    state = tracking([GOOD], policy, LATER)
    assert (state.closed_on, state.closure) == (closed or (None, None))


def test_no_actions_does_not_close_an_audit_with_actions() -> None:
    audit = make_audit(
        "child_practice_audit", AUDITED, "good", actions=(action("A1-1", date(2026, 7, 10)),)
    )
    state = tracking([audit], with_closes(ClosingCondition.NO_ACTIONS), LATER)
    assert state.status is EscalationStatus.OPEN


def test_the_first_condition_to_happen_closes_it() -> None:
    verified = action(
        "A1-1", date(2026, 7, 10), done_on=date(2026, 6, 12), verified_on=date(2026, 6, 15)
    )
    audit = make_audit("child_practice_audit", AUDITED, "good", actions=(verified,))
    both = with_closes(ClosingCondition.DEADLINE, ClosingCondition.ACTIONS_VERIFIED)
    state = tracking([audit], both, LATER)
    assert (state.closed_on, state.closure) == (date(2026, 6, 15), Closure.ACTIONS_VERIFIED)
    # Without actions_verified, verified actions do not close it; its deadline does.
    state = tracking([audit], with_closes(ClosingCondition.DEADLINE), LATER)
    assert (state.closed_on, state.closure) == (date(2026, 6, 17), Closure.DEADLINE)


def test_a_rule_without_closes_keeps_the_engines_default() -> None:
    # No closes: a one-off notification closes on its deadline, a tracker on verified actions,
    # a better later audit or a withdrawing moderation, and never for want of actions.
    policy = with_closes()
    assert tracking([GOOD], policy, LATER).status is EscalationStatus.OPEN
    audit = moderate(GOOD, policy, "outstanding", date(2026, 6, 20))
    state = tracking([audit], policy, LATER)
    assert (state.closed_on, state.closure) == (date(2026, 6, 20), Closure.WITHDRAWN)


def test_closes_must_suit_the_trigger() -> None:
    rule = next(r for r in swindon().escalation if r.id == "urgent_safety_concern")
    with pytest.raises(ValueError, match="cannot close as improved"):
        attrs.evolve(rule, closes=(ClosingCondition.IMPROVED,))
    with pytest.raises(ValueError, match="names grades can close as withdrawn"):
        attrs.evolve(rule, closes=(ClosingCondition.WITHDRAWN,))
    with pytest.raises(ValueError, match="each condition once"):
        attrs.evolve(rule, closes=(ClosingCondition.DEADLINE, ClosingCondition.DEADLINE))


def test_escalations_must_name_audits_given() -> None:
    audit = confirmed_inadequate()
    with pytest.raises(ClosingTheLoopError, match="names audit 'A1', which is not among"):
        escalation_states(swindon_escalations([audit]), [], resolver("swindon"), as_of=LATER)
    with pytest.raises(ClosingTheLoopError, match="audit id 'A1' appears more than once"):
        escalation_states([], [audit, audit], resolver("swindon"), as_of=LATER)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

SPANS = [
    ("bolton", date(2021, 11, 1), date(2025, 4, 30)),
    ("bolton", date(2026, 2, 5), date(2030, 12, 31)),
    ("manchester", date(2019, 9, 1), date(2030, 12, 31)),
    ("swindon", date(2026, 1, 1), date(2030, 12, 31)),
    ("telford", date(2020, 7, 1), date(2030, 12, 31)),
]


@st.composite
def actions(draw: st.DrawFn, audited: date, prefix: str) -> tuple[AuditAction, ...]:
    found = []
    for n in range(draw(st.integers(0, 3))):
        due = audited + timedelta(days=draw(st.integers(0, 90)))
        done_on = verified_on = None
        if draw(st.booleans()):
            done_on = audited + timedelta(days=draw(st.integers(0, 120)))
            if draw(st.booleans()):
                verified_on = done_on + timedelta(days=draw(st.integers(0, 30)))
        found.append(
            action(
                f"{prefix}-{n}",
                due,
                owner=draw(st.sampled_from(["tm-1", "tm-2"])),
                done_on=done_on,
                verified_on=verified_on,
            )
        )
    return tuple(found)


@st.composite
def audit_sets(draw: st.DrawFn, span: tuple[str, date, date]) -> list[Audit]:
    profile_id, first, last = span
    audits = []
    for n in range(draw(st.integers(1, 6))):
        audited = draw(st.dates(first, last))
        policy = profile(profile_id, audited)
        codes = list(policy.grade_scale.codes)
        activities = sorted(
            {a.id for a in policy.activities if a.graded}
            | {a for t in policy.action_timescales for a in t.applies_to}
        )
        audit = make_audit(
            draw(st.sampled_from(activities)),
            audited,
            draw(st.sampled_from(codes)),
            audit_id=f"A{n}",
            child=draw(st.sampled_from(["C1", "C2"])),
            team=draw(st.sampled_from(["North", "South", None])),
            actions=draw(actions(audited, f"A{n}")),
        )
        for _ in range(draw(st.integers(0, 2))):
            on = audited + timedelta(days=draw(st.integers(0, 40)))
            audit = moderate(audit, policy, draw(st.sampled_from(codes)), on, "team_manager")
        audits.append(audit)
    return audits


spans_and_audits = st.sampled_from(SPANS).flatmap(
    lambda span: st.tuples(st.just(span), audit_sets(span))
)


@given(spans_and_audits)
def test_smart_dates_are_working_days_from_the_audit_on(
    case: tuple[tuple[str, date, date], list[Audit]],
) -> None:
    (profile_id, _, _), audits = case
    for audit in audits:
        policy = profile(profile_id, audit.audit_date)
        if action_timescale_for(policy, audit) is None:
            continue
        dates = smart_action_dates(policy, audit)
        assert audit.audit_date <= dates.due
        assert is_working_day(dates.due)
        if dates.review is not None:
            assert dates.due <= dates.review
            assert is_working_day(dates.review)


@given(spans_and_audits, st.integers(-30, 400))
def test_the_ledger_adds_up(case: tuple[tuple[str, date, date], list[Audit]], offset: int) -> None:
    _, audits = case
    as_of = min(a.audit_date for a in audits) + timedelta(days=offset)
    ledger = action_ledger(audits, as_of=as_of)
    counts = ledger.counts()
    assert counts.total == len(ledger) == counts.open + counts.done + counts.verified
    assert sum(len(a.actions) for a in audits if a.audit_date <= as_of) == counts.total
    for item in ledger.overdue():
        assert item.status is ActionStatus.OPEN
        assert item.action.due < as_of
        assert item.days_overdue == (as_of - item.action.due).days
    assert len(ledger.overdue()) == counts.overdue
    for item in ledger.due_soon():
        assert item.status is ActionStatus.OPEN
        assert as_of <= item.action.due <= as_of + timedelta(days=14)
    for groups in (ledger.by_team(), ledger.by_owner()):
        assert sum(g.counts().total for g in groups.values()) == counts.total
        assert sum(g.counts().overdue for g in groups.values()) == counts.overdue


@given(spans_and_audits, st.integers(0, 200), st.integers(0, 200))
def test_an_action_never_goes_back(
    case: tuple[tuple[str, date, date], list[Audit]], first: int, more: int
) -> None:
    _, audits = case
    order = {ActionStatus.OPEN: 0, ActionStatus.DONE: 1, ActionStatus.VERIFIED: 2}
    for audit in audits:
        earlier = audit.audit_date + timedelta(days=first)
        for item in audit.actions:
            before = action_status_as_of(item, earlier)
            after = action_status_as_of(item, earlier + timedelta(days=more))
            assert order[before] <= order[after]


@given(spans_and_audits, st.integers(0, 300))
def test_states_and_the_tracker_agree(
    case: tuple[tuple[str, date, date], list[Audit]], offset: int
) -> None:
    (profile_id, _, _), audits = case
    as_of = min(a.audit_date for a in audits) + timedelta(days=offset)
    resolve = resolver(profile_id)
    raised = evaluate_escalations_bulk(audits, resolve, as_of=as_of)
    found = escalation_states(raised, audits, resolve, as_of=as_of)
    assert [s.escalation for s in found] == raised
    open_trackers = set()
    for state in found:
        escalation = state.escalation
        if state.status is EscalationStatus.CLOSED:
            assert state.closed_on is not None
            assert state.closure is not None
            assert escalation.raised_on <= state.closed_on <= as_of
            # A rule that states its closing conditions closes only on one of them.
            if escalation.rule.closes:
                assert state.closure.value in {c.value for c in escalation.rule.closes}
            if state.closure in (Closure.NO_ACTIONS, Closure.DEADLINE, Closure.NOTIFIED):
                assert state.closed_on == escalation.deadline
        else:
            assert (state.closed_on, state.closure) == (None, None)
            consequence = escalation.consequence
            if (
                consequence is not None
                and consequence.kind is ConsequenceKind.CHILD_OF_CONCERN_TRACKER
            ):
                open_trackers.add((consequence.name, escalation.child_id))
    entries = child_of_concern_tracker(raised, audits, resolve, as_of=as_of)
    assert {(e.tracker, e.child_id) for e in entries} == open_trackers
    assert len(entries) == len(open_trackers)
    for entry in entries:
        assert entry.added_on <= as_of
        assert entry.next_review is not None
        assert entry.next_review >= as_of
        assert is_working_day(entry.next_review)
        assert entry.audit_id == entry.audit_ids[-1]


@given(spans_and_audits, st.integers(0, 300))
def test_a_childs_audits_indexed_close_the_loop_as_read_one_by_one(
    case: tuple[tuple[str, date, date], list[Audit]], offset: int
) -> None:
    # A child with many audits has them searched through an index rather than one by one
    # (a later audit graded better, a follow-on audit), and an audit with many moderations
    # has them sorted once (a later moderation withdrawing the grade): the states and the
    # tracker are the same either way, here with every child and audit indexed against
    # every one read in turn.
    (profile_id, _, _), audits = case
    as_of = min(a.audit_date for a in audits) + timedelta(days=offset)
    resolve = resolver(profile_id)
    raised = evaluate_escalations_bulk(audits, resolve, as_of=as_of)
    found = {}
    for scanned in (10**9, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tracker_module, "_SCANNED", scanned)
            found[scanned] = (
                escalation_states(raised, audits, resolve, as_of=as_of),
                child_of_concern_tracker(raised, audits, resolve, as_of=as_of),
            )
    assert found[0] == found[10**9]


def test_one_childs_many_audits_are_each_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # 400 audits of one child (an export whose rows share a placeholder id), each graded
    # Inadequate and confirmed so, none ever better: reading every later audit for each
    # escalation read a child's audits 80,000 times (their square); now each is read once.
    audits = []
    for n in range(400):
        audited = AUDITED + timedelta(days=n)
        audit = make_audit(
            "child_practice_audit", audited, "inadequate", audit_id=f"A{n:03}", child="N/A"
        )
        audits.append(moderate(audit, swindon(), "inadequate", audited + timedelta(days=1)))
    raised = swindon_escalations(audits)
    reads = 0

    def counted(audit: Audit, as_of: date) -> str | None:
        nonlocal reads
        reads += 1
        return grade_as_of(audit, as_of)

    monkeypatch.setattr("qaframework.engine.actions.tracker.grade_as_of", counted)
    found = escalation_states(raised, audits, resolver("swindon"), as_of=LATER)
    assert len(found) == len(raised) >= 400
    assert all(s.closure is not Closure.IMPROVED for s in found)
    assert reads <= 2 * len(audits)


@pytest.mark.parametrize("spoilt", [3, 12])
@pytest.mark.parametrize("failure", ["grade", "version"])
def test_an_indexed_child_fails_where_reading_one_by_one_fails(spoilt: int, failure: str) -> None:
    # Twenty audits of one child, Inadequate, then Good from the tenth on; one of them
    # (the 4th, before any better grade, or the 13th, after one) has a grade its version's
    # scale lacks, or a date no version covers. Read one by one, the loop fails at the
    # spoilt audit only when it is reached before a better grade; indexed, the same.
    audits = []
    for n in range(20):
        audited = AUDITED + timedelta(days=n)
        grade = "inadequate" if n < 9 else "good"
        audit = make_audit("child_practice_audit", audited, grade, audit_id=f"A{n:02}")
        if n == spoilt and failure == "grade":
            audit = attrs.evolve(audit, overall_grade="not-a-grade")
        audits.append(audit)
    # The first confirmed Inadequate by moderation: a child of concern, until improved.
    audits[0] = moderate(audits[0], swindon(), "inadequate", AUDITED + timedelta(days=1))
    raised = swindon_escalations(audits[:1])
    broken_day = AUDITED + timedelta(days=spoilt)

    def resolve(day: date) -> Profile:
        if failure == "version" and day == broken_day:
            raise ClosingTheLoopError(f"no version in force on {day.isoformat()}")
        return swindon()

    outcomes: list[tuple[EscalationState, ...] | str] = []
    for scanned in (10**9, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tracker_module, "_SCANNED", scanned)
            try:
                outcomes.append(escalation_states(raised, audits, resolve, as_of=LATER))
            except ClosingTheLoopError as error:
                outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]
    if spoilt == 3:
        assert isinstance(outcomes[0], str)  # reached before the better grade
    else:
        assert not isinstance(outcomes[0], str)
        assert (Closure.IMPROVED, "A09") in [(s.closure, s.closed_by_audit) for s in outcomes[0]]


class _CountedReads(tuple[ModerationRecord, ...]):
    """An audit's moderations, counting how often they are read through."""

    reads = 0

    def __iter__(self) -> Iterator[ModerationRecord]:
        type(self).reads += 1
        return super().__iter__()


def test_one_audits_many_moderations_are_sorted_once() -> None:
    # One audit moderated 600 times, its grade going in and out of Inadequate: each time in
    # raises an escalation, each time out withdraws the one before. Sorting and reading
    # the moderations again for each escalation read them 900 times (their square); now
    # they are sorted once for the loop.
    policy = swindon()
    audit = make_audit("child_practice_audit", AUDITED, "inadequate")
    for n in range(600):
        grade = "good" if n % 2 == 0 else "inadequate"
        audit = moderate(audit, policy, grade, AUDITED + timedelta(days=n + 1))
    raised = swindon_escalations([audit])
    counted = attrs.evolve(audit, moderations=_CountedReads(audit.moderations))
    _CountedReads.reads = 0
    found = escalation_states(raised, [counted], resolver("swindon"), as_of=LATER)
    assert len(found) == len(raised) > 600
    assert sum(s.closure is Closure.WITHDRAWN for s in found) >= 299
    assert _CountedReads.reads <= 10


def test_one_audits_many_actions_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # One audit moderated 300 times (about 450 escalations) with 300 actions, all
    # verified: whether they all are was read for each escalation (135,000 reads of an
    # action's status); now once for the audit. Each escalation still closes on the day
    # the last action was verified, or the day it was raised if later.
    policy = swindon()
    actions = tuple(
        action(f"A1-{n}", date(2026, 7, 1), done_on=date(2026, 7, 2), verified_on=VERIFIED)
        for n in range(300)
    )
    audit = make_audit("child_practice_audit", AUDITED, "inadequate", actions=actions)
    for n in range(300):
        grade = "good" if n % 2 == 0 else "inadequate"
        audit = moderate(audit, policy, grade, AUDITED + timedelta(days=n + 1))
    raised = swindon_escalations([audit])
    reads = 0

    def counted(item: AuditAction, as_of: date) -> ActionStatus:
        nonlocal reads
        reads += 1
        return action_status_as_of(item, as_of)

    monkeypatch.setattr("qaframework.engine.actions.tracker.action_status_as_of", counted)
    found = escalation_states(raised, [audit], resolver("swindon"), as_of=LATER)
    assert len(found) == len(raised) > 300
    verified = [s for s in found if s.closure is Closure.ACTIONS_VERIFIED]
    assert verified
    assert all(s.closed_on == max(VERIFIED, s.escalation.raised_on) for s in verified)
    assert reads <= 2 * len(actions)


def test_records_convert_to_plain_data_for_json_output() -> None:
    audits = [confirmed_inadequate(action("A1-1", date(2026, 7, 10)))]
    raised = swindon_escalations(audits)
    as_of = date(2026, 7, 20)
    (entry,) = child_of_concern_tracker(raised, audits, resolver("swindon"), as_of=as_of)
    plain = to_dict(entry)
    assert plain["added_on"] == "2026-06-17"
    assert plain["open_actions"][0]["due"] == "2026-07-10"
    (state, *_) = escalation_states(raised, audits, resolver("swindon"), as_of=as_of)
    assert to_dict(state)["closure"] == "notified"
    (item,) = action_ledger(audits, as_of=as_of).overdue()
    assert to_dict(item)["days_overdue"] == 10
    for escalation in raised:
        assert from_dict(Escalation, json.loads(json.dumps(to_dict(escalation)))) == escalation
