"""The pages: one council's page from its versions, and the index of councils."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from qaframework.policy.profile import Profile
from qaframework.render.docs_pages.between import _gap_section, _last_day
from qaframework.render.docs_pages.text import _day, _join, _table, markdown_text, version_anchor
from qaframework.render.docs_pages.version import _VersionWriter

__all__ = ["council_page", "councils_index"]


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
