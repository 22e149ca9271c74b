"""Running the ``qaframework`` command line in-process, for the tests of its commands."""

from __future__ import annotations

import contextlib
import io

from qaframework.cli import main


def invoke(*argv: str) -> tuple[int, str, str]:
    """Run the command line in-process: its exit status, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()
