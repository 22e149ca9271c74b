"""How a profile and a sample show in a notebook: compact HTML summaries.

An adapter at the edge: ``Profile._repr_html_`` and ``Sample._repr_html_`` call
:func:`profile_html` and :func:`sample_html`, which Jupyter shows when a cell's value is a
profile or a sample. Every piece of text from a profile or a case list is HTML-escaped, so a
title or a team name can never become markup. No script and no external resource: the HTML
is static, styled only by the notebook's own table styles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qaframework.engine.sampling import Sample
    from qaframework.policy.profile import Profile

__all__ = ["SAMPLE_ROWS", "profile_html", "sample_html"]

SAMPLE_ROWS = 10
"""How many of a sample's cases its summary lists."""

_NOT_RECORDED = "Not recorded"


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str | None = None
) -> str:
    """A table of text cells (escaped here)."""
    parts = ["<table>"]
    if caption is not None:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append(
        "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr></thead>"
    )
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def profile_html(profile: Profile) -> str:
    """A profile version at a glance: the authority, the version and its dates, the grade scale
    with its ILACS crosswalk, how many standards, activities, roles ... it has, the QA
    activities (who, how often, how many) and how many assumptions it makes."""
    scale = profile.grade_scale
    threshold = scale.grade(scale.good_or_better)
    until = f" to {profile.effective_to.isoformat()}" if profile.effective_to is not None else ""
    graded = sum(1 for a in profile.activities if a.graded)
    audited = sum(1 for s in profile.standards if s.audited)
    counts = [
        f"{_plural(len(profile.standards), 'practice standard')} ({audited} audited)",
        f"{_plural(len(profile.activities), 'QA activity', 'QA activities')} ({graded} graded)",
        _plural(len(profile.roles), "role"),
        _plural(len(profile.forums), "forum"),
        _plural(len(profile.reporting_lines), "reporting line"),
        _plural(len(profile.moderation), "moderation policy", "moderation policies"),
        _plural(len(profile.escalation), "escalation rule"),
        _plural(len(profile.sources), "source document"),
    ]
    grades = _table(
        ("Code", "Grade", "ILACS equivalent", "Good or better"),
        (
            (g.code, g.label, g.ilacs.label, "yes" if scale.is_good_or_better(g.code) else "")
            for g in scale.grades
        ),
        caption=f"Grade scale: {scale.name} (good or better: {threshold.label} and above)",
    )
    activities = _table(
        ("Activity", "Who", "How often", "How many", "Graded"),
        (
            (
                a.name,
                ", ".join(profile.role_titles(a.who)),
                a.cadence.describe(),
                a.quota.describe(profile.role(a.quota.per_role).title if a.quota.per_role else None)
                if a.quota is not None
                else "",
                "yes" if a.graded else "",
            )
            for a in profile.activities
        ),
    )
    assumptions = len(profile.assumptions)
    parts = [
        '<div class="qaframework-profile">',
        f"<p><strong>{escape(profile.authority)}</strong>: {escape(profile.name)}<br>",
        f"Profile <code>{escape(profile.id)}</code>, version {escape(profile.version)}, "
        f"in force from {profile.effective_from.isoformat()}{until}</p>",
    ]
    if profile.summary:
        parts.append(f"<p>{escape(profile.summary)}</p>")
    parts.append(grades)
    parts.append(f"<p>{escape('; '.join(counts))}.</p>")
    parts.append(
        "<details><summary>"
        + escape(_plural(len(profile.activities), "QA activity", "QA activities"))
        + " at a glance</summary>"
        + activities
        + "</details>"
    )
    parts.append(
        f"<p>{_plural(assumptions, 'assumption')} made where the sources are silent "
        "(<code>profile.assumptions</code>).</p>"
    )
    parts.append("</div>")
    return "".join(parts)


def _value(value: str | None) -> str:
    return _NOT_RECORDED if value is None else value


def sample_html(sample: Sample) -> str:
    """A sample at a glance: how it was drawn (method, seed, sizes, exclusions), its strata
    or holders with their quotas, and its first :data:`SAMPLE_ROWS` cases."""
    method = sample.method.value.replace("_", " ")
    seed = "none (nothing drawn at random)" if sample.seed is None else str(sample.seed)
    facts = [
        f"{len(sample.cases)} of {sample.eligible} eligible cases "
        f"({sample.population} on the list), {sample.requested} asked for",
        f"seed {seed}",
    ]
    if sample.period is not None:
        facts.append(f"period {sample.period}")
    if sample.holder_role is not None:
        facts.append(f"one draw per {sample.holder_role}")
    parts = [
        '<div class="qaframework-sample">',
        f"<p><strong>Sample</strong>: {escape(method)}; {escape('; '.join(facts))}</p>",
    ]
    if sample.exclusions:
        parts.append(
            "<p>Left out before drawing: "
            + escape("; ".join(f"{e.count} {e.description}" for e in sample.exclusions))
            + "</p>"
        )
    if sample.strata:
        parts.append(
            _table(
                (*sample.strata_fields, "Cases", "Exact share", "Quota"),
                (
                    (
                        *(_value(v) for v in s.values),
                        str(s.size),
                        f"{s.exact:.2f}",
                        str(s.quota),
                    )
                    for s in sample.strata
                ),
                caption="Strata",
            )
        )
    if sample.holders:
        parts.append(
            _table(
                ("Holder", f"Responsible for ({sample.holder_field})", "Eligible", "Quota"),
                (
                    (h.holder, ", ".join(h.responsible_for), str(h.eligible), str(h.quota))
                    for h in sample.holders
                ),
                caption="Holders",
            )
        )
    shown = sample.cases[:SAMPLE_ROWS]
    more = len(sample.cases) - len(shown)
    caption = f"First {len(shown)} cases" if more else "Cases"
    if more:
        caption += f" (and {more} more: sample.to_pandas() has them all)"
    parts.append(
        _table(
            ("Child", "Team", "Worker", "Service area"),
            ((c.child_id, _value(c.team), _value(c.worker), _value(c.service_area)) for c in shown),
            caption=caption,
        )
    )
    parts.append("</div>")
    return "".join(parts)
