"""The JSON Schemas of the profile format and of audit records: generated from the attrs
classes, shipped as generated, accepting every bundled profile and example audit, and
refusing what the converter refuses.

After changing a profile or audit class on purpose, rewrite the shipped schemas with
``python tests/test_schemas.py`` (in the project's environment) and read the diff.
"""

from __future__ import annotations

import copy
import json
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cattrs.errors import BaseValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from qaframework import from_dict, to_dict
from qaframework.authoring import scaffold_distribution
from qaframework.engine.audits import Audit
from qaframework.errors import ProfileError
from qaframework.io import load_audits
from qaframework.profiles.schema import (
    PROFILE_SCHEMA_URL,
    SCHEMA_FILES,
    audit_schema,
    profile_schema,
    schema_text,
    shipped_schema,
)
from qaframework.profiles.validation import profile_from_data
from qaframework.testing.strategies import audits, profiles

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "src" / "qaframework" / "profiles" / "schemas"
PROFILE_FILES = sorted(REPO.glob("profiles/*/src/*/data/*.toml"))
EXAMPLE_AUDITS = sorted(REPO.glob("examples/*/audits.jsonl"))
GENERATED = {"profile": profile_schema, "audit": audit_schema}


def validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        shipped_schema(name), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def as_json(value: Any) -> Any:
    """TOML's values as an editor's validator sees them: a TOML date is its ISO string."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_toml(path: Path) -> Any:
    with path.open("rb") as file:
        return tomllib.load(file)


def errors(name: str, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(data)
    ]


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_the_shipped_schema_is_the_generated_one(name: str) -> None:
    shipped = (SHIPPED / SCHEMA_FILES[name]).read_text("utf-8")
    assert shipped == schema_text(GENERATED[name]()), (
        f"{SCHEMA_FILES[name]} is stale: run python tests/test_schemas.py"
    )
    assert shipped_schema(name) == GENERATED[name]()


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_the_schema_is_a_draft_7_schema(name: str) -> None:
    schema = shipped_schema(name)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$id"].endswith(SCHEMA_FILES[name])
    # Keywords an editor's draft 4 validator reads too.
    text = json.dumps(schema)
    for newer in ('"const"', '"$defs"', '"if"', '"then"', '"propertyNames"', "(?="):
        assert newer not in text


def test_a_missing_schema_is_named() -> None:
    with pytest.raises(KeyError, match="no schema 'cases'"):
        shipped_schema("cases")


# -- profiles ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: f"{p.parts[-5]}/{p.name}")
def test_every_bundled_profile_is_accepted_and_names_the_schema(path: Path) -> None:
    assert errors("profile", as_json(read_toml(path))) == []
    first = path.read_text("utf-8").splitlines()[0]
    assert first == f"#:schema {PROFILE_SCHEMA_URL}"


def test_a_scaffolded_profile_names_the_schema_and_is_accepted(tmp_path: Path) -> None:
    made = scaffold_distribution("kestrel_vale", tmp_path, effective_from=date(2027, 4, 1))
    text = made.data_file.read_text("utf-8")
    assert text.splitlines()[0] == f"#:schema {PROFILE_SCHEMA_URL}"
    assert errors("profile", as_json(tomllib.loads(text))) == []


@settings(max_examples=20, deadline=None)
@given(profiles())
def test_every_profile_the_converter_writes_is_accepted(profile: Any) -> None:
    assert errors("profile", to_dict(profile)) == []


SWINDON = REPO / "profiles" / "swindon" / "src" / "qaframework_swindon" / "data" / "2026-01-01.toml"


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    place = changed
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = value
    return changed


HOSTILE_PROFILES = {
    "an integer where text goes": (("name",), 42),
    "text where an integer goes": (("schema",), "1"),
    "a true where an integer goes": (("activities", 0, "quota", "count"), True),
    "a list where a table goes": (("grade_scale",), ["good"]),
    "a table where a list goes": (("roles",), {"id": "director"}),
    "an unknown section": (("frameworks",), []),
    "an unknown key in an item": (("roles", 0, "salary"), 50000),
    "an unknown key in a citation": (("grade_scale", "citation", "page"), 3),
    "a day that does not exist": (("effective_from",), "2026-02-30"),
    "a date in another form": (("effective_from",), "01/01/2026"),
    "a date with a time": (("effective_from",), "2026-01-01T09:00:00"),
    "a duration in words": (("activities", 0, "cadence"), "monthly"),
    "a duration with a time": (("activities", 0, "cadence"), "PT4H"),
    "a duration of nothing": (("activities", 0, "cadence"), "P"),
    "a duration with a full-width digit": (("activities", 0, "cadence"), "P６W"),
    "a lookback that is no duration": (("activities", 0, "sampling", "lookback"), "P1Q"),
    "a kind that is not one": (("standards", 0, "kind"), "aspiration"),
    "another schema version": (("schema",), 2),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PROFILES))
def test_a_hostile_profile_is_refused_by_the_schema_and_the_validator(case: str) -> None:
    data = as_json(read_toml(SWINDON))
    path, value = HOSTILE_PROFILES[case]
    if path[:3] == ("activities", 0, "sampling"):
        found = next(i for i, a in enumerate(data["activities"]) if a.get("sampling"))
        path = ("activities", found, *path[2:])
    if path[:3] == ("activities", 0, "quota"):
        found = next(i for i, a in enumerate(data["activities"]) if a.get("quota"))
        path = ("activities", found, *path[2:])
    hostile = _set(data, path, value)
    assert errors("profile", hostile), case
    with pytest.raises(ProfileError):
        profile_from_data(hostile)


def test_a_missing_required_section_is_refused() -> None:
    data = as_json(read_toml(SWINDON))
    del data["grade_scale"]
    assert any("'grade_scale' is a required property" in e for e in errors("profile", data))


# -- audits ------------------------------------------------------------------------------


def _records(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", EXAMPLE_AUDITS, ids=lambda p: p.parts[-2])
def test_every_example_audit_is_accepted(path: Path) -> None:
    records = _records(path)
    assert records
    for record in records:
        assert errors("audit", record) == [], record["id"]


def test_every_audit_a_mapped_export_loads_is_accepted_as_the_converter_writes_it() -> None:
    bolton = REPO / "examples" / "bolton"
    load = load_audits(bolton / "audits.csv", "bolton", mapping=bolton / "audits.mapping.toml")
    assert load.accepted
    for audit in load.accepted:
        assert errors("audit", to_dict(audit)) == [], audit.id


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_every_audit_the_converter_writes_is_accepted(data: st.DataObject) -> None:
    profile = data.draw(profiles())
    audit = data.draw(audits(profile, ungraded=True))
    assert errors("audit", to_dict(audit)) == []


FIRST = next(r for r in _records(REPO / "examples" / "swindon" / "audits.jsonl") if r["judgements"])
HOSTILE_AUDITS = {
    "an integer id": (("id",), 17),
    "a missing grade written as an empty list": (("overall_grade",), []),
    "a date that does not exist": (("audit_date",), "2026-02-29"),
    "a date in the council's own form": (("audit_date",), "03/06/2026"),
    "an unknown key": (("colour",), "red"),
    "an unknown key in a judgement": (("judgements", 0, "score"), 3),
    "a concern that is not one": (("concerns",), ["weather"]),
    "a list of one text where a list of judgements goes": (("judgements",), ["good"]),
    "a moderation outcome that is not one": (("moderations",), [{"outcome": "maybe"}]),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_AUDITS))
def test_a_hostile_audit_is_refused_by_the_schema_and_the_converter(case: str) -> None:
    path, value = HOSTILE_AUDITS[case]
    hostile = _set(FIRST, path, value)
    assert errors("audit", hostile), case
    with pytest.raises(BaseValidationError):
        from_dict(Audit, hostile)


def test_a_missing_required_field_is_refused() -> None:
    record = dict(FIRST)
    del record["auditor_role"]
    assert any("'auditor_role' is a required property" in e for e in errors("audit", record))


if __name__ == "__main__":
    for name, make in GENERATED.items():
        (SHIPPED / SCHEMA_FILES[name]).write_text(schema_text(make()), encoding="utf-8")
        print(f"wrote {SHIPPED / SCHEMA_FILES[name]}", file=sys.stderr)
