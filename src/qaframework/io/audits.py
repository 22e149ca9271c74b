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
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import (
    Audit,
)
from qaframework.engine.frames import Frames
from qaframework.errors import Problem, QAFrameworkError
from qaframework.io._actions import (
    join_actions,
)
from qaframework.io._audit_rows import RowReader
from qaframework.io._columns import (
    ColumnExport,
    ColumnsDeclined,
    choose_engine,
    open_csv_columns,
)
from qaframework.io._tabular import (
    Collected,
    Progress,
    Totals,
    check_missing,
    collect,
    duplicate_problem,
    fit_for,
    unmapped_columns,
)
from qaframework.io.display import load_html, load_repr
from qaframework.io.errors import ExportError, MappingError, RejectedRows
from qaframework.io.mapping import (
    AUDIT_REQUIRED,
    DEFAULT_AUDIT_MAPPING,
    ActionsMapping,
    AuditMapping,
    Header,
    read_mapping,
)
from qaframework.io.rejections import Rejection, RowProblem, RowWarning
from qaframework.io.rows import ExportRows, detect_format, open_export
from qaframework.io.values import (
    MAX_ID_LENGTH,
    CellError,
    display,
    too_long_for_an_id,
)
from qaframework.io.versions import ProfileVersions, VersionReader
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.grades import grade_order

__all__ = ["RECORD_KINDS", "AuditLoad", "load_audits", "write_audits"]

MappingSpec = AuditMapping | Mapping[str, Any] | str | os.PathLike[str]

RECORD_KINDS = frozenset(
    {
        "judgements",
        "concerns",
        "feedback",
        "moderation",
        "actions",
        "checklist",
        *(f"concerns:{c.value}" for c in Concern),
        *(f"feedback:{f.value}" for f in FeedbackSource),
    }
)
"""Every kind of data an audit export can carry: what the native form carries."""

_ID = operator.attrgetter("id")
_AUDIT_DATE = operator.attrgetter("audit_date")


class _AuditLoadViews:
    """What a load of audits says of itself, whatever holds its audits: the rejected
    duplicates, whether all was accepted, the kinds of data recorded, its views."""

    __slots__ = ()
    file: str
    format: str
    rows_read: int
    rejected: tuple[Rejection, ...]
    blank_rows: int
    missing_columns: tuple[str, ...]
    warnings: tuple[str, ...]
    actions_rejected: tuple[Rejection, ...]
    recorded: frozenset[str]
    profile_id: str
    unmapped_columns: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many audits were accepted."""
        raise NotImplementedError

    @property
    def duplicates(self) -> tuple[Rejection, ...]:
        """The rows rejected for repeating an audit id seen on an earlier row."""
        return tuple(r for r in self.rejected if r.duplicate_of is not None)

    @property
    def ok(self) -> bool:
        """Whether every row read (of the actions file too) was accepted."""
        return not self.rejected and not self.actions_rejected

    def records(self, kind: str) -> bool:
        """Whether the export carries ``kind`` of data (see ``recorded``)."""
        return kind in self.recorded

    def __repr__(self) -> str:
        return load_repr(type(self).__name__, self, self.count, "audits", self.profile_id)

    def _repr_html_(self) -> str:
        return load_html(
            f"Audit export for {self.profile_id}",
            self,
            self.count,
            "audits",
            self.unmapped_columns,
            len(self.duplicates),
        )


@attrs.frozen(repr=False)
class AuditLoad(_AuditLoadViews):
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

    ``recorded`` says which kinds of data the export carries (:data:`RECORD_KINDS`:
    ``judgements``, ``concerns``, ``feedback``, ``moderation``, ``actions``, ``checklist``
    (answers to checklist items), and each concern
    and feedback source as ``concerns:health``, ``feedback:child``): a kind absent from it is
    *not recorded in this export*, which is not the same as none. The native form carries
    every kind. ``sheets`` are the worksheets read; with several, ``accepted_sheets`` gives
    each audit's, in step with ``accepted``. ``actions_file`` is the file of actions joined
    to the audits, if any, with its rows read (``actions_rows_read``) and rejected
    (``actions_rejected``). ``warnings`` say what the load could not do as asked: columns an
    explicit mapping names that the export lacks, worksheets not read. ``flagged`` are accepted
    rows the profile flags (an audit or a moderation by a role not named for it, where its
    ``role_checks`` make that a warning), in file order, each with its row, column and
    reason. ``grades`` are the grade codes of the profile versions the accepted audits were
    read under, best first (:func:`~qaframework.policy.grades.grade_order`): the order of the
    grade columns of :meth:`to_pandas` and :meth:`to_polars`.
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
    recorded: frozenset[str] = RECORD_KINDS
    sheets: tuple[str, ...] = ()
    accepted_sheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    actions_file: str | None = None
    actions_rows_read: int = 0
    actions_rejected: tuple[Rejection, ...] = ()
    grades: tuple[str, ...] = ()
    flagged: tuple[RowWarning, ...] = ()

    @property
    def count(self) -> int:
        """How many audits were accepted."""
        return len(self.accepted)

    def to_pandas(self) -> Frames:
        """The accepted audits and the rejections as pandas frames (see
        :func:`qaframework.io.frames.record_frames`), grades ordered as :attr:`grades`;
        needs the ``pandas`` extra."""
        from qaframework.io.frames import record_frames

        return record_frames(
            self.accepted, self.rejected, backend="pandas", grades=self.grades or None
        )

    def to_polars(self) -> Frames:
        """The accepted audits and the rejections as polars frames (see
        :func:`qaframework.io.frames.record_frames`), grades ordered as :attr:`grades`;
        needs the ``polars`` extra. :func:`~qaframework.io.audit_frames.load_audit_frames`
        gives the same frames without making the audits first."""
        from qaframework.io.frames import record_frames

        return record_frames(
            self.accepted, self.rejected, backend="polars", grades=self.grades or None
        )


def load_audits(
    source: str | os.PathLike[str],
    profile_id: str,
    *,
    mapping: MappingSpec | None = None,
    strict: bool = False,
    format: str | None = None,
    sheet: str | Sequence[str] | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    pause_gc: bool = True,
    max_bytes: int | None = None,
    actions: str | os.PathLike[str] | None = None,
    actions_mapping: ActionsMapping | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    engine: str | None = None,
) -> AuditLoad:
    """Load an audit export, checking each row under the profile version of its date.

    ``mapping`` is an :class:`~qaframework.io.mapping.AuditMapping`, a dict of the same
    form, or the path of a TOML or JSON mapping file. Without one, a CSV or XLSX export is
    read with :data:`~qaframework.io.mapping.DEFAULT_AUDIT_MAPPING` and a JSON or JSON
    Lines export in the native form (``qaframework.to_dict(audit)`` per row). ``format``
    overrides the format the file's name gives (``csv``, ``xlsx``, ``json``, ``jsonl``);
    ``sheet`` and ``encoding`` override the mapping's: ``sheet`` is a worksheet's name,
    several names, or ``"all"`` (every worksheet holding the required columns, the others
    noted in ``warnings``); without one the first worksheet is read and any other holding
    the required columns is named in ``warnings`` as not read. ``progress`` is told how many
    rows have been read. ``pause_gc`` pauses the cycle collector while audits are built and
    restores it afterwards: nothing built forms a cycle, and a collector walking millions of
    new objects again and again makes a bulk load several times slower (turn it off only to
    measure that). ``max_bytes`` is the largest file read (2 GiB unless
    ``QAFRAMEWORK_MAX_EXPORT_BYTES`` says otherwise); a larger file, or a name that is not a
    regular file (a pipe, a device), is refused with :class:`ExportError`.

    ``actions`` is a file of actions, one row per action, read with ``actions_mapping``
    (an :class:`~qaframework.io.mapping.ActionsMapping`, a dict or a file;
    :data:`~qaframework.io.mapping.DEFAULT_ACTIONS_MAPPING` when None) and added to the
    audits whose ids its rows give.

    ``engine`` says how a CSV export is read: ``"columns"`` checks whole columns at once
    with polars (the ``polars`` extra), ``"rows"`` reads row by row, and ``"auto"`` (the
    default) is ``columns`` when polars is installed and the file is 16 MiB or more
    (:data:`~qaframework.io._columns.SMALL_EXPORT_BYTES`; a smaller file is read by rows
    sooner than polars is imported). Both give the same accepted audits,
    rejections and warnings; a file, or a row, the columnar path cannot vouch for (another
    encoding, a quote out of place, a control character, a cell it cannot convert) is read
    by the row path. Without ``engine`` the environment variable ``QAFRAMEWORK_ENGINE``
    decides, then ``auto``. An XLSX export is read by python-calamine when it is installed
    (the ``xlsx`` extra; ``QAFRAMEWORK_XLSX_READER`` chooses), giving exactly the cells
    openpyxl gives, so the load is the same (see :func:`qaframework.io.rows.open_rows`).

    A column an explicit ``mapping`` names that the export lacks leaves its field not
    recorded on every row: a warning in ``warnings``, and with ``strict`` an
    :class:`ExportError`. With ``strict`` a load with any rejected row raises
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
        load, _, versions = _load_tabular(
            file,
            profile_id,
            chosen,
            mapping,
            strict=strict,
            sheet=sheet,
            encoding=encoding,
            progress=progress,
            pause_gc=pause_gc,
            max_bytes=max_bytes,
            engine=engine,
        )
    if actions is not None:
        load = _with_actions(load, actions, versions, actions_mapping, strict, encoding, max_bytes)
    load = attrs.evolve(load, grades=_grades(versions, load.accepted))
    if strict and load.rejected:
        raise RejectedRows(file, load.rows_read, load.rejected)
    if strict and load.actions_rejected:
        assert load.actions_file is not None
        raise RejectedRows(load.actions_file, load.actions_rows_read, load.actions_rejected)
    return load


def _load_tabular(
    file: str,
    profile_id: str,
    chosen: str,
    mapping: MappingSpec | None,
    *,
    strict: bool,
    sheet: str | Sequence[str] | None,
    encoding: str | None,
    progress: Progress | None,
    pause_gc: bool,
    max_bytes: int | None,
    engine: str | None,
    frames: bool = False,
) -> tuple[AuditLoad, Collected, ProfileVersions]:
    """A CSV or XLSX export read through a mapping: the load (its accepted audits empty when
    the rows were collected as frames), what was collected, and the profile's versions.
    With ``frames`` a CSV export the columnar path reads is collected as frames
    (:class:`~qaframework.io._column_frames.FramesCollected`)."""
    spec = read_mapping(AuditMapping, mapping if mapping is not None else DEFAULT_AUDIT_MAPPING)
    versions = ProfileVersions(
        profile_id,
        role_words=spec.values.get("role", {}),
        activity_words=spec.values.get("activity", {}),
    )
    _check_against_profile(spec, versions)
    required = [
        spec.columns[name]
        for name in AUDIT_REQUIRED
        if name in spec.columns and name not in spec.fixed
    ]
    read_encoding = encoding if encoding is not None else spec.encoding
    columnar = None
    if chosen == "csv" and choose_engine(engine, file, small_by_rows=not frames) == "columns":
        delimiter = spec.delimiter
        if delimiter is None:
            delimiter = "\t" if Path(file).suffix.lower() == ".tsv" else ","
        columnar = open_csv_columns(file, read_encoding, delimiter, max_bytes)

    def read(columnar: ColumnExport | None) -> tuple[Any, ...]:
        if columnar is not None:
            parts: tuple[ExportRows, ...] = (columnar.part,)
            notes: tuple[str, ...] = ()
        else:
            export = open_export(
                file,
                fit=fit_for(file, required),
                format=chosen,
                sheet=sheet if sheet is not None else spec.sheet,
                encoding=read_encoding,
                delimiter=spec.delimiter,
                max_bytes=max_bytes,
            )
            parts, notes = export.parts, export.notes
        readers = [
            RowReader(
                spec, Header(file, part.columns), versions, cells=part.format, clean=part.clean
            )
            for part in parts
        ]
        missing: list[tuple[str, str]] = []
        for reader in readers:
            missing.extend(m for m in reader.missing if m not in missing)
        warnings = list(notes)
        if mapping is not None:
            asked = missing + [m for r in readers for m in r.missing_actions if m not in missing]
            warnings.extend(check_missing(file, spec.source, asked, strict=strict))
        with paused_gc(pause_gc):
            if columnar is not None:
                found = columnar.collect(readers[0], versions, progress, frames=frames)
            else:
                found = collect(
                    [
                        (part, reader.read_row, reader.id_column)
                        for part, reader in zip(parts, readers, strict=True)
                    ],
                    key_name="audit id",
                    progress=progress,
                    warn=[reader.warnings for reader in readers] if versions.may_warn else None,
                )
        return parts, readers, missing, warnings, found

    try:
        parts, readers, missing, warnings, found = read(columnar)
    except (ColumnsDeclined, QAFrameworkError):
        if columnar is None:
            raise
        # A slice the columnar path cannot vouch for, or a file whose header is refused:
        # the row reader reads the file and says what is wrong with it.
        columnar.close()
        parts, readers, missing, warnings, found = read(None)
    left = unmapped_columns(
        (part, reader.header) for part, reader in zip(parts, readers, strict=True)
    )
    totals = Totals.of(parts)
    load = AuditLoad(
        file,
        profile_id,
        chosen,
        found.rows_read,
        tuple(found.accepted),
        tuple(found.rejected),
        totals.blank_rows,
        totals.columns,
        left,
        tuple(dict.fromkeys(column for column, _ in missing)),
        totals.lines,
        frozenset().union(*(reader.recorded for reader in readers)),
        totals.sheets,
        found.sheets,
        tuple(warnings),
        flagged=tuple(found.warned),
    )
    return load, found, versions


def _with_actions(
    load: AuditLoad,
    source: str | os.PathLike[str],
    versions: ProfileVersions,
    mapping: ActionsMapping | Mapping[str, Any] | str | os.PathLike[str] | None,
    strict: bool,
    encoding: str | None,
    max_bytes: int | None,
) -> AuditLoad:
    """The load with the actions file's actions added to its audits."""
    joined, read = join_actions(
        load.accepted,
        load.file,
        source,
        versions,
        mapping=mapping,
        strict=strict,
        sheet=None,
        encoding=encoding,
        max_bytes=max_bytes,
    )
    return attrs.evolve(
        load,
        accepted=tuple(joined),
        recorded=load.recorded | {"actions"},
        warnings=(*load.warnings, *read.warnings),
        actions_file=read.file,
        actions_rows_read=read.rows_read,
        actions_rejected=read.rejected,
    )


def _grades(versions: ProfileVersions, accepted: tuple[Audit, ...]) -> tuple[str, ...]:
    """The grade codes of the versions the accepted audits were read under (the latest
    version's when none was accepted), best first."""
    return _grades_on(versions, set(map(_AUDIT_DATE, accepted)))


def _grades_on(versions: ProfileVersions, days: Iterable[date]) -> tuple[str, ...]:
    """:func:`_grades` for audits dated ``days``."""
    used = {id(v): v for v in map(versions.on, days) if v is not None}
    chosen = [v for v in versions.versions if id(v) in used] or list(versions.versions[-1:])
    return grade_order(v.profile.grade_scale for v in chosen)


def _load_native(
    file: str,
    format: str,
    versions: ProfileVersions,
    progress: Progress | None,
    max_bytes: int | None,
) -> AuditLoad:
    from qaframework.io.native import read_native

    found = read_native(file, format, max_bytes, _vocabulary(versions))
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
    long_ids = _id_problems(audits)
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
    flagged: list[RowWarning] = []
    if versions.may_warn:
        candidates: Iterable[int] = itertools.compress(range(len(audits)), passed)
        if len(in_force) == 1 and None not in in_force:
            # One version: screen the accepted audits in one pass, look only at those flagged.
            (only,) = in_force
            assert only is not None
            screened = map(only.check.warns, itertools.compress(audits, passed))
            candidates = itertools.compress(list(candidates), screened)
        for position in candidates:
            audit = audits[position]
            version = version_on[dates[position]]
            if version is None or not version.check.warns(audit):
                continue
            problems = [
                RowProblem(p.path.removeprefix("$."), _native_value(audit, p), p.message)
                for p in version.check.warnings(audit)
            ]
            flagged.append(RowWarning(file, numbers[position], tuple(problems)))
    return AuditLoad(
        file,
        versions.profile_id,
        format,
        total,
        tuple(accepted),
        tuple(rejected[n] for n in sorted(rejected)),
        found.blank_rows,
        lines_read=found.lines,
        flagged=tuple(flagged),
    )


def _vocabulary(versions: ProfileVersions) -> tuple[tuple[str, frozenset[str]], ...]:
    """The words of every version of a profile, by kind (see
    :data:`qaframework.io.native.Vocabulary`)."""
    profiles = [version.profile for version in versions.versions]
    return (
        ("activity", frozenset(a.id for p in profiles for a in p.activities)),
        ("grade", frozenset(code for p in profiles for code in p.grade_scale.codes)),
        ("role", frozenset(r.id for p in profiles for r in p.roles)),
        ("standard", frozenset(s.id for p in profiles for s in p.standards)),
    )


def _id_problems(audits: list[Audit]) -> dict[int, list[RowProblem]]:
    """The positions of audits with an id longer than an id may be, or two actions with
    the same id, and their problems."""
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
        seen: set[str] = set()
        for index, action in enumerate(audit.actions):
            if action.id in seen:
                found.setdefault(position, []).append(
                    RowProblem(
                        f"actions[{index}].id",
                        display(action.id),
                        "an earlier action of the audit has this id: each needs its own",
                    )
                )
            seen.add(action.id)
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
    items = set(versions.checklist_items())
    for item in spec.checklist:
        if item not in items:
            problems.append(
                f"checklist.{item}: no activity of any version of {label} has this checklist item"
            )
    scales = set(versions.scales())
    for scale in spec.ratings:
        if scale not in scales:
            problems.append(f"ratings.{scale}: no version of {label} has this grade scale")
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
