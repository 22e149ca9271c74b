"""The HTML helpers of the notebook views (``_repr_html_``) of qaframework's values.

Jupyter shows a value's ``_repr_html_`` when a cell's value is a profile, a sample or a
report. Every piece of text is HTML-escaped here, so a title or a team name can never become
markup. No script and no external resource: the HTML is static, styled only by the
notebook's own table styles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

__all__ = ["html_table", "plural"]


def html_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str | None = None
) -> str:
    """A table of text cells, every header, cell and caption escaped here."""
    parts = ["<table>"]
    if caption is not None:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append(
        "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr></thead>"
    )
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def plural(count: int, noun: str, plural: str | None = None) -> str:
    """``1 role``, ``3 roles``; ``plural`` where adding an s is wrong."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
