"""Hypothesis strategies for qaframework's core types, driven by a profile.

A policy is tested by stating what must hold for *every* audit, grade or case list a council's
framework allows, and letting Hypothesis search for a counterexample. The strategies here
draw those values from a :class:`~qaframework.policy.profile.Profile`: grades of its scale, its
standards, audits of its graded activities (judgements per standard, concerns, moderation
records whose outcome agrees with the grades, actions), and case lists shaped by an
activity's sampling rule. Every value drawn passes the profile's own checks (an audit passes
:func:`~qaframework.engine.audits.check_audit`), so a failure is the policy's, not the generator's.

:func:`profiles` draws whole random councils: valid by construction, with every reference
resolving, every invariant of :mod:`qaframework.profiles.invariants` holding, and plain data that
:func:`~qaframework.profiles.validation.profile_from_data` reads back to an equal profile. Break one
part of a random council and the invariant about that part must catch it.

>>> from hypothesis import given
>>> from qaframework.testing import strategies as qst
>>> @given(qst.audits(swindon))  # doctest: +SKIP
... def test_every_audit_is_accepted(audit):
...     assert check_audit(audit, swindon) == []

The types are also registered for :func:`hypothesis.strategies.from_type` (through the
``hypothesis`` entry point, which calls :func:`register_type_strategies`): a type that
belongs to a profile (a grade, an audit) is drawn from a random council.

The package's modules, each one part:

- :mod:`~qaframework.testing.strategies.drawing`: what every strategy draws with;
- :mod:`~qaframework.testing.strategies.policy_values`: durations, cadences, quotas, grades,
  standards and roles;
- :mod:`~qaframework.testing.strategies.audit_values`: judgements, moderation records,
  actions and audits;
- :mod:`~qaframework.testing.strategies.case_values`: cases and case lists;
- :mod:`~qaframework.testing.strategies.councils`: random councils and their versions;
- :mod:`~qaframework.testing.strategies.registration`: the strategies for
  :func:`hypothesis.strategies.from_type`.
"""

from __future__ import annotations

from qaframework.testing.strategies.audit_values import (
    audit_actions,
    audits,
    judgements,
    moderation_records,
)
from qaframework.testing.strategies.case_values import case_lists, cases
from qaframework.testing.strategies.councils import profile_versions, profiles
from qaframework.testing.strategies.policy_values import (
    cadences,
    grade_codes,
    grade_spellings,
    grades,
    iso_durations,
    quotas,
    roles,
    standards,
)
from qaframework.testing.strategies.registration import register_type_strategies

__all__ = [
    "audit_actions",
    "audits",
    "cadences",
    "case_lists",
    "cases",
    "grade_codes",
    "grade_spellings",
    "grades",
    "iso_durations",
    "judgements",
    "moderation_records",
    "profile_versions",
    "profiles",
    "quotas",
    "register_type_strategies",
    "roles",
    "standards",
]

# Registering is part of importing this package: Hypothesis's setup hook imports it, and when
# this package was imported first (and so imported Hypothesis, running the hook before this
# package was complete), the hook leaves the registering to this line.
register_type_strategies()
