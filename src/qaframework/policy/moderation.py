"""Moderation policy as a profile states it: which audits are moderated, by whom, how often.

A :class:`ModerationPolicy` names the activities it applies to, the moderators' roles, its
cadence, its :class:`SelectionRule`\\ s (combined: an audit any rule selects is moderated)
and the outcomes a moderator may record (:class:`ModerationOutcome`). These are the values a
profile holds; :mod:`qaframework.engine.moderation` applies them to audits.
"""

from __future__ import annotations

import enum
import math

import attrs

from qaframework.policy.cadence import Cadence, IsoDuration
from qaframework.policy.citations import Citation
from qaframework.policy.roles import GenericRole, Role
from qaframework.policy.unknowns import NotStated

__all__ = [
    "ModerationOutcome",
    "ModerationPolicy",
    "SelectionKind",
    "SelectionRule",
]


class ModerationOutcome(enum.Enum):
    """What moderation concluded about the auditor's grade."""

    AGREE = "agree"
    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"


class SelectionKind(enum.Enum):
    """How audits are chosen for moderation.

    - ``all``: every audit the policy applies to.
    - ``proportion``: a sample sized by the cycle's audit volume (``proportion`` of the
      audits, at least ``minimum``, at most ``maximum``).
    - ``per_role``: ``count`` audits by each holder of ``per_role`` per ``period``.
    - ``fixed``: ``count`` audits per cycle.
    - ``grade_at_or_below``: every audit graded ``grade`` or worse by its auditor.
    - ``by_auditor``: every audit whose auditor holds one of ``auditor_roles`` (role ids) or
      a role of one of the generic tiers ``auditor_generic`` (Manchester's Senior Managers
      "will moderate all audits undertaken by front line managers").
    """

    ALL = "all"
    PROPORTION = "proportion"
    PER_ROLE = "per_role"
    FIXED = "fixed"
    GRADE_AT_OR_BELOW = "grade_at_or_below"
    BY_AUDITOR = "by_auditor"


_NEEDS: dict[SelectionKind, tuple[str, ...]] = {
    SelectionKind.ALL: (),
    SelectionKind.PROPORTION: ("proportion",),
    SelectionKind.PER_ROLE: ("count", "per_role", "period"),
    SelectionKind.FIXED: ("count",),
    SelectionKind.GRADE_AT_OR_BELOW: ("grade",),
    SelectionKind.BY_AUDITOR: (),
}
_PARAMETERS = ("proportion", "minimum", "maximum", "count", "per_role", "period", "grade")


@attrs.frozen
class SelectionRule:
    """One rule choosing audits for moderation; a policy's rules are applied together (union).

    ``proportion`` (of a ``proportion`` rule) and ``count`` (of a ``fixed`` or ``per_role``
    rule) are :data:`~qaframework.policy.unknowns.NOT_STATED` where the source says audits are
    sampled for moderation but not how many: such a rule selects nothing, and says why.
    ``auditor_roles`` and ``auditor_generic`` belong to a ``by_auditor`` rule (at least one
    of them, and no other kind takes them): the auditors' roles, by id and by generic tier,
    whose audits it selects.
    """

    kind: SelectionKind
    citation: Citation
    proportion: float | NotStated | None = None
    minimum: int | None = None
    maximum: int | None = None
    count: int | NotStated | None = None
    per_role: str | None = None
    period: IsoDuration | None = None
    grade: str | None = None
    auditor_roles: tuple[str, ...] = ()
    auditor_generic: tuple[GenericRole, ...] = ()

    def __attrs_post_init__(self) -> None:
        by_auditor = self.kind is SelectionKind.BY_AUDITOR
        if by_auditor and not (self.auditor_roles or self.auditor_generic):
            raise ValueError(
                "a selection of kind 'by_auditor' names the auditors' roles (auditor_roles) "
                "or their generic tiers (auditor_generic)"
            )
        if not by_auditor:
            stated = [n for n in ("auditor_roles", "auditor_generic") if getattr(self, n)]
            if stated:
                raise ValueError(
                    f"a selection of kind {self.kind.value!r} takes no {', '.join(stated)}"
                )
        needed = _NEEDS[self.kind]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a selection of kind {self.kind.value!r} needs {', '.join(missing)}")
        allowed = set(needed)
        if self.kind is SelectionKind.PROPORTION:
            allowed |= {"minimum", "maximum"}
        extra = [n for n in _PARAMETERS if n not in allowed and getattr(self, n) is not None]
        if extra:
            raise ValueError(f"a selection of kind {self.kind.value!r} takes no {', '.join(extra)}")
        proportion = self.proportion
        if isinstance(proportion, float) and not 0 < proportion <= 1:
            raise ValueError(f"proportion must be in (0, 1], got {proportion}")
        for name in ("minimum", "maximum", "count"):
            value = getattr(self, name)
            if isinstance(value, int) and value < 0:
                raise ValueError(f"{name} cannot be negative, got {value}")
        if self.minimum is not None and self.maximum is not None and self.maximum < self.minimum:
            raise ValueError(f"maximum {self.maximum} is below minimum {self.minimum}")

    @property
    def is_stated(self) -> bool:
        """False where the source does not state how many the rule selects."""
        return not isinstance(self.proportion, NotStated) and not isinstance(self.count, NotStated)

    def selects_auditor(self, role: Role) -> bool:
        """For a ``by_auditor`` rule, whether it selects the audits of an auditor holding
        ``role`` (by the role's id or its generic tier)."""
        return role.id in self.auditor_roles or role.generic in self.auditor_generic

    def sample_size(self, audit_count: int) -> int:
        """For a ``proportion`` rule, how many of ``audit_count`` audits to moderate.

        The proportion is rounded up, then held between ``minimum`` and ``maximum``, and never
        exceeds the audits available.
        """
        if self.proportion is None:
            raise ValueError(f"a selection of kind {self.kind.value!r} has no proportional size")
        if isinstance(self.proportion, NotStated):
            raise ValueError("the proportion is not stated, so the sample has no size")
        if audit_count <= 0:
            return 0
        # The proportion as the decimal fraction it was written as, so that 20 x 0.1 is
        # exactly 2 (float error would round it up to 3) and a tiny share still rounds up to 1.
        from fractions import Fraction  # imported when a sample is sized: a few ms at start-up

        share = Fraction(str(self.proportion))
        size = math.ceil(share * audit_count)
        if self.minimum is not None:
            size = max(size, self.minimum)
        if self.maximum is not None:
            size = min(size, self.maximum)
        return int(min(size, audit_count))


@attrs.frozen
class ModerationPolicy:
    """Which audits are moderated, by whom, how often, with which outcomes.

    ``applies_to`` are activity ids; ``moderators`` and ``feedback_to`` role ids; a policy's
    ``selection`` rules are combined (an audit any rule selects is moderated).
    """

    id: str
    name: str
    applies_to: tuple[str, ...]
    moderators: tuple[str, ...]
    cadence: Cadence
    selection: tuple[SelectionRule, ...]
    citation: Citation
    outcomes: tuple[ModerationOutcome, ...] = (
        ModerationOutcome.AGREE,
        ModerationOutcome.UPGRADE,
        ModerationOutcome.DOWNGRADE,
    )
    feedback_to: tuple[str, ...] = ()
    recorded_on: str | None = None
    notes: tuple[str, ...] = ()
