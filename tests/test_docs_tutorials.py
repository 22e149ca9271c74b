"""The tutorials ``docs/using-in-a-service.md`` and ``docs/analysing-an-export.md`` run as
written.

A page's Python blocks are one program, run in order in one namespace from the repository's
root; a ``text`` block right after a Python block is what that block prints. The pages
cannot drift from the library.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = ("using-in-a-service.md", "analysing-an-export.md")
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def program(page: str) -> list[tuple[str, str | None]]:
    """Each Python block with the output shown after it (None when none is shown)."""
    found: list[tuple[str, str | None]] = []
    for match in _BLOCK.finditer((REPO / "docs" / page).read_text("utf-8")):
        language, body = match.groups()
        if language == "python":
            found.append((body, None))
        elif language == "text":
            assert found, "an output block before any Python block"
            assert found[-1][1] is None, "two output blocks after one Python block"
            found[-1] = (found[-1][0], body)
    return found


def run(code: str, namespace: dict[str, object], name: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, name, "exec"), namespace)
    return out.getvalue()


@pytest.mark.parametrize("page", PAGES)
def test_the_tutorial_runs_and_prints_what_it_shows(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    blocks = program(page)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {"__name__": "tutorial"}
    for index, (code, shown) in enumerate(blocks):
        printed = run(code, namespace, f"{page}[{index}]")
        if shown is not None:
            assert printed == shown, f"{page}, block {index} prints:\n{printed}"


def test_a_changed_step_prints_something_else() -> None:
    """The comparison is real: the first block run for another council differs from the page."""
    code, shown = program("using-in-a-service.md")[0]
    assert shown is not None
    assert run(code.replace('"swindon"', '"telford"'), {}, "changed") != shown
