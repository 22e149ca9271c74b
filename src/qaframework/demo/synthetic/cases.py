"""The synthetic case list: Annex A-like rows, child by child, for every worker."""

from __future__ import annotations

from datetime import date, timedelta

from qaframework.demo.synthetic.draws import _Draw
from qaframework.demo.synthetic.organisation import Organisation
from qaframework.demo.synthetic.workforce import _Workforce
from qaframework.policy.sampling import Case

__all__: list[str] = []


_AGE_BANDS = ("Under 1", "1-4", "5-9", "10-15", "16-17")
_AGE_WEIGHTS = (0.08, 0.22, 0.27, 0.32, 0.11)


def _cases(
    organisation: Organisation, people: _Workforce, prefix: str, start: date, seed: int
) -> tuple[Case, ...]:
    draw = _Draw(seed, "cases")
    used: set[int] = set()
    families = 0
    cases: list[Case] = []
    for team, area in organisation.teams:
        for worker in people.workers[team]:
            remaining = max(1, organisation.children_per_worker + draw.between(-2, 2))
            while remaining > 0:
                families += 1
                family = f"F{families:05d}"
                status = draw.pick(area.legal_statuses)
                opened = start - timedelta(days=draw.between(14, 900))
                size = min(remaining, 1 + draw.weighted((0.55, 0.3, 0.15)))
                for _ in range(size):
                    number = draw.between(100000, 999999)
                    while number in used:
                        number = draw.between(100000, 999999)
                    used.add(number)
                    leaver = status == "Care Leaver"
                    age = "18+" if leaver else _AGE_BANDS[draw.weighted(_AGE_WEIGHTS)]
                    cases.append(
                        Case(
                            child_id=f"{prefix}{number}",
                            team=team,
                            worker=worker.id,
                            service_area=area.name,
                            fields={
                                "Legal Status": status,
                                "Age Band": age,
                                "Gender": draw.pick(("Female", "Male")),
                                "Disability": "Yes" if draw.chance(0.12) else "No",
                                "Family ID": family,
                                "Start Date": opened.isoformat(),
                            },
                        )
                    )
                remaining -= size
    return tuple(cases)
