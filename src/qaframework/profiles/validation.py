"""Turning a profile's data into a :class:`~qaframework.policy.profile.Profile`, reporting every
problem.

:func:`profile_from_data` structures each section of a profile document with the strict
converter, then checks what types cannot: ids are unique and well formed, every reference
(roles, forums, reporting lines, activities, standards, grades, source documents) resolves,
every grade scale is ordered consistently with ILACS, the management chain has no loop. All
problems from all sections are collected and raised together as one
:class:`~qaframework.errors.ProfileError`, each with its path, so an author fixes a file in
one pass. A section that fails to structure still lends its ids to the reference checks, so
one typo does not cascade into spurious "unknown role" reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast, get_args, get_origin

import attrs

from qaframework.engine.obligations import window_kind
from qaframework.errors import Problem, ProfileError
from qaframework.policy.actions import ActionTimescale
from qaframework.policy.activities import Activity
from qaframework.policy.cadence import Quota, QuotaQualifier
from qaframework.policy.case_filters import (
    KNOWN_CASE_FIELDS,
    CaseField,
    CaseFilter,
)
from qaframework.policy.checklists import ChecklistItem
from qaframework.policy.citations import Citation
from qaframework.policy.display import plural
from qaframework.policy.escalation import Consequence, Deadline, EscalationRule, Trigger
from qaframework.policy.grades import GradeScale, normalise_grade_text
from qaframework.policy.moderation import ModerationPolicy, SelectionRule
from qaframework.policy.paths import PathError, resolve_path
from qaframework.policy.permissions import RoleChecks
from qaframework.policy.profile import ID_SECTIONS, Profile
from qaframework.policy.reporting import Forum, ReportingLine
from qaframework.policy.roles import Role
from qaframework.policy.sampling import SamplingRule
from qaframework.policy.unknowns import NOT_STATED_TEXT, NotStated
from qaframework.profiles._declared import declared_names, undeclared_values
from qaframework.profiles.converter import converter, problems_from_exception
from qaframework.profiles.plugins import PluginBehaviour
from qaframework.profiles.salvage import Salvaged, raw_crosswalk_problems, salvage

__all__ = ["SCHEMA_VERSION", "check_profile", "profile_from_data"]

SCHEMA_VERSION = 1
"""The version of the profile data format this release reads (the ``schema`` key)."""

_ID = re.compile(r"[a-z][a-z0-9_]*")

# The reference kind each id namespace (the sections of ID_SECTIONS, and grades) answers to.
_NOUN = {
    "sources": "source document",
    "roles": "role",
    "standards": "standard",
    "forums": "forum",
    "reporting_lines": "reporting line",
    "activities": "activity",
    "grades": "grade",
    "scales": "grade scale",
}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = tuple(f.name for f in attrs.fields(cls) if f.init)
        _FIELD_NAMES[cls] = names
    return names


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every attrs instance inside ``value`` with its path, depth first, in order."""
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            if isinstance(item, tuple) or attrs.has(type(item)):
                yield from _walk(item, f"{path}[{index}]")
        return
    if not attrs.has(type(value)):
        return
    yield path, value
    for name in _field_names(type(value)):
        child = getattr(value, name)
        # Strings, numbers, dates and enums hold nothing to check; skip them without a call.
        if isinstance(child, tuple) or attrs.has(type(child)):
            yield from _walk(child, f"{path}.{name}")


class _Checker:
    def __init__(
        self,
        ids: Mapping[str, set[str]],
        scale: GradeScale | None,
        case_fields: Mapping[str, CaseField] | None = None,
    ) -> None:
        self.ids = ids
        self.scale = scale
        # The fields filters may name: the known ones and the declared ones (with their
        # values, when a declaration lists them).
        self.case_fields = dict(case_fields or {})
        self.field_names = set(KNOWN_CASE_FIELDS) | set(ids.get("case_fields", ()))
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def refs(self, path: str, kind: str, values: tuple[str, ...] | str | NotStated | None) -> None:
        if values is None or isinstance(values, NotStated):
            return
        items = (values,) if isinstance(values, str) else values
        known = self.ids.get(kind)
        if known is None:  # the section is absent altogether; reported on its own
            return
        suffix = "[{}]" if not isinstance(values, str) else ""
        for index, value in enumerate(items):
            if value not in known:
                where = path + suffix.format(index)
                choices = declared_names(sorted(known), value)
                hint = ""
                if value == NOT_STATED_TEXT:
                    hint = "; this field cannot be 'not stated' (see the profile format's list)"
                self.add(where, f"unknown {_NOUN[kind]} {value!r} ({choices}){hint}")

    def grade_refs(self, path: str, codes: tuple[str, ...] | str | None) -> None:
        if codes is None or self.scale is None:
            return
        items = (codes,) if isinstance(codes, str) else codes
        suffix = "[{}]" if not isinstance(codes, str) else ""
        for index, code in enumerate(items):
            if code not in self.scale:
                self.add(
                    path + suffix.format(index),
                    f"unknown grade {code!r} (scale {self.scale.id!r}: "
                    f"{', '.join(self.scale.codes)})",
                )

    # -- per-type checks -------------------------------------------------------------
    def citation(self, path: str, c: Citation) -> None:
        self.refs(f"{path}.source", "sources", c.source)
        if not c.section.strip():
            self.add(f"{path}.section", "the citation names no section")

    def role(self, path: str, r: Role) -> None:
        self.refs(f"{path}.reports_to", "roles", r.reports_to)
        if r.reports_to == r.id:
            self.add(f"{path}.reports_to", f"role {r.id!r} cannot report to itself")

    def forum(self, path: str, f: Forum) -> None:
        self.refs(f"{path}.chair", "roles", f.chair)
        self.refs(f"{path}.members", "roles", f.members)

    def reporting_line(self, path: str, rl: ReportingLine) -> None:
        if not rl.produced_by:
            self.add(f"{path}.produced_by", "names no one who produces the report")
        if not rl.to_forums and not rl.to_roles:
            self.add(path, "goes to no forum and no role (give to_forums, to_roles or both)")
        self.refs(f"{path}.produced_by", "roles", rl.produced_by)
        self.refs(f"{path}.to_forums", "forums", rl.to_forums)
        self.refs(f"{path}.to_roles", "roles", rl.to_roles)

    def activity(self, path: str, a: Activity) -> None:
        if not a.who:
            self.add(f"{path}.who", "names no one who undertakes it")
        self.refs(f"{path}.who", "roles", a.who)
        self.refs(f"{path}.reported_via", "reporting_lines", a.reported_via)
        self.refs(f"{path}.standards", "standards", a.standards)
        self.quotas(f"{path}.quota", a.quota)
        self.per_case_events(path, a)
        self.refs(f"{path}.scales", "scales", a.scales)
        for index, scale in enumerate(a.scales):
            if scale in a.scales[:index]:
                self.add(f"{path}.scales[{index}]", f"scale {scale!r} is named twice")
            if self.scale is not None and scale == self.scale.id:
                self.add(
                    f"{path}.scales[{index}]",
                    f"{scale!r} is the profile's grade scale, which every graded audit carries: "
                    "scales names the other scales the activity's audits are also graded on",
                )
        first: dict[str, int] = {}
        for index, item in enumerate(a.checklist):
            where = f"{path}.checklist[{index}].id"
            if not _ID.fullmatch(item.id):
                self.add(where, f"id {item.id!r} is not a lower_snake_case identifier")
            if item.id in first:
                self.add(where, f"duplicate id {item.id!r} (also checklist[{first[item.id]}])")
            first.setdefault(item.id, index)
        self.obligation_conditions(path, a)

    def quotas(self, path: str, value: Quota | tuple[Quota, ...] | None) -> None:
        """Several quotas in one place: each owed per a role of its own."""
        if not isinstance(value, tuple) or len(value) < 2:
            return
        seen: dict[str, int] = {}
        for index, quota in enumerate(value):
            where = f"{path}[{index}]"
            if quota.per is not None:
                self.add(
                    f"{where}.per",
                    f"each of several quotas is owed per a role (per_role), not per {quota.per!r}",
                )
            if quota.per_role is None:
                self.add(
                    f"{where}.per_role", "each of several quotas names the role it is owed per"
                )
            elif quota.per_role in seen:
                self.add(
                    f"{where}.per_role",
                    f"role {quota.per_role!r} has two quotas here (also [{seen[quota.per_role]}]); "
                    "give each role one",
                )
            else:
                seen[quota.per_role] = index

    def per_case_events(self, path: str, a: Activity) -> None:
        """A before- or after-event cadence is owed by each subject with case events."""
        cadence = a.cadence
        if not cadence.kind.is_per_case_event:
            return
        quotas = a.quotas
        if not quotas:
            self.add(
                f"{path}.quota",
                f"the cadence {cadence} is owed for each case: give a quota owed per subject, "
                'such as { count = 1, unit = "audit", per = "child" }',
            )
            return
        many = isinstance(a.quota, tuple)
        for index, quota in enumerate(quotas):
            where = f"{path}.quota[{index}]" if many else f"{path}.quota"
            if quota.per is None:
                self.add(
                    f"{where}.per",
                    f"the cadence {cadence} counts each subject's own case events: the quota "
                    'is owed per that subject (per = "child")',
                )
            if quota.qualifier not in (QuotaQualifier.EXACTLY, QuotaQualifier.AT_LEAST):
                self.add(
                    f"{where}.qualifier",
                    f"the cadence {cadence} makes the quota owed: its count is exact or a "
                    f"minimum, not {quota.qualifier.value!r}",
                )
            if isinstance(quota.count, int) and quota.count < 1:
                self.add(f"{where}.count", f"the cadence {cadence} owes at least 1")
            if quota.period is not None:
                self.add(
                    f"{where}.period",
                    f"the cadence {cadence} says by when each is due; a quota period does "
                    "not apply",
                )

    def sampling(self, path: str, rule: SamplingRule) -> None:
        self.quotas(f"{path}.size", rule.size)
        if rule.filter is not None:
            self.case_filter(f"{path}.filter", rule.filter)

    def case_filter(self, path: str, found: CaseFilter) -> None:
        known = ", ".join(sorted(self.field_names))
        for where, leaf in found.leaves():
            name = leaf.field
            if name is None:
                continue
            if name not in self.field_names:
                self.add(
                    f"{path}{where}.field",
                    f"unknown case field {name!r}: declare it in case_fields (known: {known})",
                )
                continue
            for index, message in undeclared_values(leaf, self.case_fields):
                self.add(f"{path}{where}.values[{index}]", message)

    def case_field(self, path: str, field: CaseField) -> None:
        if not field.name.strip():
            self.add(f"{path}.name", "a case field names the column that holds it")
        seen: set[str] = set()
        for index, value in enumerate(field.values):
            if not value.strip():
                self.add(f"{path}.values[{index}]", "a value is not blank")
            elif value.casefold() in seen:
                self.add(f"{path}.values[{index}]", f"{value!r} is listed twice")
            seen.add(value.casefold())

    def checklist_item(self, path: str, item: ChecklistItem) -> None:
        if not item.question.strip():
            self.add(f"{path}.question", "a checklist item states its question")

    def obligation_conditions(self, path: str, a: Activity) -> None:
        stated = [
            (name, value)
            for name, value in (
                ("from_event", a.from_event),
                ("until_event", a.until_event),
                ("logged_as", a.logged_as),
            )
            if value is not None
        ]
        if stated and window_kind(a, unstated=True) is None:
            for name, _ in stated:
                self.add(
                    f"{path}.{name}",
                    f"{name} is given, but the activity's quota is not owed per subject: it "
                    "needs a count 'exactly' or 'at_least', per or per_role, and a period or "
                    "an event cadence",
                )
        for name, value in stated:
            if name != "logged_as" and not _ID.fullmatch(value):
                self.add(f"{path}.{name}", f"event {value!r} is not a lower_snake_case name")
        if a.from_event is not None and a.from_event == a.until_event:
            self.add(f"{path}.until_event", f"starts and ends on the same event {a.until_event!r}")
        self.refs(f"{path}.logged_as", "activities", a.logged_as)
        if a.logged_as == a.id:
            self.add(f"{path}.logged_as", f"activity {a.id!r} is logged as itself")

    def quota(self, path: str, q: Quota) -> None:
        self.refs(f"{path}.per_role", "roles", q.per_role)

    def selection(self, path: str, s: SelectionRule) -> None:
        self.refs(f"{path}.per_role", "roles", s.per_role)
        self.refs(f"{path}.auditor_roles", "roles", s.auditor_roles)
        self.grade_refs(f"{path}.grade", s.grade)

    def moderation(self, path: str, m: ModerationPolicy) -> None:
        if not m.applies_to:
            self.add(f"{path}.applies_to", "covers no activity")
        if not m.moderators:
            self.add(f"{path}.moderators", "names no moderator")
        if not m.selection:
            self.add(f"{path}.selection", "selects no audit: its selection lists no rule")
        if not m.outcomes:
            self.add(f"{path}.outcomes", "allows no outcome")
        self.refs(f"{path}.applies_to", "activities", m.applies_to)
        self.refs(f"{path}.moderators", "roles", m.moderators)
        self.refs(f"{path}.feedback_to", "roles", m.feedback_to)

    def trigger(self, path: str, t: Trigger) -> None:
        self.grade_refs(f"{path}.at_or_below", t.at_or_below)
        self.grade_refs(f"{path}.grades", t.grades)

    def escalation(self, path: str, e: EscalationRule) -> None:
        if e.recipients == ():
            self.add(
                f"{path}.recipients",
                'names no one to tell (write "not stated" where the source does not say)',
            )
        self.refs(f"{path}.recipients", "roles", e.recipients)
        self.refs(f"{path}.conditional_recipients", "roles", e.conditional_recipients)
        self.refs(f"{path}.raised_by", "roles", e.raised_by)
        self.refs(f"{path}.follow_up_by", "roles", e.follow_up_by)
        self.refs(f"{path}.applies_to", "activities", e.applies_to)
        if e.follow_up is not None and e.follow_up.is_stated:
            if e.follow_up.every is None:
                self.add(
                    f"{path}.follow_up",
                    f"follow-up {str(e.follow_up)!r} has no period (write P1W, P1M ..., or "
                    '"not stated")',
                )
            elif (
                isinstance(e.deadline, Deadline)
                and e.deadline.approximate_days(e.follow_up.every)
                > e.follow_up.every.approximate_days
            ):
                self.add(
                    f"{path}.deadline",
                    f"deadline ({e.deadline.describe()}) is later than the follow-up "
                    f"({e.follow_up.describe()})",
                )

    def consequence(self, path: str, c: Consequence) -> None:
        self.refs(f"{path}.activity", "activities", c.activity)
        self.refs(f"{path}.owner", "roles", c.owner)
        self.refs(f"{path}.monitored_in", "forums", c.monitored_in)
        self.refs(f"{path}.circulated_to", "roles", c.circulated_to)

    def action_timescale(self, path: str, t: ActionTimescale) -> None:
        self.refs(f"{path}.applies_to", "activities", t.applies_to)
        self.refs(f"{path}.owner", "roles", t.owner)
        self.refs(f"{path}.tracked_by", "roles", t.tracked_by)
        self.refs(f"{path}.reviewed_in", "forums", t.reviewed_in)
        self.grade_refs(f"{path}.grades", t.grades)


_DISPATCH: dict[type, Callable[[_Checker, str, Any], None]] = {
    Citation: _Checker.citation,
    Role: _Checker.role,
    Forum: _Checker.forum,
    ReportingLine: _Checker.reporting_line,
    Activity: _Checker.activity,
    Quota: _Checker.quota,
    SamplingRule: _Checker.sampling,
    CaseField: _Checker.case_field,
    SelectionRule: _Checker.selection,
    ModerationPolicy: _Checker.moderation,
    Trigger: _Checker.trigger,
    EscalationRule: _Checker.escalation,
    Consequence: _Checker.consequence,
    ActionTimescale: _Checker.action_timescale,
    ChecklistItem: _Checker.checklist_item,
}


def _check_scale(scale: GradeScale, checker: _Checker, path: str = "$.grade_scale") -> None:
    if len(scale.grades) < 2:
        checker.add(
            f"{path}.grades", f"has {plural(len(scale.grades), 'grade')}; a scale needs two or more"
        )
    seen_codes: dict[str, int] = {}
    seen_spellings: dict[str, str] = {}
    for index, grade in enumerate(scale.grades):
        if not _ID.fullmatch(grade.code):
            checker.add(
                f"{path}.grades[{index}].code",
                f"grade code {grade.code!r} is not a lower_snake_case identifier",
            )
        if grade.code in seen_codes:
            checker.add(
                f"{path}.grades[{index}].code",
                f"duplicate grade code {grade.code!r} (also grades[{seen_codes[grade.code]}])",
            )
        seen_codes.setdefault(grade.code, index)
        for spelling in set(map(normalise_grade_text, grade.spellings())):
            owner = seen_spellings.setdefault(spelling, grade.code)
            if owner != grade.code:
                checker.add(
                    f"{path}.grades[{index}].synonyms",
                    f"{spelling!r} would read as both {owner!r} and {grade.code!r}",
                )
    if scale.good_or_better not in scale:
        checker.add(
            f"{path}.good_or_better",
            f"unknown grade {scale.good_or_better!r} (scale: {', '.join(scale.codes)})",
        )
    if not scale.is_crosswalk_monotone():
        order = ", ".join(f"{g.code}->{g.ilacs.value}" for g in scale.grades)
        checker.add(
            f"{path}.grades",
            f"the ILACS crosswalk is not monotone: a better grade maps to a worse judgement "
            f"({order})",
        )


def _check_ids(section: str, items: tuple[Any, ...], checker: _Checker) -> None:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item is None:
            continue
        item_id = item.id
        if not _ID.fullmatch(item_id):
            checker.add(
                f"$.{section}[{index}].id",
                f"id {item_id!r} is not a lower_snake_case identifier",
            )
        if item_id in first:
            checker.add(
                f"$.{section}[{index}].id",
                f"duplicate id {item_id!r} (also {section}[{first[item_id]}])",
            )
        first.setdefault(item_id, index)


def _check_chain(roles: tuple[Role, ...], checker: _Checker) -> None:
    present = [r for r in roles if r is not None]
    above = {r.id: r.reports_to for r in present}
    index = {r.id: i for i, r in enumerate(roles) if r is not None}
    reported: set[str] = set()
    for role in present:
        seen = [role.id]
        current = above.get(role.id)
        while current is not None and current in above:
            if current in seen:
                loop = seen[seen.index(current) :]
                if not reported.intersection(loop):
                    reported.update(loop)
                    # At the first role of the loop: the role the walk began from may
                    # only lead into it.
                    checker.add(
                        f"$.roles[{index[loop[0]]}].reports_to",
                        "the management chain loops: " + " -> ".join([*loop, current]),
                    )
                break
            seen.append(current)
            current = above.get(current)


def check_profile(
    sections: Mapping[str, Any], ids: Mapping[str, set[str]] | None = None
) -> list[Problem]:
    """Every semantic problem in the structured ``sections`` of a profile.

    ``sections`` maps section names (``roles``, ``activities`` ...) to structured values; a
    section missing from it is skipped. ``ids`` gives the ids of each section for reference
    checks (computed from ``sections`` when None).
    """
    known: dict[str, set[str]] = {}
    for name in ID_SECTIONS:
        if ids is not None and name in ids:
            known[name] = set(ids[name])
        elif name in sections:
            known[name] = {item.id for item in sections[name] if item is not None}
    scale = sections.get("grade_scale")
    declared: dict[str, CaseField] = {}
    for field in sections.get("case_fields", ()):
        if field is not None:
            declared.setdefault(field.id, field)  # a duplicate id is reported on its own
    checker = _Checker(known, scale if isinstance(scale, GradeScale) else None, declared)
    for name in ID_SECTIONS:
        if name in sections:
            _check_ids(name, sections[name], checker)
    if isinstance(scale, GradeScale):
        _check_scale(scale, checker)
    for index, other in enumerate(sections.get("scales", ())):
        if other is None:
            continue
        _check_scale(other, checker, f"$.scales[{index}]")
        if isinstance(scale, GradeScale) and other.id == scale.id:
            checker.add(
                f"$.scales[{index}].id",
                f"{other.id!r} is the id of the profile's grade_scale; each scale has its own id",
            )
    role_checks = sections.get("role_checks")
    if isinstance(role_checks, RoleChecks) and role_checks.citation is None:
        assumed = [
            concern
            for assumption in sections.get("assumptions", ())
            if assumption is not None
            for concern in assumption.concerns
            if concern == "$.role_checks" or concern.startswith("$.role_checks.")
        ]
        if not assumed:
            checker.add(
                "$.role_checks",
                "role_checks gives no citation and no assumption names $.role_checks: cite "
                "the passage that says how such records are treated, or record an assumption",
            )
    if "roles" in sections:
        _check_chain(sections["roles"], checker)
    effective_from = sections.get("effective_from")
    effective_to = sections.get("effective_to")
    if effective_from is not None and effective_to is not None and effective_to < effective_from:
        checker.add("$.effective_to", f"ends ({effective_to}) before it starts ({effective_from})")
    for name, value in sections.items():
        for path, obj in _walk(value, f"$.{name}"):
            check = _DISPATCH.get(type(obj))
            if check is not None:
                check(checker, path, obj)
    for index, assumption in enumerate(sections.get("assumptions", ())):
        if assumption is None:
            continue
        for j, concern in enumerate(assumption.concerns):
            reason = _unresolved(sections, concern)
            if reason is not None:
                checker.add(f"$.assumptions[{index}].concerns[{j}]", reason)
    return checker.problems


def _unresolved(sections: Mapping[str, Any], path: str) -> str | None:
    """Why ``path`` does not point into the profile, or None when it does.

    Items are addressed by id (``$.activities[file_audit]``) or by place
    (``$.activities[3]``); paths through a section or item that failed to structure are not
    judged (that part has its own problems).
    """
    if path.startswith("$."):
        head = path[2:].split(".")[0].split("[")[0]
        if head not in _FIELDS:
            return f"{path!r} does not point into the profile (no section {head!r})"
    try:
        resolve_path(sections, path)
    except PathError as error:
        return str(error)
    return None


def _raw_ids(raw: Any) -> set[str]:
    if not isinstance(raw, list):
        return set()
    return {
        item["id"] for item in raw if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


attrs.resolve_types(Profile)
_FIELDS = {f.name: f for f in attrs.fields(Profile) if f.init}
_REQUIRED = [name for name, f in _FIELDS.items() if f.default is attrs.NOTHING]


def profile_from_data(
    data: Mapping[str, Any],
    source: str = "<data>",
    extra_checks: Callable[[Profile], list[Problem]] | None = None,
) -> Profile:
    """Validate a profile document into a :class:`Profile`.

    ``data`` is the parsed document (from TOML or JSON); ``source`` names it in errors.
    ``extra_checks`` may add problems found on the built profile (plugins' own checks).
    Raises :class:`~qaframework.errors.ProfileError` listing every problem with its path.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise ProfileError(source, [Problem("$", "a profile is a table of sections")])
    schema = data.get("schema", SCHEMA_VERSION)
    # By type as well as value: ``true`` and ``1.0`` equal 1 in Python but are not schema 1.
    if type(schema) is not int or schema != SCHEMA_VERSION:
        problems.append(
            Problem(
                "$.schema", f"unsupported schema {schema!r}; this release reads {SCHEMA_VERSION}"
            )
        )
    for key in data:
        if key != "schema" and key not in _FIELDS:
            problems.append(Problem(f"$.{key}", f"unknown section {key!r}"))
    for name in _REQUIRED:
        if name not in data:
            empty = f"; write {name} = [] when the source has none" if name in ID_SECTIONS else ""
            problems.append(Problem(f"$.{name}", f"missing: every profile has it{empty}"))
    sections: dict[str, Any] = {}
    ids: dict[str, set[str]] = {}
    # Items that failed to structure, rebuilt from what can be read for the other checks.
    salvaged: list[Salvaged] = []
    for name, field in _FIELDS.items():
        if name not in data:
            continue
        raw = data[name]
        if name in ID_SECTIONS:
            ids[name] = _raw_ids(raw)
        item_type = _item_type(field.type)
        if item_type is not None and isinstance(raw, list):
            # Item by item, so that one bad item does not hide the problems of the others; a
            # failed item leaves a hole (None) so the others keep their indices in paths.
            items: list[Any] = []
            for index, item in enumerate(raw):
                try:
                    items.append(converter.structure(item, item_type))
                except Exception as exc:
                    where = f"$.{name}[{index}]"
                    problems.extend(problems_from_exception(exc, where))
                    rebuilt = salvage(item, item_type, where)
                    items.append(rebuilt.value if rebuilt is not None else None)
                    if rebuilt is not None:
                        salvaged.append(rebuilt)
            sections[name] = tuple(items)
            continue
        try:
            sections[name] = converter.structure(raw, cast(Any, field.type))
        except Exception as exc:
            problems.extend(problems_from_exception(exc, f"$.{name}"))
            rebuilt = salvage(raw, field.type, f"$.{name}")
            if rebuilt is not None:
                sections[name] = rebuilt.value
                salvaged.append(rebuilt)
            elif name == "grade_scale":
                problems.extend(raw_crosswalk_problems(raw))
    found = check_profile(sections, ids)
    problems.extend(p for p in found if all(s.keeps(p) for s in salvaged))
    problems = list(dict.fromkeys(problems))
    if problems:
        raise ProfileError(source, sorted(problems, key=_document_order))
    profile = Profile(**sections, behaviour=PluginBehaviour())
    if extra_checks is not None:
        extra = extra_checks(profile)
        if extra:
            raise ProfileError(source, extra)
    return profile


def _item_type(tp: Any) -> Any:
    args = get_args(tp)
    if get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


_INDEX = re.compile(r"\[(\d+)\]")


def _document_order(problem: Problem) -> tuple[Any, ...]:
    order = list(_FIELDS)
    head = problem.path.split(".")[1].split("[")[0] if problem.path.startswith("$.") else ""
    position = order.index(head) if head in order else -1
    numbers = tuple(int(n) for n in _INDEX.findall(problem.path))
    return (position, numbers, problem.path, problem.message)
