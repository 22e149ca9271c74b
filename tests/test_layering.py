"""The layers of ``src/qaframework`` at run time.

Policy values (``qaframework.policy``) sit below the engines (``qaframework.engine``), the
profile machinery (``qaframework.profiles``) above them and the adapters at the edge. Loading
profiles must not load the engines that act on audits, and importing the policy layer must
load nothing above it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "qaframework"
POLICIES = sorted(
    f"qaframework.policy.{p.stem}" for p in (SRC / "policy").glob("*.py") if p.stem != "__init__"
)
# The engines that apply a profile to audits; loading profiles leaves every one unloaded.
ENGINES = {
    "qaframework.engine.sampling",
    "qaframework.engine.moderation",
    "qaframework.engine.escalation",
    "qaframework.engine.actions.ledger",
    "qaframework.engine.actions.tracker",
    "qaframework.engine.report",
}

LOAD_EVERY_PROFILE = (
    "import qaframework\n"
    "for info in qaframework.available_profiles():\n"
    "    for v in info.versions:\n"
    "        qaframework.load_profile(info.id, as_of=v.effective_from)\n"
)


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    loaded = json.loads(completed.stdout.splitlines()[-1])
    assert isinstance(loaded, list)
    return set(loaded)


@pytest.mark.parametrize("cache", ["off", "warm"])
def test_loading_profiles_leaves_the_engines_unloaded(cache: str, tmp_path: Path) -> None:
    env = {**os.environ, "QAFRAMEWORK_CACHE_DIR": str(tmp_path) if cache == "warm" else ""}
    if cache == "warm":
        # The first run validates and stores; the second reads the stored profiles.
        _modules_after(LOAD_EVERY_PROFILE, env)
        assert any(tmp_path.iterdir())
    loaded = _modules_after(LOAD_EVERY_PROFILE, env)
    assert "qaframework.policy.profile" in loaded
    assert not ENGINES & loaded


def test_importing_the_policy_layer_loads_nothing_above_it() -> None:
    loaded = _modules_after("\n".join(f"import {module}" for module in POLICIES))
    ours = {m for m in loaded if m.startswith("qaframework.")}
    assert ours, "no policy module was imported"
    base = ("qaframework.policy", "qaframework.errors", "qaframework._version")
    above = {m for m in ours if not m.startswith(base)}
    assert not above


# ---------------------------------------------------------------------------------------------
# The import contracts (pyproject.toml, [tool.importlinter]) and no import cycles
# ---------------------------------------------------------------------------------------------

REPO = SRC.parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(config: Path, src: Path) -> subprocess.CompletedProcess[str]:
    # The package is found on PYTHONPATH first, so a copy in a temporary folder is the one
    # read rather than the installed one.
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=src,
    )


def test_the_import_contracts_hold() -> None:
    result = _lint_imports(REPO / "pyproject.toml", REPO / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("policy/grades.py", "qaframework.engine.audits"),
        ("engine/audits.py", "qaframework.profiles.registry"),
        ("engine/sampling/pool.py", "qaframework.engine.moderation"),
        ("profiles/diff.py", "qaframework.io.mapping"),
        ("io/values.py", "qaframework.render"),
    ],
)
def test_an_upward_or_sideways_import_breaks_them(module: str, upward: str, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "src" / "qaframework"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    # A function-level import, as a lazy convenience method would write it.
    target.write_text(
        target.read_text(encoding="utf-8") + f"\n\ndef _reach_up() -> None:\n    import {upward}\n",
        encoding="utf-8",
    )
    result = _lint_imports(REPO / "pyproject.toml", tmp_path / "src")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert upward in result.stdout


def _dynamic_imports() -> dict[str, set[str]]:
    """The imports the graph cannot see, by module: ``import_module("qaframework...")`` with
    a literal name, the facade's tables of lazy exports and of moved modules' new places,
    and the built-in plugins."""
    import ast

    import qaframework
    from qaframework.profiles import plugins

    found: dict[str, set[str]] = {
        "qaframework": {
            f"qaframework.{module}"
            for module in (
                *qaframework._EXPORTS.values(),
                *(target for targets in qaframework._MOVED.values() for target in targets),
            )
        },
        "qaframework.profiles.plugins": set(plugins.DEFAULT_PLUGINS),
    }
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name not in ("import_module", "__import__"):
                continue
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                if argument.value.startswith("qaframework"):
                    found.setdefault(module, set()).add(argument.value)
            elif module not in found:
                # A name computed at run time could be anything: say which, by a literal.
                raise AssertionError(f"{module} imports a module named at run time")
    return found


def _import_graph() -> dict[str, set[str]]:
    import grimp

    graph = grimp.build_graph("qaframework", include_external_packages=False)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    for module, imported in _dynamic_imports().items():
        edges[module] |= imported
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_one_that_imports_it_back() -> None:
    # Every import counts: at module level, inside a function, under TYPE_CHECKING, and a
    # package's __init__ re-exporting its modules.
    edges = _import_graph()
    assert _cycles(edges) == []
    # Nothing inside imports the facade, whose exports reach every layer.
    assert sorted(m for m, imported in edges.items() if "qaframework" in imported) == []


def test_every_import_named_at_run_time_is_seen() -> None:
    found = _dynamic_imports()
    assert "qaframework.engine.report.build" in found["qaframework"]
    assert found["qaframework.profiles.plugins"] == {"qaframework.profiles.builtin"}


def test_the_top_of_the_tree_reads_as_the_layers() -> None:
    entries = {p.name for p in SRC.iterdir() if p.name != "__pycache__"}
    assert entries == {
        "__init__.py",
        "__main__.py",
        "_version.py",
        "errors.py",
        "py.typed",
        "policy",
        "engine",
        "profiles",
        "io",
        "store",
        "render",
        "cli",
        "demo",
        "testing",
        "authoring",
    }


def test_no_module_is_over_800_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}
