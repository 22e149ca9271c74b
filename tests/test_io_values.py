"""The cell conversion rules of ``qaframework.io.values``: each rule, and what it rejects."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.errors import QAFrameworkError
from qaframework.io.values import CellError, day, display, field_text, flag, is_empty, text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  A1 ", "A1"),
        ("Team  North", "Team  North"),
        ("", None),
        ("   ", None),
        (None, None),
        (123, "123"),
        (123.0, "123"),
        (-4.0, "-4"),
        (0, "0"),
    ],
)
def test_text_keeps_text_and_whole_numbers(cell: object, expected: str | None) -> None:
    assert text(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        (12.5, "whole number"),
        (float("nan"), "whole number"),
        (True, "true/false where text"),
        (date(2026, 1, 1), "a date or time where text"),
        (datetime(2026, 1, 1), "a date or time where text"),
        ([1, 2], "a list where text"),
        ({"a": 1}, "an object where text"),
    ],
)
def test_text_rejects_what_has_no_single_reading(cell: object, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        text(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("06/05/2026", date(2026, 5, 6)),
        ("6/5/2026", date(2026, 5, 6)),
        ("03/04/2026", date(2026, 4, 3)),
        ("2026-05-06", date(2026, 5, 6)),
        (" 2026-05-06 ", date(2026, 5, 6)),
        ("06/05/2026 00:00", date(2026, 5, 6)),
        ("06/05/2026 00:00:00", date(2026, 5, 6)),
        ("2026-05-06T00:00:00", date(2026, 5, 6)),
        (date(2026, 5, 6), date(2026, 5, 6)),
        (datetime(2026, 5, 6), date(2026, 5, 6)),
        ("", None),
        (None, None),
    ],
)
def test_dates_uk_iso_and_real(cell: object, expected: date | None) -> None:
    assert day(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31/02/2026", "not a real date"),
        ("2026-02-30", "not a real date"),
        ("06/05/26", "not a date in the form"),
        ("2026/05/06", "not a date in the form"),
        ("May 6th", "not a date in the form"),
        ("06/05/2026 09:30", "time of day"),
        (datetime(2026, 5, 6, 9, 30), "time of day"),
        (46000, "a number where a date"),
        (46000.0, "a number where a date"),
        (True, "true/false where a date"),
        (time(9, 30), "a date or time where a date"),
    ],
)
def test_dates_rejected(cell: object, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        day(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        (" no ", False),
        ("n", False),
        ("False", False),
        ("0", False),
        ("", False),
        (None, False),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        (0.0, False),
    ],
)
def test_flags(cell: object, expected: bool) -> None:
    assert flag(cell) is expected


@pytest.mark.parametrize("cell", ["maybe", "yess", "2", 2, 0.5, date(2026, 1, 1), [True]])
def test_flags_rejected(cell: object) -> None:
    with pytest.raises(CellError, match="not yes or no"):
        flag(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("CP", "CP"),
        (12.5, "12.5"),
        (12.0, "12"),
        (True, "true"),
        (date(2026, 1, 2), "2026-01-02"),
        (datetime(2026, 1, 2), "2026-01-02"),
        (datetime(2026, 1, 2, 9, 30), "2026-01-02T09:30:00"),
        ("", None),
    ],
)
def test_case_fields_keep_any_cell_as_text(cell: object, expected: str | None) -> None:
    assert field_text(cell) == expected


def test_display_shows_undecodable_bytes_as_escapes() -> None:
    cell = b"Ren\xe9e".decode("utf-8", errors="surrogateescape")
    assert display(cell) == "Ren\\xe9e"
    assert display(None) is None
    assert display(datetime(2026, 1, 2, 9, 30)) == "2026-01-02 09:30:00"
    assert display(1.5) == "1.5"


def test_cell_errors_are_the_librarys_own() -> None:
    assert issubclass(CellError, QAFrameworkError)


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none(), st.dates()))
def test_every_cell_is_read_or_rejected_with_a_reason(cell: object) -> None:
    reasons = []
    for rule in (text, day, flag, field_text):
        try:
            rule(cell)
        except CellError as exc:
            reasons.append(str(exc))
    assert all(reasons)
    assert is_empty(cell) == (cell is None or (isinstance(cell, str) and not cell.strip()))
