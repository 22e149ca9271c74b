"""Data frames for notebooks: cycle reports, samples and audits as pandas or polars frames.

An adapter at the edge. pandas and polars are optional extras (``pip install
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
  only. :attr:`Frames.view` says which view a set of frames shows.
- :func:`audit_frames` (``AuditLoad.to_pandas()``, ``to_polars()``): audit records, one row
  per audit, per judgement, per moderation and per action, joined on ``audit_id``; for a
  load, also one row per problem of each rejected row. Records name children: they are
  working data, never for publication.
- :func:`sample_frame` (``Sample.to_pandas()``, ``to_polars()``): one row per sampled case,
  with its stratum or holder.

Grades in report frames are ordered categories (a pandas ``Categorical``, a polars ``Enum``)
in the scale's order, best first, so they sort and plot in that order; counts are nullable
integers (pandas ``Int64``); dates are dates (pandas ``datetime64``, polars ``Date``). Frames
are built column by column from lists: a million audits cost a few passes over the records
and one conversion per column.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, repeat
from operator import attrgetter, contains
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from qaframework.engine.suppression import SuppressedTable, SuppressionPolicy
from qaframework.errors import QAFrameworkError
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern

if TYPE_CHECKING:
    from qaframework.engine.audits import Audit
    from qaframework.engine.report import CycleReport, PublishedCycleReport, Share
    from qaframework.engine.sampling import Sample
    from qaframework.io.audits import AuditLoad

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

Backend: TypeAlias = Literal["pandas", "polars"]
"""The data frame library a frame is built with."""

_PUBLISHED = "published"
_EXACT = "exact"
_RECORDS = "records"
_NOT_RECORDED = "Not recorded"


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


def _library(backend: str) -> Any:
    if backend not in ("pandas", "polars"):
        raise FramesError(f"frames are built with 'pandas' or 'polars', not {backend!r}")
    try:
        return importlib.import_module(backend)
    except ImportError:
        raise MissingExtra(backend) from None


# ---------------------------------------------------------------------------------------------
# Columns as lists, then a frame of either library
# ---------------------------------------------------------------------------------------------

_Kind: TypeAlias = Literal["str", "int", "float", "bool", "date", "grade"]


class _Columns:
    """A frame's columns as lists, each with its kind, in order; ``grades`` are the
    categories of ``grade`` columns, best first."""

    __slots__ = ("columns", "grades")

    def __init__(self, grades: Sequence[str] = ()) -> None:
        self.grades = tuple(grades)
        self.columns: list[tuple[str, _Kind, Sequence[Any]]] = []

    def add(self, name: str, kind: _Kind, values: Sequence[Any]) -> None:
        self.columns.append((name, kind, values))

    def build(self, backend: str) -> Any:
        library = _library(backend)
        if backend == "pandas":
            return library.DataFrame(
                {
                    name: _pandas_column(library, kind, values, self.grades)
                    for name, kind, values in self.columns
                }
            )
        return library.DataFrame(
            [
                _polars_column(library, name, kind, values, self.grades)
                for name, kind, values in self.columns
            ]
        )


def _pandas_column(pd: Any, kind: _Kind, values: Sequence[Any], grades: tuple[str, ...]) -> Any:
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
    pl: Any, name: str, kind: _Kind, values: Sequence[Any], grades: tuple[str, ...]
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

_Leading: TypeAlias = Sequence[tuple[str, _Kind, Sequence[Any]]]


def _share_values(
    share: Share | None,
) -> tuple[int | None, float | None, float | None, float | None]:
    if share is None:
        return None, None, None, None
    return share.count, share.value, share.lower, share.upper


class _ReportFrames:
    """The frames of one report, from its published view and its exact view (the exact view
    tells a withheld figure from one that is undefined, such as kappa with no moderation)."""

    def __init__(
        self,
        report: CycleReport,
        published: PublishedCycleReport,
        exact: PublishedCycleReport,
        backend: str,
    ) -> None:
        self.report = report
        self.published = published
        self.exact = exact
        self.backend = backend
        self.period = report.period.label
        self.grades = tuple(g.code for g in report.grades)

    def columns(self) -> _Columns:
        return _Columns(self.grades)

    def long(
        self,
        table: SuppressedTable,
        leading: _Leading,
        column: tuple[str, _Kind, str | None] | None,
    ) -> Any:
        """A two-way table in long form: one row per cell, the count missing where suppressed.

        ``leading`` are columns with one value per table row (the period, the row's key and
        label); ``column`` names the column dimension (its name, kind, and the name of a
        column for its labels), None for a table of one column.
        """
        rows = len(table.row_keys)
        width = len(table.column_keys) if column is not None else 1
        row_of = [r for r in range(rows) for _ in range(width)]
        column_of = list(range(width)) * rows
        cells = [table.cells[r][c] for r, c in zip(row_of, column_of, strict=True)]
        frame = self.columns()
        for name, kind, per_row in leading:
            frame.add(name, kind, [per_row[r] for r in row_of])
        if column is not None:
            name, kind, label = column
            frame.add(name, kind, [table.column_keys[c] for c in column_of])
            if label is not None:
                frame.add(label, "str", [table.column_labels[c] for c in column_of])
        frame.add("count", "int", cells)
        frame.add("suppressed", "bool", [cell is None for cell in cells])
        return frame.build(self.backend)

    def by_rows(
        self, table: SuppressedTable, key: str, label: str | None = None, kind: _Kind = "str"
    ) -> _Leading:
        """The leading columns of a table whose rows are one report's: period, key, label."""
        leading: list[tuple[str, _Kind, Sequence[Any]]] = [
            ("period", "str", [self.period] * len(table.row_keys)),
            (key, kind, table.row_keys),
        ]
        if label is not None:
            leading.append((label, "str", table.row_labels))
        return leading

    def grade_table(self, table: SuppressedTable, leading: _Leading) -> Any:
        return self.long(table, leading, ("grade", "grade", "grade_label"))

    def trend(self) -> Any:
        table = self.published.trend.table
        periods = [s.period for s in self.report.trend]
        leading: _Leading = (
            ("period", "str", table.row_labels),
            ("start", "date", [p.start for p in periods]),
            ("end", "date", [p.end for p in periods]),
        )
        return self.grade_table(table, leading)

    def shares(self) -> Any:
        published, exact = self.published, self.exact
        breakdowns = (
            ("overall", published.overall, exact.overall),
            ("standard", published.by_standard, exact.by_standard),
            ("team", published.by_team, exact.by_team),
            ("service_area", published.by_service_area, exact.by_service_area),
            ("trend", published.trend, exact.trend),
        )
        names = ("good_or_better", "share", "lower", "upper")
        values: dict[str, list[Any]] = {
            name: [] for name in ("period", "breakdown", "key", "label", "total", *names)
        }
        withheld: list[bool] = []
        for breakdown, shown, full in breakdowns:
            table = shown.table
            for row, (share, truth) in enumerate(
                zip(shown.good_or_better, full.good_or_better, strict=True)
            ):
                values["period"].append(
                    table.row_labels[row] if breakdown == "trend" else self.period
                )
                values["breakdown"].append(breakdown)
                values["key"].append(table.row_keys[row])
                values["label"].append(table.row_labels[row])
                values["total"].append(table.row_totals[row])
                for name, value in zip(names, _share_values(share), strict=True):
                    values[name].append(value)
                withheld.append(share is None and truth is not None)
        frame = self.columns()
        kinds: dict[str, _Kind] = {"total": "int", "good_or_better": "int"}
        for name, column in values.items():
            frame.add(name, kinds.get(name, "float" if name in names else "str"), column)
        frame.add("withheld", "bool", withheld)
        return frame.build(self.backend)

    def figures(self) -> Any:
        published, exact = self.published, self.exact
        measures: list[tuple[str, float | None, float | None]] = []

        def add(name: str, shown: float | None, truth: float | None) -> None:
            measures.append((name, shown, truth))

        def share(name: str, shown: Share | None, truth: Share | None) -> None:
            add(name, _share_values(shown)[1], _share_values(truth)[1])

        add("audits", published.audits, exact.audits)
        add("change_in_audits", published.change.audits, exact.change.audits)
        share("good_or_better", published.good_or_better, exact.good_or_better)
        add(
            "change_in_good_or_better",
            published.change.good_or_better,
            exact.change.good_or_better,
        )
        moderation, full = published.moderation, exact.moderation
        add("moderated", moderation.moderated, full.moderated)
        share("share_moderated", moderation.share_moderated, full.share_moderated)
        for name in ("agreed", "upgrades", "downgrades", "exact_agreement"):
            add(name, getattr(moderation, name), getattr(full, name))
        shown_kappas = {k.weighting: k.value for k in moderation.kappas}
        for kappa in full.kappas:
            add(f"kappa_{kappa.weighting.value}", shown_kappas.get(kappa.weighting), kappa.value)
        for name in ("raised", "open", "closed", "open_total"):
            add(
                f"escalations_{name}",
                getattr(published.escalations, name),
                getattr(exact.escalations, name),
            )
        for name in ("due", "done", "verified", "open", "overdue", "overdue_total"):
            add(f"actions_{name}", getattr(published.actions, name), getattr(exact.actions, name))
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(measures))
        frame.add("measure", "str", [m for m, _, _ in measures])
        frame.add("value", "float", [None if v is None else float(v) for _, v, _ in measures])
        frame.add("withheld", "bool", [v is None and t is not None for _, v, t in measures])
        return frame.build(self.backend)

    def trackers(self) -> Any:
        measures = ("children", "with_open_actions", "added", "left")
        rows = [(t, m) for t in self.published.trackers for m in measures]
        counts = [getattr(t, m) for t, m in rows]
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(rows))
        frame.add("tracker", "str", [t.tracker for t, _ in rows])
        frame.add("measure", "str", [m for _, m in rows])
        frame.add("count", "int", counts)
        frame.add("suppressed", "bool", [c is None for c in counts])
        return frame.build(self.backend)

    def themes(self) -> Any:
        themes = self.published.themes
        truths = {t.standard: t.below_good for t in self.exact.themes}
        shares = [_share_values(t.below_good) for t in themes]
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(themes))
        frame.add("rank", "int", list(range(1, len(themes) + 1)))
        frame.add("standard", "str", [t.standard for t in themes])
        frame.add("standard_title", "str", [t.title for t in themes])
        frame.add("judged", "int", [t.judged for t in themes])
        frame.add("below_good", "int", [t.below_good_count for t in themes])
        frame.add("share", "float", [s[1] for s in shares])
        frame.add("lower", "float", [s[2] for s in shares])
        frame.add("upper", "float", [s[3] for s in shares])
        frame.add(
            "withheld",
            "bool",
            [t.below_good is None and truths[t.standard] is not None for t in themes],
        )
        return frame.build(self.backend)

    def notes(self) -> Any:
        rows = [
            (theme.standard, kind, text, count)
            for theme in self.published.themes
            for kind, notes in (
                ("strength", theme.strengths),
                ("would_improve", theme.would_improve),
            )
            for text, count in notes
        ]
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(rows))
        frame.add("standard", "str", [r[0] for r in rows])
        frame.add("kind", "str", [r[1] for r in rows])
        frame.add("text", "str", [r[2] for r in rows])
        frame.add("count", "int", [r[3] for r in rows])
        frame.add("suppressed", "bool", [r[3] is None for r in rows])
        return frame.build(self.backend)

    def destinations(self) -> Any:
        rows = [
            (d, meeting) for d in self.published.destinations for meeting in d.meetings or (None,)
        ]
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(rows))
        frame.add("reporting_line", "str", [d.reporting_line for d, _ in rows])
        frame.add("report", "str", [d.report for d, _ in rows])
        frame.add("recipient", "str", [d.recipient for d, _ in rows])
        frame.add("forum", "str", [d.forum for d, _ in rows])
        frame.add("meeting", "date", [m for _, m in rows])
        return frame.build(self.backend)

    def all(self) -> dict[str, Any]:
        published = self.published
        overall = published.overall.table
        matrix = published.moderation.matrix
        status: tuple[str, _Kind, str | None] = ("status", "str", "status_label")
        return {
            "by_activity": self.long(
                published.by_activity,
                self.by_rows(published.by_activity, "activity", "activity_name"),
                None,
            ),
            "overall": self.grade_table(
                overall, (("period", "str", [self.period] * len(overall.row_keys)),)
            ),
            "by_standard": self.grade_table(
                published.by_standard.table,
                self.by_rows(published.by_standard.table, "standard", "standard_title"),
            ),
            "by_team": self.grade_table(
                published.by_team.table, self.by_rows(published.by_team.table, "team")
            ),
            "by_service_area": self.grade_table(
                published.by_service_area.table,
                self.by_rows(published.by_service_area.table, "service_area"),
            ),
            "trend": self.trend(),
            "shares": self.shares(),
            "moderation_matrix": self.long(
                matrix,
                self.by_rows(matrix, "auditor_grade", kind="grade"),
                ("moderated_grade", "grade", None),
            ),
            "escalations": self.long(
                published.escalations.by_rule,
                self.by_rows(published.escalations.by_rule, "rule", "rule_name"),
                status,
            ),
            "actions": self.long(
                published.actions.by_team, self.by_rows(published.actions.by_team, "team"), status
            ),
            "trackers": self.trackers(),
            "themes": self.themes(),
            "notes": self.notes(),
            "figures": self.figures(),
            "destinations": self.destinations(),
        }


def report_frames(
    report: CycleReport, *, backend: Backend = "pandas", policy: SuppressionPolicy | None = None
) -> Frames:
    """Each table of a cycle report as a tidy frame, in the published view by default.

    ``policy`` is the small-number suppression applied (the default
    :class:`~qaframework.engine.suppression.SuppressionPolicy` when None, as
    :meth:`~qaframework.engine.report.CycleReport.publishable` applies it);
    ``SuppressionPolicy.off()`` gives the exact view, which is not for publication. The
    frames, by name (``period`` is the report's period label in each, a trend row's own in
    ``trend`` and in the trend rows of ``shares``):

    - ``by_activity``: period, activity, activity_name, count, suppressed;
    - ``overall``: the period's audits by grade: period, grade, grade_label, count,
      suppressed; ``by_standard`` (judgements) adds standard and standard_title,
      ``by_team`` adds team, ``by_service_area`` adds service_area (missing where not
      recorded); ``trend`` has one period per row of the trend, with its start and end;
    - ``shares``: the share good or better of each row of those tables: period, breakdown
      (overall, standard, team, service_area, trend), key, label, total, good_or_better (the
      count), share, lower and upper (the Wilson interval), withheld;
    - ``moderation_matrix``: period, auditor_grade, moderated_grade, count, suppressed;
    - ``escalations``: period, rule, rule_name, status, status_label, count, suppressed
      (raised in the period, open or closed on the report's date);
    - ``actions``: period, team, status (done, open, overdue), status_label, count,
      suppressed (actions due in the period);
    - ``trackers``: period, tracker, measure (children, with_open_actions, added, left),
      count, suppressed;
    - ``themes``: the learning themes in order: period, rank, standard, standard_title,
      judged, below_good (the count), share, lower, upper, withheld; ``notes``: period,
      standard, kind (strength, would_improve), text, count, suppressed;
    - ``figures``: the headline numbers as period, measure, value, withheld (audits,
      changes, shares, moderation, kappas, escalations and actions);
    - ``destinations``: period, reporting_line, report, recipient, forum, meeting (one row
      per meeting date, missing for a forum that meets as required).

    ``suppressed`` and ``withheld`` are false throughout the exact view. A value missing
    with ``withheld`` false is undefined, not hidden (a share of no audits, kappa with
    nothing moderated).
    """
    chosen = policy if policy is not None else SuppressionPolicy()
    _library(backend)
    published = report.publishable(chosen)
    exact = published if not chosen.enabled else report.publishable(SuppressionPolicy.off())
    built = _ReportFrames(report, published, exact, backend).all()
    return Frames(_PUBLISHED if chosen.enabled else _EXACT, built, chosen)


# ---------------------------------------------------------------------------------------------
# Audit records
# ---------------------------------------------------------------------------------------------

_ID = attrgetter("id")


def audit_frames(audits: AuditLoad | Iterable[Audit], *, backend: Backend = "pandas") -> Frames:
    """Audit records as tidy frames (view ``"records"``: they name children).

    - ``audits``: one row per audit: audit_id, child_id, activity, audit_date, auditor,
      auditor_role, practitioner, team, service_area, cycle, overall_grade (the auditor's;
      missing for an activity that does not grade practice), moderated_grade (the latest
      moderation's, missing when unmoderated), final_grade (missing when ungraded),
      judgements, moderations and actions (how many), then a true/false column per concern
      (``concern_urgent_safety`` ...) and per feedback source (``feedback_child`` ...);
    - ``judgements``: one row per audit and standard: audit_id, standard, grade, rationale,
      strengths, would_improve;
    - ``moderations``: one row per moderation, in the order recorded: audit_id, moderator,
      role, grade, outcome, moderated_on, rationale;
    - ``actions``: one row per action: audit_id, action_id, what, owner, due, review, status,
      done_on, verified_on;
    - for an :class:`~qaframework.io.AuditLoad`, ``rejections``: one row per problem of each
      rejected row: file, row, column, value, reason, duplicate_of.

    Grades are the codes as recorded (audits may span profile versions); join the frames on
    ``audit_id``.
    """
    from qaframework.engine._collector import paused_gc
    from qaframework.engine.audits import Audit
    from qaframework.io.audits import AuditLoad

    _library(backend)
    load = audits if isinstance(audits, AuditLoad) else None
    records: Sequence[Any]
    if isinstance(audits, AuditLoad):
        records = audits.accepted
    elif isinstance(audits, list | tuple):
        records = audits
    else:
        records = list(audits)
    for position, record in enumerate(records):
        if not isinstance(record, Audit):
            raise FramesError(
                f"audit frames are made of Audit records; item {position} is a "
                f"{type(record).__name__}"
            )
    # Lists of references and frames hold no cycles: the collector would only walk them.
    with paused_gc():
        gathered = _Records(records)
        frames = {
            "audits": gathered.audit_columns().build(backend),
            "judgements": gathered.judgement_columns().build(backend),
            "moderations": gathered.moderation_columns().build(backend),
            "actions": gathered.action_columns().build(backend),
        }
        if load is not None:
            frames["rejections"] = _rejections(load).build(backend)
    return Frames(_RECORDS, frames)


class _Records:
    """Audits with what each holds (judgements, moderations, actions) gathered once.

    Each list is one pass in C (``map`` over an attribute getter), and the records an audit
    holds are flattened with their audit's id the same way: a million audits cost a few
    passes, not a Python loop per record.
    """

    def __init__(self, audits: Sequence[Audit]) -> None:
        self.audits = audits
        self.ids = list(map(_ID, audits))
        self.judgements = list(map(attrgetter("judgements"), audits))
        self.moderations = list(map(attrgetter("moderations"), audits))
        self.actions = list(map(attrgetter("actions"), audits))

    def flat(self, groups: list[tuple[Any, ...]]) -> tuple[list[str], list[Any]]:
        """The records of ``groups`` in order, and each one's audit id."""
        owners = list(chain.from_iterable(map(repeat, self.ids, map(len, groups))))
        return owners, list(chain.from_iterable(groups))

    def audit_columns(self) -> _Columns:
        audits = self.audits
        frame = _Columns()
        frame.add("audit_id", "str", self.ids)
        for name in ("child_id", "activity"):
            frame.add(name, "str", list(map(attrgetter(name), audits)))
        frame.add("audit_date", "date", list(map(attrgetter("audit_date"), audits)))
        for name in ("auditor", "auditor_role", "practitioner", "team", "service_area", "cycle"):
            frame.add(name, "str", list(map(attrgetter(name), audits)))
        overall = list(map(attrgetter("overall_grade"), audits))
        moderated = [
            a.moderated_grade if held else None
            for a, held in zip(audits, self.moderations, strict=True)
        ]
        frame.add("overall_grade", "str", overall)
        frame.add("moderated_grade", "str", moderated)
        frame.add(
            "final_grade",
            "str",
            [o if m is None else m for o, m in zip(overall, moderated, strict=True)],
        )
        for name, groups in (
            ("judgements", self.judgements),
            ("moderations", self.moderations),
            ("actions", self.actions),
        ):
            frame.add(name, "int", list(map(len, groups)))
        concerns = list(map(attrgetter("concerns"), audits))
        for concern in Concern:
            frame.add(
                f"concern_{concern.value}", "bool", list(map(contains, concerns, repeat(concern)))
            )
        feedback = list(map(attrgetter("feedback"), audits))
        for source in FeedbackSource:
            frame.add(
                f"feedback_{source.value}", "bool", list(map(contains, feedback, repeat(source)))
            )
        return frame

    def judgement_columns(self) -> _Columns:
        owners, judgements = self.flat(self.judgements)
        frame = _Columns()
        frame.add("audit_id", "str", owners)
        for name in ("standard", "grade", "rationale", "strengths", "would_improve"):
            frame.add(name, "str", list(map(attrgetter(name), judgements)))
        return frame

    def moderation_columns(self) -> _Columns:
        owners, moderations = self.flat(self.moderations)
        frame = _Columns()
        frame.add("audit_id", "str", owners)
        for name in ("moderator", "role", "grade"):
            frame.add(name, "str", list(map(attrgetter(name), moderations)))
        frame.add("outcome", "str", list(map(attrgetter("outcome.value"), moderations)))
        frame.add("moderated_on", "date", list(map(attrgetter("on"), moderations)))
        frame.add("rationale", "str", list(map(attrgetter("rationale"), moderations)))
        return frame

    def action_columns(self) -> _Columns:
        owners, actions = self.flat(self.actions)
        frame = _Columns()
        frame.add("audit_id", "str", owners)
        frame.add("action_id", "str", list(map(_ID, actions)))
        for name in ("what", "owner"):
            frame.add(name, "str", list(map(attrgetter(name), actions)))
        for name in ("due", "review"):
            frame.add(name, "date", list(map(attrgetter(name), actions)))
        frame.add("status", "str", list(map(attrgetter("status.value"), actions)))
        for name in ("done_on", "verified_on"):
            frame.add(name, "date", list(map(attrgetter(name), actions)))
        return frame


def _rejections(load: AuditLoad) -> _Columns:
    rows = [(r, p) for r in load.rejected for p in r.problems]
    frame = _Columns()
    frame.add("file", "str", [r.file for r, _ in rows])
    frame.add("row", "int", [r.row for r, _ in rows])
    frame.add("column", "str", [p.column for _, p in rows])
    frame.add("value", "str", [p.value for _, p in rows])
    frame.add("reason", "str", [p.reason for _, p in rows])
    frame.add("duplicate_of", "int", [r.duplicate_of for r, _ in rows])
    return frame


# ---------------------------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------------------------

_CASE_COLUMNS = ("child_id", "team", "worker", "service_area")


def _stratum_label(values: tuple[str | None, ...]) -> str:
    return " / ".join(_NOT_RECORDED if v is None else v for v in values)


def sample_frame(sample: Sample, *, backend: Backend = "pandas") -> Any:
    """A sample as a frame: one row per sampled case, in the sample's order.

    Columns: child_id, team, worker, service_area, then each other field the cases carry
    (named as on the case list; one that repeats a name here is prefixed ``field:``), then
    ``stratum`` for a stratified sample (the stratum's values joined by " / ") and
    ``holder`` for a quota per holder (whose draw the case is). The sample's method, seed
    and strata are on the :class:`~qaframework.engine.sampling.Sample` itself.
    """
    _library(backend)
    cases = sample.cases
    frame = _Columns()
    for name in _CASE_COLUMNS:
        frame.add(name, "str", list(map(attrgetter(name), cases)))
    extra = list(dict.fromkeys(name for case in cases for name in case.fields))
    reserved = {*_CASE_COLUMNS, "stratum", "holder"}
    for name in extra:
        column = f"field:{name}" if name in reserved else name
        frame.add(column, "str", [case.fields.get(name) for case in cases])
    if sample.strata:
        strata = {child: _stratum_label(s.values) for s in sample.strata for child in s.child_ids}
        frame.add("stratum", "str", [strata[case.child_id] for case in cases])
    if sample.holders:
        holders = {child: h.holder for h in sample.holders for child in h.child_ids}
        frame.add("holder", "str", [holders[case.child_id] for case in cases])
    return frame.build(backend)


# ---------------------------------------------------------------------------------------------
# Any of them
# ---------------------------------------------------------------------------------------------


def _frames_of(value: object, backend: Backend, policy: SuppressionPolicy | None) -> Any:
    from qaframework.engine.report import CycleReport
    from qaframework.engine.sampling import Sample
    from qaframework.io.audits import AuditLoad

    if isinstance(value, CycleReport):
        return report_frames(value, backend=backend, policy=policy)
    if policy is not None:
        raise FramesError("a suppression policy applies to the frames of a cycle report only")
    if isinstance(value, Sample):
        return sample_frame(value, backend=backend)
    if isinstance(value, AuditLoad | list | tuple):
        return audit_frames(value, backend=backend)
    raise FramesError(
        f"no frames for a {type(value).__name__}: give a CycleReport, a Sample, an AuditLoad "
        "or a list or tuple of Audit records"
    )


def to_pandas(value: object, *, policy: SuppressionPolicy | None = None) -> Any:
    """pandas frames of a cycle report (:func:`report_frames`), a sample
    (:func:`sample_frame`), an audit load or a list or tuple of audits (:func:`audit_frames`).

    ``policy`` applies to a cycle report only.
    """
    return _frames_of(value, "pandas", policy)


def to_polars(value: object, *, policy: SuppressionPolicy | None = None) -> Any:
    """polars frames of a cycle report, a sample, an audit load or a list or tuple of audits
    (see :func:`to_pandas`)."""
    return _frames_of(value, "polars", policy)
