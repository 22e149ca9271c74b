"""Schema migrations, run programmatically with Alembic: no ``alembic.ini`` to ship or find.

The migration scripts live in this package (``migrations/versions``). :func:`upgrade` brings
a register to the newest revision inside one transaction (PostgreSQL holds an advisory lock
meanwhile, so two services starting together do not both create the tables);
:func:`current_revision` and :func:`head_revision` say where a register is and where this
release of qaframework needs it to be.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from qaframework.store.schema import VERSION_TABLE

__all__ = ["current_revision", "downgrade", "head_revision", "upgrade"]

_SCRIPTS = Path(__file__).parent / "migrations"
# Any constant: the key of the PostgreSQL advisory lock held while migrating.
_LOCK_KEY = 0x7161_7265_6769_7374


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    # ConfigParser reads "%" as interpolation.
    config.set_main_option("script_location", str(_SCRIPTS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """The newest schema revision, the one this qaframework reads and writes."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # the package ships its revisions
    return head


def current_revision(connection: Connection) -> str | None:
    """The register's schema revision; None when it has none (an empty database)."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Create or upgrade the register's tables to ``revision``, in the connection's
    transaction."""
    _lock(connection)
    command.upgrade(_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    """Take the register's schema back to ``revision`` (``base`` drops every table)."""
    _lock(connection)
    command.downgrade(_config(connection), revision)


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
