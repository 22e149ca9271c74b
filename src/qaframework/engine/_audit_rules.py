"""The checks of an audit's checklist answers, its grades on other scales and who may do
what, for :class:`~qaframework.engine.audits.AuditCheck`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qaframework.errors import Problem
from qaframework.policy.activities import Activity
from qaframework.policy.checklists import ChecklistAnswer
from qaframework.policy.permissions import Severity
from qaframework.policy.profile import Profile

# An audit (qaframework.engine.audits.Audit), which this module sits below: it reads the
# audit's checklist, ratings, auditor_role and moderations.
Audit = Any

__all__ = ["checklist_problems", "rating_problems", "role_problems"]


def checklist_problems(audit: Audit, activity: Activity, add: Callable[[str, str], None]) -> None:
    """Each answer to an item the activity does not ask, a second answer, and not applicable
    where the item does not take it."""
    items = {item.id: item for item in activity.checklist}
    seen: set[str] = set()
    for index, answer in enumerate(audit.checklist):
        where = f".checklist[{index}]"
        item = items.get(answer.item)
        if item is None:
            listed = ", ".join(items) or "none"
            add(
                f"{where}.item",
                f"{activity.name} has no checklist item {answer.item!r} (its items: {listed})",
            )
        elif answer.item in seen:
            add(f"{where}.item", f"second answer to checklist item {answer.item!r}")
        elif answer.answer is ChecklistAnswer.NOT_APPLICABLE and not item.not_applicable:
            add(
                f"{where}.answer",
                f"checklist item {answer.item!r} ({item.question}) is answered yes or no; "
                "it is never not applicable",
            )
        seen.add(answer.item)


def rating_problems(
    profile: Profile, audit: Audit, activity: Activity, add: Callable[[str, str], None]
) -> None:
    """Each grade on a scale the activity does not use, a second grade on one scale, a grade
    not on its scale, and each scale the activity uses with no grade."""
    known: dict[str, Any] = profile._lookup["scales"]
    given: set[str] = set()
    for index, rating in enumerate(audit.ratings):
        where = f".ratings[{index}]"
        if rating.scale not in activity.scales:
            others = ", ".join(activity.scales) or "none"
            add(
                f"{where}.scale",
                f"{activity.name} is not graded on scale {rating.scale!r} (its other "
                f"scales: {others})",
            )
        elif rating.scale in given:
            add(f"{where}.scale", f"second grade on scale {rating.scale!r}")
        elif rating.scale in known and rating.grade not in known[rating.scale]:
            scale = known[rating.scale]
            add(
                f"{where}.grade",
                f"unknown grade {rating.grade!r} on scale {scale.id!r} ({', '.join(scale.codes)})",
            )
        given.add(rating.scale)
    for scale_id in activity.scales:
        if scale_id not in given and scale_id in known:
            scale = known[scale_id]
            add(
                ".ratings",
                f"{activity.name} is also graded on {scale.name} ({scale.id}): give its "
                f"grade ({', '.join(scale.codes)})",
            )


def role_problems(
    profile: Profile,
    who: set[str] | frozenset[str],
    allowed: set[str] | frozenset[str],
    audit: Audit,
    activity: Activity,
    path: str,
    severity: Severity,
) -> list[Problem]:
    """The audit's role checks of ``severity`` (see :class:`RoleChecks
    <qaframework.policy.permissions.RoleChecks>`): ``who`` the roles that undertake the
    activity, ``allowed`` those that moderate it."""
    found: list[Problem] = []
    checks = profile.checks_roles
    titles = profile.role_titles
    roles = profile._lookup["roles"]
    role = audit.auditor_role
    if checks.auditors is severity and role in roles and role not in who:
        found.append(
            Problem(
                f"{path}.auditor_role",
                f"the {roles[role].title} role does not undertake {activity.name} "
                f"(undertaken by: {', '.join(titles(activity.who))})",
            )
        )
    if checks.moderators is severity and activity.graded:
        for index, record in enumerate(audit.moderations):
            if record.role not in roles or record.role in allowed:
                continue
            if allowed:
                why = (
                    f"the {roles[record.role].title} role does not moderate "
                    f"{activity.name} audits (moderators: {', '.join(titles(sorted(allowed)))})"
                )
            else:
                why = f"no moderation policy covers {activity.name}, so no role moderates it"
            found.append(Problem(f"{path}.moderations[{index}].role", why))
    return found
