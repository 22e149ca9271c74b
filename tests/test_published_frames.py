"""Frames of a published report on its own (``PublishedCycleReport.to_pandas``): the same
frames as the report's, and a ``withheld`` column that says only what the published view
knows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.engine.audits import Audit, Judgement, ModerationRecord, RecordedData
from qaframework.engine.periods import Period
from qaframework.engine.report import CycleReport, PublishedCycleReport, build_cycle_report
from qaframework.engine.suppression import SuppressionPolicy
from qaframework.io import load_audits
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.profiles.registry import load_profile
from tests.test_frames import _audit_sets, rows

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "swindon"
QUARTER = Period.parse("2026-27 Q1")
POLICIES = [None, SuppressionPolicy.off(), SuppressionPolicy(threshold=9)]


@pytest.fixture(scope="module")
def report() -> CycleReport:
    load = load_audits(EXAMPLES / "audits.jsonl", "swindon")
    swindon = load_profile("swindon", as_of=QUARTER.end)
    return build_cycle_report(load.accepted, swindon, QUARTER, as_of=date(2026, 7, 15))


def _same(published: PublishedCycleReport, report: CycleReport, backend: str) -> None:
    policy = published.policy
    alone = published.to_pandas() if backend == "pandas" else published.to_polars()
    whole = report.to_pandas(policy) if backend == "pandas" else report.to_polars(policy)
    assert (alone.view, alone.policy) == (whole.view, whole.policy)
    assert list(alone) == list(whole)
    for name in whole:
        assert rows(alone[name]) == rows(whole[name]), name


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_a_published_report_has_the_reports_frames(
    report: CycleReport, policy: SuppressionPolicy | None, backend: str
) -> None:
    _same(report.publishable(policy), report, backend)


def test_the_view_says_whether_counts_are_suppressed(report: CycleReport) -> None:
    assert report.publishable().to_pandas().view == "published"
    assert report.publishable(SuppressionPolicy.off()).to_pandas().view == "exact"
    assert report.publishable().frames(backend="polars").view == "published"


def _figures(frames: object) -> dict[str, tuple[float | None, bool]]:
    return {r["measure"]: (r["value"], r["withheld"]) for r in rows(frames["figures"])}  # type: ignore[index]


def test_kappa_of_one_grade_behind_a_suppressed_cell_is_withheld_in_the_published_view(
    example_profile: Profile, calendar: WorkingCalendar
) -> None:
    # Four audits graded good, each moderated good: kappa is undefined (one grade only),
    # and the matrix's one cell (4) is suppressed, so the published view withholds kappa.
    audits = [
        Audit(
            id=f"A{n}",
            child_id=f"C{n}",
            activity="case_file_audit",
            audit_date=date(2026, 5, n),
            auditor="tm1",
            auditor_role="team_manager",
            overall_grade="good",
            judgements=(Judgement("assessment", "good"),),
            moderations=(
                ModerationRecord(
                    "hos1", "head_of_service", "good", ModerationOutcome.AGREE, date(2026, 5, 20)
                ),
            ),
        )
        for n in range(1, 5)
    ]
    report = build_cycle_report(
        audits, example_profile, Period.month(2026, 5), as_of=date(2026, 6, 15), calendar=calendar
    )
    assert all(k.value is None for k in report.moderation.agreement.kappas)
    published = report.publishable()
    assert published.moderation.kappa_withheld
    exact = _figures(report.to_pandas())
    alone = _figures(published.to_pandas())
    kappas = [m for m in exact if m.startswith("kappa_")]
    assert kappas
    for measure in kappas:
        # The report knows kappa was undefined; the published view knows only it withheld it.
        assert exact[measure] == (None, False)
        assert alone[measure] == (None, True)
    assert {m: v for m, v in alone.items() if m not in kappas} == {
        m: v for m, v in exact.items() if m not in kappas
    }


@given(data=st.data(), threshold=st.integers(1, 5))
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_any_published_report_gives_its_reports_frames_but_for_kappa(
    example_profile: Profile, calendar: WorkingCalendar, data: st.DataObject, threshold: int
) -> None:
    records = data.draw(_audit_sets(example_profile))
    # An export may leave out actions, moderation, feedback or concerns altogether.
    recorded = data.draw(
        st.builds(
            RecordedData,
            actions=st.booleans(),
            moderation=st.booleans(),
            feedback=st.booleans(),
            concerns=st.booleans(),
        )
    )
    report = build_cycle_report(
        records,
        example_profile,
        Period.month(2026, 5),
        as_of=date(2026, 6, 15),
        trend_periods=3,
        calendar=calendar,
        recorded=recorded,
    )
    policy = SuppressionPolicy(threshold=threshold)
    published = report.publishable(policy)
    alone = published.to_pandas()
    whole = report.to_pandas(policy)
    for name in whole:
        if name != "figures":
            assert rows(alone[name]) == rows(whole[name]), name
    mine, theirs = _figures(alone), _figures(whole)
    assert mine.keys() == theirs.keys()
    for measure, (value, withheld) in mine.items():
        if withheld and not theirs[measure][1]:
            # The one thing the published view cannot know: a withheld kappa was undefined.
            assert measure.startswith("kappa_")
            assert published.moderation.kappa_withheld
            assert theirs[measure] == (None, False)
        else:
            assert (value, withheld) == theirs[measure], measure
