"""Loading a council's audit export: accepted audits and rejected rows, nothing dropped.

:func:`load_audits` reads a CSV, XLSX, JSON or JSON Lines export through a column mapping
(:mod:`qaframework.io.mapping`), converts each cell by the stated rules
(:mod:`qaframework.io.values`), and checks each row with
:class:`~qaframework.engine.audits.AuditCheck` against the profile version in force on its audit
date (:mod:`qaframework.io.versions`). JSON and JSON Lines with no mapping are read in the
converter's native form (:mod:`qaframework.io.native`). Every row read is either accepted
or rejected (``rows_read == len(accepted) + len(rejected)``); a second row with an audit id
already seen is rejected, naming the first. :func:`write_audits` writes audits back out in
the native form.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import operator
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import Audit, Judgement, ModerationRecord, moderation_outcome
from qaframework.errors import Problem
from qaframework.io._tabular import Progress, collect, duplicate_problem, unmapped
from qaframework.io.errors import ExportError, MappingError, RejectedRows
from qaframework.io.mapping import (
    AUDIT_REQUIRED,
    DEFAULT_AUDIT_MAPPING,
    JUDGEMENT_PARTS,
    MODERATION_REQUIRED,
    AuditMapping,
    Header,
    read_mapping,
)
from qaframework.io.rejections import Rejection, RowProblem
from qaframework.io.rows import detect_format, open_rows
from qaframework.io.values import (
    MAX_ID_LENGTH,
    CellError,
    day,
    display,
    flag,
    identifier,
    is_empty,
    text,
    too_long_for_an_id,
)
from qaframework.io.versions import ProfileVersions, VersionReader
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome

if TYPE_CHECKING:
    from qaframework.engine.frames import Frames

__all__ = ["AuditLoad", "load_audits", "write_audits"]

MappingSpec = AuditMapping | Mapping[str, Any] | str | os.PathLike[str]

_ID = operator.attrgetter("id")
_AUDIT_DATE = operator.attrgetter("audit_date")


@attrs.frozen
class AuditLoad:
    """What loading an audit export found.

    ``rows_read`` counts the rows that were not blank; each is in ``accepted`` (as an
    :class:`~qaframework.engine.audits.Audit`) or in ``rejected`` (as a
    :class:`~qaframework.io.rejections.Rejection`), in file order. ``blank_rows`` were
    skipped. ``lines_read`` counts the physical lines of a CSV or JSON Lines export (the
    rows of a worksheet), header and blank lines included, None for a JSON array: a record
    may span several lines (a quoted cell with line breaks), so the two counts differ when
    the export has such cells. ``unmapped_columns`` are the export's columns the mapping
    does not read; ``missing_columns`` the optional columns the mapping names that the
    export lacks.
    """

    file: str
    profile_id: str
    format: str
    rows_read: int
    accepted: tuple[Audit, ...]
    rejected: tuple[Rejection, ...]
    blank_rows: int = 0
    columns: tuple[str, ...] = ()
    unmapped_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()
    lines_read: int | None = None

    @property
    def duplicates(self) -> tuple[Rejection, ...]:
        """The rows rejected for repeating an audit id seen on an earlier row."""
        return tuple(r for r in self.rejected if r.duplicate_of is not None)

    @property
    def ok(self) -> bool:
        """Whether every row read was accepted."""
        return not self.rejected

    def to_pandas(self) -> Frames:
        """The accepted audits and the rejections as pandas frames (see
        :func:`qaframework.io.frames.record_frames`); needs the ``pandas`` extra."""
        from qaframework.io.frames import record_frames

        return record_frames(self.accepted, self.rejected, backend="pandas")

    def to_polars(self) -> Frames:
        """The accepted audits and the rejections as polars frames (see
        :func:`qaframework.io.frames.record_frames`); needs the ``polars`` extra."""
        from qaframework.io.frames import record_frames

        return record_frames(self.accepted, self.rejected, backend="polars")


def load_audits(
    source: str | os.PathLike[str],
    profile_id: str,
    *,
    mapping: MappingSpec | None = None,
    strict: bool = False,
    format: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    pause_gc: bool = True,
    max_bytes: int | None = None,
) -> AuditLoad:
    """Load an audit export, checking each row under the profile version of its date.

    ``mapping`` is an :class:`~qaframework.io.mapping.AuditMapping`, a dict of the same
    form, or the path of a TOML or JSON mapping file. Without one, a CSV or XLSX export is
    read with :data:`~qaframework.io.mapping.DEFAULT_AUDIT_MAPPING` and a JSON or JSON
    Lines export in the native form (``qaframework.to_dict(audit)`` per row). ``format``
    overrides the format the file's name gives (``csv``, ``xlsx``, ``json``, ``jsonl``);
    ``sheet`` and ``encoding`` override the mapping's. ``progress`` is told how many rows
    have been read. ``pause_gc`` pauses the cycle collector while audits are built and
    restores it afterwards: nothing built forms a cycle, and a collector walking millions of
    new objects again and again makes a bulk load several times slower (turn it off only to
    measure that). ``max_bytes`` is the largest file read (2 GiB unless
    ``QAFRAMEWORK_MAX_EXPORT_BYTES`` says otherwise); a larger file, or a name that is not a
    regular file (a pipe, a device), is refused with :class:`ExportError`.

    With ``strict`` a load with any rejected row raises
    :class:`~qaframework.io.errors.RejectedRows` listing every rejection. Raises
    :class:`~qaframework.errors.UnknownProfile` for a profile not installed,
    :class:`~qaframework.io.errors.ExportError` for a file that cannot be read or lacks a
    required column, and :class:`~qaframework.io.errors.MappingError` for a bad mapping.
    """
    file = os.fspath(source)
    chosen = format if format is not None else detect_format(file)
    if mapping is None and chosen in ("json", "jsonl"):
        versions = ProfileVersions(profile_id)
        with paused_gc(pause_gc):
            load = _load_native(file, chosen, versions, progress, max_bytes)
    else:
        spec = read_mapping(AuditMapping, mapping if mapping is not None else DEFAULT_AUDIT_MAPPING)
        versions = ProfileVersions(
            profile_id,
            role_words=spec.values.get("role", {}),
            activity_words=spec.values.get("activity", {}),
        )
        _check_against_profile(spec, versions)
        rows = open_rows(
            file,
            format=chosen,
            sheet=sheet if sheet is not None else spec.sheet,
            encoding=encoding if encoding is not None else spec.encoding,
            delimiter=spec.delimiter,
            max_bytes=max_bytes,
        )
        reader = _RowReader(spec, Header(file, rows.columns), versions)
        with paused_gc(pause_gc):
            found = collect(
                rows,
                reader.read,
                key_column=reader.id_column,
                key_name="audit id",
                progress=progress,
            )
        load = AuditLoad(
            file,
            profile_id,
            chosen,
            found.rows_read,
            tuple(found.accepted),
            tuple(found.rejected),
            rows.blank_rows,
            rows.columns,
            unmapped(rows, reader.header),
            tuple(reader.missing),
            rows.lines,
        )
    if strict and load.rejected:
        raise RejectedRows(file, load.rows_read, load.rejected)
    return load


def _load_native(
    file: str,
    format: str,
    versions: ProfileVersions,
    progress: Progress | None,
    max_bytes: int | None,
) -> AuditLoad:
    from qaframework.io.native import read_native

    found = read_native(file, format, max_bytes)
    audits = found.audits
    numbers = found.numbers
    total = found.rows_read
    rejected: dict[int, Rejection] = {
        number: Rejection(file, number, (problem,)) for number, problem in found.rejected
    }
    if progress is not None:
        progress(len(rejected), total)
    # Whole-file steps with the loop in C; Python loops only over what is wrong.
    ids = list(map(_ID, audits))
    duplicate_of: dict[int, int] = {}
    if len(set(ids)) != len(ids):
        first: dict[str, int] = {}
        for position, audit_id in enumerate(ids):
            earlier = first.setdefault(audit_id, position)
            if earlier != position:
                duplicate_of[position] = numbers[earlier]
    dates = list(map(_AUDIT_DATE, audits))
    version_on = {day: versions.on(day) for day in set(dates)}
    in_force = set(version_on.values())
    if len(in_force) == 1 and None not in in_force:
        # One version for the whole file, the usual case: screen every audit in one pass.
        (only,) = in_force
        assert only is not None
        passed = list(map(only.check.passes, audits))
    else:
        passed = [
            version is not None and version.check.passes(audit)
            for version, audit in zip(map(version_on.__getitem__, dates), audits, strict=True)
        ]
    for position in duplicate_of:
        passed[position] = False
    long_ids = _long_ids(audits)
    for position in long_ids:
        passed[position] = False
    if all(passed):
        accepted = audits
    else:
        accepted = list(itertools.compress(audits, passed))
        for position in itertools.compress(range(len(audits)), map(operator.not_, passed)):
            audit = audits[position]
            duplicate = duplicate_of.get(position)
            problems = long_ids.get(position) or _native_problems(
                audit, version_on[dates[position]], versions
            )
            if duplicate is not None:
                problems.append(duplicate_problem("id", audit.id, "audit id", duplicate))
            number = numbers[position]
            rejected[number] = Rejection(file, number, tuple(problems), duplicate)
    if progress is not None:
        progress(total, total)
    return AuditLoad(
        file,
        versions.profile_id,
        format,
        total,
        tuple(accepted),
        tuple(rejected[n] for n in sorted(rejected)),
        found.blank_rows,
        lines_read=found.lines,
    )


def _long_ids(audits: list[Audit]) -> dict[int, list[RowProblem]]:
    """The positions of audits with an id longer than an id may be, and their problems."""
    found: dict[int, list[RowProblem]] = {}
    for name, values in (
        ("id", map(_ID, audits)),
        ("child_id", map(operator.attrgetter("child_id"), audits)),
    ):
        lengths = list(map(len, values))
        if max(lengths, default=0) <= MAX_ID_LENGTH:
            continue
        for position, length in enumerate(lengths):
            if length > MAX_ID_LENGTH:
                value = getattr(audits[position], name)
                problem = too_long_for_an_id(value)
                assert problem is not None
                found.setdefault(position, []).append(RowProblem(name, display(value), problem))
    for position, audit in enumerate(audits):
        if not audit.actions:
            continue
        for index, action in enumerate(audit.actions):
            problem = too_long_for_an_id(action.id)
            if problem is not None:
                column = f"actions[{index}].id"
                found.setdefault(position, []).append(
                    RowProblem(column, display(action.id), problem)
                )
    return found


def _native_problems(
    audit: Audit, version: VersionReader | None, versions: ProfileVersions
) -> list[RowProblem]:
    if version is None:
        return [
            RowProblem(
                "audit_date", audit.audit_date.isoformat(), versions.not_in_force(audit.audit_date)
            )
        ]
    return [
        RowProblem(
            p.path.removeprefix("$."),
            _native_value(audit, p),
            f"{p.message}, under {version.label}",
        )
        for p in version.check.problems(audit)
    ]


def _native_value(audit: Audit, problem: Problem) -> str | None:
    value: Any = audit
    for part in problem.path.removeprefix("$.").split("."):
        name, _, index = part.partition("[")
        value = getattr(value, name, None)
        if index and isinstance(value, tuple):
            value = value[int(index.rstrip("]"))]
    if isinstance(value, tuple):
        return f"{len(value)} recorded" if value else None  # judgements of an ungraded audit
    if isinstance(value, date):
        return value.isoformat()
    return display(getattr(value, "value", value))


def _check_against_profile(spec: AuditMapping, versions: ProfileVersions) -> None:
    """Mapping problems only the profile reveals: standards, roles and activities named in
    the mapping that no version of the profile has."""
    problems: list[str] = []
    label = f"profile {versions.profile_id!r}"
    standards = versions.standards()
    for standard in spec.judgements:
        if standard not in standards:
            problems.append(f"judgements.{standard}: no version of {label} has this standard")
    roles = versions.roles()
    for wording, role in spec.values.get("role", {}).items():
        if role not in roles:
            problems.append(f"values.role.{wording}: {role!r} is not a role id of {label}")
    activities = versions.activities()
    for wording, activity in spec.values.get("activity", {}).items():
        if activity not in activities:
            problems.append(
                f"values.activity.{wording}: {activity!r} is not an activity id of {label}"
            )
    for name, read in (("activity", VersionReader.activity), ("auditor_role", VersionReader.role)):
        fixed = spec.fixed.get(name)
        if fixed is None:
            continue
        for version in versions.versions:
            with contextlib.suppress(CellError):
                read(version, fixed)
                break
        else:
            problems.append(f"fixed.{name}: {fixed!r} is not recognised by any version of {label}")
    if problems:
        raise MappingError(spec.source, problems)


class _Source:
    """Where one field's value comes from: a column of the export or a fixed value."""

    __slots__ = ("column", "fixed", "label")

    def __init__(self, column: str | None, fixed: str | None, label: str | None) -> None:
        self.column = column
        self.fixed = fixed
        self.label = label


def _column(column: str) -> _Source:
    return _Source(column, None, column)


class _RowReader:
    """Reads rows into audits under one mapping and header (see :func:`load_audits`)."""

    def __init__(self, spec: AuditMapping, header: Header, versions: ProfileVersions) -> None:
        self.header = header
        self.versions = versions
        self.missing: list[str] = []
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
                    self.missing.append(wanted)
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
        self.concerns = self._flags(spec.concerns, Concern)
        self.feedback = self._flags(spec.feedback, FeedbackSource)
        self.moderation = self._moderation_columns(spec)

    def _judgement_columns(
        self, spec: AuditMapping
    ) -> list[tuple[str, dict[str, str], dict[str, _Source]]]:
        found: list[tuple[str, dict[str, str]]] = []
        for standard, parts in spec.judgements.items():
            grade = self.header.find(parts["grade"])
            if grade is None:
                self.missing.extend(parts.values())
                continue
            columns = {"grade": grade}
            for part, wanted in parts.items():
                if part == "grade":
                    continue
                column = self.header.find(wanted)
                if column is None:
                    self.missing.append(wanted)
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

    def _flags(self, table: Mapping[str, str], kind: Any) -> list[tuple[Any, _Source]]:
        found = []
        for value, wanted in table.items():
            column = self.header.find(wanted)
            if column is None:
                self.missing.append(wanted)
            else:
                found.append((kind(value), _column(column)))
        return found

    def _moderation_columns(self, spec: AuditMapping) -> dict[str, str]:
        if not spec.moderation:
            return {}
        required = {part: spec.moderation[part] for part in MODERATION_REQUIRED}
        present = {part: self.header.find(name) for part, name in required.items()}
        if all(column is None for column in present.values()):
            self.missing.extend(spec.moderation.values())
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
                self.missing.append(wanted)
            else:
                columns[part] = column
        return columns

    def read(self, values: Mapping[str, Any]) -> tuple[str | None, Audit | None, list[RowProblem]]:
        """The row's audit id, its audit (None when it has problems) and its problems."""
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
            **optional,
        )
        if version.check.passes(audit):
            return audit_id, audit, []
        for problem in version.check.problems(audit):
            source = self._source_of(problem.path, judgement_columns)
            raw = values.get(source.column) if source.column is not None else source.fixed
            row.problems.append(
                RowProblem(source.label, display(raw), f"{problem.message}, under {version.label}")
            )
        return audit_id, None, row.problems

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

    def _source_of(self, path: str, judgement_columns: list[dict[str, str]]) -> _Source:
        """The column (or fixed value) behind a check problem's path."""
        parts = path.removeprefix("$.").split(".")
        head = parts[0]
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


def _outcome(value: Any) -> ModerationOutcome | None:
    found = text(value)
    if found is None:
        return None
    try:
        return ModerationOutcome(found.casefold())
    except ValueError:
        raise CellError(
            f"{found!r} is not a moderation outcome (agree, upgrade or downgrade)"
        ) from None


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


def write_audits(audits: Iterable[Audit], target: str | os.PathLike[str]) -> int:
    """Write audits in the native form (``qaframework.to_dict``) and return how many.

    A target ending in ``.json`` gets a JSON array, one audit per line; any other name JSON
    Lines. :func:`load_audits` reads either back to equal audits.
    """
    from qaframework.profiles.converter import to_dict

    path = Path(os.fspath(target))
    lines = [json.dumps(to_dict(audit), ensure_ascii=False) for audit in audits]
    if path.suffix.lower() == ".json":
        body = "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
    else:
        body = "".join(f"{line}\n" for line in lines)
    try:
        path.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise ExportError(str(path), f"cannot be written: {exc.strerror or exc}") from None
    return len(lines)
