"""Reading rows uniformly from CSV, XLSX, JSON and JSON Lines (``qaframework.io.rows``)."""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from qaframework.io.errors import ExportError
from qaframework.io.rejections import RowProblem
from qaframework.io.rows import ExportRows, RawRow, column_letter, detect_format, open_rows


def _rows(path: Path, **options: str) -> tuple[list[RawRow], ExportRows]:
    export = open_rows(path, **options)
    return list(export), export


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.csv",
        'ID,Note\r\nA1,"two\r\nlines"\r\n\r\n , \r\nA2,x\r\n',
    )
    rows, export = _rows(path)
    assert [(r.number, dict(r.values or {})) for r in rows] == [
        (2, {"ID": "A1", "Note": "two\r\nlines"}),
        (5, {"ID": "A2", "Note": "x"}),
    ]
    assert export.blank_rows == 2
    assert export.columns == ("ID", "Note")


def test_the_header_is_the_first_row_that_is_not_blank(tmp_path: Path) -> None:
    rows, export = _rows(_write(tmp_path / "a.csv", "\n,\nID\nA1\n"))
    assert export.columns == ("ID",)
    assert [r.number for r in rows] == [4]


def test_csv_byte_order_marks(tmp_path: Path) -> None:
    text = "ID,Name\nA1,Renée\n"
    utf8 = _write(tmp_path / "utf8.csv", codecs.BOM_UTF8 + text.encode("utf-8"))
    utf16 = _write(tmp_path / "utf16.csv", text.encode("utf-16"))
    for path in (utf8, utf16):
        rows, export = _rows(path)
        assert export.columns == ("ID", "Name")
        assert rows[0].values == {"ID": "A1", "Name": "Renée"}


def test_bytes_not_valid_in_the_encoding_reject_their_row_only(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "ID,Name\nA1,Ren\xe9e\nA2,Sam\n".encode("cp1252"))
    rows, _ = _rows(path)
    bad, good = rows
    assert bad.values is None
    assert bad.problem is not None
    assert bad.problem.column == "Name"
    assert bad.problem.value == "Ren\\xe9e"
    assert "not valid utf-8" in bad.problem.reason
    assert "cp1252" in bad.problem.reason
    assert good.values == {"ID": "A2", "Name": "Sam"}
    rows, _ = _rows(path, encoding="cp1252")
    assert rows[0].values == {"ID": "A1", "Name": "Renée"}


def test_an_unknown_encoding_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown text encoding 'klingon'"):
        open_rows(_write(tmp_path / "a.csv", "ID\n"), encoding="klingon")


def test_a_row_longer_than_the_header_is_rejected_unless_the_extra_cells_are_empty(
    tmp_path: Path,
) -> None:
    rows, _ = _rows(_write(tmp_path / "a.csv", "ID,Name\nA1,x,,\nA2,y,z\nA3\n"))
    assert rows[0].values == {"ID": "A1", "Name": "x"}
    assert rows[1].problem is not None
    assert rows[1].problem.column == "(column C)"
    assert "the row has 3 cells, the header 2" in rows[1].problem.reason
    assert rows[2].values == {"ID": "A3"}  # a short row: the cells it lacks are empty


def test_columns_without_a_name_are_named_by_letter(tmp_path: Path) -> None:
    rows, export = _rows(_write(tmp_path / "a.csv", "ID,,Note,\nA1,x,,\n"))
    assert export.columns == ("ID", "(column B)", "Note", "(column D)")
    assert export.unnamed_with_data == {"(column B)"}
    assert rows[0].number == 2


def test_duplicate_column_names_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="columns B, D are all named 'Team'"):
        open_rows(_write(tmp_path / "a.csv", "ID,Team,Note,Team\n"))


@pytest.mark.parametrize("content", ["", "\n\n", ",,\n"])
def test_a_file_without_a_header_is_an_error(tmp_path: Path, content: str) -> None:
    with pytest.raises(ExportError, match="no header row"):
        open_rows(_write(tmp_path / "a.csv", content))


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot be read"):
        open_rows(tmp_path / "absent.csv")


def test_semicolons_and_tabs(tmp_path: Path) -> None:
    rows, _ = _rows(_write(tmp_path / "a.csv", "ID;Name\nA1;x\n"), delimiter=";")
    assert rows[0].values == {"ID": "A1", "Name": "x"}
    rows, _ = _rows(_write(tmp_path / "a.tsv", "ID\tName\nA1\tx\n"))
    assert rows[0].values == {"ID": "A1", "Name": "x"}


def test_a_cell_too_large_for_csv_rejects_its_row(tmp_path: Path) -> None:
    rows, _ = _rows(_write(tmp_path / "a.csv", 'ID\n"' + "x" * 200_000 + '"\nA2\n'))
    assert rows[0].problem is not None
    assert rows[0].problem.column == "ID"
    assert "holds more than 131,072 characters" in rows[0].problem.reason
    assert rows[1].values == {"ID": "A2"}


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Summary"
    sheet.append(["not the audits"])
    audits = book.create_sheet("Audits")
    audits.append(["Audit ID", "Audit Date", None, "Score"])
    audits.append([101.0, datetime(2026, 3, 2), None, 3])
    audits.append([])
    audits.cell(row=5, column=1, value="A103")
    audits.cell(row=5, column=3, value="x")
    book.save(path)
    return path


def test_xlsx_named_sheet_with_typed_cells_and_row_numbers(tmp_path: Path) -> None:
    rows, export = _rows(_workbook(tmp_path / "a.xlsx"), sheet="Audits")
    assert export.columns == ("Audit ID", "Audit Date", "(column C)", "Score")
    assert [(r.number, r.values) for r in rows] == [
        (2, {"Audit ID": 101, "Audit Date": datetime(2026, 3, 2), "(column C)": None, "Score": 3}),
        (5, {"Audit ID": "A103", "Audit Date": None, "(column C)": "x", "Score": None}),
    ]
    assert export.blank_rows == 2
    assert export.unnamed_with_data == {"(column C)"}


def test_xlsx_first_sheet_by_default_and_a_missing_sheet_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx")
    _, export = _rows(path)
    assert export.columns == ("not the audits",)
    with pytest.raises(
        ExportError, match="no worksheet 'Audit' \\(worksheets: 'Summary', 'Audits'\\)"
    ):
        open_rows(path, sheet="Audit")


def test_a_damaged_workbook_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"cannot be read as an \.xlsx workbook"):
        open_rows(_write(tmp_path / "a.xlsx", b"not a zip file"))


def test_json_array_rows_are_numbered_from_one(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.json", '[{"ID": "A1"}, 5, {}, {"ID": "A3", "Team": null}]')
    rows, export = _rows(path)
    assert export.columns == ("ID", "Team")
    assert [(r.number, r.values) for r in rows[::2]] == [
        (1, {"ID": "A1"}),
        (4, {"ID": "A3", "Team": None}),
    ]
    assert rows[1].problem is not None
    assert rows[1].number == 2
    assert rows[1].problem.reason == "is a number, not an object"
    assert export.blank_rows == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"ID": "A1"}', "holds an object; a JSON export is an array of objects"),
        ('[{"ID": "A1"},\n{"ID": }]', "is not valid JSON: .*\\(line 2\\)"),
    ],
)
def test_json_that_is_not_an_array_of_objects(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        open_rows(_write(tmp_path / "a.json", content))


def test_json_lines_are_numbered_by_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", '{"ID": "A1"}\n\n{"ID": \n["x"]\n{"ID": "A5"}\n')
    rows, export = _rows(path)
    assert [r.number for r in rows] == [1, 3, 4, 5]
    assert rows[1].problem is not None
    assert rows[1].problem.reason.startswith("is not valid JSON")
    assert rows[2].problem is not None
    assert rows[2].problem.reason == "is a list, not an object"
    assert rows[3].values == {"ID": "A5"}
    assert export.blank_rows == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.CSV", "csv"),
        ("a.tsv", "csv"),
        ("a.xlsx", "xlsx"),
        ("a.xlsm", "xlsx"),
        ("a.json", "json"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
    ],
)
def test_format_from_the_name(name: str, expected: str) -> None:
    assert detect_format(name) == expected


def test_formats_not_read_are_named() -> None:
    with pytest.raises(ExportError, match="Excel 97-2003"):
        detect_format("old.xls")
    with pytest.raises(ExportError, match="cannot tell the format"):
        detect_format("export.dat")
    with pytest.raises(ExportError, match="unknown format 'xml'"):
        open_rows("export.dat", format="xml")


def test_an_exports_rows_are_read_once(tmp_path: Path) -> None:
    export = open_rows(_write(tmp_path / "a.csv", "ID\nA1\n"))
    assert len(list(export)) == 1
    with pytest.raises(RuntimeError):
        iter(export)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_csv_and_xlsx_rows_carry_their_cells_in_the_headers_order(tmp_path: Path) -> None:
    csv_path = _write(tmp_path / "a.csv", "ID,Name,Team\nA1,Sam,T1\nA2,Jo\n")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for cells in (["ID", "Name", "Team"], ["A1", "Sam", "T1"], ["A2", "Jo"]):
        sheet.append(cells)
    xlsx_path = tmp_path / "a.xlsx"
    workbook.save(xlsx_path)
    for path in (csv_path, xlsx_path):
        rows, _ = _rows(path)
        assert list(rows[0].cells or ()) == ["A1", "Sam", "T1"]
        assert rows[0].values == {"ID": "A1", "Name": "Sam", "Team": "T1"}
        assert rows[0] == RawRow(2, {"ID": "A1", "Name": "Sam", "Team": "T1"})
    # A CSV row shorter than the header has no value for the columns it lacks.
    rows, _ = _rows(csv_path)
    assert rows[1].cells == ["A2", "Jo"]
    assert rows[1].values == {"ID": "A2", "Name": "Jo"}


def test_a_row_has_its_values_or_cells_or_else_a_problem() -> None:
    problem = RowProblem(None, None, "unreadable")
    assert RawRow(3, None, problem).values is None
    assert RawRow(3, cells=["x"], columns=["ID"]).values == {"ID": "x"}
    for wrong in (
        lambda: RawRow(3),
        lambda: RawRow(3, {"ID": "x"}, problem),
        lambda: RawRow(3, cells=["x"], columns=["ID"], problem=problem),
    ):
        with pytest.raises(ValueError, match="values or cells, or else a problem"):
            wrong()
