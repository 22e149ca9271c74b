"""Compliance checklists: the yes / no / not applicable items an audit answers beside its grades.

Some councils' audit tools ask compliance questions as well as grading practice: are the
forms complete, are the signatures present, were the timescales met. A
:class:`ChecklistItem` is one such question of an activity, with the citation it is read
from; an audit records a :class:`ChecklistAnswer` for it (``yes``, ``no`` or
``not_applicable``). These are the values a profile holds;
:class:`~qaframework.engine.audits.Audit` records the answers and the cycle report counts
them item by item.
"""

from __future__ import annotations

import enum

import attrs

from qaframework.policy.citations import Citation

__all__ = ["ChecklistAnswer", "ChecklistItem"]


class ChecklistAnswer(enum.Enum):
    """An audit's answer to a checklist item."""

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """``Yes``, ``No``, ``Not applicable``."""
        return self.value.replace("_", " ").capitalize()


@attrs.frozen
class ChecklistItem:
    """One yes / no question an activity's audits answer ("Is the case summary up to date?").

    ``id`` is unique within the activity; ``question`` is the council's wording.
    ``not_applicable`` says whether "not applicable" is an answer the item takes (a
    signature that every file must carry has no such answer); ``description`` says more.
    """

    id: str
    question: str
    citation: Citation
    not_applicable: bool = True
    description: str | None = None

    @property
    def answers(self) -> tuple[ChecklistAnswer, ...]:
        """The answers the item takes, in the order a form lists them."""
        if self.not_applicable:
            return tuple(ChecklistAnswer)
        return (ChecklistAnswer.YES, ChecklistAnswer.NO)
