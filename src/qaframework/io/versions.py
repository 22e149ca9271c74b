"""The versions of a council's profile a load checks rows against, found by each row's date.

A row is read and checked under the profile version in force on its audit date: a Bolton
audit of 2024 on the Staying Safe scale, one of 2026 on the "Meets good" scale. A row dated
when no version was in force is rejected, naming the dates the versions cover. Each version
also reads the export's wording of grades (:meth:`GradeScale.parse
<qaframework.policy.grades.GradeScale.parse>`: codes, labels, synonyms), roles (ids, titles,
abbreviations) and activities (ids, names), any case, plus the mapping's own wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from qaframework.engine.audits import AuditCheck
from qaframework.errors import NoVersionInForce
from qaframework.io.values import CellError
from qaframework.policy.grades import normalise_grade_text
from qaframework.policy.profile import Profile

__all__ = ["ProfileVersions", "VersionReader"]


def _lookup(entries: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Wording (folded) to id, and the wordings that name several ids."""
    found: dict[str, str] = {}
    clashes: dict[str, set[str]] = {}
    for wording, item_id in entries:
        key = normalise_grade_text(wording)
        if key in found and found[key] != item_id:
            clashes.setdefault(key, {found[key]}).add(item_id)
        else:
            found.setdefault(key, item_id)
    return found, clashes


class VersionReader:
    """One profile version: its :class:`~qaframework.engine.audits.AuditCheck` and how it reads
    grades, roles and activities written in an export."""

    def __init__(
        self,
        profile: Profile,
        in_force_to: date | None,
        role_words: Mapping[str, str],
        activity_words: Mapping[str, str],
    ) -> None:
        self.profile = profile
        self.in_force_to = in_force_to
        self.check = AuditCheck(profile)
        self.label = profile.label
        scale = profile.grade_scale
        self._scale = scale
        self._grade_labels = ", ".join(g.label for g in scale)
        self._roles, self._role_clashes = _lookup(
            (wording, role.id)
            for role in profile.roles
            for wording in (role.id, role.title, *role.abbreviations)
        )
        self._activities, self._activity_clashes = _lookup(
            (wording, a.id) for a in profile.activities for wording in (a.id, a.name)
        )
        # The mapping's wording wins over the profile's own.
        for wording, role_id in role_words.items():
            key = normalise_grade_text(wording)
            self._roles[key] = role_id
            self._role_clashes.pop(key, None)
        for wording, activity_id in activity_words.items():
            key = normalise_grade_text(wording)
            self._activities[key] = activity_id
            self._activity_clashes.pop(key, None)
        self._names = ", ".join(a.name for a in profile.activities)
        self._graded = {a.id: a.name for a in profile.activities if a.graded}
        # An export repeats a handful of spellings thousands of times: each is read once.
        self._grade_seen: dict[str, str] = {}
        self._role_seen: dict[str, str] = {}
        self._activity_seen: dict[str, str] = {}
        self._rating_seen: dict[tuple[str, str], str] = {}

    def graded_name(self, activity: str) -> str | None:
        """The name of ``activity`` when it grades practice, None for any other activity."""
        return self._graded.get(activity)

    def grade(self, text: str) -> str:
        """The grade code ``text`` means on this version's scale; :class:`CellError` if none."""
        seen = self._grade_seen.get(text)
        if seen is not None:
            return seen
        grade = self._scale.parse(text)
        if grade is None:
            raise CellError(
                f"{text!r} is not a grade of {self.label} (its grades: {self._grade_labels})"
            )
        self._grade_seen[text] = grade.code
        return grade.code

    def rating(self, scale_id: str, text: str) -> str:
        """The grade code ``text`` means on another scale of this version;
        :class:`CellError` if the version has no such scale or the scale no such grade."""
        key = (scale_id, text)
        seen = self._rating_seen.get(key)
        if seen is not None:
            return seen
        scale = self.profile._lookup["scales"].get(scale_id)
        if scale is None:
            raise CellError(f"{self.label} has no grade scale {scale_id!r}")
        grade = scale.parse(text)
        if grade is None:
            labels = ", ".join(g.label for g in scale)
            raise CellError(f"{text!r} is not a grade of {scale.name} (its grades: {labels})")
        code: str = grade.code
        self._rating_seen[key] = code
        return code

    def role(self, text: str) -> str:
        """The role id ``text`` means; :class:`CellError` if none or several."""
        seen = self._role_seen.get(text)
        if seen is not None:
            return seen
        key = normalise_grade_text(text)
        clash = self._role_clashes.get(key)
        if clash:
            raise CellError(
                f"{text!r} could be any of the roles {', '.join(sorted(clash))} of {self.label}; "
                "say which under [values.role] in the mapping"
            )
        found = self._roles.get(key)
        if found is None:
            raise CellError(
                f"{text!r} is not a role of {self.label} (give a role's title or "
                "abbreviation, or map the wording under [values.role])"
            )
        self._role_seen[text] = found
        return found

    def activity(self, text: str) -> str:
        """The activity id ``text`` means; :class:`CellError` if none or several."""
        seen = self._activity_seen.get(text)
        if seen is not None:
            return seen
        key = normalise_grade_text(text)
        clash = self._activity_clashes.get(key)
        if clash:
            raise CellError(
                f"{text!r} could be any of the activities {', '.join(sorted(clash))} of "
                f"{self.label}; say which under [values.activity] in the mapping"
            )
        found = self._activities.get(key)
        if found is None:
            raise CellError(
                f"{text!r} is not an activity of {self.label} (its activities: {self._names}; "
                "map the export's wording under [values.activity])"
            )
        self._activity_seen[text] = found
        return found


class ProfileVersions:
    """Every version of a profile, ready to read rows, found by date (cached per day).

    Loading raises :class:`~qaframework.errors.UnknownProfile` for a profile not installed
    and :class:`~qaframework.errors.ProfileError` for a version that does not validate.
    """

    def __init__(
        self,
        profile_id: str,
        *,
        role_words: Mapping[str, str] | None = None,
        activity_words: Mapping[str, str] | None = None,
    ) -> None:
        from qaframework.profiles.registry import get_registry

        registry = get_registry()
        info = registry.info(profile_id)
        self.profile_id = profile_id
        self.versions: tuple[VersionReader, ...] = tuple(
            VersionReader(
                registry.load(profile_id, v.effective_from),
                v.in_force_to,
                role_words or {},
                activity_words or {},
            )
            for v in info.versions
        )
        self._spans = tuple((v.effective_from, v.in_force_to) for v in info.versions)
        self.may_warn = any(v.check.may_warn for v in self.versions)
        """Whether any version flags records with warnings (see ``RoleChecks``)."""
        self._by_day: dict[date, VersionReader | None] = {}

    def on(self, day: date) -> VersionReader | None:
        """The version in force on ``day``, None if none was."""
        try:
            return self._by_day[day]
        except KeyError:
            pass
        found = None
        for version in self.versions:
            if version.profile.effective_from <= day and (
                version.in_force_to is None or day <= version.in_force_to
            ):
                found = version
                break
        self._by_day[day] = found
        return found

    def not_in_force(self, day: date) -> str:
        """Why no version applies on ``day``: the dates the versions cover."""
        return str(NoVersionInForce(self.profile_id, day, self._spans))

    def standards(self) -> tuple[str, ...]:
        """Standard ids of every version, oldest version's first, each once."""
        return tuple(dict.fromkeys(s.id for v in self.versions for s in v.profile.standards))

    def roles(self) -> set[str]:
        """Role ids of every version."""
        return {r.id for v in self.versions for r in v.profile.roles}

    def activities(self) -> set[str]:
        """Activity ids of every version."""
        return {a.id for v in self.versions for a in v.profile.activities}

    def checklist_items(self) -> tuple[str, ...]:
        """Checklist item ids of every version's activities, each once, in order."""
        return tuple(
            dict.fromkeys(
                item.id for v in self.versions for a in v.profile.activities for item in a.checklist
            )
        )

    def scales(self) -> tuple[str, ...]:
        """The ids of every version's other grade scales, each once, in order."""
        return tuple(dict.fromkeys(s.id for v in self.versions for s in v.profile.scales))
