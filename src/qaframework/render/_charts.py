"""Charts of a published cycle report, drawn with matplotlib (the ``charts`` extra).

Two charts, both from the published view only, so neither can show what it hides:

- ``grades-by-standard``: one bar per practice standard, its judgements' shares at each
  grade stacked in scale order (best first). Suppressed counts are drawn together as one
  hatched segment at the end of the bar, marked ``c``, and only where their sum can be
  worked out from the published table and is not itself small; a standard whose total is
  suppressed, or whose suppressed counts add up to a small number, has no bar, only ``c``.
- ``trend``: the share good or better in each period of the trend with its Wilson interval
  as an error bar; ``c`` where the share is withheld, ``n/a`` where there were no audits.

Output is deterministic: matplotlib's Agg canvas, a fixed font (DejaVu Sans, which ships with
matplotlib) and size, no creation date or software version in the files' metadata, a fixed
salt for the SVG's element ids, and SVG text kept as text rather than glyph outlines. The
same report gives the same bytes every time on a machine.

Each chart is drawn with :class:`matplotlib.figure.Figure` (never ``pyplot``) and laid out
once, measured as the PNG draws it, for both files: a figure saved with its layout engine
on is laid out again for every file, which cost as much as drawing it.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import attrs

from qaframework.engine.report import PublishedCycleReport, ReportGrade
from qaframework.engine.suppression import Position
from qaframework.render._document import Missing, Value
from qaframework.render._errors import RenderError
from qaframework.render._report import CHART_BY_STANDARD, CHART_TREND, share_title
from qaframework.render._text import NOT_APPLICABLE, percent, text

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from matplotlib.figure import Figure

__all__ = ["Chart", "ChartDrawer", "Drawing", "report_charts"]

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 11.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#505a5f",
    "text.color": "#0b0c0c",
    "xtick.color": "#0b0c0c",
    "ytick.color": "#0b0c0c",
    "hatch.linewidth": 0.8,
    "svg.fonttype": "none",
    "svg.hashsalt": "qaframework",
    # No layout engine unless a chart asks for one: _save removes the engine once the chart
    # is laid out, whatever the user's matplotlibrc says.
    "figure.autolayout": False,
    "figure.constrained_layout.use": False,
}
_WIDTH = 7.2
_PNG_DPI = 150
_EDGE = "#505a5f"
_HATCH = "///"
_POINT = "#1d4e89"


@attrs.frozen
class Chart:
    """A chart of a report: ``key`` names its files, ``title`` and ``description`` (the alt
    text, with the figures it shows) say what it is; ``svg`` is the SVG document, ``png``
    the PNG image when asked for."""

    key: str
    title: str
    description: str
    svg: str
    png: bytes | None = None


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise RenderError(
            "charts need matplotlib: install qaframework's charts extra "
            "(pip install 'qaframework[charts]'), or ask for no charts"
        ) from None
    return matplotlib


def report_charts(published: PublishedCycleReport, *, png: bool = False) -> tuple[Chart, ...]:
    """The charts of ``published``, grades by practice standard and the trend, as SVG, and
    as PNG too when ``png``."""
    matplotlib = _matplotlib()
    with matplotlib.rc_context(_STYLE):
        return tuple(_save(drawn, png) for drawn in _figures(published))


@attrs.frozen
class _Drawn:
    """A chart's figure, not yet laid out or saved, with what names and describes it."""

    key: str
    title: str
    description: str
    figure: Figure


def _figures(published: PublishedCycleReport) -> tuple[_Drawn, _Drawn]:
    """The charts' figures (under :data:`_STYLE`, which the caller sets)."""
    return (_by_standard(published), _trend(published))


def _save(drawn: _Drawn, png: bool) -> Chart:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = drawn.figure
    title = drawn.title
    description = drawn.description
    FigureCanvasAgg(figure)
    # Laid out once, at the PNG's resolution (the figure's), on the canvas the PNG is drawn
    # on, so the PNG is what saving the figure with its layout engine on gives; the engine is
    # then removed, so neither file lays the figure out again.
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)
        figure.set_layout_engine(None)
    svg = io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
    image = None
    if png:
        buffer = io.BytesIO()
        figure.savefig(
            buffer, format="png", dpi=_PNG_DPI, metadata={"Software": None, "Title": title}
        )
        image = buffer.getvalue()
    # The SVG's own title (from the metadata) with a description after it: what a screen
    # reader announces, inline in HTML or opened on its own.
    text_svg = svg.getvalue().decode("utf-8")
    end = text_svg.index("</title>") + len("</title>")
    text_svg = f"{text_svg[:end]}\n <desc>{escape(description)}</desc>{text_svg[end:]}"
    return Chart(drawn.key, title, description, text_svg, image)


def _colours(grades: Sequence[ReportGrade]) -> list[str]:
    """Blues for the grades good or better (darkest the best), oranges for those below
    (darkest the worst): told apart by colour-blind readers too."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    def shades(name: str, count: int) -> list[str]:
        if count == 1:
            return [to_hex(colormaps[name](0.75))]
        return [to_hex(colormaps[name](0.9 - 0.5 * i / (count - 1))) for i in range(count)]

    good = sum(1 for g in grades if g.good_or_better)
    return [*shades("Blues", good), *reversed(shades("Oranges", len(grades) - good))]


def _by_standard(published: PublishedCycleReport) -> _Drawn:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    table = published.by_standard.table
    marker = published.policy.marker
    grades = published.grades
    colours = _colours(grades)
    rows = len(table.row_keys)
    labels = [
        "\n".join([*textwrap.wrap(label, 44), f"(n = {text(_shown(total), marker)})"])
        for label, total in zip(table.row_labels, table.row_totals, strict=True)
    ]
    # Bars are evenly spaced: each row is as tall as the longest label needs.
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    figure = Figure(
        figsize=(_WIDTH, 1.6 + (0.16 * lines + 0.14) * max(rows, 1)),
        dpi=_PNG_DPI,
        layout="constrained",
    )
    axes = figure.add_subplot()
    undrawn: list[str] = []
    empty: list[str] = []
    hidden_drawn = False
    for row in range(rows):
        total = table.row_totals[row]
        cells = table.cells[row]
        hidden = [Position(row, c) for c, value in enumerate(cells) if value is None]
        rest = table.sum_of(hidden) if hidden else 0
        if not total or rest is None:
            suppressed = total is None or rest is None
            (undrawn if suppressed else empty).append(table.row_labels[row])
            axes.text(
                0.01,
                row,
                f"{marker}: counts suppressed" if suppressed else "no judgements",
                va="center",
                ha="left",
                color=_EDGE,
            )
            continue
        left = 0.0
        for column, value in enumerate(cells):
            if value:
                width = value / total
                axes.barh(row, width, left=left, color=colours[column], edgecolor="white")
                left += width
        if rest:
            hidden_drawn = True
            width = rest / total
            axes.barh(
                row, width, left=left, color="white", edgecolor=_EDGE, hatch=_HATCH, linewidth=0.8
            )
            axes.text(
                left + width / 2,
                row,
                marker,
                ha="center",
                va="center",
                fontweight="bold",
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
    if not rows:
        axes.text(0.5, 0, "No practice standard was judged.", ha="center", va="center")
    axes.set_yticks(range(rows), labels)
    # Every row keeps its place, drawn or not; the first at the top.
    axes.set_ylim(max(rows, 1) - 0.5, -0.5)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_xlabel("Share of the standard's judgements")
    title = "Grades by practice standard"
    axes.set_title(title)
    handles = [
        Patch(facecolor=colour, edgecolor="white", label=grade.label)
        for colour, grade in zip(colours, grades, strict=True)
    ]
    if hidden_drawn or undrawn:
        handles.append(
            Patch(facecolor="white", edgecolor=_EDGE, hatch=_HATCH, label=f"{marker}: suppressed")
        )
    figure.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    description = (
        f"Bar chart of the share of each practice standard's judgements at each grade, "
        f"{', '.join(g.label for g in grades)}, best first."
    )
    if hidden_drawn:
        description += (
            f" Suppressed counts are drawn together as a hatched segment marked {marker} "
            "at the end of a bar."
        )
    if undrawn:
        description += (
            f" No bar is drawn for {', '.join(undrawn)}: too many of the counts are suppressed."
        )
    if empty:
        description += f" No bar is drawn for {', '.join(empty)}: no judgements."
    description += " The figures are in the table of judgements by practice standard."
    return _Drawn(CHART_BY_STANDARD, title, description, figure)


def _shown(value: int | None) -> Value:
    return Missing.SUPPRESSED if value is None else value


def _trend(published: PublishedCycleReport) -> _Drawn:
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    trend = published.trend
    table = trend.table
    marker = published.policy.marker
    good = share_title(published.grades)
    figure = Figure(figsize=(_WIDTH, 3.6), dpi=_PNG_DPI, layout="constrained")
    axes = figure.add_subplot()
    points = []
    periods = published.trend_rows()
    labels = []
    for index, (period, row) in enumerate(periods):
        if row is None:
            # A period in which no audit is dated: no point, and no zero.
            axes.text(index, 0.04, "no data", ha="center", va="bottom", color=_EDGE)
            points.append(f"{period.label} no data")
            labels.append(f"{period.label}\n(no data)")
            continue
        labels.append(f"{period.label}\n(n = {text(_shown(table.row_totals[row]), marker)})")
        share = trend.good_or_better[row]
        if share is None or share.value is None or share.lower is None or share.upper is None:
            axes.text(
                index,
                0.04,
                marker if share is None else NOT_APPLICABLE,
                ha="center",
                va="bottom",
                color=_EDGE,
                fontweight="bold",
            )
            points.append(f"{period.label} {marker if share is None else NOT_APPLICABLE}")
            continue
        axes.errorbar(
            [index],
            [share.value],
            yerr=[[share.value - share.lower], [share.upper - share.value]],
            fmt="o",
            color=_POINT,
            ecolor=_POINT,
            elinewidth=1.2,
            capsize=4,
            markersize=6,
        )
        axes.annotate(
            percent(share.value),
            (index, share.value),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
        )
        points.append(
            f"{period.label} {percent(share.value)} "
            f"({percent(share.lower)} to {percent(share.upper)})"
        )
    axes.set_xticks(range(len(labels)), labels)
    axes.set_xlim(-0.5, len(labels) - 0.5)
    # A little room above 100%, so that a share of 100% and its label are not cut off.
    axes.set_ylim(0, 1.08)
    axes.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_ylabel(f"Audits graded {good.lower()}")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    title = f"Audits graded {good.lower()}, period by period"
    axes.set_title(title)
    confidence = next((s.confidence for s in trend.good_or_better if s is not None), None)
    interval = f" with its {confidence:.0%} Wilson interval" if confidence is not None else ""
    description = (
        f"Chart of the share of audits graded {good.lower()} in each period{interval}: "
        f"{'; '.join(points)}. {marker} marks a share withheld to protect small counts"
        + (
            "; no data, a period in which no audit is dated."
            if len(periods) > len(table.row_keys)
            else "."
        )
    )
    return _Drawn(CHART_TREND, title, description, figure)


def _warm() -> None:
    """Import what drawing needs and draw a small chart to both formats, which loads the
    fonts and readies the backends (run in a worker as soon as it starts)."""
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(2, 1), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        axes.barh(["a"], [1], label="b", hatch="//")
        axes.errorbar([0], [0], yerr=[[0], [1]])
        axes.set_title("c")
        axes.legend()
        for format in ("svg", "png"):
            figure.savefig(io.BytesIO(), format=format)


def _serve(connection: Connection) -> None:
    """A chart worker: import matplotlib, then draw the report it is sent and send back
    the charts, or the error drawing raised."""
    # An import that fails fails again when drawing, whose error is sent back.
    with contextlib.suppress(Exception):
        _warm()
    published, png = connection.recv()
    try:
        result: tuple[bool, Any] = (True, report_charts(published, png=png))
    except BaseException as exc:  # sent back to be raised where the charts are wanted
        result = (False, exc)
    connection.send(result)


def _start_method() -> str:
    """``fork`` where it is safe and the worker starts sooner (Linux, this process running
    one thread and holding no library that runs threads of its own: the worker has this
    process's modules already imported), ``spawn`` (a fresh interpreter) otherwise."""
    import multiprocessing
    import sys
    import threading

    if (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not any(name in sys.modules for name in _THREADED)
    ):
        return "fork"
    return "spawn"


_THREADED = ("polars", "pyarrow", "numpy", "pandas", "matplotlib")
"""Libraries that start threads of their own (or, for matplotlib, hold state a forked
worker should not share): a process that has imported one spawns its chart worker."""


class ChartDrawer:
    """Draws report charts in a worker process, which imports matplotlib at once.

    Importing matplotlib takes a few tenths of a second, drawing two charts about as long
    again; a program that starts a drawer before it reads an export has matplotlib imported
    by the time the report is counted, and :func:`~qaframework.render.render_report` writes
    the files that hold no chart while the worker draws. The worker is a fork of this
    process where that is safe (see :func:`_start_method`), else a fresh interpreter, and
    draws one report; the charts are the same bytes as drawn here. Close it when done (it
    is a context manager): the worker is stopped then, without waiting for it to wind up.
    """

    def __init__(self) -> None:
        import multiprocessing

        self._connection, theirs = multiprocessing.Pipe()
        options: dict[str, Any] = {
            "target": _serve,
            "args": (theirs,),
            "name": "qaframework-charts",
            "daemon": True,
        }
        self._process = (
            multiprocessing.get_context("fork").Process(**options)
            if _start_method() == "fork"
            else multiprocessing.get_context("spawn").Process(**options)
        )
        self._process.start()
        theirs.close()
        self._sent = False

    def draw(self, published: PublishedCycleReport, *, png: bool) -> Drawing:
        """Send ``published`` to the worker to draw (:func:`report_charts`); the charts
        come from :meth:`Drawing.result`. A drawer draws one report."""
        if self._sent:
            raise RenderError("a ChartDrawer draws one report: start another for the next")
        self._sent = True
        try:
            self._connection.send((published, png))
        except OSError:  # the worker is gone: the charts are drawn here
            return Drawing(None, published, png)
        return Drawing(self._connection, published, png)

    def close(self) -> None:
        """Stop the worker."""
        self._process.terminate()
        self._process.join()
        self._connection.close()

    def __enter__(self) -> ChartDrawer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class Drawing:
    """Charts a :class:`ChartDrawer`'s worker is drawing."""

    def __init__(
        self, connection: Connection | None, published: PublishedCycleReport, png: bool
    ) -> None:
        self._connection = connection
        self._published = published
        self._png = png

    def result(self) -> tuple[Chart, ...]:
        """The charts, once drawn: drawn here instead if the worker died; an error of the
        drawing itself (a :class:`RenderError` without matplotlib) is raised here."""
        if self._connection is not None:
            try:
                done, value = self._connection.recv()
            except (EOFError, OSError):
                pass
            else:
                if done:
                    charts: tuple[Chart, ...] = value
                    return charts
                raise value
        return report_charts(self._published, png=self._png)
