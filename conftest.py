"""Test-wide settings for the core's and the profiles' tests."""

from __future__ import annotations

import os

from hypothesis import settings

# Tests exercise parsing and validation every time: the validated-profile cache is off unless
# a test turns it on in a directory of its own.
os.environ["QAFRAMEWORK_CACHE_DIR"] = ""

# Hypothesis profiles. A property test without its own ``max_examples`` draws:
#
#   dev       25 examples: the default, for `python3 dev.py test` while working;
#   ci        200 examples, what .ci/run selects (QAFRAMEWORK_HYPOTHESIS_PROFILE=ci);
#   thorough  2000 examples, for a run before a release.
#
# Choose one with QAFRAMEWORK_HYPOTHESIS_PROFILE=NAME or pytest --hypothesis-profile=NAME
# (the option wins). Hypothesis's per-example deadline is a timed assertion: a slow machine,
# or the first import of the bank-holiday tables, must not fail a test, so none has one.
settings.register_profile("dev", deadline=None, max_examples=25)
settings.register_profile("ci", deadline=None, max_examples=200, print_blob=True)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("QAFRAMEWORK_HYPOTHESIS_PROFILE", "dev"))
