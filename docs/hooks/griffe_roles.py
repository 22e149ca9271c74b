"""Griffe extension: read qaframework's reST-style docstring roles as Markdown for the API pages.

The docstrings name other objects the way Sphinx does (:class:`~qaframework.policy.cadence.Cadence`,
:func:`load_profile`) and end a paragraph before a literal block with "::". mkdocstrings
renders Markdown, so each role becomes an optional cross-reference (a link where the object
has an API page, plain code otherwise: never a broken link) and "::" becomes ":".
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|mod|meth|attr|data|exc|obj):`(~?)([^`]+)`(?:\\ )?")
# A role naming its title and its target: :meth:`parse
# <qaframework.policy.grades.GradeScale.parse>`.
_EXPLICIT = re.compile(r"(.+?)\s*<([^<>]+)>")
_LITERAL_BLOCK = re.compile(r"::\n\n", re.MULTILINE)


def _target(obj: griffe.Object, name: str) -> str:
    """The full path ``name`` means where ``obj`` is documented, or ``name`` itself."""
    if name.startswith("qaframework"):
        return name
    first, _, rest = name.partition(".")
    try:
        found = obj.resolve(first)
    except (griffe.NameResolutionError, ValueError, AttributeError):
        scope = obj.parent
        while scope is not None:
            if first in scope.members:
                found = scope.members[first].path
                break
            scope = scope.parent
        else:
            return name
    return f"{found}.{rest}" if rest else found


def markdown_roles(text: str, obj: griffe.Object) -> str:
    """``text`` with every role written as an optional autoref and ``::`` as ``:``."""

    def replace(match: re.Match[str]) -> str:
        short, text = match.group(1) == "~", " ".join(match.group(2).split())
        explicit = _EXPLICIT.fullmatch(text)
        if explicit is not None:
            title, name = explicit.group(1), explicit.group(2)
        else:
            name = text
            title = name.rsplit(".", 1)[-1] if short else name
        return f'<autoref identifier="{_target(obj, name)}" optional><code>{title}</code></autoref>'

    return _LITERAL_BLOCK.sub(":\n\n", _ROLE.sub(replace, text))


class ReSTRoles(griffe.Extension):
    """Rewrite each docstring once the object tree is complete (names can then resolve)."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_roles(obj.docstring.value, obj)
