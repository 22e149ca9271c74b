"""The councils' own test files share no test: what every council keeps is in the kit.

A test that holds for every council lives in the conformance kit
(``qaframework.testing.conformance``); a test that differs between councils only by data reads
the council's facts from its test class. Each ``profiles/<council>/tests`` file then holds only
what is true of that council. This checks that no run of lines is copied between two of those
files:

- no run of :data:`RUN` lines is the same in two files, once whitespace is normalised and
  blank lines, comments and imports are left out;
- no run of :data:`RUN` lines of test code (the bodies of functions) has the same shape in two
  files, text and numbers aside. Lines that only hold data (text, numbers, constants, brackets)
  are a council's facts and may share a shape.

Run it alone with ``python3 dev.py test tests/test_profile_test_files.py``.
"""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = 6

# What a line that only holds data is made of, once text and numbers are placeholders:
# constants and enum members (``GenericRole.PRACTITIONER``, ``QA_REPORTS``), None, True and
# False, brackets, commas, colons and unpacking stars.
_DATA = re.compile(
    r"\s*(?:[SN]|None|True|False|[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*|[()\[\]{},:*])"
)
_SKIPPED = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def _is_data(shaped: str) -> bool:
    return _DATA.sub("", shaped).strip() == ""


def normalised_lines(source: str, *, shape: bool) -> list[tuple[int, str]]:
    """The lines of ``source`` that count, each with its number, tokens joined by a space.

    Blank lines, comments and imports do not count. With ``shape``, text is ``S`` and numbers
    are ``N``, and only lines of function bodies that are not pure data count.
    """
    tree = ast.parse(source)
    imports: set[int] = set()
    bodies: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            bodies.update(range(node.body[0].lineno, (node.end_lineno or node.lineno) + 1))
    rows: dict[int, list[str]] = {}
    # An f-string is several tokens from Python 3.12: it counts on the line it starts on.
    depth = start = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in _SKIPPED:
            continue
        if _FSTRING_START is not None and token.type == _FSTRING_START:
            depth += 1
            if depth == 1:
                start = token.start[0]
                rows.setdefault(start, []).append("S" if shape else token.string)
                continue
        if depth:
            if token.type == _FSTRING_END:
                depth -= 1
            if not shape:
                rows[start].append(token.string)
            continue
        text = token.string
        if shape and token.type == tokenize.STRING:
            text = "S"
        elif shape and token.type == tokenize.NUMBER:
            text = "N"
        rows.setdefault(token.start[0], []).append(text)
    found = []
    for number, tokens in sorted(rows.items()):
        if number in imports:
            continue
        line = " ".join(tokens)
        if shape and (number not in bodies or _is_data(line)):
            continue
        found.append((number, line))
    return found


def shared_runs(
    first: list[tuple[int, str]], second: list[tuple[int, str]], run: int = RUN
) -> list[tuple[int, int, int]]:
    """Each run of at least ``run`` lines the two share: (first line in each, length)."""
    starts: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(first) - run + 1):
        starts.setdefault(tuple(text for _, text in first[i : i + run]), []).append(i)
    matches = sorted(
        (i, j)
        for j in range(len(second) - run + 1)
        for i in starts.get(tuple(text for _, text in second[j : j + run]), ())
    )
    runs: list[list[int]] = []
    for i, j in matches:
        last = runs[-1] if runs else None
        if last is not None and i - j == last[0] - last[1] and i <= last[0] + last[2]:
            last[2] = i + run - last[0]
        else:
            runs.append([i, j, run])
    return [(first[i][0], second[j][0], length) for i, j, length in runs]


def _copied(files: list[Path], *, shape: bool) -> list[str]:
    lines = {f: normalised_lines(f.read_text(encoding="utf-8"), shape=shape) for f in files}
    found = []
    for a, b in itertools.combinations(files, 2):
        for line_a, line_b, length in shared_runs(lines[a], lines[b]):
            found.append(
                f"{a.relative_to(ROOT)}:{line_a} and {b.relative_to(ROOT)}:{line_b}: "
                f"{length} {'same-shaped' if shape else 'identical'} lines"
            )
    return found


PROFILE_TESTS = sorted(ROOT.glob("profiles/*/tests/*.py"))


def test_there_are_council_test_files_to_compare() -> None:
    councils = {path.parts[-3] for path in PROFILE_TESTS}
    assert {"bolton", "manchester", "swindon", "telford"} <= councils


def test_no_two_council_test_files_share_a_run_of_lines() -> None:
    assert _copied(PROFILE_TESTS, shape=False) == []


def test_no_two_council_test_files_share_a_run_of_test_code_of_one_shape() -> None:
    assert _copied(PROFILE_TESTS, shape=True) == []


# -- the check finds what it looks for -------------------------------------------------------

_ONE = """
import pytest
from qaframework import Profile  # imports never count


def test_reporting_line(profile: Profile, line_id: str) -> None:
    # comments never count
    line = profile.reporting_line(line_id)
    assert line.produced_by == ("qa_team",)
    assert line.to_forums == ("board",)
    assert line.to_roles == ()
    assert str(line.cadence) == "P1M"
    assert line.citation.source == "seed"
"""


def _runs(first: str, second: str, *, shape: bool) -> list[tuple[int, int, int]]:
    return shared_runs(normalised_lines(first, shape=shape), normalised_lines(second, shape=shape))


def test_a_copied_run_is_found_whatever_its_whitespace() -> None:
    copied = _ONE.replace("    line = ", "    line  =  ")
    assert _runs(_ONE, copied, shape=False) == [(6, 6, 7)]


def test_a_shorter_run_is_not_found() -> None:
    five = _ONE.replace('"seed"', '"other"').replace('"P1M"', '"P3M"')
    assert _runs(_ONE, five, shape=False) == []


def test_test_code_differing_only_by_data_has_one_shape() -> None:
    other = _ONE.replace('"qa_team"', '"team_manager"').replace('"P1M"', '"P6W"')
    assert _runs(_ONE, other, shape=False) == []
    assert _runs(_ONE, other, shape=True) == [(8, 8, 6)]


def test_data_shares_a_shape_without_counting() -> None:
    rows = "".join(f'    ("r{n}", GenericRole.PRACTITIONER, None),\n' for n in range(9))
    table = f"ROLES = [\n{rows}]\n"
    assert normalised_lines(table, shape=True) == []
    assert _runs(table, table.replace('"r', '"s'), shape=False) == []
    inside = "def test_ids() -> None:\n    assert ids == [\n" + '        "a",\n' * 8 + "    ]\n"
    assert [line for _, line in normalised_lines(inside, shape=True)] == ["assert ids == ["]
