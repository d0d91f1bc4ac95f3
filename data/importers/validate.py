"""Checking each row of an import and turning it into an observation, a flagged observation, or a rejection.

A row is rejected, never guessed at, when its indicator or area is unknown, its period cannot be read (or
names a year outside 1900-2100), a number is not a plain number (optional sign, ASCII digits, one decimal
point, thousands grouped by commas; no percent signs or underscores), is negative, or is too large to be a
real figure (1e12 and over), a provider return's count is not whole, a proportion's count exceeds its
denominator, a percentage exceeds 100 (except where the importer notes a known source defect, as DfE's
funded early-education take-up, which loads flagged), a 95% or 99.8% interval is upside down, a note runs over
:data:`MAX_NOTE_CHARS` characters, a breakdown label is longer than the store keeps, or another row in the
file has the same key. Every reason for a row is reported together, so one round of corrections fixes it.

A published figure that does not quite add up still loads as published, with a quality flag saying why:
a value just outside its own published confidence interval (Fingertips rounds the value but not the
limits), or a value that disagrees with its count and denominator by more than their rounding explains.
The flag is stored with the observation and shown beside the figure; a strict import refuses such a file.

Nearly every row of a published file is clean, so the rows are first screened a whole column at a time
(:func:`_clean_rows`); only the rows the screen cannot clear are checked one by one (:func:`check_row`),
which words every rejection and flag.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from data.importers import cells
from data.importers.formats import MISSING, PROVIDER_RETURN, Format
from data.periods import Period, PeriodError, parse_period

NUMBER_FIELDS = ("value", "lower95", "upper95", "lower998", "upper998", "count", "denominator")
NUMBER_LABELS = {
    "value": "value",
    "lower95": "lower 95% limit",
    "upper95": "upper 95% limit",
    "lower998": "lower 99.8% limit",
    "upper998": "upper 99.8% limit",
    "count": "count (numerator)",
    "denominator": "denominator",
}
NO_VALUE_NOTE = "No value published"
YES = {"yes", "y", "true", "1", "provisional", "p"}
NO = {"", "no", "n", "false", "0"}
MAX_NOTE_CHARS = 2000
TOO_LARGE = 1e12
"""No figure in public health data reaches a million million; anything that does is a typing error."""
TEXT_LIMITS = {"sex": 16, "age": 64, "category_type": 128, "category": 128, "published_comparison": 64}
"""The longest text the store keeps for each breakdown field (see data/schema.py)."""
SHOWN_CHARS = 40
"""A cell quoted in a message is cut to this many characters."""

_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")

SOURCE_DEFECT = "Source defect:"
OUTSIDE_INTERVAL = "value outside its published interval"
DISAGREES = "value disagrees with its count and denominator"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row: a short category, the cause in words that are the same for every row with
    it (for the one-line-per-cause summary), this row's own words, and what the summary lists beside the cause
    (the unknown code, say)."""

    category: str
    cause: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Rejection:
    """A row that was not loaded: its spreadsheet row number, every reason, what the row is, and the first
    problem's category and cause (for the summary)."""

    row_number: int
    reasons: tuple[str, ...]
    problem: str
    cause: str = ""
    where: str = ""  # "Fenland, 2023/24, value 94.7, count 120, denominator 130"
    detail: str = ""

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def described(self) -> str:
        """The rejection in one sentence, as stored and printed: "Row 29 (Fenland, 2023/24, value 94.7):
        reasons"."""
        where = f" ({self.where})" if self.where else ""
        return f"Row {self.row_number}{where}: {self.reason}"


@dataclass(frozen=True)
class Flag:
    """A row that loads as published but does not quite add up: its row number, what is odd about it (stored
    with the observation) and the first note's cause (for the summary)."""

    row_number: int
    notes: tuple[str, ...]
    cause: str
    detail: str = ""


@dataclass(frozen=True)
class Lookups:
    """What the store knows, prepared once per import."""

    # indexed by code: value_type, multiplier, year_type, age, sex and standardised (an age-standardised rate,
    # whose value is not its count over its denominator)
    indicators: pd.DataFrame
    by_fingertips_id: dict[str, str]
    by_alias: dict[tuple[str, str], str]
    area_codes: frozenset[str]
    area_names: dict[str, str] | None = None

    @cached_property
    def _indicator_rows(self) -> dict[str, dict[str, Any]]:
        return {
            str(code): {str(k): v for k, v in row.items()}
            for code, row in self.indicators.to_dict("index").items()
        }

    def indicator(self, code: str) -> Mapping[str, Any]:
        """The catalogue's row for the indicator ``code`` (looked up once per import, not once per row)."""
        return self._indicator_rows[code]


def shown(text: object) -> str:
    """A cell as a message quotes it: cut to :data:`SHOWN_CHARS` characters."""
    text = str(text)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "\u2026"


def read_number(text: str) -> float | None:
    """A cell's number, None when blank or marked missing; ValueError when it is not a plain number."""
    cleaned = text.strip()
    if cleaned.lower() in MISSING:
        return None
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.fullmatch(cleaned):
        raise ValueError(text)
    number = float(cleaned)
    if math.isnan(number) or math.isinf(number):  # pragma: no cover - the pattern allows neither
        raise ValueError(text)
    return number


def _half_unit(text: str) -> float:
    """Half a unit in the last decimal place of a number as written ("16.1" -> 0.05, "120" -> 0.5)."""
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"[+-]?[0-9]*\.?[0-9]*", cleaned):
        return 0.0  # written with an exponent: treat as exact
    decimals = len(cleaned.split(".")[1]) if "." in cleaned else 0
    return 0.5 * 10.0**-decimals


def _resolve_indicator(row: dict, file_format: Format, lookups: Lookups) -> tuple[str | None, Problem | None]:
    """The catalogue code a row's indicator reference names, or the problem that rejects the row: the one
    place that decides what an indicator the catalogue lacks means (the column-wise screen and
    :func:`check_row` both ask it, once per distinct reference and once per row)."""
    ref = row["indicator_ref"]
    if not ref:
        return None, Problem("unknown indicator", "no indicator given", "no indicator given")
    if file_format.indicator_ref_kind == "fingertips_id":
        key = ref.removesuffix(".0")
        code = lookups.by_fingertips_id.get(key)
        reason = f"unknown indicator: Fingertips indicator {shown(ref)} is not in the catalogue"
        cause = "the Fingertips indicator is not in the catalogue"
        return code, None if code else Problem("unknown indicator", cause, reason, shown(ref))
    if file_format.indicator_ref_kind == "alias":
        code = lookups.by_alias.get((ref, row["measure"])) or lookups.by_alias.get((ref, ""))
        named = f"'{shown(ref)}' ({shown(row['measure'])})"
        cause = "the indicator is not in the catalogue"
        return code, None if code else Problem(
            "unknown indicator", cause, f"unknown indicator {named}", named
        )
    code = ref.strip().lower()
    if code in lookups.indicators.index:
        return code, None
    cause = "the indicator code is not in the catalogue"
    return None, Problem("unknown indicator", cause, f"unknown indicator code '{shown(ref)}'", shown(ref))


def where(row: dict, lookups: Lookups) -> str:
    """What a row is, for a message: area name, period and the figures as written."""
    area = row["area_code"].strip().upper()
    parts = [shown((lookups.area_names or {}).get(area) or row["area_code"] or "no area")]
    parts.append(shown(row["period"]) if row["period"].strip() else "no period")
    for field, label in (("value", "value"), ("count", "count"), ("denominator", "denominator")):
        if row[field].strip().lower() not in MISSING:
            parts.append(f"{label} {shown(row[field].strip())}")
    return ", ".join(parts)


def check_row(
    row: dict, file_format: Format, lookups: Lookups
) -> tuple[dict | None, list[Problem], list[Problem]]:
    """Validate one common-layout row: the observation it gives (or None), the problems that reject it, and
    the quality notes it loads with."""
    problems: list[Problem] = []
    code, problem = _resolve_indicator(row, file_format, lookups)
    if problem:
        problems.append(problem)
    area = row["area_code"].strip().upper()
    if not area:
        problems.append(Problem("unknown area", "no area code given", "no area code given"))
    elif area not in lookups.area_codes:
        code_text = shown(row["area_code"])
        problems.append(
            Problem(
                "unknown area",
                "the area code is not one we know",
                f"unknown area code '{code_text}'",
                code_text,
            )
        )

    indicator = lookups.indicator(code) if code else None
    period = None
    try:
        period = parse_period(row["period"], indicator["year_type"] if indicator is not None else "financial")
    except PeriodError as error:
        problems.append(
            Problem("unreadable period", "the time period cannot be read", str(error), shown(row["period"]))
        )

    numbers, number_problems = _numbers(row, whole_counts=file_format is PROVIDER_RETURN)
    problems += number_problems
    problems += _check_text(row)
    provisional_text = row["provisional"].strip().lower()
    if provisional_text not in YES | NO:
        problems.append(
            Problem(
                "unreadable flag",
                "the provisional flag is not yes or no",
                f"provisional '{shown(row['provisional'])}' should be yes or no",
            )
        )

    if indicator is not None:
        problems += _check_against_indicator(numbers, indicator, source_defect=bool(_source_defect(row)))
    interval_problems, notes = _check_interval(numbers, row)
    problems += interval_problems
    if indicator is not None and not problems:
        notes += _check_count(numbers, row, indicator)
    notes += _source_defect(row)
    if problems or code is None or indicator is None or period is None:  # the last three come with a problem
        return None, problems, []
    observation = _observation(row, code, area, indicator, period, numbers, provisional_text in YES)
    observation["quality_note"] = "; ".join(n.reason for n in notes) or None
    return observation, [], notes


def _numbers(row: dict, *, whole_counts: bool) -> tuple[dict[str, float | None], list[Problem]]:
    """The row's numbers (None where blank or unreadable), and the problems with them."""
    problems: list[Problem] = []
    numbers: dict[str, float | None] = {}
    for field in NUMBER_FIELDS:
        label, text = NUMBER_LABELS[field], row[field]
        try:
            number = read_number(text)
        except ValueError:
            numbers[field] = None
            problems.append(
                Problem(
                    "not a number", f"the {label} is not a number", f"{label} '{shown(text)}' is not a number"
                )
            )
            continue
        numbers[field] = number
        if number is None:
            continue
        if text.strip().startswith("-"):
            problems.append(
                Problem(
                    "negative number",
                    f"the {label} is negative",
                    f"{label} {shown(text.strip())} is negative",
                )
            )
        elif number >= TOO_LARGE:
            problems.append(
                Problem(
                    "number too large",
                    f"the {label} is too large",
                    f"{label} {shown(text.strip())} is too large to be a real figure",
                )
            )
        elif whole_counts and field in ("count", "denominator") and number != round(number):
            problems.append(
                Problem(
                    "not a whole number",
                    f"the {label} is not a whole number",
                    f"{label} {shown(text.strip())} is not a whole number",
                )
            )
    return numbers, problems


def _check_text(row: dict) -> list[Problem]:
    """A note longer than :data:`MAX_NOTE_CHARS`, or a breakdown label longer than the store keeps."""
    problems = []
    note = row["value_note"]
    if len(note) > MAX_NOTE_CHARS:
        problems.append(
            Problem(
                "note too long",
                f"the note is longer than {MAX_NOTE_CHARS:,} characters",
                f"the note is {len(note):,} characters long; at most {MAX_NOTE_CHARS:,} are kept",
            )
        )
    for field, limit in TEXT_LIMITS.items():
        if len(row[field]) > limit:
            label = field.replace("_", " ")
            problems.append(
                Problem(
                    "text too long",
                    f"the {label} is longer than {limit} characters",
                    f"the {label} '{shown(row[field])}' is longer than {limit} characters",
                )
            )
    return problems


def _observation(
    row: dict,
    code: str,
    area: str,
    indicator: Mapping[str, Any],
    period: Period,
    numbers: dict[str, float | None],
    provisional: bool,
) -> dict:
    """The observation a valid row gives, working out a proportion's value from its count when needed."""
    value = numbers["value"]
    if value is None and numbers["count"] is not None and numbers["denominator"]:
        value = numbers["count"] / numbers["denominator"] * float(indicator["multiplier"])
    note = row["value_note"]
    if value is None and not note:
        note = NO_VALUE_NOTE
    published = any(numbers[f] is not None for f in ("lower95", "upper95", "lower998", "upper998"))
    return {
        "indicator_code": code,
        "area_code": area,
        "period_start": period.start,
        "period_end": period.end,
        "period_label": period.label,
        "granularity": period.granularity,
        "sex": row["sex"] or indicator["sex"],
        "age": row["age"] or indicator["age"],
        "category_type": row["category_type"],
        "category": row["category"],
        **numbers,
        "value": value,
        "value_note": note,
        "provisional": provisional,
        "published_comparison": ""
        if row["published_comparison"].lower() in MISSING
        else row["published_comparison"],
        "limits_source": "published" if published else None,
    }


def _check_against_indicator(
    numbers: dict[str, float | None], indicator: Mapping[str, Any], *, source_defect: bool = False
) -> list[Problem]:
    """A proportion's count above its denominator or value above 100%, or a zero denominator with no value.

    A value above 100% whose importer notes it as a known source defect (DfE's take-up of funded early
    education) loads as published with that flag instead.
    """
    problems = []
    count, denominator, value = numbers["count"], numbers["denominator"], numbers["value"]
    if indicator["value_type"] == "proportion":
        if count is not None and denominator is not None and count > denominator:
            problems.append(
                Problem(
                    "count above denominator",
                    "the count is more than the denominator",
                    f"count {count:g} is more than the denominator {denominator:g}",
                )
            )
        if value is not None and value > indicator["multiplier"] and not source_defect:
            problems.append(
                Problem(
                    "value out of range",
                    f"the value is more than {indicator['multiplier']:g} for a proportion",
                    f"value {value:g} is more than {indicator['multiplier']:g} for a proportion",
                )
            )
    if denominator == 0 and value is None and count is not None:
        problems.append(
            Problem(
                "zero denominator",
                "the denominator is 0 and there is no value",
                "the denominator is 0, so no value can be calculated",
            )
        )
    return problems


def _check_interval(numbers: dict[str, float | None], row: dict) -> tuple[list[Problem], list[Problem]]:
    """An upside-down interval rejects the row; a value outside its interval loads flagged."""
    problems, notes = [], []
    value = numbers["value"]
    for level, lower, upper in (("95%", "lower95", "upper95"), ("99.8%", "lower998", "upper998")):
        low, high = numbers[lower], numbers[upper]
        if low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    "interval out of order",
                    f"the {level} lower limit is above the upper limit",
                    f"the {level} lower limit is above the upper limit",
                )
            )
            continue
        tiny = 1e-9 * abs(value) if value is not None else 0.0
        if value is None or not (
            (low is not None and low > value + tiny) or (high is not None and high < value - tiny)
        ):
            continue
        nearest = low if low is not None and low > value else high
        assert nearest is not None
        rounding = (
            " (within rounding of the value)" if abs(nearest - value) <= _half_unit(row["value"]) else ""
        )
        interval = f"{_text(low)} to {_text(high)}"
        notes.append(
            Problem(
                "outside interval",
                OUTSIDE_INTERVAL,
                f"value {shown(row['value'].strip())} is outside its published {level} interval "
                f"{interval}{rounding}",
            )
        )
    return problems, notes


def _source_defect(row: dict) -> list[Problem]:
    """A figure its importer knows the source publishes wrongly (its note starts "Source defect:") loads as
    published, flagged with that note, so the pages show it beside the figure rather than only in a table."""
    note = row.get("value_note", "").strip()
    if not note.startswith(SOURCE_DEFECT):
        return []
    return [Problem("source defect", "the source publishes the figure wrongly", note)]


def _text(number: float | None) -> str:
    return "none" if number is None else f"{number:g}" if abs(number) >= 1e6 else f"{number:.6g}"


def _check_count(numbers: dict[str, float | None], row: dict, indicator: Mapping[str, Any]) -> list[Problem]:
    """A value that disagrees with its count and denominator by more than their rounding explains.

    Checked for proportions (value = multiplier x count / denominator) and crude rates (per the unit's
    multiplier), not for age-standardised rates, means or counts, whose values are not that ratio.
    """
    value, count, denominator = numbers["value"], numbers["count"], numbers["denominator"]
    if value is None or count is None or not denominator:
        return []
    if indicator["value_type"] not in ("proportion", "rate") or bool(indicator.get("standardised", False)):
        return []
    multiplier = float(indicator["multiplier"])
    expected = count / denominator * multiplier
    slack = (
        _half_unit(row["value"])
        + multiplier * _half_unit(row["count"]) / denominator
        + expected * _half_unit(row["denominator"]) / denominator
        + 1e-9 * abs(expected)
    )
    if abs(value - expected) <= slack:
        return []
    return [
        Problem(
            "disagrees with count",
            DISAGREES,
            f"value {shown(row['value'].strip())} does not match count {shown(row['count'].strip())} of "
            f"denominator {shown(row['denominator'].strip())} ({expected:.4g})",
        )
    ]


KEY_FIELDS = (
    "indicator_code",
    "area_code",
    "period_start",
    "period_end",
    "sex",
    "age",
    "category_type",
    "category",
)


def reject_duplicates(valid: pd.DataFrame) -> tuple[pd.DataFrame, list[Rejection]]:
    """Remove every row whose key another row in the same file shares: which copy is right is not ours to
    guess."""
    if valid.empty:
        return valid, []
    duplicated = valid.duplicated(list(KEY_FIELDS), keep=False)
    rejections = []
    for _, group in valid[duplicated].groupby(list(KEY_FIELDS), sort=False):
        rows = group["row_number"].tolist()
        for row_number, row_where in zip(rows, group["where"], strict=True):
            others = ", ".join(str(r) for r in rows if r != row_number)
            rejections.append(
                Rejection(
                    row_number,
                    (f"duplicate: row {others} gives the same indicator, area, period and breakdown",),
                    "duplicate row",
                    "another row gives the same indicator, area, period and breakdown",
                    row_where,
                )
            )
    return valid[~duplicated], rejections


def validate(
    common: pd.DataFrame,
    file_format: Format,
    lookups: Lookups,
    *,
    measured: Mapping[str, cells.Decimals] | None = None,
) -> tuple[pd.DataFrame, list[Rejection], list[Flag]]:
    """Split a common-layout table into valid observations (flagged ones with their ``quality_note``),
    rejections and flags, all with file row numbers.

    Clean rows, nearly all of a published file, are checked a whole column at a time
    (:func:`_clean_rows`); the rest one by one by :func:`check_row`. ``measured`` holds
    :func:`data.importers.cells.decimals` of number columns already measured (by
    :func:`data.importers.formats.to_common_measured`); the others are measured here.
    """
    clean, careful, rejections = _clean_rows(common, file_format, lookups, measured)
    records: list[dict] = []
    flags: dict[int, Flag] = {}
    for row in common[careful].to_dict("records"):
        observation, problems, notes = check_row(row, file_format, lookups)
        if observation is None:
            first = problems[0]
            rejections.append(
                Rejection(
                    row["row_number"],
                    tuple(p.reason for p in problems),
                    first.category,
                    first.cause,
                    where(row, lookups),
                    first.detail,
                )
            )
            continue
        observation["row_number"] = row["row_number"]
        records.append(observation)
        if notes:
            flags[row["row_number"]] = Flag(row["row_number"], tuple(n.reason for n in notes), notes[0].cause)
    valid = (
        pd.concat([clean, pd.DataFrame.from_records(records, columns=clean.columns)]) if records else clean
    )
    if not valid["row_number"].is_monotonic_increasing:
        valid = valid.sort_values("row_number")
    valid = valid.reset_index(drop=True)
    repeated = valid.duplicated(list(KEY_FIELDS), keep=False)
    if repeated.any():
        by_number = common.set_index("row_number")
        valid["where"] = ""
        valid.loc[repeated, "where"] = [
            where({"row_number": n, **by_number.loc[n].to_dict()}, lookups)
            for n in valid.loc[repeated, "row_number"]
        ]
        valid, duplicates = reject_duplicates(valid)
        rejections += duplicates
        valid = valid.drop(columns="where")
    kept = set(valid["row_number"]) if flags else set()
    return (
        valid,
        sorted(rejections, key=lambda r: r.row_number),
        [flag for number, flag in sorted(flags.items()) if number in kept],
    )


def _per_distinct(keys: pd.Series, work: Callable[[str], object]) -> pd.Series:
    """``work`` applied once to each distinct key, mapped back onto every row."""
    return keys.map({key: work(key) for key in pd.unique(keys)})


def _clean_rows(
    common: pd.DataFrame,
    file_format: Format,
    lookups: Lookups,
    measured: Mapping[str, cells.Decimals] | None = None,
) -> tuple[pd.DataFrame, pd.Series, list[Rejection]]:
    """The rows that certainly pass every check of :func:`check_row` without a quality note, turned into
    observations a whole column at a time; a mask of the rows still to check one by one; and the
    rejections of rows whose only problem is their indicator (a whole file of a measure the catalogue
    lacks, say), each worded as :func:`check_row` words it.

    The screen only ever sends a row to the careful path: any row it cannot show to be clean (an unknown
    code, an unreadable period or number, a number written with an exponent, a figure near a limit of what
    is allowed...) goes through :func:`check_row`, so every rejection and flag is worded exactly as that
    function words it and every stored value is the one it would store.
    """
    indicators = lookups.indicators
    reference = common["indicator_ref"] + "\x1f" + common["measure"]

    def resolve(key: str) -> tuple[str | None, Problem | None]:
        ref, measure = key.split("\x1f", 1)
        code, problem = _resolve_indicator({"indicator_ref": ref, "measure": measure}, file_format, lookups)
        return (None, problem) if problem else (code, None)

    resolutions = {key: resolve(key) for key in pd.unique(reference)}
    code = reference.map({key: found for key, (found, _) in resolutions.items()})
    unknown = {key: problem for key, (_, problem) in resolutions.items() if problem}
    clean = pd.Series(True, index=common.index)
    area = cells.upper(cells.stripped(common["area_code"]))
    clean &= area.isin(lookups.area_codes)
    year_type = code.map(indicators["year_type"]).fillna("financial")

    def period_of(key: str) -> Period | None:
        label, kind = key.split("\x1f", 1)
        try:
            return parse_period(label, kind)
        except PeriodError:
            return None

    period = _per_distinct(common["period"] + "\x1f" + year_type, period_of)
    clean &= period.notna()

    numbers: dict[str, pd.Series] = {}
    decimals: dict[str, pd.Series] = {}
    whole_counts = file_format is PROVIDER_RETURN
    for field in NUMBER_FIELDS:
        written = (measured or {}).get(field) or cells.decimals(common[field])
        # Unsigned or '+' decimals are read here; anything else (a minus sign, an exponent, a stray
        # character, text that is not ASCII) is missing or goes the careful way.
        plain = written.written & (written.sign != ord("-"))
        number = np.full(len(common), np.nan)
        number[plain], readable = _exact_numbers(common[field].to_numpy()[plain])
        plain[plain] = readable
        plain &= number < TOO_LARGE
        missing = np.zeros(len(common), dtype=bool)
        missing[~plain] = cells.lower(cells.stripped(common[field][~plain])).isin(MISSING).to_numpy()
        number[~plain] = np.nan
        if whole_counts and field in ("count", "denominator"):
            plain &= number == np.round(number)
        clean &= missing | plain
        numbers[field] = pd.Series(number, index=common.index)
        if field in ("value", "count", "denominator"):
            decimals[field] = pd.Series(np.where(plain, written.fraction, 0), index=common.index)

    clean &= cells.lengths(common["value_note"]) <= MAX_NOTE_CHARS
    for field, limit in TEXT_LIMITS.items():
        clean &= cells.lengths(common[field]) <= limit
    provisional = cells.lower(cells.stripped(common["provisional"]))
    clean &= provisional.isin(YES | NO)
    note_text, intact = cells.text_array(common["value_note"])
    clean &= intact & ~np.strings.startswith(np.strings.strip(note_text), SOURCE_DEFECT)

    value, count, denominator = numbers["value"], numbers["count"], numbers["denominator"]
    multiplier = code.map(indicators["multiplier"]).astype(float)
    value_type = code.map(indicators["value_type"])
    proportion = value_type.eq("proportion")
    clean &= ~(proportion & (count > denominator))
    clean &= ~(proportion & (value > multiplier))
    clean &= ~(denominator.eq(0) & value.isna() & count.notna())
    tiny = 1e-9 * value.abs()
    for lower, upper in (("lower95", "upper95"), ("lower998", "upper998")):
        low, high = numbers[lower], numbers[upper]
        clean &= ~(low > high) & ~(low > value + tiny) & ~(high < value - tiny)

    standardised = code.map(indicators["standardised"]).eq(True)
    checked = value_type.isin(["proportion", "rate"]) & ~standardised & denominator.ne(0)
    expected = count / denominator * multiplier
    half = {
        field: 0.5 * 10.0 ** -decimals[field].astype(float) for field in ("value", "count", "denominator")
    }
    slack = (
        half["value"]
        + multiplier * half["count"] / denominator
        + expected * half["denominator"] / denominator
        + 1e-9 * expected.abs()
    )
    # A figure anywhere near its limit of agreement goes the careful way, whatever the last bit says.
    clean &= ~(checked & ((value - expected).abs() > slack * (1 - 1e-6)))

    indicator_only = clean & code.isna()
    rejections = [
        Rejection(
            number, (problem.reason,), problem.category, problem.cause, where(row, lookups), problem.detail
        )
        for number, problem, row in zip(
            common.loc[indicator_only, "row_number"],
            [unknown[key] for key in reference[indicator_only]],
            common[indicator_only].to_dict("records"),
            strict=True,
        )
    ]
    clean &= code.isin(indicators.index)
    rows = common[clean]
    period = period[clean]
    code = code[clean]
    derived = (
        numbers["value"][clean].isna() & numbers["count"][clean].notna() & denominator[clean].fillna(0).ne(0)
    )
    value = numbers["value"][clean].where(~derived, (count / denominator * multiplier)[clean])
    note = rows["value_note"].where(value.notna() | rows["value_note"].ne(""), NO_VALUE_NOTE)
    published = pd.concat(
        [numbers[f][clean].notna() for f in ("lower95", "upper95", "lower998", "upper998")], axis=1
    )
    observations = pd.DataFrame(
        {
            "indicator_code": code,
            "area_code": area[clean],
            "period_start": [p.start for p in period],
            "period_end": [p.end for p in period],
            "period_label": [p.label for p in period],
            "granularity": [p.granularity for p in period],
            "sex": rows["sex"].where(rows["sex"].ne(""), code.map(indicators["sex"])),
            "age": rows["age"].where(rows["age"].ne(""), code.map(indicators["age"])),
            "category_type": rows["category_type"],
            "category": rows["category"],
            **{field: numbers[field][clean] for field in NUMBER_FIELDS},
            "value": value,
            "value_note": note,
            "provisional": provisional[clean].isin(YES),
            "published_comparison": rows["published_comparison"].where(
                ~cells.lower(rows["published_comparison"]).isin(MISSING), ""
            ),
            "limits_source": published.any(axis=1).map({True: "published", False: None}),
            "quality_note": None,
            "row_number": rows["row_number"],
        },
        index=rows.index,
    )
    return observations, ~clean & ~indicator_only, rejections


def _exact_numbers(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's number exactly as Python's ``float`` reads it (as :func:`read_number` does), and which
    cells it could read."""
    try:
        return texts.astype(float), np.ones(len(texts), dtype=bool)
    except ValueError:
        numbers = np.array([_float_or_nan(cell) for cell in texts], dtype=float)
        return numbers, ~np.isnan(numbers)


def _float_or_nan(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return math.nan
