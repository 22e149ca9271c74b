"""How closing the loop grows with one child's audits and one audit's moderations.

Whether an escalation is still open reads the child's later audits (one graded better
closes it) and the audit's later moderations (one outside the trigger's grades withdraws
it). Most children have an audit or two; but an export whose rows share a placeholder
child id ("N/A", "0") gives one "child" thousands, and a hostile file can give one audit
thousands of moderations. Each should cost in proportion, not in the square.

- one child: ``N`` audits of one child under Swindon's profile, a day apart, each graded
  Inadequate and confirmed so by moderation the next day, none ever better (each
  escalation reads on to the last audit);
- one audit: one audit moderated ``N`` times, its grade in and out of Inadequate (each
  time in raises an escalation, the next time out withdraws it);
- one audit with actions: the same, with ``N`` actions, all verified (each escalation
  closes when they all are).

The table shows ``escalation_states``' CPU time (best of ``--repeat``) at each ``N`` of
``--sizes`` and the log-log slope between the two largest (1.0: in proportion; 2.0: the
square). The target is a slope of at most 1.1.

    python3 dev.py run python benchmarks/bench_one_child.py
    python3 dev.py run python benchmarks/bench_one_child.py --sizes 500 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import functools
import platform
from collections.abc import Callable
from datetime import date, timedelta

import attrs
from growth import cpu, print_head, print_row

from qaframework import load_profile
from qaframework.engine.actions.tracker import escalation_states
from qaframework.engine.audits import Audit, AuditAction, ModerationRecord, moderation_outcome
from qaframework.engine.escalation import evaluate_escalations_bulk
from qaframework.policy.profile import Profile

START = date(2026, 6, 1)
AS_OF = date(2099, 1, 1)


def one_child(policy: Profile, n: int) -> list[Audit]:
    audits = []
    for i in range(n):
        day = START + timedelta(days=i)
        audit = Audit(
            f"A{i:06}", "N/A", "child_practice_audit", day, "tm", "team_manager", "inadequate"
        )
        outcome = moderation_outcome(policy, "inadequate", "inadequate")
        record = ModerationRecord("qa", "team_manager", "inadequate", outcome, day + timedelta(1))
        audits.append(audit.with_moderation(record))
    return audits


def one_audit(policy: Profile, n: int) -> list[Audit]:
    audit = Audit("A1", "C1", "child_practice_audit", START, "tm", "team_manager", "inadequate")
    previous = "inadequate"
    for i in range(n):
        grade = "good" if i % 2 == 0 else "inadequate"
        outcome = moderation_outcome(policy, previous, grade)
        day = START + timedelta(days=i + 1)
        audit = audit.with_moderation(ModerationRecord("qa", "team_manager", grade, outcome, day))
        previous = grade
    return [audit]


def one_audit_with_actions(policy: Profile, n: int) -> list[Audit]:
    (audit,) = one_audit(policy, n)
    actions = tuple(
        AuditAction(f"A1-{i}", "do", "tm", START, done_on=START, verified_on=START)
        for i in range(n)
    )
    return [attrs.evolve(audit, actions=actions)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 4_000, 16_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    policy = load_profile("swindon", as_of=START)

    def resolve(_day: date) -> Profile:
        return policy

    cases: dict[str, Callable[[Profile, int], list[Audit]]] = {
        "one child's audits": one_child,
        "one audit's moderations": one_audit,
        "one audit's moderations and actions": one_audit_with_actions,
    }
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}; "
        f"escalation_states, CPU seconds, best of {args.repeat}\n"
    )
    print_head("case", [f"{n:,} s" for n in sizes])
    for label, make in cases.items():
        seconds = []
        for n in sizes:
            audits = make(policy, n)
            raised = evaluate_escalations_bulk(audits, resolve, as_of=AS_OF)
            states = functools.partial(escalation_states, raised, audits, resolve, as_of=AS_OF)
            seconds.append(cpu(states, args.repeat)[0])
        print_row(label, sizes, seconds)


if __name__ == "__main__":
    main()
