"""qaframework: the quality-assurance frameworks of English children's services as executable,
versioned, testable policy.

The names below are the public API. They are imported on first use, so ``import
qaframework`` itself is cheap.

>>> import qaframework
>>> profile = qaframework.load_profile("bolton", as_of=date(2026, 6, 1))  # doctest: +SKIP

Modules moved when the package was laid out in layers (0.1.0.dev0; see ``CHANGELOG.md``):
the old import paths that the documentation showed, such as ``qaframework.registry`` or
``qaframework.escalation``, still import, with a :class:`DeprecationWarning` naming the new
place; they go in 0.2.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
import warnings
from typing import TYPE_CHECKING, Any, cast

from qaframework._version import __version__

if TYPE_CHECKING:
    import importlib.abc

    from qaframework.engine.actions.ledger import (
        ActionCounts,
        ActionDates,
        ActionItem,
        ActionLedger,
        ClosingTheLoopError,
        action_ledger,
        smart_action_dates,
    )
    from qaframework.engine.actions.tracker import (
        EscalationState,
        EscalationStatus,
        TrackerEntry,
        child_of_concern_tracker,
        escalation_states,
    )
    from qaframework.engine.audits import (
        Audit,
        AuditAction,
        ItemAnswer,
        Judgement,
        ModerationRecord,
        Rating,
        RecordedData,
        audit_warnings,
        check_audit,
    )
    from qaframework.engine.escalation import (
        Escalation,
        EscalationError,
        EscalationStage,
        evaluate_escalations,
        evaluate_escalations_bulk,
    )
    from qaframework.engine.frames import Frames
    from qaframework.engine.moderation import (
        ModerationSelection,
        SelectedAudit,
        record_moderation,
        select_for_moderation,
    )
    from qaframework.engine.obligations import (
        Obligation,
        ObligationError,
        ObligationStatus,
        SubjectObligation,
        obligations_due,
    )
    from qaframework.engine.periods import FinancialQuarter, FinancialYear, Period
    from qaframework.engine.report import (
        ChildLevelDetail,
        CrossAuthorityComparison,
        CycleReport,
        CycleReportError,
        NotePublication,
        PublishedComparison,
        PublishedCycleReport,
        Share,
        build_cycle_report,
        child_level_detail,
        compare_authorities,
        council_cycle,
        publish_comparison,
        report_period,
    )
    from qaframework.engine.sampling import Sample, sample_for_activity, sample_size
    from qaframework.engine.suppression import (
        CountTable,
        SuppressedTable,
        SuppressionPolicy,
        suppress,
    )
    from qaframework.errors import (
        NoVersionInForce,
        Problem,
        ProfileError,
        QAFrameworkError,
        UnknownProfile,
    )
    from qaframework.io.activity_log import ActivityLogLoad, load_activity_log
    from qaframework.io.audits import AuditLoad, load_audits
    from qaframework.io.cases import CaseLoad, load_cases
    from qaframework.io.rejections import Rejection
    from qaframework.policy.actions import ActionStatus, ActionTimescale
    from qaframework.policy.activities import Activity, ActivityKind, Effort, FeedbackSource
    from qaframework.policy.cadence import Cadence, CadenceKind, IsoDuration, Quota, QuotaQualifier
    from qaframework.policy.case_filters import CaseField, CaseFilter
    from qaframework.policy.checklists import ChecklistAnswer, ChecklistItem
    from qaframework.policy.citations import Assumption, Citation, SourceDocument
    from qaframework.policy.escalation import (
        ClosingCondition,
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
    from qaframework.policy.grades import Grade, GradeScale, Ilacs
    from qaframework.policy.moderation import (
        ModerationOutcome,
        ModerationPolicy,
        SelectionKind,
        SelectionRule,
    )
    from qaframework.policy.permissions import RoleChecks, Severity
    from qaframework.policy.profile import Occurrence, OccurrenceKind, Profile
    from qaframework.policy.reporting import Forum, ForumKind, ReportingLine
    from qaframework.policy.roles import GenericRole, Role
    from qaframework.policy.sampling import Case, SamplingMethod, SamplingRule
    from qaframework.policy.standards import Standard, StandardKind
    from qaframework.policy.workdays import WorkingCalendar
    from qaframework.profiles.converter import from_dict, to_dict
    from qaframework.profiles.diff import ItemChange, ProfileDiff, SectionDiff, diff_profiles
    from qaframework.profiles.hookspecs import hookimpl
    from qaframework.profiles.registry import (
        ProfileInfo,
        VersionInfo,
        available_profiles,
        load_profile,
    )
    from qaframework.profiles.validation import profile_from_data
    from qaframework.render.calendar import CalendarError, QACalendar, qa_calendar, to_ics


_EXPORTS: dict[str, str] = {
    "ActionDates": "engine.actions.ledger",
    "ActionLedger": "engine.actions.ledger",
    "ActionStatus": "policy.actions",
    "ActionTimescale": "policy.actions",
    "ClosingTheLoopError": "engine.actions.ledger",
    "EscalationState": "engine.actions.tracker",
    "EscalationStatus": "engine.actions.tracker",
    "TrackerEntry": "engine.actions.tracker",
    "action_ledger": "engine.actions.ledger",
    "child_of_concern_tracker": "engine.actions.tracker",
    "escalation_states": "engine.actions.tracker",
    "smart_action_dates": "engine.actions.ledger",
    "Activity": "policy.activities",
    "ActivityKind": "policy.activities",
    "Effort": "policy.activities",
    "FeedbackSource": "policy.activities",
    "Cadence": "policy.cadence",
    "CadenceKind": "policy.cadence",
    "IsoDuration": "policy.cadence",
    "Quota": "policy.cadence",
    "QuotaQualifier": "policy.cadence",
    "Assumption": "policy.citations",
    "Citation": "policy.citations",
    "SourceDocument": "policy.citations",
    "from_dict": "profiles.converter",
    "to_dict": "profiles.converter",
    "ChildLevelDetail": "engine.report.child_level",
    "CycleReport": "engine.report.cycle",
    "CycleReportError": "engine.report.errors",
    "NotePublication": "engine.report.notes",
    "build_cycle_report": "engine.report.build",
    "child_level_detail": "engine.report.child_level",
    "compare_authorities": "engine.report.comparison",
    "council_cycle": "engine.report.periods",
    "publish_comparison": "engine.report.comparison",
    "report_period": "engine.report.periods",
    "ProfileDiff": "profiles.diff",
    "diff_profiles": "profiles.diff",
    "hookimpl": "profiles.hookspecs",
    "NoVersionInForce": "errors",
    "Problem": "errors",
    "ProfileError": "errors",
    "QAFrameworkError": "errors",
    "UnknownProfile": "errors",
    "ClosingCondition": "policy.escalation",
    "Concern": "policy.escalation",
    "Consequence": "policy.escalation",
    "ConsequenceKind": "policy.escalation",
    "Deadline": "policy.escalation",
    "DeadlineKind": "policy.escalation",
    "Escalation": "engine.escalation",
    "EscalationError": "engine.escalation",
    "EscalationRule": "policy.escalation",
    "EscalationStage": "engine.escalation",
    "GradeStage": "policy.escalation",
    "Trigger": "policy.escalation",
    "TriggerKind": "policy.escalation",
    "evaluate_escalations": "engine.escalation",
    "evaluate_escalations_bulk": "engine.escalation",
    "Grade": "policy.grades",
    "GradeScale": "policy.grades",
    "Ilacs": "policy.grades",
    "ModerationOutcome": "policy.moderation",
    "ModerationPolicy": "policy.moderation",
    "SelectionKind": "policy.moderation",
    "SelectionRule": "policy.moderation",
    "Obligation": "engine.obligations",
    "ObligationError": "engine.obligations",
    "ObligationStatus": "engine.obligations",
    "SubjectObligation": "engine.obligations",
    "obligations_due": "engine.obligations",
    "FinancialQuarter": "engine.periods",
    "FinancialYear": "engine.periods",
    "Period": "engine.periods",
    "Occurrence": "policy.profile",
    "OccurrenceKind": "policy.profile",
    "Profile": "policy.profile",
    "ProfileInfo": "profiles.registry",
    "VersionInfo": "profiles.registry",
    "available_profiles": "profiles.registry",
    "load_profile": "profiles.registry",
    "Forum": "policy.reporting",
    "ForumKind": "policy.reporting",
    "ReportingLine": "policy.reporting",
    "GenericRole": "policy.roles",
    "Role": "policy.roles",
    "SamplingMethod": "policy.sampling",
    "SamplingRule": "policy.sampling",
    "Standard": "policy.standards",
    "StandardKind": "policy.standards",
    "CountTable": "engine.suppression.tables",
    "SuppressedTable": "engine.suppression.tables",
    "SuppressionPolicy": "engine.suppression.tables",
    "suppress": "engine.suppression.linked",
    "profile_from_data": "profiles.validation",
    "WorkingCalendar": "policy.workdays",
    "Audit": "engine.audits",
    "AuditAction": "engine.audits",
    "Case": "policy.sampling",
    "Judgement": "engine.audits",
    "ModerationRecord": "engine.audits",
    "RecordedData": "engine.audits",
    "Sample": "engine.sampling.sample",
    "check_audit": "engine.audits",
    "load_activity_log": "io.activity_log",
    "load_audits": "io.audits",
    "load_cases": "io.cases",
    "record_moderation": "engine.moderation",
    "sample_for_activity": "engine.sampling.activity",
    "sample_size": "engine.sampling.activity",
    "select_for_moderation": "engine.moderation",
    "CalendarError": "render.calendar",
    "QACalendar": "render.calendar",
    "qa_calendar": "render.calendar",
    "to_ics": "render.calendar",
    "CaseField": "policy.case_filters",
    "CaseFilter": "policy.case_filters",
    "ActionCounts": "engine.actions.ledger",
    "ActionItem": "engine.actions.ledger",
    "Frames": "engine.frames",
    "ModerationSelection": "engine.moderation",
    "CrossAuthorityComparison": "engine.report.comparison",
    "PublishedComparison": "engine.report.comparison",
    "Share": "engine.report.intervals",
    "PublishedCycleReport": "engine.report.published",
    "ActivityLogLoad": "io.activity_log",
    "AuditLoad": "io.audits",
    "CaseLoad": "io.cases",
    "SectionDiff": "profiles.diff",
    "SelectedAudit": "engine.moderation",
    "Rejection": "io.rejections",
    "ItemChange": "profiles.diff",
    "ChecklistAnswer": "policy.checklists",
    "ChecklistItem": "policy.checklists",
    "RoleChecks": "policy.permissions",
    "Severity": "policy.permissions",
    "ItemAnswer": "engine.audits",
    "Rating": "engine.audits",
    "audit_warnings": "engine.audits",
}

__all__ = [
    "ActionCounts",
    "ActionDates",
    "ActionItem",
    "ActionLedger",
    "ActionStatus",
    "ActionTimescale",
    "Activity",
    "ActivityKind",
    "ActivityLogLoad",
    "Assumption",
    "Audit",
    "AuditAction",
    "AuditLoad",
    "Cadence",
    "CadenceKind",
    "CalendarError",
    "Case",
    "CaseField",
    "CaseFilter",
    "CaseLoad",
    "ChecklistAnswer",
    "ChecklistItem",
    "ChildLevelDetail",
    "Citation",
    "ClosingCondition",
    "ClosingTheLoopError",
    "Concern",
    "Consequence",
    "ConsequenceKind",
    "CountTable",
    "CrossAuthorityComparison",
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
    "Frames",
    "GenericRole",
    "Grade",
    "GradeScale",
    "GradeStage",
    "Ilacs",
    "IsoDuration",
    "ItemAnswer",
    "ItemChange",
    "Judgement",
    "ModerationOutcome",
    "ModerationPolicy",
    "ModerationRecord",
    "ModerationSelection",
    "NoVersionInForce",
    "NotePublication",
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
    "PublishedComparison",
    "PublishedCycleReport",
    "QACalendar",
    "QAFrameworkError",
    "Quota",
    "QuotaQualifier",
    "Rating",
    "RecordedData",
    "Rejection",
    "ReportingLine",
    "Role",
    "RoleChecks",
    "Sample",
    "SamplingMethod",
    "SamplingRule",
    "SectionDiff",
    "SelectedAudit",
    "SelectionKind",
    "SelectionRule",
    "Severity",
    "Share",
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
    "audit_warnings",
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
    "qa_calendar",
    "record_moderation",
    "report_period",
    "sample_for_activity",
    "sample_size",
    "select_for_moderation",
    "smart_action_dates",
    "suppress",
    "to_dict",
    "to_ics",
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


# ---------------------------------------------------------------------------------------------
# Old import paths of moved modules
# ---------------------------------------------------------------------------------------------

_MOVED: dict[str, tuple[str, ...]] = {
    "actions": ("policy.actions", "engine.actions.ledger", "engine.actions.tracker"),
    "activities": ("policy.activities",),
    "audits": ("engine.audits",),
    "cadence": ("policy.cadence",),
    "converter": ("profiles.converter",),
    "cycle_report": ("engine.report",),
    "docs_pages": ("render.docs_pages",),
    "escalation": ("policy.escalation", "engine.escalation"),
    "escalation.evaluation": ("engine.escalation",),
    "escalation.policy": ("policy.escalation",),
    "frames": ("render.frames",),
    "grades": ("policy.grades",),
    "hookspecs": ("profiles.hookspecs",),
    "invariants": ("profiles.invariants",),
    "moderation": ("policy.moderation", "engine.moderation"),
    "moderation.policy": ("policy.moderation",),
    "moderation.selection": ("engine.moderation",),
    "obligations": ("engine.obligations",),
    "periods": ("engine.periods",),
    "plugins": ("profiles.plugins",),
    "profile": ("policy.profile",),
    "registry": ("profiles.registry",),
    "reporting": ("policy.reporting",),
    "roles": ("policy.roles",),
    "sampling": ("policy.sampling", "engine.sampling"),
    "sampling.rules": ("policy.sampling",),
    "sampling.samplers": ("engine.sampling",),
    "standards": ("policy.standards",),
    "suppression": ("engine.suppression",),
    "synthetic": ("demo.synthetic",),
    "validation": ("profiles.validation",),
    "workdays": ("policy.workdays",),
    "workload": ("engine.workload",),
}
"""Old module paths (under ``qaframework.``) and the modules their names now live in."""


class _MovedModuleLoader:
    """Imports an old path as the module it moved to (or, where its names went to several
    modules, as a module that finds each name in them), warning once per path.

    A plain class, not an ``importlib.abc.Loader``: that module imports
    ``importlib.resources`` and would double the cost of ``import qaframework``.
    """

    def __init__(self, old: str, new: tuple[str, ...]) -> None:
        self.old = old
        self.new = tuple(f"qaframework.{target}" for target in new)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        warnings.warn(
            f"{self.old} moved to {' and '.join(self.new)}; import it from there "
            "(the old path goes in qaframework 0.2)",
            DeprecationWarning,
            stacklevel=2,
        )
        if len(self.new) == 1:
            module = importlib.import_module(self.new[0])
            # The import system sets the old path's spec on the module it is given:
            # exec_module puts the module's own back.
            self.spec = module.__spec__
            return module
        homes = [importlib.import_module(name) for name in self.new]
        merged = types.ModuleType(self.old, f"Moved: see {', '.join(self.new)}.")
        names = sorted({n for home in homes for n in getattr(home, "__all__", ())})

        def find(name: str) -> Any:
            for home in homes:
                if hasattr(home, name):
                    return getattr(home, name)
            raise AttributeError(f"module {self.old!r} has no attribute {name!r}")

        merged.__getattr__ = find  # type: ignore[method-assign]
        merged.__all__ = names  # type: ignore[attr-defined]
        merged.__path__ = []  # a package, so that its old submodules import too
        return merged

    spec: importlib.machinery.ModuleSpec | None = None

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the module was made whole by :meth:`create_module`; a moved
        module keeps its own spec."""
        if self.spec is not None:
            module.__spec__ = self.spec


class _MovedModuleFinder:
    """Finds the old paths of moved modules (a meta path finder)."""

    def find_spec(
        self, fullname: str, path: object, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        prefix, _, rest = fullname.partition(".")
        moved = _MOVED.get(rest) if prefix == "qaframework" else None
        if moved is None:
            return None
        loader = cast("importlib.abc.Loader", _MovedModuleLoader(fullname, moved))
        return importlib.machinery.ModuleSpec(fullname, loader)


if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())
