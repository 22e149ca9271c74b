"""Finding the installed plugins' entry points without reading every distribution each start.

``importlib.metadata.entry_points`` opens the metadata of every installed distribution to
find the few in the ``qaframework`` group, so its cost grows with the packages installed
(and importing ``importlib.metadata`` itself costs a few tens of milliseconds). Installing,
upgrading or removing a distribution adds or removes its ``.dist-info`` (or ``.egg-info``)
directory in a directory of ``sys.path``, which changes that directory's modification
time. So the entry points found are kept in the profile cache's directory
(:func:`qaframework.profiles.cache.cache_dir`), under a key made of ``sys.path``, the
status (modification time, inode, size) of each of its directories, the interpreter and
the group: when nothing was installed or removed, the next start reads one small JSON file
and stats one directory per ``sys.path`` entry, however many packages there are; any change
gives a new key and a fresh scan.

The file is read only under the cache's rules (a directory and a regular file owned by the
user and writable by nobody else), and it is not written while a directory's modification
time is within :data:`SETTLE_SECONDS` of now (a change in the same clock tick could
otherwise go unseen). ``QAFRAMEWORK_CACHE_DIR`` set but empty turns it off, as it does the
profile cache. What the index cannot see: an ``entry_points.txt`` edited by hand inside an
existing ``.dist-info`` directory, or distributions a custom import finder provides that are
not in a ``sys.path`` directory; remove the cache directory after such a change.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import attrs

__all__ = ["SETTLE_SECONDS", "FoundEntryPoint", "find_entry_points", "scan"]

SETTLE_SECONDS = 2.0
"""How long after a ``sys.path`` directory last changed its index may be kept."""
_FORMAT = "qaframework-entry-points-1"
_SUFFIX = ".entry-points.json"


@attrs.frozen
class FoundEntryPoint:
    """An entry point of the group: its name and ``module:attribute`` value, and the name and
    version of the distribution that declares it (None when it has none)."""

    name: str
    value: str
    distribution: str | None
    version: str | None


def _path_status() -> tuple[list[Any], float]:
    """Each ``sys.path`` entry with its status, and the latest modification time among them."""
    found: list[Any] = []
    latest = 0.0
    for entry in sys.path:
        place = os.path.abspath(entry or os.curdir)
        try:
            status = os.stat(place)
        except OSError:
            found.append([entry, None])
            continue
        found.append([entry, status.st_mtime_ns, status.st_ino, status.st_size])
        latest = max(latest, status.st_mtime)
    return found, latest


def _key(group: str, status: list[Any]) -> str:
    material = json.dumps([_FORMAT, group, sys.version, sys.prefix, status])
    return hashlib.sha256(material.encode()).hexdigest()


def scan(group: str) -> list[FoundEntryPoint]:
    """The group's entry points read from every installed distribution's metadata, sorted by
    name (``importlib.metadata.entry_points``)."""
    from importlib.metadata import entry_points

    found = []
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        dist = ep.dist
        found.append(
            FoundEntryPoint(
                ep.name,
                ep.value,
                dist.name if dist is not None else None,
                dist.version if dist is not None else None,
            )
        )
    return found


def find_entry_points(group: str) -> list[FoundEntryPoint]:
    """The entry points of ``group`` of the installed distributions, sorted by name: from the
    index kept for the current ``sys.path`` when there is one, from the distributions'
    metadata (then kept) when there is not."""
    from qaframework.profiles import cache

    status, latest = _path_status()
    directory = cache.cache_dir()
    if directory is None:
        return scan(group)
    name = f"{_key(group, status)}{_SUFFIX}"
    known = _read(directory, name)
    if known is not None:
        return known
    found = scan(group)
    if time.time() - latest >= SETTLE_SECONDS:
        _write(directory, name, found)
    return found


def _read(directory: Path, name: str) -> list[FoundEntryPoint] | None:
    from qaframework.profiles import cache

    with cache._trusted_directory(directory) as descriptor:
        if descriptor is None:
            return None
        try:
            with cache._open_entry(name, directory, descriptor) as file:
                data = json.load(file)
            if data["format"] != _FORMAT:
                return None
            found = [_entry(*item) for item in data["entry_points"]]
        except Exception:  # a missing, broken or untrusted index is a miss
            return None
        cache._touch(name, directory, descriptor)
    return found


def _entry(name: Any, value: Any, distribution: Any, version: Any) -> FoundEntryPoint:
    if not (isinstance(name, str) and isinstance(value, str)):
        raise TypeError(f"not an entry point: {name!r} = {value!r}")
    for text in (distribution, version):
        if text is not None and not isinstance(text, str):
            raise TypeError(f"not a distribution: {text!r}")
    return FoundEntryPoint(name, value, distribution, version)


def _write(directory: Path, name: str, found: list[FoundEntryPoint]) -> None:
    import tempfile

    from qaframework.profiles import cache

    data = {"format": _FORMAT, "entry_points": [attrs.astuple(item) for item in found]}
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with cache._trusted_directory(directory) as descriptor:
            if descriptor is None:
                return
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    json.dump(data, file)
                os.replace(temporary, directory / name)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            cache._evict(directory, keep=name, suffix=_SUFFIX)
    except OSError:
        return
