"""The one cattrs converter: core types to plain data and back, strictly.

cattrs by default coerces: ``"123"`` becomes ``123`` and ``7`` becomes ``"7"``, a string
given where a list is expected becomes a list of characters. A council's profile or export
with such a slip must be rejected, so this converter registers strict hooks: a value of the
wrong type is an error naming its path, never coerced. Dates are ISO 8601 strings
(``2026-02-05``), durations and cadences ISO 8601 duration strings (``P6W``), enums their
values; unknown keys are rejected, so misplaced data is reported rather than ignored.
"""

from __future__ import annotations

import enum
import functools
import re
import types
from collections.abc import Callable, Iterable, Mapping, MutableSequence, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from qaframework.engine.audits import Audit
from qaframework.errors import Problem
from qaframework.policy.activities import Activity
from qaframework.policy.cadence import Cadence, IsoDuration, Quota
from qaframework.policy.case_filters import CaseFilter
from qaframework.policy.escalation import Consequence
from qaframework.policy.moderation import SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NOT_STATED, NOT_STATED_TEXT, NotStated

__all__ = ["converter", "from_dict", "problems_from_exception", "to_dict"]

T = TypeVar("T")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class StrictTypeError(TypeError):
    """A value had the wrong type; the message says what was expected and what came."""


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    described = f"{type(value).__name__} {text}"
    if value == NOT_STATED_TEXT:
        # A known unknown written where the format has no place for one.
        described += " (this field cannot be 'not stated'; see the profile format's list)"
    return described


def _strict_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise StrictTypeError(f"expected a string, got {_describe(value)}")
    return value


def _strict_int(value: object, _: type) -> int:
    if type(value) is not int:
        raise StrictTypeError(f"expected an integer, got {_describe(value)}")
    return value


def _strict_float(value: object, _: type) -> float:
    if type(value) not in (int, float):
        raise StrictTypeError(f"expected a number, got {_describe(value)}")
    return float(value)  # type: ignore[arg-type]


def _strict_bool(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise StrictTypeError(f"expected true or false, got {_describe(value)}")
    return value


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, datetime):
        raise StrictTypeError(f"expected a date without a time, got {_describe(value)}")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a valid date: {exc}") from None
    raise StrictTypeError(f"expected an ISO 8601 date (YYYY-MM-DD), got {_describe(value)}")


def _structure_duration(value: object, _: type) -> IsoDuration:
    if not isinstance(value, str):
        raise StrictTypeError(f"expected an ISO 8601 duration string, got {_describe(value)}")
    return IsoDuration.parse(value)


def _structure_cadence(value: object, _: type) -> Cadence:
    if not isinstance(value, str):
        raise StrictTypeError(f"expected a cadence string, got {_describe(value)}")
    return Cadence.parse(value)


_QUOTAS = frozenset({Quota, tuple[Quota, ...], type(None)})


def _is_quotas(tp: Any) -> bool:
    """``Quota | tuple[Quota, ...] | None``: a field holding one quota or several."""
    return isinstance(tp, types.UnionType) and frozenset(get_args(tp)) == _QUOTAS


def _quotas_hook(conv: cattrs.Converter) -> Callable[[object, type], Any]:
    one = conv.get_structure_hook(Quota)
    several = conv.get_structure_hook(tuple[Quota, ...])

    def structure(value: object, _: type) -> Any:
        if value is None:
            return None
        if isinstance(value, Mapping):
            return one(value, Quota)
        if isinstance(value, list | tuple):
            if not value:
                raise ValueError("an empty list of quotas: leave quota out, or give one or more")
            return several(value, tuple[Quota, ...])
        raise StrictTypeError(
            f"expected a quota table or a list of quota tables, got {_describe(value)}"
        )

    return structure


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    values = {member.value: member for member in cls}
    allowed = ", ".join(repr(v) for v in values)

    def structure(value: object, _: type) -> enum.Enum:
        # Membership is by exact value and type: True must not pass for 1, nor 1 for "1".
        member = values.get(value) if isinstance(value, str | int) else None
        if member is None or type(member.value) is not type(value):
            raise ValueError(f"expected one of {allowed}, got {_describe(value)}")
        return member

    return structure


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_list(tp: Any) -> bool:
    return get_origin(tp) in (list, Sequence, MutableSequence)


def _array_hook_factory(
    make: Callable[[Any, cattrs.Converter], Callable[[Any, Any], Any]],
) -> Callable[[Any, cattrs.Converter], Callable[[object, type], Any]]:
    """Wrap a cattrs collection factory so that only an array (list or tuple) is accepted."""

    def factory(tp: Any, conv: cattrs.Converter) -> Callable[[object, type], Any]:
        inner = make(tp, conv)

        def structure(value: object, cl: type) -> Any:
            if not isinstance(value, list | tuple):
                raise StrictTypeError(f"expected a list, got {_describe(value)}")
            return inner(value, cl)

        return structure

    return factory


def _may_be_not_stated(tp: Any) -> bool:
    return NotStated in get_args(tp) and len(get_args(tp)) > 1


def _not_stated_hook_factory(tp: Any, conv: cattrs.Converter) -> Callable[[object, type], Any]:
    """A value that may be ``"not stated"`` (a known unknown): that string, or the value."""
    rest = tuple(arg for arg in get_args(tp) if arg is not NotStated)
    stated: Any = rest[0] if len(rest) == 1 else rest[0] | rest[1]  # at most X | None
    for more in rest[2:]:
        stated = stated | more

    def structure(value: object, _: type) -> Any:
        if value == NOT_STATED_TEXT:
            return NOT_STATED
        if isinstance(value, str) and _looks_not_stated(value):
            raise ValueError(f"write {NOT_STATED_TEXT!r} for a detail the source does not state")
        return conv.structure(value, stated)

    return structure


def _looks_not_stated(text: str) -> bool:
    words = text.strip().lower().replace("_", " ").replace("-", " ").split()
    return words in (["not", "stated"], ["unknown"], ["not", "known"])


def _is_attrs_class(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp)


def _attrs_hook_factory(cl: type, conv: cattrs.Converter) -> Callable[[object, type], Any]:
    return _attrs_hook_factory_for(make_dict_structure_fn(cl, conv))


def _attrs_hook_factory_for(
    inner: Callable[[Mapping[str, Any], Any], Any],
) -> Callable[[object, type], Any]:
    # cattrs reads any value with ``.keys()``; anything else fails with an AttributeError
    # that reaches the author as "unknown error", so say what was expected instead.
    def structure(value: object, cl: type) -> Any:
        if not isinstance(value, Mapping):
            raise StrictTypeError(f"expected a table of fields, got {_describe(value)}")
        return inner(value, cl)

    return structure


_WRITTEN_WHEN_SET: dict[type, tuple[str, ...]] = {
    Profile: ("scales", "role_checks"),
    Activity: ("scales", "checklist"),
    Consequence: ("activity",),
    SelectionRule: ("auditor_roles", "auditor_generic"),
    Audit: ("checklist", "ratings"),
}


def _on_first_use(make: Callable[[], Callable[..., Any]]) -> Callable[..., Any]:
    """A hook that makes the real one (``make()``, cattrs generating its code) when first
    called: generating every hook up front took most of this module's import time, which
    every process paid, including one that never reads or writes those classes."""
    made: Callable[..., Any] | None = None

    def hook(*args: Any) -> Any:
        nonlocal made
        if made is None:
            made = make()
        return made(*args)

    return hook


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(float, _strict_float)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(IsoDuration, _structure_duration)
    conv.register_unstructure_hook(IsoDuration, str)
    conv.register_structure_hook(Cadence, _structure_cadence)
    conv.register_unstructure_hook(Cadence, str)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    conv.register_structure_hook_factory(
        _is_homogeneous_tuple, _array_hook_factory(homogenous_tuple_structure_factory)
    )
    conv.register_structure_hook_factory(_is_list, _array_hook_factory(list_structure_factory))
    conv.register_structure_hook_factory(_is_attrs_class, _attrs_hook_factory)
    conv.register_structure_hook_factory(_is_quotas, lambda _tp, c: _quotas_hook(c))
    # A filter writes only what it states: a field test is {field, values}, a combination
    # its one list (the rest are defaults, which reading fills back in).
    conv.register_unstructure_hook(
        CaseFilter,
        _on_first_use(
            lambda: make_dict_unstructure_fn(CaseFilter, conv, _cattrs_omit_if_default=True)
        ),
    )
    conv.register_structure_hook_factory(_may_be_not_stated, _not_stated_hook_factory)
    conv.register_unstructure_hook(NotStated, str)
    # Fields added since the first release are written only when they hold something, so
    # that a profile or an audit that does not use them is written as it always was.
    for cls, names in _WRITTEN_WHEN_SET.items():
        if cls is Profile:
            continue
        omitted: dict[str, Any] = {name: override(omit_if_default=True) for name in names}
        conv.register_unstructure_hook(
            cls, _on_first_use(functools.partial(make_dict_unstructure_fn, cls, conv, **omitted))
        )
    # A profile's behaviour is code, not data: it is neither written out nor read in.
    profile_fields: dict[str, Any] = {
        name: override(omit_if_default=True) for name in _WRITTEN_WHEN_SET[Profile]
    }
    profile_fields["behaviour"] = override(omit=True)
    conv.register_unstructure_hook(
        Profile,
        _on_first_use(functools.partial(make_dict_unstructure_fn, Profile, conv, **profile_fields)),
    )
    conv.register_structure_hook(
        Profile,
        _on_first_use(
            lambda: _attrs_hook_factory_for(
                make_dict_structure_fn(Profile, conv, behaviour=override(omit=True))
            )
        ),
    )
    return conv


converter: cattrs.Converter = _make_converter()
"""The project's converter. Use :func:`to_dict` and :func:`from_dict` rather than calling it."""


def to_dict(obj: Any) -> Any:
    """Plain data (dicts, lists, strings, numbers) for any qaframework value.

    Dates come out as ``YYYY-MM-DD``, durations and cadences as ISO 8601 strings (``P6W``),
    enums as their values. The result is JSON-serialisable and :func:`from_dict` reads it
    back to an equal value.
    """
    return converter.unstructure(obj)


def from_dict(cls: type[T], data: Any) -> T:
    """Build a ``cls`` from plain data, strictly.

    Raises :class:`cattrs.errors.BaseValidationError` (a subclass of ``ExceptionGroup``)
    when the data does not fit; :func:`problems_from_exception` turns it into
    :class:`~qaframework.errors.Problem` entries with paths.
    """
    return converter.structure(data, cls)


def _format(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, StrictTypeError | ValueError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    return cattrs.v.format_exception(exc, type_)


def problems_from_exception(exc: BaseException, path: str = "$") -> list[Problem]:
    """Every error inside a cattrs validation error, each with its path, in document order."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        messages: Iterable[str] = cattrs.transform_error(exc, path=path, format_exception=_format)
    else:
        messages = [f"{_format(exc, None)} @ {path}"]
    problems = []
    for message in messages:
        text, _, where = message.rpartition(" @ ")
        problems.append(Problem(where or path, text or message))
    return problems
