"""The one helper every bulk path uses to pause the cycle collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from qaframework.engine._collector import paused_gc


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_pauses_an_enabled_collector_and_enables_it_again() -> None:
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_restores_the_collector_when_the_block_raises() -> None:
    gc.enable()
    with pytest.raises(ValueError, match="boom"), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_pause_false_leaves_the_collector_running() -> None:
    gc.enable()
    with paused_gc(pause=False):
        assert gc.isenabled()
    assert gc.isenabled()
