"""Random councils: whole profiles valid by construction, and the dated versions of one."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from qaframework.policy.actions import ActionTimescale
from qaframework.policy.activities import (
    Activity,
    ActivityKind,
    Effort,
    FeedbackSource,
    JudgementField,
)
from qaframework.policy.cadence import Cadence, CadenceKind, IsoDuration, Quota
from qaframework.policy.case_filters import KNOWN_CASE_FIELDS, CaseField, CaseFilter, Comparison
from qaframework.policy.checklists import ChecklistItem
from qaframework.policy.citations import Assumption, Citation, SourceDocument
from qaframework.policy.escalation import (
    ClosingCondition,
    Concern,
    Consequence,
    ConsequenceKind,
    Deadline,
    DeadlineKind,
    EscalationRule,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.grades import Grade, GradeScale, Ilacs
from qaframework.policy.moderation import (
    ModerationOutcome,
    ModerationPolicy,
    SelectionKind,
    SelectionRule,
)
from qaframework.policy.permissions import RoleChecks, Severity
from qaframework.policy.profile import Profile
from qaframework.policy.reporting import Forum, ForumKind, ReportingLine
from qaframework.policy.roles import GenericRole, Role
from qaframework.policy.sampling import SamplingMethod, SamplingRule
from qaframework.policy.standards import Standard, StandardKind
from qaframework.policy.unknowns import NOT_STATED, NOT_STATED_TEXT, NotStated
from qaframework.testing.strategies.drawing import (
    _BOOLEANS,
    _DAYS,
    _WORDS,
    _day,
    _index,
    _int,
    _maybe,
    _maybe_text,
    _pick,
    _pick_or_none,
    _subset,
    _text,
    _texts,
)
from qaframework.testing.strategies.policy_values import (
    _draw_quotas,
    _per_subject_quota,
    cadences,
    iso_durations,
)

__all__ = ["profile_versions", "profiles"]


_FOLLOW_UPS = ("P1W", "P2W", "P1M", "P2M", "P3M", "P6M", "P1Y")
# Forums, reports and moderation recur on a calendar or on events; only an activity is owed
# by each child before or after its own case events.
_PLAIN_CADENCES = cadences(kinds=tuple(k for k in CadenceKind if not k.is_per_case_event))
_VALUES = ("CP", "CIN", "CLA", "Care Leaver", "Early Help", "Yes", "No", "16-17", "North")
_AUDIT_KINDS = tuple(kind for kind in ActivityKind if kind.is_audit)
# Selection rules that, alone, select from every cycle that has audits.
_COVERING = (
    SelectionKind.ALL,
    SelectionKind.PROPORTION,
    SelectionKind.FIXED,
    SelectionKind.GRADE_AT_OR_BELOW,
    SelectionKind.BY_AUDITOR,
)


def _citation(draw: st.DrawFn, sources: tuple[SourceDocument, ...]) -> Citation:
    return Citation(
        source=_pick(draw, sources).id,
        section=_text(draw, 1, 4),
        quote=_maybe_text(draw, 3, 8),
    )


def _ids(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}_{index}" for index in range(count))


def _grade_scale(
    draw: st.DrawFn, sources: tuple[SourceDocument, ...], scale_id: str | None = None
) -> GradeScale:
    count = _int(draw, 2, 6)
    order = list(Ilacs)
    # A sorted draw of ILACS ranks keeps the crosswalk monotone: best grade first.
    ranks = sorted(_int(draw, 0, 3) for _ in range(count))
    grades_ = []
    for index, rank in enumerate(ranks):
        word = _pick(draw, _WORDS)
        grades_.append(
            Grade(
                code=f"grade_{index}",
                label=f"{word} {index}",
                ilacs=order[rank],
                synonyms=_subset(draw, (f"G{index}", f"Level {index}")),
                description=_maybe_text(draw, 3, 8),
            )
        )
    return GradeScale(
        id=scale_id or _pick(draw, ("scale", "audit_grades", "quality_grades")),
        name=_text(draw, 2, 4),
        grades=tuple(grades_),
        good_or_better=_pick(draw, grades_).code,
        citation=_citation(draw, sources),
    )


def _roles(draw: st.DrawFn, sources: tuple[SourceDocument, ...]) -> tuple[Role, ...]:
    ids = _ids("role", _int(draw, 2, 8))
    found = []
    for index, role_id in enumerate(ids):
        # Each role reports to an earlier one or to none, so the chain cannot loop.
        above = _pick_or_none(draw, ids[:index]) if index else None
        found.append(
            Role(
                id=role_id,
                title=_text(draw, 1, 3),
                generic=_pick(draw, tuple(GenericRole)),
                citation=_citation(draw, sources),
                abbreviations=_subset(draw, (f"R{index}",)),
                reports_to=above,
                description=_maybe_text(draw, 3, 8),
            )
        )
    return tuple(found)


def _effort(draw: st.DrawFn) -> Effort:
    low = _int(draw, 1, 8) / 2
    high = low + draw(_index(9)) / 2 if draw(_BOOLEANS) else None
    return Effort(text=f"{low} hours", min_hours=low, max_hours=high)


def _case_fields(draw: st.DrawFn, sources: tuple[SourceDocument, ...]) -> tuple[CaseField, ...]:
    found = []
    for index in range(_int(draw, 0, 2)):
        found.append(
            CaseField(
                id=f"field_{index}",
                name=_text(draw, 1, 3),
                citation=_citation(draw, sources),
                description=_maybe_text(draw, 3, 8),
                values=_subset(draw, _VALUES, max_size=4),
            )
        )
    return tuple(found)


def _filter(draw: st.DrawFn, fields: tuple[CaseField, ...], depth: int = 0) -> CaseFilter:
    """A filter over the known and declared case fields: a field test, or (up to two levels
    down) all, any or none of two or three filters. A declared field that lists its values
    is tested against some of them."""
    if depth >= 2 or draw(_BOOLEANS):
        names = (*KNOWN_CASE_FIELDS, *(f.id for f in fields))
        name = _pick(draw, names)
        declared = {f.id: f for f in fields}.get(name)
        pool = declared.values if declared is not None and declared.values else _VALUES
        return CaseFilter(
            field=name,
            compare=_pick(draw, tuple(Comparison)),
            values=_subset(draw, pool, min_size=1, max_size=3),
        )
    members = tuple(_filter(draw, fields, depth + 1) for _ in range(_int(draw, 1, 3)))
    how = _pick(draw, ("all", "any", "none"))
    if how == "all":
        return CaseFilter.all_of(*members)
    if how == "any":
        return CaseFilter.any_of(*members)
    return CaseFilter.none_of(*members)


def _sampling(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    role_ids: tuple[str, ...],
    fields: tuple[CaseField, ...],
) -> SamplingRule:
    return SamplingRule(
        method=_pick(draw, tuple(SamplingMethod)),
        citation=_citation(draw, sources),
        size=_draw_quotas(draw, role_ids) if draw(_BOOLEANS) else None,
        strata=_subset(draw, ("service_area", "team", "legal_status")),
        criteria=_maybe_text(draw, 3, 8),
        filter=_filter(draw, fields) if draw(_BOOLEANS) else None,
        exclude_audited_within=_maybe(draw, iso_durations()),
    )


def _checklist(draw: st.DrawFn, sources: tuple[SourceDocument, ...]) -> tuple[ChecklistItem, ...]:
    # Most activities have none; an audit activity may ask a few yes / no questions.
    if draw(_BOOLEANS):
        return ()
    return tuple(
        ChecklistItem(
            id=f"item_{index}",
            question=_text(draw, 2, 6) + "?",
            citation=_citation(draw, sources),
            not_applicable=draw(_BOOLEANS),
            description=_maybe_text(draw, 3, 8),
        )
        for index in range(_int(draw, 1, 3))
    )


def _activities(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    role_ids: tuple[str, ...],
    standard_ids: tuple[str, ...],
    line_ids: tuple[str, ...],
    fields: tuple[CaseField, ...],
    scale_ids: tuple[str, ...] = (),
) -> tuple[Activity, ...]:
    ids = _ids("activity", _int(draw, 1, 6))
    found = []
    for index, activity_id in enumerate(ids):
        # The first activity always grades practice, so audits can be drawn of every council.
        graded = index == 0 or draw(_BOOLEANS)
        kind = _pick(draw, _AUDIT_KINDS if graded else tuple(ActivityKind))
        cadence = draw(cadences())
        if cadence.kind.is_per_case_event:
            # Owed by each child before or after its case events: a firm count per subject.
            quota: Quota | tuple[Quota, ...] | None = _per_subject_quota(draw)
        else:
            quota = _draw_quotas(draw, role_ids) if draw(_BOOLEANS) else None
        found.append(
            Activity(
                id=activity_id,
                name=_text(draw, 1, 4),
                kind=kind,
                who=_subset(draw, role_ids, min_size=1, max_size=3),
                cadence=cadence,
                citation=_citation(draw, sources),
                quota=quota,
                lookback=_maybe(draw, iso_durations()),
                effort=_effort(draw) if draw(_BOOLEANS) else None,
                outcome=_maybe_text(draw, 3, 8),
                reported_via=(
                    NOT_STATED if draw(_index(8)) == 0 else _subset(draw, line_ids, max_size=2)
                ),
                standards=_subset(draw, standard_ids, max_size=3),
                sampling=_sampling(draw, sources, role_ids, fields) if draw(_BOOLEANS) else None,
                feedback_from=_subset(draw, tuple(FeedbackSource), max_size=2),
                graded=graded,
                judgement_fields=_subset(draw, tuple(JudgementField)),
                anchor=_maybe(draw, _DAYS),
                notes=_texts(draw, 3, 8, 2),
                scales=_subset(draw, scale_ids, max_size=2),
                checklist=_checklist(draw, sources),
            )
        )
    return tuple(found)


def _selection_rule(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    kind: SelectionKind,
    scale: GradeScale,
    auditors: tuple[Role, ...],
    covering: bool,
) -> SelectionRule:
    citation = _citation(draw, sources)
    if kind is SelectionKind.BY_AUDITOR:
        # A covering rule names every auditor, by id or by tier; another names some.
        chosen = auditors if covering else _subset(draw, auditors, min_size=1)
        if draw(_BOOLEANS):
            return SelectionRule(kind, citation, auditor_roles=tuple(r.id for r in chosen))
        tiers = tuple(dict.fromkeys(r.generic for r in chosen))
        return SelectionRule(kind, citation, auditor_generic=tiers)
    if kind is SelectionKind.PROPORTION:
        minimum = draw(_index(4)) if draw(_BOOLEANS) else None
        floor = max(1, minimum or 0)
        return SelectionRule(
            kind,
            citation,
            proportion=_int(draw, 1, 100) / 100,
            minimum=minimum,
            maximum=floor + draw(_index(11)) if draw(_BOOLEANS) else None,
        )
    if kind is SelectionKind.FIXED:
        return SelectionRule(kind, citation, count=_int(draw, 1, 5))
    if kind is SelectionKind.PER_ROLE:
        return SelectionRule(
            kind,
            citation,
            count=_int(draw, 1, 3),
            per_role=_pick(draw, auditors).id,
            period=draw(iso_durations(max_count=3, units=("months", "weeks"))),
        )
    if kind is SelectionKind.GRADE_AT_OR_BELOW:
        # A covering rule reaches every grade: at or below the best.
        grade = scale.codes[0] if covering else _pick(draw, scale.codes)
        return SelectionRule(kind, citation, grade=grade)
    return SelectionRule(kind, citation)


def _moderation(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    scale: GradeScale,
    activities: tuple[Activity, ...],
    roles: tuple[Role, ...],
) -> tuple[ModerationPolicy, ...]:
    graded = tuple(a for a in activities if a.graded)
    role_ids = tuple(r.id for r in roles)
    by_id = {r.id: r for r in roles}
    found = []
    for index in range(_int(draw, 0, 2)):
        applies = _subset(draw, graded, min_size=1, max_size=2)
        auditors = tuple(by_id[role] for role in dict.fromkeys(r for a in applies for r in a.who))
        # One rule selects from every cycle with audits; others add to it.
        covering_kind = _pick(draw, _COVERING)
        rules = [_selection_rule(draw, sources, covering_kind, scale, auditors, True)]
        for kind in _subset(draw, tuple(SelectionKind), max_size=2):
            rule = _selection_rule(draw, sources, kind, scale, auditors, False)
            if rule.kind is SelectionKind.PROPORTION and draw(_index(4)) == 0:
                # A sample the source cites without its size: a known unknown.
                rule = attrs.evolve(rule, proportion=NOT_STATED)
            elif rule.kind is SelectionKind.FIXED and draw(_index(4)) == 0:
                rule = attrs.evolve(rule, count=NOT_STATED)
            rules.append(rule)
        found.append(
            ModerationPolicy(
                id=f"moderation_{index}",
                name=_text(draw, 1, 4),
                applies_to=tuple(a.id for a in applies),
                moderators=_subset(draw, role_ids, min_size=1, max_size=2),
                cadence=draw(_PLAIN_CADENCES),
                selection=tuple(draw(st.permutations(rules))),
                citation=_citation(draw, sources),
                outcomes=_subset(draw, tuple(ModerationOutcome), min_size=1),
                feedback_to=_subset(draw, role_ids, max_size=2),
                recorded_on=_maybe_text(draw, 1, 3),
                notes=_texts(draw, 3, 8, 1),
            )
        )
    return tuple(found)


def _trigger(draw: st.DrawFn, scale: GradeScale) -> Trigger:
    kind = _pick(draw, tuple(TriggerKind))
    if kind is TriggerKind.GRADE:
        if draw(_BOOLEANS):
            return Trigger(
                kind, stage=_pick(draw, tuple(GradeStage)), at_or_below=_pick(draw, scale.codes)
            )
        return Trigger(
            kind,
            stage=_pick(draw, tuple(GradeStage)),
            grades=_subset(draw, scale.codes, min_size=1),
        )
    if kind is TriggerKind.MODERATION:
        outcome = _pick(draw, tuple(ModerationOutcome))
        choice = _pick(draw, ("none", "at_or_below", "grades"))
        if choice == "at_or_below":
            return Trigger(kind, outcome=outcome, at_or_below=_pick(draw, scale.codes))
        if choice == "grades":
            return Trigger(kind, outcome=outcome, grades=_subset(draw, scale.codes, min_size=1))
        return Trigger(kind, outcome=outcome)
    if kind is TriggerKind.CONCERN:
        return Trigger(kind, concern=_pick(draw, tuple(Concern)))
    return Trigger(kind)


def _deadline(draw: st.DrawFn, cycle: IsoDuration | None) -> Deadline:
    kinds = [k for k in DeadlineKind if k is not DeadlineKind.NEXT_CYCLE or cycle is not None]
    kind = _pick(draw, kinds)
    if kind is DeadlineKind.WORKING_DAYS:
        return Deadline(kind, working_days=_int(draw, 1, 10))
    if kind is DeadlineKind.WITHIN:
        return Deadline(kind, within=draw(iso_durations(max_count=3, units=("months", "weeks"))))
    return Deadline(kind)


def _consequence(
    draw: st.DrawFn,
    activities: tuple[Activity, ...],
    role_ids: tuple[str, ...],
    forum_ids: tuple[str, ...],
) -> Consequence:
    kind = _pick(draw, tuple(ConsequenceKind))
    return Consequence(
        kind=kind,
        name=_text(draw, 1, 4),
        owner=NOT_STATED if draw(_index(6)) == 0 else _pick_or_none(draw, role_ids),
        monitored_in=_subset(draw, forum_ids, max_size=2),
        circulated_to=_subset(draw, role_ids, max_size=2),
        until=_maybe_text(draw, 2, 6),
        # A follow-on audit requires a further activity of the child: any of the council's.
        activity=_pick(draw, activities).id if kind is ConsequenceKind.FOLLOW_ON_AUDIT else None,
    )


def _escalation(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    scale: GradeScale,
    activities: tuple[Activity, ...],
    role_ids: tuple[str, ...],
    forum_ids: tuple[str, ...],
) -> tuple[EscalationRule, ...]:
    graded = tuple(a for a in activities if a.graded)
    found = []
    for index in range(_int(draw, 1, 3)):
        applies = _subset(draw, graded, max_size=2)
        trigger = _trigger(draw, scale)
        # With no applies_to a concern rule covers every activity, the others the graded ones.
        covered = applies or (activities if trigger.kind is TriggerKind.CONCERN else graded)
        cycles = [a.cadence.every for a in covered if a.cadence.every is not None]
        cycle = max(cycles, key=lambda d: d.approximate_days) if cycles else None
        # Now and then the source states the rule but not by when (a known unknown).
        deadline: Deadline | NotStated = (
            NOT_STATED if draw(_index(6)) == 0 else _deadline(draw, cycle)
        )
        days = deadline.approximate_days(cycle) if isinstance(deadline, Deadline) else 0.0
        # A follow-up, when there is one, comes no sooner than the deadline.
        later = [d for d in _FOLLOW_UPS if IsoDuration.parse(d).approximate_days >= days]
        if draw(_index(8)) == 0:
            later.append(NOT_STATED_TEXT)
        follow_up = _pick_or_none(draw, later) if later else None
        consequence = (
            _consequence(draw, activities, role_ids, forum_ids) if draw(_BOOLEANS) else None
        )
        # What closes it: nothing stated (the engine's default), or the conditions the
        # trigger allows (improved and withdrawn read a grade; withdrawn one the trigger names).
        allowed = [ClosingCondition.ACTIONS_VERIFIED]
        if isinstance(deadline, Deadline):
            # Nothing closes on a deadline the source does not state.
            allowed += [ClosingCondition.NO_ACTIONS, ClosingCondition.DEADLINE]
        if trigger.kind in (TriggerKind.GRADE, TriggerKind.MODERATION):
            allowed.append(ClosingCondition.IMPROVED)
            if trigger.grade_codes:
                allowed.append(ClosingCondition.WITHDRAWN)
        if consequence is not None and consequence.kind is ConsequenceKind.FOLLOW_ON_AUDIT:
            allowed.append(ClosingCondition.FOLLOW_ON_RECORDED)
        found.append(
            EscalationRule(
                id=f"escalation_{index}",
                name=_text(draw, 1, 4),
                trigger=trigger,
                recipients=(
                    NOT_STATED
                    if draw(_index(6)) == 0
                    else _subset(draw, role_ids, min_size=1, max_size=3)
                ),
                deadline=deadline,
                citation=_citation(draw, sources),
                raised_by=_subset(draw, role_ids, max_size=2),
                conditional_recipients=_subset(draw, role_ids, max_size=2),
                notify_auditor=draw(_BOOLEANS),
                follow_up=Cadence.parse(follow_up) if follow_up is not None else None,
                follow_up_by=_subset(draw, role_ids, max_size=2),
                consequence=consequence,
                applies_to=tuple(a.id for a in applies),
                closes=_subset(draw, allowed, max_size=3),
                notes=_texts(draw, 3, 8, 1),
            )
        )
    return tuple(found)


def _action_timescales(
    draw: st.DrawFn,
    sources: tuple[SourceDocument, ...],
    scale: GradeScale,
    activities: tuple[Activity, ...],
    role_ids: tuple[str, ...],
    forum_ids: tuple[str, ...],
) -> tuple[ActionTimescale, ...]:
    graded = tuple(a.id for a in activities if a.graded)
    found = []
    claimed: set[tuple[str, str]] = set()
    for index in range(_int(draw, 0, 2)):
        length = draw(iso_durations(max_count=3, units=("months", "weeks")))
        set_in_audit = draw(_BOOLEANS)
        grades = _subset(draw, scale.codes, max_size=2)
        # An audit's actions have one timescale: skip activities another timescale already
        # governs for these grades (the action_timescales invariant).
        covered = grades or scale.codes
        free = tuple(
            a
            for a in _subset(draw, graded, min_size=1, max_size=2)
            if not any((a, g) in claimed for g in covered)
        )
        if not free:
            continue
        claimed.update((a, g) for a in free for g in covered)
        found.append(
            ActionTimescale(
                id=f"actions_{index}",
                applies_to=free,
                owner=_pick(draw, role_ids),
                citation=_citation(draw, sources),
                due=None if set_in_audit else length,
                review=length.times(1 + draw(_index(3))) if draw(_BOOLEANS) else None,
                set_in_audit=set_in_audit,
                default_due=length if set_in_audit else None,
                tracked_by=_subset(draw, role_ids, max_size=2),
                reviewed_in=_subset(draw, forum_ids, max_size=1),
                grades=grades,
            )
        )
    return tuple(found)


@st.composite
def _profile(draw: st.DrawFn) -> Profile:
    source_ids = _ids("source", _int(draw, 1, 2))
    sources = tuple(
        SourceDocument(
            id=source_id,
            authority=_text(draw, 1, 3),
            title=_text(draw, 2, 6),
            file=f"{source_id}.txt",
            issued=_pick(draw, ("January 2026", "July 2020", "undated")),
            approved=_maybe(draw, _DAYS),
            replaces=_maybe_text(draw, 2, 5),
            notes=_maybe_text(draw, 3, 8),
        )
        for source_id in source_ids
    )
    scale = _grade_scale(draw, sources)
    # Other scales some activities also grade on (an impact rating beside the grade).
    others = tuple(
        _grade_scale(draw, sources, f"other_scale_{index}") for index in range(_int(draw, 0, 2))
    )
    role_list = _roles(draw, sources)
    role_ids = tuple(r.id for r in role_list)
    standard_list = tuple(
        Standard(
            id=standard_id,
            title=_text(draw, 1, 4),
            kind=_pick(draw, tuple(StandardKind)),
            citation=_citation(draw, sources),
            description=_maybe_text(draw, 3, 8),
            what_good_looks_like=_texts(draw, 3, 8, 2),
            how_measured=_texts(draw, 3, 8, 2),
            audited=draw(_BOOLEANS),
        )
        for standard_id in _ids("standard", _int(draw, 1, 5))
    )
    forums = tuple(
        Forum(
            id=forum_id,
            name=_text(draw, 1, 4),
            kind=_pick(draw, tuple(ForumKind)),
            cadence=draw(_PLAIN_CADENCES),
            citation=_citation(draw, sources),
            abbreviations=_subset(draw, ("QAB",)),
            aliases=_texts(draw, 1, 4, 1),
            chair=_pick_or_none(draw, role_ids),
            members=_subset(draw, role_ids, max_size=3),
            description=_maybe_text(draw, 3, 8),
        )
        for forum_id in _ids("forum", _int(draw, 0, 4))
    )
    forum_ids = tuple(f.id for f in forums)
    lines = []
    for line_id in _ids("report", _int(draw, 0, 4)):
        to_forums = _subset(draw, forum_ids, max_size=2)
        to_roles = _subset(draw, role_ids, min_size=0 if to_forums else 1, max_size=2)
        lines.append(
            ReportingLine(
                id=line_id,
                report=_text(draw, 1, 4),
                produced_by=_subset(draw, role_ids, min_size=1, max_size=2),
                cadence=draw(_PLAIN_CADENCES),
                citation=_citation(draw, sources),
                to_forums=to_forums,
                to_roles=to_roles,
                description=_maybe_text(draw, 3, 8),
            )
        )
    fields = _case_fields(draw, sources)
    activities = _activities(
        draw,
        sources,
        role_ids,
        tuple(s.id for s in standard_list),
        tuple(r.id for r in lines),
        fields,
        tuple(other.id for other in others),
    )
    assumptions = []
    unreported = tuple(
        f"$.activities[{activity.id}].reported_via"
        for activity in activities
        if activity.reported_via == ()
    )
    if unreported:
        # Valid by construction: a silence about reporting is recorded, as the invariant asks.
        assumptions.append(
            Assumption(
                id="no_reporting_line",
                text="The source names no report for these activities.",
                concerns=unreported,
            )
        )
    role_checks = None
    if draw(_BOOLEANS):
        role_checks = RoleChecks(
            auditors=_pick(draw, tuple(Severity)),
            moderators=_pick(draw, tuple(Severity)),
            citation=_citation(draw, sources) if draw(_BOOLEANS) else None,
            notes=_texts(draw, 3, 8, 1),
        )
        if role_checks.citation is None:
            # Valid by construction: a choice the sources leave open is an assumption.
            assumptions.append(
                Assumption(
                    id="role_checks",
                    text="The source does not say how an audit by another role is treated.",
                    concerns=("$.role_checks",),
                )
            )
    for index in range(_int(draw, 0, 2)):
        assumptions.append(
            Assumption(
                id=f"assumption_{index}",
                text=_text(draw, 3, 10),
                # Items are named by id, as the assumptions invariant asks.
                concerns=_subset(
                    draw,
                    (
                        "$.schedule_anchor",
                        "$.grade_scale",
                        f"$.roles[{role_ids[0]}]",
                        f"$.activities[{activities[0].id}].cadence",
                        f"$.grade_scale.grades[{scale.codes[-1]}].ilacs",
                    ),
                ),
                citation=_citation(draw, sources) if draw(_BOOLEANS) else None,
            )
        )
    effective_from = draw(_DAYS)
    return Profile(
        id=f"{_pick(draw, ('north', 'south', 'east', 'west'))}shire_{_int(draw, 0, 999)}",
        authority=_text(draw, 1, 3) + " Council",
        name=_text(draw, 2, 6),
        version=_pick(draw, ("1", "2026-01", "v2")),
        effective_from=effective_from,
        schedule_anchor=_day(
            draw, effective_from - timedelta(days=365), effective_from + timedelta(days=365)
        ),
        sources=sources,
        grade_scale=scale,
        roles=role_list,
        standards=standard_list,
        forums=forums,
        reporting_lines=tuple(lines),
        activities=activities,
        moderation=_moderation(draw, sources, scale, activities, role_list),
        escalation=_escalation(draw, sources, scale, activities, role_ids, forum_ids),
        action_timescales=_action_timescales(draw, sources, scale, activities, role_ids, forum_ids),
        assumptions=tuple(assumptions),
        case_fields=fields,
        effective_to=_maybe(draw, _index(3651).map(lambda n: effective_from + timedelta(days=n))),
        summary=_maybe_text(draw, 5, 12),
        scales=others,
        role_checks=role_checks,
    )


def profiles() -> SearchStrategy[Profile]:
    """Random councils: whole profiles, valid by construction.

    Every reference resolves (roles, forums, standards, grades, reporting lines, activities,
    scales, sources, case fields), every crosswalk is monotone, the management chain has no
    loop, at least one activity grades practice, every moderation policy can select from any
    cycle with audits, every follow-up comes no sooner than its deadline, and an activity
    without a reporting line is named by an assumption. Activities use every rule kind:
    quotas held by several roles, per-case event cadences (``before-event``, ``after-event``)
    with a quota per child, sampling rules with structured case filters over known and
    declared case fields, other grade scales and the activities graded on them, and
    compliance checklists; moderation of every audit by a class of auditor, follow-on audits,
    and the profile's choice of error or warning for a record by a role not named for it
    (cited, or an assumption) are drawn too. Assumptions name items by id
    (``$.activities[activity_0].cadence``). Now and then a detail is a known unknown, written
    "not stated": an escalation's recipients, deadline or follow-up, a consequence's owner, a
    quota's count, a cadence, where an activity is reported, the size of a moderation rule
    beside one that covers every cycle. The plain data of each
    (:func:`~qaframework.profiles.converter.to_dict`) passes
    :func:`~qaframework.profiles.validation.profile_from_data` and reads back equal.
    """
    return _profile()


@st.composite
def _versions(draw: st.DrawFn, min_versions: int, max_versions: int) -> tuple[Profile, ...]:
    count = _int(draw, min_versions, max_versions)
    drawn = [draw(_profile()) for _ in range(count)]
    starts = sorted(
        draw(
            st.lists(
                st.dates(date(2015, 1, 1), date(2030, 12, 31)),
                min_size=count,
                max_size=count,
                unique=True,
            )
        )
    )
    versions = []
    for index, (profile, start) in enumerate(zip(drawn, starts, strict=True)):
        following = starts[index + 1] if index + 1 < count else None
        limit = (following - start).days - 1 if following is not None else 3650
        length = draw(_index(limit + 1)) if draw(_BOOLEANS) else None
        end = start + timedelta(days=length) if length is not None else None
        versions.append(
            attrs.evolve(
                profile,
                id=drawn[0].id,
                effective_from=start,
                schedule_anchor=start,
                effective_to=end,
            )
        )
    return tuple(versions)


def profile_versions(
    *, min_versions: int = 1, max_versions: int = 3
) -> SearchStrategy[tuple[Profile, ...]]:
    """The dated versions of one random council, oldest first: one id, distinct start days,
    and no version running (``effective_to``) past the next one's start."""
    if not 1 <= min_versions <= max_versions:
        raise InvalidArgument(
            f"need 1 <= min_versions <= max_versions, got {min_versions}, {max_versions}"
        )
    return _versions(min_versions, max_versions)
