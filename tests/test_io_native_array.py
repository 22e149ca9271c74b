"""A JSON array read a group of elements at a time (``qaframework.io.native``): the load of
an array read in groups of any size is the load of the file read whole, and a large array
is never held whole.

Property: for the hostile corpus's JSON changes (broken rows, rows that are not objects,
unknown or missing keys, escapes, a byte order mark, text after the array, an array not
closed, values nested too deeply, ...), laid out compactly or one element to a line,
``load_audits`` gives the same load (accepted audits, rejections with their row numbers,
counts) or the same error whatever the group size (``ARRAY_EXAMPLES`` sets how many
examples; 80 by default).
"""

from __future__ import annotations

import json
import os
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
WHOLE = 1 << 40

# Ways of laying out the same array; applied to the bytes, strings included, so that both
# loads compared read the same file.
LAYOUTS = {
    "as made": lambda data: data,
    "compact": lambda data: data.replace(b", {", b",{").replace(b"}, ", b"},"),
    "a line each": lambda data: data.replace(b"}, {", b"},\n  {"),
    "spaced": lambda data: data.replace(b"[\n{", b"[ \r\n\t{ ").replace(b"}, {", b"} ,\n{ "),
}


def _load(path: Path, council: str, group_bytes: int) -> Any:
    with mock.patch.object(native, "_ARRAY_BYTES", group_bytes):
        try:
            return load_audits(path, council)
        except QAFrameworkError as exc:
            return f"{type(exc).__name__}: {exc}"


def _groups(path: Path, council: str, group_bytes: int) -> tuple[Any, list[int]]:
    """The load, and the rows of each group read (empty when the file was read whole)."""
    sizes: list[int] = []
    add = native._ArrayGroups._add

    def counted(self: Any, part: Any) -> None:
        sizes.append(part.rows_read)
        add(self, part)

    with mock.patch.object(native._ArrayGroups, "_add", counted):
        return _load(path, council, group_bytes), sizes


@settings(
    max_examples=int(os.environ.get("ARRAY_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed_at=st.integers(0, len(SEEDS) - 1),
    change=st.sampled_from(CHANGES),
    number=st.integers(0, 10_000),
    layout=st.sampled_from(sorted(LAYOUTS)),
    group_bytes=st.sampled_from([1, 7, 64, 300, 2_000, 50_000]),
)
def test_an_array_read_in_groups_loads_as_the_whole_file(
    tmp_path: Path, seed_at: int, change: str, number: int, layout: str, group_bytes: int
) -> None:
    seed = SEEDS[seed_at]
    built = CORPUS.JSON_CHANGES[change](CORPUS.Spoiler(seed, random.Random(number)), ".json")
    path = tmp_path / f"{number}.json"
    path.write_bytes(LAYOUTS[layout](built.data))
    whole = _load(path, seed.council, WHOLE)
    assert _load(path, seed.council, group_bytes) == whole
    if not isinstance(whole, str):
        assert whole.rows_read == len(whole.accepted) + len(whole.rejected)


def _clean(copies: int = 10) -> bytes:
    """A clean array of the corpus's first seed, each audit ``copies`` times (ids made
    unique), laid out as the corpus lays it out."""
    made = CORPUS.JSON_CHANGES["json_clean"](CORPUS.Spoiler(SEEDS[0], random.Random(3)), ".json")
    audits = []
    for copy in range(copies):
        for audit in json.loads(made.data):
            audit = {**audit, "id": f"{audit['id']}-{copy}"}
            audit["actions"] = [{**a, "id": f"{a['id']}-{copy}"} for a in audit["actions"]]
            audits.append(audit)
    return ("[\n" + ", ".join(json.dumps(audit) for audit in audits) + "\n]").encode()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_large_array_is_never_read_whole(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "audits.json"
    path.write_bytes(LAYOUTS[layout](_clean()))
    expected = _load(path, SEEDS[0].council, WHOLE)
    assert not isinstance(expected, str)
    assert len(expected.accepted) > 20
    with mock.patch.object(native, "read_bytes", side_effect=AssertionError("read whole")):
        loaded, groups = _groups(path, SEEDS[0].council, 2_000)
    assert loaded == expected
    # Groups of about 2,000 bytes: a few audits each, every row read once.
    assert len(groups) > 5
    assert sum(groups) == expected.rows_read


def test_an_array_whose_actions_open_as_its_audits_is_cut_between_audits(
    tmp_path: Path,
) -> None:
    # Every audit and every action opens with "id" and "child_id" (a key no action has:
    # those audits are rejected): the places where an action opens are tried as cuts and
    # refused, and the load is still the whole file's.
    audits = json.loads(_clean())
    for audit in audits:
        audit["actions"] = [
            {"id": f"{audit['id']}-{n}", "child_id": "X", **action}
            for n, action in enumerate(audit["actions"] * 3, 1)
        ]
    path = tmp_path / "audits.json"
    path.write_text(json.dumps(audits))
    expected = _load(path, SEEDS[0].council, WHOLE)
    tried: list[bool] = []
    group = native._ArrayGroups._group

    def recorded(self: Any, held: bytearray, slot: int, end: int) -> bool:
        tried.append(group(self, held, slot, end))
        return tried[-1]

    with (
        mock.patch.object(native, "_MISSES", 10_000),
        mock.patch.object(native._ArrayGroups, "_group", recorded),
    ):
        loaded, groups = _groups(path, SEEDS[0].council, 500)
    assert loaded == expected
    assert len(groups) > 5
    assert tried.count(False) > 5  # places inside an audit, refused


def test_an_array_with_a_row_at_fault_is_still_read_in_groups(tmp_path: Path) -> None:
    audits = json.loads(_clean())
    audits[7]["activity"] = "no_such_activity"
    audits[12]["unknown"] = 1
    audits[20] = 5
    path = tmp_path / "audits.json"
    path.write_text(json.dumps(audits))
    expected = _load(path, SEEDS[0].council, WHOLE)
    assert not isinstance(expected, str)
    assert [r.row for r in expected.rejected] == [8, 13, 21]
    with mock.patch.object(native, "read_bytes", side_effect=AssertionError("read whole")):
        loaded, groups = _groups(path, SEEDS[0].council, 1_000)
    assert loaded == expected
    assert len(groups) > 5


@pytest.mark.parametrize(
    "data",
    [
        b'{"id": 1}',  # not an array
        b"[1, 2, 3]",  # elements that are not objects
        b'[{"id": "A1"}, {"id": "A2"}] trailing',
        b'[{"id": "A1"}, {"id": "A2"}',  # not closed
        b'[{"id": "A1"},,{"id": "A2"}]',
        b"[]",
        b"   ",
    ],
)
def test_arrays_not_cut_into_groups_are_read_whole(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "audits.json"
    path.write_bytes(data)
    whole = _load(path, SEEDS[0].council, WHOLE)
    with mock.patch.object(native, "read_bytes", wraps=native.read_bytes) as read_whole:
        assert _load(path, SEEDS[0].council, 1) == whole
    read_whole.assert_called_once()


def test_an_array_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    data = _clean()
    path = tmp_path / "audits.json"
    path.write_bytes(data)
    with pytest.raises(
        ExportError, match=rf"larger than the limit .*\({len(data):,} bytes or more\)"
    ):
        load_audits(path, SEEDS[0].council, max_bytes=len(data) - 1)
