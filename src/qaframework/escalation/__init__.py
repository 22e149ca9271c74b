"""Escalation: who must hear about an audit, by when, and what follows.

Swindon's child-of-concern process shares an Inadequate audit the same day with the
Directors, Head of Service, Service Manager, Team Manager and QA, and once moderation
confirms it the child joins a tracker reviewed weekly. Bolton sends practitioners and
managers with "Does not yet meet good" or "Inadequate" audits to Focused Practice Improvement
workshops. Every council raises urgent safety concerns immediately.

- :mod:`qaframework.escalation.policy`: the rules a profile holds, as data. An
  :class:`EscalationRule` states one rule: a :class:`Trigger`, the roles told, a
  :class:`Deadline`, the follow-up cadence and a :class:`Consequence`.
- :mod:`qaframework.escalation.evaluation`: applying them. :func:`evaluate_escalations`
  applies a profile's rules to one audit, before and after moderation, as of a date: each
  :class:`Escalation` says what fired, who raises it and who is told (in the council's role
  titles), the working-day deadline, the follow-up and what follows.
  :func:`evaluate_escalations_bulk` does the same for many audits, each under the profile
  version in force on its date.

Whether an escalation is still open is closing the loop's question (:mod:`qaframework.actions`).
Every name is imported from ``qaframework.escalation``; the evaluation engine's names load
their submodule on first use, so loading a profile does not load the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qaframework.escalation.policy import (
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

if TYPE_CHECKING:
    from qaframework.escalation.evaluation import (
        Escalation,
        EscalationError,
        EscalationStage,
        ProfileResolver,
        evaluate_escalations,
        evaluate_escalations_bulk,
        grade_as_of,
        grades_matching,
        working_calendar_for,
    )

__all__ = [
    "Concern",
    "Consequence",
    "ConsequenceKind",
    "Deadline",
    "DeadlineKind",
    "Escalation",
    "EscalationError",
    "EscalationRule",
    "EscalationStage",
    "GradeStage",
    "ProfileResolver",
    "Trigger",
    "TriggerKind",
    "evaluate_escalations",
    "evaluate_escalations_bulk",
    "grade_as_of",
    "grades_matching",
    "working_calendar_for",
]

# The engine's names, each with its submodule, imported on first use: a profile holds only
# the policy, so loading profiles leaves the engine (and what it imports) unloaded.
_LAZY: dict[str, str] = {
    "Escalation": "evaluation",
    "EscalationError": "evaluation",
    "EscalationStage": "evaluation",
    "ProfileResolver": "evaluation",
    "evaluate_escalations": "evaluation",
    "evaluate_escalations_bulk": "evaluation",
    "grade_as_of": "evaluation",
    "grades_matching": "evaluation",
    "working_calendar_for": "evaluation",
}


def __getattr__(name: str) -> Any:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
