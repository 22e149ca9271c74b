"""The checks of published outputs the hostile-input corpus (``hostile_corpus.py``) runs.

Each check is given the files a ``qaframework report`` wrote for publication (the published
report in every format; the child-level files are left out) and the child ids the loaded
export holds, and returns how many problems it found, or None while it checks nothing
(the corpus then prints "not checked").

Both are placeholders on purpose, to be made real where the published report is made safe
(free text and redaction; suppression across linked tables with the disclosure audit):

- :func:`child_ids_in_published` is to count child ids, written any way (lower case,
  ``B1/B2``, ``B1-A``, ``B 1``, with a zero-width space ...), found in published outputs;
- :func:`recoverable_suppressed_cells` is to count suppressed cells a reader can solve
  exactly from the published tables (the linear-program disclosure audit).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def child_ids_in_published(published: Sequence[Path], child_ids: Sequence[str]) -> int | None:
    """Child ids found in the published outputs; None: not checked yet."""
    return None


def recoverable_suppressed_cells(published: Sequence[Path], child_ids: Sequence[str]) -> int | None:
    """Suppressed cells a reader can recover from the published tables; None: not checked
    yet."""
    return None
