"""Engines: what happens to audits under a council's policy.

Each module or package applies policy values (:mod:`qaframework.policy`) to records: audits
and their check against a profile, sampling, moderation selection and agreement, escalation
evaluation, closing the loop (actions and trackers), obligations, workload, the cycle report,
small-number suppression, reporting periods. Engines do no I/O and read no clock: the day
they work as of is always an argument. They import policy and the engine foundations
(audits, periods, suppression), never the profile machinery or an adapter; where a council's
rule is logic rather than a value, they call the profile's
:attr:`~qaframework.policy.profile.Profile.behaviour`.
"""
