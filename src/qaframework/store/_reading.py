"""Reading audits back out of the register, equal to what was imported and recorded since.

:func:`fetch_audits` rebuilds :class:`~qaframework.engine.audits.Audit` values for the audits a
condition on the ``audits`` table selects: judgements, checklist answers and ratings in
their order, the moderation
history in its order, and each action as its latest event leaves it. With ``original`` it
rebuilds the audit as its import first recorded it instead: the moderations and actions the
file carried, each action as event 0.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date
from itertools import chain, groupby, starmap
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    and_,
    exists,
    literal,
    not_,
    or_,
    select,
    union_all,
)

from qaframework.engine._collector import paused_gc
from qaframework.engine.actions.ledger import ActionItem
from qaframework.engine.audits import (
    Audit,
    AuditAction,
    ItemAnswer,
    Judgement,
    ModerationRecord,
    Rating,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.checklists import ChecklistAnswer
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome
from qaframework.store.schema import (
    action_events,
    actions,
    audits,
    checklist_answers,
    judgements,
    moderations,
    ratings,
)

__all__ = ["fetch_audits", "fetch_overdue", "latest_event", "open_on"]

_BATCH = 20_000
"""Rows fetched at a time (on PostgreSQL through a server-side cursor, so that reading a
million audits back never holds a table's rows at once)."""

_first = itemgetter(0)
_rest = itemgetter(slice(1, None))


class _Enums(dict[str, tuple[Any, ...]]):
    """Enum values joined by commas (``"child,parent"``), each text read once."""

    def __init__(self, kind: type[enum.Enum]) -> None:
        super().__init__()
        self.members = {member.value: member for member in kind}

    def __missing__(self, text: str) -> tuple[Any, ...]:
        found = tuple(map(self.members.__getitem__, text.split(","))) if text else ()
        self[text] = found
        return found


_CONCERNS = _Enums(Concern)
_FEEDBACK = _Enums(FeedbackSource)
_OUTCOMES = {o.value: o for o in ModerationOutcome}
_STATUSES = {s.value: s for s in ActionStatus}
_ANSWERS = {a.value: a for a in ChecklistAnswer}


def _rows(connection: Connection, query: Select[Any]) -> Iterator[Any]:
    """The query's rows, fetched a batch at a time."""
    result = connection.execute(query.execution_options(yield_per=_BATCH))
    return chain.from_iterable(result.partitions())


def fetch_audits(
    connection: Connection,
    where: ColumnElement[bool] | None,
    *,
    original: bool = False,
    whole: bool = True,
) -> list[tuple[int, Audit]]:
    """The audits ``where`` selects (every audit when None), with their register keys, in
    the order imported.

    One query per table, each in audit key order; the rows are joined to their audits by
    key in Python, so the cost grows with the rows read, whatever their number. With
    ``whole`` False, the audits carry their moderations but no judgements and no actions
    (for a caller that reads neither, such as the moderation selection): two queries.
    """
    chosen = select(audits.c.key).where(where) if where is not None else None
    with paused_gc():
        found_judgements: dict[int, tuple[Judgement, ...]] = {}
        found_answers: dict[int, tuple[ItemAnswer, ...]] = {}
        found_ratings: dict[int, tuple[Rating, ...]] = {}
        if whole:
            found_judgements = _judgements(connection, chosen)
            found_answers, found_ratings = _answers_and_ratings(connection, chosen)
        found_moderations: dict[int, list[ModerationRecord]] = {}
        for key, moderator, role, grade, outcome, on, rationale in _rows(
            connection, _moderations(chosen, original)
        ):
            found_moderations.setdefault(key, []).append(
                ModerationRecord(moderator, role, grade, _OUTCOMES[outcome], on, rationale)
            )
        found_actions: dict[int, list[AuditAction]] = {}
        if whole:
            found_actions = _audit_actions(connection, chosen, original)
        return _audits(
            connection,
            where,
            found_judgements,
            found_moderations,
            found_actions,
            (found_answers, found_ratings),
        )


def _judgements(
    connection: Connection, chosen: Select[Any] | None
) -> dict[int, tuple[Judgement, ...]]:
    judgement_query = select(
        judgements.c.audit_key,
        judgements.c.standard,
        judgements.c.grade,
        judgements.c.rationale,
        judgements.c.strengths,
        judgements.c.would_improve,
    ).order_by(judgements.c.audit_key, judgements.c.position)
    if chosen is not None:
        judgement_query = judgement_query.where(judgements.c.audit_key.in_(chosen))
    return {
        key: tuple(starmap(Judgement, map(_rest, group)))
        for key, group in groupby(_rows(connection, judgement_query), _first)
    }


def _answers_and_ratings(
    connection: Connection, chosen: Select[Any] | None
) -> tuple[dict[int, tuple[ItemAnswer, ...]], dict[int, tuple[Rating, ...]]]:
    """The audits' checklist answers and grades on other scales, by audit key: one statement
    for both tables (a union), so reading audits back runs no more statements for them."""
    answer_query = select(
        checklist_answers.c.audit_key,
        literal(0).label("kind"),
        checklist_answers.c.position,
        checklist_answers.c.item,
        checklist_answers.c.answer,
    )
    rating_query = select(
        ratings.c.audit_key,
        literal(1).label("kind"),
        ratings.c.position,
        ratings.c.scale,
        ratings.c.grade,
    )
    if chosen is not None:
        answer_query = answer_query.where(checklist_answers.c.audit_key.in_(chosen))
        rating_query = rating_query.where(ratings.c.audit_key.in_(chosen))
    both = union_all(answer_query, rating_query).subquery()
    query = select(both.c.audit_key, both.c.kind, both.c.item, both.c.answer).order_by(
        both.c.audit_key, both.c.kind, both.c.position
    )
    answers: dict[int, list[ItemAnswer]] = {}
    rated: dict[int, list[Rating]] = {}
    for key, kind, first, second in _rows(connection, query):
        if kind == 0:
            answers.setdefault(key, []).append(ItemAnswer(first, _ANSWERS[second]))
        else:
            rated.setdefault(key, []).append(Rating(first, second))
    return (
        {key: tuple(found) for key, found in answers.items()},
        {key: tuple(found) for key, found in rated.items()},
    )


def _audit_actions(
    connection: Connection, chosen: Select[Any] | None, original: bool
) -> dict[int, list[AuditAction]]:
    found_actions: dict[int, list[AuditAction]] = {}
    for (
        key,
        action_id,
        what,
        owner,
        due,
        review,
        status,
        done_on,
        verified_on,
    ) in _rows(connection, _actions(chosen, original)):
        found_actions.setdefault(key, []).append(
            AuditAction(
                action_id, what, owner, due, review, _STATUSES[status], done_on, verified_on
            )
        )
    return found_actions


def _audits(
    connection: Connection,
    where: ColumnElement[bool] | None,
    found_judgements: dict[int, tuple[Judgement, ...]],
    found_moderations: dict[int, list[ModerationRecord]],
    found_actions: dict[int, list[AuditAction]],
    answers_and_ratings: tuple[dict[int, tuple[ItemAnswer, ...]], dict[int, tuple[Rating, ...]]],
) -> list[tuple[int, Audit]]:
    found_answers, found_ratings = answers_and_ratings
    audit_query = select(
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
    ).order_by(audits.c.key)
    if where is not None:
        audit_query = audit_query.where(where)
    concerns_of, feedback_of = _CONCERNS.__getitem__, _FEEDBACK.__getitem__
    no_judgements = ()
    found: list[tuple[int, Audit]] = []
    append = found.append
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
    ) in _rows(connection, audit_query):
        moderated = found_moderations.get(key)
        acted = found_actions.get(key)
        append(
            (
                key,
                Audit(
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
                    found_judgements.get(key, no_judgements),
                    concerns_of(concerns),
                    feedback_of(feedback),
                    tuple(moderated) if moderated else (),
                    tuple(acted) if acted else (),
                    found_answers.get(key, ()),
                    found_ratings.get(key, ()),
                ),
            )
        )
    return found


def _moderations(chosen: Select[Any] | None, original: bool) -> Select[Any]:
    query = select(
        moderations.c.audit_key,
        moderations.c.moderator,
        moderations.c.role,
        moderations.c.grade,
        moderations.c.outcome,
        moderations.c.moderated_on,
        moderations.c.rationale,
    )
    if chosen is not None:
        query = query.where(moderations.c.audit_key.in_(chosen))
    if original:
        query = query.where(moderations.c.import_id.is_not(None))
    return query.order_by(moderations.c.audit_key, moderations.c.position)


def latest_event(state: FromClause) -> ColumnElement[bool]:
    """True for the rows of ``state`` (``action_events`` or an alias of it) that are their
    action's latest event: no later event of the same action exists (found through the
    events' unique index, however many actions there are)."""
    later = action_events.alias("later")
    return ~exists().where(
        later.c.audit_key == state.c.audit_key,
        later.c.action_position == state.c.action_position,
        later.c.position > state.c.position,
    )


def _actions(chosen: Select[Any] | None, original: bool) -> Select[Any]:
    events = action_events
    condition: ColumnElement[bool]
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
        condition = actions.c.import_id.is_not(None)
    else:
        state = events
        joined = actions.join(
            state,
            and_(
                state.c.audit_key == actions.c.audit_key,
                state.c.action_position == actions.c.position,
            ),
        )
        condition = latest_event(state)
    if chosen is not None:
        condition = and_(actions.c.audit_key.in_(chosen), condition)
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


def open_on(state: FromClause, as_of: date) -> ColumnElement[bool]:
    """True for the events of ``state`` that leave their action open on ``as_of``: the
    rule of :func:`~qaframework.engine.actions.ledger.action_status_as_of`, as SQL (neither
    verified nor done by then)."""
    verified = and_(
        state.c.status == ActionStatus.VERIFIED.value,
        or_(state.c.verified_on.is_(None), state.c.verified_on <= as_of),
    )
    done = and_(
        state.c.status != ActionStatus.OPEN.value,
        or_(state.c.done_on.is_(None), state.c.done_on <= as_of),
    )
    return not_(or_(verified, done))


def fetch_overdue(
    connection: Connection, *, as_of: date, profile_id: str | None
) -> tuple[ActionItem, ...]:
    """The actions open and past their due date on ``as_of``, of the audits dated on or
    before it (of ``profile_id`` when given), the longest overdue first: the same as
    :meth:`~qaframework.engine.actions.ledger.ActionLedger.overdue` over those audits.

    One query, which reads only the actions due before ``as_of`` (through their index on
    the due date), their latest events and their audits' rows; no judgement, moderation
    or other action is read.
    """
    state = action_events
    conditions = [
        actions.c.due < as_of,
        audits.c.audit_date <= as_of,
        latest_event(state),
        open_on(state, as_of),
    ]
    if profile_id is not None:
        conditions.append(audits.c.profile_id == profile_id)
    query = (
        select(
            actions.c.due,
            audits.c.audit_id,
            actions.c.action_id,
            audits.c.key,
            actions.c.position,
            audits.c.child_id,
            audits.c.activity,
            audits.c.team,
            audits.c.service_area,
            actions.c.what,
            actions.c.owner,
            actions.c.review,
            state.c.status,
            state.c.done_on,
            state.c.verified_on,
        )
        .select_from(
            actions.join(audits, audits.c.key == actions.c.audit_key).join(
                state,
                and_(
                    state.c.audit_key == actions.c.audit_key,
                    state.c.action_position == actions.c.position,
                ),
            )
        )
        .where(*conditions)
    )
    with paused_gc():
        # In the ledger's order (due date, audit id, action id), then as imported: the
        # same order as sorting the ledger's items, which come in import order.
        rows = sorted(_rows(connection, query), key=itemgetter(0, 1, 2, 3, 4))
        items: list[ActionItem] = []
        for (
            due,
            audit_id,
            action_id,
            _key,
            _position,
            child_id,
            activity,
            team,
            service_area,
            what,
            owner,
            review,
            status,
            done_on,
            verified_on,
        ) in rows:
            action = AuditAction(
                action_id, what, owner, due, review, _STATUSES[status], done_on, verified_on
            )
            items.append(
                ActionItem(
                    audit_id,
                    child_id,
                    activity,
                    team,
                    service_area,
                    action,
                    ActionStatus.OPEN,
                    True,
                    (as_of - due).days,
                )
            )
        return tuple(items)
