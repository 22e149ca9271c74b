"""Grade scales and the ILACS crosswalk (``qaframework.policy.grades``)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.policy.citations import Citation
from qaframework.policy.grades import Grade, GradeScale, Ilacs, normalise_grade_text

CITATION = Citation("qaf", "3. Grades")


@st.composite
def scales(draw: st.DrawFn) -> GradeScale:
    """A scale of 2 to 7 grades with distinct codes and arbitrary ILACS equivalents."""
    codes = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
            min_size=2,
            max_size=7,
            unique_by=normalise_grade_text,
        )
    )
    judgements = draw(st.lists(st.sampled_from(Ilacs), min_size=len(codes), max_size=len(codes)))
    # "!" cannot occur in a code, so a label never reads as another grade's code.
    grades = tuple(
        Grade(code, f"{code.upper()}!", ilacs)
        for code, ilacs in zip(codes, judgements, strict=True)
    )
    return GradeScale("generated", "Generated", grades, draw(st.sampled_from(codes)), CITATION)


def example_scale() -> GradeScale:
    return GradeScale(
        "bolton_2026",
        "Bolton audit grades",
        (
            Grade("outstanding", "Outstanding", Ilacs.OUTSTANDING),
            Grade("meets_good", "Meets good", Ilacs.GOOD),
            Grade(
                "not_yet_good",
                "Does not yet meet good",
                Ilacs.REQUIRES_IMPROVEMENT,
                synonyms=("RI", "Requires improvement"),
            ),
            Grade("inadequate", "Inadequate", Ilacs.INADEQUATE),
        ),
        "meets_good",
        CITATION,
    )


@given(scales())
def test_a_scale_orders_its_grades_totally(scale: GradeScale) -> None:
    codes = scale.codes
    assert sorted(codes, key=scale.rank) == list(codes)
    for a, b in itertools.product(codes, repeat=2):
        assert scale.compare(a, b) == -scale.compare(b, a)
        assert (scale.compare(a, b) == 0) == (a == b)
        assert scale.at_or_below(a, b) == (scale.compare(a, b) >= 0)
    for a, b, c in itertools.permutations(codes, 3):
        if scale.compare(a, b) < 0 and scale.compare(b, c) < 0:
            assert scale.compare(a, c) < 0


@given(scales())
def test_good_or_better_agrees_with_rank(scale: GradeScale) -> None:
    threshold = scale.rank(scale.good_or_better)
    good = [code for code in scale.codes if scale.is_good_or_better(code)]
    assert good == list(scale.codes[: threshold + 1])
    assert all(scale.at_or_below(code, scale.good_or_better) for code in scale.codes[threshold:])


@given(scales())
def test_crosswalk_is_monotone_iff_ilacs_ranks_never_decrease(scale: GradeScale) -> None:
    ranks = [grade.ilacs.rank for grade in scale]
    assert scale.is_crosswalk_monotone() == (ranks == sorted(ranks))


@given(scales(), scales())
def test_crosswalk_maps_through_ilacs(scale: GradeScale, other: GradeScale) -> None:
    walk = scale.crosswalk(other)
    assert list(walk) == list(scale.codes)
    for code, matches in walk.items():
        expected = tuple(g.code for g in other if g.ilacs is scale.ilacs(code))
        assert matches == expected


@given(scales())
def test_every_spelling_parses_to_its_grade(scale: GradeScale) -> None:
    for grade in scale:
        assert scale.parse(grade.code) == grade
        assert scale.parse(f"  {grade.label.lower()} ") == grade
        assert grade.code in scale
        assert scale.grade(grade.code) == grade
    assert len(scale) == len(scale.codes)


def test_ilacs_ranks_and_labels() -> None:
    assert [i.rank for i in Ilacs] == [0, 1, 2, 3]
    assert Ilacs.REQUIRES_IMPROVEMENT.label == "Requires improvement to be good"
    assert Ilacs.OUTSTANDING.label == "Outstanding"


@pytest.mark.parametrize(
    "text",
    [
        "Requires  improvement",
        "requires-improvement",
        "REQUIRES_IMPROVEMENT",
        " Requires improvement ",
    ],
)
def test_normalise_grade_text(text: str) -> None:
    assert normalise_grade_text(text) == "requires improvement"


def test_parse_reads_codes_labels_and_synonyms() -> None:
    scale = example_scale()
    not_yet = scale.grade("not_yet_good")
    assert scale.parse("RI") == not_yet
    assert scale.parse("ri") == not_yet
    assert scale.parse("requires-improvement") == not_yet
    assert scale.parse("DOES NOT YET MEET GOOD") == not_yet
    assert scale.parse("Meets_good") == scale.grade("meets_good")
    assert scale.parse("Good") is None
    assert scale.parse("") is None


def test_lookups() -> None:
    scale = example_scale()
    assert scale.codes == ("outstanding", "meets_good", "not_yet_good", "inadequate")
    assert scale.rank("inadequate") == 3
    assert scale.ilacs("not_yet_good") is Ilacs.REQUIRES_IMPROVEMENT
    assert scale.is_good_or_better("outstanding")
    assert scale.is_good_or_better("meets_good")
    assert not scale.is_good_or_better("not_yet_good")
    assert scale.at_or_below("inadequate", "not_yet_good")
    assert not scale.at_or_below("meets_good", "not_yet_good")
    assert "good" not in scale
    assert next(iter(scale)).code == "outstanding"
    assert list(example_scale().grade("not_yet_good").spellings()) == [
        "not_yet_good",
        "Does not yet meet good",
        "RI",
        "Requires improvement",
    ]


def test_unknown_grade_names_the_scale_codes() -> None:
    scale = example_scale()
    with pytest.raises(KeyError, match="'good' is not a grade of scale 'bolton_2026'") as caught:
        scale.rank("good")
    assert "outstanding, meets_good, not_yet_good, inadequate" in str(caught.value)
    with pytest.raises(KeyError):
        scale.is_good_or_better("good")
    with pytest.raises(KeyError):
        scale.compare("good", "inadequate")


def test_crosswalk_between_scales() -> None:
    rag = GradeScale(
        "rag",
        "RAG",
        (
            Grade("green", "Green", Ilacs.GOOD),
            Grade("amber", "Amber", Ilacs.REQUIRES_IMPROVEMENT),
            Grade("red", "Red", Ilacs.INADEQUATE),
        ),
        "green",
        CITATION,
    )
    assert example_scale().crosswalk(rag) == {
        "outstanding": (),
        "meets_good": ("green",),
        "not_yet_good": ("amber",),
        "inadequate": ("red",),
    }
    assert rag.crosswalk(example_scale())["green"] == ("meets_good",)


def test_non_monotone_scale() -> None:
    scale = GradeScale(
        "odd",
        "Odd",
        (Grade("a", "A", Ilacs.GOOD), Grade("b", "B", Ilacs.OUTSTANDING)),
        "a",
        CITATION,
    )
    assert not scale.is_crosswalk_monotone()


def test_equal_scales_compare_equal_and_hash() -> None:
    assert example_scale() == example_scale()
    assert hash(example_scale()) == hash(example_scale())
