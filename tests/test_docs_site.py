"""The documentation site builds with ``mkdocs build --strict``, as ``python3 dev.py docs`` does.

Strict mode fails on any warning: a broken link or anchor, a page missing from the navigation,
an API reference that does not resolve. The build writes into a temporary directory, never
into the repository, and takes a few seconds.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest

import qaframework
from qaframework.render.docs_pages import council_slug

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr, result.stderr
    return out


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_installed_council_has_a_page_in_the_navigation(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    for info in qaframework.available_profiles():
        text = html.unescape(page(site, f"councils/{council_slug(info.id)}"))
        for version in info.versions:
            assert version.name in text
        assert f'href="councils/{council_slug(info.id)}/"' in home
    assert 'class="mermaid"' in page(site, "councils/swindon")


def test_the_api_reference_is_generated_from_the_docstrings(site: Path) -> None:
    grades = page(site, "reference/api/grades")
    assert 'id="qaframework.policy.grades.GradeScale"' in grades
    assert "Whether a grade is at or above the scale" in grades
    # Sphinx-style roles in docstrings become links where the target has a page.
    profile = page(site, "reference/api/profile")
    assert 'href="../registry/#qaframework.profiles.registry.load_profile"' in profile


def test_the_build_leaves_the_docs_folder_alone(site: Path) -> None:
    assert not (REPO / "docs" / "councils").exists()
