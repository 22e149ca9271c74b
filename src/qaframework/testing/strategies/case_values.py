"""Strategies for case lists: rows of pseudonymous children, shaped by an activity's
sampling rule."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from qaframework.policy.profile import Profile
from qaframework.policy.sampling import Case
from qaframework.testing.strategies.audit_values import _activity
from qaframework.testing.strategies.drawing import (
    _CHILD_IDS,
    _PEOPLE,
    _SERVICE_AREAS,
    _TEAMS,
    _maybe,
    _pick,
    _pick_or_none,
)

__all__ = ["case_lists", "cases"]


_CASE_COLUMNS = frozenset({"child_id", "team", "worker", "service_area"})


@st.composite
def _case(draw: st.DrawFn, extra_fields: tuple[str, ...], child_id: str | None = None) -> Case:
    return Case(
        child_id=child_id or draw(_CHILD_IDS),
        team=_pick_or_none(draw, _TEAMS),
        worker=_maybe(draw, _PEOPLE),
        service_area=_pick_or_none(draw, _SERVICE_AREAS),
        fields={name: _pick(draw, ("A", "B", "C")) for name in extra_fields},
    )


def cases(*, extra_fields: Sequence[str] = ()) -> SearchStrategy[Case]:
    """A row of a case list: a pseudonymous child id, team, worker, service area, and a
    value for each of ``extra_fields`` (other columns, such as ``legal_status``)."""
    return _case(tuple(f for f in extra_fields if f not in _CASE_COLUMNS))


@st.composite
def _case_list(
    draw: st.DrawFn, extra_fields: tuple[str, ...], min_size: int, max_size: int
) -> list[Case]:
    ids = draw(
        st.lists(
            _CHILD_IDS,
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    return [draw(_case(extra_fields, child_id)) for child_id in ids]


def case_lists(
    profile: Profile | None = None,
    *,
    activity: str | None = None,
    min_size: int = 0,
    max_size: int = 50,
) -> SearchStrategy[list[Case]]:
    """Case lists (Annex A extracts, say): one row per child, children unique.

    Teams and service areas come from small pools, so strata are shared. With a profile and
    one of its ``activity`` ids, every stratum of the activity's sampling rule is a column.
    """
    extra: tuple[str, ...] = ()
    if activity is not None:
        if profile is None:
            raise InvalidArgument("name the profile the activity belongs to")
        found = _activity(profile, activity)
        if found is not None and found.sampling is not None:
            extra = tuple(f for f in found.sampling.strata if f not in _CASE_COLUMNS)
    return _case_list(extra, min_size, max_size)
