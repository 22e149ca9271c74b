"""The public API of ``import qaframework``."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from importlib.metadata import version

import pytest

import qaframework


@pytest.mark.parametrize("name", qaframework.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(qaframework, name)
    assert value is not None
    if name not in ("__version__", "hookimpl"):
        module = getattr(value, "__module__", "")
        assert module.startswith("qaframework."), (name, module)


def test_public_names_match_the_lazy_exports() -> None:
    exports = qaframework._EXPORTS
    assert set(qaframework.__all__) == {*exports, "__version__"}
    assert sorted(qaframework.__all__) == qaframework.__all__
    assert dir(qaframework) == sorted(qaframework.__all__)
    for name, module in exports.items():
        value = getattr(qaframework, name)
        assert value is getattr(importlib.import_module(f"qaframework.{module}"), name)
        if name != "hookimpl":  # a pluggy marker instance, made in the hookspecs module
            assert value.__module__ == f"qaframework.{module}"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Profil'"):
        qaframework.Profil  # noqa: B018


def test_version_matches_the_distribution() -> None:
    assert qaframework.__version__ == version("qaframework")


def test_hookimpl_is_the_plugin_marker() -> None:
    from qaframework.profiles.hookspecs import hookimpl

    assert qaframework.hookimpl is hookimpl


def _modules_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


HEAVY = {"cattrs", "holidays", "rich", "icalendar"}


def test_import_is_cheap() -> None:
    loaded = _modules_after("import qaframework")
    assert "qaframework" in loaded
    assert not HEAVY & loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_core_values_do_not_pull_in_the_adapters() -> None:
    loaded = _modules_after(
        "import qaframework\n"
        "qaframework.Cadence.parse('P6W')\n"
        "qaframework.FinancialYear.parse('2026-27')\n"
        "qaframework.WorkingCalendar"
    )
    assert "qaframework.policy.cadence" in loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
