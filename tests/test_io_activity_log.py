"""Loading activity logs (``qaframework.io.activity_log``) for the obligations engine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest

from qaframework import to_dict
from qaframework.io import ActivityLogEntry, ExportError, RejectedRows, load_activity_log

EXPORTS = Path(__file__).parent / "data" / "exports"


def test_the_entry_has_the_agreed_shape() -> None:
    assert [(f.name, str(f.type)) for f in attrs.fields(ActivityLogEntry)] == [
        ("activity", "str"),
        ("subject", "str"),
        ("on", "date"),
        ("role", "str | None"),
        ("event", "str | None"),
    ]
    entry = ActivityLogEntry("supervision", "C1", date(2026, 1, 2), None, None)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entry.subject = "C2"  # type: ignore[misc]


def test_a_log_with_a_mapping_translating_its_wording() -> None:
    load = load_activity_log(
        EXPORTS / "activity-log.csv", mapping=EXPORTS / "activity-log.mapping.toml"
    )
    assert load.rejected == ()
    assert load.accepted == (
        ActivityLogEntry("observation_core_groups", "sw.jones", date(2025, 5, 12), "practitioner"),
        ActivityLogEntry("observation_core_groups", "sw.patel", date(2026, 1, 20), "practitioner"),
        ActivityLogEntry("care_planning_meetings", "C1003", date(2026, 2, 3)),
        ActivityLogEntry(
            "care_planning_meetings", "C1003", date(2026, 3, 17), event="permanence_plan"
        ),
    )


def test_the_default_mapping_keeps_the_logs_words(tmp_path: Path) -> None:
    load = load_activity_log(EXPORTS / "activity-log.csv")
    assert load.accepted[0] == ActivityLogEntry(
        "Direct observation", "sw.jones", date(2025, 5, 12), "Practitioner"
    )
    assert load.unmapped_columns == ()


def test_rows_without_what_an_entry_needs_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "Activity,Subject ID,Date,Notes\n"
        "supervision,C1,2026-01-05,x\n"
        "supervision,,2026-01-05,\n"
        "supervision,C2,05/13/2026,\n"
        "supervision,C1,2026-01-05,\n",
        encoding="utf-8",
    )
    load = load_activity_log(path)
    assert load.rows_read == 4
    assert len(load.accepted) == 2  # the same activity twice on a day is kept
    empty, bad_date = load.rejected
    assert (empty.row, empty.column, empty.reason) == (3, "Subject ID", "required, but empty")
    assert (bad_date.row, bad_date.column) == (4, "Date")
    assert "not a real date" in bad_date.reason
    assert load.unmapped_columns == ("Notes",)
    assert set(load.missing_columns) == {"Role", "Event"}
    with pytest.raises(RejectedRows):
        load_activity_log(path, strict=True)


def test_fixed_values_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("Child,When\nC1,01/02/2026\n", encoding="utf-8")
    mapping = {"columns": {"subject": "Child", "on": "When"}, "fixed": {"activity": "supervision"}}
    (entry,) = load_activity_log(path, mapping=mapping).accepted
    assert entry == ActivityLogEntry("supervision", "C1", date(2026, 2, 1))
    with pytest.raises(ExportError, match="has no column 'Activity'"):
        load_activity_log(path)


def test_the_native_form(tmp_path: Path) -> None:
    entry = ActivityLogEntry("supervision", "C1", date(2026, 2, 1), "team_manager")
    path = tmp_path / "log.json"
    path.write_text(json.dumps([to_dict(entry), {"activity": "x"}]), encoding="utf-8")
    load = load_activity_log(path)
    assert load.accepted == (entry,)
    (rejection,) = load.rejected
    assert rejection.row == 2
