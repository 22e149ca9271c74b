"""How a profile and a sample show in a notebook: what the HTML says, and that text from a
profile or a case list can never become markup."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import attrs
import pytest

from qaframework.engine.sampling import (
    CasePool,
    purposive,
    quota_per_holder,
    simple_random,
    stratified,
)
from qaframework.engine.sampling.sample import SAMPLE_ROWS, sample_html
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.profile import Profile, profile_html
from qaframework.policy.sampling import Case

HOSTILE = "<script>alert(\"x\")</script> & <img src=x onerror=alert(1)> 'quoted'"
ALLOWED_TAGS = {
    "div",
    "p",
    "strong",
    "br",
    "code",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "details",
    "summary",
}
EMPTY_TAGS = {"br"}


class _Reader(HTMLParser):
    """The tags, attributes and text of an HTML fragment, checking that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in EMPTY_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes the wrong tag"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(fragment: str) -> _Reader:
    reader = _Reader()
    reader.feed(fragment)
    reader.close()
    assert reader.open == [], f"unclosed: {reader.open}"
    assert set(reader.tags) <= ALLOWED_TAGS
    assert {name for name, _ in reader.attributes} <= {"class"}
    return reader


def text_of(fragment: str) -> str:
    return " ".join(read(fragment).text)


# -- profiles ----------------------------------------------------------------------------


def test_a_profile_shows_its_authority_version_scale_and_activities(
    example_profile: Profile,
) -> None:
    html = example_profile._repr_html_()
    assert html == profile_html(example_profile)
    text = text_of(html)
    assert "Exampleshire County Council" in text
    assert "version 2026-01, in force from 2026-01-05" in text
    assert "Good or better" in text
    for grade in example_profile.grade_scale.grades:
        assert grade.label in text
        assert grade.ilacs.label in text
    assert "good or better: Good and above" in text
    standards = len(example_profile.standards)
    activities = len(example_profile.activities)
    assert f"{standards} practice standards" in text
    assert f"{activities} QA activities (3 graded)" in text
    assert f"{len(example_profile.roles)} roles" in text
    for activity in example_profile.activities:
        assert activity.name in text
        assert activity.cadence.describe() in text
    assert "1 audit per Team Manager per month" in text
    # A quota held by several roles shows each role's count.
    assert (
        "2 observations per Team Manager per month and 1 observation per Head of Service per month"
    ) in text
    assert "<th>Which cases</th>" in html
    assert "legal status is CP or CLA, and (age band is 16-17, or disability is Yes)" in text
    assert "1 assumption made where the sources are silent" in text


def test_a_profile_with_an_end_shows_it(example_profile: Profile) -> None:
    ending = attrs.evolve(example_profile, effective_to=date(2026, 12, 31))
    assert "in force from 2026-01-05 to 2026-12-31" in text_of(ending._repr_html_())
    assert "in force from 2026-01-05</p>" in example_profile._repr_html_()


def test_hostile_text_in_a_profile_stays_text(example_profile: Profile) -> None:
    scale = example_profile.grade_scale
    hostile = attrs.evolve(
        example_profile,
        authority=HOSTILE,
        name=HOSTILE,
        summary=HOSTILE,
        grade_scale=attrs.evolve(
            scale,
            name=HOSTILE,
            grades=(attrs.evolve(scale.grades[0], label=HOSTILE), *scale.grades[1:]),
        ),
        activities=(
            attrs.evolve(example_profile.activities[0], name=HOSTILE),
            *example_profile.activities[1:],
        ),
        roles=tuple(
            attrs.evolve(r, title=HOSTILE) if r.id == "team_manager" else r
            for r in example_profile.roles
        ),
    )
    html = hostile._repr_html_()
    assert "<script" not in html
    assert "<img" not in html
    reader = read(html)
    # Each hostile string reads back as the text it was, every time it is shown.
    assert " ".join(reader.text).count(HOSTILE) >= 6


# -- samples ------------------------------------------------------------------------------


def _cases(count: int) -> list[Case]:
    areas = ["Early Help", "Children in Care", None]
    return [
        Case(f"C{i:03d}", team=f"Team {i % 4}", worker=f"w{i % 7}", service_area=areas[i % 3])
        for i in range(count)
    ]


def test_a_stratified_sample_shows_how_it_was_drawn() -> None:
    cases = _cases(60)
    pool = CasePool.of(cases).excluding_audited(
        [("C000", date(2026, 5, 1)), ("C001", date(2026, 5, 2))],
        within=IsoDuration.parse("P3M"),
        as_of=date(2026, 6, 1),
    )
    sample = stratified(pool, 15, by="service_area", seed=42)
    html = sample._repr_html_()
    assert html == sample_html(sample)
    text = text_of(html)
    assert "stratified" in text
    assert "15 of 58 eligible cases (60 on the list), 15 asked for" in text
    assert "seed 42" in text
    assert "Left out before drawing: 2 audited in the 3 months up to 2026-06-01" in text
    assert "Strata" in text
    for stratum in sample.strata:
        assert (stratum.values[0] or "Not recorded") in text
        assert f"{stratum.exact:.2f}" in text
    assert f"First {SAMPLE_ROWS} cases (and 5 more" in text
    for case in sample.cases[:SAMPLE_ROWS]:
        assert case.child_id in text
    assert sample.cases[SAMPLE_ROWS].child_id not in text


def test_a_quota_sample_shows_its_holders() -> None:
    sample = quota_per_holder(_cases(40), 2, seed=1, period="2026-07", role="team_manager")
    text = text_of(sample._repr_html_())
    assert "quota per role" in text
    assert "period 2026-07" in text
    assert "one draw per team_manager" in text
    assert "Responsible for (team)" in text
    for draw in sample.holders:
        assert draw.holder in text
    assert "Strata" not in text


def test_a_small_or_purposive_sample_lists_every_case() -> None:
    sample = purposive(_cases(12), {"team": "Team 1"})
    text = text_of(sample._repr_html_())
    assert "seed none (nothing drawn at random)" in text
    assert "Cases" in text
    assert "more" not in text
    assert all(c.child_id in text for c in sample.cases)
    empty = simple_random(_cases(3), 0, seed=1)
    assert "0 of 3 eligible cases" in text_of(empty._repr_html_())


@pytest.mark.parametrize("field", ["child_id", "team", "worker", "service_area"])
def test_hostile_text_in_a_case_list_stays_text(field: str) -> None:
    values = {"child_id": "C1", "team": "T", "worker": "W", "service_area": "A", field: HOSTILE}
    cases = [Case(**values), Case("C2", team="T", worker="W", service_area="A")]  # type: ignore[arg-type]
    by = "team" if field == "child_id" else field
    html = stratified(cases, 2, by=by, seed=1)._repr_html_()
    assert "<script" not in html
    assert "<img" not in html
    assert HOSTILE in " ".join(read(html).text)
