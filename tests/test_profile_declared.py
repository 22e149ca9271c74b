"""How a profile problem names the ids an unknown one is not among
(``qaframework.profiles._declared``): every one while they are few, else how many and the
nearest; and the values a case filter names that its field does not declare."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qaframework.policy.case_filters import CaseField, CaseFilter, normalise_value
from qaframework.policy.citations import Citation
from qaframework.profiles._declared import LISTED_IN_FULL, declared_names, undeclared_values

IDS = st.text(alphabet="abcdefghij_", min_size=1, max_size=12)


def test_few_are_listed_in_full_in_the_order_given() -> None:
    assert declared_names(["qa_board", "panel"], "cabinet") == "declared: qa_board, panel"
    assert declared_names([], "cabinet") == "declared: none"


def test_many_are_counted_with_the_nearest() -> None:
    names = sorted({f"standard_{n}" for n in range(30)} | {"assessment", "assessments"})
    assert declared_names(names, "assesment") == "32 declared; nearest: assessment, assessments"
    assert declared_names(names, "zzz") == "32 declared; none like it"


@given(names=st.lists(IDS, unique=True, max_size=60), value=IDS)
def test_every_name_or_the_count_and_only_declared_names(names: list[str], value: str) -> None:
    said = declared_names(names, value)
    if len(names) <= LISTED_IN_FULL:
        assert said == "declared: " + (", ".join(names) or "none")
    else:
        head, _, rest = said.partition("; ")
        assert head == f"{len(names)} declared"
        if rest != "none like it":
            nearest = rest.removeprefix("nearest: ").split(", ")
            assert 1 <= len(nearest) <= 3
            assert set(nearest) <= set(names)


def _field(values: tuple[str, ...]) -> CaseField:
    return CaseField("legal_status", "Legal Status", Citation("qaf", "4"), values=values)


def test_a_filters_values_its_field_does_not_declare() -> None:
    fields = {"legal_status": _field(("CP", "Child in Care"))}
    leaf = CaseFilter(field="legal_status", values=("cp", " child  in care ", "CIN", "EHA"))
    assert list(undeclared_values(leaf, fields)) == [
        (2, "'CIN' is not a value of case field 'legal_status' (declared: CP, Child in Care)"),
        (3, "'EHA' is not a value of case field 'legal_status' (declared: CP, Child in Care)"),
    ]
    # A field declared without values, or not declared, takes any value.
    assert list(undeclared_values(leaf, {"legal_status": _field(())})) == []
    assert list(undeclared_values(leaf, {})) == []


@given(
    declared=st.lists(st.sampled_from(["CP", "cp ", "CLA", "Child in Care", "CIN"]), max_size=4),
    given_values=st.lists(
        st.sampled_from(["CP", "CLA", " child in care", "CIN", "EHA"]), min_size=1, max_size=5
    ),
)
def test_exactly_the_values_not_declared_are_named(
    declared: list[str], given_values: list[str]
) -> None:
    fields = {"legal_status": _field(tuple(declared))}
    leaf = CaseFilter(field="legal_status", values=tuple(given_values))
    named = [index for index, _ in undeclared_values(leaf, fields)]
    allowed = {normalise_value(v) for v in declared}
    assert named == [
        index
        for index, value in enumerate(given_values)
        if declared and normalise_value(value) not in allowed
    ]
