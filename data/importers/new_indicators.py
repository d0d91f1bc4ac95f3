"""Indicators an export carries that the catalogue lacks: added as indicators "not in a framework".

A Fingertips export names each indicator by its id and name, so a whole County & UA file of an indicator the
catalogue has never heard of can still be loaded as published, rather than refused row by row. Before its
rows are checked, each unknown Fingertips id is added to the store's ``indicators`` table, described only by
what the file itself says:

* its name (``Indicator Name``) and Fingertips id; the code is ``fingertips-<id>``;
* its unit and value type: from a ``Unit`` or ``Value type`` column where the file has one, else from the
  name ("% of ...", "per 100,000"), else from its figures (a value that is its count over its denominator
  times 100 is a percentage, times 100,000 a rate per 100,000); a plain number when none of these says;
* its polarity: from the file's own comparisons with England where they show a direction (an area
  significantly above England called "Better" means higher is better), else ``no_judgement`` (never shown
  red or green) until an administrator sets it;
* its headline sex and age: the ones most rows without a breakdown carry.

Such an indicator serves no framework outcome until an administrator maps it (:mod:`data.catalogue_edits`);
the pages list it under "Not in a framework". Only Fingertips exports are registered this way: the other
formats name indicators by text that says too little to describe one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data import schema
from data.areas import ENGLAND
from data.importers.formats import Format, fold

CODE_PREFIX = "fingertips-"
NOT_IN_A_FRAMEWORK = "Not in a framework"
SHORT_NAME_CHARS = 40
UNITS = {
    "%": ("proportion", 100),
    "per 1,000": ("rate", 1000),
    "per 10,000": ("rate", 10000),
    "per 100,000": ("rate", 100000),
    "number": ("mean", 1),
}
"""Each unit a file may give, with the value type and multiplier the catalogue pairs with it. A plain number
is taken as a mean rather than a count: a count is never compared with England, and nothing says this is one
(a figure without published limits is not compared anyway)."""
_BY_MULTIPLIER = {100: "%", 1000: "per 1,000", 10000: "per 10,000", 100000: "per 100,000"}
_UNIT_WORDS = (
    (re.compile(r"per\s*100,?000", re.I), "per 100,000"),
    (re.compile(r"per\s*10,?000", re.I), "per 10,000"),
    (re.compile(r"per\s*1,?000", re.I), "per 1,000"),
    (re.compile(r"%|percent|proportion", re.I), "%"),
)
_POLARITY_WORDS = {"better": 1, "worse": -1}


@dataclass(frozen=True)
class NewIndicator:
    """One indicator added from a file: its code, Fingertips id, name and what was worked out about it."""

    code: str
    fingertips_id: int
    name: str
    unit: str
    polarity: str
    rows: int

    def __str__(self) -> str:
        """'Fingertips 93085 "Smoking in early pregnancy" (%, 852 rows)'."""
        return f'Fingertips {self.fingertips_id} "{self.name}" ({self.unit}, {self.rows:,} rows)'


def _heading(table: pd.DataFrame, *names: str) -> str | None:
    """The file's heading whose folded form is one of ``names``, if it has one."""
    by_fold = {fold(h): h for h in table.columns}
    return next((by_fold[name] for name in names if name in by_fold), None)


def _column(table: pd.DataFrame, *names: str) -> pd.Series | None:
    """The file's column whose folded heading is one of ``names``, if it has one."""
    heading = _heading(table, *names)
    return None if heading is None else table[heading].fillna("").astype(str).str.strip()


def _unit(name: str, stated: str, rows: pd.DataFrame) -> str:
    """The unit the file states (a ``Unit``/``Value type`` cell), the name implies, or the figures show (every
    row with a count and denominator has value = count / denominator x the same multiplier, within 1%);
    'number' if none of these."""
    for text in (stated, name):
        for pattern, unit in _UNIT_WORDS:
            if pattern.search(text):
                return unit
    usable = rows[(rows["denominator"] > 0) & rows["count"].notna() & (rows["value"] > 0)]
    if not usable.empty:
        ratio = usable["value"] / (usable["count"] / usable["denominator"])
        for multiplier, unit in _BY_MULTIPLIER.items():
            if ((ratio / multiplier - 1).abs() <= 0.01).all():
                return unit
    return "number"


def _number(cells: pd.Series) -> pd.Series:
    return pd.to_numeric(cells.str.replace(",", "", regex=False), errors="coerce")


def _polarity(rows: pd.DataFrame) -> str:
    """'higher_is_better' or 'lower_is_better' when the file's comparisons with England say so, every one
    that shows a direction agreeing; else 'no_judgement'."""
    if "compared" not in rows or rows["compared"].eq("").all():
        return "no_judgement"
    key = ["period", "sex", "age", "category"]
    england = rows[rows["area"] == ENGLAND].drop_duplicates(key).set_index(key)["value"].rename("england")
    judged = rows[rows["area"] != ENGLAND].join(england, on=key)
    sign = judged["compared"].str.lower().map(_POLARITY_WORDS)
    direction = (judged["value"] - judged["england"]).apply(lambda d: 0 if pd.isna(d) else (d > 0) - (d < 0))
    votes = set((sign * direction).dropna().loc[lambda v: v != 0])
    if votes == {1}:
        return "higher_is_better"
    if votes == {-1}:
        return "lower_is_better"
    return "no_judgement"


def _most_common(cells: pd.Series, default: str) -> str:
    cells = cells[cells != ""]
    return str(cells.mode().iloc[0]) if not cells.empty else default


def _describe(ft_id: int, rows: pd.DataFrame, file_name: str, sort_order: int) -> dict:
    """The ``indicators`` row for an indicator the file describes."""
    name = _most_common(rows["name"], f"Fingertips indicator {ft_id}")
    unit = _unit(name, _most_common(rows["unit"], ""), rows)
    value_type, multiplier = UNITS[unit]
    headline = rows[rows["category"] == ""]
    headline = headline if not headline.empty else rows
    quarterly = rows["period"].str.contains("Q[1-4]", regex=True).any()
    short = name if len(name) <= SHORT_NAME_CHARS else name[: SHORT_NAME_CHARS - 1] + "\u2026"
    return {
        "code": f"{CODE_PREFIX}{ft_id}",
        "name": name,
        "short_name": short,
        "definition": (
            f"{name}. Added from the file {file_name}, which carried this Fingertips indicator; it is not in "
            "a framework and its definition has not been reviewed."
        ),
        "numerator_definition": "Not stated in the file.",
        "denominator_definition": "Not stated in the file.",
        "value_type": value_type,
        "unit": unit,
        "multiplier": multiplier,
        "polarity": _polarity(rows),
        "frequency": "quarterly" if quarterly else "annual",
        "year_type": "financial",
        "age": _most_common(headline["age"], ""),
        "sex": _most_common(headline["sex"], "Persons"),
        "source": f"OHID Fingertips, indicator {ft_id} (from the file {file_name})",
        "fingertips_id": ft_id,
        "kpi_code": None,
        "illustrative": False,
        "sort_order": sort_order,
    }


def _ids(table: pd.DataFrame) -> pd.Series:
    """Each row's Fingertips indicator id as a number (NaN where there is none), read once per distinct cell
    so that a file of known indicators costs little before its rows are checked."""
    heading = _heading(table, "indicatorid")
    if heading is None:
        return pd.Series(float("nan"), index=table.index)
    codes, distinct = pd.factorize(table[heading], use_na_sentinel=True)
    read = pd.to_numeric(
        pd.Series(distinct, dtype=object).fillna("").astype(str).str.strip().str.removesuffix(".0"),
        errors="coerce",
    ).to_numpy(dtype=float)
    ids = np.where(codes >= 0, read[np.maximum(codes, 0)] if len(read) else np.nan, np.nan)
    return pd.Series(ids, index=table.index)


def _file_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The columns this module reads, as text (the id and value as numbers), under short names; rows
    without an id are left to validation to reject."""
    empty = pd.Series("", index=table.index)
    columns = {
        "id": ("indicatorid",),
        "name": ("indicatorname",),
        "unit": ("unit", "valuetype", "valuetypename"),
        "area": ("areacode",),
        "period": ("timeperiod",),
        "sex": ("sex",),
        "age": ("age",),
        "category": ("category",),
        "compared": ("comparedtoenglandvalueorpercentiles",),
        "value": ("value",),
        "count": ("count",),
        "denominator": ("denominator",),
    }
    found = {key: _column(table, *names) for key, names in columns.items()}
    rows = pd.DataFrame({key: empty if cells is None else cells for key, cells in found.items()})
    rows["id"] = pd.to_numeric(rows["id"].str.removesuffix(".0"), errors="coerce")
    rows["area"] = rows["area"].str.upper()
    for column in ("value", "count", "denominator"):
        rows[column] = _number(rows[column])
    return rows[rows["id"].notna()]


def register(
    conn: sa.Connection, table: pd.DataFrame, file_format: Format, file_name: str
) -> list[NewIndicator]:
    """Add to the store each Fingertips indicator in ``table`` that it lacks; return what was added.

    Runs inside the import's transaction, before validation, so the rows of a new indicator load like any
    other (and a preview, rolled back, adds nothing).
    """
    if file_format.indicator_ref_kind != "fingertips_id":
        return []
    ind = schema.indicators
    order = conn.execute(sa.select(sa.func.max(ind.c.sort_order))).scalar()
    if order is None:
        return []  # no catalogue yet: the import says to seed the store first
    known = {int(i) for i in conn.execute(sa.select(ind.c.fingertips_id)).scalars() if i is not None}
    rows = _file_rows(table[~_ids(table).isin(known)])
    if rows.empty:
        return []
    added: list[NewIndicator] = []
    for found_id, group in rows.groupby("id", sort=True):
        ft_id = int(float(str(found_id)))
        if ft_id in known:
            continue
        order += 1
        entry = _describe(ft_id, group, file_name, order)
        conn.execute(ind.insert().values(entry))
        added.append(
            NewIndicator(entry["code"], ft_id, entry["name"], entry["unit"], entry["polarity"], len(group))
        )
    return added


def forget(conn: sa.Connection, added: list[NewIndicator]) -> None:
    """Remove indicators this import added, when it was refused and so loads none of their rows."""
    if added:
        conn.execute(schema.indicators.delete().where(schema.indicators.c.code.in_([n.code for n in added])))
