"""Audit records as tidy frames: one row per audit, per judgement, per moderation and per
action, joined on ``audit_id``; for a load, also one row per problem of each rejected row.

Records name children: they are working data, never for publication (the view is
``"records"``). :meth:`qaframework.io.AuditLoad.to_pandas` and
:func:`qaframework.render.frames.audit_frames` build them here.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat
from operator import attrgetter, contains
from typing import Any

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import Audit
from qaframework.engine.frames import RECORDS, Backend, Columns, Frames, FramesError, library
from qaframework.io.rejections import Rejection
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern

__all__ = ["record_frames"]

_ID = attrgetter("id")


def record_frames(
    records: Sequence[Audit],
    rejected: Sequence[Rejection] | None = None,
    *,
    backend: Backend = "pandas",
) -> Frames:
    """Audit records as tidy frames (view ``"records"``: they name children).

    - ``audits``: one row per audit: audit_id, child_id, activity, audit_date, auditor,
      auditor_role, practitioner, team, service_area, cycle, overall_grade (the auditor's;
      missing for an activity that does not grade practice), moderated_grade (the latest
      moderation's, missing when unmoderated), final_grade (missing when ungraded),
      judgements, moderations and actions (how many), then a true/false column per concern
      (``concern_urgent_safety`` ...) and per feedback source (``feedback_child`` ...);
    - ``judgements``: one row per audit and standard: audit_id, standard, grade, rationale,
      strengths, would_improve;
    - ``moderations``: one row per moderation, in the order recorded: audit_id, moderator,
      role, grade, outcome, moderated_on, rationale;
    - ``actions``: one row per action: audit_id, action_id, what, owner, due, review, status,
      done_on, verified_on;
    - with ``rejected`` (a load's rejected rows), ``rejections``: one row per problem of each
      rejected row: file, row, column, value, reason, duplicate_of.

    Grades are the codes as recorded (audits may span profile versions); join the frames on
    ``audit_id``.
    """
    library(backend)
    for position, record in enumerate(records):
        if not isinstance(record, Audit):
            raise FramesError(
                f"audit frames are made of Audit records; item {position} is a "
                f"{type(record).__name__}"
            )
    # Lists of references and frames hold no cycles: the collector would only walk them.
    with paused_gc():
        gathered = _Records(records)
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

    def __init__(self, audits: Sequence[Audit]) -> None:
        self.audits = audits
        self.ids = list(map(_ID, audits))
        self.judgements = list(map(attrgetter("judgements"), audits))
        self.moderations = list(map(attrgetter("moderations"), audits))
        self.actions = list(map(attrgetter("actions"), audits))

    def flat(self, groups: list[tuple[Any, ...]]) -> tuple[list[str], list[Any]]:
        """The records of ``groups`` in order, and each one's audit id."""
        owners = list(chain.from_iterable(map(repeat, self.ids, map(len, groups))))
        return owners, list(chain.from_iterable(groups))

    def audit_columns(self) -> Columns:
        audits = self.audits
        frame = Columns()
        frame.add("audit_id", "str", self.ids)
        for name in ("child_id", "activity"):
            frame.add(name, "str", list(map(attrgetter(name), audits)))
        frame.add("audit_date", "date", list(map(attrgetter("audit_date"), audits)))
        for name in ("auditor", "auditor_role", "practitioner", "team", "service_area", "cycle"):
            frame.add(name, "str", list(map(attrgetter(name), audits)))
        overall = list(map(attrgetter("overall_grade"), audits))
        moderated = [
            a.moderated_grade if held else None
            for a, held in zip(audits, self.moderations, strict=True)
        ]
        frame.add("overall_grade", "str", overall)
        frame.add("moderated_grade", "str", moderated)
        frame.add(
            "final_grade",
            "str",
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
        frame = Columns()
        frame.add("audit_id", "str", owners)
        for name in ("standard", "grade", "rationale", "strengths", "would_improve"):
            frame.add(name, "str", list(map(attrgetter(name), judgements)))
        return frame

    def moderation_columns(self) -> Columns:
        owners, moderations = self.flat(self.moderations)
        frame = Columns()
        frame.add("audit_id", "str", owners)
        for name in ("moderator", "role", "grade"):
            frame.add(name, "str", list(map(attrgetter(name), moderations)))
        frame.add("outcome", "str", list(map(attrgetter("outcome.value"), moderations)))
        frame.add("moderated_on", "date", list(map(attrgetter("on"), moderations)))
        frame.add("rationale", "str", list(map(attrgetter("rationale"), moderations)))
        return frame

    def action_columns(self) -> Columns:
        owners, actions = self.flat(self.actions)
        frame = Columns()
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
