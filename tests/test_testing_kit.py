"""The policy testing kit (``qaframework.testing``): strategies, the pytest plugin and the
conformance suite, and the worked example in ``docs/testing-policies.md``."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import textwrap
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import qaframework
from qaframework.engine.audits import (
    Audit,
    AuditAction,
    Judgement,
    ModerationRecord,
    check_audit,
    moderation_outcome,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.cadence import Cadence, CadenceKind, IsoDuration, Quota
from qaframework.policy.grades import Grade, GradeScale
from qaframework.policy.profile import Profile
from qaframework.policy.roles import GenericRole, Role
from qaframework.policy.sampling import Case
from qaframework.policy.standards import Standard
from qaframework.profiles.invariants import INVARIANTS, VERSION_INVARIANTS
from qaframework.testing import _hypothesis_setup_hook
from qaframework.testing import strategies as qst
from qaframework.testing.conformance import INVARIANT_TESTS, ProfileConformance, format_problems
from qaframework.testing.facts import (
    UNSTATED,
    Rows,
    citations_in,
    escalation_states_by_rule,
    mismatches,
    path_resolves,
)

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "testing-policies.md"
PLUGIN = "qaframework.testing.pytest_plugin"
# Once the pytest11 entry point is installed the plugin loads by itself; before, ask for it.
PLUGIN_ARGS = (
    [] if any(ep.value == PLUGIN for ep in entry_points(group="pytest11")) else ["-p", PLUGIN]
)
FAST = settings(max_examples=30, deadline=None)
VERSIONS = [
    (info.id, version.effective_from)
    for info in qaframework.available_profiles()
    for version in info.versions
]


def installed(profile_id: str, effective_from: date) -> Profile:
    return qaframework.load_profile(profile_id, as_of=effective_from)


# -- strategies of values -------------------------------------------------------------


@given(qst.iso_durations())
def test_durations_are_non_zero_and_read_back_from_their_text(duration: IsoDuration) -> None:
    assert not duration.is_zero
    assert IsoDuration.parse(str(duration)) == duration


@given(qst.iso_durations(max_count=3, units=["weeks"]))
def test_durations_keep_to_their_units(duration: IsoDuration) -> None:
    assert duration.years == duration.months == duration.days == 0
    assert 1 <= duration.weeks <= 3


@pytest.mark.parametrize("kwargs", [{"units": ["hours"]}, {"units": []}, {"max_count": 0}], ids=str)
def test_durations_reject_bad_arguments(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        qst.iso_durations(**kwargs)


@given(qst.cadences())
def test_cadences_read_back_from_their_text(cadence: Cadence) -> None:
    assert Cadence.parse(str(cadence)) == cadence


@given(qst.cadences(kinds=[CadenceKind.ON_EVENT, CadenceKind.REGULAR]))
def test_cadences_keep_to_their_kinds(cadence: Cadence) -> None:
    assert cadence.kind in (CadenceKind.ON_EVENT, CadenceKind.REGULAR)


def test_cadences_need_a_kind() -> None:
    with pytest.raises(InvalidArgument):
        qst.cadences(kinds=[])


@given(qst.quotas(qaframework.load_profile("manchester")))
def test_quotas_name_declared_roles(quota: Quota) -> None:
    roles = {r.id for r in qaframework.load_profile("manchester").roles}
    assert quota.per_role is None or quota.per_role in roles
    assert quota.count_max is None or quota.count_max >= quota.count


@given(qst.audit_actions(on_or_after=date(2026, 5, 1), min_size=1, max_size=5))
def test_actions_dates_agree_with_their_status(actions: tuple[AuditAction, ...]) -> None:
    assert 1 <= len(actions) <= 5
    assert len({a.id for a in actions}) == len(actions)
    for action in actions:
        assert action.due >= date(2026, 5, 1)
        assert action.review is None or action.review >= action.due
        assert (action.done_on is not None) == (action.status is not ActionStatus.OPEN)
        assert (action.verified_on is not None) == (action.status is ActionStatus.VERIFIED)
        if action.verified_on is not None:
            assert action.done_on is not None
            assert action.verified_on >= action.done_on


@given(qst.case_lists(min_size=1, max_size=30))
def test_case_lists_have_each_child_once(cases: list[Case]) -> None:
    assert 1 <= len(cases) <= 30
    assert len({c.child_id for c in cases}) == len(cases)


def test_case_lists_carry_an_activitys_strata(example_profile: Profile) -> None:
    sampling = attrs.evolve(
        example_profile.activities[0].sampling, strata=("service_area", "legal_status")
    )
    activities = (
        attrs.evolve(example_profile.activities[0], sampling=sampling),
        *example_profile.activities[1:],
    )
    profile = attrs.evolve(example_profile, activities=activities)

    @FAST
    @given(qst.case_lists(profile, activity="case_file_audit", min_size=1))
    def check(cases: list[Case]) -> None:
        assert all(c.value("legal_status") in ("A", "B", "C") for c in cases)
        assert all(set(c.fields) == {"legal_status"} for c in cases)

    check()
    with pytest.raises(InvalidArgument):
        qst.case_lists(activity="case_file_audit")


# -- strategies driven by a profile ---------------------------------------------------


@pytest.mark.parametrize(("profile_id", "effective_from"), VERSIONS)
def test_every_spelling_drawn_reads_as_its_grade(profile_id: str, effective_from: date) -> None:
    scale = installed(profile_id, effective_from).grade_scale

    @FAST
    @given(qst.grade_spellings(scale))
    def check(spelled: tuple[Grade, str]) -> None:
        grade, text = spelled
        assert scale.parse(text) == grade

    check()


def test_grades_standards_and_roles_are_the_profiles(example_profile: Profile) -> None:
    @FAST
    @given(
        qst.grades(example_profile),
        qst.standards(example_profile, audited=True),
        qst.roles(example_profile),
    )
    def check(grade: Grade, standard: Standard, role: Role) -> None:
        assert grade in example_profile.grade_scale.grades
        assert standard in example_profile.standards
        assert standard.audited
        assert role in example_profile.roles

    check()
    with pytest.raises(InvalidArgument):
        qst.standards(example_profile, audited=False)


def test_judgements_carry_every_field_their_activity_requires(example_profile: Profile) -> None:
    from qaframework.policy.activities import JudgementField

    fields = (JudgementField.RATIONALE, JudgementField.WOULD_IMPROVE)
    activities = (
        attrs.evolve(example_profile.activities[0], judgement_fields=fields),
        *example_profile.activities[1:],
    )
    profile = attrs.evolve(example_profile, activities=activities)

    @FAST
    @given(qst.judgements(profile, activity="case_file_audit"))
    def check(judgement: Judgement) -> None:
        assert judgement.standard in ("assessment", "planning")
        assert judgement.rationale
        assert judgement.would_improve

    check()


def test_moderation_outcomes_agree_with_the_grades(example_profile: Profile) -> None:
    @FAST
    @given(
        qst.moderation_records(
            example_profile,
            auditor_grade="good",
            on_or_after=date(2026, 5, 1),
            activity="case_file_audit",
            max_size=3,
        )
    )
    def check(records: tuple[ModerationRecord, ...]) -> None:
        previous = "good"
        assert [r.on for r in records] == sorted(r.on for r in records)
        for record in records:
            assert record.on >= date(2026, 5, 1)
            assert record.role == "head_of_service"  # the policy's moderator
            assert record.outcome is moderation_outcome(example_profile, previous, record.grade)
            previous = record.grade

    check()
    with pytest.raises(InvalidArgument):
        qst.moderation_records(example_profile, auditor_grade="great")


def test_audits_follow_the_arguments(example_profile: Profile) -> None:
    start, end = date(2026, 5, 1), date(2026, 5, 31)

    @FAST
    @given(
        qst.audits(
            example_profile,
            activity="transfer_audit",
            start=start,
            end=end,
            moderated=True,
            grade="inadequate",
        )
    )
    def check(audit: Audit) -> None:
        assert check_audit(audit, example_profile) == []
        assert audit.activity == "transfer_audit"
        assert audit.auditor_role == "head_of_service"
        assert start <= audit.audit_date <= end
        assert audit.overall_grade == "inadequate"
        assert audit.moderated

    check()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activity": "feedback", "grade": "good"}, "is not graded"),
        ({"activity": "dip"}, "has no activity 'dip'"),
        ({"grade": "great"}, "'great' is not a grade"),
        ({"end": date(2025, 1, 1)}, "is within exampleshire"),
    ],
)
def test_audits_reject_bad_arguments(
    example_profile: Profile, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidArgument, match=message):
        qst.audits(example_profile, **kwargs)


@settings(max_examples=30, deadline=None)
@given(qst.profiles().flatmap(lambda p: st.tuples(st.just(p), qst.audits(p))))
def test_random_councils_accept_their_random_audits(drawn: tuple[Profile, Audit]) -> None:
    profile, audit = drawn
    assert check_audit(audit, profile) == []


@settings(max_examples=30, deadline=None)
@given(qst.profile_versions(min_versions=2, max_versions=3))
def test_versions_of_a_random_council_are_dated_one_after_another(
    versions: tuple[Profile, ...],
) -> None:
    assert len({v.id for v in versions}) == 1
    for earlier, later in itertools.pairwise(versions):
        assert earlier.effective_from < later.effective_from
        assert earlier.effective_to is None or earlier.effective_to < later.effective_from


def test_strategy_reprs_stay_short() -> None:
    # Hypothesis prints a strategy in its reports; a profile's repr runs to kilobytes.
    telford = qaframework.load_profile("telford")
    for strategy in (
        qst.audits(telford),
        qst.standards(telford),
        qst.judgements(telford),
        qst.moderation_records(telford),
        qst.grade_spellings(telford),
    ):
        assert len(repr(strategy)) < 200, repr(strategy)


# -- st.from_type ---------------------------------------------------------------------

REGISTERED = [
    IsoDuration,
    Cadence,
    Quota,
    Case,
    Profile,
    GradeScale,
    Grade,
    Standard,
    Role,
    Judgement,
    ModerationRecord,
    AuditAction,
    Audit,
]


@pytest.mark.parametrize("cls", REGISTERED, ids=lambda cls: cls.__name__)
def test_the_setup_hook_registers_the_types_for_from_type(cls: type) -> None:
    _hypothesis_setup_hook()

    @settings(max_examples=10, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        assert isinstance(data.draw(st.from_type(cls)), cls)

    check()


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_the_setup_hook_builds_nothing_while_hypothesis_initialises() -> None:
    # Hypothesis runs its entry points while it is being imported and warns about a plugin
    # that evaluates strategies then; the hook only registers deferred strategies.
    done = run_python(
        """
        import warnings
        import _hypothesis_globals
        import hypothesis
        from qaframework.testing import _hypothesis_setup_hook

        _hypothesis_globals.in_initialization += 1  # as while Hypothesis runs its entry points
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _hypothesis_setup_hook()
        _hypothesis_globals.in_initialization -= 1
        print("registered")
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "registered"


def test_importing_qaframework_imports_no_testing_kit() -> None:
    done = run_python(
        """
        import sys
        import qaframework
        qaframework.load_profile("bolton")
        kit = ("hypothesis", "pytest", "qaframework.testing")
        print(sorted(m for m in kit if m in sys.modules))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- the conformance suite ------------------------------------------------------------


def test_every_invariant_has_its_conformance_test() -> None:
    assert set(INVARIANT_TESTS) == {i.id for i in (*INVARIANTS, *VERSION_INVARIANTS)}
    for test in INVARIANT_TESTS.values():
        assert test.__name__.startswith("test_")
        assert getattr(ProfileConformance, test.__name__) is test


class _Registers:
    """A plugin registering profiles built in Python (random councils)."""

    def __init__(self, *profiles: Profile) -> None:
        self.profiles = profiles

    @qaframework.hookimpl
    def register_profiles(self, register: Any) -> None:
        for profile in self.profiles:
            register(profile)


@settings(max_examples=15, deadline=None)
@given(qst.profile_versions(max_versions=2))
def test_the_conformance_suite_holds_for_random_councils(versions: tuple[Profile, ...]) -> None:
    """A random council, registered as a plugin registers one, passes every invariant test of
    ``ProfileConformance``: the councils use every rule kind (quotas held by several roles,
    case filters, per-case event cadences) and the suite holds for them."""
    from qaframework.profiles.plugins import plugins_for_tests

    suite = type("TestRandom", (ProfileConformance,), {"profile_id": versions[0].id})()
    with plugins_for_tests(_Registers(*versions)):
        loaded = tuple(qaframework.load_profile(p.id, as_of=p.effective_from) for p in versions)
        across = {each.id for each in VERSION_INVARIANTS}
        for invariant, test in INVARIANT_TESTS.items():
            if invariant in across:
                test(suite, loaded)
            else:
                for profile in loaded:
                    test(suite, profile)


def test_failures_list_every_problem_with_its_path() -> None:
    from qaframework.errors import Problem

    message = format_problems(
        "swindon 2026-01", [Problem("$.roles[0].title", "a"), Problem("$.forums", "b")]
    )
    assert message == "swindon 2026-01: 2 problems\n  $.roles[0].title: a\n  $.forums: b"


def test_the_suite_runs_over_every_version_of_a_profile(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bolton="""
        from qaframework.testing import ProfileConformance

        class TestBolton(ProfileConformance):
            profile_id = "bolton"
        """
    )
    result = pytester.runpytest("-v", "-k", "monotone or versions", *PLUGIN_ARGS)
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*test_crosswalk_is_monotone?bolton@2021-11-01? PASSED*",
            "*test_crosswalk_is_monotone?bolton@2026-02-05? PASSED*",
            "*test_versions_round_trip PASSED*",
            "*test_dated_versions_do_not_overlap PASSED*",
        ]
    )


def test_the_suite_can_test_the_version_in_force_on_a_day(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bolton="""
        from datetime import date
        from qaframework.testing import ProfileConformance

        class TestStayingSafe(ProfileConformance):
            profile_id = "bolton"
            as_of = date(2023, 1, 1)
        """
    )
    result = pytester.runpytest("-v", "-k", "monotone", *PLUGIN_ARGS)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*test_crosswalk_is_monotone?bolton@2021-11-01? PASSED*"])


def test_the_suite_says_what_is_missing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_councils="""
        from datetime import date
        from qaframework.testing import ProfileConformance

        class TestUnnamed(ProfileConformance):
            pass

        class TestUnknown(ProfileConformance):
            profile_id = "nowhere"

        class TestOutOfForce(ProfileConformance):
            profile_id = "bolton"
            as_of = date(2025, 6, 1)
        """
    )
    result = pytester.runpytest("-k", "monotone", *PLUGIN_ARGS)
    # The fixtures fail, so pytest counts errors in setup.
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines_random(
        [
            "*TestUnnamed names no profile: set profile_id = '<id>' on the class*",
            "*unknown profile 'nowhere' (available: *bolton*",
            "*profile 'bolton' has no version in force on 2025-06-01*",
        ]
    )


# -- the pytest plugin ----------------------------------------------------------------


def test_the_plugin_lists_the_installed_profiles(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_ids(qaframework_profile_ids):
            assert {"bolton", "manchester", "swindon", "telford"} <= set(qaframework_profile_ids)
            assert list(qaframework_profile_ids) == sorted(qaframework_profile_ids)
        """
    )
    pytester.runpytest(*PLUGIN_ARGS).assert_outcomes(passed=1)


def test_the_plugin_loads_a_profile_named_by_marker_or_class(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from datetime import date
        import pytest

        @pytest.mark.qaframework_profile("bolton")
        def test_every_version(qaframework_profile, qaframework_version):
            assert qaframework_profile.id == "bolton"
            assert qaframework_profile.effective_from == qaframework_version.effective_from

        @pytest.mark.qaframework_profile("bolton", as_of=date(2023, 1, 1))
        def test_one_day(qaframework_profile):
            assert qaframework_profile.version == "2021-11"

        class TestSwindon:
            profile_id = "swindon"

            def test_named(self, qaframework_profile, qaframework_profile_id):
                assert qaframework_profile.id == qaframework_profile_id == "swindon"
        """
    )
    result = pytester.runpytest("-v", "--strict-markers", *PLUGIN_ARGS)
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines_random(
        [
            "*test_every_version?bolton@2021-11-01? PASSED*",
            "*test_every_version?bolton@2026-02-05? PASSED*",
            "*test_one_day?bolton@2021-11-01? PASSED*",
            "*test_named?swindon@2026-01-01? PASSED*",
        ]
    )


def test_the_plugin_loads_the_latest_version_for_an_id_from_a_fixture(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def qaframework_profile_id():
            return "bolton"
        """
    )
    pytester.makepyfile(
        """
        def test_latest(qaframework_profile):
            assert qaframework_profile.version == "2026-01"
        """
    )
    pytester.runpytest(*PLUGIN_ARGS).assert_outcomes(passed=1)


def test_the_plugin_fails_clearly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_unnamed(qaframework_profile):
            pass

        @pytest.mark.qaframework_profile("nowhere")
        def test_unknown(qaframework_profile):
            pass
        """
    )
    result = pytester.runpytest(*PLUGIN_ARGS)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines_random(
        [
            "*name the profile to load: @pytest.mark.qaframework_profile('<id>')*",
            "*unknown profile 'nowhere'*",
        ]
    )


def test_the_plugin_rejects_a_marker_without_an_id(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.qaframework_profile()
        def test_x(qaframework_profile):
            pass
        """
    )
    result = pytester.runpytest(*PLUGIN_ARGS)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*write @pytest.mark.qaframework_profile('<profile id>'*"])


def test_the_plugin_and_suite_work_without_hypothesis(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_swindon="""
        import pytest
        from qaframework.testing import ProfileConformance

        class TestSwindon(ProfileConformance):
            profile_id = "swindon"

        @pytest.mark.qaframework_profile("swindon")
        def test_loads(qaframework_profile):
            assert qaframework_profile.id == "swindon"
        """
    )
    # A Python where Hypothesis cannot be imported, running pytest without its plugin: modules
    # of those names, first on sys.path, that fail as a missing module does. (A finder in
    # sys.meta_path is not enough: pytest's assertion rewriter goes before it and finds
    # Hypothesis itself when it marks it for rewriting, as pytest 8.0 with Hypothesis 6.100
    # does.)
    blocked = pytester.mkdir("no-hypothesis")
    missing = 'raise ModuleNotFoundError("No module named \'hypothesis\'", name="hypothesis")\n'
    (blocked / "hypothesis").mkdir()
    (blocked / "hypothesis" / "__init__.py").write_text(missing)
    (blocked / "_hypothesis_globals.py").write_text(missing)
    script = textwrap.dedent(
        f"""
        import sys

        sys.path.insert(0, {str(blocked)!r})
        import pytest
        sys.exit(pytest.main(["-p", "no:hypothesispytest", *{PLUGIN_ARGS!r}]))
        """
    )
    result = pytester.run(sys.executable, "-c", script)
    property_tests = 6
    # The invariants, the four checks beyond them, the four across versions, the plugin's.
    result.assert_outcomes(passed=9 + 4 + 4 + 1, failed=property_tests)
    result.stdout.fnmatch_lines(["*this property test needs Hypothesis*pip install*"])
    assert "ModuleNotFoundError" not in result.stdout.str()


# -- the facts of a council's seeds ---------------------------------------------------


def test_rows_find_every_difference_and_compare_text_as_text() -> None:
    swindon = installed("swindon", date(2026, 1, 1))
    rows = Rows(
        ("id", "title", "generic", "reports_to"),
        [
            ("team_manager", "Team Manager", GenericRole.TEAM_MANAGER, "service_manager"),
            ("qaro", "QARO", GenericRole.INDEPENDENT_REVIEWER, None),
            ("social_worker", "Social Worker", UNSTATED, "team_manager"),
            ("nobody", "Nobody", GenericRole.PRACTITIONER, None),
        ],
    )
    assert mismatches("roles", swindon.roles, rows) == [
        "roles['qaro'].title: 'Quality Assurance and Reviewing Officer', not 'QARO'",
        "roles['nobody']: not in the profile",
    ]
    # An enum given as text is read by its value; a cadence by what a profile writes.
    forums = Rows(("id", "kind", "cadence", None), [("kit", "briefing", "P1M", "anything")])
    assert mismatches("forums", swindon.forums, forums) == []
    every = Rows(("id",), [("kit",)], every=True)
    (found,) = mismatches("forums", swindon.forums, every)
    assert found.startswith("forums: the profile has ['practice_performance_board', ")
    assert mismatches("forums", swindon.forums, Rows(("id", "kind"), [("kit",)])) == [
        "forums['kit']: 1 values for 2 columns"
    ]


def test_plain_data_paths_and_citations() -> None:
    data = {"activities": [{"cadence": "P1M", "citation": {"source": "s", "section": "1"}}]}
    assert path_resolves(data, "$.activities[0].cadence")
    assert path_resolves(data, "$")
    for path in ("$.activities[1]", "$.activities[0].who", "$.activities.cadence", "activities"):
        assert not path_resolves(data, path), path
    assert not path_resolves(data, "$.activities[0]cadence")
    assert list(citations_in(data)) == [
        ("$.activities[0].citation", {"source": "s", "section": "1"})
    ]


def test_escalation_states_by_rule_follow_the_council_versions() -> None:
    audit = Audit(
        "A1", "C1", "child_practice_audit", date(2026, 6, 10), "tm-1", "team_manager", "good"
    )
    states = escalation_states_by_rule("swindon", [audit], as_of=date(2026, 6, 16))
    assert set(states) == {"requires_improvement_or_good_tracking"}
    assert states["requires_improvement_or_good_tracking"].escalation.audit_id == "A1"


_WRONG_SWINDON = """
from datetime import date
from qaframework.policy.roles import GenericRole
from qaframework.testing.conformance import SeedConformance
from qaframework.testing.facts import Rows

class TestSwindon(SeedConformance):
    profile_id = "swindon"
    authority = "Swindon Council"
    versions = [("2026-01", date(2026, 1, 1), None)]
    no_version_on = [date(2026, 3, 1)]
    sources = {"2026-01": {"swindon_qaf_2026": "003_b5ae2725e2090842.txt"}}
    seed_sections = {"swindon_qaf_2026": {"8.8 Moderation"}}
    grade_spellings = {"2026-01": {"Good": "good", "Amber": "requires_improvement"}}
    roles = {"2026-01": Rows(("id", "generic"), [("qa_team", GenericRole.QA_TEAM)])}
    forums = {"2026-01": Rows(("id", "cadence"), [("kit", "P1W")])}
    assumptions = {"2026-01": {"effective_from"}}
"""


def test_the_seed_facts_fail_where_a_council_states_them_wrongly(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_swindon=_WRONG_SWINDON)
    result = pytester.runpytest("-k", "seed", *PLUGIN_ARGS)
    # Right: the sources and the roles. Wrong: the authority (and a day with no version),
    # a section list, a spelling, a forum's cadence and the assumptions. Not stated: the
    # reporting lines and the activities.
    result.assert_outcomes(passed=2, failed=7)
    result.stdout.fnmatch_lines_random(
        [
            "*assert 'Swindon Borough Council' == 'Swindon Council'*",
            "*$.grade_scale.citation: 'swindon_qaf_2026', '8.3 Child of concern process*",
            "*'Amber' reads as None, not 'requires_improvement'*",
            "*forums?'kit'?.cadence: 'P1M', not 'P1W'*",
            "*TestSwindon states no reporting_lines: set it on the class*",
            "*TestSwindon states no activities: set it on the class*",
        ]
    )


def test_a_day_stated_without_a_version_is_checked(pytester: pytest.Pytester) -> None:
    right = _WRONG_SWINDON.replace('"Swindon Council"', '"Swindon Borough Council"')
    pytester.makepyfile(test_swindon=right)
    result = pytester.runpytest("-k", "dated_versions_are_the_seeds", *PLUGIN_ARGS)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*2026-03-01: version 2026-01 in force; the seeds give none*"])


# -- the worked example of the documentation ------------------------------------------

_BLOCK = re.compile(r'```(\w+) title="([^"]+)"\n(.*?)```', re.DOTALL)


def test_the_documented_example_runs_as_documented(pytester: pytest.Pytester) -> None:
    """Every titled block of ``docs/testing-policies.md`` is a file of one project: run it.

    Brokenshire fails its two moderation tests and nothing else; the output shown in the
    documentation is the output given.
    """
    expected: list[str] = []
    for language, title, body in _BLOCK.findall(DOCS.read_text(encoding="utf-8")):
        if title == "output":
            expected = [line.strip() for line in body.splitlines() if line.strip()]
        else:
            assert language in ("toml", "ini", "python"), title
            (pytester.path / title).write_text(body, encoding="utf-8")
    assert expected
    result = pytester.runpytest("-p", "no:cacheprovider", *PLUGIN_ARGS)
    failed = sorted(
        line.split("::")[-1].split(" ")[0]
        for line in result.stdout.lines
        if line.startswith("FAILED test_brokenshire.py")
    )
    assert failed == [
        "test_moderation_can_select_from_any_cycle[brokenshire@2026-04-01]",
        "test_moderation_selects_from_every_cycle_of_random_audits[brokenshire@2026-04-01]",
    ]
    result.assert_outcomes(failed=2, passed=20 + 1 + 3 + 2)
    output = result.stdout.str()
    for line in expected:
        assert line in output, line
    # The session's profile was registered for that session only.
    assert "brokenshire" not in {info.id for info in qaframework.available_profiles()}


def test_the_swindon_example_is_a_real_property(pytester: pytest.Pytester) -> None:
    """The documented Swindon property fails for a profile that shares Inadequate audits a
    day late: it tests the policy, not nothing."""
    (code,) = [b for _, t, b in _BLOCK.findall(DOCS.read_text()) if t == "test_swindon_policy.py"]
    late = code.replace(
        'swindon = qaframework.load_profile("swindon")',
        'swindon = qaframework.load_profile("swindon")\n'
        "import attrs\n"
        "from qaframework.policy.escalation import Deadline, DeadlineKind\n"
        "rules = list(swindon.escalation)\n"
        "rules[0] = attrs.evolve(rules[0], deadline=Deadline(DeadlineKind.WORKING_DAYS, "
        "working_days=1))\n"
        "swindon = attrs.evolve(swindon, escalation=tuple(rules))\n",
    )
    assert late != code
    (pytester.path / "test_swindon_policy.py").write_text(late, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    assert qaframework.load_profile("swindon").escalation[0].id == (
        "inadequate_shared_pre_moderation"
    )


def test_a_day_after_the_version_is_not_drawn(example_profile: Profile) -> None:
    ended = attrs.evolve(example_profile, effective_to=date(2026, 2, 1))

    @FAST
    @given(qst.audits(ended))
    def check(audit: Audit) -> None:
        assert ended.effective_from <= audit.audit_date <= date(2026, 2, 1)

    check()
