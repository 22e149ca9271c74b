"""The hooks a qaframework plugin can implement. Read this page to write a plugin.

A council profile is a plugin: a module registered under the ``qaframework`` entry-point
group that implements :func:`register_profiles`. Behaviour hooks let a council replace a
core rule where the rule is logic rather than a value; each has a core default, so a plugin
implements only what it changes. A plugin's behaviour hooks and its ``validate_profile`` are
called only for the profiles it registers, never for another council's, unless the plugin
declares itself global with ``qaframework_global = True`` (see
:mod:`qaframework.profiles.plugins`). Implement a hook with :data:`qaframework.hookimpl`::

    from importlib.resources import files
    from qaframework import hookimpl

    @hookimpl
    def register_profiles(register):
        register(files(__package__) / "data" / "2026-01.toml")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from qaframework.errors import Problem
    from qaframework.policy.moderation import ModerationPolicy, SelectionRule
    from qaframework.policy.profile import Profile
    from qaframework.policy.workdays import WorkingCalendar

hookspec = pluggy.HookspecMarker("qaframework")
hookimpl = pluggy.HookimplMarker("qaframework")


@hookspec
def register_profiles(register: Callable[[Any], None]) -> None:
    """Register profile versions by calling ``register(source)`` once for each.

    ``source`` is a profile data file (a :class:`pathlib.Path` or an
    :mod:`importlib.resources` file, ``.toml`` or ``.json``), a mapping holding a profile
    document, or a built :class:`~qaframework.policy.profile.Profile`. Files are read when the
    profile list is first asked for and validated when the version is loaded.
    """


@hookspec
def validate_profile(profile: Profile) -> list[Problem] | None:
    """Problems a plugin finds in a loaded profile beyond the core checks (None if none)."""


@hookspec(firstresult=True)
def working_calendar(profile: Profile) -> WorkingCalendar | None:
    """The working-day calendar deadlines are counted in for ``profile``.

    The core default is England and Wales bank holidays.
    """


@hookspec(firstresult=True)
def moderation_sample_size(
    profile: Profile, policy: ModerationPolicy, rule: SelectionRule, audit_count: int
) -> int | None:
    """How many of a cycle's ``audit_count`` audits a proportional selection moderates.

    The core default rounds ``rule.proportion`` of the count up and holds it between the
    rule's minimum and maximum.
    """
