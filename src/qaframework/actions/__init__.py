"""Closing the loop: actions set after an audit, and escalations followed until resolved.

An audit is only effective if its actions are done and make a difference. Bolton's Staying
Safe framework expects actions completed within one month of the audit and reviewed the
following month; Swindon sets timescales within each audit and tracks them until practice
has improved.

- :mod:`qaframework.actions.timescales`: the profile's data. An :class:`ActionTimescale`
  states when actions fall due and are reviewed, who owns them and who tracks them;
  :class:`ActionStatus` where an action stands.
- :mod:`qaframework.actions.ledger`: :func:`smart_action_dates` gives an audit's actions
  their due and review dates; :func:`action_ledger` shows many audits' actions as of a date
  (overdue, due soon, by team, by owner, counts).
- :mod:`qaframework.actions.tracker`: :func:`escalation_states` says which escalations were
  open or closed on a date, and :func:`child_of_concern_tracker` lists the children on
  Swindon's child of concern tracker (or any profile's tracker of that kind), with their
  next weekly review and open actions.

Every name is imported from ``qaframework.actions``; the ledger's and tracker's names load
their submodule on first use, so loading a profile does not load them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qaframework.actions.timescales import ActionStatus, ActionTimescale

if TYPE_CHECKING:
    from qaframework.actions.ledger import (
        ActionCounts,
        ActionDates,
        ActionItem,
        ActionLedger,
        ClosingTheLoopError,
        action_ledger,
        action_status_as_of,
        action_timescale_for,
        smart_action_dates,
    )
    from qaframework.actions.tracker import (
        Closure,
        EscalationState,
        EscalationStatus,
        TrackerEntry,
        child_of_concern_tracker,
        escalation_states,
    )

__all__ = [
    "ActionCounts",
    "ActionDates",
    "ActionItem",
    "ActionLedger",
    "ActionStatus",
    "ActionTimescale",
    "ClosingTheLoopError",
    "Closure",
    "EscalationState",
    "EscalationStatus",
    "TrackerEntry",
    "action_ledger",
    "action_status_as_of",
    "action_timescale_for",
    "child_of_concern_tracker",
    "escalation_states",
    "smart_action_dates",
]

# The engine's names, each with its submodule, imported on first use: a profile holds only
# the policy, so loading profiles leaves the engine (and what it imports) unloaded.
_LAZY: dict[str, str] = {
    "ActionCounts": "ledger",
    "ActionDates": "ledger",
    "ActionItem": "ledger",
    "ActionLedger": "ledger",
    "ClosingTheLoopError": "ledger",
    "Closure": "tracker",
    "EscalationState": "tracker",
    "EscalationStatus": "tracker",
    "TrackerEntry": "tracker",
    "action_ledger": "ledger",
    "action_status_as_of": "ledger",
    "action_timescale_for": "ledger",
    "child_of_concern_tracker": "tracker",
    "escalation_states": "tracker",
    "smart_action_dates": "ledger",
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
