"""The demo: one whole QA cycle, end to end, on a council's synthetic data.

``qaframework demo`` makes each installed council's synthetic case list, audits and activity
log, samples the case list, moderates the audits, evaluates escalations, follows the actions
and obligations up and writes the cycle report in every format. This package holds what it
needs beyond the core:

- :mod:`qaframework.demo.examples`: the settings of the bundled example data (the seed, the
  quarter, the councils and how each is organised), the same as ``examples/generate.py``
  uses, so that the demo makes in memory exactly the data of the files under ``examples/``;
- :mod:`qaframework.demo.cycle`: the steps of a cycle that need a decision the profile
  leaves open (which cases to sample and how many, what to moderate), each saying what it
  assumed;
- :mod:`qaframework.demo.run`: :func:`run_cycle`, the whole cycle for one profile, in
  order, as a :class:`DemoCycle`.

A third-party profile with no organisation file is demonstrated on
:meth:`~qaframework.demo.synthetic.Organisation.generic`'s service areas, over
:func:`demo_period`.

An adapter at the edge: the organisation files are read from the package, and the core
never imports it.
"""

from __future__ import annotations

from qaframework.demo.cycle import (
    DemoError,
    EscalationStep,
    ModerationStep,
    SampleStep,
    draw_sample,
    escalate,
    main_activity,
    moderate,
)
from qaframework.demo.examples import (
    EXAMPLE_COUNCILS,
    EXAMPLE_PERIOD,
    EXAMPLE_SEED,
    HISTORY,
    demo_period,
    example_data,
    example_organisation,
    history_data,
    organisation_text,
)
from qaframework.demo.run import DemoCycle, run_cycle

__all__ = [
    "EXAMPLE_COUNCILS",
    "EXAMPLE_PERIOD",
    "EXAMPLE_SEED",
    "HISTORY",
    "DemoCycle",
    "DemoError",
    "EscalationStep",
    "ModerationStep",
    "SampleStep",
    "demo_period",
    "draw_sample",
    "escalate",
    "example_data",
    "example_organisation",
    "history_data",
    "main_activity",
    "moderate",
    "organisation_text",
    "run_cycle",
]
