"""The errors qaframework raises (``qaframework.errors``)."""

from __future__ import annotations

from datetime import date

from qaframework.errors import (
    NoVersionInForce,
    Problem,
    ProfileError,
    QAFrameworkError,
    UnknownProfile,
)


def test_problem_reads_as_path_and_message() -> None:
    assert str(Problem("$.roles[3].title", "required field missing")) == (
        "$.roles[3].title: required field missing"
    )
    assert sorted([Problem("$.b", "x"), Problem("$.a", "y")])[0].path == "$.a"


def test_profile_error_lists_every_problem() -> None:
    error = ProfileError("bolton/2026-01.toml", [Problem("$.a", "one"), Problem("$.b", "two")])
    assert isinstance(error, QAFrameworkError)
    assert str(error) == "bolton/2026-01.toml: 2 problems\n  $.a: one\n  $.b: two"
    assert error.problems == (Problem("$.a", "one"), Problem("$.b", "two"))
    assert str(ProfileError("x", [Problem("$", "bad")])) == "x: 1 problem\n  $: bad"


def test_unknown_profile_sorts_the_available_ids() -> None:
    error = UnknownProfile("wigan", ["telford", "bolton"])
    assert error.available == ("bolton", "telford")
    assert str(error) == "unknown profile 'wigan' (available: bolton, telford)"
    assert isinstance(error, LookupError)
    assert isinstance(error, QAFrameworkError)


def test_no_version_in_force_names_the_earliest_date() -> None:
    spans = [(date(2026, 9, 1), None), (date(2026, 2, 5), date(2026, 8, 31))]
    before = NoVersionInForce("bolton", date(2026, 1, 1), spans)
    assert str(before).endswith("the earliest version takes effect on 2026-02-05")
    later = NoVersionInForce("bolton", date(2030, 1, 1), [(date(2026, 2, 5), date(2026, 8, 31))])
    assert str(later).endswith("versions cover 2026-02-05 to 2026-08-31")
