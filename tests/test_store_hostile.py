"""The register behaves the same on SQLite and PostgreSQL on the same hostile files.

A NUL byte is rejected at load with its row and column; free text of any length is kept on
both backends (it was ``VARCHAR(200)``, which only PostgreSQL enforced); an id longer than
200 characters is rejected at load. A database error surfaces as ``RegisterError`` without
the cell's value, and the import it stopped leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import attrs
import pytest

from qaframework.io import audits as audit_loading
from qaframework.io.audits import AuditLoad
from qaframework.store import Register, RegisterError
from tests.store_data import swindon_audits, write_jsonl

pytest_plugins = ["tests.store_fixtures"]

EXAMPLES = Path(__file__).parent.parent / "examples"
LONG_TEAM = " and ".join(["Children in Care and Care Leavers"] * 8)  # 299 characters
SECRET = "CHILD-SECRET-4711"


def _hostile_jsonl(tmp_path: Path) -> Path:
    """Swindon audits: row 2 holds a NUL, row 3 a 299-character team and practitioner, row 4
    a 250-character audit id, row 5 a 250-character child id."""
    path = write_jsonl(swindon_audits(8), tmp_path / "hostile.jsonl")
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    lines[1]["team"] = f"{SECRET}\x00"
    lines[2]["team"] = LONG_TEAM
    lines[2]["practitioner"] = LONG_TEAM
    lines[3]["id"] = "A" * 250
    lines[4]["child_id"] = "C" * 250
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _counts(register: Register) -> dict[str, int]:
    return dict(register.status().counts)


def test_a_hostile_native_file_imports_the_same_on_both_backends(
    register: Register, tmp_path: Path
) -> None:
    result = register.import_audits(_hostile_jsonl(tmp_path), "swindon")
    assert result.record.rows_read == 8
    assert result.record.added == 5
    rejections = register.rejections(result.record.id)
    assert [(r.row, r.column) for r in rejections] == [(2, "team"), (4, "id"), (5, "child_id")]
    assert "NUL" in rejections[0].reason
    assert rejections[0].value == f"{SECRET}\\x00"
    assert "at most 200" in rejections[1].reason
    long = [a for a in register.audits("swindon") if a.team == LONG_TEAM]
    assert len(long) == 1
    assert long[0].practitioner == LONG_TEAM


def test_a_hostile_csv_imports_the_same_on_both_backends(
    register: Register, tmp_path: Path
) -> None:
    rows = list(csv.reader(io.StringIO((EXAMPLES / "swindon" / "audits.csv").read_text("utf-8"))))
    header = rows[0]
    team = header.index("Team")
    rows = rows[:7]
    rows[1][team] = "Early\x00Help"
    rows[2][team] = LONG_TEAM
    rows[3][header.index("Workflow Step ID")] = "W" * 201
    # A rejected row's column name is kept whatever its length.
    header.append("Note " + "x" * 300)
    for row in rows[1:]:
        row.append("")
    rows[4][-1] = "a value in a column the mapping does not read"
    rows[5].append("an extra cell")
    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    mapping = EXAMPLES / "swindon" / "audits.mapping.toml"
    result = register.import_audits(path, "swindon", mapping=mapping)
    rejections = register.rejections(result.record.id)
    assert [(r.row, r.column) for r in rejections] == [
        (2, "Team"),
        (4, "Workflow Step ID"),
        (6, "(column " + _letter(len(header) + 1) + ")"),
    ]
    assert result.record.added == 3
    assert LONG_TEAM in {a.team for a in register.audits("swindon")}


def _letter(index: int) -> str:
    from qaframework.io.rows import column_letter

    return column_letter(index)


@pytest.mark.parametrize("bad", [f"{SECRET}\x00", f"{SECRET}\ud800"])
def test_a_database_error_is_a_register_error_without_the_value_and_changes_nothing(
    register: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    if "\x00" in bad and register.backend == "sqlite":
        pytest.skip("SQLite stores a NUL; only PostgreSQL refuses it")
    path = write_jsonl(swindon_audits(4), tmp_path / "a.jsonl")
    real = audit_loading.load_audits

    def slipped_through(*args: Any, **kwargs: Any) -> AuditLoad:
        # A value the loader would reject, as if it had not: the database is the last line.
        load = real(*args, **kwargs)
        spoilt = attrs.evolve(load.accepted[1], team=bad)
        return attrs.evolve(load, accepted=(load.accepted[0], spoilt, *load.accepted[2:]))

    monkeypatch.setattr(audit_loading, "load_audits", slipped_through)
    before = _counts(register)
    with pytest.raises(RegisterError) as caught:
        register.import_audits(path, "swindon")
    message = str(caught.value)
    assert SECRET not in message
    assert "\n" not in message
    assert "nothing was changed" in message
    assert _counts(register) == before


def test_a_register_made_before_free_text_is_upgraded_by_init(
    register_url: str, tmp_path: Path
) -> None:
    from qaframework.store import init_register, migrate

    with init_register(register_url) as register, register.engine.begin() as connection:
        migrate.downgrade(connection, "0001")
    with init_register(register_url) as register:
        assert register.revision() == migrate.head_revision() == "0004"
        register.import_audits(_hostile_jsonl(tmp_path), "swindon")
        assert LONG_TEAM in {a.team for a in register.audits("swindon")}


def _outcome(register: Register, path: str, mapping: str | None) -> tuple[Any, ...]:
    from qaframework.errors import QAFrameworkError

    try:
        result = register.import_audits(path, _council(path), mapping=mapping)
    except QAFrameworkError as exc:
        return (type(exc).__name__, str(exc).replace(register.location, "REGISTER"))
    rejections = register.rejections(result.record.id) if result.new else ()
    record = result.record
    return (
        record.rows_read,
        record.accepted,
        record.rejected,
        record.added,
        tuple((r.row, r.column, r.value, r.reason) for r in rejections),
    )


def _council(path: str) -> str:
    return next(c for c in ("bolton", "manchester", "swindon", "telford") if f"-{c}-" in path)


@pytest.mark.corpus
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the corpus makes named pipes")
def test_the_hostile_corpus_imports_the_same_into_both_backends(
    postgres_database: str, tmp_path: Path
) -> None:
    from qaframework.store import init_register
    from tests.hostile import corpus as hostile_corpus

    corpus = hostile_corpus()
    files = tmp_path / "files"
    files.mkdir()
    entries = [
        item
        for item in (corpus.entry(n, files) for n in range(900))
        if item.kind == "audits" and "fifo" not in item.mutation
    ]
    assert len(entries) > 90
    compared = 0
    with (
        init_register(tmp_path / "register.sqlite3") as sqlite,
        init_register(postgres_database) as postgresql,
    ):
        for item in entries:
            assert _outcome(sqlite, item.path, item.mapping) == _outcome(
                postgresql, item.path, item.mapping
            ), item.path
            compared += 1
        assert sqlite.status().counts == postgresql.status().counts
        assert sqlite.status().counts["audits"] > 0
    assert compared == len(entries)
