"""An activity's own sampling rule from a profile, and sample sizes for a margin of error."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from statistics import NormalDist

from qaframework.engine.sampling.methods import (
    dip_sample,
    quota_per_holder,
    simple_random,
    stratified,
)
from qaframework.engine.sampling.pool import (
    AuditedChild,
    CasePool,
    Criteria,
    SamplingArgumentError,
    SamplingError,
    _check_count,
    _check_date,
    _check_seed,
)
from qaframework.engine.sampling.sample import Sample
from qaframework.policy.cadence import Quota, QuotaQualifier
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case, SamplingMethod, SamplingRule

__all__ = [
    "sample_for_activity",
    "sample_size",
]


def sample_size(
    population: int,
    *,
    margin: float = 0.05,
    confidence: float = 0.95,
    proportion: float = 0.5,
) -> int:
    """How many cases to audit to estimate a proportion within ``margin`` at ``confidence``.

    Cochran's formula with the finite-population correction::

        n0 = z**2 * p * (1 - p) / e**2
        n  = n0 / (1 + (n0 - 1) / N)

    where ``z`` is the two-sided standard normal quantile for the confidence (1.959964 at
    95%), ``p`` the expected proportion (0.5, the most cautious), ``e`` the margin and ``N``
    the population. ``n`` is rounded up, so the margin is at most ``e``, and never exceeds
    ``N``. For N = 1000 at 5% and 95%, n0 = 384.15 and n = 277.7, so 278; as N grows, n tends
    to 385 (384.15 rounded up).
    """
    _check_count(population, "the population")
    for name, value in (("margin", margin), ("confidence", confidence), ("proportion", proportion)):
        if type(value) not in (int, float) or not 0 < value < 1:
            raise SamplingError(f"the {name} must be a number between 0 and 1, got {value!r}")
    if population == 0:
        return 0
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population)
    # A hair below the next integer is floating-point error in an exact whole answer.
    return min(population, math.ceil(n - 1e-9))


def _activity_rule(profile: Profile, activity_id: str) -> tuple[str, SamplingRule]:
    try:
        activity = profile.activity(activity_id)
    except KeyError as exc:
        raise SamplingError(exc.args[0]) from None
    where = f"activity {activity_id!r} of profile {profile.label}"
    if activity.sampling is None:
        raise SamplingError(f"{where} has no sampling rule")
    return where, activity.sampling


def _rule_count(profile: Profile, where: str, rule: SamplingRule, n: int | None) -> int | None:
    sizes = rule.sizes
    if len(sizes) > 1:
        if n is not None:
            raise SamplingArgumentError(
                f"{where} owes a count per role ({profile.describe_quota(rule.size)})",
                argument="n",
                problem="not_applicable",
                advice="n does not apply",
            )
        return None
    size = sizes[0] if sizes else None
    if n is None:
        return None if size is None else size.stated_count
    _check_count(n, "n")
    count = size.stated_count if size is not None else None
    if size is not None and count is not None and size.qualifier is QuotaQualifier.EXACTLY:
        top = count if size.count_max is None else size.count_max
        if not count <= n <= top:
            raise SamplingArgumentError(
                f"{where} fixes its sample at {profile.describe_quota(size)} (its rule cites "
                f"{rule.citation.source}, {rule.citation.section})",
                argument="n",
                problem="contradicts",
                advice=f"n={n} contradicts it",
                value=n,
            )
    return n


Holders = Mapping[str, str | Collection[str]]
"""Each role-holder to the value or values of the holder field they answer for."""


def _by_role(
    profile: Profile, where: str, sizes: tuple[Quota, ...], holders: object
) -> tuple[Holders, dict[str, int], dict[str, str]]:
    """Holders grouped by role, for a rule owing a count per role: the holders, each
    one's count and role."""
    owed: dict[str, int] = {}
    described = profile.describe_quota(sizes)
    for quota in sizes:
        if quota.per_role is None:
            continue
        count = quota.stated_count
        if count is None:
            raise SamplingError(
                f"{where} owes a count per role ({described}), but how many per "
                f"{quota.per_role!r} is not stated: the profile does not know"
            )
        owed[quota.per_role] = count
    if not isinstance(holders, Mapping) or not all(
        isinstance(group, Mapping) for group in holders.values()
    ):
        raise SamplingArgumentError(
            f"{where} owes a count per role ({described})",
            argument="holders",
            problem="form",
            advice=f"give the holders grouped by role ({', '.join(owed)}), each role to its "
            "holders and what they answer for",
            value=tuple(owed),
        )
    flat: dict[str, str | Collection[str]] = {}
    counts: dict[str, int] = {}
    roles: dict[str, str] = {}
    for role, group in holders.items():
        if role not in owed:
            raise SamplingError(
                f"{where} owes no count per {role!r} (it owes per: {', '.join(owed)})"
            )
        for holder, values in group.items():
            if holder in roles:
                raise SamplingError(
                    f"holder {holder!r} is listed under {roles[holder]!r} and {role!r}; "
                    "a holder draws for one role"
                )
            flat[holder] = values
            counts[holder] = owed[role]
            roles[holder] = role
    return flat, counts, roles


def _needs(where: str, rule: SamplingRule, count: int | None) -> int:
    if count is None and rule.size is not None:
        raise SamplingArgumentError(
            f"{where} samples {rule.method.value}, but its profile does not state how many "
            "(its size is 'not stated')",
            argument="n",
            problem="missing",
            advice="pass n (sample_size() gives one for a margin of error)",
        )
    if count is None:
        raise SamplingArgumentError(
            f"{where} samples {rule.method.value} but its rule gives no size",
            argument="n",
            problem="missing",
            advice="pass n (sample_size() gives one for a margin of error)",
        )
    return count


def sample_for_activity(
    profile: Profile,
    activity_id: str,
    cases: CasePool | Iterable[Case],
    *,
    as_of: date,
    seed: int,
    audited: Iterable[AuditedChild | tuple[str, date]] = (),
    n: int | None = None,
    where: Criteria | None = None,
    description: str | None = None,
    holders: Holders | Mapping[str, Holders] | None = None,
    holder_field: str = "team",
    period: str | None = None,
) -> Sample:
    """Draw the sample an activity's own :class:`SamplingRule` in ``profile`` asks for.

    The rule decides, so each council's sampling comes from its profile:

    - look-back exclusion: when the rule has ``exclude_audited_within``, children in
      ``audited`` (earlier audits) audited in that window up to ``as_of`` are left out;
      otherwise ``audited`` is not consulted;
    - the rule's ``filter`` (a :class:`~qaframework.policy.case_filters.CaseFilter`) keeps
      only the cases it describes, before any method draws; a field it names that the case
      list lacks raises :class:`UnknownCaseField` naming the field;
    - size: ``n`` when given, else the rule's quota count ("approximately 35" draws 35). An
      ``n`` outside an exact quota is an error; an approximate, "e.g." or "up to" quota
      gives way to ``n``;
    - method: ``random`` draws :func:`simple_random`, or :func:`stratified` when the rule
      names strata; ``stratified`` draws :func:`stratified` over the rule's strata;
      ``dip_sample`` draws :func:`dip_sample`; ``purposive`` takes every case meeting the
      rule's filter and ``where`` (a rule whose criteria are prose only needs the caller to
      state the filter as ``where``); a quota per role (``quota_per_role``, or a size with
      ``per_role``) draws :func:`quota_per_holder` with ``holders`` over ``holder_field``,
      ``count`` per holder, for ``period`` (default: ``as_of`` in ISO form); a size owed
      per several roles takes ``holders`` grouped by role (``{"team_manager": {"A. Khan":
      "North"}, "advanced_practitioner": {...}}``), each holder drawing its role's count;
      ``event`` rules select by case events, not by sampling, and raise.

    ``where`` (with ``description``) first narrows the cases for any method, as the rule's
    criteria describe ("cases open to the team"). An unknown activity, an activity without
    a sampling rule, or a rule that needs a size it does not give (and no ``n``) raises
    :class:`SamplingError`.
    """
    place, rule = _activity_rule(profile, activity_id)
    _check_date(as_of, "as_of")
    _check_seed(seed)
    count = _rule_count(profile, place, rule, n)
    pool = CasePool.of(cases)
    if rule.exclude_audited_within is not None:
        pool = pool.excluding_audited(audited, within=rule.exclude_audited_within, as_of=as_of)
    method = rule.method
    if method is SamplingMethod.EVENT:
        raise SamplingError(
            f"{place} selects cases on case events ({rule.criteria or 'no criteria given'}), "
            "not by sampling a case list"
        )
    if rule.filter is not None:
        pool = pool.where(
            rule.filter,
            names={f.id: f.name for f in profile.case_fields},
            context=f"the sampling rule of {place}",
        )
    if method is SamplingMethod.PURPOSIVE:
        if where is None and rule.filter is None:
            raise SamplingArgumentError(
                f"{place} samples purposively by criteria stated in prose "
                f"({rule.criteria or 'none given'}) and its rule states no filter",
                argument="where",
                problem="missing",
                advice="pass the filter that applies them as where",
            )
        if n is not None:
            raise SamplingArgumentError(
                f"{place} takes every case meeting its criteria",
                argument="n",
                problem="not_applicable",
                advice="n does not apply",
            )
        if where is not None:
            pool = pool.where(where, description=description)
        # Every case the filters keep: nothing is drawn at random.
        return Sample(
            SamplingMethod.PURPOSIVE,
            pool.cases,
            pool.eligible,
            pool.population,
            pool.eligible,
            None,
            pool.exclusions,
        )
    if where is not None:
        pool = pool.where(where, description=description)
    sizes = rule.sizes
    per_role = sizes[0].per_role if len(sizes) == 1 else None
    if len(sizes) > 1:
        flat, counts, roles = _by_role(profile, place, sizes, holders)
        return quota_per_holder(
            pool,
            0,
            seed=seed,
            period=as_of.isoformat() if period is None else period,
            by=holder_field,
            holders=flat,
            counts=counts,
            roles=roles,
        )
    if method is SamplingMethod.QUOTA_PER_ROLE or per_role is not None:
        if holders is not None and any(isinstance(v, Mapping) for v in holders.values()):
            raise SamplingArgumentError(
                f"{place} owes one count per holder",
                argument="holders",
                problem="form",
                advice="give each holder what they answer for, not holders grouped by role",
            )
        return quota_per_holder(
            pool,
            _needs(place, rule, count),
            seed=seed,
            period=as_of.isoformat() if period is None else period,
            by=holder_field,
            holders=holders,
            role=per_role,
        )
    size = _needs(place, rule, count)
    if method is SamplingMethod.STRATIFIED or (method is SamplingMethod.RANDOM and rule.strata):
        if not rule.strata:
            raise SamplingError(f"{place} samples stratified but its rule names no strata")
        return stratified(pool, size, by=rule.strata, seed=seed)
    if method is SamplingMethod.DIP_SAMPLE:
        return dip_sample(pool, size, seed=seed)
    return simple_random(pool, size, seed=seed)
