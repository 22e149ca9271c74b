"""An escalation's deadline may be not stated: a rule that states none has no deadline (NULL).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Let ``escalations.deadline`` be NULL: the deadline of a rule that states none."""
    with op.batch_alter_table("escalations") as batch:
        batch.alter_column("deadline", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    """Require a deadline again (fails while an escalation without one is recorded)."""
    with op.batch_alter_table("escalations") as batch:
        batch.alter_column("deadline", existing_type=sa.Date(), nullable=False)
