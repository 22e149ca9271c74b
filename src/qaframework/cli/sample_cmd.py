"""``qaframework sample``: draw the cases to audit from a case list.

Either an activity's own sampling rule from the profile (``--activity``) decides the method,
size, strata and look-back, or the user names the method (``--method``) and its parameters;
with neither, the rule of the council's case-file audit decides (said on standard error), or
the choices are listed.
Children audited within a look-back window can be left out (``--exclude-audited``), and a
sample can be sized for a margin of error (``--margin``, ``--confidence``). Every draw is
reproducible: the seed (0 unless given) is printed with the sample.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from qaframework.cli._basis import basis_data, basis_for, print_basis, write_basis_to_stderr
from qaframework.cli._common import CliError, console, iso_date
from qaframework.cli._loading import (
    MARKING,
    add_export_arguments,
    duration,
    load_audits,
    load_cases,
    period,
    read_table_file,
)

if TYPE_CHECKING:
    from rich.console import Console

    from qaframework.engine.audits import Audit
    from qaframework.engine.sampling import CasePool, Sample, SamplingArgumentError
    from qaframework.policy.activities import Activity
    from qaframework.policy.cadence import IsoDuration
    from qaframework.policy.profile import Profile
    from qaframework.policy.sampling import SamplingRule

METHODS = ("random", "stratified", "purposive", "dip", "quota")
MARGIN_METHODS = "--margin sizes random, stratified and dip samples only"
DEFAULT_LOOKBACK = "P1Y"
"""The look-back for ``--exclude-audited`` when neither the rule nor ``--within`` sets one."""


def register(subparsers: Any) -> None:
    """Add the ``sample`` command."""
    parser = subparsers.add_parser(
        "sample",
        help="draw the cases to audit from a case list",
        description=(
            "Draw a reproducible sample of cases from a case list (CSV, XLSX, JSON or JSON "
            "Lines): by an activity's own sampling rule (--activity) or by a named method "
            "(--method). The seed is 0 unless given and is always printed."
        ),
    )
    parser.add_argument("profile_id", metavar="ID", help="the council's profile id")
    parser.add_argument("cases", metavar="CASES", help="the case list")
    how = parser.add_argument_group("how to sample (give --activity or --method)")
    how.add_argument(
        "--activity", metavar="A", help="an activity id of the profile: its sampling rule decides"
    )
    how.add_argument("--method", choices=METHODS, help="a sampling method")
    how.add_argument("--n", type=int, metavar="N", help="the sample size (per holder for quota)")
    how.add_argument(
        "--by",
        action="extend",
        nargs="+",
        metavar="FIELD",
        help="the case-list fields a stratified sample is proportionate over",
    )
    how.add_argument(
        "--where",
        action="append",
        metavar="FIELD=VALUE",
        help="keep only cases with this value (repeat; values of one field are alternatives)",
    )
    how.add_argument("--seed", type=int, default=0, metavar="S", help="the seed (default 0)")
    how.add_argument(
        "--as-of", type=iso_date, metavar="DATE", help="the day of sampling (default: today)"
    )
    lookback = parser.add_argument_group("leaving out children audited recently")
    lookback.add_argument(
        "--exclude-audited", metavar="FILE", help="an audit export: its children may be left out"
    )
    lookback.add_argument(
        "--within",
        type=duration,
        metavar="DURATION",
        help=f"the look-back window (default: the rule's, else {DEFAULT_LOOKBACK})",
    )
    lookback.add_argument(
        "--audits-mapping", metavar="F", help="a column mapping for the --exclude-audited export"
    )
    size = parser.add_argument_group("sizing for a margin of error (instead of --n)")
    size.add_argument("--margin", type=float, metavar="M", help="the margin of error, e.g. 0.05")
    size.add_argument(
        "--confidence", type=float, metavar="C", help="the confidence level (default 0.95)"
    )
    quota = parser.add_argument_group("a quota per role-holder (quota, or a per-role rule)")
    quota.add_argument(
        "--holders",
        metavar="FILE",
        help="JSON or TOML: each holder to the value(s) they answer for",
    )
    quota.add_argument(
        "--holder-field", metavar="F", help="the case field holders answer for (default: team)"
    )
    quota.add_argument(
        "--period",
        type=period,
        metavar="P",
        help="the period the draw is for (default: the month of --as-of)",
    )
    add_export_arguments(parser, what="case list")
    parser.add_argument(
        "--show-excluded",
        action="store_true",
        help="with --format json, list the children left out before drawing (by default "
        "each exclusion gives only how many and why)",
    )
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the result: table (for people, the default), json or csv",
    )
    parser.set_defaults(handler=run)


def _criteria(pairs: Sequence[str] | None) -> dict[str, set[str]] | None:
    if not pairs:
        return None
    found: dict[str, set[str]] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise CliError(f"--where {pair!r}: give FIELD=VALUE, such as service_area=Early Help")
        found.setdefault(field.strip(), set()).add(value.strip())
    return found


def _holder_table(file: str, table: dict[str, Any], within: str = "") -> None:
    for holder, values in table.items():
        if isinstance(values, str):
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise CliError(
                f"{file}: holder {within}{holder!r} must answer for a value or a list of "
                f"values, got {values!r}"
            )


def _holders(file: str | None) -> dict[str, Any] | None:
    """Each holder to what they answer for; or, for a rule owing a count per role, each
    role to such a table (``[team_manager]`` then ``"A. Khan" = "North"``)."""
    if file is None:
        return None
    table = read_table_file(file, "holders file")
    grouped = [key for key, value in table.items() if isinstance(value, dict)]
    if grouped and len(grouped) != len(table):
        raise CliError(
            f"{file}: give every holder under a role ([role] tables), or none: "
            f"{', '.join(repr(k) for k in table if k not in grouped)} is not under one"
        )
    if grouped:
        for role, group in table.items():
            _holder_table(file, group, f"{role}.")
    else:
        _holder_table(file, table)
    return table


def _check_combinations(args: argparse.Namespace) -> None:
    if args.activity is not None and args.method is not None:
        raise CliError("give --activity (the profile's own sampling rule) or --method, not both")
    if args.n is not None and args.margin is not None:
        raise CliError("give --n or --margin, not both")
    if args.confidence is not None and args.margin is None:
        raise CliError("--confidence sizes a sample with --margin; give --margin too")
    if args.within is not None and args.exclude_audited is None:
        raise CliError("--within is the look-back for --exclude-audited; give --exclude-audited")
    if args.audits_mapping is not None and args.exclude_audited is None:
        raise CliError("--audits-mapping maps the --exclude-audited export; give it too")
    if args.by and args.method != "stratified":
        raise CliError("--by applies to --method stratified (an activity's rule names its strata)")
    holder_args = [
        flag
        for flag, value in (
            ("--holders", args.holders),
            ("--holder-field", args.holder_field),
            ("--period", args.period),
        )
        if value is not None
    ]
    if holder_args and args.method is not None and args.method != "quota":
        raise CliError(f"{', '.join(holder_args)} applies to --method quota")


def run(args: argparse.Namespace) -> int:
    """Draw the sample and print it."""
    from qaframework.profiles.registry import load_profile

    _check_combinations(args)
    # The one place the clock is read: the CLI's default day, shown with the sample.
    as_of: date = args.as_of if args.as_of is not None else date.today()
    profile = load_profile(args.profile_id, as_of=as_of)
    chosen = None
    if args.activity is None and args.method is None:
        chosen = _case_file_audit(profile, args)
        args.activity = chosen.id
    where = _criteria(args.where)
    holders = _holders(args.holders)
    cases = load_cases(args, args.cases).accepted
    audited: tuple[Audit, ...] = ()
    if args.exclude_audited is not None:
        audited = load_audits(
            args, args.exclude_audited, args.profile_id, mapping_flag="--audits-mapping"
        ).accepted
    from qaframework.engine.sampling import CasePool

    # The loader rejects a second row for a child, so the pool need not check again.
    pool = CasePool(tuple(cases), len(cases))
    if args.activity is not None:
        sample, sized = _by_activity(args, profile, pool, audited, where, holders, as_of)
    else:
        sample, sized = _by_method(args, pool, audited, where, holders, as_of)
    if chosen is not None:
        print(
            f"qaframework: note: sampled by the rule of activity {chosen.id!r} ({chosen.name}), "
            "the council's case-file audit; --activity or --method chooses another way",
            file=sys.stderr,
        )
    heading = {
        "profile": profile.id,
        "version": profile.version,
        "as_of": as_of.isoformat(),
        "as_of_given": args.as_of is not None,
        "activity": args.activity,
        "sample_size": sized,
    }
    # A sample drawn by the profile's rule rests on the profile; one drawn by a named method,
    # on the command line.
    basis = (
        basis_for(profile, activities=[args.activity], kinds=("sampling",), extra=())
        if args.activity is not None
        else None
    )
    if args.format == "json":
        _write_json(
            {**heading, "basis": basis_data(basis) if basis else None},
            sample,
            show_excluded=args.show_excluded,
        )
    elif args.format == "csv":
        _write_csv(heading, sample)
        if basis is not None:
            write_basis_to_stderr(basis)
    else:
        out = _table(profile, heading, sample)
        if basis is not None:
            print_basis(out, basis)
    return 0


def _lookback(args: argparse.Namespace) -> IsoDuration:
    from qaframework.policy.cadence import IsoDuration

    within: IsoDuration = args.within or IsoDuration.parse(DEFAULT_LOOKBACK)
    return within


def _margin_size(args: argparse.Namespace, eligible: int) -> tuple[int, dict[str, Any]]:
    """The sample size for ``--margin`` and ``--confidence`` over ``eligible`` cases."""
    from qaframework.engine.sampling import sample_size

    confidence = 0.95 if args.confidence is None else args.confidence
    n = sample_size(eligible, margin=args.margin, confidence=confidence)
    return n, {"margin": args.margin, "confidence": confidence, "eligible": eligible, "n": n}


def _rule(profile: Profile, activity_id: str) -> SamplingRule:
    try:
        activity = profile.activity(activity_id)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None
    if activity.sampling is None:
        raise CliError(f"activity {activity_id!r} of profile {profile.label} has no sampling rule")
    return activity.sampling


def _by_activity(
    args: argparse.Namespace,
    profile: Profile,
    pool: CasePool,
    audited: Sequence[Any],
    where: Mapping[str, set[str]] | None,
    holders: Mapping[str, Any] | None,
    as_of: date,
) -> tuple[Sample, dict[str, Any] | None]:
    from qaframework.engine.sampling import SamplingArgumentError, sample_for_activity
    from qaframework.policy.sampling import SamplingMethod

    rule = _rule(profile, args.activity)
    per_role = any(size.per_role is not None for size in rule.sizes)
    quota = rule.method is SamplingMethod.QUOTA_PER_ROLE or per_role
    if not quota and (args.holders or args.holder_field or args.period):
        raise CliError(
            f"activity {args.activity!r} draws no quota per role-holder; --holders, "
            "--holder-field and --period do not apply"
        )
    window = rule.exclude_audited_within
    if window is not None:
        if args.exclude_audited is None:
            raise CliError(
                f"activity {args.activity!r} leaves out children audited in the "
                f"{window.describe(numbered=True)} before sampling; give --exclude-audited FILE"
            )
        if args.within is not None:
            raise CliError(
                f"activity {args.activity!r} sets its own look-back window ({window}); "
                "leave out --within"
            )
        passed: Sequence[Any] = audited
    else:
        if args.exclude_audited is not None:
            pool = pool.excluding_audited(audited, within=_lookback(args), as_of=as_of)
        passed = ()
    n, sized = args.n, None
    if args.margin is not None:
        if quota or rule.method is SamplingMethod.PURPOSIVE:
            raise CliError(MARGIN_METHODS)
        # The eligible cases the rule will draw from, after its look-back and --where.
        counted = pool
        if window is not None:
            counted = counted.excluding_audited(audited, within=window, as_of=as_of)
        if rule.filter is not None:
            names = {f.id: f.name for f in profile.case_fields}
            counted = counted.where(rule.filter, names=names)
        if where is not None:
            counted = counted.where(where)
        n, sized = _margin_size(args, counted.eligible)
    try:
        sample = sample_for_activity(
            profile,
            args.activity,
            pool,
            as_of=as_of,
            seed=args.seed,
            audited=passed,
            n=n,
            where=where,
            holders=holders,
            holder_field=args.holder_field or "team",
            period=_period_label(args, as_of) if quota else None,
        )
    except SamplingArgumentError as exc:
        raise CliError(f"{exc.reason}; {_in_flags(exc, sized is not None)}") from None
    return sample, sized


def _in_flags(exc: SamplingArgumentError, by_margin: bool) -> str:
    """What to do about an activity's rule, in the command's own flags (the library's advice
    names its Python arguments)."""
    size = "--margin" if by_margin else "--n"
    if exc.argument == "n":
        if exc.problem == "missing":
            return "give --n N, or --margin M to size it for a margin of error"
        if exc.problem == "contradicts":
            return f"{size} {exc.value} contradicts it"
        return "leave out --n and --margin"
    if exc.argument == "where":
        return (
            "give --where FIELD=VALUE for the cases its criteria mean (repeat it: values of "
            "one field are alternatives)"
        )
    if isinstance(exc.value, tuple):
        roles = ", ".join(str(role) for role in exc.value)
        return f"the --holders file gives a [role] table of holders for each of {roles}"
    return "the --holders file gives each holder what they answer for, with no [role] tables"


def _case_file_audit(profile: Profile, args: argparse.Namespace) -> Activity:
    """The activity whose rule ``sample`` follows when neither --activity nor --method is
    given: the council's case-file audit, the graded activity with a sampling rule that
    recurs most often (the first in the profile's order on a tie, as the report's council
    cycle is chosen), else the one activity with a sampling rule. Otherwise the choices are
    listed."""
    from qaframework.policy.sampling import SamplingMethod

    drawn = [
        a
        for a in profile.activities
        if a.sampling is not None and a.sampling.method is not SamplingMethod.EVENT
    ]
    periodic = [a for a in drawn if a.graded and a.cadence.every is not None]
    if periodic:
        return min(
            periodic, key=lambda a: a.cadence.every.approximate_days if a.cadence.every else 0
        )
    if len(drawn) == 1:
        return drawn[0]
    rules = "; ".join(f"{a.id} ({a.name})" for a in drawn) or "none"
    raise CliError(
        f"give --activity A, an activity of {profile.label} with a sampling rule ({rules}), "
        f"or --method M ({', '.join(METHODS)}): the profile names no one case-file audit"
    )


def _period_label(args: argparse.Namespace, as_of: date) -> str:
    return str(args.period.label) if args.period is not None else f"{as_of:%Y-%m}"


def _by_method(
    args: argparse.Namespace,
    pool: CasePool,
    audited: Sequence[Any],
    where: Mapping[str, set[str]] | None,
    holders: Mapping[str, Any] | None,
    as_of: date,
) -> tuple[Sample, dict[str, Any] | None]:
    from qaframework.engine.sampling import (
        dip_sample,
        purposive,
        quota_per_holder,
        simple_random,
        stratified,
    )

    method = args.method
    if args.exclude_audited is not None:
        pool = pool.excluding_audited(audited, within=_lookback(args), as_of=as_of)
    if method == "purposive":
        if where is None:
            raise CliError("--method purposive takes every case meeting --where; give --where")
        if args.n is not None or args.margin is not None:
            raise CliError(
                "--method purposive takes every case meeting --where; no --n or --margin"
            )
        return purposive(pool, where), None
    if where is not None:
        pool = pool.where(where)
    if method == "quota":
        if args.margin is not None:
            raise CliError(MARGIN_METHODS)
        if holders is not None and any(isinstance(v, dict) for v in holders.values()):
            raise CliError(
                "--method quota draws one count per holder: list each holder with what they "
                "answer for (holders grouped by role are for an --activity owing a count per "
                "role)"
            )
        count = 1 if args.n is None else args.n
        sample = quota_per_holder(
            pool,
            count,
            seed=args.seed,
            period=_period_label(args, as_of),
            by=args.holder_field or "team",
            holders=holders,
        )
        return sample, None
    n, sized = args.n, None
    if args.margin is not None:
        n, sized = _margin_size(args, pool.eligible)
    if n is None:
        raise CliError(f"--method {method} needs a size: give --n, or --margin")
    if method == "stratified":
        if not args.by:
            raise CliError("--method stratified needs --by FIELD (the strata)")
        return stratified(pool, n, by=args.by, seed=args.seed), sized
    if method == "dip":
        return dip_sample(pool, n, seed=args.seed), sized
    return simple_random(pool, n, seed=args.seed), sized


def _groups(sample: Sample) -> dict[str, tuple[str, str]]:
    """Each drawn child's stratum (values joined) and holder, where the sample has them."""
    found: dict[str, tuple[str, str]] = {}
    for stratum in sample.strata:
        label = " | ".join(v if v is not None else "(none)" for v in stratum.values)
        for child_id in stratum.child_ids:
            found[child_id] = (label, "")
    for draw in sample.holders:
        for child_id in draw.child_ids:
            found[child_id] = ("", draw.holder)
    return found


CSV_COLUMNS = ("child_id", "team", "worker", "service_area", "stratum", "holder")


def _write_json(heading: dict[str, Any], sample: Sample, *, show_excluded: bool) -> None:
    from qaframework.profiles.converter import to_dict

    drawn = to_dict(sample)
    # Who was left out (the whole case list, less a few, under --where) is asked for, not
    # printed by default: how many, and why.
    for exclusion, left_out in zip(drawn["exclusions"], sample.exclusions, strict=True):
        exclusion["count"] = left_out.count
        if not show_excluded:
            del exclusion["child_ids"]
    data = {"marking": MARKING, **heading, "sample": drawn}
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _write_csv(heading: dict[str, Any], sample: Sample) -> None:
    groups = _groups(sample)
    print(MARKING)
    from qaframework.render.cells import csv_writer

    writer = csv_writer(sys.stdout)
    writer.writerow(CSV_COLUMNS)
    for case in sample.cases:
        stratum, holder = groups.get(case.child_id, ("", ""))
        writer.writerow(
            [
                case.child_id,
                case.team or "",
                case.worker or "",
                case.service_area or "",
                stratum,
                holder,
            ]
        )
    print(
        f"as of: {heading['as_of']}; method: {sample.method.value}; seed: "
        f"{sample.seed if sample.seed is not None else 'none'}; population: "
        f"{sample.population}; eligible: {sample.eligible}; drawn: {len(sample.cases)}",
        file=sys.stderr,
    )


def _table(profile: Profile, heading: dict[str, Any], sample: Sample) -> Console:
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(MARKING, markup=False)
    activity = heading["activity"]
    what = profile.activity(activity).name if activity else f"{sample.method.value} sample"
    summary = Table(title=f"{profile.authority}: {what}", title_justify="left", show_header=False)
    summary.add_column("What", style="bold")
    summary.add_column("Found", overflow="fold")
    rows = [
        ("Profile", profile.label),
        ("As of", heading["as_of"] + ("" if heading["as_of_given"] else " (today)")),
        ("Method", sample.method.value.replace("_", " ")),
        ("Seed", str(sample.seed) if sample.seed is not None else "none (nothing drawn at random)"),
        ("On the list", str(sample.population)),
        ("Eligible", str(sample.eligible)),
        ("Asked for", str(sample.requested)),
        ("Drawn", str(len(sample.cases))),
    ]
    sized = heading["sample_size"]
    if sized is not None:
        rows.append(
            (
                "Sized for",
                f"a margin of {sized['margin']:g} at {sized['confidence']:g} confidence "
                f"over {sized['eligible']} eligible cases",
            )
        )
    if sample.period is not None:
        rows.append(("Period", sample.period))
    for exclusion in sample.exclusions:
        rows.append(("Left out", f"{exclusion.count} {exclusion.description}"))
    for name, value in rows:
        summary.add_row(name, Text(value))
    out.print(summary)
    if sample.strata:
        strata = Table(title="Strata", title_justify="left")
        for column in (*sample.strata_fields, "Cases", "Exact share", "Drawn"):
            strata.add_column(column, overflow="fold")
        for stratum in sample.strata:
            strata.add_row(
                *(Text(v if v is not None else "(none)") for v in stratum.values),
                str(stratum.size),
                f"{stratum.exact:.2f}",
                str(stratum.quota),
            )
        out.print(strata)
    if sample.holders:
        draws = Table(title="Holders", title_justify="left")
        by_role = any(draw.role is not None for draw in sample.holders)
        columns = ["Holder", f"Answers for ({sample.holder_field})", "Eligible", "Drawn"]
        if by_role:
            columns.insert(1, "Role")
        for column in columns:
            draws.add_column(column, overflow="fold")
        for draw in sample.holders:
            row: list[str | Text] = [
                Text(draw.holder),
                Text(", ".join(draw.responsible_for)),
                str(draw.eligible),
                str(draw.quota),
            ]
            if by_role:
                role = draw.role
                row.insert(1, Text(profile.role(role).title if role is not None else ""))
            draws.add_row(*row)
        out.print(draws)
    groups = _groups(sample)
    table = Table(title="Cases drawn", title_justify="left")
    columns = ["#", "Child", "Team", "Worker", "Service area"]
    if sample.strata:
        columns.append("Stratum")
    if sample.holders:
        columns.append("Holder")
    for column in columns:
        table.add_column(column, overflow="fold")
    for number, case in enumerate(sample.cases, start=1):
        group, holder = groups.get(case.child_id, ("", ""))
        cells: list[str | Text] = [
            str(number),
            Text(case.child_id),
            Text(case.team or ""),
            Text(case.worker or ""),
            Text(case.service_area or ""),
        ]
        if sample.strata:
            cells.append(Text(group))
        if sample.holders:
            cells.append(Text(holder))
        table.add_row(*cells)
    out.print(table)
    return out
