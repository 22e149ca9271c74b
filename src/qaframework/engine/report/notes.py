"""Auditors' notes in a report: kept out of published outputs unless a council opts in, and
then with every child's id taken out.

A note is free text ("strengths", "what would have made it better") about one child's case,
and may name the child. A published report therefore carries learning themes as counts (how
many judgements of each standard carry each kind of note), and the notes themselves only in
child-level detail, marked OFFICIAL-SENSITIVE. A council that wants its board to read the
notes opts in with a :class:`NotePublication` (``CycleReport.publishable(notes=...)``, the
``--publish-notes`` option of ``qaframework report``); every output then says so, and the
notes are redacted (:func:`redact`):

- the text is normalised first (Unicode NFKC, so full-width and other compatibility forms
  read as plain letters and digits) and invisible format characters (Unicode category Cf:
  zero-width spaces and joiners, soft hyphens, direction marks) are taken out;
- words are runs of letters and digits: any other character is a boundary, and letter case
  does not matter;
- every child id of the audits the report was built from is taken out however it is
  written: in any case, split by spaces or punctuation (``b1``, ``B 1``, ``B-1``), or
  joined to other words by punctuation (``B1/B2``, ``B1-A``);
- every word, or run of words joined by spaces, hyphens or dots, that matches the council's
  child-id pattern (:attr:`NotePublication.child_id_pattern`) is taken out too, whether or
  not that child was audited (a sibling named in a note).

Each is replaced by ``[child id]``. The default pattern,
:data:`DEFAULT_CHILD_ID_PATTERN`, is an assumption (no council's framework states the form
of its case-management ids): up to three letters followed by five or more digits, which
covers the numeric person ids of Liquidlogic and Mosaic, NHS numbers, unique pupil numbers
and the demo's synthetic ids (``B166247``). It also takes out long numbers that are not ids
(a date written ``01-04-2026``): redaction errs on the side of the child.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator

import attrs

__all__ = [
    "CHILD_ID_REDACTED",
    "DEFAULT_CHILD_ID_PATTERN",
    "NotePublication",
    "child_id_key",
    "child_id_spans",
    "known_ids",
    "normalise",
    "redact",
]

CHILD_ID_REDACTED = "[child id]"
"""What a child's id in a published note is replaced with."""

DEFAULT_CHILD_ID_PATTERN = r"[A-Z]{0,3}[0-9]{5,}"
"""The child-id pattern assumed when a council states none (see the module docstring)."""

_WORD = re.compile(r"[^\W_]+")
_JOINS = re.compile(r"[\s\-.]+")
_LONGEST_RUN = 8


def _check_pattern(_instance: object, _attribute: object, value: str) -> None:
    try:
        compiled = re.compile(value, re.IGNORECASE)
    except re.error as error:
        raise ValueError(
            f"child-id pattern {value!r} is not a regular expression: {error}"
        ) from None
    if compiled.fullmatch(""):
        raise ValueError(f"child-id pattern {value!r} matches an empty word")


@attrs.frozen
class NotePublication:
    """A council's opt-in to publish auditors' notes in aggregate outputs.

    ``child_id_pattern`` is a regular expression a child's id matches as a whole word (case
    does not matter): the council's id format, :data:`DEFAULT_CHILD_ID_PATTERN` unless it
    states one. Every output published with notes says that the council opted in and how
    the notes were redacted (:meth:`describe`).
    """

    child_id_pattern: str = attrs.field(default=DEFAULT_CHILD_ID_PATTERN, validator=_check_pattern)

    def describe(self) -> str:
        """What every output published with notes says about them."""
        return (
            "Published at the council's request (an opt-in): notes are free text, redacted "
            "before publication. Every child id of the audits counted, and every word "
            f"matching the council's child-id pattern {self.child_id_pattern}, is shown as "
            f"{CHILD_ID_REDACTED}, however it is written (any case, split by spaces or "
            "punctuation, with invisible characters)."
        )


def normalise(text: str) -> str:
    """``text`` in Unicode NFKC with every invisible format character (category Cf) taken
    out: what redaction reads."""
    if text.isascii():
        # NFKC leaves ASCII as it is, and no ASCII character is a format character.
        return text
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


def child_id_key(child_id: str) -> str:
    """A child id as redaction compares it: its letters and digits, case folded."""
    if child_id.isascii() and child_id.isalnum():
        # Letters and digits only (the usual id): casefold is lower for ASCII.
        return child_id.lower()
    return "".join(_WORD.findall(normalise(child_id))).casefold()


def _spans(
    text: str, known: Collection[str], pattern: re.Pattern[str] | None
) -> Iterator[tuple[int, int]]:
    """The spans of ``text`` (normalised) that are a child's id."""
    words = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(text)]
    index = 0
    while index < len(words):
        found = None
        joined = ""
        joinable = True
        runs: list[tuple[int, str, bool]] = []
        for last in range(index, min(len(words), index + _LONGEST_RUN)):
            if last > index:
                gap = text[words[last - 1][1] : words[last][0]]
                joinable = joinable and _JOINS.fullmatch(gap) is not None
            joined += words[last][2]
            runs.append((last, joined, joinable))
        for last, key, plain in reversed(runs):
            if key in known or (plain and pattern is not None and pattern.fullmatch(key)):
                found = last
                break
        if found is None:
            index += 1
            continue
        yield words[index][0], words[found][1]
        index = found + 1


def child_id_spans(
    text: str, known: Collection[str] = (), pattern: str | re.Pattern[str] | None = None
) -> list[tuple[int, int, str]]:
    """Where ``text`` (normalised, :func:`normalise`) holds a child's id: each span's start,
    end and the id as :func:`child_id_key` gives it (see :func:`redact` for how ids are
    found). For checking outputs: an empty list means no id is there."""
    compiled = re.compile(pattern, re.IGNORECASE) if isinstance(pattern, str) else pattern
    plain = normalise(text)
    return [
        (start, end, "".join(_WORD.findall(plain[start:end])).casefold())
        for start, end in _spans(plain, known, compiled)
    ]


def redact(
    text: str, known: Collection[str] = (), pattern: str | re.Pattern[str] | None = None
) -> str:
    """``text`` with every child's id replaced by ``[child id]`` (see the module docstring).

    ``known`` are the children's ids as :func:`child_id_key` gives them; ``pattern`` the
    council's child-id pattern (None: known ids only). The text is normalised
    (:func:`normalise`) and stripped.
    """
    compiled = re.compile(pattern, re.IGNORECASE) if isinstance(pattern, str) else pattern
    plain = normalise(text).strip()
    pieces: list[str] = []
    position = 0
    for start, end in _spans(plain, known, compiled):
        pieces.append(plain[position:start])
        pieces.append(CHILD_ID_REDACTED)
        position = end
    pieces.append(plain[position:])
    return "".join(pieces)


def known_ids(child_ids: Iterable[str]) -> frozenset[str]:
    """The keys (:func:`child_id_key`) of some children's ids, for :func:`redact`."""
    # Each distinct id keyed once; plain ids (ASCII letters and digits, the usual kind) in
    # C-level passes: their key is their lower case.
    ids = set(child_ids)
    plain = set(filter(str.isascii, filter(str.isalnum, ids)))
    keys = set(map(str.lower, plain))
    keys.update(map(child_id_key, ids - plain))
    keys.discard("")
    return frozenset(keys)
