"""The fast XLSX reader's checks as they were before they were made cheaper (several
checks in one pass over the document, the rows and cells checked for the whole sheet at
once), kept verbatim as the oracle of ``tests/test_io_xlsx_fast.py``: the reader's checks
must vouch for and decline exactly the worksheets and shared strings these did, with the
same findings (dates used, last row, row widths, size).

One rule was added to both after they were kept: a sheet using a date format with a serial
whose time of day is within a hundredth of a millisecond of half a millisecond is declined
(openpyxl and calamine round it apart; see ``_halfway``), written here in its own words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qaframework.io._xlsx_fast import (
    _MAIN,
    DATE_FORMATS,
    NUMBER_FORMATS,
    _Declined,
    _Scan,
)

_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
# Prefixed forms of the elements read: a document whose elements the checks below would not
# see (openpyxl and calamine read them, but the checks are on the plain names). Each pattern
# begins with a literal, which the regular expression engine finds fast.
_PREFIXED = re.compile(rb":(?:c|v|f|row|is|si|sst|t|r|sheetData)[\s/>]")
# Empty text: openpyxl gives '', calamine an empty cell.
_EMPTY_TEXT = tuple(
    re.compile(pattern)
    for pattern in (
        rb"<t(?: ?/>|></t>)",
        rb"<si(?: ?/>|></si>)",
        rb"<is(?: ?/>|></is>)",
        rb'preserve"(?: ?/>|></t>)',
    )
)
# White space at either end of a text not marked xml:space="preserve": calamine trims it.
# Trailing white space is looked for in the reversed document (a literal first), and only
# where some is found, whether its text is marked.
_LEADING_SPACE = re.compile(rb"<t>\s")
_TRAILING_SPACE_REVERSED = re.compile(rb">t/<\s")
_UNTRIMMED = re.compile(rb"<t>[^<]*\s</t>")
_TYPES = re.compile(rb' t="(?!s"|b"|str"|inlineStr"|n"|shared"|array"|dataTable"|normal")')
_STYLES = re.compile(rb' s="(\d+)"')
# A <v> whose text is not a plain number: text in a number cell (openpyxl refuses it), or a
# formula's text result (declined: a cell's type is not checked cell by cell).
_NOT_A_NUMBER = re.compile(rb"<v>(?!-?\d+(?:\.\d+)?(?:E[+-]?\d+)?</v>)")
_DECIMAL = re.compile(rb"<v>(-?\d+(?:\.\d+)?E[+-]?\d+|-?\d+\.\d+)</v>")
_LONG = re.compile(rb"<v>(-?\d{16,})</v>")
_NEGATIVE = re.compile(rb"<v>-")
_FAR = re.compile(rb"<v>\d{7,}")
_NEAR_MIDNIGHT = re.compile(rb"\.\d*9{7}")
_ROW_NUMBER = re.compile(rb'(\d+)"')
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_DIMENSION = re.compile(rb'<dimension\s+ref="([^"]*)"\s*/?>')


def _halfway(text: bytes) -> bool:
    """A decimal serial whose milliseconds of the day end within 0.01 of a half."""
    day_fraction = float(text) % 1
    milliseconds = day_fraction * 86_400_000
    return abs(milliseconds % 1 - 0.5) < 0.01


def vouch_xml(xml: bytes, what: str) -> None:
    import pyexpat

    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise _Declined(f"{what}: a document type declaration")
    if _MAIN not in xml[:2000]:
        raise _Declined(f"{what}: not the main namespace as the default")
    if _PREFIXED.search(xml):
        raise _Declined(f"{what}: prefixed elements")
    if _ESCAPE.search(xml):
        raise _Declined(f"{what}: _xHHHH_ escapes")
    if any(pattern.search(xml) for pattern in _EMPTY_TEXT):
        raise _Declined(f"{what}: empty text")
    if _LEADING_SPACE.search(xml) or (
        _TRAILING_SPACE_REVERSED.search(xml[::-1]) and _UNTRIMMED.search(xml)
    ):
        raise _Declined(f"{what}: white space calamine trims")
    if b"<rPh" in xml:
        raise _Declined(f"{what}: phonetic runs")
    # The parser openpyxl's reading uses (ElementTree's, expat): what it refuses, openpyxl
    # reports as a damaged workbook.
    parser = pyexpat.ParserCreate()
    try:
        parser.Parse(xml, True)
    except pyexpat.ExpatError:
        raise _Declined(f"{what}: XML openpyxl refuses") from None


def vouch_sheet(xml: bytes, codes: Sequence[str | None]) -> _Scan:
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    vouch_xml(xml, "worksheet")
    if _TYPES.search(xml):
        raise _Declined("error, date or unknown cell types")
    if _NOT_A_NUMBER.search(xml):
        raise _Declined("text in a <v>")
    if any(abs(int(text)) > 2**53 for text in _LONG.findall(xml)):
        raise _Declined("a whole number a float cannot hold")
    for text in _DECIMAL.findall(xml):
        if float(text).is_integer():
            raise _Declined("a whole number written as a decimal")
    dates = False
    for style in {int(s) for s in set(_STYLES.findall(xml))}:
        if style >= len(codes):
            raise _Declined("a cell style the workbook does not have")
        code = codes[style]
        if code in DATE_FORMATS:
            dates = True
        elif code not in NUMBER_FORMATS:
            raise _Declined(f"number format {code!r}")
    halfway = any(_halfway(text) for text in _DECIMAL.findall(xml))
    if dates and (
        _NEGATIVE.search(xml) or _FAR.search(xml) or _NEAR_MIDNIGHT.search(xml) or halfway
    ):
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
    # Each row by its number and its cells in order, each cell in its row: openpyxl places a
    # cell by its row element and its place in it, calamine by its reference.
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
        widths[number] = column_index_from_string(letters[-1].decode())
    if at != len(refs):
        raise _Declined("a cell outside a row")
    return _Scan(dates, last, widths, max_row, max_column)
