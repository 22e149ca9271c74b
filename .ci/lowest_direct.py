#!/usr/bin/env python3
"""CI: the declared dependency floors are true.

Resolves qaframework's direct dependencies, those of every extra included, at their lowest
allowed versions (``uv pip compile --resolution lowest-direct``), checks that each resolved
to exactly the floor that ``pyproject.toml`` declares (a floor nobody can install is no
floor), installs them into a new virtual environment with the core and the four profiles
(built as wheels), and runs the test suite there. The development tools the suite also uses
(mkdocs, nbclient, Playwright, hatchling, ...) are not qaframework's dependencies: they are
pinned at the lock's versions.

    python3 .ci/lowest_direct.py [--keep] [pytest arguments]   e.g. -x -q tests/test_grades.py

``--keep`` leaves the temporary folder (its ``venv`` has the floors installed) and says where.

Needs Python 3.11+ with pip and the package index; installs ``uv`` from it into a temporary
folder, and writes nowhere else.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted(p for p in (ROOT / "profiles").iterdir() if (p / "pyproject.toml").is_file())
PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
# Development tools that cannot be installed beside the floors, and the tests that need them,
# left out of this run. import-linter needs rich>=14.2, above qaframework's floor (13.7);
# the layering rules it checks do not depend on the dependencies' versions, and the main test
# run checks them.
NOT_WITH_THE_FLOORS = {"import-linter": ("tests/test_layering.py",)}
_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _same_version(a: str, b: str) -> bool:
    """``1.13`` and ``1.13.0`` are one version (PEP 440 pads a release with zeros)."""

    def release(version: str) -> tuple[int, ...] | str:
        if not re.fullmatch(r"\d+(\.\d+)*", version):
            return version
        parts = [int(p) for p in version.split(".")]
        while len(parts) > 1 and parts[-1] == 0:
            parts.pop()
        return tuple(parts)

    return release(a) == release(b)


def _run(*argv: str | Path) -> None:
    print("+", " ".join(str(a) for a in argv), flush=True)
    subprocess.run([str(a) for a in argv], check=True)


def declared_floors() -> dict[str, str]:
    """Each direct dependency of the core and of its extras, with its ``>=`` floor."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    floors: dict[str, str] = {}
    for requirement in requirements:
        match = _NAME.match(requirement)
        assert match, requirement
        name, _, spec = match.groups()
        if _canonical(name) == "qaframework":
            continue  # the `all` extra names the others
        floor = re.search(r">=\s*([^,;\s]+)", spec)
        if floor is None:
            raise SystemExit(f"lowest-direct: {requirement!r} declares no floor (>=)")
        floors[_canonical(name)] = floor.group(1)
    return floors


def pinned_tools() -> list[str]:
    """The development tools of the ``dev`` group, pinned at the lock's versions."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    locked = {}
    for line in (ROOT / "requirements" / "dev.txt").read_text("utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
        if found:
            locked[_canonical(found.group(1))] = found.group(2)
    tools = []
    for requirement in pyproject["dependency-groups"]["dev"]:
        match = _NAME.match(requirement)
        assert match, requirement
        name, extras, _ = match.groups()
        if _canonical(name).startswith("qaframework") or name in NOT_WITH_THE_FLOORS:
            continue
        tools.append(f"{name}{extras or ''}=={locked[_canonical(name)]}")
    return tools


def resolved_versions(lock: Path) -> dict[str, str]:
    versions = {}
    for line in lock.read_text("utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", line)
        if found:
            versions[_canonical(found.group(1))] = found.group(2)
    return versions


def main(argv: list[str]) -> int:
    """Resolve, check the floors, install and run the tests; returns pytest's status."""
    keep = argv[:1] == ["--keep"]
    pytest_args = argv[1:] if keep else argv
    floors = declared_floors()
    tmp = Path(tempfile.mkdtemp(prefix="qaframework-lowest-"))
    try:
        print("-- uv, from the package index", flush=True)
        tools_dir = tmp / "tools"
        venv.EnvBuilder(with_pip=True).create(tools_dir)
        bindir = tools_dir / ("Scripts" if os.name == "nt" else "bin")
        _run(bindir / "python", "-m", "pip", "install", "--quiet", "uv")
        uv = bindir / "uv"

        print("-- resolve the direct dependencies at their lowest allowed versions", flush=True)
        tools_in = tmp / "tools.in"
        tools_in.write_text("\n".join(pinned_tools()) + "\n", "utf-8")
        lock = tmp / "lowest.txt"
        _run(
            uv,
            "pip",
            "compile",
            "--quiet",
            ROOT / "pyproject.toml",
            tools_in,
            "--all-extras",
            "--resolution",
            "lowest-direct",
            "--python-version",
            PYTHON_VERSION,
            "--no-header",
            "--output-file",
            lock,
        )
        resolved = resolved_versions(lock)
        wrong = []
        print(f"{'dependency':<18} {'floor':<10} resolved")
        for name, floor in sorted(floors.items()):
            got = resolved.get(name, "(not resolved)")
            print(f"{name:<18} {floor:<10} {got}")
            if not _same_version(got, floor):
                wrong.append(f"{name}>={floor} resolves to {got}")
        if wrong:
            print(
                "lowest-direct: these floors cannot be installed as declared; raise each to the "
                "version it resolves to, or find what holds it up:\n  " + "\n  ".join(wrong),
                file=sys.stderr,
            )
            return 1

        print("-- a new environment with the floors, the core and the profiles", flush=True)
        target = tmp / "venv"
        venv.EnvBuilder(with_pip=False).create(target)
        python = target / ("Scripts" if os.name == "nt" else "bin") / "python"
        _run(uv, "pip", "install", "--python", python, "--requirement", lock)
        # Built and installed as a pip user gets them, not in editable mode: pytest before 9.2
        # rewrites the asserts of a plugin's package (the conformance kit's) only when the
        # installed files name its modules, which an editable install's do not.
        _run(uv, "pip", "install", "--python", python, "--no-deps", ROOT, *PROFILES)

        print("-- the test suite on the floors", flush=True)
        chosen = any(a.startswith(("-n", "--numprocesses")) for a in pytest_args)
        parallel = [] if chosen else ["-n", "auto", "--dist", "worksteal"]
        left_out = [f"--ignore={t}" for tests in NOT_WITH_THE_FLOORS.values() for t in tests]
        command = [
            str(python),
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            *parallel,
            *left_out,
            *pytest_args,
        ]
        print("+", " ".join(command), flush=True)
        return subprocess.run(command, cwd=ROOT, check=False).returncode
    finally:
        if keep:
            print(f"lowest-direct: kept {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
