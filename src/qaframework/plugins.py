"""The plugin manager: built-in behaviour and installed council profiles through one door.

There is one :class:`pluggy.PluginManager` named ``qaframework``. The core's defaults are
registered as ordinary plugins (``DEFAULT_PLUGINS``); installed distributions are found
through the ``qaframework`` entry-point group the first time the manager is asked for.

The environment variable ``QAFRAMEWORK_LOAD_PLUGINS`` limits which entry points load: a
comma-separated allow-list of entry-point or distribution names (``bolton,qaframework-swindon``);
set but empty, no entry point loads. Tests take control with :func:`plugins_for_tests`.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from typing import Any

import attrs
import pluggy

from qaframework import hookspecs

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "ENV_ALLOW_LIST",
    "PluginInfo",
    "generation",
    "get_plugin_manager",
    "list_plugins",
    "plugins_for_tests",
    "register_plugin",
    "unregister_plugin",
]

ENTRY_POINT_GROUP = "qaframework"
ENV_ALLOW_LIST = "QAFRAMEWORK_LOAD_PLUGINS"
DEFAULT_PLUGINS = ("qaframework.builtin",)


@attrs.frozen
class PluginInfo:
    """A registered plugin: its name, the distribution that provides it, the hooks it implements."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    builtin: bool = False


_changes = itertools.count(1)


class _State:
    def __init__(self, load_entry_points: bool = True) -> None:
        self.pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.load_entry_points = load_entry_points
        self.entry_points_loaded = False
        self.distributions: dict[str, tuple[str, str]] = {}
        self.builtin: set[str] = set()
        self.generation = next(_changes)
        for module_name in DEFAULT_PLUGINS:
            self.pm.register(importlib.import_module(module_name), name=module_name)
            self.builtin.add(module_name)


_state = _State()


def _allowed(names: Iterable[str]) -> bool:
    allow = os.environ.get(ENV_ALLOW_LIST)
    if allow is None:
        return True
    wanted = {n.strip() for n in allow.split(",") if n.strip()}
    return bool(wanted.intersection(names))


def _load_entry_points(state: _State) -> None:
    state.entry_points_loaded = True
    if not state.load_entry_points:
        return
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = ep.dist
        dist_name = dist.metadata["Name"] if dist is not None else None
        if not _allowed([ep.name, *([dist_name] if dist_name else [])]):
            continue
        if state.pm.get_plugin(ep.name) is not None or state.pm.is_blocked(ep.name):
            continue
        state.pm.register(ep.load(), name=ep.name)
        if dist is not None and dist_name is not None:
            state.distributions[ep.name] = (dist_name, dist.version)
    state.generation = next(_changes)


def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager, with installed entry points loaded on first call."""
    state = _state
    if not state.entry_points_loaded:
        _load_entry_points(state)
    return state.pm


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
                distribution=dist[0] if dist else None,
                version=dist[1] if dist else None,
                hooks=hooks,
                builtin=name in _state.builtin,
            )
        )
    infos.sort(key=lambda i: (not i.builtin, i.name))
    return tuple(infos)


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
