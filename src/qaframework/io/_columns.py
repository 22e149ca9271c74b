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

The file is parsed and converted a slice at a time (about :data:`_SLICE_BYTES`, cut at a
line end; each slice after the first parsed with the header line before it), so the frames
held at once are one slice's whatever the file's size. Duplicate audit ids are found
across slices; a slice that fails a rule above raises :class:`ColumnsDeclined`, and the
loader reads the whole file again by rows.

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
import stat
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
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
from qaframework.io.rejections import Rejection, RowWarning
from qaframework.io.values import CellError, day, flag, is_empty, text
from qaframework.io.versions import ProfileVersions, VersionReader
from qaframework.profiles.files import FileRefused, export_limit, regular_blocks

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "ENGINES",
    "ENGINE_VARIABLE",
    "ColumnExport",
    "ColumnsDeclined",
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


class ColumnsDeclined(Exception):
    """A slice of a CSV export the columnar path cannot vouch for: the whole file is the row
    reader's (the loader starts again by rows)."""


_SLICE_BYTES = 1 << 25
"""About how many bytes of a CSV export are parsed and converted at a time (cut at a line
end): the frames held at once are a slice's, not the whole file's."""


def open_csv_columns(
    file: str, encoding: str | None, delimiter: str, max_bytes: int | None
) -> ColumnExport | None:
    """The CSV export opened by columns, its first slice parsed, or None when the row reader
    must read it (see the module's rules). Raises
    :class:`~qaframework.io.errors.ExportError` as the row reader would for a file that
    cannot be read at all (too large, not a regular file). A later slice the columnar path
    cannot vouch for raises :class:`ColumnsDeclined` from :meth:`ColumnExport.collect`."""
    if encoding is not None:
        try:
            if codecs.lookup(encoding).name != "utf-8":
                return None
        except LookupError:
            return None
    if len(delimiter) != 1 or delimiter in '"\r\n' or ord(delimiter) > 127:
        return None
    limit = export_limit(max_bytes)
    try:
        status = os.stat(file)
    except OSError:
        status = None
    if (
        status is None
        or not stat.S_ISREG(status.st_mode)
        or (limit is not None and status.st_size > limit)
    ):
        read_bytes(file, max_bytes)  # raises the file's own error
        return None
    slices = _slices(file, limit)
    try:
        first = next(slices, b"")
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None
        try:
            frame, clean, lines = _parse(first, delimiter)
        except ColumnsDeclined:
            return None
        header = frame.row(0)
        if all(is_empty(c) for c in header):
            return None
        try:
            columns, unnamed = name_columns(["" if c is None else c for c in header], file, 1)
        except ExportError:
            # Say so only once the row reader agrees the file can be read at all.
            return None
    except BaseException:
        slices.close()
        raise
    frame = frame.slice(1)
    frame.columns = columns
    part = ExportRows(file, "csv", columns, _no_rows, unnamed=unnamed)
    part.lines = lines
    end = first.find(b"\n")
    head = first if end < 0 else first[: end + 1]
    return ColumnExport(file, part, frame, clean, _Rest(slices, head, delimiter, columns))


def _slices(file: str, limit: int | None) -> Generator[bytes, None, None]:
    """The file's bytes in slices of about :data:`_SLICE_BYTES`, each ending at a line feed
    (the last at the file's end)."""
    size = _SLICE_BYTES
    pending: list[bytes] = []
    held = 0
    try:
        for block in regular_blocks(file, limit):
            pending.append(block)
            held += len(block)
            if held < size:
                continue
            buffer = b"".join(pending)
            start = 0
            while len(buffer) - start > size:
                cut = buffer.rfind(b"\n", start, start + size)
                if cut < 0:
                    cut = buffer.find(b"\n", start + size)
                    if cut < 0:
                        break
                yield buffer[start : cut + 1]
                start = cut + 1
            rest = buffer[start:]
            pending = [rest] if rest else []
            held = len(rest)
    except FileRefused as exc:
        raise ExportError(file, str(exc)) from None
    if pending:
        yield b"".join(pending)


def _parse(data: bytes, delimiter: str) -> tuple[pl.DataFrame, bool, int]:
    """A slice of the file parsed by polars (every cell text, the first row the header's),
    whether no byte of it can begin a suspect character, and its lines;
    :class:`ColumnsDeclined` when the row reader must read the file."""
    if _LONE_CR.search(data) is not None:
        raise ColumnsDeclined
    # One pass keeps the bytes the screens look at (quotes, line feeds, the first bytes of
    # suspect characters): few, so counting and checking them costs next to nothing.
    kept = data.translate(None, _UNSCREENED)
    quotes = kept.translate(None, _NOT_QUOTE_OR_LINE)
    # No byte that could begin a suspect character anywhere: no cell needs looking at.
    clean = len(quotes) == len(kept)
    lines = quotes.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    if _quotes_in_doubt(quotes, data, delimiter):
        raise ColumnsDeclined
    import polars as pl

    try:
        frame = pl.read_csv(
            data,
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
        raise ColumnsDeclined from None
    if frame.height == 0 or frame.height != lines:
        # A record over several lines: a quoted line break, a blank line, or a stray quote
        # that some polars versions (1.0) read on across the lines after it instead of
        # refusing. The row reader says which, and never lets a quote swallow a row.
        raise ColumnsDeclined
    limit = csv.field_size_limit()
    # A cell's characters are at most its bytes: count characters only where bytes exceed.
    longest = frame.select(pl.all().str.len_bytes().max()).row(0)
    wide = [c for c, n in zip(frame.columns, longest, strict=True) if n is not None and n >= limit]
    if wide and any(
        n is not None and n >= limit
        for n in frame.select(pl.col(wide).str.len_chars().max()).row(0)
    ):
        raise ColumnsDeclined
    return frame, clean, lines


class _Rest:
    """The slices of a CSV export after the first: each parsed with the header line before
    it, so that polars reads it as it would the whole file."""

    def __init__(
        self, slices: Generator[bytes, None, None], head: bytes, delimiter: str, columns: list[str]
    ):
        self.slices = slices
        self.head = head
        self.delimiter = delimiter
        self.columns = columns

    def __iter__(self) -> Iterator[tuple[pl.DataFrame, bool, int]]:
        """Each slice's frame (header row dropped, columns named), whether it is clean, and
        its lines."""
        for data in self.slices:
            frame, clean, lines = _parse(self.head + data, self.delimiter)
            if frame.width != len(self.columns):
                raise ColumnsDeclined
            frame = frame.slice(1)
            frame.columns = self.columns
            yield frame, clean, lines - 1

    def close(self) -> None:
        self.slices.close()


def _no_rows(export: ExportRows) -> Any:
    raise RuntimeError("a columnar export's rows are read by columns")


class ColumnExport:
    """A CSV export opened by columns (see :func:`open_csv_columns`); ``part`` describes it
    as the row reader would (columns, blank rows, lines), complete once it is collected."""

    def __init__(self, file: str, part: ExportRows, frame: pl.DataFrame, clean: bool, rest: _Rest):
        self.file = file
        self.part = part
        self._frame: pl.DataFrame | None = frame
        self._clean = clean
        self._rest = rest

    def collect(
        self, reader: RowReader, versions: ProfileVersions, progress: Progress | None = None
    ) -> Collected:
        """Every row, accepted or rejected, as the row reader would sort them, a slice of the
        file at a time. :class:`ColumnsDeclined` when a slice is one the row reader must
        read."""
        frame = self._frame
        if frame is None:
            raise RuntimeError("a columnar export is collected once")
        self._frame = None
        collector = _Collector(self, reader, versions)
        try:
            collector.add(frame, self._clean)
            del frame
            for frame, clean, lines in self._rest:
                self.part.lines = (self.part.lines or 0) + lines
                collector.add(frame, clean)
        finally:
            self.close()
        return collector.done(progress)

    def close(self) -> None:
        """Stop reading the file (a load that goes on by rows)."""
        self._frame = None
        self._rest.close()


class _Collector:
    """One columnar load: the frame, the reader whose rules it follows, what it found."""

    def __init__(self, export: ColumnExport, reader: RowReader, versions: ProfileVersions):
        self.export = export
        self.reader = reader
        self.versions = versions
        self.file = export.file
        self.pool: dict[Any, Any] = {}
        # Each standard's judgements by their key (see :meth:`_build`).
        self.judgements: dict[str, dict[str, Judgement | None]] = {}
        # Across slices: the rows so far, and the first row (index from 0) of each key.
        self.offset = 0
        self.first: dict[str, int] = {}
        self.accepted: list[Any] = []
        self.rejected: list[Rejection] = []
        self.warned: list[RowWarning] = []
        self.export.part.blank_rows = 0

    def add(self, frame: pl.DataFrame, clean: bool) -> None:
        """Sort one slice's rows (the file's rows after :attr:`offset`)."""
        self.frame = frame
        self.clean = clean
        part = self.export.part
        for name in part.unnamed:
            if name not in part.unnamed_with_data and any(
                not is_empty(v) for v in frame.get_column(name).unique().to_list()
            ):
                part.unnamed_with_data.add(name)
        self._run()
        self.offset += frame.height
        del self.frame, self.cells

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
        stripped = frame.select([_stripped(c) for c in mapped])
        self.cells = stripped
        blank = self._blank(stripped, mapped)
        if not vouched or not mapped:
            self._merge([], [], (~blank).arg_true().to_list())
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
        self._merge(fast_at, fast_audits, slow_at)

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
        self.export.part.blank_rows += int(blank.sum())
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
        # Judgements: one object for each distinct (version, grade, notes) of a standard,
        # found by polars on one key a row (the cells joined by a character no cell read
        # here holds, an absent cell by another), and the rows given as codes.
        per_standard: list[list[Judgement | None]] = []
        judged = reader.judgements
        if judged:
            import polars as pl

            def cell(column: str) -> pl.Expr:
                return pl.col(column).cast(pl.String).fill_null(_ABSENT)

            orders = [["grade", *(p for p in columns if p != "grade")] for _, columns, _ in judged]
            keyed = rows.select(
                [
                    pl.concat_str(
                        [cell("\x00version"), *(cell(columns[p]) for p in order)],
                        separator=_JOIN,
                    ).alias(str(i))
                    for i, ((_, columns, _), order) in enumerate(zip(judged, orders, strict=True))
                ]
            )
        pool = self.pool
        for i, ((standard, columns, _), order) in enumerate(
            zip(judged, orders if judged else [], strict=True)
        ):
            tables = self.converted[columns["grade"]]
            keys = keyed.get_column(str(i))
            distinct = keys.unique(maintain_order=True).to_list()
            made: list[Judgement | None] = []
            # The judgements of earlier slices are used again.
            known = self.judgements.setdefault(standard, {})
            for key in distinct:
                judgement = known.get(key, _UNKNOWN)
                if judgement is _UNKNOWN:
                    version, grade, *notes = [None if p == _ABSENT else p for p in key.split(_JOIN)]
                    code = None if grade is None or version is None else tables[int(version)][grade]
                    judgement = known[key] = (
                        None
                        if code is None
                        else Judgement(
                            standard,
                            code,
                            **{
                                p: None if n is None else pool.setdefault(n, n)
                                for p, n in zip(order[1:], notes, strict=True)
                            },
                        )
                    )
                made.append(judgement)
            codes = keys.replace_strict(
                distinct, list(range(len(distinct))), return_dtype=pl.UInt32
            ).to_list()
            per_standard.append(list(map(made.__getitem__, codes)))
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

    def _merge(self, fast_at: list[int], fast_audits: list[Audit], slow_at: list[int]) -> None:
        """Add the slice's rows in file order: the audits built here (``fast_at``, their ids
        distinct within the slice) and the rows the row reader reads (``slow_at``)."""
        reader = self.reader
        first = self.first
        offset = self.offset
        fast_ids = [a.id for a in fast_audits]
        if not slow_at and first.keys().isdisjoint(fast_ids):
            first.update(zip(fast_ids, [offset + i for i in fast_at], strict=True))
            self.accepted.extend(fast_audits)
            return
        file = self.file
        column = reader.id_column
        frame = self.frame
        columns = frame.columns
        fast = dict(zip(fast_at, fast_audits, strict=True))
        read_at = dict(zip(slow_at, frame[slow_at, :].rows(), strict=True)) if slow_at else {}
        for index in sorted([*fast_at, *slow_at]):
            at = offset + index  # the export's row at + 2 (the header is row 1)
            audit = fast.get(index)
            if audit is not None:
                if audit.id not in first:
                    first[audit.id] = at
                    self.accepted.append(audit)
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
                self.accepted.append(record)
                if self.versions.may_warn:
                    flagged = reader.warnings(record, values)
                    if flagged:
                        self.warned.append(RowWarning(file, at + 2, tuple(flagged)))


# The character joining a row's cells into one key, and the one standing for an absent cell:
# control characters, which no cell the columnar path builds from can hold.
_JOIN = "\x00"
_ABSENT = "\x01"
_UNKNOWN: Any = object()


def _stripped(column: str) -> pl.Expr:
    """``column``'s cells stripped of spaces, tabs and line breaks, an empty one null."""
    import polars as pl

    cell = pl.col(column).str.strip_chars(_STRIP)
    return pl.when(cell.str.len_bytes() == 0).then(None).otherwise(cell).alias(column)


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
    return _quotes_in_doubt(raw.translate(None, _NOT_QUOTE_OR_LINE), raw, delimiter)


def _quotes_in_doubt(quotes: bytes, raw: bytes, delimiter: str) -> bool:
    """:func:`_quoting_in_doubt` given ``quotes``, the quotes and line feeds of ``raw``."""
    if b'"' not in quotes:
        return False
    if b'"' in quotes.replace(b'""', b""):
        return True
    return _inside_pattern(delimiter).search(raw) is not None


# Every byte but the quote and the line feed: deleted to leave a file's quotes by line.
_NOT_QUOTE_OR_LINE = bytes(b for b in range(256) if b not in b'"\n')
# Every byte no screen looks at: deleted to leave the quotes, line feeds and suspect bytes.
_UNSCREENED = bytes(b for b in _HARMLESS if b not in b'"\n')
# A carriage return that does not end a line.
_LONE_CR = re.compile(rb"\r(?!\n)")


@functools.cache
def _inside_pattern(delimiter: str) -> re.Pattern[bytes]:
    """A quote with neither a line end, a quote nor ``delimiter`` on either side."""
    edge = rb'[^\r\n"' + re.escape(delimiter.encode()) + rb"]"
    return re.compile(rb'"(?<=' + edge + rb'")(?=' + edge + rb")")
