"""The rounds of ``benchmarks/bench_ingest.py --in-turn``: each round's times kept, and the
median of the rounds' ratios taken round by round (a script, loaded from its file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.siblings import from_file

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_ingest.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return from_file("bench_ingest_under_test", SCRIPT)


def test_median_ratios_pair_each_round_with_its_own_baseline(bench: ModuleType) -> None:
    # Each round's ratio is the baseline's time over the run's in that round: 0.25, 0.75
    # and 0.25 here. A round where only the baseline was slow (the second) moves its own
    # ratio, not the median.
    rounds = [
        {"polars": 1.0, "frames": 4.0, "json": 2.0},
        {"polars": 3.0, "frames": 4.0, "json": 2.0},
        {"polars": 1.0, "frames": 4.0, "json": 2.0},
    ]
    medians = bench.median_ratios(rounds, [("frames", "polars"), ("rows", "json")])
    assert medians == {("frames", "polars"): 0.25}  # "rows" was not run: no pair
    rounds[0]["polars"] = 2.0  # rounds' ratios now 0.5, 0.75, 0.25: median 0.5
    assert bench.median_ratios(rounds, [("frames", "polars")]) == {("frames", "polars"): 0.5}
    assert bench.median_ratios([], [("frames", "polars")]) == {}


def test_timed_in_turn_keeps_every_round_and_the_fastest(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    times = {"a": iter([(3.0, 2.0), (1.0, 0.5), (2.0, 1.0)]), "b": iter([(5.0, 4.0)] * 3)}

    def fake_best_time(
        run: Callable[[], str], *, pause_gc: bool, repeat: int, expect: int
    ) -> tuple[float, float]:
        assert (repeat, expect, pause_gc) == (1, 7, False)
        order.append(run())
        return next(times[order[-1]])

    monkeypatch.setattr(bench, "best_time", fake_best_time)
    best, rounds = bench._timed(
        {"a": lambda: "a", "b": lambda: "b"}, in_turn=True, repeat=3, expect=7
    )
    assert order == ["a", "b"] * 3  # in turn, round by round
    assert rounds == [{"a": 3.0, "b": 5.0}, {"a": 1.0, "b": 5.0}, {"a": 2.0, "b": 5.0}]
    assert best == {"a": (1.0, 0.5), "b": (5.0, 4.0)}


def test_timed_together_has_no_rounds(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        bench, "best_time", lambda run, *, pause_gc, repeat, expect: (float(repeat), 0.0)
    )
    best, rounds = bench._timed({"a": lambda: None}, in_turn=False, repeat=4, expect=1)
    assert best == {"a": (4.0, 0.0)}
    assert rounds == []
