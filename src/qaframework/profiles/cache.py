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

**Only the user's own entries are read.** An entry is a pickle, and unpickling runs code:
a directory someone else could write to would let them run code as whoever loads a
profile. So an entry is read only when the cache directory is owned by the user and
writable by nobody else, and the entry is a regular file (not a link) owned by the user and
writable by nobody else; the directory is opened once and the entry opened inside it, so
neither can be swapped between the check and the read. Anything else is a miss, and nothing
is written to such a directory either. (Where the system has no file owners, on Windows,
the user's own cache directory is used as it is; a directory named by
``QAFRAMEWORK_CACHE_DIR`` is used only if it is inside the user's profile.)

**The cache is bounded.** A changed file or release leaves its old entries behind; each
store removes entries unused for :data:`MAX_AGE_DAYS` days and, past :data:`MAX_ENTRIES`,
the least recently used. Reading an entry marks it used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from qaframework.policy.profile import Profile

__all__ = [
    "ENV_CACHE_DIR",
    "MAX_AGE_DAYS",
    "MAX_ENTRIES",
    "bank_holidays",
    "cache_dir",
    "cache_key",
    "load",
    "store",
]

ENV_CACHE_DIR = "QAFRAMEWORK_CACHE_DIR"
MAX_ENTRIES = 64
"""The most entries kept; past it, the least recently used go first."""
MAX_AGE_DAYS = 30
"""Entries not used for this many days are removed when the cache is next written."""
_FORMAT = b"qaframework-profile-cache-1"
_SUFFIX = ".pickle"
_T = TypeVar("_T")
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


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


def _trusted(status: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always, where there are no owners)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return status.st_uid == getuid() and not status.st_mode & _OTHERS_WRITE


@contextmanager
def _trusted_directory(directory: Path) -> Iterator[int | None]:
    """The cache directory opened, if it is the user's own and nobody else's to write in;
    None otherwise. Entries are opened relative to it, so it cannot be swapped."""
    if not hasattr(os, "O_DIRECTORY"):  # Windows: no owners, no directory descriptors
        yield None if os.environ.get(ENV_CACHE_DIR) and not _inside_home(directory) else -1
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield None
        return
    try:
        yield descriptor if _trusted(os.fstat(descriptor)) else None
    finally:
        os.close(descriptor)


def _inside_home(directory: Path) -> bool:
    try:
        directory.resolve().relative_to(Path.home().resolve())
    except ValueError:
        return False
    return True


def _open_entry(name: str, directory: Path, descriptor: int) -> Any:
    if descriptor == -1:  # Windows
        return (directory / name).open("rb")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(name, flags, dir_fd=descriptor)
    status = os.fstat(handle)
    if not stat.S_ISREG(status.st_mode) or not _trusted(status):
        os.close(handle)
        raise PermissionError(f"{name}: not the user's own regular file")
    return os.fdopen(handle, "rb")


def load(key: str) -> tuple[dict[str, Any], Profile] | None:
    """The header and profile stored under ``key``, or None if there is no usable entry (none
    stored, a broken one, or one in a directory or file someone else could have written)."""
    directory = cache_dir()
    if directory is None:
        return None
    found = _read_entry(directory, f"{key}{_SUFFIX}", _unpickled)
    if found is None:
        return None
    header, profile = found
    if not isinstance(header, dict) or not isinstance(profile, Profile):
        return None
    return header, profile


def _unpickled(file: BinaryIO) -> tuple[Any, Any]:
    """A profile entry's two parts (an entry of another shape raises: a miss)."""
    header, profile = pickle.load(file)
    return header, profile


def _read_entry(directory: Path, name: str, read: Callable[[BinaryIO], _T | None]) -> _T | None:
    """What ``read`` makes of the entry ``name``, marked used; None for a missing,
    truncated, foreign or untrusted entry, in a directory or file someone else could have
    written, or one ``read`` finds wanting (returns None for)."""
    with _trusted_directory(directory) as descriptor:
        if descriptor is None:
            return None
        try:
            with _open_entry(name, directory, descriptor) as file:
                found = read(file)
        except Exception:  # a missing, truncated, foreign or untrusted entry is a miss
            return None
        if found is not None:
            _touch(name, directory, descriptor)
    return found


def _write_entry(
    directory: Path, name: str, suffix: str, write: Callable[[BinaryIO], object]
) -> None:
    """Write the entry ``name`` with ``write`` (to a temporary file, then put in place),
    then remove the entries ending ``suffix`` (its kind) unused too long or past
    :data:`MAX_ENTRIES`. Failures (read-only home, full disk) and a directory that is not
    the user's own are ignored: nothing is written."""
    import tempfile

    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _trusted_directory(directory) as descriptor:
            if descriptor is None:
                return
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    write(file)
                os.replace(temporary, directory / name)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            _evict(directory, keep=name, suffix=suffix)
    except OSError:
        return


def _touch(name: str, directory: Path, descriptor: int) -> None:
    """Mark an entry used (its modification time), for the eviction of unused entries."""
    try:
        if descriptor == -1:
            os.utime(directory / name)
        else:
            os.utime(name, dir_fd=descriptor, follow_symlinks=False)
    except (OSError, NotImplementedError):
        pass


def store(key: str, header: dict[str, Any], profile: Profile) -> None:
    """Keep a validated profile under ``key``, then remove entries unused too long or past
    :data:`MAX_ENTRIES`. Failures (read-only home, full disk) and a directory that is not
    the user's own are ignored: nothing is written."""
    directory = cache_dir()
    if directory is None:
        return
    _write_entry(
        directory,
        f"{key}{_SUFFIX}",
        _SUFFIX,
        lambda file: pickle.dump((header, profile), file, protocol=pickle.HIGHEST_PROTOCOL),
    )


def _evict(directory: Path, keep: str, now: float | None = None, suffix: str = _SUFFIX) -> None:
    """Remove entries (files ending ``suffix``) unused for :data:`MAX_AGE_DAYS` days, then
    the least recently used past :data:`MAX_ENTRIES` (never ``keep``, the entry just
    written)."""
    oldest = (time.time() if now is None else now) - MAX_AGE_DAYS * 86_400
    entries: list[tuple[float, Path]] = []
    for entry in directory.glob(f"*{suffix}"):
        try:
            used = entry.lstat().st_mtime
        except OSError:
            continue
        if entry.name != keep and used < oldest:
            entry.unlink(missing_ok=True)
        else:
            entries.append((used, entry))
    entries.sort(key=lambda item: (item[1].name != keep, -item[0]))
    for _, entry in entries[MAX_ENTRIES:]:
        entry.unlink(missing_ok=True)


# -- bank holidays -----------------------------------------------------------------------

_HOLIDAYS_FORMAT = "qaframework-holidays-1"
_HOLIDAYS_SUFFIX = ".holidays.json"


@functools.cache
def _holidays_fingerprint() -> str | None:
    """The installed ``holidays`` package, as the size and time of its files that a new
    release rewrites (without importing it: that imports every country); None when it is
    not found."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256(_HOLIDAYS_FORMAT.encode())
    try:
        for name in ("__init__.py", "version.py"):
            status = (package / name).stat()
            digest.update(f"{package}/{name}:{status.st_size}:{status.st_mtime_ns};".encode())
    except OSError:
        return None
    return digest.hexdigest()


def bank_holidays(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    """:func:`qaframework.policy.workdays.bank_holidays`, kept in the cache directory as
    JSON under a key made from the installed ``holidays`` package and the question: a new
    process reads a year's days without importing ``holidays`` (which imports every
    country, about a tenth of a second). Read only from the user's own directory and files,
    as profiles are; any failure is a miss, and the days are worked out as without a cache.
    """
    from qaframework.policy.workdays import bank_holidays as worked_out

    directory = cache_dir()
    fingerprint = _holidays_fingerprint()
    if directory is None or fingerprint is None:
        return worked_out(country, subdivision, year)
    question = f"{fingerprint}:{country}:{subdivision}:{year}"
    name = hashlib.sha256(question.encode()).hexdigest() + _HOLIDAYS_SUFFIX
    found = _read_holidays(directory, name, question)
    if found is not None:
        return found
    days = worked_out(country, subdivision, year)
    _write_holidays(directory, name, question, days)
    return days


def _read_holidays(directory: Path, name: str, question: str) -> dict[date, str] | None:
    import json

    def read(file: BinaryIO) -> dict[date, str] | None:
        entry = json.load(file)
        if entry["format"] != _HOLIDAYS_FORMAT or entry["question"] != question:
            return None
        return {date.fromisoformat(day): str(named) for day, named in entry["days"]}

    return _read_entry(directory, name, read)


def _write_holidays(directory: Path, name: str, question: str, days: dict[date, str]) -> None:
    import json

    entry = {
        "format": _HOLIDAYS_FORMAT,
        "question": question,
        "days": [[day.isoformat(), named] for day, named in days.items()],
    }
    _write_entry(
        directory,
        name,
        _HOLIDAYS_SUFFIX,
        lambda file: file.write(json.dumps(entry, ensure_ascii=False).encode()),
    )
