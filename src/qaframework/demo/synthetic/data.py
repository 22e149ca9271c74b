"""What :func:`~qaframework.demo.synthetic.generate` makes: the data and its activity log
lines."""

from __future__ import annotations

from datetime import date

import attrs

from qaframework.demo.synthetic.organisation import Organisation, StaffMember
from qaframework.demo.synthetic.workforce import _subject_ids, _Workforce
from qaframework.engine.audits import Audit
from qaframework.engine.obligations import obligations
from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case

__all__ = ["LoggedActivity", "SyntheticData"]


@attrs.frozen
class LoggedActivity:
    """One line of an activity log: a completed activity, or with ``event`` a case event.

    The shape of :class:`qaframework.engine.obligations.LogEntry` (and of
    ``qaframework.io.ActivityLogEntry``): ``activity`` an activity id of the profile,
    ``subject`` whom it concerns, ``on`` the day, ``role`` the role id of who did it.
    """

    activity: str
    subject: str
    on: date
    role: str | None = None
    event: str | None = None


@attrs.frozen
class SyntheticData:
    """What :func:`generate` made: one council's data over ``start`` to ``end``.

    ``staff`` is the workforce under the version in force on ``end``; ``audits`` are in date
    order; ``log`` in date order. ``not_logged`` names obligations whose subjects (what the
    quota is owed per) the generator cannot make up, so the log leaves them out.
    """

    profile_id: str
    seed: int
    start: date
    end: date
    organisation: Organisation
    staff: tuple[StaffMember, ...]
    cases: tuple[Case, ...]
    audits: tuple[Audit, ...]
    log: tuple[LoggedActivity, ...]
    not_logged: tuple[str, ...] = ()

    def roster(self, profile: Profile) -> dict[str, tuple[str, ...]]:
        """Subjects of ``profile``'s obligations, for
        :func:`~qaframework.engine.obligations.obligations_due`'s ``roster``: each kind an
        obligation is owed per (``supervisee``, ``child``, ``team_manager``) with its ids."""
        people = _Workforce(self.organisation, profile)
        found: dict[str, tuple[str, ...]] = {}
        for kind in sorted({o.owed_per for o in obligations(profile)}):
            ids = _subject_ids(kind, profile, people, self.cases, self.audits)
            if ids is not None:
                found[kind] = ids
        return found
