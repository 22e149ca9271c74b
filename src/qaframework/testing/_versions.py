"""Which installed versions of a profile a test runs against (shared by the plugin and the
conformance suite)."""

from __future__ import annotations

from datetime import date

from qaframework.errors import QAFrameworkError
from qaframework.profiles.registry import VersionInfo, get_registry


def versions_to_test(profile_id: str, as_of: date | None) -> list[VersionInfo]:
    """Every installed version of ``profile_id``, or the one in force on ``as_of``.

    Empty when the profile is not installed or no version is in force on ``as_of``: the
    fixture that loads it then fails with the registry's own message.
    """
    try:
        info = get_registry().info(profile_id)
    except QAFrameworkError:
        return []
    if as_of is None:
        return list(info.versions)
    found = info.version_on(as_of)
    return [found] if found is not None else []


def version_id(profile_id: str, version: VersionInfo | None) -> str:
    """A test id for a version: ``bolton@2026-02-05``."""
    return f"{profile_id}@{version.effective_from.isoformat()}" if version else profile_id
