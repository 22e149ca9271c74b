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
