"""The columnar fast path giving frames: a CSV export's accepted audits as polars frames,
without an :class:`~qaframework.engine.audits.Audit` object for each.

:class:`FrameCollector` sorts a slice's rows exactly as
:class:`~qaframework.io._column_collect._Collector` does (the same columns stripped and
converted, the same rows handed to the row reader), and differs only in what it keeps of the
rows it vouches for: their cells as columns (codes for activities, roles and grades under
the row's profile version, dates as dates, flags as booleans), put into the frames of
:func:`qaframework.io.frames.record_frames` by polars. Its check of those rows asks the
version's :class:`~qaframework.engine.audits.AuditCheck` of one audit (built as the object
path builds it) for each distinct audit-without-judgements and of each distinct judgement
shape, from keys made of the coded columns. The rows the row reader accepts are audits,
turned into the same frames by ``record_frames`` and put in file order among the others.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from qaframework.engine.audits import Audit, moderation_outcome
from qaframework.io._column_collect import _Collector
from qaframework.io._column_judgements import _JOIN, shape_passes
from qaframework.io._tabular import Collected, Progress
from qaframework.policy.moderation import ModerationOutcome

if TYPE_CHECKING:
    import polars as pl

__all__ = ["FrameCollector", "FramesCollected"]

# Working columns, named with a character no export's header can hold.
_AT = "\x00at"  # the row's index in its slice
_ROW = "\x00row"  # the row's index in the file
_SEQ = "\x00seq"  # a judgement's place among its slice's, in audit then standard order
_VERSION = "\x00version"
_DATE = "\x00date"
_ACTIVITY = "\x00activity"
_ROLE = "\x00role"
_OVERALL = "\x00overall"
_MODERATED = "\x00m"
_M_GRADE = "\x00m_grade"
_M_ROLE = "\x00m_role"
_M_DATE = "\x00m_date"
_M_OUTCOME = "\x00m_outcome"
_CONTEXT = "\x00context"  # the row's version and activity, as one number
_KEPT: Any = object()  # the record of a row kept as columns


def _mixed(digits: list[tuple[pl.Expr, int]]) -> pl.Expr:
    """The integer whose digits, most significant first, are ``digits`` (value, radix)."""
    number, _ = digits[0]
    for value, size in digits[1:]:
        number = number * size + value
    return number


def _grade_column(index: int) -> str:
    return f"\x00grade{index}"


@attrs.frozen
class FramesCollected(Collected):
    """:class:`~qaframework.io._tabular.Collected` whose accepted rows are frames:
    ``frames`` are ``audits``, ``judgements``, ``moderations`` and ``actions`` as
    :func:`~qaframework.io.frames.record_frames` makes them with polars (grades as text),
    ``count`` the audits; ``accepted`` is empty."""

    frames: dict[str, Any] = attrs.Factory(dict)
    count: int = 0


class FrameCollector(_Collector):
    """A columnar load keeping the rows it vouches for as columns (see the module)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.parts: dict[str, list[pl.DataFrame]] = {
            "audits": [],
            "judgements": [],
            "moderations": [],
        }
        self.read_audits: list[tuple[int, Audit]] = []
        self.count = 0
        self.taken: list[int] = []

    def done(self, progress: Progress | None) -> Collected:
        """Every row of the file, sorted, the accepted ones as frames."""
        import polars as pl

        from qaframework.io.frames import record_frames

        rows_read = self.count + len(self.read_audits) + len(self.rejected)
        if progress is not None:
            progress(rows_read, rows_read)
        read = record_frames([a for _, a in self.read_audits], backend="polars")
        at = pl.Series(_ROW, [row for row, _ in self.read_audits], dtype=pl.Int64)
        ids = read["audits"].get_column("audit_id")
        frames: dict[str, Any] = {}
        for name in ("audits", "judgements", "moderations", "actions"):
            slow = read[name]
            if name == "audits":
                slow = slow.with_columns(at)
            elif not self.read_audits:
                slow = slow.with_columns(pl.lit(None, dtype=pl.Int64).alias(_ROW))
            else:
                slow = slow.with_columns(
                    pl.col("audit_id").replace_strict(ids, at, return_dtype=pl.Int64).alias(_ROW)
                )
            parts = [part.select(slow.columns) for part in self.parts.get(name, [])]
            frame = pl.concat([*parts, slow], how="vertical") if parts else slow
            if self.read_audits and parts:
                frame = frame.sort(_ROW, maintain_order=True)
            frames[name] = frame.drop(_ROW)
        count = self.count + len(self.read_audits)
        return FramesCollected([], self.rejected, rows_read, (), self.warned, frames, count)

    # -- sorting a slice ----------------------------------------------------------------

    def _sort(self, keep: pl.Series, slow_at: list[int]) -> None:
        standards = [standard for standard, _, _ in self.reader.judgements]
        if len(set(standards)) != len(standards):
            # A standard the mapping reads twice: the slice's audits are built as objects.
            super()._sort(keep, slow_at)
            return
        rows = self.cells.with_row_index(_AT).filter(keep)
        if rows.height:
            rows = self._coded(rows)
            passed = self._passes(rows)
            failed = rows.get_column(_AT).filter(~passed).to_list()
            if failed:
                slow_at = sorted([*slow_at, *failed])
                rows = rows.filter(passed)
        fast_at: list[int] = rows.get_column(_AT).to_list() if rows.height else []
        ids: list[str] = rows.get_column(self._source("id") or "").to_list() if rows.height else []
        self.taken = []
        self._merge(fast_at, ids, slow_at, [_KEPT] * len(fast_at))
        if self.taken:
            if len(self.taken) != rows.height:
                import polars as pl

                rows = rows.filter(pl.col(_AT).is_in(self.taken))
            self._keep(rows)

    def _accept_all(self, fast_at: list[int], records: Sequence[Any]) -> None:
        # A slice's records are all marks (rows kept as columns) or all audits (built as
        # objects, see :meth:`_sort`).
        if records and records[0] is _KEPT:
            self.taken.extend(fast_at)
        else:
            self.read_audits.extend(zip([self.offset + i for i in fast_at], records, strict=True))

    def _accept(self, at: int, record: Any) -> None:
        if record is _KEPT:
            self.taken.append(at - self.offset)
        else:
            self.read_audits.append((at, record))

    # -- the coded columns ------------------------------------------------------------

    def _code(self, column: str | None) -> pl.Expr:
        """``column``'s cells read under each row's version (codes; null where empty)."""
        import polars as pl

        if column is None:
            return pl.lit(None, dtype=pl.String)
        tables = self.converted[column]
        expression: pl.Expr | None = None
        for v in self.present:
            table = {text: code for text, code in tables[v].items() if text is not None}
            if not table:
                continue
            read = pl.col(column).replace_strict(
                list(table), list(table.values()), default=None, return_dtype=pl.String
            )
            expression = (
                read
                if expression is None
                else pl.when(pl.col(_VERSION) == v).then(read).otherwise(expression)
            )
        return pl.lit(None, dtype=pl.String) if expression is None else expression

    def _coded(self, rows: pl.DataFrame) -> pl.DataFrame:
        """``rows`` with their codes, dates and moderation beside the cells."""
        import polars as pl

        source = self._source
        dates = pl.col(source("audit_date") or "").replace_strict(
            list(self.dates), list(self.dates.values()), default=None, return_dtype=pl.Date
        )
        columns = [
            dates.alias(_DATE),
            self._code(source("activity")).alias(_ACTIVITY),
            self._code(source("auditor_role")).alias(_ROLE),
            self._code(source("overall_grade")).alias(_OVERALL),
        ]
        columns.extend(
            self._code(judged["grade"]).alias(_grade_column(i))
            for i, (_, judged, _) in enumerate(self.reader.judgements)
        )
        moderation = self.reader.moderation
        if not moderation:
            return rows.with_columns(columns)
        given = (
            {text: o for text, o in self.outcomes.items() if o is not None}
            if "outcome" in moderation
            else {}
        )
        columns.extend(
            [
                self._code(moderation["grade"]).alias(_M_GRADE),
                self._code(moderation["role"]).alias(_M_ROLE),
                pl.col(moderation["date"])
                .replace_strict(
                    list(self.moderation_dates),
                    list(self.moderation_dates.values()),
                    default=None,
                    return_dtype=pl.Date,
                )
                .alias(_M_DATE),
                (
                    pl.col(moderation["outcome"]).replace_strict(
                        list(given),
                        [outcome.value for outcome in given.values()],
                        default=None,
                        return_dtype=pl.String,
                    )
                    if given
                    else pl.lit(None, dtype=pl.String)
                ).alias(_M_OUTCOME),
                self.moderation_present.alias(_MODERATED),
            ]
        )
        rows = rows.with_columns(columns)
        # A moderation whose outcome the export does not give has the one its grades make
        # under the row's version; without the auditor's grade there is none, and the
        # audit has no moderation (as the object path builds it).
        wanted = (
            rows.lazy()
            .filter(
                pl.col(_MODERATED) & pl.col(_M_OUTCOME).is_null() & pl.col(_OVERALL).is_not_null()
            )
            .select(_VERSION, _OVERALL, _M_GRADE)
            .unique()
            .collect()
            .rows()
        )
        if wanted:
            readers = self.versions.versions
            keys = [_JOIN.join((str(v), overall, grade)) for v, overall, grade in wanted]
            made = [
                moderation_outcome(readers[v].profile, overall, grade).value
                for v, overall, grade in wanted
            ]
            key = pl.concat_str(
                [pl.col(_VERSION).cast(pl.String), pl.col(_OVERALL), pl.col(_M_GRADE)],
                separator=_JOIN,
            )
            rows = rows.with_columns(
                pl.coalesce(
                    pl.col(_M_OUTCOME),
                    key.replace_strict(keys, made, default=None, return_dtype=pl.String),
                ).alias(_M_OUTCOME)
            )
        return rows.with_columns(
            (pl.col(_MODERATED).fill_null(False) & pl.col(_M_OUTCOME).is_not_null()).alias(
                _MODERATED
            )
        )

    # -- the check ----------------------------------------------------------------------

    def _passes(self, rows: pl.DataFrame) -> pl.Series:
        """Whether each row's audit passes its version's check and raises no warning, as
        :meth:`_Collector._screen` decides for the audits it builds: once per distinct
        audit without its judgements (one such audit built from the first row with it) and
        once per distinct judgement shape in its version and activity.

        The keys are integers: each code's number among the codes of every version read
        (0 for none) and each flag's bit, in mixed radix."""
        import polars as pl

        readers = self.versions.versions
        codes = sorted(
            {
                code
                for tables in self.converted.values()
                for table in tables
                for code in table.values()
                if code is not None
            }
        )
        radix = len(codes) + 1
        outcomes = [o.value for o in ModerationOutcome]
        old = pl.Series(codes, dtype=pl.String)
        new = pl.Series(list(range(1, radix)), dtype=pl.Int64)

        def number(column: str) -> pl.Expr:
            return (
                pl.col(column)
                .replace_strict(old, new, default=0, return_dtype=pl.Int64)
                .fill_null(0)
            )

        # The row's context (its version and activity), read by the audit's key and by each
        # judgement's shape.
        context = pl.col(_VERSION).cast(pl.Int64) * radix + number(_ACTIVITY)
        rows = rows.with_columns(context.alias(_CONTEXT))
        digits: list[tuple[pl.Expr, int]] = [
            (pl.col(_CONTEXT), len(readers) * radix),
            (number(_ROLE), radix),
            (number(_OVERALL), radix),
        ]
        if self.reader.moderation:
            moderated = pl.col(_MODERATED)
            outcome = (
                pl.col(_M_OUTCOME)
                .replace_strict(
                    outcomes, list(range(1, len(outcomes) + 1)), default=0, return_dtype=pl.Int64
                )
                .fill_null(0)
            )
            on_time = (pl.col(_M_DATE) >= pl.col(_DATE)).fill_null(False).cast(pl.Int64)
            digits.extend(
                (pl.when(moderated).then(value).otherwise(0), size)
                for value, size in (
                    (number(_M_GRADE), radix),
                    (number(_M_ROLE), radix),
                    (outcome, len(outcomes) + 1),
                    (on_time, 2),
                )
            )
        if math.prod(size for _, size in digits) >= 2**62:
            raise AssertionError("more codes than an audit's key can number")  # pragma: no cover
        key = _mixed(digits)
        keyed = rows.select(key.alias("key"), pl.col(_AT))
        firsts = keyed.unique(subset="key", keep="first", maintain_order=True)
        chosen = pl.repeat(False, self.cells.height, eager=True).scatter(
            firsts.get_column(_AT), True
        )
        audits, versions_at = self._build(chosen, bare=True)
        verdicts = [
            self._checked(readers[v].check, audit)
            for audit, v in zip(audits, versions_at, strict=True)
        ]
        passed = keyed.get_column("key").replace_strict(
            firsts.get_column("key"), verdicts, return_dtype=pl.Boolean
        )
        # Each judgement in its context (the row's version and activity), by its shape:
        # the grade and which notes are written.
        shapes = rows.select(
            _mixed(
                [
                    (pl.col(_CONTEXT), len(readers) * radix),
                    (number(_grade_column(i)), radix),
                    *(
                        (pl.col(columns[p]).is_not_null().cast(pl.Int64), 2)
                        if p in columns
                        else (pl.lit(0, dtype=pl.Int64), 2)
                        for p in ("rationale", "strengths", "would_improve")
                    ),
                ]
            ).alias(str(i))
            for i, (_, columns, _) in enumerate(self.reader.judgements)
        )
        for i, (standard, _, _) in enumerate(self.reader.judgements):
            shape = shapes.get_column(str(i))
            bad = []
            for found in shape.unique().to_list():
                rest, would_improve = divmod(found, 2)
                rest, strengths = divmod(rest, 2)
                rest, rationale = divmod(rest, 2)
                rest, grade = divmod(rest, radix)
                version, activity = divmod(rest, radix)
                if not grade:
                    continue  # no judgement of this standard
                kind = (codes[grade - 1], bool(rationale), bool(strengths), bool(would_improve))
                known = codes[activity - 1] if activity else ""
                if not shape_passes(readers[version].check, known, standard, kind):
                    bad.append(found)
            if bad:
                passed = passed & ~shape.is_in(bad)
        return passed

    # -- the frames ---------------------------------------------------------------------

    def _keep(self, rows: pl.DataFrame) -> None:
        """Add the accepted ``rows`` to the frames."""
        import polars as pl

        from qaframework.io.frames import _cycle_days
        from qaframework.policy.activities import FeedbackSource
        from qaframework.policy.escalation import Concern

        source = self._source
        reader = self.reader

        def text(name: str) -> pl.Expr:
            column = source(name)
            return pl.col(column) if column is not None else pl.lit(None, dtype=pl.String)

        row = (pl.col(_AT).cast(pl.Int64) + self.offset).alias(_ROW)
        audit_id = text("id").alias("audit_id")
        cycle = source("cycle")
        if cycle is not None:
            labels = rows.get_column(cycle).drop_nulls().unique().to_list()
            days = [_cycle_days(label) for label in labels]
            starts, ends = (
                pl.col(cycle).replace_strict(
                    labels, [d[k] for d in days], default=None, return_dtype=pl.Date
                )
                for k in (0, 1)
            )
        else:
            starts = ends = pl.lit(None, dtype=pl.Date)
        if reader.moderation:
            moderated_grade: pl.Expr = (
                pl.when(pl.col(_MODERATED)).then(pl.col(_M_GRADE)).otherwise(None)
            )
            moderations = pl.col(_MODERATED).cast(pl.Int64)
        else:
            moderated_grade = pl.lit(None, dtype=pl.String)
            moderations = pl.lit(0, dtype=pl.Int64)
        grades = [_grade_column(i) for i in range(len(reader.judgements))]
        judged = (
            pl.sum_horizontal([pl.col(g).is_not_null().cast(pl.Int64) for g in grades])
            if grades
            else pl.lit(0, dtype=pl.Int64)
        )

        def flags(found: Any, kind: Any) -> pl.Expr:
            columns = [s.column for k, s in found if k is kind]
            if not columns:
                return pl.lit(False)
            return pl.any_horizontal(
                [
                    pl.col(c)
                    .replace_strict(
                        list(self.flags[c]),
                        list(self.flags[c].values()),
                        default=False,
                        return_dtype=pl.Boolean,
                    )
                    .fill_null(False)
                    for c in columns
                ]
            )

        audits = rows.select(
            row,
            audit_id,
            text("child_id").alias("child_id"),
            pl.col(_ACTIVITY).alias("activity"),
            pl.col(_DATE).alias("audit_date"),
            text("auditor").alias("auditor"),
            pl.col(_ROLE).alias("auditor_role"),
            text("practitioner").alias("practitioner"),
            text("team").alias("team"),
            text("service_area").alias("service_area"),
            starts.alias("cycle"),
            ends.alias("cycle_end"),
            text("cycle").alias("cycle_label"),
            pl.col(_OVERALL).alias("overall_grade"),
            moderated_grade.alias("moderated_grade"),
            pl.coalesce(moderated_grade, pl.col(_OVERALL)).alias("final_grade"),
            judged.alias("judgements"),
            moderations.alias("moderations"),
            pl.lit(0, dtype=pl.Int64).alias("actions"),
            *(flags(reader.concerns, c).alias(f"concern_{c.value}") for c in Concern),
            *(flags(reader.feedback, f).alias(f"feedback_{f.value}") for f in FeedbackSource),
        )
        self.parts["audits"].append(audits)
        self.count += audits.height
        # Lazily, so that each filter takes the few columns selected, not every column of
        # the rows (their notes among them).
        lazy = rows.lazy()
        # Each judgement's place in audit order, one integer (a sort on one integer
        # column costs polars about half a sort on the row and the standard's number).
        standards = len(reader.judgements)
        judgements = []
        for i, (standard, columns, _) in enumerate(reader.judgements):
            grade = _grade_column(i)
            judgements.append(
                lazy.filter(pl.col(grade).is_not_null()).select(
                    row,
                    (pl.col(_AT).cast(pl.Int64) * standards + i).alias(_SEQ),
                    audit_id,
                    pl.lit(standard, dtype=pl.String).alias("standard"),
                    pl.col(grade).alias("grade"),
                    *(
                        (
                            pl.col(columns[p]) if p in columns else pl.lit(None, dtype=pl.String)
                        ).alias(p)
                        for p in ("rationale", "strengths", "would_improve")
                    ),
                )
            )
        if judgements:
            self.parts["judgements"].append(
                pl.concat(judgements, how="vertical").collect().sort(_SEQ).drop(_SEQ)
            )
        moderation = reader.moderation
        if moderation:
            rationale = moderation.get("rationale")
            self.parts["moderations"].append(
                lazy.filter(pl.col(_MODERATED))
                .select(
                    row,
                    audit_id,
                    pl.col(moderation["moderator"]).alias("moderator"),
                    pl.col(_M_ROLE).alias("role"),
                    pl.col(_M_GRADE).alias("grade"),
                    pl.col(_M_OUTCOME).alias("outcome"),
                    pl.col(_M_DATE).alias("moderated_on"),
                    (pl.col(rationale) if rationale is not None else pl.lit(None, pl.String)).alias(
                        "rationale"
                    ),
                )
                .collect()
            )
