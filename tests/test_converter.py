"""The strict converter: plain data to core types and back (``qaframework.profiles.converter``)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.engine.periods import Period
from qaframework.errors import Problem
from qaframework.policy.actions import ActionTimescale
from qaframework.policy.activities import Activity, Effort
from qaframework.policy.cadence import Cadence, IsoDuration, Quota, QuotaQualifier
from qaframework.policy.citations import Citation, SourceDocument
from qaframework.policy.escalation import (
    Concern,
    Deadline,
    DeadlineKind,
    GradeStage,
    Trigger,
    TriggerKind,
)
from qaframework.policy.grades import Grade, GradeScale, Ilacs
from qaframework.policy.moderation import ModerationOutcome, SelectionKind, SelectionRule
from qaframework.policy.profile import Profile
from qaframework.policy.roles import GenericRole, Role
from qaframework.policy.standards import Standard, StandardKind
from qaframework.profiles.converter import from_dict, problems_from_exception, to_dict

# -- strategies for core values --------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
texts = st.text(max_size=30)
words = st.text(min_size=1, max_size=20).filter(str.strip)
optional_texts = st.none() | texts
days = st.dates(date(1990, 1, 1), date(2060, 12, 31))
durations = st.builds(
    IsoDuration,
    years=st.integers(0, 10),
    months=st.integers(0, 30),
    weeks=st.integers(0, 60),
    days=st.integers(0, 400),
)
nonzero_durations = durations.filter(lambda d: not d.is_zero)
cadences = st.one_of(
    nonzero_durations.map(Cadence.periodic),
    st.just(Cadence.ongoing()),
    st.just(Cadence.as_required()),
    st.lists(ids, min_size=1, max_size=3).map(lambda events: Cadence.on_event(*events)),
)
citations = st.builds(Citation, source=ids, section=words, quote=optional_texts)
id_tuples = st.lists(ids, max_size=3).map(tuple)


@st.composite
def quotas(draw: st.DrawFn) -> Quota:
    count = draw(st.integers(0, 500))
    return Quota(
        count,
        draw(words),
        draw(st.sampled_from(QuotaQualifier)),
        count_max=draw(st.none() | st.integers(count, count + 10)),
        per_role=draw(st.none() | ids),
        per=draw(st.none() | words),
        period=draw(st.none() | nonzero_durations),
    )


grades = st.builds(
    Grade,
    code=ids,
    label=words,
    ilacs=st.sampled_from(Ilacs),
    synonyms=st.lists(words, max_size=3).map(tuple),
    description=optional_texts,
)


@st.composite
def grade_scales(draw: st.DrawFn) -> GradeScale:
    members = tuple(draw(st.lists(grades, min_size=1, max_size=5)))
    good = draw(st.sampled_from([g.code for g in members]))
    return GradeScale(draw(ids), draw(words), members, good, draw(citations))


roles = st.builds(
    Role,
    id=ids,
    title=words,
    generic=st.sampled_from(GenericRole),
    citation=citations,
    abbreviations=st.lists(words, max_size=3).map(tuple),
    reports_to=st.none() | ids,
    description=optional_texts,
)
hours = st.floats(0.25, 100, allow_nan=False, allow_infinity=False)


@st.composite
def efforts(draw: st.DrawFn) -> Effort:
    low = draw(st.none() | hours)
    high = draw(st.none() | hours.filter(lambda h: low is None or h >= low))
    if low is None and high is None:
        low = draw(hours)
    return Effort(draw(words), low, high)


@st.composite
def selection_rules(draw: st.DrawFn) -> SelectionRule:
    kind = draw(st.sampled_from(SelectionKind))
    citation = draw(citations)
    if kind is SelectionKind.PROPORTION:
        minimum = draw(st.none() | st.integers(0, 20))
        maximum = draw(st.none() | st.integers(minimum or 0, 50))
        proportion = draw(st.floats(0.001, 1))
        return SelectionRule(
            kind, citation, proportion=proportion, minimum=minimum, maximum=maximum
        )
    if kind is SelectionKind.PER_ROLE:
        return SelectionRule(
            kind,
            citation,
            count=draw(st.integers(0, 10)),
            per_role=draw(ids),
            period=draw(nonzero_durations),
        )
    if kind is SelectionKind.FIXED:
        return SelectionRule(kind, citation, count=draw(st.integers(0, 50)))
    if kind is SelectionKind.GRADE_AT_OR_BELOW:
        return SelectionRule(kind, citation, grade=draw(ids))
    if kind is SelectionKind.BY_AUDITOR:
        named = draw(id_tuples)
        tiers = tuple(draw(st.lists(st.sampled_from(GenericRole), max_size=2, unique=True)))
        if not named and not tiers:
            named = (draw(ids),)
        return SelectionRule(kind, citation, auditor_roles=named, auditor_generic=tiers)
    return SelectionRule(kind, citation)


@st.composite
def triggers(draw: st.DrawFn) -> Trigger:
    kind = draw(st.sampled_from(TriggerKind))
    codes = st.lists(ids, min_size=1, max_size=3).map(tuple)
    if kind is TriggerKind.GRADE:
        stage = draw(st.sampled_from(GradeStage))
        if draw(st.booleans()):
            return Trigger(kind, stage=stage, at_or_below=draw(ids))
        return Trigger(kind, stage=stage, grades=draw(codes))
    if kind is TriggerKind.MODERATION:
        return Trigger(
            kind,
            outcome=draw(st.sampled_from(ModerationOutcome)),
            at_or_below=draw(st.none() | ids),
            grades=draw(st.just(()) | codes),
        )
    if kind is TriggerKind.CONCERN:
        return Trigger(kind, concern=draw(st.sampled_from(Concern)))
    return Trigger(kind)


deadlines = st.one_of(
    st.sampled_from(
        [
            Deadline(DeadlineKind.IMMEDIATE),
            Deadline(DeadlineKind.SAME_WORKING_DAY),
            Deadline(DeadlineKind.NEXT_CYCLE),
        ]
    ),
    st.integers(1, 60).map(lambda n: Deadline(DeadlineKind.WORKING_DAYS, working_days=n)),
    nonzero_durations.map(lambda d: Deadline(DeadlineKind.WITHIN, within=d)),
)


@st.composite
def action_timescales(draw: st.DrawFn) -> ActionTimescale:
    set_in_audit = draw(st.booleans())
    due = None if set_in_audit else draw(durations)
    default_due = draw(durations) if set_in_audit else None
    effective = due or default_due
    assert effective is not None
    review = draw(
        st.none() | durations.filter(lambda r: r.approximate_days >= effective.approximate_days)
    )
    return ActionTimescale(
        draw(ids),
        draw(id_tuples),
        draw(ids),
        draw(citations),
        due=due,
        review=review,
        set_in_audit=set_in_audit,
        default_due=default_due,
        tracked_by=draw(id_tuples),
        reviewed_in=draw(id_tuples),
        notes=draw(st.lists(texts, max_size=2).map(tuple)),
    )


sources = st.builds(
    SourceDocument,
    id=ids,
    authority=words,
    title=words,
    file=words,
    issued=words,
    approved=st.none() | days,
    replaces=st.none() | ids,
    notes=optional_texts,
)
standards = st.builds(
    Standard,
    id=ids,
    title=words,
    kind=st.sampled_from(StandardKind),
    citation=citations,
    description=optional_texts,
    what_good_looks_like=st.lists(texts, max_size=3).map(tuple),
    how_measured=st.lists(texts, max_size=3).map(tuple),
    audited=st.booleans(),
)
periods = st.builds(
    lambda start, length: Period(start, date.fromordinal(start.toordinal() + length)),
    days,
    st.integers(0, 400),
)

core_values = st.one_of(
    durations,
    cadences,
    citations,
    quotas(),
    grade_scales(),
    roles,
    efforts(),
    selection_rules(),
    triggers(),
    deadlines,
    action_timescales(),
    sources,
    standards,
    periods,
)


# -- round trips -----------------------------------------------------------------------------


@given(core_values)
def test_round_trip(value: Any) -> None:
    assert from_dict(type(value), to_dict(value)) == value


@given(core_values)
def test_round_trip_through_json(value: Any) -> None:
    assert from_dict(type(value), json.loads(json.dumps(to_dict(value)))) == value


def test_example_profile_round_trips(example_profile: Profile) -> None:
    data = to_dict(example_profile)
    assert from_dict(Profile, data) == example_profile
    assert from_dict(Profile, json.loads(json.dumps(data))) == example_profile


def test_plain_data_forms(example_profile: Profile) -> None:
    data = to_dict(example_profile)
    assert data["effective_from"] == "2026-01-05"
    assert data["grade_scale"]["grades"][2]["ilacs"] == "requires_improvement"
    audit = data["activities"][0]
    assert audit["cadence"] == "P1M"
    assert audit["lookback"] == "P1Y"
    assert audit["quota"]["period"] == "P1M"
    assert audit["feedback_from"] == ["child", "parent_carer"]
    assert data["activities"][1]["cadence"] == "on-event:case_transfer,case_closure"
    assert data["activities"][2]["cadence"] == "ongoing"
    assert "_lookup" not in data
    assert "_rank" not in data["grade_scale"]


# -- strictness ------------------------------------------------------------------------------


def problems(cls: Any, data: Any) -> list[Problem]:
    """The problems from structuring ``data`` as ``cls``, which must fail."""
    with pytest.raises(Exception) as caught:  # noqa: PT011 - cattrs raises an ExceptionGroup
        from_dict(cls, data)
    return problems_from_exception(caught.value)


CITE = {"source": "qaf", "section": "5. Audit"}
SOURCE = {"id": "qaf", "authority": "A", "title": "T", "file": "f.txt", "issued": "2026"}
STANDARD = {"id": "s", "title": "S", "kind": "golden_thread", "citation": CITE}
ROLE = {"id": "tm", "title": "TM", "generic": "team_manager", "citation": CITE}
QUALIFIERS = "'exactly', 'approximately', 'at_least', 'up_to', 'for_example'"


@pytest.mark.parametrize(
    ("cls", "data", "path", "fragment"),
    [
        (Quota, {"count": "123", "unit": "case"}, "$.count", "expected an integer, got str '123'"),
        (Quota, {"count": True, "unit": "case"}, "$.count", "expected an integer, got bool True"),
        (Quota, {"count": 1.0, "unit": "case"}, "$.count", "expected an integer, got float"),
        (Quota, {"count": 7, "unit": 7}, "$.unit", "expected a string, got int 7"),
        (Standard, {**STANDARD, "audited": 1}, "$.audited", "expected true or false, got int 1"),
        (Standard, {**STANDARD, "audited": "yes"}, "$.audited", "expected true or false"),
        (
            Effort,
            {"text": "2 hours", "min_hours": "2"},
            "$.min_hours",
            "expected a number, got str '2'",
        ),
        (
            Effort,
            {"text": "2 hours", "min_hours": True},
            "$.min_hours",
            "expected a number, got bool True",
        ),
        (Role, {**ROLE, "abbreviations": "TM"}, "$.abbreviations", "expected a list, got str 'TM'"),
        (
            Role,
            {**ROLE, "abbreviations": {"TM": 1}},
            "$.abbreviations",
            "expected a list, got dict",
        ),
        (
            Role,
            {**ROLE, "abbreviations": ["TM", 2]},
            "$.abbreviations[1]",
            "expected a string, got int 2",
        ),
        (
            SourceDocument,
            {**SOURCE, "approved": "2026-13-01"},
            "$.approved",
            "'2026-13-01' is not a valid date",
        ),
        (
            SourceDocument,
            {**SOURCE, "approved": "05/02/2026"},
            "$.approved",
            "expected an ISO 8601 date (YYYY-MM-DD), got str '05/02/2026'",
        ),
        (
            SourceDocument,
            {**SOURCE, "approved": "2026-2-5"},
            "$.approved",
            "expected an ISO 8601 date",
        ),
        (
            SourceDocument,
            {**SOURCE, "approved": "20260205"},
            "$.approved",
            "expected an ISO 8601 date",
        ),
        (
            SourceDocument,
            {**SOURCE, "approved": 20260205},
            "$.approved",
            "expected an ISO 8601 date (YYYY-MM-DD), got int",
        ),
        (
            SourceDocument,
            {**SOURCE, "approved": datetime(2026, 2, 5, 9, 30)},
            "$.approved",
            "expected a date without a time, got datetime",
        ),
        (
            Quota,
            {"count": 1, "unit": "case", "qualifier": "roughly"},
            "$.qualifier",
            f"expected one of {QUALIFIERS}, got str 'roughly'",
        ),
        (
            Quota,
            {"count": 1, "unit": "case", "qualifier": "APPROXIMATELY"},
            "$.qualifier",
            "expected one of",
        ),
        (Role, {**ROLE, "generic": 3}, "$.generic", "got int 3"),
        (Role, {**ROLE, "generic": True}, "$.generic", "got bool True"),
        (Quota, {"count": 1, "unit": "case", "per_rol": "tm"}, "$", "extra fields found (per_rol)"),
        (Quota, {"count": 1}, "$.unit", "required field missing"),
        (
            Quota,
            {"count": 1, "unit": "case", "period": "monthly"},
            "$.period",
            "'monthly' is not an ISO 8601 duration",
        ),
        (
            Quota,
            {"count": 1, "unit": "case", "period": 30},
            "$.period",
            "expected an ISO 8601 duration string, got int 30",
        ),
        (
            Role,
            {**ROLE, "citation": {"source": "qaf"}},
            "$.citation.section",
            "required field missing",
        ),
        (
            Role,
            {**ROLE, "citation": {**CITE, "page": 3}},
            "$.citation",
            "extra fields found (page)",
        ),
        (Quota, {"count": -1, "unit": "case"}, "$", "a quota count cannot be negative"),
    ],
)
def test_wrong_data_is_refused_with_its_path(
    cls: Any, data: dict[str, Any], path: str, fragment: str
) -> None:
    found = problems(cls, data)
    assert len(found) == 1, found
    assert found[0].path == path
    assert fragment in found[0].message


def test_nested_paths_and_every_problem_reported() -> None:
    data = {
        "id": "audit",
        "name": "Audit",
        "kind": "case_file_audit",
        "who": ["team_manager", 7],
        "cadence": "monthly",
        "citation": CITE,
        "quota": {"count": "1", "unit": "audit", "extra": True},
        "feedback_from": ["child", "grandparent"],
        "anchor": "2026-04-31",
    }
    found = {p.path: p.message for p in problems(Activity, data)}
    assert set(found) == {
        "$.who[1]",
        "$.cadence",
        "$.quota",
        "$.quota.count",
        "$.feedback_from[1]",
        "$.anchor",
    }
    assert "expected a string" in found["$.who[1]"]
    assert "'monthly' is not a cadence" in found["$.cadence"]
    assert "extra fields found (extra)" in found["$.quota"]
    assert "'grandparent'" in found["$.feedback_from[1]"]
    assert (
        "'child', 'parent_carer', 'practitioner', 'partner_agency'" in found["$.feedback_from[1]"]
    )
    assert "not a valid date" in found["$.anchor"]


@pytest.mark.parametrize("container", [tuple[str, ...], list[str]])
def test_a_string_is_not_a_list(container: Any) -> None:
    found = problems(container, "abc")
    assert found == [Problem("$", "expected a list, got str 'abc'")]


def test_lists_and_tuples_accept_arrays() -> None:
    assert from_dict(tuple[int, ...], [1, 2]) == (1, 2)
    assert from_dict(list[str], ("a", "b")) == ["a", "b"]
    assert [p.path for p in problems(list[int], [1, "2", 3.0])] == ["$[1]", "$[2]"]


def test_optional_values_stay_strict() -> None:
    optional_int: Any = int | None
    assert from_dict(optional_int, None) is None
    assert problems(int | None, "1")[0].message == "expected an integer, got str '1'"
    assert problems(str | None, 7)[0].message == "expected a string, got int 7"


def test_dates_from_toml_and_json() -> None:
    assert from_dict(date, date(2026, 2, 5)) == date(2026, 2, 5)
    assert from_dict(date, "2026-02-05") == date(2026, 2, 5)


def test_durations_and_cadences_from_strings() -> None:
    assert from_dict(IsoDuration, "P6W") == IsoDuration(weeks=6)
    assert from_dict(Cadence, "on-event:case_transfer") == Cadence.on_event("case_transfer")
    assert problems(Cadence, "P0D")[0].message == "a periodic cadence needs a non-zero duration"
    assert "expected a cadence string" in problems(Cadence, {"every": "P1M"})[0].message


def test_floats_accept_integers() -> None:
    effort = from_dict(Effort, {"text": "a day", "max_hours": 7})
    assert effort.max_hours == 7.0
    assert type(effort.max_hours) is float


def test_problems_from_a_plain_exception_use_the_given_path() -> None:
    found = problems_from_exception(ValueError("bad thing"), "$.roles[2]")
    assert found == [Problem("$.roles[2]", "bad thing")]


def test_problems_carry_the_base_path() -> None:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - cattrs raises an ExceptionGroup
        from_dict(Quota, {"count": "1", "unit": "case"})
    assert problems_from_exception(caught.value, "$.activities[0].quota") == [
        Problem("$.activities[0].quota.count", "expected an integer, got str '1'")
    ]


def test_long_values_are_abbreviated_in_messages() -> None:
    message = problems(Quota, {"count": "9" * 200, "unit": "case"})[0].message
    assert message.endswith("...")
    assert len(message) < 120


def test_hooks_are_generated_when_first_used_not_on_import() -> None:
    """Importing the converter generates no cattrs code (it was most of the import's time,
    paid by every process, one that never reads a profile too); the hooks work as before
    once used."""
    script = (
        "import linecache\n"
        "from datetime import date\n"
        "import qaframework.profiles.converter as c\n"
        "def generated():\n"
        "    return sum(k.startswith('<cattrs generated') for k in linecache.cache)\n"
        "print(generated())\n"
        "from qaframework.profiles.registry import load_profile\n"
        "profile = load_profile('bolton', as_of=date(2026, 6, 30))\n"
        "data = c.to_dict(profile)\n"
        "print(generated() > 0, c.from_dict(type(profile), data) == profile)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "True", "True"]
