"""Audit records as tidy frames: one row per audit, per judgement, per moderation and per
action, joined on ``audit_id``; for a load, also one row per problem of each rejected row.

Records name children: they are working data, never for publication (the view is
``"records"``). :meth:`qaframework.io.AuditLoad.to_pandas` and
:func:`qaframework.render.frames.audit_frames` build them here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import chain, repeat
from operator import attrgetter, contains
from typing import Any

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import Audit
from qaframework.engine.frames import (
    RECORDS,
    Backend,
    ColumnKind,
    Columns,
    Frames,
    FramesError,
    library,
)
from qaframework.engine.periods import Period
from qaframework.io.rejections import Rejection
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.grades import GradeScale

__all__ = ["record_frames"]

_ID = attrgetter("id")


def record_frames(
    records: Sequence[Audit],
    rejected: Sequence[Rejection] | None = None,
    *,
    backend: Backend = "pandas",
    grades: GradeScale | Sequence[str] | None = None,
) -> Frames:
    """Audit records as tidy frames (view ``"records"``: they name children).

    - ``audits``: one row per audit: audit_id, child_id, activity, audit_date, auditor,
      auditor_role, practitioner, team, service_area, cycle (the first day of the audit's
      cycle), cycle_end (its last day, where the export says it), cycle_label (the cycle as
      the export wrote it), overall_grade (the auditor's; missing for an activity that does
      not grade practice), moderated_grade (the latest moderation's, missing when
      unmoderated), final_grade (missing when ungraded), judgements, moderations and
      actions (how many), then a true/false column per concern (``concern_urgent_safety``
      ...) and per feedback source (``feedback_child`` ...);
    - ``judgements``: one row per audit and standard: audit_id, standard, grade, rationale,
      strengths, would_improve;
    - ``moderations``: one row per moderation, in the order recorded: audit_id, moderator,
      role, grade, outcome, moderated_on, rationale;
    - ``actions``: one row per action: audit_id, action_id, what, owner, due, review, status,
      done_on, verified_on;
    - with ``rejected`` (a load's rejected rows), ``rejections``: one row per problem of each
      rejected row: file, row, column, value, reason, duplicate_of.

    With ``grades`` (a :class:`~qaframework.policy.grades.GradeScale`, or codes best first,
    as :func:`~qaframework.policy.grades.grade_order` gives for several versions; an
    :class:`~qaframework.io.AuditLoad` passes those of the versions its audits were read
    under) every grade column is an ordered category in that order (a pandas
    ``Categorical``, a polars ``Enum``), so grades sort, group and plot best first; a grade
    not among them is a :class:`~qaframework.engine.frames.FramesError`, never a silent
    missing value. Without, grades are the codes as text. A cycle is read from its label:
    a day (``2026-05-13``: the cycle that starts then) or a period as
    :meth:`Period.parse <qaframework.engine.periods.Period.parse>` reads it (``2026-05``,
    ``2026-27 Q1``, ``2026-04-01..2026-05-12``); a label that is neither leaves ``cycle``
    missing and is kept in ``cycle_label``. Dates are dates (pandas ``datetime64``, polars
    ``Date``). Join the frames on ``audit_id``.
    """
    library(backend)
    order = _grade_codes(grades)
    for position, record in enumerate(records):
        if not isinstance(record, Audit):
            raise FramesError(
                f"audit frames are made of Audit records; item {position} is a "
                f"{type(record).__name__}"
            )
    # Lists of references and frames hold no cycles: the collector would only walk them.
    with paused_gc():
        gathered = _Records(records, order)
        frames = {
            "audits": gathered.audit_columns().build(backend),
            "judgements": gathered.judgement_columns().build(backend),
            "moderations": gathered.moderation_columns().build(backend),
            "actions": gathered.action_columns().build(backend),
        }
        if rejected is not None:
            frames["rejections"] = _rejections(rejected).build(backend)
    return Frames(RECORDS, frames)


class _Records:
    """Audits with what each holds (judgements, moderations, actions) gathered once.

    Each list is one pass in C (``map`` over an attribute getter), and the records an audit
    holds are flattened with their audit's id the same way: a million audits cost a few
    passes, not a Python loop per record.
    """

    def __init__(self, audits: Sequence[Audit], grades: tuple[str, ...] | None) -> None:
        self.audits = audits
        self.grades = grades
        self.grade_kind: ColumnKind = "str" if grades is None else "grade"
        self.ids = list(map(_ID, audits))
        self.judgements = list(map(attrgetter("judgements"), audits))
        self.moderations = list(map(attrgetter("moderations"), audits))
        self.actions = list(map(attrgetter("actions"), audits))

    def flat(self, groups: list[tuple[Any, ...]]) -> tuple[list[str], list[Any]]:
        """The records of ``groups`` in order, and each one's audit id."""
        owners = list(chain.from_iterable(map(repeat, self.ids, map(len, groups))))
        return owners, list(chain.from_iterable(groups))

    def columns(self) -> Columns:
        return Columns(self.grades or ())

    def checked(self, values: list[Any], where: str) -> list[Any]:
        """``values`` (grade codes), refused when one is not among the grades."""
        if self.grades is not None:
            unknown = set(values) - set(self.grades) - {None}
            if unknown:
                raise FramesError(
                    f"{where} holds grades that are not among the grades given "
                    f"({', '.join(self.grades)}): {', '.join(sorted(unknown))}"
                )
        return values

    def audit_columns(self) -> Columns:
        audits = self.audits
        frame = self.columns()
        frame.add("audit_id", "str", self.ids)
        for name in ("child_id", "activity"):
            frame.add(name, "str", list(map(attrgetter(name), audits)))
        frame.add("audit_date", "date", list(map(attrgetter("audit_date"), audits)))
        for name in ("auditor", "auditor_role", "practitioner", "team", "service_area"):
            frame.add(name, "str", list(map(attrgetter(name), audits)))
        labels = list(map(attrgetter("cycle"), audits))
        read = {label: _cycle_days(label) for label in set(labels)}
        days = list(map(read.__getitem__, labels))
        frame.add("cycle", "date", [first for first, _ in days])
        frame.add("cycle_end", "date", [last for _, last in days])
        frame.add("cycle_label", "str", labels)
        kind = self.grade_kind
        overall = self.checked(list(map(attrgetter("overall_grade"), audits)), "overall_grade")
        moderated = [
            a.moderated_grade if held else None
            for a, held in zip(audits, self.moderations, strict=True)
        ]
        frame.add("overall_grade", kind, overall)
        frame.add("moderated_grade", kind, self.checked(moderated, "moderated_grade"))
        frame.add(
            "final_grade",
            kind,
            [o if m is None else m for o, m in zip(overall, moderated, strict=True)],
        )
        for name, groups in (
            ("judgements", self.judgements),
            ("moderations", self.moderations),
            ("actions", self.actions),
        ):
            frame.add(name, "int", list(map(len, groups)))
        concerns = list(map(attrgetter("concerns"), audits))
        for concern in Concern:
            frame.add(
                f"concern_{concern.value}", "bool", list(map(contains, concerns, repeat(concern)))
            )
        feedback = list(map(attrgetter("feedback"), audits))
        for source in FeedbackSource:
            frame.add(
                f"feedback_{source.value}", "bool", list(map(contains, feedback, repeat(source)))
            )
        return frame

    def judgement_columns(self) -> Columns:
        owners, judgements = self.flat(self.judgements)
        frame = self.columns()
        frame.add("audit_id", "str", owners)
        frame.add("standard", "str", list(map(attrgetter("standard"), judgements)))
        grades = self.checked(list(map(attrgetter("grade"), judgements)), "a judgement")
        frame.add("grade", self.grade_kind, grades)
        for name in ("rationale", "strengths", "would_improve"):
            frame.add(name, "str", list(map(attrgetter(name), judgements)))
        return frame

    def moderation_columns(self) -> Columns:
        owners, moderations = self.flat(self.moderations)
        frame = self.columns()
        frame.add("audit_id", "str", owners)
        for name in ("moderator", "role"):
            frame.add(name, "str", list(map(attrgetter(name), moderations)))
        grades = self.checked(list(map(attrgetter("grade"), moderations)), "a moderation")
        frame.add("grade", self.grade_kind, grades)
        frame.add("outcome", "str", list(map(attrgetter("outcome.value"), moderations)))
        frame.add("moderated_on", "date", list(map(attrgetter("on"), moderations)))
        frame.add("rationale", "str", list(map(attrgetter("rationale"), moderations)))
        return frame

    def action_columns(self) -> Columns:
        owners, actions = self.flat(self.actions)
        frame = self.columns()
        frame.add("audit_id", "str", owners)
        frame.add("action_id", "str", list(map(_ID, actions)))
        for name in ("what", "owner"):
            frame.add(name, "str", list(map(attrgetter(name), actions)))
        for name in ("due", "review"):
            frame.add(name, "date", list(map(attrgetter(name), actions)))
        frame.add("status", "str", list(map(attrgetter("status.value"), actions)))
        for name in ("done_on", "verified_on"):
            frame.add(name, "date", list(map(attrgetter(name), actions)))
        return frame


def _grade_codes(grades: GradeScale | Sequence[str] | None) -> tuple[str, ...] | None:
    if grades is None:
        return None
    if isinstance(grades, GradeScale):
        return grades.codes
    if isinstance(grades, str):
        raise FramesError("grades are a GradeScale or a sequence of codes, best first")
    codes = tuple(grades)
    if len(set(codes)) != len(codes):
        raise FramesError(f"grades repeat a code: {', '.join(codes)}")
    return codes


def _cycle_days(label: str | None) -> tuple[date | None, date | None]:
    """A cycle's first and last day from its label: a day is the first (the last is not
    said), a period both; None for a label that is neither."""
    if label is None:
        return None, None
    try:
        return date.fromisoformat(label.strip()), None
    except ValueError:
        pass
    try:
        period = Period.parse(label)
    except ValueError:
        return None, None
    return period.start, period.end


def _rejections(rejected: Sequence[Rejection]) -> Columns:
    rows = [(r, p) for r in rejected for p in r.problems]
    frame = Columns()
    frame.add("file", "str", [r.file for r, _ in rows])
    frame.add("row", "int", [r.row for r, _ in rows])
    frame.add("column", "str", [p.column for _, p in rows])
    frame.add("value", "str", [p.value for _, p in rows])
    frame.add("reason", "str", [p.reason for _, p in rows])
    frame.add("duplicate_of", "int", [r.duplicate_of for r, _ in rows])
    return frame
