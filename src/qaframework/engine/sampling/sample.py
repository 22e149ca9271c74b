"""A drawn sample: its cases, strata or holders, and its notebook views."""

from __future__ import annotations

from html import escape
from operator import attrgetter
from typing import Any

import attrs

from qaframework.engine.frames import Backend, Columns, library
from qaframework.engine.sampling.pool import Exclusion
from qaframework.policy.display import html_table
from qaframework.policy.sampling import Case, SamplingMethod

__all__ = [
    "SAMPLE_ROWS",
    "HolderDraw",
    "Sample",
    "Stratum",
    "sample_frame",
    "sample_html",
]

_NOT_RECORDED = "Not recorded"

SAMPLE_ROWS = 10
"""How many of a sample's cases its notebook summary lists."""


@attrs.frozen
class Stratum:
    """One stratum of a stratified sample: its field values, size and quota.

    ``values`` line up with :attr:`Sample.strata_fields` (None where the cases have no
    value). ``size`` counts its eligible cases; ``exact`` is its proportionate share
    ``n * size / eligible``; ``proportional`` its largest-remainder quota; ``quota`` what was
    drawn, which differs from ``proportional`` only when every stratum had to be represented
    (see :func:`proportionate_quotas`). ``child_ids`` are the cases drawn, in case-list order.
    """

    values: tuple[str | None, ...]
    size: int
    exact: float
    proportional: int
    quota: int
    child_ids: tuple[str, ...]


@attrs.frozen
class HolderDraw:
    """One role-holder's draw in a quota sample: whose, from what, how many, which cases.

    ``responsible_for`` are the values of :attr:`Sample.holder_field` the holder answers
    for (their team); ``eligible`` the cases open to the holder's draw; ``role`` the role id
    the holder draws for, when a rule owes different counts per role.
    """

    holder: str
    responsible_for: tuple[str, ...]
    eligible: int
    quota: int
    child_ids: tuple[str, ...]
    role: str | None = None


@attrs.frozen(repr=False)
class Sample:
    """A drawn sample: the cases chosen, how they were chosen, and what was left out.

    ``cases`` are in case-list order, grouped by stratum or holder (in the order of
    :attr:`strata` or :attr:`holders`) when the sample has them. ``requested`` is the size
    asked for (for a purposive sample, the cases matching); ``population`` the cases on the
    list; ``eligible`` those left after the :attr:`exclusions`. ``seed`` is None for a
    purposive sample, which draws nothing at random. ``period`` names a per-holder draw and
    ``holder_role`` the role id the holders hold, when a profile's rule gave it.
    """

    method: SamplingMethod
    cases: tuple[Case, ...]
    requested: int
    population: int
    eligible: int
    seed: int | None = None
    exclusions: tuple[Exclusion, ...] = ()
    strata_fields: tuple[str, ...] = ()
    strata: tuple[Stratum, ...] = ()
    holder_field: str | None = None
    holder_role: str | None = None
    period: str | None = None
    holders: tuple[HolderDraw, ...] = ()

    @property
    def child_ids(self) -> tuple[str, ...]:
        """The children drawn, in the order of :attr:`cases`."""
        return tuple(case.child_id for case in self.cases)

    # The frame library is imported only when a frame is asked for.
    def to_pandas(self) -> Any:
        """The sampled cases as a pandas frame (see :func:`sample_frame`); needs the
        ``pandas`` extra."""
        return sample_frame(self, backend="pandas")

    def to_polars(self) -> Any:
        """The sampled cases as a polars frame (see :func:`sample_frame`); needs the
        ``polars`` extra."""
        return sample_frame(self, backend="polars")

    def __repr__(self) -> str:
        seed = "no seed" if self.seed is None else f"seed {self.seed}"
        return (
            f"<Sample {self.method.value}: {len(self.cases)} of {self.eligible} eligible cases "
            f"({self.population} on the list), {seed}>"
        )

    def _repr_html_(self) -> str:
        return sample_html(self)


_CASE_COLUMNS = ("child_id", "team", "worker", "service_area")


def _stratum_label(values: tuple[str | None, ...]) -> str:
    return " / ".join(_NOT_RECORDED if v is None else v for v in values)


def sample_frame(sample: Sample, *, backend: Backend = "pandas") -> Any:
    """A sample as a frame: one row per sampled case, in the sample's order.

    Columns: child_id, team, worker, service_area, then each other field the cases carry
    (named as on the case list; one that repeats a name here is prefixed ``field:``), then
    ``stratum`` for a stratified sample (the stratum's values joined by " / ") and
    ``holder`` for a quota per holder (whose draw the case is). The sample's method, seed
    and strata are on the :class:`~qaframework.engine.sampling.Sample` itself.
    """
    library(backend)
    cases = sample.cases
    frame = Columns()
    for name in _CASE_COLUMNS:
        frame.add(name, "str", list(map(attrgetter(name), cases)))
    extra = list(dict.fromkeys(name for case in cases for name in case.fields))
    reserved = {*_CASE_COLUMNS, "stratum", "holder"}
    for name in extra:
        column = f"field:{name}" if name in reserved else name
        frame.add(column, "str", [case.fields.get(name) for case in cases])
    if sample.strata:
        strata = {child: _stratum_label(s.values) for s in sample.strata for child in s.child_ids}
        frame.add("stratum", "str", [strata[case.child_id] for case in cases])
    if sample.holders:
        holders = {child: h.holder for h in sample.holders for child in h.child_ids}
        frame.add("holder", "str", [holders[case.child_id] for case in cases])
    return frame.build(backend)


# ---------------------------------------------------------------------------------------------
# Any of them
# ---------------------------------------------------------------------------------------------


def _value(value: str | None) -> str:
    return _NOT_RECORDED if value is None else value


def sample_html(sample: Sample) -> str:
    """A sample at a glance: how it was drawn (method, seed, sizes, exclusions), its strata
    or holders with their quotas, and its first :data:`SAMPLE_ROWS` cases."""
    method = sample.method.value.replace("_", " ")
    seed = "none (nothing drawn at random)" if sample.seed is None else str(sample.seed)
    facts = [
        f"{len(sample.cases)} of {sample.eligible} eligible cases "
        f"({sample.population} on the list), {sample.requested} asked for",
        f"seed {seed}",
    ]
    if sample.period is not None:
        facts.append(f"period {sample.period}")
    if sample.holder_role is not None:
        facts.append(f"one draw per {sample.holder_role}")
    parts = [
        '<div class="qaframework-sample">',
        f"<p><strong>Sample</strong>: {escape(method)}; {escape('; '.join(facts))}</p>",
    ]
    if sample.exclusions:
        parts.append(
            "<p>Left out before drawing: "
            + escape("; ".join(f"{e.count} {e.description}" for e in sample.exclusions))
            + "</p>"
        )
    if sample.strata:
        parts.append(
            html_table(
                (*sample.strata_fields, "Cases", "Exact share", "Quota"),
                (
                    (
                        *(_value(v) for v in s.values),
                        str(s.size),
                        f"{s.exact:.2f}",
                        str(s.quota),
                    )
                    for s in sample.strata
                ),
                caption="Strata",
            )
        )
    if sample.holders:
        # A rule owing a count per several roles says each holder's role.
        roles = any(h.role is not None for h in sample.holders)
        parts.append(
            html_table(
                (
                    "Holder",
                    *(("Role",) if roles else ()),
                    f"Responsible for ({sample.holder_field})",
                    "Eligible",
                    "Quota",
                ),
                (
                    (
                        h.holder,
                        *((h.role or "",) if roles else ()),
                        ", ".join(h.responsible_for),
                        str(h.eligible),
                        str(h.quota),
                    )
                    for h in sample.holders
                ),
                caption="Holders",
            )
        )
    shown = sample.cases[:SAMPLE_ROWS]
    more = len(sample.cases) - len(shown)
    caption = f"First {len(shown)} cases" if more else "Cases"
    if more:
        caption += f" (and {more} more: sample.to_pandas() has them all)"
    parts.append(
        html_table(
            ("Child", "Team", "Worker", "Service area"),
            ((c.child_id, _value(c.team), _value(c.worker), _value(c.service_area)) for c in shown),
            caption=caption,
        )
    )
    parts.append("</div>")
    return "".join(parts)
