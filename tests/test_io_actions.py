"""Never a silent wrong figure: what an export carries, and what it lacks, is known.

- Actions (text, owner, due, done, verified, status) load from CSV and XLSX exports, from
  repeated column groups (``Action 1 ...``, ``Action 2 ...``) or from a file of actions
  joined by audit id, to the same actions the native JSON carries: a board's "actions
  overdue" is the same whichever form the export takes.
- A load records which kinds of data the export carries (``recorded``), so that a report
  can say "not recorded in this export" where a CSV has no action columns, instead of 0.
- A column the mapping names that the export lacks is a warning (an error under strict).
- A workbook of several lists is read as asked (``sheet="all"``, several names), each row
  remembering its worksheet; without a sheet named, the worksheets left unread are named.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from qaframework.engine.actions.ledger import action_ledger
from qaframework.engine.audits import Audit
from qaframework.io import ExportError, RejectedRows, load_activity_log, load_audits, load_cases
from qaframework.io.audits import RECORD_KINDS
from qaframework.policy.actions import ActionStatus
from tests.cli_run import invoke

EXAMPLES = Path(__file__).parent.parent / "examples"
SWINDON = EXAMPLES / "swindon"
SWINDON_MAPPING = SWINDON / "audits.mapping.toml"
WORDS = {
    "id": "Action Ref",
    "text": "Action",
    "owner": "Responsible Person",
    "due": "Target Date",
    "review": "Review Date",
    "status": "Progress",
    "done": "Date Completed",
    "verified": "Date Verified",
}
PROGRESS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.DONE: "Complete",
    ActionStatus.VERIFIED: "Signed off",
}


@pytest.fixture(scope="module")
def native() -> list[Audit]:
    return list(load_audits(SWINDON / "audits.jsonl", "swindon").accepted)


def _mapping(**extra: Any) -> dict[str, Any]:
    document = tomllib.loads(SWINDON_MAPPING.read_text("utf-8"))
    document.update(extra)
    return document


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _action_cells(audit: Audit, groups: int) -> list[str]:
    cells: list[str] = []
    for n in range(groups):
        if n < len(audit.actions):
            a = audit.actions[n]
            values = {
                "id": a.id,
                "text": a.what,
                "owner": a.owner,
                "due": _day(a.due),
                "review": _day(a.review),
                "status": PROGRESS[a.status],
                "done": _day(a.done_on),
                "verified": _day(a.verified_on),
            }
        else:
            values = dict.fromkeys(WORDS, "")
        cells.extend(values[part] for part in WORDS)
    return cells


def _grouped_rows(native: list[Audit]) -> list[list[str]]:
    """Swindon's example export with every audit's actions in groups of columns."""
    rows = list(csv.reader(io.StringIO((SWINDON / "audits.csv").read_text("utf-8"))))
    groups = max(len(a.actions) for a in native)
    header = [f"Action {n} - {WORDS[part]}" for n in range(1, groups + 1) for part in WORDS]
    by_id = {a.id: a for a in native}
    out = [rows[0] + header]
    for row in rows[1:]:
        out.append(row + _action_cells(by_id[row[0]], groups))
    return out


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def _write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


ACTIONS_TABLE = {"pattern": "Action {n} - {part}", **WORDS}
STATUS_WORDS = {"action_status": {"Complete": "done", "Signed off": "verified", "Open": "open"}}


def _grouped_mapping() -> dict[str, Any]:
    document = _mapping(actions=ACTIONS_TABLE)
    document.setdefault("values", {}).update(STATUS_WORDS)
    return document


def _overdue(audits: tuple[Audit, ...] | list[Audit], on: date) -> int:
    return len(action_ledger(audits, as_of=on).overdue())


# -- what an export carries ----------------------------------------------------------------


def test_a_csv_without_action_columns_records_no_actions(native: list[Audit]) -> None:
    load = load_audits(SWINDON / "audits.csv", "swindon", mapping=SWINDON_MAPPING)
    assert not load.records("actions")
    assert {"judgements", "moderation", "concerns", "feedback"} <= load.recorded
    assert "feedback:child" in load.recorded
    assert load.records("concerns:urgent_safety")
    # The same audits as JSON carry actions: 42 overdue, where the CSV can say nothing.
    assert _overdue(native, date(2026, 7, 1)) == 42
    assert load_audits(SWINDON / "audits.jsonl", "swindon").recorded == RECORD_KINDS


def test_columns_absent_from_the_export_are_not_recorded(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((SWINDON / "audits.csv").read_text("utf-8"))))
    keep = [
        i for i, name in enumerate(rows[0]) if "Consulted" not in name and "Moderat" not in name
    ]
    path = _write_csv(tmp_path / "a.csv", [[row[i] for i in keep] for row in rows])
    load = load_audits(path, "swindon", mapping=SWINDON_MAPPING)
    assert not load.records("feedback")
    assert not load.records("moderation")


# -- actions from repeated column groups ---------------------------------------------------


def test_actions_in_column_groups_load_as_the_native_form_has_them(
    native: list[Audit], tmp_path: Path
) -> None:
    path = _write_csv(tmp_path / "grouped.csv", _grouped_rows(native))
    load = load_audits(path, "swindon", mapping=_grouped_mapping())
    assert load.ok, load.rejected[:3]
    assert load.records("actions")
    assert [a.actions for a in load.accepted] == [a.actions for a in native]
    for day in (date(2026, 7, 1), date(2026, 8, 1)):
        assert _overdue(load.accepted, day) == _overdue(native, day)


def test_actions_in_column_groups_of_a_workbook(native: list[Audit], tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "grouped.xlsx", {"Audits": _grouped_rows(native)})
    load = load_audits(path, "swindon", mapping=_grouped_mapping())
    assert load.ok
    assert [a.actions for a in load.accepted] == [a.actions for a in native]


def test_a_status_follows_from_the_dates_when_not_given(
    native: list[Audit], tmp_path: Path
) -> None:
    rows = _grouped_rows(native)
    status = [i for i, name in enumerate(rows[0]) if name.endswith(" - Progress")]
    path = _write_csv(
        tmp_path / "g.csv", [[c for i, c in enumerate(r) if i not in status] for r in rows]
    )
    load = load_audits(path, "swindon", mapping=_grouped_mapping())
    assert load.ok
    assert [a.actions for a in load.accepted] == [a.actions for a in native]


def test_a_bad_action_rejects_its_row_naming_the_column(
    native: list[Audit], tmp_path: Path
) -> None:
    rows = _grouped_rows(native)
    header = rows[0]
    row = next(i for i, r in enumerate(rows[1:], 1) if r[header.index("Action 1 - Action")])
    rows[row][header.index("Action 1 - Target Date")] = "2020-01-01"  # before the audit
    second = next(
        i for i in range(row + 1, len(rows)) if rows[i][header.index("Action 1 - Action")]
    )
    rows[second][header.index("Action 1 - Progress")] = "Nearly"
    third = next(
        i for i in range(second + 1, len(rows)) if rows[i][header.index("Action 1 - Action")]
    )
    rows[third][header.index("Action 1 - Responsible Person")] = ""
    load = load_audits(_write_csv(tmp_path / "g.csv", rows), "swindon", mapping=_grouped_mapping())
    problems = {r.row: r.problems[0] for r in load.rejected}
    assert problems[row + 1].column == "Action 1 - Target Date"
    assert "before the audit" in problems[row + 1].reason
    assert problems[second + 1].column == "Action 1 - Progress"
    assert "not an action status" in problems[second + 1].reason
    assert problems[third + 1].column == "Action 1 - Responsible Person"


def test_a_group_without_its_required_columns_is_an_export_error(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((SWINDON / "audits.csv").read_text("utf-8"))))[:3]
    rows[0] += ["Action 1 - Action", "Action 1 - Target Date"]
    for row in rows[1:]:
        row += ["Do it", "2026-09-01"]
    with pytest.raises(ExportError, match="'Action 1 - Responsible Person'"):
        load_audits(_write_csv(tmp_path / "g.csv", rows), "swindon", mapping=_grouped_mapping())


# -- actions in a file of their own --------------------------------------------------------


def _actions_rows(native: list[Audit]) -> list[list[str]]:
    header = [
        "Audit ID",
        "Action ID",
        "Action",
        "Action Owner",
        "Due Date",
        "Review Date",
        "Status",
        "Done Date",
        "Verified Date",
    ]
    rows = [header]
    for audit in native:
        for a in audit.actions:
            rows.append(
                [
                    audit.id,
                    a.id,
                    a.what,
                    a.owner,
                    _day(a.due),
                    _day(a.review),
                    a.status.value,
                    _day(a.done_on),
                    _day(a.verified_on),
                ]
            )
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_of_actions_is_joined_by_audit_id(
    native: list[Audit], tmp_path: Path, suffix: str
) -> None:
    rows = _actions_rows(native)
    path = tmp_path / f"actions{suffix}"
    if suffix == ".csv":
        _write_csv(path, rows)
    else:
        _write_xlsx(path, {"Actions": rows})
    load = load_audits(SWINDON / "audits.csv", "swindon", mapping=SWINDON_MAPPING, actions=path)
    assert load.ok
    assert load.records("actions")
    assert load.actions_rows_read == len(rows) - 1
    assert [a.actions for a in load.accepted] == [a.actions for a in native]
    assert _overdue(load.accepted, date(2026, 7, 1)) == 42


def test_every_row_of_an_actions_file_is_joined_or_rejected(
    native: list[Audit], tmp_path: Path
) -> None:
    rows = _actions_rows(native)[:12]
    rows.append(["NO-SUCH-AUDIT", "X1", "Visit", "sw1", "2026-09-01", "", "", "", ""])
    rows.append([rows[1][0], rows[1][1], "Again", "sw1", "2026-09-01", "", "", "", ""])
    rows.append([rows[2][0], "", "No id", "sw1", "2026-09-01", "", "", "2026-09-02", ""])
    rows.append([rows[3][0], "X3", "Early", "sw1", "2000-01-01", "", "", "", ""])
    path = _write_csv(tmp_path / "actions.csv", rows)
    load = load_audits(SWINDON / "audits.csv", "swindon", mapping=SWINDON_MAPPING, actions=path)
    found = {r.row: r.problems[0] for r in load.actions_rejected}
    assert load.actions_rows_read == len(rows) - 1
    assert sorted(found) == [13, 14, 16]
    assert found[13].column == "Audit ID"
    assert "no audit with this id" in found[13].reason
    assert found[14].column == "Action ID"
    assert found[16].column == "Due Date"
    assert not load.ok
    audit = next(a for a in load.accepted if a.id == rows[2][0])
    added = audit.actions[-1]
    assert (added.what, added.status, added.done_on) == (
        "No id",
        ActionStatus.DONE,
        date(2026, 9, 2),
    )
    with pytest.raises(RejectedRows, match=r"actions\.csv: 3 of 15 rows rejected"):
        load_audits(
            SWINDON / "audits.csv", "swindon", mapping=SWINDON_MAPPING, actions=path, strict=True
        )


def test_the_command_line_reads_a_file_of_actions(native: list[Audit], tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "actions.csv", _actions_rows(native))
    status, out, err = invoke(
        "actions",
        "swindon",
        str(SWINDON / "audits.csv"),
        "--mapping",
        str(SWINDON_MAPPING),
        "--actions",
        str(path),
        "--as-of",
        "2026-07-01",
        "--overdue",
        "--format",
        "json",
    )
    assert status == 0, err
    assert err == ""
    assert len(json.loads(out)["actions"]) == 42


# -- a mapped column the export lacks ------------------------------------------------------


def _misspelt(tmp_path: Path) -> Path:
    text = SWINDON_MAPPING.read_text("utf-8").replace('team = "Team"', 'team = "Teams"')
    assert "Teams" in text
    path = tmp_path / "misspelt.mapping.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_mapped_column_is_a_warning_and_an_error_under_strict(tmp_path: Path) -> None:
    mapping = _misspelt(tmp_path)
    load = load_audits(SWINDON / "audits.csv", "swindon", mapping=mapping)
    (warning,) = load.warnings
    assert "'Teams' (team)" in warning
    assert "not recorded" in warning
    assert all(a.team is None for a in load.accepted)
    with pytest.raises(ExportError, match=r"has no column 'Teams' \(team\)"):
        load_audits(SWINDON / "audits.csv", "swindon", mapping=mapping, strict=True)


def test_a_misspelt_mapped_column_on_the_command_line(tmp_path: Path) -> None:
    mapping = str(_misspelt(tmp_path))
    argv = ("report", "swindon", str(SWINDON / "audits.csv"), "--period", "2026-27 Q1")
    status, _, err = invoke(*argv, "--mapping", mapping, "--format", "json", "--out", str(tmp_path))
    assert status == 0
    assert err.startswith("qaframework: warning: ")
    assert "'Teams' (team)" in err
    status, _, err = invoke(*argv, "--mapping", mapping, "--strict", "--out", str(tmp_path))
    assert status == 2
    assert err.startswith("qaframework: error: ")
    assert len(err.strip().splitlines()) == 1


def test_missing_columns_of_case_lists_and_logs_are_warned_too(tmp_path: Path) -> None:
    cases = load_cases(
        EXAMPLES / "bolton" / "cases.csv",
        mapping={"columns": {"child_id": "Child Unique ID", "team": "Allocated Teams"}},
    )
    assert "'Allocated Teams' (team)" in cases.warnings[0]
    log = load_activity_log(
        SWINDON / "activity-log.csv",
        mapping={
            "columns": {
                "activity": "Activity",
                "subject": "Subject ID",
                "on": "Date",
                "role": "Roles",
            }
        },
    )
    assert "'Roles' (role)" in log.warnings[0]
    with pytest.raises(ExportError):
        load_cases(
            EXAMPLES / "bolton" / "cases.csv",
            mapping={"columns": {"child_id": "Child Unique ID", "team": "Allocated Teams"}},
            strict=True,
        )


# -- workbooks of several lists ------------------------------------------------------------


def _annex_a(tmp_path: Path) -> Path:
    rows = list(csv.reader(io.StringIO((EXAMPLES / "bolton" / "cases.csv").read_text("utf-8"))))
    header, body = rows[0], rows[1:31]
    return _write_xlsx(
        tmp_path / "annex-a.xlsx",
        {
            "List 6": [header, *body[:10]],
            "Notes": [["About these lists"], ["Made up"]],
            "List 7": [header, *body[10:20]],
            "List 8": [header, *body[20:30]],
        },
    )


def test_a_workbook_of_several_lists_says_which_were_not_read(tmp_path: Path) -> None:
    load = load_cases(_annex_a(tmp_path))
    assert load.rows_read == 10
    (warning,) = load.warnings
    assert "read worksheet 'List 6' only" in warning
    assert "'List 7', 'List 8'" in warning
    assert "--sheet all" in warning


def test_all_sheets_are_read_each_row_remembering_its_sheet(tmp_path: Path) -> None:
    load = load_cases(_annex_a(tmp_path), sheet="all")
    assert load.rows_read == 30
    assert load.sheets == ("List 6", "List 7", "List 8")
    assert [c.fields["(sheet)"] for c in load.accepted[::10]] == ["List 6", "List 7", "List 8"]
    assert load.warnings == ("worksheet 'Notes' was not read: it has no column 'Child Unique ID'",)
    named = load_cases(_annex_a(tmp_path), sheet=["List 8", "List 6"])
    assert named.sheets == ("List 8", "List 6")
    assert named.rows_read == 20


def test_a_child_on_two_lists_is_a_duplicate_naming_the_sheet(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((EXAMPLES / "bolton" / "cases.csv").read_text("utf-8"))))
    path = _write_xlsx(tmp_path / "dup.xlsx", {"A": rows[:4], "B": [rows[0], rows[2]]})
    load = load_cases(path, sheet="all")
    (rejection,) = load.rejected
    assert (rejection.sheet, rejection.row, rejection.duplicate_of) == ("B", 2, 3)
    assert "row 3 of sheet 'A'" in rejection.reason


def test_audits_from_several_sheets(native: list[Audit], tmp_path: Path) -> None:
    rows = _grouped_rows(native)
    path = _write_xlsx(
        tmp_path / "a.xlsx", {"Q1 part 1": rows[:100], "Q1 part 2": [rows[0], *rows[100:]]}
    )
    load = load_audits(path, "swindon", mapping=_grouped_mapping(), sheet="all")
    assert load.ok
    assert len(load.accepted) == len(native)
    assert load.accepted_sheets[0] == "Q1 part 1"
    assert load.accepted_sheets[-1] == "Q1 part 2"
    single = load_audits(path, "swindon", mapping=_grouped_mapping())
    assert len(single.accepted) == 99
    assert "'Q1 part 2'" in single.warnings[0]


def test_sheets_on_the_command_line(tmp_path: Path) -> None:
    path = str(_annex_a(tmp_path))
    base = ("sample", "bolton", path, "--method", "random", "--n", "5", "--format", "json")
    status, out, err = invoke(*base)
    assert status == 0
    assert "read worksheet 'List 6' only" in err
    assert json.loads(out)["sample"]["population"] == 10
    status, out, err = invoke(*base, "--sheet", "all")
    assert json.loads(out)["sample"]["population"] == 30
    assert "worksheet 'Notes' was not read" in err
    status, out, _ = invoke(*base, "--sheet", "List 7", "--sheet", "List 8")
    assert json.loads(out)["sample"]["population"] == 20
