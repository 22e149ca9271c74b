"""A slice of the hostile-input corpus (``benchmarks/hostile_corpus.py``) in the suite: a
thousand malformed exports, mappings and profiles, each loaded through the API and the
command line in a process of its own, with nothing crashing, hanging, losing a row,
rejecting a cell without naming its column, or writing a live formula.

The whole corpus (10,000 files and more) is run by the script; its figures are in
``docs/reliability.md``.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests import hostile

SLICE = 1_000

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the corpus checks each file in a fork"),
]


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    return hostile.corpus()


def test_the_corpus_has_every_format_and_is_the_same_for_the_same_number(
    corpus: Any, tmp_path: Path
) -> None:
    names = corpus.mutations()
    assert len(names) >= 70
    # 10,000 files cover every mutation of every seed (council and kind) several times.
    assert 3 * len(names) * len(corpus.seeds()) <= 10_000
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for number in (1, 3, 57, 61, 95, 130):
        one = corpus.entry(number, first)
        again = corpus.entry(number, second)
        assert one.mutation == again.mutation
        if Path(one.path).is_file() and not Path(one.path).is_symlink():
            assert Path(one.path).read_bytes() == Path(again.path).read_bytes()
    formats = {corpus.entry(n, first).format for n in range(len(names))}
    assert {"csv", "xlsx", "json", "jsonl", "toml"} <= formats


def test_a_slice_of_the_corpus_loads_without_a_failure(corpus: Any, tmp_path: Path) -> None:
    tally = corpus.Tally()
    corpus.run(
        corpus.corpus(SLICE, tmp_path),
        jobs=max(1, min(4, os.cpu_count() or 1)),
        # Generous: the suite runs beside other workers; a real hang never ends at all.
        timeout=300.0,
        on_result=tally.add,
    )
    assert tally.files == SLICE
    assert tally.crashes == []
    assert tally.hangs == []
    assert tally.rows_lost == []
    assert tally.without_column == []
    assert tally.without_column_count == 0
    assert tally.formulas == []
    # The published outputs were checked, and hold no child id and no recoverable count.
    assert tally.published == {
        "child ids in published outputs": 0,
        "recoverable suppressed cells": 0,
    }
    # Something was checked of each: rows counted, files refused, outputs written.
    assert tally.rows_written > 4_000
    assert tally.refused > 100
    assert tally.outputs_checked > 20
    assert not list(tmp_path.iterdir()), "each file is removed once checked"


@pytest.mark.parametrize(
    "mutation", ["csv_stray_quote", "csv_quote_inside", "csv_blank_lines", "csv_mixed_line_ends"]
)
def test_line_wise_mutations_keep_cells_with_line_breaks_whole(corpus: Any, mutation: str) -> None:
    # These mutations rewrite the text a record at a time: a quoted cell spanning lines
    # is one record, not lines to split (they used to fail, or spoil the wrong row).
    import csv
    import io
    import random

    seed = next(s for s in corpus.seeds() if s.kind == "audits")
    for number in range(20):
        spoiler = corpus.Spoiler(seed, random.Random(number))
        for row in spoiler.rows:
            row[-1] = "first line\nsecond line"
        rows = [list(r) for r in spoiler.rows]
        built = corpus.TABULAR[mutation](spoiler)
        text = built.data.decode("utf-8")
        if mutation in ("csv_blank_lines", "csv_mixed_line_ends"):
            records = [
                r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)
            ]
            assert records[1:] == rows
        else:
            # One record is spoilt (the row the mutation picks, found by a twin of its
            # random numbers); the text before and after it is the other rows, whole.
            spoilt, _column = corpus.Spoiler(seed, random.Random(number)).cell()

            def written(part: list[list[str]]) -> str:
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(part)
                return buffer.getvalue()

            assert text.startswith(written([spoiler.header, *rows[:spoilt]]))
            assert text.endswith("\n" + written(rows[spoilt + 1 :]))


def test_a_results_file_tells_a_change_of_the_library_from_a_change_of_the_corpus(
    corpus: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    run = tmp_path / "run.jsonl"
    # Files 0 to 11: clean and spoilt CSV exports of the first seed, each checked.
    assert (
        corpus.main(["--count", "12", "--jobs", "2", "--timeout", "300", "--results", str(run)])
        == 0
    )
    lines = [json.loads(line) for line in run.read_text("utf-8").splitlines()]
    assert [line["number"] for line in lines] == list(range(12))
    again = tmp_path / "again"
    again.mkdir()
    for line in lines:
        item = corpus.entry(line["number"], again)
        assert line["name"] == Path(item.path).name
        assert line["mutation"] == item.mutation
        assert line["sha256"] == corpus._digest(item.path)
        assert line["mapping_sha256"] == corpus._digest(item.mapping)
        # What was found, never what the file holds (no child id, no message).
        assert set(line["found"]) <= {*corpus._OUTCOME_KEYS, "error_sha256"}
    clean = lines[0]
    assert clean["mutation"] == "csv_clean"
    assert clean["sha256"] is not None
    assert clean["found"]["rejected"] == 0
    assert clean["found"]["accepted"] == clean["found"]["rows_read"] > 0
    # The digests are of what the load found: a rejection's reason changed changes its own.
    spoilt = next(line for line in lines if line["found"].get("rejected"))
    item = corpus.entry(spoilt["number"], again)
    found = corpus._api(item)
    assert found["rejections_sha256"] == spoilt["found"]["rejections_sha256"]
    assert found["accepted_sha256"] == spoilt["found"]["accepted_sha256"]
    from qaframework.io import load_audits

    load = load_audits(item.path, item.council, mapping=item.mapping)
    first = load.rejected[0]
    reworded = [
        (r.row, r.duplicate_of, r.sheet, [(p.column, p.value, p.reason) for p in r.problems])
        for r in load.rejected
    ]
    assert corpus._fingerprint(reworded) == spoilt["found"]["rejections_sha256"]
    reworded[0] = (first.row + 1, *reworded[0][1:])
    assert corpus._fingerprint(reworded) != spoilt["found"]["rejections_sha256"]
    # A file refused whole: its message's digest, the same wherever the file was written.
    empty = corpus.mutations().index("csv_empty")
    there = tmp_path / "there"
    there.mkdir()
    made = [corpus.entry(empty, folder) for folder in (again, there)]
    refusals = [corpus.outcome(m, corpus._api(m)) for m in made]
    assert [r["found"]["refused"] for r in refusals] == [True, True]
    assert refusals[0]["found"]["error_sha256"] == refusals[1]["found"]["error_sha256"]

    same = corpus.read_results(run)
    assert corpus.main(["--compare", str(run), str(run)]) == 0
    assert "the library moved): 0" in capsys.readouterr().out

    # The same bytes found differently: the library moved. Other bytes: the corpus did.
    moved = {n: json.loads(json.dumps(line)) for n, line in same.items()}
    moved[0]["found"]["rejected"] = 1
    moved[1]["found"]["rows_read"] = moved[1]["found"].get("rows_read", 0) + 1
    moved[1]["sha256"] = "0" * 64
    del moved[11]
    found = corpus.compare(same, moved)
    assert found.compared == 11
    assert found.only_one == [11]
    assert [line.split(":")[0] for line in found.library] == [clean["name"]]
    assert [line.split(":")[0] for line in found.corpus] == [lines[1]["name"]]
    before, after = found.totals["rejected"]
    assert after == before + 1
    newer = tmp_path / "moved.jsonl"
    corpus.write_results(newer, moved)
    assert corpus.main(["--compare", str(run), str(newer)]) == 1
    out = capsys.readouterr().out
    assert "the library moved): 1" in out
    assert "the corpus moved): 1" in out
