"""Loading audit exports (``qaframework.io.audits``) against the real Bolton profile.

Bolton has two versions: the Staying Safe framework (2021-11-01 to 2025-04-30, Ofsted's
grades) and the 2026 framework (from 2026-02-05, "Meets good" grades, every judgement with
its rationale, strengths and "what would have made it better"). No version covers
2025-05-01 to 2026-02-04.
"""

from __future__ import annotations

import codecs
import csv
import gc
import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from qaframework import from_dict, to_dict
from qaframework.engine.audits import Audit, AuditAction, Judgement, ModerationRecord
from qaframework.errors import QAFrameworkError, UnknownProfile
from qaframework.io import (
    AuditLoad,
    ExportError,
    MappingError,
    RejectedRows,
    load_audits,
    write_audits,
)
from qaframework.io.values import forbidden_character
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome
from tests.native_files import native_file

EXPORTS = Path(__file__).parent / "data" / "exports"

ROW_2026 = {
    "Audit ID": "B1",
    "Child Unique ID": "C1",
    "Activity": "Quality Case File Audits",
    "Audit Date": "06/03/2026",
    "Auditor": "tm1",
    "Auditor Role": "Team Manager",
    "Overall Grade": "Meets good",
    "assessment grade": "Good",
    "assessment rationale": "Clear analysis.",
    "assessment strengths": "Child seen alone.",
    "assessment would improve": "A chronology.",
}
ROW_2024 = {
    "Audit ID": "S1",
    "Child Unique ID": "C2",
    "Activity": "Whole Case File Audits",
    "Audit Date": "12/06/2024",
    "Auditor": "tm2",
    "Auditor Role": "Team Manager",
    "Overall Grade": "Good",
}

UNFIXED_COLUMNS = {
    "id": "Audit ID",
    "child_id": "Child Unique ID",
    "audit_date": "Audit Date",
    "auditor": "Auditor",
    "overall_grade": "Overall Grade",
}
"""The columns of a mapping that fixes the activity and the auditor's role."""


def write_csv(path: Path, rows: list[Mapping[str, Any]]) -> Path:
    """Rows as a CSV whose header is every key, in the order first met."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def load_rows(tmp_path: Path, *rows: Mapping[str, Any], **options: Any) -> AuditLoad:
    return load_audits(write_csv(tmp_path / "audits.csv", list(rows)), "bolton", **options)


def only_problem(load: AuditLoad) -> tuple[str | None, str | None, str]:
    (rejection,) = load.rejected
    (problem,) = rejection.problems
    return problem.column, problem.value, problem.reason


def test_the_liquidlogic_example_loads_without_editing() -> None:
    load = load_audits(
        EXPORTS / "liquidlogic-audits.csv",
        "bolton",
        mapping=EXPORTS / "liquidlogic-audits.mapping.toml",
    )
    assert load.rejected == ()
    assert load.rows_read == 4
    assert load.unmapped_columns == ("Form Status",)
    assert load.missing_columns == ()
    first, second, third, fourth = load.accepted
    assert first.id == "LL-1001"
    assert first.audit_date == date(2026, 2, 9)
    assert first.activity == "quality_case_file_audits"
    assert first.auditor_role == "team_manager"  # "SW Team Manager" from [values.role]
    assert first.overall_grade == "meets_good"  # "Good" is a synonym on the 2026 scale
    assert [(j.standard, j.grade) for j in first.judgements] == [
        ("assessment", "meets_good"),
        ("planning_review_and_meetings", "does_not_yet_meet_good"),
    ]
    assert first.feedback == (FeedbackSource.CHILD, FeedbackSource.PARENT_CARER)
    assert first.moderations == (
        ModerationRecord(
            "hos.khan",
            "head_of_service",
            "meets_good",
            ModerationOutcome.AGREE,
            date(2026, 2, 16),
            "Agree with the auditor.",
        ),
    )
    assert second.auditor_role == "principal_social_worker"  # the abbreviation "PSW"
    assert len(second.judgements) == 1  # the planning columns are empty
    assert third.audit_date == date(2026, 2, 11)  # "11/2/2026"
    assert third.auditor_role == "qa_manager_officer"
    assert third.concerns == (Concern.URGENT_SAFETY,)
    assert third.moderations[0].outcome is ModerationOutcome.DOWNGRADE
    assert fourth.auditor_role == "advanced_practitioner"
    assert fourth.concerns == (Concern.HEALTH,)


def test_the_default_mapping_reads_annex_a_like_headers(tmp_path: Path) -> None:
    row = {
        **ROW_2026,
        "Allocated Team": "North",
        "Allocated Worker": "sw7",
        "Service Area": "Safeguarding",
        "Cycle": "2026-03",
        "Urgent Safety Concern": "yes",
        "Child Feedback": "y",
        "planning_review_and_meetings Grade": "Inadequate",
        "planning_review_and_meetings Rationale": "r",
        "planning_review_and_meetings Strengths": "s",
        "planning_review_and_meetings Would Improve": "w",
        "Moderator": "hos1",
        "Moderator Role": "Head of Service",
        "Moderated Grade": "Requires improvement",
        "Moderation Date": "2026-03-13",
        "Moderation Outcome": "Downgrade",
    }
    load = load_rows(tmp_path, row)
    (audit,) = load.accepted
    assert audit == Audit(
        id="B1",
        child_id="C1",
        activity="quality_case_file_audits",
        audit_date=date(2026, 3, 6),
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade="meets_good",
        cycle="2026-03",
        practitioner="sw7",
        team="North",
        service_area="Safeguarding",
        judgements=(
            Judgement(
                "assessment", "meets_good", "Clear analysis.", "Child seen alone.", "A chronology."
            ),
            Judgement("planning_review_and_meetings", "inadequate", "r", "s", "w"),
        ),
        concerns=(Concern.URGENT_SAFETY,),
        feedback=(FeedbackSource.CHILD,),
        moderations=(
            ModerationRecord(
                "hos1",
                "head_of_service",
                "does_not_yet_meet_good",
                ModerationOutcome.DOWNGRADE,
                date(2026, 3, 13),
            ),
        ),
    )
    assert set(load.missing_columns) == {
        "Health Concern",
        "Parent/Carer Feedback",
        "Practitioner Feedback",
        "Partner Agency Feedback",
        "Moderation Rationale",
    }
    assert load.unmapped_columns == ()


def test_each_row_is_read_under_the_version_in_force_on_its_date(tmp_path: Path) -> None:
    load = load_rows(
        tmp_path,
        ROW_2026,
        ROW_2024,
        {**ROW_2026, "Audit ID": "B2", "Overall Grade": "Requires improvement"},
    )
    assert load.rejected == ()
    in_2026, in_2024, ri = load.accepted
    assert in_2026.overall_grade == "meets_good"  # "Meets good" on the 2026 scale
    assert in_2024.overall_grade == "good"  # "Good" on the Staying Safe scale
    assert in_2024.activity == "whole_case_file_audits"
    assert ri.overall_grade == "does_not_yet_meet_good"


def test_a_2024_audit_cannot_use_the_2026_scale(tmp_path: Path) -> None:
    column, value, reason = only_problem(
        load_rows(tmp_path, {**ROW_2024, "Overall Grade": "Meets good"})
    )
    assert (column, value) == ("Overall Grade", "Meets good")
    assert reason.startswith("'Meets good' is not a grade of bolton 2021-11")
    assert "Outstanding, Good, Requires improvement to be good, Inadequate" in reason


def test_a_2026_audit_uses_the_2026_activities_and_standards(tmp_path: Path) -> None:
    load = load_rows(
        tmp_path,
        {**ROW_2026, "Activity": "Whole Case File Audits"},
        {**ROW_2024, "Audit ID": "S2", "assessment grade": "Good"},
    )
    activity, standard = load.rejected
    assert activity.column == "Activity"
    assert "'Whole Case File Audits' is not an activity of bolton 2026-01" in activity.reason
    assert standard.column == "assessment grade"
    assert (
        standard.reason == "unknown standard 'assessment', under bolton 2021-11 (from 2021-11-01)"
    )


@pytest.mark.parametrize(
    ("day", "covered"),
    [
        ("01/06/2025", "versions cover 2021-11-01 to 2025-04-30; 2026-02-05 to now"),
        ("2026-02-04", "versions cover 2021-11-01 to 2025-04-30; 2026-02-05 to now"),
        ("31/10/2021", "the earliest version takes effect on 2021-11-01"),
    ],
)
def test_an_audit_dated_when_no_version_was_in_force(
    tmp_path: Path, day: str, covered: str
) -> None:
    column, value, reason = only_problem(load_rows(tmp_path, {**ROW_2026, "Audit Date": day}))
    assert (column, value) == ("Audit Date", day)
    assert "profile 'bolton' has no version in force" in reason
    assert reason.endswith(covered)


def test_the_last_and_first_days_of_the_versions(tmp_path: Path) -> None:
    load = load_rows(
        tmp_path,
        {**ROW_2024, "Audit Date": "30/04/2025"},
        {**ROW_2026, "Audit Date": "05/02/2026"},
    )
    assert load.rejected == ()


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"Audit ID": ""}, "Audit ID", "required, but empty"),
        ({"Child Unique ID": "  "}, "Child Unique ID", "required, but empty"),
        ({"Auditor": ""}, "Auditor", "required, but empty"),
        ({"Overall Grade": ""}, "Overall Grade", "required, but empty"),
        ({"Audit Date": ""}, "Audit Date", "required, but empty"),
        ({"Audit Date": "31/02/2026"}, "Audit Date", "'31/02/2026' is not a real date"),
        ({"Audit Date": "06/03/26"}, "Audit Date", "is not a date in the form"),
        ({"Audit Date": "06/03/2026 10:15"}, "Audit Date", "has a time of day (10:15)"),
        ({"Activity": "Dip sampling"}, "Activity", "'Dip sampling' is not an activity of"),
        ({"Auditor Role": "Wizard"}, "Auditor Role", "'Wizard' is not a role of bolton 2026-01"),
        ({"Overall Grade": "Goodish"}, "Overall Grade", "'Goodish' is not a grade of bolton"),
        ({"assessment grade": "Amber"}, "assessment grade", "'Amber' is not a grade of bolton"),
        (
            {"assessment grade": ""},
            "assessment grade",
            "empty, but the judgement's other columns are filled: give its grade",
        ),
        (
            {"assessment rationale": ""},
            "assessment rationale",
            "Quality Case File Audits requires rationale on every judgement",
        ),
        (
            {"assessment would improve": "   "},
            "assessment would improve",
            "Quality Case File Audits requires would improve on every judgement",
        ),
        ({"Urgent Safety Concern": "maybe"}, "Urgent Safety Concern", "'maybe' is not yes or no"),
        ({"Child Feedback": "2"}, "Child Feedback", "'2' is not yes or no"),
    ],
)
def test_every_rejection_reason(
    tmp_path: Path, change: dict[str, str], column: str, reason: str
) -> None:
    load = load_rows(tmp_path, {**ROW_2026, **change})
    assert load.rows_read == 1
    assert load.accepted == ()
    (rejection,) = load.rejected
    assert rejection.file.endswith("audits.csv")
    assert rejection.row == 2
    assert rejection.column == column
    assert reason in rejection.reason
    assert rejection.value == (change[column] if change[column].strip() else None)


MODERATED = {
    **ROW_2026,
    "Moderator": "hos1",
    "Moderator Role": "HEAD OF SERVICE",
    "Moderated Grade": "Outstanding",
    "Moderation Date": "13/03/2026",
    "Moderation Outcome": "upgrade",
}


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"Moderation Date": ""}, "Moderation Date", "required, but empty"),
        ({"Moderator": ""}, "Moderator", "required, but empty"),
        (
            {"Moderation Date": "01/03/2026"},
            "Moderation Date",
            "moderated on 2026-03-01, before the audit (2026-03-06)",
        ),
        (
            {"Moderation Outcome": "agree"},
            "Moderation Outcome",
            "agree does not match 'meets_good' -> 'outstanding' (that is upgrade)",
        ),
        (
            {"Moderation Outcome": "same"},
            "Moderation Outcome",
            "'same' is not a moderation outcome",
        ),
        ({"Moderator Role": "Panel"}, "Moderator Role", "'Panel' is not a role of bolton"),
    ],
)
def test_moderation_rejections(
    tmp_path: Path, change: dict[str, str], column: str, reason: str
) -> None:
    assert load_rows(tmp_path, MODERATED).rejected == ()
    load = load_rows(tmp_path, {**MODERATED, **change})
    (rejection,) = load.rejected
    assert rejection.column == column
    assert reason in rejection.reason


def test_a_moderation_outcome_is_worked_out_when_not_given(tmp_path: Path) -> None:
    (audit,) = load_rows(tmp_path, {**MODERATED, "Moderation Outcome": ""}).accepted
    assert audit.moderations[0].outcome is ModerationOutcome.UPGRADE
    assert audit.final_grade == "outstanding"
    assert audit.overall_grade == "meets_good"


def test_every_problem_in_a_row_is_reported(tmp_path: Path) -> None:
    load = load_rows(
        tmp_path,
        {**ROW_2026, "Auditor": "", "Urgent Safety Concern": "perhaps", "Overall Grade": "Top"},
    )
    (rejection,) = load.rejected
    assert [p.column for p in rejection.problems] == [
        "Auditor",
        "Overall Grade",
        "Urgent Safety Concern",
    ]
    assert str(rejection).startswith(f"{rejection.file} row 2: column 'Auditor': required")


def test_duplicates_reject_the_later_row_naming_the_earlier(tmp_path: Path) -> None:
    load = load_rows(
        tmp_path,
        {**ROW_2026, "Overall Grade": "nonsense"},
        ROW_2024,
        {**ROW_2026, "Child Unique ID": "C9"},
        {**ROW_2024, "Audit ID": " S1 "},
    )
    assert load.rows_read == 4
    assert [a.id for a in load.accepted] == ["S1"]
    first, later, other = load.rejected
    assert first.row == 2
    assert first.duplicate_of is None
    assert (later.row, later.duplicate_of) == (4, 2)
    assert later.problems[-1].reason == "duplicate audit id: row 2 has the same one"
    assert later.problems[-1].column == "Audit ID"
    assert (other.row, other.duplicate_of) == (5, 3)
    assert load.duplicates == (later, other)


def test_columns_not_mapped_on_several_sheets_are_listed_once_in_order(tmp_path: Path) -> None:
    # Each unmapped column once, in the order the sheets first show it; an unnamed column
    # counts only where it holds data. A workbook as wide as Excel allows (16,384
    # columns) is listed whole (the list is kept without searching it for each column:
    # see benchmarks/bench_wide.py).
    required = ["Audit ID", "Child Unique ID", "Activity", "Audit Date", "Auditor"]
    required += ["Auditor Role", "Overall Grade"]
    row = ["B1", "C1", "Quality Case File Audits", "06/03/2026", "tm1", "Team Manager"]
    row += ["Meets good"]
    wide = [f"Extra {i}" for i in range(16_384 - len(required) - 2)]
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "North"
    first.append([*required, "Notes", None, *wide, "Form Status"])
    first.append([*row, "x", None, *(["v"] * len(wide)), "done"])
    second = book.create_sheet("South")
    second.append([*required, "Form Status", "Notes", "Reviewer", None])
    second.append([*row[:-1], "Outstanding", "done", "y", "r1", "kept"])
    path = tmp_path / "audits.xlsx"
    book.save(path)
    load = load_audits(path, "bolton", sheet="all")
    assert load.unmapped_columns == ("Notes", *wide, "Form Status", "Reviewer", "(column K)")


def test_columns_not_mapped_are_listed_not_ignored(tmp_path: Path) -> None:
    path = tmp_path / "audits.csv"
    path.write_text(
        "Audit ID,Child Unique ID,Activity,Audit Date,Auditor,Auditor Role,Overall Grade,"
        "Notes,,assessment stars,\n"
        "B1,C1,Quality Case File Audits,06/03/2026,tm1,Team Manager,Meets good,x,y,,\n",
        encoding="utf-8",
    )
    load = load_audits(path, "bolton")
    assert len(load.accepted) == 1
    assert load.unmapped_columns == ("Notes", "(column I)", "assessment stars")
    assert "Allocated Team" in load.missing_columns


def test_a_required_column_missing_from_the_export_is_an_error(tmp_path: Path) -> None:
    row = {key: value for key, value in ROW_2026.items() if key != "Audit Date"}
    with pytest.raises(ExportError, match="has no column 'Audit Date' \\(audit_date\\)"):
        load_rows(tmp_path, row)


def test_an_export_with_part_of_the_moderation_columns_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="not 'Moderation Date'"):
        load_rows(
            tmp_path, {**ROW_2026, "Moderator": "x", "Moderator Role": "", "Moderated Grade": ""}
        )


def test_strict_raises_listing_every_rejection(tmp_path: Path) -> None:
    with pytest.raises(RejectedRows) as caught:
        load_rows(
            tmp_path,
            ROW_2026,
            {**ROW_2026, "Audit ID": "B2", "Overall Grade": "x"},
            {**ROW_2024, "Audit Date": "2025-06-01"},
            strict=True,
        )
    assert isinstance(caught.value, QAFrameworkError)
    assert [r.row for r in caught.value.rejections] == [3, 4]
    message = str(caught.value)
    assert message.splitlines()[0].endswith("audits.csv: 2 of 3 rows rejected")
    assert "row 3: column 'Overall Grade'" in message
    assert "row 4: column 'Audit Date'" in message
    assert len(load_rows(tmp_path, ROW_2026, strict=True).accepted) == 1


def test_role_titles_and_abbreviations_are_recognised_in_any_case(tmp_path: Path) -> None:
    rows = [
        {**ROW_2026, "Audit ID": f"B{i}", "Auditor Role": role}
        for i, role in enumerate(
            [
                "psw",
                "Principal Social Worker",
                "PRINCIPAL_SOCIAL_WORKER",
                "ap",
                "qa manager/officer",
            ]
        )
    ]
    load = load_rows(tmp_path, *rows)
    assert [a.auditor_role for a in load.accepted] == [
        "principal_social_worker",
        "principal_social_worker",
        "principal_social_worker",
        "advanced_practitioner",
        "qa_manager_officer",
    ]


def test_a_mapping_adds_wording_for_roles_and_activities(tmp_path: Path) -> None:
    mapping = {
        "columns": {
            "id": "Audit ID",
            "child_id": "Child Unique ID",
            "activity": "Activity",
            "audit_date": "Audit Date",
            "auditor": "Auditor",
            "auditor_role": "Auditor Role",
            "overall_grade": "Overall Grade",
        },
        "values": {
            "role": {"TM": "team_manager"},
            "activity": {"QCFA": "quality_case_file_audits"},
        },
    }
    load = load_rows(
        tmp_path, {**ROW_2026, "Auditor Role": "tm", "Activity": "qcfa"}, mapping=mapping
    )
    (audit,) = load.accepted
    assert (audit.auditor_role, audit.activity) == ("team_manager", "quality_case_file_audits")
    assert load.unmapped_columns == tuple(c for c in ROW_2026 if c.startswith("assessment"))


def test_fixed_values_fill_every_row(tmp_path: Path) -> None:
    mapping = {
        "columns": UNFIXED_COLUMNS,
        "fixed": {"activity": "Whole Case File Audits", "auditor_role": "Team Manager"},
    }
    row = {k: v for k, v in ROW_2024.items() if k not in ("Activity", "Auditor Role")}
    load = load_rows(
        tmp_path, row, {**row, "Audit ID": "S2", "Audit Date": "06/03/2026"}, mapping=mapping
    )
    (audit,) = load.accepted
    assert (audit.activity, audit.auditor_role) == ("whole_case_file_audits", "team_manager")
    (rejection,) = load.rejected
    assert rejection.column == "[fixed] activity"
    assert rejection.value == "Whole Case File Audits"


@pytest.mark.parametrize(
    ("mapping", "problem"),
    [
        (
            {"judgements": {"colour": {"grade": "Colour"}}},
            "judgements.colour: no version of profile 'bolton' has this standard",
        ),
        (
            {"values": {"role": {"TM": "tm"}}},
            "values.role.TM: 'tm' is not a role id of profile 'bolton'",
        ),
        (
            {"values": {"activity": {"Audit": "audit"}}},
            "values.activity.Audit: 'audit' is not an activity id of profile 'bolton'",
        ),
        (
            {"fixed": {"activity": "Dip sample"}, "columns": {"activity": None}},
            "fixed.activity: 'Dip sample' is not recognised by any version of profile 'bolton'",
        ),
    ],
)
def test_a_mapping_naming_what_the_profile_lacks_is_an_error(
    tmp_path: Path, mapping: dict[str, Any], problem: str
) -> None:
    columns = {
        "id": "Audit ID",
        "child_id": "Child Unique ID",
        "activity": "Activity",
        "audit_date": "Audit Date",
        "auditor": "Auditor",
        "auditor_role": "Auditor Role",
        "overall_grade": "Overall Grade",
    }
    for key, value in mapping.pop("columns", {}).items():
        columns.pop(key) if value is None else columns.update({key: value})
    with pytest.raises(MappingError) as caught:
        load_rows(tmp_path, ROW_2026, mapping={"columns": columns, **mapping})
    assert caught.value.problems == (problem,)


def test_an_unknown_profile_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UnknownProfile):
        load_audits(write_csv(tmp_path / "a.csv", [ROW_2026]), "atlantis")


def test_a_cp1252_export(tmp_path: Path) -> None:
    path = tmp_path / "audits.csv"
    lines = [",".join(ROW_2026), ",".join({**ROW_2026, "Auditor": "Renée"}.values())]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    column, value, reason = only_problem(load_audits(path, "bolton"))
    assert (column, value) == ("Auditor", "Ren\\xe9e")
    assert "not valid utf-8" in reason
    (audit,) = load_audits(path, "bolton", encoding="cp1252").accepted
    assert audit.auditor == "Renée"
    mapping = tmp_path / "m.json"
    document = {"columns": _default_columns(), "encoding": "cp1252"}
    mapping.write_text(json.dumps(document), encoding="utf-8")
    assert load_audits(path, "bolton", mapping=mapping).rejected == ()


def _default_columns() -> dict[str, str]:
    from qaframework.io import DEFAULT_AUDIT_MAPPING

    return dict(DEFAULT_AUDIT_MAPPING.columns)


def test_an_xlsx_export_with_typed_cells(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Audits"
    header = list(ROW_2024)
    sheet.append(header)
    cells = {
        **ROW_2024,
        "Audit Date": datetime(2024, 6, 12),
        "Audit ID": 101.0,
        "Child Unique ID": 5,
    }
    sheet.append([cells[c] for c in header])
    sheet.append([{**cells, "Audit ID": 102.5}[c] for c in header])
    sheet.append(
        [{**cells, "Audit ID": 103, "Audit Date": datetime(2024, 6, 12, 9, 30)}[c] for c in header]
    )
    sheet.append([{**cells, "Audit ID": 104, "Audit Date": 45455}[c] for c in header])
    path = tmp_path / "audits.xlsx"
    book.save(path)
    load = load_audits(path, "bolton")
    (audit,) = load.accepted
    assert (audit.id, audit.child_id, audit.audit_date) == ("101", "5", date(2024, 6, 12))
    fraction, timed, serial = load.rejected
    assert (fraction.row, fraction.column, fraction.value) == (3, "Audit ID", "102.5")
    assert "where text or a whole number is expected" in fraction.reason
    assert (timed.row, timed.column) == (4, "Audit Date")
    assert "has a time of day (09:30:00)" in timed.reason
    assert "a number where a date is expected" in serial.reason
    assert load_audits(path, "bolton", sheet="Audits").rows_read == 4
    with pytest.raises(ExportError, match="no worksheet 'Sheet9'"):
        load_audits(path, "bolton", sheet="Sheet9")


def test_a_flat_json_export_with_a_json_mapping() -> None:
    load = load_audits(
        EXPORTS / "tracker-audits.json",
        "manchester",
        mapping=EXPORTS / "tracker-audits.mapping.json",
    )
    assert load.rejected == ()
    first, second, third = load.accepted
    assert (first.id, first.activity, first.overall_grade) == (
        "501",
        "file_audit",
        "requires_improvement",
    )
    assert first.concerns == (Concern.HEALTH,)
    assert [(j.standard, j.grade) for j in first.judgements] == [
        ("quality_of_assessment", "good"),
        ("childs_voice", "requires_improvement"),
    ]
    assert second.auditor_role == "service_lead"  # the abbreviation "SL", in lower case
    assert (third.id, third.team, third.concerns) == ("503", None, ())


def test_the_native_form_loads_with_no_mapping() -> None:
    expected = load_audits(
        EXPORTS / "liquidlogic-audits.csv",
        "bolton",
        mapping=EXPORTS / "liquidlogic-audits.mapping.toml",
    ).accepted
    for name in ("native-audits.json", "native-audits.jsonl"):
        load = load_audits(EXPORTS / name, "bolton")
        assert load.rejected == ()
        assert load.accepted == expected
        assert load.unmapped_columns == ()


NATIVE = to_dict(
    Audit(
        id="N1",
        child_id="C1",
        activity="quality_case_file_audits",
        audit_date=date(2026, 3, 6),
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade="meets_good",
        judgements=(Judgement("assessment", "meets_good", "r", "s", "w"),),
        actions=(AuditAction("N1-1", "Update the plan", "sw1", date(2026, 4, 6)),),
    )
)


@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize(
    ("row", "column", "reason", "structural"),
    [
        ({**NATIVE, "colour": "red"}, "colour", "unknown field: not part of an audit record", True),
        (
            {**NATIVE, "judgements": [{**NATIVE["judgements"][0], "score": 3}]},
            "judgements[0].score",
            "unknown field",
            True,
        ),
        (
            {k: v for k, v in NATIVE.items() if k != "auditor"},
            "auditor",
            "required, but missing",
            True,
        ),
        ({**NATIVE, "overall_grade": 3}, "overall_grade", "expected str | null, got int", True),
        ({**NATIVE, "audit_date": "06/03/2026"}, "audit_date", "invalid", True),
        ({**NATIVE, "concerns": ["danger"]}, "concerns[0]", "invalid enum value 'danger'", True),
        ({**NATIVE, "overall_grade": "good"}, "overall_grade", "unknown grade 'good'", False),
        (
            {**NATIVE, "judgements": [{**NATIVE["judgements"][0], "strengths": None}]},
            "judgements[0].strengths",
            "requires strengths on every judgement",
            False,
        ),
        (
            {**NATIVE, "actions": [{**NATIVE["actions"][0], "due": "2026-03-01"}]},
            "actions[0].due",
            "due 2026-03-01, before the audit (2026-03-06)",
            False,
        ),
        (
            {**NATIVE, "audit_date": "2025-07-01"},
            "audit_date",
            "no version in force on 2025-07-01",
            False,
        ),
        ("an audit", None, "is str, not an object", True),
    ],
)
def test_native_rows_are_read_strictly(
    tmp_path: Path, lines: bool, row: Any, column: str | None, reason: str, structural: bool
) -> None:
    load = load_audits(native_file(tmp_path, [NATIVE, row], lines), "bolton")
    assert load.rows_read == 2
    assert [a.id for a in load.accepted] == ["N1"]
    (rejection,) = load.rejected
    assert rejection.row == 2
    assert rejection.column == column
    assert reason in rejection.reason
    # The native form is read as strictly as the converter reads it: what the converter
    # refuses is refused, and what it reads is then checked against the profile.
    assert _converter_refuses(row) is structural


def _converter_refuses(row: Any) -> bool:
    from cattrs.errors import BaseValidationError

    try:
        from_dict(Audit, row)
    except (BaseValidationError, TypeError):
        return True
    return False


@pytest.mark.parametrize("lines", [False, True])
def test_native_duplicates(tmp_path: Path, lines: bool) -> None:
    load = load_audits(
        native_file(tmp_path, [NATIVE, NATIVE, {**NATIVE, "id": "N2"}], lines), "bolton"
    )
    assert [a.id for a in load.accepted] == ["N1", "N2"]
    (rejection,) = load.rejected
    assert (rejection.row, rejection.duplicate_of, rejection.column) == (2, 1, "id")


def test_native_json_lines_count_lines_and_skip_blank_ones(tmp_path: Path) -> None:
    path = tmp_path / "audits.jsonl"
    path.write_text(
        f"{json.dumps(NATIVE)}\n\n{{not json\n{json.dumps({**NATIVE, 'id': 'N2'})}\n",
        encoding="utf-8",
    )
    load = load_audits(path, "bolton")
    assert load.rows_read == 3
    assert load.blank_rows == 1
    assert [a.id for a in load.accepted] == ["N1", "N2"]
    (rejection,) = load.rejected
    assert rejection.row == 3
    assert rejection.reason.startswith("is not valid JSON")


def test_a_native_json_file_that_is_not_json_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "audits.json"
    path.write_text('[\n{"id": 1},\n{oops}\n]', encoding="utf-8")
    with pytest.raises(ExportError, match=r"is not valid JSON: .*line 3"):
        load_audits(path, "bolton")
    path.write_text(json.dumps(NATIVE), encoding="utf-8")
    with pytest.raises(ExportError, match="an array of objects"):
        load_audits(path, "bolton")


@pytest.mark.parametrize("name", ["out.json", "out.jsonl"])
def test_write_then_load_gives_equal_audits(tmp_path: Path, name: str) -> None:
    audits = load_audits(
        EXPORTS / "liquidlogic-audits.csv",
        "bolton",
        mapping=EXPORTS / "liquidlogic-audits.mapping.toml",
    ).accepted
    assert write_audits(audits, tmp_path / name) == len(audits)
    assert load_audits(tmp_path / name, "bolton").accepted == audits
    assert write_audits([], tmp_path / name) == 0
    assert load_audits(tmp_path / name, "bolton").rows_read == 0


def _audits_2026() -> st.SearchStrategy[Audit]:
    # Any text a document can carry (the loader rejects the rest: see qaframework.io.values).
    text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).filter(
        lambda t: not t.isspace() and forbidden_character(t) is None
    )
    grades = st.sampled_from(["outstanding", "meets_good", "does_not_yet_meet_good", "inadequate"])
    standards = st.lists(
        st.sampled_from(["assessment", "planning_review_and_meetings", "case_recording"]),
        unique=True,
        max_size=3,
    )
    return st.builds(
        lambda n, child, when, grade, chosen, judged, moderated, concerns: Audit(
            id=f"A{n}",
            child_id=child,
            activity="quality_case_file_audits",
            audit_date=when,
            auditor=child,
            auditor_role="team_manager",
            overall_grade=grade,
            team=child,
            judgements=tuple(
                Judgement(s, g, child, child, child) for s, g in zip(chosen, judged, strict=False)
            ),
            concerns=concerns,
            moderations=(
                ()
                if moderated is None
                else (
                    ModerationRecord(
                        "hos",
                        "head_of_service",
                        moderated,
                        ModerationOutcome.AGREE
                        if moderated == grade
                        else _outcome(grade, moderated),
                        when,
                    ),
                )
            ),
        ),
        st.integers(0, 10**6),
        text,
        st.dates(date(2026, 2, 5), date(2030, 12, 31)),
        grades,
        standards,
        st.lists(grades, min_size=3, max_size=3),
        st.none() | grades,
        st.sampled_from([(), (Concern.URGENT_SAFETY,), (Concern.URGENT_SAFETY, Concern.HEALTH)]),
    )


def _outcome(auditor: str, moderator: str) -> ModerationOutcome:
    order = ["outstanding", "meets_good", "does_not_yet_meet_good", "inadequate"]
    return (
        ModerationOutcome.UPGRADE
        if order.index(moderator) < order.index(auditor)
        else ModerationOutcome.DOWNGRADE
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(audits=st.lists(_audits_2026(), max_size=6, unique_by=lambda a: a.id), lines=st.booleans())
def test_round_trip_of_arbitrary_audits(tmp_path: Path, audits: list[Audit], lines: bool) -> None:
    path = tmp_path / ("round.jsonl" if lines else "round.json")
    write_audits(audits, path)
    load = load_audits(path, "bolton")
    assert load.rejected == ()
    assert list(load.accepted) == audits


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    audit=_audits_2026(),
    bad=st.sampled_from([*(chr(c) for c in range(32) if c not in (9, 10, 13)), "\ufffe", "\uffff"]),
    lines=st.booleans(),
)
def test_text_no_document_can_carry_is_rejected_not_loaded(
    tmp_path: Path, audit: Audit, bad: str, lines: bool
) -> None:
    path = tmp_path / ("bad.jsonl" if lines else "bad.json")
    write_audits([attrs.evolve(audit, team=f"x{bad}y")], path)
    load = load_audits(path, "bolton")
    assert load.accepted == ()
    assert [r.row for r in load.rejected] == [1]


VOCABULARY = {
    "Audit ID": st.sampled_from(["A1", "A2", "A3", "", " ", "12.5"]),
    "Child Unique ID": st.sampled_from(["C1", "", "C\u00e9"]),
    "Activity": st.sampled_from(
        [
            "Quality Case File Audits",
            "whole_case_file_audits",
            "transfer_audit",
            "Practice Observations",
            "",
            "x",
        ]
    ),
    "Audit Date": st.sampled_from(
        [
            "06/03/2026",
            "2024-06-12",
            "2025-06-01",
            "31/02/2026",
            "2026-03-06 00:00",
            "06/03/2026 10:00",
            "",
            "today",
        ]
    ),
    "Auditor": st.sampled_from(["tm1", ""]),
    "Auditor Role": st.sampled_from(["Team Manager", "psw", "HOS", "", "Wizard"]),
    "Overall Grade": st.sampled_from(["Good", "Meets good", "RI", "DNYMG", "", "Amber"]),
    "assessment grade": st.sampled_from(["Good", "", "Inadequate", "x"]),
    "assessment rationale": st.sampled_from(["r", "", " "]),
    "assessment strengths": st.sampled_from(["s", ""]),
    "assessment would improve": st.sampled_from(["w", ""]),
    "Urgent Safety Concern": st.sampled_from(["yes", "no", "", "maybe", "1"]),
    "Moderator": st.sampled_from(["", "hos1"]),
    "Moderator Role": st.sampled_from(["", "Head of Service", "HOS"]),
    "Moderated Grade": st.sampled_from(["", "Good", "Inadequate", "Requires improvement"]),
    "Moderation Date": st.sampled_from(["", "13/03/2026", "01/01/2020"]),
    "Moderation Outcome": st.sampled_from(["", "agree", "downgrade", "sideways"]),
    "Notes": st.text(max_size=5),
}


@st.composite
def _csv_exports(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    columns = draw(st.lists(st.sampled_from(list(VOCABULARY)), unique=True, min_size=1))
    if draw(st.booleans()):
        columns = [c for c in VOCABULARY if c != "Notes" or c in columns]
    rows = draw(
        st.lists(
            st.one_of(
                st.tuples(*(VOCABULARY[c] for c in columns)).map(list),
                st.lists(st.text(max_size=6), max_size=len(columns) + 2),
            ),
            max_size=8,
        )
    )
    return columns, rows


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(export=_csv_exports(), noise=st.binary(max_size=40), prefix=st.booleans())
def test_fuzzed_csv_every_row_is_accepted_or_rejected(
    tmp_path: Path, export: tuple[list[str], list[list[str]]], noise: bytes, prefix: bool
) -> None:
    columns, rows = export
    path = tmp_path / "fuzz.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows(rows)
    if noise:
        content = path.read_bytes()
        path.write_bytes(noise + content if prefix else content + noise)
    try:
        load = load_audits(path, "bolton")
    except QAFrameworkError:
        return
    assert len(load.accepted) + len(load.rejected) == load.rows_read
    assert load.rows_read == _records_after_header(path) - load.blank_rows
    assert [r.row for r in load.rejected] == sorted(r.row for r in load.rejected)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300))
def test_arbitrary_bytes_under_a_valid_header(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(",".join(ROW_2026).encode("utf-8") + b"\r\n" + body)
    try:
        load = load_audits(path, "bolton")
    except QAFrameworkError:
        return
    assert len(load.accepted) + len(load.rejected) == load.rows_read
    assert load.rows_read == _records_after_header(path) - load.blank_rows


def _records_after_header(path: Path) -> int:
    """Records after the header row, counted with the csv module alone."""
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    records = iter(_safe_records(text))
    for record in records:
        if any(cell.strip() for cell in record):
            break
    return sum(1 for _ in records)


def _safe_records(text: str) -> Iterator[list[str]]:
    """The records of ``text`` as the loader defines them, with the csv module: a record the
    strict reader cannot read is one rejected row, and reading goes on from the line after
    the one it began on (a stray quote does not swallow the lines after it)."""
    import io

    lines = io.StringIO(text, newline="").readlines()
    start = 0
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), strict=True)
        read = 0
        try:
            for record in reader:
                read = reader.line_num
                yield record
            return
        except csv.Error:
            yield ["unreadable"]
            start += read + 1


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    path = write_csv(tmp_path / "a.csv", [ROW_2026])
    native = tmp_path / "a.json"
    native.write_text(json.dumps([NATIVE]), encoding="utf-8")
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        for source in (path, native):
            load_audits(source, "bolton")
            assert gc.isenabled() is enabled
        with pytest.raises(MappingError):
            load_audits(path, "bolton", mapping={"columns": {}})
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    load_rows(
        tmp_path, ROW_2026, ROW_2024, progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (2, 2)
    calls.clear()
    load_audits(
        native_file(tmp_path, [NATIVE], False),
        "bolton",
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1] == (1, 1)


def test_an_audit_load_is_a_value() -> None:
    load = load_audits(EXPORTS / "native-audits.json", "bolton")
    assert attrs.evolve(load) == load
    assert load.ok
    assert load.duplicates == ()


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE])
def test_a_utf16_byte_order_mark_before_odd_bytes_is_the_files_error(
    tmp_path: Path, bom: bytes
) -> None:
    """Found by the fuzz test: a UTF-16 mark before text of an odd number of bytes cannot be
    decoded at all (surrogateescape keeps bad bytes, not a cut-off character); the file is
    refused with the library's error, not a UnicodeDecodeError."""
    path = tmp_path / "fuzz.csv"
    path.write_bytes(bom + b"Audit ID,Child Unique ID,Activity\r\n")
    with pytest.raises(ExportError, match="UTF-16"):
        load_audits(path, "bolton")


@given(
    st.lists(
        st.sampled_from(
            ["a", ",", '"', "\r", "\n", "\r\n", "\x0b", "\x0c", "\u2028", "\x1c", "\x85", "é"]
        )
    ).map("".join)
)
def test_physical_lines_split_as_a_spreadsheet_does(text: str) -> None:
    """The CSV reader's lines are those of ``io.StringIO(text, newline="")`` (split at
    "\\r\\n", "\\n" and "\\r" only), without its buffer of four bytes a character."""
    import io

    from qaframework.io.rows import physical_lines

    assert list(physical_lines(text)) == io.StringIO(text, newline="").readlines()
