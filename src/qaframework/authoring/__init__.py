"""The profile authoring kit: for the author adding a council.

- :mod:`qaframework.authoring.scaffold` writes a new council distribution whose data file
  marks every value still to be written (``qaframework profile new``).
- :mod:`qaframework.authoring.checking` validates a profile, installed or from its files,
  and holds it to the invariants, listing every problem with its path
  (``qaframework profile check``).

What changed between two versions, or two councils, is :mod:`qaframework.profiles.diff`
(``qaframework profile diff``). The kit is an adapter: it reads and writes files, and the
core never imports it. See ``docs/adding-a-council.md``.
"""

from __future__ import annotations

from qaframework.authoring.checking import (
    CheckedVersion,
    CheckReport,
    Finding,
    check_files,
    check_installed,
    check_loaded,
    find_data_files,
)
from qaframework.authoring.scaffold import (
    AuthoringError,
    Scaffold,
    distribution_name,
    package_name,
    scaffold_distribution,
)

__all__ = [
    "AuthoringError",
    "CheckReport",
    "CheckedVersion",
    "Finding",
    "Scaffold",
    "check_files",
    "check_installed",
    "check_loaded",
    "distribution_name",
    "find_data_files",
    "package_name",
    "scaffold_distribution",
]
