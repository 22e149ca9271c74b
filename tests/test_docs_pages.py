"""The council pages of the documentation site, written from profile data.

The pages are Markdown rendered by the site's extensions; these tests render them the same
way and read the text a person would see, so an escaping mistake shows up as a missing fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser

import attrs
import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymdownx.superfences import fence_code_format

import qaframework
from qaframework.policy.citations import Citation
from qaframework.policy.profile import Profile
from qaframework.render.docs_pages import (
    council_page,
    council_slug,
    councils_index,
    markdown_text,
    mermaid_text,
    version_anchor,
)
from qaframework.testing import strategies as qst

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The Markdown extensions of mkdocs.yml that the council pages use.
EXTENSIONS = [
    "admonition",
    "attr_list",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
]
EXTENSION_CONFIGS = {
    "pymdownx.superfences": {
        "custom_fences": [{"name": "mermaid", "class": "mermaid", "format": fence_code_format}]
    }
}


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


class _Text(HTMLParser):
    """The text of an HTML page, leaving out the Mermaid diagrams' source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_diagram = 0

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        if tag == "pre" and ("class", "mermaid") in attributes:
            self.in_diagram += 1
        elif tag in ("br", "td", "th", "p", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self.in_diagram:
            self.in_diagram -= 1

    def handle_data(self, data: str) -> None:
        if not self.in_diagram:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(render(page))
    return " ".join("".join(parser.parts).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def installed() -> Iterator[tuple[Profile, ...]]:
    for info in qaframework.available_profiles():
        yield tuple(
            qaframework.load_profile(info.id, as_of=v.effective_from) for v in info.versions
        )


INSTALLED = {versions[0].id: versions for versions in installed()}


def facts(profile: Profile) -> Iterator[str]:
    """What a reader must find on the page: every activity, standard, grade, role title used,
    forum, report, moderation policy, escalation rule and assumption."""
    yield profile.name
    yield from (a.name for a in profile.activities)
    for a in profile.activities:
        # How many (one quota per role where several owe it) and how cases are chosen.
        if a.quota is not None:
            yield profile.describe_quota(a.quota)
        yield a.cadence.describe()
        if a.sampling is not None and a.sampling.filter is not None:
            yield a.sampling.filter.describe()
    for field in profile.case_fields:
        yield field.id
        yield field.name
        yield from field.values
    for s in profile.standards:
        yield s.title
        yield from s.what_good_looks_like
        yield from s.how_measured
    for scale in (profile.grade_scale, *profile.scales):
        yield scale.name
        for g in scale:
            yield g.label
            yield g.ilacs.label
            yield from g.synonyms
    for activity in profile.activities:
        yield from (item.question for item in activity.checklist)
    yield from (r.title for r in profile.roles)
    yield from (f.name for f in profile.forums)
    yield from (line.report for line in profile.reporting_lines)
    yield from (m.name for m in profile.moderation)
    yield from (e.name for e in profile.escalation)
    for a in profile.assumptions:
        yield a.id
        yield a.text
    yield from (s.title for s in profile.sources)


def citations(profile: Profile) -> Iterator[Citation]:
    """Every citation of the facts a page shows."""
    yield profile.grade_scale.citation
    for group in (
        profile.activities,
        profile.standards,
        profile.roles,
        profile.forums,
        profile.reporting_lines,
        profile.moderation,
        profile.escalation,
        profile.action_timescales,
    ):
        yield from (item.citation for item in group)
    for policy in profile.moderation:
        yield from (rule.citation for rule in policy.selection)
    yield from (a.sampling.citation for a in profile.activities if a.sampling is not None)
    yield from (field.citation for field in profile.case_fields)
    yield from (a.citation for a in profile.assumptions if a.citation is not None)


def citation_rows(page: str, profile: Profile) -> dict[int, tuple[str, str, str, str]]:
    """The rows of a version's citation table, by number: (document, section, quote)."""
    anchor = re.escape(version_anchor(profile))
    rows = {}
    for match in re.finditer(rf"^\| \*\*(\d+)\*\*\{{ #{anchor}-c\1 \}} \|(.*)\|$", page, re.M):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", match.group(2))]
        rows[int(match.group(1))] = (cells[0], cells[1], cells[2], match.group(0))
    return rows


def check_page(versions: tuple[Profile, ...]) -> None:
    page = council_page(versions)
    text = visible_text(page)
    for profile in versions:
        for fact in facts(profile):
            assert flat(fact) in text, (profile.label, fact)
        anchor = version_anchor(profile)
        rows = citation_rows(page, profile)
        shown = {
            (visible_text(section), visible_text(quote) if quote != "—" else None)
            for document, section, quote, _ in rows.values()
        }
        for citation in citations(profile):
            assert (flat(citation.section), citation.quote and flat(citation.quote)) in shown, (
                profile.label,
                citation,
            )
            source = profile.source(citation.source)
            assert flat(source.title) in text
            assert source.file in page
        # Every reference to a citation points at a row of the table, and every row is used.
        used = {int(n) for n in re.findall(rf"\]\(#{re.escape(anchor)}-c(\d+)\)", page)}
        assert used == set(rows), profile.label
    check_diagrams(page)


# -- Mermaid ------------------------------------------------------------------------------

_ID = r"n\d+"
_LABEL = r'"((?:[^"<>;|`\\#]|#(?:\d+|[a-z]+);|<br>)*)"'
_NODE = re.compile(rf"    ({_ID})(?:\[{_LABEL}\]|\({_LABEL}\)|\(\[{_LABEL}\]\)|\{{{_LABEL}\}})")
_EDGE = re.compile(rf"    ({_ID}) (?:-->|-\.->)(?:\|{_LABEL}\|)? ({_ID})")
_ENTITIES = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def diagrams(page: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", page, re.S | re.M)


def check_diagram(diagram: str) -> None:
    """A flowchart whose every line is a node with a quoted, entity-coded label or an edge
    between declared nodes."""
    lines = diagram.splitlines()
    assert lines[0] in ("flowchart LR", "flowchart TD"), lines[0]
    declared: set[str] = set()
    for line in lines[1:]:
        node = _NODE.fullmatch(line)
        if node is not None:
            assert node.group(1) not in declared, line
            declared.add(node.group(1))
            continue
        edge = _EDGE.fullmatch(line)
        assert edge is not None, line
        assert edge.group(1) in declared, line
        assert edge.group(3) in declared, line
    assert declared


def check_diagrams(page: str) -> None:
    found = diagrams(page)
    assert page.count("```mermaid") == len(found)
    for diagram in found:
        check_diagram(diagram)


def decode(label: str) -> str:
    """A Mermaid label read back: entity codes decoded, line breaks as spaces."""

    def entity(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code)) if code.isdigit() else _ENTITIES[code]

    return re.sub(r"#(\d+|[a-z]+);", entity, label.replace("<br>", " "))


# -- the installed councils --------------------------------------------------------------


@pytest.mark.parametrize("profile_id", sorted(INSTALLED))
def test_an_installed_council_page_shows_every_fact_with_its_citation(profile_id: str) -> None:
    check_page(INSTALLED[profile_id])


def test_bolton_has_a_section_per_framework_and_states_the_gap_between_them() -> None:
    staying_safe, fundamentals = INSTALLED["bolton"]
    page = council_page((fundamentals, staying_safe))
    text = visible_text(page)
    assert "Staying Safe Services Quality Assurance Framework (2021-11)" in text
    assert "'Focus on the Fundamentals' Quality Assurance Framework (2026-01)" in text
    # Newest first, after the gap between them.
    gap = page.index("## What changed from 2021-11 to 2026-01")
    assert gap < page.index("{ #v2026-02-05 }") < page.index("{ #v2021-11-01 }")
    assert "No version is in force from 1 May 2025 to 4 February 2026." in text
    # The grade scale through the crosswalk: Good became Meets good.
    assert "| Good | Good | Meets good |" in page
    assert "| Requires improvement to be good | Requires improvement to be good | " in page
    assert "qaframework profile diff bolton --from 2021-11-01 --to 2026-02-05" in text


def test_swindon_escalation_is_stated_in_the_councils_titles() -> None:
    (swindon,) = INSTALLED["swindon"]
    text = visible_text(council_page((swindon,)))
    rule = swindon.escalation[0]
    told = ", ".join(swindon.role_titles(rule.recipients))
    assert f"Told: {told}" in text
    assert "Deadline: same working day" in text
    assert "When: the auditor grades the audit Inadequate or worse" in text


def test_a_rules_closing_conditions_are_stated() -> None:
    (swindon,) = INSTALLED["swindon"]
    text = visible_text(council_page((swindon,)))
    assert (
        "Closes: when the audit's actions are all verified; or on the deadline, when the audit "
        "set no actions; or when a later audit of the child is graded better; or when "
        "moderation takes the grade out of the trigger"
    ) in text
    # A rule that states no closing conditions has no such line.
    assert text.count("Closes: ") == sum(1 for r in swindon.escalation if r.closes)


def test_the_index_links_every_council(example_profile: Profile) -> None:
    councils = [INSTALLED[p] for p in sorted(INSTALLED)]
    links = [f"{council_slug(c[0].id)}.md" for c in councils]
    page = councils_index(councils, links)
    for versions, link in zip(councils, links, strict=True):
        assert f"]({link})" in page
        assert flat(versions[-1].authority) in visible_text(page)
    with pytest.raises(ValueError, match="one link per council"):
        councils_index(councils, links[:1])


# -- any council ---------------------------------------------------------------------------


def test_the_example_profile_page(example_profile: Profile) -> None:
    check_page((example_profile,))
    assert "What changed" not in council_page((example_profile,))


def test_versions_with_days_between_them_state_the_days(example_profile: Profile) -> None:
    first = attrs.evolve(
        example_profile,
        version="2025-04",
        effective_from=date(2025, 4, 1),
        effective_to=date(2025, 12, 31),
    )
    renamed = attrs.evolve(example_profile.activities[0], name="Renamed audits")
    second = attrs.evolve(
        example_profile,
        version="2026-04",
        effective_from=date(2026, 4, 1),
        activities=(renamed, *example_profile.activities[1:]),
    )
    page = council_page((second, first))
    text = visible_text(page)
    assert "No version is in force from 1 January 2026 to 31 March 2026." in text
    assert "1: Renamed audits" in text
    joined = attrs.evolve(first, effective_to=None)
    text = visible_text(council_page((joined, second)))
    assert "without a gap, from 1 April 2026" in text
    assert "No version is in force" not in text


def test_a_page_is_for_one_council(example_profile: Profile) -> None:
    with pytest.raises(ValueError, match="at least one"):
        council_page(())
    other = attrs.evolve(example_profile, id="elsewhere")
    with pytest.raises(ValueError, match="one profile"):
        council_page((example_profile, other))


@FAST
@given(qst.profile_versions(max_versions=2))
def test_a_random_council_page_shows_every_fact_with_its_citation(
    versions: tuple[Profile, ...],
) -> None:
    check_page(versions)


# -- escaping ------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=80)
NASTY = (
    '"Quoted" <b>bold</b> & #hash; | pipe `tick` \\ {curly} [square] (round) --> end',
    "1. Not a list",
    "# not a heading",
    "- not a bullet",
    "*emphasis* _under_ **strong** { #id }",
    "&amp; stays as typed",
    "!!! note admonition",
    "??? note details",
    "~~~ fence",
    "2) numbered",
    ": definition",
)


@pytest.mark.parametrize("text", NASTY)
def test_markdown_text_shows_the_text_as_typed(text: str) -> None:
    assert visible_text(markdown_text(text)) == flat(text)
    assert visible_text(f"| a |\n|---|\n| {markdown_text(text)} |\n") == flat(f"a {text}")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_any_text_reads_back_from_markdown(text: str) -> None:
    assert visible_text(markdown_text(text)) == flat(text)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.integers(8, 40))
def test_any_text_is_a_safe_mermaid_label_that_reads_back(text: str, width: int) -> None:
    label = mermaid_text(text, width)
    check_diagram(f'flowchart LR\n    n1["{label}"]')
    assert decode(label) == flat(text)


@pytest.mark.parametrize("text", NASTY)
def test_nasty_labels_make_plausible_diagrams(text: str) -> None:
    label = mermaid_text(text)
    check_diagram(f'flowchart LR\n    n1["{label}"]\n    n2("x")\n    n1 -->|"{label}"| n2')
    assert decode(label) == flat(text)
