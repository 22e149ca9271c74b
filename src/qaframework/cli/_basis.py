"""What an output's figures rest on, as the commands print it: the profile's assumptions,
the details it does not state and the rules it does not encode
(:class:`~qaframework.policy.basis.Basis`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.policy.basis import Basis, RuleKind
    from qaframework.policy.profile import Profile

__all__ = ["basis_data", "basis_for", "print_basis", "write_basis_to_stderr"]

_HEADING = "What these figures rest on"


def basis_for(
    profile: Profile,
    *,
    activities: Iterable[str] = (),
    escalation: Iterable[str] = (),
    moderation: Iterable[str] = (),
    kinds: Iterable[RuleKind] = (),
    extra: Iterable[str] = ("$.grade_scale",),
) -> Basis:
    """The basis of an output that uses these activities, rules and policies of ``profile``
    (with the roles they name), saying which of ``kinds`` of rule the profile lacks."""
    from qaframework.policy.basis import absent_rules, basis_of, uses_of

    chosen = tuple(activities)
    uses = uses_of(
        profile,
        activities=chosen,
        escalation=escalation,
        moderation=moderation,
        extra=extra,
    )
    return basis_of(profile, uses, absent=absent_rules(profile, chosen, kinds))


def basis_data(basis: Basis) -> dict[str, Any]:
    """The basis as plain data, for JSON output."""
    from qaframework.profiles.converter import to_dict

    data: dict[str, Any] = to_dict(basis)
    return data


def _lines(basis: Basis) -> list[str]:
    """The basis in a terminal's words: each rule not encoded and each detail not stated in
    full, the assumptions by id (their text is in the JSON, in ``profile show`` and in the
    reports)."""
    if basis.is_empty:
        return [
            f"{_HEADING}: the profile's stated rules alone (no assumption about them, no "
            "detail left unstated)."
        ]
    lines = [f"{_HEADING} ({basis.profile}):"]
    lines += [f"- {absent.text}" for absent in basis.absent]
    lines += [f"- {unknown}." for unknown in basis.not_stated]
    if basis.assumptions:
        ids = ", ".join(a.id for a in basis.assumptions)
        profile_id = basis.profile.split(" ")[0]
        lines.append(
            f"- Assumptions of the profile: {ids} (their text: qaframework profile show "
            f"{profile_id}, or --format json)"
        )
    return lines


def print_basis(out: Console, basis: Basis) -> None:
    """Print the basis after a table: each statement on its own line, as plain text."""
    from rich.text import Text

    out.print()
    for line in _lines(basis):
        out.print(Text(line))


def write_basis_to_stderr(basis: Basis) -> None:
    """The basis on standard error, beside CSV on standard output (which stays a table)."""
    for line in _lines(basis):
        print(line, file=sys.stderr)
