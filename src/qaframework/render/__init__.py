"""Report outputs: cycle reports, child-level detail and comparisons written as files.

An adapter at the edge: it writes what :mod:`qaframework.engine.report` computed and computes
no figure of its own. ``import qaframework`` does not import it, and matplotlib (the
``charts`` extra) is imported only when a chart is drawn.

Three functions write files into a directory and return the paths written:

- :func:`render_report` writes a cycle report as Markdown, one self-contained HTML page,
  JSON, CSV (a directory of one file per table), XLSX, and charts (PNG and SVG). It writes
  the **publishable view** (:meth:`~qaframework.engine.report.CycleReport.publishable`):
  counts from 1 to 5 shown as ``c``, with secondary suppression. Only an explicit
  ``suppression=SuppressionPolicy.off()`` writes exact counts, and every output then says
  it is not for publication (as does the file name). No aggregate output holds a child's id.
- :func:`render_child_level` writes :class:`~qaframework.engine.report.ChildLevelDetail`,
  the escalations, tracker and overdue actions naming children: a separate output, asked
  for on its own, every file and page marked OFFICIAL-SENSITIVE.
- :func:`render_comparison` writes several councils side by side on the ILACS crosswalk.

:func:`to_ics` writes a council's QA calendar as iCalendar (:mod:`qaframework.render.calendar`).

:func:`html_fragment` gives the HTML a notebook shows for a report
(``CycleReport._repr_html_``); :func:`report_charts` the charts as SVG text and PNG bytes.

>>> from qaframework.render import render_report
>>> paths = render_report(report, ["html", "xlsx"], "out")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from qaframework.engine._collector import paused_gc
from qaframework.engine.report import (
    ChildLevelDetail,
    CycleReport,
    PublishedComparison,
    PublishedCycleReport,
    publish_comparison,
)
from qaframework.engine.suppression import SuppressionPolicy
from qaframework.profiles.converter import to_dict
from qaframework.render import _html
from qaframework.render._charts import Chart, ChartDrawer, Drawing, report_charts
from qaframework.render._child_level import MARKING_LINE, child_level_document
from qaframework.render._comparison import comparison_document
from qaframework.render._csv import csv_files
from qaframework.render._document import Document
from qaframework.render._errors import RenderError
from qaframework.render._markdown import markdown
from qaframework.render._report import report_document
from qaframework.render._text import slug
from qaframework.render._xlsx import xlsx_write
from qaframework.render.calendar import (
    CalendarEntry,
    CalendarError,
    CalendarPart,
    QACalendar,
    qa_calendar,
    to_ics,
)

__all__ = [
    "CHILD_LEVEL_FORMATS",
    "COMPARISON_FORMATS",
    "MARKING_LINE",
    "REPORT_FORMATS",
    "CalendarEntry",
    "CalendarError",
    "CalendarPart",
    "Chart",
    "ChartDrawer",
    "Drawing",
    "QACalendar",
    "RenderError",
    "draws_charts",
    "html_fragment",
    "qa_calendar",
    "render_child_level",
    "render_comparison",
    "render_report",
    "report_charts",
    "report_stem",
    "to_ics",
]

REPORT_FORMATS = ("md", "html", "json", "csv", "xlsx", "charts")
"""What :func:`render_report` writes; ``"all"`` asks for every one."""

CHILD_LEVEL_FORMATS = ("md", "html", "json", "csv", "xlsx")
"""What :func:`render_child_level` writes; ``"all"`` asks for every one."""

COMPARISON_FORMATS = ("md", "html", "json", "csv", "xlsx")
"""What :func:`render_comparison` writes; ``"all"`` asks for every one."""

_NOT_FOR_PUBLICATION = "-not-for-publication"


def _formats(formats: str | Iterable[str], allowed: Sequence[str]) -> list[str]:
    asked = [formats] if isinstance(formats, str) else list(formats)
    chosen: list[str] = []
    for name in asked:
        names = allowed if name == "all" else (name,)
        for one in names:
            if one not in allowed:
                raise RenderError(f"unknown output format {one!r}: use {', '.join(allowed)} or all")
            if one not in chosen:
                chosen.append(one)
    if not chosen:
        raise RenderError(f"no output format asked for: use {', '.join(allowed)} or all")
    return chosen


def _published(
    report: CycleReport | PublishedCycleReport, suppression: SuppressionPolicy | None
) -> PublishedCycleReport:
    if isinstance(report, PublishedCycleReport):
        if suppression is not None and suppression != report.policy:
            raise RenderError(
                f"this report was already published with {report.policy}: give the "
                "CycleReport to publish it with another suppression policy"
            )
        return report
    return report.publishable(suppression)


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _json_records(data: Any) -> bytes:
    """:func:`_json` of data holding no float (child-level detail: texts, dates as text,
    whole numbers), the same bytes, made by msgspec in C: :mod:`json` writes indented
    output in Python, a few microseconds a value. (The two write some floats differently,
    ``1e-05`` and ``0.00001``: a report's shares go through :func:`_json`.)"""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n"


class _Output:
    """The files of one call, written under ``directory`` and listed once each in order."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.paths: list[Path] = []

    def write(self, name: str, data: bytes | str) -> None:
        path = self.directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # Bytes, so that line ends are "\n" on every system.
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if path not in self.paths:
            self.paths.append(path)

    def workbook(self, name: str, document: Document, first_line: str | None = None) -> None:
        """Write ``document`` as an XLSX file, straight to disk as it is made; the file
        appears under its name only once whole (no half-written file if writing fails)."""
        import secrets

        path = self.directory / name
        # Opened as the other outputs are (the user's umask decides who may read it).
        temporary = path.with_name(f".{name}.{secrets.token_hex(8)}.part")
        try:
            with temporary.open("xb") as file:
                xlsx_write(document, file, first_line)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        if path not in self.paths:
            self.paths.append(path)

    def tables(self, document: Document, stem: str, first_line: str | None = None) -> None:
        for key, text in csv_files(document, first_line).items():
            self.write(f"{stem}-csv/{key}.csv", text)


def report_stem(report: CycleReport | PublishedCycleReport) -> str:
    """The default file name stem of a report's outputs: ``qa-report-bolton-2026-27-q1``,
    ending ``-not-for-publication`` for a published view with suppression off."""
    stem = f"qa-report-{slug(report.profile_id)}-{slug(report.period.label)}"
    if isinstance(report, PublishedCycleReport) and not report.policy.enabled:
        stem += _NOT_FOR_PUBLICATION
    return stem


def render_report(
    report: CycleReport | PublishedCycleReport,
    formats: str | Iterable[str],
    out_dir: str | os.PathLike[str],
    *,
    charts: bool = True,
    suppression: SuppressionPolicy | None = None,
    stem: str | None = None,
    drawer: ChartDrawer | None = None,
) -> list[Path]:
    """Write a cycle report's outputs into ``out_dir`` (made if missing) and return the
    paths written, in the order of ``formats``.

    ``formats`` is one of :data:`REPORT_FORMATS` or several (``"all"`` for every one):

    - ``md``: ``STEM.md``, with the charts as ``STEM-KEY.svg`` beside it (when ``charts``);
    - ``html``: ``STEM.html``, one self-contained page with the charts inline (when
      ``charts``);
    - ``json``: ``STEM.json``, the published view as plain data
      (:func:`qaframework.to_dict`; :func:`qaframework.from_dict` reads it back);
    - ``csv``: ``STEM-csv/KEY.csv``, one file per table, and ``STEM-csv/notes.csv``;
    - ``xlsx``: ``STEM.xlsx``, a notes sheet and a sheet per table;
    - ``charts``: ``STEM-KEY.svg`` and ``STEM-KEY.png`` for each chart
      (``grades-by-standard``, ``trend``).

    A :class:`~qaframework.engine.report.CycleReport` is published first with
    ``suppression`` (the default policy, counts 1 to 5 shown as ``c``, when None); pass
    ``SuppressionPolicy.off()`` only for internal working copies, which then say they are
    not for publication. A :class:`~qaframework.engine.report.PublishedCycleReport` is
    written as it is (``suppression`` must then be None or its own policy). ``stem`` names
    the files (:func:`report_stem` when None). Charts need matplotlib (the ``charts``
    extra): ``charts=False`` writes Markdown and HTML without them. With a ``drawer``
    (:class:`ChartDrawer`, started early), the charts are drawn by its worker process while
    the files that hold none are written; the files are the same. Raises
    :class:`RenderError` for an unknown format or charts without matplotlib.
    """
    # Importing matplotlib and openpyxl and drawing the charts make hundreds of thousands of
    # objects; with the cycle collector running, each of its full passes would also walk
    # every audit the caller holds (the command line's whole export). Paused while the files
    # are written; collection resumes afterwards.
    with paused_gc():
        return _report(report, formats, out_dir, charts, suppression, stem, drawer)


def _report(
    report: CycleReport | PublishedCycleReport,
    formats: str | Iterable[str],
    out_dir: str | os.PathLike[str],
    charts: bool,
    suppression: SuppressionPolicy | None,
    stem: str | None,
    drawer: ChartDrawer | None,
) -> list[Path]:
    published = _published(report, suppression)
    chosen = _formats(formats, REPORT_FORMATS)
    png = "charts" in chosen
    with_charts = _showing_charts(charts)
    drawn = draws_charts(chosen, charts=charts)
    # The worker starts drawing first: it takes longer than the files holding no chart.
    drawing = drawer.draw(published, png=png) if drawn and drawer is not None else None
    document = report_document(published)
    name = stem if stem is not None else report_stem(published)
    output = _Output(out_dir)
    if drawing is None:
        charts_found = report_charts(published, png=png) if drawn else ()
        for chosen_format in chosen:
            _write_report(output, chosen_format, published, document, name, charts, charts_found)
        return output.paths
    # The worker draws while the files holding no chart are written; then the others. The
    # paths are listed in the order of the formats, each once, as when written in order.
    found: Sequence[Chart] = ()
    written: dict[str, list[Path]] = {}
    for later in (False, True):
        if later:
            found = drawing.result()
        for chosen_format in chosen:
            if (chosen_format in with_charts) is later:
                before = len(output.paths)
                _write_report(output, chosen_format, published, document, name, charts, found)
                written[chosen_format] = output.paths[before:]
    return [path for chosen_format in chosen for path in written[chosen_format]]


def _showing_charts(charts: bool) -> frozenset[str]:
    """The formats that show the charts: the charts' own files, and Markdown and HTML
    unless ``charts`` is False."""
    return frozenset({"charts", *(("md", "html") if charts else ())})


def draws_charts(formats: Iterable[str], *, charts: bool = True) -> bool:
    """Whether :func:`render_report` draws the charts for these ``formats`` (each a name of
    :data:`REPORT_FORMATS`) and ``charts``: what a :class:`ChartDrawer` is worth starting
    for."""
    return not _showing_charts(charts).isdisjoint(formats)


def _write_report(
    output: _Output,
    chosen_format: str,
    published: PublishedCycleReport,
    document: Document,
    name: str,
    charts: bool,
    found: Sequence[Chart],
) -> None:
    """Write one format of a report (the charts ``found`` in those that show them)."""
    if chosen_format == "md":
        files = {c.key: (c, f"{name}-{c.key}.svg") for c in found} if charts else {}
        output.write(f"{name}.md", markdown(document, files))
        for chart, file in files.values():
            output.write(file, chart.svg)
    elif chosen_format == "html":
        inline = {c.key: c for c in found} if charts else {}
        output.write(f"{name}.html", _html.html_page(document, inline))
    elif chosen_format == "json":
        output.write(f"{name}.json", _json(to_dict(published)))
    elif chosen_format == "csv":
        output.tables(document, name)
    elif chosen_format == "xlsx":
        output.workbook(f"{name}.xlsx", document)
    else:
        for chart in found:
            output.write(f"{name}-{chart.key}.svg", chart.svg)
            assert chart.png is not None  # drawn with png=True for this format
            output.write(f"{name}-{chart.key}.png", chart.png)


def render_child_level(
    detail: ChildLevelDetail,
    formats: str | Iterable[str],
    out_dir: str | os.PathLike[str],
    *,
    stem: str | None = None,
) -> list[Path]:
    """Write child-level detail into ``out_dir`` and return the paths written.

    ``formats`` is one of :data:`CHILD_LEVEL_FORMATS` or several (``"all"``). Every output
    is marked OFFICIAL-SENSITIVE: the Markdown and HTML at the top and the bottom (and on
    every printed page), the first line of each CSV file and of each XLSX sheet (with the
    workbook's properties and page headers and footers), and the first property of the
    JSON. The default ``stem`` is ``OFFICIAL-SENSITIVE-child-level-PROFILE-PERIOD``; CSV
    files go in ``STEM-csv/`` (``escalations``, ``tracker``, ``overdue-actions``,
    ``learning-notes``, ``notes``).
    """
    chosen = _formats(formats, CHILD_LEVEL_FORMATS)
    # A row per judgement and per note: millions of short-lived cells on a large export,
    # none in a reference cycle, so the cycle collector is paused while they are made.
    with paused_gc():
        return _child_level(detail, chosen, out_dir, stem)


def _child_level(
    detail: ChildLevelDetail,
    chosen: list[str],
    out_dir: str | os.PathLike[str],
    stem: str | None,
) -> list[Path]:
    document = child_level_document(detail)
    name = (
        stem
        if stem is not None
        else (f"{detail.marking}-child-level-{slug(detail.profile_id)}-{slug(detail.period.label)}")
    )
    output = _Output(out_dir)
    for chosen_format in chosen:
        if chosen_format == "md":
            output.write(f"{name}.md", markdown(document, {}))
        elif chosen_format == "html":
            output.write(f"{name}.html", _html.html_page(document, {}))
        elif chosen_format == "json":
            data = to_dict(detail)
            output.write(f"{name}.json", _json_records({"marking": data.pop("marking"), **data}))
        elif chosen_format == "csv":
            output.tables(document, name, MARKING_LINE)
        else:
            output.workbook(f"{name}.xlsx", document, MARKING_LINE)
    return output.paths


def render_comparison(
    reports: Iterable[CycleReport] | PublishedComparison,
    formats: str | Iterable[str],
    out_dir: str | os.PathLike[str],
    *,
    suppression: SuppressionPolicy | None = None,
    stem: str | None = None,
) -> list[Path]:
    """Write several councils' reports side by side on the ILACS crosswalk into
    ``out_dir`` and return the paths written.

    ``reports`` are cycle reports, any iterable of them (published together with
    :func:`~qaframework.engine.report.publish_comparison` under ``suppression``, so a count
    any council's own report hides stays hidden), or a comparison already published.
    ``formats`` is one of :data:`COMPARISON_FORMATS` or several (``"all"``); the files are
    named as :func:`render_report`'s, with the stem ``ilacs-comparison-ID-ID...`` by
    default.
    """
    if isinstance(reports, PublishedComparison):
        if suppression is not None and suppression != reports.policy:
            raise RenderError(
                f"this comparison was already published with {reports.policy}: give the "
                "reports to publish it with another suppression policy"
            )
        published = reports
    else:
        # The reports are read once, and checked, there: none gives an empty table below.
        published = publish_comparison(reports, suppression)
    if not published.table.row_keys:
        raise RenderError("a comparison needs at least one council's report")
    chosen = _formats(formats, COMPARISON_FORMATS)
    document = comparison_document(published)
    if stem is not None:
        name = stem
    else:
        name = "ilacs-comparison-" + "-".join(slug(str(k)) for k in published.table.row_keys)
        if not published.policy.enabled:
            name += _NOT_FOR_PUBLICATION
    output = _Output(out_dir)
    for chosen_format in chosen:
        if chosen_format == "md":
            output.write(f"{name}.md", markdown(document, {}))
        elif chosen_format == "html":
            output.write(f"{name}.html", _html.html_page(document, {}))
        elif chosen_format == "json":
            output.write(f"{name}.json", _json(to_dict(published)))
        elif chosen_format == "csv":
            output.tables(document, name)
        else:
            output.workbook(f"{name}.xlsx", document)
    return output.paths


def html_fragment(
    report: CycleReport | PublishedCycleReport,
    *,
    charts: bool | None = None,
    suppression: SuppressionPolicy | None = None,
) -> str:
    """A report as one HTML ``div`` with its own scoped stylesheet, for a notebook.

    The publishable view, as :func:`render_report` writes it (``suppression`` as there).
    ``charts`` None draws the charts inline when matplotlib is installed.
    """
    published = _published(report, suppression)
    if charts is None:
        charts = importlib.util.find_spec("matplotlib") is not None
    inline = {c.key: c for c in report_charts(published)} if charts else {}
    return _html.html_fragment(report_document(published), inline)
