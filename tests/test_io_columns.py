"""The columnar fast path for CSV audit exports gives what the row path gives.

Property: for generated exports (the four councils' synthetic audits, cells rewritten with
awkward values) spoilt by every CSV mutation of the hostile corpus
(``benchmarks/hostile_corpus.py``), ``load_audits(engine="columns")`` and
``load_audits(engine="rows")`` give equal loads (accepted audits, rejections with file,
row, column, value and reason, warnings, counts) or the same error.
"""

from __future__ import annotations

import os
import random
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.engine.audits import AuditCheck
from qaframework.errors import QAFrameworkError
from qaframework.io import _column_collect, _columns, _fast_rows
from qaframework.io._audit_rows import RowReader
from qaframework.io.audits import AuditLoad, load_audits
from qaframework.io.errors import ExportError
from qaframework.io.values import forbidden_character
from tests.hostile import corpus

pytest.importorskip("polars")


@contextmanager
def counting_calls(owner: type, name: str) -> Iterator[list[int]]:
    """Within the block, ``owner.name`` (a method) still runs, and each call adds to the
    list given."""
    calls: list[int] = []
    method = getattr(owner, name)

    def counted(self: Any, *args: Any) -> Any:
        calls.append(1)
        return method(self, *args)

    with mock.patch.object(owner, name, counted):
        yield calls


CORPUS = corpus()
SEEDS = [s for s in CORPUS.seeds() if s.kind == "audits"]
# Every mutation that writes a CSV audit export (special files and XLSX are not CSV).
MUTATIONS = [
    name
    for name in CORPUS.TABULAR
    if name.startswith(("csv_", "mapping_misspelt")) and name != "csv_empty"
]

AWKWARD = [
    "",
    " ",
    "  \t ",
    "\xa0",
    "\u2003x",
    "x\u3000",
    "\x1c",
    "a\x07b",
    "Good",
    " good ",
    "GOOD",
    "Requires Improvement",
    "Outstanding",
    "Inadequate",
    "01/02/2026",
    "1/2/2026",
    "2026-02-01",
    "2026-02-01 00:00",
    "2026-02-01 13:30",
    "31/02/2026",
    "01/02/26",
    "2019-01-01",
    "yes",
    "Y",
    "no",
    "0",
    "maybe",
    "agree",
    "Upgrade",
    "sideways",
    "Team Manager",
    "TM",
    "Head of Service",
    "x" * 201,
    "=1+1",
    "\ufeffTeam",
    "\u2019quoted\u2019",
    "line\nbreak",
    "\u0085",
]


def _load(path: Path, mapping: Path | None, engine: str) -> Any:
    try:
        return load_audits(path, _PROFILE[path], mapping=mapping, engine=engine)
    except QAFrameworkError as exc:
        return f"{type(exc).__name__}: {exc}"


_PROFILE: dict[Path, str] = {}


@st.composite
def exports(draw: st.DrawFn) -> tuple[int, str, int, list[tuple[int, int, str]]]:
    seed = draw(st.integers(0, len(SEEDS) - 1))
    mutation = draw(st.sampled_from(MUTATIONS))
    number = draw(st.integers(0, 2**32))
    edits = draw(
        st.lists(
            st.tuples(
                st.integers(0, 100),
                st.integers(0, 1000),
                st.one_of(
                    st.sampled_from(AWKWARD),
                    st.sampled_from(["<id of another row>", "<date+1>"]),
                    st.text(max_size=6),
                ),
            ),
            max_size=8,
        )
    )
    return seed, mutation, number, edits


def _write(
    folder: Path, seed: Any, mutation: str, number: int, edits: list[tuple[int, int, str]]
) -> tuple[Path, Path | None]:
    rnd = random.Random(number)
    spoiler = CORPUS.Spoiler(seed, rnd)
    for row_at, column_at, value in edits:
        row = spoiler.rows[row_at % len(spoiler.rows)]
        column = column_at % len(spoiler.header)
        if value == "<id of another row>":
            value = spoiler.rows[(row_at + 1) % len(spoiler.rows)][0]
            column = 0
        elif value == "<date+1>":
            value = (date(2026, 4, 1)).strftime("%d/%m/%Y")
        if column < len(row):
            row[column] = value
    built = CORPUS.TABULAR[mutation](spoiler)
    path = folder / f"{number}-{mutation}.csv"
    path.write_bytes(built.data)
    mapping_text = built.mapping if built.mapping is not None else seed.mapping
    mapping = None
    if mapping_text is not None:
        mapping = folder / f"{number}.mapping.toml"
        mapping.write_text(mapping_text, encoding="utf-8")
    _PROFILE[path] = seed.council
    return path, mapping


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(exports(), st.sampled_from([1, 40, 300, 2000, _columns._SLICE_BYTES]))
def test_the_columnar_and_the_row_path_give_the_same_load(
    tmp_path: Path, export: tuple[int, str, int, list[tuple[int, int, str]]], slice_bytes: int
) -> None:
    seed, mutation, number, edits = export
    path, mapping = _write(tmp_path, SEEDS[seed], mutation, number, edits)
    # Small slices put duplicates, blank rows and spoilt lines in slices of their own.
    with mock.patch.object(_columns, "_SLICE_BYTES", slice_bytes):
        columns = _load(path, mapping, "columns")
    rows = _load(path, mapping, "rows")
    assert columns == rows
    if isinstance(rows, AuditLoad):
        assert rows.rows_read == len(rows.accepted) + len(rows.rejected)


def test_a_clean_export_is_read_without_the_row_reader(tmp_path: Path) -> None:
    seed = SEEDS[0]
    path, mapping = _write(tmp_path, seed, "csv_clean", 7, [])
    expected = load_audits(path, seed.council, mapping=mapping, engine="rows")
    with (
        counting_calls(RowReader, "read") as calls,
        counting_calls(RowReader, "read_row") as row_calls,
    ):
        found = load_audits(path, seed.council, mapping=mapping, engine="columns")
        assert found == expected
        assert found.accepted
        assert calls == []
        assert row_calls == []
        # A row with a cell the columnar path does not vouch for is the row reader's alone.
        spoilt, _ = _write(tmp_path, seed, "csv_clean", 7, [(0, 5, "\xa0x")])
        load_audits(spoilt, seed.council, mapping=mapping, engine="columns")
        assert len(calls) == 1


def test_the_engine_is_chosen_by_argument_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_columns.ENGINE_VARIABLE, raising=False)
    assert _columns.choose_engine(None, "f.csv") == "columns"
    assert _columns.choose_engine("rows", "f.csv") == "rows"
    assert _columns.choose_engine(" Columns ", "f.csv") == "columns"
    monkeypatch.setenv(_columns.ENGINE_VARIABLE, "rows")
    assert _columns.choose_engine(None, "f.csv") == "rows"
    assert _columns.choose_engine("auto", "f.csv") == "columns"
    monkeypatch.setenv(_columns.ENGINE_VARIABLE, "fast")
    with pytest.raises(ExportError, match="QAFRAMEWORK_ENGINE: unknown engine 'fast'"):
        _columns.choose_engine(None, "f.csv")
    with pytest.raises(ExportError, match="engine: unknown engine 'turbo'"):
        load_audits(tmp_path / "f.csv", "bolton", engine="turbo")
    monkeypatch.setattr(_columns, "polars_available", lambda: False)
    assert _columns.choose_engine("auto", "f.csv") == "rows"
    with pytest.raises(ExportError, match="needs polars"):
        _columns.choose_engine("columns", "f.csv")


def test_the_suspect_and_space_classes_are_pythons_own() -> None:
    import polars as pl

    everything = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    spaces = {c for c in everything if c.isspace()}
    assert set(_column_collect._SPACES) == spaces
    suspect = {
        c for c in everything if forbidden_character(c) or (c in spaces and c not in " \t\n\r")
    }
    found = pl.Series(everything).str.contains(_column_collect._SUSPECT).to_list()
    assert {c for c, hit in zip(everything, found, strict=True) if hit} == suspect
    # Each suspect character's UTF-8 begins with a byte the file-wide screen keeps.
    assert all(c.encode()[0] not in _columns._HARMLESS for c in suspect)


def test_a_clean_slice_strips_as_the_four_characters_do() -> None:
    """A slice with no byte that can begin a suspect character is stripped by polars' own
    strip of all white space: every character that strip removes, besides the four the
    loader names, is suspect, so a clean slice holds none of them."""
    import polars as pl

    everything = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cells = pl.DataFrame({"cell": [f"{c}x{c}" for c in everything]})
    clean, named = (
        cells.select(_column_collect._stripped("cell", flag)).to_series().to_list()
        for flag in (True, False)
    )
    differ = {c for c, a, b in zip(everything, clean, named, strict=True) if a != b}
    assert differ  # polars' own strip does take more than the four
    suspect = pl.Series(sorted(differ)).str.contains(_column_collect._SUSPECT)
    assert suspect.all()
    assert all(c.encode()[0] not in _columns._HARMLESS for c in differ)
    # The four themselves, alone or around a cell, strip the same either way.
    for cell in (" ", "\t\n\r ", " x\t", "\r\nx y\n", ""):
        frame = pl.DataFrame({"cell": [cell]})
        assert (
            frame.select(_column_collect._stripped("cell", True)).item()
            == frame.select(_column_collect._stripped("cell", False)).item()
            == (cell.strip(" \t\n\r") or None)
        )


def test_actions_moderations_and_fixed_values_agree(tmp_path: Path) -> None:
    header = (
        "Audit ID,Child Unique ID,Activity,Audit Date,Auditor,Auditor Role,Overall Grade,"
        "assessment Grade,assessment Rationale,assessment Strengths,assessment Would Improve,"
        "Moderator,Moderator Role,Moderated Grade,Moderation Date,Moderation Outcome,"
        "Action 1 Text,Action 1 Owner,Action 1 Due,Urgent Safety Concern\n"
    )
    rows = [
        "A1,C1,Quality Case File Audits,01/05/2026,tm1,Team Manager,Good,Good,r,s,w,,,,,,,,,no",
        "A2,C2,Quality Case File Audits,02/05/2026,tm1,Team Manager,Good,Good,r,s,w,"
        "hos,Head of Service,Good,10/05/2026,,,,,yes",
        "A3,C3,Quality Case File Audits,02/05/2026,tm1,Team Manager,Good,Good,r,s,w,"
        "hos,Head of Service,Good,10/05/2026,upgrade,,,,",
        "A4,C4,Quality Case File Audits,02/05/2026,tm1,Team Manager,Good,Good,r,s,w,,,,,,"
        "Do it,sw1,30/05/2026,",
        "A5,C5,Quality Case File Audits,02/05/2026,tm1,Team Manager,Good,,r,s,w,,,,,,,,,",
        "A1,C6,Quality Case File Audits,03/05/2026,tm1,Team Manager,Good,Good,r,s,w,,,,,,,,,",
        ",,,,,,,,,,,,,,,,,,,",
    ]
    path = tmp_path / "audits.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    expected = load_audits(path, "bolton", engine="rows")
    assert load_audits(path, "bolton", engine="columns") == expected
    assert expected.accepted
    assert expected.rejected
    assert expected.blank_rows == 1
    mapping = {
        "columns": {
            "id": "Audit ID",
            "child_id": "Child Unique ID",
            "audit_date": "Audit Date",
            "auditor": "Auditor",
            "overall_grade": "Overall Grade",
        },
        "fixed": {"activity": "Quality Case File Audits", "auditor_role": "Team Manager"},
        "judgement_pattern": "{standard} {part}",
    }
    expected = load_audits(path, "bolton", mapping=mapping, engine="rows")
    assert load_audits(path, "bolton", mapping=mapping, engine="columns") == expected
    assert expected.accepted


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_process_forked_after_polars_ran_loads_without_hanging(tmp_path: Path) -> None:
    seed = SEEDS[0]
    path, mapping = _write(tmp_path, seed, "csv_clean", 11, [])
    # The parent reads by columns, so polars' threads are running when it forks.
    expected = load_audits(path, seed.council, mapping=mapping, engine="columns")
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's outcome is its exit status
        status = 1
        try:
            found = load_audits(path, seed.council, mapping=mapping)
            status = 0 if found == expected else 2
        finally:
            os._exit(status)
    deadline = time.monotonic() + 120
    while True:
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            pytest.fail("the forked process's load hung")
        time.sleep(0.05)
    assert os.waitstatus_to_exitcode(status) == 0


def test_checklists_and_flagged_audits_agree(tmp_path: Path) -> None:
    header = (
        "Audit ID,Child Unique ID,Activity,Audit Date,Auditor,Auditor Role,Overall Grade,"
        "Checklist decision_function_used,Checklist case_file_signed\n"
    )
    rows = [
        "W1,C1,Whole Case File Audits,01/12/2021,tm1,Team Manager,Good,yes,n/a",
        "W2,C2,Whole Case File Audits,01/12/2021,tm1,Team Manager,Good,,",
        "W3,C3,Whole Case File Audits,01/12/2021,tm1,Team Manager,Good,maybe,",
        "W4,C4,Whole Case File Audits,01/12/2021,sw1,Social Worker,Good,,",
        "W5,C5,Whole Case File Audits,02/12/2021,tm2,Team Manager,Good,no,yes",
    ]
    path = tmp_path / "audits.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    expected = load_audits(path, "bolton", engine="rows")
    assert load_audits(path, "bolton", engine="columns") == expected
    assert any(a.checklist for a in expected.accepted)
    assert expected.rejected
    assert expected.flagged


def _quoting_in_doubt_line_by_line(raw: bytes, delimiter: str) -> bool:
    """The first statement of the rule, a line and a lookbehind at a time: the reference the
    whole-buffer check must agree with."""
    if any(line.count(b'"') % 2 for line in raw.split(b"\n")):
        return True
    edge = re.escape(delimiter.encode())
    inside = re.compile(rb'(?<=[^\r\n"' + edge + rb'])"(?=[^\r\n"' + edge + rb"])")
    return inside.search(raw) is not None


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([b'"', b'""', b"\n", b"\r", b"\r\n", b",", b";", b"\t", b"a", b"\xc2\xa0"]),
        max_size=40,
    ),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_quoting_in_doubt_decides_as_the_line_by_line_rule(
    pieces: list[bytes], delimiter: str
) -> None:
    raw = b"".join(pieces)
    assert _columns._quoting_in_doubt(raw, delimiter) == _quoting_in_doubt_line_by_line(
        raw, delimiter
    )


# The rule the screens keep, written here apart from the code: a carriage return that is
# not before a line feed.
_LONE_RETURN = re.compile(rb"\r(?!\n)")
_SCREENED_PIECES = st.lists(
    st.sampled_from(
        [b'"', b'""', b"\n", b"\r", b"\r\n", b",", b";", b"a", b"a" * 600, b"\xc2\xa0", b"\x01"]
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(_SCREENED_PIECES, st.sampled_from([",", ";", "\t"]))
def test_a_slices_screens_decide_as_their_rules(pieces: list[bytes], delimiter: str) -> None:
    """A slice is declined for a carriage return not before a line feed or quotes in doubt;
    else it is clean when no byte of it can begin a suspect character, and its lines are its
    line feeds (and a last line without one)."""
    raw = b"".join(pieces)
    declined = _LONE_RETURN.search(raw) is not None or _quoting_in_doubt_line_by_line(
        raw, delimiter
    )
    if declined:
        with pytest.raises(_columns.ColumnsDeclined):
            _columns._screens(raw, delimiter)
        return
    clean, lines = _columns._screens(raw, delimiter)
    assert clean is (raw.translate(None, _columns._HARMLESS) == b"")
    assert lines == raw.count(b"\n") + (1 if raw and not raw.endswith(b"\n") else 0)


@settings(max_examples=500, deadline=None)
@given(_SCREENED_PIECES)
def test_lone_carriage_returns_are_found_either_way(pieces: list[bytes]) -> None:
    """Finding carriage returns one by one (long lines) and the regular expression (short
    ones) decide alike."""
    raw = b"".join(pieces)
    lone = _LONE_RETURN.search(raw) is not None
    assert _columns._lone_return_found(raw) is lone
    assert _columns._lone_return(raw, raw.count(b"\r")) is lone


@pytest.mark.parametrize(
    ("raw", "doubt"),
    [
        (b"a,b\n1,2\n", False),
        (b'a,"b"\n"1",""\n', False),
        (b'a,"b\n1",2\n', True),  # a quoted cell over two lines
        (b'a,b\n1,x"y\n', True),  # odd count on a line
        (b'a,b\n1,x"y"z\n', True),  # even count, but quotes inside a cell
        (b'a,"b"c\n', True),  # text after a closing quote
        (b'"a""b",c\r\n', False),  # a doubled quote inside a quoted cell
    ],
)
def test_quoting_in_doubt_examples(raw: bytes, doubt: bool) -> None:
    assert _columns._quoting_in_doubt(raw, ",") is doubt
    assert _quoting_in_doubt_line_by_line(raw, ",") is doubt


def test_slices_find_duplicates_across_them_and_decline_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = SEEDS[0]
    monkeypatch.setattr(_columns, "_SLICE_BYTES", 1)  # a slice a line
    # The last row takes the first row's id: the row reader rejects it, naming row 2.
    clean, mapping = _write(tmp_path, seed, "csv_clean", 7, [])
    lines = clean.read_bytes().splitlines(keepends=True)
    first_id = lines[1].split(b",", 1)[0]
    last = lines[-1].split(b",", 1)
    twice = tmp_path / "twice.csv"
    twice.write_bytes(b"".join([*lines[:-1], first_id + b"," + last[1]]))
    with counting_calls(RowReader, "read") as calls:
        found = load_audits(twice, seed.council, mapping=mapping, engine="columns")
    assert calls == [1]
    assert found == load_audits(twice, seed.council, mapping=mapping, engine="rows")
    assert [r.row for r in found.rejected] == [len(lines)]
    assert found.rejected[0].duplicate_of == 2
    # A stray quote in the last slice: the file is read again, by rows, and loads the same.
    stray = tmp_path / "stray.csv"
    stray.write_bytes(b"".join([*lines[:-1], b'x"' + lines[-1]]))
    with counting_calls(RowReader, "read_row") as calls:
        found = load_audits(stray, seed.council, mapping=mapping, engine="columns")
    assert len(calls) == len(lines) - 1
    assert found == load_audits(stray, seed.council, mapping=mapping, engine="rows")
    # Bytes that are not UTF-8 in the last slice: the row reader's own error.
    undecodable = tmp_path / "undecodable.csv"
    undecodable.write_bytes(b"".join([*lines[:-1], b"\xff" + lines[-1]]))
    _PROFILE[undecodable] = seed.council
    assert _load(undecodable, mapping, "columns") == _load(undecodable, mapping, "rows")


def test_auto_reads_a_small_file_by_rows_without_importing_polars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing polars costs more than reading a small export by rows: ``auto`` reads a
    file under SMALL_EXPORT_BYTES by rows and does not ask whether polars is installed."""
    monkeypatch.delenv(_columns.ENGINE_VARIABLE, raising=False)
    asked: list[bool] = []
    monkeypatch.setattr(_columns, "polars_available", lambda: asked.append(True) or True)
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * (_columns.SMALL_EXPORT_BYTES - 1))
    large = tmp_path / "large.csv"
    large.write_bytes(b"x" * _columns.SMALL_EXPORT_BYTES)
    assert _columns.choose_engine(None, str(small)) == "rows"
    assert _columns.choose_engine("auto", str(small)) == "rows"
    assert asked == []
    # Asked for by name, the columnar engine reads any file; a large one is its in auto.
    assert _columns.choose_engine("columns", str(small)) == "columns"
    assert _columns.choose_engine(None, str(large)) == "columns"
    assert _columns.choose_engine(None, str(tmp_path / "missing.csv")) == "columns"


def _workers() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name.startswith("qaframework-columns")]


def test_the_next_slice_is_parsed_on_a_worker_while_one_is_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every slice after the first is read and parsed on the worker thread, which is gone
    once the load ends: whole, declined part-way (read again by rows), or failed."""
    import threading

    seed = SEEDS[0]
    monkeypatch.setattr(_columns, "_SLICE_BYTES", 1)  # a slice a line
    clean, mapping = _write(tmp_path, seed, "csv_clean", 7, [])
    lines = clean.read_bytes().splitlines(keepends=True)
    parsed_on: list[str] = []
    real = _columns._parse

    def parse(data: bytes, delimiter: str) -> Any:
        parsed_on.append(threading.current_thread().name)
        return real(data, delimiter)

    monkeypatch.setattr(_columns, "_parse", parse)
    found = load_audits(clean, seed.council, mapping=mapping, engine="columns")
    assert found == load_audits(clean, seed.council, mapping=mapping, engine="rows")
    assert len(parsed_on) > 3
    assert parsed_on[0] == threading.current_thread().name
    assert all(name.startswith("qaframework-columns") for name in parsed_on[1:])
    assert _workers() == []
    # A stray quote in the last slice: declined there, read again by rows; no worker left.
    stray = tmp_path / "stray.csv"
    stray.write_bytes(b"".join([*lines[:-1], b'x"' + lines[-1]]))
    found = load_audits(stray, seed.council, mapping=mapping, engine="columns")
    assert found == load_audits(stray, seed.council, mapping=mapping, engine="rows")
    assert _workers() == []
    # The collector failing part-way: the error is the caller's, and no worker is left.
    real_add = _column_collect._Collector.add
    calls: list[int] = []

    def add(self: Any, frame: Any, clean: bool) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("stop")
        real_add(self, frame, clean)

    with (
        mock.patch.object(_column_collect._Collector, "add", add),
        pytest.raises(RuntimeError, match="stop"),
    ):
        load_audits(clean, seed.council, mapping=mapping, engine="columns")
    assert _workers() == []


@pytest.mark.parametrize("fails_from", [1, 3])
def test_slices_are_read_in_turn_when_no_thread_can_take_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails_from: int
) -> None:
    """A worker that cannot be given work (no thread can be started, or the interpreter is
    shutting down), from the first slice or part-way: the rest are read in turn, and the
    load is the same."""
    from concurrent.futures import ThreadPoolExecutor

    seed = SEEDS[0]
    monkeypatch.setattr(_columns, "_SLICE_BYTES", 1)  # a slice a line
    clean, mapping = _write(tmp_path, seed, "csv_clean", 7, [])
    real = ThreadPoolExecutor.submit
    calls: list[int] = []

    def submit(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) >= fails_from:
            raise RuntimeError("cannot schedule new futures after interpreter shutdown")
        return real(self, *args, **kwargs)

    with mock.patch.object(ThreadPoolExecutor, "submit", submit):
        found = load_audits(clean, seed.council, mapping=mapping, engine="columns")
    assert len(calls) >= fails_from
    assert found == load_audits(clean, seed.council, mapping=mapping, engine="rows")
    assert found.accepted
    assert _workers() == []


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    exports(),
    st.sampled_from([300, _columns._SLICE_BYTES]),
    st.sampled_from([_fast_rows.SHARING_WINDOW, 0]),
)
def test_the_screen_decides_as_each_audits_own_check(
    tmp_path: Path,
    export: tuple[int, str, int, list[tuple[int, int, str]]],
    slice_bytes: int,
    window: int,
) -> None:
    # The columnar path checks each distinct audit without its judgements, and each
    # distinct judgement in its context, once: its verdicts must be those of the version's
    # check and warnings asked of every audit it built. A window of 0 has most standards'
    # judgements made a row at a time, their shapes numbered by polars.
    original = _column_collect._Collector._screen
    screened: list[int] = []

    def compared(self: Any, audits: list[Any], versions_at: list[int]) -> list[bool]:
        found = original(self, audits, versions_at)
        readers = self.versions.versions
        expected = [
            readers[v].check.passes(a)
            and not (self.versions.may_warn and readers[v].check.warns(a))
            for v, a in zip(versions_at, audits, strict=True)
        ]
        assert found == expected
        screened.append(len(audits))
        return found

    seed, mutation, number, edits = export
    path, mapping = _write(tmp_path, SEEDS[seed], mutation, number, edits)
    with (
        mock.patch.object(_columns, "_SLICE_BYTES", slice_bytes),
        mock.patch.object(_fast_rows, "SHARING_WINDOW", window),
        mock.patch.object(_column_collect._Collector, "_screen", compared),
    ):
        _load(path, mapping, "columns")


BOLTON_HEADER = (
    "Audit ID,Child Unique ID,Activity,Audit Date,Auditor,Auditor Role,Overall Grade,"
    "assessment Grade,assessment Rationale,assessment Strengths,assessment Would Improve,"
    "Moderator,Moderator Role,Moderated Grade,Moderation Date\n"
)
_GOOD = "Meets good"
_NOTES = "why,what went well,what would improve"


def test_the_screen_checks_each_audit_without_asking_it_one_by_one(tmp_path: Path) -> None:
    activity, role = "quality_case_file_audits", "Team Manager"
    rows = [
        # Clean, many times over: checked once as one kind of audit.
        *(
            f"Q{i},C{i},{activity},04/05/2026,tm1,{role},{_GOOD},{_GOOD},{_NOTES},,,,"
            for i in range(40)
        ),
        # Bolton asks for every note on a judgement: the rationale is missing.
        f"M1,C90,{activity},04/05/2026,tm1,{role},{_GOOD},{_GOOD},,what went well,"
        "what would improve,,,,",
        # Moderated before the audit.
        f"M2,C91,{activity},04/05/2026,tm1,{role},{_GOOD},{_GOOD},{_NOTES},"
        f"hos1,Head of Service,{_GOOD},01/05/2026",
        # Moderated on the day, outcome read from the grades.
        f"M3,C92,{activity},04/05/2026,tm1,{role},{_GOOD},{_GOOD},{_NOTES},"
        "hos1,Head of Service,Does not yet meet good,04/05/2026",
    ]
    path = tmp_path / "audits.csv"
    path.write_text(BOLTON_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    expected = load_audits(path, "bolton", engine="rows")
    with counting_calls(AuditCheck, "passes") as calls:
        found = load_audits(path, "bolton", engine="columns")
    assert found == expected
    assert {a.id for a in expected.accepted} >= {"Q0", "Q39", "M3"}
    rejected = {r.row for r in expected.rejected}
    assert rejected == {42, 43}  # M1 and M2: the header is row 1
    # Asked of a few distinct audits, and of the two rejected rows by the row reader; on
    # the previous screen, of each of the 43 audits built.
    assert len(calls) < 10


def _distinct_cells_asked(path: Path) -> tuple[list[tuple[str, bool]], int]:
    """Load ``path`` by columns, checking it equals the row path's load: each column whose
    distinct cells were asked for, with whether they had been found together, and how many
    times they were found together."""
    asked: list[tuple[str, bool]] = []
    uniques = _column_collect._Collector._uniques

    def answered(self: Any, column: str) -> Any:
        asked.append((column, column in self.distinct))
        return uniques(self, column)

    expected = load_audits(path, "bolton", engine="rows")
    with (
        mock.patch.object(_column_collect._Collector, "_uniques", answered),
        counting_calls(_column_collect._Collector, "_distinct_cells") as together,
    ):
        found = load_audits(path, "bolton", engine="columns")
    assert found == expected
    assert expected.accepted
    return asked, len(together)


def test_a_slice_finds_its_columns_distinct_cells_together(tmp_path: Path) -> None:
    """The distinct cells the checks read through tables come from two queries a slice, not
    one a column; a slice of two versions finds the versioned columns' (version, cell)
    pairs instead, and the load is the row path's either way."""
    activity, role = "quality_case_file_audits", "Team Manager"
    rows = [
        f"Q{i},C{i},{activity},0{1 + i % 3}/05/2026,tm1,{role},{_GOOD},{_GOOD},{_NOTES},"
        f"hos1,Head of Service,{_GOOD},10/05/2026"
        for i in range(12)
    ]
    path = tmp_path / "audits.csv"
    path.write_text(BOLTON_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    asked, together = _distinct_cells_asked(path)
    # Dates, flags and moderation dates; then activity, roles and grades, every one read.
    assert together == 2
    assert {column for column, _ in asked} >= {
        "Audit Date",
        "Activity",
        "Auditor Role",
        "Overall Grade",
        "assessment Grade",
        "Moderation Date",
        "Moderator Role",
        "Moderated Grade",
    }
    assert all(found_together for _, found_together in asked)
    # A slice of two versions (Bolton's 2021 framework, in force to April 2025, and 2026's).
    older = rows[0].replace("01/05/2026", "01/04/2025").replace("Q0,", "P0,")
    path.write_text(BOLTON_HEADER + "\n".join([older, *rows]) + "\n", encoding="utf-8")
    asked, together = _distinct_cells_asked(path)
    assert together == 1
    assert "Activity" not in {column for column, _ in asked}
