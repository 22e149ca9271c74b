"""``qaframework plugins``: what is installed and which hooks each plugin implements."""

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
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List plugins with their distribution, version and hooks."""
    from qaframework.profiles.plugins import list_plugins, load_errors

    plugins = list_plugins()
    for error in load_errors():
        print(f"qaframework: warning: plugin failed to load: {error}", file=sys.stderr)
    if args.format == "json":
        rows = [
            {
                "name": p.name,
                "distribution": p.distribution,
                "version": p.version,
                "builtin": p.builtin,
                "hooks": list(p.hooks),
            }
            for p in plugins
        ]
        print(json.dumps(rows, indent=2))
        return 0
    from rich.table import Table

    table = Table(title="qaframework plugins")
    for column in ("Name", "Distribution", "Version", "Hooks"):
        table.add_column(column)
    for p in plugins:
        table.add_row(
            p.name + (" (built-in)" if p.builtin else ""),
            p.distribution or "",
            p.version or "",
            ", ".join(p.hooks),
        )
    console().print(table)
    return 0
