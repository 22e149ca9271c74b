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
    from qaframework.audits import Audit, AuditAction, Judgement, ModerationRecord, check_audit
    from qaframework.cadence import Cadence, CadenceKind, IsoDuration, Quota, QuotaQualifier
    from qaframework.citations import Assumption, Citation, SourceDocument
    from qaframework.converter import from_dict, to_dict
    from qaframework.cycle_report import (
        ChildLevelDetail,
        CycleReport,
        CycleReportError,
        build_cycle_report,
        child_level_detail,
        compare_authorities,
        council_cycle,
        publish_comparison,
        report_period,
    )
    from qaframework.diff import ProfileDiff, diff_profiles
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
    from qaframework.io.activity_log import load_activity_log
    from qaframework.io.audits import load_audits
    from qaframework.io.cases import load_cases
    from qaframework.moderation import (
        ModerationOutcome,
        ModerationPolicy,
        SelectionKind,
        SelectionRule,
    )
    from qaframework.moderation.selection import record_moderation, select_for_moderation
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
    from qaframework.sampling.rules import Case
    from qaframework.sampling.samplers import Sample, sample_for_activity, sample_size
    from qaframework.standards import Standard, StandardKind
    from qaframework.suppression import CountTable, SuppressedTable, SuppressionPolicy, suppress
    from qaframework.validation import profile_from_data
    from qaframework.workdays import WorkingCalendar

__version__ = "0.1.0.dev0"

_EXPORTS: dict[str, str] = {
    "ActionDates": "actions.ledger",
    "ActionLedger": "actions.ledger",
    "ActionStatus": "actions.timescales",
    "ActionTimescale": "actions.timescales",
    "ClosingTheLoopError": "actions.ledger",
    "EscalationState": "actions.tracker",
    "EscalationStatus": "actions.tracker",
    "TrackerEntry": "actions.tracker",
    "action_ledger": "actions.ledger",
    "child_of_concern_tracker": "actions.tracker",
    "escalation_states": "actions.tracker",
    "smart_action_dates": "actions.ledger",
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
    "ChildLevelDetail": "cycle_report",
    "CycleReport": "cycle_report",
    "CycleReportError": "cycle_report",
    "build_cycle_report": "cycle_report",
    "child_level_detail": "cycle_report",
    "compare_authorities": "cycle_report",
    "council_cycle": "cycle_report",
    "publish_comparison": "cycle_report",
    "report_period": "cycle_report",
    "ProfileDiff": "diff",
    "diff_profiles": "diff",
    "NoVersionInForce": "errors",
    "Problem": "errors",
    "ProfileError": "errors",
    "QAFrameworkError": "errors",
    "UnknownProfile": "errors",
    "Concern": "escalation.policy",
    "Consequence": "escalation.policy",
    "ConsequenceKind": "escalation.policy",
    "Deadline": "escalation.policy",
    "DeadlineKind": "escalation.policy",
    "Escalation": "escalation.evaluation",
    "EscalationError": "escalation.evaluation",
    "EscalationRule": "escalation.policy",
    "EscalationStage": "escalation.evaluation",
    "GradeStage": "escalation.policy",
    "Trigger": "escalation.policy",
    "TriggerKind": "escalation.policy",
    "evaluate_escalations": "escalation.evaluation",
    "evaluate_escalations_bulk": "escalation.evaluation",
    "Grade": "grades",
    "GradeScale": "grades",
    "Ilacs": "grades",
    "ModerationOutcome": "moderation.policy",
    "ModerationPolicy": "moderation.policy",
    "SelectionKind": "moderation.policy",
    "SelectionRule": "moderation.policy",
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
    "SamplingMethod": "sampling.rules",
    "SamplingRule": "sampling.rules",
    "Standard": "standards",
    "StandardKind": "standards",
    "CountTable": "suppression",
    "SuppressedTable": "suppression",
    "SuppressionPolicy": "suppression",
    "suppress": "suppression",
    "profile_from_data": "validation",
    "WorkingCalendar": "workdays",
    "Audit": "audits",
    "AuditAction": "audits",
    "Case": "sampling.rules",
    "Judgement": "audits",
    "ModerationRecord": "audits",
    "Sample": "sampling.samplers",
    "check_audit": "audits",
    "load_activity_log": "io.activity_log",
    "load_audits": "io.audits",
    "load_cases": "io.cases",
    "record_moderation": "moderation.selection",
    "sample_for_activity": "sampling.samplers",
    "sample_size": "sampling.samplers",
    "select_for_moderation": "moderation.selection",
}

__all__ = [
    "ActionDates",
    "ActionLedger",
    "ActionStatus",
    "ActionTimescale",
    "Activity",
    "ActivityKind",
    "Assumption",
    "Audit",
    "AuditAction",
    "Cadence",
    "CadenceKind",
    "Case",
    "ChildLevelDetail",
    "Citation",
    "ClosingTheLoopError",
    "Concern",
    "Consequence",
    "ConsequenceKind",
    "CountTable",
    "CycleReport",
    "CycleReportError",
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
    "Judgement",
    "ModerationOutcome",
    "ModerationPolicy",
    "ModerationRecord",
    "NoVersionInForce",
    "Obligation",
    "ObligationError",
    "ObligationStatus",
    "Occurrence",
    "OccurrenceKind",
    "Period",
    "Problem",
    "Profile",
    "ProfileDiff",
    "ProfileError",
    "ProfileInfo",
    "QAFrameworkError",
    "Quota",
    "QuotaQualifier",
    "ReportingLine",
    "Role",
    "Sample",
    "SamplingMethod",
    "SamplingRule",
    "SelectionKind",
    "SelectionRule",
    "SourceDocument",
    "Standard",
    "StandardKind",
    "SubjectObligation",
    "SuppressedTable",
    "SuppressionPolicy",
    "TrackerEntry",
    "Trigger",
    "TriggerKind",
    "UnknownProfile",
    "VersionInfo",
    "WorkingCalendar",
    "__version__",
    "action_ledger",
    "available_profiles",
    "build_cycle_report",
    "check_audit",
    "child_level_detail",
    "child_of_concern_tracker",
    "compare_authorities",
    "council_cycle",
    "diff_profiles",
    "escalation_states",
    "evaluate_escalations",
    "evaluate_escalations_bulk",
    "from_dict",
    "hookimpl",
    "load_activity_log",
    "load_audits",
    "load_cases",
    "load_profile",
    "obligations_due",
    "profile_from_data",
    "publish_comparison",
    "record_moderation",
    "report_period",
    "sample_for_activity",
    "sample_size",
    "select_for_moderation",
    "smart_action_dates",
    "suppress",
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
