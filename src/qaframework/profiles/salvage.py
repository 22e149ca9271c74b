"""What is left of a profile item that failed to structure, so that its other problems are
reported in the same run.

An escalation rule with a misspelt key and an undeclared recipient has two problems; the
strict converter reports the first and cannot build the rule, so without help the second
would appear only once the first is fixed. :func:`salvage` builds the item again from what
can be read: extra keys are dropped, an optional field that cannot be read is left at its
default, a nested value is salvaged the same way. The semantic checks then run on it, and
:meth:`Salvaged.keeps` drops what they find about the parts that were left out, so a part
left at its default is never reported as a problem of its own.

A grade scale whose grades cannot all be read cannot be salvaged (every grade is needed to
look grades up), so :func:`raw_crosswalk_problems` checks its ILACS crosswalk on the raw
data of the grades that can be read.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any, get_args, get_origin

import attrs

from qaframework.errors import Problem
from qaframework.policy.grades import Ilacs
from qaframework.profiles.converter import converter

__all__ = ["Salvaged", "raw_crosswalk_problems", "salvage"]


@attrs.frozen
class Salvaged:
    """A value rebuilt from data that failed to structure.

    ``path`` is where the item is; ``left_out`` the paths of its parts that could not be read
    and were left at their defaults.
    """

    path: str
    value: Any
    left_out: tuple[str, ...] = ()

    def keeps(self, problem: Problem) -> bool:
        """Whether a problem the checks found on the salvaged value is a real one: not about
        a part left out, nor about the item as a whole when a part was left out."""
        if not problem.path.startswith(self.path):
            return True
        if self.left_out and problem.path == self.path:
            return False
        return not any(
            problem.path == part or problem.path.startswith((part + ".", part + "["))
            for part in self.left_out
        )


class _Unsalvageable(Exception):
    pass


def _homogeneous_item(tp: Any) -> Any:
    args = get_args(tp)
    if get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def _build(raw: Any, tp: Any, path: str, left_out: list[str]) -> Any:
    try:
        return converter.structure(raw, tp)
    except Exception:
        pass
    item = _homogeneous_item(tp)
    if item is not None and isinstance(raw, list) and attrs.has(item):
        return tuple(_build(part, item, f"{path}[{i}]", left_out) for i, part in enumerate(raw))
    if not (isinstance(tp, type) and attrs.has(tp) and isinstance(raw, Mapping)):
        raise _Unsalvageable(path)
    attrs.resolve_types(tp)
    values: dict[str, Any] = {}
    for field in attrs.fields(tp):
        if not field.init or field.alias not in raw:
            if field.init and field.default is attrs.NOTHING:
                raise _Unsalvageable(f"{path}.{field.alias}")
            continue
        where = f"{path}.{field.alias}"
        try:
            values[field.alias] = _build(raw[field.alias], field.type, where, left_out)
        except _Unsalvageable:
            if field.default is attrs.NOTHING:
                raise
            left_out.append(where)
    try:
        return tp(**values)
    except (TypeError, ValueError) as exc:
        raise _Unsalvageable(path) from exc


def salvage(raw: Any, tp: Any, path: str) -> Salvaged | None:
    """``raw`` rebuilt as a ``tp`` from the parts that can be read, or None when a required
    part cannot be (see the module docstring)."""
    left_out: list[str] = []
    try:
        value = _build(raw, tp, path, left_out)
    except _Unsalvageable:
        return None
    return Salvaged(path, value, tuple(left_out))


def raw_crosswalk_problems(raw_scale: Any) -> list[Problem]:
    """The ILACS crosswalk of a grade scale that failed to structure, checked on the grades
    whose judgement can be read: a better grade mapping to a worse judgement is reported."""
    grades = raw_scale.get("grades") if isinstance(raw_scale, Mapping) else None
    if not isinstance(grades, list):
        return []
    values = {member.value: member for member in Ilacs}
    readable: list[tuple[str, Ilacs]] = []
    for grade in grades:
        if isinstance(grade, Mapping) and isinstance(grade.get("ilacs"), str):
            judgement = values.get(grade["ilacs"])
            if judgement is not None:
                readable.append((str(grade.get("code")), judgement))
    if all(a[1].rank <= b[1].rank for a, b in itertools.pairwise(readable)):
        return []
    order = ", ".join(f"{code}->{judgement.value}" for code, judgement in readable)
    return [
        Problem(
            "$.grade_scale.grades",
            "the ILACS crosswalk is not monotone: a better grade maps to a worse judgement "
            f"({order})",
        )
    ]
