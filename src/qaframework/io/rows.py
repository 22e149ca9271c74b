"""Reading an export's rows the same way from CSV, XLSX, JSON and JSON Lines.

:func:`open_rows` opens a file and gives its columns, then its rows, each a mapping from
column name to cell with the row's number as the user sees it:

- **CSV and XLSX**: the sheet's row number. The header is the first row that is not blank
  (row 1 in a plain export), so the first data row is row 2. A record spanning several
  lines (a quoted cell with line breaks) is one row, as a spreadsheet shows it.
- **JSON** (an array of objects, one per row): the position in the array, from 1.
- **JSON Lines** (one object per line): the line number.

Rows whose cells are all empty are skipped and counted in :attr:`ExportRows.blank_rows`;
every other row is yielded, with a :class:`~qaframework.io.rejections.RowProblem` instead
of values when it cannot be read (bytes not valid in the file's encoding, more cells than
the header names, a JSON line that is not an object). Files that cannot be read at all
raise :class:`~qaframework.io.errors.ExportError`.

CSV text is UTF-8 unless told otherwise; a UTF-8 byte order mark is skipped and a UTF-16
one (Excel's "Unicode text") selects UTF-16. XLSX workbooks are read with openpyxl in
read-only mode, showing each cell's value as last calculated; the first sheet unless one is
named. A header cell left empty names its column by its letter, ``(column E)``.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from qaframework.io.errors import ExportError
from qaframework.io.rejections import RowProblem
from qaframework.io.values import CellError, display, field_text, is_empty

__all__ = ["FORMATS", "ExportRows", "RawRow", "column_letter", "detect_format", "open_rows"]

FORMATS = ("csv", "xlsx", "json", "jsonl")
"""The formats :func:`open_rows` reads."""

_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_BYTE_OFFSET = re.compile(r"\(byte (\d+)\)")


@attrs.frozen
class RawRow:
    """One row of an export: its number and its cells by column name, or why it is
    unreadable (``values`` None, ``problem`` set)."""

    number: int
    values: Mapping[str, Any] | None
    problem: RowProblem | None = None


class ExportRows:
    """An opened export: :attr:`columns`, then its rows, read once by iterating.

    ``blank_rows`` counts the rows skipped as blank and ``unnamed_with_data`` the columns
    without a header name that hold a value somewhere; both are complete once the rows have
    been read. ``size_hint`` is the number of rows expected, when the format says.
    """

    def __init__(
        self,
        file: str,
        format: str,
        columns: Sequence[str],
        rows: Callable[[ExportRows], Iterator[RawRow]],
        *,
        unnamed: Iterable[str] = (),
        size_hint: int | None = None,
    ) -> None:
        self.file = file
        self.format = format
        self.columns: tuple[str, ...] = tuple(columns)
        self.unnamed: frozenset[str] = frozenset(unnamed)
        self.size_hint = size_hint
        self.blank_rows = 0
        self.unnamed_with_data: set[str] = set()
        self._rows: Callable[[ExportRows], Iterator[RawRow]] | None = rows

    def __iter__(self) -> Iterator[RawRow]:
        rows = self._rows
        if rows is None:
            raise RuntimeError("an export's rows are read once")
        self._rows = None
        return rows(self)

    def _note_unnamed(self, values: Mapping[str, Any]) -> None:
        for name in self.unnamed:
            if not is_empty(values.get(name)):
                self.unnamed_with_data.add(name)


def column_letter(index: int) -> str:
    """A spreadsheet column's letters from its 1-based index: 1 is A, 27 is AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def detect_format(source: str | os.PathLike[str]) -> str:
    """The format a file's name says: ``.csv``/``.tsv``, ``.xlsx``/``.xlsm``, ``.json``,
    ``.jsonl``/``.ndjson``. :class:`ExportError` for any other name."""
    file = os.fspath(source)
    suffix = Path(file).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if suffix == ".xls":
        raise ExportError(file, "is an Excel 97-2003 workbook; save it as .xlsx or as CSV")
    raise ExportError(
        file,
        f"cannot tell the format from the name; give the format ({', '.join(FORMATS)})",
    )


def open_rows(
    source: str | os.PathLike[str],
    *,
    format: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ExportRows:
    """Open an export for reading (see the module's rules).

    ``format`` is one of :data:`FORMATS` (from the file's name when None); ``sheet`` an
    XLSX sheet's name (the first sheet when None); ``encoding`` a CSV's text encoding;
    ``delimiter`` a CSV's separator (a comma, or a tab for ``.tsv``).
    """
    file = os.fspath(source)
    chosen = format if format is not None else detect_format(file)
    if chosen not in FORMATS:
        raise ExportError(file, f"unknown format {chosen!r} (one of {', '.join(FORMATS)})")
    if chosen == "csv":
        if delimiter is None:
            delimiter = "\t" if Path(file).suffix.lower() == ".tsv" else ","
        return _open_csv(file, encoding, delimiter)
    if chosen == "xlsx":
        return _open_xlsx(file, sheet)
    if chosen == "json":
        return _open_json(file)
    return _open_json_lines(file)


def read_bytes(file: str) -> bytes:
    """A file's bytes; :class:`ExportError` when it cannot be read."""
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise ExportError(file, f"cannot be read: {exc.strerror or exc}") from None


def _name_columns(cells: Sequence[object], file: str, row: int) -> tuple[list[str], set[str]]:
    names: list[str] = []
    unnamed: set[str] = set()
    for index, cell in enumerate(cells, 1):
        try:
            name = field_text(cell)
        except CellError:
            name = display(cell)
        if name is None:
            name = f"(column {column_letter(index)})"
            unnamed.add(name)
        names.append(name)
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(names, 1):
        positions.setdefault(name, []).append(index)
    for name, where in positions.items():
        if len(where) > 1:
            letters = ", ".join(column_letter(i) for i in where)
            raise ExportError(
                file,
                f"row {row}: columns {letters} are all named {name!r}; "
                "each column needs a name of its own",
            )
    return names, unnamed


def _decode(raw: bytes, file: str, encoding: str | None) -> tuple[str, str]:
    if encoding is None:
        utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        codec = "utf-16" if utf16 else "utf-8"
    else:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ExportError(file, f"unknown text encoding {encoding!r}") from None
    if codec == "utf-8" and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    # Undecodable bytes are kept (as lone surrogates) so that only the rows holding them
    # are rejected, each naming its column.
    return raw.decode(codec, errors="surrogateescape"), codec


def _undecodable_problem(name: str, cell: str, codec: str) -> RowProblem:
    return RowProblem(
        name,
        display(cell),
        f"holds bytes that are not valid {codec}: save the export as CSV UTF-8, or give its "
        "encoding (Excel's plain CSV is usually cp1252)",
    )


def _open_csv(file: str, encoding: str | None, delimiter: str) -> ExportRows:
    text, codec = _decode(read_bytes(file), file, encoding)
    undecodable = _UNDECODABLE.search(text) is not None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    except (TypeError, csv.Error) as exc:
        raise ExportError(file, f"cannot be read as CSV: {exc}") from None
    record = 0
    header: list[str] | None = None
    while header is None:
        try:
            cells = next(reader)
        except StopIteration:
            raise ExportError(file, "has no header row (the file is empty)") from None
        except csv.Error as exc:
            raise ExportError(file, f"row {record + 1}: cannot be read as CSV: {exc}") from None
        record += 1
        if not all(is_empty(c) for c in cells):
            header = cells
    if undecodable:
        for index, cell in enumerate(header, 1):
            if _UNDECODABLE.search(cell):
                problem = _undecodable_problem(f"(column {column_letter(index)})", cell, codec)
                raise ExportError(file, f"row {record}: header {problem}")
    columns, unnamed = _name_columns(header, file, record)
    width = len(columns)

    def rows(export: ExportRows) -> Iterator[RawRow]:
        number = record
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                yield RawRow(number, None, RowProblem(None, None, f"cannot be read as CSV: {exc}"))
                continue
            number += 1
            if all(not c or c.isspace() for c in cells):
                export.blank_rows += 1
                continue
            if undecodable:
                bad = [
                    _undecodable_problem(
                        columns[i] if i < width else f"(column {column_letter(i + 1)})", c, codec
                    )
                    for i, c in enumerate(cells)
                    if _UNDECODABLE.search(c)
                ]
                if bad:
                    yield RawRow(number, None, bad[0])
                    continue
            if len(cells) > width:
                extra = [c for c in cells[width:] if c and not c.isspace()]
                if extra:
                    yield RawRow(
                        number,
                        None,
                        RowProblem(
                            None,
                            display(extra[0]),
                            f"has {len(cells)} cells but the header names {width} columns",
                        ),
                    )
                    continue
            values = dict(zip(columns, cells, strict=False))
            if unnamed:
                export._note_unnamed(values)
            yield RawRow(number, values)

    return ExportRows(file, "csv", columns, rows, unnamed=unnamed)


def _open_xlsx(file: str, sheet: str | None) -> ExportRows:
    from openpyxl import load_workbook

    if not Path(file).is_file():
        read_bytes(file)  # raises the operating system's reason
        raise ExportError(file, "is not a file")
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    # openpyxl reports a damaged or foreign file through zipfile, XML and KeyError
    # exceptions alike; every one means the same thing to the user.
    except Exception as exc:
        raise ExportError(file, f"cannot be read as an .xlsx workbook: {exc}") from None
    try:
        if sheet is None:
            if not workbook.worksheets:
                raise ExportError(file, "has no worksheet")
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames and hasattr(workbook[sheet], "iter_rows"):
            worksheet = workbook[sheet]
        else:
            names = ", ".join(repr(ws.title) for ws in workbook.worksheets)
            raise ExportError(file, f"has no worksheet {sheet!r} (worksheets: {names})")
        cells_by_row = worksheet.iter_rows(values_only=True)
        number = 0
        header: tuple[object, ...] | None = None
        for cells in cells_by_row:
            number += 1
            if not all(is_empty(c) for c in cells):
                header = cells
                break
        if header is None:
            raise ExportError(file, f"sheet {worksheet.title!r} has no header row (it is empty)")
        columns, unnamed = _name_columns(header, file, number)
        max_row = worksheet.max_row
    except BaseException:
        workbook.close()
        raise
    width = len(columns)
    header_row = number

    def rows(export: ExportRows) -> Iterator[RawRow]:
        number = header_row
        try:
            for cells in cells_by_row:
                number += 1
                if all(is_empty(c) for c in cells):
                    export.blank_rows += 1
                    continue
                if len(cells) > width:
                    extra = [
                        (i, c) for i, c in enumerate(cells[width:], width + 1) if not is_empty(c)
                    ]
                    if extra:
                        index, cell = extra[0]
                        yield RawRow(
                            number,
                            None,
                            RowProblem(
                                f"(column {column_letter(index)})",
                                display(cell),
                                "a value in a column the header row does not name",
                            ),
                        )
                        continue
                values = dict(zip(columns, cells, strict=False))
                if unnamed:
                    export._note_unnamed(values)
                yield RawRow(number, values)
        finally:
            workbook.close()

    hint = max_row - header_row if isinstance(max_row, int) and max_row > header_row else None
    return ExportRows(file, "xlsx", columns, rows, unnamed=unnamed, size_hint=hint)


def json_error(raw: bytes, exc: Exception, *, with_line: bool = True) -> str:
    """A JSON decoding error's message, with the line it is on rather than a byte offset
    (``with_line`` False leaves the position out, for a line of JSON Lines)."""
    message = str(exc)
    found = _BYTE_OFFSET.search(message)
    if found is None:
        return message
    stripped = _BYTE_OFFSET.sub("", message).rstrip()
    if not with_line:
        return stripped
    line = raw.count(b"\n", 0, int(found[1])) + 1
    return f"{stripped} (line {line})"


def strip_bom(raw: bytes) -> bytes:
    """The bytes without a leading UTF-8 byte order mark."""
    return raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    return "a number"


def _columns_of(objects: Iterable[object]) -> list[str]:
    seen: dict[str, None] = {}
    for obj in objects:
        if isinstance(obj, dict):
            seen.update(dict.fromkeys(obj))
    return list(seen)


def _object_rows(
    export: ExportRows, numbered: Iterable[tuple[int, object, RowProblem | None]]
) -> Iterator[RawRow]:
    for number, obj, problem in numbered:
        if problem is not None:
            yield RawRow(number, None, problem)
        elif not isinstance(obj, dict):
            yield RawRow(number, None, RowProblem(None, None, f"is {_kind(obj)}, not an object"))
        elif all(is_empty(v) for v in obj.values()):
            export.blank_rows += 1
        else:
            yield RawRow(number, obj)


def _open_json(file: str) -> ExportRows:
    import msgspec

    raw = strip_bom(read_bytes(file))
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise ExportError(file, f"is not valid JSON: {json_error(raw, exc)}") from None
    if not isinstance(document, list):
        raise ExportError(
            file,
            f"holds {_kind(document)}; a JSON export is an array of objects, one per row",
        )
    numbered = [(index, obj, None) for index, obj in enumerate(document, 1)]
    return ExportRows(
        file,
        "json",
        _columns_of(document),
        lambda export: _object_rows(export, numbered),
        size_hint=len(document),
    )


def _open_json_lines(file: str) -> ExportRows:
    import msgspec

    raw = strip_bom(read_bytes(file))
    lines = raw.split(b"\n")
    if lines and not lines[-1].strip():
        lines.pop()  # the newline ending the last line starts no row
    decoder = msgspec.json.Decoder()
    numbered: list[tuple[int, object, RowProblem | None]] = []
    blank = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            blank += 1
            continue
        try:
            numbered.append((number, decoder.decode(line), None))
        except msgspec.DecodeError as exc:
            reason = f"is not valid JSON: {json_error(line, exc, with_line=False)}"
            numbered.append((number, None, RowProblem(None, None, reason)))

    def rows(export: ExportRows) -> Iterator[RawRow]:
        export.blank_rows += blank
        yield from _object_rows(export, numbered)

    return ExportRows(
        file,
        "jsonl",
        _columns_of(obj for _, obj, _ in numbered),
        rows,
        size_hint=len(numbered),
    )
