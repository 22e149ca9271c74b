"""A document's tables as CSV: one file per table, and one for the notes.

Each file is a header row and one row per table row (UTF-8, ``\\n`` line ends). Counts are
whole numbers; a suppressed figure is the policy's marker (``c``); a figure that does not
apply is empty. A column of shares is three columns: the share, and the lower and upper
ends of its interval, as proportions to four decimal places (0.6712); changes in a share
are proportions too. Child-level files start with the marking line before the header.
Text that a spreadsheet would run as a formula (beginning ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return: a team named ``=HYPERLINK(...)``) is written with an apostrophe before
it (:mod:`qaframework.render.cells`); figures are written as numbers.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

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
from qaframework.render._text import missing_words
from qaframework.render.cells import Figure, csv_writer

__all__ = ["csv_files"]


def _decimal(value: float) -> Figure:
    return Figure(f"{value:.4f}")


def _plain(value: Value, marker: str) -> Any:
    if type(value) is str or type(value) is int:
        return value  # text (for the writer to neutralise) and counts: most cells
    if isinstance(value, Missing):
        return "" if value is Missing.NOT_APPLICABLE else missing_words(value, marker)
    if isinstance(value, Share):
        return "" if value.value is None else _decimal(value.value)
    if isinstance(value, Signed):
        return value.value
    if isinstance(value, Points | Ratio | Number):
        return _decimal(value.value)
    if isinstance(value, date):
        return value.isoformat()
    # Text stays text, for the writer to neutralise; a count stays a number.
    return value


def _interval(value: Value, marker: str) -> list[Any]:
    """A value of a share column: the share and its interval's ends."""
    if isinstance(value, Share):
        if value.value is None or value.lower is None or value.upper is None:
            return ["", "", ""]
        return [_decimal(value.value), _decimal(value.lower), _decimal(value.upper)]
    if isinstance(value, Missing) and value is not Missing.NOT_APPLICABLE:
        return [missing_words(value, marker)] * 3
    return [_plain(value, marker), "", ""]


def _rows(table: Table, marker: str) -> list[list[Any]]:
    header: list[str] = []
    for column in table.columns:
        header.append(column.title)
        if column.interval:
            header.extend([f"{column.title}: lower", f"{column.title}: upper"])
    rows: list[list[Any]] = [header]
    for row in table.rows:
        out: list[Any] = []
        for column, value in zip(table.columns, row, strict=True):
            if column.interval:
                out.extend(_interval(value, marker))
            else:
                out.append(_plain(value, marker))
        rows.append(out)
    return rows


def _text(rows: list[list[Any]], first_line: str | None) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    if first_line is not None:
        writer.writerow([first_line])
    writer.writerows(rows)
    return buffer.getvalue()


def csv_files(document: Document, first_line: str | None = None) -> dict[str, str]:
    """The CSV text of each table (by key, every table, shown or not) and of the notes
    (``notes``); ``first_line`` (a protective marking) opens every file."""
    files = {
        table.key: _text(_rows(table, document.marker), first_line) for table in document.tables()
    }
    notes: list[list[Any]] = [["Item", "Detail"], *([key, value] for key, value in document.notes)]
    if document.notice:
        notes.insert(1, ["Notice", document.notice])
    files["notes"] = _text(notes, first_line)
    return files
