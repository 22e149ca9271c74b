"""Phrase banks: strengths, "what would have made it better", actions and moderation
notes, by the theme of a standard (read from its id and title, so any council's standards
find theirs)."""

from __future__ import annotations

import functools

from qaframework.policy.moderation import ModerationOutcome

__all__: list[str] = []


_THEMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("voice", "views", "wishes", "seen alone"), "voice"),
    (("chronolog",), "chronology"),
    (("qaro", "iro", "reviewing officer"), "reviewing"),
    (("supervision", "oversight", "management"), "oversight"),
    (("assessment",), "assessment"),
    (("meeting",), "meetings"),
    (("plan",), "planning"),
    (("visit", "seen", "direct work"), "visits"),
    (("record",), "recording"),
    (("parent", "carer", "family", "engagement"), "family"),
    (("decision", "threshold"), "decisions"),
    (("statutory",), "statutory"),
    (("difference", "outcome", "intervention", "impact"), "impact"),
    (("culture", "organisational"), "culture"),
    (("multi-agency", "multi agency", "partner"), "partnership"),
)

# theme: (strengths, would improve, actions)
_BANK: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "assessment": (
        (
            "Assessment analyses risk and need using the family's history.",
            "Assessment is current and reflects the child's lived experience.",
            "Clear analysis of strengths and worries.",
        ),
        (
            "Analysis rather than description of the information gathered.",
            "Assessment updated after the change in circumstances.",
            "Wider family included in the assessment.",
        ),
        (
            "Update the assessment to reflect current circumstances.",
            "Add analysis of risk and protective factors to the assessment.",
        ),
    ),
    "planning": (
        (
            "Plan is SMART, with owners and timescales.",
            "Plan reviewed on time and progress is clear.",
            "Contingency plan is recorded.",
        ),
        (
            "SMART actions with named owners and dates.",
            "Contingency plan agreed with the family.",
            "Plan linked to the needs the assessment found.",
        ),
        (
            "Rewrite the plan with SMART actions and timescales.",
            "Agree and record a contingency plan.",
        ),
    ),
    "meetings": (
        (
            "Meetings held on time with the right people present.",
            "Minutes record decisions and who will do what.",
        ),
        ("Meetings held within timescales.", "Partners' views recorded in the minutes."),
        (
            "Hold the overdue meeting and record its decisions.",
            "Invite partner agencies to the next meeting.",
        ),
    ),
    "voice": (
        (
            "Child seen alone and their words recorded.",
            "Child's wishes and feelings inform the plan.",
            "Direct work captures the child's lived experience.",
        ),
        (
            "Child's views recorded in their own words.",
            "Evidence of how the child's views changed the plan.",
            "Direct work suited to the child's age.",
        ),
        ("See the child alone and record their views.", "Complete and record direct work."),
    ),
    "chronology": (
        (
            "Chronology is up to date and used in analysis.",
            "Significant events are clear from the chronology.",
        ),
        ("An up-to-date chronology.", "Chronology used to show patterns of concern."),
        ("Bring the chronology up to date.",),
    ),
    "reviewing": (
        (
            "Reviewing officer knows and has seen the child.",
            "Reviewing officer oversight is evident between reviews.",
        ),
        ("Reviewing officer contact with the child between reviews.",),
        ("Reviewing officer to see the child before the next review.",),
    ),
    "oversight": (
        (
            "Regular supervision with reflective discussion recorded.",
            "Management oversight gives clear direction.",
            "Manager's decisions are recorded with rationale.",
        ),
        (
            "Supervision recorded monthly with actions followed up.",
            "Management oversight at key decision points.",
            "Reflective discussion of risk in supervision.",
        ),
        (
            "Record management oversight and direction on the file.",
            "Review the case in supervision and record the actions.",
        ),
    ),
    "visits": (
        (
            "Visits are purposeful and within timescales.",
            "Child seen regularly, including at home.",
        ),
        ("Visits within timescales.", "Purpose of each visit recorded."),
        ("Visit within timescale and record the purpose of the visit.",),
    ),
    "recording": (
        ("Recording is clear, current and written to the child.", "Case summary is current."),
        ("Case notes completed promptly.", "Recording written so the child could read it later."),
        ("Bring case recording up to date.", "Update the case summary."),
    ),
    "family": (
        (
            "Parents and carers engaged and their views recorded.",
            "Strong working relationship with the family.",
        ),
        ("Fathers engaged in assessment and planning.", "Carers' views recorded."),
        ("Engage the father and record his views.",),
    ),
    "decisions": (
        ("Decisions are timely and thresholds applied well.", "Rationale for decisions is clear."),
        ("Decisions recorded with their rationale.", "Threshold reviewed when risks changed."),
        ("Record the rationale for the threshold decision.",),
    ),
    "statutory": (
        ("Statutory requirements met.", "Reviews and visits within statutory timescales."),
        ("Statutory visits and reviews within timescales.",),
        ("Complete the overdue statutory task.",),
    ),
    "impact": (
        (
            "Clear evidence of positive change for the child.",
            "Interventions are making a difference.",
        ),
        ("Evidence of the impact of the interventions.", "Outcomes measured against the plan."),
        ("Record the impact of the intervention on the child.",),
    ),
    "culture": (
        ("Practice reflects a learning culture.", "The team shares good practice."),
        ("Learning from audit shared in the team.",),
        ("Share the learning from this audit at the team meeting.",),
    ),
    "partnership": (
        ("Partners contribute to assessment and plans.", "Good information sharing."),
        ("Partner agencies' contributions recorded.",),
        ("Seek and record partners' contributions.",),
    ),
}


@functools.cache
def _phrases(standard_id: str, title: str) -> tuple[tuple[str, ...], ...]:
    """Strengths, "would improve" and action phrases for a standard."""
    words = f"{standard_id.replace('_', ' ')} {title}".lower()
    for keys, theme in _THEMES:
        if any(key in words for key in keys):
            return _BANK[theme]
    subject = title[:1].lower() + title[1:]
    return (
        (f"Good evidence of {subject}.",),
        (f"Stronger evidence of {subject}.",),
        (f"Improve the evidence of {subject} on the file.",),
    )


# Why a standard got its grade, by ILACS rank (outstanding .. inadequate).
_RATIONALE = (
    "consistently strong, with a clear difference for the child",
    "the child's needs are understood and met",
    "not yet consistently good; some needs are not met",
    "needs are unmet and the child may be at risk",
)

_MODERATION_NOTES = {
    ModerationOutcome.AGREE: (
        "Agree: the grade is supported by the evidence.",
        "Agree with the auditor's analysis.",
    ),
    ModerationOutcome.UPGRADE: (
        "Upgraded: strengths in the record were under-weighted.",
        "Upgraded: evidence of impact supports a higher grade.",
    ),
    ModerationOutcome.DOWNGRADE: (
        "Downgraded: the evidence does not support the grade given.",
        "Downgraded: gaps in the analysis of risk were not reflected in the grade.",
    ),
}
