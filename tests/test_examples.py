"""The bundled example files: regenerated exactly by examples/generate.py, and loadable."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType

import attrs
import pytest

from qaframework.engine.audits import Audit
from qaframework.engine.obligations import obligations_due
from qaframework.io import load_activity_log, load_audits, load_cases
from qaframework.profiles.registry import load_profile
from tests.siblings import from_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COUNCILS = ("bolton", "manchester", "swindon", "telford")


@cache
def generator() -> ModuleType:
    """``examples/generate.py``, imported from its file (examples/ is not a package)."""
    return from_file("qaframework_examples", EXAMPLES / "generate.py")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("examples")
    generator().write_examples(target)
    return target


@pytest.mark.parametrize("council", COUNCILS)
def test_the_committed_files_are_what_the_script_makes(council: str, regenerated: Path) -> None:
    written = sorted(p.name for p in (regenerated / council).iterdir())
    assert written == sorted(generator().FILES)
    for name in generator().FILES:
        made = (regenerated / council / name).read_bytes()
        committed = (EXAMPLES / council / name).read_bytes()
        assert made == committed, f"examples/{council}/{name} is stale: run examples/generate.py"


@pytest.mark.parametrize("council", COUNCILS)
def test_the_audits_load_without_rejections_both_ways(council: str) -> None:
    folder = EXAMPLES / council
    export = load_audits(folder / "audits.csv", council, mapping=folder / "audits.mapping.toml")
    native = load_audits(folder / "audits.jsonl", council)
    assert export.rejected == ()
    assert native.rejected == ()
    assert export.unmapped_columns == ()
    assert export.missing_columns == ()
    assert 90 <= native.rows_read <= 400
    # The same audits: the export has no column for actions.
    stripped = tuple(attrs.evolve(a, actions=()) for a in native.accepted)
    assert export.accepted == stripped
    assert any(a.actions for a in native.accepted)
    assert any(a.moderated for a in native.accepted)


@pytest.mark.parametrize("council", COUNCILS)
def test_the_native_audits_are_the_generated_ones(council: str) -> None:
    _profile, data = generator().council_data(council)
    native = load_audits(EXAMPLES / council / "audits.jsonl", council)
    assert native.accepted == data.audits


def test_bolton_is_dated_under_its_2026_framework() -> None:
    audits: tuple[Audit, ...] = load_audits(EXAMPLES / "bolton" / "audits.jsonl", "bolton").accepted
    assert min(a.audit_date for a in audits) >= date(2026, 2, 5)
    assert {a.activity for a in audits} == {"quality_case_file_audits"}


@pytest.mark.parametrize("council", COUNCILS)
def test_the_case_list_and_activity_log_load(council: str) -> None:
    folder = EXAMPLES / council
    cases = load_cases(folder / "cases.csv")
    assert cases.rejected == ()
    assert cases.rows_read > 200
    assert {"Legal Status", "Age Band", "Start Date"} <= set(cases.field_columns)
    log = load_activity_log(folder / "activity-log.csv")
    assert log.rejected == ()
    assert log.rows_read > 0
    profile = load_profile(council, as_of=date(2026, 6, 30))
    standing = obligations_due(profile, log.accepted, as_of=date(2026, 6, 30))
    assert standing


def test_the_readme_says_the_data_is_synthetic() -> None:
    text = (EXAMPLES / "README.md").read_text("utf-8")
    assert "synthetic" in text.lower()
    assert "no real children" in text.lower()
    for council in COUNCILS:
        assert f"{council}/" in text
