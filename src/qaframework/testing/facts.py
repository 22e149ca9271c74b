"""The facts of a council's seeds, for its tests: rows that pin the items of a section, a
profile read as plain data, and where the escalations a set of audits raises stand.

:class:`~qaframework.testing.conformance.SeedConformance` checks the facts a council's test
class states with these; a council's own tests use them for what is theirs alone::

    from qaframework.testing.facts import escalation_states_by_rule

    def test_a_good_audit_with_no_actions_leaves_the_tracker() -> None:
        states = escalation_states_by_rule("swindon", [audit], as_of=date(2027, 6, 10))
        assert states["requires_improvement_or_good_tracking"].closure is Closure.NO_ACTIONS

Nothing here reads a clock or a file: a test passes the profile, the audits and the day.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import attrs

if TYPE_CHECKING:
    from qaframework.engine.actions.tracker import EscalationState
    from qaframework.engine.audits import Audit

__all__ = [
    "UNSTATED",
    "Rows",
    "citations_in",
    "escalation_states_by_rule",
    "mismatches",
    "path_resolves",
]

_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[([a-z][a-z0-9_]*)\]")


class _Unstated(enum.Enum):
    UNSTATED = "unstated"

    def __repr__(self) -> str:
        return "UNSTATED"


UNSTATED: Final = _Unstated.UNSTATED
"""A value of a row the seed's table does not state: it is not compared."""


def _as_rows(rows: Iterable[Sequence[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(row) for row in rows)


@attrs.frozen
class Rows:
    """The items of one section of a profile as a seed states them, one row per item.

    ``columns`` names the attribute each value of a row gives, the item's id first; a dotted
    name reads an attribute of an attribute (``citation.section``), and a column named None
    is left to the council's own tests. A value given as text is compared with the item's
    text: an enum by its value, a cadence or a duration as a profile writes it (``P1M``,
    ``as-required``). A value :data:`UNSTATED` is not compared. With ``every``, the rows are
    every item of the section, in the profile's order.
    """

    columns: tuple[str | None, ...]
    rows: tuple[tuple[Any, ...], ...] = attrs.field(converter=_as_rows)
    every: bool = False


def _shown(actual: Any, expected: Any) -> Any:
    """``actual`` as ``expected`` states it: text where the row gives text."""
    if isinstance(expected, str) and not isinstance(actual, str) and actual is not None:
        return actual.value if isinstance(actual, enum.Enum) else str(actual)
    return actual


def mismatches(section: str, items: Sequence[Any], rows: Rows) -> list[str]:
    """Every way the ``items`` of a profile's ``section`` differ from the seed's ``rows``,
    one line each (empty when they agree)."""
    found: list[str] = []
    ids = [row[0] for row in rows.rows]
    if rows.every and [item.id for item in items] != ids:
        found.append(f"{section}: the profile has {[item.id for item in items]}, the seed {ids}")
    by_id = {item.id: item for item in items}
    for row in rows.rows:
        item = by_id.get(row[0])
        if item is None:
            found.append(f"{section}[{row[0]!r}]: not in the profile")
            continue
        if len(row) != len(rows.columns):
            found.append(
                f"{section}[{row[0]!r}]: {len(row)} values for {len(rows.columns)} columns"
            )
            continue
        for column, expected in zip(rows.columns, row, strict=True):
            if column is None or expected is UNSTATED:
                continue
            actual = _shown(functools.reduce(getattr, column.split("."), item), expected)
            if actual != expected:
                found.append(f"{section}[{row[0]!r}].{column}: {actual!r}, not {expected!r}")
    return found


def citations_in(data: Any, path: str = "$") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every citation in a profile's plain data (its data file, or
    :func:`~qaframework.profiles.converter.to_dict` of it) with its path: each mapping that
    holds a ``source`` and a ``section``."""
    if isinstance(data, Mapping):
        if "source" in data and "section" in data:
            yield path, data
        for key, item in data.items():
            yield from citations_in(item, f"{path}.{key}")
    elif isinstance(data, list | tuple):
        for index, item in enumerate(data):
            yield from citations_in(item, f"{path}[{index}]")


def path_resolves(data: Any, path: str) -> bool:
    """Whether a profile path (``$.activities[file_audit].cadence``, or by place
    ``$.activities[3].cadence``) points into a profile's plain data: every step of it, from
    ``$``, names a key, an item with that id (a grade's code) or a place that is there."""
    if not path.startswith("$"):
        return False
    current = data
    position = 1
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            return False
        name, index, key = match.groups()
        position = match.end()
        if name is not None:
            if not isinstance(current, Mapping) or name not in current:
                return False
            current = current[name]
        elif not isinstance(current, list | tuple):
            return False
        elif key is not None:
            keyed = [
                item
                for item in current
                if isinstance(item, Mapping) and key in (item.get("id"), item.get("code"))
            ]
            if not keyed:
                return False
            current = keyed[0]
        elif int(index) >= len(current):
            return False
        else:
            current = current[int(index)]
    return True


def escalation_states_by_rule(
    profile_id: str, audits: Sequence[Audit], as_of: date
) -> dict[str, EscalationState]:
    """Where each escalation ``audits`` raise stands on ``as_of``, by the id of its rule.

    Every audit is read under the version of ``profile_id`` in force on its date, as a
    council's trackers follow them (:func:`~qaframework.engine.actions.tracker.escalation_states`).
    """
    from qaframework.engine.actions.tracker import escalation_states
    from qaframework.engine.escalation import evaluate_escalations_bulk
    from qaframework.profiles.registry import profile_resolver

    resolve = profile_resolver(profile_id)
    raised = evaluate_escalations_bulk(audits, resolve, as_of=as_of)
    found = escalation_states(raised, audits, resolve, as_of=as_of)
    return {state.escalation.rule_id: state for state in found}
