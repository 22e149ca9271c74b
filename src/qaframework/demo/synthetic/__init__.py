"""Synthetic data for a council's profile: case lists, audits and activity logs, from a seed.

Demonstrations, examples and tests need data that looks like a council's without being
anyone's. :func:`generate` makes it for any profile from the profile's own data and an
:class:`Organisation` (service areas and their teams, which profiles do not hold):

- a case list (Annex A-like :class:`~qaframework.policy.sampling.Case` rows: child, team, worker,
  service area, legal status, age band, gender, disability, family, start date);
- audits of the profile's graded activities over the window: as many as a quota owed per
  role holder asks (Manchester: one a month by each Team Manager), otherwise
  ``audits_per_team_per_month``; grades drawn so that most are good or requires
  improvement and fewer outstanding or inadequate, teams differing in quality; one
  judgement per standard of the activity, correlated with the overall grade, with strengths
  and "what would have made it better" notes from small phrase banks (every field the
  activity requires, such as Bolton's rationale, is filled);
- moderation of the audits the profile's own policies select
  (:func:`~qaframework.engine.moderation.select_for_moderation`), mostly agreeing, sometimes one
  grade up or down;
- concerns the profile has escalation rules for: urgent safety (rare, likelier on poor
  grades), health where a rule names it, practice concerns raised by the roles a rule
  names;
- actions with due and review dates from the profile's timescales
  (:func:`~qaframework.engine.actions.ledger.smart_action_dates`), open, done or verified as of the
  window's end, some overdue;
- a log of the activities the profile's obligations count
  (:func:`~qaframework.engine.obligations.obligations`): observations and supervision per
  supervisee, care planning meetings and events per child, audits and moderations per Team
  Manager, with realistic lapses.

Every record uses pseudonymous ids (``B104523``, ``tm.004``), never names. Each audit
passes :func:`~qaframework.engine.audits.check_audit` against the profile version in force on its
date. The same seed gives the same data on every machine and Python version: draws use
only ``random.Random.random``, whose sequence Python keeps stable, through separately
seeded streams, so that changing one part (the audits) does not reshuffle another (the
case list).

The package's modules, each one part:

- :mod:`~qaframework.demo.synthetic.organisation`: service areas, teams and staff;
  :mod:`~qaframework.demo.synthetic.workforce`: who holds each role;
- :mod:`~qaframework.demo.synthetic.draws`: the reproducible draws;
- :mod:`~qaframework.demo.synthetic.cases`: the case list;
- :mod:`~qaframework.demo.synthetic.phrases` and :mod:`~qaframework.demo.synthetic.grades`:
  what audits say and how they are graded;
- :mod:`~qaframework.demo.synthetic.builder`: :func:`generate`, audits and activity logs;
- :mod:`~qaframework.demo.synthetic.data`: what is made.
"""

from __future__ import annotations

from qaframework.demo.synthetic.builder import generate
from qaframework.demo.synthetic.data import LoggedActivity, SyntheticData
from qaframework.demo.synthetic.organisation import (
    Organisation,
    ServiceArea,
    StaffMember,
    SyntheticError,
)

__all__ = [
    "LoggedActivity",
    "Organisation",
    "ServiceArea",
    "StaffMember",
    "SyntheticData",
    "SyntheticError",
    "generate",
]
