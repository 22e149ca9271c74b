"""``qaframework plugins``: what is installed, which hooks each plugin implements, which
profiles it registers, and whether its behaviour hooks act on its own profiles or on every
council's (``global``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from qaframework.cli._common import console


def register(subparsers: Any) -> None:
    """Add the ``plugins`` command."""
    parser = subparsers.add_parser(
        "plugins", help="list installed plugins", description="List installed plugins."
    )
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print the result: table (for people, the default) or json",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List plugins with their distribution, version, profiles, scope and hooks."""
    from qaframework.profiles.plugins import list_plugins, load_errors
    from qaframework.profiles.registry import available_profiles

    plugins = list_plugins()
    registers: dict[str, set[str]] = {}
    for info in available_profiles():
        for version in info.versions:
            registers.setdefault(version.plugin, set()).add(info.id)
    for error in load_errors():
        print(f"qaframework: warning: plugin failed to load: {error}", file=sys.stderr)
    if args.format == "json":
        rows = [
            {
                "name": p.name,
                "distribution": p.distribution,
                "version": p.version,
                "builtin": p.builtin,
                "scope": p.scope,
                "profiles": sorted(registers.get(p.name, ())),
                "hooks": list(p.hooks),
            }
            for p in plugins
        ]
        print(json.dumps(rows, indent=2))
        return 0
    from rich.table import Table

    table = Table(title="qaframework plugins")
    for column in ("Name", "Distribution", "Version", "Profiles", "Scope", "Hooks"):
        table.add_column(column)
    for p in plugins:
        table.add_row(
            p.name + (" (built-in)" if p.builtin else ""),
            p.distribution or "",
            p.version or "",
            ", ".join(sorted(registers.get(p.name, ()))),
            p.scope,
            ", ".join(p.hooks),
        )
    console().print(table)
    return 0
