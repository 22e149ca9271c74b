"""The validated profile and its calendar (``qaframework.policy.profile``)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.policy.cadence import Cadence
from qaframework.policy.profile import Occurrence, OccurrenceKind, Profile

APRIL, JUNE_END = date(2026, 4, 1), date(2026, 6, 30)


def test_label(example_profile: Profile) -> None:
    assert example_profile.label == "exampleshire 2026-01 (from 2026-01-05)"


def test_schedule_of_a_quarter(example_profile: Profile) -> None:
    schedule = example_profile.schedule(APRIL, JUNE_END)
    assert [(o.day, o.kind, o.ref) for o in schedule[:4]] == [
        (APRIL, OccurrenceKind.ACTIVITY, "case_file_audit"),
        (APRIL, OccurrenceKind.REPORT, "monthly_qa_report"),
        (APRIL, OccurrenceKind.FORUM, "qa_board"),
        (APRIL, OccurrenceKind.FORUM, "supervision"),
    ]
    assert len(schedule) == 12
    assert sorted({o.day for o in schedule}) == [APRIL, date(2026, 5, 1), date(2026, 6, 1)]
    audit = schedule[0]
    assert audit == Occurrence(
        APRIL,
        OccurrenceKind.ACTIVITY,
        "case_file_audit",
        "Case file audit",
        "P1M",
        ("Team Manager", "Head of Service"),
        "1 audit per Team Manager per month",
    )
    assert schedule[1].who == ("Quality Assurance Manager",)
    assert schedule[2].who == ("Director of Children's Services",)
    assert schedule[3].who == ()


def test_the_calendar_says_how_many_each_role_owes(example_profile: Profile) -> None:
    observations = attrs.evolve(
        example_profile.activity("practice_observations"), cadence=Cadence.periodic("P1M")
    )
    profile = attrs.evolve(example_profile, activities=(observations,))
    (first, *_) = profile.schedule(APRIL, JUNE_END, kinds=[OccurrenceKind.ACTIVITY])
    assert first.how_many == (
        "2 observations per Team Manager per month and 1 observation per Head of Service per month"
    )


def test_activities_without_dates_are_unscheduled(example_profile: Profile) -> None:
    refs = {o.ref for o in example_profile.schedule(date(2026, 1, 1), date(2027, 12, 31))}
    unscheduled = {a.id for a in example_profile.unscheduled()}
    assert unscheduled == {
        "transfer_audit",
        "feedback",
        "practice_observations",
        "thematic_audit",
        "closure_check",
        "panel_review",
        "light_audit",
    }
    assert not refs & unscheduled
    assert "case_file_audit" in refs


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ([OccurrenceKind.FORUM], {"qa_board", "supervision"}),
        ([OccurrenceKind.REPORT], {"monthly_qa_report"}),
        (
            [OccurrenceKind.ACTIVITY, OccurrenceKind.REPORT],
            {"case_file_audit", "monthly_qa_report"},
        ),
        ([], set()),
    ],
)
def test_schedule_kinds_filter(
    example_profile: Profile, kinds: list[OccurrenceKind], expected: set[str]
) -> None:
    schedule = example_profile.schedule(APRIL, JUNE_END, kinds=kinds)
    assert {o.ref for o in schedule} == expected
    assert {o.kind for o in schedule} <= set(kinds)


def test_empty_and_reversed_windows(example_profile: Profile) -> None:
    assert example_profile.schedule(date(2026, 4, 2), date(2026, 4, 30)) == ()
    assert example_profile.schedule(JUNE_END, APRIL) == ()


def test_an_activity_anchor_overrides_the_profile_anchor(example_profile: Profile) -> None:
    audit = attrs.evolve(
        example_profile.activities[0], cadence=Cadence.periodic("P6W"), anchor=date(2026, 4, 15)
    )
    profile = attrs.evolve(example_profile, activities=(audit,))
    days = [o.day for o in profile.schedule(APRIL, JUNE_END, kinds=[OccurrenceKind.ACTIVITY])]
    assert days == [date(2026, 4, 15), date(2026, 5, 27)]


@given(
    start=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    length=st.integers(0, 400),
)
def test_schedule_is_sorted_and_inside_the_window(
    example_profile: Profile, start: date, length: int
) -> None:
    # ``example_profile`` is session-scoped, so Hypothesis may reuse it across examples.
    profile = example_profile
    end = date.fromordinal(start.toordinal() + length)
    schedule = profile.schedule(start, end)
    assert [o.sort_key() for o in schedule] == sorted(o.sort_key() for o in schedule)
    assert all(start <= o.day <= end for o in schedule)
    assert len({(o.day, o.kind, o.ref) for o in schedule}) == len(schedule)
    # Monthly cadences from 1 April: every entry falls on the first of a month.
    assert all(o.day.day == 1 for o in schedule)


def test_management_chain(example_profile: Profile) -> None:
    chain = example_profile.management_chain("social_worker")
    assert [r.id for r in chain] == ["team_manager", "head_of_service", "director"]
    assert [r.id for r in example_profile.management_chain("qa_manager")] == [
        "head_of_service",
        "director",
    ]
    assert example_profile.management_chain("director") == ()


def test_management_chain_stops_at_a_loop(example_profile: Profile) -> None:
    roles = tuple(
        attrs.evolve(r, reports_to="social_worker") if r.id == "director" else r
        for r in example_profile.roles
    )
    looped = attrs.evolve(example_profile, roles=roles)
    chain = looped.management_chain("team_manager")
    assert [r.id for r in chain] == ["head_of_service", "director", "social_worker"]


def test_management_chain_of_an_unknown_role(example_profile: Profile) -> None:
    with pytest.raises(KeyError, match="no role 'area_manager'"):
        example_profile.management_chain("area_manager")


def test_lookups(example_profile: Profile) -> None:
    assert example_profile.role("team_manager").title == "Team Manager"
    assert example_profile.standard("planning").title == "Planning"
    assert example_profile.forum("qa_board").chair == "director"
    assert example_profile.reporting_line("monthly_qa_report").to_forums == ("qa_board",)
    assert example_profile.activity("feedback").cadence == Cadence.ongoing()
    assert example_profile.source("qaf").approved == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("method", "noun", "known"),
    [
        ("role", "role", "social_worker, team_manager, head_of_service, director, qa_manager"),
        ("standard", "standard", "assessment, planning"),
        ("forum", "forum", "qa_board, supervision"),
        ("reporting_line", "reporting line", "monthly_qa_report"),
        (
            "activity",
            "activity",
            "case_file_audit, transfer_audit, feedback, practice_observations, thematic_audit, "
            "closure_check, panel_review, light_audit",
        ),
        ("source", "source", "qaf"),
        ("case_field", "case field", "placement_type"),
    ],
)
def test_unknown_ids_raise_key_error_naming_known_ids(
    example_profile: Profile, method: str, noun: str, known: str
) -> None:
    with pytest.raises(KeyError) as caught:
        getattr(example_profile, method)("missing")
    assert caught.value.args[0] == (
        f"profile 'exampleshire' has no {noun} 'missing' (known: {known})"
    )


def test_role_titles(example_profile: Profile) -> None:
    assert example_profile.role_titles(["director", "social_worker"]) == (
        "Director of Children's Services",
        "Social Worker",
    )
    assert example_profile.role_titles([]) == ()
    with pytest.raises(KeyError, match="no role 'mayor'"):
        example_profile.role_titles(["director", "mayor"])


def test_activities_reported_to(example_profile: Profile) -> None:
    reported = example_profile.activities_reported_to("qa_board")
    assert [a.id for a in reported] == [
        "case_file_audit",
        "feedback",
        "practice_observations",
        "thematic_audit",
        "closure_check",
        "panel_review",
        "light_audit",
    ]
    assert example_profile.activities_reported_to("supervision") == ()
    assert example_profile.activities_reported_to("nowhere") == ()


def test_profiles_are_values(example_profile: Profile) -> None:
    copy = attrs.evolve(example_profile)
    assert copy == example_profile
    assert attrs.evolve(example_profile, version="2026-02") != example_profile
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        example_profile.version = "x"  # type: ignore[misc]
