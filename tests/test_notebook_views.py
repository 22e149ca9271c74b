"""How loads, audits, grade scales and periods show in a notebook and at the prompt: a repr
of a line or two (a quarter's export printed 285,000 characters), and an HTML view with the
counts, warnings and rejections, every text escaped."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import attrs
import pytest

from qaframework.engine.audits import Audit, AuditAction, Judgement, ModerationRecord
from qaframework.engine.periods import Period
from qaframework.io import load_activity_log, load_audits, load_cases
from qaframework.io.display import REJECTION_ROWS
from qaframework.policy.actions import ActionStatus
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.profiles.registry import load_profile
from tests.test_repr_html import HOSTILE, read, text_of

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
BOLTON = EXAMPLES / "bolton"

SHORT = 200  # characters: a repr is a line, not the data


def test_a_loaded_export_has_a_short_repr() -> None:
    load = load_audits(BOLTON / "audits.csv", "bolton", mapping=BOLTON / "audits.mapping.toml")
    shown = repr(load)
    assert len(shown) < SHORT, len(shown)
    assert shown == (
        "<AuditLoad 'examples/bolton/audits.csv' (csv, profile bolton): 152 rows read, "
        "152 audits accepted, 0 rejected>"
    ).replace("examples/bolton/audits.csv", str(BOLTON / "audits.csv"))


@pytest.mark.parametrize("council", ["bolton", "manchester", "swindon", "telford"])
def test_every_load_and_record_has_a_short_repr(council: str) -> None:
    folder = EXAMPLES / council
    audits = load_audits(folder / "audits.jsonl", council)
    cases = load_cases(folder / "cases.csv")
    log = load_activity_log(folder / "activity-log.csv")
    profile = load_profile(council)
    for value in (audits, cases, log, *audits.accepted, profile.grade_scale):
        assert len(repr(value)) < SHORT, repr(value)[:300]
    assert repr(cases).startswith(f"<CaseLoad {str(folder / 'cases.csv')!r} (csv): ")
    assert repr(log).endswith(f"{len(log.accepted):,} entries accepted, 0 rejected>")


def _spoiled(tmp_path: Path, count: int) -> Path:
    """Swindon's export with ``count`` rows given a grade the scale does not have, one of
    them hostile text."""
    source = EXAMPLES / "swindon" / "audits.csv"
    with source.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    graded = [row for row in rows if row["Overall Grade"]]
    for index, row in enumerate(graded[:count]):
        row["Overall Grade"] = HOSTILE if index == 0 else "Excellent"
    target = tmp_path / "audits.csv"
    with target.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_a_load_shows_its_counts_and_rejections_as_html(tmp_path: Path) -> None:
    mapping = EXAMPLES / "swindon" / "audits.mapping.toml"
    load = load_audits(_spoiled(tmp_path, 3), "swindon", mapping=mapping)
    assert len(load.rejected) == 3
    html = load._repr_html_()
    text = text_of(html)
    assert f"{load.rows_read} rows read; {len(load.accepted)} audits accepted; 3 rejected" in text
    assert "Rejected rows" in text
    assert "Overall Grade" in text
    assert "'Excellent' is not a grade" in text
    # The hostile value is shown as text, never as markup.
    assert HOSTILE in text
    assert "<script>" not in html
    assert repr(load).endswith(f"{len(load.accepted)} audits accepted, 3 rejected>")


def test_a_long_list_of_rejections_is_cut_and_counted(tmp_path: Path) -> None:
    mapping = EXAMPLES / "swindon" / "audits.mapping.toml"
    load = load_audits(_spoiled(tmp_path, REJECTION_ROWS + 4), "swindon", mapping=mapping)
    reader = read(load._repr_html_())
    assert reader.tags.count("tr") == REJECTION_ROWS + 1  # the header and the rows shown
    assert f"the first {REJECTION_ROWS}; 4 more in load.rejected" in " ".join(reader.text)


def test_a_load_warns_of_mapped_columns_the_export_lacks(tmp_path: Path) -> None:
    source = EXAMPLES / "swindon" / "cases.csv"
    with source.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    target = tmp_path / "cases.csv"
    kept = [c for c in rows[0] if c != "Allocated Worker"]
    with target.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    load = load_cases(target)
    text = text_of(load._repr_html_())
    assert (
        "Note: columns the mapping names that the file lacks (read as empty): Allocated Worker"
        in text
    )


def test_an_activity_log_shows_the_columns_it_does_not_read(tmp_path: Path) -> None:
    source = EXAMPLES / "swindon" / "activity-log.csv"
    target = tmp_path / "log.csv"
    lines = source.read_text("utf-8").splitlines()
    target.write_text(
        "\n".join([lines[0] + ",Comment", *(line + ",x" for line in lines[1:])]) + "\n", "utf-8"
    )
    text = text_of(load_activity_log(target)._repr_html_())
    assert "Note: columns the mapping does not read: Comment" in text


# -- audits, grade scales, periods -------------------------------------------------------


def _audit() -> Audit:
    return Audit(
        id="A-1",
        child_id="C-7",
        activity="case_file_audit",
        audit_date=date(2026, 5, 4),
        auditor="tm.1",
        auditor_role="team_manager",
        overall_grade="requires_improvement",
        team="Safeguarding 2",
        judgements=(Judgement("assessment", "good", rationale=HOSTILE),),
        moderations=(
            ModerationRecord(
                "qa.2", "qa_officer", "inadequate", ModerationOutcome.DOWNGRADE, date(2026, 5, 9)
            ),
        ),
        actions=(
            AuditAction("A-1-1", "See the child alone", "tm.1", date(2026, 6, 1)),
            AuditAction(
                "A-1-2", "Update the plan", "tm.1", date(2026, 5, 20), status=ActionStatus.DONE
            ),
        ),
    )


def test_an_audit_has_a_short_repr_and_an_html_view() -> None:
    audit = _audit()
    assert repr(audit) == (
        "<Audit 'A-1' of child 'C-7': case_file_audit on 2026-05-04 by 'tm.1', graded "
        "requires_improvement, moderated inadequate; 1 judgement, 1 moderation, 2 actions>"
    )
    html = audit._repr_html_()
    text = " ".join(text_of(html).split())
    assert "Audit A-1 of child C-7 : case_file_audit on 2026-05-04; by tm.1 (team_manager)" in text
    assert "auditor's grade requires_improvement, moderated inadequate; final inadequate" in text
    assert "team Safeguarding 2" in text
    assert HOSTILE in text
    assert "<script>" not in html
    assert "1 moderation" in text
    assert "2 actions" in text
    assert "See the child alone" in text


def test_an_ungraded_audit_says_so() -> None:
    audit = attrs.evolve(_audit(), overall_grade=None, judgements=(), moderations=())
    assert "not graded;" in repr(audit)
    assert "not graded (the activity does not grade practice)" in text_of(audit._repr_html_())


def test_a_grade_scale_shows_its_grades_in_order(example_profile: Profile) -> None:
    scale = example_profile.grade_scale
    assert repr(scale) == (
        f"<GradeScale {scale.id!r}: {' > '.join(scale.codes)}; "
        f"good or better from {scale.good_or_better!r}>"
    )
    reader = read(scale._repr_html_())
    text = " ".join(reader.text)
    for grade in scale.grades:
        assert grade.label in text
        assert grade.ilacs.label in text
    # Best first: each grade's row comes after the better grade's.
    rows = [reader.text.index(g.code) for g in scale.grades]
    assert rows == sorted(rows)
    hostile = attrs.evolve(scale, name=HOSTILE)
    assert HOSTILE in text_of(hostile._repr_html_())


def test_a_period_shows_its_days() -> None:
    quarter = Period.parse("2026-27 Q1")
    assert text_of(quarter._repr_html_()) == "2026-27 Q1 : 1 April 2026 to 30 June 2026 (91 days)"
    one = Period(date(2026, 5, 1), date(2026, 5, 1), HOSTILE)
    assert "(1 day)" in text_of(one._repr_html_())
    assert "<script>" not in one._repr_html_()
    assert len(repr(quarter)) < SHORT


def test_a_profile_a_report_and_a_sample_have_short_reprs() -> None:
    from qaframework.engine.report import build_cycle_report
    from qaframework.engine.sampling import CasePool, simple_random

    swindon = load_profile("swindon", as_of=date(2026, 6, 30))
    load = load_audits(EXAMPLES / "swindon" / "audits.jsonl", "swindon")
    quarter = Period.parse("2026-27 Q1")
    report = build_cycle_report(load.accepted, swindon, quarter, as_of=date(2026, 7, 15))
    cases = load_cases(EXAMPLES / "swindon" / "cases.csv").accepted
    sample = simple_random(CasePool.of(cases), 9, seed=0)
    assert repr(swindon) == (
        f"<Profile 'swindon' '2026-01' (Swindon Borough Council), in force from 2026-01-01: "
        f"{len(swindon.standards)} standards, {len(swindon.activities)} activities, "
        f"{len(swindon.roles)} roles>"
    )
    assert repr(report) == (
        "<CycleReport 'swindon' '2026-27 Q1' as of 2026-07-15: 193 graded audits (exact "
        "counts: publish with .publishable())>"
    )
    assert repr(report.publishable()) == (
        "<PublishedCycleReport 'swindon' '2026-27 Q1' as of 2026-07-15: 193 graded audits; "
        "counts 1 to 5 suppressed>"
    )
    assert repr(sample) == "<Sample random: 9 of 361 eligible cases (361 on the list), seed 0>"
    for value in (swindon, report, report.publishable(), sample):
        assert len(repr(value)) < SHORT


def test_a_load_shows_its_warnings(tmp_path: Path) -> None:
    source = EXAMPLES / "swindon" / "audits.csv"
    with source.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    target = tmp_path / "audits.csv"
    with target.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(
            file, fieldnames=[c for c in rows[0] if c != "Team"], extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    load = load_audits(target, "swindon", mapping=EXAMPLES / "swindon" / "audits.mapping.toml")
    assert load.warnings
    text = " ".join(text_of(load._repr_html_()).split())
    for warning in load.warnings:
        assert f"Warning: {' '.join(warning.split())}" in text
    # Said once, as the warning.
    assert "Note: columns the mapping names that the file lacks" not in text
