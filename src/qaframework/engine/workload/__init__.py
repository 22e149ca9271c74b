"""Workload plan: what a council's QA framework asks of each role in a year, and the hours.

A QA manager deciding whether a framework is affordable needs the number of audits,
moderations, observations and meetings each role owes in a financial year and the time they
take. :func:`plan_workload` works them out from the profile's quotas, cadences, moderation
policies, forums and effort, for a :class:`Staffing` (how many people hold each role, and
how many supervisees or children the quotas are owed per), and returns a
:class:`WorkloadPlan`: one :class:`WorkloadLine` per activity (or forum) and role, totals
per role and for the council, and the activities it cannot count.

How each line is counted
    *Periods* are the quota's periods in the year: 12 months, 4 quarters, 8.7 spans of six
    weeks (a fraction where the year does not hold a whole number). *Occurrences* are the
    dated occurrences of a periodic cadence in the year (Bolton's six-weekly cycles from
    1 April 2026: 9).

    - A quota per role holder ("1 audit per Team Manager per month"): count x holders x
      periods. When the activity is done by other roles (Manchester's Service Leads moderate
      one audit per Team Manager a month), the total goes to them, shared by headcount.
    - A quota per subject ("every supervisee observed at least once a year"): count x
      subjects x periods. The subjects each holder of a role has (``subjects_per_person``)
      attribute the work to roles; subjects nobody is given are a line of their own, not
      assigned to a role. A quota owed per case event has no yearly count.
    - A quota with no subject ("1 report a month", "e.g. 40 cases" a quarter): a count for
      the whole council, per period or per occurrence.
    - No quota but a periodic cadence: the occurrences, or with a planning figure
      (``per_occurrence``: "we will audit 40 cases each cycle") that many items each time.
      Bare occurrences are not split among several roles (who does each is not known): they
      are a line not assigned to a role, naming the roles.
      A moderation activity counts the audits its policies select from the volume of the
      activities they moderate: a proportion (through the ``moderation_sample_size`` hook),
      every audit, a fixed number or a number per role holder each cycle.
    - A forum that names its chair or members: each attendee, every meeting.

    Activities that are ongoing, as required or triggered by case events without a quota,
    and forums with no cadence or no named attendees, are listed in
    :attr:`WorkloadPlan.not_counted` with the reason.

Hours
    A line's hours are its count times the activity's :attr:`Effort.typical_hours
    <qaframework.policy.activities.Effort.typical_hours>` (the midpoint of "2-4 hours"), read as the
    time one counted item takes one person. Where the profile states no effort the hours are
    unknown (None) and stay unknown in every total: nothing is invented. Totals add the known
    hours and say how many lines have none.

Versions
    Each profile version governs the days of the year from its ``effective_from`` to its
    ``effective_to`` or the next version's ``effective_from``; each line is counted over the
    days its version governs, and days no version governs count nothing.

The package's modules, each one part:

- :mod:`~qaframework.engine.workload.model`: the staffing and the plan's values;
- :mod:`~qaframework.engine.workload.units`: counting in words (:func:`plural`);
- :mod:`~qaframework.engine.workload.counting`: one version's lines;
- :mod:`~qaframework.engine.workload.plan`: :func:`plan_workload`.
"""

from __future__ import annotations

from qaframework.engine.workload.model import (
    NotCounted,
    Staffing,
    UnitCount,
    VersionSpan,
    WorkloadError,
    WorkloadLine,
    WorkloadPlan,
    WorkloadTotal,
)
from qaframework.engine.workload.plan import plan_workload
from qaframework.engine.workload.units import plural

__all__ = [
    "NotCounted",
    "Staffing",
    "UnitCount",
    "VersionSpan",
    "WorkloadError",
    "WorkloadLine",
    "WorkloadPlan",
    "WorkloadTotal",
    "plan_workload",
    "plural",
]
