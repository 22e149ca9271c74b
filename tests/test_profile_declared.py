"""How a profile problem names the ids an unknown one is not among
(``qaframework.profiles._declared``): every one while they are few, else how many and the
nearest."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qaframework.profiles._declared import LISTED_IN_FULL, declared_names

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
