"""Cycle reports, audit records and samples as pandas and polars frames.

The report frames are checked against the report's own tables (whose figures
``test_cycle_report.py`` checks by hand) and against a few audits counted by hand here; the
published view must never show a small count, and must show a suppressed one as missing
with its flag.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.engine.audits import Audit, Judgement
from qaframework.engine.periods import Period
from qaframework.engine.report import CycleReport, NotePublication, build_cycle_report
from qaframework.engine.sampling import quota_per_holder, simple_random, stratified
from qaframework.engine.suppression import SuppressedTable, SuppressionPolicy
from qaframework.errors import QAFrameworkError
from qaframework.io import AuditLoad, load_audits, load_cases
from qaframework.policy.escalation import Concern
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case
from qaframework.policy.workdays import WorkingCalendar
from qaframework.profiles.registry import load_profile
from qaframework.render.frames import (
    Frames,
    FramesError,
    MissingExtra,
    audit_frames,
    report_frames,
    sample_frame,
    to_pandas,
    to_polars,
)
from qaframework.testing.strategies import audits as audits_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "swindon"
QUARTER = Period.parse("2026-27 Q1")
AS_OF = date(2026, 7, 15)
BACKENDS = ("pandas", "polars")
OUT, G, RI, INAD = "outstanding", "good", "requires_improvement", "inadequate"

COLUMNS = {
    "by_activity": ["period", "activity", "activity_name", "count", "suppressed"],
    "overall": ["period", "grade", "grade_label", "count", "suppressed"],
    "by_standard": [
        "period",
        "standard",
        "standard_title",
        "grade",
        "grade_label",
        "count",
        "suppressed",
    ],
    "by_team": ["period", "team", "grade", "grade_label", "count", "suppressed"],
    "by_service_area": ["period", "service_area", "grade", "grade_label", "count", "suppressed"],
    "trend": [
        "period",
        "start",
        "end",
        "grade",
        "grade_label",
        "count",
        "suppressed",
        "recorded",
    ],
    "shares": [
        "period",
        "breakdown",
        "key",
        "label",
        "total",
        "good_or_better",
        "share",
        "lower",
        "upper",
        "withheld",
    ],
    "moderation_matrix": ["period", "auditor_grade", "moderated_grade", "count", "suppressed"],
    "escalations": [
        "period",
        "rule",
        "rule_name",
        "status",
        "status_label",
        "count",
        "suppressed",
    ],
    "actions": ["period", "team", "status", "status_label", "count", "suppressed"],
    "trackers": ["period", "tracker", "measure", "count", "suppressed"],
    "themes": [
        "period",
        "rank",
        "standard",
        "standard_title",
        "judged",
        "below_good",
        "share",
        "lower",
        "upper",
        "withheld",
        "strengths_written",
        "would_improve_written",
    ],
    "notes": ["period", "standard", "kind", "text", "count", "suppressed"],
    "figures": ["period", "measure", "value", "withheld"],
    "destinations": ["period", "reporting_line", "report", "recipient", "forum", "meeting"],
    "basis": ["period", "kind", "id", "paths", "text"],
    "compliance": [
        "period",
        "activity",
        "item",
        "item_label",
        "answer",
        "answer_label",
        "count",
        "suppressed",
    ],
    "scales": [
        "period",
        "scale",
        "activity",
        "activity_name",
        "grade",
        "grade_label",
        "count",
        "suppressed",
    ],
}


def _plain(value: Any) -> Any:
    """A frame's cell as plain Python: missing values None, timestamps dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def rows(frame: Any) -> list[dict[str, Any]]:
    """A pandas or polars frame as a list of plain dicts, one per row."""
    if isinstance(frame, pl.DataFrame):
        return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dicts()]
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def columns(frame: Any) -> list[str]:
    return [str(c) for c in frame.columns]


@pytest.fixture(scope="module")
def swindon() -> Profile:
    return load_profile("swindon", as_of=QUARTER.end)


@pytest.fixture(scope="module")
def load() -> AuditLoad:
    return load_audits(EXAMPLES / "audits.jsonl", "swindon")


@pytest.fixture(scope="module")
def report(load: AuditLoad, swindon: Profile) -> CycleReport:
    return build_cycle_report(load.accepted, swindon, QUARTER, as_of=AS_OF)


# -- cycle reports -----------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_report_gives_every_table_as_a_tidy_frame(report: CycleReport, backend: str) -> None:
    frames = report_frames(report, backend=backend)  # type: ignore[arg-type]
    assert isinstance(frames, Frames)
    assert frames.view == "published"
    assert frames.policy == SuppressionPolicy()
    assert list(frames) == list(COLUMNS)
    for name, expected in COLUMNS.items():
        assert columns(frames[name]) == expected, name
    library = pd.DataFrame if backend == "pandas" else pl.DataFrame
    assert all(isinstance(frame, library) for frame in frames.values())


def _cells(frame: Any, row: str, column: str) -> dict[tuple[Any, Any], tuple[Any, bool]]:
    # A trend's period with no data has no row in the published table.
    return {
        (r[row], r[column]): (r["count"], r["suppressed"])
        for r in rows(frame)
        if r.get("recorded", True)
    }


def _table_cells(table: SuppressedTable) -> dict[tuple[Any, Any], tuple[Any, bool]]:
    return {
        (key, column): (cell, cell is None)
        for key, line in zip(table.row_keys, table.cells, strict=True)
        for column, cell in zip(table.column_keys, line, strict=True)
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_published_frames_show_the_published_tables(report: CycleReport, backend: str) -> None:
    frames = report_frames(report, backend=backend)  # type: ignore[arg-type]
    published = report.publishable()
    pairs = [
        ("by_standard", "standard", "grade", published.by_standard.table),
        ("by_team", "team", "grade", published.by_team.table),
        ("by_service_area", "service_area", "grade", published.by_service_area.table),
        ("trend", "period", "grade", published.trend.table),
        ("moderation_matrix", "auditor_grade", "moderated_grade", published.moderation.matrix),
        ("escalations", "rule", "status", published.escalations.by_rule),
        ("actions", "team", "status", published.actions.by_team),
    ]
    for name, row, column, table in pairs:
        assert _cells(frames[name], row, column) == _table_cells(table), name
    suppressed = [r for r in rows(frames["by_team"]) if r["suppressed"]]
    assert suppressed  # the example has small numbers to hide
    assert all(r["count"] is None for r in suppressed)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_published_view_shows_no_small_count(report: CycleReport, backend: str) -> None:
    frames = report_frames(report, backend=backend)  # type: ignore[arg-type]
    hidden = 0
    for name, frame in frames.items():
        if "count" not in columns(frame):
            continue
        for r in rows(frame):
            no_data = not r.get("recorded", True)
            assert (r["count"] is None) == (r["suppressed"] or no_data), (name, r)
            assert r["count"] is None or not 1 <= r["count"] <= 5, (name, r)
            hidden += r["suppressed"]
    assert hidden > 0
    for r in rows(frames["shares"]):
        if r["withheld"]:
            assert r["share"] is r["lower"] is r["upper"] is r["good_or_better"] is None


def test_the_exact_view_shows_every_count(report: CycleReport) -> None:
    frames = report.to_pandas(SuppressionPolicy.off())
    assert frames.view == "exact"
    table = report.by_team.table
    expected = {
        (key, column): (count, False)
        for key, line in zip(table.row_keys, table.counts, strict=True)
        for column, count in zip(table.column_keys, line, strict=True)
    }
    assert _cells(frames["by_team"], "team", "grade") == expected
    for name, frame in frames.items():
        for flag in {"suppressed", "withheld"}.intersection(columns(frame)):
            assert not frame[flag].any(), name
    assert frames["by_standard"]["count"].sum() == report.by_standard.table.total
    assert frames["overall"]["count"].tolist() == list(report.overall.table.counts[0])


def test_shares_figures_and_kappa(report: CycleReport) -> None:
    exact = rows(report.to_pandas(SuppressionPolicy.off())["figures"])
    measures = {r["measure"]: r["value"] for r in exact}
    assert measures["audits"] == report.audits == 193
    assert measures["good_or_better"] == pytest.approx(report.good_or_better.value)
    assert measures["moderated"] == report.moderation.moderated
    for kappa in report.moderation.agreement.kappas:
        assert measures[f"kappa_{kappa.weighting.value}"] == pytest.approx(kappa.value)
    # The previous quarter had no audits: the change in share is undefined, not withheld.
    change = next(r for r in exact if r["measure"] == "change_in_good_or_better")
    assert change["value"] is None
    assert change["withheld"] is False
    published = report.publishable()
    assert published.moderation.kappa_withheld
    shown = {r["measure"]: r for r in rows(report.to_pandas()["figures"])}
    for kappa in report.moderation.agreement.kappas:
        row = shown[f"kappa_{kappa.weighting.value}"]
        assert row["value"] is None
        assert row["withheld"] is True
    assert shown["audits"] == {
        "period": "2026-27 Q1",
        "measure": "audits",
        "value": 193.0,
        "withheld": False,
    }
    shares = rows(report.to_pandas(SuppressionPolicy.off())["shares"])
    standards = [r for r in shares if r["breakdown"] == "standard"]
    assert [r["key"] for r in standards] == list(report.by_standard.table.row_keys)
    for r, share in zip(standards, report.by_standard.good_or_better, strict=True):
        assert (r["good_or_better"], r["total"]) == (share.count, share.total)
        assert (r["share"], r["lower"], r["upper"]) == (share.value, share.lower, share.upper)
    trend = [r for r in shares if r["breakdown"] == "trend"]
    assert [r["period"] for r in trend] == [s.period.label for s in report.trend if s.recorded]


def test_trend_themes_notes_and_destinations(report: CycleReport) -> None:
    frames = report_frames(report, backend="polars", notes=NotePublication())
    trend = frames["trend"].unique(subset=["period", "start", "end"], maintain_order=True)
    assert trend.select("period", "start", "end").rows() == [
        (s.period.label, s.period.start, s.period.end) for s in report.trend
    ]
    themes = frames["themes"]
    assert themes["standard"].to_list() == [t.standard for t in report.themes]
    assert themes["rank"].to_list() == list(range(1, len(report.themes) + 1))
    assert themes["strengths_written"].to_list() == [t.strengths_written for t in report.themes]
    # The trend's periods before the example quarter hold no audit: recorded false, no zeros.
    first = frames["trend"].filter(pl.col("period") == report.trend[0].period.label)
    assert first["recorded"].to_list() == [False] * len(report.grades)
    assert first["count"].to_list() == [None] * len(report.grades)
    # Without the opt-in, no note is published.
    assert report.to_polars()["notes"].height == 0
    notes = frames["notes"].filter(pl.col("standard") == report.themes[0].standard)
    assert notes.filter(pl.col("kind") == "would_improve")["text"].to_list() == [
        n.text for n in report.themes[0].would_improve
    ]
    destination = report.destinations[0]
    assert frames["destinations"].row(0) == (
        "2026-27 Q1",
        destination.reporting_line,
        destination.report,
        destination.recipient,
        destination.forum,
        destination.meetings[0],
    )


def test_grades_are_ordered_categories(report: CycleReport) -> None:
    codes = [g.code for g in report.grades]
    by_team = report.to_pandas()["by_team"]
    assert by_team["grade"].cat.ordered
    assert list(by_team["grade"].cat.categories) == codes
    shuffled = by_team.sample(frac=1, random_state=1).sort_values("grade")
    assert list(dict.fromkeys(shuffled["grade"])) == codes
    polars = report.to_polars()["moderation_matrix"]
    assert polars.schema["auditor_grade"] == pl.Enum(codes)
    assert polars.schema["moderated_grade"] == pl.Enum(codes)
    assert (
        polars.sort("moderated_grade")["moderated_grade"].unique(maintain_order=True).to_list()
        == codes
    )


@pytest.mark.parametrize("policy", [None, SuppressionPolicy.off(), SuppressionPolicy(threshold=9)])
def test_pandas_and_polars_frames_agree(
    report: CycleReport, policy: SuppressionPolicy | None
) -> None:
    in_pandas = report.to_pandas(policy)
    in_polars = report.to_polars(policy)
    assert in_pandas.view == in_polars.view
    for name in in_pandas:
        assert rows(in_pandas[name]) == rows(in_polars[name]), name


def test_a_report_counted_by_hand(example_profile: Profile, calendar: WorkingCalendar) -> None:
    def audit(number: int, grade: str, team: str | None) -> Audit:
        return Audit(
            id=f"A{number}",
            child_id=f"C{number}",
            activity="case_file_audit",
            audit_date=date(2026, 5, number),
            auditor="tm1",
            auditor_role="team_manager",
            overall_grade=grade,
            team=team,
            judgements=(Judgement("assessment", grade),),
        )

    # Alpha: 7 good, 1 requires improvement; Beta: 6 good; no team: 1 inadequate.
    audits = [audit(n, G, "Alpha") for n in range(1, 8)]
    audits += [audit(8, RI, "Alpha"), audit(9, INAD, None)]
    audits += [audit(n, G, "Beta") for n in range(10, 16)]
    report = build_cycle_report(
        audits, example_profile, Period.month(2026, 5), as_of=date(2026, 6, 15), calendar=calendar
    )
    exact = report.to_pandas(SuppressionPolicy.off())["by_team"]
    counted = {(r["team"], r["grade"]): r["count"] for r in rows(exact)}
    assert counted == {
        ("Alpha", OUT): 0, ("Alpha", G): 7, ("Alpha", RI): 1, ("Alpha", INAD): 0,
        ("Beta", OUT): 0, ("Beta", G): 6, ("Beta", RI): 0, ("Beta", INAD): 0,
        (None, OUT): 0, (None, G): 0, (None, RI): 0, (None, INAD): 1,
    }  # fmt: skip
    published = rows(report.to_pandas()["by_team"])
    shown = {(r["team"], r["grade"]): r["count"] for r in published}
    # The 1s are hidden, and so is what would give them away; zeros are shown.
    assert shown[("Alpha", RI)] is None
    assert shown[(None, INAD)] is None
    assert shown[("Alpha", OUT)] == 0
    assert 1 not in shown.values()
    # Overall: 0, 13, 1, 1 of 15. The two 1s are hidden; with the total shown, they are the
    # only way to make 2, so 13 is hidden too.
    overall = {r["grade"]: r["count"] for r in rows(report.to_pandas()["overall"])}
    assert overall == {OUT: 0, G: None, RI: None, INAD: None}
    shares = rows(report.to_pandas(SuppressionPolicy.off())["shares"])
    beta = next(r for r in shares if r["breakdown"] == "team" and r["key"] == "Beta")
    assert (beta["good_or_better"], beta["total"], beta["share"]) == (6, 6, 1.0)


def _audit_sets(profile: Profile) -> st.SearchStrategy[list[Audit]]:
    return st.lists(
        audits_of(profile, start=date(2026, 3, 1), end=date(2026, 6, 10)),
        max_size=20,
        unique_by=lambda a: a.id,
    )


@given(data=st.data(), threshold=st.integers(1, 5))
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
def test_any_report_frames_hide_small_counts_and_add_up(
    example_profile: Profile, calendar: WorkingCalendar, data: st.DataObject, threshold: int
) -> None:
    records = data.draw(_audit_sets(example_profile))
    report = build_cycle_report(
        records,
        example_profile,
        Period.month(2026, 5),
        as_of=date(2026, 6, 15),
        trend_periods=3,
        calendar=calendar,
    )
    policy = SuppressionPolicy(threshold=threshold)
    published = report.to_pandas(policy)
    for name, frame in published.items():
        if "count" in columns(frame):
            for r in rows(frame):
                no_data = not r.get("recorded", True)
                assert (r["count"] is None) == (r["suppressed"] or no_data), name
                assert r["count"] is None or not 1 <= r["count"] <= threshold, name
    exact = report.to_pandas(SuppressionPolicy.off())
    for name in ("overall", "by_team", "by_service_area"):
        assert exact[name]["count"].sum() == report.audits, name
    assert exact["by_activity"]["count"].sum() == report.audits
    assert exact["moderation_matrix"]["count"].sum() == report.moderation.moderated


# -- audit records -------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_audit_frames_have_a_row_per_record(load: AuditLoad, backend: str) -> None:
    frames = audit_frames(load, backend=backend)  # type: ignore[arg-type]
    assert frames.view == "records"
    assert list(frames) == ["audits", "judgements", "moderations", "actions", "rejections"]
    audits = load.accepted
    table = rows(frames["audits"])
    assert [r["audit_id"] for r in table] == [a.id for a in audits]
    for r, a in zip(table, audits, strict=True):
        assert r["child_id"] == a.child_id
        assert r["audit_date"] == a.audit_date
        assert (r["overall_grade"], r["moderated_grade"], r["final_grade"]) == (
            a.overall_grade,
            a.moderated_grade,
            a.final_grade,
        )
        assert (r["judgements"], r["moderations"], r["actions"]) == (
            len(a.judgements),
            len(a.moderations),
            len(a.actions),
        )
        assert r["concern_urgent_safety"] == (Concern.URGENT_SAFETY in a.concerns)
        given = {
            k.removeprefix("feedback_") for k, v in r.items() if k.startswith("feedback_") and v
        }
        assert given == {s.value for s in a.feedback}
    judgements = rows(frames["judgements"])
    assert [(r["audit_id"], r["standard"], r["grade"], r["would_improve"]) for r in judgements] == [
        (a.id, j.standard, j.grade, j.would_improve) for a in audits for j in a.judgements
    ]
    moderations = rows(frames["moderations"])
    assert [(r["audit_id"], r["grade"], r["outcome"], r["moderated_on"]) for r in moderations] == [
        (a.id, m.grade, m.outcome.value, m.on) for a in audits for m in a.moderations
    ]
    actions = rows(frames["actions"])
    assert [
        (r["audit_id"], r["action_id"], r["status"], r["due"], r["done_on"]) for r in actions
    ] == [(a.id, x.id, x.status.value, x.due, x.done_on) for a in audits for x in a.actions]
    assert moderations
    assert any(r["done_on"] is None for r in actions)
    assert rows(frames["rejections"]) == []


def test_audit_frames_dtypes(load: AuditLoad) -> None:
    frames = load.to_pandas()
    audits = frames["audits"]
    assert str(audits["audit_date"].dtype).startswith("datetime64")
    assert str(audits["judgements"].dtype) == "Int64"
    assert audits["concern_urgent_safety"].dtype == bool
    assert str(frames["actions"]["review"].dtype).startswith("datetime64")
    polars = load.to_polars()
    assert polars["audits"].schema["audit_date"] == pl.Date
    assert polars["moderations"].schema["moderated_on"] == pl.Date


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_audits_give_empty_frames_with_every_column(load: AuditLoad, backend: str) -> None:
    empty = audit_frames([], backend=backend)  # type: ignore[arg-type]
    full = audit_frames(load.accepted, backend=backend)  # type: ignore[arg-type]
    assert "rejections" not in empty
    for name in empty:
        assert len(empty[name]) == 0
        assert columns(empty[name]) == columns(full[name])


def test_audits_from_any_iterable(load: AuditLoad) -> None:
    first = load.accepted[:5]
    from_generator = audit_frames(a for a in first)
    assert rows(from_generator["audits"]) == rows(to_pandas(first)["audits"])
    assert rows(to_polars(list(first))["judgements"]) == rows(from_generator["judgements"])


def test_items_that_are_not_audits_are_refused(load: AuditLoad) -> None:
    with pytest.raises(FramesError, match=r"item 1 is a str"):
        audit_frames([load.accepted[0], "AUD-1"])  # type: ignore[list-item]


def test_rejections_have_a_row_per_problem(tmp_path: Path) -> None:
    with (EXAMPLES / "audits.csv").open(newline="", encoding="utf-8") as file:
        lines = list(csv.DictReader(file))
    lines[0]["Overall Grade"] = "Excellent"
    lines[1]["Completed On"] = "31/04/2026"
    lines[1]["Person ID"] = ""
    lines[3]["Workflow Step ID"] = lines[2]["Workflow Step ID"]
    spoiled = tmp_path / "audits.csv"
    with spoiled.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    loaded = load_audits(spoiled, "swindon", mapping=EXAMPLES / "audits.mapping.toml")
    assert len(loaded.rejected) == 3
    found = rows(loaded.to_pandas()["rejections"])
    assert [(r["row"], r["column"], r["value"], r["reason"], r["duplicate_of"]) for r in found] == [
        (rejection.row, p.column, p.value, p.reason, rejection.duplicate_of)
        for rejection in loaded.rejected
        for p in rejection.problems
    ]
    assert len(found) > len(loaded.rejected)  # the second spoiled row has two problems
    assert [r["row"] for r in found if r["duplicate_of"] is not None] == [5]
    assert rows(loaded.to_polars()["rejections"]) == found


# -- samples -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases() -> tuple[Case, ...]:
    return load_cases(EXAMPLES / "cases.csv").accepted


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_stratified_sample_has_a_row_per_case_with_its_stratum(
    cases: tuple[Case, ...], backend: str
) -> None:
    sample = stratified(cases, 30, by=["service_area", "Legal Status"], seed=7)
    frame = sample_frame(sample, backend=backend)  # type: ignore[arg-type]
    found = rows(frame)
    assert [r["child_id"] for r in found] == list(sample.child_ids)
    assert columns(frame)[:4] == ["child_id", "team", "worker", "service_area"]
    assert columns(frame)[-1] == "stratum"
    assert "Legal Status" in columns(frame)
    assert "holder" not in columns(frame)
    for stratum in sample.strata:
        label = " / ".join(stratum.values)  # type: ignore[arg-type]
        assert [r["child_id"] for r in found if r["stratum"] == label] == list(stratum.child_ids)
    for r, case in zip(found, sample.cases, strict=True):
        assert r["team"] == case.team
        assert r["Legal Status"] == case.fields["Legal Status"]


def test_a_quota_sample_names_each_case_holder(cases: tuple[Case, ...]) -> None:
    sample = quota_per_holder(cases, 2, seed=3, period="2026-07")
    frame = sample.to_polars()
    assert "stratum" not in frame.columns
    for draw in sample.holders:
        assert frame.filter(pl.col("holder") == draw.holder)["child_id"].to_list() == list(
            draw.child_ids
        )


def test_a_case_field_named_like_a_column_keeps_its_values() -> None:
    listed = [
        Case(f"C{i}", team="North" if i % 2 else None, fields={"stratum": f"s{i}", "holder": "x"})
        for i in range(8)
    ]
    sample = stratified(listed, 4, by="team", seed=1)
    found = rows(sample.to_pandas())
    assert [c for c in found[0] if c.startswith("field:")] == ["field:stratum", "field:holder"]
    by_child = {c.child_id: c for c in listed}
    for r in found:
        assert r["field:stratum"] == by_child[r["child_id"]].fields["stratum"]
        assert r["stratum"] == (by_child[r["child_id"]].team or "Not recorded")


def test_a_simple_random_sample_has_no_stratum_or_holder(cases: tuple[Case, ...]) -> None:
    frame = simple_random(cases, 5, seed=1).to_pandas()
    assert len(frame) == 5
    assert "stratum" not in frame.columns
    assert "holder" not in frame.columns


# -- the extras, the backends and the container ----------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_missing_extra_names_it(
    monkeypatch: pytest.MonkeyPatch,
    report: CycleReport,
    load: AuditLoad,
    cases: tuple[Case, ...],
    backend: str,
) -> None:
    monkeypatch.setitem(sys.modules, backend, None)
    sample = simple_random(cases, 3, seed=1)
    for value in (report, load, sample):
        with pytest.raises(MissingExtra) as raised:
            getattr(value, f"to_{backend}")()
        error = raised.value
        assert isinstance(error, QAFrameworkError)
        assert isinstance(error, ImportError)
        assert error.extra == backend
        assert f"pip install 'qaframework[{backend}]'" in str(error)


def test_no_frame_library_is_imported_until_asked() -> None:
    code = (
        "import sys, qaframework.render.frames\n"
        "from qaframework.engine.sampling import simple_random\n"
        "from qaframework.policy.sampling import Case\n"
        "sample = simple_random([Case('A'), Case('B')], 1, seed=1)\n"
        "sample._repr_html_()\n"
        "print(sorted(m for m in ('pandas', 'polars', 'numpy') if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(found.replace("'", '"')) == []


def test_loading_the_core_loads_neither_adapter() -> None:
    code = (
        "import sys, qaframework.engine.report, qaframework.engine.sampling\n"
        "import qaframework.policy.profile\n"
        "adapters = ('qaframework.render', 'qaframework.io', 'pandas', 'polars')\n"
        "print(sorted(m for m in adapters if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(found.replace("'", '"')) == []


def test_an_unknown_backend_or_value_is_refused(
    report: CycleReport, cases: tuple[Case, ...]
) -> None:
    with pytest.raises(FramesError, match="'pandas' or 'polars', not 'spark'"):
        report_frames(report, backend="spark")  # type: ignore[arg-type]
    with pytest.raises(FramesError, match="no frames for a str"):
        to_pandas("audits.csv")
    with pytest.raises(FramesError, match="applies to the frames of a cycle report only"):
        to_polars(simple_random(cases, 1, seed=1), policy=SuppressionPolicy.off())


def test_frames_are_a_read_only_mapping(report: CycleReport) -> None:
    frames = report.to_pandas()
    assert len(frames) == len(COLUMNS)
    assert "by_team" in frames
    assert repr(frames).startswith("Frames(view='published', frames=[by_activity, overall")
    with pytest.raises(KeyError, match="no frame 'by_grade'"):
        frames["by_grade"]
    assert frames == frames
    assert frames != report.to_pandas()
    assert hash(frames) == hash(frames)
    with pytest.raises(TypeError):
        frames["by_team"] = None  # type: ignore[index]


def test_the_published_frames_never_name_a_child(report: CycleReport, load: AuditLoad) -> None:
    children = {a.child_id for a in load.accepted}
    for name, frame in report.to_pandas(SuppressionPolicy.off()).items():
        for r in rows(frame):
            assert not children.intersection(str(v) for v in r.values()), name
