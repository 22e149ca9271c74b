"""Checking a profile as its author works on it: what ``qaframework profile check`` reports.

A profile is checked installed (every version registered under its id, through the registry)
or from its files, before it is installed: a data file, a ``data/`` directory, or a
distribution made by ``qaframework profile new``. Each version is validated (every
:class:`~qaframework.errors.ProfileError` problem is kept, not just the first) and held to
the invariants of :mod:`qaframework.profiles.invariants`, and the versions are checked together.
Every problem becomes a :class:`Finding` with its source, check and profile path; those of the
``complete`` invariant (text still marked ``FILL IN``) are *incomplete*, the rest are errors.
A detail written ``"not stated"`` (a rule the source cites without it: see
:mod:`qaframework.policy.unknowns`) is a *warning*: the profile is sound, and every output
the rule affects says that it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from qaframework.authoring.scaffold import AuthoringError
from qaframework.errors import NoVersionInForce, Problem, ProfileError
from qaframework.policy.basis import not_stated
from qaframework.policy.paths import item_key
from qaframework.policy.profile import Profile
from qaframework.profiles.invariants import INVARIANTS, VERSION_INVARIANTS, hook_sample_size

__all__ = [
    "INCOMPLETE",
    "NOT_STATED_CHECK",
    "CheckReport",
    "CheckedVersion",
    "Finding",
    "check_files",
    "check_installed",
    "check_loaded",
    "find_data_files",
]

INCOMPLETE = "complete"
"""The invariant whose problems are places still to fill in rather than errors."""

NOT_STATED_CHECK = "not_stated"
"""The check whose findings are warnings: details the profile writes as "not stated"."""

_DATA_SUFFIXES = (".toml", ".json")
# Where a distribution keeps its data files, relative to its directory (src layout first).
_DATA_DIRS = ("src/*/data", "*/data", "data")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[([a-z][a-z0-9_]*)\]")


@attrs.frozen
class Finding:
    """One problem found: where (``source``, ``version``, ``path``), by which check, and what.

    ``source`` is the data file (or, for an installed profile, the file or plugin it came
    from); ``version`` the label of the profile version (None when the file did not load);
    ``check`` is ``read`` (the file could not be read or parsed), ``validation`` (the data
    format and plugins' checks) or the id of an invariant; ``incomplete`` marks a place still
    to fill in, ``warning`` a finding that does not make the profile wrong (a detail its
    source does not state).
    """

    source: str
    version: str | None
    check: str
    path: str
    message: str
    incomplete: bool = False
    warning: bool = False


@attrs.frozen
class CheckedVersion:
    """A version that loaded and was held to the invariants."""

    label: str
    source: str
    effective_from: date


@attrs.frozen
class CheckReport:
    """Everything ``profile check`` found for one target (a profile id or a path)."""

    target: str
    versions: tuple[CheckedVersion, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that are errors."""
        return tuple(f for f in self.findings if not f.incomplete and not f.warning)

    @property
    def incomplete(self) -> tuple[Finding, ...]:
        """The places still to fill in."""
        return tuple(f for f in self.findings if f.incomplete)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The warnings: details the profile writes as "not stated"."""
        return tuple(f for f in self.findings if f.warning)

    @property
    def ok(self) -> bool:
        """Whether nothing but warnings was found: no error and nothing left to fill in."""
        return not self.errors and not self.incomplete


def _from_error(error: ProfileError, check: str, version: str | None = None) -> list[Finding]:
    return [Finding(error.source, version, check, p.path, p.message) for p in error.problems]


def _plugin_checks(profile: Profile) -> list[Problem]:
    """The problems plugins' ``validate_profile`` hooks find, as the registry runs them: the
    global plugins', and those of the plugin that registers this profile id, if one is
    installed (a council's checks act on its own profiles only)."""
    from qaframework.errors import UnknownProfile
    from qaframework.profiles.plugins import PluginBehaviour
    from qaframework.profiles.registry import get_registry

    try:
        versions = get_registry().info(profile.id).versions
    except UnknownProfile:
        owner = None
    else:
        owner = versions[0].plugin if versions else None
    return PluginBehaviour(owner).problems(profile)


def _document_order(profile: Profile, path: str) -> tuple[int, ...]:
    """A sort key placing paths into ``profile`` in its order: sections, items, fields."""
    key: list[int] = []
    current: Any = profile
    for name, number, item in _STEP.findall(path):
        if item:
            keys = [item_key(part) for part in current] if isinstance(current, tuple) else []
            index = keys.index(item) if item in keys else len(keys)
            key.append(index)
            current = current[index] if index < len(keys) else None
        elif number:
            index = int(number)
            key.append(index)
            fits = isinstance(current, tuple) and index < len(current)
            current = current[index] if fits else None
        else:
            names = (
                [f.alias for f in attrs.fields(type(current))] if attrs.has(type(current)) else []
            )
            key.append(names.index(name) if name in names else len(names))
            current = getattr(current, name, None)
    return tuple(key)


def check_loaded(versions: Sequence[tuple[str, Profile]]) -> list[Finding]:
    """Hold loaded versions, each given with its source, to every invariant.

    Each version is checked on its own (proportional moderation samples sized through the
    plugins' ``moderation_sample_size`` hook), then the versions together. A version's
    errors come in the order of the invariants; its places to fill in in document order.
    """
    findings: list[Finding] = []
    for source, profile in versions:
        sample_size = hook_sample_size(profile)
        incomplete: list[Finding] = []
        for invariant in INVARIANTS:
            found = [
                Finding(
                    source,
                    profile.label,
                    invariant.id,
                    problem.path,
                    problem.message,
                    incomplete=invariant.id == INCOMPLETE,
                )
                for problem in invariant.check(profile, sample_size=sample_size)
            ]
            (incomplete if invariant.id == INCOMPLETE else findings).extend(found)
        findings.extend(sorted(incomplete, key=lambda f: _document_order(profile, f.path)))
        findings.extend(
            Finding(
                source,
                profile.label,
                NOT_STATED_CHECK,
                unknown.path,
                f"{unknown}: outputs it affects say that the profile does not know",
                warning=True,
            )
            for unknown in not_stated(profile)
        )
    profiles = [profile for _, profile in versions]
    if profiles:
        sources = ", ".join(sorted({source for source, _ in versions}))
        for version_invariant in VERSION_INVARIANTS:
            findings.extend(
                Finding(sources, None, version_invariant.id, problem.path, problem.message)
                for problem in version_invariant.check(profiles)
            )
    return findings


def _unique(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    # A problem of the whole profile (overlapping versions) is raised by every version's load.
    return tuple(dict.fromkeys(findings))


def check_installed(profile_id: str, *, as_of: date | None = None) -> CheckReport:
    """Check an installed profile: every version, or the one in force on ``as_of``.

    Raises :class:`~qaframework.errors.UnknownProfile` when no plugin provides ``profile_id``
    and :class:`~qaframework.errors.NoVersionInForce` when no version is in force on ``as_of``.
    """
    from qaframework.profiles.registry import get_registry

    registry = get_registry()
    info = registry.info(profile_id)
    chosen = list(info.versions)
    if as_of is not None:
        found = info.version_on(as_of)
        if found is None:
            spans = [(v.effective_from, v.in_force_to) for v in info.versions]
            raise NoVersionInForce(profile_id, as_of, spans)
        chosen = [found]
    findings: list[Finding] = []
    loaded: list[tuple[str, Profile]] = []
    for version in chosen:
        try:
            loaded.append((version.origin, registry.load(profile_id, version.effective_from)))
        except ProfileError as exc:
            findings.extend(_from_error(exc, "validation"))
    findings.extend(check_loaded(loaded))
    return CheckReport(profile_id, _checked(loaded), _unique(findings))


def find_data_files(path: Path) -> tuple[Path, ...]:
    """The profile data files at ``path``: the file itself, or those in a data directory.

    ``path`` is a data file (``.toml`` or ``.json``), a distribution's directory holding them
    in ``src/<package>/data/``, ``<package>/data/`` or ``data/``, or a directory holding them
    itself. Raises :class:`~qaframework.authoring.scaffold.AuthoringError` when the path
    does not exist or holds no data file.
    """
    if not path.exists():
        raise AuthoringError(f"{path}: no such file or directory")
    if path.is_file():
        if path.suffix not in _DATA_SUFFIXES:
            raise AuthoringError(f"{path}: a profile data file ends in .toml or .json")
        return (path,)
    found = _data_files_in(folder for pattern in _DATA_DIRS for folder in path.glob(pattern))
    # Otherwise the directory holds the data files itself (a distribution's pyproject.toml
    # is not one).
    found = found or [f for f in _data_files_in([path]) if f.name != "pyproject.toml"]
    if not found:
        places = ", ".join(f"{pattern}/" for pattern in _DATA_DIRS)
        raise AuthoringError(f"{path}: no profile data files (*.toml, *.json) in it or in {places}")
    return tuple(found)


def _data_files_in(folders: Iterable[Path]) -> list[Path]:
    return sorted(
        {
            entry
            for folder in folders
            if folder.is_dir()
            for entry in folder.iterdir()
            if entry.suffix in _DATA_SUFFIXES and entry.is_file()
        }
    )


def _header_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _in_force(
    documents: Sequence[tuple[Path, Mapping[str, Any]]], as_of: date
) -> list[tuple[Path, Mapping[str, Any]]]:
    """The document in force on ``as_of`` by its own dates, as the registry would choose it.

    A document whose dates cannot be read is kept, so that its problems are reported.
    """
    dated = sorted(
        (
            (start, path, document)
            for path, document in documents
            if (start := _header_date(document.get("effective_from"))) is not None
        ),
        key=lambda entry: entry[0],
    )
    undated = [
        (path, document)
        for path, document in documents
        if _header_date(document.get("effective_from")) is None
    ]
    spans: list[tuple[date, date | None]] = []
    chosen: list[tuple[Path, Mapping[str, Any]]] = []
    for index, (start, path, document) in enumerate(dated):
        end = _header_date(document.get("effective_to"))
        if index + 1 < len(dated):
            day_before = dated[index + 1][0] - timedelta(days=1)
            end = day_before if end is None else min(end, day_before)
        spans.append((start, end))
        if start <= as_of and (end is None or as_of <= end):
            chosen.append((path, document))
    if not chosen and not undated:
        profile_id = next(
            (str(d.get("id")) for _, d in documents if isinstance(d.get("id"), str)), "profile"
        )
        if not spans:
            raise AuthoringError(f"no version of {profile_id!r} has a readable effective_from")
        raise NoVersionInForce(profile_id, as_of, spans)
    return chosen + undated


def check_files(path: Path, *, as_of: date | None = None) -> CheckReport:
    """Check a profile from its files, without installing it.

    ``path`` is as :func:`find_data_files` takes it; with ``as_of`` only the version in force
    that day is checked (a file whose dates cannot be read is checked too). A file that
    cannot be read or validated is reported with its problems, and the others are still
    checked. Raises :class:`~qaframework.authoring.scaffold.AuthoringError` when there is
    nothing to check, and :class:`~qaframework.errors.NoVersionInForce` when no version is in
    force on ``as_of``.
    """
    from qaframework.profiles.registry import read_profile_file
    from qaframework.profiles.validation import profile_from_data

    findings: list[Finding] = []
    documents: list[tuple[Path, Mapping[str, Any]]] = []
    for data_file in find_data_files(path):
        try:
            documents.append((data_file, read_profile_file(data_file)))
        except ProfileError as exc:
            findings.extend(_from_error(exc, "read"))
    if as_of is not None and documents:
        documents = _in_force(documents, as_of)
    loaded: list[tuple[str, Profile]] = []
    for data_file, document in documents:
        try:
            profile = profile_from_data(document, str(data_file), extra_checks=_plugin_checks)
        except ProfileError as exc:
            findings.extend(_from_error(exc, "validation"))
            continue
        loaded.append((str(data_file), profile))
    findings.extend(check_loaded(loaded))
    return CheckReport(str(path), _checked(loaded), _unique(findings))


def _checked(loaded: Sequence[tuple[str, Profile]]) -> tuple[CheckedVersion, ...]:
    return tuple(
        CheckedVersion(profile.label, source, profile.effective_from)
        for source, profile in sorted(loaded, key=lambda entry: entry[1].effective_from)
    )
