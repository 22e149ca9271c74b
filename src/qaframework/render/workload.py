"""Writing a :class:`~qaframework.engine.workload.WorkloadPlan`: Markdown, HTML, CSV, JSON and XLSX.

An adapter at the edge: it formats a plan the core has computed and writes files; it
computes nothing. Unknown counts and hours are written as "unknown" (CSV, XLSX and JSON
leave them empty or null), never as 0. The CSV holds one row per line; the totals per role
and for the council are in the Markdown, JSON and XLSX outputs (and the command's table).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from qaframework.engine.workload import UnitCount, WorkloadLine, WorkloadPlan, WorkloadTotal, plural
from qaframework.profiles.converter import to_dict
from qaframework.render.cells import csv_writer, xlsx_value

__all__ = [
    "LINE_COLUMNS",
    "describe_counts",
    "governed",
    "number",
    "plan_csv",
    "plan_html",
    "plan_json",
    "plan_markdown",
    "write_plan_xlsx",
]

UNKNOWN = "unknown"
_ONE_DAY = timedelta(days=1)

LINE_COLUMNS = (
    "version",
    "source",
    "id",
    "name",
    "kind",
    "role",
    "role_title",
    "headcount",
    "unit",
    "count",
    "count_per_person",
    "hours_each",
    "hours",
    "hours_per_person",
    "effort",
    "basis",
)
"""The CSV's and the XLSX "Lines" sheet's columns, the fields of a
:class:`~qaframework.engine.workload.WorkloadLine`."""

_NOTE = (
    "Hours are known only where the profile states the effort an activity takes; elsewhere "
    "they are unknown, never 0. Counts are per year (over the days each version governs); "
    "fractions are averages."
)


def number(value: float | None, unknown: str = UNKNOWN) -> str:
    """A count or hours for reading: whole numbers plain, others to one decimal place."""
    if value is None:
        return unknown
    rounded = round(value, 1)
    return str(int(rounded)) if float(rounded).is_integer() else f"{rounded:.1f}"


def describe_counts(counts: Iterable[UnitCount], *, per_person: bool = False) -> str:
    """ "468 audits; 468 observations" (a "+" marks a total some lines could not count)."""
    parts = []
    for entry in counts:
        value = entry.per_person if per_person else entry.count
        if value is None and (per_person or entry.complete):
            continue
        mark = "" if entry.complete else "+"
        parts.append(f"{number(value, '?')}{mark} {plural(entry.unit, value)}")
    return "; ".join(parts) or "-"


def _hours(total: WorkloadTotal, *, per_person: bool = False) -> str:
    value = total.hours_per_person if per_person else total.hours
    if value is None:
        return UNKNOWN
    if total.lines_without_hours:
        return f"{number(value)} + unknown"
    return number(value)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def governed(plan: WorkloadPlan) -> str:
    """Which version governs which days of the plan's year, and the days none does."""
    parts = []
    expected = plan.start
    for span in plan.versions:
        if span.first > expected:
            parts.append(f"no version in force {_day(expected)} to {_day(span.first - _ONE_DAY)}")
        parts.append(f"{span.version} {_day(span.first)} to {_day(span.last)}")
        expected = span.last + _ONE_DAY
    if expected <= plan.end:
        parts.append(f"no version in force {_day(expected)} to {_day(plan.end)}")
    return "; ".join(parts)


def plan_json(plan: WorkloadPlan) -> str:
    """The plan as JSON (``qaframework.to_dict``; ``from_dict`` reads it back)."""
    return json.dumps(to_dict(plan), indent=2, ensure_ascii=False) + "\n"


def _line_values(plan: WorkloadPlan) -> list[list[Any]]:
    return [[getattr(line, column) for column in LINE_COLUMNS] for line in plan.lines]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def plan_csv(plan: WorkloadPlan) -> str:
    """One row per line; unknown values are empty cells, whole numbers without a decimal
    point."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(LINE_COLUMNS)
    for row in _line_values(plan):
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_ROLE_HEADINGS = ("Role", "Headcount", "Owed in the year", "Each person", "Hours", "Hours each")
_LINE_HEADINGS = (
    "Activity",
    "Role",
    "Count",
    "Each person",
    "Hours each",
    "Hours",
    "How counted",
)


def _role_cells(total: WorkloadTotal, title: str) -> tuple[str, ...]:
    """A role's (or the council's) totals for reading, under ``_ROLE_HEADINGS``."""
    return (
        title,
        number(total.headcount, ""),
        describe_counts(total.counts),
        describe_counts(total.counts, per_person=True),
        _hours(total),
        _hours(total, per_person=True),
    )


def _line_cells(line: WorkloadLine) -> tuple[str, ...]:
    """One line of the plan for reading, under ``_LINE_HEADINGS``."""
    return (
        line.name,
        line.role_title or "not assigned to a role",
        f"{number(line.count)} {plural(line.unit, line.count)}",
        number(line.count_per_person),
        number(line.hours_each),
        number(line.hours),
        line.basis,
    )


def _markdown_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def plan_markdown(plan: WorkloadPlan) -> str:
    """The plan for reading: totals per role and for the council, the lines, what is not
    counted."""
    out = [
        f"# {plan.authority}: QA workload plan {plan.year}",
        "",
        f"{_day(plan.start)} to {_day(plan.end)}: {governed(plan)}.",
        "",
        _NOTE,
        "",
        "## By role",
        "",
        _markdown_row(_ROLE_HEADINGS),
        "|---|---:|---|---|---:|---:|",
    ]
    for total in (*plan.roles, plan.total):
        title = total.title if total is not plan.total else f"**{total.title} (all)**"
        out.append(_markdown_row(_role_cells(total, title)))
    out += [
        "",
        "## By activity",
        "",
        _markdown_row(_LINE_HEADINGS),
        "|---|---|---:|---:|---:|---:|---|",
    ]
    out += [_markdown_row(_line_cells(line)) for line in plan.lines]
    if plan.not_counted:
        out += ["", "## Not counted", ""]
        out += [f"- {item.name} ({item.source}): {item.reason}" for item in plan.not_counted]
    return "\n".join(out) + "\n"


def write_plan_xlsx(plan: WorkloadPlan, target: str | os.PathLike[str]) -> None:
    """A workbook with sheets "Roles" (totals), "Lines" and "Not counted".

    Written in openpyxl's write-only mode, a row at a time, every text cell made safe as
    :func:`~qaframework.render.cells.xlsx_value` says.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def heading(sheet: Any, values: Iterable[Any], font: Font = bold) -> list[Any]:
        cells = [xlsx_value(sheet, value, always=True) for value in values]
        for cell in cells:
            cell.font = font
        return cells

    def plain(sheet: Any, values: Iterable[Any]) -> list[Any]:
        return [xlsx_value(sheet, value) for value in values]

    roles = book.create_sheet("Roles")
    roles.append(
        heading(
            roles, [f"{plan.authority}: QA workload plan {plan.year}"], Font(bold=True, size=13)
        )
    )
    roles.append(plain(roles, [governed(plan)]))
    roles.append(plain(roles, [_NOTE]))
    roles.append([])
    roles.append(
        heading(
            roles,
            [
                "Role",
                "Headcount",
                "Owed in the year",
                "Each person",
                "Hours (known)",
                "Hours each (known)",
                "Lines without hours",
            ],
        )
    )
    for total in (*plan.roles, plan.total):
        roles.append(
            plain(
                roles,
                [
                    total.title if total is not plan.total else f"{total.title} (all)",
                    total.headcount,
                    describe_counts(total.counts),
                    describe_counts(total.counts, per_person=True),
                    total.hours,
                    total.hours_per_person,
                    total.lines_without_hours,
                ],
            )
        )
    lines = book.create_sheet("Lines")
    lines.append(heading(lines, LINE_COLUMNS))
    for row in _line_values(plan):
        lines.append(plain(lines, row))
    skipped = book.create_sheet("Not counted")
    skipped.append(heading(skipped, ["source", "id", "name", "reason"]))
    for item in plan.not_counted:
        skipped.append(plain(skipped, [item.source, item.id, item.name, item.reason]))
    book.save(os.fspath(target))


def plan_html(plan: WorkloadPlan) -> str:
    """The plan as one self-contained HTML page: the Markdown output's sections, laid out
    by the same renderer (and stylesheet) as the cycle reports."""
    from qaframework.render._document import Bullets, Column, Document, Heading, Paragraph, Table
    from qaframework.render._html import html_page

    roles = Table(
        key="roles",
        caption="What each role owes in the year",
        columns=tuple(Column(title) for title in _ROLE_HEADINGS),
        rows=tuple(
            _role_cells(total, total.title if total is not plan.total else f"{total.title} (all)")
            for total in (*plan.roles, plan.total)
        ),
        total_row=True,
    )
    lines = Table(
        key="lines",
        caption="Each activity, counted",
        columns=tuple(Column(title) for title in _LINE_HEADINGS),
        rows=tuple(_line_cells(line) for line in plan.lines),
    )
    blocks: list[Heading | Paragraph | Table | Bullets] = [
        Paragraph(f"{_day(plan.start)} to {_day(plan.end)}: {governed(plan)}."),
        Paragraph(_NOTE),
        Heading("By role"),
        roles,
        Heading("By activity"),
        lines,
    ]
    if plan.not_counted:
        blocks += [
            Heading("Not counted"),
            Bullets(
                "Not counted, and why",
                tuple(f"{item.name} ({item.source}): {item.reason}" for item in plan.not_counted),
            ),
        ]
    document = Document(
        title=f"{plan.authority}: QA workload plan {plan.year}",
        dated=plan.start,
        blocks=tuple(blocks),
        notes=(
            ("Financial year", f"{plan.year}: {_day(plan.start)} to {_day(plan.end)}"),
            ("Versions", governed(plan)),
            ("Hours", _NOTE),
        ),
        marker="c",
    )
    return html_page(document, {})
