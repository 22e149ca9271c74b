"""Native-form audit exports (``to_dict`` of each audit) written for the loader's tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from qaframework import to_dict
from qaframework.engine.audits import Audit, AuditAction, Judgement, ModerationRecord
from qaframework.policy.moderation import ModerationOutcome

NOTES = ("r", "s", "w", "r", "s", "w", None)
"""The notes :func:`native_audit` gives when none are asked for."""


def native_audit(
    number: int, notes: tuple[str | None, ...] = NOTES, action: str | None = None
) -> dict[str, Any]:
    """A Bolton audit numbered ``number`` in the native form, valid under its profile: two
    judgements with ``notes[0:3]`` and ``notes[3:6]``, a moderation with ``notes[6]`` as its
    rationale and, given ``action``, an action of that text."""
    audit = Audit(
        id=f"N{number}",
        child_id=f"C{number}",
        activity="quality_case_file_audits",
        audit_date=date(2026, 3, 6),
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade="meets_good",
        team="Team 1",
        judgements=(
            Judgement("assessment", "meets_good", *notes[0:3]),
            Judgement("planning_review_and_meetings", "outstanding", *notes[3:6]),
        ),
        moderations=(
            ModerationRecord(
                "hs1",
                "head_of_service",
                "meets_good",
                ModerationOutcome.AGREE,
                date(2026, 3, 9),
                notes[6],
            ),
        ),
        actions=()
        if action is None
        else (AuditAction(f"A{number}", action, "tm1", date(2026, 4, 1)),),
    )
    return to_dict(audit)


def native_file(tmp_path: Path, rows: list[Any], lines: bool) -> Path:
    """``rows`` as a JSON Lines file (``lines``) or a JSON array, in ``tmp_path``."""
    path = tmp_path / ("audits.jsonl" if lines else "audits.json")
    if lines:
        path.write_text("".join(f"{json.dumps(r)}\n" for r in rows), encoding="utf-8")
    else:
        path.write_text(json.dumps(rows), encoding="utf-8")
    return path
