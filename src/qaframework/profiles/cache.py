"""A cache of validated profiles, so that a new process skips parsing and validating them again.

Parsing a council's TOML file and validating every reference in it is the largest part of
loading a profile. A profile file that validated once is stored, pickled, under a key made
from the file's bytes, this release of qaframework (its version and the size and time of
each of its modules) and the plugins that add their own checks. A changed file, a changed
qaframework or a changed checking plugin gives a new key, so a stale entry is never used.
Profiles a plugin builds in Python, or passes as a mapping, are not cached; nor is anything
while a plugin that is not an installed distribution adds checks (its code could change
without a version to say so).

The cache lives in the user's cache directory (``platformdirs``), readable by its owner
only. ``QAFRAMEWORK_CACHE_DIR`` names another directory; set but empty, it turns the cache
off. Any failure to read or write the cache is ignored: the profile is then built from its
file as if there were no cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qaframework.policy.profile import Profile

__all__ = ["ENV_CACHE_DIR", "cache_dir", "cache_key", "load", "store"]

ENV_CACHE_DIR = "QAFRAMEWORK_CACHE_DIR"
_FORMAT = b"qaframework-profile-cache-1"


def cache_dir() -> Path | None:
    """Where validated profiles are kept, or None when the cache is turned off."""
    value = os.environ.get(ENV_CACHE_DIR)
    if value is not None:
        return Path(value) if value else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("qaframework", appauthor=False)) / "profiles"


@functools.cache
def _code_fingerprint() -> bytes:
    from qaframework._version import __version__

    digest = hashlib.sha256(_FORMAT + __version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.digest()


def cache_key(source: bytes, checkers: Iterable[tuple[str, str | None]]) -> str | None:
    """The key of a profile file's cache entry; None when it must not be cached.

    ``checkers`` are the plugins implementing ``validate_profile``, as (name, distribution
    version) pairs; a checker without a version (not an installed distribution) makes the
    result unsafe to cache.
    """
    digest = hashlib.sha256(_code_fingerprint())
    for name, version in sorted(checkers, key=lambda item: item[0]):
        if version is None:
            return None
        digest.update(f"{name}={version};".encode())
    digest.update(hashlib.sha256(source).digest())
    return digest.hexdigest()


def load(key: str) -> tuple[dict[str, Any], Profile] | None:
    """The header and profile stored under ``key``, or None if there is no usable entry."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with (directory / f"{key}.pickle").open("rb") as file:
            header, profile = pickle.load(file)
    except Exception:  # a missing, truncated or foreign entry is simply a miss
        return None
    if not isinstance(header, dict) or not isinstance(profile, Profile):
        return None
    return header, profile


def store(key: str, header: dict[str, Any], profile: Profile) -> None:
    """Keep a validated profile under ``key``; failures (read-only home, full disk) are ignored."""
    directory = cache_dir()
    if directory is None:
        return
    import tempfile

    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump((header, profile), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, directory / f"{key}.pickle")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
