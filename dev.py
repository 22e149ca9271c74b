#!/usr/bin/env python3
"""Developer tasks for qaframework, with nothing but Python 3.11+ and pip.

    python3 dev.py demo      one whole QA cycle per council on synthetic data, reports in out/demo
    python3 dev.py test      run every test: the core and the four council profiles, in
                             parallel (pytest-xdist, a worker per CPU; -n 0 for one process)
    python3 dev.py lint      ruff check, ruff format --check, mypy --strict and lint-imports
    python3 dev.py docs      build the documentation site into site/ (mkdocs build --strict)
    python3 dev.py run ...   run a command inside the project's environment

The first task creates ``.venv`` and installs the pinned dependencies from
``requirements/dev.txt`` (exported from ``uv.lock``, hash-checked), then the core and the
profile distributions in editable mode. It reinstalls only when the lock or a
``pyproject.toml`` changes. Extra arguments are passed through (``dev.py test -k cadence``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "dev.txt"
STAMP = VENV / ".dev-stamp"
PROFILES = sorted(p for p in (ROOT / "profiles").iterdir() if (p / "pyproject.toml").is_file())

if sys.version_info < (3, 11):  # noqa: UP036 - this file must explain itself on old Pythons
    sys.exit(f"qaframework needs Python 3.11 or newer; this is {sys.version.split()[0]}")


def _bin(name: str) -> Path:
    scripts = VENV / ("Scripts" if os.name == "nt" else "bin")
    return scripts / (name + (".exe" if os.name == "nt" else ""))


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [LOCK, ROOT / "pyproject.toml", *(p / "pyproject.toml" for p in PROFILES)]:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(*command: str | Path) -> None:
    result = subprocess.run([str(c) for c in command], cwd=ROOT, check=False)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    """Create or refresh ``.venv`` so that it matches the lock file."""
    wanted = _fingerprint()
    if STAMP.is_file() and STAMP.read_text() == wanted and _bin("python").exists():
        return
    if not _bin("python").exists():
        print("dev.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    python = _bin("python")
    # pip shows what it downloads and installs: the first run takes a minute or more, and is
    # never silent for that long.
    print(
        "dev.py: installing the pinned dependencies from requirements/dev.txt "
        "(a minute or more the first time)",
        flush=True,
    )
    _run(
        python,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--require-hashes",
        "-r",
        LOCK,
    )
    print("dev.py: installing the core and the profiles in editable mode", flush=True)
    editable: list[str] = ["-e", "."]
    for profile in PROFILES:
        editable += ["-e", profile.relative_to(ROOT).as_posix()]
    _run(
        python,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-build-isolation",
        *editable,
    )
    STAMP.write_text(wanted)


def _parallel(args: list[str]) -> list[str]:
    """pytest-xdist's options: a worker per CPU, unless the arguments choose otherwise.

    ``--dist worksteal`` hands the tests out in chunks and lets an idle worker take over
    another's remaining ones, so that a few slow modules do not keep one worker busy
    after the other has finished. ``dev.py test -n 0`` runs the tests in one process.
    """
    chosen = any(
        a in ("-n", "--numprocesses", "no:xdist")
        or a.startswith(("-n", "--numprocesses=", "--dist"))
        for a in args
    )
    return [] if chosen else ["-n", "auto", "--dist", "worksteal"]


def main(argv: list[str]) -> int:
    """Run one task; see the module docstring."""
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    task, rest = argv[0], argv[1:]
    if task not in ("demo", "test", "lint", "docs", "run"):
        print(f"dev.py: unknown task {task!r}; tasks: demo, test, lint, docs, run", file=sys.stderr)
        return 2
    ensure_environment()
    python = str(_bin("python"))
    if task == "demo":
        command = [str(_bin("qaframework")), "demo", "--out", str(Path("out", "demo")), *rest]
    elif task == "test":
        command = [python, "-m", "pytest", *_parallel(rest), *rest]
    elif task == "docs":
        site = ROOT / "site"
        command = [python, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *rest]
        # MkDocs prints a banner about its next major version on every build; it is not ours.
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    elif task == "lint":
        for step in (
            [python, "-m", "ruff", "check", "."],
            [python, "-m", "ruff", "format", "--check", "."],
            [python, "-m", "mypy"],
            [str(_bin("lint-imports"))],
        ):
            print(
                "dev.py:",
                " ".join(Path(step[0]).name if i == 0 else s for i, s in enumerate(step)),
                flush=True,
            )
            code = subprocess.run(step, cwd=ROOT, check=False).returncode
            if code:
                return code
        return 0
    else:
        if not rest:
            print(
                "dev.py: run needs a command, e.g. dev.py run qaframework profiles", file=sys.stderr
            )
            return 2
        exe = _bin(rest[0])
        command = [str(exe) if exe.exists() else rest[0], *rest[1:]]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
