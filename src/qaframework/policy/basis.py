"""What a set of figures rests on: the profile's assumptions, its known unknowns, and the
rules it does not encode.

A report's "0 escalations" means one thing when the profile has escalation rules and another
when it has none; a moderation sample of 10% means one thing when the council states it and
another when the profile assumes it. Every output that shows figures computed under a profile
says which of the profile's facts they rest on, as a :class:`Basis`:

- ``assumptions``: the profile's assumptions whose ``concerns`` name the items the figures
  use (the activities counted, the escalation rules and moderation policies applied, the
  reporting lines and roles named), or a part of them, or the section holding them;
- ``not_stated``: the details of those items the source does not state (each an
  :class:`Unstated`, written ``"not stated"`` in the profile: see
  :mod:`qaframework.policy.unknowns`);
- ``absent``: a sentence for each kind of rule the output would show that the profile does
  not encode for those items, so that a zero is not read as a finding.

:func:`basis_of` builds one from a profile and the paths of the items used
(``$.activities[file_audit]``; see :mod:`qaframework.policy.paths`); :func:`not_stated`
lists every known unknown of a profile. Everything here reads the profile only; the text is
the profile's own (its assumptions' words) or fixed wording, never a child's or an auditor's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from qaframework.policy.cadence import Cadence, CadenceKind, quotas_of
from qaframework.policy.citations import Assumption
from qaframework.policy.escalation import TriggerKind
from qaframework.policy.paths import PathError, item_key, resolve_path
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NotStated

__all__ = [
    "Absent",
    "Basis",
    "RuleKind",
    "Unstated",
    "absent_rules",
    "basis_of",
    "covering_rules",
    "not_stated",
    "uses_of",
]

RuleKind = str
"""A kind of rule an output may show: ``escalation``, ``moderation``, ``sampling``,
``reporting`` or ``action_timescales``."""

_NOUN = {
    "activities": "activity",
    "forums": "forum",
    "reporting_lines": "reporting line",
    "moderation": "moderation policy",
    "escalation": "escalation rule",
    "action_timescales": "action timescale",
    "roles": "role",
    "standards": "standard",
}
# What each field that may be not stated says, in words.
_WHAT = {
    "cadence": "how often",
    "count": "how many",
    "quota.count": "how many",
    "reported_via": "where its findings are reported",
    "sampling.size.count": "the sample size",
    "size.count": "the sample size",
    "recipients": "who is told",
    "deadline": "the deadline",
    "follow_up": "how often it is followed up",
    "consequence.owner": "who runs what follows",
    "proportion": "how many audits are moderated",
}


@attrs.frozen
class Unstated:
    """A detail of a rule the profile's source does not state.

    ``path`` is where it is, items by id (``$.escalation[audit_shared].deadline``);
    ``section`` and ``item`` the section and id of the item it belongs to; ``name`` the item's
    name; ``what`` the detail in words ("the deadline", "how often").
    """

    path: str
    section: str
    item: str
    name: str
    what: str

    def __str__(self) -> str:
        noun = _NOUN.get(self.section, self.section)
        return f"{noun} {self.name!r}: {self.what} is not stated"


@attrs.frozen
class Absent:
    """A kind of rule the profile does not encode for what an output shows, in words.

    ``kind`` is the :data:`RuleKind` (``escalation``, ``moderation`` ...); ``text`` says what
    a zero then means ("0 escalations means none were encoded, not none were needed").
    """

    kind: RuleKind
    text: str

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Basis:
    """What a set of figures rests on (see the module docstring).

    ``profile`` is the label of the profile version; ``assumptions`` keep the profile's order.
    """

    profile: str
    assumptions: tuple[Assumption, ...] = ()
    not_stated: tuple[Unstated, ...] = ()
    absent: tuple[Absent, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether the figures rest on no assumption, no unknown and no absent rule."""
        return not (self.assumptions or self.not_stated or self.absent)

    def absent_of(self, kind: RuleKind) -> tuple[str, ...]:
        """The sentences saying the profile encodes no rule of ``kind``."""
        return tuple(absent.text for absent in self.absent if absent.kind == kind)

    def lines(self) -> tuple[str, ...]:
        """Every statement in words, absent rules first, then unknowns, then assumptions
        (each as ``id: text``)."""
        return (
            *(absent.text for absent in self.absent),
            *(f"{unknown}." for unknown in self.not_stated),
            *(f"Assumption {a.id}: {a.text}" for a in self.assumptions),
        )


def _title(item: Any) -> str:
    for name in ("name", "title", "report"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return str(item_key(item))


def _fields(cls: type) -> list[tuple[str, str]]:
    return [(f.alias, f.name) for f in attrs.fields(cls) if f.init]


def _unknowns_in(value: Any, path: str, field: str) -> Iterator[tuple[str, str]]:
    """(path, field path within the item) of every not-stated value inside ``value``."""
    if isinstance(value, NotStated) or (
        isinstance(value, Cadence) and value.kind is CadenceKind.NOT_STATED
    ):
        yield path, field
    elif isinstance(value, tuple):
        for index, part in enumerate(value):
            key = item_key(part)
            step = f"[{key}]" if key is not None else f"[{index}]"
            yield from _unknowns_in(part, path + step, field + "[]")
    elif attrs.has(type(value)):
        for alias, name in _fields(type(value)):
            inner = f"{field}.{alias}" if field else alias
            yield from _unknowns_in(getattr(value, name), f"{path}.{alias}", inner)


def not_stated(profile: Profile, sections: Iterable[str] | None = None) -> tuple[Unstated, ...]:
    """Every detail ``profile`` writes as ``"not stated"``, in the profile's order.

    ``sections`` limits the search to some sections (all by default).
    """
    wanted = set(sections) if sections is not None else None
    found: list[Unstated] = []
    for alias, name in _fields(Profile):
        if wanted is not None and alias not in wanted:
            continue
        value = getattr(profile, name)
        if not isinstance(value, tuple):
            continue
        for item in value:
            key = item_key(item)
            if key is None or not attrs.has(type(item)):
                continue
            base = f"$.{alias}[{key}]"
            for path, field in _unknowns_in_item(item, base):
                leaf = field.split(".")[-1].removesuffix("[]")
                what = _WHAT.get(field.replace("[]", ""), _WHAT.get(leaf, field))
                found.append(Unstated(path, alias, key, _title(item), what))
    return tuple(found)


def _unknowns_in_item(item: Any, base: str) -> Iterator[tuple[str, str]]:
    for alias, name in _fields(type(item)):
        yield from _unknowns_in(getattr(item, name), f"{base}.{alias}", alias)


def _canonical(profile: Profile, path: str) -> str | None:
    try:
        return resolve_path(profile, path).by_id
    except PathError:
        return None


def _within(path: str, other: str) -> bool:
    """Whether ``path`` is ``other`` or a part of it."""
    return path == other or path.startswith((other + ".", other + "["))


def basis_of(
    profile: Profile,
    uses: Iterable[str],
    *,
    absent: Iterable[Absent] = (),
) -> Basis:
    """What figures computed from the items at the paths ``uses`` rest on.

    An assumption is listed when a path it concerns is one of ``uses``, a part of one (a
    field of an activity used), or holds one (the whole ``$.activities`` section, the grade
    scale of a grade used). A known unknown is listed when it is a part of one of ``uses``.
    ``absent`` sentences are kept as given (see :func:`absent_rules`).
    """
    used = [path for path in (_canonical(profile, p) for p in uses) if path is not None]
    chosen: list[Assumption] = []
    for assumption in profile.assumptions:
        for concern in assumption.concerns:
            at = _canonical(profile, concern)
            if at is not None and any(_within(at, u) or _within(u, at) for u in used):
                chosen.append(assumption)
                break
    unknowns = tuple(u for u in not_stated(profile) if any(_within(u.path, p) for p in used))
    return Basis(profile.label, tuple(chosen), unknowns, tuple(dict.fromkeys(absent)))


def _roles_named(item: Any) -> Iterator[str]:
    """The role ids an activity, rule, policy or reporting line names."""
    for name in (
        "who",
        "recipients",
        "conditional_recipients",
        "raised_by",
        "follow_up_by",
        "moderators",
        "feedback_to",
        "produced_by",
        "to_roles",
    ):
        value = getattr(item, name, ())
        if isinstance(value, tuple):
            yield from value
    consequence = getattr(item, "consequence", None)
    if consequence is not None and isinstance(consequence.owner, str):
        yield consequence.owner
    for quota in quotas_of(getattr(item, "quota", None)):
        if quota.per_role is not None:
            yield quota.per_role


def uses_of(
    profile: Profile,
    *,
    activities: Iterable[str] = (),
    escalation: Iterable[str] = (),
    moderation: Iterable[str] = (),
    reporting_lines: Iterable[str] = (),
    forums: Iterable[str] = (),
    standards: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> tuple[str, ...]:
    """The paths of the items an output uses, by id, with the roles they name: what
    :func:`basis_of` takes. Ids the profile does not have are left out; ``extra`` paths
    (``$.grade_scale``, ``$.schedule_anchor``) are kept as given."""
    chosen: list[Any] = []
    paths: list[str] = []
    for section, ids in (
        ("activities", activities),
        ("escalation", escalation),
        ("moderation", moderation),
        ("reporting_lines", reporting_lines),
        ("forums", forums),
        ("standards", standards),
    ):
        items = {item_key(item): item for item in getattr(profile, section)}
        for item_id in dict.fromkeys(ids):
            item = items.get(item_id)
            if item is not None:
                chosen.append(item)
                paths.append(f"$.{section}[{item_id}]")
    known = {role.id for role in profile.roles}
    roles = dict.fromkeys(r for item in chosen for r in _roles_named(item) if r in known)
    paths.extend(f"$.roles[{role}]" for role in roles)
    paths.extend(extra)
    return tuple(dict.fromkeys(paths))


def covering_rules(profile: Profile, activity_ids: Iterable[str]) -> tuple[str, ...]:
    """The ids of the escalation rules that can fire for audits of these activities (a rule
    with no ``applies_to`` covers every activity of a concern trigger, else the graded ones)."""
    wanted = set(activity_ids)
    graded = {a.id for a in profile.activities if a.graded}
    found = []
    for rule in profile.escalation:
        if rule.applies_to:
            covered = set(rule.applies_to)
        elif rule.trigger.kind is TriggerKind.CONCERN:
            covered = {a.id for a in profile.activities}
        else:
            covered = graded
        if covered & wanted:
            found.append(rule.id)
    return tuple(found)


def _names(profile: Profile, activity_ids: Sequence[str]) -> str:
    names = [profile.activity(a).name for a in activity_ids]
    return ", ".join(names)


def absent_rules(
    profile: Profile, activity_ids: Iterable[str], kinds: Iterable[RuleKind]
) -> tuple[Absent, ...]:
    """A sentence for each kind of rule in ``kinds`` the profile does not encode for the
    activities ``activity_ids`` (every graded activity when none are given):

    - ``escalation``: no escalation rule covers them;
    - ``moderation``: no moderation policy applies to them;
    - ``sampling``: an activity has no sampling rule;
    - ``reporting``: none of them has a reporting line;
    - ``action_timescales``: no action timescale covers them.
    """
    known = {a.id for a in profile.activities}
    ids = [a for a in dict.fromkeys(activity_ids) if a in known]
    if not ids:
        ids = [a.id for a in profile.activities if a.graded]
    found: list[Absent] = []
    names = _names(profile, ids)
    for kind in kinds:
        if kind == "escalation" and not covering_rules(profile, ids):
            whom = "" if not profile.escalation else f" for {names}"
            found.append(
                Absent(
                    kind,
                    f"This profile has no escalation rule{whom}: 0 escalations means none were "
                    "encoded, not none were needed.",
                )
            )
        elif kind == "moderation" and not any(
            set(p.applies_to) & set(ids) for p in profile.moderation
        ):
            whom = "" if not profile.moderation else f" for {names}"
            found.append(
                Absent(
                    kind,
                    f"This profile has no moderation policy{whom}: 0 audits moderated means "
                    "none were encoded, not none were needed.",
                )
            )
        elif kind == "sampling":
            found.extend(
                Absent(
                    kind,
                    f"This profile has no sampling rule for {activity.name}: which cases are "
                    "audited is not encoded.",
                )
                for activity in (profile.activity(a) for a in ids)
                if activity.sampling is None
            )
        elif kind == "reporting" and not any(profile.activity(a).reported_via for a in ids):
            found.append(
                Absent(
                    kind,
                    f"This profile names no reporting line for {names}: no destination means "
                    "none was encoded, not that the findings go nowhere.",
                )
            )
        elif kind == "action_timescales" and not any(
            set(t.applies_to) & set(ids) for t in profile.action_timescales
        ):
            found.append(
                Absent(
                    kind,
                    f"This profile has no action timescale for {names}: actions are due only "
                    "when their audits set a date.",
                )
            )
    return tuple(found)
