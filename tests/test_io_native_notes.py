"""Equal notes shared on the JSON path (``qaframework.io.native``): every free-text note of
a native JSON or JSON Lines load (a judgement's rationale, strengths and "would improve", a
moderation's rationale, an action's text) equal to one read before in the same file is that
one string object, whichever group or slice of the file it is in, as the CSV engines keep
them; the table of notes is bounded, and an export whose notes all differ stops being
looked up once it is full. The values loaded are those written, always."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaframework import from_dict
from qaframework.engine.audits import Audit
from qaframework.io import native
from qaframework.io.audits import AuditLoad, load_audits
from tests.native_files import native_audit, native_file

Notes = tuple[str | None, ...]
"""An audit's eight notes: each judgement's three, the moderation's, the action's."""


def _audit(number: int, notes: Notes) -> dict[str, Any]:
    return native_audit(number, notes[:7], notes[7])


def _notes(audit: Audit) -> list[str | None]:
    found: list[str | None] = []
    for judgement in audit.judgements:
        found += [judgement.rationale, judgement.strengths, judgement.would_improve]
    found += [m.rationale for m in audit.moderations]
    found += [a.what for a in audit.actions]
    return found


def _each_one_object(load: AuditLoad) -> dict[str | None, str | None]:
    """The load's distinct notes, having checked that equal notes are one object."""
    seen: dict[str | None, str | None] = {}
    for audit in load.accepted:
        for note in _notes(audit):
            assert seen.setdefault(note, note) is note
    return seen


def _load(tmp_path: Path, rows: list[dict[str, Any]], lines: bool, group_bytes: int) -> AuditLoad:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(native, "_LINES_BYTES", group_bytes)
        patch.setattr(native, "_ARRAY_BYTES", group_bytes)
        load = load_audits(native_file(tmp_path, rows, lines), "bolton")
    assert load.rejected == ()
    return load


def _phrase(text: str, number: int) -> str:
    # Long enough that Python never shares it of itself (it keeps one-character strings).
    return f"{text} at the audit's review, number {number}"


@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize("group_bytes", [1, 900, 1 << 21])
def test_equal_notes_are_one_object_across_the_file(
    tmp_path: Path, lines: bool, group_bytes: int
) -> None:
    notes = tuple(_phrase("The plan was reviewed", n % 3) for n in range(8))
    rows = [_audit(n, notes) for n in range(30)]
    load = _load(tmp_path, rows, lines, group_bytes)
    assert load.accepted == tuple(from_dict(Audit, row) for row in rows)
    assert len(_each_one_object(load)) == 3


@pytest.mark.parametrize("lines", [False, True])
def test_once_the_table_is_full_a_file_of_unlike_notes_is_no_longer_looked_up(
    tmp_path: Path, lines: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "CACHE_LIMIT", 6)
    common = _phrase("Common to every audit", 0)
    rows = [
        _audit(n, (common, *(_phrase("Only here", 10 * n + k) for k in range(7)))) for n in range(6)
    ]
    load = _load(tmp_path, rows, lines, 1)  # each audit a group of its own
    assert load.accepted == tuple(from_dict(Audit, row) for row in rows)
    # The first audit fills the table; the second finds one of its eight notes there (the
    # common one): from the third on nothing is looked up, so even the note every audit
    # repeats is each audit's own.
    held = [audit.judgements[0].rationale for audit in load.accepted]
    assert held == [common] * 6
    assert held[1] is held[0]
    assert len({id(note) for note in [held[0], *held[2:]]}) == 5


@pytest.mark.parametrize("lines", [False, True])
def test_once_the_table_is_full_notes_it_holds_are_still_shared_and_no_more_are_added(
    tmp_path: Path, lines: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "CACHE_LIMIT", 6)
    repeated = tuple(_phrase("Repeated", k) for k in range(7))
    # Each audit's action a text of its own, but the last audit's the fourth audit's.
    actions = [_phrase("Action", n) for n in range(6)] + [_phrase("Action", 3)]
    rows = [_audit(n, (*repeated, action)) for n, action in enumerate(actions)]
    load = _load(tmp_path, rows, lines, 1)
    assert load.accepted == tuple(from_dict(Audit, row) for row in rows)
    first = _notes(load.accepted[0])
    for audit in load.accepted[1:]:
        # Seven of the eight notes found: the table is looked up to the end of the file.
        assert all(a is b for a, b in zip(_notes(audit)[:7], first[:7], strict=True))
    fourth, last = load.accepted[3].actions[0].what, load.accepted[6].actions[0].what
    assert fourth == last
    assert fourth is not last  # the table was full when the fourth audit came
    assert load.accepted[6].judgements[0].rationale is first[0]


@pytest.mark.parametrize("lines", [False, True])
def test_notes_are_shared_after_a_slice_the_converter_refuses(
    tmp_path: Path, lines: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No export is known that decodes and then fails to convert; the converter is made to
    # refuse the first slice, so that the rest is converted audit by audit.
    monkeypatch.setattr(native, "_SLICE", 2)
    convert = msgspec.convert
    refused: list[int] = []

    def refusing(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, list) and not refused:
            refused.append(len(value))
            raise msgspec.ValidationError("refused")
        return convert(value, *args, **kwargs)

    monkeypatch.setattr(msgspec, "convert", refusing)
    notes = tuple(_phrase("The plan was reviewed", n % 2) for n in range(8))
    rows = [_audit(n, notes) for n in range(7)]
    load = _load(tmp_path, rows, lines, 1 << 21)
    assert refused == [2]
    assert load.accepted == tuple(from_dict(Audit, row) for row in rows)
    assert len(_each_one_object(load)) == 2


PHRASES = [None, *(_phrase("Phrase", n) for n in range(5))]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    audits=st.lists(
        # The profile asks every judgement for its three notes; a moderation may have none.
        st.tuples(
            *[st.sampled_from(PHRASES[1:])] * 6,
            st.sampled_from(PHRASES),
            st.sampled_from(PHRASES[1:]),
        ),
        min_size=1,
        max_size=25,
    ),
    lines=st.booleans(),
    group_bytes=st.sampled_from([1, 300, 2_000, 1 << 21]),
)
def test_notes_load_as_written_and_equal_ones_are_one_object(
    tmp_path: Path, audits: list[Notes], lines: bool, group_bytes: int
) -> None:
    rows = [_audit(n, notes) for n, notes in enumerate(audits)]
    load = _load(tmp_path, rows, lines, group_bytes)
    assert load.accepted == tuple(from_dict(Audit, row) for row in rows)
    _each_one_object(load)
