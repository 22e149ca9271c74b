"""The public calendar API (``qaframework.to_ics``, ``qa_calendar``), and the ``schedule``
command written on it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from icalendar import Calendar

import qaframework
from qaframework.render.calendar import CalendarError
from tests.cli_run import invoke

STAMP = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _events(ics: bytes | str) -> list[dict[str, Any]]:
    calendar = Calendar.from_ical(ics)
    return [
        {
            "uid": str(e["uid"]),
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "summary": str(e["summary"]),
            "description": str(e["description"]),
            "categories": [str(c) for c in e["categories"].cats],
        }
        for e in calendar.walk("VEVENT")
    ]


def test_to_ics_is_public_and_reads_each_day_under_the_version_in_force() -> None:
    # Bolton's 2021 framework was in force to 30 April 2025, the 2026 one from 5 February
    # 2026; no version covers the days between.
    ics = qaframework.to_ics("bolton", date(2025, 4, 1), date(2026, 6, 30), stamp=STAMP)
    events = _events(ics)
    assert events
    versions = {e["description"].rsplit("version ", 1)[1] for e in events}
    assert len(versions) == 2
    calendar = qaframework.qa_calendar("bolton", date(2025, 4, 1), date(2026, 6, 30))
    assert [(p.profile.version, p.first, p.last) for p in calendar.parts] == [
        ("2021-11", date(2025, 4, 1), date(2025, 4, 30)),
        ("2026-01", date(2026, 2, 5), date(2026, 6, 30)),
    ]
    assert not [e for e in events if date(2025, 5, 1) <= e["start"] < date(2026, 2, 5)]
    assert [e["uid"] for e in events] == [entry.uid for entry in calendar.entries]
    assert len({e["uid"] for e in events}) == len(events)
    assert all(e["end"] - e["start"] == date(2026, 1, 2) - date(2026, 1, 1) for e in events)
    assert b"DTSTAMP:20260301T093000Z" in ics
    assert b"X-WR-CALNAME:Bolton Council QA calendar" in ics


def test_the_same_window_gives_the_same_calendar() -> None:
    first = qaframework.to_ics("swindon", date(2026, 4, 1), date(2027, 3, 31), stamp=STAMP)
    again = qaframework.to_ics("swindon", date(2026, 4, 1), date(2027, 3, 31), stamp=STAMP)
    assert first == again


def test_a_profile_version_gives_its_own_occurrences() -> None:
    profile = qaframework.load_profile("swindon", as_of=date(2026, 6, 1))
    start, end = date(2026, 4, 1), date(2026, 6, 30)
    events = _events(qaframework.to_ics(profile, start, end, stamp=STAMP))
    expected = profile.schedule(start, end)
    assert [(e["start"], e["summary"]) for e in events] == [(o.day, o.title) for o in expected]
    assert {c for e in events for c in e["categories"]} <= {"activity", "report", "forum"}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 5, 1), date(2026, 4, 1), "before its start"),
        (date(2010, 1, 1), date(2010, 12, 31), "no version of profile 'bolton' is in force"),
    ],
)
def test_a_window_without_a_version_is_a_library_error(
    start: date, end: date, message: str
) -> None:
    with pytest.raises(CalendarError, match=message) as caught:
        qaframework.to_ics("bolton", start, end)
    assert isinstance(caught.value, qaframework.QAFrameworkError)


def test_schedule_ics_is_the_public_calendar() -> None:
    status, out, _ = invoke("schedule", "bolton", "--year", "2026-27", "--format", "ics")
    assert status == 0
    made = _events(qaframework.to_ics("bolton", date(2026, 4, 1), date(2027, 3, 31)))
    assert _events(out) == made


def test_schedule_json_is_the_calendars_data() -> None:
    status, out, err = invoke("schedule", "bolton", "--year", "2026-27", "--format", "json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    calendar = qaframework.qa_calendar("bolton", date(2026, 4, 1), date(2027, 3, 31))
    assert data == calendar.to_data()
    assert set(data) == {"profile", "authority", "from", "to", "versions", "occurrences"}
    assert data["from"] == "2026-04-01"
    first = data["occurrences"][0]
    assert set(first) == {
        "date", "kind", "id", "title", "who", "cadence", "how_many", "profile", "version"
    }  # fmt: skip
    assert isinstance(first["who"], list)
    assert [o["date"] for o in data["occurrences"]] == sorted(
        o["date"] for o in data["occurrences"]
    )
    (version,) = data["versions"]
    assert version["unscheduled"], "Bolton has ongoing and as-required activities"
