"""The checks of published outputs the hostile-input corpus (``hostile_corpus.py``) runs.

Each check is given the files a ``qaframework report`` wrote for publication (the published
report in every format; the child-level files are left out) and the child ids the loaded
export holds, and returns how many problems it found:

- :func:`child_ids_in_published` counts child ids found in published outputs, written any
  way (lower case, ``B1/B2``, ``B1-A``, ``B 1``, with a zero-width space ...), with
  :func:`qaframework.testing.disclosure.child_ids_in`;
- :func:`recoverable_suppressed_cells` counts suppressed cells a reader can solve exactly
  from the published tables: the report's JSON is read back into a
  :class:`~qaframework.engine.report.PublishedCycleReport` and put to the linear-program
  disclosure audit (:func:`qaframework.testing.disclosure.audit_report`, HiGHS).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            return "\n".join(
                str(value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
        finally:
            workbook.close()
    return path.read_text(encoding="utf-8", errors="replace")


def child_ids_in_published(published: Sequence[Path], child_ids: Sequence[str]) -> int | None:
    """How many (file, child id) pairs: a child's id found in a published output."""
    from qaframework.testing.disclosure import child_ids_in

    return sum(len(child_ids_in(_text(path), child_ids)) for path in published)


def recoverable_suppressed_cells(published: Sequence[Path], child_ids: Sequence[str]) -> int | None:
    """How many suppressed cells of the published report have a single feasible value.
    None when no published report (JSON) was written to check."""
    from qaframework import from_dict
    from qaframework.engine.report import PublishedCycleReport
    from qaframework.testing.disclosure import audit_report

    reports = [p for p in published if p.suffix == ".json"]
    if not reports:
        return None
    found = 0
    for path in reports:
        report = from_dict(PublishedCycleReport, json.loads(path.read_text(encoding="utf-8")))
        found += len(audit_report(report).disclosed)
    return found
