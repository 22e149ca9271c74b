"""How often things happen: ISO 8601 durations, cadences and quotas.

Councils write "6-weekly", "bi-monthly", "twice a year", "1 per Team Manager per month" and
"approximately 35 cases". In data these are ISO 8601 durations (``P6W``, ``P2M``, ``P6M``) and
structured quotas, so they can be computed with and round-trip unchanged through JSON.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

import attrs

from qaframework.policy.unknowns import NOT_STATED_TEXT, NotStated

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

__all__ = [
    "Cadence",
    "CadenceKind",
    "IsoDuration",
    "Quota",
    "QuotaQualifier",
    "describe_quotas",
    "quotas_of",
    "to_quotas",
]

# ASCII digits only: ``\d`` would also read "P６W" (a full-width 6) as six weeks.
_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", re.ASCII)
_DAYS_PER_MONTH = 365.2425 / 12


def _first_relativedelta(*, months: int, days: int) -> relativedelta:
    """dateutil's ``relativedelta(months=months, days=days)``: imported on the first move,
    and put in :data:`_relativedelta`'s place, so that later moves call it directly. A
    program that only loads its profiles does without the import (a few milliseconds at
    start-up)."""
    global _relativedelta
    from dateutil.relativedelta import relativedelta

    _relativedelta = relativedelta
    return relativedelta(months=months, days=days)


_relativedelta: Callable[..., relativedelta] = _first_relativedelta


def _non_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 0:
        raise ValueError(f"{attribute.name} must be a non-negative integer, got {value!r}")


@attrs.frozen(order=False)
class IsoDuration:
    """A calendar duration of years, months, weeks and days, as in ISO 8601 (``P6W``, ``P1Y``).

    Weeks are kept as weeks (``P6W`` stays ``P6W``, not ``P42D``) because councils count in
    weeks. Time components (``PT4H``) are not accepted: QA cadences are whole days or longer.
    Adding a duration to a date is calendar arithmetic: one month after 31 January is the last
    day of February.
    """

    years: int = attrs.field(default=0, validator=_non_negative)
    months: int = attrs.field(default=0, validator=_non_negative)
    weeks: int = attrs.field(default=0, validator=_non_negative)
    days: int = attrs.field(default=0, validator=_non_negative)

    @classmethod
    def parse(cls, text: str) -> IsoDuration:
        """Read ``PnYnMnWnD`` (each part optional, at least one present); ValueError otherwise."""
        if not isinstance(text, str):
            raise TypeError(f"an ISO 8601 duration must be a string, got {type(text).__name__}")
        match = _DURATION.fullmatch(text)
        if match is None or not any(match.groups()):
            raise ValueError(
                f"{text!r} is not an ISO 8601 duration of years, months, weeks and days "
                "(examples: P6W, P1M, P3M, P1Y)"
            )
        years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
        return cls(years=years, months=months, weeks=weeks, days=days)

    def __str__(self) -> str:
        parts = [
            f"{value}{unit}"
            for value, unit in (
                (self.years, "Y"),
                (self.months, "M"),
                (self.weeks, "W"),
                (self.days, "D"),
            )
            if value
        ]
        return "P" + ("".join(parts) or "0D")

    @property
    def is_zero(self) -> bool:
        """True for ``P0D``."""
        return not (self.years or self.months or self.weeks or self.days)

    @property
    def total_months(self) -> int:
        """The month part, years included."""
        return self.years * 12 + self.months

    @property
    def total_days(self) -> int:
        """The day part, weeks included."""
        return self.weeks * 7 + self.days

    @property
    def approximate_days(self) -> float:
        """Mean length in days (a month is 1/12 of a Gregorian year), for ordering and rates."""
        return self.total_months * _DAYS_PER_MONTH + self.total_days

    def per_year(self) -> float:
        """How many times a cadence of this length falls in a year, on average."""
        if self.is_zero:
            raise ValueError("a zero duration has no rate")
        return 365.2425 / self.approximate_days

    def times(self, n: int) -> IsoDuration:
        """This duration repeated ``n`` times (``n`` >= 0)."""
        return IsoDuration(self.years * n, self.months * n, self.weeks * n, self.days * n)

    def add_to(self, start: date, n: int = 1) -> date:
        """``start`` plus ``n`` times this duration (``n`` may be negative).

        Each multiple is measured from ``start``, so month ends do not drift: 31 January plus
        two months is 31 March, not 28 March.
        """
        return start + _relativedelta(months=self.total_months * n, days=self.total_days * n)

    def subtract_from(self, end: date, n: int = 1) -> date:
        """``end`` minus ``n`` times this duration."""
        return self.add_to(end, -n)

    def describe(self, *, numbered: bool = False) -> str:
        """English for a council reader: ``P1M`` is "month", ``P6W`` is "6 weeks".

        ``numbered`` always gives the count ("1 month", "2 weeks"), for phrases such as
        "within 1 month" where "within month" would not read.
        """
        if not numbered and self in _SINGULAR:
            return _SINGULAR[self]
        parts = []
        for value, unit in (
            (self.years, "year"),
            (self.months, "month"),
            (self.weeks, "week"),
            (self.days, "day"),
        ):
            if value:
                parts.append(f"{value} {unit}{'s' if value != 1 else ''}")
        return " ".join(parts) or "no time"


_SINGULAR = {
    IsoDuration(weeks=1): "week",
    IsoDuration(weeks=2): "fortnight",
    IsoDuration(months=1): "month",
    IsoDuration(months=3): "quarter",
    IsoDuration(years=1): "year",
    IsoDuration(days=1): "day",
}


class CadenceKind(enum.Enum):
    """Whether something recurs on a calendar or happens on another footing.

    ``before_event`` and ``after_event`` are per-case event cadences: each subject (a child)
    owes the activity before, or after, each of its own case events (see :class:`Cadence`).
    """

    PERIODIC = "periodic"
    ONGOING = "ongoing"
    ON_EVENT = "on_event"
    AS_REQUIRED = "as_required"
    REGULAR = "regular"
    NOT_STATED = "not_stated"
    BEFORE_EVENT = "before_event"
    AFTER_EVENT = "after_event"

    @property
    def is_per_case_event(self) -> bool:
        """Whether the cadence is owed before or after each of a subject's case events."""
        return self in (CadenceKind.BEFORE_EVENT, CadenceKind.AFTER_EVENT)


_EVENT = re.compile(r"[a-z][a-z0-9_]*")
_WORKING_DAYS = re.compile(r"([1-9][0-9]*)WD", re.ASCII)
_PREFIXES = {
    "on-event:": CadenceKind.ON_EVENT,
    "before-event:": CadenceKind.BEFORE_EVENT,
    "after-event:": CadenceKind.AFTER_EVENT,
}
_PER_CASE = (CadenceKind.BEFORE_EVENT, CadenceKind.AFTER_EVENT)


@attrs.frozen
class Cadence:
    """How often an activity, forum or report happens.

    Written as a string in data: an ISO 8601 duration for a periodic cadence (``"P6W"``),
    ``"ongoing"`` for continuous activity, ``"as-required"`` for activity without a fixed
    rhythm, ``"regular"`` for activity a source says recurs "regularly" without a period,
    ``"on-event:case_transfer,case_closure"`` for activity triggered by events in a child's
    case.

    Per-case event cadences say when each child (or other subject) owes the activity,
    counted from its own case events in the activity log:

    ``"before-event:case_closure"``
        on or before the day of each of the subject's ``case_closure`` events ("before every
        case is closed"); a delay after a slash sets how long before: ``/P1W`` a calendar
        duration, ``/5WD`` five working days.
    ``"after-event:case_closure/10WD"``
        within the delay after each event (here ten working days); with no delay it is owed
        after each event, by no stated date.
    ``"after-event:panel/P12M/then/P1Y"``
        within the delay after the subject's *first* such event, then within ``then`` of the
        last time it was done ("12 months after first presentation at panel, annually
        thereafter").

    Several events may be named, comma-separated, as for ``on-event``. ``offset`` is the
    calendar delay, ``working_days`` the delay in working days (of the profile's working
    calendar), ``then`` the period after the first.
    ``"not stated"`` is a cadence the source does not state: it states the activity, forum or
    report but not how often (see :mod:`qaframework.policy.unknowns`).
    """

    kind: CadenceKind
    every: IsoDuration | None = None
    events: tuple[str, ...] = ()
    offset: IsoDuration | None = None
    working_days: int | None = None
    then: IsoDuration | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is CadenceKind.PERIODIC:
            if self.every is None or self.every.is_zero:
                raise ValueError("a periodic cadence needs a non-zero duration")
        elif self.every is not None:
            raise ValueError(f"a cadence of kind {self.kind.value!r} takes no duration")
        if self.kind is CadenceKind.ON_EVENT or self.kind in _PER_CASE:
            if not self.events:
                raise ValueError(
                    f"an event cadence ({self.prefix()}-event) names at least one event"
                )
            bad = [e for e in self.events if not _EVENT.fullmatch(e)]
            if bad:
                raise ValueError(f"event names are lower_snake_case identifiers, got {bad}")
        elif self.events:
            raise ValueError(f"a cadence of kind {self.kind.value!r} takes no events")
        self._check_delays()

    def prefix(self) -> str:
        """``on``, ``before`` or ``after`` for an event cadence, else the kind's value."""
        return {
            CadenceKind.ON_EVENT: "on",
            CadenceKind.BEFORE_EVENT: "before",
            CadenceKind.AFTER_EVENT: "after",
        }.get(self.kind, self.kind.value)

    def _check_delays(self) -> None:
        if self.kind not in _PER_CASE:
            if (self.offset, self.working_days, self.then) != (None, None, None):
                raise ValueError(
                    f"a cadence of kind {self.kind.value!r} takes no delay and no 'then'"
                )
            return
        if self.offset is not None and self.working_days is not None:
            raise ValueError("a delay is a duration or a number of working days, not both")
        if self.offset is not None and self.offset.is_zero:
            raise ValueError("a delay is not zero: leave it out for the day of the event")
        if self.working_days is not None and (
            type(self.working_days) is not int or self.working_days < 1
        ):
            raise ValueError(f"a delay in working days is at least 1, got {self.working_days}")
        if self.then is not None:
            if self.kind is not CadenceKind.AFTER_EVENT:
                raise ValueError("only an after-event cadence recurs ('then')")
            if self.offset is None and self.working_days is None:
                raise ValueError("'then' follows a first delay: after-event:<event>/P12M/then/P1Y")
            if self.then.is_zero:
                raise ValueError("the period after 'then' is not zero")

    @classmethod
    def periodic(cls, every: IsoDuration | str) -> Cadence:
        """A cadence recurring every ``every``."""
        duration = IsoDuration.parse(every) if isinstance(every, str) else every
        return cls(CadenceKind.PERIODIC, every=duration)

    @classmethod
    def ongoing(cls) -> Cadence:
        """Continuous activity with no dated occurrences."""
        return cls(CadenceKind.ONGOING)

    @classmethod
    def as_required(cls) -> Cadence:
        """Activity undertaken when needed, with no fixed rhythm."""
        return cls(CadenceKind.AS_REQUIRED)

    @classmethod
    def regular(cls) -> Cadence:
        """Recurring activity whose source gives no period ("regularly", "routinely")."""
        return cls(CadenceKind.REGULAR)

    @classmethod
    def not_stated(cls) -> Cadence:
        """A cadence the source does not state: no calendar dates, and no period assumed."""
        return cls(CadenceKind.NOT_STATED)

    @classmethod
    def on_event(cls, *events: str) -> Cadence:
        """Activity triggered by case events such as ``case_transfer``."""
        return cls(CadenceKind.ON_EVENT, events=tuple(events))

    @classmethod
    def before_event(
        cls,
        *events: str,
        offset: IsoDuration | str | None = None,
        working_days: int | None = None,
    ) -> Cadence:
        """Owed by each subject before each of its ``events`` (``offset`` or ``working_days``
        before, when given)."""
        return cls(
            CadenceKind.BEFORE_EVENT,
            events=tuple(events),
            offset=IsoDuration.parse(offset) if isinstance(offset, str) else offset,
            working_days=working_days,
        )

    @classmethod
    def after_event(
        cls,
        *events: str,
        offset: IsoDuration | str | None = None,
        working_days: int | None = None,
        then: IsoDuration | str | None = None,
    ) -> Cadence:
        """Owed by each subject after each of its ``events`` (within ``offset`` or
        ``working_days``), or with ``then`` after the first event and every ``then`` after."""
        return cls(
            CadenceKind.AFTER_EVENT,
            events=tuple(events),
            offset=IsoDuration.parse(offset) if isinstance(offset, str) else offset,
            working_days=working_days,
            then=IsoDuration.parse(then) if isinstance(then, str) else then,
        )

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """Read the string form (see the class docstring); ValueError on anything else."""
        if not isinstance(text, str):
            raise TypeError(f"a cadence must be a string, got {type(text).__name__}")
        value = text
        if value != value.strip():
            raise ValueError(f"{text!r} has surrounding spaces; write the cadence alone")
        if value == "ongoing":
            return cls.ongoing()
        if value == "as-required":
            return cls.as_required()
        if value == "regular":
            return cls.regular()
        if value == NOT_STATED_TEXT:
            return cls.not_stated()
        for prefix, kind in _PREFIXES.items():
            if value.startswith(prefix):
                return cls._parse_events(kind, value[len(prefix) :], text)
        if value.startswith("P"):
            return cls.periodic(IsoDuration.parse(value))
        raise ValueError(
            f"{text!r} is not a cadence: use an ISO 8601 duration (P6W, P1M, P1Y), "
            "'ongoing', 'as-required', 'regular', 'not stated', "
            "'on-event:<event>[,<event>...]', "
            "'before-event:<event>[/<delay>]' or "
            "'after-event:<event>[/<delay>[/then/<duration>]]'"
        )

    @classmethod
    def _parse_events(cls, kind: CadenceKind, rest: str, text: str) -> Cadence:
        names, *parts = rest.split("/")
        events = tuple(e.strip() for e in names.split(","))
        if kind is CadenceKind.ON_EVENT:
            if parts:
                raise ValueError(f"{text!r}: an on-event cadence takes no delay")
            return cls.on_event(*events)
        then: IsoDuration | None = None
        if parts and parts[0] == "then":
            raise ValueError(
                f"{text!r}: 'then' follows a first delay (after-event:<event>/P12M/then/P1Y)"
            )
        if len(parts) == 3 and parts[1] == "then":
            then = IsoDuration.parse(parts[2])
            parts = parts[:1]
        if len(parts) > 1:
            raise ValueError(
                f"{text!r}: after the events comes one delay (P1W, 5WD), then optionally "
                "'/then/<duration>' (after-event only)"
            )
        offset: IsoDuration | None = None
        working_days: int | None = None
        if parts:
            delay = parts[0]
            counted = _WORKING_DAYS.fullmatch(delay)
            if counted is not None:
                working_days = int(counted.group(1))
            elif delay.startswith("P"):
                offset = IsoDuration.parse(delay)
            else:
                raise ValueError(
                    f"{text!r}: the delay {delay!r} is an ISO 8601 duration (P1W, P12M) or "
                    "a number of working days (5WD)"
                )
        return cls(kind, events=events, offset=offset, working_days=working_days, then=then)

    def __str__(self) -> str:
        if self.kind is CadenceKind.PERIODIC:
            return str(self.every)
        if self.kind is CadenceKind.ON_EVENT or self.kind in _PER_CASE:
            text = f"{self.prefix()}-event:" + ",".join(self.events)
            if self.offset is not None:
                text += f"/{self.offset}"
            elif self.working_days is not None:
                text += f"/{self.working_days}WD"
            if self.then is not None:
                text += f"/then/{self.then}"
            return text
        return _KIND_WORDS[self.kind][0]

    @property
    def delay_words(self) -> str | None:
        """The delay of a per-case event cadence in words ("5 working days", "12 months")."""
        if self.offset is not None:
            return self.offset.describe(numbered=True)
        if self.working_days is not None:
            return f"{self.working_days} working day{'s' if self.working_days != 1 else ''}"
        return None

    @property
    def is_periodic(self) -> bool:
        """True when the cadence has dated occurrences."""
        return self.kind is CadenceKind.PERIODIC

    @property
    def is_stated(self) -> bool:
        """False for a cadence the source does not state (``"not stated"``)."""
        return self.kind is not CadenceKind.NOT_STATED

    def describe(self) -> str:
        """English for a council reader: "every 6 weeks", "on case transfer or case closure",
        "at least 5 working days before each case closure", "within 12 months after the
        first panel, then within 1 year of the last"."""
        if self.every is not None:
            return f"every {self.every.describe()}"
        words = " or ".join(e.replace("_", " ") for e in self.events)
        if self.kind is CadenceKind.ON_EVENT:
            return "on " + words
        delay = self.delay_words
        if self.kind is CadenceKind.BEFORE_EVENT:
            return f"at least {delay} before each {words}" if delay else f"before each {words}"
        if self.kind is CadenceKind.AFTER_EVENT:
            if self.then is not None:
                return (
                    f"within {delay} after the first {words}, then within "
                    f"{self.then.describe(numbered=True)} of the last"
                )
            return f"within {delay} after each {words}" if delay else f"after each {words}"
        return _KIND_WORDS[self.kind][1]

    def occurrences(self, anchor: date, start: date, end: date) -> list[date]:
        """Dates ``anchor + k * every`` (any integer ``k``) from ``start`` to ``end`` inclusive.

        Sorted and without repeats; empty for a cadence that is not periodic or when ``end``
        is before ``start``.
        """
        if self.every is None or end < start:
            return []
        every = self.every
        step = every.approximate_days
        # Start a little before the first candidate: calendar months vary in length.
        k = math.floor((start - anchor).days / step) - 1
        while every.add_to(anchor, k) >= start:
            k -= 1
        dates: list[date] = []
        while True:
            current = every.add_to(anchor, k)
            if current > end:
                return dates
            if current >= start and (not dates or current != dates[-1]):
                dates.append(current)
            k += 1

    def next_on_or_after(self, anchor: date, day: date) -> date | None:
        """The first occurrence on or after ``day``, None for a cadence that is not periodic."""
        if self.every is None:
            return None
        # Two steps, not one: months differ in length and month ends are clipped, so one
        # step of P1Y3M2W30D from ``day`` can end a day or two short of the next occurrence.
        horizon = self.every.add_to(day, 2)
        found = self.occurrences(anchor, day, horizon)
        return found[0] if found else None


_KIND_WORDS = {
    CadenceKind.ONGOING: ("ongoing", "ongoing"),
    CadenceKind.AS_REQUIRED: ("as-required", "as required"),
    CadenceKind.REGULAR: ("regular", "regularly (no period stated)"),
    CadenceKind.NOT_STATED: (NOT_STATED_TEXT, NOT_STATED_TEXT),
}


class QuotaQualifier(enum.Enum):
    """How firmly a quota's count is meant."""

    EXACTLY = "exactly"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    UP_TO = "up_to"
    FOR_EXAMPLE = "for_example"


_QUALIFIER_WORDS = {
    QuotaQualifier.EXACTLY: "",
    QuotaQualifier.APPROXIMATELY: "approximately ",
    QuotaQualifier.AT_LEAST: "at least ",
    QuotaQualifier.UP_TO: "up to ",
    QuotaQualifier.FOR_EXAMPLE: "e.g. ",
}


@attrs.frozen
class Quota:
    """How many: "1 audit per Team Manager per month", "approximately 35 cases", "e.g. 40 cases".

    ``per_role`` is a role id of the profile (each holder of the role owes the count);
    ``per`` names another subject the count is owed for ("supervisee", "child"); ``period``
    is the window the count applies to. ``count_max`` makes the count a range ("6 or 7").
    ``count`` is :data:`~qaframework.policy.unknowns.NOT_STATED` where the source states the
    quota (its unit, whose it is, its period) but not how many.
    """

    count: int | NotStated
    unit: str
    qualifier: QuotaQualifier = QuotaQualifier.EXACTLY
    count_max: int | None = None
    per_role: str | None = None
    per: str | None = None
    period: IsoDuration | None = None

    def __attrs_post_init__(self) -> None:
        if isinstance(self.count, NotStated):
            if self.count_max is not None:
                raise ValueError("a quota whose count is not stated has no count_max")
        elif self.count < 0:
            raise ValueError(f"a quota count cannot be negative, got {self.count}")
        elif self.count_max is not None and self.count_max < self.count:
            raise ValueError(f"count_max {self.count_max} is below count {self.count}")
        if not self.unit.strip():
            raise ValueError("a quota names its unit (case, audit, observation ...)")

    @property
    def stated_count(self) -> int | None:
        """The count, None where the source does not state it."""
        return None if isinstance(self.count, NotStated) else self.count

    def describe(self, role_title: str | None = None) -> str:
        """English: ``1 audit per Team Manager per month``; ``audits (how many not stated) per
        Team Manager per month`` where the count is not stated.

        ``role_title`` is the council's title for ``per_role`` (the profile knows it).
        """
        if isinstance(self.count, NotStated):
            text = f"{_plural(self.unit)} (how many not stated)"
        else:
            number = str(self.count)
            if self.count_max is not None and self.count_max != self.count:
                number = f"{self.count} or {self.count_max}"
            top = self.count_max if self.count_max is not None else self.count
            unit = self.unit if top == 1 else _plural(self.unit)
            text = f"{_QUALIFIER_WORDS[self.qualifier]}{number} {unit}"
        if self.per_role is not None:
            text += f" per {role_title or self.per_role}"
        if self.per is not None:
            text += f" per {self.per}"
        if self.period is not None:
            text += f" per {self.period.describe()}"
        return text


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def to_quotas(value: Quota | Iterable[Quota] | None) -> Quota | tuple[Quota, ...] | None:
    """A field's quotas as a frozen value: one :class:`Quota`, a tuple of several, or None.

    A list (as plain data or Python gives it) becomes a tuple; a single quota stays itself.
    """
    if value is None or isinstance(value, Quota):
        return value
    return tuple(value)


def quotas_of(value: Quota | tuple[Quota, ...] | None) -> tuple[Quota, ...]:
    """The quotas of a field that holds none, one or several, as a tuple."""
    if value is None:
        return ()
    if isinstance(value, Quota):
        return (value,)
    return value


def describe_quotas(
    value: Quota | tuple[Quota, ...] | None,
    role_title: Callable[[str], str | None] | None = None,
) -> str:
    """English for one quota or several: "2 audits per Team Manager per month and 1 audit
    per Advanced Practitioner per month"; empty for none.

    ``role_title`` gives the council's title for a role id (the profile knows it).
    """
    parts = []
    for quota in quotas_of(value):
        title = role_title(quota.per_role) if role_title and quota.per_role else None
        parts.append(quota.describe(title))
    return " and ".join(parts)
