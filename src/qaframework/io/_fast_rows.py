"""The row reader's fast path (see :class:`_FastPath`): a row of a CSV or XLSX export read
into its audit with each distinct cell text of a kind converted once and shared, or left to
:meth:`RowReader._read <qaframework.io._audit_rows.RowReader._read>`, which reads it cell by
cell and names its problems."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from qaframework.engine.audits import Audit, Judgement, ModerationRecord, moderation_outcome
from qaframework.io.mapping import MODERATION_PARTS
from qaframework.io.values import (
    MAX_ID_LENGTH,
    CellError,
    day,
    flag,
    is_empty,
    text,
    too_long_for_an_id,
)
from qaframework.io.versions import VersionReader
from qaframework.policy.moderation import ModerationOutcome

__all__ = ["CACHE_LIMIT"]


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


_MISS: Any = object()
"""Not converted (yet): a cache's answer for a cell it has not seen, a conversion's for a
cell that breaks a rule."""
_EMPTY = frozenset({"", None})
"""The cells that are empty at a glance (an all-whitespace cell is found empty by converting)."""
CACHE_LIMIT = 1 << 16
"""The most cell texts a cache of the fast path keeps: past it, new texts are converted each
time they come (an export of free text in a column read as a name costs no more memory)."""
SHARING_WINDOW = 1 << 12
"""How many judgements, once the table of judgements is full, are looked up in it before
deciding whether to go on (see :class:`SharingWindow`)."""


class SharingWindow:
    """Whether a loader still looks judgements up in its full table of them (kept so that
    equal judgements are one object), by the rule the row and columnar engines share: every
    :data:`SHARING_WINDOW` judgements looked up, if fewer than half were found, the lookups
    stop for the rest of the load (an export whose notes all differ, as a council's do,
    pays for looking up only the first ones)."""

    __slots__ = ("looked", "new", "sharing")

    def __init__(self) -> None:
        self.sharing = True
        # Judgements looked up, and of them those not found, since the last decision.
        self.looked = 0
        self.new = 0

    def count(self, looked: int, new: int) -> None:
        """Count judgements looked up in the full table, and those not found there."""
        self.looked += looked
        self.new += new
        if self.looked >= SHARING_WINDOW:
            if self.new * 2 > self.looked:
                self.sharing = False
            self.looked = self.new = 0


class _Versioned:
    """What the fast path keeps for one profile version: each wording of a grade, a role and
    an activity read once, each moderation outcome worked out once."""

    __slots__ = ("activities", "grades", "outcomes", "passes", "roles", "version")

    def __init__(self, version: VersionReader) -> None:
        self.version = version
        self.passes = version.check.passes
        self.grades: dict[Any, str | None] = {}
        self.roles: dict[Any, str | None] = {}
        self.activities: dict[Any, str | None] = {}
        self.outcomes: dict[tuple[str, str], ModerationOutcome] = {}


def _convert(cache: dict[Any, Any], raw: Any, convert: Callable[[Any], Any]) -> Any:
    """``convert(raw)``, kept in ``cache`` when ``raw`` is text (other cell types are
    converted each time: ``1``, ``1.0`` and ``True`` are equal keys that convert apart);
    :data:`_MISS` when the cell breaks a rule."""
    try:
        value = convert(raw)
    except CellError:
        return _MISS
    if type(raw) is str and len(cache) < CACHE_LIMIT:
        cache[raw] = value
    return value


def _under(
    version: VersionReader, read: Callable[[VersionReader, str], str]
) -> Callable[[Any], Any]:
    def convert(raw: Any) -> str | None:
        found = text(raw)
        return None if found is None else read(version, found)

    return convert


class _FastPath:
    """The first reading of a row of a CSV or XLSX export: the row's audit when the row has
    no problem, else None, and :meth:`RowReader._read` reads the row again cell by cell,
    naming each problem. It accepts a row only when that reading would accept the same audit:
    every cell converts by the same rules (:mod:`qaframework.io.values`, the version's
    wordings), every required cell is filled, and the version's check passes; a row with an
    action, a checklist answer, a grade on another scale, or a moderation it cannot complete
    goes to the cell-by-cell reading.

    What it saves: each distinct text of a column kind (names, teams, dates, flags; grades,
    roles and activities under each profile version, since versions word them apart) is
    converted once, and every row holding it shares the one value, so that equal strings,
    dates and judgements are one object in memory. Free text (notes, ids) is not kept; in a
    file screened clean (:attr:`ExportRows.clean`) it is not searched for forbidden
    characters either.
    """

    def __init__(self, reader: Any, clean: bool) -> None:
        """``reader`` is the :class:`~qaframework.io._audit_rows.RowReader` whose rows
        this reads first (typed loosely: it imports this module)."""
        fields = reader.fields
        columns = reader.header.columns
        # A row's cells are read by position: the header's columns, then after them
        # ``tail``: None (for a column the export lacks), then each fixed value.
        self.width = width = len(columns)
        self.tail: list[Any] = [None]
        position = {name: index for index, name in enumerate(columns)}

        def at(column: str | None) -> int:
            return width if column is None else position[column]

        def where(source: Any) -> int:
            if source is None or source.column is not None:
                return at(None if source is None else source.column)
            self.tail.append(source.fixed)
            return width + len(self.tail) - 1

        # Screened cells are the export's: a fixed id is not one of them.
        self.clean = clean and all(
            source is not None and source.column is not None
            for source in (fields["id"], fields["child_id"])
        )
        self.versions = reader.versions
        self.where = tuple(
            where(fields[name])
            for name in (
                "id",
                "child_id",
                "audit_date",
                "activity",
                "auditor",
                "auditor_role",
                "overall_grade",
                "cycle",
                "practitioner",
                "team",
                "service_area",
            )
        )
        self.judgements = [
            (
                standard,
                at(named["grade"]),
                at(named.get("rationale")),
                at(named.get("strengths")),
                at(named.get("would_improve")),
            )
            for standard, named, _sources in reader.judgements
        ]
        self.concerns: list[tuple[Any, int]] = [
            (concern, at(source.column)) for concern, source in reader.concerns
        ]
        self.feedback: list[tuple[Any, int]] = [
            (kind, at(source.column)) for kind, source in reader.feedback
        ]
        moderation = reader.moderation
        # A row's moderation cells, in the order of MODERATION_PARTS, in one call.
        self.moderation: Callable[[list[Any]], tuple[Any, ...]] | None = (
            itemgetter(*(at(moderation.get(part)) for part in MODERATION_PARTS))
            if moderation
            else None
        )
        # Columns whose filled cells only the cell-by-cell reading reads.
        self.elsewhere: list[int] = [
            *(at(column) for _n, named in reader.actions for column in named.values()),
            *(at(source.column) for _item, source in reader.checklist),
            *(at(source.column) for _scale, source in reader.ratings),
        ]
        self.texts: dict[Any, str | None] = {}
        self.days: dict[Any, tuple[date, _Versioned] | None] = {}
        self.other_days: dict[Any, date | None] = {}
        self.flags: dict[Any, bool] = {}
        self.outcomes: dict[Any, ModerationOutcome | None] = {}
        self.tuples: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.made: dict[tuple[Any, ...], Judgement] = {}
        # Whether judgements are still looked up in ``made`` once it is full.
        self.window = SharingWindow()
        self.by_version: dict[int, _Versioned] = {}

    def _day(self, raw: Any) -> Any:
        """The audit date and its version's caches; :data:`_MISS` when the cell is empty,
        not a date, or dated when no version was in force."""
        try:
            found = day(raw)
        except CellError:
            return _MISS
        if found is None:
            return _MISS
        version = self.versions.on(found)
        if version is None:
            return _MISS
        versioned = self.by_version.get(id(version))
        if versioned is None:
            versioned = self.by_version[id(version)] = _Versioned(version)
        value = (found, versioned)
        if type(raw) is str and len(self.days) < CACHE_LIMIT:
            self.days[raw] = value
        return value

    def _note(self, raw: Any) -> Any:
        """A free-text cell as :func:`text` reads it, not kept; :data:`_MISS` if it breaks a
        rule."""
        try:
            return text(raw)
        except CellError:
            return _MISS

    def read(self, cells: Sequence[Any]) -> Audit | None:
        """The row's audit from its cells in the header's order, or None when the row is to
        be read cell by cell."""
        if len(cells) != self.width:
            # Shorter than the header: no cell for the columns it lacks (longer: the reader
            # has found the cells past the header empty).
            cells = [*cells[: self.width], *(None,) * (self.width - len(cells))]
        row = [*cells, *self.tail]
        clean = self.clean
        texts = self.texts
        (
            id_at,
            child_at,
            date_at,
            activity_at,
            auditor_at,
            role_at,
            overall_at,
            cycle_at,
            practitioner_at,
            team_at,
            area_at,
        ) = self.where
        # Ids: free text, at most MAX_ID_LENGTH characters, required.
        raw = row[id_at]
        if clean and type(raw) is str:
            audit_id = raw.strip()
            if len(audit_id) > MAX_ID_LENGTH:
                return None
        else:
            audit_id = self._note(raw)
            if audit_id is _MISS or (audit_id is not None and too_long_for_an_id(audit_id)):
                return None
        if not audit_id:
            return None
        raw = row[child_at]
        if clean and type(raw) is str:
            child_id = raw.strip()
            if len(child_id) > MAX_ID_LENGTH:
                return None
        else:
            child_id = self._note(raw)
            if child_id is _MISS or (child_id is not None and too_long_for_an_id(child_id)):
                return None
        if not child_id:
            return None
        raw = row[date_at]
        dated = self.days.get(raw, _MISS)
        if dated is _MISS:
            dated = self._day(raw)
            if dated is _MISS:
                return None
        audit_date, versioned = dated
        version = versioned.version
        grades = versioned.grades
        raw = row[activity_at]
        activity = versioned.activities.get(raw, _MISS)
        if activity is _MISS:
            activity = _convert(versioned.activities, raw, _under(version, VersionReader.activity))
        if activity is _MISS or activity is None:
            return None
        raw = row[auditor_at]
        auditor = texts.get(raw, _MISS)
        if auditor is _MISS:
            auditor = _convert(texts, raw, text)
        if auditor is _MISS or auditor is None:
            return None
        raw = row[role_at]
        roles = versioned.roles
        auditor_role = roles.get(raw, _MISS)
        if auditor_role is _MISS:
            auditor_role = _convert(roles, raw, _under(version, VersionReader.role))
        if auditor_role is _MISS or auditor_role is None:
            return None
        raw = row[overall_at]
        overall = grades.get(raw, _MISS)
        if overall is _MISS:
            overall = _convert(grades, raw, _under(version, VersionReader.grade))
            if overall is _MISS:
                return None
        if overall is None and version.graded_name(activity) is not None:
            return None
        raw = row[cycle_at]
        cycle = texts.get(raw, _MISS)
        if cycle is _MISS:
            cycle = _convert(texts, raw, text)
            if cycle is _MISS:
                return None
        raw = row[practitioner_at]
        practitioner = texts.get(raw, _MISS)
        if practitioner is _MISS:
            practitioner = _convert(texts, raw, text)
            if practitioner is _MISS:
                return None
        raw = row[team_at]
        team = texts.get(raw, _MISS)
        if team is _MISS:
            team = _convert(texts, raw, text)
            if team is _MISS:
                return None
        raw = row[area_at]
        service_area = texts.get(raw, _MISS)
        if service_area is _MISS:
            service_area = _convert(texts, raw, text)
            if service_area is _MISS:
                return None
        judgements = []
        made = self.made
        sharing = self.window.sharing
        new = 0  # judgements made anew once the table of them is full
        for standard, grade_key, rationale_key, strengths_key, improve_key in self.judgements:
            raw = row[grade_key]
            rationale = row[rationale_key]
            strengths = row[strengths_key]
            would_improve = row[improve_key]
            if (
                raw in _EMPTY
                and rationale in _EMPTY
                and strengths in _EMPTY
                and would_improve in _EMPTY
            ):
                continue
            grade = grades.get(raw, _MISS)
            if grade is _MISS:
                grade = _convert(grades, raw, _under(version, VersionReader.grade))
                if grade is _MISS:
                    return None
            if clean and type(rationale) is str:
                rationale = rationale.strip() or None
            elif rationale is not None:
                rationale = self._note(rationale)
                if rationale is _MISS:
                    return None
            if clean and type(strengths) is str:
                strengths = strengths.strip() or None
            elif strengths is not None:
                strengths = self._note(strengths)
                if strengths is _MISS:
                    return None
            if clean and type(would_improve) is str:
                would_improve = would_improve.strip() or None
            elif would_improve is not None:
                would_improve = self._note(would_improve)
                if would_improve is _MISS:
                    return None
            if grade is None:
                if rationale is None and strengths is None and would_improve is None:
                    continue  # every cell only whitespace: no judgement
                return None  # notes without a grade: a problem to name
            if sharing:
                parts = (standard, grade, rationale, strengths, would_improve)
                judgement = made.get(parts)
                if judgement is None:
                    judgement = Judgement(standard, grade, rationale, strengths, would_improve)
                    if len(made) < CACHE_LIMIT:
                        made[parts] = judgement
                    else:
                        new += 1
            else:
                judgement = Judgement(standard, grade, rationale, strengths, would_improve)
            judgements.append(judgement)
        if sharing and len(made) >= CACHE_LIMIT:
            self.window.count(len(judgements), new)
        flags = self.flags
        concerns: tuple[Any, ...] = ()
        for concern, key in self.concerns:
            raw = row[key]
            raised = flags.get(raw, _MISS)
            if raised is _MISS:
                raised = _convert(flags, raw, flag)
                if raised is _MISS:
                    return None
            if raised:
                concerns += (concern,)
        feedback: tuple[Any, ...] = ()
        for source, key in self.feedback:
            raw = row[key]
            captured = flags.get(raw, _MISS)
            if captured is _MISS:
                captured = _convert(flags, raw, flag)
                if captured is _MISS:
                    return None
            if captured:
                feedback += (source,)
        tuples = self.tuples
        moderations: tuple[ModerationRecord, ...] = ()
        if self.moderation is not None:
            given = self.moderation(row)
            if given.count("") + given.count(None) < len(given) and not all(
                is_empty(cell) for cell in given
            ):
                moderation = self._moderation(given, versioned, overall)
                if moderation is None:
                    return None
                moderations = (moderation,)
        for key in self.elsewhere:
            if not is_empty(row[key]):
                return None
        audit = Audit(
            audit_id,
            child_id,
            activity,
            audit_date,
            auditor,
            auditor_role,
            overall,
            cycle,
            practitioner,
            team,
            service_area,
            tuple(judgements),
            tuples.setdefault(concerns, concerns),
            tuples.setdefault(feedback, feedback),
            moderations,
        )
        return audit if versioned.passes(audit) else None

    def _moderation(
        self, cells: Sequence[Any], versioned: _Versioned, overall: str | None
    ) -> ModerationRecord | None:
        """A row's moderation from its cells (in the order of ``MODERATION_PARTS``), None
        when any is missing or breaks a rule."""
        version = versioned.version
        moderator_cell, role_cell, grade_cell, date_cell, rationale_cell, outcome_cell = cells
        moderator = self.texts.get(moderator_cell, _MISS)
        if moderator is _MISS:
            moderator = _convert(self.texts, moderator_cell, text)
        role = versioned.roles.get(role_cell, _MISS)
        if role is _MISS:
            role = _convert(versioned.roles, role_cell, _under(version, VersionReader.role))
        grade = versioned.grades.get(grade_cell, _MISS)
        if grade is _MISS:
            grade = _convert(versioned.grades, grade_cell, _under(version, VersionReader.grade))
        on = self.other_days.get(date_cell, _MISS)
        if on is _MISS:
            on = _convert(self.other_days, date_cell, day)
        rationale = self._note(rationale_cell)
        outcome = self.outcomes.get(outcome_cell, _MISS)
        if outcome is _MISS:
            outcome = _convert(self.outcomes, outcome_cell, _outcome)
        found = (moderator, role, grade, on, rationale, outcome)
        if _MISS in found:
            return None
        if outcome is None and grade is not None and overall is not None:
            outcome = versioned.outcomes.get((overall, grade))
            if outcome is None:
                outcome = moderation_outcome(version.profile, overall, grade)
                versioned.outcomes[overall, grade] = outcome
        if moderator is None or role is None or grade is None or on is None or outcome is None:
            return None
        return ModerationRecord(moderator, role, grade, outcome, on, rationale)
