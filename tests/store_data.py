"""Audits for the register's tests and benchmark: deterministic, valid under Swindon's profile.

A plain module (not a pytest plugin), so test modules import from it directly.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    Judgement,
    ModerationRecord,
    moderation_outcome,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern
from qaframework.policy.profile import Profile
from qaframework.profiles.converter import to_dict
from qaframework.profiles.registry import load_profile


def swindon() -> Profile:
    """Swindon's 2026 profile: a child of concern tracker and monthly moderation."""
    return load_profile("swindon", as_of=date(2026, 6, 1))


def swindon_audits(
    count: int, *, seed: int = 7, first: date = date(2026, 4, 1), prefix: str = "SW"
) -> list[Audit]:
    """``count`` child practice audits Swindon's profile accepts, the same for a seed.

    About one in six is graded Inadequate and confirmed at moderation (putting the child
    on the tracker); a third have an action, some done; children recur across audits.
    """
    profile = swindon()
    rnd = random.Random(seed)
    grades = list(profile.grade_scale.codes)
    activity = profile.activity("child_practice_audit")
    standards = [s.id for s in profile.standards if s.audited][:6]
    required = {f.value for f in activity.judgement_fields}
    audits = []
    for index in range(count):
        on = first + timedelta(days=rnd.randrange(60))
        grade = "inadequate" if index % 6 == 0 else rnd.choice(grades)
        judgements = tuple(
            Judgement(
                standard,
                rnd.choice(grades),
                "Analysis of need" if "rationale" in required else None,
                "Child seen alone" if "strengths" in required else None,
                "A fuller chronology" if "would_improve" in required else None,
            )
            for standard in rnd.sample(standards, 3)
        )
        moderations: tuple[ModerationRecord, ...] = ()
        if index % 6 == 0 or rnd.random() < 0.1:
            moderated = grade if index % 6 == 0 else rnd.choice(grades)
            moderations = (
                ModerationRecord(
                    "qa.moderator",
                    "qa_team",
                    moderated,
                    moderation_outcome(profile, grade, moderated),
                    on + timedelta(days=5),
                    "Moderated with the auditor",
                ),
            )
        actions: tuple[AuditAction, ...] = ()
        if index % 3 == 0:
            done = rnd.random() < 0.3
            actions = (
                AuditAction(
                    f"{prefix}{index:05d}-1",
                    "Update the child's plan",
                    f"sw.{rnd.randrange(20)}",
                    on + timedelta(days=28),
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    done_on=on + timedelta(days=20) if done else None,
                ),
            )
        audits.append(
            Audit(
                id=f"{prefix}{index:05d}",
                child_id=f"CHILDQ{rnd.randrange(count // 2 + 1):05d}X",
                activity=activity.id,
                audit_date=on,
                auditor=f"tm.{rnd.randrange(8)}",
                auditor_role="team_manager",
                overall_grade=grade,
                team=rnd.choice(("North", "South", None)),
                judgements=judgements,
                concerns=(Concern.URGENT_SAFETY,) if index % 11 == 0 else (),
                feedback=(FeedbackSource.CHILD,) if index % 2 else (),
                moderations=moderations,
                actions=actions,
            )
        )
    return audits


def write_jsonl(audits: list[Audit], path: Path, *, extra_lines: tuple[str, ...] = ()) -> Path:
    """The audits in the native JSON Lines form, with ``extra_lines`` appended verbatim."""
    lines = [json.dumps(to_dict(audit)) for audit in audits]
    path.write_text("".join(f"{line}\n" for line in (*lines, *extra_lines)), encoding="utf-8")
    return path
