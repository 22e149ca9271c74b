"""Regenerate the bundled example files from :mod:`qaframework.demo.synthetic`.

    python examples/generate.py             # rewrite the files beside this script
    python examples/generate.py --out DIR   # write them under DIR instead

For each council it reads ``<council>/organisation.toml``, makes the financial quarter
2026-27 Q1 (1 April to 30 June 2026) of synthetic data with a fixed seed, and writes:

- ``cases.csv``: the case list, with Annex A-like headers;
- ``audits.csv`` and ``audits.mapping.toml``: the audits as a case-management system's
  report might give them (Liquidlogic-like for Bolton and Manchester, Mosaic-like for
  Swindon and Telford; no council's real report is implied) and the column mapping
  ``qaframework.io.load_audits`` reads them with. The export has one moderation per row and
  no actions;
- ``audits.jsonl``: the same audits in the native form, actions included;
- ``activity-log.csv``: the log of activities the profile's obligations count.

The test ``tests/test_examples.py`` regenerates into a temporary directory and checks that
the committed files are byte for byte the same.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tomllib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from qaframework.demo.synthetic import Organisation, SyntheticData, generate
from qaframework.engine.audits import Audit
from qaframework.policy.activities import FeedbackSource
from qaframework.policy.escalation import Concern, TriggerKind
from qaframework.policy.profile import Profile
from qaframework.profiles.converter import to_dict
from qaframework.profiles.registry import get_registry

HERE = Path(__file__).resolve().parent
SEED = 20260401
START = date(2026, 4, 1)
END = date(2026, 6, 30)
COUNCILS = (
    ("bolton", "liquidlogic"),
    ("manchester", "liquidlogic"),
    ("swindon", "mosaic"),
    ("telford", "mosaic"),
)
FILES = ("cases.csv", "audits.csv", "audits.mapping.toml", "audits.jsonl", "activity-log.csv")
"""The files written for each council (``organisation.toml`` and ``staff.toml`` are inputs)."""

CASE_COLUMNS = (
    "Child Unique ID",
    "Allocated Team",
    "Allocated Worker",
    "Service Area",
    "Legal Status",
    "Age Band",
    "Gender",
    "Disability",
    "Family ID",
    "Start Date",
)


class Layout:
    """How a case-management system's audit report names its columns and writes values."""

    def __init__(
        self,
        name: str,
        columns: dict[str, str],
        judgement: Callable[[str, str, str], str],
        pattern: str | None,
        concerns: dict[Concern, str],
        feedback: dict[FeedbackSource, str],
        moderation: dict[str, str],
        day: Callable[[date], str],
        yes_no: tuple[str, str],
    ) -> None:
        self.name = name
        self.columns = columns
        self.judgement = judgement
        self.pattern = pattern
        self.concerns = concerns
        self.feedback = feedback
        self.moderation = moderation
        self.day = day
        self.yes_no = yes_no


_PARTS = {
    "grade": "Grade",
    "rationale": "Rationale",
    "strengths": "Strengths",
    "would_improve": "What would have made it better",
}

LIQUIDLOGIC = Layout(
    "Liquidlogic",
    {
        "id": "Form ID",
        "child_id": "Person ID",
        "activity": "Form Type",
        "audit_date": "Date Completed",
        "auditor": "Completed By",
        "auditor_role": "Completed By Role",
        "practitioner": "Allocated Worker",
        "team": "Allocated Team",
        "service_area": "Service",
        "cycle": "Audit Cycle",
        "overall_grade": "Overall Judgement",
    },
    lambda _standard, title, part: f"{title} - {_PARTS[part]}",
    None,
    {
        Concern.URGENT_SAFETY: "Immediate Safety Concern?",
        Concern.HEALTH: "Health Concern?",
        Concern.PRACTICE: "Practice Concern?",
    },
    {
        FeedbackSource.CHILD: "Child's Views Obtained?",
        FeedbackSource.PARENT_CARER: "Parent/Carer Views Obtained?",
        FeedbackSource.PRACTITIONER: "Practitioner Views Obtained?",
        FeedbackSource.PARTNER_AGENCY: "Partner Agency Views Obtained?",
    },
    {
        "moderator": "Moderated By",
        "role": "Moderator Role",
        "grade": "Moderated Judgement",
        "date": "Moderation Date",
        "rationale": "Moderation Comments",
    },
    lambda day: day.strftime("%d/%m/%Y"),
    ("Yes", "No"),
)

MOSAIC = Layout(
    "Mosaic",
    {
        "id": "Workflow Step ID",
        "child_id": "Person ID",
        "activity": "Step Type",
        "audit_date": "Completed On",
        "auditor": "Worker ID",
        "auditor_role": "Worker Role",
        "practitioner": "Responsible Worker",
        "team": "Team",
        "service_area": "Service Area",
        "cycle": "Cycle Start",
        "overall_grade": "Overall Grade",
    },
    lambda standard, _title, part: f"{standard}_{part}",
    "{standard}_{part}",
    {
        Concern.URGENT_SAFETY: "Urgent Safety Concern (Y/N)",
        Concern.HEALTH: "Health Concern (Y/N)",
        Concern.PRACTICE: "Practice Concern (Y/N)",
    },
    {
        FeedbackSource.CHILD: "Child Consulted (Y/N)",
        FeedbackSource.PARENT_CARER: "Parent/Carer Consulted (Y/N)",
        FeedbackSource.PRACTITIONER: "Practitioner Consulted (Y/N)",
        FeedbackSource.PARTNER_AGENCY: "Partner Agency Consulted (Y/N)",
    },
    {
        "moderator": "Moderator ID",
        "role": "Moderator Role",
        "grade": "Moderated Grade",
        "date": "Moderated On",
        "rationale": "Moderator Comment",
        "outcome": "Moderation Outcome",
    },
    date.isoformat,
    ("Y", "N"),
)
LAYOUTS = {"liquidlogic": LIQUIDLOGIC, "mosaic": MOSAIC}


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _toml(text: str) -> str:
    """A TOML basic string (its escapes are JSON's for the text written here)."""
    return json.dumps(text, ensure_ascii=False)


def cases_csv(data: SyntheticData) -> str:
    """The case list, Annex A-like."""
    rows = [
        [
            case.child_id,
            case.team or "",
            case.worker or "",
            case.service_area or "",
            *(case.fields[name] for name in CASE_COLUMNS[4:]),
        ]
        for case in data.cases
    ]
    return _csv(CASE_COLUMNS, rows)


def activity_log_csv(data: SyntheticData) -> str:
    """The activity log, with the default activity-log mapping's headers."""
    rows = [
        [e.activity, e.subject, e.on.isoformat(), e.role or "", e.event or ""] for e in data.log
    ]
    return _csv(("Activity", "Subject ID", "Date", "Role", "Event"), rows)


def _concerns(profile: Profile) -> list[Concern]:
    named = {
        rule.trigger.concern
        for rule in profile.escalation
        if rule.trigger.kind is TriggerKind.CONCERN and rule.trigger.concern is not None
    }
    return [concern for concern in Concern if concern in named]


def _feedback(profile: Profile) -> list[FeedbackSource]:
    named = {source for a in profile.activities if a.graded for source in a.feedback_from}
    return [source for source in FeedbackSource if source in named]


def _judgement_parts(profile: Profile, audits: Sequence[Audit]) -> list[tuple[str, list[str]]]:
    """The standards the audits judge, in the profile's order, each with the parts given."""
    given: dict[str, set[str]] = {}
    for audit in audits:
        for judgement in audit.judgements:
            parts = given.setdefault(judgement.standard, {"grade"})
            for part in ("rationale", "strengths", "would_improve"):
                if getattr(judgement, part) is not None:
                    parts.add(part)
    return [
        (standard.id, [part for part in _PARTS if part in given[standard.id]])
        for standard in profile.standards
        if standard.id in given
    ]


def audits_csv(profile: Profile, data: SyntheticData, layout: Layout) -> str:
    """The audits as the layout's report: the council's own words for roles, grades and
    activities, one moderation per row, no actions."""
    scale = profile.grade_scale
    standards = _judgement_parts(profile, data.audits)
    concerns = _concerns(profile)
    feedback = _feedback(profile)
    yes, no = layout.yes_no
    header = [
        *layout.columns.values(),
        *(
            layout.judgement(standard, profile.standard(standard).title, part)
            for standard, parts in standards
            for part in parts
        ),
        *(layout.concerns[c] for c in concerns),
        *(layout.feedback[f] for f in feedback),
        *layout.moderation.values(),
    ]
    rows = []
    for audit in data.audits:
        values = {
            "id": audit.id,
            "child_id": audit.child_id,
            "activity": profile.activity(audit.activity).name,
            "audit_date": layout.day(audit.audit_date),
            "auditor": audit.auditor,
            "auditor_role": profile.role(audit.auditor_role).title,
            "practitioner": audit.practitioner or "",
            "team": audit.team or "",
            "service_area": audit.service_area or "",
            "cycle": audit.cycle or "",
            "overall_grade": scale.grade(audit.overall_grade).label,
        }
        row = [values[field] for field in layout.columns]
        for standard, parts in standards:
            judgement = audit.judgement(standard)
            for part in parts:
                if judgement is None:
                    row.append("")
                elif part == "grade":
                    row.append(scale.grade(judgement.grade).label)
                else:
                    row.append(getattr(judgement, part) or "")
        row.extend(yes if c in audit.concerns else no for c in concerns)
        row.extend(yes if f in audit.feedback else no for f in feedback)
        record = audit.latest_moderation
        moderation = (
            {
                "moderator": record.moderator,
                "role": profile.role(record.role).title,
                "grade": scale.grade(record.grade).label,
                "date": layout.day(record.on),
                "rationale": record.rationale or "",
                "outcome": record.outcome.value,
            }
            if record is not None
            else {}
        )
        row.extend(moderation.get(part, "") for part in layout.moderation)
        rows.append(row)
    return _csv(header, rows)


def audits_mapping(profile: Profile, data: SyntheticData, layout: Layout) -> str:
    """The column mapping ``qaframework.io.load_audits`` reads the layout's report with."""
    lines = [
        f"# Column mapping for {profile.authority}'s synthetic audits in audits.csv, laid out as",
        f"# a {layout.name}-like report (see qaframework.io.mapping for the format):",
        "#",
        f"#     qaframework audits validate {profile.id} audits.csv --mapping audits.mapping.toml",
        "#",
        "# Roles, grades and activities are written as the profile titles them, which the",
        "# loader recognises without a [values] table. Made by examples/generate.py.",
        "",
    ]
    if layout.pattern is not None:
        lines.extend(
            [
                "# Judgement columns for every standard: <standard id>_grade, _rationale, ...",
                f"judgement_pattern = {_toml(layout.pattern)}",
                "",
            ]
        )
    lines.extend(
        [
            "[columns]",
            *(f"{field} = {_toml(column)}" for field, column in layout.columns.items()),
            "",
        ]
    )
    standards = _judgement_parts(profile, data.audits)
    if layout.pattern is None:
        for standard, parts in standards:
            title = profile.standard(standard).title
            lines.append(f"[judgements.{standard}]")
            lines.extend(
                f"{part} = {_toml(layout.judgement(standard, title, part))}" for part in parts
            )
            lines.append("")
    concerns = _concerns(profile)
    if concerns:
        lines.append("[concerns]")
        lines.extend(f"{c.value} = {_toml(layout.concerns[c])}" for c in concerns)
        lines.append("")
    feedback = _feedback(profile)
    if feedback:
        lines.append("[feedback]")
        lines.extend(f"{f.value} = {_toml(layout.feedback[f])}" for f in feedback)
        lines.append("")
    lines.append("[moderation]")
    lines.extend(f"{part} = {_toml(column)}" for part, column in layout.moderation.items())
    return "\n".join(lines) + "\n"


def read_organisation(council: str, source: Path = HERE) -> Organisation:
    """A council's ``organisation.toml``."""
    path = source / council / "organisation.toml"
    return Organisation.from_document(tomllib.loads(path.read_text("utf-8")), str(path))


def council_data(council: str, source: Path = HERE) -> tuple[Profile, SyntheticData]:
    """The synthetic data of a council's example files, and the version in force on them."""
    versions = get_registry().load_all_versions(council)
    data = generate(
        versions, START, END, seed=SEED, organisation=read_organisation(council, source)
    )
    in_force = max(
        (v for v in versions if v.effective_from <= START), key=lambda v: v.effective_from
    )
    return in_force, data


def write_examples(target: Path, source: Path = HERE) -> list[Path]:
    """Write every council's example files under ``target``; the paths written."""
    written = []
    for council, layout_name in COUNCILS:
        profile, data = council_data(council, source)
        layout = LAYOUTS[layout_name]
        folder = target / council
        folder.mkdir(parents=True, exist_ok=True)
        texts = {
            "cases.csv": cases_csv(data),
            "audits.csv": audits_csv(profile, data, layout),
            "audits.mapping.toml": audits_mapping(profile, data, layout),
            "activity-log.csv": activity_log_csv(data),
        }
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8", newline="\n")
            written.append(folder / name)
        # The native form write_audits gives, with "\n" line ends on every platform.
        lines = (json.dumps(to_dict(audit), ensure_ascii=False) for audit in data.audits)
        (folder / "audits.jsonl").write_text(
            "".join(f"{line}\n" for line in lines), encoding="utf-8", newline="\n"
        )
        written.append(folder / "audits.jsonl")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the example files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default: here)")
    args = parser.parse_args(argv)
    for path in write_examples(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
