"""The register's tables, in SQLAlchemy Core: what a QA register keeps, append-only.

- ``imports``: one row per file imported (its SHA-256 ``content_hash``, unique, so a file is
  imported once), with the source file's name, the profile, the counts and when.
- ``import_rejections``: every problem of every row the loader rejected, with the row,
  column, cell value and reason, written in the import's own transaction.
- ``audits``: the audit as the auditor recorded it, never updated: the auditor's grade stays
  what it was. ``key`` is the register's own number for the audit; ``audit_id`` the
  council's, unique within a profile.
- ``judgements``: the per-standard judgements of each audit, in their order.
- ``checklist_answers``: each audit's answers to its activity's compliance checklist (yes,
  no, not applicable), in their order.
- ``ratings``: each audit's grades on the other scales its activity uses, in their order.
- ``moderations``: moderation events, each a row appended at its ``position`` in the
  audit's moderation history, from an import (``import_id``) or recorded later.
- ``actions``: the SMART actions audits set (what, owner, due, review), as set.
- ``action_events``: where an action stands (open, done, verified, with the dates): its
  state on import or when added is event 0, and each update appends the next event.
- ``escalations``: each escalation raised, when it was raised: by the audit (``step`` 0) or
  by its ``step``-th moderation; unique per audit, rule and step.

Nothing is updated in place: current state (an audit's moderated grade, an action's status)
is read from the latest event. Free text (auditors, teams, owners...) is of any length on
both backends; ids are at most 200 characters (the loaders reject longer ones). Dates are
``DATE``; ``recorded_at`` and ``imported_at`` are UTC times without a zone. Constraint names
follow :data:`NAMING_CONVENTION`, so that the migrations can name them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "NAMING_CONVENTION",
    "VERSION_TABLE",
    "action_events",
    "actions",
    "audits",
    "checklist_answers",
    "escalations",
    "import_rejections",
    "imports",
    "judgements",
    "metadata",
    "moderations",
    "ratings",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

VERSION_TABLE = "qaframework_schema_version"
"""Alembic's table of the schema revision, named so that it cannot clash with a service's."""

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# 64-bit keys on PostgreSQL; SQLite's INTEGER is already 64-bit and only the INTEGER
# spelling makes a primary key the table's rowid.
Key = BigInteger().with_variant(Integer(), "sqlite")

_ID = 100
_NAME = 200
# Free text of any length: TEXT on PostgreSQL (migration 0002); SQLite keeps a VARCHAR of any
# length, so its declared type stays as migration 0001 created it.
FreeText = String(_NAME).with_variant(Text(), "postgresql")

imports = Table(
    "imports",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", String(255), nullable=False),
    Column("profile_id", String(_ID), nullable=False),
    Column("format", String(10), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("blank_rows", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("imported_at", DateTime, nullable=False),
)

import_rejections = Table(
    "import_rejections",
    metadata,
    Column("import_id", Key, ForeignKey("imports.id"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("column_name", FreeText),
    Column("cell_value", Text),
    Column("reason", Text, nullable=False),
    Column("duplicate_of", Integer),
    PrimaryKeyConstraint("import_id", "row_number", "position"),
)

audits = Table(
    "audits",
    metadata,
    Column("key", Key, primary_key=True, autoincrement=False),
    Column("import_id", Key, ForeignKey("imports.id"), nullable=False),
    Column("profile_id", String(_ID), nullable=False),
    Column("audit_id", String(_NAME), nullable=False),
    Column("child_id", String(_NAME), nullable=False),
    Column("activity", String(_ID), nullable=False),
    Column("audit_date", Date, nullable=False),
    Column("auditor", FreeText, nullable=False),
    Column("auditor_role", String(_ID), nullable=False),
    # None for an audit of an activity that does not grade practice.
    Column("overall_grade", String(_ID)),
    Column("cycle", FreeText),
    Column("practitioner", FreeText),
    Column("team", FreeText),
    Column("service_area", FreeText),
    # The audit's concerns and feedback sources, their enum values joined by commas in the
    # audit's order ("" for none): small, never queried on their own.
    Column("concerns", String(_NAME), nullable=False),
    Column("feedback", String(_NAME), nullable=False),
    UniqueConstraint("profile_id", "audit_id"),
    Index(None, "profile_id", "audit_date"),
    Index(None, "profile_id", "child_id"),
)

judgements = Table(
    "judgements",
    metadata,
    Column("audit_key", Key, ForeignKey("audits.key"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("standard", String(_ID), nullable=False),
    Column("grade", String(_ID), nullable=False),
    Column("rationale", Text),
    Column("strengths", Text),
    Column("would_improve", Text),
    PrimaryKeyConstraint("audit_key", "position"),
)

checklist_answers = Table(
    "checklist_answers",
    metadata,
    Column("audit_key", Key, ForeignKey("audits.key"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("item", String(_ID), nullable=False),
    Column("answer", String(20), nullable=False),
    PrimaryKeyConstraint("audit_key", "position"),
)

ratings = Table(
    "ratings",
    metadata,
    Column("audit_key", Key, ForeignKey("audits.key"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("scale", String(_ID), nullable=False),
    Column("grade", String(_ID), nullable=False),
    PrimaryKeyConstraint("audit_key", "position"),
)

moderations = Table(
    "moderations",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("audit_key", Key, ForeignKey("audits.key"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("moderator", FreeText, nullable=False),
    Column("role", String(_ID), nullable=False),
    Column("grade", String(_ID), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("moderated_on", Date, nullable=False),
    Column("rationale", Text),
    Column("import_id", Key, ForeignKey("imports.id")),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint("audit_key", "position"),
)

actions = Table(
    "actions",
    metadata,
    Column("audit_key", Key, ForeignKey("audits.key"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("action_id", String(_NAME), nullable=False),
    Column("what", Text, nullable=False),
    Column("owner", FreeText, nullable=False),
    Column("due", Date, nullable=False),
    Column("review", Date),
    Column("import_id", Key, ForeignKey("imports.id")),
    Column("recorded_at", DateTime, nullable=False),
    PrimaryKeyConstraint("audit_key", "position"),
    UniqueConstraint("audit_key", "action_id"),
    Index(None, "due"),
)

action_events = Table(
    "action_events",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("audit_key", Key, nullable=False),
    Column("action_position", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("done_on", Date),
    Column("verified_on", Date),
    Column("import_id", Key, ForeignKey("imports.id")),
    Column("recorded_at", DateTime, nullable=False),
    ForeignKeyConstraint(
        ["audit_key", "action_position"], ["actions.audit_key", "actions.position"]
    ),
    UniqueConstraint("audit_key", "action_position", "position"),
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("audit_key", Key, ForeignKey("audits.key"), nullable=False),
    Column("rule_id", String(_ID), nullable=False),
    Column("step", Integer, nullable=False),
    Column("stage", String(20), nullable=False),
    # None for an escalation raised from an audit of an activity that does not grade practice.
    Column("grade", String(_ID)),
    Column("concern", String(_ID)),
    Column("raised_on", Date, nullable=False),
    # None where the rule states no deadline ("not stated"): none is invented.
    Column("deadline", Date),
    Column("consequence", String(50)),
    Column("profile_version", String(_ID), nullable=False),
    Column("import_id", Key, ForeignKey("imports.id")),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint("audit_key", "rule_id", "step"),
    Index(None, "consequence", "raised_on"),
)
