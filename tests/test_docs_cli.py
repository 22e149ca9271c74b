"""The command-line examples of the documentation show what the commands print.

Every ``console`` block of the pages below is a session: lines starting ``$ `` are commands
(a trailing ``\\`` continues one on the next line; ``| head -n N`` keeps the first lines),
the lines after each are what it printed, standard output then standard error, at 100
columns. Each block runs in a fresh directory holding the repository's ``examples/`` and
``tests/data/``, so the pages cannot drift from the commands. After changing a command or a
profile on purpose, rewrite the outputs with ``python tests/test_docs_cli.py`` and read the
diff.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from qaframework.cli import main

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = (
    "cli.md",
    "getting-started.md",
    *(f"how-to/{p.name}" for p in (DOCS / "how-to").glob("*.md")),
)
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
_HEAD = re.compile(r"\s\|\s*head -n (\d+)$")
WIDTH = "100"


@attrs.frozen
class Step:
    """One command of a console block as the page writes it, and the output it shows."""

    written: tuple[str, ...]
    shown: tuple[str, ...]

    @property
    def command(self) -> str:
        """The command on one line, without the prompt and continuations."""
        parts = [line.removesuffix("\\").strip() for line in self.written]
        return " ".join(parts)[2:]


def steps(block: str) -> list[Step]:
    found: list[Step] = []
    written: list[str] = []
    shown: list[str] = []
    for line in block.splitlines():
        if written and written[-1].endswith("\\") and not shown:
            written.append(line)
        elif line.startswith("$ "):
            if written:
                found.append(Step(tuple(written), tuple(shown)))
            written, shown = [line], []
        else:
            shown.append(line)
    if written:
        found.append(Step(tuple(written), tuple(shown)))
    return found


def run(command: str) -> tuple[str, ...]:
    """What ``command`` prints, as the page shows it."""
    head = _HEAD.search(command)
    if head is not None:
        command = command[: head.start()]
    argv = shlex.split(command)
    assert argv[0] == "qaframework", command
    out, err = io.StringIO(), io.StringIO()
    # --help, and argparse's own errors, exit.
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        contextlib.suppress(SystemExit),
    ):
        main(argv[1:])
    lines = [line.rstrip() for line in (out.getvalue() + err.getvalue()).splitlines()]
    if head is not None:
        lines = lines[: int(head.group(1))]
    while lines and not lines[-1]:
        lines.pop()
    return tuple(lines)


@contextlib.contextmanager
def session() -> Iterator[None]:
    """A fresh working directory holding ``examples/`` and ``tests/data/``, at the documented
    width."""
    before, width = Path.cwd(), os.environ.get("COLUMNS")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "examples").symlink_to(REPO / "examples")
        (Path(tmp) / "tests").mkdir()
        (Path(tmp) / "tests" / "data").symlink_to(REPO / "tests" / "data")
        os.chdir(tmp)
        os.environ["COLUMNS"] = WIDTH
        try:
            yield
        finally:
            os.chdir(before)
            if width is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = width


def blocks() -> Iterator[tuple[str, int, str]]:
    for page in PAGES:
        for index, match in enumerate(_BLOCK.finditer((DOCS / page).read_text("utf-8"))):
            yield page, index, match.group(1)


BLOCKS = list(blocks())


COMMANDS = ("profiles", "schedule", "audits", "sample", "moderation", "escalations", "actions")


def test_the_pages_have_examples() -> None:
    pages = {page for page, _, _ in BLOCKS}
    assert {"cli.md", "getting-started.md"} <= pages
    assert {
        f"how-to/{name}.md" for name in (*COMMANDS, "due", "workload", "report", "demo")
    } <= pages


@pytest.mark.parametrize(
    ("page", "index", "block"), BLOCKS, ids=[f"{p}[{i}]" for p, i, _ in BLOCKS]
)
def test_a_console_example_shows_what_its_commands_print(page: str, index: int, block: str) -> None:
    found = steps(block)
    assert found, f"{page}: an empty console block"
    with session():
        for step in found:
            assert "\n".join(run(step.command)) == "\n".join(
                line.rstrip() for line in step.shown
            ), f"{page}: `{step.command}` prints something else; see the module docstring"


def update() -> None:
    """Rewrite every console block with what its commands print now."""
    for page in PAGES:
        path = DOCS / page

        def rewrite(match: re.Match[str]) -> str:
            lines: list[str] = []
            with session():
                for step in steps(match.group(1)):
                    lines += [*step.written, *run(step.command)]
            return "```console\n" + "\n".join(lines) + "\n```"

        path.write_text(_BLOCK.sub(rewrite, path.read_text("utf-8")), "utf-8")


if __name__ == "__main__":
    update()
    sys.exit(0)
