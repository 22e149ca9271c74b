"""A document as an XLSX workbook (openpyxl): a notes sheet, then a sheet per table.

The notes sheet holds the title, any notice, the notes (the suppression policy and the
source) and a list of the sheets. Each table sheet has the table's caption in A1 (after the
marking line, for child-level detail), its header row, then its rows. Counts are numbers;
a suppressed figure is the marker as text (``c``), right-aligned with the numbers; a figure
that does not apply is an empty cell. Shares are three columns as in CSV, formatted as
percentages. A marked workbook carries the marking in the first row of every sheet, in
every printed page's header and footer, and in the file's properties.

Every cell holding text is a string cell, never a formula, and text beginning ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (a team named ``=HYPERLINK(...)``) carries the
quote prefix, as Excel marks text typed after an apostrophe (:mod:`qaframework.render.cells`).

The workbook is written in openpyxl's write-only mode: each row goes to the file as it is
made, so the time and memory it takes grow with the rows, not with their square. A table's
rows are serialised here, as openpyxl's writer serialises them, into a file put in the
sheet's part as the workbook is zipped (:class:`_RowsOut`): openpyxl's cell writer takes
about five times as long. Column widths are worked out in a first pass over a table's
rows, since a write-only sheet takes them before its first row. A table longer than a
sheet holds (:data:`MAX_SHEET_ROWS`, with its heading rows) continues on further sheets,
each with the heading rows again, and the notes sheet lists every one: no row is dropped.

The file is the same bytes for the same document: its dates are the document's, and the zip
entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from copy import copy
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

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
from qaframework.render.cells import xlsx_value

if TYPE_CHECKING:
    from openpyxl.styles import Alignment, Font
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["MAX_SHEET_ROWS", "xlsx_bytes", "xlsx_write"]

MAX_SHEET_ROWS = 1_048_576
"""The rows a worksheet holds (Excel's limit); a longer table continues on another sheet."""
FAST_ROWS = True
"""Whether table rows are written by :class:`_RowsOut` (False: by openpyxl's cell writer,
which gives the same bytes; the tests compare the two)."""
_SHEET_DATA_END = b"</sheetData>"

_PERCENT = "0.0%"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SHEET_NAME = 31
_WIDEST = 60

Cell = tuple[Any, str | None, bool]
"""A cell as written: its content, its number format, and whether it is a figure."""


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


def _header(table: Table) -> list[str]:
    header: list[str] = []
    for column in table.columns:
        header.append(column.title)
        if column.interval:
            header.extend([f"{column.title}: lower", f"{column.title}: upper"])
    return header


def _cells(table: Table, marker: str, rows: range) -> Iterator[list[Cell]]:
    """The cells of ``table``'s rows numbered ``rows``, as written."""
    columns = table.columns
    plain = not any(column.interval for column in columns)
    for index in rows:
        values: list[Cell] = []
        for column, value in zip(columns, table.rows[index], strict=True):
            if type(value) is str and (plain or not column.interval):
                values.append((value, None, False))  # text: most cells of a large table
                continue
            figure = is_figure(value)
            if plain or not column.interval:
                content, number_format = _cell(value, marker)
                values.append((content, number_format, figure))
            else:
                values.extend(
                    (content, number_format, figure)
                    for content, number_format in _interval(value, marker)
                )
        yield values


def _widths(table: Table, marker: str, rows: range) -> list[int]:
    """Each column's width in characters: its longest title or cell, at most 60."""
    widths = [len(title) for title in _header(table)]
    if any(column.interval for column in table.columns):
        for values in _cells(table, marker, rows):
            for position, (content, _, _) in enumerate(values):
                if content is not None:
                    widths[position] = max(widths[position], min(len(str(content)), _WIDEST))
        return widths
    # One cell a column: each column's longest text, then the longest of its other cells.
    for position, column in enumerate(zip(*(table.rows[index] for index in rows), strict=True)):
        longest = max((len(v) for v in column if type(v) is str), default=0)
        others = [
            len(str(content))
            for content, _ in (_cell(v, marker) for v in column if type(v) is not str)
            if content is not None
        ]
        widest = max(longest, *others) if others else longest
        if widest:
            widths[position] = max(widths[position], min(widest, _WIDEST))
    return widths


class _Styles:
    """Cells for a write-only sheet, each styled as a cell of the in-memory writer was.

    A style (fonts, alignments, number formats) is registered with the workbook the first
    time it is used, in the order the cells use it, and copied onto later cells as it is.
    """

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        from openpyxl.cell import WriteOnlyCell

        self.sheet = sheet
        self.new_cell = WriteOnlyCell
        self.known: dict[tuple[str | None, bool, bool], Any] = {}

    def styled(
        self,
        value: Any,
        *,
        font: Font | None = None,
        alignment: Alignment | None = None,
        number_format: str | None = None,
    ) -> Any:
        """``value`` as a cell with these styles (its text made safe, see
        :func:`~qaframework.render.cells.xlsx_value`)."""
        cell = xlsx_value(self.sheet, value, always=True)
        if number_format is not None:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        if font is not None:
            cell.font = font
        return cell

    def row(self, values: list[Any], *, font: Font | None = None) -> list[Any]:
        """A row of plain values, each in ``font`` when given."""
        if font is None:
            return [xlsx_value(self.sheet, value) for value in values]
        return [self.styled(value, font=font) for value in values]

    def figures(self, values: list[Cell], right: Alignment, bold: Font | None) -> list[Any]:
        """A table row: number formats, figures aligned right, the totals row in ``bold``."""
        out: list[Any] = []
        for content, number_format, figure in values:
            if number_format is None and not figure and bold is None:
                out.append(xlsx_value(self.sheet, content))
                continue
            key = (number_format, figure, bold is not None)
            model = self.known.get(key)
            if model is None:
                model = self.styled(
                    content,
                    number_format=number_format,
                    alignment=right if figure else None,
                    font=bold,
                )
                self.known[key] = model
                out.append(model)
                continue
            cell = xlsx_value(self.sheet, content, always=True)
            style = copy(model._style)
            # The quote prefix belongs to the text of this cell, not to the model's.
            own = cell._style
            style.quotePrefix = own.quotePrefix if own is not None else 0
            cell._style = style
            out.append(cell)
        return out


def _parts(table: Table, heading_rows: int) -> list[range]:
    """The rows of ``table`` on each of its sheets (one range, empty for no rows)."""
    room = MAX_SHEET_ROWS - heading_rows
    count = len(table.rows)
    if count <= room:
        return [range(count)]
    return [range(start, min(start + room, count)) for start in range(0, count, room)]


def _sheet_names(tables: tuple[Table, ...], parts: list[list[range]]) -> list[list[str]]:
    names: list[list[str]] = []
    for table, ranges in zip(tables, parts, strict=True):
        if len(ranges) == 1:
            names.append([table.key[:_SHEET_NAME]])
            continue
        found = []
        for number in range(1, len(ranges) + 1):
            suffix = "" if number == 1 else f" ({number})"
            found.append(table.key[: _SHEET_NAME - len(suffix)] + suffix)
        names.append(found)
    return names


def _table_sheet(
    workbook: Workbook,
    name: str,
    table: Table,
    rows: range,
    marker: str,
    first: list[str],
    caption: str,
    marking: str | None,
    splices: dict[str, IO[bytes]] | None = None,
) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    header = _header(table)
    header_row = len(first) + 1 + (1 if table.note else 0) + 1
    # A write-only sheet takes its view and columns before its first row.
    sheet.freeze_panes = f"B{header_row + 1}"
    for position, width in enumerate(_widths(table, marker, rows), start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(8, width + 2)
    styles = _Styles(sheet)
    for line in first:
        sheet.append([styles.styled(line, font=bold)])
    sheet.append([styles.styled(caption, font=Font(bold=True, size=12))])
    if table.note:
        sheet.append(styles.row([table.note]))
    sheet.append(styles.row(header, font=bold))
    last = len(table.rows) - 1

    def table_rows() -> Iterator[list[Any]]:
        """The table's rows as written, the totals row in bold."""
        for index, values in zip(rows, _cells(table, marker, rows), strict=True):
            total = table.total_row and index == last
            yield styles.figures(values, right, bold if total else None)

    rows_out = _RowsOut(sheet, header_row + 1) if splices is not None and len(rows) else None
    if rows_out is not None and all(map(rows_out.add, table_rows())):
        assert splices is not None
        splices[rows_out.part] = rows_out.done()
    else:
        # A value the row writer does not write as openpyxl would: openpyxl writes them all.
        if rows_out is not None:
            rows_out.discard()
        for written in table_rows():
            sheet.append(written)
    if not table.rows:
        sheet.append(styles.row(["None."]))
    _mark(sheet, marking)


class _RowsOut:
    """A table sheet's rows written as openpyxl's write-only sheet writes them, byte for
    byte, into a file of their own, to be put in the sheet's part where it closes
    ``<sheetData>`` (:class:`_FixedTimeZip`): openpyxl's cell writer serialises each cell
    through an element tree, about ten times slower.

    Written: text (an inline string, ``xml:space="preserve"`` where it has white space at
    an end), whole and decimal numbers (``%.16g``), dates (their serial number), and
    openpyxl cells holding one of those (with their style, registered with the workbook
    as openpyxl registers it, in the same order). :meth:`add` returns False for a value it
    does not write as openpyxl would (any other type, a character a worksheet cannot hold,
    a number that is not finite): the caller then writes the sheet's rows with openpyxl.
    The bytes are openpyxl's with et_xmlfile 2 (earlier releases write characters beyond
    ASCII as character references: the same text).
    """

    def __init__(self, sheet: WriteOnlyWorksheet, first_row: int) -> None:
        import tempfile

        from openpyxl.cell import Cell
        from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.datetime import to_excel

        writer = getattr(sheet, "_writer", None)
        self.part: str = getattr(writer, "out", "")
        self.number = first_row
        self.file: IO[bytes] | None = tempfile.TemporaryFile()  # noqa: SIM115 (kept open)
        self.chunks: list[str] = []
        self.size = 0
        self.cell_type = Cell
        self.illegal = ILLEGAL_CHARACTERS_RE
        self.errors = frozenset(ERROR_CODES)
        self.letters = [get_column_letter(n) for n in range(1, 200)]
        self.letter = get_column_letter
        self.to_excel: Callable[[Any, Any], Any] = to_excel
        book = sheet.parent
        assert book is not None  # a sheet made by a workbook
        self.epoch = book.epoch
        if not self.part:
            self.discard()  # not a sheet whose part this can find: openpyxl writes it

    def add(self, values: list[Any]) -> bool:
        """Write one row; False when a value is not one this writes."""
        if self.file is None:
            return False
        number = self.number
        out = [f'<row r="{number}">']
        for column, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, self.cell_type):
                try:
                    found = self._cell(value, column, number)
                except AttributeError:  # an openpyxl whose cells this does not know
                    return False
            else:
                found = self._plain(value, column, number)
            if found is None:
                return False
            out.append(found)
        out.append("</row>")
        text = "".join(out)
        self.chunks.append(text)
        self.size += len(text)
        if self.size > 1 << 20:
            self._flush()
        self.number += 1
        return True

    def _where(self, column: int, number: int) -> str:
        letters = self.letters
        letter = letters[column - 1] if column <= len(letters) else self.letter(column)
        return f"{letter}{number}"

    def _plain(self, value: Any, column: int, number: int) -> str | None:
        kind = type(value)
        if kind is str:
            value = value[:32767]
            if self.illegal.search(value) is not None:
                return None
            if (len(value) > 1 and value.startswith("=")) or value in self.errors:
                return None  # openpyxl would write a formula or an error (xlsx_value never)
            if not value:
                return f'<c r="{self._where(column, number)}" t="inlineStr" />'
            return _inline(f'<c r="{self._where(column, number)}" t="inlineStr"', value)
        if kind is int or kind is float:
            number_text = _number(value)
            if number_text is None:
                return None
            return f'<c r="{self._where(column, number)}" t="n"><v>{number_text}</v></c>'
        return None

    def _cell(self, cell: Any, column: int, number: int) -> str | None:
        value = cell._value
        styled = cell.has_style
        if value is None and not styled and cell._comment is None:
            return ""
        if cell.hyperlink is not None or cell._comment is not None:
            return None
        head = f'<c r="{self._where(column, number)}"'
        if styled:
            head += f' s="{cell.style_id}"'
        kind = cell.data_type
        if kind == "s":
            if value is None or value == "":
                return head + ' t="inlineStr" />'
            if type(value) is not str:
                return None  # rich text
            return _inline(head + ' t="inlineStr"', value)
        if kind == "d":
            if type(value) not in (date, datetime):
                return None
            value = self.to_excel(value, self.epoch)
            kind = "n"
        elif kind != "n" or type(value) not in (int, float, type(None)):
            return None
        if value is None:
            return head + f' t="{kind}" />'
        number_text = _number(value)
        if number_text is None:
            return None
        return head + f' t="{kind}"><v>{number_text}</v></c>'

    def _flush(self) -> None:
        assert self.file is not None
        self.file.write("".join(self.chunks).encode("utf-8"))
        self.chunks = []
        self.size = 0

    def done(self) -> IO[bytes]:
        """The rows' file, rewound."""
        self._flush()
        assert self.file is not None
        self.file.seek(0)
        return self.file

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def _inline(head: str, text: str) -> str:
    """An inline string cell as openpyxl's element tree writes it."""
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and text != stripped else ""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return f"{head}><is><t{space}>{text}</t></is></c>"


def _number(value: int | float) -> str | None:
    """A number as openpyxl writes it; None for one that is not finite."""
    if type(value) is float and not math.isfinite(value):
        return None
    return f"{value:.16g}"


def _mark(sheet: WriteOnlyWorksheet, marking: str | None) -> None:
    """Put the marking in the header and footer of every printed page."""
    if marking:
        for part in (sheet.oddHeader, sheet.oddFooter):
            assert part is not None  # a new sheet has both
            part.center.text = marking


def xlsx_write(document: Document, target: IO[bytes], first_line: str | None = None) -> None:
    """Write ``document`` as an XLSX file to the binary stream ``target``; ``first_line``
    (a protective marking line) opens every sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    first = [first_line] if first_line is not None else []
    tables = document.tables()
    heading_rows = [len(first) + 1 + (1 if table.note else 0) + 1 for table in tables]
    parts = [_parts(table, rows) for table, rows in zip(tables, heading_rows, strict=True)]
    names = _sheet_names(tables, parts)

    notes = workbook.create_sheet("Notes")
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 100
    styles = _Styles(notes)
    bold = Font(bold=True)
    for line in first:
        notes.append([styles.styled(line, font=bold)])
    notes.append([styles.styled(document.title, font=Font(bold=True, size=14))])
    if document.notice:
        notes.append([styles.styled(document.notice, font=Font(bold=True, color="D4351C"))])
    notes.append([])
    notes.append(styles.row(["Item", "Detail"], font=bold))
    wrap = Alignment(wrap_text=True, vertical="top")
    for key, value in document.notes:
        notes.append([xlsx_value(notes, key), styles.styled(value, alignment=wrap)])
    notes.append([])
    notes.append(styles.row(["Sheet", "Table"], font=bold))
    for table, sheet_names in zip(tables, names, strict=True):
        for number, name in enumerate(sheet_names, start=1):
            notes.append(styles.row([name, _caption(table, number, len(sheet_names))]))
    _mark(notes, document.marking)
    # Each table sheet's rows written apart, by the sheet's part (see _RowsOut).
    splices: dict[str, IO[bytes]] | None = {} if FAST_ROWS else None
    for table, ranges, sheet_names in zip(tables, parts, names, strict=True):
        for number, (rows, name) in enumerate(zip(ranges, sheet_names, strict=True), start=1):
            caption = _caption(table, number, len(ranges))
            _table_sheet(
                workbook,
                name,
                table,
                rows,
                document.marker,
                first,
                caption,
                document.marking,
                splices,
            )

    properties = workbook.properties
    dated = datetime(document.dated.year, document.dated.month, document.dated.day)
    properties.created = properties.modified = dated
    properties.creator = properties.lastModifiedBy = "qaframework"
    properties.title = document.title
    if document.marking:
        properties.keywords = properties.category = document.marking
        properties.subject = f"{document.marking}: {document.title}"
    try:
        with _FixedTimeZip(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.splices = splices or {}
            # ExcelWriter, not save_workbook, which stamps the file with the time of saving.
            ExcelWriter(workbook, archive).save()
    finally:
        for rows_file in (splices or {}).values():
            rows_file.close()


def _caption(table: Table, number: int, parts: int) -> str:
    if parts == 1:
        return table.caption
    return f"{table.caption} (part {number} of {parts})"


def xlsx_bytes(document: Document, first_line: str | None = None) -> bytes:
    """``document`` as an XLSX file's bytes; ``first_line`` (a protective marking line)
    opens every sheet."""
    buffer = io.BytesIO()
    xlsx_write(document, buffer, first_line)
    return buffer.getvalue()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose every entry carries the same timestamp, whenever it is written
    (zip entries otherwise carry the time they were written, or their file's); a file
    written from disk that is a key of :attr:`splices` has that file's rows put where its
    ``<sheetData>`` closes (see :class:`_RowsOut`)."""

    splices: dict[str, IO[bytes]] = {}  # noqa: RUF012 (set per archive)

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            name = zinfo_or_arcname.filename
        else:
            name = zinfo_or_arcname
        super().writestr(self._entry(name), data, compress_type, compresslevel)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        entry = self._entry(str(arcname if arcname is not None else filename))
        rows = self.splices.get(str(filename))
        # Its size, so that a part past 2 GiB is written with ZIP64 sizes.
        entry.file_size = os.path.getsize(filename)
        if rows is not None:
            rows.seek(0, os.SEEK_END)
            entry.file_size += rows.tell()
            rows.seek(0)
        with open(filename, "rb") as source, self.open(entry, "w") as target:
            if rows is None:
                shutil.copyfileobj(source, target, 1 << 20)
                return
            # The sheet's part holds its heading rows only: the rows go where it closes.
            data = source.read()
            end = data.rindex(_SHEET_DATA_END)
            target.write(data[:end])
            shutil.copyfileobj(rows, target, 1 << 20)
            target.write(data[end:])

    def _entry(self, name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, _ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        return entry
