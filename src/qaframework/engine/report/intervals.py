"""Shares with a Wilson interval: how a share of audits is reported with its uncertainty."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import TYPE_CHECKING

import attrs

from qaframework.engine.report.errors import CycleReportError

if TYPE_CHECKING:
    pass

__all__ = [
    "Share",
    "wilson_interval",
]

# ---------------------------------------------------------------------------------------------
# Shares with a Wilson interval
# ---------------------------------------------------------------------------------------------


def wilson_interval(count: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for ``count`` successes out of ``total`` (Wilson 1927).

    With ``p = count / total`` and ``z`` the normal quantile for ``confidence`` (1.96 for
    95%)::

        centre = (p + z**2 / (2 n)) / (1 + z**2 / n)
        half   = z / (1 + z**2 / n) * sqrt(p (1 - p) / n + z**2 / (4 n**2))

    and the interval is ``centre - half`` to ``centre + half``. Unlike the Wald interval
    ``p +- z sqrt(p (1 - p) / n)`` it stays within 0 to 1 and does not collapse to a point
    at 0 or n successes, so a share of 3 out of 4 shows how little 4 audits say
    (0.30 to 0.95).
    """
    if total < 1:
        raise CycleReportError(f"a share needs a total of at least 1, got {total}")
    if not 0 <= count <= total:
        raise CycleReportError(f"a share counts 0 to {total}, got {count}")
    if not 0 < confidence < 1:
        raise CycleReportError(f"a confidence level is between 0 and 1, got {confidence}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    n = total
    p = count / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@attrs.frozen
class Share:
    """``count`` out of ``total``, as a proportion with its Wilson interval.

    ``value``, ``lower`` and ``upper`` are None when ``total`` is 0 (no share to give).
    """

    count: int
    total: int
    value: float | None
    lower: float | None
    upper: float | None
    confidence: float = 0.95

    @classmethod
    def of(cls, count: int, total: int, confidence: float = 0.95) -> Share:
        """The share ``count / total`` with its Wilson interval at ``confidence``."""
        if total == 0:
            if count:
                raise CycleReportError(f"a share of {count} out of 0")
            return cls(0, 0, None, None, None, confidence)
        lower, upper = wilson_interval(count, total, confidence)
        return cls(count, total, count / total, lower, upper, confidence)
