"""Report outputs: Markdown, HTML, JSON, CSV, XLSX and charts, checked on a report built from
hand-made audits whose published figures are worked out below by hand.

May 2026 (the period), 24 audits of the example profile:

==========  =========  =====  ==  ==  ==  =====
team        area       O      G   RI  I   total
==========  =========  =====  ==  ==  ==  =====
Alpha       SAFE       0      8   6   0   14
Beta        CIC        1      7   0   2   10
all                    1      15  6   2   24
==========  =========  =====  ==  ==  ==  =====

so the published team table shows Alpha's 8, 6 and 14, Beta's 7 and 10, the totals 15, 6
and 24, and ``c`` for Beta's Outstanding (1) and Inadequate (2) and for their column totals.
April has 13 audits (G 7, RI 6), March 8 (G 8). Each audit judges assessment at its overall
grade; May's planning judgements are O 3, G 10, RI 6, I 5 (see :func:`hand_audits`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaframework.engine.audits import Audit, AuditAction, Judgement, ModerationRecord, check_audit
from qaframework.engine.periods import Period
from qaframework.engine.report import (
    ChildLevelDetail,
    CycleReport,
    CycleReportError,
    NotePublication,
    PublishedComparison,
    PublishedCycleReport,
    build_cycle_report,
    child_level_detail,
    compare_authorities,
)
from qaframework.engine.suppression import SuppressionPolicy
from qaframework.policy.actions import ActionStatus
from qaframework.policy.escalation import Concern
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.profiles.converter import from_dict
from qaframework.render import (
    MARKING_LINE,
    REPORT_FORMATS,
    RenderError,
    html_fragment,
    render_child_level,
    render_comparison,
    render_report,
    report_charts,
)
from qaframework.render._document import Missing

MAY = Period.month(2026, 5)
AS_OF = date(2026, 6, 15)
OUT, G, RI, INAD = "outstanding", "good", "requires_improvement", "inadequate"
SAFE, CIC = "Safeguarding", "Children in care"
SEEN_ALONE = "Child seen alone"
NAMED_NOTE = "The plan for CHILD-R0020 is not SMART"
STEM = "qa-report-exampleshire-2026-05"


def _audit(
    number: int,
    day: date,
    grade: str,
    planning: str,
    *,
    team: str,
    area: str,
    strengths: str | None = None,
    would_improve: str | None = None,
    **fields: object,
) -> Audit:
    return Audit(
        id=f"AUD-R{number:03d}",
        child_id=f"CHILD-R{number:04d}",
        activity="case_file_audit",
        audit_date=day,
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade=grade,
        team=team,
        service_area=area,
        judgements=(
            Judgement("assessment", grade, strengths=strengths),
            Judgement("planning", planning, would_improve=would_improve),
        ),
        **fields,  # type: ignore[arg-type]
    )


def hand_audits(*, beta_outstanding: int = 1) -> list[Audit]:
    """The audits of the module docstring. ``beta_outstanding`` 2 turns one of Beta's
    Inadequate audits Outstanding (its judgements unchanged): only suppressed counts move."""
    audits: list[Audit] = []
    number = 0

    def add(day: date, grade: str, planning: str, team: str, area: str, **fields: object) -> None:
        nonlocal number
        number += 1
        audits.append(_audit(number, day, grade, planning, team=team, area=area, **fields))  # type: ignore[arg-type]

    may = [date(2026, 5, d) for d in range(4, 29)]
    # Alpha: Good x8 (planning Good x5, Requires improvement x2, Inadequate x1),
    # Requires improvement x6 (planning Requires improvement x4, Inadequate x2).
    for i in range(8):
        planning = G if i < 5 else RI if i < 7 else INAD
        add(may[i], G, planning, "Alpha", SAFE, strengths=SEEN_ALONE)
    for i in range(6):
        add(may[i], RI, RI if i < 4 else INAD, "Alpha", SAFE)
    # Beta: Outstanding x1, Good x7 (planning Outstanding x2, Good x5), Inadequate x2.
    add(may[10], OUT, OUT, "Beta", CIC)
    for i in range(7):
        add(may[11 + i], G, OUT if i < 2 else G, "Beta", CIC)
    overdue = AuditAction("ACT-1", "Update the plan", "sw1", date(2026, 6, 1))
    done = AuditAction(
        "ACT-2", "Visit", "sw1", date(2026, 5, 30), None, ActionStatus.DONE, date(2026, 5, 29)
    )
    add(
        may[20],
        INAD,
        INAD,
        "Beta",
        CIC,
        would_improve=NAMED_NOTE,
        moderations=(
            ModerationRecord(
                "hos1", "head_of_service", INAD, ModerationOutcome.AGREE, date(2026, 5, 27)
            ),
        ),
        actions=(overdue, done),
    )
    add(
        may[21],
        OUT if beta_outstanding == 2 else INAD,
        INAD,
        "Beta",
        CIC,
        concerns=(Concern.URGENT_SAFETY,),
    )
    for i in range(13):
        add(date(2026, 4, 6 + i), G if i < 7 else RI, G, "Alpha", SAFE)
    for i in range(8):
        add(date(2026, 3, 9 + i), G, G, "Alpha", SAFE)
    return audits


@pytest.fixture(scope="module")
def audits() -> list[Audit]:
    return hand_audits()


@pytest.fixture(scope="module")
def report(example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]) -> CycleReport:
    return build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )


@pytest.fixture(scope="module")
def detail(
    example_profile: Profile, calendar: WorkingCalendar, audits: list[Audit]
) -> ChildLevelDetail:
    return child_level_detail(audits, example_profile, MAY, as_of=AS_OF, calendar=calendar)


@pytest.fixture(scope="module")
def written(report: CycleReport, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return render_report(report, "all", tmp_path_factory.mktemp("report"))


def _child_ids(audits: list[Audit]) -> list[bytes]:
    return [a.child_id.encode() for a in audits]


def _contents(path: Path) -> list[bytes]:
    """A file's bytes, and for a zip (XLSX) each member's, so that compressed text is
    searched too."""
    data = path.read_bytes()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(name) for name in archive.namelist()]
    return [data]


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8"))))


def _row(rows: list[list[str]], label: str) -> list[str]:
    return next(row for row in rows if row and row[0] == label)


def test_the_hand_audits_are_valid(example_profile: Profile, audits: list[Audit]) -> None:
    for a in audits:
        assert check_audit(a, example_profile) == [], a.id


def test_the_published_figures_are_those_worked_out_by_hand(report: CycleReport) -> None:
    published = report.publishable().by_team.table
    assert published.cells == ((0, 8, 6, 0), (None, 7, 0, None))
    assert published.row_totals == (14, 10)
    assert published.column_totals == (None, 15, 6, None)
    assert published.total == 24


# ---------------------------------------------------------------------------------------------
# Every format: what is written, figures shown, c where suppressed, no child id
# ---------------------------------------------------------------------------------------------


def test_every_format_is_written_under_stable_names(written: list[Path]) -> None:
    names = [p.relative_to(written[0].parent).as_posix() for p in written]
    assert names[:4] == [
        f"{STEM}.md",
        f"{STEM}-grades-by-standard.svg",
        f"{STEM}-trend.svg",
        f"{STEM}.html",
    ]
    assert f"{STEM}.json" in names
    assert f"{STEM}.xlsx" in names
    assert f"{STEM}-csv/grades-by-team.csv" in names
    assert f"{STEM}-csv/notes.csv" in names
    assert names[-2:] == [f"{STEM}-grades-by-standard.png", f"{STEM}-trend.png"]
    assert len(names) == len(set(names))
    assert all(p.stat().st_size > 0 for p in written)
    assert REPORT_FORMATS == ("md", "html", "json", "csv", "xlsx", "charts")


def test_the_report_command_offers_the_formats_the_renderers_write() -> None:
    # The command spells them out so that its parser is built without the renderers.
    from qaframework.cli import report_cmd
    from qaframework.render import CHILD_LEVEL_FORMATS

    assert report_cmd.FORMATS == REPORT_FORMATS
    assert report_cmd.CHILD_LEVEL_FORMATS == CHILD_LEVEL_FORMATS


def test_no_aggregate_output_holds_a_child_id(written: list[Path], audits: list[Audit]) -> None:
    ids = _child_ids(audits)
    for path in written:
        for content in _contents(path):
            found = [child for child in ids if child in content]
            assert not found, (path.name, found)


def test_the_search_for_child_ids_would_find_them(
    detail: ChildLevelDetail, audits: list[Audit], tmp_path: Path
) -> None:
    # The same search finds the ids where they belong, in XLSX too.
    paths = render_child_level(detail, "all", tmp_path)
    for path in paths:
        if path.name == "notes.csv":
            continue
        assert any(b"CHILD-R0023" in content for content in _contents(path)), path.name


def test_markdown_shows_figures_and_c(written: list[Path]) -> None:
    text = written[0].read_text("utf-8")
    assert text.startswith("# Quality assurance report: Exampleshire")
    assert "| Alpha | 0 | 8 | 6 | 0 | 14 | 57% (33% to 79%) |" in text
    assert "| Beta | c | 7 | 0 | c | 10 | c |" in text
    assert "| **All teams** | **c** | **15** | **6** | **c** | **24** | **c** |" in text
    assert "counts from 1 to 5 are shown as c" in text
    assert f"]({STEM}-grades-by-standard.svg " in text
    # Learning themes are counts: no note's words, and no note naming a child, is published.
    assert SEEN_ALONE not in text
    assert "[child id]" not in text.replace("\\[child id\\]", "[child id]")
    assert "The notes themselves are free text" in text
    assert "NOT FOR PUBLICATION" not in text
    assert "OFFICIAL-SENSITIVE" not in text.replace("marked OFFICIAL-SENSITIVE", "")


def test_notes_are_published_only_when_the_council_opts_in(
    report: CycleReport, audits: list[Audit], tmp_path: Path
) -> None:
    opted_in = NotePublication(child_id_pattern=r"CHILD-?R[0-9]{4}")
    published = report.publishable(notes=opted_in)
    paths = render_report(published, ["md", "html", "json", "csv", "xlsx"], tmp_path, charts=False)
    markdown = paths[0].read_text("utf-8")
    assert SEEN_ALONE in markdown
    assert "Published at the council's request (an opt-in)" in markdown
    assert "The plan for \\[child id\\] is not SMART" in markdown
    directory = tmp_path / f"{STEM}-csv"
    themes = _csv(directory / "learning-notes.csv")
    assert ["Assessment", "Strength", SEEN_ALONE, "8"] in themes
    assert any("[child id]" in row[2] for row in themes[1:])
    notes = _csv(directory / "notes.csv")
    assert _row(notes, "Learning notes")[1].startswith("Published at the council's request")
    data = json.loads(paths[2].read_text("utf-8"))
    assert data["notes"] == {"child_id_pattern": "CHILD-?R[0-9]{4}"}
    ids = _child_ids(audits)
    for path in paths:
        for content in _contents(path):
            assert not [child for child in ids if child in content], path.name


class _Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.cells: list[tuple[str, str]] = []
        self.captions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "caption" in self.stack:
            self.captions.append(data)
        for tag in ("td", "th"):
            if tag in self.stack:
                self.cells.append((tag, data))


def _page(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_html_is_self_contained_and_accessible(written: list[Path]) -> None:
    html = written[3].read_text("utf-8")
    page = _page(written[3])
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags
    assert "link" not in tags
    assert not [a for _, a in page.tags if "src" in a]
    # Only same-page references: no stylesheet, font or image from elsewhere.
    assert not re.search(r"url\((?!#)", html)
    assert "@import" not in html
    assert tags.count("table") == tags.count("caption") > 5
    assert all(a.get("scope") in ("col", "row") for tag, a in page.tags if tag == "th")
    svgs = [a for tag, a in page.tags if tag == "svg"]
    assert len(svgs) == 2
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert tags.count("title") == 3  # the page's, and one per chart
    assert html.count("<desc id=") == 2
    assert "@media print" in html
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    assert ("td", "c") in page.cells
    assert ("th", "Alpha") in page.cells
    assert "Audits by team and grade" in page.captions


def test_html_fragment_for_a_notebook(report: CycleReport, audits: list[Audit]) -> None:
    fragment = html_fragment(report)
    assert fragment.startswith('<div class="qaf-report">')
    assert fragment == html_fragment(report.publishable())
    assert fragment.count("<svg") == 2
    style = fragment[fragment.index("<style>") + 7 : fragment.index("</style>")]
    # Every rule is scoped to the report, so a notebook's own page is untouched.
    selectors = re.findall(r"(?:^|})\s*([^{}@]+)\{", style)
    assert selectors
    assert all(part.strip().startswith(".qaf-report") for s in selectors for part in s.split(","))
    for child in audits:
        assert child.child_id not in fragment
    assert "<svg" not in html_fragment(report, charts=False)


def test_the_notebook_view_is_a_summary_of_the_published_view(
    report: CycleReport, audits: list[Audit]
) -> None:
    summary = report._repr_html_()
    assert summary == report.publishable()._repr_html_()
    assert summary.startswith('<div class="qaframework-report">')
    published = report.publishable()
    text = re.sub(r"<[^>]+>", " ", summary)
    assert f"cycle report for {report.period.label}" in text
    assert "html_fragment(report)" in text
    # The period's grades as published: each count, or the marker where suppressed.
    cells = re.findall(r"<td>([^<]*)</td>", summary)
    row = published.overall.table.cells[0]
    shown = [cells[i + 1] for i in range(0, len(cells), 2)]
    assert shown == [published.policy.marker if c is None else f"{c:,}" for c in row]
    assert "<svg" not in summary
    assert "<script" not in summary
    for child in audits:
        assert child.child_id not in summary


def test_json_is_the_published_view(written: list[Path], report: CycleReport) -> None:
    data = json.loads((written[0].parent / f"{STEM}.json").read_text("utf-8"))
    assert next(iter(data)) == "policy"
    assert data["policy"] == {"enabled": True, "threshold": 5, "marker": "c"}
    assert from_dict(PublishedCycleReport, data) == report.publishable()
    assert data["by_team"]["table"]["cells"] == [[0, 8, 6, 0], [None, 7, 0, None]]


def test_csv_one_file_per_table(written: list[Path]) -> None:
    directory = written[0].parent / f"{STEM}-csv"
    rows = _csv(directory / "grades-by-team.csv")
    assert rows[0] == [
        "Team",
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
        "Total",
        "Good or better",
        "Good or better: lower",
        "Good or better: upper",
    ]
    assert _row(rows, "Alpha") == ["Alpha", "0", "8", "6", "0", "14", "0.5714", "0.3259", "0.7862"]
    assert _row(rows, "Beta") == ["Beta", "c", "7", "0", "c", "10", "c", "c", "c"]
    assert _row(rows, "All teams")[:6] == ["All teams", "c", "15", "6", "c", "24"]
    summary = _csv(directory / "summary.csv")
    assert _row(summary, "Audits in the period")[1] == "24"
    notes = _csv(directory / "notes.csv")
    assert notes[0] == ["Item", "Detail"]
    assert _row(notes, "Suppression")[1].startswith("Counts from 1 to 5 are shown as c.")
    assert _row(notes, "Source")[1].startswith("Computed by qaframework")
    assert not (directory / "learning-notes.csv").exists()
    themes = _csv(directory / "learning-themes.csv")
    assert themes[0][-2:] == ["With a strength noted", "With what would have made it better"]
    assert _row(notes, "Learning notes")[1].startswith("Not published")


def test_xlsx_reads_back(written: list[Path]) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(written[0].parent / f"{STEM}.xlsx")
    assert workbook.sheetnames[0] == "Notes"
    assert "grades-by-team" in workbook.sheetnames
    sheet = workbook["grades-by-team"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Audits by team and grade"
    header = rows.index(next(r for r in rows if r[0] == "Team"))
    alpha = next(r for r in rows if r[0] == "Alpha")
    beta = next(r for r in rows if r[0] == "Beta")
    assert alpha[:6] == ["Alpha", 0, 8, 6, 0, 14]
    assert beta[:6] == ["Beta", "c", 7, 0, "c", 10]
    assert isinstance(alpha[2], int)
    assert rows[header][6:9] == ["Good or better", "Good or better: lower", "Good or better: upper"]
    notes = [list(row) for row in workbook["Notes"].iter_rows(values_only=True)]
    items = {row[0]: row[1] for row in notes if row[0]}
    assert str(items["Suppression"]).startswith("Counts from 1 to 5 are shown as c.")
    assert str(items["Source"]).startswith("Computed by qaframework")
    assert "grades-by-team" in items
    assert workbook.properties.created is not None
    assert workbook.properties.created.date() == AS_OF
    trend = [list(row) for row in workbook["trend"].iter_rows(values_only=True)]
    march = next(r for r in trend if r[0] == "2026-03")
    assert march[:6] == ["2026-03", 0, 8, 0, 0, 8]
    assert march[6] == 1.0
    assert workbook["trend"].cell(trend.index(march) + 1, 7).number_format == "0.0%"


def test_charts_are_drawn_and_mark_suppression(report: CycleReport) -> None:
    charts = {c.key: c for c in report_charts(report.publishable(), png=True)}
    assert list(charts) == ["grades-by-standard", "trend"]
    for chart in charts.values():
        assert chart.svg.startswith("<?xml")
        assert chart.png is not None
        assert chart.png.startswith(b"\x89PNG")
        assert chart.description
    by_standard = charts["grades-by-standard"]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", by_standard.svg)
    # Planning: Good 12 of 24 shown; Outstanding, Requires improvement and Inadequate
    # (3, 4, 5) hidden together as one hatched "c". Assessment's hidden counts add to 3,
    # itself small: no bar, only the marker.
    assert "c" in texts
    assert "c: counts suppressed" in texts
    assert "c: suppressed" in texts
    assert "url(#h" in by_standard.svg  # a hatch pattern
    assert "No bar is drawn for Assessment" in by_standard.description
    trend = charts["trend"]
    assert "2026-03 100% (68% to 100%)" in trend.description
    assert "2026-05 c" in trend.description


def _svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_charts_are_what_saving_their_figures_gives(report: CycleReport) -> None:
    # Each chart is laid out once for both files; that changes nothing drawn: the PNG is
    # byte for byte what matplotlib's own savefig writes for the figure (its layout engine
    # on), and the SVG has the same text, in the same order, and the same description.
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from qaframework.render import _charts

    published = report.publishable()
    charts = report_charts(published, png=True)
    with matplotlib.rc_context(_charts._STYLE):
        figures = _charts._figures(published)
        for chart, drawn in zip(charts, figures, strict=True):
            FigureCanvasAgg(drawn.figure)
            assert drawn.figure.get_layout_engine() is not None
            png = io.BytesIO()
            drawn.figure.savefig(
                png, format="png", dpi=150, metadata={"Software": None, "Title": drawn.title}
            )
            svg = io.BytesIO()
            drawn.figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
            assert chart.png == png.getvalue()
            assert _svg_texts(chart.svg) == _svg_texts(svg.getvalue().decode("utf-8"))
            assert chart.key == drawn.key
            assert chart.description == drawn.description
            assert f"<desc>{escape(drawn.description)}</desc>" in chart.svg


def test_each_chart_is_laid_out_once_for_both_files(
    report: CycleReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    laid_out: list[object] = []
    execute = ConstrainedLayoutEngine.execute

    def counting(self: ConstrainedLayoutEngine, figure: object) -> object:
        laid_out.append(figure)
        return execute(self, figure)  # type: ignore[arg-type]

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counting)
    charts = report_charts(report.publishable(), png=True)
    assert all(chart.png for chart in charts)
    assert len(laid_out) == len(set(map(id, laid_out))) == len(charts) == 2


def test_a_chart_never_shows_a_withheld_share(report: CycleReport) -> None:
    # May: 16 of 24 good or better (67%), withheld because Outstanding (1) is hidden.
    withheld = {c.key: c for c in report_charts(report.publishable())}["trend"]
    shown = {c.key: c for c in report_charts(report.publishable(SuppressionPolicy.off()))}
    assert ">67%<" not in withheld.svg
    assert ">67%<" in shown["trend"].svg
    assert "n = 24" in withheld.svg


def test_charts_depend_only_on_what_is_published(
    example_profile: Profile, calendar: WorkingCalendar, report: CycleReport
) -> None:
    # Moving an audit between two suppressed cells changes no published figure of the
    # charts, so it changes no byte of them.
    other = build_cycle_report(
        hand_audits(beta_outstanding=2),
        example_profile,
        MAY,
        as_of=AS_OF,
        trend_periods=3,
        calendar=calendar,
    )
    assert other.overall.table.counts != report.overall.table.counts
    assert other.publishable().trend == report.publishable().trend
    first = report_charts(report.publishable(), png=True)
    second = report_charts(other.publishable(), png=True)
    assert first == second


# ---------------------------------------------------------------------------------------------
# Suppression: on by default, off only when asked, and then said
# ---------------------------------------------------------------------------------------------


def test_suppression_off_only_when_asked_and_said(report: CycleReport, tmp_path: Path) -> None:
    paths = render_report(
        report, ["md", "html", "json", "csv", "xlsx"], tmp_path, suppression=SuppressionPolicy.off()
    )
    stem = f"{STEM}-not-for-publication"
    assert paths[0].name == f"{stem}.md"
    markdown = paths[0].read_text("utf-8")
    assert "> **NOT FOR PUBLICATION: small-number suppression is off" in markdown
    assert "| Beta | 1 | 7 | 0 | 2 | 10 |" in markdown
    assert "NOT FOR PUBLICATION" in (tmp_path / f"{stem}.html").read_text("utf-8")
    data = json.loads((tmp_path / f"{stem}.json").read_text("utf-8"))
    assert data["policy"]["enabled"] is False
    notes = _csv(tmp_path / f"{stem}-csv" / "notes.csv")
    assert _row(notes, "Notice")[1].startswith("NOT FOR PUBLICATION")
    from openpyxl import load_workbook

    first = [row[0] for row in load_workbook(tmp_path / f"{stem}.xlsx")["Notes"].values]
    assert any(str(cell).startswith("NOT FOR PUBLICATION") for cell in first)


def test_another_threshold(report: CycleReport, tmp_path: Path) -> None:
    # Only ones suppressed: Beta's two Inadequate audits are hidden with the one Outstanding.
    (path,) = render_report(
        report, "md", tmp_path, charts=False, suppression=SuppressionPolicy(threshold=1)
    )
    text = path.read_text("utf-8")
    assert "counts from 1 to 1 are shown as c" in text
    assert "| Beta | c | 7 | 0 | c | 10 |" in text


def test_a_published_view_is_written_as_it_is(report: CycleReport, tmp_path: Path) -> None:
    published = report.publishable(SuppressionPolicy.off())
    (path,) = render_report(published, "json", tmp_path)
    assert path.name == f"{STEM}-not-for-publication.json"
    assert from_dict(PublishedCycleReport, json.loads(path.read_text("utf-8"))) == published
    with pytest.raises(RenderError, match="already published"):
        render_report(published, "json", tmp_path, suppression=SuppressionPolicy())


def test_unknown_formats_and_no_format(
    report: CycleReport, detail: ChildLevelDetail, tmp_path: Path
) -> None:
    with pytest.raises(RenderError, match="unknown output format 'pdf'"):
        render_report(report, ["md", "pdf"], tmp_path)
    with pytest.raises(RenderError, match="no output format"):
        render_report(report, [], tmp_path)
    with pytest.raises(RenderError, match="unknown output format 'charts'"):
        render_child_level(detail, "charts", tmp_path)


def test_without_charts(report: CycleReport, tmp_path: Path) -> None:
    paths = render_report(report, ["md", "html"], tmp_path, charts=False)
    assert [p.suffix for p in paths] == [".md", ".html"]
    assert "<svg" not in paths[1].read_text("utf-8")
    assert ".svg" not in paths[0].read_text("utf-8")


def test_the_same_files_whatever_the_figures(
    example_profile: Profile, written: list[Path], tmp_path: Path
) -> None:
    # A month with no audits has every table (some empty) and both charts: a script that
    # reads the files can count on them.
    empty = build_cycle_report([], example_profile, MAY, as_of=AS_OF, escalations=())
    paths = render_report(empty, "all", tmp_path)
    names = [p.relative_to(tmp_path).as_posix() for p in paths]
    assert names == [p.relative_to(written[0].parent).as_posix() for p in written]
    for path in paths:
        if path.suffix == ".csv":
            same = written[0].parent / path.relative_to(tmp_path)
            assert _csv(path)[0] == _csv(same)[0], path.name
    markdown = paths[0].read_text("utf-8")
    assert "No practice standard was judged in the period." in markdown
    from openpyxl import load_workbook

    full = load_workbook(written[0].parent / f"{STEM}.xlsx").sheetnames
    assert load_workbook(tmp_path / f"{STEM}.xlsx").sheetnames == full


def test_charts_without_matplotlib(
    report: CycleReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    with pytest.raises(RenderError, match=r"qaframework\[charts\]"):
        render_report(report, "html", tmp_path)
    (path,) = render_report(report, "html", tmp_path, charts=False)
    assert "<svg" not in path.read_text("utf-8")
    # A notebook's fragment shows the report without charts rather than fail.
    assert "<svg" not in html_fragment(report)


# ---------------------------------------------------------------------------------------------
# Deterministic
# ---------------------------------------------------------------------------------------------


def test_rendering_twice_gives_the_same_bytes(
    report: CycleReport, detail: ChildLevelDetail, tmp_path: Path
) -> None:
    for run in ("first", "second"):
        render_report(report, "all", tmp_path / run)
        render_child_level(detail, "all", tmp_path / run)
        render_comparison([report, _elsewhere(report)], "all", tmp_path / run)
    first = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*"))
    second = sorted(p.relative_to(tmp_path / "second") for p in (tmp_path / "second").rglob("*"))
    assert first == second
    for name in first:
        path = tmp_path / "first" / name
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "second" / name).read_bytes(), name


# ---------------------------------------------------------------------------------------------
# Child-level detail: separate, every output marked OFFICIAL-SENSITIVE
# ---------------------------------------------------------------------------------------------


def test_child_level_outputs_are_marked(detail: ChildLevelDetail, tmp_path: Path) -> None:
    paths = render_child_level(detail, "all", tmp_path)
    stem = "OFFICIAL-SENSITIVE-child-level-exampleshire-2026-05"
    names = [p.relative_to(tmp_path).as_posix() for p in paths]
    assert names == [
        f"{stem}.md",
        f"{stem}.html",
        f"{stem}.json",
        f"{stem}-csv/escalations.csv",
        f"{stem}-csv/tracker.csv",
        f"{stem}-csv/overdue-actions.csv",
        f"{stem}-csv/learning-notes.csv",
        f"{stem}-csv/notes.csv",
        f"{stem}.xlsx",
    ]
    markdown = paths[0].read_text("utf-8").splitlines()
    assert markdown[0] == markdown[-1] == "**OFFICIAL-SENSITIVE**"
    html = paths[1].read_text("utf-8")
    assert "<title>OFFICIAL-SENSITIVE: Child-level detail" in html
    assert html.count('<p class="qaf-marking">OFFICIAL-SENSITIVE</p>') == 2
    assert html.index("<header>") < html.index("<h1>") < html.index("<footer>")
    assert '@top-center{content:"OFFICIAL-SENSITIVE"' in html
    assert '@bottom-center{content:"OFFICIAL-SENSITIVE"' in html
    data = json.loads(paths[2].read_text("utf-8"))
    assert next(iter(data)) == "marking"
    assert data["marking"] == "OFFICIAL-SENSITIVE"
    assert from_dict(ChildLevelDetail, data) == detail
    for path in paths[3:8]:
        rows = _csv(path)
        assert rows[0] == [MARKING_LINE], path.name
    escalations = _csv(paths[3])
    assert escalations[1][:3] == ["Child", "Audit", "Rule"]
    assert {row[0] for row in escalations[2:]} == {"CHILD-R0023", "CHILD-R0024"}
    tracker = _csv(paths[4])
    assert [row[1] for row in tracker[2:]] == ["CHILD-R0023"]
    overdue = _csv(paths[5])
    assert [(row[0], row[2], row[7]) for row in overdue[2:]] == [("CHILD-R0023", "ACT-1", "14")]
    # The notes themselves, which a published report only counts, are here as written.
    notes = _csv(paths[6])
    assert notes[1] == ["Child", "Audit", "Team", "Practice standard", "Grade", "Kind", "Note"]
    assert (next(row for row in notes[2:] if row[6] == NAMED_NOTE)[:6]) == [
        "CHILD-R0023",
        "AUD-R023",
        "Beta",
        "planning",
        INAD,
        "Would have made it better",
    ]
    assert sum(1 for row in notes[2:] if row[6] == SEEN_ALONE) == 8
    from openpyxl import load_workbook

    workbook = load_workbook(paths[8])
    assert workbook.properties.keywords == "OFFICIAL-SENSITIVE"
    assert workbook.properties.category == "OFFICIAL-SENSITIVE"
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == MARKING_LINE, sheet.title
        assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
        assert sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE"
    escalation_rows = list(workbook["escalations"].values)
    assert escalation_rows[1][0] == "Escalations raised in 2026-05 or open on 15 June 2026"


def test_an_empty_child_level_detail_still_marked(example_profile: Profile, tmp_path: Path) -> None:
    empty = child_level_detail([], example_profile, MAY, as_of=AS_OF, escalations=())
    paths = render_child_level(empty, ["md", "csv"], tmp_path)
    assert "None." in paths[0].read_text("utf-8")
    assert _csv(paths[1])[0] == [MARKING_LINE]


# ---------------------------------------------------------------------------------------------
# Several councils side by side
# ---------------------------------------------------------------------------------------------


def _elsewhere(report: CycleReport) -> CycleReport:
    """The same counts as another council's."""
    return attrs.evolve(report, profile_id="elsewhere", authority="Elsewhere Council")


def test_comparison_in_every_format(report: CycleReport, tmp_path: Path) -> None:
    paths = render_comparison([report, _elsewhere(report)], "all", tmp_path)
    stem = "ilacs-comparison-exampleshire-elsewhere"
    assert [p.name for p in paths] == [
        f"{stem}.md",
        f"{stem}.html",
        f"{stem}.json",
        "comparison.csv",
        "notes.csv",
        f"{stem}.xlsx",
    ]
    markdown = paths[0].read_text("utf-8")
    assert "| Exampleshire County Council | 2026-05 | c | 15 | 6 | c | 24 | c | c |" in markdown
    assert "| Elsewhere Council | 2026-05 | c | 15 | 6 | c | 24 | c | c |" in markdown
    assert "Requires improvement to be good" in markdown
    data = json.loads(paths[2].read_text("utf-8"))
    assert isinstance(from_dict(PublishedComparison, data), PublishedComparison)
    rows = _csv(paths[3])
    assert rows[0][-6:] == [
        "Good or better (own scale)",
        "Good or better (own scale): lower",
        "Good or better (own scale): upper",
        "Outstanding or good (ILACS)",
        "Outstanding or good (ILACS): lower",
        "Outstanding or good (ILACS): upper",
    ]
    assert _page(paths[1]).captions == ["Audits by council and ILACS judgement"]
    shown = render_comparison(
        [report, _elsewhere(report)], "md", tmp_path, suppression=SuppressionPolicy.off()
    )
    text = shown[0].read_text("utf-8")
    assert shown[0].name == f"{stem}-not-for-publication.md"
    share = "67% (47% to 82%)"
    assert f"| Elsewhere Council | 2026-05 | 1 | 15 | 6 | 2 | 24 | {share} | {share} |" in text
    with pytest.raises(RenderError, match="at least one"):
        render_comparison([], "md", tmp_path)
    # The reports as built: a published one is refused, naming it, and nothing is written.
    with pytest.raises(CycleReportError, match="item 1 is a PublishedCycleReport"):
        render_comparison([report, report.publishable()], "md", tmp_path / "refused")
    assert not (tmp_path / "refused").exists()
    with pytest.raises(CycleReportError, match="a CrossAuthorityComparison"):
        render_comparison(compare_authorities([report]), "md", tmp_path)  # type: ignore[arg-type]
    # Any iterable of reports: a generator gives the list's files.
    again = render_comparison((r for r in [report, _elsewhere(report)]), "md", tmp_path / "gen")
    assert again[0].read_text("utf-8") == paths[0].read_text("utf-8")


def test_comparison_holds_no_child_id(
    report: CycleReport, audits: list[Audit], tmp_path: Path
) -> None:
    ids = _child_ids(audits)
    for path in render_comparison([report, _elsewhere(report)], "all", tmp_path):
        for content in _contents(path):
            assert not [child for child in ids if child in content], path.name


# ---------------------------------------------------------------------------------------------
# An adapter at the edge
# ---------------------------------------------------------------------------------------------


def test_importing_the_library_imports_no_renderer_nor_matplotlib() -> None:
    code = (
        "import sys, qaframework\n"
        "from datetime import date\n"
        "qaframework.load_profile('bolton', as_of=date(2026, 6, 1))\n"
        "import qaframework.engine.report\n"
        "before = [m for m in ('qaframework.render', 'matplotlib') if m in sys.modules]\n"
        "import qaframework.render\n"
        "after = [m for m in ('matplotlib', 'openpyxl') if m in sys.modules]\n"
        "print(before, after)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QAFRAMEWORK_CACHE_DIR": ""},
    )
    assert completed.stdout.strip() == "[] []"


@pytest.mark.parametrize("enabled", [True, False])
def test_child_level_leaves_the_collector_as_it_found_it(
    detail: ChildLevelDetail, tmp_path: Path, enabled: bool
) -> None:
    """Child-level detail is written with the cycle collector paused (millions of cells on a
    large export), and the collector is left as it was, after an error too."""
    import gc

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        render_child_level(detail, "csv", tmp_path / "ok")
        assert gc.isenabled() is enabled
        (tmp_path / "blocked").write_text("a file where the folder would go")
        with pytest.raises(FileExistsError):
            render_child_level(detail, "md", tmp_path / "blocked")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


_WORDS = ["Team 1", "meets_good", "=cmd", "a|b", "<b>", "x_y", "BOL-00004", "two  spaces", ""]


@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(_WORDS),
                st.text(max_size=8),
                st.integers(-5, 5),
                st.dates(),
                st.sampled_from(list(Missing)),
            ),
            min_size=2,
            max_size=2,
        ),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
def test_markdown_and_html_tables_write_each_cell_as_alone(
    rows: list[list[Any]], total: bool
) -> None:
    """The table writers make each distinct text's cell once and use it again: every row
    is still what the cell writers make of its values one by one."""
    from qaframework.render._document import Column, Table
    from qaframework.render._html import _cell
    from qaframework.render._html import _table as html_table
    from qaframework.render._markdown import _escape
    from qaframework.render._markdown import _table as markdown_table
    from qaframework.render._text import text

    marker = "c"
    table = Table("t", "A table", (Column("Row"), Column("Value")), tuple(map(tuple, rows)), total)
    lines = markdown_table(table, marker)
    body = lines[4 : 4 + len(rows)]
    for index, (row, line) in enumerate(zip(rows, body, strict=True)):
        cells = [_escape(text(value, marker)) for value in row]
        if total and index == len(rows) - 1:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        assert line == "| " + " | ".join(cells) + " |"
    page = html_table(table, marker)
    for row in rows:
        expected = _cell(row[0], "th", marker, scope="row") + _cell(row[1], "td", marker)
        assert expected in page


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(exclude_categories=["Cs"])), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_child_level_json_is_written_as_the_json_module_would(data: object) -> None:
    """Child-level JSON is made by msgspec, byte for byte what ``json.dumps(indent=2,
    ensure_ascii=False)`` made, for data with no float (child-level detail has none)."""
    from qaframework.render import _json, _json_records

    assert _json_records(data) == _json(data)


def test_child_level_detail_holds_no_float(detail: ChildLevelDetail) -> None:
    """What the child-level JSON writer relies on (floats are written otherwise by it)."""
    from qaframework import to_dict

    def floats(value: object) -> int:
        if isinstance(value, float):
            return 1
        if isinstance(value, dict):
            return sum(map(floats, value.values()))
        if isinstance(value, list | tuple):
            return sum(map(floats, value))
        return 0

    data = to_dict(detail)
    assert data["escalations"]
    assert floats(data) == 0


def test_a_report_is_written_with_the_collector_paused(
    report: CycleReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing matplotlib and openpyxl and drawing the charts make many objects: the
    cycle collector (each of whose full passes walks every object the caller holds) is
    paused while a report's files are written, and left as it was, after an error too."""
    import gc

    import qaframework.render as render

    seen: dict[str, bool] = {}

    def watching(name: str) -> Any:
        real = getattr(render, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            seen[name] = gc.isenabled()
            return real(*args, **kwargs)

        return call

    for name in ("report_charts", "markdown", "xlsx_write", "csv_files"):
        monkeypatch.setattr(render, name, watching(name))
    was = gc.isenabled()
    try:
        gc.enable()
        render_report(report, "all", tmp_path / "ok")
        assert seen == dict.fromkeys(
            ("report_charts", "markdown", "xlsx_write", "csv_files"), False
        )
        assert gc.isenabled()
        (tmp_path / "blocked").write_text("a file where the folder would go")
        with pytest.raises(FileExistsError):
            render_report(report, "md", tmp_path / "blocked")
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("formats", "method"),
    [
        ("all", "spawn"),
        ("all", "fork"),
        (["xlsx", "charts", "json", "md"], "spawn"),
        (["html", "csv"], "fork"),
    ],
)
def test_charts_drawn_by_a_worker_give_the_same_files(
    report: CycleReport,
    tmp_path: Path,
    formats: str | list[str],
    method: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ChartDrawer's worker process (forked or spawned) draws the charts while the other
    files are written: the same files, byte for byte, listed in the same order."""
    pytest.importorskip("matplotlib")
    if method == "fork" and sys.platform != "linux":
        pytest.skip("a worker is forked on Linux only")
    from qaframework.render import ChartDrawer, _charts

    monkeypatch.setattr(_charts, "_start_method", lambda: method)

    here = render_report(report, formats, tmp_path / "here")
    with ChartDrawer() as drawer:
        there = render_report(report, formats, tmp_path / "there", drawer=drawer)
    assert [p.relative_to(tmp_path / "there") for p in there] == [
        p.relative_to(tmp_path / "here") for p in here
    ]
    assert _tree(tmp_path / "there") == _tree(tmp_path / "here")


def test_charts_are_drawn_here_when_the_worker_died(report: CycleReport) -> None:
    """A worker that is gone before or while it draws: the charts are drawn here."""
    pytest.importorskip("matplotlib")
    from qaframework.render import ChartDrawer
    from qaframework.render._charts import report_charts

    published = report.publishable(SuppressionPolicy())
    expected = report_charts(published, png=True)
    with ChartDrawer() as drawer:
        drawer._process.kill()
        drawer._process.join()
        assert drawer.draw(published, png=True).result() == expected
        with pytest.raises(RenderError, match="draws one report"):
            drawer.draw(published, png=True)


def test_a_drawing_error_in_the_worker_is_raised_where_the_charts_are_wanted(
    report: CycleReport,
) -> None:
    """The worker sends back the error drawing raised, which is raised as drawing here
    raises it (not taken for a lost worker and drawn again)."""
    pytest.importorskip("matplotlib")
    from qaframework.render import ChartDrawer
    from qaframework.render._charts import report_charts

    broken = attrs.evolve(report.publishable(SuppressionPolicy()), grades=())
    try:
        report_charts(broken, png=False)
    except Exception as exc:  # whatever drawing raises here
        expected = exc
    else:
        pytest.fail("a report without grades should not draw")
    with ChartDrawer() as drawer:
        drawing = drawer.draw(broken, png=False)
        with pytest.raises(type(expected), match=re.escape(str(expected))):
            drawing.result()


def test_the_chart_worker_is_forked_only_where_that_is_safe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qaframework.render import _charts

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    for name in _charts._THREADED:
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert _charts._start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert _charts._start_method() == "spawn"  # a thread would not follow into the fork
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setitem(sys.modules, "polars", sys)  # polars' pool would not either
    assert _charts._start_method() == "spawn"
    monkeypatch.delitem(sys.modules, "polars")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _charts._start_method() == "spawn"


@pytest.mark.parametrize(
    ("formats", "charts", "drawn"),
    [
        (["md"], True, True),
        (["md", "html"], False, False),
        (["charts"], False, True),
        (["json", "csv", "xlsx"], True, False),
    ],
)
def test_draws_charts_says_when_render_report_draws_them(
    report: CycleReport,
    tmp_path: Path,
    formats: list[str],
    charts: bool,
    drawn: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("matplotlib")
    from qaframework.render import _charts, draws_charts

    calls: list[int] = []
    original = _charts.report_charts

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr("qaframework.render.report_charts", counted)
    render_report(report, formats, tmp_path, charts=charts)
    assert draws_charts(formats, charts=charts) is drawn
    assert bool(calls) is drawn
