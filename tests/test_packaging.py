"""The five distributions as pip users get them: licence, metadata, links, and lean archives.

The wheels are also installed and run outside the repository by ``.ci/wheel_smoke.py``; this
module checks what can be read from the project files and the built archives.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

import qaframework

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted(p for p in (ROOT / "profiles").iterdir() if (p / "pyproject.toml").is_file())
PROJECTS = [ROOT, *PROFILES]
IDS = ["core", *(p.name for p in PROFILES)]
MIT_PARAGRAPHS = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy",
    "The above copyright notice and this permission notice shall be included in all",
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR',
)
URL_KEYS = {"Homepage", "Documentation", "Source", "Issues", "Changelog"}


def metadata(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    return data


def test_the_licence_is_the_whole_mit_text() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} qaframework developers$", text, re.M)
    for paragraph in MIT_PARAGRAPHS:
        assert paragraph in text
    assert len(text.split()) > 150


@pytest.mark.parametrize("project", PROJECTS, ids=IDS)
def test_every_distribution_ships_the_licence(project: Path) -> None:
    assert (project / "LICENSE").read_text("utf-8") == (ROOT / "LICENSE").read_text("utf-8")
    meta = metadata(project)["project"]
    assert meta["license"] == "MIT"
    assert meta["license-files"] == ["LICENSE"]


@pytest.mark.parametrize("project", PROJECTS, ids=IDS)
def test_every_distribution_has_project_urls_and_typed_classifiers(project: Path) -> None:
    meta = metadata(project)["project"]
    assert set(meta["urls"]) == URL_KEYS
    core_home = metadata(ROOT)["project"]["urls"]["Homepage"]
    assert meta["urls"]["Homepage"] == core_home
    for url in meta["urls"].values():
        assert url.startswith(core_home)
    assert "Typing :: Typed" in meta["classifiers"]
    assert meta["authors"] == [{"name": "qaframework developers"}]
    (package,) = (project / "src").iterdir() if project != ROOT else [ROOT / "src/qaframework"]
    assert (package / "py.typed").is_file()


@pytest.mark.parametrize("project", PROFILES, ids=IDS[1:])
def test_a_profile_names_a_range_of_qaframework_and_a_testing_extra(project: Path) -> None:
    meta = metadata(project)["project"]
    core = Version(qaframework.__version__)
    (requirement,) = (Requirement(r) for r in meta["dependencies"])
    assert requirement.name == "qaframework"
    assert core in requirement.specifier.filter([core], prereleases=True)
    upper = [s for s in requirement.specifier if s.operator == "<"]
    assert upper, f"{project.name}: no upper bound on qaframework"
    assert Version(f"{core.major}.{core.minor + 1}") not in requirement.specifier
    (testing,) = (Requirement(r) for r in meta["optional-dependencies"]["testing"])
    assert testing.name == "qaframework"
    assert testing.extras == {"testing"}
    assert testing.specifier == requirement.specifier


_LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.mark.parametrize("project", PROJECTS, ids=IDS)
def test_a_readme_links_only_to_addresses_that_work_on_pypi(project: Path) -> None:
    # PyPI shows the README alone: a link relative to the repository leads nowhere there.
    readme = (project / "README.md").read_text("utf-8")
    for target in _LINK.findall(readme):
        assert target.startswith(("https://", "#")), f"{project.name}/README.md: {target}"


def test_the_readme_quick_start_is_two_commands_and_install_comes_next() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    sections = dict(re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", readme, re.S | re.M))
    titles = list(sections)
    assert titles[titles.index("Quick start") + 1] == "Install"
    (quick,) = re.findall(r"```bash\n(.*?)```", sections["Quick start"], re.S)
    assert quick.splitlines() == ["python3 dev.py demo", "python3 dev.py test"]
    install = sections["Install"]
    assert install.index("pip install qaframework qaframework-") < install.index("clone")


def test_getting_started_shows_pip_first_and_the_repository_second() -> None:
    page = (ROOT / "docs" / "getting-started.md").read_text("utf-8")
    assert page.index("pip install qaframework qaframework-") < page.index("python3 dev.py demo")


@pytest.mark.parametrize("page", ["README.md", "docs/getting-started.md"])
def test_the_install_pages_name_every_extra_the_core_declares(page: str) -> None:
    # A user choosing extras reads them here: one left out is a feature they never find.
    extras = metadata(ROOT)["project"]["optional-dependencies"]
    text = (ROOT / page).read_text("utf-8")
    missing = [name for name in extras if f"`qaframework[{name}]`" not in text]
    assert not missing, f"{page} does not name the extras {missing}"


def build(project: Path, out: Path) -> tuple[Path, Path]:
    hatchling = Path(sys.executable).parent / "hatchling"
    subprocess.run(
        [str(hatchling), "build", "-d", str(out)],
        cwd=project,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


@pytest.mark.parametrize("project", PROJECTS, ids=IDS)
def test_the_archives_hold_the_licence_and_nothing_from_the_working_tree(
    project: Path, tmp_path: Path
) -> None:
    wheel, sdist = build(project, tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.endswith("/py.typed") for n in names)
    if project == ROOT:
        # The JSON Schemas are package data (qaframework.profiles.schema.shipped_schema).
        for schema in ("profile.schema.json", "audit.schema.json"):
            assert f"qaframework/profiles/schemas/{schema}" in names
    with tarfile.open(sdist) as archive:
        members = [m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name]
    assert "LICENSE" in members
    top = {m.split("/")[0] for m in members}
    allowed = {"src", "README.md", "LICENSE", "pyproject.toml", "PKG-INFO", ".gitignore"}
    allowed |= {"CHANGELOG.md"} if project == ROOT else {"tests"}
    assert top <= allowed, top - allowed
    for member in members:
        parts = set(member.split("/"))
        assert not parts & {"__pycache__", ".venv", ".pytest_cache", ".hypothesis"}, member
        assert not member.endswith(".pyc"), member
