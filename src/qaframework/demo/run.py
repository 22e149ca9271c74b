"""One whole QA cycle for an installed profile, end to end: what ``qaframework demo`` runs.

:func:`run_cycle` makes a council's synthetic data (:func:`~qaframework.demo.example_data`,
over :func:`~qaframework.demo.demo_period`), then runs the cycle on it in order:

1. sample the case list for the main graded audit activity's first cycle of the period,
   under the version then in force (:func:`~qaframework.demo.draw_sample`);
2. choose the audits to moderate and record the moderations
   (:func:`~qaframework.demo.moderate`);
3. evaluate the escalations, their state and the child of concern tracker
   (:func:`~qaframework.demo.escalate`);
4. follow the actions up (:func:`~qaframework.engine.actions.ledger.action_ledger`) and the
obligations
   owed per supervisee, child or role holder
   (:func:`~qaframework.engine.obligations.obligations_due`);
5. build the cycle report (:func:`~qaframework.engine.report.build_cycle_report`), its trend
   over the period and the five before it (:func:`~qaframework.demo.history_data`: the
   audits of each earlier period a version of the profile governs throughout; any other is
   shown as no data).

Everything is as of the period's last day, and the same profile, seed and period give the
same :class:`DemoCycle`: nothing reads the clock. Writing the report is left to the caller
(:func:`qaframework.render.render_report`).
"""

from __future__ import annotations

from datetime import date

import attrs

from qaframework.demo.cycle import (
    EscalationStep,
    ModerationStep,
    SampleStep,
    draw_sample,
    escalate,
    moderate,
)
from qaframework.demo.examples import EXAMPLE_SEED, demo_period, example_data, history_data
from qaframework.demo.synthetic import SyntheticData
from qaframework.engine.actions.ledger import ActionLedger, action_ledger
from qaframework.engine.audits import Audit
from qaframework.engine.obligations import SubjectObligation, obligations_due
from qaframework.engine.periods import Period
from qaframework.engine.report import CycleReport, build_cycle_report
from qaframework.policy.profile import Profile
from qaframework.profiles.registry import get_registry, profile_resolver

__all__ = ["DemoCycle", "run_cycle"]


@attrs.frozen
class DemoCycle:
    """One council's QA cycle, end to end, on synthetic data.

    ``profile`` is the version in force on ``as_of`` (the period's last day), the one the
    report is made under; ``data`` the synthetic case list, audits and activity log of
    ``period``, and ``history`` the audits of the periods before it that the report's trend
    counts (:func:`~qaframework.demo.history_data`). Then each step's result in order: the
    ``sample`` drawn, the ``moderation`` recorded, the ``escalations`` evaluated, the
    ``actions`` and ``obligations`` as of ``as_of``, and the cycle ``report`` on the
    moderated audits (exact counts: publish it with
    :meth:`~qaframework.engine.report.CycleReport.publishable` before showing it).
    """

    profile: Profile
    period: Period
    as_of: date
    seed: int
    data: SyntheticData
    sample: SampleStep
    moderation: ModerationStep
    escalations: EscalationStep
    actions: ActionLedger
    obligations: tuple[SubjectObligation, ...]
    report: CycleReport
    history: tuple[Audit, ...] = ()


def run_cycle(
    profile_id: str, *, seed: int = EXAMPLE_SEED, period: Period | None = None
) -> DemoCycle:
    """Run one whole QA cycle for an installed profile on its synthetic data (see the module
    docstring). ``period`` is :func:`~qaframework.demo.demo_period`'s when None; every day
    of it must be under a version of the profile.

    Raises :class:`~qaframework.errors.UnknownProfile` for a profile not installed,
    :class:`~qaframework.demo.DemoError` when no period can be found, and the errors of the
    steps for a profile whose data they cannot run on.
    """
    registry = get_registry()
    registry.info(profile_id)
    chosen = period if period is not None else demo_period(profile_id)
    as_of = chosen.end

    resolve = profile_resolver(profile_id)

    _first, data = example_data(profile_id, seed=seed, period=chosen)
    profile = resolve(as_of)
    sample = draw_sample(resolve(chosen.start), data.cases, data.audits, chosen, seed=seed)
    versions = registry.versions_between(profile_id, chosen.start, chosen.end)
    moderation = moderate(versions, data.audits, resolve, seed=seed)
    audits = moderation.audits
    escalations = escalate(audits, resolve, as_of=as_of)
    actions = action_ledger(audits, as_of=as_of)
    obligations = obligations_due(
        profile, data.log, as_of=as_of, roster=data.roster(profile), since=chosen.start
    )
    _earlier, history = history_data(profile_id, seed=seed, period=chosen)
    report = build_cycle_report(
        [*history, *audits], resolve, chosen, as_of=as_of, escalations=escalations.raised
    )
    return DemoCycle(
        profile,
        chosen,
        as_of,
        seed,
        data,
        sample,
        moderation,
        escalations,
        actions,
        obligations,
        report,
        history,
    )
