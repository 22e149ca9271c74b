"""The columnar fast path's collector: a CSV export's rows sorted a slice at a time.

:class:`_Collector` is what :meth:`qaframework.io._columns.ColumnExport.collect` runs on each
slice polars has parsed: the columns are stripped, and each distinct date, grade, role,
activity and flag is converted once (under the profile version in force on the row's date)
and the results joined back to the rows. A row is built here only when every cell it reads
is one this path vouches for (see :mod:`qaframework.io._columns`); every other row is handed
to the row reader itself, so rejections are the row path's own. Duplicate audit ids are
found across slices, in file order.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from qaframework.engine.audits import (
    Audit,
    AuditCheck,
    ModerationRecord,
    moderation_outcome,
)
from qaframework.io import _fast_rows
from qaframework.io._audit_rows import RowReader, _outcome
from qaframework.io._column_judgements import (
    Judged,
    JudgementTables,
    _shared,
    shape_passes,
    shapes_of,
)
from qaframework.io._export import RawRow
from qaframework.io._tabular import Collected, Progress, duplicate_problem
from qaframework.io.rejections import Rejection, RowWarning
from qaframework.io.values import CellError, day, flag, is_empty, text
from qaframework.io.versions import ProfileVersions, VersionReader

if TYPE_CHECKING:
    import polars as pl

    from qaframework.io._export import ExportRows

# Whitespace Python's ``str.strip`` removes besides the four polars is told to strip, and the
# characters no document may hold (see :func:`qaframework.io.values.forbidden_character`):
# a cell holding any of them is read by the row reader. tests/test_io_columns.py checks the
# two classes against Python's own definitions.
_SUSPECT = (
    r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}"
    r"\x{202F}\x{205F}\x{3000}\x{FFFE}\x{FFFF}]"
)
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_STRIP = " \t\n\r"
_ACTIVITY = attrgetter("activity")
_ROLE = attrgetter("auditor_role")
_OVERALL = attrgetter("overall_grade")
_MODERATIONS = attrgetter("moderations")


class _Collector:
    """One columnar load: the frame, the reader whose rules it follows, what it found."""

    def __init__(self, file: str, part: ExportRows, reader: RowReader, versions: ProfileVersions):
        self.part = part
        self.reader = reader
        self.versions = versions
        self.file = file
        # What is shared across the file, each table holding at most ``limit`` entries
        # (the row path's cache limit): names, teams and other short texts; free-text
        # notes; each standard's judgements by their key, while they repeat (see
        # :mod:`qaframework.io._column_judgements`). Past the limit a new text or judgement
        # is made for its row alone: an export whose every note differs costs no table of
        # them all.
        self.limit = _fast_rows.CACHE_LIMIT
        self.pool: dict[Any, Any] = {}
        self.notes: dict[Any, Any] = {}
        self.tables = JudgementTables(self.limit, self.notes)
        # Across slices: the rows so far, and the first row (index from 0) of each key.
        self.offset = 0
        self.first: dict[str, int] = {}
        self.accepted: list[Any] = []
        self.rejected: list[Rejection] = []
        self.warned: list[RowWarning] = []
        self.part.blank_rows = 0
        # A slice's distinct cells by column, found together (see _distinct_cells).
        self.distinct: dict[str, list[Any]] = {}

    def add(self, frame: pl.DataFrame, clean: bool) -> None:
        """Sort one slice's rows (the file's rows after :attr:`offset`)."""
        self.frame = frame
        self.clean = clean
        part = self.part
        for name in part.unnamed:
            if name not in part.unnamed_with_data and any(
                not is_empty(v) for v in frame.get_column(name).unique().to_list()
            ):
                part.unnamed_with_data.add(name)
        self._run()
        self.offset += frame.height
        del self.frame, self.cells
        self.distinct = {}

    def done(self, progress: Progress | None) -> Collected:
        """Every row of the file, sorted."""
        rows_read = len(self.accepted) + len(self.rejected)
        if progress is not None:
            progress(rows_read, rows_read)
        return Collected(self.accepted, self.rejected, rows_read, (), self.warned)

    # -- the columns ------------------------------------------------------------------

    def _mapped(self) -> list[str]:
        reader = self.reader
        names: list[str] = []
        for source in reader.fields.values():
            if source is not None and source.column is not None:
                names.append(source.column)
        for _, columns, _ in reader.judgements:
            names.extend(columns.values())
        names.extend(s.column for _, s in reader.concerns if s.column is not None)
        names.extend(s.column for _, s in reader.feedback if s.column is not None)
        names.extend(reader.moderation.values())
        for _, columns in reader.actions:
            names.extend(columns.values())
        names.extend(self._answer_columns())
        return list(dict.fromkeys(names))

    def _answer_columns(self) -> list[str]:
        """The columns of checklist answers and grades on other scales (read by rows)."""
        reader = self.reader
        return [
            source.column
            for _, source in (*reader.checklist, *reader.ratings)
            if source.column is not None
        ]

    def _run(self) -> None:
        import polars as pl

        reader = self.reader
        frame = self.frame
        mapped = self._mapped()
        fixed: dict[str, str | None] = {}
        vouched = True
        for name, source in reader.fields.items():
            if source is not None and source.column is None:
                assert source.fixed is not None
                found = _try(text, source.fixed)
                if (
                    isinstance(found, CellError)
                    or pl.Series([source.fixed]).str.contains(_SUSPECT).any()
                ):
                    # A fixed value this path cannot vouch for: every row is the reader's.
                    vouched = False
                    break
                fixed[name] = found
        # The stripped cells (empty as null) of every column read, and whether the row has
        # a cell the row reader must see (suspect) or is blank.
        stripped = frame.select([_stripped(c, self.clean) for c in mapped])
        self.cells = stripped
        blank = self._blank(stripped, mapped)
        if not vouched or not mapped:
            self._merge([], [], (~blank).arg_true().to_list(), ())
            return
        for name, value in fixed.items():
            stripped = stripped.with_columns(pl.lit(value, dtype=pl.String).alias(_fixed(name)))
        self.cells = stripped
        if self.clean:
            suspect = pl.repeat(False, frame.height, eager=True)
        else:
            suspect = frame.select(
                pl.any_horizontal([pl.col(c).str.contains(_SUSPECT) for c in mapped])
                .fill_null(False)
                .alias("suspect")
            ).to_series()
        bad = self._bad()
        route = (bad | suspect) & ~blank
        keep = ~route & ~blank
        self._sort(keep, route.arg_true().to_list())

    def _sort(self, keep: pl.Series, slow_at: list[int]) -> None:
        """Build the audits of the rows kept (``keep``), screen them, and add the slice's
        rows in file order, those at ``slow_at`` read by the row reader."""
        fast_at = keep.arg_true().to_list()
        fast_audits, versions_at = self._build(keep)
        # Each audit must pass its version's screen, and raise no warning (an audit the
        # profile flags is the row reader's, which says at which column): one that does
        # not is the row reader's.
        passed = self._screen(fast_audits, versions_at)
        if not all(passed):
            failed = [fast_at[i] for i, ok in enumerate(passed) if not ok]
            slow_at = sorted([*slow_at, *failed])
            fast_at = list(itertools.compress(fast_at, passed))
            fast_audits = list(itertools.compress(fast_audits, passed))
        self._merge(fast_at, [a.id for a in fast_audits], slow_at, fast_audits)

    def _blank(self, stripped: pl.DataFrame, mapped: list[str]) -> pl.Series:
        """Which rows are blank as the row reader sees them (every cell empty or Python's
        whitespace), counted in the part's ``blank_rows``. Only rows whose mapped cells
        all strip to nothing (or hold a suspect character, such as a no-break space) are
        looked at cell by cell."""
        import polars as pl

        frame = self.frame
        if not mapped:
            maybe = pl.repeat(True, frame.height, eager=True)
        elif self.clean:
            maybe = stripped.select(pl.all_horizontal(pl.col(mapped).is_null())).to_series()
        else:
            maybe = pl.select(
                pl.all_horizontal(
                    [
                        stripped.get_column(c).is_null()
                        | frame.get_column(c).str.contains(_SUSPECT)
                        for c in mapped
                    ]
                )
            ).to_series()
        at = maybe.fill_null(True).arg_true()
        blank = pl.repeat(False, frame.height, eager=True)
        if len(at):
            exact = (
                frame[at.to_list(), :]
                .select(
                    pl.all_horizontal(
                        [
                            pl.col(c).is_null() | (pl.col(c).str.strip_chars(_SPACES) == "")
                            for c in frame.columns
                        ]
                    )
                )
                .to_series()
            )
            blank = blank.scatter(at, exact)
        self.part.blank_rows += int(blank.sum())
        return blank

    # -- which rows this path cannot vouch for ----------------------------------------

    def _source(self, name: str) -> str | None:
        source = self.reader.fields.get(name)
        if source is None:
            return None
        return source.column if source.column is not None else _fixed(name)

    def _uniques(self, column: str) -> list[Any]:
        """The column's distinct filled cells (in no set order): those
        :meth:`_distinct_cells` found, or found now."""
        found = self.distinct.get(column)
        if found is None:
            found = self.cells.get_column(column).drop_nulls().unique().to_list()
        return found

    def _distinct_cells(self, columns: Iterable[str | None]) -> None:
        """Find the distinct filled cells of each of ``columns`` (None skipped) in one polars
        query for them all, for :meth:`_uniques`: one query a column cost about as much
        again in fixed cost as the finding itself."""
        import polars as pl

        wanted = [c for c in dict.fromkeys(columns) if c is not None and c not in self.distinct]
        if not wanted:
            return
        found = self.cells.select([pl.col(c).drop_nulls().unique().implode() for c in wanted])
        self.distinct.update(zip(wanted, found.row(0), strict=True))

    def _bad(self) -> pl.Series:
        import polars as pl

        reader = self.reader
        cells = self.cells
        problems: list[Any] = []

        def required(name: str) -> None:
            column = self._source(name)
            if column is None:
                problems.append(pl.lit(True))
            else:
                problems.append(pl.col(column).is_null())

        for name in ("id", "child_id", "audit_date", "activity", "auditor", "auditor_role"):
            required(name)
        for name in ("id", "child_id"):
            column = self._source(name)
            if column is not None:
                problems.append(pl.col(column).str.len_chars() > 200)
        # The distinct cells of every column read through a table below, found together:
        # the versioned columns' only if the slice has one version (see _versioned), which
        # the dates tell.
        date_column = self._source("audit_date")
        moderation = reader.moderation
        self._distinct_cells(
            [
                date_column,
                *(source.column for _, source in (*reader.concerns, *reader.feedback)),
                *(moderation.get(part) for part in ("date", "outcome") if moderation),
            ]
        )
        # Dates, and the version in force on each.
        self.dates: dict[str, date] = {}
        self.version_of: dict[str, int] = {}
        versions = self.versions.versions
        if date_column is not None:
            for value in self._uniques(date_column):
                found = _try(day, value)
                if isinstance(found, date):
                    self.dates[value] = found
                    version = self.versions.on(found)
                    if version is not None:
                        self.version_of[value] = versions.index(version)
            ver = (
                pl.col(date_column)
                .replace_strict(
                    list(self.version_of),
                    list(self.version_of.values()),
                    default=None,
                    return_dtype=pl.Int32,
                )
                .alias("\x00version")
            )
            cells = cells.with_columns(ver)
            problems.append(pl.col("\x00version").is_null())
        else:
            cells = cells.with_columns(pl.lit(None, dtype=pl.Int32).alias("\x00version"))
        self.cells = cells
        self.present = sorted(set(self.version_of.values()))
        if len(self.present) == 1:
            self._distinct_cells(
                [
                    self._source("activity"),
                    self._source("auditor_role"),
                    self._source("overall_grade"),
                    *(columns["grade"] for _, columns, _ in reader.judgements),
                    *(moderation.get(part) for part in ("role", "grade") if moderation),
                ]
            )
        # Version-dependent wording: activity, roles, grades.
        self.converted: dict[str, list[dict[str | None, str | None]]] = {}
        activity = self._source("activity")
        if activity is not None:
            problems.append(self._versioned(activity, VersionReader.activity))
        role = self._source("auditor_role")
        if role is not None:
            problems.append(self._versioned(role, VersionReader.role))
        overall = self._source("overall_grade")
        if overall is not None:
            problems.append(self._versioned(overall, VersionReader.grade))
        # An activity that grades practice needs the overall grade.
        if activity is not None:
            graded = pl.lit(False)
            for v in self.present:
                version = versions[v]
                texts = [
                    t
                    for t, a in self.converted[activity][v].items()
                    if a is not None and version.graded_name(a) is not None
                ]
                graded = graded | ((pl.col("\x00version") == v) & pl.col(activity).is_in(texts))
            missing = pl.lit(True) if overall is None else pl.col(overall).is_null()
            problems.append(graded & missing)
        # Other text (cycle, worker, team, area, auditor, notes) is read as stripped: with no
        # suspect character, nothing else can be wrong with it.
        for _, columns, _ in reader.judgements:
            grade = columns["grade"]
            problems.append(self._versioned(grade, VersionReader.grade))
            others = [c for p, c in columns.items() if p != "grade"]
            if others:
                filled = pl.any_horizontal([pl.col(c).is_not_null() for c in others])
                problems.append(pl.col(grade).is_null() & filled)
        self.flags: dict[str, dict[str, bool]] = {}
        for _, source in (*reader.concerns, *reader.feedback):
            column = source.column
            assert column is not None
            table = {}
            for value in self._uniques(column):
                found = _try(flag, value)
                if isinstance(found, bool):
                    table[value] = found
            self.flags[column] = table
            problems.append(pl.col(column).is_not_null() & ~pl.col(column).is_in(list(table)))
        if moderation:
            self.moderation_present = pl.any_horizontal(
                [pl.col(c).is_not_null() for c in moderation.values()]
            )
            checks = [pl.col(moderation[p]).is_null() for p in ("moderator", "role", "grade")]
            checks.append(pl.col(moderation["date"]).is_null())
            checks.append(self._versioned(moderation["role"], VersionReader.role))
            checks.append(self._versioned(moderation["grade"], VersionReader.grade))
            self.moderation_dates = {}
            for value in self._uniques(moderation["date"]):
                found = _try(day, value)
                if isinstance(found, date):
                    self.moderation_dates[value] = found
            column = moderation["date"]
            checks.append(
                pl.col(column).is_not_null() & ~pl.col(column).is_in(list(self.moderation_dates))
            )
            self.outcomes = {}
            if "outcome" in moderation:
                column = moderation["outcome"]
                for value in self._uniques(column):
                    found = _try(_outcome, value)
                    if not isinstance(found, CellError):
                        self.outcomes[value] = found
                checks.append(
                    pl.col(column).is_not_null() & ~pl.col(column).is_in(list(self.outcomes))
                )
            problems.append(self.moderation_present & pl.any_horizontal(checks))
        # Actions, checklist answers and other scales' grades are read by the row reader.
        action_columns = [c for _, columns in reader.actions for c in columns.values()]
        action_columns.extend(self._answer_columns())
        if action_columns:
            problems.append(pl.any_horizontal([pl.col(c).is_not_null() for c in action_columns]))
        # An audit id another row shares: the row reader says which came first.
        ids = self._source("id")
        if ids is not None:
            problems.append(pl.col(ids).is_duplicated() & pl.col(ids).is_not_null())
        return self.cells.select(
            pl.any_horizontal(problems).fill_null(True).alias("bad")
        ).to_series()

    def _versioned(self, column: str, read: Callable[[VersionReader, str], str]) -> pl.Expr:
        """Whether each cell of ``column`` fails to read under its row's version (``read``),
        keeping each version's readings in :attr:`converted`."""
        import polars as pl

        versions = self.versions.versions
        tables: list[dict[str | None, str | None]] = [{None: None} for _ in versions]
        good = pl.col(column).is_null()
        pairs: Iterable[tuple[int, str]]
        if len(self.present) == 1:
            # One version in the slice (as usual): the column's distinct cells alone, read
            # under it, in about a quarter of the time of distinct (version, cell) pairs. A
            # cell only in rows of no version adds a reading no row of the version asks for.
            pairs = zip(itertools.repeat(self.present[0]), self._uniques(column))
        else:
            pairs = self.cells.select("\x00version", column).drop_nulls().unique().rows()
        for v, value in pairs:
            found = _try(functools.partial(read, versions[v]), value)
            if isinstance(found, str):
                tables[v][value] = found
        for v in self.present:
            valid = [t for t in tables[v] if t is not None]
            good = good | ((pl.col("\x00version") == v) & pl.col(column).is_in(valid))
        self.converted[column] = tables
        return ~good

    # -- the audits this path builds ----------------------------------------------------

    def _text(
        self, column: str | None, rows: pl.DataFrame, size: int, *, note: bool = False
    ) -> list[Any]:
        """The column's cells, equal texts one object (free text shared in :attr:`notes`
        when ``note``, other text in :attr:`pool`)."""
        if column is None:
            return [None] * size
        return _shared(
            self.notes if note else self.pool, rows.get_column(column).to_list(), self.limit
        )

    def _mapped_values(
        self, column: str | None, rows: pl.DataFrame, size: int, versions: list[int]
    ) -> list[Any]:
        if column is None:
            return [None] * size
        values = rows.get_column(column).to_list()
        tables = self.converted[column]
        if len(self.present) == 1:
            return list(map(tables[self.present[0]].__getitem__, values))
        return [tables[v][t] for v, t in zip(versions, values, strict=True)]

    def _build(self, keep: pl.Series, *, bare: bool = False) -> tuple[list[Audit], list[int]]:
        """The audits of the rows kept (``bare``: without their judgements), with the index
        of each one's version; each standard's distinct judgements and every row's code
        among them are kept in :attr:`judged` for :meth:`_screen`."""
        reader = self.reader
        rows = self.cells.filter(keep)
        size = rows.height
        self.judged: list[Judged] = []
        if size == 0:
            return [], []
        versions_at: list[int] = rows.get_column("\x00version").to_list()
        source = self._source
        ids = rows.get_column(source("id") or "").to_list()
        child_ids = rows.get_column(source("child_id") or "").to_list()
        dates = list(
            map(self.dates.__getitem__, rows.get_column(source("audit_date") or "").to_list())
        )
        activities = self._mapped_values(source("activity"), rows, size, versions_at)
        auditors = self._text(source("auditor"), rows, size)
        roles = self._mapped_values(source("auditor_role"), rows, size, versions_at)
        overall = self._mapped_values(source("overall_grade"), rows, size, versions_at)
        optional = [
            self._text(source(name), rows, size)
            for name in ("cycle", "practitioner", "team", "service_area")
        ]
        # Judgements: shared while they repeat, else made a row at a time (see
        # :mod:`qaframework.io._column_judgements`).
        self.judged = self.tables.build(
            rows,
            [] if bare else reader.judgements,
            self.converted,
            lambda column: self._mapped_values(column, rows, size, versions_at),
        )
        per_standard = [
            made if coded is None else list(map(made.__getitem__, coded.to_list()))
            for _, made, coded, _ in self.judged
        ]
        if per_standard:
            judgements = list(
                map(tuple, map(functools.partial(filter, None), zip(*per_standard, strict=True)))
            )
        else:
            judgements = [()] * size
        concerns = self._flag_tuples(reader.concerns, rows, size)
        feedback = self._flag_tuples(reader.feedback, rows, size)
        moderations = self._moderations(rows, size, overall, versions_at)
        audits = list(
            map(
                Audit,
                ids,
                child_ids,
                activities,
                dates,
                auditors,
                roles,
                overall,
                *optional,
                judgements,
                concerns,
                feedback,
                moderations,
                itertools.repeat((), size),
                itertools.repeat((), size),
                itertools.repeat((), size),
            )
        )
        return audits, versions_at

    def _screen(self, audits: list[Audit], versions_at: list[int]) -> list[bool]:
        """Whether each audit built passes its version's check and raises no warning:
        ``check.passes(audit) and not check.warns(audit)`` (the latter where the profile may
        warn), decided once for each distinct audit without its judgements and once for
        each distinct judgement in its context, not audit by audit (see
        :meth:`~qaframework.engine.audits.AuditCheck.judgement_passes`)."""
        import polars as pl

        readers = self.versions.versions
        size = len(audits)
        if not size:
            return []
        standards = [judged[0] for judged in self.judged]
        if len(set(standards)) != len(standards):
            # A standard the mapping reads twice: checked audit by audit.
            return [
                self._checked(readers[v].check, a) for v, a in zip(versions_at, audits, strict=True)
            ]
        # The audit without its judgements: what its check reads (the version, activity,
        # auditor's role and grade, and of its one moderation at most the grade, role,
        # outcome and whether it is dated on or after the audit), checked for one audit of
        # each such key.
        activities = list(map(_ACTIVITY, audits))
        keys: list[tuple[Any, ...]] = list(
            zip(
                versions_at,
                activities,
                map(_ROLE, audits),
                map(_OVERALL, audits),
                strict=True,
            )
        )
        for i, moderations in enumerate(map(_MODERATIONS, audits)):
            if moderations:
                (record,) = moderations  # this path builds one moderation at most
                on_time = record.on >= audits[i].audit_date
                keys[i] = (*keys[i], record.grade, record.role, record.outcome, on_time)
        verdicts: dict[tuple[Any, ...], bool] = {}
        for key, i in dict(zip(keys, range(size), strict=True)).items():
            audit = audits[i]
            bare = attrs.evolve(audit, judgements=()) if audit.judgements else audit
            verdicts[key] = self._checked(readers[versions_at[i]].check, bare)
        passed = pl.Series(list(map(verdicts.__getitem__, keys)), dtype=pl.Boolean)
        # Each judgement in its context (the row's version and activity), by its shape:
        # the grade and which notes are written (no cell this path builds from is blank).
        contexts = list(zip(versions_at, activities, strict=True))
        by_id = list(dict.fromkeys(contexts))
        context_ids = {context: number for number, context in enumerate(by_id)}
        context_of = pl.Series(list(map(context_ids.__getitem__, contexts)), dtype=pl.UInt64)
        for judged in self.judged:
            standard = judged[0]
            shape_by_id, per_row = shapes_of(judged)
            if not any(shape_by_id):
                continue
            count = len(shape_by_id)
            pairs = context_of * count + per_row
            bad = []
            for pair in pairs.unique().to_list():
                shape = shape_by_id[pair % count]
                if shape is None:
                    continue  # no judgement of this standard
                version, activity = by_id[pair // count]
                if not shape_passes(readers[version].check, activity, standard, shape):
                    bad.append(pair)
            if bad:
                passed = passed & ~pairs.is_in(pl.Series(bad, dtype=pl.UInt64))
        return passed.to_list()

    def _checked(self, check: AuditCheck, audit: Audit) -> bool:
        """``check.passes(audit)``, and no warning for it (the warnings read the activity,
        the auditor's role and the moderations, which an audit without its judgements
        keeps)."""
        return check.passes(audit) and not (self.versions.may_warn and check.warns(audit))

    def _flag_tuples(
        self, found: Sequence[tuple[Any, Any]], rows: pl.DataFrame, size: int
    ) -> list[tuple[Any, ...]]:
        if not found:
            return [()] * size
        columns = []
        for _, source in found:
            table = self.flags[source.column]
            columns.append([table.get(v, False) for v in rows.get_column(source.column).to_list()])
        kinds = [kind for kind, _ in found]
        combos = {
            bits: tuple(k for k, b in zip(kinds, bits, strict=True) if b)
            for bits in itertools.product((False, True), repeat=len(kinds))
        }
        return list(map(combos.__getitem__, zip(*columns, strict=True)))

    def _moderations(
        self, rows: pl.DataFrame, size: int, overall: list[Any], versions_at: list[int]
    ) -> list[tuple[ModerationRecord, ...]]:
        moderation = self.reader.moderation
        empty: list[tuple[ModerationRecord, ...]] = [()] * size
        if not moderation:
            return empty
        present = rows.select(self.moderation_present.alias("m")).to_series()
        at = present.arg_true().to_list()
        if not at:
            return empty
        # The moderation's own cells only, not every column of the rows (notes among them).
        picked = rows.select(list(dict.fromkeys(moderation.values())))[at, :]
        n = len(at)
        sub_versions = [versions_at[i] for i in at]
        moderators = self._text(moderation["moderator"], picked, n)
        roles = self._mapped_values(moderation["role"], picked, n, sub_versions)
        grades = self._mapped_values(moderation["grade"], picked, n, sub_versions)
        dates = list(
            map(self.moderation_dates.__getitem__, picked.get_column(moderation["date"]).to_list())
        )
        rationales = self._text(moderation.get("rationale"), picked, n, note=True)
        if "outcome" in moderation:
            outcomes = [
                None if v is None else self.outcomes[v]
                for v in picked.get_column(moderation["outcome"]).to_list()
            ]
        else:
            outcomes = [None] * n
        readers = self.versions.versions
        for k, i in enumerate(at):
            outcome = outcomes[k]
            if outcome is None and overall[i] is not None:
                outcome = moderation_outcome(readers[versions_at[i]].profile, overall[i], grades[k])
            if outcome is None:
                continue
            empty[i] = (
                ModerationRecord(
                    moderators[k], roles[k], grades[k], outcome, dates[k], rationales[k]
                ),
            )
        return empty

    # -- every row, in file order ------------------------------------------------------

    def _merge(
        self,
        fast_at: list[int],
        fast_ids: list[str],
        slow_at: list[int],
        fast_records: Sequence[Any],
    ) -> None:
        """Add the slice's rows in file order to what is accepted (:meth:`_accept`) or
        rejected: the rows built here (``fast_at``, with their ids ``fast_ids``, distinct
        within the slice, and records ``fast_records``, in step) and those the row reader
        reads (``slow_at``)."""
        reader = self.reader
        first = self.first
        offset = self.offset
        if not slow_at and first.keys().isdisjoint(fast_ids):
            first.update(zip(fast_ids, [offset + i for i in fast_at], strict=True))
            self._accept_all(fast_at, fast_records)
            return
        file = self.file
        column = reader.id_column
        frame = self.frame
        columns = frame.columns
        place = {index: k for k, index in enumerate(fast_at)}
        read_at = dict(zip(slow_at, frame[slow_at, :].rows(), strict=True)) if slow_at else {}
        for index in sorted([*fast_at, *slow_at]):
            at = offset + index  # the export's row at + 2 (the header is row 1)
            k = place.get(index)
            if k is not None:
                if fast_ids[k] not in first:
                    first[fast_ids[k]] = at
                    self._accept(at, fast_records[k])
                    continue
                # An earlier row had its id: the row reader says so.
                read_at[index] = frame.row(index)
            values = dict(zip(columns, read_at[index], strict=True))
            key, record, problems = reader.read(values)
            duplicate = None
            if key is not None:
                earlier = first.setdefault(key, at)
                if earlier != at:
                    duplicate = earlier + 2
                    problems.append(duplicate_problem(column, key, "audit id", duplicate))
            if problems or record is None:
                self.rejected.append(Rejection(file, at + 2, tuple(problems), duplicate))
            else:
                self._accept(at, record)
                if self.versions.may_warn:
                    flagged = reader.warnings(record, RawRow(at + 2, values))
                    if flagged:
                        self.warned.append(RowWarning(file, at + 2, tuple(flagged)))

    def _accept_all(self, fast_at: list[int], records: Sequence[Any]) -> None:
        """Every row built here in the slice (``fast_at``, their ``records``) is accepted."""
        self.accepted.extend(records)

    def _accept(self, at: int, record: Any) -> None:
        """``record``, the file's row ``at`` (from 0), is accepted."""
        self.accepted.append(record)


def _stripped(column: str, clean: bool) -> pl.Expr:
    """``column``'s cells stripped of spaces, tabs and line breaks, an empty one null.

    In a ``clean`` slice (no byte that can begin a suspect character) the only white space
    is those four, so polars' own strip of all white space, about a tenth faster than a
    strip of the characters named, strips the same (tests/test_io_columns.py checks that
    every character polars' own strip takes, and the strip of the four does not, is
    suspect).
    """
    import polars as pl

    # ``replace`` rather than ``when``/``then``: the same column, in about two thirds of
    # the time (the stripped strings are not gathered again).
    stripped = pl.col(column).str.strip_chars(None if clean else _STRIP)
    return stripped.replace("", None).alias(column)


def _fixed(name: str) -> str:
    return f"\x00fixed:{name}"


def _try(convert: Callable[[Any], Any], value: Any) -> Any:
    try:
        return convert(value)
    except CellError as exc:
        return exc
