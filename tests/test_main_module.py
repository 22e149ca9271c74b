"""``python -m qaframework`` runs the same command line as the ``qaframework`` script."""

from __future__ import annotations

import subprocess
import sys

import qaframework


def run_module(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qaframework", *argv],
        capture_output=True,
        text=True,
        check=False,
    )


def test_python_m_qaframework_prints_the_version() -> None:
    done = run_module("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["qaframework", qaframework.__version__]


def test_python_m_qaframework_runs_a_command() -> None:
    done = run_module("profiles")
    assert done.returncode == 0, done.stderr
    for council in ("bolton", "manchester", "swindon", "telford"):
        assert council in done.stdout


def test_python_m_qaframework_passes_on_the_exit_status() -> None:
    done = run_module("profile", "show", "no_such_council")
    assert done.returncode == 2
    assert done.stderr.startswith("qaframework: error:")
    assert "Traceback" not in done.stderr
