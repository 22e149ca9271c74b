"""Reading one row of an audit export into an audit, under a column mapping and the profile
version in force on its date (see :func:`qaframework.io.audits.load_audits`): each field,
judgement, concern, feedback source, moderation, action, checklist answer and grade on
another scale from the columns the mapping names, every problem naming its column."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    ItemAnswer,
    Judgement,
    ModerationRecord,
    Rating,
    moderation_outcome,
)
from qaframework.io._actions import (
    PART_OF_FIELD,
    action_groups,
    first_action_columns,
    no_empty_group,
    read_action,
    status_reader,
)
from qaframework.io._export import RawRow
from qaframework.io._fast_rows import _FastPath
from qaframework.io._fast_rows import _outcome as _outcome
from qaframework.io.errors import ExportError
from qaframework.io.mapping import (
    AUDIT_REQUIRED,
    JUDGEMENT_PARTS,
    MODERATION_REQUIRED,
    AuditMapping,
    Header,
)
from qaframework.io.rejections import RowProblem
from qaframework.io.values import (
    CellError,
    answer,
    day,
    display,
    flag,
    identifier,
    is_empty,
    text,
)
from qaframework.io.versions import ProfileVersions, VersionReader
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern

__all__ = ["RowReader"]


class _Source:
    """Where one field's value comes from: a column of the export or a fixed value."""

    __slots__ = ("column", "fixed", "label")

    def __init__(self, column: str | None, fixed: str | None, label: str | None) -> None:
        self.column = column
        self.fixed = fixed
        self.label = label


def _column(column: str) -> _Source:
    return _Source(column, None, column)


class RowReader:
    """Reads rows into audits under one mapping and header (see :func:`load_audits`)."""

    def __init__(
        self,
        spec: AuditMapping,
        header: Header,
        versions: ProfileVersions,
        *,
        cells: str | None = None,
        clean: bool = False,
    ) -> None:
        """``cells`` is the export's format when its cells are text or spreadsheet values
        (``csv``, ``xlsx``): such rows are first read by the fast path (see
        :class:`_FastPath`). ``clean`` says that no cell of the export holds a character
        no document may hold (:attr:`ExportRows.clean <qaframework.io._export.ExportRows>`)."""
        self.header = header
        self.versions = versions
        # Each mapped column the export lacks, with the field it was to fill.
        self.missing: list[tuple[str, str]] = []
        self.fields: dict[str, _Source | None] = {}
        absent_required: list[str] = []
        for name in (*AUDIT_REQUIRED, "cycle", "practitioner", "team", "service_area"):
            fixed = spec.fixed.get(name)
            if fixed is not None:
                self.fields[name] = _Source(None, fixed, f"[fixed] {name}")
                continue
            wanted = spec.columns.get(name)
            column = header.find(wanted) if wanted is not None else None
            if wanted is not None and column is None:
                if name in AUDIT_REQUIRED:
                    absent_required.append(f"{wanted!r} ({name})")
                else:
                    self.missing.append((wanted, name))
            self.fields[name] = _column(column) if column is not None else None
        if absent_required:
            raise ExportError(
                header.file,
                f"has no column {', '.join(absent_required)} named in {spec.source}; its "
                f"columns are {', '.join(repr(c) for c in header.columns)}",
            )
        id_source = self.fields["id"]
        self.id_column = id_source.column if id_source is not None else None
        self.judgements = self._judgement_columns(spec)
        self.concerns = self._flags(spec.concerns, Concern, "concerns")
        self.feedback = self._flags(spec.feedback, FeedbackSource, "feedback")
        self.moderation = self._moderation_columns(spec)
        self.actions = action_groups(spec.actions, header)
        # An [actions] pattern matching no column: like judgement_pattern's, not a missing
        # column of the default mapping, but a warning when the user's mapping asked.
        self.missing_actions: list[tuple[str, str]] = []
        if spec.actions and not self.actions:
            self.missing_actions = [(c, "actions") for c in first_action_columns(spec.actions)]
        self.statuses = status_reader(spec.values.get("action_status", {}))
        self.checklist = self._named_columns(
            spec.checklist, spec.checklist_pattern, versions.checklist_items(), "item", "checklist"
        )
        self.checklist_columns = [
            source.column for _item, source in self.checklist if source.column is not None
        ]
        self.ratings = self._named_columns(
            spec.ratings, spec.rating_pattern, versions.scales(), "scale", "ratings"
        )
        self._fast = _FastPath(self, clean) if cells in ("csv", "xlsx") else None

    def _named_columns(
        self,
        table: Mapping[str, str],
        pattern: str | None,
        known: tuple[str, ...],
        placeholder: str,
        what: str,
    ) -> list[tuple[str, _Source]]:
        """The columns of checklist items or other scales: those the mapping names (listed
        as missing when the export lacks them), then those the pattern names that the
        export has."""
        found: list[tuple[str, _Source]] = []
        for key, wanted in table.items():
            column = self.header.find(wanted)
            if column is None:
                self.missing.append((wanted, f"{what}.{key}"))
            else:
                found.append((key, _column(column)))
        if pattern is not None:
            for key in known:
                if key in table:
                    continue
                column = self.header.find(pattern.format(**{placeholder: key}))
                if column is not None:
                    found.append((key, _column(column)))
        return found

    def _judgement_columns(
        self, spec: AuditMapping
    ) -> list[tuple[str, dict[str, str], dict[str, _Source]]]:
        found: list[tuple[str, dict[str, str]]] = []
        for standard, parts in spec.judgements.items():
            grade = self.header.find(parts["grade"])
            if grade is None:
                self.missing.extend((c, f"judgements.{standard}.{p}") for p, c in parts.items())
                continue
            columns = {"grade": grade}
            for part, wanted in parts.items():
                if part == "grade":
                    continue
                column = self.header.find(wanted)
                if column is None:
                    self.missing.append((wanted, f"judgements.{standard}.{part}"))
                else:
                    columns[part] = column
            found.append((standard, columns))
        pattern = spec.judgement_pattern
        if pattern is not None:
            for standard in self.versions.standards():
                if standard in spec.judgements:
                    continue
                grade = self.header.find(pattern.format(standard=standard, part="grade"))
                if grade is None:
                    continue
                columns = {"grade": grade}
                for part in JUDGEMENT_PARTS[1:]:
                    column = self.header.find(pattern.format(standard=standard, part=part))
                    if column is not None:
                        columns[part] = column
                found.append((standard, columns))
        return [
            (standard, columns, {part: _column(column) for part, column in columns.items()})
            for standard, columns in found
        ]

    def _flags(self, table: Mapping[str, str], kind: Any, what: str) -> list[tuple[Any, _Source]]:
        found = []
        for value, wanted in table.items():
            column = self.header.find(wanted)
            if column is None:
                self.missing.append((wanted, f"{what}.{value}"))
            else:
                found.append((kind(value), _column(column)))
        return found

    def _moderation_columns(self, spec: AuditMapping) -> dict[str, str]:
        if not spec.moderation:
            return {}
        required = {part: spec.moderation[part] for part in MODERATION_REQUIRED}
        present = {part: self.header.find(name) for part, name in required.items()}
        if all(column is None for column in present.values()):
            self.missing.extend((c, f"moderation.{p}") for p, c in spec.moderation.items())
            return {}
        lacking = [required[part] for part, column in present.items() if column is None]
        if lacking:
            raise ExportError(
                self.header.file,
                f"has some moderation columns but not {', '.join(repr(c) for c in lacking)}; "
                f"a moderation needs all of {', '.join(repr(c) for c in required.values())}",
            )
        columns = {part: column for part, column in present.items() if column is not None}
        for part in ("rationale", "outcome"):
            wanted = spec.moderation.get(part)
            if wanted is None:
                continue
            column = self.header.find(wanted)
            if column is None:
                self.missing.append((wanted, f"moderation.{part}"))
            else:
                columns[part] = column
        return columns

    @property
    def recorded(self) -> frozenset[str]:
        """The kinds of data this export's columns carry (see :data:`RECORD_KINDS`)."""
        kinds: set[str] = set()
        if self.judgements:
            kinds.add("judgements")
        for kind, found in (("concerns", self.concerns), ("feedback", self.feedback)):
            if found:
                kinds.add(kind)
                kinds.update(f"{kind}:{value.value}" for value, _ in found)
        if self.moderation:
            kinds.add("moderation")
        if self.actions:
            kinds.add("actions")
        if self.checklist:
            kinds.add("checklist")
        return frozenset(kinds)

    def read(self, values: Mapping[str, Any]) -> tuple[str | None, Audit | None, list[RowProblem]]:
        """The row's audit id, its audit (None when it has problems) and its problems, from
        its cells by column name."""
        columns = self.header.columns
        cells = [values.get(column) for column in columns] if self._fast is not None else None
        # The row's number is not read: the loader that called knows it.
        return self.read_row(RawRow(0, values, cells=cells, columns=columns))

    def read_row(self, row: RawRow) -> tuple[str | None, Audit | None, list[RowProblem]]:
        """:meth:`read` of a readable row, from its cells by position when it has them."""
        fast, cells = self._fast, row.cells
        if fast is not None and cells is not None:
            try:
                found = fast.read(cells)
            except TypeError:
                # A cell that cannot be a cache's key: no CSV or XLSX value is one, but the
                # cell-by-cell reading says what any value is.
                found = None
            if found is not None:
                return found.id, found, []
        values = row.values
        assert values is not None
        return self._read(values)

    def _read(self, values: Mapping[str, Any]) -> tuple[str | None, Audit | None, list[RowProblem]]:
        """:meth:`read`, every cell converted and checked in turn, every problem named."""
        row = _Row(values)
        fields = self.fields
        audit_id = row.value(fields["id"], identifier, required=True)
        child_id = row.value(fields["child_id"], identifier, required=True)
        audit_date = row.value(fields["audit_date"], day, required=True)
        version: VersionReader | None = None
        if audit_date is not None:
            version = self.versions.on(audit_date)
            if version is None:
                source = fields["audit_date"]
                row.fail(source, self.versions.not_in_force(audit_date))

        def under(read: Callable[[VersionReader, str], str]) -> Callable[[Any], str | None]:
            def convert(value: Any) -> str | None:
                found = text(value)
                if found is None or version is None:
                    return found
                return read(version, found)

            return convert

        grade = under(VersionReader.grade)
        role = under(VersionReader.role)
        activity = row.value(fields["activity"], under(VersionReader.activity), required=True)
        auditor = row.value(fields["auditor"], text, required=True)
        auditor_role = row.value(fields["auditor_role"], role, required=True)
        # Empty for an activity that does not grade practice; required for one that does.
        failed = len(row.problems)
        overall = row.value(fields["overall_grade"], grade)
        if overall is None and len(row.problems) == failed and version is not None:
            graded = version.graded_name(activity) if activity is not None else None
            if graded is not None:
                row.fail(
                    fields["overall_grade"],
                    f"required, but empty: {graded} grades practice, give the overall grade",
                )
        optional = {
            name: row.value(fields[name], text)
            for name in ("cycle", "practitioner", "team", "service_area")
        }
        judgements: list[Judgement] = []
        judgement_columns: list[dict[str, str]] = []
        for standard, columns, sources in self.judgements:
            if all(is_empty(values.get(column)) for column in columns.values()):
                continue
            given = row.value(sources["grade"], grade)
            parts = {
                part: row.value(source, text) for part, source in sources.items() if part != "grade"
            }
            if given is None and is_empty(values.get(columns["grade"])):
                row.fail(
                    sources["grade"],
                    "empty, but the judgement's other columns are filled: give its grade",
                )
            if given is not None:
                judgements.append(Judgement(standard, given, **parts))
                judgement_columns.append(columns)
        concerns = tuple(concern for concern, source in self.concerns if row.value(source, flag))
        feedback = tuple(source for source, where in self.feedback if row.value(where, flag))
        moderations = self._moderation(row, values, grade, role, overall, version)
        actions, action_columns = self._actions(row, values)
        checklist: list[ItemAnswer] = []
        checklist_sources: list[_Source] = []
        for item, source in self.checklist:
            given_answer = row.value(source, answer)
            if given_answer is not None:
                checklist.append(ItemAnswer(item, given_answer))
                checklist_sources.append(source)
        ratings: list[Rating] = []
        rating_sources: list[_Source] = []
        for scale_id, source in self.ratings:
            rated = row.value(source, _rating(version, scale_id))
            if rated is not None:
                ratings.append(Rating(scale_id, rated))
                rating_sources.append(source)
        if row.problems or version is None:
            return audit_id, None, row.problems
        audit = Audit(
            id=audit_id,
            child_id=child_id,
            activity=activity,
            audit_date=audit_date,
            auditor=auditor,
            auditor_role=auditor_role,
            overall_grade=overall,
            judgements=tuple(judgements),
            concerns=concerns,
            feedback=feedback,
            moderations=moderations,
            actions=actions,
            checklist=tuple(checklist),
            ratings=tuple(ratings),
            **optional,
        )
        if version.check.passes(audit):
            return audit_id, audit, []
        located = _Located(judgement_columns, action_columns, checklist_sources, rating_sources)
        for problem in version.check.problems(audit):
            source = self._source_of(problem.path, located, audit)
            raw = values.get(source.column) if source.column is not None else source.fixed
            row.problems.append(
                RowProblem(source.label, display(raw), f"{problem.message}, under {version.label}")
            )
        return audit_id, None, row.problems

    def warnings(self, audit: Audit, row: RawRow) -> list[RowProblem]:
        """What the profile flags in an accepted row's audit, each at its column."""
        version = self.versions.on(audit.audit_date)
        if version is None or not version.check.warns(audit):
            return []
        values = row.values
        assert values is not None
        found = []
        located = _Located([], [], [], [])
        for problem in version.check.warnings(audit):
            source = self._source_of(problem.path, located, audit)
            raw = values.get(source.column) if source.column is not None else source.fixed
            found.append(
                RowProblem(source.label, display(raw), f"{problem.message}, under {version.label}")
            )
        return found

    def _moderation(
        self,
        row: _Row,
        values: Mapping[str, Any],
        grade: Callable[[Any], str | None],
        role: Callable[[Any], str | None],
        overall: str | None,
        version: VersionReader | None,
    ) -> tuple[ModerationRecord, ...]:
        columns = self.moderation
        if not columns or all(is_empty(values.get(c)) for c in columns.values()):
            return ()

        def source(part: str) -> _Source | None:
            column = columns.get(part)
            return _column(column) if column is not None else None

        moderator = row.value(source("moderator"), text, required=True)
        moderator_role = row.value(source("role"), role, required=True)
        moderated = row.value(source("grade"), grade, required=True)
        on = row.value(source("date"), day, required=True)
        rationale = row.value(source("rationale"), text)
        outcome = row.value(source("outcome"), _outcome)
        if outcome is None and moderated is not None and overall is not None and version:
            outcome = moderation_outcome(version.profile, overall, moderated)
        if None in (moderator, moderator_role, moderated, on, outcome):
            return ()
        return (ModerationRecord(moderator, moderator_role, moderated, outcome, on, rationale),)

    def _actions(
        self, row: _Row, values: Mapping[str, Any]
    ) -> tuple[tuple[AuditAction, ...], list[Mapping[str, str]]]:
        """The row's actions, one per filled group, and each one's columns."""
        actions: list[AuditAction] = []
        columns_of: list[Mapping[str, str]] = []
        seen: dict[str, int] = {}
        for n, columns in self.actions:
            if not no_empty_group(values, columns):
                continue

            def value(
                part: str,
                convert: Callable[[Any], Any],
                required: bool,
                columns: Mapping[str, str] = columns,
            ) -> Any:
                column = columns.get(part)
                return row.value(_column(column), convert, required=required) if column else None

            action = read_action(value, self.statuses, str(n))
            if action is None:
                continue
            if action.id in seen:
                row.fail(
                    _column(columns.get("id", columns["text"])),
                    f"action {n} has the id of action {seen[action.id]}: each action of an "
                    "audit needs an id of its own",
                )
                continue
            seen[action.id] = n
            actions.append(action)
            columns_of.append(columns)
        return tuple(actions), columns_of

    def _source_of(self, path: str, located: _Located, audit: Audit) -> _Source:
        """The column (or fixed value) behind a check problem's path."""
        parts = path.removeprefix("$.").split(".")
        head = parts[0]
        judgement_columns = located.judgements
        action_columns = located.actions
        if head.startswith("checklist["):
            return located.checklist[int(head[len("checklist[") : -1])]
        if head.startswith("ratings["):
            return located.ratings[int(head[len("ratings[") : -1])]
        if head == "ratings":
            # A grade missing on another scale: that scale's column, where the export has one.
            given = {rating.scale for rating in audit.ratings}
            for scale_id, source in self.ratings:
                if scale_id not in given:
                    return source
            return _Source(None, None, None)
        if head.startswith("actions["):
            columns = action_columns[int(head[len("actions[") : -1])]
            part = PART_OF_FIELD.get(parts[1], "text") if len(parts) > 1 else "text"
            return _column(columns.get(part, columns["text"]))
        if head.startswith("judgements["):
            columns = judgement_columns[int(head[len("judgements[") : -1])]
            part = parts[1] if len(parts) > 1 and parts[1] in columns else "grade"
            return _column(columns[part])
        if head.startswith("moderations["):
            part = {"on": "date"}.get(parts[1], parts[1]) if len(parts) > 1 else "grade"
            return _column(self.moderation.get(part, self.moderation["grade"]))
        # An ungraded activity's audit with judgements or a moderation: the first of them.
        if head == "judgements" and judgement_columns:
            return _column(judgement_columns[0]["grade"])
        if head == "moderations" and self.moderation:
            return _column(self.moderation["grade"])
        found = self.fields.get(head)
        return found if found is not None else _Source(None, None, None)


class _Located:
    """Where a row's judgements, actions, checklist answers and ratings came from, in their
    order."""

    __slots__ = ("actions", "checklist", "judgements", "ratings")

    def __init__(
        self,
        judgements: list[dict[str, str]],
        actions: list[Mapping[str, str]],
        checklist: list[_Source],
        ratings: list[_Source],
    ) -> None:
        self.judgements = judgements
        self.actions = actions
        self.checklist = checklist
        self.ratings = ratings


def _rating(version: VersionReader | None, scale_id: str) -> Callable[[Any], str | None]:
    """A cell of another scale's grade, read on that scale of the row's version."""

    def convert(value: Any) -> str | None:
        found = text(value)
        if found is None or version is None:
            return found
        return version.rating(scale_id, found)

    return convert


class _Row:
    """One row being read: its cells and the problems found so far."""

    __slots__ = ("problems", "values")

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.problems: list[RowProblem] = []

    def fail(self, source: _Source | None, reason: str) -> None:
        if source is None:
            self.problems.append(RowProblem(None, None, reason))
            return
        raw = self.values.get(source.column) if source.column is not None else source.fixed
        self.problems.append(RowProblem(source.label, display(raw), reason))

    def value(
        self, source: _Source | None, convert: Callable[[Any], Any], *, required: bool = False
    ) -> Any:
        """The converted value of a field, None when empty (a problem when required)."""
        if source is None:
            return None
        raw = self.values.get(source.column) if source.column is not None else source.fixed
        try:
            found = convert(raw)
        except CellError as exc:
            self.fail(source, str(exc))
            return None
        if found is None and required:
            self.fail(source, "required, but empty")
        return found
