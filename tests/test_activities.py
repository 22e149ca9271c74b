"""QA activities and the effort they take (``qaframework.policy.activities``)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from qaframework.policy.activities import ActivityKind, Effort
from qaframework.policy.profile import Profile


@pytest.mark.parametrize(
    ("effort", "typical"),
    [
        (Effort("2-4 hours", 2, 4), 3.0),
        (Effort("up to a day", max_hours=7.5), 7.5),
        (Effort("at least an hour", min_hours=1), 1.0),
        (Effort("2 hours", 2, 2), 2.0),
    ],
)
def test_typical_hours(effort: Effort, typical: float) -> None:
    assert effort.typical_hours == typical


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "states min_hours, max_hours or both"),
        ({"min_hours": 0}, "must be positive and finite, got 0"),
        ({"max_hours": -1.5}, "must be positive and finite, got -1.5"),
        ({"min_hours": 4, "max_hours": 2}, "max_hours 2 is below min_hours 4"),
        ({"min_hours": math.nan}, "must be positive"),
        ({"max_hours": math.inf}, "must be positive"),
    ],
)
def test_effort_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Effort("some time", **kwargs)


def test_audit_kinds() -> None:
    audits = {kind for kind in ActivityKind if kind.is_audit}
    assert audits == {
        ActivityKind.CASE_FILE_AUDIT,
        ActivityKind.THEMATIC_AUDIT,
        ActivityKind.MULTI_AGENCY_AUDIT,
        ActivityKind.DIP_SAMPLE,
        ActivityKind.SUPERVISION_AUDIT,
    }
    assert not ActivityKind.MODERATION.is_audit


def test_example_activity(example_profile: Profile) -> None:
    audit = example_profile.activity("case_file_audit")
    assert audit.effort == Effort("2-4 hours", 2.0, 4.0)
    assert audit.quota is not None
    assert audit.quota.describe(example_profile.role("team_manager").title) == (
        "1 audit per Team Manager per month"
    )
    assert audit.sampling is not None
    assert audit.sampling.size is not None
    assert audit.sampling.size.describe() == "approximately 35 cases"
    assert audit.cadence.describe() == "every month"
