"""The row reader's fast path (``qaframework.io._fast_rows._FastPath``): each distinct cell
text converted once and shared, and a load identical to reading every row cell by cell.

The fast path may only ever accept a row that the cell-by-cell reading accepts as the same
audit; everything else (rejections, warnings) is that reading's. These tests compare the
two on the hostile corpus's CSV exports, and pin the caches that could go wrong: a grade's
wording means different grades under different profile versions, the same text means
different things in different columns, and spreadsheet values that are equal as keys
(``1``, ``1.0``, ``True``) convert apart.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook

from qaframework.io import _fast_rows
from qaframework.io._audit_rows import RowReader
from qaframework.io._export import RawRow
from qaframework.io._fast_rows import _FastPath
from qaframework.io.audits import AuditLoad, load_audits
from qaframework.io.mapping import DEFAULT_AUDIT_MAPPING, AuditMapping, Header, read_mapping
from qaframework.io.rows import column_letter
from qaframework.io.versions import ProfileVersions
from tests.siblings import sibling

_audits = sibling("test_io_audits")
_columns = sibling("test_io_columns")
ROW_2024, ROW_2026, write_csv = _audits.ROW_2024, _audits.ROW_2026, _audits.write_csv
SEEDS, _load, _write, exports = _columns.SEEDS, _columns._load, _columns._write, _columns.exports
counting_calls = _columns.counting_calls


@contextmanager
def cell_by_cell() -> Iterator[None]:
    """Every row read cell by cell, as before the fast path."""
    with mock.patch.object(_FastPath, "read", return_value=None):
        yield


def both(path: Path, **options: Any) -> tuple[AuditLoad, AuditLoad]:
    """The load with the fast path, and without it; the fast path must have accepted every
    row that was accepted (none read cell by cell but the rejected)."""
    with counting_calls(RowReader, "_read") as slow_reads:
        fast = load_audits(path, "bolton", engine="rows", **options)
    assert len(slow_reads) == len(fast.rejected)
    with cell_by_cell():
        slow = load_audits(path, "bolton", engine="rows", **options)
    return fast, slow


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(exports())
def test_the_fast_path_gives_the_load_of_reading_cell_by_cell(
    tmp_path: Path, export: tuple[int, str, int, list[tuple[int, int, str]]]
) -> None:
    seed, mutation, number, edits = export
    path, mapping = _write(tmp_path, SEEDS[seed], mutation, number, edits)
    fast = _load(path, mapping, "rows")
    with cell_by_cell():
        slow = _load(path, mapping, "rows")
    assert fast == slow


def test_every_row_of_a_clean_export_takes_the_fast_path(tmp_path: Path) -> None:
    for seed in SEEDS:
        path, mapping = _write(tmp_path, seed, "csv_clean", 11, [])
        with counting_calls(RowReader, "_read") as slow_reads:
            load = load_audits(path, seed.council, mapping=mapping, engine="rows")
        assert load.accepted
        # Only rows with what the fast path leaves alone (actions, checklist answers,
        # ratings) or with a problem are read cell by cell.
        assert len(slow_reads) <= len(load.rejected) + sum(
            1 for a in load.accepted if a.actions or a.checklist or a.ratings
        )


def test_a_wording_is_read_under_each_rows_own_version(tmp_path: Path) -> None:
    # "Good" is "good" on the Staying Safe scale and "meets_good" on the 2026 one; the
    # cache of the first row's version must not answer for the second's.
    rows = [
        {**ROW_2026, "Overall Grade": "Good"},
        {**ROW_2024, "Overall Grade": "Good"},
        {**ROW_2026, "Audit ID": "B2", "Overall Grade": "Requires improvement"},
        {**ROW_2024, "Audit ID": "S2", "Overall Grade": "Requires improvement"},
        {**ROW_2024, "Audit ID": "S3", "Overall Grade": "Meets good"},  # not a 2024 grade
    ]
    fast, slow = both(write_csv(tmp_path / "a.csv", rows))
    assert fast == slow
    grades = [a.overall_grade for a in fast.accepted]
    assert grades == ["meets_good", "good", "does_not_yet_meet_good", "requires_improvement"]
    (rejection,) = fast.rejected
    assert rejection.row == 6
    assert rejection.problems[0].reason.startswith("'Meets good' is not a grade of bolton 2021")


def test_the_same_text_in_different_columns_is_read_by_each_columns_rule(tmp_path: Path) -> None:
    # "Team Manager" is a role in the role column and a plain name elsewhere; "Good" a
    # grade in the grade column and a team's name in the team column; "yes" a flag.
    rows = [
        {**ROW_2026, "Allocated Team": "Team Manager", "Urgent Safety Concern": "yes"},
        {**ROW_2026, "Audit ID": "B2", "Auditor": "Team Manager", "Allocated Team": "Good"},
        {**ROW_2026, "Audit ID": "B3", "Allocated Team": "yes", "Auditor": "Good"},
        {**ROW_2026, "Audit ID": "B4", "Auditor Role": "Good"},  # not a role
        {**ROW_2026, "Audit ID": "B5", "Overall Grade": "Team Manager"},  # not a grade
        {**ROW_2026, "Audit ID": "B6", "Urgent Safety Concern": "Good"},  # not a flag
    ]
    fast, slow = both(write_csv(tmp_path / "a.csv", rows))
    assert fast == slow
    first, second, third = fast.accepted
    assert (first.auditor_role, first.team) == ("team_manager", "Team Manager")
    assert (second.auditor, second.team, second.overall_grade) == (
        "Team Manager",
        "Good",
        "meets_good",
    )
    assert (third.team, third.auditor) == ("yes", "Good")
    assert [r.row for r in fast.rejected] == [5, 6, 7]


def test_spreadsheet_values_equal_as_keys_convert_apart(tmp_path: Path) -> None:
    # 1 == 1.0 == True as dictionary keys; as cells they are the text "1", the text "1" and
    # a true/false value where text is expected (a rejection).
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    header = list(ROW_2026)
    sheet.append([*header, "Allocated Team", "Health Concern"])
    for number, (team, concern) in enumerate(
        [(1, 1), (1.0, True), (True, 0), ("1", "1"), (1, "no"), (2.5, False)]
    ):
        values = {**ROW_2026, "Audit ID": f"B{number}"}
        cells: list[Any] = [values[column] for column in header]
        cells[header.index("Audit Date")] = datetime(2026, 3, 6)
        sheet.append([*cells, team, concern])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    fast, slow = both(path)
    assert fast == slow
    assert [a.team for a in fast.accepted] == ["1", "1", "1", "1"]
    assert [bool(a.concerns) for a in fast.accepted] == [True, True, True, False]
    assert [r.row for r in fast.rejected] == [4, 7]


def test_equal_values_are_one_object(tmp_path: Path) -> None:
    rows = [
        {**ROW_2026, "Audit ID": f"B{n}", "Allocated Team": "Team 1", "Cycle": "2026-03"}
        for n in range(3)
    ]
    load, slow = both(write_csv(tmp_path / "a.csv", rows))
    assert load == slow
    first, second, third = load.accepted
    for name in ("team", "cycle", "auditor", "activity", "auditor_role", "audit_date"):
        assert getattr(first, name) is getattr(second, name) is getattr(third, name), name
    assert first.audit_date == date(2026, 3, 6)
    # Identical judgements (standard, grade and notes) are one object too.
    assert first.judgements[0] is second.judgements[0] is third.judgements[0]


def test_a_full_cache_stops_growing_but_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fast_rows, "CACHE_LIMIT", 2)
    rows = [
        {**ROW_2026, "Audit ID": f"B{n}", "Allocated Team": f"Team {n % 5}", "Cycle": f"c{n}"}
        for n in range(12)
    ]
    rows.append({**ROW_2026, "Audit ID": "B99", "Allocated Team": "a\x07b"})
    fast, slow = both(write_csv(tmp_path / "a.csv", rows))
    assert fast == slow
    assert [a.team for a in fast.accepted] == [f"Team {n % 5}" for n in range(12)]
    (rejection,) = fast.rejected
    assert rejection.problems[0].column == "Allocated Team"


def test_the_columnar_path_shares_no_more_than_the_cache_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The columnar engine's tables of shared texts, notes and judgements stop growing at
    # the row path's limit (an export whose every note differs keeps no table of them all),
    # and the load is still the row path's.
    from qaframework.io import _column_collect

    monkeypatch.setattr(_fast_rows, "CACHE_LIMIT", 3)
    rows = [
        {
            **ROW_2026,
            "Audit ID": f"B{n}",
            "Allocated Team": f"Team {n % 5}",
            "assessment rationale": f"Note {n}.",
            "assessment strengths": "Seen alone." if n % 2 else f"Strength {n}.",
        }
        for n in range(20)
    ]
    path = write_csv(tmp_path / "a.csv", rows)
    collectors: list[Any] = []
    done = _column_collect._Collector.done

    def kept(self: Any, progress: Any) -> Any:
        collectors.append(self)
        return done(self, progress)

    with mock.patch.object(_column_collect._Collector, "done", kept):
        by_columns = load_audits(path, "bolton", engine="columns")
    assert by_columns == load_audits(path, "bolton", engine="rows")
    assert len(by_columns.accepted) == 20
    assert [a.judgements[0].rationale for a in by_columns.accepted] == [
        f"Note {n}." for n in range(20)
    ]
    (collector,) = collectors
    assert len(collector.pool) <= 3
    assert len(collector.notes) <= 3
    assert sum(map(len, collector.tables.known.values())) <= 3


def test_a_forbidden_character_in_a_note_is_found_in_a_screened_file(tmp_path: Path) -> None:
    rows = [
        ROW_2026,
        {**ROW_2026, "Audit ID": "B2", "assessment rationale": "Clear\x0c analysis."},
        {**ROW_2026, "Audit ID": "B3", "Child Unique ID": "C\x00"},
        {**ROW_2026, "Audit ID": "B4", "assessment strengths": "Seen \ufffe alone."},
    ]
    fast, slow = both(write_csv(tmp_path / "a.csv", rows))
    assert fast == slow
    assert [r.row for r in fast.rejected] == [3, 4, 5]
    assert [r.problems[0].column for r in fast.rejected] == [
        "assessment rationale",
        "Child Unique ID",
        "assessment strengths",
    ]


def test_a_cell_that_cannot_be_a_key_is_read_cell_by_cell() -> None:
    # No CSV or XLSX cell is a list, but should one come, it is the cell-by-cell reading's.
    spec = read_mapping(AuditMapping, DEFAULT_AUDIT_MAPPING)
    values = {**ROW_2026, "Allocated Team": ["a"]}
    reader = RowReader(spec, Header("a.csv", list(values)), ProfileVersions("bolton"), cells="csv")
    audit_id, audit, problems = reader.read(values)
    assert (audit_id, audit, problems) == reader._read(values)
    assert audit is None
    assert [(p.column, p.reason) for p in problems] == [
        ("Allocated Team", "a list where text is expected")
    ]


@contextmanager
def counting_dictionaries() -> Iterator[list[int]]:
    """Within the block, the number of each row whose cells are made into a dictionary."""
    made: list[int] = []
    values = RawRow.values

    def counted(row: RawRow) -> Any:
        if row.cells is not None and row._values is None:
            made.append(row.number)
        return values.fget(row)  # type: ignore[attr-defined]

    with mock.patch.object(RawRow, "values", property(counted)):
        yield made


def _workbook(path: Path, table: list[list[Any]]) -> Path:
    """A workbook of one sheet holding ``table``'s rows of cells (None: no cell)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for cells in table:
        sheet.append(cells)
    workbook.save(path)
    return path


def test_rows_the_fast_path_accepts_are_read_by_position(tmp_path: Path) -> None:
    # A CSV or XLSX row's cells are taken by position: a row the fast path accepts is never
    # made into a dictionary of its cells (what every row cost before); a row it leaves to
    # the cell-by-cell reading is, to name its problems.
    rows = [{**ROW_2026, "Audit ID": f"B{n}", "Allocated Team": f"T{n}"} for n in range(4)]
    rows.append({**ROW_2026, "Audit ID": "B9", "Overall Grade": "Splendid"})
    header = list(rows[0])
    table = [header, *([row.get(column) for column in header] for row in rows)]
    for path in (write_csv(tmp_path / "a.csv", rows), _workbook(tmp_path / "a.xlsx", table)):
        with counting_dictionaries() as made:
            load = load_audits(path, "bolton", engine="rows")
        assert [a.id for a in load.accepted] == ["B0", "B1", "B2", "B3"]
        assert [a.team for a in load.accepted] == ["T0", "T1", "T2", "T3"]
        assert [r.row for r in load.rejected] == [6]
        assert made == [6]
        assert load == both(path)[1]


def test_short_rows_and_fixed_values_are_read_by_position(tmp_path: Path) -> None:
    # A row with fewer cells than the header has none for the columns it lacks, and a fixed
    # value fills its field in every row: by position as cell by cell.
    mapping = {
        "columns": {**_audits.UNFIXED_COLUMNS, "team": "Allocated Team"},
        "fixed": {"activity": "Whole Case File Audits", "auditor_role": "Team Manager"},
    }
    path = tmp_path / "a.csv"
    path.write_text(
        "Audit ID,Child Unique ID,Audit Date,Auditor,Overall Grade,Allocated Team\n"
        "S1,C1,12/06/2024,tm1,Good,Team 1\n"
        "S2,C2,13/06/2024,tm2,Good\n"
        "S3,C3,14/06/2024\n",
        encoding="utf-8",
    )
    fast, slow = both(path, mapping=mapping)
    assert fast == slow
    first, second = fast.accepted
    assert (first.team, second.team) == ("Team 1", None)
    assert {(a.activity, a.auditor_role) for a in fast.accepted} == {
        ("whole_case_file_audits", "team_manager")
    }
    (rejection,) = fast.rejected
    assert rejection.row == 4


def test_judgements_are_looked_up_only_while_most_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Once the table of judgements is full, each window of judgements looked up in it that
    # finds fewer than half there ends the lookups: an export whose notes all differ stops
    # paying for them. Equal judgements are then each their row's own; the load is the same.
    monkeypatch.setattr(_fast_rows, "CACHE_LIMIT", 2)
    monkeypatch.setattr(_fast_rows, "SHARING_WINDOW", 3)

    def rows(notes: list[int]) -> list[dict[str, Any]]:
        return [
            {**ROW_2026, "Audit ID": f"B{n}", "assessment rationale": f"Note {note}."}
            for n, note in enumerate(notes)
        ]

    def judgements(notes: list[int], name: str) -> list[Any]:
        fast, slow = both(write_csv(tmp_path / name, rows(notes)))
        assert fast == slow
        assert [a.judgements[0].rationale for a in fast.accepted] == [
            f"Note {note}." for note in notes
        ]
        return [a.judgements[0] for a in fast.accepted]

    # The table full after two; then three new ones: no more lookups.
    found = judgements([0, 1, 2, 3, 4, 0, 1], "differ.csv")
    assert found[5] == found[0]
    assert found[5] is not found[0]
    assert found[6] is not found[1]
    # Mostly found once full: the lookups go on, past a window with one new judgement.
    notes = [0, 1, 0, 1, 0, 1, 2, 0, 1, 0, 1]
    found = judgements(notes, "repeat.csv")
    for index, note in enumerate(notes):
        if note < 2:
            assert found[index] is found[note], index


def test_columns_without_a_name_are_noted_by_position(tmp_path: Path) -> None:
    # An export with columns whose header cell is empty (a spreadsheet's formatted columns
    # past the data): which of them hold a value is found from the row's cells, with no
    # dictionary made for a row the fast path accepts, in a CSV and in a workbook.
    header = [*ROW_2026, "", " "]
    table = [header]
    for n in range(3):
        table.append([*{**ROW_2026, "Audit ID": f"B{n}"}.values(), "", "stray" if n == 1 else ""])
    csv_path = tmp_path / "a.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(table)
    xlsx_path = _workbook(
        tmp_path / "a.xlsx", [[cell if cell.strip() else None for cell in cells] for cells in table]
    )
    for path in (csv_path, xlsx_path):
        with counting_dictionaries() as made:
            load = load_audits(path, "bolton", engine="rows")
        assert [a.id for a in load.accepted] == ["B0", "B1", "B2"]
        assert made == []
        assert load.unmapped_columns == (f"(column {column_letter(len(header))})",)
        assert load == both(path)[1]
