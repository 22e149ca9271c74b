"""Loading native JSON and JSON Lines with the profile's words shared
(``qaframework.io.native``): every activity, role, grade and standard a profile knows is one
string object however many audits hold it, and a file holding any other word loads exactly
as it did before (decoded again without the words, every problem named as before)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from qaframework.io import audits as audits_module
from qaframework.io import native
from qaframework.io.audits import AuditLoad, load_audits
from tests.native_files import native_audit, native_file


def _audit(number: int, **changes: Any) -> dict[str, Any]:
    return {**native_audit(number), **changes}


def _without_words(path: Path, monkeypatch: pytest.MonkeyPatch) -> AuditLoad:
    with monkeypatch.context() as patch:
        patch.setattr(audits_module, "_vocabulary", lambda versions: ())
        return load_audits(path, "bolton")


@pytest.mark.parametrize("lines", [False, True])
def test_the_profiles_words_are_one_object_each(tmp_path: Path, lines: bool) -> None:
    load = load_audits(native_file(tmp_path, [_audit(n) for n in range(3)], lines), "bolton")
    assert load.rejected == ()
    first, second, third = load.accepted
    for name in ("activity", "auditor_role", "overall_grade"):
        assert getattr(first, name) is getattr(second, name) is getattr(third, name), name
    assert first.judgements[0].standard is third.judgements[0].standard
    assert first.judgements[0].grade is third.judgements[0].grade is third.overall_grade
    assert first.moderations[0].role is third.moderations[0].role
    assert first.moderations[0].grade is third.moderations[0].grade


@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize(
    "changes",
    [
        {"overall_grade": "Meets good"},  # a label, not a code: the profile's check says so
        {"activity": "case_audit"},
        {"auditor_role": "manager"},
        {"overall_grade": None},
        {"overall_grade": 3},
        {"judgements": [{"standard": "safety", "grade": "meets_good"}]},
        {"judgements": [{"standard": "assessment", "grade": "good", "rationale": "r"}]},
        {"moderations": [{**_audit(0)["moderations"][0], "role": "hos"}]},
        {"colour": "red"},
    ],
)
def test_a_file_with_other_words_loads_as_without_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: bool, changes: dict[str, Any]
) -> None:
    rows = [_audit(1), _audit(2, **changes), _audit(3)]
    path = native_file(tmp_path, rows, lines)
    load = load_audits(path, "bolton")
    assert load == _without_words(path, monkeypatch)
    assert [a.id for a in load.accepted] == ["N1", "N3"]
    (rejection,) = load.rejected
    assert rejection.row == 2


def test_blank_lines_number_the_lines_as_without_the_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "audits.jsonl"
    rows = [json.dumps(_audit(n)) for n in range(3)]
    path.write_text(f"{rows[0]}\n\n{rows[1]}\n   \n{rows[2]}\n", encoding="utf-8")
    load = load_audits(path, "bolton")
    assert load == _without_words(path, monkeypatch)
    assert (load.rows_read, load.blank_rows, load.lines_read) == (3, 2, 5)


def test_a_slice_that_will_not_convert_is_converted_audit_by_audit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Structs become audits a slice at a time; a slice the attrs classes refuse is read
    # struct by struct, keeping the slices before it and rejecting only the refused audit.
    monkeypatch.setattr(native, "_SLICE", 2)
    convert = msgspec.convert

    def refusing(value: Any, type: Any, **options: Any) -> Any:
        items = value if isinstance(value, list) else [value]
        if any(getattr(item, "id", None) == "N4" for item in items):
            raise msgspec.ValidationError("Expected `str`, got `int` - at `$.team`")
        return convert(value, type, **options)

    monkeypatch.setattr(msgspec, "convert", refusing)
    load = load_audits(native_file(tmp_path, [_audit(n) for n in range(7)], False), "bolton")
    assert [a.id for a in load.accepted] == ["N0", "N1", "N2", "N3", "N5", "N6"]
    (rejection,) = load.rejected
    assert (rejection.row, rejection.column) == (5, "team")
