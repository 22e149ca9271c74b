"""JSON Lines read a slice at a time (``qaframework.io.native``): the load of a file read in
slices of any size is the load of the file read whole, and the file is never held whole.

Property: for the hostile corpus's JSON changes written as JSON Lines (broken lines, lines
that are not objects, unknown or missing keys, escapes, a byte order mark, ...), with blank
lines added and the last line feed left off or not, ``load_audits`` gives the same load
(accepted audits, rejections with their line numbers, counts of rows, blank rows and lines)
or the same error whatever the slice size.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework.errors import QAFrameworkError
from qaframework.io import native
from qaframework.io.audits import load_audits
from qaframework.io.errors import ExportError
from tests.hostile import corpus

CORPUS = corpus()
SEEDS = [s for s in CORPUS.seeds() if s.kind == "audits"]
CHANGES = sorted(CORPUS.JSON_CHANGES)


def _load(path: Path, council: str, slice_bytes: int) -> Any:
    with mock.patch.object(native, "_LINES_BYTES", slice_bytes):
        try:
            return load_audits(path, council)
        except QAFrameworkError as exc:
            return f"{type(exc).__name__}: {exc}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed_at=st.integers(0, len(SEEDS) - 1),
    change=st.sampled_from(CHANGES),
    number=st.integers(0, 10_000),
    blanks=st.lists(
        st.tuples(st.integers(0, 50), st.sampled_from([b"", b"  ", b"\t"])), max_size=3
    ),
    last_feed=st.booleans(),
    slice_bytes=st.sampled_from([1, 7, 64, 300, 2_000, 50_000]),
)
def test_a_file_read_in_slices_loads_as_the_whole_file(
    tmp_path: Path,
    seed_at: int,
    change: str,
    number: int,
    blanks: list[tuple[int, bytes]],
    last_feed: bool,
    slice_bytes: int,
) -> None:
    seed = SEEDS[seed_at]
    built = CORPUS.JSON_CHANGES[change](CORPUS.Spoiler(seed, random.Random(number)), ".jsonl")
    lines = built.data.split(b"\n")
    for at, blank in blanks:
        lines.insert(at % (len(lines) + 1), blank)
    data = b"\n".join(lines)
    if not last_feed:
        data = data.rstrip(b"\n")
    path = tmp_path / f"{number}.jsonl"
    path.write_bytes(data)
    whole = _load(path, seed.council, 1 << 40)
    assert _load(path, seed.council, slice_bytes) == whole
    if not isinstance(whole, str):
        assert whole.rows_read == len(whole.accepted) + len(whole.rejected)


def test_json_lines_are_never_read_whole(tmp_path: Path) -> None:
    built = CORPUS.JSON_CHANGES["json_clean"](CORPUS.Spoiler(SEEDS[0], random.Random(3)), ".jsonl")
    path = tmp_path / "audits.jsonl"
    path.write_bytes(built.data)
    expected = _load(path, SEEDS[0].council, 1 << 40)
    assert not isinstance(expected, str)
    assert expected.accepted
    with mock.patch.object(native, "read_bytes", side_effect=AssertionError("read whole")):
        assert _load(path, SEEDS[0].council, 256) == expected


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    built = CORPUS.JSON_CHANGES["json_clean"](CORPUS.Spoiler(SEEDS[0], random.Random(3)), ".jsonl")
    path = tmp_path / "audits.jsonl"
    path.write_bytes(built.data)
    size = len(built.data)
    with pytest.raises(ExportError, match=rf"larger than the limit .*\({size:,} bytes or more\)"):
        load_audits(path, SEEDS[0].council, max_bytes=size - 1)


# Files of short lines and long ones, line feeds with and without carriage returns, cut
# into slices of every size up to a few lines.
_SLICED = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_FILE_BYTES = st.lists(
    st.sampled_from([b"\n", b"\r\n", b"a", b"bc", b"{}", b" ", b"\xff", b"x" * 40]),
    max_size=80,
).map(b"".join)


@_SLICED
@given(data=_FILE_BYTES, size=st.integers(1, 64))
def test_line_slices_are_the_file_cut_at_line_feeds(tmp_path: Path, data: bytes, size: int) -> None:
    from qaframework.profiles.files import regular_line_slices

    path = tmp_path / "file.bin"
    path.write_bytes(data)
    slices = list(regular_line_slices(str(path), None, size))
    assert b"".join(slices) == data
    assert all(slices)
    longest = max((len(line) + 1 for line in data.split(b"\n")), default=1)
    for part in slices[:-1]:
        assert part.endswith(b"\n")
    for part in slices:
        # The buffer grows (doubling) only for a line longer than it: what is held at once
        # stays under twice the larger of the slice size and the longest line.
        assert len(part) < 2 * max(size, longest)


@_SLICED
@given(
    data=_FILE_BYTES, size=st.integers(1, 64), prefix=st.binary(max_size=6), at=st.integers(0, 3)
)
def test_bytes_sent_to_the_line_slices_begin_every_slice_after(
    tmp_path: Path, data: bytes, size: int, prefix: bytes, at: int
) -> None:
    from qaframework.profiles.files import regular_line_slices

    path = tmp_path / "file.bin"
    path.write_bytes(data)
    expected = list(regular_line_slices(str(path), None, size))
    slices = regular_line_slices(str(path), None, size)
    found = [part for _, part in zip(range(at + 1), slices, strict=False)]
    if len(found) == at + 1:
        # Sent while the slice at ``at`` is the last one given: those after begin with it.
        with contextlib.suppress(StopIteration):
            found.append(slices.send(prefix))
        found.extend(slices)
    assert found[: at + 1] == expected[: at + 1]
    assert found[at + 1 :] == [prefix + part for part in expected[at + 1 :]]
