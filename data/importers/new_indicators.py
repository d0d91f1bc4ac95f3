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
* its headline sex and age: the ones most rows without a breakdown carry;
* its year type, from how the file writes its periods (:func:`year_type`): quarters such as ``2019/20 Q1``
  are financial quarters; split years such as ``2019/20`` are academic years (September to August) when the
  name says it is a school-year measure (NCMP's Reception and Year 6, pupils, school readiness), else
  financial years; plain years such as ``2019`` are calendar years. The summary says which and why, and an
  administrator may change it (:mod:`data.catalogue_edits`), which re-dates the stored figures.

A tidy extract names each indicator by its text and measure (``indicator``, ``measure``); one that no alias
in the catalogue names is added the same way, with a code made from its name (``tidy-<words of the name>``)
and an alias (its text and measure) so its rows, and the next file of it, find it. Its unit comes from the
measure (or a ``unit`` column holding one) or the name, its polarity from a ``significance`` or
``compared_to_England`` column beside England's own rows. What a file does not say is assumed and the summary
says so ("a plain number, as the file gives no unit").

Such an indicator serves no framework outcome until an administrator maps it (:mod:`data.catalogue_edits`);
the pages list it under "Not in a framework". Only these two formats are registered this way: a provider
return's indicator codes are the contract's, so an unknown one is a mistake, and the other public sources
(DfE LAIT, ELS, SDG) name many measures by codes that say too little to describe one.
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
TIDY_PREFIX = "tidy-"
MAX_SLUG = 50  # characters of the name kept in a tidy extract's indicator code (codes are at most 64)
_SEXES = {"persons", "male", "female", "males", "females", ""}
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
_SCHOOL_YEAR = re.compile(
    r"\b(reception|year\s*(6|six|1|one|11)|pupils?|school|key\s*stage|ks[1-4]|gcse|eyfs|early\s*years\s*"
    r"foundation|good\s*level\s*of\s*development|ncmp|academic\s*year|(4-5|10-11)\s*y(ea)?rs?)\b",
    re.I,
)
_QUARTER = re.compile(r"^\d{4}\s*/\s*\d{2,4}\s*Q[1-4]$", re.I)
_SPLIT_YEAR = re.compile(r"^\d{4}\s*/\s*\d{2,4}(\s*-\s*\d{2,4}\s*/\s*\d{2,4})?$")
_PLAIN_YEAR = re.compile(r"^\d{4}(\s*-\s*\d{2,4})?(\s*Q[1-4])?$", re.I)


@dataclass(frozen=True)
class NewIndicator:
    """One indicator added from a file: its code, Fingertips id, name and what was worked out about it."""

    code: str
    fingertips_id: int | None  # None for an indicator a tidy extract names by text
    name: str
    unit: str
    polarity: str
    rows: int
    year_type: str = "financial"
    year_type_reason: str = ""
    measure: str = ""
    assumed: tuple[str, ...] = ()  # what the file did not say and was assumed, in words

    def __str__(self) -> str:
        """'Fingertips 93085 "Smoking in early pregnancy" (%, 852 rows; financial years, as its periods are
        written like 2019/20 and its name names no school year)'; for a tidy extract, its code, name and
        measure: 'tidy-pupils-... "Pupils ..." (Percentage) (...)'."""
        named = f"Fingertips {self.fingertips_id}" if self.fingertips_id is not None else self.code
        measure = f" ({self.measure})" if self.measure else ""
        years = f"; {self.year_type} years, as {self.year_type_reason}" if self.year_type_reason else ""
        assumed = "".join(f"; {a}" for a in self.assumed)
        rows = f"{self.rows:,} row{'' if self.rows == 1 else 's'}"
        return f'{named} "{self.name}"{measure} ({self.unit}, {rows}{years}{assumed})'


def year_type(name: str, periods: pd.Series) -> tuple[str, str]:
    """The year type an indicator's periods and name show, with the reason in words for the summary.

    Quarters of split years (``2019/20 Q1``) are financial quarters; split years (``2019/20``) are academic
    years when the name says the measure counts a school year (Reception, Year 6, pupils, school readiness),
    else financial years; plain years (``2019``, ``2017 - 19``) are calendar years. A file whose periods are
    none of these is taken as financial years, as the catalogue's own indicators mostly are.
    """
    labels = periods[periods != ""].drop_duplicates()
    example = next(iter(labels), "")
    quarters = labels[labels.str.match(_QUARTER)]
    if not quarters.empty:
        return "financial", f"its periods are financial quarters such as {quarters.iloc[0]}"
    split = labels[labels.str.match(_SPLIT_YEAR)]
    if not split.empty:
        school = _SCHOOL_YEAR.search(name)
        if school:
            return "academic", (
                f"its periods are written like {split.iloc[0]} and its name says it counts a school year "
                f"(\u201c{school.group(0)}\u201d)"
            )
        return "financial", f"its periods are written like {split.iloc[0]} and its name names no school year"
    if not labels.empty and labels.str.match(_PLAIN_YEAR).all():
        return "calendar", f"its periods are plain years such as {example}"
    return "financial", "its periods show no other kind of year (the usual kind in this catalogue)"


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


@dataclass(frozen=True)
class _Found:
    """An indicator a file names that the catalogue lacks: its code, name and how the file refers to it."""

    code: str
    name: str
    unit_text: str  # what the file says of its unit ("Percentage", "per 10,000"), may be ""
    what: str  # "Fingertips indicator", "indicator", for its definition
    source: str
    fingertips_id: int | None = None
    measure: str = ""  # a tidy extract's measure, kept with the alias that names the indicator


def _slug(name: str) -> str:
    """A code made from a name: lower-case words joined by hyphens, cut to fit the catalogue's codes."""
    words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if len(words) > MAX_SLUG:
        words = words[: MAX_SLUG + 1].rsplit("-", 1)[0]  # whole words only
    return f"{TIDY_PREFIX}{words[:MAX_SLUG] or 'indicator'}"


def _describe(
    found: _Found, rows: pd.DataFrame, file_name: str, sort_order: int
) -> tuple[dict, NewIndicator]:
    """The ``indicators`` row for an indicator the file describes, and what the summary says of it."""
    name = found.name
    unit = _unit(name, found.unit_text, rows)
    value_type, multiplier = UNITS[unit]
    headline = rows[rows["category"] == ""]
    headline = headline if not headline.empty else rows
    quarterly = rows["period"].str.contains("Q[1-4]", regex=True).any()
    years, why = year_type(name, rows["period"])
    polarity = _polarity(rows)
    assumed = []
    if unit == "number":
        assumed.append("a plain number, as the file gives no unit")
    if polarity == "no_judgement":
        assumed.append("no direction judged better, as its comparisons with England do not show one")
    short = name if len(name) <= SHORT_NAME_CHARS else name[: SHORT_NAME_CHARS - 1] + "\u2026"
    entry = {
        "code": found.code,
        "name": name,
        "short_name": short,
        "definition": (
            f"{name}. Added from the file {file_name}, which carried this {found.what}; it is not in "
            "a framework and its definition has not been reviewed."
        ),
        "numerator_definition": "Not stated in the file.",
        "denominator_definition": "Not stated in the file.",
        "value_type": value_type,
        "unit": unit,
        "multiplier": multiplier,
        "polarity": polarity,
        "frequency": "quarterly" if quarterly else "annual",
        "year_type": years,
        "age": _most_common(headline["age"], ""),
        "sex": _most_common(headline["sex"], "Persons"),
        "source": f"{found.source} (from the file {file_name})",
        "fingertips_id": found.fingertips_id,
        "kpi_code": None,
        "illustrative": False,
        "sort_order": sort_order,
    }
    added = NewIndicator(
        found.code,
        found.fingertips_id,
        name,
        unit,
        polarity,
        len(rows),
        years,
        why,
        found.measure,
        tuple(assumed),
    )
    return entry, added


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


_COLUMNS = {
    "fingertips": {
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
    },
    # A tidy extract names an indicator by its text and measure; its ``unit`` column, where Trafford Data Lab
    # publishes one, holds the sex ("Persons"), so the unit comes from the measure.
    "tidy": {
        "name": ("indicator",),
        "measure": ("measure",),
        "area": ("areacode",),
        "period": ("period",),
        "sex": ("sex", "unit"),
        "unit": ("unit",),
        "category": ("inequality",),
        "compared": ("significance", "comparedtoengland"),
        "value": ("value",),
    },
}
"""The columns this module reads from each format that may add indicators, under short names."""


_SHORT_NAMES = (
    "id",
    "name",
    "measure",
    "unit",
    "area",
    "period",
    "sex",
    "age",
    "category",
    "compared",
    "value",
    "count",
    "denominator",
)


def _file_rows(table: pd.DataFrame, columns: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """The columns this module reads, as text (the value, count and denominator as numbers), under short
    names; a column the file lacks is blank."""
    empty = pd.Series("", index=table.index)
    found = {key: _column(table, *columns.get(key, ())) for key in _SHORT_NAMES}
    rows = pd.DataFrame({key: empty if cells is None else cells for key, cells in found.items()})
    rows["area"] = rows["area"].str.upper()
    for column in ("value", "count", "denominator"):
        rows[column] = _number(rows[column])
    return rows


def _fingertips(conn: sa.Connection, table: pd.DataFrame) -> list[tuple[_Found, pd.DataFrame]]:
    """Each Fingertips indicator in the file that the catalogue lacks, with its rows; rows without an id
    are left to validation to reject."""
    ind = schema.indicators
    known = {int(i) for i in conn.execute(sa.select(ind.c.fingertips_id)).scalars() if i is not None}
    rows = _file_rows(table[~_ids(table).isin(known)], _COLUMNS["fingertips"])
    rows["id"] = pd.to_numeric(rows["id"].str.removesuffix(".0"), errors="coerce")
    rows = rows[rows["id"].notna()]
    found = []
    for found_id, group in rows.groupby("id", sort=True):
        ft_id = int(float(str(found_id)))
        if ft_id not in known:
            name = _most_common(group["name"], f"Fingertips indicator {ft_id}")
            unit = _most_common(group["unit"], "")
            source = f"OHID Fingertips, indicator {ft_id}"
            found.append(
                (_Found(f"{CODE_PREFIX}{ft_id}", name, unit, "Fingertips indicator", source, ft_id), group)
            )
    return found


def _tidy(conn: sa.Connection, table: pd.DataFrame) -> list[tuple[_Found, pd.DataFrame]]:
    """Each indicator and measure in a tidy extract that no alias in the catalogue names, with its rows;
    a row without an indicator is left to validation to reject."""
    rows = _file_rows(table, _COLUMNS["tidy"])
    rows = rows[rows["name"] != ""]
    if not rows["sex"].str.lower().isin(_SEXES).all():
        rows["sex"] = ""  # its ``unit`` column holds a unit, not the sex
    aliases = set(
        conn.execute(
            sa.select(schema.indicator_aliases.c.source_name, schema.indicator_aliases.c.measure)
        ).tuples()
    )
    codes = set(conn.execute(sa.select(schema.indicators.c.code)).scalars())
    found = []
    for (name, measure), group in rows.groupby(["name", "measure"], sort=True):
        if (name, measure) in aliases or (name, "") in aliases:
            continue
        code, n = _slug(str(name)), 1
        while code in codes:
            n += 1
            code = f"{_slug(str(name))[: 64 - len(str(n)) - 1]}-{n}"
        codes.add(code)
        source = f"Tidy indicator extract, \u201c{name}\u201d" + (f" ({measure})" if measure else "")
        stated = f"{measure} {_most_common(group['unit'], '')}"
        found.append((_Found(code, str(name), stated, "indicator", source, None, str(measure)), group))
    return found


def register(
    conn: sa.Connection, table: pd.DataFrame, file_format: Format, file_name: str
) -> list[NewIndicator]:
    """Add to the store each indicator in ``table`` that it lacks, from a Fingertips export or a tidy
    extract; return what was added. A tidy extract's indicator also gets the alias (its text and measure)
    that names it, so its rows find it. Other formats add nothing: a provider return's indicator codes are
    the contract's, and the other published sources name indicators by codes that say too little.

    Runs inside the import's transaction, before validation, so the rows of a new indicator load like any
    other (and a preview, rolled back, adds nothing).
    """
    finders = {"fingertips": _fingertips, "tidy": _tidy}
    if file_format.name not in finders or table.empty:
        return []
    ind = schema.indicators
    order = conn.execute(sa.select(sa.func.max(ind.c.sort_order))).scalar()
    if order is None:
        return []  # no catalogue yet: the import says to seed the store first
    added: list[NewIndicator] = []
    for found, rows in finders[file_format.name](conn, table):
        order += 1
        entry, new = _describe(found, rows, file_name, order)
        conn.execute(ind.insert().values(entry))
        if file_format.name == "tidy":
            conn.execute(
                schema.indicator_aliases.insert().values(
                    source_name=found.name, measure=found.measure, indicator_code=found.code
                )
            )
        added.append(new)
    return added


def forget(conn: sa.Connection, added: list[NewIndicator]) -> None:
    """Remove indicators this import added (and their aliases), when it was refused and so loads none of
    their rows."""
    if added:
        codes = [n.code for n in added]
        conn.execute(
            schema.indicator_aliases.delete().where(schema.indicator_aliases.c.indicator_code.in_(codes))
        )
        conn.execute(schema.indicators.delete().where(schema.indicators.c.code.in_(codes)))
