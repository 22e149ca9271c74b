"""The policy/engine layering of ``sampling``, ``moderation``, ``escalation`` and ``actions``.

Each is a package: the policy a profile holds is imported with the package, the engine that
applies it is imported on first use of one of its names. Loading profiles must not load the
engines; every public name must still resolve from the package.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# package -> (policy submodule, engine submodules)
LAYERS = {
    "qaframework.sampling": ("rules", ("samplers",)),
    "qaframework.moderation": ("policy", ("selection",)),
    "qaframework.escalation": ("policy", ("evaluation",)),
    "qaframework.actions": ("timescales", ("ledger", "tracker")),
}
ENGINES = {f"{package}.{engine}" for package, (_, engines) in LAYERS.items() for engine in engines}
POLICIES = [f"{package}.{policy}" for package, (policy, _) in LAYERS.items()]

LOAD_EVERY_PROFILE = (
    "import qaframework.profile\n"
    "import qaframework\n"
    "for info in qaframework.available_profiles():\n"
    "    for v in info.versions:\n"
    "        qaframework.load_profile(info.id, as_of=v.effective_from)\n"
)


def _run(code: str, env: dict[str, str] | None = None) -> object:
    script = f"import json, sys\n{code}\nprint(json.dumps(result))"
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(completed.stdout.splitlines()[-1])


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    loaded = _run(f"{code}\nresult = sorted(sys.modules)", env)
    assert isinstance(loaded, list)
    return set(loaded)


@pytest.mark.parametrize("cache", ["off", "warm"])
def test_loading_profiles_leaves_the_engines_unloaded(cache: str, tmp_path: Path) -> None:
    env = {**os.environ, "QAFRAMEWORK_CACHE_DIR": str(tmp_path) if cache == "warm" else ""}
    if cache == "warm":
        # The first run validates and stores; the second unpickles the profiles.
        _modules_after(LOAD_EVERY_PROFILE, env)
        assert any(tmp_path.iterdir())
    loaded = _modules_after(LOAD_EVERY_PROFILE, env)
    assert "qaframework.profile" in loaded
    assert set(POLICIES) <= loaded
    assert not ENGINES & loaded


def test_the_policy_submodules_import_no_engine_audits_or_profile() -> None:
    loaded = _modules_after("\n".join(f"import {module}" for module in POLICIES))
    forbidden = {*ENGINES, "qaframework.audits", "qaframework.profile", "qaframework.plugins"}
    assert not forbidden & loaded


def test_every_public_name_resolves_from_a_fresh_interpreter() -> None:
    # Each engine name loads its submodule on first use, and is the submodule's own object.
    code = (
        "import importlib\n"
        f"layers = {json.dumps({p: list(engines) for p, (_, engines) in LAYERS.items()})}\n"
        "result = {}\n"
        "for name, engines in layers.items():\n"
        "    package = importlib.import_module(name)\n"
        "    before = [e for e in engines if f'{name}.{e}' in sys.modules]\n"
        "    homes = {}\n"
        "    for public in package.__all__:\n"
        "        value = getattr(package, public)\n"
        "        home = getattr(value, '__module__', None)\n"
        "        if home is not None and home.startswith(name + '.'):\n"
        "            assert getattr(sys.modules[home], public) is value, public\n"
        "        homes[public] = home\n"
        "    after = [e for e in engines if f'{name}.{e}' in sys.modules]\n"
        "    result[name] = {'before': before, 'after': after, 'homes': homes}\n"
    )
    found = _run(code)
    assert isinstance(found, dict)
    for package, (policy, engines) in LAYERS.items():
        report = found[package]
        assert report["before"] == [], package
        assert report["after"] == list(engines), package
        homes = {h for h in report["homes"].values() if h and h.startswith(f"{package}.")}
        assert homes == {f"{package}.{sub}" for sub in (policy, *engines)}, package


@pytest.mark.parametrize("package", list(LAYERS))
def test_each_package_exports_what_its_submodules_define(package: str) -> None:
    module = importlib.import_module(package)
    policy, engines = LAYERS[package]
    defined = [
        name
        for sub in (policy, *engines)
        for name in importlib.import_module(f"{package}.{sub}").__all__
    ]
    assert sorted(defined) == sorted(module.__all__)
    assert len(set(defined)) == len(defined)
    assert dir(module) == sorted(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None


@pytest.mark.parametrize("package", list(LAYERS))
def test_unknown_names_raise_attribute_error(package: str) -> None:
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'nothing'"):
        module.nothing  # noqa: B018
