"""Grades and grade scales, with a crosswalk to Ofsted's ILACS judgements.

A council grades audits on its own ordinal scale: Bolton's 2026 "Outstanding / Meets good /
Does not yet meet good / Inadequate", Manchester's ILACS grades, a RAG rating or a 5-point
scale. A :class:`GradeScale` is that scale as data, best grade first. Each grade names its
ILACS equivalent (Outstanding / Good / Requires improvement to be good / Inadequate), so any
two scales can be compared through the ILACS crosswalk, and the scale says which grade is
the lowest that still counts as "good or better".
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Iterable, Iterator

import attrs

from qaframework.policy.citations import Citation
from qaframework.policy.display import html_table

__all__ = [
    "Grade",
    "GradeScale",
    "Ilacs",
    "grade_order",
    "grade_scale_html",
    "normalise_grade_text",
]


class Ilacs(enum.Enum):
    """Ofsted ILACS judgement grades, best first.

    From April 2026 the overall-effectiveness judgement is dropped but the sub-judgements keep
    these four grades, so the crosswalk stays valid across both frameworks.
    """

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def rank(self) -> int:
        """0 for Outstanding down to 3 for Inadequate."""
        return _ILACS_ORDER.index(self)

    @property
    def label(self) -> str:
        """The judgement as Ofsted words it."""
        return _ILACS_LABELS[self]


_ILACS_ORDER = list(Ilacs)
_ILACS_LABELS = {
    Ilacs.OUTSTANDING: "Outstanding",
    Ilacs.GOOD: "Good",
    Ilacs.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Ilacs.INADEQUATE: "Inadequate",
}

_SPACE = re.compile(r"[\s_\-]+")


def normalise_grade_text(text: str) -> str:
    """Fold a grade as written in a file to a comparable key.

    Case, surrounding space, and runs of spaces, hyphens and underscores are ignored, so
    ``"Requires  improvement"``, ``"requires-improvement"`` and ``"REQUIRES_IMPROVEMENT"``
    read the same.
    """
    return _SPACE.sub(" ", text.strip().casefold()).strip()


@attrs.frozen
class Grade:
    """One grade of a scale.

    ``code`` is the stable identifier used in data and exports; ``label`` the council's
    wording; ``synonyms`` other spellings met in councils' files (``"RI"``); ``ilacs`` the
    equivalent ILACS judgement.
    """

    code: str
    label: str
    ilacs: Ilacs
    synonyms: tuple[str, ...] = ()
    description: str | None = None

    def spellings(self) -> Iterator[str]:
        """The code, label and every synonym."""
        yield self.code
        yield self.label
        yield from self.synonyms


@attrs.frozen(repr=False)
class GradeScale:
    """An ordered grade scale, best grade first.

    ``good_or_better`` is the code of the lowest grade that counts as good or better (the
    threshold used for the "share good or better" measure). Lookups by code and by spelling
    are precomputed; :meth:`parse` reads a grade as written in a council's export.
    """

    id: str
    name: str
    grades: tuple[Grade, ...]
    good_or_better: str
    citation: Citation
    _rank: dict[str, int] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _by_spelling: dict[str, Grade] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        # Duplicates are reported by profile validation; the first spelling wins here so that
        # an invalid scale can still be inspected.
        rank: dict[str, int] = {}
        spellings: dict[str, Grade] = {}
        for index, grade in enumerate(self.grades):
            rank.setdefault(grade.code, index)
            for spelling in grade.spellings():
                spellings.setdefault(normalise_grade_text(spelling), grade)
        object.__setattr__(self, "_rank", rank)
        object.__setattr__(self, "_by_spelling", spellings)

    def __repr__(self) -> str:
        # The grades' codes in order: the labels, synonyms and citation are in the HTML
        # view and on the attributes.
        return (
            f"<GradeScale {self.id!r}: {' > '.join(self.codes)}; "
            f"good or better from {self.good_or_better!r}>"
        )

    def _repr_html_(self) -> str:
        return grade_scale_html(self)

    @property
    def codes(self) -> tuple[str, ...]:
        """Grade codes, best first."""
        return tuple(g.code for g in self.grades)

    def __contains__(self, code: object) -> bool:
        return code in self._rank

    def __iter__(self) -> Iterator[Grade]:
        return iter(self.grades)

    def __len__(self) -> int:
        return len(self.grades)

    def grade(self, code: str) -> Grade:
        """The grade with this code; :class:`KeyError` naming the scale's codes if none."""
        try:
            return self.grades[self._rank[code]]
        except KeyError:
            raise KeyError(
                f"{code!r} is not a grade of scale {self.id!r} ({', '.join(self.codes)})"
            ) from None

    def rank(self, code: str) -> int:
        """Position of a grade, 0 for the best."""
        self.grade(code)
        return self._rank[code]

    def parse(self, text: str) -> Grade | None:
        """The grade a council's file means by ``text`` (code, label or synonym), or None."""
        return self._by_spelling.get(normalise_grade_text(text))

    def is_good_or_better(self, code: str) -> bool:
        """Whether a grade is at or above the scale's good-or-better threshold."""
        return self.rank(code) <= self.rank(self.good_or_better)

    def at_or_below(self, code: str, threshold: str) -> bool:
        """Whether ``code`` is as good as ``threshold`` or worse."""
        return self.rank(code) >= self.rank(threshold)

    def compare(self, a: str, b: str) -> int:
        """Negative if ``a`` is better than ``b``, zero if equal, positive if worse."""
        return self.rank(a) - self.rank(b)

    def ilacs(self, code: str) -> Ilacs:
        """The ILACS equivalent of a grade."""
        return self.grade(code).ilacs

    def is_crosswalk_monotone(self) -> bool:
        """True when a better grade never maps to a worse ILACS judgement."""
        ranks = [g.ilacs.rank for g in self.grades]
        return all(a <= b for a, b in itertools.pairwise(ranks))

    def crosswalk(self, other: GradeScale) -> dict[str, tuple[str, ...]]:
        """For each of this scale's grades, the grades of ``other`` with the same ILACS judgement.

        A grade whose ILACS judgement has no counterpart in ``other`` maps to an empty tuple.
        """
        by_ilacs: dict[Ilacs, list[str]] = {}
        for grade in other.grades:
            by_ilacs.setdefault(grade.ilacs, []).append(grade.code)
        return {g.code: tuple(by_ilacs.get(g.ilacs, ())) for g in self.grades}


def grade_scale_html(scale: GradeScale) -> str:
    """A grade scale as a table for a notebook: each grade's code, label and ILACS
    equivalent, best first, and which count as good or better (every text escaped)."""
    threshold = scale.grade(scale.good_or_better) if scale.good_or_better in scale else None
    shown = threshold.label if threshold is not None else scale.good_or_better
    return html_table(
        ("Code", "Grade", "ILACS equivalent", "Good or better"),
        (
            (
                g.code,
                g.label,
                g.ilacs.label,
                "yes" if threshold is not None and scale.is_good_or_better(g.code) else "",
            )
            for g in scale.grades
        ),
        caption=f"Grade scale: {scale.name} (good or better: {shown} and above)",
    )


def grade_order(scales: Iterable[GradeScale]) -> tuple[str, ...]:
    """The grade codes of one or more scales, best first, each once.

    One scale (or several with the same codes in the same order, the versions of a framework
    that kept its scale) gives its own order. Scales that differ (a council that changed its
    grades) are merged on the ILACS crosswalk: by each grade's ILACS equivalent, and within
    one judgement the later scale's grades first, each scale's own order kept. ``scales``
    are given oldest first; a code two scales share takes the later scale's place.
    """
    found = list(scales)
    if not found:
        return ()
    first = found[0].codes
    if all(scale.codes == first for scale in found):
        return first
    keys: dict[str, tuple[int, int, int]] = {}
    for recency, scale in enumerate(reversed(found)):
        for position, grade in enumerate(scale.grades):
            keys.setdefault(grade.code, (grade.ilacs.rank, recency, position))
    return tuple(sorted(keys, key=keys.__getitem__))
