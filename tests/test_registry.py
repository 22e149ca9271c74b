"""Finding profiles by id and date (``qaframework.profiles.registry``)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from qaframework import hookimpl
from qaframework.errors import NoVersionInForce, Problem, ProfileError, UnknownProfile
from qaframework.policy.profile import CORE_BEHAVIOUR, Profile
from qaframework.profiles.converter import to_dict
from qaframework.profiles.plugins import (
    PluginBehaviour,
    plugins_for_tests,
    register_plugin,
    unregister_plugin,
)
from qaframework.profiles.registry import (
    available_profiles,
    get_registry,
    load_profile,
    read_profile_file,
)

Document = dict[str, Any]


class Registers:
    """A council plugin registering the sources it is given."""

    def __init__(self, *sources: Any) -> None:
        self.sources = sources

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        for source in self.sources:
            register(source)


class Objects:
    """A plugin that finds something wrong with every profile (a global plugin)."""

    qaframework_global = True

    def __init__(self, found: list[Problem] | None) -> None:
        self.found = found

    @hookimpl
    def validate_profile(self, profile: Profile) -> list[Problem] | None:
        return self.found


@pytest.fixture
def versioned(example_document: Document) -> Callable[..., Document]:
    """Make a version of the example profile with its own dates and version label."""

    def make(
        version: str, effective_from: date, effective_to: date | None = None, **changes: Any
    ) -> Document:
        document = copy.deepcopy(example_document)
        document.update(version=version, effective_from=effective_from, **changes)
        if effective_to is not None:
            document["effective_to"] = effective_to
        return document

    return make


@pytest.fixture
def two_versions(versioned: Callable[..., Document]) -> Iterator[None]:
    """exampleshire 2026-01 from 5 January 2026, 2026-09 from 1 September 2026."""
    plugin = Registers(
        versioned("2026-09", date(2026, 9, 1)),
        versioned("2026-01", date(2026, 1, 5)),
    )
    with plugins_for_tests(plugin):
        yield


@pytest.mark.usefixtures("two_versions")
def test_available_profiles() -> None:
    (info,) = available_profiles()
    assert info.id == "exampleshire"
    assert info.authority == "Exampleshire County Council"
    assert [v.version for v in info.versions] == ["2026-01", "2026-09"]
    first, second = info.versions
    assert (first.effective_from, first.in_force_to) == (date(2026, 1, 5), date(2026, 8, 31))
    assert (second.effective_from, second.in_force_to) == (date(2026, 9, 1), None)
    assert info.latest is second
    assert first.origin.endswith(":<mapping>")
    assert first.plugin == second.plugin
    assert first.name == "Exampleshire Children's Services Quality Assurance Framework"


@pytest.mark.usefixtures("two_versions")
def test_version_in_force() -> None:
    info = available_profiles()[0]
    assert info.version_on(date(2026, 1, 4)) is None
    assert info.version_on(date(2026, 1, 5)) is info.versions[0]
    assert info.version_on(date(2026, 8, 31)) is info.versions[0]
    assert info.version_on(date(2026, 9, 1)) is info.versions[1]
    assert info.versions[1].in_force_on(date(2099, 1, 1))


@pytest.mark.usefixtures("two_versions")
def test_load_the_latest_and_by_date() -> None:
    assert load_profile("exampleshire").version == "2026-09"
    assert load_profile("exampleshire", as_of=date(2026, 1, 5)).version == "2026-01"
    assert load_profile("exampleshire", as_of=date(2026, 8, 31)).version == "2026-01"
    assert load_profile("exampleshire", as_of=date(2026, 9, 1)).version == "2026-09"
    assert load_profile("exampleshire", as_of=date(2030, 1, 1)).version == "2026-09"


@pytest.mark.usefixtures("two_versions")
def test_loaded_versions_are_cached() -> None:
    assert load_profile("exampleshire") is load_profile("exampleshire", as_of=date(2026, 10, 1))
    versions = get_registry().load_all_versions("exampleshire")
    assert [p.version for p in versions] == ["2026-01", "2026-09"]
    assert versions[0] is load_profile("exampleshire", as_of=date(2026, 2, 1))


@pytest.mark.usefixtures("two_versions")
def test_before_the_earliest_version() -> None:
    with pytest.raises(NoVersionInForce) as caught:
        load_profile("exampleshire", as_of=date(2025, 12, 31))
    error = caught.value
    assert isinstance(error, LookupError)
    assert error.profile_id == "exampleshire"
    assert error.as_of == date(2025, 12, 31)
    assert str(error) == (
        "profile 'exampleshire' has no version in force on 2025-12-31: "
        "the earliest version takes effect on 2026-01-05"
    )
    assert error.spans == ((date(2026, 1, 5), date(2026, 8, 31)), (date(2026, 9, 1), None))


def test_a_gap_between_versions(versioned: Callable[..., Document]) -> None:
    plugin = Registers(
        versioned("2026-01", date(2026, 1, 5), effective_to=date(2026, 6, 30)),
        versioned("2026-09", date(2026, 9, 1)),
    )
    with plugins_for_tests(plugin):
        assert load_profile("exampleshire", as_of=date(2026, 6, 30)).version == "2026-01"
        with pytest.raises(NoVersionInForce) as caught:
            load_profile("exampleshire", as_of=date(2026, 7, 15))
        assert str(caught.value) == (
            "profile 'exampleshire' has no version in force on 2026-07-15: "
            "versions cover 2026-01-05 to 2026-06-30; 2026-09-01 to now"
        )
        assert load_profile("exampleshire", as_of=date(2026, 9, 1)).version == "2026-09"


def test_after_the_last_version_ends(versioned: Callable[..., Document]) -> None:
    plugin = Registers(versioned("2026-01", date(2026, 1, 5), effective_to=date(2026, 12, 31)))
    with plugins_for_tests(plugin):
        assert available_profiles()[0].latest.in_force_to == date(2026, 12, 31)
        with pytest.raises(NoVersionInForce, match="versions cover 2026-01-05 to 2026-12-31"):
            load_profile("exampleshire", as_of=date(2027, 1, 1))
        # Without a date, the latest version is loaded even when it has run out.
        assert load_profile("exampleshire").effective_to == date(2026, 12, 31)


def test_an_unknown_profile_lists_the_available_ones(versioned: Callable[..., Document]) -> None:
    other = versioned("2026-01", date(2026, 1, 5), id="otherplace")
    with plugins_for_tests(Registers(versioned("2026-01", date(2026, 1, 5)), other)):
        with pytest.raises(UnknownProfile) as caught:
            load_profile("nowhere")
        assert isinstance(caught.value, LookupError)
        assert caught.value.available == ("exampleshire", "otherplace")
        assert str(caught.value) == (
            "unknown profile 'nowhere' (available: exampleshire, otherplace)"
        )
        assert [info.id for info in available_profiles()] == ["exampleshire", "otherplace"]


def test_no_profiles_installed() -> None:
    with plugins_for_tests():
        assert available_profiles() == ()
        with pytest.raises(UnknownProfile, match=r"\(available: none installed\)"):
            load_profile("exampleshire")


def test_two_versions_on_the_same_day(versioned: Callable[..., Document]) -> None:
    plugin = Registers(
        versioned("2026-01", date(2026, 1, 5)), versioned("2026-01b", date(2026, 1, 5))
    )
    with plugins_for_tests(plugin):
        with pytest.raises(ProfileError) as caught:
            load_profile("exampleshire")
        (problem,) = caught.value.problems
        assert problem.path == "$.effective_from"
        assert problem.message.endswith("both take effect on 2026-01-05")
        assert caught.value.source == "profile 'exampleshire'"
        with pytest.raises(ProfileError):
            load_profile("exampleshire", as_of=date(2026, 2, 1))


def test_overlapping_versions(versioned: Callable[..., Document]) -> None:
    plugin = Registers(
        versioned("2026-01", date(2026, 1, 5), effective_to=date(2026, 9, 30)),
        versioned("2026-09", date(2026, 9, 1)),
    )
    with plugins_for_tests(plugin):
        with pytest.raises(ProfileError) as caught:
            load_profile("exampleshire", as_of=date(2026, 3, 1))
        (problem,) = caught.value.problems
        assert problem.path == "$.effective_to"
        assert "runs to 2026-09-30, overlapping" in problem.message
        assert problem.message.endswith("from 2026-09-01")


def test_a_version_that_ends_the_day_before_the_next_is_fine(
    versioned: Callable[..., Document],
) -> None:
    plugin = Registers(
        versioned("2026-01", date(2026, 1, 5), effective_to=date(2026, 8, 31)),
        versioned("2026-09", date(2026, 9, 1)),
    )
    with plugins_for_tests(plugin):
        assert load_profile("exampleshire", as_of=date(2026, 8, 31)).version == "2026-01"


def test_invalid_data_is_reported_when_loaded(versioned: Callable[..., Document]) -> None:
    broken = versioned("2026-01", date(2026, 1, 5))
    broken["roles"][0]["generic"] = "boss"
    with plugins_for_tests(Registers(broken)):
        assert available_profiles()[0].id == "exampleshire"
        with pytest.raises(ProfileError) as caught:
            load_profile("exampleshire")
        assert caught.value.source.endswith(":<mapping>")
        assert [p.path for p in caught.value.problems] == ["$.roles[0].generic"]


def test_plugin_validation_problems_are_reported(
    versioned: Callable[..., Document], example_profile: Profile
) -> None:
    found = [Problem("$.activities", "every council audits supervision")]
    with plugins_for_tests(Registers(versioned("2026-01", date(2026, 1, 5))), Objects(found)):
        with pytest.raises(ProfileError) as caught:
            load_profile("exampleshire")
        assert caught.value.problems == tuple(found)
    with plugins_for_tests(Registers(example_profile), Objects(found)):
        with pytest.raises(ProfileError) as caught:
            load_profile("exampleshire")
        assert caught.value.problems == tuple(found)
    with plugins_for_tests(Registers(versioned("2026-01", date(2026, 1, 5))), Objects(None)):
        assert load_profile("exampleshire").id == "exampleshire"


def test_registering_a_built_profile(example_profile: Profile) -> None:
    with plugins_for_tests(Registers(example_profile)):
        (info,) = available_profiles()
        assert info.latest.version == "2026-01"
        assert info.latest.origin.endswith(":exampleshire")
        loaded = load_profile("exampleshire")
        assert loaded == example_profile
        assert load_profile("exampleshire", as_of=date(2026, 1, 5)) is loaded
        # The plugin that registered it answers its logic rules.
        assert loaded.behaviour == PluginBehaviour(info.latest.plugin)
        assert example_profile.behaviour == PluginBehaviour(None)  # built from data
        assert attrs.evolve(example_profile, behaviour=CORE_BEHAVIOUR) == loaded


def test_registering_files(tmp_path: Path, example_path: Path, example_profile: Profile) -> None:
    toml_file = tmp_path / "2026-01.toml"
    toml_file.write_bytes(example_path.read_bytes())
    data = to_dict(example_profile) | {"version": "2026-09", "effective_from": "2026-09-01"}
    json_file = tmp_path / "2026-09.json"
    json_file.write_text(json.dumps(data), encoding="utf-8")
    with plugins_for_tests(Registers(toml_file, json_file)):
        assert get_registry().registration_errors == ()
        (info,) = available_profiles()
        assert [v.origin for v in info.versions] == [str(toml_file), str(json_file)]
        assert load_profile("exampleshire", as_of=date(2026, 2, 1)) == example_profile
        assert load_profile("exampleshire").effective_from == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.toml", b"id = [", "cannot parse the file: Invalid value at line 1, column 7"),
        ("broken.json", b"{", "cannot parse the file: Expecting property name"),
        ("list.json", b"[1, 2]", "cannot parse the file: the document is not a JSON object"),
        ("latin1.toml", 'id = "Café"'.encode("latin-1"), "cannot read the file"),
        ("profile.yaml", b"id: x", "a profile file ends in .toml or .json"),
        ("missing.toml", None, "cannot read the file"),
    ],
)
def test_unreadable_files_are_registration_errors(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with plugins_for_tests(Registers(path)):
        assert available_profiles() == ()
        (error,) = get_registry().registration_errors
        assert error.source == str(path)
        (problem,) = error.problems
        # A syntax error is placed at its line and column; other failures at the whole file.
        assert problem.path == ("line 1, column" if name.startswith("broken") else "$") or (
            name.startswith("broken") and problem.path.startswith("line 1, column ")
        )
        assert problem.message.startswith(message)
    with pytest.raises(ProfileError, match=message):
        read_profile_file(path)


def test_files_without_a_header_are_registration_errors(
    tmp_path: Path, versioned: Callable[..., Document]
) -> None:
    path = tmp_path / "header.json"
    path.write_text(json.dumps({"id": 7, "version": "1", "effective_from": "soon"}))
    mapping = versioned("2026-01", date(2026, 1, 5))
    del mapping["authority"]
    with plugins_for_tests(Registers(path, mapping)):
        assert available_profiles() == ()
        first, second = get_registry().registration_errors
        assert first.source == str(path)
        assert first.problems == (
            Problem("$.id", "required, and must be a string"),
            Problem("$.authority", "required, and must be a string"),
            Problem("$.name", "required, and must be a string"),
            Problem("$.effective_from", "required, and must be an ISO date"),
        )
        assert second.source.endswith(":<mapping>")
        assert second.problems == (Problem("$.authority", "required, and must be a string"),)


def test_the_registry_follows_the_registered_plugins(
    versioned: Callable[..., Document],
) -> None:
    with plugins_for_tests():
        empty = get_registry()
        assert available_profiles() == ()
        assert get_registry() is empty
        name = register_plugin(Registers(versioned("2026-01", date(2026, 1, 5))))
        filled = get_registry()
        assert filled is not empty
        assert [info.id for info in available_profiles()] == ["exampleshire"]
        assert load_profile("exampleshire").version == "2026-01"
        unregister_plugin(name)
        assert get_registry() is not filled
        assert available_profiles() == ()
    with plugins_for_tests(Registers(versioned("2026-01", date(2026, 1, 5)))):
        assert get_registry() is not filled


class Fails:
    """A plugin whose registration raises."""

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        raise FileNotFoundError("data folder missing")


def test_a_failing_plugin_does_not_hide_the_others(example_document: Document) -> None:
    with plugins_for_tests(Fails(), Registers(example_document)):
        assert [info.id for info in available_profiles()] == ["exampleshire"]
        (error,) = get_registry().registration_errors
        assert "register_profiles failed: FileNotFoundError: data folder missing" in str(error)
