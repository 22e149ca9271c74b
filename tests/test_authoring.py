"""The profile authoring kit: ``profile new`` and ``profile check``, following the tutorial.

The tutorial ``docs/adding-a-council.md`` builds a fictional council, Kestrel Vale, step by step.
These tests take its data file, its policy test, its changes for a second version and the
outputs it shows from the page itself, and follow the same steps, so the page cannot drift from
what the commands do.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from qaframework.authoring import (
    AuthoringError,
    check_files,
    find_data_files,
    scaffold_distribution,
)
from qaframework.authoring.checking import INCOMPLETE
from qaframework.cli import main
from qaframework.profiles.invariants import FILL_IN, INVARIANTS
from qaframework.profiles.plugins import plugins_for_tests
from qaframework.profiles.registry import read_profile_file
from qaframework.profiles.validation import profile_from_data

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "adding-a-council.md"
BOLTON_PLUGIN = REPO / "profiles" / "bolton" / "src" / "qaframework_bolton" / "__init__.py"
PACKAGE = "qaframework_kestrel_vale"
DATA = Path("src") / PACKAGE / "data"
NEW_ARGS = (
    "profile",
    "new",
    "kestrel_vale",
    "--authority",
    "Kestrel Vale Council",
    "--effective-from",
    "2026-04-01",
)
# The sections of a profile, each of which the scaffold marks to fill in.
SECTIONS = (
    "sources",
    "assumptions",
    "grade_scale",
    "roles",
    "standards",
    "forums",
    "reporting_lines",
    "activities",
    "moderation",
    "escalation",
    "action_timescales",
    "case_fields",
)


def tutorial_blocks() -> dict[str, str]:
    """The page's titled code blocks, by title."""
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = re.findall(r'^```\w+ title="([^"]+)"\n(.*?)^```$', text, re.DOTALL | re.MULTILINE)
    found = dict(blocks)
    assert len(found) == len(blocks), "two blocks of the tutorial share a title"
    return found


BLOCKS = tutorial_blocks()


def apply_changes(text: str, changes: str) -> str:
    """Apply the tutorial's changes: each ``@@`` part replaces its ``-`` lines by its ``+``
    lines, found by them and the unmarked lines around them (exactly once)."""
    parts: list[tuple[list[str], list[str]]] = []
    for line in changes.splitlines():
        if line.startswith("@@"):
            parts.append(([], []))
            continue
        old, new = parts[-1]
        if line[:1] in (" ", "-"):
            old.append(line[1:])
        if line[:1] in (" ", "+"):
            new.append(line[1:])
    for old, new in parts:
        before, after = "\n".join(old) + "\n", "\n".join(new) + "\n"
        assert text.count(before) == 1, f"the tutorial's change does not apply:\n{before}"
        text = text.replace(before, after)
    return text


def import_plugin(root: Path) -> ModuleType:
    """The scaffolded package's plugin module, imported from its directory (not installed)."""
    init = root / "src" / PACKAGE / "__init__.py"
    spec = importlib.util.spec_from_file_location(
        PACKAGE, init, submodule_search_locations=[str(init.parent)]
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


@pytest.fixture
def scaffolded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> Path:
    """Step 1: the tutorial's ``profile new``, run in an empty directory."""
    monkeypatch.chdir(tmp_path)
    status, out, err = run(*NEW_ARGS)
    assert (status, err) == (0, "")
    assert out == BLOCKS["profile new output"]
    return tmp_path / "qaframework-kestrel-vale"


@pytest.fixture
def filled(scaffolded: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Step 3: the data file filled with the tutorial's Kestrel Vale; in the distribution."""
    data_file = scaffolded / DATA / "2026-04-01.toml"
    data_file.write_text(BLOCKS[f"{DATA.as_posix()}/2026-04-01.toml"], encoding="utf-8")
    monkeypatch.chdir(scaffolded)
    return scaffolded


@pytest.fixture
def plugin(filled: Path) -> Iterator[ModuleType]:
    """Kestrel Vale registered as if installed: its own plugin, through the plugin manager."""
    module = import_plugin(filled)
    with plugins_for_tests(module):
        yield module


# -- profile new ------------------------------------------------------------------------


def test_new_writes_a_distribution_like_the_bundled_ones(scaffolded: Path) -> None:
    assert sorted(p.relative_to(scaffolded).as_posix() for p in scaffolded.rglob("*")) == [
        "README.md",
        "pyproject.toml",
        "src",
        f"src/{PACKAGE}",
        f"src/{PACKAGE}/__init__.py",
        f"src/{PACKAGE}/data",
        f"src/{PACKAGE}/data/2026-04-01.toml",
        f"src/{PACKAGE}/py.typed",
        "tests",
        "tests/test_conformance.py",
    ]
    project = tomllib.loads((scaffolded / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "qaframework-kestrel-vale"
    assert project["project"]["entry-points"]["qaframework"] == {"kestrel_vale": PACKAGE}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == [f"src/{PACKAGE}"]
    assert "uv" not in project["tool"]
    assert "Kestrel Vale Council" in project["project"]["description"]
    # The plugin is the bundled councils' own, below its docstring.
    plugin = (scaffolded / "src" / PACKAGE / "__init__.py").read_text(encoding="utf-8")
    bolton = BOLTON_PLUGIN.read_text(encoding="utf-8")
    assert plugin.split('"""', 2)[2] == bolton.split('"""', 2)[2]
    tests = (scaffolded / "tests" / "test_conformance.py").read_text(encoding="utf-8")
    assert "class TestKestrelValeConformance(ProfileConformance):" in tests
    assert 'profile_id = "kestrel_vale"' in tests
    readme = (scaffolded / "README.md").read_text(encoding="utf-8")
    assert f"pytest -o qaframework_profiles=src/{PACKAGE}/data/2026-04-01.toml" in readme
    assert "{{" not in readme + plugin + tests


def test_the_scaffold_data_file_is_a_valid_profile_marked_to_fill_in(scaffolded: Path) -> None:
    data_file = scaffolded / DATA / "2026-04-01.toml"
    document = read_profile_file(data_file)
    profile = profile_from_data(document, data_file.name)
    assert profile.id == "kestrel_vale"
    assert profile.effective_from == date(2026, 4, 1)
    assert profile.authority == "Kestrel Vale Council"
    assert profile.name.startswith(FILL_IN)
    # Every section of the format is present.
    assert set(SECTIONS) <= set(document)
    # With an example of each kind of rule: a quota held by several roles, a sampling rule
    # whose cases are a filter over case fields, and cadences owed around each child's events.
    activities = {a.id: a for a in profile.activities}
    assert len(activities["practice_observations"].quotas) == 2
    rule = activities["thematic_audit"].sampling
    assert rule is not None
    assert rule.filter is not None
    assert rule.filter.fields() == ("legal_status", "age_band", "placement_type")
    assert profile.case_fields[0].id == "placement_type"
    assert str(activities["closure_check"].cadence) == "before-event:case_closure/2WD"
    assert str(activities["panel_review"].cadence) == "after-event:panel/P12M/then/P1Y"


def test_the_tutorials_excerpts_of_the_scaffold_are_in_it(scaffolded: Path) -> None:
    text = (scaffolded / DATA / "2026-04-01.toml").read_text(encoding="utf-8")
    excerpts = re.findall(
        r"^```toml\n(.*?)^```$", TUTORIAL.read_text(encoding="utf-8"), re.S | re.M
    )
    assert len(excerpts) == 2
    for excerpt in excerpts:
        assert excerpt in text


def test_new_without_authority_marks_it_to_fill_in(tmp_path: Path) -> None:
    made = scaffold_distribution("north_marsh", tmp_path, effective_from=date(2027, 1, 4))
    assert made.root == tmp_path.resolve() / "qaframework-north-marsh"
    assert (
        made.data_file == made.root / "src" / "qaframework_north_marsh" / "data" / "2027-01-04.toml"
    )
    profile = profile_from_data(read_profile_file(made.data_file))
    assert profile.authority.startswith(FILL_IN)
    assert profile.sources[0].authority.startswith(FILL_IN)
    assert profile.version == "2027-01"
    report = check_files(made.root)
    assert "$.authority" in {f.path for f in report.incomplete}


def test_new_refuses_an_existing_directory(scaffolded: Path, run: Run) -> None:
    marker = scaffolded / "README.md"
    marker.write_text("the author's own work", encoding="utf-8")
    status, out, err = run(*NEW_ARGS)
    assert status == 2
    assert out == ""
    assert err.startswith("qaframework: error: ")
    assert "already exists" in err
    assert len(err.splitlines()) == 1
    assert marker.read_text(encoding="utf-8") == "the author's own work"


@pytest.mark.parametrize("name", ["KestrelVale", "kestrel-vale", "2vale", "_vale", ""])
def test_new_takes_only_a_lower_snake_case_id(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = run("profile", "new", name)
    assert status == 2
    assert "is not a profile id" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("authority", ['Kestrel "Vale"', "Kestrel\\Vale", "Kestrel\nVale", "  "])
def test_new_takes_an_authority_on_one_line_of_plain_text(authority: str, tmp_path: Path) -> None:
    with pytest.raises(AuthoringError, match="authority"):
        scaffold_distribution(
            "kestrel_vale", tmp_path, effective_from=date(2026, 4, 1), authority=authority
        )
    assert list(tmp_path.iterdir()) == []


def test_new_takes_its_date_from_today_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    before = date.today()
    status, _, _ = run("profile", "new", "kestrel_vale")
    after = date.today()
    assert status == 0
    (data_file,) = (tmp_path / "qaframework-kestrel-vale" / DATA).iterdir()
    assert data_file.name in {f"{before.isoformat()}.toml", f"{after.isoformat()}.toml"}


def _workspace(root: Path, name: str) -> None:
    root.mkdir()
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\n\n[tool.uv.workspace]\nmembers = ["profiles/*"]\n',
        encoding="utf-8",
    )


def test_workspace_source_only_inside_the_qaframework_workspace(tmp_path: Path) -> None:
    _workspace(tmp_path / "qaframework", "qaframework")
    _workspace(tmp_path / "other", "other")
    day = date(2026, 4, 1)
    inside = scaffold_distribution(
        "vale", tmp_path / "qaframework" / "profiles", effective_from=day
    )
    outside = scaffold_distribution(
        "vale", tmp_path / "qaframework" / "elsewhere", effective_from=day
    )
    other = scaffold_distribution("vale", tmp_path / "other" / "profiles", effective_from=day)
    assert (inside.in_workspace, outside.in_workspace, other.in_workspace) == (True, False, False)
    sources = tomllib.loads((inside.root / "pyproject.toml").read_text(encoding="utf-8"))
    assert sources["tool"]["uv"]["sources"] == {"qaframework": {"workspace": True}}
    for made in (outside, other):
        project = tomllib.loads((made.root / "pyproject.toml").read_text(encoding="utf-8"))
        assert "uv" not in project["tool"]


def test_templates_are_package_resources() -> None:
    folder = files("qaframework.authoring") / "templates" / "distribution"
    names = {entry.name for entry in folder.iterdir()}
    assert {"pyproject.toml.tmpl", "profile.toml.tmpl", "plugin.py.tmpl"} <= names


# -- profile check ----------------------------------------------------------------------


def test_check_lists_every_unfilled_section_of_a_fresh_scaffold(scaffolded: Path, run: Run) -> None:
    status, out, err = run("profile", "check", str(scaffolded), "--format", "json")
    assert (status, err) == (1, "")
    report = json.loads(out)
    assert report["ok"] is False
    assert report["errors"] == []
    incomplete = report["incomplete"]
    assert all(f["check"] == INCOMPLETE and f["incomplete"] for f in incomplete)
    assert all(f["message"].startswith(f"incomplete: {FILL_IN}") for f in incomplete)
    sections = {re.match(r"\$\.(\w+)", f["path"]).group(1) for f in incomplete}  # type: ignore[union-attr]
    assert set(SECTIONS) <= sections
    paths = {f["path"] for f in incomplete}
    # Text marked in place, and values that are not text, named by the FILL IN assumptions.
    assert {"$.name", "$.roles[0].title", "$.effective_from", "$.forums[qa_board].cadence"} <= paths
    assert {"$.grade_scale.grades[good].ilacs", "$.escalation[inadequate_audit].deadline"} <= paths
    # The scaffold's example of a rule stated without one of its details is a warning only.
    assert [(f["check"], f["path"], f["warning"]) for f in report["warnings"]] == [
        ("not_stated", "$.escalation[audit_shared].deadline", True)
    ]
    # The table says the same, ending as the tutorial shows.
    status, out, _ = run("profile", "check", str(scaffolded))
    assert status == 1
    assert out.endswith(BLOCKS["profile check summary"])
    assert f"{len(incomplete)} places" in BLOCKS["profile check summary"]
    assert "$.forums[qa_board].cadence" in out


def test_a_detail_not_stated_is_a_warning_and_the_check_passes(filled: Path, run: Run) -> None:
    """The tutorial's known unknown: a rule whose deadline is not stated checks with a warning
    naming the detail, and the profile passes (exit status 0)."""
    data = filled / DATA / "2026-04-01.toml"
    data.write_text(
        data.read_text(encoding="utf-8") + "\n" + BLOCKS["a rule whose deadline is not stated"],
        encoding="utf-8",
    )
    status, out, _ = run("profile", "check", ".", "--format", "json")
    assert status == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert (report["errors"], report["incomplete"]) == ([], [])
    assert [(f["path"], f["message"]) for f in report["warnings"]] == [
        (
            "$.escalation[audit_shared].deadline",
            "escalation rule 'Audit shared with the practitioner': the deadline is not stated: "
            "outputs it affects say that the profile does not know",
        )
    ]
    status, out, _ = run("profile", "check", ".")
    assert status == 0
    assert out.rstrip().endswith(
        "No problems: the profile validates and keeps every invariant. 1 warning: details not "
        "stated."
    )


def test_the_tutorial_council_checks_clean(filled: Path, run: Run) -> None:
    status, out, err = run("profile", "check", ".")
    assert (status, err) == (0, "")
    assert out == BLOCKS["profile check output"]
    status, out, _ = run("profile", "check", ".", "--format", "json")
    assert status == 0
    assert json.loads(out) == {
        "target": ".",
        "ok": True,
        "versions": [
            {
                "label": "kestrel_vale 2026-04 (from 2026-04-01)",
                "source": f"{DATA.as_posix()}/2026-04-01.toml",
                "effective_from": "2026-04-01",
            }
        ],
        "errors": [],
        "incomplete": [],
        "warnings": [],
    }


def test_registered_it_is_listed_and_checked_by_id(plugin: ModuleType, run: Run) -> None:
    status, out, _ = run("profiles", "--format", "json")
    assert status == 0
    (entry,) = json.loads(out)
    assert entry["id"] == "kestrel_vale"
    assert entry["authority"] == "Kestrel Vale Council"
    assert entry["versions"][0]["plugin"] == PACKAGE
    status, out, _ = run("profiles")
    assert "kestrel_vale" in out
    status, out, err = run("profile", "check", "kestrel_vale")
    assert (status, err) == (0, "")
    assert "No problems" in out
    status, out, _ = run("schedule", "kestrel_vale", "--year", "2026-27", "--format", "csv")
    assert status == 0
    assert "Monthly case file audit" in out


def test_the_scaffolded_tests_and_the_tutorials_policy_test_pass(
    filled: Path, pytester: pytest.Pytester
) -> None:
    data_file = filled / DATA / "2026-04-01.toml"
    pytester.makeini(f"[pytest]\nqaframework_profiles = {data_file}\n")
    pytester.makepyfile(
        test_conformance=(filled / "tests" / "test_conformance.py").read_text(encoding="utf-8"),
        test_kestrel_vale=BLOCKS["tests/test_kestrel_vale.py"],
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("passed", 0) > len(INVARIANTS)
    assert "failed" not in outcomes
    assert "error" not in outcomes
    result.stdout.fnmatch_lines(["*test_conformance.py*", "*test_kestrel_vale.py*"])


def test_the_scaffolded_tests_fail_while_anything_is_left_to_fill_in(
    scaffolded: Path, pytester: pytest.Pytester
) -> None:
    data_file = scaffolded / DATA / "2026-04-01.toml"
    pytester.makeini(f"[pytest]\nqaframework_profiles = {data_file}\n")
    pytester.makepyfile(
        test_conformance=(scaffolded / "tests" / "test_conformance.py").read_text(encoding="utf-8")
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "not random and not calendar")
    result.assert_outcomes(passed=result.parseoutcomes()["passed"], failed=1)
    result.stdout.fnmatch_lines(["*test_nothing_is_left_to_fill_in*", "*$.name: incomplete*"])


def test_the_tutorials_second_version_checks_and_diffs_as_shown(
    filled: Path, plugin: ModuleType, run: Run
) -> None:
    first = filled / DATA / "2026-04-01.toml"
    second = filled / DATA / "2027-04-01.toml"
    changes = BLOCKS[f"{DATA.as_posix()}/2027-04-01.toml"]
    second.write_text(apply_changes(first.read_text(encoding="utf-8"), changes), encoding="utf-8")
    status, out, _ = run("profile", "check", ".")
    assert status == 0
    assert "Checked .: 2 versions" in out
    status, out, _ = run(
        "profile", "check", "kestrel_vale", "--as-of", "2027-06-01", "--format", "json"
    )
    assert status == 0
    assert [v["label"] for v in json.loads(out)["versions"]] == [
        "kestrel_vale 2027-04 (from 2027-04-01)"
    ]
    status, out, err = run(
        "profile",
        "diff",
        "kestrel_vale",
        "--from",
        "2026-06-01",
        "--to",
        "2027-06-01",
        "--format",
        "md",
    )
    assert (status, err) == (0, "")
    assert out == BLOCKS["profile diff output"]


def _break(filled: Path, old: str, new: str) -> None:
    data_file = filled / DATA / "2026-04-01.toml"
    text = data_file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    data_file.write_text(text.replace(old, new), encoding="utf-8")


def test_check_reports_validation_problems_with_their_paths(filled: Path, run: Run) -> None:
    _break(filled, 'who = ["qa_lead"]\ncadence = "P3M"', 'who = ["qa_officer"]\ncadence = "P3W"')
    _break(filled, "graded = true", 'graded = "yes"')
    status, out, _ = run("profile", "check", ".", "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert report["versions"] == []
    found = {(f["check"], f["path"]) for f in report["errors"]}
    assert ("validation", "$.activities[1].who[0]") in found
    assert ("validation", "$.activities[0].graded") in found
    assert report["incomplete"] == []
    status, out, _ = run("profile", "check", ".")
    assert status == 1
    assert "qa_officer" in out
    assert "2 errors, 0 places still to fill in." in out


def test_check_reports_invariant_problems_and_unfilled_places_together(
    filled: Path, run: Run
) -> None:
    # Valid data, but an activity reported nowhere with no assumption saying so, and a title
    # left to fill in.
    _break(filled, 'reported_via = ["monthly_qa_report"]\n', "")
    _break(filled, 'title = "Assessment"', 'title = "FILL IN: the second standard"')
    status, out, _ = run("profile", "check", ".", "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert [(f["check"], f["path"]) for f in report["errors"]] == [
        ("activities", "$.activities[3].reported_via")
    ]
    assert [f["path"] for f in report["incomplete"]] == ["$.standards[1].title"]
    assert report["errors"][0]["version"] == "kestrel_vale 2026-04 (from 2026-04-01)"


def test_check_reports_a_file_that_does_not_parse_and_checks_the_rest(
    filled: Path, run: Run
) -> None:
    (filled / DATA / "2027-04-01.toml").write_text("id = \n", encoding="utf-8")
    status, out, _ = run("profile", "check", ".", "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert len(report["versions"]) == 1
    ((check, path, source),) = [(f["check"], f["path"], f["source"]) for f in report["errors"]]
    # A syntax error names its line and column, and says what usually causes it.
    assert (check, path) == ("read", "line 1, column 6")
    (message,) = [f["message"] for f in report["errors"]]
    assert message.startswith("cannot parse the file: Invalid value at line 1, column 6. Hint: ")
    assert source.endswith("2027-04-01.toml")


def test_a_file_that_does_not_load_is_not_reported_as_checked(filled: Path, run: Run) -> None:
    """A check that loads no version says so: never "Checked x: 0 versions"."""
    broken = filled / DATA / "2026-04-01.toml"
    broken.write_text("id = \n", encoding="utf-8")
    status, out, _ = run("profile", "check", str(broken))
    assert status == 1
    assert "0 versions" not in out
    assert out.startswith(f"Could not check {broken}: no version of it loads (problems below)")
    assert "line 1, column 6" in out


def test_check_takes_a_data_file_or_a_directory_of_them(filled: Path, run: Run) -> None:
    data = filled / DATA
    assert find_data_files(filled) == (data / "2026-04-01.toml",)
    assert find_data_files(data) == (data / "2026-04-01.toml",)
    assert find_data_files(data / "2026-04-01.toml") == (data / "2026-04-01.toml",)
    status, _, _ = run("profile", "check", str(data / "2026-04-01.toml"))
    assert status == 0
    # An id-shaped name that no installed profile has is read as a path.
    status, _, _ = run("profile", "check", "src")
    assert status == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("no_such_council",), "unknown profile 'no_such_council'"),
        (("missing/dir",), "missing/dir: no such file or directory"),
        (("README.md",), "a profile data file ends in .toml or .json"),
        (("tests",), "no profile data files"),
        ((".", "--as-of", "2025-01-01"), "no version in force on 2025-01-01"),
        (("bolton", "--as-of", "2025-06-01"), "no version in force on 2025-06-01"),
        ((".", "--as-of", "tomorrow"), "not a date"),
    ],
)
def test_check_bad_input_is_one_line_and_status_2(
    argv: tuple[str, ...], message: str, filled: Path, run: Run
) -> None:
    status, out, err = run("profile", "check", *argv)
    assert status == 2
    assert out == ""
    assert message in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("profile_id", ["bolton", "manchester", "swindon", "telford"])
def test_every_bundled_council_checks_clean(profile_id: str, run: Run) -> None:
    status, out, err = run("profile", "check", profile_id, "--format", "json")
    report: dict[str, Any] = json.loads(out)
    assert (status, err) == (0, ""), report["errors"]
    assert report["versions"]


def test_check_of_a_bundled_council_as_of_a_day_takes_that_version(run: Run) -> None:
    status, out, _ = run("profile", "check", "bolton", "--as-of", "2023-01-01", "--format", "json")
    assert status == 0
    assert [v["effective_from"] for v in json.loads(out)["versions"]] == ["2021-11-01"]
