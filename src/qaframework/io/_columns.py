"""The columnar fast path for CSV audit exports: whole columns checked at once with polars.

:func:`open_csv_columns` parses a CSV export with polars, and only when the file is one
the strict row reader (:mod:`qaframework.io.rows`) would read cell for cell the same way:
UTF-8 (a byte order mark allowed), no line ending that is a lone carriage return, no quote
out of place (polars refuses those files, as the strict reader rejects their rows), no row
wider than the header, no cell longer than the CSV field limit, and the header on the first
line. Any other file gives None, and the loader reads it row by row.

:meth:`ColumnExport.collect` then sorts the rows (in :mod:`qaframework.io._column_collect`)
as :func:`qaframework.io._tabular.collect` does with
:class:`~qaframework.io._audit_rows.RowReader`: the columns are stripped, and each
distinct date, grade, role, activity and flag is converted once (under the profile version
in force on the row's date) and the results are joined back to the rows. A row is built
here only when every cell it reads is one this path vouches for: no character the
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
import os
import re
import stat
import sys
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

from qaframework.io._audit_rows import RowReader
from qaframework.io._column_collect import _Collector
from qaframework.io._column_frames import FrameCollector
from qaframework.io._export import (
    ExportRows,
    asked_choice,
    line_slices,
    name_columns,
    read_bytes,
)
from qaframework.io._tabular import Collected, Progress
from qaframework.io.errors import ExportError
from qaframework.io.values import is_empty
from qaframework.io.versions import ProfileVersions
from qaframework.profiles.files import export_limit

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    import polars as pl

__all__ = [
    "ENGINES",
    "ENGINE_VARIABLE",
    "SMALL_EXPORT_BYTES",
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


def choose_engine(engine: str | None, file: str, *, small_by_rows: bool = True) -> str:
    """``columns`` or ``rows``: the engine asked for (``engine``, else the environment's
    :data:`ENGINE_VARIABLE`, else ``auto``), ``auto`` being ``columns`` when polars is
    installed and the file is :data:`SMALL_EXPORT_BYTES` or larger (any size without
    ``small_by_rows``: for a load that imports polars anyway).
    :class:`~qaframework.io.errors.ExportError` for an engine not in :data:`ENGINES`, and
    for ``columns`` without polars. A process forked after polars was loaded reads by rows
    whatever is asked, since polars can hang in it."""
    chosen = asked_choice(
        engine, ENGINE_VARIABLE, ENGINES, argument="engine", what="engine", file=file
    )
    if chosen == "rows" or _forked_after_polars:
        return "rows"
    if chosen == "auto" and small_by_rows and _small(file):
        # Importing polars costs more than the row engine spends on a small file.
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


SMALL_EXPORT_BYTES = 16 * 1024 * 1024
"""Under this size ``auto`` reads a CSV export by rows: the row engine reads 10,000 audits
(12 MB) faster than polars is imported and the columnar engine reads them."""


def _small(file: str) -> bool:
    try:
        return os.stat(file).st_size < SMALL_EXPORT_BYTES
    except (OSError, ValueError):
        return False  # the loader says what is wrong with the name


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
    slices = line_slices(file, limit, _SLICE_BYTES)
    opened = None
    try:
        opened = _open_first(file, delimiter, slices)
    finally:
        if opened is None:
            slices.close()
    return opened


def _open_first(
    file: str, delimiter: str, slices: Generator[bytes, bytes | None, None]
) -> ColumnExport | None:
    """The export opened with its first slice parsed, or None (see :func:`open_csv_columns`)."""
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
    frame = frame.slice(1)
    frame.columns = columns
    part = ExportRows(file, "csv", columns, _no_rows, unnamed=unnamed)
    part.lines = lines
    end = first.find(b"\n")
    head = first if end < 0 else first[: end + 1]
    return ColumnExport(file, part, frame, clean, _Rest(slices, head, delimiter, columns))


def _parse(data: bytes, delimiter: str) -> tuple[pl.DataFrame, bool, int]:
    """A slice of the file parsed by polars (every cell text, the first row the header's),
    whether no byte of it can begin a suspect character, and its lines;
    :class:`ColumnsDeclined` when the row reader must read the file."""
    clean, lines = _screens(data, delimiter)
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


def _screens(data: bytes, delimiter: str) -> tuple[bool, int]:
    """Whether no byte of a slice can begin a suspect character, and its lines;
    :class:`ColumnsDeclined` for a carriage return that does not end a line or quotes in
    doubt (see :func:`_quoting_in_doubt`)."""
    # One pass keeps the bytes the screens look at (quotes, line feeds, carriage returns,
    # the first bytes of suspect characters): few, so counting and checking them costs
    # next to nothing.
    kept = data.translate(None, _UNSCREENED)
    returns = kept.count(b"\r")
    if returns and _lone_return(data, returns):
        raise ColumnsDeclined
    quotes = kept.translate(None, _NOT_QUOTE_OR_LINE)
    # No byte that could begin a suspect character anywhere: no cell needs looking at.
    clean = len(quotes) + returns == len(kept)
    lines = quotes.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    if _quotes_in_doubt(quotes, data, delimiter):
        raise ColumnsDeclined
    return clean, lines


def _lone_return(data: bytes, returns: int) -> bool:
    """Whether a carriage return of ``data``, which holds ``returns`` of them, is not
    followed by a line feed. Where lines are long, as an export's of many columns are
    (fewer carriage returns than one in :data:`_BYTES_A_RETURN`), each is found by
    ``bytes.find`` and the byte after it read: about a third of the time of the regular
    expression, which steps through every byte. Where they are short, a step of Python
    for each costs more than the regular expression."""
    if returns * _BYTES_A_RETURN > len(data):
        return _LONE_CR.search(data) is not None
    return _lone_return_found(data)


def _lone_return_found(data: bytes) -> bool:
    """:func:`_lone_return` by finding each carriage return in turn."""
    find = data.find
    last = len(data) - 1
    at = find(b"\r")
    while at >= 0:
        if at == last or data[at + 1] != 10:
            return True
        at = find(b"\r", at + 2)
    return False


_BYTES_A_RETURN = 512
"""How many bytes of a slice a carriage return must have to itself, on average, for
:func:`_lone_return` to find them one by one (a 32 MiB slice of 30-byte lines takes 0.75 s
that way, against 0.05 s by the regular expression; of 1,200-byte lines 7 ms against
22 ms)."""


class _Rest:
    """The slices of a CSV export after the first: each parsed with the header line before
    it, so that polars reads it as it would the whole file.

    The next slice is read and parsed on a worker thread while the one before is collected:
    reading the file and polars' parse let go of the interpreter's lock, so the two overlap
    on a machine with more than one core. One slice is read ahead at most, and the worker is
    joined when the slices end or the export is closed."""

    def __init__(
        self,
        slices: Generator[bytes, bytes | None, None],
        head: bytes,
        delimiter: str,
        columns: list[str],
    ):
        self.slices = slices
        self.head = head
        self.delimiter = delimiter
        self.columns = columns
        self._pool: ThreadPoolExecutor | None = None
        # The header line is sent to the slices once: every slice after the first then
        # begins with it, in the one copy the slice is made with.
        self._headed = False

    def __iter__(self) -> Iterator[tuple[pl.DataFrame, bool, int]]:
        """Each slice's frame (header row dropped, columns named), whether it is clean, and
        its lines."""
        from concurrent.futures import ThreadPoolExecutor

        pool = self._pool = ThreadPoolExecutor(1, thread_name_prefix="qaframework-columns")
        try:
            pending = self._ahead(pool)
            while (found := self._next() if pending is None else pending.result()) is not None:
                pending = self._ahead(pool)
                yield found
        finally:
            self._join()

    def _ahead(
        self, pool: ThreadPoolExecutor
    ) -> Future[tuple[pl.DataFrame, bool, int] | None] | None:
        """The next slice given to the worker, or None when no thread can take it (one
        cannot be started, or the interpreter is shutting down): it is then read in turn."""
        try:
            return pool.submit(self._next)
        except RuntimeError:
            return None

    def _next(self) -> tuple[pl.DataFrame, bool, int] | None:
        """The next slice parsed (on the worker), or None after the last."""
        try:
            if self._headed:
                data = next(self.slices)
            else:
                self._headed = True
                data = self.slices.send(self.head)
        except StopIteration:
            return None
        frame, clean, lines = _parse(data, self.delimiter)
        if frame.width != len(self.columns):
            raise ColumnsDeclined
        frame = frame.slice(1)
        frame.columns = self.columns
        return frame, clean, lines - 1

    def _join(self) -> None:
        """Wait for the worker's slice, if one is being read, and end the worker."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self._join()
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
        self,
        reader: RowReader,
        versions: ProfileVersions,
        progress: Progress | None = None,
        *,
        frames: bool = False,
    ) -> Collected:
        """Every row, accepted or rejected, as the row reader would sort them, a slice of the
        file at a time; with ``frames`` the accepted rows as frames
        (:class:`~qaframework.io._column_frames.FramesCollected`), not audits.
        :class:`ColumnsDeclined` when a slice is one the row reader must read."""
        frame = self._frame
        if frame is None:
            raise RuntimeError("a columnar export is collected once")
        self._frame = None
        kind = FrameCollector if frames else _Collector
        collector = kind(self.file, self.part, reader, versions)
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
# Every byte no screen looks at: deleted to leave the quotes, line feeds, carriage returns
# and suspect bytes.
_UNSCREENED = bytes(b for b in _HARMLESS if b not in b'"\n\r')
# A carriage return that does not end a line.
_LONE_CR = re.compile(rb"\r(?!\n)")


@functools.cache
def _inside_pattern(delimiter: str) -> re.Pattern[bytes]:
    """A quote with neither a line end, a quote nor ``delimiter`` on either side."""
    edge = rb'[^\r\n"' + re.escape(delimiter.encode()) + rb"]"
    return re.compile(rb'"(?<=' + edge + rb'")(?=' + edge + rb")")
