"""MkDocs hook: a page per installed council, written from its profile data on every build.

Every version of every installed profile is loaded through ``qaframework.load_profile`` and
turned into Markdown by :mod:`qaframework.render.docs_pages`; the pages are added to the build as
generated files (``councils/index.md`` and ``councils/<council>.md``) and listed under the
"Councils" section of the navigation. Nothing is written to ``docs/``, so the pages can never
be stale: a profile that changes, or a council that is installed, changes the site on the
next build. A profile that fails to load stops the build with its problems.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import qaframework
from qaframework.policy.profile import Profile
from qaframework.profiles.registry import get_registry
from qaframework.render.docs_pages import council_page, council_slug, councils_index

FOLDER = "councils"
NAV_SECTION = "Councils"

_councils: list[tuple[Profile, ...]] = []


def _load() -> list[tuple[Profile, ...]]:
    registry = get_registry()
    if registry.registration_errors:
        raise PluginError(
            "council profiles failed to register:\n"
            + "\n".join(str(error) for error in registry.registration_errors)
        )
    councils = []
    try:
        for info in qaframework.available_profiles():
            councils.append(
                tuple(
                    qaframework.load_profile(info.id, as_of=v.effective_from) for v in info.versions
                )
            )
    except qaframework.QAFrameworkError as exc:
        raise PluginError(f"a council profile does not load: {exc}") from exc
    return councils


def _page(versions: tuple[Profile, ...]) -> str:
    return f"{FOLDER}/{council_slug(versions[0].id)}.md"


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    """Load the installed profiles, and list a page per council in the navigation."""
    _councils[:] = _load()
    for entry in config.nav or []:
        if isinstance(entry, dict) and NAV_SECTION in entry:
            section: list[Any] = entry[NAV_SECTION]
            listed = {v for item in section if isinstance(item, dict) for v in item.values()}
            listed |= {item for item in section if isinstance(item, str)}
            section.extend(
                {versions[-1].authority: _page(versions)}
                for versions in _councils
                if _page(versions) not in listed
            )
            return config
    raise PluginError(f"mkdocs.yml has no nav section {NAV_SECTION!r} for the council pages")


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Add the councils' index page and one page per council, generated from the data."""
    pages = [_page(versions) for versions in _councils]
    links = [page.removeprefix(FOLDER + "/") for page in pages]
    files.append(
        File.generated(config, f"{FOLDER}/index.md", content=councils_index(_councils, links))
    )
    for versions, page in zip(_councils, pages, strict=True):
        files.append(File.generated(config, page, content=council_page(versions)))
    return files
