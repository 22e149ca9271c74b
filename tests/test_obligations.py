"""Obligations due (``qaframework.engine.obligations``): the four councils' per-subject quotas.

Seed behaviours pinned here with the real profiles and small hand-made logs: Bolton observes
every supervisee at least once a year (rolling from the last observation); Swindon gives
every child a supervision discussion / management oversight at least monthly; Manchester's
Team Managers each complete one file audit and one direct observation a month (calendar
months); Telford holds care planning meetings every six weeks until a plan of permanence,
then at least once between reviews.
"""

from __future__ import annotations

import functools
import random
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qaframework
from qaframework.engine.obligations import (
    DEFAULT_WARNING,
    Obligation,
    ObligationError,
    ObligationStatus,
    SubjectObligation,
    WindowKind,
    obligations,
    obligations_due,
)
from qaframework.errors import ProfileError, QAFrameworkError
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.profile import Profile
from qaframework.profiles.converter import to_dict
from qaframework.profiles.validation import profile_from_data

OK, DUE, OVERDUE = ObligationStatus.OK, ObligationStatus.DUE, ObligationStatus.OVERDUE
EXAMPLE = Path(__file__).parent / "data" / "exampleshire.toml"


@attrs.frozen
class Entry:
    """A line of a log of completed activities (the shape ``obligations_due`` reads)."""

    activity: str
    subject: str
    on: date
    role: str | None = None
    event: str | None = None


@functools.cache
def example() -> Profile:
    """The example council of ``tests/data/exampleshire.toml``."""
    with EXAMPLE.open("rb") as file:
        return profile_from_data(tomllib.load(file), str(EXAMPLE))


@functools.cache
def council(profile_id: str) -> Profile:
    """The version of a council's profile in force on 1 June 2026."""
    return qaframework.load_profile(profile_id, as_of=date(2026, 6, 1))


def with_quota_period(profile: Profile, activity_id: str, period: IsoDuration) -> Profile:
    """``profile`` with one activity's quota period changed: a council's data, varied."""
    activity = profile.activity(activity_id)
    assert activity.quota is not None
    changed = attrs.evolve(activity, quota=attrs.evolve(activity.quota, period=period))
    return attrs.evolve(
        profile, activities=tuple(changed if a.id == activity_id else a for a in profile.activities)
    )


@functools.cache
def variant(key: str) -> Profile:
    """A council's profile, Telford's with six months as the longest time between reviews, or
    the example council (whose obligations include a quota held by several roles and
    per-case event cadences)."""
    if key == "exampleshire":
        return example()
    if key == "telford_capped":
        return with_quota_period(
            council("telford"), "care_planning_meetings_after_permanence", IsoDuration(months=6)
        )
    return council(key)


def standing(
    profile: Profile, log: list[Entry], as_of: date, activity: str, **kwargs: Any
) -> dict[str, tuple[ObligationStatus, date | None, date | None]]:
    """Subject -> (status, last done, due by) for one activity's obligation."""
    return {
        s.subject: (s.status, s.last_done, s.due_by)
        for s in obligations_due(profile, log, as_of=as_of, **kwargs)
        if s.activity == activity
    }


# -- which quotas are obligations ------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile_id", "expected"),
    [
        (
            "bolton",
            [
                ("practice_observations", "supervisee", WindowKind.ROLLING, "P1Y"),
                ("case_supervision", "supervisee", WindowKind.ROLLING, "P1M"),
                ("personal_reflective_supervision", "supervisee", WindowKind.ROLLING, "P2M"),
            ],
        ),
        (
            "swindon",
            [
                ("family_safeguarding_group_supervision", "family", WindowKind.ROLLING, "P1M"),
                ("management_oversight", "child", WindowKind.ROLLING, "P1M"),
            ],
        ),
        (
            "manchester",
            [
                ("file_audit", "team_manager", WindowKind.CYCLE, "P1M"),
                ("file_audit_moderation", "team_manager", WindowKind.CYCLE, "P1M"),
                ("direct_observations_team_managers", "team_manager", WindowKind.CYCLE, "P1M"),
                ("children_family_feedback", "team_manager", WindowKind.CYCLE, "P1M"),
            ],
        ),
        (
            "telford",
            [
                ("family_feedback_on_audit", "audit", WindowKind.BETWEEN_EVENTS, "None"),
                ("lead_agency_feedback_on_audit", "audit", WindowKind.BETWEEN_EVENTS, "None"),
                ("qa_day", "practitioner", WindowKind.CYCLE, "P6M"),
                ("qa_day", "senior_practitioner", WindowKind.CYCLE, "P6M"),
                ("care_planning_meetings", "child", WindowKind.ROLLING, "P6W"),
                (
                    "care_planning_meetings_after_permanence",
                    "child",
                    WindowKind.BETWEEN_EVENTS,
                    "None",
                ),
            ],
        ),
    ],
)
def test_obligations_come_from_the_profiles_quotas(
    profile_id: str, expected: list[tuple[str, str, WindowKind, str]]
) -> None:
    found = [
        (o.activity, o.owed_per, o.window, str(o.period)) for o in obligations(council(profile_id))
    ]
    assert found == expected


def test_planning_figures_are_not_obligations() -> None:
    # Manchester's dip sample is "e.g. 40 cases" and its reports have no subject.
    owed = {o.activity for o in obligations(council("manchester"))}
    assert not owed & {"dip_sampling", "locality_overview_assurance_report"}


def test_cycle_periods_count_from_the_schedule_anchor() -> None:
    (audit,) = [o for o in obligations(council("manchester")) if o.activity == "file_audit"]
    assert audit.anchor == date(2020, 4, 1)
    assert (
        audit.describe("Team Manager") == "1 audit per Team Manager, in each month from 2020-04-01"
    )


def test_obligations_describe_themselves() -> None:
    bolton = {o.activity: o for o in obligations(council("bolton"))}
    assert bolton["practice_observations"].describe() == (
        "at least 1 observation per supervisee, within 1 year of the last"
    )
    swindon = {o.activity: o for o in obligations(council("swindon"))}
    assert swindon["management_oversight"].describe() == (
        "at least 1 supervision discussion per child, within 1 month of the last"
    )


# -- Bolton: every supervisee directly observed at least once a year --------------------------


def test_bolton_observation_is_due_a_year_after_the_last_not_by_financial_year() -> None:
    bolton = council("bolton")
    # Observed on the first day of 2026-27: due by 1 April 2027, not the end of 2027-28.
    log = [Entry("practice_observations", "S1", date(2026, 4, 1), role="advanced_practitioner")]
    assert standing(bolton, log, date(2027, 3, 17), "practice_observations") == {
        "S1": (OK, date(2026, 4, 1), date(2027, 4, 1))
    }
    assert standing(bolton, log, date(2027, 3, 18), "practice_observations")["S1"][0] is DUE
    assert standing(bolton, log, date(2027, 4, 1), "practice_observations")["S1"][0] is DUE
    assert standing(bolton, log, date(2027, 4, 2), "practice_observations")["S1"][0] is OVERDUE


def test_bolton_observation_at_the_financial_year_end() -> None:
    bolton = council("bolton")
    log = [
        Entry("practice_observations", "S2", date(2025, 11, 3), role="team_manager"),
        Entry("practice_observations", "S2", date(2026, 3, 31), role="team_manager"),
    ]
    assert standing(bolton, log, date(2027, 3, 31), "practice_observations") == {
        "S2": (DUE, date(2026, 3, 31), date(2027, 3, 31))
    }
    assert standing(bolton, log, date(2027, 4, 1), "practice_observations")["S2"][0] is OVERDUE


def test_bolton_counts_the_first_year_from_the_versions_first_day() -> None:
    # The 2026 framework took effect on 5 February 2026: a supervisee last observed in
    # October 2025 is due, as one never observed, a year after that day.
    bolton = council("bolton")
    log = [Entry("practice_observations", "S3", date(2025, 10, 1))]
    assert standing(bolton, log, date(2026, 10, 2), "practice_observations") == {
        "S3": (OK, date(2025, 10, 1), date(2027, 2, 5))
    }
    # Under the version in force before it (until April 2025), the same observation was
    # due a year later.
    older = qaframework.load_profile("bolton", as_of=date(2022, 6, 1))
    log = [Entry("staff_observation", "S3", date(2022, 10, 1))]
    assert standing(older, log, date(2023, 10, 2), "staff_observation") == {
        "S3": (OVERDUE, date(2022, 10, 1), date(2023, 10, 1))
    }


def test_bolton_supervisees_never_observed_are_due_a_year_from_the_start() -> None:
    bolton = council("bolton")
    roster = {"supervisee": ["S4"]}
    assert standing(bolton, [], date(2026, 6, 1), "practice_observations", roster=roster) == {
        "S4": (OK, None, date(2027, 2, 5))
    }
    since = standing(
        bolton, [], date(2026, 6, 1), "practice_observations", roster=roster, since=date(2026, 4, 1)
    )
    assert since == {"S4": (OK, None, date(2027, 4, 1))}
    # The roster holds supervisees, so each supervision obligation lists them too.
    monthly = standing(bolton, [], date(2026, 3, 6), "case_supervision", roster=roster)
    assert monthly == {"S4": (OVERDUE, None, date(2026, 3, 5))}


# -- Swindon: every child a supervision discussion / management oversight at least monthly ----


def test_swindon_monthly_oversight_across_a_short_month() -> None:
    swindon = council("swindon")
    log = [
        Entry("management_oversight", "C1", date(2026, 1, 31), role="team_manager"),
        Entry("management_oversight", "C2", date(2026, 2, 28), role="team_manager"),
    ]
    # One month after 31 January is 28 February; C2's oversight is not yet known.
    assert standing(swindon, log, date(2026, 2, 13), "management_oversight") == {
        "C1": (OK, date(2026, 1, 31), date(2026, 2, 28))
    }
    on_the_day = standing(swindon, log, date(2026, 2, 28), "management_oversight")
    assert on_the_day == {
        "C1": (DUE, date(2026, 1, 31), date(2026, 2, 28)),
        "C2": (OK, date(2026, 2, 28), date(2026, 3, 28)),
    }
    after = standing(swindon, log, date(2026, 3, 1), "management_oversight")
    assert after["C1"][0] is OVERDUE
    assert after["C2"] == (OK, date(2026, 2, 28), date(2026, 3, 28))


def test_swindon_warning_window() -> None:
    swindon = council("swindon")
    log = [Entry("management_oversight", "C1", date(2026, 1, 31))]
    assert standing(swindon, log, date(2026, 2, 13), "management_oversight")["C1"][0] is OK
    assert standing(swindon, log, date(2026, 2, 14), "management_oversight")["C1"][0] is DUE
    week = IsoDuration(weeks=1)
    assert (
        standing(swindon, log, date(2026, 2, 20), "management_oversight", warning=week)["C1"][0]
        is OK
    )
    assert IsoDuration(weeks=2) == DEFAULT_WARNING


def test_swindon_non_negotiable_for_every_child_on_the_roster() -> None:
    swindon = council("swindon")
    log = [Entry("management_oversight", "C1", date(2026, 5, 20))]
    roster = {"child": ["C1", "C2"]}
    # The framework took effect on 1 January 2026: a child with no oversight since was due
    # by 1 February.
    assert standing(swindon, log, date(2026, 6, 1), "management_oversight", roster=roster) == {
        "C1": (OK, date(2026, 5, 20), date(2026, 6, 20)),
        "C2": (OVERDUE, None, date(2026, 2, 1)),
    }


# -- Manchester: one file audit and one observation per Team Manager per calendar month ------


def test_manchester_file_audit_each_calendar_month() -> None:
    manchester = council("manchester")
    log = [
        Entry("file_audit", "TM1", date(2026, 5, 31), role="team_manager"),
        Entry("file_audit", "TM2", date(2026, 4, 10), role="team_manager"),
        Entry("file_audit", "TM2", date(2026, 6, 1), role="team_manager"),
        Entry("file_audit", "TM3", date(2026, 4, 30), role="team_manager"),
    ]
    assert standing(manchester, log, date(2026, 6, 1), "file_audit") == {
        # May's audit on its last day; June's is due by the end of June.
        "TM1": (OK, date(2026, 5, 31), date(2026, 6, 30)),
        # June's done on its first day: July's is next. May's miss is closed.
        "TM2": (OK, date(2026, 6, 1), date(2026, 7, 31)),
        # None in May: overdue since 31 May.
        "TM3": (OVERDUE, date(2026, 4, 30), date(2026, 5, 31)),
    }
    assert standing(manchester, log, date(2026, 6, 16), "file_audit")["TM1"][0] is DUE
    assert standing(manchester, log, date(2026, 7, 1), "file_audit")["TM1"] == (
        OVERDUE,
        date(2026, 5, 31),
        date(2026, 6, 30),
    )


def test_manchester_month_periods_run_across_the_financial_year_end() -> None:
    manchester = council("manchester")
    log = [Entry("file_audit", "TM1", date(2027, 3, 31))]
    assert standing(manchester, log, date(2027, 3, 31), "file_audit") == {
        "TM1": (OK, date(2027, 3, 31), date(2027, 4, 30))
    }
    assert standing(manchester, log, date(2027, 4, 1), "file_audit")["TM1"][0] is OK
    assert standing(manchester, log, date(2027, 5, 1), "file_audit")["TM1"] == (
        OVERDUE,
        date(2027, 3, 31),
        date(2027, 4, 30),
    )


def test_manchester_direct_observation_per_team_manager() -> None:
    manchester = council("manchester")
    log = [Entry("direct_observations_team_managers", "TM1", date(2026, 5, 12))]
    roster = {"team_manager": ["TM1", "TM2"]}
    found = standing(
        manchester,
        log,
        date(2026, 5, 20),
        "direct_observations_team_managers",
        roster=roster,
        since=date(2026, 5, 1),
    )
    # TM2 has none in May, the first month the log covers: due by its end.
    assert found == {
        "TM1": (OK, date(2026, 5, 12), date(2026, 6, 30)),
        "TM2": (DUE, None, date(2026, 5, 31)),
    }


def test_manchester_a_partly_covered_first_month_is_not_owed() -> None:
    manchester = council("manchester")
    roster = {"team_manager": ["TM1"]}
    found = standing(
        manchester, [], date(2026, 5, 20), "file_audit", roster=roster, since=date(2026, 5, 15)
    )
    assert found == {"TM1": (OK, None, date(2026, 6, 30))}


def test_manchester_counts_only_team_managers_work_as_theirs() -> None:
    manchester = council("manchester")
    log = [
        # A Service Lead's own file audit does not make them a Team Manager owing one a month.
        Entry("file_audit", "SL1", date(2026, 5, 4), role="service_lead"),
        # Moderation is owed per Team Manager and done by the Service Lead.
        Entry("file_audit_moderation", "TM1", date(2026, 5, 4), role="service_lead"),
        Entry("file_audit", "TM1", date(2026, 5, 4)),
    ]
    as_of = date(2026, 5, 5)
    assert set(standing(manchester, log, as_of, "file_audit")) == {"TM1"}
    assert standing(manchester, log, as_of, "file_audit_moderation") == {
        "TM1": (OK, date(2026, 5, 4), date(2026, 6, 30))
    }


# -- Telford: six-weekly until a plan of permanence, then at least once between reviews ------


def test_telford_six_weekly_care_planning_meetings() -> None:
    telford = council("telford")
    log = [Entry("care_planning_meetings", "C1", date(2026, 3, 20))]
    activity = "care_planning_meetings"
    assert standing(telford, log, date(2026, 4, 16), activity) == {
        "C1": (OK, date(2026, 3, 20), date(2026, 5, 1))
    }
    assert standing(telford, log, date(2026, 4, 17), activity)["C1"][0] is DUE
    assert standing(telford, log, date(2026, 5, 2), activity)["C1"][0] is OVERDUE


def test_telford_plan_of_permanence_ends_the_six_weekly_meetings() -> None:
    telford = council("telford")
    log = [
        Entry("care_planning_meetings", "C1", date(2026, 1, 5)),
        Entry("care_planning_meetings", "C1", date(2026, 3, 2), event="permanence_plan"),
    ]
    # Before the plan is logged the child is overdue; from it, a meeting is owed before the
    # next review instead.
    before = obligations_due(telford, log, as_of=date(2026, 3, 1))
    assert [(s.activity, s.status) for s in before] == [("care_planning_meetings", OVERDUE)]
    after = obligations_due(telford, log, as_of=date(2026, 3, 2))
    assert [(s.activity, s.status, s.due_by) for s in after] == [
        ("care_planning_meetings_after_permanence", DUE, None)
    ]


def test_telford_at_least_once_between_reviews() -> None:
    telford = council("telford")
    activity = "care_planning_meetings_after_permanence"
    log = [
        Entry("care_planning_meetings", "C1", date(2025, 11, 20), event="permanence_plan"),
        Entry("care_planning_meetings", "C1", date(2026, 1, 10)),
        Entry("care_planning_meetings", "C1", date(2026, 2, 1), event="child_in_care_review"),
        Entry("care_planning_meetings", "C1", date(2026, 8, 1), event="child_in_care_review"),
    ]
    # Between the plan and the first review: met. Since that review: owed before the next.
    assert standing(telford, log, date(2026, 7, 31), activity) == {
        "C1": (DUE, date(2026, 1, 10), None)
    }
    # The second review came with no meeting since the first: overdue from the review's day.
    assert standing(telford, log, date(2026, 8, 2), activity) == {
        "C1": (OVERDUE, date(2026, 1, 10), date(2026, 8, 1))
    }
    # A meeting held on the review's day counts before that review.
    on_the_day = [*log, Entry("care_planning_meetings", "C1", date(2026, 8, 1))]
    assert standing(telford, on_the_day, date(2026, 8, 2), activity) == {
        "C1": (DUE, date(2026, 8, 1), None)
    }
    # A meeting after the overdue review brings the child back in line.
    late = [*log, Entry("care_planning_meetings", "C1", date(2026, 8, 20))]
    assert standing(telford, late, date(2026, 8, 21), activity) == {
        "C1": (OK, date(2026, 8, 20), None)
    }


def test_an_interval_with_a_stated_period_has_a_due_date() -> None:
    # Were the profile to state the longest time between reviews, the open interval would
    # have a date: the rule comes from the data, not from the council.
    profile = variant("telford_capped")
    activity = "care_planning_meetings_after_permanence"
    log = [Entry("care_planning_meetings", "C1", date(2026, 2, 1), event="permanence_plan")]
    assert standing(profile, log, date(2026, 7, 1), activity) == {
        "C1": (OK, None, date(2026, 8, 1))
    }
    assert standing(profile, log, date(2026, 8, 2), activity)["C1"][0] is OVERDUE
    # A review before the six months are up closes the interval on its day.
    log.append(
        Entry("care_planning_meetings", "C1", date(2026, 6, 1), event="child_in_care_review")
    )
    assert standing(profile, log, date(2026, 6, 2), activity) == {
        "C1": (OVERDUE, None, date(2026, 6, 1))
    }


def test_a_changed_quota_changes_the_obligation() -> None:
    profile = with_quota_period(council("swindon"), "management_oversight", IsoDuration(months=2))
    log = [Entry("management_oversight", "C1", date(2026, 1, 31))]
    assert standing(profile, log, date(2026, 3, 1), "management_oversight")["C1"] == (
        OK,
        date(2026, 1, 31),
        date(2026, 3, 31),
    )


# -- results and errors ----------------------------------------------------------------------


def test_results_are_in_activity_then_subject_order_and_plain_data() -> None:
    bolton = council("bolton")
    log = [
        Entry("case_supervision", "S2", date(2026, 5, 1)),
        Entry("practice_observations", "S2", date(2026, 5, 1)),
        Entry("practice_observations", "S1", date(2026, 5, 2)),
    ]
    found = obligations_due(bolton, log, as_of=date(2026, 5, 10))
    assert [(s.activity, s.subject) for s in found] == [
        ("practice_observations", "S1"),
        ("practice_observations", "S2"),
        ("case_supervision", "S2"),
    ]
    assert to_dict(found[0]) == {
        "activity": "practice_observations",
        "subject": "S1",
        "owed_per": "supervisee",
        "status": "ok",
        "last_done": "2026-05-02",
        "due_by": "2027-05-02",
    }


def test_entries_after_as_of_are_not_yet_known() -> None:
    swindon = council("swindon")
    log = [
        Entry("management_oversight", "C1", date(2026, 4, 1)),
        Entry("management_oversight", "C1", date(2026, 6, 15)),
        Entry("management_oversight", "C2", date(2026, 6, 15)),
    ]
    assert standing(swindon, log, date(2026, 6, 1), "management_oversight") == {
        "C1": (OVERDUE, date(2026, 4, 1), date(2026, 5, 1))
    }


def test_unknown_activities_in_the_log_are_an_error() -> None:
    log = [
        Entry("practice_observation", "S1", date(2026, 5, 1)),
        Entry("practice_observation", "S2", date(2026, 5, 1)),
        Entry("home_visit", "S2", date(2026, 5, 1)),
    ]
    with pytest.raises(ObligationError) as caught:
        obligations_due(council("bolton"), log, as_of=date(2026, 6, 1))
    assert isinstance(caught.value, QAFrameworkError)
    assert str(caught.value) == (
        "the log names activities bolton 2026-01 (from 2026-02-05) does not have: "
        "'home_visit' (1 entry), 'practice_observation' (2 entries)"
    )


def test_roster_of_an_unknown_subject_kind_is_an_error() -> None:
    with pytest.raises(ObligationError, match=r"subject kind 'children'.*kinds: child, family"):
        obligations_due(council("swindon"), [], as_of=date(2026, 6, 1), roster={"children": ["C1"]})


def test_a_roster_is_a_list_of_ids() -> None:
    with pytest.raises(ObligationError, match="roster of 'child' is one string"):
        obligations_due(council("swindon"), [], as_of=date(2026, 6, 1), roster={"child": "C1"})


def test_since_after_as_of_is_an_error() -> None:
    with pytest.raises(ObligationError, match=r"since \(2026-07-01\) is after as_of"):
        obligations_due(council("swindon"), [], as_of=date(2026, 6, 1), since=date(2026, 7, 1))


# -- validation of the condition fields ------------------------------------------------------


def _problems(document: dict[str, Any]) -> set[tuple[str, str]]:
    with pytest.raises(ProfileError) as caught:
        profile_from_data(document)
    return {(p.path, p.message) for p in caught.value.problems}


def test_condition_fields_load(example_document: dict[str, Any]) -> None:
    audit = example_document["activities"][0]
    audit.update(from_event="team_manager_appointed", until_event="team_manager_left")
    profile = profile_from_data(example_document)
    owed = next(o for o in obligations(profile) if o.activity == audit["id"])
    assert (owed.from_event, owed.until_event) == ("team_manager_appointed", "team_manager_left")


def test_condition_fields_need_a_per_subject_quota(example_document: dict[str, Any]) -> None:
    example_document["activities"][1].update(from_event="case_transfer", logged_as="feedback")
    reason = (
        "is given, but the activity's quota is not owed per subject: it needs a count "
        "'exactly' or 'at_least', per or per_role, and a period or an event cadence"
    )
    assert _problems(example_document) == {
        ("$.activities[1].from_event", f"from_event {reason}"),
        ("$.activities[1].logged_as", f"logged_as {reason}"),
    }


def test_condition_fields_are_checked(example_document: dict[str, Any]) -> None:
    audit = example_document["activities"][0]
    audit.update(from_event="Plan Agreed", until_event="Plan Agreed", logged_as="case_file_audit")
    example_document["activities"][2]["logged_as"] = "visits"
    found = _problems(example_document)
    assert found >= {
        ("$.activities[0].from_event", "event 'Plan Agreed' is not a lower_snake_case name"),
        ("$.activities[0].until_event", "starts and ends on the same event 'Plan Agreed'"),
        ("$.activities[0].logged_as", "activity 'case_file_audit' is logged as itself"),
    }
    assert any(
        path == "$.activities[2].logged_as" and message.startswith("unknown activity 'visits'")
        for path, message in found
    )


# -- properties ------------------------------------------------------------------------------

PROFILES = ("bolton", "manchester", "swindon", "telford", "telford_capped", "exampleshire")
SUBJECTS = ("A", "B", "C", "D")
DAYS = st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 12, 31))


Case = tuple[str, tuple[str, str], list[Entry], dict[str, list[str]]]


def _role(obligation: Obligation) -> str | None:
    """The role an added entry names: none, unless several roles owe the activity."""
    return obligation.quota.per_role if obligation.other_roles else None


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A council, one of its obligations, a log for it (with events) and a roster.

    Ids rather than values, so that a failing example prints short.
    """
    key = draw(st.sampled_from(PROFILES))
    profile = variant(key)
    obligation = draw(st.sampled_from(obligations(profile)))
    used = sorted({*obligation.events, obligation.from_event, obligation.until_event} - {None})
    roles: list[str | None] = [None, obligation.quota.per_role, "qa_team"]
    if obligation.other_roles:
        # Several roles owe the activity: each entry says whose it is.
        roles = [obligation.quota.per_role, *obligation.other_roles, "qa_team"]
    completions = st.builds(
        Entry,
        activity=st.sampled_from(obligation.counted),
        subject=st.sampled_from(SUBJECTS),
        on=DAYS,
        role=st.sampled_from(roles),
    )
    entries = draw(st.lists(completions, max_size=12))
    if used:
        events = st.builds(
            Entry,
            activity=st.just(obligation.activity),
            subject=st.sampled_from(SUBJECTS),
            on=DAYS,
            event=st.sampled_from([str(e) for e in used]),
        )
        entries += draw(st.lists(events, max_size=6))
    roster = {obligation.owed_per: draw(st.lists(st.sampled_from(SUBJECTS), max_size=2))}
    return key, (obligation.activity, obligation.owed_per), entries, roster


def _resolve(case: Case) -> tuple[Profile, Obligation, list[Entry], dict[str, list[str]]]:
    key, which, log, roster = case
    profile = variant(key)
    (obligation,) = [o for o in obligations(profile) if (o.activity, o.owed_per) == which]
    return profile, obligation, log, roster


def _of(
    obligation: Obligation, found: tuple[SubjectObligation, ...]
) -> dict[str, SubjectObligation]:
    return {
        s.subject: s
        for s in found
        if (s.activity, s.owed_per) == (obligation.activity, obligation.owed_per)
    }


@given(cases(), st.integers(0, 400), st.integers(0, 400))
def test_status_never_improves_as_time_passes_without_entries(
    case: Case, gap: int, more: int
) -> None:
    profile, obligation, log, roster = _resolve(case)
    latest = max((e.on for e in log), default=date(2026, 6, 1))
    earlier = latest + timedelta(days=gap)
    later = earlier + timedelta(days=more)
    first = _of(obligation, obligations_due(profile, log, as_of=earlier, roster=roster))
    then = _of(obligation, obligations_due(profile, log, as_of=later, roster=roster))
    assert first.keys() == then.keys()
    for subject, standing_then in then.items():
        assert standing_then.status.rank >= first[subject].status.rank
        assert standing_then.due_by == first[subject].due_by


@given(cases(), DAYS, st.sampled_from(SUBJECTS), DAYS)
def test_a_completed_entry_never_makes_a_subject_more_overdue(
    case: Case, as_of: date, subject: str, day: date
) -> None:
    profile, obligation, log, roster = _resolve(case)
    before = _of(obligation, obligations_due(profile, log, as_of=as_of, roster=roster))
    added = [*log, Entry(obligation.counted[0], subject, day, _role(obligation))]
    after = _of(obligation, obligations_due(profile, added, as_of=as_of, roster=roster))
    assert before.keys() <= after.keys()
    for name, was in before.items():
        now = after[name]
        assert now.status.rank <= was.status.rank
        if was.due_by is not None and now.due_by is not None:
            assert now.due_by >= was.due_by


@given(cases(), DAYS)
def test_every_reported_pair_comes_from_the_log_or_the_roster(case: Case, as_of: date) -> None:
    profile, _, log, roster = _resolve(case)
    owed = {(o.activity, o.owed_per): o for o in obligations(profile)}
    for found in obligations_due(profile, log, as_of=as_of, roster=roster):
        obligation = owed[(found.activity, found.owed_per)]
        used = {*obligation.events, obligation.from_event, obligation.until_event}
        named = any(
            e.subject == found.subject
            and e.on <= as_of
            and (e.activity in obligation.counted or e.event in used)
            for e in log
        )
        assert named or found.subject in roster.get(found.owed_per, ())


@given(cases(), DAYS)
def test_status_agrees_with_the_due_date(case: Case, as_of: date) -> None:
    profile, _, log, roster = _resolve(case)
    for found in obligations_due(profile, log, as_of=as_of, roster=roster):
        if found.last_done is not None:
            assert found.last_done <= as_of
        if found.due_by is None:
            assert found.status is not OVERDUE
        elif found.status is OVERDUE:
            assert found.due_by < as_of
        elif found.status is DUE:
            assert DEFAULT_WARNING.subtract_from(found.due_by) <= as_of <= found.due_by
        else:
            assert as_of < DEFAULT_WARNING.subtract_from(found.due_by)


@given(cases(), DAYS, st.integers(0, 2**32 - 1))
def test_the_order_of_the_log_does_not_matter(case: Case, as_of: date, seed: int) -> None:
    profile, _, log, roster = _resolve(case)
    shuffled = list(log)
    random.Random(seed).shuffle(shuffled)
    assert obligations_due(profile, shuffled, as_of=as_of, roster=roster) == obligations_due(
        profile, log, as_of=as_of, roster=roster
    )


# -- per-case event cadences and quotas held by several roles (the example council) ------------


def test_before_each_closure_in_working_days() -> None:
    """closure_check: "at least 2 working days before every case is closed" (exampleshire)."""
    log = [
        Entry("closure_check", "C1", date(2026, 4, 10), event="case_closure"),
        Entry("closure_check", "C1", date(2026, 4, 7)),
        # Done a day before the closure: later than two working days before it.
        Entry("closure_check", "C2", date(2026, 4, 10), event="case_closure"),
        Entry("closure_check", "C2", date(2026, 4, 9)),
        # Not closed: nothing is owed yet.
        Entry("closure_check", "C3", date(2026, 3, 1)),
        # Closed on the Tuesday after Easter: Easter Monday and Good Friday are not working
        # days, so two working days before is Wednesday 1 April.
        Entry("closure_check", "C4", date(2026, 4, 7), event="case_closure"),
        Entry("closure_check", "C4", date(2026, 4, 2)),
    ]
    assert standing(example(), log, date(2026, 4, 20), "closure_check") == {
        "C1": (OK, date(2026, 4, 7), None),
        "C2": (OVERDUE, date(2026, 4, 9), date(2026, 4, 8)),
        "C3": (OK, date(2026, 3, 1), None),
        "C4": (OVERDUE, date(2026, 4, 2), date(2026, 4, 1)),
    }
    # A check for the next closure does not make up for the one missed; once the next
    # closure is on time, the child is ok again.
    later = [
        *log,
        Entry("closure_check", "C2", date(2026, 6, 1)),
        Entry("closure_check", "C2", date(2026, 6, 10), event="case_closure"),
    ]
    assert standing(example(), later, date(2026, 6, 20), "closure_check")["C2"][0] is OK


def test_after_a_first_panel_then_every_year() -> None:
    """panel_review: "12 months after first presentation at panel, annually thereafter"."""
    log = [
        Entry("panel_review", "P1", date(2026, 2, 1), event="panel"),
        Entry("panel_review", "P2", date(2026, 2, 1), event="panel"),
        Entry("panel_review", "P2", date(2026, 12, 1)),
        # A later presentation at panel does not restart the clock: the first one counts.
        Entry("panel_review", "P2", date(2026, 6, 1), event="panel"),
    ]
    found = standing(example(), log, date(2026, 4, 20), "panel_review")
    assert found["P1"] == (OK, None, date(2027, 2, 1))
    assert standing(example(), log, date(2027, 1, 25), "panel_review")["P1"][0] is DUE
    assert standing(example(), log, date(2027, 2, 2), "panel_review")["P1"][0] is OVERDUE
    assert standing(example(), log, date(2027, 2, 2), "panel_review")["P2"] == (
        OK,
        date(2026, 12, 1),
        date(2027, 12, 1),
    )


def test_after_each_event_within_working_days() -> None:
    profile = example()
    index = [a.id for a in profile.activities].index("closure_check")
    letter = attrs.evolve(
        profile.activities[index],
        cadence=qaframework.Cadence.parse("after-event:case_closure/10WD"),
    )
    changed = attrs.evolve(
        profile, activities=(*profile.activities[:index], letter, *profile.activities[index + 1 :])
    )
    log = [
        Entry("closure_check", "C1", date(2026, 4, 10), event="case_closure"),
        Entry("closure_check", "C1", date(2026, 4, 24)),
        Entry("closure_check", "C2", date(2026, 4, 10), event="case_closure"),
        Entry("closure_check", "C2", date(2026, 4, 27)),
        Entry("closure_check", "C3", date(2026, 4, 20), event="case_closure"),
    ]
    assert standing(changed, log, date(2026, 4, 28), "closure_check") == {
        "C1": (OK, date(2026, 4, 24), None),
        "C2": (OVERDUE, date(2026, 4, 27), date(2026, 4, 24)),
        "C3": (DUE, None, date(2026, 5, 5)),
    }
    unbounded = attrs.evolve(letter, cadence=qaframework.Cadence.parse("after-event:case_closure"))
    changed = attrs.evolve(
        profile,
        activities=(*profile.activities[:index], unbounded, *profile.activities[index + 1 :]),
    )
    # With no delay it is owed by no date: due until done.
    assert standing(changed, log, date(2026, 4, 28), "closure_check")["C3"] == (DUE, None, None)


def test_a_quota_held_by_several_roles_is_an_obligation_per_role() -> None:
    profile = example()
    owed = [o for o in obligations(profile) if o.activity == "practice_observations"]
    assert [(o.owed_per, o.count, o.other_roles) for o in owed] == [
        ("team_manager", 2, ("head_of_service",)),
        ("head_of_service", 1, ("team_manager",)),
    ]
    log = [
        Entry("practice_observations", "T1", date(2026, 4, 2), "team_manager"),
        Entry("practice_observations", "T1", date(2026, 4, 9), "team_manager"),
        Entry("practice_observations", "H1", date(2026, 4, 3), "head_of_service"),
        Entry("practice_observations", "T2", date(2026, 4, 3), "team_manager"),
    ]
    rows = obligations_due(profile, log, as_of=date(2026, 4, 30), since=date(2026, 4, 1))
    found = {
        (r.owed_per, r.subject): r.status for r in rows if r.activity == "practice_observations"
    }
    # T2's one observation is half the Team Manager's count; the Head of Service's one is all
    # of theirs; an entry counts only for the role it names.
    assert found == {
        ("team_manager", "T1"): OK,
        ("team_manager", "T2"): DUE,
        ("head_of_service", "H1"): OK,
    }


def test_an_entry_of_several_roles_names_its_role_or_a_roster_does() -> None:
    profile = example()
    log = [Entry("practice_observations", "X1", date(2026, 4, 2))]
    with pytest.raises(ObligationError, match="does not say which role did 'Practice obs"):
        obligations_due(profile, log, as_of=date(2026, 4, 30))
    roster = {"team_manager": ["X1"], "head_of_service": ["H1"]}
    rows = obligations_due(profile, log, as_of=date(2026, 4, 30), roster=roster)
    found = {
        (r.owed_per, r.subject): r.last_done for r in rows if r.activity == "practice_observations"
    }
    assert found == {("team_manager", "X1"): date(2026, 4, 2), ("head_of_service", "H1"): None}
    both = {"team_manager": ["X1"], "head_of_service": ["X1"]}
    with pytest.raises(ObligationError, match="roster naming each subject under one of them"):
        obligations_due(profile, log, as_of=date(2026, 4, 30), roster=both)
