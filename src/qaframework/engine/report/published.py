"""The publishable view of a cycle report, and its tidy frames and notebook summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

import attrs

from qaframework.engine.agreement import Weighting
from qaframework.engine.audits import RecordedData
from qaframework.engine.frames import (
    EXACT,
    PUBLISHED,
    Backend,
    ColumnKind,
    Columns,
    Frames,
    Leading,
    library,
)
from qaframework.engine.periods import Period
from qaframework.engine.report.compliance import PublishedCompliance, PublishedScale
from qaframework.engine.report.intervals import Share
from qaframework.engine.report.model import (
    Destination,
    PublishedActions,
    PublishedBreakdown,
    PublishedChange,
    PublishedEscalations,
    PublishedModeration,
    PublishedTheme,
    PublishedTracker,
    ReportGrade,
)
from qaframework.engine.report.notes import NotePublication
from qaframework.engine.suppression import (
    SuppressedTable,
    SuppressionPolicy,
)
from qaframework.policy.basis import Basis
from qaframework.policy.display import html_table

__all__ = [
    "PublishedCycleReport",
    "ReportFrames",
    "summary_html",
]


@attrs.frozen(repr=False)
class PublishedCycleReport:
    """A :class:`CycleReport` with small-number suppression applied (see
    :meth:`CycleReport.publishable`): every count an ``int`` or None where suppressed, which a
    renderer prints as ``policy.marker`` (``c``); shares and other figures None where
    withheld. ``overall`` and ``trend`` share their numbers with the other grade tables.

    What a reader is taken to know is part of the view, so that the disclosure audit
    (:mod:`qaframework.testing.disclosure`) can state every relation between its numbers:
    ``team_areas`` (which team's audits were in which service area), and
    ``graded_activities`` and ``ungraded_activities`` (the activities with graded and with
    ungraded audits in the period). ``notes_written`` counts judgements with each kind of
    note by standard; ``notes`` is the council's opt-in to publish the notes themselves
    (None: not published, the default). ``recorded`` says which kinds of data the audits
    carried: a figure needing one that is not recorded is None and shown as not recorded.
    ``trend_without_data`` are the periods of the trend in which no audit is dated: they
    have no row in the trend, and a change against one is no figure. ``compliance`` is
    compliance by checklist item (None when no activity has a checklist) and ``scales`` the
    grades on each other scale, published with the other tables as one system.
    """

    policy: SuppressionPolicy
    profile_id: str
    authority: str
    profile_version: str
    versions: tuple[str, ...]
    period: Period
    as_of: date
    grades: tuple[ReportGrade, ...]
    audits: int | None
    by_activity: SuppressedTable
    overall: PublishedBreakdown
    by_standard: PublishedBreakdown
    by_team: PublishedBreakdown
    by_service_area: PublishedBreakdown
    trend: PublishedBreakdown
    change: PublishedChange
    moderation: PublishedModeration
    escalations: PublishedEscalations
    trackers: tuple[PublishedTracker, ...]
    actions: PublishedActions
    themes: tuple[PublishedTheme, ...]
    destinations: tuple[Destination, ...]
    trend_periods: tuple[Period, ...] = ()
    """The periods of the trend's rows, oldest first, ending with :attr:`period`."""
    trend_without_data: tuple[Period, ...] = ()
    team_areas: tuple[tuple[str | None, str | None], ...] = ()
    graded_activities: tuple[str | None, ...] = ()
    ungraded_activities: tuple[str | None, ...] = ()
    notes_written: SuppressedTable | None = None
    notes: NotePublication | None = None
    recorded: RecordedData = attrs.field(factory=RecordedData)
    basis: Basis = attrs.field(factory=lambda: Basis(""))
    """What the figures rest on (:attr:`CycleReport.basis`): the profile's own words and
    fixed wording only, never a child's or an auditor's."""
    compliance: PublishedCompliance | None = None
    scales: tuple[PublishedScale, ...] = ()

    @property
    def good_or_better(self) -> Share | None:
        """The period's share good or better, None where withheld."""
        return self.overall.overall

    def trend_rows(self) -> tuple[tuple[Period, int | None], ...]:
        """Every period of the trend, oldest first, with the index of its row in
        ``trend.table``, or None for a period with no data."""
        rows: list[tuple[Period, int | None]] = [
            (period, index) for index, period in enumerate(self.trend_periods)
        ]
        rows.extend((period, None) for period in self.trend_without_data)
        return tuple(sorted(rows, key=lambda item: item[0].start))

    def __repr__(self) -> str:
        policy = self.policy
        counts = _count(self.audits, policy.marker)
        how = (
            f"counts 1 to {policy.threshold} suppressed"
            if policy.enabled
            else "exact counts, not for publication"
        )
        return (
            f"<PublishedCycleReport {self.profile_id!r} {self.period.label!r} as of "
            f"{self.as_of.isoformat()}: {counts} graded audits; {how}>"
        )

    def _repr_html_(self) -> str:
        """A notebook's summary of this view: the headline figures and the period's grades
        (:func:`qaframework.render.html_fragment` gives the whole report, with charts)."""
        return summary_html(self)

    def to_pandas(self) -> Frames:
        """Each table of this view as a tidy pandas frame (see :meth:`frames`); needs the
        ``pandas`` extra."""
        return self.frames(backend="pandas")

    def to_polars(self) -> Frames:
        """Each table of this view as a tidy polars frame (see :meth:`frames`); needs the
        ``polars`` extra."""
        return self.frames(backend="polars")

    def frames(self, *, backend: Backend = "pandas") -> Frames:
        """Each table of this view as a tidy frame: the frames and columns of
        :func:`~qaframework.engine.report.cycle.report_frames`, in this view's suppression
        (view ``"published"``, or ``"exact"`` for a view published with suppression off).

        A suppressed count is missing with ``suppressed`` true. ``withheld`` says what this
        view knows: true where it withholds a figure (a share, a change, agreement or kappa)
        that publishing could reveal a suppressed count by, false where the figure is shown
        or is undefined whatever the counts (a share of no audits, agreement with nothing
        moderated). One case it cannot tell apart: kappa withheld because the agreement
        matrix has a suppressed cell, which the exact counts might have left undefined as
        well (every audit one grade); ``withheld`` is then true.
        :meth:`CycleReport.to_pandas <qaframework.engine.report.CycleReport.to_pandas>`,
        which holds the exact counts, tells even that case, and otherwise gives the same
        frames.
        """
        library(backend)
        built = ReportFrames(self, None if self.policy.enabled else self, backend).all()
        return Frames(PUBLISHED if self.policy.enabled else EXACT, built, self.policy)


def _count(value: int | None, marker: str) -> str:
    return marker if value is None else f"{value:,}"


def _share_text(share: Share | None) -> str:
    if share is None:
        return "withheld"
    if share.value is None:
        return "none to give (no audits)"
    assert share.lower is not None  # set with the value
    assert share.upper is not None
    return (
        f"{share.value:.0%} ({share.count:,} of {share.total:,}; "
        f"{share.confidence:.0%} interval {share.lower:.0%} to {share.upper:.0%})"
    )


def summary_html(report: PublishedCycleReport) -> str:
    """A published cycle report at a glance, as static HTML (every text escaped): who and
    which period, the audits and the share good or better, the period's grades, and what was
    suppressed. Suppressed counts show as the policy's marker; nothing hidden is shown."""
    marker = report.policy.marker
    table = report.overall.table
    facts = [
        f"{_count(report.audits, marker)} graded audits",
        f"good or better: {_share_text(report.good_or_better)}",
    ]
    if report.policy.enabled:
        facts.append(
            f"counts of {report.policy.threshold} or fewer are shown as {marker!r}, with the "
            "counts that would reveal them"
        )
    else:
        facts.append("exact counts: not for publication")
    grades = html_table(
        ("Grade", "Audits"),
        (
            (label, _count(cell, marker))
            for label, cell in zip(table.column_labels, table.cells[0], strict=True)
        )
        if table.cells
        else (),
        caption=f"Audits by grade, {report.period.label}",
    )
    versions = ", ".join(report.versions) or report.profile_version
    return "".join(
        (
            '<div class="qaframework-report">',
            f"<p><strong>{escape(report.authority)}</strong>: cycle report for "
            f"{escape(report.period.label)}, as of {report.as_of.isoformat()} "
            f"(profile <code>{escape(report.profile_id)}</code>, versions "
            f"{escape(versions)})</p>",
            f"<p>{escape('; '.join(facts))}.</p>",
            grades,
            "<p>The whole report, with charts: <code>qaframework.render.html_fragment(report)"
            "</code>; every table as a frame: <code>report.to_pandas()</code>.</p>",
            "</div>",
        )
    )


def _share_values(
    share: Share | None,
) -> tuple[int | None, float | None, float | None, float | None]:
    if share is None:
        return None, None, None, None
    return share.count, share.value, share.lower, share.upper


class ReportFrames:
    """The frames of one report, from its published view and, when known, its exact view.

    The exact view tells a withheld figure from one that is undefined in every case (kappa
    with nothing moderated, or with one grade only); from the published view alone, a
    figure it withholds is marked withheld (see :meth:`PublishedCycleReport.to_pandas`).
    """

    def __init__(
        self,
        published: PublishedCycleReport,
        exact: PublishedCycleReport | None,
        backend: str,
    ) -> None:
        self.published = published
        self.exact = exact
        self.backend = backend
        self.period = published.period.label
        self.grades = tuple(g.code for g in published.grades)

    def columns(self) -> Columns:
        return Columns(self.grades)

    def long(
        self,
        table: SuppressedTable,
        leading: Leading,
        column: tuple[str, ColumnKind, str | None] | None,
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
        self, table: SuppressedTable, key: str, label: str | None = None, kind: ColumnKind = "str"
    ) -> Leading:
        """The leading columns of a table whose rows are one report's: period, key, label."""
        leading: list[tuple[str, ColumnKind, Sequence[Any]]] = [
            ("period", "str", [self.period] * len(table.row_keys)),
            (key, kind, table.row_keys),
        ]
        if label is not None:
            leading.append((label, "str", table.row_labels))
        return leading

    def grade_table(self, table: SuppressedTable, leading: Leading) -> Any:
        return self.long(table, leading, ("grade", "grade", "grade_label"))

    def trend(self) -> Any:
        """The trend in long form, a period with no data with a missing count per grade and
        ``recorded`` false (never zeros)."""
        table = self.published.trend.table
        rows: list[tuple[Period, int | None, str | None, str]] = [
            (period, None if row is None else table.cells[row][g], code, label)
            for period, row in self.published.trend_rows()
            for g, (code, label) in enumerate(
                zip(table.column_keys, table.column_labels, strict=True)
            )
        ]
        recorded = {p for p, row in self.published.trend_rows() if row is not None}
        frame = self.columns()
        frame.add("period", "str", [p.label for p, _c, _k, _l in rows])
        frame.add("start", "date", [p.start for p, _c, _k, _l in rows])
        frame.add("end", "date", [p.end for p, _c, _k, _l in rows])
        frame.add("grade", "grade", [k for _p, _c, k, _l in rows])
        frame.add("grade_label", "str", [lab for _p, _c, _k, lab in rows])
        frame.add("count", "int", [c for _p, c, _k, _l in rows])
        frame.add("suppressed", "bool", [c is None and p in recorded for p, c, _k, _l in rows])
        frame.add("recorded", "bool", [p in recorded for p, _c, _k, _l in rows])
        return frame.build(self.backend)

    def shares(self) -> Any:
        published = self.published
        breakdowns = (
            ("overall", published.overall),
            ("standard", published.by_standard),
            ("team", published.by_team),
            ("service_area", published.by_service_area),
            ("trend", published.trend),
        )
        names = ("good_or_better", "share", "lower", "upper")
        values: dict[str, list[Any]] = {
            name: [] for name in ("period", "breakdown", "key", "label", "total", *names)
        }
        withheld: list[bool] = []
        rows: list[tuple[str, SuppressedTable, Sequence[Share | None]]] = [
            (b, shown.table, shown.good_or_better) for b, shown in breakdowns
        ]
        rows += [
            (f"scale:{scale.scale}", scale.table, scale.good_or_better)
            for scale in published.scales
        ]
        if published.compliance is not None:
            rows.append(("compliance", published.compliance.table, published.compliance.compliance))
        for breakdown, table, shares in rows:
            for row, share in enumerate(shares):
                values["period"].append(
                    table.row_labels[row] if breakdown == "trend" else self.period
                )
                values["breakdown"].append(breakdown)
                values["key"].append(table.row_keys[row])
                values["label"].append(table.row_labels[row])
                values["total"].append(table.row_totals[row])
                for name, value in zip(names, _share_values(share), strict=True):
                    values[name].append(value)
                # Publication withholds a share as None; an undefined share (of no audits)
                # is a Share without a value. The exact view never withholds one.
                withheld.append(share is None)
        frame = self.columns()
        kinds: dict[str, ColumnKind] = {"total": "int", "good_or_better": "int"}
        for name, column in values.items():
            frame.add(name, kinds.get(name, "float" if name in names else "str"), column)
        frame.add("withheld", "bool", withheld)
        return frame.build(self.backend)

    def figures(self) -> Any:
        published, exact = self.published, self.exact
        # (measure, value, withheld). With the exact view, a missing value is withheld when
        # the exact one is not missing; from the published view alone, when that view shows
        # it would have had one: its data recorded, and not undefined whatever the counts
        # (see PublishedCycleReport.frames).
        measures: list[tuple[str, float | None, bool]] = []

        def add(name: str, shown: float | None, truth: float | None, undefined: bool) -> None:
            if exact is not None:
                withheld = shown is None and truth is not None
            else:
                withheld = shown is None and not undefined
            measures.append((name, shown, withheld))

        def share(name: str, shown: Share | None, truth: Share | None, undefined: bool) -> None:
            value = _share_values(shown)[1]
            empty = shown is not None and value is None
            add(name, value, _share_values(truth)[1], undefined or empty)

        full = exact if exact is not None else published
        recorded = published.recorded
        change = published.change
        add("audits", published.audits, full.audits, False)
        add("change_in_audits", change.audits, full.change.audits, not change.recorded)
        share("good_or_better", published.good_or_better, full.good_or_better, False)
        # A change of share is undefined against a period with no data, or when either
        # period's share is (no audits then).
        trend = published.trend.good_or_better
        no_share = any(s is not None and s.value is None for s in trend[-2:])
        add(
            "change_in_good_or_better",
            change.good_or_better,
            full.change.good_or_better,
            not change.recorded or no_share,
        )
        moderation, truths = published.moderation, full.moderation
        unmoderated = not recorded.moderation
        add("moderated", moderation.moderated, truths.moderated, unmoderated)
        share("share_moderated", moderation.share_moderated, truths.share_moderated, unmoderated)
        for name in ("agreed", "upgrades", "downgrades"):
            add(name, getattr(moderation, name), getattr(truths, name), unmoderated)
        add(
            "exact_agreement",
            moderation.exact_agreement,
            truths.exact_agreement,
            unmoderated or moderation.moderated == 0,
        )
        shown_kappas = {k.weighting: k.value for k in moderation.kappas}
        if exact is not None:
            for kappa in exact.moderation.kappas:
                value = shown_kappas.get(kappa.weighting)
                add(f"kappa_{kappa.weighting.value}", value, kappa.value, False)
        elif recorded.moderation:
            # Withheld kappas are not in the published view: each weighting is, withheld.
            for weighting in Weighting:
                value = shown_kappas.get(weighting)
                add(f"kappa_{weighting.value}", value, None, not moderation.kappa_withheld)
        escalations = published.escalations
        for name in ("raised", "open", "closed", "open_total"):
            told = escalations.recorded if name == "raised" else escalations.status_recorded
            add(
                f"escalations_{name}",
                getattr(escalations, name),
                getattr(full.escalations, name),
                not told,
            )
        for name in ("due", "done", "verified", "open", "overdue", "overdue_total"):
            add(
                f"actions_{name}",
                getattr(published.actions, name),
                getattr(full.actions, name),
                not recorded.actions,
            )
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(measures))
        frame.add("measure", "str", [m for m, _, _ in measures])
        frame.add("value", "float", [None if v is None else float(v) for _, v, _ in measures])
        frame.add("withheld", "bool", [w for _, _, w in measures])
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
        # As for shares: withheld is None, undefined a Share without a value.
        frame.add("withheld", "bool", [t.below_good is None for t in themes])
        frame.add("strengths_written", "int", [t.strengths_written for t in themes])
        frame.add("would_improve_written", "int", [t.would_improve_written for t in themes])
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

    def compliance(self) -> Any:
        """Answers by checklist item in long form: period, activity, item, item_label,
        answer, answer_label, count, suppressed (empty when no activity has a checklist)."""
        compliance = self.published.compliance
        if compliance is None:
            frame = self.columns()
            for name, kind in (
                ("period", "str"),
                ("activity", "str"),
                ("item", "str"),
                ("item_label", "str"),
                ("answer", "str"),
                ("answer_label", "str"),
                ("count", "int"),
                ("suppressed", "bool"),
            ):
                frame.add(name, kind, [])  # type: ignore[arg-type]
            return frame.build(self.backend)
        table = compliance.table
        leading: Leading = [
            ("period", "str", [self.period] * len(table.row_keys)),
            ("activity", "str", compliance.activities),
            ("item", "str", compliance.items),
            ("item_label", "str", table.row_labels),
        ]
        return self.long(table, leading, ("answer", "str", "answer_label"))

    def scales(self) -> Any:
        """Grades on the other scales in long form: period, scale, activity, activity_name,
        grade, grade_label, count, suppressed (``not_rated`` is the audits with no grade on
        the scale)."""
        rows = [
            (scale.scale, table, r, c)
            for scale in self.published.scales
            for table in (scale.table,)
            for r in range(len(table.row_keys))
            for c in range(len(table.column_keys))
        ]
        counts = [table.cells[r][c] for _s, table, r, c in rows]
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(rows))
        frame.add("scale", "str", [s for s, _t, _r, _c in rows])
        frame.add("activity", "str", [t.row_keys[r] for _s, t, r, _c in rows])
        frame.add("activity_name", "str", [t.row_labels[r] for _s, t, r, _c in rows])
        frame.add("grade", "str", [t.column_keys[c] for _s, t, _r, c in rows])
        frame.add("grade_label", "str", [t.column_labels[c] for _s, t, _r, c in rows])
        frame.add("count", "int", counts)
        frame.add("suppressed", "bool", [c is None for c in counts])
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

    def basis(self) -> Any:
        basis = self.published.basis
        rows: list[tuple[str, str | None, str | None, str]] = [
            ("absent", a.kind, None, a.text) for a in basis.absent
        ]
        rows += [("not_stated", None, u.path, f"{u}.") for u in basis.not_stated]
        rows += [("assumption", a.id, "; ".join(a.concerns), a.text) for a in basis.assumptions]
        frame = self.columns()
        frame.add("period", "str", [self.period] * len(rows))
        frame.add("kind", "str", [kind for kind, _, _, _ in rows])
        frame.add("id", "str", [key for _, key, _, _ in rows])
        frame.add("paths", "str", [paths for _, _, paths, _ in rows])
        frame.add("text", "str", [text for _, _, _, text in rows])
        return frame.build(self.backend)

    def all(self) -> dict[str, Any]:
        published = self.published
        overall = published.overall.table
        matrix = published.moderation.matrix
        status: tuple[str, ColumnKind, str | None] = ("status", "str", "status_label")
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
            "basis": self.basis(),
            "compliance": self.compliance(),
            "scales": self.scales(),
        }
