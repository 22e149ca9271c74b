"""The register: imports and their rejections, audits, judgements, moderation events,
actions and action events, escalations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The tables' own types, spelt out here so that later changes to the schema module do not
# rewrite history.
Key = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ID = sa.String(100)
NAME = sa.String(200)


def upgrade() -> None:
    """Create the register's tables."""
    op.create_table(
        "imports",
        sa.Column("id", Key, autoincrement=True, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("profile_id", ID, nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("blank_rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
        sa.UniqueConstraint("content_hash", name="uq_imports_content_hash"),
    )
    op.create_table(
        "import_rejections",
        sa.Column("import_id", Key, nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("column_name", NAME),
        sa.Column("cell_value", sa.Text()),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("duplicate_of", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_import_rejections_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("import_id", "row_number", "position", name="pk_import_rejections"),
    )
    op.create_table(
        "audits",
        sa.Column("key", Key, autoincrement=False, nullable=False),
        sa.Column("import_id", Key, nullable=False),
        sa.Column("profile_id", ID, nullable=False),
        sa.Column("audit_id", NAME, nullable=False),
        sa.Column("child_id", NAME, nullable=False),
        sa.Column("activity", ID, nullable=False),
        sa.Column("audit_date", sa.Date(), nullable=False),
        sa.Column("auditor", NAME, nullable=False),
        sa.Column("auditor_role", ID, nullable=False),
        sa.Column("overall_grade", ID),
        sa.Column("cycle", NAME),
        sa.Column("practitioner", NAME),
        sa.Column("team", NAME),
        sa.Column("service_area", NAME),
        sa.Column("concerns", NAME, nullable=False),
        sa.Column("feedback", NAME, nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name="fk_audits_import_id_imports"),
        sa.PrimaryKeyConstraint("key", name="pk_audits"),
        sa.UniqueConstraint("profile_id", "audit_id", name="uq_audits_profile_id_audit_id"),
    )
    op.create_index("ix_audits_profile_id_audit_date", "audits", ["profile_id", "audit_date"])
    op.create_index("ix_audits_profile_id_child_id", "audits", ["profile_id", "child_id"])
    op.create_table(
        "judgements",
        sa.Column("audit_key", Key, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("standard", ID, nullable=False),
        sa.Column("grade", ID, nullable=False),
        sa.Column("rationale", sa.Text()),
        sa.Column("strengths", sa.Text()),
        sa.Column("would_improve", sa.Text()),
        sa.ForeignKeyConstraint(
            ["audit_key"], ["audits.key"], name="fk_judgements_audit_key_audits"
        ),
        sa.PrimaryKeyConstraint("audit_key", "position", name="pk_judgements"),
    )
    op.create_table(
        "moderations",
        sa.Column("id", Key, autoincrement=True, nullable=False),
        sa.Column("audit_key", Key, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("moderator", NAME, nullable=False),
        sa.Column("role", ID, nullable=False),
        sa.Column("grade", ID, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("moderated_on", sa.Date(), nullable=False),
        sa.Column("rationale", sa.Text()),
        sa.Column("import_id", Key),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_key"], ["audits.key"], name="fk_moderations_audit_key_audits"
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_moderations_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_moderations"),
        sa.UniqueConstraint("audit_key", "position", name="uq_moderations_audit_key_position"),
    )
    op.create_table(
        "actions",
        sa.Column("audit_key", Key, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action_id", NAME, nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", NAME, nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("review", sa.Date()),
        sa.Column("import_id", Key),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["audit_key"], ["audits.key"], name="fk_actions_audit_key_audits"),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name="fk_actions_import_id_imports"),
        sa.PrimaryKeyConstraint("audit_key", "position", name="pk_actions"),
        sa.UniqueConstraint("audit_key", "action_id", name="uq_actions_audit_key_action_id"),
    )
    op.create_index("ix_actions_due", "actions", ["due"])
    op.create_table(
        "action_events",
        sa.Column("id", Key, autoincrement=True, nullable=False),
        sa.Column("audit_key", Key, nullable=False),
        sa.Column("action_position", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("done_on", sa.Date()),
        sa.Column("verified_on", sa.Date()),
        sa.Column("import_id", Key),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_key", "action_position"],
            ["actions.audit_key", "actions.position"],
            name="fk_action_events_audit_key_action_position_actions",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_action_events_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_action_events"),
        sa.UniqueConstraint(
            "audit_key",
            "action_position",
            "position",
            name="uq_action_events_audit_key_action_position_position",
        ),
    )
    op.create_table(
        "escalations",
        sa.Column("id", Key, autoincrement=True, nullable=False),
        sa.Column("audit_key", Key, nullable=False),
        sa.Column("rule_id", ID, nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("grade", ID),
        sa.Column("concern", ID),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("consequence", sa.String(50)),
        sa.Column("profile_version", ID, nullable=False),
        sa.Column("import_id", Key),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_key"], ["audits.key"], name="fk_escalations_audit_key_audits"
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_escalations_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_escalations"),
        sa.UniqueConstraint(
            "audit_key", "rule_id", "step", name="uq_escalations_audit_key_rule_id_step"
        ),
    )
    op.create_index(
        "ix_escalations_consequence_raised_on", "escalations", ["consequence", "raised_on"]
    )


def downgrade() -> None:
    """Drop the register's tables, dependants first."""
    for table in (
        "escalations",
        "action_events",
        "actions",
        "moderations",
        "judgements",
        "audits",
        "import_rejections",
        "imports",
    ):
        op.drop_table(table)
