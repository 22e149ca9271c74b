"""A case list made ready to sample: the cases left out before drawing, and why, and the
errors a sample can raise."""

from __future__ import annotations

import enum
import hashlib
import operator
import random
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import compress
from operator import attrgetter
from typing import Protocol, TypeAlias

import attrs

from qaframework.errors import QAFrameworkError
from qaframework.policy.cadence import IsoDuration
from qaframework.policy.case_filters import (
    CaseFilter,
    Comparison,
    normalise_field_name,
    normalise_value,
)
from qaframework.policy.sampling import _CASE_FIELDS, Case

__all__ = [
    "AuditedChild",
    "CasePool",
    "Criteria",
    "Exclusion",
    "ExclusionReason",
    "NotEnoughCases",
    "SamplingArgumentError",
    "SamplingError",
    "UnknownCaseField",
    "random_positions",
]


class SamplingError(QAFrameworkError, ValueError):
    """A sample cannot be drawn as asked: a negative size, a rule without a size, a bad filter."""


class SamplingArgumentError(SamplingError):
    """An activity's rule needs an argument the call did not give, or refuses one it gave.

    ``reason`` says what the rule says, in the council's terms; ``argument`` names the
    argument of :func:`~qaframework.engine.sampling.sample_for_activity` at issue (``n``,
    ``where``, ``holders``) and ``problem`` what is wrong with it: ``missing``,
    ``not_applicable``, ``contradicts`` (``value`` is the one given) or ``form``. The
    message adds ``advice`` for a Python caller; the command line gives its own, in flags.
    """

    def __init__(
        self,
        reason: str,
        *,
        argument: str,
        problem: str,
        advice: str,
        value: object = None,
    ) -> None:
        self.reason = reason
        self.argument = argument
        self.problem = problem
        self.advice = advice
        self.value = value
        super().__init__(f"{reason}; {advice}")


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
    """A field named for strata, holders or a filter has no value on any case of the list.

    ``context`` says who named the field (a profile's sampling rule), when it was not the
    caller.
    """

    def __init__(self, field: str, known: Iterable[str], context: str = "") -> None:
        self.field = field
        self.known = tuple(sorted(known))
        listed = ", ".join(self.known) or "none"
        named = f"{context} names case field {field!r}, but " if context else ""
        super().__init__(
            f"{named}no case on the list has a value for field {field!r} "
            f"(fields with values: {listed})"
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


Criteria: TypeAlias = Callable[[Case], bool] | Mapping[str, str | Collection[str]] | CaseFilter
"""A filter: a predicate on a case, field names mapped to the value(s) a case must have, or a
profile's :class:`~qaframework.policy.case_filters.CaseFilter`."""


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


class _Columns:
    """The case list's columns, found once for all the fields a filter names."""

    def __init__(self, cases: Sequence[Case]) -> None:
        self.cases = cases
        self._available: set[str] | None = None

    @property
    def available(self) -> set[str]:
        """The fields some case has a value for (one pass over the list, when first asked)."""
        if self._available is None:
            self._available = _fields_with_values(self.cases)
        return self._available

    def has(self, name: str) -> bool:
        """Whether some case has a value for exactly this field (stops at the first)."""
        if name in _CASE_FIELDS:
            get = attrgetter(name)
            return any(get(case) is not None for case in self.cases)
        return any(name in case.fields for case in self.cases)


def _resolve_field(
    columns: _Columns, name: str, names: Mapping[str, str], context: str
) -> Callable[[Case], str | None]:
    """How to read the field a filter names from the cases: the field itself, or a column
    whose name matches the field's (or its declared column name, in ``names``) ignoring
    case, spaces, hyphens and underscores. An :class:`UnknownCaseField` when no case has a
    value for it."""
    if not columns.cases or columns.has(name):
        return _getter(name)
    wanted = {normalise_field_name(name)}
    if name in names:
        wanted.add(normalise_field_name(names[name]))
    available = columns.available
    found = sorted(column for column in available if normalise_field_name(column) in wanted)
    if not found:
        raise UnknownCaseField(name, available, context)
    if len(found) > 1:
        listed = ", ".join(repr(c) for c in found)
        raise SamplingError(
            f"{context or 'the filter'} names case field {name!r}, which the case list "
            f"holds in more than one column ({listed}); keep one"
        )
    return _getter(found[0])


def _mask(
    found: CaseFilter, cases: Sequence[Case], getters: Mapping[str, Callable[[Case], str | None]]
) -> list[bool]:
    """Whether each case meets ``found`` (as :meth:`CaseFilter.matches` reads it), column by
    column: each field's values are read once, and each distinct value judged once."""
    if found.field is not None:
        column = list(map(getters[found.field], cases))
        values = frozenset(normalise_value(v) for v in found.values)
        inside = found.compare is Comparison.IN
        judged = {
            value: value is not None and (normalise_value(value) in values) == inside
            for value in set(column)
        }
        return list(map(judged.__getitem__, column))
    masks = [_mask(member, cases, getters) for member in found.members]
    result = masks[0]
    join = operator.and_ if found.all else operator.or_
    for mask in masks[1:]:
        result = list(map(join, result, mask))
    if found.none:
        result = list(map(operator.not_, result))
    return result


def _filter_partition(
    found: CaseFilter, cases: Sequence[Case], names: Mapping[str, str], context: str
) -> tuple[list[Case], list[str]]:
    """The cases meeting a profile's filter, and the ids of the others, in list order."""
    columns = _Columns(cases)
    getters = {name: _resolve_field(columns, name, names, context) for name in found.fields()}
    mask = _mask(found, cases, getters)
    kept = list(compress(cases, mask))
    dropped = [case.child_id for case in compress(cases, map(operator.not_, mask))]
    return kept, dropped


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

    def where(
        self,
        criteria: Criteria,
        *,
        description: str | None = None,
        names: Mapping[str, str] | None = None,
        context: str = "",
    ) -> CasePool:
        """The cases meeting ``criteria``; the others are excluded as not matching.

        ``criteria`` is a predicate on a case, a mapping of field names to a value or a
        collection of values: a case matches when each field's value is one of those given
        (``{"service_area": "Children in Care", "legal_status": ["CP", "CIN"]}``), or a
        profile's :class:`~qaframework.policy.case_filters.CaseFilter`. A filter's fields
        match the list's columns ignoring case, spaces, hyphens and underscores ("Legal
        Status" is ``legal_status``; ``names`` maps a field to the column name a profile
        declares for it) and its values ignoring case and spacing. A mapping or filter
        naming a field no case has a value for raises :class:`UnknownCaseField` (``context``
        saying who named it). ``description`` says in words what the filter keeps; a mapping
        or filter describes itself, a predicate is described by its name when no
        description is given.
        """
        if isinstance(criteria, CaseFilter):
            kept, dropped = _filter_partition(criteria, self.cases, names or {}, context)
            return self._narrowed(
                kept,
                ExclusionReason.NOT_MATCHING_CRITERIA,
                f"not matching: {description or criteria.describe()}",
                dropped,
            )
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
