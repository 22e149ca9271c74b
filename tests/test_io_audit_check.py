"""The bulk loader's screen: ``AuditCheck.passes`` is true exactly when ``problems`` is empty.

The loaders accept an audit when :meth:`AuditCheck.passes` says so and only then list its
problems, so the two must agree on every audit, valid or not.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qaframework.engine.audits import (
    Audit,
    AuditAction,
    AuditCheck,
    Judgement,
    ModerationRecord,
    check_audit,
)
from qaframework.policy.actions import ActionStatus
from qaframework.policy.activities import JudgementField
from qaframework.policy.moderation import ModerationOutcome
from qaframework.policy.profile import Profile
from qaframework.profiles.registry import load_profile

START = date(2026, 1, 5)  # the example profile's effective date


@pytest.fixture(scope="module")
def profiles(example_profile: Profile) -> list[Profile]:
    """The example profile, a variant whose audits require judgement fields, and Bolton 2026."""
    case_file, transfer, *rest = example_profile.activities
    demanding = attrs.evolve(
        example_profile,
        activities=(
            attrs.evolve(case_file, judgement_fields=(JudgementField.RATIONALE,)),
            attrs.evolve(transfer, judgement_fields=tuple(JudgementField)),
            *rest,
        ),
    )
    return [example_profile, demanding, load_profile("bolton", as_of=date(2026, 3, 1))]


def _mostly(valid: list[str], invalid: list[str]) -> st.SearchStrategy[str]:
    """Valid values four times in five, so that valid audits are common too."""
    return st.sampled_from(valid * 4 * len(invalid) + invalid)


def _texts() -> st.SearchStrategy[str | None]:
    return st.sampled_from(["reason", " padded "] * 8 + [None, "", " ", "\t\n"])


@st.composite
def audits(draw: st.DrawFn, profile: Profile) -> Audit:
    """Audits mostly valid under ``profile``, with every kind of fault now and then."""
    start = profile.effective_from
    day = draw(st.sampled_from([start - timedelta(days=1), start, start + timedelta(days=40)]))
    days = st.sampled_from([day - timedelta(days=1), day, day + timedelta(days=30)])
    grades = _mostly(list(profile.grade_scale.codes), ["amber", "Good"])
    roles = _mostly([r.id for r in profile.roles], ["wizard"])
    graded = [a.id for a in profile.activities if a.graded]
    ungraded = [a.id for a in profile.activities if not a.graded][:1]
    standards = _mostly([s.id for s in profile.standards][:4], ["colour"])
    judgement = st.builds(Judgement, standards, grades, _texts(), _texts(), _texts())
    moderation = st.builds(
        ModerationRecord,
        st.just("mod"),
        roles,
        grades,
        st.sampled_from(list(ModerationOutcome)),
        days,
    )
    action = st.builds(
        AuditAction,
        st.just("a1"),
        st.just("do"),
        st.just("sw"),
        days,
        st.none() | days,
        st.sampled_from(list(ActionStatus)),
        st.none() | days,
        st.none() | days,
    )
    return Audit(
        id="A1",
        child_id="C1",
        activity=draw(_mostly(graded, [*ungraded, "x"])),
        audit_date=day,
        auditor="tm1",
        auditor_role=draw(roles),
        # No grade now and then: right for an ungraded activity, wrong for a graded one.
        overall_grade=draw(st.one_of(grades, grades, grades, st.none())),
        judgements=tuple(
            draw(
                st.lists(judgement, max_size=4)
                | st.lists(judgement, max_size=4, unique_by=lambda j: j.standard)
                | st.just([])
            )
        ),
        moderations=tuple(draw(st.lists(moderation, max_size=2) | st.just([]))),
        actions=tuple(draw(st.lists(action, max_size=2))),
    )


@given(data=st.data(), which=st.integers(0, 2))
def test_passes_exactly_when_there_is_no_problem(
    profiles: list[Profile], data: st.DataObject, which: int
) -> None:
    profile = profiles[which]
    audit = data.draw(audits(profile))
    check = AuditCheck(profile)
    problems = check.problems(audit)
    assert check.passes(audit) is (problems == [])
    assert check_audit(audit, profile) == problems


@given(data=st.data(), which=st.integers(0, 2))
def test_passes_is_the_audit_without_judgements_and_each_judgement(
    profiles: list[Profile], data: st.DataObject, which: int
) -> None:
    # The columnar loader checks each distinct judgement once (judgement_passes) and each
    # distinct audit without its judgements once: together they must be passes itself for
    # any audit judging no standard twice.
    profile = profiles[which]
    audit = data.draw(audits(profile))
    standards = [j.standard for j in audit.judgements]
    assume(len(set(standards)) == len(standards))
    check = AuditCheck(profile)
    bare = attrs.evolve(audit, judgements=())
    decomposed = check.passes(bare) and all(
        check.judgement_passes(audit.activity, j) for j in audit.judgements
    )
    assert decomposed is check.passes(audit)


def test_a_judgement_of_an_activity_that_grades_nothing_never_passes(
    profiles: list[Profile],
) -> None:
    profile = profiles[0]
    ungraded = next(a.id for a in profile.activities if not a.graded)
    check = AuditCheck(profile)
    judgement = Judgement(profile.standards[0].id, profile.grade_scale.codes[0], "why", "s", "w")
    assert not check.judgement_passes(ungraded, judgement)
    assert not check.judgement_passes("no such activity", judgement)
    graded = next(a.id for a in profile.activities if a.graded)
    assert check.judgement_passes(graded, judgement)
    assert not check.judgement_passes(graded, attrs.evolve(judgement, grade="amber"))
    assert not check.judgement_passes(graded, attrs.evolve(judgement, standard="colour"))


def test_a_valid_audit_passes(profiles: list[Profile]) -> None:
    audit = Audit(
        id="A1",
        child_id="C1",
        activity="case_file_audit",
        audit_date=START,
        auditor="tm1",
        auditor_role="team_manager",
        overall_grade="good",
        judgements=(Judgement("assessment", "good", "why"),),
        moderations=(
            ModerationRecord(
                "hos", "head_of_service", "inadequate", ModerationOutcome.DOWNGRADE, START
            ),
        ),
    )
    example, demanding, _ = profiles
    assert AuditCheck(example).passes(audit)
    assert AuditCheck(demanding).passes(audit)
    assert not AuditCheck(demanding).passes(
        attrs.evolve(audit, judgements=(Judgement("assessment", "good", " "),))
    )
    assert AuditCheck(example).profile is example
