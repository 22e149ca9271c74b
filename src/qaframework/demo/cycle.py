"""One QA cycle, step by step: what ``qaframework demo`` does with each council's data.

A cycle starts from a council's case list, its audits and its activity log. The steps here
are the ones that need a decision the profile leaves to whoever runs the cycle:

- :func:`draw_sample` samples the case list for the council's main graded audit activity
  (:func:`main_activity`) under the activity's own sampling rule
  (:func:`~qaframework.engine.sampling.sample_for_activity`), and says in words what it had to
  assume where the rule leaves something open (a size, who holds a quota); it never invents
  the focus of a purposive rule the profile states only in prose;
- :func:`moderate` chooses the audits to moderate under the profile's moderation policies
  (:func:`~qaframework.engine.moderation.select_for_moderation`) as they stood before any
  moderation, then records the moderations the data holds
  (:func:`~qaframework.engine.moderation.record_moderation`), each checked against its policy;
- :func:`escalate` evaluates the escalation policy
  (:func:`~qaframework.engine.escalation.evaluate_escalations_bulk`): each escalation's state on the
  day, the child of concern tracker and the urgent safety concerns.

Actions, obligations and the cycle report need no such decision: the demo calls
:func:`~qaframework.engine.actions.ledger.action_ledger`,
:func:`~qaframework.engine.obligations.obligations_due` and
:func:`~qaframework.engine.report.build_cycle_report` directly. Nothing here reads a file or the
clock: dates come in as arguments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

import attrs

from qaframework.engine.actions.tracker import (
    EscalationState,
    EscalationStatus,
    TrackerEntry,
    child_of_concern_tracker,
    escalation_states,
)
from qaframework.engine.audits import Audit
from qaframework.engine.escalation import Escalation, evaluate_escalations_bulk
from qaframework.engine.moderation import (
    ModerationSelection,
    record_moderation,
    select_for_moderation,
)
from qaframework.engine.periods import Period
from qaframework.engine.report import council_cycle
from qaframework.engine.sampling import (
    Sample,
    SamplingError,
    sample_for_activity,
    simple_random,
)
from qaframework.errors import QAFrameworkError
from qaframework.policy.activities import Activity
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case, SamplingMethod

__all__ = [
    "DemoError",
    "EscalationStep",
    "ModerationStep",
    "SampleStep",
    "draw_sample",
    "escalate",
    "main_activity",
    "moderate",
]

Resolver = Callable[[date], Profile]


class DemoError(QAFrameworkError, ValueError):
    """A step of the cycle cannot be run on what was given; the message says why."""


def _cycle_days(activity: Activity) -> float:
    every = activity.cadence.every
    return every.approximate_days if every is not None else float("inf")


def main_activity(profile: Profile) -> Activity:
    """The council's main graded audit activity: the graded activity with the shortest
    periodic cadence, the one whose cycle
    :func:`~qaframework.engine.report.council_cycle` reports on (the first in the profile's
    order on a tie, or the first graded activity when none is periodic). Raises
    :class:`DemoError` for a profile with no graded activity."""
    graded = [a for a in profile.activities if a.graded]
    if not graded:
        raise DemoError(f"profile {profile.label} has no graded activity: nothing is audited")
    return min(graded, key=_cycle_days)


@attrs.frozen
class SampleStep:
    """The cases drawn for a council's main graded audit activity, for one cycle.

    ``cycle`` is the activity's cycle holding the period's first day (the period itself for
    an activity with no periodic cadence); the sample is drawn as of its first day.
    ``assumed`` says in words what the profile's rule left open and was assumed.
    ``sample`` is None when nothing could be drawn; ``assumed`` then ends with why.
    """

    activity: Activity
    cycle: Period
    sample: Sample | None
    assumed: tuple[str, ...]


def draw_sample(
    profile: Profile,
    cases: Sequence[Case],
    audits: Sequence[Audit],
    period: Period,
    *,
    seed: int,
) -> SampleStep:
    """Sample ``cases`` for the main graded activity's first cycle of ``period`` under its
    profile's sampling rule (see the module docstring).

    What the rule leaves open is assumed, and said:

    - a rule with no size, or one whose size is not stated (or no rule at all), draws as
      many cases as ``audits`` holds of the activity in the cycle: the audits the council did;
    - a profile with no sampling rule for the activity draws a simple random sample;
    - a rule's filter, where the profile states one, keeps the cases it describes (and the
      step says so); a purposive rule whose criteria are prose only, with no filter, draws
      nothing: any focus the demo chose could contradict the profile's criteria;
    - a quota per role, with no list of who holds the role, takes each team as one holder
      (of each role, when the rule owes a count per several roles).

    ``audits`` also give the children audited before, for a rule that leaves them out. A
    rule that selects by case events, or that cannot be applied to the list, draws nothing.
    """
    activity = main_activity(profile)
    cycle = (
        council_cycle(profile, period.start, activity=activity.id)
        if activity.cadence.every is not None
        else period
    )
    assumed: list[str] = []
    try:
        sample = _draw(profile, activity, cycle, cases, audits, seed, assumed)
    except SamplingError as error:
        return SampleStep(activity, cycle, None, (*assumed, f"nothing drawn: {error}"))
    return SampleStep(activity, cycle, sample, tuple(assumed))


def _draw(
    profile: Profile,
    activity: Activity,
    cycle: Period,
    cases: Sequence[Case],
    audits: Sequence[Audit],
    seed: int,
    assumed: list[str],
) -> Sample:
    """The sample :func:`draw_sample` draws, adding what it assumed to ``assumed``."""
    held = sum(1 for a in audits if a.activity == activity.id and a.audit_date in cycle)
    size = f"{held}, the {activity.name} the audits hold for the cycle"

    def sized() -> int:
        if not held:
            raise SamplingError(f"the audits hold no {activity.name} for the cycle to size it by")
        return held

    rule = activity.sampling
    if rule is None:
        assumed.append(
            f"{profile.authority}'s profile gives no sampling rule for {activity.name}: "
            f"a simple random sample of {size}"
        )
        return simple_random(cases, sized(), seed=seed)
    n: int | None = None
    holders: dict[str, dict[str, str]] | None = None
    sizes = rule.sizes
    per_role = sizes[0].per_role if len(sizes) == 1 else None
    if rule.filter is not None:
        assumed.append(f"only cases where {rule.filter.describe()}, as the profile's rule states")
    if rule.method is SamplingMethod.PURPOSIVE and rule.filter is None:
        # The criteria are prose: any focus the demo chose could contradict them.
        raise SamplingError(
            f"the rule's criteria are prose ({rule.criteria or 'none given'}) and the profile "
            "states no filter: the demo draws no sample rather than invent a focus"
        )
    if len(sizes) > 1:
        teams = sorted({case.team for case in cases if case.team})
        titles = " and one ".join(profile.role(q.per_role).title for q in sizes if q.per_role)
        holders = {
            q.per_role: {f"{team} ({q.per_role})": team for team in teams}
            for q in sizes
            if q.per_role is not None
        }
        assumed.append(f"no list of who holds the roles: each team stands for one {titles}")
    elif rule.method is SamplingMethod.QUOTA_PER_ROLE or per_role is not None:
        title = profile.role(per_role).title if per_role is not None else "role holder"
        assumed.append(f"no list of who holds the role: each team stands for one {title}")
    elif (
        not sizes
        and rule.method is not SamplingMethod.EVENT
        and rule.method is not SamplingMethod.PURPOSIVE
    ):
        assumed.append(f"the rule gives no size: {size}")
        n = sized()
    elif (
        len(sizes) == 1
        and sizes[0].stated_count is None
        and rule.method is not SamplingMethod.EVENT
    ):
        assumed.append(f"the profile does not state the sample size: {size}")
        n = sized()
    return sample_for_activity(
        profile,
        activity.id,
        cases,
        as_of=cycle.start,
        seed=seed,
        audited=[(a.child_id, a.audit_date) for a in audits],
        n=n,
        holders=holders,
        period=cycle.label,
    )


@attrs.frozen
class ModerationStep:
    """The audits chosen for moderation, and the data's moderations recorded on them.

    ``selections`` has one selection per profile version governing part of the period.
    ``audits`` are the audits as given, each moderation recorded afresh through
    :func:`~qaframework.engine.moderation.record_moderation`. ``selected`` audits were chosen, of
    which ``selected_moderated`` hold a moderation; ``moderated`` audits hold one in all;
    ``outcomes`` counts the recorded moderations by outcome (agree, upgrade, downgrade).
    """

    selections: tuple[ModerationSelection, ...]
    audits: tuple[Audit, ...]
    selected: int
    moderated: int
    selected_moderated: int
    outcomes: tuple[tuple[ModerationOutcome, int], ...]

    @property
    def recorded(self) -> int:
        """How many moderations were recorded."""
        return sum(count for _outcome, count in self.outcomes)


def moderate(
    versions: Sequence[tuple[Profile, date, date]],
    audits: Sequence[Audit],
    resolve: Resolver,
    *,
    seed: int,
) -> ModerationStep:
    """Choose the audits to moderate, then record the moderations ``audits`` hold.

    ``versions`` are the profile versions governing the period, each with its first and
    last day (:meth:`~qaframework.profiles.registry.ProfileRegistry.versions_between`): each chooses
    from the audits of its days, as they were before any moderation, with ``seed``. Each
    moderation of an audit is then recorded in order under the version in force on the
    audit's date (``resolve``), which checks it against the moderation policy: a
    moderation the policy does not allow raises
    :class:`~qaframework.engine.moderation.ModerationError`.
    """
    unmoderated = [attrs.evolve(a, moderations=()) if a.moderations else a for a in audits]
    selections = tuple(
        select_for_moderation(profile, unmoderated, Period(first, last), seed=seed)
        for profile, first, last in versions
    )
    recorded: list[Audit] = []
    outcomes: Counter[ModerationOutcome] = Counter()
    for audit, bare in zip(audits, unmoderated, strict=True):
        current = bare
        for record in audit.moderations:
            current = record_moderation(
                resolve(audit.audit_date),
                current,
                moderator=record.moderator,
                role=record.role,
                grade=record.grade,
                on=record.on,
                rationale=record.rationale,
            )
            outcomes[current.moderations[-1].outcome] += 1
        recorded.append(current)
    chosen = {audit_id for s in selections for audit_id in s.audit_ids}
    moderated = {a.id for a in recorded if a.moderations}
    return ModerationStep(
        selections,
        tuple(recorded),
        len(chosen),
        len(moderated),
        len(chosen & moderated),
        tuple((outcome, outcomes[outcome]) for outcome in ModerationOutcome),
    )


@attrs.frozen
class EscalationStep:
    """The escalations raised for a cycle's audits and where they stood on a day.

    ``states`` has each escalation raised on or before the day with its state; ``tracker``
    the children on a child of concern tracker that day.
    """

    as_of: date
    raised: tuple[Escalation, ...]
    states: tuple[EscalationState, ...]
    tracker: tuple[TrackerEntry, ...]

    @property
    def open(self) -> int:
        """How many escalations were open on the day."""
        return sum(1 for s in self.states if s.status is EscalationStatus.OPEN)

    @property
    def urgent(self) -> tuple[EscalationState, ...]:
        """The escalations of urgent safety concerns, open or closed."""
        return tuple(s for s in self.states if s.escalation.concern is Concern.URGENT_SAFETY)


def escalate(audits: Sequence[Audit], resolve: Resolver, *, as_of: date) -> EscalationStep:
    """Evaluate the escalation policy for ``audits`` as of ``as_of``, each audit under the
    version in force on its date (``resolve``), with each escalation's state and the child
    of concern tracker on that day."""
    raised = evaluate_escalations_bulk(audits, resolve, as_of=as_of)
    return EscalationStep(
        as_of,
        tuple(raised),
        escalation_states(raised, audits, resolve, as_of=as_of),
        child_of_concern_tracker(raised, audits, resolve, as_of=as_of),
    )
