"""Closing the loop: actions set after an audit, and escalations followed until resolved.

- :mod:`qaframework.engine.actions.ledger`: :func:`~.ledger.smart_action_dates` gives an
  audit's actions their due and review dates; :func:`~.ledger.action_ledger` shows many
  audits' actions as of a date (overdue, due soon, by team, by owner, counts).
- :mod:`qaframework.engine.actions.tracker`: :func:`~.tracker.escalation_states` says which
  escalations were open or closed on a date, and
  :func:`~.tracker.child_of_concern_tracker` lists the children on a child of concern
  tracker, with their next review and open actions.

The timescales themselves are policy: :mod:`qaframework.policy.actions`.
"""
