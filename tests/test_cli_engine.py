"""The audit-engine commands (sample, moderation, escalations, actions, due), run in-process
against the installed council profiles on the small exports in ``tests/data/cli``."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaframework import hookimpl
from qaframework.cli import main
from qaframework.cli._loading import INPUT_FORMATS, MARKING
from qaframework.engine.sampling import sample_size
from qaframework.io.rows import FORMATS
from qaframework.profiles.plugins import plugins_for_tests

DATA = Path(__file__).parent / "data" / "cli"
CASES = str(DATA / "cases.csv")
HOLDERS = str(DATA / "holders.toml")
BOLTON = str(DATA / "bolton-audits.json")
MANCHESTER = str(DATA / "manchester-audits.json")
SWINDON = str(DATA / "swindon-audits.json")
TELFORD_LOG = str(DATA / "telford-log.csv")
TELFORD_ROSTER = str(DATA / "telford-roster.toml")

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    monkeypatch.setenv("COLUMNS", "500")  # wide enough that no table cell wraps

    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def marked_csv(out: str) -> list[dict[str, str]]:
    """The rows of CSV output whose first line is the protective marking."""
    first, _, rest = out.partition("\n")
    assert first == MARKING
    return list(csv.DictReader(io.StringIO(rest)))


def ok_json(run: Run, *argv: str) -> Any:
    status, out, err = run(*argv, "--format", "json")
    assert status == 0, err
    return json.loads(out)


# -- the command line as a whole ------------------------------------------------------------


def test_the_commands_appear_in_help(run: Run) -> None:
    status, out, _ = run("--help")
    assert status == 0
    for command in ("audits", "sample", "moderation", "escalations", "actions", "due"):
        assert f"\n    {command}" in out


def test_the_input_formats_are_the_loaders() -> None:
    assert INPUT_FORMATS == FORMATS


def test_building_the_parser_loads_no_engine_or_output_library() -> None:
    script = (
        "import json, sys\n"
        "from qaframework.cli import build_parser\n"
        "build_parser()\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    for module in (
        "qaframework.io",
        "qaframework.engine.agreement",
        "qaframework.engine.obligations",
        "qaframework.profiles.converter",
        "qaframework.profiles.registry",
        "qaframework.policy.profile",
        "rich",
        "cattrs",
        "openpyxl",
    ):
        assert module not in loaded


# -- sample ---------------------------------------------------------------------------------


def test_sample_by_an_activity_rule_is_stratified_and_reproducible(run: Run) -> None:
    argv = ("sample", "bolton", CASES, "--activity", "quality_case_file_audits", "--n", "6")
    data = ok_json(run, *argv, "--as-of", "2026-06-01", "--seed", "7")
    assert data["marking"] == MARKING
    assert (data["profile"], data["version"], data["as_of"]) == ("bolton", "2026-01", "2026-06-01")
    sample = data["sample"]
    assert sample["method"] == "stratified"
    assert sample["seed"] == 7
    assert sample["strata_fields"] == ["service_area"]
    drawn = [case["child_id"] for case in sample["cases"]]
    assert len(drawn) == len(set(drawn)) == 6
    areas = {case["service_area"] for case in sample["cases"]}
    assert areas == {"Safeguarding", "Children in Care", "Early Help"}
    again = ok_json(run, *argv, "--as-of", "2026-06-01", "--seed", "7")
    assert again["sample"] == sample


def test_sample_csv_and_table(run: Run) -> None:
    argv = ("sample", "bolton", CASES, "--activity", "quality_case_file_audits", "--n", "4")
    status, out, err = run(*argv, "--as-of", "2026-06-01", "--format", "csv")
    assert status == 0
    rows = marked_csv(out)
    assert list(rows[0]) == ["child_id", "team", "worker", "service_area", "stratum", "holder"]
    assert len(rows) == 4
    assert all(r["stratum"] == r["service_area"] for r in rows)
    assert "as of: 2026-06-01; method: stratified; seed: 0" in err
    status, out, _ = run(*argv, "--as-of", "2026-06-01")
    assert status == 0
    assert out.startswith(MARKING + "\n")
    for text in ("Bolton Council: Quality Case File Audits", "Strata", "Seed", "Cases drawn"):
        assert text in out
    for row in rows:
        assert row["child_id"] in out


def test_sample_as_of_today_by_default(run: Run) -> None:
    status, out, _ = run("sample", "bolton", CASES, "--method", "random", "--n", "2")
    assert status == 0
    assert "(today)" in out


def test_sample_one_case_per_team_manager(run: Run) -> None:
    data = ok_json(
        run,
        "sample",
        "manchester",
        CASES,
        "--activity",
        "file_audit",
        "--holders",
        HOLDERS,
        "--as-of",
        "2026-06-30",
    )
    sample = data["sample"]
    assert sample["method"] == "quota_per_role"
    assert sample["period"] == "2026-06"
    assert sample["holder_role"] == "team_manager"
    draws = {d["holder"]: d for d in sample["holders"]}
    assert set(draws) == {"tm.ali", "tm.baker"}
    assert draws["tm.baker"]["responsible_for"] == ["Central", "South 1"]
    teams = {case["child_id"]: case["team"] for case in sample["cases"]}
    (ali,) = draws["tm.ali"]["child_ids"]
    assert teams[ali] == "North 2"
    (baker,) = draws["tm.baker"]["child_ids"]
    assert teams[baker] in ("Central", "South 1")


def test_sample_leaves_out_children_audited_in_the_look_back(run: Run) -> None:
    argv = ("sample", "manchester", CASES, "--method", "random", "--as-of", "2026-06-30")
    data = ok_json(run, *argv, "--n", "3", "--exclude-audited", MANCHESTER)
    sample = data["sample"]
    assert [c["child_id"] for c in sample["cases"]] == ["M-30010", "M-30011", "M-30012"]
    (exclusion,) = sample["exclusions"]
    assert exclusion["reason"] == "audited_within_window"
    assert exclusion["count"] == 9
    assert "child_ids" not in exclusion  # listed only with --show-excluded
    week = ok_json(
        run,
        *argv,
        "--n",
        "3",
        "--exclude-audited",
        MANCHESTER,
        "--within",
        "P1W",
        "--show-excluded",
    )
    # Only the audit of 24 June falls in the week up to 30 June.
    assert week["sample"]["exclusions"][0]["child_ids"] == ["M-30008"]
    assert week["sample"]["eligible"] == 11


def test_sample_sized_for_a_margin_of_error(run: Run) -> None:
    data = ok_json(
        run, "sample", "bolton", CASES, "--method", "random", "--margin", "0.2", "--as-of",
        "2026-06-01",
    )  # fmt: skip
    expected = sample_size(12, margin=0.2, confidence=0.95)
    assert data["sample_size"] == {"margin": 0.2, "confidence": 0.95, "eligible": 12, "n": expected}
    assert len(data["sample"]["cases"]) == expected < 12


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (("--method", "purposive", "--where", "Legal Status=LAC"), 4),
        (("--method", "dip", "--n", "2", "--where", "team=Central"), 2),
        (("--method", "quota"), 3),
        (("--method", "stratified", "--n", "5", "--by", "service_area", "team"), 5),
        (
            (
                "--method",
                "random",
                "--n",
                "2",
                "--where",
                "team=Central",
                "--where",
                "team=South 1",
            ),
            2,
        ),
    ],
)
def test_sample_by_method(run: Run, options: tuple[str, ...], expected: int) -> None:
    data = ok_json(run, "sample", "bolton", CASES, "--as-of", "2026-06-01", *options)
    sample = data["sample"]
    assert len(sample["cases"]) == expected
    where = [o for o in options if "=" in o]
    for condition in where:
        field, value = condition.split("=")
        wanted = {v.split("=")[1] for v in where if v.startswith(field)}
        for case in sample["cases"]:
            found = case[field] if field in case else case["fields"][field]
            assert found in wanted
        assert value in wanted
    if "stratified" in options:
        assert sample["strata_fields"] == ["service_area", "team"]
    if "purposive" in options:
        assert sample["seed"] is None


class _Exampleshire:
    """Registers the example council, whose case file audits exclude children audited in a year."""

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        with (Path(__file__).parent / "data" / "exampleshire.toml").open("rb") as file:
            register(tomllib.load(file))


def test_sample_applies_the_rules_own_look_back(run: Run, tmp_path: Path) -> None:
    audits = [("M-30001", "2026-02-02"), ("M-30002", "2026-05-29"), ("M-30003", "2026-06-02")]
    audited = tmp_path / "audited.json"
    audited.write_text(
        json.dumps(
            [
                {
                    "id": f"E-{n}",
                    "child_id": child,
                    "activity": "case_file_audit",
                    "audit_date": day,
                    "auditor": "tm.one",
                    "auditor_role": "team_manager",
                    "overall_grade": "good",
                }
                for n, (child, day) in enumerate(audits)
            ]
        ),
        encoding="utf-8",
    )
    argv = (
        "sample",
        "exampleshire",
        CASES,
        "--activity",
        "case_file_audit",
        "--as-of",
        "2026-06-01",
    )
    with plugins_for_tests(_Exampleshire()):
        data = ok_json(
            run, *argv, "--exclude-audited", str(audited), "--margin", "0.3", "--show-excluded"
        )
        status, _, without = run(*argv, "--n", "3")
        status_within, _, within = run(
            *argv, "--n", "3", "--exclude-audited", str(audited), "--within", "P1M"
        )
    (exclusion,) = data["sample"]["exclusions"]
    # Audited in the year up to 1 June 2026; 2 June 2026 is after the day asked.
    assert exclusion["child_ids"] == ["M-30001", "M-30002"]
    assert data["sample_size"]["eligible"] == 10
    assert data["sample"]["method"] == "stratified"
    assert len(data["sample"]["cases"]) == data["sample_size"]["n"]
    assert status == status_within == 2
    assert "give --exclude-audited FILE" in without
    assert "sets its own look-back window (P1Y)" in within


LISTED = [
    row["Child Unique ID"] for row in csv.DictReader(io.StringIO(Path(CASES).read_text("utf-8")))
]


def _sample_csv(*argv: str) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["sample", "bolton", CASES, "--as-of", "2026-06-01", *argv])
    assert status == 0, err.getvalue()
    return [row["child_id"] for row in marked_csv(out.getvalue())]


@settings(max_examples=40)
@given(
    method=st.sampled_from(["random", "dip", "stratified"]),
    n=st.integers(min_value=0, max_value=len(LISTED)),
    seed=st.integers(min_value=-(2**70), max_value=2**70),
)
def test_a_sample_is_n_listed_cases_without_repeats_the_same_for_a_seed(
    method: str, n: int, seed: int
) -> None:
    argv = ("--method", method, "--n", str(n), "--seed", str(seed), "--format", "csv")
    if method == "stratified":
        argv = (*argv, "--by", "service_area")
    drawn = _sample_csv(*argv)
    assert len(drawn) == len(set(drawn)) == n
    assert set(drawn) <= set(LISTED)
    assert _sample_csv(*argv) == drawn


# -- moderation -----------------------------------------------------------------------------


def test_moderation_chooses_one_audit_per_team_manager_per_month(run: Run) -> None:
    status, out, err = run(
        "moderation", "manchester", MANCHESTER, "--period", "2026-05-01..2026-06-30",
        "--format", "csv",
    )  # fmt: skip
    assert status == 0
    found = list(csv.DictReader(io.StringIO(out)))
    rows = [r for r in found if r["policy"] == "file_audit_moderation"]
    assert {r["rules"] for r in rows} == {"per_role"}
    # Senior Managers moderate every audit by a front line manager not yet moderated.
    every = [r for r in found if r["policy"] == "senior_manager_moderation"]
    assert {r["rules"] for r in every} == {"by_auditor"}
    audits = json.loads(Path(MANCHESTER).read_text(encoding="utf-8"))
    assert {r["audit_id"] for r in every} == {
        a["id"]
        for a in audits
        if not a["moderations"]
        and a["auditor_role"] == "team_manager"
        and "2026-05-01" <= a["audit_date"] <= "2026-06-30"
    }
    chosen = {(r["cycle_start"][:7], r["auditor"]): r["audit_id"] for r in rows}
    assert len(chosen) == len(rows)
    audits = json.loads(Path(MANCHESTER).read_text(encoding="utf-8"))
    moderated = {(a["audit_date"][:7], a["auditor"]) for a in audits if a["moderations"]}
    worked = {(a["audit_date"][:7], a["auditor"]) for a in audits}
    # Each Team Manager's month has exactly one moderated audit: the one already moderated
    # (tm.ali's in May counts) or the one selected.
    assert set(chosen) == worked - moderated
    assert not set(chosen) & moderated
    assert all("1 audit for each Team Manager each month" in r["reasons"] for r in rows)
    assert "seed: 0" in err


def test_moderation_json_has_the_selection_and_agreement(run: Run) -> None:
    data = ok_json(
        run, "moderation", "manchester", MANCHESTER, "--period", "2026-05", "--seed", "3"
    )
    selection = data["selection"]
    assert (selection["profile"], selection["seed"]) == ("manchester", 3)
    assert selection["period"]["label"] == "2026-05"
    by_policy: dict[str, set[str]] = {}
    for s in selection["selected"]:
        by_policy.setdefault(s["policy"], set()).add(s["auditor"])
    # tm.ali's May audit already moderated counts for the Service Lead's one a month; the
    # Senior Managers' policy takes every Team Manager's audit not yet moderated.
    assert by_policy == {
        "file_audit_moderation": {"tm.baker", "tm.cole"},
        "senior_manager_moderation": {"tm.ali", "tm.baker", "tm.cole"},
    }
    agreement = data["agreement"]
    assert (agreement["count"], agreement["downgrades"], agreement["agreed"]) == (1, 1, 0)


def test_moderation_table(run: Run) -> None:
    status, out, _ = run("moderation", "manchester", MANCHESTER, "--period", "2026-05")
    assert status == 0
    for text in (
        "Manchester City Council: moderation for 2026-05",
        "seed 0",
        "File Audit Moderation: moderated by Service Lead / Locality Manager, every month",
        "Audits to moderate",
        "tm.cole (Team Manager)",
        "1 audit moderated in the period, exact agreement 0.0%, 0 upgraded, 1 downgraded",
        "Requires Improvement to be good",
        "Cohen's kappa",
    ):
        assert text in out
    assert MARKING not in out  # audit ids, no child ids


def test_moderation_every_inadequate_audit_in_swindon(run: Run) -> None:
    status, out, _ = run("moderation", "swindon", SWINDON, "--period", "2026-05", "--format", "csv")
    assert status == 0
    rows = {r["audit_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["SW-1"]["rules"] == "grade_at_or_below"
    assert "graded Inadequate" in rows["SW-1"]["reasons"]


# -- escalations ----------------------------------------------------------------------------


def test_escalations_share_an_inadequate_audit_the_same_day(run: Run) -> None:
    status, out, _ = run(
        "escalations", "swindon", SWINDON, "--as-of", "2026-06-01", "--format", "csv"
    )
    assert status == 0
    rows = marked_csv(out)
    (shared,) = [
        r
        for r in rows
        if r["audit_id"] == "SW-1" and r["rule"] == "inadequate_shared_pre_moderation"
    ]
    assert shared["recipients"] == (
        "Director; Head of Service; Service Manager; Team Manager; Quality Assurance Service"
    )
    assert shared["raised_on"] == shared["deadline"] == "2026-05-06"
    assert shared["deadline_rule"] == "same working day"
    assert shared["stage"] == "pre_moderation"
    assert (shared["raised_by"], shared["raised_by_person"]) == ("Team Manager", "tm.green")
    (downgrade,) = [r for r in rows if r["rule"] == "moderation_downgrade_to_inadequate"]
    assert (downgrade["audit_id"], downgrade["notify_auditor"]) == ("SW-3", "tm.green")
    assert downgrade["raised_by"] == "Quality Assurance Service"  # the moderator's service
    assert downgrade["raised_on"] == downgrade["deadline"] == "2026-04-27"
    tracked = [r for r in rows if r["rule"] == "child_of_concern"]
    assert {r["child_id"] for r in tracked} == {"C-502", "C-503"}
    assert all(r["follow_up_every"] == "P1W" and r["status"] == "open" for r in tracked)


def test_escalations_table(run: Run) -> None:
    status, out, _ = run("escalations", "swindon", SWINDON, "--as-of", "2026-06-01")
    assert status == 0
    assert out.startswith(MARKING + "\n")
    for text in (
        "Inadequate audit shared the same day, before moderation",
        "Director, Head of Service, Service Manager, Team Manager, Quality Assurance Service",
        "(same working day)",
        "and the auditor (tm.green)",
        "follow-up 2026-04-22, then every week by Quality Assurance Service",
        "Child of concern tracker (Quality Assurance Service)",
        # The Good audit SW-4 set no actions: nothing to track after its one-week deadline.
        "closed 2026-05-19 (no actions)",
        "8 raised: 3 open, 5 closed",
    ):
        assert text in out


def test_escalations_json_and_open_only(run: Run) -> None:
    data = ok_json(run, "escalations", "swindon", SWINDON, "--as-of", "2026-06-01", "--open")
    assert data["marking"] == MARKING
    assert data["counts"] == {"raised": 8, "open": 3, "closed": 5}
    assert len(data["escalations"]) == 3
    assert {e["status"] for e in data["escalations"]} == {"open"}
    first = data["escalations"][0]["escalation"]
    assert {"rule", "audit_id", "child_id", "recipients", "deadline"} <= set(first)


def test_escalations_raise_a_health_concern_with_the_health_service(run: Run) -> None:
    status, out, _ = run(
        "escalations", "manchester", MANCHESTER, "--as-of", "2026-06-30", "--format", "csv"
    )
    assert status == 0
    (health,) = [r for r in marked_csv(out) if r["rule"] == "health_concern"]
    assert (health["audit_id"], health["recipients"]) == ("MA-02", "Health Service")
    assert health["deadline"] == health["raised_on"] == "2026-05-12"


# -- actions --------------------------------------------------------------------------------


def test_actions_overdue(run: Run) -> None:
    status, out, _ = run("actions", "bolton", BOLTON, "--as-of", "2026-06-01", "--overdue")
    assert status == 0
    assert out.startswith(MARKING + "\n")
    assert "Overdue actions as of 2026-06-01" in out
    assert "Assessment updated after the new referral" in out
    assert "BO-3" not in out.split("By team")[0]  # due 29 June: not yet overdue
    assert "4 actions: 2 open, 1 done, 1 verified; 1 overdue" in out
    row = next(line for line in out.splitlines() if "BO-1" in line)
    assert "2026-04-13" in row
    assert "49" in row


def test_actions_csv_is_every_action_soonest_due_first(run: Run) -> None:
    status, out, _ = run("actions", "bolton", BOLTON, "--as-of", "2026-06-01", "--format", "csv")
    assert status == 0
    rows = marked_csv(out)
    assert [(r["action_id"], r["status"], r["overdue"], r["days_overdue"]) for r in rows] == [
        ("BO-1-A1", "open", "yes", "49"),
        ("BO-1-A2", "done", "no", "0"),
        ("BO-2-A1", "verified", "no", "0"),
        ("BO-3-A1", "open", "no", "0"),
    ]
    assert rows[0]["child_id"] == "B-101"


def test_actions_json_counts_by_team_and_filters(run: Run) -> None:
    data = ok_json(run, "actions", "bolton", BOLTON, "--as-of", "2026-06-01")
    assert data["marking"] == MARKING
    assert data["counts"] == {"total": 4, "open": 2, "done": 1, "verified": 1, "overdue": 1}
    assert [(t["team"], t["total"], t["overdue"]) for t in data["by_team"]] == [
        ("Children in Care", 1, 0),
        ("Safeguarding East", 3, 1),
    ]
    assert "tracker" not in data
    team = ok_json(
        run, "actions", "bolton", BOLTON, "--as-of", "2026-06-01", "--team", "Children in Care"
    )
    assert [a["action"]["id"] for a in team["actions"]] == ["BO-2-A1"]
    owner = ok_json(run, "actions", "bolton", BOLTON, "--as-of", "2026-06-01", "--owner", "sw.lee")
    assert [a["action"]["id"] for a in owner["actions"]] == ["BO-3-A1"]


def test_actions_child_of_concern_tracker(run: Run) -> None:
    argv = ("actions", "swindon", SWINDON, "--as-of", "2026-06-01", "--tracker")
    status, out, _ = run(*argv, "--format", "csv")
    assert status == 0
    rows = {r["child_id"]: r for r in marked_csv(out)}
    assert set(rows) == {"C-502", "C-503"}
    assert rows["C-502"]["added_on"] == "2026-04-15"
    assert rows["C-502"]["open_actions"] == "SW-2-A1"
    assert rows["C-502"]["awaiting_verification"] == "SW-2-A2"
    assert rows["C-502"]["owner"] == "Quality Assurance Service"
    assert rows["C-503"]["next_review"] == "2026-06-01"
    status, out, _ = run(*argv)
    assert status == 0
    assert "Child of concern tracker" in out
    assert "Strategy discussion held and recorded" in out
    data = ok_json(run, *argv)
    assert [e["child_id"] for e in data["tracker"]] == ["C-502", "C-503"]


# -- due ------------------------------------------------------------------------------------


def test_due_flags_a_care_planning_meeting_more_than_six_weeks_ago(run: Run) -> None:
    status, out, _ = run("due", "telford", TELFORD_LOG, "--as-of", "2026-06-01")
    assert status == 0
    assert out.startswith(MARKING + "\n")
    row = next(line for line in out.splitlines() if "C-701" in line)
    for text in ("overdue", "Care planning meeting (before a plan of permanence)", "2026-03-02"):
        assert text in row
    assert "2026-04-13" in row  # six weeks after the last meeting
    assert "C-702" not in out  # met on 20 May: ok, not listed
    assert "before the next child in care review" in out  # C-704, after permanence
    assert "1 care planning meeting per child, within 6 weeks of the last" in out
    assert "1 overdue, 2 due, 1 ok" in out


def test_due_csv_with_every_subject(run: Run) -> None:
    status, out, _ = run(
        "due", "telford", TELFORD_LOG, "--as-of", "2026-06-01", "--all", "--format", "csv"
    )
    assert status == 0
    rows = marked_csv(out)
    assert [(r["status"], r["subject"], r["due_by"]) for r in rows] == [
        ("overdue", "C-701", "2026-04-13"),
        ("due", "C-703", "2026-06-08"),
        ("due", "C-704", ""),
        ("ok", "C-702", "2026-07-01"),
    ]


def test_due_roster_since_and_warning(run: Run) -> None:
    argv = ("due", "telford", TELFORD_LOG, "--as-of", "2026-06-01", "--roster", TELFORD_ROSTER)
    data = ok_json(run, *argv, "--since", "2026-05-01")
    assert data["marking"] == MARKING
    rows = {(r["activity"], r["subject"]): r for r in data["obligations"]}
    # The roster names C-705, whom the log never mentions; the log begins on 1 May, so every
    # child's next meeting is due six weeks on, 12 June, within the default fortnight's warning.
    never = rows[("care_planning_meetings", "C-705")]
    assert (never["status"], never["last_done"], never["due_by"]) == ("due", None, "2026-06-12")
    assert {s for _, s in rows} == {"C-701", "C-703", "C-705"}
    assert data["counts"] == {"ok": 2, "due": 3, "overdue": 0}
    # With three days' warning nothing is due yet on 1 June.
    quiet = ok_json(run, *argv, "--since", "2026-05-01", "--warning", "P3D")
    assert quiet["obligations"] == []
    assert quiet["counts"] == {"ok": 5, "due": 0, "overdue": 0}
    assert "marking" not in quiet  # nothing listed names a child


# -- rejected rows and progress ---------------------------------------------------------------


@pytest.fixture
def audits_with_a_bad_row(tmp_path: Path) -> str:
    rows = json.loads(Path(BOLTON).read_text(encoding="utf-8"))
    rows[1]["overall_grade"] = "splendid"
    path = tmp_path / "audits.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return str(path)


def test_rejected_rows_are_summarised_on_stderr(run: Run, audits_with_a_bad_row: str) -> None:
    status, out, err = run("actions", "bolton", audits_with_a_bad_row, "--as-of", "2026-06-01")
    assert status == 0
    (line,) = err.splitlines()
    assert line.startswith("qaframework: warning: ")
    assert "1 of 3 rows rejected and left out (first: row 2" in line
    assert "splendid" in line
    assert "BO-2" not in out


def test_strict_refuses_any_rejection(run: Run, audits_with_a_bad_row: str) -> None:
    status, out, err = run(
        "actions", "bolton", audits_with_a_bad_row, "--as-of", "2026-06-01", "--strict"
    )
    assert status == 2
    assert out == ""
    assert err.splitlines()[0].endswith("1 of 3 rows rejected")
    assert "Traceback" not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_progress_and_the_same_result(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status, out, _ = run("due", "telford", TELFORD_LOG, "--as-of", "2026-06-01", "--format", "csv")
    assert status == 0
    assert len(marked_csv(out)) == 3
    assert "telford-log.csv" in terminal.getvalue()


# -- bad input ------------------------------------------------------------------------------


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, str]:
    files = {
        "holders.toml": '"tm.ali" = 3\n',
        "broken.json": "{not json",
        "list.json": "[1, 2]",
        "roster.toml": 'child = "C-701"\n',
        "kinds.toml": 'supervisee = ["sw.one"]\n',
        "log.csv": "Activity,Subject ID,Date\nflying,C-1,2026-05-01\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {name: str(tmp_path / name) for name in files}


SAMPLE = ("sample", "bolton", CASES, "--as-of", "2026-06-01")
ESCALATE = ("escalations", "swindon", SWINDON, "--as-of", "2026-06-01")
DUE = ("due", "telford", TELFORD_LOG, "--as-of", "2026-06-01")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("sample", "atlantis", CASES, "--method", "random", "--n", "1"), "unknown profile"),
        ((*SAMPLE, "--method", "random", "--n", "1", "--as-of", "1/6/26"), "not a date"),
        ((*SAMPLE, "--method", "random"), "needs a size"),
        ((*SAMPLE, "--activity", "quality_case_file_audits", "--method", "random"), "not both"),
        ((*SAMPLE, "--method", "random", "--n", "99"), "cannot draw 99 cases"),
        ((*SAMPLE, "--method", "random", "--n", "-1"), "cannot be negative"),
        ((*SAMPLE, "--method", "random", "--n", "2", "--margin", "0.1"), "--n or --margin"),
        ((*SAMPLE, "--method", "random", "--n", "2", "--confidence", "0.9"), "give --margin"),
        ((*SAMPLE, "--method", "quota", "--margin", "0.1"), "--margin sizes"),
        ((*SAMPLE, "--method", "purposive", "--where", "team=Central", "--n", "2"), "no --n"),
        ((*SAMPLE, "--method", "random", "--n", "1", "--audits-mapping", "m.toml"), "give it"),
        (("sample", "manchester", CASES, "--activity", "file_audit", "--margin", "0.1"), "sizes"),
        ((*SAMPLE, "--method", "random", "--margin", "2"), "between 0 and 1"),
        ((*SAMPLE, "--method", "stratified", "--n", "2"), "needs --by"),
        ((*SAMPLE, "--method", "stratified", "--n", "2", "--by", "colour"), "field 'colour'"),
        ((*SAMPLE, "--method", "random", "--n", "2", "--by", "team"), "--by applies"),
        ((*SAMPLE, "--method", "purposive"), "give --where"),
        ((*SAMPLE, "--method", "purposive", "--where", "team"), "FIELD=VALUE"),
        ((*SAMPLE, "--method", "random", "--n", "1", "--period", "2026-13"), "not a period"),
        ((*SAMPLE, "--method", "random", "--n", "1", "--holder-field", "team"), "--method quota"),
        ((*SAMPLE, "--method", "random", "--n", "1", "--within", "P1Y"), "--exclude-audited"),
        ((*SAMPLE, "--method", "random", "--n", "1", "--within", "1 year"), "ISO 8601 duration"),
        ((*SAMPLE, "--activity", "nowhere"), "no activity 'nowhere'"),
        ((*SAMPLE, "--activity", "fpi_workshops"), "has no sampling rule"),
        ((*SAMPLE, "--activity", "quality_case_file_audits"), "give --n N, or --margin M"),
        (
            (*SAMPLE, "--activity", "quality_case_file_audits", "--n", "1", "--period", "2026-06"),
            "no quota",
        ),
        (("sample", "bolton", "absent.csv", "--method", "random", "--n", "1"), "cannot be read"),
        (("sample", "bolton", "cases.xls", "--method", "random", "--n", "1"), "Excel 97-2003"),
        ((*SAMPLE, "--method", "quota", "--holders", "absent.toml"), "absent.toml: cannot be read"),
        (
            (*SAMPLE, "--method", "random", "--n", "1", "--exclude-audited", "absent.json"),
            "cannot be read",
        ),
        (("moderation", "manchester", MANCHESTER), "required: --period"),
        (("moderation", "manchester", MANCHESTER, "--period", "May"), "not a period"),
        (
            ("moderation", "manchester", MANCHESTER, "--period", "2026-05", "--seed", "x"),
            "invalid int",
        ),
        (("moderation", "bolton", BOLTON, "--period", "2025-26"), "spans two versions"),
        (
            ("moderation", "bolton", BOLTON, "--period", "2026-02"),
            "no version in force on 2026-02-01",
        ),
        (("moderation", "atlantis", BOLTON, "--period", "2026-05"), "unknown profile"),
        (("escalations", "swindon", SWINDON), "required: --as-of"),
        (("escalations", "swindon", SWINDON, "--as-of", "2026-02-30"), "not a date"),
        (("escalations", "swindon", "absent.json", "--as-of", "2026-06-01"), "cannot be read"),
        ((*ESCALATE, "--input-format", "csv"), "has no column"),
        (("escalations", "bolton", SWINDON, "--as-of", "2026-06-01", "--strict"), "rows rejected"),
        (("actions", "atlantis", BOLTON, "--as-of", "2026-06-01"), "unknown profile"),
        (("actions", "bolton", BOLTON), "required: --as-of"),
        ((*DUE, "--warning", "two weeks"), "ISO 8601 duration"),
        ((*DUE, "--since", "2026-07-01"), "is after as_of"),
        ((*DUE, "--roster", "absent.toml"), "absent.toml: cannot be read"),
        (("due", "telford", TELFORD_LOG, "--as-of", "2019-01-01"), "no version in force"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run: Run, argv: tuple[str, ...], message: str) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert message in err
    assert err.startswith("qaframework")
    assert "Traceback" not in err
    if "--strict" not in argv:
        assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(
    ("command", "file_option", "name", "message"),
    [
        ((*SAMPLE, "--method", "quota"), "--holders", "holders.toml", "must answer for a value"),
        ((*SAMPLE, "--method", "quota"), "--holders", "broken.json", "is not valid JSON"),
        ((*SAMPLE, "--method", "quota"), "--holders", "list.json", "a table of names"),
        (DUE, "--roster", "roster.toml", "must be a list of ids"),
        (DUE, "--roster", "kinds.toml", "roster names subject kind 'supervisee'"),
    ],
)
def test_bad_side_files_are_one_line_and_exit_2(
    run: Run,
    bad_files: dict[str, str],
    command: tuple[str, ...],
    file_option: str,
    name: str,
    message: str,
) -> None:
    status, out, err = run(*command, file_option, bad_files[name])
    assert status == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1, err


def test_a_log_naming_an_unknown_activity(run: Run, bad_files: dict[str, str]) -> None:
    status, out, err = run("due", "telford", bad_files["log.csv"], "--as-of", "2026-06-01")
    assert status == 2
    assert out == ""
    assert "does not have: 'flying' (1 entry)" in err
    assert len(err.strip().splitlines()) == 1


def test_a_bad_mapping_lists_its_problems_and_exits_2(run: Run) -> None:
    status, out, err = run(*SAMPLE, "--method", "random", "--n", "1", "--mapping", "absent.toml")
    assert status == 2
    assert out == ""
    assert err.splitlines()[0] == "qaframework: error: absent.toml: 1 problem with the mapping"
    assert "Traceback" not in err


# -- the new rule kinds: case filters, quotas held by several roles, per-case events ------------


class _EditedExampleshire:
    """The example council, with its case file audit sampled "2 per Team Manager and 1 per
    Head of Service" a month."""

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        with (Path(__file__).parent / "data" / "exampleshire.toml").open("rb") as file:
            document = tomllib.load(file)
        sampling = document["activities"][0]["sampling"]
        sampling.update(
            method="quota_per_role",
            strata=[],
            size=[
                {"count": 2, "unit": "case", "per_role": "team_manager", "period": "P1M"},
                {"count": 1, "unit": "case", "per_role": "head_of_service", "period": "P1M"},
            ],
        )
        del sampling["exclude_audited_within"]
        register(document)


def test_sample_an_activity_whose_rule_filters_its_cases(run: Run, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "Child Unique ID,Allocated Team,Legal Status,Age Band,Disability,Placement Type\n"
        "E-1,North,CP,16-17,No,Foster care\n"
        "E-2,North,CLA,16-17,No,Placed with parents\n"
        "E-3,South,CIN,16-17,Yes,Foster care\n"
        "E-4,South,CLA,10-15,Yes,Residential\n",
        encoding="utf-8",
    )
    argv = ("sample", "exampleshire", str(cases), "--activity", "thematic_audit")
    with plugins_for_tests(_Exampleshire()):
        data = ok_json(run, *argv, "--as-of", "2026-06-01", "--show-excluded")
        status, out, _ = run(*argv, "--as-of", "2026-06-01")
        lacking = tmp_path / "lacking.csv"
        lacking.write_text("Child Unique ID,Legal Status\nE-1,CP\n", encoding="utf-8")
        failed, _, err = run("sample", "exampleshire", str(lacking), "--activity", "thematic_audit")
    assert [c["child_id"] for c in data["sample"]["cases"]] == ["E-1", "E-4"]
    (exclusion,) = data["sample"]["exclusions"]
    assert exclusion["child_ids"] == ["E-2", "E-3"]
    assert status == 0
    assert "not matching: legal status is CP or CLA" in " ".join(out.split())
    # A field the list lacks is named, in one line.
    assert failed == 2
    assert "names case field 'age_band', but no case on the list has a value" in err
    assert len(err.strip().splitlines()) == 1


def test_sample_a_count_per_role_from_holders_grouped_by_role(run: Run, tmp_path: Path) -> None:
    holders = tmp_path / "holders.toml"
    holders.write_text(
        '[team_manager]\n"tm.ali" = "North 2"\n"tm.baker" = ["South 1", "Central"]\n\n'
        '[head_of_service]\n"hos.cole" = ["North 2", "South 1", "Central"]\n',
        encoding="utf-8",
    )
    argv = (
        "sample",
        "exampleshire",
        CASES,
        "--activity",
        "case_file_audit",
        "--as-of",
        "2026-06-30",
    )
    with plugins_for_tests(_EditedExampleshire()):
        data = ok_json(run, *argv, "--holders", str(holders))
        status, out, _ = run(*argv, "--holders", str(holders))
        flat, _, flat_err = run(*argv, "--holders", HOLDERS)
    draws = {d["holder"]: (d["role"], len(d["child_ids"])) for d in data["sample"]["holders"]}
    assert draws == {
        "tm.ali": ("team_manager", 2),
        "tm.baker": ("team_manager", 2),
        "hos.cole": ("head_of_service", 1),
    }
    assert status == 0
    assert "Head of Service" in out
    assert "Role" in out
    assert flat == 2
    assert (
        "the --holders file gives a [role] table of holders for each of team_manager, "
        "head_of_service" in flat_err
    )


def test_due_before_and_after_a_childs_case_events(run: Run, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "Activity,Subject ID,Date,Role,Event\n"
        "closure_check,C-1,2026-04-10,,case_closure\n"
        "closure_check,C-1,2026-04-09,team_manager,\n"
        "closure_check,C-2,2026-05-01,,\n"
        "panel_review,C-3,2026-02-01,,panel\n",
        encoding="utf-8",
    )
    argv = ("due", "exampleshire", str(log), "--as-of", "2026-06-01", "--all")
    with plugins_for_tests(_Exampleshire()):
        status, out, _ = run(*argv)
        rows = marked_csv(run(*argv, "--format", "csv")[1])
    assert status == 0
    assert out.startswith(MARKING + "\n")  # owed per child
    found = {(r["activity"], r["subject"]): (r["status"], r["due_by"]) for r in rows}
    assert found == {
        ("closure_check", "C-1"): ("overdue", "2026-04-08"),
        ("closure_check", "C-2"): ("ok", ""),
        ("panel_review", "C-3"): ("ok", "2027-02-01"),
    }
    text = " ".join(out.split())
    assert "1 check per child, at least 2 working days before each case closure" in text
    assert "before the next case closure" in text  # C-2: owed before a closure not yet known
