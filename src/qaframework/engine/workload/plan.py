""":func:`plan_workload`: the staffing checked against every version, each version's
lines counted, and the totals."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from qaframework.engine.periods import FinancialYear, Period
from qaframework.engine.workload.counting import _Version
from qaframework.engine.workload.model import (
    NotCounted,
    Staffing,
    UnitCount,
    VersionSpan,
    WorkloadError,
    WorkloadLine,
    WorkloadPlan,
    WorkloadTotal,
)
from qaframework.engine.workload.units import _DAY
from qaframework.policy.activities import ActivityKind
from qaframework.policy.cadence import describe_quotas
from qaframework.policy.grades import normalise_grade_text
from qaframework.policy.profile import Profile

__all__ = ["plan_workload"]


def _role_keys(versions: Sequence[Profile]) -> dict[str, str]:
    """Every way a staff file may name a role (id, title, abbreviation) to its id."""
    keys: dict[str, str] = {}
    for profile in versions:
        for role in profile.roles:
            for spelling in (role.id, role.title, *role.abbreviations):
                keys.setdefault(normalise_grade_text(spelling), role.id)
    return keys


def _check_staffing(staffing: Staffing, versions: Sequence[Profile]) -> None:
    roles = _role_keys(versions)
    kinds = {
        quota.per
        for p in versions
        for a in p.activities
        for quota in a.quotas
        if quota.per is not None
    }
    activities = {
        normalise_grade_text(spelling): a
        for p in versions
        for a in p.activities
        for spelling in (a.id, a.name)
    }
    problems = []
    named = [("headcount", key) for key in staffing.headcount]
    named += [("subjects_per_person", key) for key in staffing.subjects_per_person]
    for table, key in named:
        if normalise_grade_text(key) not in roles:
            problems.append(f"{table}.{key}: not a role of the profile")
    listed = ", ".join(sorted(kinds)) or "none"
    for key in staffing.subjects:
        if key not in kinds:
            problems.append(f"subjects.{key}: no quota is owed per {key!r} (kinds: {listed})")
    for role, owed in staffing.subjects_per_person.items():
        for key in owed:
            if key not in kinds:
                problems.append(
                    f"subjects_per_person.{role}.{key}: no quota is owed per {key!r} "
                    f"(kinds: {listed})"
                )
    for key in staffing.per_occurrence:
        found = activities.get(normalise_grade_text(key))
        if found is None:
            problems.append(f"per_occurrence.{key}: not an activity of the profile")
        elif any(q.stated_count is not None for q in found.quotas):
            problems.append(
                f"per_occurrence.{key}: the profile gives its quota "
                f"({describe_quotas(found.quota)})"
            )
        elif not found.cadence.is_periodic:
            problems.append(f"per_occurrence.{key}: it has no dated occurrences")
    if problems:
        raise WorkloadError(f"{staffing.source}: " + "; ".join(problems))


def _totals(
    lines: Iterable[WorkloadLine], role: str | None, title: str, headcount: int | None
) -> WorkloadTotal:
    chosen = list(lines)
    counts = []
    for unit in dict.fromkeys(line.unit for line in chosen):
        mine = [line for line in chosen if line.unit == unit]
        known = [line.count for line in mine if line.count is not None]
        each = [line.count_per_person for line in mine if line.count_per_person is not None]
        counts.append(
            UnitCount(
                unit,
                sum(known) if known else None,
                sum(each) if each and role is not None else None,
                len(known) == len(mine),
                len(each) == len(mine) and role is not None,
            )
        )
    hours = [line.hours for line in chosen if line.hours is not None]
    each_hours = [line.hours_per_person for line in chosen if line.hours_per_person is not None]
    return WorkloadTotal(
        role=role,
        title=title,
        headcount=headcount,
        counts=tuple(counts),
        hours=sum(hours) if hours else None,
        hours_per_person=sum(each_hours) if each_hours and role is not None else None,
        lines=len(chosen),
        lines_without_count=sum(1 for line in chosen if line.count is None),
        lines_without_hours=sum(1 for line in chosen if line.hours is None),
    )


def plan_workload(
    profile: Profile | Sequence[Profile],
    year: FinancialYear | Period,
    staffing: Staffing,
) -> WorkloadPlan:
    """The workload ``profile``'s framework asks of ``staffing`` over ``year``.

    ``profile`` is a version or the versions of one profile; ``year`` a financial year or
    any period. See the
    module docstring for how each line is counted. Raises :class:`WorkloadError` when the
    staffing names a role, subject kind or activity the profile does not have, or no version
    is in force in the year.
    """
    versions = sorted(
        [profile] if isinstance(profile, Profile) else list(profile),
        key=lambda p: p.effective_from,
    )
    if not versions or len({p.id for p in versions}) != 1:
        raise WorkloadError("give the versions of one profile")
    span = year.period() if isinstance(year, FinancialYear) else year
    _check_staffing(staffing, versions)
    roles = _role_keys(versions)
    parts: list[_Version] = []
    for index, version in enumerate(versions):
        first = max(span.start, version.effective_from)
        last = span.end if version.effective_to is None else min(span.end, version.effective_to)
        if index + 1 < len(versions):
            last = min(last, versions[index + 1].effective_from - _DAY)
        if first <= last:
            parts.append(_Version(version, first, last, staffing, roles))
    if not parts:
        raise WorkloadError(
            f"no version of profile {versions[0].id!r} is in force in {span.label} "
            f"(the first takes effect {versions[0].effective_from})"
        )
    for part in parts:
        moderations = [a for a in part.profile.activities if a.kind is ActivityKind.MODERATION]
        for activity in part.profile.activities:
            if activity not in moderations:
                part.activity(activity)
        for activity in moderations:
            part.activity(activity)
        part.forums()
    lines = tuple(line for part in parts for line in part.lines)
    latest = parts[-1].profile
    order = {role.id: index for part in parts for index, role in enumerate(part.profile.roles)}
    by_role: dict[str | None, list[WorkloadLine]] = {}
    for line in lines:
        by_role.setdefault(line.role, []).append(line)
    ordered = sorted(by_role, key=lambda r: (r is None, order.get(r or "", math.inf)))
    totals = []
    for role in ordered:
        title = by_role[role][0].role_title or "Not assigned to a role"
        headcount = by_role[role][0].headcount
        totals.append(_totals(by_role[role], role, title, headcount))
    not_counted: dict[tuple[str, str], NotCounted] = {}
    for part in parts:
        for item in part.not_counted:
            not_counted.setdefault((item.source, item.id), item)
    label = year.label if isinstance(year, FinancialYear) else span.label
    return WorkloadPlan(
        profile_id=latest.id,
        authority=latest.authority,
        year=label,
        start=span.start,
        end=span.end,
        versions=tuple(VersionSpan(part.profile.label, part.first, part.last) for part in parts),
        lines=lines,
        roles=tuple(totals),
        total=_totals(lines, None, latest.authority, None),
        not_counted=tuple(not_counted.values()),
    )
