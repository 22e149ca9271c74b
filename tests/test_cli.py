"""The command line, run in-process against the example profile registered by a test plugin."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from qaframework import from_dict, hookimpl
from qaframework.cli import main
from qaframework.policy.profile import Profile
from qaframework.profiles.plugins import plugins_for_tests

EXAMPLE = Path(__file__).parent / "data" / "exampleshire.toml"


class ExamplePlugin:
    """Registers the example council twice: an older version with an end date, then 2026."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        older = dict(document)
        older.update(version="2020-01", effective_from="2020-01-01", effective_to="2020-12-31")
        self.documents = [older, document]

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        for document in self.documents:
            register(document)


@pytest.fixture(autouse=True)
def example_only() -> Iterator[None]:
    with EXAMPLE.open("rb") as file:
        document = tomllib.load(file)
    with plugins_for_tests(ExamplePlugin(document)):
        yield


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def test_profiles_table_lists_every_version(run: Run) -> None:
    status, out, _ = run("profiles")
    assert status == 0
    assert out.count("exampleshire") == 2
    assert "2020-01-01" in out
    assert "2020-12-31" in out
    assert "2026-01-05" in out


def test_profiles_json(run: Run) -> None:
    status, out, _ = run("profiles", "--format", "json")
    assert status == 0
    (entry,) = json.loads(out)
    assert entry["id"] == "exampleshire"
    assert [v["effective_from"] for v in entry["versions"]] == ["2020-01-01", "2026-01-05"]
    assert entry["versions"][0]["in_force_to"] == "2020-12-31"
    assert entry["versions"][1]["in_force_to"] is None


def test_profile_show_json_is_the_converters_output(run: Run) -> None:
    status, out, _ = run("profile", "show", "exampleshire", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["effective_from"] == "2026-01-05"
    assert data["activities"][0]["cadence"] == "P1M"
    assert data["activities"][0]["lookback"] == "P1Y"
    profile = from_dict(Profile, data)
    assert profile.version == "2026-01"


def test_profile_show_as_of_picks_the_version(run: Run) -> None:
    status, out, _ = run(
        "profile", "show", "exampleshire", "--as-of", "2020-06-01", "--format", "json"
    )
    assert status == 0
    assert json.loads(out)["version"] == "2020-01"


def test_profile_show_table(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell wraps
    status, out, _ = run("profile", "show", "exampleshire")
    assert status == 0
    for text in (
        "Exampleshire County Council",
        "Grade scale",
        "Requires improvement to be good",
        "Case file audit",
        "Monthly moderation",
        "Child of concern tracker",
        "within 1 month",
        "Assumptions",
        # A quota held by several roles, one per role.
        "2 observations per Team Manager per month and 1 observation per Head of Service per",
        # Per-case event cadences.
        "at least 2 working days before each case closure",
        "within 12 months after the first panel, then within 1 year of the last",
        # A sampling rule's filter, and the case field it declares.
        "legal status is CP or CLA, and (age band is 16-17, or disability is Yes), and not "
        "(placement type is Placed with parents)",
        "Case fields",
        "Placement Type",
    ):
        assert text in out


def test_profile_show_json_writes_the_new_rule_kinds_as_data(run: Run) -> None:
    status, out, _ = run("profile", "show", "exampleshire", "--format", "json")
    assert status == 0
    activities = {a["id"]: a for a in json.loads(out)["activities"]}
    assert [q["per_role"] for q in activities["practice_observations"]["quota"]] == [
        "team_manager",
        "head_of_service",
    ]
    assert activities["case_file_audit"]["quota"]["per_role"] == "team_manager"
    assert activities["closure_check"]["cadence"] == "before-event:case_closure/2WD"
    assert activities["thematic_audit"]["sampling"]["filter"]["all"][0] == {
        "field": "legal_status",
        "values": ["CP", "CLA"],
    }


def test_schedule_csv(run: Run) -> None:
    status, out, _ = run(
        "schedule", "exampleshire", "--from", "2026-04-01", "--to", "2026-06-30", "--format", "csv"
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    audits = [r for r in rows if r["id"] == "case_file_audit"]
    assert [r["date"] for r in audits] == ["2026-04-01", "2026-05-01", "2026-06-01"]
    assert audits[0]["who"] == "Team Manager; Head of Service"
    assert audits[0]["how_many"] == "1 audit per Team Manager per month"
    assert {r["kind"] for r in rows} == {"activity", "report", "forum"}
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_schedule_year_and_ics(run: Run) -> None:
    status, out, _ = run("schedule", "exampleshire", "--year", "2026-27", "--format", "ics")
    assert status == 0
    calendar = Calendar.from_ical(out)
    events = list(calendar.walk("VEVENT"))
    audits = [e for e in events if str(e["summary"]) == "Case file audit"]
    assert len(audits) == 12
    assert audits[0].decoded("dtstart") == date(2026, 4, 1)
    assert "How many: 1 audit per Team Manager per month" in str(audits[0]["description"])
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_schedule_spanning_versions_uses_each_version(run: Run) -> None:
    # 2020 is the older version's; 2021 to 2026-01-04 is in no version.
    status, out, _ = run(
        "schedule", "exampleshire", "--from", "2020-11-01", "--to", "2026-02-28", "--format", "csv"
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    versions = {r["version"] for r in rows}
    assert versions == {"2020-01", "2026-01"}
    assert not [r for r in rows if "2021-01-01" <= r["date"] < "2026-01-05"]


def test_plugins_json(run: Run) -> None:
    status, out, _ = run("plugins", "--format", "json")
    assert status == 0
    plugins = json.loads(out)
    names = [p["name"] for p in plugins]
    assert names[0] == "qaframework.profiles.builtin"
    builtin = plugins[0]
    assert builtin["builtin"] is True
    assert "working_calendar" in builtin["hooks"]
    assert any("register_profiles" in p["hooks"] for p in plugins[1:])


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("profile", "show", "nowhere"), "unknown profile 'nowhere'"),
        (("profile", "show", "exampleshire", "--as-of", "2019-01-01"), "earliest version"),
        (("profile", "show", "exampleshire", "--as-of", "2023-01-01"), "no version in force"),
        (("profile", "show", "exampleshire", "--as-of", "01/02/2026"), "not a date"),
        (("profile", "show", "exampleshire", "--format", "yaml"), "invalid choice"),
        (("schedule", "exampleshire", "--from", "2026-04-01"), "give --from and --to"),
        (("schedule", "exampleshire", "--year", "2026-28"), "does not follow"),
        (("schedule", "exampleshire", "--from", "2026-05-01", "--to", "2026-04-01"), "before"),
        (("schedule", "exampleshire", "--from", "2022-01-01", "--to", "2022-12-31"), "no version"),
        (("schedule", "exampleshire", "--year", "2026-27", "--format", "pdf"), "invalid choice"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run: Run, argv: tuple[str, ...], fragment: str) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert fragment in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_invalid_profile_data_lists_every_problem(run: Run) -> None:
    with EXAMPLE.open("rb") as file:
        broken = tomllib.load(file)
    broken["roles"][0]["reports_to"] = "nobody"
    broken["activities"][0]["who"] = ["ghost"]
    with plugins_for_tests(ExamplePlugin(broken)):
        status, _out, err = run("profile", "show", "exampleshire")
    assert status == 2
    assert "2 problems" in err
    assert "$.roles[0].reports_to: unknown role 'nobody'" in err
    assert "$.activities[0].who[0]: unknown role 'ghost'" in err
