"""What the register reports about itself: its imports, the outcome of an import, its status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from qaframework.io.audits import AuditLoad

__all__ = ["ImportRecord", "ImportResult", "RegisterStatus"]


@attrs.frozen
class ImportRecord:
    """One file imported into the register.

    ``content_hash`` is the SHA-256 of the file's bytes; ``source`` the file's name.
    ``rows_read``, ``accepted``, ``rejected`` and ``blank_rows`` are the loader's counts;
    ``added`` how many audits the import added, and :attr:`already_registered` how many of
    the accepted audits the register held already, exactly as this file has them.
    ``imported_at`` is in UTC.
    """

    id: int
    content_hash: str
    source: str
    profile_id: str
    format: str
    rows_read: int
    accepted: int
    rejected: int
    blank_rows: int
    added: int
    imported_at: datetime

    @property
    def already_registered(self) -> int:
        """Accepted audits the register held already, identical: not added again."""
        return self.accepted - self.added


@attrs.frozen
class ImportResult:
    """What importing a file did.

    ``new`` is False when a file with the same content had been imported before: nothing was
    added, ``record`` is that earlier import and ``load`` is None (the file was not read
    again). Otherwise ``record`` is this import and ``load`` what the loader found.
    """

    record: ImportRecord
    new: bool
    load: AuditLoad | None = None


@attrs.frozen
class RegisterStatus:
    """A register's location, schema revision, row counts per table, and imports.

    ``revision`` is the register's schema revision and ``head`` the one this qaframework
    uses; ``counts`` maps each table to its number of rows; ``imports`` are oldest first.
    """

    location: str
    backend: str
    revision: str | None
    head: str
    counts: Mapping[str, int]
    imports: tuple[ImportRecord, ...]

    @property
    def up_to_date(self) -> bool:
        """Whether the schema is at the revision this qaframework uses."""
        return self.revision == self.head
