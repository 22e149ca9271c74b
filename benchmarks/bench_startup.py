"""Start-up cost: ``import qaframework`` plus loading every installed profile, and the CLI.

Targets (foundation issue): import and load all four profiles <= 150 ms; ``qaframework
profiles`` as a whole process <= 300 ms. Each measurement is a fresh interpreter, repeated,
reported as the median, beside the named baseline measured in the same run: a bare
``python -c pass`` (interpreter start-up), so the ratio shows what qaframework adds.
Loads are measured with the validated-profile cache warm (the usual case after the first
run) and with it turned off (every file parsed and validated).

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


def _time(command: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


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
    _time([python, "-c", LOAD_ALL], 2)  # fill the OS file cache and the profile cache
    baseline = _time([python, "-c", "pass"], args.repeat)
    rows = [
        ("python -c pass (baseline)", baseline, None),
        ("import qaframework", _time([python, "-c", IMPORT_ONLY], args.repeat), None),
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
        f"Python {platform.python_version()}; median of {args.repeat} runs\n"
    )
    print("| measurement | median ms | x baseline | target ms | within target |")
    print("|---|---:|---:|---:|---|")
    for name, ms, target in rows:
        verdict = "" if target is None else ("yes" if ms <= target else "NO")
        target_text = "" if target is None else f"{target:.0f}"
        print(f"| {name} | {ms:.1f} | {ms / baseline:.2f} | {target_text} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
