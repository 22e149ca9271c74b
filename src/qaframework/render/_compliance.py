"""The sections of a published cycle report on compliance checklists and other grade scales.

Only the published view comes in, so a suppressed count is None here and is written as the
policy's marker by every format; a share is written only where the view gives it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from qaframework.engine.report import PublishedCycleReport, ReportGrade, Share
from qaframework.engine.report.compliance import PublishedCompliance, PublishedScale
from qaframework.render._document import Block, Column, Heading, Missing, Paragraph, Table, Value

__all__ = ["compliance_blocks", "compliance_section", "scale_blocks", "scales_section"]


def _count(value: int | None) -> Value:
    return Missing.SUPPRESSED if value is None else value


def _share(share: Share | None) -> Value:
    return Missing.SUPPRESSED if share is None else share


def _good_words(grades: Sequence[ReportGrade]) -> str:
    good = [g for g in grades if g.good_or_better]
    return f"{good[-1].label} or better" if good else "Good or better"


def scale_blocks(published: PublishedCycleReport) -> Iterator[Block]:
    """One table per other grade scale: the period's audits by activity and grade on it."""
    if not published.scales:
        return
    yield Heading("Other grade scales")
    yield Paragraph(
        "Some activities grade their audits on another scale as well as the council's grade "
        "(an impact rating beside the grade). Each scale's grades, best first, with the share "
        "at its good-or-better threshold among the audits graded on it; audits of the "
        "activity with no grade on the scale are counted as not rated."
    )
    for scale in published.scales:
        yield Heading(scale.name, 3)
        yield _scale_table(scale)


def _scale_table(scale: PublishedScale) -> Table:
    table = scale.table
    good = _good_words(scale.grades)
    rows: list[tuple[Value, ...]] = [
        (label, *map(_count, cells), _count(total), _share(share))
        for label, cells, total, share in zip(
            table.row_labels, table.cells, table.row_totals, scale.good_or_better, strict=True
        )
    ]
    rows.append(
        (
            "All activities",
            *map(_count, table.column_totals),
            _count(table.total),
            _share(scale.overall),
        )
    )
    return Table(
        f"scale-{scale.scale}",
        table.title,
        (
            Column(table.row_header),
            *(Column(label) for label in table.column_labels),
            Column("Audits"),
            Column(good, interval=True),
        ),
        tuple(rows),
        total_row=True,
    )


def compliance_blocks(published: PublishedCycleReport) -> Iterator[Block]:
    """Compliance by checklist item: the answers of the period's audits, with compliance."""
    compliance = published.compliance
    if compliance is None:
        return
    yield Heading("Compliance checklists")
    if not compliance.recorded:
        yield Paragraph(
            "Checklist answers are not recorded in this export: no compliance figure can be "
            f"given ({Missing.NOT_RECORDED.value}, not 0)."
        )
    else:
        yield Paragraph(
            "Each item of an activity's compliance checklist, with how the period's audits "
            "answered it. Compliance is the share answered yes among those answered yes or "
            "no, with its interval; not applicable and unanswered items are left out of it."
        )
    yield _compliance_table(compliance)


def _compliance_table(compliance: PublishedCompliance) -> Table:
    table = compliance.table
    recorded = compliance.recorded

    def count(value: int | None) -> Value:
        return _count(value) if recorded else Missing.NOT_RECORDED

    def share(value: Share | None) -> Value:
        return _share(value) if recorded else Missing.NOT_RECORDED

    return Table(
        "compliance",
        table.title,
        (
            Column(table.row_header),
            *(Column(label) for label in table.column_labels),
            Column("Audits"),
            Column("Compliance", interval=True),
        ),
        tuple(
            (label, *map(count, cells), count(total), share(item_share))
            for label, cells, total, item_share in zip(
                table.row_labels,
                table.cells,
                table.row_totals,
                compliance.compliance,
                strict=True,
            )
        ),
    )


def scales_section(context: Any) -> Iterator[Block]:
    """The report document's section of grades on the other scales (of ``context.published``)."""
    return scale_blocks(context.published)


def compliance_section(context: Any) -> Iterator[Block]:
    """The report document's section of compliance by checklist item (of
    ``context.published``)."""
    return compliance_blocks(context.published)
