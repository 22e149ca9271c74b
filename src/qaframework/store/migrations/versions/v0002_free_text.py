"""Free text of any length on PostgreSQL: who audited, moderated or owns an action, the
cycle, practitioner, team and service area, and the column a rejection names.

These were ``VARCHAR(200)``, which PostgreSQL enforces and SQLite does not: a team name of
201 characters imported into SQLite and failed on PostgreSQL. They are ``TEXT`` on
PostgreSQL now; SQLite keeps any length already, so nothing changes there. Ids (audit,
child, action) stay bounded: the loaders reject an id longer than 200 characters.

Revision ID: 0002
Revises: 0001
Create Date: 2027-01-18
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = {
    "audits": ("auditor", "cycle", "practitioner", "team", "service_area"),
    "moderations": ("moderator",),
    "actions": ("owner",),
    "import_rejections": ("column_name",),
}


def upgrade() -> None:
    """Make the free-text columns ``TEXT`` on PostgreSQL."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(200))


def downgrade() -> None:
    """Take the free-text columns back to ``VARCHAR(200)`` on PostgreSQL (refused by the
    database when a value is longer)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.String(200), existing_type=sa.Text())
