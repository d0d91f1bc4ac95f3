"""Importing one file into the store: read, recognise, check, compute limits, write, and account for every
row.

The whole import is one database transaction: if anything fails the store is exactly as it was. Each valid
row is written by its natural key (indicator, area, period, breakdown): a key not yet in the store is new,
one whose figures differ is updated (the earlier figures kept in ``observation_revisions``), and one that
matches exactly is left alone, so importing the same file twice changes nothing; nor is a figure replaced by a
rounded copy of itself with fewer details (see :func:`_less_detailed`). A published row that does not quite
add up loads with its quality flag (see :mod:`data.importers.validate`). Rejected rows are stored with their
reasons in ``rejected_rows`` (many rows refused for the same reason as one line naming their rows, see
:mod:`data.importers.rejection_groups`), and the file itself, with its hash, in ``import_files``; importing
the same bytes again when that stores nothing new records the attempt with a pointer to the earlier import
(``same_file_as``) instead of a second copy of the file and its rejected rows. With ``strict=True`` any
rejected or flagged row refuses the whole file, which suits a provider return that should load complete or
not at all.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data import schema, series_summary
from data.importers import bulk, new_indicators, rejection_groups
from data.importers.formats import FileProblem, Format, detect_format, to_common_measured
from data.importers.limits import fill_missing_limits
from data.importers.published import ALL_FORMATS, read_any_table
from data.importers.readers import read_path, sha256_of
from data.importers.validate import (
    KEY_FIELDS,
    MAX_NOTE_CHARS,
    NO_VALUE_NOTE,
    Flag,
    Lookups,
    Rejection,
    validate,
)

SHOWN_DETAILS = 5
"""How many of a cause's codes the summary names; `kpi rejections` lists every row."""
VALUE_FIELDS = schema.OBSERVATION_VALUES
DESCRIPTION_FIELDS = ("quality_note", "limits_source")
"""What an import says about a figure rather than the figure itself: written in place on a figure that is
otherwise unchanged, without a revision."""


@dataclass(frozen=True)
class EarlierImport:
    """The earlier import of byte-for-byte the same file."""

    batch_id: str
    started_at: dt.datetime
    status: str
    rows_rejected: int


@dataclass
class ImportResult:
    """What an import did, in numbers and words."""

    batch_id: str
    file_name: str
    source_format: str
    sha256: str
    status: str  # 'loaded' | 'rejected' | 'failed'
    rows_read: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    message: str = ""
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    same_file_as: EarlierImport | None = None
    new_indicators: list[new_indicators.NewIndicator] = field(default_factory=list)

    @property
    def rows_flagged(self) -> int:
        """Rows that load (or, refused, would load) with a quality flag."""
        return len(self.flags)

    @property
    def rows_loaded(self) -> int:
        """Rows written by this import (new or changed)."""
        return self.rows_new + self.rows_updated

    def problem_counts(self) -> list[CauseCount]:
        """Each cause of rejection with how many rows had it and the first such row, most common first."""
        return _by_cause(self.rejections)

    def flag_counts(self) -> list[CauseCount]:
        """Each cause of a quality flag with how many rows had it and the first such row."""
        return _by_cause(self.flags)

    def new_indicators_line(self, verb: str) -> str:
        """The one line naming the indicators the catalogue lacked, each with its unit, rows and year type:
        "1 indicator not in the catalogue {verb} as not in a framework: Fingertips 93085 ..."."""
        added = "; ".join(str(n) for n in self.new_indicators)
        count = len(self.new_indicators)
        return (
            f"{count:,} indicator{'' if count == 1 else 's'} not in the catalogue {verb} as not in a "
            f"framework: {added}."
        )

    def summary(self) -> str:
        """A plain-English account of the import, one line per cause, for the command line and the log."""
        if self.status == "failed":
            return f"{self.file_name}: not imported. {self.message}"
        first = (
            f"{self.file_name} ({self.source_format.replace('_', ' ')}): {self.rows_read:,} rows read; "
            f"{self.rows_new:,} new, {self.rows_updated:,} updated, {self.rows_unchanged:,} unchanged, "
            f"{self.rows_rejected:,} rejected"
        )
        if self.flags:
            flagged = f"{_rows(self.rows_flagged)} with a quality flag"
            first += f"; {flagged}" if self.status == "rejected" else f"; {flagged} loaded as published"
        lines = [first + "."]
        if self.new_indicators:
            lines.append(self.new_indicators_line("would be added" if self.status == "rejected" else "added"))
        earlier = self.same_file_as
        if earlier is not None:
            refused = " (refused)" if earlier.status == "rejected" else ""
            lines.append(
                f"This file was imported before{refused} (batch {earlier.batch_id[:8]}, "
                f"{earlier.started_at:%-d %b %Y %H:%M}): {_rows(earlier.rows_rejected)} rejected then; "
                "nothing new stored."
            )
        if self.status == "rejected":
            lines.append("Nothing was loaded: the import was strict and some rows were rejected or flagged.")
        lines += [f"  {_rows(c.rows)} rejected: {c}" for c in self.problem_counts()]
        lines += [f"  {_rows(c.rows)} flagged: {c}" for c in self.flag_counts()]
        return "\n".join(lines)


def _rows(n: int) -> str:
    return f"{n:,} row{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class CauseCount:
    """One cause of rejection or flag: how many rows had it, the first such row, and what it named (the
    unknown codes, say), in the order met."""

    cause: str
    rows: int
    first_row: int
    details: tuple[str, ...]

    def __str__(self) -> str:
        """ "the area code is not one we know: E06000028, E06000029 (first at row 37)"."""
        named = ""
        if self.details:
            listed = ", ".join(self.details[:SHOWN_DETAILS])
            more = len(self.details) - SHOWN_DETAILS
            named = f": {listed}" + (f" and {more:,} more" if more > 0 else "")
        return f"{self.cause}{named} (first at row {self.first_row})"


def _by_cause(items: list[Rejection] | list[Flag]) -> list[CauseCount]:
    counts = Counter(item.cause for item in items)
    first: dict[str, int] = {}
    details: dict[str, dict[str, None]] = {}
    for item in items:
        first.setdefault(item.cause, item.row_number)
        if item.detail:
            details.setdefault(item.cause, {})[item.detail] = None
    return [
        CauseCount(cause, n, first[cause], tuple(details.get(cause, {}))) for cause, n in counts.most_common()
    ]


def _lookups(conn: sa.Connection) -> Lookups:
    ind = schema.indicators
    indicators = pd.DataFrame(
        conn.execute(
            sa.select(
                ind.c.code,
                ind.c.value_type,
                ind.c.multiplier,
                ind.c.year_type,
                ind.c.age,
                ind.c.sex,
                ind.c.fingertips_id,
                ind.c.name,
                ind.c.definition,
            )
        )
        .mappings()
        .all()
    )
    if indicators.empty:
        raise FileProblem("The store has no indicator catalogue yet: run 'kpi seed' first.")
    indicators = indicators.set_index("code")
    described = (indicators["name"] + " " + indicators["definition"]).str.lower()
    indicators["standardised"] = described.str.contains("standardised|standardized")
    by_id = {str(int(i)): str(code) for code, i in indicators["fingertips_id"].dropna().items()}
    aliases = conn.execute(sa.select(schema.indicator_aliases)).mappings().all()
    areas = dict(conn.execute(sa.select(schema.areas.c.code, schema.areas.c.name)).tuples().all())
    return Lookups(
        indicators=indicators,
        by_fingertips_id=by_id,
        by_alias={(a["source_name"], a["measure"]): a["indicator_code"] for a in aliases},
        area_codes=frozenset(areas),
        area_names=areas,
    )


def _as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def _as_days(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its period dates as NumPy datetimes, which the store takes a whole column at a time
    (``datetime.date`` objects it converts one by one)."""
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _existing(conn: sa.Connection, keys: sa.Table) -> pd.DataFrame:
    """The stored observations with the keys staged in ``keys``, each with its key's ``position``."""
    obs = schema.observations
    query = sa.select(obs, keys.c.position).join(keys, _key_match(obs, keys))
    return _as_dates(bulk.read_frame(conn, query))


def _key_match(obs: sa.Table, other: sa.Table) -> sa.ColumnElement[bool]:
    return sa.and_(*(obs.c[k] == other.c[k] for k in KEY_FIELDS))


def _same(new: pd.Series, old: pd.Series) -> pd.Series:
    both_missing = new.isna() & old.isna()
    if pd.api.types.is_float_dtype(new) or pd.api.types.is_float_dtype(old):
        close = (pd.to_numeric(new) - pd.to_numeric(old)).abs() <= 1e-12 * pd.to_numeric(old).abs().fillna(0)
        return both_missing | close.fillna(False)
    return both_missing | (new == old).fillna(False)


DETAIL_FIELDS = ("lower95", "upper95", "count", "denominator")


def _half_unit(value: float) -> float:
    """Half a unit in the last decimal place written: 662.7 -> 0.05, 9 -> 0.5."""
    text = np.format_float_positional(value, trim="-")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10.0**-decimals


def _less_detailed(merged: pd.DataFrame) -> pd.Series:
    """Rows that repeat a figure the store already holds in more detail.

    A tidy extract rounds Fingertips' value to one decimal place and drops its limits and counts; loading
    it after the full export must not replace 662.7249 (616.9 to 711.0, 777 of 116,545) with 662.7. Nor
    does a gap with no note replace a gap the source explained ("Value for Cornwall & Isles of Scilly
    combined").
    """
    new, old = merged["value"], merged["value_old"]
    lacks = pd.concat([merged[f].isna() for f in DETAIL_FIELDS], axis=1).all(axis=1)
    had = pd.concat([merged[f"{f}_old"].notna() for f in DETAIL_FIELDS], axis=1).any(axis=1)
    candidates = lacks & had & new.notna() & old.notna()
    half_units = new[candidates].map(_half_unit)
    same_value = pd.Series(False, index=merged.index)
    difference = (new[candidates].astype(float) - old[candidates].astype(float)).abs()
    same_value[candidates] = (difference <= half_units.astype(float)).to_numpy(dtype=bool)
    unexplained_gap = new.isna() & old.isna() & merged["value_note"].eq(NO_VALUE_NOTE)
    return same_value | unexplained_gap


def _write(conn: sa.Connection, valid: pd.DataFrame, batch_id: str) -> tuple[int, int, int]:
    """Write valid observations by natural key, in bulk; return (new, updated, unchanged).

    The file's rows are staged in the store once; their keys are matched against the stored observations
    in one join there, only the rows the store already holds are compared figure by figure, and every other
    row is written from the staged copy, store to store.
    """
    if valid.empty:
        return 0, 0, 0
    valid = _as_days(valid.reset_index(drop=True))
    position = sa.Column("position", sa.Integer)
    staged = bulk.stage(conn, valid.assign(position=np.arange(len(valid))), schema.observations, position)
    existing = _existing(conn, staged)
    stored_at = existing["position"].to_numpy(dtype=np.int64)
    earlier = existing.drop(columns=[*KEY_FIELDS, "position"])
    earlier.columns = pd.Index([f"{c}_old" if c in valid.columns else c for c in earlier.columns])
    merged = pd.concat([valid.iloc[stored_at].reset_index(drop=True), earlier.reset_index(drop=True)], axis=1)
    same = pd.Series(True, index=merged.index)
    for column in VALUE_FIELDS:
        same &= _same(merged[column], merged[f"{column}_old"])
    less_detailed = _less_detailed(merged)
    unchanged = same | less_detailed
    changed = ~unchanged

    obs = schema.observations
    _describe_again(conn, merged[same & ~less_detailed])
    if changed.any():
        replaced = bulk.stage(conn, merged.loc[changed, list(KEY_FIELDS)], obs)
        kept = [c.name for c in obs.columns]
        revised = sa.select(*obs.c, sa.literal(batch_id).label("replaced_by_batch_id")).join(
            replaced, _key_match(obs, replaced)
        )
        conn.execute(
            schema.observation_revisions.insert().from_select([*kept, "replaced_by_batch_id"], revised)
        )
        conn.execute(obs.delete().where(sa.exists().where(_key_match(obs, replaced))))
        bulk.drop(conn, replaced)
    _insert_staged(conn, staged, stored_at[unchanged.to_numpy()], batch_id)
    bulk.drop(conn, staged)
    return len(valid) - len(merged), int(changed.sum()), int(unchanged.sum())


def _insert_staged(conn: sa.Connection, staged: sa.Table, unchanged: np.ndarray, batch_id: str) -> None:
    """Add the staged rows to the observations under ``batch_id``, all but those at the positions
    ``unchanged`` (figures the store already holds as they are)."""
    obs = schema.observations
    names = [c.name for c in obs.columns if c.name != "batch_id"]
    rows = sa.select(*(staged.c[name] for name in names), sa.literal(batch_id))
    kept: sa.Table | None = None
    if len(unchanged):
        kept = bulk.stage(conn, pd.DataFrame({"position": unchanged}), staged)
        rows = rows.where(~sa.exists().where(kept.c.position == staged.c.position))
    conn.execute(obs.insert().from_select([*names, "batch_id"], rows))
    if kept is not None:
        bulk.drop(conn, kept)


def _describe_again(conn: sa.Connection, same: pd.DataFrame) -> None:
    """Write the quality flag and limits source onto figures that are otherwise unchanged, where they differ
    (a figure loaded before these were recorded gets them when its file is imported again)."""
    differs = pd.Series(False, index=same.index)
    for column in DESCRIPTION_FIELDS:
        differs |= ~_same(same[column], same[f"{column}_old"])
    if not differs.any():
        return
    obs = schema.observations
    described = bulk.stage(conn, same.loc[differs, [*KEY_FIELDS, *DESCRIPTION_FIELDS]], obs)
    conn.execute(
        obs.update().where(_key_match(obs, described)).values({c: described.c[c] for c in DESCRIPTION_FIELDS})
    )
    bulk.drop(conn, described)


def _raw_rows(table: pd.DataFrame, row_numbers: list[int]) -> list[str]:
    """The file rows numbered ``row_numbers`` (spreadsheet numbering) as JSON text, kept with their
    rejections (a cell longer than a note may be is cut there: the whole file is kept in ``import_files``)."""

    def cut(cell: object) -> object:
        return (
            cell[:MAX_NOTE_CHARS] + "\u2026" if isinstance(cell, str) and len(cell) > MAX_NOTE_CHARS else cell
        )

    rows = table.iloc[[n - 2 for n in row_numbers]]
    return [
        json.dumps({k: cut(v) for k, v in row.items()}, ensure_ascii=False) for row in rows.to_dict("records")
    ]


def _earlier_import(conn: sa.Connection, sha256: str) -> EarlierImport | None:
    """The latest import (not rolled back, not itself a repeat) of a file with these bytes."""
    batches = schema.import_batches
    row = conn.execute(
        sa.select(batches.c.id, batches.c.started_at, batches.c.status, batches.c.rows_rejected)
        .where(
            batches.c.sha256 == sha256,
            batches.c.status.in_(["loaded", "rejected"]),
            batches.c.same_file_as.is_(None),
        )
        .order_by(batches.c.started_at.desc())
    ).first()
    return None if row is None else EarlierImport(*row)


def _record_batch(conn: sa.Connection, result: ImportResult, started: dt.datetime, imported_by: str) -> None:
    conn.execute(
        schema.import_batches.insert().values(
            id=result.batch_id,
            source_format=result.source_format,
            file_name=result.file_name,
            sha256=result.sha256,
            rows_read=result.rows_read,
            rows_new=result.rows_new,
            rows_updated=result.rows_updated,
            rows_unchanged=result.rows_unchanged,
            rows_rejected=result.rows_rejected,
            rows_flagged=result.rows_flagged,
            imported_by=imported_by,
            started_at=started,
            finished_at=dt.datetime.now(),
            status=result.status,
            message=result.message,
        )
    )


def load(
    conn: sa.Connection,
    table: pd.DataFrame,
    file_format: Format,
    result: ImportResult,
    *,
    content: bytes,
    started: dt.datetime,
    imported_by: str,
    strict: bool = False,
) -> None:
    """Check and write one read file on ``conn``, filling in ``result``; the caller owns the transaction.

    :func:`import_bytes` commits it; the upload preview (:mod:`data.importers.preview`) runs exactly this
    and rolls it back, so what a preview shows is what an import does.
    """
    result.new_indicators = new_indicators.register(conn, table, file_format, result.file_name)
    lookups = _lookups(conn)
    earlier = _earlier_import(conn, result.sha256)
    common, measured = to_common_measured(table, file_format)
    valid, rejections, flags = validate(common, file_format, lookups, measured=measured)
    valid = fill_missing_limits(valid, lookups.indicators)
    result.rejections, result.flags = rejections, flags
    result.rows_rejected = len(rejections)
    result.status = "rejected" if strict and (rejections or flags) else "loaded"
    if result.status == "rejected":
        new_indicators.forget(conn, result.new_indicators)
    _record_batch(conn, result, started, imported_by)
    if result.status == "loaded":
        result.rows_new, result.rows_updated, result.rows_unchanged = _write(
            conn, valid.drop(columns="row_number"), result.batch_id
        )
        series_summary.refresh_series(conn, valid)
    repeat = (
        earlier is not None
        and result.rows_new == result.rows_updated == 0
        and (earlier.status, earlier.rows_rejected) == (result.status, result.rows_rejected)
    )
    if repeat:
        result.same_file_as = earlier
    else:
        _keep_file_and_rejections(conn, result, table, content)
    result.message = result.summary()
    conn.execute(
        schema.import_batches.update()
        .where(schema.import_batches.c.id == result.batch_id)
        .values(
            rows_new=result.rows_new,
            rows_updated=result.rows_updated,
            rows_unchanged=result.rows_unchanged,
            message=result.message,
            finished_at=dt.datetime.now(),
            same_file_as=result.same_file_as.batch_id if result.same_file_as else None,
        )
    )


def _keep_file_and_rejections(
    conn: sa.Connection, result: ImportResult, table: pd.DataFrame, content: bytes
) -> None:
    """Store the file's bytes and the rejected rows, described, with the row as written: one line per row,
    or per reason shared by many rows (:mod:`data.importers.rejection_groups`)."""
    conn.execute(
        schema.import_files.insert().values(
            batch_id=result.batch_id, file_name=result.file_name, sha256=result.sha256, content=content
        )
    )
    if not result.rejections:
        return
    lines = rejection_groups.grouped(result.rejections)
    numbers = [line.row_number for line in lines]
    rows = pd.DataFrame(
        {
            "batch_id": result.batch_id,
            "row_number": numbers,
            "reason": [line.described for line in lines],
            "raw": _raw_rows(table, numbers),
            "row_count": [line.row_count for line in lines],
            "row_ranges": [line.row_ranges for line in lines],
        }
    )
    bulk.insert_frame(conn, schema.rejected_rows, rows)


def read(content: bytes, file_name: str, result: ImportResult) -> tuple[pd.DataFrame, Format]:
    """The file's table and format, noted in ``result``; raises :class:`FileProblem` if it cannot be read."""
    table = read_any_table(content, file_name)
    file_format = detect_format(list(table.columns), ALL_FORMATS)
    result.source_format = file_format.name
    result.rows_read = len(table)
    return table, file_format


def new_result(content: bytes, file_name: str) -> ImportResult:
    """A fresh result for a new batch of ``content``, failed until it loads."""
    return ImportResult(str(uuid.uuid4()), file_name, "unknown", sha256_of(content), "failed")


def import_bytes(
    engine: sa.Engine, content: bytes, file_name: str, *, imported_by: str | None = None, strict: bool = False
) -> ImportResult:
    """Import a file's bytes; see the module docstring. Raises :class:`FileProblem` if it cannot be read."""
    started, clock = dt.datetime.now(), time.perf_counter()
    who = imported_by or getpass.getuser()
    result = new_result(content, file_name)
    try:
        table, file_format = read(content, file_name, result)
        with engine.begin() as conn:
            load(
                conn,
                table,
                file_format,
                result,
                content=content,
                started=started,
                imported_by=who,
                strict=strict,
            )
    except FileProblem as problem:
        result.status, result.message = "failed", str(problem)
        _record_failure(engine, result, started, who)
        raise
    result.seconds = time.perf_counter() - clock
    return result


def _record_failure(engine: sa.Engine, result: ImportResult, started: dt.datetime, who: str) -> None:
    """Log a file that could not be read, in its own transaction, if the store is ready to hold it."""
    if not schema.has_schema(engine):
        return
    with engine.begin() as conn:
        _record_batch(conn, result, started, who)


def import_file(
    engine: sa.Engine, path: str | Path, *, imported_by: str | None = None, strict: bool = False
) -> ImportResult:
    """Import the file at ``path``; see :func:`import_bytes`."""
    path = Path(path)
    return import_bytes(engine, read_path(path), path.name, imported_by=imported_by, strict=strict)
