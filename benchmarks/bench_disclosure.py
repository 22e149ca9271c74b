"""Small-number suppression on the four demos: how much is hidden, and can any of it be solved?

For each bundled council, the demo's cycle (``qaframework.demo.run_cycle``) is published
with the default policy (counts 1 to 5 shown as ``c``) and two things are measured:

- how many numbers each table of the published report shows as ``c`` (the tables every
  release of the report has had: activities, grades overall, by standard, team, service
  area, the trend, the moderation matrix, escalations by rule, actions by team), counted
  on the period's audits alone, so that the figures compare across releases whatever data
  the demo's trend holds, and again on the demo's whole report (its trend included);
- the disclosure audit (``qaframework.testing.disclosure.audit_report``, HiGHS through
  ``highspy``, a development dependency): how many hidden numbers a reader could solve for
  exactly, and how tightly the rest are bounded.

    python benchmarks/bench_disclosure.py
"""

from __future__ import annotations

import math
from typing import Any

from qaframework.demo import EXAMPLE_COUNCILS, run_cycle
from qaframework.engine.report import build_cycle_report
from qaframework.profiles.registry import profile_resolver
from qaframework.testing.disclosure import audit_report

TABLES = (
    ("activities", lambda p: p.by_activity),
    ("overall", lambda p: p.overall.table),
    ("standards", lambda p: p.by_standard.table),
    ("teams", lambda p: p.by_team.table),
    ("areas", lambda p: p.by_service_area.table),
    ("trend", lambda p: p.trend.table),
    ("moderation", lambda p: p.moderation.matrix),
    ("escalations", lambda p: p.escalations.by_rule),
    ("actions", lambda p: p.actions.by_team),
)


def hidden(table: Any) -> int:
    """The numbers of a published table shown as ``c``, each once (a table of one row or
    one column repeats its cells as totals)."""
    rows, columns = len(table.row_keys), len(table.column_keys)
    numbers = [cell for row in table.cells for cell in row]
    if columns != 1:
        numbers.extend(table.row_totals)
    if rows != 1:
        numbers.extend(table.column_totals)
    if rows != 1 and columns != 1:
        numbers.append(table.total)
    return sum(n is None for n in numbers)


def measure(published: Any, pairs: Any = None) -> tuple[list[int], Any]:
    counts = [hidden(get(published)) for _name, get in TABLES]
    found = audit_report(published, team_areas=pairs) if pairs is not None else None
    return counts, found


def main() -> None:
    header = ["council", "view", *(name for name, _ in TABLES), "total", "disclosed", "tightest"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    grand = {"period": 0, "demo": 0}
    for council in EXAMPLE_COUNCILS:
        cycle = run_cycle(council)
        period = cycle.period
        audits = cycle.moderation.audits
        alone = build_cycle_report(
            audits,
            profile_resolver(council),
            period,
            as_of=cycle.as_of,
            escalations=cycle.escalations.raised,
        )
        in_period = [a for a in audits if period.start <= a.audit_date <= cycle.as_of]
        pairs = sorted(
            {(a.team, a.service_area) for a in in_period if a.overall_grade is not None},
            key=str,
        )
        published = alone.publishable()
        if getattr(published, "team_areas", ()):
            pairs = None  # the report says how its teams nest
        for view, report in (("period", published), ("demo", cycle.report.publishable())):
            counts, found = measure(report, pairs if view == "period" else None)
            if found is None:
                found = audit_report(report)
            grand[view] += sum(counts)
            widths = [i.high - i.low for i in found.intervals]
            tightest = min(widths) if widths else math.inf
            print(
                " | ".join(
                    [
                        council,
                        view,
                        *map(str, counts),
                        str(sum(counts)),
                        str(len(found.disclosed)),
                        "none" if tightest == math.inf else f"{tightest:g}",
                    ]
                )
            )
    print(f"\nHidden numbers, four councils: period {grand['period']}, demo {grand['demo']}")


if __name__ == "__main__":
    main()
