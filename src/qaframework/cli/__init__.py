"""The ``qaframework`` command line.

Each command group lives in its own module with a ``register(subparsers)`` function; this
module assembles them and turns the library's own errors into one clear line on standard
error and exit status 2, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from qaframework.cli import (
    actions_cmd,
    audits_cmd,
    demo_cmd,
    due_cmd,
    escalations_cmd,
    moderation_cmd,
    plugins_cmd,
    profiles_cmd,
    register_cmd,
    report_cmd,
    sample_cmd,
    schedule_cmd,
    workload_cmd,
)
from qaframework.cli._common import CliError, Parser
from qaframework.errors import QAFrameworkError

__all__ = ["build_parser", "main"]

_COMMAND_MODULES = (
    demo_cmd,
    profiles_cmd,
    schedule_cmd,
    plugins_cmd,
    audits_cmd,
    sample_cmd,
    moderation_cmd,
    escalations_cmd,
    actions_cmd,
    due_cmd,
    report_cmd,
    workload_cmd,
    register_cmd,
)


def build_parser() -> Parser:
    """The argument parser with every command registered."""
    parser = Parser(
        prog="qaframework",
        description="Children's services quality assurance frameworks as executable policy.",
    )
    from qaframework._version import __version__

    parser.add_argument("--version", action="version", version=f"qaframework {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except (CliError, QAFrameworkError) as exc:
        message = str(exc)
        first, _, rest = message.partition("\n")
        print(f"qaframework: error: {first}", file=sys.stderr)
        if rest:
            print(rest, file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
