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
from qaframework.render._compliance import compliance_section, scales_section
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


def _recorded(value: Value, recorded: bool) -> Value:
    """A figure, or "not recorded in this export" where the audits lack its data."""
    return value if recorded else Missing.NOT_RECORDED


def _change(value: int | None, recorded: bool) -> Value:
    """A change in a count: "no data" when the previous period has none."""
    return _signed(value) if recorded else Missing.NO_DATA


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
    no_data: Sequence[tuple[int, str]] = (),
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
    # Rows with no data (a period in which no audit is dated), at their places.
    for place, label in no_data:
        rows.insert(place, (label, *(Missing.NO_DATA,) * (len(table.column_keys) + 2)))
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
        scales_section,
        compliance_section,
        _trend,
        _moderation,
        _closing_the_loop,
        _themes,
        _destinations,
        _basis,
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
    recorded = published.recorded
    escalations = published.escalations
    rows: list[tuple[Value, ...]] = [
        ("Audits in the period", _count(published.audits)),
        (f"Audits graded {context.good.lower()}", _share(published.good_or_better)),
        (f"Change in audits since {change.previous}", _change(change.audits, change.recorded)),
        (
            f"Change in the share {context.good.lower()} since {change.previous}",
            _share_change(published),
        ),
        ("Audits moderated", _recorded(_count(moderation.moderated), recorded.moderation)),
        (
            "Exact agreement at moderation",
            _recorded(_agreement(moderation), recorded.moderation),
        ),
        (
            "Escalations raised in the period",
            _recorded(_count(escalations.raised), escalations.recorded),
        ),
        (
            f"Escalations open on {context.as_of}, whenever raised",
            _recorded(_count(escalations.open_total), escalations.status_recorded),
        ),
        (
            "Actions due in the period",
            _recorded(_count(published.actions.due), recorded.actions),
        ),
        (
            f"Actions overdue on {context.as_of}, whenever due",
            _recorded(_count(published.actions.overdue_total), recorded.actions),
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
    if not published.change.recorded:
        return Missing.NO_DATA
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
    periods = published.trend_rows()
    no_data = [(place, p.label) for place, (p, row) in enumerate(periods) if row is None]
    if no_data:
        yield Paragraph(
            "No audit is dated in "
            + ", ".join(label for _place, label in no_data)
            + ": the export holds no data for "
            + ("that period" if len(no_data) == 1 else "those periods")
            + ", shown as no data, not as zeros."
        )
    yield _breakdown_table("trend", published.trend, good, totals=None, no_data=no_data)
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
                *(_change(g, change.recorded) for g in change.grades),
                _change(change.audits, change.recorded),
                _share_change(published),
            ),
        ),
    )


def _moderation(context: _Context) -> Iterator[Block]:
    moderation = context.published.moderation
    yield Heading("Moderation")
    yield from (Paragraph(text) for text in context.published.basis.absent_of("moderation"))
    if not context.published.recorded.moderation:
        yield Paragraph(
            "Moderation is not recorded in this export: no moderation figure can be given, "
            "and grades are the auditors'."
        )
        yield Table(
            "moderation",
            "Moderation of the period's audits",
            (Column("Measure"), Column("Value", interval=True)),
            (
                ("Audits in the period", _count(moderation.audits)),
                ("Moderated", Missing.NOT_RECORDED),
            ),
        )
        return
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
    counted, told = escalations.recorded, escalations.status_recorded
    has_actions = published.recorded.actions
    yield Heading("Closing the loop")
    yield from (Paragraph(text) for text in published.basis.absent_of("escalation"))
    missing = _not_recorded_sentence(published)
    if missing:
        yield Paragraph(missing)
    yield Table(
        "closing-the-loop",
        "Escalations and actions",
        (Column("Measure"), Column("Count")),
        (
            ("Escalations raised in the period", _recorded(_count(escalations.raised), counted)),
            ("of which still open", _recorded(_count(escalations.open), told)),
            ("of which closed", _recorded(_count(escalations.closed), told)),
            (
                f"Escalations open on {context.as_of}, whenever raised",
                _recorded(_count(escalations.open_total), told),
            ),
            ("Actions due in the period", _recorded(_count(actions.due), has_actions)),
            ("of which done", _recorded(_count(actions.done), has_actions)),
            ("of which done and verified", _recorded(_count(actions.verified), has_actions)),
            ("of which open, not yet due", _recorded(_count(actions.open), has_actions)),
            ("of which overdue", _recorded(_count(actions.overdue), has_actions)),
            (
                f"Actions overdue on {context.as_of}, whenever due",
                _recorded(_count(actions.overdue_total), has_actions),
            ),
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
                (
                    label,
                    *(_recorded(_count(c), told) for c in cells),
                    _recorded(_count(total), counted),
                )
                for label, cells, total in zip(
                    by_rule.row_labels, by_rule.cells, by_rule.row_totals, strict=True
                )
            ),
            (
                "All rules",
                *(_recorded(_count(c), told) for c in by_rule.column_totals),
                _recorded(_count(by_rule.total), counted),
            ),
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
                _recorded(_count(t.children), told),
                _recorded(_count(t.with_open_actions), told and has_actions),
                _recorded(_count(t.added), counted),
                _recorded(_count(t.left), told),
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
            (
                "All teams",
                *(_recorded(_count(c), has_actions) for c in by_team.column_totals),
                _recorded(_count(by_team.total), has_actions),
            ),
        ),
        total_row=True,
    )


def _not_recorded_sentence(published: PublishedCycleReport) -> str:
    """What the export does not carry, and which figures therefore cannot be given."""
    missing = published.recorded.missing
    if not missing:
        return ""
    return (
        f"This export does not record {_words(missing)}: every figure that needs "
        f"{'it' if len(missing) == 1 else 'them'} reads "
        f"{Missing.NOT_RECORDED.value}, not 0."
    )


def _words(items: Sequence[str]) -> str:
    names = [item.replace("_", " ") for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _themes(context: _Context) -> Iterator[Block]:
    published = context.published
    marker = context.marker
    opted_in = published.notes
    yield Heading("Learning themes")
    if not published.themes:
        yield Paragraph("No practice standard was judged in the period.")
    elif opted_in is None:
        yield Paragraph(
            "The practice standards most often judged below good first, with how many "
            "judgements carry a note of each kind: strengths, and what would have made the "
            "work better. The notes themselves are free text about children's cases: they "
            "are in the child-level detail, marked OFFICIAL-SENSITIVE, not in this report."
        )
    else:
        yield Paragraph(
            "The practice standards most often judged below good first, with what auditors "
            "wrote about them most often: strengths, and what would have made the work "
            f"better. {opted_in.describe()}"
        )
    yield Table(
        "learning-themes",
        "Practice standards by judgements below good",
        (
            Column("Practice standard"),
            Column("Judgements"),
            Column("Below good"),
            Column("Share below good", interval=True),
            Column("With a strength noted"),
            Column("With what would have made it better"),
        ),
        tuple(
            (
                theme.title,
                _count(theme.judged),
                _count(theme.below_good_count),
                _share(theme.below_good),
                _count(theme.strengths_written),
                _count(theme.would_improve_written),
            )
            for theme in published.themes
        ),
    )
    if opted_in is None:
        return
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
        "Notes auditors wrote, by practice standard (published at the council's request)",
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
    basis = context.published.basis
    unknown = [u for u in basis.not_stated if u.path.endswith(".reported_via")]
    if not destinations:
        absent = basis.absent_of("reporting")
        if absent:
            yield Paragraph(absent[0])
        elif not unknown:
            yield Paragraph("The profile names no reporting line for it.")
    for u in unknown:
        yield Paragraph(f"Where the findings of {u.name} are reported is not stated.")
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


def _basis(context: _Context) -> Iterator[Block]:
    """What the figures rest on: the rules the profile does not encode, the details it does
    not state, and its assumptions, in the profile's own words."""
    basis = context.published.basis
    yield Heading("What these figures rest on")
    if basis.is_empty:
        yield Paragraph(
            "The figures rest on the profile's stated rules alone: it makes no assumption "
            "about what they count and states every detail of the rules they use."
        )
        return
    yield Paragraph(
        f"The figures are computed under profile {basis.profile}. Where its sources are "
        "silent it records what it assumes, or says a detail is not stated; both are listed "
        "here for the activities, rules, reporting lines and roles the report uses."
    )
    for absent in basis.absent:
        yield Paragraph(absent.text)
    if basis.not_stated:
        yield Table(
            "not-stated",
            "Details the profile's sources do not state (nothing is assumed for them)",
            (Column("Rule"), Column("Where in the profile")),
            tuple((f"{unknown}.", unknown.path) for unknown in basis.not_stated),
        )
    if basis.assumptions:
        yield Table(
            "assumptions",
            "The profile's assumptions behind these figures",
            (Column("Assumption"), Column("What the profile assumes")),
            tuple((a.id, a.text) for a in basis.assumptions),
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
        ("no data", "A period in which no audit is dated: the export holds no data for it."),
        (
            "Intervals",
            f"Shares carry a {level}Wilson score interval; kappa a {level}Wald interval.",
        ),
        (
            "Child-level detail",
            "None: no child's id appears in this report. The escalations, trackers, overdue "
            "actions and auditors' notes behind it, naming children, are a separate output "
            "marked OFFICIAL-SENSITIVE.",
        ),
        (
            "Learning notes",
            published.notes.describe()
            if published.notes is not None
            else "Not published: learning themes are counts of judgements with each kind of "
            "note. The notes themselves, free text, are in the child-level detail.",
        ),
        *(
            (("Not recorded", _not_recorded_sentence(published)),)
            if published.recorded.missing
            else ()
        ),
        (
            "Source",
            f"Computed by qaframework {__version__} from the audits given, against the "
            f"{published.authority} profile ({published.profile_id} "
            f"{published.profile_version}).",
        ),
    )
