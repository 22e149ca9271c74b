"""Manchester's profile held to qaframework's invariant suite, over every installed version."""

from __future__ import annotations

from qaframework.testing import ProfileConformance


class TestManchesterConformance(ProfileConformance):
    profile_id = "manchester"
