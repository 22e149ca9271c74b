"""Bolton's profile held to qaframework's invariant suite, over both its versions (Staying Safe
from 2021 and Focus on the Fundamentals from 2026): the suite runs once for each."""

from __future__ import annotations

from qaframework.testing import ProfileConformance


class TestBoltonConformance(ProfileConformance):
    profile_id = "bolton"
