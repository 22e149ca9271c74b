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

- :mod:`~qaframework.engine.sampling.pool`: :class:`CasePool` and what it leaves out, the
  errors;
- :mod:`~qaframework.engine.sampling.methods`: the sampling methods;
- :mod:`~qaframework.engine.sampling.sample`: :class:`Sample`, with its frame and notebook
  summary;
- :mod:`~qaframework.engine.sampling.activity`: :func:`sample_for_activity` and
  :func:`sample_size`.
"""

from __future__ import annotations

from qaframework.engine.sampling.activity import (
    sample_for_activity,
    sample_size,
)
from qaframework.engine.sampling.methods import (
    dip_sample,
    proportionate_quotas,
    purposive,
    quota_per_holder,
    simple_random,
    stratified,
)
from qaframework.engine.sampling.pool import (
    AuditedChild,
    CasePool,
    Criteria,
    Exclusion,
    ExclusionReason,
    NotEnoughCases,
    SamplingArgumentError,
    SamplingError,
    UnknownCaseField,
    random_positions,
)
from qaframework.engine.sampling.sample import (
    HolderDraw,
    Sample,
    Stratum,
)

__all__ = [
    "AuditedChild",
    "CasePool",
    "Criteria",
    "Exclusion",
    "ExclusionReason",
    "HolderDraw",
    "NotEnoughCases",
    "Sample",
    "SamplingArgumentError",
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
