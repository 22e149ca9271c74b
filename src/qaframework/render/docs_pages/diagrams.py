"""Mermaid diagrams of a profile: the reporting graph, and moderation and escalation as
flows."""

from __future__ import annotations

from qaframework.policy.escalation import (
    EscalationRule,
    TriggerKind,
    describe_deadline,
)
from qaframework.policy.moderation import ModerationPolicy
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NOT_STATED_TEXT, NotStated
from qaframework.render.docs_pages.text import mermaid_text
from qaframework.render.docs_pages.words import (
    _consequence_words,
    _raiser_words,
    _selection_words,
    _sentence,
    _trigger_words,
)

__all__ = ["escalation_flow", "moderation_flow", "reporting_graph"]


def _fence(diagram: str) -> list[str]:
    return ["```mermaid", diagram, "```", ""]


class _Graph:
    """A Mermaid flowchart under construction: generated node ids, quoted labels."""

    def __init__(self, direction: str) -> None:
        self.lines = [f"flowchart {direction}"]
        self.ids: dict[object, str] = {}

    def node(self, key: object, label: str, shape: str = "box") -> str:
        found = self.ids.get(key)
        if found is not None:
            return found
        node_id = f"n{len(self.ids) + 1}"
        self.ids[key] = node_id
        text = mermaid_text(label)
        opening, closing = {
            "box": ("[", "]"),
            "round": ("(", ")"),
            "stadium": ("([", "])"),
            "decision": ("{", "}"),
        }[shape]
        self.lines.append(f'    {node_id}{opening}"{text}"{closing}')
        return node_id

    def edge(self, a: str, b: str, label: str | None = None, dotted: bool = False) -> None:
        arrow = "-.->" if dotted else "-->"
        text = f'|"{mermaid_text(label, width=22)}"|' if label else ""
        self.lines.append(f"    {a} {arrow}{text} {b}")

    def text(self) -> str:
        return "\n".join(self.lines)


def reporting_graph(profile: Profile) -> str:
    """A Mermaid flowchart of the profile's reports: producers → report → forums and people."""
    g = _Graph("LR")
    for line in profile.reporting_lines:
        report = g.node(("report", line.id), line.report)
        for role in line.produced_by:
            g.edge(g.node(("role", role), profile.role(role).title, "stadium"), report)
        for forum in line.to_forums:
            g.edge(report, g.node(("forum", forum), profile.forum(forum).name, "round"))
        for role in line.to_roles:
            g.edge(report, g.node(("role", role), profile.role(role).title, "stadium"))
    return g.text()


def moderation_flow(profile: Profile, policy: ModerationPolicy) -> str:
    """A Mermaid flowchart of one moderation policy: activities → selection → moderators →
    outcomes → feedback, and the escalation rules a moderation outcome sets off."""
    g = _Graph("LR")
    chosen = g.node("chosen", f"Chosen for moderation, {policy.cadence.describe()}", "decision")
    for activity in policy.applies_to:
        g.edge(g.node(("activity", activity), profile.activity(activity).name), chosen)
    moderators = g.node(
        "moderators", "Moderated by " + ", ".join(profile.role_titles(policy.moderators))
    )
    for selection in policy.selection:
        g.edge(chosen, moderators, _selection_words(profile, selection))
    feedback = (
        g.node("feedback", "Feedback to " + ", ".join(profile.role_titles(policy.feedback_to)))
        if policy.feedback_to
        else None
    )
    for outcome in policy.outcomes:
        node = g.node(("outcome", outcome), _sentence(outcome.value), "round")
        g.edge(moderators, node)
        if feedback is not None:
            g.edge(node, feedback)
        for rule in profile.escalation:
            if rule.trigger.kind is TriggerKind.MODERATION and rule.trigger.outcome is outcome:
                applies = not rule.applies_to or set(rule.applies_to) & set(policy.applies_to)
                if applies:
                    g.edge(node, g.node(("rule", rule.id), rule.name, "stadium"), dotted=True)
    return g.text()


def escalation_flow(profile: Profile, rule: EscalationRule) -> str:
    """A Mermaid flowchart of one escalation rule: trigger → who raises it → who is told, by
    when → what follows → follow-up."""
    g = _Graph("LR")
    trigger = g.node("trigger", _sentence(_trigger_words(profile, rule.trigger)), "decision")
    raised_by = (
        ", ".join(profile.role_titles(rule.raised_by)) if rule.raised_by else _raiser_words(rule)
    )
    raiser = g.node("raiser", f"Raised by {raised_by}", "stadium")
    g.edge(trigger, raiser)
    told = (
        [NOT_STATED_TEXT]
        if isinstance(rule.recipients, NotStated)
        else list(profile.role_titles(rule.recipients))
    )
    if rule.notify_auditor:
        told.append("the auditor")
    recipients = g.node("told", "Told: " + ", ".join(told))
    deadline = describe_deadline(rule.deadline)
    if isinstance(rule.deadline, NotStated):
        deadline = "deadline not stated"
    g.edge(raiser, recipients, deadline)
    if rule.conditional_recipients:
        conditional = g.node(
            "conditional",
            "Told if relevant: " + ", ".join(profile.role_titles(rule.conditional_recipients)),
        )
        g.edge(raiser, conditional, deadline, dotted=True)
    last = recipients
    if rule.consequence is not None:
        last = g.node("consequence", _consequence_words(profile, rule), "round")
        g.edge(recipients, last)
    if rule.follow_up is not None:
        by = ", ".join(profile.role_titles(rule.follow_up_by)) or "the rule's owners"
        follow = g.node("follow_up", f"Followed up {rule.follow_up.describe()} by {by}")
        g.edge(last, follow)
    return g.text()
