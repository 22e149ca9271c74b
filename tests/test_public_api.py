"""The public API of ``import qaframework``."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import typing
from importlib.metadata import version
from pathlib import Path

import pytest

import qaframework


@pytest.mark.parametrize("name", qaframework.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(qaframework, name)
    assert value is not None
    if name not in ("__version__", "hookimpl"):
        module = getattr(value, "__module__", "")
        assert module.startswith("qaframework."), (name, module)


def test_public_names_match_the_lazy_exports() -> None:
    exports = qaframework._EXPORTS
    assert set(qaframework.__all__) == {*exports, "__version__"}
    assert sorted(qaframework.__all__) == qaframework.__all__
    assert dir(qaframework) == sorted(qaframework.__all__)
    for name, module in exports.items():
        value = getattr(qaframework, name)
        assert value is getattr(importlib.import_module(f"qaframework.{module}"), name)
        if name != "hookimpl":  # a pluggy marker instance, made in the hookspecs module
            assert value.__module__ == f"qaframework.{module}"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Profil'"):
        qaframework.Profil  # noqa: B018


def test_version_matches_the_distribution() -> None:
    assert qaframework.__version__ == version("qaframework")


def test_hookimpl_is_the_plugin_marker() -> None:
    from qaframework.profiles.hookspecs import hookimpl

    assert qaframework.hookimpl is hookimpl


def _modules_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


HEAVY = {"cattrs", "holidays", "rich", "icalendar"}


def test_import_is_cheap() -> None:
    loaded = _modules_after("import qaframework")
    assert "qaframework" in loaded
    assert not HEAVY & loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


# Modules the start of a program that loads its profiles from the cache does without: each
# is imported where it is first used (sizing a sample, adding a duration to a date, parsing
# a profile file), a few milliseconds each at start-up.
LATER = {"fractions", "decimal", "dateutil", "tomli"}
LOAD_ALL = (
    "import qaframework\n"
    "for info in qaframework.available_profiles():\n"
    "    for v in info.versions:\n"
    "        qaframework.load_profile(info.id, as_of=v.effective_from)\n"
)


def test_loading_the_profiles_from_the_cache_imports_only_what_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qaframework.profiles.cache import ENV_CACHE_DIR

    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path))
    first = _modules_after(LOAD_ALL)  # every profile file parsed, and cached
    assert "tomli" in first
    loaded = _modules_after(LOAD_ALL)
    assert not {m for m in loaded if m.split(".")[0] in LATER}
    # What they are needed for still works once a program gets there.
    assert "dateutil.relativedelta" in _modules_after(
        LOAD_ALL + "from datetime import date\n"
        "assert qaframework.Cadence.parse('P1M').every.add_to(date(2026, 1, 31)) "
        "== date(2026, 2, 28)\n"
    )


def test_core_values_do_not_pull_in_the_adapters() -> None:
    loaded = _modules_after(
        "import qaframework\n"
        "qaframework.Cadence.parse('P6W')\n"
        "qaframework.FinancialYear.parse('2026-27')\n"
        "qaframework.WorkingCalendar"
    )
    assert "qaframework.policy.cadence" in loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


@pytest.mark.parametrize("old", sorted(qaframework._MOVED))
def test_a_moved_module_imports_from_its_old_path_with_a_warning(old: str) -> None:
    code = (
        "import importlib, warnings\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        f"    module = importlib.import_module('qaframework.{old}')\n"
        "    names = sorted(getattr(module, '__all__', ()))\n"
        "    homes = {n: getattr(module, n).__module__ for n in names\n"
        "             if hasattr(getattr(module, n), '__module__')}\n"
        "print(json.dumps({'warnings': [str(w.message) for w in caught\n"
        "                                if w.category is DeprecationWarning],\n"
        "                  'names': names, 'homes': homes}))\n"
    )
    result = json.loads(
        subprocess.run(
            [sys.executable, "-c", "import json\n" + code],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    new = [f"qaframework.{target}" for target in qaframework._MOVED[old]]
    # An old submodule's old package warns first.
    assert result["warnings"][-1] == (
        f"qaframework.{old} moved to {' and '.join(new)}; import it from there "
        "(the old path goes in qaframework 0.2)"
    )
    assert len(result["warnings"]) == old.count(".") + 1
    # Every public name of the new modules is there, and is the new module's own object.
    expected = sorted(
        {n for target in new for n in getattr(importlib.import_module(target), "__all__", ())}
    )
    assert result["names"] == expected
    for name, home in result["homes"].items():
        value = next(
            getattr(m, name) for m in map(importlib.import_module, new) if hasattr(m, name)
        )
        assert getattr(value, "__module__", home) == home


def test_importing_an_old_path_leaves_the_module_its_own_spec() -> None:
    code = (
        "import warnings\n"
        "warnings.simplefilter('ignore')\n"
        "import qaframework.registry as old\n"
        "import qaframework.profiles.registry as new\n"
        "print(old is new, new.__spec__.name, new.__name__)"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert found == ["True", "qaframework.profiles.registry", "qaframework.profiles.registry"]


def test_no_new_module_takes_an_old_path() -> None:
    # Were a module to land at an old path again, it would be found there, not the alias.
    src = Path(qaframework.__file__).parent
    for old in qaframework._MOVED:
        place = src.joinpath(*old.split("."))
        assert not place.with_suffix(".py").exists(), old
        assert not place.is_dir(), old


# -- types a user of the public API can name and resolve -------------------------------------


def _public_callables() -> list[tuple[str, object]]:
    """Every public function and class of ``import qaframework``, and the public methods and
    properties of the classes (their own and those they inherit from qaframework)."""
    import inspect

    found: list[tuple[str, object]] = []
    for name in qaframework.__all__:
        if name in ("__version__", "hookimpl"):
            continue
        value = getattr(qaframework, name)
        if inspect.isfunction(value):
            found.append((name, value))
        elif inspect.isclass(value):
            found.append((name, value))
            for klass in value.__mro__:
                if not klass.__module__.startswith("qaframework"):
                    continue
                for attribute, member in vars(klass).items():
                    if attribute.startswith("_"):
                        continue
                    if isinstance(member, property):
                        member = member.fget
                    elif isinstance(member, classmethod | staticmethod):
                        member = member.__func__
                    if inspect.isfunction(member):
                        found.append((f"{name}.{attribute}", member))
    return found


PUBLIC = _public_callables()


@pytest.mark.parametrize(("name", "value"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_the_type_hints_of_every_public_function_and_class_resolve(
    name: str, value: object
) -> None:
    # A name imported only under TYPE_CHECKING breaks this at run time.
    typing.get_type_hints(value)


def _classes_in(hint: object) -> list[type]:
    found = [hint] if isinstance(hint, type) else []
    for argument in typing.get_args(hint):
        found.extend(_classes_in(argument))
    return found


def test_every_type_a_public_function_returns_is_exported() -> None:
    exported = {id(getattr(qaframework, n)) for n in qaframework.__all__}
    missing: dict[str, list[str]] = {}
    for name, value in PUBLIC:
        if isinstance(value, type):
            continue
        returned = typing.get_type_hints(value).get("return")
        for cls in _classes_in(returned):
            if cls.__module__.startswith("qaframework") and id(cls) not in exported:
                missing.setdefault(f"{cls.__module__}.{cls.__qualname__}", []).append(name)
    assert missing == {}
