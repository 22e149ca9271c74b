"""Loading councils' exports: audits, case lists and activity logs, from CSV, XLSX, JSON
and JSON Lines, with nothing dropped or coerced silently.

The edge between the files a QA team has and the pure core. Each loader returns what it
accepted *and* what it rejected, each rejection naming the file, row, column, value and
reason, and ``rows_read == len(accepted) + len(rejected)`` always:

- :func:`load_audits` reads audits through a column mapping (:mod:`~qaframework.io.mapping`,
  whose docstring gives the mapping file format), checking each row against the profile
  version in force on its audit date, with their actions from repeated columns or a file
  of actions (:class:`ActionsMapping`); the load says which kinds of data the export
  carries (:data:`RECORD_KINDS`) and warns of mapped columns it lacks;
  :func:`write_audits` writes audits back out; :func:`load_audit_frames` loads the same
  export, checked the same way, straight into the frames of ``load.to_polars()``.
- :func:`load_cases` reads a case list (Annex A style) into
  :class:`~qaframework.policy.sampling.Case`\\ s.
- :func:`load_activity_log` reads a log of completed QA activities into
  :class:`ActivityLogEntry` records for the obligations engine.
- :func:`open_rows` reads any export's rows uniformly, numbered as the user sees them;
  :func:`open_export` each of a workbook's worksheets a load is to read.

Whatever the file holds, nothing crashes, hangs or is lost: a file that cannot be read is
an :class:`ExportError` (only regular files, under a size limit), every other fault a
rejected row naming its row and column (see ``docs/reliability.md``).

How each cell is read (dates, yes/no flags, ids, text) is stated in
:mod:`~qaframework.io.values`. msgspec, openpyxl and cattrs are imported only when a load
needs them.
"""

from __future__ import annotations

from qaframework.io.activity_log import ActivityLogEntry, ActivityLogLoad, load_activity_log
from qaframework.io.audit_frames import AuditFrameLoad, load_audit_frames
from qaframework.io.audits import RECORD_KINDS, AuditLoad, load_audits, write_audits
from qaframework.io.cases import CaseLoad, load_cases
from qaframework.io.errors import ExportError, MappingError, RejectedRows
from qaframework.io.mapping import (
    DEFAULT_ACTIONS_MAPPING,
    DEFAULT_ACTIVITY_LOG_MAPPING,
    DEFAULT_AUDIT_MAPPING,
    DEFAULT_CASE_MAPPING,
    ActionsMapping,
    ActivityLogMapping,
    AuditMapping,
    CaseMapping,
)
from qaframework.io.rejections import Rejection, RowProblem
from qaframework.io.rows import FORMATS, Export, ExportRows, RawRow, open_export, open_rows

__all__ = [
    "DEFAULT_ACTIONS_MAPPING",
    "DEFAULT_ACTIVITY_LOG_MAPPING",
    "DEFAULT_AUDIT_MAPPING",
    "DEFAULT_CASE_MAPPING",
    "FORMATS",
    "RECORD_KINDS",
    "ActionsMapping",
    "ActivityLogEntry",
    "ActivityLogLoad",
    "ActivityLogMapping",
    "AuditFrameLoad",
    "AuditLoad",
    "AuditMapping",
    "CaseLoad",
    "CaseMapping",
    "Export",
    "ExportError",
    "ExportRows",
    "MappingError",
    "RawRow",
    "RejectedRows",
    "Rejection",
    "RowProblem",
    "load_activity_log",
    "load_audit_frames",
    "load_audits",
    "load_cases",
    "open_export",
    "open_rows",
    "write_audits",
]
