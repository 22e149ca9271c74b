"""The plugin manager: built-in behaviour and installed council profiles through one door.

There is one :class:`pluggy.PluginManager` named ``qaframework``. The core's defaults are
registered as ordinary plugins (``DEFAULT_PLUGINS``); installed distributions are found
through the ``qaframework`` entry-point group the first time the manager is asked for
(:mod:`qaframework.profiles.discovery`: from an index kept while nothing is installed or
removed, so a start does not read every installed distribution's metadata).

The environment variable ``QAFRAMEWORK_LOAD_PLUGINS`` limits which entry points load: a
comma-separated allow-list of entry-point or distribution names (``bolton,qaframework-swindon``);
set but empty, no entry point loads. Tests take control with :func:`plugins_for_tests`.

**A plugin's behaviour hooks act on its own council.** The behaviour hooks
(``working_calendar``, ``moderation_sample_size``) and ``validate_profile`` of a plugin are
called only for the profiles that plugin registers. A plugin whose hooks should apply to
every council (a regional calendar, a checker a group of councils shares) declares itself
global with a module or class attribute ``qaframework_global = True``
(:data:`GLOBAL_ATTRIBUTE`); the core's defaults are global. :func:`list_plugins` says which
is which, and which profiles each plugin registers.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from qaframework.profiles import hookspecs
from qaframework.profiles.discovery import FoundEntryPoint, find_entry_points

if TYPE_CHECKING:
    from qaframework.errors import Problem
    from qaframework.policy.moderation import ModerationPolicy, SelectionRule
    from qaframework.policy.profile import Profile
    from qaframework.policy.workdays import WorkingCalendar

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "ENV_ALLOW_LIST",
    "PluginBehaviour",
    "PluginInfo",
    "generation",
    "get_plugin_manager",
    "list_plugins",
    "load_errors",
    "plugin_version",
    "plugins_for_tests",
    "register_plugin",
    "scoped_hook",
    "unregister_plugin",
]

ENTRY_POINT_GROUP = "qaframework"
ENV_ALLOW_LIST = "QAFRAMEWORK_LOAD_PLUGINS"
DEFAULT_PLUGINS = ("qaframework.profiles.builtin",)
GLOBAL_ATTRIBUTE = "qaframework_global"
"""The attribute (``qaframework_global = True``) by which a plugin's hooks apply to every
council's profiles, not only to those it registers."""
BEHAVIOUR_HOOKS = ("working_calendar", "moderation_sample_size", "validate_profile")
"""The hooks called for one profile, and so scoped to the plugin that registered it."""


@attrs.frozen
class PluginInfo:
    """A registered plugin: its name, the distribution that provides it, the hooks it implements."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    builtin: bool = False
    is_global: bool = False
    """Whether its behaviour hooks apply to every council's profiles (built-ins, and plugins
    that set ``qaframework_global = True``), or only to the profiles it registers."""

    @property
    def scope(self) -> str:
        """``"global"`` or ``"own profiles"``: the profiles its behaviour hooks act on."""
        return "global" if self.is_global else "own profiles"


_changes = itertools.count(1)


class _State:
    def __init__(self, load_entry_points: bool = True) -> None:
        self.pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.load_entry_points = load_entry_points
        self.entry_points_loaded = False
        # The distribution (name and version) of each plugin loaded from an entry point.
        self.distributions: dict[str, FoundEntryPoint] = {}
        self.builtin: set[str] = set()
        self.load_errors: list[str] = []
        self.generation = next(_changes)
        # Hook callers limited to one plugin and the global ones, by (hook, plugin), for
        # the current set of plugins.
        self.scoped: dict[tuple[str, str | None], Any] = {}
        for module_name in DEFAULT_PLUGINS:
            self.pm.register(importlib.import_module(module_name), name=module_name)
            self.builtin.add(module_name)


_state = _State()


def _normalise(name: str) -> str:
    # Distribution names compare as PEP 503 says: case and runs of - _ . do not matter.
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def _allowed(name: str, distribution: str | None) -> bool:
    allow = os.environ.get(ENV_ALLOW_LIST)
    if allow is None:
        return True
    wanted = {_normalise(n) for n in allow.split(",") if n.strip()}
    names = [name] if distribution is None else [name, distribution]
    return bool(wanted.intersection(_normalise(n) for n in names))


def _load_entry_points(state: _State) -> None:
    state.entry_points_loaded = True
    if not state.load_entry_points:
        return
    for ep in find_entry_points(ENTRY_POINT_GROUP):
        if not _allowed(ep.name, ep.distribution):
            continue
        if state.pm.get_plugin(ep.name) is not None or state.pm.is_blocked(ep.name):
            continue
        try:
            plugin = _load(ep)
        except Exception as exc:
            state.load_errors.append(f"{ep.name} ({ep.value}): {type(exc).__name__}: {exc}")
            continue
        state.pm.register(plugin, name=ep.name)
        if ep.distribution is not None:
            state.distributions[ep.name] = ep
    state.generation = next(_changes)


def _load(found: FoundEntryPoint) -> Any:
    """The object an entry point names: its module imported, then its attribute path
    followed (as ``importlib.metadata.EntryPoint.load`` does)."""
    target = found.value.split("[", 1)[0].strip()
    module_name, _, attribute = target.partition(":")
    loaded: Any = importlib.import_module(module_name.strip())
    for part in filter(None, attribute.strip().split(".")):
        loaded = getattr(loaded, part)
    return loaded


def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager, with installed entry points loaded on first call."""
    state = _state
    if not state.entry_points_loaded:
        _load_entry_points(state)
    return state.pm


def plugin_version(name: str) -> str | None:
    """The version of the distribution providing plugin ``name``; the core's own version for
    a built-in plugin; None for a plugin registered by code (a test, an application)."""
    get_plugin_manager()
    if name in _state.builtin:
        from qaframework._version import __version__

        return __version__
    dist = _state.distributions.get(name)
    return dist.version if dist is not None else None


def load_errors() -> tuple[str, ...]:
    """Entry points that failed to import, each as ``name (module): error``."""
    get_plugin_manager()
    return tuple(_state.load_errors)


def generation() -> int:
    """A number that changes whenever the set of registered plugins changes."""
    get_plugin_manager()
    return _state.generation


def register_plugin(plugin: Any, name: str | None = None) -> str:
    """Register a plugin object (a module or an instance with hook implementations)."""
    pm = get_plugin_manager()
    registered = pm.register(plugin, name=name)
    if registered is None:
        raise ValueError(f"plugin {name or plugin!r} is blocked")
    _state.generation = next(_changes)
    return registered


def unregister_plugin(name: str) -> None:
    """Remove a registered plugin by name."""
    pm = get_plugin_manager()
    if pm.get_plugin(name) is None:
        raise KeyError(f"no plugin named {name!r}")
    pm.unregister(name=name)
    _state.generation = next(_changes)


def list_plugins() -> tuple[PluginInfo, ...]:
    """Every registered plugin with its distribution, version and hooks, built-ins first."""
    pm = get_plugin_manager()
    infos = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        dist = _state.distributions.get(name)
        hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or ()))
        infos.append(
            PluginInfo(
                name=name,
                distribution=dist.distribution if dist else None,
                version=dist.version if dist else None,
                hooks=hooks,
                builtin=name in _state.builtin,
                is_global=_is_global(name, plugin),
            )
        )
    infos.sort(key=lambda i: (not i.builtin, i.name))
    return tuple(infos)


def _is_global(name: str, plugin: Any) -> bool:
    return name in _state.builtin or getattr(plugin, GLOBAL_ATTRIBUTE, False) is True


def scoped_hook(hook: str, plugin: str | None) -> Any:
    """The caller of ``hook`` that calls only ``plugin``'s implementation and the global
    plugins' (the built-in defaults among them); ``plugin`` None calls the global ones only.

    This is how a profile's behaviour reaches the plugins: a council's plugin acts on the
    profiles it registers, never on another council's.
    """
    pm = get_plugin_manager()
    key = (hook, plugin)
    found = _state.scoped.get(key)
    if found is None or found[0] != _state.generation:
        others = [
            p
            for name, p in pm.list_name_plugin()
            if p is not None and name != plugin and not _is_global(name, p)
        ]
        caller = pm.subset_hook_caller(hook, others) if others else getattr(pm.hook, hook)
        found = (_state.generation, caller)
        _state.scoped[key] = found
    return found[1]


@contextlib.contextmanager
def plugins_for_tests(
    *plugins: Any, load_entry_points: bool = False
) -> Iterator[pluggy.PluginManager]:
    """Run a block with a fresh plugin manager: the built-ins plus ``plugins``.

    Installed entry points load only with ``load_entry_points=True`` (and the allow-list
    variable still applies). The previous manager is restored afterwards.
    """
    global _state
    previous = _state
    _state = _State(load_entry_points=load_entry_points)
    try:
        pm = get_plugin_manager()
        for plugin in plugins:
            register_plugin(plugin)
        yield pm
    finally:
        _state = previous


@attrs.frozen
class PluginBehaviour:
    """A profile's :class:`~qaframework.policy.profile.Behaviour` answered by the behaviour
    hooks (:mod:`qaframework.profiles.hookspecs`) of the plugin that registered the profile
    and of the global plugins, the core's defaults among them (:func:`scoped_hook`).

    The registry gives one to every profile it loads, naming the plugin that registered it
    (``plugin``; None for a profile built from data outside the registry, which the global
    plugins alone answer for). It holds no reference to the plugin manager, so a profile
    carrying it can be stored and read back.
    """

    plugin: str | None = None

    def working_calendar(self, profile: Profile) -> WorkingCalendar:
        """The calendar the ``working_calendar`` hook gives for ``profile``."""
        found: WorkingCalendar = scoped_hook("working_calendar", self.plugin)(profile=profile)
        return found

    def moderation_sample_size(
        self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
    ) -> int:
        """The size the ``moderation_sample_size`` hook gives."""
        size: int = scoped_hook("moderation_sample_size", self.plugin)(
            profile=profile, policy=policy, rule=rule, audit_count=audit_count
        )
        return size

    def problems(self, profile: Profile) -> list[Problem]:
        """What the ``validate_profile`` hooks of the same plugins find in ``profile``."""
        found: list[Problem] = []
        for result in scoped_hook("validate_profile", self.plugin)(profile=profile):
            if result:
                found.extend(result)
        return found
