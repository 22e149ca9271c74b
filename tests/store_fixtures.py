"""Fixtures for the register's tests: a register on SQLite and on a real PostgreSQL server.

Test modules load this as a plugin (``pytest_plugins = ["tests.store_fixtures"]``), so the
PostgreSQL server is started once for the session. PostgreSQL comes from
``QAFRAMEWORK_TEST_POSTGRES_URL`` (a server where the user may create databases) when it is
set; otherwise from a throwaway cluster started in a temporary directory, listening on
loopback (127.0.0.1, a free port, a random password) when the server binaries are
installed (``/usr/lib/postgresql/*/bin``; ``.ci/services.sh`` installs them). Without
either, the PostgreSQL cases are skipped, unless ``QAFRAMEWORK_REQUIRE_POSTGRES=1``, when
they fail. Each test gets a database of its own.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from qaframework.store import Register

ENV_URL = "QAFRAMEWORK_TEST_POSTGRES_URL"
ENV_REQUIRE = "QAFRAMEWORK_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory.

    With ``loopback`` (the default) it listens on 127.0.0.1, on a free port, and a client
    there signs in with a random password (SCRAM), as a service reaches its server;
    otherwise on a unix socket only. Either way its unix socket is in the cluster's own
    directory (mode 0700), where only its owner (and root) can connect, trusted.
    ``initdb`` refuses to run as root: as root the cluster runs as the ``postgres`` user
    (which Debian's package creates), otherwise as the current user.
    """

    def __init__(self, bindir: Path, *, fsync: bool = False, loopback: bool = True) -> None:
        self.bindir = bindir
        # Tests need no durability from a server they throw away; a benchmark does.
        self.fsync = fsync
        self.loopback = loopback
        self.password = secrets.token_hex(16)
        self.port = _free_port() if loopback else 5432
        self.folder = Path(tempfile.mkdtemp(prefix="qaframework-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]

    @classmethod
    def find(cls) -> Path | None:
        """The newest installed server's binaries, None when there is none."""
        found = sorted(
            (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        )
        return found[-1] if found and (found[-1] / "pg_ctl").exists() else None

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self.run_as, *command],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self) -> str:
        """Create and start the cluster; returns the server's URL (database ``postgres``)."""
        initdb = str(self.bindir / "initdb")
        pg_ctl = str(self.bindir / "pg_ctl")
        password_file = self.folder / "password"
        password_file.write_text(self.password + "\n")
        password_file.chmod(0o600)
        if self.run_as:
            shutil.chown(password_file, user="postgres")
        self._run(
            initdb,
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            f"--pwfile={password_file}",
            "-E",
            "UTF8",
            "--no-locale",
        )
        password_file.unlink()
        listen = "127.0.0.1" if self.loopback else ""
        options = (
            f"-c listen_addresses='{listen}' -c port={self.port} "
            f"-c unix_socket_directories='{self.folder}' "
            f"-c fsync={'on' if self.fsync else 'off'} -c max_connections=40"
        )
        self._run(
            pg_ctl,
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        if self.loopback:
            return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"
        return f"postgresql://postgres@/postgres?host={self.folder}&port={self.port}"

    def stop(self) -> None:
        """Stop the cluster and remove its directory."""
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_throwaway_postgres(bindir: Path, attempts: int = 3) -> tuple[ThrowawayPostgres, str]:
    """Start a :class:`ThrowawayPostgres`; returns it and its URL.

    Each pytest-xdist worker starts its own server. A free port is free only when probed:
    another worker's server (or anything else) may take it before this one listens, so a
    server that does not start is tried again on another port. The last failure is raised.
    """
    for attempt in range(1, attempts + 1):
        server = ThrowawayPostgres(bindir)
        try:
            return server, server.start()
        except (OSError, subprocess.SubprocessError, LookupError):
            shutil.rmtree(server.folder, ignore_errors=True)
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def _free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get(ENV_REQUIRE) == "1":
        pytest.fail(f"PostgreSQL is required ({ENV_REQUIRE}=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the session (see the module docstring)."""
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    bindir = ThrowawayPostgres.find()
    if bindir is None:
        _unavailable(f"{ENV_URL} is not set and no server is installed (.ci/services.sh)")
    try:
        server, url = start_throwaway_postgres(bindir)
    except (OSError, subprocess.SubprocessError, LookupError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        _unavailable(f"a throwaway cluster could not be started: {detail}")
    try:
        yield url
    finally:
        server.stop()


def _admin(url: str, statement: str) -> None:
    import psycopg
    from sqlalchemy import make_url

    parts = make_url(url).set(drivername="postgresql")
    conninfo = parts.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the session's server; dropped afterwards."""
    from sqlalchemy import make_url

    name = f"qaframework_test_{uuid.uuid4().hex[:12]}"
    _admin(postgres_server, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def register_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where an empty register goes: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "register.sqlite3")
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
def register(register_url: str) -> Iterator[Register]:
    """An initialised, empty register on each back end."""
    from qaframework.store import init_register

    with init_register(register_url) as opened:
        yield opened
