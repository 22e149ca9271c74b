"""Practice standards, golden threads, non-negotiables and quality standards.

These are what audits are graded against. Councils use different names for the same idea:
Bolton's five "Focus on the Fundamentals" practice standards, Manchester's six golden threads,
Swindon's non-negotiables and Telford & Wrekin's quality standards with "what good looks like"
and "how we will measure this".
"""

from __future__ import annotations

import enum

import attrs

from qaframework.policy.citations import Citation

__all__ = ["Standard", "StandardKind"]


class StandardKind(enum.Enum):
    """What a council calls the standard."""

    PRACTICE_STANDARD = "practice_standard"
    GOLDEN_THREAD = "golden_thread"
    NON_NEGOTIABLE = "non_negotiable"
    QUALITY_STANDARD = "quality_standard"
    PRACTICE_PRINCIPLE = "practice_principle"


@attrs.frozen
class Standard:
    """One standard practice is judged against.

    ``what_good_looks_like`` and ``how_measured`` hold the seed's own bullet points where it
    gives them, empty otherwise. ``audited`` says whether audits grade practice against this
    standard one by one (a judgement per standard in an audit record).
    """

    id: str
    title: str
    kind: StandardKind
    citation: Citation
    description: str | None = None
    what_good_looks_like: tuple[str, ...] = ()
    how_measured: tuple[str, ...] = ()
    audited: bool = True
