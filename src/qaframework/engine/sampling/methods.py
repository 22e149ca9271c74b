"""The sampling methods: simple random, dip, purposive, stratified and a quota per holder."""

from __future__ import annotations

import heapq
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from qaframework.engine.sampling.pool import (
    _CHILD_ID,
    CasePool,
    Criteria,
    Exclusion,
    ExclusionReason,
    NotEnoughCases,
    SamplingError,
    UnknownCaseField,
    _check_count,
    _check_seed,
    _fields_with_values,
    _getter,
    _require_field,
    random_positions,
)
from qaframework.engine.sampling.sample import HolderDraw, Sample, Stratum
from qaframework.policy.sampling import Case, SamplingMethod

__all__ = [
    "dip_sample",
    "proportionate_quotas",
    "purposive",
    "quota_per_holder",
    "simple_random",
    "stratified",
]


def _shortfall(pool: CasePool, asked: int, context: str = "") -> NotEnoughCases:
    details = [f"{pool.population} on the list"]
    details.extend(f"{e.count} {e.description}" for e in pool.exclusions)
    return NotEnoughCases(asked, pool.eligible, f"{context} ({'; '.join(details)})")


def _draw(pool: CasePool, n: int, seed: int, stream: str) -> tuple[Case, ...]:
    _check_count(n, "the sample size")
    _check_seed(seed)
    if n > pool.eligible:
        raise _shortfall(pool, n)
    positions = sorted(random_positions(pool.eligible, n, seed=seed, stream=stream))
    cases = pool.cases
    return tuple(cases[p] for p in positions)


def simple_random(cases: CasePool | Iterable[Case], n: int, *, seed: int) -> Sample:
    """A simple random sample of ``n`` of the eligible cases, without repeats.

    Every set of ``n`` cases is equally likely; the draw is :func:`random_positions` on the
    stream ``"simple_random"``. The cases come out in case-list order.
    """
    pool = CasePool.of(cases)
    chosen = _draw(pool, n, seed, "simple_random")
    return Sample(
        SamplingMethod.RANDOM, chosen, n, pool.population, pool.eligible, seed, pool.exclusions
    )


def dip_sample(
    cases: CasePool | Iterable[Case],
    n: int,
    *,
    seed: int,
    where: Criteria | None = None,
    description: str | None = None,
) -> Sample:
    """A dip sample: ``n`` cases at random among those meeting ``where`` (all when None).

    Manchester dip samples "e.g. 40 cases" in the areas linked to a performance indicator:
    the filter picks the area (see :meth:`CasePool.where`), the draw is random on the stream
    ``"dip_sample"``. The cases come out in case-list order.
    """
    pool = CasePool.of(cases)
    if where is not None:
        pool = pool.where(where, description=description)
    chosen = _draw(pool, n, seed, "dip_sample")
    return Sample(
        SamplingMethod.DIP_SAMPLE,
        chosen,
        n,
        pool.population,
        pool.eligible,
        seed,
        pool.exclusions,
    )


def purposive(
    cases: CasePool | Iterable[Case], where: Criteria, *, description: str | None = None
) -> Sample:
    """A purposive sample: every eligible case meeting ``where``, in case-list order.

    Nothing is drawn at random (the sample's seed is None); the cases not matching are
    recorded as an exclusion described by ``description`` (see :meth:`CasePool.where`).
    """
    pool = CasePool.of(cases).where(where, description=description)
    return Sample(
        SamplingMethod.PURPOSIVE,
        pool.cases,
        pool.eligible,
        pool.population,
        pool.eligible,
        None,
        pool.exclusions,
    )


def _hamilton(sizes: Sequence[int], total: int, n: int) -> list[int]:
    quotas = [n * size // total for size in sizes]
    left = n - sum(quotas)
    # Largest remainder n * size mod total first; ties to the earlier stratum.
    order = sorted(range(len(sizes)), key=lambda i: (-(n * sizes[i] % total), i))
    for i in order[:left]:
        quotas[i] += 1
    return quotas


def _represent_all(sizes: Sequence[int], total: int, n: int, quotas: list[int]) -> list[int]:
    final = list(quotas)
    empty = [i for i, size in enumerate(sizes) if size and not final[i]]
    # Donors: most above their exact share first (largest quota * total - n * size).
    donors = [(n * sizes[i] - q * total, i) for i, q in enumerate(final) if q >= 2]
    heapq.heapify(donors)
    for i in empty:
        # n is at least the number of non-empty strata, so while one is at 0 another has 2+.
        _, donor = heapq.heappop(donors)
        final[donor] -= 1
        final[i] = 1
        if final[donor] >= 2:
            heapq.heappush(donors, (n * sizes[donor] - final[donor] * total, donor))
    return final


def _quotas(sizes: Sequence[int], n: int) -> tuple[list[int], list[int]]:
    total = sum(sizes)
    if n > total:
        raise NotEnoughCases(n, total)
    if n == 0:
        zeros = [0] * len(sizes)
        return zeros, zeros
    proportional = _hamilton(sizes, total, n)
    non_empty = sum(1 for size in sizes if size)
    if n >= non_empty:
        return proportional, _represent_all(sizes, total, n, proportional)
    return proportional, proportional


def proportionate_quotas(sizes: Sequence[int], n: int) -> tuple[int, ...]:
    """Share ``n`` between strata of ``sizes`` in proportion, by largest remainder (Hamilton).

    Each stratum first gets ``floor(n * size / total)``; the seats left over go one each to
    the strata with the largest remainders ``n * size mod total``, ties to the earlier
    stratum. Every quota is then within 1 of its exact share ``n * size / total``, and no
    quota exceeds its stratum's size.

    When ``n`` is at least the number of non-empty strata, every one is represented: each
    non-empty stratum left at 0 gets 1, taken from the stratum with 2 or more that is
    furthest above its exact share (largest ``quota * total - n * size``; ties to the earlier
    stratum), one seat at a time. Only those donors can end more than 1 from their exact
    share, which happens when one large stratum sits beside many very small ones.
    """
    _check_count(n, "the sample size")
    for size in sizes:
        _check_count(size, "a stratum size")
    return tuple(_quotas(sizes, n)[1])


def _order_key(values: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, value or "") for value in values)


def stratified(
    cases: CasePool | Iterable[Case], n: int, *, by: str | Sequence[str], seed: int
) -> Sample:
    """A proportionate stratified random sample of ``n`` over one or more case fields.

    Cases are grouped by their values of the fields ``by`` (any field :meth:`Case.value`
    reads; several fields give combined strata, such as each service area and team pair).
    Strata are ordered by their values, a missing value (None) after the others. Quotas come
    from :func:`proportionate_quotas`: within 1 of the exact proportion, and every stratum
    represented when ``n`` is at least the number of strata. Each stratum draws its quota by
    :func:`random_positions` on a stream naming its values, so a stratum's cases depend only
    on the seed, its own cases (in list order) and its quota.

    Cost: one pass over the cases to group them, then work in proportion to ``n`` and the
    number of strata. A field no case has a value for raises :class:`UnknownCaseField`.
    """
    pool = CasePool.of(cases)
    fields = (by,) if isinstance(by, str) else tuple(by)
    if not fields:
        raise SamplingError("a stratified sample names at least one field to stratify by")
    for field in fields:
        if not isinstance(field, str) or not field:
            raise SamplingError(f"a field name must be a non-empty string, got {field!r}")
    if len(set(fields)) != len(fields):
        raise SamplingError(f"a field is named twice in the strata {list(fields)}")
    _check_count(n, "the sample size")
    _check_seed(seed)
    members = pool.cases
    columns = [map(_getter(field), members) for field in fields]
    keys: Iterable[Any] = columns[0] if len(columns) == 1 else zip(*columns, strict=True)
    groups: dict[Any, list[Case]] = {}
    for case, key in zip(members, keys, strict=True):
        group = groups.get(key)
        if group is None:
            groups[key] = [case]
        else:
            group.append(case)
    strata = {(key,) if len(fields) == 1 else key: group for key, group in groups.items()}
    if strata:
        for position, field in enumerate(fields):
            if all(values[position] is None for values in strata):
                raise UnknownCaseField(field, _fields_with_values(members))
    if n > pool.eligible:
        raise _shortfall(pool, n)
    ordered = sorted(strata, key=_order_key)
    sizes = [len(strata[values]) for values in ordered]
    proportional, final = _quotas(sizes, n)
    chosen: list[Case] = []
    described: list[Stratum] = []
    for values, size, fair, quota in zip(ordered, sizes, proportional, final, strict=True):
        group = strata[values]
        stream = "stratum\n" + json.dumps(list(values))
        drawn = [group[p] for p in sorted(random_positions(size, quota, seed=seed, stream=stream))]
        chosen.extend(drawn)
        exact = n * size / pool.eligible
        described.append(Stratum(values, size, exact, fair, quota, tuple(map(_CHILD_ID, drawn))))
    return Sample(
        SamplingMethod.STRATIFIED,
        tuple(chosen),
        n,
        pool.population,
        pool.eligible,
        seed,
        pool.exclusions,
        strata_fields=fields,
        strata=tuple(described),
    )


def _holder_values(holder: object, values: object) -> tuple[str, ...]:
    if not isinstance(holder, str) or not holder:
        raise SamplingError(f"a holder is named by non-empty text, got {holder!r}")
    found = (values,) if isinstance(values, str) else values
    if not isinstance(found, Collection) or not found or not all(isinstance(v, str) for v in found):
        raise SamplingError(
            f"holder {holder!r} must be responsible for a value or a non-empty collection of "
            f"strings, got {values!r}"
        )
    return tuple(sorted(set(found)))


def quota_per_holder(
    cases: CasePool | Iterable[Case],
    count: int,
    *,
    seed: int,
    period: str,
    by: str = "team",
    holders: Mapping[str, str | Collection[str]] | None = None,
    role: str | None = None,
    counts: Mapping[str, int] | None = None,
    roles: Mapping[str, str] | None = None,
) -> Sample:
    """``count`` cases for each role-holder, from the cases they answer for, in one period.

    "1 per Team Manager per month" is one call a month with ``period="2026-05"``: the period
    names each holder's draw, so one seed gives a different draw each month. ``holders`` maps
    each holder (a name or id) to the value or values of the field ``by`` they are
    responsible for (``{"A. Khan": "North", "B. Ode": ["South", "East"]}``); without it, each
    value of ``by`` on the list is one holder (one Team Manager per team).

    Holders draw in the order of their names, each at random among their cases that an
    earlier holder has not drawn, so two managers sharing a team never audit the same case.
    Cases no holder answers for are excluded with the reason ``NO_HOLDER``. A holder with
    fewer than ``count`` cases raises :class:`NotEnoughCases`. ``role`` (a role id, such as
    ``team_manager``) is recorded on the sample.

    Where roles owe different counts ("2 per Team Manager and 1 per Advanced
    Practitioner"), ``counts`` gives a holder's own count (``count`` for holders it does not
    name) and ``roles`` the role each holder draws for, recorded on its draw.
    """
    pool = CasePool.of(cases)
    _check_count(count, "the count per holder")
    for name, owed in (counts or {}).items():
        _check_count(owed, f"the count of holder {name!r}")
    _check_seed(seed)
    if not isinstance(period, str) or not period:
        raise SamplingError(f"a period is named by non-empty text (2026-05), got {period!r}")
    _require_field(pool.cases, by)
    groups: dict[str | None, list[int]] = {}
    for position, value in enumerate(map(_getter(by), pool.cases)):
        group = groups.get(value)
        if group is None:
            groups[value] = [position]
        else:
            group.append(position)
    responsible: dict[str, tuple[str, ...]]
    if holders is None:
        responsible = {value: (value,) for value in groups if value is not None}
    else:
        responsible = {h: _holder_values(h, v) for h, v in holders.items()}
    covered = {value for values in responsible.values() for value in values}
    orphans = sorted(p for value, group in groups.items() if value not in covered for p in group)
    taken: set[int] = set()
    chosen: list[Case] = []
    draws: list[HolderDraw] = []
    requested = 0
    for holder in sorted(responsible):
        values = responsible[holder]
        owed = (counts or {}).get(holder, count)
        requested += owed
        own = sorted(p for value in values for p in groups.get(value, ()))
        open_to_draw = [p for p in own if p not in taken]
        if owed > len(open_to_draw):
            raise NotEnoughCases(
                owed, len(open_to_draw), f" for {holder!r} ({by} {', '.join(values)})"
            )
        stream = f"quota_per_holder\n{period}\n{holder}"
        picks = sorted(random_positions(len(open_to_draw), owed, seed=seed, stream=stream))
        drawn = [pool.cases[open_to_draw[p]] for p in picks]
        taken.update(open_to_draw[p] for p in picks)
        chosen.extend(drawn)
        draws.append(
            HolderDraw(
                holder,
                values,
                len(open_to_draw),
                owed,
                tuple(map(_CHILD_ID, drawn)),
                (roles or {}).get(holder),
            )
        )
    exclusions = pool.exclusions
    if orphans:
        orphan_ids = tuple(pool.cases[p].child_id for p in orphans)
        exclusions = (
            *exclusions,
            Exclusion(
                ExclusionReason.NO_HOLDER, f"with no holder responsible for their {by}", orphan_ids
            ),
        )
    return Sample(
        SamplingMethod.QUOTA_PER_ROLE,
        tuple(chosen),
        requested,
        pool.population,
        pool.eligible - len(orphans),
        seed,
        exclusions,
        holder_field=by,
        holder_role=role,
        period=period,
        holders=tuple(draws),
    )
