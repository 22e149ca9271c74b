"""Cycle reports, checked against a dozen audits counted by hand.

The example profile grades Outstanding / Good / Requires improvement / Inadequate with
"good" the good-or-better threshold. The report is for May 2026 as of 15 June 2026; April
and March are the trend before it. Every expected figure below is counted from the table of
audits in :func:`hand_audits`, not computed by the code under test.
"""

from __future__ import annotations

import json
import math
from datetime import date

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.engine.agreement import Weighting
from qaframework.engine.audits import Audit, AuditAction, Judgement, ModerationRecord, check_audit
from qaframework.engine.periods import FinancialQuarter, FinancialYear, Period
from qaframework.engine.report import (
    OFFICIAL_SENSITIVE,
    ChildLevelDetail,
    CycleReport,
    CycleReportError,
    Share,
    build_cycle_report,
    child_level_detail,
    compare_authorities,
    council_cycle,
    previous_period,
    publish_comparison,
    report_period,
    trailing_periods,
    wilson_interval,
)
from qaframework.engine.report.notes import NotePublication
from qaframework.engine.suppression import SuppressionPolicy
from qaframework.policy.actions import ActionStatus
from qaframework.policy.escalation import Concern
from qaframework.policy.grades import Ilacs
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.profiles.converter import from_dict, to_dict
from qaframework.profiles.registry import load_profile
from qaframework.testing.strategies import audits as audits_of

MAY = Period.month(2026, 5)
AS_OF = date(2026, 6, 15)
OUT, G, RI, INAD = "outstanding", "good", "requires_improvement", "inadequate"


def moderation(grade: str, before: str, on: date) -> ModerationRecord:
    order = [OUT, G, RI, INAD]
    outcome = (
        ModerationOutcome.AGREE
        if grade == before
        else ModerationOutcome.UPGRADE
        if order.index(grade) < order.index(before)
        else ModerationOutcome.DOWNGRADE
    )
    return ModerationRecord("hos1", "head_of_service", grade, outcome, on)


def audit(
    number: int,
    day: date,
    grade: str,
    *,
    child: int | None = None,
    team: str | None = None,
    area: str | None = None,
    activity: str = "case_file_audit",
    auditor_role: str = "team_manager",
    **fields: object,
) -> Audit:
    return Audit(
        id=f"AUD-{number:03d}",
        child_id=f"CHILD-{child if child is not None else number:04d}",
        activity=activity,
        audit_date=day,
        auditor="tm1",
        auditor_role=auditor_role,
        overall_grade=grade,
        team=team,
        service_area=area,
        **fields,  # type: ignore[arg-type]
    )


def action(
    ident: str,
    due: date,
    status: ActionStatus = ActionStatus.OPEN,
    done_on: date | None = None,
    verified_on: date | None = None,
) -> AuditAction:
    return AuditAction(ident, "Update the plan", "sw1", due, None, status, done_on, verified_on)


SAFE, CIC = "Safeguarding", "Children in care"
CHRONOLOGY = "A fuller chronology"
SEEN_ALONE = "Child seen alone"
NOT_SMART = "The plan is not SMART"


def hand_audits() -> list[Audit]:
    """May: 10 audits (final grades O 2, G 5, RI 2, I 1); April: 4; March: 2; one in June."""
    return [
        # May 2026, the period.
        audit(
            1,
            date(2026, 5, 5),
            G,
            team="Alpha",
            area=SAFE,
            judgements=(
                Judgement("assessment", G, strengths=SEEN_ALONE, would_improve=CHRONOLOGY),
                Judgement("planning", G),
            ),
            actions=(action("X1", date(2026, 5, 29), ActionStatus.DONE, date(2026, 5, 28)),),
        ),
        audit(2, date(2026, 5, 6), OUT, team="Alpha", area=SAFE),
        audit(
            3,
            date(2026, 5, 7),
            RI,
            team="Alpha",
            area=CIC,
            judgements=(
                Judgement("assessment", RI, would_improve=CHRONOLOGY),
                Judgement("planning", INAD, would_improve=NOT_SMART),
            ),
            actions=(action("X3", date(2026, 5, 30)),),
        ),
        audit(
            4,
            date(2026, 5, 11),
            G,
            child=104,
            team="Beta",
            area=SAFE,
            actions=(
                action(
                    "X4",
                    date(2026, 5, 31),
                    ActionStatus.VERIFIED,
                    date(2026, 5, 20),
                    date(2026, 5, 25),
                ),
            ),
        ),
        audit(
            5,
            date(2026, 5, 12),
            INAD,
            team="Beta",
            area=CIC,
            judgements=(
                Judgement("assessment", INAD),
                Judgement("planning", INAD, would_improve="The plan for CHILD-0005 is not SMART"),
            ),
            moderations=(moderation(INAD, INAD, date(2026, 5, 20)),),
            actions=(action("X5", date(2026, 6, 12)),),
        ),
        audit(
            6,
            date(2026, 5, 13),
            RI,
            team="Beta",
            area=CIC,
            judgements=(Judgement("assessment", G, strengths=SEEN_ALONE),),
            moderations=(moderation(G, RI, date(2026, 5, 25)),),
            actions=(action("X6", date(2026, 6, 30)),),
        ),
        audit(
            7,
            date(2026, 5, 14),
            G,
            team="Gamma",
            area=SAFE,
            judgements=(Judgement("planning", RI, would_improve=NOT_SMART),),
            moderations=(moderation(RI, G, date(2026, 6, 1)),),
            actions=(action("X7", date(2026, 5, 31), ActionStatus.DONE, date(2026, 6, 20)),),
        ),
        audit(8, date(2026, 5, 18), G, team="Gamma", concerns=(Concern.URGENT_SAFETY,)),
        audit(
            9,
            date(2026, 5, 19),
            OUT,
            area=SAFE,
            activity="transfer_audit",
            auditor_role="head_of_service",
            judgements=(Judgement("planning", OUT, strengths="A clear plan"),),
        ),
        # Moderated after the report's date: counts as graded Good, unmoderated.
        audit(
            10,
            date(2026, 5, 29),
            G,
            team="Gamma",
            area=SAFE,
            moderations=(moderation(INAD, G, date(2026, 6, 20)),),
        ),
        # April 2026: O 1, G 1, RI 1, I 1.
        audit(
            101,
            date(2026, 4, 7),
            G,
            team="Alpha",
            actions=(action("Y1", date(2026, 5, 15)),),
        ),
        audit(102, date(2026, 4, 8), RI, team="Alpha"),
        audit(103, date(2026, 4, 9), OUT, team="Beta"),
        audit(
            104,
            date(2026, 4, 14),
            INAD,
            team="Beta",
            moderations=(moderation(INAD, INAD, date(2026, 4, 21)),),
        ),
        # March 2026: G 2.
        audit(201, date(2026, 3, 10), G),
        audit(202, date(2026, 3, 11), G),
        # After the period, before the report's date; and after the report's date.
        audit(301, date(2026, 6, 10), INAD, team="Alpha"),
        audit(
            302, date(2026, 6, 20), INAD, team="Alpha", actions=(action("Z1", date(2026, 6, 21)),)
        ),
    ]


@pytest.fixture(scope="module")
def audits() -> list[Audit]:
    return hand_audits()


@pytest.fixture(scope="module")
def report(example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]) -> CycleReport:
    return build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )


def test_the_hand_audits_are_valid(example_profile: Profile, audits: list[Audit]) -> None:
    for a in audits:
        assert check_audit(a, example_profile) == [], a.id


# ---------------------------------------------------------------------------------------------
# Counts and distributions
# ---------------------------------------------------------------------------------------------


def test_counts_by_activity(report: CycleReport) -> None:
    table = report.by_activity
    assert report.audits == 10
    # Every activity the profile grades has a row, the light-touch audit's empty.
    assert table.row_keys == ("case_file_audit", "transfer_audit", "light_audit")
    assert table.row_labels == ("Case file audit", "Audit at case transfer", "Light-touch audit")
    assert table.counts == ((9,), (1,), (0,))


def test_overall_distribution_and_share(report: CycleReport) -> None:
    assert [g.code for g in report.grades] == [OUT, G, RI, INAD]
    assert [g.good_or_better for g in report.grades] == [True, True, False, False]
    assert [g.ilacs for g in report.grades] == list(Ilacs)
    assert report.overall.table.counts == ((2, 5, 2, 1),)
    share = report.good_or_better
    assert (share.count, share.total, share.value) == (7, 10, 0.7)
    # Wilson 95% for 7 of 10, by hand: z = 1.959964, z^2 = 3.841459, denominator 1.384146,
    # centre (0.7 + 0.192073) / 1.384146 = 0.644491, half 1.415989 * sqrt(0.030604) = 0.247714.
    assert share.lower == pytest.approx(0.396776, abs=1e-5)
    assert share.upper == pytest.approx(0.892207, abs=1e-5)


def test_distribution_by_team(report: CycleReport) -> None:
    # Each team within its service area: Alpha, Beta and Gamma were each audited in two,
    # so each has a row per area (labelled with it), and the rows nest in the areas'.
    table = report.by_team.table
    assert table.row_keys == ("Alpha", "Alpha", "Beta", "Beta", "Gamma", "Gamma", None)
    assert table.row_labels == (
        "Alpha (Children in care)",
        "Alpha (Safeguarding)",
        "Beta (Children in care)",
        "Beta (Safeguarding)",
        "Gamma (Safeguarding)",
        "Gamma (Not recorded)",
        "Not recorded",
    )
    assert report.team_areas == (
        ("Alpha", CIC),
        ("Alpha", SAFE),
        ("Beta", CIC),
        ("Beta", SAFE),
        ("Gamma", SAFE),
        ("Gamma", None),
        (None, SAFE),
    )
    assert table.counts == (
        (0, 0, 1, 0),
        (1, 1, 0, 0),
        (0, 1, 0, 1),
        (0, 1, 0, 0),
        (0, 1, 1, 0),
        (0, 1, 0, 0),
        (1, 0, 0, 0),
    )
    # Whole teams: Alpha O 1 G 1 RI 1, Beta G 2 I 1, Gamma G 2 RI 1, not recorded O 1.
    whole: dict[str | None, list[int]] = {}
    for key, row in zip(table.row_keys, table.counts, strict=True):
        whole[key] = [a + b for a, b in zip(whole.get(key, [0, 0, 0, 0]), row, strict=True)]
    assert whole == {
        "Alpha": [1, 1, 1, 0],
        "Beta": [0, 2, 0, 1],
        "Gamma": [0, 2, 1, 0],
        None: [1, 0, 0, 0],
    }
    assert table.column_totals == (2, 5, 2, 1)
    assert [(s.count, s.total) for s in report.by_team.good_or_better] == [
        (0, 1),
        (2, 2),
        (1, 2),
        (1, 1),
        (1, 2),
        (1, 1),
        (1, 1),
    ]


def test_distribution_by_service_area(report: CycleReport) -> None:
    table = report.by_service_area.table
    assert table.row_keys == (CIC, SAFE, None)
    assert table.counts == ((0, 1, 1, 1), (2, 3, 1, 0), (0, 1, 0, 0))


def test_distribution_by_standard(report: CycleReport) -> None:
    table = report.by_standard.table
    assert table.row_keys == ("assessment", "planning")
    assert table.row_labels == ("Assessment", "Planning")
    # assessment: G (1), RI (3), I (5), G (6); planning: G (1), I (3), I (5), RI (7), O (9).
    assert table.counts == ((0, 2, 1, 1), (1, 1, 1, 2))
    assert [(s.count, s.total) for s in report.by_standard.good_or_better] == [(2, 4), (2, 5)]


def test_wilson_interval_by_hand() -> None:
    # 3 of 4: p = 0.75, denominator 1.960365, centre 0.627525, half 0.326886.
    lower, upper = wilson_interval(3, 4)
    assert lower == pytest.approx(0.300636, abs=1e-5)
    assert upper == pytest.approx(0.954414, abs=1e-5)
    # 0 of 5: the lower end is 0 and the upper z^2 / (n + z^2) = 3.841459 / 8.841459.
    lower, upper = wilson_interval(0, 5)
    assert lower == 0.0
    assert upper == pytest.approx(3.841459 / 8.841459, abs=1e-6)
    # All of them: symmetric to none.
    assert wilson_interval(5, 5) == pytest.approx((1 - upper, 1.0))
    # A wider interval for a smaller sample with the same share.
    small, large = wilson_interval(1, 2), wilson_interval(50, 100)
    assert small[1] - small[0] > large[1] - large[0]
    # At 90% confidence z = 1.644854: narrower.
    lower90, upper90 = wilson_interval(3, 4, 0.90)
    assert 0.300636 < lower90 < 0.75 < upper90 < 0.954414


def test_share_of_nothing_has_no_value() -> None:
    assert Share.of(0, 0) == Share(0, 0, None, None, None)
    with pytest.raises(CycleReportError):
        Share.of(1, 0)
    with pytest.raises(CycleReportError):
        wilson_interval(5, 4)


# ---------------------------------------------------------------------------------------------
# Previous period and trend
# ---------------------------------------------------------------------------------------------


def test_trend_and_change_against_the_previous_period(report: CycleReport) -> None:
    assert [s.period.label for s in report.trend] == ["2026-03", "2026-04", "2026-05"]
    assert [s.grades for s in report.trend] == [(0, 2, 0, 0), (1, 1, 1, 1), (2, 5, 2, 1)]
    assert [s.good_or_better.value for s in report.trend] == [1.0, 0.5, 0.7]
    change = report.change
    assert change.previous.period == Period.month(2026, 4)
    assert change.audits == 6
    assert change.grades == (1, 4, 1, 0)
    assert change.good_or_better == pytest.approx(0.2)


def test_previous_periods() -> None:
    assert previous_period(Period.month(2026, 3)) == Period.month(2026, 2)
    assert previous_period(Period.month(2026, 3)).label == "2026-02"
    q1 = FinancialQuarter.parse("2026-27 Q1").period()
    assert previous_period(q1) == FinancialQuarter.parse("2025-26 Q4").period()
    assert previous_period(q1).label == "2025-26 Q4"
    year = FinancialYear.parse("2026-27").period()
    assert previous_period(year) == FinancialYear.parse("2025-26").period()
    assert previous_period(year).label == "2025-26"
    cycle = Period(date(2026, 5, 13), date(2026, 6, 23))
    assert previous_period(cycle) == Period(date(2026, 4, 1), date(2026, 5, 12))
    assert trailing_periods(q1, 3) == (
        FinancialQuarter.parse("2025-26 Q3").period(),
        FinancialQuarter.parse("2025-26 Q4").period(),
        q1,
    )


def test_council_cycles() -> None:
    bolton = load_profile("bolton", as_of=date(2026, 6, 1))
    cycle = council_cycle(bolton, date(2026, 5, 20))
    assert cycle == Period(date(2026, 5, 13), date(2026, 6, 23))
    assert council_cycle(bolton, date(2026, 5, 13)) == cycle
    assert council_cycle(bolton, date(2026, 5, 12)) == Period(date(2026, 4, 1), date(2026, 5, 12))
    assert report_period("cycle:2026-05-20", bolton) == cycle
    assert report_period("2026-27 Q1") == FinancialQuarter.parse("2026-27 Q1").period()
    assert report_period("2026-05") == Period.month(2026, 5)
    with pytest.raises(CycleReportError, match="give the profile"):
        report_period("cycle:2026-05-20")
    with pytest.raises(CycleReportError, match="not a period"):
        report_period("next week")


def test_council_cycle_of_a_monthly_framework(example_profile: Profile) -> None:
    assert council_cycle(example_profile, date(2026, 5, 20)) == Period(
        date(2026, 5, 1), date(2026, 5, 31)
    )
    with pytest.raises(CycleReportError, match="no periodic cadence"):
        council_cycle(example_profile, date(2026, 5, 20), activity="transfer_audit")


# ---------------------------------------------------------------------------------------------
# Moderation, escalations, tracker and actions
# ---------------------------------------------------------------------------------------------


def test_moderation_and_agreement(report: CycleReport) -> None:
    summary = report.moderation
    # Audits 5 (I -> INAD), 6 (RI -> G) and 7 (G -> RI); audit 10's moderation comes later.
    assert (summary.audits, summary.moderated) == (10, 3)
    assert summary.share_moderated.value == pytest.approx(0.3)
    agreement = summary.agreement
    assert (agreement.agreed, agreement.upgrades, agreement.downgrades) == (1, 1, 1)
    assert agreement.exact_agreement == pytest.approx(1 / 3)
    assert agreement.matrix == ((0, 0, 0, 0), (0, 0, 1, 0), (0, 1, 0, 0), (0, 0, 0, 1))
    # Unweighted: Po = 1/3, every margin 1/3 on G, RI, I so Pe = 3 * 1/9 = 1/3: kappa 0.
    assert agreement.kappa(Weighting.UNWEIGHTED).value == pytest.approx(0.0, abs=1e-12)
    # Linear weights 1 - |i - j| / 3: Po = (2/3 + 2/3 + 1) / 3 = 7/9, Pe = (1/9) * 19/3 =
    # 19/27, so kappa = (7/9 - 19/27) / (8/27) = 1/4.
    assert agreement.kappa(Weighting.LINEAR).value == pytest.approx(0.25)


def test_escalations_raised_open_and_closed(report: CycleReport) -> None:
    summary = report.escalations
    # Audit 5: shared the same day (closed on its deadline) and onto the tracker (open);
    # audit 8: urgent safety concern (closed on its deadline). Audit 104's tracker
    # escalation was raised in April and closed when audit 4 of the same child improved.
    assert (summary.raised, summary.open, summary.closed, summary.open_total) == (3, 1, 2, 1)
    table = summary.by_rule
    assert table.row_keys == (
        "inadequate_shared",
        "child_of_concern",
        "urgent_safety",
        "light_audit_follow_on",
    )
    assert table.column_keys == ("open", "closed")
    assert table.counts == ((0, 1), (1, 0), (0, 1), (0, 0))


def test_child_of_concern_tracker_in_counts(report: CycleReport) -> None:
    (tracker,) = report.trackers
    assert tracker.tracker == "Child of concern tracker"
    assert (tracker.children, tracker.with_open_actions, tracker.added, tracker.left) == (
        1,
        1,
        1,
        1,
    )


def test_actions_due_done_and_overdue(report: CycleReport) -> None:
    summary = report.actions
    # Due in May: X1 done, X3 open, X4 verified, Y1 open, X7 done only after the date.
    assert (summary.due, summary.done, summary.verified, summary.open, summary.overdue) == (
        5,
        2,
        1,
        0,
        3,
    )
    # Overdue on 15 June whenever due: X3, X7, Y1 and X5 (due 12 June).
    assert summary.overdue_total == 4
    table = summary.by_team
    assert table.row_keys == ("Alpha", "Beta", "Gamma")
    assert table.counts == ((1, 0, 2), (1, 0, 0), (0, 0, 1))


def test_actions_not_yet_due_are_open(
    example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]
) -> None:
    mid_may = build_cycle_report(
        audits, example_profile, MAY, as_of=date(2026, 5, 29), calendar=calendar
    )
    # On 29 May: Y1 (due 15 May) is overdue; X1 is done; X3 (30 May) and X4 (31 May,
    # verified on 25 May) ... X4 is done; X7 (31 May) is open and not yet due.
    actions = mid_may.actions
    assert (actions.due, actions.done, actions.open, actions.overdue) == (5, 2, 2, 1)
    # Audit 10 is dated 29 May: counted; nothing after the date is.
    assert mid_may.audits == 10


# ---------------------------------------------------------------------------------------------
# Learning themes and destinations
# ---------------------------------------------------------------------------------------------


def test_learning_themes(report: CycleReport) -> None:
    planning, assessment = report.themes
    assert planning.standard == "planning"
    assert (planning.judged, planning.below_good.count) == (5, 3)
    assert [(n.text, n.count) for n in planning.would_improve] == [
        (NOT_SMART, 2),
        ("The plan for [child id] is not SMART", 1),
    ]
    assert [(n.text, n.count) for n in planning.strengths] == [("A clear plan", 1)]
    assert assessment.standard == "assessment"
    assert (assessment.judged, assessment.below_good.count) == (4, 2)
    assert [(n.text, n.count) for n in assessment.strengths] == [(SEEN_ALONE, 2)]
    assert [(n.text, n.count) for n in assessment.would_improve] == [(CHRONOLOGY, 2)]


def test_child_ids_are_taken_out_of_notes(example_profile: Profile) -> None:
    note = "Sister of CHILD-0042's plan; see CHILD-0041. Well done (CHILD-0041)"
    written = [
        audit(41, date(2026, 5, 4), G, judgements=(Judgement("assessment", G, strengths=note),)),
        audit(42, date(2026, 3, 4), G),
    ]
    report = build_cycle_report(written, example_profile, MAY, as_of=AS_OF, escalations=())
    (theme,) = report.themes
    assert [n.text for n in theme.strengths] == [
        "Sister of [child id]'s plan; see [child id]. Well done ([child id])"
    ]


def test_notes_are_capped_most_frequent_first(
    example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]
) -> None:
    capped = build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, notes_per_standard=1, calendar=calendar
    )
    planning = capped.themes[0]
    assert [n.text for n in planning.would_improve] == [NOT_SMART]


def test_destinations_with_meeting_dates(report: CycleReport) -> None:
    (destination,) = report.destinations
    assert destination.reporting_line == "monthly_qa_report"
    assert destination.recipient == "Quality Assurance Board"
    assert destination.forum == "qa_board"
    assert destination.produced_by == ("Quality Assurance Manager",)
    # The board meets monthly from 1 April 2026: the first meeting after 31 May.
    assert destination.meetings == (date(2026, 6, 1),)


def test_bolton_sends_each_report_by_its_own_line() -> None:
    bolton = load_profile("bolton", as_of=date(2026, 6, 1))
    quarter = FinancialQuarter.parse("2026-27 Q1").period()
    cycle = council_cycle(bolton, date(2026, 5, 20))
    as_of = date(2026, 7, 1)
    by_quarter = build_cycle_report([], bolton, quarter, as_of=as_of, next_meetings=2)
    by_cycle = build_cycle_report([], bolton, cycle, as_of=as_of)
    by_year = build_cycle_report(
        [], bolton, FinancialYear.parse("2026-27").period(), as_of=date(2027, 4, 1)
    )
    assert [d.reporting_line for d in by_quarter.destinations] == ["qa_report_quarterly"]
    assert [d.reporting_line for d in by_cycle.destinations] == ["qa_report_six_weekly"]
    assert [d.reporting_line for d in by_year.destinations] == ["qa_report_annual"]
    # AIM meets every two months from 1 April 2026: 1 August and 1 October follow Q1.
    assert by_quarter.destinations[0].recipient == "Assurance and Improvement Meeting"
    assert by_quarter.destinations[0].meetings == (date(2026, 8, 1), date(2026, 10, 1))


def test_reporting_lines_can_be_named(example_profile: Profile, audits: list[Audit]) -> None:
    named = build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, escalations=(), reporting_lines=[]
    )
    assert named.destinations == ()
    with pytest.raises(CycleReportError, match="no reporting line 'weekly'"):
        build_cycle_report(
            audits, example_profile, MAY, as_of=AS_OF, escalations=(), reporting_lines=["weekly"]
        )


# ---------------------------------------------------------------------------------------------
# No child ids in aggregates; child-level detail apart; round trip
# ---------------------------------------------------------------------------------------------


def test_no_child_id_in_the_report(report: CycleReport, audits: list[Audit]) -> None:
    text = json.dumps(to_dict(report))
    for a in audits:
        assert a.child_id not in text
    published = json.dumps(to_dict(report.publishable()))
    for a in audits:
        assert a.child_id not in published


def test_child_level_detail_is_separate_and_marked(
    example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]
) -> None:
    detail = child_level_detail(audits, example_profile, MAY, as_of=AS_OF, calendar=calendar)
    assert detail.marking == OFFICIAL_SENSITIVE
    assert to_dict(detail)["marking"] == "OFFICIAL-SENSITIVE"
    # Raised in May (audit 5 twice, audit 8) and none open from before.
    assert sorted((r.child_id, r.rule, r.status.value) for r in detail.escalations) == [
        ("CHILD-0005", "child_of_concern", "open"),
        ("CHILD-0005", "inadequate_shared", "closed"),
        ("CHILD-0008", "urgent_safety", "closed"),
    ]
    (entry,) = detail.tracker
    assert (entry.child_id, entry.audit_id, entry.open_actions) == ("CHILD-0005", "AUD-005", 1)
    assert [(r.action_id, r.days_overdue) for r in detail.overdue_actions] == [
        ("Y1", 31),
        ("X3", 16),
        ("X7", 15),
        ("X5", 3),
    ]
    assert from_dict(ChildLevelDetail, to_dict(detail)) == detail
    with pytest.raises(ValueError, match="OFFICIAL-SENSITIVE"):
        attrs.evolve(detail, marking="OFFICIAL")


def test_round_trip(report: CycleReport) -> None:
    data = json.loads(json.dumps(to_dict(report)))
    assert from_dict(CycleReport, data) == report
    published = report.publishable()
    assert from_dict(type(published), json.loads(json.dumps(to_dict(published)))) == published


# ---------------------------------------------------------------------------------------------
# The publishable view
# ---------------------------------------------------------------------------------------------


def _published_tables(published: object) -> list[object]:
    from qaframework.engine.suppression import SuppressedTable

    found: list[object] = []

    def walk(value: object) -> None:
        if isinstance(value, SuppressedTable):
            found.append(value)
        elif attrs.has(type(value)):
            for field in attrs.fields(type(value)):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(published)
    return found


def test_publishable_view_shows_no_small_count(report: CycleReport) -> None:
    published = report.publishable()
    tables = _published_tables(published)
    # The ten of the graded report, and the light-touch audit's checklist and impact scale.
    assert len(tables) == 12
    for table in tables:
        numbers = [
            *(c for row in table.cells for c in row),  # type: ignore[attr-defined]
            *table.row_totals,  # type: ignore[attr-defined]
            *table.column_totals,  # type: ignore[attr-defined]
            table.total,  # type: ignore[attr-defined]
        ]
        assert not [n for n in numbers if n is not None and 1 <= n <= 5]
    # Ten audits: O 2, G 5, RI 2, I 1 are all small. The total is not, but the teams'
    # audits were in several service areas each: hiding the cells of the trend, teams and
    # areas consistently needs the total too.
    assert published.overall.table.cells == ((None, None, None, None),)
    assert published.audits is None
    # 7 good or better and 3 below are worked out from nothing published: withheld.
    assert published.good_or_better is None
    # A matrix of ones: kappa withheld, and the tracker's ones suppressed.
    assert published.moderation.kappa_withheld
    assert published.moderation.kappas == ()
    assert published.trackers[0].children is None
    assert published.change.grades == (None, None, None, None)
    # Learning themes are counts: the notes' words are not published unless asked for.
    assert published.themes[0].would_improve == ()
    assert published.themes[0].strengths == ()
    assert published.notes is None
    with_notes = report.publishable(notes=NotePublication())
    assert with_notes.themes[0].would_improve[0] == (NOT_SMART, None)
    assert published.destinations == report.destinations


def test_linked_tables_suppress_the_same_numbers(report: CycleReport) -> None:
    published = report.publishable(SuppressionPolicy(threshold=1))
    overall = published.overall.table.cells[0]
    # With only ones suppressed, Inadequate (1) is hidden in every table showing it, and
    # one more grade with it so that it cannot be worked out from the total of 10.
    assert overall[3] is None
    assert published.by_team.table.column_totals == overall
    assert published.by_service_area.table.column_totals == overall
    assert published.trend.table.cells[-1] == overall
    hidden = [i for i, v in enumerate(overall) if v is None]
    assert len(hidden) >= 2


def test_publishable_with_suppression_off_is_the_report(report: CycleReport) -> None:
    published = report.publishable(SuppressionPolicy.off())
    assert published.overall.table.cells == report.overall.table.counts
    assert published.by_team.table.cells == report.by_team.table.counts
    assert published.good_or_better == report.good_or_better
    assert published.moderation.kappas == report.moderation.agreement.kappas
    assert published.change.grades == report.change.grades
    assert published.change.good_or_better == pytest.approx(report.change.good_or_better)
    assert published.actions.overdue_total == 4
    assert published.themes[0].below_good == report.themes[0].below_good


# ---------------------------------------------------------------------------------------------
# Versions, errors and comparison across councils
# ---------------------------------------------------------------------------------------------


def test_grades_of_another_version_cross_on_ilacs(
    example_profile: Profile, audits: list[Audit]
) -> None:
    # An older version graded April on a scale with "meets_good" for Good.
    older_scale = attrs.evolve(
        example_profile.grade_scale,
        id="older",
        grades=tuple(
            attrs.evolve(g, code="meets_good") if g.code == G else g
            for g in example_profile.grade_scale.grades
        ),
        good_or_better="meets_good",
    )
    older = attrs.evolve(example_profile, version="2025-01", grade_scale=older_scale)

    def resolve(day: date) -> Profile:
        return older if day < date(2026, 5, 1) else example_profile

    april = [
        attrs.evolve(a, overall_grade="meets_good" if a.overall_grade == G else a.overall_grade)
        for a in audits
        if a.audit_date < date(2026, 5, 1)
    ]
    rest = [a for a in audits if a.audit_date >= date(2026, 5, 1)]
    mixed = build_cycle_report(april + rest, resolve, MAY, as_of=AS_OF, trend_periods=3)
    assert mixed.versions == ("2025-01", "2026-01")
    assert [s.grades for s in mixed.trend] == [(0, 2, 0, 0), (1, 1, 1, 1), (2, 5, 2, 1)]


def test_unknown_grade_names_the_audit(example_profile: Profile, audits: list[Audit]) -> None:
    bad = [*audits, audit(999, date(2026, 5, 20), "excellent")]
    with pytest.raises(CycleReportError, match="AUD-999"):
        build_cycle_report(bad, example_profile, MAY, as_of=AS_OF, escalations=())


def test_as_of_before_the_period(example_profile: Profile) -> None:
    with pytest.raises(CycleReportError, match="has not begun"):
        build_cycle_report([], example_profile, MAY, as_of=date(2026, 4, 30))
    with pytest.raises(CycleReportError, match="at least"):
        build_cycle_report([], example_profile, MAY, as_of=AS_OF, trend_periods=1)


def test_an_empty_period(example_profile: Profile) -> None:
    empty = build_cycle_report([], example_profile, MAY, as_of=AS_OF)
    assert empty.audits == 0
    assert empty.good_or_better.value is None
    assert empty.by_activity.counts == ((0,), (0,), (0,))
    assert empty.moderation.agreement.kappas[0].value is None
    assert empty.change.good_or_better is None
    assert len(empty.trend) == 6
    published = empty.publishable()
    assert published.audits == 0


def test_comparison_on_the_ilacs_crosswalk(report: CycleReport) -> None:
    bolton_scale = load_profile("bolton", as_of=date(2026, 6, 1)).grade_scale
    # The same counts under Bolton's words still compare on ILACS.
    as_bolton = attrs.evolve(
        report,
        profile_id="bolton",
        authority="Bolton Council",
        grades=tuple(
            attrs.evolve(g, code=b.code, label=b.label)
            for g, b in zip(report.grades, bolton_scale, strict=True)
        ),
    )
    comparison = compare_authorities([report, as_bolton])
    assert [c.profile_id for c in comparison.councils] == ["exampleshire", "bolton"]
    assert [c.counts for c in comparison.councils] == [(2, 5, 2, 1), (2, 5, 2, 1)]
    assert comparison.councils[1].ilacs_good_or_better.value == 0.7
    table = comparison.table()
    assert table.column_labels == (
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    )
    published = publish_comparison([report, as_bolton])
    # What each council's report hides stays hidden here.
    assert published.table.cells == ((None,) * 4, (None,) * 4)
    assert published.ilacs_good_or_better == (None, None)
    shown = publish_comparison([report, as_bolton], SuppressionPolicy.off())
    assert shown.table.cells == ((2, 5, 2, 1), (2, 5, 2, 1))
    assert shown.good_or_better[0] is not None
    assert math.isclose(shown.good_or_better[0].value or 0, 0.7)


def test_a_comparison_takes_the_reports_as_built(report: CycleReport) -> None:
    # A published report, the comparison itself or anything else in place of a cycle
    # report: the library's error, saying which item and what to pass.
    with pytest.raises(
        CycleReportError, match=r"item 1 is a PublishedCycleReport.*publish_comparison"
    ):
        compare_authorities([report, report.publishable()])
    comparison = compare_authorities([report, report])
    with pytest.raises(CycleReportError, match=r"a CrossAuthorityComparison.*the cycle reports"):
        publish_comparison(comparison)  # type: ignore[arg-type]
    with pytest.raises(CycleReportError, match=r"item 0 is a str"):
        compare_authorities(["bolton"])  # type: ignore[list-item]


def test_a_comparison_is_published_from_any_iterable_of_reports(report: CycleReport) -> None:
    # The reports are read once: a generator gives what a list gives.
    assert publish_comparison(r for r in [report, report]) == publish_comparison([report, report])


# ---------------------------------------------------------------------------------------------
# Every installed profile, on a year of synthetic audits
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile_id", ["bolton", "manchester", "swindon", "telford"])
def test_a_quarter_of_synthetic_audits(profile_id: str) -> None:
    from qaframework.demo.synthetic import generate

    def resolve(day: date) -> Profile:
        return load_profile(profile_id, as_of=day)

    data = generate(resolve(date(2027, 3, 31)), date(2026, 4, 1), date(2027, 3, 31), seed=7)
    quarter = FinancialQuarter.parse("2026-27 Q3").period()
    report = build_cycle_report(data.audits, resolve, quarter, as_of=date(2027, 1, 20))
    in_quarter = [a for a in data.audits if a.audit_date in quarter]
    assert report.audits == len(in_quarter) > 0
    assert report.by_activity.total == report.overall.table.total == len(in_quarter)
    assert report.by_team.table.column_totals == report.overall.table.counts[0]
    assert report.trend[-1].grades == report.overall.table.counts[0]
    judged = sum(len(a.judgements) for a in in_quarter)
    assert report.by_standard.table.total == judged
    assert report.destinations
    text = json.dumps(to_dict(report)) + json.dumps(to_dict(report.publishable()))
    assert not [a.child_id for a in data.audits if a.child_id in text]
    assert from_dict(CycleReport, json.loads(json.dumps(to_dict(report)))) == report


# ---------------------------------------------------------------------------------------------
# Properties of any report
# ---------------------------------------------------------------------------------------------


def audit_sets(profile: Profile) -> st.SearchStrategy[list[Audit]]:
    """Up to 25 audits from March to early June 2026 (so May and the months around it)."""
    return st.lists(
        audits_of(profile, start=date(2026, 3, 1), end=date(2026, 6, 10)),
        max_size=25,
        unique_by=lambda a: a.id,
    )


@given(data=st.data(), threshold=st.integers(1, 5))
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
def test_any_report_adds_up_and_publishes_no_small_count(
    example_profile: Profile, calendar: WorkingCalendar, data: st.DataObject, threshold: int
) -> None:
    records = data.draw(audit_sets(example_profile))
    report = build_cycle_report(
        records, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )
    in_may = [a for a in records if a.audit_date in MAY]
    overall = report.overall.table.counts[0]
    assert report.audits == len(in_may) == sum(overall)
    assert report.by_activity.total == report.audits
    assert report.by_team.table.column_totals == overall
    assert report.by_service_area.table.column_totals == overall
    assert report.trend[-1].grades == overall
    assert report.by_standard.table.total == sum(len(a.judgements) for a in in_may)
    assert report.moderation.moderated <= report.audits
    assert report.escalations.open + report.escalations.closed == report.escalations.raised
    assert report.escalations.open <= report.escalations.open_total
    actions = report.actions
    assert actions.done + actions.open + actions.overdue == actions.due
    assert actions.verified <= actions.done
    assert actions.overdue <= actions.overdue_total
    text = json.dumps(to_dict(report))
    published = report.publishable(SuppressionPolicy(threshold=threshold))
    text += json.dumps(to_dict(published))
    assert not [a.child_id for a in records if a.child_id in text]
    shown = published.overall.table.cells[0]
    assert published.by_team.table.column_totals == shown
    assert published.by_service_area.table.column_totals == shown
    assert published.trend.table.cells[-1] == shown
    for table in _published_tables(published):
        numbers = [
            *(c for row in table.cells for c in row),  # type: ignore[attr-defined]
            *table.row_totals,  # type: ignore[attr-defined]
            *table.column_totals,  # type: ignore[attr-defined]
            table.total,  # type: ignore[attr-defined]
        ]
        assert not [n for n in numbers if n is not None and 1 <= n <= threshold]
    share = published.good_or_better
    if share is not None:
        assert share == report.good_or_better
