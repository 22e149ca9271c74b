"""Start-up cost: ``import qaframework`` plus loading every installed profile, and the CLI.

Targets (foundation issue): import and load all four profiles <= 150 ms; ``qaframework
profiles`` as a whole process <= 300 ms. Each measurement is a fresh interpreter, repeated,
reported as the median, beside the named baseline measured in the same run: a bare
``python -c pass`` (interpreter start-up), so the ratio shows what qaframework adds.
Loads are measured with the validated-profile cache warm (the usual case after the first
run) and with it turned off (every file parsed and validated, and every installed
distribution's metadata read to find the plugins). Plugin discovery is shown alone too:
reading every installed distribution's metadata (``importlib.metadata.entry_points``, what
each start did before) beside the index kept while nothing is installed or removed
(``qaframework.profiles.discovery``); the number of distributions installed is printed, since
the scan grows with it (issue 12's target is for an environment of 100 or more).

Bytecode is written during the warm-up runs (even under ``PYTHONDONTWRITEBYTECODE``), as an
installed package has it: without it, every run would compile qaframework's modules again.

    python3 dev.py run python benchmarks/bench_startup.py [--repeat 21]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

LOAD_ALL = (
    "import qaframework\n"
    "for info in qaframework.available_profiles():\n"
    "    for v in info.versions:\n"
    "        qaframework.load_profile(info.id, as_of=v.effective_from)\n"
)
IMPORT_ONLY = "import qaframework"
# Discovery alone, timed inside the process once qaframework's own modules are imported
# (importing importlib.metadata, which the scan needs, is part of the scan's time).
DISCOVER = (
    "import time\n"
    "from qaframework.profiles import cache, discovery, plugins\n"
    "start = time.perf_counter()\n"
    "discovery.{call}('qaframework')\n"
    "print((time.perf_counter() - start) * 1000)\n"
)
COUNT = (
    "import importlib.metadata as m\n"
    "print(len({d.metadata['Name'].lower() for d in m.distributions()}))\n"
)


def _time(command: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _inside(command: list[str], repeat: int) -> float:
    """The median of what each run of ``command`` prints (its own measurement, in ms)."""
    samples = []
    for _ in range(repeat):
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        samples.append(float(done.stdout))
    return statistics.median(samples)


def main() -> int:
    """Run the measurements and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    python = sys.executable
    # The command installed beside this interpreter (dev.py runs it without activating .venv).
    cli = shutil.which("qaframework", path=str(Path(python).parent)) or shutil.which("qaframework")
    if cli is None:
        print("the qaframework command is not installed in this environment", file=sys.stderr)
        return 2
    cold = {**os.environ, "QAFRAMEWORK_CACHE_DIR": ""}
    compiling = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # Fill the OS file cache, the profile cache and the discovery index; write bytecode.
    _time([python, "-c", LOAD_ALL], 2, compiling)
    _time([cli, "profiles"], 1, compiling)
    installed = subprocess.run(
        [python, "-c", COUNT], check=True, capture_output=True, text=True
    ).stdout.strip()
    baseline = _time([python, "-c", "pass"], args.repeat)
    rows = [
        ("python -c pass (baseline)", baseline, None),
        ("import qaframework", _time([python, "-c", IMPORT_ONLY], args.repeat), None),
        (
            "discover plugins alone: every distribution's metadata (before)",
            _inside([python, "-c", DISCOVER.format(call="scan")], args.repeat),
            None,
        ),
        (
            "discover plugins alone: from the index",
            _inside([python, "-c", DISCOVER.format(call="find_entry_points")], args.repeat),
            None,
        ),
        (
            "import + load every profile version",
            _time([python, "-c", LOAD_ALL], args.repeat),
            150.0,
        ),
        (
            "import + load every profile version, profile cache off",
            _time([python, "-c", LOAD_ALL], args.repeat, cold),
            None,
        ),
        ("qaframework profiles (whole process)", _time([cli, "profiles"], args.repeat), 300.0),
        (
            "qaframework profiles, profile cache off",
            _time([cli, "profiles"], args.repeat, cold),
            300.0,
        ),
    ]
    print(
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {installed} distributions installed; "
        f"median of {args.repeat} runs\n"
    )
    print("| measurement | median ms | x baseline | over baseline ms | target ms | within target |")
    print("|---|---:|---:|---:|---:|---|")
    for name, ms, target in rows:
        alone = name.startswith("discover plugins alone")
        if alone:  # measured inside a process: no interpreter start-up to compare with
            print(f"| {name} | {ms:.1f} |  |  |  |  |")
            continue
        over = ms - baseline
        # Issue 12's target: import + discover + load, at most 150 ms over the interpreter.
        verdict = "" if target is None else ("yes" if ms <= target else "NO")
        if name == "import + load every profile version":
            verdict += f"; {'yes' if over <= 150 else 'NO'} (<= 150 ms over baseline)"
        target_text = "" if target is None else f"{target:.0f}"
        print(
            f"| {name} | {ms:.1f} | {ms / baseline:.2f} | {over:.1f} | {target_text} | {verdict} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
