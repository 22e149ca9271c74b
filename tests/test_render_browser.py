"""The HTML outputs opened in headless Chromium (Debian's ``chromium``) through Playwright.

Each page must load with no console error, no script error and no request for anything
outside itself, and show its charts (inline SVG with a size). The test is skipped where
Chromium is not installed, unless ``QAFRAMEWORK_REQUIRE_BROWSER=1`` (as in CI, after
``.ci/services.sh`` installs it): then a missing browser fails it. Playwright never
downloads a browser here; it drives the one installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qaframework.demo.synthetic import generate
from qaframework.engine.periods import Period
from qaframework.engine.report import CycleReport, build_cycle_report, child_level_detail
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.render import (
    html_fragment,
    render_child_level,
    render_comparison,
    render_report,
)

REQUIRED = os.environ.get("QAFRAMEWORK_REQUIRE_BROWSER") == "1"
ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAY = Period.month(2026, 5)
AS_OF = date(2026, 6, 15)


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"QAFRAMEWORK_REQUIRE_BROWSER=1, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("Chromium is not installed (.ci/services.sh installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGUMENTS)
        try:
            yield launched
        finally:
            launched.close()


class _Visit:
    """A page opened from a file, with every console error, script error and request for
    anything but the file itself recorded (and such requests refused)."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.problems: list[str] = []
        self.page = browser.new_page(viewport={"width": 1100, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        url = path.as_uri()

        def route(request_route: Any) -> None:
            if request_route.request.url == url:
                request_route.continue_()
            else:
                self.problems.append(f"request for {request_route.request.url}")
                request_route.abort()

        self.page.route("**/*", route)
        self.page.goto(url, wait_until="load")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def charts(self) -> list[dict[str, float]]:
        """The size of each inline chart."""
        boxes: list[dict[str, float]] = self.page.eval_on_selector_all(
            "figure.qaf-chart svg",
            "nodes => nodes.map(n => { const r = n.getBoundingClientRect();"
            " return {width: r.width, height: r.height}; })",
        )
        return boxes


@pytest.fixture(scope="module")
def report(example_profile: Profile, calendar: WorkingCalendar) -> CycleReport:
    data = generate(example_profile, date(2026, 1, 5), date(2026, 5, 31), seed=11)
    return build_cycle_report(data.audits, example_profile, MAY, as_of=AS_OF, calendar=calendar)


def test_the_report_page_loads_cleanly_with_its_charts(
    browser: Any, report: CycleReport, tmp_path: Path
) -> None:
    (path,) = render_report(report, "html", tmp_path)
    visit = _Visit(browser, path)
    assert visit.problems == []
    boxes = visit.charts()
    assert len(boxes) == 2
    assert all(box["width"] > 200 and box["height"] > 100 for box in boxes), boxes
    page = visit.page
    assert page.locator("script").count() == 0
    titles = page.eval_on_selector_all("figure.qaf-chart svg > title", "ns => ns.map(n => n.id)")
    assert len(titles) == 2
    tables = page.locator("table").count()
    assert tables > 5
    assert page.locator("table > caption").count() == tables
    assert page.get_by_role("heading", name="Summary").count() == 1
    assert page.get_by_role("img").count() == 2
    # Printed, the charts keep their size and the page makes a PDF.
    page.emulate_media(media="print")
    assert all(box["width"] > 200 and box["height"] > 100 for box in visit.charts())
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.close()


def test_the_child_level_page_is_marked_at_top_and_bottom(
    browser: Any,
    example_profile: Profile,
    calendar: WorkingCalendar,
    tmp_path: Path,
) -> None:
    data = generate(example_profile, date(2026, 3, 1), date(2026, 5, 31), seed=11)
    detail = child_level_detail(data.audits, example_profile, MAY, as_of=AS_OF, calendar=calendar)
    (path,) = render_child_level(detail, "html", tmp_path)
    visit = _Visit(browser, path)
    assert visit.problems == []
    markings = visit.page.locator(".qaf-marking")
    assert markings.all_inner_texts() == ["OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"]
    top = markings.first.bounding_box()
    bottom = markings.last.bounding_box()
    heading = visit.page.locator("h1").bounding_box()
    assert top is not None
    assert bottom is not None
    assert heading is not None
    assert top["y"] < heading["y"] < bottom["y"]
    assert visit.page.title().startswith("OFFICIAL-SENSITIVE: ")
    visit.page.close()


def test_the_comparison_page_loads_cleanly(
    browser: Any, report: CycleReport, tmp_path: Path
) -> None:
    (path,) = render_comparison([report, report], "html", tmp_path)
    visit = _Visit(browser, path)
    assert visit.problems == []
    assert visit.page.locator("table > caption").all_inner_texts() == [
        "Audits by council and ILACS judgement"
    ]
    visit.page.close()


def test_the_notebook_view_styles_only_itself(
    browser: Any, report: CycleReport, tmp_path: Path
) -> None:
    path = tmp_path / "notebook.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Notebook</title>'
        '</head><body><p id="outside">A notebook cell</p>'
        f"{html_fragment(report)}</body></html>",
        encoding="utf-8",
    )
    visit = _Visit(browser, path)
    assert visit.problems == []
    assert len(visit.charts()) == 2
    outside = visit.page.eval_on_selector("#outside", "n => getComputedStyle(n).maxWidth")
    inside = visit.page.eval_on_selector(".qaf-report p", "n => getComputedStyle(n).maxWidth")
    assert outside == "none"
    assert inside != "none"
    visit.page.close()
