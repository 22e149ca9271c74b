"""The errors the register raises, each a :class:`~qaframework.errors.QAFrameworkError`.

Messages name the register (its file, or its URL without the password) and say what to do;
they never carry an audit's child-level content.
"""

from __future__ import annotations

from qaframework.errors import QAFrameworkError

__all__ = ["RegisterConflict", "RegisterError", "SchemaOutOfDate"]


class RegisterError(QAFrameworkError):
    """The register cannot do what was asked: it cannot be reached or created, it is busy,
    or an audit or action named is not in it."""


class SchemaOutOfDate(RegisterError):
    """The register's schema is not the revision this qaframework uses: it has not been
    created yet, or it was created by an earlier release. ``qaframework register init``
    creates or upgrades it."""

    def __init__(self, location: str, current: str | None, head: str) -> None:
        self.location = location
        self.current = current
        self.head = head
        if current is None:
            found = "has no register schema"
        else:
            found = f"is at schema revision {current}, and this qaframework needs {head}"
        super().__init__(
            f"{location} {found}: run `qaframework register init` "
            "(or qaframework.store.init_register) to create or upgrade it"
        )


class RegisterConflict(RegisterError):
    """A file repeats audits already in the register with different content.

    The register never changes an audit once recorded, so the import stops and nothing of
    the file is kept. ``audit_ids`` lists the audits that differ; moderations and action
    updates made since are recorded through the register, not by importing a changed file.
    """

    def __init__(self, source: str, profile_id: str, differences: list[tuple[str, str]]) -> None:
        self.source = source
        self.profile_id = profile_id
        self.audit_ids = tuple(audit_id for audit_id, _ in differences)
        shown = "; ".join(f"{audit_id} ({field})" for audit_id, field in differences[:5])
        more = f" and {len(differences) - 5} more" if len(differences) > 5 else ""
        count = len(differences)
        super().__init__(
            f"{source}: {count} audit{'s' if count != 1 else ''} of profile {profile_id!r} "
            f"already in the register differ{'s' if count == 1 else ''} from this file's: "
            f"{shown}{more}. An audit is never changed once registered: nothing was imported"
        )
