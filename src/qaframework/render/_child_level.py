"""Child-level detail as a :class:`~qaframework.render._document.Document` marked
OFFICIAL-SENSITIVE: the escalations, tracker entries and overdue actions behind a report."""

from __future__ import annotations

from datetime import date

from qaframework._version import __version__
from qaframework.engine.report import ChildLevelDetail
from qaframework.engine.suppression import SUPPRESSED
from qaframework.render._document import Column, Document, Heading, Paragraph, Table, Value
from qaframework.render._text import long_date

__all__ = ["MARKING_LINE", "child_level_document"]

MARKING_LINE = "OFFICIAL-SENSITIVE: child-level detail"
"""The first line of every CSV file and sheet of child-level detail (as the command line
prints before child-level output)."""


def _optional(value: object) -> Value:
    return "" if value is None else str(value)


def child_level_document(detail: ChildLevelDetail) -> Document:
    """The document of ``detail``: its three tables, marked on every page and file."""
    period = detail.period
    as_of = long_date(detail.as_of)
    escalations = Table(
        "escalations",
        f"Escalations raised in {period.label} or open on {as_of}",
        tuple(
            Column(title)
            for title in (
                "Child",
                "Audit",
                "Rule",
                "Team",
                "Grade",
                "Raised on",
                "Deadline",
                "Status",
                "Closed on",
                "How closed",
            )
        ),
        tuple(
            (
                row.child_id,
                row.audit_id,
                row.rule_name,
                _optional(row.team),
                _optional(row.grade),
                row.raised_on,
                row.deadline if isinstance(row.deadline, date) else str(row.deadline),
                row.status.value,
                row.closed_on if row.closed_on is not None else "",
                _optional(row.closure),
            )
            for row in detail.escalations
        ),
    )
    tracker = Table(
        "tracker",
        f"Children on a child of concern tracker on {as_of}",
        tuple(
            Column(title)
            for title in (
                "Tracker",
                "Child",
                "Audit",
                "Team",
                "Grade",
                "Added on",
                "Next review",
                "Open actions",
                "Awaiting verification",
            )
        ),
        tuple(
            (
                row.tracker,
                row.child_id,
                row.audit_id,
                _optional(row.team),
                _optional(row.grade),
                row.added_on,
                row.next_review if row.next_review is not None else "",
                row.open_actions,
                row.awaiting_verification,
            )
            for row in detail.tracker
        ),
    )
    overdue = Table(
        "overdue-actions",
        f"Actions overdue on {as_of}",
        tuple(
            Column(title)
            for title in (
                "Child",
                "Audit",
                "Action",
                "What",
                "Owner",
                "Team",
                "Due",
                "Days overdue",
            )
        ),
        tuple(
            (
                row.child_id,
                row.audit_id,
                row.action_id,
                row.what,
                row.owner,
                _optional(row.team),
                row.due,
                row.days_overdue,
            )
            for row in detail.overdue_actions
        ),
    )
    notes = Table(
        "learning-notes",
        f"Notes auditors wrote on the judgements of {period.label}",
        tuple(
            Column(title)
            for title in ("Child", "Audit", "Team", "Practice standard", "Grade", "Kind", "Note")
        ),
        tuple(
            (
                row.child_id,
                row.audit_id,
                _optional(row.team),
                row.standard,
                row.grade,
                "Strength" if row.kind == "strengths" else "Would have made it better",
                row.text,
            )
            for row in detail.notes
        ),
    )
    return Document(
        title=f"Child-level detail: {detail.profile_id}, {period.label}",
        dated=detail.as_of,
        blocks=(
            Paragraph(
                "This names children by their ids. Share it only with the people who must act "
                "on it, and handle it as your council handles OFFICIAL-SENSITIVE material: "
                "never publish it or attach it to the aggregate report."
            ),
            Heading("Escalations"),
            escalations,
            Heading("Child of concern tracker"),
            tracker,
            Heading("Overdue actions"),
            overdue,
            Heading("Auditors' notes"),
            Paragraph(
                "Strengths and what would have made the work better, as auditors wrote them: "
                "free text about children's cases, which published reports count but do not "
                "show."
            ),
            notes,
        ),
        notes=(
            ("Marking", detail.marking),
            ("Profile", detail.profile_id),
            (
                "Period",
                f"{period.label}: {period.start.isoformat()} to {period.end.isoformat()}",
            ),
            ("As of", detail.as_of.isoformat()),
            (
                "Source",
                f"Computed by qaframework {__version__} from the audits given, against the "
                f"{detail.profile_id} profile.",
            ),
        ),
        marker=SUPPRESSED,
        marking=detail.marking,
    )
