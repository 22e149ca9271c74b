"""Reproducible draws: named streams of a seed that use only ``random()``."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from statistics import NormalDist
from typing import TypeVar

__all__: list[str] = []


T = TypeVar("T")


class _Draw:
    """Draws from one named stream of a seed, using only ``random()``.

    ``random.Random(n).random()`` gives the same sequence on every platform and Python
    version; ``choice``, ``sample``, ``randrange`` and ``gauss`` are not promised to.
    """

    __slots__ = ("_random",)

    def __init__(self, seed: int, *stream: str) -> None:
        digest = hashlib.sha256(":".join((str(seed), *stream)).encode("utf-8")).digest()
        self._random = random.Random(int.from_bytes(digest[:8], "big")).random

    def unit(self) -> float:
        """Uniform in [0, 1)."""
        return self._random()

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self._random() < p

    def below(self, n: int) -> int:
        """A whole number from 0 to ``n`` - 1 (``n`` >= 1)."""
        return min(int(self._random() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high`` inclusive."""
        return low + self.below(high - low + 1)

    def pick(self, items: Sequence[T]) -> T:
        """One of ``items`` (not empty)."""
        return items[self.below(len(items))]

    def weighted(self, weights: Sequence[float]) -> int:
        """An index drawn in proportion to ``weights`` (positive total)."""
        target = self._random() * sum(weights)
        total = 0.0
        for index, weight in enumerate(weights):
            total += weight
            if target < total:
                return index
        return len(weights) - 1

    def normal(self) -> float:
        """A standard normal value, by the inverse of the distribution function."""
        return _STANDARD.inv_cdf(min(max(self._random(), 1e-12), 1 - 1e-12))

    def count(self, expected: float) -> int:
        """A whole number whose mean is ``expected`` (rounded up or down at random)."""
        whole = math.floor(expected)
        return whole + (1 if self._random() < expected - whole else 0)


_STANDARD = NormalDist()
