"""Loading case lists (``qaframework.io.cases``): Annex A columns, other columns kept."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from qaframework import to_dict
from qaframework.io import CaseLoad, ExportError, RejectedRows, load_cases
from qaframework.io.cases import SHEET_FIELD
from qaframework.policy.sampling import Case

EXPORTS = Path(__file__).parent / "data" / "exports"


def test_an_annex_a_list_loads_with_the_default_mapping() -> None:
    load = load_cases(EXPORTS / "annex-a-cases.csv")
    assert load.rejected == ()
    assert load.rows_read == 4
    assert load.field_columns == ("Legal Status", "Age Band", "Date of Referral")
    first, second, _, fourth = load.accepted
    assert first == Case(
        "C1001",
        team="Safeguarding East",
        worker="sw.jones",
        service_area="Safeguarding",
        fields={"Legal Status": "CP", "Age Band": "5-9", "Date of Referral": "14/01/2026"},
    )
    assert "Date of Referral" not in second.fields  # an empty cell is left out
    assert fourth.value("Legal Status") is None
    assert fourth.value("Age Band") == "0-4"


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicates_and_empty_ids_are_rejected(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Child Unique ID,Allocated Team\nC1,North\n,South\nC2,South\n C1 ,East\n",
    )
    load = load_cases(path)
    assert [c.child_id for c in load.accepted] == ["C1", "C2"]
    empty, duplicate = load.rejected
    assert (empty.row, empty.column, empty.reason) == (3, "Child Unique ID", "required, but empty")
    assert (duplicate.row, duplicate.duplicate_of) == (5, 2)
    assert duplicate.reason == "duplicate child id: row 2 has the same one"
    assert load.duplicates == (duplicate,)
    assert set(load.missing_columns) == {"Allocated Worker", "Service Area"}
    with pytest.raises(RejectedRows, match="2 of 4 rows rejected"):
        load_cases(path, strict=True)


def test_a_list_without_the_child_id_column_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="has no column 'Child Unique ID'"):
        load_cases(_csv(tmp_path, "ID,Team\nC1,North\n"))


def test_a_mapping_names_the_lists_own_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Person ID;Team;Worker;Legal status\n1001;North;sw1;CP\n")
    mapping = {
        "columns": {"child_id": "person_id", "team": "TEAM", "worker": "Worker"},
        "delimiter": ";",
    }
    (case,) = load_cases(path, mapping=mapping).accepted
    assert case == Case("1001", team="North", worker="sw1", fields={"Legal status": "CP"})


def test_columns_kept_from_several_sheets_are_listed_once_in_order(tmp_path: Path) -> None:
    # Each kept column once, in the order the sheets first show it; an unnamed column is
    # kept only where it holds data.
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "North"
    first.append(["Child Unique ID", "Legal Status", None, "Age Band"])
    first.append(["C1", "CP", None, "5-9"])
    second = book.create_sheet("South")
    second.append(["Age Band", "Child Unique ID", "Placement", "Legal Status", None])
    second.append(["10-15", "C2", "Foster", "CIN", "x"])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    load = load_cases(path, sheet="all")
    assert load.field_columns == (
        "Legal Status",
        "Age Band",
        "Placement",
        "(column E)",
        SHEET_FIELD,
    )
    north, south = load.accepted
    assert north.fields == {"Legal Status": "CP", "Age Band": "5-9", SHEET_FIELD: "North"}
    assert south.fields["(column E)"] == "x"


def test_an_xlsx_list_keeps_typed_cells_as_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Child Unique ID", "Allocated Team", "Date of Birth", "Age", "Score", None])
    sheet.append([1001, "North", datetime(2015, 4, 1), 10, 3.5, None])
    sheet.append([1002.5, "North", None, None, None, None])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    load = load_cases(path)
    (case,) = load.accepted
    assert case.child_id == "1001"
    assert case.fields == {"Date of Birth": "2015-04-01", "Age": "10", "Score": "3.5"}
    assert load.field_columns == ("Date of Birth", "Age", "Score")
    (rejection,) = load.rejected
    assert (rejection.column, rejection.value) == ("Child Unique ID", "1002.5")


def test_the_native_form_loads_with_no_mapping(tmp_path: Path) -> None:
    cases = [Case("C1", team="North", fields={"legal": "CP"}), Case("C2")]
    path = tmp_path / "cases.jsonl"
    lines = [json.dumps(to_dict(c)) for c in cases] + ['{"child_id": 5}', '{"team": "x"}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load = load_cases(path)
    assert list(load.accepted) == cases
    wrong_type, missing = load.rejected
    assert (wrong_type.row, wrong_type.column, wrong_type.value) == (3, "child_id", "5")
    assert "expected a string" in wrong_type.reason
    assert (missing.row, missing.column) == (4, "child_id")


def test_a_case_load_reports_blank_rows(tmp_path: Path) -> None:
    load = load_cases(_csv(tmp_path, "Child Unique ID\nC1\n\n,\nC2\n"))
    assert isinstance(load, CaseLoad)
    assert (load.rows_read, load.blank_rows, load.ok) == (2, 2, True)
