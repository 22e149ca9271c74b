"""JSON Schemas for the profile format and for audit records, generated from the attrs
classes the converter reads.

A service written in another language, or an editor checking a profile's TOML as it is
typed, needs the shape of the data without Python. :func:`json_schema` walks an attrs
class the way :mod:`qaframework.profiles.converter` structures it: each field of the class
is a property (required when it has no default), an unknown key is refused
(``additionalProperties: false``), a nested class is a definition of its own, a tuple an
array, an enumeration its values, ``X | None`` either or ``null``, a date an ISO 8601 string
(``YYYY-MM-DD``, a real day), a duration (``P6W``) and a cadence (``P1M``, ``ongoing``,
``as-required``, ``regular``, ``on-event:case_transfer``, ``after-event:panel/P12M/then/P1Y``)
the strings the converter reads.

- :func:`profile_schema`: a profile data file (:func:`~qaframework.profiles.validation.
  profile_from_data`), the ``schema`` key included;
- :func:`audit_schema`: one audit record in the native form (``qaframework.to_dict(audit)``,
  what :func:`qaframework.io.load_audits` reads from JSON or JSON Lines with no mapping).

The schemas check the shape of the data; what only a whole profile can say (that a role
named is declared, ids are unique, the grade scale crosswalks in order) is checked by
:func:`~qaframework.profiles.validation.profile_from_data` and ``qaframework profile
check``, and an audit against its profile by :func:`~qaframework.engine.audits.check_audit`.
Both schemas are shipped in the package (:func:`shipped_schema`) and published with the
documentation; :data:`PROFILE_SCHEMA_URL` is the address a profile's ``#:schema`` line names.
"""

from __future__ import annotations

import enum
import json
import typing
from datetime import date
from types import NoneType, UnionType
from typing import Any

import attrs

from qaframework.engine.audits import Audit
from qaframework.policy.cadence import Cadence, IsoDuration
from qaframework.policy.profile import Profile
from qaframework.profiles.validation import SCHEMA_VERSION

__all__ = [
    "AUDIT_SCHEMA_URL",
    "PROFILE_SCHEMA_URL",
    "SCHEMA_FILES",
    "SchemaError",
    "audit_schema",
    "json_schema",
    "profile_schema",
    "schema_text",
    "shipped_schema",
]

_BASE = "https://raw.githubusercontent.com/qaframework/qaframework/main/src/qaframework/profiles/schemas"
PROFILE_SCHEMA_URL = f"{_BASE}/profile.schema.json"
"""Where the profile format's schema is published: the ``$id`` of :func:`profile_schema`,
and what the ``#:schema`` line of a profile's TOML names for an editor."""
AUDIT_SCHEMA_URL = f"{_BASE}/audit.schema.json"
"""Where the audit record's schema is published: the ``$id`` of :func:`audit_schema`."""

SCHEMA_FILES = {"profile": "profile.schema.json", "audit": "audit.schema.json"}
"""The shipped schema files, in ``qaframework/profiles/schemas/``, by name."""

_DRAFT = "http://json-schema.org/draft-07/schema#"

# The strings the converter reads for its string-written types, as ECMA 262 patterns that
# need no look-ahead (editors' validators differ in what they support). ASCII digits only,
# as the parsers read them.
_DAY = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DURATION = (
    "P(?:[0-9]+Y(?:[0-9]+M)?(?:[0-9]+W)?(?:[0-9]+D)?|[0-9]+M(?:[0-9]+W)?(?:[0-9]+D)?"
    "|[0-9]+W(?:[0-9]+D)?|[0-9]+D)"
)
_EVENTS = " *[a-z][a-z0-9_]* *(?:, *[a-z][a-z0-9_]* *)*"
_DELAY = f"(?:{_DURATION}|[1-9][0-9]*WD)"
_STRING_TYPES: dict[type, dict[str, Any]] = {
    date: {"type": "string", "format": "date", "pattern": _DAY, "description": "YYYY-MM-DD"},
    IsoDuration: {
        "type": "string",
        "pattern": f"^{_DURATION}$",
        "description": "An ISO 8601 duration of years, months, weeks and days: P6W, P1M, P1Y.",
    },
    Cadence: {
        "type": "string",
        "pattern": (
            f"^(?:{_DURATION}|ongoing|as-required|regular|not stated|on-event:{_EVENTS}"
            f"|before-event:{_EVENTS}(?:/{_DELAY})?"
            f"|after-event:{_EVENTS}(?:/{_DELAY}(?:/then/{_DURATION})?)?)$"
        ),
        "description": (
            "An ISO 8601 duration (P6W, P1M), 'ongoing', 'as-required', 'regular', 'not stated', "
            "'on-event:<event>[,<event>...]', 'before-event:<event>[/<delay>]' or "
            "'after-event:<event>[/<delay>[/then/<duration>]]' (a delay is a duration or "
            "working days: 5WD)."
        ),
    },
}
_SCALARS: dict[type, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
}
# Fields the converter neither reads nor writes (a profile's behaviour is code, not data).
_OMITTED: dict[type, frozenset[str]] = {Profile: frozenset({"behaviour"})}


class SchemaError(TypeError):
    """A type has no JSON Schema here (a field typed with something the converter does not
    read as data); the message names it."""


def _description(cls: type) -> str | None:
    doc = cls.__doc__
    if not doc:
        return None
    first = doc.strip().split("\n\n")[0]
    return " ".join(first.split())


class _Builder:
    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}

    def of(self, tp: Any, where: str) -> dict[str, Any]:
        if tp in _STRING_TYPES:
            return dict(_STRING_TYPES[tp])
        if tp in _SCALARS:
            return dict(_SCALARS[tp])
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            values = [member.value for member in tp]
            kinds = sorted({"string" if isinstance(v, str) else "integer" for v in values})
            return {"type": kinds[0] if len(kinds) == 1 else kinds, "enum": values}
        if isinstance(tp, type) and attrs.has(tp):
            self.define(tp)
            return {"$ref": f"#/definitions/{tp.__name__}"}
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.of(args[0], where)}
        if origin is list and len(args) == 1:
            return {"type": "array", "items": self.of(args[0], where)}
        if origin is dict and len(args) == 2 and args[0] is str:
            return {"type": "object", "additionalProperties": self.of(args[1], where)}
        if origin in (UnionType, typing.Union):
            members = [a for a in args if a is not NoneType]
            if len(members) == len(args):
                return {"anyOf": [self.of(a, where) for a in members]}
            inner = self.of(members[0], where) if len(members) == 1 else None
            if inner is not None and set(inner) == {"type"} and isinstance(inner["type"], str):
                return {"type": [inner["type"], "null"]}
            choices = [self.of(a, where) for a in members]
            return {"anyOf": [*choices, {"type": "null"}]}
        raise SchemaError(f"{where}: no JSON Schema for the type {tp!r}")

    def define(self, cls: type) -> None:
        name = cls.__name__
        if name in self.definitions:
            return
        self.definitions[name] = {}  # a placeholder, so that a class that nests itself ends
        self.definitions[name] = self.object(cls)

    def object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        omitted = _OMITTED.get(cls, frozenset())
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if not field.init or field.name in omitted:
                continue
            name = field.alias or field.name
            properties[name] = self.of(hints[field.name], f"{cls.__name__}.{field.name}")
            if field.default is attrs.NOTHING:
                required.append(name)
        found: dict[str, Any] = {"title": cls.__name__}
        description = _description(cls)
        if description is not None:
            found["description"] = description
        found |= {"type": "object", "properties": properties}
        if required:
            found["required"] = required
        found["additionalProperties"] = False
        return found


def json_schema(cls: type, *, schema_id: str | None = None, title: str | None = None) -> Any:
    """A JSON Schema (draft 7, keywords an editor's validator of draft 4 also reads) for the
    plain data the converter reads into ``cls``, an attrs class (see the module docstring).

    ``schema_id`` is its ``$id``, ``title`` its title (the class's name by default). Raises
    :class:`SchemaError` for a field typed with something the converter does not read.
    """
    builder = _Builder()
    root = builder.object(cls)
    head: dict[str, Any] = {"$schema": _DRAFT}
    if schema_id is not None:
        head["$id"] = schema_id
    head["title"] = title if title is not None else cls.__name__
    root.pop("title")
    definitions = {k: v for k, v in sorted(builder.definitions.items()) if k != cls.__name__}
    return head | root | ({"definitions": definitions} if definitions else {})


def profile_schema() -> Any:
    """The JSON Schema of a profile data file (the TOML or JSON a council's distribution
    registers), with the ``schema`` key of the format's version."""
    found = json_schema(
        Profile,
        schema_id=PROFILE_SCHEMA_URL,
        title=f"qaframework profile (format version {SCHEMA_VERSION})",
    )
    found["properties"] = {
        "schema": {
            "type": "integer",
            "enum": [SCHEMA_VERSION],
            "description": "The version of the profile format (this release reads "
            f"{SCHEMA_VERSION}); optional.",
        },
        **found["properties"],
    }
    return found


def audit_schema() -> Any:
    """The JSON Schema of one audit record in the native form: an object of a JSON array,
    or a line of JSON Lines, that :func:`qaframework.io.load_audits` reads with no
    mapping."""
    return json_schema(Audit, schema_id=AUDIT_SCHEMA_URL, title="qaframework audit record")


def schema_text(schema: Any) -> str:
    """A schema as the shipped file holds it: JSON, two-space indented, ending in a newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def shipped_schema(name: str) -> Any:
    """The schema shipped in the package, ``"profile"`` or ``"audit"``, as plain data."""
    from importlib.resources import files

    if name not in SCHEMA_FILES:
        raise KeyError(f"no schema {name!r} (schemas: {', '.join(SCHEMA_FILES)})")
    text = files("qaframework.profiles").joinpath("schemas", SCHEMA_FILES[name]).read_text("utf-8")
    return json.loads(text)
