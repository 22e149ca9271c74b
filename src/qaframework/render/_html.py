"""A document as HTML: a fragment for notebooks, or a whole self-contained page.

The page needs nothing from outside itself: the stylesheet is inline, charts are inline SVG
(each with a title and a description for screen readers), and there is no script. Tables
have captions and header cells with their scope; a suppressed figure is an ``abbr`` whose
title says what ``c`` means. Printing keeps table headers on each page, avoids breaking
charts and rows, and repeats a protective marking at the top and bottom of every page.

Every rule of the stylesheet is scoped to ``.qaf-report``, so a fragment shown in a notebook
styles itself and nothing around it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date
from html import escape

from qaframework._version import __version__
from qaframework.render._charts import Chart
from qaframework.render._document import (
    Bullets,
    ChartPlace,
    Document,
    Heading,
    Missing,
    Paragraph,
    Table,
    Value,
)
from qaframework.render._text import NOT_APPLICABLE, is_figure, text

__all__ = ["html_fragment", "html_page"]

_CSS = """
.qaf-report{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:#0b0c0c;background:#fff;line-height:1.45;max-width:62rem;margin:0 auto;padding:1rem 1.25rem}
.qaf-report h1{font-size:1.6rem;line-height:1.2;margin:.3em 0 .6em}
.qaf-report h2{font-size:1.3rem;margin:1.8em 0 .5em;padding-bottom:.2em;
border-bottom:2px solid #1d4e89}
.qaf-report h3{font-size:1.08rem;margin:1.4em 0 .4em}
.qaf-report p{margin:.5em 0;max-width:48rem}
.qaf-report .qaf-notice{border-left:6px solid #d4351c;background:#fcefed;padding:.6em .9em;
font-weight:700}
.qaf-report .qaf-marking{text-align:center;font-weight:700;letter-spacing:.06em;
border:2px solid #0b0c0c;padding:.25em;margin:.5em 0}
.qaf-report .qaf-table{overflow-x:auto;margin:.8em 0 1.2em}
.qaf-report table{border-collapse:collapse;font-size:.92rem;font-variant-numeric:tabular-nums}
.qaf-report caption{caption-side:top;text-align:left;font-weight:700;padding:0 0 .35em}
.qaf-report th,.qaf-report td{border:1px solid #b1b4b6;padding:.3em .55em;vertical-align:top;
text-align:left}
.qaf-report thead th{background:#f3f2f1;vertical-align:bottom}
.qaf-report tbody th{font-weight:400}
.qaf-report .qaf-num{text-align:right;white-space:nowrap}
.qaf-report .qaf-nowrap{white-space:nowrap}
.qaf-report tr.qaf-total th,.qaf-report tr.qaf-total td{font-weight:700;
border-top:2px solid #505a5f}
.qaf-report .qaf-c abbr{text-decoration:none;font-weight:700;color:#505a5f}
.qaf-report .qaf-na{color:#505a5f}
.qaf-report .qaf-table-note{font-size:.88rem;color:#505a5f;margin:.3em 0 0}
.qaf-report figure{margin:1em 0 1.4em;break-inside:avoid}
.qaf-report figure svg{display:block;width:100%;max-width:48rem;height:auto}
.qaf-report figcaption{font-size:.9rem;color:#505a5f;margin-top:.3em;max-width:48rem}
.qaf-report .qaf-list-title{font-weight:700;margin-bottom:.2em}
.qaf-report ul{margin:.2em 0 .8em;padding-left:1.4em}
.qaf-report dl.qaf-notes{display:grid;grid-template-columns:max-content 1fr;gap:.3em 1em}
.qaf-report dl.qaf-notes dt{font-weight:700}
.qaf-report dl.qaf-notes dd{margin:0}
@media print{
.qaf-report{max-width:none;padding:0;font-size:10pt}
.qaf-report .qaf-table{overflow:visible}
.qaf-report thead{display:table-header-group}
.qaf-report tr,.qaf-report figure{break-inside:avoid}
.qaf-report h2,.qaf-report h3,.qaf-report caption{break-after:avoid}
.qaf-report .qaf-notice{border:2px solid #0b0c0c;background:none}
}
""".strip()

_SUPPRESSED_TITLE = "suppressed to protect small numbers"
_NUMBER = ' class="qaf-num"'
_WORD = 24


def _cell(value: Value, tag: str, marker: str, *, scope: str = "") -> str:
    classes = []
    if is_figure(value):
        classes.append("qaf-num")
    elif isinstance(value, date) or (
        isinstance(value, str) and " " not in value and len(value) <= _WORD
    ):
        # Dates and ids ("BOL-00004") would otherwise break at their hyphens.
        classes.append("qaf-nowrap")
    body = escape(text(value, marker))
    if value is Missing.SUPPRESSED:
        classes.append("qaf-c")
        body = f'<abbr title="{_SUPPRESSED_TITLE}">{escape(marker)}</abbr>'
    elif value is Missing.NOT_APPLICABLE:
        classes.append("qaf-na")
        body = f'<abbr title="not applicable">{NOT_APPLICABLE}</abbr>'
    elif isinstance(value, Missing):
        classes.append("qaf-na")
    attributes = f' scope="{scope}"' if scope else ""
    if classes:
        attributes += f' class="{" ".join(classes)}"'
    return f"<{tag}{attributes}>{body}</{tag}>"


def _table(table: Table, marker: str) -> str:
    caption = escape(table.caption)
    if not table.rows:
        return f'<p class="qaf-list-title">{caption}</p>\n<p>None.</p>'
    figures = [all(is_figure(row[i]) for row in table.rows) for i in range(len(table.columns))]
    head = "".join(
        f'<th scope="col"{_NUMBER if figure else ""}>{escape(column.title)}</th>'
        for column, figure in zip(table.columns, figures, strict=True)
    )
    rows = []
    last = len(table.rows) - 1
    # A large table repeats its words (teams, grades, notes): each distinct text's cell is
    # made once.
    words: dict[str, str] = {}

    def cell(value: Value) -> str:
        if type(value) is not str:
            return _cell(value, "td", marker)
        found = words.get(value)
        if found is None:
            found = words[value] = _cell(value, "td", marker)
        return found

    for index, row in enumerate(table.rows):
        cells = [_cell(row[0], "th", marker, scope="row")]
        cells.extend(map(cell, row[1:]))
        total = ' class="qaf-total"' if table.total_row and index == last else ""
        rows.append(f"<tr{total}>{''.join(cells)}</tr>")
    note = f'\n<p class="qaf-table-note">{escape(table.note)}</p>' if table.note else ""
    return (
        f'<div class="qaf-table" role="region" aria-label="{caption}" tabindex="0">\n'
        f"<table>\n<caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n" + "\n".join(rows) + f"\n</tbody>\n</table>{note}\n</div>"
    )


_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')


def _svg(chart: Chart) -> str:
    """The chart's SVG to place inline: its ids made unique to it, its stylesheet scoped to
    it, and its title and description named as what assistive technology announces."""
    # Named by the chart's content too: two reports in one notebook keep distinct ids.
    root = f"qaf-{chart.key}-{hashlib.sha256(chart.svg.encode()).hexdigest()[:8]}"
    prefix = f"{root}-"
    svg = chart.svg[chart.svg.index("<svg") :].strip()
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    # Matplotlib's stylesheet starts "*{": inline, it would apply to the whole page.
    svg = svg.replace('<style type="text/css">*{', f'<style type="text/css">#{root} *{{', 1)
    svg = svg.replace("<title>", f'<title id="{prefix}title">', 1)
    svg = svg.replace("<desc>", f'<desc id="{prefix}desc">', 1)
    opening = svg.index(">")
    return (
        f'{svg[:opening]} id="{root}" role="img" '
        f'aria-labelledby="{prefix}title {prefix}desc"{svg[opening:]}'
    )


def html_fragment(document: Document, charts: Mapping[str, Chart], *, style: bool = True) -> str:
    """``document`` as one ``div`` (for a notebook, or the body of a page), with its own
    scoped stylesheet unless ``style`` is False (a page has it in its head); a chart place
    whose key ``charts`` lacks is left out."""
    marker = document.marker
    parts = ['<div class="qaf-report">']
    if style:
        parts.append(f"<style>\n{_CSS}\n</style>")
    if document.marking:
        parts.append(f'<header><p class="qaf-marking">{escape(document.marking)}</p></header>')
    parts.append(f"<h1>{escape(document.title)}</h1>")
    if document.notice:
        parts.append(f'<p class="qaf-notice" role="note">{escape(document.notice)}</p>')
    for block in document.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{escape(block.text)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
            parts.append(f'<p class="qaf-list-title">{escape(block.title)}</p>\n<ul>{items}</ul>')
        elif isinstance(block, Table):
            if block.shown:
                parts.append(_table(block, marker))
        elif isinstance(block, ChartPlace) and block.key in charts:
            chart = charts[block.key]
            parts.append(
                f'<figure class="qaf-chart">\n{_svg(chart)}\n'
                f"<figcaption>{escape(chart.description)}</figcaption>\n</figure>"
            )
    notes = "".join(
        f"<dt>{escape(key)}</dt><dd>{escape(value)}</dd>" for key, value in document.notes
    )
    parts.append(f'<h2>About this report</h2>\n<dl class="qaf-notes">{notes}</dl>')
    if document.marking:
        parts.append(f'<footer><p class="qaf-marking">{escape(document.marking)}</p></footer>')
    parts.append("</div>")
    return "\n".join(parts) + "\n"


def html_page(document: Document, charts: Mapping[str, Chart]) -> str:
    """``document`` as a whole self-contained HTML page."""
    title = document.title
    page = "@page{size:A4;margin:16mm 14mm}"
    if document.marking:
        title = f"{document.marking}: {title}"
        # Margin boxes put the marking on every printed page (where the browser has them).
        marking = escape(document.marking).replace('"', "")
        box = f'content:"{marking}";font:700 10pt sans-serif'
        page = f"@page{{size:A4;margin:18mm 14mm;@top-center{{{box}}}@bottom-center{{{box}}}}}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="qaframework {__version__}">\n'
        f"<title>{escape(title)}</title>\n<style>\n{page}\nbody{{margin:0}}\n{_CSS}\n</style>\n"
        "</head>\n<body>\n<main>\n"
        f"{html_fragment(document, charts, style=False)}</main>\n</body>\n</html>\n"
    )
