"""The error a cycle report raises."""

from __future__ import annotations

from qaframework.errors import QAFrameworkError

__all__ = ["CycleReportError"]


class CycleReportError(QAFrameworkError, ValueError):
    """A cycle report cannot be made from what was given; the message says why and where."""
