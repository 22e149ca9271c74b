"""Cycle reports: what a council's boards read about a period's audits.

Bolton's Quality Assurance Manager reports each 6-weekly cycle, each quarter and each year to
the Assurance and Improvement Meeting; Swindon's monthly practice audit report goes to the
Practice and Performance Board. :func:`build_cycle_report` computes such a report for a
profile, a set of audits and a :class:`~qaframework.engine.periods.Period` (a council's cycle, a
month, a financial quarter or year: see :func:`council_cycle` and :func:`report_period`), as
of a date. The :class:`CycleReport` holds:

- how many audits there were, by activity, and the grade distribution overall, per practice
  standard, per team and per service area, each row with its share "good or better" (the
  profile's threshold) and a Wilson interval (:func:`wilson_interval`);
- the change against the previous period (the same length, immediately before) and the trend
  across the last few periods (:func:`trailing_periods`);
- moderation: how many audits were moderated, agreement, upgrades and downgrades and Cohen's
  kappa (:func:`qaframework.engine.agreement.cohen_kappa`);
- escalations raised in the period, open and closed; the child of concern tracker as counts;
  actions due in the period, done, open and overdue;
- compliance by checklist item (yes, no, not applicable, not answered, with compliance and
  its interval) and the grades on the profile's other scales (an impact rating), activity
  by activity;
- learning themes: the standards most often judged below good, with how many judgements
  carry strengths and "what would have made it better" notes (the notes themselves go to
  child-level detail, and to a published report only when a council opts in);
- where it goes: the forums the profile's reporting lines send it to, with their next
  meeting dates.

The report holds no child's id: child-level detail (escalations, tracker entries, overdue
actions) is a separate value, :class:`ChildLevelDetail`, made only by
:func:`child_level_detail` and marked OFFICIAL-SENSITIVE. The report's counts are exact; what
may be published is :meth:`CycleReport.publishable`, which applies small-number suppression
(:mod:`qaframework.engine.suppression`) to every table and withholds every figure that would reveal
a suppressed count. Renderers publish that view unless told otherwise.
:func:`compare_authorities` and :func:`publish_comparison` set several councils' reports side
by side on the ILACS crosswalk.

Grades are read on the scale of the profile version in force at the end of the period (or on
the as-of date, if earlier): the *reporting version*. Audits graded under another version
keep their grade where the reporting scale has the same code, and are otherwise carried
across on the ILACS crosswalk (to the best grade of the reporting scale with the same ILACS
judgement). An audit's grade is its final grade as of the report's date: the latest
moderation on or before it, or the auditor's grade.

The package's modules, each one part:

- :mod:`~qaframework.engine.report.periods`: a council's cycle and the periods before a
  period; :mod:`~qaframework.engine.report.intervals`: shares with a Wilson interval;
- :mod:`~qaframework.engine.report.model`: the values a report is made of;
- :mod:`~qaframework.engine.report.tally` and :mod:`~qaframework.engine.report.build`:
  counting a period's audits into a :class:`CycleReport`;
- :mod:`~qaframework.engine.report.cycle`: the report and its publication with suppression;
  :mod:`~qaframework.engine.report.published`: the publishable view, its frames and its
  notebook summary;
- :mod:`~qaframework.engine.report.notes`: auditors' notes, published only on request and
  redacted of children's ids;
- :mod:`~qaframework.engine.report.compliance`: compliance by checklist item and grades on
  the profile's other scales;
- :mod:`~qaframework.engine.report.child_level`: the OFFICIAL-SENSITIVE child-level detail;
- :mod:`~qaframework.engine.report.comparison`: several councils side by side.
"""

from __future__ import annotations

from qaframework.engine.report.build import (
    build_cycle_report,
)
from qaframework.engine.report.child_level import (
    ChildLevelDetail,
    EscalationRow,
    NoteRow,
    OverdueActionRow,
    TrackerRow,
    child_level_detail,
)
from qaframework.engine.report.comparison import (
    AuthorityRow,
    CrossAuthorityComparison,
    PublishedComparison,
    compare_authorities,
    publish_comparison,
)
from qaframework.engine.report.compliance import (
    ComplianceSummary,
    PublishedCompliance,
    PublishedScale,
    ScaleSummary,
)
from qaframework.engine.report.cycle import (
    CycleReport,
)
from qaframework.engine.report.errors import (
    CycleReportError,
)
from qaframework.engine.report.intervals import (
    Share,
    wilson_interval,
)
from qaframework.engine.report.model import (
    NOTE_KINDS,
    OFFICIAL_SENSITIVE,
    ActionSummary,
    Destination,
    EscalationSummary,
    GradeBreakdown,
    LearningTheme,
    ModerationSummary,
    Note,
    PeriodChange,
    PeriodSummary,
    PublishedActions,
    PublishedBreakdown,
    PublishedChange,
    PublishedEscalations,
    PublishedModeration,
    PublishedTheme,
    PublishedTracker,
    ReportGrade,
    TrackerSummary,
)
from qaframework.engine.report.notes import (
    DEFAULT_CHILD_ID_PATTERN,
    NotePublication,
    redact,
)
from qaframework.engine.report.periods import (
    council_cycle,
    previous_period,
    report_period,
    trailing_periods,
)
from qaframework.engine.report.published import (
    PublishedCycleReport,
)

__all__ = [
    "DEFAULT_CHILD_ID_PATTERN",
    "NOTE_KINDS",
    "OFFICIAL_SENSITIVE",
    "ActionSummary",
    "AuthorityRow",
    "ChildLevelDetail",
    "ComplianceSummary",
    "CrossAuthorityComparison",
    "CycleReport",
    "CycleReportError",
    "Destination",
    "EscalationRow",
    "EscalationSummary",
    "GradeBreakdown",
    "LearningTheme",
    "ModerationSummary",
    "Note",
    "NotePublication",
    "NoteRow",
    "OverdueActionRow",
    "PeriodChange",
    "PeriodSummary",
    "PublishedActions",
    "PublishedBreakdown",
    "PublishedChange",
    "PublishedComparison",
    "PublishedCompliance",
    "PublishedCycleReport",
    "PublishedEscalations",
    "PublishedModeration",
    "PublishedScale",
    "PublishedTheme",
    "PublishedTracker",
    "ReportGrade",
    "ScaleSummary",
    "Share",
    "TrackerRow",
    "TrackerSummary",
    "build_cycle_report",
    "child_level_detail",
    "compare_authorities",
    "council_cycle",
    "previous_period",
    "publish_comparison",
    "redact",
    "report_period",
    "trailing_periods",
    "wilson_interval",
]
