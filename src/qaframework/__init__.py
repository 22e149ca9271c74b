"""qaframework: the quality-assurance frameworks of English children's services as executable,
versioned, testable policy.

The names below are the public API. They are imported on first use, so ``import
qaframework`` itself is cheap.

>>> import qaframework
>>> profile = qaframework.load_profile("bolton", as_of=date(2026, 6, 1))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qaframework.hookspecs import hookimpl

if TYPE_CHECKING:
    from qaframework.actions import (
        ActionDates,
        ActionLedger,
        ActionStatus,
        ActionTimescale,
        ClosingTheLoopError,
        EscalationState,
        EscalationStatus,
        TrackerEntry,
        action_ledger,
        child_of_concern_tracker,
        escalation_states,
        smart_action_dates,
    )
    from qaframework.activities import Activity, ActivityKind, Effort, FeedbackSource
    from qaframework.cadence import Cadence, CadenceKind, IsoDuration, Quota, QuotaQualifier
    from qaframework.citations import Assumption, Citation, SourceDocument
    from qaframework.converter import from_dict, to_dict
    from qaframework.errors import (
        NoVersionInForce,
        Problem,
        ProfileError,
        QAFrameworkError,
        UnknownProfile,
    )
    from qaframework.escalation import (
        Concern,
        Consequence,
        ConsequenceKind,
        Deadline,
        DeadlineKind,
        Escalation,
        EscalationError,
        EscalationRule,
        EscalationStage,
        GradeStage,
        Trigger,
        TriggerKind,
        evaluate_escalations,
        evaluate_escalations_bulk,
    )
    from qaframework.grades import Grade, GradeScale, Ilacs
    from qaframework.moderation import (
        ModerationOutcome,
        ModerationPolicy,
        SelectionKind,
        SelectionRule,
    )
    from qaframework.obligations import (
        Obligation,
        ObligationError,
        ObligationStatus,
        SubjectObligation,
        obligations_due,
    )
    from qaframework.periods import FinancialQuarter, FinancialYear, Period
    from qaframework.profile import Occurrence, OccurrenceKind, Profile
    from qaframework.registry import (
        ProfileInfo,
        VersionInfo,
        available_profiles,
        load_profile,
    )
    from qaframework.reporting import Forum, ForumKind, ReportingLine
    from qaframework.roles import GenericRole, Role
    from qaframework.sampling import SamplingMethod, SamplingRule
    from qaframework.standards import Standard, StandardKind
    from qaframework.validation import profile_from_data
    from qaframework.workdays import WorkingCalendar

__version__ = "0.1.0.dev0"

_EXPORTS: dict[str, str] = {
    "ActionDates": "actions",
    "ActionLedger": "actions",
    "ActionStatus": "actions",
    "ActionTimescale": "actions",
    "ClosingTheLoopError": "actions",
    "EscalationState": "actions",
    "EscalationStatus": "actions",
    "TrackerEntry": "actions",
    "action_ledger": "actions",
    "child_of_concern_tracker": "actions",
    "escalation_states": "actions",
    "smart_action_dates": "actions",
    "Activity": "activities",
    "ActivityKind": "activities",
    "Effort": "activities",
    "FeedbackSource": "activities",
    "Cadence": "cadence",
    "CadenceKind": "cadence",
    "IsoDuration": "cadence",
    "Quota": "cadence",
    "QuotaQualifier": "cadence",
    "Assumption": "citations",
    "Citation": "citations",
    "SourceDocument": "citations",
    "from_dict": "converter",
    "to_dict": "converter",
    "NoVersionInForce": "errors",
    "Problem": "errors",
    "ProfileError": "errors",
    "QAFrameworkError": "errors",
    "UnknownProfile": "errors",
    "Concern": "escalation",
    "Consequence": "escalation",
    "ConsequenceKind": "escalation",
    "Deadline": "escalation",
    "DeadlineKind": "escalation",
    "Escalation": "escalation",
    "EscalationError": "escalation",
    "EscalationRule": "escalation",
    "EscalationStage": "escalation",
    "GradeStage": "escalation",
    "Trigger": "escalation",
    "TriggerKind": "escalation",
    "evaluate_escalations": "escalation",
    "evaluate_escalations_bulk": "escalation",
    "Grade": "grades",
    "GradeScale": "grades",
    "Ilacs": "grades",
    "ModerationOutcome": "moderation",
    "ModerationPolicy": "moderation",
    "SelectionKind": "moderation",
    "SelectionRule": "moderation",
    "Obligation": "obligations",
    "ObligationError": "obligations",
    "ObligationStatus": "obligations",
    "SubjectObligation": "obligations",
    "obligations_due": "obligations",
    "FinancialQuarter": "periods",
    "FinancialYear": "periods",
    "Period": "periods",
    "Occurrence": "profile",
    "OccurrenceKind": "profile",
    "Profile": "profile",
    "ProfileInfo": "registry",
    "VersionInfo": "registry",
    "available_profiles": "registry",
    "load_profile": "registry",
    "Forum": "reporting",
    "ForumKind": "reporting",
    "ReportingLine": "reporting",
    "GenericRole": "roles",
    "Role": "roles",
    "SamplingMethod": "sampling",
    "SamplingRule": "sampling",
    "Standard": "standards",
    "StandardKind": "standards",
    "profile_from_data": "validation",
    "WorkingCalendar": "workdays",
}

__all__ = [
    "ActionDates",
    "ActionLedger",
    "ActionStatus",
    "ActionTimescale",
    "Activity",
    "ActivityKind",
    "Assumption",
    "Cadence",
    "CadenceKind",
    "Citation",
    "ClosingTheLoopError",
    "Concern",
    "Consequence",
    "ConsequenceKind",
    "Deadline",
    "DeadlineKind",
    "Effort",
    "Escalation",
    "EscalationError",
    "EscalationRule",
    "EscalationStage",
    "EscalationState",
    "EscalationStatus",
    "FeedbackSource",
    "FinancialQuarter",
    "FinancialYear",
    "Forum",
    "ForumKind",
    "GenericRole",
    "Grade",
    "GradeScale",
    "GradeStage",
    "Ilacs",
    "IsoDuration",
    "ModerationOutcome",
    "ModerationPolicy",
    "NoVersionInForce",
    "Obligation",
    "ObligationError",
    "ObligationStatus",
    "Occurrence",
    "OccurrenceKind",
    "Period",
    "Problem",
    "Profile",
    "ProfileError",
    "ProfileInfo",
    "QAFrameworkError",
    "Quota",
    "QuotaQualifier",
    "ReportingLine",
    "Role",
    "SamplingMethod",
    "SamplingRule",
    "SelectionKind",
    "SelectionRule",
    "SourceDocument",
    "Standard",
    "StandardKind",
    "SubjectObligation",
    "TrackerEntry",
    "Trigger",
    "TriggerKind",
    "UnknownProfile",
    "VersionInfo",
    "WorkingCalendar",
    "__version__",
    "action_ledger",
    "available_profiles",
    "child_of_concern_tracker",
    "escalation_states",
    "evaluate_escalations",
    "evaluate_escalations_bulk",
    "from_dict",
    "hookimpl",
    "load_profile",
    "obligations_due",
    "profile_from_data",
    "smart_action_dates",
    "to_dict",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qaframework' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"qaframework.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
