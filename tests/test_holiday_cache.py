"""Bank holidays kept in the profile cache: a new process reads a year's days without
importing the ``holidays`` package (which imports every country), the days the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaframework.engine.escalation import working_calendar_for
from qaframework.policy import workdays
from qaframework.profiles import cache as profile_cache
from qaframework.profiles.registry import load_profile

posix = pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners are POSIX's")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(profile_cache.ENV_CACHE_DIR, str(directory))
    return directory


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.holidays.json")) if directory.exists() else []


def package_days(year: int) -> dict[date, str]:
    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {day: str(name) for day, name in found.items()}


@settings(max_examples=25, deadline=None)
@given(st.integers(1990, 2100))
def test_the_days_are_the_holidays_packages_stored_or_read(year: int) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        mock.patch.dict(os.environ, {profile_cache.ENV_CACHE_DIR: folder}),
    ):
        assert profile_cache.bank_holidays("GB", "ENG", year) == package_days(year)  # stored
        assert entries(Path(folder))
        assert profile_cache.bank_holidays("GB", "ENG", year) == package_days(year)  # read


def test_a_year_is_stored_once_owner_only_and_read_back(cache: Path) -> None:
    days = profile_cache.bank_holidays("GB", "ENG", 2026)
    assert days == package_days(2026)
    assert date(2026, 5, 4) in days
    (entry,) = entries(cache)
    if hasattr(os, "getuid"):
        assert entry.stat().st_mode & 0o077 == 0
    assert profile_cache.bank_holidays("GB", "ENG", 2026) == days
    assert entries(cache) == [entry]


def test_a_new_process_reads_them_without_importing_holidays(cache: Path) -> None:
    program = (
        "import sys\n"
        "from datetime import date\n"
        "from qaframework.profiles.registry import load_profile\n"
        "from qaframework.engine.escalation import working_calendar_for\n"
        "calendar = working_calendar_for(load_profile('bolton', as_of=date(2026, 5, 1)))\n"
        "print(calendar.add_working_days(date(2026, 5, 1), 1), 'holidays' in sys.modules)\n"
    )
    env = {**os.environ, profile_cache.ENV_CACHE_DIR: str(cache)}
    first = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True)
    second = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True)
    assert first.stdout.decode().split() == ["2026-05-05", "True"]  # 4 May: a bank holiday
    assert second.stdout.decode().split() == ["2026-05-05", "False"]


def test_councils_calendars_keep_their_days_in_the_cache() -> None:
    calendar = working_calendar_for(load_profile("swindon", as_of=date(2026, 5, 1)))
    assert calendar.holidays_source is profile_cache.bank_holidays
    assert calendar == workdays.england_and_wales()


def test_a_broken_or_foreign_entry_is_a_miss_and_written_again(cache: Path) -> None:
    days = profile_cache.bank_holidays("GB", "ENG", 2027)
    (entry,) = entries(cache)
    entry.write_text("{not json", encoding="utf-8")
    assert profile_cache.bank_holidays("GB", "ENG", 2027) == days
    assert json.loads(entry.read_text(encoding="utf-8"))["days"]
    # An entry answering another question (another year's file under this name) is a miss.
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["question"] = data["question"].replace("2027", "2028")
    data["days"] = [["2027-12-25", "Not Christmas"]]
    entry.write_text(json.dumps(data), encoding="utf-8")
    entry.chmod(0o600)
    assert profile_cache.bank_holidays("GB", "ENG", 2027) == days


def _plant(entry: Path) -> None:
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["days"] = [["2029-01-02", "Planted"]]
    entry.write_text(json.dumps(data), encoding="utf-8")
    entry.chmod(0o600)


@posix
def test_an_entry_or_directory_others_can_write_is_not_read(cache: Path) -> None:
    days = profile_cache.bank_holidays("GB", "ENG", 2029)
    (entry,) = entries(cache)
    _plant(entry)
    entry.chmod(0o666)
    assert profile_cache.bank_holidays("GB", "ENG", 2029) == days  # not read: written again
    assert entry.stat().st_mode & 0o077 == 0
    _plant(entry)
    cache.chmod(0o777)
    try:
        assert profile_cache.bank_holidays("GB", "ENG", 2029) == days  # not read, not written
    finally:
        cache.chmod(0o700)
    # The same entry in the user's own directory is read: the checks are what kept it out.
    assert profile_cache.bank_holidays("GB", "ENG", 2029) == {date(2029, 1, 2): "Planted"}


def test_without_a_cache_the_days_are_worked_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(profile_cache.ENV_CACHE_DIR, "")
    assert profile_cache.bank_holidays("GB", "ENG", 2026) == package_days(2026)
