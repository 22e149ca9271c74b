"""Writing an import's rows in bulk, inside the import's transaction.

:class:`ImportRows` turns the audits of one import into rows for each table, in the
tables' column order, one batch of audits at a time. :class:`BulkWriter` writes each batch:
on SQLite with the driver's ``executemany``, one statement per batch; on PostgreSQL with
``COPY ... FROM STDIN``, which streams the rows as data (measured two to three times faster
than ``executemany`` there: see ``docs/performance.md``). Either way no value is ever part
of an SQL statement's text. ``progress`` is told the rows written so far after each batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Table

from qaframework.engine.audits import Audit
from qaframework.engine.escalation import Escalation
from qaframework.io.rejections import Rejection
from qaframework.store import schema

__all__ = [
    "COLUMNS",
    "BulkWriter",
    "ImportRows",
    "Progress",
    "escalation_row",
    "escalation_step",
    "in_batches",
    "rejection_rows",
    "same",
]

Progress = Callable[[int, int], None]
"""Called with the rows written so far and the rows to write in all."""

Row = tuple[Any, ...]


def _iso(day: date) -> str:
    return day.isoformat()


def _iso_or_none(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def same(value: Any) -> Any:
    """The value itself: values go to PostgreSQL as they are."""
    return value


class ImportRows:
    """The rows an import writes, table by table, for ``audits`` numbered from ``first_key``.

    ``sqlite`` says whether dates go to the driver as ISO text (as SQLAlchemy stores them on
    SQLite) rather than as dates. Escalations are written for the audits given only.
    """

    def __init__(
        self,
        audits: Sequence[Audit],
        first_key: int,
        import_id: int,
        profile_id: str,
        recorded_at: datetime,
        *,
        sqlite: bool,
        connection: Connection,
    ) -> None:
        self.audits = audits
        self.first_key = first_key
        self.import_id = import_id
        self.profile_id = profile_id
        self.day: Callable[[Any], Any] = _iso if sqlite else same
        self.maybe_day: Callable[[Any], Any] = _iso_or_none if sqlite else same
        # The time in the form the column stores it, the same for every row of the import.
        process = DateTime().bind_processor(connection.dialect) if sqlite else None
        self.recorded_at: Any = process(recorded_at) if process is not None else recorded_at

    def keyed(self) -> list[tuple[int, Audit]]:
        """Each audit with its register key."""
        return list(enumerate(self.audits, self.first_key))

    def key_of(self) -> dict[str, int]:
        """The register key of each audit id."""
        return {audit.id: key for key, audit in self.keyed()}

    # Each method below gives the rows of one table for a part of the import's audits, built
    # by one comprehension (about twice as fast as yielding row by row).

    def audit_rows(self, part: Sequence[tuple[int, Audit]]) -> list[Row]:
        """Rows of ``audits``."""
        day, import_id, profile_id = self.day, self.import_id, self.profile_id
        return [
            (
                key,
                import_id,
                profile_id,
                a.id,
                a.child_id,
                a.activity,
                day(a.audit_date),
                a.auditor,
                a.auditor_role,
                a.overall_grade,
                a.cycle,
                a.practitioner,
                a.team,
                a.service_area,
                ",".join([c.value for c in a.concerns]),
                ",".join([f.value for f in a.feedback]),
            )
            for key, a in part
        ]

    def judgement_rows(self, part: Sequence[tuple[int, Audit]]) -> list[Row]:
        """Rows of ``judgements``."""
        return [
            (key, position, j.standard, j.grade, j.rationale, j.strengths, j.would_improve)
            for key, a in part
            for position, j in enumerate(a.judgements)
        ]

    def checklist_rows(self, part: Sequence[tuple[int, Audit]]) -> list[Row]:
        """Rows of ``checklist_answers``."""
        return [
            (key, position, answer.item, answer.answer.value)
            for key, a in part
            for position, answer in enumerate(a.checklist)
        ]

    def rating_rows(self, part: Sequence[tuple[int, Audit]]) -> list[Row]:
        """Rows of ``ratings``."""
        return [
            (key, position, rating.scale, rating.grade)
            for key, a in part
            for position, rating in enumerate(a.ratings)
        ]

    def moderation_rows(self, part: Sequence[tuple[int, Audit]]) -> list[Row]:
        """Rows of ``moderations`` (without ``id``, which the database numbers)."""
        day, import_id, at = self.day, self.import_id, self.recorded_at
        return [
            (
                key,
                position,
                m.moderator,
                m.role,
                m.grade,
                m.outcome.value,
                day(m.on),
                m.rationale,
                import_id,
                at,
            )
            for key, a in part
            if a.moderations
            for position, m in enumerate(a.moderations)
        ]

    def action_rows(self, part: Sequence[tuple[int, Audit]]) -> list[Row]:
        """Rows of ``actions``."""
        day, maybe_day, import_id, at = self.day, self.maybe_day, self.import_id, self.recorded_at
        return [
            (
                key,
                position,
                act.id,
                act.what,
                act.owner,
                day(act.due),
                maybe_day(act.review),
                import_id,
                at,
            )
            for key, a in part
            if a.actions
            for position, act in enumerate(a.actions)
        ]

    def action_event_rows(self, part: Sequence[tuple[int, Audit]]) -> list[Row]:
        """Event 0 of each action: where it stood in the file."""
        maybe_day, import_id, at = self.maybe_day, self.import_id, self.recorded_at
        return [
            (
                key,
                position,
                0,
                act.status.value,
                maybe_day(act.done_on),
                maybe_day(act.verified_on),
                import_id,
                at,
            )
            for key, a in part
            if a.actions
            for position, act in enumerate(a.actions)
        ]

    def escalation_rows(self, raised: Sequence[Escalation]) -> list[Row]:
        """Rows of ``escalations`` for the escalations raised for these audits."""
        keys = self.key_of()
        day, import_id, at = self.day, self.import_id, self.recorded_at
        return [
            escalation_row(e, keys[e.audit_id], day, import_id, at)
            for e in raised
            if e.audit_id in keys
        ]


def escalation_row(
    e: Escalation, key: int, day: Callable[[Any], Any], import_id: int | None, at: Any
) -> Row:
    """The ``escalations`` row of one escalation raised for the audit numbered ``key``."""
    consequence = e.consequence
    return (
        key,
        e.rule_id,
        escalation_step(e),
        e.stage.value,
        e.grade,
        e.concern.value if e.concern is not None else None,
        day(e.raised_on),
        day(e.deadline) if isinstance(e.deadline, date) else None,
        consequence.kind.value if consequence is not None else None,
        e.profile_version,
        import_id,
        at,
    )


def escalation_step(e: Escalation) -> int:
    """0 for an escalation the audit raised, n for one its n-th moderation raised."""
    return 0 if e.moderation_index is None else e.moderation_index + 1


def rejection_rows(import_id: int, rejected: Iterable[Rejection]) -> list[Row]:
    """Rows of ``import_rejections``: one per problem of each rejected row."""
    return [
        (import_id, r.row, position, p.column, p.value, p.reason, r.duplicate_of)
        for r in rejected
        for position, p in enumerate(r.problems)
    ]


# The columns each bulk-written table receives, in the order the row builders give them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "import_rejections": tuple(c.name for c in schema.import_rejections.columns),
    "audits": tuple(c.name for c in schema.audits.columns),
    "judgements": tuple(c.name for c in schema.judgements.columns),
    "checklist_answers": tuple(c.name for c in schema.checklist_answers.columns),
    "ratings": tuple(c.name for c in schema.ratings.columns),
    "moderations": tuple(c.name for c in schema.moderations.columns if c.name != "id"),
    "actions": tuple(c.name for c in schema.actions.columns),
    "action_events": tuple(c.name for c in schema.action_events.columns if c.name != "id"),
    "escalations": tuple(c.name for c in schema.escalations.columns if c.name != "id"),
}


def in_batches(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    """``rows`` in consecutive batches of ``size``."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class BulkWriter:
    """Writes batches of rows on one connection, inside its transaction."""

    def __init__(
        self, connection: Connection, *, total: int, progress: Progress | None = None
    ) -> None:
        self.connection = connection
        self.total = total
        self.progress = progress
        self.written = 0
        self.sqlite = connection.dialect.name == "sqlite"

    def write(self, table: Table, batches: Iterable[Sequence[Row]]) -> None:
        """Write each batch of rows (in :data:`COLUMNS` order) to ``table``."""
        quote = self.connection.dialect.identifier_preparer.quote
        columns = COLUMNS[table.name]
        names = ", ".join(quote(c) for c in columns)
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"
            for batch in batches:
                if batch:
                    self.connection.exec_driver_sql(statement, list(batch))
                    self._advance(len(batch))
            return
        raw = self.connection.connection.driver_connection
        assert raw is not None
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy,
        ):
            write_row = copy.write_row
            for batch in batches:
                for row in batch:
                    write_row(row)
                self._advance(len(batch))

    def _advance(self, count: int) -> None:
        self.written += count
        if self.progress is not None and count:
            self.progress(self.written, self.total)
