"""Test-wide settings for the core's and the profiles' tests."""

from __future__ import annotations

import os

# Tests exercise parsing and validation every time: the validated-profile cache is off unless
# a test turns it on in a directory of its own.
os.environ["QAFRAMEWORK_CACHE_DIR"] = ""
