"""What qaframework adds to ``import hypothesis`` through its ``hypothesis`` entry point.

Target (issue 13): under 20 ms more than ``import hypothesis`` in the same environment
without qaframework's entry point. Hypothesis reads every installed distribution's entry
points each time it is imported (unless ``HYPOTHESIS_NO_PLUGINS=1``), whether or not any of
them is its; the named baseline is therefore ``import hypothesis`` with the entry points
turned off followed by that same read, measured in the same run. The first row, with the
entry points off and nothing read, shows what the read itself costs. The last row, for scale,
is what registering the strategies at once costs (what the hook did before it was lazy).

Each measurement is a fresh interpreter; the variants run interleaved, round after round, so
that a change in the machine's load falls on all of them alike; medians are reported. A
second table times the parts inside one process (``time.perf_counter``), which a busy
machine disturbs less.

    python3 dev.py run python benchmarks/bench_hypothesis_import.py [--repeat 31]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

TARGET_MS = 20.0
READ = "import hypothesis, importlib.metadata\nimportlib.metadata.entry_points(group='hypothesis')"
PARTS = """
import json, time
import hypothesis, importlib.metadata
t0 = time.perf_counter()
importlib.metadata.entry_points(group="hypothesis")
t1 = time.perf_counter()
import qaframework
t2 = time.perf_counter()
import qaframework.testing
t3 = time.perf_counter()
qaframework.testing._hypothesis_setup_hook()
t4 = time.perf_counter()
print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000]))
"""
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
    """Run the measurements and print two Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=31)
    args = parser.parse_args()
    python = sys.executable
    baseline_name = "import hypothesis, entry points read, none run (baseline)"
    hook_name = "import hypothesis, qaframework's hook on"
    variants = {
        "import hypothesis, entry points off": (
            [python, "-c", "import hypothesis"],
            _env(plugins=False),
        ),
        baseline_name: ([python, "-c", READ], _env(plugins=False)),
        hook_name: ([python, "-c", "import hypothesis"], _env(plugins=True)),
        "import hypothesis + qaframework.testing.strategies (registering at once)": (
            [python, "-c", "import hypothesis, qaframework.testing.strategies"],
            _env(plugins=False),
        ),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    parts: list[list[float]] = []
    for command, env in variants.values():  # warm the OS file cache and the bytecode
        subprocess.run(command, check=True, env=env)
    for _ in range(args.repeat):
        for name, (command, env) in variants.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env)
            samples[name].append((time.perf_counter() - start) * 1000)
        done = subprocess.run(
            [python, "-c", PARTS], check=True, capture_output=True, text=True, env=_env(False)
        )
        parts.append(json.loads(done.stdout))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    baseline = medians[baseline_name]
    imported = subprocess.run(
        [python, "-c", MODULES], check=True, capture_output=True, text=True, env=_env(True)
    ).stdout.split()

    print(
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; median of {args.repeat} runs, interleaved\n"
    )
    print("| measurement | median ms | ms over baseline | target ms over | within target |")
    print("|---|---:|---:|---:|---|")
    for name, ms in medians.items():
        extra = ms - baseline
        target = f"{TARGET_MS:.0f}" if name == hook_name else ""
        verdict = ("yes" if extra < TARGET_MS else "NO") if name == hook_name else ""
        print(f"| {name} | {ms:.1f} | {extra:+.1f} | {target} | {verdict} |")

    labels = (
        "Hypothesis reads the entry points",
        "import qaframework",
        "import qaframework.testing (the hook's module)",
        "the hook runs (installs its import watcher)",
    )
    print("\n| inside one process, after `import hypothesis` | median ms |")
    print("|---|---:|")
    for index, label in enumerate(labels):
        print(f"| {label} | {statistics.median(p[index] for p in parts):.2f} |")
    print(f"\nqaframework modules imported by `import hypothesis`: {', '.join(imported)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
