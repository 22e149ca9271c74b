"""Data frames for notebooks: cycle reports, samples and audits as pandas or polars frames.

pandas and polars are optional extras (``pip install
'qaframework[pandas]'``, ``pip install 'qaframework[polars]'``), imported only when a frame is
asked for; without them :class:`MissingExtra` says which extra to install.

Every frame is tidy: one row per observation and one column per variable, in long form
(``period, standard, grade, count`` rather than a column per grade), so that it filters,
groups, pivots and plots without reshaping. pandas and polars get the same columns.

- :func:`report_frames` (``CycleReport.to_pandas()``, ``to_polars()``): each table of a
  cycle report as a frame. The **published view** by default: the counts a renderer
  publishes, small-number suppression applied (:mod:`qaframework.engine.suppression`). A
  suppressed count is a missing value with ``suppressed`` true, never the hidden number; a
  figure worked out from the tables (a share, a kappa, a change) is missing with
  ``withheld`` true where publishing it would reveal a suppressed count. With
  ``policy=SuppressionPolicy.off()`` the frames show the exact view, for internal working
  only. :attr:`Frames.view` says which view a set of frames shows. A published report on
  its own (``PublishedCycleReport.to_pandas()``, ``to_polars()``) gives the same frames,
  its ``withheld`` saying what the published view knows.
- :func:`audit_frames` (``AuditLoad.to_pandas()``, ``to_polars()``): audit records, one row
  per audit, per judgement, per moderation and per action, joined on ``audit_id``; for a
  load, also one row per problem of each rejected row. Records name children: they are
  working data, never for publication. :func:`qaframework.io.load_audit_frames` loads an
  export straight into these frames, without the audits.
- :func:`sample_frame` (``Sample.to_pandas()``, ``to_polars()``): one row per sampled case,
  with its stratum or holder.

Grades in report frames, and in a load's record frames, are ordered categories (a pandas
``Categorical``, a polars ``Enum``) in the scale's order, best first, so they sort and plot
in that order; counts are nullable
integers (pandas ``Int64``); dates are dates (pandas ``datetime64``, polars ``Date``). Frames
are built column by column from lists: a million audits cost a few passes over the records
and one conversion per column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from qaframework.engine.audits import Audit
from qaframework.engine.frames import Backend, Frames, FramesError, MissingExtra
from qaframework.engine.report.cycle import CycleReport, report_frames
from qaframework.engine.report.published import PublishedCycleReport
from qaframework.engine.sampling.sample import Sample, sample_frame
from qaframework.engine.suppression import SuppressionPolicy
from qaframework.io.audits import AuditLoad
from qaframework.io.frames import record_frames
from qaframework.policy.grades import GradeScale

__all__ = [
    "Backend",
    "Frames",
    "FramesError",
    "MissingExtra",
    "audit_frames",
    "report_frames",
    "sample_frame",
    "to_pandas",
    "to_polars",
]


def audit_frames(
    audits: AuditLoad | Iterable[Audit],
    *,
    backend: Backend = "pandas",
    grades: GradeScale | Sequence[str] | None = None,
) -> Frames:
    """Audit records as tidy frames (view ``"records"``: they name children): an
    :class:`~qaframework.io.AuditLoad`'s accepted audits and its rejections, or any audits.
    The frames are described at :func:`qaframework.io.frames.record_frames`. Grades are
    ordered categories in the order of ``grades`` (a scale, or codes best first); a load's
    own :attr:`~qaframework.io.AuditLoad.grades` when None, text for other audits."""
    if isinstance(audits, AuditLoad):
        chosen = grades if grades is not None else (audits.grades or None)
        return record_frames(audits.accepted, audits.rejected, backend=backend, grades=chosen)
    records = audits if isinstance(audits, list | tuple) else list(audits)
    return record_frames(records, backend=backend, grades=grades)


def _frames_of(value: object, backend: Backend, policy: SuppressionPolicy | None) -> Any:
    if isinstance(value, CycleReport):
        return report_frames(value, backend=backend, policy=policy)
    if policy is not None:
        raise FramesError("a suppression policy applies to the frames of a cycle report only")
    if isinstance(value, PublishedCycleReport):
        return value.frames(backend=backend)
    if isinstance(value, Sample):
        return sample_frame(value, backend=backend)
    if isinstance(value, AuditLoad | list | tuple):
        return audit_frames(value, backend=backend)
    raise FramesError(
        f"no frames for a {type(value).__name__}: give a CycleReport or a PublishedCycleReport, "
        "a Sample, an AuditLoad or a list or tuple of Audit records"
    )


def to_pandas(value: object, *, policy: SuppressionPolicy | None = None) -> Any:
    """pandas frames of a cycle report (:func:`report_frames`) or a published one
    (:meth:`PublishedCycleReport.frames
    <qaframework.engine.report.published.PublishedCycleReport.frames>`), a sample
    (:func:`sample_frame`), an audit load or a list or tuple of audits (:func:`audit_frames`).

    ``policy`` applies to a cycle report only.
    """
    return _frames_of(value, "pandas", policy)


def to_polars(value: object, *, policy: SuppressionPolicy | None = None) -> Any:
    """polars frames of a cycle report, a sample, an audit load or a list or tuple of audits
    (see :func:`to_pandas`)."""
    return _frames_of(value, "polars", policy)
