"""Record-level frames for analysis: grades as ordered categories in the scale's order (not
text sorted alphabetically), dates as dates, cycles as days rather than text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pandas as pd
import polars as pl
import pytest

from qaframework.engine.audits import Audit, Judgement
from qaframework.engine.frames import FramesError
from qaframework.io import AuditLoad, load_audits, write_audits
from qaframework.io.frames import record_frames
from qaframework.policy.grades import Grade, GradeScale, Ilacs, grade_order
from qaframework.profiles.registry import get_registry, load_profile
from qaframework.render.frames import audit_frames

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def swindon() -> AuditLoad:
    return load_audits(EXAMPLES / "swindon" / "audits.jsonl", "swindon")


def test_a_load_knows_the_grades_of_its_versions(swindon: AuditLoad) -> None:
    assert swindon.grades == load_profile("swindon").grade_scale.codes


def test_pandas_grades_are_ordered_categories_best_first(swindon: AuditLoad) -> None:
    frames = swindon.to_pandas()
    codes = list(swindon.grades)
    for frame, column in (
        ("audits", "overall_grade"),
        ("audits", "moderated_grade"),
        ("audits", "final_grade"),
        ("judgements", "grade"),
        ("moderations", "grade"),
    ):
        values = frames[frame][column]
        assert isinstance(values.dtype, pd.CategoricalDtype), (frame, column)
        assert values.cat.ordered
        assert list(values.cat.categories) == codes
    overall = frames["audits"]["overall_grade"]
    # Sorted, the grades run best first: not alphabetically, as text did.
    ranked = overall.dropna().sort_values().unique().tolist()
    assert ranked == [c for c in codes if c in set(overall.dropna())]
    assert ranked != sorted(ranked)
    # Comparison follows the scale: good or better is "at most good".
    assert (overall.dropna() <= "good").sum() == sum(
        1 for a in swindon.accepted if a.overall_grade in codes[: codes.index("good") + 1]
    )
    # An ungraded audit's grade stays missing, never a grade.
    audit = attrs.evolve(swindon.accepted[0], overall_grade=None, judgements=(), moderations=())
    ungraded = record_frames([audit], grades=swindon.grades)["audits"]["overall_grade"]
    assert ungraded.isna().all()
    assert list(ungraded.cat.categories) == codes


def test_polars_grades_are_enums_best_first(swindon: AuditLoad) -> None:
    frames = swindon.to_polars()
    enum = pl.Enum(list(swindon.grades))
    assert frames["audits"].schema["overall_grade"] == enum
    assert frames["judgements"].schema["grade"] == enum
    assert frames["moderations"].schema["grade"] == enum
    first = frames["audits"].drop_nulls("overall_grade").sort("overall_grade")["overall_grade"]
    assert first[0] == swindon.grades[0] or swindon.grades[0] not in set(first)


def test_dates_and_cycles_are_real_values(swindon: AuditLoad) -> None:
    pandas = swindon.to_pandas()["audits"]
    assert str(pandas["audit_date"].dtype).startswith("datetime64")
    assert str(pandas["cycle"].dtype).startswith("datetime64")
    assert str(pandas["cycle_end"].dtype).startswith("datetime64")
    polars = swindon.to_polars()["audits"]
    assert polars.schema["cycle"] == pl.Date
    assert polars.schema["cycle_end"] == pl.Date
    assert polars.schema["cycle_label"] == pl.String
    by_id = {row["audit_id"]: row for row in polars.iter_rows(named=True)}
    for audit in swindon.accepted:
        row = by_id[audit.id]
        assert row["cycle_label"] == audit.cycle
        # Swindon names a cycle by its first day.
        expected = date.fromisoformat(audit.cycle) if audit.cycle else None
        assert row["cycle"] == expected
        assert row["cycle_end"] is None


def _audits_with_cycles(load: AuditLoad, labels: list[str | None]) -> list[Audit]:
    return [
        attrs.evolve(audit, cycle=label)
        for audit, label in zip(load.accepted, labels, strict=False)
    ]


def test_a_cycle_written_as_a_period_has_its_first_and_last_day(swindon: AuditLoad) -> None:
    labels = ["2026-05", "2026-27 Q1", "2026-04-01..2026-05-12", "Cycle 3", None, "2026-06-01"]
    frames = record_frames(_audits_with_cycles(swindon, labels), backend="polars")
    found = [
        (r["cycle"], r["cycle_end"], r["cycle_label"])
        for r in frames["audits"].iter_rows(named=True)
    ]
    assert found == [
        (date(2026, 5, 1), date(2026, 5, 31), "2026-05"),
        (date(2026, 4, 1), date(2026, 6, 30), "2026-27 Q1"),
        (date(2026, 4, 1), date(2026, 5, 12), "2026-04-01..2026-05-12"),
        (None, None, "Cycle 3"),  # not a day or a period: kept as written, no day guessed
        (None, None, None),
        (date(2026, 6, 1), None, "2026-06-01"),
    ]


def test_without_grades_a_list_of_audits_keeps_the_codes_as_text(swindon: AuditLoad) -> None:
    frames = audit_frames(list(swindon.accepted[:20]))
    assert not isinstance(frames["audits"]["overall_grade"].dtype, pd.CategoricalDtype)
    scale = load_profile("swindon").grade_scale
    ordered = audit_frames(list(swindon.accepted[:20]), grades=scale)
    assert list(ordered["audits"]["overall_grade"].cat.categories) == list(scale.codes)


def test_a_grade_not_among_those_given_is_refused_not_lost(swindon: AuditLoad) -> None:
    graded = next(a for a in swindon.accepted if a.judgements)
    odd = attrs.evolve(graded, judgements=(Judgement("seen_alone", "splendid"),))
    with pytest.raises(FramesError, match=r"a judgement holds grades .*: splendid"):
        record_frames([odd], grades=swindon.grades)
    with pytest.raises(FramesError, match="repeat a code"):
        record_frames([graded], grades=("good", "good"))


def _scale(scale_id: str, grades: list[tuple[str, Ilacs]]) -> GradeScale:
    return GradeScale(
        scale_id,
        scale_id,
        tuple(Grade(code, code.replace("_", " ").capitalize(), ilacs) for code, ilacs in grades),
        grades[1][0],
        load_profile("swindon").grade_scale.citation,
    )


def test_scales_of_several_versions_merge_on_the_ilacs_crosswalk() -> None:
    older = _scale(
        "old",
        [
            ("outstanding", Ilacs.OUTSTANDING),
            ("good", Ilacs.GOOD),
            ("requires_improvement", Ilacs.REQUIRES_IMPROVEMENT),
            ("inadequate", Ilacs.INADEQUATE),
        ],
    )
    newer = _scale(
        "new",
        [
            ("outstanding", Ilacs.OUTSTANDING),
            ("meets_good", Ilacs.GOOD),
            ("does_not_yet_meet_good", Ilacs.REQUIRES_IMPROVEMENT),
            ("inadequate", Ilacs.INADEQUATE),
        ],
    )
    assert grade_order([older]) == older.codes
    assert grade_order([older, older]) == older.codes
    assert grade_order([older, newer]) == (
        "outstanding",
        "meets_good",
        "good",
        "does_not_yet_meet_good",
        "requires_improvement",
        "inadequate",
    )
    assert grade_order([]) == ()


def test_a_load_across_bolton_s_two_frameworks_orders_both_scales(tmp_path: Path) -> None:
    registry = get_registry()
    old, new = registry.load_all_versions("bolton")
    assert old.grade_scale.codes != new.grade_scale.codes
    current = load_audits(EXAMPLES / "bolton" / "audits.jsonl", "bolton")
    # An audit of 2024 under the old framework, beside the 2026 ones.
    activity = next(a for a in old.activities if a.graded)
    earlier = Audit(
        id="BOL-2024-1",
        child_id="B000001",
        activity=activity.id,
        audit_date=date(2024, 6, 3),
        auditor="x.1",
        auditor_role=activity.who[0],
        overall_grade=old.grade_scale.codes[-1],
    )
    both = tmp_path / "audits.jsonl"
    write_audits([earlier, *current.accepted], both)
    load = load_audits(both, "bolton")
    assert load.rejected == ()
    assert load.grades == grade_order([old.grade_scale, new.grade_scale])
    assert set(load.grades) == set(old.grade_scale.codes) | set(new.grade_scale.codes)
    overall = load.to_pandas()["audits"]["overall_grade"]
    assert list(overall.cat.categories) == list(load.grades)
    assert current.grades == new.grade_scale.codes
