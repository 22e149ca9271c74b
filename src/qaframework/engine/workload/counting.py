"""Counting one version's part of the year: the lines of its activities, moderation
policies and forums."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from qaframework.engine.workload.model import NotCounted, Staffing, WorkloadLine
from qaframework.engine.workload.units import (
    _KIND_UNITS,
    _OCCURRENCE,
    _number,
    _periods,
    _span,
    plural,
)
from qaframework.policy.activities import Activity, ActivityKind
from qaframework.policy.cadence import Quota
from qaframework.policy.grades import normalise_grade_text
from qaframework.policy.moderation import ModerationPolicy, SelectionKind
from qaframework.policy.profile import Profile

__all__: list[str] = []


class _Version:
    """One version's part of the year, with the staffing read against its roles."""

    def __init__(
        self, profile: Profile, first: date, last: date, staffing: Staffing, roles: dict[str, str]
    ) -> None:
        self.profile = profile
        self.first = first
        self.last = last
        self.staffing = staffing
        self.headcount: dict[str, int] = {}
        for key, number in staffing.headcount.items():
            role = roles.get(normalise_grade_text(key))
            if role is not None:
                self.headcount[role] = number
        self.per_person: dict[str, dict[str, int]] = {}
        for key, table in staffing.subjects_per_person.items():
            role = roles.get(normalise_grade_text(key))
            if role is not None:
                self.per_person[role] = dict(table)
        names = {}
        for activity in profile.activities:
            names[normalise_grade_text(activity.id)] = activity.id
            names[normalise_grade_text(activity.name)] = activity.id
        self.per_occurrence: dict[str, int] = {}
        for key, number in staffing.per_occurrence.items():
            activity_id = names.get(normalise_grade_text(key))
            if activity_id is not None:
                self.per_occurrence[activity_id] = number
        self.lines: list[WorkloadLine] = []
        self.not_counted: list[NotCounted] = []

    def title(self, role: str | None) -> str | None:
        return self.profile.role(role).title if role is not None else None

    def titles(self, roles: Iterable[str]) -> str:
        return ", ".join(self.profile.role(r).title for r in roles)

    def holders(self, role: str) -> str:
        """ "Team Manager x 39", or what is missing."""
        title = self.title(role)
        count = self.headcount.get(role)
        if count is None:
            return f"needs the headcount of {title}"
        return f"{title} x {count}"

    def occurrences(self, activity: Activity) -> int:
        anchor = activity.anchor or self.profile.schedule_anchor
        return len(activity.cadence.occurrences(anchor, self.first, self.last))

    def line(
        self,
        activity: Activity,
        unit: str,
        role: str | None,
        count: float | None,
        per_person: float | None,
        basis: str,
    ) -> None:
        """A line; with a role, a missing count or per-person figure is worked out from the
        other and the headcount, except for bare occurrences (who does each is unknown)."""
        headcount = self.headcount.get(role) if role is not None else None
        # Counts are floats throughout, so that a plan reads back from JSON unchanged.
        count = float(count) if count is not None else None
        per_person = float(per_person) if per_person is not None else None
        if unit != _OCCURRENCE and headcount:
            if per_person is None and count is not None:
                per_person = count / headcount
            if count is None and per_person is not None:
                count = per_person * headcount
        effort = activity.effort
        each = effort.typical_hours if effort is not None else None
        self.lines.append(
            WorkloadLine(
                source="activity",
                id=activity.id,
                name=activity.name,
                kind=activity.kind.value,
                unit=unit,
                version=self.profile.label,
                role=role,
                role_title=self.title(role),
                headcount=headcount,
                count=count,
                count_per_person=per_person,
                hours_each=each,
                hours=count * each if count is not None and each is not None else None,
                hours_per_person=(
                    per_person * each if per_person is not None and each is not None else None
                ),
                effort=effort.text if effort is not None else None,
                basis=basis,
            )
        )

    def share(
        self,
        activity: Activity,
        unit: str,
        doers: Sequence[str],
        total: float | None,
        basis: str,
    ) -> None:
        """``total`` done by ``doers``: one line for a single role; for several, lines
        shared in proportion to headcount, or one line not assigned to a role when the total
        is bare occurrences or unknown, or no doer has a headcount."""
        if len(doers) == 1:
            self.line(activity, unit, doers[0], total, None, basis)
            return
        counted = [r for r in doers if self.headcount.get(r)]
        if total is None or unit == _OCCURRENCE or not counted:
            self.line(activity, unit, None, total, None, f"{basis}; by {self.titles(doers)}")
            return
        people = sum(self.headcount[r] for r in counted)
        words = f"{basis}; shared by headcount among {self.titles(counted)}"
        missing = [r for r in doers if r not in counted]
        if missing:
            words += f" ({self.titles(missing)}: no headcount given)"
        for role in counted:
            self.line(
                activity, unit, role, total * self.headcount[role] / people, total / people, words
            )

    # -- activities ------------------------------------------------------------------------

    def activity(self, activity: Activity) -> None:
        quotas = activity.quotas
        if (
            quotas
            and all(q.stated_count is None for q in quotas)
            and activity.cadence.is_periodic
            and activity.id in self.per_occurrence
        ):
            # The profile does not state how many: the council's own plan counts them.
            self.occurring(activity, "the profile does not state how many")
        elif quotas:
            # Several quotas are each owed per their own role: a line each.
            for quota in quotas:
                self.quota(activity, quota)
        elif not activity.cadence.is_periodic:
            self.not_counted.append(
                NotCounted(
                    "activity",
                    activity.id,
                    activity.name,
                    f"{activity.cadence.describe()}, with no quota",
                )
            )
        elif activity.kind is ActivityKind.MODERATION and self.policies(activity):
            self.moderation(activity)
        else:
            self.occurring(activity)

    def rate(self, activity: Activity, quota: Quota) -> tuple[float | None, str]:
        """How many times the quota's count is owed in the version's days, with wording."""
        if quota.period is not None:
            periods = _periods(quota.period, self.first, self.last)
            return periods, _span(quota.period, periods)
        if activity.cadence.events:
            return None, (
                f"owed {activity.cadence.describe()}: the number of case events in a year "
                "is not known"
            )
        if activity.cadence.is_periodic:
            times = self.occurrences(activity)
            return times, f"{times} {plural(_OCCURRENCE, times)} ({activity.cadence.describe()})"
        return None, f"{activity.cadence.describe()}, so no number of occurrences"

    def quota(self, activity: Activity, quota: Quota) -> None:
        title = self.title(quota.per_role) if quota.per_role is not None else None
        wording = quota.describe(title)
        rate, rate_words = self.rate(activity, quota)
        count = quota.stated_count
        each = count * rate if rate is not None and count is not None else None
        if count is None:
            rate_words += "; how many is not stated, so no number is counted"
        if quota.per_role is not None:
            role = quota.per_role
            holders = self.headcount.get(role)
            total = each * holders if each is not None and holders is not None else None
            basis = f"{wording}; {rate_words}; {self.holders(role)}"
            if role in activity.who or not activity.who:
                self.line(activity, quota.unit, role, total, each, basis)
            else:
                self.share(activity, quota.unit, activity.who, total, basis)
        elif quota.per is not None:
            self.per_subject(activity, quota, quota.per, each, f"{wording}; {rate_words}")
        else:
            self.share(activity, quota.unit, activity.who, each, f"{wording}; {rate_words}")

    def per_subject(
        self, activity: Activity, quota: Quota, kind: str, each: float | None, wording: str
    ) -> None:
        """A quota per subject: to the roles given subjects each, the rest unassigned."""
        assigned: int | None = 0
        given_any = False
        for role in activity.who:
            given = self.per_person.get(role, {}).get(kind)
            if given is None:
                continue
            given_any = True
            holders = self.headcount.get(role)
            if holders is None or assigned is None:
                assigned = None
            else:
                assigned += given * holders
            self.line(
                activity,
                quota.unit,
                role,
                None,
                each * given if each is not None else None,
                f"{wording}; {given} {plural(kind, given)} each; {self.holders(role)}",
            )
        total = self.staffing.subjects.get(kind)
        if total is None:
            if not given_any:
                self.share(
                    activity,
                    quota.unit,
                    activity.who,
                    None,
                    f"{wording}; needs the number of {plural(kind)}",
                )
            return
        if assigned is None:
            return  # a role given subjects has no headcount: the rest cannot be known
        left = total - assigned
        if left <= 0:
            return
        words = f"{wording}; {left} {plural(kind, left)}"
        count = each * left if each is not None else None
        if given_any:
            self.line(activity, quota.unit, None, count, None, f"{words} not given to a role")
        else:
            self.share(activity, quota.unit, activity.who, count, words)

    def occurring(self, activity: Activity, why: str | None = None) -> None:
        """A periodic activity with no quota (or one whose count is not stated, ``why``): its
        occurrences, or the items the staff file plans each time."""
        times = self.occurrences(activity)
        words = f"{times} {plural(_OCCURRENCE, times)} ({activity.cadence.describe()})"
        if why is not None:
            words = f"{why}; {words}"
        planned = self.per_occurrence.get(activity.id)
        if planned is None:
            self.share(
                activity,
                _OCCURRENCE,
                activity.who,
                times,
                f"{words}; the profile gives no number each time",
            )
            return
        unit = _KIND_UNITS.get(activity.kind, "item")
        self.share(
            activity,
            unit,
            activity.who,
            times * planned,
            f"{words} x {planned} {plural(unit, planned)} planned each time",
        )

    def volume(self, activity_id: str) -> float | None:
        """The items an activity's lines count, None unless every line counts items (not
        bare occurrences)."""
        mine = [line for line in self.lines if line.source == "activity" and line.id == activity_id]
        if not mine or any(line.count is None or line.unit == _OCCURRENCE for line in mine):
            return None
        return sum(line.count or 0.0 for line in mine)

    def auditor_volume(self, policy: ModerationPolicy, roles: set[str]) -> float | None:
        """The audits by holders of ``roles`` of the policy's activities (those with a yearly
        number), None unless every one of their lines counts items."""
        total = 0.0
        for audited in policy.applies_to:
            moderated = self.profile.activity(audited)
            if moderated.quota is None and not moderated.cadence.is_periodic:
                continue
            mine = [
                line
                for line in self.lines
                if line.source == "activity" and line.id == audited and line.role in roles
            ]
            if any(line.count is None or line.unit == _OCCURRENCE for line in mine):
                return None
            total += sum(line.count or 0.0 for line in mine)
        return total

    def policies(self, activity: Activity) -> list[ModerationPolicy]:
        return [p for p in self.profile.moderation if set(p.moderators) & set(activity.who)]

    def moderation(self, activity: Activity) -> None:
        """A moderation activity with no quota: the audits its policies select."""
        for policy in self.policies(activity):
            doers = [r for r in policy.moderators if r in activity.who]
            volume: float | None = 0.0
            counted: list[str] = []
            left_out: list[str] = []
            for audited in policy.applies_to:
                moderated = self.profile.activity(audited)
                if not moderated.quotas and not moderated.cadence.is_periodic:
                    # Audits done as required have no yearly number; say they are left out.
                    left_out.append(moderated.name)
                    continue
                counted.append(moderated.name)
                found = self.volume(audited)
                volume = volume + found if volume is not None and found is not None else None
            if policy.cadence.every is not None:
                anchor = self.profile.schedule_anchor
                cycles = len(policy.cadence.occurrences(anchor, self.first, self.last))
            else:
                cycles = 1
            size, words = self.selected(policy, volume, max(cycles, 1))
            basis = f"{policy.name}: {words}"
            if volume is not None:
                basis += f", of {_number(volume)} audits ({', '.join(counted)})"
            if left_out:
                basis += f"; audits done as required not counted ({', '.join(left_out)})"
            self.share(activity, "moderation", doers, size, basis)

    def selected(
        self, policy: ModerationPolicy, volume: float | None, cycles: int
    ) -> tuple[float | None, str]:
        """How many audits the policy moderates in the version's days, with wording."""
        if volume is None:
            return None, (
                "needs the number of audits it moderates (give the audits each cycle under "
                "per_occurrence)"
            )
        if any(rule.kind is SelectionKind.ALL for rule in policy.selection):
            return volume, "every audit"
        per_cycle = volume / cycles
        size = 0.0
        words = []
        extra = []
        for rule in policy.selection:
            if not rule.is_stated:
                return None, f"how many a {rule.kind.value} rule selects is not stated"
            if rule.kind is SelectionKind.PROPORTION:
                chosen = self.profile.behaviour.moderation_sample_size(
                    self.profile, policy, rule, round(per_cycle)
                )
                size += chosen * cycles
                assert isinstance(rule.proportion, float)  # stated, as checked above
                words.append(f"{rule.proportion:.0%} of each cycle's audits")
            elif rule.kind is SelectionKind.FIXED:
                assert isinstance(rule.count, int)  # a fixed rule has its count, stated
                size += rule.count * cycles
                words.append(f"{rule.count} each cycle")
            elif rule.kind is SelectionKind.PER_ROLE:
                # A per-role rule has all three (SelectionRule checks), the count stated.
                assert isinstance(rule.count, int)
                assert rule.period is not None
                assert rule.per_role is not None
                holders = self.headcount.get(rule.per_role)
                title = self.title(rule.per_role) or rule.per_role
                if holders is None:
                    return None, f"needs the headcount of {title}"
                size += rule.count * holders * _periods(rule.period, self.first, self.last)
                words.append(f"{rule.count} per {title} each {rule.period.describe()}")
            elif rule.kind is SelectionKind.BY_AUDITOR:
                roles = {r.id for r in self.profile.roles if rule.selects_auditor(r)}
                titles = ", ".join(self.title(r) or r for r in sorted(roles)) or "none"
                by_them = self.auditor_volume(policy, roles)
                if by_them is None:
                    return None, f"needs the number of audits by {titles}"
                size += by_them
                words.append(f"every audit by {titles}")
            elif rule.grade is not None:
                label = self.profile.grade_scale.grade(rule.grade).label
                extra.append(f"every audit graded {label} or worse, not counted")
        return min(size, volume), ", ".join(words) + "".join(f" (and {e})" for e in extra)

    # -- forums ----------------------------------------------------------------------------

    def forums(self) -> None:
        for forum in self.profile.forums:
            chair = [forum.chair] if forum.chair else []
            attendees = list(dict.fromkeys([*chair, *forum.members]))
            if not forum.cadence.is_periodic or not attendees:
                reason = (
                    f"meets {forum.cadence.describe()}"
                    if not forum.cadence.is_periodic
                    else "the profile names no chair or members"
                )
                self.not_counted.append(NotCounted("forum", forum.id, forum.name, reason))
                continue
            meetings = len(
                forum.cadence.occurrences(self.profile.schedule_anchor, self.first, self.last)
            )
            for role in attendees:
                headcount = self.headcount.get(role)
                self.lines.append(
                    WorkloadLine(
                        source="forum",
                        id=forum.id,
                        name=forum.name,
                        kind=forum.kind.value,
                        unit="meeting",
                        version=self.profile.label,
                        role=role,
                        role_title=self.title(role),
                        headcount=headcount,
                        count=float(meetings * headcount) if headcount is not None else None,
                        count_per_person=float(meetings),
                        hours_each=None,
                        hours=None,
                        hours_per_person=None,
                        effort=None,
                        basis=(
                            f"{meetings} {plural('meeting', meetings)} "
                            f"({forum.cadence.describe()}), each attended"
                        ),
                    )
                )
