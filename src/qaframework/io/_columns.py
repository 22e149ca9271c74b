"""The columnar fast path for CSV audit exports: whole columns checked at once with polars.

:func:`open_csv_columns` parses a CSV export with polars, and only when the file is one
the strict row reader (:mod:`qaframework.io.rows`) would read cell for cell the same way:
UTF-8 (a byte order mark allowed), no line ending that is a lone carriage return, no quote
out of place (polars refuses those files, as the strict reader rejects their rows), no row
wider than the header, no cell longer than the CSV field limit, and the header on the first
line. Any other file gives None, and the loader reads it row by row.

:meth:`ColumnExport.collect` then sorts the rows as :func:`qaframework.io._tabular.collect`
does with :class:`~qaframework.io._audit_rows.RowReader`: the columns are stripped, and
each distinct date, grade, role, activity and flag is converted once (under the profile
version in force on the row's date) and the results are joined back to the rows. A row is
built here only when every cell it reads is one this path vouches for: no character the
row reader treats apart (control characters, whitespace other than spaces, tabs and line
breaks, non-characters), every conversion valid, no action columns filled, an audit id no
other row shares, and an audit that passes :meth:`AuditCheck.passes
<qaframework.engine.audits.AuditCheck.passes>`. Every other row is handed to the row
reader itself, so rejections (file, row, column, value, reason) are the row path's own.

Loaded audits share their strings: each distinct text (team, worker, grade, note) is one
object, and identical judgements are one :class:`~qaframework.engine.audits.Judgement`.
"""

from __future__ import annotations

import codecs
import csv
import functools
import itertools
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.engine.audits import (
    Audit,
    Judgement,
    ModerationRecord,
    moderation_outcome,
)
from qaframework.io._audit_rows import RowReader, _outcome
from qaframework.io._export import ExportRows, name_columns, read_bytes
from qaframework.io._tabular import Collected, Progress, duplicate_problem
from qaframework.io.errors import ExportError
from qaframework.io.rejections import Rejection, RowProblem, RowWarning
from qaframework.io.values import CellError, day, flag, is_empty, text
from qaframework.io.versions import ProfileVersions, VersionReader

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "ENGINES",
    "ENGINE_VARIABLE",
    "ColumnExport",
    "choose_engine",
    "open_csv_columns",
    "polars_available",
]

ENGINES = ("auto", "columns", "rows")
"""How a tabular export may be read: ``columns`` (the columnar fast path, with polars),
``rows`` (row by row), ``auto`` (columns when polars is installed)."""

ENGINE_VARIABLE = "QAFRAMEWORK_ENGINE"
"""The environment variable giving the engine when a load names none."""

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
# Bytes that are no part of a suspect character: all but the ASCII control characters and
# the first bytes of the UTF-8 encodings of U+0085 to U+FFFF's suspects.
_HARMLESS = bytes(
    b
    for b in range(256)
    if not ((b < 32 and b not in (9, 10, 13)) or b in (0xC2, 0xE1, 0xE2, 0xE3, 0xEF))
)


def polars_available() -> bool:
    """Whether polars can be imported (the ``polars`` extra is installed)."""
    try:
        import polars  # noqa: F401
    except ImportError:
        return False
    return True


_forked_after_polars = False


def _after_fork() -> None:
    """In a process forked while polars was loaded, polars' thread pool is a copy whose
    locks may be held by threads that do not exist here: a polars call can wait forever.
    Such a process reads by rows."""
    global _forked_after_polars
    if "polars" in sys.modules:
        _forked_after_polars = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def choose_engine(engine: str | None, file: str) -> str:
    """``columns`` or ``rows``: the engine asked for (``engine``, else the environment's
    :data:`ENGINE_VARIABLE`, else ``auto``), ``auto`` being ``columns`` when polars is
    installed. :class:`~qaframework.io.errors.ExportError` for an engine not in
    :data:`ENGINES`, and for ``columns`` without polars. A process forked after polars
    was loaded reads by rows whatever is asked, since polars can hang in it."""
    asked = engine if engine is not None else os.environ.get(ENGINE_VARIABLE, "")
    chosen = asked.strip().casefold() or "auto"
    if chosen not in ENGINES:
        where = "engine" if engine is not None else ENGINE_VARIABLE
        raise ExportError(
            file, f"cannot be read: {where}: unknown engine {asked!r} ({', '.join(ENGINES)})"
        )
    if chosen == "rows" or _forked_after_polars:
        return "rows"
    if polars_available():
        return "columns"
    if chosen == "columns":
        raise ExportError(
            file,
            "cannot be read with the columns engine: it needs polars (pip install "
            "'qaframework[polars]'), or choose the rows engine",
        )
    return "rows"


def open_csv_columns(
    file: str, encoding: str | None, delimiter: str, max_bytes: int | None
) -> ColumnExport | None:
    """The CSV export parsed by columns, or None when the row reader must read it (see the
    module's rules). Raises :class:`~qaframework.io.errors.ExportError` as the row reader
    would for a file that cannot be read at all (too large, not a regular file)."""
    if encoding is not None:
        try:
            if codecs.lookup(encoding).name != "utf-8":
                return None
        except LookupError:
            return None
    if len(delimiter) != 1 or delimiter in '"\r\n' or ord(delimiter) > 127:
        return None
    raw = read_bytes(file, max_bytes)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if raw.find(b"\r") >= 0 and raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    lines = raw.count(b"\n") + (1 if raw and not raw.endswith(b"\n") else 0)
    if _quoting_in_doubt(raw, delimiter):
        return None
    # No byte that could begin a suspect character anywhere: no cell needs looking at.
    clean = not raw.translate(None, _HARMLESS)
    import polars as pl

    try:
        frame = pl.read_csv(
            raw,
            has_header=False,
            infer_schema_length=0,  # every column read as text (polars 1.0 has no infer_schema)
            separator=delimiter,
            quote_char='"',
            encoding="utf8",
            truncate_ragged_lines=False,
            comment_prefix=None,
            raise_if_empty=True,
        )
    # polars reports a malformed file through several exception types; each sends the
    # file to the row reader, which says what is wrong.
    except Exception:
        return None
    del raw
    if frame.height == 0:
        return None
    if frame.height != lines:
        # A record over several lines: a quoted line break, a blank line, or a stray quote
        # that some polars versions (1.0) read on across the lines after it instead of
        # refusing. The row reader says which, and never lets a quote swallow a row.
        return None
    limit = csv.field_size_limit()
    # A cell's characters are at most its bytes: count characters only where bytes exceed.
    longest = frame.select(pl.all().str.len_bytes().max()).row(0)
    wide = [c for c, n in zip(frame.columns, longest, strict=True) if n is not None and n >= limit]
    if wide and any(
        n is not None and n >= limit
        for n in frame.select(pl.col(wide).str.len_chars().max()).row(0)
    ):
        return None
    header = frame.row(0)
    if all(is_empty(c) for c in header):
        return None
    columns, unnamed = name_columns(["" if c is None else c for c in header], file, 1)
    frame = frame.slice(1)
    frame.columns = columns
    part = ExportRows(file, "csv", columns, _no_rows, unnamed=unnamed)
    part.lines = lines
    for name in unnamed:
        if any(not is_empty(v) for v in frame.get_column(name).unique().to_list()):
            part.unnamed_with_data.add(name)
    return ColumnExport(file, part, frame, clean)


def _no_rows(export: ExportRows) -> Any:
    raise RuntimeError("a columnar export's rows are read by columns")


class ColumnExport:
    """A CSV export parsed by columns (see :func:`open_csv_columns`); ``part`` describes it
    as the row reader would (columns, blank rows, lines)."""

    def __init__(self, file: str, part: ExportRows, frame: pl.DataFrame, clean: bool):
        self.file = file
        self.part = part
        self._frame = frame
        self._clean = clean

    def collect(
        self, reader: RowReader, versions: ProfileVersions, progress: Progress | None = None
    ) -> Collected:
        """Every row, accepted or rejected, as the row reader would sort them."""
        return _Collector(self, reader, versions).run(progress)


class _Collector:
    """One columnar load: the frame, the reader whose rules it follows, what it found."""

    def __init__(self, export: ColumnExport, reader: RowReader, versions: ProfileVersions):
        self.export = export
        self.reader = reader
        self.versions = versions
        self.frame = export._frame
        self.file = export.file
        self.pool: dict[Any, Any] = {}

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

    def run(self, progress: Progress | None) -> Collected:
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
        stripped = frame.select([pl.col(c).str.strip_chars(_STRIP) for c in mapped])
        stripped = stripped.select(
            [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in mapped]
        )
        blank = self._blank(stripped, mapped)
        if not vouched or not mapped:
            return self._sorted([], [], (~blank).arg_true().to_list(), progress)
        for name, value in fixed.items():
            stripped = stripped.with_columns(pl.lit(value, dtype=pl.String).alias(_fixed(name)))
        self.cells = stripped
        if self.export._clean:
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
        slow_at = route.arg_true().to_list()
        fast_at = keep.arg_true().to_list()
        fast_audits, fast_versions = self._build(keep)
        # Each audit must pass its version's screen; one that does not is the row reader's.
        if len({id(v) for v in fast_versions}) == 1:
            passed = list(map(fast_versions[0].check.passes, fast_audits))
        else:
            passed = [v.check.passes(a) for v, a in zip(fast_versions, fast_audits, strict=True)]
        if self.versions.may_warn:
            # An audit the profile flags is the row reader's, which says at which column.
            passed = [
                ok and not v.check.warns(a)
                for ok, v, a in zip(passed, fast_versions, fast_audits, strict=True)
            ]
        if not all(passed):
            failed = [fast_at[i] for i, ok in enumerate(passed) if not ok]
            slow_at = sorted([*slow_at, *failed])
            fast_at = list(itertools.compress(fast_at, passed))
            fast_audits = list(itertools.compress(fast_audits, passed))
        return self._sorted(fast_at, fast_audits, slow_at, progress)

    def _blank(self, stripped: pl.DataFrame, mapped: list[str]) -> pl.Series:
        """Which rows are blank as the row reader sees them (every cell empty or Python's
        whitespace), counted in the part's ``blank_rows``. Only rows whose mapped cells
        all strip to nothing (or hold a suspect character, such as a no-break space) are
        looked at cell by cell."""
        import polars as pl

        frame = self.frame
        if not mapped:
            maybe = pl.repeat(True, frame.height, eager=True)
        elif self.export._clean:
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
        self.export.part.blank_rows = int(blank.sum())
        return blank

    # -- which rows this path cannot vouch for ----------------------------------------

    def _source(self, name: str) -> str | None:
        source = self.reader.fields.get(name)
        if source is None:
            return None
        return source.column if source.column is not None else _fixed(name)

    def _uniques(self, column: str) -> list[Any]:
        return self.cells.get_column(column).drop_nulls().unique().to_list()

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
        # Dates, and the version in force on each.
        date_column = self._source("audit_date")
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
        moderation = reader.moderation
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

    def _text(self, column: str | None, rows: pl.DataFrame, size: int) -> list[Any]:
        if column is None:
            return [None] * size
        values = rows.get_column(column).to_list()
        pool = self.pool
        return list(map(pool.setdefault, values, values))

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

    def _build(self, keep: pl.Series) -> tuple[list[Audit], list[VersionReader]]:
        reader = self.reader
        rows = self.cells.filter(keep)
        size = rows.height
        if size == 0:
            return [], []
        versions_at: list[int] = rows.get_column("\x00version").to_list()
        readers = self.versions.versions
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
        # Judgements: one object for each distinct (grade, notes) of a standard.
        per_standard: list[list[Judgement | None]] = []
        for standard, columns, _ in reader.judgements:
            grades = self._mapped_values(columns["grade"], rows, size, versions_at)
            parts = {
                part: self._text(column, rows, size)
                for part, column in columns.items()
                if part != "grade"
            }
            names = list(parts)
            keys = list(zip(grades, *parts.values(), strict=True))
            made: dict[tuple[Any, ...], Judgement | None] = dict.fromkeys(keys)
            for key in made:
                if key[0] is not None:
                    made[key] = Judgement(
                        standard, key[0], **dict(zip(names, key[1:], strict=True))
                    )
            per_standard.append(list(map(made.__getitem__, keys)))
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
        return audits, [readers[v] for v in versions_at]

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
        picked = rows[at, :]
        n = len(at)
        sub_versions = [versions_at[i] for i in at]
        moderators = self._text(moderation["moderator"], picked, n)
        roles = self._mapped_values(moderation["role"], picked, n, sub_versions)
        grades = self._mapped_values(moderation["grade"], picked, n, sub_versions)
        dates = list(
            map(self.moderation_dates.__getitem__, picked.get_column(moderation["date"]).to_list())
        )
        rationales = self._text(moderation.get("rationale"), picked, n)
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

    def _sorted(
        self,
        fast_at: list[int],
        fast_audits: list[Audit],
        slow_at: list[int],
        progress: Progress | None,
    ) -> Collected:
        reader = self.reader
        file = self.file
        column = reader.id_column
        # Row i of the frame is the export's row i + 2 (the header is row 1).
        first: dict[str, int] = {}
        warned: list[RowWarning] = []
        fast_ids = [a.id for a in fast_audits]
        if slow_at:
            frame = self.frame
            columns = frame.columns
            raw = frame[slow_at, :].rows()
            slow: dict[int, tuple[str | None, Audit | None, list[RowProblem]]] = {}
            values_at: dict[int, dict[str, Any]] = {}
            for index, cells in zip(slow_at, raw, strict=True):
                values_at[index] = dict(zip(columns, cells, strict=True))
                slow[index] = reader.read(values_at[index])
            # Which row first had each key: fast rows' ids are distinct among themselves.
            first = dict(zip(fast_ids, fast_at, strict=True))
            for index in slow_at:
                key = slow[index][0]
                if key is not None and first.setdefault(key, index) > index:
                    first[key] = index
            # A fast row whose id an earlier slow row had is a duplicate after all.
            late = [i for i, a in zip(fast_at, fast_audits, strict=True) if first[a.id] != i]
            if late:
                for index in late:
                    values_at[index] = dict(zip(columns, frame.row(index), strict=True))
                    slow[index] = reader.read(values_at[index])
                gone = set(late)
                kept = [(i, a) for i, a in zip(fast_at, fast_audits, strict=True) if i not in gone]
                fast_at = [i for i, _ in kept]
                fast_audits = [a for _, a in kept]
            accepted: list[Any] = []
            rejected: list[Rejection] = []
            fast = dict(zip(fast_at, fast_audits, strict=True))
            for index in sorted([*fast_at, *slow]):
                audit = fast.get(index)
                if audit is not None:
                    accepted.append(audit)
                    continue
                key, record, problems = slow[index]
                duplicate = None
                if key is not None and first[key] != index:
                    duplicate = first[key] + 2
                    problems.append(duplicate_problem(column, key, "audit id", duplicate))
                if problems or record is None:
                    rejected.append(Rejection(file, index + 2, tuple(problems), duplicate))
                else:
                    accepted.append(record)
                    if self.versions.may_warn:
                        flagged = reader.warnings(record, values_at[index])
                        if flagged:
                            warned.append(RowWarning(file, index + 2, tuple(flagged)))
        else:
            accepted, rejected = fast_audits, []
        rows_read = len(accepted) + len(rejected)
        if progress is not None:
            progress(rows_read, rows_read)
        return Collected(accepted, rejected, rows_read, (), warned)


def _fixed(name: str) -> str:
    return f"\x00fixed:{name}"


def _try(convert: Callable[[Any], Any], value: Any) -> Any:
    try:
        return convert(value)
    except CellError as exc:
        return exc


def _quoting_in_doubt(raw: bytes, delimiter: str) -> bool:
    """Whether a file's quotes might be read differently by polars and by the row reader: a
    line with an odd number of quotes (a quoted cell over several lines, or one never closed),
    or a quote inside a cell rather than at its edge (``ab"c``, text after a closing quote).
    polars' leniency there has changed between versions; the row reader's rule is the one
    the library states, so such a file is read by rows.

    Both checks run over the whole buffer at C speed: the quotes and line breaks alone, with
    each pair of quotes on a line removed, leave a quote only where a line's count is odd;
    and the pattern for a quote inside a cell begins with the quote itself, so the search
    stops only at quotes."""
    if b'"' not in raw:
        return False
    if b'"' in raw.translate(None, _NOT_QUOTE_OR_LINE).replace(b'""', b""):
        return True
    return _inside_pattern(delimiter).search(raw) is not None


# Every byte but the quote and the line feed: deleted to leave a file's quotes by line.
_NOT_QUOTE_OR_LINE = bytes(b for b in range(256) if b not in b'"\n')


@functools.cache
def _inside_pattern(delimiter: str) -> re.Pattern[bytes]:
    """A quote with neither a line end, a quote nor ``delimiter`` on either side."""
    edge = rb'[^\r\n"' + re.escape(delimiter.encode()) + rb"]"
    return re.compile(rb'"(?<=' + edge + rb'")(?=' + edge + rb")")
