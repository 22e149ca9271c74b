"""Sampling rules: how a council chooses the cases an audit looks at.

Bolton samples its quality case file audits stratified by service area; Staying Safe picked
approximately 35 cases at random; Manchester dip samples "e.g. 40 cases" and each Team
Manager audits one case a month; thematic audits sample purposively. A
:class:`SamplingRule` states the method, size, strata and look-back exclusion as data.
"""

from __future__ import annotations

import enum

import attrs

from qaframework.cadence import IsoDuration, Quota
from qaframework.citations import Citation

__all__ = ["SamplingMethod", "SamplingRule"]


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

    ``size`` is the quota of cases; ``strata`` the case-list fields a stratified sample is
    proportionate over (``service_area``); ``criteria`` describes a purposive selection;
    ``exclude_audited_within`` leaves out children audited in that look-back window.
    """

    method: SamplingMethod
    citation: Citation
    size: Quota | None = None
    strata: tuple[str, ...] = ()
    criteria: str | None = None
    exclude_audited_within: IsoDuration | None = None
