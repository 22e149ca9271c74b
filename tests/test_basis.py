"""What a set of figures rests on (``qaframework.policy.basis``): every report, sample,
moderation and escalation output lists the assumptions behind its figures and says when the
profile encodes no rule of a kind."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import pytest

from qaframework import from_dict
from qaframework.cli import main
from qaframework.engine.audits import Audit
from qaframework.engine.periods import Period
from qaframework.engine.report import PublishedCycleReport, build_cycle_report
from qaframework.policy.basis import absent_rules, basis_of, uses_of
from qaframework.policy.citations import Assumption
from qaframework.policy.profile import Profile
from qaframework.render import render_report

MAY = Period(date(2026, 5, 1), date(2026, 5, 31))
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _audits() -> list[Audit]:
    return [
        Audit(f"A{n}", f"C{n}", "case_file_audit", date(2026, 5, 4 + n), f"tm{n}",
              "team_manager", "good", team="North")
        for n in range(8)
    ]  # fmt: skip


def _with_assumptions(profile: Profile) -> Profile:
    cadence = Assumption(
        "audit_cadence", "Audits are monthly.", ("$.activities[case_file_audit].cadence",)
    )
    owner = Assumption(
        "feedback_owner", "The QA manager collates feedback.", ("$.activities[feedback].who",)
    )
    # A path by place: read as the item it points at (the case file audit).
    quota = Assumption("audit_quota", "One audit per manager.", ("$.activities[0].quota",))
    forums = Assumption("all_forums", "Forums meet monthly.", ("$.forums",))
    return attrs.evolve(profile, assumptions=(cadence, owner, quota, forums))


def test_the_assumptions_behind_a_report_are_those_about_what_it_uses(
    example_profile: Profile,
) -> None:
    profile = _with_assumptions(example_profile)
    report = build_cycle_report(_audits(), profile, MAY, as_of=date(2026, 6, 30))
    # The feedback activity is not counted: its assumption is not behind these figures. The
    # forums the report goes to are, through the whole section the assumption names.
    assert [a.id for a in report.basis.assumptions] == [
        "audit_cadence",
        "audit_quota",
        "all_forums",
    ]
    assert report.basis.absent == ()


def test_a_report_under_a_profile_with_no_escalation_rule_says_so_everywhere(
    example_profile: Profile, tmp_path: Path
) -> None:
    profile = attrs.evolve(example_profile, escalation=(), moderation=())
    report = build_cycle_report(_audits(), profile, MAY, as_of=date(2026, 6, 30))
    sentence = (
        "This profile has no escalation rule: 0 escalations means none were encoded, not none "
        "were needed."
    )
    assert report.escalations.raised == 0
    assert report.basis.absent_of("escalation") == (sentence,)
    assert report.basis.absent_of("moderation") == (
        "This profile has no moderation policy: 0 audits moderated means none were encoded, "
        "not none were needed.",
    )
    published = report.publishable()
    paths = render_report(published, ["md", "json", "csv", "html", "xlsx"], tmp_path, charts=False)
    markdown = next(p for p in paths if p.suffix == ".md").read_text("utf-8")
    closing = markdown.index("## Closing the loop")
    assert markdown.index(sentence, closing) < markdown.index("## ", closing + 5)
    assert "## What these figures rest on" in markdown
    data = json.loads(next(p for p in paths if p.suffix == ".json").read_text("utf-8"))
    assert from_dict(PublishedCycleReport, data).basis == report.basis
    assert next(a["text"] for a in data["basis"]["absent"]) == sentence
    assert sentence in next(p for p in paths if p.suffix == ".html").read_text("utf-8")


def test_the_basis_frame_lists_every_statement(example_profile: Profile) -> None:
    pytest.importorskip("pandas")
    profile = attrs.evolve(_with_assumptions(example_profile), escalation=())
    report = build_cycle_report(_audits(), profile, MAY, as_of=date(2026, 6, 30))
    frame = report.to_pandas()["basis"]
    assert list(frame["kind"]) == ["absent", "assumption", "assumption", "assumption"]
    assert list(frame["id"])[1:] == ["audit_cadence", "audit_quota", "all_forums"]


def test_uses_name_the_roles_of_the_items_used(example_profile: Profile) -> None:
    uses = uses_of(example_profile, activities=["case_file_audit"], escalation=["urgent_safety"])
    assert uses == (
        "$.activities[case_file_audit]",
        "$.escalation[urgent_safety]",
        "$.roles[team_manager]",
        "$.roles[head_of_service]",
    )
    note = Assumption("chain", "The chain is assumed.", ("$.roles[head_of_service].reports_to",))
    found = basis_of(attrs.evolve(example_profile, assumptions=(note,)), uses)
    assert found.assumptions == (note,)


def test_an_activity_with_no_sampling_rule_is_said_to_have_none(example_profile: Profile) -> None:
    (absent,) = absent_rules(example_profile, ["transfer_audit"], ["sampling"])
    assert absent.text == (
        "This profile has no sampling rule for Audit at case transfer: which cases are "
        "audited is not encoded."
    )


# -- the command line ------------------------------------------------------------------------

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


def test_moderation_and_escalations_say_what_they_rest_on(run: Run) -> None:
    audits = str(EXAMPLES / "swindon" / "audits.jsonl")
    status, out, _ = run("moderation", "swindon", audits, "--period", "2026-05", "--format", "json")
    assert status == 0
    basis = json.loads(out)["basis"]
    assert "moderation_selection" in {a["id"] for a in basis["assumptions"]}
    status, out, _ = run(
        "escalations", "swindon", audits, "--as-of", "2026-06-30", "--format", "json"
    )
    assert status == 0
    basis = json.loads(out)["basis"]
    assert "urgent_safety_recipients" in {a["id"] for a in basis["assumptions"]}
    assert "$.escalation[child_of_concern].deadline" in {u["path"] for u in basis["not_stated"]}
    status, out, _ = run("escalations", "swindon", audits, "--as-of", "2026-06-30")
    assert "What these figures rest on (swindon 2026-01 (from 2026-01-01)):" in out
    assert "escalation rule 'Child of concern tracker once moderation confirms" in out
    status, out, err = run(
        "escalations", "swindon", audits, "--as-of", "2026-06-30", "--format", "csv"
    )
    assert "What these figures rest on" not in out
    assert err.startswith("What these figures rest on")


def test_a_sample_by_the_profiles_rule_says_what_it_rests_on(run: Run) -> None:
    cases = str(EXAMPLES / "bolton" / "cases.csv")
    argv = ("sample", "bolton", cases, "--activity", "quality_case_file_audits")
    status, _, err = run(*argv, "--as-of", "2026-06-01")
    assert status == 2
    assert "does not state how many" in err
    status, out, _ = run(*argv, "--as-of", "2026-06-01", "--n", "12", "--format", "json")
    assert status == 0
    basis = json.loads(out)["basis"]
    assert {u["what"] for u in basis["not_stated"]} == {"how many", "the sample size"}
    assert "case_file_audit_volume" in {a["id"] for a in basis["assumptions"]}


def test_a_report_whose_destinations_are_not_stated_says_so(
    example_profile: Profile, tmp_path: Path
) -> None:
    from qaframework.policy.unknowns import NOT_STATED

    audit = attrs.evolve(example_profile.activities[0], reported_via=NOT_STATED)
    profile = attrs.evolve(example_profile, activities=(audit, *example_profile.activities[1:]))
    report = build_cycle_report(_audits(), profile, MAY, as_of=date(2026, 6, 30))
    assert report.destinations == ()
    assert [u.path for u in report.basis.not_stated] == [
        "$.activities[case_file_audit].reported_via"
    ]
    (path,) = render_report(report.publishable(), ["md"], tmp_path, charts=False)
    markdown = path.read_text("utf-8")
    section = markdown[markdown.index("## Where this report goes") :]
    assert "Where the findings of Case file audit are reported is not stated." in section
    assert "names no reporting line" not in section
