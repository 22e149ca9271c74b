"""Finding profiles: which councils are installed, which version is in force on a date.

Plugins register profile versions through the ``register_profiles`` hook; this module reads
the registered files (TOML or JSON), works out each version's span in force, and loads and
validates a version on demand, caching the result. It is the edge between the pure core and
the files plugins ship.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol, cast

import attrs

from qaframework.errors import NoVersionInForce, Problem, ProfileError, UnknownProfile
from qaframework.policy.profile import Profile
from qaframework.profiles import cache as profile_cache
from qaframework.profiles import plugins
from qaframework.profiles.files import FileRefused, read_regular

__all__ = [
    "ProfileInfo",
    "ProfileRegistry",
    "VersionInfo",
    "available_profiles",
    "get_registry",
    "load_profile",
    "profile_resolver",
    "read_profile_file",
]


class DataFile(Protocol):
    """A file a plugin registers: a :class:`pathlib.Path` or an :mod:`importlib.resources`
    ``Traversable`` (``files(__package__) / "data" / "2026-01.toml"``)."""

    @property
    def name(self) -> str: ...

    def read_bytes(self) -> bytes: ...


ProfileSource = DataFile | os.PathLike[str] | Mapping[str, Any] | Profile


@attrs.frozen
class VersionInfo:
    """One registered version of a profile and the span it is in force.

    ``in_force_to`` is the last day in force (None while no later version or end date is
    known); ``plugin`` the plugin that registered it; ``origin`` the file it came from.
    """

    profile_id: str
    version: str
    authority: str
    name: str
    effective_from: date
    in_force_to: date | None
    plugin: str
    origin: str

    def in_force_on(self, day: date) -> bool:
        """Whether this version applies on ``day``."""
        return self.effective_from <= day and (self.in_force_to is None or day <= self.in_force_to)


@attrs.frozen
class ProfileInfo:
    """An installed profile: its id, authority and versions, oldest first."""

    id: str
    authority: str
    versions: tuple[VersionInfo, ...]

    @property
    def latest(self) -> VersionInfo:
        """The version with the latest effective date."""
        return self.versions[-1]

    def version_on(self, day: date) -> VersionInfo | None:
        """The version in force on ``day``, None if none is."""
        for info in self.versions:
            if info.in_force_on(day):
                return info
        return None


@attrs.define
class _Registration:
    plugin: str
    origin: str
    data: Mapping[str, Any] | None
    built: Profile | None
    header: dict[str, Any]
    explicit_end: date | None
    validated: bool = False
    cache_key: str | None = None


def _origin_of(source: DataFile | os.PathLike[str]) -> str:
    return os.fspath(source) if isinstance(source, os.PathLike) else str(source)


def _as_file(source: DataFile | os.PathLike[str]) -> DataFile:
    # importlib.resources files are used as they are; other path-likes become Paths.
    if hasattr(source, "read_bytes") and hasattr(source, "name"):
        return cast(DataFile, source)
    return Path(os.fspath(source))


_PROFILE_LIMIT = 64 * 1024**2  # a profile is pages of text; a larger file is not one


def _read_bytes(source: DataFile | os.PathLike[str]) -> bytes:
    try:
        if isinstance(source, os.PathLike):
            # A path a user gave: a regular file only (a pipe would hang the read).
            return read_regular(os.fspath(source), _PROFILE_LIMIT)
        return _as_file(source).read_bytes()
    except FileRefused as exc:
        reason = str(exc).removeprefix("cannot be read: ")
        message = f"cannot read the file: {reason if reason != str(exc) else f'it {reason}'}"
        raise ProfileError(_origin_of(source), [Problem("$", message)]) from None
    except OSError as exc:
        raise ProfileError(
            _origin_of(source), [Problem("$", f"cannot read the file: {exc}")]
        ) from None


def read_profile_file(source: DataFile | os.PathLike[str]) -> dict[str, Any]:
    """Parse a profile data file (``.toml`` or ``.json``) into a document.

    Raises :class:`~qaframework.errors.ProfileError` naming the file when it cannot be read
    or parsed.
    """
    return _parse(_read_bytes(source), source)


def _parse(raw: bytes, source: DataFile | os.PathLike[str]) -> dict[str, Any]:
    # Imported here: a start whose profiles all come from the cache parses no file.
    import tomli

    origin = _origin_of(source)
    name = _as_file(source).name
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(origin, [Problem("$", f"cannot read the file: {exc}")]) from None
    try:
        if name.endswith(".toml"):
            # tomli is the standard library's tomllib, published compiled: several times faster.
            return _shallow(tomli.loads(text))
        if name.endswith(".json"):
            document = json.loads(text)
            if not isinstance(document, dict):
                raise ValueError("the document is not a JSON object")
            return _shallow(document)
    except tomli.TOMLDecodeError as exc:
        raise ProfileError(origin, [_syntax_problem(exc.msg, exc.lineno, exc.colno)]) from None
    except json.JSONDecodeError as exc:
        raise ProfileError(origin, [_syntax_problem(exc.msg, exc.lineno, exc.colno)]) from None
    except ValueError as exc:
        raise ProfileError(origin, [Problem("$", f"cannot parse the file: {exc}")]) from None
    except RecursionError:
        problem = Problem("$", "cannot parse the file: it is nested too deeply")
        raise ProfileError(origin, [problem]) from None
    raise ProfileError(origin, [Problem("$", "a profile file ends in .toml or .json")])


_MOST_NESTED = 32
"""How deeply a profile file's tables and lists may nest: a profile needs five or six; a
parser may read far deeper (how deep depends on its version), and what reads the document
after it recurses."""


def _shallow(document: dict[str, Any]) -> dict[str, Any]:
    """``document``, unless its tables and lists nest deeper than :data:`_MOST_NESTED`
    (RecursionError, which the caller reports as a profile error); walked without
    recursion."""
    pending: list[tuple[object, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > _MOST_NESTED:
            raise RecursionError(f"nested more than {_MOST_NESTED} deep")
        if isinstance(value, dict):
            pending.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            pending.extend((v, depth + 1) for v in value)
    return document


# What usually causes a parser's complaint, by words of its message.
_SYNTAX_HINTS = (
    (
        ("twice", "overwrite"),
        "a key or table is given twice: each item of a list of tables "
        "starts with its own [[name]] header, and a key appears once in a table",
    ),
    (
        ("unterminated", "illegal character '\\n'", "unclosed string"),
        "a string is not closed: end it with a double quote on the same line",
    ),
    (
        ("unclosed array", "unclosed inline table", "expecting ',' delimiter", "expected ','"),
        "a list [...] or table {...} is not closed, or its items are not separated by commas",
    ),
    (
        ("expected '=' after a key", "invalid statement"),
        "a key is followed by = and its value (text in double quotes)",
    ),
    (
        ("invalid value", "expecting value"),
        'the value cannot be read: text goes in double quotes ("P1M"), lists in [ ], '
        "dates as 2026-04-01",
    ),
)


def _syntax_problem(message: str, line: int, column: int) -> Problem:
    """A parser's complaint, at its line and column, with what usually causes it."""
    lowered = message.lower()
    hint = next(
        (text for words, text in _SYNTAX_HINTS if any(w in lowered for w in words)),
        "compare the line with the examples in the profile format reference",
    )
    return Problem(
        f"line {line}, column {column}",
        f"cannot parse the file: {message} at line {line}, column {column}. Hint: {hint}",
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


class ProfileRegistry:
    """The profiles the registered plugins provide, and a cache of loaded versions."""

    def __init__(self) -> None:
        self._by_id: dict[str, list[_Registration]] = {}
        self._problems: dict[str, list[Problem]] = {}
        self._unattributed: list[ProfileError] = []
        self._cache: dict[tuple[str, date], Profile] = {}
        pm = plugins.get_plugin_manager()
        self._checkers = [
            (impl.plugin_name, plugins.plugin_version(impl.plugin_name))
            for impl in pm.hook.validate_profile.get_hookimpls()
        ]
        # Each implementation is called on its own so that every registration is attributed
        # to its plugin, and one failing plugin does not hide the others' profiles.
        for impl in pm.hook.register_profiles.get_hookimpls():
            try:
                impl.function(register=self._registrar(impl.plugin_name))
            except Exception as exc:
                self._unattributed.append(
                    ProfileError(
                        f"plugin {impl.plugin_name!r}",
                        [Problem("$", f"register_profiles failed: {type(exc).__name__}: {exc}")],
                    )
                )
        self._infos = self._build_infos()

    def _registrar(self, plugin: str) -> Callable[[ProfileSource], None]:
        def register(source: ProfileSource) -> None:
            self._add(plugin, source)

        return register

    def _add(self, plugin: str, source: ProfileSource) -> None:
        if isinstance(source, Profile):
            header = {
                "id": source.id,
                "version": source.version,
                "authority": source.authority,
                "name": source.name,
                "effective_from": source.effective_from,
            }
            reg = _Registration(
                plugin, f"{plugin}:{source.id}", None, source, header, source.effective_to
            )
        else:
            entry_key = None
            if isinstance(source, Mapping):
                origin = f"{plugin}:<mapping>"
                data: Mapping[str, Any] = source
            else:
                origin = _origin_of(source)
                try:
                    raw = _read_bytes(source)
                except ProfileError as exc:
                    self._unattributed.append(exc)
                    return
                entry_key = profile_cache.cache_key(raw, self._checkers)
                cached = profile_cache.load(entry_key) if entry_key is not None else None
                if cached is not None:
                    header, profile = cached
                    self._by_id.setdefault(profile.id, []).append(
                        _Registration(
                            plugin, origin, None, profile, header, profile.effective_to, True
                        )
                    )
                    return
                try:
                    data = _parse(raw, source)
                except ProfileError as exc:
                    self._unattributed.append(exc)
                    return
            header = {key: data.get(key) for key in ("id", "version", "authority", "name")}
            header["effective_from"] = _header_date(data.get("effective_from"))
            bad = [
                Problem(
                    f"$.{key}",
                    "required, and must be a string"
                    if key != "effective_from"
                    else "required, and must be an ISO date",
                )
                for key, value in header.items()
                if not (
                    isinstance(value, date) if key == "effective_from" else isinstance(value, str)
                )
            ]
            if bad:
                self._unattributed.append(ProfileError(origin, bad))
                return
            reg = _Registration(
                plugin, origin, data, None, header, _header_date(data.get("effective_to"))
            )
            reg.cache_key = entry_key
        self._by_id.setdefault(reg.header["id"], []).append(reg)

    def _build_infos(self) -> dict[str, ProfileInfo]:
        infos: dict[str, ProfileInfo] = {}
        for profile_id, regs in self._by_id.items():
            regs.sort(key=lambda r: r.header["effective_from"])
            problems: list[Problem] = []
            versions: list[VersionInfo] = []
            for index, reg in enumerate(regs):
                start = reg.header["effective_from"]
                end = reg.explicit_end
                if index + 1 < len(regs):
                    following = regs[index + 1]
                    next_start = following.header["effective_from"]
                    if next_start == start:
                        problems.append(
                            Problem(
                                "$.effective_from",
                                f"{reg.origin} and {following.origin} both take effect on "
                                f"{start.isoformat()}",
                            )
                        )
                    elif end is not None and end >= next_start:
                        problems.append(
                            Problem(
                                "$.effective_to",
                                f"{reg.origin} runs to {end.isoformat()}, overlapping "
                                f"{following.origin} from {next_start.isoformat()}",
                            )
                        )
                    day_before = next_start - timedelta(days=1)
                    end = day_before if end is None else min(end, day_before)
                versions.append(
                    VersionInfo(
                        profile_id=profile_id,
                        version=reg.header["version"],
                        authority=reg.header["authority"],
                        name=reg.header["name"],
                        effective_from=start,
                        in_force_to=end,
                        plugin=reg.plugin,
                        origin=reg.origin,
                    )
                )
            if problems:
                self._problems[profile_id] = problems
            infos[profile_id] = ProfileInfo(profile_id, versions[-1].authority, tuple(versions))
        return dict(sorted(infos.items()))

    @property
    def registration_errors(self) -> tuple[ProfileError, ...]:
        """Plugins whose registration failed, and files that could not be read or lack an id
        or dates."""
        return tuple(self._unattributed)

    def infos(self) -> tuple[ProfileInfo, ...]:
        """Installed profiles, sorted by id."""
        return tuple(self._infos.values())

    def info(self, profile_id: str) -> ProfileInfo:
        """One profile's versions; :class:`~qaframework.errors.UnknownProfile` if not installed."""
        try:
            return self._infos[profile_id]
        except KeyError:
            raise UnknownProfile(profile_id, self._infos) from None

    def load(self, profile_id: str, as_of: date | None = None) -> Profile:
        """The version of ``profile_id`` in force on ``as_of`` (the latest when None)."""
        info = self.info(profile_id)
        if profile_id in self._problems:
            raise ProfileError(f"profile {profile_id!r}", self._problems[profile_id])
        if as_of is None:
            chosen = info.latest
        else:
            found = info.version_on(as_of)
            if found is None:
                spans = [(v.effective_from, v.in_force_to) for v in info.versions]
                raise NoVersionInForce(profile_id, as_of, spans)
            chosen = found
        key = (profile_id, chosen.effective_from)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._build(profile_id, chosen)
            self._cache[key] = cached
        return cached

    def load_all_versions(self, profile_id: str) -> tuple[Profile, ...]:
        """Every version of a profile, oldest first."""
        return tuple(
            self.load(profile_id, v.effective_from) for v in self.info(profile_id).versions
        )

    def versions_between(
        self, profile_id: str, start: date, end: date
    ) -> tuple[tuple[Profile, date, date], ...]:
        """The versions in force at some point from ``start`` to ``end``, each with its part.

        Each entry is ``(profile, first_day, last_day)``, the days of the window that
        version governs, oldest first. Days no version covers are in no entry.
        """
        found = []
        for v in self.info(profile_id).versions:
            first = max(start, v.effective_from)
            last = end if v.in_force_to is None else min(end, v.in_force_to)
            if first <= last:
                found.append((self.load(profile_id, v.effective_from), first, last))
        return tuple(found)

    def _build(self, profile_id: str, chosen: VersionInfo) -> Profile:
        reg = next(
            r
            for r in self._by_id[profile_id]
            if r.header["effective_from"] == chosen.effective_from
        )
        # The profile answers its logic rules through the plugins, naming its own.
        return attrs.evolve(self._validated(reg), behaviour=plugins.PluginBehaviour(reg.plugin))

    def _validated(self, reg: _Registration) -> Profile:
        if reg.built is not None:
            if reg.validated:
                return reg.built
            problems = plugins.PluginBehaviour(reg.plugin).problems(reg.built)
            if problems:
                raise ProfileError(reg.origin, problems)
            return reg.built
        assert reg.data is not None
        # Validation needs the converter (cattrs); a process served from the cache never
        # imports it.
        from qaframework.profiles.validation import profile_from_data

        profile = profile_from_data(
            reg.data, reg.origin, extra_checks=plugins.PluginBehaviour(reg.plugin).problems
        )
        if reg.cache_key is not None:
            profile_cache.store(reg.cache_key, reg.header, profile)
        return profile


_registry: tuple[int, ProfileRegistry] | None = None


def get_registry() -> ProfileRegistry:
    """The registry for the current set of plugins (rebuilt when plugins change)."""
    global _registry
    current = plugins.generation()
    if _registry is None or _registry[0] != current:
        _registry = (current, ProfileRegistry())
    return _registry[1]


def available_profiles() -> tuple[ProfileInfo, ...]:
    """The installed council profiles and their versions, sorted by id."""
    return get_registry().infos()


def load_profile(profile_id: str, as_of: date | None = None) -> Profile:
    """Load a council's profile: the version in force on ``as_of``, or the latest when None.

    Raises :class:`~qaframework.errors.UnknownProfile` when no plugin provides
    ``profile_id``, :class:`~qaframework.errors.NoVersionInForce` (naming the earliest
    effective date) when no version was in force on ``as_of``, and
    :class:`~qaframework.errors.ProfileError` listing every problem when the data is invalid.
    """
    return get_registry().load(profile_id, as_of)


def profile_resolver(profile_id: str) -> Callable[[date], Profile]:
    """The version of ``profile_id`` in force on a day, each day looked up once.

    What the engines that take a resolver need (escalations, trackers, cycle reports) for
    audits that may span versions: ``resolve(audit.audit_date)`` is
    ``load_profile(profile_id, as_of=audit.audit_date)``, cached per day.
    """

    @functools.cache
    def resolve(day: date) -> Profile:
        return load_profile(profile_id, as_of=day)

    return resolve
