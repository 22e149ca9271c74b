"""Reading audits back out of the register, equal to what was imported and recorded since.

:func:`fetch_audits` rebuilds :class:`~qaframework.engine.audits.Audit` values for the audits a
condition on the ``audits`` table selects: judgements in their order, the moderation
history in its order, and each action as its latest event leaves it. With ``original`` it
rebuilds the audit as its import first recorded it instead: the moderations and actions the
file carried, each action as event 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, select

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import Audit, AuditAction, Judgement, ModerationRecord
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome
from qaframework.store.schema import action_events, actions, audits, judgements, moderations

__all__ = ["fetch_audits"]

_CONCERNS = {c.value: c for c in Concern}
_FEEDBACK = {f.value: f for f in FeedbackSource}
_OUTCOMES = {o.value: o for o in ModerationOutcome}
_STATUSES = {s.value: s for s in ActionStatus}


def _enums(text: str, table: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(map(table.__getitem__, text.split(","))) if text else ()


def _rows(connection: Connection, query: Select[Any]) -> Iterator[Any]:
    # Rows as plain tuples to unpack: SQLAlchemy types rows of up to six columns only.
    rows: Iterator[Any] = iter(connection.execute(query))
    return rows


def fetch_audits(
    connection: Connection, where: ColumnElement[bool], *, original: bool = False
) -> list[tuple[int, Audit]]:
    """The audits ``where`` selects, with their register keys, in the order imported."""
    chosen = select(audits.c.key).where(where)
    with paused_gc():
        found_judgements: dict[int, list[Judgement]] = {}
        for row in _rows(
            connection,
            select(
                judgements.c.audit_key,
                judgements.c.standard,
                judgements.c.grade,
                judgements.c.rationale,
                judgements.c.strengths,
                judgements.c.would_improve,
            )
            .where(judgements.c.audit_key.in_(chosen))
            .order_by(judgements.c.audit_key, judgements.c.position),
        ):
            found_judgements.setdefault(row[0], []).append(Judgement(*row[1:]))
        found_moderations: dict[int, list[ModerationRecord]] = {}
        for row in _rows(connection, _moderations(chosen, original)):
            key, moderator, role, grade, outcome, on, rationale = row
            found_moderations.setdefault(key, []).append(
                ModerationRecord(moderator, role, grade, _OUTCOMES[outcome], on, rationale)
            )
        found_actions: dict[int, list[AuditAction]] = {}
        for row in _rows(connection, _actions(chosen, original)):
            key, action_id, what, owner, due, review, status, done_on, verified_on = row
            found_actions.setdefault(key, []).append(
                AuditAction(
                    action_id, what, owner, due, review, _STATUSES[status], done_on, verified_on
                )
            )
        found: list[tuple[int, Audit]] = []
        for (
            key,
            audit_id,
            child_id,
            activity,
            audit_date,
            auditor,
            auditor_role,
            overall_grade,
            cycle,
            practitioner,
            team,
            service_area,
            concerns,
            feedback,
        ) in _rows(
            connection,
            select(
                audits.c.key,
                audits.c.audit_id,
                audits.c.child_id,
                audits.c.activity,
                audits.c.audit_date,
                audits.c.auditor,
                audits.c.auditor_role,
                audits.c.overall_grade,
                audits.c.cycle,
                audits.c.practitioner,
                audits.c.team,
                audits.c.service_area,
                audits.c.concerns,
                audits.c.feedback,
            )
            .where(where)
            .order_by(audits.c.key),
        ):
            audit = Audit(
                audit_id,
                child_id,
                activity,
                audit_date,
                auditor,
                auditor_role,
                overall_grade,
                cycle,
                practitioner,
                team,
                service_area,
                tuple(found_judgements.get(key, ())),
                _enums(concerns, _CONCERNS),
                _enums(feedback, _FEEDBACK),
                tuple(found_moderations.get(key, ())),
                tuple(found_actions.get(key, ())),
            )
            found.append((key, audit))
        return found


def _moderations(chosen: Select[Any], original: bool) -> Select[Any]:
    query = select(
        moderations.c.audit_key,
        moderations.c.moderator,
        moderations.c.role,
        moderations.c.grade,
        moderations.c.outcome,
        moderations.c.moderated_on,
        moderations.c.rationale,
    ).where(moderations.c.audit_key.in_(chosen))
    if original:
        query = query.where(moderations.c.import_id.is_not(None))
    return query.order_by(moderations.c.audit_key, moderations.c.position)


def _actions(chosen: Select[Any], original: bool) -> Select[Any]:
    events = action_events
    if original:
        # As the file had it: event 0 of each action the import recorded.
        state = events
        joined = actions.join(
            state,
            and_(
                state.c.audit_key == actions.c.audit_key,
                state.c.action_position == actions.c.position,
                state.c.position == 0,
            ),
        )
        condition = and_(actions.c.audit_key.in_(chosen), actions.c.import_id.is_not(None))
    else:
        latest = (
            select(
                events.c.audit_key,
                events.c.action_position,
                func.max(events.c.position).label("position"),
            )
            .where(events.c.audit_key.in_(chosen))
            .group_by(events.c.audit_key, events.c.action_position)
            .subquery()
        )
        state = events
        joined = actions.join(
            latest,
            and_(
                latest.c.audit_key == actions.c.audit_key,
                latest.c.action_position == actions.c.position,
            ),
        ).join(
            state,
            and_(
                state.c.audit_key == latest.c.audit_key,
                state.c.action_position == latest.c.action_position,
                state.c.position == latest.c.position,
            ),
        )
        condition = actions.c.audit_key.in_(chosen)
    return (
        select(
            actions.c.audit_key,
            actions.c.action_id,
            actions.c.what,
            actions.c.owner,
            actions.c.due,
            actions.c.review,
            state.c.status,
            state.c.done_on,
            state.c.verified_on,
        )
        .select_from(joined)
        .where(condition)
        .order_by(actions.c.audit_key, actions.c.position)
    )
