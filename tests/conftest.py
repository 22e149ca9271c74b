"""Shared fixtures for the core's tests.

The example profile ``tests/data/exampleshire.toml`` is a fictional council that uses every
section of the profile format. Tests that break it get a fresh copy each time.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar, england_and_wales
from qaframework.profiles.validation import profile_from_data

EXAMPLE_PATH = Path(__file__).parent / "data" / "exampleshire.toml"


@pytest.fixture(scope="session")
def example_path() -> Path:
    """The example profile's data file."""
    return EXAMPLE_PATH


@pytest.fixture
def example_document() -> dict[str, Any]:
    """The example profile document, parsed afresh for each test so a test may break it."""
    with EXAMPLE_PATH.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="session")
def example_profile() -> Profile:
    """The example profile, validated (immutable, so shared by every test)."""
    with EXAMPLE_PATH.open("rb") as file:
        return profile_from_data(tomllib.load(file), str(EXAMPLE_PATH.name))


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    """England and Wales bank holidays."""
    return england_and_wales()
