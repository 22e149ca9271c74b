"""Sampling: which cases an activity audits.

Bolton samples its quality case file audits stratified by service area; Staying Safe picked
approximately 35 cases at random; Manchester dip samples "e.g. 40 cases" and each Team
Manager audits one case a month; thematic audits sample purposively.

- :mod:`qaframework.sampling.rules`: the data. A :class:`SamplingRule` states the method,
  size, strata and look-back exclusion of an activity's sampling; a :class:`Case` is one
  row of a case list.
- :mod:`qaframework.sampling.samplers`: the engine that draws a :class:`Sample` from a case
  list: :func:`simple_random`, :func:`stratified`, :func:`purposive`, :func:`dip_sample` and
  :func:`quota_per_holder`, over a :class:`CasePool` that records what was left out and why;
  :func:`sample_for_activity` applies an activity's own rule from a profile;
  :func:`sample_size` sizes a sample for a margin of error.

Every name is imported from ``qaframework.sampling``; the samplers' names load their
submodule on first use, so loading a profile does not load the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qaframework.sampling.rules import Case, SamplingMethod, SamplingRule

if TYPE_CHECKING:
    from qaframework.sampling.samplers import (
        AuditedChild,
        CasePool,
        Criteria,
        Exclusion,
        ExclusionReason,
        HolderDraw,
        NotEnoughCases,
        Sample,
        SamplingError,
        Stratum,
        UnknownCaseField,
        dip_sample,
        proportionate_quotas,
        purposive,
        quota_per_holder,
        random_positions,
        sample_for_activity,
        sample_size,
        simple_random,
        stratified,
    )

__all__ = [
    "AuditedChild",
    "Case",
    "CasePool",
    "Criteria",
    "Exclusion",
    "ExclusionReason",
    "HolderDraw",
    "NotEnoughCases",
    "Sample",
    "SamplingError",
    "SamplingMethod",
    "SamplingRule",
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

# The engine's names, each with its submodule, imported on first use: a profile holds only
# the policy, so loading profiles leaves the engine (and what it imports) unloaded.
_LAZY: dict[str, str] = {
    "AuditedChild": "samplers",
    "CasePool": "samplers",
    "Criteria": "samplers",
    "Exclusion": "samplers",
    "ExclusionReason": "samplers",
    "HolderDraw": "samplers",
    "NotEnoughCases": "samplers",
    "Sample": "samplers",
    "SamplingError": "samplers",
    "Stratum": "samplers",
    "UnknownCaseField": "samplers",
    "dip_sample": "samplers",
    "proportionate_quotas": "samplers",
    "purposive": "samplers",
    "quota_per_holder": "samplers",
    "random_positions": "samplers",
    "sample_for_activity": "samplers",
    "sample_size": "samplers",
    "simple_random": "samplers",
    "stratified": "samplers",
}


def __getattr__(name: str) -> Any:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
