"""The command line answers every failure in one line: the library's own errors with
``qaframework: error:`` and exit status 2, anything unexpected as a bug to report (exit
status 70), its traceback only under ``--debug``; never a traceback, a hang or a child's data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qaframework.cli import BUG_STATUS
from qaframework.cli import sample_cmd as sample_command
from tests.cli_run import invoke

EXAMPLES = Path(__file__).parent.parent / "examples"
CASES = str(EXAMPLES / "bolton" / "cases.csv")
SAMPLE = ("sample", "bolton", CASES, "--method", "random", "--n", "2", "--seed", "1")


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("qaframework: error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample command fails as a bug would, with a child's id in the exception."""

    def broken(_args: object) -> int:
        raise KeyError("child B123456")

    monkeypatch.setattr(sample_command, "run", broken)


@pytest.mark.usefixtures("a_bug")
def test_a_bug_is_one_line_saying_so_without_the_data() -> None:
    status, out, err = invoke(*SAMPLE)
    assert status == BUG_STATUS
    assert out == ""
    line = _one_error_line(err)
    assert "unexpected KeyError" in line
    assert "this is a bug in qaframework" in line
    assert "report it" in line
    assert "--debug" in line
    assert "B123456" not in err


@pytest.mark.usefixtures("a_bug")
def test_debug_shows_the_traceback() -> None:
    status, _, err = invoke("--debug", *SAMPLE)
    assert status == BUG_STATUS
    assert "Traceback" in err
    assert err.strip().splitlines()[-1].startswith("qaframework: error: unexpected KeyError")


@pytest.mark.usefixtures("a_bug")
def test_debug_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAFRAMEWORK_DEBUG", "1")
    assert "Traceback" in invoke(*SAMPLE)[2]


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    status, out, err = invoke(*SAMPLE, "--max-size", "1K")
    assert status == 2
    assert out == ""
    assert "larger than the limit of 1.0 KiB" in _one_error_line(err)
    assert invoke(*SAMPLE, "--max-size", "lots")[0] == 2


def test_a_damaged_workbook(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Child Unique ID"])
    for number in range(10):
        sheet.append([f"C{number}"])
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    cut = tmp_path / "cases.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(cut, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                part = part[: part.index(b'<row r="6"') + 12]
            target.writestr(info, part)
    status, _, err = invoke("sample", "bolton", str(cut), "--method", "random", "--n", "1")
    assert status == 2
    assert "row 6: the workbook is damaged" in _one_error_line(err)


def test_a_deeply_nested_export_is_rejected_rows_not_a_crash(tmp_path: Path) -> None:
    lines = (EXAMPLES / "swindon" / "audits.jsonl").read_text("utf-8").splitlines()[:3]
    lines[1] = '{"id": ' + "[" * 5000 + "]" * 5000 + "}"
    path = tmp_path / "audits.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _, err = invoke("audits", "validate", "swindon", str(path), "--format", "json")
    assert status == 1, err
    assert "Traceback" not in err


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from qaframework.cli import main; sys.exit(main())",
            *argv,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize(
    "argv",
    [
        ("audits", "validate", "swindon", "{fifo}.csv"),
        ("sample", "bolton", "{fifo}.csv", "--method", "random", "--n", "1"),
        ("sample", "bolton", CASES, "--method", "random", "--n", "1", "--mapping", "{fifo}.toml"),
        ("register", "import", "swindon", "{fifo}.jsonl", "--db", "{register}"),
    ],
    ids=["audits", "cases", "mapping", "register"],
)
def test_a_named_pipe_is_refused_in_one_line(tmp_path: Path, argv: tuple[str, ...]) -> None:
    fifo = tmp_path / "pipe"
    for suffix in (".csv", ".toml", ".jsonl"):
        os.mkfifo(f"{fifo}{suffix}")
    register = tmp_path / "register.sqlite3"
    if "register" in argv:
        assert _run("register", "init", "--db", str(register)).returncode == 0
    completed = _run(*(a.format(fifo=fifo, register=register) for a in argv))
    assert completed.returncode == 2
    assert "is a named pipe, not a file" in completed.stderr
    assert completed.stderr.startswith("qaframework: error: ")
    assert "Traceback" not in completed.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_in_one_line(tmp_path: Path) -> None:
    link = tmp_path / "cases.csv"
    link.symlink_to("/dev/zero")
    completed = _run("sample", "bolton", str(link), "--method", "random", "--n", "1")
    assert completed.returncode == 2
    assert "is a device, not a file" in _one_error_line(completed.stderr)
