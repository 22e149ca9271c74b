"""The policy testing kit: property-test a council's framework, and hold it to the invariants.

Three parts, for a council author or anyone testing a policy:

- :mod:`qaframework.testing.strategies`: Hypothesis strategies driven by a profile (grades,
  standards, audits, case lists, cadences, whole random councils), also registered for
  :func:`hypothesis.strategies.from_type`.
- :mod:`qaframework.testing.pytest_plugin`: a pytest plugin with fixtures for the installed
  profiles and a profile loaded by id (``qaframework_profile``).
- :class:`ProfileConformance`: the base class a council's test module subclasses, naming its
  profile, to inherit the whole invariant suite of :mod:`qaframework.profiles.invariants` as tests,
  with Hypothesis-driven properties, over every version of the profile.

The kit is an adapter: it needs pytest and Hypothesis (``pip install 'qaframework[testing]'``),
and ``import qaframework`` never imports it. See ``docs/testing-policies.md``.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qaframework.testing.conformance import ProfileConformance

__all__ = ["ProfileConformance"]


def __getattr__(name: str) -> Any:
    # The conformance suite imports pytest; the Hypothesis setup hook below must not need it.
    if name == "ProfileConformance":
        from qaframework.testing.conformance import ProfileConformance

        return ProfileConformance
    raise AttributeError(f"module 'qaframework.testing' has no attribute {name!r}")


def _hypothesis_setup_hook() -> None:
    """Register qaframework's strategies for ``st.from_type``.

    Hypothesis calls this through its ``hypothesis`` entry point when it is imported, as its
    documentation asks of third-party extensions; importing qaframework alone never imports
    Hypothesis.
    """
    if "qaframework.testing.strategies" in sys.modules:
        # Already imported, or importing Hypothesis right now (it was imported first): either
        # way the module registers its strategies as its last step.
        return
    importlib.import_module("qaframework.testing.strategies")
