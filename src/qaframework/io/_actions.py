"""The actions audits set, read from a tabular export: from repeated groups of columns of
the audit export (``Action 1 Text``, ``Action 1 Owner``, ... ``Action 2 Text``), or from a
file of actions, one row per action, joined to the audits by audit id.

Each action is read by the same rules whichever way it comes (see
:mod:`qaframework.io.mapping`): text, owner and due date required; an id (numbered when the
export gives none), review date, status, done and verified dates optional; the status, when
not given, follows from the dates.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from qaframework.engine.audits import Audit, AuditAction
from qaframework.io._tabular import Totals, check_missing, fit_for
from qaframework.io.errors import ExportError
from qaframework.io.mapping import (
    ACTION_PARTS,
    ACTION_REQUIRED,
    ACTION_WORDS,
    DEFAULT_ACTIONS_MAPPING,
    ActionsMapping,
    Header,
    read_mapping,
)
from qaframework.io.rejections import Rejection, RowProblem
from qaframework.io.rows import open_export
from qaframework.io.values import CellError, day, display, identifier, is_empty, text
from qaframework.io.versions import ProfileVersions
from qaframework.policy.actions import ActionStatus
from qaframework.policy.grades import normalise_grade_text

__all__ = ["ActionsRead", "action_groups", "join_actions", "read_action", "status_reader"]

ValueOf = Callable[[str, Callable[[Any], Any], bool], Any]
"""Reads one part of an action: ``value(part, convert, required)``, None when the part is
empty or has a problem (which the caller records)."""

PART_OF_FIELD = {
    "id": "id",
    "what": "text",
    "owner": "owner",
    "due": "due",
    "review": "review",
    "status": "status",
    "done_on": "done",
    "verified_on": "verified",
}
"""The mapping's part behind each field of an :class:`~qaframework.engine.audits.AuditAction`."""

_MAX_GROUPS = 500


def status_reader(words: Mapping[str, str]) -> Callable[[Any], ActionStatus | None]:
    """Reads a status cell: ``open``, ``done``, ``verified`` in any case, or the export's
    wording that ``words`` translates."""
    table = {normalise_grade_text(k): v for k, v in words.items()}
    known = ", ".join(s.value for s in ActionStatus)

    def read(value: Any) -> ActionStatus | None:
        found = text(value)
        if found is None:
            return None
        key = normalise_grade_text(found)
        try:
            return ActionStatus(table.get(key, key))
        except ValueError:
            raise CellError(f"{found!r} is not an action status ({known})") from None

    return read


def read_action(
    value: ValueOf, statuses: Callable[[Any], ActionStatus | None], default_id: str
) -> AuditAction | None:
    """One action from its parts, None when a required part is missing or unreadable."""
    what = value("text", text, True)
    owner = value("owner", text, True)
    due = value("due", day, True)
    action_id = value("id", identifier, False)
    review = value("review", day, False)
    status = value("status", statuses, False)
    done = value("done", day, False)
    verified = value("verified", day, False)
    if what is None or owner is None or due is None:
        return None
    if status is None:
        status = (
            ActionStatus.VERIFIED
            if verified is not None
            else ActionStatus.DONE
            if done is not None
            else ActionStatus.OPEN
        )
    return AuditAction(action_id or default_id, what, owner, due, review, status, done, verified)


def action_groups(actions: Mapping[str, str], header: Header) -> list[tuple[int, dict[str, str]]]:
    """The groups of action columns the ``[actions]`` table names that the export has: for
    n = 1, 2, ... while any column of group n exists, its parts' columns.

    :class:`ExportError` when a group lacks a required part's column.
    """
    pattern = actions.get("pattern")
    if pattern is None:
        return []
    words = {**ACTION_WORDS, **{k: v for k, v in actions.items() if k != "pattern"}}
    groups: list[tuple[int, dict[str, str]]] = []
    for n in range(1, _MAX_GROUPS + 1):
        found: dict[str, str] = {}
        for part in ACTION_PARTS:
            column = header.find(pattern.format(n=n, part=words[part]))
            if column is not None:
                found[part] = column
        if not found:
            break
        lacking = [pattern.format(n=n, part=words[p]) for p in ACTION_REQUIRED if p not in found]
        if lacking:
            raise ExportError(
                header.file,
                f"has columns of action {n} but not {', '.join(map(repr, lacking))}: an action "
                f"needs its text, owner and due date",
            )
        groups.append((n, found))
    return groups


def first_action_columns(actions: Mapping[str, str]) -> list[str]:
    """The columns of action 1 an ``[actions]`` table names (its required parts)."""
    pattern = actions["pattern"]
    words = {**ACTION_WORDS, **{k: v for k, v in actions.items() if k != "pattern"}}
    return [pattern.format(n=1, part=words[part]) for part in ACTION_REQUIRED]


@attrs.frozen
class ActionsRead:
    """What reading a file of actions found: its rows read, those rejected (each naming
    the file, row and column), its blank rows and lines, the mapped columns it lacks and
    the load's warnings about it."""

    file: str
    rows_read: int
    rejected: tuple[Rejection, ...]
    blank_rows: int = 0
    lines_read: int | None = None
    missing_columns: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class _Cells:
    """One row of an actions file: its cells, and the problems found reading them."""

    def __init__(self, values: Mapping[str, Any], columns: Mapping[str, str]) -> None:
        self.values = values
        self.columns = columns
        self.problems: list[RowProblem] = []

    def value(self, part: str, convert: Callable[[Any], Any], required: bool) -> Any:
        """The part's converted cell, None when empty or unreadable (a problem then)."""
        column = self.columns.get(part)
        if column is None:
            return None
        raw = self.values.get(column)
        try:
            found = convert(raw)
        except CellError as exc:
            self.problems.append(RowProblem(column, display(raw), str(exc)))
            return None
        if found is None and required:
            self.problems.append(RowProblem(column, None, "required, but empty"))
        return found


@attrs.frozen
class _Pending:
    row: int
    sheet: str | None
    action: AuditAction
    columns: Mapping[str, str]


def join_actions(
    audits: Sequence[Audit],
    audits_file: str,
    source: str | os.PathLike[str],
    versions: ProfileVersions,
    *,
    mapping: ActionsMapping | Mapping[str, Any] | str | os.PathLike[str] | None,
    strict: bool,
    sheet: str | Sequence[str] | None,
    encoding: str | None,
    max_bytes: int | None,
) -> tuple[list[Audit], ActionsRead]:
    """``audits`` with the actions of the file ``source`` added, each to the audit its
    row names; every row of the file is added or rejected (an audit id no audit accepted
    from ``audits_file`` has, an id the audit already has, an action the profile refuses)."""
    file = os.fspath(source)
    spec = read_mapping(ActionsMapping, mapping if mapping is not None else DEFAULT_ACTIONS_MAPPING)
    required = [spec.columns[name] for name in ("audit_id", *ACTION_REQUIRED)]
    export = open_export(
        file,
        fit=fit_for(file, required),
        sheet=sheet if sheet is not None else spec.sheet,
        encoding=encoding if encoding is not None else spec.encoding,
        delimiter=spec.delimiter,
        max_bytes=max_bytes,
    )
    statuses = status_reader(spec.values.get("status", {}))
    index = {audit.id: position for position, audit in enumerate(audits)}
    pending: dict[str, list[_Pending]] = {}
    rejected: list[Rejection] = []
    missing: list[tuple[str, str]] = []
    rows_read = 0
    several = len(export.parts) > 1
    for part in export.parts:
        header = Header(file, part.columns)
        columns: dict[str, str] = {}
        absent: list[str] = []
        for name, wanted in spec.columns.items():
            column = header.find(wanted)
            if column is not None:
                columns[name] = column
            elif name in ("audit_id", *ACTION_REQUIRED):
                absent.append(f"{wanted!r} ({name})")
            elif (wanted, name) not in missing:
                missing.append((wanted, name))
        if absent:
            raise ExportError(
                file,
                f"has no column {', '.join(absent)} named in {spec.source}; its columns are "
                f"{', '.join(repr(c) for c in header.columns)}",
            )
        part_sheet = part.sheet if several else None
        for row in part:
            rows_read += 1
            if row.values is None:
                assert row.problem is not None
                rejected.append(Rejection(file, row.number, (row.problem,), sheet=part_sheet))
                continue
            cells = _Cells(row.values, columns)
            value, problems = cells.value, cells.problems
            audit_id = value("audit_id", identifier, True)
            action = read_action(value, statuses, "")
            if not problems and audit_id is not None and audit_id not in index:
                problems.append(
                    RowProblem(
                        columns["audit_id"],
                        audit_id,
                        f"no audit with this id was accepted from {audits_file} (it is not "
                        "there, or its row was rejected)",
                    )
                )
            if problems or action is None or audit_id is None:
                rejected.append(Rejection(file, row.number, tuple(problems), sheet=part_sheet))
                continue
            pending.setdefault(audit_id, []).append(
                _Pending(row.number, part_sheet, action, columns)
            )
    if mapping is not None:
        warnings = check_missing(file, spec.source, missing, strict=strict)
    else:
        warnings = ()
    joined = list(audits)
    for audit_id, additions in pending.items():
        position = index[audit_id]
        audit, refused = _add(joined[position], additions, versions, file)
        joined[position] = audit
        rejected.extend(refused)
    rejected.sort(key=lambda r: (r.sheet or "", r.row))
    totals = Totals.of(export.parts)
    return joined, ActionsRead(
        file,
        rows_read,
        tuple(rejected),
        totals.blank_rows,
        totals.lines,
        tuple(column for column, _ in missing),
        (*export.notes, *warnings),
    )


def _add(
    audit: Audit, additions: list[_Pending], versions: ProfileVersions, file: str
) -> tuple[Audit, list[Rejection]]:
    """The audit with the file's actions for it, and the rows refused."""
    refused: list[Rejection] = []
    ids = {action.id for action in audit.actions}
    kept: list[_Pending] = []
    for pending in additions:
        action = pending.action
        if not action.id:
            number = len(audit.actions) + len(kept) + 1
            while str(number) in ids:
                number += 1
            action = attrs.evolve(action, id=str(number))
            pending = attrs.evolve(pending, action=action)
        elif action.id in ids:
            column = pending.columns.get("id")
            refused.append(
                Rejection(
                    file,
                    pending.row,
                    (
                        RowProblem(
                            column, action.id, "the audit already has an action with this id"
                        ),
                    ),
                    sheet=pending.sheet,
                )
            )
            continue
        ids.add(action.id)
        kept.append(pending)
    start = len(audit.actions)
    joined = attrs.evolve(audit, actions=(*audit.actions, *(p.action for p in kept)))
    version = versions.on(audit.audit_date)
    if version is None or version.check.passes(joined):
        return joined, refused
    by_index: dict[int, list[RowProblem]] = {}
    for problem in version.check.problems(joined):
        path = problem.path.removeprefix("$.")
        if not path.startswith("actions["):
            continue
        number = int(path[len("actions[") : path.index("]")])
        if number < start:
            continue
        pending = kept[number - start]
        field = path.partition("].")[2]
        column = pending.columns.get(PART_OF_FIELD.get(field, "text"), pending.columns["text"])
        raw: Any = getattr(pending.action, field, None) if field else None
        shown = raw.isoformat() if isinstance(raw, date) else display(raw)
        by_index.setdefault(number - start, []).append(
            RowProblem(column, shown, f"{problem.message}, under {version.label}")
        )
    for position, problems in by_index.items():
        pending = kept[position]
        refused.append(Rejection(file, pending.row, tuple(problems), sheet=pending.sheet))
    good = [p.action for i, p in enumerate(kept) if i not in by_index]
    return attrs.evolve(audit, actions=(*audit.actions, *good)), refused


def no_empty_group(values: Mapping[str, Any], columns: Mapping[str, str]) -> bool:
    """Whether a row fills any cell of an action group."""
    return not all(is_empty(values.get(c)) for c in columns.values())
