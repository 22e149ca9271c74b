"""Column mappings: which column of a council's export holds each field.

A Liquidlogic or Mosaic report, or a QA team's Excel tracker, names its columns its own way.
A mapping says which column holds each field of an :class:`~qaframework.engine.audits.Audit` (or
of a case list's :class:`~qaframework.policy.sampling.Case`, or of an activity log's
:class:`~qaframework.io.activity_log.ActivityLogEntry`), so the export loads as it is. A
mapping is a TOML or JSON file, or the same structure as a dict; a complete, commented
example is ``tests/data/exports/liquidlogic-audits.mapping.toml``. For audits::

    sheet = "Audits"                     # XLSX: the sheet to read (the first when left out)
    encoding = "cp1252"                  # CSV: the text encoding (UTF-8 when left out)
    delimiter = ";"                      # CSV: the separator (a comma when left out)
    judgement_pattern = "{standard} {part}"   # columns for every standard, see below
    checklist_pattern = "Checklist {item}"    # columns for every checklist item
    rating_pattern = "{scale} Rating"         # columns for every other grade scale

    [columns]                            # field = "the export's column"
    id = "Audit Ref"                     # required
    child_id = "Person ID"               # required
    audit_date = "Date Completed"        # required
    auditor = "Completed By"             # required
    auditor_role = "Completed By Role"   # required (or fixed)
    overall_grade = "Overall Judgement"  # required
    activity = "Form Type"               # required (or fixed)
    cycle = "Cycle"                      # optional, as are the three below
    practitioner = "Allocated Worker"
    team = "Allocated Team"
    service_area = "Service"

    [fixed]                              # a value for every row instead of a column
    activity = "quality_case_file_audits"

    [values.activity]                    # the export's wording = a profile activity id
    "Case File Audit (QA)" = "quality_case_file_audits"
    [values.role]                        # the export's wording = a profile role id
    "TM" = "team_manager"

    [judgements.assessment]              # a standard id: its columns (grade required)
    grade = "PS1 Grade"
    rationale = "PS1 Rationale"
    strengths = "PS1 Strengths"
    would_improve = "PS1 What would have made it better"

    [concerns]                           # yes/no columns
    urgent_safety = "Urgent safety concern?"
    health = "Health concern?"

    [feedback]                           # yes/no columns: whose feedback was captured
    child = "Child's views sought"       # also parent_carer, practitioner, partner_agency

    [moderation]                         # one moderation per row, all optional
    moderator = "Moderator"              # moderator, role, grade and date go together
    role = "Moderator Role"
    grade = "Moderated Grade"
    date = "Moderation Date"
    rationale = "Moderation Rationale"
    outcome = "Moderation Outcome"       # agree/upgrade/downgrade; computed when absent

    [actions]                            # the actions an audit set, in repeated groups
    pattern = "Action {n} - {part}"      # the columns of action n = 1, 2, 3 ...
    text = "Action"                      # the export's word for each {part} (optional):
    owner = "Responsible Person"         #   text "Text", owner "Owner", due "Due", id "ID",
    due = "Target Date"                  #   review "Review", status "Status", done "Done",
    done = "Date Completed"              #   verified "Verified" unless given here

    [checklist]                          # a checklist item id: its yes/no/n.a. column
    signatures_present = "Signed by manager?"

    [ratings]                            # another grade scale's id: its grade column
    impact = "Impact on the child"

Rules:

- A mapping states everything it maps; nothing is inherited from the default mapping.
- Column names match the export's header ignoring case and runs of spaces, hyphens and
  underscores (``"Child Unique ID"`` matches ``child_unique_id``). A mapped column the
  export lacks is an error when the field is required and is listed as missing otherwise.
- ``judgement_pattern`` names judgement columns for every standard of the profile not
  mapped under ``[judgements]``: ``{standard}`` is the standard's id, ``{part}`` one of
  ``grade``, ``rationale``, ``strengths``, ``would_improve``. Columns it names that the
  export lacks are simply absent.
- Roles are recognised by the profile's role ids, titles and abbreviations, activities by
  their ids and names, whatever the case; ``[values.role]`` and ``[values.activity]``
  (matched the same way) add the export's own wording and take precedence.
- ``checklist_pattern`` names a column for every checklist item of the profile's
  activities not mapped under ``[checklist]`` (``{item}`` is the item's id), and
  ``rating_pattern`` one for every other grade scale not mapped under ``[ratings]``
  (``{scale}`` is the scale's id); columns they name that the export lacks are simply
  absent. A checklist cell holds yes, no or n/a (empty: not answered); a rating cell a
  grade of that scale, read as grades are (code, label or synonym), left empty on a row
  whose activity is not graded on the scale.
- ``[fixed]`` gives any field but ``id``, ``child_id``, ``audit_date`` and
  ``overall_grade`` one value for every row; it is read like a cell.
- The ``overall_grade`` column is required, but its cell is left empty on a row of an
  activity that does not grade practice (a thematic audit, a dip sample); a row of an
  activity that grades practice with an empty grade is rejected.
- ``[actions]`` reads action ``n`` from the columns ``pattern`` names with ``{n}`` and each
  part's word, for n = 1, 2, 3 ... while such columns exist. ``text``, ``owner`` and ``due``
  are required in a group that has any; a group whose cells are all empty on a row is no
  action. ``status`` is ``open``, ``done`` or ``verified`` in any case, or the export's
  wording given in ``[values.action_status]``; without it an action is verified when it has
  a verified date, done when it has a done date, open otherwise. An action without an id
  is numbered by its group (``"1"``, ``"2"``...). Actions kept in a file of their own, one
  row per action, are read with an :class:`ActionsMapping` and joined to their audits by
  audit id (:func:`~qaframework.io.audits.load_audits`'s ``actions``).
- ``sheet`` is a worksheet's name, a list of names, or ``"all"`` (every sheet holding the
  required columns); rows read from several sheets each remember their sheet.

An actions file (``[columns]``: ``audit_id``, ``text``, ``owner`` and ``due`` required;
``id``, ``review``, ``status``, ``done``, ``verified`` optional; ``[values.status]``) takes
the same form; :data:`DEFAULT_ACTIONS_MAPPING` reads "Audit ID", "Action ID", "Action",
"Action Owner", "Due Date", "Review Date", "Status", "Done Date", "Verified Date".

Case lists (``[columns]``: ``child_id`` required; ``team``, ``worker``, ``service_area``
optional; every other column is kept in :attr:`~qaframework.policy.sampling.Case.fields`) and
activity logs (``[columns]``: ``activity``, ``subject``, ``on`` required, ``role``,
``event`` optional; ``[fixed]`` and ``[values.activity]``, ``[values.role]``,
``[values.event]``) take the same form. :data:`DEFAULT_AUDIT_MAPPING`,
:data:`DEFAULT_CASE_MAPPING` and :data:`DEFAULT_ACTIVITY_LOG_MAPPING` are used when no
mapping is given (Annex A-like column names).
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from qaframework.io.errors import ExportError, MappingError
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.grades import normalise_grade_text
from qaframework.profiles.files import FileRefused, read_regular

__all__ = [
    "ACTION_PARTS",
    "AUDIT_FIELDS",
    "DEFAULT_ACTIONS_MAPPING",
    "DEFAULT_ACTIVITY_LOG_MAPPING",
    "DEFAULT_AUDIT_MAPPING",
    "DEFAULT_CASE_MAPPING",
    "JUDGEMENT_PARTS",
    "MODERATION_PARTS",
    "ActionsMapping",
    "ActivityLogMapping",
    "AuditMapping",
    "CaseMapping",
    "Header",
    "column_key",
]

AUDIT_FIELDS = (
    "id",
    "child_id",
    "activity",
    "cycle",
    "audit_date",
    "auditor",
    "auditor_role",
    "practitioner",
    "team",
    "service_area",
    "overall_grade",
)
"""The audit fields a mapping's ``[columns]`` table may name."""
AUDIT_REQUIRED = (
    "id",
    "child_id",
    "activity",
    "audit_date",
    "auditor",
    "auditor_role",
    "overall_grade",
)
"""The audit fields every row must give."""
_AUDIT_NOT_FIXED = frozenset({"id", "child_id", "audit_date", "overall_grade"})
JUDGEMENT_PARTS = ("grade", "rationale", "strengths", "would_improve")
"""The columns of one standard's judgement."""
MODERATION_PARTS = ("moderator", "role", "grade", "date", "rationale", "outcome")
"""The columns of a row's moderation."""
MODERATION_REQUIRED = ("moderator", "role", "grade", "date")
"""The moderation columns a mapping must give together, and a moderated row must fill."""
ACTION_PARTS = ("id", "text", "owner", "due", "review", "status", "done", "verified")
"""The columns of one action."""
ACTION_REQUIRED = ("text", "owner", "due")
"""The action columns every action needs."""
ACTION_WORDS = {
    "id": "ID",
    "text": "Text",
    "owner": "Owner",
    "due": "Due",
    "review": "Review",
    "status": "Status",
    "done": "Done",
    "verified": "Verified",
}
"""The word an ``[actions]`` pattern puts for each part unless the mapping says another."""
ACTIONS_FILE_FIELDS = ("audit_id", *ACTION_PARTS)
CASE_FIELDS = ("child_id", "team", "worker", "service_area")
LOG_FIELDS = ("activity", "subject", "on", "role", "event")
_LOG_REQUIRED = ("activity", "subject", "on")
_READ_OPTIONS = ("sheet", "encoding", "delimiter")
_STATUSES = ("open", "done", "verified")

M = TypeVar("M", "AuditMapping", "CaseMapping", "ActivityLogMapping", "ActionsMapping")

SheetSpec = str | tuple[str, ...] | None
"""A worksheet's name, several names, ``"all"``, or None for the first."""


def column_key(name: str) -> str:
    """A column name folded for matching: case, and runs of spaces, hyphens and
    underscores, are ignored."""
    return normalise_grade_text(name)


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _frozen_tables(value: Mapping[str, Mapping[str, str]]) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({key: MappingProxyType(dict(table)) for key, table in value.items()})


def _table_field() -> Any:
    return attrs.field(factory=dict, converter=_frozen, hash=False)


def _tables_field() -> Any:
    return attrs.field(factory=dict, converter=_frozen_tables, hash=False)


@attrs.frozen
class AuditMapping:
    """Where an audit export keeps each field (see the module's format and rules).

    ``columns`` maps fields to column names; ``fixed`` gives fields one value for every
    row; ``values`` holds the ``activity`` and ``role`` wording maps; ``judgements`` maps
    standard ids to their ``grade``/``rationale``/``strengths``/``would_improve`` columns;
    ``concerns`` and ``feedback`` map concern and feedback-source values to yes/no columns;
    ``moderation`` maps moderation parts to columns; ``actions`` holds the ``pattern`` of
    the action columns and any part's word; ``checklist`` maps checklist item ids to
    yes/no/n.a. columns and ``ratings`` other grade scales' ids to grade columns, with
    ``checklist_pattern`` and ``rating_pattern`` naming the columns of those not mapped.
    ``source`` names where the mapping came from, for messages.
    """

    columns: Mapping[str, str] = _table_field()
    fixed: Mapping[str, str] = _table_field()
    values: Mapping[str, Mapping[str, str]] = _tables_field()
    judgements: Mapping[str, Mapping[str, str]] = _tables_field()
    judgement_pattern: str | None = None
    concerns: Mapping[str, str] = _table_field()
    feedback: Mapping[str, str] = _table_field()
    moderation: Mapping[str, str] = _table_field()
    actions: Mapping[str, str] = _table_field()
    sheet: SheetSpec = None
    encoding: str | None = None
    delimiter: str | None = None
    source: str = attrs.field(default="mapping", eq=False)
    checklist: Mapping[str, str] = _table_field()
    checklist_pattern: str | None = None
    ratings: Mapping[str, str] = _table_field()
    rating_pattern: str | None = None

    @classmethod
    def parse(cls, document: Mapping[str, Any], source: str = "mapping") -> AuditMapping:
        """A mapping from its document (the parsed file, or a dict of the same form);
        :class:`MappingError` listing every problem."""
        check = _Checker(source)
        check.keys(
            document,
            "",
            (
                "columns",
                "fixed",
                "values",
                "judgements",
                "judgement_pattern",
                "concerns",
                "feedback",
                "moderation",
                "actions",
                "checklist",
                "checklist_pattern",
                "ratings",
                "rating_pattern",
                *_READ_OPTIONS,
            ),
        )
        columns = check.table(document, "columns", AUDIT_FIELDS)
        fixed = check.table(
            document, "fixed", [f for f in AUDIT_FIELDS if f not in _AUDIT_NOT_FIXED]
        )
        for name in sorted(set(columns) & set(fixed)):
            check.problem(f"fixed.{name}", "is also mapped to a column; give one or the other")
        for name in AUDIT_REQUIRED:
            if name not in columns and name not in fixed:
                check.problem(f"columns.{name}", "required: the column holding it")
        values = check.tables(document, "values", ("activity", "role", "action_status"), None)
        check.statuses(values.get("action_status", {}), "values.action_status")
        judgements = check.tables(document, "judgements", None, JUDGEMENT_PARTS)
        for standard, parts in judgements.items():
            if "grade" not in parts:
                check.problem(f"judgements.{standard}.grade", "required: the grade's column")
        pattern = check.text(document, "judgement_pattern")
        if pattern is not None:
            check.pattern(pattern, "judgement_pattern", ("standard", "part"))
        checklist = check.table(document, "checklist", None)
        checklist_pattern = check.text(document, "checklist_pattern")
        if checklist_pattern is not None:
            check.placeholders("checklist_pattern", checklist_pattern, "item")
        ratings = check.table(document, "ratings", None)
        rating_pattern = check.text(document, "rating_pattern")
        if rating_pattern is not None:
            check.placeholders("rating_pattern", rating_pattern, "scale")
        concerns = check.table(document, "concerns", [c.value for c in Concern])
        feedback = check.table(document, "feedback", [f.value for f in FeedbackSource])
        moderation = check.table(document, "moderation", MODERATION_PARTS)
        if moderation:
            for part in MODERATION_REQUIRED:
                if part not in moderation:
                    check.problem(
                        f"moderation.{part}",
                        "required with the other moderation columns "
                        f"({', '.join(MODERATION_REQUIRED)})",
                    )
        actions = check.table(document, "actions", ("pattern", *ACTION_PARTS))
        if actions:
            if "pattern" not in actions:
                check.problem(
                    "actions.pattern", 'required: the action columns, e.g. "Action {n} {part}"'
                )
            else:
                check.pattern(actions["pattern"], "actions.pattern", ("n", "part"))
        options = check.options(document)
        check.done()
        return cls(
            columns=columns,
            fixed=fixed,
            values=values,
            judgements=judgements,
            judgement_pattern=pattern,
            concerns=concerns,
            feedback=feedback,
            moderation=moderation,
            actions=actions,
            source=source,
            sheet=options.sheet,
            encoding=options.encoding,
            delimiter=options.delimiter,
            checklist=checklist,
            checklist_pattern=checklist_pattern,
            ratings=ratings,
            rating_pattern=rating_pattern,
        )


@attrs.frozen
class CaseMapping:
    """Where a case list keeps ``child_id`` (required), ``team``, ``worker`` and
    ``service_area``; every other column is kept in the case's ``fields``."""

    columns: Mapping[str, str] = _table_field()
    sheet: SheetSpec = None
    encoding: str | None = None
    delimiter: str | None = None
    source: str = attrs.field(default="mapping", eq=False)

    @classmethod
    def parse(cls, document: Mapping[str, Any], source: str = "mapping") -> CaseMapping:
        """A case-list mapping from its document; :class:`MappingError` listing every
        problem."""
        check = _Checker(source)
        check.keys(document, "", ("columns", *_READ_OPTIONS))
        columns = check.table(document, "columns", CASE_FIELDS)
        if "child_id" not in columns:
            check.problem("columns.child_id", "required: the column holding the child's id")
        options = check.options(document)
        check.done()
        return cls(
            columns=columns,
            source=source,
            sheet=options.sheet,
            encoding=options.encoding,
            delimiter=options.delimiter,
        )


@attrs.frozen
class ActivityLogMapping:
    """Where an activity log keeps ``activity``, ``subject`` and ``on`` (required), ``role``
    and ``event``; ``fixed`` values and ``values`` wording maps as for audits."""

    columns: Mapping[str, str] = _table_field()
    fixed: Mapping[str, str] = _table_field()
    values: Mapping[str, Mapping[str, str]] = _tables_field()
    sheet: SheetSpec = None
    encoding: str | None = None
    delimiter: str | None = None
    source: str = attrs.field(default="mapping", eq=False)

    @classmethod
    def parse(cls, document: Mapping[str, Any], source: str = "mapping") -> ActivityLogMapping:
        """An activity-log mapping from its document; :class:`MappingError` listing every
        problem."""
        check = _Checker(source)
        check.keys(document, "", ("columns", "fixed", "values", *_READ_OPTIONS))
        columns = check.table(document, "columns", LOG_FIELDS)
        fixed = check.table(document, "fixed", ("activity", "role", "event"))
        for name in sorted(set(columns) & set(fixed)):
            check.problem(f"fixed.{name}", "is also mapped to a column; give one or the other")
        for name in _LOG_REQUIRED:
            if name not in columns and name not in fixed:
                check.problem(f"columns.{name}", "required: the column holding it")
        values = check.tables(document, "values", ("activity", "role", "event"), None)
        options = check.options(document)
        check.done()
        return cls(
            columns=columns,
            fixed=fixed,
            values=values,
            source=source,
            sheet=options.sheet,
            encoding=options.encoding,
            delimiter=options.delimiter,
        )


@attrs.frozen
class ActionsMapping:
    """Where a file of actions, one row per action, keeps the audit id and each part of the
    action (see the module's format); ``values`` holds the ``status`` wording map."""

    columns: Mapping[str, str] = _table_field()
    values: Mapping[str, Mapping[str, str]] = _tables_field()
    sheet: SheetSpec = None
    encoding: str | None = None
    delimiter: str | None = None
    source: str = attrs.field(default="mapping", eq=False)

    @classmethod
    def parse(cls, document: Mapping[str, Any], source: str = "mapping") -> ActionsMapping:
        """An actions-file mapping from its document; :class:`MappingError` listing every
        problem."""
        check = _Checker(source)
        check.keys(document, "", ("columns", "values", *_READ_OPTIONS))
        columns = check.table(document, "columns", ACTIONS_FILE_FIELDS)
        for name in ("audit_id", *ACTION_REQUIRED):
            if name not in columns:
                check.problem(f"columns.{name}", "required: the column holding it")
        values = check.tables(document, "values", ("status",), None)
        check.statuses(values.get("status", {}), "values.status")
        options = check.options(document)
        check.done()
        return cls(
            columns=columns,
            values=values,
            source=source,
            sheet=options.sheet,
            encoding=options.encoding,
            delimiter=options.delimiter,
        )


class _Checker:
    """Reads a mapping document, collecting every problem rather than stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def done(self) -> None:
        if self.problems:
            raise MappingError(self.source, self.problems)

    def keys(self, table: Mapping[str, Any], where: str, allowed: Sequence[str]) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    f"{where}{key}", f"unknown key (expected one of: {', '.join(allowed)})"
                )

    def text(self, document: Mapping[str, Any], key: str) -> str | None:
        value = document.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"must be a non-empty string, not {value!r}")
            return None
        return value

    def table(
        self, document: Mapping[str, Any], key: str, allowed: Sequence[str] | None
    ) -> dict[str, str]:
        value = document.get(key, {})
        return self._strings(value, key, allowed)

    def _strings(self, value: Any, key: str, allowed: Sequence[str] | None) -> dict[str, str]:
        if not isinstance(value, Mapping):
            self.problem(key, f"must be a table, not {value!r}")
            return {}
        found: dict[str, str] = {}
        for name, item in value.items():
            if allowed is not None and name not in allowed:
                self.problem(
                    f"{key}.{name}", f"unknown key (expected one of: {', '.join(allowed)})"
                )
            elif not isinstance(item, str) or not item.strip():
                self.problem(f"{key}.{name}", f"must be a non-empty string, not {item!r}")
            else:
                found[name] = item
        return found

    def tables(
        self,
        document: Mapping[str, Any],
        key: str,
        allowed: Sequence[str] | None,
        inner: Sequence[str] | None,
    ) -> dict[str, dict[str, str]]:
        value = document.get(key, {})
        if not isinstance(value, Mapping):
            self.problem(key, f"must be a table, not {value!r}")
            return {}
        found: dict[str, dict[str, str]] = {}
        for name, table in value.items():
            if allowed is not None and name not in allowed:
                self.problem(
                    f"{key}.{name}", f"unknown key (expected one of: {', '.join(allowed)})"
                )
                continue
            found[name] = self._strings(table, f"{key}.{name}", inner)
        return found

    def pattern(self, pattern: str, key: str, placeholders: tuple[str, str]) -> None:
        try:
            names = {
                name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None
            }
        except ValueError as exc:
            self.problem(key, f"is not a valid pattern: {exc}")
            return
        first, second = placeholders
        if names != {first, second}:
            self.problem(
                key,
                f"must use exactly the placeholders {{{first}}} and {{{second}}}, "
                f'e.g. "{{{first}}} {{{second}}}"',
            )

    def statuses(self, table: Mapping[str, str], key: str) -> None:
        for wording, status in table.items():
            if status not in _STATUSES:
                self.problem(
                    f"{key}.{wording}",
                    f"{status!r} is not an action status (one of: {', '.join(_STATUSES)})",
                )

    def placeholders(self, key: str, pattern: str, name: str) -> None:
        try:
            names = {
                found for _, found, _, _ in string.Formatter().parse(pattern) if found is not None
            }
        except ValueError as exc:
            self.problem(key, f"is not a valid pattern: {exc}")
            return
        if names != {name}:
            self.problem(key, f'must use exactly the placeholder {{{name}}}, e.g. "{{{name}}}"')

    def options(self, document: Mapping[str, Any]) -> _ReadOptions:
        sheet = document.get("sheet")
        sheets: SheetSpec
        if isinstance(sheet, list) and sheet and all(isinstance(n, str) and n for n in sheet):
            sheets = tuple(sheet)
        else:
            sheets = self.text(document, "sheet")
        options = _ReadOptions(
            sheets, self.text(document, "encoding"), self.text(document, "delimiter")
        )
        if options.delimiter is not None and len(options.delimiter) != 1:
            self.problem("delimiter", f"must be a single character, not {options.delimiter!r}")
        return options


@attrs.frozen
class _ReadOptions:
    sheet: SheetSpec
    encoding: str | None
    delimiter: str | None


_MAPPING_LIMIT = 16 * 1024**2  # a mapping is a page of text; a larger file is not one


def read_mapping(kind: type[M], spec: M | Mapping[str, Any] | str | os.PathLike[str]) -> M:
    """A mapping of ``kind`` from an instance, a dict, or a TOML or JSON file's path.

    Raises :class:`MappingError` for an invalid mapping and for a file that cannot be read.
    """
    if isinstance(spec, kind):
        return spec
    if isinstance(spec, Mapping):
        return _parse(kind, spec, "mapping")
    if not isinstance(spec, str | os.PathLike):
        raise MappingError("mapping", [f"expected a mapping, a dict or a file path, not {spec!r}"])
    path = os.fspath(spec)
    try:
        raw = read_regular(path, _MAPPING_LIMIT)
    except FileRefused as exc:
        raise MappingError(path, [str(exc)]) from None
    try:
        text = raw.decode("utf-8-sig")
        if path.lower().endswith(".json"):
            document = json.loads(text)
        else:
            import tomli

            document = tomli.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MappingError(path, [f"cannot be parsed: {exc}"]) from None
    except RecursionError:
        raise MappingError(path, ["cannot be parsed: it is nested too deeply"]) from None
    if not isinstance(document, dict):
        raise MappingError(path, ["a mapping file holds a table (a JSON object)"])
    return _parse(kind, document, path)


def _parse(kind: type[M], document: Mapping[str, Any], source: str) -> M:
    try:
        return kind.parse(document, source)
    except RecursionError:
        raise MappingError(source, ["a value is nested too deeply to read"]) from None


class Header:
    """An export's header, for finding mapped columns by name (see the matching rule)."""

    def __init__(self, file: str, columns: Sequence[str]) -> None:
        self.file = file
        self.columns = tuple(columns)
        self._by_key: dict[str, list[str]] = {}
        for name in self.columns:
            self._by_key.setdefault(column_key(name), []).append(name)
        self.used: set[str] = set()

    def find(self, name: str) -> str | None:
        """The export's column matching a mapped name, None if it has none.

        :class:`ExportError` when several columns match it.
        """
        found = self._by_key.get(column_key(name))
        if not found:
            return None
        if len(found) > 1:
            raise ExportError(
                self.file,
                f"columns {', '.join(repr(c) for c in found)} all match the mapped column "
                f"{name!r}; rename all but one",
            )
        self.used.add(found[0])
        return found[0]


DEFAULT_AUDIT_MAPPING = AuditMapping(
    columns={
        "id": "Audit ID",
        "child_id": "Child Unique ID",
        "activity": "Activity",
        "cycle": "Cycle",
        "audit_date": "Audit Date",
        "auditor": "Auditor",
        "auditor_role": "Auditor Role",
        "practitioner": "Allocated Worker",
        "team": "Allocated Team",
        "service_area": "Service Area",
        "overall_grade": "Overall Grade",
    },
    judgement_pattern="{standard} {part}",
    concerns={"urgent_safety": "Urgent Safety Concern", "health": "Health Concern"},
    feedback={
        "child": "Child Feedback",
        "parent_carer": "Parent/Carer Feedback",
        "practitioner": "Practitioner Feedback",
        "partner_agency": "Partner Agency Feedback",
    },
    moderation={
        "moderator": "Moderator",
        "role": "Moderator Role",
        "grade": "Moderated Grade",
        "date": "Moderation Date",
        "rationale": "Moderation Rationale",
        "outcome": "Moderation Outcome",
    },
    actions={"pattern": "Action {n} {part}"},
    checklist_pattern="Checklist {item}",
    rating_pattern="{scale} Rating",
    source="the default audit mapping",
)
"""Annex A-like column names: "Audit ID", "Child Unique ID", "Activity", "Cycle", "Audit
Date", "Auditor", "Auditor Role", "Allocated Worker", "Allocated Team", "Service Area",
"Overall Grade"; judgements as "<standard id> Grade", "<standard id> Rationale",
"<standard id> Strengths", "<standard id> Would Improve"; "Urgent Safety Concern", "Health
Concern"; "Child Feedback", "Parent/Carer Feedback", "Practitioner Feedback", "Partner Agency
Feedback"; "Moderator", "Moderator Role", "Moderated Grade", "Moderation Date", "Moderation
Rationale", "Moderation Outcome"; checklist answers as "Checklist <item id>"; grades on other
scales as "<scale id> Rating"; actions as "Action 1 Text", "Action 1 Owner", "Action 1
Due", "Action 1 ID", "Action 1 Review", "Action 1 Status", "Action 1 Done", "Action 1
Verified", then "Action 2 ...", and so on."""

DEFAULT_ACTIONS_MAPPING = ActionsMapping(
    columns={
        "audit_id": "Audit ID",
        "id": "Action ID",
        "text": "Action",
        "owner": "Action Owner",
        "due": "Due Date",
        "review": "Review Date",
        "status": "Status",
        "done": "Done Date",
        "verified": "Verified Date",
    },
    source="the default actions mapping",
)
"""Column names "Audit ID", "Action ID", "Action", "Action Owner", "Due Date", "Review Date",
"Status", "Done Date", "Verified Date"."""

DEFAULT_CASE_MAPPING = CaseMapping(
    columns={
        "child_id": "Child Unique ID",
        "team": "Allocated Team",
        "worker": "Allocated Worker",
        "service_area": "Service Area",
    },
    source="the default case-list mapping",
)
"""Annex A column names: "Child Unique ID", "Allocated Team", "Allocated Worker", "Service
Area"."""

DEFAULT_ACTIVITY_LOG_MAPPING = ActivityLogMapping(
    columns={
        "activity": "Activity",
        "subject": "Subject ID",
        "on": "Date",
        "role": "Role",
        "event": "Event",
    },
    source="the default activity-log mapping",
)
"""Column names "Activity", "Subject ID", "Date", "Role", "Event"."""
