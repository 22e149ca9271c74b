"""Data frames for notebooks: the toolkit every tidy frame of qaframework is built with.

pandas and polars are optional extras (``pip install 'qaframework[pandas]'``,
``pip install 'qaframework[polars]'``), imported only when a frame is asked for; without
them :class:`MissingExtra` says which extra to install. A frame is collected column by
column as lists (:class:`Columns`), then converted once per column into the chosen library:
grades become ordered categories (a pandas ``Categorical``, a polars ``Enum``) in the
scale's order, best first; counts nullable integers (pandas ``Int64``); dates dates.

The frames themselves are made where their values live: a cycle report's by
:func:`qaframework.engine.report.cycle.report_frames`, a sample's by
:meth:`qaframework.engine.sampling.sample.Sample.to_pandas`, audit records' by
:func:`qaframework.io.frames.audit_frames`; :mod:`qaframework.render.frames` gathers them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

from qaframework.engine.suppression import SuppressionPolicy
from qaframework.errors import QAFrameworkError

__all__ = [
    "EXACT",
    "PUBLISHED",
    "RECORDS",
    "Backend",
    "ColumnKind",
    "Columns",
    "Frames",
    "FramesError",
    "Leading",
    "MissingExtra",
    "library",
]

Backend: TypeAlias = Literal["pandas", "polars"]
"""The data frame library a frame is built with."""

PUBLISHED = "published"
"""The view of frames from a report's publishable view (small numbers suppressed)."""
EXACT = "exact"
"""The view of frames from a report's exact counts: internal working only."""
RECORDS = "records"
"""The view of frames of records (audits, cases): working data naming children."""


class FramesError(QAFrameworkError, ValueError):
    """A frame cannot be made from what was given: an unknown backend, a value with no frames."""


class MissingExtra(QAFrameworkError, ImportError):
    """A frame was asked of a library that is not installed; the message names the extra."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.extra = backend
        super().__init__(
            f"to_{backend}() needs {backend}, which is not installed: "
            f"pip install 'qaframework[{self.extra}]'"
        )


def library(backend: str) -> Any:
    """The module of ``backend`` (pandas or polars), or :class:`MissingExtra`."""
    if backend not in ("pandas", "polars"):
        raise FramesError(f"frames are built with 'pandas' or 'polars', not {backend!r}")
    try:
        if backend == "pandas":
            import pandas

            return pandas
        import polars

        return polars
    except ImportError:
        raise MissingExtra(backend) from None


# ---------------------------------------------------------------------------------------------
# Columns as lists, then a frame of either library
# ---------------------------------------------------------------------------------------------

ColumnKind: TypeAlias = Literal["str", "int", "float", "bool", "date", "grade"]


class Columns:
    """A frame's columns as lists, each with its kind, in order; ``grades`` are the
    categories of ``grade`` columns, best first."""

    __slots__ = ("columns", "grades")

    def __init__(self, grades: Sequence[str] = ()) -> None:
        self.grades = tuple(grades)
        self.columns: list[tuple[str, ColumnKind, Sequence[Any]]] = []

    def add(self, name: str, kind: ColumnKind, values: Sequence[Any]) -> None:
        self.columns.append((name, kind, values))

    def build(self, backend: str) -> Any:
        module = library(backend)
        if backend == "pandas":
            return module.DataFrame(
                {
                    name: _pandas_column(module, kind, values, self.grades)
                    for name, kind, values in self.columns
                }
            )
        return module.DataFrame(
            [
                _polars_column(module, name, kind, values, self.grades)
                for name, kind, values in self.columns
            ]
        )


def _pandas_column(
    pd: Any, kind: ColumnKind, values: Sequence[Any], grades: tuple[str, ...]
) -> Any:
    if kind == "int":
        return pd.array(values, dtype="Int64")
    if kind == "float":
        return pd.Series(values, dtype="float64")
    if kind == "bool":
        return pd.Series(values, dtype="bool")
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype=object))
    if kind == "grade":
        return pd.Categorical(values, categories=grades, ordered=True)
    # Text takes the string type pandas infers for text (object before pandas 3), also when
    # every value is missing; a column of nothing but missing values (an export without
    # rationales) is made without converting each one.
    text = pd.Series(["text"]).dtype
    if values.count(None) == len(values):
        return pd.Series(index=pd.RangeIndex(len(values)), dtype=text)
    return pd.Series(values, dtype=text)


def _polars_column(
    pl: Any, name: str, kind: ColumnKind, values: Sequence[Any], grades: tuple[str, ...]
) -> Any:
    dtypes = {
        "str": pl.String,
        "int": pl.Int64,
        "float": pl.Float64,
        "bool": pl.Boolean,
        "date": pl.Date,
    }
    dtype = pl.Enum(grades) if kind == "grade" else dtypes[kind]
    return pl.Series(name, values, dtype=dtype)


class Frames(Mapping[str, Any]):
    """Frames by name, and the view they show.

    ``view`` is ``"published"`` (small-number suppression applied, as a renderer publishes;
    ``policy`` is the policy applied), ``"exact"`` (every count as computed, not for
    publication) or ``"records"`` (audit records, which name children: not for
    publication). Index it by name (``frames["by_standard"]``); ``list(frames)`` gives the
    names.
    """

    __slots__ = ("_frames", "policy", "view")

    def __init__(
        self, view: str, frames: Mapping[str, Any], policy: SuppressionPolicy | None = None
    ) -> None:
        self.view = view
        self.policy = policy
        self._frames = MappingProxyType(dict(frames))

    def __getitem__(self, name: str) -> Any:
        try:
            return self._frames[name]
        except KeyError:
            raise KeyError(f"no frame {name!r} (frames: {', '.join(self._frames)})") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    # By identity: comparing frames elementwise gives a frame, not a truth value.
    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Frames(view={self.view!r}, frames=[{', '.join(self._frames)}])"


# ---------------------------------------------------------------------------------------------
# Cycle reports
# ---------------------------------------------------------------------------------------------

_Leading: TypeAlias = Sequence[tuple[str, ColumnKind, Sequence[Any]]]


Leading: TypeAlias = Sequence[tuple[str, ColumnKind, Sequence[Any]]]
"""Columns with one value per row of a table: name, kind and the values."""
