"""``load_audit_frames``: an export's audits as frames, equal to ``load_audits``' frames.

Property: for generated exports (the councils' synthetic audits, cells rewritten with
awkward values) spoilt by every CSV mutation of the hostile corpus, the frames the columnar
path makes without building an audit for each row equal ``load_audits(engine="rows")``'s
``to_polars()`` frame for frame (values, types, order), and the rejections, warnings and
counts are the same; or both raise the same error.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.errors import QAFrameworkError
from qaframework.io import (
    AuditFrameLoad,
    _column_collect,
    _column_frames,
    _columns,
    load_audit_frames,
)
from qaframework.io._audit_rows import RowReader
from qaframework.io.audits import AuditLoad, load_audits
from tests.siblings import sibling
from tests.test_io_columns import SEEDS, _write, counting_calls, exports

write_csv = sibling("test_io_audits").write_csv

pl = pytest.importorskip("polars")

_FIELDS = (
    "file",
    "profile_id",
    "format",
    "rows_read",
    "rejected",
    "blank_rows",
    "columns",
    "unmapped_columns",
    "missing_columns",
    "lines_read",
    "recorded",
    "sheets",
    "warnings",
    "grades",
    "flagged",
)


def _frames_load(path: Path, council: str, mapping: Path | None, **kwargs: Any) -> Any:
    try:
        return load_audit_frames(path, council, mapping=mapping, **kwargs)
    except QAFrameworkError as exc:
        return f"{type(exc).__name__}: {exc}"


def _objects_load(path: Path, council: str, mapping: Path | None, **kwargs: Any) -> Any:
    try:
        return load_audits(path, council, mapping=mapping, **kwargs)
    except QAFrameworkError as exc:
        return f"{type(exc).__name__}: {exc}"


def assert_same(found: AuditFrameLoad | str, expected: AuditLoad | str) -> None:
    """The frames load equals the objects load and its ``to_polars()`` frames."""
    if isinstance(expected, str) or isinstance(found, str):
        assert found == expected
        return
    assert isinstance(found, AuditFrameLoad)
    for field in _FIELDS:
        assert getattr(found, field) == getattr(expected, field), field
    assert found.accepted == found.count == expected.count == len(expected.accepted)
    assert (found.ok, found.duplicates) == (expected.ok, expected.duplicates)
    assert repr(found) == repr(expected).replace("<AuditLoad ", "<AuditFrameLoad ", 1)
    assert found.rows_read == found.accepted + len(found.rejected)
    wanted = expected.to_polars()
    assert list(found.frames) == list(wanted)
    assert found.frames.view == wanted.view == "records"
    for name in wanted:
        made, frame = found.frames[name], wanted[name]
        assert made.schema == frame.schema, name
        assert made.equals(frame), name


@settings(
    max_examples=int(os.environ.get("FRAMES_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(exports(), st.sampled_from([1, 300, 2000]))
def test_the_frames_are_the_audits_frames(
    tmp_path: Path, export: tuple[int, str, int, list[tuple[int, int, str]]], slice_bytes: int
) -> None:
    seed, mutation, number, edits = export
    path, mapping = _write(tmp_path, SEEDS[seed], mutation, number, edits)
    council = SEEDS[seed].council
    # Small slices put duplicates, blank rows and spoilt lines in slices of their own.
    with mock.patch.object(_columns, "_SLICE_BYTES", slice_bytes):
        found = _frames_load(path, council, mapping, engine="columns")
    assert_same(found, _objects_load(path, council, mapping, engine="rows"))


# Cells whose reading depends on the row's version: Bolton's 2021 and 2026 versions word
# their grades differently ("Good" is a grade of each, "Meets good" of 2026 only), and a
# date before both, or no date, leaves a row with no version.
_DATES = ("06/03/2026", "12/06/2024", "01/01/1999", "31/02/2026", "")
_WORDED = ("Good", "Meets good", "Requires improvement", "Does not yet meet good", "Team Manager")
_ACTIVITIES = ("Quality Case File Audits", "Whole Case File Audits")


@st.composite
def _versioned_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = []
    for number in range(draw(st.integers(1, 12))):
        moderated = draw(st.booleans())
        # Bolton 2021 has no standard "assessment": its rows judge none, else are rejected.
        judged = draw(st.sampled_from(("", *_WORDED)))
        notes = ("Clear analysis.", "Child seen alone.", "A chronology.") if judged else ("",) * 3
        rows.append(
            {
                "Audit ID": f"A{number}",
                "Child Unique ID": f"C{number}",
                "Activity": draw(st.sampled_from(_ACTIVITIES)),
                "Audit Date": draw(st.sampled_from(_DATES)),
                "Auditor": "tm1",
                "Auditor Role": draw(st.sampled_from(("Team Manager", "Head of Service"))),
                "Overall Grade": draw(st.sampled_from(_WORDED)),
                "assessment grade": judged,
                "assessment rationale": notes[0],
                "assessment strengths": notes[1],
                "assessment would improve": notes[2],
                "Moderator": "hos1" if moderated else "",
                "Moderator Role": "Head of Service" if moderated else "",
                "Moderated Grade": draw(st.sampled_from(_WORDED)) if moderated else "",
                "Moderation Date": "20/06/2026" if moderated else "",
            }
        )
    return rows


@settings(
    max_examples=int(os.environ.get("FRAMES_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(_versioned_rows(), st.sampled_from([1, 300, 2000, _columns._SLICE_BYTES]))
def test_each_cell_is_read_under_its_rows_version_in_every_slice(
    tmp_path: Path, rows: list[dict[str, str]], slice_bytes: int
) -> None:
    # A slice of rows of one version, of two, or with rows of none: the columnar path
    # reads a cell under its own row's version, as the row reader does.
    path = write_csv(tmp_path / "audits.csv", rows)
    expected = _objects_load(path, "bolton", None, engine="rows")
    assert isinstance(expected, AuditLoad)
    with mock.patch.object(_columns, "_SLICE_BYTES", slice_bytes):
        with counting_calls(RowReader, "read") as by_rows:
            assert _objects_load(path, "bolton", None, engine="columns") == expected
        # Only a row with a problem is the row reader's: a cell misread under another
        # version would send its row there too, and go unseen in the loads' equality.
        assert (
            len(expected.rejected) <= len(by_rows) <= len(expected.rejected) + len(expected.flagged)
        )
        with counting_calls(RowReader, "read") as by_rows:
            assert_same(_frames_load(path, "bolton", None, engine="columns"), expected)
        assert (
            len(expected.rejected) <= len(by_rows) <= len(expected.rejected) + len(expected.flagged)
        )


def _repeated(path: Path, times: int) -> None:
    """The export's rows ``times`` over, each copy's audit ids made its own."""
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for copy in range(times):
            out.writerows([[f"{row[0]}-{copy}", *row[1:]] for row in rows])


def test_the_rows_vouched_for_are_not_built_as_audits(tmp_path: Path) -> None:
    seed = SEEDS[0]
    path, mapping = _write(tmp_path, seed, "csv_clean", 7, [])
    _repeated(path, 20)
    expected = load_audits(path, seed.council, mapping=mapping, engine="rows")
    made: list[int] = []
    audit = _column_collect.Audit

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(1)
        return audit(*args, **kwargs)

    with mock.patch.object(_column_collect, "Audit", counted):
        found = load_audit_frames(path, seed.council, mapping=mapping, engine="columns")
    assert_same(found, expected)
    assert found.accepted == len(expected.accepted) > 200
    # One audit of each kind is built, for the profile's check; not one a row.
    assert 0 < len(made) < found.accepted / 2


def test_a_mapping_reading_a_standard_twice_builds_audits(tmp_path: Path) -> None:
    """Audits judging a standard twice are checked one by one: such slices are built as
    audits, and the frames are still the object path's."""
    seed = SEEDS[0]
    path, mapping = _write(tmp_path, seed, "csv_clean", 11, [])
    init = RowReader.__init__

    def doubled(self: RowReader, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.judgements = [*self.judgements, self.judgements[0]]

    sort = _column_collect._Collector._sort
    with (
        mock.patch.object(RowReader, "__init__", doubled),
        mock.patch.object(_column_collect._Collector, "_sort", autospec=True) as built,
    ):
        built.side_effect = sort
        found = _frames_load(path, seed.council, mapping, engine="columns")
        assert built.call_count == 1
        expected = _objects_load(path, seed.council, mapping, engine="rows")
    assert_same(found, expected)
    assert isinstance(found, AuditFrameLoad)
    assert found.accepted


def test_other_exports_and_pandas_are_the_audits_frames(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    seed = SEEDS[0]
    path, mapping = _write(tmp_path, seed, "csv_clean", 5, [(0, 2, "maybe")])
    expected = load_audits(path, seed.council, mapping=mapping, engine="rows")
    assert expected.rejected
    # Read by rows (as asked), and for pandas: converted from the audits.
    assert_same(_frames_load(path, seed.council, mapping, engine="rows"), expected)
    found = load_audit_frames(path, seed.council, mapping=mapping, backend="pandas")
    wanted = expected.to_pandas()
    for name in wanted:
        pd.testing.assert_frame_equal(found.frames[name], wanted[name])
    assert found["audits"] is found.frames["audits"]
    # JSON Lines in the native form.
    native = tmp_path / "audits.jsonl"
    from qaframework.io.audits import write_audits

    write_audits(expected.accepted, native)
    assert_same(_frames_load(native, seed.council, None), _objects_load(native, seed.council, None))


def test_strict_refuses_a_load_with_rejections(tmp_path: Path) -> None:
    seed = SEEDS[0]
    path, mapping = _write(tmp_path, seed, "csv_clean", 5, [(0, 2, "maybe")])
    found = _frames_load(path, seed.council, mapping, engine="columns", strict=True)
    assert found == _objects_load(path, seed.council, mapping, engine="rows", strict=True)
    assert isinstance(found, str)
    assert found.startswith("RejectedRows")


def test_a_small_file_is_read_by_columns_when_frames_are_asked(tmp_path: Path) -> None:
    seed = SEEDS[0]
    path, mapping = _write(tmp_path, seed, "csv_clean", 3, [])
    assert path.stat().st_size < _columns.SMALL_EXPORT_BYTES
    keep = _column_frames.FrameCollector._keep
    with mock.patch.object(_column_frames.FrameCollector, "_keep", autospec=True) as kept:
        kept.side_effect = keep
        found = load_audit_frames(path, seed.council, mapping=mapping)
    assert found.accepted
    assert kept.call_count == 1
