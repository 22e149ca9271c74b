"""The error the renderers raise."""

from __future__ import annotations

from qaframework.errors import QAFrameworkError

__all__ = ["RenderError"]


class RenderError(QAFrameworkError, ValueError):
    """An output cannot be written as asked (an unknown format, charts without matplotlib,
    a suppression policy given with a report already published); the message says why."""
