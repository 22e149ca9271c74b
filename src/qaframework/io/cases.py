"""Loading a case list (an Annex A extract, say) into :class:`~qaframework.policy.sampling.Case`\\
s.

The columns a mapping names (:class:`~qaframework.io.mapping.CaseMapping`; by default
"Child Unique ID", "Allocated Team", "Allocated Worker", "Service Area") fill the case's
fields; every other column is kept, by its header name, in
:attr:`Case.fields <qaframework.policy.sampling.Case.fields>` (empty cells left out), so sampling
can stratify over any of them. Cells are read by the rules of :mod:`qaframework.io.values`.
A second row for a child id already seen is rejected, naming the first. JSON and JSON
Lines with no mapping are read in the native form (``qaframework.to_dict(case)``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
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
from qaframework.io.mapping import DEFAULT_CASE_MAPPING, CaseMapping, Header, read_mapping
from qaframework.io.rejections import Rejection, RowProblem
from qaframework.io.rows import detect_format, open_export
from qaframework.io.values import CellError, display, field_text, identifier, text
from qaframework.policy.sampling import Case

__all__ = ["SHEET_FIELD", "CaseLoad", "load_cases"]

SHEET_FIELD = "(sheet)"
"""The field of a case holding its worksheet, when a list was read from several."""


@attrs.frozen(repr=False)
class CaseLoad:
    """What loading a case list found.

    ``rows_read`` counts the rows that were not blank; each is in ``accepted`` or
    ``rejected``, in file order. ``field_columns`` are the columns kept in each case's
    ``fields``; ``missing_columns`` the optional mapped columns the list lacks. ``sheets``
    are the worksheets read; when there are several, each case keeps its own in its fields
    as ``(sheet)``, so that a sample can be drawn by list. ``warnings`` say what the load
    could not do as asked: mapped columns the list lacks, worksheets not read.
    """

    file: str
    format: str
    rows_read: int
    accepted: tuple[Case, ...]
    rejected: tuple[Rejection, ...]
    blank_rows: int = 0
    columns: tuple[str, ...] = ()
    field_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()
    lines_read: int | None = None
    sheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def duplicates(self) -> tuple[Rejection, ...]:
        """The rows rejected for repeating a child id seen on an earlier row."""
        return tuple(r for r in self.rejected if r.duplicate_of is not None)

    @property
    def ok(self) -> bool:
        """Whether every row read was accepted."""
        return not self.rejected

    def __repr__(self) -> str:
        return load_repr("CaseLoad", self, len(self.accepted), "cases", None)

    def _repr_html_(self) -> str:
        return load_html("Case list", self, len(self.accepted), "cases", (), len(self.duplicates))


def load_cases(
    source: str | os.PathLike[str],
    *,
    mapping: CaseMapping | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    strict: bool = False,
    format: str | None = None,
    sheet: str | Sequence[str] | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    pause_gc: bool = True,
    max_bytes: int | None = None,
) -> CaseLoad:
    """Load a case list; arguments as for :func:`qaframework.io.audits.load_audits`.

    Without a mapping a CSV or XLSX list is read with
    :data:`~qaframework.io.mapping.DEFAULT_CASE_MAPPING`, a JSON or JSON Lines one in the
    native form. ``strict`` raises :class:`~qaframework.io.errors.RejectedRows` when any row
    is rejected.
    """
    file = os.fspath(source)
    chosen = format if format is not None else detect_format(file)
    native = mapping is None and chosen in ("json", "jsonl")
    spec = read_mapping(CaseMapping, mapping if mapping is not None else DEFAULT_CASE_MAPPING)
    export = open_export(
        file,
        fit=fit_for(file, [spec.columns["child_id"]]),
        format=chosen,
        sheet=sheet if sheet is not None else spec.sheet,
        encoding=encoding if encoding is not None else spec.encoding,
        delimiter=spec.delimiter,
        max_bytes=max_bytes,
    )
    warnings = list(export.notes)
    kept: list[str] = []
    missing: list[str] = []
    with paused_gc(pause_gc):
        if native:
            (rows,) = export.parts
            found = collect(
                rows,
                native_reader(Case, "child_id"),
                key_column="child_id",
                key_name="child id",
                progress=progress,
            )
        else:
            headers = [Header(file, part.columns) for part in export.parts]
            readers = [_CaseReader(spec, header) for header in headers]
            for reader in readers:
                missing.extend(c for c in reader.missing if c not in missing)
            if mapping is not None:
                absent = [(c, f) for f, c in spec.columns.items() if c in missing]
                warnings.extend(check_missing(file, spec.source, absent, strict=strict))
            found = collect(
                [
                    (part, by_values(reader.read), reader.columns["child_id"])
                    for part, reader in zip(export.parts, readers, strict=True)
                ],
                key_name="child id",
                progress=progress,
            )
            # The columns no mapping reads, kept as the cases' fields.
            kept = list(unmapped_columns(zip(export.parts, headers, strict=True)))
    accepted = found.accepted
    if found.sheets:
        kept.append(SHEET_FIELD)
        accepted = [
            attrs.evolve(case, fields={**case.fields, SHEET_FIELD: sheet})
            for case, sheet in zip(accepted, found.sheets, strict=True)
        ]
    totals = Totals.of(export.parts)
    load = CaseLoad(
        file,
        chosen,
        found.rows_read,
        tuple(accepted),
        tuple(found.rejected),
        totals.blank_rows,
        totals.columns,
        tuple(kept),
        tuple(missing),
        totals.lines,
        totals.sheets,
        tuple(warnings),
    )
    if strict and load.rejected:
        raise RejectedRows(file, load.rows_read, load.rejected)
    return load


class _CaseReader:
    def __init__(self, spec: CaseMapping, header: Header) -> None:
        self.columns: dict[str, str | None] = {}
        self.missing: list[str] = []
        for name, wanted in spec.columns.items():
            column = header.find(wanted)
            if column is None:
                if name == "child_id":
                    raise ExportError(
                        header.file,
                        f"has no column {wanted!r} (child_id) named in {spec.source}; its "
                        f"columns are {', '.join(repr(c) for c in header.columns)}",
                    )
                self.missing.append(wanted)
            self.columns[name] = column
        self.kept = tuple(c for c in header.columns if c not in header.used)

    def read(self, values: Mapping[str, Any]) -> RowRead[Case]:
        problems: list[RowProblem] = []
        found: dict[str, str | None] = {}
        for name, column in self.columns.items():
            if column is None:
                found[name] = None
                continue
            try:
                found[name] = (identifier if name == "child_id" else text)(values.get(column))
            except CellError as exc:
                problems.append(RowProblem(column, display(values.get(column)), str(exc)))
                found[name] = None
        child_id = found.pop("child_id")
        if child_id is None and not problems:
            column = self.columns["child_id"]
            problems.append(RowProblem(column, None, "required, but empty"))
        fields: dict[str, str] = {}
        for column in self.kept:
            try:
                value = field_text(values.get(column))
            except CellError as exc:
                problems.append(RowProblem(column, display(values.get(column)), str(exc)))
                continue
            if value is not None:
                fields[column] = value
        if problems or child_id is None:
            return child_id, None, problems
        return child_id, Case(child_id, fields=fields, **found), []
