"""The policy testing kit: property-test a council's framework, and hold it to the invariants.

Four parts, for a council author or anyone testing a policy:

- :mod:`qaframework.testing.strategies`: Hypothesis strategies driven by a profile (grades,
  standards, audits, case lists, cadences, whole random councils), also registered for
  :func:`hypothesis.strategies.from_type`.
- :mod:`qaframework.testing.pytest_plugin`: a pytest plugin with fixtures for the installed
  profiles and a profile loaded by id (``qaframework_profile``).
- :class:`ProfileConformance`: the base class a council's test module subclasses, naming its
  profile, to inherit the whole invariant suite of :mod:`qaframework.profiles.invariants` as tests,
  with Hypothesis-driven properties, over every version of the profile.
- :mod:`qaframework.testing.disclosure`: the disclosure audit, which states a published report
  as an integer linear program and asks a solver (HiGHS, through ``highspy``) whether any
  suppressed count can be worked out exactly.

The kit is an adapter: it needs pytest and Hypothesis (``pip install 'qaframework[testing]'``),
and ``import qaframework`` never imports it. See ``docs/testing-policies.md``.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec
    from types import ModuleType

    from qaframework.testing.conformance import ProfileConformance

__all__ = ["ProfileConformance"]


def __getattr__(name: str) -> Any:
    # The conformance suite imports pytest; the Hypothesis setup hook below must not need it.
    if name == "ProfileConformance":
        from qaframework.testing.conformance import ProfileConformance

        return ProfileConformance
    raise AttributeError(f"module 'qaframework.testing' has no attribute {name!r}")


# -- registering for st.from_type, lazily ------------------------------------------------
#
# Hypothesis calls ``_hypothesis_setup_hook`` through its ``hypothesis`` entry point every time
# it is imported, in every environment where qaframework is installed, whether or not the
# program uses qaframework. Importing the strategies there costs a third of a second (they
# import the core's policy modules), so the hook registers them only once one of the modules
# below, which define the registered types, has been imported: ``st.from_type(Audit)`` needs
# ``Audit``, so nothing is registered later than it can be asked for. Until then the hook costs
# ``import qaframework`` (the plugin markers) and this module. A test holds this set to the
# types that ``qaframework.testing.strategies`` registers.
_TYPE_MODULES = frozenset(
    {
        "qaframework.engine.audits",
        "qaframework.policy.cadence",
        "qaframework.policy.grades",
        "qaframework.policy.profile",
        "qaframework.policy.roles",
        "qaframework.policy.sampling",
        "qaframework.policy.standards",
    }
)
_STRATEGIES = "qaframework.testing.strategies"


def _hypothesis_setup_hook() -> None:
    """Register qaframework's strategies for ``st.from_type``, now or once its types load.

    Hypothesis calls this through its ``hypothesis`` entry point when it is imported, as its
    documentation asks of third-party extensions. When none of the registered types' modules
    has been imported yet, the hook imports nothing more: it watches the imports of
    qaframework's modules and registers the strategies as soon as one of those modules has
    been imported (and no import of a qaframework module is still under way, so that the
    strategies never import a half-initialised module). Importing qaframework alone never
    imports Hypothesis.
    """
    if _STRATEGIES in sys.modules:
        # Already imported, or importing Hypothesis right now (it was imported first): either
        # way the module registers its strategies as its last step.
        return
    if _types_imported(finishing=None):
        importlib.import_module("qaframework.testing.strategies")
    elif not any(isinstance(finder, _RegisterOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RegisterOnImport())


def _types_imported(finishing: str | None) -> bool:
    """Whether a registered type's module is imported and no other qaframework module is
    still being imported (``finishing`` is the one whose code has just run)."""
    loaded = False
    for name, module in list(sys.modules.items()):
        if name != "qaframework" and not name.startswith("qaframework."):
            continue
        spec = getattr(module, "__spec__", None)
        if name != finishing and getattr(spec, "_initializing", False):
            return False
        loaded = loaded or name in _TYPE_MODULES
    return loaded


def _module_imported(name: str) -> None:
    if _STRATEGIES in sys.modules:
        _stop_watching()
    elif _types_imported(finishing=name):
        _stop_watching()
        importlib.import_module("qaframework.testing.strategies")


def _stop_watching() -> None:
    for finder in [f for f in sys.meta_path if isinstance(f, _RegisterOnImport)]:
        sys.meta_path.remove(finder)


class _RegisterOnImport:
    """A finder at the front of ``sys.meta_path`` that finds nothing itself: it asks the
    finders after it for a qaframework module's spec and wraps the spec's loader, so that
    :func:`_module_imported` runs once the module's code has run."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not fullname.startswith("qaframework."):
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: ModuleSpec | None = find(fullname, path, target)
            if spec is None:
                continue
            if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _NotifyingLoader(spec)  # type: ignore[assignment]
            return spec
        return None

    def invalidate_caches(self) -> None:
        """Nothing cached: the finders it asks keep their own caches."""


class _NotifyingLoader:
    """Loads a module with its own loader, gives the module that loader back, then notifies."""

    def __init__(self, spec: ModuleSpec) -> None:
        assert spec.loader is not None
        self.spec = spec
        self.loader: Loader = spec.loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        create = getattr(self.loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: ModuleType) -> None:
        # Nothing keeps a trace of this wrapper: the spec and the module get their own loader
        # back. Only what points here is undone: a loader may return a module made elsewhere
        # (an old path of a moved module is the module at its new path), with its own spec.
        self.spec.loader = self.loader
        if getattr(module, "__loader__", None) is self:
            module.__loader__ = self.loader
        spec = module.__spec__
        loader: object = spec.loader if spec is not None else None
        if spec is not None and loader is self:
            spec.loader = self.loader
        self.loader.exec_module(module)
        _module_imported(self.spec.name)
