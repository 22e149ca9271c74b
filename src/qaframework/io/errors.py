"""The errors the export loaders raise: a file that cannot be read, a mapping that cannot be
used, and, in strict mode, rows that were rejected.

Each derives from :class:`~qaframework.errors.QAFrameworkError` and says where the problem
is: the file and, where there is one, the row or line; the mapping and the key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from qaframework.errors import QAFrameworkError

if TYPE_CHECKING:
    from qaframework.io.rejections import Rejection

__all__ = ["ExportError", "MappingError", "RejectedRows"]


class ExportError(QAFrameworkError):
    """An export cannot be read at all: missing, not the format its name says, no header,
    a required column absent. ``file`` names it; the message says what to do."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        super().__init__(f"{file}: {message}")


class MappingError(QAFrameworkError):
    """A column mapping is invalid; ``source`` names the mapping file (or "mapping" for a
    dict) and ``problems`` lists every problem as ``key: message``."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"{source}: {count} problem{'s' if count != 1 else ''} with the mapping"]
        lines.extend(f"  {p}" for p in self.problems)
        super().__init__("\n".join(lines))


class RejectedRows(QAFrameworkError):
    """A strict load found rejected rows; ``rejections`` lists every one."""

    def __init__(self, file: str, rows_read: int, rejections: Iterable[Rejection]) -> None:
        self.file = file
        self.rejections: tuple[Rejection, ...] = tuple(rejections)
        count = len(self.rejections)
        lines = [f"{file}: {count} of {rows_read} row{'s' if rows_read != 1 else ''} rejected"]
        lines.extend(f"  {r}" for r in self.rejections)
        super().__init__("\n".join(lines))
