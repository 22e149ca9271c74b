"""Agreement between auditors and moderators: how far moderation confirms the auditor's grade.

Moderation "ensures consistency in audit judgments" (Bolton) and "consistency with the
assessment" (Swindon). Over a set of moderated audits graded on one scale, :func:`agreement`
reports how often the moderator agreed, the grade transition matrix (the auditor's grade
against the moderated grade), how many audits moderation upgraded and downgraded, and Cohen's
kappa, unweighted and with linear and quadratic weights, each with a standard error and a
confidence interval.

Kappa (Cohen 1960; weighted, Cohen 1968) for a k x k table of proportions ``p[i][j]`` with
row and column totals ``r[i]``, ``c[j]`` and agreement weights ``w[i][j]`` is::

    kappa = (Po - Pe) / (1 - Pe),   Po = sum w[i][j] p[i][j],   Pe = sum w[i][j] r[i] c[j]

with ``w[i][j] = 1`` where ``i == j`` and 0 elsewhere (unweighted), ``1 - |i - j| / (k - 1)``
(linear) or ``1 - (i - j)**2 / (k - 1)**2`` (quadratic), ``i`` and ``j`` being positions on the
whole grade scale (grades no one used still count in ``k``). Its variance is the large-sample
variance of Fleiss, Cohen & Everitt (1969), the one SAS PROC FREQ reports as the ASE::

    var = (sum p[i][j] * (w[i][j] - (wr[i] + wc[j]) * (1 - kappa))**2
           - (kappa - Pe * (1 - kappa))**2) / (n * (1 - Pe)**2)

where ``wr[i] = sum_j c[j] w[i][j]`` and ``wc[j] = sum_i r[i] w[i][j]``; it is the delta-method
variance of kappa under multinomial sampling. The interval is the Wald interval
``kappa +- z * SE``, ``z`` the normal quantile for the confidence asked (1.96 for 95%), not
cut to kappa's range. Everything up to the square root is computed in exact fractions, so a
perfect agreement has kappa exactly 1 and variance exactly 0. Kappa is undefined when
``Pe`` is 1 (every audit in one grade by both auditor and moderator, or a scale of one grade):
it is then None with the reason, never NaN.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from statistics import NormalDist
from typing import TYPE_CHECKING

import attrs

from qaframework.engine.periods import Period
from qaframework.errors import QAFrameworkError
from qaframework.policy.grades import GradeScale

if TYPE_CHECKING:
    from qaframework.engine.audits import Audit, ModerationRecord

__all__ = [
    "Agreement",
    "AgreementError",
    "Kappa",
    "Weighting",
    "agreement",
    "agreement_weights",
    "cohen_kappa",
]


class AgreementError(QAFrameworkError, ValueError):
    """Agreement cannot be computed from what was given; the message says why."""


class Weighting(enum.Enum):
    """How much partial credit kappa gives a near miss on an ordinal scale."""

    UNWEIGHTED = "unweighted"
    LINEAR = "linear"
    QUADRATIC = "quadratic"


@attrs.frozen
class Kappa:
    """Cohen's kappa with its standard error and Wald confidence interval.

    ``observed`` and ``expected`` are the (weighted) agreement observed and expected by chance.
    ``value`` and everything derived from it are None when kappa is undefined, and ``reason``
    then says why.
    """

    weighting: Weighting
    confidence: float
    value: float | None
    standard_error: float | None
    lower: float | None
    upper: float | None
    observed: float | None
    expected: float | None
    reason: str | None = None


@attrs.frozen
class Agreement:
    """How moderators' grades compare with auditors' over a set of moderated audits.

    ``matrix[i][j]`` counts audits the auditor graded ``grades[i]`` and moderation
    ``grades[j]``, both in scale order (best first), so agreements are on the diagonal,
    upgrades left of it and downgrades right of it. ``exact_agreement`` is the share on the
    diagonal (None with no audits). ``without_moderation`` counts audits given that had no
    moderation (in the period, when one was given) and so were left out.
    """

    scale: str
    grades: tuple[str, ...]
    period: Period | None
    count: int
    agreed: int
    upgrades: int
    downgrades: int
    exact_agreement: float | None
    matrix: tuple[tuple[int, ...], ...]
    kappas: tuple[Kappa, ...]
    without_moderation: int = 0

    def kappa(self, weighting: Weighting) -> Kappa:
        """The kappa with this weighting."""
        for kappa in self.kappas:
            if kappa.weighting is weighting:
                return kappa
        raise KeyError(f"no {weighting.value} kappa was computed")


def agreement_weights(k: int, weighting: Weighting) -> tuple[tuple[Fraction, ...], ...]:
    """The k x k agreement weights: 1 for the same grade, less the further apart two grades are.

    A scale of one grade has the single weight 1.
    """
    if k < 1:
        raise AgreementError(f"a grade scale has at least one grade, got {k}")
    span = max(k - 1, 1)

    def weight(i: int, j: int) -> Fraction:
        if weighting is Weighting.UNWEIGHTED:
            return Fraction(int(i == j))
        if weighting is Weighting.LINEAR:
            return 1 - Fraction(abs(i - j), span)
        return 1 - Fraction((i - j) ** 2, span**2)

    return tuple(tuple(weight(i, j) for j in range(k)) for i in range(k))


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise AgreementError(f"a confidence level is between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def cohen_kappa(
    matrix: Sequence[Sequence[int]],
    weighting: Weighting = Weighting.UNWEIGHTED,
    *,
    confidence: float = 0.95,
) -> Kappa:
    """Cohen's kappa of a square table of counts, with the Fleiss, Cohen & Everitt (1969)
    standard error and a Wald interval at ``confidence`` (see the module docstring).

    Rows are one rater's categories and columns the other's, in the same order; the order
    matters for the weighted kappas only.
    """
    z = _z(confidence)
    k = len(matrix)
    if any(len(row) != k for row in matrix):
        raise AgreementError(
            f"an agreement table is square, got rows of {[len(r) for r in matrix]}"
        )
    if any(type(cell) is not int or cell < 0 for row in matrix for cell in row):
        raise AgreementError("an agreement table holds counts: whole numbers, 0 or more")
    n = sum(sum(row) for row in matrix)

    def undefined(reason: str, observed: float | None, expected: float | None) -> Kappa:
        return Kappa(weighting, confidence, None, None, None, None, observed, expected, reason)

    if n == 0:
        return undefined("no moderated audits to compare", None, None)
    w = agreement_weights(k, weighting)
    p = [[Fraction(cell, n) for cell in row] for row in matrix]
    rows = [sum(row) for row in p]
    columns = [sum(p[i][j] for i in range(k)) for j in range(k)]
    cells = [(i, j) for i in range(k) for j in range(k)]
    p_o = sum((w[i][j] * p[i][j] for i, j in cells), Fraction(0))
    p_e = sum((w[i][j] * rows[i] * columns[j] for i, j in cells), Fraction(0))
    if p_e == 1:
        return undefined(
            "chance agreement is 1 (auditors and moderators used one and the same grade), "
            "so kappa is undefined",
            float(p_o),
            float(p_e),
        )
    kappa = (p_o - p_e) / (1 - p_e)
    w_rows = [sum((columns[j] * w[i][j] for j in range(k)), Fraction(0)) for i in range(k)]
    w_columns = [sum((rows[i] * w[i][j] for i in range(k)), Fraction(0)) for j in range(k)]
    spread = sum(
        (p[i][j] * (w[i][j] - (w_rows[i] + w_columns[j]) * (1 - kappa)) ** 2 for i, j in cells),
        Fraction(0),
    )
    variance = (spread - (kappa - p_e * (1 - kappa)) ** 2) / (n * (1 - p_e) ** 2)
    error = math.sqrt(variance)
    value = float(kappa)
    return Kappa(
        weighting,
        confidence,
        value,
        error,
        value - z * error,
        value + z * error,
        float(p_o),
        float(p_e),
    )


def _latest_in(audit: Audit, period: Period | None) -> ModerationRecord | None:
    # The latest moderation (latest date, then the later record), as Audit.latest_moderation,
    # among those dated in the period.
    found = [
        (record.on, index, record)
        for index, record in enumerate(audit.moderations)
        if period is None or record.on in period
    ]
    return max(found, key=lambda item: (item[0], item[1]))[2] if found else None


def agreement(
    audits: Iterable[Audit],
    scale: GradeScale,
    *,
    period: Period | None = None,
    confidence: float = 0.95,
) -> Agreement:
    """Agreement between auditors' and moderators' grades over the moderated ``audits``.

    Each audit contributes one pair: the auditor's overall grade and the grade of its latest
    moderation (its latest moderation dated in ``period``, when a period is given). Audits
    without such a moderation are left out and counted in ``without_moderation``; audits of
    an activity that does not grade practice (no overall grade, never moderated) are left
    out and not counted. Both
    grades must be codes of ``scale`` (use the scale of the profile version the audits were
    graded under); otherwise :class:`AgreementError` names the audit and the grade.
    """
    codes = scale.codes
    position = {code: index for index, code in enumerate(codes)}
    k = len(codes)
    counts = [[0] * k for _ in range(k)]
    without = 0
    for audit in audits:
        if audit.overall_grade is None and not audit.moderations:
            continue  # an ungraded activity's audit: nothing to agree on
        record = _latest_in(audit, period)
        if record is None:
            without += 1
            continue
        pair = []
        for grade, whose in ((audit.overall_grade, "auditor's"), (record.grade, "moderated")):
            where = position.get(grade) if grade is not None else None
            if where is None:
                raise AgreementError(
                    f"audit {audit.id!r}: the {whose} grade {grade!r} is not on scale "
                    f"{scale.id!r} ({', '.join(codes)})"
                )
            pair.append(where)
        counts[pair[0]][pair[1]] += 1
    n = sum(map(sum, counts))
    agreed = sum(counts[i][i] for i in range(k))
    return Agreement(
        scale=scale.id,
        grades=codes,
        period=period,
        count=n,
        agreed=agreed,
        upgrades=sum(counts[i][j] for i in range(k) for j in range(i)),
        downgrades=sum(counts[i][j] for i in range(k) for j in range(i + 1, k)),
        exact_agreement=agreed / n if n else None,
        matrix=tuple(tuple(row) for row in counts),
        kappas=tuple(cohen_kappa(counts, w, confidence=confidence) for w in Weighting),
        without_moderation=without,
    )
