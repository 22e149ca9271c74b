"""XLSX outputs are written a row at a time (openpyxl's write-only mode) and read back exactly
as the in-memory writer's did.

The in-memory writer (kept verbatim as ``tests/xlsx_reference.py``) read ``sheet.max_row``
after every row, a scan of every cell so far, so a child-level workbook of 10,000 audits took
seconds and its cost grew with the square of its rows. The streaming writer must say the same
thing in every cell: each workbook is compared with the reference's as openpyxl reads it
back, cell by cell (value, type, number format, font, alignment, quote prefix), with the
sheets, column widths, frozen panes, page headers and footers, and document properties.
"""

from __future__ import annotations

import importlib.metadata
import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from qaframework.engine.audits import Audit
from qaframework.engine.report import ChildLevelDetail, CycleReport, Share, child_level_detail
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.render import _xlsx, render_child_level
from qaframework.render._child_level import MARKING_LINE, child_level_document
from qaframework.render._document import (
    Column,
    Document,
    Heading,
    Missing,
    Number,
    Paragraph,
    Points,
    Ratio,
    Signed,
    Table,
)
from qaframework.render._report import report_document
from qaframework.render._xlsx import xlsx_bytes
from tests import xlsx_reference
from tests.test_output_safety import HOSTILE
from tests.test_render import AS_OF, MAY, hand_audits


def facts(data: bytes) -> dict[str, Any]:
    """Everything a reader sees in a workbook: sheets, cells with their styles, column
    widths, frozen panes, printed headers and footers, properties."""
    workbook = load_workbook(io.BytesIO(data))
    sheets = {}
    for sheet in workbook.worksheets:
        cells = {}
        for (row, column), cell in sorted(sheet._cells.items()):
            if cell.value is None and not cell.has_style:
                continue
            font, alignment = cell.font, cell.alignment
            cells[(row, column)] = (
                cell.value,
                cell.data_type,
                cell.number_format,
                cell.quotePrefix,
                (font.b, font.sz, font.color.rgb if font.color is not None else None),
                (alignment.horizontal, alignment.vertical, alignment.wrap_text),
            )
        widths = {
            letter: dimension.width
            for letter, dimension in sheet.column_dimensions.items()
            if dimension.customWidth
        }
        sheets[sheet.title] = {
            "cells": cells,
            "widths": widths,
            "freeze": sheet.freeze_panes,
            "header": (sheet.oddHeader.center.text, sheet.oddFooter.center.text),
        }
    properties = workbook.properties
    return {
        "sheets": list(workbook.sheetnames),
        "content": sheets,
        "properties": (
            properties.title,
            properties.subject,
            properties.creator,
            properties.lastModifiedBy,
            properties.keywords,
            properties.category,
            properties.created,
            properties.modified,
        ),
    }


def same_as_reference(document: Document, first_line: str | None = None) -> bytes:
    written = xlsx_bytes(document, first_line)
    assert facts(written) == facts(xlsx_reference.xlsx_bytes(document, first_line))
    return written


# -- the documents the package writes --------------------------------------------------------


@pytest.fixture(scope="module")
def audits() -> list[Audit]:
    return hand_audits()


def test_a_report_reads_back_as_before(
    example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]
) -> None:
    from qaframework.engine.report import build_cycle_report

    report: CycleReport = build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )
    same_as_reference(report_document(report.publishable()))


def test_child_level_detail_reads_back_as_before(
    example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]
) -> None:
    hostile = [
        a.__class__(**{**_fields(a), "team": HOSTILE[i % len(HOSTILE)]})
        for i, a in enumerate(audits)
    ]
    detail: ChildLevelDetail = child_level_detail(
        hostile, example_profile, MAY, as_of=AS_OF, calendar=calendar
    )
    written = same_as_reference(child_level_document(detail), MARKING_LINE)
    workbook = load_workbook(io.BytesIO(written))
    assert all(sheet["A1"].value == MARKING_LINE for sheet in workbook.worksheets)
    assert all(sheet.oddHeader.center.text == detail.marking for sheet in workbook.worksheets)


def _fields(audit: Audit) -> dict[str, Any]:
    import attrs

    return attrs.asdict(audit, recurse=False)


def test_an_empty_table_reads_back_as_before() -> None:
    same_as_reference(_document((Table("empty", "Nothing here", (Column("A"),), ()),)))


# -- any document ----------------------------------------------------------------------------

_TEXT = st.one_of(
    st.sampled_from(
        [*HOSTILE, "#N/A", "#REF!", "#DIV/0!", "-3", "=", "'quoted", "", "x" * 80, "Team 1"]
    ),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x7f"),
        max_size=70,
    ),
)
_SHARE = st.one_of(
    st.just(Share(0, 0, None, None, None)),
    st.tuples(st.integers(0, 50), st.integers(1, 50))
    .filter(lambda pair: pair[0] <= pair[1])
    .map(lambda pair: Share.of(*pair)),
)
_FIGURE = st.one_of(
    st.integers(-(10**12), 10**12),
    st.builds(Signed, st.integers(-1000, 1000)),
    st.builds(Points, st.floats(-1, 1)),
    st.builds(Ratio, st.floats(0, 1)),
    st.builds(Number, st.floats(-1, 1), st.integers(0, 4)),
    st.sampled_from(list(Missing)),
    _SHARE,
)
_VALUE = st.one_of(_TEXT, _FIGURE, st.dates(date(1900, 3, 1), date(2100, 12, 31)))


@st.composite
def _table(draw: st.DrawFn, key: str) -> Table:
    intervals = draw(st.lists(st.booleans(), min_size=1, max_size=5))
    columns = tuple(Column(draw(_TEXT.filter(bool)), interval=interval) for interval in intervals)
    rows = draw(
        st.lists(st.tuples(*[_VALUE for _ in columns]), max_size=6).map(tuple),
    )
    return Table(
        key,
        draw(_TEXT),
        columns,
        rows,
        total_row=draw(st.booleans()),
        note=draw(st.sampled_from(["", "A note on the table.", HOSTILE[0]])),
    )


@st.composite
def _documents(draw: st.DrawFn) -> tuple[Document, str | None]:
    count = draw(st.integers(0, 3))
    tables = tuple(
        draw(_table(f"table-{n}" + "x" * draw(st.integers(0, 30)))) for n in range(count)
    )
    marking = draw(st.sampled_from([None, "OFFICIAL-SENSITIVE"]))
    document = Document(
        title=draw(_TEXT),
        dated=draw(st.dates(date(2000, 1, 1), date(2100, 1, 1))),
        blocks=(Heading("Tables"), Paragraph("Text"), *tables),
        notes=tuple(draw(st.lists(st.tuples(_TEXT, _TEXT), max_size=3))),
        marker=draw(st.sampled_from(["c", "*"])),
        marking=marking,
        notice=draw(st.sampled_from([None, "Not for publication", HOSTILE[1]])),
    )
    return document, (MARKING_LINE if marking else draw(st.sampled_from([None, "First"])))


@settings(max_examples=40, deadline=None)
@given(_documents())
def test_any_document_reads_back_as_before(drawn: tuple[Document, str | None]) -> None:
    document, first_line = drawn
    same_as_reference(document, first_line)


# -- streaming -------------------------------------------------------------------------------


def _document(tables: tuple[Table, ...]) -> Document:
    return Document(
        title="A document",
        dated=date(2026, 5, 31),
        blocks=tables,
        notes=(("Source", "tests"),),
        marker="c",
    )


def test_no_sheet_is_built_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # An in-memory worksheet keeps every cell until the workbook is saved; the streaming
    # writer makes none (openpyxl's write-only workbook makes no default sheet either).
    from openpyxl.worksheet.worksheet import Worksheet

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("an in-memory worksheet was made")

    rows = tuple((f"C{n:05d}", n, date(2026, 4, 1)) for n in range(50))
    table = Table("rows", "Rows", (Column("Child"), Column("N"), Column("On")), rows)
    with monkeypatch.context() as patched:
        patched.setattr(Worksheet, "__init__", refuse)
        written = xlsx_bytes(_document((table,)))
    workbook = load_workbook(io.BytesIO(written), read_only=True)
    assert [row[0] for row in workbook["rows"].iter_rows(min_row=3, values_only=True)] == [
        row[0] for row in rows
    ]


def test_a_table_longer_than_a_sheet_continues_on_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_xlsx, "MAX_SHEET_ROWS", 10)
    rows = tuple((f"C{n:05d}", n) for n in range(20))
    table = Table("learning-notes", "Notes", (Column("Child"), Column("N")), rows)
    workbook = load_workbook(io.BytesIO(xlsx_bytes(_document((table,)), MARKING_LINE)))
    names = ["learning-notes", "learning-notes (2)", "learning-notes (3)"]
    assert workbook.sheetnames == ["Notes", *names]
    found = []
    for name in names:
        sheet = workbook[name]
        assert sheet.max_row <= 10
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0] == MARKING_LINE
        assert values[1][0].startswith("Notes (part ")
        assert values[2] == ("Child", "N")
        found.extend(values[3:])
    assert tuple(found) == rows
    listed = [row[0] for row in workbook["Notes"].iter_rows(values_only=True)]
    assert all(name in listed for name in names)


def test_the_same_document_gives_the_same_bytes() -> None:
    rows = tuple((f"C{n:05d}", date(2026, 4, n % 28 + 1)) for n in range(30))
    document = _document((Table("rows", "Rows", (Column("Child"), Column("On")), rows),))
    assert xlsx_bytes(document) == xlsx_bytes(document)
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(document))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_failed_write_leaves_no_file(
    example_profile: Profile,
    calendar: WorkingCalendar,
    audits: list[Audit],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    detail = child_level_detail(audits, example_profile, MAY, as_of=AS_OF, calendar=calendar)

    def broken(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("qaframework.render.xlsx_write", broken)
    with pytest.raises(OSError, match="disk full"):
        render_child_level(detail, "xlsx", tmp_path)
    assert list(tmp_path.iterdir()) == []


# -- the workload plan -----------------------------------------------------------------------


def _plan() -> Any:
    from qaframework.engine.periods import FinancialYear
    from qaframework.engine.workload import Staffing, plan_workload
    from qaframework.profiles.registry import get_registry

    staffing = Staffing(headcount={"Team Manager": 39, "SL": 6, "practitioner": 190})
    return plan_workload(
        get_registry().load_all_versions("manchester"), FinancialYear(2026), staffing
    )


def test_the_workload_plan_reads_back_as_before(tmp_path: Path) -> None:
    from qaframework.render.workload import write_plan_xlsx

    plan = _plan()
    write_plan_xlsx(plan, tmp_path / "new.xlsx")
    xlsx_reference.write_plan_xlsx(plan, tmp_path / "old.xlsx")
    new, old = (facts((tmp_path / f"{name}.xlsx").read_bytes()) for name in ("new", "old"))
    # The properties carry the time of saving in both.
    assert (new["sheets"], new["content"]) == (old["sheets"], old["content"])


def test_the_workload_plan_builds_no_sheet_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    from qaframework.render.workload import write_plan_xlsx

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("an in-memory worksheet was made")

    plan = _plan()
    with monkeypatch.context() as patched:
        patched.setattr(Worksheet, "__init__", refuse)
        write_plan_xlsx(plan, tmp_path / "plan.xlsx")
    assert load_workbook(tmp_path / "plan.xlsx").sheetnames == ["Roles", "Lines", "Not counted"]


# -- table rows written without openpyxl's cell writer ----------------------------------------


# et_xmlfile before 2.0 writes every character beyond ASCII as a character reference
# (&#167;), the row writer as UTF-8: the same text, other bytes.
_SAME_BYTES = int(importlib.metadata.version("et_xmlfile").split(".")[0]) >= 2


def _both(document: Document, first_line: str | None, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The workbook's bytes with the rows written apart, checked equal to openpyxl's own
    (read back the same, where et_xmlfile writes characters as the row writer does)."""
    fast = xlsx_bytes(document, first_line)
    with monkeypatch.context() as patched:
        patched.setattr(_xlsx, "FAST_ROWS", False)
        slow = xlsx_bytes(document, first_line)
    if _SAME_BYTES:
        assert fast == slow
    assert facts(fast) == facts(slow)
    return fast


@settings(max_examples=60, deadline=None)
@given(_documents())
def test_rows_written_apart_are_openpyxls_bytes(drawn: tuple[Document, str | None]) -> None:
    # The table rows' cells are serialised by the module, as openpyxl's write-only writer
    # serialises them: the workbook must be the same bytes, part by part.
    document, first_line = drawn
    with pytest.MonkeyPatch.context() as monkeypatch:
        _both(document, first_line, monkeypatch)


def test_table_rows_do_not_go_through_openpyxls_row_writer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openpyxl.worksheet._writer import WorksheetWriter

    rows = tuple(
        (f"C{n:05d}", n, date(2026, 4, 1), Share.of(n % 7, 7), " pad ", "a & <b>", "=1+1")
        for n in range(200)
    )
    columns = tuple(Column(t) for t in ("Child", "N", "On", "Share", "Pad", "Amp", "Formula"))
    document = _document((Table("rows", "Rows", columns, rows),))
    written: list[int] = []
    write_row = WorksheetWriter.write_row

    def counted(self: Any, xf: Any, row: Any, row_idx: int) -> Any:
        written.append(row_idx)
        return write_row(self, xf, row, row_idx)

    with monkeypatch.context() as patched:
        patched.setattr(WorksheetWriter, "write_row", counted)
        data = xlsx_bytes(document, MARKING_LINE)
    # The notes sheet and the table's heading rows only: not its 200 rows.
    assert 0 < len(written) < 20
    assert data == _both(document, MARKING_LINE, monkeypatch)
    sheet = load_workbook(io.BytesIO(data))["rows"]
    assert sheet.cell(4, 1).value == "C00000"
    assert sheet.cell(203, 2).value == 199
    assert sheet.cell(4, 5).value == " pad "
    assert sheet.cell(4, 6).value == "a & <b>"
    assert sheet.cell(4, 7).value == "=1+1"
    assert sheet.cell(4, 7).data_type == "s"
    assert sheet.cell(4, 7).quotePrefix


def test_a_value_the_row_writer_does_not_write_is_left_to_openpyxl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A statistic that is not a number (NaN): openpyxl writes its sheet, as before.
    table = Table(
        "rows",
        "Rows",
        (Column("Name"), Column("Kappa")),
        (("a", Number(0.5, 2)), ("b", Number(float("nan"), 2))),
    )
    _both(_document((table,)), None, monkeypatch)


def test_cells_of_an_openpyxl_the_row_writer_does_not_know_are_left_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The row writer reads openpyxl's cells (their value, type, style and comment): were a
    # release to hold them otherwise, openpyxl writes the rows, as before.
    def unknown(self: Any, cell: Any, column: int, number: int) -> str:
        raise AttributeError("_value")

    monkeypatch.setattr(_xlsx._RowsOut, "_cell", unknown)
    rows = tuple((f"C{n}", n, date(2026, 4, 1)) for n in range(5))
    table = Table("rows", "Rows", (Column("Child"), Column("N"), Column("On")), rows)
    _both(_document((table,)), None, monkeypatch)
