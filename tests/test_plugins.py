"""The plugin manager, the allow-list and the default hooks (``qaframework.profiles.plugins``)."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import pytest

from qaframework import hookimpl
from qaframework.policy.moderation import ModerationPolicy, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar, england_and_wales
from qaframework.profiles import cache as profile_cache
from qaframework.profiles.plugins import (
    DEFAULT_PLUGINS,
    ENV_ALLOW_LIST,
    generation,
    get_plugin_manager,
    list_plugins,
    plugins_for_tests,
    register_plugin,
    unregister_plugin,
)

COUNCILS = ("bolton", "manchester", "swindon", "telford")
BUILTIN = "qaframework.profiles.builtin"


class FixedSample:
    """Moderates a fixed number of audits, whatever the rule says."""

    def __init__(self, size: int | None) -> None:
        self.size = size

    @hookimpl
    def moderation_sample_size(
        self, profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
    ) -> int | None:
        return self.size


class Wales:
    @hookimpl
    def working_calendar(self, profile: Profile) -> WorkingCalendar:
        return WorkingCalendar("Wales", subdivision="WLS")


def names() -> list[str]:
    return [info.name for info in list_plugins()]


def test_tests_start_with_the_builtins_only() -> None:
    with plugins_for_tests():
        assert names() == [BUILTIN]
        (info,) = list_plugins()
        assert info.builtin
        assert info.distribution is None
        assert info.hooks == ("moderation_sample_size", "working_calendar")
    assert DEFAULT_PLUGINS == (BUILTIN,)


def test_plugins_for_tests_registers_the_given_plugins() -> None:
    with plugins_for_tests(Wales()) as pm:
        assert pm is get_plugin_manager()
        infos = list_plugins()
        assert [i.builtin for i in infos] == [True, False]
        assert infos[1].hooks == ("working_calendar",)


def test_the_previous_manager_is_restored() -> None:
    with plugins_for_tests() as outer:
        with plugins_for_tests(Wales()) as inner:
            assert inner is not outer
            assert len(names()) == 2
        assert get_plugin_manager() is outer
        assert names() == [BUILTIN]


@pytest.mark.parametrize(
    ("allow", "expected"),
    [
        (None, COUNCILS),
        ("bolton", ("bolton",)),
        ("bolton,qaframework-swindon", ("bolton", "swindon")),
        (" telford , ", ("telford",)),
        ("qaframework-manchester", ("manchester",)),
        ("QAFramework_Swindon", ("swindon",)),
        ("", ()),
        ("nobody", ()),
    ],
)
def test_entry_points_and_the_allow_list(
    monkeypatch: pytest.MonkeyPatch, allow: str | None, expected: tuple[str, ...]
) -> None:
    if allow is None:
        monkeypatch.delenv(ENV_ALLOW_LIST, raising=False)
    else:
        monkeypatch.setenv(ENV_ALLOW_LIST, allow)
    with plugins_for_tests(load_entry_points=True):
        assert names() == [BUILTIN, *expected]


def test_installed_plugins_name_their_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ALLOW_LIST, "bolton")
    with plugins_for_tests(load_entry_points=True):
        info = list_plugins()[1]
        assert info.name == "bolton"
        assert info.distribution == "qaframework-bolton"
        assert info.version == version("qaframework-bolton")
        assert info.hooks == ("register_profiles",)
        assert not info.builtin


def test_entry_points_do_not_load_in_tests_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_ALLOW_LIST, raising=False)
    with plugins_for_tests():
        assert not set(COUNCILS) & set(names())


def test_register_and_unregister() -> None:
    with plugins_for_tests():
        before = generation()
        name = register_plugin(Wales(), name="wales")
        assert name == "wales"
        assert "wales" in names()
        assert generation() != before
        middle = generation()
        unregister_plugin("wales")
        assert "wales" not in names()
        assert generation() != middle
        with pytest.raises(KeyError, match="no plugin named 'wales'"):
            unregister_plugin("wales")


def test_a_plugin_name_cannot_be_registered_twice() -> None:
    with plugins_for_tests():
        register_plugin(Wales(), name="wales")
        with pytest.raises(ValueError, match="already registered"):
            register_plugin(Wales(), name="wales")


def test_a_blocked_plugin_is_refused() -> None:
    with plugins_for_tests() as pm:
        pm.set_blocked("wales")
        with pytest.raises(ValueError, match="blocked"):
            register_plugin(Wales(), name="wales")


def _sample_size(example_profile: Profile, audit_count: int) -> Any:
    policy = example_profile.moderation[0]
    return get_plugin_manager().hook.moderation_sample_size(
        profile=example_profile, policy=policy, rule=policy.selection[0], audit_count=audit_count
    )


def test_default_moderation_sample_size(example_profile: Profile) -> None:
    with plugins_for_tests():
        assert _sample_size(example_profile, 20) == 2
        assert _sample_size(example_profile, 5) == 1  # the rule's minimum of 1
        assert _sample_size(example_profile, 0) == 0


def test_a_plugin_overrides_the_sample_size(example_profile: Profile) -> None:
    with plugins_for_tests(FixedSample(7)):
        assert _sample_size(example_profile, 20) == 7
    with plugins_for_tests(FixedSample(None)):
        assert _sample_size(example_profile, 20) == 2  # no answer: the core default


def test_default_working_calendar(example_profile: Profile) -> None:
    with plugins_for_tests():
        found = get_plugin_manager().hook.working_calendar(profile=example_profile)
        # England and Wales, its days kept in the profile cache between runs.
        assert found == england_and_wales()
        assert found.holidays_source is profile_cache.bank_holidays


def test_a_plugin_overrides_the_working_calendar(example_profile: Profile) -> None:
    with plugins_for_tests(Wales()):
        found = get_plugin_manager().hook.working_calendar(profile=example_profile)
        assert found.name == "Wales"
        assert found.subdivision == "WLS"
