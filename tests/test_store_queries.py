"""The register's queries are set-based: a bounded number of statements, whatever the rows.

Each query's statements are counted (never timed) on SQLite and PostgreSQL. The number of
statements a query runs does not grow with the audits registered; the overdue actions are
one statement that reads neither judgements nor moderations; the moderation queue reads
neither judgements nor actions. What each query returns is checked against the engine's
own functions in ``tests/test_store.py``; here also with rows fetched in small batches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from qaframework.engine.actions.ledger import action_ledger
from qaframework.engine.audits import Audit
from qaframework.engine.periods import Period
from qaframework.store import Register, _reading
from tests.store_data import swindon_audits, write_jsonl

pytest_plugins = ["tests.store_fixtures"]

AS_OF = date(2026, 7, 1)
MAY = Period.month(2026, 5)


@contextmanager
def statements(register: Register) -> Iterator[list[str]]:
    """The SQL statements run on ``register`` inside the block (transaction control left out)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if re.match(r"\s*SELECT\b", statement, re.I):
            seen.append(" ".join(statement.split()))

    event.listen(register.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(register.engine, "before_cursor_execute", note)


def tables_read(statement: str) -> set[str]:
    return set(re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", statement, re.I))


QUERIES: dict[str, Callable[[Register], Any]] = {
    "audits": lambda register: register.audits("swindon"),
    "audits of a period": lambda register: register.audits("swindon", period=MAY),
    "overdue actions": lambda register: register.overdue_actions(as_of=AS_OF),
    "moderation queue": lambda register: register.moderation_queue("swindon", MAY, seed=1),
    "child of concern tracker": lambda register: register.child_of_concern_tracker(
        "swindon", as_of=AS_OF
    ),
}


def _import(register: Register, audits: list[Audit], path: Path) -> None:
    register.import_audits(write_jsonl(audits, path), "swindon")


def test_each_query_runs_as_many_statements_for_many_audits_as_for_few(
    register: Register, tmp_path: Path
) -> None:
    audits = swindon_audits(150)
    _import(register, audits[:10], tmp_path / "few.jsonl")
    few = {}
    for name, query in QUERIES.items():
        with statements(register) as seen:
            query(register)
        few[name] = len(seen)
    _import(register, audits, tmp_path / "many.jsonl")
    for name, query in QUERIES.items():
        with statements(register) as seen:
            query(register)
        assert len(seen) == few[name], name
    assert max(few.values()) <= 5


def test_overdue_actions_are_one_statement_reading_no_judgement_or_moderation(
    register: Register, tmp_path: Path
) -> None:
    audits = swindon_audits(80)
    _import(register, audits, tmp_path / "a.jsonl")
    with statements(register) as seen:
        found = register.overdue_actions(as_of=AS_OF)
    assert found == action_ledger(audits, as_of=AS_OF).overdue()
    assert found
    (statement,) = seen
    assert tables_read(statement) <= {"actions", "audits", "action_events"}


def test_the_moderation_queue_reads_no_judgement_or_action(
    register: Register, tmp_path: Path
) -> None:
    _import(register, swindon_audits(80), tmp_path / "a.jsonl")
    with statements(register) as seen:
        queue = register.moderation_queue("swindon", MAY, seed=1)
    assert queue.selected
    read = set().union(*map(tables_read, seen))
    assert read <= {"audits", "moderations"}


def test_rows_fetched_in_small_batches_give_the_same_audits(
    register: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audits = swindon_audits(60)
    _import(register, audits, tmp_path / "a.jsonl")
    whole = register.audits("swindon")
    assert whole == tuple(audits)
    monkeypatch.setattr(_reading, "_BATCH", 7)
    assert register.audits("swindon") == whole
    assert register.audits() == whole
    assert register.overdue_actions(as_of=AS_OF) == action_ledger(audits, as_of=AS_OF).overdue()


def test_checklist_answers_and_ratings_read_back_in_one_statement(
    register: Register, tmp_path: Path
) -> None:
    # Bolton 2021's Whole Case File Audits answer a compliance checklist.
    from qaframework.engine.audits import ItemAnswer
    from qaframework.policy.checklists import ChecklistAnswer

    answers = (
        ItemAnswer("decision_function_used", ChecklistAnswer.YES),
        ItemAnswer("case_closure_function_used", ChecklistAnswer.NOT_APPLICABLE),
        ItemAnswer("case_file_signed", ChecklistAnswer.NO),
    )
    audits = [
        Audit(
            f"W{n}",
            f"C{n}",
            "whole_case_file_audits",
            date(2022, 1, 10 + n),
            "tm1",
            "team_manager",
            "good",
            checklist=answers[: n + 1],
        )
        for n in range(3)
    ]
    register.import_audits(write_jsonl(audits, tmp_path / "bolton.jsonl"), "bolton")
    with statements(register) as seen:
        found = register.audits("bolton")
    assert [a.checklist for a in found] == [a.checklist for a in audits]
    assert sum("checklist_answers" in tables_read(s) for s in seen) == 1
    assert len(seen) <= 5
