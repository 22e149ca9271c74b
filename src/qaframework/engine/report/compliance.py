"""Compliance by checklist item, and grades on the other scales, in a cycle report.

Beside graded judgements an activity may ask yes / no / not applicable questions (a
compliance checklist) and grade its audits on other scales (an impact rating beside the
grade). The report counts both over the period's audits: :class:`ComplianceSummary` has one
row per activity and item (yes, no, not applicable, not answered), each with its compliance
(yes among the yes and no answers) and a Wilson interval; :class:`ScaleSummary` one row per
activity graded on a scale (each grade of the scale, and not rated), with the share good or
better on that scale. Each row of either adds up to the activity's audits in the period, so
the tables are published with the report's other tables as one system
(:func:`links_to_activities`), small counts suppressed and every figure that would reveal one
withheld (:func:`publish_compliance`, :func:`publish_scale`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import attrs

from qaframework.engine.audits import Audit
from qaframework.engine.report.errors import CycleReportError
from qaframework.engine.report.intervals import Share
from qaframework.engine.report.model import ReportGrade
from qaframework.engine.suppression import CountTable, Position, SuppressedTable
from qaframework.policy.checklists import ChecklistAnswer
from qaframework.policy.grades import GradeScale
from qaframework.policy.profile import Profile

__all__ = [
    "ANSWER_COLUMNS",
    "NOT_RATED",
    "ComplianceSummary",
    "PublishedCompliance",
    "PublishedScale",
    "ScaleSummary",
    "compliance_summary",
    "links_to_activities",
    "publish_compliance",
    "publish_scale",
    "scale_summaries",
]

ANSWER_COLUMNS = (*(answer.value for answer in ChecklistAnswer), "not_answered")
"""The compliance table's columns: each answer, then the audits that gave none."""
_ANSWER_LABELS = (*(answer.label for answer in ChecklistAnswer), "Not answered")
NOT_RATED = "not_rated"
"""The last column of a scale's table: the activity's audits with no grade on the scale."""


@attrs.frozen
class ComplianceSummary:
    """The period's answers to the compliance checklists, by activity and item.

    ``table`` has a row per activity and item (key ``activity.item``) and the columns
    :data:`ANSWER_COLUMNS`; each row adds up to the activity's audits in the period.
    ``activities`` and ``items`` give each row's activity and item ids; ``compliance`` is
    each row's share answered yes among those answered yes or no.
    """

    table: CountTable
    activities: tuple[str, ...]
    items: tuple[str, ...]
    compliance: tuple[Share, ...]


@attrs.frozen
class ScaleSummary:
    """The period's grades on one of the profile's other scales, by activity.

    ``table`` has a row per activity graded on the scale, a column per grade of the scale
    (best first) and a last column :data:`NOT_RATED`; each row adds up to the activity's
    audits in the period. ``good_or_better`` is each row's share good or better on the
    scale among the audits graded on it, ``overall`` that of all rows.
    """

    scale: str
    name: str
    grades: tuple[ReportGrade, ...]
    table: CountTable
    good_or_better: tuple[Share, ...]
    overall: Share


@attrs.frozen
class PublishedCompliance:
    """A :class:`ComplianceSummary` as published: counts None where suppressed, and each
    item's compliance None where it would reveal one. ``recorded`` is False when the export
    carries no checklist answers: every figure is then None, not recorded rather than
    suppressed."""

    table: SuppressedTable
    activities: tuple[str, ...]
    items: tuple[str, ...]
    compliance: tuple[Share | None, ...]
    recorded: bool = True


@attrs.frozen
class PublishedScale:
    """A :class:`ScaleSummary` as published: counts None where suppressed, shares None where
    they would reveal one."""

    scale: str
    name: str
    grades: tuple[ReportGrade, ...]
    table: SuppressedTable
    good_or_better: tuple[Share | None, ...]
    overall: Share | None


def _activity_name(versions: Sequence[Profile], activity: str) -> str:
    for profile in versions:
        found = profile._lookup["activities"].get(activity)
        if found is not None:
            return str(found.name)
    return activity


def compliance_summary(
    audits: Iterable[Audit],
    audit_counts: Mapping[str, int],
    versions: Sequence[Profile],
    confidence: float,
) -> ComplianceSummary:
    """Count the answers of the period's ``audits`` (``audit_counts``: each activity's
    audits in the period). ``versions`` come reporting version first: its activities' items
    are the rows, in its order, then any other item answered."""
    answers: Counter[tuple[str, str, str]] = Counter()
    for audit in audits:
        if audit.checklist:
            # One answer per item and audit (the last, should an unchecked audit give two).
            latest = {given.item: given.answer for given in audit.checklist}
            for item_id, answer in latest.items():
                answers[(audit.activity, item_id, answer.value)] += 1
    rows: dict[tuple[str, str], str] = {}
    for profile in versions[:1]:
        for activity in profile.activities:
            for item in activity.checklist:
                rows[(activity.id, item.id)] = f"{activity.name}: {item.question}"
    for activity_id, item_id, _answer in sorted(answers):
        if (activity_id, item_id) not in rows:
            rows[(activity_id, item_id)] = _item_label(versions, activity_id, item_id)
    counts = []
    for activity_id, item_id in rows:
        given = [answers.get((activity_id, item_id, value), 0) for value in ANSWER_COLUMNS[:-1]]
        counts.append((*given, audit_counts.get(activity_id, 0) - sum(given)))
    table = CountTable(
        "Compliance checklists: answers by item",
        "Checklist item",
        tuple(f"{a}.{i}" for a, i in rows),
        tuple(rows.values()),
        ANSWER_COLUMNS,
        _ANSWER_LABELS,
        tuple(counts),
    )
    return ComplianceSummary(
        table,
        tuple(a for a, _i in rows),
        tuple(i for _a, i in rows),
        tuple(Share.of(row[0], row[0] + row[1], confidence) for row in counts),
    )


def _item_label(versions: Sequence[Profile], activity_id: str, item_id: str) -> str:
    for profile in versions:
        activity = profile._lookup["activities"].get(activity_id)
        item = activity.checklist_item(item_id) if activity is not None else None
        if activity is not None and item is not None:
            return f"{activity.name}: {item.question}"
    return f"{_activity_name(versions, activity_id)}: {item_id}"


def _scale_of(versions: Sequence[Profile], scale_id: str) -> GradeScale:
    for profile in versions:
        found = profile._lookup["scales"].get(scale_id)
        if found is not None:
            scale: GradeScale = found
            return scale
    raise CycleReportError(f"no version of the profile has a grade scale {scale_id!r}")


def scale_summaries(
    audits: Iterable[Audit],
    audit_counts: Mapping[str, int],
    versions: Sequence[Profile],
    confidence: float,
) -> tuple[ScaleSummary, ...]:
    """Count the grades of the period's ``audits`` on each other scale: the reporting
    version's scales first (``versions`` come reporting version first), then any other a
    grade was given on, each read as the first version that has it defines it."""
    rated: Counter[tuple[str, str, str]] = Counter()
    for audit in audits:
        if audit.ratings:
            for scale_id, grade in {rating.scale: rating.grade for rating in audit.ratings}.items():
                rated[(scale_id, audit.activity, grade)] += 1
    scales = [scale.id for scale in versions[0].scales] if versions else []
    for scale_id, _activity, _grade in sorted(rated):
        if scale_id not in scales:
            scales.append(scale_id)
    summaries = []
    for scale_id in scales:
        scale = _scale_of(versions, scale_id)
        rows = [a.id for a in versions[0].activities if scale_id in a.scales] if versions else []
        for key_scale, activity_id, grade in sorted(rated):
            if key_scale == scale_id and activity_id not in rows:
                rows.append(activity_id)
            if key_scale == scale_id and grade not in scale:
                raise CycleReportError(
                    f"a grade {grade!r} on scale {scale_id!r} is not one of its grades "
                    f"({', '.join(scale.codes)})"
                )
        grades = tuple(
            ReportGrade(g.code, g.label, g.ilacs, scale.is_good_or_better(g.code)) for g in scale
        )
        counts = []
        for activity_id in rows:
            given = [rated.get((scale_id, activity_id, g.code), 0) for g in grades]
            counts.append((*given, audit_counts.get(activity_id, 0) - sum(given)))
        table = CountTable(
            f"Grades on {scale.name}, by activity",
            "Activity",
            tuple(rows),
            tuple(_activity_name(versions, a) for a in rows),
            (*(g.code for g in grades), NOT_RATED),
            (*(g.label for g in grades), "Not rated"),
            tuple(counts),
        )
        good = [i for i, g in enumerate(grades) if g.good_or_better]
        columns = table.column_totals if rows else tuple(0 for _ in table.column_keys)
        summaries.append(
            ScaleSummary(
                scale.id,
                scale.name,
                grades,
                table,
                tuple(_good_share(row, len(grades), good, confidence) for row in counts),
                _good_share(columns, len(grades), good, confidence),
            )
        )
    return tuple(summaries)


def _good_share(values: Sequence[int], grades: int, good: Sequence[int], level: float) -> Share:
    """The share good or better of a row's graded audits (its not rated column left out)."""
    graded = values[:grades]
    return Share.of(sum(graded[i] for i in good), sum(graded), level)


def links_to_activities(
    activities: Sequence[str],
    by_activity: Sequence[str | None],
    table: int,
    activity_table: int,
) -> list[list[tuple[int, Position]]]:
    """The links that say each row of ``table`` (one per activity in ``activities``) adds
    up to that activity's audits, the row total of its row of ``activity_table`` (whose row
    keys are ``by_activity``): one group per activity with audits."""
    groups: dict[str, list[tuple[int, Position]]] = {}
    rows = {key: index for index, key in enumerate(by_activity)}
    for row, activity in enumerate(activities):
        if activity not in rows:
            continue  # an activity with no audits in the period: a row of zeros
        group = groups.setdefault(activity, [(activity_table, Position(rows[activity], None))])
        group.append((table, Position(row, None)))
    return list(groups.values())


def _part_share(
    table: SuppressedTable, row: int | None, count: Sequence[int], rest: Sequence[int], level: float
) -> Share | None:
    """The share ``count`` of ``count`` and ``rest`` (columns) in a row (None: the column
    totals), when both can be worked out from the table and neither is small."""

    def part(columns: Sequence[int]) -> int | None:
        if row is not None:
            return table.sum_of(Position(row, c) for c in columns)
        shown = [table.column_totals[c] for c in columns]
        if any(value is None for value in shown):
            return None
        value = sum(v or 0 for v in shown)
        if table.threshold is not None and 1 <= value <= table.threshold:
            return None
        return value

    numerator, remainder = part(count), part(rest)
    if numerator is None or remainder is None:
        return None
    return Share.of(numerator, numerator + remainder, level)


def publish_compliance(
    summary: ComplianceSummary, table: SuppressedTable, confidence: float, *, recorded: bool
) -> PublishedCompliance:
    """The compliance summary as published from its suppressed ``table``: an item's
    compliance where its yes and no counts can both be worked out and neither is small."""
    if not recorded:
        return PublishedCompliance(
            table,
            summary.activities,
            summary.items,
            tuple(None for _ in summary.items),
            recorded=False,
        )
    return PublishedCompliance(
        table,
        summary.activities,
        summary.items,
        tuple(_part_share(table, row, (0,), (1,), confidence) for row in range(len(summary.items))),
    )


def publish_scale(
    summary: ScaleSummary, table: SuppressedTable, confidence: float
) -> PublishedScale:
    """A scale's summary as published from its suppressed ``table``."""
    grades = len(summary.grades)
    good = [i for i, g in enumerate(summary.grades) if g.good_or_better]
    below = [i for i in range(grades) if i not in good]
    return PublishedScale(
        summary.scale,
        summary.name,
        summary.grades,
        table,
        tuple(
            _part_share(table, row, good, below, confidence) for row in range(len(table.row_keys))
        ),
        _part_share(table, None, good, below, confidence),
    )
