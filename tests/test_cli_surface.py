"""What every command of the command line offers: JSON output, one format vocabulary, and
help for every argument. Each test walks the whole parser, so that a command added later is
held to the same rules."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from qaframework.cli import build_parser
from tests.cli_run import invoke

# What ``--format`` may say, command by command: how the result prints (table for people,
# json and csv for machines), and the file formats of the commands that write one.
VOCABULARY = {"table", "json", "csv", "ics", "md", "html", "xlsx"}


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every runnable command (a parser with a handler), named as typed."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))
    if parser.get_default("handler") is not None:
        yield " ".join(path), parser


COMMANDS = dict(_commands(build_parser()))


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every parser: the program, each command group and each command."""
    yield " ".join(("qaframework", *path)), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


PARSERS = dict(_parsers(build_parser()))


def _format(parser: argparse.ArgumentParser) -> argparse.Action | None:
    return next((a for a in parser._actions if "--format" in a.option_strings), None)


def test_the_walk_finds_every_command() -> None:
    assert {
        "demo",
        "profiles",
        "profile show",
        "profile new",
        "profile check",
        "profile diff",
        "schedule",
        "plugins",
        "audits validate",
        "sample",
        "moderation",
        "escalations",
        "actions",
        "due",
        "report",
        "workload",
        "register init",
        "register import",
        "register status",
        "register tracker",
    } <= set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_json_on_request(command: str) -> None:
    found = _format(COMMANDS[command])
    assert found is not None, f"{command} has no --format"
    choices = set(found.choices or ())
    assert {"table", "json"} <= choices, f"{command} --format offers {sorted(choices)}"
    assert found.default in ("table", None), f"{command} prints {found.default} by default"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_format_is_a_word_of_one_vocabulary(command: str) -> None:
    found = _format(COMMANDS[command])
    assert found is not None
    words = set(found.choices or ())
    # report's --format still takes the file formats, the earlier spelling of --write.
    if command == "report":
        words -= {"charts", "all"}
    assert words <= VOCABULARY, f"{command} --format says {sorted(words - VOCABULARY)}"


@pytest.mark.parametrize("command", sorted(PARSERS))
def test_every_argument_says_what_it_is(command: str) -> None:
    undescribed = [
        action.option_strings[0] if action.option_strings else action.metavar or action.dest
        for action in PARSERS[command]._actions
        if not isinstance(action, argparse._SubParsersAction) and action.help in (None, "")
    ]
    assert undescribed == [], f"{command}: {', '.join(map(str, undescribed))} without help"


# -- the JSON of each command has the keys docs/cli.md lists -------------------------------

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "swindon"
_ROW = re.compile(r"^\| `([a-z ]+)` \| (a list of )?`\{([^}]*)\}` \|", re.M)


def documented() -> dict[str, tuple[bool, list[str]]]:
    """Each command's JSON keys as docs/cli.md lists them, and whether it is a list of them."""
    page = (REPO / "docs" / "cli.md").read_text("utf-8")
    section = page[page.index("## JSON output") :]
    return {
        command: (bool(listed), [k.strip() for k in keys.split(",")])
        for command, listed, keys in _ROW.findall(section)
    }


def test_the_json_section_documents_every_command() -> None:
    assert set(documented()) == set(COMMANDS) - {"profile show"}


def _runs(tmp: Path) -> dict[str, tuple[str, ...]]:
    audits = str(EXAMPLES / "audits.jsonl")
    db = str(tmp / "register.sqlite3")
    return {
        "profiles": ("profiles",),
        "profile new": ("profile", "new", "newtown", "--dir", str(tmp)),
        "profile check": ("profile", "check", "swindon"),
        "profile diff": ("profile", "diff", "bolton", "swindon"),
        "schedule": ("schedule", "swindon", "--year", "2026-27"),
        "plugins": ("plugins",),
        "audits validate": ("audits", "validate", "swindon", audits),
        "sample": (
            "sample", "swindon", str(EXAMPLES / "cases.csv"), "--method", "random", "--n", "5",
            "--as-of", "2026-07-01",
        ),
        "moderation": ("moderation", "swindon", audits, "--period", "2026-27 Q1"),
        "escalations": ("escalations", "swindon", audits, "--as-of", "2026-07-01"),
        "actions": ("actions", "swindon", audits, "--as-of", "2026-07-01"),
        "due": ("due", "swindon", str(EXAMPLES / "activity-log.csv"), "--as-of", "2026-07-01"),
        "report": (
            "report", "swindon", audits, "--period", "2026-05", "--write", "json",
            "--out", str(tmp / "report"),
        ),
        "workload": (
            "workload", "swindon", "--staff", str(EXAMPLES / "staff.toml"), "--year", "2026-27",
        ),
        "demo": ("demo", "--profile", "swindon", "--out", str(tmp / "demo")),
        "register init": ("register", "init", "--db", db),
        "register import": ("register", "import", "swindon", audits, "--db", db),
        "register status": ("register", "status", "--db", db),
        "register tracker": ("register", "tracker", "swindon", "--as-of", "2026-07-01", "--db", db),
    }  # fmt: skip


def test_every_commands_json_has_the_documented_keys(tmp_path: Path) -> None:
    expected = documented()
    runs = _runs(tmp_path)
    assert set(runs) == set(expected)
    undocumented = {}
    for command, argv in runs.items():  # in order: the register is made, then read
        status, out, _err = invoke(*argv, "--format", "json")
        assert status == 0, (command, _err)
        data = json.loads(out)
        listed, keys = expected[command]
        if listed:
            assert isinstance(data, list), command
            data = data[0]
        found = [k for k in data if not (command == "due" and k == "marking")]
        if found != keys:
            undocumented[command] = found
    assert undocumented == {}, "docs/cli.md lists other keys"
