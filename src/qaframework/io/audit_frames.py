"""Loading a council's audit export as frames: :func:`load_audit_frames`.

The frames are those :meth:`AuditLoad.to_polars <qaframework.io.audits.AuditLoad.to_polars>`
gives, checked by the same rules; a CSV export read by the columnar path becomes frames
without an :class:`~qaframework.engine.audits.Audit` for each row it vouches for (see
:mod:`qaframework.io._column_frames`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.frames import RECORDS, Backend, Frames, FramesError, library
from qaframework.io._column_frames import FramesCollected
from qaframework.io._tabular import Collected, Progress
from qaframework.io.audits import (
    RECORD_KINDS,
    MappingSpec,
    _AuditLoadViews,
    _grades,
    _grades_on,
    _load_tabular,
    load_audits,
)
from qaframework.io.errors import RejectedRows
from qaframework.io.mapping import ActionsMapping
from qaframework.io.rejections import Rejection, RowWarning
from qaframework.io.rows import detect_format

__all__ = ["AuditFrameLoad", "load_audit_frames"]


@attrs.frozen(repr=False)
class AuditFrameLoad(_AuditLoadViews):
    """What loading an audit export as frames found (see :func:`load_audit_frames`).

    The fields are :class:`AuditLoad`'s, but ``accepted`` is the number of audits accepted
    and the audits themselves are in ``frames`` (:func:`~qaframework.io.frames.record_frames`:
    ``audits``, ``judgements``, ``moderations``, ``actions`` and ``rejections``, view
    ``"records"``: they name children), whose grade columns are ordered categories in the
    order of ``grades``. ``rows_read == accepted + len(rejected)``.
    """

    file: str
    profile_id: str
    format: str
    rows_read: int
    accepted: int
    rejected: tuple[Rejection, ...]
    frames: Frames
    blank_rows: int = 0
    columns: tuple[str, ...] = ()
    unmapped_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()
    lines_read: int | None = None
    recorded: frozenset[str] = RECORD_KINDS
    sheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    actions_file: str | None = None
    actions_rows_read: int = 0
    actions_rejected: tuple[Rejection, ...] = ()
    grades: tuple[str, ...] = ()
    flagged: tuple[RowWarning, ...] = ()

    @property
    def count(self) -> int:
        """How many audits were accepted (``accepted``)."""
        return self.accepted

    def __getitem__(self, name: str) -> Any:
        """The frame ``name`` (``load["audits"]``)."""
        return self.frames[name]


def load_audit_frames(
    source: str | os.PathLike[str],
    profile_id: str,
    *,
    backend: Backend = "polars",
    mapping: MappingSpec | None = None,
    strict: bool = False,
    format: str | None = None,
    sheet: str | Sequence[str] | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    max_bytes: int | None = None,
    actions: str | os.PathLike[str] | None = None,
    actions_mapping: ActionsMapping | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    engine: str | None = None,
) -> AuditFrameLoad:
    """Load an audit export as frames, checked as :func:`load_audits` checks it.

    The frames are those :meth:`AuditLoad.to_polars` (or ``to_pandas``, with ``backend``
    ``"pandas"``) gives for the same arguments, and the rejections, warnings and counts the
    same; the arguments are :func:`load_audits`'. A CSV export with polars installed (and
    no ``actions`` file, and ``engine`` not ``"rows"``) is read by the columnar path
    without making an :class:`~qaframework.engine.audits.Audit` for each row it vouches
    for: its rows' cells go into the frames as polars columns, and only rows the row
    reader reads become audits on the way. That is about 1.5 times as fast as
    ``load_audits(...).to_polars()``, though the frames hold each row's notes where audits
    share equal ones (see ``docs/performance.md``); any other export, or
    ``backend="pandas"``, is loaded by :func:`load_audits` and converted.
    :class:`~qaframework.engine.frames.MissingExtra` names the extra a backend needs.
    """
    library(backend)
    file = os.fspath(source)
    chosen = format if format is not None else detect_format(file)
    found: Collected | None = None
    if backend == "polars" and actions is None and chosen == "csv":
        load, found, versions = _load_tabular(
            file,
            profile_id,
            chosen,
            mapping,
            strict=strict,
            sheet=sheet,
            encoding=encoding,
            progress=progress,
            pause_gc=True,
            max_bytes=max_bytes,
            engine=engine,
            frames=True,
        )
        if strict and load.rejected:
            raise RejectedRows(file, load.rows_read, load.rejected)
    else:
        load = load_audits(
            file,
            profile_id,
            mapping=mapping,
            strict=strict,
            format=format,
            sheet=sheet,
            encoding=encoding,
            progress=progress,
            max_bytes=max_bytes,
            actions=actions,
            actions_mapping=actions_mapping,
            engine=engine,
        )
    from qaframework.io.frames import _rejections, record_frames

    if isinstance(found, FramesCollected):
        days = found.frames["audits"].get_column("audit_date").drop_nulls().unique().to_list()
        grades = _grades_on(versions, days)
        with paused_gc():
            frames = {name: _graded(name, frame, grades) for name, frame in found.frames.items()}
            frames["rejections"] = _rejections(load.rejected).build(backend)
        count = found.count
        made = Frames(RECORDS, frames)
    else:
        if found is not None:
            # The rows were read as audits (by rows, or declined by the columnar path).
            load = attrs.evolve(load, grades=_grades(versions, load.accepted))
        grades = load.grades
        made = record_frames(load.accepted, load.rejected, backend=backend, grades=grades or None)
        count = len(load.accepted)
    # Every field of the load but its audits, which are in the frames.
    facts = attrs.asdict(
        load, recurse=False, filter=lambda field, _: field.name not in _NOT_CARRIED
    )
    return AuditFrameLoad(**facts, accepted=count, frames=made, grades=grades)


# The fields of an AuditLoad an AuditFrameLoad has not, or has otherwise.
_NOT_CARRIED = frozenset({"accepted", "accepted_sheets", "grades"})


# The grade columns of each frame of records.
_GRADE_COLUMNS = {
    "audits": ("overall_grade", "moderated_grade", "final_grade"),
    "judgements": ("grade",),
    "moderations": ("grade",),
}


def _graded(name: str, frame: Any, grades: tuple[str, ...]) -> Any:
    """``frame`` with its grade columns as polars ``Enum`` in the order of ``grades``;
    :class:`FramesError` for a grade not among them (as ``record_frames`` says)."""
    import polars as pl

    columns = _GRADE_COLUMNS.get(name, ())
    for column in columns:
        unknown = set(frame.get_column(column).drop_nulls().unique().to_list()) - set(grades)
        if unknown:
            where = column if name == "audits" else f"a {name[:-1]}"
            raise FramesError(
                f"{where} holds grades that are not among the grades given "
                f"({', '.join(grades)}): {', '.join(sorted(unknown))}"
            )
    if not columns:
        return frame
    return frame.with_columns(pl.col(c).cast(pl.Enum(grades)) for c in columns)
