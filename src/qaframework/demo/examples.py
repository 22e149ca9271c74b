"""The settings of the bundled example data, the same in ``examples/generate.py`` and the demo.

The files under the repository's ``examples/`` are synthetic data
(:mod:`qaframework.demo.synthetic`) for one financial quarter, :data:`EXAMPLE_PERIOD`, made with the
seed :data:`EXAMPLE_SEED` for each council of :data:`EXAMPLE_COUNCILS`, organised as its
organisation file says (``organisations/<council>.toml`` beside this module, copied to
``examples/<council>/organisation.toml``). ``examples/generate.py`` writes the files with
these settings, and ``qaframework demo`` makes the same data in memory with
:func:`example_data`, so an installed package, which does not ship ``examples/``,
demonstrates on exactly the data of the files.

Any other installed profile (a third-party council's) is demonstrated on the same kind of
data: :meth:`~qaframework.demo.synthetic.Organisation.generic`'s service areas, over
:func:`demo_period`, the example quarter when the profile governs it and otherwise the
financial quarter nearest it that the profile governs.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib.resources import files

import attrs

from qaframework.demo.cycle import DemoError
from qaframework.demo.synthetic import Organisation, SyntheticData, generate
from qaframework.engine.audits import Audit
from qaframework.engine.periods import FinancialQuarter, Period
from qaframework.engine.report import previous_period
from qaframework.policy.profile import Profile
from qaframework.profiles.registry import VersionInfo, get_registry

__all__ = [
    "EXAMPLE_COUNCILS",
    "EXAMPLE_PERIOD",
    "EXAMPLE_SEED",
    "HISTORY",
    "demo_period",
    "example_data",
    "example_organisation",
    "history_data",
    "organisation_text",
]

EXAMPLE_SEED = 20260401
"""The seed of the bundled example data."""

EXAMPLE_PERIOD = Period(date(2026, 4, 1), date(2026, 6, 30), "2026-27 Q1")
"""The window the example data covers: the financial quarter 2026-27 Q1."""

_DAY = timedelta(days=1)

EXAMPLE_COUNCILS = ("bolton", "manchester", "swindon", "telford")
"""The councils with an organisation file, whose example files ship in ``examples/``."""


def organisation_text(profile_id: str) -> str | None:
    """The organisation file of a council of :data:`EXAMPLE_COUNCILS` as written (TOML, with
    its comments on where the service areas come from); None for any other profile."""
    if profile_id not in EXAMPLE_COUNCILS:
        return None
    return (files(__package__) / "organisations" / f"{profile_id}.toml").read_text("utf-8")


def example_organisation(profile_id: str) -> Organisation:
    """How the example data's council is organised: its organisation file, or
    :meth:`Organisation.generic` for a profile without one."""
    import tomllib

    text = organisation_text(profile_id)
    if text is None:
        return Organisation.generic()
    return Organisation.from_document(
        tomllib.loads(text), f"qaframework/demo/organisations/{profile_id}.toml"
    )


def example_data(
    profile_id: str, *, seed: int = EXAMPLE_SEED, period: Period = EXAMPLE_PERIOD
) -> tuple[Profile, SyntheticData]:
    """The synthetic data of a council's example files, and the profile version in force on
    the period's first day.

    Every installed version of the profile takes part (each governs its own days); the
    organisation is :func:`example_organisation`'s. With the defaults this is the data of
    ``examples/<council>/``. Raises :class:`~qaframework.demo.synthetic.SyntheticError` when no
    version is in force on a day of the period.
    """
    versions = get_registry().load_all_versions(profile_id)
    data = generate(
        versions, period.start, period.end, seed=seed, organisation=example_organisation(profile_id)
    )
    # generate() has checked that a version governs the first day.
    in_force = max(
        (v for v in versions if v.effective_from <= period.start), key=lambda v: v.effective_from
    )
    return in_force, data


HISTORY = 5
"""How many periods before the demo's period the demo makes audits for: its trend then
covers six periods, so that it means something."""


def history_data(
    profile_id: str,
    *,
    seed: int = EXAMPLE_SEED,
    period: Period = EXAMPLE_PERIOD,
    periods: int = HISTORY,
) -> tuple[tuple[Period, ...], tuple[Audit, ...]]:
    """Synthetic audits of the ``periods`` periods before ``period`` (each the one before
    the next, as a report's trend steps back), for the trend of the demo's report.

    Each period that a version of the profile governs throughout is made as
    :func:`example_data` makes the period's audits (the same organisation; the seed moved
    on by the period's place), its audit ids prefixed ``H1-`` for the period before,
    ``H2-`` for the one before that, and so on. Its audits carry grades and judgements for
    the trend, and no actions: the demo's actions and escalations are its period's. A
    period no version governs throughout (before a framework began, or in a gap between
    versions) has no audits: the report shows it as no data. Returns the periods made and
    their audits, oldest first.
    """
    versions = get_registry().load_all_versions(profile_id)
    governing = get_registry().info(profile_id).versions
    organisation = example_organisation(profile_id)
    made: list[tuple[Period, list[Audit]]] = []
    window = period
    for place in range(1, periods + 1):
        window = previous_period(window)
        if not _governs(governing, window):
            continue
        data = generate(
            versions, window.start, window.end, seed=seed + place, organisation=organisation
        )
        made.append(
            (
                window,
                [attrs.evolve(a, id=f"H{place}-{a.id}", actions=()) for a in data.audits],
            )
        )
    made.reverse()
    return (
        tuple(window for window, _ in made),
        tuple(audit for _, audits in made for audit in audits),
    )


def _governs(versions: tuple[VersionInfo, ...], period: Period) -> bool:
    """Whether every day of ``period`` falls under one of ``versions``."""
    covered = period.start  # the first day not yet known to be governed
    for version in sorted(versions, key=lambda v: v.effective_from):
        if version.effective_from > covered:
            break
        if version.in_force_to is None:
            return True
        covered = max(covered, version.in_force_to + _DAY)
        if covered > period.end:
            return True
    return False


def demo_period(profile_id: str) -> Period:
    """The period the demo runs a profile's cycle over: :data:`EXAMPLE_PERIOD` when a
    version of the profile is in force on each of its days, otherwise the financial quarter
    nearest it (the earlier of two as near) that the profile's versions govern throughout.

    Raises :class:`~qaframework.errors.UnknownProfile` for a profile not installed and
    :class:`~qaframework.demo.DemoError` when no financial quarter is wholly
    governed (a version in force for less than a quarter, with nothing after it).
    """
    versions = get_registry().info(profile_id).versions
    if _governs(versions, EXAMPLE_PERIOD):
        return EXAMPLE_PERIOD
    first = FinancialQuarter.containing(min(v.effective_from for v in versions))
    last_day = max(v.effective_from if v.in_force_to is None else v.in_force_to for v in versions)
    last = FinancialQuarter.containing(last_day).next()
    found: list[Period] = []
    quarter = first
    while quarter.start <= last.start:
        if _governs(versions, quarter.period()):
            found.append(quarter.period())
        quarter = quarter.next()
    if not found:
        raise DemoError(
            f"no financial quarter is wholly under a version of profile {profile_id!r}: "
            "the demo needs one"
        )
    return min(found, key=lambda p: (abs((p.start - EXAMPLE_PERIOD.start).days), p.start))
