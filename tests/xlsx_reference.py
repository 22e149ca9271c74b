"""The XLSX writers as they were before they wrote in openpyxl's write-only mode (the
documents' writer and the workload plan's), kept verbatim as the oracle of
``tests/test_xlsx_streaming.py``: every workbook the streaming writers make must read back
the same as these ones', cell by cell, style by style.

It built each sheet in memory and read ``sheet.max_row`` after every row (a scan of every
cell so far), so its cost grew with the square of the rows: use it on small documents only.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from qaframework.engine.report import Share
from qaframework.render._document import (
    Document,
    Missing,
    Number,
    Points,
    Ratio,
    Signed,
    Table,
    Value,
)
from qaframework.render._text import is_figure, missing_words
from qaframework.render.cells import xlsx_row
from qaframework.render.workload import (
    _NOTE,
    LINE_COLUMNS,
    _line_values,
    describe_counts,
    governed,
)

if TYPE_CHECKING:
    import os

    from openpyxl.worksheet.worksheet import Worksheet

    from qaframework.engine.workload import WorkloadPlan

__all__ = ["write_plan_xlsx", "xlsx_bytes"]

_PERCENT = "0.0%"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SHEET_NAME = 31


def _cell(value: Value, marker: str) -> tuple[Any, str | None]:
    """A value as a cell's content and number format."""
    if isinstance(value, Missing):
        return (None if value is Missing.NOT_APPLICABLE else missing_words(value, marker)), None
    if isinstance(value, Share):
        return value.value, _PERCENT
    if isinstance(value, Signed):
        return value.value, "+0;-0;0"
    if isinstance(value, Points):
        return value.value, "+0.0%;-0.0%;0.0%"
    if isinstance(value, Ratio):
        return value.value, _PERCENT
    if isinstance(value, Number):
        return value.value, "0." + "0" * value.places
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    return value, None


def _interval(value: Value, marker: str) -> list[tuple[Any, str | None]]:
    if isinstance(value, Share):
        return [(value.value, _PERCENT), (value.lower, _PERCENT), (value.upper, _PERCENT)]
    if isinstance(value, Missing) and value is not Missing.NOT_APPLICABLE:
        return [(missing_words(value, marker), None)] * 3
    return [_cell(value, marker), (None, None), (None, None)]


def _sheet(sheet: Worksheet, table: Table, marker: str, first: list[str]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    for line in first:
        xlsx_row(sheet, [line])
        sheet.cell(sheet.max_row, 1).font = bold
    xlsx_row(sheet, [table.caption])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
    if table.note:
        xlsx_row(sheet, [table.note])
    header: list[str] = []
    for column in table.columns:
        header.append(column.title)
        if column.interval:
            header.extend([f"{column.title}: lower", f"{column.title}: upper"])
    xlsx_row(sheet, header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    sheet.freeze_panes = f"B{header_row + 1}"
    widths = [len(title) for title in header]
    last = len(table.rows) - 1
    for index, row in enumerate(table.rows):
        values: list[tuple[Any, str | None, bool]] = []
        for column, value in zip(table.columns, row, strict=True):
            figure = is_figure(value)
            cells = _interval(value, marker) if column.interval else [_cell(value, marker)]
            values.extend((content, number_format, figure) for content, number_format in cells)
        xlsx_row(sheet, [content for content, _, _ in values])
        number = sheet.max_row
        for position, (content, number_format, figure) in enumerate(values, start=1):
            cell = sheet.cell(number, position)
            if number_format is not None:
                cell.number_format = number_format
            if figure:
                cell.alignment = right
            if table.total_row and index == last:
                cell.font = bold
            shown = "" if content is None else str(content)
            widths[position - 1] = max(widths[position - 1], min(len(shown), 60))
    if not table.rows:
        xlsx_row(sheet, ["None."])
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(8, width + 2)


def xlsx_bytes(document: Document, first_line: str | None = None) -> bytes:
    """``document`` as an XLSX file's bytes; ``first_line`` (a protective marking line)
    opens every sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    first = [first_line] if first_line is not None else []
    notes = workbook.active
    assert notes is not None  # a new workbook has its one sheet
    notes.title = "Notes"
    for line in first:
        xlsx_row(notes, [line])
        notes.cell(notes.max_row, 1).font = Font(bold=True)
    xlsx_row(notes, [document.title])
    notes.cell(notes.max_row, 1).font = Font(bold=True, size=14)
    if document.notice:
        xlsx_row(notes, [document.notice])
        notes.cell(notes.max_row, 1).font = Font(bold=True, color="D4351C")
    notes.append([])
    xlsx_row(notes, ["Item", "Detail"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for key, value in document.notes:
        xlsx_row(notes, [key, value])
        notes.cell(notes.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    notes.append([])
    xlsx_row(notes, ["Sheet", "Table"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    tables = document.tables()
    names = [table.key[:_SHEET_NAME] for table in tables]
    for name, table in zip(names, tables, strict=True):
        xlsx_row(notes, [name, table.caption])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 100
    for name, table in zip(names, tables, strict=True):
        _sheet(workbook.create_sheet(name), table, document.marker, first)
    properties = workbook.properties
    dated = datetime(document.dated.year, document.dated.month, document.dated.day)
    properties.created = properties.modified = dated
    properties.creator = properties.lastModifiedBy = "qaframework"
    properties.title = document.title
    if document.marking:
        properties.keywords = properties.category = document.marking
        properties.subject = f"{document.marking}: {document.title}"
        for sheet in workbook.worksheets:
            for part in (sheet.oddHeader, sheet.oddFooter):
                assert part is not None  # a new sheet has both
                part.center.text = document.marking
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter, not save_workbook, which stamps the file with the time of saving.
        ExcelWriter(workbook, archive).save()
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The zip ``data`` with every entry's timestamp fixed (zip entries carry the time they
    were written)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# -- the workload plan's workbook, as it was ----------------------------------------------


def write_plan_xlsx(plan: WorkloadPlan, target: str | os.PathLike[str]) -> None:
    """A workbook with sheets "Roles" (totals), "Lines" and "Not counted"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    roles = book.active
    assert roles is not None  # a new workbook has its first sheet
    roles.title = "Roles"
    xlsx_row(roles, [f"{plan.authority}: QA workload plan {plan.year}"])
    xlsx_row(roles, [governed(plan)])
    xlsx_row(roles, [_NOTE])
    roles.append([])
    xlsx_row(
        roles,
        [
            "Role",
            "Headcount",
            "Owed in the year",
            "Each person",
            "Hours (known)",
            "Hours each (known)",
            "Lines without hours",
        ],
    )
    for total in (*plan.roles, plan.total):
        xlsx_row(
            roles,
            [
                total.title if total is not plan.total else f"{total.title} (all)",
                total.headcount,
                describe_counts(total.counts),
                describe_counts(total.counts, per_person=True),
                total.hours,
                total.hours_per_person,
                total.lines_without_hours,
            ],
        )
    lines = book.create_sheet("Lines")
    xlsx_row(lines, LINE_COLUMNS)
    for row in _line_values(plan):
        xlsx_row(lines, row)
    skipped = book.create_sheet("Not counted")
    xlsx_row(skipped, ["source", "id", "name", "reason"])
    for item in plan.not_counted:
        xlsx_row(skipped, [item.source, item.id, item.name, item.reason])
    for sheet, header in ((roles, 5), (lines, 1), (skipped, 1)):
        for cell in sheet[header]:
            cell.font = Font(bold=True)
    roles["A1"].font = Font(bold=True, size=13)
    book.save(str(target))
