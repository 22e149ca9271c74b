"""Known unknowns: a rule whose existence a source states but one of whose details it does not,
written "not stated" (``qaframework.policy.unknowns``), and every output it affects saying that
the profile does not know."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from qaframework.cli import main
from qaframework.engine.actions.tracker import EscalationStatus, escalation_states
from qaframework.engine.audits import Audit
from qaframework.engine.escalation import evaluate_escalations
from qaframework.engine.moderation import select_for_moderation
from qaframework.engine.obligations import obligations, unstated_obligations
from qaframework.engine.periods import Period
from qaframework.engine.sampling import SamplingError, sample_for_activity
from qaframework.engine.workload import Staffing, plan_workload
from qaframework.errors import Problem, ProfileError
from qaframework.policy.basis import not_stated
from qaframework.policy.cadence import CadenceKind
from qaframework.policy.paths import resolve_path
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case
from qaframework.policy.unknowns import NOT_STATED
from qaframework.profiles.converter import to_dict
from qaframework.profiles.invariants import check_invariants
from qaframework.profiles.validation import profile_from_data
from qaframework.render.docs_pages import council_page

Document = dict[str, Any]


def _load(document: Document) -> Profile:
    return profile_from_data(document, "exampleshire.toml")


def _problems(document: Document) -> list[Problem]:
    with pytest.raises(ProfileError) as caught:
        _load(document)
    return list(caught.value.problems)


def _escalation(document: Document, rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in document["escalation"] if e["id"] == rule_id)
    return found


# -- the data format -------------------------------------------------------------------------


def test_each_detail_that_may_be_unknown_is_written_not_stated(
    example_document: Document,
) -> None:
    doc = example_document
    tracker = _escalation(doc, "child_of_concern")
    tracker["deadline"] = "not stated"
    tracker["consequence"]["owner"] = "not stated"
    _escalation(doc, "urgent_safety")["recipients"] = "not stated"
    doc["activities"][0]["quota"]["count"] = "not stated"
    doc["activities"][0]["sampling"]["size"] = {"count": "not stated", "unit": "case"}
    # The transfer audit's findings are reported, but where is not stated (no assumption needed).
    doc["activities"][1]["reported_via"] = "not stated"
    doc["forums"][0]["cadence"] = "not stated"
    doc["moderation"][0]["selection"][0]["proportion"] = "not stated"
    profile = _load(doc)
    assert profile.escalation[1].deadline is NOT_STATED
    assert profile.escalation[2].recipients is NOT_STATED
    assert profile.activities[0].quota is not None
    assert profile.activities[0].quota.count is NOT_STATED
    assert profile.forums[0].cadence.kind is CadenceKind.NOT_STATED
    assert profile.moderation[0].selection[0].proportion is NOT_STATED
    # Each is listed with its path, items by id, and what it is in words.
    assert [(u.path, str(u)) for u in not_stated(profile)] == [
        ("$.forums[qa_board].cadence", "forum 'Quality Assurance Board': how often is not stated"),
        (
            "$.activities[case_file_audit].quota.count",
            "activity 'Case file audit': how many is not stated",
        ),
        (
            "$.activities[case_file_audit].sampling.size.count",
            "activity 'Case file audit': the sample size is not stated",
        ),
        (
            "$.activities[transfer_audit].reported_via",
            "activity 'Audit at case transfer': where its findings are reported is not stated",
        ),
        (
            "$.moderation[monthly_moderation].selection[0].proportion",
            "moderation policy 'Monthly moderation': how many audits are moderated is not stated",
        ),
        (
            "$.escalation[child_of_concern].deadline",
            "escalation rule 'Child of concern tracker': the deadline is not stated",
        ),
        (
            "$.escalation[child_of_concern].consequence.owner",
            "escalation rule 'Child of concern tracker': who runs what follows is not stated",
        ),
        (
            "$.escalation[urgent_safety].recipients",
            "escalation rule 'Urgent safety concern': who is told is not stated",
        ),
    ]
    # The profile is sound: every invariant holds, and its plain data reads back equal.
    assert check_invariants(profile) == []
    data = json.loads(json.dumps(to_dict(profile)))
    assert data["escalation"][1]["deadline"] == "not stated"
    assert _load(data) == profile


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("roles", 0, "title"), "not stated", None),  # text: a title may be any words
        (("activities", 0, "who"), "not stated", "this field cannot be 'not stated'"),
        (("activities", 0, "graded"), "not stated", "this field cannot be 'not stated'"),
        (("escalation", 0, "deadline"), "Not Stated", "write 'not stated' for a detail"),
        (("escalation", 0, "recipients"), "unknown", "write 'not stated' for a detail"),
    ],
)
def test_not_stated_is_one_spelling_at_the_fields_that_take_it(
    example_document: Document, where: tuple[str, int, str], value: str, message: str | None
) -> None:
    section, index, field = where
    example_document[section][index][field] = value
    if message is None:
        _load(example_document)
        return
    (problem,) = _problems(example_document)
    assert problem.path == f"$.{section}[{index}].{field}"
    assert message in problem.message


def test_a_role_reference_written_not_stated_says_it_cannot_be(
    example_document: Document,
) -> None:
    example_document["action_timescales"][0]["owner"] = "not stated"
    (problem,) = _problems(example_document)
    assert problem.path == "$.action_timescales[0].owner"
    assert problem.message.endswith(
        "this field cannot be 'not stated' (see the profile format's list)"
    )


def test_nothing_closes_on_a_deadline_that_is_not_stated(example_document: Document) -> None:
    rule = _escalation(example_document, "child_of_concern")
    rule["deadline"] = "not stated"
    rule["closes"] = ["actions_verified", "no_actions"]
    (problem,) = _problems(example_document)
    assert problem.path == "$.escalation[1]"
    assert "closes on its deadline (no_actions), but the deadline is not stated" in (
        problem.message
    )


# -- the engines -------------------------------------------------------------------------------


def _inadequate(on: date, **kwargs: Any) -> Audit:
    return Audit("A1", "C1", "case_file_audit", on, "tm1", "team_manager", "inadequate", **kwargs)


def test_an_escalation_with_no_stated_deadline_is_never_overdue_nor_closed_by_one(
    example_document: Document,
) -> None:
    rule = _escalation(example_document, "inadequate_shared")
    rule["deadline"] = "not stated"
    rule["recipients"] = "not stated"
    profile = _load(example_document)
    audit = _inadequate(date(2026, 5, 5))
    (raised,) = evaluate_escalations(profile, audit, as_of=date(2027, 5, 5))
    assert raised.deadline is NOT_STATED
    assert raised.recipients is NOT_STATED
    assert raised.recipient_roles is NOT_STATED
    assert not raised.overdue_on(date(2030, 1, 1))
    # A one-off notification closes on its deadline; with none stated it stays open.
    (state,) = escalation_states([raised], [audit], lambda day: profile, as_of=date(2027, 5, 5))
    assert state.status is EscalationStatus.OPEN


def test_a_stated_follow_up_counts_from_the_day_raised_when_the_deadline_is_not_stated(
    example_document: Document,
) -> None:
    _escalation(example_document, "child_of_concern")["deadline"] = "not stated"
    profile = _load(example_document)
    audit = _inadequate(
        date(2026, 5, 5),
        moderations=(),
    )
    from qaframework.engine.audits import ModerationRecord
    from qaframework.policy.moderation import ModerationOutcome

    moderated = audit.with_moderation(
        ModerationRecord("hos1", "head_of_service", "inadequate", ModerationOutcome.AGREE,
                         date(2026, 5, 11))
    )  # fmt: skip
    tracker = [
        e for e in evaluate_escalations(profile, moderated, as_of=date(2026, 6, 1))
        if e.rule_id == "child_of_concern"
    ]  # fmt: skip
    (raised,) = tracker
    assert raised.deadline is NOT_STATED
    assert raised.first_follow_up == date(2026, 5, 18)  # a week after the day raised


def test_a_moderation_rule_of_unknown_size_chooses_nothing_and_says_so(
    example_document: Document,
) -> None:
    rule = example_document["moderation"][0]["selection"][0]
    rule["proportion"] = "not stated"
    del rule["minimum"]
    profile = _load(example_document)
    made = [
        Audit(f"A{n}", f"C{n}", "case_file_audit", date(2026, 5, 4), f"tm{n}", "team_manager",
              "good")
        for n in range(12)
    ]  # fmt: skip
    selection = select_for_moderation(
        profile, made, Period(date(2026, 5, 1), date(2026, 5, 31)), seed=1
    )
    assert selection.selected == ()
    assert selection.not_stated == (
        "Monthly moderation, selection rule 1 (proportion): how many audits it moderates is "
        "not stated, so it chose none",
    )


def test_a_sample_of_unknown_size_is_drawn_only_at_a_size_given(
    example_document: Document,
) -> None:
    example_document["activities"][0]["sampling"]["size"] = {"count": "not stated", "unit": "case"}
    profile = _load(example_document)
    cases = [Case(f"C{n}", team="North", service_area=("A", "B")[n % 2]) for n in range(40)]
    with pytest.raises(SamplingError, match="does not state how many"):
        sample_for_activity(profile, "case_file_audit", cases, as_of=date(2026, 5, 1), seed=1)
    drawn = sample_for_activity(
        profile, "case_file_audit", cases, as_of=date(2026, 5, 1), seed=1, n=10
    )
    assert len(drawn.cases) == 10


def test_a_quota_of_unknown_count_is_no_obligation_and_counts_nothing(
    example_document: Document,
) -> None:
    example_document["activities"][0]["quota"]["count"] = "not stated"
    profile = _load(example_document)
    assert "case_file_audit" not in {o.activity for o in obligations(profile)}
    assert [(a.id, q.unit) for a, q in unstated_obligations(profile)] == [
        ("case_file_audit", "audit")
    ]
    plan = plan_workload(
        profile,
        Period(date(2026, 4, 1), date(2027, 3, 31)),
        Staffing(headcount={"team_manager": 10}),
    )
    (line,) = [line for line in plan.lines if line.id == "case_file_audit"]
    assert line.count is None
    assert "how many is not stated" in line.basis


# -- the outputs -------------------------------------------------------------------------------

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def test_the_calendar_says_which_activities_it_leaves_out(run: Run) -> None:
    """Swindon's observations of practice are held at no stated frequency: the calendar has
    no date for them, and says so beside an iCalendar file and in it."""
    status, out, err = run("schedule", "swindon", "--year", "2026-27", "--format", "ics")
    assert status == 0
    assert err.startswith("qaframework: warning: ")
    assert "so this calendar leaves them out: " in err
    assert "Observations of practice (not stated)" in err
    assert "Practice and Performance Board (not stated)" in err
    unfolded = out.replace("\r\n ", "")
    assert "X-WR-CALDESC:" in unfolded
    assert "Observations of practice (not stated)" in unfolded
    status, out, err = run("schedule", "swindon", "--year", "2026-27")
    assert (status, err) == (0, "")
    words = " ".join(out.split())  # as wide as the terminal: compared without the wrapping
    assert "Warning: " in words
    assert "leaves them out: " in words
    assert "Observations of practice (not stated)" in words


def test_profile_show_and_the_council_pages_list_the_details_not_stated(run: Run) -> None:
    import qaframework

    status, out, _ = run("profile", "show", "swindon")
    assert status == 0
    assert "Not stated: rules the source cites without this detail" in out
    assert "$.escalation[child_of_concern].deadline" in out
    page = council_page([qaframework.load_profile("swindon")])
    assert "# Not stated {" in page
    assert (
        "escalation rule 'Child of concern tracker once moderation confirms Inadequate': the "
        "deadline is not stated (`$.escalation[child_of_concern].deadline`)"
    ) in page


# -- random councils ---------------------------------------------------------------------------


def test_random_councils_write_details_not_stated_and_name_items_by_id() -> None:
    """The strategies' councils use the new kinds, so the invariant suite is searched over
    them (tests/test_invariants.py holds it for random councils)."""
    from hypothesis import Phase, find, settings

    from qaframework.testing import strategies as qst

    # Found, not shrunk: any example will do.
    quick = settings(max_examples=200, database=None, phases=(Phase.generate,))
    unknown = find(qst.profiles(), lambda p: len(not_stated(p)) >= 2, settings=quick)
    assert len(not_stated(unknown)) >= 2
    by_id = find(
        qst.profiles(),
        lambda p: any("[" in c for a in p.assumptions for c in a.concerns),
        settings=quick,
    )
    paths = [resolve_path(by_id, c) for a in by_id.assumptions for c in a.concerns if "[" in c]
    assert paths
    assert all(found.by_place == () for found in paths)
    assert check_invariants(unknown) == []
