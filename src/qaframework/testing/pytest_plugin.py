"""The pytest plugin of qaframework's testing kit: fixtures for testing council profiles.

Registered under the ``pytest11`` entry point, so installing qaframework's testing extra makes
these fixtures available in every test module (``pytest -p qaframework.testing.pytest_plugin``
loads it explicitly):

``qaframework_profile_ids``
    The ids of the installed profiles, sorted (session scope).
``qaframework_profile``
    A profile loaded by id. Name it with the marker
    ``@pytest.mark.qaframework_profile("swindon")`` (on a test, a class or a module's
    ``pytestmark``) or a ``profile_id`` class attribute; a test using it then runs once for
    every installed version of that profile (``test_x[swindon@2026-01-01]``), or for the
    version in force on ``as_of`` (``qaframework_profile("bolton", as_of=date(2023, 1, 1))``,
    or an ``as_of`` class attribute). A conftest may instead override
    ``qaframework_profile_id``; the latest version is then loaded.
``qaframework_profile_id``, ``qaframework_version``
    The id named, and the version under test (None for the latest).

A profile being written, not yet installed, is registered for the test session by naming
its data files in the ``qaframework_profiles`` ini option (paths relative to the ini file);
installed profiles stay available beside it::

    [pytest]
    qaframework_profiles = data/2026-04-01.toml

The plugin imports neither Hypothesis nor a profile until a fixture is used (or the ini option
is set), so it costs nothing in a test run that does not use it and works where Hypothesis is
not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from qaframework.profiles.hookspecs import hookimpl

if TYPE_CHECKING:
    from qaframework.policy.profile import Profile
    from qaframework.profiles.registry import VersionInfo

MARKER = "qaframework_profile"
INI_PROFILES = "qaframework_profiles"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ``qaframework_profiles`` ini option."""
    parser.addini(
        INI_PROFILES,
        "profile data files to register for this test session, beside the installed "
        "profiles (paths relative to the ini file)",
        type="paths",
        default=[],
    )


class _SessionProfiles:
    """A plugin registering the data files named in the ini option."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        for path in self.files:
            register(path)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker (so ``--strict-markers`` accepts it) and register session profiles."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(profile_id, as_of=None): the council profile the qaframework_profile "
        "fixture loads; every installed version unless as_of names a day",
    )
    files: list[Path] = config.getini(INI_PROFILES)
    if files:
        from qaframework.profiles.plugins import plugins_for_tests

        # The session gets its own plugin manager (the installed plugins and this one),
        # restored when the session ends.
        session = plugins_for_tests(_SessionProfiles(files), load_entry_points=True)
        session.__enter__()

        def restore() -> None:
            session.__exit__(None, None, None)

        config.add_cleanup(restore)


def _named(node: Any, cls: type | None) -> tuple[str | None, date | None]:
    """The profile id and ``as_of`` a test names, by marker or class attribute."""
    marker = node.get_closest_marker(MARKER)
    if marker is not None:
        if len(marker.args) != 1 or not isinstance(marker.args[0], str):
            raise pytest.UsageError(
                f"{node.nodeid}: write @pytest.mark.{MARKER}('<profile id>', as_of=<date>)"
            )
        as_of = marker.kwargs.get("as_of")
        if as_of is not None and not isinstance(as_of, date):
            raise pytest.UsageError(f"{node.nodeid}: {MARKER} as_of is a datetime.date")
        return marker.args[0], as_of
    profile_id = getattr(cls, "profile_id", None) if cls is not None else None
    as_of = getattr(cls, "as_of", None) if cls is not None else None
    return (profile_id if isinstance(profile_id, str) else None), as_of


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test using ``qaframework_profile`` once per version of the profile it names."""
    if "qaframework_version" not in metafunc.fixturenames:
        return
    profile_id, as_of = _named(metafunc.definition, metafunc.cls)
    if profile_id is None:
        return
    from qaframework.testing._versions import version_id, versions_to_test

    found: list[VersionInfo | None] = list(versions_to_test(profile_id, as_of))
    # With no version to test, one case remains so that the fixture can say why.
    cases = found or [None]
    metafunc.parametrize(
        "qaframework_version", cases, ids=[version_id(profile_id, v) for v in cases]
    )


@pytest.fixture(scope="session")
def qaframework_profile_ids() -> tuple[str, ...]:
    """The ids of the installed council profiles, sorted."""
    from qaframework.profiles.registry import available_profiles

    return tuple(info.id for info in available_profiles())


@pytest.fixture
def qaframework_version() -> VersionInfo | None:
    """The profile version under test; None (the latest) unless a profile is named."""
    return None


@pytest.fixture
def qaframework_profile_id(request: pytest.FixtureRequest) -> str:
    """The profile id a test names with the ``qaframework_profile`` marker or ``profile_id``."""
    profile_id, _ = _named(request.node, request.cls)
    if profile_id is None:
        pytest.fail(
            f"name the profile to load: @pytest.mark.{MARKER}('<id>'), a profile_id class "
            "attribute, or a qaframework_profile_id fixture",
            pytrace=False,
        )
    return profile_id


@pytest.fixture
def qaframework_profile(
    request: pytest.FixtureRequest,
    qaframework_profile_id: str,
    qaframework_version: VersionInfo | None,
) -> Profile:
    """The named profile: the version under test, or the latest (``as_of`` when named)."""
    from qaframework.errors import QAFrameworkError
    from qaframework.profiles.registry import load_profile

    _, as_of = _named(request.node, request.cls)
    day = qaframework_version.effective_from if qaframework_version is not None else as_of
    try:
        return load_profile(qaframework_profile_id, as_of=day)
    except QAFrameworkError as exc:
        pytest.fail(str(exc), pytrace=False)
