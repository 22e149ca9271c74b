"""``dev.py``: the first run shows pip's progress, and ``dev.py test`` runs in parallel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.siblings import from_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dev() -> ModuleType:
    return from_file("dev_script", ROOT / "dev.py")


def test_the_first_run_shows_what_pip_installs(
    dev: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    commands: list[list[str]] = []

    class Builder:
        def __init__(self, **_: Any) -> None:
            pass

        def create(self, where: Path) -> None:
            where.mkdir()

    monkeypatch.setattr(dev, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(dev, "STAMP", tmp_path / ".venv" / ".dev-stamp")
    monkeypatch.setattr(dev.venv, "EnvBuilder", Builder)
    monkeypatch.setattr(dev, "_run", lambda *c: commands.append([str(a) for a in c]))
    dev.ensure_environment()
    pip = [c for c in commands if c[1:4] == ["-m", "pip", "install"]]
    assert len(pip) == 2  # the pinned dependencies, then the five packages, editable
    for command in pip:
        assert not {"-q", "--quiet", "-qq"} & set(command), command
    assert "a minute or more" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "added"),
    [
        ([], ["-n", "auto", "--dist", "worksteal"]),
        (["-q", "-x", "tests/test_grades.py"], ["-n", "auto", "--dist", "worksteal"]),
        (["-n", "0"], []),
        (["-n0"], []),
        (["--numprocesses=3"], []),
        (["-p", "no:xdist"], []),
        (["--dist", "loadfile", "-n", "2"], []),
    ],
)
def test_dev_py_test_runs_a_worker_per_cpu_unless_told(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch, args: list[str], added: list[str]
) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(dev, "ensure_environment", lambda: None)

    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        ran.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(dev.subprocess, "run", run)
    assert dev.main(["test", *args]) == 0
    (command,) = ran
    assert command[1:3] == ["-m", "pytest"]
    assert command[3:] == [*added, *args]


def test_xdist_is_installed_for_dev_py_test() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import xdist"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
