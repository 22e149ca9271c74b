"""``qaframework profile new``, ``profile check`` and ``profile diff``: the authoring kit.

Thin adapters over :mod:`qaframework.authoring` (scaffolding and checking) and
:mod:`qaframework.profiles.diff`: they parse arguments, call the library, and print its answer as a
table, JSON or Markdown.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qaframework.cli._common import CliError, console, iso_date

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.authoring import CheckReport, Finding
    from qaframework.policy.citations import Citation
    from qaframework.profiles.diff import ItemChange, ProfileDiff

_ID = re.compile(r"[a-z][a-z0-9_]*")


def register(actions: Any) -> None:
    """Add ``new``, ``check`` and ``diff`` to the ``profile`` command's actions."""
    new = actions.add_parser(
        "new",
        help="scaffold a new council's profile distribution",
        description=(
            "Write a council distribution in DIR/qaframework-<name>: pyproject.toml with the "
            "qaframework entry point, the plugin package, a data file with every section of "
            "the profile format marked FILL IN, the conformance tests, and a README with the "
            "next steps. An existing directory is never overwritten."
        ),
    )
    new.add_argument("name", metavar="NAME", help="the profile id, lower_snake_case")
    new.add_argument(
        "--dir", type=Path, default=Path("."), metavar="DIR", help="where to write it (.)"
    )
    new.add_argument("--authority", metavar="TEXT", help="the council's name")
    new.add_argument(
        "--effective-from",
        type=iso_date,
        metavar="DATE",
        help="the day the first version takes effect, YYYY-MM-DD (today); it names the data file",
    )
    new.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print what was written and the next steps: text (table) or JSON",
    )
    new.set_defaults(handler=run_new)

    check = actions.add_parser(
        "check",
        help="validate a profile and run the invariants",
        description=(
            "Validate a profile and hold it to qaframework's invariants, listing every "
            "problem with its path: errors, then places still marked FILL IN. TARGET is an "
            "installed profile's id (every version), or a data file, a data directory or a "
            "distribution directory, checked without installing it. Exit status 0 when clean, "
            "1 when problems were found, 2 on bad input."
        ),
    )
    check.add_argument(
        "target",
        metavar="ID|PATH",
        help="an installed profile's id, or a data file, data directory or distribution directory",
    )
    check.add_argument(
        "--as-of", type=iso_date, metavar="DATE", help="check only the version in force that day"
    )
    check.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print the result: table (for people, the default) or json",
    )
    check.set_defaults(handler=run_check)

    diff = actions.add_parser(
        "diff",
        help="what changed between two versions or two councils",
        description=(
            "What changed, section by section: items added, removed or changed (matched by "
            "id; grades by code, and grade scales through the ILACS crosswalk), each changed "
            "field before and after, with the citations of both sides. Give one ID with "
            "--from and --to (the versions in force on those days), or two IDs (the versions "
            "in force on --as-of, the latest by default)."
        ),
    )
    diff.add_argument("profile_id", metavar="ID", help="the council's profile id")
    diff.add_argument("other_id", metavar="ID2", nargs="?", help="a second council to compare")
    diff.add_argument(
        "--from",
        dest="from_date",
        type=iso_date,
        metavar="DATE",
        help="compare the version in force on this day, YYYY-MM-DD ...",
    )
    diff.add_argument(
        "--to",
        dest="to_date",
        type=iso_date,
        metavar="DATE",
        help="... with the version in force on this day, YYYY-MM-DD",
    )
    diff.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="with two profiles: the versions in force on this day (default: the latest)",
    )
    diff.add_argument(
        "--format",
        type=_diff_format,
        choices=("table", "json", "md"),
        default="table",
        help="how to print the changes: table (for people, the default), json, or md "
        "(Markdown, for a pull request or a board paper)",
    )
    diff.set_defaults(handler=run_diff)


def _diff_format(text: str) -> str:
    """``--format`` of ``profile diff``, reading ``markdown``, its earlier spelling, as ``md``."""
    if text == "markdown":
        print(
            "qaframework: note: --format markdown is spelt md, as for every command",
            file=sys.stderr,
        )
        return "md"
    return text


# -- new --------------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    """Scaffold the distribution and say what to do next."""
    from qaframework.authoring import scaffold_distribution

    effective_from = args.effective_from or date.today()
    made = scaffold_distribution(
        args.name, args.dir, effective_from=effective_from, authority=args.authority
    )
    shown = args.dir / made.distribution
    data_file = made.data_file.relative_to(made.root).as_posix()
    steps = [
        f"fill in {data_file}: every value marked FILL IN",
        "qaframework profile check .",
        f"pytest -o qaframework_profiles={data_file}",
        "pip install -e .",
    ]
    if args.format == "json":
        data = {
            "created": str(shown),
            "files": [path.as_posix() for path in made.files],
            "data_file": data_file,
            "next_steps": steps,
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"Created {shown}:")
    for path in made.files:
        print(f"  {path.as_posix()}")
    print()
    print(f"Next steps, in {shown} (its README.md has them in full):")
    for number, step in enumerate(steps, start=1):
        print(f"  {number}. {step}")
    return 0


# -- check ------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    """Check an installed profile or a path; 0 when clean, 1 when problems were found."""
    from qaframework.authoring import check_files, check_installed
    from qaframework.profiles.registry import get_registry

    target: str = args.target
    installed = _ID.fullmatch(target) is not None and (
        target in {info.id for info in get_registry().infos()} or not Path(target).exists()
    )
    if installed:
        report = check_installed(target, as_of=args.as_of)
    else:
        report = check_files(Path(target), as_of=args.as_of)
    if args.format == "json":
        print(json.dumps(_check_data(report), indent=2, ensure_ascii=False))
    else:
        _print_check(report, console(markup=False))
    return 0 if report.ok else 1


def _check_data(report: CheckReport) -> dict[str, Any]:
    from qaframework.profiles.converter import to_dict

    return {
        "target": report.target,
        "ok": report.ok,
        "versions": [to_dict(v) for v in report.versions],
        "errors": [to_dict(f) for f in report.errors],
        "incomplete": [to_dict(f) for f in report.incomplete],
        "warnings": [to_dict(f) for f in report.warnings],
    }


def _print_check(report: CheckReport, out: Console) -> None:
    from rich.table import Table

    count = len(report.versions)
    if count:
        out.print(f"Checked {report.target}: {count} version{'s' if count != 1 else ''}")
    else:
        out.print(
            f"Could not check {report.target}: no version of it loads (problems below)",
            soft_wrap=True,
        )
    for version in report.versions:
        out.print(f"  {version.label}: {version.source}", soft_wrap=True)

    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.version or finding.source, []).append(finding)
    for where, findings in groups.items():
        errors = [f for f in findings if not f.incomplete and not f.warning]
        incomplete = [f for f in findings if f.incomplete]
        warnings = [f for f in findings if f.warning]
        if errors:
            t = Table(title=f"Errors in {where} ({len(errors)})", title_justify="left")
            t.add_column("Check", no_wrap=True)
            t.add_column("Path", overflow="fold")
            t.add_column("Problem", overflow="fold")
            for f in errors:
                t.add_row(f.check, f.path, f.message)
            out.print(t)
        if incomplete:
            t = Table(title=f"Incomplete in {where} ({len(incomplete)})", title_justify="left")
            t.add_column("Path", overflow="fold")
            t.add_column("To fill in", overflow="fold")
            for f in incomplete:
                t.add_row(f.path, f.message.removeprefix("incomplete: "))
            out.print(t)
        if warnings:
            t = Table(
                title=f"Warnings in {where} ({len(warnings)}): details not stated",
                title_justify="left",
            )
            t.add_column("Path", overflow="fold")
            t.add_column("Not stated", overflow="fold")
            for f in warnings:
                t.add_row(f.path, f.message)
            out.print(t)
    cautions = len(report.warnings)
    noted = (
        f" {cautions} warning{'s' if cautions != 1 else ''}: details not stated."
        if cautions
        else ""
    )
    if report.ok:
        out.print(f"No problems: the profile validates and keeps every invariant.{noted}")
    else:
        wrong, unfilled = len(report.errors), len(report.incomplete)
        out.print(
            f"{wrong} error{'s' if wrong != 1 else ''}, "
            f"{unfilled} place{'s' if unfilled != 1 else ''} still to fill in.{noted}"
        )


# -- diff -------------------------------------------------------------------------------


def run_diff(args: argparse.Namespace) -> int:
    """Print what changed between two versions of a profile, or two profiles."""
    from qaframework.profiles.diff import diff_profiles
    from qaframework.profiles.registry import load_profile

    if args.other_id is not None:
        if args.from_date is not None or args.to_date is not None:
            raise CliError(
                "--from and --to compare two versions of one profile; to compare two "
                "profiles, give --as-of (or nothing, for their latest versions)"
            )
        before = load_profile(args.profile_id, as_of=args.as_of)
        after = load_profile(args.other_id, as_of=args.as_of)
    else:
        if args.as_of is not None:
            raise CliError("--as-of compares two profiles; for one, give --from and --to")
        if args.from_date is None or args.to_date is None:
            raise CliError("give --from and --to (two days), or a second profile id")
        before = load_profile(args.profile_id, as_of=args.from_date)
        after = load_profile(args.profile_id, as_of=args.to_date)
    found = diff_profiles(before, after)
    if args.format == "json":
        from qaframework.profiles.converter import to_dict

        print(json.dumps(to_dict(found), indent=2, ensure_ascii=False))
    elif args.format == "md":
        print(diff_markdown(found), end="")
    else:
        _print_diff(found, console(markup=False))
    return 0


def show_value(value: Any) -> str:
    """A field's plain-data value in words: ``—`` for none, lists joined, tables as
    ``key=value`` pairs."""
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{key}={show_value(item)}"
            for key, item in value.items()
            if item is not None and item != []
        )
    return str(value)


def _cite(citation: Citation | None) -> str:
    return f"{citation.source} § {citation.section}" if citation is not None else ""


def _citations(change: ItemChange) -> list[str]:
    before, after = _cite(change.before_citation), _cite(change.after_citation)
    if not before or not after or before == after:
        return [before or after]
    return [f"before: {before}", f"after: {after}"]


def _rows(change: ItemChange) -> list[tuple[str, str, str, str]]:
    """(field, before, after, cited) rows for one change: one per changed field."""
    cited = _citations(change)
    if not change.fields:
        return [("", "", "", " / ".join(cited))]
    rows = []
    for index, field in enumerate(change.fields):
        rows.append(
            (
                field.path,
                show_value(field.before),
                show_value(field.after),
                " / ".join(cited) if index == 0 else "",
            )
        )
    return rows


def _short(title: str, limit: int = 60) -> str:
    """An item's title cut to ``limit`` characters (an assumption's title is its whole text)."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _heading(found: ProfileDiff) -> str:
    return f"{found.before} → {found.after}"


def _print_diff(found: ProfileDiff, out: Console) -> None:
    from rich.table import Table

    from qaframework.profiles.diff import SECTION_TITLES

    out.print(_heading(found))
    if found.is_empty:
        out.print("No differences.")
        return
    if found.crosswalk:
        t = Table(title="Grade scale through the ILACS crosswalk", title_justify="left")
        for column in ("ILACS judgement", "Before", "After"):
            t.add_column(column, overflow="fold")
        for row in found.crosswalk:
            t.add_row(row.ilacs.label, ", ".join(row.before) or "—", ", ".join(row.after) or "—")
        out.print(t)
    for section in found.sections:
        t = Table(title=SECTION_TITLES[section.section], title_justify="left")
        for column in ("Change", "Id", "Item", "Field", "Before", "After", "Cited"):
            t.add_column(column, overflow="fold")
        for change in section.changes:
            for index, (field, old, new, cited) in enumerate(_rows(change)):
                first = index == 0
                t.add_row(
                    change.kind.value if first else "",
                    change.id if first else "",
                    _short(change.title) if first else "",
                    field,
                    old,
                    new,
                    cited,
                )
        out.print(t)
    if found.concern_shifts:
        t = Table(title=_SHIFTS_TITLE, title_justify="left")
        for column in ("Assumption", "Path", "Before", "After"):
            t.add_column(column, overflow="fold")
        for shift in found.concern_shifts:
            t.add_row(shift.assumption, shift.path, shift.before or "—", shift.after or "nothing")
        out.print(t)


_SHIFTS_TITLE = "Assumption paths that point at another item"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def diff_markdown(found: ProfileDiff) -> str:
    """The diff as Markdown: a heading, the crosswalk, then a table per changed section."""
    from qaframework.profiles.diff import SECTION_TITLES

    lines = [f"# {_md(_heading(found))}", ""]
    if found.is_empty:
        lines.extend(["No differences.", ""])
        return "\n".join(lines)
    if found.crosswalk:
        lines.extend(
            [
                "## Grade scale through the ILACS crosswalk",
                "",
                "| ILACS judgement | before | after |",
                "|---|---|---|",
            ]
        )
        lines.extend(
            f"| {row.ilacs.label} | {_md(', '.join(row.before) or '—')} | "
            f"{_md(', '.join(row.after) or '—')} |"
            for row in found.crosswalk
        )
        lines.append("")
    for section in found.sections:
        lines.extend(
            [
                f"## {SECTION_TITLES[section.section]}",
                "",
                "| change | id | item | field | before | after | cited |",
                "|---|---|---|---|---|---|---|",
            ]
        )
        for change in section.changes:
            for index, (field, old, new, cited) in enumerate(_rows(change)):
                first = index == 0
                cells = [
                    change.kind.value if first else "",
                    f"`{change.id}`" if first else "",
                    _short(change.title) if first else "",
                    f"`{field}`" if field else "",
                    old,
                    new,
                    cited,
                ]
                lines.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
        lines.append("")
    if found.concern_shifts:
        lines.extend(
            [
                f"## {_SHIFTS_TITLE}",
                "",
                "| assumption | path | before | after |",
                "|---|---|---|---|",
            ]
        )
        lines.extend(
            f"| `{shift.assumption}` | `{_md(shift.path)}` | `{_md(shift.before or '—')}` | "
            f"{'`' + _md(shift.after) + '`' if shift.after else 'nothing'} |"
            for shift in found.concern_shifts
        )
        lines.append("")
    return "\n".join(lines)
