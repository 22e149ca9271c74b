"""Rejected rows: which row of which file, which column and value, and why.

A loader never drops a row silently: every row it reads is accepted or rejected, and a
:class:`Rejection` lists every problem found in the row (a :class:`RowProblem` each), so a
QA officer can correct the export in one pass.
"""

from __future__ import annotations

import attrs

__all__ = ["Rejection", "RowProblem", "RowWarning"]


@attrs.frozen
class RowProblem:
    """One thing wrong with a row.

    ``column`` is the export's column (for the native JSON form, the field's path such as
    ``judgements[1].grade``), None when the problem is the row as a whole; ``value`` the
    cell's content as text (None when empty or not applicable); ``reason`` says what is
    wrong in words a QA officer can act on.
    """

    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = f"column {self.column!r}" if self.column is not None else "row"
        shown = f" ({self.value!r})" if self.value is not None else ""
        return f"{where}{shown}: {self.reason}"


@attrs.frozen
class Rejection:
    """A rejected row: the file, the row as a spreadsheet user sees it, and its problems.

    ``problems`` holds at least one :class:`RowProblem`; :attr:`column`, :attr:`value` and
    :attr:`reason` are the first one's. ``duplicate_of`` is the row that first carried the
    same id, when the row was rejected as a duplicate. ``sheet`` is the worksheet the row is
    on, when rows were read from several (rows are numbered within their sheet).
    """

    file: str
    row: int
    problems: tuple[RowProblem, ...] = attrs.field(validator=attrs.validators.min_len(1))
    duplicate_of: int | None = None
    sheet: str | None = None

    @property
    def column(self) -> str | None:
        """The column of the first problem."""
        return self.problems[0].column

    @property
    def value(self) -> str | None:
        """The value of the first problem."""
        return self.problems[0].value

    @property
    def reason(self) -> str:
        """The reason of the first problem."""
        return self.problems[0].reason

    def __str__(self) -> str:
        where = f" sheet {self.sheet!r}" if self.sheet is not None else ""
        return f"{self.file}{where} row {self.row}: " + "; ".join(str(p) for p in self.problems)


@attrs.frozen
class RowWarning:
    """An accepted row the profile flags: the file, the row, and what it flags (a
    :class:`RowProblem` each, with the column, its value and the reason): an audit or a
    moderation by a role not named for it, where the profile makes that a warning.
    ``sheet`` names the worksheet where several were read."""

    file: str
    row: int
    problems: tuple[RowProblem, ...] = attrs.field(validator=attrs.validators.min_len(1))
    sheet: str | None = None

    @property
    def column(self) -> str | None:
        """The column of the first problem."""
        return self.problems[0].column

    @property
    def reason(self) -> str:
        """The reason of the first problem."""
        return self.problems[0].reason

    def __str__(self) -> str:
        where = f" sheet {self.sheet!r}" if self.sheet is not None else ""
        return f"{self.file}{where} row {self.row} (accepted, with a warning): " + "; ".join(
            str(p) for p in self.problems
        )
