"""What changed between two profiles: :mod:`qaframework.profiles.diff` and ``qaframework profile
diff``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qaframework
from qaframework import from_dict, hookimpl, to_dict
from qaframework.cli import main
from qaframework.cli.authoring_cmd import diff_markdown
from qaframework.policy.cadence import Cadence, Quota
from qaframework.policy.case_filters import CaseFilter
from qaframework.policy.citations import Assumption, Citation
from qaframework.policy.grades import Ilacs
from qaframework.policy.profile import Profile
from qaframework.profiles.diff import (
    SECTION_TITLES,
    SECTIONS,
    ChangeKind,
    ConcernShift,
    FieldChange,
    ProfileDiff,
    concern_shifts,
    diff_profiles,
)
from qaframework.profiles.invariants import check_versions
from qaframework.profiles.plugins import plugins_for_tests
from qaframework.testing import strategies as qst

STAYING_SAFE = date(2023, 1, 1)
FOCUS_ON_THE_FUNDAMENTALS = date(2026, 6, 1)


@pytest.fixture(scope="module")
def bolton_diff() -> ProfileDiff:
    return diff_profiles(
        qaframework.load_profile("bolton", as_of=STAYING_SAFE),
        qaframework.load_profile("bolton", as_of=FOCUS_ON_THE_FUNDAMENTALS),
    )


def _section(
    found: ProfileDiff, name: str
) -> dict[tuple[ChangeKind, str], tuple[FieldChange, ...]]:
    section = found.section(name)
    assert section is not None, f"no changes in {name}"
    return {(change.kind, change.id): change.fields for change in section.changes}


def test_bolton_grade_scale_changes_through_the_ilacs_crosswalk(bolton_diff: ProfileDiff) -> None:
    assert [(row.ilacs, row.before, row.after) for row in bolton_diff.crosswalk] == [
        (Ilacs.GOOD, ("Good",), ("Meets good",)),
        (
            Ilacs.REQUIRES_IMPROVEMENT,
            ("Requires improvement to be good",),
            ("Does not yet meet good",),
        ),
    ]
    grades = _section(bolton_diff, "grades")
    assert set(grades) == {
        (ChangeKind.ADDED, "meets_good"),
        (ChangeKind.ADDED, "does_not_yet_meet_good"),
        (ChangeKind.REMOVED, "good"),
        (ChangeKind.REMOVED, "requires_improvement"),
    }
    (scale,) = _section(bolton_diff, "grade_scale").values()
    assert FieldChange("good_or_better", "good", "meets_good") in scale


def test_bolton_activities_added_removed_and_changed(bolton_diff: ProfileDiff) -> None:
    activities = _section(bolton_diff, "activities")
    assert (ChangeKind.ADDED, "quality_case_file_audits") in activities
    assert (ChangeKind.ADDED, "multi_agency_audits") in activities
    removed = {item for kind, item in activities if kind is ChangeKind.REMOVED}
    assert removed
    assert not removed & {item for kind, item in activities if kind is not ChangeKind.REMOVED}
    thematic = activities[(ChangeKind.CHANGED, "thematic_audits")]
    assert FieldChange("cadence", "P1M", "P6W") in thematic
    assert all(not field.path.endswith("citation") for field in thematic)
    section = bolton_diff.section("activities")
    assert section is not None
    change = section.item("thematic_audits")
    assert change is not None
    # The citations of both documents are shown for the changed fact.
    assert change.before_citation is not None
    assert change.before_citation.source == "staying_safe"
    assert change.after_citation is not None
    assert change.after_citation.source == "fotf_2026"


def test_bolton_versions_dates_and_sources(bolton_diff: ProfileDiff) -> None:
    assert bolton_diff.before == "bolton 2021-11 (from 2021-11-01)"
    assert bolton_diff.after == "bolton 2026-01 (from 2026-02-05)"
    (header,) = _section(bolton_diff, "profile").values()
    assert FieldChange("effective_from", "2021-11-01", "2026-02-05") in header
    assert FieldChange("effective_to", "2025-04-30", None) in header
    assert not any(field.path == "id" for field in header)
    assert set(_section(bolton_diff, "sources")) == {
        (ChangeKind.ADDED, "fotf_2026"),
        (ChangeKind.REMOVED, "staying_safe"),
    }
    assert [s.section for s in bolton_diff.sections] == [
        name for name in SECTIONS if bolton_diff.section(name) is not None
    ]


def test_two_councils_compare_section_by_section() -> None:
    manchester = qaframework.load_profile("manchester")
    swindon = qaframework.load_profile("swindon")
    found = diff_profiles(manchester, swindon)
    (header,) = _section(found, "profile").values()
    assert FieldChange("id", "manchester", "swindon") in header
    assert FieldChange("authority", "Manchester City Council", "Swindon Borough Council") in header
    roles = _section(found, "roles")
    assert (
        FieldChange("reports_to", "service_lead", "service_manager")
        in roles[(ChangeKind.CHANGED, "team_manager")]
    )
    oversight = _section(found, "activities")[(ChangeKind.CHANGED, "management_oversight")]
    assert FieldChange("cadence", "ongoing", "P1M") in oversight
    assert any(field.path == "quota" and field.before is None for field in oversight)
    # Both scales are ILACS's four grades; only the wording of one differs.
    assert [(row.ilacs, row.after) for row in found.crosswalk] == [
        (Ilacs.REQUIRES_IMPROVEMENT, ("Requires improvement",))
    ]


def test_a_version_against_itself_is_empty() -> None:
    bolton = qaframework.load_profile("bolton", as_of=STAYING_SAFE)
    found = diff_profiles(bolton, bolton)
    assert found.is_empty
    assert found.sections == ()
    assert found.crosswalk == ()
    assert all(found.section(name) is None for name in SECTIONS)
    with pytest.raises(KeyError, match="no section 'activity'"):
        found.section("activity")


def test_field_changes_name_their_place_in_the_item(example_profile: Profile) -> None:
    audit = example_profile.activity("case_file_audit")
    assert audit.quota is not None
    changed = attrs.evolve(
        audit,
        cadence=Cadence.parse("P6W"),
        quota=attrs.evolve(audit.quota, count=2),
        citation=Citation(source="qaf", section="5. Audit (revised)"),
    )
    policy = example_profile.moderation[0]
    rule = attrs.evolve(policy.selection[0], proportion=0.25)
    after = attrs.evolve(
        example_profile,
        activities=(changed, *example_profile.activities[1:]),
        moderation=(attrs.evolve(policy, selection=(rule, *policy.selection[1:])),),
    )
    found = diff_profiles(example_profile, after)
    assert [s.section for s in found.sections] == ["activities", "moderation"]
    (audit_change,) = found.sections[0].changes
    assert audit_change.kind is ChangeKind.CHANGED
    assert audit_change.fields == (
        FieldChange("cadence", "P1M", "P6W"),
        FieldChange("quota.count", 1, 2),
    )
    assert audit_change.before_citation == audit.citation
    assert audit_change.after_citation == Citation(source="qaf", section="5. Audit (revised)")
    (moderation_change,) = found.sections[1].changes
    assert moderation_change.fields == (FieldChange("selection[0].proportion", 0.1, 0.25),)


def test_a_quota_held_by_more_roles_a_filter_and_a_case_field_are_changes(
    example_profile: Profile,
) -> None:
    """Telford's QA day as it changed: one practitioner's quota became one per role."""
    audit = example_profile.activity("case_file_audit")
    assert isinstance(audit.quota, Quota)
    assert audit.sampling is not None
    both = (audit.quota, attrs.evolve(audit.quota, per_role="head_of_service"))
    narrowed = attrs.evolve(audit.sampling, filter=CaseFilter.where("legal_status", "CP"))
    changed = attrs.evolve(audit, quota=both, sampling=narrowed)
    after = attrs.evolve(
        example_profile,
        activities=(changed, *example_profile.activities[1:]),
        case_fields=(),
    )
    found = diff_profiles(example_profile, after)
    assert [s.section for s in found.sections] == ["activities", "case_fields"]
    (change,) = found.sections[0].changes
    fields = {f.path: f for f in change.fields}
    assert fields["quota"].before["per_role"] == "team_manager"
    assert [q["per_role"] for q in fields["quota"].after] == ["team_manager", "head_of_service"]
    assert fields["sampling.filter"] == FieldChange(
        "sampling.filter", None, {"field": "legal_status", "values": ["CP"]}
    )
    (removed,) = found.sections[1].changes
    assert (removed.kind, removed.id, removed.title) == (
        ChangeKind.REMOVED,
        "placement_type",
        "Placement Type",
    )


def test_the_other_grade_scales_are_compared_by_id(example_profile: Profile) -> None:
    # An activity's other scale (an impact rating beside the grade) changing between
    # versions is a change like any other: a grade relabelled, a scale added or removed.
    (impact,) = example_profile.scales
    first, *rest = impact.grades
    relabelled = attrs.evolve(impact, grades=(attrs.evolve(first, label="Strong impact"), *rest))
    effect = attrs.evolve(impact, id="effect", name="Effect on the child")
    after = attrs.evolve(example_profile, scales=(relabelled, effect))
    found = diff_profiles(example_profile, after)
    assert [s.section for s in found.sections] == ["scales"]
    changes = _section(found, "scales")
    assert set(changes) == {(ChangeKind.CHANGED, "impact"), (ChangeKind.ADDED, "effect")}
    assert changes[(ChangeKind.CHANGED, "impact")] == (
        FieldChange("grades[0].label", first.label, "Strong impact"),
    )
    gone = diff_profiles(example_profile, attrs.evolve(example_profile, scales=()))
    assert set(_section(gone, "scales")) == {(ChangeKind.REMOVED, "impact")}
    assert "scales" in SECTIONS
    # The command's Markdown names the section.
    assert "## Other grade scales" in diff_markdown(found)
    assert set(SECTIONS) == set(SECTION_TITLES)


def test_a_changed_citation_alone_is_no_change(example_profile: Profile) -> None:
    recited = [
        attrs.evolve(a, citation=Citation(source="qaf", section="Appendix"))
        for a in example_profile.activities
    ]
    found = diff_profiles(example_profile, attrs.evolve(example_profile, activities=tuple(recited)))
    assert found.is_empty


def test_list_values_are_shown_whole_without_citations(example_profile: Profile) -> None:
    policy = example_profile.moderation[0]
    fewer = attrs.evolve(policy, selection=policy.selection[:1], moderators=("director",))
    found = diff_profiles(example_profile, attrs.evolve(example_profile, moderation=(fewer,)))
    (change,) = found.sections[0].changes
    fields = {field.path: field for field in change.fields}
    assert fields["moderators"] == FieldChange("moderators", ["head_of_service"], ["director"])
    selection = fields["selection"]
    assert len(selection.before) == 2
    assert len(selection.after) == 1
    assert all("citation" not in rule for rule in [*selection.before, *selection.after])


@settings(max_examples=25, deadline=None)
@given(qst.profiles(), qst.profiles())
def test_a_diff_reversed_swaps_added_and_removed_and_before_and_after(
    before: Profile, after: Profile
) -> None:
    forward, backward = diff_profiles(before, after), diff_profiles(after, before)
    flip = {ChangeKind.ADDED: ChangeKind.REMOVED, ChangeKind.REMOVED: ChangeKind.ADDED}

    def changes(found: ProfileDiff) -> set[tuple[str, ChangeKind, str, frozenset[str]]]:
        return {
            (
                section.section,
                change.kind,
                change.id,
                frozenset(
                    json.dumps([field.path, field.before, field.after]) for field in change.fields
                ),
            )
            for section in found.sections
            for change in section.changes
        }

    mirrored = {
        (
            section,
            flip.get(kind, kind),
            # The profile's and the grade scale's items are named after the "after" side.
            {"profile": before.id, "grade_scale": before.grade_scale.id}.get(section, item),
            frozenset(json.dumps([path, new, old]) for path, old, new in map(json.loads, fields)),
        )
        for section, kind, item, fields in changes(forward)
    }
    assert mirrored == changes(backward)
    assert [(r.ilacs, r.after, r.before) for r in forward.crosswalk] == [
        (r.ilacs, r.before, r.after) for r in backward.crosswalk
    ]


@settings(max_examples=25, deadline=None)
@given(qst.profiles())
def test_a_profile_against_itself_is_empty(profile: Profile) -> None:
    assert diff_profiles(profile, profile).is_empty


@settings(max_examples=25, deadline=None)
@given(qst.profiles(), st.sampled_from(["P2W", "P6W", "P3M", "P1Y"]))
def test_a_changed_cadence_is_reported_on_its_activity(profile: Profile, every: str) -> None:
    first = profile.activities[0]
    changed = attrs.evolve(first, cadence=Cadence.parse(every))
    found = diff_profiles(
        profile, attrs.evolve(profile, activities=(changed, *profile.activities[1:]))
    )
    if str(first.cadence) == every:
        assert found.is_empty
    else:
        (section,) = found.sections
        (change,) = section.changes
        assert (section.section, change.id) == ("activities", first.id)
        assert change.fields == (FieldChange("cadence", str(first.cadence), every),)


# -- the command ------------------------------------------------------------------------

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def test_json_output_reads_back_as_the_diff(run: Run, bolton_diff: ProfileDiff) -> None:
    status, out, err = run(
        "profile",
        "diff",
        "bolton",
        "--from",
        "2023-01-01",
        "--to",
        "2026-06-01",
        "--format",
        "json",
    )
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data == to_dict(bolton_diff)
    assert from_dict(ProfileDiff, data) == bolton_diff
    assert data["crosswalk"][0] == {"ilacs": "good", "before": ["Good"], "after": ["Meets good"]}


def test_table_and_markdown_show_the_changes(run: Run) -> None:
    argv = ("profile", "diff", "bolton", "--from", "2023-01-01", "--to", "2026-06-01")
    status, table, _ = run(*argv)
    assert status == 0
    assert "bolton 2021-11 (from 2021-11-01) → bolton 2026-01 (from 2026-02-05)" in table
    for text in ("Grade scale through the ILACS crosswalk", "Meets good", "Activities", "P6W"):
        assert text in table
    status, markdown, _ = run(*argv, "--format", "markdown")
    assert status == 0
    assert "| Good | Good | Meets good |" in markdown
    assert "| changed | `thematic_audits` | Thematic Audits | `who` |" in markdown
    assert "|  |  |  | `cadence` | P1M | P6W |  |" in markdown
    assert "## Activities" in markdown


def test_two_councils_by_id(run: Run) -> None:
    status, out, _ = run("profile", "diff", "manchester", "swindon", "--format", "markdown")
    assert status == 0
    assert out.startswith(
        "# manchester 2019-09 (from 2019-09-01) → swindon 2026-01 (from 2026-01-01)"
    )
    assert "| changed | `swindon` |" in out
    status, out, _ = run(
        "profile", "diff", "bolton", "manchester", "--as-of", "2023-01-01", "--format", "json"
    )
    assert status == 0
    assert json.loads(out)["before"] == "bolton 2021-11 (from 2021-11-01)"


def test_no_differences(run: Run) -> None:
    argv = ("profile", "diff", "bolton", "--from", "2023-01-01", "--to", "2024-01-01")
    status, out, _ = run(*argv, "--format", "markdown")
    assert status == 0
    assert out == (
        "# bolton 2021-11 (from 2021-11-01) → bolton 2021-11 (from 2021-11-01)\n\nNo differences.\n"
    )
    status, out, _ = run(*argv)
    assert "No differences." in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("bolton",), "give --from and --to"),
        (("bolton", "--from", "2023-01-01"), "give --from and --to"),
        (("bolton", "--as-of", "2023-01-01"), "--as-of compares two profiles"),
        (("bolton", "swindon", "--from", "2023-01-01"), "--from and --to compare two versions"),
        (("nowhere", "swindon"), "unknown profile 'nowhere'"),
        (("bolton", "--from", "2025-06-01", "--to", "2026-06-01"), "no version in force"),
        (("bolton", "--from", "June", "--to", "2026-06-01"), "not a date"),
    ],
)
def test_bad_input_is_one_line_and_status_2(argv: tuple[str, ...], message: str, run: Run) -> None:
    status, out, err = run("profile", "diff", *argv)
    assert status == 2
    assert out == ""
    assert message in err
    assert len(err.splitlines()) == 1


# -- assumptions whose paths point elsewhere ---------------------------------------------------


def _reordered(profile: Profile) -> Profile:
    """The profile with its first two activities swapped: every place after them moves."""
    first, second, *rest = profile.activities
    return attrs.evolve(profile, activities=(second, first, *rest))


def _with_concerns(profile: Profile, *paths: str) -> Profile:
    note = Assumption("silent", "The source names no report.", paths)
    return attrs.evolve(profile, assumptions=(note,))


def test_a_path_by_place_that_now_names_another_item_is_reported(example_profile: Profile) -> None:
    """``$.activities[1]`` named the transfer audit; once the activities are reordered it names
    the case file audit. The assumption did not change, so only the diff can say so."""
    before = _with_concerns(example_profile, "$.activities[1].reported_via", "$.schedule_anchor")
    after = _reordered(before)
    found = diff_profiles(before, after)
    assert found.concern_shifts == (
        ConcernShift(
            "silent",
            "$.activities[1].reported_via",
            "$.activities[transfer_audit].reported_via",
            "$.activities[case_file_audit].reported_via",
        ),
    )
    assert not found.is_empty
    assert "now points at $.activities[case_file_audit].reported_via: another item" in (
        found.concern_shifts[0].describe()
    )


def test_a_path_by_id_follows_its_item_and_one_whose_item_is_gone_is_reported(
    example_profile: Profile,
) -> None:
    before = _with_concerns(
        example_profile,
        "$.activities[transfer_audit].reported_via",
        "$.activities[feedback].cadence",
    )
    after = _reordered(before)
    assert concern_shifts(before, after) == ()
    gone = attrs.evolve(after, activities=tuple(a for a in after.activities if a.id != "feedback"))
    assert concern_shifts(before, gone) == (
        ConcernShift(
            "silent", "$.activities[feedback].cadence", "$.activities[feedback].cadence", None
        ),
    )


def test_the_versions_invariant_catches_a_path_by_place_that_moved(
    example_profile: Profile,
) -> None:
    before = _with_concerns(example_profile, "$.activities[1].reported_via")
    after = attrs.evolve(_reordered(before), version="2", effective_from=date(2027, 1, 4))
    (problem,) = check_versions([before, after])
    assert problem.path == "$.assumptions[0].concerns[0]"
    assert problem.message == (
        "exampleshire 2 (from 2027-01-04): assumption 'silent' names "
        "'$.activities[1].reported_via', which pointed at "
        "$.activities[transfer_audit].reported_via and now points at "
        "$.activities[case_file_audit].reported_via: another item "
        "(in exampleshire 2026-01 (from 2026-01-05))"
    )


class _Registers:
    """A council plugin registering the profiles it is given."""

    def __init__(self, *profiles: Profile) -> None:
        self.profiles = profiles

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        for profile in self.profiles:
            register(profile)


def test_the_diff_command_shows_the_paths_that_moved(example_profile: Profile, run: Run) -> None:
    before = _with_concerns(example_profile, "$.activities[1].reported_via")
    after = attrs.evolve(_reordered(before), version="2", effective_from=date(2027, 1, 4))
    found = diff_profiles(before, after)
    markdown = diff_markdown(found)
    assert "## Assumption paths that point at another item" in markdown
    assert (
        "| `silent` | `$.activities[1].reported_via` | "
        "`$.activities[transfer_audit].reported_via` | "
        "`$.activities[case_file_audit].reported_via` |"
    ) in markdown
    with plugins_for_tests(_Registers(before, after)):
        status, out, _ = run(
            "profile", "diff", "exampleshire", "--from", "2026-06-01", "--to", "2027-06-01"
        )
    assert status == 0
    assert "Assumption paths that point at another item" in out
    with plugins_for_tests(_Registers(before, after)):
        status, out, _ = run(
            "profile", "diff", "exampleshire", "--from", "2026-06-01", "--to", "2027-06-01",
            "--format", "json",
        )  # fmt: skip
    assert json.loads(out)["concern_shifts"] == [
        {
            "assumption": "silent",
            "path": "$.activities[1].reported_via",
            "before": "$.activities[transfer_audit].reported_via",
            "after": "$.activities[case_file_audit].reported_via",
        }
    ]
