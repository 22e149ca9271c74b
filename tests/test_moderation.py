"""Moderation policy: which audits a second look is taken at (``qaframework.moderation``)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.policy.cadence import Cadence, IsoDuration
from qaframework.policy.citations import Citation
from qaframework.policy.moderation import (
    ModerationOutcome,
    ModerationPolicy,
    SelectionKind,
    SelectionRule,
)

CITE = Citation("qaf", "5.1 Moderation")


def proportion(value: float, **bounds: int) -> SelectionRule:
    return SelectionRule(SelectionKind.PROPORTION, CITE, proportion=value, **bounds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "count", "size"),
    [
        (proportion(0.1), 20, 2),  # not 3: 20 * 0.1 is 2.0000000000000004 in floating point
        (proportion(0.1), 21, 3),
        (proportion(0.1), 10, 1),
        (proportion(0.1), 1, 1),
        (proportion(0.3), 10, 3),
        (proportion(0.7), 10, 7),
        (proportion(1.0), 13, 13),
        (proportion(0.1), 0, 0),
        (proportion(0.1), -4, 0),
        (proportion(0.1, minimum=5), 20, 5),
        (proportion(0.1, minimum=5), 3, 3),  # never more than the audits there are
        (proportion(0.5, maximum=4), 20, 4),
        (proportion(0.5, minimum=2, maximum=4), 2, 2),
        (proportion(0.5, minimum=2, maximum=4), 6, 3),
        (proportion(0.1, maximum=0), 20, 0),
        (proportion(0.001), 5000, 5),
        # The proportion as written: this one is a little over 0.001, so its share of 5000
        # is a little over 5, and rounds up.
        (proportion(0.0010000000000000002), 5000, 6),
    ],
)
def test_sample_size(rule: SelectionRule, count: int, size: int) -> None:
    assert rule.sample_size(count) == size


@given(
    p=st.floats(0.001, 1),
    count=st.integers(0, 5000),
    minimum=st.none() | st.integers(0, 100),
    extra=st.none() | st.integers(0, 100),
)
def test_sample_size_bounds(p: float, count: int, minimum: int | None, extra: int | None) -> None:
    maximum = None if extra is None else (minimum or 0) + extra
    rule = proportion(
        p, **{k: v for k, v in (("minimum", minimum), ("maximum", maximum)) if v is not None}
    )
    size = rule.sample_size(count)
    assert 0 <= size <= count
    if maximum is not None:
        assert size <= maximum
    # The share of the count, the proportion taken as the decimal fraction it is written
    # as (repr), rounded up: the least whole number at or above it.
    share = Fraction(repr(p)) * count
    if minimum is None and maximum is None:
        assert size - 1 < share <= size
        assert count * p - 1e-6 <= size < count * p + 1
    if minimum is not None:
        assert size >= min(minimum, count, maximum if maximum is not None else count)


def test_sample_size_needs_a_proportion() -> None:
    rule = SelectionRule(SelectionKind.FIXED, CITE, count=3)
    with pytest.raises(ValueError, match="a selection of kind 'fixed' has no proportional size"):
        rule.sample_size(10)


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        (SelectionKind.PROPORTION, {}, "a selection of kind 'proportion' needs proportion"),
        (
            SelectionKind.PER_ROLE,
            {"count": 1},
            "a selection of kind 'per_role' needs per_role, period",
        ),
        (SelectionKind.FIXED, {}, "a selection of kind 'fixed' needs count"),
        (
            SelectionKind.GRADE_AT_OR_BELOW,
            {},
            "a selection of kind 'grade_at_or_below' needs grade",
        ),
        (SelectionKind.ALL, {"count": 3}, "a selection of kind 'all' takes no count"),
        (
            SelectionKind.FIXED,
            {"count": 3, "minimum": 1},
            "a selection of kind 'fixed' takes no minimum",
        ),
        (
            SelectionKind.GRADE_AT_OR_BELOW,
            {"grade": "inadequate", "proportion": 0.5},
            "takes no proportion",
        ),
        (
            SelectionKind.PER_ROLE,
            {"count": 1, "per_role": "team_manager", "period": IsoDuration(months=1), "grade": "x"},
            "takes no grade",
        ),
        (SelectionKind.PROPORTION, {"proportion": 0.0}, r"proportion must be in \(0, 1\]"),
        (SelectionKind.PROPORTION, {"proportion": 1.5}, r"proportion must be in \(0, 1\]"),
        (SelectionKind.PROPORTION, {"proportion": -0.1}, r"proportion must be in \(0, 1\]"),
        (SelectionKind.PROPORTION, {"proportion": math.nan}, r"proportion must be in \(0, 1\]"),
        (
            SelectionKind.PROPORTION,
            {"proportion": 0.1, "minimum": -1},
            "minimum cannot be negative",
        ),
        (SelectionKind.FIXED, {"count": -2}, "count cannot be negative"),
        (
            SelectionKind.PROPORTION,
            {"proportion": 0.1, "minimum": 5, "maximum": 4},
            "maximum 4 is below minimum 5",
        ),
    ],
)
def test_selection_rule_validation(
    kind: SelectionKind, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        SelectionRule(kind, CITE, **kwargs)


def test_valid_selection_rules() -> None:
    per_role = SelectionRule(
        SelectionKind.PER_ROLE,
        CITE,
        count=1,
        per_role="team_manager",
        period=IsoDuration(months=1),
    )
    assert per_role.count == 1
    assert SelectionRule(SelectionKind.ALL, CITE).kind is SelectionKind.ALL
    assert SelectionRule(SelectionKind.GRADE_AT_OR_BELOW, CITE, grade="inadequate").grade == (
        "inadequate"
    )
    assert proportion(1.0, minimum=0, maximum=0).maximum == 0


def test_policy_defaults_allow_every_outcome() -> None:
    policy = ModerationPolicy(
        "monthly",
        "Monthly moderation",
        ("case_file_audit",),
        ("head_of_service",),
        Cadence.periodic("P1M"),
        (proportion(0.1),),
        CITE,
    )
    assert policy.outcomes == (
        ModerationOutcome.AGREE,
        ModerationOutcome.UPGRADE,
        ModerationOutcome.DOWNGRADE,
    )
    assert policy.feedback_to == ()


def test_example_policy(example_profile: Any) -> None:
    policy = example_profile.moderation[0]
    kinds = [rule.kind for rule in policy.selection]
    assert kinds == [SelectionKind.PROPORTION, SelectionKind.GRADE_AT_OR_BELOW]
    assert policy.selection[0].sample_size(20) == 2
    assert policy.selection[0].sample_size(5) == 1
