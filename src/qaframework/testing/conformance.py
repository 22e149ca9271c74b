"""The conformance suite a council's tests inherit: every invariant, as tests, over every version.

A council's test module subclasses :class:`ProfileConformance` and names its profile::

    from qaframework.testing import ProfileConformance


    class TestBolton(ProfileConformance):
        profile_id = "bolton"

and inherits one test per invariant of :mod:`qaframework.profiles.invariants`, the checks across its
versions, and Hypothesis properties of its audits, grades, escalations, moderation and
calendar. Each per-version test runs once for every installed version of the profile
(``test_crosswalk_is_monotone[bolton@2021-11-01]``), or for the version in force on
``as_of`` when the subclass sets it. A failure lists every problem with its profile path.

The properties need Hypothesis; without it they fail saying so, and the rest of the suite
still runs. They take the project's Hypothesis settings, without a per-example deadline (a
timed assertion that a slow machine would fail).
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from typing import Any, ClassVar

import pytest

from qaframework.errors import Problem, QAFrameworkError
from qaframework.policy.profile import Profile
from qaframework.profiles.invariants import (
    INVARIANTS,
    VERSION_INVARIANTS,
    hook_sample_size,
)
from qaframework.profiles.registry import VersionInfo, load_profile
from qaframework.testing._versions import version_id, versions_to_test

__all__ = ["ProfileConformance", "format_problems"]

_BY_ID = {invariant.id: invariant for invariant in INVARIANTS}
_VERSIONS_BY_ID = {invariant.id: invariant for invariant in VERSION_INVARIANTS}
# The span audits are drawn over when a version runs until further notice.
_OPEN_SPAN = timedelta(days=730)


def format_problems(label: str, problems: list[Problem]) -> str:
    """A failure message: what was checked, then one problem per line with its path."""
    count = len(problems)
    lines = [f"{label}: {count} problem{'s' if count != 1 else ''}"]
    lines.extend(f"  {problem}" for problem in problems)
    return "\n".join(lines)


def _require_hypothesis() -> None:
    """Fail with how to install Hypothesis when it is missing; the imports that follow are
    then safe."""
    try:
        importlib.import_module("hypothesis")
    except ImportError as exc:
        pytest.fail(
            f"this property test needs Hypothesis ({exc}); install qaframework's testing "
            "extra: pip install 'qaframework[testing]'",
            pytrace=False,
        )


class ProfileConformance:
    """Base class for a council's conformance tests; subclasses name ``profile_id``.

    ``as_of`` limits the per-version tests to the version in force on that day; by default
    every installed version is tested.
    """

    profile_id: ClassVar[str]
    as_of: ClassVar[date | None] = None

    # -- which versions ------------------------------------------------------------------

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Run each per-version test once for each version of the profile."""
        if "profile_version" not in metafunc.fixturenames:
            return
        profile_id = getattr(metafunc.cls, "profile_id", None)
        found: list[VersionInfo | None] = []
        if isinstance(profile_id, str):
            found.extend(versions_to_test(profile_id, metafunc.cls.as_of))
        # With nothing to test, one case remains, so the fixture can say why.
        cases = found or [None]
        metafunc.parametrize(
            "profile_version",
            cases,
            ids=[version_id(str(profile_id), v) for v in cases],
            scope="class",
        )

    def _require_id(self) -> str:
        profile_id = getattr(self, "profile_id", None)
        if not isinstance(profile_id, str):
            pytest.fail(
                f"{type(self).__name__} names no profile: set profile_id = '<id>' on the class",
                pytrace=False,
            )
        return profile_id

    @pytest.fixture
    def profile(self, profile_version: VersionInfo | None) -> Profile:
        """The profile version under test."""
        profile_id = self._require_id()
        try:
            if profile_version is None:
                # Nothing to test: the registry says why (not installed, or no version in
                # force on ``as_of``).
                load_profile(profile_id, as_of=self.as_of)
                pytest.fail(f"no version of {profile_id!r} to test", pytrace=False)
            return load_profile(profile_id, as_of=profile_version.effective_from)
        except QAFrameworkError as exc:
            pytest.fail(str(exc), pytrace=False)

    @pytest.fixture
    def profile_versions(self) -> tuple[Profile, ...]:
        """Every installed version of the profile, oldest first."""
        profile_id = self._require_id()
        versions = versions_to_test(profile_id, None)
        try:
            if not versions:
                # Not installed: the registry says so, naming the profiles that are.
                load_profile(profile_id)
            return tuple(load_profile(profile_id, as_of=v.effective_from) for v in versions)
        except QAFrameworkError as exc:
            pytest.fail(str(exc), pytrace=False)

    def _holds(self, invariant_id: str, profile: Profile) -> None:
        invariant = _BY_ID[invariant_id]
        problems = invariant.check(profile, sample_size=hook_sample_size(profile))
        assert not problems, format_problems(f"{profile.label}: {invariant.statement}", problems)

    def _versions_hold(self, invariant_id: str, versions: tuple[Profile, ...]) -> None:
        invariant = _VERSIONS_BY_ID[invariant_id]
        problems = invariant.check(versions)
        label = f"{self.profile_id}: {invariant.statement}"
        assert not problems, format_problems(label, problems)

    # -- one test per invariant ----------------------------------------------------------

    def test_references_are_declared(self, profile: Profile) -> None:
        """Every role, forum, standard, grade, reporting line and activity named is declared."""
        self._holds("references", profile)

    def test_activities_have_owner_cadence_and_reporting_line(self, profile: Profile) -> None:
        """Every activity has an owner, a cadence and a reporting line (or a recorded silence)."""
        self._holds("activities", profile)

    def test_actions_have_one_timescale(self, profile: Profile) -> None:
        """No activity and grade is governed by two action timescales."""
        self._holds("action_timescales", profile)

    def test_escalations_have_recipients_and_timely_deadlines(self, profile: Profile) -> None:
        """Every escalation has recipients and a deadline no later than its follow-up."""
        self._holds("escalation", profile)

    def test_moderation_can_select_from_any_cycle(self, profile: Profile) -> None:
        """Moderation can select at least one audit whenever a cycle has audits."""
        self._holds("moderation", profile)

    def test_crosswalk_is_monotone(self, profile: Profile) -> None:
        """The ILACS crosswalk is monotone and the good-or-better threshold is a grade."""
        self._holds("crosswalk", profile)

    def test_facts_cite_declared_sources(self, profile: Profile) -> None:
        """Every fact has a citation whose source is declared."""
        self._holds("citations", profile)

    def test_assumptions_point_into_the_profile(self, profile: Profile) -> None:
        """Every path an assumption names exists."""
        self._holds("assumptions", profile)

    def test_nothing_is_left_to_fill_in(self, profile: Profile) -> None:
        """No part of the profile is still marked to fill in."""
        self._holds("complete", profile)

    # -- across versions ------------------------------------------------------------------

    def test_every_version_loads(self) -> None:
        """Every registered version validates (and the versions' dates are consistent)."""
        profile_id = self._require_id()
        failures = []
        versions = versions_to_test(profile_id, None)
        if not versions:
            failures.append(f"no version of {profile_id!r} is installed")
        for version in versions:
            try:
                load_profile(profile_id, as_of=version.effective_from)
            except QAFrameworkError as exc:
                failures.append(str(exc))
        assert not failures, "\n".join(failures)

    def test_versions_round_trip(self, profile_versions: tuple[Profile, ...]) -> None:
        """Every version round-trips through the converter and validation unchanged."""
        self._versions_hold("round_trip", profile_versions)

    def test_dated_versions_do_not_overlap(self, profile_versions: tuple[Profile, ...]) -> None:
        """No two versions take effect on one day, and none runs into the next."""
        self._versions_hold("dates", profile_versions)

    # -- properties (Hypothesis) ---------------------------------------------------------

    def test_every_grade_reads_from_its_spellings(self, profile: Profile) -> None:
        """A grade's code, label and synonyms, however cased and spaced, read as that grade."""
        _require_hypothesis()
        from hypothesis import given, settings

        from qaframework.testing import strategies as qst

        scale = profile.grade_scale

        @settings(deadline=None)
        @given(qst.grade_spellings(profile))
        def check(spelled: tuple[Any, str]) -> None:
            grade, text = spelled
            assert scale.parse(text) == grade, f"{text!r} does not read as {grade.label!r}"

        check()

    def test_grade_order_agrees_with_the_crosswalk(self, profile: Profile) -> None:
        """A better grade never has a worse ILACS judgement, and good-or-better is a threshold."""
        _require_hypothesis()
        from hypothesis import given, settings

        from qaframework.testing import strategies as qst

        scale = profile.grade_scale

        @settings(deadline=None)
        @given(qst.grade_codes(profile), qst.grade_codes(profile))
        def check(a: str, b: str) -> None:
            if scale.compare(a, b) < 0:
                assert scale.ilacs(a).rank <= scale.ilacs(b).rank, f"{a} is better than {b}"
            assert scale.at_or_below(a, b) == (scale.compare(a, b) >= 0)
            if scale.is_good_or_better(a) and scale.compare(b, a) <= 0:
                assert scale.is_good_or_better(b), f"{b} is better than {a}, which is good"

        check()

    def _span(self, profile_version: VersionInfo | None, profile: Profile) -> tuple[date, date]:
        last = profile_version.in_force_to if profile_version is not None else None
        if last is None:
            last = profile.effective_to or profile.effective_from + _OPEN_SPAN
        return profile.effective_from, last

    def test_random_audits_are_accepted(
        self, profile: Profile, profile_version: VersionInfo | None
    ) -> None:
        """Audits that follow the profile's rules pass ``check_audit``."""
        _require_hypothesis()
        from hypothesis import given, settings

        from qaframework.engine.audits import check_audit
        from qaframework.testing import strategies as qst

        start, end = self._span(profile_version, profile)

        @settings(deadline=None)
        @given(qst.audits(profile, start=start, end=end))
        def check(audit: Any) -> None:
            problems = check_audit(audit, profile)
            assert not problems, format_problems(f"audit {audit.id}", problems)

        check()

    def test_escalations_of_random_audits_name_declared_roles(
        self, profile: Profile, profile_version: VersionInfo | None
    ) -> None:
        """Whatever an audit raises is raised by and to declared roles, by a working day no
        earlier than the day it is raised, under one of the profile's rules."""
        _require_hypothesis()
        from hypothesis import given, settings

        from qaframework.engine.escalation import evaluate_escalations
        from qaframework.testing import strategies as qst

        start, end = self._span(profile_version, profile)
        roles = {role.id for role in profile.roles}
        rules = {rule.id for rule in profile.escalation}

        @settings(deadline=None)
        @given(qst.audits(profile, start=start, end=end))
        def check(audit: Any) -> None:
            as_of = audit.audit_date + timedelta(days=365)
            for raised in evaluate_escalations(profile, audit, as_of=as_of):
                assert raised.rule_id in rules
                assert raised.recipient_roles, f"{raised.rule_id} tells no one"
                named = (
                    *raised.recipient_roles,
                    *raised.conditional_recipient_roles,
                    *raised.raised_by_roles,
                    *raised.follow_up_by_roles,
                )
                undeclared = set(named) - roles
                assert not undeclared, f"{raised.rule_id} names undeclared roles {undeclared}"
                assert raised.deadline >= raised.raised_on

        check()

    def test_moderation_selects_from_every_cycle_of_random_audits(
        self, profile: Profile, profile_version: VersionInfo | None
    ) -> None:
        """Whenever a cycle has unmoderated audits, each policy moderates at least one."""
        _require_hypothesis()
        from hypothesis import given, settings
        from hypothesis import strategies as st

        from qaframework.engine.audits import Audit
        from qaframework.engine.moderation import moderation_cycles, select_for_moderation
        from qaframework.engine.periods import Period
        from qaframework.testing import strategies as qst

        start, end = self._span(profile_version, profile)
        span = Period(start, end)
        cycles = [
            (policy, Period(max(cycle.start, start), min(cycle.end, end)))
            for policy in profile.moderation
            if policy.applies_to
            for cycle in moderation_cycles(profile, policy, span)
        ]
        if not cycles:
            return
        # One strategy per cycle, built when first drawn and reused: building costs more
        # than drawing.
        built: dict[int, st.SearchStrategy[list[Audit]]] = {}

        def audits_in(index: int) -> st.SearchStrategy[list[Audit]]:
            if index not in built:
                policy, cycle = cycles[index]
                one = st.one_of(
                    [
                        qst.audits(
                            profile, activity=a, start=cycle.start, end=cycle.end, moderated=False
                        )
                        for a in policy.applies_to
                    ]
                )
                built[index] = st.lists(one, min_size=1, max_size=6, unique_by=lambda a: a.id)
            return built[index]

        drawn_cycles = st.integers(0, len(cycles) - 1).flatmap(
            lambda index: audits_in(index).map(lambda audits: (index, audits))
        )

        @settings(deadline=None)
        @given(drawn_cycles, st.integers(0, 2**32 - 1))
        def check(drawn: tuple[int, list[Audit]], seed: int) -> None:
            index, audits = drawn
            policy, cycle = cycles[index]
            chosen = select_for_moderation(profile, audits, cycle, seed=seed)
            assert chosen.for_policy(policy.id), (
                f"{policy.name!r} selected none of {len(audits)} audits in {cycle}"
            )

        check()

    def test_calendar_is_dated_within_any_window(self, profile: Profile) -> None:
        """The QA calendar of any window is in order, inside the window, and names only the
        profile's activities, reports and forums."""
        _require_hypothesis()
        from hypothesis import given, settings
        from hypothesis import strategies as st

        known = {
            *(a.id for a in profile.activities),
            *(r.id for r in profile.reporting_lines),
            *(f.id for f in profile.forums),
        }
        anchor = profile.schedule_anchor

        @settings(deadline=None)
        @given(
            st.dates(anchor - timedelta(days=400), anchor + timedelta(days=800)),
            st.integers(0, 400),
        )
        def check(first: date, length: int) -> None:
            last = first + timedelta(days=length)
            entries = profile.schedule(first, last)
            assert all(first <= e.day <= last for e in entries)
            assert [e.sort_key() for e in entries] == sorted(e.sort_key() for e in entries)
            assert {e.ref for e in entries} <= known

        check()


# Every invariant has its test here; ``tests/test_testing_kit.py`` holds the suite to it.
INVARIANT_TESTS = {
    "references": ProfileConformance.test_references_are_declared,
    "activities": ProfileConformance.test_activities_have_owner_cadence_and_reporting_line,
    "action_timescales": ProfileConformance.test_actions_have_one_timescale,
    "escalation": ProfileConformance.test_escalations_have_recipients_and_timely_deadlines,
    "moderation": ProfileConformance.test_moderation_can_select_from_any_cycle,
    "crosswalk": ProfileConformance.test_crosswalk_is_monotone,
    "citations": ProfileConformance.test_facts_cite_declared_sources,
    "assumptions": ProfileConformance.test_assumptions_point_into_the_profile,
    "complete": ProfileConformance.test_nothing_is_left_to_fill_in,
    "round_trip": ProfileConformance.test_versions_round_trip,
    "dates": ProfileConformance.test_dated_versions_do_not_overlap,
}
