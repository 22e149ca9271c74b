"""Walking the public model of a profile: its fields, objects, strings and paths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from qaframework.policy.profile import Profile

__all__: list[str] = []


_FIELDS: dict[type, dict[str, str]] = {}


def _field_map(cls: type) -> dict[str, str]:
    """A class's fields as data names them (the init alias) to attribute names."""
    found = _FIELDS.get(cls)
    if found is None:
        found = {f.alias: f.name for f in attrs.fields(cls) if f.init}
        _FIELDS[cls] = found
    return found


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(_field_map(cls))


def _value(obj: Any, name: str) -> Any:
    return getattr(obj, _field_map(type(obj))[name])


def _objects(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every attrs value inside ``value`` with its profile path, depth first, in order."""
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _objects(item, f"{path}[{index}]")
        return
    if not attrs.has(type(value)):
        return
    yield path, value
    for name in _fields(type(value)):
        yield from _objects(_value(value, name), f"{path}.{name}")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` with its profile path (enum values are not text)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif attrs.has(type(value)):
        for name in _fields(type(value)):
            yield from _strings(_value(value, name), f"{path}.{name}")


def _sections(profile: Profile) -> Iterator[tuple[str, Any]]:
    for name in _fields(Profile):
        yield f"$.{name}", _value(profile, name)


def _all_objects(profile: Profile) -> Iterator[tuple[str, Any]]:
    for path, value in _sections(profile):
        yield from _objects(value, path)
