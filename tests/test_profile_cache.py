"""The validated-profile cache (``qaframework.profiles.cache``) as the registry uses it."""

from __future__ import annotations

import os
import pickle
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qaframework import hookimpl
from qaframework.errors import Problem
from qaframework.policy.profile import Profile
from qaframework.profiles import cache as profile_cache
from qaframework.profiles import validation
from qaframework.profiles.plugins import plugins_for_tests
from qaframework.profiles.registry import get_registry


class RegistersFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        register(self.path)


class Checks:
    """A validate_profile plugin registered by code: it has no version to key the cache on."""

    @hookimpl
    def validate_profile(self, profile: Profile) -> list[Problem] | None:
        return None


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(profile_cache.ENV_CACHE_DIR, str(directory))
    return directory


@pytest.fixture
def data_file(tmp_path: Path, example_path: Path) -> Path:
    path = tmp_path / "exampleshire.toml"
    path.write_bytes(example_path.read_bytes())
    return path


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pickle")) if directory.exists() else []


def load_once(path: Path, *others: Any) -> Profile:
    with plugins_for_tests(RegistersFile(path), *others):
        return get_registry().load("exampleshire")


def test_a_validated_profile_is_stored_owner_only(cache: Path, data_file: Path) -> None:
    profile = load_once(data_file)
    (entry,) = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert profile_cache.load(entry.stem) == (
        {
            "id": "exampleshire",
            "version": "2026-01",
            "authority": "Exampleshire County Council",
            "name": profile.name,
            "effective_from": profile.effective_from,
        },
        profile,
    )


def test_a_second_process_skips_parsing_and_validation(
    cache: Path, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_once(data_file)

    def must_not_run(*args: Any, **kwargs: Any) -> Profile:
        raise AssertionError("validated again despite a cache entry")

    monkeypatch.setattr(validation, "profile_from_data", must_not_run)
    assert load_once(data_file) == first


def test_a_changed_file_is_validated_again(cache: Path, data_file: Path) -> None:
    load_once(data_file)
    text = data_file.read_text().replace('version = "2026-01"', 'version = "2026-02"')
    data_file.write_text(text)
    assert load_once(data_file).version == "2026-02"
    assert len(entries(cache)) == 2


def test_a_broken_entry_is_a_miss(cache: Path, data_file: Path) -> None:
    first = load_once(data_file)
    (entry,) = entries(cache)
    entry.write_bytes(b"not a pickle")
    assert load_once(data_file) == first
    assert profile_cache.load(entry.stem) is not None  # rewritten


def test_invalid_profiles_are_not_stored(cache: Path, data_file: Path) -> None:
    data_file.write_text(
        data_file.read_text().replace('reports_to = "director"', 'reports_to = "x"')
    )
    with pytest.raises(Exception, match="unknown role 'x'"):
        load_once(data_file)
    assert entries(cache) == []


def test_unversioned_checking_plugins_turn_caching_off(cache: Path, data_file: Path) -> None:
    load_once(data_file, Checks())
    assert entries(cache) == []


def test_an_empty_setting_turns_the_cache_off(
    tmp_path: Path, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(profile_cache.ENV_CACHE_DIR, "")
    assert profile_cache.cache_dir() is None
    load_once(data_file)
    assert not list(tmp_path.rglob("*.pickle"))


def test_an_unwritable_cache_is_ignored(
    tmp_path: Path, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv(profile_cache.ENV_CACHE_DIR, str(blocker / "cache"))
    assert load_once(data_file).id == "exampleshire"


def test_keys_depend_on_the_checkers() -> None:
    plain = profile_cache.cache_key(b"data", [])
    assert plain is not None
    assert profile_cache.cache_key(b"data", []) == plain
    assert profile_cache.cache_key(b"other", []) != plain
    assert profile_cache.cache_key(b"data", [("council", "1.0")]) != plain
    assert profile_cache.cache_key(b"data", [("council", None)]) is None


# -- only the user's own entries are unpickled ---------------------------------------------


class _Plant:
    """A pickle that runs code when loaded: it creates the file named."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def _planted(cache: Path, data_file: Path, tmp_path: Path) -> tuple[str, Path]:
    """The key the registry would read for ``data_file``, with a hostile entry under it."""
    load_once(data_file)
    (entry,) = entries(cache)
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Plant(marker)))
    return entry.stem, marker


pytestmark_posix = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file owners")


@pytestmark_posix
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_directory_others_can_write_is_not_read(
    cache: Path, data_file: Path, tmp_path: Path, mode: int
) -> None:
    key, marker = _planted(cache, data_file, tmp_path)
    cache.chmod(mode)
    assert profile_cache.load(key) is None
    assert not marker.exists()
    # Nor is anything written there.
    before = sorted(p.name for p in cache.iterdir())
    load_once(data_file)
    assert sorted(p.name for p in cache.iterdir()) == before
    # The same entry, in a directory only its owner writes, is read: the check is what
    # kept it out.
    cache.chmod(0o700)
    profile_cache.load(key)
    assert marker.exists()


@pytestmark_posix
def test_an_entry_others_can_write_is_not_read(
    cache: Path, data_file: Path, tmp_path: Path
) -> None:
    key, marker = _planted(cache, data_file, tmp_path)
    (cache / f"{key}.pickle").chmod(0o666)
    assert profile_cache.load(key) is None
    assert not marker.exists()


@pytestmark_posix
def test_a_linked_entry_is_not_read(cache: Path, data_file: Path, tmp_path: Path) -> None:
    load_once(data_file)
    (entry,) = entries(cache)
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(entry.read_bytes())
    elsewhere.chmod(0o600)
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert profile_cache.load(entry.stem) is None


@pytestmark_posix
def test_a_directory_of_another_user_is_not_read(
    cache: Path, data_file: Path, tmp_path: Path
) -> None:
    key, marker = _planted(cache, data_file, tmp_path)
    try:
        os.chown(cache, 65534, -1)  # nobody
    except PermissionError:
        pytest.skip("changing a directory's owner needs root")
    try:
        assert profile_cache.load(key) is None
        assert not marker.exists()
    finally:
        os.chown(cache, os.getuid(), -1)


# -- the cache is bounded --------------------------------------------------------------------


def test_entries_unused_too_long_are_removed(cache: Path, data_file: Path) -> None:
    profile = load_once(data_file)
    (current,) = entries(cache)
    header = {"id": "exampleshire"}
    stale = time.time() - (profile_cache.MAX_AGE_DAYS + 1) * 86_400
    for number in range(3):
        profile_cache.store(f"old{number}", header, profile)
        os.utime(cache / f"old{number}.pickle", (stale, stale))
    profile_cache.store("recent", header, profile)
    assert sorted(p.stem for p in entries(cache)) == sorted([current.stem, "recent"])


def test_past_the_limit_the_least_recently_used_go(
    cache: Path, example_profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = example_profile
    header = {"id": "exampleshire"}
    start = time.time() - 1000
    for number in range(6):
        profile_cache.store(f"k{number}", header, profile)
        os.utime(cache / f"k{number}.pickle", (start + number, start + number))
    monkeypatch.setattr(profile_cache, "MAX_ENTRIES", 4)
    # Reading k1 marks it used: it outlives the entries written after it.
    assert profile_cache.load("k1") is not None
    profile_cache.store("k6", header, profile)
    assert sorted(p.stem for p in entries(cache)) == ["k1", "k4", "k5", "k6"]
