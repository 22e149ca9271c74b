"""The register's reliability and security, on SQLite and a real PostgreSQL server.

A process killed in the middle of an import leaves all of it or none; processes writing at
once lose nothing; SQL carries imported values only as bound parameters; no child id
reaches a log; a new SQLite file is its owner's only; the store stays out of ``import
qaframework``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import event, select

from qaframework.engine.audits import Audit
from qaframework.engine.periods import Period
from qaframework.policy.actions import ActionStatus
from qaframework.store import Register, init_register, schema
from tests.store_data import swindon_audits, write_jsonl

pytest_plugins = ["tests.store_fixtures"]

ROOT = Path(__file__).parent.parent


def counts(register: Register) -> dict[str, int]:
    return dict(register.status().counts)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the SQLite file -----------------------------------------------------------------------


@pytest.fixture
def no_umask() -> Iterator[None]:
    """A umask that masks nothing, so that only the register's own choice of mode counts."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.usefixtures("no_umask")
def test_a_new_sqlite_register_is_readable_and_writable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new" / "folder" / "register.sqlite3"
    with init_register(path) as register:
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        register.import_audits(write_jsonl(swindon_audits(5), tmp_path / "a.jsonl"), "swindon")
        with register.engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM audits")
            # SQLite gives its write-ahead log and shared-memory index the file's mode.
            for suffix in ("-wal", "-shm"):
                companion = path.with_name(path.name + suffix)
                assert companion.exists()
                assert mode(companion) == 0o600
    assert mode(path) == 0o600


def test_an_existing_file_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    path.touch()
    path.chmod(0o640)
    with init_register(path) as register:
        assert register.status().up_to_date
    assert mode(path) == 0o640


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    with (
        init_register(tmp_path / "r.sqlite3", busy_timeout=2.5) as register,
        register.engine.connect() as connection,
    ):
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_default_register_is_in_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qaframework.store import ENV_REGISTER, default_location

    monkeypatch.delenv(ENV_REGISTER, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if sys.platform.startswith("linux"):
        assert default_location() == tmp_path / "data" / "qaframework" / "register.sqlite3"
    with init_register() as register:
        assert register.location == str(default_location())
    assert default_location().exists()
    monkeypatch.setenv(ENV_REGISTER, str(tmp_path / "elsewhere.sqlite3"))
    with init_register() as register:
        assert register.location == str(tmp_path / "elsewhere.sqlite3")


# -- a process killed mid-import -----------------------------------------------------------

IMPORTER = textwrap.dedent(
    """
    import sys, time
    from qaframework.store import open_register

    url, path, pause = sys.argv[1], sys.argv[2], sys.argv[3] == "pause"

    def progress(written, total):
        print(f"written {written} of {total}", flush=True)
        if pause and written > 200:
            time.sleep(600)

    with open_register(url) as register:
        register.import_audits(path, "swindon", progress=progress, batch_size=10)
    print("committed", flush=True)
    """
)


def _wait_for(stream: IO[str], prefix: str) -> str:
    for line in stream:
        if line.startswith(prefix):
            return line
    raise AssertionError(f"the process ended before printing {prefix!r}")


def _kill_mid_import(url: str, path: Path, how: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, str(path), how],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        line = _wait_for(child.stdout, "written")
        if how == "pause":
            while int(line.split()[1]) <= 200:
                line = _wait_for(child.stdout, "written")
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        if child.stdout is not None:
            child.stdout.close()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_process_killed_inside_the_import_transaction_leaves_nothing(
    register: Register, register_url: str, tmp_path: Path
) -> None:
    audits = swindon_audits(400)
    path = write_jsonl(audits, tmp_path / "big.jsonl")
    # The importer stops inside its transaction, after rows of several tables are written.
    _kill_mid_import(register_url, path, "pause")
    assert set(counts(register).values()) == {0}
    result = register.import_audits(path, "swindon")
    assert result.new
    assert register.audits("swindon") == tuple(audits)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_process_killed_at_any_moment_leaves_the_whole_import_or_none(
    register: Register, register_url: str, tmp_path: Path
) -> None:
    audits = swindon_audits(400)
    path = write_jsonl(audits, tmp_path / "big.jsonl")
    with init_register(tmp_path / "reference.sqlite3") as reference:
        reference.import_audits(path, "swindon")
        whole = counts(reference)
    _kill_mid_import(register_url, path, "run")
    found = counts(register)
    assert found in (dict.fromkeys(whole, 0), whole)
    result = register.import_audits(path, "swindon")
    assert result.new == (found["imports"] == 0)
    assert counts(register) == whole
    assert register.audits("swindon") == tuple(audits)


# -- processes writing at once -------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import os, sys, time
    from datetime import date
    from qaframework.policy.actions import ActionStatus
    from qaframework.store import open_register

    url, worker, rounds, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    moderated, acted, action_id, on = sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
    grades = ["good", "requires_improvement", "inadequate", "outstanding"]
    day = date.fromisoformat(on)
    with open_register(url) as register:
        register.audit("swindon", moderated)
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.005)
        for n in range(rounds):
            register.record_moderation(
                "swindon", moderated, moderator=f"moderator.{worker}", role="qa_team",
                grade=grades[(worker + n) % 4], on=day,
            )
            register.record_action_update(
                "swindon", acted, action_id, status=ActionStatus.DONE, done_on=day,
            )
    print("done", flush=True)
    """
)


def test_four_processes_writing_events_at_once_lose_none(
    register: Register, register_url: str, tmp_path: Path
) -> None:
    audits = swindon_audits(30)
    register.import_audits(write_jsonl(audits, tmp_path / "a.jsonl"), "swindon")
    moderated = next(a for a in audits if not a.moderations)
    acted = next(a for a in audits if a.actions and a.actions[0].status is ActionStatus.OPEN)
    on = max(moderated.audit_date, acted.audit_date) + timedelta(days=30)
    before = counts(register)
    go = tmp_path / "go"
    rounds, workers = 12, 4
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                register_url,
                str(worker),
                str(rounds),
                str(go),
                moderated.id,
                acted.id,
                acted.actions[0].id,
                on.isoformat(),
            ],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for worker in range(workers)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            _wait_for(child.stdout, "ready")
        go.touch()
        outputs = [child.communicate(timeout=300)[0] for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    assert [child.returncode for child in children] == [0] * workers
    assert all("done" in output for output in outputs)
    after = counts(register)
    assert after["moderations"] == before["moderations"] + rounds * workers
    assert after["action_events"] == before["action_events"] + rounds * workers
    history = register.audit("swindon", moderated.id).moderations
    assert len(history) == rounds * workers
    assert sorted(m.moderator for m in history) == sorted(
        f"moderator.{w}" for w in range(workers) for _ in range(rounds)
    )
    # Each moderation was judged against the one before it: the history is consistent.
    from qaframework.engine.audits import check_audit
    from qaframework.profiles.registry import load_profile

    audit = register.audit("swindon", moderated.id)
    assert check_audit(audit, load_profile("swindon", as_of=audit.audit_date)) == []
    with register.engine.connect() as connection:
        positions = connection.execute(
            select(schema.action_events.c.position)
            .join(schema.audits, schema.audits.c.key == schema.action_events.c.audit_key)
            .where(schema.audits.c.audit_id == acted.id)
        ).scalars()
        assert sorted(positions) == list(range(1 + rounds * workers))


IMPORTER_AT_ONCE = textwrap.dedent(
    """
    import os, sys, time
    from qaframework.store import open_register

    url, path, go = sys.argv[1], sys.argv[2], sys.argv[3]
    with open_register(url) as register:
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.005)
        result = register.import_audits(path, "swindon", batch_size=20)
    print("new" if result.new else "before", result.record.id, flush=True)
    """
)


def test_the_same_file_imported_by_two_processes_at_once_lands_once(
    register: Register, register_url: str, tmp_path: Path
) -> None:
    audits = swindon_audits(300)
    path = write_jsonl(audits, tmp_path / "a.jsonl")
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORTER_AT_ONCE, register_url, str(path), str(go)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            _wait_for(child.stdout, "ready")
        go.touch()
        outputs = [child.communicate(timeout=300)[0].split() for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    assert [child.returncode for child in children] == [0, 0]
    assert sorted(output[0] for output in outputs) == ["before", "new"]
    assert {output[1] for output in outputs} == {"1"}
    found = counts(register)
    assert (found["imports"], found["audits"]) == (1, 300)
    assert register.audits("swindon") == tuple(audits)


# -- bound parameters and logs -------------------------------------------------------------


def _values(audits: list[Audit]) -> set[str]:
    """Imported values that must never appear in SQL text or logs."""
    found: set[str] = set()
    for audit in audits:
        found |= {audit.id, audit.child_id, audit.auditor, audit.audit_date.isoformat()}
        found |= {j.rationale for j in audit.judgements if j.rationale}
        found |= {m.moderator for m in audit.moderations}
        found |= {a.id for a in audit.actions} | {a.owner for a in audit.actions}
        found |= {a.due.isoformat() for a in audit.actions}
    return found


def _workout(register: Register, audits: list[Audit], path: Path) -> Audit:
    """An import, events of each kind and every query; returns the audit given events."""
    register.import_audits(path, "swindon")
    audit = next(a for a in audits if a.actions and not a.moderations)
    on = audit.audit_date + timedelta(days=10)
    register.record_moderation(
        "swindon", audit.id, moderator="qa.lead", role="qa_team", grade="inadequate", on=on
    )
    register.record_action_update(
        "swindon", audit.id, audit.actions[0].id, status=ActionStatus.DONE, done_on=on
    )
    register.audits("swindon", period=Period.month(2026, 5), child_id=audit.child_id)
    register.audit("swindon", audit.id)
    register.overdue_actions(as_of=date(2026, 6, 30), profile_id="swindon")
    register.child_of_concern_tracker("swindon", as_of=date(2026, 6, 30))
    register.moderation_queue("swindon", Period.month(2026, 5), seed=3)
    register.rejections(1)
    register.status()
    return audit


def test_sql_carries_imported_values_only_as_bound_parameters(
    register: Register, tmp_path: Path
) -> None:
    audits = swindon_audits(40)
    path = write_jsonl(audits, tmp_path / "a.jsonl", extra_lines=('{"id": "BAD-ROW-77"}',))
    secrets = _values(audits) | {"BAD-ROW-77"}
    statements: list[str] = []
    parameters: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        statements.append(statement)
        parameters.append(repr(params))

    event.listen(register.engine, "before_cursor_execute", seen)
    audit = _workout(register, audits, path)
    leaked = {value for value in secrets for text in statements if value in text}
    assert leaked == set()
    # The values did reach the database, as parameters.
    sent = "\n".join(parameters)
    assert audit.id in sent
    assert len(statements) > 20


def test_no_child_id_is_written_to_the_logs(
    register: Register, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    audits = swindon_audits(40)
    # A rejected row's child id is recorded with its reasons, but not logged either.
    rejected = '{"id": "BAD-1", "child_id": "CHILDQBAD01X", "audit_date": "2026-05-01"}'
    path = write_jsonl(audits, tmp_path / "a.jsonl", extra_lines=(rejected,))
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    # SQLAlchemy's echo, at its most verbose (statements, parameters and rows).
    register.engine.echo = "debug"
    _workout(register, audits, path)
    messages = [record.getMessage() for record in caplog.records]
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)
    assert any(r.name == "qaframework.store" for r in caplog.records)
    assert [r.row for r in register.rejections(1)] == [41]
    children = {a.child_id for a in audits} | {"CHILDQBAD01X"}
    assert {c for c in children for m in messages if c in m} == set()
    assert not [m for m in messages if m.startswith("Row ")]


# -- the store stays an optional adapter ---------------------------------------------------


def _modules_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(result.stdout))


def test_import_qaframework_and_the_command_line_do_not_import_sqlalchemy() -> None:
    loaded = _modules_after(
        "import argparse, qaframework\n"
        "from qaframework.cli import register_cmd\n"
        "register_cmd.register(argparse.ArgumentParser().add_subparsers())\n"
        "qaframework.load_profile('swindon')"
    )
    assert "qaframework.cli.register_cmd" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "alembic", "psycopg")}
    assert not {m for m in loaded if m.startswith("qaframework.store")}
