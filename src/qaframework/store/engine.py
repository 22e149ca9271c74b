"""Where a register lives and how it is opened: a SQLite file, or PostgreSQL by URL.

Without a location the register is the SQLite file ``register.sqlite3`` in the user's data
directory (``platformdirs.user_data_dir("qaframework")``), or the location
``QAFRAMEWORK_REGISTER`` names. A location is a path (a SQLite file) or a URL:
``sqlite:///path/to/register.sqlite3`` or ``postgresql://user@host/dbname`` (read with
psycopg 3).

A new SQLite file is created by this module, readable and writable by its owner only (mode
0600, whatever the umask), before SQLAlchemy opens it; SQLite gives its write-ahead log the
same mode. Every SQLite connection runs in WAL mode with foreign keys on and a busy
timeout, so that a writer waits for another to finish rather than failing; writes begin
``IMMEDIATE`` so that the wait happens at the start of the transaction, where the busy
timeout applies. Engines hide bound parameters in logs and error messages, and the rows
results carry are never logged: the register holds child-level data, which must not reach
a log.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError

from qaframework.store.errors import RegisterError

__all__ = [
    "DEFAULT_FILE_NAME",
    "ENV_REGISTER",
    "Location",
    "create_sqlite_file",
    "default_location",
    "engine_for",
    "location_of",
]

ENV_REGISTER = "QAFRAMEWORK_REGISTER"
"""The environment variable naming the register (a path or URL) when none is given."""

DEFAULT_FILE_NAME = "register.sqlite3"

WRITE_OPTION = "qaframework_write"
"""Execution option marking a connection whose transactions write (``BEGIN IMMEDIATE``)."""

_LOGGING_NAME = "qaframework_register"
_FILE_MODE = 0o600
_DIRECTORY_MODE = 0o700


@attrs.frozen
class Location:
    """A register's location: its SQLAlchemy URL, and the file when it is SQLite."""

    url: URL
    file: Path | None = None

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self.file is not None else "postgresql"

    def __str__(self) -> str:
        if self.file is not None:
            return str(self.file)
        return self.url.render_as_string(hide_password=True)


def default_location() -> Path:
    """The default register: ``register.sqlite3`` in the user's data directory."""
    import platformdirs

    return Path(platformdirs.user_data_dir("qaframework", appauthor=False)) / DEFAULT_FILE_NAME


def location_of(where: str | os.PathLike[str] | None) -> Location:
    """The location ``where`` names: a URL, a path, or (None) the configured default.

    Raises :class:`~qaframework.store.errors.RegisterError` for a URL that is not SQLite or
    PostgreSQL, or an in-memory SQLite database (a register is kept).
    """
    if where is None:
        configured = os.environ.get(ENV_REGISTER)
        where = configured if configured else default_location()
    text = os.fspath(where)
    if "://" not in text:
        return _sqlite(Path(text).expanduser())
    try:
        url = make_url(text)
    except ArgumentError:
        raise RegisterError(f"{_hidden(text)!r} is not a database URL") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise RegisterError(
                "a register is kept: give a SQLite file (sqlite:///path), not a database in memory"
            )
        return _sqlite(Path(url.database).expanduser())
    if backend in ("postgresql", "postgres"):
        return Location(url.set(drivername="postgresql+psycopg"))
    raise RegisterError(
        f"the register runs on SQLite or PostgreSQL, not {backend!r} "
        f"({url.render_as_string(hide_password=True)})"
    )


def _hidden(text: str) -> str:
    """A URL that did not parse, without anything between ``//`` and ``@`` (a password)."""
    scheme, _, rest = text.partition("://")
    _, at, host = rest.rpartition("@")
    return f"{scheme}://***@{host}" if at else text


def _sqlite(path: Path) -> Location:
    absolute = path if path.is_absolute() else Path.cwd() / path
    return Location(URL.create("sqlite+pysqlite", database=str(absolute)), absolute)


def create_sqlite_file(path: Path) -> bool:
    """Create an empty SQLite file at ``path``, mode 0600, its directory 0700 if new.

    Returns whether the file was created (False when it already existed, whose mode is
    left as its owner set it).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=_DIRECTORY_MODE)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, _FILE_MODE)
    except FileExistsError:
        return False
    except OSError as exc:
        raise RegisterError(f"{path}: cannot create the register ({exc.strerror or exc})") from None
    try:
        # The mode os.open gave is masked by the umask; set it exactly.
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, _FILE_MODE)
    finally:
        os.close(descriptor)
    return True


class _NoRows(logging.Filter):
    """Drops SQLAlchemy's debug records of result rows, which carry child-level data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


_engine_logger = logging.getLogger(f"sqlalchemy.engine.Engine.{_LOGGING_NAME}")
_engine_logger.addFilter(_NoRows())


def engine_for(location: Location, *, busy_timeout: float = 30.0) -> Engine:
    """An engine for the register at ``location``.

    ``busy_timeout`` is how many seconds a SQLite writer waits for another to finish before
    giving up. Bound parameters are hidden from logs and error messages.
    """
    if location.file is None:
        return create_engine(
            location.url,
            hide_parameters=True,
            logging_name=_LOGGING_NAME,
            pool_pre_ping=True,
        )
    engine = create_engine(
        location.url,
        hide_parameters=True,
        logging_name=_LOGGING_NAME,
        connect_args={"timeout": busy_timeout},
    )
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is turned off: transactions begin as
    # _sqlite_begin says.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that later writes can fail at once with SQLITE_BUSY when
    # another writer committed in between; IMMEDIATE takes the write lock first, waiting up
    # to the busy timeout.
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
