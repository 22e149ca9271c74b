"""The sampling engine: a case list to a sample.

The engine draws a :class:`Sample` from a case list: :func:`simple_random`,
:func:`stratified`, :func:`purposive`, :func:`dip_sample` and :func:`quota_per_holder`, over
a :class:`CasePool` that records what was left out and why (children audited within a
look-back window, cases not matching a filter). :func:`sample_for_activity` applies an
activity's own :class:`~qaframework.policy.sampling.SamplingRule` from a profile;
:func:`sample_size` sizes a sample for a margin of error.

Randomness is reproducible on every machine and Python version: see :func:`random_positions`.
A sample depends on the seed, the parameters and the case list *in the order given* (the
engine does not sort the list, so that a million cases cost one pass): the same list in the
same order with the same seed gives the same sample.
"""

from __future__ import annotations

import enum
import hashlib
import heapq
import json
import math
import random
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from operator import attrgetter
from statistics import NormalDist
from typing import Any, Protocol, TypeAlias

import attrs

from qaframework.errors import QAFrameworkError
from qaframework.policy.cadence import IsoDuration, QuotaQualifier
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import _CASE_FIELDS, Case, SamplingMethod, SamplingRule

__all__ = [
    "AuditedChild",
    "CasePool",
    "Criteria",
    "Exclusion",
    "ExclusionReason",
    "HolderDraw",
    "NotEnoughCases",
    "Sample",
    "SamplingError",
    "Stratum",
    "UnknownCaseField",
    "dip_sample",
    "proportionate_quotas",
    "purposive",
    "quota_per_holder",
    "random_positions",
    "sample_for_activity",
    "sample_size",
    "simple_random",
    "stratified",
]


class SamplingError(QAFrameworkError, ValueError):
    """A sample cannot be drawn as asked: a negative size, a rule without a size, a bad filter."""


class NotEnoughCases(SamplingError):
    """More cases were asked for than are eligible."""

    def __init__(self, asked: int, eligible: int, context: str = "") -> None:
        self.asked = asked
        self.eligible = eligible
        verb = "is" if eligible == 1 else "are"
        super().__init__(
            f"cannot draw {asked} case{'s' if asked != 1 else ''}{context}: "
            f"only {eligible} {verb} eligible"
        )


class UnknownCaseField(SamplingError, LookupError):
    """A field named for strata, holders or a filter has no value on any case of the list."""

    def __init__(self, field: str, known: Iterable[str]) -> None:
        self.field = field
        self.known = tuple(sorted(known))
        listed = ", ".join(self.known) or "none"
        super().__init__(
            f"no case on the list has a value for field {field!r} (fields with values: {listed})"
        )


_STREAM_PREFIX = "qaframework.sampling/1"
# random() returns k / 2**53 for an integer k below 2**53, so k is recovered exactly.
_TWO_53 = 1 << 53
_CHILD_ID = attrgetter("child_id")


def _check_count(value: object, name: str) -> int:
    if type(value) is not int:
        raise SamplingError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise SamplingError(f"{name} cannot be negative, got {value}")
    return value


def _check_seed(seed: object) -> int:
    if type(seed) is not int:
        raise SamplingError(f"the seed must be an integer, got {seed!r}")
    return seed


def _check_date(value: object, name: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise SamplingError(f"{name} must be a date without a time, got {value!r}")
    return value


def random_positions(size: int, k: int, *, seed: int, stream: str = "") -> tuple[int, ...]:
    """``k`` distinct positions of ``range(size)``, uniformly at random, in the order drawn.

    The algorithm is fixed, so that a seed gives the same positions on every machine and
    Python version:

    1. The generator is ``random.Random(key)``, where ``key`` is the first 16 bytes, read as a
       big-endian integer, of the BLAKE2b digest of ``"qaframework.sampling/1\\n" + stream +
       "\\n" + str(seed)`` in UTF-8. Seeding with an integer and ``random()`` are the parts of
       :mod:`random` Python promises to keep reproducible; ``getrandbits``, ``randrange``,
       ``sample`` and ``shuffle`` carry no such promise and are not used.
    2. Each ``random()`` is an exact multiple of 2**-53; times 2**53 it is an integer ``x``
       below 2**53. A uniform integer below ``bound`` is ``x % bound``, drawing again while
       ``x`` is at or above the largest multiple of ``bound`` not above 2**53 (rejection, so
       there is no modulo bias).
    3. A partial Fisher-Yates shuffle of ``0 .. size - 1``: for ``i`` from 0 to ``k - 1``,
       swap slot ``i`` with slot ``i + below(size - i)`` and take what lands in slot ``i``.
       Only swapped slots are stored (in a dictionary), so the cost grows with ``k``, not
       ``size``.

    ``stream`` names what the draw is for (a stratum, a holder in a period), so that draws
    for different purposes from one seed are independent of each other.
    """
    _check_count(size, "the population size")
    _check_count(k, "the sample size")
    _check_seed(seed)
    if k > size:
        raise NotEnoughCases(k, size)
    if size > _TWO_53:
        raise SamplingError(f"cannot sample from more than 2**53 positions, got {size}")
    message = f"{_STREAM_PREFIX}\n{stream}\n{seed}".encode()
    key = int.from_bytes(hashlib.blake2b(message, digest_size=16).digest(), "big")
    uniform = random.Random(key).random
    swapped: dict[int, int] = {}
    drawn: list[int] = []
    for i in range(k):
        bound = size - i
        limit = _TWO_53 - _TWO_53 % bound
        while True:
            x = int(uniform() * _TWO_53)
            if x < limit:
                break
        j = i + x % bound
        drawn.append(swapped.get(j, j))
        swapped[j] = swapped.get(i, i)
    return tuple(drawn)


class ExclusionReason(enum.Enum):
    """Why cases on a list were left out before drawing."""

    AUDITED_WITHIN_WINDOW = "audited_within_window"
    NOT_MATCHING_CRITERIA = "not_matching_criteria"
    NO_HOLDER = "no_holder"


@attrs.frozen
class Exclusion:
    """Cases left out before drawing, why, and which children they are (in case-list order)."""

    reason: ExclusionReason
    description: str
    child_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many cases were left out."""
        return len(self.child_ids)


class AuditedChild(Protocol):
    """An earlier audit, as the look-back exclusion reads it.

    :class:`~qaframework.engine.audits.Audit` fits; so does any record with these two attributes.
    """

    @property
    def child_id(self) -> str:
        """The pseudonymous child id."""

    @property
    def audit_date(self) -> date:
        """The day of the audit."""


Criteria: TypeAlias = Callable[[Case], bool] | Mapping[str, str | Collection[str]]
"""A filter: a predicate on a case, or field names mapped to the value(s) a case must have."""


def _getter(name: str) -> Callable[[Case], str | None]:
    # The same reading as Case.value, without a method call per case on the bulk paths.
    if name in _CASE_FIELDS:
        return attrgetter(name)
    return lambda case: case.fields.get(name)


def _fields_with_values(cases: Sequence[Case]) -> set[str]:
    known: set[str] = set()
    for case in cases:
        known.update(f for f in _CASE_FIELDS if getattr(case, f) is not None)
        known.update(case.fields)
    return known


def _require_field(cases: Sequence[Case], name: str) -> None:
    if not isinstance(name, str) or not name:
        raise SamplingError(f"a field name must be a non-empty string, got {name!r}")
    if cases and all(value is None for value in map(_getter(name), cases)):
        raise UnknownCaseField(name, _fields_with_values(cases))


def _value_set(field: str, wanted: str | Collection[str]) -> frozenset[str]:
    values = frozenset((wanted,) if isinstance(wanted, str) else wanted)
    if not values or not all(isinstance(v, str) for v in values):
        raise SamplingError(
            f"the filter on {field!r} must give a value or a non-empty collection of strings, "
            f"got {wanted!r}"
        )
    return values


def _field_filter(
    criteria: Mapping[str, str | Collection[str]], cases: Sequence[Case]
) -> tuple[Callable[[Case], bool], str]:
    if not criteria:
        raise SamplingError("a filter names at least one field")
    tests: list[tuple[Callable[[Case], str | None], frozenset[str]]] = []
    words: list[str] = []
    for field, wanted in criteria.items():
        _require_field(cases, field)
        values = _value_set(field, wanted)
        tests.append((_getter(field), values))
        shown = sorted(values)
        words.append(
            f"{field} = {shown[0]}" if len(shown) == 1 else f"{field} in {', '.join(shown)}"
        )

    def matches(case: Case) -> bool:
        return all(get(case) in values for get, values in tests)

    return matches, " and ".join(words)


def _audited_pair(item: object, index: int) -> tuple[str, date]:
    if isinstance(item, tuple):
        if len(item) != 2:
            raise SamplingError(
                f"earlier audit {index + 1}: expected (child_id, audit_date), got {item!r}"
            )
        child_id, day = item
    else:
        child_id = getattr(item, "child_id", None)
        day = getattr(item, "audit_date", None)
    if not isinstance(child_id, str) or not child_id:
        raise SamplingError(
            f"earlier audit {index + 1}: the child id must be text, got {child_id!r}"
        )
    return child_id, _check_date(day, f"earlier audit {index + 1}: the audit date")


def _partition(cases: Sequence[Case], keep: Callable[[Case], bool]) -> tuple[list[Case], list[str]]:
    kept: list[Case] = []
    dropped: list[str] = []
    add_kept = kept.append
    add_dropped = dropped.append
    for case in cases:
        if keep(case):
            add_kept(case)
        else:
            add_dropped(case.child_id)
    return kept, dropped


@attrs.frozen
class CasePool:
    """The cases a sample may be drawn from, with the exclusions made so far.

    Build one with :meth:`of`; narrow it with :meth:`where` and :meth:`excluding_audited`.
    ``population`` counts the cases on the original list: it is always ``len(cases)`` plus
    the cases of every exclusion. Every sampling function accepts a pool or a plain case list.
    """

    cases: tuple[Case, ...]
    population: int
    exclusions: tuple[Exclusion, ...] = ()

    @classmethod
    def of(cls, cases: CasePool | Iterable[Case]) -> CasePool:
        """A pool of every case on the list (a pool is returned as it is).

        A case list has one row per child: a child listed twice would be twice as likely to
        be drawn, so it raises :class:`SamplingError` naming the child and both rows.
        """
        if isinstance(cases, CasePool):
            return cases
        listed = tuple(cases)
        # Two passes (ids, then the set) touch memory in order: faster than one at 1M cases.
        ids = list(map(_CHILD_ID, listed))
        if len(set(ids)) != len(ids):
            first: dict[str, int] = {}
            for row, case in enumerate(listed, start=1):
                earlier = first.setdefault(case.child_id, row)
                if earlier != row:
                    raise SamplingError(
                        f"child {case.child_id!r} is on the case list twice (cases {earlier} "
                        f"and {row}); a case list has one row per child"
                    )
        return cls(listed, len(listed))

    @property
    def eligible(self) -> int:
        """How many cases remain to draw from."""
        return len(self.cases)

    def _narrowed(
        self, kept: list[Case], reason: ExclusionReason, description: str, dropped: list[str]
    ) -> CasePool:
        exclusion = Exclusion(reason, description, tuple(dropped))
        return CasePool(tuple(kept), self.population, (*self.exclusions, exclusion))

    def where(self, criteria: Criteria, *, description: str | None = None) -> CasePool:
        """The cases meeting ``criteria``; the others are excluded as not matching.

        ``criteria`` is a predicate on a case, or a mapping of field names to a value or a
        collection of values: a case matches when each field's value is one of those given
        (``{"service_area": "Children in Care", "legal_status": ["CP", "CIN"]}``). A mapping
        naming a field no case has a value for raises :class:`UnknownCaseField`.
        ``description`` says in words what the filter keeps; a mapping describes itself, a
        predicate is described by its name when no description is given.
        """
        if isinstance(criteria, Mapping):
            test, text = _field_filter(criteria, self.cases)
        elif callable(criteria):
            test, text = criteria, getattr(criteria, "__name__", repr(criteria))
        else:
            raise SamplingError(
                f"a filter is a predicate or a mapping of fields to values, got {criteria!r}"
            )
        kept, dropped = _partition(self.cases, test)
        text = description or text
        return self._narrowed(
            kept, ExclusionReason.NOT_MATCHING_CRITERIA, f"not matching: {text}", dropped
        )

    def excluding_audited(
        self,
        audited: Iterable[AuditedChild | tuple[str, date]],
        *,
        within: IsoDuration,
        as_of: date,
    ) -> CasePool:
        """Leave out the children audited in the window ``within`` up to ``as_of``.

        ``audited`` are earlier audits: :class:`~qaframework.engine.audits.Audit` records or
        ``(child_id, audit_date)`` pairs. A child is left out when one of its audits is dated
        after ``as_of - within`` and on or before ``as_of``: with ``P1Y`` as of 1 June 2026,
        audits from 2 June 2025 to 1 June 2026. An audit dated after ``as_of`` was not yet
        done on that date and excludes nobody.
        """
        _check_date(as_of, "as_of")
        if not isinstance(within, IsoDuration):
            raise SamplingError(f"the look-back window must be an IsoDuration, got {within!r}")
        since = within.subtract_from(as_of)
        recent: set[str] = set()
        for index, item in enumerate(audited):
            child_id, day = _audited_pair(item, index)
            if since < day <= as_of:
                recent.add(child_id)
        kept, dropped = _partition(self.cases, lambda case: case.child_id not in recent)
        description = (
            f"audited in the {within.describe(numbered=True)} up to {as_of.isoformat()} "
            f"(since {(since + timedelta(days=1)).isoformat()})"
        )
        return self._narrowed(kept, ExclusionReason.AUDITED_WITHIN_WINDOW, description, dropped)


@attrs.frozen
class Stratum:
    """One stratum of a stratified sample: its field values, size and quota.

    ``values`` line up with :attr:`Sample.strata_fields` (None where the cases have no
    value). ``size`` counts its eligible cases; ``exact`` is its proportionate share
    ``n * size / eligible``; ``proportional`` its largest-remainder quota; ``quota`` what was
    drawn, which differs from ``proportional`` only when every stratum had to be represented
    (see :func:`proportionate_quotas`). ``child_ids`` are the cases drawn, in case-list order.
    """

    values: tuple[str | None, ...]
    size: int
    exact: float
    proportional: int
    quota: int
    child_ids: tuple[str, ...]


@attrs.frozen
class HolderDraw:
    """One role-holder's draw in a quota sample: whose, from what, how many, which cases.

    ``responsible_for`` are the values of :attr:`Sample.holder_field` the holder answers
    for (their team); ``eligible`` the cases open to the holder's draw.
    """

    holder: str
    responsible_for: tuple[str, ...]
    eligible: int
    quota: int
    child_ids: tuple[str, ...]


@attrs.frozen
class Sample:
    """A drawn sample: the cases chosen, how they were chosen, and what was left out.

    ``cases`` are in case-list order, grouped by stratum or holder (in the order of
    :attr:`strata` or :attr:`holders`) when the sample has them. ``requested`` is the size
    asked for (for a purposive sample, the cases matching); ``population`` the cases on the
    list; ``eligible`` those left after the :attr:`exclusions`. ``seed`` is None for a
    purposive sample, which draws nothing at random. ``period`` names a per-holder draw and
    ``holder_role`` the role id the holders hold, when a profile's rule gave it.
    """

    method: SamplingMethod
    cases: tuple[Case, ...]
    requested: int
    population: int
    eligible: int
    seed: int | None = None
    exclusions: tuple[Exclusion, ...] = ()
    strata_fields: tuple[str, ...] = ()
    strata: tuple[Stratum, ...] = ()
    holder_field: str | None = None
    holder_role: str | None = None
    period: str | None = None
    holders: tuple[HolderDraw, ...] = ()

    @property
    def child_ids(self) -> tuple[str, ...]:
        """The children drawn, in the order of :attr:`cases`."""
        return tuple(case.child_id for case in self.cases)

    # Notebook views live in adapters, imported only when asked for.
    def to_pandas(self) -> Any:
        """The sampled cases as a pandas frame (see :func:`qaframework.engine.frames.sample_frame`);
        needs the ``pandas`` extra."""
        from qaframework.engine.frames import sample_frame

        return sample_frame(self, backend="pandas")

    def to_polars(self) -> Any:
        """The sampled cases as a polars frame (see :func:`qaframework.engine.frames.sample_frame`);
        needs the ``polars`` extra."""
        from qaframework.engine.frames import sample_frame

        return sample_frame(self, backend="polars")

    def _repr_html_(self) -> str:
        from qaframework.engine.display import sample_html

        return sample_html(self)


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
    """
    pool = CasePool.of(cases)
    _check_count(count, "the count per holder")
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
    for holder in sorted(responsible):
        values = responsible[holder]
        own = sorted(p for value in values for p in groups.get(value, ()))
        open_to_draw = [p for p in own if p not in taken]
        if count > len(open_to_draw):
            raise NotEnoughCases(
                count, len(open_to_draw), f" for {holder!r} ({by} {', '.join(values)})"
            )
        stream = f"quota_per_holder\n{period}\n{holder}"
        picks = sorted(random_positions(len(open_to_draw), count, seed=seed, stream=stream))
        drawn = [pool.cases[open_to_draw[p]] for p in picks]
        taken.update(open_to_draw[p] for p in picks)
        chosen.extend(drawn)
        draws.append(
            HolderDraw(holder, values, len(open_to_draw), count, tuple(map(_CHILD_ID, drawn)))
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
        count * len(responsible),
        pool.population,
        pool.eligible - len(orphans),
        seed,
        exclusions,
        holder_field=by,
        holder_role=role,
        period=period,
        holders=tuple(draws),
    )


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
    size = rule.size
    if n is None:
        return None if size is None else size.count
    _check_count(n, "n")
    if size is not None and size.qualifier is QuotaQualifier.EXACTLY:
        top = size.count if size.count_max is None else size.count_max
        if not size.count <= n <= top:
            title = profile.role(size.per_role).title if size.per_role else None
            raise SamplingError(
                f"{where} fixes its sample at {size.describe(title)} (its rule cites "
                f"{rule.citation.source}, {rule.citation.section}); n={n} contradicts it"
            )
    return n


def _needs(where: str, rule: SamplingRule, count: int | None) -> int:
    if count is None:
        raise SamplingError(
            f"{where} samples {rule.method.value} but its rule gives no size; pass n "
            "(sample_size() gives one for a margin of error)"
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
    holders: Mapping[str, str | Collection[str]] | None = None,
    holder_field: str = "team",
    period: str | None = None,
) -> Sample:
    """Draw the sample an activity's own :class:`SamplingRule` in ``profile`` asks for.

    The rule decides, so each council's sampling comes from its profile:

    - look-back exclusion: when the rule has ``exclude_audited_within``, children in
      ``audited`` (earlier audits) audited in that window up to ``as_of`` are left out;
      otherwise ``audited`` is not consulted;
    - size: ``n`` when given, else the rule's quota count ("approximately 35" draws 35). An
      ``n`` outside an exact quota is an error; an approximate, "e.g." or "up to" quota
      gives way to ``n``;
    - method: ``random`` draws :func:`simple_random`, or :func:`stratified` when the rule
      names strata; ``stratified`` draws :func:`stratified` over the rule's strata;
      ``dip_sample`` draws :func:`dip_sample`; ``purposive`` takes every case meeting
      ``where`` (the rule's criteria are prose, so the caller states the filter); a quota
      per role (``quota_per_role``, or a size with ``per_role``) draws
      :func:`quota_per_holder` with ``holders`` over ``holder_field``, ``count`` per holder,
      for ``period`` (default: ``as_of`` in ISO form); ``event`` rules select by case
      events, not by sampling, and raise.

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
    if method is SamplingMethod.PURPOSIVE:
        if where is None:
            raise SamplingError(
                f"{place} samples purposively by criteria stated in prose "
                f"({rule.criteria or 'none given'}); pass the filter that applies them as where"
            )
        if n is not None:
            raise SamplingError(f"{place} takes every case meeting its criteria; n does not apply")
        return purposive(pool, where, description=description)
    if where is not None:
        pool = pool.where(where, description=description)
    per_role = rule.size.per_role if rule.size is not None else None
    if method is SamplingMethod.QUOTA_PER_ROLE or per_role is not None:
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
