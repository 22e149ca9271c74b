"""What an output shows, before it is written in any format.

A report, its child-level detail or a comparison is first turned into a :class:`Document`:
headings, paragraphs, tables of typed values and places for charts. Every format writes the
same document, so what Markdown shows is what HTML, CSV and XLSX show: what is suppressed in
one is suppressed in all, and a figure is formatted in one place per kind of output.

Values are typed so that each format can write them its way: an ``int`` is a count, a
:class:`~qaframework.engine.report.Share` a proportion with its interval, :class:`Signed` a
change in a count, :class:`Points` a change in a share, :class:`Ratio` a proportion without
an interval, :class:`Number` a statistic such as kappa, and :class:`Missing` a figure that is
suppressed or does not apply.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from qaframework.engine.report import Share

__all__ = [
    "Block",
    "Bullets",
    "ChartPlace",
    "Column",
    "Document",
    "Heading",
    "Missing",
    "Number",
    "Paragraph",
    "Points",
    "Ratio",
    "Signed",
    "Table",
    "Value",
]


class Missing(enum.Enum):
    """A figure that is not shown: suppressed (printed as the policy's marker, ``c``), not
    applicable (a share of no audits), of a period with no data (no audit is dated in it:
    never zeros), or not recorded (the export does not carry the data it needs: never 0)."""

    SUPPRESSED = "suppressed"
    NOT_APPLICABLE = "not applicable"
    NO_DATA = "no data"
    NOT_RECORDED = "not recorded in this export"


@attrs.frozen
class Signed:
    """A change in a count: ``+3``, ``-2``, ``0``."""

    value: int


@attrs.frozen
class Points:
    """A change in a share, as a proportion: 0.05 is five percentage points up."""

    value: float


@attrs.frozen
class Ratio:
    """A proportion shown without an interval (exact agreement)."""

    value: float


@attrs.frozen
class Number:
    """A statistic shown to ``places`` decimal places (kappa and its interval)."""

    value: float
    places: int = 2


Value = str | int | date | Share | Signed | Points | Ratio | Number | Missing
"""A table cell: text, a count, a date, or one of the typed figures above."""


@attrs.frozen
class Column:
    """A table column. ``interval`` marks a column of shares: CSV and XLSX write it as three
    columns (the share, and the lower and upper ends of its interval)."""

    title: str
    interval: bool = False


@attrs.frozen
class Table:
    """A table: ``key`` names its CSV file and XLSX sheet, ``caption`` says what it is.

    The first column names each row. ``total_row`` marks the last row as the totals;
    ``shown`` False keeps a table out of Markdown and HTML (which show the same figures
    another way, such as learning themes' notes as lists) but in CSV and XLSX.
    """

    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    total_row: bool = False
    shown: bool = True
    note: str = ""


@attrs.frozen
class Heading:
    """A section heading; level 2 is a section, 3 a subsection (1 is the document's title)."""

    text: str
    level: int = 2


@attrs.frozen
class Paragraph:
    """A paragraph of plain text."""

    text: str


@attrs.frozen
class Bullets:
    """A titled list of plain-text items."""

    title: str
    items: tuple[str, ...]


@attrs.frozen
class ChartPlace:
    """Where a chart goes, by its key (see :mod:`qaframework.render._charts`)."""

    key: str


Block = Heading | Paragraph | Bullets | Table | ChartPlace


@attrs.frozen
class Document:
    """A whole output: its title, blocks in reading order, and notes about it.

    ``marking`` is a protective marking every page and file carries (``OFFICIAL-SENSITIVE``
    for child-level detail); ``notice`` a warning shown before everything else (suppression
    turned off). ``notes`` are what the XLSX notes sheet and the CSV notes file hold, and the
    "About this report" section shows: the suppression policy and the source. ``marker`` is
    printed for a suppressed figure. ``dated`` is the day the figures are as of (the XLSX
    file's creation date, so that the same figures give the same file).
    """

    title: str
    dated: date
    blocks: tuple[Block, ...]
    notes: tuple[tuple[str, str], ...]
    marker: str
    marking: str | None = None
    notice: str | None = None

    def tables(self) -> tuple[Table, ...]:
        """Every table, in reading order."""
        return tuple(block for block in self.blocks if isinstance(block, Table))
