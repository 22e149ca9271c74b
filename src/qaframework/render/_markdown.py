"""A document as Markdown (GitHub-flavoured tables); charts as images beside the file."""

from __future__ import annotations

import re
from collections.abc import Mapping

from qaframework.render._charts import Chart
from qaframework.render._document import (
    Bullets,
    ChartPlace,
    Document,
    Heading,
    Paragraph,
    Table,
    Value,
)
from qaframework.render._text import is_figure, text

__all__ = ["markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _escape(value: str) -> str:
    """Text as Markdown shows it literally, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _title(value: str) -> str:
    """Text for an image's quoted title."""
    return _escape(value).replace('"', "'")


def _table(table: Table, marker: str) -> list[str]:
    lines = [f"**{_escape(table.caption)}**", ""]
    if not table.rows:
        return [*lines, "None.", ""]
    figures = [
        bool(table.rows) and all(is_figure(row[i]) for row in table.rows)
        for i in range(len(table.columns))
    ]
    lines.append("| " + " | ".join(_escape(c.title) for c in table.columns) + " |")
    lines.append("| " + " | ".join("---:" if f else "---" for f in figures) + " |")
    last = len(table.rows) - 1
    # A large table repeats its words (teams, grades, dates, notes): each distinct text is
    # escaped once.
    escaped: dict[str, str] = {}

    def cell(value: Value) -> str:
        shown = value if type(value) is str else text(value, marker)
        found = escaped.get(shown)
        if found is None:
            found = escaped[shown] = _escape(shown)
        return found

    for index, row in enumerate(table.rows):
        cells = [cell(value) for value in row]
        if table.total_row and index == last:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if table.note:
        lines.extend([f"*{_escape(table.note)}*", ""])
    return lines


def markdown(document: Document, charts: Mapping[str, tuple[Chart, str]]) -> str:
    """``document`` in Markdown. ``charts`` maps a chart's key to the chart and the relative
    path of its SVG file; a chart place with no chart is left out."""
    lines: list[str] = []
    if document.marking:
        lines.extend([f"**{document.marking}**", ""])
    lines.extend([f"# {_escape(document.title)}", ""])
    if document.notice:
        lines.extend([f"> **{_escape(document.notice)}**", ""])
    for block in document.blocks:
        if isinstance(block, Heading):
            lines.extend([f"{'#' * block.level} {_escape(block.text)}", ""])
        elif isinstance(block, Paragraph):
            lines.extend([_escape(block.text), ""])
        elif isinstance(block, Bullets):
            lines.extend([f"{_escape(block.title)}:", ""])
            lines.extend(f"- {_escape(item)}" for item in block.items)
            lines.append("")
        elif isinstance(block, Table):
            if block.shown:
                lines.extend(_table(block, document.marker))
        elif isinstance(block, ChartPlace) and block.key in charts:
            chart, path = charts[block.key]
            lines.extend([f'![{_escape(chart.description)}]({path} "{_title(chart.title)}")', ""])
    lines.extend(["## About this report", ""])
    lines.extend(f"- **{_escape(key)}:** {_escape(value)}" for key, value in document.notes)
    lines.append("")
    if document.marking:
        lines.extend([f"**{document.marking}**", ""])
    return "\n".join(lines)
