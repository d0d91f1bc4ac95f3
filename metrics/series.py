"""How the table forms of the methods lay out many series of a long table: one series per group of rows.

Shared by :func:`metrics.spc_table.xmr_table` and :func:`metrics.trend.recent_trend_table`, which compute a
method for every series at once with array operations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def group_layout(
    frame: pd.DataFrame, by: str | list[str], order: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The series of a long table: their key columns (one row each, in order of first appearance),
    and the table's row positions sorted by series and then by ``order`` (stable, missing last),
    with the series number of each of those rows."""
    key_columns = [by] if isinstance(by, str) else list(by)
    codes = frame.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    sort_keys = pd.DataFrame({"series": codes, "order": frame[order].reset_index(drop=True)})
    rows = sort_keys.sort_values(["series", "order"], kind="stable", na_position="last").index.to_numpy()
    first = np.unique(codes, return_index=True)[1]
    keys = frame[key_columns].iloc[first].reset_index(drop=True)
    return keys, rows, codes[rows]


def per_series(column: pd.Series, rows: np.ndarray, series: np.ndarray) -> np.ndarray:
    """The value of a column that must be the same on every row of a series, one per series."""
    data = column.iloc[rows].reset_index(drop=True)
    if data.size and data.groupby(series).nunique(dropna=False).max() > 1:
        raise ValueError(f"{column.name} must be the same on every row of a series")
    return data.to_numpy()[np.unique(series, return_index=True)[1]]
