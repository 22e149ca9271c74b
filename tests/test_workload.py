"""Workload plans: figures checked by hand, unknown hours kept unknown, and the command."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.cli import workload_cmd
from qaframework.cli._common import CliError, Parser
from qaframework.engine.periods import FinancialYear, Period
from qaframework.engine.workload import (
    Staffing,
    WorkloadError,
    WorkloadLine,
    WorkloadPlan,
    plan_workload,
    plural,
)
from qaframework.engine.workload.units import _periods
from qaframework.errors import QAFrameworkError
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.profile import Profile
from qaframework.profiles.converter import from_dict, to_dict
from qaframework.profiles.registry import get_registry
from qaframework.render.workload import plan_csv, plan_markdown

YEAR = FinancialYear(2026)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@cache
def versions(profile_id: str) -> tuple[Profile, ...]:
    return get_registry().load_all_versions(profile_id)


def lines(plan: WorkloadPlan, activity: str, role: str | None = "") -> list[WorkloadLine]:
    return [
        line for line in plan.lines if line.id == activity and (role == "" or line.role == role)
    ]


def one(plan: WorkloadPlan, activity: str, role: str | None) -> WorkloadLine:
    (found,) = lines(plan, activity, role)
    return found


# -- Manchester: one audit and one observation per Team Manager a month --------------------------

MANCHESTER = Staffing(headcount={"Team Manager": 39, "SL": 6, "practitioner": 190})


def test_manchester_team_managers_owe_twelve_audits_and_twelve_observations() -> None:
    plan = plan_workload(versions("manchester"), YEAR, MANCHESTER)
    audits = one(plan, "file_audit", "team_manager")
    assert (audits.count, audits.count_per_person, audits.headcount) == (39 * 12, 12, 39)
    assert audits.unit == "audit"
    observations = one(plan, "direct_observations_team_managers", "team_manager")
    assert (observations.count, observations.count_per_person) == (468, 12)
    total = next(t for t in plan.roles if t.role == "team_manager")
    assert {c.unit: (c.count, c.per_person) for c in total.counts} == {
        "audit": (468, 12),
        "observation": (468, 12),
        "feedback": (468, 12),
    }


def test_manchester_service_leads_moderate_six_or_seven_a_month() -> None:
    plan = plan_workload(versions("manchester"), YEAR, MANCHESTER)
    moderation = one(plan, "file_audit_moderation", "service_lead")
    # 1 moderation per Team Manager a month: 39 x 12 = 468, shared by 6 Service Leads.
    assert moderation.count == 468
    assert moderation.count_per_person == 78
    assert 6 <= moderation.count_per_person / 12 <= 7


def test_manchester_gives_no_effort_so_no_hours() -> None:
    plan = plan_workload(versions("manchester"), YEAR, MANCHESTER)
    assert all(line.hours is None and line.hours_each is None for line in plan.lines)
    assert plan.total.hours is None
    assert plan.total.lines_without_hours == len(plan.lines)
    assert all(t.hours is None and t.hours_per_person is None for t in plan.roles)
    assert not plan.hours_known
    text = plan_markdown(plan)
    assert "| unknown | unknown |" in text
    assert "| 0 |" not in text


def test_a_missing_headcount_leaves_the_count_unknown() -> None:
    plan = plan_workload(versions("manchester"), YEAR, Staffing(headcount={"SL": 6}))
    audits = one(plan, "file_audit", "team_manager")
    assert audits.count is None
    assert audits.count_per_person == 12
    assert "needs the headcount of Team Manager" in audits.basis
    assert one(plan, "file_audit_moderation", "service_lead").count is None


# -- Bolton: every supervisee observed once a year ------------------------------------------------


def test_bolton_observations_equal_the_supervisees() -> None:
    staffing = Staffing(
        headcount={"team_manager": 17},
        subjects={"supervisee": 102},
        subjects_per_person={"team_manager": {"supervisee": 6}},
    )
    plan = plan_workload(versions("bolton"), YEAR, staffing)
    observations = one(plan, "practice_observations", "team_manager")
    assert (observations.count, observations.count_per_person) == (102, 6)
    assert lines(plan, "practice_observations", None) == []
    supervision = one(plan, "case_supervision", "team_manager")
    assert (supervision.count, supervision.count_per_person) == (102 * 12, 72)
    reflective = one(plan, "personal_reflective_supervision", "team_manager")
    assert (reflective.count, reflective.count_per_person) == (102 * 6, 36)
    assert "6 periods of 2 months" in reflective.basis


def test_supervisees_nobody_is_given_are_a_line_of_their_own() -> None:
    staffing = Staffing(
        headcount={"team_manager": 10},
        subjects={"supervisee": 100},
        subjects_per_person={"team_manager": {"supervisee": 6}},
    )
    plan = plan_workload(versions("bolton"), YEAR, staffing)
    assert one(plan, "practice_observations", "team_manager").count == 60
    rest = one(plan, "practice_observations", None)
    assert rest.count == 40
    assert "not given to a role" in rest.basis


def test_supervisees_without_roles_are_shared_by_headcount_or_unassigned() -> None:
    shared = plan_workload(
        versions("bolton"),
        YEAR,
        Staffing(headcount={"team_manager": 15, "head_of_service": 5}, subjects={"supervisee": 80}),
    )
    observed = lines(shared, "practice_observations")
    assert {line.role: line.count for line in observed} == {
        "team_manager": 60,
        "head_of_service": 20,
    }
    assert "Strategic Lead, Advanced Practitioner: no headcount given" in observed[0].basis
    unknown = plan_workload(versions("bolton"), YEAR, Staffing())
    line = one(unknown, "practice_observations", None)
    assert line.count is None
    assert "needs the number of supervisees" in line.basis


def test_bolton_moderation_of_no_stated_size_is_not_counted() -> None:
    """Seed 000 gives no moderation sample size: the planned audits are counted, the
    moderations are not (none is invented), and the line says why."""
    staffing = Staffing(
        headcount={"QA Manager/Officer": 3, "PSW": 1, "Head of Service": 4, "Strategic Lead": 2},
        per_occurrence={"Quality Case File Audits": 50},
    )
    plan = plan_workload(versions("bolton"), YEAR, staffing)
    audits = lines(plan, "quality_case_file_audits")
    # Nine six-weekly cycles from 1 April 2026, 50 audits each.
    assert sum(line.count or 0 for line in audits) == pytest.approx(450)
    (moderations,) = lines(plan, "moderation_of_case_audits")
    assert moderations.count is None
    assert "how many a proportion rule selects is not stated" in moderations.basis
    assert "the profile does not state how many" in audits[0].basis


def test_without_a_planned_volume_moderation_is_unknown() -> None:
    plan = plan_workload(versions("bolton"), YEAR, Staffing())
    (moderation,) = lines(plan, "moderation_of_case_audits")
    assert moderation.count is None
    assert "per_occurrence" in moderation.basis
    # Audits each 6-weekly cycle, how many not stated: nothing is counted, and the line says so.
    audits = one(plan, "quality_case_file_audits", None)
    assert (audits.unit, audits.count) == ("audit", None)
    assert "how many is not stated" in audits.basis


def test_a_year_across_versions_counts_each_over_its_days() -> None:
    plan = plan_workload(versions("bolton"), FinancialYear(2025), Staffing())
    assert [(v.first, v.last) for v in plan.versions] == [
        (date(2025, 4, 1), date(2025, 4, 30)),
        (date(2026, 2, 5), date(2026, 3, 31)),
    ]
    assert {line.version for line in plan.lines} == {v.version for v in plan.versions}
    assert "no version in force 1 May 2025 to 4 February 2026" in plan_markdown(plan)


# -- hours where the profile states effort --------------------------------------------------------


def test_effort_gives_hours(example_profile: Profile) -> None:
    plan = plan_workload(example_profile, YEAR, Staffing(headcount={"team_manager": 10}))
    audits = one(plan, "case_file_audit", "team_manager")
    # 1 audit per Team Manager a month, "2-4 hours" each: 3 hours typical.
    assert (audits.count, audits.hours_each, audits.hours) == (120, 3.0, 360.0)
    assert audits.hours_per_person == 36.0
    assert audits.effort == "2-4 hours"
    total = next(t for t in plan.roles if t.role == "team_manager")
    assert (total.hours, total.hours_per_person) == (360.0, 36.0)


def test_a_quota_held_by_several_roles_is_a_line_per_role(example_profile: Profile) -> None:
    """Exampleshire's practice observations: 2 per Team Manager and 1 per Head of Service a
    month, each counted for its own role."""
    staffing = Staffing(headcount={"team_manager": 10, "head_of_service": 3})
    plan = plan_workload(example_profile, YEAR, staffing)
    managers = one(plan, "practice_observations", "team_manager")
    heads = one(plan, "practice_observations", "head_of_service")
    assert (managers.count, managers.count_per_person) == (240, 24)
    assert (heads.count, heads.count_per_person) == (36, 12)
    assert managers.basis.startswith("2 observations per Team Manager per month; 12 months")
    assert heads.basis.startswith("1 observation per Head of Service per month; 12 months")
    # Owed at each child's case events: no yearly number, said so.
    (closure,) = lines(plan, "closure_check")
    assert closure.count is None
    assert "at least 2 working days before each case closure" in closure.basis


def test_bolton_2021_states_effort_for_whole_case_file_audits() -> None:
    staffing = Staffing(
        headcount={"Team Manager": 17},
        subjects_per_person={"team_manager": {"auditor": 1}},
    )
    plan = plan_workload(versions("bolton"), Period(date(2024, 4, 1), date(2025, 3, 31)), staffing)
    audits = one(plan, "whole_case_file_audits", "team_manager")
    # One case per auditor every six months, "up to a day" (7.4 hours) each.
    assert (audits.count, audits.hours_each, audits.hours_per_person) == (34, 7.4, 14.8)
    assert audits.hours == pytest.approx(251.6)
    assert plan.total.hours is not None
    assert plan.total.lines_without_hours > 0


# -- the staffing ----------------------------------------------------------------------------------


def test_a_staff_file_is_read_strictly() -> None:
    staffing = Staffing.parse(
        {"headcount": {"TM": 3}, "subjects_per_person": {"team_manager": {"supervisee": 2}}}
    )
    assert staffing.headcount == {"TM": 3}
    with pytest.raises(WorkloadError, match=r"staff\.toml: .*headcount\.TM: must be a whole"):
        Staffing.parse({"headcount": {"TM": "three"}}, "staff.toml")
    with pytest.raises(WorkloadError, match="roles: unknown table"):
        Staffing.parse({"roles": {}})


@pytest.mark.parametrize(
    ("staffing", "message"),
    [
        (Staffing(headcount={"Wizard": 2}), r"headcount\.Wizard: not a role"),
        (Staffing(subjects={"unicorn": 2}), r"no quota is owed per 'unicorn'"),
        (Staffing(per_occurrence={"file_audit": 4}), r"gives its quota"),
        (Staffing(per_occurrence={"themed_audits": 4}), r"no dated occurrences"),
        (Staffing(per_occurrence={"nothing": 4}), r"not an activity"),
    ],
)
def test_a_staffing_that_does_not_fit_the_profile_is_refused(
    staffing: Staffing, message: str
) -> None:
    with pytest.raises(WorkloadError, match=message):
        plan_workload(versions("manchester"), YEAR, staffing)


def test_a_year_no_version_covers_is_refused() -> None:
    with pytest.raises(WorkloadError, match="no version of profile 'manchester'"):
        plan_workload(versions("manchester"), FinancialYear(2015), Staffing())


# -- the plan as data --------------------------------------------------------------------------


@pytest.mark.parametrize("profile_id", ["bolton", "manchester", "swindon", "telford"])
def test_the_example_staff_files_plan_and_round_trip(profile_id: str) -> None:
    import tomllib

    path = EXAMPLES / profile_id / "staff.toml"
    staffing = Staffing.parse(tomllib.loads(path.read_text("utf-8")), str(path))
    plan = plan_workload(versions(profile_id), YEAR, staffing)
    assert plan.lines
    assert from_dict(WorkloadPlan, json.loads(json.dumps(to_dict(plan)))) == plan
    # Every activity of the version in force is either counted or said not to be.
    counted = {line.id for line in plan.lines if line.source == "activity"}
    skipped = {item.id for item in plan.not_counted if item.source == "activity"}
    assert counted.isdisjoint(skipped)
    assert counted | skipped == {a.id for a in versions(profile_id)[-1].activities}


@given(
    months=st.integers(min_value=0, max_value=3),
    weeks=st.integers(min_value=0, max_value=8),
    n=st.integers(min_value=1, max_value=20),
    offset=st.integers(min_value=0, max_value=800),
)
def test_n_periods_hold_n_periods(months: int, weeks: int, n: int, offset: int) -> None:
    period = IsoDuration(months=months, weeks=weeks or (0 if months else 1))
    first = date(2025, 1, 1) + timedelta(days=offset)
    last = period.add_to(first, n) - timedelta(days=1)
    assert _periods(period, first, last) == n


def test_plurals() -> None:
    assert [plural("audit"), plural("audit", 1), plural("child"), plural("family")] == [
        "audits",
        "audit",
        "children",
        "families",
    ]
    assert plural("piece of QA work", 2) == "pieces of QA work"


# -- the command -----------------------------------------------------------------------------


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The command as ``qaframework.cli.main`` runs it: library errors are one line, status 2."""
    parser = Parser(prog="qaframework")
    workload_cmd.register(parser.add_subparsers(dest="command", required=True))
    try:
        args: argparse.Namespace = parser.parse_args(list(argv))
        try:
            status = args.handler(args)
        except (CliError, QAFrameworkError) as exc:
            print(f"qaframework: error: {str(exc).partition(chr(10))[0]}", file=sys.stderr)
            status = 2
    except SystemExit as exc:
        status = int(exc.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


STAFF = str(EXAMPLES / "manchester" / "staff.toml")


def test_the_command_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        ["workload", "manchester", "--staff", STAFF, "--year", "2026-27"], capsys
    )
    assert (status, err) == (0, "")
    assert "Team Manager" in out
    assert "468 moderations" in out
    assert "Not counted:" in out


def test_the_command_writes_json_csv_and_markdown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = ["workload", "manchester", "--staff", STAFF, "--year", "2026-27", "--format"]
    status, out, _ = run([*base, "json"], capsys)
    assert status == 0
    plan = from_dict(WorkloadPlan, json.loads(out))
    assert plan.year == "2026-27"
    status, out, _ = run([*base, "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    audit = next(r for r in rows if r["id"] == "file_audit")
    assert (audit["count"], audit["count_per_person"], audit["hours"]) == ("468", "12", "")
    assert out == plan_csv(plan)
    target = tmp_path / "plan.md"
    status, out, _ = run([*base, "md", "--out", str(target)], capsys)
    assert status == 0
    assert target.read_text("utf-8") == plan_markdown(plan)


def test_the_command_writes_an_html_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        """Each table row's cell texts, and the page's title."""

        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.title = ""
            self._in: str | None = None

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th", "title"):
                self._in = tag
                if tag != "title" and self.rows:
                    self.rows[-1].append("")

        def handle_endtag(self, tag: str) -> None:
            if tag == self._in:
                self._in = None

        def handle_data(self, data: str) -> None:
            if self._in == "title":
                self.title += data
            elif self._in and self.rows:
                self.rows[-1][-1] += data

    target = tmp_path / "plan.html"
    argv = ["workload", "manchester", "--staff", STAFF, "--year", "2026-27", "--format", "html"]
    status, out, _ = run([*argv, "--out", str(target)], capsys)
    assert status == 0
    page = target.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page  # self-contained, nothing to run
    status, out, _ = run(argv, capsys)
    plan = from_dict(WorkloadPlan, json.loads(run([*argv[:-1], "json"], capsys)[1]))
    assert out == page
    parsed = Cells()
    parsed.feed(page)
    assert parsed.title == "Manchester City Council: QA workload plan 2026-27"
    by_name = {row[0]: row for row in parsed.rows if row}
    audit = next(line for line in plan.lines if line.id == "file_audit")
    assert by_name[audit.name][2] == "468 audits"
    team_managers = next(t for t in plan.roles if t.title == "Team Manager")
    assert team_managers.title in by_name
    for item in plan.not_counted:
        assert item.reason in page


def test_the_command_writes_a_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "plan.xlsx"
    argv = ["workload", "manchester", "--staff", STAFF, "--year", "2026-27", "--format", "xlsx"]
    status, out, _ = run([*argv, "--out", str(target)], capsys)
    assert (status, out) == (0, f"Wrote {target}\n")
    book = load_workbook(target)
    assert book.sheetnames == ["Roles", "Lines", "Not counted"]
    header = [c.value for c in book["Lines"][1]]
    audit = next(
        dict(zip(header, (c.value for c in row), strict=True))
        for row in book["Lines"].iter_rows(min_row=2)
        if row[2].value == "file_audit"
    )
    assert (audit["count"], audit["hours"]) == (468, None)
    status, _, err = run(argv, capsys)
    assert status == 2
    assert "give --out FILE" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["workload", "nowhere", "--staff", STAFF, "--year", "2026-27"], "nowhere"),
        (["workload", "manchester", "--staff", "missing.toml", "--year", "2026-27"], "missing"),
        (["workload", "manchester", "--staff", STAFF, "--year", "2026"], "financial year"),
        (["workload", "bolton", "--staff", STAFF, "--year", "2026-27"], "not a role"),
    ],
)
def test_bad_input_is_one_line_and_status_two(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(argv, capsys)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
