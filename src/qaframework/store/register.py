"""The QA register: audits, moderation history, escalations and actions, kept with nothing lost.

:func:`init_register` creates (or upgrades) a register and :func:`open_register` opens one
whose schema is up to date; both return a :class:`Register`. Its writes:

- :meth:`Register.import_audits` imports a council's export in one transaction: the accepted
  audits with their judgements, moderations and actions, the escalations they raise, and
  every rejected row with its reasons, or none of it. A file whose content was imported
  before adds nothing; audits the register holds already, exactly as the file has them,
  are not added again, and a file that contradicts a registered audit is refused whole
  (:class:`~qaframework.store.errors.RegisterConflict`).
- :meth:`Register.record_moderation`, :meth:`Register.add_action` and
  :meth:`Register.record_action_update` append events; nothing is ever updated in place.

Its queries feed the trackers and the cycle report: :meth:`Register.audits` (of a period,
a child), :meth:`Register.overdue_actions`, :meth:`Register.child_of_concern_tracker`,
:meth:`Register.moderation_queue`, and :meth:`Register.status`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, NoReturn

import attrs
from sqlalchemy import Connection, Engine, Row, and_, exists, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from qaframework.engine._collector import paused_gc
from qaframework.engine.actions.ledger import ActionItem
from qaframework.engine.actions.tracker import TrackerEntry, child_of_concern_tracker
from qaframework.engine.audits import Audit, AuditAction
from qaframework.engine.escalation import evaluate_escalations_bulk
from qaframework.engine.moderation import (
    ModerationSelection,
    select_for_moderation,
)
from qaframework.io.rejections import Rejection, RowProblem
from qaframework.policy.actions import ActionStatus
from qaframework.profiles.registry import get_registry, load_profile, profile_resolver
from qaframework.store import migrate
from qaframework.store._bulk import (
    BulkWriter,
    ImportRows,
    Progress,
    in_batches,
    rejection_rows,
)
from qaframework.store._events import append_action, append_action_update, append_moderation
from qaframework.store._reading import fetch_audits, fetch_overdue
from qaframework.store.engine import (
    WRITE_OPTION,
    Location,
    create_sqlite_file,
    engine_for,
    location_of,
)
from qaframework.store.errors import RegisterConflict, RegisterError, SchemaOutOfDate
from qaframework.store.records import ImportRecord, ImportResult, RegisterStatus
from qaframework.store.schema import (
    action_events,
    actions,
    audits,
    checklist_answers,
    escalations,
    import_rejections,
    imports,
    judgements,
    metadata,
    moderations,
    ratings,
)

if TYPE_CHECKING:
    from qaframework.engine.periods import Period
    from qaframework.io.audits import MappingSpec
    from qaframework.policy.workdays import WorkingCalendar

__all__ = ["DEFAULT_BATCH_SIZE", "Register", "init_register", "open_register"]

log = logging.getLogger("qaframework.store")

DEFAULT_BATCH_SIZE = 5_000
"""Audits whose rows go in one ``executemany`` (SQLite) or one progress report (``COPY``)."""

# Ids per IN (...) list when looking audits up by id: well within every backend's limit.
_CHUNK = 500
_TRACKER = "child_of_concern_tracker"


def init_register(
    where: str | os.PathLike[str] | None = None, *, busy_timeout: float = 30.0
) -> Register:
    """Create the register at ``where`` (or upgrade its schema) and open it.

    ``where`` is a path or URL (see :func:`~qaframework.store.engine.location_of`; None is
    ``QAFRAMEWORK_REGISTER`` or the default file in the user's data directory). A new SQLite
    file is created with mode 0600. Running it on an up-to-date register changes nothing.
    """
    location = location_of(where)
    if location.file is not None:
        create_sqlite_file(location.file)
    register = Register(engine_for(location, busy_timeout=busy_timeout), location)
    try:
        with register._writing() as connection:
            migrate.upgrade(connection)
    except BaseException:
        register.close()
        raise
    log.info("register %s is at schema revision %s", location, migrate.head_revision())
    return register


def open_register(
    where: str | os.PathLike[str] | None = None, *, busy_timeout: float = 30.0
) -> Register:
    """Open the register at ``where``, whose schema must be at this qaframework's revision.

    Raises :class:`~qaframework.store.errors.SchemaOutOfDate` when the register does not
    exist yet or was made by an earlier release (run ``qaframework register init``), and
    :class:`~qaframework.store.errors.RegisterError` when it cannot be reached.
    """
    location = location_of(where)
    head = migrate.head_revision()
    if location.file is not None and not location.file.exists():
        raise SchemaOutOfDate(str(location), None, head)
    register = Register(engine_for(location, busy_timeout=busy_timeout), location)
    try:
        current = register.revision()
    except BaseException:
        register.close()
        raise
    if current != head:
        register.close()
        raise SchemaOutOfDate(str(location), current, head)
    return register


def _now() -> datetime:
    # UTC without a zone: SQLite keeps no zone, and both backends then read back the same.
    return datetime.now(UTC).replace(tzinfo=None)


def _digest(path: str, max_bytes: int | None) -> str:
    from qaframework.io.errors import ExportError
    from qaframework.profiles.files import FileRefused, export_limit, regular_blocks

    digest = hashlib.sha256()
    try:
        for block in regular_blocks(path, export_limit(max_bytes)):
            digest.update(block)
    except FileRefused as exc:
        raise ExportError(path, str(exc)) from None
    return digest.hexdigest()


_COPY_CONTEXT = re.compile(r"COPY (\w+), line \d+(?:, column (\w+))?")


def _where(driver: BaseException | None) -> str:
    """`` in table.column`` for a PostgreSQL error, from its diagnostics (names, never values)."""
    diag = getattr(driver, "diag", None)
    if diag is None:
        return ""
    table, column = diag.table_name, diag.column_name
    if table is None:
        found = _COPY_CONTEXT.match(diag.context or "")
        if found is not None:
            table, column = found[1], found[2]
    if table is None:
        return ""
    return f" in {table}.{column}" if column else f" in {table}"


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _first_difference(first: Audit, second: Audit) -> str:
    for field in attrs.fields(Audit):
        if getattr(first, field.name) != getattr(second, field.name):
            return field.name
    return "none"


def _record(row: Row[Any]) -> ImportRecord:
    values: Any = row
    return ImportRecord(*values)


class Register:
    """A QA register in SQLite or PostgreSQL; open one with :func:`open_register`.

    A register is safe to share between threads, and any number of processes may use the
    same register at once: SQLite writers wait for each other (up to the busy timeout),
    PostgreSQL writers lock what they append to. Close it (or use it as a context manager)
    to release its connections.
    """

    def __init__(self, engine: Engine, location: Location) -> None:
        self._engine = engine
        self._location = location

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the register's connections."""
        self._engine.dispose()

    @property
    def location(self) -> str:
        """The register's file, or its URL without the password."""
        return str(self._location)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._location.backend

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for a service's own read-only reporting queries."""
        return self._engine

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def _connected(self, *, write: bool) -> Iterator[Connection]:
        try:
            with self._engine.connect() as connection:
                if write:
                    connection.execution_options(**{WRITE_OPTION: True})
                elif self.backend == "postgresql":
                    # Queries that read several tables see one snapshot.
                    connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    yield connection
        except DBAPIError as exc:
            self._fail(exc, exc.orig)
        except UnicodeEncodeError:
            # The driver could not encode a value (half of a character, say): say so without it.
            raise RegisterError(
                f"{self.location} refused a value: it holds a character the database cannot "
                "store; nothing was changed"
            ) from None
        except Exception as exc:
            # COPY runs on the driver's own cursor, whose errors SQLAlchemy does not wrap.
            if not type(exc).__module__.startswith(("psycopg", "sqlite3")):
                raise
            self._fail(exc, exc)

    def _reading(self) -> AbstractContextManager[Connection]:
        return self._connected(write=False)

    def _writing(self) -> AbstractContextManager[Connection]:
        return self._connected(write=True)

    def _fail(self, exc: Exception, driver: BaseException | None) -> NoReturn:
        # The driver's own message, first line only: PostgreSQL's detail and context lines
        # repeat the values of the row concerned. A data error's message may quote the value
        # itself, so it is named by its condition and column only.
        reason = str(driver).strip().splitlines()[0] if driver is not None else str(exc)
        if "database is locked" in reason:
            raise RegisterError(
                f"{self.location} is busy: another process held it for longer than the busy "
                "timeout; try again"
            ) from None
        state = str(getattr(driver, "sqlstate", None) or "")
        # psycopg refuses some values itself (a NUL), as a DataError without a SQLSTATE.
        if state.startswith("22") or type(driver).__name__ == "DataError":
            raise RegisterError(
                f"{self.location} refused a value{_where(driver)} ({type(driver).__name__}"
                f"{f', SQLSTATE {state}' if state else ''}); nothing was changed"
            ) from None
        if isinstance(exc, IntegrityError) or state.startswith("23"):
            raise RegisterError(f"{self.location} refused the change: {reason}") from None
        raise RegisterError(f"cannot use the register at {self.location}: {reason}") from None

    # -- schema --------------------------------------------------------------------------

    def revision(self) -> str | None:
        """The register's schema revision (None when it has no schema yet)."""
        with self._reading() as connection:
            return migrate.current_revision(connection)

    # -- imports -------------------------------------------------------------------------

    def import_audits(
        self,
        source: str | os.PathLike[str],
        profile_id: str,
        *,
        mapping: MappingSpec | None = None,
        strict: bool = False,
        format: str | None = None,
        sheet: str | Sequence[str] | None = None,
        encoding: str | None = None,
        progress: Progress | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_bytes: int | None = None,
    ) -> ImportResult:
        """Import an audit export, all of it in one transaction or none of it.

        The file is loaded with :func:`qaframework.io.load_audits` (``mapping``, ``strict``,
        ``format``, ``sheet``, ``encoding`` and ``max_bytes`` as there). The accepted audits
        land with their judgements, moderations, actions and the escalations they raise; every
        rejected row is recorded with its problems (see :meth:`rejections`). Rows are
        written in batches of the rows of ``batch_size`` audits; ``progress`` is told the rows
        written so far and the rows to write.

        Idempotent: a file whose bytes (SHA-256) were imported before is not read again and
        adds nothing (``ImportResult.new`` is False); imported before for another profile, it
        is an error. Accepted audits the register already
        holds exactly as this file has them are counted, not added again; if any differs,
        :class:`~qaframework.store.errors.RegisterConflict` is raised and nothing of the
        file is kept. Raises the loader's errors for a file or mapping it cannot use, and
        :class:`~qaframework.io.errors.RejectedRows` when ``strict`` and a row is rejected
        (nothing is recorded then).
        """
        from qaframework.io.audits import load_audits

        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        get_registry().info(profile_id)
        path = os.fspath(source)
        name = os.path.basename(path)
        digest = _digest(path, max_bytes)
        with self._reading() as connection:
            earlier = self._import_with_hash(connection, digest)
        if earlier is not None:
            return self._imported_before(earlier, name, profile_id)
        load = load_audits(
            path,
            profile_id,
            mapping=mapping,
            strict=strict,
            format=format,
            sheet=sheet,
            encoding=encoding,
            max_bytes=max_bytes,
        )
        if _digest(path, max_bytes) != digest:
            raise RegisterError(f"{name}: the file changed while it was read; import it again")
        if len(load.sheets) > 1:
            raise RegisterError(
                f"{name}: {len(load.sheets)} worksheets were read; the register imports one "
                "worksheet per import (name it with sheet=)"
            )
        # evaluate_escalations_bulk pauses the cycle collector itself.
        raised = evaluate_escalations_bulk(
            load.accepted, profile_resolver(profile_id), as_of=date.max
        )
        with self._writing() as connection:
            if self.backend == "postgresql":
                # One import at a time: audit keys are numbered, and repeated audits found,
                # against a register no other import is changing.
                connection.exec_driver_sql("LOCK TABLE imports IN SHARE ROW EXCLUSIVE MODE")
            earlier = self._import_with_hash(connection, digest)
            if earlier is not None:
                return self._imported_before(earlier, name, profile_id)
            existing = self._existing(connection, profile_id, load.accepted)
            if existing:
                self._check_repeats(connection, name, profile_id, load.accepted, existing)
                new: Sequence[Audit] = [a for a in load.accepted if a.id not in existing]
                raised = [e for e in raised if e.audit_id not in existing]
            else:
                new = load.accepted
            at = _now()
            values: dict[str, Any] = {
                "content_hash": digest,
                "source": name,
                "profile_id": profile_id,
                "format": load.format,
                "rows_read": load.rows_read,
                "accepted": len(load.accepted),
                "rejected": len(load.rejected),
                "blank_rows": load.blank_rows,
                "added": len(new),
                "imported_at": at,
            }
            inserted = connection.execute(insert(imports).values(**values)).inserted_primary_key
            assert inserted is not None
            import_id = int(inserted[0])
            last_key = connection.execute(select(func.max(audits.c.key))).scalar_one()
            rows = ImportRows(
                new,
                (last_key or 0) + 1,
                import_id,
                profile_id,
                at,
                sqlite=self.backend == "sqlite",
                connection=connection,
            )
            with paused_gc():
                rejected = rejection_rows(import_id, load.rejected)
                raised_rows = rows.escalation_rows(raised)
                actions_count = sum(len(a.actions) for a in new)
                total = (
                    len(rejected)
                    + len(new)
                    + sum(len(a.judgements) for a in new)
                    + sum(len(a.checklist) + len(a.ratings) for a in new)
                    + sum(len(a.moderations) for a in new)
                    + 2 * actions_count
                    + len(raised_rows)
                )
                writer = BulkWriter(connection, total=total, progress=progress)
                parts = list(in_batches(rows.keyed(), batch_size))
                writer.write(import_rejections, in_batches(rejected, batch_size))
                for table, build in (
                    (audits, rows.audit_rows),
                    (judgements, rows.judgement_rows),
                    (checklist_answers, rows.checklist_rows),
                    (ratings, rows.rating_rows),
                    (moderations, rows.moderation_rows),
                    (actions, rows.action_rows),
                    (action_events, rows.action_event_rows),
                ):
                    writer.write(table, map(build, parts))
                writer.write(escalations, in_batches(raised_rows, batch_size))
        record = ImportRecord(id=import_id, **values)
        log.info(
            "import %d (profile %s): %d audits added, %d already registered, %d rows rejected",
            import_id,
            profile_id,
            record.added,
            record.already_registered,
            record.rejected,
        )
        return ImportResult(record, new=True, load=load)

    def _imported_before(self, earlier: ImportRecord, name: str, profile_id: str) -> ImportResult:
        if earlier.profile_id != profile_id:
            raise RegisterError(
                f"{name} was imported before as import {earlier.id} for profile "
                f"{earlier.profile_id!r}, not {profile_id!r}"
            )
        log.info("import %d has the same content: nothing added", earlier.id)
        return ImportResult(earlier, new=False)

    def _import_with_hash(self, connection: Connection, digest: str) -> ImportRecord | None:
        row = connection.execute(
            select(*imports.columns).where(imports.c.content_hash == digest)
        ).first()
        return _record(row) if row is not None else None

    def _existing(
        self, connection: Connection, profile_id: str, accepted: Sequence[Audit]
    ) -> dict[str, int]:
        """The register keys of the accepted audits' ids already registered for the profile."""
        any_audit = connection.execute(
            select(exists().where(audits.c.profile_id == profile_id))
        ).scalar_one()
        if not any_audit or not accepted:
            return {}
        ids = [a.id for a in accepted]
        found: dict[str, int] = {}
        for chunk in _chunks(ids):
            for audit_id, key in connection.execute(
                select(audits.c.audit_id, audits.c.key).where(
                    audits.c.profile_id == profile_id, audits.c.audit_id.in_(chunk)
                )
            ):
                found[audit_id] = key
        return found

    def _check_repeats(
        self,
        connection: Connection,
        name: str,
        profile_id: str,
        accepted: Sequence[Audit],
        existing: dict[str, int],
    ) -> None:
        """Refuse the file if an audit it repeats differs from the one first imported."""
        stored: dict[int, Audit] = {}
        for chunk in _chunks(list(existing.values())):
            stored.update(fetch_audits(connection, audits.c.key.in_(chunk), original=True))
        differences = [
            (a.id, _first_difference(stored[existing[a.id]], a))
            for a in accepted
            if a.id in existing and stored[existing[a.id]] != a
        ]
        if differences:
            raise RegisterConflict(name, profile_id, differences)

    def imports(self) -> tuple[ImportRecord, ...]:
        """Every import, oldest first."""
        with self._reading() as connection:
            rows = connection.execute(select(*imports.columns).order_by(imports.c.id))
            return tuple(_record(row) for row in rows)

    def rejections(self, import_id: int) -> tuple[Rejection, ...]:
        """The rows an import rejected, with every problem, in file order.

        Each :class:`~qaframework.io.rejections.Rejection` names the import's ``source``
        as its file.
        """
        with self._reading() as connection:
            source = connection.execute(
                select(imports.c.source).where(imports.c.id == import_id)
            ).scalar_one_or_none()
            if source is None:
                raise RegisterError(f"{self.location} has no import {import_id}")
            rows = connection.execute(
                select(
                    import_rejections.c.row_number,
                    import_rejections.c.column_name,
                    import_rejections.c.cell_value,
                    import_rejections.c.reason,
                    import_rejections.c.duplicate_of,
                )
                .where(import_rejections.c.import_id == import_id)
                .order_by(import_rejections.c.row_number, import_rejections.c.position)
            ).all()
        by_row: dict[int, tuple[list[RowProblem], int | None]] = {}
        for number, column, value, reason, duplicate_of in rows:
            problems, _ = by_row.setdefault(number, ([], duplicate_of))
            problems.append(RowProblem(column, value, reason))
        return tuple(
            Rejection(source, number, tuple(problems), duplicate_of)
            for number, (problems, duplicate_of) in by_row.items()
        )

    # -- events --------------------------------------------------------------------------

    def record_moderation(
        self,
        profile_id: str,
        audit_id: str,
        *,
        moderator: str,
        role: str,
        grade: str,
        on: date,
        rationale: str | None = None,
        policy: str | None = None,
    ) -> Audit:
        """Append a moderation to a registered audit; returns the audit with it.

        Checked as :func:`qaframework.engine.moderation.record_moderation` checks it, under the
        profile version in force on the audit date (which gives the outcome). The
        escalations the moderation raises are recorded with it. The auditor's grade and
        earlier moderations are untouched: the moderation is a new event.
        """
        with self._writing() as connection:
            return append_moderation(
                connection,
                self.location,
                _now,
                profile_id,
                audit_id,
                moderator=moderator,
                role=role,
                grade=grade,
                on=on,
                rationale=rationale,
                policy=policy,
            )

    def add_action(self, profile_id: str, audit_id: str, action: AuditAction) -> Audit:
        """Add an action to a registered audit (set at moderation, say); returns the audit.

        The action's id must be new to the audit, and the audit with it must pass
        :func:`~qaframework.engine.audits.check_audit`'s checks of actions. Its state is the
        action's first event.
        """
        with self._writing() as connection:
            return append_action(connection, self.location, _now, profile_id, audit_id, action)

    def record_action_update(
        self,
        profile_id: str,
        audit_id: str,
        action_id: str,
        *,
        status: ActionStatus,
        done_on: date | None = None,
        verified_on: date | None = None,
    ) -> Audit:
        """Append where an action now stands; returns the audit with the action updated.

        A done action has ``done_on``, a verified one ``verified_on`` too (on or after
        ``done_on``); an action can be reopened (``open``, no dates). The action as set
        (what, owner, due, review) and its earlier events are kept.
        """
        with self._writing() as connection:
            return append_action_update(
                connection,
                self.location,
                _now,
                profile_id,
                audit_id,
                action_id,
                status=status,
                done_on=done_on,
                verified_on=verified_on,
            )

    # -- queries -------------------------------------------------------------------------

    def audit(self, profile_id: str, audit_id: str) -> Audit:
        """One registered audit, with its moderations and its actions as they now stand."""
        with self._reading() as connection:
            found = fetch_audits(
                connection, and_(audits.c.profile_id == profile_id, audits.c.audit_id == audit_id)
            )
        if not found:
            raise RegisterError(
                f"{self.location} has no audit {audit_id!r} of profile {profile_id!r}"
            )
        return found[0][1]

    def audits(
        self,
        profile_id: str | None = None,
        *,
        period: Period | None = None,
        child_id: str | None = None,
    ) -> tuple[Audit, ...]:
        """The registered audits (of a profile, dated in ``period``, of one child), in the
        order they were imported, each with its moderations and its actions as they now
        stand: equal to the audits imported, with what was recorded since."""
        conditions = []
        if profile_id is not None:
            conditions.append(audits.c.profile_id == profile_id)
        if period is not None:
            conditions.append(audits.c.audit_date.between(period.start, period.end))
        if child_id is not None:
            conditions.append(audits.c.child_id == child_id)
        with self._reading() as connection:
            found = fetch_audits(connection, and_(*conditions) if conditions else None)
        return tuple(audit for _, audit in found)

    def overdue_actions(
        self, *, as_of: date, profile_id: str | None = None
    ) -> tuple[ActionItem, ...]:
        """The actions open and past their due date on ``as_of``, the longest overdue first:
        :meth:`qaframework.engine.actions.ledger.ActionLedger.overdue` over the register's audits
        dated on or before ``as_of`` (of ``profile_id`` when given), worked out by the
        database in one query that reads only the actions due before ``as_of``."""
        if profile_id is not None:
            get_registry().info(profile_id)
        with self._reading() as connection:
            return fetch_overdue(connection, as_of=as_of, profile_id=profile_id)

    def child_of_concern_tracker(
        self, profile_id: str, *, as_of: date, calendar: WorkingCalendar | None = None
    ) -> tuple[TrackerEntry, ...]:
        """The children on the profile's child of concern tracker on ``as_of``.

        :func:`qaframework.engine.actions.tracker.child_of_concern_tracker` over the audits of every
        child the register has recorded a tracker escalation for by ``as_of`` (all their audits
        to that date, since a later audit can take a child off): the list reviewed weekly.
        Raises :class:`~qaframework.errors.UnknownProfile` for a profile not installed.
        """
        get_registry().info(profile_id)
        concerned = (
            select(audits.c.child_id)
            .join(escalations, escalations.c.audit_key == audits.c.key)
            .where(
                audits.c.profile_id == profile_id,
                escalations.c.consequence == _TRACKER,
                escalations.c.raised_on <= as_of,
            )
        )
        with self._reading() as connection:
            found = fetch_audits(
                connection,
                and_(
                    audits.c.profile_id == profile_id,
                    audits.c.child_id.in_(concerned),
                    audits.c.audit_date <= as_of,
                ),
            )
        audits_found = [audit for _, audit in found]
        resolve = profile_resolver(profile_id)
        raised = evaluate_escalations_bulk(audits_found, resolve, as_of=as_of)
        return child_of_concern_tracker(
            raised, audits_found, resolve, as_of=as_of, calendar=calendar
        )

    def moderation_queue(
        self, profile_id: str, period: Period, *, seed: int
    ) -> ModerationSelection:
        """The audits of ``period`` selected for moderation and not yet moderated.

        :func:`qaframework.engine.moderation.select_for_moderation` over the register's audits of
        the period, under the profile version in force over the whole period: computed,
        not stored, so an audit leaves the queue once its moderation is recorded. The same
        ``seed`` gives the same queue, so a service fixes one per profile.
        """
        profile = load_profile(profile_id, as_of=period.start)
        if profile.effective_to is not None and profile.effective_to < period.end:
            raise RegisterError(
                f"the period {period} spans two versions of profile {profile_id!r} (version "
                f"{profile.version} ends on {profile.effective_to}); ask for a period within one"
            )
        # The selection reads each audit's own fields and whether it has been moderated,
        # never its judgements or actions: those are not read.
        where = and_(
            audits.c.profile_id == profile_id,
            audits.c.audit_date.between(period.start, period.end),
        )
        with self._reading() as connection:
            found = fetch_audits(connection, where, whole=False)
        return select_for_moderation(profile, (audit for _, audit in found), period, seed=seed)

    def status(self) -> RegisterStatus:
        """Where the register is, its schema revision, its row counts and its imports."""
        with self._reading() as connection:
            revision = migrate.current_revision(connection)
            counts = {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in metadata.sorted_tables
            }
            records = tuple(
                _record(row)
                for row in connection.execute(select(*imports.columns).order_by(imports.c.id))
            )
        return RegisterStatus(
            self.location, self.backend, revision, migrate.head_revision(), counts, records
        )
