"""Citations, source documents and recorded assumptions.

Every fact a profile states says where it came from: a :class:`Citation` names one of the
profile's :class:`SourceDocument` entries and the section heading the fact is read from.
Where a source is silent or contradicts itself, the profile records an :class:`Assumption`
instead of inventing a value silently (the OpenFisca habit of a reference on every value).
"""

from __future__ import annotations

from datetime import date

import attrs

__all__ = ["Assumption", "Citation", "SourceDocument"]


@attrs.frozen
class Citation:
    """Where a fact is stated: a source document id and a section heading within it."""

    source: str
    section: str
    quote: str | None = None

    def __str__(self) -> str:
        return f"{self.source}, {self.section}"


@attrs.frozen
class SourceDocument:
    """A document a profile encodes (a council's QA framework, say).

    ``file`` is the document's file name in the project's seed collection; ``issued`` is the
    date as the document gives it (often only a month), ``approved`` an exact approval date
    where the document states one.
    """

    id: str
    authority: str
    title: str
    file: str
    issued: str
    approved: date | None = None
    replaces: str | None = None
    notes: str | None = None


@attrs.frozen
class Assumption:
    """A decision the profile makes where its sources are silent or contradict themselves.

    ``concerns`` lists the profile paths (``$.moderation[0].selection``) the assumption
    governs; ``citation`` points at the passage that is silent or contradictory, if any.
    """

    id: str
    text: str
    concerns: tuple[str, ...] = ()
    citation: Citation | None = None
