"""The command line speaks in its own flags and keeps ids whole: what ``sample`` asks for,
what it does given neither --activity nor --method, how much of a sample its JSON lists,
``profile diff``'s format word, one error prefix, and ids in ``profile show``'s tables."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qaframework
from qaframework import hookimpl
from qaframework.profiles.plugins import plugins_for_tests
from tests.cli_run import invoke

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
# How the library's advice names its Python arguments: never what the command line says.
PYTHON_WORDS = re.compile(
    r"\bpass (n|the filter)\b|\bas where\b|sample_size\(\)|\bn=\d|\bn does not"
)


def _sample(council: str, *argv: str) -> tuple[int, str, str]:
    cases = str(EXAMPLES / council / "cases.csv")
    return invoke("sample", council, cases, "--as-of", "2026-07-01", *argv)


@pytest.mark.parametrize(
    ("council", "argv", "flags"),
    [
        # A purposive rule with prose criteria and no filter needs --where.
        ("swindon", ("--activity", "child_practice_audit"), "--where FIELD=VALUE"),
        # A fixed quota refuses another size, named by its flag.
        ("manchester", ("--activity", "file_audit", "--n", "40"), "--n 40 contradicts it"),
        # Every case meeting the criteria: no size applies.
        (
            "swindon",
            ("--activity", "child_practice_audit", "--where", "team=Early Help 1", "--n", "3"),
            "leave out --n and --margin",
        ),
    ],
)
def test_sample_asks_in_flags(council: str, argv: tuple[str, ...], flags: str) -> None:
    status, out, err = _sample(council, *argv, "--format", "json")
    assert status == 2
    assert out == ""
    assert flags in err
    assert not PYTHON_WORDS.search(err), err


def test_a_rule_without_a_size_asks_for_n_or_margin(tmp_path: Path) -> None:
    # A dip sample's rule in Bolton gives no size.
    profile = qaframework.load_profile("bolton", as_of=qaframework.Period.parse("2026-07").end)
    dip = next(
        a for a in profile.activities if a.sampling and a.sampling.method.value == "dip_sample"
    )
    if dip.sampling is not None and dip.sampling.size is not None:
        pytest.skip("Bolton's dip sample rule states a size")
    status, _out, err = _sample("bolton", "--activity", dip.id)
    assert status == 2
    assert "give --n N, or --margin M to size it for a margin of error" in err
    assert not PYTHON_WORDS.search(err), err


def test_sample_without_activity_or_method_follows_the_case_file_audit() -> None:
    status, out, err = _sample("bolton", "--n", "40", "--format", "json")
    assert status == 0, err
    assert err.splitlines() == [
        "qaframework: note: sampled by the rule of activity 'quality_case_file_audits' "
        "(Quality Case File Audits), the council's case-file audit; --activity or --method "
        "chooses another way"
    ]
    data = json.loads(out)
    assert data["activity"] == "quality_case_file_audits"
    assert len(data["sample"]["cases"]) == 40


def test_sample_without_activity_or_method_never_says_both() -> None:
    # Swindon's case-file audit is purposive: it needs --where, and says so.
    status, _out, err = _sample("swindon", "--n", "40")
    assert status == 2
    assert "not both" not in err
    assert "activity 'child_practice_audit'" in err
    assert "--where FIELD=VALUE" in err


def test_given_both_it_says_not_both() -> None:
    status, _out, err = _sample("swindon", "--activity", "thematic_audit", "--method", "random")
    assert status == 2
    assert "give --activity (the profile's own sampling rule) or --method, not both" in err


def _big_exclusion() -> tuple[int, str, str]:
    return _sample(
        "swindon", "--method", "random", "--n", "20", "--where", "service_area=Family Safeguarding",
        "--exclude-audited", str(EXAMPLES / "swindon" / "audits.jsonl"), "--format", "json",
    )  # fmt: skip


def test_a_json_sample_lists_what_was_drawn_and_counts_what_was_left_out() -> None:
    status, out, _err = _big_exclusion()
    assert status == 0
    data = json.loads(out)
    sample = data["sample"]
    drawn = {case["child_id"] for case in sample["cases"]}
    assert len(drawn) == 20
    left_out = sum(e["count"] for e in sample["exclusions"])
    assert left_out > 200
    assert all("child_ids" not in e for e in sample["exclusions"])
    # No child but those drawn is named.
    named = set(re.findall(r'"(S\d{6})"', out))
    assert named == drawn
    assert len(out) < 20_000


def test_show_excluded_lists_the_children_left_out() -> None:
    plain = json.loads(_big_exclusion()[1])
    status, out, _err = invoke(
        "sample", "swindon", str(EXAMPLES / "swindon" / "cases.csv"), "--as-of", "2026-07-01",
        "--method", "random", "--n", "20", "--where", "service_area=Family Safeguarding",
        "--exclude-audited", str(EXAMPLES / "swindon" / "audits.jsonl"), "--format", "json",
        "--show-excluded",
    )  # fmt: skip
    assert status == 0
    shown = json.loads(out)["sample"]
    assert shown["cases"] == plain["sample"]["cases"]
    for exclusion in shown["exclusions"]:
        assert len(exclusion["child_ids"]) == exclusion["count"]


def test_profile_diff_says_md_and_reads_markdown_with_a_note() -> None:
    argv = ("profile", "diff", "bolton", "--from", "2024-01-01", "--to", "2026-06-01")
    status, new, err = invoke(*argv, "--format", "md")
    assert (status, err) == (0, "")
    assert new.startswith("# bolton")
    status, old, err = invoke(*argv, "--format", "markdown")
    assert status == 0
    assert old == new
    assert err == "qaframework: note: --format markdown is spelt md, as for every command\n"


@pytest.mark.parametrize(
    "argv",
    [
        ("schedule", "bolton", "--format", "pdf"),
        ("sample", "swindon", "cases.csv", "--n", "many"),
        ("register", "tracker"),
        ("profile", "diff"),
        ("frobnicate",),
        ("schedule", "bolton", "--from", "2026-05-01"),
    ],
)
def test_every_error_has_one_prefix(argv: tuple[str, ...]) -> None:
    status, out, err = invoke(*argv)
    assert status == 2
    assert out == ""
    assert err.startswith("qaframework: error: "), err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("council", ["bolton", "manchester", "swindon", "telford"])
def test_profile_show_keeps_every_id_whole(council: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    status, out, _err = invoke("profile", "show", council)
    assert status == 0
    profile = qaframework.load_profile(council)
    ids = {
        item.id
        for section in (
            profile.activities,
            profile.roles,
            profile.forums,
            profile.reporting_lines,
            profile.standards,
            profile.moderation,
            profile.escalation,
            profile.action_timescales,
            profile.assumptions,
        )
        for item in section
    }
    cells = {cell.strip() for line in out.splitlines() for cell in line.split("│") if cell.strip()}
    known = ids | set(profile.grade_scale.codes)
    for item in ids:
        assert item in cells, f"{item} is not in a cell of its own, whole"
        broken = [c for c in cells if "_" in c and len(c) >= 5 and item.startswith(c) and c != item]
        assert not [c for c in broken if c not in known], f"{item} wraps: {broken}"


class _NoCaseFileAudit:
    """The example council with its monthly case file audit made as-required: no graded
    activity recurs, so no one rule is the case-file audit's."""

    @hookimpl
    def register_profiles(self, register: Callable[[Any], None]) -> None:
        with (REPO / "tests" / "data" / "exampleshire.toml").open("rb") as file:
            document = tomllib.load(file)
        document["activities"][0]["cadence"] = "as-required"
        register(document)


def test_without_a_case_file_audit_it_lists_the_choices(tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text("Child Unique ID,Allocated Team\nE-1,North\n", encoding="utf-8")
    with plugins_for_tests(_NoCaseFileAudit()):
        status, out, err = invoke("sample", "exampleshire", str(cases), "--n", "1")
    assert (status, out) == (2, "")
    assert err.startswith("qaframework: error: give --activity A, an activity of exampleshire")
    assert "case_file_audit (Case file audit); thematic_audit" in err
    assert "or --method M (random, stratified, purposive, dip, quota)" in err
    assert len(err.splitlines()) == 1


# -- a column mapping beside the export ---------------------------------------------------


@pytest.fixture
def beside(tmp_path: Path) -> Path:
    """Bolton's export as a council saves it: the CSV with its mapping beside it."""
    for name in ("audits.csv", "audits.mapping.toml", "audits.jsonl"):
        (tmp_path / name).write_bytes((EXAMPLES / "bolton" / name).read_bytes())
    return tmp_path


def test_a_mapping_beside_the_export_is_used_and_said(beside: Path) -> None:
    export = str(beside / "audits.csv")
    status, out, err = invoke("audits", "validate", "bolton", export, "--format", "json")
    assert status == 0, err
    assert json.loads(out)["accepted"] == 152
    assert err.splitlines() == [
        f"qaframework: note: {export} is read with the column mapping beside it, "
        "audits.mapping.toml (--mapping names another)"
    ]
    status, out, err = invoke(
        "report", "bolton", export, "--period", "2026-27 Q1", "--write", "json",
        "--format", "json", "--out", str(beside / "out"),
    )  # fmt: skip
    assert status == 0, err
    assert json.loads(out)["audits"] == 152
    assert "audits.mapping.toml" in err


def test_the_mapping_flag_wins_and_json_is_read_natively(beside: Path) -> None:
    export = str(beside / "audits.csv")
    mapping = str(EXAMPLES / "bolton" / "audits.mapping.toml")
    status, _out, err = invoke(
        "audits", "validate", "bolton", export, "--mapping", mapping, "--format", "json"
    )
    assert (status, err) == (0, "")
    # A JSON Lines export is in the library's own form: the CSV's mapping beside it is not
    # for it.
    status, out, err = invoke(
        "audits", "validate", "bolton", str(beside / "audits.jsonl"), "--format", "json"
    )
    assert (status, err) == (0, "")
    assert json.loads(out)["accepted"] == 152


def test_each_export_of_a_command_has_its_own_mapping_beside_it(beside: Path) -> None:
    # The case list has no mapping beside it; the audits export left out has one.
    status, out, err = invoke(
        "sample", "bolton", str(EXAMPLES / "bolton" / "cases.csv"), "--method", "random",
        "--n", "5", "--as-of", "2026-07-01", "--exclude-audited", str(beside / "audits.csv"),
        "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    assert "(--audits-mapping names another)" in err
    (exclusion,) = json.loads(out)["sample"]["exclusions"]
    assert exclusion["count"] > 0
