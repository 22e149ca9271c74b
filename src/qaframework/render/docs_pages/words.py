"""A council's rules in words: moderation selection, escalation triggers, who raises a
concern, what follows and what closes it."""

from __future__ import annotations

from qaframework.policy.escalation import (
    ClosingCondition,
    EscalationRule,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.moderation import SelectionKind, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NotStated

__all__: list[str] = []


def _selection_words(profile: Profile, rule: SelectionRule) -> str:
    kind = rule.kind
    if kind is SelectionKind.ALL:
        return "every audit"
    if kind is SelectionKind.PROPORTION:
        share = (
            f"{rule.proportion * 100:g}% of the cycle's audits"
            if isinstance(rule.proportion, float)
            else "a proportion of the cycle's audits (how many is not stated)"
        )
        bounds = []
        if rule.minimum is not None:
            bounds.append(f"at least {rule.minimum}")
        if rule.maximum is not None:
            bounds.append(f"at most {rule.maximum}")
        return share + (f" ({', '.join(bounds)})" if bounds else "")
    count = (
        f"{rule.count} audit{'s' if rule.count != 1 else ''}"
        if isinstance(rule.count, int)
        else "audits (how many is not stated)"
    )
    if kind is SelectionKind.PER_ROLE:
        title = profile.role(rule.per_role).title if rule.per_role else ""
        period = rule.period.describe() if rule.period else ""
        return f"{count} by each {title} per {period}"
    if kind is SelectionKind.FIXED:
        return f"{count} each cycle"
    if kind is SelectionKind.BY_AUDITOR:
        named = [f"a {title}" for title in profile.role_titles(rule.auditor_roles)]
        named += [f"any {tier.label} (generic role)" for tier in rule.auditor_generic]
        return "every audit by " + " or ".join(named)
    label = profile.grade_scale.grade(rule.grade).label if rule.grade else ""
    return f"every audit its auditor grades {label} or worse"


def _grades_words(profile: Profile, trigger: Trigger) -> str:
    scale = profile.grade_scale
    named = []
    if trigger.at_or_below is not None:
        named.append(f"{scale.grade(trigger.at_or_below).label} or worse")
    named += [scale.grade(g).label for g in trigger.grades]
    return " or ".join(named)


_STAGE_WORDS = {
    GradeStage.AUDITOR: "the auditor grades the audit",
    GradeStage.MODERATED: "moderation grades the audit",
    GradeStage.FINAL: "the audit's final grade (moderated where moderated) is",
}


def _trigger_words(profile: Profile, trigger: Trigger) -> str:
    if trigger.kind is TriggerKind.GRADE:
        return (
            f"{_STAGE_WORDS[trigger.stage or GradeStage.FINAL]} {_grades_words(profile, trigger)}"
        )
    if trigger.kind is TriggerKind.MODERATION:
        outcome = trigger.outcome.value if trigger.outcome else "moderates"
        grades = _grades_words(profile, trigger)
        return f"moderation {outcome}s the audit" + (f" to {grades}" if grades else "")
    if trigger.kind is TriggerKind.CONCERN:
        concern = trigger.concern.value.replace("_", " ") if trigger.concern else ""
        article = "an" if concern[:1] in ("a", "e", "i", "o", "u") else "a"
        return f"the audit raises {article} {concern} concern"
    return "every completed audit"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _raiser_words(rule: EscalationRule) -> str:
    if rule.trigger.kind is TriggerKind.MODERATION:
        return "the moderator"
    return "the auditor"


def _consequence_words(profile: Profile, rule: EscalationRule) -> str:
    c = rule.consequence
    if c is None:
        return ""
    words = c.name
    if c.activity:
        words += f": a {profile.activity(c.activity).name} of the same child"
    if isinstance(c.owner, NotStated):
        words += ", run by a role the source does not state"
    elif c.owner:
        words += f", run by {profile.role(c.owner).title}"
    if c.monitored_in:
        words += ", monitored in " + ", ".join(profile.forum(f).name for f in c.monitored_in)
    if c.circulated_to:
        words += ", circulated to " + ", ".join(profile.role_titles(c.circulated_to))
    if c.until:
        words += f", until {c.until}"
    return words


_CLOSES_WORDS = {
    ClosingCondition.ACTIONS_VERIFIED: "when the audit's actions are all verified",
    ClosingCondition.NO_ACTIONS: "on the deadline, when the audit set no actions",
    ClosingCondition.IMPROVED: "when a later audit of the child is graded better",
    ClosingCondition.WITHDRAWN: "when moderation takes the grade out of the trigger",
    ClosingCondition.DEADLINE: "once the deadline has passed",
    ClosingCondition.FOLLOW_ON_RECORDED: "when the follow-on audit of the child is recorded",
}


def _closes_words(rule: EscalationRule) -> str:
    """The rule's closing conditions in words, the first to happen closing it."""
    return "; or ".join(_CLOSES_WORDS[c] for c in rule.closes)
