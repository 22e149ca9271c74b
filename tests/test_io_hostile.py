"""Hostile and broken exports: every failure is the library's own error naming the file, row
and column (or profile path), never a traceback, a hang or an exhausted memory, and no row is
lost or merged into another.

Each case is one found by loading thousands of malformed files (``benchmarks/hostile_corpus.py``):
deep nesting, invalid UTF-8 and huge integers in JSON, workbooks damaged part-way through or
whose ``<dimension>`` understates the sheet, ``/dev/zero`` and named pipes given as exports,
a stray quote swallowing the rows after it, and characters no document can carry.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from qaframework.errors import ProfileError
from qaframework.io import ExportError, MappingError, load_activity_log, load_audits, load_cases
from qaframework.io.rows import open_rows

EXAMPLES = Path(__file__).parent.parent / "examples"
SWINDON_JSONL = EXAMPLES / "swindon" / "audits.jsonl"
BOLTON_CASES = EXAMPLES / "bolton" / "cases.csv"
DEEP = "[" * 5000 + "]" * 5000


def _native_lines(count: int = 6) -> list[str]:
    return SWINDON_JSONL.read_text("utf-8").splitlines()[:count]


def _as_array(lines: list[str]) -> str:
    return "[\n" + ",\n".join(lines) + "\n]\n"


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


# -- deep nesting --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_deeply_nested_element_rejects_its_row_only(tmp_path: Path, suffix: str) -> None:
    lines = _native_lines()
    lines[2] = re.sub(r'"team": "[^"]*"', f'"team": {DEEP}', lines[2], count=1)
    text = _as_array(lines) if suffix == ".json" else "\n".join(lines) + "\n"
    load = load_audits(_write(tmp_path / f"a{suffix}", text), "swindon")
    assert load.rows_read == 6
    assert len(load.accepted) == 5
    (rejection,) = load.rejected
    assert (rejection.row, rejection.column) == (3, "team")


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_deeply_nested_case_rejects_its_row_only(tmp_path: Path, suffix: str) -> None:
    rows = [{"child_id": "C1"}, {"child_id": "C2", "fields": json.loads("[" * 900 + "]" * 900)}]
    lines = [json.dumps(rows[0]), json.dumps(rows[1]).replace("[[", DEEP[:2000] + "[[", 1)]
    lines[1] = '{"child_id": "C2", "team": ' + DEEP + "}"
    lines.append(json.dumps({"child_id": "C3"}))
    text = _as_array(lines) if suffix == ".json" else "\n".join(lines) + "\n"
    load = load_cases(_write(tmp_path / f"cases{suffix}", text))
    assert [c.child_id for c in load.accepted] == ["C1", "C3"]
    (rejection,) = load.rejected
    assert rejection.row == 2
    assert "nested too deeply" in rejection.reason


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("m.toml", "[columns]\nid = " + "[" * 1000 + "]" * 1000 + "\n"),
        ("m.json", '{"columns": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ],
)
def test_a_deeply_nested_mapping_is_a_mapping_error(
    tmp_path: Path, name: str, content: str
) -> None:
    mapping = _write(tmp_path / name, content)
    with pytest.raises(MappingError, match="nested too deeply"):
        load_audits(EXAMPLES / "swindon" / "audits.csv", "swindon", mapping=mapping)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep.toml", "id = " + "[" * 1000 + "]" * 1000 + "\n"),
        ("deep.json", '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ],
)
def test_a_deeply_nested_profile_file_is_a_profile_error(
    tmp_path: Path, name: str, content: str
) -> None:
    from qaframework.profiles.registry import read_profile_file

    with pytest.raises(ProfileError, match="nested too deeply"):
        read_profile_file(_write(tmp_path / name, content))


# -- msgspec's own errors in the native path ------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_invalid_utf8_in_an_element_with_another_fault_rejects_its_row(
    tmp_path: Path, suffix: str
) -> None:
    lines = [line.encode() for line in _native_lines()]
    lines[1] = lines[1].replace(b'"id": "', b'"id": 5, "x": "', 1)
    lines[1] = lines[1].replace(b'"team": "', b'"team": "\xff\xfe', 1)
    body = b"\n".join(lines) + b"\n"
    if suffix == ".json":
        body = b"[\n" + b",\n".join(lines) + b"\n]\n"
    load = load_audits(_write(tmp_path / f"a{suffix}", body), "swindon")
    assert load.rows_read == 6
    assert [r.row for r in load.rejected] == [2]
    assert len(load.accepted) == 5


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_five_thousand_digit_integer_rejects_its_row(tmp_path: Path, suffix: str) -> None:
    lines = _native_lines()
    lines[1] = lines[1].replace('"audit_date"', '"audit_date": ' + "9" * 5000 + ', "zz"', 1)
    text = _as_array(lines) if suffix == ".json" else "\n".join(lines) + "\n"
    load = load_audits(_write(tmp_path / f"a{suffix}", text), "swindon")
    assert [r.row for r in load.rejected] == [2]
    assert len(load.accepted) == 5


def test_a_huge_integer_in_a_mapped_json_export_rejects_its_row_not_the_file(
    tmp_path: Path,
) -> None:
    text = (
        '[{"Child Unique ID": "C1"}, {"Child Unique ID": '
        + "9" * 5000
        + '}, {"Child Unique ID": "C3"}]'
    )
    load = load_cases(
        _write(tmp_path / "cases.json", text), mapping={"columns": {"child_id": "Child Unique ID"}}
    )
    assert [c.child_id for c in load.accepted] == ["C1", "C3"]
    assert [r.row for r in load.rejected] == [2]


# -- damaged workbooks ---------------------------------------------------------------------


def _cases_workbook(rows: int = 8) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["Child Unique ID", "Allocated Team", "Allocated Worker", "Service Area", "Legal Status"]
    )
    for number in range(rows):
        sheet.append([f"C{number}", "Team A", "W1", "North", "CIN"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet(data: bytes, change: object) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = change(part)  # type: ignore[operator]
            target.writestr(info, part)
    return out.getvalue()


def test_a_workbook_cut_off_part_way_is_an_export_error_naming_the_row(tmp_path: Path) -> None:
    data = _with_sheet(_cases_workbook(), lambda xml: xml[: xml.index(b'<row r="5"') + 20])
    with pytest.raises(ExportError, match=r"sheet 'Sheet', row 5: the workbook is damaged"):
        load_cases(_write(tmp_path / "cut.xlsx", data))


def test_a_shared_string_out_of_range_is_an_export_error(tmp_path: Path) -> None:
    def change(xml: bytes) -> bytes:
        return re.sub(
            rb'<c r="A4" t="inlineStr"><is><t>C2</t></is></c>',
            rb'<c r="A4" t="s"><v>99</v></c>',
            xml,
        )

    data = _with_sheet(_cases_workbook(), change)
    with pytest.raises(ExportError, match=r"row 4: the workbook is damaged"):
        load_cases(_write(tmp_path / "sst.xlsx", data))


def test_an_understated_dimension_loses_no_row_or_column(tmp_path: Path) -> None:
    data = _with_sheet(
        _cases_workbook(),
        lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:B3"/>', xml),
    )
    load = load_cases(_write(tmp_path / "dim.xlsx", data))
    assert load.rows_read == 8
    assert load.missing_columns == ()
    assert load.accepted[0].worker == "W1"
    assert load.accepted[0].fields == {"Legal Status": "CIN"}


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.xlsx", _cases_workbook(200))
    with pytest.raises(ExportError, match="would unpack to"):
        load_cases(path, max_bytes=path.stat().st_size + 1000)


# -- what is not a file, and what is too large ---------------------------------------------

_IN_A_CHILD = textwrap.dedent(
    """
    import resource, sys
    # Memory capped, so that reading an endless file fails fast rather than filling the machine.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))
    from qaframework.errors import QAFrameworkError
    from qaframework.io import load_audits, load_cases
    from qaframework.io.mapping import AuditMapping, read_mapping
    from qaframework.profiles.registry import read_profile_file
    from pathlib import Path
    what, path = sys.argv[1], sys.argv[2]
    try:
        if what == "cases":
            load_cases(path)
        elif what == "audits":
            load_audits(path, "swindon")
        elif what == "mapping":
            read_mapping(AuditMapping, path)
        elif what == "profile":
            read_profile_file(Path(path))
        elif what == "register":
            from qaframework.store import init_register
            with init_register(sys.argv[3]) as register:
                register.import_audits(path, "swindon")
    except QAFrameworkError as exc:
        print("library error:", exc)
    """
)


def _in_a_child(what: str, path: Path, *extra: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", _IN_A_CHILD, what, str(path), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".xlsx"])
def test_dev_zero_named_as_an_export_is_refused(tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    out = _in_a_child("cases", link)
    assert "library error:" in out
    assert "is a device, not a file" in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize(
    ("what", "name"),
    [
        ("cases", "cases.csv"),
        ("cases", "cases.xlsx"),
        ("audits", "audits.json"),
        ("audits", "audits.jsonl"),
        ("mapping", "m.toml"),
        ("profile", "p.toml"),
    ],
)
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, what: str, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    out = _in_a_child(what, fifo)
    assert "library error:" in out
    assert "is a named pipe, not a file" in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_the_register_refuses_a_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "audits.jsonl"
    os.mkfifo(fifo)
    out = _in_a_child("register", fifo, str(tmp_path / "register.sqlite3"))
    assert "is a named pipe, not a file" in out


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "cases.csv"
    folder.mkdir()
    with pytest.raises(ExportError, match="is a directory, not a file"):
        load_cases(folder)


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ExportError, match=r"larger than the limit of 1\.0 KiB.*raise the limit"):
        load_cases(BOLTON_CASES, max_bytes=1024)
    monkeypatch.setenv("QAFRAMEWORK_MAX_EXPORT_BYTES", "1K")
    with pytest.raises(ExportError, match="larger than the limit"):
        load_audits(SWINDON_JSONL, "swindon")
    with pytest.raises(ExportError, match="larger than the limit"):
        load_activity_log(EXAMPLES / "swindon" / "activity-log.csv")
    monkeypatch.setenv("QAFRAMEWORK_MAX_EXPORT_BYTES", "lots")
    with pytest.raises(ExportError, match="QAFRAMEWORK_MAX_EXPORT_BYTES"):
        load_cases(BOLTON_CASES)
    monkeypatch.setenv("QAFRAMEWORK_MAX_EXPORT_BYTES", "20M")
    assert load_cases(BOLTON_CASES).ok


# -- no row lost ---------------------------------------------------------------------------


def _bolton_cases(count: int) -> list[str]:
    return BOLTON_CASES.read_text("utf-8").splitlines()[: count + 1]


def test_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    lines = _bolton_cases(20)
    lines[2] = lines[2].replace(",Early Help 1,", ',"Early Help 1,', 1)
    lines[15] = lines[15].replace(",pr.", ',"pr."x', 1)
    load = load_cases(_write(tmp_path / "stray.csv", "\n".join(lines) + "\n"))
    # 20 rows written: each is read, two rejected (each naming its column), none merged.
    assert load.rows_read == 20
    assert len(load.accepted) == 18
    first, second = load.rejected
    assert (first.row, first.column) == (3, "Allocated Team")
    assert "quote" in first.reason
    assert "line 3" in first.reason
    assert (second.row, second.column) == (16, "Allocated Worker")
    assert "after its closing quote" in second.reason
    assert load.lines_read == 21


def test_a_stray_quote_never_closed_loses_nothing_either(tmp_path: Path) -> None:
    lines = _bolton_cases(10)
    lines[4] = lines[4].replace(",pr.", ',"pr.', 1)
    load = load_cases(_write(tmp_path / "stray.csv", "\n".join(lines) + "\n"))
    assert load.rows_read == 10
    (rejection,) = load.rejected
    assert (rejection.row, rejection.column) == (5, "Allocated Worker")
    assert "no quote closes" in rejection.reason


def test_a_stray_quote_in_an_audit_export(tmp_path: Path) -> None:
    source = (EXAMPLES / "swindon" / "audits.csv").read_text("utf-8").splitlines()[:21]
    header = next(csv.reader(source[:1]))
    team = header.index("Team")
    cells = next(csv.reader(source[3:4]))
    cells[team] = '"' + cells[team]  # written raw: an opening quote nothing closes on the line
    source[3] = ",".join(f'"{c}"' if "," in c and i != team else c for i, c in enumerate(cells))
    mapping = EXAMPLES / "swindon" / "audits.mapping.toml"
    path = _write(tmp_path / "a.csv", "\n".join(source) + "\n")
    load = load_audits(path, "swindon", mapping=mapping)
    assert load.rows_read == 20
    assert [(r.row, r.column) for r in load.rejected] == [(4, "Team")]
    assert len(load.accepted) == 19


def test_lines_and_records_are_both_reported(tmp_path: Path) -> None:
    text = 'Child Unique ID,Note\r\nC1,"two\r\nlines"\r\nC2,x\r\n\r\nC3,"three\nline\nnote"\n'
    load = load_cases(_write(tmp_path / "a.csv", text))
    assert load.rows_read == 3
    assert load.blank_rows == 1
    assert load.lines_read == 8
    assert load.accepted[0].fields == {"Note": "two\r\nlines"}


def test_every_cell_level_rejection_names_its_column(tmp_path: Path) -> None:
    text = 'ID,Name\nA1,x,,\nA2,y,z\n"' + "x" * 200_000 + '",b\nA4,"' + "y" * 200_000 + "\n"
    rows = list(open_rows(_write(tmp_path / "a.csv", text)))
    problems = [r.problem for r in rows if r.problem is not None]
    assert [p.column for p in problems] == ["(column C)", "ID", "Name"]


# -- characters no document can carry ------------------------------------------------------


def test_a_nul_byte_in_a_csv_cell_rejects_its_row_naming_the_column(tmp_path: Path) -> None:
    lines = _bolton_cases(4)
    lines[2] = lines[2].replace(",Early Help 1,", ",Early\x00Help 1,", 1)
    load = load_cases(_write(tmp_path / "nul.csv", "\n".join(lines) + "\n"))
    (rejection,) = load.rejected
    assert (rejection.row, rejection.column) == (3, "Allocated Team")
    assert "NUL" in rejection.reason
    assert rejection.value == "Early\\x00Help 1"


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\u0007"])
def test_a_forbidden_character_in_native_json_rejects_its_row(tmp_path: Path, escape: str) -> None:
    lines = _native_lines()
    lines[3] = lines[3].replace('"team": "', f'"team": "x{escape}', 1)
    load = load_audits(_write(tmp_path / "a.jsonl", "\n".join(lines) + "\n"), "swindon")
    (rejection,) = load.rejected
    # A lone surrogate is not even valid JSON to the decoder: the row, not a column.
    assert (rejection.row, rejection.column) == (4, None if escape == "\\ud800" else "team")
    cases = load_cases(
        _write(tmp_path / "c.jsonl", '{"child_id": "C1"}\n{"child_id": "C' + escape + '"}\n')
    )
    assert [r.row for r in cases.rejected] == [2]


def test_a_quoted_cell_too_long_to_read_is_one_rejected_row(tmp_path: Path) -> None:
    lines = _bolton_cases(5)
    cells = next(csv.reader(lines[2:3]))
    cells[1] = "line\n" * 30_000  # 150,000 characters over 30,000 lines, properly quoted
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    lines[2] = buffer.getvalue().rstrip("\n")
    load = load_cases(_write(tmp_path / "long.csv", "\n".join(lines) + "\n"))
    assert load.rows_read == 5
    (rejection,) = load.rejected
    assert (rejection.row, rejection.column) == (3, "Allocated Team")
    assert "more than 131,072 characters" in rejection.reason
    assert load.lines_read == 6 + 30_000
