"""``qaframework register init|import|status|tracker`` on SQLite and PostgreSQL.

The command group is registered here on the command line's own parser when it is not wired
into ``qaframework.cli`` yet.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest

import qaframework.cli as cli
from qaframework.cli import register_cmd
from qaframework.cli._loading import MARKING
from qaframework.engine.actions.ledger import action_ledger
from qaframework.store import open_register
from tests.store_data import swindon_audits, write_jsonl

pytest_plugins = ["tests.store_fixtures"]

EXPORTS = Path(__file__).parent / "data" / "exports"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``qaframework`` with arguments; gives the exit status, standard output and error."""
    # Wide enough that tables do not fold the values the tests look for.
    monkeypatch.setenv("COLUMNS", "300")
    if register_cmd not in cli._COMMAND_MODULES:
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, register_cmd))

    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = cli.main(list(argv))
        except SystemExit as exc:
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def test_init_import_status_and_tracker(run: Run, register_url: str, tmp_path: Path) -> None:
    status, out, _ = run("register", "init", "--db", register_url)
    assert status == 0
    assert "schema revision 0004" in out
    assert "secret" not in out

    audits = swindon_audits(40)
    # One audit whose downgrade at moderation puts its child on the tracker.
    concern = attrs.evolve(
        next(a for a in audits if not a.moderations),
        id="TRACKED-1",
        child_id="CHILD-ON-TRACKER",
        overall_grade="requires_improvement",
        actions=(),
    )
    path = write_jsonl([*audits, concern], tmp_path / "swindon.jsonl", extra_lines=('{"id": 1}',))
    status, out, err = run("register", "import", "swindon", str(path), "--db", register_url)
    assert status == 0
    assert "as import 1: 41 audits added, 0 already registered, 1 row rejected" in out
    assert err.startswith("qaframework: warning: 1 of 42 rows rejected and recorded")

    status, out, _ = run("register", "import", "swindon", str(path), "--db", register_url)
    assert (status, out.split(" (import")[0]) == (0, f"{path} was imported before")
    assert out.rstrip().endswith("nothing added")

    status, out, _ = run("register", "status", "--db", register_url, "--format", "json")
    data = json.loads(out)
    assert data["revision"] == data["head"] == "0004"
    assert data["counts"]["audits"] == 41
    assert data["counts"]["import_rejections"] == 1
    (record,) = data["imports"]
    assert (record["source"], record["added"], record["rejected"]) == ("swindon.jsonl", 41, 1)
    status, out, _ = run("register", "status", "--db", register_url)
    assert status == 0
    assert "up to date" in out
    assert "swindon.jsonl" in out

    on = concern.audit_date + timedelta(days=2)
    with open_register(register_url) as register:
        register.record_moderation(
            "swindon", concern.id, moderator="qa.lead", role="qa_team", grade="inadequate", on=on
        )
    status, out, _ = run(
        "register", "tracker", "swindon", "--as-of", on.isoformat(), "--db", register_url
    )
    assert status == 0
    assert out.startswith(MARKING)
    assert out.rstrip().endswith(MARKING)
    assert "CHILD-ON-TRACKER" in out
    status, out, _ = run(
        "register",
        "tracker",
        "swindon",
        "--as-of",
        on.isoformat(),
        "--db",
        register_url,
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["marking"] == MARKING
    assert "CHILD-ON-TRACKER" in [child["child_id"] for child in data["children"]]
    status, out, _ = run(
        "register",
        "tracker",
        "swindon",
        "--as-of",
        on.isoformat(),
        "--db",
        register_url,
        "--format",
        "csv",
    )
    lines = out.splitlines()
    assert lines[0] == MARKING
    assert lines[1].startswith("tracker,child_id,audit_ids")
    assert any(",CHILD-ON-TRACKER," in line for line in lines[2:])

    # The closing-the-loop tracker: the actions open past their due date, the ledger's.
    day = max(a.audit_date for a in audits) + timedelta(days=30)
    expected = action_ledger(audits, as_of=day).overdue()
    assert expected

    def overdue(as_of: date, *options: str) -> tuple[int, str, str]:
        return run(
            "register",
            "tracker",
            "swindon",
            "--overdue",
            "--as-of",
            as_of.isoformat(),
            "--db",
            register_url,
            *options,
        )

    status, out, _ = overdue(day, "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["marking"] == MARKING
    assert [(a["audit_id"], a["action_id"], int(a["days_overdue"])) for a in data["actions"]] == [
        (i.audit_id, i.action.id, i.days_overdue) for i in expected
    ]
    status, out, _ = overdue(day, "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == MARKING
    assert lines[1] == ",".join(register_cmd.OVERDUE_COLUMNS)
    assert len(lines) == 2 + len(expected)
    status, out, _ = overdue(day)
    assert (status, out.startswith(MARKING), out.rstrip().endswith(MARKING)) == (0, True, True)
    assert expected[0].action.id in out
    earliest = min(a.audit_date for a in audits) - timedelta(days=1)
    status, out, _ = overdue(earliest)
    assert f"No action of swindon is overdue on {earliest}." in out


def test_a_mapped_csv_import_and_an_empty_tracker(run: Run, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    assert run("register", "init", "--db", db)[0] == 0
    status, out, _ = run(
        "register",
        "import",
        "bolton",
        str(EXPORTS / "liquidlogic-audits.csv"),
        "--mapping",
        str(EXPORTS / "liquidlogic-audits.mapping.toml"),
        "--db",
        db,
    )
    assert status == 0
    assert "4 audits added" in out
    status, out, _ = run("register", "tracker", "swindon", "--as-of", "2026-06-01", "--db", db)
    assert status == 0
    assert "No child is on the child of concern tracker of swindon on 2026-06-01." in out
    assert out.startswith(MARKING)


def test_the_register_comes_from_the_environment_without_db(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QAFRAMEWORK_REGISTER", str(tmp_path / "env.sqlite3"))
    status, out, _ = run("register", "init")
    assert status == 0
    assert str(tmp_path / "env.sqlite3") in out
    assert (tmp_path / "env.sqlite3").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("status",), "has no register schema: run `qaframework register init`"),
        (("import", "swindon", "missing.jsonl"), "missing.jsonl: cannot be read"),
        (("import", "nowhere", "{audits}"), "unknown profile 'nowhere'"),
        (("tracker", "nowhere", "--as-of", "2026-06-01"), "unknown profile 'nowhere'"),
        (("tracker", "swindon", "--as-of", "1 June"), "'1 June' is not a date"),
        (("status", "--db", "mysql://u:pw@host/db"), "SQLite or PostgreSQL, not 'mysql'"),
        (("import", "swindon", "{fresh}", "--mapping", "{mapping}"), "mapping"),
        (("import", "bolton", "{audits}"), "imported before as import 1 for profile 'swindon'"),
        (("import", "swindon", "{changed}"), "differs from this file's"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(
    run: Run, tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    db = str(tmp_path / "r.sqlite3")
    audits = swindon_audits(6)
    files = {
        "audits": str(write_jsonl(audits, tmp_path / "audits.jsonl")),
        "changed": str(
            write_jsonl(
                [attrs.evolve(audits[0], auditor="someone.else")], tmp_path / "changed.jsonl"
            )
        ),
        "fresh": str(write_jsonl(swindon_audits(3, prefix="FR"), tmp_path / "fresh.jsonl")),
        "mapping": str(tmp_path / "bad.mapping.toml"),
    }
    Path(files["mapping"]).write_text("[columns]\nid = 3\n", encoding="utf-8")
    if arguments != ("status",):
        assert run("register", "init", "--db", db)[0] == 0
        assert run("register", "import", "swindon", files["audits"], "--db", db)[0] == 0
    argv = [part.format(**files) for part in arguments]
    if "--db" not in argv:
        argv += ["--db", db]
    status, out, err = run("register", *argv)
    assert status == 2
    assert out == ""
    first, *rest = err.splitlines()
    assert first.startswith(("qaframework: error:", "qaframework register"))
    assert message in err
    assert "Traceback" not in err
    if "--mapping" not in arguments:
        assert rest == []


def test_a_busy_or_unreachable_server_is_one_line(run: Run, tmp_path: Path) -> None:
    url = f"postgresql://someone:hunter2@/nowhere?host={tmp_path}"
    status, _, err = run("register", "status", "--db", url)
    assert status == 2
    assert err.startswith("qaframework: error: cannot use the register at postgresql+psycopg://")
    assert "hunter2" not in err
    assert len(err.splitlines()) == 1


def test_tracker_defaults_to_today(run: Run, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    run("register", "init", "--db", db)
    status, out, _ = run("register", "tracker", "swindon", "--db", db, "--format", "json")
    assert status == 0
    assert json.loads(out)["as_of"] == date.today().isoformat()
