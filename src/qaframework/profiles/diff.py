"""What changed between two profiles: two versions of one council's framework, or two councils.

Bolton replaced its Staying Safe framework with Focus on the Fundamentals; a council's author
adds a version when the framework is revised; a reader compares how two councils run the same
process. :func:`diff_profiles` says what changed, section by section, in the profile's own
terms:

- items of each section (sources, other grade scales, roles, standards, forums, reporting
  lines, activities, moderation policies, escalation rules, action timescales, case fields,
  assumptions) are matched by id and reported as added, removed or changed; grades are
  matched by code;
- for an item present in both, each changed field is given with its value before and after,
  as plain data (``cadence``: ``P1M`` to ``P6W``; ``quota.count``; ``recipients``), nested
  fields by their path within the item (``selection[0].proportion``);
- the version's own fields (its dates, title, authority) are the section ``profile``, the
  grade scale's (its name, good-or-better threshold) the section ``grade_scale``;
- grade scales are also compared through the ILACS crosswalk: for each ILACS judgement, the
  grades that meet it on each side (Bolton's "Good" became "Meets good").

Citations are not facts that change: they are left out of the field comparison and shown
with each change instead, before and after, so a reader can check both documents.

An assumption kept from one version to the next still governs the paths it names, and a path
that names an item by its place (``$.activities[3]``) may name another item once items are
added, removed or reordered. :func:`concern_shifts` finds each such path whose item changed,
and each path that no longer points into the profile: the diff reports them
(:attr:`ProfileDiff.concern_shifts`), so an assumption is never silently moved onto another
fact.

The module is pure: it reads two :class:`~qaframework.policy.profile.Profile` values and returns a
:class:`ProfileDiff`, a frozen value that converts to plain data with
:func:`qaframework.profiles.converter.to_dict` and back.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from qaframework.policy.citations import Citation
from qaframework.policy.grades import Grade, Ilacs
from qaframework.policy.paths import PathError, resolve_path
from qaframework.policy.profile import ID_SECTIONS, Profile
from qaframework.profiles.converter import to_dict

__all__ = [
    "SECTIONS",
    "SECTION_TITLES",
    "ChangeKind",
    "ConcernShift",
    "CrosswalkChange",
    "FieldChange",
    "ItemChange",
    "ProfileDiff",
    "SectionDiff",
    "concern_shifts",
    "diff_profiles",
]

SECTION_TITLES = {
    "profile": "Profile",
    "sources": "Sources",
    "grade_scale": "Grade scale",
    "grades": "Grades",
    "scales": "Other grade scales",
    "roles": "Roles",
    "standards": "Standards",
    "forums": "Forums",
    "reporting_lines": "Reporting lines",
    "activities": "Activities",
    "moderation": "Moderation",
    "escalation": "Escalation",
    "action_timescales": "Action timescales",
    "case_fields": "Case fields",
    "assumptions": "Assumptions",
}
"""The title of each of :data:`SECTIONS`, for a reader."""

SECTIONS = tuple(SECTION_TITLES)
"""The sections of a diff, in the order they are reported."""

# The profile's own fields, reported as the section "profile".
_HEADER = (
    "id",
    "authority",
    "name",
    "version",
    "effective_from",
    "effective_to",
    "schedule_anchor",
    "summary",
)
_CITATION = "citation"


class ChangeKind(enum.Enum):
    """How an item differs: present only after, only before, or in both but different."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@attrs.frozen
class FieldChange:
    """One field of an item, before and after, as plain data (None where absent).

    ``path`` is the field's place within the item: ``cadence``, ``quota.count``,
    ``selection[0].proportion``.
    """

    path: str
    before: Any = None
    after: Any = None


@attrs.frozen
class ItemChange:
    """An item added, removed or changed, with the citations of each side.

    ``id`` is the item's id (a grade's code); ``title`` its name in words (an activity's
    name, a role's title). A changed item lists its changed ``fields``.
    """

    kind: ChangeKind
    id: str
    title: str
    fields: tuple[FieldChange, ...] = ()
    before_citation: Citation | None = None
    after_citation: Citation | None = None


@attrs.frozen
class SectionDiff:
    """The changes in one section (one of :data:`SECTIONS`): added, then removed, then changed."""

    section: str
    changes: tuple[ItemChange, ...]

    def of_kind(self, kind: ChangeKind) -> tuple[ItemChange, ...]:
        """The changes of one kind, in order."""
        return tuple(change for change in self.changes if change.kind is kind)

    def item(self, item_id: str) -> ItemChange | None:
        """The change of the item with this id, or None if it did not change."""
        return next((change for change in self.changes if change.id == item_id), None)


@attrs.frozen
class CrosswalkChange:
    """For one ILACS judgement, the labels of the grades that meet it before and after."""

    ilacs: Ilacs
    before: tuple[str, ...]
    after: tuple[str, ...]


@attrs.frozen
class ConcernShift:
    """A path an assumption names that points elsewhere in the other version.

    ``assumption`` is the assumption's id, ``path`` the path as written; ``before`` and
    ``after`` what it points at on each side, items by id (``$.activities[file_audit]``), or
    None where it points at nothing.
    """

    assumption: str
    path: str
    before: str | None
    after: str | None

    def describe(self) -> str:
        """In words: what the path meant, and what it means now."""
        if self.after is None:
            return (
                f"assumption {self.assumption!r} names {self.path!r}, which pointed at "
                f"{self.before} and now points at nothing"
            )
        return (
            f"assumption {self.assumption!r} names {self.path!r}, which pointed at "
            f"{self.before} and now points at {self.after}: another item"
        )


@attrs.frozen
class ProfileDiff:
    """What changed from one profile (``before``, its label) to another (``after``).

    ``sections`` holds only the sections with changes, in the order of :data:`SECTIONS`;
    ``crosswalk`` only the ILACS judgements whose grades changed; ``concern_shifts`` the
    paths of assumptions kept on both sides that point elsewhere (:func:`concern_shifts`).
    """

    before: str
    after: str
    sections: tuple[SectionDiff, ...] = ()
    crosswalk: tuple[CrosswalkChange, ...] = ()
    concern_shifts: tuple[ConcernShift, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed."""
        return not self.sections and not self.crosswalk and not self.concern_shifts

    def section(self, name: str) -> SectionDiff | None:
        """The changes of one section, or None when it did not change."""
        if name not in SECTIONS:
            raise KeyError(f"no section {name!r} (sections: {', '.join(SECTIONS)})")
        return next((s for s in self.sections if s.section == name), None)


def _without_citations(value: Any) -> Any:
    """Plain data with every citation left out, at any depth."""
    if isinstance(value, Mapping):
        return {k: _without_citations(v) for k, v in value.items() if k != _CITATION}
    if isinstance(value, list):
        return [_without_citations(item) for item in value]
    return value


def _field_changes(before: Any, after: Any, path: str) -> list[FieldChange]:
    """The differences between two pieces of plain data, field by field."""
    if before == after:
        return []
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        changes: list[FieldChange] = []
        for key in [*before, *(k for k in after if k not in before)]:
            if key == _CITATION:
                continue
            where = f"{path}.{key}" if path else key
            changes.extend(_field_changes(before.get(key), after.get(key), where))
        return changes
    if (
        isinstance(before, list)
        and isinstance(after, list)
        and len(before) == len(after)
        and all(isinstance(item, Mapping) for item in [*before, *after])
    ):
        # Lists of tables without ids (selection rules) are compared place by place.
        changes = []
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            changes.extend(_field_changes(old, new, f"{path}[{index}]"))
        return changes
    return [FieldChange(path, _without_citations(before), _without_citations(after))]


def _title(item: Any) -> str:
    for name in ("name", "title", "report", "label", "text"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return str(item.id)


def _citation(item: Any) -> Citation | None:
    value = getattr(item, _CITATION, None)
    return value if isinstance(value, Citation) else None


def _items(
    section: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    ignore: Sequence[str] = ("id",),
    citations: tuple[Citation | None, Citation | None] | None = None,
) -> SectionDiff | None:
    """Items of both sides matched by key: added, removed, then changed."""

    def cited(item: Any, side: int) -> Citation | None:
        return citations[side] if citations is not None else _citation(item)

    changes: list[ItemChange] = [
        ItemChange(ChangeKind.ADDED, key, _title(item), after_citation=cited(item, 1))
        for key, item in after.items()
        if key not in before
    ]
    changes.extend(
        ItemChange(ChangeKind.REMOVED, key, _title(item), before_citation=cited(item, 0))
        for key, item in before.items()
        if key not in after
    )
    for key, new in after.items():
        old = before.get(key)
        if old is None or old == new:
            continue
        old_data = {k: v for k, v in to_dict(old).items() if k not in ignore}
        new_data = {k: v for k, v in to_dict(new).items() if k not in ignore}
        fields = _field_changes(old_data, new_data, "")
        if fields:
            changes.append(
                ItemChange(
                    ChangeKind.CHANGED,
                    key,
                    _title(new),
                    tuple(fields),
                    before_citation=cited(old, 0),
                    after_citation=cited(new, 1),
                )
            )
    return SectionDiff(section, tuple(changes)) if changes else None


def _by_id(items: Sequence[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def _header(before: Profile, after: Profile) -> SectionDiff | None:
    old, new = to_dict(before), to_dict(after)
    fields = [
        FieldChange(name, old.get(name), new.get(name))
        for name in _HEADER
        if old.get(name) != new.get(name)
    ]
    if not fields:
        return None
    change = ItemChange(ChangeKind.CHANGED, after.id, after.name, tuple(fields))
    return SectionDiff("profile", (change,))


def _crosswalk(before: Sequence[Grade], after: Sequence[Grade]) -> tuple[CrosswalkChange, ...]:
    changes = []
    for judgement in Ilacs:
        old = tuple(g.label for g in before if g.ilacs is judgement)
        new = tuple(g.label for g in after if g.ilacs is judgement)
        if old != new:
            changes.append(CrosswalkChange(judgement, old, new))
    return tuple(changes)


def _points_at(profile: Profile, path: str) -> str | None:
    try:
        return resolve_path(profile, path).by_id
    except PathError:
        return None


def concern_shifts(before: Profile, after: Profile) -> tuple[ConcernShift, ...]:
    """The paths of assumptions present in both profiles (matched by id, and the path named on
    both sides) that point at another item in ``after`` than in ``before``, or at nothing.

    A path by place (``$.activities[3].cadence``) shifts when the item at that place changed
    id; any path shifts to nothing when its item is gone. Paths that point at nothing already
    in ``before`` are its own problem and are not reported.
    """
    earlier = {a.id: a for a in before.assumptions}
    found: list[ConcernShift] = []
    for assumption in after.assumptions:
        old = earlier.get(assumption.id)
        if old is None:
            continue
        for path in assumption.concerns:
            if path not in old.concerns:
                continue
            was, now = _points_at(before, path), _points_at(after, path)
            if was is not None and was != now:
                found.append(ConcernShift(assumption.id, path, was, now))
    return tuple(found)


def diff_profiles(before: Profile, after: Profile) -> ProfileDiff:
    """What changed from ``before`` to ``after``, section by section.

    The two may be versions of one council's profile or two councils' profiles. A profile
    compared with itself gives an empty diff.
    """
    old_scale, new_scale = before.grade_scale, after.grade_scale
    scale_citations = (old_scale.citation, new_scale.citation)
    found: dict[str, SectionDiff | None] = {
        "profile": _header(before, after),
        # A profile has one grade scale: the two are compared whatever their ids.
        "grade_scale": _items(
            "grade_scale",
            {new_scale.id: old_scale},
            {new_scale.id: new_scale},
            ignore=("grades",),
        ),
        "grades": _items(
            "grades",
            {g.code: g for g in old_scale.grades},
            {g.code: g for g in new_scale.grades},
            ignore=("code",),
            citations=scale_citations,
        ),
    }
    # The sections whose items are matched by id.
    for section in ID_SECTIONS:
        found[section] = _items(
            section, _by_id(getattr(before, section)), _by_id(getattr(after, section))
        )
    sections = tuple(diff for name in SECTIONS if (diff := found.get(name)) is not None)
    return ProfileDiff(
        before=before.label,
        after=after.label,
        sections=sections,
        crosswalk=_crosswalk(old_scale.grades, new_scale.grades),
        concern_shifts=concern_shifts(before, after),
    )
