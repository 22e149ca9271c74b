"""A council's QA calendar as a value, as plain data and as iCalendar (RFC 5545).

:func:`qa_calendar` gathers every dated occurrence of a council's periodic QA activities,
reports and forums between two days, each from the profile version in force on its day (as
``qaframework schedule`` lists them); :func:`to_ics` writes the calendar a service can
publish or send (``text/calendar``), one all-day event per occurrence with a stable UID, so
that a calendar client that imports the file again updates its events rather than doubling
them. icalendar is imported only when a calendar is written.

>>> import qaframework
>>> ics = qaframework.to_ics("bolton", date(2026, 4, 1), date(2027, 3, 31))  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs

from qaframework.errors import QAFrameworkError
from qaframework.policy.activities import Activity
from qaframework.policy.profile import Occurrence, Profile

__all__ = ["CalendarEntry", "CalendarError", "CalendarPart", "QACalendar", "qa_calendar", "to_ics"]


class CalendarError(QAFrameworkError, LookupError):
    """No version of the profile is in force in the window asked for, or the window ends
    before it starts."""


@attrs.frozen
class CalendarPart:
    """A profile version and the days of the window it governs (``first`` to ``last``)."""

    profile: Profile
    first: date
    last: date

    @property
    def unscheduled(self) -> tuple[Activity, ...]:
        """The version's activities without calendar dates: ongoing, as required, on events."""
        return self.profile.unscheduled()

    @property
    def left_out(self) -> tuple[str, ...]:
        """What the version holds that has no calendar dates (activities as required,
        ongoing, on case events or how often not stated; reports and forums held at no
        fixed interval), each as "name (how often)"."""
        found: dict[str, None] = {}
        for activity in self.unscheduled:
            found[f"{activity.name} ({activity.cadence.describe()})"] = None
        for line in self.profile.reporting_lines:
            if not line.cadence.is_periodic:
                found[f"{line.report} ({line.cadence.describe()})"] = None
        for forum in self.profile.forums:
            if not forum.cadence.is_periodic:
                found[f"{forum.name} ({forum.cadence.describe()})"] = None
        return tuple(found)


def left_out_sentence(missing: tuple[str, ...] | list[str]) -> str:
    """A sentence saying what a calendar leaves out (see :attr:`CalendarPart.left_out`)."""
    if len(missing) == 1:
        return f"1 entry has no calendar dates, so this calendar leaves it out: {missing[0]}"
    return (
        f"{len(missing)} activities, reports and forums have no calendar dates, so this "
        f"calendar leaves them out: {'; '.join(missing)}"
    )


@attrs.frozen
class CalendarEntry:
    """One dated occurrence and the profile version it comes from."""

    profile: Profile
    occurrence: Occurrence

    @property
    def uid(self) -> str:
        """The event's UID: the same occurrence has the same UID in every calendar written."""
        o = self.occurrence
        return f"{self.profile.id}-{o.kind.value}-{o.ref}-{o.day.isoformat()}@qaframework"


@attrs.frozen
class QACalendar:
    """A council's QA calendar from ``start`` to ``end``: the versions in force over the
    window, oldest first, and every dated occurrence, by day (activities before reports
    before forums on a day)."""

    profile_id: str
    start: date
    end: date
    parts: tuple[CalendarPart, ...]
    entries: tuple[CalendarEntry, ...]

    @property
    def authority(self) -> str:
        """The council, as the latest version in the window names it."""
        return self.parts[-1].profile.authority

    @property
    def left_out(self) -> tuple[str, ...]:
        """What the versions in the window hold without calendar dates, each once (see
        :attr:`CalendarPart.left_out`): the calendar cannot show them."""
        return tuple(dict.fromkeys(m for part in self.parts for m in part.left_out))

    def to_ics(self, *, stamp: datetime | None = None) -> bytes:
        """The calendar as iCalendar bytes (see :func:`to_ics`)."""
        return _ics(self, stamp)

    def to_data(self) -> dict[str, Any]:
        """The calendar as plain data (what ``qaframework schedule --format json`` prints):

        ``{"profile", "authority", "from", "to", "versions": [{"version", "name", "from",
        "to", "unscheduled": [{"id", "name", "cadence"}], "left_out": ["name (how often)"]}],
        "occurrences": [{"date", "kind",
        "id", "title", "who", "cadence", "how_many", "profile", "version"}]}``; dates are ISO
        8601, ``who`` a list of the council's role titles, ``how_many`` an activity's quota
        in words (empty when it has none).
        """
        return {
            "profile": self.profile_id,
            "authority": self.authority,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "versions": [
                {
                    "version": part.profile.version,
                    "name": part.profile.name,
                    "from": part.first.isoformat(),
                    "to": part.last.isoformat(),
                    "unscheduled": [
                        {"id": a.id, "name": a.name, "cadence": str(a.cadence)}
                        for a in part.unscheduled
                    ],
                    "left_out": list(part.left_out),
                }
                for part in self.parts
            ],
            "occurrences": [
                {
                    "date": e.occurrence.day.isoformat(),
                    "kind": e.occurrence.kind.value,
                    "id": e.occurrence.ref,
                    "title": e.occurrence.title,
                    "who": list(e.occurrence.who),
                    "cadence": e.occurrence.cadence,
                    "how_many": e.occurrence.how_many,
                    "profile": e.profile.id,
                    "version": e.profile.version,
                }
                for e in self.entries
            ],
        }


def qa_calendar(profile: str | Profile, start: date, end: date) -> QACalendar:
    """A council's QA calendar from ``start`` to ``end`` inclusive.

    ``profile`` is an installed profile's id (each day's occurrences then come from the
    version in force on that day, so a window across a new framework's start date shows the
    old rhythm, then the new) or one :class:`~qaframework.policy.profile.Profile` version
    (its own occurrences over the whole window). Raises :class:`CalendarError` when the
    window ends before it starts or no version is in force in it, and
    :class:`~qaframework.errors.UnknownProfile` for an id no plugin registers.
    """
    if end < start:
        raise CalendarError(f"the calendar's end {end} is before its start {start}")
    if isinstance(profile, Profile):
        parts: tuple[CalendarPart, ...] = (CalendarPart(profile, start, end),)
        profile_id = profile.id
    else:
        from qaframework.profiles.registry import get_registry

        profile_id = profile
        parts = tuple(
            CalendarPart(version, first, last)
            for version, first, last in get_registry().versions_between(profile, start, end)
        )
        if not parts:
            raise CalendarError(
                f"no version of profile {profile!r} is in force between {start} and {end}"
            )
    entries = tuple(
        CalendarEntry(part.profile, occurrence)
        for part in parts
        for occurrence in part.profile.schedule(part.first, part.last)
    )
    return QACalendar(profile_id, start, end, parts, entries)


def to_ics(
    profile: str | Profile, start: date, end: date, *, stamp: datetime | None = None
) -> bytes:
    """A council's QA calendar from ``start`` to ``end`` as iCalendar (RFC 5545) bytes.

    ``profile`` is as for :func:`qa_calendar`. Each occurrence is an all-day event: its
    title as the summary; the kind and the cadence, who is involved, how many (for an
    activity with a quota) and the profile version in the description; the kind
    (``activity``, ``report``, ``forum``) as its category; and a UID made of the profile,
    kind, id and day (:attr:`CalendarEntry.uid`), stable from one export to the next.
    ``stamp`` is the events' DTSTAMP (when the file was made: now, in UTC, when None).
    Serve the bytes as ``text/calendar``.
    """
    return qa_calendar(profile, start, end).to_ics(stamp=stamp)


def _ics(calendar: QACalendar, stamp: datetime | None) -> bytes:
    from icalendar import Calendar, Event, vText

    made = Calendar()
    made.add("prodid", "-//qaframework//QA calendar//EN")
    made.add("version", "2.0")
    # Text values, escaped as RFC 5545 says (icalendar's default for an X- property has
    # varied between its versions).
    made.add("x-wr-calname", vText(f"{calendar.authority} QA calendar"))
    if calendar.left_out:
        # The calendar itself says what it leaves out, for whoever imports it.
        made.add("x-wr-caldesc", vText(left_out_sentence(calendar.left_out)))
    when = (stamp if stamp is not None else datetime.now(UTC)).replace(microsecond=0)
    for entry in calendar.entries:
        made.add_component(_event(Event(), entry, when))
    data: bytes = made.to_ical()
    return data


def _event(event: Any, entry: CalendarEntry, stamp: datetime) -> Any:
    profile, o = entry.profile, entry.occurrence
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", o.day)
    event.add("dtend", o.day + timedelta(days=1))
    event.add("summary", o.title)
    lines = [f"{o.kind.value.capitalize()} ({o.cadence})"]
    if o.who:
        lines.append("Who: " + ", ".join(o.who))
    if o.how_many:
        lines.append("How many: " + o.how_many)
    lines.append(f"{profile.authority}, profile {profile.id} version {profile.version}")
    event.add("description", "\n".join(lines))
    event.add("categories", [o.kind.value])
    return event
