"""One version's section of a council page: activities, standards, grades, roles,
forums, moderation, escalation, timescales, assumptions and citations."""

from __future__ import annotations

from collections.abc import Iterable

from qaframework.policy.basis import not_stated
from qaframework.policy.cadence import Cadence, Quota
from qaframework.policy.citations import Citation
from qaframework.policy.escalation import describe_deadline
from qaframework.policy.profile import Profile
from qaframework.policy.unknowns import NOT_STATED, NOT_STATED_TEXT, NotStated
from qaframework.render.docs_pages.diagrams import (
    _fence,
    escalation_flow,
    moderation_flow,
    reporting_graph,
)
from qaframework.render.docs_pages.text import (
    _NONE,
    _cell,
    _day,
    _join,
    _table,
    markdown_text,
    version_anchor,
)
from qaframework.render.docs_pages.words import (
    _closes_words,
    _consequence_words,
    _raiser_words,
    _selection_words,
    _trigger_words,
)

__all__: list[str] = []


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

    def quota(self, quota: Quota | tuple[Quota, ...] | None) -> str:
        if quota is None:
            return _NONE
        return markdown_text(self.profile.describe_quota(quota))

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
        self.sampling()
        self.checklists()
        self.standards()
        self.grades()
        self.roles()
        self.who_may()
        self.forums()
        self.reporting()
        self.moderation()
        self.escalation()
        self.closing_the_loop()
        self.not_stated()
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
            reported = [] if a.reported_via != NOT_STATED else ["not stated"]
            for line_id in a.reporting_lines:
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

    def sampling(self) -> None:
        """How each activity with a sampling rule chooses its cases, and the case-list
        fields the profile declares."""
        p = self.profile
        sampled = [a for a in p.activities if a.sampling is not None]
        if not sampled and not p.case_fields:
            return
        self.heading("How cases are chosen", "sampling")
        rows = []
        for a in sampled:
            rule = a.sampling
            assert rule is not None
            method = rule.method.value.replace("_", " ")
            if rule.strata:
                method += " by " + ", ".join(rule.strata)
            rows.append(
                [
                    markdown_text(a.name),
                    markdown_text(method),
                    self.quota(rule.size) if rule.size is not None else _NONE,
                    markdown_text(rule.filter.describe()) if rule.filter is not None else _NONE,
                    _cell(rule.criteria),
                    self.cite(rule.citation),
                ]
            )
        if rows:
            self.lines += _table(
                ["Activity", "Method", "Size", "Cases (filter)", "Criteria", "Source"], rows
            )
        if p.case_fields:
            self.lines += ["Case-list fields the profile's filters use:", ""]
            self.lines += _table(
                ["Field", "Column", "Values", "What it holds", "Source"],
                [
                    [
                        f"`{f.id}`",
                        markdown_text(f.name),
                        _join(markdown_text(v) for v in f.values),
                        _cell(f.description),
                        self.cite(f.citation),
                    ]
                    for f in p.case_fields
                ],
            )

    def checklists(self) -> None:
        p = self.profile
        if not any(a.checklist for a in p.activities):
            return
        self.heading("Compliance checklists", "checklists")
        self.lines += [
            "Yes / no questions the activities' audits answer beside their judgements; each "
            "item's compliance is reported as the share answered yes.",
            "",
        ]
        rows = [
            [
                markdown_text(a.name),
                f"`{item.id}`",
                markdown_text(item.question),
                "yes, no, not applicable" if item.not_applicable else "yes, no",
                self.cite(item.citation),
            ]
            for a in p.activities
            for item in a.checklist
        ]
        self.lines += _table(["Activity", "Item", "Question", "Answers", "Source"], rows)

    def who_may(self) -> None:
        p = self.profile
        checks = p.checks_roles
        self.heading("Who may do what", "who-may")

        def treated(value: str) -> str:
            return "rejected (an error)" if value == "error" else "accepted with a warning"

        if checks.citation is not None:
            basis = f"source {self.cite(checks.citation)}"
        elif p.role_checks is not None:
            basis = "an assumption of the profile: its sources are silent"
        else:
            basis = "the default: the profile states no rule"
        self.lines += [
            f"An audit by a role its activity does not name is {treated(checks.auditors.value)}; "
            f"a moderation by a role no moderation policy of the activity names is "
            f"{treated(checks.moderators.value)} ({basis}).",
            "",
        ]
        self.lines += [f"- {markdown_text(note)}" for note in checks.notes]
        if checks.notes:
            self.lines.append("")

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
        for other in self.profile.scales:
            users = [a.id for a in self.profile.activities if other.id in a.scales]
            self.lines += [
                f"**Also graded on: {markdown_text(other.name)}** (source "
                f"{self.cite(other.citation)}), by {self.activity_names(users) or _NONE}. "
                f"*{markdown_text(other.grade(other.good_or_better).label)}* is the lowest "
                "grade that counts as good or better.",
                "",
            ]
            self.lines += _table(
                ["Grade", "Code", "ILACS judgement", "Good or better", "Also written"],
                [
                    [
                        markdown_text(g.label),
                        f"`{g.code}`",
                        g.ilacs.label,
                        "yes" if other.is_good_or_better(g.code) else "no",
                        _join(markdown_text(s) for s in g.synonyms),
                    ]
                    for g in other
                ],
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
                "- Told: "
                + (
                    NOT_STATED_TEXT
                    if isinstance(rule.recipients, NotStated)
                    else self.titles(rule.recipients)
                )
                + (", and the auditor" if rule.notify_auditor else ""),
            ]
            if rule.conditional_recipients:
                self.lines.append(f"- Told if relevant: {self.titles(rule.conditional_recipients)}")
            self.lines.append(f"- Deadline: {markdown_text(describe_deadline(rule.deadline))}")
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

    def not_stated(self) -> None:
        unknowns = not_stated(self.profile)
        if not unknowns:
            return
        self.heading("Not stated", "not-stated")
        self.lines += [
            "The sources state these rules without the details below. The profile writes "
            '"not stated" for each and assumes nothing: outputs the rule affects say so.',
            "",
        ]
        self.lines += [f"- {markdown_text(str(u))} (`{u.path}`)" for u in unknowns]
        self.lines.append("")

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
