"""Text for a council page: running text and Mermaid labels made safe, slugs, anchors
and tables."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date

from qaframework.policy.profile import Profile

__all__ = ["council_slug", "markdown_text", "mermaid_text", "version_anchor"]


_NONE = "—"


# Characters Markdown (or the HTML it passes through) would read as syntax inside running text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
# A line starting with punctuation (a heading, list, quote, admonition, fence, definition) or a
# number and a full stop or bracket (a numbered list).
_LINE_START = re.compile(r"^(\d+[.)]|[#+\-!?:=~])")


def markdown_text(text: str) -> str:
    """``text`` as one line of literal Markdown: safe in a paragraph, list item or table cell.

    Runs of white space become one space; backslashes, backticks, asterisks, underscores,
    brackets, braces (an attribute list) and pipes are escaped, ``&``, ``<`` and ``>`` written
    as HTML entities, and punctuation that would make the line a heading, list, quote,
    admonition or fence is written as a character reference.
    """
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    start = _LINE_START.match(flat)
    if start is not None:
        marker = start.group(1)
        flat = f"{marker[:-1]}&#{ord(marker[-1])};{flat[start.end() :]}"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


# Mermaid entity codes for the characters it reads as syntax or as HTML inside a label.
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    ";": "#59;",
    "|": "#124;",
    "`": "#96;",
    "\\": "#92;",
}
_MERMAID_WRAP = 26


def mermaid_text(text: str, width: int = _MERMAID_WRAP) -> str:
    """``text`` for a quoted Mermaid label: entity-coded, wrapped with ``<br>`` every
    ``width`` characters or so.

    ``#``, ``"``, ``<``, ``>``, ``&``, ``;``, ``|``, backtick and backslash become Mermaid
    entity codes (``#quot;``), so the label can hold any council's wording; the only markup
    left in the result is the ``<br>`` line breaks it adds.
    """
    lines = textwrap.wrap(
        " ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False
    ) or [""]
    return "<br>".join("".join(_MERMAID_ENTITIES.get(c, c) for c in line) for line in lines)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def council_slug(profile_id: str) -> str:
    """The page name for a council: ``bolton`` for ``bolton``, ``kestrel-vale`` for
    ``kestrel_vale``."""
    return _slug(profile_id)


def version_anchor(profile: Profile) -> str:
    """The anchor of a version's section on its council's page: ``v2026-02-05``, from the
    day it takes effect (unique among a profile's versions, unlike a version's name)."""
    return f"v{profile.effective_from.isoformat()}"


def _join(items: Iterable[str]) -> str:
    found = [i for i in items if i]
    return ", ".join(found) if found else _NONE


def _cell(text: str | None) -> str:
    return markdown_text(text) if text else _NONE


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    lines.append("")
    return lines
