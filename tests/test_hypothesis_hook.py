"""The ``hypothesis`` entry point registers qaframework's strategies lazily.

Hypothesis runs every ``hypothesis`` entry point each time it is imported, so in an
environment where qaframework is installed, its hook runs in every test suite that imports
Hypothesis. The hook must not import qaframework's core there; it registers the strategies
once a module that defines a registered type is imported. Each test runs a fresh interpreter,
since what a process has imported is the point. The cost in milliseconds is measured by
``benchmarks/bench_hypothesis_import.py``, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points

import pytest

from qaframework.testing import _TYPE_MODULES
from qaframework.testing.strategies.registration import _type_strategies

# What the hook may import while Hypothesis imports: the package (its lazy names and its
# version) and the hook's own module.
HOOK_IMPORTS = ["qaframework", "qaframework._version", "qaframework.testing"]

REPORT = """
import json, sys
from hypothesis.strategies._internal import types
from qaframework.testing.strategies.registration import _type_strategies

print(json.dumps({
    "registered": sorted(
        cls.__name__ for cls in _type_strategies() if cls in types._global_type_lookup
    ),
    "watching": [
        type(f).__name__ for f in sys.meta_path if type(f).__name__ == "_RegisterOnImport"
    ],
}))
"""


def run_python(code: str) -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_entry_point_names_the_hook() -> None:
    (hook,) = (e for e in entry_points(group="hypothesis") if e.name == "qaframework")
    assert hook.value == "qaframework.testing:_hypothesis_setup_hook"


def test_importing_hypothesis_imports_only_the_hook() -> None:
    seen = run_python(
        """
        import json, sys
        import hypothesis
        print(json.dumps({
            "modules": sorted(m for m in sys.modules if m.split(".")[0] == "qaframework"),
            "watching": [type(f).__name__ for f in sys.meta_path],
        }))
        """
    )
    assert seen["modules"] == HOOK_IMPORTS
    # The hook did run: it waits for qaframework's types.
    assert "_RegisterOnImport" in seen["watching"]


ALL_TYPES = sorted(cls.__name__ for cls in _type_strategies())


@pytest.mark.parametrize(
    "imports",
    [
        # the types first, then Hypothesis: registered at once
        "import qaframework.engine.audits\nimport hypothesis",
        # Hypothesis first, then a type's module
        "import hypothesis\nfrom qaframework.policy.grades import GradeScale",
        # ... through the package's lazy names
        "import hypothesis\nimport qaframework\nqaframework.Audit",
        "import hypothesis\nimport qaframework\nqaframework.load_profile('bolton')",
        # ... through a module whose own imports load a type's module first (grades) while it
        # is still being imported: registering then would import it half-initialised
        "import hypothesis\nimport qaframework.policy.profile",
        # ... through a moved module's old path, which imports the module at its new path
        "import hypothesis, warnings\nwith warnings.catch_warnings():\n"
        "    warnings.simplefilter('ignore', DeprecationWarning)\n"
        "    import qaframework.grades",
        # ... through an adapter package that imports the core
        "import hypothesis\nimport qaframework.io",
        # the strategies module itself, which imports Hypothesis
        "import qaframework.testing.strategies",
    ],
    ids=[
        "types-first",
        "module",
        "lazy-name",
        "load-profile",
        "nested",
        "old-path",
        "adapter",
        "kit",
    ],
)
def test_every_type_is_registered_once_qaframework_types_are_imported(imports: str) -> None:
    seen = run_python(imports + "\n" + REPORT)
    assert seen["registered"] == ALL_TYPES
    assert seen["watching"] == []  # the watcher removed itself


def test_a_module_without_registered_types_does_not_register() -> None:
    seen = run_python(
        """
        import sys
        import hypothesis
        import qaframework.errors, qaframework.profiles.hookspecs
        assert "qaframework.testing.strategies" not in sys.modules
        import json
        print(json.dumps({"watching": [type(f).__name__ for f in sys.meta_path]}))
        """
    )
    assert "_RegisterOnImport" in seen["watching"]


def test_modules_imported_while_watching_keep_no_trace_of_the_watcher() -> None:
    seen = run_python(
        """
        import json, sys, warnings
        import hypothesis
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import qaframework.roles  # an old path: the module at its new path
        import qaframework.policy.profile
        print(json.dumps({
            name: sorted({type(m.__loader__).__name__, type(m.__spec__.loader).__name__})
            for name, m in sys.modules.items()
            if name.split(".")[0] == "qaframework"
        }))
        """
    )
    assert seen["qaframework.policy.profile"] == ["SourceFileLoader"]
    assert "SourceFileLoader" in seen["qaframework.policy.roles"]
    for name, loaders in seen.items():
        assert "_NotifyingLoader" not in loaders, name


def test_the_watched_modules_are_those_of_the_registered_types() -> None:
    # A type moved to another module without this set following it would never trigger the
    # registering.
    assert {cls.__module__ for cls in _type_strategies()} == _TYPE_MODULES
