"""Checklist answers and grades on other scales: an audit's answers to its activity's
compliance checklist, and its grades on the other scales its activity uses.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The tables' own types, spelt out here so that later changes to the schema module do not
# rewrite history.
Key = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ID = sa.String(100)


def upgrade() -> None:
    """Create the tables of checklist answers and ratings (a register of 0003 has none)."""
    op.create_table(
        "checklist_answers",
        sa.Column("audit_key", Key, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", ID, nullable=False),
        sa.Column("answer", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_key"], ["audits.key"], name="fk_checklist_answers_audit_key_audits"
        ),
        sa.PrimaryKeyConstraint("audit_key", "position", name="pk_checklist_answers"),
    )
    op.create_table(
        "ratings",
        sa.Column("audit_key", Key, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("scale", ID, nullable=False),
        sa.Column("grade", ID, nullable=False),
        sa.ForeignKeyConstraint(["audit_key"], ["audits.key"], name="fk_ratings_audit_key_audits"),
        sa.PrimaryKeyConstraint("audit_key", "position", name="pk_ratings"),
    )


def downgrade() -> None:
    """Drop the tables of checklist answers and ratings."""
    op.drop_table("ratings")
    op.drop_table("checklist_answers")
