"""The published report can be trusted: no free text by default, robust redaction when a
council opts in, periods with no data, and data an export does not record.

Each test here failed on the code before these guarantees: notes were published with only the
children's ids written exactly as audited taken out; a period with no audits was a row of
zeros in the trend and a change of "+N" against it; an export without actions read
"Actions overdue 0".
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.engine.audits import Audit, AuditAction, Judgement, RecordedData
from qaframework.engine.periods import Period
from qaframework.engine.report import (
    DEFAULT_CHILD_ID_PATTERN,
    CycleReport,
    NotePublication,
    build_cycle_report,
    child_level_detail,
    redact,
)
from qaframework.engine.report.notes import child_id_key, known_ids, normalise
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.profiles.converter import to_dict
from qaframework.render import render_report

MAY = Period.month(2026, 5)
AS_OF = date(2026, 6, 15)
AUDITED = "B166247"
SIBLING = "B170001"  # a sibling, not audited this period (or ever)
ZERO_WIDTH = "\u200b"

# The ways a child's id escaped redaction, each as a note would hold it.
VARIANTS = {
    "lower case": f"Plan for {AUDITED.lower()} is not SMART",
    "two ids with a slash": f"Siblings {AUDITED}/{SIBLING} share a plan",
    "a suffix after a hyphen": f"See {AUDITED}-A for the chronology",
    "a space inside": f"Chronology for B {AUDITED[1:]} is missing",
    "a zero-width space inside": f"Visits to B{ZERO_WIDTH}{AUDITED[1:]} are recorded",
    "a sibling not audited": f"The sister, {SIBLING}, was not seen",
}


# ---------------------------------------------------------------------------------------------
# Redaction, one variant at a time
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_each_variant_of_a_child_id_is_redacted(variant: str) -> None:
    text = VARIANTS[variant]
    redacted = redact(text, known_ids([AUDITED]), DEFAULT_CHILD_ID_PATTERN)
    assert "[child id]" in redacted
    letters = re.sub(r"[\W_]", "", normalise(redacted)).casefold()
    assert "166247" not in letters
    assert "170001" not in letters


def test_redaction_keeps_the_rest_of_the_note() -> None:
    known = known_ids([AUDITED])
    assert (
        redact(VARIANTS["a suffix after a hyphen"], known) == "See [child id]-A for the chronology"
    )
    assert redact(VARIANTS["two ids with a slash"], known, DEFAULT_CHILD_ID_PATTERN) == (
        "Siblings [child id]/[child id] share a plan"
    )
    assert redact("Seen on 3 May with 2 siblings in 2026", known, DEFAULT_CHILD_ID_PATTERN) == (
        "Seen on 3 May with 2 siblings in 2026"
    )


def test_an_audited_id_of_any_form_is_redacted_without_a_pattern() -> None:
    known = known_ids(["CHILD-0042"])
    for text in ("see child-0042", "see CHILD 0042", "see Child0042's plan", "see (CHILD-0042)"):
        assert redact(text, known) in {
            "see [child id]",
            "see [child id]'s plan",
            "see ([child id])",
        }, text


def test_invisible_characters_do_not_split_an_id() -> None:
    for invisible in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
        text = f"B{invisible}166247 was seen"
        assert redact(text, known_ids([AUDITED])) == "[child id] was seen", repr(invisible)
    # Full-width letters and digits read as plain ones.
    assert redact("Ｂ１６６２４７ was seen", known_ids([AUDITED])) == "[child id] was seen"


def test_a_pattern_is_checked() -> None:
    with pytest.raises(ValueError, match="not a regular expression"):
        NotePublication("([")
    with pytest.raises(ValueError, match="matches an empty word"):
        NotePublication("[0-9]*")


# ---------------------------------------------------------------------------------------------
# Reports: notes counted, published only on the council's opt-in
# ---------------------------------------------------------------------------------------------


def _audit(
    number: int, day: date, grade: str, *, child: str | None = None, **fields: object
) -> Audit:
    return Audit(
        id=f"AUD-{number:03d}",
        child_id=child if child is not None else f"C{number:06d}",
        activity="case_file_audit",
        audit_date=day,
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade=grade,
        team="North",
        service_area="Safeguarding",
        **fields,  # type: ignore[arg-type]
    )


def noted_audits() -> list[Audit]:
    """Twelve audits in May, each judged on assessment with one of the notes above."""
    notes = list(VARIANTS.values())
    return [
        _audit(
            number,
            date(2026, 5, 4 + number),
            "good",
            child=AUDITED if number == 1 else None,
            judgements=(
                Judgement(
                    "assessment",
                    "good",
                    strengths="Child seen alone",
                    would_improve=notes[number % len(notes)],
                ),
            ),
        )
        for number in range(1, 13)
    ]


@pytest.fixture(scope="module")
def noted(example_profile: Profile, calendar: WorkingCalendar) -> CycleReport:
    return build_cycle_report(
        noted_audits(), example_profile, MAY, as_of=AS_OF, calendar=calendar, escalations=()
    )


def _outputs(paths: list[Path]) -> str:
    return "\n".join(p.read_text("utf-8") for p in paths if p.suffix in (".md", ".json", ".html"))


def test_published_outputs_carry_no_free_text_by_default(
    noted: CycleReport, tmp_path: Path
) -> None:
    published = noted.publishable()
    (theme,) = published.themes
    assert theme.strengths == theme.would_improve == ()
    assert (theme.strengths_written, theme.would_improve_written) == (12, 12)
    assert published.notes is None
    text = _outputs(render_report(published, ["md", "html", "json"], tmp_path, charts=False))
    text += json.dumps(to_dict(published))
    assert "Child seen alone" not in text
    for note in VARIANTS.values():
        assert note not in text
    assert "[child id]" not in text.replace("\\[child id\\]", "[child id]")


def test_the_notes_are_in_the_child_level_detail(
    example_profile: Profile, calendar: WorkingCalendar
) -> None:
    detail = child_level_detail(
        noted_audits(), example_profile, MAY, as_of=AS_OF, calendar=calendar, escalations=()
    )
    written = {row.text for row in detail.notes if row.kind == "would_improve"}
    assert written == set(VARIANTS.values())
    assert {row.child_id for row in detail.notes} >= {AUDITED}


def test_notes_opted_in_are_redacted_and_say_so(noted: CycleReport, tmp_path: Path) -> None:
    opted_in = NotePublication()
    published = noted.publishable(notes=opted_in)
    assert published.notes == opted_in
    paths = render_report(published, ["md", "html", "json", "csv"], tmp_path, charts=False)
    text = _outputs(paths) + "\n".join(p.read_text("utf-8") for p in paths if p.suffix == ".csv")
    assert "Child seen alone" in text
    assert "Published at the council's request (an opt-in)" in text
    letters = re.sub(r"[\W_]", "", normalise(text)).casefold()
    assert "166247" not in letters
    assert "170001" not in letters
    (theme,) = published.themes
    notes = dict(theme.would_improve)
    assert "See [child id]-A for the chronology" in notes
    assert "Siblings [child id]/[child id] share a plan" in notes
    assert "The sister, [child id], was not seen" in notes


# ---------------------------------------------------------------------------------------------
# Periods with no data
# ---------------------------------------------------------------------------------------------


def test_periods_with_no_data_are_no_data_not_zeros(
    example_profile: Profile, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    # Ten audits in May; none in March or April (the export starts in May).
    audits = [_audit(n, date(2026, 5, 4 + n), "good") for n in range(1, 11)]
    report = build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )
    assert [(s.period.label, s.recorded) for s in report.trend] == [
        ("2026-03", False),
        ("2026-04", False),
        ("2026-05", True),
    ]
    assert report.change.audits is None
    assert report.trend_table().row_keys == ("2026-05",)
    published = report.publishable()
    assert not published.change.recorded
    assert published.change.audits is None
    assert [p.label for p in published.trend_without_data] == ["2026-03", "2026-04"]
    paths = render_report(published, ["md", "csv"], tmp_path)
    markdown = paths[0].read_text("utf-8")
    assert "| Change in audits since 2026-04 | no data |" in markdown
    assert "+10" not in markdown
    assert "| 2026-03 | no data | no data |" in markdown
    trend_csv = (tmp_path / "qa-report-exampleshire-2026-05-csv" / "trend.csv").read_text("utf-8")
    assert "2026-04,no data,no data" in trend_csv
    assert "2026-04,0," not in trend_csv
    svg = next(p for p in paths if p.name.endswith("-trend.svg")).read_text("utf-8")
    assert "2026-04 no data" in svg


def test_a_change_against_a_period_with_data_is_still_given(
    example_profile: Profile, calendar: WorkingCalendar
) -> None:
    audits = [_audit(n, date(2026, 5, 4 + n), "good") for n in range(1, 11)]
    audits += [_audit(100 + n, date(2026, 4, 6 + n), "good") for n in range(1, 8)]
    report = build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )
    assert report.change.audits == 3
    assert report.publishable().change.recorded


# ---------------------------------------------------------------------------------------------
# Data an export does not record
# ---------------------------------------------------------------------------------------------


def test_an_export_without_actions_says_not_recorded(
    example_profile: Profile, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    audits = [_audit(n, date(2026, 5, 4 + n), "good") for n in range(1, 11)]
    report = build_cycle_report(
        audits,
        example_profile,
        MAY,
        as_of=AS_OF,
        calendar=calendar,
        recorded=RecordedData(actions=False),
    )
    published = report.publishable()
    assert published.recorded.missing == ("actions",)
    actions = published.actions
    assert actions.due is actions.overdue_total is actions.done is None
    paths = render_report(published, ["md", "json"], tmp_path, charts=False)
    markdown = paths[0].read_text("utf-8")
    assert "| Actions overdue on 15 June 2026, whenever due | not recorded in this export |" in (
        markdown
    )
    assert "This export does not record actions" in markdown
    data = json.loads(paths[1].read_text("utf-8"))
    assert data["actions"]["overdue_total"] is None
    assert data["recorded"]["actions"] is False
    # With every kind recorded (the default), the same audits count no overdue action: 0.
    assert (
        build_cycle_report(audits, example_profile, MAY, as_of=AS_OF, calendar=calendar)
        .publishable()
        .actions.overdue_total
        == 0
    )


def test_escalations_closed_by_actions_are_not_told_open_or_closed_without_actions(
    example_profile: Profile, calendar: WorkingCalendar
) -> None:
    closes_on_actions = any(
        {c.value for c in rule.closes} & {"actions_verified", "no_actions"}
        for rule in example_profile.escalation
    )
    audits = [
        _audit(
            n,
            date(2026, 5, 4 + n),
            "inadequate",
            actions=(AuditAction(f"X{n}", "Update the plan", "sw1", date(2026, 6, 1)),),
        )
        for n in range(1, 9)
    ]
    report = build_cycle_report(
        audits,
        example_profile,
        MAY,
        as_of=AS_OF,
        calendar=calendar,
        recorded=RecordedData(actions=False),
    )
    published = report.publishable()
    assert published.escalations.status_recorded is not closes_on_actions
    if closes_on_actions:
        assert published.escalations.open is published.escalations.open_total is None
        assert all(t.children is None for t in published.trackers)


def test_moderation_not_recorded(example_profile: Profile, calendar: WorkingCalendar) -> None:
    audits = [_audit(n, date(2026, 5, 4 + n), "good") for n in range(1, 11)]
    published = build_cycle_report(
        audits,
        example_profile,
        MAY,
        as_of=AS_OF,
        calendar=calendar,
        recorded=RecordedData(moderation=False),
    ).publishable()
    assert published.moderation.moderated is None
    assert published.moderation.kappas == ()


def test_the_check_for_child_ids_in_outputs_finds_every_variant() -> None:
    from qaframework.testing.disclosure import child_ids_in

    for variant, text in VARIANTS.items():
        found = child_ids_in(text, [AUDITED, SIBLING])
        assert found, variant
        assert set(found) <= {AUDITED, SIBLING}
    assert child_ids_in("Seen on 3 May 2026 with 2 siblings", [AUDITED, SIBLING]) == ()
    assert child_ids_in("see B999999", [AUDITED], DEFAULT_CHILD_ID_PATTERN) == ("b999999",)


# ---------------------------------------------------------------------------------------------
# The shortcuts for plain ids and text (issue 12: a key per distinct id, ASCII as it is)
# ---------------------------------------------------------------------------------------------


def _normalised(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


_IDS = st.one_of(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    st.text(st.characters(max_codepoint=127)),
    st.text(),
    st.text(alphabet=["B", "b", "1", "6", "-", " ", "_", ZERO_WIDTH, "\uff22", "\u00ad", "ß"]),
)


@given(_IDS)
def test_normalise_and_keys_answer_as_the_general_rule(text: str) -> None:
    assert normalise(text) == _normalised(text)
    assert child_id_key(text) == "".join(re.findall(r"[^\W_]+", _normalised(text))).casefold()


@given(st.lists(_IDS))
def test_known_ids_are_the_keys_of_the_distinct_ids(ids: list[str]) -> None:
    expected = set()
    for child in ids:
        key = "".join(re.findall(r"[^\W_]+", _normalised(child))).casefold()
        if key:
            expected.add(key)
    assert known_ids(ids) == frozenset(expected)
    assert known_ids(iter(ids)) == frozenset(expected)
