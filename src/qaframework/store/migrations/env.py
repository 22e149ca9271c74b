"""Alembic's environment for the register: migrations run on the connection the register
passes in (``config.attributes["connection"]``), inside its transaction."""

from __future__ import annotations

from alembic import context

from qaframework.store.schema import VERSION_TABLE, metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "the register's migrations run through qaframework.store.init_register, "
        "which passes them a connection"
    )
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
