"""Escalation rules: triggers, deadlines and consequences (``qaframework.escalation``)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from qaframework.policy.cadence import Cadence, IsoDuration
from qaframework.policy.citations import Citation
from qaframework.policy.escalation import (
    Concern,
    Consequence,
    ConsequenceKind,
    Deadline,
    DeadlineKind,
    EscalationRule,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        (TriggerKind.GRADE, {"stage": GradeStage.AUDITOR, "at_or_below": "inadequate"}),
        (TriggerKind.GRADE, {"stage": GradeStage.FINAL, "grades": ("ri", "inadequate")}),
        (TriggerKind.MODERATION, {"outcome": ModerationOutcome.DOWNGRADE}),
        (
            TriggerKind.MODERATION,
            {"outcome": ModerationOutcome.AGREE, "at_or_below": "inadequate", "grades": ("ri",)},
        ),
        (TriggerKind.CONCERN, {"concern": Concern.URGENT_SAFETY}),
        (TriggerKind.COMPLETED, {}),
    ],
)
def test_valid_triggers_keep_what_they_are_given(kind: TriggerKind, kwargs: dict[str, Any]) -> None:
    trigger = Trigger(kind, **kwargs)
    assert {name: getattr(trigger, name) for name in kwargs} == kwargs


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        (TriggerKind.GRADE, {"at_or_below": "inadequate"}, "says which grade it reads"),
        (TriggerKind.GRADE, {"stage": GradeStage.AUDITOR}, "either at_or_below or grades"),
        (
            TriggerKind.GRADE,
            {"stage": GradeStage.AUDITOR, "at_or_below": "inadequate", "grades": ("ri",)},
            "either at_or_below or grades",
        ),
        (
            TriggerKind.GRADE,
            {"stage": GradeStage.AUDITOR, "grades": ("ri",), "concern": Concern.HEALTH},
            "a trigger of kind 'grade' takes no concern",
        ),
        (TriggerKind.MODERATION, {}, "names the moderation outcome"),
        (
            TriggerKind.MODERATION,
            {"outcome": ModerationOutcome.DOWNGRADE, "stage": GradeStage.MODERATED},
            "a trigger of kind 'moderation' takes no stage",
        ),
        (TriggerKind.CONCERN, {}, "names the concern"),
        (
            TriggerKind.CONCERN,
            {"concern": Concern.HEALTH, "grades": ("ri",)},
            "a trigger of kind 'concern' takes no grades",
        ),
        (
            TriggerKind.COMPLETED,
            {"stage": GradeStage.FINAL, "outcome": ModerationOutcome.AGREE},
            "a trigger of kind 'completed' takes no outcome, stage",
        ),
    ],
)
def test_trigger_validation(kind: TriggerKind, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Trigger(kind, **kwargs)


def test_trigger_grade_codes() -> None:
    assert Trigger(
        TriggerKind.GRADE, stage=GradeStage.AUDITOR, at_or_below="inadequate"
    ).grade_codes == ("inadequate",)
    assert Trigger(
        TriggerKind.MODERATION,
        outcome=ModerationOutcome.DOWNGRADE,
        at_or_below="inadequate",
        grades=("ri", "good"),
    ).grade_codes == ("inadequate", "ri", "good")
    assert Trigger(TriggerKind.COMPLETED).grade_codes == ()


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        (DeadlineKind.WORKING_DAYS, {}, "needs working_days >= 1"),
        (DeadlineKind.WORKING_DAYS, {"working_days": 0}, "needs working_days >= 1"),
        (
            DeadlineKind.IMMEDIATE,
            {"working_days": 2},
            "a deadline of kind 'immediate' takes no working_days",
        ),
        (DeadlineKind.WITHIN, {}, "needs a non-zero duration"),
        (DeadlineKind.WITHIN, {"within": IsoDuration()}, "needs a non-zero duration"),
        (
            DeadlineKind.NEXT_CYCLE,
            {"within": IsoDuration(months=1)},
            "a deadline of kind 'next_cycle' takes no duration",
        ),
        (
            DeadlineKind.WORKING_DAYS,
            {"working_days": 2, "within": IsoDuration(days=2)},
            "a deadline of kind 'working_days' takes no duration",
        ),
    ],
)
def test_deadline_validation(kind: DeadlineKind, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Deadline(kind, **kwargs)


@pytest.mark.parametrize(
    ("deadline", "words", "days"),
    [
        (Deadline(DeadlineKind.IMMEDIATE), "immediately", 0.0),
        (Deadline(DeadlineKind.SAME_WORKING_DAY), "same working day", 0.0),
        (Deadline(DeadlineKind.WORKING_DAYS, working_days=1), "within 1 working day", 1.4),
        (Deadline(DeadlineKind.WORKING_DAYS, working_days=5), "within 5 working days", 7.0),
        (
            Deadline(DeadlineKind.WITHIN, within=IsoDuration(months=1)),
            "within 1 month",
            365.2425 / 12,
        ),
        (Deadline(DeadlineKind.WITHIN, within=IsoDuration(weeks=2)), "within 2 weeks", 14.0),
        (Deadline(DeadlineKind.WITHIN, within=IsoDuration(weeks=6)), "within 6 weeks", 42.0),
        (Deadline(DeadlineKind.NEXT_CYCLE), "by the next cycle", math.inf),
    ],
)
def test_deadline_describe_and_length(deadline: Deadline, words: str, days: float) -> None:
    assert deadline.describe() == words
    assert deadline.approximate_days() == pytest.approx(days)


def test_next_cycle_deadline_is_one_cycle_long() -> None:
    deadline = Deadline(DeadlineKind.NEXT_CYCLE)
    assert deadline.approximate_days(IsoDuration(weeks=6)) == 42


def test_an_escalation_rule(example_profile: Profile) -> None:
    rule = example_profile.escalation[1]
    assert rule == EscalationRule(
        "child_of_concern",
        "Child of concern tracker",
        Trigger(TriggerKind.GRADE, stage=GradeStage.MODERATED, at_or_below="inadequate"),
        ("qa_manager",),
        Deadline(DeadlineKind.WORKING_DAYS, working_days=2),
        Citation("qaf", "5.2 Escalation"),
        follow_up=Cadence.periodic("P1W"),
        follow_up_by=("qa_manager",),
        consequence=Consequence(
            ConsequenceKind.CHILD_OF_CONCERN_TRACKER,
            "Child of concern tracker",
            owner="qa_manager",
            monitored_in=("qa_board",),
        ),
    )
    assert rule.raised_by == ()
    assert rule.deadline.approximate_days() < rule.follow_up.every.approximate_days  # type: ignore[union-attr]
