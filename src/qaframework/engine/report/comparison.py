"""Several councils' cycle reports side by side on the ILACS crosswalk."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import attrs

from qaframework.engine.periods import Period
from qaframework.engine.report.cycle import CycleReport, _share_of
from qaframework.engine.report.errors import CycleReportError
from qaframework.engine.report.intervals import Share
from qaframework.engine.report.published import PublishedCycleReport
from qaframework.engine.suppression import (
    CountTable,
    Position,
    SuppressedTable,
    SuppressionPolicy,
    suppress_linked,
)
from qaframework.policy.grades import Ilacs

__all__ = [
    "AuthorityRow",
    "CrossAuthorityComparison",
    "PublishedComparison",
    "compare_authorities",
    "publish_comparison",
]

# ---------------------------------------------------------------------------------------------
# Several councils side by side on the ILACS crosswalk
# ---------------------------------------------------------------------------------------------

_ILACS = tuple(Ilacs)


@attrs.frozen
class AuthorityRow:
    """One council's period on the ILACS crosswalk.

    ``counts`` are its audits by ILACS judgement (Outstanding, Good, Requires improvement,
    Inadequate); ``good_or_better`` is the share good or better on the council's own scale
    and threshold, ``ilacs_good_or_better`` the share judged Outstanding or Good.
    """

    profile_id: str
    authority: str
    profile_version: str
    period: Period
    audits: int
    counts: tuple[int, ...]
    good_or_better: Share
    ilacs_good_or_better: Share


@attrs.frozen
class CrossAuthorityComparison:
    """Several councils' reports side by side on the ILACS crosswalk (exact counts)."""

    councils: tuple[AuthorityRow, ...]

    def table(self) -> CountTable:
        """Audits by council (rows) and ILACS judgement (columns)."""
        return CountTable(
            "Audits by council and ILACS judgement",
            "Council",
            tuple(c.profile_id for c in self.councils),
            tuple(c.authority for c in self.councils),
            tuple(j.value for j in _ILACS),
            tuple(j.label for j in _ILACS),
            tuple(c.counts for c in self.councils),
        )


@attrs.frozen
class PublishedComparison:
    """A :class:`CrossAuthorityComparison` as published: counts None where suppressed and
    shares None where withheld (see :func:`publish_comparison`)."""

    policy: SuppressionPolicy
    periods: tuple[Period, ...]
    table: SuppressedTable
    good_or_better: tuple[Share | None, ...]
    ilacs_good_or_better: tuple[Share | None, ...]


def _ilacs_columns(report: CycleReport) -> list[int]:
    return [_ILACS.index(g.ilacs) for g in report.grades]


def _reports(reports: object, called: str) -> list[CycleReport]:
    """The reports given, read once; :class:`CycleReportError` for anything but cycle
    reports as built (a published report's hidden numbers cannot be compared)."""
    if isinstance(reports, CrossAuthorityComparison):
        raise CycleReportError(
            f"{called} was given a CrossAuthorityComparison: give it the cycle reports "
            f"themselves (the ones compare_authorities was given)"
        )
    found: list[CycleReport] = []
    for index, report in enumerate(cast("Iterable[object]", reports)):
        if not isinstance(report, CycleReport):
            hint = (
                ": compare the reports as built, and publish the comparison with "
                "publish_comparison, which suppresses what each council's report hides"
                if isinstance(report, PublishedCycleReport)
                else ""
            )
            raise CycleReportError(
                f"{called} compares cycle reports (build_cycle_report's); item {index} is "
                f"a {type(report).__name__}{hint}"
            )
        found.append(report)
    return found


def compare_authorities(reports: Iterable[CycleReport]) -> CrossAuthorityComparison:
    """Councils' cycle reports side by side: each report's period audits by ILACS judgement.

    Each council's grades are mapped to ILACS through its own scale's crosswalk, so councils
    with different scales (Bolton's "Meets good", a RAG rating) are compared on one.
    :class:`~qaframework.engine.report.errors.CycleReportError` when an item is not a
    :class:`CycleReport` (a published report included: compare first, then publish with
    :func:`publish_comparison`).
    """
    return _compared(_reports(reports, "compare_authorities"))


def _compared(reports: list[CycleReport]) -> CrossAuthorityComparison:
    """:func:`compare_authorities` of reports already checked."""
    rows = []
    for report in reports:
        counts = [0] * len(_ILACS)
        column_totals = report.overall.table.column_totals
        for column, count in zip(_ilacs_columns(report), column_totals, strict=True):
            counts[column] += count
        confidence = report.good_or_better.confidence
        rows.append(
            AuthorityRow(
                report.profile_id,
                report.authority,
                report.profile_version,
                report.period,
                report.audits,
                tuple(counts),
                report.good_or_better,
                Share.of(counts[0] + counts[1], report.audits, confidence),
            )
        )
    return CrossAuthorityComparison(tuple(rows))


def publish_comparison(
    reports: Iterable[CycleReport], policy: SuppressionPolicy | None = None
) -> PublishedComparison:
    """:func:`compare_authorities` as it may be published with each council's own report.

    A council's ILACS count is suppressed wherever a grade it sums is suppressed in that
    council's published report (so the comparison never reveals what the report hides),
    then the comparison table is protected as any other (see
    :mod:`qaframework.engine.suppression`). A council's own-threshold share is published when its
    good-or-better grades make up whole ILACS columns that are published. ``reports`` are
    the cycle reports as built (any iterable, read once), not their comparison.
    """
    reports = _reports(reports, "publish_comparison")
    chosen = policy if policy is not None else SuppressionPolicy()
    comparison = _compared(reports)
    forced: list[tuple[int, Position]] = []
    if chosen.enabled:
        for row, report in enumerate(reports):
            published = report.publishable(chosen).overall.table
            for column, shown in zip(_ilacs_columns(report), published.column_totals, strict=True):
                if shown is None:
                    forced.append((row, Position(row, column)))
            if published.total is None:
                forced.append((row, Position(row, None)))
    forced_here = [(0, position) for _, position in forced]
    (table,) = suppress_linked((comparison.table(),), (), chosen, forced=forced_here)
    shares: list[Share | None] = []
    ilacs_shares: list[Share | None] = []
    for row, (report, council) in enumerate(zip(reports, comparison.councils, strict=True)):
        confidence = council.good_or_better.confidence
        ilacs_shares.append(_share_of(table, row, [0, 1], confidence))
        columns = _ilacs_columns(report)
        good = {c for c, g in zip(columns, report.grades, strict=True) if g.good_or_better}
        rest = {c for c, g in zip(columns, report.grades, strict=True) if not g.good_or_better}
        shares.append(_share_of(table, row, sorted(good), confidence) if not good & rest else None)
    return PublishedComparison(
        chosen,
        tuple(c.period for c in comparison.councils),
        table,
        tuple(shares),
        tuple(ilacs_shares),
    )
