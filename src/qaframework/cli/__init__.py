"""The ``qaframework`` command line.

Each command group lives in its own module with a ``register(subparsers)`` function; this
module assembles them and turns the library's own errors into one clear line on standard
error, ``qaframework: error: ...``, and exit status 2, never a traceback (an error listing
several problems, a bad mapping or rows rejected under ``--strict``, lists them on the
indented lines after it). Anything else that goes wrong is a bug: one line says so and how
to report it, exit status 70, and the traceback is printed only with ``--debug`` (or
``QAFRAMEWORK_DEBUG=1``). An interrupted command exits with status 130.
"""

from __future__ import annotations

import os
import sys
import traceback
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
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print the traceback of an unexpected error (a bug), to report it",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _COMMAND_MODULES:
        module.register(subparsers)
    return parser


BUG_STATUS = 70
"""The exit status of a command that failed by a bug (``EX_SOFTWARE``)."""

REPORT_A_BUG = (
    "this is a bug in qaframework: please report it to its developers with the command you "
    "ran and `qaframework --version` (never the export: it holds children's data); "
    "`qaframework --debug ...` prints the traceback"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(args.debug) or os.environ.get("QAFRAMEWORK_DEBUG") == "1"
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
    except KeyboardInterrupt:
        print("qaframework: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            traceback.print_exc(file=sys.stderr)
        print(f"qaframework: error: {_unexpected(exc)}: {REPORT_A_BUG}", file=sys.stderr)
        return BUG_STATUS
    return status


def _unexpected(exc: BaseException) -> str:
    """An unexpected error named by its type and where it was raised, never by its message,
    which may quote a child's data."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return f"unexpected {type(exc).__name__}"
    last = frames[-1]
    where = last.filename.replace(os.sep, "/")
    cut = where.rfind("/qaframework/")
    where = where[cut + 1 :] if cut >= 0 else os.path.basename(where)
    return f"unexpected {type(exc).__name__} in {where}:{last.lineno}"


if __name__ == "__main__":
    sys.exit(main())
