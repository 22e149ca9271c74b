"""How a cell of a council's export becomes a value: every conversion rule, stated.

A cell arrives as text (CSV), as a typed spreadsheet value (XLSX: text, number, true/false,
date-time) or as a JSON value. The loaders apply these rules and no others; a cell that
fits none is rejected with the reason, never guessed at.

- **Empty.** A missing cell, an empty or all-whitespace text, or JSON ``null`` is empty. An
  empty optional cell gives None; an empty required cell is a rejection.
- **Text** (ids, names, teams, rationales). Surrounding whitespace is removed; inner text is
  kept exactly, but text holding a character no document may hold (a NUL, another control
  character than tab and line breaks, a lone surrogate, U+FFFE or U+FFFF) is rejected: no
  database, spreadsheet or web page could carry it faithfully. A number is read as text
  only when it is whole: ``123`` and ``123.0`` (how Excel stores 123) read ``"123"``;
  ``12.5`` is rejected, since its digits depend on how the spreadsheet stored it (format
  such columns as text). True/false, dates and (JSON) lists or objects are rejected.
- **Ids** (an audit's, a child's, an action's) are text of at most 200 characters: a longer
  one is not an id, and no register could index it.
- **Dates.** Text ``dd/mm/yyyy`` (UK order; one-digit days and months allowed, as Excel
  writes them, the year always four digits) or ISO ``yyyy-mm-dd``, optionally followed by a
  midnight time (``00:00`` or ``00:00:00``), as case systems export dates; a real
  spreadsheet date; a spreadsheet date-time at midnight. The day always comes first in the
  slashed form: ``03/04/2026`` is 3 April. A time of day other than midnight, an impossible
  date (31/02/2026), a two-digit year and a number (an Excel date serial in a cell not
  formatted as a date) are rejected.
- **Yes/no flags** (concerns, feedback captured). ``yes``, ``y``, ``true``, ``1`` and
  ``no``, ``n``, ``false``, ``0`` in any case; spreadsheet and JSON true/false; the numbers
  1 and 0. An empty flag is "no" (the concern was not raised). Anything else is rejected.
- **Checklist answers** (compliance items). ``yes``, ``y``, ``true``, ``1``; ``no``, ``n``,
  ``false``, ``0``; ``n/a``, ``na``, ``not applicable`` (spaces, hyphens and underscores
  alike) in any case; spreadsheet and JSON true/false; the numbers 1 and 0. An empty cell
  is no answer (the item is not recorded). Anything else is rejected.
- **Other columns of a case list** (kept in :attr:`qaframework.policy.sampling.Case.fields`) are
  kept as text: text as above, numbers as their shortest decimal form (``12.5``), dates as
  ISO dates, date-times as ISO date-times (a midnight one as a date), true/false as
  ``true``/``false``.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, time

from qaframework.errors import QAFrameworkError
from qaframework.policy.checklists import ChecklistAnswer

__all__ = [
    "MAX_ID_LENGTH",
    "CellError",
    "answer",
    "day",
    "display",
    "field_text",
    "flag",
    "forbidden_character",
    "identifier",
    "is_empty",
    "text",
    "too_long_for_an_id",
]

MAX_ID_LENGTH = 200
"""The most characters an id (an audit's, a child's, an action's) may have."""


class CellError(QAFrameworkError, ValueError):
    """A cell breaks a conversion rule; the message is the reason. The loaders turn it into
    a :class:`~qaframework.io.rejections.RowProblem`."""


_DATE = re.compile(
    r"(?:(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})|(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}))"
    r"(?:[ T](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?"
)
_MIDNIGHT = re.compile(r"0?0:00(?::00(?:\.0+)?)?")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


# The characters XML 1.0 (so XLSX and XHTML) cannot hold; PostgreSQL cannot hold NUL either.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(value: str) -> str | None:
    """Why ``value`` cannot be kept, when it holds a character no document may hold (see
    the module's rules); None when it holds none."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    char = found.group()
    name = "a NUL character" if char == "\x00" else "a control character"
    if "\ud800" <= char <= "\udfff":
        name = "half of a character (a lone surrogate)"
    elif char in "\ufffe\uffff":
        name = "a non-character"
    return (
        f"holds {name} (U+{ord(char):04X}) at position {found.start() + 1}, which no "
        "document can carry: remove it from the export"
    )


def is_empty(value: object) -> bool:
    """Whether a cell is empty: None, or text that is empty or only whitespace."""
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def text(value: object) -> str | None:
    """A text or id cell: stripped text, or a whole number as its digits; None when empty."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped:
            problem = forbidden_character(stripped)
            if problem is not None:
                raise CellError(problem)
        return stripped or None
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        raise CellError(
            f"the number {value!r} where text or a whole number is expected; format the "
            "column as text so its digits are kept"
        )
    raise CellError(f"{_kind(value)} where text is expected")


def too_long_for_an_id(value: str) -> str | None:
    """Why ``value`` cannot be an id, when it is longer than :data:`MAX_ID_LENGTH`."""
    if len(value) <= MAX_ID_LENGTH:
        return None
    return f"{len(value):,} characters long: an id has at most {MAX_ID_LENGTH}"


def identifier(value: object) -> str | None:
    """An id cell: as :func:`text`, and at most :data:`MAX_ID_LENGTH` characters."""
    found = text(value)
    if found is not None:
        problem = too_long_for_an_id(found)
        if problem is not None:
            raise CellError(problem)
    return found


def day(value: object) -> date | None:
    """A date cell (see the module's rules); None when empty."""
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return None
        match = _DATE.fullmatch(stripped)
        if match is None:
            raise CellError(f"{stripped!r} is not a date in the form dd/mm/yyyy or yyyy-mm-dd")
        clock = match["time"]
        if clock is not None and not _MIDNIGHT.fullmatch(clock):
            raise CellError(f"has a time of day ({clock}); a date without a time is expected")
        if match["iy"] is not None:
            parts = (int(match["iy"]), int(match["im"]), int(match["id"]))
        else:
            parts = (int(match["y"]), int(match["m"]), int(match["d"]))
        try:
            return date(*parts)
        except ValueError:
            raise CellError(f"{stripped!r} is not a real date") from None
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0):
            return value.date()
        raise CellError(
            f"has a time of day ({value.time().isoformat()}); a date without a time is expected"
        )
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError("a number where a date is expected; format the column as a date")
    raise CellError(f"{_kind(value)} where a date is expected")


def flag(value: object) -> bool:
    """A yes/no cell (see the module's rules); an empty cell is False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().casefold()
        if not word:
            return False
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise CellError(f"{value.strip()!r} is not yes or no (yes/no, y/n, true/false, 1/0)")
    if value is None:
        return False
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    raise CellError(f"{display(value)} is not yes or no (yes/no, y/n, true/false, 1/0)")


_NOT_APPLICABLE = frozenset({"n/a", "na", "not applicable", "not_applicable", "n a"})
_SEPARATORS = re.compile(r"[\s_\-]+")


def answer(value: object) -> ChecklistAnswer | None:
    """A checklist answer (see the module's rules); None when the cell is empty."""
    if isinstance(value, bool):
        return ChecklistAnswer.YES if value else ChecklistAnswer.NO
    if value is None:
        return None
    if isinstance(value, str):
        word = _SEPARATORS.sub(" ", value.strip().casefold())
        if not word:
            return None
        if word in _YES:
            return ChecklistAnswer.YES
        if word in _NO:
            return ChecklistAnswer.NO
        if word in _NOT_APPLICABLE:
            return ChecklistAnswer.NOT_APPLICABLE
        raise CellError(f"{value.strip()!r} is not a checklist answer (yes, no or n/a)")
    if isinstance(value, int | float) and value in (0, 1):
        return ChecklistAnswer.YES if value == 1 else ChecklistAnswer.NO
    raise CellError(f"{display(value)} is not a checklist answer (yes, no or n/a)")


def field_text(value: object) -> str | None:
    """Any other column of a case list as text (see the module's rules); None when empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return repr(value)
        return str(int(value))
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return text(value)


def display(value: object) -> str | None:
    """A cell's content as text for a rejection: what the user sees, or None when empty.

    Bytes that were not valid in the file's encoding show as ``\\xNN`` escapes.
    """
    if is_empty(value):
        return None
    if isinstance(value, str):
        if _has_undecodable(value):
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        if _FORBIDDEN.search(value):
            return _FORBIDDEN.sub(lambda m: m.group().encode("unicode_escape").decode(), value)
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | dict):
        try:
            shown = json.dumps(value, ensure_ascii=False, default=str)
        except (RecursionError, ValueError):
            return f"({'a list' if isinstance(value, list) else 'an object'} nested too deeply)"
        return display(shown)
    return str(value)


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _has_undecodable(value: str) -> bool:
    """Whether text holds bytes that could not be decoded (kept as lone surrogates)."""
    return _UNDECODABLE.search(value) is not None
