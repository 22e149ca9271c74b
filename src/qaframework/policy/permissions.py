"""Who may do what: whether an audit or a moderation by a role the profile does not name for it
is an error or a warning.

An activity names the roles that undertake it (``who``) and a moderation policy the roles
that moderate (``moderators``). An audit recorded by another role, or a moderation by a
role no policy covering the audit's activity names, is flagged when audits are checked and
loaded: rejected when the profile's :class:`RoleChecks` says ``error``, accepted with a
warning when it says ``warning``. A profile states its choice with a citation, or records
it as an assumption where its sources are silent; a profile that states none gets warnings.
"""

from __future__ import annotations

import enum

import attrs

from qaframework.policy.citations import Citation

__all__ = ["RoleChecks", "Severity"]


class Severity(enum.Enum):
    """What a broken rule of who may do what is: ``error`` rejects the record, ``warning``
    accepts it and says so."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class RoleChecks:
    """How audits and moderations by roles the profile does not name for them are flagged.

    ``auditors``: an audit whose ``auditor_role`` is not among its activity's ``who``.
    ``moderators``: a moderation whose ``role`` is not a moderator of any moderation policy
    applying to the audit's activity (every moderation of an activity no policy covers).
    ``citation`` is where the profile's sources say so; where they are silent, an
    assumption of the profile names ``$.role_checks`` instead.
    """

    auditors: Severity = Severity.WARNING
    moderators: Severity = Severity.WARNING
    citation: Citation | None = None
    notes: tuple[str, ...] = ()
