"""What an import would do, shown before anything is written.

The preview runs the real import (:func:`data.importers.pipeline.load`) inside a transaction that is always
rolled back, then reads what it wrote: so a preview and the import that follows it can never disagree. It
reports the rows that would be new, the figures that would change (old and new), the rejected rows with their
figures and reasons, the rows that would load with a quality flag and why, one line per cause of each, whether
the same file was imported before, and warnings a checker should look at before confirming: a value outside
its SPC process limits, a denominator that moved by more than 20% from the previous period, a provider KPI
missing from a provider return, and a figure in a quarter already agreed at a monitoring meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from data import access, schema
from data.importers import pipeline, rejection_groups
from data.importers.formats import PROVIDER_RETURN, Format, to_common
from data.importers.template import PROVIDER_SOURCE_PREFIX
from data.importers.validate import KEY_FIELDS
from metrics import spc

DENOMINATOR_CHANGE = 0.2
"""A denominator that moves by more than this fraction of the previous period's is flagged."""
SERIES_FIELDS = ("indicator_code", "area_code", "sex", "age", "category_type", "category", "granularity")


@dataclass(frozen=True)
class Figure:
    """A row that would load: its indicator, area and period, and its value (old value when it changes)."""

    indicator: str
    area: str
    period: str
    value: float | None
    count: float | None
    denominator: float | None
    old_value: float | None = None


@dataclass(frozen=True)
class RejectedRow:
    """A row that would not load, as the file gave it, with every reason."""

    row_number: int
    area: str
    period: str
    figures: str
    reason: str
    row_count: int = 1
    """How many rows this stands for: many rows refused for the same reason are shown once, with the first
    row's area, period and figures (:mod:`data.importers.rejection_groups`)."""
    rows: str = ""
    """The rows it stands for, when more than one: "2-26, 29-33 (30 rows; the first shown)"."""


@dataclass(frozen=True)
class FlaggedRow:
    """A row that would load as published with a quality flag, and what the flag says."""

    row_number: int
    area: str
    period: str
    note: str


@dataclass(frozen=True)
class PreviewWarning:
    """Something to check before confirming: its kind, where it is, and what it says in words."""

    kind: str  # 'outside limits' | 'denominator moved' | 'missing KPI' | 'agreed period'
    indicator: str
    area: str
    period: str
    message: str


@dataclass
class ImportPreview:
    """Everything an import of one file would do; nothing of it has been written."""

    file_name: str
    sha256: str
    source_format: str
    rows_read: int
    rows_unchanged: int
    new: list[Figure] = field(default_factory=list)
    changes: list[Figure] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[PreviewWarning] = field(default_factory=list)
    flagged: list[FlaggedRow] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    """One line per cause of rejection or flag: "852 rows rejected: ... (first at row 2)"."""
    earlier: str = ""
    """When the same file was imported before: which import, and that nothing new would be stored."""
    added: str = ""
    """When the file names indicators the catalogue lacks: the line saying which will be added, and how."""

    @property
    def rows_loading(self) -> int:
        """Rows the import would write: new ones and changed ones."""
        return len(self.new) + len(self.changes)

    def summary(self) -> str:
        """The counts in words: "312 rows will load: 300 new, 12 change a figure; 3 rows are rejected"."""
        loading = f"{_rows(self.rows_loading)} will load: {len(self.new):,} new, {len(self.changes):,} "
        loading += "changes a figure" if len(self.changes) == 1 else "change a figure"
        if self.rows_unchanged:
            loading += f", {_rows(self.rows_unchanged)} already held unchanged"
        rejected = sum(r.row_count for r in self.rejected)
        text = f"{loading}; {_rows(rejected)} {'is' if rejected == 1 else 'are'} rejected"
        if self.flagged:
            text += f"; {_rows(len(self.flagged))} will load as published with a quality flag"
        return text + "."


def _rows(n: int) -> str:
    return f"{n:,} row{'' if n == 1 else 's'}"


def preview_bytes(engine: sa.Engine, content: bytes, file_name: str, user: access.User) -> ImportPreview:
    """What importing ``content`` would do; writes nothing. Raises FileProblem when it cannot be read.

    Needs the import permission: the preview runs the import itself, in a transaction it rolls back.
    """
    access.require(user, access.IMPORT_DATA)
    result = pipeline.new_result(content, file_name)
    table, file_format = pipeline.read(content, file_name, result)
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            pipeline.load(
                conn,
                table,
                file_format,
                result,
                content=content,
                started=dt.datetime.now(),
                imported_by=user.name,
            )
            return _describe(conn, result, to_common(table, file_format), file_format)
        finally:
            transaction.rollback()


def _frame(conn: sa.Connection, query: sa.Select) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(query).mappings().all(), columns=list(query.selected_columns.keys()))


def _describe(
    conn: sa.Connection, result: pipeline.ImportResult, common: pd.DataFrame, file_format: Format
) -> ImportPreview:
    obs, rev = schema.observations, schema.observation_revisions
    written = _frame(conn, sa.select(obs).where(obs.c.batch_id == result.batch_id))
    replaced = _frame(conn, sa.select(rev).where(rev.c.replaced_by_batch_id == result.batch_id))
    names = _names(conn)
    merged = written.merge(replaced[[*KEY_FIELDS, "value"]], on=list(KEY_FIELDS), how="left", indicator=True)
    merged = merged.rename(columns={"value_y": "old_value", "value_x": "value"})
    preview = ImportPreview(
        result.file_name, result.sha256, result.source_format, result.rows_read, result.rows_unchanged
    )
    for row in merged.sort_values(["indicator_code", "area_code", "period_start"]).to_dict("records"):
        figure = _figure(row, names)
        (preview.changes if row["_merge"] == "both" else preview.new).append(figure)
    preview.rejected = _rejected(result, common, names)
    preview.flagged = _flagged(result, common, names)
    preview.causes = [line.strip() for line in result.summary().splitlines() if line.startswith("  ")]
    if result.new_indicators:
        preview.added = result.new_indicators_line("will be added")
    if result.same_file_as is not None:
        preview.earlier = next(line for line in result.summary().splitlines() if line.startswith("This file"))
    before = _series_before(conn, written, replaced, result.batch_id)
    preview.warnings = [
        *_spc_warnings(written, before, _process_changes(conn, written), names),
        *_denominator_warnings(written, before, names),
        *(_missing_kpis(conn, common, result, names) if file_format is PROVIDER_RETURN else []),
        *_agreed_warnings(conn, written, names),
    ]
    return preview


def _names(conn: sa.Connection) -> dict[str, str]:
    """Indicator short names and area names by code, for messages."""
    ind, areas = schema.indicators, schema.areas
    found = dict(conn.execute(sa.select(ind.c.code, ind.c.short_name)).tuples().all())
    found.update(conn.execute(sa.select(areas.c.code, areas.c.name)).tuples().all())
    return found


def _number(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _figure(row: dict, names: dict[str, str]) -> Figure:
    return Figure(
        indicator=names.get(row["indicator_code"], row["indicator_code"]),
        area=names.get(row["area_code"], row["area_code"]),
        period=row["period_label"],
        value=_number(row["value"]),
        count=_number(row["count"]),
        denominator=_number(row["denominator"]),
        old_value=_number(row.get("old_value")),
    )


def _rejected(
    result: pipeline.ImportResult, common: pd.DataFrame, names: dict[str, str]
) -> list[RejectedRow]:
    """The rows that would not load, many refused for the same reason shown once with their rows."""
    by_row = common.set_index("row_number")
    rows = []
    for group in rejection_groups.groups(result.rejections):
        first = min(group, key=lambda r: r.row_number)
        cells = by_row.loc[first.row_number]
        figures = ", ".join(
            f"{label} {cells[column]}"
            for label, column in (("value", "value"), ("numerator", "count"), ("denominator", "denominator"))
            if cells[column]
        )
        area = str(cells["area_code"])
        many = len(group) > 1
        rows.append(
            RejectedRow(
                first.row_number,
                names.get(area.strip().upper(), area),
                str(cells["period"]),
                figures or "no figures",
                f"{first.reasons[0]}{rejection_groups.further(group)}" if many else first.reason,
                len(group),
                rejection_groups.rows_label(group, "; the first shown") if many else "",
            )
        )
    return rows


def _flagged(result: pipeline.ImportResult, common: pd.DataFrame, names: dict[str, str]) -> list[FlaggedRow]:
    by_row = common.set_index("row_number")
    rows = []
    for flag in result.flags:
        cells = by_row.loc[flag.row_number]
        area = str(cells["area_code"])
        rows.append(
            FlaggedRow(
                flag.row_number,
                names.get(area.strip().upper(), area),
                str(cells["period"]),
                "; ".join(flag.notes),
            )
        )
    return rows


def _series_before(
    conn: sa.Connection, written: pd.DataFrame, replaced: pd.DataFrame, batch_id: str
) -> pd.DataFrame:
    """The stored series the written rows belong to, as they were before this import."""
    if written.empty:
        return written
    obs = schema.observations
    held = _frame(
        conn,
        sa.select(obs).where(
            obs.c.indicator_code.in_(sorted(written["indicator_code"].unique())),
            obs.c.area_code.in_(sorted(written["area_code"].unique())),
            obs.c.batch_id != batch_id,
        ),
    )
    old = replaced.drop(columns="replaced_by_batch_id")
    frames = [frame for frame in (held, old) if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else held


def _earlier(before: pd.DataFrame, row: dict) -> pd.DataFrame:
    """The series' figures for periods ending before ``row``'s starts, oldest first."""
    if before.empty:
        return before
    same = pd.Series(True, index=before.index)
    for column in SERIES_FIELDS:
        same &= before[column] == row[column]
    series = before[same & (pd.to_datetime(before["period_end"]) < pd.Timestamp(row["period_start"]))]
    return series.sort_values("period_start")


def _where(row: dict, names: dict[str, str]) -> tuple[str, str, str]:
    return (
        names.get(row["indicator_code"], row["indicator_code"]),
        names.get(row["area_code"], ""),
        row["period_label"],
    )


def _process_changes(conn: sa.Connection, written: pd.DataFrame) -> pd.DataFrame:
    """The process changes in force for the indicators written: indicator_code, area_code (None for every
    area) and change_date."""
    table = schema.process_changes
    query = sa.select(table.c.indicator_code, table.c.area_code, table.c.change_date).where(
        table.c.withdrawn_at.is_(None),
        table.c.indicator_code.in_(sorted(written["indicator_code"].unique())),
    )
    return _frame(conn, query)


def _current_phase(earlier: pd.DataFrame, row: dict, changes: pd.DataFrame) -> spc.SpcResult | None:
    """The SPC chart of the current phase the new figure would join: :func:`metrics.spc.xmr_phased` of the
    figures held before it, split at the recorded process changes for its indicator and area. None when a
    change starts a new phase at the new figure itself (nothing to judge it against yet) or the phase has too
    few figures."""
    applies = changes[
        (changes["indicator_code"] == row["indicator_code"])
        & (changes["area_code"].isna() | (changes["area_code"] == row["area_code"]))
    ]
    starts = [*earlier["period_start"], row["period_start"]]
    breaks = spc.phase_starts(starts, list(applies["change_date"]))
    if breaks and breaks[-1] == len(earlier):
        return None
    if not spc.is_judged(len(earlier) - (breaks[-1] if breaks else 0)):
        return None
    return spc.xmr_phased(earlier["value"].to_numpy(dtype=float), breaks)[-1]


def _spc_warnings(
    written: pd.DataFrame, before: pd.DataFrame, changes: pd.DataFrame, names: dict[str, str]
) -> list[PreviewWarning]:
    """A new figure outside the process limits of its series' current phase (after the latest recorded
    process change, as the scorecard and indicator page judge it)."""
    warnings = []
    for row in written.to_dict("records"):
        if pd.isna(row["value"]):
            continue
        earlier = _earlier(before, row)
        earlier = earlier[earlier["value"].notna()] if not earlier.empty else earlier
        chart = _current_phase(earlier, row, changes) if not earlier.empty else None
        if chart is None or chart.lpl <= row["value"] <= chart.upl:
            continue
        held = len(chart.point_types)
        since = " since the latest recorded process change" if held < len(earlier) else ""
        indicator, area, period = _where(row, names)
        warnings.append(
            PreviewWarning(
                "outside limits",
                indicator,
                area,
                period,
                f"{indicator}, {area}, {period}: {row['value']:.1f} is outside the process limits "
                f"{chart.lpl:.1f} to {chart.upl:.1f} of the {held} figures held before it{since}.",
            )
        )
    return warnings


def _denominator_warnings(
    written: pd.DataFrame, before: pd.DataFrame, names: dict[str, str]
) -> list[PreviewWarning]:
    warnings = []
    for row in written.to_dict("records"):
        if pd.isna(row["denominator"]):
            continue
        earlier = _earlier(before, row)
        earlier = earlier[earlier["denominator"].notna() & (earlier["denominator"] > 0)]
        if earlier.empty:
            continue
        previous = earlier.iloc[-1]
        change = (row["denominator"] - previous["denominator"]) / previous["denominator"]
        if abs(change) <= DENOMINATOR_CHANGE:
            continue
        indicator, area, period = _where(row, names)
        warnings.append(
            PreviewWarning(
                "denominator moved",
                indicator,
                area,
                period,
                f"{indicator}, {area}, {period}: the denominator {row['denominator']:,.0f} is "
                f"{abs(change):.0%} {'higher' if change > 0 else 'lower'} than "
                f"{previous['denominator']:,.0f} in {previous['period_label']}.",
            )
        )
    return warnings


def _missing_kpis(
    conn: sa.Connection, common: pd.DataFrame, result: pipeline.ImportResult, names: dict[str, str]
) -> list[PreviewWarning]:
    """Every provider KPI with no row that will load, for each area and quarter the return covers."""
    ind = schema.indicators
    expected = (
        conn.execute(
            sa.select(ind.c.code)
            .where(ind.c.source.startswith(PROVIDER_SOURCE_PREFIX))
            .order_by(ind.c.sort_order)
        )
        .scalars()
        .all()
    )
    rejected = {r.row_number for r in result.rejections}
    rows = common.assign(area=common["area_code"].str.upper(), code=common["indicator_ref"].str.lower())
    present = set(zip(rows["code"], rows["area"], rows["period"], strict=True))
    present -= set(
        zip(*(rows[rows["row_number"].isin(rejected)][c] for c in ("code", "area", "period")), strict=True)
    )
    covered = sorted({(a, p) for a, p in zip(rows["area"], rows["period"], strict=True) if a in names and p})
    return [
        PreviewWarning(
            "missing KPI",
            names[code],
            names[area],
            period,
            f"{names[code]}: no figure for {names[area]}, {period} will load from this return.",
        )
        for area, period in covered
        for code in expected
        if (code, area, period) not in present
    ]


def _agreed_warnings(
    conn: sa.Connection, written: pd.DataFrame, names: dict[str, str]
) -> list[PreviewWarning]:
    """One warning for each agreed contract quarter this file would write figures into."""
    agreed, contracts = schema.agreed_periods, schema.contracts
    query = sa.select(
        contracts.c.area_code, agreed.c.period_label, agreed.c.agreed_by, agreed.c.agreed_at
    ).join(contracts, contracts.c.code == agreed.c.contract_code)
    warnings = []
    for area, period, who, when in conn.execute(query).tuples().all():
        hits = written[(written["area_code"] == area) & (written["period_label"] == period)]
        if hits.empty:
            continue
        warnings.append(
            PreviewWarning(
                "agreed period",
                "",
                names.get(area, area),
                period,
                f"{names.get(area, area)}, {period} was agreed at a monitoring meeting "
                f"(by {who}, {when:%-d %B %Y}); this file writes {_rows(len(hits))} in it.",
            )
        )
    return warnings
