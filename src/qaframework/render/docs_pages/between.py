"""Between two consecutive versions: the days no version covers, and what changed."""

from __future__ import annotations

from datetime import date, timedelta

from qaframework.policy.profile import Profile
from qaframework.profiles.diff import (
    SECTION_TITLES,
    ChangeKind,
    ItemChange,
    ProfileDiff,
    diff_profiles,
)
from qaframework.render.docs_pages.text import (
    _NONE,
    _day,
    _join,
    _table,
    markdown_text,
    version_anchor,
)

__all__: list[str] = []


# The diff's own titles, a few in the words of the documentation's pages.
_SECTION_TITLES = {
    **SECTION_TITLES,
    "profile": "The version itself",
    "sources": "Source documents",
    "activities": "QA activities",
}


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
