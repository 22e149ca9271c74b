"""The hostile-input corpus (``benchmarks/hostile_corpus.py``) for the tests that use it: a
script, not a package module, loaded once per process."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "hostile_corpus.py"
_NAME = "hostile_corpus"


def corpus() -> ModuleType:
    """The corpus module, loaded from :data:`SCRIPT` the first time."""
    if _NAME in sys.modules:
        return sys.modules[_NAME]
    spec = importlib.util.spec_from_file_location(_NAME, SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_NAME] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
