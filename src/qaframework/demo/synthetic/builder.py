"""Generating: :func:`generate`, and the audits, moderations, actions and activity log of
each profile version over the days it governs."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta

import attrs

from qaframework.demo.synthetic.cases import _cases
from qaframework.demo.synthetic.data import LoggedActivity, SyntheticData
from qaframework.demo.synthetic.draws import _Draw
from qaframework.demo.synthetic.grades import (
    _FEEDBACK,
    _HEALTH,
    _JUDGEMENT_STEP,
    _MODERATION_STEP,
    _PRACTICE,
    _TEAM_SPREAD,
    _URGENT_SAFETY,
    _Grader,
)
from qaframework.demo.synthetic.organisation import Organisation, StaffMember, SyntheticError
from qaframework.demo.synthetic.phrases import _MODERATION_NOTES, _RATIONALE, _phrases
from qaframework.demo.synthetic.workforce import (
    _AUDITOR_WEIGHT,
    _AUDITORS,
    _AUDITS,
    _CHILDREN,
    _SUPERVISEES,
    _subject_ids,
    _Workforce,
)
from qaframework.engine._collector import paused_gc
from qaframework.engine.actions.ledger import ActionDates, action_timescale_for, smart_action_dates
from qaframework.engine.audits import Audit, AuditAction, Judgement
from qaframework.engine.escalation import working_calendar_for
from qaframework.engine.moderation import record_moderation, select_for_moderation
from qaframework.engine.obligations import Obligation, WindowKind, obligations
from qaframework.engine.periods import Period
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import Activity, ActivityKind, FeedbackSource
from qaframework.policy.cadence import CadenceKind, IsoDuration
from qaframework.policy.escalation import Concern, TriggerKind
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case
from qaframework.policy.workdays import WorkingCalendar

__all__ = ["generate"]


_DAY = timedelta(days=1)
_DAYS_PER_MONTH = 365.2425 / 12


def generate(
    profile: Profile | Sequence[Profile],
    start: date,
    end: date,
    *,
    seed: int,
    organisation: Organisation | None = None,
) -> SyntheticData:
    """Synthetic case list, audits and activity log for a council from ``start`` to ``end``.

    ``profile`` is a profile version, or the versions of one profile (each governs from its
    ``effective_from`` to its ``effective_to`` or the next one's ``effective_from``); every
    day of the window must fall under one.
    ``organisation`` gives the service areas and teams (:meth:`Organisation.generic` when
    None). See the module docstring for what is made and how. Raises
    :class:`SyntheticError` when the window is empty or has a day no version governs.
    """
    versions = sorted(
        [profile] if isinstance(profile, Profile) else list(profile),
        key=lambda p: p.effective_from,
    )
    if not versions:
        raise SyntheticError("no profile version given")
    if len({p.id for p in versions}) > 1:
        raise SyntheticError("the versions given belong to different profiles")
    if end < start:
        raise SyntheticError(f"the window ends ({end}) before it starts ({start})")
    chosen = organisation if organisation is not None else Organisation.generic()
    segments: list[tuple[Profile, date, date]] = []
    for index, version in enumerate(versions):
        first = max(start, version.effective_from)
        last = end if version.effective_to is None else min(end, version.effective_to)
        if index + 1 < len(versions):
            last = min(last, versions[index + 1].effective_from - _DAY)
        if first <= last:
            segments.append((version, first, last))
    covered = start
    for _version, first, last in segments:
        if first > covered:
            break
        covered = last + _DAY
    if covered <= end:
        raise SyntheticError(
            f"no version of profile {versions[0].id!r} is in force on {covered}; give a "
            "window every day of which a version governs"
        )
    # Many records holding no cycles are built: the cycle collector would only walk them
    # again and again, so it is paused (and restored) while they are.
    with paused_gc():
        return _generate(segments, chosen, start, end, seed)


def _generate(
    segments: list[tuple[Profile, date, date]],
    organisation: Organisation,
    start: date,
    end: date,
    seed: int,
) -> SyntheticData:
    latest = segments[-1][0]
    cases = _cases(
        organisation, _Workforce(organisation, latest), latest.id[:1].upper(), start, seed
    )
    by_area: dict[str, list[Case]] = {}
    for case in cases:
        by_area.setdefault(case.service_area or "", []).append(case)
    team_effect = {
        team: _TEAM_SPREAD * _Draw(seed, "team", team).normal()
        for team, _area in organisation.teams
    }
    audits: list[Audit] = []
    log: list[LoggedActivity] = []
    not_logged: list[str] = []
    audited: set[str] = set()
    for version, first, last in segments:
        builder = _Builder(
            version, organisation, cases, by_area, team_effect, seed, first, last, end
        )
        made = builder.audits(audited, len(audits))
        audits.extend(made)
        entries, skipped = builder.log(made)
        log.extend(entries)
        not_logged.extend(a for a in skipped if a not in not_logged)
    log.sort(key=lambda e: (e.on, e.activity, e.subject, e.event or "", e.role or ""))
    return SyntheticData(
        profile_id=latest.id,
        seed=seed,
        start=start,
        end=end,
        organisation=organisation,
        staff=_Workforce(organisation, latest).everyone,
        cases=cases,
        audits=tuple(audits),
        log=tuple(log),
        not_logged=tuple(not_logged),
    )


class _Builder:
    """Audits and log entries for one profile version over the days it governs."""

    def __init__(
        self,
        profile: Profile,
        organisation: Organisation,
        cases: tuple[Case, ...],
        by_area: Mapping[str, list[Case]],
        team_effect: Mapping[str, float],
        seed: int,
        first: date,
        last: date,
        end: date,
    ) -> None:
        self.profile = profile
        self.organisation = organisation
        self.cases = cases
        self.by_area = by_area
        self.team_effect = team_effect
        self.seed = seed
        self.first = first
        self.last = last
        self.end = end
        self.people = _Workforce(organisation, profile)
        self.calendar: WorkingCalendar = working_calendar_for(profile)
        self.grader = _Grader(profile)
        self.days = [
            first + _DAY * n
            for n in range((last - first).days + 1)
            if self.calendar.is_working_day(first + _DAY * n)
        ] or [first]
        self.cycles: dict[tuple[str, date], str] = {}
        self.action_dates: dict[tuple[str, str, date], ActionDates] = {}

    # -- audits ----------------------------------------------------------------------------

    def audits(self, audited: set[str], numbered: int) -> list[Audit]:
        """The version's audits, moderated, with concerns and actions, in date order."""
        profile = self.profile
        planned: list[tuple[date, str, StaffMember]] = []
        for activity in profile.activities:
            if activity.graded:
                planned.extend(self._plan(activity))
        planned.sort(key=lambda item: (item[0], item[1], item[2].id))
        draw = _Draw(self.seed, profile.version, "audits")
        made = []
        for day, activity_id, auditor in planned:
            case = self._case_for(auditor, audited, draw)
            audited.add(case.child_id)
            numbered += 1
            made.append(
                self._audit(
                    f"{profile.id[:3].upper()}-{numbered:05d}",
                    profile.activity(activity_id),
                    day,
                    auditor,
                    case,
                    draw,
                )
            )
        moderated = self._moderate(made)
        return [self._with_actions(audit, draw) for audit in moderated]

    def _plan(self, activity: Activity) -> list[tuple[date, str, StaffMember]]:
        """When, and by whom, the activity's audits are done."""
        draw = _Draw(self.seed, self.profile.version, "plan", activity.id)
        planned: list[tuple[date, str, StaffMember]] = []
        # Each quota with a period, one per role where several roles owe their own count; a
        # quota whose count the profile does not state plans by the organisation's volume.
        quotas = [q for q in activity.quotas if q.period is not None and (q.stated_count or 0) > 0]
        for quota in quotas:
            assert quota.period is not None
            count = quota.stated_count
            assert count is not None
            if quota.per_role is not None:
                role_ids: tuple[str, ...] = (quota.per_role,)
            else:
                # A quota owed per auditor (or per anything else) is read as each auditor's.
                role_ids = activity.who
            anchor = activity.anchor or self.profile.schedule_anchor
            for window_start, window_end, share in self._windows(anchor, quota.period):
                for role_id in role_ids:
                    for person in self.people.holders(role_id):
                        top = quota.count_max if quota.count_max is not None else count
                        owed = draw.between(count, top)
                        # Most holders meet the quota; some miss one.
                        done = owed - (1 if draw.chance(0.08) else 0)
                        for _ in range(draw.count(done * share)):
                            planned.append(
                                (self._day_in(window_start, window_end, draw), activity.id, person)
                            )
        if quotas:
            return planned
        months = ((self.last - self.first).days + 1) / _DAYS_PER_MONTH
        if not activity.cadence.is_periodic:
            factor = 0.1
        elif activity.kind is ActivityKind.CASE_FILE_AUDIT:
            factor = 1.0
        else:
            factor = 0.25
        rate = self.organisation.audits_per_team_per_month * factor
        expected = rate * len(self.organisation.teams) * months
        roles = [r for r in activity.who if self.people.holders(r)]
        if not roles:
            return planned
        weights = [_AUDITOR_WEIGHT.get(self.profile.role(r).generic, 1.0) for r in roles]
        for _ in range(draw.count(expected)):
            role_id = roles[draw.weighted(weights)]
            person = draw.pick(self.people.holders(role_id))
            planned.append((draw.pick(self.days), activity.id, person))
        return planned

    def _windows(self, anchor: date, period: IsoDuration) -> list[tuple[date, date, float]]:
        """The quota's periods counted from ``anchor`` that overlap the version's days,
        cut to them, each with the share of its length that falls inside."""
        found: list[tuple[date, date, float]] = []
        k = math.floor((self.first - anchor).days / period.approximate_days) - 1
        while period.add_to(anchor, k) > self.first:
            k -= 1
        while True:
            opens = period.add_to(anchor, k)
            closes = period.add_to(anchor, k + 1) - _DAY
            if opens > self.last:
                return found
            if closes >= self.first:
                inside = (min(closes, self.last) - max(opens, self.first)).days + 1
                share = inside / ((closes - opens).days + 1)
                found.append((max(opens, self.first), min(closes, self.last), share))
            k += 1

    def _day_in(self, first: date, last: date, draw: _Draw) -> date:
        low = bisect.bisect_left(self.days, first)
        high = bisect.bisect_right(self.days, last)
        if low >= high:
            return first + _DAY * draw.below((last - first).days + 1)
        return self.days[low + draw.below(high - low)]

    def _case_for(self, auditor: StaffMember, audited: set[str], draw: _Draw) -> Case:
        """A case for the auditor: from their own service area where they sit in one, a
        child not yet audited in the window where possible, never their own case."""
        pool: Sequence[Case] = (
            self.by_area.get(auditor.service_area, ())
            if auditor.service_area is not None
            else self.cases
        ) or self.cases
        case = draw.pick(pool)
        for _ in range(12):
            if case.child_id not in audited and case.worker != auditor.id:
                break
            case = draw.pick(pool)
        return case

    def _audit(
        self,
        audit_id: str,
        activity: Activity,
        day: date,
        auditor: StaffMember,
        case: Case,
        draw: _Draw,
    ) -> Audit:
        profile = self.profile
        scale = profile.grade_scale
        grader = self.grader
        effect = self.team_effect.get(case.team or "", 0.0)
        overall = grader.rank(effect + draw.normal())
        worst = len(grader.codes) - 1
        required = {f.value for f in activity.judgement_fields}
        wanted = set(activity.standards)
        judgements = []
        for standard in profile.standards:
            if standard.id not in wanted:
                continue
            rank = min(max(overall + draw.weighted(_JUDGEMENT_STEP) - 1, 0), worst)
            code = grader.codes[rank]
            good = scale.is_good_or_better(code)
            strengths_bank, improve_bank, _actions = _phrases(standard.id, standard.title)
            strengths = draw.pick(strengths_bank)
            improve = draw.pick(improve_bank)
            keep_strengths = "strengths" in required or (good and draw.chance(0.5))
            keep_improve = "would_improve" in required or (not good and draw.chance(0.7))
            rationale = None
            if "rationale" in required:
                found = _RATIONALE[grader.ilacs_rank[rank]]
                rationale = f"{scale.grade(code).label}: {found}."
            judgements.append(
                Judgement(
                    standard.id,
                    code,
                    rationale=rationale,
                    strengths=strengths if keep_strengths else None,
                    would_improve=improve if keep_improve else None,
                )
            )
        return Audit(
            id=audit_id,
            child_id=case.child_id,
            activity=activity.id,
            audit_date=day,
            auditor=auditor.id,
            auditor_role=auditor.role,
            overall_grade=grader.codes[overall],
            cycle=self._cycle(activity, day),
            practitioner=case.worker,
            team=case.team,
            service_area=case.service_area,
            judgements=tuple(judgements),
            concerns=self._concerns(activity, auditor, grader.ilacs_rank[overall], draw),
            feedback=tuple(
                source
                for source in FeedbackSource
                if source in activity.feedback_from and draw.chance(_FEEDBACK)
            ),
        )

    def _cycle(self, activity: Activity, day: date) -> str | None:
        """The first day of the activity's cycle holding ``day``, None without a cadence."""
        every = activity.cadence.every
        if every is None:
            return None
        key = (activity.id, day)
        found = self.cycles.get(key)
        if found is None:
            anchor = activity.anchor or self.profile.schedule_anchor
            starts = activity.cadence.occurrences(anchor, every.subtract_from(day, 2), day)
            found = self.cycles[key] = starts[-1].isoformat()
        return found

    def _concerns(
        self, activity: Activity, auditor: StaffMember, ilacs_rank: int, draw: _Draw
    ) -> tuple[Concern, ...]:
        """The concerns the profile has rules for, flagged at rates set by the grade."""
        possible: set[Concern] = set()
        for rule in self.profile.escalation:
            trigger = rule.trigger
            if trigger.kind is not TriggerKind.CONCERN or trigger.concern is None:
                continue
            if rule.applies_to and activity.id not in rule.applies_to:
                continue
            # A practice concern is a reviewer's to raise; the child's concerns any auditor's.
            if trigger.concern is Concern.PRACTICE and auditor.role not in rule.raised_by:
                continue
            possible.add(trigger.concern)
        rates = {
            Concern.URGENT_SAFETY: _URGENT_SAFETY[ilacs_rank],
            Concern.HEALTH: _HEALTH,
            Concern.PRACTICE: _PRACTICE[ilacs_rank],
        }
        return tuple(c for c in Concern if c in possible and draw.chance(rates[c]))

    def _moderate(self, audits: list[Audit]) -> list[Audit]:
        """The audits with a moderation on each the profile's policies select."""
        profile = self.profile
        selection = select_for_moderation(
            profile, audits, Period(self.first, self.last), seed=self.seed
        )
        draw = _Draw(self.seed, profile.version, "moderation")
        policies = {p.id: p for p in profile.moderation}
        by_id = {a.id: a for a in audits}
        done: set[str] = set()
        scale = profile.grade_scale
        worst = len(scale.grades) - 1
        for chosen in selection.selected:
            if chosen.audit_id in done:
                continue
            done.add(chosen.audit_id)
            audit = by_id[chosen.audit_id]
            policy = policies[chosen.policy]
            roles = [r for r in policy.moderators if self.people.holders(r)]
            role = draw.pick(roles)
            area = audit.service_area
            moderator = self.people.near(role, area, draw)
            for _ in range(8):
                if moderator.id != audit.auditor:
                    break
                moderator = draw.pick(self.people.holders(role))
            if moderator.id == audit.auditor:
                continue
            auditor_grade = audit.overall_grade
            assert auditor_grade is not None  # synthetic audits are of graded activities
            rank = scale.rank(auditor_grade)
            step = (0, -1, 1)[draw.weighted(_MODERATION_STEP)]
            outcome_rank = min(max(rank + step, 0), worst)
            grade = scale.grades[outcome_rank].code
            on = min(audit.audit_date + _DAY * draw.between(2, 20), self.end)
            outcome = (
                ModerationOutcome.AGREE
                if outcome_rank == rank
                else ModerationOutcome.UPGRADE
                if outcome_rank < rank
                else ModerationOutcome.DOWNGRADE
            )
            if outcome not in policy.outcomes:
                grade = auditor_grade
                outcome = ModerationOutcome.AGREE
            by_id[audit.id] = record_moderation(
                profile,
                audit,
                moderator=moderator.id,
                role=role,
                grade=grade,
                on=on,
                rationale=draw.pick(_MODERATION_NOTES[outcome]),
                policy=policy.id,
            )
        return [by_id[a.id] for a in audits]

    def _with_actions(self, audit: Audit, draw: _Draw) -> Audit:
        """The audit with actions set by the profile's timescale for it, if it has one."""
        profile = self.profile
        if action_timescale_for(profile, audit) is None:
            return audit
        final = audit.final_grade
        assert final is not None  # synthetic audits are of graded activities
        ilacs_rank = profile.grade_scale.ilacs(final).rank
        count = (
            int(draw.chance(0.2)),
            1,
            1 + int(draw.chance(0.5)),
            2 + int(draw.chance(0.5)),
        )[ilacs_rank]
        if not count:
            return audit
        # The dates depend only on the activity, the final grade and the audit date.
        key = (audit.activity, final, audit.audit_date)
        dates = self.action_dates.get(key)
        if dates is None:
            dates = self.action_dates[key] = smart_action_dates(
                profile, audit, calendar=self.calendar
            )
        weakest = sorted(
            audit.judgements, key=lambda j: (-profile.grade_scale.rank(j.grade), j.standard)
        )
        actions = []
        for n in range(count):
            if weakest:
                judgement = weakest[n % len(weakest)]
                standard = profile.standard(judgement.standard)
                what = draw.pick(_phrases(standard.id, standard.title)[2])
            else:
                what = "Agree the actions from this audit with the practitioner."
            actions.append(
                self._action(f"{audit.id}-{n + 1}", what, audit, dates.owner_role, dates, draw)
            )
        return attrs.evolve(audit, actions=tuple(actions))

    def _action(
        self,
        action_id: str,
        what: str,
        audit: Audit,
        owner_role: str,
        dates: ActionDates,
        draw: _Draw,
    ) -> AuditAction:
        owner = self._owner(owner_role, audit, draw)
        due, review, end = dates.due, dates.review, self.end
        status = ActionStatus.OPEN
        done_on: date | None = None
        verified_on: date | None = None
        outcome = draw.unit()
        if due <= end:
            if outcome < 0.70:
                span = max((due - audit.audit_date).days, 0)
                done_on = audit.audit_date + _DAY * draw.between(span // 3, span)
            elif outcome < 0.78 and due < end:
                done_on = due + _DAY * draw.between(1, (end - due).days)
        elif outcome < 0.25 and audit.audit_date < end:
            done_on = audit.audit_date + _DAY * draw.between(1, (end - audit.audit_date).days)
        if done_on is not None:
            status = ActionStatus.DONE
            check = done_on + _DAY * draw.between(1, 21)
            if check <= end and draw.chance(0.55):
                status, verified_on = ActionStatus.VERIFIED, check
        return AuditAction(action_id, what, owner, due, review, status, done_on, verified_on)

    def _owner(self, role_id: str, audit: Audit, draw: _Draw) -> str:
        """Who owns an action: the case's Team Manager or worker where the role is theirs."""
        people = self.people
        team = audit.team
        if role_id == people.manager_role and team in people.team_manager:
            return people.team_manager[team].id
        if role_id == people.practitioner_role and audit.practitioner is not None:
            return audit.practitioner
        return people.near(role_id, audit.service_area, draw).id

    # -- the activity log ------------------------------------------------------------------

    def log(self, audits: Iterable[Audit]) -> tuple[list[LoggedActivity], list[str]]:
        """Entries for the version's obligations, and the obligations it cannot log."""
        made = list(audits)
        entries: list[LoggedActivity] = []
        skipped: list[str] = []
        events: dict[tuple[str, str], list[date]] = {}
        for obligation in obligations(self.profile):
            activity = self.profile.activity(obligation.activity)
            logged = obligation.counted[-1]
            draw = _Draw(self.seed, self.profile.version, "log", obligation.activity)
            if activity.graded:
                entries.extend(self._from_audits(obligation, logged, made))
            elif activity.kind is ActivityKind.MODERATION:
                entries.extend(self._from_moderations(obligation, activity, logged, made))
            else:
                subjects = _subject_ids(
                    obligation.owed_per, self.profile, self.people, self.cases, made
                )
                if subjects is None:
                    skipped.append(obligation.activity)
                    continue
                entries.extend(
                    self._made_up(obligation, activity, logged, subjects, made, events, draw)
                )
        return entries, skipped

    def _subject_of(self, owed_per: str, audit: Audit) -> str | None:
        """Whom an audit (or its moderation) counts for under an obligation."""
        if owed_per in self.profile._lookup["roles"]:
            return audit.auditor if audit.auditor_role == owed_per else None
        if owed_per in _AUDITORS:
            return audit.auditor
        if owed_per in _AUDITS:
            return audit.id
        if owed_per in _CHILDREN:
            return audit.child_id
        if owed_per in _SUPERVISEES:
            return audit.practitioner
        return None

    def _from_audits(
        self, obligation: Obligation, logged: str, audits: list[Audit]
    ) -> list[LoggedActivity]:
        found = []
        for audit in audits:
            if audit.activity != obligation.activity:
                continue
            subject = self._subject_of(obligation.owed_per, audit)
            if subject is not None:
                found.append(LoggedActivity(logged, subject, audit.audit_date, audit.auditor_role))
        return found

    def _from_moderations(
        self, obligation: Obligation, activity: Activity, logged: str, audits: list[Audit]
    ) -> list[LoggedActivity]:
        found = []
        for audit in audits:
            for record in audit.moderations:
                if record.role not in activity.who:
                    continue
                subject = self._subject_of(obligation.owed_per, audit)
                if subject is not None:
                    found.append(LoggedActivity(logged, subject, record.on, record.role))
        return found

    def _around_events(
        self,
        obligation: Obligation,
        logged: str,
        subject: str,
        begins: date,
        ends: date,
        event_days: Callable[[str, str, bool], list[date]],
        roles: list[str | None],
        draw: _Draw,
    ) -> list[LoggedActivity]:
        """Entries for a per-case event obligation: mostly in time before (or after) each
        of the subject's events, some missed."""
        cadence = obligation.cadence
        assert cadence is not None
        days = sorted(
            d
            for name in obligation.events
            for d in event_days(subject, name, False)
            if begins <= d <= ends
        )
        if cadence.then is not None:
            days = days[:1]
        lead = (cadence.offset.approximate_days if cadence.offset else 0) + 1.4 * (
            cadence.working_days or 0
        )
        found: list[LoggedActivity] = []
        for event in days:
            if not draw.chance(0.88):
                continue  # missed
            for _ in range(obligation.count):
                if cadence.kind is CadenceKind.BEFORE_EVENT:
                    day = event - _DAY * (round(lead) + draw.between(0, 40))
                else:
                    day = event + _DAY * draw.between(0, max(1, round(lead) or 30))
                if day <= ends:
                    found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
        if cadence.then is not None and found:
            # Then again within each period of the last, now and then late.
            day = found[-1].on
            while True:
                day += _DAY * round(cadence.then.approximate_days * (0.8 + 0.3 * draw.unit()))
                if day > ends:
                    break
                found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
        return found

    def _made_up(
        self,
        obligation: Obligation,
        activity: Activity,
        logged: str,
        subjects: tuple[str, ...],
        audits: list[Audit],
        events: dict[tuple[str, str], list[date]],
        draw: _Draw,
    ) -> list[LoggedActivity]:
        """Entries for an obligation with no audit behind it: mostly on time, some late."""
        first, last = self.first, self.last
        found: list[LoggedActivity] = []
        roles: list[str | None] = [r for r in activity.who if self.people.holders(r)] or [None]
        if obligation.other_roles:
            # Several roles owe their own count: each entry says whose it is.
            roles = [obligation.quota.per_role]
        graded = {a.id for a in self.profile.activities if a.graded}
        audit_days = {(a.id, a.activity): a.audit_date for a in audits}

        def event_days(subject: str, name: str, recurring: bool) -> list[date]:
            key = (subject, name)
            if key not in events:
                days: list[date] = []
                if name in graded:
                    # An event named after an audit activity is that audit being done.
                    held = audit_days.get((subject, name))
                    days = [held] if held is not None else []
                elif recurring:
                    day = first + _DAY * draw.between(0, 120)
                    while day <= last:
                        days.append(day)
                        day += _DAY * draw.between(90, 180)
                elif draw.chance(0.1):
                    days = [first + _DAY * draw.below((last - first).days + 1)]
                events[key] = days
                for day in days:
                    found.append(LoggedActivity(logged, subject, day, None, name))
            return events[key]

        period = obligation.period
        for subject in subjects:
            begins, ends = first, last
            if obligation.from_event is not None:
                opened = event_days(subject, obligation.from_event, recurring=False)
                if not opened:
                    continue
                begins = opened[0]
            if obligation.until_event is not None:
                closed = event_days(subject, obligation.until_event, recurring=False)
                if closed:
                    ends = closed[0] - _DAY
            if begins > ends:
                continue
            if obligation.cadence is not None:
                found.extend(
                    self._around_events(
                        obligation, logged, subject, begins, ends, event_days, roles, draw
                    )
                )
                continue
            if obligation.window is WindowKind.BETWEEN_EVENTS:
                bounds = [begins] if obligation.from_event is not None else []
                for name in obligation.events:
                    bounds.extend(
                        d for d in event_days(subject, name, recurring=True) if d >= begins
                    )
                bounds = sorted(set(bounds))
                for index, opened_on in enumerate(bounds):
                    closes = bounds[index + 1] if index + 1 < len(bounds) else ends + _DAY
                    if period is not None:
                        closes = min(closes, period.add_to(opened_on) + _DAY)
                    room = (min(closes, ends + _DAY) - opened_on).days - 1
                    if room < 1 or not draw.chance(0.9):
                        continue
                    for _ in range(obligation.count):
                        day = opened_on + _DAY * draw.between(1, room)
                        found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
                continue
            assert period is not None  # rolling and cycle windows have one
            gap = period.approximate_days / max(obligation.count, 1)
            if obligation.window is WindowKind.CYCLE:
                anchor = obligation.anchor or self.profile.schedule_anchor
                for opens, closes, share in self._windows(anchor, period):
                    low, high = max(opens, begins), min(closes, ends)
                    if low > high:
                        continue
                    owed = obligation.count - (1 if draw.chance(0.1) else 0)
                    for _ in range(draw.count(owed * share)):
                        day = self._day_in(low, high, draw)
                        found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
                continue
            # Rolling: the last one was some time before the window; then at intervals a
            # little shorter than the period, now and then longer (late).
            day = begins - _DAY * draw.below(max(int(gap), 1))
            while True:
                late = draw.chance(0.12)
                stretch = gap * (1.0 + 0.35 * draw.unit() if late else 0.6 + 0.35 * draw.unit())
                day += _DAY * max(1, round(stretch))
                if day > ends:
                    break
                if day >= begins:
                    found.append(LoggedActivity(logged, subject, day, draw.pick(roles)))
        return found
