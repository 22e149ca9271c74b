"""Column mappings: the file format, its checks, the defaults, header matching."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qaframework.io.errors import ExportError, MappingError
from qaframework.io.mapping import (
    DEFAULT_ACTIONS_MAPPING,
    DEFAULT_ACTIVITY_LOG_MAPPING,
    DEFAULT_AUDIT_MAPPING,
    DEFAULT_CASE_MAPPING,
    ActionsMapping,
    ActivityLogMapping,
    AuditMapping,
    CaseMapping,
    Header,
    read_mapping,
)

EXPORTS = Path(__file__).parent / "data" / "exports"

MINIMAL: dict[str, Any] = {
    "columns": {
        "id": "Ref",
        "child_id": "Child",
        "audit_date": "Date",
        "auditor": "By",
        "auditor_role": "Role",
        "overall_grade": "Grade",
    },
    "fixed": {"activity": "file_audit"},
}


def test_the_documented_example_file_reads() -> None:
    mapping = read_mapping(AuditMapping, EXPORTS / "liquidlogic-audits.mapping.toml")
    assert mapping.columns["id"] == "Form ID"
    assert mapping.fixed == {"activity": "quality_case_file_audits"}
    assert mapping.values["role"]["SW Team Manager"] == "team_manager"
    assert mapping.judgements["assessment"]["would_improve"] == (
        "PS1 Assessment - What would have made it better"
    )
    assert mapping.concerns == {
        "urgent_safety": "Immediate Safety Concern?",
        "health": "Health Concern?",
    }
    assert set(mapping.moderation) == {"moderator", "role", "grade", "date", "rationale"}
    assert mapping.source.endswith("liquidlogic-audits.mapping.toml")


def test_a_json_mapping_file_and_a_dict_read_the_same() -> None:
    path = EXPORTS / "tracker-audits.mapping.json"
    from_file = read_mapping(AuditMapping, path)
    from_dict = read_mapping(AuditMapping, json.loads(path.read_text(encoding="utf-8")))
    assert from_file == from_dict
    assert from_file.judgement_pattern == "{standard}: {part}"
    assert read_mapping(AuditMapping, from_file) is from_file


def test_mappings_are_read_only() -> None:
    mapping = AuditMapping.parse(MINIMAL)
    with pytest.raises(TypeError):
        mapping.columns["id"] = "Other"  # type: ignore[index]


def _problems(kind: Any, document: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(MappingError) as caught:
        kind.parse(document, "m.toml")
    assert str(caught.value).startswith("m.toml: ")
    return caught.value.problems


def test_every_problem_with_a_mapping_is_listed() -> None:
    document = {
        "columns": {"id": "Ref", "child": "Child", "team": 5},
        "fixed": {"id": "x", "cycle": "2026-05"},
        "values": {"grade": {}, "role": {"TM": 1}},
        "judgements": {"assessment": {"rationale": "R", "colour": "C"}},
        "judgement_pattern": "{standard}",
        "concerns": {"danger": "D"},
        "feedback": "child",
        "moderation": {"moderator": "M"},
        "delimiter": ";;",
        "colour": "blue",
    }
    problems = _problems(AuditMapping, document)
    expected = [
        "colour: unknown key",
        "columns.child: unknown key",
        "columns.team: must be a non-empty string",
        "fixed.id: unknown key",
        "columns.child_id: required",
        "columns.activity: required",
        "columns.audit_date: required",
        "values.grade: unknown key",
        "values.role.TM: must be a non-empty string",
        "judgements.assessment.colour: unknown key",
        "judgements.assessment.grade: required",
        "judgement_pattern: must use exactly the placeholders {standard} and {part}",
        "concerns.danger: unknown key",
        "feedback: must be a table",
        "moderation.role: required with the other moderation columns",
        "delimiter: must be a single character",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), start


def test_a_field_is_a_column_or_fixed_not_both() -> None:
    document = {**MINIMAL, "columns": {**MINIMAL["columns"], "activity": "Type"}}
    assert _problems(AuditMapping, document) == (
        "fixed.activity: is also mapped to a column; give one or the other",
    )


@pytest.mark.parametrize("pattern", ["{standard} {part} {x}", "{standard", "{0} {part}"])
def test_bad_judgement_patterns(pattern: str) -> None:
    (problem,) = _problems(AuditMapping, {**MINIMAL, "judgement_pattern": pattern})
    assert problem.startswith("judgement_pattern: ")


def test_case_and_log_mappings() -> None:
    assert _problems(CaseMapping, {"columns": {"team": "Team"}}) == (
        "columns.child_id: required: the column holding the child's id",
    )
    problems = _problems(ActivityLogMapping, {"columns": {"activity": "A"}, "fixed": {"on": "x"}})
    assert "fixed.on: unknown key (expected one of: activity, role, event)" in problems
    assert "columns.subject: required: the column holding it" in problems
    log = ActivityLogMapping.parse(
        {"columns": {"subject": "Who", "on": "When"}, "fixed": {"activity": "supervision"}}
    )
    assert log.fixed == {"activity": "supervision"}


def test_mapping_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="cannot be read"):
        read_mapping(AuditMapping, tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns\n", encoding="utf-8")
    with pytest.raises(MappingError, match="cannot be parsed"):
        read_mapping(AuditMapping, bad)
    array = tmp_path / "array.json"
    array.write_text("[]", encoding="utf-8")
    with pytest.raises(MappingError, match="holds a table"):
        read_mapping(AuditMapping, array)
    with pytest.raises(MappingError, match="expected a mapping"):
        read_mapping(AuditMapping, 5)  # type: ignore[type-var]


def test_the_defaults_are_valid_mappings_with_annex_a_names() -> None:
    assert DEFAULT_AUDIT_MAPPING.columns["child_id"] == "Child Unique ID"
    assert DEFAULT_AUDIT_MAPPING.judgement_pattern == "{standard} {part}"
    assert DEFAULT_CASE_MAPPING.columns == {
        "child_id": "Child Unique ID",
        "team": "Allocated Team",
        "worker": "Allocated Worker",
        "service_area": "Service Area",
    }
    assert DEFAULT_ACTIVITY_LOG_MAPPING.columns["subject"] == "Subject ID"
    for mapping in (DEFAULT_AUDIT_MAPPING, DEFAULT_CASE_MAPPING, DEFAULT_ACTIVITY_LOG_MAPPING):
        document: dict[str, Any] = {"columns": dict(mapping.columns)}
        if isinstance(mapping, AuditMapping):
            document.update(
                judgement_pattern=mapping.judgement_pattern,
                concerns=dict(mapping.concerns),
                feedback=dict(mapping.feedback),
                moderation=dict(mapping.moderation),
                actions=dict(mapping.actions),
                checklist_pattern=mapping.checklist_pattern,
                rating_pattern=mapping.rating_pattern,
            )
        assert type(mapping).parse(document) == mapping
    assert DEFAULT_AUDIT_MAPPING.actions == {"pattern": "Action {n} {part}"}
    actions = {"columns": dict(DEFAULT_ACTIONS_MAPPING.columns)}
    assert ActionsMapping.parse(actions) == DEFAULT_ACTIONS_MAPPING


def test_header_matching_ignores_case_and_spacing() -> None:
    header = Header("a.csv", ["Child_Unique ID", "AUDIT  DATE", "Team", "Notes"])
    assert header.find("Child Unique ID") == "Child_Unique ID"
    assert header.find("audit-date") == "AUDIT  DATE"
    assert header.find("Service Area") is None
    assert header.used == {"Child_Unique ID", "AUDIT  DATE"}


def test_a_mapped_name_matching_two_columns_is_an_error() -> None:
    header = Header("a.csv", ["Team", "TEAM"])
    with pytest.raises(ExportError, match="columns 'Team', 'TEAM' all match"):
        header.find("team")
