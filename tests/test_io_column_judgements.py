"""The columnar engine's judgements: shared while they repeat, made a row at a time when
they do not (``qaframework.io._column_judgements``), the load always the row engine's."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.io import _column_judgements, _columns, _fast_rows
from qaframework.io.audits import AuditLoad, load_audits
from tests.siblings import sibling

pytest.importorskip("polars")


_audits = sibling("test_io_audits")
_columns_tests = sibling("test_io_columns")
ROW_2026, write_csv = _audits.ROW_2026, _audits.write_csv
counting_calls = _columns_tests.counting_calls
Tables = _column_judgements.JudgementTables


def _rows(notes: list[int]) -> list[dict[str, Any]]:
    return [
        {**ROW_2026, "Audit ID": f"B{n}", "assessment rationale": f"Note {note}."}
        for n, note in enumerate(notes)
    ]


def _load(path: Path) -> AuditLoad:
    by_columns = load_audits(path, "bolton", engine="columns")
    assert by_columns == load_audits(path, "bolton", engine="rows")
    return by_columns


def test_judgements_that_barely_repeat_are_made_a_row_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A standard whose rows in a slice give at least a window of distinct judgements, more
    # than half as many as its graded rows, ends the sharing: that standard's judgements
    # and every later one's are made from the rows' cells, not keyed and looked up.
    monkeypatch.setattr(_fast_rows, "SHARING_WINDOW", 4)
    notes = [0, 1, 2, 3, 4, 5, 0, 1]
    path = write_csv(tmp_path / "differ.csv", _rows(notes))
    with (
        counting_calls(Tables, "_keyed") as keyed,
        counting_calls(Tables, "_direct") as direct,
    ):
        load = _load(path)
    assert keyed == []
    assert len(direct) >= 1
    found = [a.judgements[0] for a in load.accepted]
    assert [j.rationale for j in found] == [f"Note {n}." for n in notes]
    # Equal, but each row's own.
    assert found[6] == found[0]
    assert found[6] is not found[0]


def test_judgements_that_repeat_are_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fewer distinct judgements than half the graded rows: keyed, one object each.
    monkeypatch.setattr(_fast_rows, "SHARING_WINDOW", 2)
    notes = [0, 1, 0, 1, 0, 1, 0, 1, 0]
    path = write_csv(tmp_path / "repeat.csv", _rows(notes))
    with counting_calls(Tables, "_direct") as direct:
        load = _load(path)
    assert direct == []
    found = [a.judgements[0] for a in load.accepted]
    for index, note in enumerate(notes):
        assert found[index] is found[note], index


def test_a_full_table_that_finds_few_ends_the_sharing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Slices of a few rows, each repeating within itself (never past half its rows
    # distinct): once the table of judgements is full, a window of lookups finding fewer
    # than half there ends the sharing, as on the row engine.
    monkeypatch.setattr(_fast_rows, "CACHE_LIMIT", 2)
    monkeypatch.setattr(_fast_rows, "SHARING_WINDOW", 2)
    monkeypatch.setattr(_columns, "_SLICE_BYTES", 1)  # slices of two rows
    notes = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    path = write_csv(tmp_path / "slices.csv", _rows(notes))
    tables: list[Any] = []
    real_init = Tables.__init__

    def init(self: Any, limit: int, shared: dict[Any, Any]) -> None:
        real_init(self, limit, shared)
        tables.append(self)

    with (
        mock.patch.object(Tables, "__init__", init),
        counting_calls(Tables, "_keyed") as keyed,
        counting_calls(Tables, "_direct") as direct,
    ):
        load = _load(path)
    (table,) = tables
    assert not table.window.sharing
    assert table.remembered == 2
    assert keyed
    assert direct
    assert [a.judgements[0].rationale for a in load.accepted] == [f"Note {n}." for n in notes]


def test_shapes_from_judgements_and_from_rows_are_the_same() -> None:
    # What the check reads of a judgement (its grade, which notes are written), found from
    # the judgements made once each, or by polars from the rows' cells: each row's shape is
    # the same either way.
    import polars as pl

    from qaframework.engine.audits import Judgement

    grades = ["good", None, "good", "ri", "good"]
    cells = {
        "r": ["why", None, "other", None, None],
        "s": [None, None, None, "well", "fine"],
        "w": [None, None, None, None, "more"],
    }
    made = [
        None if g is None else Judgement("s", g, r, s, w)
        for g, r, s, w in zip(grades, *cells.values(), strict=True)
    ]
    columns = {"grade": "g", "rationale": "r", "strengths": "s", "would_improve": "w"}
    rows = pl.DataFrame({"g": grades, **cells})
    expected = [
        ("good", True, False, False),
        None,
        ("good", True, False, False),
        ("ri", False, True, False),
        ("good", False, True, True),
    ]
    for by_number, per_row in (
        _column_judgements.shapes_of(("s", made, None, None)),
        Tables._row_shapes(columns, rows, grades),
    ):
        assert [by_number[n] for n in per_row.to_list()] == expected
    # A standard without a note column: none written.
    by_number, per_row = Tables._row_shapes({"grade": "g"}, rows, grades)
    assert [by_number[n] for n in per_row.to_list()] == [
        None if g is None else (g, False, False, False) for g in grades
    ]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    _columns_tests.exports(),
    st.sampled_from([1, 300, _columns._SLICE_BYTES]),
    st.sampled_from([0, 1, 3]),
)
def test_either_way_of_making_judgements_gives_the_row_engines_load(
    tmp_path: Path,
    export: tuple[int, str, int, list[tuple[int, int, str]]],
    slice_bytes: int,
    window: int,
) -> None:
    # The hostile corpus's exports with a window small enough that standards switch to
    # judgements made a row at a time (0: at their first slice), in slices of every size.
    seed, mutation, number, edits = export
    path, mapping = _columns_tests._write(
        tmp_path, _columns_tests.SEEDS[seed], mutation, number, edits
    )
    with (
        mock.patch.object(_columns, "_SLICE_BYTES", slice_bytes),
        mock.patch.object(_fast_rows, "SHARING_WINDOW", window),
    ):
        columns = _columns_tests._load(path, mapping, "columns")
    assert columns == _columns_tests._load(path, mapping, "rows")
