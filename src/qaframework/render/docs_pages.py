"""Council pages for the documentation site, written from the profiles themselves.

The site's page for a council is generated on every build from the council's installed
profile versions, so it cannot drift from the data: :func:`council_page` turns the versions
of one council into Markdown, and :func:`councils_index` lists the councils. Each version's
section gives the QA activity at-a-glance table (who in the council's own titles, how often
in English, how many, to which forums the findings go), the standards with what good looks
like and how it is measured, the grade scale and its ILACS crosswalk, the roles, forums and
reporting lines, moderation and escalation as flows, the closing-the-loop timescales, the
assumptions the profile makes, and a numbered citation (source document, section, quote) for
every fact shown. Between consecutive versions the page states the gap: days no version
covers, and what changed (:func:`qaframework.profiles.diff.diff_profiles`).

Flows are Mermaid diagrams (a ``mermaid`` fenced block, which the site's Markdown
configuration renders). Their node ids are generated (``n1``, ``n2`` ...) and every label is
quoted, with the characters Mermaid reads as syntax written as its entity codes
(:func:`mermaid_text`), so no council's wording can break a diagram.

The module is pure: it reads :class:`~qaframework.policy.profile.Profile` values and returns text.
The MkDocs hook that loads the installed profiles and adds the pages lives with the site
(``docs/hooks/councils.py``).
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from qaframework.policy.cadence import Cadence, Quota
from qaframework.policy.citations import Citation
from qaframework.policy.escalation import (
    ClosingCondition,
    EscalationRule,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.moderation import ModerationPolicy, SelectionKind, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.profiles.diff import ChangeKind, ItemChange, ProfileDiff, diff_profiles

__all__ = [
    "council_page",
    "council_slug",
    "councils_index",
    "escalation_flow",
    "markdown_text",
    "mermaid_text",
    "moderation_flow",
    "reporting_graph",
    "version_anchor",
]

_NONE = "—"
_SECTION_TITLES = {
    "profile": "The version itself",
    "sources": "Source documents",
    "grade_scale": "Grade scale",
    "grades": "Grades",
    "roles": "Roles",
    "standards": "Standards",
    "forums": "Forums",
    "reporting_lines": "Reporting lines",
    "activities": "QA activities",
    "moderation": "Moderation",
    "escalation": "Escalation",
    "action_timescales": "Action timescales",
    "assumptions": "Assumptions",
}

# -- text ------------------------------------------------------------------------------------

# Characters Markdown (or the HTML it passes through) would read as syntax inside running text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
# A line starting with punctuation (a heading, list, quote, admonition, fence, definition) or a
# number and a full stop or bracket (a numbered list).
_LINE_START = re.compile(r"^(\d+[.)]|[#+\-!?:=~])")


def markdown_text(text: str) -> str:
    """``text`` as one line of literal Markdown: safe in a paragraph, list item or table cell.

    Runs of white space become one space; backslashes, backticks, asterisks, underscores,
    brackets, braces (an attribute list) and pipes are escaped, ``&``, ``<`` and ``>`` written
    as HTML entities, and punctuation that would make the line a heading, list, quote,
    admonition or fence is written as a character reference.
    """
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    start = _LINE_START.match(flat)
    if start is not None:
        marker = start.group(1)
        flat = f"{marker[:-1]}&#{ord(marker[-1])};{flat[start.end() :]}"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


# Mermaid entity codes for the characters it reads as syntax or as HTML inside a label.
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    ";": "#59;",
    "|": "#124;",
    "`": "#96;",
    "\\": "#92;",
}
_MERMAID_WRAP = 26


def mermaid_text(text: str, width: int = _MERMAID_WRAP) -> str:
    """``text`` for a quoted Mermaid label: entity-coded, wrapped with ``<br>`` every
    ``width`` characters or so.

    ``#``, ``"``, ``<``, ``>``, ``&``, ``;``, ``|``, backtick and backslash become Mermaid
    entity codes (``#quot;``), so the label can hold any council's wording; the only markup
    left in the result is the ``<br>`` line breaks it adds.
    """
    lines = textwrap.wrap(
        " ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False
    ) or [""]
    return "<br>".join("".join(_MERMAID_ENTITIES.get(c, c) for c in line) for line in lines)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def council_slug(profile_id: str) -> str:
    """The page name for a council: ``bolton`` for ``bolton``, ``kestrel-vale`` for
    ``kestrel_vale``."""
    return _slug(profile_id)


def version_anchor(profile: Profile) -> str:
    """The anchor of a version's section on its council's page: ``v2026-02-05``, from the
    day it takes effect (unique among a profile's versions, unlike a version's name)."""
    return f"v{profile.effective_from.isoformat()}"


def _join(items: Iterable[str]) -> str:
    found = [i for i in items if i]
    return ", ".join(found) if found else _NONE


def _cell(text: str | None) -> str:
    return markdown_text(text) if text else _NONE


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    lines.append("")
    return lines


# -- one version ---------------------------------------------------------------------------


class _VersionWriter:
    """Writes one version's section, numbering its citations in order of first use."""

    def __init__(self, profile: Profile, level: int) -> None:
        self.profile = profile
        self.h = "#" * level
        self.anchor = version_anchor(profile)
        self.citations: dict[Citation, int] = {}
        self.lines: list[str] = []

    # references ----------------------------------------------------------------------

    def cite(self, citation: Citation | None) -> str:
        """A link to the citation's entry in the version's citation table."""
        if citation is None:
            return _NONE
        number = self.citations.setdefault(citation, len(self.citations) + 1)
        return f"[{number}](#{self.anchor}-c{number})"

    def titles(self, role_ids: Iterable[str]) -> str:
        return _join(markdown_text(t) for t in self.profile.role_titles(role_ids))

    def forum_names(self, forum_ids: Iterable[str]) -> str:
        return _join(markdown_text(self.profile.forum(f).name) for f in forum_ids)

    def activity_names(self, activity_ids: Iterable[str]) -> str:
        return _join(markdown_text(self.profile.activity(a).name) for a in activity_ids)

    def grade_label(self, code: str) -> str:
        return self.profile.grade_scale.grade(code).label

    def quota(self, quota: Quota | None) -> str:
        if quota is None:
            return _NONE
        title = self.profile.role(quota.per_role).title if quota.per_role else None
        return markdown_text(quota.describe(title))

    def cadence(self, cadence: Cadence) -> str:
        return markdown_text(cadence.describe())

    # sections ------------------------------------------------------------------------

    def write(self) -> str:
        p = self.profile
        in_force = f"in force from {_day(p.effective_from)}"
        if p.effective_to is not None:
            in_force += f" to {_day(p.effective_to)}"
        self.lines += [
            f"{self.h} {markdown_text(p.name)} ({markdown_text(p.version)}) {{ #{self.anchor} }}",
            "",
            f"Version `{p.version}` of `{p.id}`, {in_force}; periodic cadences count from "
            f"{_day(p.schedule_anchor)}. Load it with "
            f'`qaframework.load_profile("{p.id}", as_of=date({p.effective_from.year}, '
            f"{p.effective_from.month}, {p.effective_from.day}))`.",
            "",
        ]
        if p.summary:
            self.lines += [markdown_text(p.summary), ""]
        self.sources()
        self.activities()
        self.standards()
        self.grades()
        self.roles()
        self.forums()
        self.reporting()
        self.moderation()
        self.escalation()
        self.closing_the_loop()
        self.assumptions()
        self.citation_table()
        return "\n".join(self.lines)

    def heading(self, title: str, slug: str) -> None:
        self.lines += [f"{self.h}# {title} {{ #{self.anchor}-{slug} }}", ""]

    def sources(self) -> None:
        self.heading("Source documents", "sources")
        rows = []
        for s in self.profile.sources:
            issued = s.issued + (f", approved {_day(s.approved)}" if s.approved else "")
            rows.append(
                [
                    f"`{s.id}`",
                    markdown_text(s.title),
                    markdown_text(s.authority),
                    f"`{s.file}`",
                    markdown_text(issued),
                    _cell(s.replaces),
                ]
            )
        self.lines += _table(["Id", "Document", "Authority", "File", "Issued", "Replaces"], rows)
        notes = [s for s in self.profile.sources if s.notes]
        self.lines += [f"- `{s.id}`: {markdown_text(s.notes or '')}" for s in notes]
        if notes:
            self.lines.append("")

    def activities(self) -> None:
        p = self.profile
        self.heading("QA activity at a glance", "activities")
        rows = []
        for a in p.activities:
            reported = []
            for line_id in a.reported_via:
                line = p.reporting_line(line_id)
                to = [p.forum(f).name for f in line.to_forums]
                to += list(p.role_titles(line.to_roles))
                reported.append(
                    markdown_text(line.report) + " → " + _join(markdown_text(t) for t in to)
                )
            rows.append(
                [
                    markdown_text(a.name),
                    self.titles(a.who),
                    self.cadence(a.cadence),
                    self.quota(a.quota),
                    "<br>".join(reported) or _NONE,
                    self.cite(a.citation),
                ]
            )
        self.lines += _table(
            ["Activity", "Who", "How often", "How many", "Reported to", "Source"], rows
        )

    def standards(self) -> None:
        self.heading("Standards", "standards")
        for s in self.profile.standards:
            kind = s.kind.value.replace("_", " ")
            graded = "graded one by one in audits" if s.audited else "not graded in audits"
            self.lines += [
                f"**{markdown_text(s.title)}** ({kind}, {graded}; source {self.cite(s.citation)})",
                "",
            ]
            if s.description:
                self.lines += [markdown_text(s.description), ""]
            for title, points in (
                ("What good looks like", s.what_good_looks_like),
                ("How it is measured", s.how_measured),
            ):
                if points:
                    self.lines += [f"*{title}:*", ""]
                    self.lines += [f"- {markdown_text(point)}" for point in points]
                    self.lines.append("")

    def grades(self) -> None:
        scale = self.profile.grade_scale
        self.heading("Grade scale and ILACS crosswalk", "grades")
        threshold = scale.grade(scale.good_or_better).label
        self.lines += [
            f"{markdown_text(scale.name)}, best first (source {self.cite(scale.citation)}). "
            f"*{markdown_text(threshold)}* is the lowest grade that counts as good or better.",
            "",
        ]
        rows = [
            [
                markdown_text(g.label),
                f"`{g.code}`",
                g.ilacs.label,
                "yes" if scale.is_good_or_better(g.code) else "no",
                _join(markdown_text(s) for s in g.synonyms),
            ]
            for g in scale
        ]
        self.lines += _table(
            ["Grade", "Code", "ILACS judgement", "Good or better", "Also written"], rows
        )

    def roles(self) -> None:
        p = self.profile
        self.heading("Roles", "roles")
        rows = [
            [
                markdown_text(r.title),
                _join(markdown_text(a) for a in r.abbreviations),
                r.generic.label,
                markdown_text(p.role(r.reports_to).title) if r.reports_to else _NONE,
                self.cite(r.citation),
            ]
            for r in p.roles
        ]
        self.lines += _table(["Role", "Also called", "Generic role", "Reports to", "Source"], rows)

    def forums(self) -> None:
        p = self.profile
        self.heading("Forums", "forums")
        rows = [
            [
                markdown_text(f.name)
                + (
                    f" ({_join(markdown_text(a) for a in f.abbreviations)})"
                    if f.abbreviations
                    else ""
                ),
                f.kind.value,
                self.cadence(f.cadence),
                markdown_text(p.role(f.chair).title) if f.chair else _NONE,
                self.titles(f.members),
                self.cite(f.citation),
            ]
            for f in p.forums
        ]
        self.lines += _table(["Forum", "Kind", "Meets", "Chair", "Members", "Source"], rows)

    def reporting(self) -> None:
        p = self.profile
        self.heading("Reporting lines", "reporting")
        rows = [
            [
                markdown_text(line.report),
                self.titles(line.produced_by),
                self.cadence(line.cadence),
                _join(
                    [
                        self.forum_names(line.to_forums) if line.to_forums else "",
                        self.titles(line.to_roles) if line.to_roles else "",
                    ]
                ),
                self.cite(line.citation),
            ]
            for line in p.reporting_lines
        ]
        self.lines += _table(["Report", "Produced by", "How often", "To", "Source"], rows)
        if p.reporting_lines:
            self.lines += _fence(reporting_graph(p))

    def moderation(self) -> None:
        p = self.profile
        self.heading("Moderation", "moderation")
        if not p.moderation:
            self.lines += ["The profile sets no moderation policy.", ""]
        for policy in p.moderation:
            self.lines += [
                f"**{markdown_text(policy.name)}** (source {self.cite(policy.citation)})",
                "",
                f"- Applies to: {self.activity_names(policy.applies_to)}",
                f"- Moderated by: {self.titles(policy.moderators)}",
                f"- How often: {self.cadence(policy.cadence)}",
            ]
            for rule in policy.selection:
                self.lines.append(
                    f"- Chooses {markdown_text(_selection_words(p, rule))} "
                    f"(source {self.cite(rule.citation)})"
                )
            self.lines.append("- Outcomes: " + ", ".join(o.value for o in policy.outcomes))
            if policy.feedback_to:
                self.lines.append(f"- Feedback to: {self.titles(policy.feedback_to)}")
            if policy.recorded_on:
                self.lines.append(f"- Recorded on: {markdown_text(policy.recorded_on)}")
            self.lines += [f"- {markdown_text(note)}" for note in policy.notes]
            self.lines.append("")
            self.lines += _fence(moderation_flow(p, policy))

    def escalation(self) -> None:
        p = self.profile
        self.heading("Escalation", "escalation")
        if not p.escalation:
            self.lines += ["The profile sets no escalation rule.", ""]
        for rule in p.escalation:
            self.lines += [
                f"**{markdown_text(rule.name)}** (source {self.cite(rule.citation)})",
                "",
                f"- When: {markdown_text(_trigger_words(p, rule.trigger))}",
            ]
            if rule.applies_to:
                self.lines.append(f"- For: {self.activity_names(rule.applies_to)}")
            raised = self.titles(rule.raised_by) if rule.raised_by else _raiser_words(rule)
            self.lines += [
                f"- Raised by: {raised}",
                f"- Told: {self.titles(rule.recipients)}"
                + (", and the auditor" if rule.notify_auditor else ""),
            ]
            if rule.conditional_recipients:
                self.lines.append(f"- Told if relevant: {self.titles(rule.conditional_recipients)}")
            self.lines.append(f"- Deadline: {markdown_text(rule.deadline.describe())}")
            if rule.follow_up is not None:
                by = f" by {self.titles(rule.follow_up_by)}" if rule.follow_up_by else ""
                self.lines.append(f"- Followed up: {self.cadence(rule.follow_up)}{by}")
            if rule.consequence is not None:
                self.lines.append(f"- Then: {markdown_text(_consequence_words(p, rule))}")
            if rule.closes:
                self.lines.append(f"- Closes: {_closes_words(rule)}")
            self.lines += [f"- {markdown_text(note)}" for note in rule.notes]
            self.lines.append("")
            self.lines += _fence(escalation_flow(p, rule))

    def closing_the_loop(self) -> None:
        p = self.profile
        self.heading("Closing the loop: action timescales", "actions")
        rows = []
        for t in p.action_timescales:
            if t.due is not None:
                due = f"within {t.due.describe(numbered=True)}"
            else:
                default = t.default_due.describe(numbered=True) if t.default_due else _NONE
                due = f"set in the audit ({default} when it sets none)"
            rows.append(
                [
                    self.activity_names(t.applies_to),
                    _join(markdown_text(self.grade_label(g)) for g in t.grades)
                    if t.grades
                    else "any",
                    markdown_text(p.role(t.owner).title),
                    markdown_text(due),
                    f"within {t.review.describe(numbered=True)}" if t.review else _NONE,
                    self.titles(t.tracked_by),
                    self.forum_names(t.reviewed_in),
                    self.cite(t.citation),
                ]
            )
        self.lines += _table(
            [
                "Actions from",
                "Grades",
                "Owner",
                "Due",
                "Reviewed",
                "Tracked by",
                "Reviewed in",
                "Source",
            ],
            rows,
        )

    def assumptions(self) -> None:
        self.heading("Assumptions", "assumptions")
        if not self.profile.assumptions:
            self.lines += ["The profile makes no assumption beyond its sources.", ""]
        for a in self.profile.assumptions:
            concerns = f" Concerns {', '.join(f'`{c}`' for c in a.concerns)}." if a.concerns else ""
            source = f" Source {self.cite(a.citation)}." if a.citation else ""
            self.lines.append(f"- **`{a.id}`**: {markdown_text(a.text)}{concerns}{source}")
        self.lines.append("")

    def citation_table(self) -> None:
        self.heading("Citations", "citations")
        rows = []
        for citation, number in self.citations.items():
            source = self.profile.source(citation.source)
            rows.append(
                [
                    f"**{number}**{{ #{self.anchor}-c{number} }}",
                    f"{markdown_text(source.title)} (`{source.file}`)",
                    markdown_text(citation.section),
                    _cell(citation.quote),
                ]
            )
        self.lines += _table(["#", "Source document", "Section", "Quote"], rows)


def _fence(diagram: str) -> list[str]:
    return ["```mermaid", diagram, "```", ""]


# -- words -----------------------------------------------------------------------------------


def _selection_words(profile: Profile, rule: SelectionRule) -> str:
    kind = rule.kind
    if kind is SelectionKind.ALL:
        return "every audit"
    if kind is SelectionKind.PROPORTION:
        share = f"{(rule.proportion or 0) * 100:g}% of the cycle's audits"
        bounds = []
        if rule.minimum is not None:
            bounds.append(f"at least {rule.minimum}")
        if rule.maximum is not None:
            bounds.append(f"at most {rule.maximum}")
        return share + (f" ({', '.join(bounds)})" if bounds else "")
    if kind is SelectionKind.PER_ROLE:
        title = profile.role(rule.per_role).title if rule.per_role else ""
        period = rule.period.describe() if rule.period else ""
        return f"{rule.count} audit{'s' if rule.count != 1 else ''} by each {title} per {period}"
    if kind is SelectionKind.FIXED:
        return f"{rule.count} audit{'s' if rule.count != 1 else ''} each cycle"
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
    if c.owner:
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
}


def _closes_words(rule: EscalationRule) -> str:
    """The rule's closing conditions in words, the first to happen closing it."""
    return "; or ".join(_CLOSES_WORDS[c] for c in rule.closes)


# -- diagrams --------------------------------------------------------------------------------


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
    told = list(profile.role_titles(rule.recipients))
    if rule.notify_auditor:
        told.append("the auditor")
    recipients = g.node("told", "Told: " + ", ".join(told))
    g.edge(raiser, recipients, rule.deadline.describe())
    if rule.conditional_recipients:
        conditional = g.node(
            "conditional",
            "Told if relevant: " + ", ".join(profile.role_titles(rule.conditional_recipients)),
        )
        g.edge(raiser, conditional, rule.deadline.describe(), dotted=True)
    last = recipients
    if rule.consequence is not None:
        last = g.node("consequence", _consequence_words(profile, rule), "round")
        g.edge(recipients, last)
    if rule.follow_up is not None:
        by = ", ".join(profile.role_titles(rule.follow_up_by)) or "the rule's owners"
        follow = g.node("follow_up", f"Followed up {rule.follow_up.describe()} by {by}")
        g.edge(last, follow)
    return g.text()


# -- between versions ------------------------------------------------------------------------


def _last_day(profile: Profile, following: Profile | None) -> date | None:
    ends = []
    if profile.effective_to is not None:
        ends.append(profile.effective_to)
    if following is not None:
        ends.append(following.effective_from - timedelta(days=1))
    return min(ends) if ends else None


def _gap_section(before: Profile, after: Profile, level: int) -> list[str]:
    h = "#" * level
    lines = [
        f"{h} What changed from {markdown_text(before.version)} to "
        f"{markdown_text(after.version)} "
        f"{{ #from-{version_anchor(before)}-to-{version_anchor(after)} }}",
        "",
    ]
    last = _last_day(before, after)
    if last is not None and last + timedelta(days=1) < after.effective_from:
        first_uncovered = last + timedelta(days=1)
        uncovered = after.effective_from - timedelta(days=1)
        lines += [
            f"**No version is in force from {_day(first_uncovered)} to {_day(uncovered)}.** "
            f"[{markdown_text(before.name)}](#{version_anchor(before)}) ends on {_day(last)} "
            f"and [{markdown_text(after.name)}](#{version_anchor(after)}) takes effect on "
            f"{_day(after.effective_from)}; `load_profile` raises `NoVersionInForce` for a day "
            "in between, and an audit dated then is rejected, never read under the wrong "
            "framework.",
            "",
        ]
    else:
        lines += [
            f"[{markdown_text(after.name)}](#{version_anchor(after)}) follows "
            f"[{markdown_text(before.name)}](#{version_anchor(before)}) without a gap, "
            f"from {_day(after.effective_from)}.",
            "",
        ]
    lines += _diff_summary(diff_profiles(before, after))
    lines += [
        "Field by field, with the citations of both sides: "
        f"`qaframework profile diff {before.id} --from {before.effective_from.isoformat()} "
        f"--to {after.effective_from.isoformat()}`.",
        "",
    ]
    return lines


def _diff_summary(found: ProfileDiff) -> list[str]:
    lines: list[str] = []
    if found.crosswalk:
        lines += ["The grade scale, through the ILACS crosswalk:", ""]
        lines += _table(
            ["ILACS judgement", "Before", "After"],
            (
                [
                    row.ilacs.label,
                    _join(markdown_text(g) for g in row.before),
                    _join(markdown_text(g) for g in row.after),
                ]
                for row in found.crosswalk
            ),
        )
    rows = []
    counts = dict.fromkeys(ChangeKind, 0)
    for section in found.sections:
        if section.section == "profile":
            continue
        cells = []
        for kind in ChangeKind:
            changes = section.of_kind(kind)
            counts[kind] += len(changes)
            if not changes:
                cells.append(_NONE)
                continue
            cells.append(f"{len(changes)}: " + "; ".join(_item_name(c) for c in changes))
        rows.append([_SECTION_TITLES[section.section], *cells])
    if rows:
        lines += [
            f"In all, {counts[ChangeKind.ADDED]} items were added, "
            f"{counts[ChangeKind.REMOVED]} removed and {counts[ChangeKind.CHANGED]} changed "
            f"across {len(rows)} sections.",
            "",
            '??? abstract "What changed, section by section (items matched by id)"',
            "",
        ]
        lines += [
            "    " + line if line else ""
            for line in _table(["Section", "Added", "Removed", "Changed"], rows)
        ]
    return lines


def _item_name(change: ItemChange) -> str:
    """An item of a diff by its title, or by its id where the title is the id or is long (an
    assumption's title is its whole text)."""
    if change.title == change.id or len(change.title) > 80:
        return f"`{change.id}`"
    return markdown_text(change.title)


# -- pages -----------------------------------------------------------------------------------


def council_page(versions: Sequence[Profile]) -> str:
    """The Markdown page for one council from its installed versions (any order).

    A heading with the authority, a table of the versions, the gap between each version and
    the next (days not covered, and what changed), then one section per version, newest
    first.
    """
    if not versions:
        raise ValueError("a council page needs at least one profile version")
    ids = {p.id for p in versions}
    if len(ids) != 1:
        raise ValueError(f"a council page is for one profile, got {', '.join(sorted(ids))}")
    ordered = sorted(versions, key=lambda p: p.effective_from)
    latest = ordered[-1]
    lines = [
        f"# {markdown_text(latest.authority)}",
        "",
        '!!! info "Written from the profile data"',
        f"    This page is generated from the installed `{latest.id}` profile each time the "
        "site is built, so it says exactly what the data says. Every fact shown links to "
        "its citation: the source document and the section it comes from.",
        "",
        f"{len(ordered)} version{'s' if len(ordered) != 1 else ''} installed:",
        "",
    ]
    rows = []
    for index, p in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        last = _last_day(p, following)
        rows.append(
            [
                f"[{markdown_text(p.version)}](#{version_anchor(p)})",
                markdown_text(p.name),
                _day(p.effective_from),
                _day(last) if last else "until replaced",
                _join(markdown_text(s.title) for s in p.sources),
            ]
        )
    lines += _table(["Version", "Framework", "In force from", "To", "Source documents"], rows)
    for before, after in itertools.pairwise(ordered):
        lines += _gap_section(before, after, 2)
    for p in reversed(ordered):
        lines += [_VersionWriter(p, 2).write()]
    return "\n".join(lines).rstrip("\n") + "\n"


def councils_index(councils: Sequence[Sequence[Profile]], links: Sequence[str]) -> str:
    """The Markdown page listing every council: ``links[i]`` is the page of ``councils[i]``."""
    if len(councils) != len(links):
        raise ValueError("one link per council")
    lines = [
        "# Councils",
        "",
        "Each council's page is written from its installed profile when the site is built: "
        "the QA activity at a glance, standards, grades and the ILACS crosswalk, roles, "
        "forums and reporting lines, moderation and escalation flows, action timescales, "
        "assumptions and the citation of every fact. A council added as a plugin "
        "([Adding a council](../adding-a-council.md)) gets its page on the next build.",
        "",
    ]
    rows = []
    for versions, link in zip(councils, links, strict=True):
        ordered = sorted(versions, key=lambda p: p.effective_from)
        latest = ordered[-1]
        rows.append(
            [
                f"[{markdown_text(latest.authority)}]({link})",
                f"`{latest.id}`",
                "<br>".join(
                    f"{markdown_text(p.version)}: {markdown_text(p.name)} "
                    f"(from {_day(p.effective_from)})"
                    for p in ordered
                ),
                str(len(latest.activities)),
                str(len(latest.standards)),
            ]
        )
    lines += _table(
        ["Council", "Id", "Versions", "QA activities (latest)", "Standards (latest)"], rows
    )
    return "\n".join(lines).rstrip("\n") + "\n"
