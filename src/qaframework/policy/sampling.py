"""Sampling rules as a profile states them, and the cases a sample is drawn from.

A :class:`SamplingRule` states how an activity picks its cases: the method
(:class:`SamplingMethod`), size, strata, purposive criteria and look-back exclusion. A
:class:`Case` is one child's case on a case list. These are the values profiles and case
lists hold; :mod:`qaframework.engine.sampling` draws samples from them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from qaframework.policy.cadence import IsoDuration, Quota, quotas_of, to_quotas
from qaframework.policy.case_filters import CaseFilter
from qaframework.policy.citations import Citation

__all__ = [
    "Case",
    "SamplingMethod",
    "SamplingRule",
]


class SamplingMethod(enum.Enum):
    """How cases are chosen."""

    RANDOM = "random"
    STRATIFIED = "stratified"
    PURPOSIVE = "purposive"
    DIP_SAMPLE = "dip_sample"
    QUOTA_PER_ROLE = "quota_per_role"
    EVENT = "event"


@attrs.frozen
class SamplingRule:
    """How an activity picks its cases.

    ``size`` is the quota of cases: one :class:`~qaframework.policy.cadence.Quota`, or
    several, each owed per a different role ("2 per Team Manager and 1 per Advanced
    Practitioner a month"); ``strata`` the case-list fields a stratified sample is
    proportionate over (``service_area``); ``criteria`` describes the selection in the
    source's words; ``filter`` states which cases it draws from as data (a
    :class:`~qaframework.policy.case_filters.CaseFilter`, applied before any drawing);
    ``exclude_audited_within`` leaves out children audited in that look-back window.
    """

    method: SamplingMethod
    citation: Citation
    size: Quota | tuple[Quota, ...] | None = attrs.field(default=None, converter=to_quotas)
    strata: tuple[str, ...] = ()
    criteria: str | None = None
    filter: CaseFilter | None = None
    exclude_audited_within: IsoDuration | None = None

    @property
    def sizes(self) -> tuple[Quota, ...]:
        """The quotas of ``size``: none, one, or one per role."""
        return quotas_of(self.size)


_CASE_FIELDS = frozenset({"child_id", "team", "worker", "service_area"})


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Case:
    """One child's case on a case list (an Annex A extract, say): who holds it and where.

    ``child_id`` is the pseudonymous Child Unique ID; ``worker`` the allocated worker;
    ``fields`` any other columns the list carries (legal status, age band ...), read-only.
    :meth:`value` reads a named field, so sampling can stratify over any column.
    """

    child_id: str
    team: str | None = None
    worker: str | None = None
    service_area: str | None = None
    fields: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)

    def value(self, name: str) -> str | None:
        """The case's value of a field: ``team``, ``worker``, ``service_area`` or any other."""
        if name in _CASE_FIELDS:
            found: str | None = getattr(self, name)
            return found
        return self.fields.get(name)
