"""Grades and rates: overall grades from a latent score, and how often grades move,
moderators disagree and concerns are flagged."""

from __future__ import annotations

import bisect
import math
from statistics import NormalDist

from qaframework.policy.grades import Ilacs
from qaframework.policy.profile import Profile

__all__: list[str] = []


# Shares of the overall grade by ILACS judgement: mostly good or requires improvement.
_ILACS_SHARE = {
    Ilacs.OUTSTANDING: 0.08,
    Ilacs.GOOD: 0.48,
    Ilacs.REQUIRES_IMPROVEMENT: 0.32,
    Ilacs.INADEQUATE: 0.12,
}
_TEAM_SPREAD = 0.45
# A standard's grade against the overall grade: one better, the same, one worse.
_JUDGEMENT_STEP = (0.18, 0.62, 0.20)
# Moderation: agree, upgrade one grade, downgrade one grade.
_MODERATION_STEP = (0.78, 0.10, 0.12)
# Concerns by ILACS rank of the overall grade (outstanding .. inadequate).
_URGENT_SAFETY = (0.0, 0.004, 0.02, 0.12)
_PRACTICE = (0.0, 0.01, 0.05, 0.15)
_HEALTH = 0.03
_FEEDBACK = 0.75


class _Grader:
    """Overall grades from a latent score: a team's quality plus the audit's own variation."""

    def __init__(self, profile: Profile) -> None:
        grades = profile.grade_scale.grades
        counts: dict[Ilacs, int] = {}
        for grade in grades:
            counts[grade.ilacs] = counts.get(grade.ilacs, 0) + 1
        shares = [_ILACS_SHARE[g.ilacs] / counts[g.ilacs] for g in grades]
        total = sum(shares)
        spread = NormalDist(0.0, math.sqrt(1 + _TEAM_SPREAD**2))
        cumulative = 0.0
        self.thresholds: list[float] = []
        for share in shares[:-1]:
            cumulative += share / total
            self.thresholds.append(spread.inv_cdf(cumulative))
        self.codes = tuple(g.code for g in grades)
        self.ilacs_rank = tuple(g.ilacs.rank for g in grades)

    def rank(self, score: float) -> int:
        """The grade's position on the scale (0 the best) for a latent score."""
        return bisect.bisect_right(self.thresholds, score)
