"""Selecting audits for moderation, and recording a moderation.

:func:`select_for_moderation` applies a profile's moderation policies to a period's audits,
cycle by cycle (:func:`moderation_cycles`), and says why each audit was chosen
(:class:`ModerationSelection`); :func:`record_moderation` appends a moderator's grade to an
audit under the policy's rules, never overwriting the auditor's grade.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import cast

import attrs

from qaframework.engine._collector import paused_gc
from qaframework.engine.audits import Audit, ModerationRecord, moderation_outcome
from qaframework.engine.periods import Period
from qaframework.errors import QAFrameworkError
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.moderation import ModerationPolicy, SelectionKind, SelectionRule
from qaframework.policy.profile import Profile

__all__ = [
    "ModerationCycle",
    "ModerationError",
    "ModerationSelection",
    "SelectedAudit",
    "SelectionReason",
    "moderation_cycles",
    "record_moderation",
    "select_for_moderation",
]


class ModerationError(QAFrameworkError, ValueError):
    """Audits cannot be selected for moderation, or a moderation recorded, as asked."""


@attrs.frozen
class SelectionReason:
    """Why one of a policy's rules chose an audit.

    ``rule`` is the rule's position in the policy's ``selection`` (profile path
    ``$.moderation[p].selection[rule]``); ``explanation`` says why in a QA manager's words.
    """

    rule: int
    kind: SelectionKind
    explanation: str


@attrs.frozen
class SelectedAudit:
    """An audit chosen for moderation: which policy chose it, in which cycle, and why.

    ``grade`` is the auditor's overall grade; ``reasons`` has one entry per rule that chose
    the audit, in the policy's rule order.
    """

    audit_id: str
    policy: str
    cycle: Period
    audit_date: date
    activity: str
    auditor: str
    auditor_role: str
    grade: str
    reasons: tuple[SelectionReason, ...]


@attrs.frozen
class ModerationCycle:
    """One cycle of a policy within the period asked for, with its audit volume.

    ``audits`` is the cycle's volume: every audit of the policy's activities dated in the
    cycle (within the period), moderated or not; ``already_moderated`` how many of them have
    a moderation record; ``selected`` how many the selection chose. ``partial`` is True when
    the period cuts the cycle short, so that a sample sized by volume counts only the audits
    inside the period.

    ``not_stated`` says, for each selection rule whose size the profile does not state, what
    it chose instead of inventing a size: nothing, or only its stated minimum.
    """

    policy: str
    cycle: Period
    audits: int
    already_moderated: int
    selected: int
    partial: bool
    not_stated: tuple[str, ...] = ()


@attrs.frozen
class ModerationSelection:
    """The audits chosen for moderation over a period, with each choice explained.

    ``selected`` lists one entry per audit and policy, ordered by policy (profile order),
    cycle, audit date and audit id; ``cycles`` summarises every cycle of every policy.
    """

    profile: str
    version: str
    period: Period
    seed: int
    cycles: tuple[ModerationCycle, ...]
    selected: tuple[SelectedAudit, ...]

    @property
    def not_stated(self) -> tuple[str, ...]:
        """What the selection could not do because the profile does not state a size, each
        once, in order."""
        return tuple(dict.fromkeys(note for cycle in self.cycles for note in cycle.not_stated))

    @property
    def audit_ids(self) -> tuple[str, ...]:
        """The selected audits' ids, each once, in selection order."""
        return tuple(dict.fromkeys(s.audit_id for s in self.selected))

    def for_policy(self, policy_id: str) -> tuple[SelectedAudit, ...]:
        """The audits one policy chose."""
        return tuple(s for s in self.selected if s.policy == policy_id)


_ONE_DAY = timedelta(days=1)
# Rules that choose every qualifying audit; the other rules draw samples from the rest.
_MANDATORY = frozenset(
    {SelectionKind.ALL, SelectionKind.GRADE_AT_OR_BELOW, SelectionKind.BY_AUDITOR}
)


def moderation_cycles(
    profile: Profile, policy: ModerationPolicy, period: Period
) -> tuple[Period, ...]:
    """The policy's cycles that overlap ``period``, whole (not cut to the period).

    A periodic cadence (``P6W``) is counted from the profile's ``schedule_anchor``, so
    Bolton's 6-weekly cycles from 1 April 2026 run 1 April to 12 May, 13 May to 23 June...
    A policy without a periodic cadence has one cycle: the period itself.
    """
    cadence = policy.cadence
    every = cadence.every
    if every is None:
        return (period,)
    # Two steps either side reach the cycles around the period even where month ends are
    # clipped (see Cadence.next_on_or_after).
    starts = cadence.occurrences(
        profile.schedule_anchor, every.subtract_from(period.start, 2), every.add_to(period.end, 2)
    )
    return tuple(
        Period(start, following - _ONE_DAY)
        for start, following in itertools.pairwise(starts)
        if start <= period.end and following > period.start
    )


def _windows(start: date, step: IsoDuration, within: Period) -> list[Period]:
    """Consecutive windows of length ``step`` from ``start``, cut to ``within``."""
    windows: list[Period] = []
    n = 0
    while True:
        first = step.add_to(start, n)
        if first > within.end:
            return windows
        last = step.add_to(start, n + 1) - _ONE_DAY
        if last >= within.start:
            windows.append(Period(max(first, within.start), min(last, within.end)))
        n += 1


def _draw_rank(seed: int, policy: str, rule: int, audit_id: str) -> bytes:
    # A keyed hash ranks each audit: the lowest ranks form the sample. It is the same on every
    # machine and Python version, does not depend on the order audits are given in, and an
    # audit's rank does not move when other audits are added to the cycle.
    text = f"{seed}\x1f{policy}\x1f{rule}\x1f{audit_id}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _percent(share: float) -> str:
    return f"{float(Fraction(str(share)) * 100):g}%"


class _CycleSelector:
    """Applies one policy's rules to the audits of one cycle."""

    def __init__(
        self,
        profile: Profile,
        policy: ModerationPolicy,
        seed: int,
        full_cycle: Period,
        pool: Sequence[Audit],
    ) -> None:
        self.profile = profile
        self.policy = policy
        self.seed = seed
        self.full_cycle = full_cycle
        self.pool = pool
        self.reasons: dict[str, list[SelectionReason]] = {}
        # Audits an ``all``, ``grade_at_or_below`` or ``by_auditor`` rule covers, moderated
        # or not: samples are drawn from the others.
        self.covered: set[str] = set()
        # What a rule whose size is not stated did instead.
        self.not_stated: list[str] = []

    def reason(self, rule: int, explanation: str) -> SelectionReason:
        # One reason value is shared by every audit chosen for it.
        return SelectionReason(rule, self.policy.selection[rule].kind, explanation)

    def choose(self, audit: Audit, reason: SelectionReason) -> None:
        self.reasons.setdefault(audit.id, []).append(reason)

    def apply_mandatory(self, index: int, rule: SelectionRule) -> None:
        """``all``, ``grade_at_or_below`` and ``by_auditor``: every qualifying audit not yet
        moderated."""
        if rule.kind is SelectionKind.ALL:
            every = self.reason(index, "every audit the policy applies to is moderated")
            for audit in self.pool:
                self.covered.add(audit.id)
                if not audit.moderated:
                    self.choose(audit, every)
            return
        if rule.kind is SelectionKind.BY_AUDITOR:
            self._by_auditor(index, rule)
            return
        scale = self.profile.grade_scale
        threshold = str(rule.grade)
        rank = {code: position for position, code in enumerate(scale.codes)}
        lowest_rank = rank[threshold]
        explanation = f"every audit graded {scale.grade(threshold).label} or below is moderated"
        by_grade = {
            code: self.reason(
                index, f"the auditor graded it {scale.grade(code).label}; {explanation}"
            )
            for code in scale.codes
        }
        for audit in self.pool:
            grade = audit.overall_grade
            grade_rank = rank.get(grade) if grade is not None else None
            if grade is None or grade_rank is None:
                raise ModerationError(
                    f"audit {audit.id!r}: grade {grade!r} is not on the scale of "
                    f"{self.profile.label} ({', '.join(scale.codes)})"
                )
            if grade_rank < lowest_rank:
                continue
            self.covered.add(audit.id)
            if not audit.moderated:
                self.choose(audit, by_grade[grade])

    def _by_auditor(self, index: int, rule: SelectionRule) -> None:
        roles = self.profile._lookup["roles"]
        reasons: dict[str, SelectionReason | None] = {}
        for audit in self.pool:
            role_id = audit.auditor_role
            if role_id not in reasons:
                role = roles.get(role_id)
                reasons[role_id] = (
                    self.reason(
                        index,
                        f"audited by a {role.title}: every audit by "
                        f"{_auditor_words(self.profile, rule)} is moderated",
                    )
                    if role is not None and rule.selects_auditor(role)
                    else None
                )
            reason = reasons[role_id]
            if reason is None:
                continue
            self.covered.add(audit.id)
            if not audit.moderated:
                self.choose(audit, reason)

    def apply_sample(self, index: int, rule: SelectionRule, cycle: Period) -> None:
        """``proportion``, ``fixed`` and ``per_role``: random samples of the uncovered audits."""
        rest = [audit for audit in self.pool if audit.id not in self.covered]
        if not rule.is_stated:
            self._unstated(index, rule, rest)
            return
        if rule.kind is SelectionKind.PROPORTION:
            size = self._sample_size(rule)
            bounds = "".join(
                f", {word} {value}"
                for word, value in (("at least", rule.minimum), ("at most", rule.maximum))
                if value is not None
            )
            self._draw(
                index,
                rest,
                size,
                f"a sample of {size} of the cycle's {len(self.pool)} audits "
                f"({_percent(rule.proportion if isinstance(rule.proportion, float) else 0.0)}"
                f"{bounds}): chosen at random",
            )
        elif rule.kind is SelectionKind.FIXED:
            count = rule.count if isinstance(rule.count, int) else 0
            self._draw(
                index,
                rest,
                count,
                f"{count} audits a cycle: chosen at random from the cycle's {len(rest)}",
            )
        else:
            self._per_role(index, rule, cycle, rest)

    def _unstated(self, index: int, rule: SelectionRule, rest: Sequence[Audit]) -> None:
        """A rule whose size the profile does not state: no size is invented. A proportion
        with a stated minimum draws that minimum; any other rule chooses nothing."""
        what = f"{self.policy.name}, selection rule {index + 1} ({rule.kind.value})"
        if rule.kind is SelectionKind.PROPORTION and rule.minimum:
            size = min(rule.minimum, len(self.pool))
            self._draw(
                index,
                rest,
                size,
                f"the proportion is not stated: only its stated minimum of {rule.minimum} is "
                "drawn, at random",
            )
            self.not_stated.append(
                f"{what}: how many audits it moderates is not stated, so only its stated "
                f"minimum of {rule.minimum} a cycle was drawn"
            )
            return
        self.not_stated.append(
            f"{what}: how many audits it moderates is not stated, so it chose none"
        )

    def _draw(self, index: int, group: Sequence[Audit], size: int, explanation: str) -> None:
        # Audits of the group already moderated count towards the sample.
        credit = sum(1 for audit in group if audit.moderated)
        if size - credit <= 0:
            return
        ranked = sorted(
            (audit for audit in group if not audit.moderated),
            key=lambda a: (_draw_rank(self.seed, self.policy.id, index, a.id), a.id),
        )
        if credit:
            explanation += f"; {credit} already moderated count towards it"
        reason = self.reason(index, explanation)
        for audit in ranked[: size - credit]:
            self.choose(audit, reason)

    def _sample_size(self, rule: SelectionRule) -> int:
        size = self.profile.behaviour.moderation_sample_size(
            self.profile, self.policy, rule, len(self.pool)
        )
        if type(size) is not int or size < 0:
            raise ModerationError(
                f"moderation_sample_size for policy {self.policy.id!r} returned {size!r}; "
                "a sample size is a whole number of audits, 0 or more"
            )
        return size

    def _per_role(self, index: int, rule: SelectionRule, cycle: Period, rest: list[Audit]) -> None:
        # SelectionRule requires all three for a per_role rule (the count stated here).
        assert rule.per_role is not None
        assert rule.period is not None
        assert isinstance(rule.count, int)
        title = self.profile.role(rule.per_role).title
        windows = _windows(self.full_cycle.start, rule.period, cycle)
        starts = [window.start for window in windows]
        by_window: list[dict[str, list[Audit]]] = [{} for _ in windows]
        for audit in rest:
            if audit.auditor_role == rule.per_role:
                holders = by_window[bisect.bisect_right(starts, audit.audit_date) - 1]
                holders.setdefault(audit.auditor, []).append(audit)
        for window, by_holder in zip(windows, by_window, strict=True):
            for holder, group in sorted(by_holder.items()):
                self._draw(
                    index,
                    group,
                    rule.count,
                    f"{rule.count} audit{'s' if rule.count != 1 else ''} for each {title} each "
                    f"{rule.period.describe()}: chosen at random from {holder}'s {len(group)} "
                    f"in {window}",
                )


def select_for_moderation(
    profile: Profile, audits: Iterable[Audit], period: Period, *, seed: int
) -> ModerationSelection:
    """Choose the audits to moderate over ``period`` under each of the profile's policies.

    For each policy, the audits of its ``applies_to`` activities dated in the period are
    split into the policy's cycles (:func:`moderation_cycles`, cut to the period), and the
    policy's rules are applied to each cycle together (an audit any rule chooses is
    selected):

    - ``all``, ``grade_at_or_below`` (the auditor's overall grade) and ``by_auditor`` (an
      auditor holding one of the rule's roles, by id or generic tier) choose every
      qualifying audit;
    - ``proportion`` draws a sample whose size the ``moderation_sample_size`` hook gives for
      the cycle's audit volume; ``fixed`` draws ``count`` a cycle; ``per_role`` draws
      ``count`` audits by each holder of the role (the audit's ``auditor`` where its
      ``auditor_role`` is that role) in each ``period`` window of the cycle, windows counted
      from the cycle's start. These samples are drawn from the audits ``all``,
      ``grade_at_or_below`` and ``by_auditor`` do not cover, so Swindon moderates every
      Inadequate audit *plus* its sample.

    Audits already moderated are never selected again. They still count in the cycle's
    volume, and towards a sample they could have been drawn for, so running the selection
    again after the chosen audits are moderated chooses none of the same kind. The random
    draw is deterministic: each audit is ranked by a hash of ``seed``, the policy, the rule
    and the audit id, and the lowest ranks are taken; the same seed gives the same selection
    on every machine whatever order the audits come in.

    Raises :class:`ModerationError` when two audits share an id or a ``grade_at_or_below``
    rule meets a grade that is not on the profile's scale. The cycle collector is paused
    while the selection is built (and restored afterwards), so the cost grows with the
    number of audits, not with the objects already alive.
    """
    with paused_gc():
        return _select(profile, audits, period, seed)


def _select(
    profile: Profile, audits: Iterable[Audit], period: Period, seed: int
) -> ModerationSelection:
    in_period: list[Audit] = []
    seen: set[str] = set()
    for audit in audits:
        if audit.id in seen:
            raise ModerationError(f"two audits have the id {audit.id!r}; audit ids are unique")
        seen.add(audit.id)
        if audit.audit_date in period:
            in_period.append(audit)
    cycles: list[ModerationCycle] = []
    selected: list[SelectedAudit] = []
    for policy in profile.moderation:
        applies = set(policy.applies_to)
        fulls = moderation_cycles(profile, policy, period)
        # The cycles cover the period, so every audit in it falls in one of them.
        starts = [full.start for full in fulls]
        pools: list[list[Audit]] = [[] for _ in fulls]
        for audit in in_period:
            # Only graded audits are candidates: an ungraded one has nothing to moderate.
            if audit.activity in applies and audit.overall_grade is not None:
                pools[bisect.bisect_right(starts, audit.audit_date) - 1].append(audit)
        for full, pool in zip(fulls, pools, strict=True):
            cycle = Period(max(full.start, period.start), min(full.end, period.end))
            selector = _CycleSelector(profile, policy, seed, full, pool)
            for index, rule in enumerate(policy.selection):
                if rule.kind in _MANDATORY:
                    selector.apply_mandatory(index, rule)
            for index, rule in enumerate(policy.selection):
                if rule.kind not in _MANDATORY:
                    selector.apply_sample(index, rule, cycle)
            chosen = [audit for audit in pool if audit.id in selector.reasons]
            chosen.sort(key=lambda a: (a.audit_date, a.id))
            for audit in chosen:
                reasons = sorted(selector.reasons[audit.id], key=lambda r: r.rule)
                selected.append(
                    SelectedAudit(
                        audit_id=audit.id,
                        policy=policy.id,
                        cycle=cycle,
                        audit_date=audit.audit_date,
                        activity=audit.activity,
                        auditor=audit.auditor,
                        auditor_role=audit.auditor_role,
                        grade=cast(str, audit.overall_grade),  # the pools hold graded audits
                        reasons=tuple(reasons),
                    )
                )
            cycles.append(
                ModerationCycle(
                    policy=policy.id,
                    cycle=cycle,
                    audits=len(pool),
                    already_moderated=sum(1 for audit in pool if audit.moderated),
                    selected=len(chosen),
                    partial=(cycle.start, cycle.end) != (full.start, full.end),
                    not_stated=tuple(selector.not_stated),
                )
            )
    return ModerationSelection(
        profile=profile.id,
        version=profile.version,
        period=period,
        seed=seed,
        cycles=tuple(cycles),
        selected=tuple(selected),
    )


def record_moderation(
    profile: Profile,
    audit: Audit,
    *,
    moderator: str,
    role: str,
    grade: str,
    on: date,
    rationale: str | None = None,
    policy: str | None = None,
) -> Audit:
    """The audit with a moderation appended: ``moderator`` (holding ``role``) grades it ``grade``.

    The outcome (agree, upgrade, downgrade) is worked out from the grade the moderation
    reviews, the previous moderation's where there is one and the auditor's otherwise, as
    :func:`qaframework.engine.audits.check_audit` does. The auditor's grade and earlier moderations
    are kept: the record is appended.

    Raises :class:`ModerationError` when no moderation policy of the profile (or the named
    ``policy``) applies to the audit's activity, ``role`` is not one of the policy's
    moderators, the outcome is not one the policy allows, ``grade`` is not on the profile's
    scale, the auditor would moderate their own audit, or ``on`` is before the audit or its
    latest moderation.
    """
    scale = profile.grade_scale
    codes = ", ".join(scale.codes)
    where = f"audit {audit.id!r}"
    overall = audit.overall_grade
    if overall is None:
        raise ModerationError(
            f"{where}: activity {audit.activity!r} does not grade practice, so the audit has "
            "no grade to moderate"
        )
    reviewed = audit.moderated_grade or overall
    for value, whose in (
        (grade, "moderated"),
        (overall, "auditor's"),
        (reviewed, "latest moderated"),
    ):
        if value not in scale:
            raise ModerationError(
                f"{where}: the {whose} grade {value!r} is not on the scale of {profile.label} "
                f"({codes})"
            )
    policies = [p for p in profile.moderation if audit.activity in p.applies_to]
    if policy is not None:
        if policy not in {p.id for p in profile.moderation}:
            known = ", ".join(p.id for p in profile.moderation) or "none"
            raise ModerationError(
                f"{profile.label} has no moderation policy {policy!r} (known: {known})"
            )
        policies = [p for p in policies if p.id == policy]
        if not policies:
            raise ModerationError(
                f"{where}: policy {policy!r} does not apply to activity {audit.activity!r}"
            )
    if not policies:
        raise ModerationError(
            f"{where}: no moderation policy of {profile.label} applies to activity "
            f"{audit.activity!r}"
        )
    allowed = [p for p in policies if role in p.moderators]
    if not allowed:
        titles = sorted({t for p in policies for t in _titles(profile, p.moderators)})
        raise ModerationError(
            f"{where}: the {_titles(profile, [role])[0]} role does not moderate "
            f"{audit.activity!r} audits; the moderators are: {', '.join(titles)}"
        )
    if moderator == audit.auditor:
        raise ModerationError(f"{where}: {moderator!r} audited it and cannot moderate it")
    if on < audit.audit_date:
        raise ModerationError(f"{where}: moderated on {on}, before the audit ({audit.audit_date})")
    latest = audit.latest_moderation
    if latest is not None and on < latest.on:
        raise ModerationError(
            f"{where}: moderated on {on}, before its latest moderation ({latest.on})"
        )
    outcome = moderation_outcome(profile, reviewed, grade)
    if not any(outcome in p.outcomes for p in allowed):
        permitted = sorted({o.value for p in allowed for o in p.outcomes})
        raise ModerationError(
            f"{where}: {scale.grade(reviewed).label} -> {scale.grade(grade).label} is "
            f"{outcome.value}, which {', '.join(p.id for p in allowed)} does not allow "
            f"(allowed: {', '.join(permitted)})"
        )
    record = ModerationRecord(moderator, role, grade, outcome, on, rationale)
    return audit.with_moderation(record)


def _auditor_words(profile: Profile, rule: SelectionRule) -> str:
    """The auditors a ``by_auditor`` rule selects the audits of, in words: "a Team Manager
    or a team manager (any role of that tier)"."""
    named = [f"a {title}" for title in _titles(profile, rule.auditor_roles)]
    named += [f"a {tier.label} (any role of that tier)" for tier in rule.auditor_generic]
    return " or ".join(named)


def _titles(profile: Profile, role_ids: Iterable[str]) -> list[str]:
    known = profile._lookup["roles"]
    return [known[r].title if r in known else repr(r) for r in role_ids]
