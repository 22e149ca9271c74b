"""Helpers shared by the command modules: argument types, errors and output."""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn

from qaframework.engine.periods import FinancialYear

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["CliError", "Parser", "console", "financial_year", "iso_date"]


class CliError(Exception):
    """A problem with what the user asked for; printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on standard error and exit status 2,
    with the prefix every error of the command line has (``qaframework: error:``)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"qaframework: error: {message} (see {self.prog} --help)\n")


def iso_date(text: str) -> date:
    """An argument type for ``YYYY-MM-DD`` dates."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def financial_year(text: str) -> FinancialYear:
    """An argument type for financial years such as ``2026-27``."""
    try:
        return FinancialYear.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def console(**kwargs: Any) -> Console:
    """A rich console on standard output, at least 100 columns wide when not a terminal."""
    from rich.console import Console

    width = None if sys.stdout.isatty() else max(100, shutil.get_terminal_size((120, 24)).columns)
    return Console(width=width, highlight=False, **kwargs)
