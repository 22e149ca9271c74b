"""A published cycle report as a :class:`~qaframework.render._document.Document`.

Only the published view (:class:`~qaframework.engine.report.PublishedCycleReport`) comes in:
every count is the published number or None where suppressed, so nothing written from the
document can show more than the publishable view does. With suppression off the view holds
the exact counts, and the document opens with a notice saying it is not for publication.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from qaframework._version import __version__
from qaframework.engine.agreement import Weighting
from qaframework.engine.report import (
    PublishedBreakdown,
    PublishedCycleReport,
    PublishedModeration,
    ReportGrade,
    Share,
)
from qaframework.engine.suppression import SuppressionPolicy
from qaframework.render._document import (
    Block,
    Bullets,
    ChartPlace,
    Column,
    Document,
    Heading,
    Missing,
    Number,
    Paragraph,
    Points,
    Ratio,
    Signed,
    Table,
    Value,
)
from qaframework.render._text import long_date, text

__all__ = [
    "CHART_BY_STANDARD",
    "CHART_TREND",
    "not_for_publication",
    "report_document",
    "share_title",
    "suppression_notes",
]

CHART_BY_STANDARD = "grades-by-standard"
CHART_TREND = "trend"

_WEIGHTINGS = {
    Weighting.UNWEIGHTED: "Unweighted",
    Weighting.LINEAR: "Linear weights",
    Weighting.QUADRATIC: "Quadratic weights",
}


def _count(value: int | None) -> Value:
    return Missing.SUPPRESSED if value is None else value


def _share(share: Share | None) -> Value:
    return Missing.SUPPRESSED if share is None else share


def _signed(value: int | None) -> Value:
    return Missing.SUPPRESSED if value is None else Signed(value)


def share_title(grades: Sequence[ReportGrade]) -> str:
    """The council's words for good or better: "Meets good or better" for Bolton."""
    good = [g for g in grades if g.good_or_better]
    return f"{good[-1].label} or better" if good else "Good or better"


def not_for_publication(policy: SuppressionPolicy) -> str:
    """The notice an output made with suppression off opens with."""
    return (
        "NOT FOR PUBLICATION: small-number suppression is off, so this shows exact counts, "
        "small ones included, which could identify children. Publish only an output made "
        f"with suppression on (counts from 1 to {policy.threshold} shown as {policy.marker})."
    )


def suppression_notes(policy: SuppressionPolicy) -> tuple[tuple[str, str], ...]:
    """The notes that say how an output's counts were protected."""
    if not policy.enabled:
        return (("Suppression", "Off: every count is exact. Not for publication."),)
    marker, threshold = policy.marker, policy.threshold
    return (
        (
            "Suppression",
            f"Counts from 1 to {threshold} are shown as {marker}. So that none of them can be "
            "worked out from the totals, further counts are shown as "
            f"{marker} too (secondary suppression): for every {marker} there is another "
            "table of counts that agrees with every published number and differs in it. "
            "Zero is shown.",
        ),
        (
            marker,
            f"Suppressed: a count from 1 to {threshold}, a count hidden so that one cannot be "
            "worked out, or a figure (a share, a change, agreement, kappa) worked out from "
            "hidden counts.",
        ),
    )


def _breakdown_table(
    key: str,
    breakdown: PublishedBreakdown,
    good: str,
    *,
    totals: str | None,
    note: str = "",
) -> Table:
    table = breakdown.table
    rows: list[tuple[Value, ...]] = [
        (
            label,
            *map(_count, cells),
            _count(total),
            _share(share),
        )
        for label, cells, total, share in zip(
            table.row_labels,
            table.cells,
            table.row_totals,
            breakdown.good_or_better,
            strict=True,
        )
    ]
    if totals is not None:
        rows.append(
            (
                totals,
                *map(_count, table.column_totals),
                _count(table.total),
                _share(breakdown.overall),
            )
        )
    return Table(
        key,
        table.title,
        (
            Column(table.row_header),
            *(Column(label) for label in table.column_labels),
            Column("Total"),
            Column(good, interval=True),
        ),
        tuple(rows),
        total_row=totals is not None,
        note=note,
    )


def _confidence(published: PublishedCycleReport) -> float | None:
    """The level of the report's intervals, from any share or kappa it publishes."""
    shares: list[Share | None] = [
        published.good_or_better,
        published.moderation.share_moderated,
        *published.trend.good_or_better,
        *published.by_standard.good_or_better,
    ]
    for share in shares:
        if share is not None:
            return share.confidence
    for kappa in published.moderation.kappas:
        return kappa.confidence
    return None


@attrs.frozen
class _Context:
    published: PublishedCycleReport
    good: str
    as_of: str

    @property
    def marker(self) -> str:
        return self.published.policy.marker


def report_document(published: PublishedCycleReport) -> Document:
    """The document of a published cycle report: every section, table and chart place."""
    context = _Context(published, share_title(published.grades), long_date(published.as_of))
    blocks: list[Block] = [*_introduction(context)]
    for section in (
        _summary,
        _activities,
        _grades,
        _trend,
        _moderation,
        _closing_the_loop,
        _themes,
        _destinations,
    ):
        blocks.extend(section(context))
    policy = published.policy
    return Document(
        title=f"Quality assurance report: {published.authority}, {published.period.label}",
        dated=published.as_of,
        blocks=tuple(blocks),
        notes=_notes(published),
        marker=policy.marker,
        notice=None if policy.enabled else not_for_publication(policy),
    )


def _introduction(context: _Context) -> Iterator[Block]:
    published = context.published
    period = published.period
    versions = ""
    if published.versions != (published.profile_version,):
        versions = f" (audits were graded under versions {', '.join(published.versions)})"
    yield Paragraph(
        f"Audits dated {long_date(period.start)} to {long_date(period.end)}, counted as of "
        f"{context.as_of}. Grades are read on version {published.profile_version} of the "
        f"{published.authority} quality assurance framework ({published.profile_id})"
        f"{versions}."
    )
    policy = published.policy
    if policy.enabled:
        yield Paragraph(
            f"Small numbers are suppressed: counts from 1 to {policy.threshold} are shown as "
            f"{policy.marker}, and so are other counts and figures that would reveal them "
            "(see About this report). No child is named."
        )


def _summary(context: _Context) -> Iterator[Block]:
    published = context.published
    change = published.change
    moderation = published.moderation
    rows: list[tuple[Value, ...]] = [
        ("Audits in the period", _count(published.audits)),
        (f"Audits graded {context.good.lower()}", _share(published.good_or_better)),
        (f"Change in audits since {change.previous}", _signed(change.audits)),
        (
            f"Change in the share {context.good.lower()} since {change.previous}",
            _share_change(published),
        ),
        ("Audits moderated", _count(moderation.moderated)),
        ("Exact agreement at moderation", _agreement(moderation)),
        ("Escalations raised in the period", _count(published.escalations.raised)),
        (
            f"Escalations open on {context.as_of}, whenever raised",
            _count(published.escalations.open_total),
        ),
        ("Actions due in the period", _count(published.actions.due)),
        (
            f"Actions overdue on {context.as_of}, whenever due",
            _count(published.actions.overdue_total),
        ),
    ]
    yield Heading("Summary")
    yield Table(
        "summary",
        "The period at a glance",
        (Column("Measure"), Column("Value", interval=True)),
        tuple(rows),
    )


def _agreement(moderation: PublishedModeration) -> Value:
    if moderation.exact_agreement is not None:
        return Ratio(moderation.exact_agreement)
    return Missing.NOT_APPLICABLE if moderation.moderated == 0 else Missing.SUPPRESSED


def _share_change(published: PublishedCycleReport) -> Value:
    """The change in the share good or better: withheld when either share is, n/a when
    either period had no audits."""
    change = published.change.good_or_better
    if change is not None:
        return Points(change)
    now, before = published.trend.good_or_better[-1], published.trend.good_or_better[-2]
    return Missing.SUPPRESSED if now is None or before is None else Missing.NOT_APPLICABLE


def _activities(context: _Context) -> Iterator[Block]:
    table = context.published.by_activity
    rows: list[tuple[Value, ...]] = [
        (label, _count(cells[0]))
        for label, cells in zip(table.row_labels, table.cells, strict=True)
    ]
    rows.append(("All activities", _count(table.total)))
    yield Heading("Audits by activity")
    yield Table(
        "audits-by-activity",
        table.title,
        (Column(table.row_header), Column("Audits")),
        tuple(rows),
        total_row=True,
    )


def _grades(context: _Context) -> Iterator[Block]:
    published = context.published
    good = context.good
    yield Heading("Grades")
    yield Paragraph(
        f"Grades on the council's scale, best first. {good} is the share of audits (or "
        "judgements) at those grades, with its interval: the range the share is likely to "
        "lie in, wide when there are few audits."
    )
    yield _breakdown_table("grades-overall", published.overall, good, totals=None)
    yield Heading("By practice standard", 3)
    yield ChartPlace(CHART_BY_STANDARD)
    yield _breakdown_table(
        "grades-by-standard",
        published.by_standard,
        good,
        totals="All standards",
        note="Each audit judges several standards: these count judgements, not audits.",
    )
    yield Heading("By team", 3)
    yield _breakdown_table("grades-by-team", published.by_team, good, totals="All teams")
    yield Heading("By service area", 3)
    yield _breakdown_table(
        "grades-by-service-area", published.by_service_area, good, totals="All service areas"
    )


def _trend(context: _Context) -> Iterator[Block]:
    published = context.published
    good = context.good
    change = published.change
    yield Heading("Trend")
    yield ChartPlace(CHART_TREND)
    yield _breakdown_table("trend", published.trend, good, totals=None)
    yield Table(
        "change",
        f"Change since the previous period ({change.previous})",
        (
            Column("Compared with"),
            *(Column(g.label) for g in published.grades),
            Column("Audits"),
            Column(f"{good} (change)"),
        ),
        (
            (
                change.previous,
                *map(_signed, change.grades),
                _signed(change.audits),
                _share_change(published),
            ),
        ),
    )


def _moderation(context: _Context) -> Iterator[Block]:
    moderation = context.published.moderation
    yield Heading("Moderation")
    rows: tuple[tuple[Value, ...], ...] = (
        ("Audits in the period", _count(moderation.audits)),
        ("Moderated", _count(moderation.moderated)),
        ("Share moderated", _share(moderation.share_moderated)),
        ("Moderator agreed with the auditor's grade", _count(moderation.agreed)),
        ("Moderator gave a better grade (upgrades)", _count(moderation.upgrades)),
        ("Moderator gave a worse grade (downgrades)", _count(moderation.downgrades)),
        ("Exact agreement", _agreement(moderation)),
    )
    yield Table(
        "moderation",
        "Moderation of the period's audits",
        (Column("Measure"), Column("Value", interval=True)),
        rows,
    )
    matrix = moderation.matrix
    yield Table(
        "moderation-matrix",
        f"{matrix.title} (rows: auditor's grade; columns: moderated grade)",
        (
            Column(matrix.row_header),
            *(Column(label) for label in matrix.column_labels),
            Column("Total"),
        ),
        (
            *(
                (label, *map(_count, cells), _count(total))
                for label, cells, total in zip(
                    matrix.row_labels, matrix.cells, matrix.row_totals, strict=True
                )
            ),
            ("Total", *map(_count, matrix.column_totals), _count(matrix.total)),
        ),
        total_row=True,
    )
    kappa_rows: list[tuple[Value, ...]] = []
    if moderation.kappa_withheld:
        yield Paragraph(
            f"Cohen's kappa is withheld ({context.marker}): the agreement table has suppressed "
            "counts, and kappa could reveal them."
        )
        kappa_rows.extend(
            (_WEIGHTINGS[weighting], *(Missing.SUPPRESSED,) * 3, "Withheld")
            for weighting in Weighting
        )
    for kappa in moderation.kappas:
        if kappa.value is None or kappa.lower is None or kappa.upper is None:
            kappa_rows.append(
                (_WEIGHTINGS[kappa.weighting], *(Missing.NOT_APPLICABLE,) * 3, kappa.reason or "")
            )
        else:
            kappa_rows.append(
                (
                    _WEIGHTINGS[kappa.weighting],
                    Number(kappa.value),
                    Number(kappa.lower),
                    Number(kappa.upper),
                    "",
                )
            )
    yield Table(
        "kappa",
        "Cohen's kappa: agreement beyond chance between auditors and moderators",
        (Column("Weighting"), Column("Kappa"), Column("Lower"), Column("Upper"), Column("Note")),
        tuple(kappa_rows),
    )


def _closing_the_loop(context: _Context) -> Iterator[Block]:
    published = context.published
    escalations = published.escalations
    actions = published.actions
    yield Heading("Closing the loop")
    yield Table(
        "closing-the-loop",
        "Escalations and actions",
        (Column("Measure"), Column("Count")),
        (
            ("Escalations raised in the period", _count(escalations.raised)),
            ("of which still open", _count(escalations.open)),
            ("of which closed", _count(escalations.closed)),
            (
                f"Escalations open on {context.as_of}, whenever raised",
                _count(escalations.open_total),
            ),
            ("Actions due in the period", _count(actions.due)),
            ("of which done", _count(actions.done)),
            ("of which done and verified", _count(actions.verified)),
            ("of which open, not yet due", _count(actions.open)),
            ("of which overdue", _count(actions.overdue)),
            (f"Actions overdue on {context.as_of}, whenever due", _count(actions.overdue_total)),
        ),
    )
    by_rule = escalations.by_rule
    yield Table(
        "escalations-by-rule",
        by_rule.title,
        (
            Column(by_rule.row_header),
            *(Column(label) for label in by_rule.column_labels),
            Column("Raised"),
        ),
        (
            *(
                (label, *map(_count, cells), _count(total))
                for label, cells, total in zip(
                    by_rule.row_labels, by_rule.cells, by_rule.row_totals, strict=True
                )
            ),
            ("All rules", *map(_count, by_rule.column_totals), _count(by_rule.total)),
        ),
        total_row=True,
    )
    yield Table(
        "child-of-concern-trackers",
        "Child of concern trackers, in counts",
        (
            Column("Tracker"),
            Column("Children on it on the report's date"),
            Column("of whom with open actions"),
            Column("Added in the period"),
            Column("Left in the period"),
        ),
        tuple(
            (
                t.tracker,
                _count(t.children),
                _count(t.with_open_actions),
                _count(t.added),
                _count(t.left),
            )
            for t in published.trackers
        ),
    )
    by_team = actions.by_team
    yield Table(
        "actions-by-team",
        by_team.title,
        (
            Column(by_team.row_header),
            *(Column(label) for label in by_team.column_labels),
            Column("Due"),
        ),
        (
            *(
                (label, *map(_count, cells), _count(total))
                for label, cells, total in zip(
                    by_team.row_labels, by_team.cells, by_team.row_totals, strict=True
                )
            ),
            ("All teams", *map(_count, by_team.column_totals), _count(by_team.total)),
        ),
        total_row=True,
    )


def _themes(context: _Context) -> Iterator[Block]:
    published = context.published
    marker = context.marker
    yield Heading("Learning themes")
    yield Paragraph(
        "The practice standards most often judged below good first, with what auditors "
        "wrote about them most often: strengths, and what would have made the work better. "
        "A child's id written in a note is shown as [child id]."
        if published.themes
        else "No practice standard was judged in the period."
    )
    yield Table(
        "learning-themes",
        "Practice standards by judgements below good",
        (
            Column("Practice standard"),
            Column("Judgements"),
            Column("Below good"),
            Column("Share below good", interval=True),
        ),
        tuple(
            (
                theme.title,
                _count(theme.judged),
                _count(theme.below_good_count),
                _share(theme.below_good),
            )
            for theme in published.themes
        ),
    )
    notes: list[tuple[Value, ...]] = []
    for theme in published.themes:
        if not theme.strengths and not theme.would_improve:
            continue
        yield Heading(theme.title, 3)
        for title, kind, written in (
            ("Strengths", "Strength", theme.strengths),
            ("What would have made it better", "Would have made it better", theme.would_improve),
        ):
            if written:
                yield Bullets(
                    title,
                    tuple(f"{note} ({text(_count(count), marker)})" for note, count in written),
                )
                notes.extend((theme.title, kind, note, _count(count)) for note, count in written)
    yield Table(
        "learning-notes",
        "Notes auditors wrote, by practice standard",
        (
            Column("Practice standard"),
            Column("Kind"),
            Column("Note"),
            Column("Judgements with this note"),
        ),
        tuple(notes),
        shown=False,
    )


def _destinations(context: _Context) -> Iterator[Block]:
    destinations = context.published.destinations
    yield Heading("Where this report goes")
    if not destinations:
        yield Paragraph("The profile names no reporting line for this report.")
    yield Table(
        "destinations",
        "The forums and people the council's reporting lines send this report to",
        (
            Column("Report"),
            Column("Sent to"),
            Column("Reported"),
            Column("Produced by"),
            Column("Meets"),
            Column("Next meeting"),
        ),
        tuple(
            (
                d.report,
                d.recipient,
                d.cadence.describe(),
                ", ".join(d.produced_by),
                d.meets.describe() if d.meets is not None else "",
                ", ".join(long_date(day) for day in d.meetings),
            )
            for d in destinations
        ),
    )


def _notes(published: PublishedCycleReport) -> tuple[tuple[str, str], ...]:
    period = published.period
    confidence = _confidence(published)
    level = f"{confidence:.0%} " if confidence is not None else ""
    return (
        ("Council", published.authority),
        ("Period", f"{period.label}: {period.start.isoformat()} to {period.end.isoformat()}"),
        ("As of", published.as_of.isoformat()),
        ("Profile", f"{published.profile_id} version {published.profile_version}"),
        ("Audits graded under versions", ", ".join(published.versions)),
        *suppression_notes(published.policy),
        ("n/a", "Not applicable: a share or statistic of no audits."),
        (
            "Intervals",
            f"Shares carry a {level}Wilson score interval; kappa a {level}Wald interval.",
        ),
        (
            "Child-level detail",
            "None: no child's id appears in this report. The escalations and trackers "
            "behind it, naming children, are a separate output marked OFFICIAL-SENSITIVE.",
        ),
        (
            "Source",
            f"Computed by qaframework {__version__} from the audits given, against the "
            f"{published.authority} profile ({published.profile_id} "
            f"{published.profile_version}).",
        ),
    )
