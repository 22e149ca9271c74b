"""Closing the loop: action timescales (``qaframework.actions``)."""

from __future__ import annotations

from typing import Any

import pytest

from qaframework.policy.actions import ActionStatus, ActionTimescale
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.citations import Citation
from qaframework.policy.profile import Profile

CITE = Citation("qaf", "5.3 Closing the loop")
MONTH, TWO_MONTHS, WEEK = IsoDuration(months=1), IsoDuration(months=2), IsoDuration(weeks=1)


def timescale(**kwargs: Any) -> ActionTimescale:
    return ActionTimescale("audit_actions", ("case_file_audit",), "team_manager", CITE, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"due": MONTH},
        {"due": MONTH, "review": TWO_MONTHS},
        {"due": MONTH, "review": MONTH},
        {"set_in_audit": True, "default_due": MONTH},
        {"set_in_audit": True, "default_due": MONTH, "review": TWO_MONTHS},
    ],
)
def test_valid_timescales(kwargs: dict[str, Any]) -> None:
    made = timescale(**kwargs)
    assert made.set_in_audit == (made.due is None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "gives due, or default_due when set in audit"),
        ({"set_in_audit": True}, "gives due, or default_due when set in audit"),
        ({"due": MONTH, "set_in_audit": True}, "not both"),
        ({"default_due": MONTH}, "set_in_audit is true exactly when due is not given"),
        ({"due": MONTH, "review": WEEK}, "review P1W comes before due P1M"),
        (
            {"set_in_audit": True, "default_due": TWO_MONTHS, "review": MONTH},
            "review P1M comes before due P2M",
        ),
    ],
)
def test_invalid_timescales(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        timescale(**kwargs)


def test_example_timescale(example_profile: Profile) -> None:
    (actions,) = example_profile.action_timescales
    assert actions.due == MONTH
    assert actions.review == TWO_MONTHS
    assert not actions.set_in_audit
    assert actions.reviewed_in == ("supervision",)


def test_action_statuses() -> None:
    assert [s.value for s in ActionStatus] == ["open", "done", "verified"]
