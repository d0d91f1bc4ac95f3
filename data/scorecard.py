"""The scorecard: for one area, as at one date, every indicator's latest figure and what it means.

One row per indicator in the catalogue (indicators with no data for the area are kept, so gaps show): the
latest headline value with its period and limits; the target in force for that period and the target status;
the comparison with England (and the region) by the Fingertips method; the recent-trend marker; and the SPC
variation and assurance (on the current phase, when a process change has been recorded: see
:mod:`data.process_changes`). Everything is computed for all indicators together from four small queries, on
one opening of the store (:func:`data.db.kept_open`), using the table forms of the methods in :mod:`metrics`;
a page that shows one indicator asks for that indicator alone, and the same rules give the same row. The
figures come from the series summary (:mod:`data.series_summary`: one row per indicator for each of the
area, England and the region); the judgements are made here, on each call, so an edit to a target, the
catalogue or the process changes shows at once.

Which target applies: the latest version of each target whose ``effective_from`` is on or before the start
of the period being judged, an area's own target taking precedence over one set for every area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data import process_changes, queries, series_summary
from data.areas import ENGLAND, region_of
from data.db import kept_open
from data.scorecard_row import ScorecardRow, to_rows
from metrics import compare, rag, spc, spc_table, travel, trend

__all__ = ["SCORECARD_COLUMNS", "ScorecardRow", "applicable_targets", "scorecard", "scorecard_rows"]
# How a source's own published comparison maps onto our comparison words.
PUBLISHED = {
    "better": "better",
    "similar": "similar",
    "worse": "worse",
    "higher": "higher",
    "lower": "lower",
    "not compared": "not compared",
}

SCORECARD_COLUMNS = (
    "indicator_code",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
    "provisional",
    "value_note",
    "target",
    "amber_threshold",
    "target_illustrative",
    "target_reason",
    "target_status",
    "target_on_interval",
    "england_value",
    "benchmark",
    "benchmark_source",
    "region_value",
    "region_benchmark",
    "region_name",
    "trend",
    "trend_reason",
    "spc_variation",
    "spc_assurance",
    "spc_trial_limits",
    "spc_points",
    "improvement",
    "spc_judged",
    "improving",
    "worsening",
    "has_data",
)


def _latest(series: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's most recent headline row that has a value."""
    with_value = series[series["value"].notna()]
    order = with_value.sort_values(["indicator_code", "period_end", "period_start"])
    return order.groupby("indicator_code", sort=False).tail(1).set_index("indicator_code")


BENCHMARK_KEY = ("indicator_code", "period_start", "period_end")
"""A benchmark figure is the one for the same indicator and period as the area's latest."""


def _benchmark_values(series: pd.DataFrame, latest: pd.DataFrame, area_code: str, name: str) -> pd.Series:
    """The benchmark area's value for the same indicator and period as each latest row (looked up by
    indicator, period start and end: a few thousand rows, where a merge cost more than the lookup)."""
    mine = series["area_code"].to_numpy() == area_code
    keys = zip(*(series[column].to_numpy()[mine].tolist() for column in BENCHMARK_KEY), strict=True)
    values = dict(zip(keys, series["value"].to_numpy()[mine].tolist(), strict=True))
    wanted = zip(
        latest.index.tolist(), latest["period_start"].tolist(), latest["period_end"].tolist(), strict=True
    )
    found = [values.get(key) for key in wanted]
    return pd.Series(found, index=latest.index, name=name, dtype=float)


def applicable_targets(targets: pd.DataFrame, latest: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """The target in force for each indicator's latest period (see the module docstring for the rule).

    ``targets`` holds the latest version of each target (one per indicator and area, '' for every area):
    of those in force, the area's own is chosen over one for every area, then the later ``effective_from``,
    then the later version."""
    columns = ["target", "amber_threshold", "illustrative", "reason"]
    if targets.empty or latest.empty:
        return pd.DataFrame(columns=columns, index=latest.index)
    starts = dict(zip(latest.index.tolist(), pd.to_datetime(latest["period_start"]).tolist(), strict=True))
    best: dict[str, tuple[tuple, int]] = {}
    held = zip(
        targets["indicator_code"].tolist(),
        targets["area_code"].tolist(),
        pd.to_datetime(targets["effective_from"]).tolist(),
        targets["version"].tolist(),
        strict=True,
    )
    for position, (code, area, effective_from, version) in enumerate(held):
        start = starts.get(code)
        if area not in ("", area_code) or start is None or not effective_from <= start:
            continue  # another area's, an indicator not shown, or not yet in force (a missing date: never)
        rank = (area == area_code, effective_from, version)
        if code not in best or rank > best[code][0]:
            best[code] = (rank, position)
    chosen = targets.iloc[[position for _, position in best.values()]][columns]
    chosen.index = pd.Index(list(best), name="indicator_code")
    return chosen.reindex(latest.index)


def on_interval(frame: pd.DataFrame) -> np.ndarray:
    """Which figures the small-numbers rule judges on their 95% interval: small numbers
    (:func:`metrics.rag.small_numbers_many`), with both limits held."""
    small = rag.small_numbers_many(
        frame["count"].to_numpy(float),
        frame["denominator"].to_numpy(float),
        frame["value_type"].to_numpy(object),
    )
    held = frame["lower95"].notna().to_numpy() & frame["upper95"].notna().to_numpy()
    return np.asarray(small & held, dtype=bool)


def _target_status(frame: pd.DataFrame, interval: np.ndarray) -> np.ndarray:
    """Each figure's status against its target: by its value, or by its 95% interval where ``interval``."""
    status = np.full(len(frame), "not assessed", dtype=object)
    for polarity, rows in frame.groupby("polarity").indices.items():
        part = frame.iloc[rows]
        by_value = rag.target_status_many(
            part["value"].to_numpy(float),
            target=part["target"].to_numpy(float),
            amber_threshold=part["amber_threshold"].to_numpy(float),
            polarity=str(polarity),
        )
        by_interval = rag.target_status_many(
            part["value"].to_numpy(float),
            target=part["target"].to_numpy(float),
            lower=part["lower95"].to_numpy(float),
            upper=part["upper95"].to_numpy(float),
            polarity=str(polarity),
            use_ci=True,
        )
        status[rows] = np.where(interval[rows], by_interval, by_value)
    return status


def _comparison(frame: pd.DataFrame, value_column: str) -> pd.Series:
    labels = compare.benchmark_many(
        frame["lower95"].astype(float),
        frame["upper95"].astype(float),
        frame[value_column].astype(float),
        frame["polarity"].to_numpy(object),
    )
    # A Series in gives a Series out, on the frame's index; the labels are put on it otherwise.
    return labels if isinstance(labels, pd.Series) else pd.Series(labels, index=frame.index)


def _trend_input(area_series: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The area's series with the polarity and the test each indicator's trend uses.

    Proportions use the chi-squared test on counts when the latest five points all have count and
    denominator; everything else uses the weighted regression on values and their 95% limits.
    """
    listed = catalogue.set_index("code")
    codes = area_series["indicator_code"]
    frame = area_series[codes.isin(listed.index)]  # figures of an indicator the catalogue lacks: no trend
    frame = frame.assign(
        code=frame["indicator_code"],
        polarity=frame["indicator_code"].map(listed["polarity"]),
        value_type=frame["indicator_code"].map(listed["value_type"]),
    ).sort_values(["indicator_code", "period_end"], kind="stable")
    recent = frame.groupby("indicator_code").tail(trend.POINTS)
    counted = (
        (recent["count"].notna() & recent["denominator"].notna()).groupby(recent["indicator_code"]).all()
    )
    is_proportion = frame["value_type"].eq("proportion") & frame["indicator_code"].map(counted).fillna(False)
    return frame.assign(method=np.where(is_proportion, "proportion", "other"))


def current_phase(area_series: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """The area's series with each indicator's figures before its latest process change left out, so SPC is
    judged on the current phase alone, as :func:`metrics.spc.xmr_phased` judges it on the indicator page.

    A change starts a phase at the first period with a figure starting on or after its date
    (:func:`metrics.spc.phase_starts`); a change at or before the first figure, or after the latest period
    starts, leaves the series whole.
    """
    if changes.empty or area_series.empty:
        return area_series
    keep = pd.Series(True, index=area_series.index)
    for code, dates in changes.groupby("indicator_code")["change_date"]:
        rows = area_series[(area_series["indicator_code"] == code) & area_series["value"].notna()]
        rows = rows.sort_values(["period_end", "period_start"])
        breaks = spc.phase_starts(list(rows["period_start"]), list(dates))
        if breaks:
            start = pd.Timestamp(rows["period_start"].iloc[breaks[-1]])
            earlier = pd.to_datetime(area_series["period_start"]) < start
            keep &= ~((area_series["indicator_code"] == code) & earlier)
    return area_series[keep]


def scorecard(
    engine: sa.Engine,
    area_code: str,
    *,
    as_at: dt.date | None = None,
    benchmark_area: str = ENGLAND,
    region_area: str | None = None,
    indicator_codes: Sequence[str] | None = None,
    series: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    areas: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every indicator's latest status for ``area_code`` using data for periods ending on or before ``as_at``.

    ``indicator_codes`` limits the rows to those indicators (each row is the same as in the whole
    scorecard: nothing in a row depends on another indicator). ``series`` is the headline series
    (:func:`data.queries.headline_series`) when the caller already holds it for at least the area, the
    benchmark and the region, and the indicators asked for; it is read here otherwise, from the series
    summary (:func:`data.series_summary.headline_series`, the same frame). ``catalogue``
    (:func:`data.queries.indicator_catalogue`), ``areas`` (:func:`data.queries.list_areas`) and ``targets``
    (:func:`data.queries.current_targets`) are those tables when the caller has read them already; they are
    read here otherwise.

    Returns one row per catalogue indicator, in catalogue order, with the catalogue columns (code, name,
    short_name, unit, polarity, value_type, illustrative, …) and :data:`SCORECARD_COLUMNS`. The judgements
    are made here, once, for every page: whether SPC is judged (``spc_judged``; ``spc_variation`` and
    ``spc_assurance`` are missing when it is not), and whether the indicator is improving or worsening. After
    a recorded process change, SPC is judged on the current phase alone (:func:`current_phase`), so
    ``spc_points`` counts the figures since the latest change.
    """
    region = region_area or region_of(area_code)
    codes = [area_code, benchmark_area, *([region] if region else [])]
    with kept_open(engine):
        if catalogue is None:
            catalogue = queries.indicator_catalogue(engine)
        if indicator_codes is not None:
            catalogue = catalogue[catalogue["code"].isin(indicator_codes)].reset_index(drop=True)
        if series is None:
            series = series_summary.headline_series(
                engine,
                area_codes=codes,
                indicator_codes=None if indicator_codes is None else list(indicator_codes),
            )
        if targets is None:
            targets = queries.current_targets(engine)
        changes = process_changes.change_dates(engine, area_code)
    wanted = series["area_code"].isin(codes)
    if indicator_codes is not None:
        wanted &= series["indicator_code"].isin(indicator_codes)
    if not wanted.all():  # a copy of the series only when some of it is left out
        series = series[wanted]
    if as_at is not None and not series.empty:
        by_date = pd.to_datetime(series["period_end"]) <= pd.Timestamp(as_at)
        if not by_date.all():
            series = series[by_date]
    area_series = series[series["area_code"] == area_code]
    latest = _latest(area_series)

    frame = catalogue.set_index("code", drop=False).join(latest.drop(columns="area_code"), how="left")
    frame.index.name = "indicator_code"
    # A count (children cautioned, staff in post) depends on the size of the place: never compared.
    comparable = frame["value_type"] != "count"
    frame["england_value"] = _benchmark_values(series, latest, benchmark_area, "england_value").where(
        comparable
    )
    if region:
        frame["region_value"] = _benchmark_values(series, latest, region, "region_value").where(comparable)
        names = (queries.list_areas(engine) if areas is None else areas).set_index("code")["name"]
        frame["region_name"] = str(names.get(region, region))
    else:
        frame["region_value"] = np.nan
        frame["region_name"] = None

    targets = applicable_targets(targets, latest, area_code)
    frame["target"] = targets["target"]
    frame["amber_threshold"] = targets["amber_threshold"]
    frame["target_illustrative"] = targets["illustrative"]
    frame["target_reason"] = targets["reason"]
    interval = on_interval(frame)
    frame["target_status"] = _target_status(frame, interval)
    # The interval decided only where there is a judgement to make (a target and a better direction).
    frame["target_on_interval"] = interval & frame["target_status"].ne("not assessed").to_numpy()

    computed = _comparison(frame, "england_value")
    published = frame["published_comparison"].fillna("").str.lower().map(PUBLISHED).where(comparable)
    use_published = computed.eq("not compared") & published.notna()
    frame["benchmark"] = computed.where(~use_published, published)
    frame["benchmark_source"] = np.where(
        use_published, "published", np.where(computed.eq("not compared"), "", "computed")
    )
    frame["region_benchmark"] = _comparison(frame, "region_value")

    trend_input = _trend_input(area_series, catalogue)
    trends = trend.recent_trend_table(
        trend_input,
        by="indicator_code",
        period="period_end",
        polarity="polarity",
        method="method",
        numerator="count",
        denominator="denominator",
        value="value",
        lower95="lower95",
        upper95="upper95",
    ).set_index("indicator_code")
    frame["trend"] = trends["label"].reindex(frame.index).fillna("cannot be calculated")
    frame["trend_reason"] = trends["reason"].reindex(frame.index).fillna(trend.TrendReason.NO_DATA)
    frame["improvement"] = frame["polarity"].map(spc.improvement_for)

    spc_input = current_phase(
        trend_input.assign(
            improvement=trend_input["polarity"].map(spc.improvement_for),
            target=trend_input["indicator_code"].map(frame["target"]).astype(float),
        ),
        changes,
    )
    charts = spc_table.xmr_table(
        spc_input,
        by="indicator_code",
        order="period_end",
        value="value",
        improvement="improvement",
        target="target",
    ).set_index("indicator_code")
    frame["spc_points"] = charts["n_points"].reindex(frame.index).fillna(0).astype(int)
    # Too few figures for a judgement: no variation or assurance is given (metrics.spc.MIN_POINTS).
    frame["spc_judged"] = frame["spc_points"].map(spc.is_judged)
    judged = frame["spc_judged"]
    frame["spc_variation"] = charts["variation"].reindex(frame.index).where(judged)
    frame["spc_assurance"] = charts["assurance"].reindex(frame.index).where(judged)
    frame["spc_trial_limits"] = charts["trial_limits"].reindex(frame.index).where(judged, False).astype(bool)
    frame["improving"] = [
        travel.is_improving(t, v, n)
        for t, v, n in zip(frame["trend"], frame["spc_variation"], frame["spc_points"], strict=True)
    ]
    frame["worsening"] = [
        travel.is_worsening(t, v, n)
        for t, v, n in zip(frame["trend"], frame["spc_variation"], frame["spc_points"], strict=True)
    ]
    frame["has_data"] = frame["value"].notna()
    return frame.reset_index(drop=True).rename(columns={"code": "indicator_code"})


def scorecard_rows(
    engine: sa.Engine,
    area_code: str,
    *,
    as_at: dt.date | None = None,
    benchmark_area: str = ENGLAND,
    region_area: str | None = None,
) -> list[ScorecardRow]:
    """:func:`scorecard` as typed records, one :class:`ScorecardRow` per catalogue indicator."""
    frame = scorecard(engine, area_code, as_at=as_at, benchmark_area=benchmark_area, region_area=region_area)
    return to_rows(frame, area_code)
