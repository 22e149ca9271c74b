"""Scaffolding a council's distribution: what ``qaframework profile new`` writes.

A council is added the way the bundled ones are built: a distribution holding a data file per
dated version and a small plugin registering them under the ``qaframework`` entry point.
:func:`scaffold_distribution` writes one from the templates shipped in this package
(``templates/distribution``, read through :mod:`importlib.resources` and filled in by plain
substitution of ``{{name}}`` fields):

- ``pyproject.toml`` with the entry point (and the uv workspace source when the distribution
  is a member of the qaframework workspace itself);
- ``src/qaframework_<id>/__init__.py``, the plugin, and ``py.typed``;
- ``src/qaframework_<id>/data/<effective date>.toml``, every section of the profile format
  with one example item, each value still to be written marked with
  :data:`~qaframework.profiles.invariants.FILL_IN` so ``qaframework profile check`` reports it as
  incomplete (it parses and validates as it is, so every other problem shows too); its
  first line, ``#:schema``, points an editor at the format's JSON Schema
  (:data:`~qaframework.profiles.schema.PROFILE_SCHEMA_URL`);
- ``tests/test_conformance.py``, the conformance suite subclassed for the profile;
- ``README.md``, the next steps for the council's author.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
from datetime import date
from importlib.resources import files
from pathlib import Path

import attrs
import tomli

from qaframework.errors import QAFrameworkError
from qaframework.profiles.invariants import FILL_IN
from qaframework.profiles.schema import PROFILE_SCHEMA_URL

__all__ = [
    "AuthoringError",
    "Scaffold",
    "distribution_name",
    "package_name",
    "scaffold_distribution",
]

_PROFILE_ID = re.compile(r"[a-z][a-z0-9_]*")
_FIELD = re.compile(r"\{\{(\w+)\}\}")
# An authority is written into TOML and Python strings unescaped, so it is kept to one line
# of plain text.
_UNSAFE_AUTHORITY = re.compile(r'["\\\x00-\x1f\x7f]')

# Each template, and where it goes in the distribution ({package} and {data_file} are filled in).
_TEMPLATES = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("plugin.py.tmpl", "src/{package}/__init__.py"),
    ("py.typed.tmpl", "src/{package}/py.typed"),
    ("profile.toml.tmpl", "src/{package}/data/{data_file}"),
    ("test_conformance.py.tmpl", "tests/test_conformance.py"),
)

_WORKSPACE_SOURCES = "\n[tool.uv.sources]\nqaframework = { workspace = true }\n"


class AuthoringError(QAFrameworkError):
    """A request the authoring kit cannot carry out: a bad name, an existing directory, a
    path with no profile data."""


@attrs.frozen
class Scaffold:
    """A distribution written by :func:`scaffold_distribution`.

    ``root`` is its directory; ``data_file`` the profile data file to fill in; ``files``
    every file written, relative to ``root``; ``in_workspace`` whether it is a member of the
    qaframework uv workspace (and so takes qaframework from it).
    """

    profile_id: str
    distribution: str
    package: str
    root: Path
    data_file: Path
    files: tuple[Path, ...]
    in_workspace: bool


def distribution_name(profile_id: str) -> str:
    """The distribution's name: ``qaframework-kestrel-vale`` for ``kestrel_vale``."""
    return "qaframework-" + profile_id.replace("_", "-")


def package_name(profile_id: str) -> str:
    """The import package's name: ``qaframework_kestrel_vale`` for ``kestrel_vale``."""
    return f"qaframework_{profile_id}"


def _display_name(profile_id: str) -> str:
    return " ".join(part.capitalize() for part in profile_id.split("_") if part)


def _test_class(profile_id: str) -> str:
    return "Test" + "".join(part.capitalize() for part in profile_id.split("_")) + "Conformance"


def _in_qaframework_workspace(root: Path) -> bool:
    """Whether ``root`` would be a member of the qaframework project's own uv workspace.

    The nearest enclosing ``pyproject.toml`` decides: it must be qaframework's, and one of its
    ``[tool.uv.workspace]`` member patterns must match the new directory.
    """
    for parent in root.parents:
        candidate = parent / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            document = tomli.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
            return False
        if document.get("project", {}).get("name") != "qaframework":
            return False
        members = document.get("tool", {}).get("uv", {}).get("workspace", {}).get("members", [])
        relative = root.relative_to(parent).as_posix()
        return any(
            isinstance(member, str) and fnmatch.fnmatchcase(relative, member) for member in members
        )
    return False


def _render(template: str, values: dict[str, str]) -> str:
    text = _FIELD.sub(lambda match: values[match.group(1)], template)
    # Text files end in exactly one newline; an empty file (py.typed) stays empty.
    return text.rstrip("\n") + "\n" if text.strip() else ""


def scaffold_distribution(
    profile_id: str,
    directory: Path,
    *,
    effective_from: date,
    authority: str | None = None,
) -> Scaffold:
    """Write a new council distribution for ``profile_id`` under ``directory``.

    The distribution goes in ``directory / distribution_name(profile_id)``, which must not
    exist yet. ``effective_from`` names the data file and stands in for the version's dates
    (marked to fill in); ``authority``, the council's name, is written where the profile needs
    it, or marked to fill in when None. Raises :class:`AuthoringError` for an id that is not
    lower_snake_case, an authority that is not one line of plain text, an existing directory,
    or a directory that cannot be written (nothing is left behind then).
    """
    if not _PROFILE_ID.fullmatch(profile_id):
        raise AuthoringError(
            f"{profile_id!r} is not a profile id: use lower_snake_case, starting with a letter "
            "(kestrel_vale)"
        )
    if authority is not None:
        authority = authority.strip()
        if not authority or _UNSAFE_AUTHORITY.search(authority):
            raise AuthoringError(
                f"authority {authority!r} must be the council's name, on one line, without "
                'quotes (") or backslashes'
            )
    distribution = distribution_name(profile_id)
    package = package_name(profile_id)
    root = directory.resolve() / distribution
    if root.exists():
        raise AuthoringError(f"{root} already exists: choose another --dir, or remove it first")
    data_file = f"{effective_from.isoformat()}.toml"
    title = authority or _display_name(profile_id)
    in_workspace = _in_qaframework_workspace(root)
    values = {
        "profile_id": profile_id,
        "distribution": distribution,
        "package": package,
        "title": title,
        "authority": authority or f"{FILL_IN}: the council's name",
        "description": f"{title}'s children's services quality assurance framework, as a "
        "qaframework profile.",
        "effective_from": effective_from.isoformat(),
        "version": f"{effective_from:%Y-%m}",
        "test_class": _test_class(profile_id),
        "workspace_sources": _WORKSPACE_SOURCES if in_workspace else "",
        "schema_url": PROFILE_SCHEMA_URL,
    }
    templates = files(__package__) / "templates" / "distribution"
    try:
        root.mkdir(parents=True)
    except FileExistsError:
        raise AuthoringError(f"{root} already exists: choose another --dir") from None
    except OSError as exc:
        raise AuthoringError(f"cannot create {root}: {exc}") from None
    written: list[Path] = []
    try:
        for template, target in _TEMPLATES:
            relative = Path(target.format(package=package, data_file=data_file))
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            text = (templates / template).read_text(encoding="utf-8")
            path.write_text(_render(text, values), encoding="utf-8")
            written.append(relative)
    except OSError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise AuthoringError(f"cannot write {root}: {exc}") from None
    return Scaffold(
        profile_id=profile_id,
        distribution=distribution,
        package=package,
        root=root,
        data_file=root / "src" / package / "data" / data_file,
        files=tuple(written),
        in_workspace=in_workspace,
    )
