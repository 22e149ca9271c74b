"""Loading a log of completed QA activities: who or what each concerned, and when.

Each row is an :class:`ActivityLogEntry`: the activity (an activity id of the profile), the
subject it concerns (a supervisee, a child, the Team Manager who audited: whoever the quota
is owed per), the day, and optionally a role id and a case event (``permanence_plan``,
say), which makes the row an event of the subject rather than a completed activity. The
obligations engine (:mod:`qaframework.engine.obligations`) reads these entries.

Columns come from an :class:`~qaframework.io.mapping.ActivityLogMapping` (by default
"Activity", "Subject ID", "Date", "Role", "Event"); ``[values.activity]``,
``[values.role]`` and ``[values.event]`` translate the log's wording (matched ignoring case
and spacing), and text without a translation is kept as written. Cells are read by the
rules of :mod:`qaframework.io.values`. JSON and JSON Lines with no mapping are read in the
native form (``qaframework.to_dict(entry)``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.io._tabular import (
    Progress,
    RowRead,
    Totals,
    by_values,
    check_missing,
    collect,
    fit_for,
    native_reader,
    unmapped_columns,
)
from qaframework.io.display import load_html, load_repr
from qaframework.io.errors import ExportError, RejectedRows
from qaframework.io.mapping import (
    DEFAULT_ACTIVITY_LOG_MAPPING,
    ActivityLogMapping,
    Header,
    read_mapping,
)
from qaframework.io.rejections import Rejection, RowProblem
from qaframework.io.rows import detect_format, open_export
from qaframework.io.values import CellError, day, display, text
from qaframework.policy.grades import normalise_grade_text

__all__ = ["ActivityLogEntry", "ActivityLogLoad", "load_activity_log"]

_REQUIRED = ("activity", "subject", "on")


@attrs.frozen
class ActivityLogEntry:
    """One completed QA activity (or, with ``event``, a case event) for one subject.

    ``activity`` is an activity id of the profile; ``subject`` the pseudonymous id of whom
    it concerns; ``on`` the day; ``role`` a role id; ``event`` a case event's name.
    """

    activity: str
    subject: str
    on: date
    role: str | None = None
    event: str | None = None


@attrs.frozen(repr=False)
class ActivityLogLoad:
    """What loading an activity log found: entries accepted and rows rejected, in file
    order (``rows_read == len(accepted) + len(rejected)``), as for audits. When several
    worksheets were read, ``accepted_sheets`` gives each entry's, in step with
    ``accepted``; ``warnings`` say what the load could not do as asked."""

    file: str
    format: str
    rows_read: int
    accepted: tuple[ActivityLogEntry, ...]
    rejected: tuple[Rejection, ...]
    blank_rows: int = 0
    columns: tuple[str, ...] = ()
    unmapped_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()
    lines_read: int | None = None
    sheets: tuple[str, ...] = ()
    accepted_sheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every row read was accepted."""
        return not self.rejected

    def __repr__(self) -> str:
        return load_repr("ActivityLogLoad", self, len(self.accepted), "entries", None)

    def _repr_html_(self) -> str:
        return load_html(
            "Activity log", self, len(self.accepted), "entries", self.unmapped_columns, None
        )


def load_activity_log(
    source: str | os.PathLike[str],
    *,
    mapping: ActivityLogMapping | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    strict: bool = False,
    format: str | None = None,
    sheet: str | Sequence[str] | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    pause_gc: bool = True,
    max_bytes: int | None = None,
) -> ActivityLogLoad:
    """Load an activity log; arguments as for :func:`qaframework.io.audits.load_audits`.

    A log may list the same activity for the same subject on the same day more than once
    (two observations in a day), so repeated rows are kept, not reported as duplicates.
    """
    file = os.fspath(source)
    chosen = format if format is not None else detect_format(file)
    native = mapping is None and chosen in ("json", "jsonl")
    spec = read_mapping(
        ActivityLogMapping, mapping if mapping is not None else DEFAULT_ACTIVITY_LOG_MAPPING
    )
    required = [spec.columns[n] for n in _REQUIRED if n in spec.columns and n not in spec.fixed]
    export = open_export(
        file,
        fit=fit_for(file, required),
        format=chosen,
        sheet=sheet if sheet is not None else spec.sheet,
        encoding=encoding if encoding is not None else spec.encoding,
        delimiter=spec.delimiter,
        max_bytes=max_bytes,
    )
    warnings = list(export.notes)
    columns_left: tuple[str, ...] = ()
    missing: list[str] = []
    with paused_gc(pause_gc):
        if native:
            (rows,) = export.parts
            read = native_reader(ActivityLogEntry, None)
            found = collect(rows, read, key_column=None, key_name="entry", progress=progress)
        else:
            headers = [Header(file, part.columns) for part in export.parts]
            readers = [_LogReader(spec, header) for header in headers]
            for reader in readers:
                missing.extend(c for c in reader.missing if c not in missing)
            if mapping is not None:
                absent = [(c, f) for f, c in spec.columns.items() if c in missing]
                warnings.extend(check_missing(file, spec.source, absent, strict=strict))
            found = collect(
                [
                    (part, by_values(r.read), None)
                    for part, r in zip(export.parts, readers, strict=True)
                ],
                key_name="entry",
                progress=progress,
            )
            columns_left = unmapped_columns(zip(export.parts, headers, strict=True))
    totals = Totals.of(export.parts)
    load = ActivityLogLoad(
        file,
        chosen,
        found.rows_read,
        tuple(found.accepted),
        tuple(found.rejected),
        totals.blank_rows,
        totals.columns,
        columns_left,
        tuple(missing),
        totals.lines,
        totals.sheets,
        found.sheets,
        tuple(warnings),
    )
    if strict and load.rejected:
        raise RejectedRows(file, load.rows_read, load.rejected)
    return load


def _translator(table: Mapping[str, str]) -> Callable[[Any], str | None]:
    """Reads a text cell, replacing the log's wording by the mapping's where it has one."""
    words = {normalise_grade_text(k): v for k, v in table.items()}

    def convert(value: Any) -> str | None:
        found = text(value)
        if found is None:
            return None
        return words.get(normalise_grade_text(found), found)

    return convert


class _LogReader:
    def __init__(self, spec: ActivityLogMapping, header: Header) -> None:
        self.sources: dict[str, tuple[str | None, str | None]] = {}
        self.missing: list[str] = []
        absent: list[str] = []
        for name in ("activity", "subject", "on", "role", "event"):
            fixed = spec.fixed.get(name)
            if fixed is not None:
                self.sources[name] = (None, fixed)
                continue
            wanted = spec.columns.get(name)
            if wanted is None:
                continue
            column = header.find(wanted)
            if column is None:
                (absent if name in _REQUIRED else self.missing).append(wanted)
            else:
                self.sources[name] = (column, None)
        if absent:
            raise ExportError(
                header.file,
                f"has no column {', '.join(repr(c) for c in absent)} named in {spec.source}; "
                f"its columns are {', '.join(repr(c) for c in header.columns)}",
            )
        self.converters: dict[str, Callable[[Any], Any]] = {
            name: day if name == "on" else _translator(spec.values.get(name, {}))
            for name in self.sources
        }

    def read(self, values: Mapping[str, Any]) -> RowRead[ActivityLogEntry]:
        problems: list[RowProblem] = []
        found: dict[str, Any] = {}
        for name, (column, fixed) in self.sources.items():
            raw = values.get(column) if column is not None else fixed
            label = column if column is not None else f"[fixed] {name}"
            try:
                found[name] = self.converters[name](raw)
            except CellError as exc:
                problems.append(RowProblem(label, display(raw), str(exc)))
                continue
            if found[name] is None and name in _REQUIRED:
                problems.append(RowProblem(label, None, "required, but empty"))
        if problems:
            return None, None, problems
        return None, ActivityLogEntry(**found), []
