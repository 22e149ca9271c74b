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
from collections.abc import Iterator

import attrs

from qaframework.policy.citations import Citation

__all__ = ["Grade", "GradeScale", "Ilacs", "normalise_grade_text"]


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


@attrs.frozen
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
