"""The register's events: a moderation, a new action and where an action now stands, each
appended to a registered audit (with the escalations a moderation raises), never changing
what was recorded before.

Each runs inside the write transaction :class:`~qaframework.store.register.Register` opens,
with the audit's row locked against other writers until it commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

import attrs
from sqlalchemy import Connection, func, insert, select

from qaframework.engine.audits import Audit, AuditAction, check_audit
from qaframework.engine.escalation import evaluate_escalations
from qaframework.engine.moderation import record_moderation
from qaframework.policy.actions import ActionStatus
from qaframework.profiles.registry import load_profile
from qaframework.store._bulk import COLUMNS, escalation_row, escalation_step, same
from qaframework.store._reading import fetch_audits
from qaframework.store.errors import RegisterError
from qaframework.store.schema import action_events, actions, audits, escalations, moderations

if TYPE_CHECKING:
    from qaframework.policy.profile import Profile

__all__ = ["append_action", "append_action_update", "append_moderation"]

Clock = Callable[[], datetime]
"""When an event is recorded: the register's clock (UTC without a zone)."""


def append_moderation(
    connection: Connection,
    location: str,
    now: Clock,
    profile_id: str,
    audit_id: str,
    *,
    moderator: str,
    role: str,
    grade: str,
    on: date,
    rationale: str | None,
    policy: str | None,
) -> Audit:
    """Append a moderation to a registered audit and the escalations it raises; the audit
    with it (see :meth:`~qaframework.store.register.Register.record_moderation`)."""
    key, audit = _locked_audit(connection, location, profile_id, audit_id)
    profile = load_profile(profile_id, as_of=audit.audit_date)
    updated = record_moderation(
        profile,
        audit,
        moderator=moderator,
        role=role,
        grade=grade,
        on=on,
        rationale=rationale,
        policy=policy,
    )
    record = updated.moderations[-1]
    at = now()
    connection.execute(
        insert(moderations).values(
            audit_key=key,
            position=len(audit.moderations),
            moderator=record.moderator,
            role=record.role,
            grade=record.grade,
            outcome=record.outcome.value,
            moderated_on=record.on,
            rationale=record.rationale,
            import_id=None,
            recorded_at=at,
        )
    )
    _record_escalations(connection, key, profile, updated, at)
    return updated


def append_action(
    connection: Connection,
    location: str,
    now: Clock,
    profile_id: str,
    audit_id: str,
    action: AuditAction,
) -> Audit:
    """Add an action to a registered audit, its state its first event; the audit with it
    (see :meth:`~qaframework.store.register.Register.add_action`)."""
    key, audit = _locked_audit(connection, location, profile_id, audit_id)
    if any(a.id == action.id for a in audit.actions):
        raise RegisterError(f"audit {audit_id!r} already has an action {action.id!r}")
    updated = attrs.evolve(audit, actions=(*audit.actions, action))
    position = len(audit.actions)
    _check_action(profile_id, updated, position)
    at = now()
    connection.execute(
        insert(actions).values(
            audit_key=key,
            position=position,
            action_id=action.id,
            what=action.what,
            owner=action.owner,
            due=action.due,
            review=action.review,
            import_id=None,
            recorded_at=at,
        )
    )
    _append_action_event(connection, key, position, 0, action, at)
    return updated


def append_action_update(
    connection: Connection,
    location: str,
    now: Clock,
    profile_id: str,
    audit_id: str,
    action_id: str,
    *,
    status: ActionStatus,
    done_on: date | None,
    verified_on: date | None,
) -> Audit:
    """Append where an action now stands; the audit with the action updated (see
    :meth:`~qaframework.store.register.Register.record_action_update`)."""
    key, audit = _locked_audit(connection, location, profile_id, audit_id)
    position = next((i for i, a in enumerate(audit.actions) if a.id == action_id), None)
    if position is None:
        known = ", ".join(repr(a.id) for a in audit.actions) or "none"
        raise RegisterError(
            f"audit {audit_id!r} has no action {action_id!r} (its actions: {known})"
        )
    changed = attrs.evolve(
        audit.actions[position], status=status, done_on=done_on, verified_on=verified_on
    )
    updated = attrs.evolve(
        audit,
        actions=(*audit.actions[:position], changed, *audit.actions[position + 1 :]),
    )
    _check_action(profile_id, updated, position)
    last = connection.execute(
        select(func.max(action_events.c.position)).where(
            action_events.c.audit_key == key,
            action_events.c.action_position == position,
        )
    ).scalar_one()
    _append_action_event(connection, key, position, last + 1, changed, now())
    return updated


def _locked_audit(
    connection: Connection, location: str, profile_id: str, audit_id: str
) -> tuple[int, Audit]:
    """The audit's key and audit, its row locked against other writers until commit."""
    key = connection.execute(
        select(audits.c.key)
        .where(audits.c.profile_id == profile_id, audits.c.audit_id == audit_id)
        .with_for_update()
    ).scalar_one_or_none()
    if key is None:
        raise RegisterError(f"{location} has no audit {audit_id!r} of profile {profile_id!r}")
    ((_, audit),) = fetch_audits(connection, audits.c.key == key)
    return key, audit


def _check_action(profile_id: str, audit: Audit, position: int) -> None:
    action = audit.actions[position]
    profile = load_profile(profile_id, as_of=audit.audit_date)
    where = f"$.actions[{position}]"
    problems = [p.message for p in check_audit(audit, profile) if p.path.startswith(where)]
    if (
        action.done_on is not None
        and action.verified_on is not None
        and action.verified_on < action.done_on
    ):
        problems.append(f"verified on {action.verified_on}, before it was done ({action.done_on})")
    if problems:
        raise RegisterError(f"audit {audit.id!r}, action {action.id!r}: {'; '.join(problems)}")


def _append_action_event(
    connection: Connection,
    key: int,
    action_position: int,
    position: int,
    action: AuditAction,
    at: datetime,
) -> None:
    connection.execute(
        insert(action_events).values(
            audit_key=key,
            action_position=action_position,
            position=position,
            status=action.status.value,
            done_on=action.done_on,
            verified_on=action.verified_on,
            import_id=None,
            recorded_at=at,
        )
    )


def _record_escalations(
    connection: Connection, key: int, profile: Profile, audit: Audit, at: datetime
) -> None:
    """Record the escalations ``audit`` raises that the register does not hold yet."""
    held = {
        (rule_id, step)
        for rule_id, step in connection.execute(
            select(escalations.c.rule_id, escalations.c.step).where(escalations.c.audit_key == key)
        )
    }
    names = COLUMNS["escalations"]
    rows = [
        dict(zip(names, escalation_row(e, key, same, None, at), strict=True))
        for e in evaluate_escalations(profile, audit, as_of=date.max)
        if (e.rule_id, escalation_step(e)) not in held
    ]
    if rows:
        connection.execute(insert(escalations), rows)
