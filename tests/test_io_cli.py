"""``qaframework audits validate``, run in-process."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from qaframework import cli

EXPORTS = Path(__file__).parent / "data" / "exports"
LIQUIDLOGIC = str(EXPORTS / "liquidlogic-audits.csv")
MAPPING = str(EXPORTS / "liquidlogic-audits.mapping.toml")

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = cli.main(list(argv))
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


@pytest.fixture
def mixed(tmp_path: Path) -> str:
    path = tmp_path / "audits.csv"
    path.write_text(
        "Audit ID,Child Unique ID,Activity,Audit Date,Auditor,Auditor Role,Overall Grade,Notes\n"
        "B1,C1,Quality Case File Audits,06/03/2026,tm1,Team Manager,Good,\n"
        "B2,C2,Quality Case File Audits,2025-06-01,tm1,Team Manager,Good,\n"
        "B1,C3,Quality Case File Audits,06/03/2026,tm1,[values.role],Good,\n",
        encoding="utf-8",
    )
    return str(path)


def test_an_export_with_every_row_accepted(run: Run) -> None:
    status, out, err = run("audits", "validate", "bolton", LIQUIDLOGIC, "--mapping", MAPPING)
    assert status == 0
    assert err == ""
    assert "Rows read" in out
    assert "Every row was accepted." in out
    assert "Form Status" in out  # the unmapped column


def test_rejections_are_listed_and_exit_1(run: Run, mixed: str) -> None:
    status, out, _ = run("audits", "validate", "bolton", mixed)
    assert status == 1
    assert "Rejected rows" in out
    assert "no version in force on 2025-06-01" in out
    assert "duplicate audit id: row 2 has the same one" in out
    assert "'[values.role]' is not a role" in out  # shown as written, not as markup
    assert "Notes" in out


def test_json_output(run: Run, mixed: str) -> None:
    status, out, _ = run("audits", "validate", "bolton", mixed, "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert {k: report[k] for k in ("rows_read", "accepted", "rejected", "duplicates")} == {
        "rows_read": 3,
        "accepted": 1,
        "rejected": 2,
        "duplicates": 1,
    }
    assert report["unmapped_columns"] == ["Notes"]
    second, third = report["rejections"]
    assert second["row"] == 3
    assert second["problems"][0]["column"] == "Audit Date"
    assert third["duplicate_of"] == 2
    assert [p["column"] for p in third["problems"]] == ["Auditor Role", "Audit ID"]


def test_csv_output(run: Run, mixed: str) -> None:
    status, out, err = run("audits", "validate", "bolton", mixed, "--format", "csv")
    assert status == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["row"], r["column"], r["duplicate_of"]) for r in rows] == [
        ("3", "Audit Date", ""),
        ("4", "Auditor Role", "2"),
        ("4", "Audit ID", "2"),
    ]
    assert err.startswith("rows read: 3; accepted: 1; rejected: 2; duplicates: 1")


def test_strict_lists_every_rejection_and_exits_1(run: Run, mixed: str) -> None:
    status, out, err = run("audits", "validate", "bolton", mixed, "--strict")
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].endswith("2 of 3 rows rejected")
    assert len(lines) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("atlantis", LIQUIDLOGIC), "unknown profile 'atlantis'"),
        (("bolton", "absent.csv"), "absent.csv: cannot be read"),
        (("bolton", "audits.xls"), "Excel 97-2003"),
        (("bolton", LIQUIDLOGIC, "--mapping", "absent.toml"), "absent.toml: 1 problem"),
        (("bolton", str(EXPORTS / "annex-a-cases.csv")), "has no column 'Audit ID' (id)"),
        (("bolton", LIQUIDLOGIC, "--input-format", "json"), "is not valid JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run: Run, argv: tuple[str, ...], message: str) -> None:
    status, out, err = run("audits", "validate", *argv)
    assert status == 2
    assert out == ""
    first = err.splitlines()[0]
    assert first.startswith("qaframework: error: ")
    assert message in err
    assert "Traceback" not in err


def test_a_bad_mapping_file_lists_its_problems(run: Run, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nid = "Form ID"\ncolour = "x"\n', encoding="utf-8")
    status, _, err = run("audits", "validate", "bolton", LIQUIDLOGIC, "--mapping", str(mapping))
    assert status == 2
    assert "columns.colour: unknown key" in err
    assert "columns.child_id: required" in err


def test_usage_errors_exit_2(run: Run) -> None:
    status, _, err = run("audits", "validate", "bolton")
    assert status == 2
    assert "the following arguments are required: FILE" in err
