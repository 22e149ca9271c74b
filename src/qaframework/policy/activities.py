"""QA activities: each row of a council's schedule or "at a glance" table.

An :class:`Activity` says what is done (case file audit, moderation, thematic audit, direct
observation ...), by whom (role ids), how often (a :class:`~qaframework.policy.cadence.Cadence`),
how much (a :class:`~qaframework.policy.cadence.Quota`), looking back how far, with what effort,
to what end, and through which reporting lines its findings travel.
"""

from __future__ import annotations

import enum
import math
from datetime import date

import attrs

from qaframework.policy.cadence import Cadence, IsoDuration, Quota, quotas_of, to_quotas
from qaframework.policy.checklists import ChecklistItem
from qaframework.policy.citations import Citation
from qaframework.policy.sampling import SamplingRule
from qaframework.policy.unknowns import NotStated

__all__ = ["Activity", "ActivityKind", "Effort", "FeedbackSource", "JudgementField"]


class ActivityKind(enum.Enum):
    """The kind of QA activity."""

    CASE_FILE_AUDIT = "case_file_audit"
    MODERATION = "moderation"
    THEMATIC_AUDIT = "thematic_audit"
    MULTI_AGENCY_AUDIT = "multi_agency_audit"
    DIP_SAMPLE = "dip_sample"
    SUPERVISION_AUDIT = "supervision_audit"
    DIRECT_OBSERVATION = "direct_observation"
    FEEDBACK = "feedback"
    COMPLAINTS = "complaints"
    PERFORMANCE_DATA = "performance_data"
    PRACTICE_WEEK = "practice_week"
    QA_DAY = "qa_day"
    PEER_REVIEW = "peer_review"
    PRACTITIONER_FORUM = "practitioner_forum"
    SURVEY = "survey"
    SUPERVISION = "supervision"
    MANAGEMENT_OVERSIGHT = "management_oversight"
    REPORT = "report"
    CLOSING_THE_LOOP = "closing_the_loop"
    LEARNING = "learning"
    REVIEW = "review"

    @property
    def is_audit(self) -> bool:
        """Whether the activity produces graded audit records."""
        return self in _AUDIT_KINDS


_AUDIT_KINDS = frozenset(
    {
        ActivityKind.CASE_FILE_AUDIT,
        ActivityKind.THEMATIC_AUDIT,
        ActivityKind.MULTI_AGENCY_AUDIT,
        ActivityKind.DIP_SAMPLE,
        ActivityKind.SUPERVISION_AUDIT,
    }
)


class JudgementField(enum.Enum):
    """Parts of a per-standard judgement an activity can require besides the grade."""

    RATIONALE = "rationale"
    STRENGTHS = "strengths"
    WOULD_IMPROVE = "would_improve"


class FeedbackSource(enum.Enum):
    """Whose feedback an activity captures."""

    CHILD = "child"
    PARENT_CARER = "parent_carer"
    PRACTITIONER = "practitioner"
    PARTNER_AGENCY = "partner_agency"


@attrs.frozen
class Effort:
    """Time one occurrence takes one person, as the seed states it ("2-4 hours", "up to a day").

    ``text`` keeps the seed's wording; the hours are what workload planning computes with.
    """

    text: str
    min_hours: float | None = None
    max_hours: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.min_hours is None and self.max_hours is None:
            raise ValueError("an effort states min_hours, max_hours or both")
        for value in (self.min_hours, self.max_hours):
            # NaN compares false with everything, so "not > 0" rather than "<= 0".
            if value is not None and not (value > 0 and math.isfinite(value)):
                raise ValueError(f"effort hours must be positive and finite, got {value}")
        if (
            self.min_hours is not None
            and self.max_hours is not None
            and self.max_hours < self.min_hours
        ):
            raise ValueError(f"max_hours {self.max_hours} is below min_hours {self.min_hours}")

    @property
    def typical_hours(self) -> float:
        """Midpoint of the range, or the one bound given."""
        if self.min_hours is not None and self.max_hours is not None:
            return (self.min_hours + self.max_hours) / 2
        return self.min_hours if self.min_hours is not None else float(self.max_hours or 0)


@attrs.frozen
class Activity:
    """One QA activity of a council's framework.

    ``who`` are role ids; ``reported_via`` reporting-line ids; ``standards`` the ids of the
    standards the activity grades against; ``judgement_fields`` what each per-standard
    judgement must carry besides its grade; ``lookback`` how far back in the child's record
    it reads; ``anchor`` the date its periodic cadence counts from (the profile's
    ``schedule_anchor`` when None).

    ``quota`` is how many: one :class:`~qaframework.policy.cadence.Quota`, or a tuple of
    several when the activity is owed by several roles, each with its own count ("2 per Team
    Manager and 1 per Advanced Practitioner a month"; Telford's QA day, one piece of QA work
    for every practitioner and senior practitioner). Each of several quotas names a
    different ``per_role``. :attr:`quotas` gives them as a tuple either way.

    Where the quota is owed per subject (see :mod:`qaframework.engine.obligations`), three fields
    state its conditions as data. ``from_event`` and ``until_event`` name case events
    (``permanence_plan``) from which, or until which, a subject owes the quota; ``logged_as``
    is the id of another activity whose log entries count as this one's, for a profile that
    splits one activity into conditional phases (Telford's care planning meetings before and
    after a plan of permanence are both logged as ``care_planning_meetings``).

    ``scales`` are the ids of the profile's other grade scales (``Profile.scales``) the
    activity's audits are also graded on, besides the profile's grade scale (an impact
    rating beside the grade): every audit of the activity carries a grade on each.
    ``checklist`` holds the yes / no / not applicable items its audits answer beside their
    judgements (forms complete, signatures present, timescales met).
    ``reported_via`` is :data:`~qaframework.policy.unknowns.NOT_STATED` where the source says
    the findings are reported but not where; :attr:`reporting_lines` reads it as no line.
    """

    id: str
    name: str
    kind: ActivityKind
    who: tuple[str, ...]
    cadence: Cadence
    citation: Citation
    quota: Quota | tuple[Quota, ...] | None = attrs.field(default=None, converter=to_quotas)
    lookback: IsoDuration | None = None
    effort: Effort | None = None
    outcome: str | None = None
    reported_via: tuple[str, ...] | NotStated = ()
    standards: tuple[str, ...] = ()
    sampling: SamplingRule | None = None
    feedback_from: tuple[FeedbackSource, ...] = ()
    graded: bool = False
    judgement_fields: tuple[JudgementField, ...] = ()
    anchor: date | None = None
    from_event: str | None = None
    until_event: str | None = None
    logged_as: str | None = None
    notes: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()

    @property
    def quotas(self) -> tuple[Quota, ...]:
        """The activity's quotas: none, one, or one per role that owes it."""
        return quotas_of(self.quota)

    @property
    def reporting_lines(self) -> tuple[str, ...]:
        """The ids of the reporting lines its findings go by; none where that is not stated."""
        return () if isinstance(self.reported_via, NotStated) else self.reported_via

    def checklist_item(self, item_id: str) -> ChecklistItem | None:
        """The checklist item with this id, None if the activity has none."""
        for item in self.checklist:
            if item.id == item_id:
                return item
        return None
