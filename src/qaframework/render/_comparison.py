"""Several councils side by side on the ILACS crosswalk, as a
:class:`~qaframework.render._document.Document`, from the published comparison
(:func:`~qaframework.engine.report.publish_comparison`)."""

from __future__ import annotations

from qaframework._version import __version__
from qaframework.engine.report import PublishedComparison, Share
from qaframework.render._document import Column, Document, Missing, Paragraph, Table, Value
from qaframework.render._report import not_for_publication, suppression_notes

__all__ = ["comparison_document"]


def comparison_document(published: PublishedComparison) -> Document:
    """The document of a published comparison: one row per council."""
    table = published.table

    def count(value: int | None) -> Value:
        return Missing.SUPPRESSED if value is None else value

    def share(value: Share | None) -> Value:
        return Missing.SUPPRESSED if value is None else value

    rows = tuple(
        (
            label,
            period.label,
            *map(count, cells),
            count(total),
            share(own),
            share(ilacs),
        )
        for label, period, cells, total, own, ilacs in zip(
            table.row_labels,
            published.periods,
            table.cells,
            table.row_totals,
            published.good_or_better,
            published.ilacs_good_or_better,
            strict=True,
        )
    )
    periods = sorted({p.label for p in published.periods})
    policy = published.policy
    return Document(
        title="Councils compared on the ILACS crosswalk",
        dated=max(p.end for p in published.periods),
        blocks=(
            Paragraph(
                "Each council's audits for its period, with its own grades mapped to the four "
                "Ofsted ILACS judgements through its framework's crosswalk, so that councils "
                "with different scales compare on one. Good or better is on each council's own "
                "scale and threshold; Outstanding or good on the ILACS judgements."
            ),
            Table(
                "comparison",
                table.title,
                (
                    Column(table.row_header),
                    Column("Period"),
                    *(Column(label) for label in table.column_labels),
                    Column("Audits"),
                    Column("Good or better (own scale)", interval=True),
                    Column("Outstanding or good (ILACS)", interval=True),
                ),
                rows,
                note=(
                    "A count a council's own published report hides is hidden here too. "
                    "Good or better on a council's own scale is withheld where its grades "
                    "do not map onto whole ILACS judgements."
                ),
            ),
        ),
        notes=(
            ("Councils", ", ".join(table.row_labels)),
            ("Profiles", ", ".join(str(key) for key in table.row_keys)),
            ("Periods", ", ".join(periods)),
            *suppression_notes(policy),
            (
                "Source",
                f"Computed by qaframework {__version__} from each council's cycle report, "
                "against the council's own profile.",
            ),
        ),
        marker=policy.marker,
        notice=None if policy.enabled else not_for_publication(policy),
    )
