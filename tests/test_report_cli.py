"""``qaframework report``: a cycle report on an audit export, written as files for a board.

Run in-process on the bundled example exports (``examples/``) of the installed councils.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from qaframework import from_dict
from qaframework.cli import report_cmd
from qaframework.engine.report import PublishedCycleReport
from qaframework.io import load_audits
from tests.cli_run import invoke

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SWINDON = EXAMPLES / "swindon" / "audits.jsonl"
STEM = "qa-report-swindon-2026-27-q1"


def names(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_every_format_by_default_with_the_period_at_a_glance(tmp_path: Path) -> None:
    status, out, err = invoke(
        "report", "swindon", str(SWINDON), "--period", "2026-27 Q1", "--out", str(tmp_path)
    )
    assert (status, err) == (0, "")
    audits = load_audits(SWINDON, "swindon").accepted
    written = names(tmp_path)
    assert {
        f"{STEM}.md",
        f"{STEM}.html",
        f"{STEM}.json",
        f"{STEM}.xlsx",
        f"{STEM}-csv/summary.csv",
        f"{STEM}-trend.png",
        f"{STEM}-grades-by-standard.svg",
    } <= written
    lines = out.splitlines()
    assert (
        lines[0]
        == "Swindon Borough Council: cycle report for 2026-27 Q1 (2026-04-01 to 2026-06-30)"
    )
    assert lines[1] == "As of 2026-06-30 (the period's end); profile swindon 2026-01"
    assert lines[2] == "Small numbers suppressed: counts from 1 to 5 shown as c"
    assert re.search(rf"^Audits +{len(audits)}\s*$", out, re.M)
    assert f"Wrote {len(written)} files:" in out
    assert f"  {tmp_path / STEM}-csv/ (20 CSV files)" in lines
    published = from_dict(
        PublishedCycleReport, json.loads((tmp_path / f"{STEM}.json").read_text("utf-8"))
    )
    assert published.audits == len(audits)
    assert dict(
        zip(published.by_activity.row_keys, published.by_activity.row_totals, strict=True)
    ) == Counter(a.activity for a in audits)


def test_chosen_formats_a_mapped_export_a_cycle_and_child_level_detail(tmp_path: Path) -> None:
    bolton = EXAMPLES / "bolton"
    status, out, err = invoke(
        "report",
        "bolton",
        str(bolton / "audits.csv"),
        "--mapping",
        str(bolton / "audits.mapping.toml"),
        "--period",
        "cycle:2026-05-20",
        "--as-of",
        "2026-07-01",
        "--write",
        "md",
        "json",
        "--no-charts",
        "--child-level",
        "--out",
        str(tmp_path),
    )
    assert (status, err) == (0, "")
    stem = "bolton-2026-05-13-to-2026-06-23"
    assert names(tmp_path) == {
        f"qa-report-{stem}.md",
        f"qa-report-{stem}.json",
        f"OFFICIAL-SENSITIVE-child-level-{stem}.md",
        f"OFFICIAL-SENSITIVE-child-level-{stem}.json",
    }
    assert "As of 2026-07-01; profile bolton 2026-01" in out
    assert "OFFICIAL-SENSITIVE: 2 child-level files, naming children" in out
    report = json.loads((tmp_path / f"qa-report-{stem}.json").read_text("utf-8"))
    assert report["period"]["start"] == "2026-05-13"
    assert report["as_of"] == "2026-07-01"
    # Children are named in the child-level files only.
    children = {a.child_id for a in load_audits(bolton / "audits.jsonl", "bolton").accepted}
    detail = (tmp_path / f"OFFICIAL-SENSITIVE-child-level-{stem}.md").read_text("utf-8")
    assert set(re.findall(r"B\d{6}", detail)) & children
    for name in (f"qa-report-{stem}.md", f"qa-report-{stem}.json"):
        text = (tmp_path / name).read_text("utf-8")
        assert not set(re.findall(r"B\d{6}", text)) & children, name
        assert ".svg" not in text


def test_an_unsuppressed_copy_is_named_and_marked(tmp_path: Path) -> None:
    status, out, _ = invoke(
        "report",
        "swindon",
        str(SWINDON),
        "--period",
        "2026-05",
        "--unsuppressed",
        "--write",
        "json",
        "--out",
        str(tmp_path),
    )
    assert status == 0
    assert "NOT FOR PUBLICATION" in out
    (written,) = names(tmp_path)
    assert written == "qa-report-swindon-2026-05-not-for-publication.json"
    assert json.loads((tmp_path / written).read_text("utf-8"))["policy"]["enabled"] is False


def test_without_matplotlib_all_is_written_without_charts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_cmd, "charts_available", lambda: False)
    status, _out, err = invoke(
        "report", "swindon", str(SWINDON), "--period", "2026-27 Q1", "--out", str(tmp_path)
    )
    assert status == 0
    assert err.splitlines() == [
        f"qaframework: note: written without charts: {report_cmd.CHARTS_EXTRA}"
    ]
    assert not [n for n in names(tmp_path) if n.endswith((".svg", ".png"))]
    assert f"{STEM}.html" in names(tmp_path)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("nowhere", str(SWINDON), "--period", "2026-27 Q1"), "unknown profile 'nowhere'"),
        (("swindon", str(SWINDON), "--period", "2026-27 Q9"), "2026-27 Q9"),
        (("swindon", str(SWINDON), "--period", "cycle:20-05-2026"), "is not a date"),
        (
            ("swindon", str(SWINDON), "--period", "2026-05", "--write", "charts", "--no-charts"),
            "ask for opposite things",
        ),
        (
            ("swindon", str(SWINDON), "--period", "2026-05", "--write", "charts", "--child-level"),
            "--child-level writes md, html, json, csv, xlsx",
        ),
        (("swindon", str(SWINDON), "--period", "2026-05", "--threshold", "0"), "1 or more"),
        (("swindon", str(SWINDON), "--period", "2026-05", "--as-of", "2026-04-30"), "not begun"),
    ],
)
def test_a_bad_request_is_one_line_and_exit_status_2(
    argv: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    status, out, err = invoke("report", *argv, "--out", str(tmp_path / "out"))
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("qaframework")
    assert message in err
    assert not (tmp_path / "out").exists()


def test_the_report_day_defaults_to_the_periods_end(tmp_path: Path) -> None:
    status, _out, _ = invoke(
        "report", "swindon", str(SWINDON), "--period", "2026-05", "--write", "json",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert status == 0
    data = json.loads((tmp_path / "qa-report-swindon-2026-05.json").read_text("utf-8"))
    assert date.fromisoformat(data["as_of"]) == date(2026, 5, 31)


# -- data an export does not carry, and notes published only on request --------------------


def test_an_export_without_actions_says_not_recorded_not_zero(tmp_path: Path) -> None:
    """The same audits as CSV (no action columns) and as JSON: the CSV's report must not
    print "Overdue actions 0" where the JSON's counts them."""
    folder = EXAMPLES / "swindon"
    native = tmp_path / "native"
    status, from_json, err = invoke(
        "report", "swindon", str(SWINDON), "--period", "2026-27 Q1", "--out", str(native)
    )
    assert (status, err) == (0, "")
    overdue = re.search(r"^Overdue actions +(\S+)", from_json, re.M)
    assert overdue is not None
    assert overdue.group(1) not in ("0", "not")
    exported = tmp_path / "exported"
    status, from_csv, err = invoke(
        "report",
        "swindon",
        str(folder / "audits.csv"),
        "--mapping",
        str(folder / "audits.mapping.toml"),
        "--period",
        "2026-27 Q1",
        "--write",
        "md",
        "json",
        "csv",
        "--out",
        str(exported),
    )
    assert (status, err) == (0, "")
    assert re.search(r"^Overdue actions +not recorded in this export\s*$", from_csv, re.M)
    # Swindon's activities ask no checklist questions: the missing columns are not news.
    assert "Not recorded in this export: actions (figures needing them say so)" in from_csv
    data = json.loads((exported / f"{STEM}.json").read_text("utf-8"))
    published = from_dict(PublishedCycleReport, data)
    assert not published.recorded.actions
    assert published.actions.overdue_total is None
    assert published.actions.due is None
    markdown = (exported / f"{STEM}.md").read_text("utf-8")
    assert re.search(r"\| Actions overdue on 30 June 2026, whenever due \| not recorded", markdown)
    assert "| Actions overdue on 30 June 2026, whenever due | 0 |" not in markdown
    summary = (exported / f"{STEM}-csv" / "summary.csv").read_text("utf-8")
    assert "Actions due in the period,not recorded in this export" in summary


def test_notes_are_published_only_with_the_councils_opt_in(tmp_path: Path) -> None:
    status, out, err = invoke(
        "report",
        "swindon",
        str(SWINDON),
        "--period",
        "2026-27 Q1",
        "--write",
        "md",
        "--out",
        str(tmp_path / "default"),
    )
    assert (status, err) == (0, "")
    audits = load_audits(SWINDON, "swindon").accepted
    written = {j.strengths for a in audits for j in a.judgements if j.strengths} | {
        j.would_improve for a in audits for j in a.judgements if j.would_improve
    }
    assert written
    default = (tmp_path / "default" / f"{STEM}.md").read_text("utf-8")
    assert not [text for text in written if text in default]
    status, out, err = invoke(
        "report",
        "swindon",
        str(SWINDON),
        "--period",
        "2026-27 Q1",
        "--write",
        "md",
        "--publish-notes",
        "--out",
        str(tmp_path / "opted-in"),
    )
    assert (status, err) == (0, "")
    assert "Auditors' notes published at the council's request" in out
    opted_in = (tmp_path / "opted-in" / f"{STEM}.md").read_text("utf-8")
    assert [text for text in written if text in opted_in]
    assert "Published at the council's request (an opt-in)" in opted_in


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--child-id-pattern", "[0-9]+"), "--child-id-pattern goes with --publish-notes"),
        (("--publish-notes", "--child-id-pattern", "(["), "is not a regular expression"),
        (("--publish-notes", "--child-id-pattern", "x*"), "matches an empty word"),
    ],
)
def test_a_child_id_pattern_is_checked(argv: tuple[str, ...], message: str, tmp_path: Path) -> None:
    status, _out, err = invoke(
        "report", "swindon", str(SWINDON), "--period", "2026-27 Q1", *argv, "--out", str(tmp_path)
    )
    assert status == 2
    assert message in err
    assert len(err.splitlines()) == 1


def test_format_json_prints_the_summary_as_data(tmp_path: Path) -> None:
    status, out, err = invoke(
        "report", "swindon", str(SWINDON), "--period", "2026-27 Q1", "--write", "json",
        "--format", "json", "--out", str(tmp_path),
    )  # fmt: skip
    assert (status, err) == (0, "")
    data = json.loads(out)
    written = tmp_path / f"{STEM}.json"
    assert data["files"] == [str(written)]
    assert data["child_level_files"] == []
    published = json.loads(written.read_text("utf-8"))
    assert data["period"] == {"label": "2026-27 Q1", "start": "2026-04-01", "end": "2026-06-30"}
    assert data["as_of"] == published["as_of"] == "2026-06-30"
    assert data["as_of_given"] is False
    assert data["audits"] == published["audits"]
    assert data["suppression"] == {"enabled": True, "threshold": 5, "marker": "c"}
    share = data["good_or_better"]
    assert share["count"] == published["overall"]["overall"]["count"]
    assert 0 < share["lower"] <= share["share"] <= share["upper"] < 1
    for name in ("moderated", "escalations_open", "actions_overdue"):
        assert data[name] is None or isinstance(data[name], int)


def test_the_old_spelling_of_write_still_writes_and_says_the_new_one(tmp_path: Path) -> None:
    status, out, err = invoke(
        "report", "swindon", str(SWINDON), "--period", "2026-27 Q1", "--format", "md", "json",
        "--no-charts", "--out", str(tmp_path),
    )  # fmt: skip
    assert status == 0
    assert names(tmp_path) == {f"{STEM}.md", f"{STEM}.json"}
    assert err.splitlines() == [
        "qaframework: note: --format md json names files to write: say --write md json "
        "(--format now says how the summary prints: table or json)"
    ]
    assert "Wrote 2 files:" in out


def test_a_large_export_has_its_charts_drawn_by_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From DRAWER_FROM_BYTES on, the charts are drawn by a worker process started before
    the export is read: the same files and the same listing as drawn in the command."""
    pytest.importorskip("matplotlib")
    from qaframework.render import ChartDrawer

    argv = ("report", "swindon", str(SWINDON), "--period", "2026-27 Q1", "--format", "json")
    started: list[ChartDrawer] = []
    original = ChartDrawer.__init__

    def counted(self: ChartDrawer) -> None:
        started.append(self)
        original(self)

    monkeypatch.setattr(ChartDrawer, "__init__", counted)
    monkeypatch.setattr(report_cmd, "DRAWER_FROM_BYTES", SWINDON.stat().st_size + 1)
    status, alone, err = invoke(*argv, "--out", str(tmp_path / "alone"))
    assert (status, err, started) == (0, "", [])
    monkeypatch.setattr(report_cmd, "DRAWER_FROM_BYTES", SWINDON.stat().st_size)
    status, drawn, err = invoke(*argv, "--out", str(tmp_path / "drawn"))
    assert (status, err, len(started)) == (0, "", 1)

    def tree(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file()
        }

    assert tree(tmp_path / "drawn") == tree(tmp_path / "alone")
    assert [Path(p).relative_to(tmp_path / "drawn") for p in json.loads(drawn)["files"]] == [
        Path(p).relative_to(tmp_path / "alone") for p in json.loads(alone)["files"]
    ]
