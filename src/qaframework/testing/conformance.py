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

Beyond the invariants it checks what every bundled council's profile keeps: assumptions say
what they concern and their paths are in the plain data, the grade scale crosswalks to itself
one to one, and no role reports to a lower generic tier. :class:`SeedConformance` adds the
facts of the council's seeds, stated as class attributes (versions, sources, sections, grade
spellings, the tables of roles, forums, reporting lines and activities, assumptions), so that a
council's own tests hold only what is true of it alone.

The properties need Hypothesis; without it they fail saying so, and the rest of the suite
still runs. They take the project's Hypothesis settings, without a per-example deadline (a
timed assertion that a slow machine would fail).
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from typing import Any, ClassVar

import pytest

from qaframework.errors import NoVersionInForce, Problem, QAFrameworkError
from qaframework.policy.profile import Profile
from qaframework.policy.roles import GenericRole
from qaframework.policy.unknowns import NOT_STATED
from qaframework.profiles.converter import to_dict
from qaframework.profiles.invariants import (
    INVARIANTS,
    VERSION_INVARIANTS,
    hook_sample_size,
)
from qaframework.profiles.registry import VersionInfo, get_registry, load_profile
from qaframework.testing._versions import version_id, versions_to_test
from qaframework.testing.facts import Rows, citations_in, mismatches, path_resolves

__all__ = ["ProfileConformance", "SeedConformance", "format_problems"]

_BY_ID = {invariant.id: invariant for invariant in INVARIANTS}
_VERSIONS_BY_ID = {invariant.id: invariant for invariant in VERSION_INVARIANTS}
# The span audits are drawn over when a version runs until further notice.
_OPEN_SPAN = timedelta(days=730)
_DAY = timedelta(days=1)
# The generic tiers of a line of management, from the front line up.
_LINE = (
    GenericRole.PRACTITIONER,
    GenericRole.SENIOR_PRACTITIONER,
    GenericRole.TEAM_MANAGER,
    GenericRole.SERVICE_LEAD,
    GenericRole.HEAD_OF_SERVICE,
    GenericRole.ASSISTANT_DIRECTOR,
    GenericRole.DIRECTOR,
    GenericRole.CHIEF_EXECUTIVE,
)


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

    def test_assumptions_kept_across_versions_name_the_same_items(
        self, profile_versions: tuple[Profile, ...]
    ) -> None:
        """An assumption kept from one version to the next names the same items in both."""
        self._versions_hold("assumption_paths", profile_versions)

    # -- what every council's profile keeps, beyond the invariants -----------------------

    def test_assumptions_say_what_they_concern(self, profile: Profile) -> None:
        """Every assumption has its text and names the parts of the profile it concerns."""
        silent = [a.id for a in profile.assumptions if not (a.text.strip() and a.concerns)]
        assert not silent, f"{profile.label}: assumptions with no text or no concerns: {silent}"

    def test_assumption_paths_point_into_the_plain_data(self, profile: Profile) -> None:
        """Every path an assumption names is there in the profile's plain data, as a data file
        holds it (``to_dict``)."""
        data = to_dict(profile)
        missing = [
            f"{assumption.id}: {path}"
            for assumption in profile.assumptions
            for path in assumption.concerns
            if not path_resolves(data, path)
        ]
        assert not missing, f"{profile.label}: paths not in the plain data: {missing}"

    def test_the_grade_scale_crosswalks_to_itself_one_to_one(self, profile: Profile) -> None:
        """Each grade of the scale is read onto the same scale as itself, and only itself."""
        scale = profile.grade_scale
        assert scale.crosswalk(scale) == {code: (code,) for code in scale.codes}

    def test_no_role_reports_to_a_lower_tier(self, profile: Profile) -> None:
        """Up a line of management the generic tier never falls: a Head of Service does not
        report to a service lead."""
        lower = []
        for role in profile.roles:
            if role.reports_to is None or role.generic not in _LINE:
                continue
            above = profile.role(role.reports_to)
            if above.generic in _LINE and _LINE.index(above.generic) < _LINE.index(role.generic):
                lower.append(f"{role.id} ({role.generic.value}) reports to {above.id}")
        assert not lower, f"{profile.label}: {lower}"

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
                told = raised.recipient_roles
                # A rule may not state who is told (a known unknown), never tell no one.
                assert told == NOT_STATED or told, f"{raised.rule_id} tells no one"
                named = (
                    *(told if isinstance(told, tuple) else ()),
                    *raised.conditional_recipient_roles,
                    *raised.raised_by_roles,
                    *raised.follow_up_by_roles,
                )
                undeclared = set(named) - roles
                assert not undeclared, f"{raised.rule_id} names undeclared roles {undeclared}"
                deadline = raised.deadline
                # A deadline not stated is never invented; a stated one is never before the raise.
                assert deadline == NOT_STATED or (
                    isinstance(deadline, date) and deadline >= raised.raised_on
                )

        check()

    def test_moderation_selects_from_every_cycle_of_random_audits(
        self, profile: Profile, profile_version: VersionInfo | None
    ) -> None:
        """Whenever a cycle has unmoderated audits, each policy moderates at least one (a
        policy whose every rule leaves its size not stated, with no stated minimum, is not
        held to it: the profile does not know how many it moderates)."""
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
            if policy.applies_to and _selects_by_a_stated_rule(policy)
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
    "assumption_paths": (
        ProfileConformance.test_assumptions_kept_across_versions_name_the_same_items
    ),
}


class SeedConformance(ProfileConformance):
    """:class:`ProfileConformance`, and the facts of the profile's seeds as the class states
    them.

    A council's tests state what its framework documents say as class attributes, and
    inherit one test per kind of fact. Attributes keyed by version (``"2026-01"``) hold
    the facts of each version tested; a fact not stated fails its test, naming the
    attribute to set.

    - ``authority``; ``versions``: each version with the day it takes effect and the last
      day it is in force (None until further notice), oldest first. Each version must be in
      force on its first and last day, and none the day before the first or on the days
      between two versions; ``in_force_on`` (day: version) and ``no_version_on`` add days.
    - ``sources``: by version, each source document's id and its seed file;
      ``seed_sections``: by source, the sections a citation may name; ``min_citations``.
    - ``grade_spellings``: by version, text a file may hold and the grade code it reads as
      (None: not a grade).
    - ``roles``, ``forums``, ``reporting_lines``, ``activities``: by version, the
      :class:`~qaframework.testing.facts.Rows` (or several) the seed's tables give.
    - ``assumptions``: by version, the ids of the assumptions the profile records (a set, or
      a sequence in the profile's order).
    """

    authority: ClassVar[str]
    versions: ClassVar[Sequence[tuple[str, date, date | None]]]
    in_force_on: ClassVar[Mapping[date, str]] = {}
    no_version_on: ClassVar[Sequence[date]] = ()
    sources: ClassVar[Mapping[str, Mapping[str, str]]]
    seed_sections: ClassVar[Mapping[str, AbstractSet[str]]]
    min_citations: ClassVar[int] = 1
    grade_spellings: ClassVar[Mapping[str, Mapping[str, str | None]]]
    roles: ClassVar[Mapping[str, Rows | Sequence[Rows]]]
    forums: ClassVar[Mapping[str, Rows | Sequence[Rows]]]
    reporting_lines: ClassVar[Mapping[str, Rows | Sequence[Rows]]]
    activities: ClassVar[Mapping[str, Rows | Sequence[Rows]]]
    assumptions: ClassVar[Mapping[str, Collection[str]]]

    def _fact(self, name: str) -> Any:
        value = getattr(type(self), name, None)
        if value is None:
            pytest.fail(
                f"{type(self).__name__} states no {name}: set it on the class", pytrace=False
            )
        return value

    def _fact_of(self, name: str, profile: Profile) -> Any:
        by_version = self._fact(name)
        if profile.version not in by_version:
            pytest.fail(
                f"{type(self).__name__} states no {name} for version {profile.version!r}",
                pytrace=False,
            )
        return by_version[profile.version]

    def _rows_hold(self, section: str, profile: Profile, items: Sequence[Any]) -> None:
        stated = self._fact_of(section, profile)
        tables = [stated] if isinstance(stated, Rows) else list(stated)
        found = [line for rows in tables for line in mismatches(section, items, rows)]
        assert not found, _differences(profile.label, found)

    # -- versions and sources -----------------------------------------------------------

    def test_dated_versions_are_the_seeds(self) -> None:
        """The profile's authority and versions are the seeds': each version in force from its
        first day to its last, and none before the first or between two."""
        profile_id = self._require_id()
        versions = list(self._fact("versions"))
        info = get_registry().info(profile_id)
        assert info.authority == self._fact("authority")
        assert [(v.version, v.effective_from, v.in_force_to) for v in info.versions] == versions
        assert info.latest.version == versions[-1][0]
        assert load_profile(profile_id).version == versions[-1][0]
        in_force: dict[date, str] = {}
        none = {versions[0][1] - _DAY, *self.no_version_on}
        for (version, first, last), following in zip(versions, [*versions[1:], None], strict=True):
            in_force[first] = version
            if last is None:
                continue
            in_force[last] = version
            if following is None:
                none.add(last + _DAY)
            elif following[1] > last + _DAY:
                none.update({last + _DAY, following[1] - _DAY})
        in_force.update(self.in_force_on)
        failures = []
        for day, version in sorted(in_force.items()):
            try:
                found = load_profile(profile_id, as_of=day)
            except QAFrameworkError as exc:
                failures.append(f"{day}: {exc}")
                continue
            if found.version != version:
                failures.append(f"{day}: version {found.version} in force, not {version}")
            if found.label != f"{profile_id} {found.version} (from {found.effective_from})":
                failures.append(f"{day}: labelled {found.label!r}")
        for day in sorted(none):
            try:
                found = load_profile(profile_id, as_of=day)
            except NoVersionInForce:
                continue
            failures.append(f"{day}: version {found.version} in force; the seeds give none")
        assert not failures, _differences(profile_id, failures)

    def test_sources_are_the_seed_files(self, profile: Profile) -> None:
        """Each source document of the version is named with its seed file."""
        stated = dict(self._fact_of("sources", profile))
        assert {s.id: s.file for s in profile.sources} == stated

    def test_citations_name_the_seed_sections(self, profile: Profile) -> None:
        """Every citation in the version names one of its own sources and a section of it."""
        sources = self._fact_of("sources", profile)
        sections = self._fact("seed_sections")
        cited = list(citations_in(to_dict(profile)))
        assert len(cited) >= self.min_citations, f"{len(cited)} citations"
        wrong = [
            f"{path}: {citation['source']!r}, {citation['section']!r}"
            for path, citation in cited
            if citation["source"] not in sources
            or citation["section"] not in sections.get(citation["source"], ())
        ]
        assert not wrong, _differences(profile.label, wrong)

    # -- what the version holds ----------------------------------------------------------

    def test_grades_read_from_the_seed_spellings(self, profile: Profile) -> None:
        """Each spelling of a grade the seed or its files use reads as that grade; what is
        not a grade reads as none."""
        wrong = []
        for text, code in self._fact_of("grade_spellings", profile).items():
            grade = profile.grade_scale.parse(text)
            found = grade.code if grade is not None else None
            if found != code:
                wrong.append(f"{text!r} reads as {found!r}, not {code!r}")
        assert not wrong, _differences(profile.label, wrong)

    def test_roles_are_the_seeds(self, profile: Profile) -> None:
        """The roles are the seed's: each as its rows give it."""
        self._rows_hold("roles", profile, profile.roles)

    def test_forums_are_the_seeds(self, profile: Profile) -> None:
        """The forums are the seed's: each as its rows give it."""
        self._rows_hold("forums", profile, profile.forums)

    def test_reporting_lines_are_the_seeds(self, profile: Profile) -> None:
        """The reporting lines are the seed's: who produces each, for which forums and roles,
        how often."""
        self._rows_hold("reporting_lines", profile, profile.reporting_lines)

    def test_activities_are_the_seeds(self, profile: Profile) -> None:
        """The QA activities are the seed's: each as its rows give it."""
        self._rows_hold("activities", profile, profile.activities)

    def test_assumptions_are_the_seeds(self, profile: Profile) -> None:
        """The profile records the assumptions stated, each once (in order, when stated in
        order)."""
        stated = self._fact_of("assumptions", profile)
        ids = [a.id for a in profile.assumptions]
        if isinstance(stated, AbstractSet):
            assert set(ids) == set(stated)
            assert len(ids) == len(stated)
        else:
            assert ids == list(stated)


def _differences(label: str, lines: Sequence[str]) -> str:
    """A failure message: what was checked, then one line per difference."""
    return "\n".join([f"{label}: {len(lines)} differences", *(f"  {line}" for line in lines)])


def _selects_by_a_stated_rule(policy: Any) -> bool:
    """Whether some rule of a moderation policy selects by a stated size (or a stated
    minimum), so that a cycle with audits is known to have one moderated."""
    return any(rule.is_stated or rule.minimum for rule in policy.selection)
