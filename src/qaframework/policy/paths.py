"""Profile paths: where a fact is in a profile, such as ``$.activities[file_audit].cadence``.

An assumption names the facts it governs by their paths (``concerns``); a problem found in a
profile names where it is. A path starts at ``$`` and takes steps: ``.name`` reads a field,
``[file_audit]`` the item of a list whose ``id`` (a grade's ``code``) is ``file_audit``, and
``[3]`` the item at place 3, counted from 0.

Items are addressed by id: ``$.roles[senior_manager]`` names the same role whatever its
place, while ``$.roles[3]`` names whichever role is fourth, and so points at another role
once roles are added, removed or reordered. :func:`resolve_path` reads both, and says which
items a path reached by their place (:attr:`ResolvedPath.by_place`) and what the path is in
ids (:attr:`ResolvedPath.by_id`), so that the profile checks can refuse a place where an id
belongs and compare what a path meant in two versions. Lists whose items have no id (a
moderation policy's ``selection`` rules) are addressed by place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = [
    "PathError",
    "PlaceStep",
    "ResolvedPath",
    "item_key",
    "resolve_path",
]

_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[([a-z][a-z0-9_]*)\]")


class PathError(ValueError):
    """A path that does not point into the profile; the message says why."""


@attrs.frozen
class PlaceStep:
    """A step of a path that reached an item by its place: ``list_path[index]``, the item
    whose id is ``key``."""

    list_path: str
    index: int
    key: str


@attrs.frozen
class ResolvedPath:
    """Where a path led.

    ``by_id`` is the path with every item that has an id addressed by it
    (``$.activities[file_audit].cadence`` for ``$.activities[3].cadence``); ``by_place`` the
    steps that reached an item with an id by its place; ``value`` what the path points at
    (None where ``judged`` is False: the path runs through a part that could not be built,
    which has problems of its own).
    """

    path: str
    by_id: str
    by_place: tuple[PlaceStep, ...] = ()
    value: Any = None
    judged: bool = True


def item_key(item: object) -> str | None:
    """The key an item of a list is addressed by: its ``id``, or a grade's ``code``."""
    for name in ("id", "code"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return None


_ALIASES: dict[type, dict[str, str]] = {}


def _fields(cls: type) -> dict[str, str]:
    """A class's fields as data names them (the init alias) to attribute names."""
    found = _ALIASES.get(cls)
    if found is None:
        found = {f.alias: f.name for f in attrs.fields(cls) if f.init}
        _ALIASES[cls] = found
    return found


def resolve_path(root: Any, path: str) -> ResolvedPath:
    """Follow ``path`` from ``root`` (a profile, or a mapping of its sections by name).

    Raises :class:`PathError` saying why when the path does not point into the profile: it
    does not start with ``$.``, a step cannot be read, a field does not exist, no item has
    the id, or the list has no item at that place.
    """
    if not path.startswith("$."):
        raise PathError(f"{path!r} is not a profile path: a path starts with '$.'")
    current: Any = root
    position = 1
    written = "$"
    places: list[PlaceStep] = []
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            raise PathError(f"{path!r} is not a profile path: cannot read {path[position:]!r}")
        name, number, key = match.groups()
        position = match.end()
        if current is None:
            # A part that could not be built, or an empty optional field: not judged.
            return ResolvedPath(path, written + path[match.start() :], tuple(places), None, False)
        if name is not None:
            if isinstance(current, Mapping) and written == "$":
                if name not in current:
                    return ResolvedPath(path, path, tuple(places), None, False)
                current = current[name]
            elif attrs.has(type(current)) and name in _fields(type(current)):
                current = getattr(current, _fields(type(current))[name])
            else:
                raise PathError(f"{path!r} does not point into the profile: no field {name!r}")
            written += f".{name}"
            continue
        if not isinstance(current, tuple):
            step = f"[{number if number is not None else key}]"
            raise PathError(f"{path!r} does not point into the profile: {step} of a non-list")
        if number is not None:
            index = int(number)
            if index >= len(current):
                raise PathError(
                    f"{path!r} does not point into the profile: no item [{index}] "
                    f"({len(current)} items)"
                )
            item = current[index]
            found_key = item_key(item) if item is not None else None
            if found_key is not None:
                places.append(PlaceStep(written, index, found_key))
                written += f"[{found_key}]"
            else:
                written += f"[{index}]"
            current = item
            continue
        keys = [item_key(item) for item in current]
        if key not in keys and None in current:
            # An item that could not be built may be the one: not judged.
            return ResolvedPath(path, written + path[match.start() :], tuple(places), None, False)
        if key not in keys:
            known = ", ".join(k for k in keys if k is not None) or "none"
            raise PathError(
                f"{path!r} does not point into the profile: no item {key!r} in "
                f"{written} (known: {known})"
            )
        current = current[keys.index(key)]
        written += f"[{key}]"
    return ResolvedPath(path, written, tuple(places), current)
