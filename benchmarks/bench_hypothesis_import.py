"""What qaframework adds to ``import hypothesis`` through its ``hypothesis`` entry point.

Target (issue 13): under 20 ms more than ``import hypothesis`` with the entry points turned
off (``HYPOTHESIS_NO_PLUGINS=1``, the named baseline, measured in the same run). The hook
registers qaframework's strategies only once a module defining a registered type is
imported. The second row is Hypothesis reading the entry points without running them, the
price of having any plugin installed. The last row, for scale, is what registering at once
costs (what the hook did before): ``import hypothesis`` plus ``import
qaframework.testing.strategies``.

Each measurement is a fresh interpreter; the variants run interleaved, round after round, so
that a change in the machine's load falls on all of them alike; medians are reported.

    python3 dev.py run python benchmarks/bench_hypothesis_import.py [--repeat 31]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

TARGET_MS = 20.0
SCAN = "import hypothesis, importlib.metadata\nimportlib.metadata.entry_points(group='hypothesis')"
MODULES = (
    "import sys, hypothesis\n"
    "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'qaframework')))"
)


def _env(plugins: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    if not plugins:
        env["HYPOTHESIS_NO_PLUGINS"] = "1"
    return env


def main() -> int:
    """Run the measurements and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=31)
    args = parser.parse_args()
    python = sys.executable
    variants = {
        "import hypothesis, entry points off (baseline)": (
            [python, "-c", "import hypothesis"],
            _env(plugins=False),
        ),
        # What Hypothesis itself does for any plugin: read every installed distribution's
        # entry points. The hook's own cost is the next row less this one.
        "import hypothesis, entry points read but none run": (
            [python, "-c", SCAN],
            _env(plugins=False),
        ),
        "import hypothesis, qaframework's hook on": (
            [python, "-c", "import hypothesis"],
            _env(plugins=True),
        ),
        "import hypothesis + qaframework.testing.strategies (registering at once)": (
            [python, "-c", "import hypothesis, qaframework.testing.strategies"],
            _env(plugins=False),
        ),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for command, env in variants.values():  # warm the OS file cache and the bytecode
        subprocess.run(command, check=True, env=env)
    for _ in range(args.repeat):
        for name, (command, env) in variants.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env)
            samples[name].append((time.perf_counter() - start) * 1000)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    baseline = next(iter(medians.values()))
    imported = subprocess.run(
        [python, "-c", MODULES], check=True, capture_output=True, text=True, env=_env(True)
    ).stdout.split()

    print(
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; median of {args.repeat} runs, interleaved\n"
    )
    print("| measurement | median ms | ms over baseline | target ms over | within target |")
    print("|---|---:|---:|---:|---|")
    hook = list(medians)[2]
    for name, ms in medians.items():
        extra = ms - baseline
        target = f"{TARGET_MS:.0f}" if name == hook else ""
        verdict = ("yes" if extra < TARGET_MS else "NO") if name == hook else ""
        print(f"| {name} | {ms:.1f} | {extra:+.1f} | {target} | {verdict} |")
    print(f"\nqaframework modules imported by `import hypothesis`: {', '.join(imported)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
