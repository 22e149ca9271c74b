"""The QA register: audits, moderation history, escalations and actions that persist.

An adapter at the edge, installed with the ``store`` extra (``pip install
'qaframework[store]'``: SQLAlchemy 2, Alembic, psycopg 3); ``import qaframework`` never
imports it. The register is a SQLite file by default (in the user's data directory, or a
path given), or a PostgreSQL database by URL for services::

    from qaframework.store import init_register, open_register

    init_register("qa.sqlite3").close()          # create, or upgrade the schema
    with open_register("qa.sqlite3") as register:
        register.import_audits("audits.csv", "swindon", mapping="audits.mapping.toml")
        register.child_of_concern_tracker("swindon", as_of=date(2026, 6, 22))

History is append-only: an audit keeps the auditor's original grade, a moderation or an
action update is a new event, and current state is derived from the events. Imports are
atomic and idempotent. See ``docs/register.md`` for the guarantees and the command line
(``qaframework register``).
"""

from __future__ import annotations

try:
    import sqlalchemy  # noqa: F401
except ModuleNotFoundError as exc:
    raise ModuleNotFoundError(
        "qaframework.store needs the store extra: pip install 'qaframework[store]'",
        name=exc.name,
    ) from exc

from qaframework.store.engine import ENV_REGISTER, default_location
from qaframework.store.errors import RegisterConflict, RegisterError, SchemaOutOfDate
from qaframework.store.records import ImportRecord, ImportResult, RegisterStatus
from qaframework.store.register import (
    DEFAULT_BATCH_SIZE,
    Register,
    init_register,
    open_register,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ENV_REGISTER",
    "ImportRecord",
    "ImportResult",
    "Register",
    "RegisterConflict",
    "RegisterError",
    "RegisterStatus",
    "SchemaOutOfDate",
    "default_location",
    "init_register",
    "open_register",
]
