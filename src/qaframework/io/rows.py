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
named. A header cell left empty names its column by its letter, ``(column E)``. When
python-calamine is installed (the ``xlsx`` extra) the cells are read by it instead, many
times faster, and given exactly as openpyxl gives them; a workbook it does not vouch for
is read by openpyxl (see :mod:`qaframework.io._xlsx_fast`).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from qaframework.io._export import ExportRows, RawRow, column_letter, name_columns, read_bytes
from qaframework.io._json import NESTED_TOO_DEEPLY, open_json, open_json_lines
from qaframework.io._xlsx_fast import choose_reader, open_fast
from qaframework.io.errors import ExportError
from qaframework.io.rejections import RowProblem
from qaframework.io.values import display, is_empty
from qaframework.profiles.files import export_limit

__all__ = [
    "FORMATS",
    "NESTED_TOO_DEEPLY",
    "Export",
    "ExportRows",
    "RawRow",
    "column_letter",
    "detect_format",
    "open_export",
    "open_rows",
]

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
    max_bytes: int | None = None,
    xlsx_reader: str | None = None,
) -> ExportRows:
    """Open an export for reading (see the module's rules).

    ``format`` is one of :data:`FORMATS` (from the file's name when None); ``sheet`` an
    XLSX sheet's name (the first sheet when None); ``encoding`` a CSV's text encoding;
    ``delimiter`` a CSV's separator (a comma, or a tab for ``.tsv``); ``max_bytes`` the
    largest file read (see :func:`qaframework.profiles.files.export_limit`: 2 GiB unless
    ``QAFRAMEWORK_MAX_EXPORT_BYTES`` says otherwise); ``xlsx_reader`` how a workbook is
    read: ``"calamine"``, ``"openpyxl"`` or ``"auto"`` (calamine when installed); without
    it the environment variable ``QAFRAMEWORK_XLSX_READER`` decides, then ``auto``. Both
    give the same rows; :attr:`ExportRows.reader` says which read them.
    """
    file = os.fspath(source)
    chosen = format if format is not None else detect_format(file)
    if chosen not in FORMATS:
        raise ExportError(file, f"unknown format {chosen!r} (one of {', '.join(FORMATS)})")
    if chosen == "csv":
        if delimiter is None:
            delimiter = "\t" if Path(file).suffix.lower() == ".tsv" else ","
        return _open_csv(file, encoding, delimiter, max_bytes)
    if chosen == "xlsx":
        return _open_xlsx(file, sheet, max_bytes, xlsx_reader)
    if chosen == "json":
        return open_json(file, max_bytes)
    return open_json_lines(file, max_bytes)


Fit = Callable[[Sequence[str]], str | None]
"""Whether a worksheet's columns hold what a load needs: None when they do, else why not."""


@attrs.frozen
class Export:
    """An export opened for loading: one :class:`ExportRows` per worksheet read (one for a
    file that is not a workbook), and notes on the worksheets left unread."""

    parts: tuple[ExportRows, ...]
    notes: tuple[str, ...] = ()


def open_export(
    source: str | os.PathLike[str],
    *,
    fit: Fit,
    format: str | None = None,
    sheet: str | Sequence[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int | None = None,
    xlsx_reader: str | None = None,
) -> Export:
    """Open an export, each of its worksheets a load is to read (see :func:`open_rows`).

    ``sheet`` is a worksheet's name, several names, ``"all"`` (any case: every worksheet
    whose columns ``fit`` the load, the others noted as not read), or None: the first
    worksheet, noting any other that fits as not read, so that a workbook holding several
    lists never loses all but one in silence. ``fit`` says of a worksheet's columns whether
    they hold what the load needs. ``xlsx_reader`` is as for :func:`open_rows`.
    """
    file = os.fspath(source)
    chosen = format if format is not None else detect_format(file)
    if chosen != "xlsx":
        return Export(
            (
                open_rows(
                    file, format=chosen, encoding=encoding, delimiter=delimiter, max_bytes=max_bytes
                ),
            )
        )
    workbook = _workbook(file, max_bytes, xlsx_reader)
    try:
        return _open_sheets(file, workbook, sheet, fit)
    except BaseException:
        workbook.close()
        raise


def _open_sheets(file: str, workbook: Any, sheet: str | Sequence[str] | None, fit: Fit) -> Export:
    sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        raise ExportError(file, "has no worksheet")
    names = ", ".join(repr(ws.title) for ws in sheets)
    every = isinstance(sheet, str) and sheet.strip().casefold() == "all"
    if sheet is None or every:
        wanted = sheets
    else:
        asked = [sheet] if isinstance(sheet, str) else list(sheet)
        by_title = {ws.title: ws for ws in sheets}
        missing = [name for name in asked if name not in by_title]
        if missing:
            raise ExportError(
                file, f"has no worksheet {', '.join(map(repr, missing))} (worksheets: {names})"
            )
        wanted = [by_title[name] for name in dict.fromkeys(asked)]
    opened: list[ExportRows] = []
    unfit: list[tuple[str, str]] = []
    for index, worksheet in enumerate(wanted):
        # A worksheet asked for is read, or its failure is the load's; one only looked at (the
        # others with no sheet named, every one with "all") is passed over when it does not fit.
        looked_at = every or (sheet is None and index > 0)
        try:
            part = _sheet_rows(file, worksheet, lambda: None)
        except ExportError as exc:
            if not looked_at:
                raise
            unfit.append((worksheet.title, str(exc).removeprefix(f"{file}: ")))
            continue
        reason = fit(part.columns) if looked_at else None
        if reason is not None:
            unfit.append((worksheet.title, reason))
            continue
        opened.append(part)
    notes: list[str] = []
    if sheet is None and len(opened) > 1:
        others = ", ".join(repr(part.sheet) for part in opened[1:])
        notes.append(
            f"read worksheet {opened[0].sheet!r} only; {others} "
            f"{'holds' if len(opened) == 2 else 'hold'} the same kind of list and "
            f"{'was' if len(opened) == 2 else 'were'} not read (--sheet all reads every "
            "worksheet, --sheet NAME the ones named)"
        )
        opened = opened[:1]
    elif every:
        if not opened:
            reasons = "; ".join(f"{title!r}: {reason}" for title, reason in unfit)
            raise ExportError(file, f"no worksheet holds the columns needed ({reasons})")
        notes.extend(f"worksheet {title!r} was not read: {reason}" for title, reason in unfit)
    # The workbook is read from memory (read_bytes): nothing is left open when it is not
    # closed, and the worksheets are read one after another.
    return Export(tuple(opened), tuple(notes))


def _decode(raw: bytes, file: str, encoding: str | None) -> tuple[str, str, bool]:
    """The text, the codec's name, and whether the text holds bytes the codec could not
    decode (kept as lone surrogates)."""
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
    try:
        # Most files decode as they are; only one that does not is searched for escapes.
        return raw.decode(codec), codec, False
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode(codec, errors="surrogateescape")
        return text, codec, _UNDECODABLE.search(text) is not None
    except UnicodeDecodeError as exc:
        # What surrogateescape cannot keep: UTF-16 text cut off in the middle of a character
        # (an odd number of bytes), which is no row's fault but the whole file's.
        raise ExportError(
            file,
            f"cannot be read as {codec.upper()}: {exc.reason} at byte {exc.start:,} (a file "
            "that begins with a UTF-16 byte order mark must be UTF-16 throughout; save it "
            "again as UTF-8 or UTF-16)",
        ) from None


def _undecodable_problem(name: str, cell: str, codec: str) -> RowProblem:
    return RowProblem(
        name,
        display(cell),
        f"holds bytes that are not valid {codec}: save the export as CSV UTF-8, or give its "
        "encoding (Excel's plain CSV is usually cp1252)",
    )


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# A carriage return that does not end a line (before a line feed).
_LONE_CR = re.compile(r"\r(?!\n)")


def physical_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, split where a spreadsheet splits them
    (``\r\n``, ``\n``, ``\r``): what ``io.StringIO(text, newline="")`` yields, without the
    four bytes a character its buffer takes (a 1 GB export would need 4 GB more)."""
    if "\r" not in text or _LONE_CR.search(text) is None:
        # No carriage return alone (the usual file): lines end at line feeds. One search,
        # not the two counts of "\r" and "\r\n" it replaces (0.07 s against 0.18 s on
        # 120 MB of text whose every line ends in "\r\n").
        return _to_line_feeds(text)
    return (match.group() for match in _LINE.finditer(text))


def _to_line_feeds(text: str) -> Iterator[str]:
    find = text.find
    start = 0
    end = len(text)
    while start < end:
        stop = find("\n", start)
        if stop < 0:
            yield text[start:]
            return
        yield text[start : stop + 1]
        start = stop + 1


class _Lines:
    """An export's physical lines, read in order by :mod:`csv` and rewound after a record
    that cannot be read, so that parsing starts again on the line after the one it began on."""

    __slots__ = ("lines", "next")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.next = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.next >= len(self.lines):
            raise StopIteration
        line = self.lines[self.next]
        self.next += 1
        return line


def _cell_name(columns: Sequence[str], index: int) -> str:
    """The name of the column at 0-based ``index``: the header's, or its letter past it."""
    return columns[index] if index < len(columns) else f"(column {column_letter(index + 1)})"


@attrs.frozen
class _Broken:
    """Where and why a record breaks the quoting rules: the 0-based index of its cell, the
    cell's text on its first line, why, and the line (0-based) to read on from."""

    cell: int
    shown: str
    reason: str
    resume: int


def _broken_record(lines: list[str], first: int, delimiter: str, error: csv.Error) -> _Broken:
    """Why the record beginning on line ``first`` (0-based) cannot be read.

    Python's reader (strict) only says *that* a record is broken; this walks it again, across
    its lines, to say which cell and why, and where reading can go on: on the line after the
    one the record began on when a quote is out of place (the lines a stray quote would
    swallow are rows of their own), after the record when it is whole but a cell is too long.
    Only a broken record is walked."""
    limit = csv.field_size_limit()
    cell, number, at = 0, first, 0
    long_cell: tuple[int, str] | None = None
    while number < len(lines):
        text = lines[number]
        start = at
        if text.startswith('"', at):
            # A quoted cell: find its closing quote, on this line or a later one.
            opened, length, at = number, 0, at + 1
            while True:
                close = text.find('"', at)
                if close < 0:
                    length += len(text) - at
                    number += 1
                    if number >= len(lines):
                        shown = lines[opened][start:].split("\n", 1)[0].rstrip("\r")
                        return _Broken(cell, shown, _unclosed(opened, error, limit), first + 1)
                    text, at = lines[number], 0
                    continue
                length += close - at
                if text.startswith('""', close):
                    length += 1
                    at = close + 2
                    continue
                at = close + 1
                break
            following = text[at : at + 1]
            shown = lines[opened][start:].split("\n", 1)[0].rstrip("\r")
            if following not in ("", delimiter, "\r", "\n"):
                if number != opened:
                    return _Broken(
                        cell,
                        shown,
                        f"opens a quoted cell (line {opened + 1}) that the next quote, on line "
                        f"{number + 1}, does not end: the quote would swallow the lines between; "
                        "remove the stray quote, or write a quote inside a cell as two quotes",
                        first + 1,
                    )
                return _Broken(
                    cell,
                    shown[: at - start],
                    "has text after its closing quote: write a quote inside a quoted cell as two "
                    'quotes ("")',
                    first + 1,
                )
            if length > limit and long_cell is None:
                long_cell = (cell, shown[:80])
        else:
            ends = [i for i in (text.find(delimiter, at), len(text.rstrip("\r\n"))) if i >= 0]
            stop = min(ends)
            if stop - at > limit and long_cell is None:
                long_cell = (cell, text[at : at + 80])
            at = stop
        if text.startswith(delimiter, at):
            cell += 1
            at += 1
            continue
        # The record ends with this line.
        if long_cell is not None:
            return _Broken(*long_cell, _too_long(limit), number + 1)
        return _Broken(cell, text[start:at], f"cannot be read as CSV ({error})", number + 1)
    return _Broken(cell, "", f"cannot be read as CSV ({error})", first + 1)


def _unclosed(first: int, error: csv.Error, limit: int) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"opens a quoted cell (line {first + 1}) that runs on for more than {limit:,} "
            "characters without a closing quote: a stray quote swallowing the lines after it, "
            "or a cell too long to read"
        )
    return (
        f"opens a quoted cell (line {first + 1}) that no quote closes: the quote would swallow "
        "every line after it; remove the stray quote, or close it"
    )


def _too_long(limit: int) -> str:
    return f"holds more than {limit:,} characters, the most a CSV cell may hold here"


# Bytes that can be no part of a character no document may hold (see
# :func:`qaframework.io.values.forbidden_character`) in UTF-8 text: all but the ASCII control
# characters other than tab and line breaks, and 0xEF, which begins U+FFFE and U+FFFF (and a
# byte order mark). Lone surrogates come only from undecodable bytes, found apart.
_HARMLESS = bytes(b for b in range(256) if not ((b < 32 and b not in (9, 10, 13)) or b == 0xEF))


def _screened(raw: bytes, codec: str) -> bool:
    """Whether UTF-8 text holds no character that no document may hold, by its bytes."""
    if codec != "utf-8":
        return False
    left = raw.translate(None, _HARMLESS)
    return not left or (left == b"\xef" and raw.startswith(codecs.BOM_UTF8))


class _Records:
    """The records of a CSV text. :mod:`csv` parses them straight from the text until a
    record cannot be read; from then on from the list of the text's physical lines, rewound
    after each such record so that parsing starts again on the line after the one it began
    on (see :func:`_broken_record`)."""

    __slots__ = ("delimiter", "lines", "reader", "text")

    def __init__(self, text: str, delimiter: str) -> None:
        self.text = text
        self.delimiter = delimiter
        self.lines: _Lines | None = None
        # strict: a quote out of place is an error to report, not text to guess around.
        self.reader = csv.reader(physical_lines(text), delimiter=delimiter, strict=True)

    def position(self) -> int:
        """The 0-based index of the physical line the next record begins on."""
        return self.reader.line_num if self.lines is None else self.lines.next

    def count(self) -> int:
        """The physical lines of the text, once every record has been read."""
        return self.reader.line_num if self.lines is None else len(self.lines.lines)

    def broken(self, first: int, error: csv.Error, *, resume: bool = True) -> _Broken:
        """Why the record beginning on line ``first`` cannot be read; reading goes on where
        :func:`_broken_record` says when ``resume``."""
        if self.lines is None:
            # The physical lines, split where a spreadsheet splits them ("\r\n", "\n", "\r").
            self.lines = _Lines(list(physical_lines(self.text)))
            self.reader = csv.reader(self.lines, delimiter=self.delimiter, strict=True)
        broken = _broken_record(self.lines.lines, first, self.delimiter, error)
        if resume:
            self.lines.next = broken.resume
        return broken


def _open_csv(file: str, encoding: str | None, delimiter: str, max_bytes: int | None) -> ExportRows:
    raw = read_bytes(file, max_bytes)
    text, codec, undecodable = _decode(raw, file, encoding)
    clean = not undecodable and _screened(raw, codec)
    del raw
    try:
        source = _Records(text, delimiter)
    except (TypeError, csv.Error) as exc:
        raise ExportError(file, f"cannot be read as CSV: {exc}") from None
    del text
    record = 0
    header: list[str] | None = None
    while header is None:
        first = source.position()
        try:
            cells = next(source.reader)
        except StopIteration:
            raise ExportError(file, "has no header row (the file is empty)") from None
        except csv.Error as exc:
            broken = source.broken(first, exc, resume=False)
            raise ExportError(
                file,
                f"row {record + 1}: the header's cell {column_letter(broken.cell + 1)} "
                f"{broken.reason}",
            ) from None
        record += 1
        if not all(is_empty(c) for c in cells):
            header = cells
    if undecodable:
        for index, cell in enumerate(header, 1):
            if _UNDECODABLE.search(cell):
                problem = _undecodable_problem(f"(column {column_letter(index)})", cell, codec)
                raise ExportError(file, f"row {record}: header {problem}")
    columns, unnamed = name_columns(header, file, record)
    width = len(columns)

    def rows(export: ExportRows) -> Iterator[RawRow]:
        number = record
        while True:
            first = source.position()
            try:
                cells = next(source.reader)
            except StopIteration:
                export.lines = source.count()
                return
            except csv.Error as exc:
                number += 1
                broken = source.broken(first, exc)
                problem = RowProblem(
                    _cell_name(columns, broken.cell), display(broken.shown), broken.reason
                )
                yield RawRow(number, None, problem)
                continue
            number += 1
            # Blank unless its first cell is (as a row with an id is not): only then each.
            first_cell = cells[0] if cells else ""
            if (not first_cell or first_cell.isspace()) and all(
                not c or c.isspace() for c in cells
            ):
                export.blank_rows += 1
                continue
            if undecodable:
                bad = [
                    _undecodable_problem(_cell_name(columns, i), c, codec)
                    for i, c in enumerate(cells)
                    if _UNDECODABLE.search(c)
                ]
                if bad:
                    yield RawRow(number, None, bad[0])
                    continue
            if len(cells) > width:
                extra = [
                    (i, c) for i, c in enumerate(cells[width:], width) if c and not c.isspace()
                ]
                if extra:
                    index, cell = extra[0]
                    yield RawRow(
                        number,
                        None,
                        RowProblem(
                            _cell_name(columns, index),
                            display(cell),
                            f"a value in a column the header row does not name (the row has "
                            f"{len(cells)} cells, the header {width})",
                        ),
                    )
                    continue
            if unnamed:
                export._note_unnamed(cells)
            yield RawRow(number, cells=cells, columns=columns)

    export = ExportRows(file, "csv", columns, rows, unnamed=unnamed)
    export.clean = clean
    return export


def _workbook(file: str, max_bytes: int | None, reader: str | None = None) -> Any:
    """The workbook in ``file``, opened read-only with each cell's last calculated value:
    by calamine when it is the reader chosen (:func:`choose_reader`) and it vouches for the
    workbook, else by openpyxl."""
    import zipfile

    from openpyxl import load_workbook

    raw = read_bytes(file, max_bytes)
    limit = export_limit(max_bytes)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ExportError(file, f"cannot be read as an .xlsx workbook: {exc}") from None
    if unpacked > limit:
        raise ExportError(
            file,
            f"would unpack to {unpacked:,} bytes, more than the limit of {limit:,}: split it, "
            "or raise the limit (QAFRAMEWORK_MAX_EXPORT_BYTES, or --max-size)",
        )
    if choose_reader(reader, file) == "calamine":
        fast = open_fast(raw)
        if fast is not None:
            return fast
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    # openpyxl reports a damaged or foreign file through zipfile, XML and KeyError
    # exceptions alike; every one means the same thing to the user.
    except Exception as exc:
        raise ExportError(file, f"cannot be read as an .xlsx workbook: {exc}") from None


def _damaged(file: str, title: str, number: int, exc: Exception) -> ExportError:
    reason = str(exc).strip() or type(exc).__name__
    return ExportError(
        file,
        f"sheet {title!r}, row {number}: the workbook is damaged and cannot be read from this "
        f"row on ({reason}); open it in Excel and save it again",
    )


def _open_xlsx(
    file: str, sheet: str | None, max_bytes: int | None, reader: str | None
) -> ExportRows:
    workbook = _workbook(file, max_bytes, reader)
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
        return _sheet_rows(file, worksheet, workbook.close)
    except BaseException:
        workbook.close()
        raise


def _sheet_rows(file: str, worksheet: Any, close: Callable[[], None]) -> ExportRows:
    """The rows of one worksheet; ``close`` is called once they have been read."""
    title = worksheet.title
    max_row = worksheet.max_row
    max_column = worksheet.max_column
    # A sheet's <dimension> is written by whatever saved the file and may understate it:
    # read-only mode would then cut rows and columns off. Every row is read as it is.
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    cells_by_row = worksheet.iter_rows(values_only=True)
    number = 0
    header: tuple[object, ...] | None = None
    try:
        for cells in cells_by_row:
            number += 1
            if not all(is_empty(c) for c in cells):
                header = cells
                break
    except Exception as exc:
        raise _damaged(file, title, number + 1, exc) from None
    if header is None:
        raise ExportError(file, f"sheet {title!r} has no header row (it is empty)")
    if isinstance(max_column, int) and len(header) < max_column:
        # Columns the sheet says it has are columns, named or not, as a spreadsheet shows.
        header = header + (None,) * (max_column - len(header))
    columns, unnamed = name_columns(header, file, number)
    width = len(columns)
    header_row = number

    def rows(export: ExportRows) -> Iterator[RawRow]:
        number = header_row
        try:
            while True:
                try:
                    cells = next(cells_by_row)
                except StopIteration:
                    export.lines = number
                    return
                except Exception as exc:
                    raise _damaged(file, title, number + 1, exc) from None
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
                if len(cells) < width:
                    cells = (*cells, *(None,) * (width - len(cells)))
                if unnamed:
                    export._note_unnamed(cells)
                yield RawRow(number, cells=cells, columns=columns)
        finally:
            close()

    hint = max_row - header_row if isinstance(max_row, int) and max_row > header_row else None
    export = ExportRows(file, "xlsx", columns, rows, unnamed=unnamed, size_hint=hint)
    export.sheet = title
    export.reader = getattr(worksheet, "reader", "openpyxl")
    export.clean = getattr(worksheet, "clean", False)
    return export
