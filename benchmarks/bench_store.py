"""Importing audits into the register (``qaframework.store``), SQLite and PostgreSQL.

Measures ``Register.import_audits`` on a JSON Lines export of ``--size`` synthetic audits
(``bench_ingest.synthetic_audits``: 4 to 6 judgements each, about one in ten moderated,
three in ten with an action), from the file to the committed transaction: hashing the file,
loading and validating it, evaluating escalations, and writing every row. Records per
second are audits imported per second of wall time.

The named baseline, in the same run on the same back end, is the driver alone writing the
same rows (the rows the register builds for this import, built beforehand) into the same
empty schema with ``executemany`` in batches of 10,000 rows, in one transaction: no file,
no validation, no escalations, nothing but inserts. On PostgreSQL, the driver's ``COPY`` of
the same rows is shown as well (what the register's write path uses there). "x baseline"
divides the baseline's time by the measurement's. The load and escalation rows are the
non-database parts of the import, measured alone; "of which the write transaction" is the
import's writing transaction, from its BEGIN to the import's return after COMMIT (building
the rows included). Each run is on a fresh database, after earlier runs' writes are flushed
(``os.sync``, and ``CHECKPOINT`` on PostgreSQL); times are wall time (the database's work
is not the process's CPU time), the best of ``--repeat`` runs (one at a million).

PostgreSQL is the server ``--postgres-url`` (or ``QAFRAMEWORK_TEST_POSTGRES_URL``) names,
where the user may create databases; otherwise a throwaway cluster (fsync on) is started
from the installed server binaries, as the tests do, and reached over its unix socket
(``--loopback``: over TCP on 127.0.0.1, as the tests reach it).

    python benchmarks/bench_store.py                      # 100,000 audits: a few minutes
    python benchmarks/bench_store.py --size 1000000       # the 1M figures in the docs
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import platform
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec
import psycopg
import sqlalchemy
from sqlalchemy import event, make_url

from qaframework.engine.escalation import evaluate_escalations_bulk
from qaframework.io.audits import load_audits
from qaframework.profiles.registry import load_profile
from qaframework.store import DEFAULT_BATCH_SIZE, init_register
from qaframework.store._bulk import COLUMNS, ImportRows, rejection_rows
from qaframework.store.engine import engine_for, location_of

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bench_ingest import synthetic_audits  # noqa: E402

from tests.store_fixtures import ThrowawayPostgres  # noqa: E402

TABLES = ("audits", "judgements", "moderations", "actions", "action_events", "escalations")
BASELINE_BATCH = 10_000


def table_rows(path: Path, profile_id: str, *, where: str) -> dict[str, list[Any]]:
    """The rows the register writes for this file into the empty register ``where``."""
    load = load_audits(path, profile_id)
    raised = evaluate_escalations_bulk(
        load.accepted, lambda day: load_profile(profile_id, as_of=day), as_of=date.max
    )
    location = location_of(where)
    engine = engine_for(location)
    with engine.connect() as connection:
        rows = ImportRows(
            load.accepted,
            1,
            1,
            profile_id,
            datetime(2026, 1, 1),
            sqlite=location.backend == "sqlite",
            connection=connection,
        )
        keyed = rows.keyed()
        found = {
            "import_rejections": rejection_rows(1, load.rejected),
            "audits": rows.audit_rows(keyed),
            "judgements": rows.judgement_rows(keyed),
            "moderations": rows.moderation_rows(keyed),
            "actions": rows.action_rows(keyed),
            "action_events": rows.action_event_rows(keyed),
            "escalations": rows.escalation_rows(raised),
        }
    engine.dispose()
    return found


IMPORT_ROW = ("h", "bench", "bolton", "jsonl", 0, 0, 0, 0, 0)


def _insert_sql(table: str, mark: str) -> str:
    columns = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


def baseline_sqlite(path: Path, rows: dict[str, list[Any]]) -> float:
    """Seconds for sqlite3's executemany of the rows, in batches, in one transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT INTO imports VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01 00:00:00.000000')",
        IMPORT_ROW,
    )
    for table, data in rows.items():
        statement = _insert_sql(table, "?")
        for first in range(0, len(data), BASELINE_BATCH):
            connection.executemany(statement, data[first : first + BASELINE_BATCH])
    connection.execute("COMMIT")
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def baseline_postgres(conninfo: str, rows: dict[str, list[Any]], *, copy: bool) -> float:
    """Seconds for psycopg's executemany (or COPY) of the rows, in one transaction."""
    with psycopg.connect(conninfo) as connection:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO imports VALUES (1, %s, %s, %s, %s, %s, %s, %s, %s, %s, '2026-01-01')",
                IMPORT_ROW,
            )
            for table, data in rows.items():
                if copy:
                    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as c:
                        for row in data:
                            c.write_row(row)
                    continue
                statement = _insert_sql(table, "%s")
                for first in range(0, len(data), BASELINE_BATCH):
                    cursor.executemany(statement, data[first : first + BASELINE_BATCH])
        connection.commit()
        return time.perf_counter() - start


@contextmanager
def postgres_server(url: str | None, *, loopback: bool) -> Iterator[str | None]:
    """The server to measure on: the one named, or a throwaway cluster (on a unix socket, or
    on 127.0.0.1 with ``loopback``), or None."""
    if url:
        yield url
        return
    bindir = ThrowawayPostgres.find()
    if bindir is None:
        yield None
        return
    server = ThrowawayPostgres(bindir, fsync=True, loopback=loopback)
    try:
        yield server.start()
    finally:
        server.stop()


class Databases:
    """Fresh databases on a PostgreSQL server."""

    def __init__(self, server: str) -> None:
        self.server = make_url(server)

    def _admin(self, statement: str) -> None:
        conninfo = self.server.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(statement)

    def new(self) -> str:
        name = f"qaframework_bench_{uuid.uuid4().hex[:10]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.server.set(database=name).render_as_string(hide_password=False)

    def checkpoint(self) -> None:
        """Write the server's dirty buffers out now (needs a superuser; skipped otherwise)."""
        try:
            self._admin("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            return

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def row(size: int, backend: str, what: str, seconds: float, baseline: float | None) -> None:
    ratio = f"{baseline / seconds:.2f}" if baseline is not None else ""
    print(f"| {size:,} | {backend} | {what} | {seconds:.1f} | {size / seconds:,.0f} | {ratio} |")


class Backend:
    """Fresh, empty registers on one back end, removed once measured."""

    def __init__(self, name: str, folder: Path, databases: Databases | None) -> None:
        self.name = name
        self.folder = folder
        self.databases = databases

    def fresh(self) -> str:
        """A new register, initialised, with earlier runs' writes settled; its path or URL."""
        if self.databases is not None:
            target = self.databases.new()
        else:
            target = str(self.folder / f"{uuid.uuid4().hex}.sqlite3")
        init_register(target).close()
        # Earlier runs' dirty pages and (on PostgreSQL) a checkpoint of their write-ahead
        # log would otherwise be paid for by whichever measurement runs next.
        if hasattr(os, "sync"):
            os.sync()
        if self.databases is not None:
            self.databases.checkpoint()
        return target

    def remove(self, target: str) -> None:
        if self.databases is not None:
            self.databases.drop(target)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def best_baseline(
    backend: Backend, rows: dict[str, list[Any]], repeat: int, *, copy: bool
) -> float:
    """The least time of ``repeat`` runs of the driver writing ``rows``, each into a fresh
    register."""
    best = float("inf")
    for _ in range(repeat):
        target = backend.fresh()
        gc.collect()
        if backend.name == "sqlite":
            seconds = baseline_sqlite(Path(target), rows)
        else:
            seconds = baseline_postgres(conninfo(target), rows, copy=copy)
        backend.remove(target)
        best = min(best, seconds)
    return best


def best_import(
    backend: Backend, path: Path, profile_id: str, batch_size: int, repeat: int, size: int
) -> tuple[float, float]:
    """The least time of ``repeat`` imports, each into a fresh register, and the time of that
    import's write transaction."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        target = backend.fresh()
        with init_register(target) as register:
            began: list[float] = []
            event.listen(
                register.engine, "begin", lambda _c, began=began: began.append(time.perf_counter())
            )
            seconds, result = timed(
                lambda r=register: r.import_audits(path, profile_id, batch_size=batch_size)
            )
            # The import's last transaction is the one that writes.
            writing = time.perf_counter() - began[-1]
        assert result.record.added == size
        del result
        backend.remove(target)
        best = min(best, (seconds, writing))
    return best


def measure(args: argparse.Namespace, path: Path, folder: Path, server: str | None) -> None:
    """Measure each back end and print the table's rows."""
    size = args.size
    repeat = args.repeat if args.repeat is not None else (3 if size < 1_000_000 else 1)
    resolve = functools.partial(load_profile, args.profile)
    load_seconds = escalation_seconds = float("inf")
    for _ in range(repeat):
        seconds, load = timed(lambda: load_audits(path, args.profile))
        load_seconds = min(load_seconds, seconds)
        accepted = load.accepted
        assert len(accepted) == size, "every synthetic audit is valid"
        seconds, raised = timed(
            lambda a=accepted: evaluate_escalations_bulk(
                a, lambda day: resolve(as_of=day), as_of=date.max
            )
        )
        escalation_seconds = min(escalation_seconds, seconds)
    rows_per_audit = (
        len(accepted)
        + sum(len(a.judgements) + len(a.moderations) + 2 * len(a.actions) for a in accepted)
        + len(raised)
    ) / size
    del load, accepted, raised
    print(
        f"Rows written per audit: {rows_per_audit:.2f} (the audit, its judgements, "
        "moderations, actions and their first events, escalations). "
        f"Best of {repeat} run{'s' if repeat != 1 else ''}.\n"
    )
    print("| audits | back end | measurement | seconds | records/s | x baseline |")
    print("|---:|---|---|---:|---:|---:|")
    row(size, "either", "load_audits alone (read + validate)", load_seconds, None)
    row(size, "either", "escalations alone (evaluate_escalations_bulk)", escalation_seconds, None)
    databases = Databases(server) if server is not None else None
    for name in args.backends:
        if name == "postgresql" and databases is None:
            print(f"| {size:,} | postgresql | not measured: no server | | | |")
            continue
        backend = Backend(name, folder, databases if name == "postgresql" else None)
        target = backend.fresh()
        rows = table_rows(path, args.profile, where=target)
        backend.remove(target)
        driver = "sqlite3" if name == "sqlite" else "psycopg"
        baseline = best_baseline(backend, rows, repeat, copy=False)
        row(size, name, f"baseline: {driver} executemany", baseline, baseline)
        if name == "postgresql":
            seconds = best_baseline(backend, rows, repeat, copy=True)
            row(size, name, "reference: psycopg COPY", seconds, baseline)
        del rows
        for batch_size in args.batch_sizes:
            seconds, writing = best_import(backend, path, args.profile, batch_size, repeat, size)
            batched = f", batches of {batch_size:,} audits" if len(args.batch_sizes) > 1 else ""
            row(size, name, f"register.import_audits (file to commit){batched}", seconds, baseline)
            row(size, name, "  of which the write transaction", writing, baseline)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="audits (default 100,000)")
    parser.add_argument("--profile", default="bolton")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 30))
    parser.add_argument("--seed", type=int, default=20260205)
    parser.add_argument(
        "--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[DEFAULT_BATCH_SIZE])
    parser.add_argument(
        "--repeat", type=int, help="runs per measurement, the best kept (default 3; 1 at 1M)"
    )
    parser.add_argument("--postgres-url", default=os.environ.get("QAFRAMEWORK_TEST_POSTGRES_URL"))
    parser.add_argument(
        "--loopback",
        action="store_true",
        help="reach the throwaway cluster over TCP on 127.0.0.1 (default: its unix socket)",
    )
    args = parser.parse_args()
    profile = load_profile(args.profile, as_of=args.as_of)
    with (
        tempfile.TemporaryDirectory() as name,
        postgres_server(args.postgres_url, loopback=args.loopback) as server,
    ):
        folder = Path(name)
        path = folder / "audits.jsonl"
        audits = synthetic_audits(profile, args.size, args.seed, args.as_of)
        path.write_bytes(msgspec.json.Encoder().encode_lines(audits))
        del audits
        version = ""
        if server is not None:
            with psycopg.connect(conninfo(server)) as connection:
                found = connection.execute("SHOW server_version").fetchone()
                version = found[0] if found else "unknown"
        print(
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"PostgreSQL {version or 'none'}, SQLAlchemy {sqlalchemy.__version__}, "
            f"psycopg {psycopg.__version__}; profile {profile.label}; seed {args.seed}\n"
        )
        measure(args, path, folder, server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
