"""Moderation: a second, more senior look at completed audits.

Bolton moderates a six-weekly sample sized by the cycle's audit volume; Manchester's Service
Leads moderate one audit per Team Manager a month; Swindon moderates monthly and every
Inadequate audit is moderated; Telford & Wrekin uses a Moderation Panel.

- :mod:`qaframework.moderation.policy`: the policy a profile holds, as data. A
  :class:`ModerationPolicy` states which audits are moderated (:class:`SelectionRule`), by
  whom, how often, and the outcomes a moderator may record (:class:`ModerationOutcome`).
- :mod:`qaframework.moderation.selection`: applying it. :func:`select_for_moderation`
  chooses a period's audits under a profile's policies and says why each audit was chosen;
  :func:`record_moderation` appends a moderator's grade to an audit under the policy's
  rules, never overwriting the auditor's grade.

Every name is imported from ``qaframework.moderation``; the selection engine's names load
their submodule on first use, so loading a profile does not load the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qaframework.moderation.policy import (
    ModerationOutcome,
    ModerationPolicy,
    SelectionKind,
    SelectionRule,
)

if TYPE_CHECKING:
    from qaframework.moderation.selection import (
        ModerationCycle,
        ModerationError,
        ModerationSelection,
        SelectedAudit,
        SelectionReason,
        moderation_cycles,
        record_moderation,
        select_for_moderation,
    )

__all__ = [
    "ModerationCycle",
    "ModerationError",
    "ModerationOutcome",
    "ModerationPolicy",
    "ModerationSelection",
    "SelectedAudit",
    "SelectionKind",
    "SelectionReason",
    "SelectionRule",
    "moderation_cycles",
    "record_moderation",
    "select_for_moderation",
]

# The engine's names, each with its submodule, imported on first use: a profile holds only
# the policy, so loading profiles leaves the engine (and what it imports) unloaded.
_LAZY: dict[str, str] = {
    "ModerationCycle": "selection",
    "ModerationError": "selection",
    "ModerationSelection": "selection",
    "SelectedAudit": "selection",
    "SelectionReason": "selection",
    "moderation_cycles": "selection",
    "record_moderation": "selection",
    "select_for_moderation": "selection",
}


def __getattr__(name: str) -> Any:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
