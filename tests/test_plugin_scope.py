"""A council's plugin changes only its own council's results (issue: any council, section 1).

Behaviour hooks (``working_calendar``, ``moderation_sample_size``) and ``validate_profile``
are called for a profile only from the plugin that registered it and from global plugins
(the built-ins, and any plugin with ``qaframework_global = True``). A third-party council
installed beside the bundled ones, whose hooks carry no ``if profile.id != ...`` guard,
must leave Swindon's moderation, deadlines and validation exactly as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from qaframework import hookimpl
from qaframework.cli import main
from qaframework.engine.audits import Audit
from qaframework.engine.escalation import evaluate_escalations_bulk
from qaframework.engine.moderation import select_for_moderation
from qaframework.engine.periods import Period
from qaframework.errors import Problem, ProfileError
from qaframework.io import load_audits
from qaframework.policy.moderation import ModerationPolicy, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.profiles.plugins import list_plugins, plugins_for_tests
from qaframework.profiles.registry import load_profile, profile_resolver

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "swindon"
QUARTER = Period.parse("2026-27 Q1")
# Every working day of the quarter a closure: deadlines would move by weeks if it applied.
CLOSURES = {
    date.fromordinal(day): "Third-party closure"
    for day in range(QUARTER.start.toordinal(), QUARTER.end.toordinal() + 1)
}


class ThirdPartyCouncil:
    """A council plugin as an author might first write it: hooks with no guard on the id."""

    def __init__(self, source: Any, *, is_global: bool = False) -> None:
        self.source = source
        if is_global:
            self.qaframework_global = True

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        register(self.source)

    @hookimpl
    def moderation_sample_size(
        self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
    ) -> int:
        return audit_count  # moderate everything

    @hookimpl
    def working_calendar(self, profile: Profile) -> WorkingCalendar:
        return WorkingCalendar("Third-party calendar", extra_closures=CLOSURES)

    @hookimpl
    def validate_profile(self, profile: Profile) -> list[Problem] | None:
        return [Problem("$.activities", "every council must audit on Tuesdays")]


@pytest.fixture(scope="module")
def swindon_audits() -> list[Audit]:
    # Not yet moderated, so that the quarter's moderation has audits to choose.
    loaded = load_audits(EXAMPLES / "audits.jsonl", "swindon").accepted
    return [attrs.evolve(audit, moderations=()) for audit in loaded]


@pytest.fixture
def third_party(example_document: dict[str, Any]) -> ThirdPartyCouncil:
    return ThirdPartyCouncil(example_document)


@pytest.fixture
def installed() -> Iterator[None]:
    # The bundled councils, loaded through their entry points as an installation would.
    with plugins_for_tests(load_entry_points=True):
        yield


def _swindon_results(audits: list[Audit]) -> tuple[tuple[str, ...], list[tuple[str, date]]]:
    swindon = load_profile("swindon", as_of=QUARTER.end)
    chosen = select_for_moderation(swindon, audits, QUARTER, seed=3).audit_ids
    raised = evaluate_escalations_bulk(audits, profile_resolver("swindon"), as_of=QUARTER.end)
    deadlines = sorted((e.audit_id, e.deadline) for e in raised if e.deadline is not None)
    return chosen, deadlines


def test_a_third_party_plugin_leaves_another_council_alone(
    swindon_audits: list[Audit], third_party: ThirdPartyCouncil
) -> None:
    with plugins_for_tests(load_entry_points=True):
        before = _swindon_results(swindon_audits)
    with plugins_for_tests(third_party, load_entry_points=True):
        after = _swindon_results(swindon_audits)
        # Swindon's own profile still validates: the third party's check is its own.
        load_profile("swindon")
    assert before[0]  # Swindon moderates a proportion of the quarter's audits
    assert len(before[0]) < len(swindon_audits)
    assert before[1]
    assert after == before


def test_a_plugin_acts_on_the_profiles_it_registers(
    example_document: dict[str, Any], third_party: ThirdPartyCouncil
) -> None:
    with (
        plugins_for_tests(third_party),
        pytest.raises(ProfileError, match="every council must audit on Tuesdays"),
    ):
        load_profile("exampleshire")
    with plugins_for_tests(_without_validation(example_document)):
        own = load_profile("exampleshire")
        policy = own.moderation[0]
        rule = next(r for r in policy.selection if r.proportion is not None)
        assert own.behaviour.moderation_sample_size(own, policy, rule, 40) == 40
        calendar = own.behaviour.working_calendar(own)
        assert calendar.name == "Third-party calendar"


def _without_validation(source: Any) -> ThirdPartyCouncil:
    class Lenient(ThirdPartyCouncil):
        @hookimpl
        def validate_profile(self, profile: Profile) -> list[Problem] | None:
            return None

    return Lenient(source)


def test_a_global_plugin_acts_on_every_council(example_document: dict[str, Any]) -> None:
    plugin = _without_validation(example_document)
    plugin.qaframework_global = True  # type: ignore[attr-defined]
    with plugins_for_tests(plugin, load_entry_points=True):
        swindon = load_profile("swindon", as_of=QUARTER.end)
        policy = swindon.moderation[0]
        rule = next(r for r in policy.selection if r.proportion is not None)
        assert swindon.behaviour.moderation_sample_size(swindon, policy, rule, 40) == 40
        assert swindon.behaviour.working_calendar(swindon).name == "Third-party calendar"


def test_a_profile_built_from_data_answers_to_global_plugins_only(
    example_profile: Profile,
) -> None:
    # example_profile was validated outside the registry: no plugin registered it.
    policy = example_profile.moderation[0]
    rule = next(r for r in policy.selection if r.proportion is not None)
    with plugins_for_tests(_without_validation(example_profile)):
        size = example_profile.behaviour.moderation_sample_size(example_profile, policy, rule, 40)
    assert size == rule.sample_size(40)


def test_plugins_says_which_is_global(example_document: dict[str, Any]) -> None:
    scoped = _without_validation(example_document)
    everywhere = _without_validation(example_document)
    everywhere.qaframework_global = True  # type: ignore[attr-defined]
    with plugins_for_tests(scoped, everywhere):
        infos = {i.name: i for i in list_plugins()}
    builtin = infos["qaframework.profiles.builtin"]
    assert builtin.is_global
    assert builtin.scope == "global"
    scopes = sorted(i.scope for name, i in infos.items() if not i.builtin)
    assert scopes == ["global", "own profiles"]


def test_the_plugins_command_shows_the_scope(
    installed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plugins", "--format", "json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["qaframework.profiles.builtin"]["scope"] == "global"
    assert rows["swindon"]["scope"] == "own profiles"
    assert rows["swindon"]["profiles"] == ["swindon"]
