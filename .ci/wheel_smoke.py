#!/usr/bin/env python3
"""CI: qaframework as a pip user gets it, outside the repository.

Builds the five distributions (the core and the four council profiles) the way a release
would, each wheel from its sdist, so that a lean sdist missing a file fails here. Installs the
wheels into a new virtual environment, with their dependencies from the package index, and
runs the command line from a temporary folder that is not the repository, with nothing of
the repository on ``sys.path``:

- ``qaframework --version`` and ``python -m qaframework profiles``: the four councils;
- ``qaframework schedule bolton ... --format ics``: an iCalendar file;
- ``qaframework demo --out DIR``: a report per council;
- ``qaframework profile new`` then ``profile check`` on the new distribution (valid, still
  to fill in, its data file naming the JSON Schema), and the new distribution builds into a
  wheel: the sixth; the JSON Schemas load from the installed package, and
  ``qaframework.to_ics`` writes a calendar;
- ``qaframework report`` on an example export copied into the folder, with its mapping;
- a command whose extra is not installed (``register``) says which extra to install;
- ``qaframework-bolton[testing]``: ``import hypothesis`` imports only qaframework's lazy
  hook, and the profile's own tests, from its sdist, pass against the installed wheels.

    python3 .ci/wheel_smoke.py [--keep]

Needs Python 3.11+ with pip and the package index; writes only in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted(p for p in (ROOT / "profiles").iterdir() if (p / "pyproject.toml").is_file())
COUNCILS = [p.name for p in PROFILES]


def step(title: str) -> None:
    print(f"-- {title}", flush=True)


def fail(message: str) -> None:
    raise SystemExit(f"wheel smoke: FAILED: {message}")


class Environment:
    """A virtual environment, and commands run in a folder outside the repository."""

    def __init__(self, where: Path, work: Path) -> None:
        venv.EnvBuilder(with_pip=True, clear=True).create(where)
        self.bin = where / ("Scripts" if os.name == "nt" else "bin")
        self.python = self.bin / ("python.exe" if os.name == "nt" else "python")
        self.work = work
        # Nothing of the caller's environment may put the repository on the path.
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
        }
        self.env["PATH"] = os.pathsep.join([str(self.bin), self.env.get("PATH", "")])
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        self.env["QAFRAMEWORK_CACHE_DIR"] = str(work / ".profile-cache")

    def run(
        self, *argv: str | Path, expect: int = 0, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in argv]
        done = subprocess.run(
            command,
            cwd=cwd or self.work,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != expect:
            print(done.stdout[-4000:], file=sys.stderr)
            print(done.stderr[-4000:], file=sys.stderr)
            fail(f"{' '.join(command)} exited {done.returncode}, expected {expect}")
        return done

    def pip(self, *argv: str | Path) -> None:
        # pip's own progress goes to the log: an install from the index takes a while.
        subprocess.run(
            [str(self.python), "-m", "pip", *map(str, argv)],
            cwd=self.work,
            env=self.env,
            check=True,
        )


def build(tools: Environment, dist: Path) -> list[Path]:
    step("build each sdist, then its wheel from the sdist")
    tools.pip("install", "--quiet", "build")
    for project in [ROOT, *PROFILES]:
        tools.run(tools.python, "-m", "build", "--outdir", dist, project)
    wheels = sorted(dist.glob("*.whl"))
    names = sorted(w.name.split("-")[0] for w in wheels)
    wanted = sorted(["qaframework", *(f"qaframework_{c}" for c in COUNCILS)])
    if names != wanted:
        fail(f"built {names}, expected {wanted}")
    for wheel in wheels:
        print(f"   {wheel.name}")
    return wheels


def check_outside_the_repository(env: Environment) -> None:
    step("import qaframework from the installed wheels, not from the repository")
    done = env.run(
        env.python,
        "-c",
        "import json, qaframework, qaframework_bolton;"
        "print(json.dumps([qaframework.__file__, qaframework_bolton.__file__]))",
    )
    for path in json.loads(done.stdout):
        resolved = Path(path).resolve()
        if ROOT in resolved.parents or env.bin.parent.resolve() not in resolved.parents:
            fail(f"imported {resolved}, not from the new environment")


def check_commands(env: Environment, version: str) -> None:
    step("qaframework --version; python -m qaframework profiles")
    done = env.run("qaframework", "--version")
    if done.stdout.split() != ["qaframework", version]:
        fail(f"--version printed {done.stdout!r}")
    done = env.run(env.python, "-m", "qaframework", "profiles")
    missing = [c for c in COUNCILS if c not in done.stdout]
    if missing:
        fail(f"profiles does not list {missing}:\n{done.stdout}")

    step("qaframework schedule bolton --from 2026-04-01 --to 2026-06-30 --format ics")
    done = env.run(
        "qaframework",
        "schedule",
        "bolton",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--format",
        "ics",
    )
    ics = done.stdout.replace("\r\n", "\n")
    if not (ics.startswith("BEGIN:VCALENDAR") and ics.rstrip().endswith("END:VCALENDAR")):
        fail(f"not an iCalendar file: {ics[:200]!r}")
    events = ics.count("BEGIN:VEVENT")
    if not events:
        fail("the calendar has no event")
    print(f"   {events} events")

    step("qaframework demo --out demo")
    env.run("qaframework", "demo", "--out", "demo")
    for council in COUNCILS:
        pages = sorted((env.work / "demo" / council).glob("*.html"))
        if not pages:
            fail(f"the demo wrote no HTML report for {council}")
        print(f"   demo/{council}/{pages[0].name}")


def check_authoring(env: Environment, tools: Environment, dist: Path) -> None:
    step("qaframework profile new exampleshire; profile check; build its wheel")
    env.run(
        "qaframework",
        "profile",
        "new",
        "exampleshire",
        "--authority",
        "Exampleshire County Council",
        "--effective-from",
        "2026-04-01",
    )
    scaffold = env.work / "qaframework-exampleshire"
    # A new profile is valid and not finished: no error, and places marked FILL IN (exit 1).
    done = env.run("qaframework", "profile", "check", scaffold.name, "--format", "json", expect=1)
    report = json.loads(done.stdout)
    if report["errors"] or not report["incomplete"]:
        fail(f"profile check of a new profile: {report['errors'][:3]}, incomplete empty?")
    print(f"   0 errors, {len(report['incomplete'])} places to fill in")
    (data_file,) = (scaffold / "src").glob("*/data/*.toml")
    first = data_file.read_text("utf-8").splitlines()[0]
    if not first.startswith("#:schema https://"):
        fail(f"the new profile's first line names no JSON Schema: {first!r}")
    step("the JSON Schemas ship in the wheel; qaframework.to_ics")
    done = env.run(
        env.python,
        "-c",
        "import json, datetime, qaframework\n"
        "from qaframework.profiles.schema import PROFILE_SCHEMA_URL, shipped_schema\n"
        "profile, audit = shipped_schema('profile'), shipped_schema('audit')\n"
        "assert profile['$id'] == PROFILE_SCHEMA_URL\n"
        "ics = qaframework.to_ics('swindon', datetime.date(2026, 4, 1), "
        "datetime.date(2026, 4, 30))\n"
        "print(len(profile['properties']), len(audit['properties']), ics.count(b'BEGIN:VEVENT'))",
    )
    sections, fields, events = map(int, done.stdout.split())
    if not (sections and fields and events):
        fail(f"schemas or calendar empty: {done.stdout!r}")
    print(f"   profile schema: {sections} sections; audit schema: {fields} fields; {events} events")
    tools.run(tools.python, "-m", "build", "--wheel", "--outdir", dist / "new", scaffold)
    (wheel,) = (dist / "new").glob("*.whl")
    print(f"   {wheel.name}")


def check_report(env: Environment) -> None:
    step("qaframework report bolton audits.csv (the example export, copied here)")
    for name in ("audits.csv", "audits.mapping.toml"):
        shutil.copy(ROOT / "examples" / "bolton" / name, env.work / name)
    done = env.run(
        "qaframework",
        "report",
        "bolton",
        "audits.csv",
        "--mapping",
        "audits.mapping.toml",
        "--period",
        "2026-27 Q1",
        "--format",
        "md",
        "html",
        "json",
        "xlsx",
        "--out",
        "report",
    )
    written = sorted(p.suffix for p in (env.work / "report").iterdir())
    if not {".md", ".html", ".json", ".xlsx"} <= set(written):
        fail(f"report wrote {written}")
    print("   " + "\n   ".join(done.stdout.strip().splitlines()[:3]))


def check_missing_extra(env: Environment) -> None:
    step("qaframework register status, without the store extra: names the extra")
    done = env.run("qaframework", "register", "status", expect=2)
    if "qaframework[store]" not in done.stderr or "Traceback" in done.stderr:
        fail(f"register without the store extra said: {done.stderr!r}")
    print(f"   {done.stderr.strip()}")


def check_profile_tests(env: Environment, dist: Path, version: str) -> None:
    step("qaframework-bolton[testing]: the profile's tests from its sdist")
    env.pip(
        "install",
        "--quiet",
        "--find-links",
        dist,
        f"qaframework[testing]=={version}",
        f"qaframework-bolton[testing]=={version}",
    )
    # With the testing extra, Hypothesis runs qaframework's entry point: lazily.
    done = env.run(
        env.python,
        "-c",
        "import sys, hypothesis;"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'qaframework')))",
    )
    imported = done.stdout.split()
    if imported != ["qaframework", "qaframework._version", "qaframework.testing"]:
        fail(f"import hypothesis imported {imported}")
    print(f"   import hypothesis imports {', '.join(imported)}")
    (sdist,) = dist.glob("qaframework_bolton-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(env.work / "sdist", filter="data")
    (unpacked,) = (env.work / "sdist").iterdir()
    done = env.run(env.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=unpacked)
    print("   " + done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Run the smoke test; exit 0 when every check passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    tmp = Path(tempfile.mkdtemp(prefix="qaframework-wheels-"))
    try:
        work = tmp / "work"
        work.mkdir()
        dist = tmp / "dist"
        tools = Environment(tmp / "tools", work)
        wheels = build(tools, dist)

        step("install the five wheels into a new virtual environment")
        env = Environment(tmp / "venv", work)
        env.pip("install", *wheels)

        check_outside_the_repository(env)
        check_commands(env, version)
        check_authoring(env, tools, dist)
        check_report(env)
        check_missing_extra(env)
        check_profile_tests(env, dist, version)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("wheel smoke: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
