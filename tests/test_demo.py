"""``qaframework demo``: one whole QA cycle per installed profile, end to end, with its report.

The demo runs in-process on every installed profile (the four bundled councils), once, into
a temporary directory; the files it writes are checked against the bundled example data it
is made from, which ``tests/test_examples.py`` checks against ``examples/generate.py``.
A third-party profile, registered by a test plugin, must run too.
"""

from __future__ import annotations

import json
import re
import tomllib
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from qaframework import from_dict, hookimpl
from qaframework.cli import demo_cmd
from qaframework.demo import (
    EXAMPLE_COUNCILS,
    EXAMPLE_PERIOD,
    EXAMPLE_SEED,
    DemoError,
    demo_period,
    draw_sample,
    example_data,
    run_cycle,
)
from qaframework.engine.report import PublishedCycleReport
from qaframework.io import load_audits
from qaframework.policy.case_filters import CaseFilter
from qaframework.policy.sampling import SamplingMethod
from qaframework.profiles.plugins import plugins_for_tests
from qaframework.profiles.registry import available_profiles
from tests.cli_run import invoke

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
EXAMPLESHIRE = Path(__file__).parent / "data" / "exampleshire.toml"
STEM = "qa-report-{id}-2026-27-q1"
TEXT_SUFFIXES = (".md", ".html", ".json", ".csv", ".svg")


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def aggregate_text(folder: Path) -> str:
    """All the text of a report's files: the text formats, and each XLSX file's XML."""
    parts: list[str] = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in TEXT_SUFFIXES:
            parts.append(path.read_text("utf-8"))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                parts.extend(book.read(name).decode("utf-8") for name in book.namelist())
    return "\n".join(parts)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo for every installed profile: where it wrote, what it printed."""
    out = tmp_path_factory.mktemp("demo") / "out"
    status, stdout, stderr = invoke("demo", "--out", str(out))
    assert status == 0, stderr
    return out, stdout, stderr


def test_every_installed_profile_is_demonstrated(demo: tuple[Path, str, str]) -> None:
    out, stdout, stderr = demo
    installed = {info.id for info in available_profiles()}
    assert set(EXAMPLE_COUNCILS) <= installed
    assert {p.name for p in out.iterdir()} == installed
    assert stderr == ""  # matplotlib is installed here: no note about charts
    for profile_id in installed:
        stem = STEM.format(id=profile_id)
        folder = out / profile_id
        for name in ("md", "html", "json", "xlsx"):
            assert (folder / f"{stem}.{name}").is_file(), (profile_id, name)
        for chart in ("grades-by-standard", "trend"):
            for suffix in ("svg", "png"):
                assert (folder / f"{stem}-{chart}.{suffix}").stat().st_size > 0
        assert (folder / f"{stem}-csv" / "summary.csv").is_file()
        # Each step of the cycle is reported.
        for label in ("Sample", "Moderation", "Escalations", "Actions", "Obligations", "Report"):
            assert re.search(rf"^  {label} +\S", stdout, re.M), label


@pytest.mark.parametrize("council", EXAMPLE_COUNCILS)
def test_the_report_is_of_the_councils_example_audits(
    council: str, demo: tuple[Path, str, str]
) -> None:
    out, stdout, _ = demo
    stem = STEM.format(id=council)
    data = json.loads((out / council / f"{stem}.json").read_text("utf-8"))
    published = from_dict(PublishedCycleReport, data)
    audits = load_audits(EXAMPLES / council / "audits.jsonl", council).accepted
    assert published.profile_id == council
    assert published.period.label == "2026-27 Q1"
    assert published.as_of == date(2026, 6, 30)
    assert published.policy.enabled
    # The counts are those of the bundled example files, made from the same seed.
    assert published.audits == len(audits) > 5
    by_activity = published.by_activity
    assert dict(zip(by_activity.row_keys, by_activity.row_totals, strict=True)) == Counter(
        a.activity for a in audits
    )
    moderated = sum(1 for a in audits if a.moderations)
    # A small count (1 to 5) is published suppressed, as Bolton's and Telford's moderations
    # are: their seeds state no sample size, so one audit a cycle is moderated.
    assert published.moderation.moderated == (None if 1 <= moderated <= 5 else moderated)
    # The Markdown names the council and the period, and links the charts beside it.
    markdown = (out / council / f"{stem}.md").read_text("utf-8")
    assert published.authority in markdown.splitlines()[0]
    assert "2026-27 Q1" in markdown
    assert f']({stem}-grades-by-standard.svg "' in markdown
    # The console says the same.
    assert f"{published.authority}: one QA cycle, 2026-27 Q1 (2026-04-01 to 2026-06-30)" in stdout
    assert f"{len(audits):,} audits" in stdout


@pytest.mark.parametrize("council", EXAMPLE_COUNCILS)
def test_the_printed_steps_agree_with_the_report(council: str) -> None:
    cycle = run_cycle(council)
    published = cycle.report.publishable()
    assert cycle.period == EXAMPLE_PERIOD
    assert cycle.profile.id == council
    # Escalations, actions and moderation as reported are those the steps found.
    assert published.escalations.raised == len(cycle.escalations.raised)
    assert published.escalations.open_total == cycle.escalations.open
    assert published.actions.overdue_total == len(cycle.actions.overdue())
    moderated = cycle.moderation.moderated
    assert published.moderation.moderated == (None if 1 <= moderated <= 5 else moderated)
    # The sample is drawn from the case list, for the profile's main graded activity, unless
    # its rule states its criteria in prose only (Swindon's): the demo invents no focus.
    rule = cycle.sample.activity.sampling
    assert cycle.sample.activity.graded
    assert cycle.obligations
    if rule is not None and rule.method is SamplingMethod.PURPOSIVE and rule.filter is None:
        assert cycle.sample.sample is None
        assert "rather than invent a focus" in cycle.sample.assumed[-1]
        return
    assert cycle.sample.sample is not None
    case_ids = {case.child_id for case in cycle.data.cases}
    assert set(cycle.sample.sample.child_ids) <= case_ids
    assert 0 < len(cycle.sample.sample.cases) <= len(case_ids)


@pytest.mark.parametrize("council", EXAMPLE_COUNCILS)
def test_no_child_id_is_in_the_aggregate_outputs(council: str, demo: tuple[Path, str, str]) -> None:
    out, stdout, _ = demo
    _profile, data = example_data(council)
    children = {case.child_id for case in data.cases} | {a.child_id for a in data.audits}
    assert children
    text = aggregate_text(out / council) + stdout
    found = set(re.findall(r"[A-Z]\d{6}", text)) & children
    assert not found, sorted(found)[:5]
    assert not any(name.startswith("OFFICIAL-SENSITIVE") for name in files_under(out / council))


def test_the_output_ends_with_where_the_files_are(demo: tuple[Path, str, str]) -> None:
    out, stdout, _ = demo
    lines = stdout.rstrip("\n").splitlines()
    installed = sorted(info.id for info in available_profiles())
    listed = lines[-len(installed) :]
    total = sum(len(files_under(out / profile_id)) for profile_id in installed)
    assert lines[-len(installed) - 1].startswith(f"Wrote {total} files ")
    assert len(installed) + 1 <= 8  # CI shows the last 8 lines
    for profile_id, line in zip(installed, listed, strict=True):
        html, _, rest = line.strip().partition(" and ")
        assert Path(html) == out / profile_id / f"{STEM.format(id=profile_id)}.html"
        assert Path(html).is_file()
        assert rest == f"{len(files_under(out / profile_id)) - 1} more files in {out / profile_id}/"


def test_the_demo_writes_the_same_files_every_time(
    demo: tuple[Path, str, str], tmp_path: Path
) -> None:
    out, stdout, _ = demo
    status, again, _ = invoke("demo", "--out", str(tmp_path))
    assert status == 0
    for folder in out.iterdir():
        first, second = files_under(folder), files_under(tmp_path / folder.name)
        assert first.keys() == second.keys()
        for name, content in first.items():
            assert content == second[name], f"{folder.name}/{name} differs between two runs"
    assert again.replace(str(tmp_path), str(out)) == stdout


def test_the_demo_of_one_profile(tmp_path: Path) -> None:
    status, stdout, _ = invoke("demo", "--profile", "swindon", "--out", str(tmp_path))
    assert status == 0
    assert [p.name for p in tmp_path.iterdir()] == ["swindon"]
    assert stdout.startswith("Swindon Borough Council: one QA cycle, 2026-27 Q1")
    # Swindon's purposive rule states its criteria in prose only: the demo draws nothing
    # rather than invent a focus, and says so.
    assert "nothing drawn for Monthly child practice audits" in stdout
    assert "the profile states no filter: the demo draws no sample rather than invent a focus" in (
        " ".join(stdout.split())
    )


@pytest.mark.parametrize(
    "argv",
    [("--profile", "nowhere"), ("--profile", "swindon", "--profile", "nowhere")],
)
def test_an_unknown_profile_is_one_line_and_writes_nothing(
    argv: tuple[str, ...], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    status, stdout, stderr = invoke("demo", *argv, "--out", str(out))
    assert status == 2
    assert stdout == ""
    assert stderr.splitlines() == [
        "qaframework: error: unknown profile 'nowhere' "
        f"(available: {', '.join(sorted(i.id for i in available_profiles()))})"
    ]
    assert not out.exists()


def test_without_matplotlib_the_reports_are_written_without_charts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_cmd, "charts_available", lambda: False)
    status, stdout, stderr = invoke("demo", "--profile", "telford", "--out", str(tmp_path))
    assert status == 0
    assert stderr.splitlines() == [
        "qaframework: note: written without charts: charts need matplotlib, the charts extra: "
        "pip install 'qaframework[charts]'"
    ]
    written = files_under(tmp_path / "telford")
    assert not [name for name in written if name.endswith((".svg", ".png"))]
    stem = STEM.format(id="telford")
    assert {f"{stem}.md", f"{stem}.html", f"{stem}.json", f"{stem}.xlsx"} <= written.keys()
    assert ".svg" not in written[f"{stem}.md"].decode("utf-8")
    assert "(Markdown, HTML, JSON, CSV, XLSX) into" in stdout


# --- A third-party profile -------------------------------------------------------------------


class ThirdParty:
    """A council's plugin that is not one of the bundled four: the example profile."""

    def __init__(self, *documents: dict[str, Any]) -> None:
        self.documents = documents

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        for document in self.documents:
            register(document)


def exampleshire(**changes: Any) -> dict[str, Any]:
    with EXAMPLESHIRE.open("rb") as file:
        document = tomllib.load(file)
    document.update(changes)
    return document


@pytest.fixture
def third_party() -> Iterator[None]:
    """The installed profiles and the example council, Exampleshire, beside them."""
    with plugins_for_tests(ThirdParty(exampleshire()), load_entry_points=True):
        yield


@pytest.mark.usefixtures("third_party")
def test_a_third_party_profile_is_demonstrated_with_the_others(tmp_path: Path) -> None:
    status, stdout, stderr = invoke("demo", "--out", str(tmp_path))
    assert status == 0, stderr
    assert {p.name for p in tmp_path.iterdir()} == {*EXAMPLE_COUNCILS, "exampleshire"}
    stem = STEM.format(id="exampleshire")
    folder = tmp_path / "exampleshire"
    markdown = (folder / f"{stem}.md").read_text("utf-8")
    assert "Exampleshire County Council" in markdown.splitlines()[0]
    assert "2026-27 Q1" in markdown
    data = json.loads((folder / f"{stem}.json").read_text("utf-8"))
    # It has no organisation file: its synthetic data is the generic council's.
    _profile, synthetic = example_data("exampleshire")
    assert synthetic.organisation.service_areas[0].name == "Early Help"
    assert data["audits"] == len(synthetic.audits) > 5
    children = {case.child_id for case in synthetic.cases}
    assert not set(re.findall(r"[A-Z]\d{6}", aggregate_text(folder))) & children
    assert "Exampleshire County Council: one QA cycle, 2026-27 Q1" in stdout
    listed = [line.strip() for line in stdout.splitlines()[-5:]]
    assert any(line.startswith(f"{folder / stem}.html and ") for line in listed)


def test_a_profile_that_begins_later_is_demonstrated_on_its_first_quarter(tmp_path: Path) -> None:
    later = exampleshire(version="2026-09", effective_from=date(2026, 9, 1))
    with plugins_for_tests(ThirdParty(later)):
        assert demo_period("exampleshire").label == "2026-27 Q3"
        status, stdout, stderr = invoke("demo", "--out", str(tmp_path))
    assert status == 0, stderr
    assert stdout.startswith(
        "Exampleshire County Council: one QA cycle, 2026-27 Q3 (2026-10-01 to 2026-12-31)"
    )
    report = tmp_path / "exampleshire" / "qa-report-exampleshire-2026-27-q3.json"
    assert json.loads(report.read_text("utf-8"))["period"]["label"] == "2026-27 Q3"


def test_the_nearest_quarter_wholly_governed_is_chosen() -> None:
    # Versions end on 31 May 2026 with a gap until 2026-09: Q1 and Q2 are not wholly
    # governed; 2025-26 Q4 (nearer Q1 than 2026-27 Q3) is.
    older = exampleshire(version="2025-01", effective_from=date(2025, 1, 1))
    older["effective_to"] = date(2026, 5, 31)
    newer = exampleshire(version="2026-09", effective_from=date(2026, 9, 1))
    with plugins_for_tests(ThirdParty(older, newer)):
        assert demo_period("exampleshire").label == "2025-26 Q4"
    short = exampleshire(version="2026-05", effective_from=date(2026, 5, 1))
    short["effective_to"] = date(2026, 6, 15)
    with plugins_for_tests(ThirdParty(short)):
        with pytest.raises(DemoError, match="no financial quarter is wholly under"):
            demo_period("exampleshire")
        status, stdout, stderr = invoke("demo", "--profile", "exampleshire")
    assert (status, stdout) == (2, "")
    assert len(stderr.splitlines()) == 1
    assert "no financial quarter is wholly under a version of profile 'exampleshire'" in stderr


def test_the_demo_data_is_the_bundled_example_files() -> None:
    """``examples/`` is written from the same settings: the demo's audits are those files'."""
    for council in EXAMPLE_COUNCILS:
        _profile, data = example_data(council)
        committed = load_audits(EXAMPLES / council / "audits.jsonl", council).accepted
        assert [a.id for a in data.audits] == [a.id for a in committed]
        assert [a.child_id for a in data.audits] == [a.child_id for a in committed]
    assert EXAMPLE_SEED == 20260401


# --- the sample step never invents a focus ----------------------------------------------------


def _swindon_with_a_filter() -> tuple[Any, Any]:
    """Swindon's profile whose child practice audit rule states its cases as a filter."""
    profile, data = example_data("swindon")
    activity = profile.activity("child_practice_audit")
    assert activity.sampling is not None
    rule = attrs.evolve(activity.sampling, filter=CaseFilter.where("legal_status", "CP", "CLA"))
    changed = attrs.evolve(activity, sampling=rule)
    profile = attrs.evolve(
        profile,
        activities=tuple(changed if a.id == activity.id else a for a in profile.activities),
    )
    return profile, data


def test_a_purposive_demo_sample_is_the_profiles_filter() -> None:
    profile, data = _swindon_with_a_filter()
    step = draw_sample(profile, data.cases, data.audits, EXAMPLE_PERIOD, seed=EXAMPLE_SEED)
    assert step.sample is not None
    statuses = {case.fields.get("Legal Status") for case in step.sample.cases}
    assert statuses == {"CP", "CLA"}
    expected = [c.child_id for c in data.cases if c.fields.get("Legal Status") in ("CP", "CLA")]
    assert list(step.sample.child_ids) == expected
    assert step.assumed == (
        "only cases where legal status is CP or CLA, as the profile's rule states",
    )


def test_a_purposive_rule_in_prose_draws_nothing_and_says_why() -> None:
    profile, data = example_data("swindon")
    step = draw_sample(profile, data.cases, data.audits, EXAMPLE_PERIOD, seed=EXAMPLE_SEED)
    assert step.sample is None
    (why,) = step.assumed
    assert why.startswith("nothing drawn: the rule's criteria are prose (Children open to")
    assert why.endswith("the demo draws no sample rather than invent a focus")
