"""Child-level detail behind a cycle report: separate, on request, OFFICIAL-SENSITIVE."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.actions.ledger import action_status_as_of
from qaframework.engine.actions.tracker import (
    EscalationStatus,
)
from qaframework.engine.audits import Audit
from qaframework.engine.escalation import Escalation, ProfileResolver
from qaframework.engine.periods import Period
from qaframework.engine.report.errors import CycleReportError
from qaframework.engine.report.model import OFFICIAL_SENSITIVE
from qaframework.engine.report.tally import _closing_the_loop, _resolver
from qaframework.policy.actions import ActionStatus
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NotStated
from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "ChildLevelDetail",
    "EscalationRow",
    "NoteRow",
    "OverdueActionRow",
    "TrackerRow",
    "child_level_detail",
]

# ---------------------------------------------------------------------------------------------
# Child-level detail: separate, on request, OFFICIAL-SENSITIVE
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class EscalationRow:
    """One escalation, for the people who must act on it: whose child, what, by when, status.

    ``grade`` is None for an escalation raised from an audit of an ungraded activity;
    ``deadline`` is :data:`~qaframework.policy.unknowns.NOT_STATED` where the rule states none.
    """

    child_id: str
    audit_id: str
    rule: str
    rule_name: str
    team: str | None
    grade: str | None
    raised_on: date
    deadline: date | NotStated
    status: EscalationStatus
    closed_on: date | None = None
    closure: str | None = None


@attrs.frozen
class TrackerRow:
    """One child on a child of concern tracker on the report's date."""

    tracker: str
    child_id: str
    audit_id: str
    team: str | None
    grade: str | None
    added_on: date
    next_review: date | None
    open_actions: int
    awaiting_verification: int


@attrs.frozen
class OverdueActionRow:
    """One audit action past its due date and not done on the report's date."""

    child_id: str
    audit_id: str
    action_id: str
    what: str
    owner: str
    team: str | None
    due: date
    days_overdue: int


@attrs.frozen
class NoteRow:
    """A note an auditor wrote on a judgement, as written: free text about one child's case.

    ``kind`` is ``strengths`` or ``would_improve`` ("what would have made it better").
    """

    child_id: str
    audit_id: str
    team: str | None
    standard: str
    grade: str
    kind: str
    text: str


def _official_sensitive(_instance: object, _attribute: object, value: str) -> None:
    if value != OFFICIAL_SENSITIVE:
        raise ValueError(f"child-level detail is marked {OFFICIAL_SENSITIVE}, got {value!r}")


@attrs.frozen
class ChildLevelDetail:
    """The child-level rows behind a cycle report, marked OFFICIAL-SENSITIVE.

    ``escalations`` are those raised in the period and those still open on the date;
    ``tracker`` the children on a child of concern tracker; ``overdue_actions`` the actions
    overdue on the date; ``notes`` the notes auditors wrote on the period's judgements, as
    written (the learning themes a published report counts). Made only by
    :func:`child_level_detail`, never part of a :class:`CycleReport`; an output of it
    carries :attr:`marking`.
    """

    profile_id: str
    period: Period
    as_of: date
    escalations: tuple[EscalationRow, ...]
    tracker: tuple[TrackerRow, ...]
    overdue_actions: tuple[OverdueActionRow, ...]
    notes: tuple[NoteRow, ...] = ()
    marking: str = attrs.field(default=OFFICIAL_SENSITIVE, validator=_official_sensitive)


def child_level_detail(
    audits: Iterable[Audit],
    profile: Profile | ProfileResolver,
    period: Period,
    *,
    as_of: date,
    escalations: Iterable[Escalation] | None = None,
    calendar: WorkingCalendar | None = None,
) -> ChildLevelDetail:
    """The OFFICIAL-SENSITIVE child-level rows behind a cycle report (same arguments as
    :func:`build_cycle_report`): escalations raised in the period or open on ``as_of``, the
    children on a child of concern tracker, the actions overdue on ``as_of``, and the notes
    auditors wrote on the judgements of the period's audits (dated in it, on or before
    ``as_of``). Only on request: a published report never holds the notes unless a council
    opts in, and never the rest."""
    if as_of < period.start:
        raise CycleReportError(
            f"child-level detail for {period.label} as of {as_of.isoformat()}: the period "
            "has not begun"
        )
    resolve = _resolver(profile)
    reporting = resolve(min(period.end, as_of))
    records: Sequence[Audit] = audits if isinstance(audits, list | tuple) else list(audits)
    with paused_gc():
        loop = _closing_the_loop(records, resolve, as_of, escalations, calendar)
        rows = tuple(
            EscalationRow(
                e.child_id,
                e.audit_id,
                e.rule_id,
                e.rule.name,
                e.team,
                e.grade,
                e.raised_on,
                e.deadline,
                s.status,
                s.closed_on,
                s.closure.value if s.closure is not None else None,
            )
            for s in loop.states
            for e in (s.escalation,)
            if e.raised_on in period or s.status is EscalationStatus.OPEN
        )
        tracker = tuple(
            TrackerRow(
                t.tracker,
                t.child_id,
                t.audit_id,
                t.team,
                t.grade,
                t.added_on,
                t.next_review,
                len(t.open_actions),
                len(t.awaiting_verification),
            )
            for t in loop.tracker
        )
        overdue = []
        for audit in records:
            if audit.audit_date > as_of:
                continue
            for action in audit.actions:
                if action_status_as_of(action, as_of) is ActionStatus.OPEN and action.due < as_of:
                    overdue.append(
                        OverdueActionRow(
                            audit.child_id,
                            audit.id,
                            action.id,
                            action.what,
                            action.owner,
                            audit.team,
                            action.due,
                            (as_of - action.due).days,
                        )
                    )
        overdue.sort(key=lambda r: (r.due, r.audit_id, r.action_id))
        last = min(period.end, as_of)
        notes = tuple(
            NoteRow(audit.child_id, audit.id, audit.team, j.standard, j.grade, kind, text.strip())
            for audit in records
            if period.start <= audit.audit_date <= last
            for j in audit.judgements
            for kind, text in (("strengths", j.strengths), ("would_improve", j.would_improve))
            if text and not text.isspace()
        )
    return ChildLevelDetail(reporting.id, period, as_of, rows, tracker, tuple(overdue), notes)
