"""The hostile-input corpus (``benchmarks/hostile_corpus.py``) for the tests that use it: a
script, not a package module, loaded once per process."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

from tests.siblings import from_file

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "hostile_corpus.py"
_NAME = "hostile_corpus"


def corpus() -> ModuleType:
    """The corpus module, loaded from :data:`SCRIPT` the first time."""
    if _NAME in sys.modules:
        return sys.modules[_NAME]
    return from_file(_NAME, SCRIPT)
