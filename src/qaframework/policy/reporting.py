"""Boards, forums and reporting lines: where QA findings go and how often.

Bolton's Quality Assurance Report goes to the Assurance and Improvement Meeting six-weekly,
quarterly and annually; Swindon's monthly practice audit report goes to the Practice and
Performance Board and the Directors Assurance Board. A :class:`Forum` is a board, meeting,
clinic or panel with its own cadence; a :class:`ReportingLine` says which report goes to
which forums (or people), produced by whom, how often.
"""

from __future__ import annotations

import enum

import attrs

from qaframework.policy.cadence import Cadence
from qaframework.policy.citations import Citation

__all__ = ["Forum", "ForumKind", "ReportingLine"]


class ForumKind(enum.Enum):
    """The kind of gathering."""

    BOARD = "board"
    MEETING = "meeting"
    CLINIC = "clinic"
    FORUM = "forum"
    PANEL = "panel"
    GROUP = "group"
    BRIEFING = "briefing"
    PARTNERSHIP = "partnership"
    SUPERVISION = "supervision"


@attrs.frozen
class Forum:
    """A board, meeting, clinic, panel or group that receives or discusses QA findings.

    ``cadence`` is how often it meets; ``chair`` and ``members`` are role ids; ``aliases``
    are other names the source uses for the same forum.
    """

    id: str
    name: str
    kind: ForumKind
    cadence: Cadence
    citation: Citation
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    chair: str | None = None
    members: tuple[str, ...] = ()
    description: str | None = None


@attrs.frozen
class ReportingLine:
    """A report: who produces it, where it goes, how often.

    ``to_forums`` are forum ids, ``to_roles`` role ids for reports that go to people rather
    than a meeting (the Director, the Chief Executive).
    """

    id: str
    report: str
    produced_by: tuple[str, ...]
    cadence: Cadence
    citation: Citation
    to_forums: tuple[str, ...] = ()
    to_roles: tuple[str, ...] = ()
    description: str | None = None
