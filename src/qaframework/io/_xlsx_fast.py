"""The fast XLSX reader: a workbook's cells read by python-calamine (the ``xlsx`` extra),
given exactly as openpyxl's reading gives them.

:func:`open_fast` opens a workbook that today's reader (openpyxl, read-only, each cell's last
calculated value; see :mod:`qaframework.io.rows`) would read, and gives an object that
:mod:`qaframework.io.rows` reads the same way: the same worksheets, in the same order, by
the same names (openpyxl's own code reads the workbook's structure: its parts, sheets,
styles and date system), each worksheet's rows cell for cell what openpyxl gives. calamine
reads the cells; they are then mapped to openpyxl's values: an empty cell is None (calamine
gives ``''``), a whole number is an int (calamine gives a float), a date is a ``datetime``
at midnight (calamine gives a ``date``). The rows after the last cell (blank rows a sheet
still lists) are counted as openpyxl counts them, and a worksheet's size is the one its
``<dimension>`` gives openpyxl.

It vouches only for what it has checked to read the same: a workbook holding anything else
gives None, and the caller reads it with openpyxl. Declined are, among others: error cells
(``#N/A``: calamine gives ``''``), ISO date cells, numbers written with a decimal point or
an exponent that are whole (openpyxl gives ``1.0`` for ``1.0`` and ``1`` for ``1``), whole
numbers beyond 2**53, text that is not a number in a number cell, empty strings,
``_xHHHH_`` escapes (calamine decodes them, openpyxl keeps them), text with leading or
trailing white space not marked to be preserved (calamine trims it), phonetic runs, number
formats outside :data:`NUMBER_FORMATS` and :data:`DATE_FORMATS`, negative or far-future
serials, ones a millisecond from midnight and ones whose time of day is within a hair of
half a millisecond where a date format is used, the 1904 date system, cells or rows
without their reference or out of order, prefixed or foreign XML namespaces, a document
type declaration, XML openpyxl's parser would refuse, and any
workbook calamine cannot read (a damaged one is then reported by openpyxl's path, in the
same words as ever).

The sheet's values are held in memory once read (openpyxl streams them), equal texts as one
object (up to :data:`~qaframework.io._fast_rows.CACHE_LIMIT` of them, as the CSV readers
share theirs); the sheet's document is read into one buffer of its size, checked a block of
rows at a time, and let go before calamine reads the cells. What a load keeps of them is the
loaded records either way.
"""

from __future__ import annotations

import functools
import io
import math
import operator
import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from itertools import accumulate, chain, compress, islice, repeat
from typing import Any, cast

from qaframework.io._export import asked_choice
from qaframework.io._fast_rows import CACHE_LIMIT
from qaframework.io.errors import ExportError

__all__ = [
    "DATE_FORMATS",
    "DURATION_FORMATS",
    "NUMBER_FORMATS",
    "READERS",
    "READER_VARIABLE",
    "FastWorkbook",
    "calamine_available",
    "choose_reader",
    "open_fast",
]

READERS = ("auto", "calamine", "openpyxl")
"""How an XLSX export may be read: ``calamine`` (the fast reader, the ``xlsx`` extra),
``openpyxl``, ``auto`` (calamine when installed and the workbook is one it vouches for)."""

READER_VARIABLE = "QAFRAMEWORK_XLSX_READER"
"""The environment variable giving the XLSX reader when none is named."""

NUMBER_FORMATS = frozenset(
    {
        "General",
        "0",
        "0.00",
        "#,##0",
        "#,##0.00",
        "0%",
        "0.00%",
        "0.00E+00",
        "@",
        "#,##0 ;(#,##0)",
        "#,##0 ;[Red](#,##0)",
        "#,##0.00;(#,##0.00)",
        "#,##0.00;[Red](#,##0.00)",
        "##0.0E+0",
        "0.0",
        "0.000",
    }
)
"""Number formats both readers read as numbers (checked by the tests, cell by cell)."""

DATE_FORMATS = frozenset(
    {
        "mm-dd-yy",
        "d-mmm-yy",
        "d-mmm",
        "mmm-yy",
        "h:mm AM/PM",
        "h:mm:ss AM/PM",
        "h:mm",
        "h:mm:ss",
        "m/d/yy h:mm",
        "mm:ss",
        "[h]:mm:ss",
        "[hh]:mm:ss",
        "[h]:mm",
        "yyyy-mm-dd",
        "yyyy-mm-dd h:mm:ss",
        "yyyy-mm-dd hh:mm:ss",
        "yyyy-mm-dd hh:mm",
        "dd/mm/yyyy",
        "dd/mm/yy",
        "d/m/yyyy",
        "dd-mm-yyyy",
        "dd/mm/yyyy hh:mm",
        "dd/mm/yyyy hh:mm:ss",
        "dd mmm yyyy",
        "d mmmm yyyy",
    }
)
"""Date and time formats both readers read as the same dates and times (checked by the
tests, value by value)."""

DURATION_FORMATS = frozenset({"[h]:mm:ss", "[hh]:mm:ss", "[h]:mm"})
"""The formats of :data:`DATE_FORMATS` that calamine reads as durations (``timedelta``),
vouched for only where openpyxl does too."""

_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_SHARED_STRINGS = "xl/sharedStrings.xml"


class _Declined(Exception):
    """The workbook holds something the fast reader does not vouch for."""


def calamine_available() -> bool:
    """Whether python-calamine can be imported (the ``xlsx`` extra is installed)."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def choose_reader(reader: str | None, file: str) -> str:
    """``calamine`` or ``openpyxl``: the reader asked for (``reader``, else the
    environment's :data:`READER_VARIABLE`, else ``auto``), ``auto`` being ``calamine`` when
    it is installed. :class:`~qaframework.io.errors.ExportError` for a reader not in
    :data:`READERS`, and for ``calamine`` without it. Even with ``calamine`` a workbook it
    does not vouch for is read by openpyxl."""
    chosen = asked_choice(
        reader, READER_VARIABLE, READERS, argument="xlsx_reader", what="XLSX reader", file=file
    )
    if chosen == "openpyxl":
        return "openpyxl"
    if calamine_available():
        return "calamine"
    if chosen == "calamine":
        raise ExportError(
            file,
            "cannot be read with the calamine reader: python-calamine is not installed "
            "(pip install 'qaframework[xlsx]')",
        )
    return "openpyxl"


class FastSheet:
    """One worksheet read by calamine, read as :mod:`qaframework.io.rows` reads an
    openpyxl read-only worksheet."""

    reader = "calamine"
    clean = True
    """No cell holds a character no document may hold (see
    :attr:`~qaframework.io._export.ExportRows.clean`): the XML passed the parser's check,
    which refuses them, and no ``_xHHHH_`` escape (the only way to write one) was let
    through."""

    def __init__(
        self,
        title: str,
        rows: list[tuple[object, ...]],
        max_row: int | None,
        max_column: int | None,
    ) -> None:
        self.title = title
        self.max_row = max_row
        self.max_column = max_column
        self._rows = rows

    def reset_dimensions(self) -> None:
        """Nothing to do: every row is read as it is."""

    def iter_rows(self, *, values_only: bool = True) -> Iterator[tuple[object, ...]]:
        """The rows, each a tuple of the values openpyxl gives, from row 1 to the last row
        the sheet lists; held rows are let go as they are read."""
        assert values_only
        rows = self._rows
        self._rows = []
        rows.reverse()
        while rows:
            yield rows.pop()


class _Chart:
    """A chart sheet: a sheet name with no cells (openpyxl's has no ``iter_rows``)."""

    def __init__(self, title: str) -> None:
        self.title = title


class FastWorkbook:
    """A workbook read by calamine: ``worksheets`` (the sheets with cells, in order),
    ``sheetnames`` (every sheet, chart sheets too) and sheets by name, as openpyxl's."""

    reader = "calamine"

    def __init__(self, sheets: Sequence[FastSheet | _Chart]) -> None:
        self._sheets = list(sheets)
        self.worksheets = [s for s in self._sheets if isinstance(s, FastSheet)]
        self.sheetnames = [s.title for s in self._sheets]

    def __getitem__(self, name: str) -> FastSheet | _Chart:
        for sheet in self._sheets:
            if sheet.title == name:
                return sheet
        raise KeyError(name)

    def close(self) -> None:
        """Let the rows go."""
        for sheet in self.worksheets:
            sheet._rows = []


def open_fast(raw: bytes) -> FastWorkbook | None:
    """The workbook in ``raw`` read by calamine, or None when the fast reader does not vouch
    for it (see the module's rules): the caller then reads it with openpyxl, which says
    what is wrong with a damaged one."""
    try:
        return _open(raw)
    except _Declined:
        return None
    # Anything calamine or the structure's reading refuses: openpyxl's path reads the file
    # again and reports it in its own words.
    except Exception:
        return None


@functools.cache
def _openpyxl_durations() -> bool:
    """Whether openpyxl's read-only reading gives a duration format's cell as a duration
    (3.1.5 does; 3.1.0 gives a date): asked of openpyxl once, with a one-cell workbook."""
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = 1.25
    sheet["A1"].number_format = "[h]:mm:ss"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    read = load_workbook(buffer, read_only=True, data_only=True)
    value = next(read.worksheets[0].iter_rows(values_only=True))[0]
    read.close()
    return isinstance(value, timedelta)


# -- the workbook's structure, read by openpyxl's own code --------------------------------


def _structure(raw: bytes) -> Any:
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Structure(ExcelReader):
        """openpyxl's reading of a workbook, but for the cells: the shared strings and the
        worksheets' rows are left to calamine."""

        strings_path: str | None = None
        found: list[tuple[str, str | None]]

        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
            self.strings_path = part.PartName[1:] if part is not None else None

        def read_worksheets(self) -> None:
            # What openpyxl's read-only reading does for each sheet, but for its cells.
            self.found = []
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)  # type: ignore[arg-type]
                    self.found.append((sheet.name, None))
                    continue
                rels_path = get_rels_path(rel.target)  # type: ignore[no-untyped-call]
                if rels_path in self.valid_files:
                    get_dependents(self.archive, rels_path)
                self.found.append((sheet.name, rel.target))

    structure = Structure(io.BytesIO(raw), read_only=True, data_only=True)
    structure.read()
    return structure


def _open(raw: bytes) -> FastWorkbook:
    from openpyxl.styles.numbers import BUILTIN_FORMATS
    from openpyxl.utils.datetime import WINDOWS_EPOCH

    structure = _structure(raw)
    workbook = structure.wb
    if workbook.epoch != WINDOWS_EPOCH:
        raise _Declined("the 1904 date system")
    archive: zipfile.ZipFile = structure.archive
    names = set(archive.namelist())
    if structure.strings_path != (_SHARED_STRINGS if _SHARED_STRINGS in names else None):
        raise _Declined("shared strings elsewhere than calamine looks")
    if structure.strings_path is not None:
        _vouch_strings(archive.read(structure.strings_path))
    # Older openpyxl releases (3.1.0 among them) read a duration ([h]:mm:ss) as a date,
    # calamine as a duration: a duration format is vouched for only where openpyxl's cell
    # reader reads it as one.
    durations: Collection[int] = (
        getattr(workbook, "_timedelta_formats", frozenset()) if _openpyxl_durations() else ()
    )
    codes: list[str | None] = []
    for index, style in enumerate(workbook._cell_styles):
        number = style.numFmtId
        if number < 164:
            code = BUILTIN_FORMATS.get(number)
        else:
            code = workbook._number_formats[number - 164]
        codes.append(None if code in DURATION_FORMATS and index not in durations else code)

    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
    if [m.name for m in book.sheets_metadata] != [name for name, _ in structure.found]:
        raise _Declined("the sheets differ")
    sheets: list[FastSheet | _Chart] = []
    # Equal texts one object across the workbook (up to CACHE_LIMIT of them): calamine
    # gives each cell a string of its own.
    texts: dict[str, str] = {}
    for name, target in structure.found:
        if target is None:
            sheets.append(_Chart(name))
            continue
        scan = _vouch_sheet(_read_part(archive, target), codes)
        # The document is let go before calamine's cells are read: the two are never held
        # at once.
        sheet = book.get_sheet_by_name(name)
        start = sheet.start
        rows = _rows(sheet.iter_rows(), start[1] if start is not None else 0, scan, texts)
        sheets.append(FastSheet(name, rows, scan.max_row, scan.max_column))
    book.close()
    return FastWorkbook(sheets)


# -- what is checked in the XML -------------------------------------------------------------
#
# Each check is a search of the whole document, and a search costs a pass over it (28 MB for
# 10,000 audits): the checks are as few passes as they can be, each beginning with a fixed
# byte or bytes the regular expression engine skips to.

# Elements declined, all found in one pass over the document's '<': empty text (openpyxl
# gives '', calamine an empty cell); text with white space at either end not marked
# xml:space="preserve" (calamine trims it; the text is read to its end once, never again
# backwards); phonetic runs; a document type declaration.
_DECLINED = re.compile(
    rb"<(?:"
    rb"t(?: ?/>|>(?:</t>|\s|[^<]*+(?<=\s)</t>))"
    rb"|si(?: ?/>|></si>)"
    rb"|is(?: ?/>|></is>)"
    rb"|rPh"
    rb"|!DOCTYPE|!ENTITY"
    rb")"
)
# Empty text marked to be preserved.
_EMPTY_PRESERVED = re.compile(rb'preserve"(?: ?/>|></t>)')
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
# Prefixed forms of the elements read: a document whose elements the checks below would not
# see (openpyxl and calamine read them, but the checks are on the plain names).
_PREFIXED = re.compile(rb":(?:c|v|f|row|is|si|sst|t|r|sheetData)[\s/>]")
# A cell type other than these (b'': an error, an ISO date or an unknown type), and each cell
# style, in one pass.
_TYPES_AND_STYLES = re.compile(
    rb' (?:t="(?!s"|b"|str"|inlineStr"|n"|shared"|array"|dataTable"|normal")|s="(\d+)")'
)
# A <v> holding anything but a whole number of at most six digits: where there is none (shared
# strings' indexes, dates, counts), no number check can find anything.
_NOT_SMALL = re.compile(rb"<v>(?!\d{1,6}</v>)")
# Each <v>'s text (up to the next '<') and whether </v> closes it: the number checks are made
# on each distinct text once, not by a search of the document each.
_VALUE = re.compile(rb"<v>([^<]*+)(</v>|)")
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:E[+-]?\d+)?")
_DECIMAL = re.compile(rb"-?\d+(?:\.\d+)?E[+-]?\d+|-?\d+\.\d+")
_LONG = re.compile(rb"-?\d{16,}")
_FAR = re.compile(rb"\d{7,}")
_NEAR_MIDNIGHT = re.compile(rb"\.\d*9{7}")
# Each row with its number (None when it has none), and each cell with its reference (b''
# when it has none, or '<c' begins another element).
_ROW = re.compile(rb'<row(?: r="(\d+)")?')
_CELL_OR_NOT = re.compile(rb'<c(?: r="([A-Z]{1,3}\d+)")?')
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_NOT_A_CELL = re.compile(rb"<c(?! )")
_ROW_NUMBER = re.compile(rb'(\d+)"')
_DIMENSION = re.compile(rb'<dimension\s+ref="([^"]*)"\s*/?>')
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _vouch_xml(xml: bytes | bytearray, what: str) -> None:
    import pyexpat

    if _MAIN not in xml[:2000]:
        raise _Declined(f"{what}: not the main namespace as the default")
    found = _DECLINED.search(xml)
    if found is not None:
        raise _Declined(
            f"{what}: {found.group()[:20]!r} (empty text, white space calamine "
            "trims, phonetic runs or a document type declaration)"
        )
    if _EMPTY_PRESERVED.search(xml):
        raise _Declined(f"{what}: empty text")
    if _PREFIXED.search(xml):
        raise _Declined(f"{what}: prefixed elements")
    if _ESCAPE.search(xml):
        raise _Declined(f"{what}: _xHHHH_ escapes")
    # The parser openpyxl's reading uses (ElementTree's, expat): what it refuses, openpyxl
    # reports as a damaged workbook.
    parser = pyexpat.ParserCreate()
    try:
        parser.Parse(xml, True)
    except pyexpat.ExpatError:
        raise _Declined(f"{what}: XML openpyxl refuses") from None


def _vouch_strings(xml: bytes) -> None:
    _vouch_xml(xml, "shared strings")


class _Scan:
    """What a worksheet's XML says: whether a date format is used, the number of its last
    row, the width of each row (its last cell's column, as openpyxl gives the row), and its
    size by its ``<dimension>``."""

    __slots__ = ("dates", "last_row", "max_column", "max_row", "widths")

    def __init__(
        self,
        dates: bool,
        last_row: int,
        widths: dict[int, int],
        max_row: int | None,
        max_column: int | None,
    ) -> None:
        self.dates = dates
        self.last_row = last_row
        self.widths = widths
        self.max_row = max_row
        self.max_column = max_column


def _vouch_sheet(xml: bytes | bytearray, codes: Sequence[str | None]) -> _Scan:
    from openpyxl.utils.cell import range_boundaries

    _vouch_xml(xml, "worksheet")
    styles = set(_TYPES_AND_STYLES.findall(xml))
    if b"" in styles:
        raise _Declined("error, date or unknown cell types")
    negative = far = halfway = False
    values = set(_VALUE.findall(xml)) if _NOT_SMALL.search(xml) else ()
    for text, closed in values:
        # Text in a number cell (openpyxl refuses it), or a formula's text result (declined:
        # a cell's type is not checked cell by cell).
        if not closed or _NUMBER.fullmatch(text) is None:
            raise _Declined("text in a <v>")
        if _LONG.fullmatch(text) and abs(int(text)) > 2**53:
            raise _Declined("a whole number a float cannot hold")
        decimal = _DECIMAL.fullmatch(text) is not None
        if decimal and float(text).is_integer():
            raise _Declined("a whole number written as a decimal")
        negative = negative or text.startswith(b"-")
        far = far or _FAR.match(text) is not None
        halfway = halfway or (decimal and _halfway(text))
    dates = False
    for style in set(map(int, styles)):
        if style >= len(codes):
            raise _Declined("a cell style the workbook does not have")
        code = codes[style]
        if code in DATE_FORMATS:
            dates = True
        elif code not in NUMBER_FORMATS:
            raise _Declined(f"number format {code!r}")
    if dates and (negative or far or halfway or _NEAR_MIDNIGHT.search(xml)):
        raise _Declined("a serial outside what both readers convert the same")
    # The sheet's size as openpyxl's read-only reading takes it: from a <dimension> before
    # the cells, else none.
    data = xml.find(b"<sheetData")
    if data < 0:
        raise _Declined("no <sheetData>")
    max_row = max_column = None
    dimension = _DIMENSION.search(xml, 0, data)
    if dimension is not None:
        try:
            _, _, max_column, max_row = range_boundaries(dimension.group(1).decode())
        except (ValueError, TypeError, UnicodeDecodeError):
            raise _Declined("a <dimension> openpyxl refuses") from None
    elif b"<dimension" in xml[:data]:
        raise _Declined("a <dimension> in another form")
    last, widths = _cells_in_order(xml, data)
    return _Scan(dates, last, widths, max_row, max_column)


def _halfway(text: bytes) -> bool:
    """Whether a serial's time of day is within a hundredth of a millisecond of half a
    millisecond: openpyxl rounds the day's fraction to the millisecond, calamine the whole
    serial, and the two roundings' float errors (about a thousandth of a millisecond) can
    fall either side of the half there (0.5535 s: openpyxl 553 ms, calamine 554)."""
    value = float(text)
    milliseconds = (value - math.floor(value)) * 86_400_000
    return abs(milliseconds - math.floor(milliseconds) - 0.5) < 0.01


def _cells_in_order(xml: bytes | bytearray, data: int) -> tuple[int, dict[int, int]]:
    """Each row by its number, in order, and its cells in order, each cell in its row:
    openpyxl places a cell by its row element and its place in it, calamine by its
    reference. The number of the last row and each row's width (its last cell's column).

    Checked a block of :data:`_ROWS_AT_ONCE` rows at a time (the lists of a block's cells,
    not the whole sheet's, are held at once) where every '<c' after the first row is a cell
    with its reference and none comes before it; a sheet laid out otherwise is checked row
    by row (:func:`_cells_row_by_row`), which decides the same in every case."""
    rows = [(found.start(), found.group(1)) for found in _ROW.finditer(xml, data)]
    if not rows:
        if _CELL.search(xml, data):
            raise _Declined("a cell outside a row")
        return 0, {}
    starts = [start for start, _ in rows]
    digits = [number for _, number in rows]
    del rows
    if None in digits:
        raise _Declined("a row without its number")
    numbers = list(map(int, digits))
    if numbers[0] < 1 or not all(map(operator.lt, numbers, islice(numbers, 1, None))):
        raise _Declined("rows out of order")
    first = starts[0]
    if xml.find(b"<c", data, first) >= 0:
        return _laid_out_otherwise(xml, data, first)
    stops = [*starts[1:], len(xml)]
    columns: dict[bytes, int] = {}
    widths: dict[int, int] = {}
    for low in range(0, len(starts), _ROWS_AT_ONCE):
        high = low + _ROWS_AT_ONCE
        in_rows = list(map(_CELL_OR_NOT.findall, repeat(xml), starts[low:high], stops[low:high]))
        refs = list(chain.from_iterable(in_rows))
        if b"" in refs:
            return _laid_out_otherwise(xml, data, first)
        # Every '<c' of the block is now a cell with its reference, in the row it is
        # written in.
        counts = list(map(len, in_rows))
        del in_rows
        letters = list(map(bytes.rstrip, refs, repeat(b"0123456789")))
        if list(map(bytes.lstrip, refs, repeat(_LETTERS))) != list(
            chain.from_iterable(map(repeat, digits[low:high], counts))
        ):
            raise _Declined("a cell out of its row")
        del refs
        for column in set(letters).difference(columns):
            columns[column] = _column(column)
        places = list(map(columns.__getitem__, letters))
        # A cell whose column is not left of the next cell's: that next cell must begin a
        # row. A block ends with a row's last cell, so the pair across two blocks is one.
        ends = list(accumulate(counts))
        turns = compress(range(len(places)), map(operator.ge, places, islice(places, 1, None)))
        if not {end - 1 for end in ends}.issuperset(turns):
            raise _Declined("cells out of order")
        widths.update(
            (number, places[end - 1])
            for number, held, end in zip(numbers[low:high], counts, ends, strict=True)
            if held
        )
    return numbers[-1], widths


_ROWS_AT_ONCE = 4096
"""How many rows' cells :func:`_cells_in_order` checks at once."""


def _laid_out_otherwise(
    xml: bytes | bytearray, data: int, first: int
) -> tuple[int, dict[int, int]]:
    """A sheet with a '<c' that is not a cell with its reference, or one before the first
    row: declined when a row holds an element other than a cell (a <cfRule> after the
    cells, say) whichever way the rows are checked, else checked row by row."""
    if _NOT_A_CELL.search(xml, first):
        raise _Declined("an element other than a cell, or a cell without its reference")
    return _cells_row_by_row(xml, data)


def _column(letters: bytes) -> int:
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(letters.decode())


def _cells_row_by_row(xml: bytes | bytearray, data: int) -> tuple[int, dict[int, int]]:
    """:func:`_cells_in_order`'s checks made row by row: for a sheet with a '<c' that is
    not a cell with its reference, or one before the first row."""
    chunks = xml[data:].split(b"<row")[1:]
    last = 0
    widths: dict[int, int] = {}
    refs = _CELL.findall(xml, data)
    at = 0
    for chunk in chunks:
        if not chunk.startswith(b' r="'):
            raise _Declined("a row without its number, first")
        found = _ROW_NUMBER.match(chunk, 4)
        if found is None:
            raise _Declined("a row without its number")
        number = int(found.group(1))
        if number <= last:
            raise _Declined("rows out of order")
        last = number
        count = chunk.count(b"<c")
        if not count:
            continue
        mine = refs[at : at + count]
        at += count
        if len(mine) != count or chunk.count(b"<c ") != count:
            raise _Declined("a cell without its reference")
        letters, numbers = map(list, zip(*mine, strict=True))
        if numbers.count(found.group(1)) != count:
            raise _Declined("a cell out of its row")
        if len(set(map(len, letters))) == 1:
            ordered = sorted(set(letters))
        else:
            ordered = sorted(set(letters), key=lambda x: (len(x), x))
        if ordered != letters:
            raise _Declined("cells out of order")
        widths[number] = _column(letters[-1])
    if at != len(refs):
        raise _Declined("a cell outside a row")
    return last, widths


# -- the values -------------------------------------------------------------------------------

_EPOCH = datetime(1899, 12, 30)


def _read_part(archive: zipfile.ZipFile, name: str) -> bytearray:
    """A part of the workbook read into one buffer of the size its entry declares, a
    mebibyte at a time (``ZipFile.read`` holds about twice the part while it grows it: a
    worksheet of 100,000 audits is 270 MB); the archive's own checks (its CRC) are made
    at the end. The declared sizes were checked against the export limit before."""
    info = archive.getinfo(name)
    buffer = bytearray(info.file_size)
    view = memoryview(buffer)
    filled = 0
    # A ZipExtFile, a buffered reader (typed as the plain IO it is opened as).
    with cast(io.BufferedIOBase, archive.open(info)) as part:
        while filled < info.file_size:
            read = part.readinto(view[filled : filled + _PART_CHUNK])
            if not read:
                raise _Declined("a part shorter than its entry says")
            filled += read
        if part.read(1):
            raise _Declined("a part longer than its entry says")
    view.release()
    return buffer


_PART_CHUNK = 1 << 20


def _rows(
    cells: Iterator[list[Any]], left: int, scan: _Scan, texts: dict[str, str]
) -> list[tuple[object, ...]]:
    """calamine's rows (each from column ``left``, where its cells begin) as openpyxl gives
    them: each as wide as its last cell's column, up to the last row the sheet lists. Equal
    texts are one object, kept in ``texts`` up to :data:`CACHE_LIMIT` of them."""
    out: list[tuple[object, ...]] = []
    append = out.append
    str_, float_, bool_, int_ = str, float, bool, int
    dates = scan.dates
    widths = scan.widths
    padding: list[Any] = [""] * left
    shared = texts.get
    for number in range(1, scan.last_row + 1):
        row = next(cells, [])
        if left and row:
            row = padding + row
        width = widths.get(number, 0)
        if not width:
            append(())
            continue
        values: list[object] = []
        add = values.append
        for value in row[:width]:
            kind = type(value)
            if kind is str_:
                if not value:
                    add(None)
                    continue
                found = shared(value)
                if found is None:
                    found = value
                    if len(texts) < CACHE_LIMIT:
                        texts[value] = value
                add(found)
            elif kind is float_:
                add(int(value) if value.is_integer() else value)
            elif kind is bool_ or kind is int_:
                add(value)
            else:
                add(_when(value, dates))
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        append(tuple(values))
    if next(cells, None) is not None:
        raise _Declined("calamine read more rows than the sheet lists")
    return out


def _when(value: object, dates: bool) -> object:
    """A date or time as openpyxl gives it."""
    if not dates:
        raise _Declined("a date where no date format is used")
    if type(value) is date:
        value = datetime(value.year, value.month, value.day)
    if type(value) is datetime:
        if value < datetime(1900, 1, 1):
            raise _Declined("a date before 1900")
        return value
    if type(value) is time or type(value) is timedelta:
        return value
    raise _Declined(f"a value of type {type(value).__name__}")
