"""The QA register (``qaframework.store``): schema and migrations, imports, events, queries.

Every test that takes ``register`` or ``register_url`` runs on SQLite and on a real
PostgreSQL server (``tests/store_fixtures.py`` says where the server comes from).
"""

from __future__ import annotations

import itertools
import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from qaframework.engine.actions.ledger import action_ledger
from qaframework.engine.actions.tracker import child_of_concern_tracker
from qaframework.engine.audits import Audit, AuditAction
from qaframework.engine.escalation import evaluate_escalations_bulk
from qaframework.engine.moderation import ModerationError, select_for_moderation
from qaframework.engine.periods import Period
from qaframework.errors import UnknownProfile
from qaframework.io import load_audits, write_audits
from qaframework.io.errors import RejectedRows
from qaframework.policy.actions import ActionStatus
from qaframework.profiles.registry import load_profile
from qaframework.store import (
    Register,
    RegisterConflict,
    RegisterError,
    SchemaOutOfDate,
    init_register,
    migrate,
    open_register,
    schema,
)
from qaframework.testing import strategies
from tests.store_data import swindon, swindon_audits, write_jsonl

pytest_plugins = ["tests.store_fixtures"]

EXPORTS = Path(__file__).parent / "data" / "exports"
BAD_LINES = (
    '{"id": "BAD-1", "child_id": "CHILDQBAD01X"}',
    '{"id": "BAD-2", "child_id": "CHILDQBAD02X", "activity": "child_practice_audit", '
    '"audit_date": "2026-05-01", "auditor": "tm.1", "auditor_role": "nobody", '
    '"overall_grade": "good"}',
)


def resolve(day: date) -> Any:
    return load_profile("swindon", as_of=day)


def counts(register: Register) -> dict[str, int]:
    return dict(register.status().counts)


def imported(register: Register, tmp_path: Path, audits: list[Audit], name: str = "a.jsonl") -> Any:
    return register.import_audits(write_jsonl(audits, tmp_path / name), "swindon")


# -- schema and migrations ---------------------------------------------------------------


def test_init_creates_the_schema_at_the_newest_revision(
    register: Register, register_url: str
) -> None:
    status = register.status()
    assert status.revision == status.head == migrate.head_revision()
    assert status.up_to_date
    assert set(status.counts) == {t.name for t in schema.metadata.sorted_tables}
    assert set(status.counts.values()) == {0}
    assert status.imports == ()
    assert status.backend == register.backend
    # A second init changes nothing.
    with init_register(register_url) as again:
        assert again.status() == status


def test_the_migrations_build_exactly_the_schema_module_s_tables(register: Register) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with register.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": schema.VERSION_TABLE, "compare_type": True}
        )
        assert compare_metadata(context, schema.metadata) == []


def test_a_missing_register_is_not_created_by_opening_it(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite3"
    with pytest.raises(SchemaOutOfDate, match=r"has no register schema: run `qaframework reg"):
        open_register(path)
    assert not path.exists()


def test_a_register_at_an_older_revision_says_to_run_init(register_url: str) -> None:
    with init_register(register_url) as register, register.engine.begin() as connection:
        migrate.downgrade(connection, "base")
    with pytest.raises(SchemaOutOfDate) as caught:
        open_register(register_url)
    assert "register init" in str(caught.value)
    assert caught.value.current is None
    with init_register(register_url), open_register(register_url) as reopened:
        assert reopened.revision() == migrate.head_revision()


def test_locations_other_than_sqlite_and_postgresql_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="SQLite or PostgreSQL, not 'mysql'"):
        open_register("mysql://user:secret@host/db")
    with pytest.raises(RegisterError, match="not a database in memory"):
        init_register("sqlite://")
    with pytest.raises(RegisterError) as caught:
        open_register("postgresql://user:secret@/db?host=" + str(tmp_path / "no-server"))
    assert "secret" not in str(caught.value)


# -- imports -------------------------------------------------------------------------------


def test_an_import_lands_whole_and_reads_back_equal(register: Register, tmp_path: Path) -> None:
    audits = swindon_audits(60)
    path = write_jsonl(audits, tmp_path / "swindon.jsonl", extra_lines=BAD_LINES)
    result = register.import_audits(path, "swindon")
    load = result.load
    assert result.new
    assert load is not None
    assert load.accepted == tuple(audits)
    assert len(load.rejected) == 2
    record = result.record
    assert (record.rows_read, record.accepted, record.rejected, record.added) == (62, 60, 2, 60)
    assert record.source == "swindon.jsonl"
    assert register.audits("swindon") == tuple(audits)
    assert register.audits() == tuple(audits)
    # The rejected rows, every problem of each, with the file's name.
    assert register.rejections(record.id) == tuple(
        attrs.evolve(r, file="swindon.jsonl") for r in load.rejected
    )
    found = counts(register)
    assert found["audits"] == 60
    assert found["judgements"] == sum(len(a.judgements) for a in audits)
    assert found["moderations"] == sum(len(a.moderations) for a in audits)
    assert found["actions"] == found["action_events"] == sum(len(a.actions) for a in audits)
    assert found["import_rejections"] == sum(len(r.problems) for r in load.rejected)
    assert found["escalations"] == len(evaluate_escalations_bulk(audits, resolve, as_of=date.max))
    assert register.imports() == (record,)


def test_a_csv_export_read_through_a_mapping_reads_back_equal(register: Register) -> None:
    source = EXPORTS / "liquidlogic-audits.csv"
    mapping = EXPORTS / "liquidlogic-audits.mapping.toml"
    result = register.import_audits(source, "bolton", mapping=mapping)
    assert result.load is not None
    assert result.load.accepted
    assert register.audits("bolton") == result.load.accepted
    assert register.audits("swindon") == ()


def test_importing_the_same_file_twice_adds_nothing(register: Register, tmp_path: Path) -> None:
    path = write_jsonl(swindon_audits(20), tmp_path / "first.jsonl", extra_lines=BAD_LINES)
    first = register.import_audits(path, "swindon")
    before = counts(register)
    again = register.import_audits(path, "swindon")
    assert not again.new
    assert again.load is None
    assert again.record == first.record
    # The same bytes under another name are the same file.
    copy = tmp_path / "copy.jsonl"
    shutil.copyfile(path, copy)
    assert register.import_audits(copy, "swindon").record == first.record
    assert counts(register) == before


def test_a_file_repeating_registered_audits_adds_only_the_new_ones(
    register: Register, tmp_path: Path
) -> None:
    audits = swindon_audits(30)
    imported(register, tmp_path, audits[:20], "january.jsonl")
    # A cumulative export: the first twenty again (in another order), then ten more.
    second = imported(register, tmp_path, audits[19::-1] + audits[20:], "february.jsonl")
    assert second.new
    assert (second.record.added, second.record.already_registered) == (10, 20)
    assert register.audits("swindon") == tuple(audits)
    assert counts(register)["imports"] == 2


def test_a_file_contradicting_a_registered_audit_is_refused_whole(
    register: Register, tmp_path: Path
) -> None:
    audits = swindon_audits(12)
    imported(register, tmp_path, audits[:6], "first.jsonl")
    before = counts(register)
    changed = attrs.evolve(audits[2], auditor="someone.else")
    with pytest.raises(RegisterConflict) as caught:
        imported(register, tmp_path, [*audits[:2], changed, *audits[3:]], "changed.jsonl")
    assert caught.value.audit_ids == (audits[2].id,)
    assert f"{audits[2].id} (auditor)" in str(caught.value)
    assert counts(register) == before
    assert register.audits("swindon") == tuple(audits[:6])


def test_an_import_that_fails_part_way_leaves_nothing(register: Register, tmp_path: Path) -> None:
    path = write_jsonl(swindon_audits(40), tmp_path / "audits.jsonl", extra_lines=BAD_LINES)
    calls: list[tuple[int, int]] = []

    def fail_after_two_batches(written: int, total: int) -> None:
        calls.append((written, total))
        if len(calls) == 2:
            raise RuntimeError("stopped mid-import")

    with pytest.raises(RuntimeError, match="stopped mid-import"):
        register.import_audits(path, "swindon", progress=fail_after_two_batches, batch_size=5)
    assert set(counts(register).values()) == {0}
    # Nothing half-recorded stands in the way: the same file imports whole.
    progress: list[tuple[int, int]] = []
    result = register.import_audits(
        path, "swindon", batch_size=7, progress=lambda w, t: progress.append((w, t))
    )
    assert result.new
    assert result.record.added == 40
    written = [w for w, _ in progress]
    assert written == sorted(written)
    assert (
        progress[-1][0]
        == progress[-1][1]
        == sum(n for table, n in counts(register).items() if table != "imports")
    )


def test_a_strict_import_with_rejected_rows_records_nothing(
    register: Register, tmp_path: Path
) -> None:
    path = write_jsonl(swindon_audits(5), tmp_path / "audits.jsonl", extra_lines=BAD_LINES)
    with pytest.raises(RejectedRows):
        register.import_audits(path, "swindon", strict=True)
    assert set(counts(register).values()) == {0}


def test_an_unknown_profile_or_unreadable_file_is_a_clear_error(
    register: Register, tmp_path: Path
) -> None:
    path = write_jsonl(swindon_audits(2), tmp_path / "audits.jsonl")
    with pytest.raises(UnknownProfile):
        register.import_audits(path, "nowhere")
    with pytest.raises(ValueError, match="must be at least 1"):
        register.import_audits(path, "swindon", batch_size=0)
    from qaframework.io.errors import ExportError

    with pytest.raises(ExportError, match=r"missing\.jsonl"):
        register.import_audits(tmp_path / "missing.jsonl", "swindon")
    assert set(counts(register).values()) == {0}


# -- events --------------------------------------------------------------------------------


def _requires_improvement(tmp_path: Path, register: Register) -> Audit:
    (audit,) = [a for a in swindon_audits(12) if not a.moderations][:1]
    audit = attrs.evolve(audit, overall_grade="requires_improvement", actions=())
    imported(register, tmp_path, [audit])
    return audit


def test_a_moderation_is_appended_and_the_auditor_s_grade_kept(
    register: Register, tmp_path: Path
) -> None:
    audit = _requires_improvement(tmp_path, register)
    on = audit.audit_date + timedelta(days=3)
    updated = register.record_moderation(
        "swindon", audit.id, moderator="qa.lead", role="qa_team", grade="inadequate", on=on
    )
    assert updated.overall_grade == "requires_improvement"
    assert updated.final_grade == "inadequate"
    assert updated.moderations[-1].outcome.value == "downgrade"
    assert register.audit("swindon", audit.id) == updated
    # The downgrade put the child on the tracker: its escalations were recorded with it.
    (entry,) = register.child_of_concern_tracker("swindon", as_of=on)
    assert entry.child_id == audit.child_id
    assert entry.audit_ids == (audit.id,)
    # A second moderation is the next event; the first is kept.
    later = register.record_moderation(
        "swindon", audit.id, moderator="qa.head", role="qa_team", grade="good", on=on
    )
    assert [m.grade for m in later.moderations] == ["inadequate", "good"]
    assert register.audit("swindon", audit.id) == later
    assert counts(register)["moderations"] == 2


def test_a_moderation_the_policy_refuses_records_nothing(
    register: Register, tmp_path: Path
) -> None:
    audit = _requires_improvement(tmp_path, register)
    before = counts(register)
    with pytest.raises(ModerationError, match="does not moderate"):
        register.record_moderation(
            "swindon", audit.id, moderator="x", role="social_worker", grade="good", on=date.today()
        )
    with pytest.raises(RegisterError, match="no audit 'nothing'"):
        register.record_moderation(
            "swindon", "nothing", moderator="x", role="qa_team", grade="good", on=date.today()
        )
    assert counts(register) == before


def test_action_updates_are_events_and_the_latest_is_current(
    register: Register, tmp_path: Path
) -> None:
    audit = _requires_improvement(tmp_path, register)
    due = audit.audit_date + timedelta(days=20)
    action = AuditAction("ACT-1", "Review the plan", "sw.1", due)
    added = register.add_action("swindon", audit.id, action)
    assert added.actions == (action,)
    done_on, verified_on = due - timedelta(days=2), due + timedelta(days=5)
    done = register.record_action_update(
        "swindon", audit.id, "ACT-1", status=ActionStatus.DONE, done_on=done_on
    )
    verified = register.record_action_update(
        "swindon",
        audit.id,
        "ACT-1",
        status=ActionStatus.VERIFIED,
        done_on=done_on,
        verified_on=verified_on,
    )
    assert done.actions[0].status is ActionStatus.DONE
    assert verified.actions[0] == attrs.evolve(
        action, status=ActionStatus.VERIFIED, done_on=done_on, verified_on=verified_on
    )
    assert register.audit("swindon", audit.id) == verified
    assert (counts(register)["actions"], counts(register)["action_events"]) == (1, 3)


def test_inconsistent_action_updates_record_nothing(register: Register, tmp_path: Path) -> None:
    audit = _requires_improvement(tmp_path, register)
    due = audit.audit_date + timedelta(days=20)
    register.add_action("swindon", audit.id, AuditAction("ACT-1", "Review", "sw.1", due))
    before = counts(register)
    with pytest.raises(RegisterError, match="needs a done_on date"):
        register.record_action_update("swindon", audit.id, "ACT-1", status=ActionStatus.DONE)
    with pytest.raises(RegisterError, match="before it was done"):
        register.record_action_update(
            "swindon",
            audit.id,
            "ACT-1",
            status=ActionStatus.VERIFIED,
            done_on=due,
            verified_on=due - timedelta(days=1),
        )
    with pytest.raises(RegisterError, match=r"has no action 'ACT-9' \(its actions: 'ACT-1'\)"):
        register.record_action_update(
            "swindon", audit.id, "ACT-9", status=ActionStatus.DONE, done_on=due
        )
    with pytest.raises(RegisterError, match="already has an action 'ACT-1'"):
        register.add_action("swindon", audit.id, AuditAction("ACT-1", "Again", "sw.1", due))
    with pytest.raises(RegisterError, match="before the audit"):
        register.add_action(
            "swindon",
            audit.id,
            AuditAction("ACT-2", "Too early", "sw.1", audit.audit_date - timedelta(days=1)),
        )
    assert counts(register) == before


def test_nothing_is_ever_updated_or_deleted(register: Register, tmp_path: Path) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(register.engine, "before_cursor_execute", seen)
    audits = swindon_audits(30)
    imported(register, tmp_path, audits[:20], "first.jsonl")
    imported(register, tmp_path, audits, "second.jsonl")
    audit = next(a for a in audits if a.actions and not a.moderations)
    on = audit.audit_date + timedelta(days=40)
    register.record_moderation(
        "swindon", audit.id, moderator="qa.lead", role="qa_team", grade="inadequate", on=on
    )
    register.record_action_update(
        "swindon", audit.id, audit.actions[0].id, status=ActionStatus.DONE, done_on=on
    )
    register.add_action(
        "swindon", audit.id, AuditAction("NEW-1", "Follow up", "sw.1", on + timedelta(days=7))
    )
    register.audits("swindon")
    register.overdue_actions(as_of=on)
    register.child_of_concern_tracker("swindon", as_of=on)
    register.moderation_queue("swindon", Period.month(2026, 5), seed=1)
    register.status()
    assert statements
    changes = [s for s in statements if re.match(r"\s*(UPDATE|DELETE|REPLACE)\b", s, re.I)]
    assert changes == []


# -- queries -------------------------------------------------------------------------------

DATES = [date(2026, 4, 15) + timedelta(days=9 * n) for n in range(14)]


def test_overdue_actions_are_the_ledger_s(register: Register, tmp_path: Path) -> None:
    audits = swindon_audits(80)
    imported(register, tmp_path, audits)
    some = 0
    for day in DATES:
        expected = action_ledger(audits, as_of=day).overdue()
        assert register.overdue_actions(as_of=day) == expected
        assert register.overdue_actions(as_of=day, profile_id="swindon") == expected
        assert register.overdue_actions(as_of=day, profile_id="bolton") == ()
        some += bool(expected)
    assert some > 5
    with pytest.raises(UnknownProfile):
        register.overdue_actions(as_of=DATES[0], profile_id="nowhere")


def test_the_child_of_concern_tracker_is_the_core_s(register: Register, tmp_path: Path) -> None:
    audits = swindon_audits(80)
    imported(register, tmp_path, audits)
    sizes = []
    for day in DATES:
        upto = [a for a in audits if a.audit_date <= day]
        expected = child_of_concern_tracker(
            evaluate_escalations_bulk(upto, resolve, as_of=day), upto, resolve, as_of=day
        )
        assert register.child_of_concern_tracker("swindon", as_of=day) == expected
        sizes.append(len(expected))
    assert max(sizes) > 3
    with pytest.raises(UnknownProfile):
        register.child_of_concern_tracker("nowhere", as_of=DATES[0])


def test_the_moderation_queue_is_the_selection_and_empties_as_moderations_are_recorded(
    register: Register, tmp_path: Path
) -> None:
    audits = swindon_audits(80)
    imported(register, tmp_path, audits)
    period = Period.month(2026, 5)
    in_period = [a for a in audits if a.audit_date in period]
    queue = register.moderation_queue("swindon", period, seed=11)
    assert queue == select_for_moderation(swindon(), in_period, period, seed=11)
    assert queue.selected
    chosen = queue.selected[0]
    grade = next(a for a in audits if a.id == chosen.audit_id).overall_grade
    register.record_moderation(
        "swindon",
        chosen.audit_id,
        moderator="qa.lead",
        role="qa_team",
        grade=grade,
        on=period.end,
    )
    after = register.moderation_queue("swindon", period, seed=11)
    assert chosen.audit_id not in after.audit_ids
    with pytest.raises(RegisterError, match="spans two versions"):
        register.moderation_queue("bolton", Period.parse("2025-26"), seed=1)


def test_audits_of_a_period_and_of_a_child(register: Register, tmp_path: Path) -> None:
    audits = swindon_audits(50)
    imported(register, tmp_path, audits)
    period = Period.parse("2026-04-20..2026-05-10")
    assert register.audits("swindon", period=period) == tuple(
        a for a in audits if a.audit_date in period
    )
    child = audits[7].child_id
    assert register.audits(child_id=child) == tuple(a for a in audits if a.child_id == child)
    assert register.audit("swindon", audits[3].id) == audits[3]
    with pytest.raises(RegisterError, match="no audit 'nothing' of profile 'swindon'"):
        register.audit("swindon", "nothing")


_example = itertools.count()


@settings(
    max_examples=15,
    # One register serves every example: each imports a file of audits with ids of its own.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=st.lists(strategies.audits(swindon()), min_size=1, max_size=6))
def test_any_valid_audits_read_back_equal(
    register: Register, tmp_path: Path, drawn: list[Audit]
) -> None:
    n = next(_example)
    unique = list({a.id: a for a in drawn}.values())
    audits = [attrs.evolve(a, id=f"H{n}-{a.id}") for a in unique]
    path = tmp_path / f"example-{n}.jsonl"
    write_audits(audits, path)
    assert load_audits(path, "swindon").accepted == tuple(audits)
    result = register.import_audits(path, "swindon")
    assert result.record.added == len(audits)
    for audit in audits:
        assert register.audit("swindon", audit.id) == audit
    with register.engine.connect() as connection:
        stored = connection.execute(
            select(func.count())
            .select_from(schema.audits)
            .where(schema.audits.c.import_id == result.record.id)
        ).scalar_one()
    assert stored == len(audits)
