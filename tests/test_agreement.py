"""Agreement between auditors' and moderators' grades (``qaframework.engine.agreement``).

The kappas are checked against published output, SAS PROC FREQ's for a 3 x 3 table and R
``irr::kappa2``'s for a 5 x 5 table (both as recorded in statsmodels' test suite,
``statsmodels/stats/tests/test_inter_rater.py``), and the standard error against an
independent computation: the delta-method variance of kappa under multinomial sampling, with
kappa's gradient taken by finite differences.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qaframework import from_dict, load_profile, to_dict
from qaframework.engine.agreement import (
    Agreement,
    AgreementError,
    Weighting,
    agreement,
    agreement_weights,
    cohen_kappa,
)
from qaframework.engine.audits import Audit, ModerationRecord
from qaframework.engine.moderation import record_moderation
from qaframework.engine.periods import Period
from qaframework.policy.citations import Citation
from qaframework.policy.grades import Grade, GradeScale, Ilacs
from qaframework.policy.moderation import ModerationOutcome

SWINDON = load_profile("swindon", as_of=date(2026, 4, 1))
SCALE = SWINDON.grade_scale
GOOD, RI, INADEQUATE = "good", "requires_improvement", "inadequate"

# --- Published reference values ----------------------------------------------------------------

# SAS PROC FREQ AGREE output for this table: kappa, ASE, 95% confidence limits; the weighted
# kappa is SAS's default Cicchetti-Allison weights, linear on equally spaced scores.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
SAS_SIMPLE = (0.4842, 0.1380, 0.2137, 0.7547)
SAS_WEIGHTED = (0.4701, 0.1457, 0.1845, 0.7558)


@pytest.mark.parametrize(
    ("weighting", "published"),
    [(Weighting.UNWEIGHTED, SAS_SIMPLE), (Weighting.LINEAR, SAS_WEIGHTED)],
)
def test_kappa_reproduces_sas_proc_freq(weighting: Weighting, published: tuple[float, ...]) -> None:
    kappa = cohen_kappa(SAS_TABLE, weighting)
    assert kappa.value is not None
    assert kappa.standard_error is not None
    assert kappa.lower is not None
    assert kappa.upper is not None
    computed = (kappa.value, kappa.standard_error, kappa.lower, kappa.upper)
    assert tuple(round(x, 4) for x in computed) == published


# R irr::kappa2 on raters 2 and 3 of the anxiety data (categories 1, 2, 3, 4, 6: no rating 5).
ANXIETY_RATER_2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
ANXIETY_RATER_3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]
IRR_KAPPA2 = {
    Weighting.UNWEIGHTED: -0.006289308,
    Weighting.LINEAR: 0.1459075,
    Weighting.QUADRATIC: 0.2520325,
}


@pytest.mark.parametrize("weighting", list(Weighting))
def test_kappa_reproduces_r_irr(weighting: Weighting) -> None:
    categories = [1, 2, 3, 4, 6]
    table = [[0] * 5 for _ in range(5)]
    for a, b in zip(ANXIETY_RATER_2, ANXIETY_RATER_3, strict=True):
        table[categories.index(a)][categories.index(b)] += 1
    assert cohen_kappa(table, weighting).value == pytest.approx(IRR_KAPPA2[weighting], abs=5e-8)


# --- The standard error against an independent computation --------------------------------------


def kappa_of(p: Sequence[float], k: int, weights: Sequence[Sequence[float]]) -> float:
    """Kappa as a function of the k*k cell proportions, each free (margins summed from them)."""
    rows = [sum(p[i * k + j] for j in range(k)) for i in range(k)]
    columns = [sum(p[i * k + j] for i in range(k)) for j in range(k)]
    p_o = sum(weights[i][j] * p[i * k + j] for i in range(k) for j in range(k))
    p_e = sum(weights[i][j] * rows[i] * columns[j] for i in range(k) for j in range(k))
    return (p_o - p_e) / (1 - p_e)


def delta_method_error(table: Sequence[Sequence[int]], weighting: Weighting) -> float:
    """sqrt(g' S g): g kappa's gradient by central differences, S = (diag(p) - pp') / n."""
    k = len(table)
    n = sum(map(sum, table))
    p = [cell / n for row in table for cell in row]
    weights = [[float(w) for w in row] for row in agreement_weights(k, weighting)]
    h = 1e-6
    gradient = []
    for index in range(len(p)):
        up = list(p)
        down = list(p)
        up[index] += h
        down[index] -= h
        gradient.append((kappa_of(up, k, weights) - kappa_of(down, k, weights)) / (2 * h))
    mean = sum(pi * gi for pi, gi in zip(p, gradient, strict=True))
    second = sum(pi * gi * gi for pi, gi in zip(p, gradient, strict=True))
    return math.sqrt(max(second - mean * mean, 0.0) / n)


SKIN_CONDITION = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]


@pytest.mark.parametrize("table", [SAS_TABLE, SKIN_CONDITION])
@pytest.mark.parametrize("weighting", list(Weighting))
def test_the_standard_error_is_the_delta_method_variance(
    table: list[list[int]], weighting: Weighting
) -> None:
    kappa = cohen_kappa(table, weighting)
    assert kappa.standard_error == pytest.approx(delta_method_error(table, weighting), rel=1e-6)


def tables(k: int) -> st.SearchStrategy[list[list[int]]]:
    return st.lists(st.lists(st.integers(0, 30), min_size=k, max_size=k), min_size=k, max_size=k)


@given(k=st.integers(2, 5), data=st.data(), weighting=st.sampled_from(list(Weighting)))
def test_the_standard_error_matches_the_delta_method_on_any_table(
    k: int, data: st.DataObject, weighting: Weighting
) -> None:
    table = data.draw(tables(k))
    kappa = cohen_kappa(table, weighting)
    assume(kappa.value is not None)
    assert kappa.standard_error is not None
    expected = delta_method_error(table, weighting)
    assert kappa.standard_error == pytest.approx(expected, rel=1e-5, abs=1e-6)


# --- Properties ---------------------------------------------------------------------------------


@given(k=st.integers(1, 5), data=st.data(), weighting=st.sampled_from(list(Weighting)))
def test_kappa_is_symmetric_in_the_two_raters(
    k: int, data: st.DataObject, weighting: Weighting
) -> None:
    table = data.draw(tables(k))
    transposed = [list(column) for column in zip(*table, strict=True)]
    assert cohen_kappa(table, weighting) == cohen_kappa(transposed, weighting)


@given(
    grades=st.lists(st.sampled_from(SCALE.codes), max_size=60),
    weighting=st.sampled_from(list(Weighting)),
)
def test_kappa_is_one_for_identical_gradings_when_defined(
    grades: list[str], weighting: Weighting
) -> None:
    audits = [moderated_audit(f"A{n}", grade, grade) for n, grade in enumerate(grades)]
    kappa = agreement(audits, SCALE).kappa(weighting)
    if len(set(grades)) >= 2:
        assert kappa.value == 1
        assert kappa.standard_error == 0
        assert (kappa.lower, kappa.upper) == (1, 1)
    else:
        assert kappa.value is None
        assert kappa.reason is not None


@given(
    pairs=st.lists(st.tuples(st.sampled_from(SCALE.codes), st.sampled_from(SCALE.codes))),
    confidence=st.floats(0.5, 0.999),
)
def test_agreement_counts_are_consistent(pairs: list[tuple[str, str]], confidence: float) -> None:
    audits = [moderated_audit(f"A{n}", a, m) for n, (a, m) in enumerate(pairs)]
    result = agreement(audits, SCALE, confidence=confidence)
    n = len(pairs)
    assert result.count == n
    assert sum(map(sum, result.matrix)) == n
    assert result.agreed + result.upgrades + result.downgrades == n
    if n:
        assert result.exact_agreement is not None
        assert 0 <= result.exact_agreement <= 1
    else:
        assert result.exact_agreement is None
    for kappa in result.kappas:
        if kappa.value is None:
            assert kappa.reason is not None
            continue
        assert kappa.value <= 1
        assert kappa.lower is not None
        assert kappa.upper is not None
        assert kappa.lower <= kappa.value <= kappa.upper
        assert all(math.isfinite(x) for x in (kappa.value, kappa.lower, kappa.upper))
    json.dumps(to_dict(result), allow_nan=False)


# --- Audits, the matrix and the period filter ---------------------------------------------------


def moderated_audit(
    audit_id: str, auditor_grade: str, *moderations: tuple[str, date] | str
) -> Audit:
    """An audit graded ``auditor_grade``, moderated to each grade given (dated 1 May if bare)."""
    records = []
    for moderation in moderations:
        grade, on = moderation if isinstance(moderation, tuple) else (moderation, date(2026, 5, 1))
        records.append(ModerationRecord("qa1", "qa_team", grade, ModerationOutcome.AGREE, on))
    return Audit(
        id=audit_id,
        child_id=f"C-{audit_id}",
        activity="child_practice_audit",
        audit_date=date(2026, 4, 1),
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade=auditor_grade,
        moderations=tuple(records),
    )


def test_the_transition_matrix_has_auditor_rows_and_moderated_columns_in_scale_order() -> None:
    audits = [
        moderated_audit("A1", GOOD, RI),
        moderated_audit("A2", GOOD, RI),
        moderated_audit("A3", INADEQUATE, RI),
        moderated_audit("A4", GOOD, GOOD),
        moderated_audit("A5", RI),
    ]
    result = agreement(audits, SCALE)
    assert result.grades == ("outstanding", GOOD, RI, INADEQUATE)
    assert result.matrix == ((0, 0, 0, 0), (0, 1, 2, 0), (0, 0, 0, 0), (0, 0, 1, 0))
    assert (result.count, result.agreed, result.upgrades, result.downgrades) == (4, 1, 1, 2)
    assert result.exact_agreement == 0.25
    assert result.without_moderation == 1


def test_moderation_recorded_through_the_policy_feeds_agreement() -> None:
    audit = moderated_audit("A1", RI)
    done = record_moderation(
        SWINDON, audit, moderator="qa1", role="qa_team", grade=INADEQUATE, on=date(2026, 5, 2)
    )
    assert agreement([done], SCALE).matrix[2][3] == 1


def test_the_period_takes_each_audits_latest_moderation_dated_in_it() -> None:
    twice = moderated_audit("A1", GOOD, (RI, date(2026, 4, 20)), (GOOD, date(2026, 5, 10)))
    april_only = moderated_audit("A2", GOOD, (INADEQUATE, date(2026, 4, 5)))
    may = agreement([twice, april_only], SCALE, period=Period.parse("2026-05"))
    assert (may.count, may.agreed, may.without_moderation) == (1, 1, 1)
    assert may.period == Period.parse("2026-05")
    april = agreement([twice, april_only], SCALE, period=Period.parse("2026-04"))
    assert (april.count, april.agreed, april.downgrades) == (2, 0, 2)
    overall = agreement([twice, april_only], SCALE)
    assert overall.matrix[1] == (0, 1, 0, 1)


def test_no_audits_gives_no_rates_and_no_kappa() -> None:
    result = agreement([], SCALE)
    assert (result.count, result.exact_agreement) == (0, None)
    for kappa in result.kappas:
        assert kappa.value is None
        assert kappa.standard_error is None
        assert kappa.reason == "no moderated audits to compare"
    assert json.loads(json.dumps(to_dict(result), allow_nan=False))["kappas"][0]["value"] is None


def test_every_audit_in_one_cell_leaves_kappa_undefined() -> None:
    audits = [moderated_audit(f"A{n}", GOOD, GOOD) for n in range(6)]
    result = agreement(audits, SCALE)
    assert result.exact_agreement == 1
    for kappa in result.kappas:
        assert kappa.value is None
        assert kappa.expected == 1
        assert kappa.reason is not None
        assert "undefined" in kappa.reason


def test_a_scale_of_one_grade_leaves_kappa_undefined() -> None:
    only = GradeScale(
        "pass", "Pass", (Grade("pass", "Pass", Ilacs.GOOD),), "pass", Citation("qaf", "1")
    )
    assert agreement_weights(1, Weighting.QUADRATIC) == ((Fraction(1),),)
    result = agreement([moderated_audit("A1", "pass", "pass")], only)
    assert result.matrix == ((1,),)
    assert all(k.value is None for k in result.kappas)


def test_perfect_agreement_has_kappa_one_and_no_variance() -> None:
    kappa = cohen_kappa([[3, 0, 0], [0, 0, 0], [0, 0, 4]], Weighting.QUADRATIC)
    assert (kappa.value, kappa.standard_error, kappa.lower, kappa.upper) == (1, 0, 1, 1)


def fractions(*values: str) -> tuple[Fraction, ...]:
    return tuple(Fraction(v) for v in values)


def test_weights_follow_the_whole_scale() -> None:
    assert agreement_weights(4, Weighting.LINEAR)[0] == fractions("1", "2/3", "1/3", "0")
    assert agreement_weights(4, Weighting.QUADRATIC)[1] == fractions("8/9", "1", "8/9", "5/9")
    assert agreement_weights(3, Weighting.UNWEIGHTED) == (
        fractions("1", "0", "0"),
        fractions("0", "1", "0"),
        fractions("0", "0", "1"),
    )


def test_the_interval_widens_with_the_confidence() -> None:
    narrow = cohen_kappa(SKIN_CONDITION, confidence=0.8)
    wide = cohen_kappa(SKIN_CONDITION, confidence=0.99)
    assert narrow.value == wide.value
    assert narrow.lower is not None
    assert narrow.upper is not None
    assert wide.lower is not None
    assert wide.upper is not None
    assert wide.lower < narrow.lower < narrow.upper < wide.upper


def test_a_grade_off_the_scale_names_the_audit() -> None:
    with pytest.raises(AgreementError, match="audit 'A1': the moderated grade 'meets_good'"):
        agreement([moderated_audit("A1", GOOD, "meets_good")], SCALE)


@pytest.mark.parametrize(
    ("table", "confidence", "message"),
    [
        ([[1, 2], [3]], 0.95, "square"),
        ([[1, -2], [3, 4]], 0.95, "counts"),
        ([[1, 2], [3, 4]], 1.0, "between 0 and 1"),
    ],
)
def test_bad_tables_and_levels_are_refused(
    table: list[list[int]], confidence: float, message: str
) -> None:
    with pytest.raises(AgreementError, match=message):
        cohen_kappa(table, confidence=confidence)


def test_an_agreement_round_trips_through_plain_data() -> None:
    audits = [moderated_audit("A1", GOOD, RI), moderated_audit("A2", RI, RI)]
    result = agreement(audits, SCALE, period=Period.parse("2026-05"))
    assert from_dict(Agreement, json.loads(json.dumps(to_dict(result)))) == result
