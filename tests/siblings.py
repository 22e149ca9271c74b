"""Modules the tests load from a file: another test module of this folder (shared with
pytest's own import of it), or a script that is not in a package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def from_file(name: str, path: Path) -> ModuleType:
    """The module in ``path``, run afresh under ``name`` and entered in ``sys.modules``
    (dataclasses and pickling look a class's module up there)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def sibling(name: str) -> ModuleType:
    """The test module ``name`` of this folder: the one pytest imported (the tests are not
    a package), else loaded from its file once."""
    if name in sys.modules:
        return sys.modules[name]
    return from_file(name, Path(__file__).with_name(f"{name}.py"))
