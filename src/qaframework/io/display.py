"""How a load shows in a notebook and at the prompt: counts, warnings and rejections.

A load holds every record it read: its default ``repr`` would print them all (285,000
characters for a quarter's export). :func:`load_repr` gives one line instead, and
:func:`load_html` the counts, what the mapping and the export disagree on, and the first
rejected rows as a table, every text escaped. The records themselves are on the load
(``load.accepted``, ``load.rejected``) and in its frames (``load.to_pandas()``).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Protocol

from qaframework.io.rejections import Rejection
from qaframework.policy.display import html_table, plural

__all__ = ["REJECTION_ROWS", "load_html", "load_repr"]

REJECTION_ROWS = 10
"""How many rejected rows a load's HTML view lists; the rest are counted."""


class _Load(Protocol):
    @property
    def file(self) -> str: ...

    @property
    def format(self) -> str: ...

    @property
    def rows_read(self) -> int: ...

    @property
    def rejected(self) -> tuple[Rejection, ...]: ...

    @property
    def blank_rows(self) -> int: ...

    @property
    def missing_columns(self) -> tuple[str, ...]: ...

    @property
    def warnings(self) -> tuple[str, ...]: ...


def _notes(load: _Load, unmapped: Sequence[str]) -> list[str]:
    notes = [f"Warning: {warning}" for warning in load.warnings]
    # Optional columns of the default mapping that the file lacks draw no warning; those of
    # an explicit mapping do, and are not said twice.
    quiet = [c for c in load.missing_columns if not any(repr(c) in w for w in load.warnings)]
    if quiet:
        notes.append(
            "Note: columns the mapping names that the file lacks (read as empty): "
            + ", ".join(quiet)
        )
    if unmapped:
        notes.append("Note: columns the mapping does not read: " + ", ".join(unmapped))
    return notes


def load_repr(kind: str, load: _Load, accepted: int, what: str, profile_id: str | None) -> str:
    """One line: the file, its format, the profile, how many rows were read, accepted and
    rejected (``kind`` is the class's name, ``what`` the word for an accepted record)."""
    profile = f", profile {profile_id}" if profile_id is not None else ""
    return (
        f"<{kind} {load.file!r} ({load.format}{profile}): {load.rows_read:,} rows read, "
        f"{accepted:,} {what} accepted, {len(load.rejected):,} rejected>"
    )


def load_html(
    title: str,
    load: _Load,
    accepted: int,
    what: str,
    unmapped: Sequence[str] = (),
    duplicates: int | None = None,
) -> str:
    """A load at a glance: what was read and how much was accepted and rejected, its
    warnings (a column an explicit mapping names that the file lacks, worksheets not read)
    and notes (optional columns missing, columns not read), and the first
    :data:`REJECTION_ROWS` rejected rows with their column, value and reason."""
    counts = [
        f"{load.rows_read:,} rows read",
        f"{accepted:,} {what} accepted",
        f"{len(load.rejected):,} rejected",
    ]
    if duplicates:
        counts.append(f"{plural(duplicates, 'duplicate')} among them")
    if load.blank_rows:
        counts.append(f"{plural(load.blank_rows, 'blank row')} skipped")
    parts = [
        '<div class="qaframework-load">',
        f"<p><strong>{escape(title)}</strong>: <code>{escape(load.file)}</code> "
        f"({escape(load.format)})<br>{escape('; '.join(counts))}</p>",
    ]
    notes = _notes(load, unmapped)
    if notes:
        parts.append("<p>" + "<br>".join(escape(n) for n in notes) + "</p>")
    if load.rejected:
        shown = load.rejected[:REJECTION_ROWS]
        more = len(load.rejected) - len(shown)
        caption = "Rejected rows"
        if more:
            caption += f" (the first {len(shown)}; {more:,} more in load.rejected)"
        parts.append(
            html_table(
                ("Row", "Column", "Value", "Reason"),
                (
                    (
                        str(rejection.row) if index == 0 else "",
                        problem.column or "(row)",
                        problem.value or "",
                        problem.reason,
                    )
                    for rejection in shown
                    for index, problem in enumerate(rejection.problems)
                ),
                caption=caption,
            )
        )
    parts.append("</div>")
    return "".join(parts)
