"""Plugin discovery does not read every installed distribution's metadata on each start.

The entry points found are kept under a key made of ``sys.path`` and its directories'
status (:mod:`qaframework.profiles.discovery`); a start with nothing installed or removed
reads that index, and installing a distribution (a new ``.dist-info`` directory) is seen.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from qaframework.profiles import discovery
from qaframework.profiles.plugins import ENV_ALLOW_LIST, list_plugins, plugins_for_tests

COUNCILS = {"bolton", "manchester", "swindon", "telford"}
LONG_AGO = 1_600_000_000
# Imported here, since the tests below give sys.path one directory of their own.
_LAZY = (importlib.metadata, json, pickle, tempfile)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("QAFRAMEWORK_CACHE_DIR", str(directory))
    monkeypatch.delenv(ENV_ALLOW_LIST, raising=False)
    return directory


@pytest.fixture
def metadata_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file read from a distribution's metadata directory."""
    from importlib.metadata import PathDistribution

    reads: list[str] = []
    real = PathDistribution.read_text

    def counted(self: Any, filename: str) -> str | None:
        reads.append(filename)
        return real(self, filename)

    monkeypatch.setattr(PathDistribution, "read_text", counted)
    return reads


def plugin_names() -> set[str]:
    return {info.name for info in list_plugins()}


def settled(directory: Path) -> None:
    """Date ``directory`` as if it last changed long ago (installed before this run)."""
    os.utime(directory, (LONG_AGO, LONG_AGO))


def test_a_start_with_nothing_changed_reads_no_distribution_metadata(
    cache: Path, metadata_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test run's own sys.path (with this tree's directories, which tests may touch)
    # stands as it is for both starts.
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p and os.path.isdir(p)])
    for entry in sys.path:
        if os.stat(entry).st_mtime > discovery.time.time() - discovery.SETTLE_SECONDS:
            pytest.skip(f"{entry} changed in the last seconds")
    with plugins_for_tests(load_entry_points=True):
        first = plugin_names()
    assert first >= COUNCILS
    assert "entry_points.txt" in metadata_reads
    metadata_reads.clear()
    with plugins_for_tests(load_entry_points=True):
        again = {info.name: (info.distribution, info.version) for info in list_plugins()}
    assert set(again) == first
    assert metadata_reads == []
    from importlib.metadata import version

    assert again["bolton"] == ("qaframework-bolton", version("qaframework-bolton"))


def _distribution(site: Path, name: str, module: str) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[qaframework]\n{name} = {module}:plugin\n")


def test_a_distribution_installed_since_is_found(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "first-council", "first_council")
    settled(site)
    monkeypatch.setattr(sys, "path", [str(site)])
    assert [ep.name for ep in discovery.find_entry_points("qaframework")] == ["first-council"]
    assert list(cache.glob("*.entry-points.json"))
    assert [ep.name for ep in discovery.find_entry_points("qaframework")] == ["first-council"]
    _distribution(site, "second-council", "second_council")
    found = discovery.find_entry_points("qaframework")
    assert [(ep.name, ep.value, ep.distribution, ep.version) for ep in found] == [
        ("first-council", "first_council:plugin", "first-council", "1.0"),
        ("second-council", "second_council:plugin", "second-council", "1.0"),
    ]


def test_no_index_is_kept_while_a_directory_has_just_changed(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "first-council", "first_council")
    monkeypatch.setattr(sys, "path", [str(site)])
    assert [ep.name for ep in discovery.find_entry_points("qaframework")] == ["first-council"]
    assert not list(cache.glob("*.entry-points.json"))


def test_an_index_others_could_write_is_not_read(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "first-council", "first_council")
    settled(site)
    monkeypatch.setattr(sys, "path", [str(site)])
    discovery.find_entry_points("qaframework")
    (index,) = cache.glob("*.entry-points.json")
    planted = (
        '{"format": "qaframework-entry-points-1", "entry_points": [["x", "os:system", null, null]]}'
    )
    index.write_text(planted)
    assert [ep.name for ep in discovery.find_entry_points("qaframework")] == ["x"]
    cache.chmod(0o777)
    assert [ep.name for ep in discovery.find_entry_points("qaframework")] == ["first-council"]


def test_without_a_cache_every_start_scans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAFRAMEWORK_CACHE_DIR", "")
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "first-council", "first_council")
    settled(site)
    monkeypatch.setattr(sys, "path", [str(site)])
    assert [ep.name for ep in discovery.find_entry_points("qaframework")] == ["first-council"]
    assert not list(tmp_path.rglob("*.entry-points.json"))
