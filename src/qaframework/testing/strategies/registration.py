"""The strategies registered for :func:`hypothesis.strategies.from_type`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    Judgement,
    ModerationRecord,
)
from qaframework.policy.cadence import Cadence, IsoDuration, Quota
from qaframework.policy.grades import Grade, GradeScale
from qaframework.policy.profile import Profile
from qaframework.policy.roles import Role
from qaframework.policy.sampling import Case
from qaframework.policy.standards import Standard
from qaframework.testing.strategies.audit_values import (
    audit_actions,
    audits,
    judgements,
    moderation_records,
)
from qaframework.testing.strategies.case_values import cases
from qaframework.testing.strategies.councils import profiles
from qaframework.testing.strategies.drawing import _T
from qaframework.testing.strategies.policy_values import (
    cadences,
    grades,
    iso_durations,
    quotas,
    roles,
    standards,
)

__all__ = ["register_type_strategies"]


def _from_profile(make: Callable[[Profile], SearchStrategy[_T]]) -> SearchStrategy[_T]:
    return st.deferred(lambda: profiles().flatmap(make))


def _type_strategies() -> dict[type, SearchStrategy[Any]]:
    # Deferred, so that registering (while Hypothesis itself is being imported) builds nothing.
    return {
        IsoDuration: st.deferred(iso_durations),
        Cadence: st.deferred(cadences),
        Quota: st.deferred(quotas),
        Case: st.deferred(cases),
        Profile: st.deferred(profiles),
        GradeScale: _from_profile(lambda p: st.just(p.grade_scale)),
        Grade: _from_profile(grades),
        Standard: _from_profile(standards),
        Role: _from_profile(roles),
        Judgement: _from_profile(judgements),
        ModerationRecord: _from_profile(
            lambda p: moderation_records(p).map(lambda records: records[0])
        ),
        AuditAction: st.deferred(
            lambda: audit_actions(on_or_after=date(2026, 4, 1), min_size=1, max_size=1).map(
                lambda actions: actions[0]
            )
        ),
        Audit: _from_profile(audits),
    }


def register_type_strategies() -> None:
    """Register these strategies for :func:`hypothesis.strategies.from_type`.

    Called by Hypothesis itself through the ``hypothesis`` entry point when qaframework's
    testing extra is installed; call it directly where the entry point is not registered.
    """
    for cls, strategy in _type_strategies().items():
        st.register_type_strategy(cls, strategy)
