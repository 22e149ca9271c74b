"""Swindon Borough Council's quality assurance framework as a qaframework profile.

The profile is data: one file per dated version under ``data/``, registered here through
the ``qaframework`` entry point exactly as any third-party council would be.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from qaframework import hookimpl

# The package's own folder: profile distributions install as plain directories.
DATA = Path(__file__).with_name("data")


@hookimpl
def register_profiles(register: Callable[[Any], None]) -> None:
    """Register every dated version of the profile shipped in ``data/``."""
    for entry in sorted(DATA.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            register(entry)
